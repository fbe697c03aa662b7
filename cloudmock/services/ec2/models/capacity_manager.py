"""EC2 Capacity Manager: its switch, data exports, monitored tag keys, and reservation metrics.

Metrics are worked out from the region's Capacity Reservations as they stand (their
create/start/end dates and sizes), so only the reservation-size and count metrics
are answered; usage, cost, Spot and fulfilment metrics need a history of instance
usage cloudmock does not keep, and are refused by name. Data exports are recorded
but deliver nothing (there is no S3 in the box): they stay ``pending``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from cloudmock.core.errors import InvalidParameterValue, MissingParameter, ServiceError
from cloudmock.services.ec2.models import sizes
from cloudmock.services.ec2.models.base import Resource, ResourceKind, Store

if TYPE_CHECKING:
    from cloudmock.services.ec2.models.backend import Ec2Backend
    from cloudmock.services.ec2.models.capacity_reservations import CapacityReservation
    from cloudmock.services.ec2.shapes import (
        CapacityManagerDataExportResponse,
        CapacityManagerDimension,
        CapacityManagerMonitoredTagKey,
    )

DATA_EXPORT = ResourceKind(
    "cmde",
    "capacity-manager-data-export",
    "InvalidCapacityManagerDataExportId",
    "Capacity Manager data export",
)
MAX_EXPORTS = 10
MAX_TAG_KEYS = 5

#: metric name -> (unit, how one reservation's size is read)
_SIZE: dict[str, Callable[[CapacityReservation], float]] = {
    "inst": lambda r: float(r.total),
    "vcpu": lambda r: float(r.total * sizes.vcpus(r.instance_type)),
}
#: the metrics cloudmock answers: the reservation sizes and counts it knows
SUPPORTED_METRICS = (
    "reservation-total-capacity-hrs-vcpu",
    "reservation-total-capacity-hrs-inst",
    "reservation-max-size-vcpu",
    "reservation-max-size-inst",
    "reservation-min-size-vcpu",
    "reservation-min-size-inst",
    "reservation-total-count",
)

#: dimension name -> (member of CapacityManagerDimension, getter)
DIMENSIONS: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "resource-region": ("ResourceRegion", lambda r: r.arn.split(":")[3]),
    "availability-zone-id": ("AvailabilityZoneId", lambda r: r.zone.zone_id),
    "account-id": ("AccountId", lambda r: r.owner_id),
    "instance-family": ("InstanceFamily", lambda r: sizes.family(r.instance_type)),
    "instance-type": ("InstanceType", lambda r: r.instance_type),
    "instance-platform": ("InstancePlatform", lambda r: r.platform),
    "reservation-arn": ("ReservationArn", lambda r: r.arn),
    "reservation-id": ("ReservationId", lambda r: r.id),
    "reservation-type": (
        "ReservationType",
        lambda r: "capacity-block" if r.reservation_type == "capacity-block" else "odcr",
    ),
    "reservation-create-timestamp": ("ReservationCreateTimestamp", lambda r: r.create_date),
    "reservation-start-timestamp": ("ReservationStartTimestamp", lambda r: r.start_date),
    "reservation-end-timestamp": ("ReservationEndTimestamp", lambda r: r.end_date),
    "reservation-end-date-type": ("ReservationEndDateType", lambda r: r.end_date_type),
    "tenancy": ("Tenancy", lambda r: r.tenancy),
    "reservation-state": ("ReservationState", lambda r: r.state),
    "reservation-instance-match-criteria": (
        "ReservationInstanceMatchCriteria",
        lambda r: r.criteria,
    ),
    "reservation-unused-financial-owner": (
        "ReservationUnusedFinancialOwner",
        lambda r: r.billing_owner or r.owner_id,
    ),
}


@dataclass
class DataExport(Resource):
    bucket: str
    prefix: str | None
    schedule: str
    output_format: str
    create_time: datetime

    def describe(self) -> CapacityManagerDataExportResponse:
        out: CapacityManagerDataExportResponse = {
            "CapacityManagerDataExportId": self.id,
            "S3BucketName": self.bucket,
            "Schedule": self.schedule,  # type: ignore[typeddict-item]
            "OutputFormat": self.output_format,  # type: ignore[typeddict-item]
            "CreateTime": self.create_time,
            "LatestDeliveryStatus": "pending",
            "Tags": self.tag_list(),
        }
        if self.prefix:
            out["S3BucketPrefix"] = self.prefix
        return out


@dataclass
class TagKey:
    key: str
    status: str
    since: datetime
    generation: int = 0
    id: str = ""

    def describe(self) -> CapacityManagerMonitoredTagKey:
        return {
            "TagKey": self.key,
            "Status": self.status,  # type: ignore[typeddict-item]
            "CapacityManagerProvided": False,
            "EarliestDatapointTimestamp": self.since,
        }


@dataclass
class Manager:
    enabled: bool = False
    organizations_access: bool = False
    enabled_at: datetime | None = None
    ingested: bool = False
    generation: int = 0
    id: str = "capacity-manager"
    tag_keys: dict[str, TagKey] = field(default_factory=dict)


class CapacityManager:
    """Capacity Manager for one account in one region."""

    def __init__(self, backend: Ec2Backend) -> None:
        self.backend = backend
        self.state = Manager()
        self.exports: Store[DataExport] = backend.new_store(DATA_EXPORT)

    # -- the switch

    def enable(self, organizations_access: bool | None) -> None:
        state = self.state
        if not state.enabled:
            state.enabled = True
            state.enabled_at = self.backend.clock.now()
            state.ingested = False
            state.generation += 1

            def ingested(item: Manager) -> None:
                item.ingested = True

            self.backend.schedule(self.backend.options.transition_delay, state, ingested)  # type: ignore[arg-type]
        if organizations_access is not None:
            state.organizations_access = organizations_access

    def disable(self) -> None:
        state = self.state
        state.enabled = False
        state.organizations_access = False
        state.ingested = False
        state.enabled_at = None
        state.generation += 1

    def require_enabled(self) -> None:
        if not self.state.enabled:
            raise ServiceError(
                "Capacity Manager is not enabled for this account. Call EnableCapacityManager "
                "first.",
                code="IncorrectState",
            )

    # -- data exports

    def check_export(
        self, bucket: str | None, schedule: str | None, output_format: str | None
    ) -> None:
        self.require_enabled()
        if not bucket:
            raise MissingParameter("The request must contain the parameter S3BucketName")
        if schedule not in ("hourly",):
            raise InvalidParameterValue(
                f"Invalid value '{schedule}' for Schedule. Valid values: hourly"
            )
        if output_format not in ("csv", "parquet"):
            raise InvalidParameterValue(
                f"Invalid value '{output_format}' for OutputFormat. Valid values: csv, parquet"
            )
        if len(self.exports) >= MAX_EXPORTS:
            raise ServiceError(
                f"You can have at most {MAX_EXPORTS} Capacity Manager data exports",
                code="LimitExceeded",
            )

    def create_export(
        self,
        bucket: str,
        prefix: str | None,
        schedule: str,
        output_format: str,
        tags: dict[str, str],
    ) -> DataExport:
        export = DataExport(
            self.backend.ids.new("cmde"),
            bucket=bucket,
            prefix=prefix,
            schedule=schedule,
            output_format=output_format,
            create_time=self.backend.clock.now(),
            tags=tags,
        )
        self.exports.add(export)
        return export

    # -- monitored tag keys

    def tag_keys(self) -> list[TagKey]:
        return list(self.state.tag_keys.values())

    def check_tag_keys(self, activate: list[str], deactivate: list[str]) -> None:
        self.require_enabled()
        if not activate and not deactivate:
            raise MissingParameter("The request must contain ActivateTagKeys or DeactivateTagKeys")
        both = set(activate) & set(deactivate)
        if both:
            raise InvalidParameterValue(
                f"Tag keys cannot be activated and deactivated at once: {', '.join(sorted(both))}"
            )
        keys = self.state.tag_keys
        active = {k for k, v in keys.items() if v.status in ("activating", "activated")}
        if len((active | set(activate)) - set(deactivate)) > MAX_TAG_KEYS:
            raise ServiceError(
                f"Capacity Manager monitors at most {MAX_TAG_KEYS} tag keys",
                code="LimitExceeded",
            )
        for key in deactivate:
            if key not in keys:
                raise InvalidParameterValue(f"Tag key '{key}' is not monitored")

    def update_tag_keys(self, activate: list[str], deactivate: list[str]) -> list[TagKey]:
        backend = self.backend
        keys = self.state.tag_keys
        changed = []
        for key in activate:
            entry = keys.get(key)
            if entry is None or entry.status in ("deactivating",):
                entry = keys[key] = TagKey(key, "activating", backend.clock.now())
            changed.append(self._settle(entry, "activated"))
        for key in deactivate:
            entry = keys[key]
            entry.status = "deactivating"
            changed.append(self._settle(entry, None))
        return changed

    def _settle(self, entry: TagKey, status: str | None) -> TagKey:
        entry.generation += 1
        keys = self.state.tag_keys

        def done(item: TagKey) -> None:
            if status is None:
                if keys.get(item.key) is item:
                    del keys[item.key]
            else:
                item.status = status

        self.backend.schedule(self.backend.options.transition_delay, entry, done)  # type: ignore[arg-type]
        return entry

    # -- metrics

    def _reservations(
        self,
        filter_by: list[dict[str, Any]],
        start: datetime | None,
        end: datetime | None,
    ) -> list[CapacityReservation]:
        conditions = []
        for position, condition in enumerate(filter_by, start=1):
            dimension_condition = condition.get("DimensionCondition") or {}
            name = dimension_condition.get("Dimension")
            if name not in DIMENSIONS:
                raise InvalidParameterValue(
                    f"FilterBy.{position}: cloudmock does not know the dimension '{name}'"
                )
            values = [str(v) for v in dimension_condition.get("Values") or []]
            comparison = dimension_condition.get("Comparison") or "equals"
            if comparison == "equals" and len(values) != 1:
                raise InvalidParameterValue(
                    f"FilterBy.{position}: the equals comparison takes exactly one value"
                )
            conditions.append((DIMENSIONS[name][1], set(values)))
        out = []
        for reservation in self.backend.capacity_reservations.store:
            if (
                start is not None
                and end is not None
                and not _overlaps(reservation, start, end, self.backend.clock.now())
            ):
                continue
            if all(_text(getter(reservation)) in values for getter, values in conditions):
                out.append(reservation)
        return out

    def check_window(
        self, start: datetime | None, end: datetime | None, period: int | None
    ) -> tuple[datetime, datetime]:
        self.require_enabled()
        if start is None or end is None:
            raise MissingParameter("The request must contain StartTime and EndTime")
        if end <= start:
            raise InvalidParameterValue("EndTime must be after StartTime")
        if period is not None:
            if period < 3600 or period % 3600:
                raise InvalidParameterValue("Period must be a multiple of 3600 seconds")
            if (end - start).total_seconds() % period:
                raise InvalidParameterValue(
                    "The time range (EndTime - StartTime) must be a multiple of Period"
                )
        return start, end

    def check_metrics(self, names: list[str], limit: int) -> None:
        if not names:
            raise MissingParameter("The request must contain the parameter MetricNames")
        if len(names) > limit:
            raise InvalidParameterValue(f"At most {limit} metrics can be requested at once")
        unknown = [n for n in names if n not in SUPPORTED_METRICS]
        if unknown:
            raise ServiceError(
                f"cloudmock does not compute the metric(s) {', '.join(unknown)}: it keeps no "
                "history of instance usage, cost or Spot capacity.",
                code="UnsupportedOperation",
            )

    def dimensions(
        self,
        group_by: list[str],
        filter_by: list[dict[str, Any]],
        start: datetime,
        end: datetime,
    ) -> list[CapacityManagerDimension]:
        for name in group_by:
            if name not in DIMENSIONS:
                raise InvalidParameterValue(f"cloudmock does not know the dimension '{name}'")
        rows: dict[tuple[str, ...], CapacityManagerDimension] = {}
        for reservation in self._reservations(filter_by, start, end):
            row = self._dimension(reservation, group_by)
            key = tuple(_text(v) for v in row.values())
            rows.setdefault(key, row)
        return list(rows.values())

    def _dimension(
        self, reservation: CapacityReservation, group_by: list[str]
    ) -> CapacityManagerDimension:
        row: dict[str, Any] = {}
        for name in group_by:
            member, getter = DIMENSIONS[name]
            value = getter(reservation)
            if value is not None:
                row[member] = value
        return row  # type: ignore[return-value]

    def metric_data(
        self,
        names: list[str],
        start: datetime,
        end: datetime,
        period: int,
        group_by: list[str],
        filter_by: list[dict[str, Any]],
    ) -> list[dict[str, Any]]:
        for name in group_by:
            if name not in DIMENSIONS:
                raise InvalidParameterValue(f"cloudmock does not know the dimension '{name}'")
        now = self.backend.clock.now()
        reservations = self._reservations(filter_by, start, end)
        groups: dict[
            tuple[str, ...], tuple[CapacityManagerDimension, list[CapacityReservation]]
        ] = {}
        for reservation in reservations:
            row = self._dimension(reservation, group_by)
            key = tuple(_text(v) for v in row.values())
            groups.setdefault(key, (row, []))[1].append(reservation)
        out = []
        steps = int((end - start).total_seconds() // period)
        for row, members in groups.values():
            for step in range(steps):
                slot_start = start + timedelta(seconds=step * period)
                slot_end = slot_start + timedelta(seconds=period)
                values = [
                    {"Metric": name, "Value": _metric(name, members, slot_start, slot_end, now)}
                    for name in names
                ]
                out.append({"Dimension": row, "Timestamp": slot_start, "MetricValues": values})
        return out


def _text(value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    return "" if value is None else str(value)


def _span(reservation: CapacityReservation, now: datetime) -> tuple[datetime, datetime]:
    """When a reservation held capacity: its start to its end (or now, if it is still on)."""
    start = reservation.start_date
    if reservation.state in ("active",):
        end = min(reservation.end_date, now) if reservation.end_date else now
    elif reservation.state in ("cancelled", "expired"):
        end = reservation.end_date or now
    else:
        end = start  # not delivered yet
    return start, end


def _overlaps(
    reservation: CapacityReservation, start: datetime, end: datetime, now: datetime
) -> bool:
    held_from, held_to = _span(reservation, now)
    return held_from < end and held_to > start


def _metric(
    name: str,
    members: list[CapacityReservation],
    start: datetime,
    end: datetime,
    now: datetime,
) -> float:
    unit = "vcpu" if name.endswith("vcpu") else "inst"
    size = _SIZE[unit]
    held = []
    for reservation in members:
        held_from, held_to = _span(reservation, now)
        overlap = (min(held_to, end) - max(held_from, start)).total_seconds()
        if overlap > 0:
            held.append((reservation, overlap / 3600))
    if name == "reservation-total-count":
        return float(len(held))
    if name.startswith("reservation-total-capacity-hrs"):
        return round(sum(size(r) * hours for r, hours in held), 6)
    sizes_held = [size(r) for r, _ in held]
    if not sizes_held:
        return 0.0
    if name.startswith("reservation-max-size"):
        return max(sizes_held)
    return min(sizes_held) if not math.isnan(min(sizes_held)) else 0.0


DATA_EXPORT_FILTERS: dict[str, Any] = {}
