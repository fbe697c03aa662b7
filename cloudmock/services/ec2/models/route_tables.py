"""Route tables, their routes and associations."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cloudmock.services.ec2.models.base import Resource, ResourceKind, Store

if TYPE_CHECKING:
    from cloudmock.services.ec2.models.backend import Ec2Backend
    from cloudmock.services.ec2.shapes import Route as RouteShape

ROUTE_TABLE = ResourceKind("rtb", "route-table", "InvalidRouteTableID", "route table ID")


@dataclass
class RouteTable(Resource):
    vpc_id: str
    owner_id: str
    main: bool
    association_id: str
    vpc_cidr: str
    gateway_id: str | None = None


class RouteTables:
    """The route-table family of one region."""

    def __init__(self, backend: Ec2Backend) -> None:
        self.backend = backend
        self.store: Store[RouteTable] = backend.new_store(ROUTE_TABLE)
        #: other families' routes in a table, as DescribeRouteTables shows them (a gateway
        #: endpoint's prefix-list route, a VPN gateway's propagated routes); each source is
        #: asked when a table is described, so nothing has to be kept in step
        self.route_sources: list[Callable[[RouteTable], list[RouteShape]]] = []
        #: the virtual private gateways propagating into a table (``PropagatingVgws``)
        self.propagation_sources: list[Callable[[RouteTable], list[str]]] = []

    def create_main(self, vpc_id: str, vpc_cidr: str, gateway_id: str | None = None) -> RouteTable:
        """The main route table every VPC is born with (the default VPC's routes to its gateway)."""
        backend = self.backend
        return self.store.add(
            RouteTable(
                id=backend.ids.new("rtb"),
                vpc_id=vpc_id,
                owner_id=backend.account_id,
                main=True,
                association_id=backend.ids.new("rtbassoc"),
                vpc_cidr=vpc_cidr,
                gateway_id=gateway_id,
            )
        )

    def remove_vpc_defaults(self, vpc_id: str) -> None:
        """DeleteVpc: the main route table goes with its VPC."""
        for table in list(self.store):
            if table.vpc_id == vpc_id and table.main:
                self.store.remove(table.id)
