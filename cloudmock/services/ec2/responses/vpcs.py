"""VPCs: create, delete, describe, attributes, CIDR blocks, tenancy, the default VPC."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cloudmock.core.plugin import operation
from cloudmock.services.ec2.filters import FilterSet
from cloudmock.services.ec2.models.tags import tag_specifications
from cloudmock.services.ec2.models.vpcs import VPC_FILTERS
from cloudmock.services.ec2.responses.common import Ctx, page, select

if TYPE_CHECKING:
    from cloudmock.services.ec2.shapes import (
        AssociateVpcCidrBlockResult,
        AttributeBooleanValue,
        CreateDefaultVpcResult,
        CreateVpcResult,
        DescribeVpcAttributeResult,
        DescribeVpcsResult,
        DisassociateVpcCidrBlockResult,
        Filter,
        ModifyVpcTenancyResult,
        TagSpecification,
        VpcEncryptionControlConfiguration,
    )

VPCS: FilterSet[Any] = FilterSet(VPC_FILTERS)


@operation("DescribeVpcs", filters=VPCS)
def describe_vpcs(
    ctx: Ctx,
    *,
    Filters: list[Filter] | None = None,
    VpcIds: list[str] | None = None,
    NextToken: str | None = None,
    MaxResults: int | None = None,
) -> DescribeVpcsResult:
    vpcs = select(ctx, ctx.backend.vpcs.vpcs, VpcIds, Filters, VPCS)
    shown, token = page(ctx, vpcs, MaxResults, NextToken)
    network = ctx.backend.vpcs
    result: DescribeVpcsResult = {"Vpcs": [network.describe_vpc(v) for v in shown]}
    if token:
        result["NextToken"] = token
    return result


@operation("CreateVpc")
def create_vpc(
    ctx: Ctx,
    *,
    CidrBlock: str | None = None,
    InstanceTenancy: str | None = None,
    AmazonProvidedIpv6CidrBlock: bool | None = None,
    Ipv6CidrBlockNetworkBorderGroup: str | None = None,
    VpcEncryptionControl: VpcEncryptionControlConfiguration | None = None,
    TagSpecifications: list[TagSpecification] | None = None,
) -> CreateVpcResult:
    tags = tag_specifications(TagSpecifications, ("vpc", "vpc-encryption-control"))
    vpc = ctx.backend.vpcs.create_vpc(
        cidr=CidrBlock,
        tenancy=InstanceTenancy,
        amazon_ipv6=AmazonProvidedIpv6CidrBlock,
        border_group=Ipv6CidrBlockNetworkBorderGroup,
        tags=tags.get("vpc", {}),
        encryption=dict(VpcEncryptionControl) if VpcEncryptionControl is not None else None,  # type: ignore[arg-type]
        encryption_tags=tags.get("vpc-encryption-control", {}),
    )
    return {"Vpc": ctx.backend.vpcs.describe_vpc(vpc)}


@operation("CreateDefaultVpc")
def create_default_vpc(ctx: Ctx) -> CreateDefaultVpcResult:
    network = ctx.backend.vpcs
    return {"Vpc": network.describe_vpc(network.create_default_vpc_request())}


@operation("DeleteVpc")
def delete_vpc(ctx: Ctx, *, VpcId: str) -> None:
    ctx.backend.vpcs.delete_vpc(VpcId)


def _flag(value: AttributeBooleanValue | None) -> bool | None:
    if value is None:
        return None
    return bool(value.get("Value", False))


@operation("ModifyVpcAttribute")
def modify_vpc_attribute(
    ctx: Ctx,
    *,
    VpcId: str,
    EnableDnsHostnames: AttributeBooleanValue | None = None,
    EnableDnsSupport: AttributeBooleanValue | None = None,
    EnableNetworkAddressUsageMetrics: AttributeBooleanValue | None = None,
) -> None:
    ctx.backend.vpcs.modify_vpc_attribute(
        VpcId,
        {
            "enableDnsHostnames": _flag(EnableDnsHostnames),
            "enableDnsSupport": _flag(EnableDnsSupport),
            "enableNetworkAddressUsageMetrics": _flag(EnableNetworkAddressUsageMetrics),
        },
    )


_ATTRIBUTE_MEMBERS = {
    "enableDnsSupport": "EnableDnsSupport",
    "enableDnsHostnames": "EnableDnsHostnames",
    "enableNetworkAddressUsageMetrics": "EnableNetworkAddressUsageMetrics",
}


@operation("DescribeVpcAttribute")
def describe_vpc_attribute(ctx: Ctx, *, Attribute: str, VpcId: str) -> DescribeVpcAttributeResult:
    value = ctx.backend.vpcs.vpc_attribute(VpcId, Attribute)
    result: DescribeVpcAttributeResult = {"VpcId": VpcId}
    result[_ATTRIBUTE_MEMBERS[Attribute]] = {"Value": value}  # type: ignore[literal-required]
    return result


@operation("ModifyVpcTenancy")
def modify_vpc_tenancy(ctx: Ctx, *, VpcId: str, InstanceTenancy: str) -> ModifyVpcTenancyResult:
    ctx.backend.vpcs.modify_vpc_tenancy(VpcId, InstanceTenancy)
    return {"ReturnValue": True}


@operation("AssociateVpcCidrBlock")
def associate_vpc_cidr_block(
    ctx: Ctx,
    *,
    VpcId: str,
    CidrBlock: str | None = None,
    AmazonProvidedIpv6CidrBlock: bool | None = None,
    Ipv6CidrBlockNetworkBorderGroup: str | None = None,
) -> AssociateVpcCidrBlockResult:
    block = ctx.backend.vpcs.associate_vpc_cidr(
        VpcId,
        cidr=CidrBlock,
        amazon_ipv6=AmazonProvidedIpv6CidrBlock,
        border_group=Ipv6CidrBlockNetworkBorderGroup,
    )
    if CidrBlock is not None:
        return {"VpcId": VpcId, "CidrBlockAssociation": block.ipv4()}
    return {"VpcId": VpcId, "Ipv6CidrBlockAssociation": block.vpc_ipv6()}


@operation("DisassociateVpcCidrBlock")
def disassociate_vpc_cidr_block(ctx: Ctx, *, AssociationId: str) -> DisassociateVpcCidrBlockResult:
    vpc, block = ctx.backend.vpcs.disassociate_vpc_cidr(AssociationId)
    if block.network.version == 4:
        return {"VpcId": vpc.id, "CidrBlockAssociation": block.ipv4()}
    return {"VpcId": vpc.id, "Ipv6CidrBlockAssociation": block.vpc_ipv6()}
