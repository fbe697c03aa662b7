"""Joins between the networking families: what one family does when another's resource
goes, routes through other families' targets, references across families."""

from __future__ import annotations

from typing import Any

import pytest

from tests.ec2.ec2_helpers import assert_error, launch

OTHER = "222233334444"
BUCKET = "arn:aws:s3:::my-flow-logs"
S3 = "com.amazonaws.eu-west-1.s3"
WAITER = {"Delay": 0, "MaxAttempts": 5}


@pytest.fixture
def other(env: Any) -> Any:
    """Account 222233334444 in eu-west-1."""
    return env.client("ec2", region="eu-west-1", aws_access_key_id=OTHER, aws_secret_access_key="x")


def vpc(ec2: Any, cidr: str = "10.0.0.0/16") -> str:
    return ec2.create_vpc(CidrBlock=cidr)["Vpc"]["VpcId"]


def subnet(ec2: Any, vpc_id: str, cidr: str = "10.0.1.0/24", **kw: Any) -> str:
    return ec2.create_subnet(VpcId=vpc_id, CidrBlock=cidr, **kw)["Subnet"]["SubnetId"]


def table(ec2: Any, vpc_id: str) -> str:
    return ec2.create_route_table(VpcId=vpc_id)["RouteTable"]["RouteTableId"]


def routes(ec2: Any, rtb: str) -> list[dict[str, Any]]:
    return ec2.describe_route_tables(RouteTableIds=[rtb])["RouteTables"][0]["Routes"]


def route_to(ec2: Any, rtb: str, destination: str) -> dict[str, Any]:
    for route in routes(ec2, rtb):
        if destination in (
            route.get("DestinationCidrBlock"),
            route.get("DestinationIpv6CidrBlock"),
            route.get("DestinationPrefixListId"),
        ):
            return route
    raise AssertionError(f"no route to {destination} in {routes(ec2, rtb)}")


def peer(ec2: Any, vpc_a: str, vpc_b: str, accepter: Any = None, **kw: Any) -> str:
    """An active peering connection between two VPCs (accepted by ``accepter``)."""
    pcx = ec2.create_vpc_peering_connection(VpcId=vpc_a, PeerVpcId=vpc_b, **kw)[
        "VpcPeeringConnection"
    ]["VpcPeeringConnectionId"]
    accepter = accepter or ec2
    accepter.get_waiter("vpc_peering_connection_exists").wait(
        VpcPeeringConnectionIds=[pcx], WaiterConfig=WAITER
    )
    accepter.accept_vpc_peering_connection(VpcPeeringConnectionId=pcx)
    return pcx


def peering_status(ec2: Any, pcx: str) -> str:
    found = ec2.describe_vpc_peering_connections(VpcPeeringConnectionIds=[pcx])
    return found["VpcPeeringConnections"][0]["Status"]["Code"]


def flow_logs_of(ec2: Any, resource_id: str) -> list[dict[str, Any]]:
    return ec2.describe_flow_logs(Filters=[{"Name": "resource-id", "Values": [resource_id]}])[
        "FlowLogs"
    ]


def to_s3(ec2: Any, resource_id: str, resource_type: str) -> str:
    made = ec2.create_flow_logs(
        ResourceIds=[resource_id],
        ResourceType=resource_type,
        TrafficType="ALL",
        LogDestinationType="s3",
        LogDestination=BUCKET,
    )
    return made["FlowLogIds"][0]


# -- deletion listeners


def test_deleting_a_vpc_deletes_its_active_peerings(ec2):
    a, b = vpc(ec2), vpc(ec2, "10.1.0.0/16")
    pcx = peer(ec2, a, b)
    assert peering_status(ec2, pcx) == "active"
    ec2.delete_vpc(VpcId=a)
    assert peering_status(ec2, pcx) in ("deleting", "deleted")


def test_deleting_a_vpc_or_subnet_deletes_its_flow_logs(ec2):
    vpc_id = vpc(ec2)
    subnet_id = subnet(ec2, vpc_id)
    to_s3(ec2, vpc_id, "VPC")
    to_s3(ec2, subnet_id, "Subnet")
    ec2.delete_subnet(SubnetId=subnet_id)
    assert flow_logs_of(ec2, subnet_id) == []
    assert len(flow_logs_of(ec2, vpc_id)) == 1
    ec2.delete_vpc(VpcId=vpc_id)
    assert flow_logs_of(ec2, vpc_id) == []


