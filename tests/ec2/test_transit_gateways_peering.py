"""Transit gateway peering across accounts and regions, and route table announcements."""

from __future__ import annotations

from typing import Any

import pytest
from ec2_helpers import assert_error
from test_transit_gateways import OTHER_ACCOUNT, dry_run, new_tgw, other_account

PEER_REGION = "us-east-1"


def peering(ec2: Any, attachment_id: str) -> dict[str, Any]:
    [found] = ec2.describe_transit_gateway_peering_attachments(
        TransitGatewayAttachmentIds=[attachment_id]
    )["TransitGatewayPeeringAttachments"]
    return found


@pytest.fixture
def peers(env, ec2):
    """A gateway here and one in another account and region, and a peering request between them."""
    mine = new_tgw(ec2)
    theirs_client = other_account(env, PEER_REGION)
    theirs = new_tgw(theirs_client)
    created = ec2.create_transit_gateway_peering_attachment(
        TransitGatewayId=mine["TransitGatewayId"],
        PeerTransitGatewayId=theirs["TransitGatewayId"],
        PeerAccountId=OTHER_ACCOUNT,
        PeerRegion=PEER_REGION,
        Options={"DynamicRouting": "disable"},
        TagSpecifications=[
            {"ResourceType": "transit-gateway-attachment", "Tags": [{"Key": "p", "Value": "1"}]}
        ],
    )["TransitGatewayPeeringAttachment"]
    return {
        "mine": mine,
        "theirs": theirs,
        "peer": theirs_client,
        "created": created,
        "id": created["TransitGatewayAttachmentId"],
    }


def test_peering_request_is_seen_by_both_sides(ec2, peers):
    created, mine, theirs = peers["created"], peers["mine"], peers["theirs"]
    assert created["State"] == "initiatingRequest"
    assert created["RequesterTgwInfo"] == {
        "TransitGatewayId": mine["TransitGatewayId"],
        "OwnerId": mine["OwnerId"],
        "Region": "eu-west-1",
    }
    assert created["AccepterTgwInfo"] == {
        "TransitGatewayId": theirs["TransitGatewayId"],
        "OwnerId": OTHER_ACCOUNT,
        "Region": PEER_REGION,
    }
    assert created["Options"]["DynamicRouting"] == "disable"
    assert created["Tags"] == [{"Key": "p", "Value": "1"}]
    assert peering(ec2, peers["id"])["State"] == "pendingAcceptance"
    seen = peering(peers["peer"], peers["id"])
    assert seen["State"] == "pendingAcceptance"
    assert "Tags" not in seen  # tags belong to each side
    [summary] = peers["peer"].describe_transit_gateway_attachments(
        Filters=[{"Name": "resource-type", "Values": ["peering"]}]
    )["TransitGatewayAttachments"]
    assert summary["TransitGatewayId"] == theirs["TransitGatewayId"]
    assert summary["ResourceId"] == mine["TransitGatewayId"]
    assert summary["ResourceOwnerId"] == mine["OwnerId"]


def test_accept_peering(ec2, peers):
    attachment_id = peers["id"]
    peer = peers["peer"]
    assert_error(
        ec2.accept_transit_gateway_peering_attachment,
        "OperationNotPermitted",
        TransitGatewayAttachmentId=attachment_id,
    )
    dry_run(
        peer.accept_transit_gateway_peering_attachment, TransitGatewayAttachmentId=attachment_id
    )
    accepted = peer.accept_transit_gateway_peering_attachment(
        TransitGatewayAttachmentId=attachment_id
    )["TransitGatewayPeeringAttachment"]
    assert accepted["State"] == "pending"
    assert peering(ec2, attachment_id)["State"] == "available"
    assert peering(peer, attachment_id)["State"] == "available"
    assert_error(
        peer.accept_transit_gateway_peering_attachment,
        "IncorrectState",
        TransitGatewayAttachmentId=attachment_id,
    )
    # each side's attachment joins its own gateway's default association table
    mine_table = peers["mine"]["Options"]["AssociationDefaultRouteTableId"]
    theirs_table = peers["theirs"]["Options"]["AssociationDefaultRouteTableId"]
    [mine_summary] = ec2.describe_transit_gateway_attachments(
        TransitGatewayAttachmentIds=[attachment_id]
    )["TransitGatewayAttachments"]
    assert mine_summary["Association"]["TransitGatewayRouteTableId"] == mine_table
    [theirs_summary] = peer.describe_transit_gateway_attachments()["TransitGatewayAttachments"]
    assert theirs_summary["Association"]["TransitGatewayRouteTableId"] == theirs_table
    # peerings carry static routes only: nothing propagates
    assert (
        ec2.get_transit_gateway_attachment_propagations(TransitGatewayAttachmentId=attachment_id)[
            "TransitGatewayAttachmentPropagations"
        ]
        == []
    )
    ec2.create_transit_gateway_route(
        TransitGatewayRouteTableId=mine_table,
        DestinationCidrBlock="10.50.0.0/16",
        TransitGatewayAttachmentId=attachment_id,
    )
    [route] = ec2.search_transit_gateway_routes(
        TransitGatewayRouteTableId=mine_table,
        Filters=[{"Name": "attachment.resource-type", "Values": ["peering"]}],
    )["Routes"]
    assert route["State"] == "active"
    assert (
        route["TransitGatewayAttachments"][0]["ResourceId"] == peers["theirs"]["TransitGatewayId"]
    )


