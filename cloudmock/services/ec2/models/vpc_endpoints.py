"""VPC endpoints, endpoint services (PrivateLink), their permissions, connections and notifications.

An endpoint belongs to the consumer's (account, region).  An endpoint service
belongs to its owner, and is registered by name in ``backend.shared`` so that other
accounts can find it, when its permissions let them.  When a consumer's endpoint
connects to a service, the connection goes into the owner's connection store
(reached through the service object, which the owner made): the owner accepts,
rejects and tags it there, and the consumer's endpoint follows.  Endpoint states
that another account changes move lazily with the clock (``ready_at``), so no
backend schedules events in another's queue.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from cloudmock.core.errors import (
    InvalidParameterCombination,
    InvalidParameterValue,
    MissingParameter,
    ServiceError,
)
from cloudmock.services.ec2.data.aws_prefix_lists import gateway_prefix_list
from cloudmock.services.ec2.data.vpc_endpoint_services import (
    AwsEndpointService,
    aws_endpoint_services,
    find_aws_service,
    hosted_zone_id,
)
from cloudmock.services.ec2.models.base import Resource, ResourceKind, Store

if TYPE_CHECKING:
    from cloudmock.core.clock import Clock
    from cloudmock.services.ec2.models.backend import Ec2Backend
    from cloudmock.services.ec2.models.route_tables import RouteTable
    from cloudmock.services.ec2.models.vpcs import Subnet
    from cloudmock.services.ec2.shapes import (
        AllowedPrincipal,
        ConnectionNotification,
        DnsEntry,
        Route,
        ServiceConfiguration,
        ServiceDetail,
        UnsuccessfulItem,
        VpcEndpointAssociation,
        VpcEndpointConnection,
    )
    from cloudmock.services.ec2.shapes import VpcEndpoint as VpcEndpointShape

VPC_ENDPOINT = ResourceKind("vpce", "vpc-endpoint", "InvalidVpcEndpointId", "VpcEndpoint Id")
ENDPOINT_SERVICE = ResourceKind(
    "vpce-svc", "vpc-endpoint-service", "InvalidVpcEndpointServiceId", "VpcEndpointService Id"
)
ENDPOINT_CONNECTION = ResourceKind(
    "vpce-con",
    "vpc-endpoint-connection",
    "InvalidVpcEndpointConnectionId",
    "VpcEndpointConnection Id",
)
SERVICE_PERMISSION = ResourceKind(
    "vpce-svc-perm",
    "vpc-endpoint-service-permission",
    "InvalidVpcEndpointServicePermissionId",
    "VpcEndpointServicePermission Id",
)
NOTIFICATION = ResourceKind(
    "vpce-nfn",
    "vpc-endpoint-connection-notification",
    "InvalidConnectionNotification",
    "connection notification",
)

#: the policy an endpoint gets when none is given
DEFAULT_POLICY = json.dumps(
    {
        "Version": "2008-10-17",
        "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}],
    }
)
ENDPOINT_TYPES = ("Interface", "Gateway", "GatewayLoadBalancer", "Resource", "ServiceNetwork")
CONNECTION_EVENTS = ("Accept", "Connect", "Delete", "Reject")
#: states in which an endpoint holds a service (and blocks its deletion)
HOLDING = ("pendingAcceptance", "pending", "available")
_NLB = re.compile(r"^arn:aws[\w-]*:elasticloadbalancing:[\w-]+:\d{12}:loadbalancer/net/[\w-]+/\w+$")
_GWLB = re.compile(
    r"^arn:aws[\w-]*:elasticloadbalancing:[\w-]+:\d{12}:loadbalancer/gwy/[\w-]+/\w+$"
)
_SNS = re.compile(r"^arn:aws[\w-]*:sns:[\w-]+:\d{12}:[\w-]+$")
_SERVICE_NETWORK = re.compile(
    r"^arn:aws[\w-]*:vpc-lattice:[\w-]+:\d{12}:servicenetwork/sn-[0-9a-f]+$"
)
_RESOURCE_CONFIG = re.compile(
    r"^arn:aws[\w-]*:vpc-lattice:[\w-]+:\d{12}:resourceconfiguration/rcfg-[0-9a-f]+$"
)
_ACCOUNT_ARN = re.compile(r"^arn:aws[\w-]*:iam::(\d{12}):(root|user/.+|role/.+)$")
_OU_ARN = re.compile(r"^arn:aws[\w-]*:organizations::\d{12}:ou/o-[0-9a-z]+/ou-[0-9a-z-]+$")


def invalid(message: str) -> ServiceError:
    """EC2's VPC endpoint APIs answer bad input with ``InvalidParameter``."""
    return ServiceError(message, code="InvalidParameter")


def unsuccessful(resource_id: str, code: str, message: str) -> UnsuccessfulItem:
    return {"ResourceId": resource_id, "Error": {"Code": code, "Message": message}}


# -- endpoint services -------------------------------------------------------------


@dataclass
class Permission(Resource):
    service_id: str
    principal: str
    permission_type: str = "vpc-endpoint"

    @property
    def principal_type(self) -> str:
        if self.principal == "*":
            return "All"
        if self.principal.endswith(".amazonaws.com"):
            return "Service"
        if _OU_ARN.match(self.principal):
            return "OrganizationUnit"
        found = _ACCOUNT_ARN.match(self.principal)
        if found and found.group(2) == "root":
            return "Account"
        if found and found.group(2).startswith("user/"):
            return "User"
        return "Role"

    @property
    def account(self) -> str | None:
        found = _ACCOUNT_ARN.match(self.principal)
        return found.group(1) if found else None

    def describe(self) -> AllowedPrincipal:
        out: AllowedPrincipal = {
            "PrincipalType": self.principal_type,
            "Principal": self.principal,
            "ServicePermissionId": self.id,
            "ServiceId": self.service_id,
            "PermissionType": self.permission_type,
        }
        if self.tags:
            out["Tags"] = self.tag_list()
        return out


