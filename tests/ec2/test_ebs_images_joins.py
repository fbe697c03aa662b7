"""Where EBS meets images and the launch path: image snapshots, launch volumes, root swaps."""

from __future__ import annotations

from typing import Any

from ec2_helpers import assert_error, instance, launch
from images_helpers import image, other_client

WAITER = {"Delay": 0, "MaxAttempts": 5}
ZONE = "eu-west-1a"
KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def running(ec2: Any, **kw: Any) -> str:
    instance_id = launch(ec2, **kw)[0]["InstanceId"]
    ec2.get_waiter("instance_running").wait(InstanceIds=[instance_id], WaiterConfig=WAITER)
    return instance_id


def volumes_of(ec2: Any, instance_id: str) -> dict[str, dict[str, Any]]:
    """The instance's volumes by device name, as DescribeVolumes shows them."""
    mappings = instance(ec2, instance_id)["BlockDeviceMappings"]
    ids = {m["Ebs"]["VolumeId"]: m["DeviceName"] for m in mappings}
    found = ec2.describe_volumes(VolumeIds=list(ids))["Volumes"]
    return {ids[v["VolumeId"]]: v for v in found}


def new_snapshot(ec2: Any, size: int = 10, **kw: Any) -> str:
    volume_id = ec2.create_volume(AvailabilityZone=ZONE, Size=size, **kw)["VolumeId"]
    ec2.get_waiter("volume_available").wait(VolumeIds=[volume_id], WaiterConfig=WAITER)
    snapshot_id: str = ec2.create_snapshot(VolumeId=volume_id)["SnapshotId"]
    ec2.get_waiter("snapshot_completed").wait(SnapshotIds=[snapshot_id], WaiterConfig=WAITER)
    return snapshot_id


def snapshot(ec2: Any, snapshot_id: str) -> dict[str, Any]:
    found: dict[str, Any] = ec2.describe_snapshots(SnapshotIds=[snapshot_id])["Snapshots"][0]
    return found


def available(ec2: Any, image_id: str) -> None:
    ec2.get_waiter("image_available").wait(ImageIds=[image_id], WaiterConfig=WAITER)


def test_create_image_snapshots_then_launch_from_the_image(ec2: Any) -> None:
    source = running(
        ec2,
        BlockDeviceMappings=[
            {"DeviceName": "/dev/sdf", "Ebs": {"VolumeSize": 12, "VolumeType": "gp3"}}
        ],
    )
    image_id = ec2.create_image(InstanceId=source, Name="joined")["ImageId"]
    note = f"Created by CreateImage({source}) for {image_id}"
    made = ec2.describe_snapshots(
        OwnerIds=["self"], Filters=[{"Name": "description", "Values": [note]}]
    )["Snapshots"]
    assert sorted(s["VolumeSize"] for s in made) == [8, 12]
    ids = [s["SnapshotId"] for s in made]
    available(ec2, image_id)
    ec2.get_waiter("snapshot_completed").wait(SnapshotIds=ids, WaiterConfig=WAITER)
    devices = {d["DeviceName"]: d["Ebs"] for d in image(ec2, image_id)["BlockDeviceMappings"]}
    root_snapshot, data_snapshot = (
        devices["/dev/sda1"]["SnapshotId"],
        devices["/dev/sdf"]["SnapshotId"],
    )
    assert {root_snapshot, data_snapshot} == set(ids)
    assert_error(
        ec2.delete_snapshot, "InvalidSnapshot.InUse", message=image_id, SnapshotId=root_snapshot
    )

    # the image's mappings, the root made bigger by the request
    launched = running(
        ec2,
        ImageId=image_id,
        BlockDeviceMappings=[{"DeviceName": "/dev/sda1", "Ebs": {"VolumeSize": 20}}],
    )
    shown = volumes_of(ec2, launched)
    assert shown["/dev/sda1"]["Size"] == 20
    assert shown["/dev/sda1"]["SnapshotId"] == root_snapshot
    assert (shown["/dev/sdf"]["Size"], shown["/dev/sdf"]["VolumeType"]) == (12, "gp3")
    assert shown["/dev/sdf"]["SnapshotId"] == data_snapshot

    # NoDevice suppresses one of the image's mappings; a smaller root than the snapshot fails
    plain = running(
        ec2, ImageId=image_id, BlockDeviceMappings=[{"DeviceName": "/dev/sdf", "NoDevice": ""}]
    )
    assert list(volumes_of(ec2, plain)) == ["/dev/sda1"]
    assert volumes_of(ec2, plain)["/dev/sda1"]["Size"] == 8
    assert_error(
        ec2.run_instances,
        "InvalidBlockDeviceMapping",
        message="smaller than snapshot",
        ImageId=image_id,
        MinCount=1,
        MaxCount=1,
        BlockDeviceMappings=[{"DeviceName": "/dev/sda1", "Ebs": {"VolumeSize": 4}}],
    )

    # volumes made from them do not keep the snapshots: deregistering deletes both
    result = ec2.deregister_image(ImageId=image_id, DeleteAssociatedSnapshots=True)
    outcomes = {r["SnapshotId"]: r["ReturnCode"] for r in result["DeleteSnapshotResults"]}
    assert outcomes == {root_snapshot: "success", data_snapshot: "success"}
    assert_error(ec2.describe_snapshots, "InvalidSnapshot.NotFound", SnapshotIds=[root_snapshot])


