"""DescribeRegions, DescribeAvailabilityZones, DescribeAccountAttributes, and region isolation."""

from __future__ import annotations

import re

import pytest
from ec2_helpers import assert_error, ids_of, instances, launch, launch_ids

COMMERCIAL_REGIONS = {
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-6",
    "ap-southeast-7",
    "ca-central-1",
    "ca-west-1",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "mx-central-1",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
}
OPT_IN = {"af-south-1", "ap-east-1", "eu-south-1", "me-south-1", "il-central-1", "ap-south-2"}
NOT_OPT_IN = {"us-east-1", "eu-west-1", "ap-northeast-1", "sa-east-1", "us-west-2"}


def test_describe_regions_lists_all_commercial_regions(ec2):
    regions = ec2.describe_regions(AllRegions=True)["Regions"]
    assert len(regions) == 34
    assert {r["RegionName"] for r in regions} == COMMERCIAL_REGIONS
    for region in regions:
        assert region["Endpoint"] == f"ec2.{region['RegionName']}.amazonaws.com"
    status = {r["RegionName"]: r["OptInStatus"] for r in regions}
    for name in OPT_IN:
        assert status[name] in ("opted-in", "not-opted-in")
    for name in NOT_OPT_IN:
        assert status[name] == "opt-in-not-required"


def test_describe_regions_default_includes_usable_regions(ec2):
    names = {r["RegionName"] for r in ec2.describe_regions()["Regions"]}
    assert names >= NOT_OPT_IN
    assert names <= COMMERCIAL_REGIONS


def test_describe_regions_by_name(ec2):
    regions = ec2.describe_regions(RegionNames=["eu-west-1", "us-east-1"])["Regions"]
    assert sorted(r["RegionName"] for r in regions) == ["eu-west-1", "us-east-1"]
    assert_error(
        ec2.describe_regions,
        "InvalidParameterValue",
        message="mars-north-1",
        RegionNames=["mars-north-1"],
    )


def test_describe_regions_filters(ec2):
    def names(*filters):
        response = ec2.describe_regions(
            AllRegions=True, Filters=[{"Name": n, "Values": v} for n, v in filters]
        )
        return {r["RegionName"] for r in response["Regions"]}

    assert names(("region-name", ["eu-*"])) == {
        r for r in COMMERCIAL_REGIONS if r.startswith("eu-")
    }
    assert names(("region-name", ["us-east-?"])) == {"us-east-1", "us-east-2"}
    assert names(("endpoint", ["ec2.sa-east-1.amazonaws.com"])) == {"sa-east-1"}
    not_required = names(("opt-in-status", ["opt-in-not-required"]))
    assert not_required >= NOT_OPT_IN
    assert not (OPT_IN & not_required)
    assert names(("opt-in-status", ["opt-in-not-required"]), ("region-name", ["af-*"])) == set()
    assert_error(
        ec2.describe_regions,
        "InvalidParameterValue",
        Filters=[{"Name": "nonsense", "Values": ["x"]}],
    )


@pytest.mark.parametrize(
    ("region", "zones", "prefix"),
    [
        ("us-east-1", 6, "use1"),
        ("eu-west-1", 3, "euw1"),
        ("ap-northeast-1", 3, "apne1"),
        ("us-west-1", 2, "usw1"),
    ],
)
def test_availability_zones(env, region, zones, prefix):
    ec2 = env.client(region=region)
    found = ec2.describe_availability_zones()["AvailabilityZones"]
    assert len(found) == zones
    names = [z["ZoneName"] for z in found]
    ids = [z["ZoneId"] for z in found]
    assert len(set(names)) == len(set(ids)) == zones
    for zone in found:
        assert re.fullmatch(rf"{region}[a-z]", zone["ZoneName"])
        assert re.fullmatch(rf"{prefix}-az\d+", zone["ZoneId"])
        assert zone["RegionName"] == region
        assert zone["State"] == "available"
        assert zone["ZoneType"] == "availability-zone"


def test_ap_northeast_1_zone_names(env):
    ec2 = env.client(region="ap-northeast-1")
    names = {z["ZoneName"] for z in ec2.describe_availability_zones()["AvailabilityZones"]}
    # ap-northeast-1b is not offered to new accounts
    assert names == {"ap-northeast-1a", "ap-northeast-1c", "ap-northeast-1d"}


