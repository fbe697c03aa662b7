"""Joins between the networking families: what one family does when another's resource
goes, routes through other families' targets, prefix lists and groups referenced across families."""

from __future__ import annotations

from typing import Any

import pytest

from tests.ec2.cross_helpers import (
    OTHER,
    S3,
    WAITER,
    flow_logs_of,
    managed_list,
    peer,
    peering_status,
    route_to,
    routes,
    subnet,
    table,
    to_s3,
    vpc,
)
from tests.ec2.ec2_helpers import assert_error, launch


@pytest.fixture
def other(env: Any) -> Any:
    """Account 222233334444 in eu-west-1."""
    return env.client("ec2", region="eu-west-1", aws_access_key_id=OTHER, aws_secret_access_key="x")


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


def test_a_route_to_a_transit_gateway_needs_a_vpc_attachment_and_goes_blackhole_without(ec2):
    vpc_id = vpc(ec2)
    subnet_id = subnet(ec2, vpc_id)
    rtb = table(ec2, vpc_id)
    tgw = ec2.create_transit_gateway()["TransitGateway"]["TransitGatewayId"]
    ec2.describe_transit_gateways(TransitGatewayIds=[tgw])  # pending -> available
    # no route to a gateway the VPC is not attached to: EC2 says it does not exist
    assert_error(
        ec2.create_route,
        "InvalidTransitGatewayID.NotFound",
        message=f"The transitGateway ID '{tgw}' does not exist",
        RouteTableId=rtb,
        DestinationCidrBlock="10.9.0.0/16",
        TransitGatewayId=tgw,
    )
    attachment = ec2.create_transit_gateway_vpc_attachment(
        TransitGatewayId=tgw, VpcId=vpc_id, SubnetIds=[subnet_id]
    )["TransitGatewayVpcAttachment"]["TransitGatewayAttachmentId"]
    ec2.describe_transit_gateway_vpc_attachments(TransitGatewayAttachmentIds=[attachment])
    ec2.create_route(RouteTableId=rtb, DestinationCidrBlock="10.9.0.0/16", TransitGatewayId=tgw)
    assert route_to(ec2, rtb, "10.9.0.0/16")["State"] == "active"
    ec2.delete_transit_gateway_vpc_attachment(TransitGatewayAttachmentId=attachment)
    assert route_to(ec2, rtb, "10.9.0.0/16")["State"] == "blackhole"


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
    refs = other.describe_security_group_references(GroupId=[theirs])["SecurityGroupReferenceSet"]
    assert refs == [{"GroupId": theirs, "ReferencingVpcId": a, "VpcPeeringConnectionId": pcx}]
    other.delete_vpc_peering_connection(VpcPeeringConnectionId=pcx)
    stale = ec2.describe_stale_security_groups(VpcId=a)["StaleSecurityGroupSet"]
    assert [g["GroupId"] for g in stale] == [mine]


def test_a_gateway_endpoints_prefix_list_route_shows_and_filters_until_it_goes(ec2):
    vpc_id = vpc(ec2)
    rtb = table(ec2, vpc_id)
    vpce = ec2.create_vpc_endpoint(VpcId=vpc_id, ServiceName=S3, RouteTableIds=[rtb])[
        "VpcEndpoint"
    ]["VpcEndpointId"]
    s3_list = ec2.describe_prefix_lists(Filters=[{"Name": "prefix-list-name", "Values": [S3]}])[
        "PrefixLists"
    ][0]["PrefixListId"]
    route = route_to(ec2, rtb, s3_list)
    assert (route["GatewayId"], route["State"]) == (vpce, "active")
    for name, value in (
        ("route.destination-prefix-list-id", s3_list),
        ("route.gateway-id", vpce),
    ):
        found = ec2.describe_route_tables(Filters=[{"Name": name, "Values": [value]}])
        assert [t["RouteTableId"] for t in found["RouteTables"]] == [rtb], name
    ec2.delete_vpc_endpoints(VpcEndpointIds=[vpce])
    ec2.describe_vpc_endpoints()
    assert s3_list not in [r.get("DestinationPrefixListId") for r in routes(ec2, rtb)]


