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
from typing import TYPE_CHECKING, Any, Generic, TypeAlias, TypeVar

from cloudmock.core.errors import ServiceError

if TYPE_CHECKING:
    from cloudmock.services.ec2.shapes import Tag


@dataclass(slots=True)
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

H = TypeVar("H", bound=Callable[..., object])

#: ``item = new_object(Cls); item.__init__(**fields)`` makes what ``Cls(**fields)`` makes:
#: a class called with keywords has CPython 3.11 gather them in a dict for ``__init__``,
#: while ``__init__`` called directly takes them as they are (half the cost). For the
#: launch path, which makes several objects of dozens of fields per instance.
new_object = object.__new__


def options_only(hook: H) -> H:
    """Mark a family's launch check or launch hook (``Instances.launch_checks``,
    ``.on_launch``) as one with nothing to do for a plain launch (``LaunchSpec.plain``:
    none of RunInstances' options beyond the basics), so such a launch skips the call."""
    hook.options_only = True  # type: ignore[attr-defined]
    return hook


def _id_pattern(prefix: str) -> re.Pattern[str]:
    pattern = _patterns.get(prefix)
    if pattern is None:
        # EC2 ids carry 8 (older resources) or 17 hex digits; anything else is malformed.
        pattern = _patterns[prefix] = re.compile(
            rf"^{re.escape(prefix)}-(?:[0-9a-f]{{8}}|[0-9a-f]{{17}})$"
        )
    return pattern


R = TypeVar("R", bound=Resource)

#: an index bucket: the one resource with a key, or the several by id
Bucket: TypeAlias = "R | dict[str, R]"


def _put(buckets: dict[Hashable, Bucket[R]], key: Hashable, item: R) -> None:
    bucket = buckets.get(key)
    if bucket is None:
        buckets[key] = item
    elif isinstance(bucket, dict):
        bucket[item.id] = item
    elif bucket.id == item.id:
        buckets[key] = item
    else:
        buckets[key] = {bucket.id: bucket, item.id: item}


def _drop(buckets: dict[Hashable, Bucket[R]], key: Hashable, item_id: str) -> None:
    bucket = buckets.get(key)
    if bucket is None:
        return
    if isinstance(bucket, dict):
        bucket.pop(item_id, None)
        if len(bucket) == 1:
            buckets[key] = next(iter(bucket.values()))
        elif not bucket:
            del buckets[key]
    elif bucket.id == item_id:
        del buckets[key]


