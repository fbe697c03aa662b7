"""Internet gateways, egress-only internet gateways and carrier gateways."""

from __future__ import annotations

import re

from ec2_helpers import ID17, assert_error, launch


def default_vpc_id(ec2):
    return ec2.describe_vpcs()["Vpcs"][0]["VpcId"]


def default_igw_id(ec2):
    return ec2.describe_internet_gateways()["InternetGateways"][0]["InternetGatewayId"]


def test_default_vpc_has_an_attached_gateway(ec2):
    [igw] = ec2.describe_internet_gateways()["InternetGateways"]
    assert re.fullmatch(rf"igw-{ID17}", igw["InternetGatewayId"])
    assert igw["OwnerId"] == "123456789012"
    assert igw["Attachments"] == [{"State": "available", "VpcId": default_vpc_id(ec2)}]


def test_create_attach_detach_delete(ec2):
    vpc_id = default_vpc_id(ec2)
    created = ec2.create_internet_gateway(
        TagSpecifications=[
            {"ResourceType": "internet-gateway", "Tags": [{"Key": "Name", "Value": "gw"}]}
        ]
    )["InternetGateway"]
    igw_id = created["InternetGatewayId"]
    assert created["Attachments"] == []
    assert created["Tags"] == [{"Key": "Name", "Value": "gw"}]
    # a VPC takes one internet gateway
    assert_error(
        ec2.attach_internet_gateway,
        "InvalidParameterValue",
        message="already has an internet gateway attached",
        InternetGatewayId=igw_id,
        VpcId=vpc_id,
    )
    old = default_igw_id(ec2)
    ec2.detach_internet_gateway(InternetGatewayId=old, VpcId=vpc_id)
    ec2.attach_internet_gateway(InternetGatewayId=igw_id, VpcId=vpc_id)
    [described] = ec2.describe_internet_gateways(InternetGatewayIds=[igw_id])["InternetGateways"]
    assert described["Attachments"] == [{"State": "available", "VpcId": vpc_id}]
    assert_error(
        ec2.attach_internet_gateway,
        "Resource.AlreadyAssociated",
        message=f"{igw_id} is already attached to network {vpc_id}",
        InternetGatewayId=igw_id,
        VpcId=vpc_id,
    )
    assert_error(
        ec2.delete_internet_gateway,
        "DependencyViolation",
        message="has dependencies",
        InternetGatewayId=igw_id,
    )
    assert_error(
        ec2.detach_internet_gateway,
        "Gateway.NotAttached",
        message=f"{old} is not attached to network {vpc_id}",
        InternetGatewayId=old,
        VpcId=vpc_id,
    )
    ec2.delete_internet_gateway(InternetGatewayId=old)
    assert_error(
        ec2.describe_internet_gateways,
        "InvalidInternetGatewayID.NotFound",
        InternetGatewayIds=[old],
    )
    assert_error(
        ec2.delete_internet_gateway, "InvalidInternetGatewayID.NotFound", InternetGatewayId=old
    )
    assert_error(
        ec2.attach_internet_gateway,
        "InvalidVpcID.NotFound",
        InternetGatewayId=igw_id,
        VpcId="vpc-12345678",
    )
    assert_error(
        ec2.delete_internet_gateway, "InvalidInternetGatewayId.Malformed", InternetGatewayId="igw-x"
    )


def test_detach_refused_while_public_addresses_are_mapped(ec2):
    vpc_id = default_vpc_id(ec2)
    igw_id = default_igw_id(ec2)
    [instance] = launch(ec2)
    assert instance.get("PublicIpAddress")
    assert_error(
        ec2.detach_internet_gateway,
        "DependencyViolation",
        message=f"Network {vpc_id} has some mapped public address",
        InternetGatewayId=igw_id,
        VpcId=vpc_id,
    )
    ec2.terminate_instances(InstanceIds=[instance["InstanceId"]])
    ec2.describe_instances()
    ec2.detach_internet_gateway(InternetGatewayId=igw_id, VpcId=vpc_id)


