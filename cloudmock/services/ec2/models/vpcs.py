"""VPCs and subnets: their address blocks, attributes and address allocation."""

from __future__ import annotations

import ipaddress
import random
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import TYPE_CHECKING

from cloudmock.core.errors import InvalidParameterValue, ServiceError
from cloudmock.services.ec2.models.base import Resource, ResourceKind
from cloudmock.services.ec2.models.regions import Zone

if TYPE_CHECKING:
    from cloudmock.services.ec2.shapes import Subnet as SubnetShape
    from cloudmock.services.ec2.shapes import SubnetCidrReservation as ReservationShape
    from cloudmock.services.ec2.shapes import (
        SubnetIpv6CidrBlockAssociation,
        VpcCidrBlockAssociation,
        VpcIpv6CidrBlockAssociation,
    )
    from cloudmock.services.ec2.shapes import Vpc as VpcShape


VPC = ResourceKind("vpc", "vpc", "InvalidVpcID", "vpc ID")
SUBNET = ResourceKind("subnet", "subnet", "InvalidSubnetID", "subnet ID")
SUBNET_CIDR_RESERVATION = ResourceKind(
    "scr",
    "subnet-cidr-reservation",
    "InvalidSubnetCidrReservationID",
    "subnet CIDR reservation ID",
)

DEFAULT_VPC_CIDR = "172.31.0.0/16"
DEFAULT_SUBNET_PREFIX = 20
#: IPv4 blocks a VPC may have by default (the primary included)
MAX_VPC_IPV4_BLOCKS = 5
#: subnets a VPC may have by default
MAX_SUBNETS_PER_VPC = 200
#: an octet's decimal text, by value: a launch writes two dotted addresses (private and
#: public), and an f-string formats each int at several times a lookup's cost (callgrind)
OCTET_TEXT = tuple(str(value) for value in range(256))
#: Amazon-provided IPv6 blocks a VPC may have by default
MAX_VPC_IPV6_BLOCKS = 5

IPv4Net = ipaddress.IPv4Network
IPv6Net = ipaddress.IPv6Network

_RFC1918 = (
    IPv4Net("10.0.0.0/8"),
    IPv4Net("172.16.0.0/12"),
    IPv4Net("192.168.0.0/16"),
)
_BENCHMARK = IPv4Net("198.19.0.0/16")
#: ranges no VPC may use at all
_NEVER = (
    IPv4Net("0.0.0.0/8"),
    IPv4Net("127.0.0.0/8"),
    IPv4Net("169.254.0.0/16"),
    IPv4Net("224.0.0.0/4"),
    IPv4Net("240.0.0.0/4"),
)


def parse_ipv4_cidr(value: str, member: str = "cidrBlock") -> IPv4Net:
    """A CIDR as EC2 reads it: host bits are dropped, anything unparsable is refused."""
    try:
        if "/" not in value:
            raise ValueError(value)
        return IPv4Net(value, strict=False)
    except ValueError:
        raise InvalidParameterValue(
            f"Value ({value}) for parameter {member} is invalid. This is not a valid CIDR block."
        ) from None


def parse_ipv6_cidr(value: str, member: str = "ipv6CidrBlock") -> IPv6Net:
    try:
        if "/" not in value:
            raise ValueError(value)
        return IPv6Net(value, strict=False)
    except ValueError:
        raise InvalidParameterValue(
            f"Value ({value}) for parameter {member} is invalid. This is not a valid IPv6 CIDR block."
        ) from None


def check_vpc_range(network: IPv4Net, raw: str) -> None:
    """InvalidVpc.Range unless ``network`` is a /16 to /28 EC2 lets a VPC use."""
    if not 16 <= network.prefixlen <= 28 or any(network.overlaps(n) for n in _NEVER):
        raise ServiceError(f"The CIDR '{raw}' is invalid.", code="InvalidVpc.Range")


def _address_class(network: IPv4Net) -> IPv4Net | None:
    for private in (*_RFC1918, _BENCHMARK):
        if network.subnet_of(private):
            return private
    return None


