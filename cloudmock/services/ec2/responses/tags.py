"""CreateTags, DeleteTags, DescribeTags."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cloudmock.core.plugin import operation
from cloudmock.services.ec2.dryrun import commit
from cloudmock.services.ec2.filters import FilterSet, apply_filters
from cloudmock.services.ec2.models.base import Resource
from cloudmock.services.ec2.models.tags import add_tags, check_tag_room, remove_tags, validate_tags
from cloudmock.services.ec2.responses.common import Ctx, page

if TYPE_CHECKING:
    from cloudmock.services.ec2.shapes import DescribeTagsResult, Filter, Tag


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


@operation("CreateTags")
def create_tags(ctx: Ctx, *, Resources: list[str], Tags: list[Tag]) -> None:
    tags = validate_tags(Tags)
    backend = ctx.backend
    resources = [(backend.store_of(rid), backend.resource(rid)) for rid in Resources]
    for _, resource in resources:
        check_tag_room(resource, tags)
    commit()
    for store, resource in resources:
        add_tags(store, resource, tags)


@operation("DeleteTags")
def delete_tags(ctx: Ctx, *, Resources: list[str], Tags: list[Tag] | None = None) -> None:
    backend = ctx.backend
    resources = [(backend.store_of(rid), backend.resource(rid)) for rid in Resources]
    commit()
    for store, resource in resources:
        remove_tags(store, resource, Tags)


@operation("DescribeTags", filters=TAG_ROWS)
def describe_tags(
    ctx: Ctx,
    *,
    Filters: list[Filter] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> DescribeTagsResult:
    rows = [
        TagRow(resource, store.kind.resource_type, key, value)
        for store in ctx.backend.stores()
        for resource in store
        for key, value in resource.tags.items()
    ]
    rows = apply_filters(rows, Filters, TAG_ROWS, ctx.operation_model)
    shown, token = page(ctx, rows, MaxResults, NextToken)
    result: DescribeTagsResult = {
        "Tags": [
            {
                "Key": row.key,
                "ResourceId": row.resource.id,
                "ResourceType": row.resource_type,
                "Value": row.value,
            }
            for row in shown
        ]
    }
    if token:
        result["NextToken"] = token
    return result
