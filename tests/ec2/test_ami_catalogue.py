"""The public AMI catalogue: what DescribeImages shows of AWS's public images in every region."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from ec2_helpers import assert_error

AL2023_X86 = [{"Name": "name", "Values": ["al2023-ami-2023.*-x86_64"]}]
#: a moment after the newest catalogue release and before any of its deprecations
NOW = datetime(2026, 11, 1, tzinfo=timezone.utc)


@pytest.fixture
def frozen(env: Any) -> None:
    env.clock.freeze(NOW)


def newest(images: list[dict[str, Any]]) -> dict[str, Any]:
    return max(images, key=lambda i: i["CreationDate"])


def test_newest_amazon_linux_2023_by_owner_and_name_then_launch(ec2: Any, frozen: None) -> None:
    found = ec2.describe_images(Owners=["amazon"], Filters=AL2023_X86)["Images"]
    assert len(found) > 3
    assert all(
        re.fullmatch(r"al2023-ami-2023\.[\d.]+-kernel-6\.(1|12)-x86_64", i["Name"]) for i in found
    )
    image = newest(found)
    assert image["OwnerId"] == "137112412989"
    assert image["ImageOwnerAlias"] == "amazon"
    assert image["ImageLocation"] == f"amazon/{image['Name']}"
    assert image["Architecture"] == "x86_64"
    assert image["RootDeviceName"] == "/dev/xvda"
    assert image["RootDeviceType"] == "ebs"
    assert image["VirtualizationType"] == "hvm"
    assert image["PlatformDetails"] == "Linux/UNIX"
    assert image["UsageOperation"] == "RunInstances"
    assert image["EnaSupport"] is True
    assert image["SriovNetSupport"] == "simple"
    assert image["BootMode"] == "uefi-preferred"
    assert image["ImdsSupport"] == "v2.0"
    assert image["Public"] is True
    assert image["State"] == "available"
    assert "Platform" not in image
    (root,) = image["BlockDeviceMappings"]
    assert root["DeviceName"] == "/dev/xvda"
    assert root["Ebs"]["VolumeSize"] == 8
    assert root["Ebs"]["VolumeType"] == "gp3"
    assert re.fullmatch(r"snap-[0-9a-f]{17}", root["Ebs"]["SnapshotId"])
    assert re.fullmatch(r"ami-[0-9a-f]{17}", image["ImageId"])
    launched = ec2.run_instances(
        ImageId=image["ImageId"], InstanceType="t3.micro", MinCount=1, MaxCount=1
    )["Instances"][0]
    assert launched["ImageId"] == image["ImageId"]


def test_arm64_and_minimal_images(ec2: Any, frozen: None) -> None:
    arm = ec2.describe_images(
        Owners=["amazon"],
        Filters=[
            {"Name": "name", "Values": ["al2023-ami-minimal-*"]},
            {"Name": "architecture", "Values": ["arm64"]},
        ],
    )["Images"]
    assert arm
    for image in arm:
        assert image["Name"].endswith("-arm64")
        assert image["BootMode"] == "uefi"
        assert image["BlockDeviceMappings"][0]["Ebs"]["VolumeSize"] == 2
    al2 = ec2.describe_images(
        Owners=["amazon"], Filters=[{"Name": "name", "Values": ["amzn2-ami-kernel-5.10-hvm-*"]}]
    )["Images"]
    assert {i["Architecture"] for i in al2} == {"x86_64", "arm64"}
    assert all(i["Name"].endswith("-gp2") for i in al2)


def test_ids_are_per_region_and_stable(env: Any, frozen: None) -> None:
    ireland = env.client(region="eu-west-1")
    virginia = env.client(region="us-east-1")
    one = newest(ireland.describe_images(Owners=["amazon"], Filters=AL2023_X86)["Images"])
    two = newest(virginia.describe_images(Owners=["amazon"], Filters=AL2023_X86)["Images"])
    assert one["Name"] == two["Name"]
    assert one["ImageId"] != two["ImageId"]
    # another account sees the same public ids
    other = env.client(aws_access_key_id="111122223333", aws_secret_access_key="x")
    assert other.describe_images(ImageIds=[one["ImageId"]])["Images"][0]["Name"] == one["Name"]
    # the id of one region is unknown in another
    assert_error(virginia.describe_images, "InvalidAMIID.NotFound", ImageIds=[one["ImageId"]])


def test_publishers_and_their_naming(ec2: Any, frozen: None) -> None:
    ubuntu = ec2.describe_images(
        Owners=["099720109477"],
        Filters=[
            {
                "Name": "name",
                "Values": ["ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-*"],
            }
        ],
    )["Images"]
    assert ubuntu
    image = newest(ubuntu)
    assert image["RootDeviceName"] == "/dev/sda1"
    assert "ImageOwnerAlias" not in image
    assert image["ImageLocation"].startswith("099720109477/ubuntu/images/")
    jammy = ec2.describe_images(
        Owners=["099720109477"],
        Filters=[
            {"Name": "name", "Values": ["ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-arm64-server-*"]}
        ],
    )["Images"]
    assert jammy and all(i["Architecture"] == "arm64" for i in jammy)
    debian = ec2.describe_images(
        Owners=["136693071363"], Filters=[{"Name": "name", "Values": ["debian-12-*"]}]
    )
    assert {i["Architecture"] for i in debian["Images"]} == {"x86_64", "arm64"}
    rhel = ec2.describe_images(
        Owners=["309956199498"], Filters=[{"Name": "name", "Values": ["RHEL-9*"]}]
    )
    assert rhel["Images"]
    assert {i["PlatformDetails"] for i in rhel["Images"]} == {"Red Hat Enterprise Linux"}
    assert {i["UsageOperation"] for i in rhel["Images"]} == {"RunInstances:0010"}
    suse = ec2.describe_images(Owners=["013907871322"])["Images"]
    assert suse and {i["PlatformDetails"] for i in suse} == {"SUSE Linux"}


def test_windows_images(ec2: Any, frozen: None) -> None:
    windows = ec2.describe_images(
        Owners=["amazon"], Filters=[{"Name": "platform", "Values": ["windows"]}]
    )["Images"]
    names = {re.sub(r"-\d{4}\.\d\d\.\d\d$", "", i["Name"]) for i in windows}
    assert names == {
        f"Windows_Server-{v}-English-{e}-Base"
        for v in ("2016", "2019", "2022", "2025")
        for e in ("Full", "Core")
    }
    for image in windows:
        assert image["OwnerId"] == "801119661308"
        assert image["ImageOwnerAlias"] == "amazon"
        assert image["Platform"] == "windows"
        assert image["PlatformDetails"] == "Windows"
        assert image["UsageOperation"] == "RunInstances:0002"
        assert image["RootDeviceName"] == "/dev/sda1"
        assert image["BlockDeviceMappings"][0]["Ebs"]["VolumeSize"] == 30


def test_deprecated_images_need_include_deprecated(env: Any, ec2: Any) -> None:
    # two years after the oldest releases, and before the newest are deprecated
    env.clock.freeze(datetime(2026, 6, 30, tzinfo=timezone.utc))
    shown = ec2.describe_images(Owners=["amazon"], Filters=AL2023_X86)["Images"]
    every = ec2.describe_images(Owners=["amazon"], Filters=AL2023_X86, IncludeDeprecated=True)[
        "Images"
    ]
    assert len(every) > len(shown)
    old = [i for i in every if i not in shown]
    for image in old:
        assert image["DeprecationTime"] < "2026-06-30"
    # named by id, a deprecated image is still described
    assert ec2.describe_images(ImageIds=[old[0]["ImageId"]])["Images"][0]["Name"] == old[0]["Name"]


def test_owner_and_user_scopes(ec2: Any, frozen: None) -> None:
    amazon = ec2.describe_images(Owners=["amazon"])["Images"]
    by_id = ec2.describe_images(Owners=["137112412989"])["Images"]
    assert {i["ImageId"] for i in by_id} < {i["ImageId"] for i in amazon}
    assert ec2.describe_images(Owners=["aws-marketplace"])["Images"] == []
    assert ec2.describe_images(Owners=["self"])["Images"] == []
    public = ec2.describe_images(ExecutableUsers=["all"], Owners=["013907871322"])["Images"]
    assert public and all(i["Public"] for i in public)
    assert_error(ec2.describe_images, "InvalidUserID.Malformed", Owners=["nobody"])


def test_paging_walks_the_catalogue(ec2: Any, frozen: None) -> None:
    pages = ec2.get_paginator("describe_images").paginate(
        Owners=["amazon"], PaginationConfig={"PageSize": 50}
    )
    ids = [i["ImageId"] for p in pages for i in p["Images"]]
    assert len(ids) == len(set(ids)) == len(ec2.describe_images(Owners=["amazon"])["Images"])
    assert len(ids) > 50


def test_unknown_and_malformed_ids(ec2: Any) -> None:
    assert_error(
        ec2.describe_images,
        "InvalidAMIID.NotFound",
        message=r"\[ami-0123456789abcdef0\]",
        ImageIds=["ami-0123456789abcdef0"],
    )
    assert_error(ec2.describe_images, "InvalidAMIID.Malformed", ImageIds=["ami-xyz"])


def test_catalogue_is_loaded_lazily() -> None:
    """Neither importing cloudmock nor starting a mock reads the catalogue."""
    root = Path(__file__).resolve().parents[2]
    code = (
        "import boto3, cloudmock\n"
        "from cloudmock.services.ec2.models import ami_catalogue\n"
        "with cloudmock.mock_aws():\n"
        "    ec2 = boto3.client('ec2', region_name='eu-west-1')\n"
        "    ec2.describe_vpcs()\n"
        "    ec2.run_instances(ImageId='ami-f00ba4', MinCount=1, MaxCount=1)\n"
        "    assert ami_catalogue._raw is None\n"
        "    ec2.describe_images(Owners=['amazon'])\n"
        "    assert ami_catalogue._raw is not None\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=root, timeout=120)


def test_the_data_file_is_what_the_script_writes() -> None:
    root = Path(__file__).resolve().parents[2]
    sys.path.insert(0, str(root / "scripts"))
    try:
        import generate_ami_catalogue as script
    finally:
        sys.path.remove(str(root / "scripts"))
    written = (root / "cloudmock/services/ec2/data/ami_catalogue.json").read_text()
    assert written == script.render()
