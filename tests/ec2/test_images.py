"""Images of one's own: CreateImage, RegisterImage, CopyImage, DeregisterImage, attributes, sharing."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any

import botocore.session
import pytest
from ec2_helpers import assert_error, launch
from images_helpers import OTHER, image, make_image, other_client, root_snapshot

from cloudmock.services.ec2.filters import documented_filters


def test_create_an_image_from_a_running_instance_and_launch_from_it(ec2: Any) -> None:
    instance = launch(ec2, InstanceType="t3.micro")[0]
    created = ec2.create_image(
        InstanceId=instance["InstanceId"],
        Name="web-server v1",
        Description="the web tier",
        NoReboot=True,
        TagSpecifications=[
            {"ResourceType": "image", "Tags": [{"Key": "app", "Value": "web"}]},
            {"ResourceType": "snapshot", "Tags": [{"Key": "app", "Value": "web-disk"}]},
        ],
    )
    image_id = created["ImageId"]
    assert re.fullmatch(r"ami-[0-9a-f]{17}", image_id)
    ec2.get_waiter("image_exists").wait(
        ImageIds=[image_id], WaiterConfig={"Delay": 0, "MaxAttempts": 5}
    )
    ec2.get_waiter("image_available").wait(
        ImageIds=[image_id], WaiterConfig={"Delay": 0, "MaxAttempts": 5}
    )
    shown = image(ec2, image_id)
    assert shown["State"] == "available"
    assert shown["Name"] == "web-server v1"
    assert shown["Description"] == "the web tier"
    assert shown["OwnerId"] == "123456789012"
    assert shown["Public"] is False
    assert shown["SourceInstanceId"] == instance["InstanceId"]
    assert shown["Architecture"] == "x86_64"
    assert shown["RootDeviceType"] == "ebs"
    assert shown["Tags"] == [{"Key": "app", "Value": "web"}]
    assert shown["DeregistrationProtection"] == "disabled"
    (root,) = shown["BlockDeviceMappings"]
    assert root["DeviceName"] == shown["RootDeviceName"]
    snapshot = root["Ebs"]["SnapshotId"]
    tags = ec2.describe_tags(Filters=[{"Name": "resource-id", "Values": [snapshot]}])["Tags"]
    assert [(t["Key"], t["Value"]) for t in tags] == [("app", "web-disk")]
    assert [i["ImageId"] for i in ec2.describe_images(Owners=["self"])["Images"]] == [image_id]
    relaunched = launch(ec2, ImageId=image_id, InstanceType="t3.micro")[0]
    assert relaunched["ImageId"] == image_id
    last = ec2.describe_image_attribute(ImageId=image_id, Attribute="lastLaunchedTime")
    assert last["LastLaunchedTime"]["Value"].endswith("Z")


def test_an_image_is_pending_until_the_transition_delay_passes(
    env: Any, ec2: Any, ec2_options: Any
) -> None:
    ec2_options(transition_delay=30)
    ec2 = env.client()
    instance_id = launch(ec2)[0]["InstanceId"]
    env.clock.advance(30)
    image_id = ec2.create_image(InstanceId=instance_id, Name="slow")["ImageId"]
    assert image(ec2, image_id)["State"] == "pending"
    assert_error(
        ec2.run_instances, "InvalidAMIID.Unavailable", ImageId=image_id, MinCount=1, MaxCount=1
    )
    env.clock.advance(30)
    assert image(ec2, image_id)["State"] == "available"


def test_create_image_overrides_and_errors(ec2: Any) -> None:
    instance_id = launch(ec2)[0]["InstanceId"]
    image_id = ec2.create_image(
        InstanceId=instance_id,
        Name="bigger",
        BootModeOverride="uefi",
        BlockDeviceMappings=[
            {"DeviceName": "/dev/sda1", "Ebs": {"VolumeSize": 20, "VolumeType": "gp3"}},
            {"DeviceName": "/dev/sdb", "VirtualName": "ephemeral0"},
            {"DeviceName": "/dev/sdc", "Ebs": {"VolumeSize": 5}},
        ],
    )["ImageId"]
    shown = image(ec2, image_id)
    assert shown["BootMode"] == "uefi"
    devices = {d["DeviceName"]: d for d in shown["BlockDeviceMappings"]}
    assert devices["/dev/sda1"]["Ebs"]["VolumeSize"] == 20
    assert devices["/dev/sda1"]["Ebs"]["VolumeType"] == "gp3"
    assert devices["/dev/sdb"]["VirtualName"] == "ephemeral0"
    assert devices["/dev/sdc"]["Ebs"]["VolumeSize"] == 5
    assert_error(
        ec2.create_image,
        "InvalidAMIName.Duplicate",
        message=image_id,
        InstanceId=instance_id,
        Name="bigger",
    )
    assert_error(
        ec2.create_image, "InvalidAMIName.Malformed", InstanceId=instance_id, Name="bad name!"
    )
    assert_error(
        ec2.create_image,
        "InvalidInstanceID.NotFound",
        InstanceId="i-0123456789abcdef0",
        Name="nothing",
    )
    ec2.terminate_instances(InstanceIds=[instance_id])
    assert_error(ec2.create_image, "IncorrectInstanceState", InstanceId=instance_id, Name="gone")


def test_register_an_image_from_a_snapshot(ec2: Any) -> None:
    snapshot = root_snapshot(ec2, make_image(ec2))
    image_id = ec2.register_image(
        Name="registered",
        Description="from a snapshot",
        Architecture="arm64",
        RootDeviceName="/dev/xvda",
        VirtualizationType="hvm",
        BootMode="uefi",
        TpmSupport="v2.0",
        UefiData="QUJD",
        ImdsSupport="v2.0",
        EnaSupport=True,
        SriovNetSupport="simple",
        BlockDeviceMappings=[
            {"DeviceName": "/dev/xvda", "Ebs": {"SnapshotId": snapshot, "VolumeType": "gp3"}},
        ],
        TagSpecifications=[{"ResourceType": "image", "Tags": [{"Key": "k", "Value": "v"}]}],
    )["ImageId"]
    ec2.get_waiter("image_available").wait(
        ImageIds=[image_id], WaiterConfig={"Delay": 0, "MaxAttempts": 5}
    )
    shown = image(ec2, image_id)
    assert shown["Architecture"] == "arm64"
    assert shown["RootDeviceName"] == "/dev/xvda"
    assert shown["BootMode"] == "uefi"
    assert shown["TpmSupport"] == "v2.0"
    assert shown["ImdsSupport"] == "v2.0"
    assert shown["EnaSupport"] is True
    assert shown["Tags"] == [{"Key": "k", "Value": "v"}]
    ebs = shown["BlockDeviceMappings"][0]["Ebs"]
    assert ebs["SnapshotId"] == snapshot
    assert ebs["VolumeSize"] == 8
    uefi = ec2.describe_image_attribute(ImageId=image_id, Attribute="uefiData")
    assert uefi["UefiData"] == {"Value": "QUJD"}
    # an arm64 image launches on an arm64 type only
    launch(ec2, ImageId=image_id, InstanceType="t4g.micro")
    assert_error(
        ec2.run_instances,
        "InvalidParameterValue",
        message="architecture 'x86_64' of the specified instance type does not match",
        ImageId=image_id,
        InstanceType="t3.micro",
        MinCount=1,
        MaxCount=1,
    )


def test_register_image_defaults_and_errors(ec2: Any) -> None:
    snapshot = root_snapshot(ec2, make_image(ec2))
    image_id = ec2.register_image(
        Name="plain",
        RootDeviceName="/dev/sda1",
        BlockDeviceMappings=[{"DeviceName": "/dev/sda1", "Ebs": {"SnapshotId": snapshot}}],
    )["ImageId"]
    shown = image(ec2, image_id)
    assert shown["Architecture"] == "x86_64"
    assert shown["VirtualizationType"] == "paravirtual"
    stored = ec2.register_image(Name="from-s3", ImageLocation="my-bucket/image.manifest.xml")
    shown = image(ec2, stored["ImageId"])
    assert shown["RootDeviceType"] == "instance-store"
    assert shown["ImageLocation"] == "my-bucket/image.manifest.xml"
    assert_error(
        ec2.register_image,
        "InvalidSnapshot.NotFound",
        Name="missing",
        RootDeviceName="/dev/sda1",
        BlockDeviceMappings=[
            {"DeviceName": "/dev/sda1", "Ebs": {"SnapshotId": "snap-0123456789abcdef0"}}
        ],
    )
    assert_error(
        ec2.register_image,
        "InvalidParameterValue",
        message="root device",
        Name="rootless",
        RootDeviceName="/dev/xvda",
        BlockDeviceMappings=[{"DeviceName": "/dev/sdf", "Ebs": {"SnapshotId": snapshot}}],
    )
    assert_error(
        ec2.register_image,
        "InvalidAMIName.Duplicate",
        Name="plain",
        RootDeviceName="/dev/sda1",
        BlockDeviceMappings=[{"DeviceName": "/dev/sda1", "Ebs": {"SnapshotId": snapshot}}],
    )
    assert_error(ec2.register_image, "MissingParameter", Name="nothing-at-all")


def test_copy_an_image_within_and_across_regions(env: Any, ec2: Any) -> None:
    source = make_image(
        ec2, TagSpecifications=[{"ResourceType": "image", "Tags": [{"Key": "team", "Value": "a"}]}]
    )
    copied = ec2.copy_image(
        Name="copy", SourceImageId=source, SourceRegion="eu-west-1", CopyImageTags=True
    )["ImageId"]
    shown = image(ec2, copied)
    assert shown["SourceImageId"] == source
    assert shown["SourceImageRegion"] == "eu-west-1"
    assert shown["Tags"] == [{"Key": "team", "Value": "a"}]
    assert root_snapshot(ec2, copied) != root_snapshot(ec2, source)
    virginia = env.client(region="us-east-1")
    far = virginia.copy_image(
        Name="far",
        SourceImageId=source,
        SourceRegion="eu-west-1",
        Encrypted=True,
        KmsKeyId="alias/my-key",
        ClientToken="once",
        Description="copied over",
    )["ImageId"]
    again = virginia.copy_image(
        Name="far", SourceImageId=source, SourceRegion="eu-west-1", ClientToken="once"
    )["ImageId"]
    assert again == far
    virginia.get_waiter("image_available").wait(
        ImageIds=[far], WaiterConfig={"Delay": 0, "MaxAttempts": 5}
    )
    shown = image(virginia, far)
    assert shown["Description"] == "copied over"
    assert shown["BlockDeviceMappings"][0]["Ebs"]["Encrypted"] is True
    assert shown["BlockDeviceMappings"][0]["Ebs"]["KmsKeyId"] == "alias/my-key"
    assert "Tags" not in shown
    # a public image is copied the same way
    public = ec2.describe_images(
        Owners=["amazon"], Filters=[{"Name": "name", "Values": ["al2023-ami-2023.*-arm64"]}]
    )["Images"][0]
    mine = ec2.copy_image(
        Name="my-al2023", SourceImageId=public["ImageId"], SourceRegion="eu-west-1"
    )
    assert image(ec2, mine["ImageId"])["Architecture"] == "arm64"
    assert_error(
        virginia.copy_image,
        "InvalidAMIID.NotFound",
        Name="none",
        SourceImageId="ami-0123456789abcdef0",
        SourceRegion="eu-west-1",
    )
    assert_error(
        ec2.copy_image,
        "InvalidParameterCombination",
        Name="kms",
        SourceImageId=source,
        SourceRegion="eu-west-1",
        KmsKeyId="alias/k",
    )


def test_copy_image_completion_duration_keeps_it_pending(env: Any, ec2: Any) -> None:
    source = make_image(ec2)
    copied = ec2.copy_image(
        Name="timed",
        SourceImageId=source,
        SourceRegion="eu-west-1",
        SnapshotCopyCompletionDurationMinutes=15,
    )["ImageId"]
    assert image(ec2, copied)["State"] == "pending"
    env.clock.advance(15 * 60)
    assert image(ec2, copied)["State"] == "available"


def test_deregister_image_and_its_snapshots(ec2: Any) -> None:
    image_id = make_image(ec2)
    snapshot = root_snapshot(ec2, image_id)
    result = ec2.deregister_image(ImageId=image_id, DeleteAssociatedSnapshots=True)
    assert result["Return"] is True
    assert result["DeleteSnapshotResults"] == [{"SnapshotId": snapshot, "ReturnCode": "success"}]
    assert_error(ec2.describe_images, "InvalidAMIID.NotFound", ImageIds=[image_id])
    assert ec2.describe_images(Owners=["self"])["Images"] == []
    assert_error(ec2.deregister_image, "InvalidAMIID.NotFound", ImageId=image_id)
    # a snapshot another image still uses is kept
    kept = make_image(ec2, "kept")
    shared_snapshot = root_snapshot(ec2, kept)
    twin = ec2.register_image(
        Name="twin",
        RootDeviceName="/dev/sda1",
        BlockDeviceMappings=[{"DeviceName": "/dev/sda1", "Ebs": {"SnapshotId": shared_snapshot}}],
    )["ImageId"]
    skipped = ec2.deregister_image(ImageId=twin, DeleteAssociatedSnapshots=True)
    assert skipped["DeleteSnapshotResults"] == [
        {"SnapshotId": shared_snapshot, "ReturnCode": "skipped"}
    ]
    assert "DeleteSnapshotResults" not in ec2.deregister_image(ImageId=kept)
    public = ec2.describe_images(Owners=["amazon"], MaxResults=1)["Images"][0]["ImageId"]
    assert_error(ec2.deregister_image, "AuthFailure", ImageId=public)


@pytest.mark.parametrize(
    ("attribute", "key", "expected"),
    [
        ("description", "Description", {"Value": "about"}),
        ("kernel", "KernelId", {}),
        ("ramdisk", "RamdiskId", {}),
        ("launchPermission", "LaunchPermissions", []),
        ("productCodes", "ProductCodes", []),
        ("sriovNetSupport", "SriovNetSupport", {"Value": "simple"}),
        ("bootMode", "BootMode", {}),
        ("tpmSupport", "TpmSupport", {}),
        ("uefiData", "UefiData", {}),
        ("lastLaunchedTime", "LastLaunchedTime", {}),
        ("imdsSupport", "ImdsSupport", {}),
        ("deregistrationProtection", "DeregistrationProtection", {"Value": "disabled"}),
    ],
)
def test_describe_image_attribute(ec2: Any, attribute: str, key: str, expected: Any) -> None:
    image_id = make_image(ec2, Description="about")
    found = ec2.describe_image_attribute(ImageId=image_id, Attribute=attribute)
    assert found["ImageId"] == image_id
    assert found.get(key, {} if isinstance(expected, dict) else []) == expected


def test_describe_image_attribute_block_devices_and_errors(ec2: Any) -> None:
    image_id = make_image(ec2)
    found = ec2.describe_image_attribute(ImageId=image_id, Attribute="blockDeviceMapping")
    assert found["BlockDeviceMappings"] == image(ec2, image_id)["BlockDeviceMappings"]
    assert_error(
        ec2.describe_image_attribute, "InvalidParameterValue", ImageId=image_id, Attribute="nope"
    )
    public = ec2.describe_images(Owners=["amazon"], MaxResults=1)["Images"][0]["ImageId"]
    shown = ec2.describe_image_attribute(ImageId=public, Attribute="description")
    assert shown["Description"]["Value"]
    assert_error(
        ec2.describe_image_attribute, "AuthFailure", ImageId=public, Attribute="launchPermission"
    )


def test_modify_description_and_imds_support(ec2: Any) -> None:
    image_id = make_image(ec2)
    ec2.modify_image_attribute(ImageId=image_id, Description={"Value": "new words"})
    assert image(ec2, image_id)["Description"] == "new words"
    ec2.modify_image_attribute(ImageId=image_id, Attribute="description", Value="plain value")
    assert image(ec2, image_id)["Description"] == "plain value"
    ec2.modify_image_attribute(ImageId=image_id, ImdsSupport={"Value": "v2.0"})
    assert image(ec2, image_id)["ImdsSupport"] == "v2.0"
    assert_error(
        ec2.modify_image_attribute,
        "InvalidParameterValue",
        ImageId=image_id,
        ImdsSupport={"Value": "v1.0"},
    )
    assert_error(ec2.modify_image_attribute, "InvalidParameterCombination", ImageId=image_id)
    public = ec2.describe_images(Owners=["amazon"], MaxResults=1)["Images"][0]["ImageId"]
    assert_error(
        ec2.modify_image_attribute, "AuthFailure", ImageId=public, Description={"Value": "x"}
    )


def test_share_an_image_with_another_account(env: Any, ec2: Any) -> None:
    image_id = make_image(ec2)
    other = other_client(env)
    assert_error(other.describe_images, "InvalidAMIID.NotFound", ImageIds=[image_id])
    ec2.modify_image_attribute(ImageId=image_id, LaunchPermission={"Add": [{"UserId": OTHER}]})
    permissions = ec2.describe_image_attribute(ImageId=image_id, Attribute="launchPermission")
    assert permissions["LaunchPermissions"] == [{"UserId": OTHER}]
    seen = image(other, image_id)
    assert seen["OwnerId"] == "123456789012"
    assert "Tags" not in seen and "DeregistrationProtection" not in seen
    assert [i["ImageId"] for i in other.describe_images(ExecutableUsers=["self"])["Images"]] == [
        image_id
    ]
    assert [i["ImageId"] for i in other.describe_images(Owners=["123456789012"])["Images"]] == [
        image_id
    ]
    assert [i["ImageId"] for i in ec2.describe_images(ExecutableUsers=[OTHER])["Images"]] == [
        image_id
    ]
    # the other account launches it, and can modify nothing
    launch(other, ImageId=image_id)
    assert_error(
        other.modify_image_attribute, "AuthFailure", ImageId=image_id, Description={"Value": "x"}
    )
    # it gives the permission up
    assert other.cancel_image_launch_permission(ImageId=image_id)["Return"] is True
    assert_error(other.describe_images, "InvalidAMIID.NotFound", ImageIds=[image_id])
    assert_error(other.cancel_image_launch_permission, "InvalidAMIID.NotFound", ImageId=image_id)
    # in another region the image does not exist for anyone
    assert_error(
        other_client(env, "us-east-1").describe_images, "InvalidAMIID.NotFound", ImageIds=[image_id]
    )


def test_make_an_image_public_and_private_again(env: Any, ec2: Any) -> None:
    image_id = make_image(ec2)
    ec2.modify_image_attribute(
        ImageId=image_id, Attribute="launchPermission", OperationType="add", UserGroups=["all"]
    )
    assert image(ec2, image_id)["Public"] is True
    other = other_client(env)
    assert image(other, image_id)["Public"] is True
    public_mine = ec2.describe_images(ExecutableUsers=["all"], Owners=["self"])["Images"]
    assert [i["ImageId"] for i in public_mine] == [image_id]
    ec2.modify_image_attribute(ImageId=image_id, LaunchPermission={"Remove": [{"Group": "all"}]})
    assert image(ec2, image_id)["Public"] is False
    assert_error(other.describe_images, "InvalidAMIID.NotFound", ImageIds=[image_id])


def test_organization_permissions_and_reset(ec2: Any) -> None:
    image_id = make_image(ec2)
    org = "arn:aws:organizations::123456789012:organization/o-abcdefghij"
    unit = "arn:aws:organizations::123456789012:ou/o-abcdefghij/ou-ab12-abcdefgh"
    ec2.modify_image_attribute(
        ImageId=image_id,
        OperationType="add",
        OrganizationArns=[org],
        OrganizationalUnitArns=[unit],
        UserIds=[OTHER],
    )
    permissions = ec2.describe_image_attribute(ImageId=image_id, Attribute="launchPermission")
    assert permissions["LaunchPermissions"] == [
        {"UserId": OTHER},
        {"OrganizationArn": org},
        {"OrganizationalUnitArn": unit},
    ]
    ec2.modify_image_attribute(ImageId=image_id, OperationType="remove", OrganizationArns=[org])
    ec2.reset_image_attribute(ImageId=image_id, Attribute="launchPermission")
    permissions = ec2.describe_image_attribute(ImageId=image_id, Attribute="launchPermission")
    assert permissions["LaunchPermissions"] == []
    assert_error(
        ec2.reset_image_attribute, "InvalidParameterValue", ImageId=image_id, Attribute="kernel"
    )
    assert_error(
        ec2.modify_image_attribute,
        "InvalidUserID.Malformed",
        ImageId=image_id,
        LaunchPermission={"Add": [{"UserId": "someone"}]},
    )
    assert_error(
        ec2.modify_image_attribute,
        "InvalidParameterValue",
        ImageId=image_id,
        LaunchPermission={"Add": [{"OrganizationArn": "not-an-arn"}]},
    )
    assert_error(
        ec2.modify_image_attribute,
        "MissingParameter",
        ImageId=image_id,
        UserIds=[OTHER],
    )


def _filters() -> list[str]:
    model = botocore.session.get_session().get_service_model("ec2")
    return sorted(documented_filters(model.operation_model("DescribeImages")))


#: filters no image here has a value for (no watermarks, Inspector scans or type specifications)
_NEVER = ("image-watermark.", "scan-result.", "instance-type-specification.")


def test_every_describe_images_filter(ec2: Any) -> None:
    source = make_image(ec2, "source", Description="filtered")
    image_id = ec2.copy_image(Name="copy", SourceImageId=source, SourceRegion="eu-west-1")[
        "ImageId"
    ]
    ec2.create_tags(Resources=[image_id], Tags=[{"Key": "team", "Value": "blue"}])
    shown = image(ec2, image_id)
    ebs = shown["BlockDeviceMappings"][0]["Ebs"]
    values = {
        "architecture": "x86_64",
        "block-device-mapping.delete-on-termination": "true",
        "block-device-mapping.device-name": shown["BlockDeviceMappings"][0]["DeviceName"],
        "block-device-mapping.snapshot-id": ebs["SnapshotId"],
        "block-device-mapping.volume-size": str(ebs["VolumeSize"]),
        "block-device-mapping.volume-type": ebs["VolumeType"],
        "block-device-mapping.encrypted": "false",
        "boot-mode": None,
        "creation-date": shown["CreationDate"][:10] + "T*",
        "description": "filtered",
        "ena-support": "true",
        "free-tier-eligible": "false",
        "hypervisor": "xen",
        "image-allowed": "true",
        "image-id": image_id,
        "image-type": "machine",
        "is-public": "false",
        "kernel-id": None,
        "manifest-location": "123456789012/copy",
        "name": "co?y",
        "owner-alias": None,
        "owner-id": "123456789012",
        "platform": None,
        "product-code": None,
        "product-code.type": None,
        "public-ssm-parameter-name": None,
        "ramdisk-id": None,
        "root-device-name": shown["RootDeviceName"],
        "root-device-type": "ebs",
        "source-image-id": source,
        "source-image-region": "eu-west-1",
        "source-instance-id": None,
        "state": "available",
        "state-reason-code": None,
        "state-reason-message": None,
        "sriov-net-support": "simple",
        "virtualization-type": "hvm",
        "tag:team": "blue",
        "tag-key": "team",
    }
    for name in _filters():
        if name == "tag:":
            name = "tag:team"
        if name.startswith(_NEVER):
            value = None
        else:
            assert name in values, name
            value = values[name]
        if value is not None:
            found = ec2.describe_images(
                Owners=["self"], Filters=[{"Name": name, "Values": [value]}]
            )
            assert image_id in [i["ImageId"] for i in found["Images"]], name
        missed = ec2.describe_images(
            Owners=["self"], Filters=[{"Name": name, "Values": ["no-such-value"]}]
        )
        assert missed["Images"] == [], name
    # the source-instance-id of an image made by CreateImage
    made = ec2.describe_images(
        Owners=["self"],
        Filters=[
            {"Name": "source-instance-id", "Values": [image(ec2, source)["SourceInstanceId"]]}
        ],
    )
    assert [i["ImageId"] for i in made["Images"]] == [source]
    public = ec2.describe_images(
        Owners=["amazon"],
        Filters=[
            {
                "Name": "public-ssm-parameter-name",
                "Values": ["/aws/service/ami-windows-latest/Windows_Server-2025-English-Full-Base"],
            },
            {"Name": "owner-alias", "Values": ["amazon"]},
            {"Name": "boot-mode", "Values": ["uefi-preferred"]},
        ],
        IncludeDeprecated=True,
    )["Images"]
    assert public and all(
        i["Name"].startswith("Windows_Server-2025-English-Full-Base") for i in public
    )
    assert_error(
        ec2.describe_images,
        "InvalidParameterValue",
        Filters=[{"Name": "no-such-filter", "Values": ["x"]}],
    )


@pytest.mark.parametrize(
    ("method", "kw"),
    [
        ("create_image", {"Name": "dry"}),
        ("register_image", {"Name": "dry"}),
        ("copy_image", {"Name": "dry", "SourceRegion": "eu-west-1"}),
        ("deregister_image", {}),
        ("modify_image_attribute", {"Description": {"Value": "dry"}}),
        ("reset_image_attribute", {"Attribute": "launchPermission"}),
        (
            "enable_image_deprecation",
            {"DeprecateAt": datetime.now(timezone.utc) + timedelta(days=9)},
        ),
        ("disable_image_deprecation", {}),
        ("disable_image", {}),
        ("enable_image", {}),
        ("enable_image_deregistration_protection", {}),
        ("disable_image_deregistration_protection", {}),
    ],
)
def test_dry_run(ec2: Any, method: str, kw: dict[str, Any]) -> None:
    image_id = make_image(ec2)
    snapshot = root_snapshot(ec2, image_id)
    if method == "create_image":
        kw = {**kw, "InstanceId": launch(ec2)[0]["InstanceId"]}
    elif method == "register_image":
        kw = {
            **kw,
            "RootDeviceName": "/dev/sda1",
            "BlockDeviceMappings": [{"DeviceName": "/dev/sda1", "Ebs": {"SnapshotId": snapshot}}],
        }
    elif method == "copy_image":
        kw = {**kw, "SourceImageId": image_id}
    else:
        kw = {**kw, "ImageId": image_id}
    before = ec2.describe_images(Owners=["self"])["Images"]
    assert_error(getattr(ec2, method), "DryRunOperation", status=412, DryRun=True, **kw)
    assert ec2.describe_images(Owners=["self"])["Images"] == before


def test_the_state_dump_shows_images(env: Any, ec2: Any) -> None:
    image_id = make_image(ec2)
    ec2.create_fpga_image(InputStorageLocation={"Bucket": "b", "Key": "k"})
    dumped = env.state.dump()["ec2"]["123456789012"]["eu-west-1"]
    assert [i["ImageId"] for i in dumped["image"]] == [image_id]
    assert len(dumped["fpga-image"]) == 1
