"""RunInstances: what a fresh launch looks like and every launch parameter cloudmock models."""

from __future__ import annotations

import ipaddress
import re
from datetime import timedelta

import pytest
from ec2_helpers import (
    AMI,
    ID17,
    assert_error,
    assert_launch_error,
    instance,
    instances,
    launch,
    launch_ids,
)

DEFAULT_ACCOUNT = "123456789012"


def _default_vpc(ec2):
    return ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]


def _default_subnets(ec2):
    return {s["SubnetId"]: s for s in ec2.describe_subnets()["Subnets"] if s["DefaultForAz"]}


def _default_group(ec2, vpc_id):
    return ec2.describe_security_groups(
        Filters=[
            {"Name": "vpc-id", "Values": [vpc_id]},
            {"Name": "group-name", "Values": ["default"]},
        ]
    )["SecurityGroups"][0]


# -- a fresh launch, member by member


def test_reservation_shape(ec2):
    reservation = ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=1)
    assert re.fullmatch(rf"r-{ID17}", reservation["ReservationId"])
    assert reservation["OwnerId"] == DEFAULT_ACCOUNT
    assert len(reservation["Instances"]) == 1
    assert reservation["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_fresh_instance_identity_and_state(env, ec2):
    before = env.clock.now()
    [inst] = launch(ec2, ImageId="ami-12345678")
    assert re.fullmatch(rf"i-{ID17}", inst["InstanceId"])
    assert inst["State"] == {"Code": 0, "Name": "pending"}
    assert inst["ImageId"] == "ami-12345678"
    assert inst["InstanceType"] == "m1.small"
    assert inst["Architecture"] == "x86_64"
    assert inst["Hypervisor"] == "xen"
    assert inst["VirtualizationType"] == "hvm"
    assert inst["AmiLaunchIndex"] == 0
    assert inst["StateTransitionReason"] == ""
    assert inst["ProductCodes"] == []
    launched = inst["LaunchTime"]
    assert launched.tzinfo is not None
    # millisecond precision on the wire
    assert before - timedelta(seconds=1) <= launched <= env.clock.now() + timedelta(seconds=1)


def test_fresh_instance_network(ec2):
    vpc = _default_vpc(ec2)
    subnets = _default_subnets(ec2)
    group = _default_group(ec2, vpc["VpcId"])
    [inst] = launch(ec2)

    assert inst["VpcId"] == vpc["VpcId"]
    assert inst["SubnetId"] in subnets
    subnet = subnets[inst["SubnetId"]]
    assert inst["Placement"]["AvailabilityZone"] == subnet["AvailabilityZone"]
    assert inst["Placement"]["AvailabilityZone"].startswith("eu-west-1")
    assert inst["Placement"]["Tenancy"] == "default"

    private_ip = ipaddress.IPv4Address(inst["PrivateIpAddress"])
    assert private_ip in ipaddress.IPv4Network(subnet["CidrBlock"])
    a, b, c, d = inst["PrivateIpAddress"].split(".")
    assert inst["PrivateDnsName"] == f"ip-{a}-{b}-{c}-{d}.eu-west-1.compute.internal"

    # default subnets map public IPs on launch
    public_ip = ipaddress.IPv4Address(inst["PublicIpAddress"])
    assert public_ip.is_global
    assert inst["PublicDnsName"] == (
        f"ec2-{inst['PublicIpAddress'].replace('.', '-')}.eu-west-1.compute.amazonaws.com"
    )

    assert inst["SecurityGroups"] == [{"GroupId": group["GroupId"], "GroupName": "default"}]
    assert inst["SourceDestCheck"] is True

    [eni] = inst["NetworkInterfaces"]
    assert re.fullmatch(rf"eni-{ID17}", eni["NetworkInterfaceId"])
    assert eni["Attachment"]["DeviceIndex"] == 0
    assert eni["Attachment"]["Status"] == "attaching"  # until the first boot
    assert eni["PrivateIpAddress"] == inst["PrivateIpAddress"]
    assert eni["SubnetId"] == inst["SubnetId"]
    assert eni["VpcId"] == inst["VpcId"]
    assert eni["OwnerId"] == DEFAULT_ACCOUNT
    assert eni["Association"]["PublicIp"] == inst["PublicIpAddress"]
    assert eni["Groups"] == inst["SecurityGroups"]
    assert re.fullmatch(r"([0-9a-f]{2}:){5}[0-9a-f]{2}", eni["MacAddress"])


def test_fresh_instance_storage_and_options(ec2):
    [inst] = launch(ec2)
    assert inst["RootDeviceType"] == "ebs"
    root = inst["RootDeviceName"]
    assert root.startswith("/dev/")
    [mapping] = inst["BlockDeviceMappings"]
    assert mapping["DeviceName"] == root
    assert re.fullmatch(rf"vol-{ID17}", mapping["Ebs"]["VolumeId"])
    assert mapping["Ebs"]["DeleteOnTermination"] is True
    assert mapping["Ebs"]["Status"] == "attaching"  # until the first boot

    assert inst["Monitoring"] == {"State": "disabled"}
    assert inst["EbsOptimized"] is False
    assert inst["ClientToken"]  # boto3 sends one automatically
    assert "Tags" not in inst or inst["Tags"] == []
    assert "KeyName" not in inst
    metadata = inst["MetadataOptions"]
    assert metadata["State"] == "pending"
    assert metadata["HttpTokens"] == "optional"
    assert metadata["HttpPutResponseHopLimit"] == 1
    assert metadata["HttpEndpoint"] == "enabled"
    # launched by the account itself, not by a managing service
    assert inst["Operator"] == {"Managed": False}
    assert inst["NetworkInterfaces"][0]["Operator"] == {"Managed": False}


def test_instance_ids_are_unique(ec2):
    ids = launch_ids(ec2, 5) + launch_ids(ec2, 5)
    assert len(set(ids)) == 10


@pytest.mark.parametrize(
    ("instance_type", "arch"),
    [
        ("t4g.micro", "arm64"),
        ("m6g.large", "arm64"),
        ("c7gn.xlarge", "arm64"),
        ("a1.medium", "arm64"),
        ("t3.micro", "x86_64"),
        ("m5.large", "x86_64"),
        ("c6in.large", "x86_64"),
    ],
)
def test_architecture_follows_instance_type(ec2, instance_type, arch):
    [inst] = launch(ec2, InstanceType=instance_type)
    assert inst["InstanceType"] == instance_type
    assert inst["Architecture"] == arch
    assert instance(ec2, inst["InstanceId"])["Architecture"] == arch


def test_us_east_1_dns_names(env):
    ec2 = env.client(region="us-east-1")
    [inst] = launch(ec2)
    a, b, c, d = inst["PrivateIpAddress"].split(".")
    assert inst["PrivateDnsName"] == f"ip-{a}-{b}-{c}-{d}.ec2.internal"
    assert inst["PublicDnsName"] == (
        f"ec2-{inst['PublicIpAddress'].replace('.', '-')}.compute-1.amazonaws.com"
    )
    zones = {z["ZoneName"] for z in ec2.describe_availability_zones()["AvailabilityZones"]}
    assert inst["Placement"]["AvailabilityZone"] in zones


# -- MinCount / MaxCount and the instance limit


def test_max_count_launched_with_launch_indexes(ec2):
    reservation = ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=4)
    launched = reservation["Instances"]
    assert len(launched) == 4
    assert sorted(i["AmiLaunchIndex"] for i in launched) == [0, 1, 2, 3]
    private_ips = {i["PrivateIpAddress"] for i in launched}
    public_ips = {i["PublicIpAddress"] for i in launched}
    assert len(private_ips) == len(public_ips) == 4
    # all in one reservation
    [described] = ec2.describe_instances(InstanceIds=[i["InstanceId"] for i in launched])[
        "Reservations"
    ]
    assert described["ReservationId"] == reservation["ReservationId"]
    assert len(described["Instances"]) == 4


