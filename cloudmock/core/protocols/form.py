"""Form-encoded requests (query and ec2): ``Filter.1.Name=x`` into typed, validated params.

The flat pairs are first folded into a tree (``{"Filter": {"1": {"Name": "x"}}}``),
then a plan compiled from the input shape walks the tree.  The two protocols differ
only in how names and lists are spelled, which :class:`FormStyle` says.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any

from cloudmock.core.errors import InvalidParameterValue, MissingParameter, UnknownParameter
from cloudmock.core.protocols.base import NOT_XML
from cloudmock.core.protocols.plans import PlanCompiler
from cloudmock.core.protocols.values import (
    INT32,
    INT64,
    BadValue,
    OutOfRange,
    parse_float,
    parse_int,
)

if TYPE_CHECKING:
    from botocore.model import Shape

# Parameters every signed or legacy request may carry besides the operation's own.
PROTOCOL_KEYS = frozenset(
    {
        "Action",
        "Version",
        "AWSAccessKeyId",
        "Signature",
        "SignatureMethod",
        "SignatureVersion",
        "Timestamp",
        "Expires",
        "SecurityToken",
    }
)

_INDEX = re.compile(r"^[1-9][0-9]*$")
#: a list position longer than this is beyond any list AWS takes (and beyond what
#: ``int()`` reads past 4,300 digits): refused, whatever its length
_INDEX_DIGITS = 9


def _is_index(key: str) -> bool:
    """List positions are 1, 2, 3, ... in ASCII digits."""
    return _INDEX.match(key) is not None


def _index_of(key: str, path: str) -> int:
    """A list or map position as a number (``key`` is one, by :func:`_is_index`)."""
    if len(key) > _INDEX_DIGITS:
        raise InvalidParameterValue(f"The index in parameter {path}.{_shown(key)} is out of range.")
    return int(key)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


class FormStyle:
    """How the query protocol spells names, lists and maps; ec2 overrides a little."""

    #: maps may (query) or may not (legacy ec2 clients) nest their entries under ``entry``
    map_entry = "entry"
    #: ``Name=`` (an empty value) is an empty list, as botocore's query serializer sends one
    empty_list = True
    map_key, map_value = "key", "value"
    #: check lengths and ranges while parsing, in EC2's words (query leaves them to validate)
    bounded = False

    def member_name(self, name: str, member: Shape) -> str:
        if member.type_name == "list" and member.serialization.get("flattened"):
            # a flattened list is spelled with its member's name, when it has one
            return member.member.serialization.get("name") or member.serialization.get("name", name)
        return member.serialization.get("name", name)

    def list_item(self, shape: Shape) -> str | None:
        """The level between a list's name and its indexes (``member``), if any."""
        if shape.serialization.get("flattened"):
            return None
        return shape.member.serialization.get("name", "member")


# --------------------------------------------------------------------------- plans


class In:
    def parse(self, node: Any, path: str) -> Any:
        raise NotImplementedError


class StructIn(In):
    def __init__(self) -> None:
        self.members: dict[str, tuple[str, In]] = {}
        self.required: list[tuple[str, str]] = []

    def parse(self, node: Any, path: str) -> dict[str, Any]:
        if not isinstance(node, dict):
            raise InvalidParameterValue(
                f"The parameter {path} must name the members of a structure"
            )
        out: dict[str, Any] = {}
        members = self.members
        for key, child in node.items():
            entry = members.get(key)
            if entry is None:
                raise UnknownParameter(_join(path, _shown(key)))
            name, plan = entry
            out[name] = plan.parse(child, f"{path}.{key}" if path else key)  # _join, inline
        for name, wire in self.required:
            if name not in out:
                raise MissingParameter(_join(path, wire))
        return out


class ListIn(In):
    def __init__(self, member: In, item: str | None, empty_list: bool) -> None:
        self.member, self.item, self.empty_list = member, item, empty_list

    def parse(self, node: Any, path: str) -> list[Any]:
        if node == "" and self.empty_list:  # ``Name=``: the query protocol's empty list
            return []
        if self.item is not None and isinstance(node, dict):
            extra = [key for key in node if key != self.item]
            if extra:
                raise UnknownParameter(f"{path}.{extra[0]}")
            node, path = node[self.item], f"{path}.{self.item}"
        if not isinstance(node, dict):
            # ``Name=value`` where ``Name.1=value`` was meant: one element.
            return [self.member.parse(node, path)]
        for key in node:
            if not _is_index(key):
                raise UnknownParameter(f"{path}.{_shown(key)}")
        ordered = sorted(node, key=lambda k: _index_of(k, path))
        return [self.member.parse(node[k], f"{path}.{k}") for k in ordered]


