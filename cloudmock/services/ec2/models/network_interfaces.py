"""Elastic network interfaces: addresses, attachments, permissions and trunk associations."""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from cloudmock.core.errors import (
    InternalError,
    InvalidParameterCombination,
    InvalidParameterValue,
    MissingParameter,
    ServiceError,
)
from cloudmock.services.ec2.dryrun import commit
from cloudmock.services.ec2.models.base import Resource, ResourceKind, Store, new_object

if TYPE_CHECKING:
    from cloudmock.services.ec2.models.backend import Ec2Backend
    from cloudmock.services.ec2.models.instances import Instance
    from cloudmock.services.ec2.models.vpcs import Subnet
    from cloudmock.services.ec2.shapes import (
        Filter,
        NetworkInterfaceAssociation,
        NetworkInterfaceAttachment,
        NetworkInterfacePermission,
        NetworkInterfacePrivateIpAddress,
        TrunkInterfaceAssociation,
    )
    from cloudmock.services.ec2.shapes import NetworkInterface as NetworkInterfaceShape

# EC2 spells the two codes differently: InvalidNetworkInterfaceId.Malformed, ...ID.NotFound
NETWORK_INTERFACE = ResourceKind(
    "eni",
    "network-interface",
    "InvalidNetworkInterfaceId",
    "network interface ID",
    not_found_stem="InvalidNetworkInterfaceID",
)
ATTACHMENT = ResourceKind(
    "eni-attach",
    "",
    "InvalidNetworkInterfaceAttachmentId",
    "attachment ID",
    not_found_stem="InvalidAttachmentID",
)
PERMISSION = ResourceKind("eni-perm", "", "InvalidPermissionID", "network interface permission ID")
TRUNK_ASSOCIATION = ResourceKind("trunk-assoc", "", "InvalidAssociationID", "association ID")

#: EC2's interface types as CreateNetworkInterface takes them ("interface" is the default)
INTERFACE_TYPES = frozenset({"efa", "efa-only", "branch", "trunk"})
#: the states an instance takes an interface in (hot or cold attach)
ATTACHABLE_STATES = frozenset({"running", "stopped"})
#: secondary private addresses one interface may hold (the largest instance types' limit)
MAX_ADDRESSES = 50
#: security groups per interface (the default VPC quota)
MAX_GROUPS = 5
IPV4_PREFIX_LENGTH = 28
IPV6_PREFIX_LENGTH = 80
#: connection-tracking timeouts: (member, low, high, default)
CONNTRACK_LIMITS = {
    "TcpEstablishedTimeout": (60, 432000, 432000),
    "UdpStreamTimeout": (60, 180, 180),
    "UdpTimeout": (30, 60, 30),
}


def _without(items: tuple[str, ...], gone: str) -> tuple[str, ...]:
    """``items`` less one ``gone`` (as list.remove would, ValueError if absent)."""
    position = items.index(gone)
    return items[:position] + items[position + 1 :]


@functools.lru_cache(maxsize=256)  # every describe of an instance names both domains
def private_domain(region: str) -> str:
    return "ec2.internal" if region == "us-east-1" else f"{region}.compute.internal"


@functools.lru_cache(maxsize=256)
def public_domain(region: str) -> str:
    if region == "us-east-1":
        return "compute-1.amazonaws.com"
    if region.startswith("cn-"):
        return f"{region}.compute.amazonaws.com.cn"
    return f"{region}.compute.amazonaws.com"


def private_dns_name(address: str, region: str) -> str:
    return f"ip-{address.replace('.', '-')}.{private_domain(region)}"


def public_dns_name(address: str, region: str) -> str:
    return f"ec2-{address.replace('.', '-')}.{public_domain(region)}"


@dataclass(slots=True)
class NetworkInterface(Resource):
    subnet_id: str
    vpc_id: str
    zone_name: str
    owner_id: str
    region: str
    private_ip: str
    mac_address: str
    #: (group id, group name)
    groups: list[tuple[str, str]] = field(default_factory=list)
    description: str = ""
    source_dest_check: bool = True
    #: the public address (an auto-assigned one, or an Elastic IP another family associates)
    public_ip: str | None = None
    #: ModifyPublicIpDnsNameOptions
    public_dns_hostname_type: str = "public-ipv4-dns-name"
    attachment_id: str | None = None
    instance_id: str | None = None
    device_index: int = 0
    attach_time: datetime | None = None
    delete_on_termination: bool = True
    zone_id: str = ""
    # Sequences an interface rarely has are tuples, shared while empty: every instance has an
    # interface, and a container per field is a container the garbage collector walks.
    secondary_ips: tuple[str, ...] = ()
    ipv6_addresses: tuple[str, ...] = ()
    #: EnablePrimaryIpv6: the first IPv6 address becomes the interface's primary one
    enable_primary_ipv6: bool = False
    ipv4_prefixes: tuple[str, ...] = ()
    ipv6_prefixes: tuple[str, ...] = ()
    interface_type: str = "interface"
    requester_id: str | None = None
    requester_managed: bool = False
    attachment_status: str = "attached"
    instance_owner_id: str | None = None
    network_card_index: int = 0
    ena_srd: bool | None = None
    ena_srd_udp: bool | None = None
    ena_queue_count: int | None = None
    #: ConnectionTrackingSpecification as given: (member, seconds) pairs
    conntrack: tuple[tuple[str, int], ...] = ()
    associate_public_ip: bool | None = None
    operator_principal: str | None = None
    associated_subnets: tuple[str, ...] = ()
    #: set by the address family when an Elastic IP is associated
    allocation_id: str | None = None
    association_id: str | None = None
    ip_owner_id: str | None = None
    #: bumped on every attachment change, so a stale scheduled transition does nothing
    generation: int = 0

    def attachment(self) -> tuple[str, datetime]:
        """The attachment id and time of an interface attached to an instance."""
        if self.attachment_id is None or self.attach_time is None:
            raise InternalError(f"the network interface {self.id} is not attached")
        return self.attachment_id, self.attach_time

    @property
    def status(self) -> str:
        return "in-use" if self.attachment_id else "available"

    @property
    def private_dns_name(self) -> str:
        return private_dns_name(self.private_ip, self.region)

    @property
    def public_dns_name(self) -> str:
        return public_dns_name(self.public_ip, self.region) if self.public_ip else ""

    @property
    def private_ips(self) -> list[str]:
        return [self.private_ip, *self.secondary_ips]

    @property
    def primary_ipv6(self) -> str | None:
        return self.ipv6_addresses[0] if self.enable_primary_ipv6 and self.ipv6_addresses else None

    @property
    def group_ids(self) -> list[str]:
        return [gid for gid, _ in self.groups]

    def association(self) -> NetworkInterfaceAssociation | None:
        if not self.public_ip:
            return None
        out: NetworkInterfaceAssociation = {
            "IpOwnerId": self.ip_owner_id or "amazon",
            "PublicDnsName": self.public_dns_name,
            "PublicIp": self.public_ip,
        }
        if self.allocation_id:
            out["AllocationId"] = self.allocation_id
        if self.association_id:
            out["AssociationId"] = self.association_id
        return out

    def describe_attachment(self) -> NetworkInterfaceAttachment | None:
        if self.attachment_id is None:
            return None
        out: NetworkInterfaceAttachment = {
            "AttachmentId": self.attachment_id,
            "DeleteOnTermination": self.delete_on_termination,
            "DeviceIndex": self.device_index,
            "NetworkCardIndex": self.network_card_index,
            "InstanceOwnerId": self.instance_owner_id or self.owner_id,
            "Status": self.attachment_status,
        }
        if self.attach_time is not None:
            out["AttachTime"] = self.attach_time
        if self.instance_id:
            out["InstanceId"] = self.instance_id
        if self.ena_srd is not None:
            out["EnaSrdSpecification"] = {
                "EnaSrdEnabled": self.ena_srd,
                "EnaSrdUdpSpecification": {"EnaSrdUdpEnabled": bool(self.ena_srd_udp)},
            }
        if self.ena_queue_count is not None:
            out["EnaQueueCount"] = self.ena_queue_count
        return out

    def describe_private_ips(self) -> list[NetworkInterfacePrivateIpAddress]:
        association = self.association()
        out: list[NetworkInterfacePrivateIpAddress] = []
        for address in self.private_ips:
            entry: NetworkInterfacePrivateIpAddress = {
                "Primary": address == self.private_ip,
                "PrivateDnsName": private_dns_name(address, self.region),
                "PrivateIpAddress": address,
            }
            if association is not None and address == self.private_ip:
                entry["Association"] = association
            out.append(entry)
        return out

    def describe(self) -> NetworkInterfaceShape:
        primary_ipv6 = self.primary_ipv6
        out: NetworkInterfaceShape = {
            "AvailabilityZone": self.zone_name,
            "AvailabilityZoneId": self.zone_id,
            "Description": self.description,
            "Groups": [{"GroupId": gid, "GroupName": name} for gid, name in self.groups],
            "InterfaceType": self.interface_type,
            "Ipv6Addresses": [
                {"Ipv6Address": a, "IsPrimaryIpv6": a == primary_ipv6} for a in self.ipv6_addresses
            ],
            "MacAddress": self.mac_address,
            "NetworkInterfaceId": self.id,
            "OwnerId": self.owner_id,
            "PrivateDnsName": self.private_dns_name,
            "PrivateIpAddress": self.private_ip,
            "PrivateIpAddresses": self.describe_private_ips(),
            "RequesterManaged": self.requester_managed,
            "SourceDestCheck": self.source_dest_check,
            "Status": self.status,
            "SubnetId": self.subnet_id,
            "TagSet": self.tag_list(),
            "VpcId": self.vpc_id,
            "Ipv6Native": False,
            "Operator": {"Managed": self.operator_principal is not None},
        }
        if self.operator_principal is not None:
            out["Operator"]["Principal"] = self.operator_principal
        if self.ipv4_prefixes:
            out["Ipv4Prefixes"] = [{"Ipv4Prefix": p} for p in self.ipv4_prefixes]
        if self.ipv6_prefixes:
            out["Ipv6Prefixes"] = [{"Ipv6Prefix": p} for p in self.ipv6_prefixes]
        if primary_ipv6:
            out["Ipv6Address"] = primary_ipv6
        attachment = self.describe_attachment()
        if attachment is not None:
            out["Attachment"] = attachment
        association = self.association()
        if association is not None:
            out["Association"] = association
            out["PublicDnsName"] = self.public_dns_name
        if self.requester_id:
            out["RequesterId"] = self.requester_id
        if self.conntrack:
            out["ConnectionTrackingConfiguration"] = dict(self.conntrack)  # type: ignore[typeddict-item]
        if self.associated_subnets:
            out["AssociatedSubnets"] = list(self.associated_subnets)
        return out


