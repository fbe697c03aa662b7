"""Transit gateways and their attachments (VPC, peering, Connect).

A transit gateway lives in its owner's region.  Attachments are kept in the
attachment store of every backend that sees them: a VPC attachment to another
account's gateway (in AWS, one shared through RAM) is one object in both
accounts' stores; a peering attachment has one side per gateway, each with its
own route-table association and tags, joined by a :class:`PeeringLink` kept in
``backend.shared`` (one dict across accounts and regions).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from cloudmock.core.errors import (
    InvalidParameterCombination,
    InvalidParameterValue,
    MissingParameter,
    ServiceError,
)
from cloudmock.services.ec2.models.base import Resource, Store
from cloudmock.services.ec2.models.transit_gateway_kinds import ATTACHMENT, TRANSIT_GATEWAY

if TYPE_CHECKING:
    from cloudmock.services.ec2.models.backend import Ec2Backend
    from cloudmock.services.ec2.models.network_interfaces import NetworkInterfaces
    from cloudmock.services.ec2.models.transit_gateway_extras import TgwExtras
    from cloudmock.services.ec2.models.transit_gateway_functions import TgwFunctions
    from cloudmock.services.ec2.models.transit_gateway_routes import TgwRoutes
    from cloudmock.services.ec2.shapes import PeeringTgwInfo
    from cloudmock.services.ec2.shapes import (
        TransitGateway as TransitGatewayShape,
    )
    from cloudmock.services.ec2.shapes import (
        TransitGatewayAttachment as AttachmentShape,
    )
    from cloudmock.services.ec2.shapes import (
        TransitGatewayConnect as ConnectShape,
    )
    from cloudmock.services.ec2.shapes import (
        TransitGatewayPeeringAttachment as PeeringShape,
    )
    from cloudmock.services.ec2.shapes import (
        TransitGatewayVpcAttachment as VpcAttachmentShape,
    )

#: keys of ``backend.shared``
SHARED_FAMILIES = "transit-gateway:families"
SHARED_GATEWAYS = "transit-gateway:gateways"

ASN_RANGES = ((64512, 65534), (4200000000, 4294967294))
DEFAULT_ASN = 64512
GONE = ("deleting", "deleted")
#: attachment states in which an attachment still counts against its gateway and VPC
ATTACHMENT_DONE = ("deleted", "rejected", "failed")


def enabled(value: str) -> bool:
    return value == "enable"


def check_asn(asn: int, what: str = "amazonSideAsn") -> None:
    if not any(low <= asn <= high for low, high in ASN_RANGES):
        raise InvalidParameterValue(
            f"The value {asn} for {what} is invalid. It must be in the range 64512 to 65534 "
            "or 4200000000 to 4294967294."
        )


def check_gateway_cidr(cidr: str) -> str:
    """A transit gateway CIDR block: IPv4 /24 or larger, IPv6 /64 or larger."""
    try:
        network = ipaddress.ip_network(cidr, strict=True)
    except ValueError:
        raise InvalidParameterValue(f"The CIDR block {cidr} is not a valid CIDR block.") from None
    limit = 24 if network.version == 4 else 64
    if network.prefixlen > limit:
        raise InvalidParameterValue(
            f"The CIDR block {cidr} is too small: transit gateway CIDR blocks must be a "
            f"/{limit} or larger."
        )
    if network.version == 4 and network.overlaps(ipaddress.ip_network("169.254.0.0/16")):
        raise InvalidParameterValue(
            f"The CIDR block {cidr} overlaps the reserved range 169.254.0.0/16."
        )
    return str(network)


@dataclass
class GatewayOptions:
    amazon_side_asn: int = DEFAULT_ASN
    cidr_blocks: list[str] = field(default_factory=list)
    auto_accept_shared_attachments: str = "disable"
    default_route_table_association: str = "enable"
    association_default_route_table_id: str | None = None
    default_route_table_propagation: str = "enable"
    propagation_default_route_table_id: str | None = None
    vpn_ecmp_support: str = "enable"
    dns_support: str = "enable"
    security_group_referencing_support: str = "disable"
    multicast_support: str = "disable"
    encryption_support: str = "disabled"


@dataclass(eq=False)
class TransitGateway(Resource):
    owner_id: str
    region: str
    description: str
    options: GatewayOptions
    creation_time: datetime
    state: str = "pending"
    generation: int = 0

    @property
    def arn(self) -> str:
        return f"arn:aws:ec2:{self.region}:{self.owner_id}:transit-gateway/{self.id}"

    def describe(self) -> TransitGatewayShape:
        o = self.options
        options: Any = {
            "AmazonSideAsn": o.amazon_side_asn,
            "AutoAcceptSharedAttachments": o.auto_accept_shared_attachments,
            "DefaultRouteTableAssociation": o.default_route_table_association,
            "DefaultRouteTablePropagation": o.default_route_table_propagation,
            "VpnEcmpSupport": o.vpn_ecmp_support,
            "DnsSupport": o.dns_support,
            "SecurityGroupReferencingSupport": o.security_group_referencing_support,
            "MulticastSupport": o.multicast_support,
            "EncryptionSupport": {"EncryptionState": o.encryption_support},
        }
        if o.cidr_blocks:
            options["TransitGatewayCidrBlocks"] = list(o.cidr_blocks)
        if o.association_default_route_table_id:
            options["AssociationDefaultRouteTableId"] = o.association_default_route_table_id
        if o.propagation_default_route_table_id:
            options["PropagationDefaultRouteTableId"] = o.propagation_default_route_table_id
        out: TransitGatewayShape = {
            "TransitGatewayId": self.id,
            "TransitGatewayArn": self.arn,
            "State": self.state,
            "OwnerId": self.owner_id,
            "Description": self.description,
            "CreationTime": self.creation_time,
            "Options": options,
        }
        if self.tags:
            out["Tags"] = self.tag_list()
        return out


@dataclass(eq=False)
class Attachment(Resource):
    """What every kind of attachment has (DescribeTransitGatewayAttachments)."""

    tgw_id: str
    tgw_owner_id: str
    resource_owner_id: str
    resource_id: str
    creation_time: datetime
    state: str = "pending"
    generation: int = 0
    #: the route table this attachment is associated with (one at most), and its state
    route_table_id: str | None = None
    association_state: str = "associated"
    #: the policy table this attachment is associated with (one at most)
    policy_table_id: str | None = None
    #: the route tables this attachment propagates into
    propagating: set[str] = field(default_factory=set)

    resource_type = "vpc"

    @property
    def live(self) -> bool:
        return self.state not in GONE and self.state not in ATTACHMENT_DONE

    def association(self) -> dict[str, Any] | None:
        if self.route_table_id is not None:
            return {
                "TransitGatewayRouteTableId": self.route_table_id,
                "State": self.association_state,
            }
        if self.policy_table_id is not None:
            return {"TransitGatewayPolicyTableId": self.policy_table_id, "State": "associated"}
        return None

    def summary(self, nat_gateway_support: str | None = None) -> AttachmentShape:
        """DescribeTransitGatewayAttachments' row; NAT support only for the gateway's owner."""
        out: AttachmentShape = {
            "TransitGatewayAttachmentId": self.id,
            "TransitGatewayId": self.tgw_id,
            "TransitGatewayOwnerId": self.tgw_owner_id,
            "ResourceOwnerId": self.resource_owner_id,
            "ResourceType": self.resource_type,  # type: ignore[typeddict-item]
            "ResourceId": self.resource_id,
            "State": self.state,  # type: ignore[typeddict-item]
            "CreationTime": self.creation_time,
        }
        association = self.association()
        if association is not None:
            out["Association"] = association  # type: ignore[typeddict-item]
        if self.tags:
            out["Tags"] = self.tag_list()
        if nat_gateway_support is not None:
            out["NatGatewaySupport"] = nat_gateway_support  # type: ignore[typeddict-item]
        return out

    def cidrs(self, backend: Ec2Backend) -> list[str]:
        """What the attachment propagates into a route table."""
        return backend.transit_gateways.functions.routed_cidrs(self.id)


@dataclass
class VpcAttachmentOptions:
    dns_support: str = "enable"
    security_group_referencing_support: str = "enable"
    ipv6_support: str = "disable"
    appliance_mode_support: str = "disable"


@dataclass(eq=False)
class VpcAttachment(Attachment):
    subnet_ids: list[str] = field(default_factory=list)
    options: VpcAttachmentOptions = field(default_factory=VpcAttachmentOptions)
    #: the VPC owner's region family (the attachment is in its store too)
    vpc_region: str = ""
    #: subnet id -> the requester-managed interface the gateway has in it
    interfaces: dict[str, str] = field(default_factory=dict)

    resource_type = "vpc"

    def describe(self) -> VpcAttachmentShape:
        o = self.options
        out: VpcAttachmentShape = {
            "TransitGatewayAttachmentId": self.id,
            "TransitGatewayId": self.tgw_id,
            "VpcId": self.resource_id,
            "VpcOwnerId": self.resource_owner_id,
            "State": self.state,  # type: ignore[typeddict-item]
            "SubnetIds": list(self.subnet_ids),
            "CreationTime": self.creation_time,
            "Options": {
                "DnsSupport": o.dns_support,  # type: ignore[typeddict-item]
                "SecurityGroupReferencingSupport": o.security_group_referencing_support,  # type: ignore[typeddict-item]
                "Ipv6Support": o.ipv6_support,  # type: ignore[typeddict-item]
                "ApplianceModeSupport": o.appliance_mode_support,  # type: ignore[typeddict-item]
            },
        }
        if self.tags:
            out["Tags"] = self.tag_list()
        return out

    def cidrs(self, backend: Ec2Backend) -> list[str]:
        family = backend.transit_gateways.family_of(self.resource_owner_id, self.vpc_region)
        vpc = family.backend.vpcs.vpcs.find(self.resource_id) if family else None
        if vpc is None:
            return []
        out = list(vpc.ipv4_cidrs())
        if self.options.ipv6_support == "enable":
            out += vpc.ipv6_cidrs()
        # with NAT gateway support on, the gateway routes the NAT CIDRs to the VPC as well
        return out + backend.transit_gateways.functions.routed_cidrs(self.id)


@dataclass
class PeerSide:
    tgw_id: str
    owner_id: str
    region: str

    def describe(self) -> PeeringTgwInfo:
        return {"TransitGatewayId": self.tgw_id, "OwnerId": self.owner_id, "Region": self.region}


@dataclass(eq=False)
class PeeringLink(Resource):
    """The one peering both sides see; its state is both sides' state."""

    requester: PeerSide
    accepter: PeerSide
    dynamic_routing: str
    requester_multipath: bool
    accepter_multipath: bool
    creation_time: datetime
    requester_mode: str | None = None
    accepter_mode: str | None = None
    state: str = "initiatingRequest"
    generation: int = 0
    sides: list[PeeringAttachment] = field(default_factory=list)
    status_message: str = ""

    def set_state(self, state: str, message: str = "") -> None:
        self.state = state
        self.status_message = message
        self.generation += 1
        for side in self.sides:
            side.state = state