class Store(Generic[R]):
    """The resources of one kind in one region, in creation order, with indexes."""

    def __init__(self, kind: ResourceKind) -> None:
        self.kind = kind
        self._items: dict[str, R] = {}
        #: index name -> (key function, key -> bucket); a bucket is the one resource with
        #: that key, or a dict of them by id once there are several (most keys are unique,
        #: and a dict per resource is one more object for the garbage collector to walk)
        self._indexes: dict[str, tuple[Callable[[R], Hashable], dict[Hashable, Bucket[R]]]] = {}
        #: id -> its key in each index (in the order of _indexes), to move it on reindex
        self._keys: dict[str, tuple[Hashable, ...]] = {}
        #: tag key -> value -> the resources carrying it (tag:KEY filters look here)
        self._tags: dict[str, dict[Hashable, Bucket[R]]] = {}
        #: id -> position in creation order, to give index hits back in that order
        self._order: dict[str, int] = {}
        self._next = 0

    # -- indexes: one key function per index, kept up to date on add/remove

    def add_index(self, name: str, key: Callable[[R], Hashable]) -> None:
        buckets: dict[Hashable, Bucket[R]] = {}
        for item in self._items.values():
            value = key(item)
            _put(buckets, value, item)
            self._keys[item.id] = (*self._keys[item.id], value)
        self._indexes[name] = (key, buckets)

    def lookup(self, index: str, value: Hashable) -> list[R]:
        bucket = self._indexes[index][1].get(value)
        if bucket is None:
            return []
        if isinstance(bucket, dict):
            return list(bucket.values())
        return [bucket]

    def reindex(self, item: R) -> None:
        """Call after changing an attribute an index is keyed on."""
        old = self._keys.get(item.id)
        if old is None:
            return
        new = tuple(key(item) for key, _ in self._indexes.values())
        for (_, buckets), before, after in zip(self._indexes.values(), old, new, strict=True):
            if before != after:
                _drop(buckets, before, item.id)
                _put(buckets, after, item)
        self._keys[item.id] = new

    # -- the collection

    def add(self, item: R) -> R:
        item_id = item.id
        self._items[item_id] = item
        self._order[item_id] = self._next
        self._next += 1
        if self._indexes:
            keys = []
            for key, buckets in self._indexes.values():
                value = key(item)
                keys.append(value)
                # _put's two common cases here, without a call (several per launch)
                bucket = buckets.get(value)
                if bucket is None:
                    buckets[value] = item
                elif bucket.__class__ is dict:
                    bucket[item_id] = item  # type: ignore[index]
                else:
                    _put(buckets, value, item)
            self._keys[item_id] = tuple(keys)
        else:
            self._keys[item_id] = ()
        if item.tags:
            self._index_tags(item)
        return item

    def remove(self, item_id: str) -> R | None:
        item = self._items.pop(item_id, None)
        if item is not None:
            del self._order[item_id]
            if item.tags:
                self._unindex_tags(item)
            keys = self._keys.pop(item_id, ())
            for (_, buckets), value in zip(self._indexes.values(), keys, strict=False):
                _drop(buckets, value, item_id)
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
            _put(self._tags.setdefault(key, {}), value, item)

    def _unindex_tags(self, item: R) -> None:
        for key, value in item.tags.items():
            values = self._tags.get(key)
            if values is None:
                continue
            _drop(values, value, item.id)
            if not values:
                del self._tags[key]

    def tagged(self, key: str, values: Iterable[str] | None = None) -> list[R]:
        """The resources with tag ``key`` (set to one of ``values``, if given), in creation order."""
        by_value = self._tags.get(key, {})
        wanted = by_value.keys() if values is None else values
        found: dict[str, R] = {}
        for value in wanted:
            bucket = by_value.get(value)
            if bucket is None:
                continue
            if isinstance(bucket, dict):
                found.update(bucket)
            else:
                found[bucket.id] = bucket
        return self.in_order(found.values())

    def in_order(self, items: Iterable[R]) -> list[R]:
        """``items`` of this store in creation order."""
        order = self._order
        return sorted(items, key=lambda item: order[item.id])

    def generation(self) -> tuple[int, int]:
        """Changes whenever a resource is added or removed: (additions so far, how many now)."""
        return self._next, len(self._items)

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
    """EC2-shaped ids (``prefix-`` + 17 hex digits) from the backend's seeded random stream.

    ``taken(id)`` says whether an id is in use; with ``stores`` (prefix -> the store of the
    ids starting ``prefix-``, as the backend registers them) ``new`` asks the one store
    itself: every launch draws several ids.
    """

    def __init__(
        self,
        rng: object,
        taken: Callable[[str], bool],
        stores: dict[str, Store[Any]] | None = None,
    ) -> None:
        self._bits = rng.getrandbits  # type: ignore[attr-defined]
        self._taken = taken
        self._stores = stores

    def new(self, prefix: str, digits: int = 17) -> str:
        # "%0*x" formats the digits at a third of an f-string's nested format spec's cost
        bits = self._bits
        if self._stores is not None:
            # an id drawn for ``prefix`` can only clash with its own store's
            store = self._stores.get(prefix)
            if store is None:
                return "%s-%0*x" % (prefix, digits, bits(digits * 4))  # noqa: UP031
            items = store._items
            while True:
                candidate = "%s-%0*x" % (prefix, digits, bits(digits * 4))  # noqa: UP031
                if candidate not in items:
                    return candidate
        while True:
            candidate = "%s-%0*x" % (prefix, digits, bits(digits * 4))  # noqa: UP031
            if not self._taken(candidate):
                return candidate

    def hex(self, digits: int) -> str:
        return f"{self._bits(digits * 4):0{digits}x}"
