"""EC2 Capacity Manager, and interruptible allocations of Capacity Reservations."""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypedDict

from cloudmock.core.errors import InvalidParameterValue, MissingParameter
from cloudmock.core.plugin import operation
from cloudmock.services.ec2.dryrun import commit
from cloudmock.services.ec2.filters import FilterSet
from cloudmock.services.ec2.models import sizes
from cloudmock.services.ec2.models.capacity_manager import DATA_EXPORT_FILTERS
from cloudmock.services.ec2.models.tags import tag_specifications
from cloudmock.services.ec2.responses.common import Ctx, page, select

if TYPE_CHECKING:
    from cloudmock.services.ec2.shapes import (
        CapacityManagerSupportabilityScore,
        CreateCapacityManagerDataExportResult,
        CreateInterruptibleCapacityReservationAllocationResult,
        DeleteCapacityManagerDataExportResult,
        DescribeCapacityManagerDataExportsResult,
        DisableCapacityManagerResult,
        EnableCapacityManagerResult,
        Filter,
        GetCapacityManagerAttributesResult,
        GetCapacityManagerMetricDataResult,
        GetCapacityManagerMetricDimensionsResult,
        GetCapacityManagerMonitoredTagKeysResult,
        GetCapacityManagerSupportabilityScoresResult,
        TagSpecification,
        UpdateCapacityManagerMonitoredTagKeysResult,
        UpdateCapacityManagerOrganizationsAccessResult,
        UpdateInterruptibleCapacityReservationAllocationResult,
    )

EXPORTS: FilterSet[Any] = FilterSet(DATA_EXPORT_FILTERS)
_ZONE_ID = re.compile(r"^[a-z]{2,8}\d-(?:[a-z]+\d+-)?az\d+$")


class DimensionConditionIn(TypedDict, total=False):
    Dimension: str
    Comparison: str
    Values: list[str]


class ConditionIn(TypedDict, total=False):
    DimensionCondition: DimensionConditionIn


def _status(ctx: Ctx) -> Any:
    state = ctx.backend.capacity_manager.state
    return {
        "CapacityManagerStatus": "enabled" if state.enabled else "disabled",
        "OrganizationsAccess": state.organizations_access,
    }


@operation("EnableCapacityManager")
def enable_capacity_manager(
    ctx: Ctx, *, OrganizationsAccess: bool | None = None, ClientToken: str | None = None
) -> EnableCapacityManagerResult:
    commit()
    ctx.backend.capacity_manager.enable(OrganizationsAccess)
    return _status(ctx)  # type: ignore[no-any-return]


@operation("DisableCapacityManager")
def disable_capacity_manager(
    ctx: Ctx, *, ClientToken: str | None = None
) -> DisableCapacityManagerResult:
    manager = ctx.backend.capacity_manager
    manager.require_enabled()
    commit()
    manager.disable()
    return _status(ctx)  # type: ignore[no-any-return]


@operation("UpdateCapacityManagerOrganizationsAccess")
def update_capacity_manager_organizations_access(
    ctx: Ctx, *, OrganizationsAccess: bool | None = None, ClientToken: str | None = None
) -> UpdateCapacityManagerOrganizationsAccessResult:
    manager = ctx.backend.capacity_manager
    manager.require_enabled()
    if OrganizationsAccess is None:
        raise InvalidParameterValue("OrganizationsAccess must be true or false")
    commit()
    manager.state.organizations_access = OrganizationsAccess
    return _status(ctx)  # type: ignore[no-any-return]


@operation("GetCapacityManagerAttributes")
def get_capacity_manager_attributes(ctx: Ctx) -> GetCapacityManagerAttributesResult:
    manager = ctx.backend.capacity_manager
    state = manager.state
    result: GetCapacityManagerAttributesResult = {
        **_status(ctx),
        "DataExportCount": len(manager.exports),
    }
    if state.enabled:
        result["IngestionStatus"] = (
            "ingestion-complete" if state.ingested else "initial-ingestion-in-progress"
        )
        if state.ingested and state.enabled_at is not None:
            result["EarliestDatapointTimestamp"] = state.enabled_at
            result["LatestDatapointTimestamp"] = ctx.backend.clock.now()
    return result


