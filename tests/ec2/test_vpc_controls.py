"""VPC Block Public Access, VPC encryption controls, and ClassicLink (retired)."""

from __future__ import annotations

import re

import pytest
from ec2_helpers import ID17, assert_error


@pytest.fixture
def vpc_id(ec2):
    return ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]


def bpa_of_vpc(ec2, vpc_id):
    return ec2.describe_vpcs(VpcIds=[vpc_id])["Vpcs"][0]["BlockPublicAccessStates"][
        "InternetGatewayBlockMode"
    ]


def bpa_of_subnet(ec2, subnet_id):
    return ec2.describe_subnets(SubnetIds=[subnet_id])["Subnets"][0]["BlockPublicAccessStates"][
        "InternetGatewayBlockMode"
    ]


# -- Block Public Access


def test_bpa_options(ec2, vpc_id):
    options = ec2.describe_vpc_block_public_access_options()["VpcBlockPublicAccessOptions"]
    assert options["InternetGatewayBlockMode"] == "off"
    assert options["State"] == "default-state"
    assert options["AwsAccountId"] == "123456789012"
    assert options["AwsRegion"] == "eu-west-1"
    assert options["ExclusionsAllowed"] == "allowed"
    assert_error(
        ec2.modify_vpc_block_public_access_options, "DryRunOperation", 412,
        InternetGatewayBlockMode="block-bidirectional", DryRun=True,
    )  # fmt: skip
    assert bpa_of_vpc(ec2, vpc_id) == "off"
    changed = ec2.modify_vpc_block_public_access_options(
        InternetGatewayBlockMode="block-bidirectional"
    )["VpcBlockPublicAccessOptions"]
    assert changed["State"] == "update-in-progress"
    assert changed["InternetGatewayBlockMode"] == "block-bidirectional"
    options = ec2.describe_vpc_block_public_access_options()["VpcBlockPublicAccessOptions"]
    assert options["State"] == "update-complete"
    assert "LastUpdateTimestamp" in options
    assert bpa_of_vpc(ec2, vpc_id) == "block-bidirectional"
    assert_error(
        ec2.modify_vpc_block_public_access_options, "InvalidParameterValue",
        InternetGatewayBlockMode="sometimes",
    )  # fmt: skip


