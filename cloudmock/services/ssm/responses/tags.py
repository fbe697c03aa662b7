"""AddTagsToResource, RemoveTagsFromResource, ListTagsForResource (ResourceType Parameter)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cloudmock.core.plugin import operation
from cloudmock.services.ssm.models.errors import Unsupported, invalid_resource_id
from cloudmock.services.ssm.models.names import trimmed
from cloudmock.services.ssm.responses.common import Ctx

if TYPE_CHECKING:
    from cloudmock.services.ssm.models.parameters import Parameter
    from cloudmock.services.ssm.shapes import (
        AddTagsToResourceResult,
        ListTagsForResourceResult,
        RemoveTagsFromResourceResult,
        Tag,
    )


def _parameter(ctx: Ctx, operation_name: str, resource_type: str, resource_id: str) -> Parameter:
    if resource_type != "Parameter":
        # documents, maintenance windows, ... are SSM resources cloudmock does not model yet
        raise Unsupported(
            f"cloudmock does not support the ResourceType {resource_type} of {operation_name} yet "
            "(only Parameter)."
        )
    found = ctx.backend.parameters.tree.get(trimmed(resource_id))
    if found is None:
        raise invalid_resource_id()
    return found


@operation("AddTagsToResource")
def add_tags_to_resource(
    ctx: Ctx, *, ResourceType: str, ResourceId: str, Tags: list[Tag]
) -> AddTagsToResourceResult:
    parameter = _parameter(ctx, "AddTagsToResource", ResourceType, ResourceId)
    ctx.backend.parameters.add_tags(parameter, Tags)
    return {}


@operation("RemoveTagsFromResource")
def remove_tags_from_resource(
    ctx: Ctx, *, ResourceType: str, ResourceId: str, TagKeys: list[str]
) -> RemoveTagsFromResourceResult:
    parameter = _parameter(ctx, "RemoveTagsFromResource", ResourceType, ResourceId)
    ctx.backend.parameters.remove_tags(parameter, TagKeys)
    return {}


@operation("ListTagsForResource")
def list_tags_for_resource(
    ctx: Ctx, *, ResourceType: str, ResourceId: str
) -> ListTagsForResourceResult:
    parameter = _parameter(ctx, "ListTagsForResource", ResourceType, ResourceId)
    return {"TagList": parameter.tag_list()}
