"""Results that never change once made, so a codec may answer them from what it made
before (a region, an availability zone, an instance type: catalogue entries every
request shows alike)."""

from __future__ import annotations

from typing import Any, NoReturn


class Frozen(dict):  # type: ignore[type-arg]
    """A result structure made once and shown by many requests. A codec keeps the
    bytes it made of one in ``made`` (by plan) and writes them again. Changing one is
    a bug: copy it (``dict(frozen)``, ``{**frozen, ...}``) to vary it."""

    __slots__ = ("made",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: what a codec made of this value, by the plan that made it
        self.made: dict[str, str] = {}

    def _refuse(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("a Frozen result never changes; copy it (dict(value)) to vary it")

    __setitem__ = __delitem__ = __ior__ = _refuse  # type: ignore[assignment]
    update = pop = popitem = clear = setdefault = _refuse  # type: ignore[assignment]

    def __reduce__(self) -> tuple[type[Frozen], tuple[dict[str, Any]]]:
        # copied and pickled as a new Frozen of the same items (the default would
        # rebuild it item by item through __setitem__)
        return Frozen, (dict(self),)
