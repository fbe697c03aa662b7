"""Site-to-Site VPN: customer gateways, virtual private gateways, VPN connections and
their routes, options and tunnels, VPN concentrators, VGW route propagation."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cloudmock.core.errors import InvalidParameterValue
from cloudmock.core.plugin import operation
from cloudmock.services.ec2.filters import FilterSet
from cloudmock.services.ec2.models.tags import tag_specifications
from cloudmock.services.ec2.models.vpn import (
    CUSTOMER_GATEWAY_FILTERS,
    DEVICE_TYPES,
    DEVICE_TYPES_BY_ID,
    VPN_CONCENTRATOR_FILTERS,
    VPN_CONNECTION_FILTERS,
    VPN_GATEWAY_FILTERS,
    device_type_id,
    sample_configuration,
)
from cloudmock.services.ec2.responses.common import Ctx, page, select

if TYPE_CHECKING:
    from cloudmock.services.ec2.shapes import (
        AttachVpnGatewayResult,
        CreateCustomerGatewayResult,
        CreateVpnConcentratorResult,
        CreateVpnConnectionResult,
        CreateVpnGatewayResult,
        DeleteVpnConcentratorResult,
        DescribeCustomerGatewaysResult,
        DescribeVpnConcentratorsResult,
        DescribeVpnConnectionsResult,
        DescribeVpnGatewaysResult,
        Filter,
        GetActiveVpnTunnelStatusResult,
        GetVpnConnectionDeviceSampleConfigurationResult,
        GetVpnConnectionDeviceTypesResult,
        GetVpnTunnelReplacementStatusResult,
        ModifyVpnConnectionOptionsResult,
        ModifyVpnConnectionResult,
        ModifyVpnTunnelCertificateResult,
        ModifyVpnTunnelOptionsResult,
        ModifyVpnTunnelOptionsSpecification,
        ReplaceVpnTunnelResult,
        TagSpecification,
        VpnConnectionOptionsSpecification,
    )

CUSTOMER_GATEWAYS: FilterSet[Any] = FilterSet(CUSTOMER_GATEWAY_FILTERS)
VPN_GATEWAYS: FilterSet[Any] = FilterSet(VPN_GATEWAY_FILTERS)
VPN_CONCENTRATORS: FilterSet[Any] = FilterSet(VPN_CONCENTRATOR_FILTERS)
VPN_CONNECTIONS: FilterSet[Any] = FilterSet(VPN_CONNECTION_FILTERS)


# -- customer gateways


@operation("CreateCustomerGateway")
def create_customer_gateway(
    ctx: Ctx,
    *,
    Type: str,
    BgpAsn: int | None = None,
    PublicIp: str | None = None,
    CertificateArn: str | None = None,
    TagSpecifications: list[TagSpecification] | None = None,
    DeviceName: str | None = None,
    IpAddress: str | None = None,
    BgpAsnExtended: int | None = None,
) -> CreateCustomerGatewayResult:
    tags = tag_specifications(TagSpecifications, ("customer-gateway",))
    gateway = ctx.backend.vpn.create_customer_gateway(
        type_=Type,
        bgp_asn=BgpAsn,
        bgp_asn_extended=BgpAsnExtended,
        ip_address=IpAddress,
        public_ip=PublicIp,
        certificate_arn=CertificateArn,
        device_name=DeviceName,
        tags=tags.get("customer-gateway", {}),
    )
    return {"CustomerGateway": gateway.describe()}


@operation("DescribeCustomerGateways", filters=CUSTOMER_GATEWAYS)
def describe_customer_gateways(
    ctx: Ctx,
    *,
    CustomerGatewayIds: list[str] | None = None,
    Filters: list[Filter] | None = None,
) -> DescribeCustomerGatewaysResult:
    gateways = select(
        ctx, ctx.backend.vpn.customer_gateways, CustomerGatewayIds, Filters, CUSTOMER_GATEWAYS
    )
    return {"CustomerGateways": [g.describe() for g in gateways]}


@operation("DeleteCustomerGateway")
def delete_customer_gateway(ctx: Ctx, *, CustomerGatewayId: str) -> None:
    ctx.backend.vpn.delete_customer_gateway(CustomerGatewayId)


# -- virtual private gateways


@operation("CreateVpnGateway")
def create_vpn_gateway(
    ctx: Ctx,
    *,
    Type: str,
    AvailabilityZone: str | None = None,
    TagSpecifications: list[TagSpecification] | None = None,
    AmazonSideAsn: int | None = None,
) -> CreateVpnGatewayResult:
    tags = tag_specifications(TagSpecifications, ("vpn-gateway",))
    gateway = ctx.backend.vpn.create_vpn_gateway(
        type_=Type,
        availability_zone=AvailabilityZone,
        amazon_side_asn=AmazonSideAsn,
        tags=tags.get("vpn-gateway", {}),
    )
    return {"VpnGateway": gateway.describe()}


@operation("DescribeVpnGateways", filters=VPN_GATEWAYS)
def describe_vpn_gateways(
    ctx: Ctx,
    *,
    Filters: list[Filter] | None = None,
    VpnGatewayIds: list[str] | None = None,
) -> DescribeVpnGatewaysResult:
    gateways = select(ctx, ctx.backend.vpn.vpn_gateways, VpnGatewayIds, Filters, VPN_GATEWAYS)
    return {"VpnGateways": [g.describe() for g in gateways]}


@operation("DeleteVpnGateway")
def delete_vpn_gateway(ctx: Ctx, *, VpnGatewayId: str) -> None:
    ctx.backend.vpn.delete_vpn_gateway(VpnGatewayId)


@operation("AttachVpnGateway")
def attach_vpn_gateway(ctx: Ctx, *, VpcId: str, VpnGatewayId: str) -> AttachVpnGatewayResult:
    attachment = ctx.backend.vpn.attach(VpnGatewayId, VpcId)
    return {"VpcAttachment": {"VpcId": attachment.vpc_id, "State": attachment.state}}


@operation("DetachVpnGateway")
def detach_vpn_gateway(ctx: Ctx, *, VpcId: str, VpnGatewayId: str) -> None:
    ctx.backend.vpn.detach(VpnGatewayId, VpcId)


@operation("EnableVgwRoutePropagation")
def enable_vgw_route_propagation(ctx: Ctx, *, GatewayId: str, RouteTableId: str) -> None:
    ctx.backend.vpn.enable_propagation(GatewayId, RouteTableId)


@operation("DisableVgwRoutePropagation")
def disable_vgw_route_propagation(ctx: Ctx, *, GatewayId: str, RouteTableId: str) -> None:
    ctx.backend.vpn.disable_propagation(GatewayId, RouteTableId)


# -- VPN connections


@operation("CreateVpnConnection")
def create_vpn_connection(
    ctx: Ctx,
    *,
    CustomerGatewayId: str,
    Type: str,
    VpnGatewayId: str | None = None,
    TransitGatewayId: str | None = None,
    VpnConcentratorId: str | None = None,
    TagSpecifications: list[TagSpecification] | None = None,
    PreSharedKeyStorage: str | None = None,
    Options: VpnConnectionOptionsSpecification | None = None,
) -> CreateVpnConnectionResult:
    tags = tag_specifications(TagSpecifications, ("vpn-connection",))
    connection = ctx.backend.vpn.create_connection(
        customer_gateway_id=CustomerGatewayId,
        type_=Type,
        vpn_gateway_id=VpnGatewayId,
        transit_gateway_id=TransitGatewayId,
        vpn_concentrator_id=VpnConcentratorId,
        options=Options or {},
        pre_shared_key_storage=PreSharedKeyStorage,
        tags=tags.get("vpn-connection", {}),
    )
    return {"VpnConnection": connection.describe()}


@operation("DescribeVpnConnections", filters=VPN_CONNECTIONS)
def describe_vpn_connections(
    ctx: Ctx,
    *,
    Filters: list[Filter] | None = None,
    VpnConnectionIds: list[str] | None = None,
) -> DescribeVpnConnectionsResult:
    connections = select(
        ctx, ctx.backend.vpn.connections, VpnConnectionIds, Filters, VPN_CONNECTIONS
    )
    return {"VpnConnections": [c.describe() for c in connections]}


@operation("DeleteVpnConnection")
def delete_vpn_connection(ctx: Ctx, *, VpnConnectionId: str) -> None:
    ctx.backend.vpn.delete_connection(VpnConnectionId)


@operation("CreateVpnConnectionRoute")
def create_vpn_connection_route(
    ctx: Ctx, *, DestinationCidrBlock: str, VpnConnectionId: str
) -> None:
    ctx.backend.vpn.create_route(VpnConnectionId, DestinationCidrBlock)


@operation("DeleteVpnConnectionRoute")
def delete_vpn_connection_route(
    ctx: Ctx, *, DestinationCidrBlock: str, VpnConnectionId: str
) -> None:
    ctx.backend.vpn.delete_route(VpnConnectionId, DestinationCidrBlock)


@operation("ModifyVpnConnection")
def modify_vpn_connection(
    ctx: Ctx,
    *,
    VpnConnectionId: str,
    TransitGatewayId: str | None = None,
    CustomerGatewayId: str | None = None,
    VpnGatewayId: str | None = None,
) -> ModifyVpnConnectionResult:
    connection = ctx.backend.vpn.modify_connection(
        VpnConnectionId,
        vpn_gateway_id=VpnGatewayId,
        transit_gateway_id=TransitGatewayId,
        customer_gateway_id=CustomerGatewayId,
    )
    return {"VpnConnection": connection.describe()}


@operation("ModifyVpnConnectionOptions")
def modify_vpn_connection_options(
    ctx: Ctx,
    *,
    VpnConnectionId: str,
    LocalIpv4NetworkCidr: str | None = None,
    RemoteIpv4NetworkCidr: str | None = None,
    LocalIpv6NetworkCidr: str | None = None,
    RemoteIpv6NetworkCidr: str | None = None,
    TunnelBandwidth: str | None = None,
) -> ModifyVpnConnectionOptionsResult:
    connection = ctx.backend.vpn.modify_options(
        VpnConnectionId,
        local_ipv4=LocalIpv4NetworkCidr,
        remote_ipv4=RemoteIpv4NetworkCidr,
        local_ipv6=LocalIpv6NetworkCidr,
        remote_ipv6=RemoteIpv6NetworkCidr,
        bandwidth=TunnelBandwidth,
    )
    return {"VpnConnection": connection.describe()}


@operation("ModifyVpnTunnelOptions")
def modify_vpn_tunnel_options(
    ctx: Ctx,
    *,
    VpnConnectionId: str,
    VpnTunnelOutsideIpAddress: str,
    TunnelOptions: ModifyVpnTunnelOptionsSpecification,
    SkipTunnelReplacement: bool | None = None,
    PreSharedKeyStorage: str | None = None,
) -> ModifyVpnTunnelOptionsResult:
    # SkipTunnelReplacement: the mock's tunnels have no endpoint to replace, so the options
    # apply at once either way.
    connection = ctx.backend.vpn.modify_tunnel(
        VpnConnectionId,
        VpnTunnelOutsideIpAddress,
        TunnelOptions,
        pre_shared_key_storage=PreSharedKeyStorage,
    )
    return {"VpnConnection": connection.describe()}


@operation("ModifyVpnTunnelCertificate")
def modify_vpn_tunnel_certificate(
    ctx: Ctx, *, VpnConnectionId: str, VpnTunnelOutsideIpAddress: str
) -> ModifyVpnTunnelCertificateResult:
    connection = ctx.backend.vpn.modify_tunnel_certificate(
        VpnConnectionId, VpnTunnelOutsideIpAddress
    )
    return {"VpnConnection": connection.describe()}


@operation("ReplaceVpnTunnel")
def replace_vpn_tunnel(
    ctx: Ctx,
    *,
    VpnConnectionId: str,
    VpnTunnelOutsideIpAddress: str,
    ApplyPendingMaintenance: bool | None = None,
) -> ReplaceVpnTunnelResult:
    # ApplyPendingMaintenance: there is never pending maintenance to apply or to skip.
    ctx.backend.vpn.replace_tunnel(VpnConnectionId, VpnTunnelOutsideIpAddress)
    return {"Return": True}


@operation("GetVpnTunnelReplacementStatus")
def get_vpn_tunnel_replacement_status(
    ctx: Ctx, *, VpnConnectionId: str, VpnTunnelOutsideIpAddress: str
) -> GetVpnTunnelReplacementStatusResult:
    connection = ctx.backend.vpn.connections.get(VpnConnectionId)
    tunnel = connection.tunnel(VpnTunnelOutsideIpAddress)
    result: GetVpnTunnelReplacementStatusResult = {
        "VpnConnectionId": connection.id,
        "CustomerGatewayId": connection.customer_gateway_id,
        "VpnTunnelOutsideIpAddress": tunnel.outside_ip,
        "MaintenanceDetails": {"PendingMaintenance": "None"},
    }
    if connection.vpn_gateway_id:
        result["VpnGatewayId"] = connection.vpn_gateway_id
    if connection.transit_gateway_id:
        result["TransitGatewayId"] = connection.transit_gateway_id
    if tunnel.last_replaced is not None:
        result["MaintenanceDetails"]["LastMaintenanceApplied"] = tunnel.last_replaced
    return result


@operation("GetActiveVpnTunnelStatus")
def get_active_vpn_tunnel_status(
    ctx: Ctx, *, VpnConnectionId: str, VpnTunnelOutsideIpAddress: str
) -> GetActiveVpnTunnelStatusResult:
    connection = ctx.backend.vpn.connections.get(VpnConnectionId)
    tunnel = connection.tunnel(VpnTunnelOutsideIpAddress)
    provisioning = {"pending": "pending", "available": "available"}.get(connection.state, "failed")
    status: dict[str, Any] = {
        "Phase1EncryptionAlgorithm": tunnel.first("Phase1EncryptionAlgorithms", "AES128"),
        "Phase2EncryptionAlgorithm": tunnel.first("Phase2EncryptionAlgorithms", "AES128"),
        "Phase1IntegrityAlgorithm": tunnel.first("Phase1IntegrityAlgorithms", "SHA1"),
        "Phase2IntegrityAlgorithm": tunnel.first("Phase2IntegrityAlgorithms", "SHA1"),
        "Phase1DHGroup": tunnel.first("Phase1DHGroupNumbers", 2),
        "Phase2DHGroup": tunnel.first("Phase2DHGroupNumbers", 2),
        "IkeVersion": tunnel.first("IkeVersions", "ikev1"),
        "ProvisioningStatus": provisioning,
    }
    if provisioning == "failed":
        status["ProvisioningStatusReason"] = f"The VPN connection is {connection.state}."
    for name in ("Phase1AdditionalKeyExchanges", "Phase2AdditionalKeyExchanges"):
        exchanges = tunnel.options.get(name)
        if exchanges:
            status[name] = [
                {"AdditionalKeyExchangeRound": k.round, "KeyExchangeMethod": k.methods[0]}
                for k in exchanges
                if k.methods
            ]
    return {"ActiveVpnTunnelStatus": status}  # type: ignore[typeddict-item]


@operation("GetVpnConnectionDeviceTypes")
def get_vpn_connection_device_types(
    ctx: Ctx, *, MaxResults: int | None = None, NextToken: str | None = None
) -> GetVpnConnectionDeviceTypesResult:
    shown, token = page(ctx, DEVICE_TYPES, MaxResults, NextToken, low=200, high=1000)
    result: GetVpnConnectionDeviceTypesResult = {
        "VpnConnectionDeviceTypes": [
            {
                "VpnConnectionDeviceTypeId": device_type_id(*device),
                "Vendor": device[0],
                "Platform": device[1],
                "Software": device[2],
            }
            for device in shown
        ]
    }
    if token:
        result["NextToken"] = token
    return result


@operation("GetVpnConnectionDeviceSampleConfiguration")
def get_vpn_connection_device_sample_configuration(
    ctx: Ctx,
    *,
    VpnConnectionId: str,
    VpnConnectionDeviceTypeId: str,
    InternetKeyExchangeVersion: str | None = None,
    SampleType: str | None = None,
) -> GetVpnConnectionDeviceSampleConfigurationResult:
    vpn = ctx.backend.vpn
    connection = vpn.connections.get(VpnConnectionId)
    device = DEVICE_TYPES_BY_ID.get(VpnConnectionDeviceTypeId)
    if device is None:
        raise InvalidParameterValue(
            f"The VPN connection device type ID '{VpnConnectionDeviceTypeId}' is invalid."
        )
    ike = InternetKeyExchangeVersion or "ikev1"
    if ike not in ("ikev1", "ikev2"):
        raise InvalidParameterValue(
            f"Value ({ike}) for parameter InternetKeyExchangeVersion is invalid. "
            "Valid values: ikev1, ikev2"
        )
    if SampleType is not None and SampleType not in ("compatibility", "recommended"):
        raise InvalidParameterValue(
            f"Value ({SampleType}) for parameter SampleType is invalid. "
            "Valid values: compatibility, recommended"
        )
    gateway = vpn.customer_gateways.find(connection.customer_gateway_id)
    text = sample_configuration(connection, gateway, device, ike)
    if SampleType:
        text = f"! Sample type: {SampleType}\n" + text
    return {"VpnConnectionDeviceSampleConfiguration": text}


# -- VPN concentrators


@operation("CreateVpnConcentrator")
def create_vpn_concentrator(
    ctx: Ctx,
    *,
    Type: str,
    TransitGatewayId: str | None = None,
    TagSpecifications: list[TagSpecification] | None = None,
) -> CreateVpnConcentratorResult:
    tags = tag_specifications(TagSpecifications, ("vpn-concentrator",))
    concentrator = ctx.backend.vpn.create_concentrator(
        type_=Type, transit_gateway_id=TransitGatewayId, tags=tags.get("vpn-concentrator", {})
    )
    return {"VpnConcentrator": concentrator.describe()}


@operation("DescribeVpnConcentrators", filters=VPN_CONCENTRATORS)
def describe_vpn_concentrators(
    ctx: Ctx,
    *,
    VpnConcentratorIds: list[str] | None = None,
    Filters: list[Filter] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> DescribeVpnConcentratorsResult:
    concentrators = select(
        ctx, ctx.backend.vpn.concentrators, VpnConcentratorIds, Filters, VPN_CONCENTRATORS
    )
    shown, token = page(ctx, concentrators, MaxResults, NextToken, low=200, high=1000)
    result: DescribeVpnConcentratorsResult = {"VpnConcentrators": [c.describe() for c in shown]}
    if token:
        result["NextToken"] = token
    return result


@operation("DeleteVpnConcentrator")
def delete_vpn_concentrator(ctx: Ctx, *, VpnConcentratorId: str) -> DeleteVpnConcentratorResult:
    ctx.backend.vpn.delete_concentrator(VpnConcentratorId)
    return {"Return": True}
