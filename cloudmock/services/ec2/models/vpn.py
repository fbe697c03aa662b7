"""Site-to-Site VPN: customer gateways, virtual private gateways, VPN connections,
VPN concentrators, and a virtual private gateway's route propagation."""

from __future__ import annotations

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
    from cloudmock.services.ec2.models.route_tables import RouteTable
    from cloudmock.services.ec2.shapes import CustomerGateway as CustomerGatewayShape
    from cloudmock.services.ec2.shapes import Route as RouteShape
    from cloudmock.services.ec2.shapes import TunnelOption as TunnelOptionShape
    from cloudmock.services.ec2.shapes import VpcEncryptionNonCompliantResource
    from cloudmock.services.ec2.shapes import VpnConcentrator as VpnConcentratorShape
    from cloudmock.services.ec2.shapes import VpnConnection as VpnConnectionShape
    from cloudmock.services.ec2.shapes import VpnGateway as VpnGatewayShape

CUSTOMER_GATEWAY = ResourceKind(
    "cgw",
    "customer-gateway",
    "InvalidCustomerGatewayId",
    "customer gateway ID",
    not_found_stem="InvalidCustomerGatewayID",
)
VPN_GATEWAY = ResourceKind("vgw", "vpn-gateway", "InvalidVpnGatewayID", "vpn gateway ID")
VPN_CONNECTION = ResourceKind(
    "vpn", "vpn-connection", "InvalidVpnConnectionID", "vpn connection ID"
)
VPN_CONCENTRATOR = ResourceKind(
    "vcn", "vpn-concentrator", "InvalidVpnConcentratorID", "vpn concentrator ID"
)

GATEWAY_TYPE = "ipsec.1"
DEFAULT_CUSTOMER_ASN = 65000
DEFAULT_AMAZON_ASN = 64512
MAX_BGP_ASN = 2_147_483_647
MAX_BGP_ASN_EXTENDED = 4_294_967_295

#: tunnel inside CIDRs AWS keeps for itself (the /16 is the pool, these are not handed out)
RESERVED_INSIDE_CIDRS = frozenset([f"169.254.{n}.0/30" for n in range(6)] + ["169.254.169.252/30"])
LINK_LOCAL = ipaddress.IPv4Network("169.254.0.0/16")
ULA = ipaddress.IPv6Network("fd00::/8")
_PSK = re.compile(r"^[A-Za-z0-9._]{8,64}$")

PHASE1_ENCRYPTION = ("AES128", "AES256", "AES128-GCM-16", "AES256-GCM-16")
PHASE2_ENCRYPTION = PHASE1_ENCRYPTION
INTEGRITY = ("SHA1", "SHA2-256", "SHA2-384", "SHA2-512")
PHASE1_DH = (2, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24)
PHASE2_DH = (2, 5, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24)
IKE_VERSIONS = ("ikev1", "ikev2")
DPD_ACTIONS = ("clear", "none", "restart")
STARTUP_ACTIONS = ("add", "start")
LOG_FORMATS = ("json", "text")

#: the devices GetVpnConnectionDeviceTypes lists (vendor, platform, software)
DEVICE_TYPES: tuple[tuple[str, str, str], ...] = (
    ("Barracuda", "CloudGen Firewall", "8.0.5+"),
    ("Checkpoint", "Gaia", "R80.10+"),
    ("Cisco Systems, Inc.", "ASA 5500 Series", "ASA 9.7+ VTI"),
    ("Cisco Systems, Inc.", "CSRv AMI", "IOS 12.4+"),
    ("Cisco Systems, Inc.", "ISR Series Routers", "IOS 12.4+"),
    ("Fortinet", "Fortigate 40+ Series", "FortiOS 6.4.4+ (GUI)"),
    ("Generic", "Generic", "Vendor Agnostic"),
    ("Juniper Networks, Inc.", "J-Series Routers", "JunOS 9.5+"),
    ("Juniper Networks, Inc.", "SRX Routers", "JunOS 11.0+"),
    ("Microsoft", "Windows Server", "2012 R2"),
    ("Mikrotik", "RouterOS", "6.44.3"),
    ("Openswan", "Openswan", "Openswan 2.6.38+"),
    ("Palo Alto Networks", "PA Series", "PANOS 7.0+"),
    ("pfSense", "pfsense", "pfsense 2.2.5+(GUI)"),
    ("Sophos", "Sophos Firewall", "v19+"),
    ("Strongswan", "Ubuntu 16.04", "Strongswan 5.5.1+"),
    ("Ubiquiti", "EdgeRouter", "EdgeOS v1.10.7"),
    ("Yamaha", "RTX Routers", "Rev.10.01.16+"),
)


def device_type_id(vendor: str, platform: str, software: str) -> str:
    """A stable 8-hex-digit id per device type, as AWS's ids look."""
    return hashlib.sha256(f"{vendor}|{platform}|{software}".encode()).hexdigest()[:8]


DEVICE_TYPES_BY_ID = {device_type_id(*device): device for device in DEVICE_TYPES}


def incorrect_state(message: str) -> ServiceError:
    return ServiceError(message, code="IncorrectState")


def _customer_gateway_state(gateway: CustomerGateway) -> ServiceError:
    return ServiceError(
        f"The customer gateway '{gateway.id}' is not in the available state: it is "
        f"{gateway.state}.",
        code="InvalidCustomerGatewayState",
    )


def _vpn_gateway_state(gateway: VpnGateway) -> ServiceError:
    return ServiceError(
        f"The virtual private gateway '{gateway.id}' is not in the available state: it is "
        f"{gateway.state}.",
        code="InvalidVpnGatewayState",
    )


def _connection_state(connection: VpnConnection) -> ServiceError:
    return ServiceError(
        f"The VPN connection '{connection.id}' must be in the available state to complete "
        f"the request: it is {connection.state}.",
        code="InvalidVpnConnection.InvalidState",
    )


def _cidr_in_use(cidr: str) -> ServiceError:
    return ServiceError(
        f"The inside tunnel CIDR {cidr} is already in use by another VPN tunnel for the gateway.",
        code="InvalidCidr.InUse",
    )


# -- customer gateways


@dataclass
class CustomerGateway(Resource):
    bgp_asn: int
    ip_address: str | None
    certificate_arn: str | None
    device_name: str | None
    created: datetime
    type: str = GATEWAY_TYPE
    state: str = "pending"

    def describe(self) -> CustomerGatewayShape:
        out: CustomerGatewayShape = {
            "CustomerGatewayId": self.id,
            "State": self.state,
            "Type": self.type,
            "BgpAsn": str(self.bgp_asn),
        }
        if self.bgp_asn > MAX_BGP_ASN:
            out["BgpAsnExtended"] = str(self.bgp_asn)
        if self.ip_address:
            out["IpAddress"] = self.ip_address
        if self.certificate_arn:
            out["CertificateArn"] = self.certificate_arn
        if self.device_name:
            out["DeviceName"] = self.device_name
        if self.tags:
            out["Tags"] = self.tag_list()
        return out


CUSTOMER_GATEWAY_FILTERS: dict[str, Callable[[Any], Any]] = {
    "bgp-asn": lambda g: str(g.bgp_asn),
    "customer-gateway-id": lambda g: g.id,
    "ip-address": lambda g: g.ip_address,
    "state": lambda g: g.state,
    "type": lambda g: g.type,
}


# -- virtual private gateways


@dataclass
class VpcAttachment:
    vpc_id: str
    state: str


@dataclass
class VpnGateway(Resource):
    amazon_side_asn: int
    availability_zone: str | None
    type: str = GATEWAY_TYPE
    state: str = "pending"
    #: the current attachment first; a detached one stays listed until the next attach
    attachments: list[VpcAttachment] = field(default_factory=list)

    @property
    def attached_vpc_id(self) -> str | None:
        """The VPC the gateway is attaching or attached to (indexed)."""
        for attachment in self.attachments:
            if attachment.state in ("attaching", "attached"):
                return attachment.vpc_id
        return None

    def describe(self) -> VpnGatewayShape:
        out: VpnGatewayShape = {
            "VpnGatewayId": self.id,
            "State": self.state,
            "Type": self.type,
            "AmazonSideAsn": self.amazon_side_asn,
            "VpcAttachments": [{"VpcId": a.vpc_id, "State": a.state} for a in self.attachments],
        }
        if self.availability_zone:
            out["AvailabilityZone"] = self.availability_zone
        if self.tags:
            out["Tags"] = self.tag_list()
        return out


VPN_GATEWAY_FILTERS: dict[str, Callable[[Any], Any]] = {
    "amazon-side-asn": lambda g: str(g.amazon_side_asn),
    "attachment.state": lambda g: [a.state for a in g.attachments],
    "attachment.vpc-id": lambda g: [a.vpc_id for a in g.attachments],
    "availability-zone": lambda g: g.availability_zone,
    "state": lambda g: g.state,
    "type": lambda g: g.type,
    "vpn-gateway-id": lambda g: g.id,
}


