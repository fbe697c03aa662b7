"""Answers ``requests`` calls to AWS hosts through the `responses` library;
every other URL passes through untouched."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from cloudmock.core.http import Request, Response
from cloudmock.core.transports import AWS_URL

Handle = Callable[[Request], Response]

_METHODS = ("GET", "POST", "PUT", "DELETE", "HEAD", "PATCH", "OPTIONS")


class RequestsPatch:
    def __init__(self) -> None:
        self._mock: Any = None

    def start(self, handle: Handle) -> None:
        if self._mock is not None:
            return
        import responses  # imported here: only mocks that are started pay for it

        def callback(prepared: Any) -> tuple[int, dict[str, str], bytes]:
            request = Request.build(prepared.method, prepared.url, prepared.headers, prepared.body)
            response = handle(request)
            return response.status, response.headers, response.body

        from requests.adapters import HTTPAdapter

        # Pass other URLs to whatever answers them now (a user's own `responses` mock, or
        # the real adapter), not straight to the network.
        mock = responses.RequestsMock(
            assert_all_requests_are_fired=False,
            real_adapter_send=HTTPAdapter.send,  # type: ignore[arg-type]  # stubs disagree
        )
        for method in _METHODS:
            mock.add_callback(method, AWS_URL, callback=callback)
        mock.add_passthru(re.compile(r".*"))
        mock.start()
        self._mock = mock

    def stop(self) -> None:
        if self._mock is not None:
            self._mock.stop(allow_assert=False)
            self._mock.reset()
            self._mock = None