def test_deleting_a_subnet_drops_its_route_table_and_acl_associations(ec2):
    vpc_id = vpc(ec2)
    subnet_id = subnet(ec2, vpc_id)
    rtb = table(ec2, vpc_id)
    ec2.associate_route_table(RouteTableId=rtb, SubnetId=subnet_id)
    ec2.delete_subnet(SubnetId=subnet_id)
    found = ec2.describe_route_tables(
        Filters=[{"Name": "association.subnet-id", "Values": [subnet_id]}]
    )["RouteTables"]
    assert found == []
    acls = ec2.describe_network_acls(
        Filters=[{"Name": "association.subnet-id", "Values": [subnet_id]}]
    )["NetworkAcls"]
    assert acls == []
    ec2.delete_route_table(RouteTableId=rtb)


def test_deleting_a_route_table_drops_it_from_gateway_endpoints(ec2):
    vpc_id = vpc(ec2)
    rtb, kept = table(ec2, vpc_id), table(ec2, vpc_id)
    vpce = ec2.create_vpc_endpoint(VpcId=vpc_id, ServiceName=S3, RouteTableIds=[rtb, kept])[
        "VpcEndpoint"
    ]["VpcEndpointId"]
    ec2.delete_route_table(RouteTableId=rtb)
    got = ec2.describe_vpc_endpoints(VpcEndpointIds=[vpce])["VpcEndpoints"][0]
    assert got["RouteTableIds"] == [kept]


# -- route states


def test_a_route_through_a_peering_is_a_blackhole_until_active_and_after_deletion(ec2):
    a, b = vpc(ec2), vpc(ec2, "10.1.0.0/16")
    rtb = table(ec2, a)
    pcx = ec2.create_vpc_peering_connection(VpcId=a, PeerVpcId=b)["VpcPeeringConnection"][
        "VpcPeeringConnectionId"
    ]
    ec2.get_waiter("vpc_peering_connection_exists").wait(
        VpcPeeringConnectionIds=[pcx], WaiterConfig=WAITER
    )
    ec2.create_route(
        RouteTableId=rtb, DestinationCidrBlock="10.1.0.0/16", VpcPeeringConnectionId=pcx
    )
    assert route_to(ec2, rtb, "10.1.0.0/16")["State"] == "blackhole"
    ec2.accept_vpc_peering_connection(VpcPeeringConnectionId=pcx)
    assert peering_status(ec2, pcx) == "active"
    assert route_to(ec2, rtb, "10.1.0.0/16")["State"] == "active"
    found = ec2.describe_route_tables(
        Filters=[{"Name": "route.vpc-peering-connection-id", "Values": [pcx]}]
    )["RouteTables"]
    assert [t["RouteTableId"] for t in found] == [rtb]
    ec2.delete_vpc_peering_connection(VpcPeeringConnectionId=pcx)
    assert route_to(ec2, rtb, "10.1.0.0/16")["State"] == "blackhole"