# -- VPN connections


@dataclass
class CloudWatchLogs:
    log_enabled: bool = False
    log_group_arn: str | None = None
    log_output_format: str | None = None
    bgp_log_enabled: bool | None = None
    bgp_log_group_arn: str | None = None
    bgp_log_output_format: str | None = None

    def describe(self) -> dict[str, Any]:
        out: dict[str, Any] = {"LogEnabled": self.log_enabled}
        if self.log_group_arn:
            out["LogGroupArn"] = self.log_group_arn
        if self.log_output_format:
            out["LogOutputFormat"] = self.log_output_format
        if self.bgp_log_enabled is not None:
            out["BgpLogEnabled"] = self.bgp_log_enabled
        if self.bgp_log_group_arn:
            out["BgpLogGroupArn"] = self.bgp_log_group_arn
        if self.bgp_log_output_format:
            out["BgpLogOutputFormat"] = self.bgp_log_output_format
        return out


@dataclass
class KeyExchange:
    round: int
    methods: list[int]
    requirement: str | None


@dataclass
class Tunnel:
    """One of the two tunnels of a VPN connection and the options it was given."""

    outside_ip: str
    inside_cidr: str | None
    inside_ipv6_cidr: str | None
    pre_shared_key: str
    status_changed: datetime
    certificate_arn: str | None = None
    #: the options a request set (unset ones show as AWS's defaults would: absent)
    options: dict[str, Any] = field(default_factory=dict)
    logs: CloudWatchLogs = field(default_factory=CloudWatchLogs)
    last_replaced: datetime | None = None

    def describe(self) -> TunnelOptionShape:
        out: dict[str, Any] = {"OutsideIpAddress": self.outside_ip}
        if self.inside_cidr:
            out["TunnelInsideCidr"] = self.inside_cidr
        if self.inside_ipv6_cidr:
            out["TunnelInsideIpv6Cidr"] = self.inside_ipv6_cidr
        out["PreSharedKey"] = self.pre_shared_key
        for name, value in self.options.items():
            if name in ("Phase1AdditionalKeyExchanges", "Phase2AdditionalKeyExchanges"):
                out[name] = [
                    {
                        "AdditionalKeyExchangeRound": k.round,
                        "KeyExchangeMethods": [{"Value": m} for m in k.methods],
                        **({"Requirement": k.requirement} if k.requirement else {}),
                    }
                    for k in value
                ]
            elif isinstance(value, list):
                out[name] = [{"Value": v} for v in value]
            else:
                out[name] = value
        out["LogOptions"] = {"CloudWatchLogOptions": self.logs.describe()}
        return out  # type: ignore[return-value]  # built from the TunnelOption member names

    def first(self, option: str, default: Any) -> Any:
        values = self.options.get(option)
        return values[0] if values else default


@dataclass
class StaticRoute:
    cidr: str
    state: str = "pending"


@dataclass
class VpnConnection(Resource):
    customer_gateway_id: str
    vpn_gateway_id: str | None
    transit_gateway_id: str | None
    vpn_concentrator_id: str | None
    tunnels: list[Tunnel]
    static_routes_only: bool
    enable_acceleration: bool
    tunnel_inside_ip_version: str
    local_ipv4_cidr: str | None
    remote_ipv4_cidr: str | None
    local_ipv6_cidr: str | None
    remote_ipv6_cidr: str | None
    outside_ip_address_type: str
    transport_attachment_id: str | None
    tunnel_bandwidth: str
    pre_shared_key_arn: str | None
    configuration: str
    #: the customer gateway's ASN (the bgp-asn filter)
    bgp_asn: int
    type: str = GATEWAY_TYPE
    state: str = "pending"
    gateway_association_state: str = "associated"
    routes: list[StaticRoute] = field(default_factory=list)
    #: the transit gateway's attachment for the connection (its family owns it)
    transit_gateway_attachment_id: str | None = None

    @property
    def target_key(self) -> str | None:
        """The gateway the connection ends on (indexed)."""
        return self.vpn_gateway_id or self.transit_gateway_id

    def tunnel(self, outside_ip: str) -> Tunnel:
        for tunnel in self.tunnels:
            if tunnel.outside_ip == outside_ip:
                return tunnel
        raise InvalidParameterValue(
            f"The VPN tunnel outside IP address '{outside_ip}' does not belong to "
            f"VPN connection '{self.id}'."
        )

    def describe(self) -> VpnConnectionShape:
        options: dict[str, Any] = {
            "EnableAcceleration": self.enable_acceleration,
            "StaticRoutesOnly": self.static_routes_only,
        }
        for name, value in (
            ("LocalIpv4NetworkCidr", self.local_ipv4_cidr),
            ("RemoteIpv4NetworkCidr", self.remote_ipv4_cidr),
            ("LocalIpv6NetworkCidr", self.local_ipv6_cidr),
            ("RemoteIpv6NetworkCidr", self.remote_ipv6_cidr),
        ):
            if value:
                options[name] = value
        options["OutsideIpAddressType"] = self.outside_ip_address_type
        if self.transport_attachment_id:
            options["TransportTransitGatewayAttachmentId"] = self.transport_attachment_id
        options["TunnelInsideIpVersion"] = self.tunnel_inside_ip_version
        options["TunnelOptions"] = [t.describe() for t in self.tunnels]
        options["TunnelBandwidth"] = self.tunnel_bandwidth
        out: dict[str, Any] = {
            "VpnConnectionId": self.id,
            "CustomerGatewayId": self.customer_gateway_id,
            "Category": "VPN",
            "State": self.state,
            "Type": self.type,
            "GatewayAssociationState": self.gateway_association_state,
            "Options": options,
            "Routes": [
                {"DestinationCidrBlock": r.cidr, "Source": "Static", "State": r.state}
                for r in self.routes
            ],
            "VgwTelemetry": [
                {
                    "AcceptedRouteCount": 0,
                    "LastStatusChange": t.status_changed,
                    "OutsideIpAddress": t.outside_ip,
                    "Status": "DOWN",
                    "StatusMessage": "",
                    **({"CertificateArn": t.certificate_arn} if t.certificate_arn else {}),
                }
                for t in self.tunnels
            ],
        }
        if self.state in ("pending", "available"):
            out["CustomerGatewayConfiguration"] = self.configuration
        if self.vpn_gateway_id:
            out["VpnGatewayId"] = self.vpn_gateway_id
        if self.transit_gateway_id:
            out["TransitGatewayId"] = self.transit_gateway_id
        if self.vpn_concentrator_id:
            out["VpnConcentratorId"] = self.vpn_concentrator_id
        if self.pre_shared_key_arn:
            out["PreSharedKeyArn"] = self.pre_shared_key_arn
        if self.tags:
            out["Tags"] = self.tag_list()
        return out  # type: ignore[return-value]  # built from the VpnConnection member names


@dataclass
class VpnConcentrator(Resource):
    transit_gateway_id: str
    transit_gateway_attachment_id: str
    type: str = GATEWAY_TYPE
    state: str = "pending"

    def describe(self) -> VpnConcentratorShape:
        out: VpnConcentratorShape = {
            "VpnConcentratorId": self.id,
            "State": self.state,
            "TransitGatewayId": self.transit_gateway_id,
            "TransitGatewayAttachmentId": self.transit_gateway_attachment_id,
            "Type": self.type,
        }
        if self.tags:
            out["Tags"] = self.tag_list()
        return out


#: the model documents no filter for DescribeVpnConcentrators
VPN_CONCENTRATOR_FILTERS: dict[str, Callable[[Any], Any]] = {}


# -- validation helpers


def check_type(value: str) -> None:
    if value != GATEWAY_TYPE:
        raise InvalidParameterValue(
            f"Value ({value}) for parameter type is invalid. Valid values: {GATEWAY_TYPE}"
        )


def check_ipv4_cidr(value: str, parameter: str) -> str:
    try:
        network = ipaddress.IPv4Network(value, strict=True)
    except ValueError:
        raise InvalidParameterValue(
            f"Value ({value}) for parameter {parameter} is invalid. "
            "Expecting a valid IPv4 CIDR block."
        ) from None
    return str(network)


def check_ipv6_cidr(value: str, parameter: str) -> str:
    try:
        network = ipaddress.IPv6Network(value, strict=True)
    except ValueError:
        raise InvalidParameterValue(
            f"Value ({value}) for parameter {parameter} is invalid. "
            "Expecting a valid IPv6 CIDR block."
        ) from None
    return str(network)