def test_copy_image_snapshots_are_ebs_snapshots(ec2: Any) -> None:
    source = running(ec2)
    image_id = ec2.create_image(InstanceId=source, Name="original")["ImageId"]
    available(ec2, image_id)
    copy_id = ec2.copy_image(SourceImageId=image_id, SourceRegion="eu-west-1", Name="copy")[
        "ImageId"
    ]
    copied = image(ec2, copy_id)["BlockDeviceMappings"][0]["Ebs"]["SnapshotId"]
    shown = snapshot(ec2, copied)
    assert shown["OwnerId"] == "123456789012"
    assert copy_id in shown["Description"]
    ec2.get_waiter("snapshot_completed").wait(SnapshotIds=[copied], WaiterConfig=WAITER)
    assert copied in {
        s["SnapshotId"] for s in ec2.describe_snapshots(OwnerIds=["self"])["Snapshots"]
    }
    assert_error(ec2.delete_snapshot, "InvalidSnapshot.InUse", message=copy_id, SnapshotId=copied)
    available(ec2, copy_id)
    ec2.deregister_image(ImageId=copy_id)
    ec2.delete_snapshot(SnapshotId=copied)
    assert_error(ec2.describe_snapshots, "InvalidSnapshot.NotFound", SnapshotIds=[copied])


def test_register_image_from_a_snapshot_then_launch(ec2: Any) -> None:
    snapshot_id = new_snapshot(ec2, size=10)
    image_id = ec2.register_image(
        Name="from-snapshot",
        Architecture="x86_64",
        RootDeviceName="/dev/xvda",
        BlockDeviceMappings=[
            {"DeviceName": "/dev/xvda", "Ebs": {"SnapshotId": snapshot_id, "VolumeType": "gp3"}}
        ],
    )["ImageId"]
    assert_error(
        ec2.register_image,
        "InvalidBlockDeviceMapping",
        message="smaller than snapshot",
        Name="too-small",
        RootDeviceName="/dev/xvda",
        BlockDeviceMappings=[
            {"DeviceName": "/dev/xvda", "Ebs": {"SnapshotId": snapshot_id, "VolumeSize": 4}}
        ],
    )
    available(ec2, image_id)
    launched = running(ec2, ImageId=image_id)
    (root,) = volumes_of(ec2, launched).items()
    assert root[0] == "/dev/xvda"
    assert (root[1]["Size"], root[1]["VolumeType"]) == (10, "gp3")
    assert (root[1]["Iops"], root[1]["Throughput"]) == (3000, 125)
    assert root[1]["SnapshotId"] == snapshot_id
    assert_error(ec2.delete_snapshot, "InvalidSnapshot.InUse", SnapshotId=snapshot_id)
    ec2.deregister_image(ImageId=image_id)
    ec2.delete_snapshot(SnapshotId=snapshot_id)