def test_reject_peering(ec2, peers):
    peer = peers["peer"]
    dry_run(peer.reject_transit_gateway_peering_attachment, TransitGatewayAttachmentId=peers["id"])
    rejected = peer.reject_transit_gateway_peering_attachment(
        TransitGatewayAttachmentId=peers["id"]
    )["TransitGatewayPeeringAttachment"]
    assert rejected["State"] == "rejecting"
    assert peering(ec2, peers["id"])["State"] == "rejected"


def test_delete_peering_from_either_side(env, ec2, peers):
    peer = peers["peer"]
    peer.accept_transit_gateway_peering_attachment(TransitGatewayAttachmentId=peers["id"])
    assert_error(
        ec2.delete_transit_gateway,
        "IncorrectState",
        message="Peering",
        TransitGatewayId=peers["mine"]["TransitGatewayId"],
    )
    dry_run(peer.delete_transit_gateway_peering_attachment, TransitGatewayAttachmentId=peers["id"])
    deleted = peer.delete_transit_gateway_peering_attachment(
        TransitGatewayAttachmentId=peers["id"]
    )["TransitGatewayPeeringAttachment"]
    assert deleted["State"] == "deleting"
    assert peering(ec2, peers["id"])["State"] == "deleted"
    env.clock.advance(7200)
    assert (
        ec2.describe_transit_gateway_peering_attachments()["TransitGatewayPeeringAttachments"] == []
    )
    assert (
        peer.describe_transit_gateway_peering_attachments()["TransitGatewayPeeringAttachments"]
        == []
    )


def test_modify_peering(ec2, peers):
    dry_run(
        ec2.modify_transit_gateway_peering_attachment,
        TransitGatewayAttachmentId=peers["id"],
        Options={"AllowMultipathResilience": True},
    )
    modified = ec2.modify_transit_gateway_peering_attachment(
        TransitGatewayAttachmentId=peers["id"],
        Options={"AllowMultipathResilience": True, "MultipathResilienceMode": "always-on"},
    )["TransitGatewayPeeringAttachment"]
    assert modified["Options"]["RequesterAllowMultipathResilience"] is True
    assert modified["Options"]["RequesterMultipathResilienceMode"] == "always-on"
    assert (
        peering(peers["peer"], peers["id"])["Options"]["RequesterAllowMultipathResilience"] is True
    )


def test_peering_refusals(env, ec2):
    mine = new_tgw(ec2)["TransitGatewayId"]
    theirs = new_tgw(other_account(env, PEER_REGION))["TransitGatewayId"]
    create = ec2.create_transit_gateway_peering_attachment
    # the peer must be where the request says it is
    assert_error(
        create,
        "InvalidTransitGatewayID.NotFound",
        message=theirs,
        TransitGatewayId=mine,
        PeerTransitGatewayId=theirs,
        PeerAccountId=OTHER_ACCOUNT,
        PeerRegion="eu-west-1",
    )
    assert_error(
        create,
        "InvalidTransitGatewayID.NotFound",
        TransitGatewayId=mine,
        PeerTransitGatewayId="tgw-0123456789abcdef0",
        PeerAccountId=OTHER_ACCOUNT,
        PeerRegion=PEER_REGION,
    )
    dry_run(
        create,
        TransitGatewayId=mine,
        PeerTransitGatewayId=theirs,
        PeerAccountId=OTHER_ACCOUNT,
        PeerRegion=PEER_REGION,
    )
    assert (
        ec2.describe_transit_gateway_peering_attachments()["TransitGatewayPeeringAttachments"] == []
    )
    create(
        TransitGatewayId=mine,
        PeerTransitGatewayId=theirs,
        PeerAccountId=OTHER_ACCOUNT,
        PeerRegion=PEER_REGION,
    )
    assert_error(
        create,
        "DuplicateTransitGatewayAttachment",
        TransitGatewayId=mine,
        PeerTransitGatewayId=theirs,
        PeerAccountId=OTHER_ACCOUNT,
        PeerRegion=PEER_REGION,
    )


