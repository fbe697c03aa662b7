"""ClassicLink, answered as EC2 answers it since EC2-Classic was retired (August 2023).

No region has EC2-Classic any more, so every ClassicLink action fails with the
error EC2 has long given in regions without it; a DryRun gets the same error,
since the request would not succeed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cloudmock.core.errors import ServiceError
from cloudmock.core.plugin import operation
from cloudmock.services.ec2.filters import FilterSet
from cloudmock.services.ec2.responses.common import Ctx

if TYPE_CHECKING:
    from cloudmock.services.ec2.shapes import (
        AttachClassicLinkVpcResult,
        DescribeVpcClassicLinkDnsSupportResult,
        DescribeVpcClassicLinkResult,
        DetachClassicLinkVpcResult,
        DisableVpcClassicLinkDnsSupportResult,
        DisableVpcClassicLinkResult,
        EnableVpcClassicLinkDnsSupportResult,
        EnableVpcClassicLinkResult,
        Filter,
    )

CLASSIC_LINK: FilterSet[Any] = FilterSet({"is-classic-link-enabled": lambda v: False})


def _retired() -> ServiceError:
    return ServiceError(
        "The functionality you requested is not available in this region.",
        code="UnsupportedOperation",
    )


@operation("DescribeVpcClassicLink", filters=CLASSIC_LINK)
def describe_vpc_classic_link(
    ctx: Ctx, *, VpcIds: list[str] | None = None, Filters: list[Filter] | None = None
) -> DescribeVpcClassicLinkResult:
    raise _retired()


@operation("DescribeVpcClassicLinkDnsSupport")
def describe_vpc_classic_link_dns_support(
    ctx: Ctx,
    *,
    VpcIds: list[str] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> DescribeVpcClassicLinkDnsSupportResult:
    raise _retired()


@operation("EnableVpcClassicLink")
def enable_vpc_classic_link(ctx: Ctx, *, VpcId: str) -> EnableVpcClassicLinkResult:
    raise _retired()


@operation("DisableVpcClassicLink")
def disable_vpc_classic_link(ctx: Ctx, *, VpcId: str) -> DisableVpcClassicLinkResult:
    raise _retired()


@operation("EnableVpcClassicLinkDnsSupport")
def enable_vpc_classic_link_dns_support(
    ctx: Ctx, *, VpcId: str | None = None
) -> EnableVpcClassicLinkDnsSupportResult:
    raise _retired()


@operation("DisableVpcClassicLinkDnsSupport")
def disable_vpc_classic_link_dns_support(
    ctx: Ctx, *, VpcId: str | None = None
) -> DisableVpcClassicLinkDnsSupportResult:
    raise _retired()


@operation("AttachClassicLinkVpc")
def attach_classic_link_vpc(
    ctx: Ctx, *, InstanceId: str, VpcId: str, Groups: list[str]
) -> AttachClassicLinkVpcResult:
    raise _retired()


@operation("DetachClassicLinkVpc")
def detach_classic_link_vpc(ctx: Ctx, *, InstanceId: str, VpcId: str) -> DetachClassicLinkVpcResult:
    raise _retired()
