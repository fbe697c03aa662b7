"""Capacity Blocks for ML: dated GPU capacity bought from offerings, and their extensions.

Offerings are made up the same way every time (same request, same offerings, same
ids): a start at 11:30 UTC on each of the next days in range, in the region's first
zone (every zone with AllAvailabilityZones), priced per instance-hour by type. A
purchase makes a Capacity Block and its Capacity Reservation (``capacity-block``
type, targeted): ``payment-pending``, then ``scheduled`` until the start, ``active``
until the end, then ``expired``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from cloudmock.core.errors import InvalidParameterValue, MissingParameter, ServiceError
from cloudmock.services.ec2.models.base import Resource, ResourceKind, Store
from cloudmock.services.ec2.models.capacity_reservations import (
    PLATFORMS,
    CapacityReservation,
    CreateRequest,
)

if TYPE_CHECKING:
    from cloudmock.services.ec2.models.backend import Ec2Backend
    from cloudmock.services.ec2.models.regions import Zone
    from cloudmock.services.ec2.shapes import CapacityBlock as CapacityBlockShape
    from cloudmock.services.ec2.shapes import CapacityBlockExtension as ExtensionShape
    from cloudmock.services.ec2.shapes import (
        CapacityBlockExtensionOffering as ExtensionOfferingShape,
    )
    from cloudmock.services.ec2.shapes import CapacityBlockOffering as OfferingShape
    from cloudmock.services.ec2.shapes import CapacityBlockStatus

CAPACITY_BLOCK = ResourceKind("cb", "capacity-block", "InvalidCapacityBlockId", "Capacity Block")

#: what a Capacity Block instance costs per hour (USD), by type
HOURLY = {
    "p4d.24xlarge": 11.8,
    "p4de.24xlarge": 14.76,
    "p5.4xlarge": 4.33,
    "p5.48xlarge": 31.46,
    "p5e.48xlarge": 34.61,
    "p5en.48xlarge": 36.18,
    "p6-b200.48xlarge": 56.45,
    "trn1.32xlarge": 8.86,
    "trn2.48xlarge": 28.0,
}
START_HOUR, START_MINUTE = 11, 30
#: how many start days an offering search returns per zone
DAYS_OFFERED = 3
MAX_INSTANCES = 64
MAX_WEEKS_AHEAD = 8


def check_duration(hours: int | None, name: str = "CapacityDurationHours") -> int:
    if hours is None:
        raise MissingParameter(f"The request must contain the parameter {name}")
    # 1-day steps up to 14 days, then 7-day steps up to 182 days
    if (24 <= hours <= 336 and hours % 24 == 0) or (336 <= hours <= 4368 and hours % 168 == 0):
        return hours
    raise InvalidParameterValue(
        f"Invalid value '{hours}' for {name}: give whole days up to 14 days (24-336), then "
        "whole weeks up to 182 days (504-4368)"
    )


def _offering_id(prefix: str, *parts: object) -> str:
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()
    return f"{prefix}-{digest[:17]}"


def _fee(instance_type: str, count: int, hours: int) -> str:
    return f"{HOURLY[instance_type] * count * hours:.2f}"


@dataclass(frozen=True)
class Offering:
    id: str
    instance_type: str
    zone: Zone
    count: int
    start: datetime
    hours: int

    @property
    def end(self) -> datetime:
        return self.start + timedelta(hours=self.hours)

    def describe(self) -> OfferingShape:
        return {
            "CapacityBlockOfferingId": self.id,
            "InstanceType": self.instance_type,
            "AvailabilityZone": self.zone.name,
            "InstanceCount": self.count,
            "StartDate": self.start,
            "EndDate": self.end,
            "CapacityBlockDurationHours": self.hours,
            "CapacityBlockDurationMinutes": 0,
            "UpfrontFee": _fee(self.instance_type, self.count, self.hours),
            "CurrencyCode": "USD",
            "Tenancy": "default",
            "ZoneType": "availability-zone",
        }


@dataclass(frozen=True)
class ExtensionOffering:
    id: str
    reservation_id: str
    instance_type: str
    zone: Zone
    count: int
    start: datetime
    extension_start: datetime
    hours: int

    @property
    def extension_end(self) -> datetime:
        return self.extension_start + timedelta(hours=self.hours)

    def describe(self) -> ExtensionOfferingShape:
        return {
            "CapacityBlockExtensionOfferingId": self.id,
            "InstanceType": self.instance_type,
            "InstanceCount": self.count,
            "AvailabilityZone": self.zone.name,
            "AvailabilityZoneId": self.zone.zone_id,
            "StartDate": self.start,
            "CapacityBlockExtensionStartDate": self.extension_start,
            "CapacityBlockExtensionEndDate": self.extension_end,
            "CapacityBlockExtensionDurationHours": self.hours,
            "UpfrontFee": _fee(self.instance_type, self.count, self.hours),
            "CurrencyCode": "USD",
            "Tenancy": "default",
            "ZoneType": "availability-zone",
        }


@dataclass
class Extension:
    offering: ExtensionOffering
    purchased: datetime
    status: str = "payment-pending"
    generation: int = 0
    id: str = ""

    def describe(self) -> ExtensionShape:
        offering = self.offering
        return {
            "CapacityReservationId": offering.reservation_id,
            "InstanceType": offering.instance_type,
            "InstanceCount": offering.count,
            "AvailabilityZone": offering.zone.name,
            "AvailabilityZoneId": offering.zone.zone_id,
            "CapacityBlockExtensionOfferingId": offering.id,
            "CapacityBlockExtensionDurationHours": offering.hours,
            "CapacityBlockExtensionStatus": self.status,  # type: ignore[typeddict-item]
            "CapacityBlockExtensionPurchaseDate": self.purchased,
            "CapacityBlockExtensionStartDate": offering.extension_start,
            "CapacityBlockExtensionEndDate": offering.extension_end,
            "UpfrontFee": _fee(offering.instance_type, offering.count, offering.hours),
            "CurrencyCode": "USD",
            "ZoneType": "availability-zone",
        }


@dataclass
class CapacityBlock(Resource):
    zone: Zone
    reservation: CapacityReservation
    create_date: datetime
    extensions: list[Extension] = field(default_factory=list)

    @property
    def state(self) -> str:
        return self.reservation.state

    def describe(self) -> CapacityBlockShape:
        reservation = self.reservation
        out: CapacityBlockShape = {
            "CapacityBlockId": self.id,
            "AvailabilityZone": self.zone.name,
            "AvailabilityZoneId": self.zone.zone_id,
            "CapacityReservationIds": [reservation.id],
            "StartDate": reservation.start_date,
            "CreateDate": self.create_date,
            "State": self.state,  # type: ignore[typeddict-item]
            "Tags": self.tag_list(),
        }
        if reservation.end_date is not None:
            out["EndDate"] = reservation.end_date
        return out

    def status(self) -> CapacityBlockStatus:
        reservation = self.reservation
        total = reservation.total
        available = reservation.available if reservation.state == "active" else 0
        return {
            "CapacityBlockId": self.id,
            "InterconnectStatus": "ok",
            "TotalCapacity": total,
            "TotalAvailableCapacity": available,
            "TotalUnavailableCapacity": 0,
            "CapacityReservationStatuses": [
                {
                    "CapacityReservationId": reservation.id,
                    "TotalCapacity": total,
                    "TotalAvailableCapacity": available,
                    "TotalUnavailableCapacity": 0,
                }
            ],
        }


class CapacityBlocks:
    """The Capacity Block family of one region."""

    def __init__(self, backend: Ec2Backend) -> None:
        self.backend = backend
        self.store: Store[CapacityBlock] = backend.new_store(CAPACITY_BLOCK)
        self.store.add_index("reservation", lambda b: b.reservation.id)
        #: offerings shown so far, by id (a purchase names one of them)
        self.offerings: dict[str, Offering] = {}
        self.extension_offerings: dict[str, ExtensionOffering] = {}

    # -- offerings

    def offerings_for(
        self,
        instance_types: list[str],
        count: int | None,
        hours: int | None,
        start_range: datetime | None,
        end_range: datetime | None,
        all_zones: bool,
    ) -> list[Offering]:
        hours = check_duration(hours)
        if count is None:
            raise MissingParameter("The request must contain the parameter InstanceCount")
        if not 1 <= count <= MAX_INSTANCES:
            raise InvalidParameterValue(
                f"Invalid value '{count}' for InstanceCount. It must be between 1 and "
                f"{MAX_INSTANCES}."
            )
        if not instance_types:
            raise MissingParameter("The request must contain the parameter InstanceType")
        for instance_type in instance_types:
            if instance_type not in HOURLY:
                raise InvalidParameterValue(
                    f"Capacity Blocks are not offered for instance type '{instance_type}'. "
                    f"Supported types: {', '.join(HOURLY)}"
                )
        now = self.backend.clock.now()
        earliest = max(now, start_range) if start_range else now
        latest = end_range or now + timedelta(weeks=MAX_WEEKS_AHEAD)
        if end_range is not None and start_range is not None and end_range <= start_range:
            raise InvalidParameterValue("EndDateRange must be after StartDateRange")
        day = earliest.astimezone(timezone.utc).replace(
            hour=START_HOUR, minute=START_MINUTE, second=0, microsecond=0
        )
        if day <= earliest:
            day += timedelta(days=1)
        zones = list(self.backend.zones.values())
        if not all_zones:
            zones = zones[:1]
        out = []
        for instance_type in instance_types:
            for zone in zones:
                for offset in range(DAYS_OFFERED):
                    start = day + timedelta(days=offset)
                    if start + timedelta(hours=hours) > latest:
                        break
                    offering = Offering(
                        _offering_id(
                            "cbr",
                            self.backend.account_id,
                            instance_type,
                            zone.name,
                            count,
                            start.isoformat(),
                            hours,
                        ),
                        instance_type,
                        zone,
                        count,
                        start,
                        hours,
                    )
                    self.offerings[offering.id] = offering
                    out.append(offering)
        return out

    def check_purchase(self, offering_id: str | None, platform: str | None) -> Offering:
        if not offering_id:
            raise MissingParameter("The request must contain the parameter CapacityBlockOfferingId")
        if not platform:
            raise MissingParameter("The request must contain the parameter InstancePlatform")
        if platform not in PLATFORMS:
            raise InvalidParameterValue(f"Invalid value '{platform}' for InstancePlatform.")
        if not offering_id.startswith("cbr-") or len(offering_id) != 21:
            raise ServiceError(
                f"The Capacity Block offering ID '{offering_id}' is malformed.",
                code="InvalidCapacityBlockOfferingIdMalformed",
            )
        offering = self.offerings.get(offering_id)
        if offering is None:
            raise ServiceError(
                f"The Capacity Block offering ID '{offering_id}' cannot be found for this account.",
                code="InvalidCapacityBlockOfferingIdNotFound",
            )
        if offering.start <= self.backend.clock.now():
            raise ServiceError(
                f"The Capacity Block offering ID '{offering_id}' is no longer available.",
                code="InvalidCapacityBlockOfferingIdExpired",
            )
        return offering

    def purchase(self, offering: Offering, platform: str, tags: dict[str, str]) -> CapacityBlock:
        backend = self.backend
        family = backend.capacity_reservations
        request = CreateRequest(
            instance_type=offering.instance_type,
            platform=platform,
            zone=offering.zone,
            tenancy="default",
            count=offering.count,
            ebs_optimized=True,
            ephemeral_storage=False,
            end_date=offering.end,
            end_date_type="limited",
            criteria="targeted",
            placement_group_arn=None,
        )
        block_id = backend.ids.new("cb")
        reservation = family.create(
            request,
            dict(tags),
            capacity_block_id=block_id,
            reservation_type="capacity-block",
            start=offering.start,
        )
        reservation.state = "payment-pending"
        block = CapacityBlock(
            block_id,
            zone=offering.zone,
            reservation=reservation,
            create_date=backend.clock.now(),
            tags=dict(tags),
        )
        self.store.add(block)
        del self.offerings[offering.id]  # an offering is bought once
        self._schedule(reservation)
        return block

    def _schedule(self, reservation: CapacityReservation) -> None:
        backend = self.backend
        reservation.generation += 1

        def paid(item: CapacityReservation) -> None:
            if item.state == "payment-pending":
                item.state = "scheduled"

        def start(item: CapacityReservation) -> None:
            if item.state in ("scheduled", "payment-pending"):
                item.state = "active"

        def end(item: CapacityReservation) -> None:
            if item.state in ("active", "scheduled"):
                backend.capacity_reservations.end(item, "expired")

        now = backend.clock.time()
        backend.schedule(backend.options.transition_delay, reservation, paid)
        backend.schedule(reservation.start_date.timestamp() - now, reservation, start)
        if reservation.end_date is not None:
            backend.schedule(reservation.end_date.timestamp() - now, reservation, end)

    # -- extensions

    def block_reservation(self, reservation_id: str | None) -> CapacityReservation:
        if not reservation_id:
            raise MissingParameter("The request must contain the parameter CapacityReservationId")
        reservation = self.backend.capacity_reservations.store.get(reservation_id)
        if reservation.reservation_type != "capacity-block":
            raise InvalidParameterValue(
                f"Capacity Reservation {reservation.id} is not a Capacity Block"
            )
        if reservation.state not in ("active", "scheduled"):
            raise InvalidParameterValue(
                f"Capacity Block {reservation.capacity_block_id} is {reservation.state} and "
                "cannot be extended"
            )
        return reservation

    def extension_offerings_for(
        self, reservation_id: str | None, hours: int | None
    ) -> list[ExtensionOffering]:
        hours = check_duration(hours, "CapacityBlockExtensionDurationHours")
        reservation = self.block_reservation(reservation_id)
        assert reservation.end_date is not None
        offering = ExtensionOffering(
            _offering_id("cbr", reservation.id, reservation.end_date.isoformat(), hours),
            reservation_id=reservation.id,
            instance_type=reservation.instance_type,
            zone=reservation.zone,
            count=reservation.total,
            start=reservation.start_date,
            extension_start=reservation.end_date,
            hours=hours,
        )
        self.extension_offerings[offering.id] = offering
        return [offering]

    def check_extension(
        self, offering_id: str | None, reservation_id: str | None
    ) -> tuple[CapacityBlock, ExtensionOffering]:
        reservation = self.block_reservation(reservation_id)
        if not offering_id:
            raise MissingParameter(
                "The request must contain the parameter CapacityBlockExtensionOfferingId"
            )
        offering = self.extension_offerings.get(offering_id)
        if offering is None or offering.reservation_id != reservation.id:
            raise ServiceError(
                f"The Capacity Block extension offering ID '{offering_id}' cannot be found for "
                f"Capacity Reservation {reservation.id}.",
                code="InvalidCapacityBlockOfferingIdNotFound",
            )
        if offering.extension_start != reservation.end_date:
            raise ServiceError(
                f"The Capacity Block extension offering ID '{offering_id}' is no longer available.",
                code="InvalidCapacityBlockOfferingIdExpired",
            )
        block = self.store.lookup("reservation", reservation.id)[0]
        return block, offering

    def extend(self, block: CapacityBlock, offering: ExtensionOffering) -> Extension:
        backend = self.backend
        extension = Extension(offering, backend.clock.now())
        block.extensions.append(extension)
        reservation = block.reservation
        reservation.end_date = offering.extension_end
        self._schedule(reservation)
        del self.extension_offerings[offering.id]

        def paid(item: Extension) -> None:
            item.status = "payment-succeeded"

        backend.schedule(backend.options.transition_delay, extension, paid)  # type: ignore[arg-type]
        return extension

    def extension_history(self, reservation_ids: list[str] | None) -> list[Extension]:
        if reservation_ids:
            self.backend.capacity_reservations.store.get_many(reservation_ids)
            blocks = [
                block
                for rid in dict.fromkeys(reservation_ids)
                for block in self.store.lookup("reservation", rid)
            ]
        else:
            blocks = list(self.store)
        return [extension for block in blocks for extension in block.extensions]


CAPACITY_BLOCK_FILTERS: dict[str, Any] = {
    "availability-zone": lambda b: b.zone.name,
    "capacity-block-id": lambda b: b.id,
    "create-date": lambda b: b.create_date,
    "start-date": lambda b: b.reservation.start_date,
    "end-date": lambda b: b.reservation.end_date,
    "state": lambda b: b.state,
    # "instances or ultraservers": cloudmock sells blocks of instances only
    "ultraserver-type": lambda b: "instances",
}
CAPACITY_BLOCK_STATUS_FILTERS: dict[str, Any] = {
    "interconnect-status": lambda b: "ok",
}
EXTENSION_FILTERS: dict[str, Any] = {
    "availability-zone": lambda e: e.offering.zone.name,
    "availability-zone-id": lambda e: e.offering.zone.zone_id,
    "capacity-block-extension-offering-id": lambda e: e.offering.id,
    "capacity-block-extension-status": lambda e: e.status,
    "capacity-reservation-id": lambda e: e.offering.reservation_id,
    "instance-type": lambda e: e.offering.instance_type,
}
