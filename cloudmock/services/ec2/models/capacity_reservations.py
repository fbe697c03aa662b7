"""On-Demand Capacity Reservations: capacity held for matching launches, on the clock.

A reservation is ``pending`` until the transition delay passes, then ``active``;
a limited one expires at its EndDate; a future-dated one is ``assessing``, then
``scheduled`` until its StartDate. Instances join through the launch seams
(``launch_checks`` refuses a targeted launch that does not fit, ``on_launch`` and
``on_state`` keep the count of instances in each reservation). Which reservation
an instance uses, and its preference, are kept here by instance id.
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
    from cloudmock.services.ec2.shapes import CapacityReservation as CapacityReservationShape
    from cloudmock.services.ec2.shapes import (
        CapacityReservationBillingRequest as BillingRequestShape,
    )
    from cloudmock.services.ec2.shapes import (
        CapacityReservationCancellationQuote as CancellationQuoteShape,
    )
    from cloudmock.services.ec2.shapes import (
        CapacityReservationModificationQuote as ModificationQuoteShape,
    )
    from cloudmock.services.ec2.shapes import (
        CapacityReservationTopology,
        InterruptibleCapacityAllocation,
    )

CAPACITY_RESERVATION = ResourceKind(
    "cr", "capacity-reservation", "InvalidCapacityReservationId", "Capacity Reservation"
)
CANCELLATION_QUOTE = ResourceKind(
    "crcq",
    "capacity-reservation-cancellation-quote",
    "InvalidCapacityReservationCancellationQuoteId",
    "cancellation quote",
)
MODIFICATION_QUOTE = ResourceKind(
    "crmq",
    "capacity-reservation-modification-quote",
    "InvalidCapacityReservationModificationQuoteId",
    "modification quote",
)

PLATFORMS = (
    "Linux/UNIX",
    "Red Hat Enterprise Linux",
    "SUSE Linux",
    "Windows",
    "Windows with SQL Server",
    "Windows with SQL Server Enterprise",
    "Windows with SQL Server Standard",
    "Windows with SQL Server Web",
    "Linux with SQL Server Standard",
    "Linux with SQL Server Web",
    "Linux with SQL Server Enterprise",
    "RHEL with SQL Server Standard",
    "RHEL with SQL Server Enterprise",
    "RHEL with SQL Server Web",
    "RHEL with HA",
    "RHEL with HA and SQL Server Standard",
    "RHEL with HA and SQL Server Enterprise",
    "Ubuntu Pro",
)
#: what cloudmock's instances run: every AMI it launches is Linux/UNIX
INSTANCE_PLATFORM = "Linux/UNIX"
#: states in which a reservation holds capacity instances can use
USABLE = ("active",)
#: states in which a reservation can still be changed or cancelled
LIVE = ("active", "pending", "assessing", "scheduled", "delayed")
#: instance states that hold a reservation's capacity (a stopped instance gives it back)
HOLDING = ("pending", "running")
MAX_COUNT = 1000
DAY = 86400.0
QUOTE_LIFETIME = timedelta(minutes=15)


@dataclass
class CapacityReservation(Resource):
    owner_id: str
    arn: str
    zone: Zone
    instance_type: str
    platform: str
    tenancy: str
    total: int
    ebs_optimized: bool
    ephemeral_storage: bool
    create_date: datetime
    start_date: datetime
    end_date_type: str
    criteria: str
    end_date: datetime | None = None
    state: str = "pending"
    placement_group_arn: str | None = None
    fleet_id: str | None = None
    capacity_block_id: str | None = None
    reservation_type: str = "default"
    billing_owner: str | None = None
    client_token: str | None = None
    commitment: tuple[int, datetime, int] | None = None
    delivery_preference: str | None = None
    original_start: datetime | None = None
    #: instance ids counted in this reservation
    instances: set[str] = field(default_factory=set)
    generation: int = 0
    #: (interruptible reservations) the reservation whose unused capacity this one borrows
    interruptible_source: str | None = None
    #: (source reservations) the capacity lent to an interruptible reservation
    allocation: Allocation | None = None

    @property
    def lent(self) -> int:
        allocation = self.allocation
        if allocation is None or allocation.status in ("canceled", "failed"):
            return 0
        return max(allocation.count, allocation.target)

    @property
    def available(self) -> int:
        if self.state not in LIVE:
            return 0
        return max(0, self.total - len(self.instances) - self.lent)

    def fits(
        self, instance_type: str, zone_name: str, tenancy: str, platform: str = INSTANCE_PLATFORM
    ) -> bool:
        return (
            self.instance_type == instance_type
            and self.zone.name == zone_name
            and self.platform == platform
            and _tenancy_matches(self.tenancy, tenancy)
        )

    def describe(self) -> CapacityReservationShape:
        out: CapacityReservationShape = {
            "CapacityReservationId": self.id,
            "OwnerId": self.owner_id,
            "CapacityReservationArn": self.arn,
            "AvailabilityZoneId": self.zone.zone_id,
            "InstanceType": self.instance_type,
            "InstancePlatform": self.platform,  # type: ignore[typeddict-item]
            "AvailabilityZone": self.zone.name,
            "Tenancy": self.tenancy,  # type: ignore[typeddict-item]
            "TotalInstanceCount": self.total,
            "AvailableInstanceCount": self.available,
            "EbsOptimized": self.ebs_optimized,
            "EphemeralStorage": self.ephemeral_storage,
            "State": self.state,  # type: ignore[typeddict-item]
            "StartDate": self.start_date,
            "EndDateType": self.end_date_type,  # type: ignore[typeddict-item]
            "InstanceMatchCriteria": self.criteria,  # type: ignore[typeddict-item]
            "CreateDate": self.create_date,
            "Tags": self.tag_list(),
            "ReservationType": self.reservation_type,  # type: ignore[typeddict-item]
            "CapacityAllocations": (
                [{"AllocationType": "used", "Count": len(self.instances)}] if self.instances else []
            ),
        }
        if self.interruptible_source is not None:
            out["Interruptible"] = True
            out["InterruptionInfo"] = {
                "SourceCapacityReservationId": self.interruptible_source,
                "InterruptionType": "adhoc",
            }
        if self.allocation is not None:
            out["InterruptibleCapacityAllocation"] = self.allocation.describe()
        if self.end_date is not None:
            out["EndDate"] = self.end_date
        if self.placement_group_arn:
            out["PlacementGroupArn"] = self.placement_group_arn
        if self.fleet_id:
            out["CapacityReservationFleetId"] = self.fleet_id
        if self.capacity_block_id:
            out["CapacityBlockId"] = self.capacity_block_id
        if self.billing_owner:
            out["UnusedReservationBillingOwnerId"] = self.billing_owner
        if self.commitment is not None:
            count, end, duration = self.commitment
            out["CommitmentInfo"] = {
                "CommittedInstanceCount": count,
                "CommitmentEndDate": end,
                "CommitmentDuration": duration,
            }
        if self.delivery_preference:
            out["DeliveryPreference"] = self.delivery_preference  # type: ignore[typeddict-item]
        if self.original_start is not None:
            out["OriginalStartDate"] = self.original_start
        return out


def _tenancy_matches(reserved: str, launched: str) -> bool:
    # default takes default instances, dedicated takes dedicated (never host tenancy)
    return reserved == launched


@dataclass
class Allocation:
    """Unused capacity of a reservation lent to an interruptible reservation."""

    reservation_id: str
    count: int
    target: int
    zero_size: str
    status: str = "pending"
    generation: int = 0

    def describe(self) -> InterruptibleCapacityAllocation:
        return {
            "InstanceCount": self.count,
            "TargetInstanceCount": self.target,
            "Status": self.status,  # type: ignore[typeddict-item]
            "InterruptibleCapacityReservationId": self.reservation_id,
            "InterruptionType": "adhoc",
            "ZeroSizePreference": self.zero_size,  # type: ignore[typeddict-item]
        }


@dataclass
class BillingRequest:
    """An offer to make another account pay for a reservation's unused capacity."""

    reservation_id: str
    owner_id: str
    region: str
    target: str
    instance_type: str
    zone_name: str
    zone_id: str
    tenancy: str
    status: str = "pending"
    updated: datetime | None = None
    message: str = ""

    def describe(self) -> BillingRequestShape:
        out: BillingRequestShape = {
            "CapacityReservationId": self.reservation_id,
            "RequestedBy": self.owner_id,
            "UnusedReservationBillingOwnerId": self.target,
            "Status": self.status,  # type: ignore[typeddict-item]
            "CapacityReservationInfo": {
                "InstanceType": self.instance_type,
                "AvailabilityZone": self.zone_name,
                "AvailabilityZoneId": self.zone_id,
                "Tenancy": self.tenancy,  # type: ignore[typeddict-item]
            },
        }
        if self.updated is not None:
            out["LastUpdateTime"] = self.updated
        if self.message:
            out["StatusMessage"] = self.message
        return out


