"""Route tables, their routes and associations."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cloudmock.core.errors import (
    InvalidParameterCombination,
    InvalidParameterValue,
    MissingParameter,
    ServiceError,
)
from cloudmock.services.ec2.data.aws_prefix_lists import aws_prefix_lists
from cloudmock.services.ec2.models.base import Resource, ResourceKind, Store

if TYPE_CHECKING:
    from cloudmock.services.ec2.models.backend import Ec2Backend
    from cloudmock.services.ec2.shapes import Route as RouteShape
    from cloudmock.services.ec2.shapes import RouteTable as RouteTableShape
    from cloudmock.services.ec2.shapes import RouteTableAssociation as AssociationShape


@dataclass(frozen=True)
class MixedCaseKind(ResourceKind):
    """A kind whose Malformed code is spelled apart from its NotFound one, as EC2 does
    (``InvalidRouteTableID.NotFound`` but ``InvalidRouteTableId.Malformed``)."""

    malformed_stem: str = ""

    def malformed(self, value: str) -> ServiceError:
        return ServiceError(
            f'Invalid id: "{value}" (expecting "{self.prefix}-...")',
            code=f"{self.malformed_stem or self.error_stem}.Malformed",
        )


ROUTE_TABLE = MixedCaseKind(
    "rtb",
    "route-table",
    "InvalidRouteTableID",
    "routeTable ID",
    malformed_stem="InvalidRouteTableId",
)
#: routes a table may hold (EC2's default quota; propagated routes aside)
ROUTE_LIMIT = 50
#: route tables a VPC may have
ROUTE_TABLE_LIMIT = 200

#: the target members of CreateRoute / ReplaceRoute, in the order EC2 names them
TARGET_MEMBERS = (
    "GatewayId",
    "EgressOnlyInternetGatewayId",
    "NatGatewayId",
    "NetworkInterfaceId",
    "InstanceId",
    "VpcPeeringConnectionId",
    "TransitGatewayId",
    "LocalGatewayId",
    "CarrierGatewayId",
    "CoreNetworkArn",
    "OdbNetworkArn",
    "VpcEndpointId",
)

#: id prefix -> the NotFound stem and noun EC2 uses for a target whose family is missing
_TARGET_KINDS: dict[str, tuple[str, str]] = {
    "igw": ("InvalidInternetGatewayID", "internet gateway ID"),
    "vgw": ("InvalidVpnGatewayID", "vpn gateway ID"),
    "vpce": ("InvalidVpcEndpointId", "vpc endpoint ID"),
    "eigw": ("InvalidEgressOnlyInternetGatewayId", "egress only internet gateway ID"),
    "nat": ("NatGatewayNotFound", "nat gateway ID"),
    "eni": ("InvalidNetworkInterfaceID", "network interface ID"),
    "i": ("InvalidInstanceID", "instance ID"),
    "pcx": ("InvalidVpcPeeringConnectionID", "vpc peering connection ID"),
    "tgw": ("InvalidTransitGatewayID", "transitGateway ID"),
    "lgw": ("InvalidLocalGatewayID", "local gateway ID"),
    "cagw": ("InvalidCarrierGatewayID", "carrier gateway ID"),
}

#: what a route more specific than the VPC's own range may point at (middlebox routing)
_MIDDLEBOX_TARGETS = (
    "NetworkInterfaceId",
    "InstanceId",
    "VpcEndpointId",
    "NatGatewayId",
    "TransitGatewayId",
)

_ARN = {
    "CoreNetworkArn": re.compile(r"^arn:aws[a-z-]*:networkmanager::\d{12}:core-network/.+$"),
    "OdbNetworkArn": re.compile(r"^arn:aws[a-z-]*:odb:[a-z0-9-]+:\d{12}:odb-network/.+$"),
}


@dataclass
class Route:
    """One route a table holds; the destination is a CIDR (v4 or v6) or a prefix list id."""

    destination: str
    #: "DestinationCidrBlock", "DestinationIpv6CidrBlock" or "DestinationPrefixListId"
    destination_member: str
    #: the request member that named the target ("GatewayId", "NatGatewayId", ...)
    target_member: str
    target: str
    origin: str = "CreateRoute"
    #: an instance target routes to its primary interface
    interface_id: str | None = None
    instance_owner_id: str | None = None


@dataclass
class Association:
    id: str
    route_table_id: str
    subnet_id: str | None = None
    gateway_id: str | None = None
    public_ipv4_pool: str | None = None
    main: bool = False

    def describe(self) -> AssociationShape:
        out: AssociationShape = {
            "Main": self.main,
            "RouteTableAssociationId": self.id,
            "RouteTableId": self.route_table_id,
            "AssociationState": {"State": "associated"},
        }
        if self.subnet_id:
            out["SubnetId"] = self.subnet_id
        if self.gateway_id:
            out["GatewayId"] = self.gateway_id
        if self.public_ipv4_pool:
            out["PublicIpv4Pool"] = self.public_ipv4_pool
        return out


@dataclass
class RouteTable(Resource):
    vpc_id: str
    owner_id: str
    main: bool
    #: the main association's id while the table is the VPC's main table
    association_id: str | None
    vpc_cidr: str
    gateway_id: str | None = None
    family: RouteTables | None = field(default=None, repr=False, compare=False)
    routes: list[Route] = field(default_factory=list)
    #: replaced local routes: VPC CIDR -> the route that now stands for it
    local_overrides: dict[str, Route] = field(default_factory=dict)
    associations: dict[str, Association] = field(default_factory=dict)

    def describe(self) -> RouteTableShape:
        assert self.family is not None
        return self.family.describe(self)


def _route_key(route: Route) -> tuple[str, str]:
    return route.destination_member, route.destination


def _normal_cidr(value: str, member: str, version: int) -> str:
    wire = member[0].lower() + member[1:]
    try:
        network = ipaddress.ip_network(value, strict=False)
    except ValueError:
        network = None
    if network is None or network.version != version or "/" not in value:
        raise InvalidParameterValue(
            f"Value ({value}) for parameter {wire} is invalid. This is not a valid CIDR block."
        )
    return str(network)


class RouteTables:
    """The route-table family of one region."""

    def __init__(self, backend: Ec2Backend) -> None:
        self.backend = backend
        self.store: Store[RouteTable] = backend.new_store(ROUTE_TABLE)
        self.store.add_index("vpc", lambda t: t.vpc_id)
        self.store.add_index("vpc-main", lambda t: (t.vpc_id, t.main))
        #: other families' routes in a table, as DescribeRouteTables shows them (a gateway
        #: endpoint's prefix-list route, a VPN gateway's propagated routes); each source is
        #: asked when a table is described, so nothing has to be kept in step
        self.route_sources: list[Callable[[RouteTable], list[RouteShape]]] = []
        #: the virtual private gateways propagating into a table (``PropagatingVgws``)
        self.propagation_sources: list[Callable[[RouteTable], list[str]]] = []
        #: every association by id, and the subnet / gateway each one binds
        self.associations: dict[str, Association] = {}
        self.by_subnet: dict[str, Association] = {}
        self.by_gateway: dict[str, Association] = {}
        #: CreateRouteTable's ClientToken -> the table it made
        self.tokens: dict[str, str] = {}
        #: other families' clean-up after DeleteRouteTable (a gateway endpoint drops the table)
        self.route_table_deleted: list[Callable[[str], None]] = []
        #: prefix list id -> the tables with a route to it
        self._by_prefix_list: dict[str, set[str]] = {}
        self._lists_of_table: dict[str, set[str]] = {}
        backend.depends_on("vpc", self._vpc_dependents)
        backend.depends_on("pl", self._prefix_list_user)
        backend.vpcs.subnet_deleted.append(self._subnet_deleted)

    def _vpc_dependents(self, vpc_id: str) -> str | None:
        tables = self.store.lookup("vpc-main", (vpc_id, False))
        return f"route table {tables[0].id}" if tables else None

    def _prefix_list_user(self, prefix_list_id: str) -> str | None:
        for table_id in self._by_prefix_list.get(prefix_list_id, ()):
            return f"route table {table_id}"
        return None

    def prefix_list_users(self, prefix_list_id: str) -> list[tuple[str, str]]:
        """(table id, owner) of every table with a route to the list
        (GetManagedPrefixListAssociations)."""
        out = []
        for table_id in sorted(self._by_prefix_list.get(prefix_list_id, ())):
            table = self.store.find(table_id)
            if table is not None:
                out.append((table.id, table.owner_id))
        return out

    def _route_weight(self, route: Route, resized: tuple[str, int] | None = None) -> int:
        if route.destination_member != "DestinationPrefixListId":
            return 1
        if resized is not None and resized[0] == route.destination:
            return resized[1]
        found = self.backend.prefix_lists.find(route.destination)
        return found.max_entries if found is not None else 1

    def _weight(self, table: RouteTable, resized: tuple[str, int] | None = None) -> int:
        """How much of the route quota the table's routes take."""
        return sum(self._route_weight(r, resized) for r in table.routes)

    def prefix_list_resize(self, prefix_list_id: str, new_max: int) -> str | None:
        """Whether every table routing to the list still fits its route quota at ``new_max``
        (ModifyManagedPrefixList's MaxEntries)."""
        for table_id in sorted(self._by_prefix_list.get(prefix_list_id, ())):
            table = self.store.find(table_id)
            if table is not None and self._weight(table, (prefix_list_id, new_max)) > ROUTE_LIMIT:
                return (
                    f"The prefix list cannot be resized to {new_max} entries: route table "
                    f"{table_id} would exceed its route quota."
                )
        return None

    def _index_prefix_lists(self, table: RouteTable, keep: bool = True) -> None:
        """Keep ``_by_prefix_list`` in step with the table's routes (after any route change)."""
        now = {
            r.destination
            for r in table.routes
            if keep and r.destination_member == "DestinationPrefixListId"
        }
        before = self._lists_of_table.pop(table.id, set())
        for prefix_list_id in before - now:
            tables = self._by_prefix_list.get(prefix_list_id, set())
            tables.discard(table.id)
            if not tables:
                self._by_prefix_list.pop(prefix_list_id, None)
        for prefix_list_id in now:
            self._by_prefix_list.setdefault(prefix_list_id, set()).add(table.id)
        if now:
            self._lists_of_table[table.id] = now

    # -- tables

    def create_main(
        self,
        vpc_id: str,
        vpc_cidr: str,
        gateway_id: str | None = None,
        *,
        tags: dict[str, str] | None = None,
    ) -> RouteTable:
        """The main route table every VPC is born with (the default VPC's routes to its gateway)."""
        table = self._new(vpc_id, vpc_cidr, tags or {})
        if gateway_id is not None:
            table.gateway_id = gateway_id
            table.routes.append(
                Route(
                    "0.0.0.0/0", "DestinationCidrBlock", "GatewayId", gateway_id, "CreateRouteTable"
                )
            )
        self._make_main(table, self.backend.ids.new("rtbassoc"))
        return table

    def check_create(self, vpc_id: str) -> str:
        vpc = self.backend.vpcs.vpcs.get(vpc_id)
        if len(self.store.lookup("vpc", vpc.id)) >= ROUTE_TABLE_LIMIT:
            raise ServiceError(
                f"The maximum number of route tables has been reached for {vpc.id}.",
                code="RouteTableLimitExceeded",
            )
        return vpc.id

    def create(self, vpc_id: str, tags: dict[str, str]) -> RouteTable:
        vpc = self.backend.vpcs.vpcs.get(vpc_id)
        return self._new(vpc.id, vpc.cidr_block, tags)

    def _new(self, vpc_id: str, vpc_cidr: str, tags: dict[str, str]) -> RouteTable:
        backend = self.backend
        return self.store.add(
            RouteTable(
                id=backend.ids.new("rtb"),
                vpc_id=vpc_id,
                owner_id=backend.account_id,
                main=False,
                association_id=None,
                vpc_cidr=vpc_cidr,
                family=self,
                tags=tags,
            )
        )

    def _make_main(self, table: RouteTable, association_id: str) -> None:
        association = Association(association_id, table.id, main=True)
        table.main = True
        table.association_id = association_id
        table.associations[association_id] = association
        self.associations[association_id] = association
        self.store.reindex(table)

    def main_table(self, vpc_id: str) -> RouteTable | None:
        found = self.store.lookup("vpc-main", (vpc_id, True))
        return found[0] if found else None

    def check_delete(self, table_id: str) -> RouteTable:
        table = self.store.get(table_id)
        if table.main or self._live_associations(table):
            raise ServiceError(
                f"The routeTable '{table.id}' has dependencies and cannot be deleted.",
                code="DependencyViolation",
            )
        return table

    def delete(self, table: RouteTable) -> None:
        self.store.remove(table.id)
        self._index_prefix_lists(table, keep=False)
        for listener in self.route_table_deleted:
            listener(table.id)

    def _subnet_deleted(self, subnet_id: str) -> None:
        """A deleted subnet's explicit association goes with it."""
        association = self.by_subnet.get(subnet_id)
        if association is not None:
            self._drop_association(association)

    def remove_vpc_defaults(self, vpc_id: str) -> None:
        """DeleteVpc: the main route table goes with its VPC."""
        for table in self.store.lookup("vpc-main", (vpc_id, True)):
            for association in list(table.associations.values()):
                self._drop_association(association)
            self.store.remove(table.id)
            self._index_prefix_lists(table, keep=False)

    # -- associations

    def _live_associations(self, table: RouteTable) -> list[Association]:
        """The table's associations, forgetting any whose subnet has since been deleted."""
        subnets = self.backend.vpcs.subnets
        for association in list(table.associations.values()):
            if association.subnet_id and association.subnet_id not in subnets:
                self._drop_association(association)
        return list(table.associations.values())

    def _drop_association(self, association: Association) -> None:
        self.associations.pop(association.id, None)
        if association.subnet_id and self.by_subnet.get(association.subnet_id) is association:
            del self.by_subnet[association.subnet_id]
        if association.gateway_id and self.by_gateway.get(association.gateway_id) is association:
            del self.by_gateway[association.gateway_id]
        table = self.store.find(association.route_table_id)
        if table is not None:
            table.associations.pop(association.id, None)

    def association(self, association_id: str) -> Association:
        association = self.associations.get(association_id)
        subnets = self.backend.vpcs.subnets
        if (
            association is not None
            and association.subnet_id
            and association.subnet_id not in subnets
        ):
            self._drop_association(association)
            association = None
        if association is None:
            if not re.fullmatch(r"rtbassoc-[0-9a-f]{8,17}", association_id):
                raise ServiceError(
                    f'Invalid id: "{association_id}" (expecting "rtbassoc-...")',
                    code="InvalidAssociationID.Malformed",
                )
            raise ServiceError(
                f"The association ID '{association_id}' does not exist",
                code="InvalidAssociationID.NotFound",
            )
        return association

    def check_associate(
        self,
        table_id: str,
        subnet_id: str | None,
        gateway_id: str | None,
        public_ipv4_pool: str | None,
    ) -> RouteTable:
        table = self.store.get(table_id)
        targets = [v for v in (subnet_id, gateway_id, public_ipv4_pool) if v]
        if not targets:
            raise MissingParameter("Either subnetId, gatewayId or publicIpv4Pool must be specified")
        if len(targets) > 1:
            raise InvalidParameterCombination(
                "Only one of subnetId, gatewayId or publicIpv4Pool can be specified"
            )
        backend = self.backend
        if subnet_id:
            subnet = backend.vpcs.subnets.get(subnet_id)
            if subnet.vpc_id != table.vpc_id:
                raise InvalidParameterValue(
                    f"Route table {table.id} and subnet {subnet.id} belong to different networks"
                )
            existing = self.by_subnet.get(subnet.id)
            if existing is not None and existing.id in self.associations:
                raise ServiceError(
                    f"the specified association for route table {table.id} conflicts with an "
                    "existing association",
                    code="Resource.AlreadyAssociated",
                )
        if gateway_id:
            if not gateway_id.startswith(("igw-", "vgw-")):
                raise InvalidParameterValue(
                    f"Invalid value '{gateway_id}' for gatewayId: only an internet gateway or a "
                    "virtual private gateway can be associated with a route table"
                )
            gateway = backend.resource(gateway_id)
            attached = _attached_vpcs(gateway)
            if table.vpc_id not in attached:
                raise InvalidParameterValue(
                    f"Route table {table.id} and gateway {gateway_id} belong to different networks"
                )
            if gateway_id in self.by_gateway:
                raise ServiceError(
                    f"the specified association for route table {table.id} conflicts with an "
                    "existing association",
                    code="Resource.AlreadyAssociated",
                )
        if public_ipv4_pool:
            backend.addresses.pools.get(public_ipv4_pool)
        return table

    def associate(
        self,
        table: RouteTable,
        subnet_id: str | None,
        gateway_id: str | None,
        public_ipv4_pool: str | None,
    ) -> Association:
        association = Association(
            self.backend.ids.new("rtbassoc"),
            table.id,
            subnet_id=subnet_id,
            gateway_id=gateway_id,
            public_ipv4_pool=public_ipv4_pool,
        )
        self._add_association(table, association)
        return association

    def _add_association(self, table: RouteTable, association: Association) -> None:
        table.associations[association.id] = association
        self.associations[association.id] = association
        if association.subnet_id:
            self.by_subnet[association.subnet_id] = association
        if association.gateway_id:
            self.by_gateway[association.gateway_id] = association

    def check_disassociate(self, association_id: str) -> Association:
        association = self.association(association_id)
        if association.main:
            raise InvalidParameterValue(
                f"cannot disassociate the main route table association {association.id}"
            )
        return association

    def disassociate(self, association: Association) -> None:
        self._drop_association(association)

    def check_replace_association(
        self, association_id: str, table_id: str
    ) -> tuple[Association, RouteTable]:
        association = self.association(association_id)
        table = self.store.get(table_id)
        current = self.store.get(association.route_table_id)
        if table.vpc_id != current.vpc_id:
            raise InvalidParameterValue(
                f"Route table {table.id} and association {association.id} belong to different "
                "networks"
            )
        return association, table

    def replace_association(self, association: Association, table: RouteTable) -> Association:
        new_id = self.backend.ids.new("rtbassoc")
        self._drop_association(association)
        if association.main:
            old = self.store.find(association.route_table_id)
            if old is not None:
                old.main = False
                old.association_id = None
                self.store.reindex(old)
            self._make_main(table, new_id)
            return table.associations[new_id]
        replacement = Association(
            new_id,
            table.id,
            subnet_id=association.subnet_id,
            gateway_id=association.gateway_id,
            public_ipv4_pool=association.public_ipv4_pool,
        )
        self._add_association(table, replacement)
        return replacement

    def table_for_subnet(self, subnet_id: str, vpc_id: str) -> RouteTable | None:
        """The table routing a subnet: its explicit association, else the VPC's main table."""
        association = self.by_subnet.get(subnet_id)
        if association is not None:
            return self.store.find(association.route_table_id)
        return self.main_table(vpc_id)

    # -- routes

    def _destination(
        self, cidr: str | None, ipv6: str | None, prefix_list: str | None
    ) -> tuple[str, str]:
        given = [
            (member, value)
            for member, value in (
                ("DestinationCidrBlock", cidr),
                ("DestinationIpv6CidrBlock", ipv6),
                ("DestinationPrefixListId", prefix_list),
            )
            if value
        ]
        if not given:
            raise MissingParameter(
                "The request must contain the parameter destinationCidrBlock or "
                "destinationIpv6CidrBlock"
            )
        if len(given) > 1:
            first, second = (m[0].lower() + m[1:] for m, _ in given[:2])
            raise InvalidParameterCombination(
                f"The parameter {first} cannot be used with the parameter {second}"
            )
        member, value = given[0]
        if member == "DestinationCidrBlock":
            return member, _normal_cidr(value, member, 4)
        if member == "DestinationIpv6CidrBlock":
            return member, _normal_cidr(value, member, 6)
        if not re.fullmatch(r"pl-[0-9a-f]{8,17}", value):
            raise ServiceError(
                f'Invalid id: "{value}" (expecting "pl-...")', code="InvalidPrefixListId.Malformed"
            )
        return member, value

    def _check_prefix_list(self, prefix_list_id: str) -> None:
        """A route's prefix list is a customer-managed one; AWS-managed lists are for endpoints."""
        region = self.backend.region
        if any(p.id == prefix_list_id for p in aws_prefix_lists(region)):
            raise InvalidParameterValue(
                f"The prefix list {prefix_list_id} is an AWS-managed prefix list and cannot be "
                "referenced in a route table"
            )
        try:
            self.backend.resource(prefix_list_id)
        except ServiceError as error:
            if error.code != "InvalidID":
                raise
            raise ServiceError(
                f"The prefix list ID '{prefix_list_id}' does not exist",
                code="InvalidPrefixListID.NotFound",
            ) from None

    def _find_route(self, table: RouteTable, member: str, destination: str) -> Route | None:
        for route in table.routes:
            if _route_key(route) == (member, destination):
                return route
        return None

    def _local_cidrs(self, table: RouteTable) -> list[tuple[str, str]]:
        vpc = self.backend.vpcs.vpcs.find(table.vpc_id)
        if vpc is None:
            return [("DestinationCidrBlock", table.vpc_cidr)]
        return [("DestinationCidrBlock", c) for c in vpc.ipv4_cidrs()] + [
            ("DestinationIpv6CidrBlock", c) for c in vpc.ipv6_cidrs()
        ]

    def _target(self, table: RouteTable, targets: dict[str, Any], destination_member: str) -> Route:
        given = [(member, value) for member, value in targets.items() if value]
        if not given:
            names = ", ".join(m[0].lower() + m[1:] for m in TARGET_MEMBERS[:-3])
            raise MissingParameter(
                f"The request must contain exactly one of {names}, coreNetworkArn or vpcEndpointId"
            )
        if len(given) > 1:
            first, second = (m[0].lower() + m[1:] for m, _ in given[:2])
            raise InvalidParameterCombination(
                f"The parameter {first} cannot be used with the parameter {second}"
            )
        member, value = given[0]
        route = Route("", destination_member, member, value)
        if member in _ARN:
            if not _ARN[member].match(value):
                raise InvalidParameterValue(f"Value ({value}) for parameter {member} is invalid.")
            return route
        prefixes = {
            "GatewayId": ("igw", "vgw", "vpce"),
            "EgressOnlyInternetGatewayId": ("eigw",),
            "NatGatewayId": ("nat",),
            "NetworkInterfaceId": ("eni",),
            "InstanceId": ("i",),
            "VpcPeeringConnectionId": ("pcx",),
            "TransitGatewayId": ("tgw",),
            "LocalGatewayId": ("lgw",),
            "CarrierGatewayId": ("cagw",),
            "VpcEndpointId": ("vpce",),
        }[member]
        prefix = value.rsplit("-", 1)[0] if "-" in value else ""
        if member == "GatewayId" and prefix not in prefixes:
            # EC2 names whatever GatewayId holds a gateway that does not exist
            raise _gateway_not_found(value)
        if prefix not in prefixes:
            stem = _TARGET_KINDS[prefixes[0]][0]
            raise ServiceError(
                f'Invalid id: "{value}" (expecting "{prefixes[0]}-...")', code=f"{stem}.Malformed"
            )
        if member == "GatewayId":
            try:
                resource = self.backend.resource(value)
            except ServiceError:
                raise _gateway_not_found(value) from None
        else:
            resource = self._existing(value)
        vpc_id = table.vpc_id
        if prefix in ("igw", "vgw") and vpc_id not in _attached_vpcs(resource):
            raise InvalidParameterValue(
                f"route table {table.id} and network gateway {value} belong to different networks"
            )
        if prefix == "tgw" and not self.backend.transit_gateways.vpc_attached(value, vpc_id):
            # EC2 routes to a transit gateway only from a VPC attached to it; until then it
            # answers as if the gateway did not exist
            raise ServiceError(
                f"The transitGateway ID '{value}' does not exist.",
                code="InvalidTransitGatewayID.NotFound",
            )
        if prefix == "eigw" and destination_member == "DestinationCidrBlock":
            raise InvalidParameterValue(
                f"Route table {table.id}: an egress-only internet gateway can only be the target "
                "of an IPv6 route"
            )
        if (
            prefix in ("eigw", "nat", "eni", "cagw")
            and getattr(resource, "vpc_id", vpc_id) != vpc_id
        ):
            raise InvalidParameterValue(
                f"route table {table.id} and {value} belong to different networks"
            )
        if prefix == "i":
            check_single_interface(self.backend, resource)
            interface = getattr(resource, "network_interface", None)
            if getattr(resource, "vpc_id", vpc_id) != vpc_id:
                raise InvalidParameterValue(
                    f"route table {table.id} and instance {value} belong to different networks"
                )
            if getattr(resource, "state", "") == "terminated" or interface is None:
                raise ServiceError(
                    f"The instance ID '{value}' does not exist", code="InvalidInstanceID.NotFound"
                )
            route.interface_id = interface.id
            route.instance_owner_id = getattr(resource, "owner_id", None)
        return route

    def _existing(self, resource_id: str) -> Resource:
        try:
            return self.backend.resource(resource_id)
        except ServiceError as error:
            if error.code != "InvalidID":
                raise
            prefix = resource_id.rsplit("-", 1)[0]
            stem, noun = _TARGET_KINDS[prefix]
            code = stem if stem.endswith("NotFound") else f"{stem}.NotFound"
            raise ServiceError(f"The {noun} '{resource_id}' does not exist", code=code) from None

    def check_create_route(
        self,
        table_id: str,
        cidr: str | None,
        ipv6: str | None,
        prefix_list: str | None,
        targets: dict[str, Any],
    ) -> tuple[RouteTable, Route]:
        table = self.store.get(table_id)
        member, destination = self._destination(cidr, ipv6, prefix_list)
        route = self._target(table, targets, member)
        route.destination = destination
        if member == "DestinationPrefixListId":
            self._check_prefix_list(destination)
        if (member, destination) in self._local_cidrs(table) or self._find_route(
            table, member, destination
        ):
            raise ServiceError(
                f"The route identified by {destination} already exists.",
                code="RouteAlreadyExists",
            )
        # a route to a prefix list counts as many routes as the list's MaxEntries
        if self._weight(table) + self._route_weight(route) > ROUTE_LIMIT:
            raise ServiceError(
                f"The maximum number of routes has been reached for {table.id}.",
                code="RouteLimitExceeded",
            )
        if member != "DestinationPrefixListId":
            network = ipaddress.ip_network(destination)
            for _, local in self._local_cidrs(table):
                local_net = ipaddress.ip_network(local)
                if (
                    local_net.version == network.version
                    and network.subnet_of(local_net)  # type: ignore[arg-type]
                    and route.target_member not in _MIDDLEBOX_TARGETS
                ):
                    raise InvalidParameterValue(
                        f"The destination CIDR block {destination} is equal to or more specific "
                        f"than one of this VPC's CIDR blocks. This route can target only an "
                        "interface or an instance."
                    )
        return table, route

    def create_route(self, table: RouteTable, route: Route) -> None:
        table.routes.append(route)
        self._index_prefix_lists(table)

    def check_replace_route(
        self,
        table_id: str,
        cidr: str | None,
        ipv6: str | None,
        prefix_list: str | None,
        targets: dict[str, Any],
        local_target: bool,
    ) -> tuple[RouteTable, Route, bool]:
        """The table, the new route, and whether it stands in for a local route."""
        table = self.store.get(table_id)
        member, destination = self._destination(cidr, ipv6, prefix_list)
        is_local = (member, destination) in self._local_cidrs(table)
        gateway = targets.get("GatewayId")
        if local_target or gateway == "local":
            others = [m for m, v in targets.items() if v and m != "GatewayId"]
            if others:
                raise InvalidParameterCombination(
                    f"The parameter localTarget cannot be used with the parameter "
                    f"{others[0][0].lower() + others[0][1:]}"
                )
            if not is_local:
                raise InvalidParameterValue(
                    f"The route {destination} in route table {table.id} is not a local route "
                    "and cannot target local"
                )
            return table, Route(destination, member, "GatewayId", "local", "CreateRouteTable"), True
        if not is_local and self._find_route(table, member, destination) is None:
            raise _route_not_found(table.id, member, destination)
        route = self._target(table, targets, member)
        route.destination = destination
        if is_local and route.target_member not in (
            "NetworkInterfaceId",
            "InstanceId",
            "VpcEndpointId",
        ):
            raise InvalidParameterValue(
                f"The local route {destination} can only be replaced to target a network "
                "interface, an instance or a Gateway Load Balancer endpoint"
            )
        return table, route, is_local

    def replace_route(self, table: RouteTable, route: Route, is_local: bool) -> None:
        if is_local:
            if route.target == "local":
                table.local_overrides.pop(route.destination, None)
            else:
                route.origin = "CreateRoute"
                table.local_overrides[route.destination] = route
            return
        old = self._find_route(table, route.destination_member, route.destination)
        assert old is not None
        route.origin = old.origin if old.origin != "EnableVgwRoutePropagation" else "CreateRoute"
        table.routes[table.routes.index(old)] = route
        self._index_prefix_lists(table)

    def check_delete_route(
        self, table_id: str, cidr: str | None, ipv6: str | None, prefix_list: str | None
    ) -> tuple[RouteTable, Route]:
        table = self.store.get(table_id)
        member, destination = self._destination(cidr, ipv6, prefix_list)
        if (member, destination) in self._local_cidrs(table):
            raise InvalidParameterValue(
                f"cannot remove local route {destination} in route table {table.id}"
            )
        route = self._find_route(table, member, destination)
        if route is None:
            raise _route_not_found(table.id, member, destination)
        return table, route

    def delete_route(self, table: RouteTable, route: Route) -> None:
        table.routes.remove(route)
        self._index_prefix_lists(table)

    # -- describing

    def _alive(self, table: RouteTable, route: Route) -> bool:
        """Whether a route's target still exists (and, for gateways, is still attached)."""
        target = route.target
        if route.target_member in _ARN or target == "local":
            return True
        resource = self._find(target)
        if resource is None:
            return False
        prefix = target.rsplit("-", 1)[0]
        if prefix in ("igw", "vgw"):
            return table.vpc_id in _attached_vpcs(resource)
        if prefix == "pcx":
            # a route through a peering connection carries traffic only while it is active
            return self.backend.vpc_peering.is_active(target)
        if prefix == "tgw":
            # the gateway routes the VPC's traffic only through an available VPC attachment
            return self.backend.transit_gateways.vpc_attached(target, table.vpc_id)
        state = getattr(resource, "state", None)
        if prefix == "i":
            return state in ("pending", "running")
        if prefix in ("nat", "cagw"):
            return state in ("pending", "available")
        return state not in ("deleted", "deleting", "failed", "rejected", "expired")

    def _find(self, resource_id: str) -> Resource | None:
        try:
            return self.backend.resource(resource_id)
        except ServiceError:
            return None

    def routes(self, table: RouteTable) -> list[RouteShape]:
        out: list[RouteShape] = []
        for member, cidr in self._local_cidrs(table):
            override = table.local_overrides.get(cidr)
            if override is not None:
                out.append(self._describe_route(table, override))
            else:
                local: RouteShape = {
                    "GatewayId": "local",
                    "Origin": "CreateRouteTable",
                    "State": "active",
                }
                local[member] = cidr  # type: ignore[literal-required]
                out.append(local)
        out.extend(self._describe_route(table, route) for route in table.routes)
        for source in self.route_sources:
            out.extend(source(table))
        return out

    def _describe_route(self, table: RouteTable, route: Route) -> RouteShape:
        out: RouteShape = {
            "Origin": route.origin,
            "State": "active" if self._alive(table, route) else "blackhole",
        }
        out[route.destination_member] = route.destination  # type: ignore[literal-required]
        member = route.target_member
        if member == "VpcEndpointId":
            out["GatewayId"] = route.target
        elif member == "InstanceId":
            out["InstanceId"] = route.target
            if route.instance_owner_id:
                out["InstanceOwnerId"] = route.instance_owner_id
            if route.interface_id:
                out["NetworkInterfaceId"] = route.interface_id
        else:
            out[member] = route.target  # type: ignore[literal-required]
        return out

    def propagating(self, table: RouteTable) -> list[str]:
        return [vgw for source in self.propagation_sources for vgw in source(table)]

    def describe(self, table: RouteTable) -> RouteTableShape:
        out: RouteTableShape = {
            "Associations": [a.describe() for a in self._live_associations(table)],
            "PropagatingVgws": [{"GatewayId": g} for g in self.propagating(table)],
            "RouteTableId": table.id,
            "Routes": self.routes(table),
            "VpcId": table.vpc_id,
            "OwnerId": table.owner_id,
        }
        if table.tags:
            out["Tags"] = table.tag_list()
        return out