@operation("CreateCapacityManagerDataExport")
def create_capacity_manager_data_export(
    ctx: Ctx,
    *,
    S3BucketName: str | None = None,
    Schedule: str | None = None,
    OutputFormat: str | None = None,
    S3BucketPrefix: str | None = None,
    ClientToken: str | None = None,
    TagSpecifications: list[TagSpecification] | None = None,
) -> CreateCapacityManagerDataExportResult:
    manager = ctx.backend.capacity_manager
    tags = tag_specifications(TagSpecifications, ("capacity-manager-data-export",)).get(
        "capacity-manager-data-export", {}
    )
    manager.check_export(S3BucketName, Schedule, OutputFormat)
    assert S3BucketName and Schedule and OutputFormat
    commit()
    export = manager.create_export(S3BucketName, S3BucketPrefix, Schedule, OutputFormat, tags)
    return {"CapacityManagerDataExportId": export.id}


@operation("DeleteCapacityManagerDataExport")
def delete_capacity_manager_data_export(
    ctx: Ctx, *, CapacityManagerDataExportId: str
) -> DeleteCapacityManagerDataExportResult:
    exports = ctx.backend.capacity_manager.exports
    export = exports.get(CapacityManagerDataExportId)
    commit()
    exports.remove(export.id)
    return {"CapacityManagerDataExportId": export.id}


@operation("DescribeCapacityManagerDataExports", filters=EXPORTS)
def describe_capacity_manager_data_exports(
    ctx: Ctx,
    *,
    CapacityManagerDataExportIds: list[str] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
    Filters: list[Filter] | None = None,
) -> DescribeCapacityManagerDataExportsResult:
    exports = ctx.backend.capacity_manager.exports
    items = select(ctx, exports, CapacityManagerDataExportIds, Filters, EXPORTS)
    shown, token = page(ctx, items, MaxResults, NextToken, low=1, high=1000)
    result: DescribeCapacityManagerDataExportsResult = {
        "CapacityManagerDataExports": [e.describe() for e in shown]
    }
    if token:
        result["NextToken"] = token
    return result


@operation("GetCapacityManagerMonitoredTagKeys")
def get_capacity_manager_monitored_tag_keys(
    ctx: Ctx, *, MaxResults: int | None = None, NextToken: str | None = None
) -> GetCapacityManagerMonitoredTagKeysResult:
    manager = ctx.backend.capacity_manager
    manager.require_enabled()
    shown, token = page(ctx, manager.tag_keys(), MaxResults, NextToken, low=1, high=1000)
    result: GetCapacityManagerMonitoredTagKeysResult = {
        "CapacityManagerTagKeys": [k.describe() for k in shown]
    }
    if token:
        result["NextToken"] = token
    return result


@operation("UpdateCapacityManagerMonitoredTagKeys")
def update_capacity_manager_monitored_tag_keys(
    ctx: Ctx,
    *,
    ActivateTagKeys: list[str] | None = None,
    DeactivateTagKeys: list[str] | None = None,
    ClientToken: str | None = None,
) -> UpdateCapacityManagerMonitoredTagKeysResult:
    manager = ctx.backend.capacity_manager
    activate = list(dict.fromkeys(ActivateTagKeys or []))
    deactivate = list(dict.fromkeys(DeactivateTagKeys or []))
    manager.check_tag_keys(activate, deactivate)
    commit()
    changed = manager.update_tag_keys(activate, deactivate)
    return {"CapacityManagerTagKeys": [k.describe() for k in changed]}