@dataclass
class CancellationQuote(Resource):
    reservation_id: str
    created: datetime
    expires: datetime
    count: int
    reservation_state: str
    charge_end: datetime | None
    charge_hours: int
    used: bool = False
    client_token: str | None = None

    def state(self, now: datetime | None) -> str:
        # without a time (the state dump), only a used quote is known to be spent
        if self.used or (now is not None and now >= self.expires):
            return "expired"
        return "active"

    def describe(self, now: datetime | None = None) -> CancellationQuoteShape:
        out: CancellationQuoteShape = {
            "CapacityReservationCancellationQuoteId": self.id,
            "CapacityReservationId": self.reservation_id,
            "CreateTime": self.created,
            "ExpirationTime": self.expires,
            "QuoteState": self.state(now),  # type: ignore[typeddict-item]
            "CurrentConfiguration": {
                "InstanceCount": self.count,
                "ReservationState": self.reservation_state,
            },
            "CancellationTerms": [],
            "Tags": self.tag_list(),
        }
        if self.charge_end is not None:
            out["CancellationTerms"] = [
                {
                    "CancellationType": "commitment-wind-down",
                    "ReservationState": "cancelled",
                    "CommittedInstanceCount": self.count,
                    "ChargeCommitmentDurationHours": self.charge_hours,
                    "ChargeEndDate": self.charge_end,
                }
            ]
        return out


@dataclass
class ModificationQuote(Resource):
    reservation_id: str
    created: datetime
    expires: datetime
    count: int
    reservation_state: str
    start: datetime
    original_start: datetime
    new_start: datetime
    #: the commitment duration (seconds) that restarts at the new start, if any
    commitment: int | None = None
    used: bool = False
    client_token: str | None = None

    def state(self, now: datetime | None) -> str:
        # without a time (the state dump), only a used quote is known to be spent
        if self.used or (now is not None and now >= self.expires):
            return "expired"
        return "active"

    def describe(self, now: datetime | None = None) -> ModificationQuoteShape:
        update: dict[str, Any] = {"NewStartDate": self.new_start}
        if self.commitment is not None:
            update["NewCommitmentEndDate"] = self.new_start + timedelta(seconds=self.commitment)
            update["NewCommitmentDuration"] = self.commitment
        return {
            "CapacityReservationModificationQuoteId": self.id,
            "CapacityReservationId": self.reservation_id,
            "CreateTime": self.created,
            "ExpirationTime": self.expires,
            "QuoteState": self.state(now),  # type: ignore[typeddict-item]
            "CurrentConfiguration": {
                "InstanceCount": self.count,
                "ReservationState": self.reservation_state,
                "StartDate": self.start,
                "OriginalStartDate": self.original_start,
            },
            "ModificationTerms": {"ReservationUpdate": update},  # type: ignore[typeddict-item]
            "Tags": self.tag_list(),
        }


@dataclass
class CreateRequest:
    """What CreateCapacityReservation asks for, once checked."""

    instance_type: str
    platform: str
    zone: Zone
    tenancy: str
    count: int
    ebs_optimized: bool
    ephemeral_storage: bool
    end_date: datetime | None
    end_date_type: str
    criteria: str
    placement_group_arn: str | None
    start_date: datetime | None = None
    commitment_duration: int | None = None
    delivery_preference: str | None = None


