"""DescribeSecurityGroups."""

from __future__ import annotations

from typing import Any

from cloudmock.core.plugin import Params, RequestContext, operation
from cloudmock.services.ec2.filters import FilterSet
from cloudmock.services.ec2.models.security_groups import SECURITY_GROUP_FILTERS
from cloudmock.services.ec2.responses.common import page, select, with_token

GROUPS: FilterSet[Any] = FilterSet(SECURITY_GROUP_FILTERS)


@operation("DescribeSecurityGroups", filters=GROUPS)
def describe_security_groups(ctx: RequestContext, params: Params) -> dict[str, Any]:
    network = ctx.backend.vpcs
    groups = select(ctx, network.security_groups, params.get("GroupIds"), params, GROUPS)
    names = params.get("GroupNames")
    if names:
        # Names are looked up in the default VPC, as EC2 does.
        named = {network.group_by_name(network.default_vpc_id, name).id for name in names}
        groups = [g for g in groups if g.id in named]
    shown, token = page(ctx, groups, params)
    return with_token({"SecurityGroups": [g.describe() for g in shown]}, token)