@operation("GetCapacityManagerMetricDimensions")
def get_capacity_manager_metric_dimensions(
    ctx: Ctx,
    *,
    GroupBy: list[str] | None = None,
    StartTime: datetime | None = None,
    EndTime: datetime | None = None,
    MetricNames: list[str] | None = None,
    FilterBy: list[ConditionIn] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> GetCapacityManagerMetricDimensionsResult:
    manager = ctx.backend.capacity_manager
    start, end = manager.check_window(StartTime, EndTime, None)
    manager.check_metrics(MetricNames or [], 1)
    if not GroupBy:
        raise InvalidParameterValue("GroupBy must name at least one dimension")
    rows = manager.dimensions(GroupBy, list(FilterBy or []), start, end)  # type: ignore[arg-type]
    shown, token = page(ctx, rows, MaxResults, NextToken, low=1, high=1000)
    result: GetCapacityManagerMetricDimensionsResult = {"MetricDimensionResults": shown}
    if token:
        result["NextToken"] = token
    return result


@operation("GetCapacityManagerMetricData")
def get_capacity_manager_metric_data(
    ctx: Ctx,
    *,
    MetricNames: list[str] | None = None,
    StartTime: datetime | None = None,
    EndTime: datetime | None = None,
    Period: int | None = None,
    GroupBy: list[str] | None = None,
    FilterBy: list[ConditionIn] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> GetCapacityManagerMetricDataResult:
    manager = ctx.backend.capacity_manager
    if Period is None:
        raise InvalidParameterValue("Period is required")
    start, end = manager.check_window(StartTime, EndTime, Period)
    manager.check_metrics(MetricNames or [], 10)
    rows = manager.metric_data(
        list(MetricNames or []),
        start,
        end,
        Period,
        list(GroupBy or []),
        list(FilterBy or []),  # type: ignore[arg-type]
    )
    shown, token = page(ctx, rows, MaxResults, NextToken, low=1, high=100000)
    result: GetCapacityManagerMetricDataResult = {"MetricDataResults": shown}  # type: ignore[typeddict-item]
    if token:
        result["NextToken"] = token
    return result


# -- interruptible allocations


@operation("CreateInterruptibleCapacityReservationAllocation")
def create_interruptible_capacity_reservation_allocation(
    ctx: Ctx,
    *,
    CapacityReservationId: str,
    InstanceCount: int | None = None,
    ClientToken: str | None = None,
    TagSpecifications: list[TagSpecification] | None = None,
    ZeroSizePreference: str | None = None,
) -> CreateInterruptibleCapacityReservationAllocationResult:
    family = ctx.backend.capacity_reservations
    tags = tag_specifications(TagSpecifications, ("capacity-reservation",)).get(
        "capacity-reservation", {}
    )
    source = family.check_allocation(CapacityReservationId, InstanceCount, ZeroSizePreference)
    assert InstanceCount is not None
    commit()
    allocation = family.allocate(source, InstanceCount, ZeroSizePreference, tags, ClientToken)
    return {
        "SourceCapacityReservationId": source.id,
        "TargetInstanceCount": allocation.target,
        "Status": allocation.status,  # type: ignore[typeddict-item]
        "InterruptionType": "adhoc",
    }


@operation("UpdateInterruptibleCapacityReservationAllocation")
def update_interruptible_capacity_reservation_allocation(
    ctx: Ctx,
    *,
    CapacityReservationId: str,
    TargetInstanceCount: int | None = None,
    ZeroSizePreference: str | None = None,
) -> UpdateInterruptibleCapacityReservationAllocationResult:
    family = ctx.backend.capacity_reservations
    source, allocation, borrower = family.check_update_allocation(
        CapacityReservationId, TargetInstanceCount, ZeroSizePreference
    )
    assert TargetInstanceCount is not None
    commit()
    family.update_allocation(allocation, borrower, TargetInstanceCount, ZeroSizePreference)
    return {
        "InterruptibleCapacityReservationId": borrower.id,
        "SourceCapacityReservationId": source.id,
        "InstanceCount": allocation.count,
        "TargetInstanceCount": allocation.target,
        "Status": allocation.status,  # type: ignore[typeddict-item]
        "InterruptionType": "adhoc",
    }


@operation("GetCapacityManagerSupportabilityScores")
def get_capacity_manager_supportability_scores(
    ctx: Ctx,
    *,
    MarketType: str,
    CapacityAmount: int,
    CapacityUnit: str,
    CapacityAvailabilityZoneIds: list[str],
    InstanceTypes: list[str] | None = None,
) -> GetCapacityManagerSupportabilityScoresResult:
    manager = ctx.backend.capacity_manager
    manager.require_enabled()
    if not InstanceTypes:
        raise MissingParameter("The request must contain the parameter InstanceTypes")
    if CapacityAmount < 1:
        raise InvalidParameterValue("CapacityAmount must be at least 1")
    for zone_id in CapacityAvailabilityZoneIds or []:
        if not _ZONE_ID.match(zone_id):
            raise InvalidParameterValue(f"Invalid Availability Zone ID: [{zone_id}]")
    for instance_type in InstanceTypes:
        if not sizes.is_instance_type(instance_type):
            raise InvalidParameterValue(f"Invalid value '{instance_type}' for InstanceTypes.")
    # cloudmock never runs out of capacity (no launch fails for want of it), so every
    # combination it is asked about is one it will fulfil
    scores: list[CapacityManagerSupportabilityScore] = [
        {"InstanceType": instance_type, "AvailabilityZoneId": zone_id, "Score": "high"}
        for instance_type in dict.fromkeys(InstanceTypes)
        for zone_id in dict.fromkeys(CapacityAvailabilityZoneIds or [])
    ]
    return {"AggregateScore": "high", "CapacityManagerSupportabilityScores": scores}