def test_routes_to_gone_targets_are_blackholes(ec2):
    vpc_id = vpc(ec2)
    subnet_id = subnet(ec2, vpc_id)
    rtb = table(ec2, vpc_id)
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc_id)
    nat = ec2.create_nat_gateway(SubnetId=subnet_id, ConnectivityType="private")["NatGateway"][
        "NatGatewayId"
    ]
    instance = launch(ec2, SubnetId=subnet_id)[0]["InstanceId"]
    ec2.create_route(RouteTableId=rtb, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    ec2.create_route(RouteTableId=rtb, DestinationCidrBlock="192.168.0.0/16", NatGatewayId=nat)
    ec2.create_route(RouteTableId=rtb, DestinationCidrBlock="172.16.0.0/16", InstanceId=instance)
    ec2.get_waiter("nat_gateway_available").wait(NatGatewayIds=[nat], WaiterConfig=WAITER)
    ec2.get_waiter("instance_running").wait(InstanceIds=[instance], WaiterConfig=WAITER)
    assert {r["State"] for r in routes(ec2, rtb)} == {"active"}

    ec2.detach_internet_gateway(InternetGatewayId=igw, VpcId=vpc_id)
    ec2.delete_nat_gateway(NatGatewayId=nat)
    ec2.terminate_instances(InstanceIds=[instance])
    ec2.get_waiter("instance_terminated").wait(InstanceIds=[instance], WaiterConfig=WAITER)
    for destination in ("0.0.0.0/0", "192.168.0.0/16", "172.16.0.0/16"):
        assert route_to(ec2, rtb, destination)["State"] == "blackhole", destination
    blackholes = ec2.describe_route_tables(
        Filters=[{"Name": "route.state", "Values": ["blackhole"]}]
    )["RouteTables"]
    assert [t["RouteTableId"] for t in blackholes] == [rtb]


def test_a_route_to_a_transit_gateway_is_active_only_with_a_vpc_attachment(ec2):
    vpc_id = vpc(ec2)
    subnet_id = subnet(ec2, vpc_id)
    rtb = table(ec2, vpc_id)
    tgw = ec2.create_transit_gateway()["TransitGateway"]["TransitGatewayId"]
    ec2.describe_transit_gateways(TransitGatewayIds=[tgw])  # pending -> available
    attachment = ec2.create_transit_gateway_vpc_attachment(
        TransitGatewayId=tgw, VpcId=vpc_id, SubnetIds=[subnet_id]
    )["TransitGatewayVpcAttachment"]["TransitGatewayAttachmentId"]
    ec2.create_route(RouteTableId=rtb, DestinationCidrBlock="10.9.0.0/16", TransitGatewayId=tgw)
    states = [route_to(ec2, rtb, "10.9.0.0/16")["State"] for _ in range(3)]
    assert states[-1] == "active"
    ec2.delete_transit_gateway_vpc_attachment(TransitGatewayAttachmentId=attachment)
    assert route_to(ec2, rtb, "10.9.0.0/16")["State"] == "blackhole"


# -- prefix lists referenced by route tables and transit gateway route tables


def managed_list(ec2: Any, cidr: str = "10.50.0.0/16") -> str:
    made = ec2.create_managed_prefix_list(
        PrefixListName="corp", MaxEntries=5, AddressFamily="IPv4", Entries=[{"Cidr": cidr}]
    )
    return made["PrefixList"]["PrefixListId"]


def test_a_route_to_a_prefix_list_is_an_association_and_holds_the_list(ec2):
    vpc_id = vpc(ec2)
    rtb = table(ec2, vpc_id)
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc_id)
    pl = managed_list(ec2)
    ec2.create_route(RouteTableId=rtb, DestinationPrefixListId=pl, GatewayId=igw)
    got = ec2.get_managed_prefix_list_associations(PrefixListId=pl)["PrefixListAssociations"]
    owner = ec2.describe_route_tables(RouteTableIds=[rtb])["RouteTables"][0]["OwnerId"]
    assert got == [{"ResourceId": rtb, "ResourceOwner": owner}]
    assert_error(ec2.delete_managed_prefix_list, "DependencyViolation", PrefixListId=pl)
    ec2.delete_route(RouteTableId=rtb, DestinationPrefixListId=pl)
    assert ec2.get_managed_prefix_list_associations(PrefixListId=pl)["PrefixListAssociations"] == []
    ec2.delete_managed_prefix_list(PrefixListId=pl)


def test_a_deleted_route_table_lets_go_of_its_prefix_list(ec2):
    vpc_id = vpc(ec2)
    rtb = table(ec2, vpc_id)
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc_id)
    pl = managed_list(ec2)
    ec2.create_route(RouteTableId=rtb, DestinationPrefixListId=pl, GatewayId=igw)
    ec2.delete_route_table(RouteTableId=rtb)
    ec2.delete_managed_prefix_list(PrefixListId=pl)


def test_a_transit_gateway_prefix_list_reference_is_an_association(ec2):
    tgw = ec2.create_transit_gateway()["TransitGateway"]["TransitGatewayId"]
    tgw_rtb = ec2.create_transit_gateway_route_table(TransitGatewayId=tgw)[
        "TransitGatewayRouteTable"
    ]["TransitGatewayRouteTableId"]
    pl = managed_list(ec2)
    ec2.describe_transit_gateway_route_tables(TransitGatewayRouteTableIds=[tgw_rtb])
    ec2.create_transit_gateway_prefix_list_reference(
        TransitGatewayRouteTableId=tgw_rtb, PrefixListId=pl, Blackhole=True
    )
    got = ec2.get_managed_prefix_list_associations(PrefixListId=pl)["PrefixListAssociations"]
    assert [a["ResourceId"] for a in got] == [tgw_rtb]
    assert_error(ec2.delete_managed_prefix_list, "DependencyViolation", PrefixListId=pl)


# -- security groups referencing groups across a peering connection


