"""What every region of a new account has: the default VPC, its subnets and its group."""

from __future__ import annotations

import ipaddress
import re

import pytest
from ec2_helpers import ID17, assert_error, launch

REGIONS = ["eu-west-1", "us-east-1", "ap-northeast-1"]


@pytest.mark.parametrize("region", REGIONS)
def test_default_vpc(env, region):
    ec2 = env.client(region=region)
    [vpc] = ec2.describe_vpcs()["Vpcs"]
    assert re.fullmatch(rf"vpc-{ID17}", vpc["VpcId"])
    assert vpc["CidrBlock"] == "172.31.0.0/16"
    assert vpc["IsDefault"] is True
    assert vpc["State"] == "available"
    assert vpc["OwnerId"] == "123456789012"
    assert vpc["InstanceTenancy"] == "default"
    assert vpc["DhcpOptionsId"].startswith("dopt-")
    [association] = vpc["CidrBlockAssociationSet"]
    assert association["CidrBlock"] == "172.31.0.0/16"
    assert association["CidrBlockState"]["State"] == "associated"


@pytest.mark.parametrize("region", REGIONS)
def test_default_subnet_per_zone(env, region):
    ec2 = env.client(region=region)
    vpc_id = ec2.describe_vpcs()["Vpcs"][0]["VpcId"]
    zones = {
        z["ZoneName"]: z["ZoneId"] for z in ec2.describe_availability_zones()["AvailabilityZones"]
    }
    subnets = ec2.describe_subnets()["Subnets"]
    assert sorted(s["AvailabilityZone"] for s in subnets) == sorted(zones)
    vpc_network = ipaddress.IPv4Network("172.31.0.0/16")
    networks = []
    for subnet in subnets:
        assert re.fullmatch(rf"subnet-{ID17}", subnet["SubnetId"])
        assert subnet["VpcId"] == vpc_id
        assert subnet["DefaultForAz"] is True
        assert subnet["MapPublicIpOnLaunch"] is True
        assert subnet["State"] == "available"
        assert subnet["AvailabilityZoneId"] == zones[subnet["AvailabilityZone"]]
        network = ipaddress.IPv4Network(subnet["CidrBlock"])
        assert network.prefixlen == 20
        assert network.subnet_of(vpc_network)
        # AWS reserves five addresses of every subnet
        assert subnet["AvailableIpAddressCount"] == 4096 - 5
        assert subnet["SubnetArn"] == (
            f"arn:aws:ec2:{region}:123456789012:subnet/{subnet['SubnetId']}"
        )
        networks.append(network)
    for i, a in enumerate(networks):
        for b in networks[i + 1 :]:
            assert not a.overlaps(b)


@pytest.mark.parametrize("region", REGIONS)
def test_default_security_group(env, region):
    ec2 = env.client(region=region)
    vpc_id = ec2.describe_vpcs()["Vpcs"][0]["VpcId"]
    [group] = ec2.describe_security_groups()["SecurityGroups"]
    assert re.fullmatch(rf"sg-{ID17}", group["GroupId"])
    assert group["GroupName"] == "default"
    assert group["VpcId"] == vpc_id
    assert group["OwnerId"] == "123456789012"
    assert group["Description"]
    # ingress from the group itself, egress everywhere
    [ingress] = group["IpPermissions"]
    assert ingress["IpProtocol"] == "-1"
    assert [p["GroupId"] for p in ingress["UserIdGroupPairs"]] == [group["GroupId"]]
    [egress] = group["IpPermissionsEgress"]
    assert egress["IpProtocol"] == "-1"
    assert egress["IpRanges"] == [{"CidrIp": "0.0.0.0/0"}]


def test_regions_have_distinct_defaults(env):
    vpcs = {r: env.client(region=r).describe_vpcs()["Vpcs"][0]["VpcId"] for r in REGIONS}
    assert len(set(vpcs.values())) == len(REGIONS)


def test_defaults_are_stable_across_calls(ec2):
    first = ec2.describe_subnets()["Subnets"]
    second = ec2.describe_subnets()["Subnets"]
    assert [s["SubnetId"] for s in first] == [s["SubnetId"] for s in second]


def test_describe_vpcs_by_id_and_filters(ec2):
    vpc = ec2.describe_vpcs()["Vpcs"][0]
    vpc_id = vpc["VpcId"]

    def found(**kw):
        return [v["VpcId"] for v in ec2.describe_vpcs(**kw)["Vpcs"]]

    assert found(VpcIds=[vpc_id]) == [vpc_id]
    assert found(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}]) == [vpc_id]
    assert found(Filters=[{"Name": "is-default", "Values": ["true"]}]) == [vpc_id]
    assert found(Filters=[{"Name": "is-default", "Values": ["false"]}]) == []
    assert found(Filters=[{"Name": "cidr", "Values": ["172.31.0.0/16"]}]) == [vpc_id]
    assert found(Filters=[{"Name": "cidr", "Values": ["10.0.0.0/16"]}]) == []
    assert found(Filters=[{"Name": "state", "Values": ["available"]}]) == [vpc_id]
    assert found(Filters=[{"Name": "owner-id", "Values": ["123456789012"]}]) == [vpc_id]
    assert found(Filters=[{"Name": "dhcp-options-id", "Values": [vpc["DhcpOptionsId"]]}]) == [
        vpc_id
    ]