def test_fewer_than_max_count_near_the_limit(ec2, ec2_options):
    ec2_options(instance_limit=5)
    launch(ec2, 3)
    launched = launch(ec2, MinCount=1, MaxCount=5)
    assert len(launched) == 2
    assert len(instances(ec2)) == 5


def test_min_count_over_the_limit(ec2, ec2_options):
    ec2_options(instance_limit=5)
    launch(ec2, 3)
    assert_error(
        ec2.run_instances,
        "InstanceLimitExceeded",
        message="instance limit",
        ImageId=AMI,
        MinCount=3,
        MaxCount=3,
    )
    assert len(instances(ec2)) == 3


def test_terminated_instances_free_the_limit(ec2, ec2_options):
    ec2_options(instance_limit=2)
    ids = launch_ids(ec2, 2)
    assert_error(ec2.run_instances, "InstanceLimitExceeded", ImageId=AMI, MinCount=1, MaxCount=1)
    ec2.terminate_instances(InstanceIds=ids)
    instances(ec2)  # let shutting-down complete
    assert len(launch(ec2, 2)) == 2


def test_default_limit_is_reported_and_enforced(ec2):
    attrs = {
        a["AttributeName"]: a["AttributeValues"]
        for a in ec2.describe_account_attributes()["AccountAttributes"]
    }
    limit = int(attrs["max-instances"][0]["AttributeValue"])
    assert limit == 20
    assert len(launch(ec2, MinCount=1, MaxCount=limit + 5)) == limit
    assert_error(ec2.run_instances, "InstanceLimitExceeded", ImageId=AMI, MinCount=1, MaxCount=1)


