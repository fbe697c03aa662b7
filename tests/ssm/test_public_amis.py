"""SSM's public AMI parameters (``/aws/service/...``) name the newest catalogue image of the region."""

from __future__ import annotations

from typing import Any

import pytest
from ssm_helpers import assert_error, names

AL = "/aws/service/ami-amazon-linux-latest"
UBUNTU = "/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id"
WINDOWS = "/aws/service/ami-windows-latest/Windows_Server-2022-English-Full-Base"
DEBIAN = "/aws/service/debian/release/12/latest/amd64"


def newest(ec2: Any, owner: str, pattern: str) -> dict[str, Any]:
    found = ec2.describe_images(
        Owners=[owner], Filters=[{"Name": "name", "Values": [pattern]}], IncludeDeprecated=True
    )["Images"]
    return max(found, key=lambda i: i["CreationDate"])


@pytest.mark.parametrize(
    ("name", "owner", "pattern"),
    [
        (f"{AL}/al2023-ami-kernel-default-x86_64", "amazon", "al2023-ami-2023.*-kernel-6.1-x86_64"),
        (f"{AL}/al2023-ami-kernel-6.12-arm64", "amazon", "al2023-ami-2023.*-kernel-6.12-arm64"),
        (
            f"{AL}/al2023-ami-minimal-kernel-default-arm64",
            "amazon",
            "al2023-ami-minimal-2023.*-kernel-6.1-arm64",
        ),
        (f"{AL}/amzn2-ami-hvm-x86_64-gp2", "amazon", "amzn2-ami-hvm-2.0.*-x86_64-gp2"),
        (f"{AL}/amzn2-ami-hvm-arm64-ebs", "amazon", "amzn2-ami-hvm-2.0.*-arm64-ebs"),
        (
            f"{AL}/amzn2-ami-kernel-5.10-hvm-x86_64-gp2",
            "amazon",
            "amzn2-ami-kernel-5.10-hvm-2.0.*-x86_64-gp2",
        ),
        (UBUNTU, "099720109477", "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-*"),
        (
            "/aws/service/canonical/ubuntu/server/jammy/stable/current/arm64/hvm/ebs-gp2/ami-id",
            "099720109477",
            "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-arm64-server-*",
        ),
        (WINDOWS, "amazon", "Windows_Server-2022-English-Full-Base-*"),
        (DEBIAN, "136693071363", "debian-12-amd64-*"),
        ("/aws/service/debian/release/bullseye/latest/arm64", "136693071363", "debian-11-arm64-*"),
    ],
)
def test_a_public_parameter_names_the_newest_image(
    env: Any, ssm: Any, name: str, owner: str, pattern: str
) -> None:
    shown = ssm.get_parameter(Name=name)["Parameter"]
    expected = newest(env.client(), owner, pattern)
    assert shown["Value"] == expected["ImageId"]
    assert shown["DataType"] == "aws:ec2:image"
    assert shown["Type"] == "String"
    assert shown["ARN"] == f"arn:aws:ssm:eu-west-1::parameter{name}"
    assert shown["LastModifiedDate"].year >= 2024


def test_each_region_names_its_own_ids(env: Any) -> None:
    name = f"{AL}/al2023-ami-kernel-default-x86_64"
    ireland = env.client("ssm", region="eu-west-1").get_parameter(Name=name)["Parameter"]
    virginia = env.client("ssm", region="us-east-1").get_parameter(Name=name)["Parameter"]
    assert ireland["Value"] != virginia["Value"]
    launched = env.client(region="us-east-1").describe_images(ImageIds=[virginia["Value"]])
    assert launched["Images"][0]["Name"].startswith("al2023-ami-2023.")


def by_path(ssm: Any, **kw: Any) -> list[dict[str, Any]]:
    pages = ssm.get_paginator("get_parameters_by_path").paginate(**kw)
    return [p for page in pages for p in page["Parameters"]]


def test_parameters_by_path(ssm: Any) -> None:
    listed = names(by_path(ssm, Path=AL))
    assert f"{AL}/al2023-ami-kernel-default-x86_64" in listed
    assert f"{AL}/amzn2-ami-minimal-hvm-arm64-ebs" in listed
    assert all(n.startswith(f"{AL}/") for n in listed)
    windows = names(by_path(ssm, Path="/aws/service/ami-windows-latest"))
    assert len(windows) == 8
    ubuntu = by_path(ssm, Path="/aws/service/canonical/ubuntu/server/24.04", Recursive=True)
    assert UBUNTU in names(ubuntu)
    # one parameter per Ubuntu serial, too
    pinned = [n for n in names(ubuntu) if "/stable/current/" not in n]
    assert pinned and all("/stable/2" in n for n in pinned)
    assert ssm.get_parameters_by_path(Path="/aws/service/debian/release/12", Recursive=True)[
        "Parameters"
    ]
    assert ssm.get_parameters_by_path(Path=UBUNTU)["Parameters"] == []


def test_versions_and_unknown_names(ssm: Any) -> None:
    name = f"{AL}/al2023-ami-kernel-default-x86_64"
    shown = ssm.get_parameter(Name=name)["Parameter"]
    assert shown["Version"] > 1
    assert (
        ssm.get_parameter(Name=f"{name}:{shown['Version']}")["Parameter"]["Value"] == shown["Value"]
    )
    assert_error(ssm.get_parameter, "ParameterNotFound", Name=f"{AL}/al2025-nothing")
    found = ssm.get_parameters(Names=[name, WINDOWS, f"{AL}/missing"])
    assert names(found["Parameters"]) == [name, WINDOWS]
    assert found["InvalidParameters"] == [f"{AL}/missing"]


def test_launch_through_resolve_ssm(env: Any, ssm: Any) -> None:
    ec2 = env.client()
    name = f"{AL}/al2023-ami-kernel-default-x86_64"
    expected = ssm.get_parameter(Name=name)["Parameter"]
    launched = ec2.run_instances(
        ImageId=f"resolve:ssm:{name}", InstanceType="t3.micro", MinCount=1, MaxCount=1
    )["Instances"][0]
    assert launched["ImageId"] == expected["Value"]
    pinned = ec2.run_instances(
        ImageId=f"resolve:ssm:{name}:{expected['Version']}", MinCount=1, MaxCount=1
    )["Instances"][0]
    assert pinned["ImageId"] == expected["Value"]
    # an account's own parameter, by version
    ssm.put_parameter(Name="/golden/ami", Value="ami-0123456789abcdef0", Type="String")
    ssm.put_parameter(
        Name="/golden/ami", Value="ami-0fedcba9876543210", Type="String", Overwrite=True
    )
    first = ec2.run_instances(ImageId="resolve:ssm:/golden/ami:1", MinCount=1, MaxCount=1)
    assert first["Instances"][0]["ImageId"] == "ami-0123456789abcdef0"
    latest = ec2.run_instances(ImageId="resolve:ssm:/golden/ami", MinCount=1, MaxCount=1)
    assert latest["Instances"][0]["ImageId"] == "ami-0fedcba9876543210"
    for missing in ("resolve:ssm:/no/such/parameter", "resolve:ssm:/golden/ami:7"):
        error = assert_error(
            ec2.run_instances, "InvalidParameterValue", ImageId=missing, MinCount=1, MaxCount=1
        )
        assert missing in error["Message"]
    ssm.put_parameter(Name="/not/an/ami", Value="hello", Type="String")
    assert_error(
        ec2.run_instances,
        "InvalidParameterValue",
        ImageId="resolve:ssm:/not/an/ami",
        MinCount=1,
        MaxCount=1,
    )
