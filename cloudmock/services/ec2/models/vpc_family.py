"""The VPC family of a region: VPCs, subnets, network ACLs, DHCP options, and the default VPC."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cloudmock.services.ec2.models.base import Store
from cloudmock.services.ec2.models.vpcs import (
    DEFAULT_VPC_CIDR,
    DHCP_OPTIONS,
    NETWORK_ACL,
    SUBNET,
    VPC,
    DhcpOptions,
    NetworkAcl,
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
        self.network_acls: Store[NetworkAcl] = backend.new_store(NETWORK_ACL)
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
        igw = backend.internet_gateways.create(attached_vpc_id=vpc.id)
        backend.route_tables.create_main(vpc.id, vpc.cidr_block, gateway_id=igw.id)
        self.network_acls.add(
            NetworkAcl(id=ids.new("acl"), vpc_id=vpc.id, owner_id=account, is_default=True)
        )
        backend.security_groups.create_default(vpc.id)
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