def test_availability_zones_by_name_id_and_filter(env):
    ec2 = env.client(region="us-east-1")
    every = ec2.describe_availability_zones()["AvailabilityZones"]
    zone = every[2]
    [by_name] = ec2.describe_availability_zones(ZoneNames=[zone["ZoneName"]])["AvailabilityZones"]
    assert by_name["ZoneId"] == zone["ZoneId"]
    [by_id] = ec2.describe_availability_zones(ZoneIds=[zone["ZoneId"]])["AvailabilityZones"]
    assert by_id["ZoneName"] == zone["ZoneName"]
    filtered = ec2.describe_availability_zones(
        Filters=[{"Name": "zone-name", "Values": ["us-east-1a", "us-east-1b"]}]
    )["AvailabilityZones"]
    assert sorted(z["ZoneName"] for z in filtered) == ["us-east-1a", "us-east-1b"]
    filtered = ec2.describe_availability_zones(
        Filters=[{"Name": "zone-id", "Values": [zone["ZoneId"]]}]
    )["AvailabilityZones"]
    assert [z["ZoneName"] for z in filtered] == [zone["ZoneName"]]
    assert_error(
        ec2.describe_availability_zones,
        "InvalidParameterValue",
        message="eu-west-1a",
        ZoneNames=["eu-west-1a"],
    )


def test_account_attributes(ec2):
    vpc_id = ec2.describe_vpcs()["Vpcs"][0]["VpcId"]
    attrs = {
        a["AttributeName"]: [v["AttributeValue"] for v in a["AttributeValues"]]
        for a in ec2.describe_account_attributes()["AccountAttributes"]
    }
    assert attrs["supported-platforms"] == ["VPC"]
    assert attrs["default-vpc"] == [vpc_id]
    assert attrs["max-instances"] == ["20"]
    [only] = ec2.describe_account_attributes(AttributeNames=["default-vpc"])["AccountAttributes"]
    assert only["AttributeName"] == "default-vpc"
    assert only["AttributeValues"] == [{"AttributeValue": vpc_id}]


def test_account_attributes_follow_the_limit_option(ec2, ec2_options):
    ec2_options(instance_limit=7)
    attrs = {
        a["AttributeName"]: a["AttributeValues"][0]["AttributeValue"]
        for a in ec2.describe_account_attributes()["AccountAttributes"]
    }
    assert attrs["max-instances"] == "7"


# -- isolation between regions and accounts


def test_instances_stay_in_their_region(env, ec2):
    [instance_id] = launch_ids(ec2)
    us = env.client(region="us-east-1")
    assert us.describe_instances()["Reservations"] == []
    assert_error(us.describe_instances, "InvalidInstanceID.NotFound", InstanceIds=[instance_id])
    assert_error(us.terminate_instances, "InvalidInstanceID.NotFound", InstanceIds=[instance_id])
    [us_instance] = launch(us)
    assert us_instance["Placement"]["AvailabilityZone"].startswith("us-east-1")
    assert ids_of(instances(ec2)) == {instance_id}
    assert ids_of(instances(us)) == {us_instance["InstanceId"]}


def test_tags_stay_in_their_region(env, ec2):
    [instance_id] = launch_ids(ec2)
    ec2.create_tags(Resources=[instance_id], Tags=[{"Key": "a", "Value": "b"}])
    us = env.client(region="us-east-1")
    assert us.describe_tags()["Tags"] == []


def test_numeric_access_key_is_another_account(env, ec2):
    [mine] = launch_ids(ec2)
    other = env.client(aws_access_key_id="111122223333", aws_secret_access_key="secret")
    assert other.describe_instances()["Reservations"] == []
    assert_error(other.describe_instances, "InvalidInstanceID.NotFound", InstanceIds=[mine])

    reservation = other.run_instances(ImageId="ami-12345678", MinCount=1, MaxCount=1)
    assert reservation["OwnerId"] == "111122223333"
    theirs = reservation["Instances"][0]
    assert theirs["NetworkInterfaces"][0]["OwnerId"] == "111122223333"
    [described] = other.describe_instances()["Reservations"]
    assert described["OwnerId"] == "111122223333"
    assert ids_of(described["Instances"]) == {theirs["InstanceId"]}

    assert ids_of(instances(ec2)) == {mine}
    assert ec2.describe_instances()["Reservations"][0]["OwnerId"] == "123456789012"

    # each account has its own default network
    other_vpc = other.describe_vpcs()["Vpcs"][0]
    my_vpc = ec2.describe_vpcs()["Vpcs"][0]
    assert other_vpc["OwnerId"] == "111122223333"
    assert other_vpc["VpcId"] != my_vpc["VpcId"]
    assert theirs["VpcId"] == other_vpc["VpcId"]


