"""The handler contract: a handler's signature says which request members it handles.

A handler is ``fn(ctx, *, Member: type = default, ...)``. Its keyword-only
parameters, named exactly as the input shape's members, are the members it
handles; nothing else is. A member's annotation says how much of a structured
value the handler takes:

* a type generated from the model (``Placement``, ``list[Filter]``, imported from
  the service's ``shapes`` module under ``TYPE_CHECKING``): all of it;
* a ``TypedDict`` of the handler's own (``PlacementIn`` naming three of
  ``Placement``'s ten members): only the members it names, recursively.

The plugin refuses a request that carries any member, at any depth, that the
handler does not take, with the service's error naming it, before the handler
(or anything else that could change state) runs. There is no list an author can
forget: leaving a member out refuses it, and a parameter that names no member of
the operation is an error when the contract is compiled. mypy sees the same
annotations, so a handler cannot read a member it did not declare.
"""

from __future__ import annotations

import inspect
import keyword
import sys
import types
import typing
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any, Union


class ContractError(TypeError):
    """A handler whose signature does not fit its operation (a bug in the plugin)."""


def argument_name(member: str) -> str:
    """The keyword a handler uses for ``member`` (a trailing ``_`` where Python reserves it)."""
    return f"{member}_" if keyword.iskeyword(member) else member


def member_name(argument: str) -> str:
    if argument.endswith("_") and keyword.iskeyword(argument[:-1]):
        return argument[:-1]
    return argument


# ------------------------------------------------------------- values taken in part


class Part:
    """What a handler takes of one structured value."""

    def untaken(self, value: Any, path: str) -> str | None:
        """The path of the first member ``value`` carries that is not taken, or None."""
        raise NotImplementedError


@dataclass(frozen=True)
class StructPart(Part):
    #: member -> what is taken of its value (None: all of it)
    members: Mapping[str, Part | None]

    def untaken(self, value: Any, path: str) -> str | None:
        members = self.members
        for name, item in value.items():
            if name not in members:
                return f"{path}.{name}"
            part = members[name]
            if part is not None:
                found = part.untaken(item, f"{path}.{name}")
                if found is not None:
                    return found
        return None


@dataclass(frozen=True)
class ListPart(Part):
    item: Part

    def untaken(self, value: Any, path: str) -> str | None:
        for item in value:
            found = self.item.untaken(item, path)
            if found is not None:
                return found
        return None


@dataclass(frozen=True)
class MapPart(Part):
    value: Part

    def untaken(self, value: Any, path: str) -> str | None:
        for item in value.values():
            found = self.value.untaken(item, path)
            if found is not None:
                return found
        return None


# --------------------------------------------------------------- annotations


class ModelShape:
    """Stands for a type generated from the model: the handler takes all of it."""

    shape_name: str = ""


class ShapeNamespace(Mapping[str, type]):
    """Resolves the names of a model's generated types without importing them.

    Generated modules are large; handlers import them for mypy only, so at run
    time each name resolves to a small :class:`ModelShape` subclass instead.
    """

    def __init__(self, shape_names: Collection[str]) -> None:
        self._names = shape_names
        self._made: dict[str, type] = {}

    def __getitem__(self, name: str) -> type:
        made = self._made.get(name)
        if made is None:
            if name not in self._names:
                raise KeyError(name)
            made = self._made[name] = type(name, (ModelShape,), {"shape_name": name})
        return made

    def __iter__(self) -> typing.Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


class _Scope(Mapping[str, Any]):
    """A module's own names first (its TypedDicts may share a model shape's name), then the
    model's shapes; builtins come after both, from eval itself."""

    def __init__(self, namespace: Mapping[str, Any], shapes: ShapeNamespace) -> None:
        self._namespace, self._shapes = namespace, shapes

    def __getitem__(self, name: str) -> Any:
        if name in self._namespace:
            return self._namespace[name]
        return self._shapes[name]

    def __iter__(self) -> typing.Iterator[str]:
        return iter(self._namespace)

    def __len__(self) -> int:
        return len(self._namespace)


def evaluate(annotation: Any, module: str, shapes: ShapeNamespace) -> Any:
    """An annotation (a string under ``from __future__ import annotations``) as a type."""
    if isinstance(annotation, typing.ForwardRef):  # how a TypedDict keeps its string annotations
        annotation = annotation.__forward_arg__
    if not isinstance(annotation, str):
        return annotation
    namespace = vars(sys.modules[module]) if module in sys.modules else {}
    try:
        return eval(annotation, namespace, _Scope(namespace, shapes))
    except Exception as error:
        raise ContractError(
            f"cannot read the annotation {annotation!r} in {module}: {error}"
        ) from error


