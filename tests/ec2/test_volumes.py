"""EBS volumes through boto3: create, describe, attach, detach, delete, waiters."""

from __future__ import annotations

from typing import Any

import pytest

from tests.ec2.ec2_helpers import assert_error, instance, launch

WAITER = {"Delay": 0, "MaxAttempts": 5}
ZONE = "eu-west-1a"


def volume(ec2: Any, volume_id: str) -> dict[str, Any]:
    return ec2.describe_volumes(VolumeIds=[volume_id])["Volumes"][0]


def new_volume(ec2: Any, **kw: Any) -> str:
    kw.setdefault("AvailabilityZone", ZONE)
    kw.setdefault("Size", 10)
    volume_id = ec2.create_volume(**kw)["VolumeId"]
    ec2.get_waiter("volume_available").wait(VolumeIds=[volume_id], WaiterConfig=WAITER)
    return volume_id


def running(ec2: Any, zone: str = ZONE) -> str:
    instance_id = launch(ec2, Placement={"AvailabilityZone": zone})[0]["InstanceId"]
    ec2.get_waiter("instance_running").wait(InstanceIds=[instance_id], WaiterConfig=WAITER)
    return instance_id


# -- CreateVolume


def test_create_volume_is_creating_then_available(ec2: Any) -> None:
    created = ec2.create_volume(
        AvailabilityZone=ZONE,
        Size=20,
        TagSpecifications=[{"ResourceType": "volume", "Tags": [{"Key": "Name", "Value": "data"}]}],
    )
    assert created["State"] == "creating"
    assert created["VolumeId"].startswith("vol-")
    assert created["VolumeType"] == "gp2"
    assert created["Iops"] == 100  # gp2: 3 IOPS per GiB, at least 100
    assert created["Encrypted"] is False
    assert created["MultiAttachEnabled"] is False
    assert created["AvailabilityZoneId"]
    assert created["Tags"] == [{"Key": "Name", "Value": "data"}]
    ec2.get_waiter("volume_available").wait(VolumeIds=[created["VolumeId"]], WaiterConfig=WAITER)
    shown = volume(ec2, created["VolumeId"])
    assert shown["State"] == "available"
    assert shown["Attachments"] == []
    assert shown["Size"] == 20


@pytest.mark.parametrize(
    ("kw", "iops", "throughput"),
    [
        ({"VolumeType": "gp2", "Size": 1000}, 3000, None),
        ({"VolumeType": "gp2", "Size": 16000}, 16000, None),
        ({"VolumeType": "gp3", "Size": 10}, 3000, 125),
        ({"VolumeType": "gp3", "Size": 100, "Iops": 6000, "Throughput": 500}, 6000, 500),
        ({"VolumeType": "io1", "Size": 10, "Iops": 500}, 500, None),
        ({"VolumeType": "io2", "Size": 10, "Iops": 10000}, 10000, None),
        ({"VolumeType": "st1", "Size": 125}, None, None),
        ({"VolumeType": "standard", "Size": 5}, None, None),
    ],
)
def test_volume_types_and_their_defaults(
    ec2: Any, kw: dict[str, Any], iops: int | None, throughput: int | None
) -> None:
    created = ec2.create_volume(AvailabilityZone=ZONE, **kw)
    assert created["VolumeType"] == kw["VolumeType"]
    assert created.get("Iops") == iops
    assert created.get("Throughput") == throughput


