"""One EC2 region of one account: the resource families, the id factory, the clock."""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable
from dataclasses import fields
from typing import Any, TypeVar

from cloudmock.core.errors import ServiceError
from cloudmock.core.plugin import BackendEnv
from cloudmock.services.ec2.models.account_settings import AccountSettings
from cloudmock.services.ec2.models.addresses import Addresses
from cloudmock.services.ec2.models.base import IdFactory, Resource, ResourceKind, Store
from cloudmock.services.ec2.models.capacity_blocks import CapacityBlocks
from cloudmock.services.ec2.models.capacity_fleets import CapacityReservationFleets
from cloudmock.services.ec2.models.capacity_manager import CapacityManager
from cloudmock.services.ec2.models.capacity_reservations import CapacityReservations
from cloudmock.services.ec2.models.client_vpn import ClientVpn
from cloudmock.services.ec2.models.fleets import Fleets
from cloudmock.services.ec2.models.flow_logs import FlowLogs
from cloudmock.services.ec2.models.hosts import Hosts
from cloudmock.services.ec2.models.images import Images
from cloudmock.services.ec2.models.instance_family import InstanceServices
from cloudmock.services.ec2.models.instance_type_specs import InstanceTypes
from cloudmock.services.ec2.models.instances import Instances
from cloudmock.services.ec2.models.internet_gateways import InternetGateways
from cloudmock.services.ec2.models.key_pairs import KeyPairs
from cloudmock.services.ec2.models.launch_templates import LaunchTemplates
from cloudmock.services.ec2.models.nat_gateways import NatGateways
from cloudmock.services.ec2.models.network_interfaces import (
    NetworkInterfaces,
)
from cloudmock.services.ec2.models.placement_groups import PlacementGroups
from cloudmock.services.ec2.models.prefix_lists import PrefixLists
from cloudmock.services.ec2.models.regions import region as region_info
from cloudmock.services.ec2.models.reserved_instances import ReservedInstancesFamily
from cloudmock.services.ec2.models.route_tables import RouteTables
from cloudmock.services.ec2.models.security_groups import SecurityGroups
from cloudmock.services.ec2.models.snapshots import Snapshots
from cloudmock.services.ec2.models.spot import Spot
from cloudmock.services.ec2.models.traffic_mirror import TrafficMirroring
from cloudmock.services.ec2.models.transit_gateways import TransitGateways
from cloudmock.services.ec2.models.volumes import Volumes
from cloudmock.services.ec2.models.vpc_endpoints import VpcEndpoints
from cloudmock.services.ec2.models.vpc_family import Network
from cloudmock.services.ec2.models.vpc_peering import VpcPeering
from cloudmock.services.ec2.models.vpcs import OCTET_TEXT
from cloudmock.services.ec2.models.vpn import Vpn
from cloudmock.services.ec2.options import Ec2Options

S = TypeVar("S", bound=Store)


#: the first octets of the public addresses EC2 hands out here
_PUBLIC_FIRST_OCTETS = ("3", "13", "18", "34", "35", "44", "52", "54")
#: an octet's two hex digits, by value (a MAC address is five of them per launch)
_OCTET = tuple(f"{value:02x}" for value in range(256))


