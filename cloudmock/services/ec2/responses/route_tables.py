"""Route tables: create, delete, describe; routes; subnet, gateway and main associations."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cloudmock.core.errors import ServiceError
from cloudmock.core.plugin import operation
from cloudmock.services.ec2.dryrun import commit
from cloudmock.services.ec2.filters import FilterSet
from cloudmock.services.ec2.models.route_tables import ROUTE_TABLE_FILTERS
from cloudmock.services.ec2.models.tags import tag_specifications
from cloudmock.services.ec2.responses.common import Ctx, page, select

if TYPE_CHECKING:
    from cloudmock.services.ec2.shapes import (
        AssociateRouteTableResult,
        CreateRouteResult,
        CreateRouteTableResult,
        DescribeRouteTablesResult,
        Filter,
        ReplaceRouteTableAssociationResult,
        TagSpecification,
    )

ROUTE_TABLES: FilterSet[Any] = FilterSet(ROUTE_TABLE_FILTERS, indexes={"vpc-id": "vpc"})


@operation("CreateRouteTable")
def create_route_table(
    ctx: Ctx,
    *,
    VpcId: str,
    TagSpecifications: list[TagSpecification] | None = None,
    ClientToken: str | None = None,
) -> CreateRouteTableResult:
    family = ctx.backend.route_tables
    tags = tag_specifications(TagSpecifications, ("route-table",)).get("route-table", {})
    vpc = ctx.backend.vpcs.vpcs.get(family.check_create(VpcId))
    if ClientToken:
        earlier = family.tokens.get(ClientToken)
        if earlier is not None:
            table = family.store.find(earlier)
            if table is not None:
                if table.vpc_id != vpc.id:
                    raise ServiceError(
                        f"Client token '{ClientToken}' was used with different parameters.",
                        code="IdempotentParameterMismatch",
                    )
                commit()
                return {"RouteTable": table.describe(), "ClientToken": ClientToken}
    commit()
    table = family.create(vpc.id, tags)
    result: CreateRouteTableResult = {"RouteTable": table.describe()}
    if ClientToken:
        family.tokens[ClientToken] = table.id
        result["ClientToken"] = ClientToken
    return result


@operation("DeleteRouteTable")
def delete_route_table(ctx: Ctx, *, RouteTableId: str) -> None:
    family = ctx.backend.route_tables
    table = family.check_delete(RouteTableId)
    commit()
    family.delete(table)


@operation("DescribeRouteTables", filters=ROUTE_TABLES)
def describe_route_tables(
    ctx: Ctx,
    *,
    RouteTableIds: list[str] | None = None,
    Filters: list[Filter] | None = None,
    NextToken: str | None = None,
    MaxResults: int | None = None,
) -> DescribeRouteTablesResult:
    tables = select(ctx, ctx.backend.route_tables.store, RouteTableIds, Filters, ROUTE_TABLES)
    shown, token = page(ctx, tables, MaxResults, NextToken, low=5, high=100)
    result: DescribeRouteTablesResult = {"RouteTables": [t.describe() for t in shown]}
    if token:
        result["NextToken"] = token
    return result


@operation("AssociateRouteTable")
def associate_route_table(
    ctx: Ctx,
    *,
    RouteTableId: str,
    SubnetId: str | None = None,
    GatewayId: str | None = None,
    PublicIpv4Pool: str | None = None,
) -> AssociateRouteTableResult:
    family = ctx.backend.route_tables
    table = family.check_associate(RouteTableId, SubnetId, GatewayId, PublicIpv4Pool)
    commit()
    association = family.associate(table, SubnetId, GatewayId, PublicIpv4Pool)
    return {"AssociationId": association.id, "AssociationState": {"State": "associated"}}


@operation("DisassociateRouteTable")
def disassociate_route_table(ctx: Ctx, *, AssociationId: str) -> None:
    family = ctx.backend.route_tables
    association = family.check_disassociate(AssociationId)
    commit()
    family.disassociate(association)


@operation("ReplaceRouteTableAssociation")
def replace_route_table_association(
    ctx: Ctx, *, AssociationId: str, RouteTableId: str
) -> ReplaceRouteTableAssociationResult:
    family = ctx.backend.route_tables
    association, table = family.check_replace_association(AssociationId, RouteTableId)
    commit()
    new = family.replace_association(association, table)
    return {"NewAssociationId": new.id, "AssociationState": {"State": "associated"}}


@operation("CreateRoute")
def create_route(
    ctx: Ctx,
    *,
    RouteTableId: str,
    DestinationCidrBlock: str | None = None,
    DestinationIpv6CidrBlock: str | None = None,
    DestinationPrefixListId: str | None = None,
    GatewayId: str | None = None,
    EgressOnlyInternetGatewayId: str | None = None,
    NatGatewayId: str | None = None,
    NetworkInterfaceId: str | None = None,
    InstanceId: str | None = None,
    VpcPeeringConnectionId: str | None = None,
    TransitGatewayId: str | None = None,
    LocalGatewayId: str | None = None,
    CarrierGatewayId: str | None = None,
    CoreNetworkArn: str | None = None,
    OdbNetworkArn: str | None = None,
    VpcEndpointId: str | None = None,
) -> CreateRouteResult:
    family = ctx.backend.route_tables
    targets = {
        "GatewayId": GatewayId,
        "EgressOnlyInternetGatewayId": EgressOnlyInternetGatewayId,
        "NatGatewayId": NatGatewayId,
        "NetworkInterfaceId": NetworkInterfaceId,
        "InstanceId": InstanceId,
        "VpcPeeringConnectionId": VpcPeeringConnectionId,
        "TransitGatewayId": TransitGatewayId,
        "LocalGatewayId": LocalGatewayId,
        "CarrierGatewayId": CarrierGatewayId,
        "CoreNetworkArn": CoreNetworkArn,
        "OdbNetworkArn": OdbNetworkArn,
        "VpcEndpointId": VpcEndpointId,
    }
    table, route = family.check_create_route(
        RouteTableId,
        DestinationCidrBlock,
        DestinationIpv6CidrBlock,
        DestinationPrefixListId,
        targets,
    )
    commit()
    family.create_route(table, route)
    return {"Return": True}


@operation("ReplaceRoute")
def replace_route(
    ctx: Ctx,
    *,
    RouteTableId: str,
    DestinationCidrBlock: str | None = None,
    DestinationIpv6CidrBlock: str | None = None,
    DestinationPrefixListId: str | None = None,
    GatewayId: str | None = None,
    EgressOnlyInternetGatewayId: str | None = None,
    NatGatewayId: str | None = None,
    NetworkInterfaceId: str | None = None,
    InstanceId: str | None = None,
    VpcPeeringConnectionId: str | None = None,
    TransitGatewayId: str | None = None,
    LocalGatewayId: str | None = None,
    CarrierGatewayId: str | None = None,
    CoreNetworkArn: str | None = None,
    OdbNetworkArn: str | None = None,
    VpcEndpointId: str | None = None,
    LocalTarget: bool | None = None,
) -> None:
    family = ctx.backend.route_tables
    targets = {
        "GatewayId": GatewayId,
        "EgressOnlyInternetGatewayId": EgressOnlyInternetGatewayId,
        "NatGatewayId": NatGatewayId,
        "NetworkInterfaceId": NetworkInterfaceId,
        "InstanceId": InstanceId,
        "VpcPeeringConnectionId": VpcPeeringConnectionId,
        "TransitGatewayId": TransitGatewayId,
        "LocalGatewayId": LocalGatewayId,
        "CarrierGatewayId": CarrierGatewayId,
        "CoreNetworkArn": CoreNetworkArn,
        "OdbNetworkArn": OdbNetworkArn,
        "VpcEndpointId": VpcEndpointId,
    }
    table, route, is_local = family.check_replace_route(
        RouteTableId,
        DestinationCidrBlock,
        DestinationIpv6CidrBlock,
        DestinationPrefixListId,
        targets,
        bool(LocalTarget),
    )
    commit()
    family.replace_route(table, route, is_local)


@operation("DeleteRoute")
def delete_route(
    ctx: Ctx,
    *,
    RouteTableId: str,
    DestinationCidrBlock: str | None = None,
    DestinationIpv6CidrBlock: str | None = None,
    DestinationPrefixListId: str | None = None,
) -> None:
    family = ctx.backend.route_tables
    table, route = family.check_delete_route(
        RouteTableId, DestinationCidrBlock, DestinationIpv6CidrBlock, DestinationPrefixListId
    )
    commit()
    family.delete_route(table, route)
