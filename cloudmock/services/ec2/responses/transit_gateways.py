"""Transit gateways and their VPC, peering and Connect attachments."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from cloudmock.core.errors import MissingParameter
from cloudmock.core.plugin import operation
from cloudmock.services.ec2.dryrun import commit
from cloudmock.services.ec2.filters import FilterSet, apply_filters
from cloudmock.services.ec2.models.base import Store
from cloudmock.services.ec2.models.tags import tag_specifications
from cloudmock.services.ec2.models.transit_gateway_functions import (
    NETWORK_FUNCTION_FILTERS,
    NetworkFunctionAttachment,
    parse_zones,
)
from cloudmock.services.ec2.models.transit_gateways import (
    ATTACHMENT_FILTERS,
    CONNECT_FILTERS,
    GATEWAY_FILTERS,
    PEERING_FILTERS,
    VPC_ATTACHMENT_FILTERS,
    ConnectAttachment,
    GatewayOptions,
    PeeringAttachment,
    TransitGateways,
    VpcAttachment,
    VpcAttachmentOptions,
)
from cloudmock.services.ec2.responses.common import Ctx, page, select

if TYPE_CHECKING:
    from cloudmock.services.ec2.shapes import (
        AcceptTransitGatewayPeeringAttachmentResult,
        AcceptTransitGatewayVpcAttachmentResult,
        CreateTransitGatewayConnectRequestOptions,
        CreateTransitGatewayConnectResult,
        CreateTransitGatewayNetworkFunctionAttachmentResult,
        CreateTransitGatewayPeeringAttachmentRequestOptions,
        CreateTransitGatewayPeeringAttachmentResult,
        CreateTransitGatewayResult,
        CreateTransitGatewayVpcAttachmentRequestOptions,
        CreateTransitGatewayVpcAttachmentResult,
        DeleteTransitGatewayConnectResult,
        DeleteTransitGatewayNetworkFunctionAttachmentResult,
        DeleteTransitGatewayPeeringAttachmentResult,
        DeleteTransitGatewayResult,
        DeleteTransitGatewayVpcAttachmentResult,
        DescribeTransitGatewayAttachmentsResult,
        DescribeTransitGatewayConnectsResult,
        DescribeTransitGatewayNetworkFunctionAttachmentsResult,
        DescribeTransitGatewayPeeringAttachmentsResult,
        DescribeTransitGatewaysResult,
        DescribeTransitGatewayVpcAttachmentsResult,
        Filter,
        GetTransitGatewayAttachmentNatConfigurationResult,
        ModifyTransitGatewayAttachmentNatConfigurationResult,
        ModifyTransitGatewayNetworkFunctionAttachmentResult,
        ModifyTransitGatewayOptions,
        ModifyTransitGatewayPeeringAttachmentRequestOptions,
        ModifyTransitGatewayPeeringAttachmentResult,
        ModifyTransitGatewayResult,
        ModifyTransitGatewayVpcAttachmentRequestOptions,
        ModifyTransitGatewayVpcAttachmentResult,
        RejectTransitGatewayPeeringAttachmentResult,
        RejectTransitGatewayVpcAttachmentResult,
        TagSpecification,
        TransitGatewayNatRuleRequest,
        TransitGatewayRequestOptions,
    )

GATEWAYS: FilterSet[Any] = FilterSet(GATEWAY_FILTERS)
ATTACHMENTS: FilterSet[Any] = FilterSet(ATTACHMENT_FILTERS)
VPC_ATTACHMENTS: FilterSet[Any] = FilterSet(VPC_ATTACHMENT_FILTERS)
PEERINGS: FilterSet[Any] = FilterSet(PEERING_FILTERS)
CONNECTS: FilterSet[Any] = FilterSet(CONNECT_FILTERS)
NETWORK_FUNCTIONS: FilterSet[Any] = FilterSet(NETWORK_FUNCTION_FILTERS)

ATTACHMENT_TAGS = ("transit-gateway-attachment",)


def family(ctx: Ctx) -> TransitGateways:
    return ctx.backend.transit_gateways


def describe_page(
    ctx: Ctx,
    store: Store[Any],
    ids: Sequence[str] | None,
    filters: Sequence[Filter] | None,
    filter_set: FilterSet[Any],
    max_results: int | None,
    next_token: str | None,
    kind: type | None = None,
) -> tuple[list[Any], str | None]:
    """Select by ids and filters (of one attachment class, if ``kind``), then one page."""
    if kind is None:
        items = select(ctx, store, ids, filters, filter_set)
    else:
        if ids:
            items = store.get_many(ids)
            for item in items:
                if not isinstance(item, kind):
                    raise store.kind.not_found([item.id])
        else:
            items = store.lookup("kind", kind.__name__)
        items = apply_filters(items, filters, filter_set, ctx.operation_model)
    return page(ctx, items, max_results, next_token)


# -- transit gateways


@operation("CreateTransitGateway")
def create_transit_gateway(
    ctx: Ctx,
    *,
    Description: str | None = None,
    Options: TransitGatewayRequestOptions | None = None,
    TagSpecifications: list[TagSpecification] | None = None,
) -> CreateTransitGatewayResult:
    tgws = family(ctx)
    raw: Any = Options or {}
    tags = tag_specifications(TagSpecifications, ("transit-gateway",))
    asn, cidrs = tgws.check_gateway_options(
        raw.get("AmazonSideAsn"), raw.get("TransitGatewayCidrBlocks")
    )
    options = GatewayOptions(
        amazon_side_asn=asn,
        cidr_blocks=cidrs,
        auto_accept_shared_attachments=raw.get("AutoAcceptSharedAttachments") or "disable",
        default_route_table_association=raw.get("DefaultRouteTableAssociation") or "enable",
        default_route_table_propagation=raw.get("DefaultRouteTablePropagation") or "enable",
        vpn_ecmp_support=raw.get("VpnEcmpSupport") or "enable",
        dns_support=raw.get("DnsSupport") or "enable",
        security_group_referencing_support=raw.get("SecurityGroupReferencingSupport") or "disable",
        multicast_support=raw.get("MulticastSupport") or "disable",
    )
    commit()
    gateway = tgws.create_gateway(Description or "", options, tags.get("transit-gateway", {}))
    return {"TransitGateway": gateway.describe()}


@operation("DescribeTransitGateways", filters=GATEWAYS)
def describe_transit_gateways(
    ctx: Ctx,
    *,
    TransitGatewayIds: list[str] | None = None,
    Filters: list[Filter] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> DescribeTransitGatewaysResult:
    shown, token = describe_page(
        ctx, family(ctx).gateways, TransitGatewayIds, Filters, GATEWAYS, MaxResults, NextToken
    )
    result: DescribeTransitGatewaysResult = {"TransitGateways": [g.describe() for g in shown]}
    if token:
        result["NextToken"] = token
    return result


@operation("ModifyTransitGateway")
def modify_transit_gateway(
    ctx: Ctx,
    *,
    TransitGatewayId: str,
    Description: str | None = None,
    Options: ModifyTransitGatewayOptions | None = None,
) -> ModifyTransitGatewayResult:
    tgws = family(ctx)
    gateway = tgws.gateway(TransitGatewayId, same_account=True)
    changes: dict[str, Any] = dict(Options or {})
    tgws.check_modify_gateway(gateway, changes)
    commit()
    tgws.modify_gateway(gateway, Description, changes)
    return {"TransitGateway": gateway.describe()}


@operation("DeleteTransitGateway")
def delete_transit_gateway(ctx: Ctx, *, TransitGatewayId: str) -> DeleteTransitGatewayResult:
    tgws = family(ctx)
    gateway = tgws.gateway(TransitGatewayId, same_account=True)
    tgws.check_delete_gateway(gateway)
    commit()
    tgws.delete_gateway(gateway)
    return {"TransitGateway": gateway.describe()}


# -- every attachment


@operation("DescribeTransitGatewayAttachments", filters=ATTACHMENTS)
def describe_transit_gateway_attachments(
    ctx: Ctx,
    *,
    TransitGatewayAttachmentIds: list[str] | None = None,
    Filters: list[Filter] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> DescribeTransitGatewayAttachmentsResult:
    tgws = family(ctx)
    shown, token = describe_page(
        ctx,
        tgws.attachments,
        TransitGatewayAttachmentIds,
        Filters,
        ATTACHMENTS,
        MaxResults,
        NextToken,
    )
    result: DescribeTransitGatewayAttachmentsResult = {
        "TransitGatewayAttachments": [
            a.summary(
                tgws.functions.support_of(a.id)
                if a.tgw_owner_id == ctx.backend.account_id
                else None
            )
            for a in shown
        ]
    }
    if token:
        result["NextToken"] = token
    return result


# -- VPC attachments


@operation("CreateTransitGatewayVpcAttachment")
def create_transit_gateway_vpc_attachment(
    ctx: Ctx,
    *,
    TransitGatewayId: str,
    VpcId: str,
    SubnetIds: list[str],
    Options: CreateTransitGatewayVpcAttachmentRequestOptions | None = None,
    TagSpecifications: list[TagSpecification] | None = None,
) -> CreateTransitGatewayVpcAttachmentResult:
    tgws = family(ctx)
    tags = tag_specifications(TagSpecifications, ATTACHMENT_TAGS)
    gateway = tgws.available_gateway(TransitGatewayId)
    tgws.check_vpc_attachment(gateway, VpcId, SubnetIds)
    raw: Any = Options or {}
    tgws.check_ipv6(SubnetIds, raw.get("Ipv6Support"))
    options = VpcAttachmentOptions(
        dns_support=raw.get("DnsSupport") or "enable",
        security_group_referencing_support=raw.get("SecurityGroupReferencingSupport") or "enable",
        ipv6_support=raw.get("Ipv6Support") or "disable",
        appliance_mode_support=raw.get("ApplianceModeSupport") or "disable",
    )
    commit()
    attachment = tgws.create_vpc_attachment(
        gateway, VpcId, SubnetIds, options, tags.get("transit-gateway-attachment", {})
    )
    return {"TransitGatewayVpcAttachment": attachment.describe()}


@operation("DescribeTransitGatewayVpcAttachments", filters=VPC_ATTACHMENTS)
def describe_transit_gateway_vpc_attachments(
    ctx: Ctx,
    *,
    TransitGatewayAttachmentIds: list[str] | None = None,
    Filters: list[Filter] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> DescribeTransitGatewayVpcAttachmentsResult:
    shown, token = describe_page(
        ctx,
        family(ctx).attachments,
        TransitGatewayAttachmentIds,
        Filters,
        VPC_ATTACHMENTS,
        MaxResults,
        NextToken,
        VpcAttachment,
    )
    result: DescribeTransitGatewayVpcAttachmentsResult = {
        "TransitGatewayVpcAttachments": [a.describe() for a in shown]
    }
    if token:
        result["NextToken"] = token
    return result


@operation("AcceptTransitGatewayVpcAttachment")
def accept_transit_gateway_vpc_attachment(
    ctx: Ctx, *, TransitGatewayAttachmentId: str
) -> AcceptTransitGatewayVpcAttachmentResult:
    tgws = family(ctx)
    attachment = tgws.attachment_of(TransitGatewayAttachmentId, VpcAttachment)
    tgws.check_accept(attachment)
    commit()
    tgws.accept_vpc_attachment(attachment)
    return {"TransitGatewayVpcAttachment": attachment.describe()}


@operation("RejectTransitGatewayVpcAttachment")
def reject_transit_gateway_vpc_attachment(
    ctx: Ctx, *, TransitGatewayAttachmentId: str
) -> RejectTransitGatewayVpcAttachmentResult:
    tgws = family(ctx)
    attachment = tgws.attachment_of(TransitGatewayAttachmentId, VpcAttachment)
    tgws.check_accept(attachment)
    commit()
    tgws.reject_vpc_attachment(attachment)
    return {"TransitGatewayVpcAttachment": attachment.describe()}


@operation("ModifyTransitGatewayVpcAttachment")
def modify_transit_gateway_vpc_attachment(
    ctx: Ctx,
    *,
    TransitGatewayAttachmentId: str,
    AddSubnetIds: list[str] | None = None,
    RemoveSubnetIds: list[str] | None = None,
    Options: ModifyTransitGatewayVpcAttachmentRequestOptions | None = None,
) -> ModifyTransitGatewayVpcAttachmentResult:
    tgws = family(ctx)
    attachment = tgws.attachment_of(TransitGatewayAttachmentId, VpcAttachment)
    subnets = tgws.check_modify_vpc_attachment(
        attachment, AddSubnetIds or [], RemoveSubnetIds or []
    )
    ipv6 = (Options or {}).get("Ipv6Support") or attachment.options.ipv6_support
    tgws.check_ipv6(subnets, ipv6)
    commit()
    tgws.modify_vpc_attachment(attachment, subnets, dict(Options or {}))
    return {"TransitGatewayVpcAttachment": attachment.describe()}


@operation("DeleteTransitGatewayVpcAttachment")
def delete_transit_gateway_vpc_attachment(
    ctx: Ctx, *, TransitGatewayAttachmentId: str
) -> DeleteTransitGatewayVpcAttachmentResult:
    tgws = family(ctx)
    attachment = tgws.attachment_of(TransitGatewayAttachmentId, VpcAttachment)
    tgws.check_deletable(attachment)
    commit()
    tgws.start_delete(attachment)
    return {"TransitGatewayVpcAttachment": attachment.describe()}


# -- peering attachments


@operation("CreateTransitGatewayPeeringAttachment")
def create_transit_gateway_peering_attachment(
    ctx: Ctx,
    *,
    TransitGatewayId: str,
    PeerTransitGatewayId: str,
    PeerAccountId: str,
    PeerRegion: str,
    Options: CreateTransitGatewayPeeringAttachmentRequestOptions | None = None,
    TagSpecifications: list[TagSpecification] | None = None,
) -> CreateTransitGatewayPeeringAttachmentResult:
    tgws = family(ctx)
    tags = tag_specifications(TagSpecifications, ATTACHMENT_TAGS)
    gateway = tgws.available_gateway(TransitGatewayId, same_account=True)
    peer = tgws.check_peering(gateway, PeerTransitGatewayId, PeerAccountId, PeerRegion)
    raw: Any = Options or {}
    commit()
    attachment = tgws.create_peering(
        gateway,
        peer,
        raw.get("DynamicRouting") or "disable",
        bool(raw.get("AllowMultipathResilience")),
        raw.get("MultipathResilienceMode"),
        tags.get("transit-gateway-attachment", {}),
    )
    return {"TransitGatewayPeeringAttachment": attachment.describe()}


@operation("DescribeTransitGatewayPeeringAttachments", filters=PEERINGS)
def describe_transit_gateway_peering_attachments(
    ctx: Ctx,
    *,
    TransitGatewayAttachmentIds: list[str] | None = None,
    Filters: list[Filter] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> DescribeTransitGatewayPeeringAttachmentsResult:
    shown, token = describe_page(
        ctx,
        family(ctx).attachments,
        TransitGatewayAttachmentIds,
        Filters,
        PEERINGS,
        MaxResults,
        NextToken,
        PeeringAttachment,
    )
    result: DescribeTransitGatewayPeeringAttachmentsResult = {
        "TransitGatewayPeeringAttachments": [a.describe() for a in shown]
    }
    if token:
        result["NextToken"] = token
    return result


@operation("AcceptTransitGatewayPeeringAttachment")
def accept_transit_gateway_peering_attachment(
    ctx: Ctx, *, TransitGatewayAttachmentId: str
) -> AcceptTransitGatewayPeeringAttachmentResult:
    tgws = family(ctx)
    attachment = tgws.attachment_of(TransitGatewayAttachmentId, PeeringAttachment)
    tgws.check_peering_accept(attachment)
    commit()
    tgws.accept_peering(attachment)
    return {"TransitGatewayPeeringAttachment": attachment.describe()}


@operation("RejectTransitGatewayPeeringAttachment")
def reject_transit_gateway_peering_attachment(
    ctx: Ctx, *, TransitGatewayAttachmentId: str
) -> RejectTransitGatewayPeeringAttachmentResult:
    tgws = family(ctx)
    attachment = tgws.attachment_of(TransitGatewayAttachmentId, PeeringAttachment)
    tgws.check_peering_accept(attachment)
    commit()
    tgws.reject_peering(attachment)
    return {"TransitGatewayPeeringAttachment": attachment.describe()}


@operation("ModifyTransitGatewayPeeringAttachment")
def modify_transit_gateway_peering_attachment(
    ctx: Ctx,
    *,
    TransitGatewayAttachmentId: str,
    Options: ModifyTransitGatewayPeeringAttachmentRequestOptions | None = None,
) -> ModifyTransitGatewayPeeringAttachmentResult:
    tgws = family(ctx)
    attachment = tgws.attachment_of(TransitGatewayAttachmentId, PeeringAttachment)
    if attachment.state in ("deleting", "deleted", "rejected", "rejecting", "failed"):
        tgws.check_deletable(attachment)
    raw: Any = Options or {}
    commit()
    tgws.modify_peering(
        attachment, raw.get("AllowMultipathResilience"), raw.get("MultipathResilienceMode")
    )
    return {"TransitGatewayPeeringAttachment": attachment.describe()}


@operation("DeleteTransitGatewayPeeringAttachment")
def delete_transit_gateway_peering_attachment(
    ctx: Ctx, *, TransitGatewayAttachmentId: str
) -> DeleteTransitGatewayPeeringAttachmentResult:
    tgws = family(ctx)
    attachment = tgws.attachment_of(TransitGatewayAttachmentId, PeeringAttachment)
    tgws.check_deletable(attachment)
    commit()
    tgws.delete_peering(attachment)
    return {"TransitGatewayPeeringAttachment": attachment.describe()}


# -- Connect attachments


@operation("CreateTransitGatewayConnect")
def create_transit_gateway_connect(
    ctx: Ctx,
    *,
    TransportTransitGatewayAttachmentId: str,
    Options: CreateTransitGatewayConnectRequestOptions,
    TagSpecifications: list[TagSpecification] | None = None,
) -> CreateTransitGatewayConnectResult:
    tgws = family(ctx)
    tags = tag_specifications(TagSpecifications, ATTACHMENT_TAGS)
    protocol = (Options or {}).get("Protocol")
    if not protocol:
        raise MissingParameter("Options.Protocol")
    transport = tgws.attachment(TransportTransitGatewayAttachmentId)
    tgws.check_connect(transport)
    commit()
    attachment = tgws.create_connect(
        transport, protocol, tags.get("transit-gateway-attachment", {})
    )
    return {"TransitGatewayConnect": attachment.describe()}


@operation("DescribeTransitGatewayConnects", filters=CONNECTS)
def describe_transit_gateway_connects(
    ctx: Ctx,
    *,
    TransitGatewayAttachmentIds: list[str] | None = None,
    Filters: list[Filter] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> DescribeTransitGatewayConnectsResult:
    shown, token = describe_page(
        ctx,
        family(ctx).attachments,
        TransitGatewayAttachmentIds,
        Filters,
        CONNECTS,
        MaxResults,
        NextToken,
        ConnectAttachment,
    )
    result: DescribeTransitGatewayConnectsResult = {
        "TransitGatewayConnects": [a.describe() for a in shown]
    }
    if token:
        result["NextToken"] = token
    return result


@operation("DeleteTransitGatewayConnect")
def delete_transit_gateway_connect(
    ctx: Ctx, *, TransitGatewayAttachmentId: str
) -> DeleteTransitGatewayConnectResult:
    tgws = family(ctx)
    attachment = tgws.attachment_of(TransitGatewayAttachmentId, ConnectAttachment)
    tgws.check_connect_delete(attachment)
    commit()
    tgws.start_delete(attachment)
    return {"TransitGatewayConnect": attachment.describe()}


# -- network function attachments


@operation("CreateTransitGatewayNetworkFunctionAttachment")
def create_transit_gateway_network_function_attachment(
    ctx: Ctx,
    *,
    TransitGatewayId: str,
    ServiceName: str,
    AvailabilityZones: list[str] | None = None,
    AvailabilityZoneIds: list[str] | None = None,
    TagSpecifications: list[TagSpecification] | None = None,
) -> CreateTransitGatewayNetworkFunctionAttachmentResult:
    tgws = family(ctx)
    tags = tag_specifications(TagSpecifications, ATTACHMENT_TAGS)
    gateway = tgws.available_gateway(TransitGatewayId)
    zones = parse_zones(ctx.backend.zones, AvailabilityZones, AvailabilityZoneIds)
    service_id = tgws.functions.check_network_function(gateway, ServiceName, zones)
    commit()
    attachment = tgws.functions.create_network_function(
        gateway, ServiceName, service_id, zones, tags.get("transit-gateway-attachment", {})
    )
    return {"TransitGatewayNetworkFunctionAttachment": attachment.describe()}


@operation("DescribeTransitGatewayNetworkFunctionAttachments", filters=NETWORK_FUNCTIONS)
def describe_transit_gateway_network_function_attachments(
    ctx: Ctx,
    *,
    TransitGatewayAttachmentIds: list[str] | None = None,
    Filters: list[Filter] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> DescribeTransitGatewayNetworkFunctionAttachmentsResult:
    shown, token = describe_page(
        ctx,
        family(ctx).attachments,
        TransitGatewayAttachmentIds,
        Filters,
        NETWORK_FUNCTIONS,
        MaxResults,
        NextToken,
        NetworkFunctionAttachment,
    )
    result: DescribeTransitGatewayNetworkFunctionAttachmentsResult = {
        "TransitGatewayNetworkFunctionAttachments": [a.describe() for a in shown]
    }
    if token:
        result["NextToken"] = token
    return result


@operation("ModifyTransitGatewayNetworkFunctionAttachment")
def modify_transit_gateway_network_function_attachment(
    ctx: Ctx,
    *,
    TransitGatewayAttachmentId: str,
    AddAvailabilityZones: list[str] | None = None,
    AddAvailabilityZoneIds: list[str] | None = None,
    RemoveAvailabilityZones: list[str] | None = None,
    RemoveAvailabilityZoneIds: list[str] | None = None,
) -> ModifyTransitGatewayNetworkFunctionAttachmentResult:
    tgws = family(ctx)
    attachment = tgws.attachment_of(TransitGatewayAttachmentId, NetworkFunctionAttachment)
    add = parse_zones(ctx.backend.zones, AddAvailabilityZones, AddAvailabilityZoneIds)
    remove = parse_zones(ctx.backend.zones, RemoveAvailabilityZones, RemoveAvailabilityZoneIds)
    zones = tgws.functions.check_modify_network_function(attachment, add, remove)
    commit()
    tgws.functions.modify_network_function(attachment, zones)
    return {"TransitGatewayNetworkFunctionAttachment": attachment.describe()}


@operation("DeleteTransitGatewayNetworkFunctionAttachment")
def delete_transit_gateway_network_function_attachment(
    ctx: Ctx, *, TransitGatewayAttachmentId: str
) -> DeleteTransitGatewayNetworkFunctionAttachmentResult:
    tgws = family(ctx)
    attachment = tgws.attachment_of(TransitGatewayAttachmentId, NetworkFunctionAttachment)
    tgws.check_deletable(attachment)
    commit()
    tgws.start_delete(attachment)
    return {"TransitGatewayNetworkFunctionAttachment": attachment.describe()}


# -- NAT configuration of an attachment


@operation("GetTransitGatewayAttachmentNatConfiguration")
def get_transit_gateway_attachment_nat_configuration(
    ctx: Ctx, *, TransitGatewayAttachmentId: str
) -> GetTransitGatewayAttachmentNatConfigurationResult:
    tgws = family(ctx)
    attachment = tgws.attachment(TransitGatewayAttachmentId)
    tgws.functions.check_owner(attachment)
    return tgws.functions.config(attachment).describe()  # type: ignore[return-value]


@operation("ModifyTransitGatewayAttachmentNatConfiguration")
def modify_transit_gateway_attachment_nat_configuration(
    ctx: Ctx,
    *,
    TransitGatewayAttachmentId: str,
    NatGatewaySupport: str | None = None,
    NatSystemRouteSupport: str | None = None,
    NatGatewayRules: list[TransitGatewayNatRuleRequest] | None = None,
    ResetNatGatewayRules: bool | None = None,
) -> ModifyTransitGatewayAttachmentNatConfigurationResult:
    tgws = family(ctx)
    attachment = tgws.attachment(TransitGatewayAttachmentId)
    raw: Any = NatGatewayRules
    rules, support = tgws.functions.check_nat(
        attachment, NatGatewaySupport, NatSystemRouteSupport, raw, ResetNatGatewayRules
    )
    commit()
    config = tgws.functions.modify_nat(attachment, rules, support)
    return config.describe()  # type: ignore[return-value]
