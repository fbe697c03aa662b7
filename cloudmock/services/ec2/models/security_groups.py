"""Security groups, their rules (``sgr-`` resources) and their VPC associations."""

from __future__ import annotations

import ipaddress
import itertools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cloudmock.core.errors import (
    InvalidParameterCombination,
    InvalidParameterValue,
    MissingParameter,
    ServiceError,
)
from cloudmock.services.ec2.models.base import Resource, ResourceKind, Store

if TYPE_CHECKING:
    from cloudmock.services.ec2.models.backend import Ec2Backend
    from cloudmock.services.ec2.shapes import (
        IpPermission,
        RevokedSecurityGroupRule,
        SecurityGroupForVpc,
        SecurityGroupReference,
        StaleIpPermission,
        StaleSecurityGroup,
        UserIdGroupPair,
    )
    from cloudmock.services.ec2.shapes import SecurityGroup as SecurityGroupShape
    from cloudmock.services.ec2.shapes import SecurityGroupRule as SecurityGroupRuleShape
    from cloudmock.services.ec2.shapes import (
        SecurityGroupVpcAssociation as SecurityGroupVpcAssociationShape,
    )

SECURITY_GROUP = ResourceKind(
    "sg", "security-group", "InvalidGroupId", "security group", not_found_stem="InvalidGroup"
)
SECURITY_GROUP_RULE = ResourceKind(
    "sgr", "security-group-rule", "InvalidSecurityGroupRuleId", "security group rule ID"
)
# Associations have no id of their own in EC2; this kind only keys their store.
_ASSOCIATION = ResourceKind(
    "sgvpcassoc", "security-group-vpc-association", "InvalidAssociationID", "association"
)

#: EC2's default quotas (Amazon VPC quotas)
RULES_PER_DIRECTION = 60
GROUPS_PER_VPC = 2500
GROUPS_PER_INTERFACE = 5
MAX_NAME = 255

#: what group names and descriptions may contain (VPC groups)
_ALLOWED = re.compile(r"^[a-zA-Z0-9 ._\-:/()#,@\[\]+=&;{}!$*]*$")
_ALLOWED_TEXT = "a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=&;{}!$*"

_PROTOCOL_NAMES = {
    "tcp": "tcp",
    "udp": "udp",
    "icmp": "icmp",
    "icmpv6": "icmpv6",
    "-1": "-1",
    "6": "tcp",
    "17": "udp",
    "1": "icmp",
    "58": "icmpv6",
}

NOT_FOUND_RULE = "The specified rule does not exist in this security group."


# -- what a request asks for, normalised


@dataclass(frozen=True)
class RuleSpec:
    """One rule as asked for: a protocol and port range, and exactly one source."""

    protocol: str
    from_port: int | None
    to_port: int | None
    #: "cidr", "ipv6", "group" or "pl"
    kind: str
    value: str
    description: str | None = None
    ref_user_id: str | None = None
    #: the referenced group's VPC, when it is not the rule's own
    ref_vpc_id: str | None = None
    peering_id: str | None = None
    #: group names never change, so a rule can keep the one it references
    ref_group_name: str | None = None

    @property
    def key(self) -> tuple[Any, ...]:
        """What makes two rules the same rule (the description does not)."""
        return (self.protocol, self.from_port, self.to_port, self.kind, self.value)

    def permission(self) -> IpPermission:
        return _permission(
            self.protocol,
            self.from_port,
            self.to_port,
            self.kind,
            self.value,
            self.description,
            self.ref_user_id,
            self.ref_vpc_id,
            self.peering_id,
        )


def _permission(
    protocol: str,
    from_port: int | None,
    to_port: int | None,
    kind: str,
    value: str,
    description: str | None,
    user_id: str | None,
    vpc_id: str | None,
    peering_id: str | None,
) -> IpPermission:
    out: IpPermission = {
        "IpProtocol": protocol,
        "UserIdGroupPairs": [],
        "IpRanges": [],
        "Ipv6Ranges": [],
        "PrefixListIds": [],
    }
    if from_port is not None:
        out["FromPort"] = from_port
    if to_port is not None:
        out["ToPort"] = to_port
    _add_source(out, kind, value, description, user_id, vpc_id, peering_id)
    return out


def _add_source(
    permission: IpPermission,
    kind: str,
    value: str,
    description: str | None,
    user_id: str | None,
    vpc_id: str | None,
    peering_id: str | None,
) -> None:
    extra: dict[str, str] = {"Description": description} if description else {}
    if kind == "cidr":
        permission["IpRanges"].append({"CidrIp": value, **extra})  # type: ignore[typeddict-item]
    elif kind == "ipv6":
        permission["Ipv6Ranges"].append({"CidrIpv6": value, **extra})  # type: ignore[typeddict-item]
    elif kind == "pl":
        permission["PrefixListIds"].append({"PrefixListId": value, **extra})  # type: ignore[typeddict-item]
    else:
        pair: UserIdGroupPair = {"GroupId": value}
        if user_id:
            pair["UserId"] = user_id
        if vpc_id:
            pair["VpcId"] = vpc_id
        if peering_id:
            pair["VpcPeeringConnectionId"] = peering_id
            pair["PeeringStatus"] = "active"
        if description:
            pair["Description"] = description
        permission["UserIdGroupPairs"].append(pair)


