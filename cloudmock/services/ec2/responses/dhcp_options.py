"""DHCP option sets: create, delete, describe, associate with a VPC."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cloudmock.core.plugin import operation
from cloudmock.services.ec2.filters import FilterSet
from cloudmock.services.ec2.models.dhcp_options import DHCP_OPTIONS_FILTERS
from cloudmock.services.ec2.models.tags import tag_specifications
from cloudmock.services.ec2.responses.common import Ctx, page, select

if TYPE_CHECKING:
    from cloudmock.services.ec2.shapes import (
        CreateDhcpOptionsResult,
        DescribeDhcpOptionsResult,
        Filter,
        NewDhcpConfiguration,
        TagSpecification,
    )

DOPTS: FilterSet[Any] = FilterSet(DHCP_OPTIONS_FILTERS)


@operation("DescribeDhcpOptions", filters=DOPTS)
def describe_dhcp_options(
    ctx: Ctx,
    *,
    DhcpOptionsIds: list[str] | None = None,
    Filters: list[Filter] | None = None,
    NextToken: str | None = None,
    MaxResults: int | None = None,
) -> DescribeDhcpOptionsResult:
    found = select(ctx, ctx.backend.vpcs.dhcp_options, DhcpOptionsIds, Filters, DOPTS)
    shown, token = page(ctx, found, MaxResults, NextToken)
    result: DescribeDhcpOptionsResult = {"DhcpOptions": [d.describe() for d in shown]}
    if token:
        result["NextToken"] = token
    return result


@operation("CreateDhcpOptions")
def create_dhcp_options(
    ctx: Ctx,
    *,
    DhcpConfigurations: list[NewDhcpConfiguration],
    TagSpecifications: list[TagSpecification] | None = None,
) -> CreateDhcpOptionsResult:
    tags = tag_specifications(TagSpecifications, ("dhcp-options",))
    dopt = ctx.backend.vpcs.create_dhcp_options(
        [dict(c) for c in DhcpConfigurations], tags.get("dhcp-options", {})
    )
    return {"DhcpOptions": dopt.describe()}


@operation("AssociateDhcpOptions")
def associate_dhcp_options(ctx: Ctx, *, DhcpOptionsId: str, VpcId: str) -> None:
    ctx.backend.vpcs.associate_dhcp_options(DhcpOptionsId, VpcId)


@operation("DeleteDhcpOptions")
def delete_dhcp_options(ctx: Ctx, *, DhcpOptionsId: str) -> None:
    ctx.backend.vpcs.delete_dhcp_options(DhcpOptionsId)
