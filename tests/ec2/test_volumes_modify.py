"""ModifyVolume and its modifications, volume status, volume attributes, the Recycle Bin."""

from __future__ import annotations

from typing import Any

import pytest

from tests.ec2.ec2_helpers import assert_error
from tests.ec2.test_volumes import WAITER, ZONE, new_volume, running, volume


def modification(ec2: Any, volume_id: str) -> dict[str, Any]:
    found = ec2.describe_volumes_modifications(VolumeIds=[volume_id])["VolumesModifications"]
    assert len(found) == 1
    return found[0]


def test_modify_volume_states_on_the_clock(ec2: Any, env: Any) -> None:
    volume_id = new_volume(ec2, Size=10)
    assert_error(
        ec2.modify_volume, "DryRunOperation", 412, VolumeId=volume_id, Size=20, DryRun=True
    )
    assert_error(
        ec2.describe_volumes_modifications,
        "InvalidVolumeModification.NotFound",
        VolumeIds=[volume_id],
    )
    started = ec2.modify_volume(VolumeId=volume_id, Size=20, VolumeType="gp3")
    change = started["VolumeModification"]
    assert change["ModificationState"] == "modifying"
    assert (change["OriginalSize"], change["TargetSize"]) == (10, 20)
    assert (change["OriginalVolumeType"], change["TargetVolumeType"]) == ("gp2", "gp3")
    assert (change["OriginalIops"], change["TargetIops"]) == (100, 3000)
    assert change["TargetThroughput"] == 125
    assert modification(ec2, volume_id)["ModificationState"] == "optimizing"
    shown = volume(ec2, volume_id)
    assert (shown["Size"], shown["VolumeType"], shown["Iops"]) == (20, "gp3", 3000)
    assert_error(ec2.modify_volume, "IncorrectModificationState", VolumeId=volume_id, Size=30)
    env.clock.advance(5)
    done = modification(ec2, volume_id)
    assert done["ModificationState"] == "completed"
    assert done["Progress"] == 100 and "EndTime" in done


def test_modify_volume_refusals_and_rate(ec2: Any, env: Any) -> None:
    volume_id = new_volume(ec2, Size=10, VolumeType="gp3")
    assert_error(
        ec2.modify_volume, "InvalidParameterValue", message="smaller", VolumeId=volume_id, Size=5
    )
    assert_error(ec2.modify_volume, "MissingParameter", VolumeId=volume_id)
    assert_error(
        ec2.modify_volume,
        "InvalidParameterCombination",
        VolumeId=volume_id,
        VolumeType="gp2",
        Iops=3000,
    )
    assert_error(
        ec2.modify_volume,
        "InvalidParameterCombination",
        VolumeId=volume_id,
        MultiAttachEnabled=True,
    )
    assert_error(
        ec2.modify_volume, "InvalidVolume.NotFound", VolumeId="vol-0123456789abcdef0", Size=9
    )
    for size in (11, 12, 13, 14):
        ec2.modify_volume(VolumeId=volume_id, Size=size)
        ec2.describe_volumes()  # optimizing, then completed a moment later
        env.clock.advance(5)
    assert_error(ec2.modify_volume, "VolumeModificationRateExceeded", VolumeId=volume_id, Size=15)
    env.clock.advance(24 * 3600)
    ec2.modify_volume(VolumeId=volume_id, Size=15, Iops=4000, Throughput=250)
    shown = volume(ec2, volume_id)
    assert (shown["Size"], shown["Iops"], shown["Throughput"]) == (15, 4000, 250)


def test_describe_volumes_modifications_filters(ec2: Any, env: Any) -> None:
    grown = new_volume(ec2, Size=10)
    retyped = new_volume(ec2, Size=10, VolumeType="io1", Iops=100)
    untouched = new_volume(ec2, Size=10)
    ec2.modify_volume(VolumeId=grown, Size=50)
    ec2.modify_volume(VolumeId=retyped, VolumeType="io2", Iops=500)

    def ids(name: str, *values: str) -> set[str]:
        found = ec2.describe_volumes_modifications(Filters=[{"Name": name, "Values": list(values)}])
        return {m["VolumeId"] for m in found["VolumesModifications"]}

    assert ids("volume-id", grown) == {grown}
    assert ids("modification-state", "optimizing") == {grown, retyped}
    assert ids("original-size", "10") == {grown, retyped}
    assert ids("target-size", "50") == {grown}
    assert ids("original-volume-type", "io1") == {retyped}
    assert ids("target-volume-type", "io2") == {retyped}
    assert ids("original-iops", "100") == {grown, retyped}
    assert ids("target-iops", "500") == {retyped}
    assert ids("originalMultiAttachEnabled", "false") == {grown, retyped}
    assert ids("targetMultiAttachEnabled", "false") == {grown, retyped}
    assert ids("start-time", "*") == {grown, retyped}
    env.clock.advance(5)
    assert ids("modification-state", "completed") == {grown, retyped}
    assert untouched not in ids("volume-id", untouched)


