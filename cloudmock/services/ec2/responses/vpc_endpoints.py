"""VPC endpoints and endpoint services: endpoints, service configurations, permissions,
connections, connection notifications, payer responsibility, associations."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cloudmock.core.errors import (
    InvalidParameterCombination,
    InvalidParameterValue,
    MissingParameter,
    ServiceError,
)
from cloudmock.core.plugin import operation
from cloudmock.services.ec2.dryrun import commit
from cloudmock.services.ec2.filters import FilterSet, apply_filters
from cloudmock.services.ec2.models.regions import region as region_info
from cloudmock.services.ec2.models.tags import tag_specifications
from cloudmock.services.ec2.models.vpc_endpoints import (
    ASSOCIATION_FILTERS,
    CONNECTION_FILTERS,
    ENDPOINT_FILTERS,
    NOTIFICATION,
    NOTIFICATION_FILTERS,
    PERMISSION_FILTERS,
    SERVICE_CONFIGURATION_FILTERS,
    SERVICE_DETAIL_FILTERS,
    EndpointService,
    Notification,
    Permission,
    _detail_tags,
    aws_detail,
    invalid,
    unsuccessful,
)
from cloudmock.services.ec2.responses.common import Ctx, page, select

if TYPE_CHECKING:
    from cloudmock.services.ec2.shapes import (
        AcceptVpcEndpointConnectionsResult,
        AddedPrincipal,
        CreateVpcEndpointConnectionNotificationResult,
        CreateVpcEndpointResult,
        CreateVpcEndpointServiceConfigurationResult,
        DeleteVpcEndpointConnectionNotificationsResult,
        DeleteVpcEndpointServiceConfigurationsResult,
        DeleteVpcEndpointsResult,
        DescribeVpcEndpointAssociationsResult,
        DescribeVpcEndpointConnectionNotificationsResult,
        DescribeVpcEndpointConnectionsResult,
        DescribeVpcEndpointServiceConfigurationsResult,
        DescribeVpcEndpointServicePermissionsResult,
        DescribeVpcEndpointServicesResult,
        DescribeVpcEndpointsResult,
        DnsOptionsSpecification,
        Filter,
        ModifyVpcEndpointConnectionNotificationResult,
        ModifyVpcEndpointPayerResponsibilityResult,
        ModifyVpcEndpointResult,
        ModifyVpcEndpointServiceConfigurationResult,
        ModifyVpcEndpointServicePayerResponsibilityResult,
        ModifyVpcEndpointServicePermissionsResult,
        RejectVpcEndpointConnectionsResult,
        StartVpcEndpointServicePrivateDnsVerificationResult,
        SubnetConfiguration,
        TagSpecification,
        UnsuccessfulItem,
    )

ENDPOINTS: FilterSet[Any] = FilterSet(ENDPOINT_FILTERS)
SERVICE_CONFIGURATIONS: FilterSet[Any] = FilterSet(SERVICE_CONFIGURATION_FILTERS)
SERVICE_DETAILS: FilterSet[Any] = FilterSet(SERVICE_DETAIL_FILTERS, tags=_detail_tags)
CONNECTIONS: FilterSet[Any] = FilterSet(CONNECTION_FILTERS)
NOTIFICATIONS: FilterSet[Any] = FilterSet(NOTIFICATION_FILTERS, tags=lambda n: {})
PERMISSIONS: FilterSet[Any] = FilterSet(PERMISSION_FILTERS)
ASSOCIATIONS: FilterSet[Any] = FilterSet(ASSOCIATION_FILTERS)


def _page(
    ctx: Ctx,
    items: list[Any],
    max_results: int | None,
    token: str | None,
    *,
    low: int = 1,
    high: int = 1000,
) -> tuple[list[Any], str | None]:
    """EC2 pages these at most 1,000 at a time: a larger MaxResults gets 1,000 items."""
    if max_results is not None and high == 1000:
        max_results = min(max_results, 1000)
    return page(ctx, items, max_results, token, low=low, high=high)


def _token_reuse(ctx: Ctx, operation: str, token: str | None, request: Any) -> str | None:
    """The id an earlier request with ``token`` made, or None; a different request is refused."""
    if not token:
        return None
    seen = ctx.backend.vpc_endpoints.tokens.get((operation, token))
    if seen is None:
        return None
    made, earlier = seen
    if earlier != request:
        raise ServiceError(
            "The client token you have provided is associated with a resource that is already "
            "deleted or with a request that has different parameters. Please use a different "
            "client token.",
            code="IdempotentParameterMismatch",
        )
    return made


def _remember(ctx: Ctx, operation: str, token: str | None, made: str, request: Any) -> None:
    if token:
        ctx.backend.vpc_endpoints.tokens[(operation, token)] = (made, request)


def _subnet_ips(
    configs: list[SubnetConfiguration] | None,
) -> dict[str, tuple[str | None, str | None]]:
    out: dict[str, tuple[str | None, str | None]] = {}
    for position, config in enumerate(configs or (), start=1):
        subnet_id = config.get("SubnetId")
        if not subnet_id:
            raise MissingParameter(f"SubnetConfiguration.{position}.SubnetId")
        out[subnet_id] = (config.get("Ipv4"), config.get("Ipv6"))
    return out


# -- endpoints


@operation("CreateVpcEndpoint")
def create_vpc_endpoint(
    ctx: Ctx,
    *,
    VpcId: str,
    VpcEndpointType: str | None = None,
    ServiceName: str | None = None,
    PolicyDocument: str | None = None,
    RouteTableIds: list[str] | None = None,
    SubnetIds: list[str] | None = None,
    SecurityGroupIds: list[str] | None = None,
    IpAddressType: str | None = None,
    DnsOptions: DnsOptionsSpecification | None = None,
    ClientToken: str | None = None,
    PrivateDnsEnabled: bool | None = None,
    TagSpecifications: list[TagSpecification] | None = None,
    SubnetConfigurations: list[SubnetConfiguration] | None = None,
    ServiceNetworkArn: str | None = None,
    ResourceConfigurationArn: str | None = None,
    ServiceRegion: str | None = None,
) -> CreateVpcEndpointResult:
    family = ctx.backend.vpc_endpoints
    signature = (
        VpcId, VpcEndpointType, ServiceName, PolicyDocument, RouteTableIds, SubnetIds,
        SecurityGroupIds, IpAddressType, DnsOptions, PrivateDnsEnabled, SubnetConfigurations,
        ServiceNetworkArn, ResourceConfigurationArn, ServiceRegion,
    )  # fmt: skip
    earlier = _token_reuse(ctx, "CreateVpcEndpoint", ClientToken, signature)
    if earlier is not None:
        commit()
        endpoint = family.endpoints.get(earlier)
        result: CreateVpcEndpointResult = {"VpcEndpoint": endpoint.describe()}
        if ClientToken:
            result["ClientToken"] = ClientToken
        return result
    if ServiceRegion is not None:
        try:
            region_info(ServiceRegion)
        except ServiceError:
            raise InvalidParameterValue(
                f"Invalid value '{ServiceRegion}' for ServiceRegion."
            ) from None
    tags = tag_specifications(TagSpecifications, ("vpc-endpoint",))
    subnet_ips = _subnet_ips(SubnetConfigurations)
    subnet_ids = list(dict.fromkeys([*(SubnetIds or []), *subnet_ips]))
    request = family.check_create(
        endpoint_type=VpcEndpointType or "Gateway",
        vpc_id=VpcId,
        service_name=ServiceName,
        service_region=ServiceRegion,
        subnet_ids=subnet_ids,
        subnet_ips=subnet_ips,
        group_ids=list(dict.fromkeys(SecurityGroupIds or [])),
        route_table_ids=list(dict.fromkeys(RouteTableIds or [])),
        policy=PolicyDocument,
        ip_address_type=IpAddressType,
        dns_options=dict(DnsOptions) if DnsOptions is not None else None,
        private_dns_enabled=PrivateDnsEnabled,
        service_network_arn=ServiceNetworkArn,
        resource_configuration_arn=ResourceConfigurationArn,
        tags=tags.get("vpc-endpoint", {}),
    )
    commit()
    endpoint = family.create(request)
    _remember(ctx, "CreateVpcEndpoint", ClientToken, endpoint.id, signature)
    result = {"VpcEndpoint": endpoint.describe()}
    if ClientToken:
        result["ClientToken"] = ClientToken
    return result


@operation("ModifyVpcEndpoint")
def modify_vpc_endpoint(
    ctx: Ctx,
    *,
    VpcEndpointId: str,
    ResetPolicy: bool | None = None,
    PolicyDocument: str | None = None,
    AddRouteTableIds: list[str] | None = None,
    RemoveRouteTableIds: list[str] | None = None,
    AddSubnetIds: list[str] | None = None,
    RemoveSubnetIds: list[str] | None = None,
    AddSecurityGroupIds: list[str] | None = None,
    RemoveSecurityGroupIds: list[str] | None = None,
    IpAddressType: str | None = None,
    DnsOptions: DnsOptionsSpecification | None = None,
    PrivateDnsEnabled: bool | None = None,
    SubnetConfigurations: list[SubnetConfiguration] | None = None,
) -> ModifyVpcEndpointResult:
    family = ctx.backend.vpc_endpoints
    endpoint = family.endpoints.get(VpcEndpointId)
    subnet_ips = _subnet_ips(SubnetConfigurations)
    add_subnets = list(
        dict.fromkeys(
            [*(AddSubnetIds or []), *(s for s in subnet_ips if s not in endpoint.subnet_zones)]
        )
    )
    change = family.check_modify(
        endpoint,
        add_tables=list(dict.fromkeys(AddRouteTableIds or [])),
        remove_tables=list(dict.fromkeys(RemoveRouteTableIds or [])),
        add_subnets=add_subnets,
        remove_subnets=list(dict.fromkeys(RemoveSubnetIds or [])),
        subnet_ips=subnet_ips,
        add_groups=list(dict.fromkeys(AddSecurityGroupIds or [])),
        remove_groups=list(dict.fromkeys(RemoveSecurityGroupIds or [])),
        policy=PolicyDocument,
        reset_policy=bool(ResetPolicy),
        ip_address_type=IpAddressType,
        dns_options=dict(DnsOptions) if DnsOptions is not None else None,
        private_dns_enabled=PrivateDnsEnabled,
    )
    commit()
    family.modify(endpoint, change)
    return {"Return": True}


@operation("DeleteVpcEndpoints")
def delete_vpc_endpoints(ctx: Ctx, *, VpcEndpointIds: list[str]) -> DeleteVpcEndpointsResult:
    family = ctx.backend.vpc_endpoints
    found, failed = family.delete(VpcEndpointIds)
    commit()
    for endpoint in found:
        family.remove(endpoint)
    return {"Unsuccessful": failed}


@operation("DescribeVpcEndpoints", filters=ENDPOINTS)
def describe_vpc_endpoints(
    ctx: Ctx,
    *,
    VpcEndpointIds: list[str] | None = None,
    Filters: list[Filter] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> DescribeVpcEndpointsResult:
    endpoints = select(ctx, ctx.backend.vpc_endpoints.endpoints, VpcEndpointIds, Filters, ENDPOINTS)
    shown, token = _page(ctx, endpoints, MaxResults, NextToken)
    result: DescribeVpcEndpointsResult = {"VpcEndpoints": [e.describe() for e in shown]}
    if token:
        result["NextToken"] = token
    return result


@operation("DescribeVpcEndpointServices", filters=SERVICE_DETAILS)
def describe_vpc_endpoint_services(
    ctx: Ctx,
    *,
    ServiceNames: list[str] | None = None,
    Filters: list[Filter] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
    ServiceRegions: list[str] | None = None,
) -> DescribeVpcEndpointServicesResult:
    regions = list(dict.fromkeys(ServiceRegions or [ctx.region]))
    for name in regions:
        try:
            region_info(name)
        except ServiceError:
            raise InvalidParameterValue(f"Invalid value '{name}' for ServiceRegions.") from None
    services = ctx.backend.vpc_endpoints.visible_services(regions)
    if ServiceNames:
        known = {name for name, _ in services}
        missing = [n for n in ServiceNames if n not in known]
        if missing:
            raise ServiceError(
                f"The Vpc Endpoint Service '{missing[0]}' does not exist",
                code="InvalidServiceName",
            )
        wanted = set(ServiceNames)
        services = [pair for pair in services if pair[0] in wanted]
    items = apply_filters(
        [service for _, service in services], Filters, SERVICE_DETAILS, ctx.operation_model
    )
    shown, token = _page(ctx, items, MaxResults, NextToken)
    details = [s.detail() if isinstance(s, EndpointService) else aws_detail(s) for s in shown]
    result: DescribeVpcEndpointServicesResult = {
        "ServiceNames": list(dict.fromkeys(d["ServiceName"] for d in details)),
        "ServiceDetails": details,
    }
    if token:
        result["NextToken"] = token
    return result


# -- endpoint services


@operation("CreateVpcEndpointServiceConfiguration")
def create_vpc_endpoint_service_configuration(
    ctx: Ctx,
    *,
    AcceptanceRequired: bool | None = None,
    PrivateDnsName: str | None = None,
    NetworkLoadBalancerArns: list[str] | None = None,
    GatewayLoadBalancerArns: list[str] | None = None,
    SupportedIpAddressTypes: list[str] | None = None,
    SupportedRegions: list[str] | None = None,
    ClientToken: str | None = None,
    TagSpecifications: list[TagSpecification] | None = None,
) -> CreateVpcEndpointServiceConfigurationResult:
    family = ctx.backend.vpc_endpoints
    nlbs = list(dict.fromkeys(NetworkLoadBalancerArns or []))
    gwlbs = list(dict.fromkeys(GatewayLoadBalancerArns or []))
    ip_types = list(dict.fromkeys(SupportedIpAddressTypes or ["ipv4"]))
    regions = [r for r in dict.fromkeys(SupportedRegions or []) if r != ctx.region]
    signature = (AcceptanceRequired, PrivateDnsName, nlbs, gwlbs, ip_types, regions)
    earlier = _token_reuse(ctx, "CreateVpcEndpointServiceConfiguration", ClientToken, signature)
    if earlier is not None:
        commit()
        result: CreateVpcEndpointServiceConfigurationResult = {
            "ServiceConfiguration": family.services.get(earlier).describe()
        }
        if ClientToken:
            result["ClientToken"] = ClientToken
        return result
    if not nlbs and not gwlbs:
        raise MissingParameter("NetworkLoadBalancerArns or GatewayLoadBalancerArns")
    family.check_service_input(nlbs, gwlbs, PrivateDnsName, ip_types, regions)
    tags = tag_specifications(TagSpecifications, ("vpc-endpoint-service",))
    commit()
    service = family.create_service(
        nlb_arns=nlbs,
        gwlb_arns=gwlbs,
        acceptance_required=True if AcceptanceRequired is None else AcceptanceRequired,
        private_dns_name=PrivateDnsName,
        ip_types=ip_types,
        regions=[ctx.region, *regions] if regions else [],
        tags=tags.get("vpc-endpoint-service", {}),
    )
    _remember(ctx, "CreateVpcEndpointServiceConfiguration", ClientToken, service.id, signature)
    result = {"ServiceConfiguration": service.describe()}
    if ClientToken:
        result["ClientToken"] = ClientToken
    return result


def _edit(current: list[str], add: list[str] | None, remove: list[str] | None) -> list[str]:
    kept = [x for x in current if x not in (remove or [])]
    return kept + [x for x in dict.fromkeys(add or []) if x not in kept]


@operation("ModifyVpcEndpointServiceConfiguration")
def modify_vpc_endpoint_service_configuration(
    ctx: Ctx,
    *,
    ServiceId: str,
    PrivateDnsName: str | None = None,
    RemovePrivateDnsName: bool | None = None,
    AcceptanceRequired: bool | None = None,
    AddNetworkLoadBalancerArns: list[str] | None = None,
    RemoveNetworkLoadBalancerArns: list[str] | None = None,
    AddGatewayLoadBalancerArns: list[str] | None = None,
    RemoveGatewayLoadBalancerArns: list[str] | None = None,
    AddSupportedIpAddressTypes: list[str] | None = None,
    RemoveSupportedIpAddressTypes: list[str] | None = None,
    AddSupportedRegions: list[str] | None = None,
    RemoveSupportedRegions: list[str] | None = None,
) -> ModifyVpcEndpointServiceConfigurationResult:
    family = ctx.backend.vpc_endpoints
    service = family.get_service(ServiceId)
    if PrivateDnsName is not None and RemovePrivateDnsName:
        raise InvalidParameterCombination(
            "PrivateDnsName and RemovePrivateDnsName cannot both be given."
        )
    nlbs = _edit(service.nlb_arns, AddNetworkLoadBalancerArns, RemoveNetworkLoadBalancerArns)
    gwlbs = _edit(service.gwlb_arns, AddGatewayLoadBalancerArns, RemoveGatewayLoadBalancerArns)
    ip_types = _edit(
        service.supported_ip_types, AddSupportedIpAddressTypes, RemoveSupportedIpAddressTypes
    )
    current_regions = [r for r in service.supported_regions if r != ctx.region]
    regions = [
        r
        for r in _edit(current_regions, AddSupportedRegions, RemoveSupportedRegions)
        if r != ctx.region
    ]
    if not nlbs and not gwlbs:
        raise invalid("An endpoint service must keep at least one load balancer.")
    if not ip_types:
        raise invalid("An endpoint service must support at least one IP address type.")
    dns_name = None if RemovePrivateDnsName else PrivateDnsName or service.private_dns_name
    family.check_service_input(nlbs, gwlbs, PrivateDnsName, ip_types, regions)
    commit()
    service.nlb_arns, service.gwlb_arns, service.supported_ip_types = nlbs, gwlbs, ip_types
    service.supported_regions = [ctx.region, *regions] if regions else []
    if dns_name != service.private_dns_name:
        # a new name must be verified again
        service.private_dns_name = dns_name
        service.dns_state = "pendingVerification"
        service.dns_token = ctx.backend.ids.hex(32)
    if AcceptanceRequired is not None:
        service.acceptance_required = AcceptanceRequired
    return {"Return": True}


@operation("StartVpcEndpointServicePrivateDnsVerification")
def start_vpc_endpoint_service_private_dns_verification(
    ctx: Ctx, *, ServiceId: str
) -> StartVpcEndpointServicePrivateDnsVerificationResult:
    service = ctx.backend.vpc_endpoints.get_service(ServiceId)
    if not service.private_dns_name:
        raise invalid(f"The service {ServiceId} has no private DNS name to verify.")
    commit()
    # cloudmock has no DNS to look the TXT record up in: the domain counts as proven
    service.dns_state = "verified"
    return {"ReturnValue": True}


@operation("ModifyVpcEndpointServicePayerResponsibility")
def modify_vpc_endpoint_service_payer_responsibility(
    ctx: Ctx, *, ServiceId: str, PayerResponsibility: str
) -> ModifyVpcEndpointServicePayerResponsibilityResult:
    service = ctx.backend.vpc_endpoints.get_service(ServiceId)
    if PayerResponsibility != "ServiceOwner":
        raise InvalidParameterValue(
            f"Invalid value '{PayerResponsibility}' for PayerResponsibility."
        )
    commit()
    service.payer = PayerResponsibility
    return {"ReturnValue": True}


@operation("ModifyVpcEndpointPayerResponsibility")
def modify_vpc_endpoint_payer_responsibility(
    ctx: Ctx,
    *,
    VpcEndpointId: str,
    PayerResponsibility: str,
    Scope: str,
    ServiceId: str | None = None,
) -> ModifyVpcEndpointPayerResponsibilityResult:
    family = ctx.backend.vpc_endpoints
    if ServiceId is not None:
        # the service owner decides for an endpoint connected to its service
        service = family.get_service(ServiceId)
        connection = service.connections.get(VpcEndpointId)
        if connection is None:
            raise ServiceError(
                f"The VpcEndpoint Id '{VpcEndpointId}' does not exist",
                code="InvalidVpcEndpointId.NotFound",
            )
        endpoint = connection.endpoint
    else:
        endpoint = family.endpoints.get(VpcEndpointId)
    if PayerResponsibility not in (
        "vpc-endpoint-account",
        "resource-gateway-account",
        "vpc-endpoint-service-account",
    ):
        raise InvalidParameterValue(
            f"Invalid value '{PayerResponsibility}' for PayerResponsibility."
        )
    scope = Scope
    if scope not in ("vpc-endpoint-charges", "resource-gateway-charges"):
        raise InvalidParameterValue(f"Invalid value '{scope}' for Scope.")
    commit()
    endpoint.payer[scope] = PayerResponsibility
    return {
        "VpcEndpointId": endpoint.id,
        "PayerResponsibilities": endpoint.payer_shape(),  # type: ignore[typeddict-item]
    }


@operation("DeleteVpcEndpointServiceConfigurations")
def delete_vpc_endpoint_service_configurations(
    ctx: Ctx, *, ServiceIds: list[str]
) -> DeleteVpcEndpointServiceConfigurationsResult:
    family = ctx.backend.vpc_endpoints
    found, failed = family.delete_services(ServiceIds)
    commit()
    for service in found:
        family.remove_service(service)
    return {"Unsuccessful": failed}


@operation("DescribeVpcEndpointServiceConfigurations", filters=SERVICE_CONFIGURATIONS)
def describe_vpc_endpoint_service_configurations(
    ctx: Ctx,
    *,
    ServiceIds: list[str] | None = None,
    Filters: list[Filter] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> DescribeVpcEndpointServiceConfigurationsResult:
    services = select(
        ctx, ctx.backend.vpc_endpoints.services, ServiceIds, Filters, SERVICE_CONFIGURATIONS
    )
    shown, token = _page(ctx, services, MaxResults, NextToken, low=5)
    result: DescribeVpcEndpointServiceConfigurationsResult = {
        "ServiceConfigurations": [s.describe() for s in shown]
    }
    if token:
        result["NextToken"] = token
    return result


# -- permissions


@operation("ModifyVpcEndpointServicePermissions")
def modify_vpc_endpoint_service_permissions(
    ctx: Ctx,
    *,
    ServiceId: str,
    AddAllowedPrincipals: list[str] | None = None,
    RemoveAllowedPrincipals: list[str] | None = None,
    PermissionType: str | None = None,
) -> ModifyVpcEndpointServicePermissionsResult:
    family = ctx.backend.vpc_endpoints
    service = family.get_service(ServiceId)
    kind = PermissionType or "vpc-endpoint"
    if kind not in ("vpc-endpoint", "transit-gateway-attachment"):
        raise InvalidParameterValue(f"Invalid value '{kind}' for PermissionType.")
    adding = [p for p in dict.fromkeys(AddAllowedPrincipals or []) if p not in service.permissions]
    for principal in adding:
        probe = Permission(id="vpce-svc-perm-0", service_id=service.id, principal=principal)
        if principal != "*" and probe.principal_type == "Role" and ":role/" not in principal:
            raise invalid(f"Invalid principal: {principal}")
    commit()
    added: list[AddedPrincipal] = []
    for principal in adding:
        permission = Permission(
            id=ctx.backend.ids.new("vpce-svc-perm"),
            service_id=service.id,
            principal=principal,
            permission_type=kind,
        )
        service.permissions[principal] = permission
        family.permissions.add(permission)
        added.append(
            {
                "PrincipalType": permission.principal_type,
                "Principal": principal,
                "ServicePermissionId": permission.id,
                "ServiceId": service.id,
                "PermissionType": kind,
            }
        )
    for principal in RemoveAllowedPrincipals or []:
        gone = service.permissions.pop(principal, None)
        if gone is not None:
            family.permissions.remove(gone.id)
    result: ModifyVpcEndpointServicePermissionsResult = {"ReturnValue": True}
    if added:
        result["AddedPrincipals"] = added
    return result


@operation("DescribeVpcEndpointServicePermissions", filters=PERMISSIONS)
def describe_vpc_endpoint_service_permissions(
    ctx: Ctx,
    *,
    ServiceId: str,
    Filters: list[Filter] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> DescribeVpcEndpointServicePermissionsResult:
    service = ctx.backend.vpc_endpoints.get_service(ServiceId)
    permissions = apply_filters(
        list(service.permissions.values()), Filters, PERMISSIONS, ctx.operation_model
    )
    shown, token = _page(ctx, permissions, MaxResults, NextToken, low=5)
    result: DescribeVpcEndpointServicePermissionsResult = {
        "AllowedPrincipals": [p.describe() for p in shown]
    }
    if token:
        result["NextToken"] = token
    return result


# -- connections


def _transit_gateway_refusals(ids: list[str] | None) -> list[UnsuccessfulItem]:
    # no transit gateway attachment can be connected to a service in cloudmock yet
    return [
        unsuccessful(
            attachment,
            "InvalidTransitGatewayAttachmentID.NotFound",
            f"Transit Gateway Attachment {attachment} was deleted or does not exist.",
        )
        for attachment in dict.fromkeys(ids or [])
    ]


@operation("AcceptVpcEndpointConnections")
def accept_vpc_endpoint_connections(
    ctx: Ctx,
    *,
    ServiceId: str,
    VpcEndpointIds: list[str],
    TransitGatewayAttachmentIds: list[str] | None = None,
) -> AcceptVpcEndpointConnectionsResult:
    family = ctx.backend.vpc_endpoints
    service = family.get_service(ServiceId)
    ok, failed = family.connection_results(service, VpcEndpointIds or [], "accept")
    commit()
    for connection in ok:
        family.accept_connection(connection)
    return {"Unsuccessful": failed + _transit_gateway_refusals(TransitGatewayAttachmentIds)}


@operation("RejectVpcEndpointConnections")
def reject_vpc_endpoint_connections(
    ctx: Ctx,
    *,
    ServiceId: str,
    VpcEndpointIds: list[str],
    TransitGatewayAttachmentIds: list[str] | None = None,
) -> RejectVpcEndpointConnectionsResult:
    family = ctx.backend.vpc_endpoints
    service = family.get_service(ServiceId)
    ok, failed = family.connection_results(service, VpcEndpointIds or [], "reject")
    commit()
    for connection in ok:
        family.reject_connection(connection)
    return {"Unsuccessful": failed + _transit_gateway_refusals(TransitGatewayAttachmentIds)}


@operation("DescribeVpcEndpointConnections", filters=CONNECTIONS)
def describe_vpc_endpoint_connections(
    ctx: Ctx,
    *,
    Filters: list[Filter] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> DescribeVpcEndpointConnectionsResult:
    connections = select(ctx, ctx.backend.vpc_endpoints.connections, None, Filters, CONNECTIONS)
    shown, token = _page(ctx, connections, MaxResults, NextToken, low=5)
    result: DescribeVpcEndpointConnectionsResult = {
        "VpcEndpointConnections": [c.describe() for c in shown]
    }
    if token:
        result["NextToken"] = token
    return result


# -- connection notifications


@operation("CreateVpcEndpointConnectionNotification")
def create_vpc_endpoint_connection_notification(
    ctx: Ctx,
    *,
    ConnectionNotificationArn: str,
    ConnectionEvents: list[str],
    ServiceId: str | None = None,
    VpcEndpointId: str | None = None,
    ClientToken: str | None = None,
) -> CreateVpcEndpointConnectionNotificationResult:
    family = ctx.backend.vpc_endpoints
    events = list(dict.fromkeys(ConnectionEvents))
    signature = (ServiceId, VpcEndpointId, ConnectionNotificationArn, events)
    earlier = _token_reuse(ctx, "CreateVpcEndpointConnectionNotification", ClientToken, signature)
    if earlier is not None:
        commit()
        result: CreateVpcEndpointConnectionNotificationResult = {
            "ConnectionNotification": family.notifications.get(earlier).describe()
        }
        if ClientToken:
            result["ClientToken"] = ClientToken
        return result
    if ServiceId and VpcEndpointId:
        raise InvalidParameterCombination("Specify either ServiceId or VpcEndpointId, not both.")
    if not ServiceId and not VpcEndpointId:
        raise MissingParameter("ServiceId or VpcEndpointId")
    if ServiceId:
        family.get_service(ServiceId)
    if VpcEndpointId:
        family.endpoints.get(VpcEndpointId)
    family.check_notification(ConnectionNotificationArn, events)
    commit()
    notification = family.notifications.add(
        Notification(
            id=ctx.backend.ids.new("vpce-nfn"),
            arn=ConnectionNotificationArn,
            events=events,
            region=ctx.region,
            service_id=ServiceId,
            endpoint_id=VpcEndpointId,
        )
    )
    _remember(
        ctx, "CreateVpcEndpointConnectionNotification", ClientToken, notification.id, signature
    )
    result = {"ConnectionNotification": notification.describe()}
    if ClientToken:
        result["ClientToken"] = ClientToken
    return result


@operation("ModifyVpcEndpointConnectionNotification")
def modify_vpc_endpoint_connection_notification(
    ctx: Ctx,
    *,
    ConnectionNotificationId: str,
    ConnectionNotificationArn: str | None = None,
    ConnectionEvents: list[str] | None = None,
) -> ModifyVpcEndpointConnectionNotificationResult:
    family = ctx.backend.vpc_endpoints
    notification = family.notifications.get(ConnectionNotificationId)
    arn = ConnectionNotificationArn or notification.arn
    events = (
        list(dict.fromkeys(ConnectionEvents))
        if ConnectionEvents is not None
        else notification.events
    )
    family.check_notification(arn, events)
    commit()
    notification.arn, notification.events = arn, events
    return {"ReturnValue": True}


@operation("DeleteVpcEndpointConnectionNotifications")
def delete_vpc_endpoint_connection_notifications(
    ctx: Ctx, *, ConnectionNotificationIds: list[str]
) -> DeleteVpcEndpointConnectionNotificationsResult:
    family = ctx.backend.vpc_endpoints
    failed: list[UnsuccessfulItem] = []
    found: list[Notification] = []
    for notification_id in dict.fromkeys(ConnectionNotificationIds):
        notification = family.notifications.find(notification_id)
        if notification is None:
            malformed = not NOTIFICATION.id_pattern.match(notification_id)
            failed.append(
                unsuccessful(
                    notification_id,
                    "InvalidConnectionNotification.Malformed"
                    if malformed
                    else "InvalidConnectionNotification",
                    f"The connection notification '{notification_id}' does not exist",
                )
            )
        else:
            found.append(notification)
    commit()
    for notification in found:
        family.notifications.remove(notification.id)
    return {"Unsuccessful": failed}


@operation("DescribeVpcEndpointConnectionNotifications", filters=NOTIFICATIONS)
def describe_vpc_endpoint_connection_notifications(
    ctx: Ctx,
    *,
    ConnectionNotificationId: str | None = None,
    Filters: list[Filter] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> DescribeVpcEndpointConnectionNotificationsResult:
    ids = [ConnectionNotificationId] if ConnectionNotificationId else None
    notifications = select(
        ctx, ctx.backend.vpc_endpoints.notifications, ids, Filters, NOTIFICATIONS
    )
    shown, token = _page(ctx, notifications, MaxResults, NextToken)
    result: DescribeVpcEndpointConnectionNotificationsResult = {
        "ConnectionNotificationSet": [n.describe() for n in shown]
    }
    if token:
        result["NextToken"] = token
    return result


# -- associations


@operation("DescribeVpcEndpointAssociations", filters=ASSOCIATIONS)
def describe_vpc_endpoint_associations(
    ctx: Ctx,
    *,
    VpcEndpointIds: list[str] | None = None,
    Filters: list[Filter] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> DescribeVpcEndpointAssociationsResult:
    family = ctx.backend.vpc_endpoints
    if VpcEndpointIds:
        endpoints = family.endpoints.get_many(VpcEndpointIds)
        items = [a for e in endpoints for a in family.associations.lookup("endpoint", e.id)]
    else:
        items = list(family.associations)
    items = apply_filters(items, Filters, ASSOCIATIONS, ctx.operation_model)
    shown, token = _page(ctx, items, MaxResults, NextToken, high=100)
    result: DescribeVpcEndpointAssociationsResult = {
        "VpcEndpointAssociations": [a.describe() for a in shown]
    }
    if token:
        result["NextToken"] = token
    return result
