"""The neutral request and response every transport converts to and from."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import parse_qsl, urlsplit


def _text(value: object) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else str(value)


@dataclass
class Request:
    method: str
    url: str
    #: header names are lower-cased by the constructor helpers below
    headers: dict[str, str]
    body: bytes = b""

    @classmethod
    def build(cls, method: str, url: str, headers: object, body: object) -> Request:
        """Normalise whatever a transport has (header mappings, str/bytes/stream bodies)."""
        items = headers.items() if hasattr(headers, "items") else headers
        lowered = {
            _text(k).lower(): _text(v)
            for k, v in items  # type: ignore[union-attr]
        }
        if body is None:
            raw = b""
        elif isinstance(body, bytes):
            raw = body
        elif isinstance(body, str):
            raw = body.encode("utf-8")
        elif hasattr(body, "read"):
            raw = body.read()
            if hasattr(body, "seek"):
                body.seek(0)
            if isinstance(raw, str):
                raw = raw.encode("utf-8")
        else:
            raw = bytes(body)  # type: ignore[call-overload]
        return cls(method.upper(), url, lowered, raw)

    @cached_property
    def split_url(self):
        return urlsplit(self.url)

    @property
    def host(self) -> str:
        return self.headers.get("host") or self.split_url.netloc

    @property
    def path(self) -> str:
        return self.split_url.path or "/"

    @cached_property
    def query_params(self) -> list[tuple[str, str]]:
        return parse_qsl(self.split_url.query, keep_blank_values=True)

    @cached_property
    def form(self) -> dict[str, str]:
        """Query-string and form-encoded body parameters, body winning."""
        params = dict(self.query_params)
        ctype = self.headers.get("content-type", "")
        if self.body and (not ctype or "x-www-form-urlencoded" in ctype):
            params.update(
                parse_qsl(self.body.decode("utf-8", errors="replace"), keep_blank_values=True)
            )
        return params


@dataclass
class Response:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def new_request_id() -> str:
    return str(uuid.uuid4())