class MapIn(In):
    def __init__(
        self, entry: str | None, key_wire: str, value_wire: str, key: In, value: In
    ) -> None:
        self.entry = entry
        self.key_wire, self.value_wire, self.key, self.value = key_wire, value_wire, key, value

    def parse(self, node: Any, path: str) -> dict[Any, Any]:
        if node == "":
            return {}
        if not isinstance(node, dict):
            raise InvalidParameterValue(f"The parameter {path} must be a map")
        if self.entry is not None and list(node) == [self.entry]:
            node, path = node[self.entry], f"{path}.{self.entry}"
            if not isinstance(node, dict):
                raise InvalidParameterValue(f"The parameter {path} must be a map")
        out = {}
        for index in sorted(node, key=lambda k: _index_of(k, path) if _is_index(k) else 0):
            entry = node[index]
            if not _is_index(index) or not isinstance(entry, dict):
                raise UnknownParameter(f"{path}.{_shown(index)}")
            item_path = f"{path}.{index}"
            for wire in entry:
                if wire not in (self.key_wire, self.value_wire):
                    raise UnknownParameter(f"{item_path}.{wire}")
            if self.key_wire not in entry:
                raise MissingParameter(f"{item_path}.{self.key_wire}")
            key = self.key.parse(entry[self.key_wire], f"{item_path}.{self.key_wire}")
            out[key] = self.value.parse(
                entry.get(self.value_wire, ""), f"{item_path}.{self.value_wire}"
            )
        return out


class ScalarIn(In):
    def __init__(self, shape: Shape, bounded: bool) -> None:
        self.type = shape.type_name
        self.enum = frozenset(shape.enum) if getattr(shape, "enum", None) else None
        self.min = shape.metadata.get("min") if bounded else None
        self.max = shape.metadata.get("max") if bounded else None
        self.convert: Callable[[str, str], Any] = CONVERTERS.get(self.type, _as_string)

    def parse(self, node: Any, path: str) -> Any:
        if isinstance(node, dict):
            raise UnknownParameter(f"{path}.{next(iter(node))}")
        value = self.convert(node, path)
        if self.enum is not None and value not in self.enum:
            raise InvalidParameterValue(f"Invalid value '{_shown(str(value))}' for {path}.")
        if self.min is not None or self.max is not None:
            self._check_range(value, path)
        return value

    def _check_range(self, value: Any, path: str) -> None:
        if self.type in ("integer", "long", "double", "float"):
            size, what = value, "a value"
        elif self.type == "string":
            size, what = len(value), "a length"
        else:
            return
        low, high = self.min, self.max
        if (low is not None and size < low) or (high is not None and size > high):
            bounds = (
                f"between {low} and {high}"
                if low is not None and high is not None
                else f"of at least {low}"
                if low is not None
                else f"of at most {high}"
            )
            raise InvalidParameterValue(
                f"Value ( {_shown(str(value))} ) for parameter {path} is invalid. "
                f"Expecting {what} {bounds}."
            )


class FormCompiler(PlanCompiler[In]):
    def __init__(self, style: FormStyle) -> None:
        super().__init__()
        self.style = style

    def structure(self, shape: Shape) -> In:
        return StructIn()

    def fill(self, plan: In, shape: Shape) -> None:
        assert isinstance(plan, StructIn)
        name_of = self.style.member_name
        for name, member in shape.members.items():
            child = self.plan(member)
            plan.members[name_of(name, member)] = (name, child)
            if member.type_name == "list" and member.serialization.get("flattened"):
                # botocore spells an empty flattened list by the member's own name
                plan.members.setdefault(member.serialization.get("name", name), (name, child))
        plan.required = [
            (name, name_of(name, shape.members[name])) for name in shape.required_members
        ]

    def list(self, shape: Shape, member: In) -> In:
        return ListIn(member, self.style.list_item(shape), self.style.empty_list)

    def map(self, shape: Shape, key: In, value: In) -> In:
        style = self.style
        entry = None if shape.serialization.get("flattened") else style.map_entry
        return MapIn(
            entry,
            shape.key.serialization.get("name", style.map_key),
            shape.value.serialization.get("name", style.map_value),
            key,
            value,
        )

    def scalar(self, shape: Shape) -> In:
        return ScalarIn(shape, self.style.bounded)