def test_min_count_greater_than_max_count(ec2):
    assert_error(
        ec2.run_instances,
        "InvalidParameterValue",
        message="MaxCount",
        ImageId=AMI,
        MinCount=3,
        MaxCount=2,
    )
    assert instances(ec2) == []


# -- launch parameters


def test_key_name(ec2):
    ec2.create_key_pair(KeyName="my-key")
    [inst] = launch(ec2, KeyName="my-key")
    assert inst["KeyName"] == "my-key"
    assert instance(ec2, inst["InstanceId"])["KeyName"] == "my-key"


def test_security_group_ids(ec2):
    group = _default_group(ec2, _default_vpc(ec2)["VpcId"])
    [inst] = launch(ec2, SecurityGroupIds=[group["GroupId"]])
    assert inst["SecurityGroups"] == [{"GroupId": group["GroupId"], "GroupName": "default"}]


def test_security_group_names(ec2):
    group = _default_group(ec2, _default_vpc(ec2)["VpcId"])
    [inst] = launch(ec2, SecurityGroups=["default"])
    assert inst["SecurityGroups"] == [{"GroupId": group["GroupId"], "GroupName": "default"}]


def test_unknown_security_groups(ec2):
    assert_launch_error(
        ec2,
        "InvalidGroup.NotFound",
        message="sg-0123456789abcdef0",
        SecurityGroupIds=["sg-0123456789abcdef0"],
    )
    assert_launch_error(
        ec2,
        "InvalidGroup.NotFound",
        message="nosuchgroup",
        SecurityGroups=["nosuchgroup"],
    )
    assert instances(ec2) == []


def test_subnet_id(ec2):
    subnets = _default_subnets(ec2)
    chosen = sorted(subnets.values(), key=lambda s: s["AvailabilityZone"])[-1]
    launched = launch(ec2, 3, SubnetId=chosen["SubnetId"])
    network = ipaddress.IPv4Network(chosen["CidrBlock"])
    for inst in launched:
        assert inst["SubnetId"] == chosen["SubnetId"]
        assert inst["Placement"]["AvailabilityZone"] == chosen["AvailabilityZone"]
        assert ipaddress.IPv4Address(inst["PrivateIpAddress"]) in network
    after = ec2.describe_subnets(SubnetIds=[chosen["SubnetId"]])["Subnets"][0]
    assert after["AvailableIpAddressCount"] == chosen["AvailableIpAddressCount"] - 3


def test_unknown_subnet(ec2):
    assert_launch_error(
        ec2,
        "InvalidSubnetID.NotFound",
        SubnetId="subnet-0123456789abcdef0",
    )