@dataclass
class SecurityGroupRule(Resource):
    """One rule of a group: a protocol and port range opened to one source."""

    group_id: str
    group_owner_id: str
    #: the group's VPC (its references are checked against it)
    vpc_id: str
    region: str
    is_egress: bool
    protocol: str
    from_port: int | None
    to_port: int | None
    kind: str
    value: str
    description: str | None = None
    ref_user_id: str | None = None
    ref_vpc_id: str | None = None
    peering_id: str | None = None
    ref_group_name: str | None = None
    #: creation order across the region's rules
    sequence: int = field(default=0, repr=False)

    @property
    def key(self) -> tuple[Any, ...]:
        return (self.protocol, self.from_port, self.to_port, self.kind, self.value)

    @property
    def arn(self) -> str:
        return f"arn:aws:ec2:{self.region}:{self.group_owner_id}:security-group-rule/{self.id}"

    def source(self, name: str) -> str | None:
        return self.value if self.kind == name else None

    def _ports(self) -> tuple[int, int]:
        # The rules API shows -1/-1 where the group API shows no ports (all traffic).
        return (
            -1 if self.from_port is None else self.from_port,
            -1 if self.to_port is None else self.to_port,
        )

    def describe(self) -> SecurityGroupRuleShape:
        from_port, to_port = self._ports()
        out: SecurityGroupRuleShape = {
            "SecurityGroupRuleId": self.id,
            "GroupId": self.group_id,
            "GroupOwnerId": self.group_owner_id,
            "IsEgress": self.is_egress,
            "IpProtocol": self.protocol,
            "FromPort": from_port,
            "ToPort": to_port,
            "Tags": self.tag_list(),
            "SecurityGroupRuleArn": self.arn,
        }
        if self.kind == "cidr":
            out["CidrIpv4"] = self.value
        elif self.kind == "ipv6":
            out["CidrIpv6"] = self.value
        elif self.kind == "pl":
            out["PrefixListId"] = self.value
        else:
            info: dict[str, str] = {"GroupId": self.value}
            if self.ref_user_id:
                info["UserId"] = self.ref_user_id
            if self.ref_vpc_id:
                info["VpcId"] = self.ref_vpc_id
            if self.peering_id:
                info["VpcPeeringConnectionId"] = self.peering_id
                info["PeeringStatus"] = "active"
            out["ReferencedGroupInfo"] = info  # type: ignore[typeddict-item]
        if self.description:
            out["Description"] = self.description
        return out

    def revoked(self) -> RevokedSecurityGroupRule:
        from_port, to_port = self._ports()
        out: RevokedSecurityGroupRule = {
            "SecurityGroupRuleId": self.id,
            "GroupId": self.group_id,
            "IsEgress": self.is_egress,
            "IpProtocol": self.protocol,
            "FromPort": from_port,
            "ToPort": to_port,
        }
        if self.kind == "cidr":
            out["CidrIpv4"] = self.value
        elif self.kind == "ipv6":
            out["CidrIpv6"] = self.value
        elif self.kind == "pl":
            out["PrefixListId"] = self.value
        else:
            out["ReferencedGroupId"] = self.value
        if self.description:
            out["Description"] = self.description
        return out


def group_permissions(rules: Iterable[SecurityGroupRule]) -> list[IpPermission]:
    """Rules as DescribeSecurityGroups shows them: one IpPermission per protocol and ports."""
    out: dict[tuple[str, int | None, int | None], IpPermission] = {}
    for rule in rules:
        slot = (rule.protocol, rule.from_port, rule.to_port)
        permission = out.get(slot)
        if permission is None:
            permission = out[slot] = _permission(
                rule.protocol, rule.from_port, rule.to_port, "", "", None, None, None, None
            )
            permission["UserIdGroupPairs"].clear()
        _add_source(
            permission,
            rule.kind,
            rule.value,
            rule.description,
            rule.ref_user_id,
            rule.ref_vpc_id,
            rule.peering_id,
        )
    return list(out.values())


@dataclass
class SecurityGroup(Resource):
    name: str
    description: str
    vpc_id: str
    owner_id: str
    region: str
    #: rule id -> rule, in the order they were added
    rules: dict[str, SecurityGroupRule] = field(default_factory=dict)
    #: (is_egress, rule key) -> rule id: duplicates and revokes are lookups
    keys: dict[tuple[bool, tuple[Any, ...]], str] = field(default_factory=dict)

    @property
    def arn(self) -> str:
        return f"arn:aws:ec2:{self.region}:{self.owner_id}:security-group/{self.id}"

    @property
    def ingress(self) -> list[SecurityGroupRule]:
        return [r for r in self.rules.values() if not r.is_egress]

    @property
    def egress(self) -> list[SecurityGroupRule]:
        return [r for r in self.rules.values() if r.is_egress]

    def describe(self) -> SecurityGroupShape:
        out: SecurityGroupShape = {
            "GroupId": self.id,
            "IpPermissionsEgress": group_permissions(self.egress),
            "VpcId": self.vpc_id,
            "SecurityGroupArn": self.arn,
            "OwnerId": self.owner_id,
            "GroupName": self.name,
            "Description": self.description,
            "IpPermissions": group_permissions(self.ingress),
        }
        if self.tags:
            out["Tags"] = self.tag_list()
        return out

    def describe_for_vpc(self) -> SecurityGroupForVpc:
        out: SecurityGroupForVpc = {
            "Description": self.description,
            "GroupName": self.name,
            "OwnerId": self.owner_id,
            "GroupId": self.id,
            "PrimaryVpcId": self.vpc_id,
        }
        if self.tags:
            out["Tags"] = self.tag_list()
        return out


@dataclass
class VpcAssociation(Resource):
    """A group made usable in another VPC of the region (AssociateSecurityGroupVpc)."""

    group_id: str
    vpc_id: str
    group_owner_id: str
    vpc_owner_id: str
    state: str = "associating"
    state_reason: str | None = None
    generation: int = 0

    def describe(self) -> SecurityGroupVpcAssociationShape:
        out: SecurityGroupVpcAssociationShape = {
            "GroupId": self.group_id,
            "VpcId": self.vpc_id,
            "VpcOwnerId": self.vpc_owner_id,
            "State": self.state,
            "GroupOwnerId": self.group_owner_id,
        }
        if self.state_reason:
            out["StateReason"] = self.state_reason
        return out


def default_group(group_id: str, vpc_id: str, owner_id: str, region: str) -> SecurityGroup:
    """A VPC's ``default`` group, before its rules are added."""
    return SecurityGroup(
        id=group_id,
        name="default",
        description="default VPC security group",
        vpc_id=vpc_id,
        owner_id=owner_id,
        region=region,
    )


# -- parsing the request's rules


def parse_protocol(value: Any) -> str:
    if value is None or str(value).strip() == "":
        raise MissingParameter("ipPermissions.ipProtocol")
    text = str(value).strip().lower()
    if text in _PROTOCOL_NAMES:
        return _PROTOCOL_NAMES[text]
    if text.lstrip("-").isdigit():
        number = int(text)
        if number == -1:
            return "-1"
        if 0 <= number <= 255:
            return _PROTOCOL_NAMES.get(str(number), str(number))
    raise InvalidParameterValue(f"Invalid value '{value}' for IP protocol. Unknown protocol.")


