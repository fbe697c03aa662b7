"""DescribeSecurityGroups."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cloudmock.core.plugin import operation
from cloudmock.services.ec2.filters import FilterSet
from cloudmock.services.ec2.models.security_groups import SECURITY_GROUP_FILTERS
from cloudmock.services.ec2.responses.common import Ctx, page, select

if TYPE_CHECKING:
    from cloudmock.services.ec2.shapes import DescribeSecurityGroupsResult, Filter

GROUPS: FilterSet[Any] = FilterSet(SECURITY_GROUP_FILTERS)


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
    security_groups = ctx.backend.security_groups
    groups = select(ctx, security_groups.store, GroupIds, Filters, GROUPS)
    if GroupNames:
        # Names are looked up in the default VPC, as EC2 does.
        vpc_id = network.default_vpc_id or "none"
        named = {security_groups.group_by_name(vpc_id, name).id for name in GroupNames}
        groups = [g for g in groups if g.id in named]
    shown, token = page(ctx, groups, MaxResults, NextToken)
    result: DescribeSecurityGroupsResult = {"SecurityGroups": [g.describe() for g in shown]}
    if token:
        result["NextToken"] = token
    return result
