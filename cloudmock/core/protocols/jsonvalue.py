"""Decoded JSON or CBOR trees <-> typed params, for json, rest-json and rpc-v2-cbor.

The body is decoded first (``json.loads`` or the CBOR decoder); a plan compiled
from the shape then checks and converts the tree.  JSON and CBOR differ only in
how timestamps, blobs and special floats travel, which a :class:`Dialect` says.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import TYPE_CHECKING, Any

from cloudmock.core.protocols import base
from cloudmock.core.protocols.faults import Faults
from cloudmock.core.protocols.plans import PlanCompiler
from cloudmock.core.protocols.values import (
    INT_RANGES,
    BadValue,
    b64,
    format_timestamp,
    from_epoch,
    parse_base64,
    parse_timestamp,
)

if TYPE_CHECKING:
    from botocore.model import Shape

_SPECIAL = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}


class Dialect:
    """JSON: timestamps are epoch seconds (or the member's format), blobs base64."""

    #: rpc-v2-cbor responses are keyed by member name, whatever the ``locationName``
    keys_by_member = False
    #: JSON sends NaN and the infinities as strings: a number that reads as one was
    #: out of a double's range (``1e400``); CBOR carries them as floats of their own
    finite_numbers = True

    def timestamp_in(self, node: Any, fmt: str) -> datetime:
        if isinstance(node, (int, float)) and not isinstance(node, bool):
            return from_epoch(node)
        if isinstance(node, str):
            return parse_timestamp(node)
        raise BadValue("a timestamp")

    def timestamp_out(self, value: datetime, fmt: str) -> Any:
        return format_timestamp(value, fmt)

    def blob_in(self, node: Any) -> bytes:
        if not isinstance(node, str):
            raise BadValue("base64 text")
        return parse_base64(node)

    def blob_out(self, value: Any) -> Any:
        return b64(value if isinstance(value, bytes) else str(value).encode("utf-8"))

    def float_out(self, value: float) -> Any:
        value = float(value)
        if math.isfinite(value):
            return value
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")


class CborDialect(Dialect):
    """CBOR: timestamps are tag 1 (the decoder makes datetimes), blobs are byte strings."""

    keys_by_member = True
    finite_numbers = False

    def timestamp_in(self, node: Any, fmt: str) -> datetime:
        if isinstance(node, datetime):
            return node
        return super().timestamp_in(node, fmt)

    def timestamp_out(self, value: datetime, fmt: str) -> Any:
        return value

    def blob_in(self, node: Any) -> bytes:
        if isinstance(node, (bytes, bytearray)):
            return bytes(node)
        raise BadValue("byte string")

    def blob_out(self, value: Any) -> Any:
        return value if isinstance(value, bytes) else str(value).encode("utf-8")

    def float_out(self, value: float) -> Any:
        return float(value)


JSON = Dialect()
CBOR = CborDialect()


def _join(path: str, key: str) -> str:
    """Paths as AWS's validation messages spell them: ``target.roleArn``, ``tags.1.member.key``
    (the same as :mod:`cloudmock.core.constraints`)."""
    step = key[:1].lower() + key[1:]
    return f"{path}.{step}" if path else step


# ------------------------------------------------------------------------ parsing


class In:
    def parse(self, node: Any, path: str) -> Any:
        raise NotImplementedError


class StructIn(In):
    def __init__(self, faults: Faults) -> None:
        self.faults = faults
        self.members: dict[str, tuple[str, In]] = {}
        self.required: list[tuple[str, str]] = []

    def parse(self, node: Any, path: str) -> dict[str, Any]:
        if not isinstance(node, dict):
            raise self.faults.not_a("structure", path or "body")
        out: dict[str, Any] = {}
        members = self.members
        for key, child in node.items():
            entry = members.get(key)
            # AWS's JSON services ignore members they do not know (clients may be newer)
            if entry is None or child is None:
                continue
            name, plan = entry
            out[name] = plan.parse(child, _join(path, key))
        for name, wire in self.required:
            if name not in out:
                raise self.faults.missing(_join(path, wire))
        return out


class DocumentIn(In):
    def parse(self, node: Any, path: str) -> Any:
        return node


class ListIn(In):
    def __init__(self, member: In, faults: Faults) -> None:
        self.member, self.faults = member, faults

    def parse(self, node: Any, path: str) -> list[Any]:
        if not isinstance(node, list):
            raise self.faults.not_a("list", path)
        member = self.member
        return [
            None if item is None else member.parse(item, f"{path}.{i}.member")
            for i, item in enumerate(node, 1)
        ]


class MapIn(In):
    def __init__(self, key: In, value: In, faults: Faults) -> None:
        self.key, self.value, self.faults = key, value, faults

    def parse(self, node: Any, path: str) -> dict[Any, Any]:
        if not isinstance(node, dict):
            raise self.faults.not_a("map", path)
        value = self.value
        return {
            self.key.parse(k, f"{path}.key"): (None if v is None else value.parse(v, f"{path}.{k}"))
            for k, v in node.items()
        }


class ScalarIn(In):
    def __init__(self, shape: Shape, dialect: Dialect, faults: Faults) -> None:
        self.type = shape.type_name
        self.dialect, self.faults = dialect, faults
        self.enum = list(shape.enum) if getattr(shape, "enum", None) else None
        self.fmt = shape.serialization.get("timestampFormat", "unixTimestamp").lower()

    def parse(self, node: Any, path: str) -> Any:
        kind = self.type
        try:
            value = self._convert(kind, node)
        except BadValue:
            raise self.faults.not_a(kind, path, node) from None
        if self.enum is not None and value not in self.enum:
            raise self.faults.not_in_enum(value, path, self.enum)
        return value

    def _convert(self, kind: str, node: Any) -> Any:
        if kind in ("string", "character"):
            if not isinstance(node, str):
                raise BadValue(kind)
            return node
        if kind == "boolean":
            if not isinstance(node, bool):
                raise BadValue(kind)
            return node
        if kind in INT_RANGES:
            if isinstance(node, bool) or not isinstance(node, int):
                raise BadValue(kind)
            low, high = INT_RANGES[kind]
            if not low <= node <= high:
                raise BadValue(kind)
            return node
        if kind in ("float", "double"):
            if isinstance(node, str) and node in _SPECIAL:
                return _SPECIAL[node]
            if isinstance(node, bool) or not isinstance(node, (int, float)):
                raise BadValue(kind)
            try:
                number = float(node)
            except OverflowError:  # an integer beyond a double
                raise BadValue(kind) from None
            if not math.isfinite(number) and self.dialect.finite_numbers:
                raise BadValue(kind)
            return number
        if kind == "timestamp":
            return self.dialect.timestamp_in(node, self.fmt)
        if kind == "blob":
            return self.dialect.blob_in(node)
        return node


class JsonInCompiler(PlanCompiler[In]):
    def __init__(self, dialect: Dialect, faults: Faults) -> None:
        super().__init__()
        self.dialect, self.faults = dialect, faults

    def structure(self, shape: Shape) -> In:
        if shape.is_document_type:
            return DocumentIn()
        return StructIn(self.faults)

    def fill(self, plan: In, shape: Shape) -> None:
        if not isinstance(plan, StructIn):
            return
        for name, member in shape.members.items():
            if member.serialization.get("location"):
                continue  # bound to the URI, query string or headers: the HTTP layer's
            plan.members[member.serialization.get("name", name)] = (name, self.plan(member))
        plan.required = [
            (name, shape.members[name].serialization.get("name", name))
            for name in shape.required_members
            if not shape.members[name].serialization.get("location")
        ]

    def list(self, shape: Shape, member: In) -> In:
        return ListIn(member, self.faults)

    def map(self, shape: Shape, key: In, value: In) -> In:
        return MapIn(key, value, self.faults)

    def scalar(self, shape: Shape) -> In:
        return ScalarIn(shape, self.dialect, self.faults)


# -------------------------------------------------------------------- serializing


class Out:
    def write(self, value: Any) -> Any:
        raise NotImplementedError


class StructOut(Out):
    def __init__(self, shape_name: str) -> None:
        self.shape_name = shape_name
        self.members: list[tuple[str, str, Out]] = []
        self.names: frozenset[str] = frozenset()

    def write(self, value: Any) -> dict[str, Any]:
        if base.STRICT:
            extra = set(value) - self.names
            if extra:
                raise TypeError(f"{self.shape_name} has no member(s) {sorted(extra)}")
        out = {}
        for name, wire, plan in self.members:
            item = value.get(name)
            if item is not None:
                out[wire] = plan.write(item)
        return out


class AsIs(Out):
    def write(self, value: Any) -> Any:
        return value


class ListOut(Out):
    def __init__(self, member: Out) -> None:
        self.member = member

    def write(self, value: Any) -> list[Any]:
        write = self.member.write
        return [None if item is None else write(item) for item in value]


class MapOut(Out):
    def __init__(self, value: Out) -> None:
        self.value = value

    def write(self, value: Any) -> dict[Any, Any]:
        write = self.value.write
        return {k: None if v is None else write(v) for k, v in value.items()}


class TimestampOut(Out):
    def __init__(self, dialect: Dialect, fmt: str) -> None:
        self.dialect, self.fmt = dialect, fmt

    def write(self, value: Any) -> Any:
        return self.dialect.timestamp_out(value, self.fmt)


class BlobOut(Out):
    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect

    def write(self, value: Any) -> Any:
        return self.dialect.blob_out(value)


class FloatOut(Out):
    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect

    def write(self, value: Any) -> Any:
        return self.dialect.float_out(value)


AS_IS = AsIs()


class JsonOutCompiler(PlanCompiler[Out]):
    def __init__(self, dialect: Dialect) -> None:
        super().__init__()
        self.dialect = dialect

    def structure(self, shape: Shape) -> Out:
        if shape.is_document_type:
            return AS_IS
        return StructOut(shape.name)

    def fill(self, plan: Out, shape: Shape) -> None:
        if not isinstance(plan, StructOut):
            return
        by_member = self.dialect.keys_by_member
        plan.members = [
            (name, name if by_member else member.serialization.get("name", name), self.plan(member))
            for name, member in shape.members.items()
            if not member.serialization.get("location")
        ]
        plan.names = frozenset(shape.members)

    def list(self, shape: Shape, member: Out) -> Out:
        return ListOut(member)

    def map(self, shape: Shape, key: Out, value: Out) -> Out:
        return MapOut(value)

    def scalar(self, shape: Shape) -> Out:
        kind = shape.type_name
        if kind == "timestamp":
            fmt = shape.serialization.get("timestampFormat", "unixTimestamp")
            return TimestampOut(self.dialect, fmt)
        if kind == "blob":
            return BlobOut(self.dialect)
        if kind in ("float", "double"):
            return FloatOut(self.dialect)
        return AS_IS