@pytest.mark.parametrize(
    ("kw", "code", "message"),
    [
        ({"Size": 10}, "MissingParameter", "AvailabilityZone"),
        ({"AvailabilityZone": ZONE}, "MissingParameter", "size or snapshotId"),
        ({"AvailabilityZone": "eu-west-1z", "Size": 1}, "InvalidParameterValue", "zone"),
        (
            {"AvailabilityZone": ZONE, "AvailabilityZoneId": "euw1-az1", "Size": 1},
            "InvalidParameterCombination",
            None,
        ),
        ({"AvailabilityZone": ZONE, "Size": 20000}, "InvalidParameterValue", "maximum is 16384"),
        (
            {"AvailabilityZone": ZONE, "Size": 100, "VolumeType": "st1"},
            "InvalidParameterValue",
            "minimum is 125",
        ),
        (
            {"AvailabilityZone": ZONE, "Size": 10, "VolumeType": "io1", "Iops": 1000},
            "InvalidParameterValue",
            "ratio",
        ),
        ({"AvailabilityZone": ZONE, "Size": 10, "VolumeType": "io2"}, "MissingParameter", "iops"),
        (
            {"AvailabilityZone": ZONE, "Size": 10, "Iops": 300},
            "InvalidParameterCombination",
            "iops is not supported for gp2",
        ),
        (
            {"AvailabilityZone": ZONE, "Size": 10, "VolumeType": "gp3", "Throughput": 100},
            "InvalidParameterValue",
            "minimum is 125",
        ),
        (
            {"AvailabilityZone": ZONE, "Size": 100, "VolumeType": "gp3", "Throughput": 1000},
            "InvalidParameterValue",
            "ratio",
        ),
        (
            {"AvailabilityZone": ZONE, "Size": 10, "VolumeType": "st2"},
            "InvalidParameterValue",
            "volumeType",
        ),
        (
            {"AvailabilityZone": ZONE, "Size": 10, "MultiAttachEnabled": True},
            "InvalidParameterCombination",
            "multiAttach",
        ),
        (
            {"AvailabilityZone": ZONE, "Size": 10, "KmsKeyId": "alias/mine"},
            "InvalidParameterDependency",
            "Encrypted",
        ),
        (
            {"AvailabilityZone": ZONE, "SnapshotId": "snap-0123456789abcdef0"},
            "InvalidSnapshot.NotFound",
            None,
        ),
        ({"AvailabilityZone": ZONE, "SnapshotId": "snap-x"}, "InvalidSnapshotID.Malformed", None),
    ],
)
def test_create_volume_refusals(
    ec2: Any, kw: dict[str, Any], code: str, message: str | None
) -> None:
    assert_error(ec2.create_volume, code, message=message, **kw)
    assert ec2.describe_volumes()["Volumes"] == []


def test_create_volume_dry_run_and_client_token(ec2: Any) -> None:
    assert_error(
        ec2.create_volume, "DryRunOperation", 412, AvailabilityZone=ZONE, Size=1, DryRun=True
    )
    assert ec2.describe_volumes()["Volumes"] == []
    first = ec2.create_volume(AvailabilityZone=ZONE, Size=3, ClientToken="tok-1")
    again = ec2.create_volume(AvailabilityZone=ZONE, Size=3, ClientToken="tok-1")
    assert again["VolumeId"] == first["VolumeId"]
    assert len(ec2.describe_volumes()["Volumes"]) == 1
    assert_error(
        ec2.create_volume,
        "IdempotentParameterMismatch",
        AvailabilityZone=ZONE,
        Size=4,
        ClientToken="tok-1",
    )


def test_multi_attach_io2(ec2: Any) -> None:
    volume_id = new_volume(ec2, VolumeType="io2", Iops=1000, MultiAttachEnabled=True)
    first, second = running(ec2), running(ec2)
    ec2.attach_volume(VolumeId=volume_id, InstanceId=first, Device="/dev/sdf")
    ec2.attach_volume(VolumeId=volume_id, InstanceId=second, Device="/dev/sdf")
    shown = volume(ec2, volume_id)
    assert shown["MultiAttachEnabled"] is True
    assert {a["InstanceId"] for a in shown["Attachments"]} == {first, second}
    assert_error(
        ec2.attach_volume,
        "VolumeInUse",
        VolumeId=volume_id,
        InstanceId=first,
        Device="/dev/sdg",
    )


# -- encryption


