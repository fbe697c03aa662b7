"""Spot instance requests, spot prices, the spot data feed, spot placement scores."""

from __future__ import annotations

import base64
import binascii
import itertools
import re
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from cloudmock.core.errors import (
    InvalidParameterCombination,
    InvalidParameterValue,
    MissingParameter,
    ServiceError,
)
from cloudmock.core.plugin import operation
from cloudmock.services.ec2.dryrun import commit
from cloudmock.services.ec2.filters import FilterSet, apply_filters
from cloudmock.services.ec2.models.instance_types import DEFAULT_INSTANCE_TYPE
from cloudmock.services.ec2.models.instances import BlockDeviceSpec, LaunchSpec
from cloudmock.services.ec2.models.regions import all_regions
from cloudmock.services.ec2.models.spot import (
    COMMON_TYPES,
    HISTORY,
    PRICE_FILTERS,
    PRODUCTS,
    SPOT_REQUEST_FILTERS,
    placement_score,
    price_history,
)
from cloudmock.services.ec2.models.tags import tag_specifications
from cloudmock.services.ec2.responses.common import Ctx, page, select

if TYPE_CHECKING:
    from cloudmock.services.ec2.shapes import (
        BlockDeviceMapping,
        CancelSpotInstanceRequestsResult,
        CreateSpotDatafeedSubscriptionResult,
        DescribeSpotDatafeedSubscriptionResult,
        DescribeSpotInstanceRequestsResult,
        DescribeSpotPriceHistoryResult,
        Filter,
        GetSpotPlacementScoresResult,
        InstanceRequirementsWithMetadataRequest,
        LaunchSpecification,
        RequestSpotInstancesResult,
        RequestSpotLaunchSpecification,
        SpotDatafeedSubscription,
        SpotPlacementScore,
        TagSpecification,
    )

SPOT_REQUESTS: FilterSet[Any] = FilterSet(SPOT_REQUEST_FILTERS, indexes={"instance-id": "instance"})
PRICES: FilterSet[Any] = FilterSet(PRICE_FILTERS)

_AMI_ID = re.compile(r"^ami-[0-9a-f]{1,17}$")


# -- a launch specification (spot requests, spot fleets, EC2 fleets) as a LaunchSpec


