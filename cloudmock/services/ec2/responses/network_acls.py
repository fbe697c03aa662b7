"""Network ACLs: create, delete, describe, entries, subnet associations."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cloudmock.core.plugin import operation
from cloudmock.services.ec2.filters import FilterSet
from cloudmock.services.ec2.models.network_acls import NETWORK_ACL_FILTERS
from cloudmock.services.ec2.models.tags import tag_specifications
from cloudmock.services.ec2.responses.common import Ctx, page, select

if TYPE_CHECKING:
    from cloudmock.services.ec2.shapes import (
        CreateNetworkAclResult,
        DescribeNetworkAclsResult,
        Filter,
        IcmpTypeCode,
        PortRange,
        ReplaceNetworkAclAssociationResult,
        TagSpecification,
    )

ACLS: FilterSet[Any] = FilterSet(NETWORK_ACL_FILTERS)


@operation("DescribeNetworkAcls", filters=ACLS)
def describe_network_acls(
    ctx: Ctx,
    *,
    NetworkAclIds: list[str] | None = None,
    Filters: list[Filter] | None = None,
    NextToken: str | None = None,
    MaxResults: int | None = None,
) -> DescribeNetworkAclsResult:
    acls = select(ctx, ctx.backend.vpcs.network_acls, NetworkAclIds, Filters, ACLS)
    shown, token = page(ctx, acls, MaxResults, NextToken)
    result: DescribeNetworkAclsResult = {"NetworkAcls": [a.describe() for a in shown]}
    if token:
        result["NextToken"] = token
    return result


@operation("CreateNetworkAcl")
def create_network_acl(
    ctx: Ctx,
    *,
    VpcId: str,
    ClientToken: str | None = None,
    TagSpecifications: list[TagSpecification] | None = None,
) -> CreateNetworkAclResult:
    tags = tag_specifications(TagSpecifications, ("network-acl",))
    acl = ctx.backend.vpcs.create_network_acl(VpcId, tags.get("network-acl", {}), ClientToken)
    result: CreateNetworkAclResult = {"NetworkAcl": acl.describe()}
    if ClientToken is not None:
        result["ClientToken"] = ClientToken
    return result


@operation("DeleteNetworkAcl")
def delete_network_acl(ctx: Ctx, *, NetworkAclId: str) -> None:
    ctx.backend.vpcs.delete_network_acl(NetworkAclId)


def _entry(
    ctx: Ctx,
    replace: bool,
    acl_id: str,
    rule_number: int,
    protocol: str,
    action: str,
    egress: bool,
    cidr: str | None,
    ipv6_cidr: str | None,
    icmp: IcmpTypeCode | None,
    ports: PortRange | None,
) -> None:
    ctx.backend.vpcs.set_acl_entry(
        acl_id,
        replace=replace,
        rule_number=rule_number,
        egress=egress,
        protocol=protocol,
        action=action,
        cidr=cidr,
        ipv6_cidr=ipv6_cidr,
        icmp=dict(icmp) if icmp is not None else None,
        ports=dict(ports) if ports is not None else None,
    )


@operation("CreateNetworkAclEntry")
def create_network_acl_entry(
    ctx: Ctx,
    *,
    NetworkAclId: str,
    RuleNumber: int,
    Protocol: str,
    RuleAction: str,
    Egress: bool,
    CidrBlock: str | None = None,
    Ipv6CidrBlock: str | None = None,
    IcmpTypeCode: IcmpTypeCode | None = None,
    PortRange: PortRange | None = None,
) -> None:
    _entry(
        ctx, False, NetworkAclId, RuleNumber, Protocol, RuleAction, Egress,
        CidrBlock, Ipv6CidrBlock, IcmpTypeCode, PortRange,
    )  # fmt: skip


@operation("ReplaceNetworkAclEntry")
def replace_network_acl_entry(
    ctx: Ctx,
    *,
    NetworkAclId: str,
    RuleNumber: int,
    Protocol: str,
    RuleAction: str,
    Egress: bool,
    CidrBlock: str | None = None,
    Ipv6CidrBlock: str | None = None,
    IcmpTypeCode: IcmpTypeCode | None = None,
    PortRange: PortRange | None = None,
) -> None:
    _entry(
        ctx, True, NetworkAclId, RuleNumber, Protocol, RuleAction, Egress,
        CidrBlock, Ipv6CidrBlock, IcmpTypeCode, PortRange,
    )  # fmt: skip


@operation("DeleteNetworkAclEntry")
def delete_network_acl_entry(ctx: Ctx, *, NetworkAclId: str, RuleNumber: int, Egress: bool) -> None:
    ctx.backend.vpcs.delete_acl_entry(NetworkAclId, RuleNumber, Egress)


@operation("ReplaceNetworkAclAssociation")
def replace_network_acl_association(
    ctx: Ctx, *, AssociationId: str, NetworkAclId: str
) -> ReplaceNetworkAclAssociationResult:
    return {
        "NewAssociationId": ctx.backend.vpcs.replace_acl_association(AssociationId, NetworkAclId)
    }