def test_encryption_by_default_and_default_key(ec2: Any) -> None:
    account = ec2.describe_security_groups()["SecurityGroups"][0]["OwnerId"]
    assert ec2.get_ebs_encryption_by_default()["EbsEncryptionByDefault"] is False
    default = ec2.get_ebs_default_kms_key_id()["KmsKeyId"]
    assert default == f"arn:aws:kms:eu-west-1:{account}:alias/aws/ebs"
    assert new_volume(ec2)  # not encrypted
    assert_error(ec2.enable_ebs_encryption_by_default, "DryRunOperation", 412, DryRun=True)
    assert ec2.get_ebs_encryption_by_default()["EbsEncryptionByDefault"] is False
    assert ec2.enable_ebs_encryption_by_default()["EbsEncryptionByDefault"] is True
    encrypted = volume(ec2, new_volume(ec2, Encrypted=False))
    assert encrypted["Encrypted"] is True
    assert encrypted["KmsKeyId"].startswith(f"arn:aws:kms:eu-west-1:{account}:key/")

    key = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    assert ec2.modify_ebs_default_kms_key_id(KmsKeyId=key)["KmsKeyId"] == key
    assert ec2.get_ebs_default_kms_key_id()["KmsKeyId"] == key
    assert volume(ec2, new_volume(ec2))["KmsKeyId"] == key
    assert ec2.reset_ebs_default_kms_key_id()["KmsKeyId"] == default
    assert ec2.disable_ebs_encryption_by_default()["EbsEncryptionByDefault"] is False
    # EBS checks a key asynchronously: a key that is not valid fails the volume later
    broken = ec2.create_volume(AvailabilityZone=ZONE, Size=1, Encrypted=True, KmsKeyId="nope")
    assert broken["State"] == "creating"
    assert volume(ec2, broken["VolumeId"])["State"] == "error"
    assert_error(
        ec2.attach_volume,
        "IncorrectState",
        VolumeId=broken["VolumeId"],
        InstanceId=running(ec2),
        Device="/dev/sdf",
    )
    ec2.delete_volume(VolumeId=broken["VolumeId"])
    assert volume(ec2, new_volume(ec2))["Encrypted"] is False
    explicit = volume(
        ec2, new_volume(ec2, Encrypted=True, KmsKeyId="1234abcd-12ab-34cd-56ef-1234567890ab")
    )
    assert explicit["KmsKeyId"] == (
        f"arn:aws:kms:eu-west-1:{account}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    )


# -- DescribeVolumes


def test_describe_volumes_filters(ec2: Any) -> None:
    instance_id = running(ec2)
    root = instance(ec2, instance_id)["BlockDeviceMappings"][0]["Ebs"]["VolumeId"]
    gp3 = new_volume(
        ec2,
        VolumeType="gp3",
        Size=50,
        TagSpecifications=[{"ResourceType": "volume", "Tags": [{"Key": "k", "Value": "v"}]}],
    )
    other = new_volume(ec2, AvailabilityZone="eu-west-1b", Encrypted=True)
    ec2.attach_volume(VolumeId=gp3, InstanceId=instance_id, Device="/dev/sdf")

    def ids(name: str, *values: str) -> set[str]:
        found = ec2.describe_volumes(Filters=[{"Name": name, "Values": list(values)}])
        return {v["VolumeId"] for v in found["Volumes"]}

    assert ids("attachment.instance-id", instance_id) == {root, gp3}
    assert ids("attachment.device", "/dev/sdf") == {gp3}
    assert ids("attachment.status", "attached") == {root, gp3}
    assert ids("attachment.delete-on-termination", "true") == {root}
    assert ids("attachment.attach-time", "*") == {root, gp3}
    assert ids("availability-zone", "eu-west-1b") == {other}
    zone_id = volume(ec2, other)["AvailabilityZoneId"]
    assert ids("availability-zone-id", zone_id) == {other}
    assert ids("create-time", "*") == {root, gp3, other}
    assert ids("encrypted", "true") == {other}
    assert ids("fast-restored", "false") == {root, gp3, other}
    assert ids("multi-attach-enabled", "false") == {root, gp3, other}
    assert ids("operator.managed", "false") == {root, gp3, other}
    assert ids("operator.principal", "*") == set()
    assert ids("size", "50") == {gp3}
    assert ids("snapshot-id", "") == {root, gp3, other}
    assert ids("status", "available") == {other}
    assert ids("status", "in-use") == {root, gp3}
    assert ids("volume-id", gp3) == {gp3}
    assert ids("volume-type", "gp3") == {gp3}
    assert ids("tag:k", "v") == {gp3}
    assert ids("tag-key", "k") == {gp3}
    assert_error(
        ec2.describe_volumes,
        "InvalidParameterValue",
        Filters=[{"Name": "nope", "Values": ["x"]}],
    )


def test_describe_volumes_paging_and_ids(ec2: Any) -> None:
    made = [ec2.create_volume(AvailabilityZone=ZONE, Size=1)["VolumeId"] for _ in range(7)]
    first = ec2.describe_volumes(MaxResults=5)
    assert len(first["Volumes"]) == 5
    rest = ec2.describe_volumes(MaxResults=5, NextToken=first["NextToken"])
    assert "NextToken" not in rest
    assert [v["VolumeId"] for v in first["Volumes"] + rest["Volumes"]] == made
    assert len(ec2.describe_volumes(MaxResults=1000)["Volumes"]) == 7
    assert_error(ec2.describe_volumes, "InvalidParameterValue", MaxResults=4)
    assert_error(
        ec2.describe_volumes, "InvalidParameterCombination", VolumeIds=made[:1], MaxResults=5
    )
    assert_error(
        ec2.describe_volumes, "InvalidVolume.NotFound", VolumeIds=["vol-0123456789abcdef0"]
    )
    assert_error(ec2.describe_volumes, "InvalidVolumeID.Malformed", VolumeIds=["vol-1"])
    pages = ec2.get_paginator("describe_volumes").paginate(PaginationConfig={"PageSize": 5})
    assert sum(len(p["Volumes"]) for p in pages) == 7


# -- attach, detach, delete


def test_attach_detach_follow_the_instance(ec2: Any) -> None:
    instance_id = running(ec2)
    volume_id = new_volume(ec2)
    assert_error(
        ec2.attach_volume,
        "DryRunOperation",
        412,
        VolumeId=volume_id,
        InstanceId=instance_id,
        Device="/dev/sdf",
        DryRun=True,
    )
    attached = ec2.attach_volume(VolumeId=volume_id, InstanceId=instance_id, Device="/dev/sdf")
    assert attached["State"] == "attaching"
    assert attached["InstanceId"] == instance_id and attached["Device"] == "/dev/sdf"
    ec2.get_waiter("volume_in_use").wait(VolumeIds=[volume_id], WaiterConfig=WAITER)
    shown = volume(ec2, volume_id)
    assert shown["State"] == "in-use"
    assert shown["Attachments"][0]["State"] == "attached"
    assert shown["Attachments"][0]["DeleteOnTermination"] is False
    mappings = instance(ec2, instance_id)["BlockDeviceMappings"]
    assert [m["DeviceName"] for m in mappings] == ["/dev/sda1", "/dev/sdf"]
    assert mappings[1]["Ebs"]["VolumeId"] == volume_id

    assert_error(ec2.delete_volume, "VolumeInUse", VolumeId=volume_id)
    assert_error(ec2.detach_volume, "DryRunOperation", 412, VolumeId=volume_id, DryRun=True)
    detached = ec2.detach_volume(VolumeId=volume_id)
    assert detached["State"] == "detaching"
    ec2.get_waiter("volume_available").wait(VolumeIds=[volume_id], WaiterConfig=WAITER)
    assert volume(ec2, volume_id)["Attachments"] == []
    mappings = instance(ec2, instance_id)["BlockDeviceMappings"]
    assert [m["DeviceName"] for m in mappings] == ["/dev/sda1"]
    assert_error(
        ec2.detach_volume, "IncorrectState", message="'available' state", VolumeId=volume_id
    )

    assert_error(ec2.delete_volume, "DryRunOperation", 412, VolumeId=volume_id, DryRun=True)
    ec2.delete_volume(VolumeId=volume_id)
    ec2.get_waiter("volume_deleted").wait(VolumeIds=[volume_id], WaiterConfig=WAITER)
    assert_error(ec2.describe_volumes, "InvalidVolume.NotFound", VolumeIds=[volume_id])


def test_attach_refusals(ec2: Any) -> None:
    instance_id = running(ec2)
    volume_id = new_volume(ec2)
    elsewhere = new_volume(ec2, AvailabilityZone="eu-west-1b")
    assert_error(
        ec2.attach_volume,
        "InvalidVolume.ZoneMismatch",
        VolumeId=elsewhere,
        InstanceId=instance_id,
        Device="/dev/sdf",
    )
    assert_error(
        ec2.attach_volume,
        "InvalidParameterValue",
        message="already in use",
        VolumeId=volume_id,
        InstanceId=instance_id,
        Device="/dev/sda1",
    )
    assert_error(
        ec2.attach_volume,
        "InvalidParameterValue",
        message="not a valid EBS device name",
        VolumeId=volume_id,
        InstanceId=instance_id,
        Device="/dev/foo",
    )
    assert_error(
        ec2.attach_volume,
        "InvalidInstanceID.NotFound",
        VolumeId=volume_id,
        InstanceId="i-0123456789abcdef0",
        Device="/dev/sdf",
    )
    assert_error(
        ec2.attach_volume,
        "InvalidVolume.NotFound",
        VolumeId="vol-0123456789abcdef0",
        InstanceId=instance_id,
        Device="/dev/sdf",
    )
    ec2.attach_volume(VolumeId=volume_id, InstanceId=instance_id, Device="xvdg")
    other = running(ec2)
    assert_error(
        ec2.attach_volume,
        "VolumeInUse",
        VolumeId=volume_id,
        InstanceId=other,
        Device="/dev/sdf",
    )
    spare = new_volume(ec2)
    ec2.terminate_instances(InstanceIds=[other])
    assert_error(
        ec2.attach_volume,
        "IncorrectState",
        VolumeId=spare,
        InstanceId=other,
        Device="/dev/sdf",
    )


def test_root_volume_detach_and_termination(ec2: Any) -> None:
    instance_id = running(ec2)
    root = instance(ec2, instance_id)["BlockDeviceMappings"][0]["Ebs"]["VolumeId"]
    assert volume(ec2, root)["Attachments"][0]["Device"] == "/dev/sda1"
    assert_error(ec2.detach_volume, "OperationNotPermitted", VolumeId=root, Force=True)
    data = new_volume(ec2)
    ec2.attach_volume(VolumeId=data, InstanceId=instance_id, Device="/dev/sdh")
    ec2.stop_instances(InstanceIds=[instance_id])
    ec2.get_waiter("instance_stopped").wait(InstanceIds=[instance_id], WaiterConfig=WAITER)
    ec2.detach_volume(VolumeId=root, InstanceId=instance_id, Device="/dev/sda1")
    ec2.get_waiter("volume_available").wait(VolumeIds=[root], WaiterConfig=WAITER)
    ec2.attach_volume(VolumeId=root, InstanceId=instance_id, Device="/dev/sda1")
    ec2.terminate_instances(InstanceIds=[instance_id])
    ec2.get_waiter("instance_terminated").wait(InstanceIds=[instance_id], WaiterConfig=WAITER)
    # volumes attached after launch stay (DeleteOnTermination false), detached
    remaining = {v["VolumeId"]: v for v in ec2.describe_volumes()["Volumes"]}
    assert set(remaining) == {root, data}
    assert all(v["State"] == "available" and not v["Attachments"] for v in remaining.values())


def test_launch_volumes_deleted_with_the_instance(ec2: Any) -> None:
    instance_id = running(ec2)
    root = instance(ec2, instance_id)["BlockDeviceMappings"][0]["Ebs"]["VolumeId"]
    ec2.terminate_instances(InstanceIds=[instance_id])
    ec2.get_waiter("instance_terminated").wait(InstanceIds=[instance_id], WaiterConfig=WAITER)
    assert_error(ec2.describe_volumes, "InvalidVolume.NotFound", VolumeIds=[root])


def test_launch_volumes_follow_encryption_by_default_and_gp3_baseline(ec2: Any) -> None:
    ec2.enable_ebs_encryption_by_default()
    launched = launch(
        ec2,
        BlockDeviceMappings=[
            {"DeviceName": "/dev/sdf", "Ebs": {"VolumeSize": 20, "VolumeType": "gp3"}}
        ],
    )[0]
    ids = {m["DeviceName"]: m["Ebs"]["VolumeId"] for m in launched["BlockDeviceMappings"]}
    root, data = volume(ec2, ids["/dev/sda1"]), volume(ec2, ids["/dev/sdf"])
    assert root["Encrypted"] is True and ":key/" in root["KmsKeyId"]
    assert data["Encrypted"] is True
    assert (data["Iops"], data["Throughput"]) == (3000, 125)


def test_managed_volume_operator(ec2: Any) -> None:
    managed = new_volume(ec2, Operator={"Principal": "eks.amazonaws.com"})
    plain = new_volume(ec2)
    assert volume(ec2, managed)["Operator"] == {"Managed": True, "Principal": "eks.amazonaws.com"}
    assert volume(ec2, plain)["Operator"] == {"Managed": False}

    def ids(name: str, value: str) -> set[str]:
        found = ec2.describe_volumes(
            Filters=[{"Name": name, "Values": [value]}], IncludeManagedResources=True
        )
        return {v["VolumeId"] for v in found["Volumes"]}

    assert ids("operator.managed", "true") == {managed}
    assert ids("operator.principal", "eks.*") == {managed}
