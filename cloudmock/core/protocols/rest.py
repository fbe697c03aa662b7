"""What rest-json and rest-xml share: routing by method and URI template, and the
members bound to the URI, the query string, headers, the status code and the host.

The body itself (JSON or XML) is the subclass's: :meth:`RestCodec.read_body`,
:meth:`RestCodec.write_body` and the error document.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from cloudmock.core.errors import ServiceError
from cloudmock.core.http import Response
from cloudmock.core.protocols.base import Constrained, error_fields, error_shape
from cloudmock.core.protocols.faults import Faults
from cloudmock.core.protocols.values import (
    BadValue,
    json_value_text,
    parse_json_value,
    scalar_to_text,
    text_to_scalar,
)

if TYPE_CHECKING:
    from botocore.model import OperationModel, ServiceModel, Shape

    from cloudmock.core.http import Request

_LABEL = re.compile(r"\{([^}]+)\}")
_RFC822_DATE = re.compile(r"[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT")


# --------------------------------------------------------------------------- routing


@dataclass
class Route:
    operation: str
    method: str
    pattern: re.Pattern[str]
    #: group name -> label name (without the greedy ``+``)
    labels: dict[str, str]
    #: literal query parameters of the template (``?acl``, ``?list-type=2``); None: any value
    query: dict[str, str | None]
    rank: tuple[int, ...]
    #: headers a request for this operation must carry (lower-cased)
    headers: tuple[str, ...] = ()

    def match(
        self, method: str, path: str, query: dict[str, str], headers: dict[str, str] | None = None
    ) -> dict[str, str] | None:
        if method != self.method:
            return None
        found = self.pattern.fullmatch(path)
        if found is None:
            return None
        for key, value in self.query.items():
            if key not in query or (value is not None and query[key] != value):
                return None
        if headers is not None:
            for header in self.headers:
                if header not in headers:
                    return None
        return {self.labels[group]: text for group, text in found.groupdict().items()}


def compile_route(
    operation: str,
    method: str,
    request_uri: str,
    required_query: tuple[str, ...] = (),
    required_headers: tuple[str, ...] = (),
    deprecated: bool = False,
) -> Route:
    path, _, literal_query = request_uri.partition("?")
    labels: dict[str, str] = {}
    pieces, literal_chars, greedy, position = [], 0, 0, 0
    for found in _LABEL.finditer(path):
        literal = path[position : found.start()]
        pieces.append(re.escape(literal))
        literal_chars += len(literal)
        name = found.group(1)
        group = f"g{len(labels)}"
        if name.endswith("+"):
            labels[group] = name[:-1]
            pieces.append(f"(?P<{group}>.+)")
            greedy += 1
        else:
            labels[group] = name
            pieces.append(f"(?P<{group}>[^/]+)")
        position = found.end()
    tail = path[position:]
    pieces.append(re.escape(tail))
    literal_chars += len(tail)
    query: dict[str, str | None] = {}
    for part in filter(None, literal_query.split("&")):
        key, eq, value = part.partition("=")
        query[key] = value if eq else None
    for key in required_query:  # a required query member tells operations apart too
        query.setdefault(key, None)
    # Most specific first: more fixed query keys and required headers, more fixed path,
    # fewer greedy labels; a deprecated operation yields to its successor.
    rank = (len(query), len(required_headers), literal_chars, -greedy, -len(labels), -deprecated)
    pattern = re.compile("".join(pieces))
    return Route(operation, method, pattern, labels, query, rank, tuple(required_headers))


class Router:
    def __init__(self, model: ServiceModel) -> None:
        routes = []
        for name in model.operation_names:
            operation = model.operation_model(name)
            http = operation.http
            shape = operation.input_shape
            required: dict[str, list[str]] = {"querystring": [], "header": []}
            if shape is not None:
                for member in shape.required_members:
                    serialization = shape.members[member].serialization
                    where = required.get(serialization.get("location", ""))
                    if where is not None:
                        where.append(serialization.get("name", member))
            routes.append(
                compile_route(
                    name,
                    http.get("method", "POST"),
                    http.get("requestUri", "/"),
                    tuple(required["querystring"]),
                    tuple(h.lower() for h in required["header"]),
                    bool(operation.deprecated),
                )
            )
        routes.sort(key=lambda route: route.rank, reverse=True)
        self.routes = routes
        self.by_name = {route.operation: route for route in routes}

    def find(self, request: Request) -> tuple[Route, dict[str, str]] | None:
        query = dict(request.query_params)
        path = request.split_url.path or "/"
        for route in self.routes:
            labels = route.match(request.method, path, query, request.headers)
            if labels is not None:
                return route, labels
        return None


# ------------------------------------------------------------------ HTTP bindings


@dataclass
class Binding:
    """Where each member of an input or output shape travels, compiled once."""

    uri: dict[str, tuple[str, Shape]] = field(default_factory=dict)
    query: list[tuple[str, str, Shape]] = field(default_factory=list)
    query_map: tuple[str, Shape] | None = None
    headers: list[tuple[str, str, Shape]] = field(default_factory=list)
    #: the same, with the model's casing, for responses
    out_headers: list[tuple[str, str, Shape]] = field(default_factory=list)
    header_maps: list[tuple[str, str]] = field(default_factory=list)
    status: str | None = None
    host_labels: list[str] = field(default_factory=list)
    payload: str | None = None
    payload_shape: Shape | None = None
    #: any member left for the body (no location, no payload trait)
    has_body: bool = False
    required: list[tuple[str, str]] = field(default_factory=list)


def bind(shape: Shape | None) -> Binding:
    binding = Binding()
    if shape is None:
        return binding
    payload = shape.serialization.get("payload")
    if payload is not None:
        binding.payload, binding.payload_shape = payload, shape.members[payload]
    for name, member in shape.members.items():
        serialization = member.serialization
        location = serialization.get("location")
        wire = serialization.get("name", name)
        if serialization.get("hostLabel"):
            binding.host_labels.append(name)
        if location == "uri":
            binding.uri[wire] = (name, member)
        elif location == "querystring":
            if member.type_name == "map":
                binding.query_map = (name, member)
            else:
                binding.query.append((wire, name, member))
        elif location == "header":
            binding.headers.append((wire.lower(), name, member))
            binding.out_headers.append((wire, name, member))
        elif location == "headers":
            binding.header_maps.append((wire.lower() if "name" in serialization else "", name))
        elif location == "statusCode":
            binding.status = name
        elif name != payload:
            binding.has_body = True
        if location in ("uri", "querystring", "header") and name in shape.required_members:
            binding.required.append((name, f"{location} {wire}"))
    return binding


def split_header_list(text: str) -> list[str]:
    """``a, "b,c", "d\\"e"`` -> ``["a", "b,c", 'd"e']`` (RFC 7230 lists, quoted strings)."""
    items, current, quoted, escaped, was_quoted = [], [], False, False, False
    for char in text:
        if escaped:
            current.append(char)
            escaped = False
        elif quoted:
            if char == "\\":
                escaped = True
            elif char == '"':
                quoted = False
            else:
                current.append(char)
        elif char == '"':
            quoted = was_quoted = True
        elif char == ",":
            items.append("".join(current) if was_quoted else "".join(current).strip())
            current, was_quoted = [], False
        else:
            current.append(char)
    items.append("".join(current) if was_quoted else "".join(current).strip())
    return items


