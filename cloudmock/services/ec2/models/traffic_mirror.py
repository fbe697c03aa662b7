"""Traffic mirroring: filters and their rules, targets, and sessions that copy an interface's traffic."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

from cloudmock.core.errors import (
    InvalidParameterCombination,
    InvalidParameterValue,
    MissingParameter,
    ServiceError,
)
from cloudmock.services.ec2.dryrun import commit
from cloudmock.services.ec2.models.base import Resource, ResourceKind, Store

if TYPE_CHECKING:
    from cloudmock.services.ec2.models.backend import Ec2Backend
    from cloudmock.services.ec2.shapes import TrafficMirrorFilter as FilterShape
    from cloudmock.services.ec2.shapes import TrafficMirrorFilterRule as RuleShape
    from cloudmock.services.ec2.shapes import TrafficMirrorPortRange
    from cloudmock.services.ec2.shapes import TrafficMirrorSession as SessionShape
    from cloudmock.services.ec2.shapes import TrafficMirrorTarget as TargetShape


@dataclass(frozen=True)
class MirrorKind(ResourceKind):
    """Traffic mirroring answers one code, without a dot, for unknown and malformed ids alike."""

    def malformed(self, value: str) -> ServiceError:
        return self.not_found([value])

    def not_found(self, ids: Iterable[str]) -> ServiceError:
        ids = list(ids)
        return ServiceError(
            f"The {self.noun} '{', '.join(ids)}' does not exist.", code=self.error_stem
        )


FILTER = MirrorKind(
    "tmf", "traffic-mirror-filter", "InvalidTrafficMirrorFilterNotFound", "traffic mirror filter"
)
RULE = MirrorKind(
    "tmfr",
    "traffic-mirror-filter-rule",
    "InvalidTrafficMirrorFilterRuleNotFound",
    "traffic mirror filter rule",
)
TARGET = MirrorKind(
    "tmt", "traffic-mirror-target", "InvalidTrafficMirrorTargetNoFound", "traffic mirror target"
)
SESSION = MirrorKind(
    "tms",
    "traffic-mirror-session",
    "InvalidTrafficMirrorSessionNotFound",
    "traffic mirror session",
)

NETWORK_SERVICES = ("amazon-dns",)
DIRECTIONS = ("ingress", "egress")
ACTIONS = ("accept", "reject")
RULE_FIELDS = ("destination-port-range", "source-port-range", "protocol", "description")
SESSION_FIELDS = ("packet-length", "description", "virtual-network-id")
MAX_RULE_NUMBER = 32766
MAX_SESSION_NUMBER = 32766
MAX_PACKET_LENGTH = 8500
MAX_VNI = 2**24 - 1
#: rules per filter and direction (the default quota)
MAX_RULES = 10
#: sessions one source interface may have
MAX_SESSIONS_PER_INTERFACE = 3
PORT_PROTOCOLS = (6, 17)
_NLB_ARN = re.compile(
    r"^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:loadbalancer/net/[^/]+/[0-9a-f]+$"
)
_VPCE_ID = re.compile(r"^vpce-(?:[0-9a-f]{8}|[0-9a-f]{17})$")

PortRange = tuple[int, int]


@dataclass
class FilterRule(Resource):
    filter_id: str
    direction: str
    number: int
    action: str
    destination_cidr: str
    source_cidr: str
    protocol: int | None = None
    destination_ports: PortRange | None = None
    source_ports: PortRange | None = None
    description: str | None = None

    def describe(self) -> RuleShape:
        out: RuleShape = {
            "TrafficMirrorFilterRuleId": self.id,
            "TrafficMirrorFilterId": self.filter_id,
            "TrafficDirection": self.direction,
            "RuleNumber": self.number,
            "RuleAction": self.action,
            "DestinationCidrBlock": self.destination_cidr,
            "SourceCidrBlock": self.source_cidr,
        }
        if self.protocol is not None:
            out["Protocol"] = self.protocol
        if self.destination_ports is not None:
            out["DestinationPortRange"] = _ports(self.destination_ports)
        if self.source_ports is not None:
            out["SourcePortRange"] = _ports(self.source_ports)
        if self.description is not None:
            out["Description"] = self.description
        if self.tags:
            out["Tags"] = self.tag_list()
        return out


def _ports(ports: PortRange) -> TrafficMirrorPortRange:
    return {"FromPort": ports[0], "ToPort": ports[1]}


@dataclass
class MirrorFilter(Resource):
    description: str | None = None
    network_services: list[str] = field(default_factory=list)


@dataclass
class MirrorTarget(Resource):
    owner_id: str
    target_type: str
    interface_id: str | None = None
    nlb_arn: str | None = None
    gwlb_endpoint_id: str | None = None
    description: str | None = None

    def describe(self) -> TargetShape:
        out: TargetShape = {
            "TrafficMirrorTargetId": self.id,
            "Type": self.target_type,
            "OwnerId": self.owner_id,
            "Tags": self.tag_list(),
        }
        if self.interface_id is not None:
            out["NetworkInterfaceId"] = self.interface_id
        if self.nlb_arn is not None:
            out["NetworkLoadBalancerArn"] = self.nlb_arn
        if self.gwlb_endpoint_id is not None:
            out["GatewayLoadBalancerEndpointId"] = self.gwlb_endpoint_id
        if self.description is not None:
            out["Description"] = self.description
        return out


@dataclass
class MirrorSession(Resource):
    owner_id: str
    interface_id: str
    target_id: str
    filter_id: str
    session_number: int
    virtual_network_id: int
    packet_length: int | None = None
    description: str | None = None

    def describe(self) -> SessionShape:
        out: SessionShape = {
            "TrafficMirrorSessionId": self.id,
            "TrafficMirrorTargetId": self.target_id,
            "TrafficMirrorFilterId": self.filter_id,
            "NetworkInterfaceId": self.interface_id,
            "OwnerId": self.owner_id,
            "SessionNumber": self.session_number,
            "VirtualNetworkId": self.virtual_network_id,
            "Tags": self.tag_list(),
        }
        if self.packet_length is not None:
            out["PacketLength"] = self.packet_length
        if self.description is not None:
            out["Description"] = self.description
        return out


@dataclass(frozen=True)
class RuleChange:
    """The members of Create/ModifyTrafficMirrorFilterRule, typed (None: not given)."""

    direction: str | None = None
    number: int | None = None
    action: str | None = None
    destination_cidr: str | None = None
    source_cidr: str | None = None
    protocol: int | None = None
    destination_ports: tuple[int | None, int | None] | None = None
    source_ports: tuple[int | None, int | None] | None = None
    description: str | None = None
    remove: tuple[str, ...] = ()


@dataclass(frozen=True)
class SessionChange:
    """The members of Create/ModifyTrafficMirrorSession, typed (None: not given)."""

    interface_id: str | None = None
    target_id: str | None = None
    filter_id: str | None = None
    session_number: int | None = None
    virtual_network_id: int | None = None
    packet_length: int | None = None
    description: str | None = None
    remove: tuple[str, ...] = ()


def _cidr(value: str, member: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    try:
        return ipaddress.ip_network(value, strict=False)
    except ValueError:
        raise InvalidParameterValue(
            f"Invalid value '{value}' for {member}: not a CIDR block"
        ) from None


def _port_range(ports: tuple[int | None, int | None], member: str) -> PortRange:
    low, high = ports
    if low is None or high is None:
        raise ServiceError(f"{member} needs both FromPort and ToPort.", code="MissingParameter")
    if not (0 <= low <= 65535 and 0 <= high <= 65535) or low > high:
        raise InvalidParameterValue(
            f"Invalid port range {low}-{high} for {member}: ports are 0-65535, FromPort first."
        )
    return low, high


class TrafficMirroring:
    """The traffic-mirroring family of one region."""

    def __init__(self, backend: Ec2Backend) -> None:
        self.backend = backend
        self.filters: Store[MirrorFilter] = backend.new_store(FILTER)
        self.rules: Store[FilterRule] = backend.new_store(RULE)
        self.rules.add_index("filter", lambda r: r.filter_id)
        self.targets: Store[MirrorTarget] = backend.new_store(TARGET)
        self.targets.add_index("interface", lambda t: t.interface_id)
        self.targets.add_index("nlb", lambda t: t.nlb_arn)
        self.sessions: Store[MirrorSession] = backend.new_store(SESSION)
        self.sessions.add_index("interface", lambda s: s.interface_id)
        self.sessions.add_index("target", lambda s: s.target_id)
        self.sessions.add_index("filter", lambda s: s.filter_id)
        self._vnis: set[int] = set()
        self._client_tokens: dict[tuple[str, str], tuple[Any, str]] = {}
        backend.depends_on("eni", self._interface_users)

    def _interface_users(self, eni_id: str) -> str | None:
        targets = self.targets.lookup("interface", eni_id)
        if targets:
            return f"traffic mirror target {targets[0].id}"
        sessions = self.sessions.lookup("interface", eni_id)
        if sessions:
            return f"traffic mirror session {sessions[0].id}"
        return None

    # -- idempotency

    def _replay(self, kind: str, token: str | None, request: Any) -> str | None:
        """The id an earlier identical request with ``token`` made, if any."""
        if not token:
            return None
        previous = self._client_tokens.get((kind, token))
        if previous is None:
            return None
        earlier, made = previous
        if earlier != request:
            raise ServiceError(
                "Arguments on this idempotent request are inconsistent with arguments used in "
                "previous request(s).",
                code="IdempotentParameterMismatch",
            )
        return made

    def _remember(self, kind: str, token: str | None, request: Any, made: str) -> None:
        if token:
            self._client_tokens[(kind, token)] = (request, made)

    # -- filters

    def describe_filter(self, mirror_filter: MirrorFilter) -> FilterShape:
        rules = sorted(self.rules.lookup("filter", mirror_filter.id), key=lambda r: r.number)
        out: FilterShape = {
            "TrafficMirrorFilterId": mirror_filter.id,
            "IngressFilterRules": [r.describe() for r in rules if r.direction == "ingress"],
            "EgressFilterRules": [r.describe() for r in rules if r.direction == "egress"],
            "NetworkServices": list(mirror_filter.network_services),
            "Tags": mirror_filter.tag_list(),
        }
        if mirror_filter.description is not None:
            out["Description"] = mirror_filter.description
        return out

    def create_filter(
        self, description: str | None, tags: dict[str, str], token: str | None
    ) -> MirrorFilter:
        request = (description, tuple(tags.items()))
        made = self._replay("filter", token, request)
        if made is not None and made in self.filters:
            commit()
            return self.filters.get(made)
        commit()
        mirror_filter = self.filters.add(
            MirrorFilter(id=self.backend.ids.new("tmf"), description=description, tags=tags)
        )
        self._remember("filter", token, request, mirror_filter.id)
        return mirror_filter

    def delete_filter(self, filter_id: str) -> None:
        mirror_filter = self.filters.get(filter_id)
        sessions = self.sessions.lookup("filter", mirror_filter.id)
        if sessions:
            raise ServiceError(
                f"Traffic mirror filter {mirror_filter.id} is in use by traffic mirror session "
                f"{sessions[0].id}.",
                code="TrafficMirrorFilterInUse",
            )
        commit()
        for rule in self.rules.lookup("filter", mirror_filter.id):
            self.rules.remove(rule.id)
        self.filters.remove(mirror_filter.id)

    def modify_network_services(
        self, filter_id: str, add: list[str], remove: list[str]
    ) -> MirrorFilter:
        mirror_filter = self.filters.get(filter_id)
        for service in [*add, *remove]:
            if service not in NETWORK_SERVICES:
                raise InvalidParameterValue(
                    f"Invalid value '{service}' for network service. Valid values are "
                    f"{', '.join(NETWORK_SERVICES)}."
                )
        if set(add) & set(remove):
            raise InvalidParameterCombination(
                "The same network service cannot be both added and removed."
            )
        commit()
        services = [s for s in mirror_filter.network_services if s not in remove]
        services += [s for s in add if s not in services]
        mirror_filter.network_services = services
        return mirror_filter

    # -- rules

    def _check_rule(
        self, mirror_filter: MirrorFilter, rule: FilterRule, ignore: str | None = None
    ) -> None:
        """The whole rule, as it would be after a create or a modify."""
        if rule.direction not in DIRECTIONS:
            raise InvalidParameterValue(
                f"Invalid value '{rule.direction}' for TrafficDirection. Valid values are "
                "ingress, egress."
            )
        if rule.action not in ACTIONS:
            raise InvalidParameterValue(
                f"Invalid value '{rule.action}' for RuleAction. Valid values are accept, reject."
            )
        if not 1 <= rule.number <= MAX_RULE_NUMBER:
            raise InvalidParameterValue(
                f"Invalid value '{rule.number}' for RuleNumber. It must be between 1 and "
                f"{MAX_RULE_NUMBER}."
            )
        if rule.protocol is not None and not 0 <= rule.protocol <= 255:
            raise InvalidParameterValue(
                f"Invalid value '{rule.protocol}' for Protocol. It must be between 0 and 255."
            )
        destination = _cidr(rule.destination_cidr, "DestinationCidrBlock")
        source = _cidr(rule.source_cidr, "SourceCidrBlock")
        if destination.version != source.version:
            raise InvalidParameterCombination(
                "The source and destination CIDR blocks must be of the same IP version."
            )
        if (rule.destination_ports or rule.source_ports) and rule.protocol not in PORT_PROTOCOLS:
            raise InvalidParameterCombination(
                "Port ranges can only be given for the TCP (6) and UDP (17) protocols."
            )
        siblings = [
            r
            for r in self.rules.lookup("filter", mirror_filter.id)
            if r.direction == rule.direction and r.id != ignore
        ]
        if any(r.number == rule.number for r in siblings):
            raise ServiceError(
                f"A {rule.direction} rule with rule number {rule.number} already exists in "
                f"traffic mirror filter {mirror_filter.id}.",
                code="TrafficMirrorFilterRuleAlreadyExists",
            )
        moving = ignore is not None and self.rules.get(ignore).direction != rule.direction
        if (ignore is None or moving) and len(siblings) >= MAX_RULES:
            raise ServiceError(
                f"The maximum number of {rule.direction} rules ({MAX_RULES}) for traffic "
                f"mirror filter {mirror_filter.id} has been reached.",
                code="TrafficMirrorFilterRuleLimitExceeded",
            )

    def create_rule(
        self, filter_id: str, change: RuleChange, tags: dict[str, str], token: str | None
    ) -> FilterRule:
        request = (filter_id, change, tuple(tags.items()))
        made = self._replay("rule", token, request)
        if made is not None and made in self.rules:
            commit()
            return self.rules.get(made)
        mirror_filter = self.filters.get(filter_id)
        for member, value in (
            ("TrafficDirection", change.direction),
            ("RuleNumber", change.number),
            ("RuleAction", change.action),
            ("DestinationCidrBlock", change.destination_cidr),
            ("SourceCidrBlock", change.source_cidr),
        ):
            if value is None:
                raise MissingParameter(member)
        rule = FilterRule(
            id="",
            filter_id=mirror_filter.id,
            direction=change.direction or "",
            number=change.number or 0,
            action=change.action or "",
            destination_cidr=str(_cidr(change.destination_cidr or "", "DestinationCidrBlock")),
            source_cidr=str(_cidr(change.source_cidr or "", "SourceCidrBlock")),
            protocol=change.protocol,
            destination_ports=_port_range(change.destination_ports, "DestinationPortRange")
            if change.destination_ports is not None
            else None,
            source_ports=_port_range(change.source_ports, "SourcePortRange")
            if change.source_ports is not None
            else None,
            description=change.description,
            tags=tags,
        )
        self._check_rule(mirror_filter, rule)
        commit()
        rule.id = self.backend.ids.new("tmfr")
        self.rules.add(rule)
        self._remember("rule", token, request, rule.id)
        return rule

    def modify_rule(self, rule_id: str, change: RuleChange) -> FilterRule:
        rule = self.rules.get(rule_id)
        mirror_filter = self.filters.get(rule.filter_id)
        for name in change.remove:
            if name not in RULE_FIELDS:
                raise InvalidParameterValue(
                    f"Invalid value '{name}' for RemoveFields. Valid values are "
                    f"{', '.join(RULE_FIELDS)}."
                )
        given = {
            "destination-port-range": change.destination_ports is not None,
            "source-port-range": change.source_ports is not None,
            "protocol": change.protocol is not None,
            "description": change.description is not None,
        }
        both = [name for name in change.remove if given.get(name)]
        if both:
            raise InvalidParameterCombination(
                f"The field {both[0]} cannot be both set and removed in one request."
            )
        updated = FilterRule(
            id=rule.id,
            filter_id=rule.filter_id,
            direction=change.direction if change.direction is not None else rule.direction,
            number=change.number if change.number is not None else rule.number,
            action=change.action if change.action is not None else rule.action,
            destination_cidr=str(_cidr(change.destination_cidr, "DestinationCidrBlock"))
            if change.destination_cidr is not None
            else rule.destination_cidr,
            source_cidr=str(_cidr(change.source_cidr, "SourceCidrBlock"))
            if change.source_cidr is not None
            else rule.source_cidr,
            protocol=None
            if "protocol" in change.remove
            else (change.protocol if change.protocol is not None else rule.protocol),
            destination_ports=None
            if "destination-port-range" in change.remove
            else (
                _port_range(change.destination_ports, "DestinationPortRange")
                if change.destination_ports is not None
                else rule.destination_ports
            ),
            source_ports=None
            if "source-port-range" in change.remove
            else (
                _port_range(change.source_ports, "SourcePortRange")
                if change.source_ports is not None
                else rule.source_ports
            ),
            description=None
            if "description" in change.remove
            else (change.description if change.description is not None else rule.description),
            tags=rule.tags,
        )
        self._check_rule(mirror_filter, updated, ignore=rule.id)
        commit()
        _copy(updated, rule)
        self.rules.reindex(rule)
        return rule

    def delete_rule(self, rule_id: str) -> None:
        rule = self.rules.get(rule_id)
        commit()
        self.rules.remove(rule.id)

    # -- targets

    def create_target(
        self,
        interface_id: str | None,
        nlb_arn: str | None,
        gwlb_endpoint_id: str | None,
        description: str | None,
        tags: dict[str, str],
        token: str | None,
    ) -> MirrorTarget:
        request = (interface_id, nlb_arn, gwlb_endpoint_id, description, tuple(tags.items()))
        made = self._replay("target", token, request)
        if made is not None and made in self.targets:
            commit()
            return self.targets.get(made)
        given = [v for v in (interface_id, nlb_arn, gwlb_endpoint_id) if v is not None]
        if len(given) != 1:
            raise InvalidParameterCombination(
                "Exactly one of NetworkInterfaceId, NetworkLoadBalancerArn and "
                "GatewayLoadBalancerEndpointId must be specified."
            )
        if interface_id is not None:
            eni = self.backend.network_interfaces.get(interface_id)
            if self.targets.lookup("interface", eni.id):
                raise ServiceError(
                    f"The network interface {eni.id} is already a traffic mirror target.",
                    code="InterfaceInUseByTrafficMirrorTarget",
                )
            if self.sessions.lookup("interface", eni.id):
                raise ServiceError(
                    f"The network interface {eni.id} is the source of a traffic mirror session.",
                    code="InterfaceInUseByTrafficMirrorSession",
                )
            target_type = "network-interface"
        elif nlb_arn is not None:
            if not _NLB_ARN.match(nlb_arn):
                raise ServiceError(
                    f"The Network Load Balancer ARN '{nlb_arn}' is malformed.",
                    code="InvalidNetworkLoadBalancerArn.Malformed",
                )
            if self.targets.lookup("nlb", nlb_arn):
                raise ServiceError(
                    f"The Network Load Balancer {nlb_arn} is already a traffic mirror target.",
                    code="NlbInUseByTrafficMirrorTargetException",
                )
            target_type = "network-load-balancer"
        else:
            endpoint = gwlb_endpoint_id or ""
            if not _VPCE_ID.match(endpoint):
                raise ServiceError(
                    f'Invalid id: "{endpoint}" (expecting "vpce-...")',
                    code="InvalidVpcEndpointId.Malformed",
                )
            self._check_endpoint(endpoint)
            target_type = "gateway-load-balancer-endpoint"
        commit()
        target = self.targets.add(
            MirrorTarget(
                id=self.backend.ids.new("tmt"),
                owner_id=self.backend.account_id,
                target_type=target_type,
                interface_id=interface_id,
                nlb_arn=nlb_arn,
                gwlb_endpoint_id=gwlb_endpoint_id,
                description=description,
                tags=tags,
            )
        )
        self._remember("target", token, request, target.id)
        return target

    def _check_endpoint(self, endpoint_id: str) -> None:
        """The endpoint exists, once the VPC endpoint family is there to say so."""
        try:
            self.backend.resource(endpoint_id)
        except ServiceError as error:
            if error.code != "InvalidID":  # InvalidID: no endpoint family to ask yet
                raise

    def delete_target(self, target_id: str) -> None:
        target = self.targets.get(target_id)
        sessions = self.sessions.lookup("target", target.id)
        if sessions:
            raise ServiceError(
                f"Traffic mirror target {target.id} is in use by traffic mirror session "
                f"{sessions[0].id}.",
                code="TrafficMirrorTargetInUseException",
            )
        commit()
        self.targets.remove(target.id)

    # -- sessions

    def _new_vni(self) -> int:
        rng = self.backend.rng
        while True:
            vni = rng.randrange(1, MAX_VNI + 1)
            if vni not in self._vnis:
                return vni

    def _check_session(self, session: MirrorSession, ignore: str | None = None) -> None:
        eni = self.backend.network_interfaces.get(session.interface_id)
        target = self.targets.get(session.target_id)
        self.filters.get(session.filter_id)
        if target.interface_id == eni.id:
            raise InvalidParameterCombination(
                f"The network interface {eni.id} cannot be both the source and the target of "
                "a traffic mirror session."
            )
        if self.targets.lookup("interface", eni.id):
            raise ServiceError(
                f"The network interface {eni.id} is a traffic mirror target and cannot be a "
                "source.",
                code="InterfaceInUseByTrafficMirrorTarget",
            )
        if not 1 <= session.session_number <= MAX_SESSION_NUMBER:
            raise InvalidParameterValue(
                f"Invalid value '{session.session_number}' for SessionNumber. It must be "
                f"between 1 and {MAX_SESSION_NUMBER}."
            )
        if session.packet_length is not None and not (
            1 <= session.packet_length <= MAX_PACKET_LENGTH
        ):
            raise InvalidParameterValue(
                f"Invalid value '{session.packet_length}' for PacketLength. It must be between "
                f"1 and {MAX_PACKET_LENGTH}."
            )
        if not 0 <= session.virtual_network_id <= MAX_VNI:
            raise InvalidParameterValue(
                f"Invalid value '{session.virtual_network_id}' for VirtualNetworkId. It must "
                f"be between 0 and {MAX_VNI}."
            )
        others = [s for s in self.sessions.lookup("interface", eni.id) if s.id != ignore]
        if any(s.session_number == session.session_number for s in others):
            raise InvalidParameterValue(
                f"The network interface {eni.id} already has a traffic mirror session with "
                f"session number {session.session_number}."
            )
        if ignore is None and len(others) >= MAX_SESSIONS_PER_INTERFACE:
            raise ServiceError(
                f"The network interface {eni.id} already has the maximum number of traffic "
                f"mirror sessions ({MAX_SESSIONS_PER_INTERFACE}).",
                code="TrafficMirrorSessionsPerInterfaceLimitExceeded",
            )

    def create_session(
        self, change: SessionChange, tags: dict[str, str], token: str | None
    ) -> MirrorSession:
        request = (change, tuple(tags.items()))
        made = self._replay("session", token, request)
        if made is not None and made in self.sessions:
            commit()
            return self.sessions.get(made)
        if change.interface_id is None:
            raise MissingParameter("NetworkInterfaceId")
        if change.target_id is None:
            raise MissingParameter("TrafficMirrorTargetId")
        if change.filter_id is None:
            raise MissingParameter("TrafficMirrorFilterId")
        if change.session_number is None:
            raise MissingParameter("SessionNumber")
        target = self.targets.get(change.target_id)
        packet_length = change.packet_length
        if packet_length is None and target.target_type == "network-load-balancer":
            packet_length = MAX_PACKET_LENGTH  # EC2's default for NLB targets
        session = MirrorSession(
            id="",
            owner_id=self.backend.account_id,
            interface_id=change.interface_id,
            target_id=change.target_id,
            filter_id=change.filter_id,
            session_number=change.session_number,
            virtual_network_id=change.virtual_network_id
            if change.virtual_network_id is not None
            else 0,
            packet_length=packet_length,
            description=change.description,
            tags=tags,
        )
        self._check_session(session)
        commit()
        session.id = self.backend.ids.new("tms")
        if change.virtual_network_id is None:
            session.virtual_network_id = self._new_vni()
        self._vnis.add(session.virtual_network_id)
        self.sessions.add(session)
        self._remember("session", token, request, session.id)
        return session

    def modify_session(self, session_id: str, change: SessionChange) -> MirrorSession:
        session = self.sessions.get(session_id)
        for name in change.remove:
            if name not in SESSION_FIELDS:
                raise InvalidParameterValue(
                    f"Invalid value '{name}' for RemoveFields. Valid values are "
                    f"{', '.join(SESSION_FIELDS)}."
                )
        given = {
            "packet-length": change.packet_length is not None,
            "description": change.description is not None,
            "virtual-network-id": change.virtual_network_id is not None,
        }
        both = [name for name in change.remove if given.get(name)]
        if both:
            raise InvalidParameterCombination(
                f"The field {both[0]} cannot be both set and removed in one request."
            )
        updated = MirrorSession(
            id=session.id,
            owner_id=session.owner_id,
            interface_id=session.interface_id,
            target_id=change.target_id or session.target_id,
            filter_id=change.filter_id or session.filter_id,
            session_number=change.session_number
            if change.session_number is not None
            else session.session_number,
            virtual_network_id=change.virtual_network_id
            if change.virtual_network_id is not None
            else session.virtual_network_id,
            packet_length=None
            if "packet-length" in change.remove
            else (
                change.packet_length if change.packet_length is not None else session.packet_length
            ),
            description=None
            if "description" in change.remove
            else (change.description if change.description is not None else session.description),
            tags=session.tags,
        )
        self._check_session(updated, ignore=session.id)
        commit()
        if "virtual-network-id" in change.remove:
            # removing the VNI lets EC2 choose a new one at random
            self._vnis.discard(updated.virtual_network_id)
            updated.virtual_network_id = self._new_vni()
        elif updated.virtual_network_id != session.virtual_network_id:
            self._vnis.discard(session.virtual_network_id)
        self._vnis.add(updated.virtual_network_id)
        _copy(updated, session)
        self.sessions.reindex(session)
        return session

    def delete_session(self, session_id: str) -> None:
        session = self.sessions.get(session_id)
        commit()
        self._vnis.discard(session.virtual_network_id)
        self.sessions.remove(session.id)


def _copy(source: Resource, into: Resource) -> None:
    """Modify in place, so the resource keeps its place in creation order."""
    for item in fields(source):
        setattr(into, item.name, getattr(source, item.name))


FILTER_FILTERS = {
    "description": lambda f: f.description,
    "traffic-mirror-filter-id": lambda f: f.id,
}

RULE_FILTERS = {
    "description": lambda r: r.description,
    "destination-cidr-block": lambda r: r.destination_cidr,
    "protocol": lambda r: r.protocol,
    "rule-action": lambda r: r.action,
    "rule-number": lambda r: r.number,
    "source-cidr-block": lambda r: r.source_cidr,
    "traffic-direction": lambda r: r.direction,
    "traffic-mirror-filter-id": lambda r: r.filter_id,
    "traffic-mirror-filter-rule-id": lambda r: r.id,
}

TARGET_FILTERS = {
    "description": lambda t: t.description,
    "network-interface-id": lambda t: t.interface_id,
    "network-load-balancer-arn": lambda t: t.nlb_arn,
    "owner-id": lambda t: t.owner_id,
    "traffic-mirror-target-id": lambda t: t.id,
}

SESSION_FILTERS = {
    "description": lambda s: s.description,
    "network-interface-id": lambda s: s.interface_id,
    "owner-id": lambda s: s.owner_id,
    "packet-length": lambda s: s.packet_length,
    "session-number": lambda s: s.session_number,
    "traffic-mirror-filter-id": lambda s: s.filter_id,
    "traffic-mirror-session-id": lambda s: s.id,
    "traffic-mirror-target-id": lambda s: s.target_id,
    "virtual-network-id": lambda s: s.virtual_network_id,
}