def test_describe_peering_filters(ec2, peers):
    mine = peers["mine"]

    def ids(client, name, *values):
        found = client.describe_transit_gateway_peering_attachments(
            Filters=[{"Name": name, "Values": list(values)}]
        )["TransitGatewayPeeringAttachments"]
        return [p["TransitGatewayAttachmentId"] for p in found]

    one = [peers["id"]]
    assert ids(ec2, "local-owner-id", mine["OwnerId"]) == one
    assert ids(ec2, "remote-owner-id", OTHER_ACCOUNT) == one
    assert ids(peers["peer"], "remote-owner-id", mine["OwnerId"]) == one
    assert ids(ec2, "state", "pendingAcceptance") == one
    assert ids(ec2, "transit-gateway-attachment-id", peers["id"]) == one
    assert ids(ec2, "transit-gateway-id", mine["TransitGatewayId"]) == one
    assert ids(peers["peer"], "transit-gateway-id", peers["theirs"]["TransitGatewayId"]) == one
    assert ids(ec2, "tag-key", "p") == one
    assert ids(ec2, "tag:p", "1") == one
    assert ids(peers["peer"], "tag-key", "p") == []


# -- route table announcements


def test_route_table_announcements(ec2, peers):
    peers["peer"].accept_transit_gateway_peering_attachment(TransitGatewayAttachmentId=peers["id"])
    table = ec2.create_transit_gateway_route_table(
        TransitGatewayId=peers["mine"]["TransitGatewayId"]
    )["TransitGatewayRouteTable"]["TransitGatewayRouteTableId"]
    dry_run(
        ec2.create_transit_gateway_route_table_announcement,
        TransitGatewayRouteTableId=table,
        PeeringAttachmentId=peers["id"],
    )
    created = ec2.create_transit_gateway_route_table_announcement(
        TransitGatewayRouteTableId=table,
        PeeringAttachmentId=peers["id"],
        TagSpecifications=[
            {
                "ResourceType": "transit-gateway-route-table-announcement",
                "Tags": [{"Key": "a", "Value": "b"}],
            }
        ],
    )["TransitGatewayRouteTableAnnouncement"]
    announcement = created["TransitGatewayRouteTableAnnouncementId"]
    assert announcement.startswith("tgw-rtb-announcement-")
    assert created["State"] == "pending"
    assert created["AnnouncementDirection"] == "outgoing"
    assert created["PeerTransitGatewayId"] == peers["theirs"]["TransitGatewayId"]
    assert created["TransitGatewayRouteTableId"] == table
    [shown] = ec2.describe_transit_gateway_route_table_announcements(
        TransitGatewayRouteTableAnnouncementIds=[announcement]
    )["TransitGatewayRouteTableAnnouncements"]
    assert shown["State"] == "available"
    assert shown["Tags"] == [{"Key": "a", "Value": "b"}]

    propagation = ec2.enable_transit_gateway_route_table_propagation(
        TransitGatewayRouteTableId=table, TransitGatewayRouteTableAnnouncementId=announcement
    )["Propagation"]
    assert propagation["TransitGatewayAttachmentId"] == peers["id"]
    assert propagation["TransitGatewayRouteTableAnnouncementId"] == announcement
    [row] = ec2.get_transit_gateway_route_table_propagations(TransitGatewayRouteTableId=table)[
        "TransitGatewayRouteTablePropagations"
    ]
    assert row["TransitGatewayRouteTableAnnouncementId"] == announcement

    dry_run(
        ec2.delete_transit_gateway_route_table_announcement,
        TransitGatewayRouteTableAnnouncementId=announcement,
    )
    deleted = ec2.delete_transit_gateway_route_table_announcement(
        TransitGatewayRouteTableAnnouncementId=announcement
    )["TransitGatewayRouteTableAnnouncement"]
    assert deleted["State"] == "deleting"
    assert (
        ec2.get_transit_gateway_route_table_propagations(TransitGatewayRouteTableId=table)[
            "TransitGatewayRouteTablePropagations"
        ]
        == []
    )
    [gone] = ec2.describe_transit_gateway_route_table_announcements()[
        "TransitGatewayRouteTableAnnouncements"
    ]
    assert gone["State"] == "deleted"
    assert_error(
        ec2.delete_transit_gateway_route_table_announcement,
        "InvalidTransitGatewayRouteTableAnnouncementId.NotFound",
        TransitGatewayRouteTableAnnouncementId=announcement,
    )
    assert_error(
        ec2.describe_transit_gateway_route_table_announcements,
        "InvalidTransitGatewayRouteTableAnnouncementId.NotFound",
        TransitGatewayRouteTableAnnouncementIds=["tgw-rtb-announcement-0123456789abcdef0"],
    )


def test_announcement_needs_an_available_peering(ec2, peers):
    table = peers["mine"]["Options"]["AssociationDefaultRouteTableId"]
    assert_error(
        ec2.create_transit_gateway_route_table_announcement,
        "IncorrectState",
        TransitGatewayRouteTableId=table,
        PeeringAttachmentId=peers["id"],
    )
