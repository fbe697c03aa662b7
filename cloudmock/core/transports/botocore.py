"""Intercepts botocore at its HTTP session, so every client is caught — also those
created before the mock started — and AWS hosts are answered by the dispatcher."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

from botocore.awsrequest import AWSPreparedRequest, AWSResponse, HeadersDict
from botocore.httpsession import URLLib3Session

from cloudmock.core.http import Request, Response
from cloudmock.core.transports import is_aws_host

Handle = Callable[[Request], Response]


class _RawBody:
    """The minimal stream AWSResponse reads a body from."""

    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: object) -> Iterator[bytes]:
        yield self._body

    def read(self, *_: object, **__: object) -> bytes:
        body, self._body = self._body, b""
        return body


def to_aws_response(url: str, response: Response) -> AWSResponse:
    headers = HeadersDict(response.headers)
    headers.setdefault("Content-Length", str(len(response.body)))
    return AWSResponse(url, response.status, headers, _RawBody(response.body))


class BotocorePatch:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._original: Callable[..., AWSResponse] | None = None
        self.handle: Handle | None = None

    def start(self, handle: Handle) -> None:
        with self._lock:
            self.handle = handle
            if self._original is not None:
                return
            original = URLLib3Session.send
            patch = self

            def send(session: URLLib3Session, request: AWSPreparedRequest) -> AWSResponse:
                handler = patch.handle
                if handler is None or not is_aws_host(urlsplit(request.url).netloc):
                    return original(session, request)
                neutral = Request.build(request.method, request.url, request.headers, request.body)
                return to_aws_response(request.url, handler(neutral))

            self._original = original
            URLLib3Session.send = send  # type: ignore[method-assign]

    def stop(self) -> None:
        with self._lock:
            if self._original is not None:
                URLLib3Session.send = self._original  # type: ignore[method-assign]
                self._original = None
            self.handle = None