def check_secondary_range(primary: IPv4Net, network: IPv4Net, raw: str) -> None:
    """The restrictions on a secondary IPv4 block, which depend on the primary's range.

    A private (RFC 1918) primary excludes the other RFC 1918 ranges and 198.19.0.0/16;
    a 198.19.0.0/16 primary excludes RFC 1918; a public primary excludes both.
    """
    home = _address_class(primary)
    candidate = _address_class(network)
    if candidate is None:
        # Not private: it must still stay out of the private ranges it straddles.
        if any(network.overlaps(n) for n in (*_RFC1918, _BENCHMARK)):
            candidate = IPv4Net("0.0.0.0/0")
        else:
            return
    if candidate != home:
        raise ServiceError(
            f"The CIDR '{raw}' is restricted. Use a CIDR from the same private address range "
            "as the current VPC CIDR, or use a publicly-routable CIDR.",
            code="InvalidVpc.Range",
        )


@dataclass
class CidrBlock:
    """One block associated with a VPC or subnet (IPv4 or IPv6)."""

    association_id: str
    cidr: str
    state: str = "associated"
    #: IPv6: where the block is advertised, and its pool
    network_border_group: str | None = None
    pool: str | None = None

    @cached_property
    def network(self) -> IPv4Net | IPv6Net:
        return ipaddress.ip_network(self.cidr)

    def ipv4(self) -> VpcCidrBlockAssociation:
        return {
            "AssociationId": self.association_id,
            "CidrBlock": self.cidr,
            "CidrBlockState": {"State": self.state},
        }

    def vpc_ipv6(self) -> VpcIpv6CidrBlockAssociation:
        out: VpcIpv6CidrBlockAssociation = {
            "AssociationId": self.association_id,
            "Ipv6CidrBlock": self.cidr,
            "Ipv6CidrBlockState": {"State": self.state},
            "Ipv6Pool": self.pool or "Amazon",
            "Ipv6AddressAttribute": "public",
            "IpSource": "amazon",
        }
        if self.network_border_group:
            out["NetworkBorderGroup"] = self.network_border_group
        return out

    def subnet_ipv6(self) -> SubnetIpv6CidrBlockAssociation:
        return {
            "AssociationId": self.association_id,
            "Ipv6CidrBlock": self.cidr,
            "Ipv6CidrBlockState": {"State": self.state},
            "Ipv6AddressAttribute": "public",
            "IpSource": "amazon",
        }


@dataclass
class Vpc(Resource):
    cidr_block: str
    owner_id: str
    dhcp_options_id: str
    cidr_association_id: str
    is_default: bool = False
    state: str = "available"
    instance_tenancy: str = "default"
    enable_dns_support: bool = True
    enable_dns_hostnames: bool = False
    enable_network_address_usage_metrics: bool = False
    #: secondary IPv4 blocks, in association order (the primary is ``cidr_block``)
    secondary: list[CidrBlock] = field(default_factory=list)
    ipv6: list[CidrBlock] = field(default_factory=list)
    #: bumped to cancel scheduled transitions that no longer apply
    generation: int = 0

    def __post_init__(self) -> None:
        self.primary = CidrBlock(self.cidr_association_id, self.cidr_block)

    def ipv4_blocks(self) -> list[CidrBlock]:
        return [self.primary, *self.secondary]

    def ipv4_cidrs(self) -> list[str]:
        """Every IPv4 block associated with the VPC, the primary first."""
        return [b.cidr for b in self.ipv4_blocks() if b.state == "associated"]

    def ipv6_cidrs(self) -> list[str]:
        """Every IPv6 block associated with the VPC."""
        return [b.cidr for b in self.ipv6 if b.state in ("associated", "associating")]

    def ipv4_networks(self) -> list[IPv4Net]:
        """The associated IPv4 blocks (where subnets may go)."""
        return [
            b.network
            for b in self.ipv4_blocks()
            if b.state == "associated" and isinstance(b.network, IPv4Net)
        ]

    def describe(self) -> VpcShape:
        out: VpcShape = {
            "VpcId": self.id,
            "OwnerId": self.owner_id,
            "InstanceTenancy": self.instance_tenancy,
            "CidrBlockAssociationSet": [b.ipv4() for b in self.ipv4_blocks()],
            "IsDefault": self.is_default,
            "BlockPublicAccessStates": {"InternetGatewayBlockMode": "off"},
            "State": self.state,
            "CidrBlock": self.cidr_block,
            "DhcpOptionsId": self.dhcp_options_id,
        }
        if self.ipv6:
            out["Ipv6CidrBlockAssociationSet"] = [b.vpc_ipv6() for b in self.ipv6]
        if self.tags:
            out["Tags"] = self.tag_list()
        return out


