"""VPC peering connections: one connection both sides see, across accounts and regions.

A connection lives once in ``backend.shared`` (every account and region sees the
same object, as in AWS).  Each (account, region) keeps a *view* of it in its own
store: the view is what that side's CreateTags / DescribeTags / describes work on,
so tags stay with the account that set them, as AWS keeps them.  The requester's
backend puts a view into the accepter's store through a registry of stores kept in
``backend.shared`` (or an inbox, drained when the accepter's backend is made):
nothing here imports or reaches into another family's internals.

States follow the clock lazily (each read asks :meth:`Connection.advance`), so a
connection shared by two backends needs no scheduled event in either:
initiating-request -> pending-acceptance (or failed) after the transition delay;
pending-acceptance -> expired after 7 days; deleting -> deleted; terminal states
stay visible for as long as AWS shows them, then disappear.
"""

from __future__ import annotations

import ipaddress
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from cloudmock.core.errors import InvalidParameterValue, ServiceError
from cloudmock.services.ec2.models.base import Resource, ResourceKind, Store

if TYPE_CHECKING:
    from cloudmock.services.ec2.models.backend import Ec2Backend
    from cloudmock.services.ec2.shapes import (
        PeeringConnectionOptions,
        VpcEncryptionNonCompliantResource,
        VpcPeeringConnectionVpcInfo,
    )
    from cloudmock.services.ec2.shapes import VpcPeeringConnection as PeeringShape

PEERING = ResourceKind(
    "pcx",
    "vpc-peering-connection",
    "InvalidVpcPeeringConnectionId",
    "vpcPeeringConnection ID",
    not_found_stem="InvalidVpcPeeringConnectionID",
)

#: an unaccepted request expires after 7 days
EXPIRY = timedelta(days=7)
HOURS_2 = timedelta(hours=2)
DAYS_2 = timedelta(days=2)
FAILED_MESSAGE = "Failed due to incorrect VPC-ID, Account ID, or overlapping CIDR range"
#: the options a side may set (the ClassicLink ones are kept as given, as EC2 still echoes them)
OPTION_NAMES = (
    "AllowDnsResolutionFromRemoteVpc",
    "AllowEgressFromLocalClassicLinkToRemoteVpc",
    "AllowEgressFromLocalVpcToRemoteClassicLink",
)
MULTIPATH_NAMES = ("AllowMultipathResilience", "MultipathResilienceMode")
#: states a new request between the same two VPCs collides with
LIVE = ("initiating-request", "pending-acceptance", "provisioning", "active")


@dataclass
class Side:
    """One end of a connection: a VPC, whose it is, where, and the options that side set."""

    vpc_id: str
    owner_id: str
    region: str
    cidrs: list[str] = field(default_factory=list)
    ipv6_cidrs: list[str] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, str]:
        return (self.owner_id, self.region)

    def describe(self, with_cidrs: bool) -> VpcPeeringConnectionVpcInfo:
        out: VpcPeeringConnectionVpcInfo = {
            "OwnerId": self.owner_id,
            "VpcId": self.vpc_id,
            "Region": self.region,
        }
        if with_cidrs and self.cidrs:
            out["CidrBlock"] = self.cidrs[0]
            out["CidrBlockSet"] = [{"CidrBlock": c} for c in self.cidrs]
            if self.ipv6_cidrs:
                out["Ipv6CidrBlockSet"] = [{"Ipv6CidrBlock": c} for c in self.ipv6_cidrs]
        if with_cidrs:
            out["PeeringOptions"] = self.peering_options()
        return out

    def peering_options(self) -> PeeringConnectionOptions:
        out: dict[str, Any] = {name: bool(self.options.get(name, False)) for name in OPTION_NAMES}
        for name in MULTIPATH_NAMES:
            if name in self.options:
                out[name] = self.options[name]
        return out  # type: ignore[return-value]