def new_interface(
    backend: Ec2Backend,
    subnet: Subnet,
    private_ip: str,
    groups: list[tuple[str, str]],
    attachment: str | None = None,
) -> NetworkInterface:
    """A new interface in ``subnet``, every other field at its default: the caller sets
    what it has beyond that, then adds it.

    Its id, its MAC address and (``attachment``: the attachment id's prefix) its
    attachment id are drawn here, in that order, so a seed keeps giving the same ones.
    Every launched instance makes one, so it is made the cheapest way (callgrind): no
    ``NetworkInterface(...)`` call frame, the required fields by position, no keywords.
    """
    eni: NetworkInterface = new_object(NetworkInterface)
    zone = subnet.zone
    eni.__init__(  # type: ignore[misc]
        backend.ids.new("eni"),
        subnet.id,
        subnet.vpc_id,
        zone.name,
        backend.account_id,
        backend.region,
        private_ip,
        backend.new_mac_address(),
        groups,
    )
    # set after: cheaper than keywords, each matched against the parameters' names in turn
    eni.zone_id = zone.zone_id
    if attachment:
        eni.attachment_id = backend.ids.new(attachment)
    return eni


@dataclass
class InterfacePermission(Resource):
    interface_id: str
    account_id: str | None
    service: str | None
    permission: str
    state: str = "granted"

    def describe(self) -> NetworkInterfacePermission:
        out: NetworkInterfacePermission = {
            "NetworkInterfacePermissionId": self.id,
            "NetworkInterfaceId": self.interface_id,
            "Permission": self.permission,
            "PermissionState": {"State": self.state},
        }
        if self.account_id:
            out["AwsAccountId"] = self.account_id
        if self.service:
            out["AwsService"] = self.service
        return out


@dataclass
class TrunkAssociation(Resource):
    branch_id: str
    trunk_id: str
    protocol: str
    vlan_id: int | None = None
    gre_key: int | None = None

    def describe(self) -> TrunkInterfaceAssociation:
        out: TrunkInterfaceAssociation = {
            "AssociationId": self.id,
            "BranchInterfaceId": self.branch_id,
            "TrunkInterfaceId": self.trunk_id,
            "InterfaceProtocol": self.protocol,
        }
        if self.vlan_id is not None:
            out["VlanId"] = self.vlan_id
        if self.gre_key is not None:
            out["GreKey"] = self.gre_key
        if self.tags:
            out["Tags"] = self.tag_list()
        return out


@dataclass(frozen=True)
class InterfaceSpec:
    """What CreateNetworkInterface asks for, typed."""

    subnet_id: str
    description: str = ""
    private_ip: str | None = None
    #: (address, primary) pairs of PrivateIpAddresses
    private_ips: tuple[tuple[str, bool], ...] = ()
    secondary_count: int | None = None
    ipv6_addresses: tuple[str, ...] = ()
    ipv6_count: int | None = None
    ipv4_prefixes: tuple[str, ...] = ()
    ipv4_prefix_count: int | None = None
    ipv6_prefixes: tuple[str, ...] = ()
    ipv6_prefix_count: int | None = None
    group_ids: tuple[str, ...] = ()
    interface_type: str | None = None
    tags: tuple[tuple[str, str], ...] = ()
    client_token: str | None = None
    enable_primary_ipv6: bool = False
    conntrack: tuple[tuple[str, int], ...] = ()
    operator_principal: str | None = None


def check_conntrack(spec: dict[str, int]) -> dict[str, int]:
    """ConnectionTrackingSpecification: each timeout within EC2's range."""
    for name, value in spec.items():
        low, high, _ = CONNTRACK_LIMITS[name]
        if not low <= value <= high:
            raise InvalidParameterValue(
                f"Invalid value '{value}' for {name}. It must be between {low} and {high} seconds."
            )
    return dict(spec)


def _ipv4(value: str, what: str) -> ipaddress.IPv4Address:
    try:
        return ipaddress.IPv4Address(value)
    except ValueError:
        raise InvalidParameterValue(
            f"Invalid value '{value}' for {what}: not an IPv4 address"
        ) from None


