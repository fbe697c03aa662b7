"""Instance event windows (Create/Delete/Modify/Describe/Associate/Disassociate), event
notification attributes (Register/Deregister/Describe), ModifyInstanceEventStartTime and
ReportInstanceStatus."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from cloudmock.core.errors import MissingParameter
from cloudmock.core.plugin import operation
from cloudmock.services.ec2.filters import FilterSet
from cloudmock.services.ec2.models.instance_events import (
    EVENT_WINDOW_FILTERS,
    StatusReport,
    Target,
    TimeRange,
)
from cloudmock.services.ec2.models.tags import tag_specifications
from cloudmock.services.ec2.responses.common import (
    Ctx,
    page,
    refuse_ids_with_max_results,
    select,
)

if TYPE_CHECKING:
    from cloudmock.services.ec2.shapes import (
        AssociateInstanceEventWindowResult,
        CreateInstanceEventWindowResult,
        DeleteInstanceEventWindowResult,
        DeregisterInstanceEventNotificationAttributesResult,
        DeregisterInstanceTagAttributeRequest,
        DescribeInstanceEventNotificationAttributesResult,
        DescribeInstanceEventWindowsResult,
        DisassociateInstanceEventWindowResult,
        Filter,
        InstanceEventWindowAssociationRequest,
        InstanceEventWindowDisassociationRequest,
        InstanceEventWindowTimeRangeRequest,
        ModifyInstanceEventStartTimeResult,
        ModifyInstanceEventWindowResult,
        RegisterInstanceEventNotificationAttributesResult,
        RegisterInstanceTagAttributeRequest,
        TagSpecification,
    )

EVENT_WINDOWS: FilterSet[Any] = FilterSet(EVENT_WINDOW_FILTERS)


def _ranges(ranges: list[InstanceEventWindowTimeRangeRequest] | None) -> list[TimeRange] | None:
    if ranges is None:
        return None
    out: list[TimeRange] = []
    for position, item in enumerate(ranges, start=1):
        for member in ("StartWeekDay", "StartHour", "EndWeekDay", "EndHour"):
            if member not in item:
                raise MissingParameter(f"TimeRange.{position}.{member}")
        out.append((item["StartWeekDay"], item["StartHour"], item["EndWeekDay"], item["EndHour"]))
    return out


def _target(
    target: InstanceEventWindowAssociationRequest | InstanceEventWindowDisassociationRequest,
) -> Target:
    return Target(
        instance_ids=tuple(target.get("InstanceIds") or ()),
        instance_tags=tuple(
            (tag.get("Key", ""), tag.get("Value", "")) for tag in target.get("InstanceTags") or []
        ),
        host_ids=tuple(target.get("DedicatedHostIds") or ()),
    )


@operation("CreateInstanceEventWindow")
def create_instance_event_window(
    ctx: Ctx,
    *,
    Name: str | None = None,
    TimeRanges: list[InstanceEventWindowTimeRangeRequest] | None = None,
    CronExpression: str | None = None,
    TagSpecifications: list[TagSpecification] | None = None,
) -> CreateInstanceEventWindowResult:
    tags = tag_specifications(TagSpecifications, ("instance-event-window",))
    window = ctx.backend.instance_services.events.create(
        Name, _ranges(TimeRanges), CronExpression, tags.get("instance-event-window", {})
    )
    return {"InstanceEventWindow": window.describe()}


@operation("ModifyInstanceEventWindow")
def modify_instance_event_window(
    ctx: Ctx,
    *,
    InstanceEventWindowId: str,
    Name: str | None = None,
    TimeRanges: list[InstanceEventWindowTimeRangeRequest] | None = None,
    CronExpression: str | None = None,
) -> ModifyInstanceEventWindowResult:
    window = ctx.backend.instance_services.events.modify(
        InstanceEventWindowId, Name, _ranges(TimeRanges), CronExpression
    )
    return {"InstanceEventWindow": window.describe()}


@operation("DeleteInstanceEventWindow")
def delete_instance_event_window(
    ctx: Ctx, *, InstanceEventWindowId: str, ForceDelete: bool = False
) -> DeleteInstanceEventWindowResult:
    window = ctx.backend.instance_services.events.delete(InstanceEventWindowId, ForceDelete)
    return {"InstanceEventWindowState": {"InstanceEventWindowId": window.id, "State": window.state}}


@operation("DescribeInstanceEventWindows", filters=EVENT_WINDOWS)
def describe_instance_event_windows(
    ctx: Ctx,
    *,
    InstanceEventWindowIds: list[str] | None = None,
    Filters: list[Filter] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> DescribeInstanceEventWindowsResult:
    refuse_ids_with_max_results(ctx, InstanceEventWindowIds, MaxResults, "InstanceEventWindowIds")
    store = ctx.backend.instance_services.events.windows
    items = select(ctx, store, InstanceEventWindowIds, Filters, EVENT_WINDOWS)
    shown, token = page(ctx, items, MaxResults, NextToken, low=20, high=500)
    result: DescribeInstanceEventWindowsResult = {
        "InstanceEventWindows": [w.describe() for w in shown]
    }
    if token:
        result["NextToken"] = token
    return result


@operation("AssociateInstanceEventWindow")
def associate_instance_event_window(
    ctx: Ctx,
    *,
    InstanceEventWindowId: str,
    AssociationTarget: InstanceEventWindowAssociationRequest,
) -> AssociateInstanceEventWindowResult:
    window = ctx.backend.instance_services.events.associate(
        InstanceEventWindowId, _target(AssociationTarget)
    )
    return {"InstanceEventWindow": window.describe()}


@operation("DisassociateInstanceEventWindow")
def disassociate_instance_event_window(
    ctx: Ctx,
    *,
    InstanceEventWindowId: str,
    AssociationTarget: InstanceEventWindowDisassociationRequest,
) -> DisassociateInstanceEventWindowResult:
    window = ctx.backend.instance_services.events.disassociate(
        InstanceEventWindowId, _target(AssociationTarget)
    )
    return {"InstanceEventWindow": window.describe()}


# -- event notification attributes


@operation("RegisterInstanceEventNotificationAttributes")
def register_instance_event_notification_attributes(
    ctx: Ctx, *, InstanceTagAttribute: RegisterInstanceTagAttributeRequest
) -> RegisterInstanceEventNotificationAttributesResult:
    tags = ctx.backend.instance_services.events.register_tags(
        InstanceTagAttribute.get("IncludeAllTagsOfInstance"),
        InstanceTagAttribute.get("InstanceTagKeys"),
    )
    return {"InstanceTagAttribute": tags.describe()}


@operation("DeregisterInstanceEventNotificationAttributes")
def deregister_instance_event_notification_attributes(
    ctx: Ctx, *, InstanceTagAttribute: DeregisterInstanceTagAttributeRequest
) -> DeregisterInstanceEventNotificationAttributesResult:
    tags = ctx.backend.instance_services.events.deregister_tags(
        InstanceTagAttribute.get("IncludeAllTagsOfInstance"),
        InstanceTagAttribute.get("InstanceTagKeys"),
    )
    return {"InstanceTagAttribute": tags.describe()}


@operation("DescribeInstanceEventNotificationAttributes")
def describe_instance_event_notification_attributes(
    ctx: Ctx,
) -> DescribeInstanceEventNotificationAttributesResult:
    return {
        "InstanceTagAttribute": ctx.backend.instance_services.events.notification_tags.describe()
    }


# -- scheduled events, status reports


@operation("ModifyInstanceEventStartTime")
def modify_instance_event_start_time(
    ctx: Ctx, *, InstanceId: str, InstanceEventId: str, NotBefore: datetime
) -> ModifyInstanceEventStartTimeResult:
    instance = ctx.backend.instances.store.get(InstanceId)
    ctx.backend.instance_services.events.modify_event_start(instance, InstanceEventId)
    return {}


@operation("ReportInstanceStatus")
def report_instance_status(
    ctx: Ctx,
    *,
    Instances: list[str],
    Status: str,
    ReasonCodes: list[str],
    StartTime: datetime | None = None,
    EndTime: datetime | None = None,
    Description: str | None = None,
) -> None:
    ctx.backend.instance_services.events.report_status(
        StatusReport(
            instance_ids=tuple(Instances),
            status=Status,
            reason_codes=tuple(ReasonCodes),
            start=StartTime,
            end=EndTime,
            description=Description,
        )
    )
