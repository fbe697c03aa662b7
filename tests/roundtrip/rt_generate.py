"""Valid values for botocore shapes, deterministic from a seed.

A value respects what the model says (required members, enums, min/max, one member
of a union) and where it travels: header values are printable ASCII, host labels
are what a host name can carry, ``statusCode`` members are a success status.
"""

from __future__ import annotations

import random
import string
from datetime import datetime, timedelta, timezone
from typing import Any

from botocore.model import Shape

TEXT = string.ascii_letters + string.digits + " -_.&<>'\"/é€"
HEADER_TEXT = string.ascii_letters + string.digits + "-_./=+"
LABEL_TEXT = string.ascii_lowercase + string.digits
_CONTAINERS = ("structure", "list", "map")
EPOCH = datetime(2020, 1, 1, tzinfo=timezone.utc)


class Generator:
    def __init__(self, seed: int, max_depth: int = 5) -> None:
        self.rng = random.Random(seed)
        self.max_depth = max_depth

    # -- entry point: an operation's input or output structure

    def top(self, shape: Shape | None) -> dict[str, Any]:
        if shape is None:
            return {}
        out: dict[str, Any] = {}
        required = set(shape.required_members)
        spoken = _spoken(shape, required)
        for name, member in shape.members.items():
            if name not in spoken:
                continue
            serialization = member.serialization
            if serialization.get("eventstream") or member.serialization.get("eventstream"):
                continue
            if name not in required and self.rng.random() < 0.35:
                continue
            where = serialization.get("location") or "body"
            if serialization.get("hostLabel"):
                where = "host"
            if where == "statusCode":
                out[name] = 200
                continue
            if name == shape.serialization.get("payload") and member.type_name in (
                "blob",
                "string",
            ):
                where = "payload"
            out[name] = self.value(member, 0, where, name in required)
        return out

    # -- any shape

    def value(self, shape: Shape, depth: int, where: str = "body", required: bool = False) -> Any:
        kind = shape.type_name
        self.required = required  # a required list, map or structure is never empty
        if depth > self.max_depth * 4 and kind in _CONTAINERS:
            return {} if kind != "list" else []  # a cycle with no way out: stop it here
        method = getattr(self, f"_{kind}", None)
        if method is None:
            raise TypeError(f"no generator for {kind}")
        return method(shape, depth, where)

    def _size(self, shape: Shape, default_high: int) -> int:
        low = max(int(shape.metadata.get("min", 0) or 0), 1 if self.required else 0)
        high = shape.metadata.get("max")
        high = default_high if high is None else int(min(high, max(low, default_high)))
        return self.rng.randint(low, max(low, high))

    def _structure(self, shape: Shape, depth: int, where: str) -> Any:
        if shape.is_document_type:
            return {"name": "doc", "n": self.rng.randint(0, 9), "list": [True, None, "x"]}
        members = {n: m for n, m in shape.members.items() if not m.serialization.get("eventstream")}
        if shape.is_tagged_union:
            if not members:
                return {}
            names = sorted(members)
            if depth >= self.max_depth:  # deep in a recursive shape: end it with a leaf
                names = sorted(names, key=lambda n: _weight(members[n], shape))[:1]
            name = self.rng.choice(names)
            return {name: self.value(members[name], depth + 1, where)}
        required = set(shape.required_members)
        wanted = self.required
        out: dict[str, Any] = {}
        members = {n: m for n, m in members.items() if n in _spoken(shape, required)}
        for name, member in members.items():
            if name not in required and (depth >= self.max_depth or self.rng.random() < 0.4):
                continue
            out[name] = self.value(member, depth + 1, where, name in required)
        if wanted and not out and members and depth < self.max_depth * 3:
            # end a recursive shape: a scalar member, else a structure of another shape
            names = sorted(members, key=lambda n: _weight(members[n], shape))
            name = names[0]
            out[name] = self.value(members[name], depth + 1, where, True)
        return out

    def _list(self, shape: Shape, depth: int, where: str) -> Any:
        count = self._size(shape, 0 if depth >= self.max_depth else 2)
        return [self.value(shape.member, depth + 1, where, True) for _ in range(count)]

    def _map(self, shape: Shape, depth: int, where: str) -> Any:
        count = self._size(shape, 0 if depth >= self.max_depth else 2)
        out = {}
        for _ in range(count * 3):
            if len(out) >= count:
                break
            key_where = "header-key" if where == "headers" else "map-key"
            out[self.value(shape.key, depth + 1, key_where)] = self.value(
                shape.value, depth + 1, where
            )
        return out

    def _string(self, shape: Shape, depth: int, where: str) -> Any:
        enum = getattr(shape, "enum", None)
        if enum:
            return self.rng.choice(list(enum))
        if shape.serialization.get("jsonvalue") and where == "header":
            return {"key": "value", "n": self.rng.randint(0, 9)}
        low = max(int(shape.metadata.get("min", 1) or 0), 1 if where in ("uri", "host") else 0)
        high = shape.metadata.get("max")
        high = min(int(high), 12) if high is not None else 12
        size = self.rng.randint(low, max(low, high))
        if where in ("host", "header-key"):
            alphabet = LABEL_TEXT
        elif where in ("header", "headers"):
            alphabet = HEADER_TEXT
        else:
            alphabet = TEXT
        text = "".join(self.rng.choice(alphabet) for _ in range(size))
        if where in ("header", "headers") and text:
            # a header value travels without surrounding blanks
            text = text.strip() or "x" * size
        return text

    def _integer(self, shape: Shape, depth: int, where: str) -> Any:
        low = shape.metadata.get("min", 0)
        high = shape.metadata.get("max", 1000)
        low, high = int(max(low, -(2**31))), int(min(high, 2**31 - 1))
        return self.rng.randint(low, max(low, min(high, low + 1000)))

    _long = _integer

    def _float(self, shape: Shape, depth: int, where: str) -> Any:
        low = float(shape.metadata.get("min", 0))
        high = float(shape.metadata.get("max", low + 100))
        # quarters are exact in a 32-bit float, which CBOR's "float" members travel as
        steps = int((high - low) * 4)
        return low + self.rng.randint(0, max(0, steps)) / 4

    _double = _float

    def _boolean(self, shape: Shape, depth: int, where: str) -> Any:
        return self.rng.random() < 0.5

    def _timestamp(self, shape: Shape, depth: int, where: str) -> Any:
        return EPOCH + timedelta(milliseconds=self.rng.randint(0, 300_000_000_000))

    def _blob(self, shape: Shape, depth: int, where: str) -> Any:
        size = self._size(shape, 8)
        if where == "payload":
            return "".join(self.rng.choice(string.ascii_letters) for _ in range(size)).encode()
        return bytes(self.rng.randint(0, 255) for _ in range(size))


def _spoken(shape: Shape, required: set[str]) -> set[str]:
    """The members a service may send together: of several that share one XML element
    name (S3's deprecated ``Event`` next to ``Events``), only one, the required if any."""
    groups: dict[str, list[str]] = {}
    for name, member in shape.members.items():
        wire = member.serialization.get("name", name)
        if member.type_name == "list" and member.serialization.get("flattened"):
            wire = member.member.serialization.get("name", wire)
        groups.setdefault(wire, []).append(name)
    spoken = set()
    for names in groups.values():
        chosen = [n for n in names if n in required] or names[:1]
        spoken.update(chosen)
    return spoken


def _weight(member: Shape, parent: Shape) -> int:
    if member.type_name not in _CONTAINERS:
        return 0
    if member.type_name == "structure" and member.name != parent.name:
        return 1
    return 2
