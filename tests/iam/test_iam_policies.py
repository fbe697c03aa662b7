"""Managed policies (the account's and AWS's), their versions and attachments; inline policies."""

from __future__ import annotations

import re

import pytest
from client_errors import assert_error
from iam_helpers import (
    ACCOUNT,
    IAM_ID,
    PERMISSIONS,
    all_pages,
    doc,
    make_policy,
    make_role,
)

AWS_ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess"


def test_create_and_get_policy(iam):
    created = make_policy(
        iam, "readers", Path="/team/", Description="read things", Tags=[{"Key": "k", "Value": "v"}]
    )
    assert re.fullmatch(f"ANPA{IAM_ID}", created["PolicyId"])
    assert created["Arn"] == f"arn:aws:iam::{ACCOUNT}:policy/team/readers"
    assert (created["DefaultVersionId"], created["AttachmentCount"], created["IsAttachable"]) == (
        "v1",
        0,
        True,
    )
    assert "Description" not in created
    got = iam.get_policy(PolicyArn=created["Arn"])["Policy"]
    assert got["Description"] == "read things" and got["Tags"] == [{"Key": "k", "Value": "v"}]
    version = iam.get_policy_version(PolicyArn=created["Arn"], VersionId="v1")["PolicyVersion"]
    assert version["Document"] == PERMISSIONS and version["IsDefaultVersion"] is True
    assert_error(
        make_policy,
        "EntityAlreadyExists",
        409,
        "A policy called READERS already exists. Duplicate names are not allowed.",
        iam=iam,
        name="READERS",
    )


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("[]", "This policy contains invalid Json"),
        (
            doc(
                {
                    "Statement": [
                        {"Effect": "Allow", "Action": "*", "Resource": "*", "Principal": "*"}
                    ]
                }
            ),
            "Policy document should not specify a principal.",
        ),
        (
            doc({"Statement": [{"Effect": "Allow", "Action": "*"}]}),
            "Policy statement must contain resources.",
        ),
        (
            doc({"Statement": [{"Effect": "Allow", "Resource": "*"}]}),
            "Policy statement must contain actions.",
        ),
    ],
)
def test_malformed_permissions_policies(iam, document, message):
    assert_error(
        make_policy,
        "MalformedPolicyDocument",
        400,
        re.escape(message),
        iam=iam,
        PolicyDocument=document,
    )
    make_role(iam, "r")
    assert_error(
        iam.put_role_policy,
        "MalformedPolicyDocument",
        400,
        re.escape(message),
        RoleName="r",
        PolicyName="p",
        PolicyDocument=document,
    )


def test_missing_and_invalid_policy_arns(iam):
    missing = f"arn:aws:iam::{ACCOUNT}:policy/nope"
    for call, kw in [
        (iam.get_policy, {}),
        (iam.delete_policy, {}),
        (iam.list_policy_versions, {}),
        (iam.create_policy_version, {"PolicyDocument": doc(PERMISSIONS)}),
        (iam.list_entities_for_policy, {}),
    ]:
        assert_error(
            call,
            "NoSuchEntity",
            404,
            re.escape(f"Policy {missing} was not found."),
            PolicyArn=missing,
            **kw,
        )
    assert_error(
        iam.get_policy, "InvalidInput", 400, PolicyArn="arn:aws:iam::123456789012:role/not-a-policy"
    )


def test_policy_versions(iam):
    arn = make_policy(iam)["Arn"]
    documents = {"v1": PERMISSIONS}
    for number in range(2, 6):
        changed = {
            **PERMISSIONS,
            "Statement": [{**PERMISSIONS["Statement"][0], "Sid": f"S{number}"}],
        }
        created = iam.create_policy_version(
            PolicyArn=arn, PolicyDocument=doc(changed), SetAsDefault=number == 3
        )
        assert created["PolicyVersion"]["VersionId"] == f"v{number}"
        assert "Document" not in created["PolicyVersion"]
        documents[f"v{number}"] = changed
    assert_error(
        iam.create_policy_version,
        "LimitExceeded",
        409,
        "A managed policy can have up to 5 versions. Before you create a new version, "
        "you must delete an existing version.",
        PolicyArn=arn,
        PolicyDocument=doc(PERMISSIONS),
    )
    assert iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"] == "v3"
    listed = iam.list_policy_versions(PolicyArn=arn)["Versions"]
    assert [(v["VersionId"], v["IsDefaultVersion"]) for v in listed] == [
        ("v5", False),
        ("v4", False),
        ("v3", True),
        ("v2", False),
        ("v1", False),
    ]
    versions, pages = all_pages(iam.list_policy_versions, "Versions", PolicyArn=arn, MaxItems=2)
    assert [v["VersionId"] for v in versions] == ["v5", "v4", "v3", "v2", "v1"] and pages == 3
    assert (
        iam.get_policy_version(PolicyArn=arn, VersionId="v4")["PolicyVersion"]["Document"]
        == documents["v4"]
    )
    assert_error(
        iam.delete_policy_version,
        "DeleteConflict",
        409,
        "Cannot delete the default version of a policy.",
        PolicyArn=arn,
        VersionId="v3",
    )
    iam.delete_policy_version(PolicyArn=arn, VersionId="v1")
    assert_error(iam.get_policy_version, "NoSuchEntity", 404, PolicyArn=arn, VersionId="v1")
    assert_error(iam.set_default_policy_version, "NoSuchEntity", 404, PolicyArn=arn, VersionId="v9")
    iam.set_default_policy_version(PolicyArn=arn, VersionId="v5")
    assert iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"] == "v5"
    assert (
        iam.create_policy_version(PolicyArn=arn, PolicyDocument=doc(PERMISSIONS))["PolicyVersion"][
            "VersionId"
        ]
        == "v6"
    )


