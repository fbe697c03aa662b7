"""Placement groups: strategies, partitions, spread limits, membership through launches."""

from __future__ import annotations

import re

from ec2_helpers import ID17, assert_error, assert_launch_error, launch, launch_ids


def groups(ec2, **kw):
    return ec2.describe_placement_groups(**kw)["PlacementGroups"]


def test_create_each_strategy(ec2):
    cluster = ec2.create_placement_group(GroupName="hpc", Strategy="cluster")["PlacementGroup"]
    assert re.fullmatch(rf"pg-{ID17}", cluster["GroupId"])
    assert cluster["State"] == "available"
    assert cluster["GroupArn"].endswith(":placement-group/hpc")
    assert cluster["GroupArn"].startswith("arn:aws:ec2:eu-west-1:")
    assert "PartitionCount" not in cluster and "SpreadLevel" not in cluster
    spread = ec2.create_placement_group(GroupName="web", Strategy="spread")["PlacementGroup"]
    assert spread["SpreadLevel"] == "rack"
    part = ec2.create_placement_group(GroupName="kafka", Strategy="partition", PartitionCount=5)
    assert part["PlacementGroup"]["PartitionCount"] == 5
    default = ec2.create_placement_group(GroupName="p2", Strategy="partition")["PlacementGroup"]
    assert default["PartitionCount"] == 2
    assert [g["GroupName"] for g in groups(ec2)] == ["hpc", "web", "kafka", "p2"]


def test_create_errors(ec2):
    ec2.create_placement_group(GroupName="dup", Strategy="cluster")
    assert_error(
        ec2.create_placement_group,
        "InvalidPlacementGroup.Duplicate",
        message="dup",
        GroupName="dup",
        Strategy="spread",
    )
    for count in (0, 8):
        assert_error(
            ec2.create_placement_group,
            "InvalidParameterValue",
            GroupName="p",
            Strategy="partition",
            PartitionCount=count,
        )
    assert_error(
        ec2.create_placement_group,
        "InvalidParameterCombination",
        GroupName="p",
        Strategy="cluster",
        PartitionCount=3,
    )
    assert_error(
        ec2.create_placement_group,
        "InvalidParameterValue",
        GroupName="p",
        Strategy="spread",
        SpreadLevel="host",
    )
    assert_error(ec2.create_placement_group, "MissingParameter", Strategy="cluster")
    assert [g["GroupName"] for g in groups(ec2)] == ["dup"]


def test_describe_filters_tags_and_unknown(ec2):
    made = ec2.create_placement_group(
        GroupName="tagged",
        Strategy="spread",
        TagSpecifications=[
            {"ResourceType": "placement-group", "Tags": [{"Key": "team", "Value": "a"}]}
        ],
    )["PlacementGroup"]
    assert made["Tags"] == [{"Key": "team", "Value": "a"}]
    ec2.create_placement_group(GroupName="plain", Strategy="partition", PartitionCount=3)

    def names(*filters):
        return [g["GroupName"] for g in groups(ec2, Filters=list(filters))]

    assert names({"Name": "strategy", "Values": ["spread"]}) == ["tagged"]
    assert names({"Name": "group-name", "Values": ["pl*"]}) == ["plain"]
    assert names({"Name": "group-arn", "Values": [made["GroupArn"]]}) == ["tagged"]
    assert names({"Name": "spread-level", "Values": ["rack"]}) == ["tagged"]
    assert names({"Name": "state", "Values": ["available"]}) == ["tagged", "plain"]
    assert names({"Name": "tag:team", "Values": ["a"]}) == ["tagged"]
    assert names({"Name": "tag-key", "Values": ["team"]}) == ["tagged"]
    assert [g["GroupName"] for g in groups(ec2, GroupIds=[made["GroupId"]])] == ["tagged"]
    assert [g["GroupName"] for g in groups(ec2, GroupNames=["plain"])] == ["plain"]
    assert_error(
        ec2.describe_placement_groups,
        "InvalidPlacementGroup.Unknown",
        message="The Placement Group 'nope' is unknown",
        GroupNames=["nope"],
    )
    assert_error(
        ec2.describe_placement_groups,
        "InvalidPlacementGroup.Unknown",
        GroupIds=["pg-0123456789abcdef0"],
    )
    assert_error(ec2.describe_placement_groups, "InvalidPlacementGroupId.Malformed", GroupIds=["x"])


