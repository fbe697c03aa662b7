"""CreateTags, DeleteTags, DescribeTags."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cloudmock.core.errors import MissingParameter
from cloudmock.core.plugin import Params, RequestContext, operation
from cloudmock.services.ec2.filters import FilterSet, apply_filters
from cloudmock.services.ec2.models.base import Resource
from cloudmock.services.ec2.models.tags import add_tags, remove_tags, validate_tags
from cloudmock.services.ec2.paging import paginate
from cloudmock.services.ec2.responses.common import with_token


@dataclass(frozen=True)
class TagRow:
    resource: Resource
    resource_type: str
    key: str
    value: str


TAG_ROWS: FilterSet[Any] = FilterSet(
    {
        "key": lambda row: row.key,
        "value": lambda row: row.value,
        "resource-id": lambda row: row.resource.id,
        "resource-type": lambda row: row.resource_type,
    },
    tags=lambda row: row.resource.tags,
)


def _resources(ctx: RequestContext, params: Params) -> list[Resource]:
    ids = params.get("Resources")
    if not ids:
        raise MissingParameter("ResourceId")
    return [ctx.backend.resource(resource_id) for resource_id in ids]


@operation("CreateTags")
def create_tags(ctx: RequestContext, params: Params) -> None:
    if params.get("Tags") is None:
        raise MissingParameter("Tag")
    tags = validate_tags(params["Tags"])
    resources = _resources(ctx, params)
    for resource in resources:
        add_tags(resource, tags)


@operation("DeleteTags")
def delete_tags(ctx: RequestContext, params: Params) -> None:
    for resource in _resources(ctx, params):
        remove_tags(resource, params.get("Tags"))


@operation("DescribeTags", filters=TAG_ROWS)
def describe_tags(ctx: RequestContext, params: Params) -> dict[str, Any]:
    rows = [
        TagRow(resource, store.kind.resource_type, key, value)
        for store in ctx.backend.stores()
        for resource in store
        for key, value in resource.tags.items()
    ]
    rows = apply_filters(rows, params.get("Filters"), TAG_ROWS, ctx.operation_model)
    shown, token = paginate(rows, params, ctx.operation)
    return with_token(
        {
            "Tags": [
                {
                    "Key": row.key,
                    "ResourceId": row.resource.id,
                    "ResourceType": row.resource_type,
                    "Value": row.value,
                }
                for row in shown
            ]
        },
        token,
    )
