"""Instance profiles: create, read, list, one role at most, delete and its conflict, tags."""

from __future__ import annotations

import re

from client_errors import assert_error
from iam_helpers import ACCOUNT, IAM_ID, all_pages, make_role


def test_create_get_list_delete(iam):
    created = iam.create_instance_profile(
        InstanceProfileName="web", Path="/apps/", Tags=[{"Key": "t", "Value": "v"}]
    )["InstanceProfile"]
    assert re.fullmatch(f"AIPA{IAM_ID}", created["InstanceProfileId"])
    assert created["Arn"] == f"arn:aws:iam::{ACCOUNT}:instance-profile/apps/web"
    assert created["Roles"] == []
    got = iam.get_instance_profile(InstanceProfileName="WEB")["InstanceProfile"]
    assert got == created
    listed = iam.list_instance_profiles()["InstanceProfiles"]
    assert [p["InstanceProfileName"] for p in listed] == ["web"]
    assert "Tags" not in listed[0]
    assert_error(
        iam.create_instance_profile,
        "EntityAlreadyExists",
        409,
        "Instance Profile Web already exists.",
        InstanceProfileName="Web",
    )
    iam.delete_instance_profile(InstanceProfileName="web")
    assert iam.list_instance_profiles()["InstanceProfiles"] == []


def test_missing_instance_profile(iam):
    make_role(iam, "r")
    message = "Instance Profile ghost cannot be found."
    for call, kw in [
        (iam.get_instance_profile, {}),
        (iam.delete_instance_profile, {}),
        (iam.add_role_to_instance_profile, {"RoleName": "r"}),
        (iam.remove_role_from_instance_profile, {"RoleName": "r"}),
        (iam.tag_instance_profile, {"Tags": [{"Key": "a", "Value": "b"}]}),
        (iam.list_instance_profile_tags, {}),
    ]:
        assert_error(call, "NoSuchEntity", 404, message, InstanceProfileName="ghost", **kw)


def test_one_role_per_instance_profile(iam):
    role = make_role(iam, "first")
    make_role(iam, "second")
    iam.create_instance_profile(InstanceProfileName="p")
    iam.create_instance_profile(InstanceProfileName="q")
    assert_error(
        iam.add_role_to_instance_profile,
        "NoSuchEntity",
        404,
        "The role with name ghost cannot be found.",
        InstanceProfileName="p",
        RoleName="ghost",
    )
    iam.add_role_to_instance_profile(InstanceProfileName="p", RoleName="first")
    for name in ("second", "first"):
        assert_error(
            iam.add_role_to_instance_profile,
            "LimitExceeded",
            409,
            "Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1",
            InstanceProfileName="p",
            RoleName=name,
        )
    iam.add_role_to_instance_profile(InstanceProfileName="q", RoleName="first")
    [held] = iam.get_instance_profile(InstanceProfileName="p")["InstanceProfile"]["Roles"]
    assert (
        held["RoleId"] == role["RoleId"]
        and held["AssumeRolePolicyDocument"] == role["AssumeRolePolicyDocument"]
    )
    profiles = iam.list_instance_profiles_for_role(RoleName="first")["InstanceProfiles"]
    assert [p["InstanceProfileName"] for p in profiles] == ["p", "q"]
    assert iam.list_instance_profiles_for_role(RoleName="second")["InstanceProfiles"] == []
    assert_error(
        iam.remove_role_from_instance_profile,
        "NoSuchEntity",
        404,
        "The role with name second cannot be found.",
        InstanceProfileName="p",
        RoleName="second",
    )


def test_delete_instance_profile_with_a_role(iam):
    make_role(iam, "r")
    iam.create_instance_profile(InstanceProfileName="p")
    iam.add_role_to_instance_profile(InstanceProfileName="p", RoleName="r")
    assert_error(
        iam.delete_instance_profile,
        "DeleteConflict",
        409,
        "Cannot delete entity, must remove roles from instance profile first.",
        InstanceProfileName="p",
    )
    iam.remove_role_from_instance_profile(InstanceProfileName="p", RoleName="r")
    assert iam.get_instance_profile(InstanceProfileName="p")["InstanceProfile"]["Roles"] == []
    iam.delete_instance_profile(InstanceProfileName="p")
    iam.delete_role(RoleName="r")


def test_list_instance_profiles_pages(iam):
    for index in range(7):
        iam.create_instance_profile(
            InstanceProfileName=f"p{index}", Path="/odd/" if index % 2 else "/"
        )
    profiles, pages = all_pages(iam.list_instance_profiles, "InstanceProfiles", MaxItems=3)
    assert [p["InstanceProfileName"] for p in profiles] == [f"p{i}" for i in range(7)]
    assert pages == 3
    odd = iam.list_instance_profiles(PathPrefix="/odd/")["InstanceProfiles"]
    assert [p["InstanceProfileName"] for p in odd] == ["p1", "p3", "p5"]


def test_instance_profile_tags(iam):
    iam.create_instance_profile(InstanceProfileName="p", Tags=[{"Key": "a", "Value": "1"}])
    iam.tag_instance_profile(InstanceProfileName="p", Tags=[{"Key": "b", "Value": "2"}])
    iam.untag_instance_profile(InstanceProfileName="p", TagKeys=["a"])
    assert iam.list_instance_profile_tags(InstanceProfileName="p")["Tags"] == [
        {"Key": "b", "Value": "2"}
    ]
    assert iam.get_instance_profile(InstanceProfileName="p")["InstanceProfile"]["Tags"] == [
        {"Key": "b", "Value": "2"}
    ]