def test_describe_subnets_filters(ec2):
    subnets = ec2.describe_subnets()["Subnets"]
    by_zone = {s["AvailabilityZone"]: s["SubnetId"] for s in subnets}

    def found(*filters):
        response = ec2.describe_subnets(Filters=[{"Name": n, "Values": v} for n, v in filters])
        return sorted(s["SubnetId"] for s in response["Subnets"])

    assert found(("availability-zone", ["eu-west-1b"])) == [by_zone["eu-west-1b"]]
    assert found(("availability-zone", ["eu-west-1a", "eu-west-1c"])) == sorted(
        [by_zone["eu-west-1a"], by_zone["eu-west-1c"]]
    )
    assert found(("default-for-az", ["true"])) == sorted(by_zone.values())
    assert found(("default-for-az", ["false"])) == []
    assert found(("vpc-id", [subnets[0]["VpcId"]])) == sorted(by_zone.values())
    assert found(("cidr-block", [subnets[0]["CidrBlock"]])) == [subnets[0]["SubnetId"]]
    assert found(("subnet-id", [subnets[1]["SubnetId"]])) == [subnets[1]["SubnetId"]]
    assert found(("map-public-ip-on-launch", ["true"]), ("availability-zone", ["*-1a"])) == [
        by_zone["eu-west-1a"]
    ]
    ids = [by_zone["eu-west-1a"], by_zone["eu-west-1c"]]
    assert sorted(s["SubnetId"] for s in ec2.describe_subnets(SubnetIds=ids)["Subnets"]) == sorted(
        ids
    )


def test_available_ip_count_tracks_instances(ec2):
    [subnet] = ec2.describe_subnets(
        Filters=[{"Name": "availability-zone", "Values": ["eu-west-1a"]}]
    )["Subnets"]
    launched = launch(ec2, 3, SubnetId=subnet["SubnetId"])
    [after] = ec2.describe_subnets(SubnetIds=[subnet["SubnetId"]])["Subnets"]
    assert after["AvailableIpAddressCount"] == subnet["AvailableIpAddressCount"] - 3
    ec2.terminate_instances(InstanceIds=[i["InstanceId"] for i in launched])
    ec2.describe_instances()  # shutting-down -> terminated
    [freed] = ec2.describe_subnets(SubnetIds=[subnet["SubnetId"]])["Subnets"]
    assert freed["AvailableIpAddressCount"] == subnet["AvailableIpAddressCount"]


def test_describe_security_groups_by_id_name_and_filters(ec2):
    [group] = ec2.describe_security_groups()["SecurityGroups"]
    group_id = group["GroupId"]

    def found(**kw):
        return [g["GroupId"] for g in ec2.describe_security_groups(**kw)["SecurityGroups"]]

    assert found(GroupIds=[group_id]) == [group_id]
    assert found(GroupNames=["default"]) == [group_id]
    assert found(Filters=[{"Name": "group-name", "Values": ["default"]}]) == [group_id]
    assert found(Filters=[{"Name": "group-name", "Values": ["other"]}]) == []
    assert found(Filters=[{"Name": "group-id", "Values": [group_id]}]) == [group_id]
    assert found(Filters=[{"Name": "vpc-id", "Values": [group["VpcId"]]}]) == [group_id]
    assert found(Filters=[{"Name": "egress.ip-permission.cidr", "Values": ["0.0.0.0/0"]}]) == [
        group_id
    ]


@pytest.mark.parametrize(
    ("operation", "param", "value", "code"),
    [
        ("describe_vpcs", "VpcIds", "vpc-0123456789abcdef0", "InvalidVpcID.NotFound"),
        ("describe_vpcs", "VpcIds", "not-a-vpc", "InvalidVpcID.Malformed"),
        ("describe_subnets", "SubnetIds", "subnet-0123456789abcdef0", "InvalidSubnetID.NotFound"),
        ("describe_subnets", "SubnetIds", "net-1", "InvalidSubnetID.Malformed"),
        ("describe_security_groups", "GroupIds", "sg-0123456789abcdef0", "InvalidGroup.NotFound"),
        ("describe_security_groups", "GroupIds", "group-1", "InvalidGroupId.Malformed"),
        ("describe_security_groups", "GroupNames", "no-such-group", "InvalidGroup.NotFound"),
    ],
)
def test_unknown_and_malformed_ids(ec2, operation, param, value, code):
    assert_error(getattr(ec2, operation), code, message=re.escape(value), **{param: [value]})


def test_unknown_filter_names(ec2):
    for operation in (ec2.describe_vpcs, ec2.describe_subnets, ec2.describe_security_groups):
        assert_error(
            operation,
            "InvalidParameterValue",
            message="no-such-filter",
            Filters=[{"Name": "no-such-filter", "Values": ["x"]}],
        )


def test_vpc_paging(env):
    for region in REGIONS:
        ec2 = env.client(region=region)
        expected = sorted(s["SubnetId"] for s in ec2.describe_subnets()["Subnets"])
        pages = ec2.get_paginator("describe_subnets").paginate(PaginationConfig={"PageSize": 5})
        seen = sorted(s["SubnetId"] for page in pages for s in page["Subnets"])
        assert seen == expected


def test_freed_addresses_are_handed_out_again_and_never_twice(ec2):
    [subnet] = ec2.describe_subnets(
        Filters=[{"Name": "availability-zone", "Values": ["eu-west-1b"]}]
    )["Subnets"]
    first = launch(ec2, 3, SubnetId=subnet["SubnetId"])
    addresses = [i["PrivateIpAddress"] for i in first]
    ec2.terminate_instances(InstanceIds=[first[0]["InstanceId"]])
    ec2.describe_instances()  # shutting-down -> terminated: its address is free again
    second = launch(ec2, 2, SubnetId=subnet["SubnetId"])
    reused = [i["PrivateIpAddress"] for i in second]
    assert addresses[0] in reused
    live = addresses[1:] + reused
    assert len(set(live)) == len(live)