def test_launch_mapping_with_a_snapshot(ec2: Any, env: Any) -> None:
    snapshot_id = new_snapshot(ec2, size=10)

    def mapping(**ebs: Any) -> list[dict[str, Any]]:
        return [{"DeviceName": "/dev/sdf", "Ebs": {"SnapshotId": snapshot_id, **ebs}}]

    def fails(code: str, message: str | None = None, **kw: Any) -> None:
        kw.setdefault("BlockDeviceMappings", mapping())
        assert_error(
            ec2.run_instances,
            code,
            message=message,
            MinCount=1,
            MaxCount=1,
            **{"ImageId": "ami-0abcdef1234567890", **kw},
        )

    same = running(ec2, BlockDeviceMappings=mapping())
    assert volumes_of(ec2, same)["/dev/sdf"]["Size"] == 10
    assert volumes_of(ec2, same)["/dev/sdf"]["SnapshotId"] == snapshot_id
    bigger = running(ec2, BlockDeviceMappings=mapping(VolumeSize=30, VolumeType="gp3"))
    assert volumes_of(ec2, bigger)["/dev/sdf"]["Size"] == 30
    fails(
        "InvalidBlockDeviceMapping",
        "expect size >= 10GB",
        BlockDeviceMappings=mapping(VolumeSize=5),
    )
    # the refusal comes before DryRun's answer
    fails("InvalidBlockDeviceMapping", BlockDeviceMappings=mapping(VolumeSize=5), DryRun=True)
    fails(
        "InvalidSnapshot.NotFound",
        BlockDeviceMappings=[
            {"DeviceName": "/dev/sdf", "Ebs": {"SnapshotId": "snap-0123456789abcdef0"}}
        ],
    )
    fails(
        "InvalidSnapshotID.Malformed",
        BlockDeviceMappings=[{"DeviceName": "/dev/sdf", "Ebs": {"SnapshotId": "snap-xyz"}}],
    )
    fails(
        "InvalidParameterValue",
        "too high",
        BlockDeviceMappings=mapping(VolumeType="gp3", Iops=6000),
    )
    fails("InvalidParameterValue", "too small", BlockDeviceMappings=mapping(VolumeType="st1"))

    # an encrypted snapshot makes an encrypted volume with its key; another account's snapshot
    # shared with this one restores too
    secret = new_snapshot(ec2, size=10, Encrypted=True, KmsKeyId=KEY)
    sealed = running(
        ec2, BlockDeviceMappings=[{"DeviceName": "/dev/sdf", "Ebs": {"SnapshotId": secret}}]
    )
    shown = volumes_of(ec2, sealed)["/dev/sdf"]
    assert (shown["Encrypted"], shown["KmsKeyId"]) == (True, KEY)
    other = other_client(env)
    theirs = new_snapshot(other, size=6)
    fails(
        "InvalidSnapshot.NotFound",
        BlockDeviceMappings=[{"DeviceName": "/dev/sdf", "Ebs": {"SnapshotId": theirs}}],
    )
    other.modify_snapshot_attribute(
        SnapshotId=theirs,
        Attribute="createVolumePermission",
        OperationType="add",
        UserIds=["123456789012"],
    )
    restored = running(
        ec2, BlockDeviceMappings=[{"DeviceName": "/dev/sdf", "Ebs": {"SnapshotId": theirs}}]
    )
    assert volumes_of(ec2, restored)["/dev/sdf"]["SnapshotId"] == theirs


def test_encryption_by_default_covers_launch_volumes(ec2: Any) -> None:
    ec2.enable_ebs_encryption_by_default()
    ec2.modify_ebs_default_kms_key_id(KmsKeyId=KEY)
    launched = running(
        ec2, BlockDeviceMappings=[{"DeviceName": "/dev/sdf", "Ebs": {"VolumeSize": 5}}]
    )
    for shown in volumes_of(ec2, launched).values():
        assert (shown["Encrypted"], shown["KmsKeyId"]) == (True, KEY)


def test_public_image_root_volume_names_amazons_snapshot(ec2: Any) -> None:
    found = ec2.describe_images(
        Owners=["amazon"], Filters=[{"Name": "name", "Values": ["al2023-ami-2023.*-x86_64"]}]
    )["Images"]
    public = max(found, key=lambda i: i["CreationDate"])
    root = next(
        d for d in public["BlockDeviceMappings"] if d["DeviceName"] == public["RootDeviceName"]
    )["Ebs"]
    launched = running(ec2, ImageId=public["ImageId"], InstanceType="t3.micro")
    volume = volumes_of(ec2, launched)[public["RootDeviceName"]]
    assert volume["SnapshotId"] == root["SnapshotId"]
    assert (volume["Size"], volume["VolumeType"]) == (root["VolumeSize"], root["VolumeType"])
    # Amazon's AMI snapshots are not public: DescribeSnapshots shows none of them
    assert ec2.describe_snapshots(OwnerIds=["amazon"])["Snapshots"] == []
    assert_error(
        ec2.describe_snapshots, "InvalidSnapshot.NotFound", SnapshotIds=[root["SnapshotId"]]
    )
    bigger = running(
        ec2,
        ImageId=public["ImageId"],
        InstanceType="t3.micro",
        BlockDeviceMappings=[
            {"DeviceName": public["RootDeviceName"], "Ebs": {"VolumeSize": 30, "VolumeType": "gp3"}}
        ],
    )
    volume = volumes_of(ec2, bigger)[public["RootDeviceName"]]
    assert (volume["Size"], volume["VolumeType"], volume["SnapshotId"]) == (
        30,
        "gp3",
        root["SnapshotId"],
    )


