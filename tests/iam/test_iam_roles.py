"""Roles: create, read, list and page, update, tag, boundaries, delete and its conflicts."""

from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest
from client_errors import assert_error
from iam_helpers import (
    ACCOUNT,
    IAM_ID,
    PERMISSIONS,
    TRUST,
    doc,
    make_policy,
    make_role,
)


def test_create_and_get_role(env, iam):
    env.clock.freeze(datetime(2024, 5, 1, 12, 30, 15, 999000, tzinfo=timezone.utc))
    created = make_role(
        iam,
        "web",
        Path="/apps/",
        Description="the web tier",
        MaxSessionDuration=7200,
        Tags=[{"Key": "team", "Value": "blue"}],
    )
    assert re.fullmatch(f"AROA{IAM_ID}", created["RoleId"])
    assert created["Arn"] == f"arn:aws:iam::{ACCOUNT}:role/apps/web"
    assert created["CreateDate"] == datetime(2024, 5, 1, 12, 30, 15, tzinfo=timezone.utc)
    assert created["AssumeRolePolicyDocument"] == TRUST
    assert "RoleLastUsed" not in created
    got = iam.get_role(RoleName="web")["Role"]
    assert {k: v for k, v in got.items() if k != "RoleLastUsed"} == created
    assert got["Description"] == "the web tier"
    assert got["MaxSessionDuration"] == 7200
    assert got["Tags"] == [{"Key": "team", "Value": "blue"}]
    assert got["RoleLastUsed"] == {}


def test_role_names_ignore_case(iam):
    make_role(iam, "Deployer")
    assert_error(
        make_role,
        "EntityAlreadyExists",
        409,
        "Role with name deployer already exists.",
        iam=iam,
        name="deployer",
    )
    assert iam.get_role(RoleName="DEPLOYER")["Role"]["RoleName"] == "Deployer"


def test_missing_role_is_no_such_entity(iam):
    for call, kw in [
        (iam.get_role, {}),
        (iam.delete_role, {}),
        (iam.update_role, {"Description": "x"}),
        (iam.update_assume_role_policy, {"PolicyDocument": doc(TRUST)}),
        (iam.tag_role, {"Tags": [{"Key": "a", "Value": "b"}]}),
        (iam.list_role_tags, {}),
        (iam.list_role_policies, {}),
        (iam.list_attached_role_policies, {}),
        (iam.list_instance_profiles_for_role, {}),
    ]:
        assert_error(
            call,
            "NoSuchEntity",
            404,
            "The role with name ghost cannot be found.",
            RoleName="ghost",
            **kw,
        )


@pytest.mark.parametrize(
    ("kw", "where"),
    [
        ({"RoleName": "has space"}, "roleName"),
        ({"RoleName": "ok", "Path": "no-slashes"}, "path"),
        ({"RoleName": "ok", "Path": "/a"}, "path"),
    ],
)
def test_names_and_paths_follow_iams_patterns(iam, kw, where):
    response = assert_error(
        iam.create_role, "ValidationError", 400, AssumeRolePolicyDocument=doc(TRUST), **kw
    )
    message = response["Error"]["Message"]
    assert message.startswith("1 validation error detected: Value ")
    assert (
        f"at '{where}' failed to satisfy constraint: Member must satisfy regular expression"
        in message
    )


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("{not json", "This policy contains invalid Json"),
        (doc({"Version": "2012-10-17"}), "Missing required field Statement"),
        (
            doc({"Version": "2001-01-01", "Statement": TRUST["Statement"]}),
            "The policy must contain a valid version string",
        ),
        (
            doc({"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole"}]}),
            "Missing required field Principal",
        ),
        (
            doc({"Statement": [{**TRUST["Statement"][0], "Resource": "*"}]}),
            "Has prohibited field Resource",
        ),
        (
            doc({"Statement": [{**TRUST["Statement"][0], "Effect": "Maybe"}]}),
            "Invalid effect: Maybe",
        ),
    ],
)
def test_malformed_trust_policies(iam, document, message):
    assert_error(
        iam.create_role,
        "MalformedPolicyDocument",
        400,
        re.escape(message),
        RoleName="r",
        AssumeRolePolicyDocument=document,
    )
    make_role(iam, "r")
    assert_error(
        iam.update_assume_role_policy,
        "MalformedPolicyDocument",
        400,
        re.escape(message),
        RoleName="r",
        PolicyDocument=document,
    )