@dataclass
class Connection:
    """The one peering connection both sides see."""

    id: str
    requester: Side
    accepter: Side
    created: datetime
    #: when initiating-request is over (pending-acceptance, or failed)
    settles_at: datetime
    #: whether the accepter VPC exists and the CIDRs are disjoint
    valid: bool
    status: str = "initiating-request"
    message: str = ""
    #: when the current status was reached (terminal states are shown for a while)
    since: datetime | None = None
    #: deleting -> deleted at this time
    deleted_at: datetime | None = None
    #: provisioning -> active at this time
    active_at: datetime | None = None
    #: the account that deleted or rejected it
    ended_by: str | None = None

    @property
    def expiration(self) -> datetime:
        return self.created + EXPIRY

    def advance(self, now: datetime) -> None:
        """Catch the status up with the clock."""
        if self.status == "initiating-request" and now >= self.settles_at:
            if self.valid:
                self._set(
                    "pending-acceptance",
                    f"Pending Acceptance by {self.accepter.owner_id}",
                    self.settles_at,
                )
            else:
                self._set("failed", FAILED_MESSAGE, self.settles_at)
        if self.status == "pending-acceptance" and now >= self.expiration:
            self._set("expired", "Expired", self.expiration)
        if self.status == "provisioning" and self.active_at is not None and now >= self.active_at:
            self._set("active", "Active", self.active_at)
        if self.status == "deleting" and self.deleted_at is not None and now >= self.deleted_at:
            self._set("deleted", f"Deleted by {self.ended_by}", self.deleted_at)

    def _set(self, status: str, message: str, when: datetime) -> None:
        self.status, self.message, self.since = status, message, when

    def visible_to(self, side: tuple[str, str], now: datetime) -> bool:
        """Whether the side ``(account, region)`` still sees the connection (AWS's lifecycle)."""
        self.advance(now)
        is_requester = side == self.requester.key
        status = self.status
        if status in ("initiating-request", "failed"):
            # the accepter never hears of a request that did not get through
            if not is_requester:
                return False
            return status != "failed" or self.since is None or now < self.since + HOURS_2
        if status == "expired":
            return self.since is None or now < self.since + DAYS_2
        if status == "rejected":
            keep = DAYS_2 if is_requester else HOURS_2
            return self.since is None or now < self.since + keep
        if status == "deleted":
            # the side that deleted it sees it for 2 hours, the other side for 2 days
            ended_here = self.ended_by == side[0]
            keep = HOURS_2 if ended_here else DAYS_2
            return self.since is None or now < self.since + keep
        return True

    def describe(self) -> PeeringShape:
        active = self.status in ("provisioning", "active")
        out: PeeringShape = {
            "AccepterVpcInfo": self.accepter.describe(active),
            "RequesterVpcInfo": self.requester.describe(True),
            "Status": {"Code": self.status, "Message": self.message},  # type: ignore[typeddict-item]
            "VpcPeeringConnectionId": self.id,
        }
        if self.status in ("initiating-request", "pending-acceptance"):
            out["ExpirationTime"] = self.expiration
        wanted = self.requester.options.get("AllowMultipathResilience")
        if wanted is not None:
            # asked for at creation; in effect once the connection is up
            out["MultipathResilienceStatus"] = (
                "disabled" if not wanted else "enabled" if active else "pending"
            )
        return out


@dataclass
class PeeringView(Resource):
    """One side's view of a connection: the connection, with that side's tags."""

    connection: Connection

    def describe(self) -> PeeringShape:
        out = self.connection.describe()
        if self.tags:
            out["Tags"] = self.tag_list()
        return out


def overlaps(a: list[str], b: list[str]) -> bool:
    nets_a = [ipaddress.ip_network(c, strict=False) for c in a]
    nets_b = [ipaddress.ip_network(c, strict=False) for c in b]
    return any(x.overlaps(y) for x in nets_a for y in nets_b if x.version == y.version)