class Ec2Backend:
    def __init__(self, env: BackendEnv) -> None:
        self.account_id = env.account_id
        self.region = env.region
        self.clock = env.clock
        self.rng = env.rng
        #: EC2's state shared by every account and region (cross-account resources)
        self.shared = env.shared
        self.options = Ec2Options.from_dict(env.options)
        self.region_info = region_info(env.region)
        self.zones = {zone.name: zone for zone in self.region_info.zones}
        self._events: list[tuple[float, int, Resource, int, Callable[[Any], None]]] = []
        self._sequence = itertools.count()
        self._public_ips: set[str] = set()

        self._stores_by_prefix: dict[str, Store] = {}
        self._dependents: dict[str, list[Callable[[str], str | None]]] = {}
        # One family object per resource family; each registers its stores.
        self.vpcs = Network(self)
        self.security_groups = SecurityGroups(self)
        self.route_tables = RouteTables(self)
        self.internet_gateways = InternetGateways(self)
        # the family object is itself the interfaces' Store (get, find, lookup, ...)
        self.network_interfaces = self.register_store(NetworkInterfaces(self))
        self.volumes = self.register_store(Volumes(self))
        self.snapshots = Snapshots(self)
        self.instances = Instances(self)
        self.prefix_lists = PrefixLists(self)
        self.vpc_peering = VpcPeering(self)
        self.vpc_endpoints = VpcEndpoints(self)
        self.vpn = Vpn(self)
        self.client_vpn = ClientVpn(self)
        self.transit_gateways = TransitGateways(self)
        self.addresses = Addresses(self)
        self.nat_gateways = NatGateways(self)
        self.flow_logs = FlowLogs(self)
        self.traffic_mirroring = TrafficMirroring(self)
        self.volumes.join_instances()
        self.launch_templates = LaunchTemplates(self)
        self.spot = Spot(self)
        self.fleets = Fleets(self)
        self.key_pairs = KeyPairs(self)
        self.instance_types = InstanceTypes(self)
        self.placement_groups = PlacementGroups(self)
        self.account_settings = AccountSettings(self)
        self.instance_services = InstanceServices(self)
        self.capacity_reservations = CapacityReservations(self)
        self.capacity_reservation_fleets = CapacityReservationFleets(self)
        self.capacity_blocks = CapacityBlocks(self)
        self.capacity_manager = CapacityManager(self)
        self.hosts = Hosts(self)
        self.reserved_instances = ReservedInstancesFamily(self)
        self.images = Images(self)
        self.ids = IdFactory(self.rng, self._id_taken, self._stores_by_prefix)
        self.vpcs.create_default_vpc()

    def new_store(self, kind: ResourceKind) -> Store:
        """A family's store; registering it here gives its ids to CreateTags and DescribeTags."""
        return self.register_store(Store(kind))

    def register_store(self, store: S) -> S:
        """Register a store a family made itself (a Store subclass with the family's behaviour)."""
        kind = store.kind
        if kind.prefix in self._stores_by_prefix:
            raise ValueError(f"two stores for ids starting {kind.prefix}-")
        self._stores_by_prefix[kind.prefix] = store
        return store

    def stores(self) -> list[Store]:
        """Every store of a taggable resource kind, in the order families made them."""
        return list(self._stores_by_prefix.values())

    def _id_taken(self, resource_id: str) -> bool:
        store = self._stores_by_prefix.get(resource_id.rsplit("-", 1)[0])
        return store is not None and resource_id in store

    def store_of(self, resource_id: str) -> Store:
        """The store a resource id belongs to (by its prefix); InvalidID if no family has it."""
        prefix = resource_id.rsplit("-", 1)[0] if "-" in resource_id else ""
        store = self._stores_by_prefix.get(prefix)
        if store is None:
            raise ServiceError(f"The ID '{resource_id}' is not valid", code="InvalidID")
        return store

    def resource(self, resource_id: str) -> Resource:
        """Any taggable resource by id (CreateTags, DeleteTags)."""
        return self.store_of(resource_id).get(resource_id)

    def exists(self, resource_id: str) -> bool:
        """Whether any family holds ``resource_id`` (a route's target, a rule's group, ...)."""
        return self._id_taken(resource_id)

    # -- dependencies between families, without the families importing each other

    def depends_on(self, prefix: str, check: Callable[[str], str | None]) -> None:
        """Register ``check(id)``: what (if anything) of the caller's family uses a ``prefix-`` resource.

        A family that refers to another family's resources registers here, and the
        owner's delete asks :meth:`dependents` before it removes anything.
        """
        self._dependents.setdefault(prefix, []).append(check)

    def dependents(self, resource_id: str) -> list[str]:
        """What still uses ``resource_id``, one description per registered family that does."""
        prefix = resource_id.rsplit("-", 1)[0]
        found = []
        for check in self._dependents.get(prefix, ()):
            what = check(resource_id)
            if what:
                found.append(what)
        return found

    # -- time: transitions are scheduled on the clock and applied before each request

    def schedule(self, delay: float, resource: Resource, action: Callable[[Any], None]) -> None:
        generation = getattr(resource, "generation", 0)
        due = self.clock.time() + max(delay, 0.0)
        heapq.heappush(self._events, (due, next(self._sequence), resource, generation, action))

    def tick(self) -> None:
        """Apply every scheduled transition that is due by now."""
        events = self._events
        if not events:
            return
        now = self.clock.time()
        while events and events[0][0] <= now:
            _, _, resource, generation, action = heapq.heappop(events)
            if getattr(resource, "generation", 0) == generation:
                action(resource)

    # -- addresses

    def allocate_public_ip(self) -> str:
        # drawn as _below(8), _below(256), _below(256), _below(254) would draw them, without
        # a call for each: every launch into a default subnet makes one
        bits = self.rng.getrandbits
        while True:
            first = bits(4)
            while first >= 8:
                first = bits(4)
            second = bits(9)
            while second >= 256:
                second = bits(9)
            third = bits(9)
            while third >= 256:
                third = bits(9)
            fourth = bits(8)
            while fourth >= 254:
                fourth = bits(8)
            octet = OCTET_TEXT
            address = (
                f"{_PUBLIC_FIRST_OCTETS[first]}.{octet[second]}.{octet[third]}.{octet[1 + fourth]}"
            )
            if address not in self._public_ips:
                self._public_ips.add(address)
                return address

    def release_public_ip(self, address: str) -> None:
        self._public_ips.discard(address)

    def new_mac_address(self) -> str:
        # five octets drawn as five ``_below(256)`` would draw them (9 bits, again while
        # >= 256), without a call for each: every launch makes one
        bits = self.rng.getrandbits
        octets = []
        for _ in range(5):
            octet = bits(9)
            while octet >= 256:
                octet = bits(9)
            octets.append(_OCTET[octet])
        return "0a:" + ":".join(octets)

    def _below(self, n: int) -> int:
        """``rng.randrange(n)``, drawing exactly what it draws (seeded ids stay the same),
        without its layers of calls: every launch makes several."""
        bits = self.rng.getrandbits
        k = n.bit_length()
        r = bits(k)
        while r >= n:
            r = bits(k)
        return r


def create_backend(env: BackendEnv) -> Ec2Backend:
    return Ec2Backend(env)


def dump(backend: Ec2Backend) -> dict[str, Any]:
    """The state endpoint's view: every resource as DescribeX would show it, or its fields."""
    out: dict[str, Any] = {}
    for store in backend.stores():
        rows = []
        for item in store:
            describe = getattr(item, "describe", None)
            if describe is not None:
                rows.append(describe())
            else:  # kinds with no Describe operation yet: their fields
                rows.append(
                    {
                        f.name: getattr(item, f.name)
                        for f in fields(item)
                        if not f.name.startswith("_")
                    }
                )
        if rows:
            out[store.kind.resource_type] = rows
    return out
