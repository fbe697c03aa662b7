"""CreateSchedule, GetSchedule, UpdateSchedule, DeleteSchedule, ListSchedules.

``KmsKeyArn`` is not taken, so it is refused: AWS checks the key with KMS (that it
exists, is enabled and that Scheduler may use it), and with no KMS to check it against
cloudmock would pass requests AWS refuses. ``Target`` is taken as ``TargetIn``, which
leaves out the templated targets of EventBridge's eventsv2 buses (see ``inputs.py``).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from cloudmock.plugin_api import operation
from cloudmock_scheduler.handlers import Ctx
from cloudmock_scheduler.inputs import TargetIn
from cloudmock_scheduler.models import DEFAULT_GROUP, FlexibleWindow, ScheduleSpec, ScheduleTarget
from cloudmock_scheduler.paging import DEFAULT_PAGE, next_token, read_token

if TYPE_CHECKING:
    # generated from botocore's model by cloudmock's scripts/gen_shapes.py; for mypy only
    from cloudmock_scheduler.shapes import (
        CreateScheduleOutput,
        FlexibleTimeWindow,
        GetScheduleOutput,
        ListSchedulesOutput,
        UpdateScheduleOutput,
    )


@operation("CreateSchedule")
def create_schedule(
    ctx: Ctx,
    *,
    Name: str,
    ScheduleExpression: str,
    Target: TargetIn,
    FlexibleTimeWindow: FlexibleTimeWindow,
    GroupName: str = DEFAULT_GROUP,
    StartDate: datetime | None = None,
    EndDate: datetime | None = None,
    Description: str | None = None,
    ScheduleExpressionTimezone: str = "UTC",
    State: str = "ENABLED",
    ActionAfterCompletion: str = "NONE",
) -> CreateScheduleOutput:
    spec = _spec(
        ctx, ScheduleExpression, ScheduleExpressionTimezone, StartDate, EndDate, Description,
        State, Target, FlexibleTimeWindow, ActionAfterCompletion,
    )  # fmt: skip
    return {"ScheduleArn": ctx.backend.create_schedule(GroupName, Name, spec).arn}


@operation("UpdateSchedule")
def update_schedule(
    ctx: Ctx,
    *,
    Name: str,
    ScheduleExpression: str,
    Target: TargetIn,
    FlexibleTimeWindow: FlexibleTimeWindow,
    GroupName: str = DEFAULT_GROUP,
    StartDate: datetime | None = None,
    EndDate: datetime | None = None,
    Description: str | None = None,
    ScheduleExpressionTimezone: str = "UTC",
    State: str = "ENABLED",
    ActionAfterCompletion: str = "NONE",
) -> UpdateScheduleOutput:
    # as on AWS, an update replaces the whole schedule: what it leaves out takes its default
    spec = _spec(
        ctx, ScheduleExpression, ScheduleExpressionTimezone, StartDate, EndDate, Description,
        State, Target, FlexibleTimeWindow, ActionAfterCompletion,
    )  # fmt: skip
    return {"ScheduleArn": ctx.backend.update_schedule(GroupName, Name, spec).arn}


@operation("GetSchedule")
def get_schedule(ctx: Ctx, *, Name: str, GroupName: str = DEFAULT_GROUP) -> GetScheduleOutput:
    return ctx.backend.schedule(GroupName, Name).describe()


@operation("DeleteSchedule")
def delete_schedule(ctx: Ctx, *, Name: str, GroupName: str = DEFAULT_GROUP) -> None:
    ctx.backend.delete_schedule(GroupName, Name)


@operation("ListSchedules")
def list_schedules(
    ctx: Ctx,
    *,
    GroupName: str | None = None,
    NamePrefix: str | None = None,
    State: str | None = None,
    NextToken: str | None = None,
    MaxResults: int | None = None,
) -> ListSchedulesOutput:
    after = None
    if NextToken is not None:
        group, name = read_token(NextToken, "schedules", 2)
        after = (group, name)
    page, more = ctx.backend.list_schedules(
        GroupName, NamePrefix, State, after, MaxResults or DEFAULT_PAGE
    )
    out: ListSchedulesOutput = {"Schedules": [schedule.summary() for schedule in page]}
    if more:
        out["NextToken"] = next_token("schedules", page[-1].group, page[-1].name)
    return out


def _spec(
    ctx: Ctx,
    expression: str,
    timezone_name: str,
    start_date: datetime | None,
    end_date: datetime | None,
    description: str | None,
    state: str,
    target: TargetIn,
    window: FlexibleTimeWindow,
    action_after_completion: str,
) -> ScheduleSpec:
    return ScheduleSpec.build(
        ctx.backend.now(),
        expression=expression,
        timezone_name=timezone_name,
        start_date=start_date,
        end_date=end_date,
        description=description,
        state=state,
        target=ScheduleTarget.from_request(target),
        window=FlexibleWindow.from_request(window),
        action_after_completion=action_after_completion,
    )
