"""The network family of a region: VPCs, subnets, security groups and what a VPC is born with."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cloudmock.core.errors import ServiceError
from cloudmock.services.ec2.models.base import Store
from cloudmock.services.ec2.models.security_groups import (
    SECURITY_GROUP,
    SecurityGroup,
    default_group,
)
from cloudmock.services.ec2.models.vpcs import (
    DEFAULT_VPC_CIDR,
    DHCP_OPTIONS,
    INTERNET_GATEWAY,
    NETWORK_ACL,
    ROUTE_TABLE,
    SUBNET,
    VPC,
    DhcpOptions,
    InternetGateway,
    NetworkAcl,
    RouteTable,
    Subnet,
    Vpc,
    default_subnet_cidrs,
    dhcp_domain_name,
)

if TYPE_CHECKING:
    from cloudmock.services.ec2.models.backend import Ec2Backend


class Network:
    def __init__(self, backend: Ec2Backend) -> None:
        self.backend = backend
        self.vpcs: Store[Vpc] = backend.new_store(VPC)
        self.subnets: Store[Subnet] = backend.new_store(SUBNET)
        self.subnets.add_index("vpc", lambda s: s.vpc_id)
        self.security_groups: Store[SecurityGroup] = backend.new_store(SECURITY_GROUP)
        self.security_groups.add_index("vpc-name", lambda g: (g.vpc_id, g.name))
        self.route_tables: Store[RouteTable] = backend.new_store(ROUTE_TABLE)
        self.network_acls: Store[NetworkAcl] = backend.new_store(NETWORK_ACL)
        self.internet_gateways: Store[InternetGateway] = backend.new_store(INTERNET_GATEWAY)
        self.dhcp_options: Store[DhcpOptions] = backend.new_store(DHCP_OPTIONS)
        self.default_vpc_id: str | None = None

    def create_default_vpc(self) -> Vpc:
        """What a new AWS account finds in every region."""
        backend = self.backend
        ids, account, region = backend.ids, backend.account_id, backend.region
        dopt = self.dhcp_options.add(
            DhcpOptions(id=ids.new("dopt"), owner_id=account, domain_name=dhcp_domain_name(region))
        )
        vpc = self.vpcs.add(
            Vpc(
                id=ids.new("vpc"),
                cidr_block=DEFAULT_VPC_CIDR,
                owner_id=account,
                dhcp_options_id=dopt.id,
                cidr_association_id=ids.new("vpc-cidr-assoc"),
                is_default=True,
            )
        )
        self.default_vpc_id = vpc.id
        igw = self.internet_gateways.add(
            InternetGateway(id=ids.new("igw"), owner_id=account, attached_vpc_id=vpc.id)
        )
        self.route_tables.add(
            RouteTable(
                id=ids.new("rtb"),
                vpc_id=vpc.id,
                owner_id=account,
                main=True,
                association_id=ids.new("rtbassoc"),
                vpc_cidr=vpc.cidr_block,
                gateway_id=igw.id,
            )
        )
        self.network_acls.add(
            NetworkAcl(id=ids.new("acl"), vpc_id=vpc.id, owner_id=account, is_default=True)
        )
        self.security_groups.add(default_group(ids.new("sg"), vpc.id, account, region))
        zones = backend.region_info.zones
        for zone, cidr in zip(zones, default_subnet_cidrs(len(zones)), strict=False):
            self.subnets.add(
                Subnet(
                    id=ids.new("subnet"),
                    vpc_id=vpc.id,
                    cidr_block=cidr,
                    zone=zone,
                    owner_id=account,
                    region=region,
                    default_for_az=True,
                    map_public_ip_on_launch=True,
                )
            )
        return vpc

    def default_subnets(self) -> list[Subnet]:
        if self.default_vpc_id is None:
            return []
        return [s for s in self.subnets.lookup("vpc", self.default_vpc_id) if s.default_for_az]

    def default_group(self, vpc_id: str) -> SecurityGroup:
        return self.group_by_name(vpc_id, "default")

    def group_by_name(self, vpc_id: str, name: str) -> SecurityGroup:
        found = self.security_groups.lookup("vpc-name", (vpc_id, name))
        if not found:
            vpc = self.vpcs.find(vpc_id)
            where = (
                f"default VPC '{vpc_id}'"
                if vpc is not None and vpc.is_default
                else f"VPC '{vpc_id}'"
            )
            raise ServiceError(
                f"The security group '{name}' does not exist in {where}",
                code="InvalidGroup.NotFound",
            )
        return found[0]