@dataclass
class Subnet(Resource):
    vpc_id: str
    cidr_block: str | None
    zone: Zone
    owner_id: str
    region: str
    default_for_az: bool = False
    map_public_ip_on_launch: bool = False
    state: str = "available"
    ipv6_blocks: list[CidrBlock] = field(default_factory=list)
    ipv6_native: bool = False
    assign_ipv6_on_creation: bool = False
    enable_dns64: bool = False
    hostname_type: str = "ip-name"
    dns_a_record: bool = False
    dns_aaaa_record: bool = False
    outpost_arn: str | None = None
    map_customer_owned_ip_on_launch: bool = False
    customer_owned_ipv4_pool: str | None = None
    enable_lni_at_device_index: int | None = None
    generation: int = 0
    used_ips: set[str] = field(default_factory=set, repr=False)
    used_ipv6: set[str] = field(default_factory=set, repr=False)
    #: explicit and prefix CIDR reservations: automatic assignment skips them
    reserved: list[IPv4Net] = field(default_factory=list, repr=False)
    #: no free address sits below this offset, so allocation need not rescan the start
    _free_from: int = field(default=4, repr=False)
    #: seeds the subnet's own stream of IPv6 addresses (made on first use: most never need it)
    _rng_seed: int | None = field(default=None, repr=False, compare=False)

    @cached_property
    def network(self) -> IPv4Net | None:
        return IPv4Net(self.cidr_block) if self.cidr_block else None

    @cached_property
    def _rng(self) -> random.Random:
        return random.Random(self._rng_seed)

    @property
    def ipv4_network(self) -> IPv4Net:
        """The IPv4 range, for what needs one; an IPv6-only subnet answers EC2's error."""
        network = self.network
        if network is None:
            raise InvalidParameterValue(
                f"The subnet '{self.id}' is IPv6-only and has no IPv4 addresses to give."
            )
        return network

    @property
    def arn(self) -> str:
        return f"arn:aws:ec2:{self.region}:{self.owner_id}:subnet/{self.id}"

    @cached_property
    def _span(self) -> tuple[int, int]:
        """(first address as an int, number of addresses) of the IPv4 range."""
        network = self.ipv4_network
        return int(network.network_address), network.num_addresses

    @cached_property
    def _capacity(self) -> int:
        # AWS reserves the first four addresses and the last one of every subnet.
        network = self.network
        return 0 if network is None else network.num_addresses - 5

    @property
    def available_ip_count(self) -> int:
        return self._capacity - len(self.used_ips)

    def ipv6_cidrs(self) -> list[str]:
        """Every IPv6 block associated with the subnet."""
        return [b.cidr for b in self.ipv6_blocks if b.state in ("associated", "associating")]

    def _insufficient(self) -> ServiceError:
        return ServiceError(
            f"There are not enough free addresses in subnet '{self.id}' to satisfy the "
            "requested number of instances.",
            code="InsufficientFreeAddressesInSubnet",
        )

    def allocate_ip(self, requested: str | None = None) -> str:
        network = self.network
        if network is None:
            raise InvalidParameterValue(
                f"Subnet '{self.id}' is an IPv6-only subnet and has no IPv4 addresses"
            )
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
        if self.available_ip_count <= 0:
            raise self._insufficient()
        base, size = self._span
        offset, end = self._free_from, size - 1
        reserved = self.reserved
        used = self.used_ips
        octet = OCTET_TEXT
        while offset < end:
            value = base + offset
            if reserved:  # most subnets have no CIDR reservations
                candidate = ipaddress.IPv4Address(value)
                skip = next((r for r in reserved if candidate in r), None)
                if skip is not None:
                    offset = int(skip.broadcast_address) - base + 1
                    continue
            # str(IPv4Address(value)), without making one for every launch
            text = ".".join(
                (
                    octet[value >> 24],
                    octet[(value >> 16) & 255],
                    octet[(value >> 8) & 255],
                    octet[value & 255],
                )
            )
            if text not in used:
                used.add(text)
                # everything below is used or reserved (a deleted reservation resets this)
                self._free_from = offset + 1
                return text
            offset += 1
        raise self._insufficient()

    def release_ip(self, address: str) -> None:
        network = self.network
        self.used_ips.discard(address)
        if network is not None:
            offset = int(ipaddress.IPv4Address(address)) - int(network.network_address)
            self._free_from = max(4, min(self._free_from, offset))

    def unreserve(self, network: IPv4Net) -> None:
        """A reservation is gone: its addresses may be handed out again."""
        self.reserved = [n for n in self.reserved if n != network]
        if self.network is not None:
            offset = int(network.network_address) - int(self.network.network_address)
            self._free_from = max(4, min(self._free_from, offset))

    def allocate_ipv6(self, requested: str | None = None) -> str:
        """An address from the subnet's /64 (``requested``, or a random free one)."""
        blocks = [b.network for b in self.ipv6_blocks if b.state == "associated"]
        if not blocks:
            raise InvalidParameterValue(f"Subnet '{self.id}' has no associated IPv6 CIDR block")
        if requested is not None:
            try:
                address = ipaddress.IPv6Address(requested)
            except ValueError:
                raise InvalidParameterValue(
                    f"Invalid value '{requested}' for Ipv6Address: not an IPv6 address"
                ) from None
            block = next((b for b in blocks if address in b), None)
            if block is None:
                raise InvalidParameterValue(
                    f"Address {requested} does not fall within the subnet's address range"
                )
            offset = int(address) - int(block.network_address)
            if offset < 4 or address == block.broadcast_address:
                raise InvalidParameterValue(
                    f"Address {requested} is in subnet's reserved address range"
                )
            text = str(address)
            if text in self.used_ipv6:
                raise ServiceError(f"Address {requested} is in use.", code="InvalidIPAddress.InUse")
            self.used_ipv6.add(text)
            return text
        block = blocks[0]
        while True:
            offset = self._rng.getrandbits(block.max_prefixlen - block.prefixlen)
            if offset < 4 or offset == block.num_addresses - 1:
                continue
            text = str(ipaddress.IPv6Address(int(block.network_address) + offset))
            if text not in self.used_ipv6:
                self.used_ipv6.add(text)
                return text

    def release_ipv6(self, address: str) -> None:
        self.used_ipv6.discard(str(ipaddress.IPv6Address(address)))

    def describe(self) -> SubnetShape:
        out: SubnetShape = {
            "AvailabilityZoneId": self.zone.zone_id,
            "MapCustomerOwnedIpOnLaunch": self.map_customer_owned_ip_on_launch,
            "OwnerId": self.owner_id,
            "AssignIpv6AddressOnCreation": self.assign_ipv6_on_creation,
            "Ipv6CidrBlockAssociationSet": [b.subnet_ipv6() for b in self.ipv6_blocks],
            "SubnetArn": self.arn,
            "EnableDns64": self.enable_dns64,
            "Ipv6Native": self.ipv6_native,
            "PrivateDnsNameOptionsOnLaunch": {
                "HostnameType": self.hostname_type,
                "EnableResourceNameDnsARecord": self.dns_a_record,
                "EnableResourceNameDnsAAAARecord": self.dns_aaaa_record,
            },
            "BlockPublicAccessStates": {"InternetGatewayBlockMode": "off"},
            "SubnetId": self.id,
            "State": self.state,
            "VpcId": self.vpc_id,
            "AvailableIpAddressCount": self.available_ip_count,
            "AvailabilityZone": self.zone.name,
            "DefaultForAz": self.default_for_az,
            "MapPublicIpOnLaunch": self.map_public_ip_on_launch,
        }
        if self.cidr_block:
            out["CidrBlock"] = self.cidr_block
        if self.outpost_arn:
            out["OutpostArn"] = self.outpost_arn
        if self.customer_owned_ipv4_pool:
            out["CustomerOwnedIpv4Pool"] = self.customer_owned_ipv4_pool
        if self.enable_lni_at_device_index is not None:
            out["EnableLniAtDeviceIndex"] = self.enable_lni_at_device_index
        if self.tags:
            out["Tags"] = self.tag_list()
        return out