@dataclass(eq=False)
class PeeringAttachment(Attachment):
    link: PeeringLink | None = None
    is_requester: bool = True

    resource_type = "peering"

    @property
    def peering(self) -> PeeringLink:
        assert self.link is not None
        return self.link

    def describe(self) -> PeeringShape:
        link = self.peering
        options: Any = {
            "DynamicRouting": link.dynamic_routing,
            "RequesterAllowMultipathResilience": link.requester_multipath,
            "AccepterAllowMultipathResilience": link.accepter_multipath,
        }
        if link.requester_mode:
            options["RequesterMultipathResilienceMode"] = link.requester_mode
        if link.accepter_mode:
            options["AccepterMultipathResilienceMode"] = link.accepter_mode
        out: PeeringShape = {
            "TransitGatewayAttachmentId": self.id,
            "RequesterTgwInfo": link.requester.describe(),
            "AccepterTgwInfo": link.accepter.describe(),
            "Options": options,
            "Status": {"Code": link.state, "Message": link.status_message or _status(link.state)},
            "State": link.state,  # type: ignore[typeddict-item]
            "CreationTime": link.creation_time,
        }
        if self.tags:
            out["Tags"] = self.tag_list()
        return out


def _status(state: str) -> str:
    return {
        "initiatingRequest": "Initiating Request.",
        "pendingAcceptance": "Pending Acceptance by the accepter.",
        "pending": "Pending",
        "available": "Available",
        "rejecting": "Rejecting",
        "rejected": "Rejected",
        "deleting": "Deleting",
        "deleted": "Deleted",
    }.get(state, state)


