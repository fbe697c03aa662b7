"""EBS snapshots through boto3: create, restore, copy, share, delete, describe."""

from __future__ import annotations

from typing import Any

import pytest

from tests.ec2.ec2_helpers import assert_error, instance
from tests.ec2.test_volumes import WAITER, ZONE, new_volume, running, volume

OTHER = "111122223333"


def account_of(ec2: Any) -> str:
    return str(ec2.describe_security_groups()["SecurityGroups"][0]["OwnerId"])


def new_snapshot(ec2: Any, volume_id: str | None = None, **kw: Any) -> str:
    snapshot_id = ec2.create_snapshot(VolumeId=volume_id or new_volume(ec2), **kw)["SnapshotId"]
    ec2.get_waiter("snapshot_completed").wait(SnapshotIds=[snapshot_id], WaiterConfig=WAITER)
    return snapshot_id


def snapshot(ec2: Any, snapshot_id: str) -> dict[str, Any]:
    return ec2.describe_snapshots(SnapshotIds=[snapshot_id])["Snapshots"][0]


def test_snapshot_restore_bigger_in_another_zone_and_attach(ec2: Any) -> None:
    source = new_volume(ec2, Size=8, VolumeType="gp3")
    created = ec2.create_snapshot(
        VolumeId=source,
        Description="nightly",
        TagSpecifications=[{"ResourceType": "snapshot", "Tags": [{"Key": "t", "Value": "1"}]}],
    )
    assert created["State"] == "pending"
    assert created["VolumeId"] == source and created["VolumeSize"] == 8
    assert created["Description"] == "nightly"
    assert created["OwnerId"] == account_of(ec2)
    assert created["Tags"] == [{"Key": "t", "Value": "1"}]
    snapshot_id = created["SnapshotId"]
    ec2.get_waiter("snapshot_completed").wait(SnapshotIds=[snapshot_id], WaiterConfig=WAITER)
    done = snapshot(ec2, snapshot_id)
    assert (done["State"], done["Progress"]) == ("completed", "100%")

    assert_error(
        ec2.create_volume,
        "InvalidParameterValue",
        AvailabilityZone="eu-west-1b",
        SnapshotId=snapshot_id,
        Size=4,
    )
    restored = ec2.create_volume(AvailabilityZone="eu-west-1b", SnapshotId=snapshot_id, Size=30)
    assert restored["SnapshotId"] == snapshot_id and restored["Size"] == 30
    same_size = ec2.create_volume(AvailabilityZone="eu-west-1b", SnapshotId=snapshot_id)
    assert same_size["Size"] == 8
    ec2.get_waiter("volume_available").wait(VolumeIds=[restored["VolumeId"]], WaiterConfig=WAITER)
    there = running(ec2, "eu-west-1b")
    ec2.attach_volume(VolumeId=restored["VolumeId"], InstanceId=there, Device="/dev/sdf")
    ec2.get_waiter("volume_in_use").wait(VolumeIds=[restored["VolumeId"]], WaiterConfig=WAITER)
    mapped = {
        m["DeviceName"]: m["Ebs"]["VolumeId"] for m in instance(ec2, there)["BlockDeviceMappings"]
    }
    assert mapped["/dev/sdf"] == restored["VolumeId"]
    found = ec2.describe_volumes(Filters=[{"Name": "snapshot-id", "Values": [snapshot_id]}])
    assert {v["VolumeId"] for v in found["Volumes"]} == {
        restored["VolumeId"],
        same_size["VolumeId"],
    }


def test_create_snapshot_refusals_and_dry_run(ec2: Any) -> None:
    volume_id = new_volume(ec2)
    assert_error(ec2.create_snapshot, "DryRunOperation", 412, VolumeId=volume_id, DryRun=True)
    assert ec2.describe_snapshots(OwnerIds=["self"])["Snapshots"] == []
    assert_error(ec2.create_snapshot, "InvalidVolume.NotFound", VolumeId="vol-0123456789abcdef0")
    assert_error(
        ec2.create_snapshot,
        "InvalidParameterValue",
        VolumeId=volume_id,
        TagSpecifications=[{"ResourceType": "volume", "Tags": [{"Key": "a", "Value": "b"}]}],
    )