def user_data(raw: str | None) -> bytes | None:
    if raw is None:
        return None
    try:
        return base64.b64decode(raw, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidParameterValue("Invalid BASE64 encoding of user data.") from None


def block_devices(mappings: list[BlockDeviceMapping] | None) -> tuple[BlockDeviceSpec, ...]:
    out = []
    for position, mapping in enumerate(mappings or [], start=1):
        name = mapping.get("DeviceName")
        if not name:
            raise MissingParameter(f"BlockDeviceMapping.{position}.DeviceName")
        ebs = cast("dict[str, Any]", mapping.get("Ebs") or {})
        out.append(
            BlockDeviceSpec(
                device_name=name,
                volume_size=ebs.get("VolumeSize"),
                volume_type=ebs.get("VolumeType"),
                delete_on_termination=ebs.get("DeleteOnTermination"),
                snapshot_id=ebs.get("SnapshotId"),
                encrypted=ebs.get("Encrypted"),
                iops=ebs.get("Iops"),
                throughput=ebs.get("Throughput"),
                no_device="NoDevice" in mapping,
                virtual_name=mapping.get("VirtualName"),
                ebs="Ebs" in mapping,
            )
        )
    return tuple(out)


def zone_of(ctx: Ctx, placement: dict[str, Any]) -> str | None:
    zone_name = placement.get("AvailabilityZone")
    zone_id = placement.get("AvailabilityZoneId")
    if zone_id:
        by_id = {z.zone_id: z.name for z in ctx.backend.zones.values()}
        if zone_id not in by_id:
            raise InvalidParameterValue(f"Invalid availability zone ID: [{zone_id}]")
        zone_name = zone_name or by_id[zone_id]
    if zone_name is not None and zone_name not in ctx.backend.zones:
        raise InvalidParameterValue(f"Invalid availability zone: [{zone_name}]")
    return zone_name


def launch_spec(
    ctx: Ctx, spec: dict[str, Any], *, tags: dict[str, dict[str, str]] | None = None
) -> LaunchSpec:
    """A launch specification (RequestSpotInstances, RequestSpotFleet, fleets' merged
    template data) as the LaunchSpec of one instance, its ids checked now."""
    backend = ctx.backend
    image_id = spec.get("ImageId")
    if not image_id:
        raise MissingParameter("LaunchSpecification.ImageId")
    if not _AMI_ID.match(image_id):
        raise ServiceError(
            f'Invalid id: "{image_id}" (expecting "ami-...")', code="InvalidAMIID.Malformed"
        )
    placement = cast("dict[str, Any]", spec.get("Placement") or {})
    subnet_id = spec.get("SubnetId")
    group_ids = list(spec.get("SecurityGroupIds") or [])
    group_names = list(spec.get("SecurityGroups") or [])
    private_ip = None
    for interface in spec.get("NetworkInterfaces") or []:
        if interface.get("DeviceIndex", 0) == 0:
            subnet_id = subnet_id or interface.get("SubnetId")
            group_ids += interface.get("Groups") or []
            private_ip = interface.get("PrivateIpAddress") or next(
                (
                    a.get("PrivateIpAddress")
                    for a in interface.get("PrivateIpAddresses") or []
                    if a.get("Primary")
                ),
                None,
            )
    for group in spec.get("SecurityGroupIdentifiers") or []:
        # SpotFleetLaunchSpecification names its groups as GroupIdentifier structures
        if group.get("GroupId"):
            group_ids.append(group["GroupId"])
        elif group.get("GroupName"):
            group_names.append(group["GroupName"])
    if subnet_id is not None:
        backend.vpcs.subnets.get(subnet_id)
    backend.security_groups.store.get_many(group_ids)
    monitoring = cast("dict[str, Any]", spec.get("Monitoring") or {})
    return LaunchSpec(
        image_id=image_id,
        min_count=1,
        max_count=1,
        instance_type=spec.get("InstanceType") or DEFAULT_INSTANCE_TYPE,
        key_name=spec.get("KeyName"),
        subnet_id=subnet_id,
        zone_name=zone_of(ctx, placement),
        tenancy=placement.get("Tenancy") or "default",
        security_group_ids=tuple(dict.fromkeys(group_ids)),
        security_group_names=tuple(dict.fromkeys(group_names)),
        private_ip=private_ip,
        user_data=user_data(spec.get("UserData")),
        tags=tuple((kind, tuple(t.items())) for kind, t in (tags or {}).items()),
        monitoring=bool(monitoring.get("Enabled")),
        ebs_optimized=bool(spec.get("EbsOptimized")),
        block_devices=block_devices(spec.get("BlockDeviceMappings")),
        placement_group=placement.get("GroupName") or None,
    )


def shown_specification(ctx: Ctx, spec: RequestSpotLaunchSpecification) -> LaunchSpecification:
    """RequestSpotLaunchSpecification as DescribeSpotInstanceRequests shows it (the groups
    by id and name)."""
    out = cast("dict[str, Any]", dict(spec))
    ids = out.pop("SecurityGroupIds", None) or []
    names = out.pop("SecurityGroups", None) or []
    if ids or names:
        groups = ctx.backend.security_groups.store
        out["SecurityGroups"] = [{"GroupId": g, "GroupName": groups.get(g).name} for g in ids]
        out["SecurityGroups"] += [{"GroupName": n} for n in names]
    out.pop("UserData", None)  # EC2 does not show it back
    return cast("LaunchSpecification", out)


# -- spot instance requests


@operation("RequestSpotInstances")
def request_spot_instances(
    ctx: Ctx,
    *,
    LaunchSpecification: RequestSpotLaunchSpecification | None = None,
    TagSpecifications: list[TagSpecification] | None = None,
    InstanceInterruptionBehavior: str | None = None,
    SpotPrice: str | None = None,
    ClientToken: str | None = None,
    InstanceCount: int = 1,
    Type: str = "one-time",
    ValidFrom: datetime | None = None,
    ValidUntil: datetime | None = None,
    LaunchGroup: str | None = None,
    AvailabilityZoneGroup: str | None = None,
    BlockDurationMinutes: int | None = None,
) -> RequestSpotInstancesResult:
    if BlockDurationMinutes is not None:
        # Spot blocks are closed to new customers; EC2 refuses the duration
        raise InvalidParameterCombination(
            "Spot Instances with a defined duration (Spot blocks) are no longer available."
        )
    if LaunchSpecification is None:
        raise MissingParameter("LaunchSpecification")
    tags = tag_specifications(TagSpecifications, ("spot-instances-request",))
    spec = launch_spec(ctx, cast("dict[str, Any]", LaunchSpecification))
    requests = ctx.backend.spot.request(
        spec,
        shown_specification(ctx, LaunchSpecification),
        count=InstanceCount,
        request_type=Type,
        max_price=SpotPrice,
        valid_from=ValidFrom,
        valid_until=ValidUntil,
        launch_group=LaunchGroup,
        zone_group=AvailabilityZoneGroup,
        interruption_behavior=InstanceInterruptionBehavior,
        tags=tags.get("spot-instances-request", {}),
        client_token=ClientToken,
    )
    return {"SpotInstanceRequests": [r.describe() for r in requests]}


@operation("DescribeSpotInstanceRequests", filters=SPOT_REQUESTS)
def describe_spot_instance_requests(
    ctx: Ctx,
    *,
    SpotInstanceRequestIds: list[str] | None = None,
    Filters: list[Filter] | None = None,
    NextToken: str | None = None,
    MaxResults: int | None = None,
) -> DescribeSpotInstanceRequestsResult:
    found = select(ctx, ctx.backend.spot.store, SpotInstanceRequestIds, Filters, SPOT_REQUESTS)
    shown, token = page(ctx, found, MaxResults, NextToken, low=5, high=1000)
    result: DescribeSpotInstanceRequestsResult = {
        "SpotInstanceRequests": [r.describe() for r in shown]
    }
    if token:
        result["NextToken"] = token
    return result


@operation("CancelSpotInstanceRequests")
def cancel_spot_instance_requests(
    ctx: Ctx, *, SpotInstanceRequestIds: list[str]
) -> CancelSpotInstanceRequestsResult:
    cancelled = ctx.backend.spot.cancel(SpotInstanceRequestIds)
    return {
        "CancelledSpotInstanceRequests": [
            {"SpotInstanceRequestId": r.id, "State": r.state}  # type: ignore[typeddict-item]
            for r in cancelled
        ]
    }


# -- prices

_CHUNK = 2000


@operation("DescribeSpotPriceHistory", filters=PRICES)
def describe_spot_price_history(
    ctx: Ctx,
    *,
    StartTime: datetime | None = None,
    EndTime: datetime | None = None,
    InstanceTypes: list[str] | None = None,
    ProductDescriptions: list[str] | None = None,
    Filters: list[Filter] | None = None,
    AvailabilityZone: str | None = None,
    AvailabilityZoneId: str | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> DescribeSpotPriceHistoryResult:
    backend = ctx.backend
    now = backend.clock.now()
    end = min(EndTime or now, now)
    if StartTime is not None and StartTime > end:
        raise InvalidParameterValue("The start time must be before the end time.")
    start = None if StartTime is None else max(StartTime, now - HISTORY)
    for product in ProductDescriptions or []:
        if product not in PRODUCTS:
            raise InvalidParameterValue(f"Invalid product description: {product}")
    zones = [(z.name, z.zone_id) for z in backend.zones.values()]
    if AvailabilityZone or AvailabilityZoneId:
        zone_name = zone_of(
            ctx, {"AvailabilityZone": AvailabilityZone, "AvailabilityZoneId": AvailabilityZoneId}
        )
        zones = [z for z in zones if z[0] == zone_name]
    types = InstanceTypes or _exact(Filters, "instance-type") or list(COMMON_TYPES)
    products = ProductDescriptions or _exact(Filters, "product-description") or list(PRODUCTS)
    apply_filters([], Filters, PRICES, ctx.operation_model)  # refuses unknown filters
    # EC2 pages the history 1000 entries at a time; it is generated only as far as needed
    size = 1000 if MaxResults is None else MaxResults
    points = price_history(types, zones, products, start, end)
    page(ctx, [], None, NextToken)  # refuses a token that is not this operation's
    needed = _token_offset(NextToken) + size
    wanted: list[Any] = []
    while len(wanted) <= needed:
        chunk = list(itertools.islice(points, _CHUNK))
        wanted.extend(apply_filters(chunk, Filters, PRICES, ctx.operation_model))
        if len(chunk) < _CHUNK:
            break
    shown, token = page(ctx, wanted, size, NextToken, low=1, high=1000)
    result: DescribeSpotPriceHistoryResult = {"SpotPriceHistory": [p.describe() for p in shown]}
    if token:
        result["NextToken"] = token
    return result


def _token_offset(token: str | None) -> int:
    if not token:
        return 0
    padded = token + "=" * (-len(token) % 4)
    return int(base64.urlsafe_b64decode(padded).decode().partition(":")[2])


def _exact(filters: list[Filter] | None, name: str) -> list[str] | None:
    for spec in filters or []:
        values = spec.get("Values") or []
        if spec.get("Name") == name and values and not any("*" in v or "?" in v for v in values):
            return list(values)
    return None


# -- the data feed: one per account, whatever the region


def _feeds(ctx: Ctx) -> dict[str, SpotDatafeedSubscription]:
    return cast(
        "dict[str, SpotDatafeedSubscription]", ctx.backend.shared.setdefault("spot_datafeeds", {})
    )


_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")


@operation("CreateSpotDatafeedSubscription")
def create_spot_datafeed_subscription(
    ctx: Ctx, *, Bucket: str, Prefix: str | None = None
) -> CreateSpotDatafeedSubscriptionResult:
    if not _BUCKET.match(Bucket):
        raise InvalidParameterValue(f"The bucket name '{Bucket}' is not valid.")
    commit()
    feed: SpotDatafeedSubscription = {
        "Bucket": Bucket,
        "OwnerId": ctx.account_id,
        "State": "Active",  # type: ignore[typeddict-item]
    }
    if Prefix:
        feed["Prefix"] = Prefix
    _feeds(ctx)[ctx.account_id] = feed
    return {"SpotDatafeedSubscription": feed}


def _feed_not_found() -> ServiceError:
    return ServiceError(
        "The Spot Instance data feed subscription does not exist.",
        code="InvalidSpotDatafeed.NotFound",
    )


@operation("DescribeSpotDatafeedSubscription")
def describe_spot_datafeed_subscription(ctx: Ctx) -> DescribeSpotDatafeedSubscriptionResult:
    feed = _feeds(ctx).get(ctx.account_id)
    if feed is None:
        raise _feed_not_found()
    return {"SpotDatafeedSubscription": feed}


@operation("DeleteSpotDatafeedSubscription")
def delete_spot_datafeed_subscription(ctx: Ctx) -> None:
    feeds = _feeds(ctx)
    if ctx.account_id not in feeds:
        raise _feed_not_found()
    commit()
    del feeds[ctx.account_id]


# -- placement scores

MAX_TARGET_CAPACITY = 2_000_000


@operation("GetSpotPlacementScores")
def get_spot_placement_scores(
    ctx: Ctx,
    *,
    TargetCapacity: int,
    InstanceTypes: list[str] | None = None,
    TargetCapacityUnitType: str | None = None,
    SingleAvailabilityZone: bool = False,
    RegionNames: list[str] | None = None,
    InstanceRequirementsWithMetadata: InstanceRequirementsWithMetadataRequest | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
    IncludeLocalZones: bool = False,
) -> GetSpotPlacementScoresResult:
    if not 1 <= TargetCapacity <= MAX_TARGET_CAPACITY:
        raise InvalidParameterValue(
            f"Invalid value '{TargetCapacity}' for TargetCapacity. It must be between 1 and "
            f"{MAX_TARGET_CAPACITY}."
        )
    if bool(InstanceTypes) == bool(InstanceRequirementsWithMetadata):
        raise InvalidParameterCombination(
            "Specify either InstanceTypes or InstanceRequirementsWithMetadata, but not both."
        )
    if TargetCapacityUnitType not in (None, "units", "vcpu", "memory-mib"):
        raise InvalidParameterValue(
            f"Invalid value '{TargetCapacityUnitType}' for TargetCapacityUnitType."
        )
    if InstanceRequirementsWithMetadata is not None and TargetCapacityUnitType is None:
        raise MissingParameter("TargetCapacityUnitType")
    regions = all_regions()
    names = RegionNames or [ctx.region]
    for name in names:
        if name not in regions:
            raise InvalidParameterValue(f"Invalid region: {name}")
    asked = (
        tuple(sorted(InstanceTypes or ())),
        repr(sorted((InstanceRequirementsWithMetadata or {}).items())),
        TargetCapacity,
        TargetCapacityUnitType or "units",
    )
    scores: list[SpotPlacementScore] = []
    for name in names:
        if SingleAvailabilityZone:
            for zone in regions[name].zones:
                # a bigger target is harder to place in one zone
                score = placement_score(*asked, zone.zone_id)
                scores.append({"Region": name, "AvailabilityZoneId": zone.zone_id, "Score": score})
        else:
            scores.append({"Region": name, "Score": placement_score(*asked, name)})
    # the best places first, as EC2 ranks them
    scores.sort(key=lambda s: -s["Score"])
    # IncludeLocalZones: cloudmock's regions have no Local Zones to add
    shown, token = page(ctx, scores, MaxResults, NextToken, low=10, high=1000)
    result: GetSpotPlacementScoresResult = {"SpotPlacementScores": shown}
    if token:
        result["NextToken"] = token
    return result
