"""Roles: create, read, list, update, delete, tag, permissions boundary."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cloudmock.core.plugin import operation
from cloudmock.services.iam.models.roles import DEFAULT_MAX_SESSION_DURATION
from cloudmock.services.iam.paging import page
from cloudmock.services.iam.responses.common import Ctx

if TYPE_CHECKING:
    from cloudmock.services.iam.shapes import (
        CreateRoleResponse,
        GetRoleResponse,
        ListRolesResponse,
        ListRoleTagsResponse,
        Tag,
        UpdateRoleDescriptionResponse,
        UpdateRoleResponse,
    )


@operation("CreateRole")
def create_role(
    ctx: Ctx,
    *,
    RoleName: str,
    AssumeRolePolicyDocument: str,
    Path: str = "/",
    Description: str | None = None,
    MaxSessionDuration: int = DEFAULT_MAX_SESSION_DURATION,
    MaxSigninSessionDuration: int | None = None,
    PermissionsBoundary: str | None = None,
    Tags: list[Tag] | None = None,
) -> CreateRoleResponse:
    role = ctx.backend.roles.create(
        RoleName,
        Path,
        AssumeRolePolicyDocument,
        description=Description,
        max_session_duration=MaxSessionDuration,
        max_signin_session_duration=MaxSigninSessionDuration,
        boundary_arn=PermissionsBoundary,
        tags=Tags or [],
    )
    shown = role.shape()
    shown.pop("RoleLastUsed", None)  # CreateRole's answer has no last use yet
    return {"Role": shown}


@operation("GetRole")
def get_role(ctx: Ctx, *, RoleName: str) -> GetRoleResponse:
    return {"Role": ctx.backend.roles.get(RoleName).shape()}


@operation("ListRoles")
def list_roles(
    ctx: Ctx, *, PathPrefix: str = "/", Marker: str | None = None, MaxItems: int | None = None
) -> ListRolesResponse:
    rows = [
        (key, role) for key, role in ctx.backend.roles.sorted() if role.path.startswith(PathPrefix)
    ]
    roles, marker = page(rows, Marker, MaxItems)
    result: ListRolesResponse = {
        "Roles": [role.shape(listing=True) for role in roles],
        "IsTruncated": marker is not None,
    }
    if marker is not None:
        result["Marker"] = marker
    return result


@operation("UpdateRole")
def update_role(
    ctx: Ctx,
    *,
    RoleName: str,
    Description: str | None = None,
    MaxSessionDuration: int | None = None,
    MaxSigninSessionDuration: int | None = None,
    ResetMaxSigninSessionDuration: bool = False,
) -> UpdateRoleResponse:
    role = ctx.backend.roles.get(RoleName)
    if Description is not None:
        role.description = Description
    if MaxSessionDuration is not None:
        role.max_session_duration = MaxSessionDuration
    if MaxSigninSessionDuration is not None:
        role.max_signin_session_duration = MaxSigninSessionDuration
    if ResetMaxSigninSessionDuration:
        role.max_signin_session_duration = None
    return {}


@operation("UpdateRoleDescription")
def update_role_description(
    ctx: Ctx, *, RoleName: str, Description: str
) -> UpdateRoleDescriptionResponse:
    role = ctx.backend.roles.get(RoleName)
    role.description = Description
    return {"Role": role.shape()}


@operation("UpdateAssumeRolePolicy")
def update_assume_role_policy(ctx: Ctx, *, RoleName: str, PolicyDocument: str) -> None:
    ctx.backend.roles.update_trust_policy(RoleName, PolicyDocument)


@operation("DeleteRole")
def delete_role(ctx: Ctx, *, RoleName: str) -> None:
    ctx.backend.roles.delete(RoleName)


@operation("TagRole")
def tag_role(ctx: Ctx, *, RoleName: str, Tags: list[Tag]) -> None:
    ctx.backend.roles.get(RoleName).tags.set(Tags)


@operation("UntagRole")
def untag_role(ctx: Ctx, *, RoleName: str, TagKeys: list[str]) -> None:
    ctx.backend.roles.get(RoleName).tags.remove(TagKeys)


@operation("ListRoleTags")
def list_role_tags(
    ctx: Ctx, *, RoleName: str, Marker: str | None = None, MaxItems: int | None = None
) -> ListRoleTagsResponse:
    tags, marker = page(ctx.backend.roles.get(RoleName).tags.rows(), Marker, MaxItems)
    result: ListRoleTagsResponse = {"Tags": tags, "IsTruncated": marker is not None}
    if marker is not None:
        result["Marker"] = marker
    return result


@operation("PutRolePermissionsBoundary")
def put_role_permissions_boundary(ctx: Ctx, *, RoleName: str, PermissionsBoundary: str) -> None:
    ctx.backend.roles.put_boundary(RoleName, PermissionsBoundary)


@operation("DeleteRolePermissionsBoundary")
def delete_role_permissions_boundary(ctx: Ctx, *, RoleName: str) -> None:
    ctx.backend.roles.delete_boundary(RoleName)
