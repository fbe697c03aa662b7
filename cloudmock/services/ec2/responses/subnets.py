"""Subnets: create, delete, describe, attributes, IPv6 blocks, CIDR reservations, defaults."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cloudmock.core.plugin import operation
from cloudmock.services.ec2.filters import FilterSet, apply_filters
from cloudmock.services.ec2.models.tags import tag_specifications
from cloudmock.services.ec2.models.vpcs import SUBNET_CIDR_RESERVATION_FILTERS, SUBNET_FILTERS
from cloudmock.services.ec2.responses.common import Ctx, page, select

if TYPE_CHECKING:
    from cloudmock.services.ec2.shapes import (
        AssociateSubnetCidrBlockResult,
        AttributeBooleanValue,
        CreateDefaultSubnetResult,
        CreateSubnetCidrReservationResult,
        CreateSubnetResult,
        DeleteSubnetCidrReservationResult,
        DescribeSubnetsResult,
        DisassociateSubnetCidrBlockResult,
        Filter,
        GetSubnetCidrReservationsResult,
        TagSpecification,
    )

SUBNETS: FilterSet[Any] = FilterSet(SUBNET_FILTERS, indexes={"vpc-id": "vpc"})
RESERVATIONS: FilterSet[Any] = FilterSet(SUBNET_CIDR_RESERVATION_FILTERS)


@operation("DescribeSubnets", filters=SUBNETS)
def describe_subnets(
    ctx: Ctx,
    *,
    Filters: list[Filter] | None = None,
    SubnetIds: list[str] | None = None,
    NextToken: str | None = None,
    MaxResults: int | None = None,
) -> DescribeSubnetsResult:
    subnets = select(ctx, ctx.backend.vpcs.subnets, SubnetIds, Filters, SUBNETS)
    shown, token = page(ctx, subnets, MaxResults, NextToken)
    network = ctx.backend.vpcs
    result: DescribeSubnetsResult = {"Subnets": [network.describe_subnet(s) for s in shown]}
    if token:
        result["NextToken"] = token
    return result


@operation("CreateSubnet")
def create_subnet(
    ctx: Ctx,
    *,
    VpcId: str,
    CidrBlock: str | None = None,
    Ipv6CidrBlock: str | None = None,
    AvailabilityZone: str | None = None,
    AvailabilityZoneId: str | None = None,
    OutpostArn: str | None = None,
    Ipv6Native: bool | None = None,
    TagSpecifications: list[TagSpecification] | None = None,
) -> CreateSubnetResult:
    tags = tag_specifications(TagSpecifications, ("subnet",))
    subnet = ctx.backend.vpcs.create_subnet(
        vpc_id=VpcId,
        cidr=CidrBlock,
        ipv6_cidr=Ipv6CidrBlock,
        zone=AvailabilityZone,
        zone_id=AvailabilityZoneId,
        outpost_arn=OutpostArn,
        ipv6_native=Ipv6Native,
        tags=tags.get("subnet", {}),
    )
    return {"Subnet": ctx.backend.vpcs.describe_subnet(subnet)}


@operation("CreateDefaultSubnet")
def create_default_subnet(
    ctx: Ctx,
    *,
    AvailabilityZone: str | None = None,
    AvailabilityZoneId: str | None = None,
    Ipv6Native: bool | None = None,
) -> CreateDefaultSubnetResult:
    subnet = ctx.backend.vpcs.create_default_subnet(
        AvailabilityZone, AvailabilityZoneId, Ipv6Native
    )
    return {"Subnet": ctx.backend.vpcs.describe_subnet(subnet)}


@operation("DeleteSubnet")
def delete_subnet(ctx: Ctx, *, SubnetId: str) -> None:
    ctx.backend.vpcs.delete_subnet(SubnetId)


def _flag(value: AttributeBooleanValue | None) -> bool | None:
    if value is None:
        return None
    return bool(value.get("Value", False))


@operation("ModifySubnetAttribute")
def modify_subnet_attribute(
    ctx: Ctx,
    *,
    SubnetId: str,
    AssignIpv6AddressOnCreation: AttributeBooleanValue | None = None,
    MapPublicIpOnLaunch: AttributeBooleanValue | None = None,
    MapCustomerOwnedIpOnLaunch: AttributeBooleanValue | None = None,
    CustomerOwnedIpv4Pool: str | None = None,
    EnableDns64: AttributeBooleanValue | None = None,
    PrivateDnsHostnameTypeOnLaunch: str | None = None,
    EnableResourceNameDnsARecordOnLaunch: AttributeBooleanValue | None = None,
    EnableResourceNameDnsAAAARecordOnLaunch: AttributeBooleanValue | None = None,
    EnableLniAtDeviceIndex: int | None = None,
    DisableLniAtDeviceIndex: AttributeBooleanValue | None = None,
) -> None:
    ctx.backend.vpcs.modify_subnet_attribute(
        SubnetId,
        {
            "AssignIpv6AddressOnCreation": _flag(AssignIpv6AddressOnCreation),
            "MapPublicIpOnLaunch": _flag(MapPublicIpOnLaunch),
            "MapCustomerOwnedIpOnLaunch": _flag(MapCustomerOwnedIpOnLaunch),
            "CustomerOwnedIpv4Pool": CustomerOwnedIpv4Pool,
            "EnableDns64": _flag(EnableDns64),
            "PrivateDnsHostnameTypeOnLaunch": PrivateDnsHostnameTypeOnLaunch,
            "EnableResourceNameDnsARecordOnLaunch": _flag(EnableResourceNameDnsARecordOnLaunch),
            "EnableResourceNameDnsAAAARecordOnLaunch": _flag(
                EnableResourceNameDnsAAAARecordOnLaunch
            ),
            "EnableLniAtDeviceIndex": EnableLniAtDeviceIndex,
            "DisableLniAtDeviceIndex": _flag(DisableLniAtDeviceIndex),
        },
    )


@operation("AssociateSubnetCidrBlock")
def associate_subnet_cidr_block(
    ctx: Ctx, *, SubnetId: str, Ipv6CidrBlock: str | None = None
) -> AssociateSubnetCidrBlockResult:
    block = ctx.backend.vpcs.associate_subnet_cidr(SubnetId, Ipv6CidrBlock)
    return {"SubnetId": SubnetId, "Ipv6CidrBlockAssociation": block.subnet_ipv6()}


@operation("DisassociateSubnetCidrBlock")
def disassociate_subnet_cidr_block(
    ctx: Ctx, *, AssociationId: str
) -> DisassociateSubnetCidrBlockResult:
    subnet, block = ctx.backend.vpcs.disassociate_subnet_cidr(AssociationId)
    return {"SubnetId": subnet.id, "Ipv6CidrBlockAssociation": block.subnet_ipv6()}


@operation("CreateSubnetCidrReservation")
def create_subnet_cidr_reservation(
    ctx: Ctx,
    *,
    SubnetId: str,
    Cidr: str,
    ReservationType: str,
    Description: str | None = None,
    TagSpecifications: list[TagSpecification] | None = None,
) -> CreateSubnetCidrReservationResult:
    tags = tag_specifications(TagSpecifications, ("subnet-cidr-reservation",))
    reservation = ctx.backend.vpcs.create_reservation(
        SubnetId, Cidr, ReservationType, Description, tags.get("subnet-cidr-reservation", {})
    )
    return {"SubnetCidrReservation": reservation.describe()}


@operation("DeleteSubnetCidrReservation")
def delete_subnet_cidr_reservation(
    ctx: Ctx, *, SubnetCidrReservationId: str
) -> DeleteSubnetCidrReservationResult:
    reservation = ctx.backend.vpcs.delete_reservation(SubnetCidrReservationId)
    return {"DeletedSubnetCidrReservation": reservation.describe()}


@operation("GetSubnetCidrReservations", filters=RESERVATIONS)
def get_subnet_cidr_reservations(
    ctx: Ctx,
    *,
    SubnetId: str,
    Filters: list[Filter] | None = None,
    NextToken: str | None = None,
    MaxResults: int | None = None,
) -> GetSubnetCidrReservationsResult:
    network = ctx.backend.vpcs
    network.subnets.get(SubnetId)
    found = apply_filters(
        network.reservations.lookup("subnet", SubnetId), Filters, RESERVATIONS, ctx.operation_model
    )
    shown, token = page(ctx, found, MaxResults, NextToken)
    result: GetSubnetCidrReservationsResult = {
        "SubnetIpv4CidrReservations": [r.describe() for r in shown if r.network.version == 4],
        "SubnetIpv6CidrReservations": [r.describe() for r in shown if r.network.version == 6],
    }
    if token:
        result["NextToken"] = token
    return result
