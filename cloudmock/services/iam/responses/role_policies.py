"""A role's policies: inline ones (Put/Get/List/DeleteRolePolicy) and attached managed ones."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cloudmock.core.plugin import operation
from cloudmock.services.iam.paging import page
from cloudmock.services.iam.responses.common import Ctx

if TYPE_CHECKING:
    from cloudmock.services.iam.shapes import (
        GetRolePolicyResponse,
        ListAttachedRolePoliciesResponse,
        ListRolePoliciesResponse,
    )


@operation("PutRolePolicy")
def put_role_policy(ctx: Ctx, *, RoleName: str, PolicyName: str, PolicyDocument: str) -> None:
    ctx.backend.roles.put_inline(RoleName, PolicyName, PolicyDocument)


@operation("GetRolePolicy")
def get_role_policy(ctx: Ctx, *, RoleName: str, PolicyName: str) -> GetRolePolicyResponse:
    role, policy = ctx.backend.roles.inline_policy(RoleName, PolicyName)
    return {"RoleName": role.name, "PolicyName": policy.name, "PolicyDocument": policy.document}


@operation("ListRolePolicies")
def list_role_policies(
    ctx: Ctx, *, RoleName: str, Marker: str | None = None, MaxItems: int | None = None
) -> ListRolePoliciesResponse:
    role = ctx.backend.roles.get(RoleName)
    names, marker = page(
        [(key, policy.name) for key, policy in role.inline.sorted()], Marker, MaxItems
    )
    result: ListRolePoliciesResponse = {"PolicyNames": names, "IsTruncated": marker is not None}
    if marker is not None:
        result["Marker"] = marker
    return result


@operation("DeleteRolePolicy")
def delete_role_policy(ctx: Ctx, *, RoleName: str, PolicyName: str) -> None:
    ctx.backend.roles.delete_inline(RoleName, PolicyName)


@operation("AttachRolePolicy")
def attach_role_policy(ctx: Ctx, *, RoleName: str, PolicyArn: str) -> None:
    ctx.backend.roles.attach(RoleName, PolicyArn)


@operation("DetachRolePolicy")
def detach_role_policy(ctx: Ctx, *, RoleName: str, PolicyArn: str) -> None:
    ctx.backend.roles.detach(RoleName, PolicyArn)


@operation("ListAttachedRolePolicies")
def list_attached_role_policies(
    ctx: Ctx,
    *,
    RoleName: str,
    PathPrefix: str = "/",
    Marker: str | None = None,
    MaxItems: int | None = None,
) -> ListAttachedRolePoliciesResponse:
    role = ctx.backend.roles.get(RoleName)
    rows = [
        (f"{index:06d}", policy)
        for index, policy in enumerate(role.attached.values())
        if policy.path.startswith(PathPrefix)
    ]
    policies, marker = page(rows, Marker, MaxItems)
    result: ListAttachedRolePoliciesResponse = {
        "AttachedPolicies": [{"PolicyName": p.name, "PolicyArn": p.arn} for p in policies],
        "IsTruncated": marker is not None,
    }
    if marker is not None:
        result["Marker"] = marker
    return result
