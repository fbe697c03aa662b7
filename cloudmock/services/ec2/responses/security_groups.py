"""Security groups, their rules, and their VPC associations."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cloudmock.core.plugin import operation
from cloudmock.services.ec2.dryrun import commit
from cloudmock.services.ec2.filters import FilterSet, apply_filters
from cloudmock.services.ec2.models.security_groups import (
    SECURITY_GROUP_FILTERS,
    SECURITY_GROUP_FOR_VPC_FILTERS,
    SECURITY_GROUP_RULE_FILTERS,
    VPC_ASSOCIATION_FILTERS,
    RuleSpec,
    SecurityGroup,
    SecurityGroups,
)
from cloudmock.services.ec2.models.tags import tag_specifications
from cloudmock.services.ec2.responses.common import Ctx, page, select

if TYPE_CHECKING:
    from cloudmock.services.ec2.shapes import (
        AssociateSecurityGroupVpcResult,
        AuthorizeSecurityGroupEgressResult,
        AuthorizeSecurityGroupIngressResult,
        CreateSecurityGroupResult,
        DeleteSecurityGroupResult,
        DescribeSecurityGroupReferencesResult,
        DescribeSecurityGroupRulesResult,
        DescribeSecurityGroupsResult,
        DescribeSecurityGroupVpcAssociationsResult,
        DescribeStaleSecurityGroupsResult,
        DisassociateSecurityGroupVpcResult,
        Filter,
        GetSecurityGroupsForVpcResult,
        IpPermission,
        ModifySecurityGroupRulesResult,
        RevokeSecurityGroupEgressResult,
        RevokeSecurityGroupIngressResult,
        SecurityGroupRuleDescription,
        SecurityGroupRuleUpdate,
        TagSpecification,
        UpdateSecurityGroupRuleDescriptionsEgressResult,
        UpdateSecurityGroupRuleDescriptionsIngressResult,
        ValidateSecurityGroupQuotasForInterfaceResult,
    )

GROUPS: FilterSet[Any] = FilterSet(SECURITY_GROUP_FILTERS, indexes={"vpc-id": "vpc"})
RULES: FilterSet[Any] = FilterSet(SECURITY_GROUP_RULE_FILTERS, indexes={"group-id": "group"})
GROUPS_FOR_VPC: FilterSet[Any] = FilterSet(SECURITY_GROUP_FOR_VPC_FILTERS)
ASSOCIATIONS: FilterSet[Any] = FilterSet(VPC_ASSOCIATION_FILTERS)


def _family(ctx: Ctx) -> SecurityGroups:
    return ctx.backend.security_groups


# -- groups


@operation("CreateSecurityGroup")
def create_security_group(
    ctx: Ctx,
    *,
    Description: str,
    GroupName: str,
    VpcId: str | None = None,
    TagSpecifications: list[TagSpecification] | None = None,
) -> CreateSecurityGroupResult:
    family = _family(ctx)
    tags = tag_specifications(TagSpecifications, ["security-group"]).get("security-group", {})
    vpc_id = family.check_create(GroupName, Description, VpcId)
    commit()
    group = family.create(GroupName, Description, vpc_id, tags)
    result: CreateSecurityGroupResult = {
        "GroupId": group.id,
        "SecurityGroupArn": group.arn,
    }
    if group.tags:
        result["Tags"] = group.tag_list()
    return result


@operation("DeleteSecurityGroup")
def delete_security_group(
    ctx: Ctx, *, GroupId: str | None = None, GroupName: str | None = None
) -> DeleteSecurityGroupResult:
    family = _family(ctx)
    group = family.check_delete(GroupId, GroupName)
    commit()
    family.delete(group)
    return {"Return": True, "GroupId": group.id}


@operation("DescribeSecurityGroups", filters=GROUPS)
def describe_security_groups(
    ctx: Ctx,
    *,
    GroupIds: list[str] | None = None,
    GroupNames: list[str] | None = None,
    NextToken: str | None = None,
    MaxResults: int | None = None,
    Filters: list[Filter] | None = None,
) -> DescribeSecurityGroupsResult:
    network = ctx.backend.vpcs
    family = _family(ctx)
    groups = select(ctx, family.store, GroupIds, Filters, GROUPS)
    if GroupNames:
        # Names are looked up in the default VPC, as EC2 does.
        vpc_id = network.default_vpc_id or "none"
        named = {family.group_by_name(vpc_id, name).id for name in GroupNames}
        groups = [g for g in groups if g.id in named]
    shown, token = page(ctx, groups, MaxResults, NextToken)
    result: DescribeSecurityGroupsResult = {"SecurityGroups": [g.describe() for g in shown]}
    if token:
        result["NextToken"] = token
    return result


# -- rules


def _specs(
    ctx: Ctx,
    group: SecurityGroup,
    permissions: list[IpPermission] | None,
    cidr_ip: str | None,
    protocol: str | None,
    from_port: int | None,
    to_port: int | None,
    source_name: str | None,
    source_owner: str | None,
    existing: bool = False,
) -> list[RuleSpec]:
    family = _family(ctx)
    specs = family.legacy_specs(
        group,
        cidr_ip=cidr_ip,
        protocol=protocol,
        from_port=from_port,
        to_port=to_port,
        source_name=source_name,
        source_owner=source_owner,
    )
    return specs + family.parse_permissions(group, permissions, existing)  # type: ignore[arg-type]


def _authorize(
    ctx: Ctx,
    egress: bool,
    group: SecurityGroup,
    specs: list[RuleSpec],
    tag_specs: list[TagSpecification] | None,
) -> dict[str, Any]:
    family = _family(ctx)
    tags = tag_specifications(tag_specs, ["security-group-rule"]).get("security-group-rule", {})
    family.check_authorize(group, egress, specs)
    commit()
    rules = family.authorize(group, egress, specs, tags)
    return {"Return": True, "SecurityGroupRules": [rule.describe() for rule in rules]}


@operation("AuthorizeSecurityGroupIngress")
def authorize_security_group_ingress(
    ctx: Ctx,
    *,
    CidrIp: str | None = None,
    FromPort: int | None = None,
    GroupId: str | None = None,
    GroupName: str | None = None,
    IpPermissions: list[IpPermission] | None = None,
    IpProtocol: str | None = None,
    SourceSecurityGroupName: str | None = None,
    SourceSecurityGroupOwnerId: str | None = None,
    ToPort: int | None = None,
    TagSpecifications: list[TagSpecification] | None = None,
) -> AuthorizeSecurityGroupIngressResult:
    group = _family(ctx).named(GroupId, GroupName)
    specs = _specs(
        ctx,
        group,
        IpPermissions,
        CidrIp,
        IpProtocol,
        FromPort,
        ToPort,
        SourceSecurityGroupName,
        SourceSecurityGroupOwnerId,
    )
    return _authorize(ctx, False, group, specs, TagSpecifications)  # type: ignore[return-value]


@operation("AuthorizeSecurityGroupEgress")
def authorize_security_group_egress(
    ctx: Ctx,
    *,
    GroupId: str,
    TagSpecifications: list[TagSpecification] | None = None,
    SourceSecurityGroupName: str | None = None,
    SourceSecurityGroupOwnerId: str | None = None,
    IpProtocol: str | None = None,
    FromPort: int | None = None,
    ToPort: int | None = None,
    CidrIp: str | None = None,
    IpPermissions: list[IpPermission] | None = None,
) -> AuthorizeSecurityGroupEgressResult:
    group = _family(ctx).store.get(GroupId)
    specs = _specs(
        ctx,
        group,
        IpPermissions,
        CidrIp,
        IpProtocol,
        FromPort,
        ToPort,
        SourceSecurityGroupName,
        SourceSecurityGroupOwnerId,
    )
    return _authorize(ctx, True, group, specs, TagSpecifications)  # type: ignore[return-value]


def _revoke(
    ctx: Ctx,
    egress: bool,
    group: SecurityGroup,
    specs: list[RuleSpec],
    rule_ids: list[str] | None,
) -> dict[str, Any]:
    family = _family(ctx)
    rules, unknown = family.check_revoke(group, egress, specs, rule_ids)
    commit()
    family.revoke(group, rules)
    result: dict[str, Any] = {"Return": True}
    if rules:
        result["RevokedSecurityGroupRules"] = [rule.revoked() for rule in rules]
    if unknown:
        result["UnknownIpPermissions"] = [spec.permission() for spec in unknown]
    return result


@operation("RevokeSecurityGroupIngress")
def revoke_security_group_ingress(
    ctx: Ctx,
    *,
    CidrIp: str | None = None,
    FromPort: int | None = None,
    GroupId: str | None = None,
    GroupName: str | None = None,
    IpPermissions: list[IpPermission] | None = None,
    IpProtocol: str | None = None,
    SourceSecurityGroupName: str | None = None,
    SourceSecurityGroupOwnerId: str | None = None,
    ToPort: int | None = None,
    SecurityGroupRuleIds: list[str] | None = None,
) -> RevokeSecurityGroupIngressResult:
    group = _family(ctx).named(GroupId, GroupName)
    specs = _specs(
        ctx,
        group,
        IpPermissions,
        CidrIp,
        IpProtocol,
        FromPort,
        ToPort,
        SourceSecurityGroupName,
        SourceSecurityGroupOwnerId,
        existing=True,
    )
    return _revoke(ctx, False, group, specs, SecurityGroupRuleIds)  # type: ignore[return-value]


@operation("RevokeSecurityGroupEgress")
def revoke_security_group_egress(
    ctx: Ctx,
    *,
    GroupId: str,
    SecurityGroupRuleIds: list[str] | None = None,
    SourceSecurityGroupName: str | None = None,
    SourceSecurityGroupOwnerId: str | None = None,
    IpProtocol: str | None = None,
    FromPort: int | None = None,
    ToPort: int | None = None,
    CidrIp: str | None = None,
    IpPermissions: list[IpPermission] | None = None,
) -> RevokeSecurityGroupEgressResult:
    group = _family(ctx).store.get(GroupId)
    specs = _specs(
        ctx,
        group,
        IpPermissions,
        CidrIp,
        IpProtocol,
        FromPort,
        ToPort,
        SourceSecurityGroupName,
        SourceSecurityGroupOwnerId,
        existing=True,
    )
    return _revoke(ctx, True, group, specs, SecurityGroupRuleIds)  # type: ignore[return-value]


def _exact_group_ids(filters: list[Filter] | None) -> list[str] | None:
    for spec in filters or ():
        values = spec.get("Values") or []
        if (
            spec.get("Name") == "group-id"
            and values
            and not any("*" in v or "?" in v or "\\" in v for v in values)
        ):
            return values
    return None


@operation("DescribeSecurityGroupRules", filters=RULES)
def describe_security_group_rules(
    ctx: Ctx,
    *,
    Filters: list[Filter] | None = None,
    SecurityGroupRuleIds: list[str] | None = None,
    NextToken: str | None = None,
    MaxResults: int | None = None,
) -> DescribeSecurityGroupRulesResult:
    family = _family(ctx)
    exact = _exact_group_ids(Filters)
    if exact is not None and not SecurityGroupRuleIds:
        # The usual question (a group's rules) is an index lookup, then the other filters.
        rules = apply_filters(family.rules_for_groups(exact), Filters, RULES, ctx.operation_model)
    else:
        rules = select(ctx, family.rules, SecurityGroupRuleIds, Filters, RULES)
    shown, token = page(ctx, rules, MaxResults, NextToken)
    result: DescribeSecurityGroupRulesResult = {
        "SecurityGroupRules": [rule.describe() for rule in shown]
    }
    if token:
        result["NextToken"] = token
    return result


@operation("ModifySecurityGroupRules")
def modify_security_group_rules(
    ctx: Ctx, *, GroupId: str, SecurityGroupRules: list[SecurityGroupRuleUpdate]
) -> ModifySecurityGroupRulesResult:
    family = _family(ctx)
    group = family.store.get(GroupId)
    changes = family.check_modify_rules(group, SecurityGroupRules)  # type: ignore[arg-type]
    commit()
    family.modify_rules(group, changes)
    return {"Return": True}


def _update_descriptions(
    ctx: Ctx,
    egress: bool,
    group: SecurityGroup,
    permissions: list[IpPermission] | None,
    by_id: list[SecurityGroupRuleDescription] | None,
) -> None:
    family = _family(ctx)
    specs = family.parse_permissions(group, permissions, existing=True)  # type: ignore[arg-type]
    updates = family.check_descriptions(group, egress, specs, by_id)  # type: ignore[arg-type]
    commit()
    for rule, description in updates:
        rule.description = description


@operation("UpdateSecurityGroupRuleDescriptionsIngress")
def update_security_group_rule_descriptions_ingress(
    ctx: Ctx,
    *,
    GroupId: str | None = None,
    GroupName: str | None = None,
    IpPermissions: list[IpPermission] | None = None,
    SecurityGroupRuleDescriptions: list[SecurityGroupRuleDescription] | None = None,
) -> UpdateSecurityGroupRuleDescriptionsIngressResult:
    group = _family(ctx).named(GroupId, GroupName)
    _update_descriptions(ctx, False, group, IpPermissions, SecurityGroupRuleDescriptions)
    return {"Return": True}


@operation("UpdateSecurityGroupRuleDescriptionsEgress")
def update_security_group_rule_descriptions_egress(
    ctx: Ctx,
    *,
    GroupId: str | None = None,
    GroupName: str | None = None,
    IpPermissions: list[IpPermission] | None = None,
    SecurityGroupRuleDescriptions: list[SecurityGroupRuleDescription] | None = None,
) -> UpdateSecurityGroupRuleDescriptionsEgressResult:
    group = _family(ctx).named(GroupId, GroupName)
    _update_descriptions(ctx, True, group, IpPermissions, SecurityGroupRuleDescriptions)
    return {"Return": True}


# -- VPC associations, references, stale rules


@operation("AssociateSecurityGroupVpc")
def associate_security_group_vpc(
    ctx: Ctx, *, GroupId: str, VpcId: str
) -> AssociateSecurityGroupVpcResult:
    family = _family(ctx)
    group = family.check_associate(GroupId, VpcId)
    commit()
    association = family.associate(group, VpcId)
    return {"State": association.state}


@operation("DisassociateSecurityGroupVpc")
def disassociate_security_group_vpc(
    ctx: Ctx, *, GroupId: str, VpcId: str
) -> DisassociateSecurityGroupVpcResult:
    family = _family(ctx)
    association = family.check_disassociate(GroupId, VpcId)
    commit()
    family.disassociate(association)
    return {"State": association.state}


@operation("DescribeSecurityGroupVpcAssociations", filters=ASSOCIATIONS)
def describe_security_group_vpc_associations(
    ctx: Ctx,
    *,
    Filters: list[Filter] | None = None,
    NextToken: str | None = None,
    MaxResults: int | None = None,
) -> DescribeSecurityGroupVpcAssociationsResult:
    items = apply_filters(
        list(_family(ctx).associations), Filters, ASSOCIATIONS, ctx.operation_model
    )
    shown, token = page(ctx, items, MaxResults, NextToken)
    result: DescribeSecurityGroupVpcAssociationsResult = {
        "SecurityGroupVpcAssociations": [a.describe() for a in shown]
    }
    if token:
        result["NextToken"] = token
    return result


@operation("GetSecurityGroupsForVpc", filters=GROUPS_FOR_VPC)
def get_security_groups_for_vpc(
    ctx: Ctx,
    *,
    VpcId: str,
    NextToken: str | None = None,
    MaxResults: int | None = None,
    Filters: list[Filter] | None = None,
) -> GetSecurityGroupsForVpcResult:
    groups = apply_filters(
        _family(ctx).for_vpc(VpcId), Filters, GROUPS_FOR_VPC, ctx.operation_model
    )
    shown, token = page(ctx, groups, MaxResults, NextToken)
    result: GetSecurityGroupsForVpcResult = {
        "SecurityGroupForVpcs": [g.describe_for_vpc() for g in shown]
    }
    if token:
        result["NextToken"] = token
    return result


@operation("DescribeSecurityGroupReferences")
def describe_security_group_references(
    ctx: Ctx, *, GroupId: list[str]
) -> DescribeSecurityGroupReferencesResult:
    return {"SecurityGroupReferenceSet": _family(ctx).references_to(GroupId)}


@operation("DescribeStaleSecurityGroups")
def describe_stale_security_groups(
    ctx: Ctx,
    *,
    VpcId: str,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> DescribeStaleSecurityGroupsResult:
    stale = _family(ctx).stale(VpcId)
    shown, token = page(ctx, stale, MaxResults, NextToken, low=5, high=255)
    result: DescribeStaleSecurityGroupsResult = {"StaleSecurityGroupSet": shown}
    if token:
        result["NextToken"] = token
    return result


@operation("ValidateSecurityGroupQuotasForInterface")
def validate_security_group_quotas_for_interface(
    ctx: Ctx, *, SecurityGroupIds: list[str]
) -> ValidateSecurityGroupQuotasForInterfaceResult:
    valid = _family(ctx).validate_for_interface(SecurityGroupIds)
    # It changes nothing, but it is not a Describe: DryRun answers here.
    commit()
    return {"Valid": valid}