def test_describe_volume_status(ec2: Any) -> None:
    instance_id = running(ec2)
    plain = new_volume(ec2)
    provisioned = new_volume(ec2, AvailabilityZone="eu-west-1b", VolumeType="io1", Iops=100)
    ec2.attach_volume(VolumeId=plain, InstanceId=instance_id, Device="/dev/sdf")
    statuses = {
        s["VolumeId"]: s
        for s in ec2.describe_volume_status(VolumeIds=[plain, provisioned])["VolumeStatuses"]
    }
    assert statuses[plain]["VolumeStatus"]["Status"] == "ok"
    assert statuses[plain]["AttachmentStatuses"] == [
        {"InstanceId": instance_id, "IoPerformance": "not-applicable"}
    ]
    assert {d["Name"] for d in statuses[plain]["VolumeStatus"]["Details"]} == {
        "io-enabled",
        "io-performance",
    }

    def ids(name: str, *values: str) -> set[str]:
        found = ec2.describe_volume_status(Filters=[{"Name": name, "Values": list(values)}])
        return {s["VolumeId"] for s in found["VolumeStatuses"]}

    root_and_plain = ids("attachment-status.instance-id", instance_id)
    assert plain in root_and_plain and provisioned not in root_and_plain
    assert ids("attachment-status.io-performance", "normal") == set()
    assert ids("availability-zone", "eu-west-1b") == {provisioned}
    assert ids("volume-status.status", "ok") >= {plain, provisioned}
    assert ids("volume-status.details-name", "io-performance") >= {plain, provisioned}
    assert ids("volume-status.details-status", "normal") == {provisioned}
    for name in (
        "action.code",
        "action.description",
        "action.event-id",
        "event.description",
        "event.event-id",
        "event.event-type",
        "event.not-after",
        "event.not-before",
    ):
        assert ids(name, "*") == set()
    page = ec2.describe_volume_status(MaxResults=5)
    assert len(page["VolumeStatuses"]) == 3 and "NextToken" not in page
    assert_error(ec2.describe_volume_status, "InvalidParameterValue", MaxResults=2)


def test_volume_attributes(ec2: Any) -> None:
    volume_id = new_volume(ec2)
    shown = ec2.describe_volume_attribute(VolumeId=volume_id, Attribute="autoEnableIO")
    assert shown["AutoEnableIO"] == {"Value": False}
    assert_error(
        ec2.modify_volume_attribute,
        "DryRunOperation",
        412,
        VolumeId=volume_id,
        AutoEnableIO={"Value": True},
        DryRun=True,
    )
    ec2.modify_volume_attribute(VolumeId=volume_id, AutoEnableIO={"Value": True})
    shown = ec2.describe_volume_attribute(VolumeId=volume_id, Attribute="autoEnableIO")
    assert shown["AutoEnableIO"] == {"Value": True}
    codes = ec2.describe_volume_attribute(VolumeId=volume_id, Attribute="productCodes")
    assert codes["ProductCodes"] == []
    assert_error(
        ec2.describe_volume_attribute,
        "InvalidParameterValue",
        VolumeId=volume_id,
        Attribute="size",
    )
    assert_error(ec2.modify_volume_attribute, "MissingParameter", VolumeId=volume_id)
    assert_error(ec2.enable_volume_io, "DryRunOperation", 412, VolumeId=volume_id, DryRun=True)
    ec2.enable_volume_io(VolumeId=volume_id)
    assert_error(ec2.enable_volume_io, "InvalidVolume.NotFound", VolumeId="vol-0123456789abcdef0")


@pytest.mark.parametrize("dry_run", [False, True])
def test_encryption_settings_dry_run(ec2: Any, dry_run: bool) -> None:
    key = "alias/mine"
    if dry_run:
        for call, kw in (
            (ec2.disable_ebs_encryption_by_default, {}),
            (ec2.modify_ebs_default_kms_key_id, {"KmsKeyId": key}),
            (ec2.reset_ebs_default_kms_key_id, {}),
        ):
            assert_error(call, "DryRunOperation", 412, DryRun=True, **kw)
        assert ec2.get_ebs_default_kms_key_id()["KmsKeyId"].endswith(":alias/aws/ebs")
    else:
        assert ec2.modify_ebs_default_kms_key_id(KmsKeyId=key)["KmsKeyId"].endswith(":alias/mine")
        assert_error(ec2.modify_ebs_default_kms_key_id, "InvalidKmsKey.Malformed", KmsKeyId="x")


def test_recycle_bin_keeps_no_volume(ec2: Any) -> None:
    volume_id = new_volume(ec2)
    ec2.delete_volume(VolumeId=volume_id)
    ec2.get_waiter("volume_deleted").wait(VolumeIds=[volume_id], WaiterConfig=WAITER)
    # no Recycle Bin retention rule exists, so deleted volumes are gone for good
    assert ec2.list_volumes_in_recycle_bin()["Volumes"] == []
    assert_error(ec2.restore_volume_from_recycle_bin, "InvalidVolume.NotFound", VolumeId=volume_id)
    assert ZONE
