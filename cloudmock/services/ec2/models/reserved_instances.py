"""Reserved Instances: an offering catalogue, purchases on the clock, modifications,
Marketplace listings, Convertible exchanges, queued purchases; Scheduled Instances.

The catalogue is made, not fetched: for each instance type it knows (common
families, priced per normalization unit), every product, tenancy, class, term and
payment option, regional and in each zone, with the same ids every time (derived
from what the offering is). Prices follow EC2's usual shape: the longer the term
and the more paid up front, the lower the effective rate; Convertible costs more.

Reserved Instance ids are UUIDs, as EC2's are, so they live in their own indexes
rather than a prefix-id Store.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from cloudmock.core.errors import (
    InvalidParameterCombination,
    InvalidParameterValue,
    MissingParameter,
    ServiceError,
)
from cloudmock.services.ec2.models import sizes

if TYPE_CHECKING:
    from cloudmock.services.ec2.models.backend import Ec2Backend
    from cloudmock.services.ec2.models.regions import Zone
    from cloudmock.services.ec2.shapes import (
        ReservedInstances as ReservedInstancesShape,
    )
    from cloudmock.services.ec2.shapes import (
        ReservedInstancesListing as ListingShape,
    )
    from cloudmock.services.ec2.shapes import (
        ReservedInstancesModification as ModificationShape,
    )
    from cloudmock.services.ec2.shapes import (
        ReservedInstancesOffering as OfferingShape,
    )

YEAR = 31536000
DURATIONS = (YEAR, 3 * YEAR)
#: EC2-Classic is retired, so the "(Amazon VPC)" descriptions are no longer offered
PRODUCTS = ("Linux/UNIX", "Windows")
TENANCIES = ("default", "dedicated")
CLASSES = ("standard", "convertible")
OFFERING_TYPES = ("No Upfront", "Partial Upfront", "All Upfront")
#: on-demand Linux price per normalization unit-hour (USD), by family
UNIT_PRICE: dict[str, float] = {
    "t3": 0.0208,
    "m5": 0.024,
    "c5": 0.02125,
    "r5": 0.0315,
    "m6i": 0.024,
    "c6i": 0.02125,
    "r6i": 0.0315,
}
_T_SIZES = ("nano", "micro", "small", "medium", "large", "xlarge", "2xlarge")
_SIZES: dict[str, tuple[str, ...]] = {
    "t3": _T_SIZES,
    "m5": ("large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge"),
    "r5": ("large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge"),
    "c5": ("large", "xlarge", "2xlarge", "4xlarge", "9xlarge", "12xlarge", "18xlarge", "24xlarge"),
}
_DEFAULT_SIZES = ("large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge")
#: Windows adds this per unit-hour; dedicated tenancy multiplies
WINDOWS_PER_UNIT = 0.023
DEDICATED = 1.1
#: (share of the on-demand hour paid up front for each hour of the term, share still paid
#: per hour) by (class, years, offering type)
TERMS: dict[tuple[str, int, str], tuple[float, float]] = {
    ("standard", 1, "No Upfront"): (0.0, 0.63),
    ("standard", 1, "Partial Upfront"): (0.30, 0.30),
    ("standard", 1, "All Upfront"): (0.58, 0.0),
    ("standard", 3, "No Upfront"): (0.0, 0.45),
    ("standard", 3, "Partial Upfront"): (0.20, 0.20),
    ("standard", 3, "All Upfront"): (0.38, 0.0),
    ("convertible", 1, "No Upfront"): (0.0, 0.73),
    ("convertible", 1, "Partial Upfront"): (0.35, 0.35),
    ("convertible", 1, "All Upfront"): (0.68, 0.0),
    ("convertible", 3, "No Upfront"): (0.0, 0.54),
    ("convertible", 3, "Partial Upfront"): (0.26, 0.26),
    ("convertible", 3, "All Upfront"): (0.50, 0.0),
}
#: a Reserved Instance must be held this long before it can be listed for sale
HOLD_BEFORE_SALE = timedelta(days=30)
#: how far ahead a purchase can be queued
MAX_QUEUE_AHEAD = timedelta(days=3 * 365)


_TYPES: tuple[str, ...] = ()


def catalogue_types() -> tuple[str, ...]:
    """The instance types the catalogue prices, family by family."""
    global _TYPES
    if not _TYPES:
        _TYPES = tuple(
            f"{family}.{size}"
            for family in UNIT_PRICE
            for size in _SIZES.get(family, _DEFAULT_SIZES)
        )
    return _TYPES


def _uuid(text: str) -> str:
    digest = hashlib.sha256(text.encode()).hexdigest()
    return f"{digest[:8]}-{digest[8:12]}-4{digest[13:16]}-a{digest[17:20]}-{digest[20:32]}"


def on_demand(instance_type: str, product: str, tenancy: str) -> float:
    family = sizes.family(instance_type)
    units = sizes.units(instance_type)
    price = UNIT_PRICE[family] * units
    if product.startswith("Windows"):
        price += WINDOWS_PER_UNIT * units
    if tenancy == "dedicated":
        price *= DEDICATED
    return price


@dataclass(frozen=True)
class Offering:
    id: str
    instance_type: str
    zone: Zone | None
    product: str
    tenancy: str
    offering_class: str
    duration: int
    offering_type: str
    fixed_price: float
    usage_price: float

    @property
    def scope(self) -> str:
        return "Region" if self.zone is None else "Availability Zone"

    @property
    def recurring(self) -> float:
        return self.usage_price

    def describe(self) -> OfferingShape:
        out: OfferingShape = {
            "ReservedInstancesOfferingId": self.id,
            "InstanceType": self.instance_type,  # type: ignore[typeddict-item]
            "Duration": self.duration,
            "FixedPrice": self.fixed_price,
            "UsagePrice": 0.0,
            "ProductDescription": self.product,  # type: ignore[typeddict-item]
            "InstanceTenancy": self.tenancy,  # type: ignore[typeddict-item]
            "CurrencyCode": "USD",
            "OfferingType": self.offering_type,  # type: ignore[typeddict-item]
            "OfferingClass": self.offering_class,  # type: ignore[typeddict-item]
            "RecurringCharges": (
                [{"Amount": self.usage_price, "Frequency": "Hourly"}] if self.usage_price else []
            ),
            "Marketplace": False,
            "PricingDetails": [],
            "Scope": self.scope,  # type: ignore[typeddict-item]
        }
        if self.zone is not None:
            out["AvailabilityZone"] = self.zone.name
            out["AvailabilityZoneId"] = self.zone.zone_id
        return out


class Catalogue:
    """The offerings of one region, made per instance type on first use."""

    def __init__(self, region: str, zones: list[Zone]) -> None:
        self.region = region
        self.zones = zones
        self._by_type: dict[str, list[Offering]] = {}
        self._by_id: dict[str, Offering] = {}

    def for_type(self, instance_type: str) -> list[Offering]:
        found = self._by_type.get(instance_type)
        if found is None:
            found = self._by_type[instance_type] = self._make(instance_type)
            for offering in found:
                self._by_id[offering.id] = offering
        return found

    def _make(self, instance_type: str) -> list[Offering]:
        if instance_type not in catalogue_types():
            return []
        out = []
        prefix = f"{self.region}|{instance_type}"
        for zone in [None, *self.zones]:
            for product in PRODUCTS:
                for tenancy in TENANCIES:
                    hourly = on_demand(instance_type, product, tenancy)
                    for offering_class in CLASSES:
                        if zone is not None and offering_class == "convertible":
                            continue  # Convertible Reserved Instances are regional
                        for duration in DURATIONS:
                            years = duration // YEAR
                            for offering_type in OFFERING_TYPES:
                                upfront_share, hourly_share = TERMS[
                                    (offering_class, years, offering_type)
                                ]
                                out.append(
                                    Offering(
                                        id=_uuid(
                                            f"{prefix}|{zone.name if zone else ''}|{product}|"
                                            f"{tenancy}|{offering_class}|{duration}|"
                                            f"{offering_type}"
                                        ),
                                        instance_type=instance_type,
                                        zone=zone,
                                        product=product,
                                        tenancy=tenancy,
                                        offering_class=offering_class,
                                        duration=duration,
                                        offering_type=offering_type,
                                        fixed_price=round(hourly * 8760 * years * upfront_share, 2),
                                        usage_price=round(hourly * hourly_share, 4),
                                    )
                                )
        return out

    def get(self, offering_id: str) -> Offering:
        found = self._by_id.get(offering_id)
        if found is None:
            # an id of a type not looked at yet: make every type's offerings once
            for instance_type in catalogue_types():
                self.for_type(instance_type)
            found = self._by_id.get(offering_id)
        if found is None:
            raise ServiceError(
                f"The Reserved Instances offering '{offering_id}' does not exist",
                code="InvalidReservedInstancesOfferingId",
            )
        return found


_CATALOGUES: dict[str, Catalogue] = {}


def catalogue(backend: Ec2Backend) -> Catalogue:
    found = _CATALOGUES.get(backend.region)
    if found is None:
        found = _CATALOGUES[backend.region] = Catalogue(
            backend.region, list(backend.zones.values())
        )
    return found


def _walk(book: Catalogue, types: Iterable[str], start: int) -> Iterator[tuple[int, Offering]]:
    """Every offering of ``types`` with its position, from position ``start``."""
    position = 0
    for instance_type in types:
        items = book.for_type(instance_type)
        if position + len(items) <= start:
            position += len(items)
            continue
        for index in range(max(0, start - position), len(items)):
            yield position + index, items[index]
        position += len(items)


@dataclass
class ReservedInstances:
    id: str
    offering: Offering
    instance_type: str
    zone: Zone | None
    count: int
    start: datetime
    state: str = "payment-pending"
    tags: dict[str, str] = field(default_factory=dict)
    #: the end of the term (a modification or exchange keeps the original end)
    end_date: datetime | None = None
    generation: int = 0

    @property
    def end(self) -> datetime:
        if self.end_date is not None:
            return self.end_date
        return self.start + timedelta(seconds=self.offering.duration)

    @property
    def scope(self) -> str:
        return "Region" if self.zone is None else "Availability Zone"

    def describe(self) -> ReservedInstancesShape:
        offering = self.offering
        out: ReservedInstancesShape = {
            "ReservedInstancesId": self.id,
            "InstanceType": self.instance_type,  # type: ignore[typeddict-item]
            "Start": self.start,
            "End": self.end,
            "Duration": int((self.end - self.start).total_seconds()),
            "UsagePrice": 0.0,
            "FixedPrice": offering.fixed_price,
            "InstanceCount": self.count,
            "ProductDescription": offering.product,  # type: ignore[typeddict-item]
            "State": self.state,  # type: ignore[typeddict-item]
            "InstanceTenancy": offering.tenancy,  # type: ignore[typeddict-item]
            "CurrencyCode": "USD",
            "OfferingType": offering.offering_type,  # type: ignore[typeddict-item]
            "OfferingClass": offering.offering_class,  # type: ignore[typeddict-item]
            "RecurringCharges": (
                [{"Amount": offering.usage_price, "Frequency": "Hourly"}]
                if offering.usage_price
                else []
            ),
            "Scope": self.scope,  # type: ignore[typeddict-item]
            "Tags": [{"Key": k, "Value": v} for k, v in self.tags.items()],
        }
        if self.zone is not None:
            out["AvailabilityZone"] = self.zone.name
            out["AvailabilityZoneId"] = self.zone.zone_id
        return out

    def remaining_hours(self, now: datetime) -> float:
        return max(0.0, (self.end - now).total_seconds() / 3600)

    def value(self, now: datetime) -> tuple[float, float, float]:
        """(hourly price, remaining up-front value, remaining total value) of the whole RI."""
        offering = self.offering
        hours = self.remaining_hours(now)
        term_hours = offering.duration / 3600
        upfront = offering.fixed_price * self.count * (hours / term_hours if term_hours else 0)
        hourly = offering.usage_price * self.count
        return hourly, upfront, upfront + hourly * hours


@dataclass
class Modification:
    id: str
    source_ids: list[str]
    targets: list[dict[str, Any]]
    result_ids: list[str]
    created: datetime
    effective: datetime
    client_token: str | None
    status: str = "processing"
    updated: datetime | None = None
    generation: int = 0

    def describe(self) -> ModificationShape:
        out: ModificationShape = {
            "ReservedInstancesModificationId": self.id,
            "ReservedInstancesIds": [{"ReservedInstancesId": i} for i in self.source_ids],
            "ModificationResults": [
                {"ReservedInstancesId": rid, "TargetConfiguration": target}  # type: ignore[typeddict-item]
                for rid, target in zip(self.result_ids, self.targets, strict=True)
            ],
            "CreateDate": self.created,
            "EffectiveDate": self.effective,
            "Status": self.status,
            "UpdateDate": self.updated or self.created,
        }
        if self.client_token:
            out["ClientToken"] = self.client_token
        return out


@dataclass
class Listing:
    id: str
    reservation_id: str
    count: int
    schedules: list[tuple[int, float]]
    created: datetime
    client_token: str
    status: str = "pending"
    updated: datetime | None = None
    generation: int = 0

    def describe(self, now_months_left: int) -> ListingShape:
        live = self.status in ("active", "pending")
        counts = {"available": 0, "sold": 0, "cancelled": 0, "pending": 0}
        if self.status == "pending":
            counts["pending"] = self.count
        elif live:
            counts["available"] = self.count
        else:
            counts["cancelled"] = self.count
        # the schedule whose term covers the months left is the one in force
        active_term = max((t for t, _ in self.schedules if t <= now_months_left), default=None)
        return {
            "ReservedInstancesListingId": self.id,
            "ReservedInstancesId": self.reservation_id,
            "CreateDate": self.created,
            "UpdateDate": self.updated or self.created,
            "Status": self.status,  # type: ignore[typeddict-item]
            "StatusMessage": self.status,
            "InstanceCounts": [
                {"State": state, "InstanceCount": n}  # type: ignore[typeddict-item]
                for state, n in counts.items()
            ],
            "PriceSchedules": [
                {
                    "Term": term,
                    "Price": price,
                    "CurrencyCode": "USD",
                    "Active": live and term == active_term,
                }
                for term, price in self.schedules
            ],
            "Tags": [],
            "ClientToken": self.client_token,
        }


@dataclass
class TargetConfig:
    offering: Offering
    count: int


class ReservedInstancesFamily:
    """The Reserved Instances of one account in one region."""

    def __init__(self, backend: Ec2Backend) -> None:
        self.backend = backend
        self.items: dict[str, ReservedInstances] = {}
        self.modifications: dict[str, Modification] = {}
        self.listings: dict[str, Listing] = {}
        self._listing_tokens: dict[str, str] = {}
        self._modification_tokens: dict[str, str] = {}

    def _new_uuid(self) -> str:
        raw = self.backend.ids.hex(32)
        return f"{raw[:8]}-{raw[8:12]}-4{raw[13:16]}-a{raw[17:20]}-{raw[20:32]}"

    # -- offerings

    def zone_of(self, name: str | None, zone_id: str | None) -> Zone | None:
        if not name and not zone_id:
            return None
        return self.backend.capacity_reservations.zone(name, zone_id)

    def offerings(
        self,
        *,
        ids: list[str] | None,
        instance_types: list[str] | None,
        zone: Zone | None,
        product: str | None,
        tenancy: str | None,
        offering_class: str | None,
        offering_type: str | None,
        min_duration: int | None,
        max_duration: int | None,
        start: int = 0,
    ) -> Iterator[tuple[int, Offering]]:
        """(position, offering) for the offerings asked for, in catalogue order, from
        position ``start`` on; types are priced as they are reached, so a page prices only
        the types it shows (and a next page resumes where the last one stopped)."""
        book = catalogue(self.backend)
        low = 2592000 if min_duration is None else min_duration
        if ids:
            found = [book.get(i) for i in dict.fromkeys(ids)]
            source: Iterable[tuple[int, Offering]] = list(enumerate(found))[start:]
        else:
            types = instance_types if instance_types is not None else catalogue_types()
            source = _walk(book, types, start)
        for position, o in source:
            if instance_types is not None and o.instance_type not in instance_types:
                continue
            if zone is not None and (o.zone is None or o.zone.name != zone.name):
                continue
            if product and o.product != product:
                continue
            if tenancy and o.tenancy != tenancy:
                continue
            if offering_class and o.offering_class != offering_class:
                continue
            if offering_type and o.offering_type != offering_type:
                continue
            if o.duration < low or (max_duration is not None and o.duration > max_duration):
                continue
            yield position, o

    # -- purchase

    def check_purchase(
        self,
        offering_id: str,
        count: int | None,
        limit_price: dict[str, Any] | None,
        purchase_time: datetime | None,
    ) -> Offering:
        offering = catalogue(self.backend).get(offering_id)
        if count is None:
            raise MissingParameter("The request must contain the parameter InstanceCount")
        if count < 1:
            raise InvalidParameterValue(
                f"Invalid value '{count}' for InstanceCount. It must be at least 1."
            )
        if limit_price:
            currency = limit_price.get("CurrencyCode") or "USD"
            if currency != "USD":
                raise InvalidParameterValue(f"Invalid value '{currency}' for CurrencyCode.")
            amount = limit_price.get("Amount")
            total = offering.fixed_price * count
            if amount is not None and total > amount:
                raise InvalidParameterValue(
                    f"The total up-front price {total:.2f} USD exceeds the limit price "
                    f"{amount:.2f} USD"
                )
        if purchase_time is not None:
            now = self.backend.clock.now()
            if purchase_time > now:
                if offering.zone is not None:
                    raise InvalidParameterCombination(
                        "Only regional Reserved Instances can be queued for a future purchase"
                    )
                if purchase_time > now + MAX_QUEUE_AHEAD:
                    raise InvalidParameterValue(
                        "A purchase can be queued at most three years ahead"
                    )
        return offering

    def purchase(
        self, offering: Offering, count: int, purchase_time: datetime | None
    ) -> ReservedInstances:
        backend = self.backend
        now = backend.clock.now()
        queued = purchase_time is not None and purchase_time > now
        reserved = ReservedInstances(
            self._new_uuid(),
            offering=offering,
            instance_type=offering.instance_type,
            zone=offering.zone,
            count=count,
            start=purchase_time if queued and purchase_time else now,
            state="queued" if queued else "payment-pending",
        )
        self.items[reserved.id] = reserved
        if queued:
            assert purchase_time is not None
            self._schedule(reserved, purchase_time.timestamp() - backend.clock.time(), self._buy)
        else:
            self._activate(reserved)
        return reserved

    def _schedule(self, reserved: ReservedInstances, delay: float, action: Any) -> None:
        self.backend.schedule(max(delay, 0.0), reserved, action)  # type: ignore[arg-type]

    def _buy(self, reserved: ReservedInstances) -> None:
        if reserved.state == "queued":
            reserved.state = "payment-pending"
            self._activate(reserved)

    def _activate(self, reserved: ReservedInstances) -> None:
        def paid(item: ReservedInstances) -> None:
            if item.state == "payment-pending":
                item.state = "active"

        def retire(item: ReservedInstances) -> None:
            if item.state in ("active", "payment-pending"):
                item.state = "retired"

        backend = self.backend
        self._schedule(reserved, backend.options.transition_delay, paid)
        self._schedule(reserved, reserved.end.timestamp() - backend.clock.time(), retire)

    def get(self, reservation_id: str) -> ReservedInstances:
        found = self.items.get(reservation_id)
        if found is None:
            raise ServiceError(
                f"The Reserved Instance '{reservation_id}' does not exist",
                code="InvalidReservedInstancesId",
            )
        return found

    def get_many(self, ids: list[str]) -> list[ReservedInstances]:
        return [self.get(i) for i in dict.fromkeys(ids)]

    # -- queued purchases

    def delete_queued(self, ids: list[str]) -> tuple[list[str], list[tuple[str, str, str]]]:
        done, failed = [], []
        for reservation_id in dict.fromkeys(ids):
            reserved = self.items.get(reservation_id)
            if reserved is None:
                failed.append(
                    (
                        reservation_id,
                        "reserved-instances-id-invalid",
                        f"The Reserved Instance '{reservation_id}' does not exist",
                    )
                )
            elif reserved.state != "queued":
                failed.append(
                    (
                        reservation_id,
                        "reserved-instances-not-in-queued-state",
                        f"The Reserved Instance '{reservation_id}' is {reserved.state}, not queued",
                    )
                )
            else:
                done.append(reservation_id)
        return done, failed

    def remove_queued(self, ids: list[str]) -> None:
        for reservation_id in ids:
            reserved = self.items[reservation_id]
            reserved.state = "queued-deleted"
            reserved.generation += 1

    # -- modifications

    def check_modify(
        self, ids: list[str], targets: list[dict[str, Any]], client_token: str | None
    ) -> tuple[list[ReservedInstances], list[dict[str, Any]]] | Modification:
        if client_token and client_token in self._modification_tokens:
            return self.modifications[self._modification_tokens[client_token]]
        if not ids:
            raise MissingParameter("The request must contain the parameter ReservedInstancesIds")
        if not targets:
            raise MissingParameter("The request must contain the parameter TargetConfigurations")
        sources = self.get_many(ids)
        first = sources[0]
        for reserved in sources:
            if reserved.state != "active":
                raise InvalidParameterValue(
                    f"Reserved Instance {reserved.id} is {reserved.state}: only active "
                    "Reserved Instances can be modified"
                )
            if any(
                m.status == "processing" and reserved.id in m.source_ids
                for m in self.modifications.values()
            ):
                raise InvalidParameterValue(
                    f"Reserved Instance {reserved.id} is already being modified"
                )
            same = (
                reserved.offering.product == first.offering.product
                and reserved.offering.tenancy == first.offering.tenancy
                and reserved.offering.offering_class == first.offering.offering_class
                and reserved.end == first.end
                and sizes.family(reserved.instance_type) == sizes.family(first.instance_type)
            )
            if not same:
                raise InvalidParameterValue(
                    "Reserved Instances modified together must share platform, tenancy, "
                    "offering class, instance family and end date"
                )
        resolved = []
        source_units = sum(sizes.units(r.instance_type) * r.count for r in sources)
        target_units = 0.0
        for position, target in enumerate(targets, start=1):
            count = target.get("InstanceCount")
            if count is None or count < 1:
                raise InvalidParameterValue(
                    f"TargetConfiguration.{position}.InstanceCount must be at least 1"
                )
            instance_type = target.get("InstanceType") or first.instance_type
            if sizes.family(instance_type) != sizes.family(first.instance_type):
                raise InvalidParameterValue(
                    f"TargetConfiguration.{position}: the instance type must stay in the "
                    f"{sizes.family(first.instance_type)} family"
                )
            if instance_type != first.instance_type and not first.offering.product.startswith(
                "Linux/UNIX"
            ):
                raise InvalidParameterValue(
                    "Only Linux/UNIX Reserved Instances can change instance size"
                )
            scope = target.get("Scope")
            zone = self.zone_of(target.get("AvailabilityZone"), target.get("AvailabilityZoneId"))
            if scope is None:
                scope = "Region" if zone is None else "Availability Zone"
            if scope == "Region" and zone is not None:
                raise InvalidParameterCombination(
                    f"TargetConfiguration.{position}: a regional Reserved Instance has no "
                    "Availability Zone"
                )
            if scope == "Availability Zone" and zone is None:
                raise MissingParameter(
                    f"TargetConfiguration.{position}: an Availability Zone scope needs "
                    "AvailabilityZone"
                )
            platform = target.get("Platform")
            if platform is not None and platform not in ("EC2-VPC", "EC2-Classic"):
                raise InvalidParameterValue(
                    f"Invalid value '{platform}' for TargetConfiguration.{position}.Platform"
                )
            target_units += sizes.units(instance_type) * count
            entry: dict[str, Any] = {
                "InstanceType": instance_type,
                "InstanceCount": count,
                "Scope": scope,
                "Platform": platform or "EC2-VPC",
            }
            if zone is not None:
                entry["AvailabilityZone"] = zone.name
                entry["AvailabilityZoneId"] = zone.zone_id
            resolved.append(entry)
        if abs(source_units - target_units) > 1e-9:
            raise InvalidParameterValue(
                "The target configurations must keep the instance size footprint of the "
                f"Reserved Instances ({source_units:g} normalized units, not {target_units:g})"
            )
        return sources, resolved

    def modify(
        self,
        sources: list[ReservedInstances],
        targets: list[dict[str, Any]],
        client_token: str | None,
    ) -> Modification:
        backend = self.backend
        now = backend.clock.now()
        effective = now.replace(minute=0, second=0, microsecond=0)
        first = sources[0]
        results = []
        for target in targets:
            zone_name = target.get("AvailabilityZone")
            zone = backend.zones.get(zone_name) if zone_name else None
            offering = self._twin(first.offering, target["InstanceType"], zone)
            reserved = ReservedInstances(
                self._new_uuid(),
                offering=offering,
                instance_type=target["InstanceType"],
                zone=zone,
                count=target["InstanceCount"],
                start=effective,
                state="payment-pending",
                end_date=first.end,
            )
            results.append(reserved)
        modification = Modification(
            id=f"rimod-{self._new_uuid()}",
            source_ids=[r.id for r in sources],
            targets=targets,
            result_ids=[r.id for r in results],
            created=now,
            effective=effective,
            client_token=client_token,
        )
        self.modifications[modification.id] = modification
        if client_token:
            self._modification_tokens[client_token] = modification.id

        def fulfilled(item: Modification) -> None:
            item.status = "fulfilled"
            item.updated = backend.clock.now()
            for reserved in sources:
                reserved.state = "retired"
                reserved.generation += 1
            for reserved in results:
                self.items[reserved.id] = reserved
                self._activate(reserved)

        backend.schedule(backend.options.transition_delay, modification, fulfilled)  # type: ignore[arg-type]
        return modification

    def _twin(self, offering: Offering, instance_type: str, zone: Zone | None) -> Offering:
        """The catalogue offering like ``offering`` for another type or scope."""
        for candidate in catalogue(self.backend).for_type(instance_type):
            if (
                candidate.product == offering.product
                and candidate.tenancy == offering.tenancy
                and candidate.offering_class == offering.offering_class
                and candidate.duration == offering.duration
                and candidate.offering_type == offering.offering_type
                and (candidate.zone.name if candidate.zone else None)
                == (zone.name if zone else None)
            ):
                return candidate
        raise InvalidParameterValue(
            f"There is no Reserved Instance offering for {instance_type} to modify into"
        )

    # -- Marketplace listings

    def check_listing(
        self,
        reservation_id: str,
        count: int | None,
        schedules: list[dict[str, Any]],
        client_token: str | None,
    ) -> ReservedInstances | Listing:
        if not client_token:
            raise MissingParameter("The request must contain the parameter ClientToken")
        if client_token in self._listing_tokens:
            return self.listings[self._listing_tokens[client_token]]
        reserved = self.get(reservation_id)
        now = self.backend.clock.now()
        if reserved.state != "active":
            raise ServiceError(
                f"Reserved Instance {reserved.id} is {reserved.state} and cannot be listed",
                code="InvalidInput",
            )
        if reserved.offering.offering_class != "standard" or reserved.zone is None:
            raise ServiceError(
                "Only Standard Reserved Instances with an Availability Zone scope can be sold "
                "in the Reserved Instance Marketplace",
                code="InvalidInput",
            )
        if now - reserved.start < HOLD_BEFORE_SALE:
            raise ServiceError(
                f"Reserved Instance {reserved.id} must be held for 30 days before it is listed",
                code="InvalidInput",
            )
        if count is None or not 1 <= count <= reserved.count:
            raise InvalidParameterValue(
                f"InstanceCount must be between 1 and the {reserved.count} instances of "
                f"Reserved Instance {reserved.id}"
            )
        if any(
            listing.reservation_id == reserved.id and listing.status in ("active", "pending")
            for listing in self.listings.values()
        ):
            raise ServiceError(
                f"Reserved Instance {reserved.id} is already listed", code="InvalidInput"
            )
        if not schedules:
            raise MissingParameter("The request must contain the parameter PriceSchedules")
        months_left = int(reserved.remaining_hours(now) // 730)
        for position, schedule in enumerate(schedules, start=1):
            term, price = schedule.get("Term"), schedule.get("Price")
            if term is None or price is None:
                raise MissingParameter(f"PriceSchedules.{position} needs Term and Price")
            if not 1 <= term <= max(months_left, 1):
                raise InvalidParameterValue(
                    f"PriceSchedules.{position}.Term must be between 1 and the {months_left} "
                    "months left"
                )
            if price < 0:
                raise InvalidParameterValue(f"PriceSchedules.{position}.Price cannot be negative")
            if (schedule.get("CurrencyCode") or "USD") != "USD":
                raise InvalidParameterValue("Listings are priced in USD")
        return reserved

    def create_listing(
        self,
        reserved: ReservedInstances,
        count: int,
        schedules: list[dict[str, Any]],
        client_token: str,
    ) -> Listing:
        backend = self.backend
        listing = Listing(
            id=self._new_uuid(),
            reservation_id=reserved.id,
            count=count,
            schedules=sorted(
                ((int(s["Term"]), float(s["Price"])) for s in schedules), reverse=True
            ),
            created=backend.clock.now(),
            client_token=client_token,
        )
        self.listings[listing.id] = listing
        self._listing_tokens[client_token] = listing.id

        def active(item: Listing) -> None:
            if item.status == "pending":
                item.status = "active"
                item.updated = backend.clock.now()

        backend.schedule(backend.options.transition_delay, listing, active)  # type: ignore[arg-type]
        return listing

    def get_listing(self, listing_id: str) -> Listing:
        found = self.listings.get(listing_id)
        if found is None:
            raise ServiceError(
                f"The Reserved Instances listing '{listing_id}' does not exist",
                code="InvalidReservedInstancesListingId.NotFound",
            )
        return found

    def check_cancel_listing(self, listing_id: str) -> Listing:
        listing = self.get_listing(listing_id)
        if listing.status not in ("active", "pending"):
            raise ServiceError(
                f"The Reserved Instances listing '{listing_id}' is {listing.status}",
                code="InvalidInput",
            )
        return listing

    def cancel_listing(self, listing: Listing) -> None:
        listing.status = "cancelled"
        listing.updated = self.backend.clock.now()
        listing.generation += 1

    def months_left(self, listing: Listing) -> int:
        reserved = self.items.get(listing.reservation_id)
        if reserved is None:
            return 0
        return int(reserved.remaining_hours(self.backend.clock.now()) // 730)

    # -- Convertible exchanges

    def exchange_quote(self, ids: list[str], targets: list[dict[str, Any]]) -> dict[str, Any]:
        if not ids:
            raise MissingParameter("The request must contain the parameter ReservedInstanceIds")
        sources = self.get_many(ids)
        now = self.backend.clock.now()
        resolved: list[TargetConfig] = []
        book = catalogue(self.backend)
        for position, raw in enumerate(targets or [], start=1):
            offering_id = raw.get("OfferingId")
            if not offering_id:
                raise MissingParameter(f"TargetConfiguration.{position}.OfferingId")
            resolved.append(TargetConfig(book.get(offering_id), raw.get("InstanceCount") or 1))
        reason = None
        for reserved in sources:
            if reserved.offering.offering_class != "convertible":
                reason = f"Reserved Instance {reserved.id} is not a Convertible Reserved Instance"
            elif reserved.state != "active":
                reason = f"Reserved Instance {reserved.id} is {reserved.state}, not active"
        for target in resolved:
            if target.offering.offering_class != "convertible":
                reason = f"Offering {target.offering.id} is not a Convertible offering"
        source_values = [reserved.value(now) for reserved in sources]
        expires = max((r.end for r in sources), default=now)
        target_values = []
        for target in resolved:
            offering = target.offering
            term_end = max(expires, now + timedelta(seconds=offering.duration))
            hours = (term_end - now).total_seconds() / 3600
            upfront = offering.fixed_price * target.count
            hourly = offering.usage_price * target.count
            target_values.append((hourly, upfront, upfront + hourly * hours))
            expires = term_end
        source_total = sum(v[2] for v in source_values)
        target_total = sum(v[2] for v in target_values)
        if reason is None and not resolved:
            reason = "At least one target configuration is required"
        if reason is None and target_total + 1e-6 < source_total:
            reason = (
                "The target configuration must be of equal or greater value than the "
                f"Reserved Instances exchanged ({target_total:.2f} < {source_total:.2f} USD)"
            )
        due = max(0.0, sum(v[1] for v in target_values) - sum(v[1] for v in source_values))
        return {
            "sources": sources,
            "targets": resolved,
            "source_values": source_values,
            "target_values": target_values,
            "expires": expires,
            "due": due,
            "reason": reason,
        }

    def exchange(self, quote: dict[str, Any]) -> str:
        now = self.backend.clock.now()
        for reserved in quote["sources"]:
            reserved.state = "retired"
            reserved.generation += 1
        for target in quote["targets"]:
            offering = target.offering
            reserved = ReservedInstances(
                self._new_uuid(),
                offering=offering,
                instance_type=offering.instance_type,
                zone=offering.zone,
                count=target.count,
                start=now,
                end_date=quote["expires"],
            )
            self.items[reserved.id] = reserved
            self._activate(reserved)
        return f"riex-{self._new_uuid()}"


def money(value: float) -> str:
    return f"{value:.6f}"


OFFERING_FILTERS: dict[str, Any] = {
    "availability-zone": lambda o: o.zone.name if o.zone else None,
    "availability-zone-id": lambda o: o.zone.zone_id if o.zone else None,
    "duration": lambda o: o.duration,
    "fixed-price": lambda o: o.fixed_price,
    "instance-type": lambda o: o.instance_type,
    "marketplace": lambda o: False,
    "product-description": lambda o: o.product,
    "reserved-instances-offering-id": lambda o: o.id,
    "scope": lambda o: o.scope,
    "usage-price": lambda o: 0.0,
}
RESERVED_FILTERS: dict[str, Any] = {
    "availability-zone": lambda r: r.zone.name if r.zone else None,
    "availability-zone-id": lambda r: r.zone.zone_id if r.zone else None,
    "duration": lambda r: int((r.end - r.start).total_seconds()),
    "end": lambda r: r.end,
    "fixed-price": lambda r: r.offering.fixed_price,
    "instance-type": lambda r: r.instance_type,
    "scope": lambda r: r.scope,
    "product-description": lambda r: r.offering.product,
    "reserved-instances-id": lambda r: r.id,
    "start": lambda r: r.start,
    "state": lambda r: r.state,
    "usage-price": lambda r: 0.0,
}
LISTING_FILTERS: dict[str, Any] = {
    "reserved-instances-id": lambda item: item[0].reservation_id,
    "reserved-instances-listing-id": lambda item: item[0].id,
    "status": lambda item: item[0].status,
    "status-message": lambda item: item[0].status,
}
MODIFICATION_FILTERS: dict[str, Any] = {
    "client-token": lambda m: m.client_token,
    "create-date": lambda m: m.created,
    "effective-date": lambda m: m.effective,
    "modification-result.reserved-instances-id": lambda m: m.result_ids,
    "modification-result.target-configuration.availability-zone": lambda m: [
        t.get("AvailabilityZone") for t in m.targets
    ],
    "modification-result.target-configuration.availability-zone-id": lambda m: [
        t.get("AvailabilityZoneId") for t in m.targets
    ],
    "modification-result.target-configuration.instance-count": lambda m: [
        t["InstanceCount"] for t in m.targets
    ],
    "modification-result.target-configuration.instance-type": lambda m: [
        t["InstanceType"] for t in m.targets
    ],
    "reserved-instances-id": lambda m: m.source_ids,
    "reserved-instances-modification-id": lambda m: m.id,
    "status": lambda m: m.status,
    "status-message": lambda m: m.status,
    "update-date": lambda m: m.updated or m.created,
}
