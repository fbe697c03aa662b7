"""Bad input gets AWS's error (code, status, message); DryRun answers without acting."""

from __future__ import annotations

import pytest
from ec2_helpers import (
    AMI,
    assert_error,
    assert_launch_error,
    error_of,
    instance,
    instances,
    launch_ids,
    state_of,
)

DRY_RUN = "DryRunOperation"


def _tags(ec2):
    return {(t["ResourceId"], t["Key"]) for t in ec2.describe_tags()["Tags"]}


# -- DryRun: every implemented operation


@pytest.mark.parametrize(
    ("operation", "kwargs"),
    [
        ("describe_instances", {}),
        ("describe_instance_status", {}),
        ("describe_tags", {}),
        ("describe_vpcs", {}),
        ("describe_subnets", {}),
        ("describe_security_groups", {}),
        ("describe_regions", {}),
        ("describe_availability_zones", {}),
        ("describe_account_attributes", {}),
    ],
)
def test_dry_run_of_describe_operations(ec2, operation, kwargs):
    error = assert_error(getattr(ec2, operation), DRY_RUN, 412, DryRun=True, **kwargs)
    assert "DryRun" in error["Message"]


def test_dry_run_run_instances(ec2):
    assert_error(ec2.run_instances, DRY_RUN, 412, ImageId=AMI, MinCount=2, MaxCount=2, DryRun=True)
    assert instances(ec2) == []
    assert ec2.describe_tags()["Tags"] == []
    # the launch index, limit and addresses are untouched: a real launch still gets everything
    subnets = ec2.describe_subnets()["Subnets"]
    assert all(s["AvailableIpAddressCount"] == 4091 for s in subnets)


def test_dry_run_stop_start_reboot_terminate(ec2):
    [instance_id] = launch_ids(ec2)
    assert state_of(ec2, instance_id) == "running"
    for call in (ec2.stop_instances, ec2.reboot_instances, ec2.terminate_instances):
        assert_error(call, DRY_RUN, 412, InstanceIds=[instance_id], DryRun=True)
        assert state_of(ec2, instance_id) == "running"
    ec2.stop_instances(InstanceIds=[instance_id])
    assert state_of(ec2, instance_id) == "stopped"
    assert_error(ec2.start_instances, DRY_RUN, 412, InstanceIds=[instance_id], DryRun=True)
    assert state_of(ec2, instance_id) == "stopped"


def test_dry_run_create_and_delete_tags(ec2):
    [instance_id] = launch_ids(ec2)
    assert_error(
        ec2.create_tags,
        DRY_RUN,
        412,
        Resources=[instance_id],
        Tags=[{"Key": "a", "Value": "b"}],
        DryRun=True,
    )
    assert _tags(ec2) == set()
    ec2.create_tags(Resources=[instance_id], Tags=[{"Key": "a", "Value": "b"}])
    assert_error(
        ec2.delete_tags, DRY_RUN, 412, Resources=[instance_id], Tags=[{"Key": "a"}], DryRun=True
    )
    assert _tags(ec2) == {(instance_id, "a")}


def test_dry_run_false_acts(ec2):
    reservation = ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=1, DryRun=False)
    assert len(reservation["Instances"]) == 1


# -- ids: malformed vs unknown


@pytest.mark.parametrize(
    "bad_id",
    ["i-xyz", "instance-1", "i-", "vpc-1234", "i-123", "i-0123456789abcdef", "I-0123456789ABCDEF0"],
)
def test_malformed_instance_ids(ec2, bad_id):
    assert_error(
        ec2.describe_instances, "InvalidInstanceID.Malformed", message=bad_id, InstanceIds=[bad_id]
    )


def test_unknown_instance_ids_are_all_named(ec2):
    [known] = launch_ids(ec2)
    missing = ["i-0123456789abcdef0", "i-0fedcba9876543210"]
    error = assert_error(
        ec2.describe_instances, "InvalidInstanceID.NotFound", InstanceIds=[known, *missing]
    )
    for instance_id in missing:
        assert instance_id in error["Message"]
    assert known not in error["Message"]


def test_short_legacy_instance_id_is_not_found_not_malformed(ec2):
    assert_error(ec2.describe_instances, "InvalidInstanceID.NotFound", InstanceIds=["i-1234abcd"])


def test_tagging_an_unknown_kind_of_id(ec2):
    assert_error(
        ec2.create_tags,
        "InvalidID",
        message="bogus",
        Resources=["bogus"],
        Tags=[{"Key": "a", "Value": "b"}],
    )


# -- enums and ranges


def test_bad_instance_type(ec2):
    assert_launch_error(
        ec2,
        "InvalidParameterValue",
        message="m1.huge",
        InstanceType="m1.huge",
    )
    assert instances(ec2) == []


def test_bad_enum_in_filters_is_just_no_match(ec2):
    launch_ids(ec2)
    found = instances(ec2, Filters=[{"Name": "instance-type", "Values": ["m1.huge"]}])
    assert found == []


def test_bad_tenancy(ec2):
    assert_launch_error(
        ec2,
        "InvalidParameterValue",
        message="sideways",
        Placement={"Tenancy": "sideways"},
    )


def test_hop_limit_out_of_range(ec2):
    assert_launch_error(
        ec2,
        "InvalidParameterValue",
        message="HttpPutResponseHopLimit",
        MetadataOptions={"HttpPutResponseHopLimit": 65},
    )


def test_volume_size_out_of_range(ec2):
    assert_launch_error(
        ec2,
        "InvalidParameterValue",
        message="70000",
        BlockDeviceMappings=[{"DeviceName": "/dev/sdf", "Ebs": {"VolumeSize": 70000}}],
    )
    assert instances(ec2) == []


def test_private_ip_with_several_instances(ec2):
    assert_error(
        ec2.run_instances,
        "InvalidParameterCombination",
        ImageId=AMI,
        MinCount=2,
        MaxCount=2,
        PrivateIpAddress="172.31.0.50",
    )


def test_subnet_and_zone_disagree(ec2):
    [subnet] = ec2.describe_subnets(
        Filters=[{"Name": "availability-zone", "Values": ["eu-west-1a"]}]
    )["Subnets"]
    assert_launch_error(
        ec2,
        "InvalidParameterValue",
        message="eu-west-1b",
        SubnetId=subnet["SubnetId"],
        Placement={"AvailabilityZone": "eu-west-1b"},
    )


def test_missing_instance_ids(ec2):
    assert_error(ec2.stop_instances, "MissingParameter", message="InstanceId", InstanceIds=[])


def test_filter_without_values(ec2):
    assert_error(
        ec2.describe_instances,
        "InvalidParameterValue",
        message="instance-type",
        Filters=[{"Name": "instance-type", "Values": []}],
    )


# -- what every error looks like


def test_errors_carry_a_request_id(ec2):
    response = error_of(ec2.describe_instances, InstanceIds=["i-0123456789abcdef0"])
    assert response["ResponseMetadata"]["RequestId"]
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_unimplemented_operation_names_itself(ec2):
    error = assert_error(ec2.describe_verified_access_instances, "NotImplemented", 501)
    assert "DescribeVerifiedAccessInstances" in error["Message"]


def test_error_leaves_earlier_state_alone(ec2):
    ec2.create_key_pair(KeyName="k")
    [instance_id] = launch_ids(ec2, KeyName="k")
    assert_error(ec2.run_instances, "InvalidParameterValue", ImageId=AMI, MinCount=2, MaxCount=1)
    assert instance(ec2, instance_id)["KeyName"] == "k"
    assert len(instances(ec2)) == 1
