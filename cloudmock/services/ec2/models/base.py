"""The resource layer every EC2 family builds on.

A family declares a :class:`ResourceKind` (id prefix, tag resource type, error
codes) and keeps its resources in a :class:`Store`.  Stores give id
validation with EC2's distinct Malformed / NotFound errors, secondary indexes,
and, through :mod:`cloudmock.services.ec2.filters` and ``paging``, filtering
and pagination — so a new family gets those for free.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Generic, TypeVar

from cloudmock.core.errors import ServiceError

if TYPE_CHECKING:
    from cloudmock.services.ec2.shapes import Tag


@dataclass
class Resource:
    """Anything EC2 gives an id to; every resource can carry tags."""

    id: str
    tags: dict[str, str] = field(default_factory=dict, kw_only=True)

    def tag_list(self) -> list[Tag]:
        return [{"Key": k, "Value": v} for k, v in self.tags.items()]


@dataclass(frozen=True)
class ResourceKind:
    #: id prefix without the dash: "i", "vpc", "subnet"
    prefix: str
    #: the ``ResourceType`` of TagSpecifications and DescribeTags: "instance"
    resource_type: str
    #: the error code stem: "InvalidInstanceID" -> .Malformed / .NotFound
    error_stem: str
    #: how messages name the id: "instance ID"
    noun: str
    #: where NotFound uses another stem (security groups: InvalidGroup.NotFound)
    not_found_stem: str | None = None

    @property
    def id_pattern(self) -> re.Pattern[str]:
        return _id_pattern(self.prefix)

    def malformed(self, value: str) -> ServiceError:
        return ServiceError(
            f'Invalid id: "{value}" (expecting "{self.prefix}-...")',
            code=f"{self.error_stem}.Malformed",
        )

    def not_found(self, ids: Iterable[str]) -> ServiceError:
        ids = list(ids)
        if len(ids) == 1:
            message = f"The {self.noun} '{ids[0]}' does not exist"
        else:
            message = f"The {self.noun}s '{', '.join(ids)}' do not exist"
        return ServiceError(message, code=f"{self.not_found_stem or self.error_stem}.NotFound")


_patterns: dict[str, re.Pattern[str]] = {}


def _id_pattern(prefix: str) -> re.Pattern[str]:
    pattern = _patterns.get(prefix)
    if pattern is None:
        # EC2 ids carry 8 (older resources) or 17 hex digits; anything else is malformed.
        pattern = _patterns[prefix] = re.compile(
            rf"^{re.escape(prefix)}-(?:[0-9a-f]{{8}}|[0-9a-f]{{17}})$"
        )
    return pattern


R = TypeVar("R", bound=Resource)


class Store(Generic[R]):
    """The resources of one kind in one region, in creation order, with indexes."""

    def __init__(self, kind: ResourceKind) -> None:
        self.kind = kind
        self._items: dict[str, R] = {}
        self._indexes: dict[str, tuple[Callable[[R], Hashable], dict[Hashable, dict[str, R]]]] = {}
        #: tag key -> value -> the resources carrying it (tag:KEY filters look here)
        self._tags: dict[str, dict[str, dict[str, R]]] = {}
        #: id -> position in creation order, to give index hits back in that order
        self._order: dict[str, int] = {}
        self._next = 0

    # -- indexes: one key function per index, kept up to date on add/remove

    def add_index(self, name: str, key: Callable[[R], Hashable]) -> None:
        buckets: dict[Hashable, dict[str, R]] = {}
        for item in self._items.values():
            buckets.setdefault(key(item), {})[item.id] = item
        self._indexes[name] = (key, buckets)

    def lookup(self, index: str, value: Hashable) -> list[R]:
        return list(self._indexes[index][1].get(value, {}).values())

    def reindex(self, item: R) -> None:
        """Call after changing an attribute an index is keyed on."""
        for key, buckets in self._indexes.values():
            for bucket in buckets.values():
                bucket.pop(item.id, None)
            buckets.setdefault(key(item), {})[item.id] = item

    # -- the collection

    def add(self, item: R) -> R:
        self._items[item.id] = item
        self._order[item.id] = self._next
        self._next += 1
        for key, buckets in self._indexes.values():
            buckets.setdefault(key(item), {})[item.id] = item
        if item.tags:
            self._index_tags(item)
        return item

    def remove(self, item_id: str) -> R | None:
        item = self._items.pop(item_id, None)
        if item is not None:
            del self._order[item_id]
            if item.tags:
                self._unindex_tags(item)
            for key, buckets in self._indexes.values():
                bucket = buckets.get(key(item))
                if bucket is not None:
                    bucket.pop(item_id, None)
                    if not bucket:
                        del buckets[key(item)]
        return item

    # -- tags: changed only through set_tags, so the tag index stays true

    def set_tags(self, item: R, tags: dict[str, str]) -> None:
        """Give ``item`` (one of this store's) exactly ``tags``."""
        if item.id in self._items:
            self._unindex_tags(item)
            item.tags = tags
            self._index_tags(item)
        else:
            item.tags = tags

    def _index_tags(self, item: R) -> None:
        for key, value in item.tags.items():
            self._tags.setdefault(key, {}).setdefault(value, {})[item.id] = item

    def _unindex_tags(self, item: R) -> None:
        for key, value in item.tags.items():
            values = self._tags.get(key)
            if values is None:
                continue
            holders = values.get(value)
            if holders is not None:
                holders.pop(item.id, None)
                if not holders:
                    del values[value]
            if not values:
                del self._tags[key]

    def tagged(self, key: str, values: Iterable[str] | None = None) -> list[R]:
        """The resources with tag ``key`` (set to one of ``values``, if given), in creation order."""
        by_value = self._tags.get(key, {})
        wanted = by_value.keys() if values is None else values
        found: dict[str, R] = {}
        for value in wanted:
            found.update(by_value.get(value, {}))
        return self.in_order(found.values())

    def in_order(self, items: Iterable[R]) -> list[R]:
        """``items`` of this store in creation order."""
        order = self._order
        return sorted(items, key=lambda item: order[item.id])

    def __contains__(self, item_id: object) -> bool:
        return item_id in self._items

    def __iter__(self) -> Iterator[R]:
        return iter(list(self._items.values()))

    def __len__(self) -> int:
        return len(self._items)

    def find(self, item_id: str) -> R | None:
        return self._items.get(item_id)

    def check_id(self, value: str) -> None:
        if not self.kind.id_pattern.match(value):
            raise self.kind.malformed(value)

    def get(self, item_id: str) -> R:
        """The resource, or EC2's Malformed / NotFound error for this kind."""
        item = self._items.get(item_id)
        if item is None:
            self.check_id(item_id)
            raise self.kind.not_found([item_id])
        return item

    def get_many(self, ids: Iterable[str]) -> list[R]:
        """All the resources asked for, in the order asked; every missing id in one error."""
        ids = list(dict.fromkeys(ids))
        for value in ids:
            if value not in self._items:
                self.check_id(value)
        missing = [value for value in ids if value not in self._items]
        if missing:
            raise self.kind.not_found(missing)
        return [self._items[value] for value in ids]


class IdFactory:
    """EC2-shaped ids (``prefix-`` + 17 hex digits) from the backend's seeded random stream."""

    def __init__(self, rng: object, taken: Callable[[str], bool]) -> None:
        self._bits = rng.getrandbits  # type: ignore[attr-defined]
        self._taken = taken

    def new(self, prefix: str, digits: int = 17) -> str:
        while True:
            candidate = f"{prefix}-{self._bits(digits * 4):0{digits}x}"
            if not self._taken(candidate):
                return candidate

    def hex(self, digits: int) -> str:
        return f"{self._bits(digits * 4):0{digits}x}"