class CapacityReservations:
    """The Capacity Reservation family of one region."""

    def __init__(self, backend: Ec2Backend) -> None:
        self.backend = backend
        self.store: Store[CapacityReservation] = backend.new_store(CAPACITY_RESERVATION)
        self.store.add_index("match", lambda r: (r.zone.name, r.instance_type))
        self.store.add_index("token", lambda r: r.client_token)
        self.store.add_index("fleet", lambda r: r.fleet_id)
        self.store.add_index("placement_group", lambda r: r.placement_group_arn)
        self.cancellation_quotes: Store[CancellationQuote] = backend.new_store(CANCELLATION_QUOTE)
        self.modification_quotes: Store[ModificationQuote] = backend.new_store(MODIFICATION_QUOTE)
        #: instance id -> the reservation it is counted in
        self.used_by: dict[str, str] = {}
        #: instance id -> (preference, target reservation id) as launched or last modified
        self.preferences: dict[str, tuple[str, str | None]] = {}
        #: (zone, type, tenancy, platform) -> running instances open to a reservation but outside one,
        #: in launch order: capacity that frees up (or a new open reservation) takes them
        self.waiting: dict[tuple[str, str, str, str], dict[str, Instance]] = {}
        #: instance id -> its key in ``waiting``
        self._waiting_key: dict[str, tuple[str, str, str, str]] = {}
        #: whether ``waiting`` is kept: only from the region's first reservation on, so a
        #: region that never has one pays nothing per launch
        self._tracking = False
        instances = backend.instances
        instances.launch_checks.append(self._check_launch)
        instances.on_launch.append(self._launched)
        instances.on_state.append(self._state_changed)
        backend.depends_on("pg", self._placement_group_user)
        self.register()

    # -- what other families and the instance describe read

    def _placement_group_user(self, group_id: str) -> str | None:
        """A live reservation made in the placement group (DeletePlacementGroup refuses)."""
        group = self.backend.placement_groups.store.find(group_id)
        if group is None:
            return None
        for reservation in self.store.lookup("placement_group", group.arn):
            if reservation.state in LIVE:
                return f"Capacity Reservation {reservation.id}"
        return None

    def reservation_of(self, instance_id: str) -> str | None:
        """The reservation ``instance_id`` runs in, if any (Instance.CapacityReservationId)."""
        return self.used_by.get(instance_id)

    def preference_of(self, instance_id: str) -> tuple[str, str | None]:
        """(preference, target id) of an instance (Instance.CapacityReservationSpecification)."""
        return self.preferences.get(instance_id, ("open", None))

    # -- create

    def arn(self, reservation_id: str) -> str:
        backend = self.backend
        partition = sizes.arn_partition(backend.region)
        return (
            f"arn:{partition}:ec2:{backend.region}:{backend.account_id}:"
            f"capacity-reservation/{reservation_id}"
        )

    def zone(self, name: str | None, zone_id: str | None) -> Zone:
        backend = self.backend
        if name and zone_id:
            raise InvalidParameterCombination(
                "Only one of AvailabilityZone and AvailabilityZoneId can be specified"
            )
        if zone_id:
            for zone in backend.zones.values():
                if zone.zone_id == zone_id:
                    return zone
            raise InvalidParameterValue(f"Invalid availability zone ID: [{zone_id}]")
        if not name:
            raise MissingParameter(
                "The request must contain the parameter AvailabilityZone or AvailabilityZoneId"
            )
        found = backend.zones.get(name)
        if found is None:
            raise InvalidParameterValue(f"Invalid availability zone: [{name}]")
        return found

    def check_create(
        self,
        *,
        instance_type: str | None,
        platform: str | None,
        zone_name: str | None,
        zone_id: str | None,
        tenancy: str | None,
        count: int | None,
        ebs_optimized: bool,
        ephemeral_storage: bool,
        end_date: datetime | None,
        end_date_type: str | None,
        criteria: str | None,
        placement_group_arn: str | None,
        start_date: datetime | None,
        commitment_duration: int | None,
        delivery_preference: str | None,
    ) -> CreateRequest:
        if not instance_type:
            raise MissingParameter("The request must contain the parameter InstanceType")
        if not platform:
            raise MissingParameter("The request must contain the parameter InstancePlatform")
        if count is None:
            raise MissingParameter("The request must contain the parameter InstanceCount")
        sizes.split(instance_type)
        if platform not in PLATFORMS:
            raise InvalidParameterValue(f"Invalid value '{platform}' for InstancePlatform.")
        zone = self.zone(zone_name, zone_id)
        tenancy = tenancy or "default"
        if tenancy not in ("default", "dedicated"):
            raise InvalidParameterValue(
                f"Invalid value '{tenancy}' for Tenancy. Valid values are default, dedicated."
            )
        if not 1 <= count <= MAX_COUNT:
            raise InvalidParameterValue(
                f"Invalid value '{count}' for InstanceCount. It must be between 1 and {MAX_COUNT}."
            )
        criteria = criteria or "open"
        if criteria not in ("open", "targeted"):
            raise InvalidParameterValue(
                f"Invalid value '{criteria}' for InstanceMatchCriteria. "
                "Valid values are open, targeted."
            )
        end_date_type = self._check_end(end_date, end_date_type)
        if placement_group_arn is not None:
            self._check_placement_group(placement_group_arn, zone)
        if start_date is not None or commitment_duration is not None or delivery_preference:
            self._check_future(
                instance_type, count, start_date, commitment_duration, delivery_preference, end_date
            )
        return CreateRequest(
            instance_type=instance_type,
            platform=platform,
            zone=zone,
            tenancy=tenancy,
            count=count,
            ebs_optimized=ebs_optimized,
            ephemeral_storage=ephemeral_storage,
            end_date=end_date,
            end_date_type=end_date_type,
            criteria=criteria,
            placement_group_arn=placement_group_arn,
            start_date=start_date,
            commitment_duration=commitment_duration,
            delivery_preference=delivery_preference,
        )

    def _check_end(self, end_date: datetime | None, end_date_type: str | None) -> str:
        end_date_type = end_date_type or ("limited" if end_date is not None else "unlimited")
        if end_date_type not in ("unlimited", "limited"):
            raise InvalidParameterValue(
                f"Invalid value '{end_date_type}' for EndDateType. Valid values are unlimited, "
                "limited."
            )
        if end_date_type == "limited" and end_date is None:
            raise InvalidParameterCombination(
                "EndDate must be specified when EndDateType is limited"
            )
        if end_date_type == "unlimited" and end_date is not None:
            raise InvalidParameterCombination(
                "EndDate cannot be specified when EndDateType is unlimited"
            )
        if end_date is not None and end_date <= self.backend.clock.now():
            raise InvalidParameterValue("The EndDate must be in the future")
        return end_date_type

    def _check_placement_group(self, arn: str, zone: Zone) -> None:

        match = re.match(r"^arn:aws[a-z-]*:ec2:([a-z0-9-]+):(\d{12}):placement-group/([^/]+)$", arn)
        if match is None or match.group(1) != self.backend.region:
            raise InvalidParameterValue(f"Invalid value '{arn}' for PlacementGroupArn.")
        if match.group(2) == self.backend.account_id:
            group = self.backend.placement_groups.named(match.group(3))
            if group.strategy != "cluster":
                raise InvalidParameterValue(
                    f"The placement group '{group.name}' is not a cluster placement group: "
                    "Capacity Reservations can only be made in cluster placement groups."
                )

    def _check_future(
        self,
        instance_type: str,
        count: int,
        start: datetime | None,
        duration: int | None,
        delivery: str | None,
        end_date: datetime | None,
    ) -> None:
        if start is None or duration is None or not delivery:
            raise InvalidParameterCombination(
                "A future-dated Capacity Reservation needs StartDate, CommitmentDuration and "
                "DeliveryPreference"
            )
        if delivery != "incremental":
            raise InvalidParameterValue(
                f"Invalid value '{delivery}' for DeliveryPreference. Valid values are incremental."
            )
        ahead = (start - self.backend.clock.now()).total_seconds()
        if not 5 * DAY <= ahead <= 120 * DAY:
            raise InvalidParameterValue(
                "The StartDate of a future-dated Capacity Reservation must be between 5 and 120 "
                "days from now"
            )
        if sizes.vcpus(instance_type) * count < 32:
            raise InvalidParameterValue(
                "A future-dated Capacity Reservation must reserve at least 32 vCPUs"
            )
        if duration < 14 * DAY:
            raise InvalidParameterValue("The CommitmentDuration must be at least 14 days")
        if end_date is not None and end_date < start + timedelta(seconds=duration):
            raise InvalidParameterValue("The EndDate cannot fall within the commitment duration")

    def create(
        self,
        request: CreateRequest,
        tags: dict[str, str],
        client_token: str | None = None,
        *,
        fleet_id: str | None = None,
        capacity_block_id: str | None = None,
        reservation_type: str = "default",
        start: datetime | None = None,
    ) -> CapacityReservation:
        backend = self.backend
        now = backend.clock.now()
        reservation_id = backend.ids.new("cr")
        future = request.start_date is not None
        reservation = CapacityReservation(
            reservation_id,
            owner_id=backend.account_id,
            arn=self.arn(reservation_id),
            zone=request.zone,
            instance_type=request.instance_type,
            platform=request.platform,
            tenancy=request.tenancy,
            total=request.count,
            ebs_optimized=request.ebs_optimized,
            ephemeral_storage=request.ephemeral_storage,
            create_date=now,
            start_date=request.start_date or start or now,
            end_date_type=request.end_date_type,
            criteria=request.criteria,
            end_date=request.end_date,
            placement_group_arn=request.placement_group_arn,
            fleet_id=fleet_id,
            capacity_block_id=capacity_block_id,
            reservation_type=reservation_type,
            client_token=client_token,
            tags=tags,
            state="assessing" if future else "pending",
        )
        if future:
            assert request.start_date is not None and request.commitment_duration is not None
            reservation.commitment = (
                request.count,
                request.start_date + timedelta(seconds=request.commitment_duration),
                request.commitment_duration,
            )
            reservation.delivery_preference = request.delivery_preference
            reservation.original_start = request.start_date
        if not self._tracking:
            self._start_tracking()
        self.store.add(reservation)
        if reservation_type == "capacity-block":
            return reservation  # the capacity block family drives its states
        if future:
            self._schedule(reservation, backend.options.transition_delay, self._to_scheduled)
        else:
            self._schedule(reservation, backend.options.transition_delay, self._to_active)
        self._schedule_end(reservation)
        return reservation

    def by_token(self, token: str | None) -> CapacityReservation | None:
        if not token:
            return None
        found = self.store.lookup("token", token)
        return found[0] if found else None

    # -- the clock

    def _schedule(self, reservation: CapacityReservation, delay: float, action: Any) -> None:
        self.backend.schedule(delay, reservation, action)

    def _schedule_end(self, reservation: CapacityReservation) -> None:
        if reservation.end_date is None:
            return
        delay = reservation.end_date.timestamp() - self.backend.clock.time()
        self._schedule(reservation, delay, self._expire)

    def _bump(self, reservation: CapacityReservation) -> None:
        """Drop every transition scheduled so far (the reservation changed course)."""
        reservation.generation += 1

    def _to_active(self, reservation: CapacityReservation) -> None:
        if reservation.state in ("pending", "scheduled", "assessing", "delayed"):
            reservation.state = "active"
            self.refill(reservation)

    def _to_scheduled(self, reservation: CapacityReservation) -> None:
        if reservation.state != "assessing":
            return
        reservation.state = "scheduled"
        delay = reservation.start_date.timestamp() - self.backend.clock.time()
        self._schedule(reservation, max(delay, 0.0), self._to_active)

    def _expire(self, reservation: CapacityReservation) -> None:
        if reservation.state in LIVE:
            self.end(reservation, "expired")

    def end(self, reservation: CapacityReservation, state: str) -> None:
        """Cancel or expire: the capacity goes, the instances run on outside it."""
        reservation.state = state
        if state == "cancelled" and reservation.end_date is None:
            reservation.end_date = self.backend.clock.now()
        self._bump(reservation)
        for instance_id in list(reservation.instances):
            self.used_by.pop(instance_id, None)
            self._shown(instance_id)
        reservation.instances.clear()

    # -- the launch seams

    @options_only
    def _check_launch(self, spec: LaunchSpec, zone_name: str) -> None:
        if spec.capacity_reservation_group_arn:
            raise ServiceError(
                "cloudmock does not model resource groups: a launch cannot target a Capacity "
                "Reservation group yet.",
                code="UnsupportedOperation",
            )
        if spec.capacity_reservation_id:
            reservation = self.store.get(spec.capacity_reservation_id)
            self.check_target(
                reservation, spec.instance_type, zone_name, spec.tenancy, self._platform(spec)
            )
            block = reservation.reservation_type == "capacity-block"
            if block != (spec.lifecycle == "capacity-block"):
                raise InvalidParameterCombination(
                    "Instances in a Capacity Block must be launched with the capacity-block "
                    "market type, and only into a Capacity Block"
                    if block
                    else "The capacity-block market type needs a Capacity Block as its target"
                )
            if spec.max_count > reservation.available:
                raise ServiceError(
                    "The targeted Capacity Reservation does not have enough available instance "
                    f"capacity to fulfill your request ({reservation.available} available, "
                    f"{spec.max_count} requested).",
                    code="ReservationCapacityExceeded",
                )
        elif spec.lifecycle == "capacity-block":
            raise InvalidParameterCombination(
                "The capacity-block market type needs a Capacity Block as its target"
            )
        elif spec.capacity_reservation_preference == "capacity-reservations-only":
            room = sum(
                r.available
                for r in self._open_matches(
                    spec.instance_type, zone_name, spec.tenancy, self._platform(spec)
                )
            )
            if room < spec.max_count:
                raise ServiceError(
                    "There is not enough capacity in open Capacity Reservations matching the "
                    "request (capacity-reservations-only).",
                    code="ReservationCapacityExceeded",
                )

    def check_target(
        self,
        reservation: CapacityReservation,
        instance_type: str,
        zone_name: str,
        tenancy: str,
        platform: str = INSTANCE_PLATFORM,
    ) -> None:
        """EC2's refusal of a reservation that cannot take the instance."""
        if reservation.reservation_type == "capacity-block" and reservation.state in (
            "payment-pending",
            "scheduled",
        ):
            raise ServiceError(
                f"Your Capacity Block {reservation.capacity_block_id} is not active yet.",
                code="InvalidCapacityReservationState.PendingActivation",
            )
        if reservation.state not in USABLE:
            raise InvalidParameterValue(
                f"The Capacity Reservation {reservation.id} is in the {reservation.state} state "
                "and cannot be used to launch instances"
            )
        if reservation.instance_type != instance_type:
            raise InvalidParameterValue(
                f"The instance type '{instance_type}' does not match the instance type "
                f"'{reservation.instance_type}' of Capacity Reservation {reservation.id}"
            )
        if reservation.zone.name != zone_name:
            raise InvalidParameterValue(
                f"The Availability Zone '{zone_name}' does not match the Availability Zone "
                f"'{reservation.zone.name}' of Capacity Reservation {reservation.id}"
            )
        if reservation.platform != platform:
            raise InvalidParameterValue(
                f"The platform '{platform}' does not match the platform "
                f"'{reservation.platform}' of Capacity Reservation {reservation.id}"
            )
        if not _tenancy_matches(reservation.tenancy, tenancy):
            raise InvalidParameterValue(
                f"The tenancy '{tenancy}' does not match the tenancy '{reservation.tenancy}' of "
                f"Capacity Reservation {reservation.id}"
            )

    def _platform(self, spec: LaunchSpec) -> str:
        """The platform a launch runs (its image's PlatformDetails)."""
        image = self.backend.images.for_launch(spec)
        return INSTANCE_PLATFORM if image is None else image.platform_details

    def _open_matches(
        self, instance_type: str, zone_name: str, tenancy: str, platform: str
    ) -> list[CapacityReservation]:
        return [
            r
            for r in self.store.lookup("match", (zone_name, instance_type))
            if r.criteria == "open"
            and r.state in USABLE
            and r.fits(instance_type, zone_name, tenancy, platform)
        ]

    def _launched(self, instance: Instance, spec: LaunchSpec) -> None:
        preference = spec.capacity_reservation_preference or "open"
        target = spec.capacity_reservation_id
        if target or preference != "open":
            self.preferences[instance.id] = (preference, target)
        if self._tracking:
            self._place(instance)

    def _start_tracking(self) -> None:
        """The region's first reservation: index the instances running so far."""
        self._tracking = True
        for instance in self.backend.instances.store:
            if instance.state in HOLDING:
                self._place(instance)

    def _place(self, instance: Instance) -> None:
        """Count ``instance`` in its target, or in an open reservation it matches."""
        preference, target = self.preference_of(instance.id)
        if target:
            reservation = self.store.find(target)
            if (
                reservation is not None
                and reservation.state in USABLE
                and reservation.available > 0
                and reservation.fits(
                    instance.instance_type,
                    instance.zone.name,
                    instance.tenancy,
                    instance.platform_details,
                )
            ):
                self._attach(instance.id, reservation)
            return
        if preference == "none":
            return
        for reservation in self._open_matches(
            instance.instance_type, instance.zone.name, instance.tenancy, instance.platform_details
        ):
            if reservation.available > 0:
                self._attach(instance.id, reservation)
                return
        key = (
            instance.zone.name,
            instance.instance_type,
            instance.tenancy,
            instance.platform_details,
        )
        self.waiting.setdefault(key, {})[instance.id] = instance
        self._waiting_key[instance.id] = key

    def _unwait(self, instance_id: str) -> None:
        key = self._waiting_key.pop(instance_id, None)
        if key is not None:
            bucket = self.waiting[key]
            bucket.pop(instance_id, None)
            if not bucket:
                del self.waiting[key]

    def refill(self, reservation: CapacityReservation) -> None:
        """Running instances waiting outside any reservation fill ``reservation``'s room."""
        if reservation.criteria != "open" or reservation.state not in USABLE:
            return
        key = (
            reservation.zone.name,
            reservation.instance_type,
            reservation.tenancy,
            reservation.platform,
        )
        bucket = self.waiting.get(key)
        while bucket and reservation.available > 0:
            instance_id = next(iter(bucket))
            self._unwait(instance_id)
            self._attach(instance_id, reservation)
            bucket = self.waiting.get(key)

    def _attach(self, instance_id: str, reservation: CapacityReservation) -> None:
        reservation.instances.add(instance_id)
        self.used_by[instance_id] = reservation.id
        self._shown(instance_id)

    def _shown(self, instance_id: str) -> None:
        """The instance's describe follows (CapacityReservationId)."""
        instance = self.backend.instances.store.find(instance_id)
        if instance is not None:
            self.backend.instances.rejoin(instance)

    def _detach(self, instance_id: str) -> None:
        self._unwait(instance_id)
        reservation_id = self.used_by.pop(instance_id, None)
        if reservation_id is None:
            return
        reservation = self.store.find(reservation_id)
        if reservation is not None:
            reservation.instances.discard(instance_id)
            self._shown(instance_id)
            self.refill(reservation)

    def _state_changed(self, instance: Instance, previous: str) -> None:
        state = instance.state
        if not self._tracking:
            if state == "terminated" and self.preferences:
                self.preferences.pop(instance.id, None)
            return
        if state not in HOLDING:
            self._detach(instance.id)
            if state == "terminated":
                self.preferences.pop(instance.id, None)
        elif (
            previous not in HOLDING
            and instance.id not in self.used_by
            and instance.id not in self._waiting_key
        ):
            self._place(instance)  # started again: back into a reservation if one has room

    # -- instance attributes

    def check_instance_preference(
        self, instance_id: str, preference: str | None, target: str | None, group: str | None
    ) -> Instance:
        instance = self.backend.instances.store.get(instance_id)
        if group:
            raise ServiceError(
                "cloudmock does not model resource groups: an instance cannot target a Capacity "
                "Reservation group yet.",
                code="UnsupportedOperation",
            )
        if preference and target:
            raise InvalidParameterCombination(
                "CapacityReservationPreference and CapacityReservationTarget cannot both be "
                "specified"
            )
        if not preference and not target:
            raise MissingParameter(
                "CapacityReservationSpecification needs CapacityReservationPreference or "
                "CapacityReservationTarget"
            )
        if preference and preference not in ("open", "none", "capacity-reservations-only"):
            raise InvalidParameterValue(
                f"Invalid value '{preference}' for CapacityReservationPreference."
            )
        if instance.state != "stopped":
            raise ServiceError(
                f"The instance '{instance_id}' is not in the 'stopped' state.",
                code="IncorrectInstanceState",
            )
        if target:
            reservation = self.store.get(target)
            self.check_target(
                reservation,
                instance.instance_type,
                instance.zone.name,
                instance.tenancy,
                instance.platform_details,
            )
        return instance

    def set_instance_preference(
        self, instance: Instance, preference: str | None, target: str | None
    ) -> None:
        self.preferences[instance.id] = (preference or "open", target)
        self._unwait(instance.id)  # stopped: placed again when it starts
        self.backend.instances.rejoin(instance)

    # -- modify, cancel, split, move

    def live(self, reservation_id: str) -> CapacityReservation:
        reservation = self.store.get(reservation_id)
        if reservation.state not in LIVE:
            raise InvalidParameterValue(
                f"Capacity Reservation {reservation.id} is in the {reservation.state} state and "
                "cannot be modified"
            )
        return reservation

    def check_modify(
        self,
        reservation_id: str,
        count: int | None,
        end_date: datetime | None,
        end_date_type: str | None,
        criteria: str | None,
        start_date: datetime | None,
        quote_id: str | None,
        accept_terms: bool | None,
    ) -> tuple[CapacityReservation, ModificationQuote | None]:
        reservation = self.live(reservation_id)
        if reservation.reservation_type == "capacity-block":
            raise ServiceError(
                f"Capacity Reservation {reservation.id} is a Capacity Block and cannot be modified",
                code="UnsupportedOperation",
            )
        if (
            count is None
            and end_date is None
            and end_date_type is None
            and criteria is None
            and (start_date is None and quote_id is None)
        ):
            raise MissingParameter(
                "The request must change InstanceCount, EndDate, EndDateType, "
                "InstanceMatchCriteria or StartDate"
            )
        if count is not None:
            if not 1 <= count <= MAX_COUNT:
                raise InvalidParameterValue(
                    f"Invalid value '{count}' for InstanceCount. It must be between 1 and "
                    f"{MAX_COUNT}."
                )
            if count < len(reservation.instances):
                raise InvalidParameterValue(
                    f"InstanceCount {count} is less than the {len(reservation.instances)} "
                    f"instances running in Capacity Reservation {reservation.id}"
                )
            if reservation.commitment is not None and count < reservation.commitment[0]:
                raise InvalidParameterValue(
                    "InstanceCount cannot go below the committed instance count during the "
                    "commitment duration"
                )
        if end_date is not None or end_date_type is not None:
            self._check_end(
                end_date,
                end_date_type or ("limited" if end_date is not None else "unlimited"),
            )
        if criteria is not None and criteria not in ("open", "targeted"):
            raise InvalidParameterValue(
                f"Invalid value '{criteria}' for InstanceMatchCriteria. "
                "Valid values are open, targeted."
            )
        quote = None
        if start_date is not None or quote_id is not None:
            if quote_id is None or start_date is None or not accept_terms:
                raise InvalidParameterCombination(
                    "A new StartDate needs a QuoteId from CreateCapacityReservationDateChangeQuote "
                    "and AcceptModificationTerms set to true"
                )
            quote = self.modification_quotes.get(quote_id)
            if quote.reservation_id != reservation.id:
                raise InvalidParameterValue(
                    f"Quote {quote_id} is not for Capacity Reservation {reservation.id}"
                )
            if quote.state(self.backend.clock.now()) != "active":
                raise InvalidParameterValue(f"Quote {quote_id} is not active")
            if quote.new_start != start_date:
                raise InvalidParameterValue(
                    f"StartDate does not match the start date of quote {quote_id}"
                )
        return reservation, quote

    def modify(
        self,
        reservation: CapacityReservation,
        count: int | None,
        end_date: datetime | None,
        end_date_type: str | None,
        criteria: str | None,
        quote: ModificationQuote | None,
    ) -> None:
        if count is not None:
            reservation.total = count
        if end_date is not None or end_date_type is not None:
            reservation.end_date_type = end_date_type or (
                "limited" if end_date is not None else "unlimited"
            )
            reservation.end_date = end_date if reservation.end_date_type == "limited" else None
            self._bump(reservation)
            if reservation.state == "pending":
                self._schedule(reservation, self.backend.options.transition_delay, self._to_active)
            elif reservation.state in ("assessing", "scheduled"):
                self._reschedule_start(reservation)
            self._schedule_end(reservation)
        if criteria is not None:
            reservation.criteria = criteria
        self.refill(reservation)
        if quote is not None:
            quote.used = True
            reservation.start_date = quote.new_start
            if reservation.commitment is not None:
                count, _, duration = reservation.commitment
                reservation.commitment = (
                    count,
                    quote.new_start + timedelta(seconds=duration),
                    duration,
                )
            self._bump(reservation)
            self._reschedule_start(reservation)
            self._schedule_end(reservation)

    def _reschedule_start(self, reservation: CapacityReservation) -> None:
        if reservation.state == "assessing":
            self._schedule(reservation, self.backend.options.transition_delay, self._to_scheduled)
            return
        delay = reservation.start_date.timestamp() - self.backend.clock.time()
        self._schedule(reservation, max(delay, 0.0), self._to_active)

    def check_cancel(
        self, reservation_id: str, charges: str | None, quote_id: str | None
    ) -> tuple[CapacityReservation, CancellationQuote | None]:
        reservation = self.live(reservation_id)
        if reservation.reservation_type == "capacity-block":
            raise ServiceError(
                f"Capacity Reservation {reservation.id} is a Capacity Block and cannot be "
                "cancelled",
                code="UnsupportedOperation",
            )
        if charges is not None and charges != "commitment-wind-down":
            raise InvalidParameterValue(
                f"Invalid value '{charges}' for ApplyCancellationCharges. Valid values are "
                "commitment-wind-down."
            )
        quote = None
        if quote_id is not None:
            quote = self.cancellation_quotes.get(quote_id)
            if quote.reservation_id != reservation.id:
                raise InvalidParameterValue(
                    f"Quote {quote_id} is not for Capacity Reservation {reservation.id}"
                )
            if quote.state(self.backend.clock.now()) != "active":
                raise InvalidParameterValue(f"Quote {quote_id} is not active")
        if self._in_commitment(reservation) and charges is None:
            raise InvalidParameterValue(
                f"Capacity Reservation {reservation.id} is within its commitment duration: "
                "cancel it with ApplyCancellationCharges commitment-wind-down"
            )
        return reservation, quote

    def _in_commitment(self, reservation: CapacityReservation) -> bool:
        return (
            reservation.commitment is not None
            and self.backend.clock.now() < reservation.commitment[1]
        )

    def cancel(self, reservation: CapacityReservation, quote: CancellationQuote | None) -> None:
        if quote is not None:
            quote.used = True
        self.end(reservation, "cancelled")

    def check_split(self, source_id: str, count: int | None) -> tuple[CapacityReservation, int]:
        source = self.store.get(source_id)
        if source.state != "active":
            raise InvalidParameterValue(
                f"Capacity Reservation {source.id} must be active to be split"
            )
        if source.reservation_type != "default" or source.fleet_id or source.commitment:
            raise ServiceError(
                f"Capacity Reservation {source.id} cannot be split",
                code="UnsupportedOperation",
            )
        if count is None:
            raise MissingParameter("The request must contain the parameter InstanceCount")
        if not 1 <= count < source.total:
            raise InvalidParameterValue(
                f"InstanceCount must be at least 1 and less than the {source.total} instances of "
                f"Capacity Reservation {source.id}"
            )
        if count > source.available:
            raise InvalidParameterValue(
                f"InstanceCount {count} is more than the {source.available} available instances "
                f"of Capacity Reservation {source.id}"
            )
        return source, count

    def split(
        self,
        source: CapacityReservation,
        count: int,
        tags: dict[str, str],
        client_token: str | None,
    ) -> CapacityReservation:
        request = _request_like(
            source,
            count,
            end_date=source.end_date,
            end_date_type=source.end_date_type,
            criteria=source.criteria,
            placement_group_arn=source.placement_group_arn,
        )
        source.total -= count
        destination = self.create(request, tags, client_token)
        # split capacity exists already: the new reservation is active at once
        destination.state = "active"
        self._bump(destination)
        self._schedule_end(destination)
        return destination

    def check_move(
        self, source_id: str, destination_id: str, count: int | None
    ) -> tuple[CapacityReservation, CapacityReservation, int]:
        source = self.store.get(source_id)
        destination = self.store.get(destination_id)
        if count is None:
            raise MissingParameter("The request must contain the parameter InstanceCount")
        for reservation in (source, destination):
            if reservation.state != "active":
                raise InvalidParameterValue(f"Capacity Reservation {reservation.id} must be active")
        if source.id == destination.id:
            raise InvalidParameterValue(
                "The source and destination Capacity Reservations are the same"
            )
        if (
            source.instance_type != destination.instance_type
            or source.zone.name != destination.zone.name
            or source.platform != destination.platform
            or source.tenancy != destination.tenancy
        ):
            raise InvalidParameterValue(
                "The source and destination Capacity Reservations must have the same instance "
                "type, platform, Availability Zone and tenancy"
            )
        if not 1 <= count <= source.available:
            raise InvalidParameterValue(
                f"InstanceCount must be between 1 and the {source.available} available instances "
                f"of Capacity Reservation {source.id}"
            )
        if count >= source.total:
            raise InvalidParameterValue(
                f"InstanceCount must be less than the {source.total} instances of Capacity "
                f"Reservation {source.id}"
            )
        return source, destination, count

    def move(
        self, source: CapacityReservation, destination: CapacityReservation, count: int
    ) -> None:
        source.total -= count
        destination.total += count
        self.refill(destination)

    # -- quotes

    def check_cancellation_quote(self, reservation_id: str) -> CapacityReservation:
        return self.live(reservation_id)

    def cancellation_quote(
        self, reservation: CapacityReservation, tags: dict[str, str], client_token: str | None
    ) -> CancellationQuote:
        backend = self.backend
        now = backend.clock.now()
        commitment = reservation.commitment
        charge_end = commitment[1] if commitment and self._in_commitment(reservation) else None
        hours = int((charge_end - now).total_seconds() // 3600) if charge_end else 0
        quote = CancellationQuote(
            backend.ids.new("crcq"),
            reservation_id=reservation.id,
            created=now,
            expires=now + QUOTE_LIFETIME,
            count=reservation.total,
            reservation_state=reservation.state,
            charge_end=charge_end,
            charge_hours=hours,
            client_token=client_token,
            tags=tags,
        )
        self.cancellation_quotes.add(quote)
        return quote

    def check_date_change_quote(
        self, reservation_id: str, new_start: datetime | None
    ) -> CapacityReservation:
        reservation = self.live(reservation_id)
        if new_start is None:
            raise MissingParameter("The request must contain the parameter NewStartDate")
        if reservation.state not in ("assessing", "scheduled", "delayed"):
            raise InvalidParameterValue(
                f"Capacity Reservation {reservation.id} is not a future-dated reservation awaiting "
                "delivery: its start date cannot change"
            )
        ahead = (new_start - self.backend.clock.now()).total_seconds()
        if not 5 * DAY <= ahead <= 120 * DAY:
            raise InvalidParameterValue(
                "The new start date must be between 5 and 120 days from now"
            )
        return reservation

    def date_change_quote(
        self,
        reservation: CapacityReservation,
        new_start: datetime,
        tags: dict[str, str],
        client_token: str | None,
    ) -> ModificationQuote:
        backend = self.backend
        now = backend.clock.now()
        quote = ModificationQuote(
            backend.ids.new("crmq"),
            reservation_id=reservation.id,
            created=now,
            expires=now + QUOTE_LIFETIME,
            count=reservation.total,
            reservation_state=reservation.state,
            start=reservation.start_date,
            original_start=reservation.original_start or reservation.start_date,
            new_start=new_start,
            commitment=reservation.commitment[2] if reservation.commitment else None,
            client_token=client_token,
            tags=tags,
        )
        self.modification_quotes.add(quote)
        return quote

    # -- usage and topology

    def usage(self, reservation: CapacityReservation) -> int:
        return len(reservation.instances)

    def topology(self, reservation: CapacityReservation) -> CapacityReservationTopology:
        # three network layers, derived from the zone (stable, as EC2's are for a reservation)
        zone = reservation.zone
        digest = hashlib.sha256(f"{zone.zone_id}/{reservation.instance_type}".encode()).hexdigest()
        out: CapacityReservationTopology = {
            "CapacityReservationId": reservation.id,
            "State": reservation.state,
            "InstanceType": reservation.instance_type,
            "AvailabilityZoneId": zone.zone_id,
            "AvailabilityZone": zone.name,
            "NetworkNodes": [f"nn-{digest[layer * 17 : layer * 17 + 17]}" for layer in range(3)],
        }
        if reservation.capacity_block_id:
            out["CapacityBlockId"] = reservation.capacity_block_id
        if reservation.placement_group_arn:
            out["GroupName"] = reservation.placement_group_arn.rsplit("/", 1)[-1]
        return out

    # -- interruptible allocations: unused capacity lent out, reclaimed by the owner

    def check_allocation(
        self, reservation_id: str, count: int | None, zero_size: str | None
    ) -> CapacityReservation:
        source = self.store.get(reservation_id)
        if count is None:
            raise MissingParameter("The request must contain the parameter InstanceCount")
        if source.state != "active" or source.end_date is not None:
            raise InvalidParameterValue(
                f"Capacity Reservation {source.id} must be active with no end date to lend capacity"
            )
        if source.interruptible_source is not None or source.reservation_type != "default":
            raise InvalidParameterValue(f"Capacity Reservation {source.id} cannot lend capacity")
        if source.allocation is not None and source.allocation.status not in (
            "canceled",
            "failed",
        ):
            raise InvalidParameterValue(
                f"Capacity Reservation {source.id} already has an interruptible allocation"
            )
        if not 1 <= count <= source.available:
            raise InvalidParameterValue(
                f"InstanceCount must be between 1 and the {source.available} available "
                f"instances of Capacity Reservation {source.id}"
            )
        _check_zero_size(zero_size)
        return source

    def allocate(
        self,
        source: CapacityReservation,
        count: int,
        zero_size: str | None,
        tags: dict[str, str],
        client_token: str | None,
    ) -> Allocation:
        request = _request_like(
            source,
            count,
            end_date=None,
            end_date_type="unlimited",
            criteria="targeted",
            placement_group_arn=None,
        )
        borrower = self.create(request, tags, client_token)
        borrower.interruptible_source = source.id
        allocation = Allocation(borrower.id, count, count, zero_size or "default")
        source.allocation = allocation
        self._settle_allocation(allocation, "active")
        return allocation

    def _settle_allocation(self, allocation: Allocation, status: str) -> None:
        allocation.generation += 1

        def done(item: Allocation) -> None:
            item.status = status
            item.count = item.target

        self.backend.schedule(self.backend.options.transition_delay, allocation, done)  # type: ignore[arg-type]

    def check_update_allocation(
        self, reservation_id: str, target: int | None, zero_size: str | None
    ) -> tuple[CapacityReservation, Allocation, CapacityReservation]:
        source = self.store.get(reservation_id)
        allocation = source.allocation
        if allocation is None or allocation.status in ("canceled", "failed"):
            raise InvalidParameterValue(
                f"Capacity Reservation {source.id} has no interruptible allocation"
            )
        if target is None:
            raise MissingParameter("The request must contain the parameter TargetInstanceCount")
        borrower = self.store.get(allocation.reservation_id)
        room = source.available + allocation.target
        if not 0 <= target <= room:
            raise InvalidParameterValue(f"TargetInstanceCount must be between 0 and {room}")
        if target < len(borrower.instances):
            # reclaiming would interrupt running instances: cloudmock does not stop them for you
            raise InvalidParameterValue(
                f"TargetInstanceCount {target} is below the {len(borrower.instances)} instances "
                f"running in interruptible Capacity Reservation {borrower.id}; stop or terminate "
                "them first"
            )
        _check_zero_size(zero_size)
        return source, allocation, borrower

    def update_allocation(
        self,
        allocation: Allocation,
        borrower: CapacityReservation,
        target: int,
        zero_size: str | None,
    ) -> None:
        if zero_size:
            allocation.zero_size = zero_size
        allocation.target = target
        allocation.status = "updating"
        borrower.total = target
        if target == 0 and allocation.zero_size == "default":
            self.end(borrower, "cancelled")
            self._settle_allocation(allocation, "canceled")
        else:
            self.refill(borrower)
            self._settle_allocation(allocation, "active")

    # -- billing ownership (the requests live in backend.shared: two accounts see them)

    def _billing(self) -> dict[str, BillingRequest]:
        shared = self.backend.shared
        registry = shared.get("capacity_billing")
        if registry is None:
            registry = shared.setdefault("capacity_billing", {})
        return registry  # type: ignore[no-any-return]

    def check_associate_billing(self, reservation_id: str, target: str) -> CapacityReservation:
        reservation = self.store.get(reservation_id)
        if reservation.state not in LIVE:
            raise InvalidParameterValue(
                f"Capacity Reservation {reservation.id} is {reservation.state}"
            )
        if not (target.isdigit() and len(target) == 12):
            raise InvalidParameterValue(
                f"Invalid value '{target}' for UnusedReservationBillingOwnerId."
            )
        if target == self.backend.account_id:
            raise InvalidParameterValue(
                "The unused reservation billing owner must be another account"
            )
        current = self._billing().get(reservation.id)
        if current is not None and current.status in ("pending", "accepted"):
            raise InvalidParameterValue(
                f"Capacity Reservation {reservation.id} already has a {current.status} billing "
                f"request for account {current.target}"
            )
        return reservation

    def associate_billing(self, reservation: CapacityReservation, target: str) -> None:
        self._billing()[reservation.id] = BillingRequest(
            reservation_id=reservation.id,
            owner_id=self.backend.account_id,
            region=self.backend.region,
            target=target,
            instance_type=reservation.instance_type,
            zone_name=reservation.zone.name,
            zone_id=reservation.zone.zone_id,
            tenancy=reservation.tenancy,
            updated=self.backend.clock.now(),
        )

    def check_disassociate_billing(self, reservation_id: str, target: str) -> BillingRequest:
        reservation = self.store.get(reservation_id)
        request = self._billing().get(reservation.id)
        if (
            request is None
            or request.target != target
            or request.status
            not in (
                "pending",
                "accepted",
            )
        ):
            raise InvalidParameterValue(
                f"Capacity Reservation {reservation.id} has no billing request for account {target}"
            )
        return request

    def disassociate_billing(self, request: BillingRequest) -> None:
        accepted = request.status == "accepted"
        request.status = "revoked" if accepted else "cancelled"
        request.updated = self.backend.clock.now()
        if accepted:
            reservation = self.store.find(request.reservation_id)
            if reservation is not None:
                reservation.billing_owner = None

    def incoming_billing(self, reservation_id: str) -> BillingRequest:
        """The pending request that asks this account to pay for ``reservation_id``."""
        _check_id(reservation_id)
        request = self._billing().get(reservation_id)
        if (
            request is None
            or request.target != self.backend.account_id
            or request.region != self.backend.region
        ):
            raise CAPACITY_RESERVATION.not_found([reservation_id])
        if request.status != "pending":
            raise InvalidParameterValue(
                f"The billing request for Capacity Reservation {reservation_id} is {request.status}"
            )
        return request

    def answer_billing(self, request: BillingRequest, accept: bool) -> None:
        request.status = "accepted" if accept else "rejected"
        request.updated = self.backend.clock.now()
        if accept:
            owner = self._owner_backend(request)
            if owner is not None:
                reservation = owner.capacity_reservations.store.find(request.reservation_id)
                if reservation is not None:
                    reservation.billing_owner = request.target

    def _owner_backend(self, request: BillingRequest) -> Ec2Backend | None:
        backends = self.backend.shared.get("capacity_backends", {})
        return backends.get((request.owner_id, request.region))  # type: ignore[no-any-return]

    def register(self) -> None:
        """Let other accounts reach this region's reservations (billing acceptance)."""
        backends = self.backend.shared.setdefault("capacity_backends", {})
        backends[(self.backend.account_id, self.backend.region)] = self.backend

    def billing_requests(self, role: str) -> list[BillingRequest]:
        me, region = self.backend.account_id, self.backend.region
        requests = [r for r in self._billing().values() if r.region == region]
        if role == "odcr-owner":
            return [r for r in requests if r.owner_id == me]
        return [r for r in requests if r.target == me]


def _check_zero_size(value: str | None) -> None:
    if value is not None and value not in ("retain", "default"):
        raise InvalidParameterValue(
            f"Invalid value '{value}' for ZeroSizePreference. Valid values are retain, default."
        )


def _check_id(value: str) -> None:
    if not CAPACITY_RESERVATION.id_pattern.match(value):
        raise CAPACITY_RESERVATION.malformed(value)


#: DescribeCapacityReservations' filters
CAPACITY_RESERVATION_FILTERS: dict[str, Any] = {
    "instance-type": lambda r: r.instance_type,
    "owner-id": lambda r: r.owner_id,
    "instance-platform": lambda r: r.platform,
    "availability-zone": lambda r: r.zone.name,
    "tenancy": lambda r: r.tenancy,
    "outpost-arn": lambda r: None,
    "state": lambda r: r.state,
    "start-date": lambda r: r.start_date,
    "end-date": lambda r: r.end_date,
    "end-date-type": lambda r: r.end_date_type,
    "instance-match-criteria": lambda r: r.criteria,
    "placement-group-arn": lambda r: r.placement_group_arn,
}

BILLING_REQUEST_FILTERS: dict[str, Any] = {
    "status": lambda r: r.status,
    "requested-by": lambda r: r.owner_id,
    "unused-reservation-billing-owner": lambda r: r.target,
}
TOPOLOGY_FILTERS: dict[str, Any] = {
    "availability-zone": lambda r: r.zone.name,
    "instance-type": lambda r: r.instance_type,
}


def _request_like(source: CapacityReservation, count: int, **rest: Any) -> CreateRequest:
    """A request for ``count`` instances of what ``source`` reserves (split, allocation)."""
    return CreateRequest(
        instance_type=source.instance_type,
        platform=source.platform,
        zone=source.zone,
        tenancy=source.tenancy,
        count=count,
        ebs_optimized=source.ebs_optimized,
        ephemeral_storage=source.ephemeral_storage,
        **rest,
    )