def test_replace_root_volume_from_an_image(ec2: Any) -> None:
    builder = running(
        ec2, BlockDeviceMappings=[{"DeviceName": "/dev/sda1", "Ebs": {"VolumeSize": 12}}]
    )
    image_id = ec2.create_image(InstanceId=builder, Name="golden")["ImageId"]
    target = running(ec2)
    available(ec2, image_id)
    image_snapshot = image(ec2, image_id)["BlockDeviceMappings"][0]["Ebs"]["SnapshotId"]
    assert_error(
        ec2.create_replace_root_volume_task,
        "InvalidAMIID.NotFound",
        InstanceId=target,
        ImageId="ami-0123456789abcdef0",
    )
    assert_error(
        ec2.create_replace_root_volume_task,
        "InvalidParameterCombination",
        InstanceId=target,
        ImageId=image_id,
        SnapshotId=image_snapshot,
    )
    arm = ec2.register_image(
        Name="arm",
        Architecture="arm64",
        RootDeviceName="/dev/sda1",
        BlockDeviceMappings=[{"DeviceName": "/dev/sda1", "Ebs": {"SnapshotId": image_snapshot}}],
    )["ImageId"]
    available(ec2, arm)
    assert_error(
        ec2.create_replace_root_volume_task,
        "InvalidParameterValue",
        message="architecture",
        InstanceId=target,
        ImageId=arm,
    )
    assert_error(
        ec2.create_replace_root_volume_task,
        "DryRunOperation",
        412,
        InstanceId=target,
        ImageId=image_id,
        DryRun=True,
    )
    old_root = volumes_of(ec2, target)["/dev/sda1"]["VolumeId"]
    task = ec2.create_replace_root_volume_task(
        InstanceId=target, ImageId=image_id, VolumeInitializationRate=150
    )["ReplaceRootVolumeTask"]
    assert task["ImageId"] == image_id
    task_id = task["ReplaceRootVolumeTaskId"]

    def state() -> str:
        found = ec2.describe_replace_root_volume_tasks(ReplaceRootVolumeTaskIds=[task_id])
        return str(found["ReplaceRootVolumeTasks"][0]["TaskState"])

    assert state() == "in-progress"
    assert state() == "succeeded"
    new_root = volumes_of(ec2, target)["/dev/sda1"]
    assert new_root["VolumeId"] != old_root
    assert (new_root["Size"], new_root["SnapshotId"]) == (12, image_snapshot)
    assert new_root["VolumeInitializationRate"] == 150
    # the replaced root stays, detached, unless DeleteReplacedRootVolume said otherwise
    assert ec2.describe_volumes(VolumeIds=[old_root])["Volumes"][0]["State"] == "available"


def test_managed_volumes_follow_the_accounts_visibility(ec2: Any) -> None:
    managed = ec2.create_volume(
        AvailabilityZone=ZONE, Size=5, Operator={"Principal": "eks.amazonaws.com"}
    )["VolumeId"]
    plain = ec2.create_volume(AvailabilityZone=ZONE, Size=5)["VolumeId"]

    def listed(**kw: Any) -> set[str]:
        return {v["VolumeId"] for v in ec2.describe_volumes(**kw)["Volumes"]}

    assert ec2.get_managed_resource_visibility()["Visibility"]["DefaultVisibility"] == "hidden"
    assert listed() == {plain}
    assert listed(IncludeManagedResources=True) == {plain, managed}
    assert listed(VolumeIds=[managed]) == {managed}
    ec2.modify_managed_resource_visibility(DefaultVisibility="visible")
    assert listed() == {plain, managed}


def test_pending_snapshots_and_images_are_refused(ec2: Any, env: Any, ec2_options: Any) -> None:
    ec2_options(transition_delay=10)
    volume_id = ec2.create_volume(AvailabilityZone=ZONE, Size=10)["VolumeId"]
    instance_id = launch(ec2)[0]["InstanceId"]
    env.clock.advance(11)
    pending = ec2.create_snapshot(VolumeId=volume_id)["SnapshotId"]
    assert_error(
        ec2.run_instances,
        "IncorrectState",
        ImageId="ami-0abcdef1234567890",
        MinCount=1,
        MaxCount=1,
        BlockDeviceMappings=[{"DeviceName": "/dev/sdf", "Ebs": {"SnapshotId": pending}}],
    )
    image_id = ec2.create_image(InstanceId=instance_id, Name="not-yet")["ImageId"]
    assert_error(
        ec2.create_replace_root_volume_task,
        "InvalidAMIID.Unavailable",
        InstanceId=instance_id,
        ImageId=image_id,
    )