def test_trust_policy_size_quota(iam):
    big = {"Statement": [{**TRUST["Statement"][0], "Sid": "x" * 2100}]}
    assert_error(
        make_role,
        "LimitExceeded",
        409,
        "Cannot exceed quota for ACLSizePerRole: 2048",
        iam=iam,
        AssumeRolePolicyDocument=doc(big),
    )


def test_list_roles_paging_and_path_prefix(iam):
    for name in ["e", "b", "D", "a", "c"]:
        make_role(iam, name, Path="/x/" if name in "ab" else "/")
    first = iam.list_roles(MaxItems=2)
    assert [r["RoleName"] for r in first["Roles"]] == ["a", "b"]
    assert first["IsTruncated"] is True and first["Marker"]
    assert "Tags" not in first["Roles"][0] and "RoleLastUsed" not in first["Roles"][0]
    second = iam.list_roles(MaxItems=2, Marker=first["Marker"])
    assert [r["RoleName"] for r in second["Roles"]] == ["c", "D"]
    iam.delete_role(RoleName="e")  # deleting between pages neither skips nor repeats
    third = iam.list_roles(MaxItems=2, Marker=second["Marker"])
    assert third["Roles"] == [] and third["IsTruncated"] is False and "Marker" not in third
    names = [
        r["RoleName"]
        for page in iam.get_paginator("list_roles").paginate(PaginationConfig={"PageSize": 1})
        for r in page["Roles"]
    ]
    assert names == ["a", "b", "c", "D"]
    assert [r["RoleName"] for r in iam.list_roles(PathPrefix="/x/")["Roles"]] == ["a", "b"]
    assert_error(iam.list_roles, "ValidationError", 400, "Invalid Marker.", Marker="garbage")


def test_update_role(iam):
    make_role(iam, "r", Description="old", MaxSigninSessionDuration=7200)
    iam.update_role(RoleName="r", Description="new", MaxSessionDuration=43200)
    role = iam.get_role(RoleName="r")["Role"]
    assert (role["Description"], role["MaxSessionDuration"], role["MaxSigninSessionDuration"]) == (
        "new",
        43200,
        7200,
    )
    iam.update_role(RoleName="r", ResetMaxSigninSessionDuration=True)
    assert "MaxSigninSessionDuration" not in iam.get_role(RoleName="r")["Role"]
    described = iam.update_role_description(RoleName="r", Description="newer")["Role"]
    assert described["Description"] == "newer"
    changed = {
        **TRUST,
        "Statement": [
            {**TRUST["Statement"][0], "Principal": {"AWS": "arn:aws:iam::111122223333:root"}}
        ],
    }
    iam.update_assume_role_policy(RoleName="r", PolicyDocument=doc(changed))
    assert iam.get_role(RoleName="r")["Role"]["AssumeRolePolicyDocument"] == changed


def test_role_tags(iam):
    make_role(iam, "r", Tags=[{"Key": "a", "Value": "1"}])
    iam.tag_role(RoleName="r", Tags=[{"Key": "B", "Value": "2"}, {"Key": "A", "Value": "3"}])
    assert iam.list_role_tags(RoleName="r")["Tags"] == [
        {"Key": "A", "Value": "3"},
        {"Key": "B", "Value": "2"},
    ]
    iam.untag_role(RoleName="r", TagKeys=["b", "missing"])
    assert iam.get_role(RoleName="r")["Role"]["Tags"] == [{"Key": "A", "Value": "3"}]
    assert_error(
        iam.tag_role,
        "InvalidInput",
        400,
        RoleName="r",
        Tags=[{"Key": "k", "Value": "1"}, {"Key": "K", "Value": "2"}],
    )
    iam.tag_role(RoleName="r", Tags=[{"Key": f"k{i}", "Value": ""} for i in range(49)])
    assert_error(
        iam.tag_role, "LimitExceeded", 409, RoleName="r", Tags=[{"Key": "one-more", "Value": ""}]
    )
    first = iam.list_role_tags(RoleName="r", MaxItems=30)
    rest = iam.list_role_tags(RoleName="r", Marker=first["Marker"])
    assert len(first["Tags"]) + len(rest["Tags"]) == 50 and rest["IsTruncated"] is False
    assert_error(
        iam.tag_role, "ValidationError", 400, RoleName="r", Tags=[{"Key": "bad#key", "Value": ""}]
    )


