"""Transit gateway route tables: associations, propagations, static and propagated routes,
prefix list references and route table announcements."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from cloudmock.core.errors import (
    InvalidParameterCombination,
    InvalidParameterValue,
    MissingParameter,
    ServiceError,
)
from cloudmock.services.ec2.data.aws_prefix_lists import aws_prefix_lists
from cloudmock.services.ec2.models.base import Resource, ResourceKind, Store
from cloudmock.services.ec2.models.transit_gateway_kinds import ANNOUNCEMENT, ROUTE_TABLE
from cloudmock.services.ec2.models.transit_gateways import (
    GONE,
    Attachment,
    PeeringAttachment,
    TransitGateway,
)

if TYPE_CHECKING:
    from cloudmock.services.ec2.models.transit_gateways import TransitGateways
    from cloudmock.services.ec2.shapes import (
        TransitGatewayPrefixListReference as PrefixListReferenceShape,
    )
    from cloudmock.services.ec2.shapes import (
        TransitGatewayRoute as RouteShape,
    )
    from cloudmock.services.ec2.shapes import (
        TransitGatewayRouteTable as RouteTableShape,
    )
    from cloudmock.services.ec2.shapes import (
        TransitGatewayRouteTableAnnouncement as AnnouncementShape,
    )

PREFIX_LIST = ResourceKind("pl", "prefix-list", "InvalidPrefixListID", "prefix list ID")
_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")


@dataclass
class StaticRoute:
    attachment_id: str | None
    blackhole: bool


@dataclass
class PrefixListReference:
    prefix_list_id: str
    owner_id: str
    attachment_id: str | None
    blackhole: bool
    cidrs: list[str]
    state: str = "available"


@dataclass(eq=False)
class TgwRouteTable(Resource):
    tgw_id: str
    gateway: TransitGateway = field(repr=False)
    creation_time: datetime
    state: str = "pending"
    generation: int = 0
    #: attachment id -> attachment, for the attachments associated with the table
    associations: dict[str, Attachment] = field(default_factory=dict)
    #: attachment id -> (attachment, announcement id) propagating into the table
    propagations: dict[str, tuple[Attachment, str | None]] = field(default_factory=dict)
    static: dict[str, StaticRoute] = field(default_factory=dict)
    prefix_references: dict[str, PrefixListReference] = field(default_factory=dict)

    @property
    def default_association(self) -> bool:
        return self.gateway.options.association_default_route_table_id == self.id

    @property
    def default_propagation(self) -> bool:
        return self.gateway.options.propagation_default_route_table_id == self.id

    def describe(self) -> RouteTableShape:
        out: RouteTableShape = {
            "TransitGatewayRouteTableId": self.id,
            "TransitGatewayId": self.tgw_id,
            "State": self.state,  # type: ignore[typeddict-item]
            "DefaultAssociationRouteTable": self.default_association,
            "DefaultPropagationRouteTable": self.default_propagation,
            "CreationTime": self.creation_time,
        }
        if self.tags:
            out["Tags"] = self.tag_list()
        return out


@dataclass
class RouteView:
    """One route of a table as SearchTransitGatewayRoutes shows it."""

    cidr: str
    type: str
    state: str
    attachments: list[Attachment]
    prefix_list_id: str | None = None
    announcement_id: str | None = None

    @property
    def network(self) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
        return ipaddress.ip_network(self.cidr)

    def describe(self) -> RouteShape:
        out: RouteShape = {
            "DestinationCidrBlock": self.cidr,
            "Type": self.type,  # type: ignore[typeddict-item]
            "State": self.state,  # type: ignore[typeddict-item]
        }
        if self.attachments:
            out["TransitGatewayAttachments"] = [
                {
                    "ResourceId": a.resource_id,
                    "TransitGatewayAttachmentId": a.id,
                    "ResourceType": a.resource_type,  # type: ignore[typeddict-item]
                }
                for a in self.attachments
            ]
        if self.prefix_list_id:
            out["PrefixListId"] = self.prefix_list_id
        if self.announcement_id:
            out["TransitGatewayRouteTableAnnouncementId"] = self.announcement_id
        return out


@dataclass(eq=False)
class Announcement(Resource):
    tgw_id: str
    route_table_id: str
    peering_attachment_id: str
    peer_tgw_id: str
    creation_time: datetime
    direction: str = "outgoing"
    state: str = "pending"
    generation: int = 0

    def describe(self) -> AnnouncementShape:
        out: AnnouncementShape = {
            "TransitGatewayRouteTableAnnouncementId": self.id,
            "TransitGatewayId": self.tgw_id,
            "PeerTransitGatewayId": self.peer_tgw_id,
            "PeeringAttachmentId": self.peering_attachment_id,
            "AnnouncementDirection": self.direction,  # type: ignore[typeddict-item]
            "TransitGatewayRouteTableId": self.route_table_id,
            "State": self.state,  # type: ignore[typeddict-item]
            "CreationTime": self.creation_time,
        }
        if self.tags:
            out["Tags"] = self.tag_list()
        return out


def parse_cidr(cidr: str, what: str = "destinationCidrBlock") -> str:
    try:
        return str(ipaddress.ip_network(cidr, strict=True))
    except ValueError:
        raise InvalidParameterValue(
            f"Value ({cidr}) for parameter {what} is invalid. This is not a valid CIDR block."
        ) from None


def _prefix_attachment(family: TransitGateways, ref: PrefixListReference) -> Any:
    if ref.attachment_id is None:
        return None
    attachment = family.attachments.find(ref.attachment_id)
    if attachment is None:
        return None
    return {
        "TransitGatewayAttachmentId": attachment.id,
        "ResourceType": attachment.resource_type,
        "ResourceId": attachment.resource_id,
    }


class TgwRoutes:
    """The route-table half of a region's transit gateway family."""

    def __init__(self, family: TransitGateways) -> None:
        self.family = family
        backend = family.backend
        self.route_tables: Store[TgwRouteTable] = backend.new_store(ROUTE_TABLE)
        self.route_tables.add_index("tgw", lambda t: t.tgw_id)
        self.announcements: Store[Announcement] = backend.new_store(ANNOUNCEMENT)
        self.announcements.add_index("tgw", lambda a: a.tgw_id)
        backend.depends_on("pl", self._prefix_list_user)
        #: prefix list id -> route tables referencing it
        self._by_prefix_list: dict[str, set[str]] = {}
        backend.prefix_lists.association_sources.append(self._prefix_list_associations)

    def _prefix_list_associations(self, prefix_list_id: str) -> list[tuple[str, str]]:
        """(route table id, owner) of the tables referencing the list
        (GetManagedPrefixListAssociations)."""
        out = []
        for table_id in sorted(self._by_prefix_list.get(prefix_list_id, ())):
            table = self.route_tables.find(table_id)
            if table is not None and table.state not in GONE:
                out.append((table.id, table.gateway.owner_id))
        return out

    def _prefix_list_user(self, prefix_list_id: str) -> str | None:
        for table_id in self._by_prefix_list.get(prefix_list_id, ()):
            return f"transit gateway route table {table_id}"
        return None

    # -- tables

    def table(self, table_id: str) -> TgwRouteTable:
        found = self.route_tables.find(table_id)
        if found is None or found.state == "deleted":
            self.route_tables.check_id(table_id)
            raise ROUTE_TABLE.not_found([table_id])
        return found

    def live_table(self, table_id: str) -> TgwRouteTable:
        table = self.table(table_id)
        if table.state in GONE:
            raise ServiceError(
                f"{table_id} is in invalid state {table.state}.", code="IncorrectState"
            )
        return table

    def create_table(
        self, gateway: TransitGateway, tags: dict[str, str], default: bool = False
    ) -> TgwRouteTable:
        family = self.family
        table = self.route_tables.add(
            TgwRouteTable(
                id=family.backend.ids.new("tgw-rtb"),
                tgw_id=gateway.id,
                gateway=gateway,
                creation_time=family.now(),
                tags=tags,
            )
        )
        family.transition(table, "pending", family._to_available)
        return table

    def check_delete_table(self, table: TgwRouteTable) -> None:
        if table.state in GONE:
            raise ServiceError(
                f"{table.id} is in invalid state {table.state}.", code="IncorrectState"
            )
        if table.default_association or table.default_propagation:
            raise ServiceError(
                f"{table.id} is the default route table of {table.tgw_id} and cannot be deleted.",
                code="IncorrectState",
            )
        if table.associations:
            raise ServiceError(
                f"{table.id} has associated attachments: {', '.join(table.associations)}.",
                code="IncorrectState",
            )
        self.family.extras.check_route_table_delete(table)

    def delete_table(self, table: TgwRouteTable) -> None:
        for attachment, _ in list(table.propagations.values()):
            attachment.propagating.discard(table.id)
        table.propagations.clear()
        for ref in table.prefix_references.values():
            self._by_prefix_list.get(ref.prefix_list_id, set()).discard(table.id)
        self.family.transition(table, "deleting", self.family._to_deleted)

    def drop_gateway(self, gateway: TransitGateway) -> None:
        """DeleteTransitGateway: its route tables and announcements go with it."""
        for table in self.route_tables.lookup("tgw", gateway.id):
            if table.state not in GONE:
                for attachment in list(table.associations.values()):
                    attachment.route_table_id = None
                table.associations.clear()
                self.delete_table(table)
        for announcement in self.announcements.lookup("tgw", gateway.id):
            if announcement.state not in GONE:
                self.family.transition(announcement, "deleting", self.family._to_deleted)

    def forget_attachment(self, attachment: Attachment) -> None:
        if attachment.route_table_id is not None:
            table = self.route_tables.find(attachment.route_table_id)
            if table is not None:
                table.associations.pop(attachment.id, None)
            attachment.route_table_id = None
        for table_id in list(attachment.propagating):
            table = self.route_tables.find(table_id)
            if table is not None:
                table.propagations.pop(attachment.id, None)
        attachment.propagating.clear()

    # -- associations and propagations

    def check_same_gateway(self, table: TgwRouteTable, attachment: Attachment) -> None:
        if attachment.tgw_id != table.tgw_id:
            raise InvalidParameterValue(
                f"Transit Gateway Attachment {attachment.id} and Transit Gateway Route Table "
                f"{table.id} belong to different transit gateways."
            )

    def check_usable(self, attachment: Attachment) -> None:
        if attachment.state not in ("available", "pending", "modifying"):
            raise ServiceError(
                f"{attachment.id} is in invalid state {attachment.state}.", code="IncorrectState"
            )

    def check_associate(self, table: TgwRouteTable, attachment: Attachment) -> None:
        self.check_same_gateway(table, attachment)
        self.check_usable(attachment)
        if attachment.route_table_id is not None:
            raise ServiceError(
                f"Transit Gateway Attachment {attachment.id} is already associated to a route "
                "table.",
                code="Resource.AlreadyAssociated",
            )
        if attachment.policy_table_id is not None:
            raise ServiceError(
                f"Transit Gateway Attachment {attachment.id} is already associated to a policy "
                "table.",
                code="Resource.AlreadyAssociated",
            )

    def associate(self, table: TgwRouteTable, attachment: Attachment) -> None:
        attachment.route_table_id = table.id
        attachment.association_state = "associated"
        table.associations[attachment.id] = attachment

    def check_disassociate(self, table: TgwRouteTable, attachment: Attachment) -> None:
        if attachment.route_table_id != table.id:
            raise ServiceError(
                f"Transit Gateway Attachment {attachment.id} is not associated with Transit "
                f"Gateway Route Table {table.id}.",
                code="InvalidAssociation.NotFound",
            )

    def disassociate(self, table: TgwRouteTable, attachment: Attachment) -> None:
        table.associations.pop(attachment.id, None)
        attachment.route_table_id = None

    def check_enable_propagation(self, table: TgwRouteTable, attachment: Attachment) -> None:
        self.check_same_gateway(table, attachment)
        self.check_usable(attachment)
        if attachment.id in table.propagations:
            raise ServiceError(
                f"Propagation already exists for Transit Gateway Attachment {attachment.id} in "
                f"Transit Gateway Route Table {table.id}.",
                code="TransitGatewayRouteTablePropagation.Duplicate",
            )

    def enable_propagation(
        self, table: TgwRouteTable, attachment: Attachment, announcement_id: str | None = None
    ) -> None:
        table.propagations[attachment.id] = (attachment, announcement_id)
        attachment.propagating.add(table.id)

    def check_disable_propagation(self, table: TgwRouteTable, attachment: Attachment) -> None:
        if attachment.id not in table.propagations:
            raise ServiceError(
                f"No propagation for Transit Gateway Attachment {attachment.id} in Transit "
                f"Gateway Route Table {table.id}.",
                code="TransitGatewayRouteTablePropagation.NotFound",
            )

    def disable_propagation(self, table: TgwRouteTable, attachment: Attachment) -> str | None:
        _, announcement_id = table.propagations.pop(attachment.id)
        attachment.propagating.discard(table.id)
        return announcement_id

    def propagation_target(
        self, attachment_id: str | None, announcement_id: str | None
    ) -> tuple[Attachment, str | None]:
        """The attachment a propagation names, directly or through a route table announcement."""
        if attachment_id is None and announcement_id is None:
            raise MissingParameter("TransitGatewayAttachmentId")
        if announcement_id is not None:
            announcement = self.announcement(announcement_id)
            if attachment_id is not None and attachment_id != announcement.peering_attachment_id:
                raise InvalidParameterCombination(
                    f"Transit Gateway Route Table Announcement {announcement_id} does not belong "
                    f"to {attachment_id}."
                )
            attachment_id = announcement.peering_attachment_id
        assert attachment_id is not None
        return self.family.attachment(attachment_id), announcement_id

    # -- static routes

    def check_route_target(
        self, table: TgwRouteTable, attachment_id: str | None, blackhole: bool | None
    ) -> Attachment | None:
        if blackhole and attachment_id:
            raise InvalidParameterCombination(
                "The parameters transitGatewayAttachmentId and blackhole cannot be used together."
            )
        if not blackhole and not attachment_id:
            raise MissingParameter("TransitGatewayAttachmentId")
        if attachment_id is None:
            return None
        attachment = self.family.attachment(attachment_id)
        self.check_same_gateway(table, attachment)
        return attachment

    def check_new_route(self, table: TgwRouteTable, cidr: str) -> None:
        if cidr in table.static:
            raise ServiceError(
                f"Route {cidr} already exists in Transit Gateway Route Table {table.id}.",
                code="RouteAlreadyExists",
            )

    def check_existing_route(self, table: TgwRouteTable, cidr: str) -> None:
        if cidr not in table.static:
            raise ServiceError(
                f"No route with destination-cidr-block {cidr} in Transit Gateway Route Table "
                f"{table.id}.",
                code="InvalidRoute.NotFound",
            )

    def set_route(
        self, table: TgwRouteTable, cidr: str, attachment: Attachment | None, blackhole: bool
    ) -> RouteView:
        table.static[cidr] = StaticRoute(attachment.id if attachment else None, blackhole)
        return self._static_view(cidr, table.static[cidr])

    def delete_route(self, table: TgwRouteTable, cidr: str) -> RouteView:
        route = table.static.pop(cidr)
        view = self._static_view(cidr, route)
        view.state = "deleted"
        return view

    def _static_view(self, cidr: str, route: StaticRoute) -> RouteView:
        attachment = (
            self.family.attachments.find(route.attachment_id) if route.attachment_id else None
        )
        if route.blackhole or attachment is None:
            return RouteView(cidr, "static", "blackhole", [])
        state = "active" if attachment.state == "available" else "blackhole"
        return RouteView(cidr, "static", state, [attachment])

    def routes(self, table: TgwRouteTable) -> list[RouteView]:
        """Every route of the table: static ones over propagated ones, then prefix lists."""
        backend = self.family.backend
        out: dict[str, RouteView] = {}
        for attachment, announcement_id in table.propagations.values():
            if attachment.state != "available":
                continue
            for cidr in attachment.cidrs(backend):
                view = out.get(cidr)
                if view is None:
                    out[cidr] = RouteView(
                        cidr, "propagated", "active", [attachment], announcement_id=announcement_id
                    )
                else:
                    view.attachments.append(attachment)
        for cidr, route in table.static.items():
            out[cidr] = self._static_view(cidr, route)
        views = list(out.values())
        for ref in table.prefix_references.values():
            target = self.family.attachments.find(ref.attachment_id) if ref.attachment_id else None
            for cidr in ref.cidrs:
                if cidr in out:
                    continue
                if ref.blackhole or target is None:
                    views.append(RouteView(cidr, "static", "blackhole", [], ref.prefix_list_id))
                else:
                    state = "active" if target.state == "available" else "blackhole"
                    views.append(RouteView(cidr, "static", state, [target], ref.prefix_list_id))
        views.sort(key=lambda v: (v.network.version, v.network))
        return views

    # -- prefix list references

    def prefix_list(self, prefix_list_id: str) -> tuple[str, list[str]]:
        """(owner, CIDRs) of a prefix list: a customer-managed one or an AWS-managed one."""
        backend = self.family.backend
        for managed in aws_prefix_lists(backend.region):
            if managed.id == prefix_list_id:
                return "AWS", list(managed.cidrs)
        if not PREFIX_LIST.id_pattern.match(prefix_list_id):
            raise PREFIX_LIST.malformed(prefix_list_id)
        if backend.exists(prefix_list_id):
            found: Any = backend.resource(prefix_list_id)
            cidrs = getattr(found, "cidrs", None)
            if callable(cidrs):
                cidrs = cidrs()
            return getattr(found, "owner_id", backend.account_id), list(cidrs or [])
        raise PREFIX_LIST.not_found([prefix_list_id])

    def check_new_reference(self, table: TgwRouteTable, prefix_list_id: str) -> None:
        if prefix_list_id in table.prefix_references:
            raise ServiceError(
                f"A reference to prefix list {prefix_list_id} already exists in Transit Gateway "
                f"Route Table {table.id}.",
                code="RouteAlreadyExists",
            )

    def reference(self, table: TgwRouteTable, prefix_list_id: str) -> PrefixListReference:
        ref = table.prefix_references.get(prefix_list_id)
        if ref is None:
            if not PREFIX_LIST.id_pattern.match(prefix_list_id):
                raise PREFIX_LIST.malformed(prefix_list_id)
            raise ServiceError(
                f"No reference to prefix list {prefix_list_id} in Transit Gateway Route Table "
                f"{table.id}.",
                code="InvalidRoute.NotFound",
            )
        return ref

    def set_reference(
        self,
        table: TgwRouteTable,
        prefix_list_id: str,
        owner: str,
        cidrs: list[str],
        attachment: Attachment | None,
        blackhole: bool,
    ) -> PrefixListReference:
        ref = PrefixListReference(
            prefix_list_id, owner, attachment.id if attachment else None, blackhole, cidrs
        )
        table.prefix_references[prefix_list_id] = ref
        self._by_prefix_list.setdefault(prefix_list_id, set()).add(table.id)
        return ref

    def delete_reference(self, table: TgwRouteTable, prefix_list_id: str) -> PrefixListReference:
        ref = table.prefix_references.pop(prefix_list_id)
        self._by_prefix_list.get(prefix_list_id, set()).discard(table.id)
        ref.state = "deleting"
        return ref

    def describe_reference(
        self, table: TgwRouteTable, ref: PrefixListReference
    ) -> PrefixListReferenceShape:
        out: PrefixListReferenceShape = {
            "TransitGatewayRouteTableId": table.id,
            "PrefixListId": ref.prefix_list_id,
            "PrefixListOwnerId": ref.owner_id,
            "State": ref.state,  # type: ignore[typeddict-item]
            "Blackhole": ref.blackhole,
        }
        attachment = _prefix_attachment(self.family, ref)
        if attachment is not None:
            out["TransitGatewayAttachment"] = attachment
        return out

    # -- exports

    def export_location(self, table: TgwRouteTable, bucket: str) -> str:
        if not _BUCKET.match(bucket):
            raise InvalidParameterValue(f"The S3 bucket name {bucket} is not valid.")
        stamp = self.family.now().strftime("%Y%m%dT%H%M%SZ")
        return f"s3://{bucket}/VPCTransitGateway/TransitGatewayRouteTables/{table.id}-{stamp}.json"

    # -- route table announcements

    def announcement(self, announcement_id: str) -> Announcement:
        found = self.announcements.find(announcement_id)
        if found is None or found.state == "deleted":
            self.announcements.check_id(announcement_id)
            raise ANNOUNCEMENT.not_found([announcement_id])
        return found

    def check_announcement(self, table: TgwRouteTable, attachment: Attachment) -> None:
        if not isinstance(attachment, PeeringAttachment):
            raise InvalidParameterValue(f"{attachment.id} is not a peering attachment.")
        self.check_same_gateway(table, attachment)
        if attachment.state != "available":
            raise ServiceError(
                f"{attachment.id} is in invalid state {attachment.state}.", code="IncorrectState"
            )

    def create_announcement(
        self, table: TgwRouteTable, attachment: Attachment, tags: dict[str, str]
    ) -> Announcement:
        family = self.family
        announcement = self.announcements.add(
            Announcement(
                id=family.backend.ids.new("tgw-rtb-announcement"),
                tgw_id=table.tgw_id,
                route_table_id=table.id,
                peering_attachment_id=attachment.id,
                peer_tgw_id=attachment.resource_id,
                creation_time=family.now(),
                tags=tags,
            )
        )
        family.transition(announcement, "pending", family._to_available)
        return announcement

    def check_delete_announcement(self, announcement: Announcement) -> None:
        if announcement.state in GONE:
            raise ServiceError(
                f"{announcement.id} is in invalid state {announcement.state}.",
                code="IncorrectState",
            )

    def delete_announcement(self, announcement: Announcement) -> None:
        for table in self.route_tables.lookup("tgw", announcement.tgw_id):
            for attachment_id, (attachment, used) in list(table.propagations.items()):
                if used == announcement.id:
                    del table.propagations[attachment_id]
                    attachment.propagating.discard(table.id)
        self.family.transition(announcement, "deleting", self.family._to_deleted)


