"""VPC peering: Create/Accept/Reject/Delete/DescribeVpcPeeringConnections, ModifyVpcPeeringConnectionOptions.

The peer VPC (another account, another region, or this one) is looked up the way a
client would, through ``ctx.services.call("ec2", "DescribeVpcs", ...)`` as the
peer account: no backend reads another backend's VPCs directly.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from cloudmock.core.errors import InvalidParameterValue, MissingParameter, ServiceError
from cloudmock.core.plugin import operation
from cloudmock.services.ec2.dryrun import commit
from cloudmock.services.ec2.filters import FilterSet, apply_filters
from cloudmock.services.ec2.models.regions import region as region_info
from cloudmock.services.ec2.models.tags import tag_specifications
from cloudmock.services.ec2.models.vpc_peering import MULTIPATH_NAMES, PEERING_FILTERS, Side
from cloudmock.services.ec2.responses.common import Ctx, page

if TYPE_CHECKING:
    from cloudmock.services.ec2.shapes import (
        AcceptVpcPeeringConnectionResult,
        CreatePeeringConnectionOptionsRequest,
        CreateVpcPeeringConnectionResult,
        DeleteVpcPeeringConnectionResult,
        DescribeVpcPeeringConnectionsResult,
        Filter,
        ModifyVpcPeeringConnectionOptionsResult,
        PeeringConnectionOptionsRequest,
        RejectVpcPeeringConnectionResult,
        TagSpecification,
    )

PEERINGS: FilterSet[Any] = FilterSet(PEERING_FILTERS)
_ACCOUNT = re.compile(r"^\d{12}$")


def _peer_vpc(
    ctx: Ctx, vpc_id: str, account: str, region: str
) -> tuple[list[str], list[str]] | None:
    """The peer VPC's IPv4 and IPv6 blocks, asked of its own account and region; None if absent."""
    try:
        found = ctx.services.call(
            "ec2", "DescribeVpcs", {"VpcIds": [vpc_id]}, region=region, account=account
        )
    except ServiceError:
        return None
    vpcs = (found or {}).get("Vpcs") or []
    if not vpcs:
        return None
    vpc = vpcs[0]
    ipv4 = [
        a["CidrBlock"]
        for a in vpc.get("CidrBlockAssociationSet", [])
        if a.get("CidrBlockState", {}).get("State", "associated") == "associated"
    ] or [vpc["CidrBlock"]]
    ipv6 = [
        a["Ipv6CidrBlock"]
        for a in vpc.get("Ipv6CidrBlockAssociationSet", [])
        if a.get("Ipv6CidrBlockState", {}).get("State", "associated") == "associated"
    ]
    return ipv4, ipv6


@operation("CreateVpcPeeringConnection")
def create_vpc_peering_connection(
    ctx: Ctx,
    *,
    VpcId: str,
    PeerVpcId: str | None = None,
    PeerOwnerId: str | None = None,
    PeerRegion: str | None = None,
    TagSpecifications: list[TagSpecification] | None = None,
    RequesterPeeringConnectionOptions: CreatePeeringConnectionOptionsRequest | None = None,
) -> CreateVpcPeeringConnectionResult:
    backend = ctx.backend
    peering = backend.vpc_peering
    vpc = backend.vpcs.vpcs.get(VpcId)
    if not PeerVpcId:
        raise MissingParameter("PeerVpcId")
    owner = PeerOwnerId or ctx.account_id
    if not _ACCOUNT.match(owner):
        raise InvalidParameterValue(
            f"Invalid value '{owner}' for peerOwnerId. It must be a 12-digit AWS account ID."
        )
    peer_region = PeerRegion or ctx.region
    try:
        region_info(peer_region)
    except ServiceError:
        raise InvalidParameterValue(f"Invalid value '{peer_region}' for peerRegion.") from None
    tags = tag_specifications(TagSpecifications, ("vpc-peering-connection",))
    options: dict[str, Any] = {
        k: v for k, v in (RequesterPeeringConnectionOptions or {}).items() if k in MULTIPATH_NAMES
    }
    requester = Side(VpcId, ctx.account_id, ctx.region, vpc.ipv4_cidrs(), vpc.ipv6_cidrs(), options)
    peering.check_request(requester, PeerVpcId, owner, peer_region)
    found = _peer_vpc(ctx, PeerVpcId, owner, peer_region)
    commit()
    ipv4, ipv6 = found or ([], [])
    accepter = Side(PeerVpcId, owner, peer_region, ipv4, ipv6)
    view = peering.create(
        requester, accepter, found is not None, tags.get("vpc-peering-connection", {})
    )
    return {"VpcPeeringConnection": view.describe()}