def test_a_rule_may_name_a_group_in_a_peered_vpc_and_goes_stale_when_the_peering_goes(ec2):
    a, b = vpc(ec2), vpc(ec2, "10.1.0.0/16")
    mine = ec2.create_security_group(GroupName="mine", Description="d", VpcId=a)["GroupId"]
    theirs = ec2.create_security_group(GroupName="theirs", Description="d", VpcId=b)["GroupId"]
    permission = {
        "IpProtocol": "tcp",
        "FromPort": 443,
        "ToPort": 443,
        "UserIdGroupPairs": [{"GroupId": theirs}],
    }
    assert_error(
        ec2.authorize_security_group_ingress,
        "InvalidParameter",
        GroupId=mine,
        IpPermissions=[permission],
    )
    pcx = peer(ec2, a, b)
    ec2.authorize_security_group_ingress(GroupId=mine, IpPermissions=[permission])
    refs = ec2.describe_security_group_references(GroupId=[theirs])["SecurityGroupReferenceSet"]
    assert refs == [{"GroupId": theirs, "ReferencingVpcId": a, "VpcPeeringConnectionId": pcx}]
    assert ec2.describe_stale_security_groups(VpcId=a)["StaleSecurityGroupSet"] == []
    ec2.delete_vpc_peering_connection(VpcPeeringConnectionId=pcx)
    stale = ec2.describe_stale_security_groups(VpcId=a)["StaleSecurityGroupSet"]
    assert [g["GroupId"] for g in stale] == [mine]
    pair = stale[0]["StaleIpPermissions"][0]["UserIdGroupPairs"][0]
    assert pair["GroupId"] == theirs
    assert pair["VpcPeeringConnectionId"] == pcx


def test_a_rule_may_name_another_accounts_group_across_a_peering(ec2, other):
    a = vpc(ec2)
    b = vpc(other, "10.1.0.0/16")
    mine = ec2.create_security_group(GroupName="mine", Description="d", VpcId=a)["GroupId"]
    theirs = other.create_security_group(GroupName="theirs", Description="d", VpcId=b)["GroupId"]
    pcx = peer(ec2, a, b, accepter=other, PeerOwnerId=OTHER)
    ec2.authorize_security_group_ingress(
        GroupId=mine,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 22,
                "ToPort": 22,
                "UserIdGroupPairs": [{"GroupId": theirs, "UserId": OTHER}],
            }
        ],
    )
    rules = ec2.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [mine]}])[
        "SecurityGroupRules"
    ]
    referenced = [r["ReferencedGroupInfo"] for r in rules if "ReferencedGroupInfo" in r]
    assert referenced[0]["GroupId"] == theirs
    assert referenced[0]["VpcPeeringConnectionId"] == pcx


# -- requester-managed interfaces of NAT gateways and VPC endpoints


def interface(ec2: Any, eni: str) -> dict[str, Any]:
    return ec2.describe_network_interfaces(NetworkInterfaceIds=[eni])["NetworkInterfaces"][0]


def assert_managed(ec2: Any, eni: str, interface_type: str, description: str) -> None:
    got = interface(ec2, eni)
    assert got["RequesterManaged"] is True
    assert got["InterfaceType"] == interface_type
    assert got["Description"] == description
    attachment = got["Attachment"]["AttachmentId"]
    assert attachment.startswith("ela-attach-")
    assert_error(
        ec2.delete_network_interface,
        "InvalidParameterValue",
        message="currently in use",
        NetworkInterfaceId=eni,
    )
    assert_error(
        ec2.detach_network_interface,
        "OperationNotPermitted",
        message="ela-attach",
        AttachmentId=attachment,
    )
    managed = ec2.describe_network_interfaces(
        Filters=[{"Name": "requester-managed", "Values": ["true"]}]
    )["NetworkInterfaces"]
    assert eni in [i["NetworkInterfaceId"] for i in managed]


def test_a_nat_gateways_interface_is_requester_managed_and_goes_with_it(ec2):
    vpc_id = vpc(ec2)
    subnet_id = subnet(ec2, vpc_id)
    nat = ec2.create_nat_gateway(SubnetId=subnet_id, ConnectivityType="private")["NatGateway"]
    eni = nat["NatGatewayAddresses"][0]["NetworkInterfaceId"]
    assert_managed(ec2, eni, "nat_gateway", f"Interface for NAT Gateway {nat['NatGatewayId']}")
    ec2.delete_nat_gateway(NatGatewayId=nat["NatGatewayId"])
    ec2.get_waiter("nat_gateway_deleted").wait(
        NatGatewayIds=[nat["NatGatewayId"]], WaiterConfig=WAITER
    )
    assert_error(
        ec2.describe_network_interfaces,
        "InvalidNetworkInterfaceID.NotFound",
        NetworkInterfaceIds=[eni],
    )
    ec2.delete_subnet(SubnetId=subnet_id)