def check_inside_cidr(value: str) -> str:
    try:
        network = ipaddress.IPv4Network(value, strict=True)
    except ValueError:
        network = None
    if network is None or network.prefixlen != 30 or not network.subnet_of(LINK_LOCAL):
        raise InvalidParameterValue(
            f"The tunnel inside CIDR {value} is invalid: it must be a /30 CIDR block "
            "from the 169.254.0.0/16 range."
        )
    if str(network) in RESERVED_INSIDE_CIDRS:
        raise InvalidParameterValue(
            f"The tunnel inside CIDR {value} is reserved and cannot be used."
        )
    return str(network)


def check_inside_ipv6_cidr(value: str) -> str:
    try:
        network = ipaddress.IPv6Network(value, strict=True)
    except ValueError:
        network = None
    if network is None or network.prefixlen != 126 or not network.subnet_of(ULA):
        raise InvalidParameterValue(
            f"The tunnel inside IPv6 CIDR {value} is invalid: it must be a /126 CIDR block "
            "from the fd00::/8 range."
        )
    return str(network)


def check_pre_shared_key(value: str) -> None:
    if not _PSK.match(value) or value.startswith("0"):
        raise InvalidParameterValue(
            "The pre-shared key is invalid: it must be 8 to 64 characters long, contain only "
            "alphanumeric characters, periods (.) and underscores (_), and not start with zero (0)."
        )


def _in_range(name: str, value: int | None, low: int, high: int) -> None:
    if value is not None and not low <= value <= high:
        raise InvalidParameterValue(
            f"Value ({value}) for parameter {name} is invalid. "
            f"Expecting a value between {low} and {high}."
        )


def _values(spec: Mapping[str, Any], name: str, allowed: Sequence[Any]) -> list[Any] | None:
    entries = spec.get(name)
    if entries is None:
        return None
    values = []
    for entry in entries:
        value = entry.get("Value")
        if value not in allowed:
            raise InvalidParameterValue(
                f"Value ({value}) for parameter {name} is invalid. "
                f"Valid values: {', '.join(str(a) for a in allowed)}"
            )
        if value not in values:
            values.append(value)
    return values


def _key_exchanges(spec: Mapping[str, Any], name: str) -> list[KeyExchange] | None:
    entries = spec.get(name)
    if entries is None:
        return None
    out = []
    for entry in entries:
        round_ = entry.get("AdditionalKeyExchangeRound")
        if round_ is None:
            raise MissingParameter(f"{name}.AdditionalKeyExchangeRound")
        _in_range(f"{name}.AdditionalKeyExchangeRound", round_, 1, 7)
        methods = [m.get("Value") for m in entry.get("KeyExchangeMethods") or []]
        for method in methods:
            _in_range(f"{name}.KeyExchangeMethods", method, 1, 65535)
        out.append(
            KeyExchange(round_, [m for m in methods if m is not None], entry.get("Requirement"))
        )
    return out


def _log_group_arn(value: str | None, name: str) -> None:
    if value is not None and not value.startswith("arn:aws:logs:"):
        raise InvalidParameterValue(
            f"Value ({value}) for parameter {name} is invalid. Expecting a CloudWatch Logs "
            "log group ARN."
        )


