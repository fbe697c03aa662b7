"""Network ACLs: numbered stateless rules, one ACL per subnet."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from cloudmock.core.errors import (
    InvalidParameterCombination,
    InvalidParameterValue,
    MissingParameter,
)
from cloudmock.services.ec2.models.base import Resource, ResourceKind
from cloudmock.services.ec2.models.vpcs import parse_ipv4_cidr, parse_ipv6_cidr

if TYPE_CHECKING:
    from cloudmock.services.ec2.shapes import NetworkAcl as NetworkAclShape
    from cloudmock.services.ec2.shapes import NetworkAclEntry as EntryShape

# EC2 spells the two codes differently: InvalidNetworkAclId.Malformed, InvalidNetworkAclID.NotFound
NETWORK_ACL = ResourceKind(
    "acl",
    "network-acl",
    "InvalidNetworkAclId",
    "network ACL ID",
    not_found_stem="InvalidNetworkAclID",
)
#: default quotas: rules per ACL in each direction, ACLs per VPC
MAX_ENTRIES_PER_DIRECTION = 20
MAX_ACLS_PER_VPC = 200

#: the highest rule number a user may set; 32767 is the catch-all deny (32768 for IPv6)
MAX_RULE_NUMBER = 32766
DEFAULT_RULE = 32767

_PROTOCOL_NAMES = {"all": "-1", "tcp": "6", "udp": "17", "icmp": "1", "icmpv6": "58"}
_PROTOCOL_OF = {"6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6"}


@dataclass
class AclEntry:
    rule_number: int
    egress: bool
    protocol: str
    action: str
    cidr: str | None = None
    ipv6_cidr: str | None = None
    icmp_type: int | None = None
    icmp_code: int | None = None
    port_from: int | None = None
    port_to: int | None = None

    def describe(self) -> EntryShape:
        out: EntryShape = {
            "Egress": self.egress,
            "Protocol": self.protocol,
            "RuleAction": self.action,
            "RuleNumber": self.rule_number,
        }
        if self.cidr is not None:
            out["CidrBlock"] = self.cidr
        if self.ipv6_cidr is not None:
            out["Ipv6CidrBlock"] = self.ipv6_cidr
        if self.icmp_type is not None or self.icmp_code is not None:
            out["IcmpTypeCode"] = {}
            if self.icmp_code is not None:
                out["IcmpTypeCode"]["Code"] = self.icmp_code
            if self.icmp_type is not None:
                out["IcmpTypeCode"]["Type"] = self.icmp_type
        if self.port_from is not None or self.port_to is not None:
            out["PortRange"] = {}
            if self.port_from is not None:
                out["PortRange"]["From"] = self.port_from
            if self.port_to is not None:
                out["PortRange"]["To"] = self.port_to
        return out


def build_entry(
    *,
    rule_number: int,
    egress: bool,
    protocol: str,
    action: str,
    cidr: str | None,
    ipv6_cidr: str | None,
    icmp: dict[str, int] | None,
    ports: dict[str, int] | None,
) -> AclEntry:
    """An entry from a request, with EC2's checks on each part."""
    if not 1 <= rule_number <= MAX_RULE_NUMBER:
        raise InvalidParameterValue(
            f"Value ({rule_number}) for parameter ruleNumber is invalid. "
            f"Rule numbers must be between 1 and {MAX_RULE_NUMBER}."
        )
    if action not in ("allow", "deny"):
        raise InvalidParameterValue(
            f"Value ({action}) for parameter ruleAction is invalid. Valid values: allow, deny"
        )
    proto = _PROTOCOL_NAMES.get(protocol.lower(), protocol)
    if proto != "-1" and not (proto.isdigit() and 0 <= int(proto) <= 255):
        raise InvalidParameterValue(
            f"Value ({protocol}) for parameter protocol is invalid. "
            "Use a protocol number (0-255), a protocol name (tcp, udp, icmp), or -1 for all."
        )
    if cidr is not None and ipv6_cidr is not None:
        raise InvalidParameterCombination(
            "The parameter cidrBlock cannot be used with the parameter ipv6CidrBlock"
        )
    if cidr is None and ipv6_cidr is None:
        raise MissingParameter("cidrBlock or ipv6CidrBlock")
    cidr_text = str(parse_ipv4_cidr(cidr)) if cidr is not None else None
    ipv6_text = str(parse_ipv6_cidr(ipv6_cidr)) if ipv6_cidr is not None else None
    entry = AclEntry(rule_number, egress, proto, action, cidr_text, ipv6_text)
    if proto in ("6", "17"):
        if not ports or "From" not in ports or "To" not in ports:
            raise MissingParameter("portRange")
        low, high = ports["From"], ports["To"]
        if not (0 <= low <= 65535 and 0 <= high <= 65535) or low > high:
            raise InvalidParameterValue(
                f"Invalid value for portRange: from {low} to {high}. "
                "Ports must be between 0 and 65535, from not above to."
            )
        entry.port_from, entry.port_to = low, high
    elif proto == "1" or (proto == "58" and ipv6_text is not None):
        if not icmp or "Type" not in icmp or "Code" not in icmp:
            raise MissingParameter("icmpTypeCode")
        entry.icmp_type, entry.icmp_code = icmp["Type"], icmp["Code"]
    return entry