class _Registry:
    """What every backend shares: the connections, each side's store, and undelivered views."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.connections: dict[str, Connection] = {}
        self.stores: dict[tuple[str, str], Store[PeeringView]] = {}
        self.inbox: dict[tuple[str, str], list[Connection]] = {}

    def deliver(self, side: tuple[str, str], connection: Connection) -> None:
        with self.lock:
            store = self.stores.get(side)
            if store is None:
                self.inbox.setdefault(side, []).append(connection)
            elif connection.id not in store:
                store.add(PeeringView(id=connection.id, connection=connection))


class VpcPeering:
    """The peering views of one region of one account."""

    def __init__(self, backend: Ec2Backend) -> None:
        self.backend = backend
        self.side = (backend.account_id, backend.region)
        self.store: Store[PeeringView] = backend.new_store(PEERING)
        # a view's VPCs never change, so these indexes need no reindexing
        self.store.add_index("requester-vpc", lambda v: v.connection.requester.vpc_id)
        self.store.add_index("accepter-vpc", lambda v: v.connection.accepter.vpc_id)
        registry = backend.shared.get("vpc_peering")
        if not isinstance(registry, _Registry):
            registry = backend.shared.setdefault("vpc_peering", _Registry())
        self.registry: _Registry = registry
        with registry.lock:
            registry.stores[self.side] = self.store
            for connection in registry.inbox.pop(self.side, []):
                self.store.add(PeeringView(id=connection.id, connection=connection))
        backend.depends_on("vpc", self._vpc_user)
        backend.vpcs.vpc_deleted.append(self.on_vpc_deleted)
        # security group rules may name a group in a VPC peered with theirs
        backend.security_groups.peering_sources.append(self.peering_between)
        backend.vpcs.controls.encryption_blockers.append(self._encryption_blockers)

    # -- time and visibility

    def now(self) -> datetime:
        return self.backend.clock.now()

    def visible(self) -> list[PeeringView]:
        """This side's connections it can still see; the forgotten ones leave the store."""
        now = self.now()
        out = []
        for view in self.store:
            if view.connection.visible_to(self.side, now):
                out.append(view)
            else:
                self.store.remove(view.id)
        return out

    def get(self, connection_id: str) -> PeeringView:
        view = self.store.get(connection_id)
        if not view.connection.visible_to(self.side, self.now()):
            raise PEERING.not_found([connection_id])
        return view

    def get_many(self, ids: list[str]) -> list[PeeringView]:
        views = self.store.get_many(ids)
        now = self.now()
        gone = [v.id for v in views if not v.connection.visible_to(self.side, now)]
        if gone:
            raise PEERING.not_found(gone)
        return views

    # -- the operations

    def check_request(
        self, requester: Side, peer_vpc_id: str, peer_owner: str, peer_region: str
    ) -> None:
        """Refuse a second live request between the same two VPCs."""
        now = self.now()
        candidates = self.store.lookup("requester-vpc", requester.vpc_id) + self.store.lookup(
            "accepter-vpc", requester.vpc_id
        )
        for view in candidates:
            c = view.connection
            c.advance(now)
            if c.status not in LIVE:
                continue
            pair = {(c.requester.vpc_id, c.requester.key), (c.accepter.vpc_id, c.accepter.key)}
            if pair == {
                (requester.vpc_id, requester.key),
                (peer_vpc_id, (peer_owner, peer_region)),
            }:
                raise ServiceError(
                    f"A VPC peering connection '{c.id}' between the VPCs already exists.",
                    code="VpcPeeringConnectionAlreadyExists",
                )

    def create(
        self,
        requester: Side,
        accepter: Side,
        peer_found: bool,
        tags: dict[str, str],
    ) -> PeeringView:
        backend = self.backend
        now = self.now()
        valid = (
            peer_found
            and bool(accepter.cidrs)
            and not overlaps(requester.cidrs + requester.ipv6_cidrs, accepter.cidrs)
        )
        connection = Connection(
            id=backend.ids.new("pcx"),
            requester=requester,
            accepter=accepter,
            created=now,
            settles_at=now + timedelta(seconds=backend.options.transition_delay),
            valid=valid,
            message=f"Initiating Request to {accepter.owner_id}",
            since=now,
        )
        with self.registry.lock:
            self.registry.connections[connection.id] = connection
        view = self.store.add(PeeringView(id=connection.id, connection=connection, tags=tags))
        if valid and accepter.key != requester.key:
            self.registry.deliver(accepter.key, connection)
        return view

    def _refuse(self, view: PeeringView, target: str) -> None:
        raise ServiceError(
            f"Invalid state transition for {view.id}, attempted to transition from "
            f"{view.connection.status} to {target}",
            code="InvalidStateTransition",
        )

    def accept(self, connection_id: str) -> PeeringView:
        view = self.get(connection_id)
        c = view.connection
        if self.side != c.accepter.key:
            raise ServiceError(
                f"User {self.backend.account_id} cannot accept peering {view.id}",
                code="OperationNotPermitted",
            )
        if c.status != "pending-acceptance":
            self._refuse(view, "active")
        return view

    def activate(self, view: PeeringView) -> None:
        """Accepted: provisioning, active after the transition delay."""
        now = self.now()
        view.connection._set("provisioning", "Provisioning", now)
        view.connection.active_at = now + timedelta(seconds=self.backend.options.transition_delay)

    def reject(self, connection_id: str) -> PeeringView:
        view = self.get(connection_id)
        c = view.connection
        if self.side != c.accepter.key:
            raise ServiceError(
                f"User {self.backend.account_id} cannot reject peering {view.id}",
                code="OperationNotPermitted",
            )
        if c.status != "pending-acceptance":
            self._refuse(view, "rejected")
        return view

    def mark_rejected(self, view: PeeringView) -> None:
        view.connection.ended_by = self.backend.account_id
        view.connection._set("rejected", f"Rejected by {self.backend.account_id}", self.now())

    def delete(self, connection_id: str) -> PeeringView:
        view = self.get(connection_id)
        c = view.connection
        if c.status == "pending-acceptance" and self.side != c.requester.key:
            # the accepter turns a request down with RejectVpcPeeringConnection
            raise ServiceError(
                f"User {self.backend.account_id} cannot delete peering {view.id}",
                code="OperationNotPermitted",
            )
        if c.status not in ("active", "provisioning", "pending-acceptance", "initiating-request"):
            self._refuse(view, "deleting")
        return view

    def mark_deleted(self, view: PeeringView) -> None:
        c = view.connection
        now = self.now()
        c.ended_by = self.backend.account_id
        c._set("deleting", "Deleting", now)
        c.deleted_at = now + timedelta(seconds=self.backend.options.transition_delay)
        c.advance(now)

    def check_modify(
        self,
        connection_id: str,
        accepter_options: dict[str, Any] | None,
        requester_options: dict[str, Any] | None,
    ) -> PeeringView:
        view = self.get(connection_id)
        c = view.connection
        if c.status != "active":
            raise ServiceError(
                f"Peering {view.id} is not active. Peering options can be added only to "
                "active peerings.",
                code="OperationNotPermitted",
            )
        for options, side, name in (
            (accepter_options, c.accepter, "accepter"),
            (requester_options, c.requester, "requester"),
        ):
            if options is not None and side.key != self.side:
                raise ServiceError(
                    f"User {self.backend.account_id} does not have permission to modify the "
                    f"{name} side peering options",
                    code="OperationNotPermitted",
                )
        if accepter_options is None and requester_options is None:
            raise InvalidParameterValue(
                "At least one of AccepterPeeringConnectionOptions or "
                "RequesterPeeringConnectionOptions must be specified"
            )
        return view

    # -- other families

    def _vpc_user(self, vpc_id: str) -> str | None:
        """EC2 will not delete a VPC another account has a pending request to: reject it first."""
        now = self.now()
        for view in self.store.lookup("accepter-vpc", vpc_id):
            c = view.connection
            c.advance(now)
            if (
                c.status == "pending-acceptance"
                and c.accepter.key == self.side
                and c.accepter.vpc_id == vpc_id
                and c.requester.owner_id != self.backend.account_id
            ):
                return f"pending VPC peering connection request {c.id}"
        return None

    def is_active(self, connection_id: str) -> bool:
        """For routes through a peering connection: active, or a blackhole."""
        view = self.store.find(connection_id)
        if view is None:
            return False
        view.connection.advance(self.now())
        return view.connection.status == "active"

    def _encryption_blockers(self, vpc_id: str) -> list[VpcEncryptionNonCompliantResource]:
        """The VPC's active peering connections (excludable from encryption enforcement)."""
        now = self.now()
        out: list[VpcEncryptionNonCompliantResource] = []
        for view in self.store.lookup("requester-vpc", vpc_id) + self.store.lookup(
            "accepter-vpc", vpc_id
        ):
            c = view.connection
            c.advance(now)
            if c.status == "active":
                out.append(
                    {
                        "Id": c.id,
                        "Type": "vpc-peering-connection",
                        "Description": f"VPC peering connection {c.id}",
                        "IsExcludable": True,
                    }
                )
        return list({r["Id"]: r for r in out}.values())

    def peering_between(self, vpc_id: str, other_vpc_id: str) -> str | None:
        """The active connection between one of this side's VPCs and another VPC of the same
        region (security group references do not cross regions), or None."""
        now = self.now()
        for index, far in (("requester-vpc", "accepter"), ("accepter-vpc", "requester")):
            for view in self.store.lookup(index, vpc_id):
                c = view.connection
                c.advance(now)
                other = getattr(c, far)
                if (
                    c.status == "active"
                    and other.vpc_id == other_vpc_id
                    and c.requester.region == c.accepter.region
                ):
                    return c.id
        return None

    def on_vpc_deleted(self, vpc_id: str) -> None:
        """For DeleteVpc: the VPC's active (or own pending) connections are deleted with it."""
        now = self.now()
        views = self.store.lookup("requester-vpc", vpc_id) + self.store.lookup(
            "accepter-vpc", vpc_id
        )
        for view in views:
            c = view.connection
            c.advance(now)
            mine = (c.requester.key == self.side and c.requester.vpc_id == vpc_id) or (
                c.accepter.key == self.side and c.accepter.vpc_id == vpc_id
            )
            if mine and c.status in LIVE:
                self.mark_deleted(view)


def _side_filter(attr: str, which: str) -> Any:
    def get(view: PeeringView) -> Any:
        side = getattr(view.connection, which)
        if attr == "cidr":
            if which == "accepter" and view.connection.status not in ("provisioning", "active"):
                return None
            return side.cidrs
        return getattr(side, attr)

    return get


PEERING_FILTERS = {
    "accepter-vpc-info.cidr-block": _side_filter("cidr", "accepter"),
    "accepter-vpc-info.owner-id": _side_filter("owner_id", "accepter"),
    "accepter-vpc-info.vpc-id": _side_filter("vpc_id", "accepter"),
    "requester-vpc-info.cidr-block": _side_filter("cidr", "requester"),
    "requester-vpc-info.owner-id": _side_filter("owner_id", "requester"),
    "requester-vpc-info.vpc-id": _side_filter("vpc_id", "requester"),
    "expiration-time": lambda v: (
        v.connection.expiration
        if v.connection.status in ("initiating-request", "pending-acceptance")
        else None
    ),
    "status-code": lambda v: v.connection.status,
    "status-message": lambda v: v.connection.message,
    "vpc-peering-connection-id": lambda v: v.id,
}
