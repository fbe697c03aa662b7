"""The EC2 wire protocol, driven entirely by botocore's model.

Requests are form-encoded: a member's wire name is its ``queryName``, else its
capitalised ``locationName``, else its own name; lists are ``Name.N`` (1-based),
structures ``Name.Member``.  Responses are XML named by ``locationName``, lists
as ``<item>``.  Everything the model says about an operation is compiled once
into a plan, so a request walks a small tree of plan objects, not the model.
"""

from __future__ import annotations

import base64
import os
import re
import threading
from collections.abc import Callable
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from cloudmock.core.errors import (
    InvalidParameterValue,
    MissingParameter,
    ServiceError,
    UnknownParameter,
)
from cloudmock.core.http import Request, Response
from cloudmock.core.protocols.base import NOT_XML, xml_message

if TYPE_CHECKING:
    from botocore.model import OperationModel, ServiceModel, Shape

#: With CLOUDMOCK_STRICT=1 a handler that returns a key its output shape lacks is a bug, not noise.
STRICT = os.environ.get("CLOUDMOCK_STRICT") == "1"

# Parameters every signed or legacy request may carry besides the operation's own.
_PROTOCOL_KEYS = frozenset(
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

_XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>\n'
_CONTENT_TYPE = {"Content-Type": "text/xml;charset=UTF-8", "Server": "AmazonEC2"}


_INDEX = re.compile(r"^[1-9][0-9]*$")


def _is_index(key: str) -> bool:
    """List positions are 1, 2, 3, ... in ASCII digits."""
    return _INDEX.match(key) is not None


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


# --------------------------------------------------------------------------- parsing


class _In:
    def parse(self, node: Any, path: str) -> Any:
        raise NotImplementedError


class _StructIn(_In):
    def __init__(self) -> None:
        self.members: dict[str, tuple[str, _In]] = {}
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
                raise UnknownParameter(_join(path, key))
            name, plan = entry
            out[name] = plan.parse(child, _join(path, key))
        for name, wire in self.required:
            if name not in out:
                raise MissingParameter(_join(path, wire))
        return out


class _ListIn(_In):
    def __init__(self, member: _In) -> None:
        self.member = member

    def parse(self, node: Any, path: str) -> list[Any]:
        if not isinstance(node, dict):
            # ``Name=value`` where ``Name.1=value`` was meant: one element.
            return [self.member.parse(node, path)]
        for key in node:
            if not _is_index(key):
                raise UnknownParameter(f"{path}.{key}")
        return [self.member.parse(node[k], f"{path}.{k}") for k in sorted(node, key=int)]


class _MapIn(_In):
    def __init__(self, key_wire: str, value_wire: str, key: _In, value: _In) -> None:
        self.key_wire, self.value_wire, self.key, self.value = key_wire, value_wire, key, value

    def parse(self, node: Any, path: str) -> dict[Any, Any]:
        if not isinstance(node, dict):
            raise InvalidParameterValue(f"The parameter {path} must be a map")
        out = {}
        for index in sorted(node, key=lambda k: int(k) if _is_index(k) else 0):
            entry = node[index]
            if not _is_index(index) or not isinstance(entry, dict):
                raise UnknownParameter(f"{path}.{index}")
            item_path = f"{path}.{index}"
            if self.key_wire not in entry:
                raise MissingParameter(f"{item_path}.{self.key_wire}")
            key = self.key.parse(entry[self.key_wire], f"{item_path}.{self.key_wire}")
            out[key] = self.value.parse(
                entry.get(self.value_wire, ""), f"{item_path}.{self.value_wire}"
            )
        return out


class _ScalarIn(_In):
    def __init__(self, shape: Shape) -> None:
        self.type = shape.type_name
        self.enum = frozenset(shape.enum) if getattr(shape, "enum", None) else None
        self.min = shape.metadata.get("min")
        self.max = shape.metadata.get("max")
        self.convert: Callable[[str, str], Any] = _CONVERTERS.get(self.type, _as_string)

    def parse(self, node: Any, path: str) -> Any:
        if isinstance(node, dict):
            raise UnknownParameter(f"{path}.{next(iter(node))}")
        value = self.convert(node, path)
        if self.enum is not None and value not in self.enum:
            raise InvalidParameterValue(f"Invalid value '{value}' for {path}.")
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
                f"Value ( {value} ) for parameter {path} is invalid. Expecting {what} {bounds}."
            )


def _as_string(value: str, path: str) -> str:
    if NOT_XML.search(value):  # a value holding one could never be answered
        raise InvalidParameterValue(
            f"Invalid value for {path}: it contains a control character that is not allowed."
        )
    return value


_INTEGER = re.compile(r"^\s*[+-]?[0-9]+\s*$")


def _as_int(value: str, path: str) -> int:
    if not _INTEGER.match(value):
        raise InvalidParameterValue(f"Invalid value '{value}' for {path}. It must be an integer.")
    return int(value)