def test_pending_snapshot_cannot_make_a_volume(ec2: Any, env: Any, ec2_options: Any) -> None:
    ec2_options(transition_delay=10)
    volume_id = ec2.create_volume(AvailabilityZone=ZONE, Size=1)["VolumeId"]
    env.clock.advance(11)
    pending = ec2.create_snapshot(VolumeId=volume_id)["SnapshotId"]
    assert snapshot(ec2, pending)["State"] == "pending"
    assert_error(ec2.create_volume, "IncorrectState", AvailabilityZone=ZONE, SnapshotId=pending)
    env.clock.advance(11)
    assert snapshot(ec2, pending)["State"] == "completed"
    assert ec2.create_volume(AvailabilityZone=ZONE, SnapshotId=pending)["Size"] == 1


def test_encrypted_snapshot_gives_encrypted_volumes(ec2: Any) -> None:
    key = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    source = new_volume(ec2, Encrypted=True, KmsKeyId=key)
    snapshot_id = new_snapshot(ec2, source)
    shown = snapshot(ec2, snapshot_id)
    assert shown["Encrypted"] is True and shown["KmsKeyId"] == key
    restored = ec2.create_volume(AvailabilityZone=ZONE, SnapshotId=snapshot_id)
    assert restored["Encrypted"] is True and restored["KmsKeyId"] == key


def test_create_snapshots_of_an_instance(ec2: Any) -> None:
    instance_id = running(ec2)
    root = instance(ec2, instance_id)["BlockDeviceMappings"][0]["Ebs"]["VolumeId"]
    data = new_volume(
        ec2,
        TagSpecifications=[{"ResourceType": "volume", "Tags": [{"Key": "role", "Value": "db"}]}],
    )
    extra = new_volume(ec2)
    ec2.attach_volume(VolumeId=data, InstanceId=instance_id, Device="/dev/sdf")
    ec2.attach_volume(VolumeId=extra, InstanceId=instance_id, Device="/dev/sdg")
    spec = {"InstanceId": instance_id}
    assert_error(
        ec2.create_snapshots, "DryRunOperation", 412, InstanceSpecification=spec, DryRun=True
    )
    everything = ec2.create_snapshots(InstanceSpecification=spec, Description="all")["Snapshots"]
    assert {s["VolumeId"] for s in everything} == {root, data, extra}
    some = ec2.create_snapshots(
        InstanceSpecification={
            "InstanceId": instance_id,
            "ExcludeBootVolume": True,
            "ExcludeDataVolumeIds": [extra],
        },
        CopyTagsFromSource="volume",
        TagSpecifications=[{"ResourceType": "snapshot", "Tags": [{"Key": "k", "Value": "v"}]}],
    )["Snapshots"]
    assert [s["VolumeId"] for s in some] == [data]
    assert {(t["Key"], t["Value"]) for t in some[0]["Tags"]} == {("role", "db"), ("k", "v")}
    assert_error(
        ec2.create_snapshots,
        "InvalidParameterValue",
        InstanceSpecification={
            "InstanceId": instance_id,
            "ExcludeDataVolumeIds": [new_volume(ec2)],
        },
    )
    assert_error(
        ec2.create_snapshots,
        "InvalidInstanceID.NotFound",
        InstanceSpecification={"InstanceId": "i-0123456789abcdef0"},
    )


def test_delete_snapshot(ec2: Any) -> None:
    snapshot_id = new_snapshot(ec2)
    assert_error(ec2.delete_snapshot, "DryRunOperation", 412, SnapshotId=snapshot_id, DryRun=True)
    ec2.delete_snapshot(SnapshotId=snapshot_id)
    assert_error(ec2.describe_snapshots, "InvalidSnapshot.NotFound", SnapshotIds=[snapshot_id])
    assert_error(ec2.delete_snapshot, "InvalidSnapshot.NotFound", SnapshotId=snapshot_id)
    assert_error(ec2.delete_snapshot, "InvalidSnapshotID.Malformed", SnapshotId="snap-1")
    # no Recycle Bin retention rule exists, so the snapshot is gone for good
    assert ec2.list_snapshots_in_recycle_bin()["Snapshots"] == []
    assert_error(
        ec2.restore_snapshot_from_recycle_bin, "InvalidSnapshot.NotFound", SnapshotId=snapshot_id
    )


