"""The VPC family of a region: VPCs, subnets, network ACLs, DHCP options, and the default VPC."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from cloudmock.core.errors import (
    InvalidParameterCombination,
    InvalidParameterValue,
    MissingParameter,
    ServiceError,
)
from cloudmock.services.ec2.dryrun import commit
from cloudmock.services.ec2.models.base import Resource, Store
from cloudmock.services.ec2.models.dhcp_options import (
    DHCP_OPTIONS,
    DhcpOptions,
    dhcp_domain_name,
    validate_configurations,
)
from cloudmock.services.ec2.models.network_acls import (
    DEFAULT_RULE,
    MAX_ACLS_PER_VPC,
    MAX_ENTRIES_PER_DIRECTION,
    NETWORK_ACL,
    AclEntry,
    NetworkAcl,
    build_entry,
)
from cloudmock.services.ec2.models.regions import Zone
from cloudmock.services.ec2.models.secondary_networks import SecondaryNetworks
from cloudmock.services.ec2.models.vpc_controls import VpcControls
from cloudmock.services.ec2.models.vpcs import (
    DEFAULT_SUBNET_PREFIX,
    DEFAULT_VPC_CIDR,
    MAX_SUBNETS_PER_VPC,
    MAX_VPC_IPV4_BLOCKS,
    MAX_VPC_IPV6_BLOCKS,
    SUBNET,
    SUBNET_CIDR_RESERVATION,
    VPC,
    CidrBlock,
    IPv4Net,
    IPv6Net,
    Subnet,
    SubnetCidrReservation,
    Vpc,
    check_secondary_range,
    check_vpc_range,
    default_subnet_cidrs,
    parse_ipv4_cidr,
    parse_ipv6_cidr,
)

if TYPE_CHECKING:
    from cloudmock.services.ec2.models.backend import Ec2Backend
    from cloudmock.services.ec2.shapes import Subnet as SubnetShape
    from cloudmock.services.ec2.shapes import Vpc as VpcShape

_OUTPOST_ARN = re.compile(r"^arn:aws[a-z-]*:outposts:[a-z0-9-]+:\d{12}:outpost/op-[0-9a-f]{17}$")
_COIP_POOL = re.compile(r"^ipv4pool-coip-[0-9a-f]{17}$")

#: the prefixes of the association ids this family hands out
_VPC_CIDR_ASSOC = "vpc-cidr-assoc"
_SUBNET_CIDR_ASSOC = "subnet-cidr-assoc"
_ACL_ASSOC = "aclassoc"


def _dependency(kind: str, resource_id: str) -> ServiceError:
    return ServiceError(
        f"The {kind} '{resource_id}' has dependencies and cannot be deleted.",
        code="DependencyViolation",
    )


def _check_assoc_id(value: str, prefix: str, code: str) -> None:
    if not re.fullmatch(rf"{prefix}-[0-9a-f]{{8,17}}", value):
        raise ServiceError(f'Invalid id: "{value}" (expecting "{prefix}-...")', code=code)


class Network:
    def __init__(self, backend: Ec2Backend) -> None:
        self.backend = backend
        self.vpcs: Store[Vpc] = backend.new_store(VPC)
        self.vpcs.add_index("dopt", lambda v: v.dhcp_options_id)
        self.subnets: Store[Subnet] = backend.new_store(SUBNET)
        self.subnets.add_index("vpc", lambda s: s.vpc_id)
        self.network_acls: Store[NetworkAcl] = backend.new_store(NETWORK_ACL)
        self.network_acls.add_index("vpc", lambda a: a.vpc_id)
        self.dhcp_options: Store[DhcpOptions] = backend.new_store(DHCP_OPTIONS)
        self.reservations: Store[SubnetCidrReservation] = backend.new_store(SUBNET_CIDR_RESERVATION)
        self.reservations.add_index("subnet", lambda r: r.subnet_id)
        self.default_vpc_id: str | None = None
        #: the DHCP option set new VPCs get (made with the default VPC)
        self.default_dhcp_options_id: str | None = None
        #: vpc id -> its default network ACL id
        self.default_acls: dict[str, str] = {}
        #: subnet id -> the ACL it is associated with; association id -> subnet id
        self.acl_of_subnet: dict[str, str] = {}
        self.acl_associations: dict[str, str] = {}
        #: CIDR association id -> the VPC or subnet holding it
        self.cidr_associations: dict[str, str] = {}
        #: CreateNetworkAcl ClientToken -> (VpcId asked, ACL id)
        self.acl_tokens: dict[str, tuple[str, str]] = {}
        self._ipv6_blocks: set[str] = set()
        #: other families' clean-up when a subnet or VPC is deleted (a route table's subnet
        #: association goes with the subnet, as EC2 does): called with the id, after the checks
        #: passed and the resource is gone
        self.subnet_deleted: list[Callable[[str], None]] = []
        self.vpc_deleted: list[Callable[[str], None]] = []
        #: Block Public Access and encryption controls; secondary (RDMA) networks
        self.controls = VpcControls(backend, self)
        self.secondary = SecondaryNetworks(backend)

    # -- what describes show: a VPC's or subnet's own fields and the region's controls

    def describe_vpc(self, vpc: Vpc) -> VpcShape:
        out = vpc.describe()
        out["BlockPublicAccessStates"] = {
            "InternetGatewayBlockMode": self.controls.block_mode_for(vpc.id)
        }
        control = self.controls.control_of(vpc.id)
        if control is not None:
            out["EncryptionControl"] = control.describe()
        return out

    def describe_subnet(self, subnet: Subnet) -> SubnetShape:
        out = subnet.describe()
        out["BlockPublicAccessStates"] = {
            "InternetGatewayBlockMode": self.controls.block_mode_for(subnet.vpc_id, subnet.id)
        }
        return out

    # -- helpers

    def _later(self, resource: Resource, action: Callable[[Any], None]) -> None:
        self.backend.schedule(self.backend.options.transition_delay, resource, action)

    def zone(self, name: str | None, zone_id: str | None, *, required: bool = False) -> Zone:
        """A zone of this region by name or id, or EC2's choice when neither is given."""
        zones = self.backend.region_info.zones
        if name is not None and zone_id is not None:
            raise InvalidParameterCombination(
                "The parameter availabilityZone cannot be used with the parameter availabilityZoneId"
            )
        if name is not None:
            for zone in zones:
                if zone.name == name:
                    return zone
            raise InvalidParameterValue(
                f"Value ({name}) for parameter availabilityZone is invalid. Subnets can currently "
                f"only be created in the following availability zones: {', '.join(z.name for z in zones)}."
            )
        if zone_id is not None:
            for zone in zones:
                if zone.zone_id == zone_id:
                    return zone
            raise InvalidParameterValue(
                f"Value ({zone_id}) for parameter availabilityZoneId is invalid. Subnets can "
                "currently only be created in the following availability zone ids: "
                f"{', '.join(z.zone_id for z in zones)}."
            )
        if required:
            raise MissingParameter("AvailabilityZone or AvailabilityZoneId")
        return self.backend.rng.choice(zones)

    def _new_ipv6_block(self) -> str:
        """An Amazon-provided /56, unique in this region."""
        while True:
            hexes = self.backend.ids.hex(8)
            cidr = f"2600:1f{hexes[:2]}:{hexes[2:6]}:{hexes[6:8]}00::/56"
            if cidr not in self._ipv6_blocks:
                self._ipv6_blocks.add(cidr)
                return cidr

    def _border_group(self, amazon: bool | None, group: str | None) -> str | None:
        if group is None:
            return self.backend.region if amazon else None
        if not amazon:
            raise InvalidParameterCombination(
                "The parameter Ipv6CidrBlockNetworkBorderGroup requires AmazonProvidedIpv6CidrBlock."
            )
        if group != self.backend.region:
            raise InvalidParameterValue(
                f"Value ({group}) for parameter ipv6CidrBlockNetworkBorderGroup is invalid. "
                f"Network border groups of {self.backend.region}: {self.backend.region}"
            )
        return group

    def _default_dhcp_options(self) -> str:
        dopt_id = self.default_dhcp_options_id
        if dopt_id is not None and dopt_id in self.dhcp_options:
            return dopt_id
        if dopt_id is not None:  # the default set was deleted: new VPCs get none
            return "default"
        backend = self.backend
        dopt = self.dhcp_options.add(
            DhcpOptions(
                id=backend.ids.new("dopt"),
                owner_id=backend.account_id,
                configurations={
                    "domain-name": [dhcp_domain_name(backend.region)],
                    "domain-name-servers": ["AmazonProvidedDNS"],
                },
            )
        )
        self.default_dhcp_options_id = dopt.id
        return dopt.id

    # -- VPCs

    def _built_ins(self, vpc: Vpc, gateway_id: str | None = None) -> None:
        """What every VPC is born with: its main route table, default group and default ACL."""
        backend = self.backend
        backend.route_tables.create_main(vpc.id, vpc.cidr_block, gateway_id=gateway_id)
        backend.security_groups.create_default(vpc.id)
        acl = self.network_acls.add(
            NetworkAcl(
                id=backend.ids.new("acl"),
                vpc_id=vpc.id,
                owner_id=backend.account_id,
                is_default=True,
                ipv6=bool(vpc.ipv6),
            )
        )
        for egress in (False, True):
            acl.entries[(egress, 100)] = AclEntry(100, egress, "-1", "allow", cidr="0.0.0.0/0")
            if vpc.ipv6:
                acl.entries[(egress, 101)] = AclEntry(101, egress, "-1", "allow", ipv6_cidr="::/0")
        self.default_acls[vpc.id] = acl.id

    def create_default_vpc(self) -> Vpc:
        """What a new AWS account finds in every region (and CreateDefaultVpc makes again)."""
        backend = self.backend
        ids, account = backend.ids, backend.account_id
        association = ids.new(_VPC_CIDR_ASSOC)
        vpc = self.vpcs.add(
            Vpc(
                id=ids.new("vpc"),
                cidr_block=DEFAULT_VPC_CIDR,
                owner_id=account,
                dhcp_options_id=self._default_dhcp_options(),
                cidr_association_id=association,
                is_default=True,
                enable_dns_hostnames=True,
            )
        )
        self.cidr_associations[association] = vpc.id
        self.default_vpc_id = vpc.id
        igw = backend.internet_gateways.create(attached_vpc_id=vpc.id)
        self._built_ins(vpc, gateway_id=igw.id)
        zones = backend.region_info.zones
        for zone, cidr in zip(zones, default_subnet_cidrs(len(zones)), strict=False):
            self._add_subnet(vpc, zone, cidr, default_for_az=True, map_public_ip_on_launch=True)
        return vpc

    def create_default_vpc_request(self) -> Vpc:
        if self.default_vpc_id is not None:
            raise ServiceError(
                "A Default VPC already exists for this account in this region.",
                code="DefaultVpcAlreadyExists",
            )
        self._check_vpc_quota()
        commit()
        return self.create_default_vpc()

    def _check_vpc_quota(self) -> None:
        if len(self.vpcs) >= self.backend.options.vpc_limit:
            raise ServiceError(
                "The maximum number of VPCs has been reached.", code="VpcLimitExceeded"
            )

    def default_subnets(self) -> list[Subnet]:
        if self.default_vpc_id is None:
            return []
        return [s for s in self.subnets.lookup("vpc", self.default_vpc_id) if s.default_for_az]

    def create_vpc(
        self,
        *,
        cidr: str | None,
        tenancy: str | None,
        amazon_ipv6: bool | None,
        border_group: str | None,
        tags: Mapping[str, str],
        encryption: Mapping[str, str | None] | None = None,
        encryption_tags: Mapping[str, str] | None = None,
    ) -> Vpc:
        if cidr is None:
            raise ServiceError(
                "Either 'cidrBlock' or 'ipv4IpamPoolId' should be provided.",
                code="MissingParameter",
            )
        network = parse_ipv4_cidr(cidr)
        check_vpc_range(network, cidr)
        self._check_vpc_quota()
        tenancy = tenancy or "default"
        if tenancy not in ("default", "dedicated"):
            raise InvalidParameterValue(
                f"Value ({tenancy}) for parameter instanceTenancy is invalid. "
                "A VPC's tenancy can be default or dedicated."
            )
        group = self._border_group(amazon_ipv6, border_group)
        switches: dict[str, str | None] = {}
        if encryption is not None:
            switches = {
                k.removesuffix("Exclusion"): v for k, v in encryption.items() if k != "Mode"
            }
            self.controls.check_configuration(encryption.get("Mode") or "monitor", switches)
        commit()
        backend = self.backend
        association = backend.ids.new(_VPC_CIDR_ASSOC)
        vpc = self.vpcs.add(
            Vpc(
                id=backend.ids.new("vpc"),
                cidr_block=str(network),
                owner_id=backend.account_id,
                dhcp_options_id=self._default_dhcp_options(),
                cidr_association_id=association,
                instance_tenancy=tenancy,
                state="pending",
                tags=dict(tags),
            )
        )
        self.cidr_associations[association] = vpc.id
        if amazon_ipv6:
            self._add_vpc_ipv6(vpc, group)
        self._built_ins(vpc)
        if encryption is not None:
            self.controls.create_control(
                vpc.id, encryption_tags or {}, encryption.get("Mode"), switches, checked=True
            )
        self._later(vpc, lambda v: setattr(v, "state", "available"))
        return vpc

    def _add_vpc_ipv6(self, vpc: Vpc, group: str | None) -> CidrBlock:
        block = CidrBlock(
            self.backend.ids.new(_VPC_CIDR_ASSOC),
            self._new_ipv6_block(),
            state="associating",
            network_border_group=group,
            pool="Amazon",
        )
        vpc.ipv6.append(block)
        self.cidr_associations[block.association_id] = vpc.id
        self._later(vpc, lambda _: _settle(block, "associating", "associated"))
        for acl in self.network_acls.lookup("vpc", vpc.id):
            acl.ipv6 = True
            if acl.is_default:
                # EC2 opens the default ACL to IPv6 as it opened it to IPv4
                for egress in (False, True):
                    acl.entries.setdefault(
                        (egress, 101), AclEntry(101, egress, "-1", "allow", ipv6_cidr="::/0")
                    )
        return block

    def delete_vpc(self, vpc_id: str) -> None:
        vpc = self.vpcs.get(vpc_id)
        if self.subnets.lookup("vpc", vpc_id):
            raise _dependency("vpc", vpc_id)
        if any(not acl.is_default for acl in self.network_acls.lookup("vpc", vpc_id)):
            raise _dependency("vpc", vpc_id)
        if self.backend.dependents(vpc_id):
            raise _dependency("vpc", vpc_id)
        commit()
        backend = self.backend
        backend.security_groups.remove_vpc_defaults(vpc_id)
        backend.route_tables.remove_vpc_defaults(vpc_id)
        for acl in self.network_acls.lookup("vpc", vpc_id):
            self.network_acls.remove(acl.id)
        self.default_acls.pop(vpc_id, None)
        for block in [*vpc.ipv4_blocks(), *vpc.ipv6]:
            self.cidr_associations.pop(block.association_id, None)
        self.controls.forget(vpc_id)
        control = self.controls.control_of(vpc_id)
        if control is not None:
            self.controls.encryption.remove(control.id)
        vpc.generation += 1
        self.vpcs.remove(vpc_id)
        if self.default_vpc_id == vpc_id:
            self.default_vpc_id = None
        for listener in self.vpc_deleted:
            listener(vpc_id)

    def associate_vpc_cidr(
        self,
        vpc_id: str,
        *,
        cidr: str | None,
        amazon_ipv6: bool | None,
        border_group: str | None,
    ) -> CidrBlock:
        vpc = self.vpcs.get(vpc_id)
        if cidr is not None and amazon_ipv6:
            raise InvalidParameterCombination(
                "The parameter cidrBlock cannot be used with the parameter amazonProvidedIpv6CidrBlock"
            )
        if cidr is None and not amazon_ipv6:
            raise MissingParameter("CidrBlock or AmazonProvidedIpv6CidrBlock")
        group = self._border_group(amazon_ipv6, border_group)
        if cidr is not None:
            network = parse_ipv4_cidr(cidr)
            if not 16 <= network.prefixlen <= 28:
                raise ServiceError(f"The CIDR '{cidr}' is invalid.", code="InvalidVpc.Range")
            live = [b for b in vpc.ipv4_blocks() if b.state in ("associating", "associated")]
            if len(live) >= MAX_VPC_IPV4_BLOCKS:
                raise ServiceError(
                    f"This network '{vpc.id}' has met its maximum number of allowed CIDRs: "
                    f"{MAX_VPC_IPV4_BLOCKS}",
                    code="CidrLimitExceeded",
                )
            for block in live:
                if network.overlaps(block.network):
                    raise ServiceError(
                        f"The CIDR '{cidr}' conflicts with another CIDR block of the vpc "
                        f"'{vpc.id}' ({block.cidr}).",
                        code="InvalidVpc.Range",
                    )
            check_vpc_range(network, cidr)
            check_secondary_range(IPv4Net(vpc.cidr_block), network, cidr)
            commit()
            block = CidrBlock(
                self.backend.ids.new(_VPC_CIDR_ASSOC), str(network), state="associating"
            )
            vpc.secondary.append(block)
            self.cidr_associations[block.association_id] = vpc.id
            self._later(vpc, lambda _: _settle(block, "associating", "associated"))
            return block
        live6 = [b for b in vpc.ipv6 if b.state in ("associating", "associated")]
        if len(live6) >= MAX_VPC_IPV6_BLOCKS:
            raise ServiceError(
                f"This network '{vpc.id}' has met its maximum number of allowed IPv6 CIDRs: "
                f"{MAX_VPC_IPV6_BLOCKS}",
                code="CidrLimitExceeded",
            )
        commit()
        return self._add_vpc_ipv6(vpc, group)

    def disassociate_vpc_cidr(self, association_id: str) -> tuple[Vpc, CidrBlock]:
        _check_assoc_id(
            association_id, _VPC_CIDR_ASSOC, "InvalidVpcCidrBlockAssociationID.Malformed"
        )
        vpc = self.vpcs.find(self.cidr_associations.get(association_id, ""))
        block = None
        if vpc is not None:
            block = next(
                (b for b in [*vpc.ipv4_blocks(), *vpc.ipv6] if b.association_id == association_id),
                None,
            )
        if vpc is None or block is None or block.state in ("disassociating", "disassociated"):
            raise ServiceError(
                f"The vpc CIDR block association ID '{association_id}' does not exist",
                code="InvalidVpcCidrBlockAssociationID.NotFound",
            )
        if block is vpc.primary:
            raise ServiceError(
                f"The vpc CIDR block with association ID {association_id} may not be "
                "disassociated. It is the primary IPv4 CIDR block of the VPC",
                code="OperationNotPermitted",
            )
        network = block.network
        for subnet in self.subnets.lookup("vpc", vpc.id):
            nets: list[IPv4Net | IPv6Net] = [b.network for b in subnet.ipv6_blocks]
            if subnet.network is not None:
                nets.append(subnet.network)
            if any(n.version == network.version and n.subnet_of(network) for n in nets):  # type: ignore[arg-type]
                raise ServiceError(
                    f"The vpc {vpc.id} currently has a subnet within CIDR block {block.cidr}",
                    code="InvalidCidrBlock.InUse",
                )
        commit()
        block.state = "disassociating"
        if block in vpc.secondary:
            # an IPv4 block leaves the VPC's list once gone
            self._later(vpc, lambda v: _drop_secondary(self, v, block))
        else:
            self._later(vpc, lambda _: _settle(block, "disassociating", "disassociated"))
            self._ipv6_blocks.discard(block.cidr)
        return vpc, block

    def modify_vpc_attribute(self, vpc_id: str, attributes: Mapping[str, bool | None]) -> None:
        vpc = self.vpcs.get(vpc_id)
        given = {name: value for name, value in attributes.items() if value is not None}
        if len(given) != 1:
            if not given:
                raise MissingParameter(
                    "EnableDnsSupport, EnableDnsHostnames or EnableNetworkAddressUsageMetrics"
                )
            raise InvalidParameterCombination(
                "Fields for multiple attribute types specified: " + ", ".join(given)
            )
        [(name, value)] = given.items()
        if name == "enableDnsHostnames" and value and not vpc.enable_dns_support:
            raise InvalidParameterValue(
                "enableDnsHostnames cannot be enabled while enableDnsSupport is disabled."
            )
        commit()
        if name == "enableDnsSupport":
            vpc.enable_dns_support = bool(value)
        elif name == "enableDnsHostnames":
            vpc.enable_dns_hostnames = bool(value)
        else:
            vpc.enable_network_address_usage_metrics = bool(value)

    def vpc_attribute(self, vpc_id: str, attribute: str) -> bool:
        vpc = self.vpcs.get(vpc_id)
        values = {
            "enableDnsSupport": vpc.enable_dns_support,
            "enableDnsHostnames": vpc.enable_dns_hostnames,
            "enableNetworkAddressUsageMetrics": vpc.enable_network_address_usage_metrics,
        }
        if attribute not in values:
            raise InvalidParameterValue(
                f"Value ({attribute}) for parameter attribute is invalid. "
                f"Valid values: {', '.join(values)}"
            )
        return values[attribute]

    def modify_vpc_tenancy(self, vpc_id: str, tenancy: str) -> None:
        vpc = self.vpcs.get(vpc_id)
        if tenancy != "default":
            raise InvalidParameterValue(
                f"Value ({tenancy}) for parameter instanceTenancy is invalid. "
                "A VPC's tenancy can only be changed to default."
            )
        commit()
        vpc.instance_tenancy = "default"

    # -- subnets

    def _add_subnet(
        self,
        vpc: Vpc,
        zone: Zone,
        cidr: str | None,
        *,
        ipv6: str | None = None,
        state: str = "available",
        **attributes: Any,
    ) -> Subnet:
        backend = self.backend
        subnet = Subnet(
            id=backend.ids.new("subnet"),
            vpc_id=vpc.id,
            cidr_block=cidr,
            zone=zone,
            owner_id=backend.account_id,
            region=backend.region,
            state=state,
            _rng_seed=backend.rng.getrandbits(64),
            **attributes,
        )
        if ipv6 is not None:
            block = CidrBlock(backend.ids.new(_SUBNET_CIDR_ASSOC), ipv6)
            subnet.ipv6_blocks.append(block)
            self.cidr_associations[block.association_id] = subnet.id
        self.subnets.add(subnet)
        acl_id = self.default_acls.get(vpc.id)
        if acl_id is not None:
            self._associate_acl(subnet.id, self.network_acls.get(acl_id))
        return subnet

    def _check_subnet_ipv4(self, vpc: Vpc, cidr: str) -> IPv4Net:
        network = parse_ipv4_cidr(cidr)
        if not 16 <= network.prefixlen <= 28 or not any(
            network.subnet_of(block) for block in vpc.ipv4_networks() if block
        ):
            raise ServiceError(f"The CIDR '{cidr}' is invalid.", code="InvalidSubnet.Range")
        for other in self.subnets.lookup("vpc", vpc.id):
            if other.network is not None and network.overlaps(other.network):
                raise ServiceError(
                    f"The CIDR '{cidr}' conflicts with another subnet",
                    code="InvalidSubnet.Conflict",
                )
        return network

    def _check_subnet_ipv6(self, vpc: Vpc, cidr: str, subnet: Subnet | None = None) -> IPv6Net:
        network = parse_ipv6_cidr(cidr)
        blocks = [ipaddress.IPv6Network(b.cidr) for b in vpc.ipv6 if b.state == "associated"]
        if network.prefixlen != 64 or not any(network.subnet_of(b) for b in blocks):
            raise ServiceError(f"The IPv6 CIDR '{cidr}' is invalid.", code="InvalidSubnet.Range")
        for other in self.subnets.lookup("vpc", vpc.id):
            for block in other.ipv6_blocks:
                if block.state in ("associating", "associated") and network.overlaps(block.network):
                    raise ServiceError(
                        f"The IPv6 CIDR '{cidr}' conflicts with another subnet",
                        code="InvalidSubnet.Conflict",
                    )
        return network

    def create_subnet(
        self,
        *,
        vpc_id: str,
        cidr: str | None,
        ipv6_cidr: str | None,
        zone: str | None,
        zone_id: str | None,
        outpost_arn: str | None,
        ipv6_native: bool | None,
        tags: Mapping[str, str],
    ) -> Subnet:
        vpc = self.vpcs.get(vpc_id)
        where = self.zone(zone, zone_id)
        if ipv6_native:
            if cidr is not None:
                raise InvalidParameterCombination(
                    "The parameter cidrBlock cannot be used with the parameter ipv6Native"
                )
            if ipv6_cidr is None:
                raise MissingParameter("Ipv6CidrBlock")
        elif cidr is None:
            raise ServiceError(
                "Either 'cidrBlock' or 'ipv4IpamPoolId' should be provided.",
                code="MissingParameter",
            )
        network = self._check_subnet_ipv4(vpc, cidr) if cidr is not None else None
        network6 = self._check_subnet_ipv6(vpc, ipv6_cidr) if ipv6_cidr is not None else None
        if len(self.subnets.lookup("vpc", vpc.id)) >= MAX_SUBNETS_PER_VPC:
            raise ServiceError(
                f"The maximum number of subnets ({MAX_SUBNETS_PER_VPC}) for the vpc "
                f"'{vpc.id}' has been reached.",
                code="SubnetLimitExceeded",
            )
        if outpost_arn is not None and not _OUTPOST_ARN.match(outpost_arn):
            raise InvalidParameterValue(
                f"Value ({outpost_arn}) for parameter outpostArn is invalid. "
                "Expecting arn:aws:outposts:REGION:ACCOUNT:outpost/op-..."
            )
        commit()
        subnet = self._add_subnet(
            vpc,
            where,
            str(network) if network is not None else None,
            ipv6=str(network6) if network6 is not None else None,
            state="pending",
            ipv6_native=bool(ipv6_native),
            # an IPv6-only subnet hands out IPv6 addresses and resource names, nothing else
            assign_ipv6_on_creation=bool(ipv6_native),
            hostname_type="resource-name" if ipv6_native else "ip-name",
            outpost_arn=outpost_arn,
            tags=dict(tags),
        )
        self._later(subnet, lambda s: setattr(s, "state", "available"))
        return subnet

    def create_default_subnet(
        self, zone: str | None, zone_id: str | None, ipv6_native: bool | None
    ) -> Subnet:
        where = self.zone(zone, zone_id, required=True)
        vpc = self.vpcs.find(self.default_vpc_id or "")
        if vpc is None:
            raise ServiceError(
                "No default VPC exists for this account in this region. "
                "Create a default VPC first (CreateDefaultVpc).",
                code="DefaultVpcDoesNotExist",
            )
        subnets = self.subnets.lookup("vpc", vpc.id)
        existing = next((s for s in subnets if s.default_for_az and s.zone == where), None)
        if existing is not None:
            raise ServiceError(
                f"A Default Subnet already exists in this Availability Zone: {existing.id}",
                code="DefaultSubnetAlreadyExistsInAvailabilityZone",
            )
        if ipv6_native:
            blocks = [ipaddress.IPv6Network(b.cidr) for b in vpc.ipv6 if b.state == "associated"]
            taken6 = {b.cidr for s in subnets for b in s.ipv6_blocks}
            free6 = next(
                (str(n) for b in blocks for n in b.subnets(new_prefix=64) if str(n) not in taken6),
                None,
            )
            if free6 is None:
                raise ServiceError(
                    f"The default VPC '{vpc.id}' has no free IPv6 block for an IPv6-only subnet.",
                    code="InvalidSubnet.Range",
                )
            commit()
            return self._add_subnet(
                vpc,
                where,
                None,
                ipv6=free6,
                default_for_az=True,
                ipv6_native=True,
                hostname_type="resource-name",
                assign_ipv6_on_creation=True,
            )
        taken = [s.network for s in subnets if s.network is not None]
        cidr = next(
            (
                str(n)
                for n in IPv4Net(vpc.cidr_block).subnets(
                    new_prefix=max(DEFAULT_SUBNET_PREFIX, IPv4Net(vpc.cidr_block).prefixlen)
                )
                if not any(n.overlaps(t) for t in taken)
            ),
            None,
        )
        if cidr is None:
            raise ServiceError(
                f"The default VPC '{vpc.id}' has no free /20 CIDR block for a default subnet.",
                code="InsufficientFreeAddressesInSubnet",
            )
        commit()
        return self._add_subnet(vpc, where, cidr, default_for_az=True, map_public_ip_on_launch=True)

    def delete_subnet(self, subnet_id: str) -> None:
        subnet = self.subnets.get(subnet_id)
        if subnet.used_ips or subnet.used_ipv6 or self.backend.dependents(subnet_id):
            raise _dependency("subnet", subnet_id)
        commit()
        acl_id = self.acl_of_subnet.pop(subnet_id, None)
        acl = self.network_acls.find(acl_id or "")
        if acl is not None:
            association = acl.associations.pop(subnet_id, None)
            self.acl_associations.pop(association or "", None)
        for reservation in self.reservations.lookup("subnet", subnet_id):
            self.reservations.remove(reservation.id)
        for block in subnet.ipv6_blocks:
            self.cidr_associations.pop(block.association_id, None)
        self.controls.forget(subnet_id)
        subnet.generation += 1
        self.subnets.remove(subnet_id)
        for listener in self.subnet_deleted:
            listener(subnet_id)

    def modify_subnet_attribute(self, subnet_id: str, changes: Mapping[str, Any]) -> None:
        subnet = self.subnets.get(subnet_id)
        pool = changes.get("CustomerOwnedIpv4Pool")
        given = {k: v for k, v in changes.items() if v is not None and k != "CustomerOwnedIpv4Pool"}
        if not given:
            if pool is not None:
                raise MissingParameter("MapCustomerOwnedIpOnLaunch")
            raise MissingParameter("an attribute to modify")
        if len(given) > 1:
            raise InvalidParameterCombination(
                "Fields for multiple attribute types specified: " + ", ".join(given)
            )
        [(name, value)] = given.items()
        if pool is not None and name != "MapCustomerOwnedIpOnLaunch":
            raise InvalidParameterCombination(
                "The parameter CustomerOwnedIpv4Pool can only be used with MapCustomerOwnedIpOnLaunch"
            )
        if (
            name
            in (
                "MapCustomerOwnedIpOnLaunch",
                "EnableLniAtDeviceIndex",
                "DisableLniAtDeviceIndex",
            )
            and subnet.outpost_arn is None
        ):
            raise InvalidParameterValue(
                f"The attribute {name} applies only to subnets on an Outpost; "
                f"subnet '{subnet.id}' is not on an Outpost."
            )
        if name == "MapCustomerOwnedIpOnLaunch":
            if value and pool is None:
                raise MissingParameter("CustomerOwnedIpv4Pool")
            if pool is not None and not _COIP_POOL.match(pool):
                raise InvalidParameterValue(
                    f"Value ({pool}) for parameter customerOwnedIpv4Pool is invalid."
                )
        if name == "EnableLniAtDeviceIndex" and value < 1:
            raise InvalidParameterValue(
                f"Value ({value}) for parameter enableLniAtDeviceIndex is invalid. "
                "A local network interface cannot be the primary network interface (device index 0)."
            )
        if name == "AssignIpv6AddressOnCreation" and value and not subnet.ipv6_cidrs():
            raise InvalidParameterValue(
                "Invalid value 'true' for assign-ipv6-address-on-creation. Cannot set "
                "assign-ipv6-address-on-creation to true unless the subnet "
                f"({subnet.id}) has an IPv6 CIDR block associated with it."
            )
        if name == "AssignIpv6AddressOnCreation" and not value and subnet.ipv6_native:
            raise InvalidParameterValue(
                "AssignIpv6AddressOnCreation cannot be disabled on an IPv6-only subnet."
            )
        if name == "MapPublicIpOnLaunch" and value and subnet.ipv6_native:
            raise InvalidParameterValue(
                "MapPublicIpOnLaunch cannot be enabled on an IPv6-only subnet."
            )
        if name == "PrivateDnsHostnameTypeOnLaunch":
            if value not in ("ip-name", "resource-name"):
                raise InvalidParameterValue(
                    f"Value ({value}) for parameter privateDnsHostnameTypeOnLaunch is invalid."
                )
            if value == "ip-name" and subnet.ipv6_native:
                raise InvalidParameterValue(
                    "The hostname type ip-name is not supported on an IPv6-only subnet."
                )
        commit()
        if name == "MapPublicIpOnLaunch":
            subnet.map_public_ip_on_launch = value
        elif name == "AssignIpv6AddressOnCreation":
            subnet.assign_ipv6_on_creation = value
        elif name == "EnableDns64":
            subnet.enable_dns64 = value
        elif name == "PrivateDnsHostnameTypeOnLaunch":
            subnet.hostname_type = value
        elif name == "EnableResourceNameDnsARecordOnLaunch":
            subnet.dns_a_record = value
        elif name == "EnableResourceNameDnsAAAARecordOnLaunch":
            subnet.dns_aaaa_record = value
        elif name == "MapCustomerOwnedIpOnLaunch":
            subnet.map_customer_owned_ip_on_launch = value
            subnet.customer_owned_ipv4_pool = pool if value else None
        elif name == "EnableLniAtDeviceIndex":
            subnet.enable_lni_at_device_index = value
        elif name == "DisableLniAtDeviceIndex" and value:
            subnet.enable_lni_at_device_index = None

    def associate_subnet_cidr(self, subnet_id: str, ipv6_cidr: str | None) -> CidrBlock:
        subnet = self.subnets.get(subnet_id)
        if ipv6_cidr is None:
            raise MissingParameter("Ipv6CidrBlock")
        vpc = self.vpcs.get(subnet.vpc_id)
        if any(b.state in ("associating", "associated") for b in subnet.ipv6_blocks):
            raise ServiceError(
                f"The subnet '{subnet.id}' already has an IPv6 CIDR block associated.",
                code="CidrLimitExceeded",
            )
        network = self._check_subnet_ipv6(vpc, ipv6_cidr)
        commit()
        block = CidrBlock(
            self.backend.ids.new(_SUBNET_CIDR_ASSOC), str(network), state="associating"
        )
        subnet.ipv6_blocks = [b for b in subnet.ipv6_blocks if b.state != "disassociated"]
        subnet.ipv6_blocks.append(block)
        self.cidr_associations[block.association_id] = subnet.id
        self._later(subnet, lambda _: _settle(block, "associating", "associated"))
        return block

    def disassociate_subnet_cidr(self, association_id: str) -> tuple[Subnet, CidrBlock]:
        _check_assoc_id(
            association_id, _SUBNET_CIDR_ASSOC, "InvalidSubnetCidrBlockAssociationID.Malformed"
        )
        subnet = self.subnets.find(self.cidr_associations.get(association_id, ""))
        block = None
        if subnet is not None:
            block = next(
                (b for b in subnet.ipv6_blocks if b.association_id == association_id), None
            )
        if subnet is None or block is None or block.state in ("disassociating", "disassociated"):
            raise ServiceError(
                f"The subnet CIDR block with association ID '{association_id}' does not exist",
                code="InvalidSubnetCidrBlockAssociationID.NotFound",
            )
        if subnet.used_ipv6 or subnet.ipv6_native:
            raise ServiceError(
                f"The subnet '{subnet.id}' has IPv6 addresses in use in {block.cidr}",
                code="InvalidCidrBlock.InUse",
            )
        commit()
        block.state = "disassociating"
        self._later(subnet, lambda _: _settle(block, "disassociating", "disassociated"))
        return subnet, block

    # -- subnet CIDR reservations

    def create_reservation(
        self,
        subnet_id: str,
        cidr: str,
        reservation_type: str,
        description: str | None,
        tags: Mapping[str, str],
    ) -> SubnetCidrReservation:
        subnet = self.subnets.get(subnet_id)
        if reservation_type not in ("prefix", "explicit"):
            raise InvalidParameterValue(
                f"Value ({reservation_type}) for parameter reservationType is invalid. "
                "Valid values: prefix, explicit"
            )
        network: IPv4Net | IPv6Net
        if ":" in cidr:
            network6 = network = parse_ipv6_cidr(cidr, "cidr")
            inside = any(
                network6.subnet_of(ipaddress.IPv6Network(b.cidr))
                for b in subnet.ipv6_blocks
                if b.state == "associated"
            )
        else:
            network = parse_ipv4_cidr(cidr, "cidr")
            inside = subnet.network is not None and network.subnet_of(subnet.network)
        if not inside:
            raise InvalidParameterValue(
                f"The CIDR '{cidr}' is not within the CIDR blocks of subnet '{subnet.id}'."
            )
        for other in self.reservations.lookup("subnet", subnet_id):
            if other.network.version == network.version and other.network.overlaps(network):  # type: ignore[arg-type]
                raise InvalidParameterValue(
                    f"The CIDR '{cidr}' overlaps the subnet CIDR reservation {other.id}."
                )
        commit()
        reservation = self.reservations.add(
            SubnetCidrReservation(
                id=self.backend.ids.new("scr"),
                subnet_id=subnet_id,
                cidr=str(network),
                reservation_type=reservation_type,
                owner_id=self.backend.account_id,
                description=description,
                tags=dict(tags),
            )
        )
        if isinstance(network, IPv4Net):
            subnet.reserved.append(network)
        return reservation

    def delete_reservation(self, reservation_id: str) -> SubnetCidrReservation:
        reservation = self.reservations.get(reservation_id)
        commit()
        self.reservations.remove(reservation_id)
        subnet = self.subnets.find(reservation.subnet_id)
        if subnet is not None and isinstance(reservation.network, IPv4Net):
            subnet.unreserve(reservation.network)
        return reservation

    # -- network ACLs

    def _associate_acl(self, subnet_id: str, acl: NetworkAcl) -> str:
        association = self.backend.ids.new(_ACL_ASSOC)
        acl.associations[subnet_id] = association
        self.acl_of_subnet[subnet_id] = acl.id
        self.acl_associations[association] = subnet_id
        return association

    def create_network_acl(
        self, vpc_id: str, tags: Mapping[str, str], client_token: str | None
    ) -> NetworkAcl:
        if client_token is not None and client_token in self.acl_tokens:
            asked, acl_id = self.acl_tokens[client_token]
            if asked != vpc_id:
                raise ServiceError(
                    "The client token you have provided is associated with a resource that "
                    "is already deleted or was created with different parameters.",
                    code="IdempotentParameterMismatch",
                )
            found = self.network_acls.find(acl_id)
            if found is not None:
                commit()
                return found
        vpc = self.vpcs.get(vpc_id)
        if len(self.network_acls.lookup("vpc", vpc_id)) >= MAX_ACLS_PER_VPC:
            raise ServiceError(
                f"The maximum number of network ACLs ({MAX_ACLS_PER_VPC}) for the vpc "
                f"'{vpc_id}' has been reached.",
                code="NetworkAclLimitExceeded",
            )
        commit()
        acl = self.network_acls.add(
            NetworkAcl(
                id=self.backend.ids.new("acl"),
                vpc_id=vpc.id,
                owner_id=self.backend.account_id,
                is_default=False,
                ipv6=bool(vpc.ipv6),
                tags=dict(tags),
            )
        )
        if client_token is not None:
            self.acl_tokens[client_token] = (vpc_id, acl.id)
        return acl

    def delete_network_acl(self, acl_id: str) -> None:
        acl = self.network_acls.get(acl_id)
        if acl.is_default:
            raise InvalidParameterValue(f"cannot delete default network ACL {acl_id}")
        if acl.associations:
            raise _dependency("network ACL", acl_id)
        commit()
        self.network_acls.remove(acl_id)

    def set_acl_entry(self, acl_id: str, *, replace: bool, **request: Any) -> None:
        acl = self.network_acls.get(acl_id)
        entry = build_entry(**request)
        key = (entry.egress, entry.rule_number)
        if replace and key not in acl.entries:
            raise ServiceError(
                f"The network acl entry identified by {entry.rule_number} could not be found.",
                code="InvalidNetworkAclEntry.NotFound",
            )
        if not replace and key in acl.entries:
            raise ServiceError(
                f"The network acl entry identified by {entry.rule_number} already exists.",
                code="NetworkAclEntryAlreadyExists",
            )
        if not replace and (
            sum(1 for egress, _ in acl.entries if egress == entry.egress)
            >= MAX_ENTRIES_PER_DIRECTION
        ):
            raise ServiceError(
                f"The maximum number of {'egress' if entry.egress else 'ingress'} rules "
                f"({MAX_ENTRIES_PER_DIRECTION}) for the network ACL '{acl.id}' has been reached.",
                code="NetworkAclEntryLimitExceeded",
            )
        commit()
        acl.entries[key] = entry

    def delete_acl_entry(self, acl_id: str, rule_number: int, egress: bool) -> None:
        acl = self.network_acls.get(acl_id)
        if rule_number >= DEFAULT_RULE or rule_number < 1:
            raise InvalidParameterValue(
                f"Value ({rule_number}) for parameter ruleNumber is invalid. "
                "Rule numbers must be between 1 and 32766."
            )
        if (egress, rule_number) not in acl.entries:
            raise ServiceError(
                f"The network acl entry identified by {rule_number} could not be found.",
                code="InvalidNetworkAclEntry.NotFound",
            )
        commit()
        del acl.entries[(egress, rule_number)]

    def replace_acl_association(self, association_id: str, acl_id: str) -> str:
        _check_assoc_id(association_id, _ACL_ASSOC, "InvalidAssociationID.Malformed")
        subnet_id = self.acl_associations.get(association_id)
        if subnet_id is None:
            raise ServiceError(
                f"The association ID '{association_id}' does not exist",
                code="InvalidAssociationID.NotFound",
            )
        acl = self.network_acls.get(acl_id)
        current = self.network_acls.get(self.acl_of_subnet[subnet_id])
        if acl.vpc_id != current.vpc_id:
            raise InvalidParameterValue(
                f"Network ACL {acl.id} and subnet {subnet_id} belong to different networks."
            )
        commit()
        del current.associations[subnet_id]
        del self.acl_associations[association_id]
        return self._associate_acl(subnet_id, acl)

    # -- DHCP options

    def create_dhcp_options(
        self, configurations: Sequence[Mapping[str, Any]], tags: Mapping[str, str]
    ) -> DhcpOptions:
        config = validate_configurations(configurations)
        commit()
        return self.dhcp_options.add(
            DhcpOptions(
                id=self.backend.ids.new("dopt"),
                owner_id=self.backend.account_id,
                configurations=config,
                tags=dict(tags),
            )
        )

    def associate_dhcp_options(self, dopt_id: str, vpc_id: str) -> None:
        if dopt_id != "default":
            self.dhcp_options.get(dopt_id)
        vpc = self.vpcs.get(vpc_id)
        commit()
        vpc.dhcp_options_id = dopt_id
        self.vpcs.reindex(vpc)

    def delete_dhcp_options(self, dopt_id: str) -> None:
        self.dhcp_options.get(dopt_id)
        if self.vpcs.lookup("dopt", dopt_id):
            raise _dependency("dhcpOptions", dopt_id)
        commit()
        self.dhcp_options.remove(dopt_id)


def _settle(block: CidrBlock, before: str, after: str) -> None:
    if block.state == before:
        block.state = after


def _drop_secondary(network: Network, vpc: Vpc, block: CidrBlock) -> None:
    if block in vpc.secondary:
        vpc.secondary.remove(block)
        network.cidr_associations.pop(block.association_id, None)
