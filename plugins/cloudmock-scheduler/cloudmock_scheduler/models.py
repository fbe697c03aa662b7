"""The state of one (account, Region): schedule groups, their schedules, and what the clock
makes due. Plain Python: no HTTP, no JSON.

Schedules are indexed by group, then by name (a dict each), and every group keeps its
schedule names sorted (as the backend keeps the group names), so a list call bisects
to where its page starts instead of scanning. Time-driven changes (a finished one-time
schedule that deletes itself, a group whose deletion completes) wait in one heap keyed
by when they are due; :meth:`SchedulerBackend.settle` applies the due ones before each
request.
"""

from __future__ import annotations

import bisect
import copy
import heapq
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone, tzinfo
from typing import TYPE_CHECKING, Any, TypeVar

from cloudmock.plugin_api import BackendEnv
from cloudmock_scheduler.arns import group_arn, parse_group_arn, partition_of, schedule_arn
from cloudmock_scheduler.errors import (
    ConflictException,
    ServiceQuotaExceededException,
    ValidationException,
    group_not_found,
    invalid,
    not_on_default_group,
    schedule_not_found,
)
from cloudmock_scheduler.expressions import (
    Expression,
    InvalidExpression,
    OneTime,
    parse_expression,
    time_zone,
)
from cloudmock_scheduler.options import SchedulerOptions

if TYPE_CHECKING:
    from cloudmock_scheduler.inputs import TargetIn
    from cloudmock_scheduler.shapes import (
        DeadLetterConfig,
        EcsParameters,
        EventBridgeParameters,
        GetScheduleGroupOutput,
        GetScheduleOutput,
        KinesisParameters,
        SageMakerPipelineParameters,
        ScheduleGroupSummary,
        ScheduleSummary,
        SqsParameters,
        Tag,
    )
    from cloudmock_scheduler.shapes import FlexibleTimeWindow as FlexibleTimeWindowShape
    from cloudmock_scheduler.shapes import Target as TargetShape

T = TypeVar("T")
UTC = timezone.utc

DEFAULT_GROUP = "default"
ACTIVE, DELETING = "ACTIVE", "DELETING"
ENABLED = "ENABLED"
DELETE = "DELETE"
#: what a target without a RetryPolicy gets (GetSchedule shows them)
DEFAULT_EVENT_AGE, DEFAULT_RETRY_ATTEMPTS = 86400, 185
#: AWS refuses a StartDate further than this before the request
START_DATE_GRACE = timedelta(minutes=5)
#: AWS invokes within a minute of the time: a schedule due at 1:00 runs by 1:00:59
PRECISION = timedelta(minutes=1)


# ------------------------------------------------------------------------ what is set


@dataclass(frozen=True)
class FlexibleWindow:
    #: ``OFF`` or ``FLEXIBLE``
    mode: str
    #: 1-1440, only (and always) with ``FLEXIBLE``
    maximum_minutes: int | None

    @classmethod
    def from_request(cls, window: FlexibleTimeWindowShape) -> FlexibleWindow:
        mode, maximum = window["Mode"], window.get("MaximumWindowInMinutes")
        if mode == "FLEXIBLE" and maximum is None:
            raise ValidationException(
                "MaximumWindowInMinutes is required when FlexibleTimeWindow Mode is FLEXIBLE."
            )
        if mode == "OFF" and maximum is not None:
            raise ValidationException(
                "MaximumWindowInMinutes can only be set when FlexibleTimeWindow Mode is FLEXIBLE."
            )
        return cls(mode, maximum)

    @property
    def width(self) -> timedelta:
        return timedelta(minutes=self.maximum_minutes or 0)

    def describe(self) -> FlexibleTimeWindowShape:
        out: FlexibleTimeWindowShape = {"Mode": self.mode}
        if self.maximum_minutes is not None:
            out["MaximumWindowInMinutes"] = self.maximum_minutes
        return out


@dataclass(frozen=True)
class Retry:
    maximum_event_age: int = DEFAULT_EVENT_AGE
    maximum_attempts: int = DEFAULT_RETRY_ATTEMPTS