def test_dry_run(ec2):
    vpc_id = default_vpc_id(ec2)
    igw_id = default_igw_id(ec2)
    assert_error(ec2.create_internet_gateway, "DryRunOperation", 412, DryRun=True)
    assert len(ec2.describe_internet_gateways()["InternetGateways"]) == 1
    assert_error(
        ec2.detach_internet_gateway,
        "DryRunOperation",
        412,
        InternetGatewayId=igw_id,
        VpcId=vpc_id,
        DryRun=True,
    )
    ec2.detach_internet_gateway(InternetGatewayId=igw_id, VpcId=vpc_id)
    assert_error(
        ec2.attach_internet_gateway,
        "DryRunOperation",
        412,
        InternetGatewayId=igw_id,
        VpcId=vpc_id,
        DryRun=True,
    )
    assert_error(
        ec2.delete_internet_gateway, "DryRunOperation", 412, InternetGatewayId=igw_id, DryRun=True
    )
    assert_error(ec2.describe_internet_gateways, "DryRunOperation", 412, DryRun=True)
    [igw] = ec2.describe_internet_gateways()["InternetGateways"]
    assert igw["Attachments"] == []
    assert_error(
        ec2.create_egress_only_internet_gateway, "DryRunOperation", 412, VpcId=vpc_id, DryRun=True
    )
    assert_error(ec2.create_carrier_gateway, "DryRunOperation", 412, VpcId=vpc_id, DryRun=True)
    eigw = ec2.create_egress_only_internet_gateway(VpcId=vpc_id)["EgressOnlyInternetGateway"]
    cagw = ec2.create_carrier_gateway(VpcId=vpc_id)["CarrierGateway"]
    assert_error(
        ec2.delete_egress_only_internet_gateway,
        "DryRunOperation",
        412,
        EgressOnlyInternetGatewayId=eigw["EgressOnlyInternetGatewayId"],
        DryRun=True,
    )
    assert_error(
        ec2.delete_carrier_gateway,
        "DryRunOperation",
        412,
        CarrierGatewayId=cagw["CarrierGatewayId"],
        DryRun=True,
    )
    assert len(ec2.describe_egress_only_internet_gateways()["EgressOnlyInternetGateways"]) == 1
    assert ec2.describe_carrier_gateways()["CarrierGateways"][0]["State"] == "available"


