"""Amazon FPGA images (AFIs)."""

from __future__ import annotations

import re
from typing import Any

import botocore.session
import pytest
from ec2_helpers import assert_error
from images_helpers import OTHER, other_client

from cloudmock.services.ec2.filters import documented_filters

SOURCE = {"Bucket": "designs", "Key": "cl.tar"}


def create(ec2: Any, **kw: Any) -> dict[str, Any]:
    kw.setdefault("InputStorageLocation", SOURCE)
    result: dict[str, Any] = ec2.create_fpga_image(**kw)
    return result


def afi(ec2: Any, afi_id: str) -> dict[str, Any]:
    shown: dict[str, Any] = ec2.describe_fpga_images(FpgaImageIds=[afi_id])["FpgaImages"][0]
    return shown


def test_create_describe_and_delete(env: Any, ec2: Any, ec2_options: Any) -> None:
    ec2_options(transition_delay=5)
    ec2 = env.client()
    created = create(
        ec2,
        Name="my-afi",
        Description="a design",
        LogsStorageLocation={"Bucket": "logs", "Key": "afi/"},
        ClientToken="afi-once",
        TagSpecifications=[{"ResourceType": "fpga-image", "Tags": [{"Key": "k", "Value": "v"}]}],
    )
    assert re.fullmatch(r"afi-[0-9a-f]{17}", created["FpgaImageId"])
    assert re.fullmatch(r"agfi-[0-9a-f]{17}", created["FpgaImageGlobalId"])
    assert create(ec2, ClientToken="afi-once")["FpgaImageId"] == created["FpgaImageId"]
    shown = afi(ec2, created["FpgaImageId"])
    assert shown["State"] == {"Code": "pending"}
    assert shown["Name"] == "my-afi"
    assert shown["Description"] == "a design"
    assert shown["OwnerId"] == "123456789012"
    assert shown["Public"] is False
    assert shown["Tags"] == [{"Key": "k", "Value": "v"}]
    env.clock.advance(5)
    assert afi(ec2, created["FpgaImageId"])["State"] == {"Code": "available"}
    assert [a["FpgaImageId"] for a in ec2.describe_fpga_images(Owners=["self"])["FpgaImages"]] == [
        created["FpgaImageId"]
    ]
    assert ec2.describe_fpga_images(Owners=["amazon"])["FpgaImages"] == []
    assert ec2.delete_fpga_image(FpgaImageId=created["FpgaImageId"])["Return"] is True
    assert_error(
        ec2.describe_fpga_images,
        "InvalidFpgaImageID.NotFound",
        FpgaImageIds=[created["FpgaImageId"]],
    )
    assert_error(ec2.describe_fpga_images, "InvalidFpgaImageID.Malformed", FpgaImageIds=["afi-x"])


def test_every_filter(ec2: Any) -> None:
    created = create(
        ec2,
        Name="filtered",
        TagSpecifications=[
            {"ResourceType": "fpga-image", "Tags": [{"Key": "team", "Value": "hw"}]}
        ],
    )
    shown = afi(ec2, created["FpgaImageId"])
    day = shown["CreateTime"].strftime("%Y-%m-%d") + "*"
    values = {
        "create-time": day,
        "fpga-image-global-id": created["FpgaImageGlobalId"],
        "fpga-image-id": created["FpgaImageId"],
        "name": "filt*",
        "owner-id": "123456789012",
        "product-code": None,
        "shell-version": None,
        "state": "available",
        "update-time": day,
        "tag:team": "hw",
        "tag-key": "team",
    }
    model = botocore.session.get_session().get_service_model("ec2")
    for name in sorted(documented_filters(model.operation_model("DescribeFpgaImages"))):
        name = "tag:team" if name == "tag:" else name
        value = values[name]
        if value is not None:
            found = ec2.describe_fpga_images(Filters=[{"Name": name, "Values": [value]}])
            assert [a["FpgaImageId"] for a in found["FpgaImages"]] == [created["FpgaImageId"]], name
        missed = ec2.describe_fpga_images(Filters=[{"Name": name, "Values": ["nothing"]}])
        assert missed["FpgaImages"] == [], name


