"""DescribeVpcs, DescribeSubnets."""

from __future__ import annotations

from typing import Any

from cloudmock.core.plugin import Params, RequestContext, operation
from cloudmock.services.ec2.filters import FilterSet
from cloudmock.services.ec2.models.vpcs import SUBNET_FILTERS, VPC_FILTERS
from cloudmock.services.ec2.responses.common import page, select, with_token

VPCS: FilterSet[Any] = FilterSet(VPC_FILTERS)
SUBNETS: FilterSet[Any] = FilterSet(SUBNET_FILTERS)


@operation("DescribeVpcs", filters=VPCS)
def describe_vpcs(ctx: RequestContext, params: Params) -> dict[str, Any]:
    vpcs = select(ctx, ctx.backend.vpcs.vpcs, params.get("VpcIds"), params, VPCS)
    shown, token = page(ctx, vpcs, params)
    return with_token({"Vpcs": [v.describe() for v in shown]}, token)


@operation("DescribeSubnets", filters=SUBNETS)
def describe_subnets(ctx: RequestContext, params: Params) -> dict[str, Any]:
    subnets = select(ctx, ctx.backend.vpcs.subnets, params.get("SubnetIds"), params, SUBNETS)
    shown, token = page(ctx, subnets, params)
    return with_token({"Subnets": [s.describe() for s in shown]}, token)