def without_none(annotation: Any) -> Any:
    """``X | None`` -> ``X``."""
    if typing.get_origin(annotation) in (Union, types.UnionType):
        rest = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        if len(rest) == 1:
            return rest[0]
    return annotation


def part_of(annotation: Any, shapes: ShapeNamespace) -> Part | None:
    """What a handler takes of a value of this (evaluated) type; None: all of it."""
    annotation = without_none(annotation)
    origin = typing.get_origin(annotation)
    if origin is list:
        item = part_of(typing.get_args(annotation)[0], shapes)
        return None if item is None else ListPart(item)
    if origin is dict:
        value = part_of(typing.get_args(annotation)[1], shapes)
        return None if value is None else MapPart(value)
    if isinstance(annotation, type) and typing.is_typeddict(annotation):
        hints = getattr(annotation, "__annotations__", {})
        return StructPart(
            {
                name: part_of(evaluate(hint, annotation.__module__, shapes), shapes)
                for name, hint in hints.items()
            }
        )
    return None


# ------------------------------------------------------------------ the contract


@dataclass(frozen=True)
class Contract:
    """What one handler takes, compiled from its signature once."""

    operation: str
    #: member names the handler takes
    takes: frozenset[str]
    #: members the handler needs (no default in its signature); all required by the model
    needs: frozenset[str]
    #: member -> keyword, only where the two differ (a member named like a Python keyword)
    renamed: Mapping[str, str]
    #: members whose value the handler takes only in part
    parts: Mapping[str, Part]

    def untaken(self, params: Mapping[str, Any], also: Collection[str] = ()) -> str | None:
        """The first member (as a dotted path) ``params`` carries that nobody handles."""
        takes = self.takes
        if not params.keys() <= takes:  # one C-level test when the handler takes them all
            for name in params:
                if name not in takes and name not in also:
                    return name
        parts = self.parts
        if not parts or parts.keys().isdisjoint(params):  # nothing taken in part is given
            return None
        for name, part in parts.items():
            value = params.get(name)
            if value is not None:
                found = part.untaken(value, name)
                if found is not None:
                    return found
        return None

    def keywords(self, params: Mapping[str, Any]) -> Mapping[str, Any]:
        if not self.renamed:
            return params
        return {self.renamed.get(name, name): value for name, value in params.items()}


def compile_contract(
    handler: Callable[..., Any],
    operation: str,
    members: Collection[str],
    required: Collection[str] = (),
    reserved: Collection[str] = (),
    shapes: ShapeNamespace | None = None,
) -> Contract:
    """Read ``handler``'s signature against the input ``members`` of ``operation``.

    ``reserved`` members are handled around every handler (EC2's ``DryRun``), so a
    handler may not take them itself. A member the handler takes without a default
    must be one the model requires (the codec refuses a request without it), so a
    call never lacks an argument.
    """
    where = f"{getattr(handler, '__module__', '?')}.{getattr(handler, '__qualname__', handler)}"
    shapes = shapes or ShapeNamespace(())
    parameters = list(inspect.signature(handler).parameters.values())
    if not parameters or parameters[0].kind not in (
        inspect.Parameter.POSITIONAL_ONLY,
        inspect.Parameter.POSITIONAL_OR_KEYWORD,
    ):
        raise ContractError(f"{where}: the first parameter must be the request context")
    takes: list[str] = []
    needs: set[str] = set()
    renamed: dict[str, str] = {}
    parts: dict[str, Part] = {}
    for parameter in parameters[1:]:
        if parameter.kind is not inspect.Parameter.KEYWORD_ONLY:
            # **kwargs would take every member and handle none of them
            raise ContractError(
                f"{where}: {parameter} must be keyword-only and named after a member of "
                f"{operation} (put the members after a bare '*')"
            )
        member = member_name(parameter.name)
        if member not in members:
            raise ContractError(f"{where}: {operation} has no member {member!r}")
        if member in reserved:
            raise ContractError(
                f"{where}: {member} is handled for every operation; the handler may not take it"
            )
        takes.append(member)
        if parameter.default is inspect.Parameter.empty:
            if member not in required:
                raise ContractError(
                    f"{where}: {member} is optional in {operation}; give it a default"
                )
            needs.add(member)
        if parameter.name != member:
            renamed[member] = parameter.name
        annotation = evaluate(parameter.annotation, handler.__module__, shapes)
        part = part_of(annotation, shapes)
        if part is not None:
            parts[member] = part
    return Contract(operation, frozenset(takes), frozenset(needs), renamed, parts)