# -- DescribeSnapshots


def test_describe_snapshots_filters(ec2: Any) -> None:
    big = new_volume(ec2, Size=20)
    first = new_snapshot(
        ec2,
        big,
        Description="first one",
        TagSpecifications=[{"ResourceType": "snapshot", "Tags": [{"Key": "k", "Value": "v"}]}],
    )
    second = new_snapshot(ec2, new_volume(ec2, Encrypted=True))
    account = account_of(ec2)

    def ids(name: str, *values: str) -> set[str]:
        found = ec2.describe_snapshots(Filters=[{"Name": name, "Values": list(values)}])
        return {s["SnapshotId"] for s in found["Snapshots"]}

    assert ids("description", "first*") == {first}
    assert ids("encrypted", "true") == {second}
    assert ids("owner-alias", "*") == set()
    assert ids("owner-id", account) == {first, second}
    assert ids("progress", "100%") == {first, second}
    assert ids("snapshot-id", first) == {first}
    assert ids("start-time", "*") == {first, second}
    assert ids("status", "completed") == {first, second}
    assert ids("storage-tier", "standard") == {first, second}
    assert ids("transfer-type", "standard") == {first, second}
    assert ids("volume-id", big) == {first}
    assert ids("volume-size", "20") == {first}
    assert ids("tag:k", "v") == {first}
    assert ids("tag-key", "k") == {first}
    assert_error(
        ec2.describe_snapshots, "InvalidParameterValue", Filters=[{"Name": "x", "Values": ["y"]}]
    )


def test_describe_snapshots_paging(ec2: Any) -> None:
    volume_id = new_volume(ec2)
    made = [ec2.create_snapshot(VolumeId=volume_id)["SnapshotId"] for _ in range(6)]
    first = ec2.describe_snapshots(OwnerIds=["self"], MaxResults=5)
    assert len(first["Snapshots"]) == 5
    rest = ec2.describe_snapshots(OwnerIds=["self"], MaxResults=5, NextToken=first["NextToken"])
    assert [s["SnapshotId"] for s in first["Snapshots"] + rest["Snapshots"]] == made
    assert "NextToken" not in rest
    assert len(ec2.describe_snapshots(MaxResults=5000)["Snapshots"]) == 6
    assert_error(ec2.describe_snapshots, "InvalidParameterValue", MaxResults=3)
    assert_error(
        ec2.describe_snapshots, "InvalidParameterCombination", SnapshotIds=made[:1], MaxResults=5
    )
    pages = ec2.get_paginator("describe_snapshots").paginate(PaginationConfig={"PageSize": 5})
    assert sum(len(p["Snapshots"]) for p in pages) == 6


# -- sharing


