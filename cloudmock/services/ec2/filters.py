"""The describe-filter engine.

A family declares, per describe operation, a mapping from documented filter
name to a getter on its model.  ``tag:KEY``, ``tag-key`` and ``tag-value``
come free for every resource.  A name the model does not document is EC2's
``InvalidParameterValue``; a documented name cloudmock cannot answer yet fails
with a clear ``UnsupportedOperation`` instead of being ignored.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from cloudmock.core.errors import InvalidParameterValue, ServiceError
from cloudmock.core.protocols.ec2 import format_timestamp

if TYPE_CHECKING:
    from botocore.model import OperationModel

    from cloudmock.services.ec2.shapes import Filter

from cloudmock.services.ec2.models.base import Resource, Store

R = TypeVar("R", bound=Resource)
Getter = Callable[[Any], Any]

_DOC_NAME = re.compile(r"<li>\s*<p>\s*<code>([^<]+)</code>|<(/?)ul>")


def _top_level_names(documentation: str) -> list[str]:
    """The names of the filter list's own items, not of lists nested in them (the values
    one filter takes, as DescribeImages' severity labels)."""
    names, depth = [], 0
    for match in _DOC_NAME.finditer(documentation):
        name, closing = match.group(1), match.group(2)
        if name is not None:
            if depth <= 1:
                names.append(name)
        elif closing:
            depth -= 1
        else:
            depth += 1
    return names


@cache
def _documented(documentation: str) -> frozenset[str]:
    names = set()
    for raw in _top_level_names(documentation):
        name = raw.replace("&lt;", "<").replace("&gt;", ">").strip()
        names.add("tag:" if name == "tag" or name.startswith("tag:") else name)
    return frozenset(names)


def documented_filters(operation: OperationModel) -> frozenset[str]:
    """The filter names the model's documentation lists for ``operation``."""
    shape = operation.input_shape
    if shape is None:
        return frozenset()
    # a few operations (DescribeFlowLogs, DescribeNatGateways, ...) name the member "Filter"
    member = shape.members.get("Filters") or shape.members.get("Filter")
    if member is None:
        return frozenset()
    return _documented(member.documentation or "")


def _own_tags(item: Any) -> Mapping[str, str]:
    return item.tags  # type: ignore[no-any-return]


@dataclass(frozen=True)
class FilterSet(Generic[R]):
    """What one describe operation can filter on."""

    getters: Mapping[str, Getter]
    #: where a resource keeps the tags that tag:KEY / tag-key / tag-value look at
    tags: Callable[[Any], Mapping[str, str]] = _own_tags
    #: filters a store index answers exactly: filter name -> index name (``"vpc-id": "vpc"``)
    indexes: Mapping[str, str] = field(default_factory=dict)

    @property
    def indexed_tags(self) -> bool:
        """Whether tag:KEY can be answered by the store's tag index (the item's own tags)."""
        return self.tags is _own_tags

    def supports(self, name: str, documented: frozenset[str]) -> bool:
        if name in self.getters:
            return True
        # The generic tag filters exist only where the model documents them for the operation.
        generic = "tag:" if name.startswith("tag:") else name
        return generic in ("tag:", "tag-key", "tag-value") and generic in documented

    def values_of(self, item: Any, name: str) -> Iterable[str]:
        if name.startswith("tag:") and name not in self.getters:
            value = self.tags(item).get(name[4:])
            return () if value is None else (value,)
        if name == "tag-key" and name not in self.getters:
            return self.tags(item).keys()
        if name == "tag-value" and name not in self.getters:
            return self.tags(item).values()
        return _as_strings(self.getters[name](item))


def _as_strings(value: Any) -> Iterable[str]:
    if value is None:
        return ()
    if isinstance(value, (str, bool, int, float, datetime)):
        return (_one(value),)
    return [_one(v) for v in value if v is not None]


def _one(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return format_timestamp(value)
    return str(value)


class _Matcher:
    """One filter: any of its values may match (wildcards * and ?, backslash escapes)."""

    def __init__(self, name: str, values: Sequence[str]) -> None:
        self.name = name
        self.exact = {v for v in values if not _has_wildcard(v)}
        self.patterns = [_compile(v) for v in values if _has_wildcard(v)]

    def matches(self, candidates: Iterable[str]) -> bool:
        for candidate in candidates:
            if candidate in self.exact:
                return True
            for pattern in self.patterns:
                if pattern.fullmatch(candidate):
                    return True
        return False


def _has_wildcard(value: str) -> bool:
    return "*" in value or "?" in value


def _compile(value: str) -> re.Pattern[str]:
    out, escaped = [], False
    for char in value:
        if escaped:
            out.append(re.escape(char))
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "*":
            out.append(".*")
        elif char == "?":
            out.append(".")
        else:
            out.append(re.escape(char))
    return re.compile("".join(out), re.DOTALL)


def candidates(
    store: Store[Any], filters: Sequence[Filter] | None, filter_set: FilterSet[Any]
) -> list[Any]:
    """What the filters can possibly match, found through the store's indexes where one answers.

    Only a superset is promised: :func:`apply_filters` still checks every filter on what
    comes back. A filter of exact values (no wildcards) on ``tag:KEY`` or on a name the
    filter set maps to an index narrows the set; the narrowest one wins.
    """
    best: list[Any] | None = None
    for spec in filters or ():
        name, values = spec.get("Name"), spec.get("Values")
        if not name or not values or any(_has_wildcard(v) for v in values):
            continue
        found: list[Any] | None = None
        if name.startswith("tag:") and name not in filter_set.getters and filter_set.indexed_tags:
            found = store.tagged(name[4:], values)
        elif name in filter_set.indexes:
            index = filter_set.indexes[name]
            hits = {item.id: item for value in values for item in store.lookup(index, value)}
            found = store.in_order(hits.values())
        if found is not None and (best is None or len(found) < len(best)):
            best = found
    return list(store) if best is None else best


def apply_filters(
    items: Iterable[R],
    filters: Sequence[Filter] | None,
    filter_set: FilterSet[R],
    operation: OperationModel,
) -> list[R]:
    """The items every filter matches (filters AND together, a filter's values OR)."""
    items = list(items)
    if not filters:
        return items
    matchers = []
    for position, spec in enumerate(filters, start=1):
        name = spec.get("Name")
        if not name:
            raise InvalidParameterValue(f"The filter Filter.{position}.Name must not be empty")
        documented = documented_filters(operation)
        if not filter_set.supports(name, documented):
            if name in documented or (name.startswith("tag:") and "tag:" in documented):
                raise ServiceError(
                    f"cloudmock does not support the filter '{name}' of {operation.name} yet.",
                    code="UnsupportedOperation",
                )
            raise InvalidParameterValue(f"The filter '{name}' is invalid")
        values = spec.get("Values") or []
        if not values:
            raise InvalidParameterValue(f"The filter '{name}' must have at least one value")
        matchers.append(_Matcher(name, values))
    return [
        item
        for item in items
        if all(m.matches(filter_set.values_of(item, m.name)) for m in matchers)
    ]
