"""Client VPN endpoints: target networks, authorization rules, routes, connections,
client configuration, certificate revocation lists, authorization policies."""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from cloudmock.core.errors import (
    InvalidParameterCombination,
    InvalidParameterValue,
    MissingParameter,
    ServiceError,
)
from cloudmock.services.ec2.dryrun import commit
from cloudmock.services.ec2.models.base import Resource, ResourceKind, Store

if TYPE_CHECKING:
    from cloudmock.services.ec2.models.backend import Ec2Backend
    from cloudmock.services.ec2.models.vpcs import Subnet
    from cloudmock.services.ec2.shapes import ClientVpnEndpoint as ClientVpnEndpointShape

CLIENT_VPN_ENDPOINT = ResourceKind(
    "cvpn-endpoint", "client-vpn-endpoint", "InvalidClientVpnEndpointId", "Client VPN endpoint ID"
)

AUTH_TYPES = (
    "certificate-authentication",
    "directory-service-authentication",
    "federated-authentication",
)
VPN_PORTS = (443, 1194)
SESSION_TIMEOUTS = (8, 10, 12, 24)
IP_TYPES = ("ipv4", "ipv6", "dual-stack")
TRUST_PROVIDERS = ("crowdstrike", "jamf", "jumpcloud")
MAX_SECURITY_GROUPS = 5
MAX_BANNER = 1400
_CRL = re.compile(r"^\s*-----BEGIN X509 CRL-----\s*[A-Za-z0-9+/=\s]+-----END X509 CRL-----\s*$")


def _error(code: str, message: str) -> ServiceError:
    return ServiceError(message, code=code)


@dataclass
class TargetNetwork:
    association_id: str
    endpoint_id: str
    subnet_id: str | None
    vpc_id: str | None
    zone_names: list[str]
    zone_ids: list[str]
    security_groups: list[str]
    status: str = "associating"

    def describe(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "AssociationId": self.association_id,
            "ClientVpnEndpointId": self.endpoint_id,
            "Status": {"Code": self.status},
            "SecurityGroups": list(self.security_groups),
        }
        if self.vpc_id:
            out["VpcId"] = self.vpc_id
        if self.subnet_id:
            out["TargetNetworkId"] = self.subnet_id
        if self.zone_names:
            out["AvailabilityZones"] = list(self.zone_names)
            out["AvailabilityZoneIds"] = list(self.zone_ids)
        return out


@dataclass
class AuthorizationRule:
    endpoint_id: str
    cidr: str
    group_id: str | None
    access_all: bool
    description: str | None
    status: str = "authorizing"

    def describe(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "ClientVpnEndpointId": self.endpoint_id,
            "AccessAll": self.access_all,
            "DestinationCidr": self.cidr,
            "Status": {"Code": self.status},
        }
        if self.group_id:
            out["GroupId"] = self.group_id
        if self.description:
            out["Description"] = self.description
        return out


@dataclass
class ClientRoute:
    endpoint_id: str
    cidr: str
    target_subnet: str
    origin: str
    description: str | None
    type: str = "Nat"
    status: str = "creating"

    def describe(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "ClientVpnEndpointId": self.endpoint_id,
            "DestinationCidr": self.cidr,
            "TargetSubnet": self.target_subnet,
            "Type": self.type,
            "Origin": self.origin,
            "Status": {"Code": self.status},
        }
        if self.description:
            out["Description"] = self.description
        return out


@dataclass
class AuthorizationPolicy:
    document: str
    description: str | None
    shadow_mode: str
    status: str = "creating"


@dataclass
class TransitGatewayAttachment:
    id: str
    transit_gateway_id: str
    endpoint_id: str
    owner_id: str
    created: datetime
    state: str = "pending"

    def describe(self) -> dict[str, Any]:
        return {
            "TransitGatewayAttachmentId": self.id,
            "TransitGatewayId": self.transit_gateway_id,
            "ClientVpnEndpointId": self.endpoint_id,
            "ClientVpnOwnerId": self.owner_id,
            "State": self.state,
            "CreationTime": _time(self.created),
        }


@dataclass
class ClientVpnEndpoint(Resource):
    region: str
    created: datetime
    client_cidr: str | None
    server_certificate_arn: str
    authentication: list[dict[str, Any]]
    connection_log: dict[str, Any]
    dns_servers: list[str] | None
    transport: str
    port: int
    description: str | None
    split_tunnel: bool
    vpc_id: str | None
    security_group_ids: list[str]
    self_service_portal: bool
    client_connect: dict[str, Any]
    session_timeout: int
    banner: dict[str, Any]
    route_enforcement: bool
    disconnect_on_timeout: bool
    endpoint_ip_type: str
    traffic_ip_type: str
    transit_gateway: dict[str, Any] | None
    device_posture: dict[str, Any] | None
    status: str = "pending-associate"
    deleted_at: datetime | None = None
    associations: dict[str, TargetNetwork] = field(default_factory=dict)
    rules: list[AuthorizationRule] = field(default_factory=list)
    routes: list[ClientRoute] = field(default_factory=list)
    crl: str | None = None
    policy: AuthorizationPolicy | None = None

    @property
    def dns_name(self) -> str:
        return f"*.{self.id}.prod.clientvpn.{self.region}.amazonaws.com"

    @property
    def state(self) -> str:
        return self.status

    def active_associations(self) -> list[TargetNetwork]:
        return [a for a in self.associations.values() if a.status in ("associating", "associated")]

    def describe(self) -> ClientVpnEndpointShape:
        out: dict[str, Any] = {
            "ClientVpnEndpointId": self.id,
            "Status": {"Code": self.status},
            "CreationTime": _time(self.created),
            "DnsName": self.dns_name,
            "SplitTunnel": self.split_tunnel,
            "VpnProtocol": "openvpn",
            "TransportProtocol": self.transport,
            "VpnPort": self.port,
            "AssociatedTargetNetworks": [
                {"NetworkId": a.subnet_id, "NetworkType": "vpc"}
                for a in self.active_associations()
                if a.subnet_id
            ],
            "ServerCertificateArn": self.server_certificate_arn,
            "AuthenticationOptions": [dict(a) for a in self.authentication],
            "ConnectionLogOptions": dict(self.connection_log),
            "SecurityGroupIds": list(self.security_group_ids),
            "ClientConnectOptions": {
                **self.client_connect,
                "Status": {"Code": "applied"},
            },
            "SessionTimeoutHours": self.session_timeout,
            "ClientLoginBannerOptions": dict(self.banner),
            "ClientRouteEnforcementOptions": {"Enforced": self.route_enforcement},
            "DisconnectOnSessionTimeout": self.disconnect_on_timeout,
            "EndpointIpAddressType": self.endpoint_ip_type,
            "TrafficIpAddressType": self.traffic_ip_type,
        }
        if self.description:
            out["Description"] = self.description
        if self.deleted_at is not None:
            out["DeletionTime"] = _time(self.deleted_at)
        if self.client_cidr:
            out["ClientCidrBlock"] = self.client_cidr
        if self.dns_servers:
            out["DnsServers"] = list(self.dns_servers)
        if self.vpc_id:
            out["VpcId"] = self.vpc_id
        if self.self_service_portal:
            out["SelfServicePortalUrl"] = (
                f"https://self-service.clientvpn.amazonaws.com/endpoints/{self.id}"
            )
        if self.transit_gateway is not None:
            out["TransitGatewayConfiguration"] = dict(self.transit_gateway)
        if self.device_posture is not None:
            # Enabled is kept but the response shape has no member for it.
            out["DevicePostureOptions"] = {"TrustProviders": self.device_posture["TrustProviders"]}
        if self.tags:
            out["Tags"] = self.tag_list()
        return out  # type: ignore[return-value]  # built from the ClientVpnEndpoint member names


