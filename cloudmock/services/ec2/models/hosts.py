"""Dedicated Hosts: allocation, capacity, placement of launches, Host Reservations.

A host is allocated for one instance type (it runs only that type, as many as
fit) or for a family (any sizes of it, until its vCPUs run out). Capacity is
counted in EC2's normalization units (``sizes``): a host of any family holds 192
(96 vCPUs), so an m5 host runs 48 m5.large or one m5.24xlarge. Launches join
through the launch seams: ``tenancy host`` with a HostId, or auto-placement on a
host with ``AutoPlacement on``. An instance takes capacity while pending or running;
a stopped one gives it back (affinity ``host`` brings it back to the same host).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from cloudmock.core.errors import (
    InvalidParameterCombination,
    InvalidParameterValue,
    MissingParameter,
    ServiceError,
)
from cloudmock.services.ec2.models import sizes
from cloudmock.services.ec2.models.base import Resource, ResourceKind, Store, options_only

if TYPE_CHECKING:
    from cloudmock.services.ec2.models.backend import Ec2Backend
    from cloudmock.services.ec2.models.instances import Instance, LaunchSpec
    from cloudmock.services.ec2.models.regions import Zone
    from cloudmock.services.ec2.shapes import Host as HostShape
    from cloudmock.services.ec2.shapes import HostOffering, HostReservation, Purchase

HOST = ResourceKind("h", "dedicated-host", "InvalidHostID", "Dedicated Host ID")
HOST_RESERVATION = ResourceKind(
    "hr", "host-reservation", "InvalidHostReservationId", "Host Reservation ID"
)
_FAMILY = re.compile(r"^[a-z][a-z0-9-]*$")
HOLDING = ("pending", "running")
YEAR = 31536000
MAX_QUANTITY = 100

#: the families Dedicated Hosts (and Host Reservations) are offered for, with the
#: on-demand price of a whole host per hour (USD)
HOST_FAMILIES: dict[str, float] = {
    "a1": 0.449,
    "c5": 4.576,
    "c5n": 5.184,
    "c6i": 4.589,
    "c7g": 3.481,
    "g4dn": 8.712,
    "i3": 5.491,
    "m5": 5.069,
    "m5n": 6.336,
    "m6i": 5.069,
    "m7g": 3.917,
    "mac1": 1.083,
    "mac2": 0.65,
    "mac2-m2": 0.878,
    "mac2-m2pro": 1.56,
    "p3": 26.928,
    "r5": 6.653,
    "r6i": 6.653,
    "x1e": 26.688,
    "z1d": 4.908,
}
#: (payment option, fraction of the hourly host price paid up front per hour of the term,
#: fraction still paid per hour) by term in years
PAYMENT_TERMS: dict[int, tuple[tuple[str, float, float], ...]] = {
    1: (("NoUpfront", 0.0, 0.70), ("PartialUpfront", 0.33, 0.33), ("AllUpfront", 0.64, 0.0)),
    3: (("NoUpfront", 0.0, 0.50), ("PartialUpfront", 0.22, 0.22), ("AllUpfront", 0.42, 0.0)),
}
#: macOS versions each Mac family runs, newest first
MAC_VERSIONS: dict[str, list[str]] = {
    "mac1": ["15.5", "14.7.6", "13.7.6"],
    "mac2": ["15.5", "14.7.6", "13.7.6"],
    "mac2-m2": ["15.5", "14.7.6", "13.7.6"],
    "mac2-m2pro": ["15.5", "14.7.6", "13.7.6"],
    "mac2-m1ultra": ["15.5", "14.7.6"],
    "mac-m4": ["15.5"],
    "mac-m4pro": ["15.5"],
}
#: the sizes a family host lists in AvailableInstanceCapacity
_LISTED_SIZES = ("large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge")


@dataclass
class Host(Resource):
    owner_id: str
    zone: Zone
    instance_type: str | None
    instance_family: str
    auto_placement: str
    host_recovery: str
    host_maintenance: str
    allocation_time: datetime
    client_token: str | None = None
    amd_sev_snp: str | None = None
    state: str = "pending"
    release_time: datetime | None = None
    reservation_id: str | None = None
    #: instance id -> instance type, for the instances holding capacity here
    instances: dict[str, str] = field(default_factory=dict)
    generation: int = 0

    @property
    def used_units(self) -> float:
        return sum(sizes.units(t) for t in self.instances.values())

    @property
    def free_units(self) -> float:
        return sizes.HOST_UNITS - self.used_units

    def room_for(self, instance_type: str) -> int:
        """How many more ``instance_type`` instances fit (0 if the host cannot run it)."""
        if self.state != "available":
            return 0
        if self.instance_type is not None:
            if instance_type != self.instance_type:
                return 0
            return sizes.host_capacity(instance_type) - len(self.instances)
        if sizes.family(instance_type) != self.instance_family:
            return 0
        return int(self.free_units // sizes.units(instance_type))

    def runs(self, instance_type: str) -> bool:
        if self.instance_type is not None:
            return instance_type == self.instance_type
        return sizes.family(instance_type) == self.instance_family

    def describe(self) -> HostShape:
        total_vcpus = int(sizes.HOST_UNITS // 2)
        used_vcpus = sum(sizes.vcpus(t) for t in self.instances.values())
        if self.instance_type is not None:
            listed = [self.instance_type]
        else:
            listed = [f"{self.instance_family}.{size}" for size in _LISTED_SIZES]
        capacity = [
            {
                "InstanceType": instance_type,
                "AvailableCapacity": max(0, self._room(instance_type)),
                "TotalCapacity": sizes.host_capacity(instance_type),
            }
            for instance_type in listed
        ]
        properties: dict[str, Any] = {
            "Cores": total_vcpus // 2,
            "Sockets": 2,
            "TotalVCpus": total_vcpus,
        }
        if self.instance_type is not None:
            properties["InstanceType"] = self.instance_type
        else:
            properties["InstanceFamily"] = self.instance_family
        out: HostShape = {
            "AutoPlacement": self.auto_placement,  # type: ignore[typeddict-item]
            "AvailabilityZone": self.zone.name,
            "AvailabilityZoneId": self.zone.zone_id,
            "AvailableCapacity": {
                "AvailableInstanceCapacity": capacity,  # type: ignore[typeddict-item]
                "AvailableVCpus": total_vcpus - used_vcpus,
            },
            "HostId": self.id,
            "HostProperties": properties,  # type: ignore[typeddict-item]
            "Instances": [
                {"InstanceId": i, "InstanceType": t, "OwnerId": self.owner_id}
                for i, t in self.instances.items()
            ],
            "State": self.state,  # type: ignore[typeddict-item]
            "AllocationTime": self.allocation_time,
            "Tags": self.tag_list(),
            "HostRecovery": self.host_recovery,  # type: ignore[typeddict-item]
            "AllowsMultipleInstanceTypes": "off" if self.instance_type else "on",
            "OwnerId": self.owner_id,
            "MemberOfServiceLinkedResourceGroup": False,
            "HostMaintenance": self.host_maintenance,  # type: ignore[typeddict-item]
        }
        if self.client_token:
            out["ClientToken"] = self.client_token
        if self.release_time is not None:
            out["ReleaseTime"] = self.release_time
        if self.reservation_id:
            out["HostReservationId"] = self.reservation_id
        if self.amd_sev_snp:
            out["CpuOptions"] = {"AmdSevSnp": self.amd_sev_snp}  # type: ignore[typeddict-item]
        return out

    def _room(self, instance_type: str) -> int:
        if self.state != "available":
            return 0
        if self.instance_type is not None:
            return sizes.host_capacity(instance_type) - len(self.instances)
        return int(self.free_units // sizes.units(instance_type))


@dataclass(frozen=True)
class Offering:
    id: str
    family: str
    payment_option: str
    duration: int
    upfront: float
    hourly: float

    def describe(self) -> HostOffering:
        return {
            "CurrencyCode": "USD",
            "Duration": self.duration,
            "HourlyPrice": f"{self.hourly:.3f}",
            "InstanceFamily": self.family,
            "OfferingId": self.id,
            "PaymentOption": self.payment_option,  # type: ignore[typeddict-item]
            "UpfrontPrice": f"{self.upfront:.3f}",
        }

    def purchase(self, host_ids: list[str], reservation_id: str | None = None) -> Purchase:
        count = len(host_ids)
        out: Purchase = {
            "CurrencyCode": "USD",
            "Duration": self.duration,
            "HostIdSet": list(host_ids),
            "HourlyPrice": f"{self.hourly * count:.3f}",
            "InstanceFamily": self.family,
            "PaymentOption": self.payment_option,  # type: ignore[typeddict-item]
            "UpfrontPrice": f"{self.upfront * count:.3f}",
        }
        if reservation_id:
            out["HostReservationId"] = reservation_id
        return out


def _catalogue() -> list[Offering]:
    out = []
    for family, price in HOST_FAMILIES.items():
        for years, terms in PAYMENT_TERMS.items():
            hours = years * 8760
            for option, upfront_share, hourly_share in terms:
                digest = hashlib.sha256(f"{family}|{years}|{option}".encode()).hexdigest()
                out.append(
                    Offering(
                        id=f"hro-{digest[:17]}",
                        family=family,
                        payment_option=option,
                        duration=years * YEAR,
                        upfront=round(price * hours * upfront_share, 3),
                        hourly=round(price * hourly_share, 3),
                    )
                )
    return out


_OFFERINGS: list[Offering] | None = None


def offerings() -> list[Offering]:
    """Every Host Reservation offering (made on first use: nothing heavy at import)."""
    global _OFFERINGS
    if _OFFERINGS is None:
        _OFFERINGS = _catalogue()
    return _OFFERINGS


def offering(offering_id: str) -> Offering:
    if not re.match(r"^hro-[0-9a-f]{17}$", offering_id or ""):
        raise ServiceError(
            f'Invalid id: "{offering_id}" (expecting "hro-...")',
            code="InvalidHostReservationOfferingId.Malformed",
        )
    for candidate in offerings():
        if candidate.id == offering_id:
            return candidate
    raise ServiceError(
        f"The Host Reservation offering '{offering_id}' does not exist",
        code="InvalidHostReservationOfferingId.NotFound",
    )


@dataclass
class Reservation(Resource):
    offering: Offering
    host_ids: list[str]
    start: datetime
    state: str = "payment-pending"
    generation: int = 0

    @property
    def end(self) -> datetime:
        return self.start + timedelta(seconds=self.offering.duration)

    def describe(self) -> HostReservation:
        purchase = self.offering.purchase(self.host_ids)
        return {
            "Count": len(self.host_ids),
            "CurrencyCode": "USD",
            "Duration": self.offering.duration,
            "End": self.end,
            "HostIdSet": list(self.host_ids),
            "HostReservationId": self.id,
            "HourlyPrice": purchase["HourlyPrice"],
            "InstanceFamily": self.offering.family,
            "OfferingId": self.offering.id,
            "PaymentOption": self.offering.payment_option,  # type: ignore[typeddict-item]
            "Start": self.start,
            "State": self.state,  # type: ignore[typeddict-item]
            "UpfrontPrice": purchase["UpfrontPrice"],
            "Tags": self.tag_list(),
        }


def _on_off(value: str | None, name: str, default: str) -> str:
    if value is None:
        return default
    if value not in ("on", "off"):
        raise InvalidParameterValue(f"Invalid value '{value}' for {name}. Valid values: on, off")
    return value


class Hosts:
    """The Dedicated Host family of one region."""

    def __init__(self, backend: Ec2Backend) -> None:
        self.backend = backend
        self.store: Store[Host] = backend.new_store(HOST)
        self.store.add_index("zone", lambda h: h.zone.name)
        self.store.add_index("token", lambda h: h.client_token)
        self.reservations: Store[Reservation] = backend.new_store(HOST_RESERVATION)
        #: PurchaseHostReservation's ClientToken -> the reservation it bought
        self.purchase_tokens: dict[str, str] = {}
        #: instance id -> the host it is on (kept while stopped, for affinity and release)
        self.host_of: dict[str, str] = {}
        #: instance id -> its affinity ("default" or "host")
        self.affinity: dict[str, str] = {}
        instances = backend.instances
        instances.launch_checks.append(self._check_launch)
        instances.on_launch.append(self._launched)
        instances.on_state.append(self._state_changed)

    # -- allocate, modify, release

    def check_allocate(
        self,
        *,
        instance_type: str | None,
        instance_family: str | None,
        zone_name: str | None,
        zone_id: str | None,
        quantity: int | None,
        auto_placement: str | None,
        host_recovery: str | None,
        host_maintenance: str | None,
        amd_sev_snp: str | None,
    ) -> tuple[Zone, str | None, str]:
        if instance_type and instance_family:
            raise InvalidParameterCombination(
                "Specify either InstanceType or InstanceFamily, not both"
            )
        if not instance_type and not instance_family:
            raise MissingParameter("The request must contain InstanceType or InstanceFamily")
        family = self._family(instance_type, instance_family)
        zone = self.backend.capacity_reservations.zone(zone_name, zone_id)
        if quantity is not None and not 1 <= quantity <= MAX_QUANTITY:
            raise ServiceError(
                f"The quantity of Dedicated Hosts must be between 1 and {MAX_QUANTITY}",
                code="InvalidQuantity",
            )
        if auto_placement is not None and auto_placement not in ("on", "off"):
            raise ServiceError(
                f"Invalid value '{auto_placement}' for AutoPlacement. Valid values: on, off",
                code="InvalidAutoPlacement",
            )
        _on_off(host_recovery, "HostRecovery", "off")
        _on_off(host_maintenance, "HostMaintenance", "on")
        if amd_sev_snp is not None and amd_sev_snp not in ("enabled", "disabled"):
            raise InvalidParameterValue(f"Invalid value '{amd_sev_snp}' for CpuOptions.AmdSevSnp")
        return zone, instance_type, family

    def _family(self, instance_type: str | None, instance_family: str | None) -> str:
        if instance_type:
            family = sizes.family(instance_type)
        else:
            assert instance_family is not None
            if not _FAMILY.match(instance_family):
                raise ServiceError(
                    f"Invalid value '{instance_family}' for InstanceFamily.",
                    code="InvalidInstanceFamily",
                )
            family = instance_family
        if family not in HOST_FAMILIES and family not in MAC_VERSIONS:
            raise InvalidParameterValue(
                f"Dedicated Hosts are not offered for the {family} instance family"
            )
        return family

    def allocate(
        self,
        zone: Zone,
        instance_type: str | None,
        family: str,
        quantity: int,
        auto_placement: str | None,
        host_recovery: str | None,
        host_maintenance: str | None,
        amd_sev_snp: str | None,
        tags: dict[str, str],
        client_token: str | None,
    ) -> list[Host]:
        backend = self.backend
        now = backend.clock.now()
        hosts = []
        for _ in range(quantity):
            host = Host(
                backend.ids.new("h"),
                owner_id=backend.account_id,
                zone=zone,
                instance_type=instance_type,
                instance_family=family,
                auto_placement=auto_placement or "off",
                host_recovery=host_recovery or "off",
                host_maintenance=host_maintenance or "on",
                allocation_time=now,
                client_token=client_token,
                amd_sev_snp=amd_sev_snp,
                tags=dict(tags),
            )
            self.store.add(host)
            hosts.append(host)

            def ready(item: Host) -> None:
                if item.state == "pending":
                    item.state = "available"

            backend.schedule(backend.options.transition_delay, host, ready)
        return hosts

    def by_token(self, token: str | None) -> list[Host]:
        if not token:
            return []
        return self.store.lookup("token", token)

    def modify_error(
        self,
        host: Host,
        instance_type: str | None,
        instance_family: str | None,
    ) -> tuple[str, str] | None:
        """Why ``host`` cannot take this modification (code, message), if it cannot."""
        if host.state not in ("available", "pending"):
            return ("InvalidHostState", f"Dedicated Host {host.id} is {host.state}")
        if (instance_type or instance_family) and host.instances:
            return (
                "InvalidHostState",
                f"Dedicated Host {host.id} has instances: its instance type cannot change",
            )
        return None

    def check_modify(
        self,
        instance_type: str | None,
        instance_family: str | None,
        auto_placement: str | None,
        host_recovery: str | None,
        host_maintenance: str | None,
    ) -> str | None:
        if instance_type and instance_family:
            raise InvalidParameterCombination(
                "Specify either InstanceType or InstanceFamily, not both"
            )
        if auto_placement is not None and auto_placement not in ("on", "off"):
            raise ServiceError(
                f"Invalid value '{auto_placement}' for AutoPlacement. Valid values: on, off",
                code="InvalidAutoPlacement",
            )
        _on_off(host_recovery, "HostRecovery", "off")
        _on_off(host_maintenance, "HostMaintenance", "on")
        if not (
            instance_type or instance_family or auto_placement or host_recovery or host_maintenance
        ):
            raise MissingParameter(
                "The request must change AutoPlacement, HostRecovery, HostMaintenance, "
                "InstanceType or InstanceFamily"
            )
        if instance_type or instance_family:
            return self._family(instance_type, instance_family)
        return None

    def modify(
        self,
        host: Host,
        instance_type: str | None,
        family: str | None,
        auto_placement: str | None,
        host_recovery: str | None,
        host_maintenance: str | None,
    ) -> None:
        if family is not None:
            host.instance_type = instance_type
            host.instance_family = family
        if auto_placement:
            host.auto_placement = auto_placement
        if host_recovery:
            host.host_recovery = host_recovery
        if host_maintenance:
            host.host_maintenance = host_maintenance

    def release_error(self, host: Host) -> tuple[str, str] | None:
        if host.state in ("released", "released-permanent-failure"):
            return ("InvalidHostState", f"Dedicated Host {host.id} is already released")
        if host.instances:
            return (
                "InvalidHostState",
                f"Dedicated Host {host.id} has running instances: stop or terminate them first",
            )
        return None

    def release(self, host: Host) -> None:
        host.state = "released"
        host.release_time = self.backend.clock.now()
        host.generation += 1

    # -- the launch seams

    @options_only
    def _check_launch(self, spec: LaunchSpec, zone_name: str) -> None:
        if spec.affinity is not None and spec.affinity not in ("default", "host"):
            raise ServiceError(
                f"Invalid value '{spec.affinity}' for Affinity. Valid values: default, host",
                code="InvalidAffinity",
            )
        if spec.host_resource_group_arn:
            raise ServiceError(
                "cloudmock does not model host resource groups (License Manager) yet.",
                code="UnsupportedOperation",
            )
        if spec.host_id is None and spec.tenancy != "host":
            if spec.affinity == "host":
                raise InvalidParameterCombination(
                    "Affinity host needs the host tenancy (Tenancy host or a HostId)"
                )
            return
        if spec.host_id is not None:
            host = self.store.get(spec.host_id)
            if host.state != "available":
                raise ServiceError(
                    f"Dedicated Host {host.id} is {host.state}", code="InvalidHostState"
                )
            if host.zone.name != zone_name:
                raise InvalidParameterValue(
                    f"Dedicated Host {host.id} is in {host.zone.name}, not {zone_name}"
                )
            if not host.runs(spec.instance_type):
                raise ServiceError(
                    f"Dedicated Host {host.id} cannot run instance type {spec.instance_type}",
                    code="IncompatibleHostRequirements",
                )
            if host.room_for(spec.instance_type) < spec.max_count:
                raise ServiceError(
                    f"There is not enough capacity on Dedicated Host {host.id} to launch "
                    f"{spec.max_count} {spec.instance_type} instance(s).",
                    code="InsufficientCapacityOnHost",
                )
            return
        room = sum(h.room_for(spec.instance_type) for h in self._auto_hosts(zone_name))
        if room < spec.max_count:
            raise ServiceError(
                "There are no valid Dedicated Hosts available on which you can launch "
                f"{spec.max_count} {spec.instance_type} instance(s) in {zone_name}: allocate "
                "one with AutoPlacement on, or name a HostId.",
                code="UnavailableHostRequirements",
            )

    def zone_with_room(self, instance_type: str) -> str | None:
        """The first zone with an auto-placement host that can take ``instance_type``
        (where a host-tenancy launch without a HostId, subnet or zone goes)."""
        for zone_name in self.backend.zones:
            if any(h.room_for(instance_type) > 0 for h in self._auto_hosts(zone_name)):
                return zone_name
        return None

    def _auto_hosts(self, zone_name: str) -> list[Host]:
        return [h for h in self.store.lookup("zone", zone_name) if h.auto_placement == "on"]

    @options_only
    def _launched(self, instance: Instance, spec: LaunchSpec) -> bool:
        if spec.host_id is None and spec.tenancy != "host":
            return False
        self.affinity[instance.id] = spec.affinity or "default"
        self._place(instance, spec.host_id)
        return True  # the instance shows its host and affinity

    def _place(self, instance: Instance, host_id: str | None) -> None:
        host: Host | None = None
        if host_id is not None:
            candidate = self.store.find(host_id)
            if candidate is not None and candidate.room_for(instance.instance_type) > 0:
                host = candidate
        else:
            for candidate in self._auto_hosts(instance.zone.name):
                if candidate.room_for(instance.instance_type) > 0:
                    host = candidate
                    break
        if host is not None:
            host.instances[instance.id] = instance.instance_type
            self.host_of[instance.id] = host.id

    def _state_changed(self, instance: Instance, previous: str) -> None:
        host_id = self.host_of.get(instance.id)
        if instance.id not in self.affinity:
            return
        if instance.state not in HOLDING:
            if host_id is not None:
                host = self.store.find(host_id)
                if host is not None:
                    host.instances.pop(instance.id, None)
            if instance.state == "terminated":
                self.host_of.pop(instance.id, None)
                self.affinity.pop(instance.id, None)
        elif previous not in HOLDING:
            # started again: affinity host returns to its host, default goes where there is room
            pinned = self.affinity.get(instance.id) == "host"
            self.host_of.pop(instance.id, None)
            self._place(instance, host_id if pinned else None)
            if instance.id not in self.host_of and not pinned and host_id is not None:
                self._place(instance, host_id)

    def assign(
        self, instance_id: str, host_id: str | None, affinity: str | None, tenancy: str | None
    ) -> None:
        """ModifyInstancePlacement of a stopped instance: where it starts next time."""
        if tenancy is not None and tenancy != "host":
            self.host_of.pop(instance_id, None)
            self.affinity.pop(instance_id, None)
            return
        if host_id is not None:
            self.host_of[instance_id] = host_id
        if host_id is not None or affinity is not None:
            self.affinity[instance_id] = affinity or self.affinity.get(instance_id, "default")

    def host_for(self, instance_id: str) -> str | None:
        """The host an instance is on (Instance.Placement.HostId), if any."""
        return self.host_of.get(instance_id)

    def affinity_of(self, instance_id: str) -> str | None:
        """An instance's host affinity (Instance.Placement.Affinity), if it is on a host."""
        return self.affinity.get(instance_id)

    # -- Host Reservations

    def check_purchase(
        self,
        offering_id: str,
        host_ids: list[str],
        currency: str | None,
        limit_price: str | None,
    ) -> tuple[Offering, list[Host]]:
        chosen = offering(offering_id)
        if not host_ids:
            raise MissingParameter("The request must contain the parameter HostIdSet")
        hosts = self.store.get_many(host_ids)
        for host in hosts:
            if host.instance_family != chosen.family:
                raise ServiceError(
                    f"The instance family of Dedicated Host {host.id} ({host.instance_family}) "
                    f"is not that of the offering ({chosen.family})",
                    code="InvalidInstanceFamily",
                )
            if host.reservation_id is not None:
                raise ServiceError(
                    f"Dedicated Host {host.id} is already covered by reservation "
                    f"{host.reservation_id}",
                    code="HostAlreadyCoveredByReservation",
                )
            if host.state not in ("available", "pending"):
                raise ServiceError(
                    f"Dedicated Host {host.id} is {host.state}", code="InvalidHostState"
                )
        if currency is not None and currency != "USD":
            raise InvalidParameterValue(f"Invalid value '{currency}' for CurrencyCode.")
        if limit_price is not None:
            try:
                limit = float(limit_price)
            except ValueError:
                raise InvalidParameterValue(
                    f"Invalid value '{limit_price}' for LimitPrice."
                ) from None
            total = chosen.upfront * len(hosts)
            if total > limit:
                raise InvalidParameterValue(
                    f"The total upfront price {total:.3f} exceeds the LimitPrice {limit_price}"
                )
        return chosen, hosts

    def purchase(self, chosen: Offering, hosts: list[Host], tags: dict[str, str]) -> Reservation:
        backend = self.backend
        reservation = Reservation(
            backend.ids.new("hr"),
            offering=chosen,
            host_ids=[h.id for h in hosts],
            start=backend.clock.now(),
            tags=tags,
        )
        self.reservations.add(reservation)
        for host in hosts:
            host.reservation_id = reservation.id
            self.store.reindex(host)

        def paid(item: Reservation) -> None:
            if item.state == "payment-pending":
                item.state = "active"

        def retire(item: Reservation) -> None:
            item.state = "retired"
            for host_id in item.host_ids:
                host = self.store.find(host_id)
                if host is not None and host.reservation_id == item.id:
                    host.reservation_id = None

        backend.schedule(backend.options.transition_delay, reservation, paid)
        backend.schedule(chosen.duration, reservation, retire)
        return reservation


HOST_FILTERS: dict[str, Any] = {
    "auto-placement": lambda h: h.auto_placement,
    "availability-zone": lambda h: h.zone.name,
    "client-token": lambda h: h.client_token,
    "host-reservation-id": lambda h: h.reservation_id,
    "instance-type": lambda h: h.instance_type,
    "state": lambda h: h.state,
}
MAC_HOST_FILTERS: dict[str, Any] = {
    "availability-zone": lambda h: h.zone.name,
    "instance-type": lambda h: h.instance_type,
}
HOST_OFFERING_FILTERS: dict[str, Any] = {
    "instance-family": lambda o: o.family,
    "payment-option": lambda o: o.payment_option,
}
HOST_RESERVATION_FILTERS: dict[str, Any] = {
    "instance-family": lambda r: r.offering.family,
    "payment-option": lambda r: r.offering.payment_option,
    "state": lambda r: r.state,
}