@dataclass(eq=False)
class ConnectAttachment(Attachment):
    transport_attachment_id: str = ""
    protocol: str = "gre"

    resource_type = "connect"

    def describe(self) -> ConnectShape:
        out: ConnectShape = {
            "TransitGatewayAttachmentId": self.id,
            "TransportTransitGatewayAttachmentId": self.transport_attachment_id,
            "TransitGatewayId": self.tgw_id,
            "State": self.state,  # type: ignore[typeddict-item]
            "CreationTime": self.creation_time,
            "Options": {"Protocol": self.protocol},  # type: ignore[typeddict-item]
        }
        if self.tags:
            out["Tags"] = self.tag_list()
        return out


@dataclass(eq=False)
class ResourceAttachment(Attachment):
    """An attachment whose far end another family owns (a VPN connection, a Direct Connect
    gateway): that family creates and deletes it through :meth:`TransitGateways.attach_resource`
    and :meth:`TransitGateways.detach_resource`."""

    resource_type: str = "vpn"  # type: ignore[misc]  # an instance field here, a class constant elsewhere
    #: the CIDRs the far end announces (propagated into route tables), asked when routes are read
    announced: Callable[[], list[str]] | None = field(default=None, repr=False)

    def cidrs(self, backend: Ec2Backend) -> list[str]:
        own = self.announced() if self.announced is not None else []
        return own + super().cidrs(backend)

    def describe(self) -> AttachmentShape:
        return self.summary()


