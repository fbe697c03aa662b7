"""AssumeRole and GetSessionToken: credentials that act in the role's account, and expire."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from client_errors import assert_error
from sts_helpers import ACCOUNT, DEPLOYER, OTHER, client_for

AMI = "ami-0abcdef1234567890"
NOW = datetime(2024, 6, 1, 8, 0, 0, tzinfo=timezone.utc)
SESSION_POLICY = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "ec2:*", "Resource": "*"}],
}


def unchecked(env, service="sts", **kw):
    """A client that skips botocore's own checks, so the request reaches cloudmock as sent."""
    return env.client(service, config=Config(parameter_validation=False), **kw)


def test_assume_role_returns_temporary_credentials(env, sts):
    env.clock.freeze(NOW)
    result = sts.assume_role(RoleArn=DEPLOYER, RoleSessionName="ci-run@42")
    credentials = result["Credentials"]
    assert re.fullmatch(r"ASIA[A-Z0-9]{16}", credentials["AccessKeyId"])
    assert len(credentials["SecretAccessKey"]) == 40
    assert len(credentials["SessionToken"]) > 100
    assert credentials["Expiration"] == NOW + timedelta(hours=1)
    user = result["AssumedRoleUser"]
    assert user["Arn"] == f"arn:aws:sts::{OTHER}:assumed-role/deployer/ci-run@42"
    assert re.fullmatch(r"AROA[A-Z0-9]{17}:ci-run@42", user["AssumedRoleId"])
    assert "PackedPolicySize" not in result and "SourceIdentity" not in result
    again = sts.assume_role(RoleArn=DEPLOYER, RoleSessionName="other")["AssumedRoleUser"]
    assert again["AssumedRoleId"].split(":")[0] == user["AssumedRoleId"].split(":")[0]


def test_caller_identity_before_and_after(env, sts):
    before = sts.get_caller_identity()
    assert before["Arn"] == f"arn:aws:iam::{ACCOUNT}:root"
    result = sts.assume_role(
        RoleArn=f"arn:aws:iam::{OTHER}:role/team/deployer", RoleSessionName="s1"
    )
    after = client_for(env, "sts", result["Credentials"]).get_caller_identity()
    assert after["Account"] == OTHER
    assert after["Arn"] == f"arn:aws:sts::{OTHER}:assumed-role/deployer/s1"
    assert after["UserId"] == result["AssumedRoleUser"]["AssumedRoleId"]
    assert sts.get_caller_identity()["Arn"] == before["Arn"]


def test_assumed_credentials_act_in_the_roles_account(env, sts):
    credentials = sts.assume_role(RoleArn=DEPLOYER, RoleSessionName="deploy")["Credentials"]
    as_deployer = client_for(env, "ec2", credentials)
    [launched] = as_deployer.run_instances(ImageId=AMI, MinCount=1, MaxCount=1)["Instances"]

    def instance_ids(ec2):
        return [
            i["InstanceId"]
            for r in ec2.describe_instances()["Reservations"]
            for i in r["Instances"]
        ]

    caller = env.client("ec2")
    other_account = env.client("ec2", aws_access_key_id=OTHER, aws_secret_access_key="x")
    assert instance_ids(caller) == []
    assert instance_ids(other_account) == [launched["InstanceId"]]
    assert instance_ids(as_deployer) == [launched["InstanceId"]]
    reservation = other_account.describe_instances()["Reservations"][0]
    assert reservation["OwnerId"] == OTHER


def test_credentials_expire_on_the_mock_clock(env, sts):
    env.clock.freeze(NOW)
    credentials = sts.assume_role(RoleArn=DEPLOYER, RoleSessionName="s1", DurationSeconds=900)[
        "Credentials"
    ]
    assert credentials["Expiration"] == NOW + timedelta(seconds=900)
    session = client_for(env, "sts", credentials)
    ec2 = client_for(env, "ec2", credentials)
    env.clock.advance(899)
    assert session.get_caller_identity()["Account"] == OTHER
    env.clock.advance(1)
    message = "The security token included in the request is expired"
    assert_error(session.get_caller_identity, "ExpiredToken", 400, message)
    assert_error(ec2.describe_instances, "ExpiredToken", 400, message)
    assert sts.get_caller_identity()["Account"] == ACCOUNT


