"""The resource kinds of the transit gateway family, with EC2's NotFound wording."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from cloudmock.core.errors import ServiceError
from cloudmock.services.ec2.models.base import ResourceKind


@dataclass(frozen=True)
class TgwKind(ResourceKind):
    """Transit gateway resources answer NotFound as "<Label> <id> was deleted or does not exist."."""

    label: str = ""

    def not_found(self, ids: Iterable[str]) -> ServiceError:
        ids = list(ids)
        return ServiceError(
            f"{self.label} {', '.join(ids)} was deleted or does not exist.",
            code=f"{self.not_found_stem or self.error_stem}.NotFound",
        )


TRANSIT_GATEWAY = TgwKind(
    "tgw",
    "transit-gateway",
    "InvalidTransitGatewayID",
    "transit gateway ID",
    label="Transit Gateway",
)
ATTACHMENT = TgwKind(
    "tgw-attach",
    "transit-gateway-attachment",
    "InvalidTransitGatewayAttachmentID",
    "transit gateway attachment ID",
    label="Transit Gateway Attachment",
)
ROUTE_TABLE = TgwKind(
    "tgw-rtb",
    "transit-gateway-route-table",
    "InvalidRouteTableID",
    "transit gateway route table ID",
    label="Transit Gateway Route Table",
)
CONNECT_PEER = TgwKind(
    "tgw-connect-peer",
    "transit-gateway-connect-peer",
    "InvalidTransitGatewayConnectPeerID",
    "transit gateway connect peer ID",
    label="Transit Gateway Connect Peer",
)
MULTICAST_DOMAIN = TgwKind(
    "tgw-mcast-domain",
    "transit-gateway-multicast-domain",
    "InvalidTransitGatewayMulticastDomainId",
    "transit gateway multicast domain ID",
    label="Transit Gateway Multicast Domain",
)
POLICY_TABLE = TgwKind(
    "tgw-ptb",
    "transit-gateway-policy-table",
    "InvalidTransitGatewayPolicyTableId",
    "transit gateway policy table ID",
    label="Transit Gateway Policy Table",
)
METERING_POLICY = TgwKind(
    "tgw-mp",
    "transit-gateway-metering-policy",
    "InvalidTransitGatewayMeteringPolicyId",
    "transit gateway metering policy ID",
    label="Transit Gateway Metering Policy",
)
ANNOUNCEMENT = TgwKind(
    "tgw-rtb-announcement",
    "transit-gateway-route-table-announcement",
    "InvalidTransitGatewayRouteTableAnnouncementId",
    "transit gateway route table announcement ID",
    label="Transit Gateway Route Table Announcement",
)
