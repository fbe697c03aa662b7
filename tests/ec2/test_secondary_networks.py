"""Secondary (RDMA) networks and their subnets."""

from __future__ import annotations

import re

from ec2_helpers import ID17, assert_error


def make_network(ec2, cidr="172.16.0.0/16", **kw):
    return ec2.create_secondary_network(Ipv4CidrBlock=cidr, NetworkType="rdma", **kw)[
        "SecondaryNetwork"
    ]


def test_secondary_network_lifecycle(ec2, env):
    tags = [{"ResourceType": "secondary-network", "Tags": [{"Key": "k", "Value": "v"}]}]
    assert_error(
        ec2.create_secondary_network, "DryRunOperation", 412,
        Ipv4CidrBlock="172.16.0.0/16", NetworkType="rdma", DryRun=True,
    )  # fmt: skip
    network = make_network(ec2, TagSpecifications=tags)
    sn = network["SecondaryNetworkId"]
    assert re.fullmatch(rf"sn-{ID17}", sn)
    assert network["State"] == "create-in-progress"
    assert network["Type"] == "rdma"
    assert network["SecondaryNetworkArn"].endswith(f":secondary-network/{sn}")
    [assoc] = network["Ipv4CidrBlockAssociations"]
    assert assoc["CidrBlock"] == "172.16.0.0/16" and assoc["State"] == "associating"
    ec2.get_waiter("secondary_network_create_complete").wait(
        SecondaryNetworkIds=[sn], WaiterConfig={"Delay": 0, "MaxAttempts": 5}
    )
    [shown] = ec2.describe_secondary_networks(SecondaryNetworkIds=[sn])["SecondaryNetworks"]
    assert shown["State"] == "create-complete"
    assert shown["Ipv4CidrBlockAssociations"][0]["State"] == "associated"
    assert shown["Tags"] == [{"Key": "k", "Value": "v"}]

    subnet = ec2.create_secondary_subnet(
        SecondaryNetworkId=sn, Ipv4CidrBlock="172.16.1.0/24", AvailabilityZone="eu-west-1a",
        TagSpecifications=[{"ResourceType": "secondary-subnet", "Tags": [{"Key": "s", "Value": "1"}]}],
    )["SecondarySubnet"]  # fmt: skip
    ss = subnet["SecondarySubnetId"]
    ec2.get_waiter("secondary_subnet_create_complete").wait(
        SecondarySubnetIds=[ss], WaiterConfig={"Delay": 0, "MaxAttempts": 5}
    )
    assert re.fullmatch(rf"ss-{ID17}", ss)
    assert subnet["SecondaryNetworkId"] == sn and subnet["SecondaryNetworkType"] == "rdma"
    assert subnet["AvailabilityZone"] == "eu-west-1a"
    assert_error(
        ec2.create_secondary_subnet, "InvalidSubnet.Conflict",
        SecondaryNetworkId=sn, Ipv4CidrBlock="172.16.1.128/25", AvailabilityZone="eu-west-1a",
    )  # fmt: skip
    assert_error(
        ec2.create_secondary_subnet, "InvalidParameterValue",
        SecondaryNetworkId=sn, Ipv4CidrBlock="10.0.0.0/24", AvailabilityZone="eu-west-1a",
    )  # fmt: skip
    assert_error(
        ec2.create_secondary_subnet,
        "MissingParameter",
        SecondaryNetworkId=sn,
        Ipv4CidrBlock="172.16.2.0/24",
    )
    assert_error(
        ec2.create_secondary_subnet, "InvalidSecondaryNetworkId.NotFound",
        SecondaryNetworkId="sn-0123456789abcdef0", Ipv4CidrBlock="172.16.2.0/24", AvailabilityZone="eu-west-1a",
    )  # fmt: skip
    error = assert_error(ec2.delete_secondary_network, "DependencyViolation", SecondaryNetworkId=sn)
    assert sn in error["Message"]

    gone = ec2.delete_secondary_subnet(SecondarySubnetId=ss)["SecondarySubnet"]
    assert gone["State"] == "delete-in-progress"
    ec2.get_waiter("secondary_subnet_delete_complete").wait(
        SecondarySubnetIds=[ss], WaiterConfig={"Delay": 0, "MaxAttempts": 5}
    )
    assert_error(
        ec2.delete_secondary_network, "DryRunOperation", 412, SecondaryNetworkId=sn, DryRun=True
    )
    gone = ec2.delete_secondary_network(SecondaryNetworkId=sn)["SecondaryNetwork"]
    assert gone["State"] == "delete-in-progress"
    ec2.get_waiter("secondary_network_delete_complete").wait(
        SecondaryNetworkIds=[sn], WaiterConfig={"Delay": 0, "MaxAttempts": 5}
    )
    # gone for good once EC2 stops showing deleted networks
    env.clock.advance(3601)
    assert not ec2.describe_secondary_networks()["SecondaryNetworks"]
    assert_error(
        ec2.describe_secondary_subnets, "InvalidSecondarySubnetId.NotFound", SecondarySubnetIds=[ss]
    )


