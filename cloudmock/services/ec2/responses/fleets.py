"""Spot fleet requests and EC2 fleets."""

from __future__ import annotations

import copy
import re
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from cloudmock.core.errors import (
    InvalidParameterCombination,
    InvalidParameterValue,
    MissingParameter,
    ServiceError,
    UnsupportedParameter,
)
from cloudmock.core.plugin import operation
from cloudmock.services.ec2.dryrun import commit
from cloudmock.services.ec2.filters import FilterSet, apply_filters
from cloudmock.services.ec2.models.fleets import Fleet, Pool
from cloudmock.services.ec2.models.spot import matching_types
from cloudmock.services.ec2.models.tags import tag_specifications
from cloudmock.services.ec2.responses.common import Ctx, page, select
from cloudmock.services.ec2.responses.launch_templates import fit_shape
from cloudmock.services.ec2.responses.spot import launch_spec

if TYPE_CHECKING:
    from cloudmock.services.ec2.models.instances import LaunchSpec
    from cloudmock.services.ec2.shapes import (
        ActiveInstance,
        CancelSpotFleetRequestsResponse,
        CreateFleetResult,
        DeleteFleetsResult,
        DescribeFleetHistoryResult,
        DescribeFleetInstancesResult,
        DescribeFleetsResult,
        DescribeSpotFleetInstancesResponse,
        DescribeSpotFleetRequestHistoryResponse,
        DescribeSpotFleetRequestsResponse,
        Filter,
        FleetLaunchTemplateConfigRequest,
        HistoryRecord,
        LaunchTemplateConfig,
        ModifyFleetResult,
        ModifySpotFleetRequestResponse,
        OnDemandOptionsRequest,
        RequestSpotFleetResponse,
        ReservedCapacityOptionsRequest,
        SpotFleetRequestConfigData,
        SpotOptionsRequest,
        TagSpecification,
        TargetCapacitySpecificationRequest,
    )

_ROLE = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/.+$")
#: template data members a launch takes (the rest of the template stays in the template)
_LAUNCH_MEMBERS = (
    "ImageId",
    "InstanceType",
    "KeyName",
    "SecurityGroupIds",
    "SecurityGroups",
    "UserData",
    "Monitoring",
    "EbsOptimized",
    "BlockDeviceMappings",
    "NetworkInterfaces",
)
#: spot fleets name their allocation strategies in camel case
_STRATEGIES = {
    "lowestPrice": "lowest-price",
    "diversified": "diversified",
    "capacityOptimized": "capacity-optimized",
    "capacityOptimizedPrioritized": "capacity-optimized-prioritized",
    "priceCapacityOptimized": "price-capacity-optimized",
    "prioritized": "prioritized",
}


def _invalid_config(message: str) -> ServiceError:
    return ServiceError(message, code="InvalidSpotFleetRequestConfig")


def _data_tags(items: list[dict[str, Any]] | None) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for spec in items or []:
        kind = out.setdefault(spec.get("ResourceType") or "instance", {})
        for tag in spec.get("Tags") or []:
            kind[tag["Key"]] = tag.get("Value", "")
    return out


