"""VPN and Client VPN joins: VGW route propagation into VPC route tables, VPN
connections, concentrators and Client VPN endpoints as transit gateway attachments."""

from __future__ import annotations

from typing import Any

from tests.ec2.cross_helpers import (
    CERT,
    ROOT,
    WAITER,
    available_tgw,
    client_vpn_on,
    customer_gateway,
    route_to,
    table,
    tgw_attachments,
    vpc,
)
from tests.ec2.ec2_helpers import assert_error


def assert_attachments_going(ec2: Any, tgw: str) -> None:
    """The gateway had attachments, and every one is being (or has been) deleted."""
    states = {a["State"] for a in tgw_attachments(ec2, tgw)}
    assert states and states <= {"deleting", "deleted"}, states


def test_a_vpn_connection_on_a_transit_gateway_is_one_of_its_attachments(ec2):
    tgw = available_tgw(ec2)
    connection = ec2.create_vpn_connection(
        Type="ipsec.1", CustomerGatewayId=customer_gateway(ec2), TransitGatewayId=tgw
    )["VpnConnection"]
    assert connection["TransitGatewayId"] == tgw
    vpn_id = connection["VpnConnectionId"]
    attachments = tgw_attachments(ec2, tgw)
    assert [(a["ResourceType"], a["ResourceId"]) for a in attachments] == [("vpn", vpn_id)]
    attachment_id = attachments[0]["TransitGatewayAttachmentId"]
    by_type = ec2.describe_transit_gateway_attachments(
        Filters=[{"Name": "resource-type", "Values": ["vpn"]}]
    )["TransitGatewayAttachments"]
    assert [a["TransitGatewayAttachmentId"] for a in by_type] == [attachment_id]
    assert_error(ec2.delete_transit_gateway, "IncorrectState", TransitGatewayId=tgw)

    ec2.delete_vpn_connection(VpnConnectionId=vpn_id)
    assert_attachments_going(ec2, tgw)


def test_a_transit_gateway_that_is_not_available_takes_no_vpn_connection(env, ec2, ec2_options):
    ec2_options(transition_delay=5)
    cgw = customer_gateway(ec2)
    env.clock.advance(10)
    tgw = ec2.create_transit_gateway()["TransitGateway"]["TransitGatewayId"]
    assert_error(
        ec2.create_vpn_connection,
        "IncorrectState",
        Type="ipsec.1",
        CustomerGatewayId=cgw,
        TransitGatewayId=tgw,
    )
    assert_error(
        ec2.create_vpn_connection,
        "InvalidTransitGatewayID.NotFound",
        Type="ipsec.1",
        CustomerGatewayId=cgw,
        TransitGatewayId="tgw-0123456789abcdef0",
    )


def test_moving_a_vpn_connection_between_gateways_moves_its_attachment(ec2):
    first, second = available_tgw(ec2), available_tgw(ec2)
    vpn_id = ec2.create_vpn_connection(
        Type="ipsec.1", CustomerGatewayId=customer_gateway(ec2), TransitGatewayId=first
    )["VpnConnection"]["VpnConnectionId"]
    ec2.get_waiter("vpn_connection_available").wait(VpnConnectionIds=[vpn_id], WaiterConfig=WAITER)
    ec2.modify_vpn_connection(VpnConnectionId=vpn_id, TransitGatewayId=second)
    assert_attachments_going(ec2, first)
    moved = tgw_attachments(ec2, second)
    assert [(a["ResourceType"], a["ResourceId"]) for a in moved] == [("vpn", vpn_id)]


def test_a_vpn_concentrator_is_a_transit_gateway_attachment(ec2):
    tgw = available_tgw(ec2)
    made = ec2.create_vpn_concentrator(Type="ipsec.1", TransitGatewayId=tgw)["VpnConcentrator"]
    attachments = tgw_attachments(ec2, tgw)
    assert [(a["ResourceType"], a["ResourceId"]) for a in attachments] == [
        ("vpn-concentrator", made["VpnConcentratorId"])
    ]
    assert attachments[0]["TransitGatewayAttachmentId"] == made["TransitGatewayAttachmentId"]
    # a connection on the concentrator shares its attachment
    ec2.describe_vpn_concentrators(VpnConcentratorIds=[made["VpnConcentratorId"]])
    vpn_id = ec2.create_vpn_connection(
        Type="ipsec.1",
        CustomerGatewayId=customer_gateway(ec2),
        TransitGatewayId=tgw,
        VpnConcentratorId=made["VpnConcentratorId"],
    )["VpnConnection"]["VpnConnectionId"]
    assert len(tgw_attachments(ec2, tgw)) == 1
    ec2.delete_vpn_connection(VpnConnectionId=vpn_id)
    ec2.describe_vpn_connections(VpnConnectionIds=[vpn_id])
    ec2.delete_vpn_concentrator(VpnConcentratorId=made["VpnConcentratorId"])
    assert_attachments_going(ec2, tgw)


