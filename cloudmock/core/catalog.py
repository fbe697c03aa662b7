"""Checks a plugin's handlers against its model: the proof behind the handler contract.

:func:`audit` finds every handler whose signature disagrees with the model (a
member that does not exist, a type the codec never produces, an optional member
without a default). :func:`untaken` lists, for one operation, every member path
a request may carry that the handler does not take, which the plugin must
refuse; a catalog test sends each of them and checks that it is refused before
anything changes. Plugin authors can run both in their own tests.
"""

from __future__ import annotations

import datetime
import inspect
import typing
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from cloudmock.core.contract import (
    ContractError,
    ListPart,
    MapPart,
    ModelShape,
    Part,
    StructPart,
    evaluate,
    member_name,
    without_none,
)

if TYPE_CHECKING:
    from botocore.model import Shape

    from cloudmock.core.plugin import ServicePlugin

_SCALARS: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "character": (str,),
    "integer": (int,),
    "long": (int,),
    "boolean": (bool,),
    "float": (float,),
    "double": (float,),
    "timestamp": (datetime.datetime,),
    "blob": (bytes,),
}


def mismatch(annotation: Any, shape: Shape, where: str, plugin: ServicePlugin[Any]) -> str | None:
    """Why ``annotation`` cannot hold what the codec parses for ``shape``; None if it can."""
    annotation = without_none(annotation)
    kind = shape.type_name
    origin = typing.get_origin(annotation)
    if kind == "list":
        if origin is not list:
            return f"{where}: the model has a list, the handler {annotation!r}"
        (item,) = typing.get_args(annotation)
        return mismatch(item, shape.member, f"{where}[]", plugin)  # type: ignore[attr-defined]
    if kind == "map":
        if origin is not dict:
            return f"{where}: the model has a map, the handler {annotation!r}"
        key, value = typing.get_args(annotation)
        return mismatch(key, shape.key, f"{where}{{key}}", plugin) or mismatch(  # type: ignore[attr-defined]
            value,
            shape.value,  # type: ignore[attr-defined]
            f"{where}{{}}",
            plugin,
        )
    if kind == "structure":
        if isinstance(annotation, type) and issubclass(annotation, ModelShape):
            if annotation.shape_name != shape.name:
                return f"{where}: the model's shape is {shape.name}, not {annotation.shape_name}"
            return None
        if isinstance(annotation, type) and typing.is_typeddict(annotation):
            members = shape.members  # type: ignore[attr-defined]
            for name, hint in annotation.__annotations__.items():
                if name not in members:
                    return f"{where}: {shape.name} has no member {name!r}"
                found = mismatch(
                    evaluate(hint, annotation.__module__, plugin.shapes),
                    members[name],
                    f"{where}.{name}",
                    plugin,
                )
                if found:
                    return found
            return None
        return f"{where}: the model has the structure {shape.name}, the handler {annotation!r}"
    if kind == "string" and shape.serialization.get("jsonvalue"):
        return None if annotation is Any else f"{where}: a JSON value is typed Any"
    wanted = _SCALARS.get(kind)
    if wanted is None or annotation not in wanted:
        return f"{where}: the model has a {kind}, the handler {annotation!r}"
    return None


def audit(plugin: ServicePlugin[Any]) -> list[str]:
    """Every disagreement between the plugin's handlers and its model."""
    problems: list[str] = []
    model = plugin.service_model
    for name, handler in sorted(plugin.handlers.items()):
        if name not in model.operation_names:
            problems.append(f"{name}: no such operation in {plugin.name}'s model")
            continue
        try:
            found = plugin.operation(name)
        except ContractError as error:
            problems.append(f"{name}: {error}")
            continue
        assert found is not None
        shape = model.operation_model(name).input_shape
        members = shape.members if shape is not None else {}
        for parameter in list(inspect.signature(handler).parameters.values())[1:]:
            member = member_name(parameter.name)
            where = f"{name}.{member}"
            if parameter.annotation is inspect.Parameter.empty:
                problems.append(f"{where}: no annotation")
                continue
            annotation = evaluate(parameter.annotation, handler.__module__, plugin.shapes)
            problem = mismatch(annotation, members[member], where, plugin)
            if problem:
                problems.append(problem)
            elif parameter.default is None and without_none(annotation) is annotation:
                problems.append(f"{where}: defaults to None, so its type must allow None")
    return problems


def untaken(plugin: ServicePlugin[Any], operation: str) -> Iterator[tuple[str, ...]]:
    """Every member path of ``operation``'s input that its handler does not take.

    A path runs from a top-level member through structure members (lists and
    maps are stepped through), e.g. ``("Placement", "HostId")``.
    """
    found = plugin.operation(operation)
    if found is None:
        return
    shape = plugin.service_model.operation_model(operation).input_shape
    if shape is None:
        return
    contract = found.contract
    for name, member in shape.members.items():
        if name in plugin.common_members:
            continue
        if name not in contract.takes:
            yield (name,)
        elif name in contract.parts:
            yield from _untaken_in(contract.parts[name], member, (name,))


def _untaken_in(part: Part, shape: Shape, path: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
    if isinstance(part, ListPart):
        yield from _untaken_in(part.item, shape.member, path)  # type: ignore[attr-defined]
    elif isinstance(part, MapPart):
        yield from _untaken_in(part.value, shape.value, path)  # type: ignore[attr-defined]
    elif isinstance(part, StructPart):
        for name, member in shape.members.items():  # type: ignore[attr-defined]
            if name not in part.members:
                yield (*path, name)
            else:
                inner = part.members[name]
                if inner is not None:
                    yield from _untaken_in(inner, member, (*path, name))
