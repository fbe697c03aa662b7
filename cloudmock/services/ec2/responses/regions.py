"""DescribeRegions, DescribeAvailabilityZones, DescribeAccountAttributes."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any, cast

from cloudmock.core.errors import InvalidParameterValue
from cloudmock.core.frozen import Frozen
from cloudmock.core.plugin import operation
from cloudmock.services.ec2.filters import FilterSet, apply_filters
from cloudmock.services.ec2.models.account_settings import ExtraZone
from cloudmock.services.ec2.models.regions import Region, Zone, all_regions, zone_group
from cloudmock.services.ec2.responses.common import Ctx

if TYPE_CHECKING:
    from cloudmock.services.ec2.shapes import (
        AvailabilityZone,
        DescribeAccountAttributesResult,
        DescribeAvailabilityZonesResult,
        DescribeRegionsResult,
        Filter,
    )
    from cloudmock.services.ec2.shapes import Region as RegionShape

REGION_FILTERS: FilterSet[Any] = FilterSet(
    {
        "endpoint": lambda r: r.endpoint,
        "opt-in-status": lambda r: r.opt_in_status,
        "region-name": lambda r: r.name,
    }
)


@dataclass(frozen=True)
class _ZoneView:
    """An Availability Zone, Local Zone or Wavelength Zone as DescribeAvailabilityZones shows it."""

    name: str
    zone_id: str
    region: str
    group: str
    long_name: str
    zone_type: str
    opt_in: str
    parent_name: str | None = None
    parent_id: str | None = None

    @classmethod
    def of_zone(cls, zone: Zone) -> _ZoneView:
        group, long_name = zone_group(zone)
        return cls(
            zone.name, zone.zone_id, zone.region, group, long_name, "availability-zone",
            "opt-in-not-required",
        )  # fmt: skip

    @classmethod
    def of_extra(cls, zone: ExtraZone, region: str, opt_in: str) -> _ZoneView:
        return cls(
            zone.name, zone.zone_id, region, zone.group, zone.long_name, zone.zone_type, opt_in,
            zone.parent_name, zone.parent_id,
        )  # fmt: skip


ZONE_FILTERS: FilterSet[Any] = FilterSet(
    {
        "group-name": lambda z: z.group,
        "group-long-name": lambda z: z.long_name,
        "message": lambda z: None,
        "opt-in-status": lambda z: z.opt_in,
        "region-name": lambda z: z.region,
        "state": lambda z: "available",
        "zone-id": lambda z: z.zone_id,
        "zone-name": lambda z: z.name,
        "zone-type": lambda z: z.zone_type,
        # only Local and Wavelength Zones have a parent
        "parent-zone-id": lambda z: z.parent_id,
        "parent-zone-name": lambda z: z.parent_name,
    }
)


#: each region's view, made once: regions never change and every DescribeRegions shows them
_REGION_VIEWS: dict[str, RegionShape] = {}


def _region(region: Region) -> RegionShape:
    view = _REGION_VIEWS.get(region.name)
    if view is None:
        view = _REGION_VIEWS[region.name] = cast(
            "RegionShape",
            Frozen(
                OptInStatus=region.opt_in_status, RegionName=region.name, Endpoint=region.endpoint
            ),
        )
    return view


@cache
def _all_region_views() -> tuple[RegionShape, ...]:
    return tuple(_region(r) for r in all_regions().values())


@lru_cache(maxsize=4096)  # a zone's view is a function of its (frozen) facts
def _zone(zone: _ZoneView) -> AvailabilityZone:
    out: AvailabilityZone = {
        "OptInStatus": zone.opt_in,  # type: ignore[typeddict-item]
        "Messages": [],
        "RegionName": zone.region,
        "ZoneName": zone.name,
        "ZoneId": zone.zone_id,
        "GroupName": zone.group,
        "GroupLongName": zone.long_name,
        # a Local or Wavelength Zone is its own network border group
        "NetworkBorderGroup": zone.region if zone.zone_type == "availability-zone" else zone.group,
        "ZoneType": zone.zone_type,
        "State": "available",
    }
    if zone.parent_name is not None and zone.parent_id is not None:
        out["ParentZoneName"] = zone.parent_name
        out["ParentZoneId"] = zone.parent_id
    # every request shows it alike: the XML writer keeps what it made of it
    return cast("AvailabilityZone", Frozen(out))


@operation("DescribeRegions", filters=REGION_FILTERS)
def describe_regions(
    ctx: Ctx,
    *,
    RegionNames: list[str] | None = None,
    # Every region is enabled for cloudmock's accounts, so all regions are the enabled ones.
    AllRegions: bool = False,
    Filters: list[Filter] | None = None,
) -> DescribeRegionsResult:
    if not Filters and not RegionNames:  # the usual call: every region, views made once
        return {"Regions": list(_all_region_views())}
    regions = all_regions()
    if RegionNames:
        unknown = [name for name in RegionNames if name not in regions]
        if unknown:
            raise InvalidParameterValue(f"Invalid region(s): {', '.join(unknown)}")
        chosen = [regions[name] for name in RegionNames]
    else:
        chosen = list(regions.values())
    chosen = apply_filters(chosen, Filters, REGION_FILTERS, ctx.operation_model)
    return {"Regions": [_region(r) for r in chosen]}


@operation("DescribeAvailabilityZones", filters=ZONE_FILTERS)
def describe_availability_zones(
    ctx: Ctx,
    *,
    ZoneNames: list[str] | None = None,
    ZoneIds: list[str] | None = None,
    AllAvailabilityZones: bool = False,
    Filters: list[Filter] | None = None,
) -> DescribeAvailabilityZonesResult:
    settings = ctx.backend.account_settings
    groups = settings.groups()
    zones = [_ZoneView.of_zone(z) for z in ctx.backend.region_info.zones]
    # Local and Wavelength Zones: those of opted-in groups, or all of them when asked
    zones += [
        _ZoneView.of_extra(z, ctx.region, groups[z.group])
        for z in settings.extra_zones()
        if AllAvailabilityZones or ZoneNames or ZoneIds or groups[z.group] == "opted-in"
    ]
    if ZoneNames or ZoneIds:
        by_name = {z.name: z for z in zones}
        by_id = {z.zone_id: z for z in zones}
        for wanted, index in ((ZoneNames or [], by_name), (ZoneIds or [], by_id)):
            for value in wanted:
                if value not in index:
                    raise InvalidParameterValue(
                        f"The zone '{value}' does not exist in region '{ctx.region}'"
                    )
        keep = set(ZoneNames or []) | {by_id[z].name for z in ZoneIds or []}
        zones = [z for z in zones if z.name in keep]
    zones = apply_filters(zones, Filters, ZONE_FILTERS, ctx.operation_model)
    return {"AvailabilityZones": [_zone(z) for z in zones]}


@operation("DescribeAccountAttributes")
def describe_account_attributes(
    ctx: Ctx, *, AttributeNames: list[str] | None = None
) -> DescribeAccountAttributesResult:
    backend = ctx.backend
    # in the order EC2 lists them
    attributes = {
        "supported-platforms": ["VPC"],
        "vpc-max-security-groups-per-interface": ["5"],
        "max-elastic-ips": ["5"],
        "max-instances": [str(backend.options.instance_limit)],
        "vpc-max-elastic-ips": ["5"],
        "default-vpc": [backend.vpcs.default_vpc_id or "none"],
    }
    wanted = AttributeNames or list(attributes)
    return {
        "AccountAttributes": [
            {
                "AttributeName": name,
                "AttributeValues": [{"AttributeValue": v} for v in attributes[name]],
            }
            for name in wanted
        ]
    }