def test_delete_policy_conflicts(iam):
    arn = make_policy(iam)["Arn"]
    iam.create_policy_version(PolicyArn=arn, PolicyDocument=doc(PERMISSIONS), SetAsDefault=True)
    make_role(iam, "r")
    iam.attach_role_policy(RoleName="r", PolicyArn=arn)
    assert_error(
        iam.delete_policy,
        "DeleteConflict",
        409,
        "Cannot delete a policy attached to entities.",
        PolicyArn=arn,
    )
    iam.detach_role_policy(RoleName="r", PolicyArn=arn)
    assert_error(
        iam.delete_policy,
        "DeleteConflict",
        409,
        re.escape(
            "This policy has more than one version. Before you delete a policy, you must delete "
            "the policy's versions. The default version is deleted with the policy."
        ),
        PolicyArn=arn,
    )
    iam.delete_policy_version(PolicyArn=arn, VersionId="v1")
    iam.delete_policy(PolicyArn=arn)
    assert_error(iam.get_policy, "NoSuchEntity", 404, PolicyArn=arn)
    make_policy(iam)  # the name is free again


def test_attach_and_detach(iam):
    local = make_policy(iam, "mine", Path="/team/")["Arn"]
    make_role(iam, "r")
    iam.attach_role_policy(RoleName="r", PolicyArn=AWS_ADMIN)
    iam.attach_role_policy(RoleName="r", PolicyArn=local)
    iam.attach_role_policy(RoleName="r", PolicyArn=local)  # attaching twice changes nothing
    attached = iam.list_attached_role_policies(RoleName="r")["AttachedPolicies"]
    assert attached == [
        {"PolicyName": "AdministratorAccess", "PolicyArn": AWS_ADMIN},
        {"PolicyName": "mine", "PolicyArn": local},
    ]
    assert (
        iam.list_attached_role_policies(RoleName="r", PathPrefix="/team/")["AttachedPolicies"]
        == attached[1:]
    )
    assert iam.get_policy(PolicyArn=AWS_ADMIN)["Policy"]["AttachmentCount"] == 1
    entities = iam.list_entities_for_policy(PolicyArn=local)
    assert [r["RoleName"] for r in entities["PolicyRoles"]] == ["r"]
    assert entities["PolicyUsers"] == [] and entities["PolicyGroups"] == []
    only = iam.list_policies(OnlyAttached=True)["Policies"]
    assert sorted(p["PolicyName"] for p in only) == ["AdministratorAccess", "mine"]
    missing = f"arn:aws:iam::{ACCOUNT}:policy/nope"
    assert_error(
        iam.attach_role_policy,
        "NoSuchEntity",
        404,
        re.escape(f"Policy {missing} does not exist or is not attachable."),
        RoleName="r",
        PolicyArn=missing,
    )
    iam.detach_role_policy(RoleName="r", PolicyArn=AWS_ADMIN)
    assert_error(
        iam.detach_role_policy,
        "NoSuchEntity",
        404,
        re.escape(f"Policy {AWS_ADMIN} was not found."),
        RoleName="r",
        PolicyArn=AWS_ADMIN,
    )
    assert iam.get_policy(PolicyArn=AWS_ADMIN)["Policy"]["AttachmentCount"] == 0


def test_attached_policies_quota(iam):
    make_role(iam, "r")
    for index in range(10):
        iam.attach_role_policy(RoleName="r", PolicyArn=make_policy(iam, f"p{index}")["Arn"])
    assert_error(
        iam.attach_role_policy,
        "LimitExceeded",
        409,
        "Cannot exceed quota for PoliciesPerRole: 10",
        RoleName="r",
        PolicyArn=AWS_ADMIN,
    )
    policies, pages = all_pages(
        iam.list_attached_role_policies, "AttachedPolicies", RoleName="r", MaxItems=4
    )
    assert [p["PolicyName"] for p in policies] == [f"p{i}" for i in range(10)] and pages == 3