def _route_attachment_values(attr: str) -> Any:
    return lambda r: [getattr(a, attr) for a in r.attachments]


ROUTE_TABLE_FILTERS = {
    "default-association-route-table": lambda t: t.default_association,
    "default-propagation-route-table": lambda t: t.default_propagation,
    "state": lambda t: t.state,
    "transit-gateway-id": lambda t: t.tgw_id,
    "transit-gateway-route-table-id": lambda t: t.id,
}

#: the route-search.* filters compare CIDRs; the handler applies them (see ``route_search``)
ROUTE_FILTERS = {
    "attachment.resource-id": _route_attachment_values("resource_id"),
    "attachment.resource-type": _route_attachment_values("resource_type"),
    "attachment.transit-gateway-attachment-id": _route_attachment_values("id"),
    "prefix-list-id": lambda r: r.prefix_list_id,
    "route-search.exact-match": lambda r: r.cidr,
    "route-search.longest-prefix-match": lambda r: r.cidr,
    "route-search.subnet-of-match": lambda r: r.cidr,
    "route-search.supernet-of-match": lambda r: r.cidr,
    "state": lambda r: r.state,
    "type": lambda r: r.type,
}

EXPORT_FILTERS = {
    name: getter
    for name, getter in ROUTE_FILTERS.items()
    if name not in ("prefix-list-id", "attachment.resource-type")
}
EXPORT_FILTERS["transit-gateway-route-destination-cidr-block"] = lambda r: r.cidr

