"""A seed makes the ids a user sees reproducible (patched mode: the seed is the mock's)."""

from __future__ import annotations

import boto3

import cloudmock


def _run(seed):
    with cloudmock.mock_ec2(seed=seed):
        ec2 = boto3.client("ec2", region_name="eu-west-1")
        reservation = ec2.run_instances(ImageId="ami-12345678", MinCount=2, MaxCount=2)
        return (
            reservation["ReservationId"],
            [i["InstanceId"] for i in reservation["Instances"]],
            ec2.describe_vpcs()["Vpcs"][0]["VpcId"],
            sorted(s["SubnetId"] for s in ec2.describe_subnets()["Subnets"]),
        )


def test_same_seed_same_ids():
    assert _run(42) == _run(42)


def test_other_seed_other_ids():
    assert _run(42) != _run(43)


def test_no_seed_differs_each_time():
    assert _run(None) != _run(None)


def test_seeded_regions_do_not_depend_on_each_other():
    def us_vpc(touch_eu_first):
        with cloudmock.mock_ec2(seed=5):
            if touch_eu_first:
                boto3.client("ec2", region_name="eu-west-1").run_instances(
                    ImageId="ami-12345678", MinCount=3, MaxCount=3
                )
            us = boto3.client("ec2", region_name="us-east-1")
            return us.describe_vpcs()["Vpcs"][0]["VpcId"]

    assert us_vpc(False) == us_vpc(True)