@dataclass
class NetworkAcl(Resource):
    vpc_id: str
    owner_id: str
    is_default: bool
    #: (egress, rule number) -> entry, for the user's rules (the catch-all ones are implicit)
    entries: dict[tuple[bool, int], AclEntry] = field(default_factory=dict)
    #: subnet id -> association id
    associations: dict[str, str] = field(default_factory=dict)
    #: whether the VPC has IPv6 blocks: the IPv6 catch-all rules show then
    ipv6: bool = False

    def all_entries(self) -> list[AclEntry]:
        out = sorted(self.entries.values(), key=lambda e: (e.egress, e.rule_number))
        for egress in (False, True):
            out.append(AclEntry(DEFAULT_RULE, egress, "-1", "deny", cidr="0.0.0.0/0"))
            if self.ipv6:
                out.append(AclEntry(DEFAULT_RULE + 1, egress, "-1", "deny", ipv6_cidr="::/0"))
        # EC2 lists egress rules first, each direction in rule-number order
        return sorted(out, key=lambda e: (not e.egress, e.rule_number))

    def describe(self) -> NetworkAclShape:
        out: NetworkAclShape = {
            "Associations": [
                {"NetworkAclAssociationId": assoc, "NetworkAclId": self.id, "SubnetId": subnet}
                for subnet, assoc in self.associations.items()
            ],
            "Entries": [e.describe() for e in self.all_entries()],
            "IsDefault": self.is_default,
            "NetworkAclId": self.id,
            "VpcId": self.vpc_id,
            "OwnerId": self.owner_id,
        }
        if self.tags:
            out["Tags"] = self.tag_list()
        return out


def _entry_values(acl: NetworkAcl, attr: str) -> list[object]:
    return [getattr(e, attr) for e in acl.all_entries()]


NETWORK_ACL_FILTERS = {
    "association.association-id": lambda a: list(a.associations.values()),
    "association.network-acl-id": lambda a: a.id if a.associations else None,
    "association.subnet-id": lambda a: list(a.associations),
    "default": lambda a: a.is_default,
    "entry.cidr": lambda a: _entry_values(a, "cidr"),
    "entry.egress": lambda a: _entry_values(a, "egress"),
    "entry.icmp.code": lambda a: _entry_values(a, "icmp_code"),
    "entry.icmp.type": lambda a: _entry_values(a, "icmp_type"),
    "entry.ipv6-cidr": lambda a: _entry_values(a, "ipv6_cidr"),
    "entry.port-range.from": lambda a: _entry_values(a, "port_from"),
    "entry.port-range.to": lambda a: _entry_values(a, "port_to"),
    "entry.protocol": lambda a: [
        name for e in a.all_entries() for name in (e.protocol, _PROTOCOL_OF.get(e.protocol))
    ],
    "entry.rule-action": lambda a: _entry_values(a, "action"),
    "entry.rule-number": lambda a: _entry_values(a, "rule_number"),
    "network-acl-id": lambda a: a.id,
    "owner-id": lambda a: a.owner_id,
    "vpc-id": lambda a: a.vpc_id,
}