class NetworkInterfaces(Store[NetworkInterface]):
    """The network-interface family of one region; it is also the interfaces' store."""

    def __init__(self, backend: Ec2Backend) -> None:
        super().__init__(NETWORK_INTERFACE)
        self.backend = backend
        self.add_index("subnet", attrgetter("subnet_id"))
        self.add_index("instance", attrgetter("instance_id"))
        self.add_index("attachment", attrgetter("attachment_id"))
        self.add_index("vpc", attrgetter("vpc_id"))
        self._by_group: dict[str, dict[str, NetworkInterface]] = {}
        self._client_tokens: dict[str, tuple[InterfaceSpec, str]] = {}
        #: no free /28 starts below this offset of the subnet (so carving need not rescan)
        self._prefix_from: dict[str, int] = {}
        #: IPv6 prefixes handed out, per subnet
        self._ipv6_prefixes: dict[str, set[str]] = {}
        self.permissions: Store[InterfacePermission] = Store(PERMISSION)
        self.permissions.add_index("interface", lambda p: p.interface_id)
        self.trunk_associations: Store[TrunkAssociation] = Store(TRUNK_ASSOCIATION)
        self.trunk_associations.add_index("branch", lambda a: a.branch_id)
        self.trunk_associations.add_index("trunk", lambda a: a.trunk_id)
        self._trunk_tokens: dict[str, str] = {}
        #: called with each interface as it goes (deleted, or with its instance): other
        #: families register here to let go of it (an Elastic IP's association, ...)
        self.on_delete: list[Callable[[NetworkInterface], None]] = []
        #: interfaces with permissions, by id, for every account and region to look up
        self._granted: dict[str, NetworkInterfaces] = backend.shared.setdefault(
            "network-interface-permissions", {}
        )
        backend.depends_on("subnet", self._subnet_users)
        backend.depends_on("sg", self._group_users)

    # -- the store, with an index by security group (an interface has several)

    def add(self, item: NetworkInterface) -> NetworkInterface:
        # Store.add itself: a bare super() costs as much again as the call (callgrind)
        Store.add(self, item)
        for gid, _ in item.groups:
            self._by_group.setdefault(gid, {})[item.id] = item
        return item

    def remove(self, item_id: str) -> NetworkInterface | None:
        item = super().remove(item_id)
        if item is not None:
            self._unindex_groups(item)
        return item

    def _unindex_groups(self, item: NetworkInterface) -> None:
        for gid in item.group_ids:
            bucket = self._by_group.get(gid)
            if bucket is not None:
                bucket.pop(item.id, None)
                if not bucket:
                    del self._by_group[gid]

    def set_groups(self, item: NetworkInterface, groups: list[tuple[str, str]]) -> None:
        self._unindex_groups(item)
        item.groups = list(groups)
        for gid in item.group_ids:
            self._by_group.setdefault(gid, {})[item.id] = item

    def using_group(self, group_id: str) -> list[NetworkInterface]:
        return list(self._by_group.get(group_id, {}).values())

    def _subnet_users(self, subnet_id: str) -> str | None:
        found = self.lookup("subnet", subnet_id)
        return f"network interface {found[0].id}" if found else None

    def _group_users(self, group_id: str) -> str | None:
        found = self.using_group(group_id)
        return f"network interface {found[0].id}" if found else None

    def candidates(self, filters: Sequence[Filter] | None) -> list[NetworkInterface]:
        """Every interface, or, when a filter names exact subnets, VPCs, instances, groups or
        interface ids, just those an index gives (the filters themselves still apply after)."""
        for spec in filters or ():
            name, values = spec.get("Name"), spec.get("Values") or []
            if not values or any("*" in v or "?" in v for v in values):
                continue
            found: dict[str, NetworkInterface] = {}
            if name in _INDEXED_FILTERS:
                for value in values:
                    for item in self.lookup(_INDEXED_FILTERS[name], value):
                        found[item.id] = item
            elif name == "group-id":
                for value in values:
                    found.update(self._by_group.get(value, {}))
            elif name == "network-interface-id":
                for value in values:
                    named = self.find(value)
                    if named is not None:
                        found[named.id] = named
            else:
                continue
            return self.in_order(found.values())
        return list(self)

    def attached_to(self, instance_id: str) -> list[NetworkInterface]:
        """The interfaces attached to an instance, by device index."""
        return sorted(self.lookup("instance", instance_id), key=lambda e: e.device_index)

    def granted_interface(self, eni_id: str, permission: str) -> NetworkInterface | None:
        """Another account's interface in this region that grants this account ``permission``
        (CreateNetworkInterfacePermission: INSTANCE-ATTACH or EIP-ASSOCIATE)."""
        owner = self._granted.get(eni_id)
        if owner is None or owner is self or owner.backend.region != self.backend.region:
            return None
        account = self.backend.account_id
        for grant in owner.permissions.lookup("interface", eni_id):
            if grant.account_id == account and grant.permission == permission:
                return owner.find(eni_id)
        return None

    def by_attachment(self, attachment_id: str) -> NetworkInterface:
        found = self.lookup("attachment", attachment_id)
        if not found:
            if not ATTACHMENT.id_pattern.match(attachment_id) and not attachment_id.startswith(
                "ela-attach-"
            ):
                raise ATTACHMENT.malformed(attachment_id)
            raise ATTACHMENT.not_found([attachment_id])
        return found[0]

    # -- create / delete

    def _groups(
        self, group_ids: tuple[str, ...], vpc_id: str, subnet_id: str
    ) -> list[tuple[str, str]]:
        security_groups = self.backend.security_groups
        if not group_ids:
            default = security_groups.default_group(vpc_id)
            return [(default.id, default.name)]
        groups = security_groups.store.get_many(group_ids)
        if len(groups) > MAX_GROUPS:
            raise ServiceError(
                f"You have exceeded the maximum number of security groups ({MAX_GROUPS}) "
                "allowed for a network interface.",
                code="SecurityGroupsPerInterfaceLimitExceeded",
            )
        for group in groups:
            if group.vpc_id != vpc_id:
                # EC2's wording for a group of another VPC, as RunInstances has it
                raise ServiceError(
                    f"Security group {group.id} and subnet {subnet_id} belong to different "
                    "networks.",
                    code="InvalidParameter",
                )
        return [(g.id, g.name) for g in groups]

    def create(self, spec: InterfaceSpec) -> NetworkInterface:
        backend = self.backend
        if spec.client_token:
            previous = self._client_tokens.get(spec.client_token)
            if previous is not None:
                earlier, eni_id = previous
                if earlier != spec:
                    raise ServiceError(
                        "Arguments on this idempotent request are inconsistent with arguments "
                        "used in previous request(s).",
                        code="IdempotentParameterMismatch",
                    )
                found = self.find(eni_id)
                if found is not None:
                    commit()
                    return found
        subnet = backend.vpcs.subnets.get(spec.subnet_id)
        if spec.interface_type is not None and spec.interface_type not in INTERFACE_TYPES:
            raise InvalidParameterValue(
                f"Invalid value '{spec.interface_type}' for InterfaceType. Valid values are "
                "efa, efa-only, branch, trunk."
            )
        groups = self._groups(spec.group_ids, subnet.vpc_id, subnet.id)
        primaries = [a for a, primary in spec.private_ips if primary]
        if len(primaries) > 1:
            raise InvalidParameterValue("Only one primary private IP address can be specified.")
        primary = spec.private_ip
        if primaries:
            if primary is not None and primary != primaries[0]:
                raise InvalidParameterCombination(
                    "The primary private IP address given in PrivateIpAddress and in "
                    "PrivateIpAddresses differ."
                )
            primary = primaries[0]
        elif primary is None and spec.private_ips:
            primary = spec.private_ips[0][0]  # none marked primary: the first one is
        secondaries = [a for a, is_primary in spec.private_ips if not is_primary and a != primary]
        if spec.secondary_count is not None and spec.private_ips and secondaries:
            raise InvalidParameterCombination(
                "SecondaryPrivateIpAddressCount cannot be combined with secondary addresses "
                "in PrivateIpAddresses."
            )
        if spec.ipv4_prefixes and spec.ipv4_prefix_count is not None:
            raise InvalidParameterCombination(
                "The parameters Ipv4Prefixes and Ipv4PrefixCount cannot be used together."
            )
        if spec.ipv6_prefixes and spec.ipv6_prefix_count is not None:
            raise InvalidParameterCombination(
                "The parameters Ipv6Prefixes and Ipv6PrefixCount cannot be used together."
            )
        if spec.ipv6_addresses and spec.ipv6_count is not None:
            raise InvalidParameterCombination(
                "The parameters Ipv6Addresses and Ipv6AddressCount cannot be used together."
            )
        secondary_count = spec.secondary_count or 0
        if secondary_count < 0 or len(secondaries) + secondary_count > MAX_ADDRESSES - 1:
            raise InvalidParameterValue(
                f"Invalid value '{secondary_count}' for SecondaryPrivateIpAddressCount."
            )
        ipv6_wanted = bool(spec.ipv6_addresses or spec.ipv6_count or spec.ipv6_prefixes)
        ipv6_wanted = ipv6_wanted or bool(spec.ipv6_prefix_count) or spec.enable_primary_ipv6
        # a subnet with AssignIpv6AddressOnCreation gives an interface asked for no IPv6
        # address (Ipv6AddressCount 0 is asking for none) one of its own
        ipv6_auto = (
            subnet.assign_ipv6_on_creation
            and not spec.ipv6_addresses
            and spec.ipv6_count is None
            and bool(subnet.ipv6_cidrs())
        )
        if ipv6_wanted and not subnet.ipv6_cidrs():
            raise InvalidParameterValue(
                f"You must specify an IPv6 CIDR block for subnet '{subnet.id}' before you can "
                "assign IPv6 addresses or prefixes."
            )
        if spec.enable_primary_ipv6 and not (spec.ipv6_addresses or spec.ipv6_count):
            raise InvalidParameterCombination(
                "EnablePrimaryIpv6 requires an IPv6 address (Ipv6Addresses or Ipv6AddressCount)."
            )
        # Every check before any address is taken: a refused request changes nothing.
        self._check_addresses(subnet, [primary] if primary else [], secondaries)
        self._check_prefixes(subnet, list(spec.ipv4_prefixes))
        room = subnet.available_ip_count - (
            len(secondaries) + secondary_count + 16 * (spec.ipv4_prefix_count or 0)
        )
        if room < 1:
            raise _no_room(subnet)
        commit()
        eni = new_interface(backend, subnet, "", groups)
        eni.description = spec.description
        eni.interface_type = spec.interface_type or "interface"
        eni.enable_primary_ipv6 = spec.enable_primary_ipv6
        eni.conntrack = tuple(spec.conntrack)
        eni.operator_principal = spec.operator_principal
        eni.tags = dict(spec.tags)
        try:
            eni.private_ip = subnet.allocate_ip(primary)
            for address in secondaries:
                eni.secondary_ips = (*eni.secondary_ips, subnet.allocate_ip(address))
            for _ in range(secondary_count):
                eni.secondary_ips = (*eni.secondary_ips, subnet.allocate_ip())
            for prefix in spec.ipv4_prefixes:
                eni.ipv4_prefixes = (*eni.ipv4_prefixes, self._take_ipv4_prefix(subnet, prefix))
            for _ in range(spec.ipv4_prefix_count or 0):
                eni.ipv4_prefixes = (*eni.ipv4_prefixes, self._take_ipv4_prefix(subnet, None))
            if ipv6_wanted:
                for address in spec.ipv6_addresses:
                    eni.ipv6_addresses = (*eni.ipv6_addresses, self._take_ipv6(subnet, address))
                for _ in range(spec.ipv6_count or 0):
                    eni.ipv6_addresses = (*eni.ipv6_addresses, self._take_ipv6(subnet, None))
                for prefix in spec.ipv6_prefixes:
                    eni.ipv6_prefixes = (*eni.ipv6_prefixes, self._take_ipv6_prefix(subnet, prefix))
                for _ in range(spec.ipv6_prefix_count or 0):
                    eni.ipv6_prefixes = (*eni.ipv6_prefixes, self._take_ipv6_prefix(subnet, None))
            if ipv6_auto:
                eni.ipv6_addresses = (*eni.ipv6_addresses, self._take_ipv6(subnet, None))
        except ServiceError:
            # what could only be found out by allocating: give back what was taken
            self.release_addresses(eni)
            raise
        self.add(eni)
        if spec.client_token:
            self._client_tokens[spec.client_token] = (spec, eni.id)
        return eni

    def _check_addresses(self, subnet: Subnet, primary: list[str], secondaries: list[str]) -> None:
        seen: set[str] = set()
        for address in [*primary, *secondaries]:
            parsed = _ipv4(address, "PrivateIpAddress")
            if parsed not in subnet.ipv4_network:
                raise InvalidParameterValue(
                    f"Address {address} does not fall within the subnet's address range"
                )
            if address in seen:
                raise InvalidParameterValue(f"The address {address} is specified more than once.")
            seen.add(address)
            if address in subnet.used_ips:
                raise ServiceError(f"Address {address} is in use.", code="InvalidIPAddress.InUse")

    def _check_prefixes(self, subnet: Subnet, prefixes: list[str]) -> None:
        for prefix in prefixes:
            network = self._ipv4_prefix(subnet, prefix)
            if any(a in subnet.used_ips for a in _addresses(int(network.network_address))):
                raise ServiceError(f"The prefix {prefix} is in use.", code="InvalidParameterValue")

    # -- addresses

    def _ipv4_prefix(self, subnet: Subnet, prefix: str) -> ipaddress.IPv4Network:
        try:
            network = ipaddress.IPv4Network(prefix)
        except ValueError:
            raise InvalidParameterValue(
                f"Invalid value '{prefix}' for Ipv4Prefix: not a /{IPV4_PREFIX_LENGTH} prefix"
            ) from None
        if network.prefixlen != IPV4_PREFIX_LENGTH:
            raise InvalidParameterValue(
                f"Invalid value '{prefix}' for Ipv4Prefix: the prefix length must be "
                f"/{IPV4_PREFIX_LENGTH}"
            )
        if not network.subnet_of(subnet.ipv4_network):
            raise InvalidParameterValue(
                f"The prefix {prefix} does not fall within the subnet's address range"
            )
        base = int(subnet.ipv4_network.network_address)
        if int(network.network_address) - base < 4 or (
            subnet.ipv4_network.broadcast_address in network
        ):
            raise InvalidParameterValue(f"The prefix {prefix} is in the subnet's reserved range")
        return network

    def _take_ipv4_prefix(self, subnet: Subnet, prefix: str | None) -> str:
        """A /28 of the subnet whose 16 addresses are all free, now taken."""
        used = subnet.used_ips
        if prefix is not None:
            network = self._ipv4_prefix(subnet, prefix)
            addresses = _addresses(int(network.network_address))
            if any(a in used for a in addresses):
                raise ServiceError(f"The prefix {prefix} is in use.", code="InvalidParameterValue")
        else:
            found = self._free_block(subnet, self._prefix_from.get(subnet.id, 16))
            if found is None:
                # addresses other families gave back may have freed blocks below the hint
                found = self._free_block(subnet, 16)
            if found is None:
                raise ServiceError(
                    f"There are not enough free contiguous addresses in subnet '{subnet.id}' "
                    "to allocate the requested prefixes.",
                    code="InsufficientCidrBlocks",
                )
            network, addresses = found
        for address in addresses:
            subnet.allocate_ip(address)
        return str(network)

    def _free_block(
        self, subnet: Subnet, start: int
    ) -> tuple[ipaddress.IPv4Network, list[str]] | None:
        """The first /28 at or after offset ``start`` whose addresses are all free."""
        used = subnet.used_ips
        base = int(subnet.ipv4_network.network_address)
        # the first block holds the reserved addresses, the last one the broadcast address
        for offset in range(max(16, start), subnet.ipv4_network.num_addresses - 16, 16):
            addresses = _addresses(base + offset)
            if not any(a in used for a in addresses):
                self._prefix_from[subnet.id] = offset + 16
                return ipaddress.IPv4Network((base + offset, IPV4_PREFIX_LENGTH)), addresses
        return None

    def _release_ipv4_prefix(self, subnet: Subnet, prefix: str) -> None:
        network = ipaddress.IPv4Network(prefix)
        for address in _addresses(int(network.network_address)):
            subnet.release_ip(address)
        offset = int(network.network_address) - int(subnet.ipv4_network.network_address)
        self._prefix_from[subnet.id] = min(self._prefix_from.get(subnet.id, 16), offset)

    def _take_ipv6(self, subnet: Subnet, address: str | None) -> str:
        return subnet.allocate_ipv6(address)

    def _release_ipv6(self, subnet: Subnet, address: str) -> None:
        subnet.release_ipv6(address)

    def _take_ipv6_prefix(self, subnet: Subnet, prefix: str | None) -> str:
        taken = self._ipv6_prefixes.setdefault(subnet.id, set())
        blocks = [ipaddress.IPv6Network(c) for c in subnet.ipv6_cidrs()]
        if prefix is not None:
            try:
                network = ipaddress.IPv6Network(prefix)
            except ValueError:
                raise InvalidParameterValue(f"Invalid value '{prefix}' for Ipv6Prefix") from None
            if network.prefixlen != IPV6_PREFIX_LENGTH or not any(
                network.subnet_of(b) for b in blocks
            ):
                raise InvalidParameterValue(
                    f"The prefix {prefix} is not a /{IPV6_PREFIX_LENGTH} of the subnet's IPv6 range"
                )
            if str(network) in taken:
                raise ServiceError(f"The prefix {prefix} is in use.", code="InvalidParameterValue")
            taken.add(str(network))
            return str(network)
        for block in blocks:
            # skip the first /80 of the block: single addresses are handed out from there
            for index, candidate in enumerate(block.subnets(new_prefix=IPV6_PREFIX_LENGTH)):
                if index == 0:
                    continue
                if str(candidate) not in taken:
                    taken.add(str(candidate))
                    return str(candidate)
                if index > len(taken) + 1:
                    break
        raise ServiceError(
            f"There are not enough free IPv6 prefixes in subnet '{subnet.id}'.",
            code="InsufficientCidrBlocks",
        )

    def release_addresses(self, eni: NetworkInterface) -> None:
        """Give every address and prefix of ``eni`` back to its subnet."""
        subnet = self.backend.vpcs.subnets.find(eni.subnet_id)
        if eni.public_ip and eni.allocation_id is None:
            self.backend.release_public_ip(eni.public_ip)
        if subnet is None:
            return
        for address in eni.private_ips:
            if address:
                subnet.release_ip(address)
        for prefix in eni.ipv4_prefixes:
            self._release_ipv4_prefix(subnet, prefix)
        for address in eni.ipv6_addresses:
            self._release_ipv6(subnet, address)
        taken = self._ipv6_prefixes.get(subnet.id, set())
        for prefix in eni.ipv6_prefixes:
            taken.discard(prefix)

    def delete(self, eni_id: str) -> None:
        eni = self.get(eni_id)
        if eni.attachment_id is not None or eni.requester_managed:
            raise InvalidParameterValue(f"Network interface '{eni.id}' is currently in use.")
        for association in self.trunk_associations.lookup("branch", eni.id) + (
            self.trunk_associations.lookup("trunk", eni.id)
        ):
            raise ServiceError(
                f"Network interface '{eni.id}' has a trunk association '{association.id}'.",
                code="DependencyViolation",
            )
        dependents = self.backend.dependents(eni.id)
        if dependents:
            raise ServiceError(
                f"Network interface '{eni.id}' is in use by {dependents[0]}.",
                code="DependencyViolation",
            )
        commit()
        self.forget(eni)

    def create_managed(
        self,
        subnet_id: str,
        *,
        interface_type: str,
        description: str = "",
        requester_id: str | None = None,
        private_ip: str | None = None,
        group_ids: tuple[str, ...] = (),
        public_ip: str | None = None,
        ipv6_addresses: tuple[str | None, ...] = (),
    ) -> NetworkInterface:
        """An interface an AWS service makes for one of its resources (a NAT gateway, a VPC
        endpoint, a load balancer): requester-managed, attached through an ``ela-attach-``
        attachment the user cannot detach, and not deletable by the user. For other families:
        call after their own ``commit()``; give it back with :meth:`delete_managed`."""
        backend = self.backend
        subnet = backend.vpcs.subnets.get(subnet_id)
        groups = self._groups(group_ids, subnet.vpc_id, subnet.id) if group_ids else []
        address = subnet.allocate_ip(private_ip)
        # IPv6 addresses as asked (None: any free one); the caller checked them before commit
        ipv6 = [subnet.allocate_ipv6(wanted) for wanted in ipv6_addresses]
        eni = new_interface(backend, subnet, address, groups, "ela-attach")
        eni.description = description
        eni.interface_type = interface_type
        eni.requester_id = requester_id
        eni.requester_managed = True
        eni.source_dest_check = False
        eni.public_ip = public_ip
        eni.attach_time = backend.clock.now()
        eni.instance_owner_id = "amazon-aws"
        eni.device_index = 1
        eni.delete_on_termination = False
        eni.ipv6_addresses = tuple(ipv6)
        return self.add(eni)

    def delete_managed(self, eni_id: str) -> None:
        """The service's resource is gone: so is its interface, and its private address."""
        eni = self.find(eni_id)
        if eni is not None:
            eni.public_ip = None  # the owning family releases its own public address
            self.forget(eni)

    def forget(self, eni: NetworkInterface) -> None:
        """The interface is gone: its addresses, permissions and the interface itself."""
        for hook in self.on_delete:
            hook(eni)
        self.release_addresses(eni)
        for permission in self.permissions.lookup("interface", eni.id):
            self.permissions.remove(permission.id)
        self._granted.pop(eni.id, None)
        self.remove(eni.id)
        self.backend.flow_logs.resource_deleted(eni.id)

    # -- attachments

    def attach(
        self,
        eni_id: str,
        instance_id: str,
        device_index: int,
        *,
        network_card_index: int | None = None,
        ena_srd: tuple[bool | None, bool | None] | None = None,
        ena_queue_count: int | None = None,
    ) -> NetworkInterface:
        backend = self.backend
        eni = self.get(eni_id)
        instance = backend.instances.store.get(instance_id)
        if eni.attachment_id is not None:
            raise ServiceError(
                f"Interface: [{eni.id}] in use.", code="InvalidNetworkInterface.InUse"
            )
        if instance.state not in ATTACHABLE_STATES:
            raise ServiceError(
                f"The instance '{instance.id}' is not in a valid state for this operation.",
                code="IncorrectInstanceState",
            )
        if device_index < 0:
            raise InvalidParameterValue(f"Invalid value '{device_index}' for DeviceIndex.")
        if network_card_index not in (None, 0):
            raise InvalidParameterValue(
                f"Invalid value '{network_card_index}' for NetworkCardIndex. The instance type "
                f"{instance.instance_type} supports only network card 0."
            )
        if eni.zone_name != instance.zone.name:
            raise InvalidParameterValue(
                f"The network interface '{eni.id}' and the instance '{instance.id}' are not in "
                "the same availability zone."
            )
        if eni.vpc_id != instance.vpc_id:
            raise InvalidParameterValue(
                f"The network interface '{eni.id}' and the instance '{instance.id}' belong to "
                "different networks."
            )
        if ena_queue_count is not None and ena_queue_count < 1:
            raise InvalidParameterValue(f"Invalid value '{ena_queue_count}' for EnaQueueCount.")
        for other in instance.all_interfaces():
            if other.device_index == device_index:
                raise InvalidParameterValue(
                    f"Instance '{instance.id}' already has an interface attached at device index "
                    f"'{device_index}'."
                )
        commit()
        eni.instance_id = instance.id
        eni.instance_owner_id = instance.owner_id
        eni.attachment_id = backend.ids.new("eni-attach")
        eni.attach_time = backend.clock.now()
        eni.device_index = device_index
        eni.network_card_index = network_card_index or 0
        eni.delete_on_termination = False
        eni.ena_queue_count = ena_queue_count
        if ena_srd is not None:
            eni.ena_srd, eni.ena_srd_udp = ena_srd
        self.reindex(eni)
        instance.interfaces = (*instance.interfaces, eni)
        self._settle(eni, "attaching", "attached")
        return eni

    def _settle(self, eni: NetworkInterface, now: str, then: str) -> None:
        eni.attachment_status = now
        eni.generation += 1

        def done(item: NetworkInterface) -> None:
            item.attachment_status = then
            if then == "detached":
                self._unattach(item)

        self.backend.schedule(self.backend.options.transition_delay, eni, done)

    def _unattach(self, eni: NetworkInterface) -> None:
        instance = self.backend.instances.store.find(eni.instance_id or "")
        if instance is not None and eni in instance.interfaces:
            instance.interfaces = tuple(e for e in instance.interfaces if e is not eni)
        eni.instance_id = eni.attachment_id = eni.attach_time = None
        eni.instance_owner_id = None
        eni.ena_srd = eni.ena_srd_udp = eni.ena_queue_count = None
        eni.device_index = 0
        eni.network_card_index = 0
        eni.delete_on_termination = True
        eni.attachment_status = "attached"
        eni.generation += 1
        self.reindex(eni)

    def detach(self, attachment_id: str, *, force: bool = False) -> None:
        eni = self.by_attachment(attachment_id)
        if eni.requester_managed:
            kind = attachment_id.rsplit("-", 1)[0]
            raise ServiceError(
                f"You are not allowed to manage '{kind}' attachments.",
                code="OperationNotPermitted",
            )
        if eni.device_index == 0 and eni.instance_id is not None:
            raise ServiceError(
                "The network interface at device index 0 and networkCard index 0 cannot be "
                "detached.",
                code="OperationNotPermitted",
            )
        commit()
        if eni.attachment_status == "detaching" and not force:
            return
        if force:
            self._unattach(eni)
        else:
            self._settle(eni, "detaching", "detached")

    def instance_terminated(self, instance: Instance) -> None:
        """Interfaces marked DeleteOnTermination go with the instance; the others stay, detached."""
        for eni in [instance.network_interface, *instance.interfaces]:
            if eni.id not in self:
                continue
            if eni.delete_on_termination:
                self.forget(eni)
            else:
                if eni.public_ip and eni.allocation_id is None:
                    self.backend.release_public_ip(eni.public_ip)
                    eni.public_ip = None
                self._unattach(eni)
        instance.interfaces = ()

    # -- attributes

    def modify(
        self,
        eni_id: str,
        *,
        description: str | None = None,
        source_dest_check: bool | None = None,
        group_ids: list[str] | None = None,
        attachment: tuple[str | None, bool | None, int | None, bool | None] | None = None,
        ena_srd: tuple[bool | None, bool | None] | None = None,
        enable_primary_ipv6: bool | None = None,
        conntrack: dict[str, int] | None = None,
        associate_public_ip: bool | None = None,
        associated_subnets: list[str] | None = None,
    ) -> None:
        eni = self.get(eni_id)
        groups = None
        if group_ids is not None:
            if not group_ids:
                raise MissingParameter("SecurityGroupId")
            groups = self._groups(tuple(group_ids), eni.vpc_id, eni.subnet_id)
        if attachment is not None:
            attachment_id, _, queue_count, _ = attachment
            if attachment_id is None:
                raise MissingParameter("Attachment.AttachmentId")
            if eni.attachment_id != attachment_id:
                self.by_attachment(attachment_id)  # NotFound/Malformed for an unknown one
                raise InvalidParameterValue(
                    f"The attachment '{attachment_id}' does not belong to network interface "
                    f"'{eni.id}'."
                )
            if queue_count is not None and queue_count < 1:
                raise InvalidParameterValue(f"Invalid value '{queue_count}' for EnaQueueCount.")
        if ena_srd is not None and eni.attachment_id is None:
            raise ServiceError(
                f"The network interface '{eni.id}' is not attached to an instance.",
                code="InvalidParameterValue",
            )
        if enable_primary_ipv6 is not None:
            if not enable_primary_ipv6 and eni.enable_primary_ipv6:
                raise InvalidParameterValue(
                    "Once a primary IPv6 address is enabled it cannot be disabled."
                )
            if enable_primary_ipv6 and not eni.ipv6_addresses:
                raise InvalidParameterValue(
                    f"The network interface '{eni.id}' has no IPv6 address to make primary."
                )
        if associate_public_ip and (eni.ip_owner_id or eni.allocation_id):
            raise ServiceError(
                f"The network interface '{eni.id}' already has an Elastic IP address.",
                code="InvalidParameterValue",
            )
        subnets = (
            self.backend.vpcs.subnets.get_many(associated_subnets) if associated_subnets else []
        )
        for subnet in subnets:
            if subnet.vpc_id != eni.vpc_id:
                raise InvalidParameterValue(
                    f"The subnet '{subnet.id}' is not in the VPC of network interface '{eni.id}'."
                )
        conntrack = check_conntrack(conntrack) if conntrack is not None else None
        commit()
        if description is not None:
            eni.description = description
        if source_dest_check is not None:
            eni.source_dest_check = source_dest_check
        if groups is not None:
            self.set_groups(eni, groups)
            self._sync_instance_groups(eni)
        if attachment is not None:
            _, delete_on_termination, queue_count, default_queue = attachment
            if delete_on_termination is not None:
                eni.delete_on_termination = delete_on_termination
            if default_queue:
                eni.ena_queue_count = None
            elif queue_count is not None:
                eni.ena_queue_count = queue_count
        if ena_srd is not None:
            eni.ena_srd, eni.ena_srd_udp = ena_srd
        if enable_primary_ipv6:
            eni.enable_primary_ipv6 = True
        if conntrack is not None:
            eni.conntrack = tuple({**dict(eni.conntrack), **conntrack}.items())
        if associate_public_ip is not None:
            eni.associate_public_ip = associate_public_ip
            # recorded on any interface, acted on only for an instance's primary one (eth0)
            instance = self._primary_of(eni)
            if instance is not None and instance.state in ("pending", "running"):
                if associate_public_ip and not eni.public_ip:
                    eni.public_ip = self.backend.allocate_public_ip()
                    instance.public_ip = eni.public_ip
                elif not associate_public_ip and eni.public_ip and not eni.allocation_id:
                    self.backend.release_public_ip(eni.public_ip)
                    eni.public_ip = instance.public_ip = None
        if associated_subnets is not None:
            eni.associated_subnets = tuple(s.id for s in subnets)

    def _primary_of(self, eni: NetworkInterface) -> Instance | None:
        if eni.instance_id is None or eni.device_index != 0:
            return None
        instance = self.backend.instances.store.find(eni.instance_id)
        return instance if instance is not None and instance.network_interface is eni else None

    def _sync_instance_groups(self, eni: NetworkInterface) -> None:
        instance = self._primary_of(eni)
        if instance is not None:
            instance.security_groups = list(eni.groups)

    def reset_source_dest_check(self, eni_id: str) -> None:
        eni = self.get(eni_id)
        commit()
        eni.source_dest_check = True

    # -- secondary addresses and prefixes

    def assign_private_ips(
        self,
        eni_id: str,
        addresses: list[str],
        count: int | None,
        prefixes: list[str],
        prefix_count: int | None,
        *,
        allow_reassignment: bool = False,
    ) -> tuple[list[str], list[str]]:
        eni = self.get(eni_id)
        subnet = self.backend.vpcs.subnets.get(eni.subnet_id)
        if addresses and count is not None:
            raise InvalidParameterCombination(
                "The parameters PrivateIpAddresses and SecondaryPrivateIpAddressCount cannot "
                "be used together."
            )
        if prefixes and prefix_count is not None:
            raise InvalidParameterCombination(
                "The parameters Ipv4Prefixes and Ipv4PrefixCount cannot be used together."
            )
        if not (addresses or count or prefixes or prefix_count):
            raise ServiceError(
                "Either PrivateIpAddresses, SecondaryPrivateIpAddressCount, Ipv4Prefixes or "
                "Ipv4PrefixCount must be specified.",
                code="MissingParameter",
            )
        if count is not None and count < 1:
            raise InvalidParameterValue(
                f"Invalid value '{count}' for SecondaryPrivateIpAddressCount."
            )
        if prefix_count is not None and prefix_count < 1:
            raise InvalidParameterValue(f"Invalid value '{prefix_count}' for Ipv4PrefixCount.")
        if len(eni.private_ips) + len(addresses) + (count or 0) > MAX_ADDRESSES:
            raise ServiceError(
                f"Number of private addresses will exceed limit for network interface {eni.id}.",
                code="PrivateIpAddressLimitExceeded",
            )
        moved: list[tuple[NetworkInterface, str]] = []
        seen: set[str] = set()
        for address in addresses:
            parsed = _ipv4(address, "PrivateIpAddresses")
            if parsed not in subnet.ipv4_network:
                raise InvalidParameterValue(
                    f"Address {address} does not fall within the subnet's address range"
                )
            if address in seen or address in eni.private_ips:
                raise InvalidParameterValue(
                    f"The address {address} is already assigned to {eni.id}."
                )
            seen.add(address)
            if address in subnet.used_ips:
                holder = self._holder(subnet.id, address)
                if holder is None or not allow_reassignment or holder.private_ip == address:
                    raise ServiceError(
                        f"Address {address} is in use.", code="InvalidIPAddress.InUse"
                    )
                moved.append((holder, address))
        self._check_prefixes(subnet, prefixes)
        if subnet.available_ip_count < (count or 0) + 16 * (prefix_count or 0) + len(
            addresses
        ) - len(moved):
            raise _no_room(subnet)
        commit()
        for holder, address in moved:
            holder.secondary_ips = _without(holder.secondary_ips, address)
            subnet.release_ip(address)
        assigned: list[str] = []
        new_prefixes: list[str] = []
        try:
            assigned += [subnet.allocate_ip(a) for a in addresses]
            for _ in range(count or 0):
                assigned.append(subnet.allocate_ip())
            for prefix in prefixes:
                new_prefixes.append(self._take_ipv4_prefix(subnet, prefix))
            for _ in range(prefix_count or 0):
                new_prefixes.append(self._take_ipv4_prefix(subnet, None))
        except ServiceError:
            # no contiguous /28 left: give back what this request took
            for address in assigned:
                subnet.release_ip(address)
            for prefix in new_prefixes:
                self._release_ipv4_prefix(subnet, prefix)
            raise
        eni.secondary_ips = (*eni.secondary_ips, *assigned)
        eni.ipv4_prefixes = (*eni.ipv4_prefixes, *new_prefixes)
        return assigned, new_prefixes

    def _holder(self, subnet_id: str, address: str) -> NetworkInterface | None:
        for other in self.lookup("subnet", subnet_id):
            if address in other.private_ips:
                return other
        return None

    def unassign_private_ips(self, eni_id: str, addresses: list[str], prefixes: list[str]) -> None:
        eni = self.get(eni_id)
        if not addresses and not prefixes:
            raise ServiceError(
                "Either PrivateIpAddresses or Ipv4Prefixes must be specified.",
                code="MissingParameter",
            )
        for address in addresses:
            if address == eni.private_ip:
                raise InvalidParameterValue(
                    f"The primary private IP address {address} of {eni.id} cannot be unassigned."
                )
            if address not in eni.secondary_ips:
                raise ServiceError(
                    f"Some of the specified addresses are not assigned to interface {eni.id}",
                    code="InvalidParameterValue",
                )
        for prefix in prefixes:
            if prefix not in eni.ipv4_prefixes:
                raise InvalidParameterValue(
                    f"The prefix {prefix} is not assigned to interface {eni.id}"
                )
        commit()
        subnet = self.backend.vpcs.subnets.find(eni.subnet_id)
        for address in addresses:
            eni.secondary_ips = _without(eni.secondary_ips, address)
            if subnet is not None:
                subnet.release_ip(address)
        for prefix in prefixes:
            eni.ipv4_prefixes = _without(eni.ipv4_prefixes, prefix)
            if subnet is not None:
                self._release_ipv4_prefix(subnet, prefix)

    def assign_ipv6(
        self,
        eni_id: str,
        addresses: list[str],
        count: int | None,
        prefixes: list[str],
        prefix_count: int | None,
    ) -> tuple[list[str], list[str]]:
        eni = self.get(eni_id)
        subnet = self.backend.vpcs.subnets.get(eni.subnet_id)
        if addresses and count is not None:
            raise InvalidParameterCombination(
                "The parameters Ipv6Addresses and Ipv6AddressCount cannot be used together."
            )
        if prefixes and prefix_count is not None:
            raise InvalidParameterCombination(
                "The parameters Ipv6Prefixes and Ipv6PrefixCount cannot be used together."
            )
        if not (addresses or count or prefixes or prefix_count):
            raise ServiceError(
                "Either Ipv6Addresses, Ipv6AddressCount, Ipv6Prefixes or Ipv6PrefixCount must "
                "be specified.",
                code="MissingParameter",
            )
        if not subnet.ipv6_cidrs():
            raise InvalidParameterValue(
                f"You must specify an IPv6 CIDR block for subnet '{subnet.id}' before you can "
                "assign IPv6 addresses or prefixes."
            )
        for address in addresses:
            if address in eni.ipv6_addresses:
                raise InvalidParameterValue(
                    f"The address {address} is already assigned to {eni.id}."
                )
        commit()
        assigned: list[str] = []
        new_prefixes: list[str] = []
        try:
            for address in addresses:
                assigned.append(self._take_ipv6(subnet, address))
            for _ in range(count or 0):
                assigned.append(self._take_ipv6(subnet, None))
            for prefix in prefixes:
                new_prefixes.append(self._take_ipv6_prefix(subnet, prefix))
            for _ in range(prefix_count or 0):
                new_prefixes.append(self._take_ipv6_prefix(subnet, None))
        except ServiceError:
            for address in assigned:
                self._release_ipv6(subnet, address)
            taken = self._ipv6_prefixes.get(subnet.id, set())
            taken.difference_update(new_prefixes)
            raise
        eni.ipv6_addresses = (*eni.ipv6_addresses, *assigned)
        eni.ipv6_prefixes = (*eni.ipv6_prefixes, *new_prefixes)
        return assigned, new_prefixes

    def unassign_ipv6(
        self, eni_id: str, addresses: list[str], prefixes: list[str]
    ) -> tuple[list[str], list[str]]:
        eni = self.get(eni_id)
        if not addresses and not prefixes:
            raise ServiceError(
                "Either Ipv6Addresses or Ipv6Prefixes must be specified.", code="MissingParameter"
            )
        for address in addresses:
            if address not in eni.ipv6_addresses:
                raise InvalidParameterValue(
                    f"The address {address} is not assigned to interface {eni.id}"
                )
            if address == eni.primary_ipv6:
                raise InvalidParameterValue(
                    f"The primary IPv6 address {address} of {eni.id} cannot be unassigned."
                )
        for prefix in prefixes:
            if prefix not in eni.ipv6_prefixes:
                raise InvalidParameterValue(
                    f"The prefix {prefix} is not assigned to interface {eni.id}"
                )
        commit()
        subnet = self.backend.vpcs.subnets.find(eni.subnet_id)
        for address in addresses:
            eni.ipv6_addresses = _without(eni.ipv6_addresses, address)
            if subnet is not None:
                self._release_ipv6(subnet, address)
        taken = self._ipv6_prefixes.get(eni.subnet_id, set())
        for prefix in prefixes:
            eni.ipv6_prefixes = _without(eni.ipv6_prefixes, prefix)
            taken.discard(prefix)
        return addresses, prefixes

    # -- permissions

    def create_permission(
        self, eni_id: str, account_id: str | None, service: str | None, permission: str
    ) -> InterfacePermission:
        eni = self.get(eni_id)
        if bool(account_id) == bool(service):
            raise InvalidParameterCombination(
                "Exactly one of AwsAccountId and AwsService must be specified."
            )
        if permission not in ("INSTANCE-ATTACH", "EIP-ASSOCIATE"):
            raise InvalidParameterValue(
                f"Invalid value '{permission}' for Permission. Valid values are INSTANCE-ATTACH, "
                "EIP-ASSOCIATE."
            )
        if account_id is not None and not (len(account_id) == 12 and account_id.isdigit()):
            raise InvalidParameterValue(f"Invalid value '{account_id}' for AwsAccountId.")
        for existing in self.permissions.lookup("interface", eni.id):
            # EC2 grants an interface to one account at a time
            if account_id is not None and existing.account_id not in (None, account_id):
                raise InvalidParameterValue(
                    f"Network interface {eni.id} already grants a permission to account "
                    f"{existing.account_id}; it can be granted to one account at a time."
                )
            if (existing.account_id, existing.service, existing.permission) == (
                account_id,
                service,
                permission,
            ):
                raise ServiceError(
                    f"The permission {permission} for {account_id or service} already exists "
                    f"on network interface {eni.id}.",
                    code="InvalidPermission.Duplicate",
                )
        commit()
        self._granted[eni.id] = self
        return self.permissions.add(
            InterfacePermission(
                id=self.backend.ids.new("eni-perm"),
                interface_id=eni.id,
                account_id=account_id,
                service=service,
                permission=permission,
            )
        )

    def delete_permission(self, permission_id: str, *, force: bool = False) -> None:
        permission = self.permissions.get(permission_id)
        eni = self.find(permission.interface_id)
        if (
            permission.permission == "INSTANCE-ATTACH"
            and eni is not None
            and eni.instance_owner_id not in (None, eni.owner_id)
            and eni.instance_owner_id == permission.account_id
            and not force
        ):
            raise ServiceError(
                f"The permission {permission.id} is in use by an attachment; use Force to "
                "remove it.",
                code="OperationNotPermitted",
            )
        commit()
        self.permissions.remove(permission.id)
        if not self.permissions.lookup("interface", permission.interface_id):
            self._granted.pop(permission.interface_id, None)

    # -- trunk interfaces

    def associate_trunk(
        self,
        branch_id: str,
        trunk_id: str,
        vlan_id: int | None,
        gre_key: int | None,
        client_token: str | None,
    ) -> TrunkAssociation:
        if client_token and client_token in self._trunk_tokens:
            found = self.trunk_associations.find(self._trunk_tokens[client_token])
            if found is not None:
                commit()
                return found
        branch = self.get(branch_id)
        trunk = self.get(trunk_id)
        if trunk.interface_type != "trunk":
            raise InvalidParameterValue(
                f"The network interface '{trunk.id}' is not a trunk interface."
            )
        if branch.interface_type != "branch":
            raise InvalidParameterValue(
                f"The network interface '{branch.id}' is not a branch interface."
            )
        if (vlan_id is None) == (gre_key is None):
            raise InvalidParameterCombination("Exactly one of VlanId and GreKey must be specified.")
        if vlan_id is not None and not 1 <= vlan_id <= 4094:
            raise InvalidParameterValue(
                f"Invalid value '{vlan_id}' for VlanId. It must be between 1 and 4094."
            )
        if self.trunk_associations.lookup("branch", branch.id):
            raise ServiceError(
                f"The branch interface '{branch.id}' is already associated with a trunk.",
                code="Resource.AlreadyAssociated",
            )
        for other in self.trunk_associations.lookup("trunk", trunk.id):
            if vlan_id is not None and other.vlan_id == vlan_id:
                raise InvalidParameterValue(
                    f"VLAN {vlan_id} is already in use on trunk interface '{trunk.id}'."
                )
            if gre_key is not None and other.gre_key == gre_key:
                raise InvalidParameterValue(
                    f"GRE key {gre_key} is already in use on trunk interface '{trunk.id}'."
                )
        commit()
        association = self.trunk_associations.add(
            TrunkAssociation(
                id=self.backend.ids.new("trunk-assoc"),
                branch_id=branch.id,
                trunk_id=trunk.id,
                protocol="VLAN" if vlan_id is not None else "GRE",
                vlan_id=vlan_id,
                gre_key=gre_key,
            )
        )
        if client_token:
            self._trunk_tokens[client_token] = association.id
        return association

    def disassociate_trunk(self, association_id: str) -> None:
        association = self.trunk_associations.get(association_id)
        commit()
        self.trunk_associations.remove(association.id)


