"""Traffic mirroring: filters, filter rules, targets and sessions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cloudmock.core.errors import InvalidParameterValue
from cloudmock.core.plugin import operation
from cloudmock.services.ec2.filters import FilterSet, apply_filters
from cloudmock.services.ec2.models.tags import tag_specifications
from cloudmock.services.ec2.models.traffic_mirror import (
    FILTER_FILTERS,
    RULE_FILTERS,
    SESSION_FILTERS,
    TARGET_FILTERS,
    RuleChange,
    SessionChange,
)
from cloudmock.services.ec2.responses.common import Ctx, page, select

if TYPE_CHECKING:
    from cloudmock.services.ec2.shapes import (
        CreateTrafficMirrorFilterResult,
        CreateTrafficMirrorFilterRuleResult,
        CreateTrafficMirrorSessionResult,
        CreateTrafficMirrorTargetResult,
        DeleteTrafficMirrorFilterResult,
        DeleteTrafficMirrorFilterRuleResult,
        DeleteTrafficMirrorSessionResult,
        DeleteTrafficMirrorTargetResult,
        DescribeTrafficMirrorFilterRulesResult,
        DescribeTrafficMirrorFiltersResult,
        DescribeTrafficMirrorSessionsResult,
        DescribeTrafficMirrorTargetsResult,
        Filter,
        ModifyTrafficMirrorFilterNetworkServicesResult,
        ModifyTrafficMirrorFilterRuleResult,
        ModifyTrafficMirrorSessionResult,
        TagSpecification,
        TrafficMirrorPortRangeRequest,
    )

FILTERS: FilterSet[Any] = FilterSet(FILTER_FILTERS)
RULES: FilterSet[Any] = FilterSet(RULE_FILTERS)
TARGETS: FilterSet[Any] = FilterSet(TARGET_FILTERS)
SESSIONS: FilterSet[Any] = FilterSet(SESSION_FILTERS)
CLIENT_TOKEN_LIMIT = 64


def _token(token: str | None) -> str | None:
    if token is not None and len(token) > CLIENT_TOKEN_LIMIT:
        raise InvalidParameterValue(
            f"The client token must be at most {CLIENT_TOKEN_LIMIT} characters long."
        )
    return token


def _tags(specs: list[TagSpecification] | None, resource_type: str) -> dict[str, str]:
    return tag_specifications(specs, (resource_type,)).get(resource_type, {})


def _ports(spec: TrafficMirrorPortRangeRequest | None) -> tuple[int | None, int | None] | None:
    if spec is None:
        return None
    return spec.get("FromPort"), spec.get("ToPort")


# -- filters


@operation("CreateTrafficMirrorFilter")
def create_traffic_mirror_filter(
    ctx: Ctx,
    *,
    Description: str | None = None,
    TagSpecifications: list[TagSpecification] | None = None,
    ClientToken: str | None = None,
) -> CreateTrafficMirrorFilterResult:
    family = ctx.backend.traffic_mirroring
    mirror_filter = family.create_filter(
        Description, _tags(TagSpecifications, "traffic-mirror-filter"), _token(ClientToken)
    )
    result: CreateTrafficMirrorFilterResult = {
        "TrafficMirrorFilter": family.describe_filter(mirror_filter)
    }
    if ClientToken:
        result["ClientToken"] = ClientToken
    return result


@operation("DeleteTrafficMirrorFilter")
def delete_traffic_mirror_filter(
    ctx: Ctx, *, TrafficMirrorFilterId: str
) -> DeleteTrafficMirrorFilterResult:
    ctx.backend.traffic_mirroring.delete_filter(TrafficMirrorFilterId)
    return {"TrafficMirrorFilterId": TrafficMirrorFilterId}


@operation("DescribeTrafficMirrorFilters", filters=FILTERS)
def describe_traffic_mirror_filters(
    ctx: Ctx,
    *,
    TrafficMirrorFilterIds: list[str] | None = None,
    Filters: list[Filter] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> DescribeTrafficMirrorFiltersResult:
    family = ctx.backend.traffic_mirroring
    found = select(ctx, family.filters, TrafficMirrorFilterIds, Filters, FILTERS)
    shown, token = page(ctx, found, MaxResults, NextToken)
    result: DescribeTrafficMirrorFiltersResult = {
        "TrafficMirrorFilters": [family.describe_filter(f) for f in shown]
    }
    if token:
        result["NextToken"] = token
    return result


@operation("ModifyTrafficMirrorFilterNetworkServices")
def modify_traffic_mirror_filter_network_services(
    ctx: Ctx,
    *,
    TrafficMirrorFilterId: str,
    AddNetworkServices: list[str] | None = None,
    RemoveNetworkServices: list[str] | None = None,
) -> ModifyTrafficMirrorFilterNetworkServicesResult:
    family = ctx.backend.traffic_mirroring
    mirror_filter = family.modify_network_services(
        TrafficMirrorFilterId, AddNetworkServices or [], RemoveNetworkServices or []
    )
    return {"TrafficMirrorFilter": family.describe_filter(mirror_filter)}


# -- filter rules


@operation("CreateTrafficMirrorFilterRule")
def create_traffic_mirror_filter_rule(
    ctx: Ctx,
    *,
    TrafficMirrorFilterId: str,
    TrafficDirection: str,
    RuleNumber: int,
    RuleAction: str,
    DestinationCidrBlock: str,
    SourceCidrBlock: str,
    DestinationPortRange: TrafficMirrorPortRangeRequest | None = None,
    SourcePortRange: TrafficMirrorPortRangeRequest | None = None,
    Protocol: int | None = None,
    Description: str | None = None,
    ClientToken: str | None = None,
    TagSpecifications: list[TagSpecification] | None = None,
) -> CreateTrafficMirrorFilterRuleResult:
    change = RuleChange(
        direction=TrafficDirection,
        number=RuleNumber,
        action=RuleAction,
        destination_cidr=DestinationCidrBlock,
        source_cidr=SourceCidrBlock,
        protocol=Protocol,
        destination_ports=_ports(DestinationPortRange),
        source_ports=_ports(SourcePortRange),
        description=Description,
    )
    rule = ctx.backend.traffic_mirroring.create_rule(
        TrafficMirrorFilterId,
        change,
        _tags(TagSpecifications, "traffic-mirror-filter-rule"),
        _token(ClientToken),
    )
    result: CreateTrafficMirrorFilterRuleResult = {"TrafficMirrorFilterRule": rule.describe()}
    if ClientToken:
        result["ClientToken"] = ClientToken
    return result


@operation("ModifyTrafficMirrorFilterRule")
def modify_traffic_mirror_filter_rule(
    ctx: Ctx,
    *,
    TrafficMirrorFilterRuleId: str,
    TrafficDirection: str | None = None,
    RuleNumber: int | None = None,
    RuleAction: str | None = None,
    DestinationPortRange: TrafficMirrorPortRangeRequest | None = None,
    SourcePortRange: TrafficMirrorPortRangeRequest | None = None,
    Protocol: int | None = None,
    DestinationCidrBlock: str | None = None,
    SourceCidrBlock: str | None = None,
    Description: str | None = None,
    RemoveFields: list[str] | None = None,
) -> ModifyTrafficMirrorFilterRuleResult:
    change = RuleChange(
        direction=TrafficDirection,
        number=RuleNumber,
        action=RuleAction,
        destination_cidr=DestinationCidrBlock,
        source_cidr=SourceCidrBlock,
        protocol=Protocol,
        destination_ports=_ports(DestinationPortRange),
        source_ports=_ports(SourcePortRange),
        description=Description,
        remove=tuple(RemoveFields or ()),
    )
    rule = ctx.backend.traffic_mirroring.modify_rule(TrafficMirrorFilterRuleId, change)
    return {"TrafficMirrorFilterRule": rule.describe()}


@operation("DeleteTrafficMirrorFilterRule")
def delete_traffic_mirror_filter_rule(
    ctx: Ctx, *, TrafficMirrorFilterRuleId: str
) -> DeleteTrafficMirrorFilterRuleResult:
    ctx.backend.traffic_mirroring.delete_rule(TrafficMirrorFilterRuleId)
    return {"TrafficMirrorFilterRuleId": TrafficMirrorFilterRuleId}


@operation("DescribeTrafficMirrorFilterRules", filters=RULES)
def describe_traffic_mirror_filter_rules(
    ctx: Ctx,
    *,
    TrafficMirrorFilterRuleIds: list[str] | None = None,
    TrafficMirrorFilterId: str | None = None,
    Filters: list[Filter] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> DescribeTrafficMirrorFilterRulesResult:
    family = ctx.backend.traffic_mirroring
    if TrafficMirrorFilterId is not None:
        mirror_filter = family.filters.get(TrafficMirrorFilterId)
        rules = family.rules.lookup("filter", mirror_filter.id)
        if TrafficMirrorFilterRuleIds:
            wanted = {r.id for r in family.rules.get_many(TrafficMirrorFilterRuleIds)}
            rules = [r for r in rules if r.id in wanted]
        found = apply_filters(rules, Filters, RULES, ctx.operation_model)
    else:
        found = select(ctx, family.rules, TrafficMirrorFilterRuleIds, Filters, RULES)
    shown, token = page(ctx, found, MaxResults, NextToken)
    result: DescribeTrafficMirrorFilterRulesResult = {
        "TrafficMirrorFilterRules": [r.describe() for r in shown]
    }
    if token:
        result["NextToken"] = token
    return result


# -- targets


@operation("CreateTrafficMirrorTarget")
def create_traffic_mirror_target(
    ctx: Ctx,
    *,
    NetworkInterfaceId: str | None = None,
    NetworkLoadBalancerArn: str | None = None,
    GatewayLoadBalancerEndpointId: str | None = None,
    Description: str | None = None,
    TagSpecifications: list[TagSpecification] | None = None,
    ClientToken: str | None = None,
) -> CreateTrafficMirrorTargetResult:
    target = ctx.backend.traffic_mirroring.create_target(
        NetworkInterfaceId,
        NetworkLoadBalancerArn,
        GatewayLoadBalancerEndpointId,
        Description,
        _tags(TagSpecifications, "traffic-mirror-target"),
        _token(ClientToken),
    )
    result: CreateTrafficMirrorTargetResult = {"TrafficMirrorTarget": target.describe()}
    if ClientToken:
        result["ClientToken"] = ClientToken
    return result


@operation("DeleteTrafficMirrorTarget")
def delete_traffic_mirror_target(
    ctx: Ctx, *, TrafficMirrorTargetId: str
) -> DeleteTrafficMirrorTargetResult:
    ctx.backend.traffic_mirroring.delete_target(TrafficMirrorTargetId)
    return {"TrafficMirrorTargetId": TrafficMirrorTargetId}


@operation("DescribeTrafficMirrorTargets", filters=TARGETS)
def describe_traffic_mirror_targets(
    ctx: Ctx,
    *,
    TrafficMirrorTargetIds: list[str] | None = None,
    Filters: list[Filter] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> DescribeTrafficMirrorTargetsResult:
    store = ctx.backend.traffic_mirroring.targets
    found = select(ctx, store, TrafficMirrorTargetIds, Filters, TARGETS)
    shown, token = page(ctx, found, MaxResults, NextToken)
    result: DescribeTrafficMirrorTargetsResult = {
        "TrafficMirrorTargets": [t.describe() for t in shown]
    }
    if token:
        result["NextToken"] = token
    return result


# -- sessions


@operation("CreateTrafficMirrorSession")
def create_traffic_mirror_session(
    ctx: Ctx,
    *,
    NetworkInterfaceId: str,
    TrafficMirrorTargetId: str,
    TrafficMirrorFilterId: str,
    SessionNumber: int,
    PacketLength: int | None = None,
    VirtualNetworkId: int | None = None,
    Description: str | None = None,
    TagSpecifications: list[TagSpecification] | None = None,
    ClientToken: str | None = None,
) -> CreateTrafficMirrorSessionResult:
    change = SessionChange(
        interface_id=NetworkInterfaceId,
        target_id=TrafficMirrorTargetId,
        filter_id=TrafficMirrorFilterId,
        session_number=SessionNumber,
        packet_length=PacketLength,
        virtual_network_id=VirtualNetworkId,
        description=Description,
    )
    session = ctx.backend.traffic_mirroring.create_session(
        change, _tags(TagSpecifications, "traffic-mirror-session"), _token(ClientToken)
    )
    result: CreateTrafficMirrorSessionResult = {"TrafficMirrorSession": session.describe()}
    if ClientToken:
        result["ClientToken"] = ClientToken
    return result


@operation("ModifyTrafficMirrorSession")
def modify_traffic_mirror_session(
    ctx: Ctx,
    *,
    TrafficMirrorSessionId: str,
    TrafficMirrorTargetId: str | None = None,
    TrafficMirrorFilterId: str | None = None,
    PacketLength: int | None = None,
    SessionNumber: int | None = None,
    VirtualNetworkId: int | None = None,
    Description: str | None = None,
    RemoveFields: list[str] | None = None,
) -> ModifyTrafficMirrorSessionResult:
    change = SessionChange(
        target_id=TrafficMirrorTargetId,
        filter_id=TrafficMirrorFilterId,
        session_number=SessionNumber,
        packet_length=PacketLength,
        virtual_network_id=VirtualNetworkId,
        description=Description,
        remove=tuple(RemoveFields or ()),
    )
    session = ctx.backend.traffic_mirroring.modify_session(TrafficMirrorSessionId, change)
    return {"TrafficMirrorSession": session.describe()}


@operation("DeleteTrafficMirrorSession")
def delete_traffic_mirror_session(
    ctx: Ctx, *, TrafficMirrorSessionId: str
) -> DeleteTrafficMirrorSessionResult:
    ctx.backend.traffic_mirroring.delete_session(TrafficMirrorSessionId)
    return {"TrafficMirrorSessionId": TrafficMirrorSessionId}


@operation("DescribeTrafficMirrorSessions", filters=SESSIONS)
def describe_traffic_mirror_sessions(
    ctx: Ctx,
    *,
    TrafficMirrorSessionIds: list[str] | None = None,
    Filters: list[Filter] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> DescribeTrafficMirrorSessionsResult:
    store = ctx.backend.traffic_mirroring.sessions
    found = select(ctx, store, TrafficMirrorSessionIds, Filters, SESSIONS)
    shown, token = page(ctx, found, MaxResults, NextToken)
    result: DescribeTrafficMirrorSessionsResult = {
        "TrafficMirrorSessions": [s.describe() for s in shown]
    }
    if token:
        result["NextToken"] = token
    return result
