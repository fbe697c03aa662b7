"""Tag rules shared by CreateTags, DeleteTags and every TagSpecifications parameter."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from cloudmock.core.errors import InvalidParameterValue, MissingParameter, ServiceError
from cloudmock.services.ec2.models.base import Resource, Store

MAX_TAGS = 50
MAX_KEY = 128
MAX_VALUE = 256


def validate_tags(tags: Sequence[Mapping[str, Any]], where: str = "Tag") -> dict[str, str]:
    """``[{"Key": k, "Value": v}]`` -> ``{k: v}``, with EC2's limits on keys and values."""
    out: dict[str, str] = {}
    for position, tag in enumerate(tags, start=1):
        key = tag.get("Key")
        if key is None:
            raise MissingParameter(f"{where}.{position}.Key")
        value = tag.get("Value") or ""
        if not key or len(key) > MAX_KEY:
            raise InvalidParameterValue(
                f"Tag key must be between 1 and {MAX_KEY} characters long, got '{key}'"
            )
        if len(value) > MAX_VALUE:
            raise InvalidParameterValue(
                f"Tag value exceeds the maximum length of {MAX_VALUE} characters for key '{key}'"
            )
        if key in out:
            raise InvalidParameterValue(f"Duplicate tag key '{key}' specified.")
        if key.lower().startswith("aws:"):
            raise InvalidParameterValue(
                f"Tag key '{key}' is invalid: keys starting with 'aws:' are reserved for AWS use"
            )
        out[key] = value
    return out


def check_tag_room(resource: Resource, tags: Mapping[str, str]) -> None:
    """TagLimitExceeded if adding ``tags`` would take ``resource`` past EC2's limit."""
    if len(resource.tags.keys() | tags.keys()) > MAX_TAGS:
        raise ServiceError(
            f"The maximum number of tags ({MAX_TAGS}) for resource '{resource.id}' "
            "has been reached.",
            code="TagLimitExceeded",
        )


def add_tags(store: Store[Any], resource: Resource, tags: Mapping[str, str]) -> None:
    """Merge ``tags`` in; the caller has checked :func:`check_tag_room` before its commit point."""
    store.set_tags(resource, {**resource.tags, **tags})


def remove_tags(
    store: Store[Any], resource: Resource, tags: Sequence[Mapping[str, Any]] | None
) -> None:
    """DeleteTags: a key with no Value goes whatever its value; with a Value, only on a match."""
    if tags is None:
        store.set_tags(resource, {k: v for k, v in resource.tags.items() if k.startswith("aws:")})
        return
    kept = dict(resource.tags)
    for tag in tags:
        key = tag.get("Key")
        if key is None or key not in kept:
            continue
        if "Value" in tag and tag["Value"] is not None and kept[key] != tag["Value"]:
            continue
        del kept[key]
    store.set_tags(resource, kept)


def tag_specifications(
    specs: Sequence[Mapping[str, Any]] | None, allowed: Iterable[str]
) -> dict[str, dict[str, str]]:
    """TagSpecifications -> ``{resource_type: tags}``, refusing types the operation cannot tag."""
    if not specs:  # most requests
        return {}
    allowed = set(allowed)
    out: dict[str, dict[str, str]] = {}
    for position, spec in enumerate(specs or (), start=1):
        resource_type = spec.get("ResourceType")
        if not resource_type:
            raise MissingParameter(f"TagSpecification.{position}.ResourceType")
        if resource_type not in allowed:
            raise InvalidParameterValue(
                f"'{resource_type}' is not a valid taggable resource type for this operation."
            )
        tags = validate_tags(spec.get("Tags") or [], f"TagSpecification.{position}.Tag")
        merged = {**out.get(resource_type, {}), **tags}
        if len(merged) > MAX_TAGS:
            raise ServiceError(
                f"The maximum number of tags ({MAX_TAGS}) for a resource has been reached.",
                code="TagLimitExceeded",
            )
        out[resource_type] = merged
    return out
