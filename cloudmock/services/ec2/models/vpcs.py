"""VPCs, subnets, network ACLs and DHCP options."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from cloudmock.core.errors import InvalidParameterValue, ServiceError
from cloudmock.services.ec2.models.base import Resource, ResourceKind
from cloudmock.services.ec2.models.regions import Zone

if TYPE_CHECKING:
    from cloudmock.services.ec2.shapes import Subnet as SubnetShape
    from cloudmock.services.ec2.shapes import Vpc as VpcShape


VPC = ResourceKind("vpc", "vpc", "InvalidVpcID", "vpc ID")
SUBNET = ResourceKind("subnet", "subnet", "InvalidSubnetID", "subnet ID")
NETWORK_ACL = ResourceKind("acl", "network-acl", "InvalidNetworkAclID", "network ACL ID")
DHCP_OPTIONS = ResourceKind("dopt", "dhcp-options", "InvalidDhcpOptionID", "DHCP options ID")

DEFAULT_VPC_CIDR = "172.31.0.0/16"
DEFAULT_SUBNET_PREFIX = 20



@dataclass
class Vpc(Resource):
    cidr_block: str
    owner_id: str
    dhcp_options_id: str
    cidr_association_id: str
    is_default: bool = False
    state: str = "available"
    instance_tenancy: str = "default"

    def ipv4_cidrs(self) -> list[str]:
        """Every IPv4 block associated with the VPC, the primary first."""
        return [self.cidr_block]

    def ipv6_cidrs(self) -> list[str]:
        """Every IPv6 block associated with the VPC."""
        return []

    def describe(self) -> VpcShape:
        out: VpcShape = {
            "VpcId": self.id,
            "OwnerId": self.owner_id,
            "InstanceTenancy": self.instance_tenancy,
            "CidrBlockAssociationSet": [
                {
                    "AssociationId": self.cidr_association_id,
                    "CidrBlock": self.cidr_block,
                    "CidrBlockState": {"State": "associated"},
                }
            ],
            "IsDefault": self.is_default,
            "BlockPublicAccessStates": {"InternetGatewayBlockMode": "off"},
            "State": self.state,
            "CidrBlock": self.cidr_block,
            "DhcpOptionsId": self.dhcp_options_id,
        }
        if self.tags:
            out["Tags"] = self.tag_list()
        return out


@dataclass
class Subnet(Resource):
    vpc_id: str
    cidr_block: str
    zone: Zone
    owner_id: str
    region: str
    default_for_az: bool = False
    map_public_ip_on_launch: bool = False
    state: str = "available"
    used_ips: set[str] = field(default_factory=set, repr=False)
    #: no free address sits below this offset, so allocation need not rescan the start
    _free_from: int = field(default=4, repr=False)

    @cached_property
    def network(self) -> ipaddress.IPv4Network:
        return ipaddress.IPv4Network(self.cidr_block)

    @property
    def arn(self) -> str:
        return f"arn:aws:ec2:{self.region}:{self.owner_id}:subnet/{self.id}"

    @property
    def available_ip_count(self) -> int:
        # AWS reserves the first four addresses and the last one of every subnet.
        return self.network.num_addresses - 5 - len(self.used_ips)

    def ipv6_cidrs(self) -> list[str]:
        """Every IPv6 block associated with the subnet."""
        return []

    def allocate_ip(self, requested: str | None = None) -> str:
        network = self.network
        if requested is not None:
            try:
                address = ipaddress.IPv4Address(requested)
            except ValueError:
                raise InvalidParameterValue(
                    f"Invalid value '{requested}' for PrivateIpAddress: not an IPv4 address"
                ) from None
            if address not in network:
                raise InvalidParameterValue(
                    f"Address {requested} does not fall within the subnet's address range"
                )
            offset = int(address) - int(network.network_address)
            if offset < 4 or address == network.broadcast_address:
                raise InvalidParameterValue(
                    f"Address {requested} is in subnet's reserved address range"
                )
            if requested in self.used_ips:
                raise ServiceError(f"Address {requested} is in use.", code="InvalidIPAddress.InUse")
            self.used_ips.add(requested)
            return requested
        base = int(network.network_address)
        for offset in range(self._free_from, network.num_addresses - 1):
            candidate = str(ipaddress.IPv4Address(base + offset))
            if candidate not in self.used_ips:
                self.used_ips.add(candidate)
                self._free_from = offset + 1
                return candidate
        raise ServiceError(
            f"There are not enough free addresses in subnet '{self.id}' to satisfy the "
            "requested number of instances.",
            code="InsufficientFreeAddressesInSubnet",
        )

    def release_ip(self, address: str) -> None:
        self.used_ips.discard(address)
        offset = int(ipaddress.IPv4Address(address)) - int(self.network.network_address)
        self._free_from = max(4, min(self._free_from, offset))

    def describe(self) -> SubnetShape:
        out: SubnetShape = {
            "AvailabilityZoneId": self.zone.zone_id,
            "MapCustomerOwnedIpOnLaunch": False,
            "OwnerId": self.owner_id,
            "AssignIpv6AddressOnCreation": False,
            "Ipv6CidrBlockAssociationSet": [],
            "SubnetArn": self.arn,
            "EnableDns64": False,
            "Ipv6Native": False,
            "PrivateDnsNameOptionsOnLaunch": {
                "HostnameType": "ip-name",
                "EnableResourceNameDnsARecord": False,
                "EnableResourceNameDnsAAAARecord": False,
            },
            "BlockPublicAccessStates": {"InternetGatewayBlockMode": "off"},
            "SubnetId": self.id,
            "State": self.state,
            "VpcId": self.vpc_id,
            "CidrBlock": self.cidr_block,
            "AvailableIpAddressCount": self.available_ip_count,
            "AvailabilityZone": self.zone.name,
            "DefaultForAz": self.default_for_az,
            "MapPublicIpOnLaunch": self.map_public_ip_on_launch,
        }
        if self.tags:
            out["Tags"] = self.tag_list()
        return out


@dataclass
class NetworkAcl(Resource):
    vpc_id: str
    owner_id: str
    is_default: bool


@dataclass
class DhcpOptions(Resource):
    owner_id: str
    domain_name: str


def default_subnet_cidrs(count: int) -> list[str]:
    """172.31.0.0/20, 172.31.16.0/20, ... : one /20 per zone, as AWS carves the default VPC."""
    vpc = ipaddress.IPv4Network(DEFAULT_VPC_CIDR)
    subnets = vpc.subnets(new_prefix=DEFAULT_SUBNET_PREFIX)
    return [str(next(subnets)) for _ in range(count)]


def dhcp_domain_name(region: str) -> str:
    return "ec2.internal" if region == "us-east-1" else f"{region}.compute.internal"


VPC_FILTERS = {
    "cidr": lambda v: v.cidr_block,
    "cidr-block-association.cidr-block": lambda v: v.cidr_block,
    "cidr-block-association.association-id": lambda v: v.cidr_association_id,
    "cidr-block-association.state": lambda v: "associated",
    "dhcp-options-id": lambda v: v.dhcp_options_id,
    "is-default": lambda v: v.is_default,
    "owner-id": lambda v: v.owner_id,
    "state": lambda v: v.state,
    "vpc-id": lambda v: v.id,
}

SUBNET_FILTERS = {
    "availability-zone": lambda s: s.zone.name,
    "availability-zone-id": lambda s: s.zone.zone_id,
    "available-ip-address-count": lambda s: s.available_ip_count,
    "cidr-block": lambda s: s.cidr_block,
    "default-for-az": lambda s: s.default_for_az,
    "enable-dns64": lambda s: False,
    "ipv6-native": lambda s: False,
    "map-customer-owned-ip-on-launch": lambda s: False,
    "map-public-ip-on-launch": lambda s: s.map_public_ip_on_launch,
    "owner-id": lambda s: s.owner_id,
    "private-dns-name-options-on-launch.hostname-type": lambda s: "ip-name",
    "private-dns-name-options-on-launch.enable-resource-name-dns-a-record": lambda s: False,
    "private-dns-name-options-on-launch.enable-resource-name-dns-aaaa-record": lambda s: False,
    "state": lambda s: s.state,
    "subnet-arn": lambda s: s.arn,
    "subnet-id": lambda s: s.id,
    "vpc-id": lambda s: s.vpc_id,
}