def _time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


ENDPOINT_FILTERS: dict[str, Callable[[Any], Any]] = {
    "endpoint-id": lambda e: e.id,
    "transport-protocol": lambda e: e.transport,
}
TARGET_NETWORK_FILTERS: dict[str, Callable[[Any], Any]] = {
    "association-id": lambda a: a.association_id,
    "target-network-id": lambda a: a.subnet_id,
    "vpc-id": lambda a: a.vpc_id,
}
RULE_FILTERS: dict[str, Callable[[Any], Any]] = {
    "description": lambda r: r.description,
    "destination-cidr": lambda r: r.cidr,
    "group-id": lambda r: r.group_id,
}
ROUTE_FILTERS: dict[str, Callable[[Any], Any]] = {
    "destination-cidr": lambda r: r.cidr,
    "origin": lambda r: r.origin,
    "target-subnet": lambda r: r.target_subnet,
}
#: Client VPN connections are made by OpenVPN clients, which the mock never sees
CONNECTION_FILTERS: dict[str, Callable[[Any], Any]] = {
    "connection-id": lambda c: c["ConnectionId"],
    "username": lambda c: c.get("Username"),
}


# -- validation


def _arn(value: str, service: str, parameter: str, resource: str = "") -> None:
    if not re.match(rf"^arn:aws[a-z-]*:{service}:[a-z0-9-]*:\d{{12}}:{resource}\S+$", value):
        raise InvalidParameterValue(
            f"Value ({value}) for parameter {parameter} is invalid. "
            f"Expecting a valid {service} ARN."
        )


def _client_cidr(value: str) -> str:
    try:
        network = ipaddress.IPv4Network(value, strict=True)
    except ValueError:
        raise InvalidParameterValue(
            f"Value ({value}) for parameter clientCidrBlock is invalid. "
            "Expecting a valid IPv4 CIDR block."
        ) from None
    if not 12 <= network.prefixlen <= 22:
        raise InvalidParameterValue(
            f"Value ({value}) for parameter clientCidrBlock is invalid. Client CIDR range "
            "must have a size of at least /22 and must not be greater than /12."
        )
    return str(network)


def _cidr(value: str, parameter: str) -> str:
    try:
        return str(ipaddress.IPv4Network(value, strict=False))
    except ValueError:
        raise InvalidParameterValue(
            f"Value ({value}) for parameter {parameter} is invalid. "
            "Expecting a valid IPv4 CIDR block."
        ) from None


