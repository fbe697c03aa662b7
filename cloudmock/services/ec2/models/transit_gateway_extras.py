"""Connect peers, multicast domains, policy tables and metering policies of transit gateways."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from cloudmock.core.errors import InvalidParameterValue, MissingParameter, ServiceError
from cloudmock.services.ec2.models.base import Resource, Store
from cloudmock.services.ec2.models.transit_gateway_kinds import (
    CONNECT_PEER,
    METERING_POLICY,
    MULTICAST_DOMAIN,
    POLICY_TABLE,
)
from cloudmock.services.ec2.models.transit_gateways import (
    GONE,
    Attachment,
    ConnectAttachment,
    TransitGateway,
    VpcAttachment,
    check_asn,
    enabled,
)

if TYPE_CHECKING:
    from cloudmock.services.ec2.models.transit_gateway_routes import TgwRouteTable
    from cloudmock.services.ec2.models.transit_gateways import TransitGateways
    from cloudmock.services.ec2.shapes import (
        TransitGatewayConnectPeer as ConnectPeerShape,
    )
    from cloudmock.services.ec2.shapes import (
        TransitGatewayMeteringPolicy as MeteringPolicyShape,
    )
    from cloudmock.services.ec2.shapes import (
        TransitGatewayMeteringPolicyEntry as MeteringEntryShape,
    )
    from cloudmock.services.ec2.shapes import (
        TransitGatewayMulticastDomain as MulticastDomainShape,
    )
    from cloudmock.services.ec2.shapes import (
        TransitGatewayPolicyTable as PolicyTableShape,
    )
    from cloudmock.services.ec2.shapes import (
        TransitGatewayPolicyTableEntry as PolicyEntryShape,
    )

#: inside /29 blocks AWS keeps for itself
RESERVED_INSIDE = {
    "169.254.0.0/29",
    "169.254.1.0/29",
    "169.254.2.0/29",
    "169.254.3.0/29",
    "169.254.4.0/29",
    "169.254.5.0/29",
    "169.254.169.248/29",
}
MAX_CONNECT_PEERS = 4
MULTICAST_V4 = ipaddress.ip_network("224.0.0.0/4")
MULTICAST_V6 = ipaddress.ip_network("ff00::/8")


# -- Connect peers


@dataclass(eq=False)
class ConnectPeer(Resource):
    attachment_id: str
    transit_gateway_address: str
    peer_address: str
    inside_cidrs: list[str]
    tgw_asn: int
    peer_asn: int
    creation_time: datetime
    state: str = "pending"
    generation: int = 0

    def bgp(self) -> list[dict[str, Any]]:
        out = []
        for cidr in self.inside_cidrs:
            network = ipaddress.ip_network(cidr)
            first = network.network_address
            for offset in (1, 2):
                out.append(
                    {
                        "TransitGatewayAsn": self.tgw_asn,
                        "PeerAsn": self.peer_asn,
                        "TransitGatewayAddress": str(first + offset),
                        "PeerAddress": str(first),
                        "BgpStatus": "down",
                    }
                )
        return out

    def describe(self) -> ConnectPeerShape:
        out: ConnectPeerShape = {
            "TransitGatewayAttachmentId": self.attachment_id,
            "TransitGatewayConnectPeerId": self.id,
            "State": self.state,  # type: ignore[typeddict-item]
            "CreationTime": self.creation_time,
            "ConnectPeerConfiguration": {
                "TransitGatewayAddress": self.transit_gateway_address,
                "PeerAddress": self.peer_address,
                "InsideCidrBlocks": list(self.inside_cidrs),
                "Protocol": "gre",
                "BgpConfigurations": self.bgp(),  # type: ignore[typeddict-item]
            },
        }
        if self.tags:
            out["Tags"] = self.tag_list()
        return out


# -- multicast


@dataclass
class DomainAssociation:
    attachment: Attachment
    subnet_id: str
    state: str


@dataclass
class GroupRegistration:
    group: str
    eni_id: str
    subnet_id: str
    attachment: Attachment
    member: bool


@dataclass(eq=False)
class MulticastDomain(Resource):
    tgw_id: str
    owner_id: str
    region: str
    igmpv2_support: str
    static_sources_support: str
    auto_accept_shared_associations: str
    creation_time: datetime
    state: str = "pending"
    generation: int = 0
    #: (attachment id, subnet id) -> association
    associations: dict[tuple[str, str], DomainAssociation] = field(default_factory=dict)
    #: (group, eni id, member?) -> registration
    groups: dict[tuple[str, str, bool], GroupRegistration] = field(default_factory=dict)

    @property
    def arn(self) -> str:
        return (
            f"arn:aws:ec2:{self.region}:{self.owner_id}:transit-gateway-multicast-domain/{self.id}"
        )

    def describe(self) -> MulticastDomainShape:
        out: MulticastDomainShape = {
            "TransitGatewayMulticastDomainId": self.id,
            "TransitGatewayId": self.tgw_id,
            "TransitGatewayMulticastDomainArn": self.arn,
            "OwnerId": self.owner_id,
            "Options": {
                "Igmpv2Support": self.igmpv2_support,  # type: ignore[typeddict-item]
                "StaticSourcesSupport": self.static_sources_support,  # type: ignore[typeddict-item]
                "AutoAcceptSharedAssociations": self.auto_accept_shared_associations,  # type: ignore[typeddict-item]
            },
            "State": self.state,  # type: ignore[typeddict-item]
            "CreationTime": self.creation_time,
        }
        if self.tags:
            out["Tags"] = self.tag_list()
        return out


# -- policy tables


@dataclass
class PolicyRule:
    source_cidr: str | None = None
    source_ports: str | None = None
    destination_cidr: str | None = None
    destination_ports: str | None = None
    protocol: str | None = None
    meta_key: str | None = None
    meta_value: str | None = None

    def describe(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in (
            ("SourceCidrBlock", self.source_cidr),
            ("SourcePortRange", self.source_ports),
            ("DestinationCidrBlock", self.destination_cidr),
            ("DestinationPortRange", self.destination_ports),
            ("Protocol", self.protocol),
        ):
            if value is not None:
                out[key] = value
        if self.meta_key is not None or self.meta_value is not None:
            meta = {}
            if self.meta_key is not None:
                meta["MetaDataKey"] = self.meta_key
            if self.meta_value is not None:
                meta["MetaDataValue"] = self.meta_value
            out["MetaData"] = meta
        return out


@dataclass
class PolicyEntry:
    number: str
    rule: PolicyRule
    target_route_table_id: str | None
    state: str = "active"

    def describe(self) -> PolicyEntryShape:
        out: PolicyEntryShape = {
            "PolicyRuleNumber": self.number,
            "PolicyRule": self.rule.describe(),  # type: ignore[typeddict-item]
            "State": self.state,  # type: ignore[typeddict-item]
        }
        if self.target_route_table_id:
            out["TargetRouteTableId"] = self.target_route_table_id
        return out


@dataclass(eq=False)
class PolicyTable(Resource):
    tgw_id: str
    creation_time: datetime
    state: str = "pending"
    generation: int = 0
    associations: dict[str, Attachment] = field(default_factory=dict)
    entries: dict[str, PolicyEntry] = field(default_factory=dict)

    def describe(self) -> PolicyTableShape:
        out: PolicyTableShape = {
            "TransitGatewayPolicyTableId": self.id,
            "TransitGatewayId": self.tgw_id,
            "State": self.state,  # type: ignore[typeddict-item]
            "CreationTime": self.creation_time,
        }
        if self.tags:
            out["Tags"] = self.tag_list()
        return out


# -- metering policies


@dataclass
class MeteringEntry:
    number: int
    metered_account: str
    rule: dict[str, Any]
    updated_at: datetime
    state: str = "available"

    def describe(self) -> MeteringEntryShape:
        return {
            "PolicyRuleNumber": str(self.number),
            "MeteredAccount": self.metered_account,  # type: ignore[typeddict-item]
            "State": self.state,  # type: ignore[typeddict-item]
            "UpdatedAt": self.updated_at,
            "UpdateEffectiveAt": self.updated_at,
            "MeteringPolicyRule": dict(self.rule),  # type: ignore[typeddict-item]
        }


@dataclass(eq=False)
class MeteringPolicy(Resource):
    tgw_id: str
    middlebox_ids: list[str]
    updated_at: datetime
    state: str = "pending"
    generation: int = 0
    entries: dict[int, MeteringEntry] = field(default_factory=dict)

    def describe(self) -> MeteringPolicyShape:
        out: MeteringPolicyShape = {
            "TransitGatewayMeteringPolicyId": self.id,
            "TransitGatewayId": self.tgw_id,
            "MiddleboxAttachmentIds": list(self.middlebox_ids),
            "State": self.state,  # type: ignore[typeddict-item]
            "UpdateEffectiveAt": self.updated_at,
        }
        if self.tags:
            out["Tags"] = self.tag_list()
        return out


def _invalid_state(item: Any) -> ServiceError:
    return ServiceError(f"{item.id} is in invalid state {item.state}.", code="IncorrectState")


class TgwExtras:
    """Connect peers, multicast domains, policy tables and metering policies of one region."""

    def __init__(self, family: TransitGateways) -> None:
        self.family = family
        backend = family.backend
        self.connect_peers: Store[ConnectPeer] = backend.new_store(CONNECT_PEER)
        self.connect_peers.add_index("attachment", lambda p: p.attachment_id)
        self.multicast_domains: Store[MulticastDomain] = backend.new_store(MULTICAST_DOMAIN)
        self.multicast_domains.add_index("tgw", lambda d: d.tgw_id)
        self.policy_tables: Store[PolicyTable] = backend.new_store(POLICY_TABLE)
        self.policy_tables.add_index("tgw", lambda t: t.tgw_id)
        self.metering_policies: Store[MeteringPolicy] = backend.new_store(METERING_POLICY)
        self.metering_policies.add_index("tgw", lambda p: p.tgw_id)
        #: network interface id -> the domains it is registered in
        self._by_eni: dict[str, set[str]] = {}

    def registrations(self, domain: MulticastDomain) -> list[GroupRegistration]:
        """The domain's group members and sources; an interface that is gone leaves its groups."""
        interfaces = self.family.backend.network_interfaces
        for key, registration in list(domain.groups.items()):
            if registration.eni_id not in interfaces:
                del domain.groups[key]
                self._by_eni.get(registration.eni_id, set()).discard(domain.id)
        return list(domain.groups.values())

    def _live(self, store: Store[Any], item_id: str) -> Any:
        found = store.find(item_id)
        if found is None or found.state == "deleted":
            store.check_id(item_id)
            raise store.kind.not_found([item_id])
        return found

    def _new(self, store: Store[Any], item: Any) -> Any:
        store.add(item)
        self.family.transition(item, "pending", self.family._to_available)
        return item

    # -- what the rest of the family asks

    def check_gateway_delete(self, gateway: TransitGateway) -> None:
        for store, noun in (
            (self.multicast_domains, "Multicast Domains"),
            (self.policy_tables, "Policy Tables"),
            (self.metering_policies, "Metering Policies"),
        ):
            ids = [item.id for item in store.lookup("tgw", gateway.id) if item.state not in GONE]
            if ids:
                raise ServiceError(
                    f"{gateway.id} has non-deleted {noun}: {', '.join(ids)}.",
                    code="IncorrectState",
                )

    def check_route_table_delete(self, table: TgwRouteTable) -> None:
        for policy in self.policy_tables.lookup("tgw", table.tgw_id):
            for entry in policy.entries.values():
                if entry.target_route_table_id == table.id:
                    raise ServiceError(
                        f"{table.id} is the target of policy table {policy.id} rule "
                        f"{entry.number}.",
                        code="IncorrectState",
                    )

    def forget_attachment(self, attachment: Attachment) -> None:
        if attachment.policy_table_id is not None:
            table = self.policy_tables.find(attachment.policy_table_id)
            if table is not None:
                table.associations.pop(attachment.id, None)
            attachment.policy_table_id = None
        for domain in self.multicast_domains.lookup("tgw", attachment.tgw_id):
            for pair in [k for k in domain.associations if k[0] == attachment.id]:
                del domain.associations[pair]
            for key, registration in list(domain.groups.items()):
                if registration.attachment is attachment:
                    del domain.groups[key]
                    self._by_eni.get(registration.eni_id, set()).discard(domain.id)

    # -- Connect peers

    def check_connect_peer(
        self,
        attachment: ConnectAttachment,
        gateway: TransitGateway,
        transit_gateway_address: str | None,
        peer_address: str,
        inside_cidrs: list[str],
        peer_asn: int | None,
    ) -> tuple[str, list[str], int]:
        if attachment.state != "available":
            raise _invalid_state(attachment)
        try:
            ipaddress.ip_address(peer_address)
        except ValueError:
            raise InvalidParameterValue(
                f"The peer address {peer_address} is not a valid IP address."
            ) from None
        if not inside_cidrs:
            raise MissingParameter("InsideCidrBlocks")
        cidrs: list[str] = []
        versions: set[int] = set()
        for cidr in inside_cidrs:
            try:
                network = ipaddress.ip_network(cidr, strict=True)
            except ValueError:
                raise InvalidParameterValue(f"The inside CIDR block {cidr} is not valid.") from None
            if network.version == 4 and not (
                network.prefixlen == 29
                and network.subnet_of(ipaddress.IPv4Network("169.254.0.0/16"))
            ):
                raise InvalidParameterValue(
                    f"The inside CIDR block {cidr} must be a /29 from 169.254.0.0/16."
                )
            if network.version == 6 and not (
                network.prefixlen == 125 and network.subnet_of(ipaddress.IPv6Network("fd00::/8"))
            ):
                raise InvalidParameterValue(
                    f"The inside CIDR block {cidr} must be a /125 from fd00::/8."
                )
            if str(network) in RESERVED_INSIDE:
                raise InvalidParameterValue(f"The inside CIDR block {cidr} is reserved.")
            if network.version in versions:
                raise InvalidParameterValue(
                    "Specify at most one IPv4 and one IPv6 inside CIDR block."
                )
            versions.add(network.version)
            cidrs.append(str(network))
        peers = [
            p for p in self.connect_peers.lookup("attachment", attachment.id) if p.state not in GONE
        ]
        if len(peers) >= MAX_CONNECT_PEERS:
            raise ServiceError(
                f"{attachment.id} already has {MAX_CONNECT_PEERS} Connect peers.",
                code="TransitGatewayConnectPeerLimitExceeded",
            )
        for peer in peers:
            for cidr in cidrs:
                if any(
                    ipaddress.ip_network(cidr).overlaps(ipaddress.ip_network(other))  # type: ignore[arg-type]
                    for other in peer.inside_cidrs
                    if ipaddress.ip_network(other).version == ipaddress.ip_network(cidr).version
                ):
                    raise InvalidParameterValue(
                        f"The inside CIDR block {cidr} overlaps Connect peer {peer.id}."
                    )
        blocks = [ipaddress.ip_network(c) for c in gateway.options.cidr_blocks]
        if transit_gateway_address is not None:
            try:
                address = ipaddress.ip_address(transit_gateway_address)
            except ValueError:
                raise InvalidParameterValue(
                    f"The transit gateway address {transit_gateway_address} is not valid."
                ) from None
            if not any(address in block for block in blocks):
                raise InvalidParameterValue(
                    f"The transit gateway address {transit_gateway_address} is not in a CIDR "
                    f"block of {gateway.id}."
                )
        else:
            if not blocks:
                raise InvalidParameterValue(
                    f"{gateway.id} has no transit gateway CIDR block to take an address from."
                )
            used = {
                p.transit_gateway_address
                for a in self.family.attachments.lookup("tgw", gateway.id)
                for p in self.connect_peers.lookup("attachment", a.id)
                if p.state not in GONE
            }
            transit_gateway_address = next(
                (str(h) for block in blocks for h in block.hosts() if str(h) not in used), None
            )
            if transit_gateway_address is None:
                raise InvalidParameterValue(f"{gateway.id} has no free transit gateway address.")
        asn = gateway.options.amazon_side_asn if peer_asn is None else peer_asn
        if peer_asn is not None and not 1 <= peer_asn <= 4294967294:
            check_asn(peer_asn, "peerAsn")
        return transit_gateway_address, cidrs, asn

    def create_connect_peer(
        self,
        attachment: ConnectAttachment,
        gateway: TransitGateway,
        transit_gateway_address: str,
        peer_address: str,
        inside_cidrs: list[str],
        peer_asn: int,
        tags: dict[str, str],
    ) -> ConnectPeer:
        family = self.family
        peer = ConnectPeer(
            id=family.backend.ids.new("tgw-connect-peer"),
            attachment_id=attachment.id,
            transit_gateway_address=transit_gateway_address,
            peer_address=peer_address,
            inside_cidrs=inside_cidrs,
            tgw_asn=gateway.options.amazon_side_asn,
            peer_asn=peer_asn,
            creation_time=family.now(),
            tags=tags,
        )
        return self._new(self.connect_peers, peer)

    def connect_peer(self, peer_id: str) -> ConnectPeer:
        return self._live(self.connect_peers, peer_id)

    def delete_connect_peer(self, peer: ConnectPeer) -> None:
        if peer.state in GONE:
            raise _invalid_state(peer)
        self.family.transition(peer, "deleting", self.family._to_deleted)

    # -- multicast domains

    def create_domain(
        self, gateway: TransitGateway, options: dict[str, Any], tags: dict[str, str]
    ) -> MulticastDomain:
        family = self.family
        domain = MulticastDomain(
            id=family.backend.ids.new("tgw-mcast-domain"),
            tgw_id=gateway.id,
            owner_id=family.backend.account_id,
            region=family.backend.region,
            igmpv2_support=options.get("Igmpv2Support") or "disable",
            static_sources_support=options.get("StaticSourcesSupport") or "disable",
            auto_accept_shared_associations=options.get("AutoAcceptSharedAssociations")
            or "disable",
            creation_time=family.now(),
            tags=tags,
        )
        return self._new(self.multicast_domains, domain)

    def check_create_domain(self, gateway: TransitGateway) -> None:
        if not enabled(gateway.options.multicast_support):
            raise InvalidParameterValue(f"Multicast support is not enabled on {gateway.id}.")

    def domain(self, domain_id: str) -> MulticastDomain:
        return self._live(self.multicast_domains, domain_id)

    def check_delete_domain(self, domain: MulticastDomain) -> None:
        if domain.state in GONE:
            raise _invalid_state(domain)
        if domain.associations:
            raise ServiceError(
                f"{domain.id} has associations and cannot be deleted.", code="IncorrectState"
            )

    def delete_domain(self, domain: MulticastDomain) -> None:
        for registration in domain.groups.values():
            self._by_eni.get(registration.eni_id, set()).discard(domain.id)
        domain.groups.clear()
        self.family.transition(domain, "deleting", self.family._to_deleted)

    def check_domain_subnets(
        self, domain: MulticastDomain, attachment: Attachment, subnet_ids: list[str] | None
    ) -> list[str]:
        if domain.state != "available":
            raise _invalid_state(domain)
        if attachment.tgw_id != domain.tgw_id:
            raise InvalidParameterValue(f"{attachment.id} is not an attachment of {domain.tgw_id}.")
        if not isinstance(attachment, VpcAttachment):
            raise InvalidParameterValue(f"{attachment.id} is not a VPC attachment.")
        if not subnet_ids:
            raise MissingParameter("SubnetIds")
        for subnet_id in subnet_ids:
            if subnet_id not in attachment.subnet_ids:
                raise InvalidParameterValue(f"Subnet {subnet_id} is not part of {attachment.id}.")
        return list(dict.fromkeys(subnet_ids))

    def associate_domain(
        self, domain: MulticastDomain, attachment: Attachment, subnet_ids: list[str]
    ) -> list[DomainAssociation]:
        cross_account = attachment.resource_owner_id != domain.owner_id
        state = (
            "pendingAcceptance"
            if cross_account and not enabled(domain.auto_accept_shared_associations)
            else "associated"
        )
        out = []
        for subnet_id in subnet_ids:
            association = domain.associations.get((attachment.id, subnet_id))
            if association is None:
                association = domain.associations[(attachment.id, subnet_id)] = DomainAssociation(
                    attachment, subnet_id, state
                )
            out.append(association)
        return out

    def check_pending_associations(
        self, domain: MulticastDomain, attachment: Attachment, subnet_ids: list[str] | None
    ) -> list[DomainAssociation]:
        if domain.owner_id != self.family.backend.account_id:
            raise ServiceError(
                f"Only the owner of {domain.id} can accept or reject associations.",
                code="OperationNotPermitted",
            )
        wanted = [
            a
            for (attachment_id, subnet_id), a in domain.associations.items()
            if attachment_id == attachment.id and (not subnet_ids or subnet_id in subnet_ids)
        ]
        for association in wanted:
            if association.state != "pendingAcceptance":
                raise ServiceError(
                    f"The association of {association.subnet_id} with {domain.id} is "
                    f"{association.state}, not pendingAcceptance.",
                    code="IncorrectState",
                )
        return wanted

    def settle_associations(
        self, domain: MulticastDomain, associations: list[DomainAssociation], accept: bool
    ) -> None:
        for association in associations:
            if accept:
                association.state = "associated"
            else:
                association.state = "rejected"
                domain.associations.pop((association.attachment.id, association.subnet_id), None)

    def check_disassociate_domain(
        self, domain: MulticastDomain, attachment: Attachment, subnet_ids: list[str]
    ) -> list[DomainAssociation]:
        out = []
        for subnet_id in subnet_ids:
            association = domain.associations.get((attachment.id, subnet_id))
            if association is None:
                raise ServiceError(
                    f"Subnet {subnet_id} of {attachment.id} is not associated with {domain.id}.",
                    code="InvalidAssociation.NotFound",
                )
            out.append(association)
        return out

    def disassociate_domain(
        self, domain: MulticastDomain, associations: list[DomainAssociation]
    ) -> None:
        for association in associations:
            association.state = "disassociating"
            del domain.associations[(association.attachment.id, association.subnet_id)]
            for key, registration in list(domain.groups.items()):
                if registration.subnet_id == association.subnet_id:
                    del domain.groups[key]
                    self._by_eni.get(registration.eni_id, set()).discard(domain.id)

    def check_group(
        self, domain: MulticastDomain, group: str, eni_ids: list[str]
    ) -> list[tuple[str, str, Attachment]]:
        """(eni id, subnet id, attachment) for each interface, once every check has passed."""
        if domain.state != "available":
            raise _invalid_state(domain)
        try:
            address = ipaddress.ip_address(group)
        except ValueError:
            raise InvalidParameterValue(f"The group IP address {group} is not valid.") from None
        if address not in (MULTICAST_V4 if address.version == 4 else MULTICAST_V6):
            raise InvalidParameterValue(f"The group IP address {group} is not a multicast address.")
        if not eni_ids:
            raise MissingParameter("NetworkInterfaceIds")
        enis = self.family.backend.network_interfaces.get_many(eni_ids)
        out = []
        for eni in enis:
            association = next(
                (
                    a
                    for (attachment_id, subnet_id), a in domain.associations.items()
                    if subnet_id == eni.subnet_id and a.state == "associated"
                ),
                None,
            )
            if association is None:
                raise InvalidParameterValue(
                    f"The subnet {eni.subnet_id} of {eni.id} is not associated with {domain.id}."
                )
            out.append((eni.id, eni.subnet_id, association.attachment))
        return out

    def register(
        self,
        domain: MulticastDomain,
        group: str,
        enis: list[tuple[str, str, Attachment]],
        member: bool,
    ) -> list[str]:
        group = str(ipaddress.ip_address(group))
        for eni_id, subnet_id, attachment in enis:
            domain.groups[(group, eni_id, member)] = GroupRegistration(
                group, eni_id, subnet_id, attachment, member
            )
            self._by_eni.setdefault(eni_id, set()).add(domain.id)
        return [eni_id for eni_id, _, _ in enis]

    def deregister(
        self, domain: MulticastDomain, group: str, eni_ids: list[str], member: bool
    ) -> list[str]:
        try:
            group = str(ipaddress.ip_address(group))
        except ValueError:
            raise InvalidParameterValue(f"The group IP address {group} is not valid.") from None
        out = []
        for eni_id in eni_ids:
            if domain.groups.pop((group, eni_id, member), None) is not None:
                out.append(eni_id)
                if not any(key[1] == eni_id for key in domain.groups):
                    self._by_eni.get(eni_id, set()).discard(domain.id)
        return out

    # -- policy tables

    def create_policy_table(self, gateway: TransitGateway, tags: dict[str, str]) -> PolicyTable:
        family = self.family
        table = PolicyTable(
            id=family.backend.ids.new("tgw-ptb"),
            tgw_id=gateway.id,
            creation_time=family.now(),
            tags=tags,
        )
        return self._new(self.policy_tables, table)

    def policy_table(self, table_id: str) -> PolicyTable:
        return self._live(self.policy_tables, table_id)

    def check_delete_policy_table(self, table: PolicyTable) -> None:
        if table.state in GONE:
            raise _invalid_state(table)
        if table.associations:
            raise ServiceError(
                f"{table.id} has associated attachments: {', '.join(table.associations)}.",
                code="IncorrectState",
            )

    def delete_policy_table(self, table: PolicyTable) -> None:
        self.family.transition(table, "deleting", self.family._to_deleted)

    def check_policy_association(self, table: PolicyTable, attachment: Attachment) -> None:
        if table.state != "available":
            raise _invalid_state(table)
        if attachment.tgw_id != table.tgw_id:
            raise InvalidParameterValue(f"{attachment.id} is not an attachment of {table.tgw_id}.")
        if attachment.state != "available":
            raise _invalid_state(attachment)
        if attachment.policy_table_id is not None or attachment.route_table_id is not None:
            raise ServiceError(
                f"Transit Gateway Attachment {attachment.id} is already associated to a "
                "route table or policy table.",
                code="Resource.AlreadyAssociated",
            )

    def associate_policy(self, table: PolicyTable, attachment: Attachment) -> None:
        table.associations[attachment.id] = attachment
        attachment.policy_table_id = table.id

    def check_policy_disassociation(self, table: PolicyTable, attachment: Attachment) -> None:
        if attachment.id not in table.associations:
            raise ServiceError(
                f"Transit Gateway Attachment {attachment.id} is not associated with {table.id}.",
                code="InvalidAssociation.NotFound",
            )

    def disassociate_policy(self, table: PolicyTable, attachment: Attachment) -> None:
        table.associations.pop(attachment.id, None)
        attachment.policy_table_id = None

    def policy_rule(self, raw: dict[str, Any] | None) -> PolicyRule:
        raw = raw or {}
        for key in ("SourceCidrBlock", "DestinationCidrBlock"):
            if raw.get(key) is not None:
                try:
                    ipaddress.ip_network(raw[key], strict=False)
                except ValueError:
                    raise InvalidParameterValue(
                        f"The {key} {raw[key]} is not a valid CIDR block."
                    ) from None
        meta = raw.get("MetaData") or {}
        return PolicyRule(
            raw.get("SourceCidrBlock"),
            raw.get("SourcePortRange"),
            raw.get("DestinationCidrBlock"),
            raw.get("DestinationPortRange"),
            raw.get("Protocol"),
            meta.get("MetaDataKey"),
            meta.get("MetaDataValue"),
        )

    def check_rule_number(self, number: str) -> None:
        if not number.isdigit() or not 1 <= int(number) <= 32766:
            raise InvalidParameterValue(
                f"The policy rule number {number} is invalid: it must be from 1 to 32766."
            )

    def check_target(self, table: PolicyTable, target: str | None) -> None:
        if target is None:
            return
        route_table = self.family.routes.table(target)
        if route_table.tgw_id != table.tgw_id:
            raise InvalidParameterValue(f"{target} is not a route table of {table.tgw_id}.")

    def entry(self, table: PolicyTable, number: str) -> PolicyEntry:
        entry = table.entries.get(number)
        if entry is None:
            raise ServiceError(
                f"Policy rule {number} does not exist in {table.id}.",
                code="InvalidPolicyTableEntry.NotFound",
            )
        return entry

    def check_new_entry(self, table: PolicyTable, number: str) -> None:
        if table.state != "available":
            raise _invalid_state(table)
        self.check_rule_number(number)
        if number in table.entries:
            raise ServiceError(
                f"Policy rule {number} already exists in {table.id}.",
                code="InvalidPolicyTableEntry.Duplicate",
            )

    # -- metering policies

    def check_middleboxes(self, gateway_id: str, ids: list[str] | None) -> list[str]:
        out = []
        for attachment_id in ids or ():
            attachment = self.family.attachment(attachment_id)
            if attachment.tgw_id != gateway_id:
                raise InvalidParameterValue(
                    f"{attachment_id} is not an attachment of {gateway_id}."
                )
            out.append(attachment_id)
        return list(dict.fromkeys(out))

    def create_metering_policy(
        self, gateway: TransitGateway, middleboxes: list[str], tags: dict[str, str]
    ) -> MeteringPolicy:
        family = self.family
        policy = MeteringPolicy(
            id=family.backend.ids.new("tgw-mp"),
            tgw_id=gateway.id,
            middlebox_ids=middleboxes,
            updated_at=family.now(),
            tags=tags,
        )
        return self._new(self.metering_policies, policy)

    def metering_policy(self, policy_id: str) -> MeteringPolicy:
        return self._live(self.metering_policies, policy_id)

    def check_modify_metering(
        self, policy: MeteringPolicy, add: list[str] | None, remove: list[str] | None
    ) -> list[str]:
        if policy.state not in ("available", "pending"):
            raise _invalid_state(policy)
        added = self.check_middleboxes(policy.tgw_id, add)
        for attachment_id in remove or ():
            if attachment_id not in policy.middlebox_ids:
                raise InvalidParameterValue(
                    f"{attachment_id} is not a middlebox attachment of {policy.id}."
                )
        kept = [i for i in policy.middlebox_ids if i not in set(remove or ())]
        return kept + [i for i in added if i not in kept]

    def modify_metering(self, policy: MeteringPolicy, middleboxes: list[str]) -> None:
        policy.middlebox_ids = middleboxes
        policy.updated_at = self.family.now()
        self.family.transition(policy, "modifying", self.family._to_available)

    def delete_metering_policy(self, policy: MeteringPolicy) -> None:
        if policy.state in GONE:
            raise _invalid_state(policy)
        self.family.transition(policy, "deleting", self.family._to_deleted)

    def metering_entry(self, policy: MeteringPolicy, number: int) -> MeteringEntry:
        entry = policy.entries.get(number)
        if entry is None:
            raise ServiceError(
                f"Metering policy rule {number} does not exist in {policy.id}.",
                code="InvalidMeteringPolicyEntry.NotFound",
            )
        return entry

    def check_new_metering_entry(
        self, policy: MeteringPolicy, number: int, rule: dict[str, Any]
    ) -> None:
        if policy.state in GONE:
            raise _invalid_state(policy)
        if not 1 <= number <= 32766:
            raise InvalidParameterValue(
                f"The policy rule number {number} is invalid: it must be from 1 to 32766."
            )
        if number in policy.entries:
            raise ServiceError(
                f"Metering policy rule {number} already exists in {policy.id}.",
                code="InvalidMeteringPolicyEntry.Duplicate",
            )
        for key in ("SourceTransitGatewayAttachmentId", "DestinationTransitGatewayAttachmentId"):
            if rule.get(key):
                self.check_middleboxes(policy.tgw_id, [rule[key]])
        for key in ("SourceCidrBlock", "DestinationCidrBlock"):
            if rule.get(key):
                try:
                    ipaddress.ip_network(rule[key], strict=False)
                except ValueError:
                    raise InvalidParameterValue(
                        f"The {key} {rule[key]} is not a valid CIDR block."
                    ) from None

    def add_metering_entry(
        self, policy: MeteringPolicy, number: int, metered_account: str, rule: dict[str, Any]
    ) -> MeteringEntry:
        entry = policy.entries[number] = MeteringEntry(
            number,
            metered_account,
            {k: v for k, v in rule.items() if v is not None},
            self.family.now(),
        )
        return entry