def test_share_snapshot_with_another_account(ec2: Any, env: Any) -> None:
    other = env.client(
        "ec2", region="eu-west-1", aws_access_key_id=OTHER, aws_secret_access_key="x"
    )
    snapshot_id = new_snapshot(ec2)
    assert other.describe_snapshots(OwnerIds=[account_of(ec2)])["Snapshots"] == []
    assert_error(
        other.create_volume,
        "InvalidSnapshot.NotFound",
        AvailabilityZone=ZONE,
        SnapshotId=snapshot_id,
    )
    assert_error(
        ec2.modify_snapshot_attribute,
        "DryRunOperation",
        412,
        SnapshotId=snapshot_id,
        Attribute="createVolumePermission",
        OperationType="add",
        UserIds=[OTHER],
        DryRun=True,
    )
    ec2.create_tags(Resources=[snapshot_id], Tags=[{"Key": "owner-only", "Value": "1"}])
    ec2.modify_snapshot_attribute(
        SnapshotId=snapshot_id,
        Attribute="createVolumePermission",
        OperationType="add",
        UserIds=[OTHER],
    )
    # the other account sees the snapshot, not the owner's tags
    assert "Tags" not in other.describe_snapshots(SnapshotIds=[snapshot_id])["Snapshots"][0]
    assert snapshot(ec2, snapshot_id)["Tags"] == [{"Key": "owner-only", "Value": "1"}]
    shown = ec2.describe_snapshot_attribute(
        SnapshotId=snapshot_id, Attribute="createVolumePermission"
    )
    assert shown["CreateVolumePermissions"] == [{"UserId": OTHER}]
    assert [
        s["SnapshotId"] for s in other.describe_snapshots(RestorableByUserIds=["self"])["Snapshots"]
    ] == [snapshot_id]
    assert other.describe_snapshots(OwnerIds=["self"])["Snapshots"] == []
    restored = other.create_volume(AvailabilityZone=ZONE, SnapshotId=snapshot_id)
    assert restored["SnapshotId"] == snapshot_id
    assert_error(other.delete_snapshot, "AuthFailure", SnapshotId=snapshot_id)

    ec2.modify_snapshot_attribute(
        SnapshotId=snapshot_id,
        CreateVolumePermission={"Remove": [{"UserId": OTHER}], "Add": [{"Group": "all"}]},
    )
    shown = ec2.describe_snapshot_attribute(
        SnapshotId=snapshot_id, Attribute="createVolumePermission"
    )
    assert shown["CreateVolumePermissions"] == [{"Group": "all"}]
    assert snapshot_id in {s["SnapshotId"] for s in other.describe_snapshots()["Snapshots"]}
    assert_error(
        ec2.reset_snapshot_attribute,
        "DryRunOperation",
        412,
        SnapshotId=snapshot_id,
        Attribute="createVolumePermission",
        DryRun=True,
    )
    ec2.reset_snapshot_attribute(SnapshotId=snapshot_id, Attribute="createVolumePermission")
    assert other.describe_snapshots()["Snapshots"] == []
    codes = ec2.describe_snapshot_attribute(SnapshotId=snapshot_id, Attribute="productCodes")
    assert codes["ProductCodes"] == []
    assert_error(
        ec2.describe_snapshot_attribute,
        "InvalidParameterValue",
        SnapshotId=snapshot_id,
        Attribute="size",
    )
    assert_error(
        ec2.modify_snapshot_attribute,
        "InvalidUserID.Malformed",
        SnapshotId=snapshot_id,
        OperationType="add",
        UserIds=["nobody"],
    )


def test_block_public_access(ec2: Any) -> None:
    snapshot_id = new_snapshot(ec2)
    assert ec2.get_snapshot_block_public_access_state()["State"] == "unblocked"
    assert_error(
        ec2.enable_snapshot_block_public_access,
        "DryRunOperation",
        412,
        State="block-new-sharing",
        DryRun=True,
    )
    assert ec2.get_snapshot_block_public_access_state()["State"] == "unblocked"
    assert (
        ec2.enable_snapshot_block_public_access(State="block-new-sharing")["State"]
        == "block-new-sharing"
    )
    assert_error(
        ec2.modify_snapshot_attribute,
        "OperationNotPermitted",
        SnapshotId=snapshot_id,
        OperationType="add",
        GroupNames=["all"],
    )
    assert_error(ec2.enable_snapshot_block_public_access, "InvalidParameterValue", State="x")
    assert ec2.disable_snapshot_block_public_access()["State"] == "unblocked"
    ec2.modify_snapshot_attribute(SnapshotId=snapshot_id, OperationType="add", GroupNames=["all"])


