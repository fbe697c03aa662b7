"""NAT gateways: public and private, their states, Elastic IPs and secondary addresses."""

from __future__ import annotations

import re

from ec2_helpers import ID17, assert_error, launch

WAIT = {"Delay": 0, "MaxAttempts": 5}


def subnet(ec2):
    return ec2.describe_subnets()["Subnets"][0]


def eip(ec2):
    return ec2.allocate_address(Domain="vpc")


def nat_of(ec2, nat_id):
    return ec2.describe_nat_gateways(NatGatewayIds=[nat_id])["NatGateways"][0]


def test_public_nat_gateway(env, ec2, ec2_options):
    ec2_options(transition_delay=10)
    sub = subnet(ec2)
    address = eip(ec2)
    nat = ec2.create_nat_gateway(
        SubnetId=sub["SubnetId"],
        AllocationId=address["AllocationId"],
        TagSpecifications=[{"ResourceType": "natgateway", "Tags": [{"Key": "Name", "Value": "n"}]}],
    )["NatGateway"]
    nat_id = nat["NatGatewayId"]
    assert re.fullmatch(rf"nat-{ID17}", nat_id)
    assert nat["State"] == "pending"
    assert nat["SubnetId"] == sub["SubnetId"]
    assert nat["VpcId"] == sub["VpcId"]
    assert nat["ConnectivityType"] == "public"
    assert nat["Tags"] == [{"Key": "Name", "Value": "n"}]
    [primary] = nat["NatGatewayAddresses"]
    assert primary["AllocationId"] == address["AllocationId"]
    assert primary["PublicIp"] == address["PublicIp"]
    assert primary["IsPrimary"] is True
    assert primary["NetworkInterfaceId"].startswith("eni-")
    assert primary["AssociationId"].startswith("eipassoc-")
    private_ip = primary["PrivateIp"]
    assert private_ip.startswith("172.31.")
    # the subnet gives the NAT gateway's interface its address
    after = ec2.describe_subnets(SubnetIds=[sub["SubnetId"]])["Subnets"][0]
    assert after["AvailableIpAddressCount"] == sub["AvailableIpAddressCount"] - 1
    [described] = ec2.describe_addresses(AllocationIds=[address["AllocationId"]])["Addresses"]
    assert described["NetworkInterfaceId"] == primary["NetworkInterfaceId"]
    assert described["PrivateIpAddress"] == private_ip
    assert described["AssociationId"] == primary["AssociationId"]
    env.clock.advance(10)
    assert nat_of(ec2, nat_id)["State"] == "available"
    ec2.get_waiter("nat_gateway_available").wait(NatGatewayIds=[nat_id], WaiterConfig=WAIT)
    # the Elastic IP is the NAT gateway's until it is deleted
    assert_error(
        ec2.release_address, "InvalidIPAddress.InUse", AllocationId=address["AllocationId"]
    )
    assert_error(
        ec2.disassociate_address, "InvalidIPAddress.InUse", AssociationId=primary["AssociationId"]
    )
    assert_error(
        ec2.associate_address,
        "InvalidParameterValue",
        AllocationId=eip(ec2)["AllocationId"],
        NetworkInterfaceId=primary["NetworkInterfaceId"],
    )
    [launched] = launch(ec2)
    assert_error(
        ec2.associate_address,
        "InvalidIPAddress.InUse",
        AllocationId=address["AllocationId"],
        InstanceId=launched["InstanceId"],
        AllowReassociation=True,
    )
    ec2.terminate_instances(InstanceIds=[launched["InstanceId"]])
    assert ec2.delete_nat_gateway(NatGatewayId=nat_id)["NatGatewayId"] == nat_id
    assert nat_of(ec2, nat_id)["State"] == "deleting"
    env.clock.advance(10)
    deleted = nat_of(ec2, nat_id)
    assert deleted["State"] == "deleted"
    assert deleted["DeleteTime"] >= deleted["CreateTime"]
    ec2.get_waiter("nat_gateway_deleted").wait(NatGatewayIds=[nat_id], WaiterConfig=WAIT)
    [freed] = ec2.describe_addresses(AllocationIds=[address["AllocationId"]])["Addresses"]
    assert "AssociationId" not in freed
    after = ec2.describe_subnets(SubnetIds=[sub["SubnetId"]])["Subnets"][0]
    assert after["AvailableIpAddressCount"] == sub["AvailableIpAddressCount"]
    assert_error(ec2.delete_nat_gateway, "NatGatewayNotFound", NatGatewayId=nat_id)
    # deleted NAT gateways are shown for about an hour
    env.clock.advance(3600)
    assert_error(ec2.describe_nat_gateways, "NatGatewayNotFound", NatGatewayIds=[nat_id])
    ec2.release_address(AllocationId=address["AllocationId"])