def _registration_row(r: GroupRegistration) -> dict[str, Any]:
    return {
        "GroupIpAddress": r.group,
        "TransitGatewayAttachmentId": r.attachment.id,
        "SubnetId": r.subnet_id,
        "ResourceId": r.attachment.resource_id,
        "ResourceType": r.attachment.resource_type,
        "ResourceOwnerId": r.attachment.resource_owner_id,
        "NetworkInterfaceId": r.eni_id,
        "GroupMember": r.member,
        "GroupSource": not r.member,
        **({"MemberType": "static"} if r.member else {"SourceType": "static"}),
    }


def registration_rows(registrations: list[GroupRegistration]) -> list[dict[str, Any]]:
    return [_registration_row(r) for r in registrations]


CONNECT_PEER_FILTERS = {
    "state": lambda p: p.state,
    "transit-gateway-attachment-id": lambda p: p.attachment_id,
    "transit-gateway-connect-peer-id": lambda p: p.id,
}

MULTICAST_DOMAIN_FILTERS = {
    "state": lambda d: d.state,
    "transit-gateway-id": lambda d: d.tgw_id,
    "transit-gateway-multicast-domain-id": lambda d: d.id,
}

DOMAIN_ASSOCIATION_FILTERS = {
    "resource-id": lambda a: a.attachment.resource_id,
    "resource-type": lambda a: a.attachment.resource_type,
    "state": lambda a: a.state,
    "subnet-id": lambda a: a.subnet_id,
    "transit-gateway-attachment-id": lambda a: a.attachment.id,
}