def parse_ports(
    protocol: str, from_port: int | None, to_port: int | None
) -> tuple[int | None, int | None]:
    """The port range EC2 keeps for ``protocol`` (None: all ports), or EC2's error."""
    if protocol in ("tcp", "udp"):
        if from_port is None or to_port is None:
            raise InvalidParameterValue(
                "Invalid value 'Must specify both from and to ports with TCP/UDP.' for portRange."
            )
        for port in (from_port, to_port):
            if not 0 <= port <= 65535:
                raise ServiceError(
                    f"TCP/UDP port ({port}) out of range", code="InvalidPermission.Malformed"
                )
        if from_port > to_port:
            raise InvalidParameterValue(
                f"Invalid value 'Invalid TCP/UDP port range: {from_port} > {to_port}' "
                "for portRange."
            )
        return from_port, to_port
    if protocol in ("icmp", "icmpv6"):
        if from_port is None and to_port is None and protocol == "icmpv6":
            return -1, -1
        if from_port is None or to_port is None:
            raise InvalidParameterValue(
                "Invalid value 'Must specify both from and to ports with ICMP.' for portRange."
            )
        if not -1 <= from_port <= 255:
            raise ServiceError(
                f"ICMP type ({from_port}) out of range", code="InvalidPermission.Malformed"
            )
        if not -1 <= to_port <= 255:
            raise ServiceError(
                f"ICMP code ({to_port}) out of range", code="InvalidPermission.Malformed"
            )
        if from_port == -1 and to_port != -1:
            raise InvalidParameterValue(
                f"Invalid value 'ICMP code ({to_port}) must be -1 when the ICMP type is -1' "
                "for portRange."
            )
        return from_port, to_port
    # -1 and other protocol numbers: all ports, whatever was asked
    return None, None


def canonical_cidr(value: str | None, version: int, parameter: str) -> str:
    if not value:
        raise MissingParameter(parameter)
    try:
        network = ipaddress.ip_network(value.strip(), strict=False)
    except ValueError:
        network = None
    if network is None or network.version != version or "/" not in value:
        what = "CIDR block" if version == 4 else "IPv6 CIDR block"
        raise InvalidParameterValue(
            f"Value ({value}) for parameter {parameter} is invalid. This is not a valid {what}."
        )
    return str(network)


def _duplicate(spec: RuleSpec) -> ServiceError:
    peer = spec.value
    if spec.protocol == "-1":
        what = "ALL"
    elif spec.protocol in ("icmp", "icmpv6"):
        what = f"{spec.protocol.upper()}, type: {spec.from_port}, code: {spec.to_port}"
    elif spec.protocol in ("tcp", "udp"):
        what = f"{spec.protocol.upper()}, from port: {spec.from_port}, to port: {spec.to_port}"
    else:
        what = f"{spec.protocol}"
    return ServiceError(
        f'the specified rule "peer: {peer}, {what}, ALLOW" already exists',
        code="InvalidPermission.Duplicate",
    )


def _check_text(value: str | None, parameter: str) -> str:
    if value is None or value == "":
        raise MissingParameter(parameter)
    if len(value) > MAX_NAME:
        raise InvalidParameterValue(
            f"Value ({value}) for parameter {parameter} is invalid. "
            f"Length exceeds maximum of {MAX_NAME} characters."
        )
    if not value.isascii():
        raise InvalidParameterValue(
            f"Value ({value}) for parameter {parameter} is invalid. "
            "Character sets beyond ASCII are not supported."
        )
    if not _ALLOWED.match(value):
        raise InvalidParameterValue(
            f"Value ({value}) for parameter {parameter} is invalid. "
            f"Valid characters are {_ALLOWED_TEXT}"
        )
    return value


def _rule_description(value: str | None) -> str | None:
    if value is None:
        return None
    if len(value) > MAX_NAME:
        raise InvalidParameterValue(
            f"Invalid rule description: length exceeds maximum of {MAX_NAME} characters."
        )
    if not value.isascii() or not _ALLOWED.match(value):
        raise InvalidParameterValue(
            f"Invalid rule description. Valid characters are {_ALLOWED_TEXT}"
        )
    return value or None


