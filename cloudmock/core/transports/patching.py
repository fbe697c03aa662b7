"""Replace attributes of classes (and modules) and put back exactly what was there."""

from __future__ import annotations

from typing import Any

_ABSENT = object()


class AttributePatches:
    """Attributes replaced on classes, restored exactly: the very object that was in
    the class's own ``__dict__`` goes back, and an attribute the class only inherited
    is deleted again, so a subclass never keeps a copy of its parent's method."""

    def __init__(self) -> None:
        self._saved: list[tuple[object, str, Any]] = []

    def __bool__(self) -> bool:
        return bool(self._saved)

    def replace(self, owner: object, name: str, value: Any) -> None:
        self._saved.append((owner, name, vars(owner).get(name, _ABSENT)))
        setattr(owner, name, value)

    def restore(self) -> None:
        for owner, name, original in reversed(self._saved):
            if original is _ABSENT:
                delattr(owner, name)
            else:
                setattr(owner, name, original)
        self._saved.clear()
