"""Answers ``requests`` calls to AWS hosts at ``HTTPAdapter.send``; every other URL
passes through to whatever answered it before (the real adapter, or a user's own
``responses`` mock started earlier).

urllib3 catches these requests too (``requests`` talks through it), so this patch
is only installed when ``requests`` is already imported at start: answering here is
cheaper, and comes before a ``responses`` mock the user started, which would refuse
AWS URLs it was not told about.
"""

from __future__ import annotations

import io
import sys
import threading
from collections.abc import Callable
from http import HTTPStatus
from typing import Any
from urllib.parse import urlsplit

from cloudmock.core.http import Request, Response
from cloudmock.core.transports import is_aws_host
from cloudmock.core.transports.patching import AttributePatches

Handle = Callable[[Request], Response]


def _body(body: object) -> object:
    """A streamed body (a generator of chunks) read whole; anything else as it is."""
    if body is None or isinstance(body, (bytes, str)) or hasattr(body, "read"):
        return body
    chunks = [c.encode("utf-8") if isinstance(c, str) else bytes(c) for c in body]  # type: ignore[attr-defined]
    return b"".join(chunks)


class RequestsPatch:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._patches = AttributePatches()
        self.handle: Handle | None = None

    def start(self, handle: Handle) -> None:
        with self._lock:
            self.handle = handle
            adapters = sys.modules.get("requests.adapters")
            if self._patches or adapters is None:
                return
            from urllib3.response import HTTPResponse

            adapter_class = adapters.HTTPAdapter
            original = adapter_class.send
            patch = self

            def send(adapter: Any, request: Any, *args: Any, **kwargs: Any) -> Any:
                handler = patch.handle
                if handler is None or not is_aws_host(urlsplit(request.url).netloc):
                    return original(adapter, request, *args, **kwargs)
                neutral = Request.build(
                    request.method, request.url, request.headers, _body(request.body)
                )
                answer = handler(neutral)
                try:
                    reason = HTTPStatus(answer.status).phrase
                except ValueError:
                    reason = "Unknown"
                raw = HTTPResponse(
                    body=io.BytesIO(answer.body),
                    headers={**answer.headers, "Content-Length": str(len(answer.body))},
                    status=answer.status,
                    reason=reason,
                    preload_content=False,
                    decode_content=False,
                )
                return adapter.build_response(request, raw)

            self._patches.replace(adapter_class, "send", send)

    def stop(self) -> None:
        with self._lock:
            self._patches.restore()
            self.handle = None
