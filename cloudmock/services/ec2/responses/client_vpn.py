"""Client VPN endpoints, target networks, authorization rules, routes, connections,
client configuration, certificate revocation lists, authorization policies, and the
transit gateway attachment of an endpoint on a transit gateway."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cloudmock.core.plugin import operation
from cloudmock.services.ec2.dryrun import commit
from cloudmock.services.ec2.filters import FilterSet, apply_filters
from cloudmock.services.ec2.models.client_vpn import (
    CONNECTION_FILTERS,
    ENDPOINT_FILTERS,
    ROUTE_FILTERS,
    RULE_FILTERS,
    TARGET_NETWORK_FILTERS,
)
from cloudmock.services.ec2.models.tags import tag_specifications
from cloudmock.services.ec2.responses.common import Ctx, page, select

if TYPE_CHECKING:
    from cloudmock.services.ec2.shapes import (
        AcceptTransitGatewayClientVpnAttachmentResult,
        ApplySecurityGroupsToClientVpnTargetNetworkResult,
        AssociateClientVpnTargetNetworkResult,
        AuthorizeClientVpnIngressResult,
        ClientConnectOptions,
        ClientLoginBannerOptions,
        ClientRouteEnforcementOptions,
        ClientVpnAuthenticationRequest,
        ConnectionLogOptions,
        CreateClientVpnEndpointResult,
        CreateClientVpnRouteResult,
        DeleteClientVpnEndpointAuthorizationPolicyResult,
        DeleteClientVpnEndpointResult,
        DeleteClientVpnRouteResult,
        DeleteTransitGatewayClientVpnAttachmentResult,
        DescribeClientVpnAuthorizationRulesResult,
        DescribeClientVpnConnectionsResult,
        DescribeClientVpnEndpointsResult,
        DescribeClientVpnRoutesResult,
        DescribeClientVpnTargetNetworksResult,
        DevicePostureOptions,
        DisassociateClientVpnTargetNetworkResult,
        DnsServersOptionsModifyStructure,
        ExportClientVpnClientCertificateRevocationListResult,
        ExportClientVpnClientConfigurationResult,
        Filter,
        GetClientVpnEndpointAuthorizationPolicyResult,
        ImportClientVpnClientCertificateRevocationListResult,
        ModifyClientVpnEndpointAuthorizationPolicyResult,
        ModifyClientVpnEndpointResult,
        RejectTransitGatewayClientVpnAttachmentResult,
        RevokeClientVpnIngressResult,
        TagSpecification,
        TerminateClientVpnConnectionsResult,
        TransitGatewayConfigurationInputStructure,
    )

ENDPOINTS: FilterSet[Any] = FilterSet(ENDPOINT_FILTERS)
TARGET_NETWORKS: FilterSet[Any] = FilterSet(TARGET_NETWORK_FILTERS)
RULES: FilterSet[Any] = FilterSet(RULE_FILTERS)
ROUTES: FilterSet[Any] = FilterSet(ROUTE_FILTERS)
CONNECTIONS: FilterSet[Any] = FilterSet(CONNECTION_FILTERS)


# -- endpoints


@operation("CreateClientVpnEndpoint")
def create_client_vpn_endpoint(
    ctx: Ctx,
    *,
    ServerCertificateArn: str,
    AuthenticationOptions: list[ClientVpnAuthenticationRequest],
    ConnectionLogOptions: ConnectionLogOptions,
    ClientCidrBlock: str | None = None,
    DnsServers: list[str] | None = None,
    TransportProtocol: str | None = None,
    VpnPort: int | None = None,
    Description: str | None = None,
    SplitTunnel: bool | None = None,
    ClientToken: str | None = None,
    TagSpecifications: list[TagSpecification] | None = None,
    SecurityGroupIds: list[str] | None = None,
    VpcId: str | None = None,
    SelfServicePortal: str | None = None,
    ClientConnectOptions: ClientConnectOptions | None = None,
    SessionTimeoutHours: int | None = None,
    ClientLoginBannerOptions: ClientLoginBannerOptions | None = None,
    ClientRouteEnforcementOptions: ClientRouteEnforcementOptions | None = None,
    DisconnectOnSessionTimeout: bool | None = None,
    EndpointIpAddressType: str | None = None,
    TrafficIpAddressType: str | None = None,
    TransitGatewayConfiguration: TransitGatewayConfigurationInputStructure | None = None,
    DevicePostureOptions: DevicePostureOptions | None = None,
) -> CreateClientVpnEndpointResult:
    tags = tag_specifications(TagSpecifications, ("client-vpn-endpoint",))
    request: dict[str, Any] = {
        "ServerCertificateArn": ServerCertificateArn,
        "AuthenticationOptions": AuthenticationOptions,
        "ConnectionLogOptions": ConnectionLogOptions,
        "ClientCidrBlock": ClientCidrBlock,
        "DnsServers": DnsServers,
        "TransportProtocol": TransportProtocol,
        "VpnPort": VpnPort,
        "Description": Description,
        "SplitTunnel": SplitTunnel,
        "ClientToken": ClientToken,
        "SecurityGroupIds": SecurityGroupIds,
        "VpcId": VpcId,
        "SelfServicePortal": SelfServicePortal,
        "ClientConnectOptions": ClientConnectOptions,
        "SessionTimeoutHours": SessionTimeoutHours,
        "ClientLoginBannerOptions": ClientLoginBannerOptions,
        "ClientRouteEnforcementOptions": ClientRouteEnforcementOptions,
        "DisconnectOnSessionTimeout": DisconnectOnSessionTimeout,
        "EndpointIpAddressType": EndpointIpAddressType,
        "TrafficIpAddressType": TrafficIpAddressType,
        "TransitGatewayConfiguration": TransitGatewayConfiguration,
        "DevicePostureOptions": DevicePostureOptions,
    }
    endpoint = ctx.backend.client_vpn.create_endpoint(request, tags.get("client-vpn-endpoint", {}))
    return {
        "ClientVpnEndpointId": endpoint.id,
        "Status": {"Code": endpoint.status},
        "DnsName": endpoint.dns_name,
    }


@operation("DescribeClientVpnEndpoints", filters=ENDPOINTS)
def describe_client_vpn_endpoints(
    ctx: Ctx,
    *,
    ClientVpnEndpointIds: list[str] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
    Filters: list[Filter] | None = None,
) -> DescribeClientVpnEndpointsResult:
    endpoints = select(
        ctx, ctx.backend.client_vpn.endpoints, ClientVpnEndpointIds, Filters, ENDPOINTS
    )
    shown, token = page(ctx, endpoints, MaxResults, NextToken)
    result: DescribeClientVpnEndpointsResult = {"ClientVpnEndpoints": [e.describe() for e in shown]}
    if token:
        result["NextToken"] = token
    return result


@operation("ModifyClientVpnEndpoint")
def modify_client_vpn_endpoint(
    ctx: Ctx,
    *,
    ClientVpnEndpointId: str,
    ServerCertificateArn: str | None = None,
    ConnectionLogOptions: ConnectionLogOptions | None = None,
    DnsServers: DnsServersOptionsModifyStructure | None = None,
    VpnPort: int | None = None,
    Description: str | None = None,
    SplitTunnel: bool | None = None,
    SecurityGroupIds: list[str] | None = None,
    VpcId: str | None = None,
    SelfServicePortal: str | None = None,
    ClientConnectOptions: ClientConnectOptions | None = None,
    SessionTimeoutHours: int | None = None,
    ClientLoginBannerOptions: ClientLoginBannerOptions | None = None,
    ClientRouteEnforcementOptions: ClientRouteEnforcementOptions | None = None,
    DisconnectOnSessionTimeout: bool | None = None,
    TransitGatewayConfiguration: TransitGatewayConfigurationInputStructure | None = None,
    DevicePostureOptions: DevicePostureOptions | None = None,
) -> ModifyClientVpnEndpointResult:
    request: dict[str, Any] = {
        "ServerCertificateArn": ServerCertificateArn,
        "ConnectionLogOptions": ConnectionLogOptions,
        "DnsServers": DnsServers,
        "VpnPort": VpnPort,
        "Description": Description,
        "SplitTunnel": SplitTunnel,
        "SecurityGroupIds": SecurityGroupIds,
        "VpcId": VpcId,
        "SelfServicePortal": SelfServicePortal,
        "ClientConnectOptions": ClientConnectOptions,
        "SessionTimeoutHours": SessionTimeoutHours,
        "ClientLoginBannerOptions": ClientLoginBannerOptions,
        "ClientRouteEnforcementOptions": ClientRouteEnforcementOptions,
        "DisconnectOnSessionTimeout": DisconnectOnSessionTimeout,
        "TransitGatewayConfiguration": TransitGatewayConfiguration,
        "DevicePostureOptions": DevicePostureOptions,
    }
    ctx.backend.client_vpn.modify_endpoint(ClientVpnEndpointId, request)
    return {"Return": True}


@operation("DeleteClientVpnEndpoint")
def delete_client_vpn_endpoint(
    ctx: Ctx, *, ClientVpnEndpointId: str
) -> DeleteClientVpnEndpointResult:
    endpoint = ctx.backend.client_vpn.delete_endpoint(ClientVpnEndpointId)
    return {"Status": {"Code": endpoint.status}}


# -- target networks


@operation("AssociateClientVpnTargetNetwork")
def associate_client_vpn_target_network(
    ctx: Ctx,
    *,
    ClientVpnEndpointId: str,
    SubnetId: str | None = None,
    ClientToken: str | None = None,
    AvailabilityZone: str | None = None,
    AvailabilityZoneId: str | None = None,
) -> AssociateClientVpnTargetNetworkResult:
    association = ctx.backend.client_vpn.associate(
        ClientVpnEndpointId,
        subnet_id=SubnetId,
        zone=AvailabilityZone,
        zone_id=AvailabilityZoneId,
        token=ClientToken,
    )
    return {
        "AssociationId": association.association_id,
        "Status": {"Code": association.status},
    }


@operation("DescribeClientVpnTargetNetworks", filters=TARGET_NETWORKS)
def describe_client_vpn_target_networks(
    ctx: Ctx,
    *,
    ClientVpnEndpointId: str,
    AssociationIds: list[str] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
    Filters: list[Filter] | None = None,
) -> DescribeClientVpnTargetNetworksResult:
    endpoint = ctx.backend.client_vpn.endpoint(ClientVpnEndpointId)
    networks = list(endpoint.associations.values())
    if AssociationIds:
        wanted = set(AssociationIds)
        networks = [n for n in networks if n.association_id in wanted]
    networks = apply_filters(networks, Filters, TARGET_NETWORKS, ctx.operation_model)
    shown, token = page(ctx, networks, MaxResults, NextToken)
    result: DescribeClientVpnTargetNetworksResult = {
        "ClientVpnTargetNetworks": [n.describe() for n in shown]  # type: ignore[misc]
    }
    if token:
        result["NextToken"] = token
    return result


@operation("DisassociateClientVpnTargetNetwork")
def disassociate_client_vpn_target_network(
    ctx: Ctx, *, ClientVpnEndpointId: str, AssociationId: str
) -> DisassociateClientVpnTargetNetworkResult:
    association = ctx.backend.client_vpn.disassociate(ClientVpnEndpointId, AssociationId)
    return {
        "AssociationId": association.association_id,
        "Status": {"Code": association.status},
    }


@operation("ApplySecurityGroupsToClientVpnTargetNetwork")
def apply_security_groups_to_client_vpn_target_network(
    ctx: Ctx, *, ClientVpnEndpointId: str, VpcId: str, SecurityGroupIds: list[str]
) -> ApplySecurityGroupsToClientVpnTargetNetworkResult:
    groups = ctx.backend.client_vpn.apply_security_groups(
        ClientVpnEndpointId, VpcId, SecurityGroupIds
    )
    return {"SecurityGroupIds": groups}


# -- authorization rules


@operation("AuthorizeClientVpnIngress")
def authorize_client_vpn_ingress(
    ctx: Ctx,
    *,
    ClientVpnEndpointId: str,
    TargetNetworkCidr: str,
    AccessGroupId: str | None = None,
    AuthorizeAllGroups: bool | None = None,
    Description: str | None = None,
    ClientToken: str | None = None,
) -> AuthorizeClientVpnIngressResult:
    rule = ctx.backend.client_vpn.authorize(
        ClientVpnEndpointId,
        cidr=TargetNetworkCidr,
        group_id=AccessGroupId,
        all_groups=AuthorizeAllGroups,
        description=Description,
        token=ClientToken,
    )
    return {"Status": {"Code": rule.status}}


@operation("RevokeClientVpnIngress")
def revoke_client_vpn_ingress(
    ctx: Ctx,
    *,
    ClientVpnEndpointId: str,
    TargetNetworkCidr: str,
    AccessGroupId: str | None = None,
    RevokeAllGroups: bool | None = None,
) -> RevokeClientVpnIngressResult:
    rule = ctx.backend.client_vpn.revoke(
        ClientVpnEndpointId,
        cidr=TargetNetworkCidr,
        group_id=AccessGroupId,
        all_groups=RevokeAllGroups,
    )
    return {"Status": {"Code": rule.status}}


@operation("DescribeClientVpnAuthorizationRules", filters=RULES)
def describe_client_vpn_authorization_rules(
    ctx: Ctx,
    *,
    ClientVpnEndpointId: str,
    NextToken: str | None = None,
    Filters: list[Filter] | None = None,
    MaxResults: int | None = None,
) -> DescribeClientVpnAuthorizationRulesResult:
    endpoint = ctx.backend.client_vpn.endpoint(ClientVpnEndpointId)
    rules = apply_filters(endpoint.rules, Filters, RULES, ctx.operation_model)
    shown, token = page(ctx, rules, MaxResults, NextToken)
    result: DescribeClientVpnAuthorizationRulesResult = {
        "AuthorizationRules": [r.describe() for r in shown]  # type: ignore[misc]
    }
    if token:
        result["NextToken"] = token
    return result


# -- routes


@operation("CreateClientVpnRoute")
def create_client_vpn_route(
    ctx: Ctx,
    *,
    ClientVpnEndpointId: str,
    DestinationCidrBlock: str,
    TargetVpcSubnetId: str | None = None,
    Description: str | None = None,
    ClientToken: str | None = None,
) -> CreateClientVpnRouteResult:
    route = ctx.backend.client_vpn.create_route(
        ClientVpnEndpointId,
        cidr=DestinationCidrBlock,
        target=TargetVpcSubnetId,
        description=Description,
        token=ClientToken,
    )
    return {"Status": {"Code": route.status}}


@operation("DeleteClientVpnRoute")
def delete_client_vpn_route(
    ctx: Ctx,
    *,
    ClientVpnEndpointId: str,
    DestinationCidrBlock: str,
    TargetVpcSubnetId: str | None = None,
) -> DeleteClientVpnRouteResult:
    route = ctx.backend.client_vpn.delete_route(
        ClientVpnEndpointId, cidr=DestinationCidrBlock, target=TargetVpcSubnetId
    )
    return {"Status": {"Code": route.status}}


@operation("DescribeClientVpnRoutes", filters=ROUTES)
def describe_client_vpn_routes(
    ctx: Ctx,
    *,
    ClientVpnEndpointId: str,
    Filters: list[Filter] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> DescribeClientVpnRoutesResult:
    endpoint = ctx.backend.client_vpn.endpoint(ClientVpnEndpointId)
    routes = apply_filters(endpoint.routes, Filters, ROUTES, ctx.operation_model)
    shown, token = page(ctx, routes, MaxResults, NextToken)
    result: DescribeClientVpnRoutesResult = {
        "Routes": [r.describe() for r in shown]  # type: ignore[misc]
    }
    if token:
        result["NextToken"] = token
    return result


# -- connections


@operation("DescribeClientVpnConnections", filters=CONNECTIONS)
def describe_client_vpn_connections(
    ctx: Ctx,
    *,
    ClientVpnEndpointId: str,
    Filters: list[Filter] | None = None,
    NextToken: str | None = None,
    MaxResults: int | None = None,
) -> DescribeClientVpnConnectionsResult:
    ctx.backend.client_vpn.endpoint(ClientVpnEndpointId)
    # No OpenVPN client ever connects to the mock: there is nothing to list, but the
    # filters and paging are checked as EC2 checks them.
    connections = apply_filters([], Filters, CONNECTIONS, ctx.operation_model)
    shown, token = page(ctx, connections, MaxResults, NextToken)
    result: DescribeClientVpnConnectionsResult = {"Connections": shown}
    if token:
        result["NextToken"] = token
    return result


@operation("TerminateClientVpnConnections")
def terminate_client_vpn_connections(
    ctx: Ctx,
    *,
    ClientVpnEndpointId: str,
    ConnectionId: str | None = None,
    Username: str | None = None,
) -> TerminateClientVpnConnectionsResult:
    ctx.backend.client_vpn.terminate(
        ClientVpnEndpointId, connection_id=ConnectionId, username=Username
    )
    return {"ClientVpnEndpointId": ClientVpnEndpointId, "ConnectionStatuses": []}


# -- client configuration, certificate revocation lists


@operation("ExportClientVpnClientConfiguration")
def export_client_vpn_client_configuration(
    ctx: Ctx, *, ClientVpnEndpointId: str
) -> ExportClientVpnClientConfigurationResult:
    configuration = ctx.backend.client_vpn.client_configuration(ClientVpnEndpointId)
    # Export is not one of the verbs DryRun treats as read-only: it answers here.
    commit()
    return {"ClientConfiguration": configuration}


@operation("ImportClientVpnClientCertificateRevocationList")
def import_client_vpn_client_certificate_revocation_list(
    ctx: Ctx, *, ClientVpnEndpointId: str, CertificateRevocationList: str
) -> ImportClientVpnClientCertificateRevocationListResult:
    ctx.backend.client_vpn.import_crl(ClientVpnEndpointId, CertificateRevocationList)
    return {"Return": True}


@operation("ExportClientVpnClientCertificateRevocationList")
def export_client_vpn_client_certificate_revocation_list(
    ctx: Ctx, *, ClientVpnEndpointId: str
) -> ExportClientVpnClientCertificateRevocationListResult:
    endpoint = ctx.backend.client_vpn.endpoint(ClientVpnEndpointId)
    commit()
    if endpoint.crl is None:
        return {}
    return {"CertificateRevocationList": endpoint.crl, "Status": {"Code": "active"}}


# -- authorization policy


@operation("GetClientVpnEndpointAuthorizationPolicy")
def get_client_vpn_endpoint_authorization_policy(
    ctx: Ctx, *, ClientVpnEndpointId: str
) -> GetClientVpnEndpointAuthorizationPolicyResult:
    endpoint = ctx.backend.client_vpn.endpoint(ClientVpnEndpointId)
    result: GetClientVpnEndpointAuthorizationPolicyResult = {"ClientVpnEndpointId": endpoint.id}
    policy = endpoint.policy
    if policy is not None:
        result["PolicyDocument"] = policy.document
        result["ShadowMode"] = policy.shadow_mode
        result["Status"] = policy.status
        if policy.description:
            result["Description"] = policy.description
    return result


@operation("ModifyClientVpnEndpointAuthorizationPolicy")
def modify_client_vpn_endpoint_authorization_policy(
    ctx: Ctx,
    *,
    ClientVpnEndpointId: str,
    PolicyDocument: str | None = None,
    Description: str | None = None,
    ShadowMode: str | None = None,
    ClientToken: str | None = None,
) -> ModifyClientVpnEndpointAuthorizationPolicyResult:
    # ClientToken: the same request again leaves the same policy, so nothing to remember.
    policy = ctx.backend.client_vpn.modify_policy(
        ClientVpnEndpointId,
        document=PolicyDocument,
        description=Description,
        shadow_mode=ShadowMode,
    )
    return {"Status": policy.status}


@operation("DeleteClientVpnEndpointAuthorizationPolicy")
def delete_client_vpn_endpoint_authorization_policy(
    ctx: Ctx, *, ClientVpnEndpointId: str
) -> DeleteClientVpnEndpointAuthorizationPolicyResult:
    policy = ctx.backend.client_vpn.delete_policy(ClientVpnEndpointId)
    return {"Status": policy.status}


# -- the transit gateway attachment of an endpoint on a transit gateway


@operation("AcceptTransitGatewayClientVpnAttachment")
def accept_transit_gateway_client_vpn_attachment(
    ctx: Ctx, *, TransitGatewayAttachmentId: str
) -> AcceptTransitGatewayClientVpnAttachmentResult:
    attachment = ctx.backend.client_vpn.accept_attachment(TransitGatewayAttachmentId, True)
    return {"TransitGatewayClientVpnAttachment": attachment.describe()}  # type: ignore[typeddict-item]


@operation("RejectTransitGatewayClientVpnAttachment")
def reject_transit_gateway_client_vpn_attachment(
    ctx: Ctx, *, TransitGatewayAttachmentId: str
) -> RejectTransitGatewayClientVpnAttachmentResult:
    attachment = ctx.backend.client_vpn.accept_attachment(TransitGatewayAttachmentId, False)
    return {"TransitGatewayClientVpnAttachment": attachment.describe()}  # type: ignore[typeddict-item]


@operation("DeleteTransitGatewayClientVpnAttachment")
def delete_transit_gateway_client_vpn_attachment(
    ctx: Ctx, *, TransitGatewayAttachmentId: str
) -> DeleteTransitGatewayClientVpnAttachmentResult:
    attachment = ctx.backend.client_vpn.delete_attachment(TransitGatewayAttachmentId)
    return {"TransitGatewayClientVpnAttachment": attachment.describe()}  # type: ignore[typeddict-item]