#: dot-separated parts a parameter name may have: far more than any input member of a
#: Query or EC2 model nests (the deepest, EC2's RequestSpotFleet, has 10). A name past
#: it names no member whatever the model; split into a tree, each part cost a dict
#: (~200 bytes): one 16 MiB name of ".1" parts held 2 GB for seconds.
MAX_NAME_PARTS = 32


def tree(pairs: dict[str, str]) -> dict[str, Any]:
    """``{"Filter.1.Name": "x"}`` -> ``{"Filter": {"1": {"Name": "x"}}}``."""
    root: dict[str, Any] = {}
    for key, value in pairs.items():
        if key in PROTOCOL_KEYS or key.startswith("X-Amz-"):
            continue
        if "." not in key:  # a top-level member (most are): no path to walk
            node, leaf = root, key
        else:
            *parents, leaf = parts = key.split(".", MAX_NAME_PARTS)
            if len(parts) > MAX_NAME_PARTS:
                raise UnknownParameter(_shown(key))
            node = root
            for part in parents:
                child = node.get(part)
                if child is None:
                    child = node[part] = {}
                elif not isinstance(child, dict):
                    raise InvalidParameterValue(
                        f"The parameter {_shown(key)} conflicts with {_shown(part)}"
                    )
                node = child
        if isinstance(node.get(leaf), dict):
            raise InvalidParameterValue(
                f"The parameter {_shown(key)} conflicts with {_shown(key)}.*"
            )
        node[leaf] = value
    return root


# ------------------------------------------------------------------------ scalars


def _as_string(value: str, path: str) -> str:
    if NOT_XML.search(value):  # a value holding one could never be answered
        raise InvalidParameterValue(
            f"Invalid value for {path}: it contains a control character that is not allowed."
        )
    return value


def _shown(value: str) -> str:
    """A value for an error message: input of any size, echoed at a readable length."""
    return value if len(value) <= 64 else f"{value[:30]}...{value[-30:]}"


def _as_int(value: str, path: str) -> int:
    try:
        return parse_int(value)
    except OutOfRange:
        raise _out_of_range(value, path) from None
    except BadValue:
        raise InvalidParameterValue(
            f"Invalid value '{_shown(value)}' for {path}. It must be an integer."
        ) from None


def _out_of_range(value: object, path: str) -> InvalidParameterValue:
    return InvalidParameterValue(
        f"Value ( {_shown(str(value).strip())} ) for parameter {path} is out of range."
    )


def _as_int32(value: str, path: str) -> int:
    number = _as_int(value, path)
    if not INT32[0] <= number <= INT32[1]:
        raise _out_of_range(number, path)
    return number


def _as_int64(value: str, path: str) -> int:
    number = _as_int(value, path)
    if not INT64[0] <= number <= INT64[1]:
        raise _out_of_range(number, path)
    return number


def _as_float(value: str, path: str) -> float:
    try:
        return parse_float(value)
    except OutOfRange:
        raise _out_of_range(value, path) from None
    except BadValue:
        raise InvalidParameterValue(
            f"Invalid value '{_shown(value)}' for {path}. It must be a number."
        ) from None


def _as_bool(value: str, path: str) -> bool:
    lowered = value.strip().lower()
    if lowered == "true":
        return True
    if lowered == "false":
        return False
    raise InvalidParameterValue(f"Invalid value '{value}' for {path}. It must be true or false.")


def _as_timestamp(value: str, path: str) -> datetime:
    try:
        stamp = datetime.fromtimestamp(float(value), tz=timezone.utc)
    except (OverflowError, OSError):
        raise InvalidParameterValue(f"Invalid value '{value}' for {path}: out of range.") from None
    except ValueError:
        try:
            stamp = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            try:  # a member whose timestampFormat is rfc822
                stamp = parsedate_to_datetime(value)
            except (TypeError, ValueError, IndexError):
                raise InvalidParameterValue(
                    f"Invalid value '{value}' for {path}. It must be an ISO 8601 timestamp."
                ) from None
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=timezone.utc)


def _as_blob(value: str, path: str) -> bytes:
    try:
        return base64.b64decode(value, validate=True)
    except ValueError:
        raise InvalidParameterValue(f"Invalid value for {path}: not valid base64.") from None


CONVERTERS: dict[str, Callable[[str, str], Any]] = {
    "string": _as_string,
    "integer": _as_int32,
    "long": _as_int64,
    "float": _as_float,
    "double": _as_float,
    "boolean": _as_bool,
    "timestamp": _as_timestamp,
    "blob": _as_blob,
}