def test_secondary_network_rules(ec2):
    assert_error(
        ec2.create_secondary_network,
        "InvalidParameterValue",
        Ipv4CidrBlock="10.0.0.0/8",
        NetworkType="rdma",
    )
    assert_error(
        ec2.create_secondary_network,
        "InvalidParameterValue",
        Ipv4CidrBlock="10.0.0.0/29",
        NetworkType="rdma",
    )
    first = make_network(ec2, ClientToken="t1")
    again = make_network(ec2, ClientToken="t1")
    assert first["SecondaryNetworkId"] == again["SecondaryNetworkId"]
    assert_error(
        ec2.create_secondary_network, "IdempotentParameterMismatch",
        Ipv4CidrBlock="10.9.0.0/16", NetworkType="rdma", ClientToken="t1",
    )  # fmt: skip
    for i in range(4):
        make_network(ec2, f"10.{i}.0.0/16")
    assert_error(
        ec2.create_secondary_network,
        "SecondaryNetworkLimitExceeded",
        Ipv4CidrBlock="10.8.0.0/16",
        NetworkType="rdma",
    )


def test_filters(ec2):
    a = make_network(ec2, "172.16.0.0/16")
    b = make_network(ec2, "172.17.0.0/16")
    sa = ec2.create_secondary_subnet(
        SecondaryNetworkId=a["SecondaryNetworkId"],
        Ipv4CidrBlock="172.16.0.0/24",
        AvailabilityZone="eu-west-1a",
    )["SecondarySubnet"]
    sb = ec2.create_secondary_subnet(
        SecondaryNetworkId=b["SecondaryNetworkId"],
        Ipv4CidrBlock="172.17.0.0/24",
        AvailabilityZoneId="euw1-az2",
    )["SecondarySubnet"]

    def nets(name, value):
        found = ec2.describe_secondary_networks(Filters=[{"Name": name, "Values": [value]}])
        return {n["SecondaryNetworkId"] for n in found["SecondaryNetworks"]}

    def subs(name, value):
        found = ec2.describe_secondary_subnets(Filters=[{"Name": name, "Values": [value]}])
        return {s["SecondarySubnetId"] for s in found["SecondarySubnets"]}

    an, bn = a["SecondaryNetworkId"], b["SecondaryNetworkId"]
    a_assoc = a["Ipv4CidrBlockAssociations"][0]["AssociationId"]
    assert nets("ipv4-cidr-block-association.association-id", a_assoc) == {an}
    assert nets("ipv4-cidr-block-association.cidr-block", "172.17.0.0/16") == {bn}
    assert nets("ipv4-cidr-block-association.state", "associated") == {an, bn}
    assert nets("owner-id", "123456789012") == {an, bn}
    assert nets("secondary-network-arn", a["SecondaryNetworkArn"]) == {an}
    assert nets("secondary-network-id", bn) == {bn}
    assert nets("state", "create-complete") == {an, bn}
    assert nets("type", "rdma") == {an, bn}
    sa_id, sb_id = sa["SecondarySubnetId"], sb["SecondarySubnetId"]
    sa_assoc = sa["Ipv4CidrBlockAssociations"][0]["AssociationId"]
    assert subs("ipv4-cidr-block-association.association-id", sa_assoc) == {sa_id}
    assert subs("ipv4-cidr-block-association.cidr-block", "172.17.0.0/24") == {sb_id}
    assert subs("ipv4-cidr-block-association.state", "associated") == {sa_id, sb_id}
    assert subs("owner-id", "123456789012") == {sa_id, sb_id}
    assert subs("secondary-network-id", an) == {sa_id}
    assert subs("secondary-network-type", "rdma") == {sa_id, sb_id}
    assert subs("secondary-subnet-arn", sb["SecondarySubnetArn"]) == {sb_id}
    assert subs("secondary-subnet-id", sa_id) == {sa_id}
    assert subs("state", "create-complete") == {sa_id, sb_id}
    page = ec2.describe_secondary_networks(MaxResults=5)
    assert len(page["SecondaryNetworks"]) == 2 and "NextToken" not in page
