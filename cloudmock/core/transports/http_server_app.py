"""The ASGI app behind server mode: AWS requests go to the dispatcher, and
``/_cloudmock/*`` to the control endpoints. The HTTP layer (limits, parse errors)
is the protocol's, in ``http_server.py``; here every request is whole."""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable, Mapping
from concurrent.futures import Executor
from typing import Any
from urllib.parse import urlsplit

from cloudmock.core.dispatcher import Dispatcher
from cloudmock.core.errors import InternalError, ServiceError
from cloudmock.core.http import Request, Response
from cloudmock.core.plugin import loaded_model_count
from cloudmock.core.transports.collector import Collector
from cloudmock.core.transports.control import CONTROL_PREFIX, ControlEndpoints

log = logging.getLogger("cloudmock.server")

Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]
Headers = list[tuple[bytes, bytes]]

_HEALTH = CONTROL_PREFIX + "health"


class AsgiApp:
    """``pool``: where requests run. ``None`` runs them on the event loop (one at a
    time); a pool keeps the loop free, so ``/_cloudmock/health`` answers while a long
    request runs.

    ``own_process``: this server is the process (``cloudmock server``), so it runs the
    process's garbage collection its own way (``collector.py``)."""

    def __init__(
        self, dispatcher: Dispatcher, pool: Executor | None = None, *, own_process: bool = False
    ) -> None:
        self.dispatcher = dispatcher
        self.control = ControlEndpoints(dispatcher)
        self.pool = pool
        self.collector = Collector() if own_process else None
        self._models_seen = 0

    async def __call__(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        chunks = []
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        request = request_from(scope, b"".join(chunks))
        if self.pool is None or request.path == _HEALTH:
            response = self.answer(request)
        else:
            loop = asyncio.get_running_loop()
            response = await loop.run_in_executor(self.pool, self.answer, request)
        status, headers, body = self.reply(request, response)
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    def reply(self, request: Request, response: Response) -> tuple[int, Headers, bytes]:
        """The status, the headers as they go on the wire (with the length) and the body."""
        if self.collector is not None:
            if loaded_model_count() != self._models_seen:
                # a service model (plans, catalogues) loaded: objects that live for good
                self._models_seen = loaded_model_count()
                self.collector.settle()
            else:
                self.collector.answered()
        headers = [
            (k.lower().encode("latin-1", "replace"), v.encode("latin-1", "replace"))
            for k, v in response.headers.items()
            if k.lower() != "content-length"
        ]
        given = response.headers.get("Content-Length")
        if request.method == "HEAD" and given is not None:  # the length of what GET would get
            headers.append((b"content-length", given.encode("latin-1", "replace")))
        else:
            headers.append((b"content-length", str(len(response.body)).encode()))
        return response.status, headers, response.body

    def answer(self, request: Request) -> Response:
        try:
            if request.path.startswith(CONTROL_PREFIX):
                return self.control.handle(request)
            return self.dispatcher.handle(request)
        except Exception:  # a bug of ours: an AWS-shaped 500, the traceback in the log
            log.exception("cloudmock: unhandled error while answering %s", request.url)
            error: ServiceError = InternalError("cloudmock hit an internal error; see its log.")
            return self.dispatcher.refuse(request, error)


def request_from(scope: Mapping[str, Any], body: bytes) -> Request:
    headers: dict[str, str] = {}
    for raw_name, raw_value in scope["headers"]:
        name = raw_name.decode("latin-1")
        value = raw_value.decode("latin-1")
        # repeated headers fold into one, comma-separated (RFC 9110 5.3)
        headers[name] = f"{headers[name]},{value}" if name in headers else value
    # The raw target keeps percent-encoding: ``%2F`` in a URI label (an ARN in
    # ``/tags/{ResourceArn}``) must not read as a path separator.
    target = scope.get("raw_path") or scope["path"].encode("latin-1")
    if scope.get("query_string"):
        target += b"?" + scope["query_string"]
    host = headers.get("host", "")
    if not _usable_host(host):
        server = scope.get("server") or ("localhost", None)
        host = server[0] if server[1] is None else f"{server[0]}:{server[1]}"
    url = f"http://{host}{target.decode('latin-1')}"
    return Request(scope["method"].upper(), url, headers, body)


@functools.lru_cache(maxsize=256)  # a client sends the same Host on every request
def _usable_host(host: str) -> bool:
    """Whether ``host`` makes a URL that parses (a client may send anything)."""
    if not host or any(c in host for c in "/?#@ \\") or not host.isprintable():
        return False
    try:
        urlsplit(f"http://{host}/").port  # noqa: B018 - raises on a bad port or IPv6 form
    except ValueError:
        return False
    return True