def test_an_interface_endpoints_interfaces_are_requester_managed(ec2):
    vpc_id = vpc(ec2)
    ec2.modify_vpc_attribute(VpcId=vpc_id, EnableDnsHostnames={"Value": True})
    subnet_id = subnet(ec2, vpc_id)
    group = ec2.create_security_group(GroupName="ep", Description="d", VpcId=vpc_id)["GroupId"]
    made = ec2.create_vpc_endpoint(
        VpcId=vpc_id,
        ServiceName="com.amazonaws.eu-west-1.ssm",
        VpcEndpointType="Interface",
        SubnetIds=[subnet_id],
        SecurityGroupIds=[group],
    )["VpcEndpoint"]
    vpce = made["VpcEndpointId"]
    eni = made["NetworkInterfaceIds"][0]
    assert_managed(ec2, eni, "vpc_endpoint", f"VPC Endpoint Interface {vpce}")
    assert [g["GroupId"] for g in interface(ec2, eni)["Groups"]] == [group]
    ec2.delete_vpc_endpoints(VpcEndpointIds=[vpce])
    ec2.describe_vpc_endpoints()
    assert_error(
        ec2.describe_network_interfaces,
        "InvalidNetworkInterfaceID.NotFound",
        NetworkInterfaceIds=[eni],
    )


# -- VPN: route propagation into VPC route tables, connections on transit gateways


def customer_gateway(ec2: Any) -> str:
    return ec2.create_customer_gateway(Type="ipsec.1", IpAddress="203.0.113.10", BgpAsn=65000)[
        "CustomerGateway"
    ]["CustomerGatewayId"]


def available_tgw(ec2: Any) -> str:
    tgw = ec2.create_transit_gateway()["TransitGateway"]["TransitGatewayId"]
    ec2.describe_transit_gateways(TransitGatewayIds=[tgw])  # pending -> available
    return tgw


def tgw_attachments(ec2: Any, tgw: str) -> list[dict[str, Any]]:
    return ec2.describe_transit_gateway_attachments(
        Filters=[{"Name": "transit-gateway-id", "Values": [tgw]}]
    )["TransitGatewayAttachments"]


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
    states = {a["State"] for a in tgw_attachments(ec2, tgw)}
    assert states <= {"deleting", "deleted"}


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
    assert {a["State"] for a in tgw_attachments(ec2, first)} <= {"deleting", "deleted"}
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
    ec2.delete_vpn_concentrator(VpnConcentratorId=made["VpnConcentratorId"])
    assert {a["State"] for a in tgw_attachments(ec2, tgw)} <= {"deleting", "deleted"}


# -- dependencies: every holder of a VPC, subnet, group, prefix list or interface blocks its
#    delete with DependencyViolation, and lets go once it is gone

CERT = "arn:aws:acm:eu-west-1:123456789012:certificate/server"
ROOT = "arn:aws:acm:eu-west-1:123456789012:certificate/root"


def vpc_held(ec2: Any, vpc_id: str) -> None:
    assert_error(
        ec2.delete_vpc,
        "DependencyViolation",
        message=f"The vpc '{vpc_id}' has dependencies and cannot be deleted",
        VpcId=vpc_id,
    )


def subnet_held(ec2: Any, subnet_id: str) -> None:
    assert_error(
        ec2.delete_subnet,
        "DependencyViolation",
        message=f"The subnet '{subnet_id}' has dependencies and cannot be deleted",
        SubnetId=subnet_id,
    )


def group_held(ec2: Any, group_id: str) -> None:
    assert_error(
        ec2.delete_security_group,
        "DependencyViolation",
        message=f"resource {group_id} has a dependent object",
        GroupId=group_id,
    )