def test_route_to_nat_gateway(ec2):
    sub = subnet(ec2)
    nat_id = ec2.create_nat_gateway(
        SubnetId=sub["SubnetId"], AllocationId=eip(ec2)["AllocationId"]
    )["NatGateway"]["NatGatewayId"]
    table_id = ec2.create_route_table(VpcId=sub["VpcId"])["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=table_id, DestinationCidrBlock="0.0.0.0/0", NatGatewayId=nat_id)

    def route():
        table = ec2.describe_route_tables(RouteTableIds=[table_id])["RouteTables"][0]
        return next(r for r in table["Routes"] if r.get("DestinationCidrBlock") == "0.0.0.0/0")

    assert route()["NatGatewayId"] == nat_id
    assert route()["State"] == "active"
    found = ec2.describe_route_tables(
        Filters=[{"Name": "route.nat-gateway-id", "Values": [nat_id]}]
    )
    assert [t["RouteTableId"] for t in found["RouteTables"]] == [table_id]
    ec2.delete_nat_gateway(NatGatewayId=nat_id)
    ec2.describe_nat_gateways()
    assert route()["State"] == "blackhole"


def test_failures(ec2):
    sub = subnet(ec2)
    taken = eip(ec2)
    first = ec2.create_nat_gateway(SubnetId=sub["SubnetId"], AllocationId=taken["AllocationId"])
    second = ec2.create_nat_gateway(SubnetId=sub["SubnetId"], AllocationId=taken["AllocationId"])[
        "NatGateway"
    ]
    failed = nat_of(ec2, second["NatGatewayId"])
    assert failed["State"] == "failed"
    assert failed["FailureCode"] == "Resource.AlreadyAssociated"
    assert taken["AllocationId"] in failed["FailureMessage"]
    assert nat_of(ec2, first["NatGateway"]["NatGatewayId"])["State"] == "available"
    vpc_id = sub["VpcId"]
    igw_id = ec2.describe_internet_gateways()["InternetGateways"][0]["InternetGatewayId"]
    ec2.delete_nat_gateway(NatGatewayId=first["NatGateway"]["NatGatewayId"])
    ec2.describe_nat_gateways()
    ec2.detach_internet_gateway(InternetGatewayId=igw_id, VpcId=vpc_id)
    lonely = ec2.create_nat_gateway(
        SubnetId=sub["SubnetId"], AllocationId=eip(ec2)["AllocationId"]
    )["NatGateway"]
    failed = nat_of(ec2, lonely["NatGatewayId"])
    assert failed["State"] == "failed"
    assert failed["FailureCode"] == "Gateway.NotAttached"
    assert failed["FailureMessage"] == f"Network {vpc_id} has no Internet gateway attached"
    assert failed["NatGatewayAddresses"] == []


def test_create_errors(ec2):
    sub = subnet(ec2)
    assert_error(ec2.create_nat_gateway, "MissingParameter", SubnetId=sub["SubnetId"])
    assert_error(
        ec2.create_nat_gateway,
        "InvalidSubnetID.NotFound",
        SubnetId="subnet-12345678",
        AllocationId=eip(ec2)["AllocationId"],
    )
    assert_error(
        ec2.create_nat_gateway,
        "InvalidAllocationID.NotFound",
        SubnetId=sub["SubnetId"],
        AllocationId="eipalloc-12345678",
    )
    assert_error(
        ec2.create_nat_gateway,
        "InvalidParameterCombination",
        SubnetId=sub["SubnetId"],
        ConnectivityType="private",
        AllocationId=eip(ec2)["AllocationId"],
    )
    assert_error(
        ec2.create_nat_gateway,
        "InvalidParameterValue",
        SubnetId=sub["SubnetId"],
        ConnectivityType="private",
        PrivateIpAddress="10.0.0.5",
    )
    assert_error(
        ec2.create_nat_gateway,
        "InvalidParameterValue",
        SubnetId=sub["SubnetId"],
        ConnectivityType="sideways",
    )
    assert_error(
        ec2.describe_nat_gateways, "NatGatewayNotFound", NatGatewayIds=["nat-12345678901234567"]
    )
    assert_error(
        ec2.create_nat_gateway,
        "InvalidParameterValue",
        SubnetId=sub["SubnetId"],
        ConnectivityType="private",
        AvailabilityMode="sideways",
    )
    zonal = ec2.create_nat_gateway(
        SubnetId=sub["SubnetId"], ConnectivityType="private", AvailabilityMode="zonal"
    )
    assert zonal["NatGateway"]["AvailabilityMode"] == "zonal"


def test_private_nat_gateway_and_secondary_addresses(env, ec2, ec2_options):
    ec2_options(transition_delay=5)
    sub = subnet(ec2)
    base = int(sub["CidrBlock"].split(".")[2])
    wanted = f"172.31.{base}.100"
    nat = ec2.create_nat_gateway(
        SubnetId=sub["SubnetId"],
        ConnectivityType="private",
        PrivateIpAddress=wanted,
        SecondaryPrivateIpAddressCount=2,
    )["NatGateway"]
    nat_id = nat["NatGatewayId"]
    assert nat["ConnectivityType"] == "private"
    addresses = nat["NatGatewayAddresses"]
    assert [a["IsPrimary"] for a in addresses] == [True, False, False]
    assert addresses[0]["PrivateIp"] == wanted
    assert all("AllocationId" not in a for a in addresses)
    assert_error(
        ec2.assign_private_nat_gateway_address,
        "InvalidNatGatewayState",
        NatGatewayId=nat_id,
        PrivateIpAddressCount=1,
    )
    env.clock.advance(5)
    added = ec2.assign_private_nat_gateway_address(
        NatGatewayId=nat_id, PrivateIpAddresses=[f"172.31.{base}.101"]
    )["NatGatewayAddresses"]
    assert added[0]["PrivateIp"] == f"172.31.{base}.101"
    assert added[0]["Status"] == "assigning"
    env.clock.advance(5)
    states = {a["PrivateIp"]: a["Status"] for a in nat_of(ec2, nat_id)["NatGatewayAddresses"]}
    assert states[f"172.31.{base}.101"] == "succeeded"
    assert len(states) == 4
    assert_error(
        ec2.assign_private_nat_gateway_address,
        "InvalidIPAddress.InUse",
        NatGatewayId=nat_id,
        PrivateIpAddresses=[f"172.31.{base}.101"],
    )
    assert_error(
        ec2.unassign_private_nat_gateway_address,
        "InvalidParameterValue",
        NatGatewayId=nat_id,
        PrivateIpAddresses=[wanted],
    )
    gone = ec2.unassign_private_nat_gateway_address(
        NatGatewayId=nat_id, PrivateIpAddresses=[f"172.31.{base}.101"], MaxDrainDurationSeconds=60
    )["NatGatewayAddresses"]
    assert gone[0]["Status"] == "unassigning"
    env.clock.advance(5)
    assert len(nat_of(ec2, nat_id)["NatGatewayAddresses"]) == 3
    # an Elastic IP never goes to a private NAT gateway
    assert_error(
        ec2.associate_nat_gateway_address,
        "InvalidParameterValue",
        NatGatewayId=nat_id,
        AllocationIds=[eip(ec2)["AllocationId"]],
    )


def test_secondary_elastic_ips(env, ec2, ec2_options):
    ec2_options(transition_delay=5)
    sub = subnet(ec2)
    primary, second, third = eip(ec2), eip(ec2), eip(ec2)
    nat = ec2.create_nat_gateway(
        SubnetId=sub["SubnetId"],
        AllocationId=primary["AllocationId"],
        SecondaryAllocationIds=[second["AllocationId"]],
    )["NatGateway"]
    nat_id = nat["NatGatewayId"]
    assert [a.get("AllocationId") for a in nat["NatGatewayAddresses"]] == [
        primary["AllocationId"],
        second["AllocationId"],
    ]
    env.clock.advance(5)
    added = ec2.associate_nat_gateway_address(
        NatGatewayId=nat_id, AllocationIds=[third["AllocationId"]]
    )["NatGatewayAddresses"]
    assert added[0]["Status"] == "associating"
    assert added[0]["PublicIp"] == third["PublicIp"]
    env.clock.advance(5)
    by_allocation = {a.get("AllocationId"): a for a in nat_of(ec2, nat_id)["NatGatewayAddresses"]}
    assert by_allocation[third["AllocationId"]]["Status"] == "succeeded"
    association_id = by_allocation[third["AllocationId"]]["AssociationId"]
    [described] = ec2.describe_addresses(AllocationIds=[third["AllocationId"]])["Addresses"]
    assert described["AssociationId"] == association_id
    assert_error(
        ec2.associate_nat_gateway_address,
        "Resource.AlreadyAssociated",
        NatGatewayId=nat_id,
        AllocationIds=[third["AllocationId"]],
    )
    assert_error(
        ec2.disassociate_nat_gateway_address,
        "InvalidParameterValue",
        NatGatewayId=nat_id,
        AssociationIds=[by_allocation[primary["AllocationId"]]["AssociationId"]],
    )
    result = ec2.disassociate_nat_gateway_address(
        NatGatewayId=nat_id, AssociationIds=[association_id]
    )
    assert result["NatGatewayAddresses"][0]["Status"] == "disassociating"
    env.clock.advance(5)
    [described] = ec2.describe_addresses(AllocationIds=[third["AllocationId"]])["Addresses"]
    assert "AssociationId" not in described
    assert_error(
        ec2.disassociate_nat_gateway_address,
        "InvalidAssociationID.NotFound",
        NatGatewayId=nat_id,
        AssociationIds=[association_id],
    )


def test_filters_paging_and_client_token(ec2):
    subnets = ec2.describe_subnets()["Subnets"]
    made = []
    for position in range(6):
        sub = subnets[position % len(subnets)]
        made.append(
            ec2.create_nat_gateway(
                SubnetId=sub["SubnetId"],
                ConnectivityType="private",
                ClientToken=f"token-{position}",
            )["NatGateway"]
        )
    again = ec2.create_nat_gateway(
        SubnetId=made[0]["SubnetId"], ConnectivityType="private", ClientToken="token-0"
    )
    assert again["NatGateway"]["NatGatewayId"] == made[0]["NatGatewayId"]
    assert again["ClientToken"] == "token-0"
    ec2.create_tags(Resources=[made[1]["NatGatewayId"]], Tags=[{"Key": "tier", "Value": "app"}])

    def ids(name, *values):
        found = ec2.describe_nat_gateways(Filter=[{"Name": name, "Values": list(values)}])
        return {n["NatGatewayId"] for n in found["NatGateways"]}

    every = {n["NatGatewayId"] for n in made}
    assert ids("nat-gateway-id", made[2]["NatGatewayId"]) == {made[2]["NatGatewayId"]}
    assert ids("state", "available") == every
    assert ids("vpc-id", made[0]["VpcId"]) == every
    assert made[0]["NatGatewayId"] in ids("subnet-id", made[0]["SubnetId"])
    assert ids("tag:tier", "app") == {made[1]["NatGatewayId"]}
    assert ids("tag-key", "tier") == {made[1]["NatGatewayId"]}
    assert ids("tag-value", "app") == {made[1]["NatGatewayId"]}
    assert_error(
        ec2.describe_nat_gateways, "InvalidParameterValue", Filter=[{"Name": "x", "Values": ["y"]}]
    )
    page = ec2.describe_nat_gateways(MaxResults=5)
    assert len(page["NatGateways"]) == 5
    rest = ec2.describe_nat_gateways(MaxResults=5, NextToken=page["NextToken"])
    assert len(rest["NatGateways"]) == 1
    assert_error(ec2.describe_nat_gateways, "InvalidParameterValue", MaxResults=1001)


def test_dry_run(ec2):
    sub = subnet(ec2)
    allocation = eip(ec2)["AllocationId"]
    assert_error(
        ec2.create_nat_gateway,
        "DryRunOperation",
        412,
        SubnetId=sub["SubnetId"],
        AllocationId=allocation,
        DryRun=True,
    )
    assert ec2.describe_nat_gateways()["NatGateways"] == []
    nat_id = ec2.create_nat_gateway(SubnetId=sub["SubnetId"], AllocationId=allocation)[
        "NatGateway"
    ]["NatGatewayId"]
    ec2.describe_nat_gateways()
    other = eip(ec2)["AllocationId"]
    for call, kw in [
        (ec2.describe_nat_gateways, {}),
        (
            ec2.assign_private_nat_gateway_address,
            {"NatGatewayId": nat_id, "PrivateIpAddressCount": 1},
        ),
        (ec2.associate_nat_gateway_address, {"NatGatewayId": nat_id, "AllocationIds": [other]}),
        (ec2.delete_nat_gateway, {"NatGatewayId": nat_id}),
    ]:
        assert_error(call, "DryRunOperation", 412, DryRun=True, **kw)
    nat = ec2.describe_nat_gateways()["NatGateways"][0]
    assert nat["State"] == "available" and len(nat["NatGatewayAddresses"]) == 1
    ec2.assign_private_nat_gateway_address(NatGatewayId=nat_id, PrivateIpAddressCount=1)
    ec2.describe_nat_gateways()
    ec2.associate_nat_gateway_address(NatGatewayId=nat_id, AllocationIds=[other])
    addresses = ec2.describe_nat_gateways()["NatGateways"][0]["NatGatewayAddresses"]
    spare = next(a for a in addresses if not a.get("AllocationId"))
    bound = next(a for a in addresses if a.get("AllocationId") == other)
    assert_error(
        ec2.unassign_private_nat_gateway_address,
        "DryRunOperation",
        412,
        NatGatewayId=nat_id,
        PrivateIpAddresses=[spare["PrivateIp"]],
        DryRun=True,
    )
    assert_error(
        ec2.disassociate_nat_gateway_address,
        "DryRunOperation",
        412,
        NatGatewayId=nat_id,
        AssociationIds=[bound["AssociationId"]],
        DryRun=True,
    )
    assert len(ec2.describe_nat_gateways()["NatGateways"][0]["NatGatewayAddresses"]) == 3


def test_nat_gateways_per_zone(ec2):
    sub = subnet(ec2)
    made = [
        ec2.create_nat_gateway(SubnetId=sub["SubnetId"], ConnectivityType="private")["NatGateway"]
        for _ in range(5)
    ]
    assert_error(
        ec2.create_nat_gateway,
        "NatGatewayLimitExceeded",
        SubnetId=sub["SubnetId"],
        ConnectivityType="private",
    )
    ec2.delete_nat_gateway(NatGatewayId=made[0]["NatGatewayId"])
    ec2.create_nat_gateway(SubnetId=sub["SubnetId"], ConnectivityType="private")