@dataclass(frozen=True)
class ScheduleTarget:
    """What a schedule invokes. cloudmock never invokes it: it is kept and shown."""

    arn: str
    role_arn: str
    retry: Retry
    dead_letter: DeadLetterConfig | None = None
    input: str | None = None
    # the templated-target parameters, as given
    ecs: EcsParameters | None = None
    eventbridge: EventBridgeParameters | None = None
    kinesis: KinesisParameters | None = None
    sagemaker: SageMakerPipelineParameters | None = None
    sqs: SqsParameters | None = None

    @classmethod
    def from_request(cls, target: TargetIn) -> ScheduleTarget:
        policy = target.get("RetryPolicy", {})
        retry = Retry(
            policy.get("MaximumEventAgeInSeconds", DEFAULT_EVENT_AGE),
            policy.get("MaximumRetryAttempts", DEFAULT_RETRY_ATTEMPTS),
        )
        given = copy.deepcopy(target)
        return cls(
            target["Arn"],
            target["RoleArn"],
            retry,
            dead_letter=given.get("DeadLetterConfig"),
            input=given.get("Input"),
            ecs=given.get("EcsParameters"),
            eventbridge=given.get("EventBridgeParameters"),
            kinesis=given.get("KinesisParameters"),
            sagemaker=given.get("SageMakerPipelineParameters"),
            sqs=given.get("SqsParameters"),
        )

    def describe(self) -> TargetShape:
        out: TargetShape = {
            "Arn": self.arn,
            "RoleArn": self.role_arn,
            "RetryPolicy": {
                "MaximumEventAgeInSeconds": self.retry.maximum_event_age,
                "MaximumRetryAttempts": self.retry.maximum_attempts,
            },
        }
        if self.dead_letter is not None:
            out["DeadLetterConfig"] = copy.deepcopy(self.dead_letter)
        if self.input is not None:
            out["Input"] = self.input
        if self.ecs is not None:
            out["EcsParameters"] = copy.deepcopy(self.ecs)
        if self.eventbridge is not None:
            out["EventBridgeParameters"] = copy.deepcopy(self.eventbridge)
        if self.kinesis is not None:
            out["KinesisParameters"] = copy.deepcopy(self.kinesis)
        if self.sagemaker is not None:
            out["SageMakerPipelineParameters"] = copy.deepcopy(self.sagemaker)
        if self.sqs is not None:
            out["SqsParameters"] = copy.deepcopy(self.sqs)
        return out


@dataclass(frozen=True)
class ScheduleSpec:
    """Everything the caller sets on a schedule; ``UpdateSchedule`` replaces all of it."""

    expression_text: str
    expression: Expression
    timezone: str
    zone: tzinfo
    start_date: datetime | None
    end_date: datetime | None
    description: str | None
    state: str
    target: ScheduleTarget
    window: FlexibleWindow
    action_after_completion: str

    @classmethod
    def build(
        cls,
        now: datetime,
        *,
        expression: str,
        timezone_name: str,
        start_date: datetime | None,
        end_date: datetime | None,
        description: str | None,
        state: str,
        target: ScheduleTarget,
        window: FlexibleWindow,
        action_after_completion: str,
    ) -> ScheduleSpec:
        """A checked spec; ValidationException as AWS words it for what it refuses."""
        try:
            parsed = parse_expression(expression)
        except InvalidExpression:
            raise ValidationException(f"Invalid Schedule Expression {expression}.") from None
        zone = time_zone(timezone_name)
        if zone is None:
            raise ValidationException(f"Invalid Schedule Expression Timezone {timezone_name}.")
        start, end = _utc(start_date), _utc(end_date)
        if not isinstance(parsed, OneTime):  # AWS ignores both dates for one-time schedules
            if start is not None and start < now - START_DATE_GRACE:
                raise ValidationException(
                    "The StartDate you specify cannot be earlier than 5 minutes ago."
                )
            if end is not None and end < now:
                raise ValidationException("The EndDate you specify cannot be in the past.")
            if start is not None and end is not None and end <= start:
                raise ValidationException("The EndDate you specify must be after the StartDate.")
        return cls(
            expression,
            parsed,
            timezone_name,
            zone,
            start,
            end,
            description,
            state,
            target,
            window,
            action_after_completion,
        )

    def completes_at(self) -> datetime | None:
        """When the schedule has surely made its last invocation; None: not as far as we know.

        A one-time schedule runs at its time, within its flexible window, to AWS's minute
        of precision; a recurring one stops at its EndDate. A disabled schedule never runs.
        """
        if self.state != ENABLED:
            return None
        if isinstance(self.expression, OneTime):
            return self.expression.moment(self.zone) + self.window.width + PRECISION
        return self.end_date