def _quote_header_item(text: str) -> str:
    if '"' in text or "," in text:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text


class RestCodec(Constrained):
    """Routing and HTTP bindings; subclasses own the body."""

    protocol = "rest"
    faults = Faults()
    content_type = "application/json"

    def __init__(self, service_model: ServiceModel) -> None:
        self.model = service_model
        self._router: Router | None = None
        self._inputs: dict[str, Binding] = {}
        self._outputs: dict[str, Binding] = {}
        self._host_patterns: dict[str, re.Pattern[str] | None] = {}

    @property
    def router(self) -> Router:
        if self._router is None:
            self._router = Router(self.model)  # once, on the first request
        return self._router

    def _binding(self, cache: dict[str, Binding], key: str, shape: Shape | None) -> Binding:
        binding = cache.get(key)
        if binding is None:
            binding = cache[key] = bind(shape)
        return binding

    # -- the Codec protocol

    def operation_name(self, request: Request) -> str | None:
        found = self.router.find(request)
        return found[0].operation if found else None

    def no_such_operation(self, name: str | None) -> ServiceError:
        return ServiceError(
            f"No operation of {self.model.service_name} matches this method and path.",
            code="UnknownOperationException",
            status=404,
        )

    def parse(self, request: Request, operation: OperationModel) -> dict[str, Any]:
        shape = operation.input_shape
        if shape is None:
            return {}
        binding = self._binding(self._inputs, operation.name, shape)
        params: dict[str, Any] = {}
        route = self.router.by_name[operation.name]
        query = dict(request.query_params)
        labels = route.match(request.method, request.split_url.path or "/", query) or {}
        for wire, text in labels.items():
            entry = binding.uri.get(wire)
            if entry is not None:
                name, member = entry
                params[name] = self._scalar(member, unquote(text), f"uri {wire}", "iso8601")
        if binding.query or binding.query_map:
            self._read_query(request, binding, route, params)
        if binding.headers or binding.header_maps:
            self._read_headers(request, binding, params)
        self._read_payload(request, operation, binding, params)
        if binding.host_labels:
            self._read_host(request, operation, binding, params)
        for name, where in binding.required:
            if name not in params:
                raise self.faults.missing(where)
        return params

    def serialize(
        self, result: Mapping[str, Any] | None, operation: OperationModel, request_id: str
    ) -> Response:
        shape = operation.output_shape
        status = int(operation.http.get("responseCode", 200))
        response = Response(status, b"", self.response_headers(request_id))
        if shape is not None:
            binding = self._binding(self._outputs, operation.name, shape)
            self.write_members(response, shape, binding, result or {})
        return response

    def serialize_error(self, error: ServiceError, request_id: str) -> Response:
        shape = error_shape(self.model, error)
        fields = error_fields(error, shape)
        response = Response(error.status, b"", self.response_headers(request_id))
        if shape is not None and fields:
            self.write_http_members(
                response, self._binding(self._outputs, shape.name, shape), fields
            )
        self.write_error_body(response, error, shape, fields, request_id)
        return response

    # -- what the body codecs supply

    def read_body(self, body: bytes, shape: Shape, path: str) -> Any:
        raise NotImplementedError

    def write_body(self, value: Any, shape: Shape, root: bool) -> bytes:
        raise NotImplementedError

    def write_error_body(
        self,
        response: Response,
        error: ServiceError,
        shape: Shape | None,
        fields: dict[str, Any],
        request_id: str,
    ) -> None:
        raise NotImplementedError

    def response_headers(self, request_id: str) -> dict[str, str]:
        return {"x-amzn-RequestId": request_id}

    # -- requests

    def _scalar(self, member: Shape, text: str, where: str, default_format: str) -> Any:
        kind = member.type_name
        fmt = member.serialization.get("timestampFormat", default_format).lower()
        try:
            value = text_to_scalar(kind, text, fmt)
        except BadValue:
            raise self.faults.not_a(kind, where, text) from None
        enum = getattr(member, "enum", None)
        if enum and value not in enum:
            raise self.faults.not_in_enum(value, where, enum)
        return value

    def _read_query(
        self, request: Request, binding: Binding, route: Route, params: dict[str, Any]
    ) -> None:
        values: dict[str, list[str]] = {}
        for key, value in request.query_params:
            values.setdefault(key, []).append(value)
        bound = set(route.query)
        for wire, name, member in binding.query:
            found = values.get(wire)
            if found is None:
                continue
            bound.add(wire)
            where = f"querystring {wire}"
            if member.type_name == "list":
                params[name] = [self._scalar(member.member, v, where, "iso8601") for v in found]
            else:
                params[name] = self._scalar(member, found[0], where, "iso8601")
        if binding.query_map is not None:
            name, member = binding.query_map
            rest = {k: v for k, v in values.items() if k not in bound}
            if rest:
                many = member.value.type_name == "list"
                params[name] = {k: v if many else v[0] for k, v in rest.items()}

    def _read_headers(self, request: Request, binding: Binding, params: dict[str, Any]) -> None:
        headers = request.headers
        for header, name, member in binding.headers:
            text = headers.get(header)
            if text is None:
                continue
            where = f"header {header}"
            if member.type_name == "list":
                inner = member.member
                fmt = inner.serialization.get("timestampFormat", "rfc822").lower()
                if inner.type_name == "timestamp" and fmt == "rfc822":
                    items = _RFC822_DATE.findall(text)
                else:
                    items = split_header_list(text)
                params[name] = [self._scalar(inner, item, where, "rfc822") for item in items]
            elif member.serialization.get("jsonvalue"):
                try:
                    params[name] = parse_json_value(text)
                except BadValue:
                    raise self.faults.not_a("base64-encoded JSON value", where) from None
            else:
                params[name] = self._scalar(member, text, where, "rfc822")
        for prefix, name in binding.header_maps:
            found = {h[len(prefix) :]: v for h, v in headers.items() if h.startswith(prefix)}
            if found:
                params[name] = found

    def _read_payload(
        self, request: Request, operation: OperationModel, binding: Binding, params: dict[str, Any]
    ) -> None:
        body = request.body
        if binding.payload is not None:
            member = binding.payload_shape
            assert member is not None
            if member.serialization.get("eventstream"):
                return  # an event stream is framed on its own, not a body a codec reads
            if member.type_name == "blob":
                if body:  # an empty body is no payload
                    params[binding.payload] = body
            elif member.type_name == "string":
                if body:
                    params[binding.payload] = self._text_payload(body)
            elif body.strip():
                params[binding.payload] = self.read_body(body, member, binding.payload)
        elif binding.has_body:
            shape = operation.input_shape
            assert shape is not None
            params.update(self.read_body(body, shape, ""))

    def _text_payload(self, body: bytes) -> str:
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            raise self.faults.not_a("UTF-8 text", "body") from None

    def _read_host(
        self, request: Request, operation: OperationModel, binding: Binding, params: dict[str, Any]
    ) -> None:
        """``hostPrefix`` labels (``{AccountId}.``), for any the request carried nowhere else."""
        missing = [name for name in binding.host_labels if name not in params]
        if not missing:
            return
        pattern = self._host_patterns.get(operation.name)
        if operation.name not in self._host_patterns:
            template = (operation.endpoint or {}).get("hostPrefix", "")
            pieces, position = [], 0
            for found in _LABEL.finditer(template):
                pieces.append(re.escape(template[position : found.start()]))
                pieces.append(f"(?P<{found.group(1)}>[A-Za-z0-9-]+)")
                position = found.end()
            pieces.append(re.escape(template[position:]))
            pattern = re.compile("".join(pieces)) if template else None
            self._host_patterns[operation.name] = pattern
        if pattern is None:
            return
        matched = pattern.match(request.host)
        if matched:
            for name in missing:
                if matched.groupdict().get(name):
                    params[name] = matched.group(name)

    # -- responses

    def write_http_members(
        self, response: Response, binding: Binding, value: Mapping[str, Any]
    ) -> None:
        headers = response.headers
        for header, name, member in binding.out_headers:
            item = value.get(name)
            if item is None:
                continue
            if member.type_name == "list":
                if not item:
                    continue
                inner = member.member
                fmt = inner.serialization.get("timestampFormat", "rfc822")
                texts = [scalar_to_text(inner.type_name, v, fmt) for v in item]
                if inner.type_name == "string":
                    texts = [_quote_header_item(t) for t in texts]
                headers[header] = ",".join(texts)
            elif member.serialization.get("jsonvalue"):
                headers[header] = json_value_text(item)
            else:
                fmt = member.serialization.get("timestampFormat", "rfc822")
                headers[header] = scalar_to_text(member.type_name, item, fmt)
        for prefix, name in binding.header_maps:
            for key, item in (value.get(name) or {}).items():
                headers[prefix + key] = str(item)
        if binding.status is not None and value.get(binding.status) is not None:
            response.status = int(value[binding.status])

    def write_members(
        self, response: Response, shape: Shape, binding: Binding, value: Mapping[str, Any]
    ) -> None:
        self.write_http_members(response, binding, value)
        if binding.payload is not None:
            member = binding.payload_shape
            assert member is not None
            item = value.get(binding.payload)
            if item is None:
                return
            if member.type_name == "blob":
                response.body = item if isinstance(item, bytes) else bytes(item)
            elif member.type_name == "string":
                response.body = item.encode("utf-8")
            else:
                response.body = self.write_body(item, member, True)
                self._content_type(response)
            return
        if binding.has_body:
            response.body = self.write_body(value, shape, True)
            self._content_type(response)

    def _content_type(self, response: Response) -> None:
        if not any(name.lower() == "content-type" for name in response.headers):
            response.headers["Content-Type"] = self.content_type
