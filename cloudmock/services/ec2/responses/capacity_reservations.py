"""Capacity Reservations: create, describe, modify, cancel, split, move; usage, billing, quotes."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, TypedDict

from cloudmock.core.errors import InvalidParameterValue, MissingParameter, ServiceError
from cloudmock.core.plugin import operation
from cloudmock.services.ec2.dryrun import commit
from cloudmock.services.ec2.filters import FilterSet, apply_filters
from cloudmock.services.ec2.models.capacity_reservations import (
    BILLING_REQUEST_FILTERS,
    CAPACITY_RESERVATION_FILTERS,
    TOPOLOGY_FILTERS,
)
from cloudmock.services.ec2.models.tags import tag_specifications
from cloudmock.services.ec2.responses.common import Ctx, page, select

if TYPE_CHECKING:
    from cloudmock.services.ec2.shapes import (
        AcceptCapacityReservationBillingOwnershipResult,
        AssociateCapacityReservationBillingOwnerResult,
        CancelCapacityReservationResult,
        CapacityReservationGroup,
        CreateCapacityReservationBySplittingResult,
        CreateCapacityReservationCancellationQuoteResult,
        CreateCapacityReservationDateChangeQuoteResult,
        CreateCapacityReservationResult,
        DescribeCapacityReservationBillingRequestsResult,
        DescribeCapacityReservationCancellationQuotesResult,
        DescribeCapacityReservationDateChangeQuotesResult,
        DescribeCapacityReservationsResult,
        DescribeCapacityReservationTopologyResult,
        DisassociateCapacityReservationBillingOwnerResult,
        Filter,
        GetCapacityReservationUsageResult,
        GetGroupsForCapacityReservationResult,
        ModifyCapacityReservationResult,
        ModifyInstanceCapacityReservationAttributesResult,
        MoveCapacityReservationInstancesResult,
        RejectCapacityReservationBillingOwnershipResult,
        TagSpecification,
    )

CAPACITY_RESERVATIONS: FilterSet[Any] = FilterSet(CAPACITY_RESERVATION_FILTERS, indexes={})
BILLING_REQUESTS: FilterSet[Any] = FilterSet(BILLING_REQUEST_FILTERS, tags=lambda r: {})
TOPOLOGY: FilterSet[Any] = FilterSet(TOPOLOGY_FILTERS)
QUOTES: FilterSet[Any] = FilterSet({})


class TargetIn(TypedDict, total=False):
    CapacityReservationId: str
    CapacityReservationResourceGroupArn: str


class SpecificationIn(TypedDict, total=False):
    CapacityReservationPreference: str
    CapacityReservationTarget: TargetIn


def _tags(specs: list[TagSpecification] | None) -> dict[str, str]:
    return tag_specifications(specs, ("capacity-reservation",)).get("capacity-reservation", {})


@operation("CreateCapacityReservation")
def create_capacity_reservation(
    ctx: Ctx,
    *,
    InstanceType: str | None = None,
    InstancePlatform: str | None = None,
    InstanceCount: int | None = None,
    ClientToken: str | None = None,
    AvailabilityZone: str | None = None,
    AvailabilityZoneId: str | None = None,
    Tenancy: str | None = None,
    EbsOptimized: bool = False,
    EphemeralStorage: bool = False,
    EndDate: datetime | None = None,
    EndDateType: str | None = None,
    InstanceMatchCriteria: str | None = None,
    TagSpecifications: list[TagSpecification] | None = None,
    PlacementGroupArn: str | None = None,
    StartDate: datetime | None = None,
    CommitmentDuration: int | None = None,
    DeliveryPreference: str | None = None,
) -> CreateCapacityReservationResult:
    family = ctx.backend.capacity_reservations
    tags = _tags(TagSpecifications)
    request = family.check_create(
        instance_type=InstanceType,
        platform=InstancePlatform,
        zone_name=AvailabilityZone,
        zone_id=AvailabilityZoneId,
        tenancy=Tenancy,
        count=InstanceCount,
        ebs_optimized=EbsOptimized,
        ephemeral_storage=EphemeralStorage,
        end_date=EndDate,
        end_date_type=EndDateType,
        criteria=InstanceMatchCriteria,
        placement_group_arn=PlacementGroupArn,
        start_date=StartDate,
        commitment_duration=CommitmentDuration,
        delivery_preference=DeliveryPreference,
    )
    earlier = family.by_token(ClientToken)
    if earlier is not None:
        if (
            earlier.instance_type != request.instance_type
            or earlier.zone.name != request.zone.name
            or earlier.platform != request.platform
        ):
            raise ServiceError(
                f"Client token '{ClientToken}' was used with different parameters.",
                code="IdempotentParameterMismatch",
            )
        commit()
        return {"CapacityReservation": earlier.describe()}
    commit()
    reservation = family.create(request, tags, ClientToken)
    return {"CapacityReservation": reservation.describe()}


@operation("DescribeCapacityReservations", filters=CAPACITY_RESERVATIONS)
def describe_capacity_reservations(
    ctx: Ctx,
    *,
    CapacityReservationIds: list[str] | None = None,
    NextToken: str | None = None,
    MaxResults: int | None = None,
    Filters: list[Filter] | None = None,
) -> DescribeCapacityReservationsResult:
    store = ctx.backend.capacity_reservations.store
    items = select(ctx, store, CapacityReservationIds, Filters, CAPACITY_RESERVATIONS)
    shown, token = page(ctx, items, MaxResults, NextToken, low=1, high=1000)
    result: DescribeCapacityReservationsResult = {
        "CapacityReservations": [r.describe() for r in shown]
    }
    if token:
        result["NextToken"] = token
    return result


@operation("ModifyCapacityReservation")
def modify_capacity_reservation(
    ctx: Ctx,
    *,
    CapacityReservationId: str,
    InstanceCount: int | None = None,
    EndDate: datetime | None = None,
    EndDateType: str | None = None,
    # "Reserved": reservations a caller creates are accepted already; any value is a no-op
    Accept: bool | None = None,
    # "Reserved for future use": nothing reads it
    AdditionalInfo: str | None = None,
    InstanceMatchCriteria: str | None = None,
    AcceptModificationTerms: bool | None = None,
    StartDate: datetime | None = None,
    QuoteId: str | None = None,
) -> ModifyCapacityReservationResult:
    family = ctx.backend.capacity_reservations
    reservation, quote = family.check_modify(
        CapacityReservationId,
        InstanceCount,
        EndDate,
        EndDateType,
        InstanceMatchCriteria,
        StartDate,
        QuoteId,
        AcceptModificationTerms,
    )
    commit()
    family.modify(reservation, InstanceCount, EndDate, EndDateType, InstanceMatchCriteria, quote)
    return {"Return": True}


@operation("CancelCapacityReservation")
def cancel_capacity_reservation(
    ctx: Ctx,
    *,
    CapacityReservationId: str,
    ApplyCancellationCharges: str | None = None,
    QuoteId: str | None = None,
) -> CancelCapacityReservationResult:
    family = ctx.backend.capacity_reservations
    reservation, quote = family.check_cancel(
        CapacityReservationId, ApplyCancellationCharges, QuoteId
    )
    commit()
    family.cancel(reservation, quote)
    return {"Return": True}


@operation("CreateCapacityReservationBySplitting")
def create_capacity_reservation_by_splitting(
    ctx: Ctx,
    *,
    SourceCapacityReservationId: str,
    InstanceCount: int | None = None,
    ClientToken: str | None = None,
    TagSpecifications: list[TagSpecification] | None = None,
) -> CreateCapacityReservationBySplittingResult:
    family = ctx.backend.capacity_reservations
    tags = _tags(TagSpecifications)
    source, count = family.check_split(SourceCapacityReservationId, InstanceCount)
    commit()
    destination = family.split(source, count, tags, ClientToken)
    return {
        "SourceCapacityReservation": source.describe(),
        "DestinationCapacityReservation": destination.describe(),
        "InstanceCount": count,
    }


@operation("MoveCapacityReservationInstances")
def move_capacity_reservation_instances(
    ctx: Ctx,
    *,
    SourceCapacityReservationId: str,
    DestinationCapacityReservationId: str,
    InstanceCount: int | None = None,
    # moving is not repeated on a retry: the counts it moves are checked again each time
    ClientToken: str | None = None,
) -> MoveCapacityReservationInstancesResult:
    family = ctx.backend.capacity_reservations
    source, destination, count = family.check_move(
        SourceCapacityReservationId, DestinationCapacityReservationId, InstanceCount
    )
    commit()
    family.move(source, destination, count)
    return {
        "SourceCapacityReservation": source.describe(),
        "DestinationCapacityReservation": destination.describe(),
        "InstanceCount": count,
    }


@operation("GetCapacityReservationUsage")
def get_capacity_reservation_usage(
    ctx: Ctx,
    *,
    CapacityReservationId: str,
    NextToken: str | None = None,
    MaxResults: int | None = None,
) -> GetCapacityReservationUsageResult:
    reservation = ctx.backend.capacity_reservations.store.get(CapacityReservationId)
    used = len(reservation.instances)
    # every instance in a reservation is its owner's: one row per account using it
    rows = [{"AccountId": reservation.owner_id, "UsedInstanceCount": used}] if used else []
    shown, token = page(ctx, rows, MaxResults, NextToken, low=1, high=1000)
    result: GetCapacityReservationUsageResult = {
        "CapacityReservationId": reservation.id,
        "InstanceType": reservation.instance_type,
        "TotalInstanceCount": reservation.total,
        "AvailableInstanceCount": reservation.available,
        "State": reservation.state,  # type: ignore[typeddict-item]
        "InstanceUsages": shown,  # type: ignore[typeddict-item]
        "Interruptible": False,
    }
    if token:
        result["NextToken"] = token
    return result


@operation("GetGroupsForCapacityReservation")
def get_groups_for_capacity_reservation(
    ctx: Ctx,
    *,
    CapacityReservationId: str,
    NextToken: str | None = None,
    MaxResults: int | None = None,
) -> GetGroupsForCapacityReservationResult:
    ctx.backend.capacity_reservations.store.get(CapacityReservationId)
    # cloudmock models no resource groups, so no reservation is in one
    groups: list[CapacityReservationGroup] = []
    shown, token = page(ctx, groups, MaxResults, NextToken, low=1, high=1000)
    result: GetGroupsForCapacityReservationResult = {"CapacityReservationGroups": shown}
    if token:
        result["NextToken"] = token
    return result


@operation("ModifyInstanceCapacityReservationAttributes")
def modify_instance_capacity_reservation_attributes(
    ctx: Ctx,
    *,
    InstanceId: str,
    CapacityReservationSpecification: SpecificationIn,
) -> ModifyInstanceCapacityReservationAttributesResult:
    family = ctx.backend.capacity_reservations
    spec = CapacityReservationSpecification or {}
    target = spec.get("CapacityReservationTarget") or {}
    preference = spec.get("CapacityReservationPreference")
    target_id = target.get("CapacityReservationId")
    instance = family.check_instance_preference(
        InstanceId, preference, target_id, target.get("CapacityReservationResourceGroupArn")
    )
    commit()
    family.set_instance_preference(instance, preference, target_id)
    return {"Return": True}


# -- billing ownership


def _account(value: str | None) -> str:
    if not value:
        raise MissingParameter(
            "The request must contain the parameter UnusedReservationBillingOwnerId"
        )
    return value


@operation("AssociateCapacityReservationBillingOwner")
def associate_capacity_reservation_billing_owner(
    ctx: Ctx, *, CapacityReservationId: str, UnusedReservationBillingOwnerId: str
) -> AssociateCapacityReservationBillingOwnerResult:
    family = ctx.backend.capacity_reservations
    target = _account(UnusedReservationBillingOwnerId)
    reservation = family.check_associate_billing(CapacityReservationId, target)
    commit()
    family.associate_billing(reservation, target)
    return {"Return": True}


@operation("DisassociateCapacityReservationBillingOwner")
def disassociate_capacity_reservation_billing_owner(
    ctx: Ctx, *, CapacityReservationId: str, UnusedReservationBillingOwnerId: str
) -> DisassociateCapacityReservationBillingOwnerResult:
    family = ctx.backend.capacity_reservations
    request = family.check_disassociate_billing(
        CapacityReservationId, _account(UnusedReservationBillingOwnerId)
    )
    commit()
    family.disassociate_billing(request)
    return {"Return": True}


@operation("AcceptCapacityReservationBillingOwnership")
def accept_capacity_reservation_billing_ownership(
    ctx: Ctx, *, CapacityReservationId: str
) -> AcceptCapacityReservationBillingOwnershipResult:
    family = ctx.backend.capacity_reservations
    request = family.incoming_billing(CapacityReservationId)
    commit()
    family.answer_billing(request, accept=True)
    return {"Return": True}


@operation("RejectCapacityReservationBillingOwnership")
def reject_capacity_reservation_billing_ownership(
    ctx: Ctx, *, CapacityReservationId: str
) -> RejectCapacityReservationBillingOwnershipResult:
    family = ctx.backend.capacity_reservations
    request = family.incoming_billing(CapacityReservationId)
    commit()
    family.answer_billing(request, accept=False)
    return {"Return": True}


@operation("DescribeCapacityReservationBillingRequests", filters=BILLING_REQUESTS)
def describe_capacity_reservation_billing_requests(
    ctx: Ctx,
    *,
    Role: str | None = None,
    CapacityReservationIds: list[str] | None = None,
    NextToken: str | None = None,
    MaxResults: int | None = None,
    Filters: list[Filter] | None = None,
) -> DescribeCapacityReservationBillingRequestsResult:
    if not Role:
        raise MissingParameter("The request must contain the parameter Role")
    if Role not in ("odcr-owner", "unused-reservation-billing-owner"):
        raise InvalidParameterValue(
            f"Invalid value '{Role}' for Role. Valid values are odcr-owner, "
            "unused-reservation-billing-owner."
        )
    requests = ctx.backend.capacity_reservations.billing_requests(Role)
    if CapacityReservationIds:
        wanted = set(CapacityReservationIds)
        requests = [r for r in requests if r.reservation_id in wanted]
    requests = apply_filters(requests, Filters, BILLING_REQUESTS, ctx.operation_model)
    shown, token = page(ctx, requests, MaxResults, NextToken, low=1, high=1000)
    result: DescribeCapacityReservationBillingRequestsResult = {
        "CapacityReservationBillingRequests": [r.describe() for r in shown]
    }
    if token:
        result["NextToken"] = token
    return result


# -- quotes


@operation("CreateCapacityReservationCancellationQuote")
def create_capacity_reservation_cancellation_quote(
    ctx: Ctx,
    *,
    CapacityReservationId: str,
    ClientToken: str | None = None,
    TagSpecifications: list[TagSpecification] | None = None,
) -> CreateCapacityReservationCancellationQuoteResult:
    family = ctx.backend.capacity_reservations
    tags = tag_specifications(TagSpecifications, ("capacity-reservation-cancellation-quote",)).get(
        "capacity-reservation-cancellation-quote", {}
    )
    reservation = family.check_cancellation_quote(CapacityReservationId)
    commit()
    quote = family.cancellation_quote(reservation, tags, ClientToken)
    return {"CapacityReservationCancellationQuote": quote.describe(ctx.backend.clock.now())}


@operation("DescribeCapacityReservationCancellationQuotes", filters=QUOTES)
def describe_capacity_reservation_cancellation_quotes(
    ctx: Ctx,
    *,
    CapacityReservationCancellationQuoteIds: list[str] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
    Filters: list[Filter] | None = None,
) -> DescribeCapacityReservationCancellationQuotesResult:
    store = ctx.backend.capacity_reservations.cancellation_quotes
    items = select(ctx, store, CapacityReservationCancellationQuoteIds, Filters, QUOTES)
    shown, token = page(ctx, items, MaxResults, NextToken, low=1, high=1000)
    now = ctx.backend.clock.now()
    result: DescribeCapacityReservationCancellationQuotesResult = {
        "CapacityReservationCancellationQuotes": [q.describe(now) for q in shown]
    }
    if token:
        result["NextToken"] = token
    return result


@operation("CreateCapacityReservationDateChangeQuote")
def create_capacity_reservation_date_change_quote(
    ctx: Ctx,
    *,
    CapacityReservationId: str,
    NewStartDate: datetime | None = None,
    ClientToken: str | None = None,
    TagSpecifications: list[TagSpecification] | None = None,
) -> CreateCapacityReservationDateChangeQuoteResult:
    family = ctx.backend.capacity_reservations
    tags = tag_specifications(TagSpecifications, ("capacity-reservation-modification-quote",)).get(
        "capacity-reservation-modification-quote", {}
    )
    reservation = family.check_date_change_quote(CapacityReservationId, NewStartDate)
    assert NewStartDate is not None
    commit()
    quote = family.date_change_quote(reservation, NewStartDate, tags, ClientToken)
    return {"CapacityReservationModificationQuote": quote.describe(ctx.backend.clock.now())}


@operation("DescribeCapacityReservationDateChangeQuotes", filters=QUOTES)
def describe_capacity_reservation_date_change_quotes(
    ctx: Ctx,
    *,
    CapacityReservationModificationQuoteIds: list[str] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
    Filters: list[Filter] | None = None,
) -> DescribeCapacityReservationDateChangeQuotesResult:
    store = ctx.backend.capacity_reservations.modification_quotes
    items = select(ctx, store, CapacityReservationModificationQuoteIds, Filters, QUOTES)
    shown, token = page(ctx, items, MaxResults, NextToken, low=1, high=1000)
    now = ctx.backend.clock.now()
    result: DescribeCapacityReservationDateChangeQuotesResult = {
        "CapacityReservationModificationQuotes": [q.describe(now) for q in shown]
    }
    if token:
        result["NextToken"] = token
    return result


@operation("DescribeCapacityReservationTopology", filters=TOPOLOGY)
def describe_capacity_reservation_topology(
    ctx: Ctx,
    *,
    NextToken: str | None = None,
    MaxResults: int | None = None,
    CapacityReservationIds: list[str] | None = None,
    Filters: list[Filter] | None = None,
) -> DescribeCapacityReservationTopologyResult:
    family = ctx.backend.capacity_reservations
    items = select(ctx, family.store, CapacityReservationIds, Filters, TOPOLOGY)
    # EC2 shows topology for reservations that hold capacity
    items = [r for r in items if r.state in ("active", "pending")]
    shown, token = page(ctx, items, MaxResults, NextToken, low=1, high=10)
    result: DescribeCapacityReservationTopologyResult = {
        "CapacityReservations": [family.topology(r) for r in shown]
    }
    if token:
        result["NextToken"] = token
    return result
