"""Dedicated Hosts: allocate, describe, modify, release; Mac hosts; Host Reservations."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypedDict

from cloudmock.core.errors import InvalidParameterValue, MissingParameter, ServiceError
from cloudmock.core.plugin import operation
from cloudmock.services.ec2.dryrun import commit
from cloudmock.services.ec2.filters import FilterSet, apply_filters
from cloudmock.services.ec2.models.hosts import (
    HOST_FILTERS,
    HOST_OFFERING_FILTERS,
    HOST_RESERVATION_FILTERS,
    MAC_HOST_FILTERS,
    MAC_VERSIONS,
    offering,
    offerings,
)
from cloudmock.services.ec2.models.tags import tag_specifications
from cloudmock.services.ec2.responses.common import Ctx, page, select

if TYPE_CHECKING:
    from cloudmock.services.ec2.shapes import (
        AllocateHostsResult,
        DescribeHostReservationOfferingsResult,
        DescribeHostReservationsResult,
        DescribeHostsResult,
        DescribeMacHostsResult,
        Filter,
        GetHostReservationPurchasePreviewResult,
        ModifyHostsResult,
        PurchaseHostReservationResult,
        ReleaseHostsResult,
        TagSpecification,
    )


@dataclass(frozen=True)
class _TaggedFilterSet(FilterSet[Any]):
    """DescribeHosts documents tag-key only, but EC2 answers tag:KEY and tag-value too."""

    def supports(self, name: str, documented: frozenset[str]) -> bool:
        return name in self.getters or name.startswith("tag:") or name in ("tag-key", "tag-value")


HOSTS: FilterSet[Any] = _TaggedFilterSet(HOST_FILTERS)
MAC_HOSTS: FilterSet[Any] = FilterSet(MAC_HOST_FILTERS)
HOST_OFFERINGS: FilterSet[Any] = FilterSet(HOST_OFFERING_FILTERS, tags=lambda o: {})
HOST_RESERVATIONS: FilterSet[Any] = FilterSet(HOST_RESERVATION_FILTERS)


class CpuOptionsIn(TypedDict, total=False):
    AmdSevSnp: str


@operation("AllocateHosts")
def allocate_hosts(
    ctx: Ctx,
    *,
    InstanceType: str | None = None,
    InstanceFamily: str | None = None,
    AvailabilityZone: str | None = None,
    AvailabilityZoneId: str | None = None,
    Quantity: int | None = None,
    AutoPlacement: str | None = None,
    HostRecovery: str | None = None,
    HostMaintenance: str | None = None,
    CpuOptions: CpuOptionsIn | None = None,
    ClientToken: str | None = None,
    TagSpecifications: list[TagSpecification] | None = None,
) -> AllocateHostsResult:
    family = ctx.backend.hosts
    tags = tag_specifications(TagSpecifications, ("dedicated-host",)).get("dedicated-host", {})
    amd = (CpuOptions or {}).get("AmdSevSnp")
    zone, instance_type, instance_family = family.check_allocate(
        instance_type=InstanceType,
        instance_family=InstanceFamily,
        zone_name=AvailabilityZone,
        zone_id=AvailabilityZoneId,
        quantity=Quantity,
        auto_placement=AutoPlacement,
        host_recovery=HostRecovery,
        host_maintenance=HostMaintenance,
        amd_sev_snp=amd,
    )
    earlier = family.by_token(ClientToken)
    commit()
    if earlier:
        return {"HostIds": [h.id for h in earlier]}
    hosts = family.allocate(
        zone,
        instance_type,
        instance_family,
        Quantity or 1,
        AutoPlacement,
        HostRecovery,
        HostMaintenance,
        amd,
        tags,
        ClientToken,
    )
    return {"HostIds": [h.id for h in hosts]}


@operation("DescribeHosts")
def describe_hosts(
    ctx: Ctx,
    *,
    HostIds: list[str] | None = None,
    Filter: list[Filter] | None = None,
    NextToken: str | None = None,
    MaxResults: int | None = None,
) -> DescribeHostsResult:
    store = ctx.backend.hosts.store
    items = select(ctx, store, HostIds, Filter, HOSTS)
    shown, token = page(ctx, items, MaxResults, NextToken, low=5, high=500)
    result: DescribeHostsResult = {"Hosts": [h.describe() for h in shown]}
    if token:
        result["NextToken"] = token
    return result


def _split(ctx: Ctx, host_ids: list[str], error: Any) -> tuple[list[Any], list[Any]]:
    """Hosts that pass ``error`` (None), and Unsuccessful items for the rest."""
    store = ctx.backend.hosts.store
    good, bad = [], []
    for host_id in dict.fromkeys(host_ids):
        host = store.find(host_id)
        if host is None:
            try:
                store.get(host_id)
            except ServiceError as exc:  # each missing host is an Unsuccessful item
                bad.append(
                    {"ResourceId": host_id, "Error": {"Code": exc.code, "Message": exc.message}}
                )
            continue
        problem = error(host)
        if problem is None:
            good.append(host)
        else:
            bad.append(
                {"ResourceId": host_id, "Error": {"Code": problem[0], "Message": problem[1]}}
            )
    return good, bad


@operation("ModifyHosts")
def modify_hosts(
    ctx: Ctx,
    *,
    HostIds: list[str],
    AutoPlacement: str | None = None,
    HostRecovery: str | None = None,
    HostMaintenance: str | None = None,
    InstanceType: str | None = None,
    InstanceFamily: str | None = None,
) -> ModifyHostsResult:
    family = ctx.backend.hosts
    if not HostIds:
        raise MissingParameter("The request must contain the parameter HostIds")
    new_family = family.check_modify(
        InstanceType, InstanceFamily, AutoPlacement, HostRecovery, HostMaintenance
    )
    good, bad = _split(ctx, HostIds, lambda h: family.modify_error(h, InstanceType, InstanceFamily))
    commit()
    for host in good:
        family.modify(host, InstanceType, new_family, AutoPlacement, HostRecovery, HostMaintenance)
    return {"Successful": [h.id for h in good], "Unsuccessful": bad}


@operation("ReleaseHosts")
def release_hosts(ctx: Ctx, *, HostIds: list[str]) -> ReleaseHostsResult:
    family = ctx.backend.hosts
    if not HostIds:
        raise MissingParameter("The request must contain the parameter HostIds")
    good, bad = _split(ctx, HostIds, family.release_error)
    commit()
    for host in good:
        family.release(host)
    return {"Successful": [h.id for h in good], "Unsuccessful": bad}


@operation("DescribeMacHosts", filters=MAC_HOSTS)
def describe_mac_hosts(
    ctx: Ctx,
    *,
    HostIds: list[str] | None = None,
    Filters: list[Filter] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> DescribeMacHostsResult:
    store = ctx.backend.hosts.store
    items = select(ctx, store, HostIds, Filters, MAC_HOSTS)
    items = [h for h in items if h.instance_family in MAC_VERSIONS and h.state != "released"]
    shown, token = page(ctx, items, MaxResults, NextToken, low=5, high=500)
    result: DescribeMacHostsResult = {
        "MacHosts": [
            {"HostId": h.id, "MacOSLatestSupportedVersions": MAC_VERSIONS[h.instance_family]}
            for h in shown
        ]
    }
    if token:
        result["NextToken"] = token
    return result


# -- Host Reservations


@operation("DescribeHostReservationOfferings")
def describe_host_reservation_offerings(
    ctx: Ctx,
    *,
    Filter: list[Filter] | None = None,
    MaxDuration: int | None = None,
    MinDuration: int | None = None,
    OfferingId: str | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> DescribeHostReservationOfferingsResult:
    items = [offering(OfferingId)] if OfferingId else list(offerings())
    if MinDuration is not None:
        items = [o for o in items if o.duration >= MinDuration]
    if MaxDuration is not None:
        items = [o for o in items if o.duration <= MaxDuration]
    items = apply_filters(items, Filter, HOST_OFFERINGS, ctx.operation_model)
    shown, token = page(ctx, items, MaxResults, NextToken, low=5, high=500)
    result: DescribeHostReservationOfferingsResult = {"OfferingSet": [o.describe() for o in shown]}
    if token:
        result["NextToken"] = token
    return result


def _totals(purchases: list[Any]) -> dict[str, str]:
    return {
        "TotalHourlyPrice": f"{sum(float(p['HourlyPrice']) for p in purchases):.3f}",
        "TotalUpfrontPrice": f"{sum(float(p['UpfrontPrice']) for p in purchases):.3f}",
    }


@operation("GetHostReservationPurchasePreview")
def get_host_reservation_purchase_preview(
    ctx: Ctx, *, HostIdSet: list[str], OfferingId: str
) -> GetHostReservationPurchasePreviewResult:
    chosen, hosts = ctx.backend.hosts.check_purchase(OfferingId, HostIdSet, None, None)
    purchases = [chosen.purchase([h.id for h in hosts])]
    return {"CurrencyCode": "USD", "Purchase": purchases, **_totals(purchases)}  # type: ignore[typeddict-item]


@operation("PurchaseHostReservation")
def purchase_host_reservation(
    ctx: Ctx,
    *,
    HostIdSet: list[str],
    OfferingId: str,
    CurrencyCode: str | None = None,
    LimitPrice: str | None = None,
    ClientToken: str | None = None,
    TagSpecifications: list[TagSpecification] | None = None,
) -> PurchaseHostReservationResult:
    family = ctx.backend.hosts
    tags = tag_specifications(TagSpecifications, ("host-reservation",)).get("host-reservation", {})
    if ClientToken is not None and len(ClientToken) > 64:
        raise InvalidParameterValue("The client token must be at most 64 characters long.")
    earlier = family.purchase_tokens.get(ClientToken or "")
    if earlier is not None:
        reservation = family.reservations.get(earlier)
        if reservation.offering.id != OfferingId or set(reservation.host_ids) != set(HostIdSet):
            raise ServiceError(
                f"Client token '{ClientToken}' was used with different parameters.",
                code="IdempotentParameterMismatch",
            )
        chosen = reservation.offering
        commit()
    else:
        chosen, hosts = family.check_purchase(OfferingId, HostIdSet, CurrencyCode, LimitPrice)
        commit()
        reservation = family.purchase(chosen, hosts, tags)
        if ClientToken:
            family.purchase_tokens[ClientToken] = reservation.id
    purchases = [chosen.purchase(reservation.host_ids, reservation.id)]
    result: PurchaseHostReservationResult = {
        "CurrencyCode": "USD",
        "Purchase": purchases,
        **_totals(purchases),  # type: ignore[typeddict-item]
    }
    if ClientToken:
        result["ClientToken"] = ClientToken
    return result


@operation("DescribeHostReservations")
def describe_host_reservations(
    ctx: Ctx,
    *,
    HostReservationIdSet: list[str] | None = None,
    Filter: list[Filter] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> DescribeHostReservationsResult:
    store = ctx.backend.hosts.reservations
    items = select(ctx, store, HostReservationIdSet, Filter, HOST_RESERVATIONS)
    shown, token = page(ctx, items, MaxResults, NextToken, low=5, high=500)
    result: DescribeHostReservationsResult = {"HostReservationSet": [r.describe() for r in shown]}
    if token:
        result["NextToken"] = token
    return result
