"""Snapshot archive tier, snapshot locks and snapshot imports through boto3."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from botocore.exceptions import WaiterError

from tests.ec2.ec2_helpers import assert_error
from tests.ec2.test_snapshots import new_snapshot, snapshot
from tests.ec2.test_volumes import ZONE, new_volume


def tier(ec2: Any, snapshot_id: str) -> dict[str, Any]:
    found = ec2.describe_snapshot_tier_status(
        Filters=[{"Name": "snapshot-id", "Values": [snapshot_id]}]
    )["SnapshotTierStatuses"]
    assert len(found) == 1
    return found[0]


def test_archive_and_restore(ec2: Any) -> None:
    volume_id = new_volume(ec2)
    snapshot_id = new_snapshot(ec2, volume_id)
    assert_error(
        ec2.modify_snapshot_tier,
        "DryRunOperation",
        412,
        SnapshotId=snapshot_id,
        StorageTier="archive",
        DryRun=True,
    )
    started = ec2.modify_snapshot_tier(SnapshotId=snapshot_id, StorageTier="archive")
    assert started["SnapshotId"] == snapshot_id and "TieringStartTime" in started
    status = tier(ec2, snapshot_id)
    assert status["LastTieringOperationStatus"] == "archival-completed"
    assert status["StorageTier"] == "archive" and status["VolumeId"] == volume_id
    assert snapshot(ec2, snapshot_id)["StorageTier"] == "archive"
    found = ec2.describe_snapshot_tier_status(
        Filters=[{"Name": "last-tiering-operation", "Values": ["archival-completed"]}]
    )["SnapshotTierStatuses"]
    assert [s["SnapshotId"] for s in found] == [snapshot_id]
    by_volume = ec2.describe_snapshot_tier_status(
        Filters=[{"Name": "volume-id", "Values": [volume_id]}]
    )["SnapshotTierStatuses"]
    assert [s["SnapshotId"] for s in by_volume] == [snapshot_id]
    assert_error(ec2.create_volume, "IncorrectState", AvailabilityZone=ZONE, SnapshotId=snapshot_id)
    assert_error(ec2.modify_snapshot_tier, "IncorrectState", SnapshotId=snapshot_id)

    assert_error(ec2.restore_snapshot_tier, "MissingParameter", SnapshotId=snapshot_id)
    assert_error(
        ec2.restore_snapshot_tier,
        "DryRunOperation",
        412,
        SnapshotId=snapshot_id,
        TemporaryRestoreDays=3,
        DryRun=True,
    )
    restored = ec2.restore_snapshot_tier(SnapshotId=snapshot_id, TemporaryRestoreDays=3)
    assert restored["RestoreDuration"] == 3 and restored["IsPermanentRestore"] is False
    status = tier(ec2, snapshot_id)
    assert status["LastTieringOperationStatus"] == "temporary-restore-completed"
    assert "RestoreExpiryTime" in snapshot(ec2, snapshot_id)
    assert ec2.create_volume(AvailabilityZone=ZONE, SnapshotId=snapshot_id)["VolumeId"]

    ec2.restore_snapshot_tier(SnapshotId=snapshot_id, PermanentRestore=True)
    assert snapshot(ec2, snapshot_id)["StorageTier"] == "standard"
    assert_error(
        ec2.restore_snapshot_tier, "IncorrectState", SnapshotId=snapshot_id, PermanentRestore=True
    )
    page = ec2.describe_snapshot_tier_status(MaxResults=5)
    assert len(page["SnapshotTierStatuses"]) == 1


def test_governance_lock(ec2: Any) -> None:
    snapshot_id = new_snapshot(ec2)
    assert_error(
        ec2.lock_snapshot,
        "DryRunOperation",
        412,
        SnapshotId=snapshot_id,
        LockMode="governance",
        LockDuration=1,
        DryRun=True,
    )
    assert ec2.describe_locked_snapshots()["Snapshots"] == []
    locked = ec2.lock_snapshot(SnapshotId=snapshot_id, LockMode="governance", LockDuration=2)
    assert locked["LockState"] == "governance" and locked["LockDuration"] == 2
    assert locked["LockExpiresOn"] - locked["LockCreatedOn"] == timedelta(days=2)
    assert_error(ec2.delete_snapshot, "SnapshotLocked", SnapshotId=snapshot_id)
    shown = ec2.describe_locked_snapshots(SnapshotIds=[snapshot_id])["Snapshots"]
    assert shown[0]["LockState"] == "governance"
    assert_error(ec2.unlock_snapshot, "DryRunOperation", 412, SnapshotId=snapshot_id, DryRun=True)
    assert ec2.unlock_snapshot(SnapshotId=snapshot_id)["SnapshotId"] == snapshot_id
    assert_error(ec2.unlock_snapshot, "SnapshotNotLocked", SnapshotId=snapshot_id)
    ec2.delete_snapshot(SnapshotId=snapshot_id)


def test_compliance_lock_and_cool_off(ec2: Any, env: Any) -> None:
    snapshot_id = new_snapshot(ec2)
    other = new_snapshot(ec2)
    assert_error(
        ec2.lock_snapshot,
        "InvalidParameterCombination",
        SnapshotId=snapshot_id,
        LockMode="governance",
        CoolOffPeriod=2,
        LockDuration=1,
    )
    assert_error(
        ec2.lock_snapshot,
        "InvalidParameterCombination",
        SnapshotId=snapshot_id,
        LockMode="compliance",
    )
    assert_error(
        ec2.lock_snapshot,
        "InvalidParameterValue",
        SnapshotId=snapshot_id,
        LockMode="compliance",
        LockDuration=1,
        CoolOffPeriod=100,
    )
    locked = ec2.lock_snapshot(
        SnapshotId=snapshot_id, LockMode="compliance", LockDuration=1, CoolOffPeriod=1
    )
    assert locked["LockState"] == "compliance-cooloff" and locked["CoolOffPeriod"] == 1
    until = datetime.now(timezone.utc) + timedelta(days=400)
    ec2.lock_snapshot(SnapshotId=other, LockMode="governance", ExpirationDate=until)

    def states(value: str) -> set[str]:
        found = ec2.describe_locked_snapshots(Filters=[{"Name": "lock-state", "Values": [value]}])
        return {s["SnapshotId"] for s in found["Snapshots"]}

    assert states("compliance-cooloff") == {snapshot_id}
    assert states("governance") == {other}
    env.clock.advance(2 * 3600)
    assert states("compliance") == {snapshot_id}
    assert_error(ec2.unlock_snapshot, "SnapshotLocked", SnapshotId=snapshot_id)
    assert_error(ec2.delete_snapshot, "SnapshotLocked", SnapshotId=snapshot_id)
    assert_error(
        ec2.lock_snapshot,
        "SnapshotLocked",
        SnapshotId=snapshot_id,
        LockMode="governance",
        LockDuration=5,
    )
    env.clock.advance(2 * 24 * 3600)
    assert states("expired") == {snapshot_id}
    ec2.delete_snapshot(SnapshotId=snapshot_id)
    page = ec2.describe_locked_snapshots(MaxResults=5)
    assert [s["SnapshotId"] for s in page["Snapshots"]] == [other]


def test_import_snapshot_checks_then_fails_without_s3(ec2: Any, env: Any) -> None:
    disk = {"Format": "VMDK", "UserBucket": {"S3Bucket": "images", "S3Key": "disk.vmdk"}}
    assert_error(ec2.import_snapshot, "InvalidParameter", message="vmimport", DiskContainer=disk)
    env.client("iam").create_role(
        RoleName="vmimport",
        AssumeRolePolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "vmie.amazonaws.com"},
                        "Action": "sts:AssumeRole",
                    }
                ],
            }
        ),
    )
    assert_error(
        ec2.import_snapshot,
        "InvalidParameterValue",
        DiskContainer={"Format": "ISO", "Url": "s3://images/disk.iso"},
    )
    assert_error(
        ec2.import_snapshot,
        "InvalidParameterCombination",
        DiskContainer={**disk, "Url": "s3://images/disk.vmdk"},
    )
    assert_error(ec2.import_snapshot, "DryRunOperation", 412, DiskContainer=disk, DryRun=True)
    started = ec2.import_snapshot(
        DiskContainer=disk,
        Description="import",
        ClientToken="imp-1",
        TagSpecifications=[
            {"ResourceType": "import-snapshot-task", "Tags": [{"Key": "k", "Value": "v"}]}
        ],
    )
    task_id = started["ImportTaskId"]
    assert task_id.startswith("import-snap-")
    assert started["SnapshotTaskDetail"]["Status"] == "active"
    assert started["SnapshotTaskDetail"]["UserBucket"] == disk["UserBucket"]
    assert ec2.import_snapshot(DiskContainer=disk, ClientToken="imp-1")["ImportTaskId"] == task_id
    with pytest.raises(WaiterError):
        ec2.get_waiter("snapshot_imported").wait(
            ImportTaskIds=[task_id], WaiterConfig={"Delay": 0, "MaxAttempts": 5}
        )
    task = ec2.describe_import_snapshot_tasks(ImportTaskIds=[task_id])["ImportSnapshotTasks"][0]
    assert task["SnapshotTaskDetail"]["Status"] == "error"
    assert "S3" in task["SnapshotTaskDetail"]["StatusMessage"]
    assert task["Tags"] == [{"Key": "k", "Value": "v"}]
    assert ec2.describe_snapshots(OwnerIds=["self"])["Snapshots"] == []
    assert_error(
        ec2.describe_import_snapshot_tasks,
        "InvalidParameterValue",
        Filters=[{"Name": "status", "Values": ["error"]}],
    )