#: describe filters answered from an index: filter name -> index name
_INDEXED_FILTERS = {"subnet-id": "subnet", "vpc-id": "vpc", "attachment.instance-id": "instance"}


def _addresses(first: int) -> list[str]:
    """The 16 dotted addresses of the /28 starting at ``first`` (cheaper than ipaddress)."""
    return [
        f"{(n >> 24) & 255}.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"
        for n in range(first, first + 16)
    ]


def _no_room(subnet: Subnet) -> ServiceError:
    return ServiceError(
        f"There are not enough free addresses in subnet '{subnet.id}' to satisfy the "
        "requested number of addresses.",
        code="InsufficientFreeAddressesInSubnet",
    )


def _attachment_getter(name: str) -> Any:
    def get(eni: NetworkInterface) -> Hashable:
        if eni.attachment_id is None:
            return None
        return {
            "attach-time": eni.attach_time,
            "attachment-id": eni.attachment_id,
            "delete-on-termination": eni.delete_on_termination,
            "device-index": eni.device_index,
            "instance-id": eni.instance_id,
            "instance-owner-id": eni.instance_owner_id or eni.owner_id,
            "status": eni.attachment_status,
        }[name]

    return get


NETWORK_INTERFACE_FILTERS = {
    "association.allocation-id": lambda e: e.allocation_id if e.public_ip else None,
    "association.association-id": lambda e: e.association_id if e.public_ip else None,
    "association.ip-owner-id": lambda e: (e.ip_owner_id or "amazon") if e.public_ip else None,
    "association.public-ip": lambda e: e.public_ip,
    "association.public-dns-name": lambda e: e.public_dns_name or None,
    "addresses.association.owner-id": lambda e: (
        (e.ip_owner_id or "amazon") if e.public_ip else None
    ),
    "addresses.association.public-ip": lambda e: e.public_ip,
    "addresses.primary": lambda e: [True] + [False] * len(e.secondary_ips),
    "addresses.private-ip-address": lambda e: e.private_ips,
    "attachment.attach-time": _attachment_getter("attach-time"),
    "attachment.attachment-id": _attachment_getter("attachment-id"),
    "attachment.delete-on-termination": _attachment_getter("delete-on-termination"),
    "attachment.device-index": _attachment_getter("device-index"),
    "attachment.instance-id": _attachment_getter("instance-id"),
    "attachment.instance-owner-id": _attachment_getter("instance-owner-id"),
    "attachment.status": _attachment_getter("status"),
    "availability-zone": lambda e: e.zone_name,
    "availability-zone-id": lambda e: e.zone_id,
    "description": lambda e: e.description,
    "group-id": lambda e: e.group_ids,
    "interface-type": lambda e: e.interface_type,
    "ipv6-addresses.ipv6-address": lambda e: e.ipv6_addresses,
    "mac-address": lambda e: e.mac_address,
    "network-interface-id": lambda e: e.id,
    "operator.managed": lambda e: e.operator_principal is not None,
    "operator.principal": lambda e: e.operator_principal,
    "owner-id": lambda e: e.owner_id,
    "private-dns-name": lambda e: e.private_dns_name,
    "private-ip-address": lambda e: e.private_ips,
    "requester-id": lambda e: e.requester_id,
    "requester-managed": lambda e: e.requester_managed,
    "source-dest-check": lambda e: e.source_dest_check,
    "status": lambda e: e.status,
    "subnet-id": lambda e: e.subnet_id,
    "vpc-id": lambda e: e.vpc_id,
}

PERMISSION_FILTERS = {
    "network-interface-permission.network-interface-permission-id": lambda p: p.id,
    "network-interface-permission.network-interface-id": lambda p: p.interface_id,
    "network-interface-permission.aws-account-id": lambda p: p.account_id,
    "network-interface-permission.aws-service": lambda p: p.service,
    "network-interface-permission.permission": lambda p: p.permission,
}

TRUNK_ASSOCIATION_FILTERS = {
    "gre-key": lambda a: a.gre_key,
    "interface-protocol": lambda a: a.protocol,
}
