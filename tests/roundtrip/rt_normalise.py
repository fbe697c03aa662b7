"""What botocore's own serializer or parser cannot carry, named one rule at a time.

Each rule turns the value we generated into the value that can come back through a
lossless codec; the round trip then demands exact equality.  Every rule says why.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from botocore.model import OperationModel, Shape

#: the default timestamp format of each protocol's bodies
BODY_FORMAT = {
    "query": "iso8601",
    "ec2": "iso8601",
    "rest-xml": "iso8601",
    "json": "unixtimestamp",
    "rest-json": "unixtimestamp",
    "smithy-rpc-v2-cbor": "unixtimestamp",
}

#: every rule, by name; the sweep prints how often each one applied
RULES = {
    "seconds": "rfc822 timestamps are whole seconds by definition, and botocore's serializer "
    "cuts every timestamp it puts in a request header to whole seconds, whatever its format",
    "form-empty": "form encoding (ec2/query) cannot say 'empty map/structure', and botocore's "
    "ec2 serializer drops empty lists: they arrive absent",
    "http-empty": "an empty list or map bound to headers or the query string sends nothing",
    "xml-flat-empty": "an empty flattened XML list or map is no element at all",
    "header-map-always": "botocore always reports a header-map member, {} when no header matches",
    "status-always": "botocore always reports a statusCode member: the response's status",
    "text-payload": "botocore hands a non-streaming blob payload back as text",
    "cbor-document": "botocore's CBOR parser reads a document member as an empty structure",
    "payload-always": "botocore parses a structure payload even from an empty body: {}",
    "streaming-always": "botocore always hands back a streaming output body, b'' when empty",
    "event-stream": "event streams are a framing of their own (application/vnd.amazon."
    "eventstream), outside the codecs: botocore's EventStream object is not compared",
    "error-type-header": "an error member bound to the X-Amzn-Errortype header reads the "
    "error's type, which the error answer always carries there",
    "error-code-member": "an XML error member spelled Code reads the error's <Code>",
    "query-message": "query and ec2 services carry an error's message once, as <Message>, "
    "as AWS does; a modeled member spelled otherwise (IAM's 'message') is not written again",
    "all-headers-map": "a header-map member with no prefix reads every response header",
    "twin-route": "two operations share method and URI template and the request carries "
    "nothing the model can tell them apart by (a deprecated operation and its successor; "
    "S3's ListBuckets and ListDirectoryBuckets, which AWS tells apart by host): routing picks "
    "one, parsing with the requested one must still round-trip",
}


class Normaliser:
    def __init__(self, protocol: str, direction: str) -> None:
        self.protocol = protocol
        self.direction = direction
        self.used: set[str] = set()

    # -- timestamps

    def _stamp(self, value: datetime, fmt: str) -> datetime:
        fmt = fmt.lower()
        if fmt == "rfc822" and value.microsecond:
            self.used.add("seconds")
            return value.replace(microsecond=0)
        return value

    # -- the walk

    def top(self, value: dict[str, Any], shape: Shape | None, operation: OperationModel) -> dict:
        if shape is None:
            return {}
        out: dict[str, Any] = {}
        payload = shape.serialization.get("payload")
        rest = self.protocol in ("rest-json", "rest-xml")
        for name, member in shape.members.items():
            location = member.serialization.get("location")
            if self.direction == "output" and rest and location == "headers":
                if not member.serialization.get("name"):
                    self.used.add("all-headers-map")
                    out[name] = _ALL_HEADERS
                    continue
                if not value.get(name):
                    self.used.add("header-map-always")
                    out[name] = {}
                    continue
            if member.serialization.get("eventstream"):
                self.used.add("event-stream")
                continue
            if (
                self.direction == "output"
                and rest
                and name == payload
                and name not in value
                and member.type_name == "structure"
            ):
                self.used.add("payload-always")
                out[name] = {}
                continue
            if (
                self.direction == "output"
                and rest
                and name == payload
                and member.type_name in ("blob", "string")
                and operation.has_streaming_output
                and not value.get(name)
            ):
                self.used.add("streaming-always")
                out[name] = b""
                continue
            if self.direction == "output" and rest and location == "statusCode":
                self.used.add("status-always")
                out[name] = value.get(name, operation.http.get("responseCode", 200))
                continue
            if name not in value:
                continue
            item = value[name]
            if rest and name == payload and member.type_name in ("blob", "string"):
                if (
                    self.direction == "output"
                    and member.type_name == "blob"
                    and not operation.has_streaming_output
                ):
                    self.used.add("text-payload")
                    item = item.decode("utf-8")
                out[name] = item
                continue
            if rest and location in ("header", "headers", "querystring"):
                if isinstance(item, (list, dict)) and not item:
                    self.used.add("http-empty")
                    continue
                default = "rfc822" if location == "header" else "iso8601"
                fmt = member.serialization.get("timestampFormat", default)
                if member.type_name == "list" and member.member.type_name == "timestamp":
                    fmt = member.member.serialization.get("timestampFormat", default)
                if location == "header" and self.direction == "input":
                    fmt = "rfc822"  # botocore cuts header timestamps to seconds, any format
                kept = self.walk(item, member, fmt)
            elif rest and location == "uri":
                fmt = member.serialization.get("timestampFormat", "iso8601")
                kept = self.walk(item, member, fmt)
            else:
                kept = self.walk(item, member, None)
            if kept is not _DROP:
                out[name] = kept
        return out

    def walk(self, value: Any, shape: Shape, fmt: str | None) -> Any:
        kind = shape.type_name
        protocol = self.protocol
        if kind == "structure":
            if shape.is_document_type:
                if protocol == "smithy-rpc-v2-cbor" and self.direction == "output":
                    self.used.add("cbor-document")
                    return {}
                return value
            out = {}
            for name, item in value.items():
                kept = self.walk(item, shape.members[name], None)
                if kept is not _DROP:
                    out[name] = kept
            if not out and protocol in ("query", "ec2") and self.direction == "input":
                self.used.add("form-empty")
                return _DROP
            return out
        if kind == "list":
            if self.protocol in ("query", "ec2") and self.direction == "input":
                # an element that cannot be spelled leaves no hole: the rest close up
                kept = [
                    v for v in (self.walk(i, shape.member, fmt) for i in value) if v is not _DROP
                ]
                if not kept and (value or protocol == "ec2"):
                    self.used.add("form-empty")
                    return _DROP
                return kept
            if not value:
                if protocol == "ec2" and self.direction == "input":
                    self.used.add("form-empty")
                    return _DROP
                if (
                    protocol in ("query", "ec2", "rest-xml")
                    and shape.serialization.get("flattened")
                    and (self.direction == "output" or protocol == "rest-xml")
                ):
                    self.used.add("xml-flat-empty")
                    return _DROP
            return [self.walk(item, shape.member, fmt) for item in value]
        if kind == "map":
            if self.direction == "input" and shape.value.type_name == "list" and fmt is not None:
                # a query-string map of lists: an empty list sends no parameter at all
                value = {k: v for k, v in value.items() if v}
                if not value:
                    self.used.add("http-empty")
                    return _DROP
            if not value:
                if protocol in ("query", "ec2") and self.direction == "input":
                    self.used.add("form-empty")
                    return _DROP
                if protocol in ("query", "ec2", "rest-xml") and shape.serialization.get(
                    "flattened"
                ):
                    self.used.add("xml-flat-empty")
                    return _DROP
            return {k: self.walk(v, shape.value, None) for k, v in value.items()}
        if kind == "timestamp":
            if fmt is None:
                fmt = shape.serialization.get("timestampFormat", BODY_FORMAT[protocol])
            return self._stamp(value, fmt)
        return value


class _Drop:
    pass


_DROP = _Drop()


class _AllHeaders:
    """Stands for "whatever headers the response had" (rule all-headers-map)."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, dict)


_ALL_HEADERS = _AllHeaders()


def same(a: Any, b: Any) -> bool:
    """Equality where NaN equals NaN and an aware datetime equals its instant."""
    if a is _ALL_HEADERS:
        return isinstance(b, dict)
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=False))
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    return bool(a == b)


def first_difference(a: Any, b: Any, path: str = "") -> str:
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b), key=str):
            if key not in a:
                return f"{path}.{key}: unexpected {b[key]!r}"
            if key not in b:
                return f"{path}.{key}: missing (wanted {a[key]!r})"
            if not same(a[key], b[key]):
                return first_difference(a[key], b[key], f"{path}.{key}")
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b, strict=False)):
            if not same(x, y):
                return first_difference(x, y, f"{path}[{i}]")
    return f"{path}: wanted {a!r}, got {b!r}"
