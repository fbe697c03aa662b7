"""Around images: deprecation, disabling, deregistration protection, block public access,
Allowed AMIs, the recycle bin, references, instance image metadata, ancestry, launch checks."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import botocore.session
import pytest
from ec2_helpers import assert_error, launch
from images_helpers import OTHER, image, make_image, other_client

from cloudmock.services.ec2.filters import documented_filters

AL2023 = [{"Name": "name", "Values": ["al2023-ami-2023.*-x86_64"]}]


def newest_al2023(ec2: Any) -> dict[str, Any]:
    found = ec2.describe_images(Owners=["amazon"], Filters=AL2023)["Images"]
    return max(found, key=lambda i: i["CreationDate"])


def test_deprecation(env: Any, ec2: Any) -> None:
    env.clock.freeze(datetime(2030, 1, 1, 12, 0, tzinfo=timezone.utc))
    image_id = make_image(ec2)
    ec2.modify_image_attribute(ImageId=image_id, LaunchPermission={"Add": [{"UserId": OTHER}]})
    at = datetime(2030, 1, 2, 8, 30, 40, tzinfo=timezone.utc)
    assert ec2.enable_image_deprecation(ImageId=image_id, DeprecateAt=at)["Return"] is True
    # seconds are rounded to the nearest minute
    assert image(ec2, image_id)["DeprecationTime"] == "2030-01-02T08:31:00.000Z"
    other = other_client(env)
    assert [i["ImageId"] for i in other.describe_images(ExecutableUsers=["self"])["Images"]] == [
        image_id
    ]
    env.clock.advance(86400)
    # deprecated: others see it only when they ask for deprecated images (or name it)
    assert other.describe_images(ExecutableUsers=["self"])["Images"] == []
    shown = other.describe_images(ExecutableUsers=["self"], IncludeDeprecated=True)["Images"]
    assert [i["ImageId"] for i in shown] == [image_id]
    assert image(other, image_id)["ImageId"] == image_id
    # the owner always sees it
    assert [i["ImageId"] for i in ec2.describe_images(Owners=["self"])["Images"]] == [image_id]
    ec2.disable_image_deprecation(ImageId=image_id)
    assert "DeprecationTime" not in image(ec2, image_id)
    assert_error(
        ec2.enable_image_deprecation,
        "InvalidParameterValue",
        ImageId=image_id,
        DeprecateAt=datetime(2029, 1, 1, tzinfo=timezone.utc),
    )


def test_disable_and_enable_an_image(env: Any, ec2: Any) -> None:
    image_id = make_image(ec2)
    ec2.modify_image_attribute(ImageId=image_id, LaunchPermission={"Add": [{"Group": "all"}]})
    assert ec2.disable_image(ImageId=image_id)["Return"] is True
    assert ec2.describe_images(Owners=["self"])["Images"] == []
    shown = ec2.describe_images(Owners=["self"], IncludeDisabled=True)["Images"]
    assert [(i["ImageId"], i["State"], i["Public"]) for i in shown] == [
        (image_id, "disabled", False)
    ]
    assert_error(other_client(env).describe_images, "InvalidAMIID.NotFound", ImageIds=[image_id])
    assert_error(
        ec2.run_instances, "InvalidAMIID.Unavailable", ImageId=image_id, MinCount=1, MaxCount=1
    )
    assert_error(
        ec2.modify_image_attribute,
        "InvalidAMIID.Unavailable",
        ImageId=image_id,
        LaunchPermission={"Add": [{"Group": "all"}]},
    )
    assert ec2.enable_image(ImageId=image_id)["Return"] is True
    assert image(ec2, image_id)["State"] == "available"
    # sharing is not restored
    assert image(ec2, image_id)["Public"] is False
    launch(ec2, ImageId=image_id)


def test_deregistration_protection(env: Any, ec2: Any) -> None:
    image_id = make_image(ec2)
    assert ec2.enable_image_deregistration_protection(ImageId=image_id)["Return"] == "true"
    assert image(ec2, image_id)["DeregistrationProtection"] == "enabled"
    assert_error(
        ec2.deregister_image, "InvalidParameterValue", message="protection", ImageId=image_id
    )
    ec2.disable_image_deregistration_protection(ImageId=image_id)
    ec2.deregister_image(ImageId=image_id)
    cooled = make_image(ec2, "cooled")
    ec2.enable_image_deregistration_protection(ImageId=cooled, WithCooldown=True)
    shown = ec2.describe_image_attribute(ImageId=cooled, Attribute="deregistrationProtection")
    assert shown["DeregistrationProtection"] == {"Value": "enabled-with-cooldown"}
    ec2.disable_image_deregistration_protection(ImageId=cooled)
    assert image(ec2, cooled)["DeregistrationProtection"].startswith("disabled-until ")
    assert_error(ec2.deregister_image, "InvalidParameterValue", ImageId=cooled)
    env.clock.advance(24 * 3600)
    assert image(ec2, cooled)["DeregistrationProtection"] == "disabled"
    ec2.deregister_image(ImageId=cooled)


def test_image_block_public_access(ec2: Any) -> None:
    state = ec2.get_image_block_public_access_state()
    assert state["ImageBlockPublicAccessState"] == "unblocked"
    assert state["ManagedBy"] == "account"
    image_id = make_image(ec2)
    enabled = ec2.enable_image_block_public_access(ImageBlockPublicAccessState="block-new-sharing")
    assert enabled["ImageBlockPublicAccessState"] == "block-new-sharing"
    assert (
        ec2.get_image_block_public_access_state()["ImageBlockPublicAccessState"]
        == "block-new-sharing"
    )
    assert_error(
        ec2.modify_image_attribute,
        "InvalidParameter",
        message="block public access",
        ImageId=image_id,
        LaunchPermission={"Add": [{"Group": "all"}]},
    )
    # sharing with an account is still allowed
    ec2.modify_image_attribute(ImageId=image_id, LaunchPermission={"Add": [{"UserId": OTHER}]})
    assert_error(
        ec2.enable_image_block_public_access,
        "InvalidParameterValue",
        ImageBlockPublicAccessState="unblocked",
    )
    assert ec2.disable_image_block_public_access()["ImageBlockPublicAccessState"] == "unblocked"
    ec2.modify_image_attribute(ImageId=image_id, LaunchPermission={"Add": [{"Group": "all"}]})
    assert image(ec2, image_id)["Public"] is True


def test_allowed_images(ec2: Any) -> None:
    settings = ec2.get_allowed_images_settings()
    assert settings["State"] == "disabled"
    assert settings["ManagedBy"] == "account"
    assert "ImageAllowed" not in newest_al2023(ec2)
    mine = make_image(ec2)
    criteria = [
        {"ImageProviders": ["amazon"], "ImageNames": ["al2023-ami-2023.*"]},
        {
            "ImageProviders": ["099720109477"],
            "CreationDateCondition": {"MaximumDaysSinceCreated": 30},
        },
    ]
    assert ec2.replace_image_criteria_in_allowed_images_settings(ImageCriteria=criteria)[
        "ReturnValue"
    ]
    shown = ec2.get_allowed_images_settings()["ImageCriteria"]
    assert shown == criteria
    ec2.enable_allowed_images_settings(AllowedImagesSettingsState="audit-mode")
    assert ec2.get_allowed_images_settings()["State"] == "audit-mode"
    assert newest_al2023(ec2)["ImageAllowed"] is True
    debian = ec2.describe_images(Owners=["136693071363"])["Images"]
    assert debian and all(i["ImageAllowed"] is False for i in debian)
    # audit mode restricts nothing
    launch(
        ec2,
        ImageId=debian[0]["ImageId"],
        InstanceType="t4g.micro" if debian[0]["Architecture"] == "arm64" else "t3.micro",
    )
    allowed = ec2.describe_images(
        Owners=["136693071363", "amazon"], Filters=[{"Name": "image-allowed", "Values": ["false"]}]
    )["Images"]
    assert allowed and all(not i["Name"].startswith("al2023-ami-2023") for i in allowed)
    ec2.enable_allowed_images_settings(AllowedImagesSettingsState="enabled")
    # only allowed images are discoverable and launchable; the account's own always are
    assert ec2.describe_images(Owners=["136693071363"])["Images"] == []
    assert image(ec2, mine)["ImageAllowed"] is True
    assert_error(
        ec2.run_instances,
        "InvalidAMIID.NotFound",
        message="Allowed AMIs",
        ImageId=debian[0]["ImageId"],
        InstanceType="t4g.micro" if debian[0]["Architecture"] == "arm64" else "t3.micro",
        MinCount=1,
        MaxCount=1,
    )
    launch(ec2, ImageId=newest_al2023(ec2)["ImageId"], InstanceType="t3.micro")
    assert_error(
        ec2.describe_images,
        "InvalidParameterValue",
        Filters=[{"Name": "image-allowed", "Values": []}],
    )
    assert ec2.disable_allowed_images_settings()["AllowedImagesSettingsState"] == "disabled"
    assert ec2.describe_images(Owners=["136693071363"])["Images"]
    assert_error(
        ec2.enable_allowed_images_settings,
        "InvalidParameterValue",
        AllowedImagesSettingsState="disabled",
    )
    assert_error(
        ec2.replace_image_criteria_in_allowed_images_settings,
        "InvalidParameterValue",
        ImageCriteria=[{"ImageProviders": ["somebody"]}],
    )


def test_recycle_bin_is_empty(ec2: Any) -> None:
    image_id = make_image(ec2)
    ec2.deregister_image(ImageId=image_id)
    assert ec2.list_images_in_recycle_bin()["Images"] == []
    assert ec2.list_images_in_recycle_bin(ImageIds=[image_id])["Images"] == []
    assert_error(ec2.restore_image_from_recycle_bin, "InvalidAMIID.NotFound", ImageId=image_id)
    assert_error(
        ec2.restore_image_from_recycle_bin,
        "InvalidAMIID.NotFound",
        ImageId=image_id,
        DryRun=True,
    )


def test_image_references(ec2: Any) -> None:
    image_id = make_image(ec2)
    first, second = (i["InstanceId"] for i in launch(ec2, 2, ImageId=image_id))
    found = ec2.describe_image_references(ImageIds=[image_id], IncludeAllResourceTypes=True)
    assert [r["Arn"] for r in found["ImageReferences"]] == [
        f"arn:aws:ec2:eu-west-1:123456789012:instance/{first}",
        f"arn:aws:ec2:eu-west-1:123456789012:instance/{second}",
    ]
    assert {r["ResourceType"] for r in found["ImageReferences"]} == {"ec2:Instance"}
    ec2.terminate_instances(InstanceIds=[first])
    left = ec2.describe_image_references(
        ImageIds=[image_id], ResourceTypes=[{"ResourceType": "ec2:Instance"}]
    )["ImageReferences"]
    assert [r["Arn"].rsplit("/", 1)[1] for r in left] == [second]
    templates = ec2.describe_image_references(
        ImageIds=[image_id], ResourceTypes=[{"ResourceType": "ec2:LaunchTemplate"}]
    )
    assert templates["ImageReferences"] == []
    assert_error(
        ec2.describe_image_references,
        "InvalidAMIID.NotFound",
        ImageIds=["ami-0123456789abcdef0"],
    )


def test_instance_image_metadata(ec2: Any) -> None:
    public = newest_al2023(ec2)
    from_public = launch(ec2, ImageId=public["ImageId"], InstanceType="t3.micro")[0]
    unknown = launch(
        ec2, TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "k", "Value": "v"}]}]
    )[0]
    found = {
        m["InstanceId"]: m for m in ec2.describe_instance_image_metadata()["InstanceImageMetadata"]
    }
    meta = found[from_public["InstanceId"]]
    assert meta["InstanceType"] == "t3.micro"
    assert meta["OwnerId"] == "123456789012"
    assert meta["AvailabilityZone"].startswith("eu-west-1")
    assert meta["ImageMetadata"]["ImageId"] == public["ImageId"]
    assert meta["ImageMetadata"]["Name"] == public["Name"]
    assert meta["ImageMetadata"]["OwnerId"] == "137112412989"
    assert meta["ImageMetadata"]["ImageOwnerAlias"] == "amazon"
    assert meta["ImageMetadata"]["IsPublic"] is True
    assert found[unknown["InstanceId"]]["ImageMetadata"] == {"ImageId": unknown["ImageId"]}
    values = {
        "availability-zone": meta["AvailabilityZone"],
        "image-allowed": "true",
        "instance-id": from_public["InstanceId"],
        "instance-state-name": meta["State"]["Name"],
        "instance-type": "t3.micro",
        "launch-time": meta["LaunchTime"].strftime("%Y-%m-%d") + "*",
        "owner-alias": "amazon",
        "owner-id": "137112412989",
        "zone-id": meta["ZoneId"],
    }
    model = botocore.session.get_session().get_service_model("ec2")
    for name in sorted(documented_filters(model.operation_model("DescribeInstanceImageMetadata"))):
        if name in ("tag:", "tag-key"):
            filters = [
                {
                    "Name": "tag:k" if name == "tag:" else name,
                    "Values": ["v" if name == "tag:" else "k"],
                }
            ]
            expected = unknown["InstanceId"]
        else:
            filters = [{"Name": name, "Values": [values[name]]}]
            expected = from_public["InstanceId"]
        got = ec2.describe_instance_image_metadata(Filters=filters)["InstanceImageMetadata"]
        assert expected in [m["InstanceId"] for m in got], name
        none = ec2.describe_instance_image_metadata(
            Filters=[{"Name": filters[0]["Name"], "Values": ["nothing-like-this"]}]
        )["InstanceImageMetadata"]
        assert none == [], name
    paged = ec2.describe_instance_image_metadata(MaxResults=1)
    assert len(paged["InstanceImageMetadata"]) == 1 and paged["NextToken"]


def test_image_ancestry(env: Any, ec2: Any) -> None:
    public = newest_al2023(ec2)
    first = ec2.copy_image(Name="one", SourceImageId=public["ImageId"], SourceRegion="eu-west-1")
    virginia = env.client(region="us-east-1")
    second = virginia.copy_image(
        Name="two", SourceImageId=first["ImageId"], SourceRegion="eu-west-1"
    )
    entries = virginia.get_image_ancestry(ImageId=second["ImageId"])["ImageAncestryEntries"]
    assert [e["ImageId"] for e in entries] == [
        second["ImageId"],
        first["ImageId"],
        public["ImageId"],
    ]
    assert entries[0]["SourceImageRegion"] == "eu-west-1"
    assert entries[2]["ImageOwnerAlias"] == "amazon"
    assert "SourceImageId" not in entries[2]


def test_launch_checks_and_strict_amis(env: Any, ec2: Any, ec2_options: Any) -> None:
    arm = ec2.describe_images(
        Owners=["amazon"], Filters=[{"Name": "name", "Values": ["al2023-ami-2023.*-arm64"]}]
    )["Images"][0]
    assert_error(
        ec2.run_instances,
        "InvalidParameterValue",
        message="The architecture 'x86_64' of the specified instance type does not match the "
        "architecture 'arm64' of the specified AMI",
        ImageId=arm["ImageId"],
        InstanceType="m5.large",
        MinCount=1,
        MaxCount=1,
    )
    launch(ec2, ImageId=arm["ImageId"], InstanceType="m7g.large")
    # unknown AMIs launch by default ...
    launch(ec2, ImageId="ami-f00ba4")
    # ... and not with strict_amis
    ec2_options(strict_amis=True)
    strict = env.client()
    assert_error(
        strict.run_instances,
        "InvalidAMIID.NotFound",
        message=r"\[ami-0123456789abcdef0\]",
        ImageId="ami-0123456789abcdef0",
        MinCount=1,
        MaxCount=1,
    )
    launch(strict, ImageId=newest_al2023(strict)["ImageId"], InstanceType="t3.micro")


def test_strict_amis_option_is_checked() -> None:
    from cloudmock.services.ec2.options import Ec2Options

    assert Ec2Options.from_dict({"strict_amis": "true"}).strict_amis is True
    assert Ec2Options.from_dict({}).strict_amis is False
    with pytest.raises(ValueError, match="strict_amis"):
        Ec2Options.from_dict({"strict_amis": "maybe"})


@pytest.mark.parametrize(
    ("method", "kw"),
    [
        ("enable_image_block_public_access", {"ImageBlockPublicAccessState": "block-new-sharing"}),
        ("disable_image_block_public_access", {}),
        ("enable_allowed_images_settings", {"AllowedImagesSettingsState": "enabled"}),
        ("disable_allowed_images_settings", {}),
        ("replace_image_criteria_in_allowed_images_settings", {"ImageCriteria": []}),
    ],
)
def test_dry_run_of_settings(ec2: Any, method: str, kw: dict[str, Any]) -> None:
    before = (
        ec2.get_image_block_public_access_state()["ImageBlockPublicAccessState"],
        ec2.get_allowed_images_settings()["State"],
    )
    assert_error(getattr(ec2, method), "DryRunOperation", status=412, DryRun=True, **kw)
    after = (
        ec2.get_image_block_public_access_state()["ImageBlockPublicAccessState"],
        ec2.get_allowed_images_settings()["State"],
    )
    assert after == before


def test_dry_run_of_cancel_launch_permission(env: Any, ec2: Any) -> None:
    image_id = make_image(ec2)
    ec2.modify_image_attribute(ImageId=image_id, LaunchPermission={"Add": [{"UserId": OTHER}]})
    other = other_client(env)
    assert_error(
        other.cancel_image_launch_permission,
        "DryRunOperation",
        status=412,
        ImageId=image_id,
        DryRun=True,
    )
    assert image(other, image_id)["ImageId"] == image_id


def test_describe_images_is_paged(ec2: Any) -> None:
    for n in range(3):
        make_image(ec2, f"paged-{n}")
    first = ec2.describe_images(Owners=["self"], MaxResults=2)
    assert len(first["Images"]) == 2
    rest = ec2.describe_images(Owners=["self"], MaxResults=2, NextToken=first["NextToken"])
    assert len(rest["Images"]) == 1 and "NextToken" not in rest


def test_watermarks(env: Any, ec2: Any) -> None:
    image_id = make_image(ec2)
    key = ec2.attach_image_watermark(ImageId=image_id, WatermarkName="approvedAmi")["WatermarkKey"]
    assert key == "123456789012:approvedAmi"
    (mark,) = image(ec2, image_id)["ImageWatermarks"]
    assert mark["WatermarkKey"] == key
    assert mark["SourceImageId"] == image_id
    assert mark["SourceImageRegion"] == "eu-west-1"
    day = mark["WatermarkCreationTime"].strftime("%Y-%m-%d")
    for name, value in [
        ("image-watermark.watermark-key", key),
        ("image-watermark.source-image-id", image_id),
        ("image-watermark.source-image-region", "eu-west-1"),
        ("image-watermark.watermark-creation-time", f"{day}T*"),
        ("image-watermark.source-image-creation-time", f"{day}T*"),
    ]:
        found = ec2.describe_images(Owners=["self"], Filters=[{"Name": name, "Values": [value]}])
        assert [i["ImageId"] for i in found["Images"]] == [image_id], name
    # it travels to copies and to images of instances launched from it
    virginia = env.client(region="us-east-1")
    copied = virginia.copy_image(Name="copy", SourceImageId=image_id, SourceRegion="eu-west-1")
    (travelled,) = image(virginia, copied["ImageId"])["ImageWatermarks"]
    assert travelled["SourceImageId"] == image_id
    assert travelled["SourceImageRegion"] == "eu-west-1"
    instance_id = launch(ec2, ImageId=image_id)[0]["InstanceId"]
    derived = ec2.create_image(InstanceId=instance_id, Name="derived")["ImageId"]
    assert image(ec2, derived)["ImageWatermarks"][0]["WatermarkKey"] == key
    # Allowed AMIs can ask for a watermark
    ec2.replace_image_criteria_in_allowed_images_settings(
        ImageCriteria=[
            {"ImageWatermarks": [{"WatermarkKey": key, "SourceImageRegion": "eu-west-1"}]}
        ]
    )
    shown = ec2.get_allowed_images_settings()["ImageCriteria"]
    assert shown == [{"ImageWatermarks": [{"WatermarkKey": key, "SourceImageRegion": "eu-west-1"}]}]
    assert_error(
        ec2.attach_image_watermark,
        "InvalidParameterValue",
        ImageId=image_id,
        WatermarkName="approvedAmi",
    )
    assert ec2.detach_image_watermark(ImageId=image_id, WatermarkKey=key)["Return"] is True
    assert "ImageWatermarks" not in image(ec2, image_id)
    assert_error(
        ec2.detach_image_watermark, "InvalidParameterValue", ImageId=image_id, WatermarkKey=key
    )
    ec2.modify_image_attribute(ImageId=image_id, LaunchPermission={"Add": [{"Group": "all"}]})
    assert_error(
        ec2.attach_image_watermark, "InvalidParameterValue", ImageId=image_id, WatermarkName="late"
    )
    assert_error(
        ec2.attach_image_watermark,
        "DryRunOperation",
        412,
        ImageId=derived,
        WatermarkName="dry",
        DryRun=True,
    )
    assert_error(
        ec2.detach_image_watermark,
        "DryRunOperation",
        412,
        ImageId=derived,
        WatermarkKey=key,
        DryRun=True,
    )
