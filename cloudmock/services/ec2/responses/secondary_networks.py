"""Secondary networks and secondary subnets."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cloudmock.core.plugin import operation
from cloudmock.services.ec2.filters import FilterSet
from cloudmock.services.ec2.models.secondary_networks import (
    SECONDARY_NETWORK_FILTERS,
    SECONDARY_SUBNET_FILTERS,
)
from cloudmock.services.ec2.models.tags import tag_specifications
from cloudmock.services.ec2.responses.common import Ctx, page, select

if TYPE_CHECKING:
    from cloudmock.services.ec2.shapes import (
        CreateSecondaryNetworkResult,
        CreateSecondarySubnetResult,
        DeleteSecondaryNetworkResult,
        DeleteSecondarySubnetResult,
        DescribeSecondaryNetworksResult,
        DescribeSecondarySubnetsResult,
        Filter,
        TagSpecification,
    )

NETWORKS: FilterSet[Any] = FilterSet(SECONDARY_NETWORK_FILTERS)
SUBNETS: FilterSet[Any] = FilterSet(SECONDARY_SUBNET_FILTERS)


@operation("CreateSecondaryNetwork")
def create_secondary_network(
    ctx: Ctx,
    *,
    Ipv4CidrBlock: str,
    NetworkType: str,
    ClientToken: str | None = None,
    TagSpecifications: list[TagSpecification] | None = None,
) -> CreateSecondaryNetworkResult:
    tags = tag_specifications(TagSpecifications, ("secondary-network",))
    network = ctx.backend.vpcs.secondary.create_network(
        Ipv4CidrBlock, NetworkType, tags.get("secondary-network", {}), ClientToken
    )
    result: CreateSecondaryNetworkResult = {"SecondaryNetwork": network.describe()}
    if ClientToken is not None:
        result["ClientToken"] = ClientToken
    return result


@operation("DeleteSecondaryNetwork")
def delete_secondary_network(
    ctx: Ctx, *, SecondaryNetworkId: str, ClientToken: str | None = None
) -> DeleteSecondaryNetworkResult:
    # deleting is idempotent by itself: a repeated request finds the network already going
    network = ctx.backend.vpcs.secondary.delete_network(SecondaryNetworkId)
    result: DeleteSecondaryNetworkResult = {"SecondaryNetwork": network.describe()}
    if ClientToken is not None:
        result["ClientToken"] = ClientToken
    return result


@operation("DescribeSecondaryNetworks", filters=NETWORKS)
def describe_secondary_networks(
    ctx: Ctx,
    *,
    Filters: list[Filter] | None = None,
    SecondaryNetworkIds: list[str] | None = None,
    NextToken: str | None = None,
    MaxResults: int | None = None,
) -> DescribeSecondaryNetworksResult:
    found = select(ctx, ctx.backend.vpcs.secondary.networks, SecondaryNetworkIds, Filters, NETWORKS)
    shown, token = page(ctx, found, MaxResults, NextToken)
    result: DescribeSecondaryNetworksResult = {"SecondaryNetworks": [n.describe() for n in shown]}
    if token:
        result["NextToken"] = token
    return result


@operation("CreateSecondarySubnet")
def create_secondary_subnet(
    ctx: Ctx,
    *,
    SecondaryNetworkId: str,
    Ipv4CidrBlock: str,
    AvailabilityZone: str | None = None,
    AvailabilityZoneId: str | None = None,
    ClientToken: str | None = None,
    TagSpecifications: list[TagSpecification] | None = None,
) -> CreateSecondarySubnetResult:
    tags = tag_specifications(TagSpecifications, ("secondary-subnet",))
    network = ctx.backend.vpcs
    zone = network.zone(AvailabilityZone, AvailabilityZoneId, required=True)
    subnet = network.secondary.create_subnet(
        SecondaryNetworkId, Ipv4CidrBlock, zone, tags.get("secondary-subnet", {}), ClientToken
    )
    result: CreateSecondarySubnetResult = {"SecondarySubnet": subnet.describe()}
    if ClientToken is not None:
        result["ClientToken"] = ClientToken
    return result


@operation("DeleteSecondarySubnet")
def delete_secondary_subnet(
    ctx: Ctx, *, SecondarySubnetId: str, ClientToken: str | None = None
) -> DeleteSecondarySubnetResult:
    subnet = ctx.backend.vpcs.secondary.delete_subnet(SecondarySubnetId)
    result: DeleteSecondarySubnetResult = {"SecondarySubnet": subnet.describe()}
    if ClientToken is not None:
        result["ClientToken"] = ClientToken
    return result


@operation("DescribeSecondarySubnets", filters=SUBNETS)
def describe_secondary_subnets(
    ctx: Ctx,
    *,
    Filters: list[Filter] | None = None,
    SecondarySubnetIds: list[str] | None = None,
    NextToken: str | None = None,
    MaxResults: int | None = None,
) -> DescribeSecondarySubnetsResult:
    found = select(ctx, ctx.backend.vpcs.secondary.subnets, SecondarySubnetIds, Filters, SUBNETS)
    shown, token = page(ctx, found, MaxResults, NextToken)
    result: DescribeSecondarySubnetsResult = {"SecondarySubnets": [s.describe() for s in shown]}
    if token:
        result["NextToken"] = token
    return result