@pytest.mark.parametrize("zone", ["eu-west-1a", "eu-west-1b", "eu-west-1c"])
def test_placement_zone_picks_that_zones_default_subnet(ec2, zone):
    [subnet] = ec2.describe_subnets(
        Filters=[
            {"Name": "availability-zone", "Values": [zone]},
            {"Name": "default-for-az", "Values": ["true"]},
        ]
    )["Subnets"]
    [inst] = launch(ec2, Placement={"AvailabilityZone": zone})
    assert inst["Placement"]["AvailabilityZone"] == zone
    assert inst["SubnetId"] == subnet["SubnetId"]
    assert ipaddress.IPv4Address(inst["PrivateIpAddress"]) in ipaddress.IPv4Network(
        subnet["CidrBlock"]
    )


def test_placement_zone_of_another_region(ec2):
    assert_launch_error(
        ec2,
        "InvalidParameterValue",
        message="us-east-1a",
        Placement={"AvailabilityZone": "us-east-1a"},
    )


def test_private_ip_address(ec2):
    subnet = next(iter(_default_subnets(ec2).values()))
    network = ipaddress.IPv4Network(subnet["CidrBlock"])
    wanted = str(network.network_address + 100)
    [inst] = launch(ec2, SubnetId=subnet["SubnetId"], PrivateIpAddress=wanted)
    assert inst["PrivateIpAddress"] == wanted
    assert inst["NetworkInterfaces"][0]["PrivateIpAddress"] == wanted

    assert_launch_error(
        ec2,
        "InvalidIPAddress.InUse",
        message=re.escape(wanted),
        SubnetId=subnet["SubnetId"],
        PrivateIpAddress=wanted,
    )


def test_private_ip_outside_subnet(ec2):
    subnet = next(iter(_default_subnets(ec2).values()))
    assert_launch_error(
        ec2,
        "InvalidParameterValue",
        message=r"10\.9\.9\.9",
        SubnetId=subnet["SubnetId"],
        PrivateIpAddress="10.9.9.9",
    )
    assert instances(ec2) == []


def test_private_ip_freed_by_termination(ec2):
    subnet = next(iter(_default_subnets(ec2).values()))
    wanted = str(ipaddress.IPv4Network(subnet["CidrBlock"]).network_address + 50)
    [first] = launch_ids(ec2, SubnetId=subnet["SubnetId"], PrivateIpAddress=wanted)
    ec2.terminate_instances(InstanceIds=[first])
    instances(ec2)  # shutting-down -> terminated
    [again] = launch(ec2, SubnetId=subnet["SubnetId"], PrivateIpAddress=wanted)
    assert again["PrivateIpAddress"] == wanted


def test_user_data(ec2):
    [inst] = launch(ec2, UserData="#!/bin/sh\necho hello\n")
    assert inst["State"]["Name"] == "pending"
    assert_launch_error(
        ec2,
        "InvalidParameterValue",
        message="user data",
        UserData="x" * (16 * 1024 + 1),
    )
    assert len(instances(ec2)) == 1


def test_client_token_idempotency(ec2):
    first = ec2.run_instances(ImageId=AMI, MinCount=2, MaxCount=2, ClientToken="token-1")
    again = ec2.run_instances(ImageId=AMI, MinCount=2, MaxCount=2, ClientToken="token-1")
    assert again["ReservationId"] == first["ReservationId"]
    assert [i["InstanceId"] for i in again["Instances"]] == [
        i["InstanceId"] for i in first["Instances"]
    ]
    assert all(i["ClientToken"] == "token-1" for i in again["Instances"])
    assert len(instances(ec2)) == 2
    found = instances(ec2, Filters=[{"Name": "client-token", "Values": ["token-1"]}])
    assert len(found) == 2


def test_client_token_with_other_parameters(ec2):
    ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=1, ClientToken="token-2")
    assert_launch_error(
        ec2,
        "IdempotentParameterMismatch",
        InstanceType="t3.micro",
        ClientToken="token-2",
    )
    assert len(instances(ec2)) == 1
    # another token is another launch
    ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=1, ClientToken="token-3")
    assert len(instances(ec2)) == 2


