"""DescribeRegions, DescribeAvailabilityZones, DescribeAccountAttributes."""

from __future__ import annotations

from typing import Any

from cloudmock.core.errors import InvalidParameterValue
from cloudmock.core.plugin import Params, RequestContext, operation
from cloudmock.services.ec2.filters import FilterSet, apply_filters
from cloudmock.services.ec2.models.regions import Region, Zone, all_regions, zone_group

REGION_FILTERS: FilterSet[Any] = FilterSet(
    {
        "endpoint": lambda r: r.endpoint,
        "opt-in-status": lambda r: r.opt_in_status,
        "region-name": lambda r: r.name,
    }
)

ZONE_FILTERS: FilterSet[Any] = FilterSet(
    {
        "group-name": lambda z: zone_group(z)[0],
        "group-long-name": lambda z: zone_group(z)[1],
        "message": lambda z: None,
        "opt-in-status": lambda z: "opt-in-not-required",
        "region-name": lambda z: z.region,
        "state": lambda z: "available",
        "zone-id": lambda z: z.zone_id,
        "zone-name": lambda z: z.name,
        "zone-type": lambda z: "availability-zone",
    }
)


def _region(region: Region) -> dict[str, Any]:
    return {
        "OptInStatus": region.opt_in_status,
        "RegionName": region.name,
        "Endpoint": region.endpoint,
    }


def _zone(zone: Zone) -> dict[str, Any]:
    return {
        "OptInStatus": "opt-in-not-required",
        "Messages": [],
        "RegionName": zone.region,
        "ZoneName": zone.name,
        "ZoneId": zone.zone_id,
        "GroupName": zone_group(zone)[0],
        "GroupLongName": zone_group(zone)[1],
        "NetworkBorderGroup": zone.region,
        "ZoneType": "availability-zone",
        "State": "available",
    }


@operation("DescribeRegions", filters=REGION_FILTERS)
def describe_regions(ctx: RequestContext, params: Params) -> dict[str, Any]:
    regions = all_regions()
    names = params.get("RegionNames")
    if names:
        unknown = [name for name in names if name not in regions]
        if unknown:
            raise InvalidParameterValue(f"Invalid region(s): {', '.join(unknown)}")
        chosen = [regions[name] for name in names]
    else:
        chosen = list(regions.values())
    chosen = apply_filters(chosen, params.get("Filters"), REGION_FILTERS, ctx.operation_model)
    return {"Regions": [_region(r) for r in chosen]}


@operation("DescribeAvailabilityZones", filters=ZONE_FILTERS)
def describe_availability_zones(ctx: RequestContext, params: Params) -> dict[str, Any]:
    zones = list(ctx.backend.region_info.zones)
    names, zone_ids = params.get("ZoneNames"), params.get("ZoneIds")
    if names or zone_ids:
        by_name = {z.name: z for z in zones}
        by_id = {z.zone_id: z for z in zones}
        for wanted, index in ((names or [], by_name), (zone_ids or [], by_id)):
            for value in wanted:
                if value not in index:
                    raise InvalidParameterValue(
                        f"The zone '{value}' does not exist in region '{ctx.region}'"
                    )
        keep = set(names or []) | {by_id[z].name for z in zone_ids or []}
        zones = [z for z in zones if z.name in keep]
    zones = apply_filters(zones, params.get("Filters"), ZONE_FILTERS, ctx.operation_model)
    return {"AvailabilityZones": [_zone(z) for z in zones]}


@operation("DescribeAccountAttributes")
def describe_account_attributes(ctx: RequestContext, params: Params) -> dict[str, Any]:
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
    wanted = params.get("AttributeNames") or list(attributes)
    return {
        "AccountAttributes": [
            {
                "AttributeName": name,
                "AttributeValues": [{"AttributeValue": v} for v in attributes[name]],
            }
            for name in wanted
        ]
    }