def test_a_vpc_is_held_by_its_groups_tables_and_gateways(ec2):
    vpc_id = vpc(ec2)
    group = ec2.create_security_group(GroupName="g", Description="d", VpcId=vpc_id)["GroupId"]
    vpc_held(ec2, vpc_id)
    ec2.delete_security_group(GroupId=group)
    rtb = table(ec2, vpc_id)
    vpc_held(ec2, vpc_id)
    ec2.delete_route_table(RouteTableId=rtb)
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc_id)
    vpc_held(ec2, vpc_id)
    ec2.detach_internet_gateway(InternetGatewayId=igw, VpcId=vpc_id)
    eigw = ec2.create_egress_only_internet_gateway(VpcId=vpc_id)["EgressOnlyInternetGateway"][
        "EgressOnlyInternetGatewayId"
    ]
    vpc_held(ec2, vpc_id)
    ec2.delete_egress_only_internet_gateway(EgressOnlyInternetGatewayId=eigw)
    vgw = ec2.create_vpn_gateway(Type="ipsec.1")["VpnGateway"]["VpnGatewayId"]
    ec2.attach_vpn_gateway(VpnGatewayId=vgw, VpcId=vpc_id)
    vpc_held(ec2, vpc_id)
    ec2.detach_vpn_gateway(VpnGatewayId=vgw, VpcId=vpc_id)
    ec2.describe_vpn_gateways(VpnGatewayIds=[vgw])  # detaching -> detached
    ec2.delete_vpc(VpcId=vpc_id)


def test_a_vpc_and_subnet_are_held_by_nat_gateways_endpoints_and_tgw_attachments(ec2):
    vpc_id = vpc(ec2)
    subnet_id = subnet(ec2, vpc_id)
    nat = ec2.create_nat_gateway(SubnetId=subnet_id, ConnectivityType="private")["NatGateway"][
        "NatGatewayId"
    ]
    vpc_held(ec2, vpc_id)
    subnet_held(ec2, subnet_id)
    ec2.delete_nat_gateway(NatGatewayId=nat)
    ec2.get_waiter("nat_gateway_deleted").wait(NatGatewayIds=[nat], WaiterConfig=WAITER)

    vpce = ec2.create_vpc_endpoint(
        VpcId=vpc_id,
        ServiceName="com.amazonaws.eu-west-1.ssm",
        VpcEndpointType="Interface",
        SubnetIds=[subnet_id],
    )["VpcEndpoint"]["VpcEndpointId"]
    subnet_held(ec2, subnet_id)
    vpc_held(ec2, vpc_id)
    ec2.delete_vpc_endpoints(VpcEndpointIds=[vpce])
    ec2.describe_vpc_endpoints()
    gateway_endpoint = ec2.create_vpc_endpoint(VpcId=vpc_id, ServiceName=S3)["VpcEndpoint"][
        "VpcEndpointId"
    ]
    vpc_held(ec2, vpc_id)
    ec2.delete_vpc_endpoints(VpcEndpointIds=[gateway_endpoint])
    ec2.describe_vpc_endpoints()

    tgw = available_tgw(ec2)
    attachment = ec2.create_transit_gateway_vpc_attachment(
        TransitGatewayId=tgw, VpcId=vpc_id, SubnetIds=[subnet_id]
    )["TransitGatewayVpcAttachment"]["TransitGatewayAttachmentId"]
    subnet_held(ec2, subnet_id)
    vpc_held(ec2, vpc_id)
    ec2.delete_transit_gateway_vpc_attachment(TransitGatewayAttachmentId=attachment)
    ec2.describe_transit_gateway_vpc_attachments(TransitGatewayAttachmentIds=[attachment])
    ec2.delete_subnet(SubnetId=subnet_id)
    ec2.delete_vpc(VpcId=vpc_id)


def test_a_vpc_is_held_by_another_accounts_pending_peering_request(ec2, other):
    theirs = vpc(other, "10.1.0.0/16")
    mine = vpc(ec2)
    pcx = other.create_vpc_peering_connection(
        VpcId=theirs, PeerVpcId=mine, PeerOwnerId=ec2_account(ec2)
    )["VpcPeeringConnection"]["VpcPeeringConnectionId"]
    ec2.get_waiter("vpc_peering_connection_exists").wait(
        VpcPeeringConnectionIds=[pcx], WaiterConfig=WAITER
    )
    vpc_held(ec2, mine)
    ec2.reject_vpc_peering_connection(VpcPeeringConnectionId=pcx)
    ec2.delete_vpc(VpcId=mine)


def ec2_account(ec2: Any) -> str:
    return ec2.describe_security_groups(GroupNames=["default"])["SecurityGroups"][0]["OwnerId"]