def check_single_interface(backend: Ec2Backend, instance: Resource) -> None:
    """EC2 routes to (and maps addresses onto) an instance only through its one interface."""
    try:
        attached = backend.network_interfaces.lookup("instance", instance.id)
    except KeyError:  # no interface index by instance: every instance has one interface
        return
    if len(attached) > 1:
        raise ServiceError(
            f"There are multiple interfaces attached to instance '{instance.id}'. Please "
            "specify an interface ID for the operation instead.",
            code="InvalidInstanceID",
        )


def _attached_vpcs(gateway: Any) -> list[str]:
    """The VPCs a gateway (internet or virtual private) is attached to."""
    attached = getattr(gateway, "attached_vpc_id", None)
    if attached:
        return [attached]
    vpcs = getattr(gateway, "attached_vpc_ids", None)
    if callable(vpcs):
        return list(vpcs())
    return list(vpcs or [])


def _gateway_not_found(gateway_id: str) -> ServiceError:
    return ServiceError(
        f"The gateway ID '{gateway_id}' does not exist", code="InvalidGatewayID.NotFound"
    )


def _route_not_found(table_id: str, member: str, destination: str) -> ServiceError:
    wire = {
        "DestinationCidrBlock": "destination-cidr-block",
        "DestinationIpv6CidrBlock": "destination-ipv6-cidr-block",
        "DestinationPrefixListId": "destination-prefix-list-id",
    }[member]
    return ServiceError(
        f"no route with {wire} {destination} in route table {table_id}",
        code="InvalidRoute.NotFound",
    )


