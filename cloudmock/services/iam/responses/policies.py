"""Managed policies: create, read, list, delete, versions, tags, and who uses them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cloudmock.core.plugin import operation
from cloudmock.services.iam.paging import page
from cloudmock.services.iam.responses.common import Ctx

if TYPE_CHECKING:
    from cloudmock.services.iam.models.roles import Role
    from cloudmock.services.iam.shapes import (
        CreatePolicyResponse,
        CreatePolicyVersionResponse,
        GetPolicyResponse,
        GetPolicyVersionResponse,
        ListEntitiesForPolicyResponse,
        ListPoliciesResponse,
        ListPolicyTagsResponse,
        ListPolicyVersionsResponse,
        Tag,
    )


@operation("CreatePolicy")
def create_policy(
    ctx: Ctx,
    *,
    PolicyName: str,
    PolicyDocument: str,
    Path: str = "/",
    Description: str | None = None,
    Tags: list[Tag] | None = None,
) -> CreatePolicyResponse:
    policy = ctx.backend.policies.create(PolicyName, Path, PolicyDocument, Description, Tags or [])
    shown = policy.shape()
    shown.pop("Description", None)  # CreatePolicy's answer leaves the description out
    return {"Policy": shown}


@operation("GetPolicy")
def get_policy(ctx: Ctx, *, PolicyArn: str) -> GetPolicyResponse:
    return {"Policy": ctx.backend.policies.get(PolicyArn).shape()}


@operation("ListPolicies")
def list_policies(
    ctx: Ctx,
    *,
    Scope: str = "All",
    OnlyAttached: bool = False,
    PathPrefix: str = "/",
    Marker: str | None = None,
    MaxItems: int | None = None,
) -> ListPoliciesResponse:
    policies = ctx.backend.policies
    pool = policies.local() if Scope == "Local" else policies.all()
    rows = sorted(
        (f"{p.name.lower()}\0{p.arn}", p)
        for p in pool
        if (Scope != "AWS" or p.aws_managed)
        and (not OnlyAttached or len(p.roles))
        and p.path.startswith(PathPrefix)
    )
    found, marker = page(rows, Marker, MaxItems)
    result: ListPoliciesResponse = {
        "Policies": [p.shape(listing=True) for p in found],
        "IsTruncated": marker is not None,
    }
    if marker is not None:
        result["Marker"] = marker
    return result


@operation("DeletePolicy")
def delete_policy(ctx: Ctx, *, PolicyArn: str) -> None:
    ctx.backend.policies.delete(PolicyArn)


@operation("CreatePolicyVersion")
def create_policy_version(
    ctx: Ctx, *, PolicyArn: str, PolicyDocument: str, SetAsDefault: bool = False
) -> CreatePolicyVersionResponse:
    version = ctx.backend.policies.create_version(PolicyArn, PolicyDocument, SetAsDefault)
    return {"PolicyVersion": version.shape(SetAsDefault, document=False)}


@operation("GetPolicyVersion")
def get_policy_version(ctx: Ctx, *, PolicyArn: str, VersionId: str) -> GetPolicyVersionResponse:
    policy = ctx.backend.policies.get(PolicyArn)
    version = policy.version(VersionId)
    return {"PolicyVersion": version.shape(VersionId == policy.default_version_id)}


@operation("ListPolicyVersions")
def list_policy_versions(
    ctx: Ctx, *, PolicyArn: str, Marker: str | None = None, MaxItems: int | None = None
) -> ListPolicyVersionsResponse:
    policy = ctx.backend.policies.get(PolicyArn)
    # newest first
    rows = sorted(
        ((f"{10**9 - int(v.version_id[1:]):010d}", v) for v in policy.versions.values()),
        key=lambda row: row[0],
    )
    versions, marker = page(rows, Marker, MaxItems)
    result: ListPolicyVersionsResponse = {
        "Versions": [
            v.shape(v.version_id == policy.default_version_id, document=False) for v in versions
        ],
        "IsTruncated": marker is not None,
    }
    if marker is not None:
        result["Marker"] = marker
    return result


@operation("DeletePolicyVersion")
def delete_policy_version(ctx: Ctx, *, PolicyArn: str, VersionId: str) -> None:
    ctx.backend.policies.delete_version(PolicyArn, VersionId)


@operation("SetDefaultPolicyVersion")
def set_default_policy_version(ctx: Ctx, *, PolicyArn: str, VersionId: str) -> None:
    ctx.backend.policies.set_default(PolicyArn, VersionId)


@operation("TagPolicy")
def tag_policy(ctx: Ctx, *, PolicyArn: str, Tags: list[Tag]) -> None:
    ctx.backend.policies.owned(PolicyArn, "TagPolicy").tags.set(Tags)


@operation("UntagPolicy")
def untag_policy(ctx: Ctx, *, PolicyArn: str, TagKeys: list[str]) -> None:
    ctx.backend.policies.owned(PolicyArn, "UntagPolicy").tags.remove(TagKeys)


@operation("ListPolicyTags")
def list_policy_tags(
    ctx: Ctx, *, PolicyArn: str, Marker: str | None = None, MaxItems: int | None = None
) -> ListPolicyTagsResponse:
    tags, marker = page(ctx.backend.policies.get(PolicyArn).tags.rows(), Marker, MaxItems)
    result: ListPolicyTagsResponse = {"Tags": tags, "IsTruncated": marker is not None}
    if marker is not None:
        result["Marker"] = marker
    return result


@operation("ListEntitiesForPolicy")
def list_entities_for_policy(
    ctx: Ctx,
    *,
    PolicyArn: str,
    EntityFilter: str | None = None,
    PathPrefix: str = "/",
    PolicyUsageFilter: str | None = None,
    Marker: str | None = None,
    MaxItems: int | None = None,
) -> ListEntitiesForPolicyResponse:
    policy = ctx.backend.policies.get(PolicyArn)
    roles: dict[str, Role] = {}
    if EntityFilter in (None, "Role"):  # cloudmock's IAM has no users or groups yet
        if PolicyUsageFilter in (None, "PermissionsPolicy"):
            roles.update(policy.roles.sorted())
        if PolicyUsageFilter in (None, "PermissionsBoundary"):
            roles.update(policy.boundary_of.sorted())
    rows = sorted((key, role) for key, role in roles.items() if role.path.startswith(PathPrefix))
    found, marker = page(rows, Marker, MaxItems)
    result: ListEntitiesForPolicyResponse = {
        "PolicyGroups": [],
        "PolicyUsers": [],
        "PolicyRoles": [{"RoleName": role.name, "RoleId": role.id} for role in found],
        "IsTruncated": marker is not None,
    }
    if marker is not None:
        result["Marker"] = marker
    return result
