"""CopyVolumes and root volume replacement tasks through boto3."""

from __future__ import annotations

from typing import Any

from tests.ec2.ec2_helpers import assert_error, instance
from tests.ec2.test_snapshots import new_snapshot
from tests.ec2.test_volumes import WAITER, ZONE, new_volume, running, volume


def test_copy_volumes(ec2: Any) -> None:
    key = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    source = new_volume(ec2, Size=20, VolumeType="gp3", Encrypted=True, KmsKeyId=key)
    assert_error(ec2.copy_volumes, "DryRunOperation", 412, SourceVolumeId=source, DryRun=True)
    copied = ec2.copy_volumes(
        SourceVolumeId=source,
        Size=30,
        TagSpecifications=[{"ResourceType": "volume", "Tags": [{"Key": "copy", "Value": "1"}]}],
        ClientToken="copy-1",
    )["Volumes"]
    assert len(copied) == 1
    copy = copied[0]
    assert copy["SourceVolumeId"] == source and copy["Size"] == 30
    assert copy["VolumeType"] == "gp2"  # CopyVolumes' default type, not the source's
    assert copy["AvailabilityZone"] == ZONE
    assert copy["Encrypted"] is True and copy["KmsKeyId"] == key
    assert copy["Tags"] == [{"Key": "copy", "Value": "1"}]
    again = ec2.copy_volumes(
        SourceVolumeId=source,
        Size=30,
        TagSpecifications=[{"ResourceType": "volume", "Tags": [{"Key": "copy", "Value": "1"}]}],
        ClientToken="copy-1",
    )["Volumes"]
    assert again[0]["VolumeId"] == copy["VolumeId"]
    ec2.get_waiter("volume_available").wait(VolumeIds=[copy["VolumeId"]], WaiterConfig=WAITER)
    assert_error(ec2.copy_volumes, "InvalidParameterValue", SourceVolumeId=source, Size=10)
    assert_error(ec2.copy_volumes, "InvalidVolume.NotFound", SourceVolumeId="vol-0123456789abcdef0")


def test_replace_root_volume_from_a_snapshot(ec2: Any) -> None:
    instance_id = running(ec2)
    root = instance(ec2, instance_id)["BlockDeviceMappings"][0]["Ebs"]["VolumeId"]
    snapshot_id = new_snapshot(ec2, root)
    other_snapshot = new_snapshot(ec2)
    assert_error(
        ec2.create_replace_root_volume_task,
        "InvalidParameterValue",
        InstanceId=instance_id,
        SnapshotId=other_snapshot,
    )
    assert_error(
        ec2.create_replace_root_volume_task,
        "InvalidParameterCombination",
        InstanceId=instance_id,
        SnapshotId=snapshot_id,
        VolumeId=new_volume(ec2),
    )
    assert_error(
        ec2.create_replace_root_volume_task,
        "DryRunOperation",
        412,
        InstanceId=instance_id,
        SnapshotId=snapshot_id,
        DryRun=True,
    )
    task = ec2.create_replace_root_volume_task(
        InstanceId=instance_id,
        SnapshotId=snapshot_id,
        DeleteReplacedRootVolume=True,
        TagSpecifications=[
            {"ResourceType": "replace-root-volume-task", "Tags": [{"Key": "k", "Value": "v"}]}
        ],
    )["ReplaceRootVolumeTask"]
    assert task["TaskState"] == "pending" and task["SnapshotId"] == snapshot_id
    assert task["Tags"] == [{"Key": "k", "Value": "v"}]
    task_id = task["ReplaceRootVolumeTaskId"]
    assert task_id.startswith("replacevol-")

    def state() -> str:
        found = ec2.describe_replace_root_volume_tasks(ReplaceRootVolumeTaskIds=[task_id])
        return str(found["ReplaceRootVolumeTasks"][0]["TaskState"])

    assert state() == "in-progress"
    assert state() == "succeeded"
    new_root = instance(ec2, instance_id)["BlockDeviceMappings"][0]["Ebs"]["VolumeId"]
    assert new_root != root
    shown = volume(ec2, new_root)
    assert shown["SnapshotId"] == snapshot_id
    assert shown["Attachments"][0]["Device"] == "/dev/sda1"
    assert_error(ec2.describe_volumes, "InvalidVolume.NotFound", VolumeIds=[root])
    found = ec2.describe_replace_root_volume_tasks(
        Filters=[{"Name": "instance-id", "Values": [instance_id]}], MaxResults=1
    )
    assert [t["ReplaceRootVolumeTaskId"] for t in found["ReplaceRootVolumeTasks"]] == [task_id]
    assert_error(ec2.describe_replace_root_volume_tasks, "InvalidParameterValue", MaxResults=51)


def test_replace_root_volume_with_a_volume_keeps_the_old_one(ec2: Any) -> None:
    instance_id = running(ec2)
    root = instance(ec2, instance_id)["BlockDeviceMappings"][0]["Ebs"]["VolumeId"]
    spare = new_volume(ec2)
    elsewhere = new_volume(ec2, AvailabilityZone="eu-west-1b")
    assert_error(
        ec2.create_replace_root_volume_task,
        "InvalidVolume.ZoneMismatch",
        InstanceId=instance_id,
        VolumeId=elsewhere,
    )
    task_id = ec2.create_replace_root_volume_task(InstanceId=instance_id, VolumeId=spare)[
        "ReplaceRootVolumeTask"
    ]["ReplaceRootVolumeTaskId"]
    ec2.describe_volumes()
    ec2.describe_volumes()
    tasks = ec2.describe_replace_root_volume_tasks(ReplaceRootVolumeTaskIds=[task_id])
    assert tasks["ReplaceRootVolumeTasks"][0]["TaskState"] == "succeeded"
    assert instance(ec2, instance_id)["BlockDeviceMappings"][0]["Ebs"]["VolumeId"] == spare
    assert volume(ec2, root)["State"] == "available"
    assert volume(ec2, spare)["State"] == "in-use"
    ec2.stop_instances(InstanceIds=[instance_id])
    assert_error(
        ec2.create_replace_root_volume_task,
        "IncorrectInstanceState",
        InstanceId=instance_id,
    )