def _authentication(options: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    if not options:
        raise MissingParameter("Authentication")
    if len(options) > 2:
        raise InvalidParameterValue("At most two authentication options can be specified.")
    out: list[dict[str, Any]] = []
    types: list[str] = []
    for option in options:
        kind = option.get("Type")
        if kind not in AUTH_TYPES:
            raise InvalidParameterValue(
                f"Value ({kind}) for parameter Authentication.Type is invalid. "
                f"Valid values: {', '.join(AUTH_TYPES)}"
            )
        if kind in types:
            raise InvalidParameterValue(f"The authentication type {kind} is specified twice.")
        types.append(kind)
        described: dict[str, Any] = {"Type": kind}
        if kind == "certificate-authentication":
            chain = (option.get("MutualAuthentication") or {}).get("ClientRootCertificateChainArn")
            if not chain:
                raise MissingParameter("MutualAuthentication.ClientRootCertificateChainArn")
            _arn(chain, "acm", "ClientRootCertificateChainArn", "certificate/")
            described["MutualAuthentication"] = {"ClientRootCertificateChain": chain}
        elif kind == "directory-service-authentication":
            directory = (option.get("ActiveDirectory") or {}).get("DirectoryId")
            if not directory:
                raise MissingParameter("ActiveDirectory.DirectoryId")
            if not re.fullmatch(r"d-[0-9a-f]{10}", directory):
                raise InvalidParameterValue(
                    f"Value ({directory}) for parameter DirectoryId is invalid."
                )
            described["ActiveDirectory"] = {"DirectoryId": directory}
        else:
            federated = option.get("FederatedAuthentication") or {}
            saml = federated.get("SAMLProviderArn")
            if not saml:
                raise MissingParameter("FederatedAuthentication.SAMLProviderArn")
            _arn(saml, "iam", "SAMLProviderArn", "saml-provider/")
            shown = {"SamlProviderArn": saml}
            self_service = federated.get("SelfServiceSAMLProviderArn")
            if self_service:
                _arn(self_service, "iam", "SelfServiceSAMLProviderArn", "saml-provider/")
                shown["SelfServiceSamlProviderArn"] = self_service
            described["FederatedAuthentication"] = shown
        out.append(described)
    if {"directory-service-authentication", "federated-authentication"} <= set(types):
        raise InvalidParameterCombination(
            "Active Directory and federated authentication cannot be used together."
        )
    return out


def _connection_log(options: Mapping[str, Any]) -> dict[str, Any]:
    enabled = options.get("Enabled")
    if enabled is None:
        raise MissingParameter("ConnectionLogOptions.Enabled")
    out: dict[str, Any] = {"Enabled": enabled}
    group = options.get("CloudwatchLogGroup")
    stream = options.get("CloudwatchLogStream")
    if enabled and not group:
        raise MissingParameter("ConnectionLogOptions.CloudwatchLogGroup")
    if not enabled and (group or stream):
        raise InvalidParameterCombination(
            "A CloudWatch log group or stream needs ConnectionLogOptions.Enabled."
        )
    if group:
        out["CloudwatchLogGroup"] = group
    if stream:
        out["CloudwatchLogStream"] = stream
    if options.get("IncludeAuthorizationPolicyContext") is not None:
        out["IncludeAuthorizationPolicyContext"] = options["IncludeAuthorizationPolicyContext"]
    return out


def _dns_servers(servers: Sequence[str]) -> list[str]:
    if len(servers) > 2:
        raise InvalidParameterValue("At most two DNS servers can be specified.")
    for server in servers:
        try:
            ipaddress.ip_address(server)
        except ValueError:
            raise InvalidParameterValue(
                f"Value ({server}) for parameter DnsServers is invalid. Expecting an IP address."
            ) from None
    return list(servers)


def _client_connect(options: Mapping[str, Any]) -> dict[str, Any]:
    enabled = bool(options.get("Enabled"))
    function = options.get("LambdaFunctionArn")
    if enabled and not function:
        raise MissingParameter("ClientConnectOptions.LambdaFunctionArn")
    out: dict[str, Any] = {"Enabled": enabled}
    if function:
        _arn(function, "lambda", "LambdaFunctionArn", "function:")
        name = function.split(":function:", 1)[1]
        if not name.startswith("AWSClientVPN-"):
            raise InvalidParameterValue(
                "The name of the client connect handler Lambda function must begin with "
                "AWSClientVPN-."
            )
        out["LambdaFunctionArn"] = function
    return out


def _banner(options: Mapping[str, Any]) -> dict[str, Any]:
    enabled = bool(options.get("Enabled"))
    text = options.get("BannerText")
    if enabled and not text:
        raise MissingParameter("ClientLoginBannerOptions.BannerText")
    if text is not None and len(text) > MAX_BANNER:
        raise InvalidParameterValue(
            f"The login banner text must be at most {MAX_BANNER} characters long."
        )
    out: dict[str, Any] = {"Enabled": enabled}
    if text:
        out["BannerText"] = text
    return out


def _one_of(value: Any, allowed: Sequence[Any], parameter: str) -> None:
    if value not in allowed:
        raise InvalidParameterValue(
            f"Value ({value}) for parameter {parameter} is invalid. "
            f"Valid values: {', '.join(str(a) for a in allowed)}"
        )


def _device_posture(options: Mapping[str, Any]) -> dict[str, Any]:
    providers = []
    for provider in options.get("TrustProviders") or []:
        kind = provider.get("TrustProviderType")
        _one_of(kind, TRUST_PROVIDERS, "TrustProviderType")
        url = provider.get("PublicSigningKeyUrl")
        if url is not None and not url.startswith("https://"):
            raise InvalidParameterValue(
                f"Value ({url}) for parameter PublicSigningKeyUrl is invalid. "
                "Expecting an https URL."
            )
        providers.append({k: v for k, v in provider.items() if v is not None})
    out: dict[str, Any] = {"TrustProviders": providers}
    if options.get("Enabled") is not None:
        out["Enabled"] = options["Enabled"]
    return out


def _overlaps(a: str, b: str) -> bool:
    return ipaddress.IPv4Network(a).overlaps(ipaddress.IPv4Network(b))


# -- the family


class ClientVpn:
    """The Client VPN family of one region."""

    def __init__(self, backend: Ec2Backend) -> None:
        self.backend = backend
        self.endpoints: Store[ClientVpnEndpoint] = backend.new_store(CLIENT_VPN_ENDPOINT)
        #: association id -> endpoint id
        self._associations: dict[str, str] = {}
        #: subnet id -> ids of the endpoints with a target network there
        self._by_subnet: dict[str, set[str]] = {}
        #: security group id -> ids of the endpoints applying it
        self._by_group: dict[str, set[str]] = {}
        #: endpoint id -> the security groups indexed for it
        self._groups_of: dict[str, list[str]] = {}
        #: (operation, client token) -> what the first request made
        self._tokens: dict[tuple[str, str], Any] = {}
        self.transit_gateway_attachments: dict[str, TransitGatewayAttachment] = {}
        backend.depends_on("subnet", self._subnet_user)
        backend.depends_on("sg", self._group_user)

    def _subnet_user(self, subnet_id: str) -> str | None:
        users = self._by_subnet.get(subnet_id)
        return min(users) if users else None

    def _group_user(self, group_id: str) -> str | None:
        users = self._by_group.get(group_id)
        return min(users) if users else None

    def _later(self, resource: Resource, action: Callable[[Any], None]) -> None:
        self.backend.schedule(self.backend.options.transition_delay, resource, action)

    def _token(self, operation: str, token: str | None) -> Any:
        return self._tokens.get((operation, token)) if token else None

    def _remember(self, operation: str, token: str | None, value: Any) -> None:
        if token:
            self._tokens[(operation, token)] = value

    # -- endpoints

    def endpoint(self, endpoint_id: str) -> ClientVpnEndpoint:
        endpoint = self.endpoints.get(endpoint_id)
        if endpoint.status in ("deleting", "deleted"):
            raise self.endpoints.kind.not_found([endpoint_id])
        return endpoint

    def _security_groups(self, vpc_id: str, group_ids: Sequence[str]) -> list[str]:
        if len(group_ids) > MAX_SECURITY_GROUPS:
            raise InvalidParameterValue(
                f"At most {MAX_SECURITY_GROUPS} security groups can be applied."
            )
        groups = self.backend.security_groups.store.get_many(group_ids)
        for group in groups:
            if group.vpc_id != vpc_id:
                raise InvalidParameterValue(
                    f"The security group '{group.id}' does not belong to VPC '{vpc_id}'."
                )
        return [g.id for g in groups]

    def _transit_gateway(self, config: Mapping[str, Any]) -> dict[str, Any]:
        tgw_id = config.get("TransitGatewayId")
        if not tgw_id:
            raise MissingParameter("TransitGatewayConfiguration.TransitGatewayId")
        # the gateway takes the endpoint's attachment: it must be available
        self.backend.transit_gateways.available_gateway(tgw_id)
        zones = self.backend.zones
        names = list(config.get("AvailabilityZones") or [])
        ids = list(config.get("AvailabilityZoneIds") or [])
        by_id = {z.zone_id: z.name for z in zones.values()}
        for name in names:
            if name not in zones:
                raise InvalidParameterValue(f"Invalid availability zone: [{name}]")
        for zone_id in ids:
            if zone_id not in by_id:
                raise InvalidParameterValue(f"Invalid availability zone ID: [{zone_id}]")
        names = list(dict.fromkeys(names + [by_id[i] for i in ids]))
        return {
            "TransitGatewayId": tgw_id,
            "AvailabilityZones": names,
            "AvailabilityZoneIds": [zones[n].zone_id for n in names],
        }

    def create_endpoint(
        self, request: Mapping[str, Any], tags: dict[str, str]
    ) -> ClientVpnEndpoint:
        token = request.get("ClientToken")
        existing = self._token("CreateClientVpnEndpoint", token)
        if existing is not None and existing in self.endpoints:
            commit()
            return self.endpoints.get(existing)
        traffic = request.get("TrafficIpAddressType") or "ipv4"
        endpoint_type = request.get("EndpointIpAddressType") or "ipv4"
        _one_of(traffic, IP_TYPES, "TrafficIpAddressType")
        _one_of(endpoint_type, IP_TYPES, "EndpointIpAddressType")
        cidr = request.get("ClientCidrBlock")
        if cidr is None and traffic != "ipv6":
            raise MissingParameter("ClientCidrBlock")
        if cidr is not None and traffic == "ipv6":
            raise InvalidParameterCombination(
                "ClientCidrBlock cannot be specified when TrafficIpAddressType is ipv6."
            )
        if cidr is not None:
            cidr = _client_cidr(cidr)
        certificate = request["ServerCertificateArn"]
        _arn(certificate, "acm", "ServerCertificateArn", "certificate/")
        authentication = _authentication(request.get("AuthenticationOptions") or [])
        connection_log = _connection_log(request.get("ConnectionLogOptions") or {})
        dns = _dns_servers(request.get("DnsServers") or []) or None
        transport = request.get("TransportProtocol") or "udp"
        _one_of(transport, ("tcp", "udp"), "TransportProtocol")
        port = request.get("VpnPort") or 443
        _one_of(port, VPN_PORTS, "VpnPort")
        description = request.get("Description")
        if description is not None and len(description) > 255:
            raise InvalidParameterValue("The description must be at most 255 characters long.")
        vpc_id = request.get("VpcId")
        group_ids = request.get("SecurityGroupIds") or []
        if group_ids and not vpc_id:
            raise MissingParameter("VpcId")
        if vpc_id:
            vpc = self.backend.vpcs.vpcs.get(vpc_id)
            if cidr and any(_overlaps(cidr, block) for block in vpc.ipv4_cidrs()):
                raise _error(
                    "InvalidClientVpnSubnetId.OverlappingCidr",
                    f"The client CIDR {cidr} overlaps with the CIDR of VPC {vpc.id}.",
                )
            groups = (
                self._security_groups(vpc.id, group_ids)
                if group_ids
                else [self.backend.security_groups.default_group(vpc.id).id]
            )
        else:
            groups = []
        portal = request.get("SelfServicePortal") or "disabled"
        _one_of(portal, ("enabled", "disabled"), "SelfServicePortal")
        if portal == "enabled" and not any(
            a["Type"] == "federated-authentication" for a in authentication
        ):
            raise InvalidParameterCombination(
                "The self-service portal can be enabled only with federated authentication."
            )
        client_connect = _client_connect(request.get("ClientConnectOptions") or {})
        timeout = request.get("SessionTimeoutHours") or 24
        _one_of(timeout, SESSION_TIMEOUTS, "SessionTimeoutHours")
        banner = _banner(request.get("ClientLoginBannerOptions") or {})
        enforcement = bool((request.get("ClientRouteEnforcementOptions") or {}).get("Enforced"))
        disconnect = request.get("DisconnectOnSessionTimeout")
        tgw = request.get("TransitGatewayConfiguration")
        transit_gateway = self._transit_gateway(tgw) if tgw is not None else None
        if transit_gateway is not None and vpc_id:
            raise InvalidParameterCombination(
                "A Client VPN endpoint on a transit gateway does not take a VpcId."
            )
        posture = request.get("DevicePostureOptions")
        device_posture = _device_posture(posture) if posture is not None else None
        commit()
        backend = self.backend
        endpoint = self.endpoints.add(
            ClientVpnEndpoint(
                id=backend.ids.new("cvpn-endpoint"),
                region=backend.region,
                created=backend.clock.now(),
                client_cidr=cidr,
                server_certificate_arn=certificate,
                authentication=authentication,
                connection_log=connection_log,
                dns_servers=dns,
                transport=transport,
                port=port,
                description=description,
                split_tunnel=bool(request.get("SplitTunnel")),
                vpc_id=vpc_id,
                security_group_ids=groups,
                self_service_portal=portal == "enabled",
                client_connect=client_connect,
                session_timeout=timeout,
                banner=banner,
                route_enforcement=enforcement,
                disconnect_on_timeout=True if disconnect is None else disconnect,
                endpoint_ip_type=endpoint_type,
                traffic_ip_type=traffic,
                transit_gateway=transit_gateway,
                device_posture=device_posture,
                tags=tags,
            )
        )
        self._use_groups(endpoint, groups)
        if transit_gateway is not None:
            # the transit gateway family owns the attachment; this family keeps its own view
            tgw_attachment = backend.transit_gateways.attach_resource(
                transit_gateway["TransitGatewayId"], "client-vpn", endpoint.id
            )
            attachment = TransitGatewayAttachment(
                id=tgw_attachment.id,
                transit_gateway_id=transit_gateway["TransitGatewayId"],
                endpoint_id=endpoint.id,
                owner_id=backend.account_id,
                created=backend.clock.now(),
            )
            self.transit_gateway_attachments[attachment.id] = attachment
            transit_gateway["TransitGatewayAttachmentId"] = attachment.id

            def attached(_: Any) -> None:
                if attachment.state == "pending":
                    attachment.state = "available"

            self._later(endpoint, attached)
        self._remember("CreateClientVpnEndpoint", token, endpoint.id)
        return endpoint

    def _use_groups(self, endpoint: ClientVpnEndpoint, groups: Sequence[str]) -> None:
        """Index the groups ``endpoint`` now applies (the ones it applied are let go)."""
        for group_id in self._groups_of.pop(endpoint.id, ()):
            users = self._by_group.get(group_id)
            if users is not None:
                users.discard(endpoint.id)
                if not users:
                    del self._by_group[group_id]
        self._groups_of[endpoint.id] = list(groups)
        for group_id in groups:
            self._by_group.setdefault(group_id, set()).add(endpoint.id)

    def delete_endpoint(self, endpoint_id: str) -> ClientVpnEndpoint:
        endpoint = self.endpoint(endpoint_id)
        if endpoint.active_associations():
            raise _error(
                "IncorrectState",
                f"The Client VPN endpoint '{endpoint.id}' has associated target networks: "
                "disassociate them before deleting it.",
            )
        commit()
        endpoint.status = "deleting"
        endpoint.deleted_at = self.backend.clock.now()
        self._use_groups(endpoint, [])
        for attachment in self._attachments_of(endpoint):
            self.backend.transit_gateways.detach_resource(attachment.id)

        def gone(e: Any) -> None:
            self.endpoints.remove(e.id)
            for assoc_id in e.associations:
                self._associations.pop(assoc_id, None)

        self._later(endpoint, gone)
        return endpoint

    def modify_endpoint(self, endpoint_id: str, request: Mapping[str, Any]) -> None:
        endpoint = self.endpoint(endpoint_id)
        changes: dict[str, Any] = {}
        certificate = request.get("ServerCertificateArn")
        if certificate is not None:
            _arn(certificate, "acm", "ServerCertificateArn", "certificate/")
            changes["server_certificate_arn"] = certificate
        if request.get("ConnectionLogOptions") is not None:
            changes["connection_log"] = _connection_log(request["ConnectionLogOptions"])
        dns = request.get("DnsServers")
        if dns is not None:
            enabled = dns.get("Enabled")
            servers = _dns_servers(dns.get("CustomDnsServers") or [])
            if enabled is False:
                changes["dns_servers"] = None
            elif servers:
                changes["dns_servers"] = servers
            elif enabled:
                raise MissingParameter("DnsServers.CustomDnsServers")
        if request.get("VpnPort") is not None:
            _one_of(request["VpnPort"], VPN_PORTS, "VpnPort")
            changes["port"] = request["VpnPort"]
        if request.get("Description") is not None:
            if len(request["Description"]) > 255:
                raise InvalidParameterValue("The description must be at most 255 characters long.")
            changes["description"] = request["Description"]
        if request.get("SplitTunnel") is not None:
            changes["split_tunnel"] = request["SplitTunnel"]
        vpc_id = request.get("VpcId")
        group_ids = request.get("SecurityGroupIds")
        if vpc_id is not None and vpc_id != endpoint.vpc_id:
            vpc = self.backend.vpcs.vpcs.get(vpc_id)
            if endpoint.active_associations():
                raise InvalidParameterValue(
                    f"The Client VPN endpoint '{endpoint.id}' has target networks in VPC "
                    f"{endpoint.vpc_id}: disassociate them before changing its VPC."
                )
            if endpoint.client_cidr and any(
                _overlaps(endpoint.client_cidr, b) for b in vpc.ipv4_cidrs()
            ):
                raise _error(
                    "InvalidClientVpnSubnetId.OverlappingCidr",
                    f"The client CIDR {endpoint.client_cidr} overlaps with the CIDR of VPC "
                    f"{vpc.id}.",
                )
            changes["vpc_id"] = vpc.id
            changes["security_group_ids"] = (
                self._security_groups(vpc.id, group_ids)
                if group_ids
                else [self.backend.security_groups.default_group(vpc.id).id]
            )
        elif group_ids is not None:
            target = vpc_id or endpoint.vpc_id
            if target is None:
                raise MissingParameter("VpcId")
            changes["security_group_ids"] = self._security_groups(target, group_ids)
        portal = request.get("SelfServicePortal")
        if portal is not None:
            _one_of(portal, ("enabled", "disabled"), "SelfServicePortal")
            if portal == "enabled" and not any(
                a["Type"] == "federated-authentication" for a in endpoint.authentication
            ):
                raise InvalidParameterCombination(
                    "The self-service portal can be enabled only with federated authentication."
                )
            changes["self_service_portal"] = portal == "enabled"
        if request.get("ClientConnectOptions") is not None:
            changes["client_connect"] = _client_connect(request["ClientConnectOptions"])
        if request.get("SessionTimeoutHours") is not None:
            _one_of(request["SessionTimeoutHours"], SESSION_TIMEOUTS, "SessionTimeoutHours")
            changes["session_timeout"] = request["SessionTimeoutHours"]
        if request.get("ClientLoginBannerOptions") is not None:
            changes["banner"] = _banner(request["ClientLoginBannerOptions"])
        if request.get("ClientRouteEnforcementOptions") is not None:
            changes["route_enforcement"] = bool(
                request["ClientRouteEnforcementOptions"].get("Enforced")
            )
        if request.get("DisconnectOnSessionTimeout") is not None:
            changes["disconnect_on_timeout"] = request["DisconnectOnSessionTimeout"]
        if request.get("TransitGatewayConfiguration") is not None:
            if endpoint.transit_gateway is None:
                raise InvalidParameterCombination(
                    f"The Client VPN endpoint '{endpoint.id}' is not on a transit gateway."
                )
            config = self._transit_gateway(request["TransitGatewayConfiguration"])
            if config["TransitGatewayId"] != endpoint.transit_gateway["TransitGatewayId"]:
                raise InvalidParameterValue(
                    "The transit gateway of a Client VPN endpoint cannot be changed."
                )
            config["TransitGatewayAttachmentId"] = endpoint.transit_gateway.get(
                "TransitGatewayAttachmentId"
            )
            changes["transit_gateway"] = {k: v for k, v in config.items() if v is not None}
        if request.get("DevicePostureOptions") is not None:
            changes["device_posture"] = _device_posture(request["DevicePostureOptions"])
        commit()
        for name, value in changes.items():
            setattr(endpoint, name, value)
        if "security_group_ids" in changes:
            self._use_groups(endpoint, changes["security_group_ids"])
            for association in endpoint.active_associations():
                association.security_groups = list(changes["security_group_ids"])

    # -- target networks

    def associate(
        self,
        endpoint_id: str,
        *,
        subnet_id: str | None,
        zone: str | None,
        zone_id: str | None,
        token: str | None,
    ) -> TargetNetwork:
        endpoint = self.endpoint(endpoint_id)
        existing = self._token("AssociateClientVpnTargetNetwork", token)
        if existing is not None and existing in endpoint.associations:
            commit()
            return endpoint.associations[existing]
        if endpoint.transit_gateway is not None:
            return self._associate_zone(endpoint, subnet_id, zone, zone_id, token)
        if zone is not None or zone_id is not None:
            raise InvalidParameterCombination(
                "AvailabilityZone and AvailabilityZoneId apply only to a Client VPN endpoint "
                "on a transit gateway."
            )
        if subnet_id is None:
            raise MissingParameter("SubnetId")
        subnet = self.backend.vpcs.subnets.get(subnet_id)
        if endpoint.vpc_id is not None and subnet.vpc_id != endpoint.vpc_id:
            raise _error(
                "InvalidClientVpnSubnetId.NotFound",
                f"The subnet '{subnet.id}' is not in VPC {endpoint.vpc_id}, the VPC of the "
                f"Client VPN endpoint '{endpoint.id}'.",
            )
        active = endpoint.active_associations()
        if any(a.subnet_id == subnet.id for a in active):
            raise _error(
                "InvalidClientVpnDuplicateAssociationException",
                f"The subnet '{subnet.id}' is already associated with the Client VPN "
                f"endpoint '{endpoint.id}'.",
            )
        if any(a.zone_names == [subnet.zone.name] for a in active):
            raise _error(
                "InvalidClientVpnSubnetId.DuplicateAz",
                f"A subnet in Availability Zone {subnet.zone.name} is already associated with "
                f"the Client VPN endpoint '{endpoint.id}'.",
            )
        vpc = self.backend.vpcs.vpcs.get(subnet.vpc_id)
        if endpoint.client_cidr and any(
            _overlaps(endpoint.client_cidr, b) for b in vpc.ipv4_cidrs()
        ):
            raise _error(
                "InvalidClientVpnSubnetId.OverlappingCidr",
                f"The CIDR range of the target network overlaps with the client CIDR "
                f"{endpoint.client_cidr} of the Client VPN endpoint.",
            )
        commit()
        if endpoint.vpc_id is None:
            endpoint.vpc_id = vpc.id
            if not endpoint.security_group_ids:
                endpoint.security_group_ids = [
                    self.backend.security_groups.default_group(vpc.id).id
                ]
                self._use_groups(endpoint, endpoint.security_group_ids)
        association = self._add_association(
            endpoint,
            subnet_id=subnet.id,
            vpc_id=vpc.id,
            zones=[subnet],
        )
        self._by_subnet.setdefault(subnet.id, set()).add(endpoint.id)
        route = ClientRoute(
            endpoint_id=endpoint.id,
            cidr=vpc.cidr_block,
            target_subnet=subnet.id,
            origin="associate",
            description="Default Route",
        )
        endpoint.routes.append(route)
        self._later(endpoint, _route_active(route))
        self._remember("AssociateClientVpnTargetNetwork", token, association.association_id)
        return association

    def _associate_zone(
        self,
        endpoint: ClientVpnEndpoint,
        subnet_id: str | None,
        zone: str | None,
        zone_id: str | None,
        token: str | None,
    ) -> TargetNetwork:
        if subnet_id is not None:
            raise InvalidParameterCombination(
                "A Client VPN endpoint on a transit gateway is associated with Availability "
                "Zones, not subnets."
            )
        if zone is not None and zone_id is not None:
            raise InvalidParameterCombination(
                "You cannot specify both AvailabilityZone and AvailabilityZoneId."
            )
        zones = self.backend.zones
        by_id = {z.zone_id: z for z in zones.values()}
        if zone is not None:
            if zone not in zones:
                raise InvalidParameterValue(f"Invalid availability zone: [{zone}]")
            found = zones[zone]
        elif zone_id is not None:
            if zone_id not in by_id:
                raise InvalidParameterValue(f"Invalid availability zone ID: [{zone_id}]")
            found = by_id[zone_id]
        else:
            raise MissingParameter("AvailabilityZone")
        if any(a.zone_names == [found.name] for a in endpoint.active_associations()):
            raise _error(
                "ClientVpnEndpointAssociationExists",
                f"Availability Zone {found.name} is already associated with the Client VPN "
                f"endpoint '{endpoint.id}'.",
            )
        commit()
        association = self._add_association(endpoint, subnet_id=None, vpc_id=None, zones=[])
        association.zone_names = [found.name]
        association.zone_ids = [found.zone_id]
        self._remember("AssociateClientVpnTargetNetwork", token, association.association_id)
        return association

    def _add_association(
        self,
        endpoint: ClientVpnEndpoint,
        *,
        subnet_id: str | None,
        vpc_id: str | None,
        zones: Sequence[Subnet],
    ) -> TargetNetwork:
        association = TargetNetwork(
            association_id=self.backend.ids.new("cvpn-assoc"),
            endpoint_id=endpoint.id,
            subnet_id=subnet_id,
            vpc_id=vpc_id,
            zone_names=[s.zone.name for s in zones],
            zone_ids=[s.zone.zone_id for s in zones],
            security_groups=list(endpoint.security_group_ids),
        )
        endpoint.associations[association.association_id] = association
        self._associations[association.association_id] = endpoint.id

        def associated(e: Any) -> None:
            if association.status == "associating":
                association.status = "associated"
                if e.status == "pending-associate":
                    e.status = "available"

        self._later(endpoint, associated)
        return association

    def association(self, endpoint: ClientVpnEndpoint, association_id: str) -> TargetNetwork:
        association = endpoint.associations.get(association_id)
        if association is None or association.status not in ("associating", "associated"):
            raise _error(
                "InvalidClientVpnAssociationIdNotFound",
                f"The target network association '{association_id}' does not exist for "
                f"Client VPN endpoint '{endpoint.id}'.",
            )
        return association

    def disassociate(self, endpoint_id: str, association_id: str) -> TargetNetwork:
        endpoint = self.endpoint(endpoint_id)
        association = self.association(endpoint, association_id)
        commit()
        association.status = "disassociating"
        doomed = [r for r in endpoint.routes if r.target_subnet == association.subnet_id]
        for route in doomed:
            route.status = "deleting"
        if association.subnet_id:
            users = self._by_subnet.get(association.subnet_id)
            if users is not None:
                users.discard(endpoint.id)
                if not users:
                    del self._by_subnet[association.subnet_id]

        def gone(e: Any) -> None:
            e.associations.pop(association.association_id, None)
            self._associations.pop(association.association_id, None)
            e.routes = [r for r in e.routes if r not in doomed]
            if not e.active_associations() and e.status == "available":
                e.status = "pending-associate"

        self._later(endpoint, gone)
        return association

    def apply_security_groups(
        self, endpoint_id: str, vpc_id: str, group_ids: Sequence[str]
    ) -> list[str]:
        endpoint = self.endpoint(endpoint_id)
        self.backend.vpcs.vpcs.get(vpc_id)
        if endpoint.vpc_id != vpc_id:
            raise InvalidParameterValue(
                f"The VPC {vpc_id} is not the VPC of the Client VPN endpoint '{endpoint.id}'."
            )
        if not group_ids:
            raise MissingParameter("SecurityGroupId")
        groups = self._security_groups(vpc_id, group_ids)
        commit()
        endpoint.security_group_ids = groups
        self._use_groups(endpoint, groups)
        for association in endpoint.active_associations():
            association.security_groups = list(groups)
        return groups

    # -- authorization rules

    def authorize(
        self,
        endpoint_id: str,
        *,
        cidr: str,
        group_id: str | None,
        all_groups: bool | None,
        description: str | None,
        token: str | None,
    ) -> AuthorizationRule:
        endpoint = self.endpoint(endpoint_id)
        existing = self._token("AuthorizeClientVpnIngress", token)
        if existing is not None and existing in endpoint.rules:
            commit()
            return existing  # type: ignore[no-any-return]
        cidr = _cidr(cidr, "TargetNetworkCidr")
        if group_id and all_groups:
            raise InvalidParameterCombination(
                "You cannot specify both AccessGroupId and AuthorizeAllGroups."
            )
        if not group_id and not all_groups:
            raise MissingParameter("AccessGroupId or AuthorizeAllGroups")
        if description is not None and len(description) > 255:
            raise InvalidParameterValue("The description must be at most 255 characters long.")
        for rule in endpoint.rules:
            if (
                rule.cidr == cidr
                and rule.group_id == (group_id or None)
                and rule.access_all == bool(all_groups)
            ):
                raise _error(
                    "InvalidClientVpnDuplicateAuthorizationRule",
                    f"An authorization rule for {cidr} and this group already exists on "
                    f"Client VPN endpoint '{endpoint.id}'.",
                )
        commit()
        rule = AuthorizationRule(
            endpoint_id=endpoint.id,
            cidr=cidr,
            group_id=group_id or None,
            access_all=bool(all_groups),
            description=description,
        )
        endpoint.rules.append(rule)

        def active(_: Any) -> None:
            if rule.status == "authorizing":
                rule.status = "active"

        self._later(endpoint, active)
        self._remember("AuthorizeClientVpnIngress", token, rule)
        return rule

    def revoke(
        self, endpoint_id: str, *, cidr: str, group_id: str | None, all_groups: bool | None
    ) -> AuthorizationRule:
        endpoint = self.endpoint(endpoint_id)
        cidr = _cidr(cidr, "TargetNetworkCidr")
        found = None
        for rule in endpoint.rules:
            if rule.cidr != cidr or rule.status == "revoking":
                continue
            if (all_groups and rule.access_all) or (group_id and rule.group_id == group_id):
                found = rule
                break
        if found is None:
            raise _error(
                "InvalidClientVpnEndpointAuthorizationRuleNotFound",
                f"No authorization rule for {cidr} and this group exists on Client VPN "
                f"endpoint '{endpoint.id}'.",
            )
        commit()
        found.status = "revoking"

        def gone(e: Any) -> None:
            if found in e.rules:
                e.rules.remove(found)

        self._later(endpoint, gone)
        return found

    # -- routes

    def create_route(
        self,
        endpoint_id: str,
        *,
        cidr: str,
        target: str | None,
        description: str | None,
        token: str | None,
    ) -> ClientRoute:
        endpoint = self.endpoint(endpoint_id)
        existing = self._token("CreateClientVpnRoute", token)
        if existing is not None and existing in endpoint.routes:
            commit()
            return existing  # type: ignore[no-any-return]
        cidr = _cidr(cidr, "DestinationCidrBlock")
        if target is None:
            raise MissingParameter("TargetVpcSubnetId")
        if description is not None and len(description) > 255:
            raise InvalidParameterValue("The description must be at most 255 characters long.")
        active = endpoint.active_associations()
        if target != "local":
            if not active:
                raise _error(
                    "InvalidClientVpnActiveAssociationNotFound",
                    f"The Client VPN endpoint '{endpoint.id}' has no associated target network.",
                )
            self.backend.vpcs.subnets.get(target)
            if not any(a.subnet_id == target for a in active):
                raise _error(
                    "InvalidClientVpnSubnetId.NotFound",
                    f"The subnet '{target}' is not a target network of the Client VPN endpoint "
                    f"'{endpoint.id}'.",
                )
        if any(
            r.cidr == cidr and r.target_subnet == target and r.status != "deleting"
            for r in endpoint.routes
        ):
            raise _error(
                "InvalidClientVpnDuplicateRoute",
                f"A route to {cidr} through {target} already exists on Client VPN endpoint "
                f"'{endpoint.id}'.",
            )
        commit()
        route = ClientRoute(
            endpoint_id=endpoint.id,
            cidr=cidr,
            target_subnet=target,
            origin="add-route",
            description=description,
        )
        endpoint.routes.append(route)
        self._later(endpoint, _route_active(route))
        self._remember("CreateClientVpnRoute", token, route)
        return route

    def delete_route(self, endpoint_id: str, *, cidr: str, target: str | None) -> ClientRoute:
        endpoint = self.endpoint(endpoint_id)
        cidr = _cidr(cidr, "DestinationCidrBlock")
        found = next(
            (
                r
                for r in endpoint.routes
                if r.cidr == cidr
                and (target is None or r.target_subnet == target)
                and r.status != "deleting"
            ),
            None,
        )
        if found is None:
            raise _error(
                "InvalidClientVpnRouteNotFound",
                f"No route to {cidr} exists on Client VPN endpoint '{endpoint.id}'.",
            )
        if found.origin == "associate":
            raise InvalidParameterValue(
                "A route added when a target network was associated cannot be deleted: "
                "disassociate the target network instead."
            )
        commit()
        found.status = "deleting"

        def gone(e: Any) -> None:
            if found in e.routes:
                e.routes.remove(found)

        self._later(endpoint, gone)
        return found

    # -- connections (none: no OpenVPN client ever connects to the mock)

    def terminate(
        self, endpoint_id: str, *, connection_id: str | None, username: str | None
    ) -> None:
        endpoint = self.endpoint(endpoint_id)
        if connection_id and username:
            raise InvalidParameterCombination("You cannot specify both ConnectionId and Username.")
        if connection_id:
            raise _error(
                "InvalidClientVpnConnection.IdNotFound",
                f"The connection '{connection_id}' does not exist on Client VPN endpoint "
                f"'{endpoint.id}'.",
            )
        if username:
            raise _error(
                "InvalidClientVpnConnection.UserNotFound",
                f"The user '{username}' has no active connection to Client VPN endpoint "
                f"'{endpoint.id}'.",
            )
        raise MissingParameter("ConnectionId or Username")

    # -- client configuration and certificate revocation lists

    def client_configuration(self, endpoint_id: str) -> str:
        endpoint = self.endpoint(endpoint_id)
        host = endpoint.dns_name.replace("*.", "", 1)
        fake_der = hashlib.sha512(endpoint.server_certificate_arn.encode()).digest() * 8
        body = base64.b64encode(fake_der).decode()
        pem = "\n".join(body[i : i + 64] for i in range(0, len(body), 64))
        lines = [
            "client",
            "dev tun",
            f"proto {endpoint.transport}",
            f"remote {host} {endpoint.port}",
            "remote-random-hostname",
            "resolv-retry infinite",
            "nobind",
            "remote-cert-tls server",
            "cipher AES-256-GCM",
            "verb 3",
            "<ca>",
            "-----BEGIN CERTIFICATE-----",
            pem,
            "-----END CERTIFICATE-----",
            "</ca>",
        ]
        types = {a["Type"] for a in endpoint.authentication}
        if "directory-service-authentication" in types:
            lines.append("auth-user-pass")
        if "federated-authentication" in types:
            lines += ["auth-user-pass", "auth-federate", "auth-retry interact"]
        lines += ["reneg-sec 0", ""]
        return "\n".join(lines)

    def import_crl(self, endpoint_id: str, crl: str) -> None:
        endpoint = self.endpoint(endpoint_id)
        if not _CRL.match(crl):
            raise InvalidParameterValue(
                "The certificate revocation list is not a valid PEM-encoded X.509 CRL."
            )
        commit()
        endpoint.crl = crl

    # -- authorization policy

    def modify_policy(
        self,
        endpoint_id: str,
        *,
        document: str | None,
        description: str | None,
        shadow_mode: str | None,
    ) -> AuthorizationPolicy:
        endpoint = self.endpoint(endpoint_id)
        if shadow_mode is not None:
            _one_of(shadow_mode, ("enabled", "disabled"), "ShadowMode")
        if document is not None and not document.strip():
            raise InvalidParameterValue("The policy document must not be empty.")
        if endpoint.policy is None and document is None:
            raise MissingParameter("PolicyDocument")
        commit()
        policy = endpoint.policy
        if policy is None:
            policy = endpoint.policy = AuthorizationPolicy(
                document=document or "",
                description=description,
                shadow_mode=shadow_mode or "disabled",
            )
        else:
            policy.status = "updating"
            if document is not None:
                policy.document = document
            if description is not None:
                policy.description = description
            if shadow_mode is not None:
                policy.shadow_mode = shadow_mode

        def active(_: Any) -> None:
            if policy.status in ("creating", "updating"):
                policy.status = "active"

        self._later(endpoint, active)
        return policy

    def delete_policy(self, endpoint_id: str) -> AuthorizationPolicy:
        endpoint = self.endpoint(endpoint_id)
        policy = endpoint.policy
        if policy is None:
            raise InvalidParameterValue(
                f"The Client VPN endpoint '{endpoint.id}' has no authorization policy."
            )
        commit()
        policy.status = "deleting"

        def gone(e: Any) -> None:
            if e.policy is policy:
                e.policy = None

        self._later(endpoint, gone)
        return policy

    # -- the transit gateway attachment of an endpoint on a transit gateway

    def transit_gateway_attachment(self, attachment_id: str) -> TransitGatewayAttachment:
        attachment = self.transit_gateway_attachments.get(attachment_id)
        if attachment is None:
            if not re.fullmatch(r"tgw-attach-[0-9a-f]{17}", attachment_id):
                raise _error(
                    "InvalidTransitGatewayAttachmentID.Malformed",
                    f'Invalid id: "{attachment_id}" (expecting "tgw-attach-...")',
                )
            raise _error(
                "InvalidTransitGatewayAttachmentID.NotFound",
                f"Transit Gateway Attachment {attachment_id} not found.",
            )
        return attachment

    def accept_attachment(self, attachment_id: str, accept: bool) -> TransitGatewayAttachment:
        attachment = self.transit_gateway_attachment(attachment_id)
        if attachment.state != "pending-acceptance":
            raise _error(
                "IncorrectState",
                f"Transit Gateway Attachment {attachment_id} is in invalid state "
                f"{attachment.state}.",
            )
        commit()
        attachment.state = "pending" if accept else "rejected"
        endpoint = self.endpoints.find(attachment.endpoint_id)
        if accept and endpoint is not None:

            def available(_: Any) -> None:
                if attachment.state == "pending":
                    attachment.state = "available"

            self._later(endpoint, available)
        return attachment

    def _attachments_of(self, endpoint: ClientVpnEndpoint) -> list[TransitGatewayAttachment]:
        """The endpoint's transit gateway attachment, if it has one."""
        config = endpoint.transit_gateway or {}
        found = self.transit_gateway_attachments.get(config.get("TransitGatewayAttachmentId", ""))
        return [found] if found is not None else []

    def delete_attachment(self, attachment_id: str) -> TransitGatewayAttachment:
        attachment = self.transit_gateway_attachment(attachment_id)
        if attachment.state in ("deleting", "deleted"):
            raise _error(
                "IncorrectState",
                f"Transit Gateway Attachment {attachment_id} is in invalid state "
                f"{attachment.state}.",
            )
        commit()
        attachment.state = "deleting"
        self.backend.transit_gateways.detach_resource(attachment.id)
        endpoint = self.endpoints.find(attachment.endpoint_id)
        if endpoint is not None:

            def deleted(_: Any) -> None:
                attachment.state = "deleted"

            self._later(endpoint, deleted)
        return attachment


def _route_active(route: ClientRoute) -> Callable[[Any], None]:
    def active(_: Any) -> None:
        if route.status == "creating":
            route.status = "active"

    return active
