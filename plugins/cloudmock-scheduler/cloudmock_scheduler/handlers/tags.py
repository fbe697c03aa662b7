"""TagResource, UntagResource, ListTagsForResource: schedule groups only, by ARN.

The ARN travels in the URI path (``/tags/arn:aws:scheduler:...:schedule-group/NAME``),
colons and slash included.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cloudmock.plugin_api import operation
from cloudmock_scheduler.handlers import Ctx

if TYPE_CHECKING:
    from cloudmock_scheduler.shapes import ListTagsForResourceOutput, Tag


@operation("TagResource")
def tag_resource(ctx: Ctx, *, ResourceArn: str, Tags: list[Tag]) -> None:
    ctx.backend.tag(ResourceArn, Tags)


@operation("UntagResource")
def untag_resource(ctx: Ctx, *, ResourceArn: str, TagKeys: list[str]) -> None:
    ctx.backend.untag(ResourceArn, TagKeys)


@operation("ListTagsForResource")
def list_tags_for_resource(ctx: Ctx, *, ResourceArn: str) -> ListTagsForResourceOutput:
    return {"Tags": ctx.backend.group_by_arn(ResourceArn).tag_list()}