def test_a_route_to_a_gateway_load_balancer_endpoint_is_a_blackhole_once_it_goes(ec2):
    gwlb = (
        "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/gwy/fw/0123456789abcdef"
    )
    service = ec2.create_vpc_endpoint_service_configuration(
        GatewayLoadBalancerArns=[gwlb], AcceptanceRequired=False
    )["ServiceConfiguration"]
    vpc_id = vpc(ec2)
    subnet_id = subnet(ec2, vpc_id)
    rtb = table(ec2, vpc_id)
    vpce = ec2.create_vpc_endpoint(
        VpcId=vpc_id,
        ServiceName=service["ServiceName"],
        VpcEndpointType="GatewayLoadBalancer",
        SubnetIds=[subnet_id],
    )["VpcEndpoint"]
    eni = vpce["NetworkInterfaceIds"][0]
    vpce = vpce["VpcEndpointId"]
    shown = ec2.describe_network_interfaces(NetworkInterfaceIds=[eni])["NetworkInterfaces"][0]
    assert shown["InterfaceType"] == "gateway_load_balancer_endpoint"
    assert shown["RequesterManaged"] is True
    ec2.describe_vpc_endpoints(VpcEndpointIds=[vpce])
    ec2.create_route(RouteTableId=rtb, DestinationCidrBlock="0.0.0.0/0", VpcEndpointId=vpce)
    assert route_to(ec2, rtb, "0.0.0.0/0")["State"] == "active"
    ec2.delete_vpc_endpoints(VpcEndpointIds=[vpce])
    ec2.describe_vpc_endpoints()
    assert route_to(ec2, rtb, "0.0.0.0/0")["State"] == "blackhole"


def test_deleting_a_transit_gateway_or_attachment_deletes_its_flow_logs(ec2):
    vpc_id = vpc(ec2)
    subnet_id = subnet(ec2, vpc_id)
    tgw = ec2.create_transit_gateway()["TransitGateway"]["TransitGatewayId"]
    ec2.describe_transit_gateways(TransitGatewayIds=[tgw])
    attachment = ec2.create_transit_gateway_vpc_attachment(
        TransitGatewayId=tgw, VpcId=vpc_id, SubnetIds=[subnet_id]
    )["TransitGatewayVpcAttachment"]["TransitGatewayAttachmentId"]
    ec2.describe_transit_gateway_vpc_attachments(TransitGatewayAttachmentIds=[attachment])
    to_s3(ec2, tgw, "TransitGateway")
    to_s3(ec2, attachment, "TransitGatewayAttachment")
    ec2.delete_transit_gateway_vpc_attachment(TransitGatewayAttachmentId=attachment)
    ec2.describe_transit_gateway_vpc_attachments(TransitGatewayAttachmentIds=[attachment])
    assert flow_logs_of(ec2, attachment) == []
    assert len(flow_logs_of(ec2, tgw)) == 1
    ec2.delete_transit_gateway(TransitGatewayId=tgw)
    ec2.describe_transit_gateways(TransitGatewayIds=[tgw])
    ec2.describe_flow_logs()
    assert flow_logs_of(ec2, tgw) == []


def test_a_prefix_list_route_weighs_its_max_entries_against_the_route_quota(ec2):
    vpc_id = vpc(ec2)
    rtb = table(ec2, vpc_id)
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc_id)
    made = ec2.create_managed_prefix_list(
        PrefixListName="big",
        MaxEntries=45,
        AddressFamily="IPv4",
        Entries=[{"Cidr": "10.50.0.0/16"}],
    )
    pl = made["PrefixList"]["PrefixListId"]
    ec2.describe_managed_prefix_lists(PrefixListIds=[pl])
    ec2.create_route(RouteTableId=rtb, DestinationPrefixListId=pl, GatewayId=igw)
    for n in range(5):  # 45 + 5 = the table's 50 routes
        ec2.create_route(RouteTableId=rtb, DestinationCidrBlock=f"192.168.{n}.0/24", GatewayId=igw)
    assert_error(
        ec2.create_route,
        "RouteLimitExceeded",
        RouteTableId=rtb,
        DestinationCidrBlock="192.168.9.0/24",
        GatewayId=igw,
    )
    version = ec2.describe_managed_prefix_lists(PrefixListIds=[pl])["PrefixLists"][0]["Version"]
    assert_error(
        ec2.modify_managed_prefix_list,
        "PrefixListMaxEntriesExceeded",
        message=rtb,
        PrefixListId=pl,
        CurrentVersion=version,
        MaxEntries=46,
    )
    ec2.delete_route(RouteTableId=rtb, DestinationCidrBlock="192.168.0.0/24")
    ec2.modify_managed_prefix_list(PrefixListId=pl, CurrentVersion=version, MaxEntries=46)