@dataclass
class EndpointService(Resource):
    """A service of the account's own (an NLB or GWLB behind PrivateLink)."""

    owner_id: str
    region: str
    zones: list[tuple[str, str]]
    nlb_arns: list[str]
    gwlb_arns: list[str]
    acceptance_required: bool
    private_dns_name: str | None
    dns_token: str
    supported_ip_types: list[str]
    supported_regions: list[str]
    state: str = "Available"
    dns_state: str = "pendingVerification"
    payer: str | None = None
    permissions: dict[str, Permission] = field(default_factory=dict, repr=False)
    #: the owner's connection store (the owner made the service, so this is its own)
    connection_store: Store[EndpointConnection] | None = field(default=None, repr=False)
    connections: dict[str, EndpointConnection] = field(default_factory=dict, repr=False)

    @property
    def name(self) -> str:
        return f"com.amazonaws.vpce.{self.region}.{self.id}"

    @property
    def service_type(self) -> str:
        return "GatewayLoadBalancer" if self.gwlb_arns else "Interface"

    @property
    def base_dns_name(self) -> str:
        return f"{self.id}.{self.region}.vpce.amazonaws.com"

    def permits(self, account: str) -> bool:
        if account == self.owner_id:
            return True
        return any(p.principal == "*" or p.account == account for p in self.permissions.values())

    def dns_configuration(self) -> dict[str, str]:
        if not self.private_dns_name:
            return {}
        return {
            "State": self.dns_state,
            "Type": "TXT",
            "Value": f"vpce:{self.dns_token}",
            "Name": f"_{self.dns_token[:20]}",
        }

    def supported_regions_shape(self) -> list[dict[str, str]]:
        return [{"Region": r, "ServiceState": "Available"} for r in self.supported_regions]

    def describe(self) -> ServiceConfiguration:
        out: ServiceConfiguration = {
            "ServiceType": [{"ServiceType": self.service_type}],
            "ServiceId": self.id,
            "ServiceName": self.name,
            "ServiceState": self.state,
            "AvailabilityZoneIds": [zone_id for _, zone_id in self.zones],
            "AvailabilityZones": [name for name, _ in self.zones],
            "AcceptanceRequired": self.acceptance_required,
            "ManagesVpcEndpoints": False,
            "SupportedIpAddressTypes": list(self.supported_ip_types),
            "BaseEndpointDnsNames": [self.base_dns_name],
            "SupportedRegions": self.supported_regions_shape(),  # type: ignore[typeddict-item]
            "RemoteAccessEnabled": False,
        }
        if self.nlb_arns:
            out["NetworkLoadBalancerArns"] = list(self.nlb_arns)
        if self.gwlb_arns:
            out["GatewayLoadBalancerArns"] = list(self.gwlb_arns)
        if self.private_dns_name:
            out["PrivateDnsName"] = self.private_dns_name
            out["PrivateDnsNameConfiguration"] = self.dns_configuration()  # type: ignore[typeddict-item]
        if self.payer:
            out["PayerResponsibility"] = self.payer
        if self.tags:
            out["Tags"] = self.tag_list()
        return out

    def detail(self) -> ServiceDetail:
        """As DescribeVpcEndpointServices shows it (to its owner and the accounts it permits)."""
        out: ServiceDetail = {
            "ServiceName": self.name,
            "ServiceId": self.id,
            "ServiceType": [{"ServiceType": self.service_type}],
            "ServiceRegion": self.region,
            "AvailabilityZoneIds": [zone_id for _, zone_id in self.zones],
            "AvailabilityZones": [name for name, _ in self.zones],
            "Owner": self.owner_id,
            "BaseEndpointDnsNames": [self.base_dns_name],
            "VpcEndpointPolicySupported": False,
            "AcceptanceRequired": self.acceptance_required,
            "ManagesVpcEndpoints": False,
            "SupportedIpAddressTypes": list(self.supported_ip_types),
        }
        if self.private_dns_name:
            out["PrivateDnsName"] = self.private_dns_name
            out["PrivateDnsNames"] = [{"PrivateDnsName": self.private_dns_name}]
            out["PrivateDnsNameVerificationState"] = self.dns_state
        if self.payer:
            out["PayerResponsibility"] = self.payer
        if self.tags:
            out["Tags"] = self.tag_list()
        return out


def aws_detail(service: AwsEndpointService) -> ServiceDetail:
    zones = _region_zones(service.region)
    out: ServiceDetail = {
        "ServiceName": service.name,
        "ServiceId": service.service_id,
        "ServiceType": [{"ServiceType": service.service_type}],
        "ServiceRegion": service.region,
        "AvailabilityZoneIds": [zone_id for _, zone_id in zones],
        "AvailabilityZones": [name for name, _ in zones],
        "Owner": "amazon",
        "BaseEndpointDnsNames": [service.base_dns_name],
        "VpcEndpointPolicySupported": True,
        "AcceptanceRequired": False,
        "ManagesVpcEndpoints": False,
        "SupportedIpAddressTypes": list(service.ip_address_types),
    }
    if service.private_dns_name:
        out["PrivateDnsName"] = service.private_dns_name
        out["PrivateDnsNames"] = [{"PrivateDnsName": service.private_dns_name}]
        out["PrivateDnsNameVerificationState"] = "verified"
    return out


def _region_zones(region: str) -> list[tuple[str, str]]:
    from cloudmock.services.ec2.models.regions import region as region_info

    return [(z.name, z.zone_id) for z in region_info(region).zones]


# -- endpoints -----------------------------------------------------------------------


@dataclass
class VpcEndpoint(Resource):
    endpoint_type: str
    vpc_id: str
    service_name: str
    owner_id: str
    region: str
    service_region: str
    created: datetime
    clock: Clock = field(repr=False)
    dns_label: str
    aws_service: AwsEndpointService | None = None
    service: EndpointService | None = field(default=None, repr=False)
    policy: str | None = None
    route_table_ids: list[str] = field(default_factory=list)
    #: subnet id -> network interface id
    interfaces: dict[str, str] = field(default_factory=dict)
    #: subnet id -> availability zone name
    subnet_zones: dict[str, str] = field(default_factory=dict)
    groups: list[tuple[str, str]] = field(default_factory=list)
    ip_address_type: str = "ipv4"
    dns_options: dict[str, Any] = field(default_factory=dict)
    private_dns_enabled: bool = False
    status: str = "pending"
    ready_at: datetime | None = None
    service_network_arn: str | None = None
    resource_configuration_arn: str | None = None
    payer: dict[str, str] = field(default_factory=dict)
    generation: int = 0

    @property
    def state(self) -> str:
        if (
            self.status == "pending"
            and self.ready_at is not None
            and self.clock.now() >= self.ready_at
        ):
            self.status = "available"
        return self.status

    def become_pending(self, delay: float) -> None:
        self.status = "pending"
        self.ready_at = self.clock.now() + timedelta(seconds=delay)

    @property
    def subnet_ids(self) -> list[str]:
        return list(self.subnet_zones)

    @property
    def connection(self) -> EndpointConnection | None:
        return self.service.connections.get(self.id) if self.service is not None else None

    def base_dns_name(self) -> str | None:
        if self.aws_service is not None:
            return self.aws_service.base_dns_name
        if self.service is not None:
            return self.service.base_dns_name
        return None

    def private_dns_name(self) -> str | None:
        if self.aws_service is not None:
            return self.aws_service.private_dns_name
        if self.service is not None and self.service.dns_state == "verified":
            return self.service.private_dns_name
        return None

    def dns_entries(self) -> list[DnsEntry]:
        if self.endpoint_type not in ("Interface", "Resource", "ServiceNetwork"):
            return []
        base = self.base_dns_name()
        if base is None or not self.subnet_zones:
            return []
        zone = hosted_zone_id(self.region, "vpce")
        stem = f"{self.id}-{self.dns_label}"
        out: list[DnsEntry] = [{"DnsName": f"{stem}.{base}", "HostedZoneId": zone}]
        for az in sorted(set(self.subnet_zones.values())):
            out.append({"DnsName": f"{stem}-{az}.{base}", "HostedZoneId": zone})
        private = self.private_dns_name()
        if self.private_dns_enabled and private:
            out.append(
                {
                    "DnsName": private,
                    "HostedZoneId": hosted_zone_id(self.region, f"private/{self.id}"),
                }
            )
        return out

    def payer_shape(self) -> list[dict[str, str]]:
        return [{"Scope": s, "PayerResponsibilityType": t} for s, t in self.payer.items()]

    def describe(self) -> VpcEndpointShape:
        out: VpcEndpointShape = {
            "VpcEndpointId": self.id,
            "VpcEndpointType": self.endpoint_type,
            "VpcId": self.vpc_id,
            "State": self.state,
            "RouteTableIds": list(self.route_table_ids),
            "SubnetIds": self.subnet_ids,
            "Groups": [{"GroupId": gid, "GroupName": name} for gid, name in self.groups],
            "PrivateDnsEnabled": self.private_dns_enabled,
            "RequesterManaged": False,
            "NetworkInterfaceIds": list(self.interfaces.values()),
            "DnsEntries": self.dns_entries(),
            "CreationTimestamp": self.created,
            "Tags": self.tag_list(),
            "OwnerId": self.owner_id,
        }
        if self.service_name:
            out["ServiceName"] = self.service_name
        if self.policy is not None:
            out["PolicyDocument"] = self.policy
        if self.endpoint_type != "Gateway":
            out["IpAddressType"] = self.ip_address_type
            out["DnsOptions"] = dict(self.dns_options)  # type: ignore[typeddict-item]
        if self.service_region != self.region:
            out["ServiceRegion"] = self.service_region
        if self.service_network_arn:
            out["ServiceNetworkArn"] = self.service_network_arn
        if self.resource_configuration_arn:
            out["ResourceConfigurationArn"] = self.resource_configuration_arn
        if self.payer:
            out["PayerResponsibilities"] = self.payer_shape()  # type: ignore[typeddict-item]
        return out