def test_block_device_mappings_recorded(ec2):
    [inst] = launch(
        ec2,
        BlockDeviceMappings=[
            {"DeviceName": "/dev/sda1", "Ebs": {"VolumeSize": 30}},
            {
                "DeviceName": "/dev/sdf",
                "Ebs": {"VolumeSize": 100, "VolumeType": "gp3", "DeleteOnTermination": False},
            },
        ],
    )
    mappings = {m["DeviceName"]: m["Ebs"] for m in inst["BlockDeviceMappings"]}
    assert set(mappings) == {"/dev/sda1", "/dev/sdf"}
    assert mappings["/dev/sda1"]["DeleteOnTermination"] is True
    assert mappings["/dev/sdf"]["DeleteOnTermination"] is False
    assert mappings["/dev/sda1"]["VolumeId"] != mappings["/dev/sdf"]["VolumeId"]
    for ebs in mappings.values():
        assert re.fullmatch(rf"vol-{ID17}", ebs["VolumeId"])
    described = instance(ec2, inst["InstanceId"])["BlockDeviceMappings"]
    assert {m["DeviceName"]: m["Ebs"]["VolumeId"] for m in described} == {
        name: ebs["VolumeId"] for name, ebs in mappings.items()
    }
    by_volume = instances(
        ec2,
        Filters=[
            {"Name": "block-device-mapping.volume-id", "Values": [mappings["/dev/sdf"]["VolumeId"]]}
        ],
    )
    assert [i["InstanceId"] for i in by_volume] == [inst["InstanceId"]]