def test_filters_and_paging(ec2):
    vpc_id = default_vpc_id(ec2)
    default = default_igw_id(ec2)
    made = [ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"] for _ in range(5)]

    def ids(name, *values):
        found = ec2.describe_internet_gateways(Filters=[{"Name": name, "Values": list(values)}])
        return {g["InternetGatewayId"] for g in found["InternetGateways"]}

    assert ids("attachment.vpc-id", vpc_id) == {default}
    assert ids("attachment.state", "available") == {default}
    assert ids("internet-gateway-id", made[0]) == {made[0]}
    assert ids("owner-id", "123456789012") == {default, *made}
    ec2.create_tags(Resources=[made[1]], Tags=[{"Key": "team", "Value": "net"}])
    assert ids("tag:team", "net") == {made[1]}
    assert ids("tag-key", "team") == {made[1]}
    page = ec2.describe_internet_gateways(MaxResults=5)
    assert len(page["InternetGateways"]) == 5
    rest = ec2.describe_internet_gateways(MaxResults=5, NextToken=page["NextToken"])
    assert len(rest["InternetGateways"]) == 1 and "NextToken" not in rest
    assert_error(ec2.describe_internet_gateways, "InvalidParameterValue", MaxResults=1001)


def test_waiter(ec2):
    igw_id = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.get_waiter("internet_gateway_exists").wait(
        InternetGatewayIds=[igw_id], WaiterConfig={"Delay": 0, "MaxAttempts": 5}
    )


def test_egress_only_internet_gateways(ec2):
    vpc_id = default_vpc_id(ec2)
    result = ec2.create_egress_only_internet_gateway(
        VpcId=vpc_id,
        ClientToken="t1",
        TagSpecifications=[
            {"ResourceType": "egress-only-internet-gateway", "Tags": [{"Key": "a", "Value": "b"}]}
        ],
    )
    gateway = result["EgressOnlyInternetGateway"]
    assert result["ClientToken"] == "t1"
    assert re.fullmatch(rf"eigw-{ID17}", gateway["EgressOnlyInternetGatewayId"])
    assert gateway["Attachments"] == [{"State": "attached", "VpcId": vpc_id}]
    assert gateway["Tags"] == [{"Key": "a", "Value": "b"}]
    again = ec2.create_egress_only_internet_gateway(VpcId=vpc_id, ClientToken="t1")
    assert (
        again["EgressOnlyInternetGateway"]["EgressOnlyInternetGatewayId"]
        == gateway["EgressOnlyInternetGatewayId"]
    )
    others = [
        ec2.create_egress_only_internet_gateway(VpcId=vpc_id)["EgressOnlyInternetGateway"]
        for _ in range(5)
    ]
    found = ec2.describe_egress_only_internet_gateways(
        Filters=[{"Name": "tag:a", "Values": ["b"]}]
    )["EgressOnlyInternetGateways"]
    assert [g["EgressOnlyInternetGatewayId"] for g in found] == [
        gateway["EgressOnlyInternetGatewayId"]
    ]
    page = ec2.describe_egress_only_internet_gateways(MaxResults=5)
    assert len(page["EgressOnlyInternetGateways"]) == 5 and page["NextToken"]
    assert_error(
        ec2.describe_egress_only_internet_gateways, "InvalidParameterValue", MaxResults=256
    )
    assert_error(
        ec2.create_egress_only_internet_gateway, "InvalidVpcID.NotFound", VpcId="vpc-12345678"
    )
    result = ec2.delete_egress_only_internet_gateway(
        EgressOnlyInternetGatewayId=others[0]["EgressOnlyInternetGatewayId"]
    )
    assert result["ReturnCode"] is True
    assert_error(
        ec2.describe_egress_only_internet_gateways,
        "InvalidEgressOnlyInternetGatewayId.NotFound",
        EgressOnlyInternetGatewayIds=[others[0]["EgressOnlyInternetGatewayId"]],
    )


def test_carrier_gateways(env, ec2, ec2_options):
    ec2_options(transition_delay=10)
    vpc_id = default_vpc_id(ec2)
    gateway = ec2.create_carrier_gateway(
        VpcId=vpc_id,
        TagSpecifications=[
            {"ResourceType": "carrier-gateway", "Tags": [{"Key": "k", "Value": "v"}]}
        ],
    )["CarrierGateway"]
    cagw_id = gateway["CarrierGatewayId"]
    assert re.fullmatch(rf"cagw-{ID17}", cagw_id)
    assert gateway["State"] == "pending"
    assert gateway["VpcId"] == vpc_id
    assert gateway["OwnerId"] == "123456789012"
    env.clock.advance(10)

    def ids(name, *values):
        found = ec2.describe_carrier_gateways(Filters=[{"Name": name, "Values": list(values)}])
        return [g["CarrierGatewayId"] for g in found["CarrierGateways"]]

    assert ids("state", "available") == [cagw_id]
    assert ids("vpc-id", vpc_id) == [cagw_id]
    assert ids("carrier-gateway-id", cagw_id) == [cagw_id]
    assert ids("owner-id", "123456789012") == [cagw_id]
    assert ids("tag:k", "v") == [cagw_id]
    deleted = ec2.delete_carrier_gateway(CarrierGatewayId=cagw_id)["CarrierGateway"]
    assert deleted["State"] == "deleting"
    env.clock.advance(10)
    assert ids("state", "deleted") == [cagw_id]
    assert_error(ec2.delete_carrier_gateway, "IncorrectState", CarrierGatewayId=cagw_id)
    assert_error(
        ec2.describe_carrier_gateways,
        "InvalidCarrierGatewayID.NotFound",
        CarrierGatewayIds=["cagw-12345678"],
    )