def test_a_subnet_and_group_are_held_by_interfaces_and_instances(ec2):
    vpc_id = vpc(ec2)
    subnet_id = subnet(ec2, vpc_id)
    group = ec2.create_security_group(GroupName="g", Description="d", VpcId=vpc_id)["GroupId"]
    eni = ec2.create_network_interface(SubnetId=subnet_id, Groups=[group])["NetworkInterface"][
        "NetworkInterfaceId"
    ]
    subnet_held(ec2, subnet_id)
    group_held(ec2, group)
    ec2.delete_network_interface(NetworkInterfaceId=eni)
    instance = launch(ec2, SubnetId=subnet_id, SecurityGroupIds=[group])[0]["InstanceId"]
    subnet_held(ec2, subnet_id)
    group_held(ec2, group)
    ec2.terminate_instances(InstanceIds=[instance])
    ec2.get_waiter("instance_terminated").wait(InstanceIds=[instance], WaiterConfig=WAITER)
    ec2.delete_security_group(GroupId=group)
    ec2.delete_subnet(SubnetId=subnet_id)


def test_a_group_is_held_by_endpoints_and_rules_naming_it(ec2):
    vpc_id = vpc(ec2)
    subnet_id = subnet(ec2, vpc_id)
    group = ec2.create_security_group(GroupName="g", Description="d", VpcId=vpc_id)["GroupId"]
    vpce = ec2.create_vpc_endpoint(
        VpcId=vpc_id,
        ServiceName="com.amazonaws.eu-west-1.ssm",
        VpcEndpointType="Interface",
        SubnetIds=[subnet_id],
        SecurityGroupIds=[group],
    )["VpcEndpoint"]["VpcEndpointId"]
    group_held(ec2, group)
    ec2.delete_vpc_endpoints(VpcEndpointIds=[vpce])
    ec2.describe_vpc_endpoints()
    holder = ec2.create_security_group(GroupName="h", Description="d", VpcId=vpc_id)["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=holder,
        IpPermissions=[{"IpProtocol": "-1", "UserIdGroupPairs": [{"GroupId": group}]}],
    )
    group_held(ec2, group)
    ec2.delete_security_group(GroupId=holder)
    ec2.delete_security_group(GroupId=group)


def test_a_subnet_and_group_are_held_by_a_client_vpn_endpoint(ec2):
    vpc_id = vpc(ec2)
    subnet_id = subnet(ec2, vpc_id)
    group = ec2.create_security_group(GroupName="g", Description="d", VpcId=vpc_id)["GroupId"]
    cvpn = ec2.create_client_vpn_endpoint(
        ClientCidrBlock="10.100.0.0/22",
        ServerCertificateArn=CERT,
        AuthenticationOptions=[
            {
                "Type": "certificate-authentication",
                "MutualAuthentication": {"ClientRootCertificateChainArn": ROOT},
            }
        ],
        ConnectionLogOptions={"Enabled": False},
        VpcId=vpc_id,
        SecurityGroupIds=[group],
    )["ClientVpnEndpointId"]
    group_held(ec2, group)
    association = ec2.associate_client_vpn_target_network(
        ClientVpnEndpointId=cvpn, SubnetId=subnet_id
    )["AssociationId"]
    subnet_held(ec2, subnet_id)
    ec2.disassociate_client_vpn_target_network(ClientVpnEndpointId=cvpn, AssociationId=association)
    ec2.describe_client_vpn_target_networks(ClientVpnEndpointId=cvpn)
    ec2.delete_client_vpn_endpoint(ClientVpnEndpointId=cvpn)
    ec2.describe_client_vpn_endpoints()
    ec2.delete_subnet(SubnetId=subnet_id)
    ec2.delete_security_group(GroupId=group)


def test_a_prefix_list_is_held_by_a_group_rule(ec2):
    pl = managed_list(ec2)
    vpc_id = vpc(ec2)
    group = ec2.create_security_group(GroupName="g", Description="d", VpcId=vpc_id)["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=group,
        IpPermissions=[{"IpProtocol": "-1", "PrefixListIds": [{"PrefixListId": pl}]}],
    )
    got = ec2.get_managed_prefix_list_associations(PrefixListId=pl)["PrefixListAssociations"]
    assert [a["ResourceId"] for a in got] == [group]
    assert_error(ec2.delete_managed_prefix_list, "DependencyViolation", PrefixListId=pl)
    ec2.delete_security_group(GroupId=group)
    ec2.delete_managed_prefix_list(PrefixListId=pl)