def tunnel_options(spec: Mapping[str, Any]) -> tuple[dict[str, Any], CloudWatchLogs | None]:
    """The tunnel options a TunnelOptions entry sets (request member names -> describe names)."""
    phase1 = spec.get("Phase1LifetimeSeconds")
    phase2 = spec.get("Phase2LifetimeSeconds")
    _in_range("Phase1LifetimeSeconds", phase1, 900, 28800)
    _in_range("Phase2LifetimeSeconds", phase2, 900, 3600)
    if phase1 is not None and phase2 is not None and phase2 >= phase1:
        raise InvalidParameterValue(
            "Phase2LifetimeSeconds must be less than Phase1LifetimeSeconds."
        )
    margin = spec.get("RekeyMarginTimeSeconds")
    if margin is not None:
        _in_range("RekeyMarginTimeSeconds", margin, 60, (phase2 or 3600) // 2)
    _in_range("RekeyFuzzPercentage", spec.get("RekeyFuzzPercentage"), 0, 100)
    _in_range("ReplayWindowSize", spec.get("ReplayWindowSize"), 64, 2048)
    dpd = spec.get("DPDTimeoutSeconds")
    if dpd is not None and dpd < 30:
        raise InvalidParameterValue(
            f"Value ({dpd}) for parameter DPDTimeoutSeconds is invalid. "
            "Expecting a value greater than or equal to 30."
        )
    for name, allowed in (("DPDTimeoutAction", DPD_ACTIONS), ("StartupAction", STARTUP_ACTIONS)):
        value = spec.get(name)
        if value is not None and value not in allowed:
            raise InvalidParameterValue(
                f"Value ({value}) for parameter {name} is invalid. "
                f"Valid values: {', '.join(allowed)}"
            )
    options: dict[str, Any] = {}
    for request_name, describe_name in (
        ("Phase1LifetimeSeconds", "Phase1LifetimeSeconds"),
        ("Phase2LifetimeSeconds", "Phase2LifetimeSeconds"),
        ("RekeyMarginTimeSeconds", "RekeyMarginTimeSeconds"),
        ("RekeyFuzzPercentage", "RekeyFuzzPercentage"),
        ("ReplayWindowSize", "ReplayWindowSize"),
        ("DPDTimeoutSeconds", "DpdTimeoutSeconds"),
        ("DPDTimeoutAction", "DpdTimeoutAction"),
    ):
        if spec.get(request_name) is not None:
            options[describe_name] = spec[request_name]
    lists: tuple[tuple[str, str, Sequence[Any]], ...] = (
        ("Phase1EncryptionAlgorithms", "Phase1EncryptionAlgorithms", PHASE1_ENCRYPTION),
        ("Phase2EncryptionAlgorithms", "Phase2EncryptionAlgorithms", PHASE2_ENCRYPTION),
        ("Phase1IntegrityAlgorithms", "Phase1IntegrityAlgorithms", INTEGRITY),
        ("Phase2IntegrityAlgorithms", "Phase2IntegrityAlgorithms", INTEGRITY),
        ("Phase1DHGroupNumbers", "Phase1DHGroupNumbers", PHASE1_DH),
        ("Phase2DHGroupNumbers", "Phase2DHGroupNumbers", PHASE2_DH),
        ("IKEVersions", "IkeVersions", IKE_VERSIONS),
    )
    for request_name, describe_name, choices in lists:
        values = _values(spec, request_name, choices)
        if values is not None:
            options[describe_name] = values
    if spec.get("StartupAction") is not None:
        options["StartupAction"] = spec["StartupAction"]
    if spec.get("EnableTunnelLifecycleControl") is not None:
        options["EnableTunnelLifecycleControl"] = spec["EnableTunnelLifecycleControl"]
    for name in ("Phase1AdditionalKeyExchanges", "Phase2AdditionalKeyExchanges"):
        exchanges = _key_exchanges(spec, name)
        if exchanges is not None:
            options[name] = exchanges
    logs = None
    log_spec = (spec.get("LogOptions") or {}).get("CloudWatchLogOptions")
    if log_spec is not None:
        for name in ("LogOutputFormat", "BgpLogOutputFormat"):
            value = log_spec.get(name)
            if value is not None and value not in LOG_FORMATS:
                raise InvalidParameterValue(
                    f"Value ({value}) for parameter {name} is invalid. Valid values: json, text"
                )
        _log_group_arn(log_spec.get("LogGroupArn"), "LogGroupArn")
        _log_group_arn(log_spec.get("BgpLogGroupArn"), "BgpLogGroupArn")
        if log_spec.get("LogEnabled") and not log_spec.get("LogGroupArn"):
            raise MissingParameter("LogGroupArn")
        logs = CloudWatchLogs(
            log_enabled=bool(log_spec.get("LogEnabled")),
            log_group_arn=log_spec.get("LogGroupArn"),
            log_output_format=log_spec.get("LogOutputFormat")
            or ("json" if log_spec.get("LogEnabled") else None),
            bgp_log_enabled=log_spec.get("BgpLogEnabled"),
            bgp_log_group_arn=log_spec.get("BgpLogGroupArn"),
            bgp_log_output_format=log_spec.get("BgpLogOutputFormat"),
        )
    return options, logs


def _check_public_ip(value: str, parameter: str) -> str:
    try:
        address = ipaddress.IPv4Address(value)
    except ValueError:
        raise InvalidParameterValue(
            f"Value ({value}) for parameter {parameter} is invalid. Expecting a valid IPv4 address."
        ) from None
    if (
        address.is_unspecified
        or address.is_loopback
        or address.is_multicast
        or address.is_link_local
        or address.is_reserved
    ):
        raise InvalidParameterValue(
            f"Value ({value}) for parameter {parameter} is invalid. "
            "The IP address must be a routable IPv4 address."
        )
    return str(address)


def _check_arn(value: str, service: str, parameter: str) -> None:
    if not re.match(rf"^arn:aws[a-z-]*:{service}:[a-z0-9-]+:\d{{12}}:\S+$", value):
        raise InvalidParameterValue(
            f"Value ({value}) for parameter {parameter} is invalid. "
            f"Expecting an ARN of the {service} service."
        )


# -- the family


class Vpn:
    """The Site-to-Site VPN family of one region."""

    def __init__(self, backend: Ec2Backend) -> None:
        self.backend = backend
        self.customer_gateways: Store[CustomerGateway] = backend.new_store(CUSTOMER_GATEWAY)
        self.customer_gateways.add_index("identity", lambda g: (g.type, g.ip_address, g.bgp_asn))
        self.vpn_gateways: Store[VpnGateway] = backend.new_store(VPN_GATEWAY)
        self.vpn_gateways.add_index("vpc", lambda g: g.attached_vpc_id)
        self.connections: Store[VpnConnection] = backend.new_store(VPN_CONNECTION)
        self.connections.add_index("gateway", lambda c: c.target_key)
        self.connections.add_index("customer-gateway", lambda c: c.customer_gateway_id)
        self.concentrators: Store[VpnConcentrator] = backend.new_store(VPN_CONCENTRATOR)
        #: route propagation: route table id -> the virtual private gateways propagating into it
        self.propagating: dict[str, set[str]] = {}
        #: and the other way: virtual private gateway id -> the tables it propagates into
        self.propagates_into: dict[str, set[str]] = {}
        backend.depends_on("vpc", self._vpc_user)
        backend.vpcs.controls.encryption_blockers.append(self._encryption_blockers)
        backend.route_tables.route_table_deleted.append(self._table_deleted)
        backend.route_tables.propagation_sources.append(self._propagating_into)
        backend.route_tables.route_sources.append(self._propagated_routes)

    # -- what other families ask

    def _vpc_user(self, vpc_id: str) -> str | None:
        gateways = self.vpn_gateways.lookup("vpc", vpc_id)
        return gateways[0].id if gateways else None

    def _table_deleted(self, table_id: str) -> None:
        """A deleted route table no longer has gateways propagating into it."""
        for gateway_id in list(self.propagating.get(table_id, ())):
            self._stop_propagating(table_id, gateway_id)

    def _encryption_blockers(self, vpc_id: str) -> list[VpcEncryptionNonCompliantResource]:
        return [
            {
                "Id": gateway.id,
                "Type": "vpn-gateway",
                "Description": f"Virtual private gateway {gateway.id}",
                "IsExcludable": True,
            }
            for gateway in self.vpn_gateways.lookup("vpc", vpc_id)
        ]

    def _propagating_into(self, table: RouteTable) -> list[str]:
        return sorted(self.propagating.get(table.id, ()))

    def _propagated_routes(self, table: RouteTable) -> list[RouteShape]:
        routes: list[RouteShape] = []
        for gateway_id in sorted(self.propagating.get(table.id, ())):
            for connection in self.connections.lookup("gateway", gateway_id):
                if connection.state != "available" or connection.vpn_gateway_id != gateway_id:
                    continue
                for route in connection.routes:
                    if route.state == "available":
                        routes.append(
                            {
                                "DestinationCidrBlock": route.cidr,
                                "GatewayId": gateway_id,
                                "Origin": "EnableVgwRoutePropagation",
                                "State": "active",
                            }
                        )
        return routes

    # -- time

    def _later(self, resource: Resource, action: Callable[[Any], None]) -> None:
        self.backend.schedule(self.backend.options.transition_delay, resource, action)

    def _forget_later(self, store: Store[Any], resource: Resource) -> None:
        self.backend.schedule(
            self.backend.options.terminated_retention,
            resource,
            lambda r: store.remove(r.id),
        )

    # -- customer gateways

    def create_customer_gateway(
        self,
        *,
        type_: str,
        bgp_asn: int | None,
        bgp_asn_extended: int | None,
        ip_address: str | None,
        public_ip: str | None,
        certificate_arn: str | None,
        device_name: str | None,
        tags: dict[str, str],
    ) -> CustomerGateway:
        check_type(type_)
        if bgp_asn is not None and bgp_asn_extended is not None:
            raise InvalidParameterCombination("You cannot specify both BgpAsn and BgpAsnExtended.")
        if bgp_asn is not None:
            _in_range("BgpAsn", bgp_asn, 1, MAX_BGP_ASN)
        if bgp_asn_extended is not None:
            _in_range("BgpAsnExtended", bgp_asn_extended, MAX_BGP_ASN + 1, MAX_BGP_ASN_EXTENDED)
        asn = bgp_asn_extended or bgp_asn or DEFAULT_CUSTOMER_ASN
        if ip_address is not None and public_ip is not None and ip_address != public_ip:
            raise InvalidParameterCombination(
                "You cannot specify both IpAddress and PublicIp with different values."
            )
        address = ip_address or public_ip
        if address is not None:
            address = _check_public_ip(address, "IpAddress" if ip_address else "PublicIp")
        elif certificate_arn is None:
            raise MissingParameter("IpAddress")
        if certificate_arn is not None:
            _check_arn(certificate_arn, "acm", "CertificateArn")
        if device_name is not None and len(device_name) > 255:
            raise InvalidParameterValue(
                "Value for parameter DeviceName is invalid: it must be at most 255 characters."
            )
        # An identical gateway (type, address, ASN) is not made twice: EC2 answers the first.
        if address is not None:
            for existing in self.customer_gateways.lookup("identity", (type_, address, asn)):
                if existing.state in ("pending", "available"):
                    commit()
                    return existing
        commit()
        backend = self.backend
        gateway = self.customer_gateways.add(
            CustomerGateway(
                id=backend.ids.new("cgw"),
                bgp_asn=asn,
                ip_address=address,
                certificate_arn=certificate_arn,
                device_name=device_name,
                created=backend.clock.now(),
                type=type_,
                tags=tags,
            )
        )
        self._later(gateway, _available)
        return gateway

    def delete_customer_gateway(self, gateway_id: str) -> None:
        gateway = self.customer_gateways.get(gateway_id)
        if gateway.state in ("deleting", "deleted"):
            raise _customer_gateway_state(gateway)
        for connection in self.connections.lookup("customer-gateway", gateway_id):
            if connection.state != "deleted":
                raise incorrect_state("The customer gateway is in use.")
        commit()
        gateway.state = "deleting"
        self._later(gateway, self._deleted(self.customer_gateways))

    def _deleted(self, store: Store[Any]) -> Callable[[Any], None]:
        def finish(resource: Any) -> None:
            if resource.state == "deleting":
                resource.state = "deleted"
                store.reindex(resource)
                self._forget_later(store, resource)

        return finish

    def available_customer_gateway(self, gateway_id: str) -> CustomerGateway:
        gateway = self.customer_gateways.get(gateway_id)
        if gateway.state != "available":
            raise _customer_gateway_state(gateway)
        return gateway

    # -- virtual private gateways

    def create_vpn_gateway(
        self,
        *,
        type_: str,
        availability_zone: str | None,
        amazon_side_asn: int | None,
        tags: dict[str, str],
    ) -> VpnGateway:
        check_type(type_)
        if availability_zone is not None and availability_zone not in self.backend.zones:
            raise InvalidParameterValue(f"Invalid availability zone: [{availability_zone}]")
        asn = DEFAULT_AMAZON_ASN if amazon_side_asn is None else amazon_side_asn
        if not (64512 <= asn <= 65534 or 4_200_000_000 <= asn <= 4_294_967_294):
            raise InvalidParameterValue(
                f"Value ({asn}) for parameter amazonSideAsn is invalid. A 16-bit ASN must be "
                "in the range 64512 to 65534, a 32-bit ASN in the range 4200000000 to 4294967294."
            )
        commit()
        gateway = self.vpn_gateways.add(
            VpnGateway(
                id=self.backend.ids.new("vgw"),
                amazon_side_asn=asn,
                availability_zone=availability_zone,
                type=type_,
                tags=tags,
            )
        )
        self._later(gateway, _available)
        return gateway

    def live_vpn_gateway(self, gateway_id: str) -> VpnGateway:
        gateway = self.vpn_gateways.get(gateway_id)
        if gateway.state in ("deleting", "deleted"):
            raise _vpn_gateway_state(gateway)
        return gateway

    def attach(self, gateway_id: str, vpc_id: str) -> VpcAttachment:
        gateway = self.live_vpn_gateway(gateway_id)
        vpc = self.backend.vpcs.vpcs.get(vpc_id)
        if gateway.state != "available":
            raise _vpn_gateway_state(gateway)
        current = gateway.attached_vpc_id
        if current is not None:
            raise ServiceError(
                f"The VPN gateway '{gateway.id}' is already attached to {current}: a virtual "
                "private gateway can be attached to one VPC at a time.",
                code="VpnGatewayAttachmentLimitExceeded",
            )
        others = self.vpn_gateways.lookup("vpc", vpc.id)
        if others:
            raise ServiceError(
                f"The VPC {vpc.id} already has a virtual private gateway ({others[0].id}) "
                "attached to it.",
                code="InvalidVpcState",
            )
        commit()
        attachment = VpcAttachment(vpc_id=vpc.id, state="attaching")
        gateway.attachments = [attachment]
        self.vpn_gateways.reindex(gateway)

        def attached(_: Any) -> None:
            if attachment.state == "attaching":
                attachment.state = "attached"

        self._later(gateway, attached)
        return attachment

    def detach(self, gateway_id: str, vpc_id: str) -> None:
        gateway = self.live_vpn_gateway(gateway_id)
        self.backend.vpcs.vpcs.check_id(vpc_id)
        attachment = next(
            (
                a
                for a in gateway.attachments
                if a.vpc_id == vpc_id and a.state in ("attaching", "attached")
            ),
            None,
        )
        if attachment is None:
            raise ServiceError(
                f"The attachment with vpn gateway ID '{gateway_id}' and vpc ID '{vpc_id}' "
                "does not exist",
                code="InvalidVpnGatewayAttachment.NotFound",
            )
        commit()
        attachment.state = "detaching"
        self.vpn_gateways.reindex(gateway)
        # Route propagation ends with the attachment to the VPC.
        for table_id in list(self.propagates_into.get(gateway.id, ())):
            self._stop_propagating(table_id, gateway.id)

        def detached(_: Any) -> None:
            if attachment.state == "detaching":
                attachment.state = "detached"

        self._later(gateway, detached)

    def delete_vpn_gateway(self, gateway_id: str) -> None:
        gateway = self.live_vpn_gateway(gateway_id)
        busy = next((a for a in gateway.attachments if a.state != "detached"), None)
        if busy is not None:
            raise incorrect_state(
                f"The VPN gateway '{gateway.id}' is {busy.state} to {busy.vpc_id}: "
                "it must be detached first."
            )
        for connection in self.connections.lookup("gateway", gateway.id):
            if connection.state != "deleted":
                raise incorrect_state(f"The VPN gateway '{gateway.id}' is in use.")
        commit()
        gateway.state = "deleting"
        self._later(gateway, self._deleted(self.vpn_gateways))

    # -- route propagation

    def enable_propagation(self, gateway_id: str, table_id: str) -> None:
        table = self.backend.route_tables.store.get(table_id)
        gateway = self.live_vpn_gateway(gateway_id)
        if gateway.attached_vpc_id != table.vpc_id:
            raise ServiceError(
                f"resource {gateway.id} is not attached to network {table.vpc_id}",
                code="Gateway.NotAttached",
            )
        commit()
        self.propagating.setdefault(table.id, set()).add(gateway.id)
        self.propagates_into.setdefault(gateway.id, set()).add(table.id)

    def disable_propagation(self, gateway_id: str, table_id: str) -> None:
        table = self.backend.route_tables.store.get(table_id)
        gateway = self.vpn_gateways.get(gateway_id)
        commit()
        self._stop_propagating(table.id, gateway.id)

    def _stop_propagating(self, table_id: str, gateway_id: str) -> None:
        for index, key, value in (
            (self.propagating, table_id, gateway_id),
            (self.propagates_into, gateway_id, table_id),
        ):
            values = index.get(key)
            if values is not None:
                values.discard(value)
                if not values:
                    del index[key]

    def propagating_tables(self, gateway_id: str) -> list[str]:
        return sorted(self.propagates_into.get(gateway_id, ()))

    # -- VPN connections

    def _gateway_target(
        self, vpn_gateway_id: str | None, transit_gateway_id: str | None
    ) -> tuple[str | None, str | None]:
        if vpn_gateway_id is not None and transit_gateway_id is not None:
            raise InvalidParameterCombination(
                "You cannot specify both VpnGatewayId and TransitGatewayId."
            )
        if vpn_gateway_id is None and transit_gateway_id is None:
            raise MissingParameter("VpnGatewayId or TransitGatewayId")
        if vpn_gateway_id is not None:
            self.live_vpn_gateway(vpn_gateway_id)
        if transit_gateway_id is not None:
            if not transit_gateway_id.startswith("tgw-"):
                raise ServiceError(
                    f'Invalid id: "{transit_gateway_id}" (expecting "tgw-...")',
                    code="InvalidTransitGatewayID.Malformed",
                )
            # the gateway must be able to take the connection's attachment
            self.backend.transit_gateways.available_gateway(transit_gateway_id)
        return vpn_gateway_id, transit_gateway_id

    def _check_customer_address(
        self, target: str | None, gateway: CustomerGateway, but: VpnConnection | None = None
    ) -> None:
        """Two VPN connections on one gateway cannot start at the same customer address."""
        if gateway.ip_address is None:
            return
        for connection in self.connections.lookup("gateway", target):
            if connection is but or connection.state == "deleted":
                continue
            other = self.customer_gateways.find(connection.customer_gateway_id)
            if other is not None and other.ip_address == gateway.ip_address:
                raise ServiceError(
                    f"The customer gateway IP address {gateway.ip_address} is already used by "
                    f"VPN connection {connection.id} on {target}.",
                    code="InvalidCustomerGateway.DuplicateIpAddress",
                )

    def _inside_cidrs_in_use(
        self, target: str | None, but: VpnConnection | None = None
    ) -> set[str]:
        used: set[str] = set()
        for connection in self.connections.lookup("gateway", target):
            if connection is but or connection.state == "deleted":
                continue
            used.update(t.inside_cidr for t in connection.tunnels if t.inside_cidr)
        return used

    def _new_inside_cidr(self, taken: set[str]) -> str:
        rng = self.backend.rng
        while True:
            base = rng.randrange(6, 256) * 256 + rng.randrange(64) * 4
            cidr = f"169.254.{base // 256}.{base % 256}/30"
            if cidr not in taken and cidr not in RESERVED_INSIDE_CIDRS:
                return cidr

    def _new_pre_shared_key(self) -> str:
        rng = self.backend.rng
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._"
        first = rng.choice(alphabet[:52])
        return first + "".join(rng.choice(alphabet) for _ in range(31))

    def create_connection(
        self,
        *,
        customer_gateway_id: str,
        type_: str,
        vpn_gateway_id: str | None,
        transit_gateway_id: str | None,
        vpn_concentrator_id: str | None,
        options: Mapping[str, Any],
        pre_shared_key_storage: str | None,
        tags: dict[str, str],
    ) -> VpnConnection:
        check_type(type_)
        customer_gateway = self.available_customer_gateway(customer_gateway_id)
        vgw_id, tgw_id = self._gateway_target(vpn_gateway_id, transit_gateway_id)
        if vpn_concentrator_id is not None:
            concentrator = self.concentrators.get(vpn_concentrator_id)
            if tgw_id != concentrator.transit_gateway_id:
                raise InvalidParameterCombination(
                    f"The VPN concentrator '{concentrator.id}' is attached to transit gateway "
                    f"{concentrator.transit_gateway_id}; specify that TransitGatewayId."
                )
        if pre_shared_key_storage is not None and pre_shared_key_storage not in (
            "Standard",
            "SecretsManager",
        ):
            raise InvalidParameterValue(
                f"Value ({pre_shared_key_storage}) for parameter PreSharedKeyStorage is invalid. "
                "Valid values: Standard, SecretsManager"
            )
        ip_version = options.get("TunnelInsideIpVersion") or "ipv4"
        if ip_version == "ipv6" and tgw_id is None:
            raise InvalidParameterCombination(
                "IPv6 tunnel inside addresses are supported only for VPN connections "
                "on a transit gateway."
            )
        acceleration = bool(options.get("EnableAcceleration"))
        if acceleration and tgw_id is None:
            raise InvalidParameterCombination(
                "Accelerated VPN connections are supported only on a transit gateway."
            )
        outside_type = options.get("OutsideIpAddressType") or "PublicIpv4"
        if outside_type not in ("PublicIpv4", "PrivateIpv4", "Ipv6"):
            raise InvalidParameterValue(
                f"Value ({outside_type}) for parameter OutsideIpAddressType is invalid. "
                "Valid values: PublicIpv4, PrivateIpv4, Ipv6"
            )
        transport = options.get("TransportTransitGatewayAttachmentId")
        if outside_type == "PrivateIpv4" and not transport:
            raise MissingParameter("TransportTransitGatewayAttachmentId")
        if transport is not None:
            if tgw_id is None:
                raise InvalidParameterCombination(
                    "TransportTransitGatewayAttachmentId needs a TransitGatewayId."
                )
            self.backend.resource(transport)
        bandwidth = options.get("TunnelBandwidth") or "standard"
        _check_bandwidth(bandwidth, tgw_id)
        specs = options.get("TunnelOptions") or []
        if len(specs) > 2:
            raise InvalidParameterValue(
                "A VPN connection has two tunnels: at most 2 TunnelOptions can be specified."
            )
        cidrs = self._cidr_options(options, ip_version)
        target = vgw_id or tgw_id
        self._check_customer_address(target, customer_gateway)
        taken = self._inside_cidrs_in_use(target)
        tunnels_in: list[tuple[str | None, str | None, str | None, dict[str, Any], Any]] = []
        seen: set[str] = set()
        for spec in specs:
            inside = spec.get("TunnelInsideCidr")
            inside6 = spec.get("TunnelInsideIpv6Cidr")
            if inside is not None:
                if ip_version == "ipv6":
                    raise InvalidParameterCombination(
                        "TunnelInsideCidr cannot be used when TunnelInsideIpVersion is ipv6."
                    )
                inside = check_inside_cidr(inside)
                if inside in taken or inside in seen:
                    raise _cidr_in_use(inside)
                seen.add(inside)
            if inside6 is not None:
                if ip_version != "ipv6":
                    raise InvalidParameterCombination(
                        "TunnelInsideIpv6Cidr needs TunnelInsideIpVersion ipv6."
                    )
                inside6 = check_inside_ipv6_cidr(inside6)
            psk = spec.get("PreSharedKey")
            if psk is not None:
                check_pre_shared_key(psk)
            tunnel_opts, logs = tunnel_options(spec)
            tunnels_in.append((inside, inside6, psk, tunnel_opts, logs))
        while len(tunnels_in) < 2:
            tunnels_in.append((None, None, None, {}, None))
        commit()
        backend = self.backend
        now = backend.clock.now()
        tunnels = []
        for inside, inside6, psk, tunnel_opts, logs in tunnels_in:
            if ip_version == "ipv4" and inside is None:
                inside = self._new_inside_cidr(taken | seen)
                seen.add(inside)
            if ip_version == "ipv6" and inside6 is None:
                inside6 = f"fd{backend.ids.hex(2)}:{backend.ids.hex(4)}:{backend.ids.hex(4)}::/126"
            tunnels.append(
                Tunnel(
                    outside_ip=backend.allocate_public_ip(),
                    inside_cidr=inside,
                    inside_ipv6_cidr=inside6,
                    pre_shared_key=psk or self._new_pre_shared_key(),
                    status_changed=now,
                    certificate_arn=customer_gateway.certificate_arn,
                    options=tunnel_opts,
                    logs=logs or CloudWatchLogs(),
                )
            )
        connection_id = backend.ids.new("vpn")
        psk_arn = None
        if pre_shared_key_storage == "SecretsManager":
            psk_arn = (
                f"arn:aws:secretsmanager:{backend.region}:{backend.account_id}:secret:"
                f"vpn-psk-{connection_id}-{backend.ids.hex(6)}"
            )
        connection = VpnConnection(
            id=connection_id,
            customer_gateway_id=customer_gateway.id,
            vpn_gateway_id=vgw_id,
            transit_gateway_id=tgw_id,
            vpn_concentrator_id=vpn_concentrator_id,
            tunnels=tunnels,
            static_routes_only=bool(options.get("StaticRoutesOnly")),
            enable_acceleration=acceleration,
            tunnel_inside_ip_version=ip_version,
            outside_ip_address_type=outside_type,
            transport_attachment_id=transport,
            tunnel_bandwidth=bandwidth,
            pre_shared_key_arn=psk_arn,
            configuration="",
            bgp_asn=customer_gateway.bgp_asn,
            type=type_,
            tags=tags,
            local_ipv4_cidr=cidrs["local_ipv4_cidr"],
            remote_ipv4_cidr=cidrs["remote_ipv4_cidr"],
            local_ipv6_cidr=cidrs["local_ipv6_cidr"],
            remote_ipv6_cidr=cidrs["remote_ipv6_cidr"],
        )
        connection.configuration = customer_gateway_configuration(
            connection, customer_gateway, self._amazon_asn(connection)
        )
        self.connections.add(connection)
        self._attach_to_transit_gateway(connection)
        self._later(connection, _available)
        return connection

    def _attach_to_transit_gateway(self, connection: VpnConnection) -> None:
        """A connection on a transit gateway is one of its attachments (resource type vpn); on
        a VPN concentrator it shares the concentrator's attachment instead."""
        if connection.transit_gateway_id is None or connection.vpn_concentrator_id is not None:
            return
        attachment = self.backend.transit_gateways.attach_resource(
            connection.transit_gateway_id, "vpn", connection.id
        )
        connection.transit_gateway_attachment_id = attachment.id

    def _detach_from_transit_gateway(self, connection: VpnConnection) -> None:
        if connection.transit_gateway_attachment_id is not None:
            self.backend.transit_gateways.detach_resource(connection.transit_gateway_attachment_id)
            connection.transit_gateway_attachment_id = None

    def _cidr_options(self, options: Mapping[str, Any], ip_version: str) -> dict[str, str | None]:
        out: dict[str, str | None] = {}
        for name, key in (
            ("LocalIpv4NetworkCidr", "local_ipv4_cidr"),
            ("RemoteIpv4NetworkCidr", "remote_ipv4_cidr"),
        ):
            value = options.get(name)
            if value is not None and ip_version == "ipv6":
                raise InvalidParameterCombination(f"{name} cannot be used with ipv6 tunnels.")
            out[key] = (
                check_ipv4_cidr(value, name)
                if value is not None
                else ("0.0.0.0/0" if ip_version == "ipv4" else None)
            )
        for name, key in (
            ("LocalIpv6NetworkCidr", "local_ipv6_cidr"),
            ("RemoteIpv6NetworkCidr", "remote_ipv6_cidr"),
        ):
            value = options.get(name)
            if value is not None and ip_version == "ipv4":
                raise InvalidParameterCombination(f"{name} needs TunnelInsideIpVersion ipv6.")
            out[key] = (
                check_ipv6_cidr(value, name)
                if value is not None
                else ("::/0" if ip_version == "ipv6" else None)
            )
        return out

    def _amazon_asn(self, connection: VpnConnection) -> int:
        if connection.vpn_gateway_id:
            gateway = self.vpn_gateways.find(connection.vpn_gateway_id)
            if gateway is not None:
                return gateway.amazon_side_asn
        return DEFAULT_AMAZON_ASN

    def live_connection(self, connection_id: str) -> VpnConnection:
        connection = self.connections.get(connection_id)
        if connection.state in ("deleting", "deleted"):
            raise _connection_state(connection)
        return connection

    def available_connection(self, connection_id: str) -> VpnConnection:
        connection = self.live_connection(connection_id)
        if connection.state != "available":
            raise _connection_state(connection)
        return connection

    def delete_connection(self, connection_id: str) -> None:
        connection = self.connections.get(connection_id)
        if connection.state in ("deleting", "deleted"):
            commit()
            return
        commit()
        connection.state = "deleting"
        self._detach_from_transit_gateway(connection)

        def finish(c: Any) -> None:
            if c.state == "deleting":
                c.state = "deleted"
                for tunnel in c.tunnels:
                    self.backend.release_public_ip(tunnel.outside_ip)
                self._forget_later(self.connections, c)

        self._later(connection, finish)

    def create_route(self, connection_id: str, cidr: str) -> None:
        connection = self.live_connection(connection_id)
        cidr = check_ipv4_cidr(cidr, "DestinationCidrBlock")
        if not connection.static_routes_only:
            raise ServiceError(
                f"The VPN connection '{connection.id}' does not support static routes: "
                "create it with Options.StaticRoutesOnly.",
                code="InvalidVpnConnection.InvalidType",
            )
        if connection.vpn_gateway_id is None:
            raise InvalidParameterValue(
                "Static routes of a VPN connection on a transit gateway are transit gateway "
                "routes: use CreateTransitGatewayRoute."
            )
        if any(r.cidr == cidr and r.state != "deleted" for r in connection.routes):
            raise ServiceError(
                f"The route identified by {cidr} already exists.", code="RouteAlreadyExists"
            )
        commit()
        route = StaticRoute(cidr)
        connection.routes.append(route)

        def available(_: Any) -> None:
            if route.state == "pending":
                route.state = "available"

        self._later(connection, available)

    def delete_route(self, connection_id: str, cidr: str) -> None:
        connection = self.live_connection(connection_id)
        route = next(
            (r for r in connection.routes if r.cidr == cidr and r.state != "deleting"), None
        )
        if route is None:
            raise ServiceError(
                f"The route identified by {cidr} does not exist for VPN connection "
                f"'{connection.id}'.",
                code="InvalidRoute.NotFound",
            )
        commit()
        route.state = "deleting"

        def gone(c: Any) -> None:
            if route in c.routes:
                c.routes.remove(route)

        self._later(connection, gone)

    def modify_connection(
        self,
        connection_id: str,
        *,
        vpn_gateway_id: str | None,
        transit_gateway_id: str | None,
        customer_gateway_id: str | None,
    ) -> VpnConnection:
        connection = self.available_connection(connection_id)
        given = [v for v in (vpn_gateway_id, transit_gateway_id, customer_gateway_id) if v]
        if len(given) != 1:
            raise InvalidParameterCombination(
                "Specify exactly one of VpnGatewayId, TransitGatewayId and CustomerGatewayId."
            )
        customer_gateway = None
        if customer_gateway_id is not None:
            customer_gateway = self.available_customer_gateway(customer_gateway_id)
            self._check_customer_address(connection.target_key, customer_gateway, but=connection)
        else:
            self._gateway_target(vpn_gateway_id, transit_gateway_id)
            target = vpn_gateway_id or transit_gateway_id
            if target == connection.target_key:
                raise InvalidParameterValue(
                    f"The VPN connection '{connection.id}' already uses {connection.target_key}."
                )
            if transit_gateway_id is None and connection.tunnel_inside_ip_version == "ipv6":
                raise InvalidParameterCombination(
                    "A VPN connection with IPv6 tunnels can only use a transit gateway."
                )
            if transit_gateway_id is None and connection.tunnel_bandwidth == "large":
                _check_bandwidth("large", None)
            current = self.customer_gateways.find(connection.customer_gateway_id)
            if current is not None:
                self._check_customer_address(target, current)
            taken = self._inside_cidrs_in_use(target)
            for tunnel in connection.tunnels:
                if tunnel.inside_cidr in taken:
                    raise _cidr_in_use(tunnel.inside_cidr)
        commit()
        if customer_gateway is not None:
            connection.customer_gateway_id = customer_gateway.id
            connection.bgp_asn = customer_gateway.bgp_asn
            for tunnel in connection.tunnels:
                tunnel.certificate_arn = customer_gateway.certificate_arn
            self.connections.reindex(connection)
            connection.configuration = customer_gateway_configuration(
                connection, customer_gateway, self._amazon_asn(connection)
            )
            return connection
        self._detach_from_transit_gateway(connection)
        connection.vpn_gateway_id = vpn_gateway_id
        connection.transit_gateway_id = transit_gateway_id
        if transit_gateway_id is not None:
            connection.vpn_concentrator_id = None
        self._attach_to_transit_gateway(connection)
        self.connections.reindex(connection)
        connection.gateway_association_state = "associating"

        def associated(c: Any) -> None:
            if c.gateway_association_state == "associating":
                c.gateway_association_state = "associated"

        self._later(connection, associated)
        gateway = self.customer_gateways.find(connection.customer_gateway_id)
        if gateway is not None:
            connection.configuration = customer_gateway_configuration(
                connection, gateway, self._amazon_asn(connection)
            )
        return connection

    def modify_options(
        self,
        connection_id: str,
        *,
        local_ipv4: str | None,
        remote_ipv4: str | None,
        local_ipv6: str | None,
        remote_ipv6: str | None,
        bandwidth: str | None,
    ) -> VpnConnection:
        connection = self.available_connection(connection_id)
        ipv6 = connection.tunnel_inside_ip_version == "ipv6"
        changes: dict[str, str] = {}
        for name, key, value, v6 in (
            ("LocalIpv4NetworkCidr", "local_ipv4_cidr", local_ipv4, False),
            ("RemoteIpv4NetworkCidr", "remote_ipv4_cidr", remote_ipv4, False),
            ("LocalIpv6NetworkCidr", "local_ipv6_cidr", local_ipv6, True),
            ("RemoteIpv6NetworkCidr", "remote_ipv6_cidr", remote_ipv6, True),
        ):
            if value is None:
                continue
            if v6 != ipv6:
                raise InvalidParameterCombination(
                    f"{name} does not apply to a VPN connection with "
                    f"{connection.tunnel_inside_ip_version} tunnels."
                )
            changes[key] = check_ipv6_cidr(value, name) if v6 else check_ipv4_cidr(value, name)
        if bandwidth is not None:
            _check_bandwidth(bandwidth, connection.transit_gateway_id)
        commit()
        for key, value in changes.items():
            setattr(connection, key, value)
        if bandwidth is not None:
            connection.tunnel_bandwidth = bandwidth
        return connection

    def modify_tunnel(
        self,
        connection_id: str,
        outside_ip: str,
        spec: Mapping[str, Any],
        *,
        pre_shared_key_storage: str | None,
    ) -> VpnConnection:
        connection = self.available_connection(connection_id)
        tunnel = connection.tunnel(outside_ip)
        inside = spec.get("TunnelInsideCidr")
        if inside is not None:
            if connection.tunnel_inside_ip_version == "ipv6":
                raise InvalidParameterCombination(
                    "TunnelInsideCidr cannot be used when TunnelInsideIpVersion is ipv6."
                )
            inside = check_inside_cidr(inside)
            taken = self._inside_cidrs_in_use(connection.target_key, but=connection)
            taken.update(
                t.inside_cidr for t in connection.tunnels if t is not tunnel and t.inside_cidr
            )
            if inside in taken:
                raise _cidr_in_use(inside)
        inside6 = spec.get("TunnelInsideIpv6Cidr")
        if inside6 is not None:
            if connection.tunnel_inside_ip_version != "ipv6":
                raise InvalidParameterCombination(
                    "TunnelInsideIpv6Cidr needs TunnelInsideIpVersion ipv6."
                )
            inside6 = check_inside_ipv6_cidr(inside6)
        psk = spec.get("PreSharedKey")
        if psk is not None:
            check_pre_shared_key(psk)
        if pre_shared_key_storage is not None and pre_shared_key_storage not in (
            "Standard",
            "SecretsManager",
        ):
            raise InvalidParameterValue(
                f"Value ({pre_shared_key_storage}) for parameter PreSharedKeyStorage is invalid. "
                "Valid values: Standard, SecretsManager"
            )
        options, logs = tunnel_options(spec)
        commit()
        if inside is not None:
            tunnel.inside_cidr = inside
        if inside6 is not None:
            tunnel.inside_ipv6_cidr = inside6
        if psk is not None:
            tunnel.pre_shared_key = psk
        tunnel.options.update(options)
        if logs is not None:
            tunnel.logs = logs
        backend = self.backend
        if pre_shared_key_storage == "SecretsManager" and connection.pre_shared_key_arn is None:
            connection.pre_shared_key_arn = (
                f"arn:aws:secretsmanager:{backend.region}:{backend.account_id}:secret:"
                f"vpn-psk-{connection.id}-{backend.ids.hex(6)}"
            )
        elif pre_shared_key_storage == "Standard":
            connection.pre_shared_key_arn = None
        tunnel.status_changed = backend.clock.now()
        gateway = self.customer_gateways.find(connection.customer_gateway_id)
        if gateway is not None:
            connection.configuration = customer_gateway_configuration(
                connection, gateway, self._amazon_asn(connection)
            )
        return connection

    def modify_tunnel_certificate(self, connection_id: str, outside_ip: str) -> VpnConnection:
        connection = self.available_connection(connection_id)
        tunnel = connection.tunnel(outside_ip)
        if tunnel.certificate_arn is None:
            raise InvalidParameterValue(
                f"The VPN connection '{connection.id}' does not use certificate-based "
                "authentication."
            )
        commit()
        tunnel.status_changed = self.backend.clock.now()
        return connection

    def replace_tunnel(self, connection_id: str, outside_ip: str) -> None:
        connection = self.available_connection(connection_id)
        tunnel = connection.tunnel(outside_ip)
        commit()
        now = self.backend.clock.now()
        tunnel.last_replaced = now
        tunnel.status_changed = now

    # -- VPN concentrators

    def create_concentrator(
        self, *, type_: str, transit_gateway_id: str | None, tags: dict[str, str]
    ) -> VpnConcentrator:
        check_type(type_)
        if transit_gateway_id is None:
            raise MissingParameter("TransitGatewayId")
        self._gateway_target(None, transit_gateway_id)
        commit()
        backend = self.backend
        concentrator_id = backend.ids.new("vcn")
        # the transit gateway's side of the attachment belongs to the transit gateway family
        attachment = backend.transit_gateways.attach_resource(
            transit_gateway_id, "vpn-concentrator", concentrator_id
        )
        concentrator = self.concentrators.add(
            VpnConcentrator(
                id=concentrator_id,
                transit_gateway_id=transit_gateway_id,
                transit_gateway_attachment_id=attachment.id,
                type=type_,
                tags=tags,
            )
        )
        self._later(concentrator, _available)
        return concentrator

    def delete_concentrator(self, concentrator_id: str) -> None:
        concentrator = self.concentrators.get(concentrator_id)
        for connection in self.connections.lookup("gateway", concentrator.transit_gateway_id):
            if connection.vpn_concentrator_id == concentrator.id and connection.state != "deleted":
                raise incorrect_state(f"The VPN concentrator '{concentrator.id}' is in use.")
        commit()
        concentrator.state = "deleting"
        self.backend.transit_gateways.detach_resource(concentrator.transit_gateway_attachment_id)

        def gone(c: Any) -> None:
            if c.state == "deleting":
                self.concentrators.remove(c.id)

        self._later(concentrator, gone)


def _check_bandwidth(bandwidth: str, transit_gateway_id: str | None) -> None:
    if bandwidth not in ("standard", "large"):
        raise InvalidParameterValue(
            f"Value ({bandwidth}) for parameter TunnelBandwidth is invalid. "
            "Valid values: standard, large"
        )
    if bandwidth == "large" and transit_gateway_id is None:
        raise InvalidParameterCombination(
            "Large bandwidth tunnels are supported only for VPN connections on a transit gateway."
        )


def _available(resource: Any) -> None:
    if resource.state == "pending":
        resource.state = "available"


VPN_CONNECTION_FILTERS: dict[str, Callable[[Any], Any]] = {
    "bgp-asn": lambda c: str(c.bgp_asn),
    "customer-gateway-configuration": lambda c: c.configuration,
    "customer-gateway-id": lambda c: c.customer_gateway_id,
    "state": lambda c: c.state,
    "option.static-routes-only": lambda c: c.static_routes_only,
    "route.destination-cidr-block": lambda c: [r.cidr for r in c.routes],
    "type": lambda c: c.type,
    "vpn-connection-id": lambda c: c.id,
    "vpn-gateway-id": lambda c: c.vpn_gateway_id,
    "transit-gateway-id": lambda c: c.transit_gateway_id,
}


# -- generated texts


def customer_gateway_configuration(
    connection: VpnConnection, gateway: CustomerGateway, amazon_asn: int
) -> str:
    """The XML EC2 hands out for configuring the customer's device."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<vpn_connection id="{connection.id}">',
        f"  <customer_gateway_id>{gateway.id}</customer_gateway_id>",
        f"  <vpn_gateway_id>{connection.vpn_gateway_id or connection.transit_gateway_id}"
        "</vpn_gateway_id>",
        "  <vpn_connection_type>ipsec.1</vpn_connection_type>",
    ]
    for tunnel in connection.tunnels:
        inside = ipaddress.IPv4Network(tunnel.inside_cidr) if tunnel.inside_cidr else None
        hosts = list(inside.hosts()) if inside else []
        customer_inside = str(hosts[1]) if hosts else ""
        amazon_inside = str(hosts[0]) if hosts else ""
        ike = tunnel.first("IkeVersions", "ikev1")
        lines += [
            "  <ipsec_tunnel>",
            "    <customer_gateway>",
            "      <tunnel_outside_address>",
            f"        <ip_address>{gateway.ip_address or ''}</ip_address>",
            "      </tunnel_outside_address>",
            "      <tunnel_inside_address>",
            f"        <ip_address>{customer_inside}</ip_address>",
            "        <network_mask>255.255.255.252</network_mask>",
            "        <network_cidr>30</network_cidr>",
            "      </tunnel_inside_address>",
            "      <bgp>",
            f"        <asn>{gateway.bgp_asn}</asn>",
            "        <hold_time>30</hold_time>",
            "      </bgp>",
            "    </customer_gateway>",
            "    <vpn_gateway>",
            "      <tunnel_outside_address>",
            f"        <ip_address>{tunnel.outside_ip}</ip_address>",
            "      </tunnel_outside_address>",
            "      <tunnel_inside_address>",
            f"        <ip_address>{amazon_inside}</ip_address>",
            "        <network_mask>255.255.255.252</network_mask>",
            "        <network_cidr>30</network_cidr>",
            "      </tunnel_inside_address>",
            "      <bgp>",
            f"        <asn>{amazon_asn}</asn>",
            "        <hold_time>30</hold_time>",
            "      </bgp>",
            "    </vpn_gateway>",
            "    <ike>",
            "      <authentication_protocol>"
            f"{_xml_algorithm(tunnel.first('Phase1IntegrityAlgorithms', 'sha1'))}"
            "</authentication_protocol>",
            "      <encryption_protocol>"
            f"{_xml_algorithm(tunnel.first('Phase1EncryptionAlgorithms', 'aes-128-cbc'))}"
            "</encryption_protocol>",
            f"      <lifetime>{tunnel.options.get('Phase1LifetimeSeconds', 28800)}</lifetime>",
            f"      <perfect_forward_secrecy>group{tunnel.first('Phase1DHGroupNumbers', 2)}"
            "</perfect_forward_secrecy>",
            f"      <mode>{'main' if ike == 'ikev1' else 'ikev2'}</mode>",
            f"      <pre_shared_key>{tunnel.pre_shared_key}</pre_shared_key>",
            "    </ike>",
            "    <ipsec>",
            "      <protocol>esp</protocol>",
            "      <authentication_protocol>"
            f"hmac-{_xml_algorithm(tunnel.first('Phase2IntegrityAlgorithms', 'sha1'))}-96"
            "</authentication_protocol>",
            "      <encryption_protocol>"
            f"{_xml_algorithm(tunnel.first('Phase2EncryptionAlgorithms', 'aes-128-cbc'))}"
            "</encryption_protocol>",
            f"      <lifetime>{tunnel.options.get('Phase2LifetimeSeconds', 3600)}</lifetime>",
            f"      <perfect_forward_secrecy>group{tunnel.first('Phase2DHGroupNumbers', 2)}"
            "</perfect_forward_secrecy>",
            "      <mode>tunnel</mode>",
            "      <clear_df_bit>true</clear_df_bit>",
            "      <fragmentation_before_encryption>true</fragmentation_before_encryption>",
            "      <tcp_mss_adjustment>1379</tcp_mss_adjustment>",
            "      <dead_peer_detection>",
            "        <delay>10</delay>",
            "        <retry>3</retry>",
            "      </dead_peer_detection>",
            "    </ipsec>",
            "  </ipsec_tunnel>",
        ]
    lines.append("</vpn_connection>")
    return "\n".join(lines)


def _xml_algorithm(name: str) -> str:
    return {
        "AES128": "aes-128-cbc",
        "AES256": "aes-256-cbc",
        "AES128-GCM-16": "aes-128-gcm",
        "AES256-GCM-16": "aes-256-gcm",
        "SHA1": "sha1",
        "SHA2-256": "sha2-256",
        "SHA2-384": "sha2-384",
        "SHA2-512": "sha2-512",
    }.get(name, name)


def sample_configuration(
    connection: VpnConnection,
    gateway: CustomerGateway | None,
    device: tuple[str, str, str],
    ike_version: str,
) -> str:
    """A device-specific sample configuration, as plain text."""
    vendor, platform, software = device
    lines = [
        f"! Amazon Web Services Site-to-Site VPN: sample configuration for {vendor} "
        f"{platform} ({software})",
        f"! VPN connection: {connection.id}",
        f"! Customer gateway: {connection.customer_gateway_id}",
        f"! Internet Key Exchange version: {ike_version}",
        "!",
    ]
    for number, tunnel in enumerate(connection.tunnels, start=1):
        hosts = (
            list(ipaddress.IPv4Network(tunnel.inside_cidr).hosts()) if tunnel.inside_cidr else []
        )
        lines += [
            f"! -- IPSec tunnel #{number}",
            f"crypto {ike_version} policy {200 + number}",
            f"  pre-shared-key {tunnel.pre_shared_key}",
            f"  lifetime {tunnel.options.get('Phase1LifetimeSeconds', 28800)}",
            f"  peer {tunnel.outside_ip}",
            f"  local-address {gateway.ip_address if gateway and gateway.ip_address else ''}",
            f"interface Tunnel{number}",
            f"  ip address {hosts[1] if hosts else ''} 255.255.255.252",
            f"  tunnel destination {tunnel.outside_ip}",
            f"  bgp neighbor {hosts[0] if hosts else ''}",
            "!",
        ]
    return "\n".join(lines) + "\n"