def test_tag_specifications_for_instance_and_volume(ec2):
    [inst] = launch(
        ec2,
        TagSpecifications=[
            {"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "web"}]},
            {"ResourceType": "volume", "Tags": [{"Key": "disk", "Value": "root"}]},
        ],
    )
    assert inst["Tags"] == [{"Key": "Name", "Value": "web"}]
    volume_id = inst["BlockDeviceMappings"][0]["Ebs"]["VolumeId"]
    tags = ec2.describe_tags(Filters=[{"Name": "resource-type", "Values": ["volume"]}])["Tags"]
    assert tags == [
        {"Key": "disk", "ResourceId": volume_id, "ResourceType": "volume", "Value": "root"}
    ]
    tags = ec2.describe_tags(Filters=[{"Name": "resource-id", "Values": [inst["InstanceId"]]}])
    assert tags["Tags"] == [
        {
            "Key": "Name",
            "ResourceId": inst["InstanceId"],
            "ResourceType": "instance",
            "Value": "web",
        }
    ]


@pytest.mark.parametrize("resource_type", ["vpc", "security-group", "subnet"])
def test_tag_specification_resource_type_not_launched(ec2, resource_type):
    assert_launch_error(
        ec2,
        "InvalidParameterValue",
        message=resource_type,
        TagSpecifications=[{"ResourceType": resource_type, "Tags": [{"Key": "a", "Value": "b"}]}],
    )
    assert instances(ec2) == []


def test_monitoring_ebs_optimized_and_metadata_options(ec2):
    [inst] = launch(
        ec2,
        Monitoring={"Enabled": True},
        EbsOptimized=True,
        MetadataOptions={"HttpTokens": "required", "HttpPutResponseHopLimit": 2},
    )
    assert inst["Monitoring"]["State"] in ("pending", "enabled")
    assert inst["EbsOptimized"] is True
    assert inst["MetadataOptions"]["HttpTokens"] == "required"
    assert inst["MetadataOptions"]["HttpPutResponseHopLimit"] == 2
    described = instance(ec2, inst["InstanceId"])
    assert described["Monitoring"]["State"] == "enabled"
    assert described["MetadataOptions"]["State"] == "applied"
    found = instances(
        ec2, Filters=[{"Name": "metadata-options.http-tokens", "Values": ["required"]}]
    )
    assert [i["InstanceId"] for i in found] == [inst["InstanceId"]]


@pytest.mark.parametrize(
    "extra",
    [
        {
            "SecondaryInterfaces": [
                {"DeviceIndex": 1, "SecondarySubnetId": "subnet-0123456789abcdef0"}
            ]
        },
    ],
    ids=lambda extra: next(iter(extra)),
)
def test_unsupported_parameters_are_refused(ec2, extra):
    name = next(iter(extra))
    assert_launch_error(
        ec2,
        "UnsupportedOperation",
        message=name,
        **extra,
    )
    assert instances(ec2) == []


def test_malformed_image_id(ec2):
    assert_error(
        ec2.run_instances,
        "InvalidAMIID.Malformed",
        message="not-an-ami",
        ImageId="not-an-ami",
        MinCount=1,
        MaxCount=1,
    )


def test_placement_zone_id(ec2):
    zones = ec2.describe_availability_zones()["AvailabilityZones"]
    zone = zones[1]
    [inst] = launch(ec2, Placement={"AvailabilityZoneId": zone["ZoneId"]})
    assert inst["Placement"]["AvailabilityZone"] == zone["ZoneName"]
    assert inst["Placement"]["AvailabilityZoneId"] == zone["ZoneId"]
    assert_launch_error(
        ec2,
        "InvalidParameterValue",
        message="use1-az2",
        Placement={"AvailabilityZoneId": "use1-az2"},
    )


def test_min_count_zero(ec2):
    assert_error(
        ec2.run_instances,
        "InvalidParameterValue",
        message="MinCount",
        ImageId=AMI,
        MinCount=0,
        MaxCount=0,
    )


@pytest.mark.parametrize(
    "extra",
    [
        {"HibernationOptions": {"Configured": False}},
        {"EnclaveOptions": {"Enabled": False}},
        {"DisableApiStop": False},
    ],
    ids=lambda extra: next(iter(extra)),
)
def test_unsupported_parameters_at_their_default_are_fine(ec2, extra):
    assert len(launch(ec2, **extra)) == 1


@pytest.mark.parametrize(
    "extra",
    [
        {"BlockDeviceMappings": [{"DeviceName": "/dev/sdf", "Ebs": {"KmsKeyId": "alias/x"}}]},
    ],
    ids=lambda extra: next(iter(extra)),
)
def test_unsupported_parameters_set_are_refused(env, ec2, extra):
    name = next(iter(extra))
    assert_launch_error(ec2, "UnsupportedOperation", message=name, **extra)
    assert ec2.describe_instances()["Reservations"] == []


def test_stop_protection_refuses_stop_but_not_terminate(ec2):
    (instance,) = launch(ec2, DisableApiStop=True)
    ec2.get_waiter("instance_running").wait(InstanceIds=[instance["InstanceId"]])
    assert_error(
        ec2.stop_instances,
        "OperationNotPermitted",
        message="disableApiStop",
        InstanceIds=[instance["InstanceId"]],
    )
    state = ec2.describe_instances(InstanceIds=[instance["InstanceId"]])
    assert state["Reservations"][0]["Instances"][0]["State"]["Name"] == "running"
    change = ec2.terminate_instances(InstanceIds=[instance["InstanceId"]])
    assert change["TerminatingInstances"][0]["CurrentState"]["Name"] == "shutting-down"


# -- block device mappings: what EC2 refuses


def _mapping_error(ec2, code, message, mappings):
    assert_error(
        ec2.run_instances,
        code,
        message=message,
        ImageId=AMI,
        MinCount=1,
        MaxCount=1,
        BlockDeviceMappings=mappings,
    )
    assert instances(ec2) == []


def test_extra_volumes_mapped_at_launch_go_with_the_instance_by_default(ec2):
    [inst] = launch(ec2, BlockDeviceMappings=[{"DeviceName": "/dev/sdf", "Ebs": {"VolumeSize": 5}}])
    by_device = {m["DeviceName"]: m["Ebs"] for m in inst["BlockDeviceMappings"]}
    assert by_device["/dev/sdf"]["DeleteOnTermination"] is True
    [kept] = launch(
        ec2,
        BlockDeviceMappings=[
            {"DeviceName": "/dev/sdg", "Ebs": {"VolumeSize": 5, "DeleteOnTermination": False}}
        ],
    )
    by_device = {m["DeviceName"]: m["Ebs"] for m in kept["BlockDeviceMappings"]}
    assert by_device["/dev/sdg"]["DeleteOnTermination"] is False


def test_a_device_mapped_twice_is_refused(ec2):
    mapping = {"DeviceName": "/dev/sdf", "Ebs": {"VolumeSize": 5}}
    _mapping_error(ec2, "InvalidBlockDeviceMapping", "more than one", [mapping, mapping])


def test_a_bad_device_name_is_refused(ec2):
    _mapping_error(
        ec2,
        "InvalidBlockDeviceMapping",
        "Invalid device name garbage",
        [{"DeviceName": "garbage", "Ebs": {"VolumeSize": 5}}],
    )


def test_a_mapping_that_says_nothing_is_refused(ec2):
    _mapping_error(ec2, "InvalidBlockDeviceMapping", "/dev/sdf", [{"DeviceName": "/dev/sdf"}])


@pytest.mark.parametrize(
    "ebs, message",
    [
        ({"VolumeType": "gp2", "Iops": 3000}, "iops is not supported for gp2"),
        ({"VolumeType": "io1"}, "iops must be specified for io1"),
        ({"VolumeType": "st1", "Throughput": 250, "VolumeSize": 500}, "throughput"),
    ],
)
def test_iops_and_throughput_only_where_the_volume_type_has_them(ec2, ebs, message):
    _mapping_error(
        ec2, "InvalidParameterCombination", message, [{"DeviceName": "/dev/sdf", "Ebs": ebs}]
    )


def test_provisioned_volume_types_are_accepted(ec2):
    [inst] = launch(
        ec2,
        BlockDeviceMappings=[
            {"DeviceName": "/dev/sdf", "Ebs": {"VolumeType": "io2", "Iops": 1000}},
            {
                "DeviceName": "/dev/sdg",
                "Ebs": {"VolumeType": "gp3", "Iops": 4000, "Throughput": 250},
            },
        ],
    )
    assert {m["DeviceName"] for m in inst["BlockDeviceMappings"]} >= {"/dev/sdf", "/dev/sdg"}


def test_snapshots_that_do_not_exist_are_refused(ec2):
    _mapping_error(
        ec2,
        "InvalidSnapshot.NotFound",
        "snap-0123456789abcdef0",
        [{"DeviceName": "/dev/sdf", "Ebs": {"SnapshotId": "snap-0123456789abcdef0"}}],
    )
    _mapping_error(
        ec2,
        "InvalidSnapshotID.Malformed",
        "snapshot-1",
        [{"DeviceName": "/dev/sdf", "Ebs": {"SnapshotId": "snapshot-1"}}],
    )


def test_client_token_longer_than_64_characters_is_refused(ec2):
    assert_launch_error(
        ec2,
        "InvalidParameterValue",
        message="64",
        ClientToken="x" * 65,
    )
    assert launch(ec2, ClientToken="y" * 64)


def test_detailed_monitoring_is_pending_until_the_instance_runs(ec2):
    [inst] = launch(ec2, Monitoring={"Enabled": True})
    assert inst["Monitoring"] == {"State": "pending"}
    assert instance(ec2, inst["InstanceId"])["Monitoring"] == {"State": "enabled"}


def test_attachments_complete_and_late_members_appear_once_running(ec2):
    [launched] = launch(ec2)
    # RunInstances leaves these out; DescribeInstances has them
    for member in ("HibernationOptions", "PlatformDetails", "UsageOperation"):
        assert member not in launched
    running = instance(ec2, launched["InstanceId"])
    assert running["NetworkInterfaces"][0]["Attachment"]["Status"] == "attached"
    assert {m["Ebs"]["Status"] for m in running["BlockDeviceMappings"]} == {"attached"}
    assert running["PlatformDetails"] == "Linux/UNIX"
    assert running["UsageOperation"] == "RunInstances"
    assert running["HibernationOptions"] == {"Configured": False}
    assert running["CurrentInstanceBootMode"] == "legacy-bios"
    assert running["NetworkPerformanceOptions"] == {"BandwidthWeighting": "default"}


def test_graviton_instances_boot_uefi(ec2):
    [launched] = launch(ec2, InstanceType="t4g.micro")
    assert launched["CurrentInstanceBootMode"] == "uefi"


def test_a_terminated_instance_drops_what_it_no_longer_has(ec2):
    [launched] = launch(ec2)
    ec2.terminate_instances(InstanceIds=[launched["InstanceId"]])
    gone = instance(ec2, launched["InstanceId"])
    assert gone["State"]["Name"] == "terminated"
    assert "SourceDestCheck" not in gone
    assert "PrivateDnsNameOptions" not in gone
    assert gone["MetadataOptions"]["State"] == "pending"