def test_attributes_and_sharing(env: Any, ec2: Any) -> None:
    afi_id = create(ec2, Name="shared", Description="d")["FpgaImageId"]
    other = other_client(env)
    assert other.describe_fpga_images()["FpgaImages"] == []
    changed = ec2.modify_fpga_image_attribute(
        FpgaImageId=afi_id, Attribute="loadPermission", OperationType="add", UserIds=[OTHER]
    )
    assert changed["FpgaImageAttribute"]["LoadPermissions"] == [{"UserId": OTHER}]
    assert [a["FpgaImageId"] for a in other.describe_fpga_images()["FpgaImages"]] == [afi_id]
    assert_error(
        other.modify_fpga_image_attribute, "AuthFailure", FpgaImageId=afi_id, Name="theirs"
    )
    ec2.modify_fpga_image_attribute(FpgaImageId=afi_id, LoadPermission={"Add": [{"Group": "all"}]})
    assert afi(ec2, afi_id)["Public"] is True
    ec2.modify_fpga_image_attribute(FpgaImageId=afi_id, Attribute="name", Name="renamed")
    ec2.modify_fpga_image_attribute(FpgaImageId=afi_id, Attribute="description", Description="new")
    ec2.modify_fpga_image_attribute(
        FpgaImageId=afi_id, Attribute="productCodes", ProductCodes=["abc123"]
    )
    for attribute, key, expected in [
        ("name", "Name", "renamed"),
        ("description", "Description", "new"),
        ("loadPermission", "LoadPermissions", [{"Group": "all"}, {"UserId": OTHER}]),
        (
            "productCodes",
            "ProductCodes",
            [{"ProductCodeId": "abc123", "ProductCodeType": "marketplace"}],
        ),
    ]:
        found = ec2.describe_fpga_image_attribute(FpgaImageId=afi_id, Attribute=attribute)
        assert found["FpgaImageAttribute"][key] == expected, attribute
    assert_error(
        ec2.modify_fpga_image_attribute,
        "InvalidParameterValue",
        FpgaImageId=afi_id,
        Attribute="productCodes",
        ProductCodes=["another"],
    )
    assert ec2.reset_fpga_image_attribute(FpgaImageId=afi_id, Attribute="loadPermission")["Return"]
    assert other.describe_fpga_images()["FpgaImages"] == []
    assert_error(
        ec2.modify_fpga_image_attribute,
        "InvalidUserID.Malformed",
        FpgaImageId=afi_id,
        LoadPermission={"Add": [{"UserId": "bob"}]},
    )
    assert_error(
        ec2.describe_fpga_image_attribute,
        "InvalidParameterValue",
        FpgaImageId=afi_id,
        Attribute="x",
    )


def test_copy_across_regions(env: Any, ec2: Any) -> None:
    afi_id = create(ec2, Name="original", Description="d")["FpgaImageId"]
    virginia = env.client(region="us-east-1")
    copied = virginia.copy_fpga_image(
        SourceFpgaImageId=afi_id, SourceRegion="eu-west-1", ClientToken="copy-once"
    )["FpgaImageId"]
    again = virginia.copy_fpga_image(
        SourceFpgaImageId=afi_id, SourceRegion="eu-west-1", ClientToken="copy-once"
    )["FpgaImageId"]
    assert again == copied
    shown = afi(virginia, copied)
    assert shown["Name"] == "original"
    assert shown["Description"] == "d"
    named = ec2.copy_fpga_image(SourceFpgaImageId=afi_id, SourceRegion="eu-west-1", Name="twin")
    assert afi(ec2, named["FpgaImageId"])["Name"] == "twin"
    assert_error(
        virginia.copy_fpga_image,
        "InvalidFpgaImageID.NotFound",
        SourceFpgaImageId="afi-0123456789abcdef0",
        SourceRegion="eu-west-1",
    )


@pytest.mark.parametrize(
    ("method", "kw"),
    [
        ("create_fpga_image", {"InputStorageLocation": SOURCE}),
        ("copy_fpga_image", {"SourceRegion": "eu-west-1"}),
        ("delete_fpga_image", {}),
        ("modify_fpga_image_attribute", {"Attribute": "name", "Name": "dry"}),
        ("reset_fpga_image_attribute", {"Attribute": "loadPermission"}),
    ],
)
def test_dry_run(ec2: Any, method: str, kw: dict[str, Any]) -> None:
    afi_id = create(ec2, Name="before")["FpgaImageId"]
    if method == "copy_fpga_image":
        kw = {**kw, "SourceFpgaImageId": afi_id}
    elif method != "create_fpga_image":
        kw = {**kw, "FpgaImageId": afi_id}
    before = ec2.describe_fpga_images()["FpgaImages"]
    assert_error(getattr(ec2, method), "DryRunOperation", 412, DryRun=True, **kw)
    after = ec2.describe_fpga_images()["FpgaImages"]
    assert [(a["FpgaImageId"], a.get("Name")) for a in after] == [
        (a["FpgaImageId"], a.get("Name")) for a in before
    ]
