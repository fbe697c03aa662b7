"""Instance event windows, event notification attributes, and instance status reports."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from itertools import pairwise
from typing import TYPE_CHECKING

from cloudmock.core.errors import (
    InvalidParameterCombination,
    InvalidParameterValue,
    MissingParameter,
    ServiceError,
)
from cloudmock.services.ec2.dryrun import commit
from cloudmock.services.ec2.models.base import Resource, ResourceKind, Store

if TYPE_CHECKING:
    from cloudmock.services.ec2.models.backend import Ec2Backend
    from cloudmock.services.ec2.models.instances import Instance
    from cloudmock.services.ec2.shapes import (
        InstanceEventWindow,
        InstanceEventWindowTimeRange,
        InstanceTagNotificationAttribute,
    )

EVENT_WINDOW = ResourceKind(
    "iew", "instance-event-window", "InvalidInstanceEventWindowId", "event window ID"
)
#: event windows a region allows
EVENT_WINDOW_LIMIT = 200
WEEK_DAYS = ("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday")
_CRON_DAYS = {"SUN": 0, "MON": 1, "TUE": 2, "WED": 3, "THU": 4, "FRI": 5, "SAT": 6}
_HOUR_RANGE = re.compile(r"^(\d{1,2})-(\d{1,2})$")
#: (start day, start hour, end day, end hour); days as in WEEK_DAYS
TimeRange = tuple[str, int, str, int]


def _invalid(message: str) -> ServiceError:
    return InvalidParameterValue(message)


def check_time_ranges(ranges: list[TimeRange]) -> None:
    """Each range at least 2 hours, together at least 4, none overlapping."""
    spans: list[tuple[int, int]] = []
    for start_day, start_hour, end_day, end_hour in ranges:
        for hour in (start_hour, end_hour):
            if not 0 <= hour <= 23:
                raise _invalid(f"Invalid hour '{hour}' in the time range: hours are 0 to 23.")
        start = WEEK_DAYS.index(start_day) * 24 + start_hour
        end = WEEK_DAYS.index(end_day) * 24 + end_hour
        if end < start:
            raise _invalid("The end of a time range must come after its start within the week.")
        if end - start < 2:
            raise _invalid("Each time range of an event window must be at least 2 hours.")
        spans.append((start, end))
    if sum(end - start for start, end in spans) < 4:
        raise _invalid("The time ranges of an event window must total at least 4 hours.")
    spans.sort()
    for (_, end), (start, _) in pairwise(spans):
        if start < end:
            raise _invalid("The time ranges of an event window must not overlap.")


def check_cron(expression: str) -> None:
    """Only hours and days of the week: ``* 0-4,20-23 * * 1,5``."""
    fields = expression.split()
    if len(fields) != 5:
        raise _invalid(
            f"Invalid cron expression '{expression}': give minute, hour, day of month, month "
            "and day of week."
        )
    minute, hours, day_of_month, month, days = fields
    if minute != "*" or day_of_month != "*" or month != "*":
        raise _invalid(
            f"Invalid cron expression '{expression}': the minute, day of month and month must be *."
        )
    total = 0
    for part in hours.split(","):
        match = _HOUR_RANGE.match(part)
        if match is None:
            raise _invalid(
                f"Invalid cron expression '{expression}': the hour value must be one or more "
                "ranges, for example 0-4 or 0-4,20-23."
            )
        first, last = int(match.group(1)), int(match.group(2))
        if not (0 <= first <= 23 and 0 <= last <= 23) or last - first < 2:
            raise _invalid(
                f"Invalid cron expression '{expression}': each hour range must be at least "
                "2 hours, for example 0-2 or 20-23."
            )
        total += last - first
    if total < 4:
        raise _invalid(
            f"Invalid cron expression '{expression}': the event window must be at least 4 hours."
        )
    if days != "*":
        for part in re.split(r"[,-]", days):
            if part.upper() in _CRON_DAYS:
                continue
            if not (part.isdigit() and 0 <= int(part) <= 6):
                raise _invalid(
                    f"Invalid cron expression '{expression}': days of the week are 0 to 6 or "
                    "SUN to SAT."
                )


@dataclass(slots=True)
class EventWindow(Resource):
    name: str = ""
    time_ranges: tuple[TimeRange, ...] = ()
    cron: str | None = None
    instance_ids: tuple[str, ...] = ()
    instance_tags: tuple[tuple[str, str], ...] = ()
    host_ids: tuple[str, ...] = ()
    state: str = "creating"
    generation: int = 0

    @property
    def has_targets(self) -> bool:
        return bool(self.instance_ids or self.instance_tags or self.host_ids)

    def describe(self) -> InstanceEventWindow:
        ranges: list[InstanceEventWindowTimeRange] = [
            {"StartWeekDay": a, "StartHour": b, "EndWeekDay": c, "EndHour": d}
            for a, b, c, d in self.time_ranges
        ]
        out: InstanceEventWindow = {
            "InstanceEventWindowId": self.id,
            "TimeRanges": ranges,
            "Name": self.name,
            "AssociationTarget": {
                "InstanceIds": list(self.instance_ids),
                "Tags": [{"Key": k, "Value": v} for k, v in self.instance_tags],
                "DedicatedHostIds": list(self.host_ids),
            },
            "State": self.state,
            "Tags": self.tag_list(),
        }
        if self.cron is not None:
            out["CronExpression"] = self.cron
        return out


EVENT_WINDOW_FILTERS = {
    "dedicated-host-id": lambda w: list(w.host_ids),
    "event-window-name": lambda w: w.name,
    "instance-id": lambda w: list(w.instance_ids),
    "instance-tag": lambda w: [f"{k}={v}" for k, v in w.instance_tags],
    "instance-tag-key": lambda w: [k for k, _ in w.instance_tags],
    "instance-tag-value": lambda w: [v for _, v in w.instance_tags],
}


@dataclass(slots=True)
class Target:
    """An AssociationTarget: exactly one kind of target at a time."""

    instance_ids: tuple[str, ...] = ()
    instance_tags: tuple[tuple[str, str], ...] = ()
    host_ids: tuple[str, ...] = ()

    def kinds(self) -> int:
        return bool(self.instance_ids) + bool(self.instance_tags) + bool(self.host_ids)


@dataclass(slots=True)
class StatusReport:
    instance_ids: tuple[str, ...]
    status: str
    reason_codes: tuple[str, ...]
    start: datetime | None
    end: datetime | None
    description: str | None


@dataclass(slots=True)
class NotificationTags:
    include_all: bool = False
    keys: list[str] = field(default_factory=list)

    def describe(self) -> InstanceTagNotificationAttribute:
        return {"InstanceTagKeys": list(self.keys), "IncludeAllTagsOfInstance": self.include_all}


class InstanceEvents:
    def __init__(self, backend: Ec2Backend) -> None:
        self.backend = backend
        self.windows: Store[EventWindow] = backend.new_store(EVENT_WINDOW)
        #: instance id -> its event window (an instance belongs to one window at most)
        self._window_of_instance: dict[str, str] = {}
        self.notification_tags = NotificationTags()
        self.reports: list[StatusReport] = []
        backend.instances.on_enter("terminated", self._state_changed)

    def _state_changed(self, instance: Instance, previous: str) -> None:
        if instance.state == "terminated":
            window_id = self._window_of_instance.pop(instance.id, None)
            window = self.windows.find(window_id or "")
            if window is not None:
                window.instance_ids = tuple(i for i in window.instance_ids if i != instance.id)

    # -- event windows

    @staticmethod
    def _schedule(
        time_ranges: list[TimeRange] | None, cron: str | None
    ) -> tuple[tuple[TimeRange, ...], str | None]:
        if time_ranges and cron is not None:
            raise InvalidParameterCombination(
                "You can specify either time ranges or a cron expression for an event window, "
                "not both."
            )
        if time_ranges:
            check_time_ranges(time_ranges)
        if cron is not None:
            check_cron(cron)
        return tuple(time_ranges or ()), cron

    def create(
        self,
        name: str | None,
        time_ranges: list[TimeRange] | None,
        cron: str | None,
        tags: dict[str, str],
    ) -> EventWindow:
        ranges, cron = self._schedule(time_ranges, cron)
        if len(self.windows) >= EVENT_WINDOW_LIMIT:
            raise ServiceError(
                f"You have reached the limit of {EVENT_WINDOW_LIMIT} event windows.",
                code="InstanceEventWindowLimitExceeded",
            )
        commit()
        backend = self.backend
        window = self.windows.add(
            EventWindow(
                id=backend.ids.new("iew"),
                name=name or "",
                time_ranges=ranges,
                cron=cron,
                tags=tags,
            )
        )
        self._settle(window, "active")
        return window

    def _settle(self, window: EventWindow, state: str) -> None:
        window.generation += 1

        def done(item: EventWindow) -> None:
            if state == "deleted":
                self.windows.remove(item.id)
            else:
                item.state = state

        self.backend.schedule(self.backend.options.transition_delay, window, done)

    def _live(self, window_id: str) -> EventWindow:
        window = self.windows.get(window_id)
        if window.state in ("deleting", "deleted"):
            raise ServiceError(
                f"The event window '{window_id}' is being deleted.",
                code="InvalidInstanceEventWindowState",
            )
        return window

    def modify(
        self,
        window_id: str,
        name: str | None,
        time_ranges: list[TimeRange] | None,
        cron: str | None,
    ) -> EventWindow:
        window = self._live(window_id)
        changes_schedule = bool(time_ranges) or cron is not None
        ranges, cron = self._schedule(time_ranges, cron)
        commit()
        if name is not None:
            window.name = name
        if changes_schedule:
            # the new schedule replaces the old one, whichever form it took
            window.time_ranges, window.cron = ranges, cron
        return window

    def delete(self, window_id: str, force: bool) -> EventWindow:
        window = self._live(window_id)
        if window.has_targets and not force:
            raise ServiceError(
                f"The event window '{window_id}' is associated with targets. Disassociate them "
                "first, or delete it with ForceDelete.",
                code="InvalidInstanceEventWindowState",
            )
        commit()
        for instance_id in window.instance_ids:
            self._window_of_instance.pop(instance_id, None)
        window.state = "deleting"
        self._settle(window, "deleted")
        return window

    def associate(self, window_id: str, target: Target) -> EventWindow:
        window = self._live(window_id)
        if target.kinds() != 1:
            raise InvalidParameterCombination(
                "Specify one type of target (instance IDs, instance tags or Dedicated Host IDs) "
                "for an event window."
            )
        current = Target(window.instance_ids, window.instance_tags, window.host_ids)
        if current.kinds() and (
            bool(current.instance_ids) != bool(target.instance_ids)
            or bool(current.instance_tags) != bool(target.instance_tags)
            or bool(current.host_ids) != bool(target.host_ids)
        ):
            raise InvalidParameterCombination(
                f"The event window '{window_id}' is already associated with another type of "
                "target; an event window takes one type of target."
            )
        instances = self.backend.instances.store.get_many(list(target.instance_ids))
        for instance in instances:
            other = self._window_of_instance.get(instance.id)
            if other is not None and other != window.id:
                raise ServiceError(
                    f"The instance '{instance.id}' is already associated with event window "
                    f"'{other}'.",
                    code="InvalidParameterValue",
                )
        for host_id in target.host_ids:
            self.backend.resource(host_id)  # the hosts family's NotFound for an unknown host
        commit()
        window.instance_ids = tuple(dict.fromkeys((*window.instance_ids, *target.instance_ids)))
        window.instance_tags = tuple(dict.fromkeys((*window.instance_tags, *target.instance_tags)))
        window.host_ids = tuple(dict.fromkeys((*window.host_ids, *target.host_ids)))
        for instance in instances:
            self._window_of_instance[instance.id] = window.id
        return window

    def disassociate(self, window_id: str, target: Target) -> EventWindow:
        window = self._live(window_id)
        if not target.kinds():
            raise MissingParameter("AssociationTarget")
        for instance_id in target.instance_ids:
            if instance_id not in window.instance_ids:
                raise InvalidParameterValue(
                    f"The instance '{instance_id}' is not associated with event window "
                    f"'{window_id}'."
                )
        commit()
        gone = set(target.instance_ids)
        window.instance_ids = tuple(i for i in window.instance_ids if i not in gone)
        window.instance_tags = tuple(
            t for t in window.instance_tags if t not in target.instance_tags
        )
        window.host_ids = tuple(h for h in window.host_ids if h not in target.host_ids)
        for instance_id in gone:
            self._window_of_instance.pop(instance_id, None)
        return window

    # -- event notification attributes

    def register_tags(self, include_all: bool | None, keys: list[str] | None) -> NotificationTags:
        if include_all is None and not keys:
            raise MissingParameter("InstanceTagAttribute")
        if include_all and keys:
            raise InvalidParameterCombination(
                "Specify either IncludeAllTagsOfInstance or InstanceTagKeys, not both."
            )
        commit()
        tags = self.notification_tags
        if include_all is not None:
            tags.include_all = include_all
        for key in keys or ():
            if key not in tags.keys:
                tags.keys.append(key)
        return tags

    def deregister_tags(self, include_all: bool | None, keys: list[str] | None) -> NotificationTags:
        if include_all is None and not keys:
            raise MissingParameter("InstanceTagAttribute")
        if include_all and keys:
            raise InvalidParameterCombination(
                "Specify either IncludeAllTagsOfInstance or InstanceTagKeys, not both."
            )
        commit()
        tags = self.notification_tags
        if include_all:
            tags.include_all = False
        tags.keys = [k for k in tags.keys if k not in set(keys or ())]
        return tags

    # -- scheduled events and status reports

    def modify_event_start(self, instance: Instance, event_id: str) -> None:
        # cloudmock schedules no maintenance events, so there is none to move
        raise ServiceError(
            f"The event ID '{event_id}' does not exist for instance '{instance.id}'.",
            code="InvalidInstanceEventID.NotFound",
        )

    def report_status(self, report: StatusReport) -> None:
        if not report.instance_ids:
            raise MissingParameter("InstanceId")
        self.backend.instances.store.get_many(list(report.instance_ids))
        if report.start and report.end and report.end < report.start:
            raise InvalidParameterValue("The end time must be after the start time.")
        commit()
        self.reports.append(report)