@dataclass
class EndpointConnection(Resource):
    """An endpoint to a service, as the service's owner sees it."""

    endpoint: VpcEndpoint = field(repr=False)
    service: EndpointService = field(repr=False)

    def describe(self) -> VpcEndpointConnection:
        endpoint = self.endpoint
        out: VpcEndpointConnection = {
            "ServiceId": self.service.id,
            "VpcEndpointId": endpoint.id,
            "VpcEndpointOwner": endpoint.owner_id,
            "VpcEndpointState": endpoint.state,
            "CreationTimestamp": endpoint.created,
            "DnsEntries": endpoint.dns_entries(),
            "IpAddressType": endpoint.ip_address_type,
            "VpcEndpointConnectionId": self.id,
            "VpcEndpointRegion": endpoint.region,
        }
        if self.service.nlb_arns:
            out["NetworkLoadBalancerArns"] = list(self.service.nlb_arns)
        if self.service.gwlb_arns:
            out["GatewayLoadBalancerArns"] = list(self.service.gwlb_arns)
        if endpoint.payer:
            out["PayerResponsibilities"] = endpoint.payer_shape()  # type: ignore[typeddict-item]
        if self.tags:
            out["Tags"] = self.tag_list()
        return out


@dataclass
class Notification(Resource):
    arn: str
    events: list[str]
    region: str
    service_id: str | None = None
    endpoint_id: str | None = None

    def describe(self) -> ConnectionNotification:
        out: ConnectionNotification = {
            "ConnectionNotificationId": self.id,
            "ConnectionNotificationType": "Topic",
            "ConnectionNotificationArn": self.arn,
            "ConnectionEvents": list(self.events),
            "ConnectionNotificationState": "Enabled",
            "ServiceRegion": self.region,
        }
        if self.service_id:
            out["ServiceId"] = self.service_id
        if self.endpoint_id:
            out["VpcEndpointId"] = self.endpoint_id
        return out


@dataclass
class Association(Resource):
    """A service-network or resource endpoint's association (DescribeVpcEndpointAssociations)."""

    endpoint: VpcEndpoint = field(repr=False)

    def describe(self) -> VpcEndpointAssociation:
        e = self.endpoint
        out: VpcEndpointAssociation = {
            "Id": self.id,
            "VpcEndpointId": e.id,
            "AssociatedResourceAccessibility": "Accessible",
        }
        if e.service_network_arn:
            out["ServiceNetworkArn"] = e.service_network_arn
            out["ServiceNetworkName"] = e.service_network_arn.rsplit("/", 1)[1]
        if e.resource_configuration_arn:
            out["AssociatedResourceArn"] = e.resource_configuration_arn
        entries = e.dns_entries()
        if entries:
            out["DnsEntry"] = entries[0]
        if self.tags:
            out["Tags"] = self.tag_list()
        return out


