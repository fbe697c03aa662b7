"""Network function attachments (to a Gateway Load Balancer endpoint service) and the NAT
configuration of transit gateway attachments."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cloudmock.core.errors import (
    InvalidParameterCombination,
    InvalidParameterValue,
    MissingParameter,
    ServiceError,
)
from cloudmock.services.ec2.models.base import Resource
from cloudmock.services.ec2.models.transit_gateways import Attachment, TransitGateway

if TYPE_CHECKING:
    from cloudmock.services.ec2.models.regions import Zone
    from cloudmock.services.ec2.models.transit_gateways import TransitGateways
    from cloudmock.services.ec2.shapes import (
        TransitGatewayNetworkFunctionAttachment as NetworkFunctionShape,
    )

MAX_NAT_RULES = 50
_SERVICE_NAME = re.compile(r"^com\.amazonaws\.vpce\.[a-z0-9-]+\.(vpce-svc-[0-9a-f]{8,17})$")
_NAT_SPACES = [
    ipaddress.IPv4Network(n)
    for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10")
]
_NO_MATCH = [ipaddress.IPv4Network(n) for n in ("224.0.0.0/4", "169.254.0.0/16")]


@dataclass(eq=False)
class NetworkFunctionAttachment(Attachment):
    service_name: str = ""
    zones: list[Zone] = field(default_factory=list)

    resource_type = "network-function"

    def describe(self) -> NetworkFunctionShape:
        out: NetworkFunctionShape = {
            "TransitGatewayAttachmentId": self.id,
            "TransitGatewayId": self.tgw_id,
            "TransitGatewayOwnerId": self.tgw_owner_id,
            "ResourceOwnerId": self.resource_owner_id,
            "ResourceId": self.resource_id,
            "AvailabilityZones": [z.name for z in self.zones],
            "AvailabilityZoneIds": [z.zone_id for z in self.zones],
            "State": self.state,  # type: ignore[typeddict-item]
            "CreationTime": self.creation_time,
        }
        if self.tags:
            out["Tags"] = self.tag_list()
        return out


@dataclass
class NatRule:
    number: int
    match_source: str
    nat_cidr: str
    state: str = "pending"

    def describe(self) -> dict[str, Any]:
        return {
            "RuleNumber": self.number,
            "MatchSourceCidr": self.match_source,
            "NatCidr": self.nat_cidr,
            "State": self.state,
        }


@dataclass(eq=False)
class NatConfig(Resource):
    """One attachment's NAT configuration; its own generation, so its changes settle apart
    from the attachment's state."""

    support: str = "disabled"
    system_routes: str = "enable"
    rules: list[NatRule] = field(default_factory=list)
    generation: int = 0
    state: str = "disabled"

    def describe(self) -> dict[str, Any]:
        return {
            "TransitGatewayAttachmentId": self.id,
            "NatGatewaySupport": self.support,
            "NatSystemRouteSupport": self.system_routes,
            "NatGatewayRules": [r.describe() for r in self.rules],
        }

    def routed_cidrs(self) -> list[str]:
        """The NAT CIDRs the gateway routes to the attachment while NAT is on."""
        if self.support != "enabled" or self.system_routes != "enable":
            return []
        return [r.nat_cidr for r in self.rules]


def parse_zones(
    zones: dict[str, Zone], names: list[str] | None, zone_ids: list[str] | None
) -> list[Zone]:
    """Zones named by name and/or id, each once, in the region's order."""
    by_id = {z.zone_id: z for z in zones.values()}
    picked: dict[str, Zone] = {}
    for name in names or ():
        zone = zones.get(name)
        if zone is None:
            raise InvalidParameterValue(f"Invalid availability zone: [{name}]")
        picked[zone.name] = zone
    for zone_id in zone_ids or ():
        zone = by_id.get(zone_id)
        if zone is None:
            raise InvalidParameterValue(f"Invalid availability zone id: [{zone_id}]")
        picked[zone.name] = zone
    return [z for z in zones.values() if z.name in picked]


