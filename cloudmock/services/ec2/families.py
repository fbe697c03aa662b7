"""EC2's operations sorted into resource families, from the operation names alone.

The model has no notion of family, so a family is a pattern on the operation's
name; the first family whose pattern matches takes the operation.  The
coverage script (``scripts/ec2_coverage.py``) and the documentation's coverage
page read this table, so both always agree with the model cloudmock ships with.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Family:
    name: str
    #: which part of EC2 it belongs to: "networking", "compute" or "account"
    part: str
    pattern: re.Pattern[str]


def _family(name: str, part: str, pattern: str) -> Family:
    return Family(name, part, re.compile(pattern))


# Order matters: more specific names first (TransitGatewayVpcAttachment is a
# transit gateway operation, not a VPC one).
FAMILIES: tuple[Family, ...] = (
    _family("client-vpn", "networking", r"ClientVpn"),
    _family("transit-gateway", "networking", r"TransitGateway"),
    _family("vpn", "networking", r"Vpn|CustomerGateway|Vgw"),
    _family("vpc-peering", "networking", r"VpcPeering"),
    _family("vpc-endpoint", "networking", r"VpcEndpoint"),
    _family("traffic-mirror", "networking", r"TrafficMirror"),
    _family("flow-log", "networking", r"FlowLog"),
    _family("prefix-list", "networking", r"PrefixList(?!Resolver)"),
    _family("ipam", "networking", r"Ipam"),
    _family("local-gateway", "networking", r"LocalGateway|Coip"),
    _family("route-server", "networking", r"RouteServer"),
    _family("verified-access", "networking", r"VerifiedAccess"),
    _family(
        "network-insights",
        "networking",
        r"NetworkInsights|ReachabilityAnalyzer|AwsNetworkPerformance",
    ),
    _family("security-group", "networking", r"SecurityGroup"),
    _family("nat-gateway", "networking", r"NatGateway"),
    _family("internet-gateway", "networking", r"InternetGateway|CarrierGateway"),
    _family("route-table", "networking", r"RouteTable|Route$"),
    _family("network-acl", "networking", r"NetworkAcl"),
    _family("dhcp-options", "networking", r"DhcpOptions"),
    _family(
        "network-interface",
        "networking",
        r"NetworkInterface|PrivateIpAddresses|Ipv6Addresses|TrunkInterface|SecondaryInterface",
    ),
    _family("address", "networking", r"Address|Byoip|PublicIpv4Pool|Ipv6Pool|PublicIpDnsName"),
    _family("subnet", "networking", r"Subnet"),
    _family("vpc", "networking", r"Vpc|SecondaryNetwork"),
    _family("tag", "account", r"Tags$"),
    _family(
        "region",
        "account",
        r"Regions$|AvailabilityZone|AccountAttributes|IdFormat|SerialConsole|ManagedResourceVisibility",
    ),
    _family("launch-template", "compute", r"LaunchTemplate"),
    _family("spot", "compute", r"Spot"),
    _family("fleet", "compute", r"Fleet"),
    _family(
        "capacity-reservation", "compute", r"CapacityReservation|CapacityBlock|CapacityManager"
    ),
    _family("host", "compute", r"Hosts$|HostReservation|MacHosts"),
    _family("reserved-instance", "compute", r"ReservedInstances|ScheduledInstance"),
    _family("placement-group", "compute", r"PlacementGroup"),
    _family("key-pair", "compute", r"KeyPair"),
    _family("instance-type", "compute", r"InstanceType"),
    _family(
        "snapshot",
        "compute",
        r"Snapshot|FastSnapshotRestore",
    ),
    _family("volume", "compute", r"Volume|EbsEncryption|EbsDefaultKmsKey"),
    _family(
        "image",
        "compute",
        r"Image|Ami|FpgaImage|FastLaunch|ProductInstance|StoreImage|RestoreImage",
    ),
    _family("instance", "compute", r"Instance|Console|PasswordData|DefaultCreditSpecification"),
)

OTHER = Family("other", "other", re.compile(""))


def family_of(operation: str) -> Family:
    for family in FAMILIES:
        if family.pattern.search(operation):
            return family
    return OTHER


def by_family(operations: Iterable[str]) -> dict[Family, list[str]]:
    """``operations`` grouped by family, families in table order, names sorted."""
    out: dict[Family, list[str]] = {family: [] for family in (*FAMILIES, OTHER)}
    for operation in sorted(operations):
        out[family_of(operation)].append(operation)
    return {family: ops for family, ops in out.items() if ops}
