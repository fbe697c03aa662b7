"""The model walk every codec shares: a shape compiled once into a plan, then reused.

A codec family says what a plan is for each kind of shape (``structure``, ``list``,
``map``, scalar); :class:`PlanCompiler` walks botocore's shapes, memoises the plans
and ties recursive shapes into cycles.  Plans are keyed by the shape's name *and*
its serialization traits, because botocore folds a member reference's traits
(``locationName``, ``timestampFormat``, ``flattened``, ``jsonvalue`` ...) into the
shape it hands out for that member.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from botocore.model import OperationModel, Shape

P = TypeVar("P")


def plan_key(shape: Shape) -> tuple[str, str]:
    serialization = shape.serialization
    return shape.name, repr(sorted(serialization.items())) if serialization else ""


class PlanCompiler(Generic[P]):
    """Builds plans of type ``P``; subclasses say what each kind of shape becomes."""

    def __init__(self) -> None:
        self._plans: dict[tuple[str, str], P] = {}
        self._operations: dict[str, Any] = {}
        self._lock = threading.RLock()

    # -- what a family supplies

    def structure(self, shape: Shape) -> P:
        """An empty structure plan; :meth:`fill` adds the members once it is registered."""
        raise NotImplementedError

    def fill(self, plan: P, shape: Shape) -> None:
        raise NotImplementedError

    def list(self, shape: Shape, member: P) -> P:
        raise NotImplementedError

    def map(self, shape: Shape, key: P, value: P) -> P:
        raise NotImplementedError

    def scalar(self, shape: Shape) -> P:
        raise NotImplementedError

    # -- the walk

    def plan(self, shape: Shape) -> P:
        key = plan_key(shape)
        found = self._plans.get(key)
        if found is not None:
            return found
        with self._lock:
            found = self._plans.get(key)
            if found is not None:
                return found
            kind = shape.type_name
            if kind == "structure":
                struct = self.structure(shape)
                self._plans[key] = struct  # registered first: shapes may be recursive
                self.fill(struct, shape)
                return struct
            if kind == "list":
                plan = self.list(shape, self.plan(shape.member))
            elif kind == "map":
                plan = self.map(shape, self.plan(shape.key), self.plan(shape.value))
            else:
                plan = self.scalar(shape)
            self._plans[key] = plan
            return plan

    def for_operation(self, operation: OperationModel, build: Any) -> Any:
        """``build(operation)``, computed once per operation name and cached."""
        found = self._operations.get(operation.name)
        if found is None:
            with self._lock:
                found = self._operations.get(operation.name)
                if found is None:
                    found = build(operation)
                    self._operations[operation.name] = found
        return found
