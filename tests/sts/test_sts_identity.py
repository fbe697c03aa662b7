"""GetCallerIdentity, GetAccessKeyInfo, and what STS leaves unimplemented."""

from __future__ import annotations

import pytest
from client_errors import assert_error
from sts_helpers import ACCOUNT, DEPLOYER, OTHER

import cloudmock


def test_caller_is_the_accounts_root(sts):
    assert {k: v for k, v in sts.get_caller_identity().items() if k != "ResponseMetadata"} == {
        "UserId": ACCOUNT,
        "Account": ACCOUNT,
        "Arn": f"arn:aws:iam::{ACCOUNT}:root",
    }


def test_a_twelve_digit_key_is_its_account(env):
    sts = env.client("sts", aws_access_key_id=OTHER, aws_secret_access_key="x")
    assert sts.get_caller_identity()["Arn"] == f"arn:aws:iam::{OTHER}:root"


def test_global_endpoint_answers_too(env):
    sts = env.client("sts", region="us-east-1")
    assert sts.get_caller_identity()["Account"] == ACCOUNT


def test_access_key_info(env, sts):
    issued = sts.assume_role(RoleArn=DEPLOYER, RoleSessionName="s1")["Credentials"]
    env.state.config.access_keys["AKIAMAPPEDKEY0000001"] = "333333333333"
    for key, account in [
        (issued["AccessKeyId"], OTHER),
        ("AKIAMAPPEDKEY0000001", "333333333333"),
        ("AKIAUNKNOWNKEY000001", ACCOUNT),
    ]:
        assert sts.get_access_key_info(AccessKeyId=key)["Account"] == account
    assert_error(
        sts.get_access_key_info, "ValidationError", 400, AccessKeyId="AKIA-not-a-key-at-all"
    )


def test_unimplemented_operations_answer_not_implemented(sts):
    assert_error(sts.get_federation_token, "NotImplemented", 501, Name="bob")


def test_options_are_checked():
    with pytest.raises(ValueError, match="unknown STS option"):
        cloudmock.mock_aws(options={"sts": {"require_role": True}})
    with pytest.raises(ValueError, match="true or false"):
        cloudmock.mock_aws(options={"sts": {"require_roles": "perhaps"}})
    cloudmock.mock_aws(options={"sts": {"require_roles": "true"}})