def test_delete_role_conflicts(iam):
    make_role(iam, "r")
    iam.create_instance_profile(InstanceProfileName="p")
    iam.add_role_to_instance_profile(InstanceProfileName="p", RoleName="r")
    iam.attach_role_policy(RoleName="r", PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
    iam.put_role_policy(RoleName="r", PolicyName="inline", PolicyDocument=doc(PERMISSIONS))
    conflict = "DeleteConflict"
    assert_error(
        iam.delete_role,
        conflict,
        409,
        "Cannot delete entity, must remove roles from instance profile first.",
        RoleName="r",
    )
    iam.remove_role_from_instance_profile(InstanceProfileName="p", RoleName="r")
    assert_error(
        iam.delete_role,
        conflict,
        409,
        "Cannot delete entity, must detach all policies first.",
        RoleName="r",
    )
    iam.detach_role_policy(RoleName="r", PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
    assert_error(
        iam.delete_role,
        conflict,
        409,
        "Cannot delete entity, must delete policies first.",
        RoleName="r",
    )
    iam.delete_role_policy(RoleName="r", PolicyName="inline")
    iam.delete_role(RoleName="r")
    assert_error(iam.get_role, "NoSuchEntity", 404, RoleName="r")


def test_permissions_boundary(iam):
    boundary = make_policy(iam, "boundary")["Arn"]
    role = make_role(iam, "r", PermissionsBoundary=boundary)
    expected = {"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": boundary}
    assert role["PermissionsBoundary"] == expected
    assert iam.get_policy(PolicyArn=boundary)["Policy"]["PermissionsBoundaryUsageCount"] == 1
    assert_error(
        iam.delete_policy,
        "DeleteConflict",
        409,
        "Cannot delete a policy attached to entities.",
        PolicyArn=boundary,
    )
    listed = iam.list_entities_for_policy(
        PolicyArn=boundary, PolicyUsageFilter="PermissionsBoundary"
    )
    assert [r["RoleName"] for r in listed["PolicyRoles"]] == ["r"]
    iam.delete_role_permissions_boundary(RoleName="r")
    assert "PermissionsBoundary" not in iam.get_role(RoleName="r")["Role"]
    assert_error(iam.delete_role_permissions_boundary, "NoSuchEntity", 404, RoleName="r")
    iam.put_role_permissions_boundary(
        RoleName="r", PermissionsBoundary="arn:aws:iam::aws:policy/PowerUserAccess"
    )
    missing = f"arn:aws:iam::{ACCOUNT}:policy/nope"
    assert_error(
        iam.put_role_permissions_boundary,
        "NoSuchEntity",
        404,
        re.escape(f"Scope ARN: {missing} does not exist or is not attachable."),
        RoleName="r",
        PermissionsBoundary=missing,
    )
    iam.delete_policy(PolicyArn=boundary)


def test_iam_is_global(env):
    west = env.client("iam", region="eu-west-1")
    south = env.client("iam", region="ap-southeast-2")
    east = env.client("iam", region="us-east-1")
    make_role(west, "everywhere")
    assert south.get_role(RoleName="everywhere")["Role"]["RoleName"] == "everywhere"
    assert [r["RoleName"] for r in east.list_roles()["Roles"]] == ["everywhere"]
    assert list(env.state.dump()["iam"][ACCOUNT]) == ["us-east-1"]


def test_accounts_have_their_own_roles(env):
    mine = env.client("iam")
    theirs = env.client("iam", aws_access_key_id="222222222222", aws_secret_access_key="x")
    make_role(theirs, "theirs")
    assert mine.list_roles()["Roles"] == []
    assert (
        theirs.get_role(RoleName="theirs")["Role"]["Arn"] == "arn:aws:iam::222222222222:role/theirs"
    )


def test_policy_documents_are_url_encoded_on_the_wire(iam):
    raw: list[bytes] = []
    iam.meta.events.register(
        "before-parse.iam.*", lambda response_dict, **_: raw.append(response_dict["body"])
    )
    make_role(iam, "r")
    iam.get_role(RoleName="r")
    iam.put_role_policy(RoleName="r", PolicyName="p", PolicyDocument=doc(PERMISSIONS))
    iam.get_role_policy(RoleName="r", PolicyName="p")
    arn = make_policy(iam, "mp")["Arn"]
    iam.get_policy_version(PolicyArn=arn, VersionId="v1")
    bodies = b"".join(raw).decode()
    assert "<AssumeRolePolicyDocument>%7B%22Version%22%3A" in bodies
    assert "<PolicyDocument>%7B%22Version%22%3A" in bodies
    assert "<Document>%7B%22Version%22%3A" in bodies
    assert '{"Version"' not in bodies and "&quot;" not in bodies
