"""``mock_aws(state_dir=...)``: the in-process mock keeps its state on disk between runs."""

from __future__ import annotations

import boto3
import pytest

import cloudmock


def ec2():
    return boto3.client(
        "ec2", "eu-west-1", aws_access_key_id="testing", aws_secret_access_key="testing"
    )


def ssm():
    return boto3.client(
        "ssm", "eu-west-1", aws_access_key_id="testing", aws_secret_access_key="testing"
    )


def own_vpcs() -> set[str]:
    return {v["VpcId"] for v in ec2().describe_vpcs()["Vpcs"] if not v["IsDefault"]}


def test_a_later_run_finds_what_an_earlier_one_made(tmp_path):
    with cloudmock.mock_aws(state_dir=tmp_path, seed=7):
        vpc = ec2().create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
        ssm().put_parameter(Name="/app/db", Value="postgres", Type="String")

    with cloudmock.mock_aws():  # no directory: a fresh state, the directory untouched
        assert own_vpcs() == set()

    with cloudmock.mock_aws(state_dir=tmp_path, seed=7):
        assert own_vpcs() == {vpc}
        assert ssm().get_parameter(Name="/app/db")["Parameter"]["Value"] == "postgres"
        # the id stream went on where it stopped: a seeded run does not repeat an id
        again = ec2().create_vpc(CidrBlock="10.2.0.0/16")["Vpc"]["VpcId"]
        assert again != vpc

    with cloudmock.mock_ec2(state_dir=tmp_path):
        assert own_vpcs() == {vpc, again}


def test_reset_forgets_the_directory_too(tmp_path):
    with cloudmock.mock_aws(state_dir=tmp_path) as mock:
        ec2().create_vpc(CidrBlock="10.1.0.0/16")
        mock.reset()
    with cloudmock.mock_aws(state_dir=tmp_path):
        assert own_vpcs() == set()


def test_an_inner_mock_cannot_ask_for_another_directory(tmp_path):
    with cloudmock.mock_aws(state_dir=tmp_path / "a"):
        with cloudmock.mock_aws():  # no directory of its own: shares the outer one
            ec2().create_vpc(CidrBlock="10.1.0.0/16")
        with pytest.raises(ValueError, match="state_dir"):
            cloudmock.mock_aws(state_dir=tmp_path / "b").start()
        with cloudmock.mock_aws(state_dir=tmp_path / "a"):
            assert len(own_vpcs()) == 1
