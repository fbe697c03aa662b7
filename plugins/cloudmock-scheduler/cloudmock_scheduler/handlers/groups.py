"""CreateScheduleGroup, GetScheduleGroup, DeleteScheduleGroup, ListScheduleGroups."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cloudmock.plugin_api import operation
from cloudmock_scheduler.handlers import Ctx
from cloudmock_scheduler.paging import DEFAULT_PAGE, next_token, read_token

if TYPE_CHECKING:
    from cloudmock_scheduler.shapes import (
        CreateScheduleGroupOutput,
        GetScheduleGroupOutput,
        ListScheduleGroupsOutput,
        Tag,
    )


@operation("CreateScheduleGroup")
def create_schedule_group(
    ctx: Ctx, *, Name: str, Tags: list[Tag] | None = None
) -> CreateScheduleGroupOutput:
    return {"ScheduleGroupArn": ctx.backend.create_group(Name, Tags or []).arn}


@operation("GetScheduleGroup")
def get_schedule_group(ctx: Ctx, *, Name: str) -> GetScheduleGroupOutput:
    return ctx.backend.group(Name).describe()


@operation("DeleteScheduleGroup")
def delete_schedule_group(ctx: Ctx, *, Name: str) -> None:
    ctx.backend.delete_group(Name)


@operation("ListScheduleGroups")
def list_schedule_groups(
    ctx: Ctx,
    *,
    NamePrefix: str | None = None,
    NextToken: str | None = None,
    MaxResults: int | None = None,
) -> ListScheduleGroupsOutput:
    after = read_token(NextToken, "groups", 1)[0] if NextToken is not None else None
    page, more = ctx.backend.list_groups(NamePrefix, after, MaxResults or DEFAULT_PAGE)
    out: ListScheduleGroupsOutput = {"ScheduleGroups": [group.summary() for group in page]}
    if more:
        out["NextToken"] = next_token("groups", page[-1].name)
    return out