def test_bpa_exclusions(ec2, vpc_id):
    subnet_id = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.0.0.0/24")["Subnet"]["SubnetId"]
    other = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
    ec2.modify_vpc_block_public_access_options(InternetGatewayBlockMode="block-bidirectional")
    tags = [
        {"ResourceType": "vpc-block-public-access-exclusion", "Tags": [{"Key": "k", "Value": "v"}]}
    ]
    vpc_excl = ec2.create_vpc_block_public_access_exclusion(
        VpcId=vpc_id, InternetGatewayExclusionMode="allow-egress", TagSpecifications=tags
    )["VpcBlockPublicAccessExclusion"]
    assert re.fullmatch(rf"vpcbpa-exclude-{ID17}", vpc_excl["ExclusionId"])
    assert vpc_excl["State"] == "create-in-progress"
    assert vpc_excl["ResourceArn"] == f"arn:aws:ec2:eu-west-1:123456789012:vpc/{vpc_id}"
    assert vpc_excl["Tags"] == [{"Key": "k", "Value": "v"}]
    sub_excl = ec2.create_vpc_block_public_access_exclusion(
        SubnetId=subnet_id, InternetGatewayExclusionMode="allow-bidirectional"
    )["VpcBlockPublicAccessExclusion"]
    # the exclusions ease the account's mode where they apply
    assert bpa_of_vpc(ec2, vpc_id) == "block-ingress"
    assert bpa_of_subnet(ec2, subnet_id) == "off"
    assert bpa_of_subnet(ec2, other) == "block-ingress"
    default_vpc = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]
    assert (
        default_vpc["BlockPublicAccessStates"]["InternetGatewayBlockMode"] == "block-bidirectional"
    )

    def ids(name, value):
        found = ec2.describe_vpc_block_public_access_exclusions(
            Filters=[{"Name": name, "Values": [value]}]
        )["VpcBlockPublicAccessExclusions"]
        return {e["ExclusionId"] for e in found}

    both = {vpc_excl["ExclusionId"], sub_excl["ExclusionId"]}
    assert ids("internet-gateway-exclusion-mode", "allow-egress") == {vpc_excl["ExclusionId"]}
    assert ids("resource-arn", vpc_excl["ResourceArn"]) == {vpc_excl["ExclusionId"]}
    assert ids("state", "create-complete") == both
    assert ids("tag:k", "v") == {vpc_excl["ExclusionId"]}
    assert ids("tag-key", "k") == {vpc_excl["ExclusionId"]}
    assert ids("tag-value", "v") == {vpc_excl["ExclusionId"]}

    modified = ec2.modify_vpc_block_public_access_exclusion(
        ExclusionId=vpc_excl["ExclusionId"], InternetGatewayExclusionMode="allow-bidirectional"
    )["VpcBlockPublicAccessExclusion"]
    assert modified["State"] == "update-in-progress"
    assert bpa_of_vpc(ec2, vpc_id) == "off"
    assert_error(
        ec2.create_vpc_block_public_access_exclusion, "InvalidParameterValue",
        VpcId=vpc_id, InternetGatewayExclusionMode="allow-egress",
    )  # fmt: skip
    assert_error(
        ec2.create_vpc_block_public_access_exclusion, "InvalidParameterCombination",
        VpcId=vpc_id, SubnetId=subnet_id, InternetGatewayExclusionMode="allow-egress",
    )  # fmt: skip
    assert_error(
        ec2.create_vpc_block_public_access_exclusion, "MissingParameter",
        InternetGatewayExclusionMode="allow-egress",
    )  # fmt: skip
    assert_error(
        ec2.create_vpc_block_public_access_exclusion, "InvalidSubnetID.NotFound",
        SubnetId="subnet-0123456789abcdef0", InternetGatewayExclusionMode="allow-egress",
    )  # fmt: skip
    assert_error(
        ec2.delete_vpc_block_public_access_exclusion, "DryRunOperation", 412,
        ExclusionId=sub_excl["ExclusionId"], DryRun=True,
    )  # fmt: skip
    gone = ec2.delete_vpc_block_public_access_exclusion(ExclusionId=sub_excl["ExclusionId"])
    assert gone["VpcBlockPublicAccessExclusion"]["State"] == "delete-in-progress"
    assert bpa_of_subnet(ec2, subnet_id) == "off"  # now follows the VPC's exclusion
    [shown] = ec2.describe_vpc_block_public_access_exclusions(
        ExclusionIds=[sub_excl["ExclusionId"]]
    )["VpcBlockPublicAccessExclusions"]
    assert shown["State"] == "delete-complete" and "DeletionTimestamp" in shown
    assert_error(
        ec2.modify_vpc_block_public_access_exclusion, "IncorrectState",
        ExclusionId=sub_excl["ExclusionId"], InternetGatewayExclusionMode="allow-egress",
    )  # fmt: skip
    assert_error(
        ec2.delete_vpc_block_public_access_exclusion, "InvalidVpcBlockPublicAccessExclusionId.NotFound",
        ExclusionId="vpcbpa-exclude-0123456789abcdef0",
    )  # fmt: skip


# -- encryption controls


def test_encryption_control(ec2, vpc_id):
    tags = [{"ResourceType": "vpc-encryption-control", "Tags": [{"Key": "k", "Value": "v"}]}]
    assert_error(
        ec2.create_vpc_encryption_control, "DryRunOperation", 412, VpcId=vpc_id, DryRun=True
    )
    control = ec2.create_vpc_encryption_control(VpcId=vpc_id, TagSpecifications=tags)[
        "VpcEncryptionControl"
    ]
    control_id = control["VpcEncryptionControlId"]
    assert re.fullmatch(rf"vpcec-{ID17}", control_id)
    assert control["Mode"] == "monitor"
    assert control["State"] == "creating"
    assert control["Tags"] == [{"Key": "k", "Value": "v"}]
    assert control["ResourceExclusions"]["InternetGateway"] == {"State": "disabled"}
    vpc = ec2.describe_vpcs(VpcIds=[vpc_id])["Vpcs"][0]
    assert vpc["EncryptionControl"]["VpcEncryptionControlId"] == control_id
    assert vpc["EncryptionControl"]["State"] == "available"
    assert_error(ec2.create_vpc_encryption_control, "IncorrectState", VpcId=vpc_id)

    modified = ec2.modify_vpc_encryption_control(
        VpcEncryptionControlId=control_id, Mode="enforce", NatGatewayExclusion="enable"
    )["VpcEncryptionControl"]
    assert modified["State"] == "enforce-in-progress"
    assert modified["ResourceExclusions"]["NatGateway"]["State"] == "enabling"
    [shown] = ec2.describe_vpc_encryption_controls(VpcEncryptionControlIds=[control_id])[
        "VpcEncryptionControls"
    ]
    assert shown["Mode"] == "enforce" and shown["State"] == "available"
    assert shown["ResourceExclusions"]["NatGateway"]["State"] == "enabled"
    assert_error(
        ec2.modify_vpc_encryption_control, "InvalidParameterValue",
        VpcEncryptionControlId=control_id, Mode="sometimes",
    )  # fmt: skip
    by_vpc = ec2.describe_vpc_encryption_controls(VpcIds=[vpc_id])["VpcEncryptionControls"]
    assert [c["VpcEncryptionControlId"] for c in by_vpc] == [control_id]
    blocking = ec2.get_vpc_resources_blocking_encryption_enforcement(VpcId=vpc_id)
    assert blocking["NonCompliantResources"] == []

    deleted = ec2.delete_vpc_encryption_control(VpcEncryptionControlId=control_id)
    assert deleted["VpcEncryptionControl"]["State"] == "deleting"
    assert not ec2.describe_vpc_encryption_controls()["VpcEncryptionControls"]
    assert "EncryptionControl" not in ec2.describe_vpcs(VpcIds=[vpc_id])["Vpcs"][0]
    assert_error(
        ec2.delete_vpc_encryption_control, "InvalidVpcEncryptionControlId.NotFound",
        VpcEncryptionControlId=control_id,
    )  # fmt: skip