def test_duration_seconds(env, sts):
    env.clock.freeze(NOW)
    longest = sts.assume_role(RoleArn=DEPLOYER, RoleSessionName="s1", DurationSeconds=43200)
    assert longest["Credentials"]["Expiration"] == NOW + timedelta(hours=12)
    chained = client_for(env, "sts", longest["Credentials"])
    assert_error(
        chained.assume_role,
        "ValidationError",
        400,
        "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by "
        "role chaining.",
        RoleArn=f"arn:aws:iam::{OTHER}:role/next",
        RoleSessionName="s2",
        DurationSeconds=3601,
    )
    hop = chained.assume_role(RoleArn=f"arn:aws:iam::{ACCOUNT}:role/back", RoleSessionName="s2")
    assert hop["AssumedRoleUser"]["Arn"] == f"arn:aws:sts::{ACCOUNT}:assumed-role/back/s2"


@pytest.mark.parametrize("seconds", [899, 43201])
def test_duration_seconds_bounds_are_stss(env, seconds):
    response = assert_error(
        unchecked(env).assume_role,
        "ValidationError",
        400,
        RoleArn=DEPLOYER,
        RoleSessionName="s1",
        DurationSeconds=seconds,
    )
    assert "at 'durationSeconds' failed to satisfy constraint" in response["Error"]["Message"]


@pytest.mark.parametrize("seconds", [899, 43201])
def test_duration_seconds_out_of_bounds_are_refused(env, seconds):
    with pytest.raises(ClientError) as info:
        unchecked(env).assume_role(RoleArn=DEPLOYER, RoleSessionName="s1", DurationSeconds=seconds)
    error = info.value.response["Error"]
    assert "DurationSeconds" in error["Message"] or "durationSeconds" in error["Message"]
    sessions = env.state.dump().get("sts", {}).get(ACCOUNT, {}).get("eu-west-1", {})
    assert not sessions.get("sessions")


def test_role_max_session_duration_is_honoured(env, sts):
    iam = env.client("iam")
    trust = {
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]
    }
    role = iam.create_role(
        RoleName="short", AssumeRolePolicyDocument=json.dumps(trust), MaxSessionDuration=3600
    )["Role"]
    assert_error(
        sts.assume_role,
        "ValidationError",
        400,
        "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
        RoleArn=role["Arn"],
        RoleSessionName="s1",
        DurationSeconds=7200,
    )
    assumed = sts.assume_role(RoleArn=role["Arn"], RoleSessionName="s1")["AssumedRoleUser"]
    assert assumed["AssumedRoleId"] == f"{role['RoleId']}:s1"


@pytest.mark.parametrize(
    "arn",
    [
        "arn:aws:iam::123:role/too-short-account",
        "arn:aws:iam::123456789012:user/not-a-role",
        "arn:aws:s3:::bucket-name-is-not-a-role",
        "deployer-without-an-arn-at-all",
        "arn:aws:iam::123456789012:role/has space",
    ],
)
def test_malformed_role_arns(sts, arn):
    assert_error(
        sts.assume_role,
        "ValidationError",
        400,
        "Request ARN is invalid",
        RoleArn=arn,
        RoleSessionName="s1",
    )


@pytest.mark.parametrize(
    ("kw", "where"),
    [
        ({"RoleSessionName": "has space"}, "roleSessionName"),
        ({"ExternalId": "no spaces please"}, "externalId"),
        ({"SourceIdentity": "who?"}, "sourceIdentity"),
        ({"Tags": [{"Key": "bad#key", "Value": "v"}]}, "tags.1.member.key"),
    ],
)
def test_members_are_validated_as_sts_does(sts, kw, where):
    kw = {"RoleSessionName": "s1", **kw}
    response = assert_error(sts.assume_role, "ValidationError", 400, RoleArn=DEPLOYER, **kw)
    assert (
        f"at '{where}' failed to satisfy constraint: Member must satisfy regular expression"
        in (response["Error"]["Message"])
    )