def _as_int32(value: str, path: str) -> int:
    number = _as_int(value, path)
    if not -(2**31) <= number < 2**31:
        raise InvalidParameterValue(f"Value ( {number} ) for parameter {path} is out of range.")
    return number


def _as_int64(value: str, path: str) -> int:
    number = _as_int(value, path)
    if not -(2**63) <= number < 2**63:
        raise InvalidParameterValue(f"Value ( {number} ) for parameter {path} is out of range.")
    return number


def _as_float(value: str, path: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise InvalidParameterValue(
            f"Invalid value '{value}' for {path}. It must be a number."
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
            raise InvalidParameterValue(
                f"Invalid value '{value}' for {path}. It must be an ISO 8601 timestamp."
            ) from None
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=timezone.utc)


def _as_blob(value: str, path: str) -> bytes:
    try:
        return base64.b64decode(value, validate=True)
    except ValueError:
        raise InvalidParameterValue(f"Invalid value for {path}: not valid base64.") from None


_CONVERTERS: dict[str, Callable[[str, str], Any]] = {
    "string": _as_string,
    "integer": _as_int32,
    "long": _as_int64,
    "float": _as_float,
    "double": _as_float,
    "boolean": _as_bool,
    "timestamp": _as_timestamp,
    "blob": _as_blob,
}


def _wire_name(name: str, member: Shape) -> str:
    serialization = member.serialization
    if "queryName" in serialization:
        return serialization["queryName"]
    location = serialization.get("name")
    if location:
        return location[0].upper() + location[1:]
    return name


def _tree(pairs: dict[str, str]) -> dict[str, Any]:
    """``{"Filter.1.Name": "x"}`` -> ``{"Filter": {"1": {"Name": "x"}}}``."""
    root: dict[str, Any] = {}
    for key, value in pairs.items():
        if key in _PROTOCOL_KEYS or key.startswith("X-Amz-"):
            continue
        *parents, leaf = key.split(".")
        node = root
        for part in parents:
            child = node.get(part)
            if child is None:
                child = node[part] = {}
            elif not isinstance(child, dict):
                raise InvalidParameterValue(f"The parameter {key} conflicts with {part}")
            node = child
        if isinstance(node.get(leaf), dict):
            raise InvalidParameterValue(f"The parameter {key} conflicts with {key}.*")
        node[leaf] = value
    return root


# ----------------------------------------------------------------------- serializing


class _Out:
    def write(self, tag: str, value: Any, out: list[str]) -> None:
        raise NotImplementedError


class _StructOut(_Out):
    def __init__(self, shape_name: str) -> None:
        self.shape_name = shape_name
        self.members: list[tuple[str, str, _Out]] = []
        self.names: frozenset[str] = frozenset()

    def write_members(self, value: dict[str, Any], out: list[str]) -> None:
        if STRICT:
            extra = set(value) - self.names
            if extra:
                raise TypeError(f"{self.shape_name} has no member(s) {sorted(extra)}")
        for name, tag, plan in self.members:
            item = value.get(name)
            if item is not None:
                plan.write(tag, item, out)

    def write(self, tag: str, value: Any, out: list[str]) -> None:
        out.append(f"<{tag}>")
        self.write_members(value, out)
        out.append(f"</{tag}>")


class _ListOut(_Out):
    def __init__(self, item_tag: str, member: _Out, flattened: bool) -> None:
        self.item_tag, self.member, self.flattened = item_tag, member, flattened

    def write(self, tag: str, value: Any, out: list[str]) -> None:
        if self.flattened:
            for item in value:
                self.member.write(tag, item, out)
            return
        if not value:
            out.append(f"<{tag}/>")
            return
        out.append(f"<{tag}>")
        item_tag, member = self.item_tag, self.member
        for item in value:
            member.write(item_tag, item, out)
        out.append(f"</{tag}>")


class _MapOut(_Out):
    def __init__(self, key_tag: str, value_tag: str, key: _Out, value: _Out) -> None:
        self.key_tag, self.value_tag, self.key, self.value = key_tag, value_tag, key, value

    def write(self, tag: str, value: Any, out: list[str]) -> None:
        out.append(f"<{tag}>")
        for k, v in value.items():
            out.append("<entry>")
            self.key.write(self.key_tag, k, out)
            self.value.write(self.value_tag, v, out)
            out.append("</entry>")
        out.append(f"</{tag}>")


def format_timestamp(value: datetime) -> str:
    value = value.astimezone(timezone.utc)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


_CARRIAGE_RETURN = {"\r": "&#13;"}


def _text(value: Any) -> str:
    if isinstance(value, str):
        # most values need no escaping; checking is cheaper than escaping
        if "&" in value or "<" in value or ">" in value or "\r" in value:
            # a bare CR would be read back as LF by every XML parser
            return escape(value, _CARRIAGE_RETURN)
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return format_timestamp(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return escape(str(value))


class _ScalarOut(_Out):
    def write(self, tag: str, value: Any, out: list[str]) -> None:
        out.append(f"<{tag}>{_text(value)}</{tag}>")


_SCALAR_OUT = _ScalarOut()


# ------------------------------------------------------------------------- the codec


class Ec2Codec:
    def __init__(self, service_model: ServiceModel) -> None:
        self.model = service_model
        self.namespace = service_model.metadata.get("xmlNamespace", "").rstrip("/") + "/"
        self._lock = threading.Lock()
        self._in: dict[str, _In] = {}
        self._out: dict[str, _Out] = {}
        self._operation_plans: dict[str, tuple[_StructIn | None, _StructOut | None]] = {}

    # -- plans, built once per shape and shared by every operation that uses it

    def _plan_in(self, shape: Shape) -> _In:
        plan = self._in.get(shape.name)
        if plan is not None:
            return plan
        if shape.type_name == "structure":
            struct = _StructIn()
            self._in[shape.name] = struct  # registered first: shapes may be recursive
            for name, member in shape.members.items():
                wire = _wire_name(name, member)
                struct.members[wire] = (name, self._plan_in(member))
            struct.required = [
                (name, _wire_name(name, shape.members[name])) for name in shape.required_members
            ]
            return struct
        if shape.type_name == "list":
            plan = _ListIn(self._plan_in(shape.member))
        elif shape.type_name == "map":
            plan = _MapIn(
                shape.key.serialization.get("name", "Key"),
                shape.value.serialization.get("name", "Value"),
                self._plan_in(shape.key),
                self._plan_in(shape.value),
            )
        else:
            plan = _ScalarIn(shape)
        self._in[shape.name] = plan
        return plan

    def _plan_out(self, shape: Shape) -> _Out:
        plan = self._out.get(shape.name)
        if plan is not None:
            return plan
        if shape.type_name == "structure":
            struct = _StructOut(shape.name)
            self._out[shape.name] = struct
            struct.members = [
                (name, member.serialization.get("name", name), self._plan_out(member))
                for name, member in shape.members.items()
            ]
            struct.names = frozenset(shape.members)
            return struct
        if shape.type_name == "list":
            plan = _ListOut(
                shape.member.serialization.get("name", "item"),
                self._plan_out(shape.member),
                bool(shape.serialization.get("flattened")),
            )
        elif shape.type_name == "map":
            plan = _MapOut(
                shape.key.serialization.get("name", "key"),
                shape.value.serialization.get("name", "value"),
                self._plan_out(shape.key),
                self._plan_out(shape.value),
            )
        else:
            plan = _SCALAR_OUT
        self._out[shape.name] = plan
        return plan

    def _plans(self, operation: OperationModel) -> tuple[_StructIn | None, _StructOut | None]:
        """The operation's input and output plans, compiled on its first request."""
        plans = self._operation_plans.get(operation.name)
        if plans is None:
            with self._lock:
                in_shape, out_shape = operation.input_shape, operation.output_shape
                # operation inputs and outputs are always structures in botocore's models
                plan_in = self._plan_in(in_shape) if in_shape is not None else None
                plan_out = self._plan_out(out_shape) if out_shape is not None else None
                assert plan_in is None or isinstance(plan_in, _StructIn)
                assert plan_out is None or isinstance(plan_out, _StructOut)
                plans = (plan_in, plan_out)
                self._operation_plans[operation.name] = plans
        return plans

    # -- the Codec protocol

    def operation_name(self, request: Request) -> str | None:
        return request.form.get("Action")

    def parse(self, request: Request, operation: OperationModel) -> dict[str, Any]:
        tree = _tree(request.form)
        plan = self._plans(operation)[0]
        if plan is None:
            if tree:
                raise UnknownParameter(next(iter(tree)))
            return {}
        return plan.parse(tree, "")

    def serialize(
        self, result: dict[str, Any] | None, operation: OperationModel, request_id: str
    ) -> Response:
        root = f"{operation.name}Response"
        out = [
            _XML_DECL,
            f'<{root} xmlns="{self.namespace}">',
            f"<requestId>{request_id}</requestId>",
        ]
        plan = self._plans(operation)[1]
        if plan is None:
            out.append("<return>true</return>")
        elif result:
            plan.write_members(result, out)
        out.append(f"</{root}>")
        return Response(200, "".join(out).encode("utf-8"), dict(_CONTENT_TYPE))

    def serialize_error(self, error: ServiceError, request_id: str) -> Response:
        body = (
            f"{_XML_DECL}<Response><Errors><Error><Code>{xml_message(error.code)}</Code>"
            f"<Message>{xml_message(error.message)}</Message></Error></Errors>"
            f"<RequestID>{request_id}</RequestID></Response>"
        )
        return Response(error.status, body.encode("utf-8"), dict(_CONTENT_TYPE))