class _ServiceRegistry:
    """Every account's endpoint services, by name (``backend.shared``)."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.by_name: dict[str, EndpointService] = {}
        #: region -> services there
        self.by_region: dict[str, dict[str, EndpointService]] = {}

    def add(self, service: EndpointService) -> None:
        with self.lock:
            self.by_name[service.name] = service
            self.by_region.setdefault(service.region, {})[service.id] = service

    def remove(self, service: EndpointService) -> None:
        with self.lock:
            self.by_name.pop(service.name, None)
            self.by_region.get(service.region, {}).pop(service.id, None)

    def in_region(self, region: str) -> list[EndpointService]:
        with self.lock:
            return list(self.by_region.get(region, {}).values())


@dataclass
class EndpointRequest:
    """What CreateVpcEndpoint asks for, checked and resolved by :meth:`VpcEndpoints.check_create`."""

    endpoint_type: str
    vpc_id: str
    service_name: str
    service_region: str
    aws_service: AwsEndpointService | None
    service: EndpointService | None
    #: (subnet, IPv4 address asked, IPv6 address asked)
    subnets: list[tuple[Subnet, str | None, str | None]]
    groups: list[tuple[str, str]]
    route_table_ids: list[str]
    policy: str | None
    ip_address_type: str
    dns_options: dict[str, Any]
    private_dns_enabled: bool
    service_network_arn: str | None
    resource_configuration_arn: str | None
    tags: dict[str, str]


def _become_available(endpoint: VpcEndpoint) -> None:
    if endpoint.status == "pending":
        endpoint.status = "available"


class VpcEndpoints:
    """The VPC endpoint family of one region of one account."""

    def __init__(self, backend: Ec2Backend) -> None:
        self.backend = backend
        self.endpoints: Store[VpcEndpoint] = backend.new_store(VPC_ENDPOINT)
        self.endpoints.add_index("vpc", lambda e: e.vpc_id)
        self.services: Store[EndpointService] = backend.new_store(ENDPOINT_SERVICE)
        self.connections: Store[EndpointConnection] = backend.new_store(ENDPOINT_CONNECTION)
        self.permissions: Store[Permission] = backend.new_store(SERVICE_PERMISSION)
        # connection notifications are not a taggable resource in EC2
        self.notifications: Store[Notification] = Store(NOTIFICATION)
        self.notifications.add_index("service", lambda n: n.service_id)
        self.notifications.add_index("endpoint", lambda n: n.endpoint_id)
        self.associations: Store[Association] = Store(
            ResourceKind("vpce-rsc-asc", "vpc-endpoint-association", "InvalidId", "association")
        )
        self.associations.add_index("endpoint", lambda a: a.endpoint.id)
        #: id -> endpoints, for the indexes other families' checks use
        self._by_route_table: dict[str, dict[str, VpcEndpoint]] = {}
        self._by_subnet: dict[str, dict[str, VpcEndpoint]] = {}
        self._by_group: dict[str, dict[str, VpcEndpoint]] = {}
        #: (operation, client token) -> what it made, and the request it made it for
        self.tokens: dict[tuple[str, str], tuple[str, Any]] = {}
        registry = backend.shared.get("vpc_endpoint_services")
        if not isinstance(registry, _ServiceRegistry):
            registry = backend.shared.setdefault("vpc_endpoint_services", _ServiceRegistry())
        self.registry: _ServiceRegistry = registry
        backend.route_tables.route_sources.append(self._routes)
        backend.route_tables.route_table_deleted.append(self.on_route_table_deleted)
        backend.depends_on("vpc", self._vpc_user)
        backend.depends_on("subnet", self._subnet_user)
        backend.depends_on("sg", self._group_user)

    # -- hooks for other families

    def _routes(self, table: RouteTable) -> list[Route]:
        out: list[Route] = []
        for endpoint in self._by_route_table.get(table.id, {}).values():
            prefix_list = gateway_prefix_list(endpoint.region, endpoint.service_name)
            if prefix_list is None:
                continue
            out.append(
                {
                    "DestinationPrefixListId": prefix_list.id,
                    "GatewayId": endpoint.id,
                    "Origin": "CreateRoute",
                    "State": "active",
                }
            )
        return out

    def _vpc_user(self, vpc_id: str) -> str | None:
        found = self.endpoints.lookup("vpc", vpc_id)
        return f"VPC endpoint {found[0].id}" if found else None

    def _subnet_user(self, subnet_id: str) -> str | None:
        found = self._by_subnet.get(subnet_id)
        return f"VPC endpoint {next(iter(found))}" if found else None

    def _group_user(self, group_id: str) -> str | None:
        found = self._by_group.get(group_id)
        return f"VPC endpoint {next(iter(found))}" if found else None

    def on_route_table_deleted(self, table_id: str) -> None:
        """For DeleteRouteTable: gateway endpoints stop routing from the table."""
        for endpoint in list(self._by_route_table.pop(table_id, {}).values()):
            endpoint.route_table_ids = [t for t in endpoint.route_table_ids if t != table_id]

    def _index(self, endpoint: VpcEndpoint, add: bool = True) -> None:
        for table, ids in (
            (self._by_route_table, endpoint.route_table_ids),
            (self._by_subnet, endpoint.subnet_ids),
            (self._by_group, [gid for gid, _ in endpoint.groups]),
        ):
            for key in ids:
                bucket = table.setdefault(key, {})
                if add:
                    bucket[endpoint.id] = endpoint
                else:
                    bucket.pop(endpoint.id, None)
                    if not bucket:
                        del table[key]

    # -- looking services up

    def find_service(
        self, name: str, region: str | None = None
    ) -> tuple[AwsEndpointService | None, EndpointService | None, list[AwsEndpointService]]:
        """An AWS service (every type of it) or an account's service this account may use."""
        region = region or self.backend.region
        aws = find_aws_service(region, name)
        if aws:
            return aws[0], None, aws
        with self.registry.lock:
            service = self.registry.by_name.get(name)
        if (
            service is not None
            and service.state == "Available"
            and service.permits(self.backend.account_id)
        ):
            return None, service, []
        raise ServiceError(
            f"The Vpc Endpoint Service '{name}' does not exist", code="InvalidServiceName"
        )

    def visible_services(self, regions: Iterable[str]) -> list[tuple[str, Any]]:
        """(name, service) for every service this account sees in ``regions``, sorted by name."""
        out: list[tuple[str, Any]] = []
        account = self.backend.account_id
        for region in regions:
            for aws in aws_endpoint_services(region):
                out.append((aws.name, aws))
            for service in self.registry.in_region(region):
                if service.state == "Available" and service.permits(account):
                    out.append((service.name, service))
        out.sort(key=lambda pair: pair[0])
        return out

    # -- endpoints

    def check_create(
        self,
        *,
        endpoint_type: str,
        vpc_id: str,
        service_name: str | None,
        service_region: str | None,
        subnet_ids: list[str],
        subnet_ips: dict[str, tuple[str | None, str | None]],
        group_ids: list[str],
        route_table_ids: list[str],
        policy: str | None,
        ip_address_type: str | None,
        dns_options: dict[str, Any] | None,
        private_dns_enabled: bool | None,
        service_network_arn: str | None,
        resource_configuration_arn: str | None,
        tags: dict[str, str],
    ) -> EndpointRequest:
        backend = self.backend
        if endpoint_type not in ENDPOINT_TYPES:
            raise InvalidParameterValue(
                f"Invalid value '{endpoint_type}' for VpcEndpointType. Expected one of: "
                f"{', '.join(ENDPOINT_TYPES)}."
            )
        vpc = backend.vpcs.vpcs.get(vpc_id)
        aws_service: AwsEndpointService | None = None
        service: EndpointService | None = None
        region = service_region or backend.region
        if endpoint_type in ("Resource", "ServiceNetwork"):
            if endpoint_type == "ServiceNetwork":
                if not service_network_arn:
                    raise MissingParameter("ServiceNetworkArn")
                if not _SERVICE_NETWORK.match(service_network_arn):
                    raise invalid(f"Invalid service network ARN: {service_network_arn}")
            if endpoint_type == "Resource":
                if not resource_configuration_arn:
                    raise MissingParameter("ResourceConfigurationArn")
                if not _RESOURCE_CONFIG.match(resource_configuration_arn):
                    raise invalid(
                        f"Invalid resource configuration ARN: {resource_configuration_arn}"
                    )
            if service_name:
                raise InvalidParameterCombination(
                    f"ServiceName cannot be used with a {endpoint_type} VPC endpoint"
                )
        else:
            if not service_name:
                raise MissingParameter("ServiceName")
            if service_network_arn or resource_configuration_arn:
                raise InvalidParameterCombination(
                    "ServiceNetworkArn and ResourceConfigurationArn are only supported for "
                    "ServiceNetwork and Resource type VPC Endpoints."
                )
            if region != backend.region:
                # cross-region endpoints reach services that list this region as supported
                with self.registry.lock:
                    remote = self.registry.by_name.get(service_name)
                if (
                    remote is None
                    or remote.region != region
                    or backend.region not in remote.supported_regions
                    or not remote.permits(backend.account_id)
                ):
                    raise ServiceError(
                        f"The Vpc Endpoint Service '{service_name}' does not exist",
                        code="InvalidServiceName",
                    )
                service = remote
            else:
                aws_service, service, aws_all = self.find_service(service_name)
                if aws_all:
                    matching = [s for s in aws_all if s.service_type == endpoint_type]
                    if not matching:
                        raise invalid(
                            f"The Vpc Endpoint Service '{service_name}' does not support "
                            f"endpoint type '{endpoint_type}'."
                        )
                    aws_service = matching[0]
            if service is not None and service.service_type != endpoint_type:
                raise invalid(
                    f"The Vpc Endpoint Service '{service_name}' does not support endpoint "
                    f"type '{endpoint_type}'."
                )

        uses_subnets = endpoint_type != "Gateway"
        if not uses_subnets and (subnet_ids or group_ids):
            raise invalid(
                "Subnet IDs are only supported for Interface and GatewayLoadBalancer type VPC "
                "Endpoints."
                if subnet_ids
                else "Security group IDs are only supported for Interface type VPC Endpoints."
            )
        if endpoint_type != "Gateway" and route_table_ids:
            raise invalid("Route table IDs are only supported for Gateway type VPC Endpoints.")
        if endpoint_type == "GatewayLoadBalancer":
            if group_ids:
                raise invalid(
                    "Security group IDs are not supported for GatewayLoadBalancer type VPC "
                    "Endpoints."
                )
            if len(subnet_ids) != 1:
                raise invalid(
                    "Exactly one subnet must be specified for a GatewayLoadBalancer endpoint."
                )
        subnets = self._check_subnets(vpc.id, subnet_ids, subnet_ips, None)
        tables = self._check_route_tables(vpc.id, route_table_ids, service_name or "", None)
        groups = (
            self._check_groups(vpc.id, group_ids)
            if endpoint_type
            in (
                "Interface",
                "Resource",
                "ServiceNetwork",
            )
            else []
        )
        if endpoint_type in ("Interface", "Resource", "ServiceNetwork") and not groups:
            default = backend.security_groups.default_group(vpc.id)
            groups = [(default.id, default.name)]

        supported = (
            list(aws_service.ip_address_types)
            if aws_service
            else list(service.supported_ip_types)
            if service
            else ["ipv4", "ipv6"]
        )
        ip_type = ip_address_type or "ipv4"
        if endpoint_type != "Gateway":
            self._check_ip_type(ip_type, supported, [s for s, _, _ in subnets])
        if policy is not None:
            self._check_policy(policy, aws_service is not None or endpoint_type == "Gateway")
        private_dns_name = (
            aws_service.private_dns_name
            if aws_service
            else service.private_dns_name
            if service
            else None
        )
        if private_dns_enabled and endpoint_type != "Interface":
            raise invalid("Private DNS can only be enabled for Interface type VPC Endpoints.")
        if private_dns_enabled and not private_dns_name:
            raise invalid(
                f"Private DNS can't be enabled because the service {service_name} does not "
                "provide a private DNS name."
            )
        if private_dns_enabled is None:
            private_dns_enabled = endpoint_type == "Interface" and aws_service is not None
        if private_dns_enabled and aws_service is not None:
            self._check_private_dns_free(vpc.id, service_name or "", None)
        options = self._dns_options(dns_options, ip_type) if endpoint_type != "Gateway" else {}
        if endpoint_type in ("Interface", "Gateway") and aws_service is not None and policy is None:
            policy = DEFAULT_POLICY
        return EndpointRequest(
            endpoint_type=endpoint_type,
            vpc_id=vpc.id,
            service_name=service_name or "",
            service_region=region,
            aws_service=aws_service,
            service=service,
            subnets=subnets,
            groups=groups,
            route_table_ids=tables,
            policy=policy,
            ip_address_type=ip_type,
            dns_options=options,
            private_dns_enabled=bool(private_dns_enabled),
            service_network_arn=service_network_arn,
            resource_configuration_arn=resource_configuration_arn,
            tags=tags,
        )

    def _check_subnets(
        self,
        vpc_id: str,
        subnet_ids: list[str],
        subnet_ips: dict[str, tuple[str | None, str | None]],
        existing: dict[str, str] | None,
    ) -> list[tuple[Subnet, str | None, str | None]]:
        """The subnets, one per zone (``existing``: subnet -> zone the endpoint keeps)."""
        network = self.backend.vpcs
        subnets = network.subnets.get_many(subnet_ids) if subnet_ids else []
        taken = {zone: sid for sid, zone in (existing or {}).items()}
        out: list[tuple[Subnet, str | None, str | None]] = []
        for subnet in subnets:
            if subnet.vpc_id != vpc_id:
                raise invalid(f"The subnet {subnet.id} does not belong to the VPC {vpc_id}.")
            other = taken.get(subnet.zone.name)
            if other is not None and other != subnet.id:
                raise ServiceError(
                    f"Found another VPC endpoint subnet in the availability zone of {subnet.id}. "
                    "VPC endpoint subnets should be in different availability zones supported "
                    "by the VPC endpoint service.",
                    code="DuplicateSubnetsInSameZone",
                )
            taken[subnet.zone.name] = subnet.id
            ipv4, ipv6 = subnet_ips.get(subnet.id, (None, None))
            if ipv6 and not subnet.ipv6_cidrs():
                raise invalid(f"The subnet {subnet.id} has no IPv6 CIDR block for address {ipv6}.")
            if ipv4 is not None:
                self._check_address(subnet, ipv4)
            if ipv6 is not None:
                self._check_ipv6_address(subnet, ipv6)
            out.append((subnet, ipv4, ipv6))
        unknown = set(subnet_ips) - {s.id for s in subnets}
        if unknown:
            raise invalid(
                f"The subnet configuration for {sorted(unknown)[0]} names a subnet the endpoint "
                "is not given."
            )
        return out

    @staticmethod
    def _check_address(subnet: Subnet, address: str) -> None:
        import ipaddress

        try:
            parsed = ipaddress.IPv4Address(address)
        except ValueError:
            raise invalid(f"Invalid IPv4 address {address}.") from None
        if subnet.network is None or parsed not in subnet.network:
            raise invalid(f"The address {address} is not in the subnet {subnet.id}.")
        if address in subnet.used_ips:
            raise ServiceError(f"Address {address} is in use.", code="InvalidIPAddress.InUse")

    @staticmethod
    def _check_ipv6_address(subnet: Subnet, address: str) -> None:
        import ipaddress

        try:
            parsed = ipaddress.IPv6Address(address)
        except ValueError:
            raise invalid(f"Invalid IPv6 address {address}.") from None
        if not any(parsed in ipaddress.IPv6Network(c) for c in subnet.ipv6_cidrs()):
            raise invalid(f"The address {address} is not in the subnet {subnet.id}.")
        if str(parsed) in subnet.used_ipv6:
            raise ServiceError(f"Address {address} is in use.", code="InvalidIPAddress.InUse")

    def _check_route_tables(
        self, vpc_id: str, table_ids: list[str], service_name: str, endpoint: VpcEndpoint | None
    ) -> list[str]:
        store = self.backend.route_tables.store
        tables = store.get_many(table_ids) if table_ids else []
        prefix_list = gateway_prefix_list(self.backend.region, service_name)
        for table in tables:
            if table.vpc_id != vpc_id:
                raise invalid(f"The route table {table.id} does not belong to the VPC {vpc_id}.")
            for other in self._by_route_table.get(table.id, {}).values():
                if other is endpoint or prefix_list is None:
                    continue
                if other.service_name == service_name:
                    raise ServiceError(
                        f"route table {table.id} already has a route with destination-prefix-list-id "
                        f"{prefix_list.id}",
                        code="RouteAlreadyExists",
                    )
        return [t.id for t in tables]

    def _check_groups(self, vpc_id: str, group_ids: list[str]) -> list[tuple[str, str]]:
        groups = self.backend.security_groups.store.get_many(group_ids) if group_ids else []
        for group in groups:
            if group.vpc_id != vpc_id:
                raise invalid(f"The security group {group.id} does not belong to the VPC {vpc_id}.")
        return [(g.id, g.name) for g in groups]

    @staticmethod
    def _check_ip_type(ip_type: str, supported: list[str], subnets: list[Subnet]) -> None:
        needs = {"ipv4": ["ipv4"], "dualstack": ["ipv4", "ipv6"], "ipv6": ["ipv6"]}.get(ip_type)
        if needs is None:
            raise InvalidParameterValue(f"Invalid value '{ip_type}' for IpAddressType.")
        missing = [kind for kind in needs if kind not in supported]
        if missing:
            raise invalid(
                f"The VPC endpoint service does not support the IP address type {ip_type}."
            )
        if "ipv6" in needs:
            for subnet in subnets:
                if not subnet.ipv6_cidrs():
                    raise invalid(
                        f"The subnet {subnet.id} has no IPv6 CIDR block; IP address type "
                        f"{ip_type} needs one."
                    )

    @staticmethod
    def _check_policy(policy: str, supported: bool) -> None:
        if not supported:
            raise invalid("This VPC endpoint service does not support endpoint policies.")
        try:
            parsed = json.loads(policy)
        except (ValueError, RecursionError):  # RecursionError: nested past the parser's depth
            raise ServiceError(
                "The policy document is not valid JSON.", code="MalformedPolicyDocument"
            ) from None
        if not isinstance(parsed, dict) or "Statement" not in parsed:
            raise ServiceError(
                "The policy document must be a JSON object with a Statement.",
                code="MalformedPolicyDocument",
            )

    def _check_private_dns_free(
        self, vpc_id: str, service_name: str, endpoint: VpcEndpoint | None
    ) -> None:
        for other in self.endpoints.lookup("vpc", vpc_id):
            if (
                other is not endpoint
                and other.service_name == service_name
                and other.private_dns_enabled
                and other.state not in ("deleting", "deleted", "rejected", "failed")
            ):
                raise invalid(
                    f"private-dns-enabled cannot be set because there is already a conflicting "
                    f"DNS domain for {other.private_dns_name()} in the VPC {vpc_id}"
                )

    @staticmethod
    def _dns_options(given: dict[str, Any] | None, ip_type: str) -> dict[str, Any]:
        options: dict[str, Any] = {"DnsRecordIpType": ip_type}
        for key, value in (given or {}).items():
            options[key] = value
        record = options["DnsRecordIpType"]
        if record not in ("ipv4", "dualstack", "ipv6", "service-defined"):
            raise InvalidParameterValue(f"Invalid value '{record}' for DnsRecordIpType.")
        return options

    def create(self, request: EndpointRequest) -> VpcEndpoint:
        backend = self.backend
        now = backend.clock.now()
        endpoint = VpcEndpoint(
            id=backend.ids.new("vpce"),
            endpoint_type=request.endpoint_type,
            vpc_id=request.vpc_id,
            service_name=request.service_name,
            owner_id=backend.account_id,
            region=backend.region,
            service_region=request.service_region,
            created=now,
            clock=backend.clock,
            dns_label=backend.ids.hex(8),
            aws_service=request.aws_service,
            service=request.service,
            policy=request.policy,
            groups=list(request.groups),
            ip_address_type=request.ip_address_type,
            dns_options=request.dns_options,
            private_dns_enabled=request.private_dns_enabled,
            service_network_arn=request.service_network_arn,
            resource_configuration_arn=request.resource_configuration_arn,
            tags=request.tags,
        )
        endpoint.route_table_ids = list(request.route_table_ids)
        for subnet, address, ipv6 in request.subnets:
            self._attach(endpoint, subnet, address, ipv6)
        service = request.service
        if request.endpoint_type == "Gateway":
            endpoint.status = "available"
        elif service is not None and service.acceptance_required:
            # the owner's own endpoints wait for acceptance too
            endpoint.status = "pendingAcceptance"
        else:
            # pending in the answer; available from the next request on (the transition delay)
            endpoint.status = "pending"
            backend.schedule(backend.options.transition_delay, endpoint, _become_available)
        if service is not None:
            self._connect(endpoint, service)
        if request.endpoint_type in ("ServiceNetwork", "Resource"):
            self.associations.add(
                Association(id=backend.ids.new("vpce-rsc-asc"), endpoint=endpoint)
            )
        self.endpoints.add(endpoint)
        self._index(endpoint)
        return endpoint

    def _connect(self, endpoint: VpcEndpoint, service: EndpointService) -> None:
        store = service.connection_store
        if store is None:
            return
        connection = EndpointConnection(
            id=self.backend.ids.new("vpce-con"), endpoint=endpoint, service=service
        )
        service.connections[endpoint.id] = connection
        store.add(connection)

    def _attach(
        self,
        endpoint: VpcEndpoint,
        subnet: Subnet,
        address: str | None,
        ipv6: str | None = None,
    ) -> None:
        """A requester-managed network interface for the endpoint in ``subnet`` (with an IPv6
        address too when the endpoint is dual-stack or IPv6)."""
        backend = self.backend
        wants_ipv6 = endpoint.ip_address_type in ("dualstack", "ipv6") and bool(subnet.ipv6_cidrs())
        eni = backend.network_interfaces.create_managed(
            subnet.id,
            # a Gateway Load Balancer endpoint's interface has a type of its own
            interface_type=(
                "gateway_load_balancer_endpoint"
                if endpoint.endpoint_type == "GatewayLoadBalancer"
                else "vpc_endpoint"
            ),
            description=f"VPC Endpoint Interface {endpoint.id}",
            requester_id="727180483921",
            private_ip=address,
            group_ids=tuple(group_id for group_id, _ in endpoint.groups),
            ipv6_addresses=(ipv6,) if wants_ipv6 else (),
        )
        endpoint.interfaces[subnet.id] = eni.id
        endpoint.subnet_zones[subnet.id] = subnet.zone.name

    def _detach(self, endpoint: VpcEndpoint, subnet_id: str) -> None:
        backend = self.backend
        eni_id = endpoint.interfaces.pop(subnet_id, None)
        endpoint.subnet_zones.pop(subnet_id, None)
        if eni_id is None:
            return
        backend.network_interfaces.delete_managed(eni_id)

    # -- delete

    def delete(self, ids: list[str]) -> tuple[list[VpcEndpoint], list[UnsuccessfulItem]]:
        """The endpoints that can go, and EC2's per-id error for the rest."""
        found: list[VpcEndpoint] = []
        failed: list[UnsuccessfulItem] = []
        for endpoint_id in dict.fromkeys(ids):
            endpoint = self.endpoints.find(endpoint_id)
            if endpoint is None or endpoint.state in ("deleting", "deleted"):
                if not VPC_ENDPOINT.id_pattern.match(endpoint_id):
                    failed.append(
                        unsuccessful(
                            endpoint_id,
                            "InvalidVpcEndpointId.Malformed",
                            f'Invalid id: "{endpoint_id}" (expecting "vpce-...")',
                        )
                    )
                else:
                    failed.append(
                        unsuccessful(
                            endpoint_id,
                            "InvalidVpcEndpoint.NotFound",
                            f"The Vpc Endpoint Id '{endpoint_id}' does not exist",
                        )
                    )
                continue
            found.append(endpoint)
        return found, failed

    def remove(self, endpoint: VpcEndpoint) -> None:
        """Start deleting: routes and interfaces go now, the endpoint after the transition delay."""
        backend = self.backend
        self._index(endpoint, add=False)
        for subnet_id in list(endpoint.interfaces):
            self._detach(endpoint, subnet_id)
        endpoint.subnet_zones.clear()
        endpoint.route_table_ids = []
        endpoint.status = "deleting"
        endpoint.generation += 1
        for association in self.associations.lookup("endpoint", endpoint.id):
            self.associations.remove(association.id)
        for notification in self.notifications.lookup("endpoint", endpoint.id):
            self.notifications.remove(notification.id)
        backend.schedule(backend.options.transition_delay, endpoint, self._forget)

    def _forget(self, endpoint: VpcEndpoint) -> None:
        self.endpoints.remove(endpoint.id)
        service = endpoint.service
        if service is not None:
            connection = service.connections.get(endpoint.id)
            if connection is not None:
                # the owner keeps seeing the connection, now deleted
                endpoint.status = "deleted"

    # -- modify

    def check_modify(
        self,
        endpoint: VpcEndpoint,
        *,
        add_tables: list[str],
        remove_tables: list[str],
        add_subnets: list[str],
        remove_subnets: list[str],
        subnet_ips: dict[str, tuple[str | None, str | None]],
        add_groups: list[str],
        remove_groups: list[str],
        policy: str | None,
        reset_policy: bool,
        ip_address_type: str | None,
        dns_options: dict[str, Any] | None,
        private_dns_enabled: bool | None,
    ) -> dict[str, Any]:
        """Everything ModifyVpcEndpoint asks, checked; what :meth:`modify` then applies."""
        if endpoint.state in ("deleting", "deleted", "rejected", "failed"):
            raise ServiceError(
                f"The VPC endpoint {endpoint.id} is in the {endpoint.state} state and cannot be "
                "modified.",
                code="IncorrectState",
            )
        kind = endpoint.endpoint_type
        if kind != "Gateway" and (add_tables or remove_tables):
            raise invalid("Route table IDs are only supported for Gateway type VPC Endpoints.")
        if kind == "Gateway" and (add_subnets or remove_subnets or subnet_ips):
            raise invalid(
                "Subnet IDs are only supported for Interface and GatewayLoadBalancer type VPC "
                "Endpoints."
            )
        if kind not in ("Interface", "Resource", "ServiceNetwork") and (
            add_groups or remove_groups
        ):
            raise invalid("Security group IDs are only supported for Interface type VPC Endpoints.")
        if policy is not None and reset_policy:
            raise InvalidParameterCombination(
                "PolicyDocument and ResetPolicy cannot both be given."
            )
        tables = self._check_route_tables(
            endpoint.vpc_id, add_tables, endpoint.service_name, endpoint
        )
        unknown_tables = [t for t in remove_tables if t not in endpoint.route_table_ids]
        if unknown_tables:
            self.backend.route_tables.store.get_many(unknown_tables)
            raise invalid(
                f"The route table {unknown_tables[0]} is not associated with {endpoint.id}."
            )
        unknown_subnets = [s for s in remove_subnets if s not in endpoint.subnet_zones]
        if unknown_subnets:
            self.backend.vpcs.subnets.get_many(unknown_subnets)
            raise invalid(f"The subnet {unknown_subnets[0]} is not associated with {endpoint.id}.")
        # subnets being replaced free their zone first; SubnetConfigurations may name current ones
        staying = {s: z for s, z in endpoint.subnet_zones.items() if s not in remove_subnets}
        new_subnets = [s for s in add_subnets if s not in endpoint.subnet_zones]
        config_only = {s: v for s, v in subnet_ips.items() if s in endpoint.subnet_zones}
        for subnet_id, (ipv4, ipv6) in config_only.items():
            subnet = self.backend.vpcs.subnets.get(subnet_id)
            if ipv6 and not subnet.ipv6_cidrs():
                raise invalid(f"The subnet {subnet.id} has no IPv6 CIDR block for address {ipv6}.")
            eni = self.backend.network_interfaces.find(endpoint.interfaces.get(subnet_id, ""))
            if ipv4 is not None and (eni is None or eni.private_ip != ipv4):
                self._check_address(subnet, ipv4)
            if ipv6 is not None and (eni is None or ipv6 not in eni.ipv6_addresses):
                self._check_ipv6_address(subnet, ipv6)
        subnets = self._check_subnets(
            endpoint.vpc_id,
            new_subnets,
            {s: v for s, v in subnet_ips.items() if s not in config_only},
            staying,
        )
        if endpoint.endpoint_type == "GatewayLoadBalancer" and (len(staying) + len(subnets) != 1):
            raise invalid("A GatewayLoadBalancer endpoint must have exactly one subnet.")
        groups = self._check_groups(endpoint.vpc_id, add_groups)
        remaining = [g for g in endpoint.groups if g[0] not in remove_groups]
        unknown_groups = [g for g in remove_groups if g not in {gid for gid, _ in endpoint.groups}]
        if unknown_groups:
            self.backend.security_groups.store.get_many(unknown_groups)
            raise invalid(
                f"The security group {unknown_groups[0]} is not associated with {endpoint.id}."
            )
        if kind in ("Interface", "Resource", "ServiceNetwork") and (
            remove_groups and not remaining and not groups
        ):
            raise invalid("A VPC endpoint must have at least one security group.")
        if policy is not None:
            self._check_policy(policy, endpoint.aws_service is not None or kind == "Gateway")
        ip_type = ip_address_type or endpoint.ip_address_type
        if ip_address_type is not None:
            supported = (
                list(endpoint.aws_service.ip_address_types)
                if endpoint.aws_service
                else list(endpoint.service.supported_ip_types)
                if endpoint.service
                else ["ipv4", "ipv6"]
            )
            all_subnets = [s for s in self.backend.vpcs.subnets.get_many(list(staying))] + [
                s for s, _, _ in subnets
            ]
            self._check_ip_type(ip_type, supported, all_subnets)
        if private_dns_enabled:
            if kind != "Interface":
                raise invalid("Private DNS can only be enabled for Interface type VPC Endpoints.")
            name = (
                endpoint.aws_service.private_dns_name
                if endpoint.aws_service
                else endpoint.service.private_dns_name
                if endpoint.service
                else None
            )
            if not name:
                raise invalid(
                    f"Private DNS can't be enabled because the service {endpoint.service_name} "
                    "does not provide a private DNS name."
                )
            if endpoint.aws_service is not None:
                self._check_private_dns_free(endpoint.vpc_id, endpoint.service_name, endpoint)
        options = (
            self._dns_options({**endpoint.dns_options, **(dns_options or {})}, ip_type)
            if dns_options is not None
            else None
        )
        return {
            "add_tables": tables,
            "remove_tables": remove_tables,
            "add_subnets": subnets,
            "remove_subnets": remove_subnets,
            "reconfigure": config_only,
            "add_groups": groups,
            "remove_groups": remove_groups,
            "policy": policy,
            "reset_policy": reset_policy,
            "ip_address_type": ip_address_type,
            "dns_options": options,
            "private_dns_enabled": private_dns_enabled,
        }

    def modify(self, endpoint: VpcEndpoint, change: dict[str, Any]) -> None:
        self._index(endpoint, add=False)
        endpoint.route_table_ids = [
            t for t in endpoint.route_table_ids if t not in change["remove_tables"]
        ] + [t for t in change["add_tables"] if t not in endpoint.route_table_ids]
        for subnet_id in change["remove_subnets"]:
            self._detach(endpoint, subnet_id)
        endpoint.groups = [g for g in endpoint.groups if g[0] not in change["remove_groups"]] + [
            g for g in change["add_groups"] if g not in endpoint.groups
        ]
        interfaces = self.backend.network_interfaces
        for eni_id in endpoint.interfaces.values():
            # the endpoint's interfaces carry its groups (DescribeNetworkInterfaces shows them)
            eni = interfaces.find(eni_id)
            if eni is not None:
                interfaces.set_groups(eni, list(endpoint.groups))
        if change["ip_address_type"] is not None:
            # interfaces made from here on take the new address type
            endpoint.ip_address_type = change["ip_address_type"]
        for subnet, address, ipv6 in change["add_subnets"]:
            self._attach(endpoint, subnet, address, ipv6)
        for subnet_id, (ipv4, ipv6) in change["reconfigure"].items():
            # a new address for an existing interface: the interface is replaced
            if ipv4 is not None or ipv6 is not None:
                subnet = self.backend.vpcs.subnets.get(subnet_id)
                self._detach(endpoint, subnet_id)
                self._attach(endpoint, subnet, ipv4, ipv6)
        if change["reset_policy"]:
            endpoint.policy = DEFAULT_POLICY
        elif change["policy"] is not None:
            endpoint.policy = change["policy"]
        if change["dns_options"] is not None:
            endpoint.dns_options = change["dns_options"]
        if change["private_dns_enabled"] is not None:
            endpoint.private_dns_enabled = change["private_dns_enabled"]
        self._index(endpoint)

    # -- endpoint services

    def create_service(
        self,
        *,
        nlb_arns: list[str],
        gwlb_arns: list[str],
        acceptance_required: bool,
        private_dns_name: str | None,
        ip_types: list[str],
        regions: list[str],
        tags: dict[str, str],
    ) -> EndpointService:
        backend = self.backend
        service = EndpointService(
            id=backend.ids.new("vpce-svc"),
            owner_id=backend.account_id,
            region=backend.region,
            zones=[(z.name, z.zone_id) for z in backend.region_info.zones],
            nlb_arns=nlb_arns,
            gwlb_arns=gwlb_arns,
            acceptance_required=acceptance_required,
            private_dns_name=private_dns_name,
            dns_token=backend.ids.hex(32),
            supported_ip_types=ip_types,
            supported_regions=regions,
            tags=tags,
            connection_store=self.connections,
        )
        self.services.add(service)
        self.registry.add(service)
        return service

    def check_service_input(
        self,
        nlb_arns: list[str],
        gwlb_arns: list[str],
        private_dns_name: str | None,
        ip_types: list[str],
        regions: list[str],
    ) -> None:
        if nlb_arns and gwlb_arns:
            raise InvalidParameterCombination(
                "A service can use Network Load Balancers or Gateway Load Balancers, not both."
            )
        for arn in nlb_arns:
            if not _NLB.match(arn):
                raise invalid(f"Invalid Network Load Balancer ARN: {arn}")
        for arn in gwlb_arns:
            if not _GWLB.match(arn):
                raise invalid(f"Invalid Gateway Load Balancer ARN: {arn}")
        if private_dns_name is not None:
            if gwlb_arns:
                raise invalid(
                    "Private DNS names are not supported for Gateway Load Balancer services."
                )
            if not re.fullmatch(r"(\*\.)?([a-z0-9-]+\.)+[a-z]{2,}", private_dns_name.lower()):
                raise invalid(f"Invalid private DNS name: {private_dns_name}")
        for ip_type in ip_types:
            if ip_type not in ("ipv4", "ipv6"):
                raise InvalidParameterValue(
                    f"Invalid value '{ip_type}' for SupportedIpAddressTypes."
                )
        from cloudmock.services.ec2.models.regions import botocore_regions

        for region in regions:
            if region not in botocore_regions():
                raise invalid(f"The region {region} is not a valid supported region.")

    def get_service(self, service_id: str) -> EndpointService:
        service = self.services.get(service_id)
        if service.state != "Available":
            raise ENDPOINT_SERVICE.not_found([service_id])
        return service

    def delete_services(
        self, ids: list[str]
    ) -> tuple[list[EndpointService], list[UnsuccessfulItem]]:
        found: list[EndpointService] = []
        failed: list[UnsuccessfulItem] = []
        for service_id in dict.fromkeys(ids):
            service = self.services.find(service_id)
            if service is None or service.state != "Available":
                code, message = (
                    (
                        "InvalidVpcEndpointService.NotFound",
                        f"The VpcEndpointService Id '{service_id}' does not exist",
                    )
                    if ENDPOINT_SERVICE.id_pattern.match(service_id)
                    else (
                        "InvalidVpcEndpointServiceId.Malformed",
                        f'Invalid id: "{service_id}" (expecting "vpce-svc-...")',
                    )
                )
                failed.append(unsuccessful(service_id, code, message))
                continue
            if any(c.endpoint.state in HOLDING for c in service.connections.values()):
                failed.append(
                    unsuccessful(
                        service_id,
                        "ExistingVpcEndpointConnections",
                        "Service has existing active VPC Endpoint connections!",
                    )
                )
                continue
            found.append(service)
        return found, failed

    def remove_service(self, service: EndpointService) -> None:
        service.state = "Deleted"
        self.services.remove(service.id)
        self.registry.remove(service)
        for connection in list(service.connections.values()):
            self.connections.remove(connection.id)
        for permission in service.permissions.values():
            self.permissions.remove(permission.id)
        for notification in self.notifications.lookup("service", service.id):
            self.notifications.remove(notification.id)

    def connection_results(
        self, service: EndpointService, endpoint_ids: list[str], target: str
    ) -> tuple[list[EndpointConnection], list[UnsuccessfulItem]]:
        """Accept/RejectVpcEndpointConnections: the connections that can move, errors for the rest."""
        ok: list[EndpointConnection] = []
        failed: list[UnsuccessfulItem] = []
        for endpoint_id in dict.fromkeys(endpoint_ids):
            connection = service.connections.get(endpoint_id)
            if connection is None:
                failed.append(
                    unsuccessful(
                        endpoint_id,
                        "InvalidVpcEndpointId.NotFound",
                        f"The VpcEndpoint Id '{endpoint_id}' does not exist",
                    )
                )
                continue
            state = connection.endpoint.state
            allowed = (
                ("pendingAcceptance",)
                if target == "accept"
                else ("pendingAcceptance", "pending", "available")
            )
            if state not in allowed:
                failed.append(
                    unsuccessful(
                        endpoint_id,
                        "InvalidVpcEndpointState",
                        f"Endpoint {endpoint_id} is in the {state} state and cannot be {target}ed.",
                    )
                )
                continue
            ok.append(connection)
        return ok, failed

    def accept_connection(self, connection: EndpointConnection) -> None:
        connection.endpoint.become_pending(self.backend.options.transition_delay)

    def reject_connection(self, connection: EndpointConnection) -> None:
        connection.endpoint.status = "rejected"

    # -- notifications

    def check_notification(self, arn: str, events: list[str]) -> None:
        if not _SNS.match(arn):
            raise invalid(f"Invalid SNS topic ARN: {arn}")
        if not events:
            raise MissingParameter("ConnectionEvents")
        for event in events:
            if event not in CONNECTION_EVENTS:
                raise invalid(
                    f"Invalid connection event '{event}'. Valid events: {', '.join(CONNECTION_EVENTS)}"
                )