def test_session_policies_tags_and_source_identity(env, sts):
    result = sts.assume_role(
        RoleArn=DEPLOYER,
        RoleSessionName="s1",
        Policy=json.dumps(SESSION_POLICY),
        PolicyArns=[{"arn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}],
        Tags=[{"Key": "team", "Value": "blue"}, {"Key": "cost", "Value": "42"}],
        TransitiveTagKeys=["team"],
        ExternalId="ext-123",
        SourceIdentity="alice",
    )
    assert 0 < result["PackedPolicySize"] <= 100
    assert result["SourceIdentity"] == "alice"
    [session] = env.state.dump()["sts"][ACCOUNT]["eu-west-1"]["sessions"]
    assert (
        session["Tags"] == {"team": "blue", "cost": "42"} and session["SourceIdentity"] == "alice"
    )
    assert_error(
        sts.assume_role,
        "ValidationError",
        400,
        RoleArn=DEPLOYER,
        RoleSessionName="s1",
        Tags=[{"Key": "team", "Value": "a"}, {"Key": "Team", "Value": "b"}],
    )
    assert_error(
        sts.assume_role,
        "ValidationError",
        400,
        RoleArn=DEPLOYER,
        RoleSessionName="s1",
        Tags=[{"Key": "team", "Value": "a"}],
        TransitiveTagKeys=["project"],
    )
    assert_error(
        sts.assume_role,
        "MalformedPolicyDocument",
        400,
        RoleArn=DEPLOYER,
        RoleSessionName="s1",
        Policy="{not json",
    )
    assert_error(
        sts.assume_role,
        "ValidationError",
        400,
        RoleArn=DEPLOYER,
        RoleSessionName="s1",
        PolicyArns=[{"arn": "arn:aws:iam::123456789012:role/not-a-policy"}],
    )


def test_require_roles_checks_iam(env, sts, sts_options):
    sts_options(require_roles=True)
    assert_error(
        sts.assume_role,
        "AccessDenied",
        403,
        re.escape(
            f"User: arn:aws:iam::{ACCOUNT}:root is not authorized to perform: sts:AssumeRole "
            f"on resource: {DEPLOYER}"
        ),
        RoleArn=DEPLOYER,
        RoleSessionName="s1",
    )
    theirs = env.client("iam", aws_access_key_id=OTHER, aws_secret_access_key="x")
    trust = {
        "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": ACCOUNT}, "Action": "sts:AssumeRole"}
        ]
    }
    role = theirs.create_role(RoleName="deployer", AssumeRolePolicyDocument=json.dumps(trust))[
        "Role"
    ]
    assumed = sts.assume_role(RoleArn=DEPLOYER, RoleSessionName="s1")["AssumedRoleUser"]
    assert assumed["AssumedRoleId"] == f"{role['RoleId']}:s1"
    # the same name under another path is another role
    assert_error(
        sts.assume_role,
        "AccessDenied",
        403,
        RoleArn=f"arn:aws:iam::{OTHER}:role/x/deployer",
        RoleSessionName="s1",
    )


def test_get_session_token(env, sts):
    env.clock.freeze(NOW)
    credentials = sts.get_session_token()["Credentials"]
    assert re.fullmatch(r"ASIA[A-Z0-9]{16}", credentials["AccessKeyId"])
    # an account's root gets an hour at most, whatever it asks for
    assert credentials["Expiration"] == NOW + timedelta(hours=1)
    assert sts.get_session_token(DurationSeconds=900)["Credentials"][
        "Expiration"
    ] == NOW + timedelta(seconds=900)
    session = client_for(env, "sts", credentials)
    assert session.get_caller_identity()["Arn"] == f"arn:aws:iam::{ACCOUNT}:root"
    assert_error(
        session.get_session_token,
        "AccessDenied",
        403,
        "Cannot call GetSessionToken with session credentials",
    )
    ec2 = client_for(env, "ec2", credentials)
    ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=1)
    assert len(env.client("ec2").describe_instances()["Reservations"]) == 1
