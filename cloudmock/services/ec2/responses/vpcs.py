"""DescribeVpcs, DescribeSubnets."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cloudmock.core.plugin import operation
from cloudmock.services.ec2.filters import FilterSet
from cloudmock.services.ec2.models.vpcs import SUBNET_FILTERS, VPC_FILTERS
from cloudmock.services.ec2.responses.common import Ctx, page, select

if TYPE_CHECKING:
    from cloudmock.services.ec2.shapes import DescribeSubnetsResult, DescribeVpcsResult, Filter

VPCS: FilterSet[Any] = FilterSet(VPC_FILTERS)
SUBNETS: FilterSet[Any] = FilterSet(SUBNET_FILTERS)


@operation("DescribeVpcs", filters=VPCS)
def describe_vpcs(
    ctx: Ctx,
    *,
    Filters: list[Filter] | None = None,
    VpcIds: list[str] | None = None,
    NextToken: str | None = None,
    MaxResults: int | None = None,
) -> DescribeVpcsResult:
    vpcs = select(ctx, ctx.backend.vpcs.vpcs, VpcIds, Filters, VPCS)
    shown, token = page(ctx, vpcs, MaxResults, NextToken)
    result: DescribeVpcsResult = {"Vpcs": [v.describe() for v in shown]}
    if token:
        result["NextToken"] = token
    return result


@operation("DescribeSubnets", filters=SUBNETS)
def describe_subnets(
    ctx: Ctx,
    *,
    Filters: list[Filter] | None = None,
    SubnetIds: list[str] | None = None,
    NextToken: str | None = None,
    MaxResults: int | None = None,
) -> DescribeSubnetsResult:
    subnets = select(ctx, ctx.backend.vpcs.subnets, SubnetIds, Filters, SUBNETS)
    shown, token = page(ctx, subnets, MaxResults, NextToken)
    result: DescribeSubnetsResult = {"Subnets": [s.describe() for s in shown]}
    if token:
        result["NextToken"] = token
    return result