def _routes(t: RouteTable) -> list[RouteShape]:
    assert t.family is not None
    return t.family.routes(t)


def _route_field(name: str) -> Callable[[RouteTable], list[Any]]:
    return lambda t: [r.get(name) for r in _routes(t)]  # type: ignore[misc]


def _associations(t: RouteTable) -> list[Association]:
    assert t.family is not None
    return t.family._live_associations(t)


ROUTE_TABLE_FILTERS: dict[str, Callable[[RouteTable], Any]] = {
    "association.gateway-id": lambda t: [a.gateway_id for a in _associations(t)],
    "association.main": lambda t: [a.main for a in _associations(t)],
    "association.route-table-association-id": lambda t: [a.id for a in _associations(t)],
    "association.route-table-id": lambda t: [a.route_table_id for a in _associations(t)],
    "association.subnet-id": lambda t: [a.subnet_id for a in _associations(t)],
    "owner-id": lambda t: t.owner_id,
    "route-table-id": lambda t: t.id,
    "route.destination-cidr-block": _route_field("DestinationCidrBlock"),
    "route.destination-ipv6-cidr-block": _route_field("DestinationIpv6CidrBlock"),
    "route.destination-prefix-list-id": _route_field("DestinationPrefixListId"),
    "route.egress-only-internet-gateway-id": _route_field("EgressOnlyInternetGatewayId"),
    "route.gateway-id": _route_field("GatewayId"),
    "route.instance-id": _route_field("InstanceId"),
    "route.nat-gateway-id": _route_field("NatGatewayId"),
    "route.origin": _route_field("Origin"),
    "route.state": _route_field("State"),
    "route.transit-gateway-id": _route_field("TransitGatewayId"),
    "route.vpc-peering-connection-id": _route_field("VpcPeeringConnectionId"),
    "vpc-id": lambda t: t.vpc_id,
}
