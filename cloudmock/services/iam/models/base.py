"""What every IAM family shares: ids, names that ignore case, tags."""

from __future__ import annotations

import random
import string
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Generic, TypeVar

from cloudmock.services.iam.errors import InvalidInput, LimitExceeded

if TYPE_CHECKING:
    from cloudmock.services.iam.shapes import Tag

_ID_ALPHABET = string.ascii_uppercase + string.digits
MAX_TAGS = 50


class IdFactory:
    """``AROA``/``AIPA``/``ANPA`` + 17 uppercase letters and digits, from the seeded rng."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._issued: set[str] = set()

    def new(self, prefix: str) -> str:
        while True:
            value = prefix + "".join(self.rng.choice(_ID_ALPHABET) for _ in range(17))
            if value not in self._issued:
                self._issued.add(value)
                return value


T = TypeVar("T")


class ByName(Generic[T]):
    """Entities by name; IAM names are unique and looked up regardless of case."""

    def __init__(self) -> None:
        self._items: dict[str, T] = {}

    def find(self, name: str) -> T | None:
        return self._items.get(name.lower())

    def add(self, name: str, item: T) -> None:
        self._items[name.lower()] = item

    def remove(self, name: str) -> T | None:
        return self._items.pop(name.lower(), None)

    def __contains__(self, name: str) -> bool:
        return name.lower() in self._items

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[T]:
        return iter(list(self._items.values()))

    def sorted(self) -> list[tuple[str, T]]:
        """``(sort key, item)`` in name order, for paging."""
        return sorted(self._items.items())


class Tags:
    """An entity's tags: keys unique regardless of case, in the order they were added."""

    def __init__(self) -> None:
        self._items: dict[str, tuple[str, str]] = {}

    def __len__(self) -> int:
        return len(self._items)

    def set(self, tags: Sequence[Tag]) -> None:
        """Add or overwrite; InvalidInput for a key given twice, LimitExceeded past 50."""
        incoming: dict[str, tuple[str, str]] = {}
        for tag in tags:
            key = tag["Key"]
            if key.lower() in incoming:
                raise InvalidInput(
                    "Duplicate tag keys found. Please note that Tag keys are case insensitive."
                )
            if key.lower().startswith("aws:"):
                raise InvalidInput("User-defined tag keys can't start with 'aws:'.")
            incoming[key.lower()] = (key, tag["Value"])
        added = sum(1 for lowered in incoming if lowered not in self._items)
        if len(self._items) + added > MAX_TAGS:
            raise LimitExceeded(
                f"The number of tags has reached the maximum limit of {MAX_TAGS} tags."
            )
        for lowered, pair in incoming.items():
            # an existing key keeps its place and takes the new spelling and value
            self._items[lowered] = pair

    def remove(self, keys: Iterable[str]) -> None:
        for key in keys:
            self._items.pop(key.lower(), None)

    def shape(self) -> list[Tag]:
        return [{"Key": key, "Value": value} for key, value in self._items.values()]

    def rows(self) -> list[tuple[str, Tag]]:
        """``(sort key, tag)`` in the order added, for paging."""
        return [(f"{i:06d}", tag) for i, tag in enumerate(self.shape())]
