"""Whole networks built the way users build them, across families.

Every mutating call of these scenarios is first sent with ``DryRun=True``: it must
leave the state exactly as it was, and answer ``DryRunOperation`` if the real
request then succeeds, or the very error the real request then gets. So each
scenario also proves DryRun for every operation it uses, both ways.
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError
from ec2_helpers import AMI, assert_error

FAST = {"Delay": 0, "MaxAttempts": 5}
READ_ONLY = ("describe_", "get_", "search_", "list_")


class DryRunFirst:
    """A boto3 EC2 client whose mutating calls are dry-run first, and checked."""

    def __init__(self, client: Any, env: Any) -> None:
        self._client = client
        self._env = env

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._client, name)
        if name.startswith(READ_ONLY) or name in ("get_waiter", "get_paginator"):
            return method
        operation = self._client.meta.method_to_api_mapping[name]
        members = self._client.meta.service_model.operation_model(operation).input_shape.members

        def call(**kw: Any) -> Any:
            if "DryRun" in members:
                # a read first applies every transition already due, so only the dry run
                # itself could change what the dump shows
                self._client.describe_availability_zones()
                before = self._env.state.dump()
                with pytest.raises(ClientError) as info:
                    method(**kw, DryRun=True)
                dry = info.value.response["Error"]["Code"]
                assert self._env.state.dump() == before, f"DryRun {operation} changed state"
                if dry != "DryRunOperation":
                    # a dry run that fails must fail as the real request does
                    with pytest.raises(ClientError) as real:
                        method(**kw)
                    assert real.value.response["Error"]["Code"] == dry, operation
                    raise real.value
            return method(**kw)

        return call


@pytest.fixture
def net(ec2: Any, env: Any) -> DryRunFirst:
    return DryRunFirst(ec2, env)


def _zones(ec2: Any) -> list[str]:
    return [z["ZoneName"] for z in ec2.describe_availability_zones()["AvailabilityZones"]][:3]


def _three_tier(net: Any) -> dict[str, Any]:
    """Public and private subnets in three zones, a NAT per zone, tiers of groups."""
    built: dict[str, Any] = {"public": [], "private": [], "nat": [], "eip": [], "rtb": []}
    vpc = net.create_vpc(
        CidrBlock="10.0.0.0/16",
        TagSpecifications=[{"ResourceType": "vpc", "Tags": [{"Key": "Name", "Value": "three"}]}],
    )["Vpc"]["VpcId"]
    built["vpc"] = vpc
    net.get_waiter("vpc_available").wait(VpcIds=[vpc], WaiterConfig=FAST)
    net.modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": True})
    igw = net.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    net.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    built["igw"] = igw
    public_rtb = net.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    net.create_route(RouteTableId=public_rtb, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    built["rtb"].append(public_rtb)
    for index, zone in enumerate(_zones(net)):
        public = net.create_subnet(
            VpcId=vpc, CidrBlock=f"10.0.{index}.0/24", AvailabilityZone=zone
        )["Subnet"]["SubnetId"]
        private = net.create_subnet(
            VpcId=vpc, CidrBlock=f"10.0.{10 + index}.0/24", AvailabilityZone=zone
        )["Subnet"]["SubnetId"]
        net.modify_subnet_attribute(SubnetId=public, MapPublicIpOnLaunch={"Value": True})
        net.associate_route_table(RouteTableId=public_rtb, SubnetId=public)
        eip = net.allocate_address(Domain="vpc")["AllocationId"]
        nat = net.create_nat_gateway(SubnetId=public, AllocationId=eip)["NatGateway"][
            "NatGatewayId"
        ]
        private_rtb = net.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
        net.create_route(
            RouteTableId=private_rtb, DestinationCidrBlock="0.0.0.0/0", NatGatewayId=nat
        )
        net.associate_route_table(RouteTableId=private_rtb, SubnetId=private)
        built["public"].append(public)
        built["private"].append(private)
        built["nat"].append(nat)
        built["eip"].append(eip)
        built["rtb"].append(private_rtb)
    net.get_waiter("nat_gateway_available").wait(NatGatewayIds=built["nat"], WaiterConfig=FAST)
    groups = {}
    for tier in ("web", "app", "db"):
        groups[tier] = net.create_security_group(
            GroupName=tier, Description=f"{tier} tier", VpcId=vpc
        )["GroupId"]
    net.authorize_security_group_ingress(
        GroupId=groups["web"], IpProtocol="tcp", FromPort=443, ToPort=443, CidrIp="0.0.0.0/0"
    )
    for tier, source, port in (("app", "web", 8080), ("db", "app", 5432)):
        net.authorize_security_group_ingress(
            GroupId=groups[tier],
            IpPermissions=[
                {
                    "IpProtocol": "tcp",
                    "FromPort": port,
                    "ToPort": port,
                    "UserIdGroupPairs": [{"GroupId": groups[source]}],
                }
            ],
        )
    built["groups"] = groups
    built["instances"] = [
        i["InstanceId"]
        for i in net.run_instances(
            ImageId=AMI,
            MinCount=1,
            MaxCount=1,
            SubnetId=built["private"][0],
            SecurityGroupIds=[groups["app"]],
        )["Instances"]
    ]
    return built


def test_three_tier_vpc_is_wired_as_built(net: Any) -> None:
    built = _three_tier(net)
    vpc = built["vpc"]
    subnets = net.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Subnets"]
    assert len(subnets) == 6
    assert len({s["AvailabilityZone"] for s in subnets}) == 3
    public = {s["SubnetId"]: s for s in subnets if s["SubnetId"] in built["public"]}
    assert all(s["MapPublicIpOnLaunch"] for s in public.values())

    tables = net.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["RouteTables"]
    assert len(tables) == 5  # main + public + one private per zone
    by_subnet = {a["SubnetId"]: t for t in tables for a in t["Associations"] if a.get("SubnetId")}
    for subnet, nat in zip(built["private"], built["nat"], strict=True):
        routes = {r["DestinationCidrBlock"]: r for r in by_subnet[subnet]["Routes"]}
        assert routes["10.0.0.0/16"]["GatewayId"] == "local"
        assert routes["0.0.0.0/0"]["NatGatewayId"] == nat
        assert routes["0.0.0.0/0"]["State"] == "active"
    for subnet in built["public"]:
        routes = {r["DestinationCidrBlock"]: r for r in by_subnet[subnet]["Routes"]}
        assert routes["0.0.0.0/0"]["GatewayId"] == built["igw"]

    nats = net.describe_nat_gateways(NatGatewayIds=built["nat"])["NatGateways"]
    assert {n["State"] for n in nats} == {"available"}
    addresses = net.describe_addresses(AllocationIds=built["eip"])["Addresses"]
    assert all(a.get("AssociationId") for a in addresses)

    db = net.describe_security_groups(GroupIds=[built["groups"]["db"]])["SecurityGroups"][0]
    assert db["IpPermissions"][0]["UserIdGroupPairs"][0]["GroupId"] == built["groups"]["app"]
    instance = net.describe_instances(InstanceIds=built["instances"])["Reservations"][0][
        "Instances"
    ][0]
    assert instance["SubnetId"] == built["private"][0]
    assert "PublicIpAddress" not in instance  # private tier: no public address
    interfaces = net.describe_network_interfaces(
        Filters=[{"Name": "subnet-id", "Values": [built["private"][0]]}]
    )["NetworkInterfaces"]
    assert {i.get("Attachment", {}).get("InstanceId") for i in interfaces} >= set(
        built["instances"]
    )


def test_three_tier_vpc_torn_down_in_the_wrong_order_refuses(net: Any) -> None:
    built = _three_tier(net)
    vpc, groups = built["vpc"], built["groups"]
    assert_error(net.delete_vpc, "DependencyViolation", VpcId=vpc)
    assert_error(net.delete_subnet, "DependencyViolation", SubnetId=built["private"][0])
    assert_error(net.delete_security_group, "DependencyViolation", GroupId=groups["app"])
    assert_error(net.delete_internet_gateway, "DependencyViolation", InternetGatewayId=built["igw"])
    assert_error(net.delete_route_table, "DependencyViolation", RouteTableId=built["rtb"][1])
    assert_error(net.release_address, "InvalidIPAddress.InUse", AllocationId=built["eip"][0])
    # nothing was removed by the refusals
    assert len(net.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Subnets"]) == 6
    assert net.describe_vpcs(VpcIds=[vpc])["Vpcs"][0]["State"] == "available"


def test_three_tier_vpc_torn_down_in_the_right_order(net: Any) -> None:
    built = _three_tier(net)
    vpc, groups = built["vpc"], built["groups"]
    net.terminate_instances(InstanceIds=built["instances"])
    net.get_waiter("instance_terminated").wait(InstanceIds=built["instances"], WaiterConfig=FAST)
    for nat in built["nat"]:
        net.delete_nat_gateway(NatGatewayId=nat)
    net.get_waiter("nat_gateway_deleted").wait(NatGatewayIds=built["nat"], WaiterConfig=FAST)
    for eip in built["eip"]:
        net.release_address(AllocationId=eip)
    for table in net.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc]}])[
        "RouteTables"
    ]:
        for association in table["Associations"]:
            if not association["Main"]:
                net.disassociate_route_table(AssociationId=association["RouteTableAssociationId"])
        if not any(a["Main"] for a in table["Associations"]):
            net.delete_route_table(RouteTableId=table["RouteTableId"])
    for tier in ("db", "app", "web"):  # each referenced only by the one before it
        net.delete_security_group(GroupId=groups[tier])
    for subnet in built["public"] + built["private"]:
        net.delete_subnet(SubnetId=subnet)
    net.detach_internet_gateway(InternetGatewayId=built["igw"], VpcId=vpc)
    net.delete_internet_gateway(InternetGatewayId=built["igw"])
    net.delete_vpc(VpcId=vpc)
    assert_error(net.describe_vpcs, "InvalidVpcID.NotFound", VpcIds=[vpc])
    # the VPC's default group and main route table went with it
    left = net.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [vpc]}])
    assert left["SecurityGroups"] == []
    tables = net.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc]}])
    assert tables["RouteTables"] == []


def test_a_28_subnet_fills_up_and_frees(net: Any) -> None:
    vpc = net.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    subnet = net.create_subnet(VpcId=vpc, CidrBlock="10.9.0.0/28")["Subnet"]
    assert subnet["AvailableIpAddressCount"] == 11  # 16 less the 4 first and the last
    interfaces = [
        net.create_network_interface(SubnetId=subnet["SubnetId"])["NetworkInterface"]
        for _ in range(11)
    ]
    addresses = {i["PrivateIpAddress"] for i in interfaces}
    assert len(addresses) == 11
    assert not addresses & {"10.9.0.0", "10.9.0.1", "10.9.0.2", "10.9.0.3", "10.9.0.15"}
    count = net.describe_subnets(SubnetIds=[subnet["SubnetId"]])["Subnets"][0]
    assert count["AvailableIpAddressCount"] == 0
    assert_error(
        net.create_network_interface,
        "InsufficientFreeAddressesInSubnet",
        SubnetId=subnet["SubnetId"],
    )
    net.delete_network_interface(NetworkInterfaceId=interfaces[3]["NetworkInterfaceId"])
    count = net.describe_subnets(SubnetIds=[subnet["SubnetId"]])["Subnets"][0]
    assert count["AvailableIpAddressCount"] == 1
    again = net.create_network_interface(SubnetId=subnet["SubnetId"])["NetworkInterface"]
    assert again["PrivateIpAddress"] == interfaces[3]["PrivateIpAddress"]


def test_peering_across_accounts_and_regions(env: Any) -> None:
    mine = DryRunFirst(env.client("ec2", region="eu-west-1"), env)
    theirs = DryRunFirst(
        env.client(
            "ec2",
            region="us-east-1",
            aws_access_key_id="222233334444",
            aws_secret_access_key="secret",
        ),
        env,
    )
    my_vpc = mine.create_vpc(CidrBlock="10.20.0.0/16")["Vpc"]["VpcId"]
    their_vpc = theirs.create_vpc(CidrBlock="10.30.0.0/16")["Vpc"]["VpcId"]
    # settle their VPC's pending -> available before the dry run looks across at it
    theirs.describe_vpcs(VpcIds=[their_vpc])
    pcx = mine.create_vpc_peering_connection(
        VpcId=my_vpc, PeerVpcId=their_vpc, PeerOwnerId="222233334444", PeerRegion="us-east-1"
    )["VpcPeeringConnection"]
    pcx_id = pcx["VpcPeeringConnectionId"]
    assert pcx["RequesterVpcInfo"]["VpcId"] == my_vpc
    assert pcx["AccepterVpcInfo"]["OwnerId"] == "222233334444"

    seen = theirs.describe_vpc_peering_connections(VpcPeeringConnectionIds=[pcx_id])
    assert seen["VpcPeeringConnections"][0]["Status"]["Code"] == "pending-acceptance"
    accepted = theirs.accept_vpc_peering_connection(VpcPeeringConnectionId=pcx_id)
    assert accepted["VpcPeeringConnection"]["AccepterVpcInfo"]["CidrBlock"] == "10.30.0.0/16"
    for side in (mine, theirs):
        status = side.describe_vpc_peering_connections(VpcPeeringConnectionIds=[pcx_id])
        assert status["VpcPeeringConnections"][0]["Status"]["Code"] == "active"

    table = mine.describe_route_tables(
        Filters=[
            {"Name": "vpc-id", "Values": [my_vpc]},
            {"Name": "association.main", "Values": ["true"]},
        ]
    )["RouteTables"][0]["RouteTableId"]
    mine.create_route(
        RouteTableId=table, DestinationCidrBlock="10.30.0.0/16", VpcPeeringConnectionId=pcx_id
    )
    mine.delete_vpc_peering_connection(VpcPeeringConnectionId=pcx_id)
    status = theirs.describe_vpc_peering_connections(VpcPeeringConnectionIds=[pcx_id])
    assert status["VpcPeeringConnections"][0]["Status"]["Code"] == "deleted"
    routes = mine.describe_route_tables(RouteTableIds=[table])["RouteTables"][0]["Routes"]
    peered = [r for r in routes if r.get("VpcPeeringConnectionId") == pcx_id]
    assert peered and peered[0]["State"] == "blackhole"


def test_transit_gateway_joins_three_vpcs(net: Any) -> None:
    tgw = net.create_transit_gateway(Description="hub")["TransitGateway"]
    tgw_id = tgw["TransitGatewayId"]
    net.describe_transit_gateways(TransitGatewayIds=[tgw_id])  # pending -> available
    attachments = []
    for index in range(3):
        vpc = net.create_vpc(CidrBlock=f"10.{40 + index}.0.0/16")["Vpc"]["VpcId"]
        subnet = net.create_subnet(VpcId=vpc, CidrBlock=f"10.{40 + index}.1.0/24")["Subnet"][
            "SubnetId"
        ]
        attachments.append(
            net.create_transit_gateway_vpc_attachment(
                TransitGatewayId=tgw_id, VpcId=vpc, SubnetIds=[subnet]
            )["TransitGatewayVpcAttachment"]["TransitGatewayAttachmentId"]
        )
    described = net.describe_transit_gateways(TransitGatewayIds=[tgw_id])["TransitGateways"][0]
    assert described["State"] == "available"
    table = described["Options"]["AssociationDefaultRouteTableId"]
    states = net.describe_transit_gateway_attachments(TransitGatewayAttachmentIds=attachments)
    assert {a["State"] for a in states["TransitGatewayAttachments"]} == {"available"}
    routes = net.search_transit_gateway_routes(
        TransitGatewayRouteTableId=table, Filters=[{"Name": "type", "Values": ["propagated"]}]
    )["Routes"]
    assert sorted(r["DestinationCidrBlock"] for r in routes) == [
        "10.40.0.0/16",
        "10.41.0.0/16",
        "10.42.0.0/16",
    ]
    assert_error(net.delete_transit_gateway, "IncorrectState", TransitGatewayId=tgw_id)
