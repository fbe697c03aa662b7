"""Security groups and their rules."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cloudmock.core.errors import ServiceError
from cloudmock.services.ec2.models.base import Resource, ResourceKind, Store

if TYPE_CHECKING:
    from cloudmock.services.ec2.models.backend import Ec2Backend
    from cloudmock.services.ec2.shapes import IpPermission
    from cloudmock.services.ec2.shapes import SecurityGroup as SecurityGroupShape

SECURITY_GROUP = ResourceKind(
    "sg", "security-group", "InvalidGroupId", "security group", not_found_stem="InvalidGroup"
)


@dataclass
class Rule:
    """One IpPermission: a protocol and port range, opened to CIDRs and/or other groups."""

    protocol: str = "-1"
    from_port: int | None = None
    to_port: int | None = None
    cidrs: list[str] = field(default_factory=list)
    ipv6_cidrs: list[str] = field(default_factory=list)
    #: (group id, owner account id)
    groups: list[tuple[str, str]] = field(default_factory=list)
    prefix_lists: list[str] = field(default_factory=list)

    def describe(self) -> IpPermission:
        out: IpPermission = {
            "IpProtocol": self.protocol,
            "UserIdGroupPairs": [{"UserId": owner, "GroupId": gid} for gid, owner in self.groups],
            "IpRanges": [{"CidrIp": cidr} for cidr in self.cidrs],
            "Ipv6Ranges": [{"CidrIpv6": cidr} for cidr in self.ipv6_cidrs],
            "PrefixListIds": [{"PrefixListId": p} for p in self.prefix_lists],
        }
        if self.from_port is not None:
            out["FromPort"] = self.from_port
        if self.to_port is not None:
            out["ToPort"] = self.to_port
        return out


@dataclass
class SecurityGroup(Resource):
    name: str
    description: str
    vpc_id: str
    owner_id: str
    region: str
    ingress: list[Rule] = field(default_factory=list)
    egress: list[Rule] = field(default_factory=list)

    @property
    def arn(self) -> str:
        return f"arn:aws:ec2:{self.region}:{self.owner_id}:security-group/{self.id}"

    def describe(self) -> SecurityGroupShape:
        out: SecurityGroupShape = {
            "GroupId": self.id,
            "IpPermissionsEgress": [rule.describe() for rule in self.egress],
            "VpcId": self.vpc_id,
            "SecurityGroupArn": self.arn,
            "OwnerId": self.owner_id,
            "GroupName": self.name,
            "Description": self.description,
            "IpPermissions": [rule.describe() for rule in self.ingress],
        }
        if self.tags:
            out["Tags"] = self.tag_list()
        return out


def default_group(group_id: str, vpc_id: str, owner_id: str, region: str) -> SecurityGroup:
    """Every VPC's ``default`` group: all traffic from itself in, everything out."""
    return SecurityGroup(
        id=group_id,
        name="default",
        description="default VPC security group",
        vpc_id=vpc_id,
        owner_id=owner_id,
        region=region,
        ingress=[Rule(groups=[(group_id, owner_id)])],
        egress=[Rule(cidrs=["0.0.0.0/0"])],
    )


class SecurityGroups:
    """The security-group family of one region."""

    def __init__(self, backend: Ec2Backend) -> None:
        self.backend = backend
        self.store: Store[SecurityGroup] = backend.new_store(SECURITY_GROUP)
        self.store.add_index("vpc-name", lambda g: (g.vpc_id, g.name))

    def create_default(self, vpc_id: str) -> SecurityGroup:
        """The ``default`` group every VPC is born with."""
        backend = self.backend
        return self.store.add(
            default_group(backend.ids.new("sg"), vpc_id, backend.account_id, backend.region)
        )

    def remove_vpc_defaults(self, vpc_id: str) -> None:
        """DeleteVpc: the default group goes with its VPC."""
        for group in self.store.lookup("vpc-name", (vpc_id, "default")):
            self.store.remove(group.id)

    def default_group(self, vpc_id: str) -> SecurityGroup:
        return self.group_by_name(vpc_id, "default")

    def group_by_name(self, vpc_id: str, name: str) -> SecurityGroup:
        found = self.store.lookup("vpc-name", (vpc_id, name))
        if not found:
            vpc = self.backend.vpcs.vpcs.find(vpc_id)
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


def _rule_values(rules: Iterable[Rule], attr: str) -> list[Any]:
    values: list[Any] = []
    for rule in rules:
        value = getattr(rule, attr)
        if isinstance(value, list):
            values.extend(value)
        elif value is not None:
            values.append(value)
    return values


def _group_ids(rules: Iterable[Rule]) -> list[str]:
    return [gid for rule in rules for gid, _ in rule.groups]


def _group_owners(rules: Iterable[Rule]) -> list[str]:
    return [owner for rule in rules for _, owner in rule.groups]


SECURITY_GROUP_FILTERS = {
    "description": lambda g: g.description,
    "group-id": lambda g: g.id,
    "group-name": lambda g: g.name,
    "owner-id": lambda g: g.owner_id,
    "vpc-id": lambda g: g.vpc_id,
    "ip-permission.cidr": lambda g: _rule_values(g.ingress, "cidrs"),
    "ip-permission.from-port": lambda g: _rule_values(g.ingress, "from_port"),
    "ip-permission.to-port": lambda g: _rule_values(g.ingress, "to_port"),
    "ip-permission.protocol": lambda g: _rule_values(g.ingress, "protocol"),
    "ip-permission.ipv6-cidr": lambda g: _rule_values(g.ingress, "ipv6_cidrs"),
    "ip-permission.prefix-list-id": lambda g: _rule_values(g.ingress, "prefix_lists"),
    "ip-permission.group-id": lambda g: _group_ids(g.ingress),
    "ip-permission.user-id": lambda g: _group_owners(g.ingress),
    "egress.ip-permission.cidr": lambda g: _rule_values(g.egress, "cidrs"),
    "egress.ip-permission.from-port": lambda g: _rule_values(g.egress, "from_port"),
    "egress.ip-permission.to-port": lambda g: _rule_values(g.egress, "to_port"),
    "egress.ip-permission.protocol": lambda g: _rule_values(g.egress, "protocol"),
    "egress.ip-permission.ipv6-cidr": lambda g: _rule_values(g.egress, "ipv6_cidrs"),
    "egress.ip-permission.prefix-list-id": lambda g: _rule_values(g.egress, "prefix_lists"),
    "egress.ip-permission.group-id": lambda g: _group_ids(g.egress),
    "egress.ip-permission.user-id": lambda g: _group_owners(g.egress),
}