@dataclass
class SubnetCidrReservation(Resource):
    subnet_id: str
    cidr: str
    reservation_type: str
    owner_id: str
    description: str | None = None

    @cached_property
    def network(self) -> IPv4Net | IPv6Net:
        return ipaddress.ip_network(self.cidr)

    def describe(self) -> ReservationShape:
        out: ReservationShape = {
            "SubnetCidrReservationId": self.id,
            "SubnetId": self.subnet_id,
            "Cidr": self.cidr,
            "ReservationType": self.reservation_type,
            "OwnerId": self.owner_id,
        }
        if self.description is not None:
            out["Description"] = self.description
        if self.tags:
            out["Tags"] = self.tag_list()
        return out


def default_subnet_cidrs(count: int) -> list[str]:
    """172.31.0.0/20, 172.31.16.0/20, ... : one /20 per zone, as AWS carves the default VPC."""
    return list(_default_subnet_cidrs(count))


@cache  # every new region asks; the answer depends on the zone count alone
def _default_subnet_cidrs(count: int) -> tuple[str, ...]:
    vpc = IPv4Net(DEFAULT_VPC_CIDR)
    subnets = vpc.subnets(new_prefix=DEFAULT_SUBNET_PREFIX)
    return tuple(str(next(subnets)) for _ in range(count))


