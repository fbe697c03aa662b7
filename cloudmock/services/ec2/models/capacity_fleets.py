"""Capacity Reservation Fleets: one target capacity, reserved as Capacity Reservations.

The fleet (``prioritized`` allocation, the only strategy EC2 offers) fills its total
target capacity with its instance types in priority order: whole instances of the
first type while they fit, the next type for what is left, and one more instance of
the first type if a remainder still cannot be covered. Each instance type
specification gets one open Capacity Reservation carrying the fleet's id.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from cloudmock.core.errors import (
    InvalidParameterCombination,
    InvalidParameterValue,
    MissingParameter,
    ServiceError,
)
from cloudmock.services.ec2.models import sizes
from cloudmock.services.ec2.models.base import Resource, ResourceKind, Store
from cloudmock.services.ec2.models.capacity_reservations import (
    PLATFORMS,
    CapacityReservation,
    CreateRequest,
)

if TYPE_CHECKING:
    from cloudmock.services.ec2.models.backend import Ec2Backend
    from cloudmock.services.ec2.models.regions import Zone
    from cloudmock.services.ec2.shapes import CapacityReservationFleet as FleetShape
    from cloudmock.services.ec2.shapes import FleetCapacityReservation

CAPACITY_RESERVATION_FLEET = ResourceKind(
    "crf",
    "capacity-reservation-fleet",
    "InvalidCapacityReservationFleetId",
    "Capacity Reservation Fleet",
)
MAX_SPECS = 50
MAX_TARGET = 25000


@dataclass
class FleetSpec:
    instance_type: str
    platform: str
    weight: float
    zone: Zone
    ebs_optimized: bool
    priority: int


@dataclass
class Fleet(Resource):
    arn: str
    specs: list[FleetSpec]
    target: int
    create_time: datetime
    end_date: datetime | None
    allocation_strategy: str = "prioritized"
    tenancy: str = "default"
    criteria: str = "open"
    state: str = "submitted"
    #: spec index -> the fleet's reservation for it
    reservations: dict[int, CapacityReservation] = field(default_factory=dict)
    client_token: str | None = None
    zone_name: str | None = None
    zone_id: str | None = None
    generation: int = 0

    def live_reservations(self) -> list[tuple[FleetSpec, CapacityReservation]]:
        return [
            (self.specs[index], reservation)
            for index, reservation in sorted(self.reservations.items())
            if reservation.state not in ("cancelled", "expired")
        ]

    @property
    def fulfilled(self) -> float:
        if self.state in ("cancelled", "expired", "cancelling"):
            return 0.0
        return float(sum(spec.weight * r.total for spec, r in self.live_reservations()))

    def fleet_reservations(self) -> list[FleetCapacityReservation]:
        out: list[FleetCapacityReservation] = []
        for index, reservation in sorted(self.reservations.items()):
            spec = self.specs[index]
            out.append(
                {
                    "CapacityReservationId": reservation.id,
                    "AvailabilityZoneId": reservation.zone.zone_id,
                    "InstanceType": reservation.instance_type,  # type: ignore[typeddict-item]
                    "InstancePlatform": reservation.platform,  # type: ignore[typeddict-item]
                    "AvailabilityZone": reservation.zone.name,
                    "TotalInstanceCount": reservation.total,
                    "FulfilledCapacity": float(spec.weight * reservation.total),
                    "EbsOptimized": reservation.ebs_optimized,
                    "CreateDate": reservation.create_date,
                    "Weight": spec.weight,
                    "Priority": spec.priority,
                }
            )
        return out

    def describe(self) -> FleetShape:
        out: FleetShape = {
            "CapacityReservationFleetId": self.id,
            "CapacityReservationFleetArn": self.arn,
            "State": self.state,  # type: ignore[typeddict-item]
            "TotalTargetCapacity": self.target,
            "TotalFulfilledCapacity": self.fulfilled,
            "Tenancy": self.tenancy,  # type: ignore[typeddict-item]
            "CreateTime": self.create_time,
            "InstanceMatchCriteria": self.criteria,  # type: ignore[typeddict-item]
            "AllocationStrategy": self.allocation_strategy,
            "InstanceTypeSpecifications": self.fleet_reservations(),
            "Tags": self.tag_list(),
        }
        if self.end_date is not None:
            out["EndDate"] = self.end_date
        if self.zone_name:
            out["AvailabilityZone"] = self.zone_name
        if self.zone_id:
            out["AvailabilityZoneId"] = self.zone_id
        return out


def allocate(specs: list[FleetSpec], target: int) -> list[int]:
    """Instances per spec (same order) that fill ``target`` in priority order."""
    counts = [0] * len(specs)
    order = sorted(range(len(specs)), key=lambda i: (specs[i].priority, i))
    left = float(target)
    for index in order:
        whole = math.floor(left / specs[index].weight + 1e-9)
        counts[index] += whole
        left -= whole * specs[index].weight
        if left <= 1e-9:
            return counts
    # a remainder no type fits into: one more of the first choice covers it
    counts[order[0]] += math.ceil(left / specs[order[0]].weight - 1e-9)
    return counts


class CapacityReservationFleets:
    """The Capacity Reservation Fleet family of one region."""

    def __init__(self, backend: Ec2Backend) -> None:
        self.backend = backend
        self.store: Store[Fleet] = backend.new_store(CAPACITY_RESERVATION_FLEET)
        self.store.add_index("token", lambda f: f.client_token)

    def by_token(self, token: str | None) -> Fleet | None:
        if not token:
            return None
        found = self.store.lookup("token", token)
        return found[0] if found else None

    def check_create(
        self,
        specs: list[dict[str, Any]],
        target: int | None,
        strategy: str | None,
        tenancy: str | None,
        criteria: str | None,
        end_date: datetime | None,
        zone_name: str | None,
        zone_id: str | None,
    ) -> list[FleetSpec]:
        family = self.backend.capacity_reservations
        if not specs:
            raise MissingParameter(
                "The request must contain the parameter InstanceTypeSpecifications"
            )
        if target is None:
            raise MissingParameter("The request must contain the parameter TotalTargetCapacity")
        if len(specs) > MAX_SPECS:
            raise InvalidParameterValue(
                f"A Capacity Reservation Fleet can have at most {MAX_SPECS} instance type "
                "specifications"
            )
        if not 1 <= target <= MAX_TARGET:
            raise InvalidParameterValue(f"TotalTargetCapacity must be between 1 and {MAX_TARGET}")
        if strategy not in (None, "prioritized"):
            raise InvalidParameterValue(
                f"Invalid value '{strategy}' for AllocationStrategy. Valid values: prioritized"
            )
        if tenancy not in (None, "default"):
            raise InvalidParameterValue(
                f"Invalid value '{tenancy}' for Tenancy. Valid values: default"
            )
        if criteria not in (None, "open"):
            raise InvalidParameterValue(
                f"Invalid value '{criteria}' for InstanceMatchCriteria. Valid values: open"
            )
        if end_date is not None and end_date <= self.backend.clock.now():
            raise InvalidParameterValue("The EndDate must be in the future")
        fleet_zone = family.zone(zone_name, zone_id) if zone_name or zone_id else None
        out = []
        seen = set()
        for position, raw in enumerate(specs, start=1):
            instance_type = raw.get("InstanceType")
            platform = raw.get("InstancePlatform")
            if not instance_type or not platform:
                raise MissingParameter(
                    f"InstanceTypeSpecification.{position} needs InstanceType and InstancePlatform"
                )
            sizes.split(instance_type)
            if platform not in PLATFORMS:
                raise InvalidParameterValue(f"Invalid value '{platform}' for InstancePlatform.")
            name, zid = raw.get("AvailabilityZone"), raw.get("AvailabilityZoneId")
            zone = family.zone(name, zid) if name or zid else fleet_zone
            if zone is None:
                raise MissingParameter(
                    f"InstanceTypeSpecification.{position} needs AvailabilityZone or "
                    "AvailabilityZoneId"
                )
            weight = float(raw.get("Weight", 1.0))
            if not 0.001 <= weight <= 99.999:
                raise InvalidParameterValue("Weight must be between 0.001 and 99.999")
            priority = int(raw.get("Priority", 0))
            if not 0 <= priority <= 999:
                raise InvalidParameterValue("Priority must be between 0 and 999")
            key = (instance_type, zone.name)
            if key in seen:
                raise InvalidParameterCombination(
                    f"Instance type {instance_type} in {zone.name} is specified more than once"
                )
            seen.add(key)
            out.append(
                FleetSpec(
                    instance_type=instance_type,
                    platform=platform,
                    weight=weight,
                    zone=zone,
                    ebs_optimized=bool(raw.get("EbsOptimized", False)),
                    priority=priority,
                )
            )
        return out

    def create(
        self,
        specs: list[FleetSpec],
        target: int,
        end_date: datetime | None,
        tags: dict[str, str],
        client_token: str | None,
        zone_name: str | None,
        zone_id: str | None,
    ) -> Fleet:
        backend = self.backend
        fleet_id = backend.ids.new("crf")
        partition = sizes.arn_partition(backend.region)
        fleet = Fleet(
            fleet_id,
            arn=(
                f"arn:{partition}:ec2:{backend.region}:{backend.account_id}:"
                f"capacity-reservation-fleet/{fleet_id}"
            ),
            specs=specs,
            target=target,
            create_time=backend.clock.now(),
            end_date=end_date,
            client_token=client_token,
            zone_name=zone_name,
            zone_id=zone_id,
            tags=tags,
        )
        self.store.add(fleet)
        self._reserve(fleet, allocate(specs, target))
        self._settle(fleet, "active")
        return fleet

    def _reserve(self, fleet: Fleet, counts: list[int]) -> None:
        """Make each spec's reservation hold its count (create, resize or cancel)."""
        family = self.backend.capacity_reservations
        for index, count in enumerate(counts):
            current = fleet.reservations.get(index)
            live = current is not None and current.state not in ("cancelled", "expired")
            if count == 0:
                if live:
                    assert current is not None
                    family.end(current, "cancelled")
                continue
            if live:
                assert current is not None
                current.total = max(count, len(current.instances))
                family.refill(current)
                continue
            spec = fleet.specs[index]
            request = CreateRequest(
                instance_type=spec.instance_type,
                platform=spec.platform,
                zone=spec.zone,
                tenancy=fleet.tenancy,
                count=count,
                ebs_optimized=spec.ebs_optimized,
                ephemeral_storage=False,
                end_date=fleet.end_date,
                end_date_type="limited" if fleet.end_date else "unlimited",
                criteria=fleet.criteria,
                placement_group_arn=None,
            )
            fleet.reservations[index] = family.create(request, {}, fleet_id=fleet.id)

    def _settle(self, fleet: Fleet, state: str) -> None:
        fleet.generation += 1

        def done(item: Fleet) -> None:
            item.state = state

        self.backend.schedule(self.backend.options.transition_delay, fleet, done)
        if fleet.end_date is not None:
            delay = fleet.end_date.timestamp() - self.backend.clock.time()
            self.backend.schedule(delay, fleet, self._expire)

    def _expire(self, fleet: Fleet) -> None:
        if fleet.state in ("active", "modifying", "partially_fulfilled", "submitted"):
            fleet.state = "expired"
            family = self.backend.capacity_reservations
            for _, reservation in fleet.live_reservations():
                family.end(reservation, "expired")

    def check_modify(
        self,
        fleet_id: str,
        target: int | None,
        end_date: datetime | None,
        remove_end_date: bool | None,
    ) -> Fleet:
        fleet = self.store.get(fleet_id)
        if fleet.state not in ("active", "submitted", "partially_fulfilled", "modifying"):
            raise ServiceError(
                f"The Capacity Reservation Fleet {fleet.id} is {fleet.state} and cannot be "
                "modified",
                code="IncorrectState",
            )
        if end_date is not None and remove_end_date:
            raise InvalidParameterCombination("EndDate and RemoveEndDate cannot both be specified")
        if target is None and end_date is None and not remove_end_date:
            raise MissingParameter(
                "The request must change TotalTargetCapacity, EndDate or RemoveEndDate"
            )
        if target is not None and not 1 <= target <= MAX_TARGET:
            raise InvalidParameterValue(f"TotalTargetCapacity must be between 1 and {MAX_TARGET}")
        if end_date is not None and end_date <= self.backend.clock.now():
            raise InvalidParameterValue("The EndDate must be in the future")
        return fleet

    def modify(
        self,
        fleet: Fleet,
        target: int | None,
        end_date: datetime | None,
        remove_end_date: bool | None,
    ) -> None:
        family = self.backend.capacity_reservations
        fleet.state = "modifying"
        if end_date is not None or remove_end_date:
            fleet.end_date = None if remove_end_date else end_date
            for _, reservation in fleet.live_reservations():
                family.modify(
                    reservation,
                    None,
                    fleet.end_date,
                    "limited" if fleet.end_date else "unlimited",
                    None,
                    None,
                )
        if target is not None:
            fleet.target = target
            self._reserve(fleet, allocate(fleet.specs, target))
        self._settle(fleet, "active")

    def cancel(self, fleet: Fleet) -> str:
        previous = fleet.state
        family = self.backend.capacity_reservations
        for _, reservation in fleet.live_reservations():
            family.end(reservation, "cancelled")
        fleet.state = "cancelling"
        fleet.generation += 1

        def done(item: Fleet) -> None:
            item.state = "cancelled"

        self.backend.schedule(self.backend.options.transition_delay, fleet, done)
        return previous


FLEET_FILTERS: dict[str, Any] = {
    "state": lambda f: f.state,
    "instance-match-criteria": lambda f: f.criteria,
    "allocation-strategy": lambda f: f.allocation_strategy,
    "tenancy": lambda f: f.tenancy,
}