def test_list_policies_scopes_and_paging(iam):
    for name in ["zeta", "alpha", "Mid"]:
        make_policy(iam, name, Path="/x/" if name == "alpha" else "/")
    local = iam.list_policies(Scope="Local")["Policies"]
    assert [p["PolicyName"] for p in local] == ["alpha", "Mid", "zeta"]
    assert "Tags" not in local[0] and "Description" not in local[0]
    aws, _ = all_pages(iam.list_policies, "Policies", Scope="AWS", MaxItems=5)
    names = {p["PolicyName"] for p in aws}
    assert {
        "AdministratorAccess",
        "ReadOnlyAccess",
        "AmazonEC2FullAccess",
        "AmazonEC2ReadOnlyAccess",
        "AmazonSSMManagedInstanceCore",
        "AmazonS3ReadOnlyAccess",
    } <= names
    assert all(p["Arn"].startswith("arn:aws:iam::aws:policy/") for p in aws)
    every, _ = all_pages(iam.list_policies, "Policies", MaxItems=4)
    assert len(every) == len(aws) + 3
    assert [
        p["PolicyName"] for p in iam.list_policies(Scope="Local", PathPrefix="/x/")["Policies"]
    ] == ["alpha"]
    job = iam.list_policies(Scope="AWS", PathPrefix="/job-function/")["Policies"]
    assert [p["Arn"] for p in job] == ["arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"]


def test_aws_managed_policies(iam):
    policy = iam.get_policy(PolicyArn="arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore")[
        "Policy"
    ]
    assert policy["Path"] == "/" and re.fullmatch(f"ANPA{IAM_ID}", policy["PolicyId"])
    version = iam.get_policy_version(PolicyArn=AWS_ADMIN, VersionId=policy["DefaultVersionId"])[
        "PolicyVersion"
    ]
    assert version["Document"]["Statement"][0]["Action"] == "*"
    lambda_role = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
    assert iam.get_policy(PolicyArn=lambda_role)["Policy"]["Path"] == "/service-role/"
    assert_error(iam.delete_policy, "AccessDenied", 403, PolicyArn=AWS_ADMIN)
    assert_error(
        iam.create_policy_version,
        "AccessDenied",
        403,
        PolicyArn=AWS_ADMIN,
        PolicyDocument=doc(PERMISSIONS),
    )


def test_inline_role_policies(iam):
    make_role(iam, "r")
    for name in ["b", "a"]:
        iam.put_role_policy(RoleName="r", PolicyName=name, PolicyDocument=doc(PERMISSIONS))
    changed = {**PERMISSIONS, "Statement": [{**PERMISSIONS["Statement"][0], "Action": "s3:*"}]}
    iam.put_role_policy(RoleName="r", PolicyName="a", PolicyDocument=doc(changed))  # replaces
    got = iam.get_role_policy(RoleName="r", PolicyName="a")
    assert (got["RoleName"], got["PolicyName"], got["PolicyDocument"]) == ("r", "a", changed)
    assert iam.list_role_policies(RoleName="r")["PolicyNames"] == ["a", "b"]
    first = iam.list_role_policies(RoleName="r", MaxItems=1)
    assert first["PolicyNames"] == ["a"] and first["IsTruncated"] is True
    message = "The role policy with name c cannot be found."
    assert_error(iam.get_role_policy, "NoSuchEntity", 404, message, RoleName="r", PolicyName="c")
    assert_error(iam.delete_role_policy, "NoSuchEntity", 404, message, RoleName="r", PolicyName="c")
    assert_error(
        iam.put_role_policy,
        "NoSuchEntity",
        404,
        "The role with name ghost cannot be found.",
        RoleName="ghost",
        PolicyName="a",
        PolicyDocument=doc(PERMISSIONS),
    )
    iam.delete_role_policy(RoleName="r", PolicyName="b")
    assert iam.list_role_policies(RoleName="r")["PolicyNames"] == ["a"]
    big = {
        "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Sid": "x" * 10300}]
    }
    assert_error(
        iam.put_role_policy,
        "LimitExceeded",
        409,
        "Maximum policy size of 10240 bytes exceeded for role r",
        RoleName="r",
        PolicyName="big",
        PolicyDocument=doc(big),
    )


def test_policy_tags(iam):
    arn = make_policy(iam)["Arn"]
    iam.tag_policy(PolicyArn=arn, Tags=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}])
    iam.untag_policy(PolicyArn=arn, TagKeys=["a"])
    assert iam.list_policy_tags(PolicyArn=arn)["Tags"] == [{"Key": "b", "Value": "2"}]
    assert iam.get_policy(PolicyArn=arn)["Policy"]["Tags"] == [{"Key": "b", "Value": "2"}]


def test_unimplemented_iam_operations_say_so(iam):
    assert_error(iam.list_users, "NotImplemented", 501)