GROUP_FILTERS = {
    "group-ip-address": lambda r: r["GroupIpAddress"],
    "is-group-member": lambda r: r["GroupMember"],
    "is-group-source": lambda r: r["GroupSource"],
    "member-type": lambda r: r.get("MemberType"),
    "resource-id": lambda r: r["ResourceId"],
    "resource-type": lambda r: r["ResourceType"],
    "source-type": lambda r: r.get("SourceType"),
    "subnet-id": lambda r: r["SubnetId"],
    "transit-gateway-attachment-id": lambda r: r["TransitGatewayAttachmentId"],
}

POLICY_ENTRY_FILTERS = {
    "policy-rule-number": lambda e: e.number,
    "policy-rule.destination-ip": lambda e: e.rule.destination_cidr,
    "policy-rule.destination-port": lambda e: e.rule.destination_ports,
    "policy-rule.meta-data.key": lambda e: e.rule.meta_key,
    "policy-rule.meta-data.value": lambda e: e.rule.meta_value,
    "policy-rule.protocol": lambda e: e.rule.protocol,
    "policy-rule.source-ip": lambda e: e.rule.source_cidr,
    "policy-rule.source-port": lambda e: e.rule.source_ports,
    "target-route-table-id": lambda e: e.target_route_table_id,
}