class SecurityGroups:
    """The security-group family of one region."""

    def __init__(self, backend: Ec2Backend) -> None:
        self.backend = backend
        self.store: Store[SecurityGroup] = backend.new_store(SECURITY_GROUP)
        self.store.add_index("vpc-name", lambda g: (g.vpc_id, g.name))
        # Names are unique in a VPC whatever their case.
        self.store.add_index("vpc-lname", lambda g: (g.vpc_id, g.name.lower()))
        self.store.add_index("vpc", lambda g: g.vpc_id)
        self.rules: Store[SecurityGroupRule] = backend.new_store(SECURITY_GROUP_RULE)
        self.rules.add_index("pl", lambda r: r.value if r.kind == "pl" else None)
        self.rules.add_index("group", lambda r: r.group_id)
        self._sequence = itertools.count()
        self.associations: Store[VpcAssociation] = Store(_ASSOCIATION)
        self.associations.add_index("vpc", lambda a: a.vpc_id)
        self.associations.add_index("group", lambda a: a.group_id)
        # Groups and references cross accounts (shared VPCs, peering): kept in EC2's shared state.
        shared = backend.shared
        #: group id -> group, every account's and region's
        self.registry: dict[str, SecurityGroup] = shared.setdefault("security-groups", {})
        #: (owner, vpc id, lower-cased name) -> group id
        self.names: dict[tuple[str, str, str], str] = shared.setdefault("security-group-names", {})
        #: referenced group id -> {rule id: rule} of every rule naming it
        self.references: dict[str, dict[str, SecurityGroupRule]] = shared.setdefault(
            "security-group-references", {}
        )
        #: the peering family's answer to "is VPC a peered with VPC b?": the pcx id or None
        self.peering_sources: list[Callable[[str, str], str | None]] = []
        backend.depends_on("vpc", self._vpc_users)
        backend.depends_on("pl", self._prefix_list_users_text)

    # -- hooks for other families

    def _vpc_users(self, vpc_id: str) -> str | None:
        own = [g.id for g in self.store.lookup("vpc", vpc_id) if g.name != "default"]
        associated = [a.group_id for a in self.associations.lookup("vpc", vpc_id)]
        users = own + associated
        return ", ".join(users) if users else None

    def _prefix_list_users_text(self, prefix_list_id: str) -> str | None:
        users = self.prefix_list_users(prefix_list_id)
        return ", ".join(gid for gid, _ in users) if users else None

    def prefix_list_users(self, prefix_list_id: str) -> list[tuple[str, str]]:
        """(group id, owner) of every group with a rule referencing the list."""
        return list(
            dict.fromkeys(
                (r.group_id, r.group_owner_id) for r in self.rules.lookup("pl", prefix_list_id)
            )
        )

    def prefix_list_resize(self, prefix_list_id: str, new_max: int) -> str | None:
        """Whether every group referencing the list still fits its rule quota at ``new_max``."""
        for group_id, _ in self.prefix_list_users(prefix_list_id):
            group = self.store.find(group_id)
            if group is None:
                continue
            for egress in (False, True):
                used = sum(
                    new_max if r.kind == "pl" and r.value == prefix_list_id else self._weight(r)
                    for r in group.rules.values()
                    if r.is_egress == egress
                )
                if used > RULES_PER_DIRECTION:
                    return (
                        f"The prefix list cannot be resized to {new_max} entries: security "
                        f"group {group_id} would exceed its rule quota."
                    )
        return None

    # -- the default group

    def create_default(self, vpc_id: str) -> SecurityGroup:
        """The ``default`` group every VPC is born with: all traffic from itself in, all out."""
        backend = self.backend
        group = self._add(
            default_group(backend.ids.new("sg"), vpc_id, backend.account_id, backend.region)
        )
        self._add_rules(
            group,
            False,
            [
                RuleSpec(
                    "-1",
                    None,
                    None,
                    "group",
                    group.id,
                    ref_user_id=group.owner_id,
                    ref_group_name=group.name,
                )
            ],
            {},
        )
        self._add_rules(group, True, [RuleSpec("-1", None, None, "cidr", "0.0.0.0/0")], {})
        return group

    def remove_vpc_defaults(self, vpc_id: str) -> None:
        """DeleteVpc: the default group goes with its VPC."""
        for group in self.store.lookup("vpc-name", (vpc_id, "default")):
            self.delete(group)

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

    def named(self, group_id: str | None, group_name: str | None) -> SecurityGroup:
        """A request's GroupId, or its GroupName in the default VPC (``[Default VPC]`` members)."""
        if group_id:
            return self.store.get(group_id)
        if group_name:
            return self.group_by_name(self.backend.vpcs.default_vpc_id or "none", group_name)
        raise MissingParameter("groupName or groupId")

    def in_default_vpc(self, group: SecurityGroup) -> bool:
        vpc = self.backend.vpcs.vpcs.find(group.vpc_id)
        return vpc is not None and vpc.is_default

    # -- groups

    def _add(self, group: SecurityGroup) -> SecurityGroup:
        self.store.add(group)
        self.registry[group.id] = group
        self.names[(group.owner_id, group.vpc_id, group.name.lower())] = group.id
        return group

    def check_create(self, name: str | None, description: str | None, vpc_id: str | None) -> str:
        """Everything CreateSecurityGroup checks; the VPC the group goes into."""
        if name is None or name == "":
            raise InvalidParameterValue(
                "Value () for parameter groupName is invalid. The value cannot be empty"
            )
        _check_text(name, "GroupName")
        if name.lower().startswith("sg-"):
            raise InvalidParameterValue(
                f"Value ({name}) for parameter GroupName is invalid. "
                "Group names may not be in the format sg-*."
            )
        _check_text(description, "GroupDescription")
        network = self.backend.vpcs
        if vpc_id is None:
            if network.default_vpc_id is None:
                raise ServiceError("No default VPC for this user", code="VPCIdNotSpecified")
            vpc_id = network.default_vpc_id
        else:
            network.vpcs.get(vpc_id)
        if self.store.lookup("vpc-lname", (vpc_id, name.lower())):
            raise ServiceError(
                f"The security group '{name}' already exists for VPC '{vpc_id}'",
                code="InvalidGroup.Duplicate",
            )
        if len(self.store.lookup("vpc", vpc_id)) >= GROUPS_PER_VPC:
            raise ServiceError(
                "You have exceeded the number of VPC security groups allowed per VPC.",
                code="SecurityGroupLimitExceeded",
            )
        return vpc_id

    def create(
        self, name: str, description: str, vpc_id: str, tags: dict[str, str]
    ) -> SecurityGroup:
        """A new group: no inbound rules, all traffic out (EC2's default egress rule)."""
        backend = self.backend
        group = self._add(
            SecurityGroup(
                id=backend.ids.new("sg"),
                name=name,
                description=description,
                vpc_id=vpc_id,
                owner_id=backend.account_id,
                region=backend.region,
                tags=tags,
            )
        )
        self._add_rules(group, True, [RuleSpec("-1", None, None, "cidr", "0.0.0.0/0")], {})
        return group

    def check_delete(self, group_id: str | None, group_name: str | None) -> SecurityGroup:
        group = self.named(group_id, group_name)
        if group.name == "default":
            raise ServiceError(
                f'the specified group: "{group.id}" name: "default" cannot be deleted by a user',
                code="CannotDelete",
            )
        referencing = [
            r
            for r in list(self.references.get(group.id, {}).values())
            if r.group_id != group.id and r.vpc_id == group.vpc_id
        ]
        if (
            referencing
            or self.associations.lookup("group", group.id)
            or self.backend.dependents(group.id)
        ):
            raise ServiceError(
                f"resource {group.id} has a dependent object", code="DependencyViolation"
            )
        return group

    def delete(self, group: SecurityGroup) -> None:
        for rule in list(group.rules.values()):
            self._remove_rule(group, rule)
        self.store.remove(group.id)
        self.registry.pop(group.id, None)
        self.names.pop((group.owner_id, group.vpc_id, group.name.lower()), None)

    # -- resolving sources

    def connection(self, vpc_id: str, other: SecurityGroup) -> tuple[bool, str | None]:
        """Whether a group in ``vpc_id`` may reference ``other``, and over which peering."""
        if other.vpc_id == vpc_id:
            return True, None
        for association in self.associations.lookup("group", other.id):
            if association.vpc_id == vpc_id and association.state == "associated":
                return True, None
        for source in self.peering_sources:
            peering = source(vpc_id, other.vpc_id)
            if peering:
                return True, peering
        return False, None

    def _referenced(self, group: SecurityGroup, pair: Mapping[str, Any]) -> SecurityGroup:
        own = self.backend.account_id
        group_id = pair.get("GroupId")
        name = pair.get("GroupName")
        user = pair.get("UserId") or None
        if group_id:
            # Another account's group is named with its owner (UserId), as in EC2.
            found = (
                self.store.find(group_id)
                if user is None or user == own
                else self.registry.get(group_id)
            )
            if found is not None and (user is None or found.owner_id == user):
                return found
            self.store.check_id(group_id)
            raise SECURITY_GROUP.not_found([group_id])
        if name:
            if user is None or user == own:
                return self.group_by_name(group.vpc_id, name)
            found_id = self.names.get((user, group.vpc_id, name.lower()))
            if found_id is None or found_id not in self.registry:
                raise ServiceError(
                    f"The security group '{name}' does not exist", code="InvalidGroup.NotFound"
                )
            return self.registry[found_id]
        raise MissingParameter("ipPermissions.groups.groupId")

    def _group_spec(
        self,
        group: SecurityGroup,
        pair: Mapping[str, Any],
        protocol: str,
        ports: tuple[int | None, int | None],
        description: str | None,
        existing: bool = False,
    ) -> RuleSpec:
        if existing and pair.get("GroupId"):
            # Naming a rule that exists (revoke, descriptions): the id is enough, even when
            # the group it references is gone or out of reach (a stale rule).
            self.store.check_id(pair["GroupId"])
            return RuleSpec(protocol, ports[0], ports[1], "group", pair["GroupId"], description)
        other = self._referenced(group, pair)
        allowed, peering = self.connection(group.vpc_id, other)
        if not allowed:
            raise ServiceError(
                "You have specified two resources that belong to different networks.",
                code="InvalidParameter",
            )
        return RuleSpec(
            protocol,
            ports[0],
            ports[1],
            "group",
            other.id,
            description,
            ref_user_id=other.owner_id,
            ref_vpc_id=other.vpc_id if other.vpc_id != group.vpc_id else None,
            peering_id=peering,
            ref_group_name=other.name,
        )

    def parse_permissions(
        self,
        group: SecurityGroup,
        permissions: Sequence[Mapping[str, Any]] | None,
        existing: bool = False,
    ) -> list[RuleSpec]:
        """IpPermissions -> one spec per (protocol, ports, source), validated and resolved."""
        specs: list[RuleSpec] = []
        for permission in permissions or ():
            protocol = parse_protocol(permission.get("IpProtocol"))
            ports = parse_ports(protocol, permission.get("FromPort"), permission.get("ToPort"))
            before = len(specs)
            for item in permission.get("IpRanges") or ():
                cidr = canonical_cidr(item.get("CidrIp"), 4, "cidrIp")
                specs.append(
                    RuleSpec(
                        protocol, *ports, "cidr", cidr, _rule_description(item.get("Description"))
                    )
                )
            for item in permission.get("Ipv6Ranges") or ():
                cidr = canonical_cidr(item.get("CidrIpv6"), 6, "cidrIpv6")
                specs.append(
                    RuleSpec(
                        protocol, *ports, "ipv6", cidr, _rule_description(item.get("Description"))
                    )
                )
            for item in permission.get("PrefixListIds") or ():
                prefix_list_id = item.get("PrefixListId")
                if not prefix_list_id:
                    raise MissingParameter("ipPermissions.prefixListIds.prefixListId")
                self.backend.prefix_lists.get(prefix_list_id)
                specs.append(
                    RuleSpec(
                        protocol,
                        *ports,
                        "pl",
                        prefix_list_id,
                        _rule_description(item.get("Description")),
                    )
                )
            for item in permission.get("UserIdGroupPairs") or ():
                specs.append(
                    self._group_spec(
                        group,
                        item,
                        protocol,
                        ports,
                        _rule_description(item.get("Description")),
                        existing,
                    )
                )
            if len(specs) == before:
                raise InvalidParameterValue(
                    "Invalid value for IpPermissions: each permission must name a source or "
                    "destination (an IPv4 or IPv6 range, a prefix list, or a security group)."
                )
        return specs

    def legacy_specs(
        self,
        group: SecurityGroup,
        *,
        cidr_ip: str | None,
        protocol: str | None,
        from_port: int | None,
        to_port: int | None,
        source_name: str | None,
        source_owner: str | None,
    ) -> list[RuleSpec]:
        """The top-level form: CidrIp with a protocol and ports, or a whole source group."""
        if source_name or source_owner:
            if cidr_ip or protocol or from_port is not None or to_port is not None:
                raise InvalidParameterCombination(
                    "The parameter sourceSecurityGroupName cannot be used with the parameters "
                    "cidrIp, ipProtocol, fromPort or toPort. Use IP permissions instead."
                )
            if not source_name:
                raise MissingParameter("sourceSecurityGroupName")
            pair = {"GroupName": source_name, "UserId": source_owner}
            # A whole group: full ICMP, TCP and UDP access, as EC2 grants it.
            return [
                self._group_spec(group, pair, "icmp", (-1, -1), None),
                self._group_spec(group, pair, "tcp", (0, 65535), None),
                self._group_spec(group, pair, "udp", (0, 65535), None),
            ]
        if cidr_ip is None and protocol is None and from_port is None and to_port is None:
            return []
        parsed = parse_protocol(protocol if protocol is not None else "-1")
        ports = parse_ports(parsed, from_port, to_port)
        cidr = canonical_cidr(cidr_ip, 4, "cidrIp")
        return [RuleSpec(parsed, *ports, "cidr", cidr)]

    def spec_from_request(self, group: SecurityGroup, request: Mapping[str, Any]) -> RuleSpec:
        """A SecurityGroupRuleRequest (ModifySecurityGroupRules) as a spec."""
        protocol = parse_protocol(request.get("IpProtocol"))
        ports = parse_ports(protocol, request.get("FromPort"), request.get("ToPort"))
        description = _rule_description(request.get("Description"))
        sources = [
            name
            for name in ("CidrIpv4", "CidrIpv6", "PrefixListId", "ReferencedGroupId")
            if request.get(name)
        ]
        if len(sources) != 1:
            raise InvalidParameterCombination(
                "A security group rule must have exactly one of CidrIpv4, CidrIpv6, "
                "PrefixListId or ReferencedGroupId."
            )
        source = sources[0]
        value = request[source]
        if source == "CidrIpv4":
            return RuleSpec(
                protocol, *ports, "cidr", canonical_cidr(value, 4, "cidrIpv4"), description
            )
        if source == "CidrIpv6":
            return RuleSpec(
                protocol, *ports, "ipv6", canonical_cidr(value, 6, "cidrIpv6"), description
            )
        if source == "PrefixListId":
            self.backend.prefix_lists.get(value)
            return RuleSpec(protocol, *ports, "pl", value, description)
        return self._group_spec(group, {"GroupId": value}, protocol, ports, description)

    # -- rules

    def _weight(
        self, rule: SecurityGroupRule | RuleSpec, sizes: Mapping[str, int] | None = None
    ) -> int:
        """A rule's share of the group's quota: a prefix list counts its MaxEntries."""
        if rule.kind != "pl":
            return 1
        if sizes and rule.value in sizes:
            return sizes[rule.value]
        found = self.backend.prefix_lists.find(rule.value)
        return found.max_entries if found is not None else 1

    def _check_room(
        self,
        group: SecurityGroup,
        egress: bool,
        adding: Sequence[RuleSpec],
        replacing: Iterable[str] = (),
    ) -> None:
        skip = set(replacing)
        used = sum(
            self._weight(r)
            for r in group.rules.values()
            if r.is_egress == egress and r.id not in skip
        )
        if used + sum(self._weight(s) for s in adding) > RULES_PER_DIRECTION:
            raise ServiceError(
                "The maximum number of rules per security group has been reached.",
                code="RulesPerSecurityGroupLimitExceeded",
            )

    def check_authorize(
        self, group: SecurityGroup, egress: bool, specs: Sequence[RuleSpec]
    ) -> None:
        if not specs:
            raise MissingParameter("ipPermissions")
        seen: set[tuple[Any, ...]] = set()
        for spec in specs:
            if (egress, spec.key) in group.keys or spec.key in seen:
                raise _duplicate(spec)
            seen.add(spec.key)
        self._check_room(group, egress, specs)

    def authorize(
        self, group: SecurityGroup, egress: bool, specs: Sequence[RuleSpec], tags: dict[str, str]
    ) -> list[SecurityGroupRule]:
        return self._add_rules(group, egress, specs, tags)

    def _add_rules(
        self, group: SecurityGroup, egress: bool, specs: Iterable[RuleSpec], tags: dict[str, str]
    ) -> list[SecurityGroupRule]:
        added = []
        for spec in specs:
            rule = SecurityGroupRule(
                id=self.backend.ids.new("sgr"),
                group_id=group.id,
                group_owner_id=group.owner_id,
                vpc_id=group.vpc_id,
                region=group.region,
                is_egress=egress,
                protocol=spec.protocol,
                from_port=spec.from_port,
                to_port=spec.to_port,
                kind=spec.kind,
                value=spec.value,
                description=spec.description,
                ref_user_id=spec.ref_user_id,
                ref_vpc_id=spec.ref_vpc_id,
                peering_id=spec.peering_id,
                ref_group_name=spec.ref_group_name,
                sequence=next(self._sequence),
                tags=dict(tags),
            )
            self._index_rule(group, rule)
            added.append(rule)
        return added

    def _index_rule(self, group: SecurityGroup, rule: SecurityGroupRule) -> None:
        self.rules.add(rule)
        group.rules[rule.id] = rule
        group.keys[(rule.is_egress, rule.key)] = rule.id
        if rule.kind == "group":
            self.references.setdefault(rule.value, {})[rule.id] = rule

    def _remove_rule(self, group: SecurityGroup, rule: SecurityGroupRule) -> None:
        self.rules.remove(rule.id)
        group.rules.pop(rule.id, None)
        group.keys.pop((rule.is_egress, rule.key), None)
        self._unreference(rule)

    def _unreference(self, rule: SecurityGroupRule) -> None:
        if rule.kind == "group":
            refs = self.references.get(rule.value)
            if refs is not None:
                refs.pop(rule.id, None)
                if not refs:
                    del self.references[rule.value]

    def rules_for_groups(self, group_ids: Sequence[str]) -> list[SecurityGroupRule]:
        """The rules of these groups from the index (a group-id filter without wildcards)."""
        found = [r for gid in dict.fromkeys(group_ids) for r in self.rules.lookup("group", gid)]
        # In creation order, as the store (and so an unfiltered describe) has them.
        return sorted(found, key=lambda r: r.sequence)

    def rule_of(self, group: SecurityGroup, rule_id: str, egress: bool | None) -> SecurityGroupRule:
        rule = self.rules.get(rule_id)
        if rule.group_id != group.id or (egress is not None and rule.is_egress != egress):
            raise SECURITY_GROUP_RULE.not_found([rule_id])
        return rule

    def check_revoke(
        self,
        group: SecurityGroup,
        egress: bool,
        specs: Sequence[RuleSpec],
        rule_ids: Sequence[str] | None,
    ) -> tuple[list[SecurityGroupRule], list[RuleSpec]]:
        """The rules a revoke removes, and what it names that does not exist (default VPC)."""
        if not specs and not rule_ids:
            raise MissingParameter("ipPermissions")
        found: dict[str, SecurityGroupRule] = {}
        for rule_id in rule_ids or ():
            rule = self.rule_of(group, rule_id, egress)
            found[rule.id] = rule
        unknown: list[RuleSpec] = []
        for spec in specs:
            match = group.keys.get((egress, spec.key))
            if match is None:
                unknown.append(spec)
            else:
                found[match] = group.rules[match]
        if unknown and not self.in_default_vpc(group):
            # Outside the default VPC EC2 revokes nothing and says so.
            raise ServiceError(NOT_FOUND_RULE, code="InvalidPermission.NotFound")
        return list(found.values()), unknown

    def revoke(self, group: SecurityGroup, rules: Iterable[SecurityGroupRule]) -> None:
        for rule in rules:
            self._remove_rule(group, rule)

    def check_modify_rules(
        self, group: SecurityGroup, updates: Sequence[Mapping[str, Any]]
    ) -> list[tuple[SecurityGroupRule, RuleSpec]]:
        changes: list[tuple[SecurityGroupRule, RuleSpec]] = []
        for position, update in enumerate(updates, start=1):
            rule_id = update.get("SecurityGroupRuleId")
            if not rule_id:
                raise MissingParameter(f"SecurityGroupRule.{position}.SecurityGroupRuleId")
            request = update.get("SecurityGroupRule")
            if request is None:
                raise MissingParameter(f"SecurityGroupRule.{position}.SecurityGroupRule")
            rule = self.rule_of(group, rule_id, None)
            changes.append((rule, self.spec_from_request(group, request)))
        changing = {rule.id for rule, _ in changes}
        for egress in (False, True):
            keys = {key: rid for (is_egress, key), rid in group.keys.items() if is_egress == egress}
            seen: set[tuple[Any, ...]] = set()
            for rule, spec in changes:
                if rule.is_egress != egress:
                    continue
                other = keys.get(spec.key)
                if (other is not None and other not in changing) or spec.key in seen:
                    raise _duplicate(spec)
                seen.add(spec.key)
            self._check_room(
                group,
                egress,
                [spec for rule, spec in changes if rule.is_egress == egress],
                replacing=[rule.id for rule, _ in changes if rule.is_egress == egress],
            )
        return changes

    def modify_rules(
        self, group: SecurityGroup, changes: Sequence[tuple[SecurityGroupRule, RuleSpec]]
    ) -> None:
        # A modified rule keeps its id and its place; only its keys move.
        for rule, _ in changes:
            group.keys.pop((rule.is_egress, rule.key), None)
            self._unreference(rule)
        for rule, spec in changes:
            rule.protocol, rule.from_port, rule.to_port = (
                spec.protocol,
                spec.from_port,
                spec.to_port,
            )
            rule.kind, rule.value, rule.description = spec.kind, spec.value, spec.description
            rule.ref_user_id, rule.ref_vpc_id = spec.ref_user_id, spec.ref_vpc_id
            rule.peering_id, rule.ref_group_name = spec.peering_id, spec.ref_group_name
            group.keys[(rule.is_egress, rule.key)] = rule.id
            if rule.kind == "group":
                self.references.setdefault(rule.value, {})[rule.id] = rule
            self.rules.reindex(rule)

    def check_descriptions(
        self,
        group: SecurityGroup,
        egress: bool,
        specs: Sequence[RuleSpec],
        by_id: Sequence[Mapping[str, Any]] | None,
    ) -> list[tuple[SecurityGroupRule, str | None]]:
        """UpdateSecurityGroupRuleDescriptions*: each named rule and its new description."""
        if not specs and not by_id:
            raise MissingParameter("ipPermissions")
        out: list[tuple[SecurityGroupRule, str | None]] = []
        for spec in specs:
            rule_id = group.keys.get((egress, spec.key))
            if rule_id is None:
                raise ServiceError(NOT_FOUND_RULE, code="InvalidPermission.NotFound")
            out.append((group.rules[rule_id], spec.description))
        for position, item in enumerate(by_id or (), start=1):
            rule_id = item.get("SecurityGroupRuleId")
            if not rule_id:
                raise MissingParameter(
                    f"SecurityGroupRuleDescription.{position}.SecurityGroupRuleId"
                )
            rule = self.rule_of(group, rule_id, egress)
            out.append((rule, _rule_description(item.get("Description"))))
        return out

    # -- VPC associations

    def check_associate(self, group_id: str, vpc_id: str) -> SecurityGroup:
        group = self.store.get(group_id)
        vpc = self.backend.vpcs.vpcs.get(vpc_id)
        if group.name == "default":
            raise InvalidParameterValue(
                "You cannot associate a default security group with another VPC."
            )
        if vpc.is_default:
            raise InvalidParameterValue("You cannot associate a security group with a default VPC.")
        if vpc_id == group.vpc_id:
            raise InvalidParameterValue(
                f"The security group '{group.id}' already belongs to VPC '{vpc_id}'."
            )
        if self.associations.find(f"{group.id}:{vpc_id}") is not None:
            raise ServiceError(
                f"The security group '{group.id}' is already associated with VPC '{vpc_id}'.",
                code="Resource.AlreadyAssociated",
            )
        return group

    def associate(self, group: SecurityGroup, vpc_id: str) -> VpcAssociation:
        vpc = self.backend.vpcs.vpcs.get(vpc_id)
        association = self.associations.add(
            VpcAssociation(
                id=f"{group.id}:{vpc_id}",
                group_id=group.id,
                vpc_id=vpc_id,
                group_owner_id=group.owner_id,
                vpc_owner_id=vpc.owner_id,
            )
        )

        def done(target: VpcAssociation) -> None:
            target.state = "associated"
            target.generation += 1

        self.backend.schedule(self.backend.options.transition_delay, association, done)
        return association

    def check_disassociate(self, group_id: str, vpc_id: str) -> VpcAssociation:
        group = self.store.get(group_id)
        self.backend.vpcs.vpcs.get(vpc_id)
        association = self.associations.find(f"{group.id}:{vpc_id}")
        if association is None or association.state != "associated":
            raise ServiceError(
                f"The security group '{group.id}' is not associated with VPC '{vpc_id}'.",
                code="InvalidAssociationID.NotFound",
            )
        return association

    def disassociate(self, association: VpcAssociation) -> None:
        association.state = "disassociating"
        association.generation += 1

        def gone(target: VpcAssociation) -> None:
            self.associations.remove(target.id)

        self.backend.schedule(self.backend.options.transition_delay, association, gone)

    def for_vpc(self, vpc_id: str) -> list[SecurityGroup]:
        """GetSecurityGroupsForVpc: the VPC's own groups and those associated with it."""
        self.backend.vpcs.vpcs.get(vpc_id)
        groups = list(self.store.lookup("vpc", vpc_id))
        for association in self.associations.lookup("vpc", vpc_id):
            found = self.store.find(association.group_id)
            if association.state == "associated" and found is not None:
                groups.append(found)
        return groups

    # -- references across VPCs

    def references_to(self, group_ids: Sequence[str]) -> list[SecurityGroupReference]:
        groups = self.store.get_many(group_ids)
        out: list[SecurityGroupReference] = []
        for group in groups:
            seen: set[tuple[str, str | None]] = set()
            for rule in list(self.references.get(group.id, {}).values()):
                # Only references across a peering connection, as EC2 reports them.
                if not rule.peering_id or (rule.vpc_id, rule.peering_id) in seen:
                    continue
                seen.add((rule.vpc_id, rule.peering_id))
                item: SecurityGroupReference = {
                    "GroupId": group.id,
                    "ReferencingVpcId": rule.vpc_id,
                }
                if rule.peering_id:
                    item["VpcPeeringConnectionId"] = rule.peering_id
                out.append(item)
        return out

    def stale(self, vpc_id: str) -> list[StaleSecurityGroup]:
        """Groups of the VPC with rules naming groups that are gone or no longer reachable."""
        self.backend.vpcs.vpcs.get(vpc_id)
        out: list[StaleSecurityGroup] = []
        for group in self.store.lookup("vpc", vpc_id):
            stale: dict[bool, list[StaleIpPermission]] = {False: [], True: []}
            for rule in group.rules.values():
                if rule.kind != "group":
                    continue
                other = self.registry.get(rule.value)
                if other is not None and self.connection(group.vpc_id, other)[0]:
                    continue
                pair: UserIdGroupPair = {"GroupId": rule.value}
                if rule.ref_user_id:
                    pair["UserId"] = rule.ref_user_id
                if rule.ref_vpc_id:
                    pair["VpcId"] = rule.ref_vpc_id
                if rule.peering_id:
                    pair["VpcPeeringConnectionId"] = rule.peering_id
                    pair["PeeringStatus"] = "deleted"
                permission: StaleIpPermission = {
                    "IpProtocol": rule.protocol,
                    "UserIdGroupPairs": [pair],
                }
                if rule.from_port is not None:
                    permission["FromPort"] = rule.from_port
                if rule.to_port is not None:
                    permission["ToPort"] = rule.to_port
                stale[rule.is_egress].append(permission)
            if stale[False] or stale[True]:
                out.append(
                    {
                        "Description": group.description,
                        "GroupId": group.id,
                        "GroupName": group.name,
                        "StaleIpPermissions": stale[False],
                        "StaleIpPermissionsEgress": stale[True],
                        "VpcId": group.vpc_id,
                    }
                )
        return out

    def validate_for_interface(self, group_ids: Sequence[str]) -> bool:
        """ValidateSecurityGroupQuotasForInterface: can these groups share one interface?"""
        if not group_ids:
            raise MissingParameter("SecurityGroupId")
        if len(set(group_ids)) != len(group_ids):
            raise InvalidParameterValue("The security group IDs must be unique.")
        if len(group_ids) > GROUPS_PER_INTERFACE:
            raise ServiceError(
                f"The maximum number of security groups per network interface "
                f"({GROUPS_PER_INTERFACE}) has been exceeded.",
                code="SecurityGroupsPerInterfaceLimitExceeded",
            )
        groups = self.store.get_many(group_ids)
        if len({g.vpc_id for g in groups}) > 1:
            return False
        # EC2's quota on one interface: groups per interface x rules per group <= 1000.
        for egress in (False, True):
            total = sum(
                self._weight(r) for g in groups for r in g.rules.values() if r.is_egress == egress
            )
            if total > 1000:
                return False
        return True