class TransitGateways:
    """The transit gateway family of one region."""

    def __init__(self, backend: Ec2Backend) -> None:
        from cloudmock.services.ec2.models.transit_gateway_extras import TgwExtras
        from cloudmock.services.ec2.models.transit_gateway_functions import TgwFunctions
        from cloudmock.services.ec2.models.transit_gateway_routes import TgwRoutes

        self.backend = backend
        self.gateways: Store[TransitGateway] = backend.new_store(TRANSIT_GATEWAY)
        self.attachments: Store[Attachment] = backend.new_store(ATTACHMENT)
        self.attachments.add_index("tgw", lambda a: a.tgw_id)
        self.attachments.add_index("kind", lambda a: type(a).__name__)
        self.attachments.add_index("resource", lambda a: a.resource_id)
        self.attachments.add_index(
            "transport", lambda a: getattr(a, "transport_attachment_id", None)
        )
        #: subnet id -> the VPC attachments with a network interface in it
        self._by_subnet: dict[str, set[str]] = {}
        backend.shared.setdefault(SHARED_FAMILIES, {})[(backend.account_id, backend.region)] = self
        backend.depends_on("vpc", self._vpc_user)
        backend.depends_on("subnet", self._subnet_user)
        self.routes: TgwRoutes = TgwRoutes(self)
        self.extras: TgwExtras = TgwExtras(self)
        self.functions: TgwFunctions = TgwFunctions(self)

    # -- shared state

    def family_of(self, account_id: str, region: str) -> TransitGateways | None:
        families: dict[tuple[str, str], TransitGateways] = self.backend.shared.get(
            SHARED_FAMILIES, {}
        )
        return families.get((account_id, region))

    def _families_of(self, attachment: Attachment) -> list[TransitGateways]:
        """Every family whose store holds ``attachment``."""
        out = [self]
        if isinstance(attachment, (VpcAttachment, ResourceAttachment)):
            here = self.backend.region
            for account, region in (
                (attachment.tgw_owner_id, here),
                (
                    attachment.resource_owner_id,
                    attachment.vpc_region if isinstance(attachment, VpcAttachment) else here,
                ),
            ):
                other = self.family_of(account, region)
                if other is not None and other not in out:
                    out.append(other)
        return out

    def now(self) -> datetime:
        return self.backend.clock.now()

    def transition(
        self,
        item: Any,
        state: str,
        then: Callable[[Any], None] | None = None,
        delay: float | None = None,
    ) -> None:
        """Enter ``state`` now; ``then`` runs once the transition delay has passed."""
        item.state = state
        item.generation += 1
        if then is not None:
            wait = self.backend.options.transition_delay if delay is None else delay
            # An attachment two accounts see moves on whichever of their backends ticks first.
            families = self._families_of(item) if isinstance(item, Attachment) else [self]
            for family in families:
                family.backend.schedule(wait, item, then)

    def _to_available(self, item: Any) -> None:
        self.transition(item, "available")

    # -- dependencies other families ask about

    def _vpc_user(self, vpc_id: str) -> str | None:
        for attachment in self.attachments.lookup("resource", vpc_id):
            if isinstance(attachment, VpcAttachment) and attachment.live:
                return f"transit gateway attachment {attachment.id}"
        return None

    def _subnet_user(self, subnet_id: str) -> str | None:
        for attachment_id in self._by_subnet.get(subnet_id, ()):
            attachment = self.attachments.find(attachment_id)
            if attachment is not None and attachment.live:
                return f"transit gateway attachment {attachment.id}"
        return None

    # -- gateways

    def gateway(self, gateway_id: str, *, same_account: bool = False) -> TransitGateway:
        """A transit gateway of this region: this account's, or (as if shared) another's."""
        found = self.gateways.find(gateway_id)
        if found is None and not same_account:
            other = self.backend.shared.get(SHARED_GATEWAYS, {}).get(gateway_id)
            if other is not None and other.region == self.backend.region:
                found = other
        if found is None or found.state == "deleted":
            self.gateways.check_id(gateway_id)
            raise TRANSIT_GATEWAY.not_found([gateway_id])
        return found

    def available_gateway(self, gateway_id: str, *, same_account: bool = False) -> TransitGateway:
        gateway = self.gateway(gateway_id, same_account=same_account)
        if gateway.state != "available":
            raise ServiceError(
                f"{gateway_id} is in invalid state {gateway.state}.", code="IncorrectState"
            )
        return gateway

    def owner_family(self, gateway: TransitGateway) -> TransitGateways:
        family = self.family_of(gateway.owner_id, gateway.region)
        assert family is not None
        return family

    def check_gateway_options(
        self,
        asn: int | None,
        cidrs: list[str] | None,
    ) -> tuple[int, list[str]]:
        if asn is not None:
            check_asn(asn)
        blocks = [check_gateway_cidr(c) for c in cidrs or ()]
        if len(blocks) != len(set(blocks)):
            raise InvalidParameterValue("Duplicate transit gateway CIDR blocks specified.")
        return (DEFAULT_ASN if asn is None else asn), blocks

    def create_gateway(
        self, description: str, options: GatewayOptions, tags: dict[str, str]
    ) -> TransitGateway:
        backend = self.backend
        gateway = self.gateways.add(
            TransitGateway(
                id=backend.ids.new("tgw"),
                owner_id=backend.account_id,
                region=backend.region,
                description=description,
                options=options,
                creation_time=self.now(),
                tags=tags,
            )
        )
        backend.shared.setdefault(SHARED_GATEWAYS, {})[gateway.id] = gateway
        if enabled(options.default_route_table_association) or enabled(
            options.default_route_table_propagation
        ):
            table = self.routes.create_table(gateway, {}, default=True)
            if enabled(options.default_route_table_association):
                options.association_default_route_table_id = table.id
            if enabled(options.default_route_table_propagation):
                options.propagation_default_route_table_id = table.id
        self.transition(gateway, "pending", self._to_available)
        return gateway

    def check_modify_gateway(
        self,
        gateway: TransitGateway,
        changes: dict[str, Any],
    ) -> None:
        """Every check ModifyTransitGateway makes before it changes anything."""
        if gateway.state != "available":
            raise ServiceError(
                f"{gateway.id} is in invalid state {gateway.state}.", code="IncorrectState"
            )
        if changes.get("AmazonSideAsn") is not None:
            check_asn(changes["AmazonSideAsn"])
        flags = {
            "DefaultRouteTableAssociation": gateway.options.default_route_table_association,
            "DefaultRouteTablePropagation": gateway.options.default_route_table_propagation,
        }
        for flag, id_key in (
            ("DefaultRouteTableAssociation", "AssociationDefaultRouteTableId"),
            ("DefaultRouteTablePropagation", "PropagationDefaultRouteTableId"),
        ):
            flag_value, table_id = changes.get(flag), changes.get(id_key)
            if flag_value is None and table_id:
                # a new default table alone: the option it belongs to must be on already
                flag_value = flags[flag]
            if flag_value == "enable" and not table_id and changes.get(flag) is not None:
                raise InvalidParameterCombination(f"enable {flag} conflicts with {id_key} null")
            if flag_value == "disable" and table_id:
                raise InvalidParameterCombination(
                    f"disable {flag} conflicts with {id_key} {table_id}"
                )
            if table_id:
                table = self.routes.table(table_id)
                if table.tgw_id != gateway.id:
                    raise InvalidParameterValue(
                        f"Transit Gateway Route Table {table_id} does not belong to {gateway.id}."
                    )
        current = set(gateway.options.cidr_blocks)
        add = [check_gateway_cidr(c) for c in changes.get("AddTransitGatewayCidrBlocks") or ()]
        remove = [
            check_gateway_cidr(c) for c in changes.get("RemoveTransitGatewayCidrBlocks") or ()
        ]
        for cidr in remove:
            if cidr not in current:
                raise InvalidParameterValue(
                    f"The CIDR block {cidr} is not associated with {gateway.id}."
                )
        for cidr in add:
            if cidr in current:
                raise InvalidParameterValue(
                    f"The CIDR block {cidr} is already associated with {gateway.id}."
                )

    def modify_gateway(
        self, gateway: TransitGateway, description: str | None, changes: dict[str, Any]
    ) -> None:
        o = gateway.options
        if description is not None:
            gateway.description = description
        simple = {
            "VpnEcmpSupport": "vpn_ecmp_support",
            "DnsSupport": "dns_support",
            "SecurityGroupReferencingSupport": "security_group_referencing_support",
            "AutoAcceptSharedAttachments": "auto_accept_shared_attachments",
            "AmazonSideAsn": "amazon_side_asn",
        }
        for key, attr in simple.items():
            if changes.get(key) is not None:
                setattr(o, attr, changes[key])
        if changes.get("EncryptionSupport") is not None:
            o.encryption_support = (
                "enabled" if changes["EncryptionSupport"] == "enable" else "disabled"
            )
        if changes.get("DefaultRouteTableAssociation") is not None:
            o.default_route_table_association = changes["DefaultRouteTableAssociation"]
            o.association_default_route_table_id = changes.get("AssociationDefaultRouteTableId")
        elif changes.get("AssociationDefaultRouteTableId"):
            o.association_default_route_table_id = changes["AssociationDefaultRouteTableId"]
        if changes.get("DefaultRouteTablePropagation") is not None:
            o.default_route_table_propagation = changes["DefaultRouteTablePropagation"]
            o.propagation_default_route_table_id = changes.get("PropagationDefaultRouteTableId")
        elif changes.get("PropagationDefaultRouteTableId"):
            o.propagation_default_route_table_id = changes["PropagationDefaultRouteTableId"]
        removed = {
            check_gateway_cidr(c) for c in changes.get("RemoveTransitGatewayCidrBlocks") or ()
        }
        o.cidr_blocks = [c for c in o.cidr_blocks if c not in removed] + [
            check_gateway_cidr(c) for c in changes.get("AddTransitGatewayCidrBlocks") or ()
        ]
        self.transition(gateway, "modifying", self._to_available)

    def check_delete_gateway(self, gateway: TransitGateway) -> None:
        if gateway.state in GONE:
            raise ServiceError(
                f"{gateway.id} is in invalid state {gateway.state}.", code="IncorrectState"
            )
        remaining: dict[str, list[str]] = {}
        for attachment in self.attachments.lookup("tgw", gateway.id):
            if attachment.live or attachment.state == "deleting":
                remaining.setdefault(attachment.resource_type, []).append(attachment.id)
        names = {
            "vpc": "VPC",
            "peering": "Peering",
            "connect": "Connect",
            "vpn": "VPN",
            "direct-connect-gateway": "DirectConnect Gateway",
            "network-function": "Network Function",
        }
        for kind, ids in remaining.items():
            raise ServiceError(
                f"{gateway.id} has non-deleted {names.get(kind, kind)} Attachments: "
                f"{', '.join(ids)}.",
                code="IncorrectState",
            )
        self.extras.check_gateway_delete(gateway)

    def delete_gateway(self, gateway: TransitGateway) -> None:
        self.routes.drop_gateway(gateway)
        self.transition(gateway, "deleting", self._to_deleted)

    def _to_deleted(self, item: Any) -> None:
        self.transition(item, "deleted", self._forget, self.backend.options.terminated_retention)
        # a deleted gateway's or attachment's flow logs go with it, in every account seeing it
        if isinstance(item, Attachment):
            for family in self._families_of(item):
                family.backend.flow_logs.resource_deleted(item.id)
        elif isinstance(item, TransitGateway):
            self.backend.flow_logs.resource_deleted(item.id)

    def _stores(self) -> list[Store[Any]]:
        extras, routes = self.extras, self.routes
        return [
            self.gateways,
            routes.route_tables,
            routes.announcements,
            extras.connect_peers,
            extras.multicast_domains,
            extras.policy_tables,
            extras.metering_policies,
        ]

    def _forget(self, item: Any) -> None:
        """A deleted resource's retention is over: it leaves every describe."""
        if isinstance(item, TransitGateway):
            self.backend.shared.get(SHARED_GATEWAYS, {}).pop(item.id, None)
        if isinstance(item, Attachment):
            for family in self._families_of(item):
                family.attachments.remove(item.id)
        elif isinstance(item, PeeringLink):
            for side in item.sides:
                other = self.family_of(side.tgw_owner_id, _side_region(side))
                if other is not None:
                    other.attachments.remove(side.id)
        else:
            item_id: str = item.id
            for store in self._stores():
                if store.find(item_id) is item:
                    store.remove(item_id)

    # -- attachments in general

    def attachment(self, attachment_id: str) -> Attachment:
        """A live (not deleted) attachment this account can see."""
        found = self.attachments.find(attachment_id)
        if found is None or found.state == "deleted":
            self.attachments.check_id(attachment_id)
            raise ATTACHMENT.not_found([attachment_id])
        return found

    def attachment_of(self, attachment_id: str, kind: type[Attachment]) -> Any:
        """An attachment of one kind; EC2 names the kind in the NotFound of its own operations."""
        found = self.attachments.find(attachment_id)
        if found is None or found.state == "deleted" or not isinstance(found, kind):
            self.attachments.check_id(attachment_id)
            label = "Transit Gateway VPC Attachment" if kind is VpcAttachment else ATTACHMENT.label
            raise ServiceError(
                f"{label} {attachment_id} was deleted or does not exist.",
                code="InvalidTransitGatewayAttachmentID.NotFound",
            )
        return found

    def _new_attachment_id(self) -> str:
        return self.backend.ids.new("tgw-attach")

    def on_available(self, attachment: Attachment) -> None:
        """An attachment becomes available: the gateway's default association and propagation."""
        self.transition(attachment, "available")
        self.apply_defaults(attachment)

    def apply_defaults(self, attachment: Attachment, *, propagate: bool = True) -> None:
        gateway = self.backend.shared.get(SHARED_GATEWAYS, {}).get(attachment.tgw_id)
        if gateway is None:
            return
        owner = self.owner_family(gateway)
        o = gateway.options
        if (
            enabled(o.default_route_table_association)
            and o.association_default_route_table_id
            and attachment.route_table_id is None
        ):
            table = owner.routes.route_tables.find(o.association_default_route_table_id)
            if table is not None and table.state not in GONE:
                owner.routes.associate(table, attachment)
        if (
            propagate
            and enabled(o.default_route_table_propagation)
            and o.propagation_default_route_table_id
        ):
            table = owner.routes.route_tables.find(o.propagation_default_route_table_id)
            if (
                table is not None
                and table.state not in GONE
                and table.id not in attachment.propagating
            ):
                owner.routes.enable_propagation(table, attachment)

    def detach(self, attachment: Attachment) -> None:
        """An attachment is going: it leaves every route table, policy table and domain."""
        gateway = self.backend.shared.get(SHARED_GATEWAYS, {}).get(attachment.tgw_id)
        owner = self.owner_family(gateway) if gateway is not None else self
        owner.routes.forget_attachment(attachment)
        owner.extras.forget_attachment(attachment)
        owner.functions.forget(attachment.id)

    def start_delete(self, attachment: Attachment) -> None:
        self.detach(attachment)
        if isinstance(attachment, VpcAttachment):
            for subnet_id in attachment.subnet_ids:
                for family in self._families_of(attachment):
                    family._by_subnet.get(subnet_id, set()).discard(attachment.id)
            self._drop_interfaces(attachment, list(attachment.interfaces))
        self.transition(attachment, "deleting", self._to_deleted)

    def check_deletable(self, attachment: Attachment) -> None:
        if attachment.state in ("deleting", "deleted", "rejected", "failed", "rejecting"):
            raise ServiceError(
                f"{attachment.id} is in invalid state {attachment.state}.", code="IncorrectState"
            )
        users = [
            c.id
            for c in self.attachments.lookup("transport", attachment.id)
            if c.live or c.state == "deleting"
        ]
        if users:
            raise ServiceError(
                f"{attachment.id} has non-deleted Connect Attachments: {', '.join(users)}.",
                code="IncorrectState",
            )

    # -- VPC attachments

    def check_ipv6(self, subnet_ids: list[str], ipv6_support: str | None) -> None:
        """IPv6 support needs an IPv6 block in every subnet of the attachment."""
        if ipv6_support != "enable":
            return
        for subnet_id in subnet_ids:
            subnet = self.backend.vpcs.subnets.get(subnet_id)
            if not subnet.ipv6_cidrs():
                raise InvalidParameterValue(
                    f"IPv6 support cannot be enabled: subnet {subnet_id} has no IPv6 CIDR block."
                )

    def check_vpc_attachment(
        self, gateway: TransitGateway, vpc_id: str, subnet_ids: list[str]
    ) -> list[Any]:
        """The VPC's subnets, once the VPC, the subnets and the gateway all allow the attachment."""
        network = self.backend.vpcs
        vpc = network.vpcs.get(vpc_id)
        if not subnet_ids:
            raise MissingParameter("SubnetIds")
        network.subnets.get_many(subnet_ids)
        # every id as given: the same subnet twice is two subnets in one zone
        subnets = [network.subnets.get(subnet_id) for subnet_id in subnet_ids]
        zones: set[str] = set()
        for subnet in subnets:
            if subnet.vpc_id != vpc.id:
                raise InvalidParameterValue(f"Subnet {subnet.id} does not belong to VPC {vpc.id}.")
            if subnet.zone.name in zones:
                raise ServiceError(
                    "Duplicate Subnets for same AZ", code="DuplicateSubnetsInSameZone"
                )
            zones.add(subnet.zone.name)
            _check_room(subnet)
        owner = self.owner_family(gateway)
        for other in owner.attachments.lookup("resource", vpc.id):
            if isinstance(other, VpcAttachment) and other.tgw_id == gateway.id and other.live:
                raise ServiceError(
                    f"{gateway.id} has non-deleted Transit Gateway Attachments with same VPC ID.",
                    code="DuplicateTransitGatewayAttachment",
                )
        return subnets

    def create_vpc_attachment(
        self,
        gateway: TransitGateway,
        vpc_id: str,
        subnet_ids: list[str],
        options: VpcAttachmentOptions,
        tags: dict[str, str],
    ) -> VpcAttachment:
        backend = self.backend
        attachment = VpcAttachment(
            id=self._new_attachment_id(),
            tgw_id=gateway.id,
            tgw_owner_id=gateway.owner_id,
            resource_owner_id=backend.account_id,
            resource_id=vpc_id,
            creation_time=self.now(),
            subnet_ids=list(dict.fromkeys(subnet_ids)),
            options=options,
            vpc_region=backend.region,
            tags=tags,
        )
        for family in self._families_of(attachment):
            family.attachments.add(attachment)
            for subnet_id in attachment.subnet_ids:
                family._by_subnet.setdefault(subnet_id, set()).add(attachment.id)
        self._add_interfaces(attachment, attachment.subnet_ids)
        cross_account = gateway.owner_id != backend.account_id
        if cross_account and not enabled(gateway.options.auto_accept_shared_attachments):
            self.transition(attachment, "pendingAcceptance")
        else:
            self.transition(attachment, "pending", self.on_available)
        return attachment

    def check_accept(self, attachment: Attachment) -> None:
        if attachment.tgw_owner_id != self.backend.account_id:
            raise ServiceError(
                f"Only the owner of {attachment.tgw_id} can accept or reject {attachment.id}.",
                code="OperationNotPermitted",
            )
        if attachment.state != "pendingAcceptance":
            raise ServiceError(
                f"{attachment.id} is in invalid state {attachment.state}.", code="IncorrectState"
            )

    def accept_vpc_attachment(self, attachment: VpcAttachment) -> None:
        self.transition(attachment, "pending", self.on_available)

    def _vpc_interfaces(self, attachment: VpcAttachment) -> NetworkInterfaces:
        """The interface family of the VPC owner's region (where the gateway's interfaces are)."""
        family = self.family_of(attachment.resource_owner_id, attachment.vpc_region) or self
        return family.backend.network_interfaces

    def _add_interfaces(self, attachment: VpcAttachment, subnet_ids: list[str]) -> None:
        """One requester-managed interface per subnet of the attachment, as AWS makes them."""
        interfaces = self._vpc_interfaces(attachment)
        for subnet_id in subnet_ids:
            if subnet_id not in attachment.interfaces:
                eni = interfaces.create_managed(
                    subnet_id,
                    interface_type="transit_gateway",
                    description=f"Network Interface for Transit Gateway Attachment {attachment.id}",
                )
                attachment.interfaces[subnet_id] = eni.id

    def _drop_interfaces(self, attachment: VpcAttachment, subnet_ids: list[str]) -> None:
        interfaces = self._vpc_interfaces(attachment)
        for subnet_id in subnet_ids:
            eni_id = attachment.interfaces.pop(subnet_id, None)
            if eni_id is not None:
                interfaces.delete_managed(eni_id)

    def reject_vpc_attachment(self, attachment: VpcAttachment) -> None:
        self._drop_interfaces(attachment, list(attachment.interfaces))
        for subnet_id in attachment.subnet_ids:
            for family in self._families_of(attachment):
                family._by_subnet.get(subnet_id, set()).discard(attachment.id)
        self.transition(attachment, "rejecting", self._to_rejected)

    def _to_rejected(self, item: Any) -> None:
        self.transition(item, "rejected", self._forget, self.backend.options.terminated_retention)

    def check_modify_vpc_attachment(
        self, attachment: VpcAttachment, add: list[str], remove: list[str]
    ) -> list[str]:
        """The subnet list after the change, once every check has passed."""
        if attachment.state != "available":
            raise ServiceError(
                f"{attachment.id} is in invalid state {attachment.state}.", code="IncorrectState"
            )
        if attachment.resource_owner_id != self.backend.account_id:
            raise ServiceError(
                f"Only the owner of {attachment.resource_id} can modify {attachment.id}.",
                code="OperationNotPermitted",
            )
        network = self.backend.vpcs
        current = list(attachment.subnet_ids)
        for subnet in network.subnets.get_many(remove) if remove else []:
            if subnet.id not in current:
                raise InvalidParameterValue(f"Subnet {subnet.id} is not part of {attachment.id}.")
            current.remove(subnet.id)
        zones = {network.subnets.get(s).zone.name for s in current if s in network.subnets}
        for subnet in network.subnets.get_many(add) if add else []:
            if subnet.vpc_id != attachment.resource_id:
                raise InvalidParameterValue(
                    f"Subnet {subnet.id} does not belong to VPC {attachment.resource_id}."
                )
            if subnet.id in current or subnet.zone.name in zones:
                raise ServiceError(
                    "Duplicate Subnets for same AZ", code="DuplicateSubnetsInSameZone"
                )
            zones.add(subnet.zone.name)
            _check_room(subnet)
            current.append(subnet.id)
        if not current:
            raise InvalidParameterValue(f"{attachment.id} must keep at least one subnet.")
        return current

    def modify_vpc_attachment(
        self, attachment: VpcAttachment, subnet_ids: list[str], changes: dict[str, Any]
    ) -> None:
        families = self._families_of(attachment)
        for subnet_id in attachment.subnet_ids:
            for family in families:
                family._by_subnet.get(subnet_id, set()).discard(attachment.id)
        # the interfaces of subnets leaving go; subnets joining get one
        self._drop_interfaces(attachment, [s for s in attachment.subnet_ids if s not in subnet_ids])
        self._add_interfaces(attachment, subnet_ids)
        attachment.subnet_ids = subnet_ids
        for subnet_id in subnet_ids:
            for family in families:
                family._by_subnet.setdefault(subnet_id, set()).add(attachment.id)
        o = attachment.options
        for key, attr in (
            ("DnsSupport", "dns_support"),
            ("SecurityGroupReferencingSupport", "security_group_referencing_support"),
            ("Ipv6Support", "ipv6_support"),
            ("ApplianceModeSupport", "appliance_mode_support"),
        ):
            if changes.get(key) is not None:
                setattr(o, attr, changes[key])
        self.transition(attachment, "modifying", self._to_available)

    # -- peering attachments

    def check_peering(
        self, gateway: TransitGateway, peer_id: str, peer_account: str, peer_region: str
    ) -> TransitGateway:
        if gateway.owner_id != self.backend.account_id:
            raise TRANSIT_GATEWAY.not_found([gateway.id])
        self.gateways.check_id(peer_id)
        peer = self.backend.shared.get(SHARED_GATEWAYS, {}).get(peer_id)
        if (
            peer is None
            or peer.owner_id != peer_account
            or peer.region != peer_region
            or peer.state in GONE
        ):
            raise TRANSIT_GATEWAY.not_found([peer_id])
        if peer.id == gateway.id:
            raise InvalidParameterValue("A transit gateway cannot be peered with itself.")
        for other in self.attachments.lookup("resource", peer.id):
            if isinstance(other, PeeringAttachment) and other.tgw_id == gateway.id and other.live:
                raise ServiceError(
                    f"{gateway.id} has non-deleted Transit Gateway Peering Attachments with "
                    f"{peer.id}.",
                    code="DuplicateTransitGatewayAttachment",
                )
        return peer

    def create_peering(
        self,
        gateway: TransitGateway,
        peer: TransitGateway,
        dynamic_routing: str,
        multipath: bool,
        mode: str | None,
        tags: dict[str, str],
    ) -> PeeringAttachment:
        backend = self.backend
        attachment_id = self._new_attachment_id()
        now = self.now()
        link = PeeringLink(
            id=attachment_id,
            requester=PeerSide(gateway.id, gateway.owner_id, gateway.region),
            accepter=PeerSide(peer.id, peer.owner_id, peer.region),
            dynamic_routing=dynamic_routing,
            requester_multipath=multipath,
            accepter_multipath=False,
            creation_time=now,
            requester_mode=mode,
        )
        mine = PeeringAttachment(
            id=attachment_id,
            tgw_id=gateway.id,
            tgw_owner_id=gateway.owner_id,
            resource_owner_id=peer.owner_id,
            resource_id=peer.id,
            creation_time=now,
            link=link,
            is_requester=True,
            tags=tags,
        )
        theirs = PeeringAttachment(
            id=attachment_id,
            tgw_id=peer.id,
            tgw_owner_id=peer.owner_id,
            resource_owner_id=gateway.owner_id,
            resource_id=gateway.id,
            creation_time=now,
            link=link,
            is_requester=False,
        )
        link.sides = [mine, theirs]
        self.attachments.add(mine)
        self.owner_family(peer).attachments.add(theirs)
        link.set_state("initiatingRequest")
        self._schedule_link(link, lambda link: link.set_state("pendingAcceptance"))
        del backend
        return mine

    def _schedule_link(
        self, link: PeeringLink, action: Callable[[Any], None], delay: float | None = None
    ) -> None:
        """Both sides' backends get the transition; whichever ticks first applies it."""
        wait = self.backend.options.transition_delay if delay is None else delay
        for side in link.sides:
            family = self.family_of(side.tgw_owner_id, _side_region(side))
            if family is not None:
                family.backend.schedule(wait, link, action)

    def check_peering_accept(self, attachment: PeeringAttachment) -> None:
        if attachment.is_requester:
            raise ServiceError(
                f"{attachment.id} can only be accepted or rejected by the accepter.",
                code="OperationNotPermitted",
            )
        if attachment.peering.state != "pendingAcceptance":
            raise ServiceError(
                f"{attachment.id} is in invalid state {attachment.peering.state}.",
                code="IncorrectState",
            )

    def accept_peering(self, attachment: PeeringAttachment) -> None:
        link = attachment.peering
        link.set_state("pending")
        self._schedule_link(link, self._link_available)

    def _link_available(self, link: PeeringLink) -> None:
        """Each side joins its gateway's default association table; peerings do not propagate."""
        link.set_state("available")
        for side in link.sides:
            self.apply_defaults(side, propagate=False)

    def reject_peering(self, attachment: PeeringAttachment) -> None:
        link = attachment.peering
        link.set_state("rejecting")
        self._schedule_link(link, self._link_rejected)

    def _link_rejected(self, link: PeeringLink) -> None:
        link.set_state("rejected")
        self._schedule_link(link, self._forget, self.backend.options.terminated_retention)

    def delete_peering(self, attachment: PeeringAttachment) -> None:
        link = attachment.peering
        for side in link.sides:
            family = self.family_of(side.tgw_owner_id, _side_region(side))
            if family is not None:
                family.detach(side)
        link.set_state("deleting")
        self._schedule_link(link, self._link_deleted)

    def _link_deleted(self, link: PeeringLink) -> None:
        link.set_state("deleted")
        self._schedule_link(link, self._forget, self.backend.options.terminated_retention)

    def modify_peering(
        self, attachment: PeeringAttachment, multipath: bool | None, mode: str | None
    ) -> None:
        link = attachment.peering
        if attachment.is_requester:
            if multipath is not None:
                link.requester_multipath = multipath
            if mode is not None:
                link.requester_mode = mode
        else:
            if multipath is not None:
                link.accepter_multipath = multipath
            if mode is not None:
                link.accepter_mode = mode

    # -- what other families use

    def vpc_attached(self, gateway_id: str, vpc_id: str) -> bool:
        """Whether ``vpc_id`` has an available attachment to ``gateway_id`` (a VPC route to the
        gateway is active only then)."""
        return any(
            isinstance(a, VpcAttachment) and a.tgw_id == gateway_id and a.state == "available"
            for a in self.attachments.lookup("resource", vpc_id)
        )

    def attach_resource(
        self,
        gateway_id: str,
        resource_type: str,
        resource_id: str,
        announced: Callable[[], list[str]] | None = None,
        tags: dict[str, str] | None = None,
    ) -> ResourceAttachment:
        """An attachment for another family's resource (CreateVpnConnection with a
        TransitGatewayId): pending, then available with the gateway's default association and
        propagation.  Raises the gateway's NotFound / IncorrectState; call before ``commit()``
        only the check :meth:`available_gateway`."""
        gateway = self.available_gateway(gateway_id)
        attachment = ResourceAttachment(
            id=self._new_attachment_id(),
            tgw_id=gateway.id,
            tgw_owner_id=gateway.owner_id,
            resource_owner_id=self.backend.account_id,
            resource_id=resource_id,
            creation_time=self.now(),
            resource_type=resource_type,
            announced=announced,
            tags=dict(tags or {}),
        )
        for family in self._families_of(attachment):
            family.attachments.add(attachment)
        self.transition(attachment, "pending", self.on_available)
        return attachment

    def detach_resource(self, attachment_id: str) -> None:
        """The other family's resource is going: its attachment is deleted with it."""
        attachment = self.attachments.find(attachment_id)
        if attachment is not None and attachment.state not in GONE:
            self.start_delete(attachment)

    # -- Connect attachments

    def check_connect(self, transport: Attachment) -> TransitGateway:
        if not isinstance(transport, VpcAttachment) or transport.state != "available":
            raise ServiceError(
                f"{transport.id} is in invalid state {transport.state}: a Connect attachment "
                "needs an available VPC attachment as its transport.",
                code="IncorrectState",
            )
        return self.gateway(transport.tgw_id)

    def create_connect(
        self, transport: Attachment, protocol: str, tags: dict[str, str]
    ) -> ConnectAttachment:
        attachment = ConnectAttachment(
            id=self._new_attachment_id(),
            tgw_id=transport.tgw_id,
            tgw_owner_id=transport.tgw_owner_id,
            resource_owner_id=self.backend.account_id,
            resource_id=transport.id,
            creation_time=self.now(),
            transport_attachment_id=transport.id,
            protocol=protocol,
            tags=tags,
        )
        self.attachments.add(attachment)
        self.transition(attachment, "pending", self.on_available)
        return attachment

    def check_connect_delete(self, attachment: ConnectAttachment) -> None:
        self.check_deletable(attachment)
        peers = [
            p.id
            for p in self.extras.connect_peers.lookup("attachment", attachment.id)
            if p.state not in GONE
        ]
        if peers:
            raise ServiceError(
                f"{attachment.id} has non-deleted Connect Peers: {', '.join(peers)}.",
                code="IncorrectState",
            )