def test_create_vpc_with_encryption_control(ec2):
    vpc = ec2.create_vpc(
        CidrBlock="10.0.0.0/16",
        VpcEncryptionControl={"Mode": "enforce", "InternetGatewayExclusion": "enable"},
        TagSpecifications=[
            {"ResourceType": "vpc-encryption-control", "Tags": [{"Key": "k", "Value": "v"}]}
        ],
    )["Vpc"]
    control = vpc["EncryptionControl"]
    assert control["State"] == "enforce-in-progress"
    shown = ec2.describe_vpcs(VpcIds=[vpc["VpcId"]])["Vpcs"][0]["EncryptionControl"]
    assert shown["Mode"] == "enforce" and shown["State"] == "available"
    assert shown["ResourceExclusions"]["InternetGateway"]["State"] == "enabled"
    assert shown["Tags"] == [{"Key": "k", "Value": "v"}]
    assert_error(
        ec2.create_vpc, "InvalidParameterValue", CidrBlock="10.0.0.0/16",
        VpcEncryptionControl={"Mode": "loud"},
    )  # fmt: skip


def test_account_encryption_control(ec2):
    control = ec2.describe_account_vpc_encryption_control()["AccountVpcEncryptionControl"]
    assert control["Mode"] == "unmanaged" and control["State"] == "default-state"
    assert control["ManagedBy"] == "account"
    changed = ec2.modify_account_vpc_encryption_control(Mode="attempt-monitor", Lambda="enable")[
        "AccountVpcEncryptionControl"
    ]
    assert changed["State"] == "transitions-in-progress"
    control = ec2.describe_account_vpc_encryption_control()["AccountVpcEncryptionControl"]
    assert control["Mode"] == "attempt-monitor"
    assert control["State"] == "transitions-successful"
    assert control["Exclusions"]["Lambda"] == "enable"
    assert control["Exclusions"]["NatGateway"] == "disable"
    assert_error(
        ec2.modify_account_vpc_encryption_control,
        "DryRunOperation",
        412,
        Mode="unmanaged",
        DryRun=True,
    )


# -- ClassicLink: EC2-Classic is retired


@pytest.mark.parametrize(
    ("operation", "kw"),
    [
        ("describe_vpc_classic_link", {}),
        ("describe_vpc_classic_link_dns_support", {}),
        ("enable_vpc_classic_link", {"VpcId": "vpc-0123456789abcdef0"}),
        ("disable_vpc_classic_link", {"VpcId": "vpc-0123456789abcdef0"}),
        ("enable_vpc_classic_link_dns_support", {"VpcId": "vpc-0123456789abcdef0"}),
        ("disable_vpc_classic_link_dns_support", {"VpcId": "vpc-0123456789abcdef0"}),
        (
            "attach_classic_link_vpc",
            {
                "InstanceId": "i-0123456789abcdef0",
                "VpcId": "vpc-0123456789abcdef0",
                "Groups": ["sg-0123456789abcdef0"],
            },
        ),
        (
            "detach_classic_link_vpc",
            {"InstanceId": "i-0123456789abcdef0", "VpcId": "vpc-0123456789abcdef0"},
        ),
    ],
)
def test_classic_link_is_retired(ec2, operation, kw):
    assert_error(getattr(ec2, operation), "UnsupportedOperation", message="not available", **kw)
