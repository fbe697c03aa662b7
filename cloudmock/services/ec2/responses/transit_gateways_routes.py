"""Transit gateway route tables: associations, propagations, routes, prefix list references,
route exports and route table announcements."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cloudmock.core.plugin import operation
from cloudmock.services.ec2.dryrun import commit
from cloudmock.services.ec2.filters import FilterSet, apply_filters
from cloudmock.services.ec2.models.tags import tag_specifications
from cloudmock.services.ec2.models.transit_gateway_routes import (
    ASSOCIATION_FILTERS,
    EXPORT_FILTERS,
    PREFIX_REFERENCE_FILTERS,
    ROUTE_FILTERS,
    ROUTE_SEARCHES,
    ROUTE_TABLE_FILTERS,
    RouteView,
    TgwRouteTable,
    parse_cidr,
    route_search,
)
from cloudmock.services.ec2.models.transit_gateways import SHARED_GATEWAYS, PeeringAttachment
from cloudmock.services.ec2.paging import paginate
from cloudmock.services.ec2.responses.common import Ctx, page
from cloudmock.services.ec2.responses.transit_gateways import describe_page, family

if TYPE_CHECKING:
    from cloudmock.services.ec2.models.transit_gateway_routes import TgwRoutes
    from cloudmock.services.ec2.shapes import (
        AssociateTransitGatewayRouteTableResult,
        CreateTransitGatewayPrefixListReferenceResult,
        CreateTransitGatewayRouteResult,
        CreateTransitGatewayRouteTableAnnouncementResult,
        CreateTransitGatewayRouteTableResult,
        DeleteTransitGatewayPrefixListReferenceResult,
        DeleteTransitGatewayRouteResult,
        DeleteTransitGatewayRouteTableAnnouncementResult,
        DeleteTransitGatewayRouteTableResult,
        DescribeTransitGatewayRouteTableAnnouncementsResult,
        DescribeTransitGatewayRouteTablesResult,
        DisableTransitGatewayRouteTablePropagationResult,
        DisassociateTransitGatewayRouteTableResult,
        EnableTransitGatewayRouteTablePropagationResult,
        ExportTransitGatewayRoutesResult,
        Filter,
        GetTransitGatewayAttachmentPropagationsResult,
        GetTransitGatewayPrefixListReferencesResult,
        GetTransitGatewayRouteTableAssociationsResult,
        GetTransitGatewayRouteTablePropagationsResult,
        ModifyTransitGatewayPrefixListReferenceResult,
        ReplaceTransitGatewayRouteResult,
        SearchTransitGatewayRoutesResult,
        TagSpecification,
    )

ROUTE_TABLES: FilterSet[Any] = FilterSet(ROUTE_TABLE_FILTERS)
ROUTES: FilterSet[Any] = FilterSet(ROUTE_FILTERS, tags=lambda r: {})
EXPORTS: FilterSet[Any] = FilterSet(EXPORT_FILTERS, tags=lambda r: {})
REFERENCES: FilterSet[Any] = FilterSet(PREFIX_REFERENCE_FILTERS, tags=lambda p: {})
TABLE_ASSOCIATIONS: FilterSet[Any] = FilterSet(ASSOCIATION_FILTERS)
TABLE_PROPAGATIONS: FilterSet[Any] = FilterSet(ASSOCIATION_FILTERS)
ATTACHMENT_PROPAGATIONS: FilterSet[Any] = FilterSet(
    {"transit-gateway-route-table-id": lambda t: t.id}
)
ANNOUNCEMENTS: FilterSet[Any] = FilterSet({})


def routes_of(ctx: Ctx) -> TgwRoutes:
    return family(ctx).routes


# -- route tables


@operation("CreateTransitGatewayRouteTable")
def create_transit_gateway_route_table(
    ctx: Ctx,
    *,
    TransitGatewayId: str,
    TagSpecifications: list[TagSpecification] | None = None,
) -> CreateTransitGatewayRouteTableResult:
    tgws = family(ctx)
    tags = tag_specifications(TagSpecifications, ("transit-gateway-route-table",))
    gateway = tgws.available_gateway(TransitGatewayId, same_account=True)
    commit()
    table = tgws.routes.create_table(gateway, tags.get("transit-gateway-route-table", {}))
    return {"TransitGatewayRouteTable": table.describe()}


@operation("DescribeTransitGatewayRouteTables", filters=ROUTE_TABLES)
def describe_transit_gateway_route_tables(
    ctx: Ctx,
    *,
    TransitGatewayRouteTableIds: list[str] | None = None,
    Filters: list[Filter] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> DescribeTransitGatewayRouteTablesResult:
    shown, token = describe_page(
        ctx,
        routes_of(ctx).route_tables,
        TransitGatewayRouteTableIds,
        Filters,
        ROUTE_TABLES,
        MaxResults,
        NextToken,
    )
    result: DescribeTransitGatewayRouteTablesResult = {
        "TransitGatewayRouteTables": [t.describe() for t in shown]
    }
    if token:
        result["NextToken"] = token
    return result


@operation("DeleteTransitGatewayRouteTable")
def delete_transit_gateway_route_table(
    ctx: Ctx, *, TransitGatewayRouteTableId: str
) -> DeleteTransitGatewayRouteTableResult:
    routes = routes_of(ctx)
    table = routes.table(TransitGatewayRouteTableId)
    routes.check_delete_table(table)
    commit()
    routes.delete_table(table)
    return {"TransitGatewayRouteTable": table.describe()}


# -- associations


def _association(table: TgwRouteTable, attachment: Any, state: str) -> Any:
    return {
        "TransitGatewayRouteTableId": table.id,
        "TransitGatewayAttachmentId": attachment.id,
        "ResourceId": attachment.resource_id,
        "ResourceType": attachment.resource_type,
        "State": state,
    }


@operation("AssociateTransitGatewayRouteTable")
def associate_transit_gateway_route_table(
    ctx: Ctx, *, TransitGatewayRouteTableId: str, TransitGatewayAttachmentId: str
) -> AssociateTransitGatewayRouteTableResult:
    routes = routes_of(ctx)
    table = routes.live_table(TransitGatewayRouteTableId)
    attachment = family(ctx).attachment(TransitGatewayAttachmentId)
    routes.check_associate(table, attachment)
    commit()
    routes.associate(table, attachment)
    return {"Association": _association(table, attachment, "associating")}


@operation("DisassociateTransitGatewayRouteTable")
def disassociate_transit_gateway_route_table(
    ctx: Ctx, *, TransitGatewayRouteTableId: str, TransitGatewayAttachmentId: str
) -> DisassociateTransitGatewayRouteTableResult:
    routes = routes_of(ctx)
    table = routes.table(TransitGatewayRouteTableId)
    attachment = family(ctx).attachment(TransitGatewayAttachmentId)
    routes.check_disassociate(table, attachment)
    commit()
    routes.disassociate(table, attachment)
    return {"Association": _association(table, attachment, "disassociating")}


@operation("GetTransitGatewayRouteTableAssociations", filters=TABLE_ASSOCIATIONS)
def get_transit_gateway_route_table_associations(
    ctx: Ctx,
    *,
    TransitGatewayRouteTableId: str,
    Filters: list[Filter] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> GetTransitGatewayRouteTableAssociationsResult:
    table = routes_of(ctx).table(TransitGatewayRouteTableId)
    items = apply_filters(
        list(table.associations.values()), Filters, TABLE_ASSOCIATIONS, ctx.operation_model
    )
    shown, token = page(ctx, items, MaxResults, NextToken)
    result: GetTransitGatewayRouteTableAssociationsResult = {
        "Associations": [
            {
                "TransitGatewayAttachmentId": a.id,
                "ResourceId": a.resource_id,
                "ResourceType": a.resource_type,  # type: ignore[typeddict-item]
                "State": a.association_state,  # type: ignore[typeddict-item]
            }
            for a in shown
        ]
    }
    if token:
        result["NextToken"] = token
    return result


# -- propagations


def _propagation(
    table: TgwRouteTable, attachment: Any, state: str, announcement: str | None
) -> Any:
    out = {
        "TransitGatewayAttachmentId": attachment.id,
        "ResourceId": attachment.resource_id,
        "ResourceType": attachment.resource_type,
        "TransitGatewayRouteTableId": table.id,
        "State": state,
    }
    if announcement:
        out["TransitGatewayRouteTableAnnouncementId"] = announcement
    return out


@operation("EnableTransitGatewayRouteTablePropagation")
def enable_transit_gateway_route_table_propagation(
    ctx: Ctx,
    *,
    TransitGatewayRouteTableId: str,
    TransitGatewayAttachmentId: str | None = None,
    TransitGatewayRouteTableAnnouncementId: str | None = None,
) -> EnableTransitGatewayRouteTablePropagationResult:
    routes = routes_of(ctx)
    table = routes.live_table(TransitGatewayRouteTableId)
    attachment, announcement = routes.propagation_target(
        TransitGatewayAttachmentId, TransitGatewayRouteTableAnnouncementId
    )
    routes.check_enable_propagation(table, attachment)
    commit()
    routes.enable_propagation(table, attachment, announcement)
    return {"Propagation": _propagation(table, attachment, "enabled", announcement)}


@operation("DisableTransitGatewayRouteTablePropagation")
def disable_transit_gateway_route_table_propagation(
    ctx: Ctx,
    *,
    TransitGatewayRouteTableId: str,
    TransitGatewayAttachmentId: str | None = None,
    TransitGatewayRouteTableAnnouncementId: str | None = None,
) -> DisableTransitGatewayRouteTablePropagationResult:
    routes = routes_of(ctx)
    table = routes.table(TransitGatewayRouteTableId)
    attachment, _ = routes.propagation_target(
        TransitGatewayAttachmentId, TransitGatewayRouteTableAnnouncementId
    )
    routes.check_disable_propagation(table, attachment)
    commit()
    announcement = routes.disable_propagation(table, attachment)
    return {"Propagation": _propagation(table, attachment, "disabled", announcement)}


@operation("GetTransitGatewayRouteTablePropagations", filters=TABLE_PROPAGATIONS)
def get_transit_gateway_route_table_propagations(
    ctx: Ctx,
    *,
    TransitGatewayRouteTableId: str,
    Filters: list[Filter] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> GetTransitGatewayRouteTablePropagationsResult:
    table = routes_of(ctx).table(TransitGatewayRouteTableId)
    announcements = {a.id: ann for a, ann in table.propagations.values()}
    items = apply_filters(
        [a for a, _ in table.propagations.values()],
        Filters,
        TABLE_PROPAGATIONS,
        ctx.operation_model,
    )
    shown, token = page(ctx, items, MaxResults, NextToken)
    rows: list[Any] = []
    for a in shown:
        row = {
            "TransitGatewayAttachmentId": a.id,
            "ResourceId": a.resource_id,
            "ResourceType": a.resource_type,
            "State": "enabled",
        }
        if announcements.get(a.id):
            row["TransitGatewayRouteTableAnnouncementId"] = announcements[a.id]
        rows.append(row)
    result: GetTransitGatewayRouteTablePropagationsResult = {
        "TransitGatewayRouteTablePropagations": rows
    }
    if token:
        result["NextToken"] = token
    return result


@operation("GetTransitGatewayAttachmentPropagations", filters=ATTACHMENT_PROPAGATIONS)
def get_transit_gateway_attachment_propagations(
    ctx: Ctx,
    *,
    TransitGatewayAttachmentId: str,
    Filters: list[Filter] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> GetTransitGatewayAttachmentPropagationsResult:
    tgws = family(ctx)
    attachment = tgws.attachment(TransitGatewayAttachmentId)
    owner = tgws
    gateway = ctx.backend.shared.get(SHARED_GATEWAYS, {}).get(attachment.tgw_id)
    if gateway is not None:
        owner = tgws.owner_family(gateway)
    tables = [
        t
        for table_id in sorted(attachment.propagating)
        if (t := owner.routes.route_tables.find(table_id)) is not None
    ]
    tables = apply_filters(tables, Filters, ATTACHMENT_PROPAGATIONS, ctx.operation_model)
    shown, token = page(ctx, tables, MaxResults, NextToken)
    result: GetTransitGatewayAttachmentPropagationsResult = {
        "TransitGatewayAttachmentPropagations": [
            {"TransitGatewayRouteTableId": t.id, "State": "enabled"} for t in shown
        ]
    }
    if token:
        result["NextToken"] = token
    return result


# -- routes


@operation("CreateTransitGatewayRoute")
def create_transit_gateway_route(
    ctx: Ctx,
    *,
    DestinationCidrBlock: str,
    TransitGatewayRouteTableId: str,
    TransitGatewayAttachmentId: str | None = None,
    Blackhole: bool | None = None,
) -> CreateTransitGatewayRouteResult:
    routes = routes_of(ctx)
    cidr = parse_cidr(DestinationCidrBlock)
    table = routes.live_table(TransitGatewayRouteTableId)
    attachment = routes.check_route_target(table, TransitGatewayAttachmentId, Blackhole)
    routes.check_new_route(table, cidr)
    commit()
    return {"Route": routes.set_route(table, cidr, attachment, bool(Blackhole)).describe()}


@operation("ReplaceTransitGatewayRoute")
def replace_transit_gateway_route(
    ctx: Ctx,
    *,
    DestinationCidrBlock: str,
    TransitGatewayRouteTableId: str,
    TransitGatewayAttachmentId: str | None = None,
    Blackhole: bool | None = None,
) -> ReplaceTransitGatewayRouteResult:
    routes = routes_of(ctx)
    cidr = parse_cidr(DestinationCidrBlock)
    table = routes.live_table(TransitGatewayRouteTableId)
    attachment = routes.check_route_target(table, TransitGatewayAttachmentId, Blackhole)
    routes.check_existing_route(table, cidr)
    commit()
    return {"Route": routes.set_route(table, cidr, attachment, bool(Blackhole)).describe()}


@operation("DeleteTransitGatewayRoute")
def delete_transit_gateway_route(
    ctx: Ctx, *, TransitGatewayRouteTableId: str, DestinationCidrBlock: str
) -> DeleteTransitGatewayRouteResult:
    routes = routes_of(ctx)
    cidr = parse_cidr(DestinationCidrBlock)
    table = routes.table(TransitGatewayRouteTableId)
    routes.check_existing_route(table, cidr)
    commit()
    return {"Route": routes.delete_route(table, cidr).describe()}


def _search(
    ctx: Ctx, table: TgwRouteTable, filters: list[Filter] | None, filter_set: FilterSet[Any]
) -> list[RouteView]:
    """The table's routes through every filter; route-search.* compare CIDRs, not strings."""
    routes = routes_of(ctx).routes(table)
    plain: list[Filter] = []
    searches: list[Filter] = []
    for spec in filters or ():
        (searches if spec.get("Name") in ROUTE_SEARCHES else plain).append(spec)
    routes = apply_filters(routes, plain, filter_set, ctx.operation_model)
    # checks the searches' names and values the way every filter is checked
    apply_filters([], searches, filter_set, ctx.operation_model)
    for spec in searches:
        routes = route_search(routes, spec["Name"], list(spec.get("Values") or []))
    return routes