def test_accounts_have_separate_instance_limits(env, ec2, ec2_options):
    ec2_options(instance_limit=2)
    launch_ids(ec2, 2)
    other = env.client(aws_access_key_id="111122223333", aws_secret_access_key="secret")
    assert len(launch(other, 2)) == 2


def test_other_access_keys_use_the_default_account(env, ec2):
    [mine] = launch_ids(ec2)
    same = env.client(aws_access_key_id="AKIAEXAMPLEKEY000001", aws_secret_access_key="x")
    assert ids_of(instances(same)) == {mine}


def test_configured_access_key_maps_to_its_account(env, ec2):
    launch_ids(ec2)
    env.state.config.access_keys["AKIAMAPPEDKEY0000001"] = "999988887777"
    try:
        mapped = env.client(aws_access_key_id="AKIAMAPPEDKEY0000001", aws_secret_access_key="x")
        assert mapped.describe_instances()["Reservations"] == []
        reservation = mapped.run_instances(ImageId="ami-12345678", MinCount=1, MaxCount=1)
        assert reservation["OwnerId"] == "999988887777"
    finally:
        del env.state.config.access_keys["AKIAMAPPEDKEY0000001"]


def test_a_region_no_partition_has_is_refused(env):
    ec2 = env.client(region="xx-nowhere-1")
    assert_error(ec2.describe_vpcs, "InvalidRegion", message="xx-nowhere-1")
    assert_error(ec2.run_instances, "InvalidRegion", ImageId="ami-12345678", MinCount=1, MaxCount=1)


@pytest.mark.parametrize(
    "region, zone_id, dns_suffix",
    [
        ("cn-north-1", "cnn1-az1", ".cn-north-1.compute.amazonaws.com.cn"),
        ("cn-northwest-1", "cnnw1-az1", ".cn-northwest-1.compute.amazonaws.com.cn"),
        ("us-gov-west-1", "usgw1-az1", ".us-gov-west-1.compute.amazonaws.com"),
    ],
)
def test_other_partitions_have_their_own_zone_ids_and_dns(env, region, zone_id, dns_suffix):
    ec2 = env.client(region=region)
    zones = ec2.describe_availability_zones()["AvailabilityZones"]
    assert zones[0]["ZoneId"] == zone_id
    assert len({z["ZoneId"] for z in zones}) == len(zones)
    # newer regions do not offer RunInstances' default type (m1.small)
    [inst] = launch(ec2, InstanceType="t3.micro")
    assert inst["PublicDnsName"].endswith(dns_suffix)


def test_zones_belong_to_the_regions_zone_group(env):
    ec2 = env.client(region="us-east-2")
    zones = ec2.describe_availability_zones()["AvailabilityZones"]
    assert {z["GroupName"] for z in zones} == {"us-east-2-zg-1"}
    assert {z["GroupLongName"] for z in zones} == {"US East (Ohio) 1"}
    assert {z["NetworkBorderGroup"] for z in zones} == {"us-east-2"}
    found = ec2.describe_availability_zones(
        Filters=[{"Name": "group-long-name", "Values": ["US East (Ohio) 1"]}]
    )["AvailabilityZones"]
    assert len(found) == len(zones)


def test_account_attributes_come_in_ec2s_order(ec2):
    names = [a["AttributeName"] for a in ec2.describe_account_attributes()["AccountAttributes"]]
    assert names == [
        "supported-platforms",
        "vpc-max-security-groups-per-interface",
        "max-elastic-ips",
        "max-instances",
        "vpc-max-elastic-ips",
        "default-vpc",
    ]