ENDPOINT_FILTERS = {
    "ip-address-type": lambda e: e.ip_address_type if e.endpoint_type != "Gateway" else None,
    "service-name": lambda e: e.service_name or None,
    "service-region": lambda e: e.service_region,
    "vpc-endpoint-id": lambda e: e.id,
    "vpc-endpoint-state": lambda e: e.state,
    "vpc-endpoint-type": lambda e: e.endpoint_type,
    "vpc-id": lambda e: e.vpc_id,
}

SERVICE_CONFIGURATION_FILTERS = {
    "service-id": lambda s: s.id,
    "service-name": lambda s: s.name,
    "service-state": lambda s: s.state,
    "supported-ip-address-types": lambda s: s.supported_ip_types,
}


def _detail_tags(item: Any) -> dict[str, str]:
    return item.tags if isinstance(item, EndpointService) else {}


SERVICE_DETAIL_FILTERS = {
    "owner": lambda s: s.owner_id if isinstance(s, EndpointService) else "amazon",
    "service-name": lambda s: s.name,
    "service-region": lambda s: s.region,
    "service-type": lambda s: s.service_type,
    "supported-ip-address-types": lambda s: (
        s.supported_ip_types if isinstance(s, EndpointService) else s.ip_address_types
    ),
}

CONNECTION_FILTERS = {
    "ip-address-type": lambda c: c.endpoint.ip_address_type,
    "service-id": lambda c: c.service.id,
    "transit-gateway-attachment-id": lambda c: None,
    "vpc-endpoint-id": lambda c: c.endpoint.id,
    "vpc-endpoint-owner": lambda c: c.endpoint.owner_id,
    "vpc-endpoint-region": lambda c: c.endpoint.region,
    "vpc-endpoint-state": lambda c: c.endpoint.state,
}

NOTIFICATION_FILTERS = {
    "connection-notification-arn": lambda n: n.arn,
    "connection-notification-id": lambda n: n.id,
    "connection-notification-state": lambda n: "Enabled",
    "connection-notification-type": lambda n: "Topic",
    "service-id": lambda n: n.service_id,
    "vpc-endpoint-id": lambda n: n.endpoint_id,
}

PERMISSION_FILTERS = {
    "permission-type": lambda p: p.permission_type,
    "principal": lambda p: p.principal,
    "principal-type": lambda p: p.principal_type,
}

ASSOCIATION_FILTERS = {
    "associated-resource-accessibility": lambda a: "Accessible",
    "associated-resource-id": lambda a: a.endpoint.resource_configuration_arn,
    "association-id": lambda a: a.id,
    "resource-configuration-group-arn": lambda a: None,
    "service-network-arn": lambda a: a.endpoint.service_network_arn,
    "vpc-endpoint-id": lambda a: a.endpoint.id,
}