def test_an_interface_is_held_by_a_traffic_mirror_target_and_session(ec2):
    vpc_id = vpc(ec2)
    subnet_id = subnet(ec2, vpc_id)
    source = ec2.create_network_interface(SubnetId=subnet_id)["NetworkInterface"][
        "NetworkInterfaceId"
    ]
    sink = ec2.create_network_interface(SubnetId=subnet_id)["NetworkInterface"][
        "NetworkInterfaceId"
    ]
    target = ec2.create_traffic_mirror_target(NetworkInterfaceId=sink)["TrafficMirrorTarget"][
        "TrafficMirrorTargetId"
    ]
    mirror_filter = ec2.create_traffic_mirror_filter()["TrafficMirrorFilter"][
        "TrafficMirrorFilterId"
    ]
    session = ec2.create_traffic_mirror_session(
        NetworkInterfaceId=source,
        TrafficMirrorTargetId=target,
        TrafficMirrorFilterId=mirror_filter,
        SessionNumber=1,
    )["TrafficMirrorSession"]["TrafficMirrorSessionId"]
    for eni in (source, sink):
        assert_error(ec2.delete_network_interface, "DependencyViolation", NetworkInterfaceId=eni)
    ec2.delete_traffic_mirror_session(TrafficMirrorSessionId=session)
    ec2.delete_network_interface(NetworkInterfaceId=source)
    assert_error(ec2.delete_network_interface, "DependencyViolation", NetworkInterfaceId=sink)
    ec2.delete_traffic_mirror_target(TrafficMirrorTargetId=target)
    ec2.delete_network_interface(NetworkInterfaceId=sink)


# -- encryption controls: gateways and peerings keep a VPC from enforcing encryption


def test_gateways_and_peerings_block_encryption_enforcement_unless_excluded(ec2):
    vpc_id = vpc(ec2)
    subnet_id = subnet(ec2, vpc_id)
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc_id)
    eigw = ec2.create_egress_only_internet_gateway(VpcId=vpc_id)["EgressOnlyInternetGateway"][
        "EgressOnlyInternetGatewayId"
    ]
    nat = ec2.create_nat_gateway(SubnetId=subnet_id, ConnectivityType="private")["NatGateway"][
        "NatGatewayId"
    ]
    vgw = ec2.create_vpn_gateway(Type="ipsec.1")["VpnGateway"]["VpnGatewayId"]
    ec2.attach_vpn_gateway(VpnGatewayId=vgw, VpcId=vpc_id)
    pcx = peer(ec2, vpc_id, vpc(ec2, "10.1.0.0/16"))

    blocking = ec2.get_vpc_resources_blocking_encryption_enforcement(VpcId=vpc_id)[
        "NonCompliantResources"
    ]
    assert {(r["Id"], r["Type"]) for r in blocking} == {
        (igw, "internet-gateway"),
        (eigw, "egress-only-internet-gateway"),
        (nat, "nat-gateway"),
        (vgw, "vpn-gateway"),
        (pcx, "vpc-peering-connection"),
    }
    assert all(r["IsExcludable"] for r in blocking)

    control = ec2.create_vpc_encryption_control(VpcId=vpc_id)["VpcEncryptionControl"][
        "VpcEncryptionControlId"
    ]
    ec2.describe_vpc_encryption_controls(VpcEncryptionControlIds=[control])
    ec2.modify_vpc_encryption_control(VpcEncryptionControlId=control, Mode="enforce")
    shown = ec2.describe_vpc_encryption_controls(VpcEncryptionControlIds=[control])[
        "VpcEncryptionControls"
    ][0]
    assert shown["State"] == "enforce-failed"

    ec2.modify_vpc_encryption_control(
        VpcEncryptionControlId=control,
        Mode="enforce",
        InternetGatewayExclusion="enable",
        EgressOnlyInternetGatewayExclusion="enable",
        NatGatewayExclusion="enable",
        VirtualPrivateGatewayExclusion="enable",
        VpcPeeringExclusion="enable",
    )
    shown = ec2.describe_vpc_encryption_controls(VpcEncryptionControlIds=[control])[
        "VpcEncryptionControls"
    ][0]
    assert (shown["Mode"], shown["State"]) == ("enforce", "available")


def test_a_detached_gateway_no_longer_blocks_encryption(ec2):
    vpc_id = vpc(ec2)
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc_id)
    blocking = ec2.get_vpc_resources_blocking_encryption_enforcement(VpcId=vpc_id)
    assert [r["Id"] for r in blocking["NonCompliantResources"]] == [igw]
    ec2.detach_internet_gateway(InternetGatewayId=igw, VpcId=vpc_id)
    blocking = ec2.get_vpc_resources_blocking_encryption_enforcement(VpcId=vpc_id)
    assert blocking["NonCompliantResources"] == []