@operation("AcceptVpcPeeringConnection")
def accept_vpc_peering_connection(
    ctx: Ctx, *, VpcPeeringConnectionId: str
) -> AcceptVpcPeeringConnectionResult:
    peering = ctx.backend.vpc_peering
    view = peering.accept(VpcPeeringConnectionId)
    commit()
    peering.activate(view)
    return {"VpcPeeringConnection": view.describe()}


@operation("RejectVpcPeeringConnection")
def reject_vpc_peering_connection(
    ctx: Ctx, *, VpcPeeringConnectionId: str
) -> RejectVpcPeeringConnectionResult:
    peering = ctx.backend.vpc_peering
    view = peering.reject(VpcPeeringConnectionId)
    commit()
    peering.mark_rejected(view)
    return {"Return": True}


@operation("DeleteVpcPeeringConnection")
def delete_vpc_peering_connection(
    ctx: Ctx, *, VpcPeeringConnectionId: str
) -> DeleteVpcPeeringConnectionResult:
    peering = ctx.backend.vpc_peering
    view = peering.delete(VpcPeeringConnectionId)
    commit()
    peering.mark_deleted(view)
    return {"Return": True}


@operation("ModifyVpcPeeringConnectionOptions")
def modify_vpc_peering_connection_options(
    ctx: Ctx,
    *,
    VpcPeeringConnectionId: str,
    AccepterPeeringConnectionOptions: PeeringConnectionOptionsRequest | None = None,
    RequesterPeeringConnectionOptions: PeeringConnectionOptionsRequest | None = None,
) -> ModifyVpcPeeringConnectionOptionsResult:
    accepter_options = (
        dict(AccepterPeeringConnectionOptions)
        if AccepterPeeringConnectionOptions is not None
        else None
    )
    requester_options = (
        dict(RequesterPeeringConnectionOptions)
        if RequesterPeeringConnectionOptions is not None
        else None
    )
    view = ctx.backend.vpc_peering.check_modify(
        VpcPeeringConnectionId, accepter_options, requester_options
    )
    commit()
    connection = view.connection
    result: ModifyVpcPeeringConnectionOptionsResult = {}
    if accepter_options is not None:
        connection.accepter.options.update(accepter_options)
        result["AccepterPeeringConnectionOptions"] = connection.accepter.peering_options()
    if requester_options is not None:
        connection.requester.options.update(requester_options)
        result["RequesterPeeringConnectionOptions"] = connection.requester.peering_options()
    return result


@operation("DescribeVpcPeeringConnections", filters=PEERINGS)
def describe_vpc_peering_connections(
    ctx: Ctx,
    *,
    VpcPeeringConnectionIds: list[str] | None = None,
    Filters: list[Filter] | None = None,
    NextToken: str | None = None,
    MaxResults: int | None = None,
) -> DescribeVpcPeeringConnectionsResult:
    peering = ctx.backend.vpc_peering
    views = (
        peering.get_many(VpcPeeringConnectionIds) if VpcPeeringConnectionIds else peering.visible()
    )
    views = apply_filters(views, Filters, PEERINGS, ctx.operation_model)
    shown, token = page(ctx, views, MaxResults, NextToken)
    result: DescribeVpcPeeringConnectionsResult = {
        "VpcPeeringConnections": [v.describe() for v in shown]
    }
    if token:
        result["NextToken"] = token
    return result
