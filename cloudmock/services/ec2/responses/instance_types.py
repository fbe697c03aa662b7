"""Instance types: DescribeInstanceTypes, DescribeInstanceTypeOfferings,
GetInstanceTypesFromInstanceRequirements."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cloudmock.core.errors import InvalidParameterValue
from cloudmock.core.plugin import operation
from cloudmock.services.ec2.filters import FilterSet
from cloudmock.services.ec2.models import instance_type_specs as catalogue
from cloudmock.services.ec2.models.instance_type_specs import INSTANCE_TYPES
from cloudmock.services.ec2.responses.common import Ctx, page

if TYPE_CHECKING:
    from cloudmock.services.ec2.shapes import (
        DescribeInstanceTypeOfferingsResult,
        DescribeInstanceTypesResult,
        Filter,
        GetInstanceTypesFromInstanceRequirementsResult,
        InstanceRequirementsRequest,
        InstanceTypeOffering,
    )

#: DescribeInstanceTypes gives 100 types a page unless asked for fewer (its MaxResults bound)
DEFAULT_PAGE = 100


@operation("DescribeInstanceTypes", filters=INSTANCE_TYPES)
def describe_instance_types(
    ctx: Ctx,
    *,
    InstanceTypes: list[str] | None = None,
    Filters: list[Filter] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
    IncludeUnsupportedInRegion: bool | None = None,
) -> DescribeInstanceTypesResult:
    region = ctx.backend.region
    offered = catalogue.region_positions(region)
    include_all = bool(IncludeUnsupportedInRegion)
    if InstanceTypes:
        wanted = list(dict.fromkeys(InstanceTypes))
        error = catalogue.unknown_type(
            [t for t in wanted if t not in catalogue.by_name()]
            + [
                t
                for t in wanted
                if not include_all
                and t in catalogue.by_name()
                and catalogue.by_name()[t] not in offered
            ]
        )
        if error is not None:
            raise error
        within = [catalogue.by_name()[t] for t in wanted]
    else:
        within = list(range(len(catalogue.specs()))) if include_all else sorted(offered)
    positions = catalogue.filter_positions(Filters, within)
    size = DEFAULT_PAGE if MaxResults is None else MaxResults
    shown, token = page(ctx, positions, size, NextToken, low=5, high=100)
    result: DescribeInstanceTypesResult = {
        "InstanceTypes": [
            catalogue.describe(p, (p in offered) if include_all else None) for p in shown
        ]
    }
    if token:
        result["NextToken"] = token
    return result


OFFERINGS: FilterSet[Any] = FilterSet(
    {"instance-type": lambda o: o[0], "location": lambda o: o[2]},
)


@operation("DescribeInstanceTypeOfferings", filters=OFFERINGS)
def describe_instance_type_offerings(
    ctx: Ctx,
    *,
    LocationType: str | None = None,
    Filters: list[Filter] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> DescribeInstanceTypeOfferingsResult:
    location_type = LocationType or "region"
    region = ctx.backend.region_info
    # instance-type first, through the catalogue's index; location after
    type_filters = [f for f in Filters or () if f.get("Name") == "instance-type"]
    other = [f for f in Filters or () if f.get("Name") != "instance-type"]
    for number, entry in enumerate(other, start=1):
        if entry.get("Name") != "location":
            if not entry.get("Name"):
                raise InvalidParameterValue(f"The filter Filter.{number}.Name must not be empty")
            raise InvalidParameterValue(f"The filter '{entry.get('Name')}' is invalid")
        if not entry.get("Values"):
            raise InvalidParameterValue("The filter 'location' must have at least one value")
    positions = catalogue.filter_positions(type_filters, catalogue.region_positions(region.name))
    specs = catalogue.specs()
    offerings: list[tuple[str, str, str]] = []
    if location_type == "region":
        offerings = [(specs[p]["type"], "region", region.name) for p in positions]
    elif location_type in ("availability-zone", "availability-zone-id"):
        for p in positions:
            spec = specs[p]
            for zone in region.zones:
                if catalogue.zone_offers(spec, region, zone.name):
                    where = zone.name if location_type == "availability-zone" else zone.zone_id
                    offerings.append((spec["type"], location_type, where))
    # outpost: cloudmock models no Outposts, so none offers anything
    for entry in other:
        patterns = [catalogue.wildcard(v) for v in entry.get("Values") or ()]
        offerings = [o for o in offerings if any(p.fullmatch(o[2]) for p in patterns)]
    shown, token = page(ctx, offerings, MaxResults, NextToken, low=5, high=1000)
    items: list[InstanceTypeOffering] = [
        {"InstanceType": t, "LocationType": kind, "Location": where}  # type: ignore[typeddict-item]
        for t, kind, where in shown
    ]
    result: DescribeInstanceTypeOfferingsResult = {"InstanceTypeOfferings": items}
    if token:
        result["NextToken"] = token
    return result


@operation("GetInstanceTypesFromInstanceRequirements")
def get_instance_types_from_instance_requirements(
    ctx: Ctx,
    *,
    ArchitectureTypes: list[str],
    VirtualizationTypes: list[str],
    InstanceRequirements: InstanceRequirementsRequest,
    MaxResults: int | None = None,
    NextToken: str | None = None,
    Context: str | None = None,
) -> GetInstanceTypesFromInstanceRequirementsResult:
    requirements: dict[str, Any] = dict(InstanceRequirements)
    catalogue.check_requirements(requirements)
    architectures = set(ArchitectureTypes)
    virtualization = set(VirtualizationTypes)
    specs = catalogue.specs()
    names = [
        specs[p]["type"]
        for p in sorted(catalogue.region_positions(ctx.backend.region))
        if architectures.intersection(specs[p]["archs"])
        and virtualization.intersection(specs[p]["virtualization"])
        and catalogue.meets(specs[p], requirements)
    ]
    shown, token = page(ctx, names, MaxResults, NextToken, low=1, high=1000)
    result: GetInstanceTypesFromInstanceRequirementsResult = {
        "InstanceTypes": [{"InstanceType": name} for name in shown]
    }
    if token:
        result["NextToken"] = token
    return result