@operation("SearchTransitGatewayRoutes", filters=ROUTES)
def search_transit_gateway_routes(
    ctx: Ctx,
    *,
    TransitGatewayRouteTableId: str,
    Filters: list[Filter],
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> SearchTransitGatewayRoutesResult:
    table = routes_of(ctx).table(TransitGatewayRouteTableId)
    routes = _search(ctx, table, Filters, ROUTES)
    limit = 1000 if MaxResults is None else MaxResults
    shown, token = paginate(routes, limit, NextToken, ctx.operation, low=5, high=1000)
    result: SearchTransitGatewayRoutesResult = {
        "Routes": [r.describe() for r in shown],
        "AdditionalRoutesAvailable": token is not None,
    }
    if token:
        result["NextToken"] = token
    return result


@operation("ExportTransitGatewayRoutes", filters=EXPORTS)
def export_transit_gateway_routes(
    ctx: Ctx,
    *,
    TransitGatewayRouteTableId: str,
    S3Bucket: str,
    Filters: list[Filter] | None = None,
) -> ExportTransitGatewayRoutesResult:
    routes = routes_of(ctx)
    table = routes.table(TransitGatewayRouteTableId)
    _search(ctx, table, Filters, EXPORTS)
    location = routes.export_location(table, S3Bucket)
    commit()
    return {"S3Location": location}


# -- prefix list references


@operation("CreateTransitGatewayPrefixListReference")
def create_transit_gateway_prefix_list_reference(
    ctx: Ctx,
    *,
    TransitGatewayRouteTableId: str,
    PrefixListId: str,
    TransitGatewayAttachmentId: str | None = None,
    Blackhole: bool | None = None,
) -> CreateTransitGatewayPrefixListReferenceResult:
    routes = routes_of(ctx)
    table = routes.live_table(TransitGatewayRouteTableId)
    owner, cidrs = routes.prefix_list(PrefixListId)
    attachment = routes.check_route_target(table, TransitGatewayAttachmentId, Blackhole)
    routes.check_new_reference(table, PrefixListId)
    commit()
    ref = routes.set_reference(table, PrefixListId, owner, cidrs, attachment, bool(Blackhole))
    return {"TransitGatewayPrefixListReference": routes.describe_reference(table, ref)}


@operation("ModifyTransitGatewayPrefixListReference")
def modify_transit_gateway_prefix_list_reference(
    ctx: Ctx,
    *,
    TransitGatewayRouteTableId: str,
    PrefixListId: str,
    TransitGatewayAttachmentId: str | None = None,
    Blackhole: bool | None = None,
) -> ModifyTransitGatewayPrefixListReferenceResult:
    routes = routes_of(ctx)
    table = routes.live_table(TransitGatewayRouteTableId)
    ref = routes.reference(table, PrefixListId)
    attachment = routes.check_route_target(table, TransitGatewayAttachmentId, Blackhole)
    commit()
    ref = routes.set_reference(
        table, PrefixListId, ref.owner_id, ref.cidrs, attachment, bool(Blackhole)
    )
    return {"TransitGatewayPrefixListReference": routes.describe_reference(table, ref)}


@operation("DeleteTransitGatewayPrefixListReference")
def delete_transit_gateway_prefix_list_reference(
    ctx: Ctx, *, TransitGatewayRouteTableId: str, PrefixListId: str
) -> DeleteTransitGatewayPrefixListReferenceResult:
    routes = routes_of(ctx)
    table = routes.table(TransitGatewayRouteTableId)
    routes.reference(table, PrefixListId)
    commit()
    ref = routes.delete_reference(table, PrefixListId)
    return {"TransitGatewayPrefixListReference": routes.describe_reference(table, ref)}


@operation("GetTransitGatewayPrefixListReferences", filters=REFERENCES)
def get_transit_gateway_prefix_list_references(
    ctx: Ctx,
    *,
    TransitGatewayRouteTableId: str,
    Filters: list[Filter] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> GetTransitGatewayPrefixListReferencesResult:
    routes = routes_of(ctx)
    table = routes.table(TransitGatewayRouteTableId)
    rows = []
    for ref in table.prefix_references.values():
        shape = routes.describe_reference(table, ref)
        rows.append((table, ref, shape.get("TransitGatewayAttachment")))
    rows = apply_filters(rows, Filters, REFERENCES, ctx.operation_model)
    shown, token = page(ctx, rows, MaxResults, NextToken)
    result: GetTransitGatewayPrefixListReferencesResult = {
        "TransitGatewayPrefixListReferences": [
            routes.describe_reference(table, ref) for _, ref, _ in shown
        ]
    }
    if token:
        result["NextToken"] = token
    return result


# -- route table announcements


@operation("CreateTransitGatewayRouteTableAnnouncement")
def create_transit_gateway_route_table_announcement(
    ctx: Ctx,
    *,
    TransitGatewayRouteTableId: str,
    PeeringAttachmentId: str,
    TagSpecifications: list[TagSpecification] | None = None,
) -> CreateTransitGatewayRouteTableAnnouncementResult:
    routes = routes_of(ctx)
    tags = tag_specifications(TagSpecifications, ("transit-gateway-route-table-announcement",))
    table = routes.live_table(TransitGatewayRouteTableId)
    attachment = family(ctx).attachment_of(PeeringAttachmentId, PeeringAttachment)
    routes.check_announcement(table, attachment)
    commit()
    announcement = routes.create_announcement(
        table, attachment, tags.get("transit-gateway-route-table-announcement", {})
    )
    return {"TransitGatewayRouteTableAnnouncement": announcement.describe()}


@operation("DescribeTransitGatewayRouteTableAnnouncements", filters=ANNOUNCEMENTS)
def describe_transit_gateway_route_table_announcements(
    ctx: Ctx,
    *,
    TransitGatewayRouteTableAnnouncementIds: list[str] | None = None,
    Filters: list[Filter] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> DescribeTransitGatewayRouteTableAnnouncementsResult:
    shown, token = describe_page(
        ctx,
        routes_of(ctx).announcements,
        TransitGatewayRouteTableAnnouncementIds,
        Filters,
        ANNOUNCEMENTS,
        MaxResults,
        NextToken,
    )
    result: DescribeTransitGatewayRouteTableAnnouncementsResult = {
        "TransitGatewayRouteTableAnnouncements": [a.describe() for a in shown]
    }
    if token:
        result["NextToken"] = token
    return result


@operation("DeleteTransitGatewayRouteTableAnnouncement")
def delete_transit_gateway_route_table_announcement(
    ctx: Ctx, *, TransitGatewayRouteTableAnnouncementId: str
) -> DeleteTransitGatewayRouteTableAnnouncementResult:
    routes = routes_of(ctx)
    announcement = routes.announcement(TransitGatewayRouteTableAnnouncementId)
    routes.check_delete_announcement(announcement)
    commit()
    routes.delete_announcement(announcement)
    return {"TransitGatewayRouteTableAnnouncement": announcement.describe()}
