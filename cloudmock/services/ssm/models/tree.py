"""The parameters of one region, by name and by path.

A dict by name answers exact reads; a tree of path segments answers
GetParametersByPath and the ``Path`` filter without looking at parameters
outside the path; a sorted list of names gives DescribeParameters its order and
lets a page start after the last name of the previous one.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from typing import Generic, Protocol, TypeVar

from cloudmock.services.ssm.models.names import parent_segments, path_segments


class Named(Protocol):
    name: str


P = TypeVar("P", bound=Named)


class _Node:
    __slots__ = ("children", "names")

    def __init__(self) -> None:
        self.children: dict[str, _Node] = {}
        #: parameters whose parent path is this node
        self.names: set[str] = set()


class ParameterTree(Generic[P]):
    def __init__(self) -> None:
        self._by_name: dict[str, P] = {}
        self._sorted: list[str] = []
        self._root = _Node()

    def __len__(self) -> int:
        return len(self._by_name)

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def get(self, name: str) -> P | None:
        return self._by_name.get(name)

    def add(self, item: P) -> None:
        name = item.name
        if name in self._by_name:
            raise ValueError(f"{name} is already in the tree")
        self._by_name[name] = item
        bisect.insort(self._sorted, name)
        node = self._root
        for segment in parent_segments(name):
            node = node.children.setdefault(segment, _Node())
        node.names.add(name)

    def remove(self, name: str) -> P | None:
        item = self._by_name.pop(name, None)
        if item is None:
            return None
        del self._sorted[bisect.bisect_left(self._sorted, name)]
        trail = [self._root]
        for segment in parent_segments(name):
            trail.append(trail[-1].children[segment])
        trail[-1].names.discard(name)
        # prune the branches nothing is left in
        segments = parent_segments(name)
        for depth in range(len(segments), 0, -1):
            node = trail[depth]
            if node.names or node.children:
                break
            del trail[depth - 1].children[segments[depth - 1]]
        return item

    def names_after(self, after: str | None) -> Iterator[str]:
        """Every name in order, starting after ``after``."""
        start = 0 if after is None else bisect.bisect_right(self._sorted, after)
        for index in range(start, len(self._sorted)):
            yield self._sorted[index]

    def all(self) -> list[P]:
        return [self._by_name[name] for name in self._sorted]

    def under(self, path: str, recursive: bool) -> list[P]:
        """The parameters in ``path`` (normalised, see ``names.check_path``), by name."""
        node: _Node | None = self._root
        for segment in path_segments(path):
            node = node.children.get(segment) if node is not None else None
        if node is None:
            return []
        names: list[str] = []
        stack = [node]
        while stack:
            current = stack.pop()
            names.extend(current.names)
            if recursive:
                stack.extend(current.children.values())
        return [self._by_name[name] for name in sorted(names)]