def _blocks(items: list[CidrBlock], attr: str) -> list[str]:
    return [getattr(b, attr) for b in items]


VPC_FILTERS = {
    "cidr": lambda v: v.cidr_block,
    "cidr-block-association.cidr-block": lambda v: _blocks(v.ipv4_blocks(), "cidr"),
    "cidr-block-association.association-id": lambda v: _blocks(v.ipv4_blocks(), "association_id"),
    "cidr-block-association.state": lambda v: _blocks(v.ipv4_blocks(), "state"),
    "dhcp-options-id": lambda v: v.dhcp_options_id,
    "ipv6-cidr-block-association.ipv6-cidr-block": lambda v: _blocks(v.ipv6, "cidr"),
    "ipv6-cidr-block-association.association-id": lambda v: _blocks(v.ipv6, "association_id"),
    "ipv6-cidr-block-association.ipv6-pool": lambda v: [b.pool or "Amazon" for b in v.ipv6],
    "ipv6-cidr-block-association.state": lambda v: _blocks(v.ipv6, "state"),
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
    "customer-owned-ipv4-pool": lambda s: s.customer_owned_ipv4_pool,
    "default-for-az": lambda s: s.default_for_az,
    "enable-dns64": lambda s: s.enable_dns64,
    "enable-lni-at-device-index": lambda s: s.enable_lni_at_device_index,
    "ipv6-cidr-block-association.ipv6-cidr-block": lambda s: _blocks(s.ipv6_blocks, "cidr"),
    "ipv6-cidr-block-association.association-id": lambda s: _blocks(
        s.ipv6_blocks, "association_id"
    ),
    "ipv6-cidr-block-association.state": lambda s: _blocks(s.ipv6_blocks, "state"),
    "ipv6-native": lambda s: s.ipv6_native,
    "map-customer-owned-ip-on-launch": lambda s: s.map_customer_owned_ip_on_launch,
    "map-public-ip-on-launch": lambda s: s.map_public_ip_on_launch,
    "outpost-arn": lambda s: s.outpost_arn,
    "owner-id": lambda s: s.owner_id,
    "private-dns-name-options-on-launch.hostname-type": lambda s: s.hostname_type,
    "private-dns-name-options-on-launch.enable-resource-name-dns-a-record": lambda s: (
        s.dns_a_record
    ),
    "private-dns-name-options-on-launch.enable-resource-name-dns-aaaa-record": lambda s: (
        s.dns_aaaa_record
    ),
    "state": lambda s: s.state,
    "subnet-arn": lambda s: s.arn,
    "subnet-id": lambda s: s.id,
    "vpc-id": lambda s: s.vpc_id,
}

SUBNET_CIDR_RESERVATION_FILTERS = {
    "reservationType": lambda r: r.reservation_type,
    "subnet-id": lambda r: r.subnet_id,
}
