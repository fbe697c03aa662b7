"""The model's constraints the wire codec leaves unchecked, checked from the model itself.

botocore's model gives Scheduler's names, ARNs and tokens a ``pattern``; the codec
checks types, required members, enums, lengths and ranges of body members, but not
patterns, nor the lengths and ranges of members bound to the URI or the query string
(``Name`` in ``/schedules/{Name}``, ``?MaxResults=``). A name with a ``/`` would then
make an ARN no one can parse. This module walks the input shape once per operation
and keeps only the checks that can fail, so a request pays for the members it sends.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from cloudmock_scheduler.errors import invalid

if TYPE_CHECKING:
    from botocore.model import OperationModel, Shape

#: ``check(value, path)`` raises ValidationException for a broken constraint
Check = Callable[[Any, str], None]

_plans: dict[str, Check | None] = {}
_lock = threading.Lock()


def check_constraints(operation: OperationModel, params: Mapping[str, Any]) -> None:
    """Raise the ValidationException AWS gives for the first constraint ``params`` break."""
    key = f"{operation.service_model.service_name}:{operation.name}"
    if key not in _plans:
        with _lock:
            if key not in _plans:
                shape = operation.input_shape
                _plans[key] = _compile(shape, set()) if shape is not None else None
    plan = _plans[key]
    if plan is not None:
        plan(params, "")


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _bound(low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return f"between {low} and {high}"
    if low is not None:
        return f"greater than or equal to {low}"
    return f"less than or equal to {high}"


def _size_check(shape: Shape, what: str, measure: Callable[[Any], int]) -> Check | None:
    low, high = shape.metadata.get("min"), shape.metadata.get("max")
    if low is None and high is None:
        return None
    constraint = f"have {what} {_bound(low, high)}"

    def check(value: Any, path: str) -> None:
        size = measure(value)
        if (low is not None and size < low) or (high is not None and size > high):
            raise invalid(value, path, constraint)

    return check


def _pattern_check(shape: Shape) -> Check | None:
    pattern = shape.metadata.get("pattern")
    if not pattern:
        return None
    try:
        compiled = re.compile(pattern)
    except re.error:  # a construct Python's re does not have: leave it to AWS
        return None
    constraint = f"satisfy regular expression pattern: {pattern}"

    def check(value: Any, path: str) -> None:
        if compiled.fullmatch(value) is None:
            raise invalid(value, path, constraint)

    return check


def _all(checks: list[Check]) -> Check | None:
    if not checks:
        return None
    if len(checks) == 1:
        return checks[0]

    def check(value: Any, path: str) -> None:
        for each in checks:
            each(value, path)

    return check


def _compile(shape: Shape, seen: set[str]) -> Check | None:
    kind = shape.type_name
    if kind == "structure":
        if shape.name in seen:  # a recursive shape: checked down to where it repeats
            return None
        seen = seen | {shape.name}
        members: dict[str, Check] = {}
        for name, member in shape.members.items():
            found = _compile(member, seen)
            if found is not None:
                members[name] = found
        if not members:
            return None

        def structure(value: Any, path: str) -> None:
            for name, check in members.items():
                item = value.get(name)
                if item is not None:
                    check(item, _join(path, name))

        return structure
    if kind == "list":
        item_check = _compile(shape.member, seen)
        size = _size_check(shape, "length", len)

        def sequence(value: Any, path: str) -> None:
            if size is not None:
                size(value, path)
            if item_check is not None:
                for i, item in enumerate(value, 1):
                    if item is not None:
                        item_check(item, f"{path}.{i}")

        return sequence if (item_check or size) else None
    if kind == "map":
        key_check = _compile(shape.key, seen)
        value_check = _compile(shape.value, seen)
        size = _size_check(shape, "length", len)

        def mapping(value: Any, path: str) -> None:
            if size is not None:
                size(value, path)
            for key, item in value.items():
                if key_check is not None:
                    key_check(key, f"{path}.key")
                if value_check is not None and item is not None:
                    value_check(item, f"{path}.{key}")

        return mapping if (key_check or value_check or size) else None
    if kind == "string":
        return _all([c for c in (_size_check(shape, "length", len), _pattern_check(shape)) if c])
    if kind in ("integer", "long"):
        return _size_check(shape, "value", int)
    return None