ROUTE_SEARCHES = (
    "route-search.exact-match",
    "route-search.longest-prefix-match",
    "route-search.subnet-of-match",
    "route-search.supernet-of-match",
)


def route_search(routes: list[RouteView], name: str, values: list[str]) -> list[RouteView]:
    """Routes by how their CIDR relates to the filter's: equal, longest prefix, within, containing."""
    wanted = [ipaddress.ip_network(parse_cidr(v, name), strict=False) for v in values]
    if name == "route-search.exact-match":
        return [r for r in routes if any(r.network == w for w in wanted)]
    if name == "route-search.subnet-of-match":
        return [
            r
            for r in routes
            if any(r.network.version == w.version and r.network.subnet_of(w) for w in wanted)  # type: ignore[arg-type]
        ]
    if name == "route-search.supernet-of-match":
        return [
            r
            for r in routes
            if any(r.network.version == w.version and r.network.supernet_of(w) for w in wanted)  # type: ignore[arg-type]
        ]
    out: list[RouteView] = []
    for w in wanted:
        containing = [
            r
            for r in routes
            if r.network.version == w.version and r.network.supernet_of(w)  # type: ignore[arg-type]
        ]
        if containing:
            best = max(r.network.prefixlen for r in containing)
            out += [r for r in containing if r.network.prefixlen == best and r not in out]
    return out


PREFIX_REFERENCE_FILTERS = {
    "attachment.resource-id": lambda p: p[2]["ResourceId"] if p[2] else None,
    "attachment.resource-type": lambda p: p[2]["ResourceType"] if p[2] else None,
    "attachment.transit-gateway-attachment-id": lambda p: p[1].attachment_id,
    "is-blackhole": lambda p: p[1].blackhole,
    "prefix-list-id": lambda p: p[1].prefix_list_id,
    "prefix-list-owner-id": lambda p: p[1].owner_id,
    "state": lambda p: p[1].state,
}

ASSOCIATION_FILTERS = {
    "resource-id": lambda a: a.resource_id,
    "resource-type": lambda a: a.resource_type,
    "transit-gateway-attachment-id": lambda a: a.id,
}