def test_delete(ec2):
    ec2.create_placement_group(GroupName="gone", Strategy="cluster")
    ec2.delete_placement_group(GroupName="gone")
    assert groups(ec2) == []
    assert_error(ec2.delete_placement_group, "InvalidPlacementGroup.Unknown", GroupName="gone")


def test_dry_run(ec2):
    assert_error(
        ec2.create_placement_group, "DryRunOperation", 412, DryRun=True, GroupName="d",
        Strategy="cluster",
    )  # fmt: skip
    assert groups(ec2) == []
    ec2.create_placement_group(GroupName="d", Strategy="cluster")
    assert_error(ec2.delete_placement_group, "DryRunOperation", 412, DryRun=True, GroupName="d")
    assert len(groups(ec2)) == 1


def test_launch_into_unknown_group(ec2):
    assert_launch_error(ec2, "InvalidPlacementGroup.Unknown", Placement={"GroupName": "missing"})


def test_membership_blocks_delete_until_terminated(ec2):
    ec2.create_placement_group(GroupName="busy", Strategy="cluster")
    [instance_id] = launch_ids(ec2, InstanceType="c5.large", Placement={"GroupName": "busy"})
    assert_error(ec2.delete_placement_group, "InvalidPlacementGroup.InUse", GroupName="busy")
    ec2.terminate_instances(InstanceIds=[instance_id])
    ec2.describe_instances()  # the termination completes on the mock's clock
    ec2.delete_placement_group(GroupName="busy")


def test_launch_by_group_id(ec2):
    group = ec2.create_placement_group(GroupName="byid", Strategy="cluster")["PlacementGroup"]
    launch(ec2, InstanceType="c5.large", Placement={"GroupId": group["GroupId"]})
    assert_error(ec2.delete_placement_group, "InvalidPlacementGroup.InUse", GroupName="byid")


def test_cluster_stays_in_one_zone(ec2):
    ec2.create_placement_group(GroupName="one-zone", Strategy="cluster")
    launch(
        ec2,
        InstanceType="c5.large",
        Placement={"GroupName": "one-zone", "AvailabilityZone": "eu-west-1a"},
    )
    assert_launch_error(
        ec2,
        "InvalidPlacementGroup.InUse",
        message="in use in another availability zone: eu-west-1a",
        InstanceType="c5.large",
        Placement={"GroupName": "one-zone", "AvailabilityZone": "eu-west-1b"},
    )


def test_spread_holds_seven_running_per_zone(ec2):
    ec2.create_placement_group(GroupName="spread", Strategy="spread")
    placed = {"GroupName": "spread", "AvailabilityZone": "eu-west-1a"}
    launch(ec2, 7, InstanceType="m5.large", Placement=placed)
    assert_launch_error(
        ec2, "InsufficientInstanceCapacity", InstanceType="m5.large", Placement=placed
    )
    # another zone has room of its own
    launch(ec2, InstanceType="m5.large", Placement={**placed, "AvailabilityZone": "eu-west-1b"})


def test_partition_numbers(ec2):
    ec2.create_placement_group(GroupName="parts", Strategy="partition", PartitionCount=3)
    launch(ec2, InstanceType="m5.large", Placement={"GroupName": "parts", "PartitionNumber": 3})
    assert_launch_error(
        ec2,
        "InvalidParameterValue",
        message="PartitionNumber",
        InstanceType="m5.large",
        Placement={"GroupName": "parts", "PartitionNumber": 4},
    )
    ec2.create_placement_group(GroupName="clus", Strategy="cluster")
    assert_launch_error(
        ec2,
        "InvalidParameterCombination",
        InstanceType="m5.large",
        Placement={"GroupName": "clus", "PartitionNumber": 1},
    )


def test_burstable_types_cannot_join_a_cluster(ec2):
    ec2.create_placement_group(GroupName="fast", Strategy="cluster")
    assert_launch_error(
        ec2,
        "InvalidParameterCombination",
        message="t3.micro",
        InstanceType="t3.micro",
        Placement={"GroupName": "fast"},
    )
