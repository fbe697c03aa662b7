"""Capacity Reservation Fleets and Capacity Blocks (offerings, purchases, extensions)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, TypedDict

from cloudmock.core.errors import MissingParameter
from cloudmock.core.plugin import operation
from cloudmock.services.ec2.dryrun import commit
from cloudmock.services.ec2.filters import FilterSet, apply_filters
from cloudmock.services.ec2.models.capacity_blocks import (
    CAPACITY_BLOCK_FILTERS,
    CAPACITY_BLOCK_STATUS_FILTERS,
    EXTENSION_FILTERS,
)
from cloudmock.services.ec2.models.capacity_fleets import FLEET_FILTERS
from cloudmock.services.ec2.models.tags import tag_specifications
from cloudmock.services.ec2.responses.common import Ctx, page, select

if TYPE_CHECKING:
    from cloudmock.services.ec2.shapes import (
        CancelCapacityReservationFleetsResult,
        CreateCapacityReservationFleetResult,
        DescribeCapacityBlockExtensionHistoryResult,
        DescribeCapacityBlockExtensionOfferingsResult,
        DescribeCapacityBlockOfferingsResult,
        DescribeCapacityBlocksResult,
        DescribeCapacityBlockStatusResult,
        DescribeCapacityReservationFleetsResult,
        Filter,
        ModifyCapacityReservationFleetResult,
        PurchaseCapacityBlockExtensionResult,
        PurchaseCapacityBlockResult,
        TagSpecification,
    )

FLEETS: FilterSet[Any] = FilterSet(FLEET_FILTERS)
BLOCKS: FilterSet[Any] = FilterSet(
    # "tags": a tag key, or key=value
    {
        **CAPACITY_BLOCK_FILTERS,
        "tags": lambda b: [*b.tags, *(f"{k}={v}" for k, v in b.tags.items())],
    }
)
BLOCK_STATUSES: FilterSet[Any] = FilterSet(CAPACITY_BLOCK_STATUS_FILTERS)
EXTENSIONS: FilterSet[Any] = FilterSet(EXTENSION_FILTERS, tags=lambda e: {})


class FleetSpecIn(TypedDict, total=False):
    InstanceType: str
    InstancePlatform: str
    Weight: float
    AvailabilityZone: str
    AvailabilityZoneId: str
    EbsOptimized: bool
    Priority: int


class TypePreferenceIn(TypedDict, total=False):
    InstanceType: str


@operation("CreateCapacityReservationFleet")
def create_capacity_reservation_fleet(
    ctx: Ctx,
    *,
    InstanceTypeSpecifications: list[FleetSpecIn] | None = None,
    TotalTargetCapacity: int | None = None,
    AllocationStrategy: str | None = None,
    ClientToken: str | None = None,
    AvailabilityZone: str | None = None,
    AvailabilityZoneId: str | None = None,
    Tenancy: str | None = None,
    EndDate: datetime | None = None,
    InstanceMatchCriteria: str | None = None,
    TagSpecifications: list[TagSpecification] | None = None,
) -> CreateCapacityReservationFleetResult:
    family = ctx.backend.capacity_reservation_fleets
    tags = tag_specifications(TagSpecifications, ("capacity-reservation-fleet",)).get(
        "capacity-reservation-fleet", {}
    )
    specs = family.check_create(
        list(InstanceTypeSpecifications or []),  # type: ignore[arg-type]
        TotalTargetCapacity,
        AllocationStrategy,
        Tenancy,
        InstanceMatchCriteria,
        EndDate,
        AvailabilityZone,
        AvailabilityZoneId,
    )
    assert TotalTargetCapacity is not None
    fleet = family.by_token(ClientToken)
    commit()
    if fleet is None:
        fleet = family.create(
            specs,
            TotalTargetCapacity,
            EndDate,
            tags,
            ClientToken,
            AvailabilityZone,
            AvailabilityZoneId,
        )
    result: CreateCapacityReservationFleetResult = {
        "CapacityReservationFleetId": fleet.id,
        "State": fleet.state,  # type: ignore[typeddict-item]
        "TotalTargetCapacity": fleet.target,
        "TotalFulfilledCapacity": fleet.fulfilled,
        "InstanceMatchCriteria": fleet.criteria,  # type: ignore[typeddict-item]
        "AllocationStrategy": fleet.allocation_strategy,
        "CreateTime": fleet.create_time,
        "Tenancy": fleet.tenancy,  # type: ignore[typeddict-item]
        "FleetCapacityReservations": fleet.fleet_reservations(),
        "Tags": fleet.tag_list(),
    }
    if fleet.end_date is not None:
        result["EndDate"] = fleet.end_date
    return result


@operation("DescribeCapacityReservationFleets", filters=FLEETS)
def describe_capacity_reservation_fleets(
    ctx: Ctx,
    *,
    CapacityReservationFleetIds: list[str] | None = None,
    NextToken: str | None = None,
    MaxResults: int | None = None,
    Filters: list[Filter] | None = None,
) -> DescribeCapacityReservationFleetsResult:
    store = ctx.backend.capacity_reservation_fleets.store
    items = select(ctx, store, CapacityReservationFleetIds, Filters, FLEETS)
    shown, token = page(ctx, items, MaxResults, NextToken, low=1, high=100)
    result: DescribeCapacityReservationFleetsResult = {
        "CapacityReservationFleets": [f.describe() for f in shown]
    }
    if token:
        result["NextToken"] = token
    return result


@operation("ModifyCapacityReservationFleet")
def modify_capacity_reservation_fleet(
    ctx: Ctx,
    *,
    CapacityReservationFleetId: str,
    TotalTargetCapacity: int | None = None,
    EndDate: datetime | None = None,
    RemoveEndDate: bool | None = None,
) -> ModifyCapacityReservationFleetResult:
    family = ctx.backend.capacity_reservation_fleets
    fleet = family.check_modify(
        CapacityReservationFleetId, TotalTargetCapacity, EndDate, RemoveEndDate
    )
    commit()
    family.modify(fleet, TotalTargetCapacity, EndDate, RemoveEndDate)
    return {"Return": True}


@operation("CancelCapacityReservationFleets")
def cancel_capacity_reservation_fleets(
    ctx: Ctx, *, CapacityReservationFleetIds: list[str]
) -> CancelCapacityReservationFleetsResult:
    family = ctx.backend.capacity_reservation_fleets
    if not CapacityReservationFleetIds:
        raise MissingParameter("The request must contain the parameter CapacityReservationFleetIds")
    for fleet_id in CapacityReservationFleetIds:
        family.store.check_id(fleet_id)
    commit()
    succeeded: list[Any] = []
    failed: list[Any] = []
    for fleet_id in dict.fromkeys(CapacityReservationFleetIds):
        fleet = family.store.find(fleet_id)
        if fleet is None:
            failed.append(
                {
                    "CapacityReservationFleetId": fleet_id,
                    "CancelCapacityReservationFleetError": {
                        "Code": "InvalidCapacityReservationFleetId.NotFound",
                        "Message": f"The Capacity Reservation Fleet '{fleet_id}' does not exist",
                    },
                }
            )
        elif fleet.state in ("cancelled", "cancelling", "expired", "expiring", "failed"):
            failed.append(
                {
                    "CapacityReservationFleetId": fleet_id,
                    "CancelCapacityReservationFleetError": {
                        "Code": "IncorrectState",
                        "Message": f"The Capacity Reservation Fleet '{fleet_id}' is {fleet.state}",
                    },
                }
            )
        else:
            previous = family.cancel(fleet)
            succeeded.append(
                {
                    "CapacityReservationFleetId": fleet_id,
                    "CurrentFleetState": fleet.state,
                    "PreviousFleetState": previous,
                }
            )
    return {"SuccessfulFleetCancellations": succeeded, "FailedFleetCancellations": failed}


# -- Capacity Blocks


@operation("DescribeCapacityBlockOfferings")
def describe_capacity_block_offerings(
    ctx: Ctx,
    *,
    CapacityDurationHours: int | None = None,
    InstanceType: str | None = None,
    InstanceCount: int | None = None,
    StartDateRange: datetime | None = None,
    EndDateRange: datetime | None = None,
    NextToken: str | None = None,
    MaxResults: int | None = None,
    AllAvailabilityZones: bool = False,
    InstanceTypePreferences: list[TypePreferenceIn] | None = None,
) -> DescribeCapacityBlockOfferingsResult:
    types = [InstanceType] if InstanceType else []
    types += [p["InstanceType"] for p in InstanceTypePreferences or [] if p.get("InstanceType")]
    offerings = ctx.backend.capacity_blocks.offerings_for(
        list(dict.fromkeys(types)),
        InstanceCount,
        CapacityDurationHours,
        StartDateRange,
        EndDateRange,
        AllAvailabilityZones,
    )
    shown, token = page(ctx, offerings, MaxResults, NextToken, low=1, high=1000)
    result: DescribeCapacityBlockOfferingsResult = {
        "CapacityBlockOfferings": [o.describe() for o in shown]
    }
    if token:
        result["NextToken"] = token
    return result


@operation("PurchaseCapacityBlock")
def purchase_capacity_block(
    ctx: Ctx,
    *,
    CapacityBlockOfferingId: str | None = None,
    InstancePlatform: str | None = None,
    TagSpecifications: list[TagSpecification] | None = None,
) -> PurchaseCapacityBlockResult:
    family = ctx.backend.capacity_blocks
    tags = tag_specifications(TagSpecifications, ("capacity-reservation", "capacity-block"))
    offering = family.check_purchase(CapacityBlockOfferingId, InstancePlatform)
    assert InstancePlatform is not None
    commit()
    block = family.purchase(
        offering,
        InstancePlatform,
        {**tags.get("capacity-block", {}), **tags.get("capacity-reservation", {})},
    )
    reservation = block.reservation.describe()
    return {
        "CapacityReservation": reservation,
        "CapacityBlocks": [block.describe()],
        "CapacityReservations": [reservation],
    }


@operation("DescribeCapacityBlocks", filters=BLOCKS)
def describe_capacity_blocks(
    ctx: Ctx,
    *,
    CapacityBlockIds: list[str] | None = None,
    NextToken: str | None = None,
    MaxResults: int | None = None,
    Filters: list[Filter] | None = None,
) -> DescribeCapacityBlocksResult:
    store = ctx.backend.capacity_blocks.store
    items = select(ctx, store, CapacityBlockIds, Filters, BLOCKS)
    shown, token = page(ctx, items, MaxResults, NextToken, low=1, high=1000)
    result: DescribeCapacityBlocksResult = {"CapacityBlocks": [b.describe() for b in shown]}
    if token:
        result["NextToken"] = token
    return result


@operation("DescribeCapacityBlockStatus", filters=BLOCK_STATUSES)
def describe_capacity_block_status(
    ctx: Ctx,
    *,
    CapacityBlockIds: list[str] | None = None,
    NextToken: str | None = None,
    MaxResults: int | None = None,
    Filters: list[Filter] | None = None,
) -> DescribeCapacityBlockStatusResult:
    store = ctx.backend.capacity_blocks.store
    items = select(ctx, store, CapacityBlockIds, Filters, BLOCK_STATUSES)
    shown, token = page(ctx, items, MaxResults, NextToken, low=1, high=1000)
    result: DescribeCapacityBlockStatusResult = {
        "CapacityBlockStatuses": [b.status() for b in shown]
    }
    if token:
        result["NextToken"] = token
    return result


@operation("DescribeCapacityBlockExtensionOfferings")
def describe_capacity_block_extension_offerings(
    ctx: Ctx,
    *,
    CapacityBlockExtensionDurationHours: int | None = None,
    CapacityReservationId: str | None = None,
    NextToken: str | None = None,
    MaxResults: int | None = None,
) -> DescribeCapacityBlockExtensionOfferingsResult:
    offerings = ctx.backend.capacity_blocks.extension_offerings_for(
        CapacityReservationId, CapacityBlockExtensionDurationHours
    )
    shown, token = page(ctx, offerings, MaxResults, NextToken, low=1, high=1000)
    result: DescribeCapacityBlockExtensionOfferingsResult = {
        "CapacityBlockExtensionOfferings": [o.describe() for o in shown]
    }
    if token:
        result["NextToken"] = token
    return result


@operation("PurchaseCapacityBlockExtension")
def purchase_capacity_block_extension(
    ctx: Ctx,
    *,
    CapacityBlockExtensionOfferingId: str | None = None,
    CapacityReservationId: str | None = None,
) -> PurchaseCapacityBlockExtensionResult:
    family = ctx.backend.capacity_blocks
    block, offering = family.check_extension(
        CapacityBlockExtensionOfferingId, CapacityReservationId
    )
    commit()
    extension = family.extend(block, offering)
    return {"CapacityBlockExtensions": [extension.describe()]}


@operation("DescribeCapacityBlockExtensionHistory", filters=EXTENSIONS)
def describe_capacity_block_extension_history(
    ctx: Ctx,
    *,
    CapacityReservationIds: list[str] | None = None,
    NextToken: str | None = None,
    MaxResults: int | None = None,
    Filters: list[Filter] | None = None,
) -> DescribeCapacityBlockExtensionHistoryResult:
    extensions = ctx.backend.capacity_blocks.extension_history(CapacityReservationIds)
    extensions = apply_filters(extensions, Filters, EXTENSIONS, ctx.operation_model)
    shown, token = page(ctx, extensions, MaxResults, NextToken, low=1, high=1000)
    result: DescribeCapacityBlockExtensionHistoryResult = {
        "CapacityBlockExtensions": [e.describe() for e in shown]
    }
    if token:
        result["NextToken"] = token
    return result
