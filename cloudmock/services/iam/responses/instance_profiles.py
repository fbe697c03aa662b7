"""Instance profiles: create, read, list, delete, the role they hold, tags."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cloudmock.core.plugin import operation
from cloudmock.services.iam.paging import page
from cloudmock.services.iam.responses.common import Ctx

if TYPE_CHECKING:
    from cloudmock.services.iam.shapes import (
        CreateInstanceProfileResponse,
        GetInstanceProfileResponse,
        ListInstanceProfilesForRoleResponse,
        ListInstanceProfilesResponse,
        ListInstanceProfileTagsResponse,
        Tag,
    )


@operation("CreateInstanceProfile")
def create_instance_profile(
    ctx: Ctx, *, InstanceProfileName: str, Path: str = "/", Tags: list[Tag] | None = None
) -> CreateInstanceProfileResponse:
    profile = ctx.backend.instance_profiles.create(InstanceProfileName, Path, Tags or [])
    return {"InstanceProfile": profile.shape()}


@operation("GetInstanceProfile")
def get_instance_profile(ctx: Ctx, *, InstanceProfileName: str) -> GetInstanceProfileResponse:
    return {"InstanceProfile": ctx.backend.instance_profiles.get(InstanceProfileName).shape()}


@operation("ListInstanceProfiles")
def list_instance_profiles(
    ctx: Ctx, *, PathPrefix: str = "/", Marker: str | None = None, MaxItems: int | None = None
) -> ListInstanceProfilesResponse:
    rows = [
        (key, profile)
        for key, profile in ctx.backend.instance_profiles.sorted()
        if profile.path.startswith(PathPrefix)
    ]
    profiles, marker = page(rows, Marker, MaxItems)
    result: ListInstanceProfilesResponse = {
        "InstanceProfiles": [profile.shape(listing=True) for profile in profiles],
        "IsTruncated": marker is not None,
    }
    if marker is not None:
        result["Marker"] = marker
    return result


@operation("ListInstanceProfilesForRole")
def list_instance_profiles_for_role(
    ctx: Ctx, *, RoleName: str, Marker: str | None = None, MaxItems: int | None = None
) -> ListInstanceProfilesForRoleResponse:
    role = ctx.backend.roles.get(RoleName)
    profiles, marker = page(role.profiles.sorted(), Marker, MaxItems)
    result: ListInstanceProfilesForRoleResponse = {
        "InstanceProfiles": [profile.shape(listing=True) for profile in profiles],
        "IsTruncated": marker is not None,
    }
    if marker is not None:
        result["Marker"] = marker
    return result


@operation("DeleteInstanceProfile")
def delete_instance_profile(ctx: Ctx, *, InstanceProfileName: str) -> None:
    ctx.backend.instance_profiles.delete(InstanceProfileName)


@operation("AddRoleToInstanceProfile")
def add_role_to_instance_profile(ctx: Ctx, *, InstanceProfileName: str, RoleName: str) -> None:
    ctx.backend.instance_profiles.add_role(InstanceProfileName, RoleName)


@operation("RemoveRoleFromInstanceProfile")
def remove_role_from_instance_profile(ctx: Ctx, *, InstanceProfileName: str, RoleName: str) -> None:
    ctx.backend.instance_profiles.remove_role(InstanceProfileName, RoleName)


@operation("TagInstanceProfile")
def tag_instance_profile(ctx: Ctx, *, InstanceProfileName: str, Tags: list[Tag]) -> None:
    ctx.backend.instance_profiles.get(InstanceProfileName).tags.set(Tags)


@operation("UntagInstanceProfile")
def untag_instance_profile(ctx: Ctx, *, InstanceProfileName: str, TagKeys: list[str]) -> None:
    ctx.backend.instance_profiles.get(InstanceProfileName).tags.remove(TagKeys)


@operation("ListInstanceProfileTags")
def list_instance_profile_tags(
    ctx: Ctx, *, InstanceProfileName: str, Marker: str | None = None, MaxItems: int | None = None
) -> ListInstanceProfileTagsResponse:
    profile = ctx.backend.instance_profiles.get(InstanceProfileName)
    tags, marker = page(profile.tags.rows(), Marker, MaxItems)
    result: ListInstanceProfileTagsResponse = {"Tags": tags, "IsTruncated": marker is not None}
    if marker is not None:
        result["Marker"] = marker
    return result