def _side_region(side: PeeringAttachment) -> str:
    link = side.peering
    return link.requester.region if side.is_requester else link.accepter.region


def _attachment_association_state(a: Attachment) -> str | None:
    return (
        a.association_state if a.route_table_id else ("associated" if a.policy_table_id else None)
    )


GATEWAY_FILTERS = {
    "options.amazon-side-asn": lambda g: g.options.amazon_side_asn,
    "options.association-default-route-table-id": lambda g: (
        g.options.association_default_route_table_id
    ),
    "options.auto-accept-shared-attachments": lambda g: g.options.auto_accept_shared_attachments,
    "options.default-route-table-association": lambda g: g.options.default_route_table_association,
    "options.default-route-table-propagation": lambda g: g.options.default_route_table_propagation,
    "options.dns-support": lambda g: g.options.dns_support,
    "options.propagation-default-route-table-id": lambda g: (
        g.options.propagation_default_route_table_id
    ),
    "options.vpn-ecmp-support": lambda g: g.options.vpn_ecmp_support,
    "owner-id": lambda g: g.owner_id,
    "state": lambda g: g.state,
    "transit-gateway-id": lambda g: g.id,
}

ATTACHMENT_FILTERS = {
    "association.state": _attachment_association_state,
    "association.transit-gateway-route-table-id": lambda a: a.route_table_id,
    "resource-id": lambda a: a.resource_id,
    "resource-owner-id": lambda a: a.resource_owner_id,
    "resource-type": lambda a: a.resource_type,
    "state": lambda a: a.state,
    "transit-gateway-attachment-id": lambda a: a.id,
    "transit-gateway-id": lambda a: a.tgw_id,
    "transit-gateway-owner-id": lambda a: a.tgw_owner_id,
}

VPC_ATTACHMENT_FILTERS = {
    "state": lambda a: a.state,
    "transit-gateway-attachment-id": lambda a: a.id,
    "transit-gateway-id": lambda a: a.tgw_id,
    "vpc-id": lambda a: a.resource_id,
}

PEERING_FILTERS = {
    "local-owner-id": lambda a: a.tgw_owner_id,
    "remote-owner-id": lambda a: a.resource_owner_id,
    "state": lambda a: a.state,
    "transit-gateway-attachment-id": lambda a: a.id,
    "transit-gateway-id": lambda a: a.tgw_id,
}

CONNECT_FILTERS = {
    "options.protocol": lambda a: a.protocol,
    "state": lambda a: a.state,
    "transit-gateway-attachment-id": lambda a: a.id,
    "transit-gateway-id": lambda a: a.tgw_id,
    "transport-transit-gateway-attachment-id": lambda a: a.transport_attachment_id,
}


def _check_room(subnet: Any) -> None:
    """The gateway's interface in the subnet needs a free address."""
    if subnet.available_ip_count < 1:
        raise ServiceError(
            f"There are not enough free addresses in subnet '{subnet.id}' to satisfy the "
            "requested number of addresses.",
            code="InsufficientFreeAddressesInSubnet",
        )
