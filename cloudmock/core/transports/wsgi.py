"""The WSGI app behind server mode: AWS requests go to the dispatcher, and
``/_cloudmock/*`` holds the control endpoints (health, reset, state, clock)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any
from urllib.parse import quote, urlsplit

from cloudmock.core.dispatcher import Dispatcher
from cloudmock.core.errors import MalformedInput
from cloudmock.core.http import Request, Response
from cloudmock.core.transports.control import CONTROL_PREFIX, ControlEndpoints

StartResponse = Callable[[str, list[tuple[str, str]]], Any]


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
