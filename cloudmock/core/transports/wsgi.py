"""The WSGI app behind server mode: AWS requests go to the dispatcher, and
``/_cloudmock/*`` holds the control endpoints (health, reset, state, clock)."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from http import HTTPStatus
from typing import Any
from urllib.parse import quote, urlsplit

from cloudmock import __version__
from cloudmock.core.dispatcher import Dispatcher
from cloudmock.core.errors import MalformedInput
from cloudmock.core.http import Request, Response

CONTROL_PREFIX = "/_cloudmock/"

StartResponse = Callable[[str, list[tuple[str, str]]], Any]


def _json(status: int, payload: Any) -> Response:
    body = json.dumps(payload, indent=2, default=str).encode("utf-8")
    return Response(status, body, {"Content-Type": "application/json"})


class ControlEndpoints:
    def __init__(self, dispatcher: Dispatcher) -> None:
        self.dispatcher = dispatcher

    def handle(self, request: Request) -> Response:
        name = request.path[len(CONTROL_PREFIX) :].strip("/")
        routes = {
            ("GET", "health"): self.health,
            ("POST", "reset"): self.reset,
            ("GET", "state"): self.state,
            ("GET", "clock"): self.clock,
            ("POST", "clock"): self.move_clock,
        }
        route = routes.get((request.method, name))
        if route is None:
            allowed = sorted(method for method, path in routes if path == name)
            if allowed:
                response = _json(405, {"error": f"{request.path} takes {' or '.join(allowed)}"})
                response.headers["Allow"] = ", ".join(allowed)
                return response
            return _json(404, {"error": f"no control endpoint {request.method} {request.path}"})
        try:
            return route(request)
        except (ValueError, TypeError, KeyError) as error:
            return _json(400, {"error": str(error)})

    def health(self, request: Request) -> Response:
        registry = self.dispatcher.registry
        services = {
            row.name: ("available" if row.loaded else f"failed: {row.error}")
            for row in registry.status()
            if self.dispatcher.enabled(row.name)
        }
        return _json(200, {"status": "running", "version": __version__, "services": services})

    def reset(self, request: Request) -> Response:
        self.dispatcher.state.reset()
        return _json(200, {"reset": True})

    def state(self, request: Request) -> Response:
        return _json(200, self.dispatcher.state.dump())

    def clock(self, request: Request) -> Response:
        return _json(200, {"now": self.dispatcher.state.clock.now().isoformat()})

    def move_clock(self, request: Request) -> Response:
        """``{"advance": s}``, ``{"freeze": true | ISO time}``, ``{"unfreeze": true}``.

        Everything is checked before anything moves: a 400 leaves the clock as it was.
        """
        body = json.loads(request.body or b"{}")
        if not isinstance(body, dict):
            raise ValueError("the body must be a JSON object")
        unknown = set(body) - {"advance", "freeze", "unfreeze"}
        if unknown:
            raise ValueError(f"unknown clock field(s): {', '.join(sorted(unknown))}")
        advance = body.get("advance")
        if advance is not None and (
            isinstance(advance, bool) or not isinstance(advance, (int, float))
        ):
            raise ValueError(f"advance must be a number of seconds, not {advance!r}")
        unfreeze = body.get("unfreeze", False)
        if not isinstance(unfreeze, bool):
            raise ValueError(f"unfreeze must be true or false, not {unfreeze!r}")
        freeze = body.get("freeze")
        if isinstance(freeze, str):
            freeze = datetime.fromisoformat(freeze.replace("Z", "+00:00"))
            if freeze.tzinfo is None:
                freeze = freeze.replace(tzinfo=timezone.utc)
        elif freeze not in (None, True, False):
            raise ValueError(f"freeze must be true or an ISO 8601 time, not {freeze!r}")

        # Rehearse on a copy, so a value the clock refuses changes nothing.
        clock = self.dispatcher.state.clock
        for target in (copy.copy(clock), clock):
            if freeze is True:
                target.freeze()
            elif isinstance(freeze, datetime):
                target.freeze(freeze)
            if unfreeze:
                target.unfreeze()
            if advance is not None:
                target.advance(float(advance))
        return self.clock(request)


class WsgiApp:
    def __init__(self, dispatcher: Dispatcher) -> None:
        self.dispatcher = dispatcher
        self.control = ControlEndpoints(dispatcher)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        try:
            request = _request_from(environ)
        except Exception:  # a body that cannot be read as sent (bad chunking, cut short)
            bodyless = _request_from(environ, read_body=False)
            return self._reply(start_response, self.dispatcher.refuse(bodyless, MalformedInput()))
        if request.path.startswith(CONTROL_PREFIX):
            response = self.control.handle(request)
        else:
            response = self.dispatcher.handle(request)
        return self._reply(start_response, response, head=request.method == "HEAD")

    @staticmethod
    def _reply(
        start_response: StartResponse, response: Response, head: bool = False
    ) -> Iterable[bytes]:
        headers = dict(response.headers)
        if not (head and "Content-Length" in headers):  # HEAD tells the length of what GET sends
            headers["Content-Length"] = str(len(response.body))
        status = HTTPStatus(response.status)
        start_response(f"{status.value} {status.phrase}", list(headers.items()))
        return [response.body]


def _request_from(environ: dict[str, Any], read_body: bool = True) -> Request:
    length = environ.get("CONTENT_LENGTH") or ""
    stream = environ["wsgi.input"]
    if not read_body:
        body = b""
    elif length.isdigit():
        body = stream.read(int(length)) if int(length) > 0 else b""
    elif environ.get("wsgi.input_terminated"):
        body = stream.read()  # chunked upload: the server already knows where it ends
    else:
        body = b""
    host = environ.get("HTTP_HOST") or f"{environ['SERVER_NAME']}:{environ['SERVER_PORT']}"
    url = f"{environ.get('wsgi.url_scheme', 'http')}://{host}{_target(environ)}"
    headers = {
        key[5:].replace("_", "-").lower(): value
        for key, value in environ.items()
        if key.startswith("HTTP_")
    }
    if environ.get("CONTENT_TYPE"):
        headers["content-type"] = environ["CONTENT_TYPE"]
    return Request(environ.get("REQUEST_METHOD", "GET").upper(), url, headers, body)


def _target(environ: dict[str, Any]) -> str:
    """The path and query as the client sent them, still percent-encoded.

    PATH_INFO is already decoded, so ``%2F`` in a URI label (an ARN in
    ``/tags/{ResourceArn}``) would read as a path separator; the server's raw
    request target keeps it, and codecs decode labels themselves.
    """
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if raw:
        if "://" in raw[:8]:  # absolute form, as sent to a proxy
            parts = urlsplit(raw)
            return parts.path + (f"?{parts.query}" if parts.query else "")
        return str(raw)
    query = environ.get("QUERY_STRING", "")
    return quote(environ.get("PATH_INFO", "/"), safe="/") + (f"?{query}" if query else "")