def _values(
    rules: Iterable[SecurityGroupRule], get: Callable[[SecurityGroupRule], Any]
) -> list[Any]:
    return [value for rule in rules if (value := get(rule)) is not None]


def _direction_filters(egress: bool) -> dict[str, Callable[[Any], Any]]:
    prefix = "egress.ip-permission." if egress else "ip-permission."

    def rules(g: SecurityGroup) -> list[SecurityGroupRule]:
        return g.egress if egress else g.ingress

    return {
        prefix + "cidr": lambda g: _values(rules(g), lambda r: r.source("cidr")),
        prefix + "ipv6-cidr": lambda g: _values(rules(g), lambda r: r.source("ipv6")),
        prefix + "prefix-list-id": lambda g: _values(rules(g), lambda r: r.source("pl")),
        prefix + "group-id": lambda g: _values(rules(g), lambda r: r.source("group")),
        prefix + "group-name": lambda g: _values(rules(g), lambda r: r.ref_group_name),
        prefix + "user-id": lambda g: _values(rules(g), lambda r: r.ref_user_id),
        prefix + "from-port": lambda g: _values(rules(g), lambda r: r.from_port),
        prefix + "to-port": lambda g: _values(rules(g), lambda r: r.to_port),
        prefix + "protocol": lambda g: _values(rules(g), lambda r: r.protocol),
    }


SECURITY_GROUP_FILTERS: dict[str, Callable[[Any], Any]] = {
    "description": lambda g: g.description,
    "group-id": lambda g: g.id,
    "group-name": lambda g: g.name,
    "owner-id": lambda g: g.owner_id,
    "vpc-id": lambda g: g.vpc_id,
    **_direction_filters(False),
    **_direction_filters(True),
}


SECURITY_GROUP_RULE_FILTERS = {
    "group-id": lambda r: r.group_id,
    "security-group-rule-id": lambda r: r.id,
}

SECURITY_GROUP_FOR_VPC_FILTERS = {
    "description": lambda g: g.description,
    "group-id": lambda g: g.id,
    "group-name": lambda g: g.name,
    "owner-id": lambda g: g.owner_id,
    "primary-vpc-id": lambda g: g.vpc_id,
}

VPC_ASSOCIATION_FILTERS = {
    "group-id": lambda a: a.group_id,
    "group-owner-id": lambda a: a.group_owner_id,
    "state": lambda a: a.state,
    "vpc-id": lambda a: a.vpc_id,
    "vpc-owner-id": lambda a: a.vpc_owner_id,
}