def _by_requirements(overrides: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Overrides with InstanceRequirements become one override per matching type."""
    out = []
    for override in overrides:
        requirements = override.get("InstanceRequirements")
        if not requirements:
            out.append(override)
            continue
        if override.get("InstanceType"):
            raise InvalidParameterCombination(
                "InstanceRequirements and InstanceType cannot be specified together."
            )
        types = matching_types(requirements)
        if not types:
            raise InvalidParameterValue("The instance requirements match no instance types.")
        out += [{**override, "InstanceType": t} for t in types]
    return out


def template_pools(ctx: Ctx, configs: list[dict[str, Any]], price_member: str) -> list[Pool]:
    """LaunchTemplateConfigs -> one pool per override (or one for the template alone)."""
    family = ctx.backend.launch_templates
    pools = []
    for config in configs:
        spec = config.get("LaunchTemplateSpecification") or {}
        template = family.find(spec.get("LaunchTemplateId"), spec.get("LaunchTemplateName"))
        version = template.version(spec.get("Version"))
        data = cast("dict[str, Any]", version.data)
        for override in _by_requirements(config.get("Overrides") or [{}]):
            launch = {k: copy.deepcopy(data[k]) for k in _LAUNCH_MEMBERS if k in data}
            placement = dict(data.get("Placement") or {})
            for member in ("InstanceType", "SubnetId", "ImageId", "KeyName", "BlockDeviceMappings"):
                if member in override:
                    launch[member] = override[member]
            if "SubnetId" in override:
                launch.pop("NetworkInterfaces", None)
            placement.update(override.get("Placement") or {})
            for member in ("AvailabilityZone", "AvailabilityZoneId"):
                if member in override:
                    placement[member] = override[member]
            launch["Placement"] = placement
            made = launch_spec(ctx, launch, tags=_data_tags(data.get("TagSpecifications")))
            pools.append(
                Pool(
                    spec=replace(made, launch_template=(template.id, str(version.number))),
                    weight=float(override.get("WeightedCapacity") or 1.0),
                    priority=override.get("Priority"),
                    max_price=override.get(price_member),
                    template=(template.id, template.name, str(version.number)),
                    overrides=dict(override) if override else None,
                )
            )
    return pools


def _caps(spot: str | None, on_demand: str | None) -> dict[str, float]:
    caps = {}
    for lifecycle, value in (("spot", spot), ("on-demand", on_demand)):
        if value is None:
            continue
        try:
            caps[lifecycle] = float(value)
        except ValueError:
            raise InvalidParameterValue(f"Invalid value '{value}' for MaxTotalPrice.") from None
    return caps


def _history(fleet: Fleet, start: datetime, event_type: str | None) -> list[HistoryRecord]:
    records: list[HistoryRecord] = []
    for event in fleet.history:
        if event.time < start or (event_type is not None and event.kind != event_type):
            continue
        info: dict[str, Any] = {"EventSubType": event.sub_type}
        if event.description:
            info["EventDescription"] = event.description
        if event.instance_id:
            info["InstanceId"] = event.instance_id
        records.append(
            {"EventInformation": info, "EventType": event.kind, "Timestamp": event.time}  # type: ignore[typeddict-item]
        )
    return records


def _active(ctx: Ctx, fleet: Fleet) -> list[ActiveInstance]:
    out: list[ActiveInstance] = []
    store = ctx.backend.instances.store
    for instance_id, (index, lifecycle) in fleet.members.items():
        item: ActiveInstance = {
            "InstanceId": instance_id,
            "InstanceType": fleet.pools[index].spec.instance_type,
            "InstanceHealth": "healthy",  # type: ignore[typeddict-item]
        }
        request = ctx.backend.spot.request_of(instance_id) if lifecycle == "spot" else None
        if request is not None:
            item["SpotInstanceRequestId"] = request.id
        if instance_id in store:
            out.append(item)
    return out


# -- spot fleets


def _spot_fleet_shape(fleet: Fleet) -> Any:
    config = dict(fleet.config)
    config.pop("TagSpecifications", None)
    config.update(
        TargetCapacity=fleet.target,
        OnDemandTargetCapacity=fleet.on_demand_target,
        FulfilledCapacity=fleet.capacity(),
        OnDemandFulfilledCapacity=fleet.capacity("on-demand"),
        Type=fleet.fleet_type,
    )
    if fleet.excess_policy:
        config["ExcessCapacityTerminationPolicy"] = fleet.excess_policy
    out: dict[str, Any] = {
        "ActivityStatus": fleet.activity,
        "CreateTime": fleet.created,
        "SpotFleetRequestConfig": config,
        "SpotFleetRequestId": fleet.id,
        "SpotFleetRequestState": fleet.state,
    }
    if fleet.tags:
        out["Tags"] = fleet.tag_list()
    return out


@operation("RequestSpotFleet")
def request_spot_fleet(
    ctx: Ctx, *, SpotFleetRequestConfig: SpotFleetRequestConfigData
) -> RequestSpotFleetResponse:
    config = cast("dict[str, Any]", SpotFleetRequestConfig)
    family = ctx.backend.fleets
    existing = family.by_token("sfr", config.get("ClientToken"))
    if existing is not None:
        return {"SpotFleetRequestId": existing.id}
    role = config.get("IamFleetRole")
    if not role:
        raise MissingParameter("SpotFleetRequestConfig.IamFleetRole")
    if not _ROLE.match(role):
        raise _invalid_config("Parameter: SpotFleetRequestConfig.IamFleetRole is invalid.")
    target = config.get("TargetCapacity")
    if target is None:
        raise MissingParameter("SpotFleetRequestConfig.TargetCapacity")
    on_demand = config.get("OnDemandTargetCapacity") or 0
    if target < 1 or not 0 <= on_demand <= target:
        raise _invalid_config(
            "TargetCapacity must be at least 1 and OnDemandTargetCapacity at most TargetCapacity."
        )
    fleet_type = config.get("Type") or "maintain"
    if fleet_type not in ("request", "maintain"):
        raise _invalid_config(f"Parameter: SpotFleetRequestConfig.Type '{fleet_type}' is invalid.")
    specs = config.get("LaunchSpecifications") or []
    templates = config.get("LaunchTemplateConfigs") or []
    if bool(specs) == bool(templates):
        raise _invalid_config(
            "Specify either LaunchSpecifications or LaunchTemplateConfigs, but not both."
        )
    if config.get("LoadBalancersConfig"):
        raise UnsupportedParameter("RequestSpotFleet", "SpotFleetRequestConfig.LoadBalancersConfig")
    tags = tag_specifications(config.get("TagSpecifications"), ("spot-fleet-request",))
    pools: list[Pool] = []
    for spec in _by_requirements(specs):
        launch = dict(spec)
        launch.pop("InstanceRequirements", None)
        launch["SecurityGroupIdentifiers"] = launch.pop("SecurityGroups", None) or []
        made = launch_spec(ctx, launch, tags=_data_tags(spec.get("TagSpecifications")))
        pools.append(
            Pool(
                spec=made,
                weight=float(spec.get("WeightedCapacity") or 1.0),
                max_price=spec.get("SpotPrice") or config.get("SpotPrice"),
            )
        )
    pools += template_pools(ctx, templates, "SpotPrice")
    if config.get("SpotPrice"):
        pools = [p if p.max_price else replace(p, max_price=config["SpotPrice"]) for p in pools]
    commit()
    now = ctx.backend.clock.now()
    shown = dict(config)
    shown.setdefault("AllocationStrategy", "lowestPrice")
    shown.setdefault("ExcessCapacityTerminationPolicy", "default")
    shown.setdefault("InstanceInterruptionBehavior", "terminate")
    fleet = Fleet(
        id="",
        family="sfr",
        fleet_type=fleet_type,
        pools=pools,
        target=target,
        on_demand_target=on_demand,
        spot_target=None,
        default_capacity_type="spot",
        created=now,
        spot_strategy=_STRATEGIES.get(shown["AllocationStrategy"], "lowest-price"),
        on_demand_strategy=_STRATEGIES.get(
            config.get("OnDemandAllocationStrategy") or "", "lowest-price"
        ),
        excess_policy=shown["ExcessCapacityTerminationPolicy"],
        valid_from=config.get("ValidFrom"),
        valid_until=config.get("ValidUntil"),
        client_token=config.get("ClientToken"),
        max_total_price=_caps(config.get("SpotMaxTotalPrice"), config.get("OnDemandMaxTotalPrice")),
        interruption_behavior=shown["InstanceInterruptionBehavior"],
        config=shown,
        tags=tags.get("spot-fleet-request", {}),
    )
    family.create(fleet)
    return {"SpotFleetRequestId": fleet.id}


@operation("DescribeSpotFleetRequests")
def describe_spot_fleet_requests(
    ctx: Ctx,
    *,
    SpotFleetRequestIds: list[str] | None = None,
    NextToken: str | None = None,
    MaxResults: int | None = None,
) -> DescribeSpotFleetRequestsResponse:
    store = ctx.backend.fleets.spot_fleets
    fleets = store.get_many(SpotFleetRequestIds) if SpotFleetRequestIds else list(store)
    shown, token = page(ctx, fleets, MaxResults, NextToken, low=1, high=1000)
    result: DescribeSpotFleetRequestsResponse = {
        "SpotFleetRequestConfigs": [_spot_fleet_shape(f) for f in shown]
    }
    if token:
        result["NextToken"] = token
    return result


@operation("DescribeSpotFleetInstances")
def describe_spot_fleet_instances(
    ctx: Ctx,
    *,
    SpotFleetRequestId: str,
    NextToken: str | None = None,
    MaxResults: int | None = None,
) -> DescribeSpotFleetInstancesResponse:
    fleet = ctx.backend.fleets.spot_fleets.get(SpotFleetRequestId)
    shown, token = page(ctx, _active(ctx, fleet), MaxResults, NextToken, low=1, high=1000)
    result: DescribeSpotFleetInstancesResponse = {
        "ActiveInstances": shown,
        "SpotFleetRequestId": fleet.id,
    }
    if token:
        result["NextToken"] = token
    return result


@operation("DescribeSpotFleetRequestHistory")
def describe_spot_fleet_request_history(
    ctx: Ctx,
    *,
    SpotFleetRequestId: str,
    StartTime: datetime,
    EventType: str | None = None,
    NextToken: str | None = None,
    MaxResults: int | None = None,
) -> DescribeSpotFleetRequestHistoryResponse:
    fleet = ctx.backend.fleets.spot_fleets.get(SpotFleetRequestId)
    records = _history(fleet, StartTime, EventType)
    shown, token = page(ctx, records, MaxResults, NextToken, low=1, high=1000)
    result: DescribeSpotFleetRequestHistoryResponse = {
        "HistoryRecords": shown,
        "LastEvaluatedTime": ctx.backend.clock.now(),
        "SpotFleetRequestId": fleet.id,
        "StartTime": StartTime,
    }
    if token:
        result["NextToken"] = token
    return result


@operation("ModifySpotFleetRequest")
def modify_spot_fleet_request(
    ctx: Ctx,
    *,
    SpotFleetRequestId: str,
    LaunchTemplateConfigs: list[LaunchTemplateConfig] | None = None,
    OnDemandTargetCapacity: int | None = None,
    Context: str | None = None,
    TargetCapacity: int | None = None,
    ExcessCapacityTerminationPolicy: str | None = None,
) -> ModifySpotFleetRequestResponse:
    fleet = ctx.backend.fleets.spot_fleets.get(SpotFleetRequestId)
    target = fleet.target if TargetCapacity is None else TargetCapacity
    on_demand = fleet.on_demand_target if OnDemandTargetCapacity is None else OnDemandTargetCapacity
    if target < 0 or not 0 <= on_demand <= target:
        raise _invalid_config("OnDemandTargetCapacity must be at most TargetCapacity.")
    if LaunchTemplateConfigs and not fleet.config.get("LaunchTemplateConfigs"):
        raise _invalid_config(
            "LaunchTemplateConfigs can be modified only for a Spot Fleet request that uses them."
        )
    _modify(
        ctx,
        fleet,
        LaunchTemplateConfigs,
        "SpotPrice",
        Context,
        target=TargetCapacity,
        on_demand_target=OnDemandTargetCapacity,
        spot_target=None,
        excess_policy=ExcessCapacityTerminationPolicy,
    )
    return {"Return": True}


@operation("CancelSpotFleetRequests")
def cancel_spot_fleet_requests(
    ctx: Ctx, *, SpotFleetRequestIds: list[str], TerminateInstances: bool
) -> CancelSpotFleetRequestsResponse:
    done, failed = _end_fleets(
        ctx,
        ctx.backend.fleets.spot_fleets,
        SpotFleetRequestIds,
        TerminateInstances,
        id_key="SpotFleetRequestId",
        id_code="fleetRequestId",
        wrong_state=("fleetRequestNotInCancellableState", "spot fleet request"),
        state_keys=("PreviousSpotFleetRequestState", "CurrentSpotFleetRequestState"),
    )
    result: CancelSpotFleetRequestsResponse = {}
    if done:
        result["SuccessfulFleetRequests"] = done  # type: ignore[typeddict-item]
    if failed:
        result["UnsuccessfulFleetRequests"] = failed
    return result


# -- EC2 fleets


def _template_and_overrides(ctx: Ctx, pool: Pool) -> Any:
    out: dict[str, Any] = {}
    if pool.template is not None:
        template_id, name, version = pool.template
        out["LaunchTemplateSpecification"] = {
            "LaunchTemplateId": template_id,
            "LaunchTemplateName": name,
            "Version": version,
        }
    if pool.overrides:
        shape = ctx.operation_model.service_model.shape_for("FleetLaunchTemplateOverrides")
        out["Overrides"] = fit_shape(pool.overrides, shape)
    return out


def _fleet_instances(
    ctx: Ctx, fleet: Fleet, launches: list[tuple[int, str, list[str]]]
) -> list[Any]:
    out = []
    for index, lifecycle, ids in launches:
        pool = fleet.pools[index]
        item: dict[str, Any] = {
            "LaunchTemplateAndOverrides": _template_and_overrides(ctx, pool),
            "Lifecycle": lifecycle,
            "InstanceIds": ids,
            "InstanceType": pool.spec.instance_type,
        }
        out.append(item)
    return out


def _fleet_errors(ctx: Ctx, fleet: Fleet) -> list[Any]:
    return [
        {
            "LaunchTemplateAndOverrides": _template_and_overrides(ctx, fleet.pools[index]),
            "Lifecycle": lifecycle,
            "ErrorCode": code,
            "ErrorMessage": message,
        }
        for index, lifecycle, code, message in fleet.errors
    ]


def _fleet_shape(ctx: Ctx, fleet: Fleet) -> Any:
    config = fleet.config
    shape = ctx.operation_model.service_model.shape_for("FleetLaunchTemplateConfig")
    out: dict[str, Any] = {
        "ActivityStatus": fleet.activity,
        "CreateTime": fleet.created,
        "FleetId": fleet.id,
        "FleetState": fleet.state,
        "ClientToken": fleet.client_token or "",
        "ExcessCapacityTerminationPolicy": fleet.excess_policy or "termination",
        "FulfilledCapacity": fleet.capacity(),
        "FulfilledOnDemandCapacity": fleet.capacity("on-demand"),
        "LaunchTemplateConfigs": [fit_shape(c, shape) for c in config["LaunchTemplateConfigs"]],
        "TargetCapacitySpecification": {
            "TotalTargetCapacity": fleet.target,
            "OnDemandTargetCapacity": fleet.on_demand_target,
            "SpotTargetCapacity": fleet.wanted_spot,
            "DefaultTargetCapacityType": fleet.default_capacity_type,
            **(
                {"TargetCapacityUnitType": config["TargetCapacityUnitType"]}
                if config.get("TargetCapacityUnitType")
                else {}
            ),
        },
        "TerminateInstancesWithExpiration": bool(config.get("TerminateInstancesWithExpiration")),
        "Type": fleet.fleet_type,
        "ReplaceUnhealthyInstances": bool(config.get("ReplaceUnhealthyInstances")),
        "SpotOptions": {"AllocationStrategy": fleet.spot_strategy, **config.get("SpotOptions", {})},
        "OnDemandOptions": {
            "AllocationStrategy": fleet.on_demand_strategy,
            **config.get("OnDemandOptions", {}),
        },
    }
    for member in ("ValidFrom", "ValidUntil", "Context", "ReservedCapacityOptions"):
        if config.get(member) is not None:
            out[member] = config[member]
    if fleet.tags:
        out["Tags"] = fleet.tag_list()
    if fleet.fleet_type == "instant":
        out["Instances"] = _fleet_instances(ctx, fleet, fleet.launches)
        out["Errors"] = _fleet_errors(ctx, fleet)
    fleet_shape = ctx.operation_model.service_model.shape_for("FleetData")
    return fit_shape(out, fleet_shape)


def _with_instance_tags(spec: LaunchSpec, extra: dict[str, str]) -> LaunchSpec:
    tags = {kind: dict(values) for kind, values in spec.tags}
    tags["instance"] = {**tags.get("instance", {}), **extra}
    return replace(spec, tags=tuple((kind, tuple(t.items())) for kind, t in tags.items()))


FLEET_FILTERS = {
    "activity-status": lambda f: f.activity,
    "excess-capacity-termination-policy": lambda f: f.excess_policy or "termination",
    "fleet-state": lambda f: f.state,
    "replace-unhealthy-instances": lambda f: bool(f.config.get("ReplaceUnhealthyInstances")),
    "type": lambda f: f.fleet_type,
}
FLEETS: FilterSet[Any] = FilterSet(FLEET_FILTERS)
FLEET_INSTANCES: FilterSet[Any] = FilterSet({"instance-type": lambda a: a["InstanceType"]})


@operation("CreateFleet")
def create_fleet(
    ctx: Ctx,
    *,
    LaunchTemplateConfigs: list[FleetLaunchTemplateConfigRequest],
    TargetCapacitySpecification: TargetCapacitySpecificationRequest,
    ClientToken: str | None = None,
    SpotOptions: SpotOptionsRequest | None = None,
    OnDemandOptions: OnDemandOptionsRequest | None = None,
    ReservedCapacityOptions: ReservedCapacityOptionsRequest | None = None,
    ExcessCapacityTerminationPolicy: str | None = None,
    TerminateInstancesWithExpiration: bool | None = None,
    Type: str | None = None,
    ValidFrom: datetime | None = None,
    ValidUntil: datetime | None = None,
    ReplaceUnhealthyInstances: bool | None = None,
    TagSpecifications: list[TagSpecification] | None = None,
    Context: str | None = None,
) -> CreateFleetResult:
    family = ctx.backend.fleets
    existing = family.by_token("fleet", ClientToken)
    if existing is not None:
        result: CreateFleetResult = {"FleetId": existing.id}
        if existing.fleet_type == "instant":
            result["Instances"] = _fleet_instances(ctx, existing, existing.launches)
            result["Errors"] = _fleet_errors(ctx, existing)
        return result
    fleet_type = Type or "maintain"
    if fleet_type not in ("request", "maintain", "instant"):
        raise InvalidParameterValue(f"Invalid value '{fleet_type}' for Type.")
    capacity = cast("dict[str, Any]", TargetCapacitySpecification)
    total = capacity.get("TotalTargetCapacity")
    if total is None:
        raise MissingParameter("TargetCapacitySpecification.TotalTargetCapacity")
    default_type = capacity.get("DefaultTargetCapacityType") or "on-demand"
    if default_type not in ("spot", "on-demand"):
        raise UnsupportedParameter("CreateFleet", f"DefaultTargetCapacityType {default_type}")
    on_demand = capacity.get("OnDemandTargetCapacity") or 0
    spot = capacity.get("SpotTargetCapacity") or 0
    if total < 0 or on_demand + spot > total:
        raise InvalidParameterValue(
            "The sum of OnDemandTargetCapacity and SpotTargetCapacity cannot exceed "
            "TotalTargetCapacity."
        )
    if default_type == "spot":
        spot = total - on_demand
    else:
        on_demand = total - spot
    if ReplaceUnhealthyInstances and fleet_type != "maintain":
        raise InvalidParameterCombination(
            "ReplaceUnhealthyInstances is supported only for fleets of type 'maintain'."
        )
    kinds = ("fleet", "instance") if fleet_type == "instant" else ("fleet",)
    tags = tag_specifications(TagSpecifications, kinds)
    if not LaunchTemplateConfigs:
        raise MissingParameter("LaunchTemplateConfigs")
    pools = template_pools(ctx, cast("list[dict[str, Any]]", LaunchTemplateConfigs), "MaxPrice")
    if tags.get("instance"):
        pools = [replace(p, spec=_with_instance_tags(p.spec, tags["instance"])) for p in pools]
    commit()
    config: dict[str, Any] = {
        "LaunchTemplateConfigs": LaunchTemplateConfigs,
        "TerminateInstancesWithExpiration": TerminateInstancesWithExpiration,
        "ReplaceUnhealthyInstances": ReplaceUnhealthyInstances,
        "SpotOptions": dict(SpotOptions or {}),
        "OnDemandOptions": dict(OnDemandOptions or {}),
        "ReservedCapacityOptions": ReservedCapacityOptions,
        "TargetCapacityUnitType": capacity.get("TargetCapacityUnitType"),
        "ValidFrom": ValidFrom,
        "ValidUntil": ValidUntil,
        "Context": Context,
    }
    fleet = Fleet(
        id="",
        family="fleet",
        fleet_type=fleet_type,
        pools=pools,
        target=total,
        on_demand_target=on_demand,
        spot_target=spot,
        default_capacity_type=default_type,
        created=ctx.backend.clock.now(),
        spot_strategy=(SpotOptions or {}).get("AllocationStrategy") or "lowest-price",
        on_demand_strategy=(OnDemandOptions or {}).get("AllocationStrategy") or "lowest-price",
        excess_policy=ExcessCapacityTerminationPolicy,
        valid_from=ValidFrom,
        valid_until=ValidUntil,
        client_token=ClientToken,
        max_total_price=_caps(
            (SpotOptions or {}).get("MaxTotalPrice"), (OnDemandOptions or {}).get("MaxTotalPrice")
        ),
        interruption_behavior=(SpotOptions or {}).get("InstanceInterruptionBehavior")
        or "terminate",
        config=config,
        tags=tags.get("fleet", {}),
    )
    family.create(fleet)
    result = {"FleetId": fleet.id}
    if fleet_type == "instant":
        result["Instances"] = _fleet_instances(ctx, fleet, fleet.launches)
        result["Errors"] = _fleet_errors(ctx, fleet)
    return result


@operation("DescribeFleets", filters=FLEETS)
def describe_fleets(
    ctx: Ctx,
    *,
    FleetIds: list[str] | None = None,
    Filters: list[Filter] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> DescribeFleetsResult:
    fleets = select(ctx, ctx.backend.fleets.fleets, FleetIds, Filters, FLEETS)
    shown, token = page(ctx, fleets, MaxResults, NextToken, low=1, high=1000)
    result: DescribeFleetsResult = {"Fleets": [_fleet_shape(ctx, f) for f in shown]}
    if token:
        result["NextToken"] = token
    return result


@operation("DescribeFleetInstances", filters=FLEET_INSTANCES)
def describe_fleet_instances(
    ctx: Ctx,
    *,
    FleetId: str,
    Filters: list[Filter] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> DescribeFleetInstancesResult:
    fleet = ctx.backend.fleets.fleets.get(FleetId)
    active = apply_filters(_active(ctx, fleet), Filters, FLEET_INSTANCES, ctx.operation_model)  # type: ignore[arg-type]
    shown, token = page(ctx, active, MaxResults, NextToken, low=1, high=1000)
    result: DescribeFleetInstancesResult = {"ActiveInstances": shown, "FleetId": fleet.id}
    if token:
        result["NextToken"] = token
    return result


@operation("DescribeFleetHistory")
def describe_fleet_history(
    ctx: Ctx,
    *,
    FleetId: str,
    StartTime: datetime,
    EventType: str | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> DescribeFleetHistoryResult:
    fleet = ctx.backend.fleets.fleets.get(FleetId)
    records = _history(fleet, StartTime, EventType)
    shown, token = page(ctx, records, MaxResults, NextToken, low=1, high=1000)
    result: DescribeFleetHistoryResult = {
        "HistoryRecords": shown,  # type: ignore[typeddict-item]
        "LastEvaluatedTime": ctx.backend.clock.now(),
        "FleetId": fleet.id,
        "StartTime": StartTime,
    }
    if token:
        result["NextToken"] = token
    return result


@operation("ModifyFleet")
def modify_fleet(
    ctx: Ctx,
    *,
    FleetId: str,
    ExcessCapacityTerminationPolicy: str | None = None,
    LaunchTemplateConfigs: list[FleetLaunchTemplateConfigRequest] | None = None,
    TargetCapacitySpecification: TargetCapacitySpecificationRequest | None = None,
    Context: str | None = None,
) -> ModifyFleetResult:
    fleet = ctx.backend.fleets.fleets.get(FleetId)
    capacity = cast("dict[str, Any]", TargetCapacitySpecification or {})
    total = capacity.get("TotalTargetCapacity")
    on_demand = capacity.get("OnDemandTargetCapacity")
    spot = capacity.get("SpotTargetCapacity")
    if total is not None and (on_demand is None and spot is None):
        # the change goes to the default capacity type
        if fleet.default_capacity_type == "spot":
            spot = total - fleet.on_demand_target
        else:
            on_demand = total - fleet.wanted_spot
    new_total = fleet.target if total is None else total
    new_od = fleet.on_demand_target if on_demand is None else on_demand
    new_spot = fleet.wanted_spot if spot is None else spot
    if new_total < 0 or new_od < 0 or new_spot < 0 or new_od + new_spot > new_total:
        raise InvalidParameterValue(
            "The sum of OnDemandTargetCapacity and SpotTargetCapacity cannot exceed "
            "TotalTargetCapacity."
        )
    _modify(
        ctx,
        fleet,
        LaunchTemplateConfigs,
        "MaxPrice",
        Context,
        target=total,
        on_demand_target=on_demand,
        spot_target=spot,
        excess_policy=ExcessCapacityTerminationPolicy,
    )
    return {"Return": True}


def _modify(
    ctx: Ctx,
    fleet: Fleet,
    configs: Any,
    price_key: str,
    context: str | None,
    **changes: Any,
) -> None:
    """ModifySpotFleetRequest and ModifyFleet alike: new capacities and launch configs
    (``price_key``: what each kind of fleet calls an override's price)."""
    pools = (
        template_pools(ctx, cast("list[dict[str, Any]]", configs), price_key) if configs else None
    )
    ctx.backend.fleets.modify(fleet, pools=pools, **changes)
    if context is not None:
        fleet.config["Context"] = context
    if configs:
        fleet.config["LaunchTemplateConfigs"] = configs


@operation("DeleteFleets")
def delete_fleets(ctx: Ctx, *, FleetIds: list[str], TerminateInstances: bool) -> DeleteFleetsResult:
    done, failed = _end_fleets(
        ctx,
        ctx.backend.fleets.fleets,
        FleetIds,
        TerminateInstances,
        id_key="FleetId",
        id_code="fleetId",
        wrong_state=("fleetNotInDeletableState", "fleet"),
        state_keys=("PreviousFleetState", "CurrentFleetState"),
    )
    result: DeleteFleetsResult = {}
    if done:
        result["SuccessfulFleetDeletions"] = done  # type: ignore[typeddict-item]
    if failed:
        result["UnsuccessfulFleetDeletions"] = failed
    return result


def _end_fleets(
    ctx: Ctx,
    store: Any,
    ids: list[str],
    terminate: bool,
    *,
    id_key: str,
    id_code: str,
    wrong_state: tuple[str, str],
    state_keys: tuple[str, str],
) -> tuple[list[Any], list[Any]]:
    """CancelSpotFleetRequests and DeleteFleets alike: each fleet ended, or why not
    (the two differ only in their member names and error codes)."""
    family = ctx.backend.fleets
    found: list[Fleet] = []
    failed: list[Any] = []
    for fleet_id in dict.fromkeys(ids):
        try:
            fleet = store.get(fleet_id)
        except ServiceError as error:
            kind = "Malformed" if error.code.endswith("Malformed") else "DoesNotExist"
            failed.append(
                {id_key: fleet_id, "Error": {"Code": f"{id_code}{kind}", "Message": error.message}}
            )
            continue
        if not fleet.live:
            code, noun = wrong_state
            message = f"The {noun} {fleet_id} is {fleet.state}."
            failed.append({id_key: fleet_id, "Error": {"Code": code, "Message": message}})
            continue
        found.append(fleet)
    commit()
    done = []
    for fleet in found:
        previous, current = family.cancel(fleet, terminate)
        done.append({id_key: fleet.id, state_keys[0]: previous, state_keys[1]: current})
    return done, failed