class TgwFunctions:
    """Network function attachments and NAT configurations of one region's transit gateways."""

    def __init__(self, family: TransitGateways) -> None:
        self.family = family
        #: attachment id -> NAT configuration (only for attachments whose NAT was configured)
        self.nat: dict[str, NatConfig] = {}

    # -- network function attachments

    def check_service(self, service_name: str) -> str:
        """The endpoint service id of ``service_name``, if the service can be found."""
        match = _SERVICE_NAME.match(service_name)
        if match is None:
            raise ServiceError(
                f"The Vpc Endpoint Service '{service_name}' does not exist",
                code="InvalidServiceName",
            )
        service_id = match.group(1)
        try:
            self.family.backend.resource(service_id)
        except ServiceError as error:
            # no endpoint-service family in this build: the name's shape is all we can check
            if error.code != "InvalidID":
                raise ServiceError(
                    f"The Vpc Endpoint Service '{service_name}' does not exist",
                    code="InvalidServiceName",
                ) from None
        return service_id

    def acceptance_required(self, service_id: str) -> bool:
        backend = self.family.backend
        if not backend.exists(service_id):
            return False
        return bool(getattr(backend.resource(service_id), "acceptance_required", False))

    def check_network_function(
        self, gateway: TransitGateway, service_name: str, zones: list[Zone]
    ) -> str:
        if gateway.owner_id != self.family.backend.account_id:
            raise ServiceError(
                f"Only the owner of {gateway.id} can create a network function attachment.",
                code="OperationNotPermitted",
            )
        service_id = self.check_service(service_name)
        if not zones:
            raise MissingParameter("AvailabilityZones")
        for other in self.family.attachments.lookup("resource", service_id):
            if (
                isinstance(other, NetworkFunctionAttachment)
                and other.tgw_id == gateway.id
                and other.live
            ):
                raise ServiceError(
                    f"{gateway.id} has a non-deleted network function attachment for "
                    f"{service_name}.",
                    code="DuplicateTransitGatewayAttachment",
                )
        return service_id

    def create_network_function(
        self,
        gateway: TransitGateway,
        service_name: str,
        service_id: str,
        zones: list[Zone],
        tags: dict[str, str],
    ) -> NetworkFunctionAttachment:
        family = self.family
        attachment = NetworkFunctionAttachment(
            id=family._new_attachment_id(),
            tgw_id=gateway.id,
            tgw_owner_id=gateway.owner_id,
            resource_owner_id=family.backend.account_id,
            resource_id=service_id,
            creation_time=family.now(),
            service_name=service_name,
            zones=zones,
            tags=tags,
        )
        family.attachments.add(attachment)
        if self.acceptance_required(service_id):
            family.transition(attachment, "pendingAcceptance")
        else:
            family.transition(attachment, "pending", family.on_available)
        return attachment

    def check_modify_network_function(
        self,
        attachment: NetworkFunctionAttachment,
        add: list[Zone],
        remove: list[Zone],
    ) -> list[Zone]:
        if attachment.state != "available":
            raise ServiceError(
                f"{attachment.id} is in invalid state {attachment.state}.", code="IncorrectState"
            )
        if not add and not remove:
            raise MissingParameter("AddAvailabilityZones")
        current = {z.name for z in attachment.zones}
        added, removed = {z.name for z in add}, {z.name for z in remove}
        if added & removed:
            raise InvalidParameterValue(
                "You can't add and remove the same Availability Zone in a single request."
            )
        for name in removed - current:
            raise InvalidParameterValue(f"Availability Zone {name} is not in {attachment.id}.")
        for name in added & current:
            raise InvalidParameterValue(f"Availability Zone {name} is already in {attachment.id}.")
        kept = (current - removed) | added
        if not kept:
            raise InvalidParameterValue(
                f"{attachment.id} must keep at least one Availability Zone."
            )
        zones = self.family.backend.zones
        return [z for z in zones.values() if z.name in kept]

    def modify_network_function(
        self, attachment: NetworkFunctionAttachment, zones: list[Zone]
    ) -> None:
        attachment.zones = zones
        self.family.transition(attachment, "modifying", self.family._to_available)

    # -- NAT configuration

    def config(self, attachment: Attachment) -> NatConfig:
        found = self.nat.get(attachment.id)
        if found is None:
            found = self.nat[attachment.id] = NatConfig(id=attachment.id)
        return found

    def support_of(self, attachment_id: str) -> str:
        config = self.nat.get(attachment_id)
        return config.support if config is not None else "disabled"

    def check_owner(self, attachment: Attachment) -> None:
        if attachment.tgw_owner_id != self.family.backend.account_id:
            raise ServiceError(
                f"Only the owner of {attachment.tgw_id} can see or change the NAT "
                f"configuration of {attachment.id}.",
                code="OperationNotPermitted",
            )

    def check_nat(
        self,
        attachment: Attachment,
        support: str | None,
        system_routes: str | None,
        rules: list[dict[str, Any]] | None,
        reset: bool | None,
    ) -> tuple[list[NatRule] | None, str | None]:
        """The new rules (None: unchanged) and support, once every check has passed."""
        self.check_owner(attachment)
        config = self.config(attachment)
        if config.support in ("enabling", "disabling"):
            raise ServiceError(
                f"The NAT configuration of {attachment.id} is {config.support}.",
                code="IncorrectState",
            )
        if rules is not None and reset:
            raise InvalidParameterCombination(
                "The parameters NatGatewayRules and ResetNatGatewayRules cannot be used together."
            )
        if system_routes is not None and attachment.resource_type not in (
            "vpn",
            "direct-connect-gateway",
        ):
            raise InvalidParameterValue(
                "NatSystemRouteSupport can be set only for Direct Connect gateway and "
                "Site-to-Site VPN attachments."
            )
        new_rules = self._rules(rules) if rules is not None else ([] if reset else None)
        kept = new_rules if new_rules is not None else config.rules
        wanted = support or ("enable" if config.support == "enabled" else "disable")
        if wanted == "enable" and not kept:
            raise InvalidParameterValue("NAT gateway support needs at least one NAT gateway rule.")
        return new_rules, support

    def _rules(self, raw: list[dict[str, Any]]) -> list[NatRule]:
        if len(raw) > MAX_NAT_RULES:
            raise InvalidParameterValue(
                f"You can specify up to {MAX_NAT_RULES} NAT gateway rules for an attachment."
            )
        out: list[NatRule] = []
        numbers: set[int] = set()
        nat_blocks: list[ipaddress.IPv4Network] = []
        for position, rule in enumerate(raw, start=1):
            number = rule.get("RuleNumber")
            if number is None:
                raise MissingParameter(f"NatGatewayRules.{position}.RuleNumber")
            if not 1 <= number <= 32766 or number in numbers:
                raise InvalidParameterValue(
                    f"The rule number {number} is invalid: rule numbers are 1 to 32766, each once."
                )
            numbers.add(number)
            match = _ipv4(
                rule.get("MatchSourceCidr"), f"NatGatewayRules.{position}.MatchSourceCidr"
            )
            nat = _ipv4(rule.get("NatCidr"), f"NatGatewayRules.{position}.NatCidr")
            if any(match.overlaps(n) for n in _NO_MATCH):
                raise InvalidParameterValue(
                    f"The CIDR block {match} overlaps the multicast or link-local range."
                )
            if not any(nat.subnet_of(space) for space in _NAT_SPACES):
                raise InvalidParameterValue(
                    f"The NAT CIDR block {nat} must be in a private (RFC 1918) or shared "
                    "(RFC 6598) address range."
                )
            if nat.prefixlen != match.prefixlen:
                raise InvalidParameterValue(
                    f"The NAT CIDR block {nat} must have the prefix length of {match}."
                )
            if any(nat.overlaps(other) for other in nat_blocks):
                raise InvalidParameterValue(f"The NAT CIDR block {nat} overlaps another rule's.")
            nat_blocks.append(nat)
            out.append(NatRule(number, str(match), str(nat)))
        return out

    def modify_nat(
        self, attachment: Attachment, rules: list[NatRule] | None, support: str | None
    ) -> NatConfig:
        config = self.config(attachment)
        if rules is not None:
            for rule in rules:
                rule.state = "pending" if config.support == "enabled" else "deactivated"
            config.rules = rules
        family = self.family
        if support == "enable" and config.support != "enabled":
            family.transition(config, "enabling", self._settle)
        elif support == "disable" and config.support != "disabled":
            family.transition(config, "disabling", self._settle)
        elif rules is not None and config.support == "enabled":
            family.transition(config, "enabled", self._settle)
        config.support = config.state
        return config

    def _settle(self, config: NatConfig) -> None:
        done = "enabled" if config.state in ("enabling", "enabled") else "disabled"
        config.state = config.support = done
        config.generation += 1
        for rule in config.rules:
            rule.state = "activated" if done == "enabled" else "deactivated"

    def routed_cidrs(self, attachment_id: str) -> list[str]:
        config = self.nat.get(attachment_id)
        return config.routed_cidrs() if config is not None else []

    def forget(self, attachment_id: str) -> None:
        self.nat.pop(attachment_id, None)


def _ipv4(value: Any, where: str) -> ipaddress.IPv4Network:
    if not value:
        raise MissingParameter(where)
    try:
        return ipaddress.IPv4Network(value, strict=True)
    except ValueError:
        raise InvalidParameterValue(
            f"The value {value} for {where} is not an IPv4 CIDR block."
        ) from None


NETWORK_FUNCTION_FILTERS = {
    "service-name": lambda a: a.service_name,
    "state": lambda a: a.state,
    "transit-gateway-attachment-id": lambda a: a.id,
    "transit-gateway-id": lambda a: a.tgw_id,
}