def _utc(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


# ---------------------------------------------------------------------------- resources


@dataclass
class Schedule:
    group: str
    name: str
    arn: str
    spec: ScheduleSpec
    created: datetime
    modified: datetime
    #: changes with every create and update, so entries of the due heap can go stale
    version: int

    def describe(self) -> GetScheduleOutput:
        spec = self.spec
        out: GetScheduleOutput = {
            "Arn": self.arn,
            "GroupName": self.group,
            "Name": self.name,
            "ScheduleExpression": spec.expression_text,
            "ScheduleExpressionTimezone": spec.timezone,
            "State": spec.state,
            "CreationDate": self.created,
            "LastModificationDate": self.modified,
            "Target": spec.target.describe(),
            "FlexibleTimeWindow": spec.window.describe(),
            "ActionAfterCompletion": spec.action_after_completion,
        }
        if spec.start_date is not None:
            out["StartDate"] = spec.start_date
        if spec.end_date is not None:
            out["EndDate"] = spec.end_date
        if spec.description is not None:
            out["Description"] = spec.description
        return out

    def summary(self) -> ScheduleSummary:
        return {
            "Arn": self.arn,
            "Name": self.name,
            "GroupName": self.group,
            "State": self.spec.state,
            "CreationDate": self.created,
            "LastModificationDate": self.modified,
            "Target": {"Arn": self.spec.target.arn},
        }


@dataclass
class ScheduleGroup:
    name: str
    arn: str
    created: datetime
    modified: datetime
    state: str = ACTIVE
    tags: dict[str, str] = field(default_factory=dict)
    schedules: dict[str, Schedule] = field(default_factory=dict)
    #: the schedule names, sorted
    names: list[str] = field(default_factory=list)

    def add(self, schedule: Schedule) -> None:
        self.schedules[schedule.name] = schedule
        bisect.insort(self.names, schedule.name)

    def remove(self, name: str) -> None:
        del self.schedules[name]
        del self.names[bisect.bisect_left(self.names, name)]

    def describe(self) -> GetScheduleGroupOutput:
        return {
            "Arn": self.arn,
            "Name": self.name,
            "State": self.state,
            "CreationDate": self.created,
            "LastModificationDate": self.modified,
        }

    def summary(self) -> ScheduleGroupSummary:
        return {
            "Arn": self.arn,
            "Name": self.name,
            "State": self.state,
            "CreationDate": self.created,
            "LastModificationDate": self.modified,
        }

    def tag_list(self) -> list[Tag]:
        return [{"Key": key, "Value": value} for key, value in self.tags.items()]


# ------------------------------------------------------------------------------ backend


class SchedulerBackend:
    """cloudmock makes one per (account, Region), lazily, from a BackendEnv."""

    def __init__(self, env: BackendEnv) -> None:
        self.env = env
        self.options = SchedulerOptions.from_dict(env.options)
        self.account, self.region = env.account_id, env.region
        self.partition = partition_of(env.region)
        self.groups: dict[str, ScheduleGroup] = {}
        #: the group names, sorted
        self.group_names: list[str] = []
        self.schedule_count = 0
        #: (when, order, group, schedule name or "" for the group itself, version)
        self._due: list[tuple[float, int, str, str, int]] = []
        self._order = itertools.count()
        self._versions = itertools.count()
        #: (operation, ClientToken) -> (the request's members, its result)
        self.client_tokens: dict[tuple[str, str], tuple[dict[str, Any], Any]] = {}
        self._add_group(DEFAULT_GROUP, self.now())

    def now(self) -> datetime:
        return self.env.clock.now()

    # -- time

    def settle(self) -> None:
        """Apply every change the clock has made due: finished ``DELETE`` schedules go,
        groups whose deletion completes go with their schedules."""
        due, now = self._due, self.env.clock.time()
        while due and due[0][0] <= now:
            _, _, group_name, name, version = heapq.heappop(due)
            group = self.groups.get(group_name)
            if group is None:
                continue
            if not name:
                if group.state == DELETING:
                    self._drop_group(group)
                continue
            schedule = group.schedules.get(name)
            if schedule is not None and schedule.version == version:
                self._drop_schedule(group, name)

    def _when(self, moment: datetime, group: str, name: str = "", version: int = 0) -> None:
        heapq.heappush(self._due, (moment.timestamp(), next(self._order), group, name, version))

    def _track(self, schedule: Schedule) -> None:
        """Queue the schedule's own deletion if it deletes itself after completing."""
        spec = schedule.spec
        if spec.action_after_completion != DELETE:
            return
        done = spec.completes_at()
        if done is not None:
            self._when(done, schedule.group, schedule.name, schedule.version)

    # -- groups

    def _add_group(self, name: str, now: datetime) -> ScheduleGroup:
        arn = group_arn(self.partition, self.region, self.account, name)
        group = self.groups[name] = ScheduleGroup(name, arn, now, now)
        bisect.insort(self.group_names, name)
        return group

    def _drop_group(self, group: ScheduleGroup) -> None:
        self.schedule_count -= len(group.schedules)
        del self.groups[group.name]
        del self.group_names[bisect.bisect_left(self.group_names, group.name)]

    def group(self, name: str) -> ScheduleGroup:
        found = self.groups.get(name)
        if found is None:
            raise group_not_found(name)
        return found

    def create_group(self, name: str, tags: list[Tag]) -> ScheduleGroup:
        if name == DEFAULT_GROUP:
            raise not_on_default_group()
        if name in self.groups:
            raise ConflictException(f"Schedule group {name} already exists.")
        if len(self.groups) >= self.options.schedule_group_limit:
            raise ServiceQuotaExceededException(
                f"You have reached the quota of {self.options.schedule_group_limit} schedule "
                "groups in this account and Region."
            )
        checked = _checked_tags(tags)
        group = self._add_group(name, self.now())
        group.tags.update(checked)
        return group

    def delete_group(self, name: str) -> None:
        """The group goes ``DELETING``, then, after the ``group_deletion_delay`` option,
        away with all its schedules (at once when the delay is 0)."""
        if name == DEFAULT_GROUP:
            raise not_on_default_group()
        group = self.group(name)
        if group.state == DELETING:
            return
        delay = self.options.group_deletion_delay
        if delay <= 0:
            self._drop_group(group)
            return
        now = self.now()
        group.state, group.modified = DELETING, now
        self._when(now + timedelta(seconds=delay), name)

    def list_groups(
        self, prefix: str | None, after: str | None, limit: int
    ) -> tuple[list[ScheduleGroup], bool]:
        """A page of groups in name order, and whether more follow."""
        names = self.group_names
        start = bisect.bisect_left(names, prefix or "")
        if after is not None:
            start = max(start, bisect.bisect_right(names, after))

        def matching() -> Iterator[ScheduleGroup]:
            for i in range(start, len(names)):
                if prefix and not names[i].startswith(prefix):
                    return
                yield self.groups[names[i]]

        return _page(matching(), limit)

    # -- schedules

    def schedule(self, group_name: str, name: str) -> Schedule:
        group = self.groups.get(group_name)
        found = group.schedules.get(name) if group is not None else None
        if found is None:
            raise schedule_not_found(name)
        return found

    def _writable(self, group: ScheduleGroup) -> None:
        if group.state == DELETING:
            raise ConflictException(f"Schedule group {group.name} is being deleted.")

    def create_schedule(self, group_name: str, name: str, spec: ScheduleSpec) -> Schedule:
        group = self.group(group_name)
        self._writable(group)
        if name in group.schedules:
            raise ConflictException(f"Schedule {name} already exists.")
        if self.schedule_count >= self.options.schedule_limit:
            raise ServiceQuotaExceededException(
                f"You have reached the quota of {self.options.schedule_limit} schedules in this "
                "account and Region."
            )
        now = self.now()
        arn = schedule_arn(self.partition, self.region, self.account, group_name, name)
        schedule = Schedule(group_name, name, arn, spec, now, now, next(self._versions))
        group.add(schedule)
        self.schedule_count += 1
        self._track(schedule)
        return schedule

    def update_schedule(self, group_name: str, name: str, spec: ScheduleSpec) -> Schedule:
        schedule = self.schedule(group_name, name)
        self._writable(self.groups[group_name])
        schedule.spec, schedule.modified = spec, self.now()
        schedule.version = next(self._versions)
        self._track(schedule)
        return schedule

    def delete_schedule(self, group_name: str, name: str) -> None:
        self.schedule(group_name, name)
        self._drop_schedule(self.groups[group_name], name)

    def _drop_schedule(self, group: ScheduleGroup, name: str) -> None:
        group.remove(name)
        self.schedule_count -= 1

    def list_schedules(
        self,
        group_name: str | None,
        prefix: str | None,
        state: str | None,
        after: tuple[str, str] | None,
        limit: int,
    ) -> tuple[list[Schedule], bool]:
        """A page of schedules in (group, name) order, and whether more follow."""
        if group_name is not None:
            groups: Iterable[ScheduleGroup] = [self.group(group_name)]
        else:
            first = bisect.bisect_left(self.group_names, after[0]) if after else 0
            groups = (self.groups[n] for n in self.group_names[first:])

        def matching() -> Iterator[Schedule]:
            for group in groups:
                names = group.names
                start = bisect.bisect_left(names, prefix or "")
                if after is not None and after[0] == group.name:
                    start = max(start, bisect.bisect_right(names, after[1]))
                elif after is not None and group.name < after[0]:
                    continue
                for i in range(start, len(names)):
                    if prefix and not names[i].startswith(prefix):
                        break
                    schedule = group.schedules[names[i]]
                    if state is None or schedule.spec.state == state:
                        yield schedule

        return _page(matching(), limit)

    # -- tags (schedule groups only)

    def group_by_arn(self, arn: str) -> ScheduleGroup:
        parsed = parse_group_arn(arn)
        if parsed is None:
            raise invalid(arn, "resourceArn", "be the ARN of a schedule group")
        if (parsed.partition, parsed.region, parsed.account) != (
            self.partition,
            self.region,
            self.account,
        ):
            raise group_not_found(parsed.name)  # another account's or Region's: not here
        return self.group(parsed.name)

    def tag(self, arn: str, tags: list[Tag]) -> None:
        group = self.group_by_arn(arn)
        if group.name == DEFAULT_GROUP:
            raise not_on_default_group()
        group.tags.update(_checked_tags(tags))

    def untag(self, arn: str, keys: list[str]) -> None:
        group = self.group_by_arn(arn)
        if group.name == DEFAULT_GROUP:
            raise not_on_default_group()
        for key in keys:
            group.tags.pop(key, None)


def _checked_tags(tags: list[Tag]) -> dict[str, str]:
    out: dict[str, str] = {}
    for tag in tags:
        key = tag["Key"]
        if key.lower().startswith("aws:"):
            raise ValidationException(
                f"The tag key {key} is not allowed: keys starting with aws: are reserved for AWS."
            )
        out[key] = tag["Value"]
    return out


def _page(items: Iterator[T], limit: int) -> tuple[list[T], bool]:
    taken = list(itertools.islice(items, limit + 1))
    return taken[:limit], len(taken) > limit


def dump(backend: SchedulerBackend) -> dict[str, Any]:
    """What ``GET /_cloudmock/state`` shows for the service."""
    backend.settle()
    groups = [backend.groups[name] for name in backend.group_names]
    return {
        "schedule_groups": [{**g.describe(), "Tags": g.tag_list()} for g in groups],
        "schedules": [g.schedules[n].describe() for g in groups for n in g.names],
    }
