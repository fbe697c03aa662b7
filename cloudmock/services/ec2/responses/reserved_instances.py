"""Reserved Instances (offerings, purchases, modifications, listings, exchanges, queued
purchases) and Scheduled Instances."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypedDict

from cloudmock.core.errors import InvalidParameterValue, MissingParameter, ServiceError
from cloudmock.core.plugin import operation
from cloudmock.services.ec2.dryrun import commit
from cloudmock.services.ec2.filters import FilterSet, apply_filters
from cloudmock.services.ec2.models.reserved_instances import (
    LISTING_FILTERS,
    MODIFICATION_FILTERS,
    OFFERING_FILTERS,
    RESERVED_FILTERS,
    money,
)
from cloudmock.services.ec2.paging import _offset, _token
from cloudmock.services.ec2.responses.common import Ctx, page

if TYPE_CHECKING:
    from cloudmock.services.ec2.shapes import (
        AcceptReservedInstancesExchangeQuoteResult,
        CancelReservedInstancesListingResult,
        CreateReservedInstancesListingResult,
        DeleteQueuedReservedInstancesResult,
        DescribeReservedInstancesListingsResult,
        DescribeReservedInstancesModificationsResult,
        DescribeReservedInstancesOfferingsResult,
        DescribeReservedInstancesResult,
        DescribeScheduledInstanceAvailabilityResult,
        DescribeScheduledInstancesResult,
        Filter,
        GetReservedInstancesExchangeQuoteResult,
        ModifyReservedInstancesResult,
        PurchaseReservedInstancesOfferingResult,
        PurchaseScheduledInstancesResult,
        ReservationValue,
        RunScheduledInstancesResult,
        ScheduledInstancesLaunchSpecification,
    )

OFFERINGS: FilterSet[Any] = FilterSet(OFFERING_FILTERS, tags=lambda o: {})
RESERVED: FilterSet[Any] = FilterSet(RESERVED_FILTERS)
LISTINGS: FilterSet[Any] = FilterSet(LISTING_FILTERS, tags=lambda item: {})
MODIFICATIONS: FilterSet[Any] = FilterSet(MODIFICATION_FILTERS, tags=lambda m: {})
SCHEDULED: FilterSet[Any] = FilterSet(
    {
        "availability-zone": lambda s: None,
        "instance-type": lambda s: None,
        "platform": lambda s: None,
    },
    tags=lambda s: {},
)


class LimitPriceIn(TypedDict, total=False):
    Amount: float
    CurrencyCode: str


class TargetConfigIn(TypedDict, total=False):
    AvailabilityZone: str
    AvailabilityZoneId: str
    InstanceCount: int
    InstanceType: str
    Platform: str
    Scope: str


class PriceScheduleIn(TypedDict, total=False):
    Term: int
    Price: float
    CurrencyCode: str


class ExchangeTargetIn(TypedDict, total=False):
    InstanceCount: int
    OfferingId: str


@operation("DescribeReservedInstancesOfferings", filters=OFFERINGS)
def describe_reserved_instances_offerings(
    ctx: Ctx,
    *,
    ReservedInstancesOfferingIds: list[str] | None = None,
    InstanceType: str | None = None,
    AvailabilityZone: str | None = None,
    AvailabilityZoneId: str | None = None,
    ProductDescription: str | None = None,
    InstanceTenancy: str | None = None,
    OfferingClass: str | None = None,
    OfferingType: str | None = None,
    MinDuration: int | None = None,
    MaxDuration: int | None = None,
    # cloudmock's catalogue has no third-party Marketplace sellers: with or without them
    # (and whatever their instance count) the offerings are EC2's own
    IncludeMarketplace: bool | None = None,
    MaxInstanceCount: int | None = None,
    Filters: list[Filter] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> DescribeReservedInstancesOfferingsResult:
    family = ctx.backend.reserved_instances
    if MaxResults is not None and not 1 <= MaxResults <= 100:
        raise InvalidParameterValue(
            f"Value ( {MaxResults} ) for parameter maxResults is invalid. "
            "Expecting a value between 1 and 100."
        )
    start = _offset(NextToken, ctx.operation) if NextToken else 0
    size = MaxResults or 100
    # an exact instance-type filter narrows which types are priced at all
    types = [InstanceType] if InstanceType else None
    for spec in Filters or []:
        values = spec.get("Values") or []
        if (
            spec.get("Name") == "instance-type"
            and values
            and not any("*" in v or "?" in v for v in values)
        ):
            types = [t for t in values if types is None or t in types]
    if OfferingType in ("Heavy Utilization", "Medium Utilization", "Light Utilization"):
        # the pre-2011 utilization types are gone from EC2's catalogue
        found: Iterator[tuple[int, Any]] = iter(())
    else:
        found = family.offerings(
            ids=ReservedInstancesOfferingIds,
            instance_types=types,
            zone=family.zone_of(AvailabilityZone, AvailabilityZoneId),
            product=ProductDescription,
            tenancy=InstanceTenancy,
            offering_class=OfferingClass,
            offering_type=OfferingType,
            min_duration=MinDuration,
            max_duration=MaxDuration,
            start=start,
        )
    # filter and page as the catalogue is walked: the token is where the next page starts
    shown: list[Any] = []
    following: int | None = None
    for chunk in _chunks(found, 200):
        by_id = {id(o): p for p, o in chunk}
        kept = apply_filters([o for _, o in chunk], Filters, OFFERINGS, ctx.operation_model)
        for offering in kept:
            if len(shown) < size:
                shown.append(offering)
            else:
                following = by_id[id(offering)]
                break
        if following is not None:
            break
    result: DescribeReservedInstancesOfferingsResult = {
        "ReservedInstancesOfferings": [o.describe() for o in shown]
    }
    if following is not None:
        result["NextToken"] = _token(following, ctx.operation)
    return result


def _chunks(items: Iterator[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@operation("PurchaseReservedInstancesOffering")
def purchase_reserved_instances_offering(
    ctx: Ctx,
    *,
    InstanceCount: int,
    ReservedInstancesOfferingId: str,
    PurchaseTime: datetime | None = None,
    LimitPrice: LimitPriceIn | None = None,
) -> PurchaseReservedInstancesOfferingResult:
    family = ctx.backend.reserved_instances
    offering = family.check_purchase(
        ReservedInstancesOfferingId, InstanceCount, dict(LimitPrice or {}), PurchaseTime
    )
    commit()
    reserved = family.purchase(offering, InstanceCount, PurchaseTime)
    return {"ReservedInstancesId": reserved.id}


@operation("DescribeReservedInstances", filters=RESERVED)
def describe_reserved_instances(
    ctx: Ctx,
    *,
    ReservedInstancesIds: list[str] | None = None,
    OfferingClass: str | None = None,
    OfferingType: str | None = None,
    Filters: list[Filter] | None = None,
) -> DescribeReservedInstancesResult:
    family = ctx.backend.reserved_instances
    items = (
        family.get_many(ReservedInstancesIds)
        if ReservedInstancesIds
        else [r for r in family.items.values() if r.state != "queued-deleted"]
    )
    if OfferingClass:
        items = [r for r in items if r.offering.offering_class == OfferingClass]
    if OfferingType:
        items = [r for r in items if r.offering.offering_type == OfferingType]
    items = apply_filters(items, Filters, RESERVED, ctx.operation_model)
    return {"ReservedInstances": [r.describe() for r in items]}


@operation("DeleteQueuedReservedInstances")
def delete_queued_reserved_instances(
    ctx: Ctx, *, ReservedInstancesIds: list[str]
) -> DeleteQueuedReservedInstancesResult:
    family = ctx.backend.reserved_instances
    if not ReservedInstancesIds:
        raise MissingParameter("The request must contain the parameter ReservedInstancesIds")
    done, failed = family.delete_queued(ReservedInstancesIds)
    commit()
    family.remove_queued(done)
    return {
        "SuccessfulQueuedPurchaseDeletions": [{"ReservedInstancesId": i} for i in done],
        "FailedQueuedPurchaseDeletions": [
            {"ReservedInstancesId": i, "Error": {"Code": code, "Message": message}}  # type: ignore[typeddict-item]
            for i, code, message in failed
        ],
    }


@operation("ModifyReservedInstances")
def modify_reserved_instances(
    ctx: Ctx,
    *,
    ReservedInstancesIds: list[str],
    TargetConfigurations: list[TargetConfigIn],
    ClientToken: str | None = None,
) -> ModifyReservedInstancesResult:
    family = ctx.backend.reserved_instances
    checked = family.check_modify(
        list(ReservedInstancesIds or []),
        [dict(t) for t in TargetConfigurations or []],
        ClientToken,
    )
    commit()
    if isinstance(checked, tuple):
        sources, targets = checked
        modification = family.modify(sources, targets, ClientToken)
    else:
        modification = checked  # the same ClientToken: the same modification
    return {"ReservedInstancesModificationId": modification.id}


@operation("DescribeReservedInstancesModifications", filters=MODIFICATIONS)
def describe_reserved_instances_modifications(
    ctx: Ctx,
    *,
    ReservedInstancesModificationIds: list[str] | None = None,
    Filters: list[Filter] | None = None,
    NextToken: str | None = None,
) -> DescribeReservedInstancesModificationsResult:
    family = ctx.backend.reserved_instances
    if ReservedInstancesModificationIds:
        items = []
        for modification_id in dict.fromkeys(ReservedInstancesModificationIds):
            found = family.modifications.get(modification_id)
            if found is None:
                raise ServiceError(
                    f"The Reserved Instances modification '{modification_id}' does not exist",
                    code="InvalidReservedInstancesModificationId.NotFound",
                )
            items.append(found)
    else:
        items = list(family.modifications.values())
    items = apply_filters(items, Filters, MODIFICATIONS, ctx.operation_model)
    shown, token = page(ctx, items, None, NextToken, low=1, high=1000)
    result: DescribeReservedInstancesModificationsResult = {
        "ReservedInstancesModifications": [m.describe() for m in shown]
    }
    if token:
        result["NextToken"] = token
    return result


# -- Marketplace listings


def _listing(ctx: Ctx, listing: Any) -> Any:
    return listing.describe(ctx.backend.reserved_instances.months_left(listing))


@operation("CreateReservedInstancesListing")
def create_reserved_instances_listing(
    ctx: Ctx,
    *,
    ReservedInstancesId: str,
    InstanceCount: int,
    PriceSchedules: list[PriceScheduleIn],
    ClientToken: str,
) -> CreateReservedInstancesListingResult:
    family = ctx.backend.reserved_instances
    schedules = [dict(s) for s in PriceSchedules or []]
    checked = family.check_listing(ReservedInstancesId, InstanceCount, schedules, ClientToken)
    commit()
    if hasattr(checked, "reservation_id"):
        listing = checked  # the same ClientToken: the same listing
    else:
        listing = family.create_listing(checked, InstanceCount, schedules, ClientToken)  # type: ignore[arg-type]
    return {"ReservedInstancesListings": [_listing(ctx, listing)]}


@operation("CancelReservedInstancesListing")
def cancel_reserved_instances_listing(
    ctx: Ctx, *, ReservedInstancesListingId: str
) -> CancelReservedInstancesListingResult:
    family = ctx.backend.reserved_instances
    listing = family.check_cancel_listing(ReservedInstancesListingId)
    commit()
    family.cancel_listing(listing)
    return {"ReservedInstancesListings": [_listing(ctx, listing)]}


@operation("DescribeReservedInstancesListings", filters=LISTINGS)
def describe_reserved_instances_listings(
    ctx: Ctx,
    *,
    ReservedInstancesId: str | None = None,
    ReservedInstancesListingId: str | None = None,
    Filters: list[Filter] | None = None,
) -> DescribeReservedInstancesListingsResult:
    family = ctx.backend.reserved_instances
    if ReservedInstancesListingId:
        items = [family.get_listing(ReservedInstancesListingId)]
    else:
        items = list(family.listings.values())
    if ReservedInstancesId:
        items = [i for i in items if i.reservation_id == ReservedInstancesId]
    pairs = apply_filters([(i,) for i in items], Filters, LISTINGS, ctx.operation_model)
    return {"ReservedInstancesListings": [_listing(ctx, pair[0]) for pair in pairs]}


# -- Convertible exchanges


def _value(hourly: float, upfront: float, total: float) -> ReservationValue:
    return {
        "HourlyPrice": money(hourly),
        "RemainingUpfrontValue": money(upfront),
        "RemainingTotalValue": money(total),
    }


@operation("GetReservedInstancesExchangeQuote")
def get_reserved_instances_exchange_quote(
    ctx: Ctx,
    *,
    ReservedInstanceIds: list[str],
    TargetConfigurations: list[ExchangeTargetIn] | None = None,
) -> GetReservedInstancesExchangeQuoteResult:
    quote = ctx.backend.reserved_instances.exchange_quote(
        list(ReservedInstanceIds or []), [dict(t) for t in TargetConfigurations or []]
    )
    sources, targets = quote["sources"], quote["targets"]
    source_values, target_values = quote["source_values"], quote["target_values"]

    def rollup(values: list[tuple[float, float, float]]) -> ReservationValue:
        return _value(*(sum(v[i] for v in values) for i in range(3)))

    result: GetReservedInstancesExchangeQuoteResult = {
        "CurrencyCode": "USD",
        "IsValidExchange": quote["reason"] is None,
        "OutputReservedInstancesWillExpireAt": quote["expires"],
        "PaymentDue": money(quote["due"]),
        "ReservedInstanceValueRollup": rollup(source_values),
        "ReservedInstanceValueSet": [
            {"ReservedInstanceId": r.id, "ReservationValue": _value(*v)}
            for r, v in zip(sources, source_values, strict=True)
        ],
        "TargetConfigurationValueRollup": rollup(target_values),
        "TargetConfigurationValueSet": [
            {
                "TargetConfiguration": {"OfferingId": t.offering.id, "InstanceCount": t.count},
                "ReservationValue": _value(*v),
            }
            for t, v in zip(targets, target_values, strict=True)
        ],
    }
    if quote["reason"] is not None:
        result["ValidationFailureReason"] = quote["reason"]
    return result


@operation("AcceptReservedInstancesExchangeQuote")
def accept_reserved_instances_exchange_quote(
    ctx: Ctx,
    *,
    ReservedInstanceIds: list[str],
    TargetConfigurations: list[ExchangeTargetIn] | None = None,
) -> AcceptReservedInstancesExchangeQuoteResult:
    family = ctx.backend.reserved_instances
    quote = family.exchange_quote(
        list(ReservedInstanceIds or []), [dict(t) for t in TargetConfigurations or []]
    )
    if quote["reason"] is not None:
        raise InvalidParameterValue(quote["reason"])
    commit()
    return {"ExchangeId": family.exchange(quote)}


# -- Scheduled Instances: EC2 no longer sells them, so there is never a schedule to buy


class RecurrenceIn(TypedDict, total=False):
    Frequency: str
    Interval: int
    OccurrenceDays: list[int]
    OccurrenceRelativeToEnd: bool
    OccurrenceUnit: str


class SlotRangeIn(TypedDict, total=False):
    EarliestTime: datetime
    LatestTime: datetime


class PurchaseRequestIn(TypedDict, total=False):
    InstanceCount: int
    PurchaseToken: str


def _check_slot_range(slot: SlotRangeIn | None, name: str, required: bool) -> None:
    if not slot:
        if required:
            raise MissingParameter(f"The request must contain the parameter {name}")
        return
    earliest, latest = slot.get("EarliestTime"), slot.get("LatestTime")
    if required and (earliest is None or latest is None):
        raise MissingParameter(f"{name} needs EarliestTime and LatestTime")
    if earliest is not None and latest is not None and latest < earliest:
        raise InvalidParameterValue(f"{name}.LatestTime must not be before EarliestTime")


@operation("DescribeScheduledInstanceAvailability", filters=SCHEDULED)
def describe_scheduled_instance_availability(
    ctx: Ctx,
    *,
    FirstSlotStartTimeRange: SlotRangeIn,
    Recurrence: RecurrenceIn,
    MaxSlotDurationInHours: int | None = None,
    MinSlotDurationInHours: int | None = None,
    Filters: list[Filter] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> DescribeScheduledInstanceAvailabilityResult:
    _check_slot_range(FirstSlotStartTimeRange, "FirstSlotStartTimeRange", True)
    frequency = (Recurrence or {}).get("Frequency")
    if frequency not in ("Daily", "Weekly", "Monthly"):
        raise InvalidParameterValue(
            f"Invalid value '{frequency}' for Recurrence.Frequency. Valid values: Daily, "
            "Weekly, Monthly"
        )
    if (
        MinSlotDurationInHours is not None
        and MaxSlotDurationInHours is not None
        and MaxSlotDurationInHours < MinSlotDurationInHours
    ):
        raise InvalidParameterValue(
            "MaxSlotDurationInHours must not be less than MinSlotDurationInHours"
        )
    # EC2 no longer offers Scheduled Instance capacity: no schedule is ever available
    items = apply_filters([], Filters, SCHEDULED, ctx.operation_model)
    shown, token = page(ctx, items, MaxResults, NextToken, low=5, high=300)
    result: DescribeScheduledInstanceAvailabilityResult = {
        "ScheduledInstanceAvailabilitySet": shown
    }
    if token:
        result["NextToken"] = token
    return result


@operation("PurchaseScheduledInstances")
def purchase_scheduled_instances(
    ctx: Ctx,
    *,
    PurchaseRequests: list[PurchaseRequestIn],
    ClientToken: str | None = None,
) -> PurchaseScheduledInstancesResult:
    if not PurchaseRequests:
        raise MissingParameter("The request must contain the parameter PurchaseRequests")
    token = PurchaseRequests[0].get("PurchaseToken") or ""
    # no availability is ever offered, so no purchase token can be one EC2 issued
    raise ServiceError(
        f"The purchase token '{token}' is not valid: you can no longer purchase Scheduled "
        "Instances.",
        code="InvalidPurchaseToken.Malformed",
    )


@operation("DescribeScheduledInstances", filters=SCHEDULED)
def describe_scheduled_instances(
    ctx: Ctx,
    *,
    ScheduledInstanceIds: list[str] | None = None,
    SlotStartTimeRange: SlotRangeIn | None = None,
    Filters: list[Filter] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> DescribeScheduledInstancesResult:
    _check_slot_range(SlotStartTimeRange, "SlotStartTimeRange", False)
    if ScheduledInstanceIds:
        raise ServiceError(
            f"The Scheduled Instance '{ScheduledInstanceIds[0]}' does not exist",
            code="InvalidScheduledInstance",
        )
    items = apply_filters([], Filters, SCHEDULED, ctx.operation_model)
    shown, token = page(ctx, items, MaxResults, NextToken, low=5, high=300)
    result: DescribeScheduledInstancesResult = {"ScheduledInstanceSet": shown}
    if token:
        result["NextToken"] = token
    return result


@operation("RunScheduledInstances")
def run_scheduled_instances(
    ctx: Ctx,
    *,
    ScheduledInstanceId: str,
    LaunchSpecification: ScheduledInstancesLaunchSpecification,
    InstanceCount: int | None = None,
    ClientToken: str | None = None,
) -> RunScheduledInstancesResult:
    raise ServiceError(
        f"The Scheduled Instance '{ScheduledInstanceId}' does not exist",
        code="InvalidScheduledInstance",
    )