def test_copy_snapshot_across_regions(ec2: Any, env: Any) -> None:
    snapshot_id = new_snapshot(ec2, new_volume(ec2, Size=12), Description="src")
    east = env.client("ec2", region="us-east-1")
    assert_error(
        east.copy_snapshot,
        "DryRunOperation",
        412,
        SourceRegion="eu-west-1",
        SourceSnapshotId=snapshot_id,
        DryRun=True,
    )
    copied = east.copy_snapshot(
        SourceRegion="eu-west-1",
        SourceSnapshotId=snapshot_id,
        Encrypted=True,
        TagSpecifications=[{"ResourceType": "snapshot", "Tags": [{"Key": "c", "Value": "1"}]}],
    )
    assert copied["Tags"] == [{"Key": "c", "Value": "1"}]
    east.get_waiter("snapshot_completed").wait(
        SnapshotIds=[copied["SnapshotId"]], WaiterConfig=WAITER
    )
    shown = snapshot(east, copied["SnapshotId"])
    assert shown["VolumeSize"] == 12 and shown["Encrypted"] is True
    assert shown["KmsKeyId"].startswith("arn:aws:kms:us-east-1:")
    assert shown["Description"] == f"[Copied {snapshot_id} from eu-west-1]"
    # the copy lives in us-east-1 only
    assert_error(
        ec2.describe_snapshots, "InvalidSnapshot.NotFound", SnapshotIds=[copied["SnapshotId"]]
    )
    assert_error(
        east.copy_snapshot,
        "InvalidSnapshot.NotFound",
        SourceRegion="eu-west-2",
        SourceSnapshotId=snapshot_id,
    )
    local = ec2.copy_snapshot(
        SourceRegion="eu-west-1", SourceSnapshotId=snapshot_id, Description="again"
    )
    assert snapshot(ec2, local["SnapshotId"])["Description"] == "again"
    assert_error(
        ec2.copy_snapshot,
        "InvalidParameterDependency",
        SourceRegion="eu-west-1",
        SourceSnapshotId=snapshot_id,
        KmsKeyId="alias/x",
    )


@pytest.mark.parametrize("zone_key", ["AvailabilityZones", "AvailabilityZoneIds"])
def test_fast_snapshot_restores(ec2: Any, env: Any, zone_key: str) -> None:
    snapshot_id = new_snapshot(ec2)
    zone = (
        ZONE
        if zone_key == "AvailabilityZones"
        else volume(ec2, new_volume(ec2))["AvailabilityZoneId"]
    )
    assert_error(
        ec2.enable_fast_snapshot_restores,
        "DryRunOperation",
        412,
        SourceSnapshotIds=[snapshot_id],
        DryRun=True,
        **{zone_key: [zone]},
    )
    answer = ec2.enable_fast_snapshot_restores(
        SourceSnapshotIds=[snapshot_id, "snap-0123456789abcdef0"], **{zone_key: [zone]}
    )
    assert [(s["SnapshotId"], s["State"]) for s in answer["Successful"]] == [
        (snapshot_id, "enabling")
    ]
    assert answer["Unsuccessful"][0]["SnapshotId"] == "snap-0123456789abcdef0"
    error = answer["Unsuccessful"][0]["FastSnapshotRestoreStateErrors"][0]["Error"]
    assert error["Code"] == "InvalidSnapshot.NotFound"

    def states(name: str = "snapshot-id", value: str = snapshot_id) -> list[str]:
        found = ec2.describe_fast_snapshot_restores(Filters=[{"Name": name, "Values": [value]}])
        return [r["State"] for r in found["FastSnapshotRestores"]]

    assert states() == ["optimizing"]
    env.clock.advance(5)
    assert states() == ["enabled"]
    assert states("availability-zone", ZONE) == ["enabled"]
    assert states("availability-zone-id", volume(ec2, new_volume(ec2))["AvailabilityZoneId"]) == [
        "enabled"
    ]
    assert states("owner-id", account_of(ec2)) == ["enabled"]
    assert states("state", "enabled") == ["enabled"]
    restored = ec2.create_volume(AvailabilityZone=ZONE, SnapshotId=snapshot_id)
    assert restored["FastRestored"] is True
    elsewhere = ec2.create_volume(AvailabilityZone="eu-west-1b", SnapshotId=snapshot_id)
    assert "FastRestored" not in elsewhere

    assert_error(
        ec2.disable_fast_snapshot_restores,
        "DryRunOperation",
        412,
        SourceSnapshotIds=[snapshot_id],
        DryRun=True,
        **{zone_key: [zone]},
    )
    off = ec2.disable_fast_snapshot_restores(SourceSnapshotIds=[snapshot_id], **{zone_key: [zone]})
    assert off["Successful"][0]["State"] == "disabling"
    assert states() == []
    again = ec2.disable_fast_snapshot_restores(
        SourceSnapshotIds=[snapshot_id], **{zone_key: [zone]}
    )
    assert again["Successful"] == [] and again["Unsuccessful"][0]["SnapshotId"] == snapshot_id