def test_a_client_vpn_endpoint_on_a_transit_gateway_is_one_of_its_attachments(ec2):
    tgw = available_tgw(ec2)
    endpoint = client_vpn_on(ec2, tgw)
    cvpn = endpoint["ClientVpnEndpointId"]
    attachment_id = endpoint["TransitGatewayConfiguration"]["TransitGatewayAttachmentId"]
    attachments = tgw_attachments(ec2, tgw)
    assert [
        (a["TransitGatewayAttachmentId"], a["ResourceType"], a["ResourceId"]) for a in attachments
    ] == [(attachment_id, "client-vpn", cvpn)]
    assert_error(ec2.delete_transit_gateway, "IncorrectState", TransitGatewayId=tgw)
    ec2.delete_transit_gateway_client_vpn_attachment(TransitGatewayAttachmentId=attachment_id)
    assert_attachments_going(ec2, tgw)


def test_deleting_a_client_vpn_endpoint_deletes_its_transit_gateway_attachment(ec2):
    tgw = available_tgw(ec2)
    cvpn = client_vpn_on(ec2, tgw)["ClientVpnEndpointId"]
    assert [a["ResourceId"] for a in tgw_attachments(ec2, tgw)] == [cvpn]
    ec2.delete_client_vpn_endpoint(ClientVpnEndpointId=cvpn)
    assert_attachments_going(ec2, tgw)


def test_a_client_vpn_endpoint_needs_an_available_transit_gateway(ec2):
    assert_error(
        ec2.create_client_vpn_endpoint,
        "InvalidTransitGatewayID.NotFound",
        ClientCidrBlock="10.100.0.0/22",
        ServerCertificateArn=CERT,
        AuthenticationOptions=[
            {
                "Type": "certificate-authentication",
                "MutualAuthentication": {"ClientRootCertificateChainArn": ROOT},
            }
        ],
        ConnectionLogOptions={"Enabled": False},
        TransitGatewayConfiguration={"TransitGatewayId": "tgw-0123456789abcdef0"},
    )


def test_vgw_route_propagation_shows_the_connections_static_routes(ec2):
    vpc_id = vpc(ec2)
    rtb = table(ec2, vpc_id)
    vgw = ec2.create_vpn_gateway(Type="ipsec.1")["VpnGateway"]["VpnGatewayId"]
    ec2.attach_vpn_gateway(VpnGatewayId=vgw, VpcId=vpc_id)
    connection = ec2.create_vpn_connection(
        Type="ipsec.1",
        CustomerGatewayId=customer_gateway(ec2),
        VpnGatewayId=vgw,
        Options={"StaticRoutesOnly": True},
    )["VpnConnection"]["VpnConnectionId"]
    ec2.create_vpn_connection_route(
        VpnConnectionId=connection, DestinationCidrBlock="192.168.7.0/24"
    )
    ec2.get_waiter("vpn_connection_available").wait(
        VpnConnectionIds=[connection], WaiterConfig=WAITER
    )
    ec2.enable_vgw_route_propagation(GatewayId=vgw, RouteTableId=rtb)
    got = ec2.describe_route_tables(RouteTableIds=[rtb])["RouteTables"][0]
    assert got["PropagatingVgws"] == [{"GatewayId": vgw}]
    route = route_to(ec2, rtb, "192.168.7.0/24")
    assert route["GatewayId"] == vgw
    assert route["Origin"] == "EnableVgwRoutePropagation"
    assert route["State"] == "active"
    found = ec2.describe_route_tables(
        Filters=[{"Name": "route.origin", "Values": ["EnableVgwRoutePropagation"]}]
    )["RouteTables"]
    assert [t["RouteTableId"] for t in found] == [rtb]

    ec2.disable_vgw_route_propagation(GatewayId=vgw, RouteTableId=rtb)
    got = ec2.describe_route_tables(RouteTableIds=[rtb])["RouteTables"][0]
    assert got["PropagatingVgws"] == []
    assert "192.168.7.0/24" not in [r.get("DestinationCidrBlock") for r in got["Routes"]]

    ec2.enable_vgw_route_propagation(GatewayId=vgw, RouteTableId=rtb)
    ec2.detach_vpn_gateway(VpnGatewayId=vgw, VpcId=vpc_id)
    got = ec2.describe_route_tables(RouteTableIds=[rtb])["RouteTables"][0]
    assert got["PropagatingVgws"] == []


def test_dry_runs_make_no_transit_gateway_attachment(ec2):
    tgw = available_tgw(ec2)
    cgw = customer_gateway(ec2)
    assert_error(
        ec2.create_vpn_connection,
        "DryRunOperation",
        412,
        Type="ipsec.1",
        CustomerGatewayId=cgw,
        TransitGatewayId=tgw,
        DryRun=True,
    )
    assert_error(
        ec2.create_vpn_concentrator,
        "DryRunOperation",
        412,
        Type="ipsec.1",
        TransitGatewayId=tgw,
        DryRun=True,
    )
    assert tgw_attachments(ec2, tgw) == []
