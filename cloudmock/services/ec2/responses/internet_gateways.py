"""Internet gateways, egress-only internet gateways and carrier gateways."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cloudmock.core.plugin import operation
from cloudmock.services.ec2.dryrun import commit
from cloudmock.services.ec2.filters import FilterSet
from cloudmock.services.ec2.models.internet_gateways import (
    CARRIER_GATEWAY_FILTERS,
    INTERNET_GATEWAY_FILTERS,
)
from cloudmock.services.ec2.models.tags import tag_specifications
from cloudmock.services.ec2.responses.common import Ctx, page, select

if TYPE_CHECKING:
    from cloudmock.services.ec2.shapes import (
        CreateCarrierGatewayResult,
        CreateEgressOnlyInternetGatewayResult,
        CreateInternetGatewayResult,
        DeleteCarrierGatewayResult,
        DeleteEgressOnlyInternetGatewayResult,
        DescribeCarrierGatewaysResult,
        DescribeEgressOnlyInternetGatewaysResult,
        DescribeInternetGatewaysResult,
        Filter,
        TagSpecification,
    )

INTERNET_GATEWAYS: FilterSet[Any] = FilterSet(INTERNET_GATEWAY_FILTERS)
EGRESS_ONLY: FilterSet[Any] = FilterSet({})
CARRIER_GATEWAYS: FilterSet[Any] = FilterSet(CARRIER_GATEWAY_FILTERS)


@operation("CreateInternetGateway")
def create_internet_gateway(
    ctx: Ctx, *, TagSpecifications: list[TagSpecification] | None = None
) -> CreateInternetGatewayResult:
    tags = tag_specifications(TagSpecifications, ("internet-gateway",)).get("internet-gateway", {})
    commit()
    gateway = ctx.backend.internet_gateways.create(tags=tags)
    return {"InternetGateway": gateway.describe()}


@operation("AttachInternetGateway")
def attach_internet_gateway(ctx: Ctx, *, InternetGatewayId: str, VpcId: str) -> None:
    family = ctx.backend.internet_gateways
    gateway, vpc_id = family.check_attach(InternetGatewayId, VpcId)
    commit()
    family.attach(gateway, vpc_id)


@operation("DetachInternetGateway")
def detach_internet_gateway(ctx: Ctx, *, InternetGatewayId: str, VpcId: str) -> None:
    family = ctx.backend.internet_gateways
    gateway = family.check_detach(InternetGatewayId, VpcId)
    commit()
    family.detach(gateway)


@operation("DeleteInternetGateway")
def delete_internet_gateway(ctx: Ctx, *, InternetGatewayId: str) -> None:
    family = ctx.backend.internet_gateways
    gateway = family.check_delete(InternetGatewayId)
    commit()
    family.delete(gateway)


@operation("DescribeInternetGateways", filters=INTERNET_GATEWAYS)
def describe_internet_gateways(
    ctx: Ctx,
    *,
    InternetGatewayIds: list[str] | None = None,
    Filters: list[Filter] | None = None,
    NextToken: str | None = None,
    MaxResults: int | None = None,
) -> DescribeInternetGatewaysResult:
    store = ctx.backend.internet_gateways.store
    gateways = select(ctx, store, InternetGatewayIds, Filters, INTERNET_GATEWAYS)
    shown, token = page(ctx, gateways, MaxResults, NextToken, low=5, high=1000)
    result: DescribeInternetGatewaysResult = {"InternetGateways": [g.describe() for g in shown]}
    if token:
        result["NextToken"] = token
    return result


@operation("CreateEgressOnlyInternetGateway")
def create_egress_only_internet_gateway(
    ctx: Ctx,
    *,
    VpcId: str,
    ClientToken: str | None = None,
    TagSpecifications: list[TagSpecification] | None = None,
) -> CreateEgressOnlyInternetGatewayResult:
    family = ctx.backend.internet_gateways
    kind = "egress-only-internet-gateway"
    tags = tag_specifications(TagSpecifications, (kind,)).get(kind, {})
    vpc_id = family.check_vpc(VpcId)
    earlier = family.token_result("eigw", ClientToken, vpc_id)
    commit()
    gateway = family.egress_only.find(earlier) if earlier else None
    if gateway is None:
        gateway = family.create_egress_only(vpc_id, tags)
        family.remember_token("eigw", ClientToken, vpc_id, gateway.id)
    result: CreateEgressOnlyInternetGatewayResult = {
        "EgressOnlyInternetGateway": gateway.describe()
    }
    if ClientToken:
        result["ClientToken"] = ClientToken
    return result


@operation("DeleteEgressOnlyInternetGateway")
def delete_egress_only_internet_gateway(
    ctx: Ctx, *, EgressOnlyInternetGatewayId: str
) -> DeleteEgressOnlyInternetGatewayResult:
    family = ctx.backend.internet_gateways
    gateway = family.egress_only.get(EgressOnlyInternetGatewayId)
    commit()
    family.delete_egress_only(gateway)
    return {"ReturnCode": True}


@operation("DescribeEgressOnlyInternetGateways", filters=EGRESS_ONLY)
def describe_egress_only_internet_gateways(
    ctx: Ctx,
    *,
    EgressOnlyInternetGatewayIds: list[str] | None = None,
    Filters: list[Filter] | None = None,
    NextToken: str | None = None,
    MaxResults: int | None = None,
) -> DescribeEgressOnlyInternetGatewaysResult:
    store = ctx.backend.internet_gateways.egress_only
    gateways = select(ctx, store, EgressOnlyInternetGatewayIds, Filters, EGRESS_ONLY)
    shown, token = page(ctx, gateways, MaxResults, NextToken, low=5, high=255)
    result: DescribeEgressOnlyInternetGatewaysResult = {
        "EgressOnlyInternetGateways": [g.describe() for g in shown]
    }
    if token:
        result["NextToken"] = token
    return result


@operation("CreateCarrierGateway")
def create_carrier_gateway(
    ctx: Ctx,
    *,
    VpcId: str,
    TagSpecifications: list[TagSpecification] | None = None,
    ClientToken: str | None = None,
) -> CreateCarrierGatewayResult:
    family = ctx.backend.internet_gateways
    tags = tag_specifications(TagSpecifications, ("carrier-gateway",)).get("carrier-gateway", {})
    vpc_id = family.check_vpc(VpcId)
    earlier = family.token_result("cagw", ClientToken, vpc_id)
    commit()
    gateway = family.carrier.find(earlier) if earlier else None
    if gateway is None:
        gateway = family.create_carrier(vpc_id, tags)
        family.remember_token("cagw", ClientToken, vpc_id, gateway.id)
    return {"CarrierGateway": gateway.describe()}


@operation("DeleteCarrierGateway")
def delete_carrier_gateway(ctx: Ctx, *, CarrierGatewayId: str) -> DeleteCarrierGatewayResult:
    family = ctx.backend.internet_gateways
    gateway = family.check_delete_carrier(CarrierGatewayId)
    commit()
    family.delete_carrier(gateway)
    return {"CarrierGateway": gateway.describe()}


@operation("DescribeCarrierGateways", filters=CARRIER_GATEWAYS)
def describe_carrier_gateways(
    ctx: Ctx,
    *,
    CarrierGatewayIds: list[str] | None = None,
    Filters: list[Filter] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> DescribeCarrierGatewaysResult:
    store = ctx.backend.internet_gateways.carrier
    gateways = select(ctx, store, CarrierGatewayIds, Filters, CARRIER_GATEWAYS)
    shown, token = page(ctx, gateways, MaxResults, NextToken, low=5, high=1000)
    result: DescribeCarrierGatewaysResult = {"CarrierGateways": [g.describe() for g in shown]}
    if token:
        result["NextToken"] = token
    return result
