"""The neutral request and response every transport converts to and from."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Generic, TypeVar
from urllib.parse import unquote_plus, urlsplit


def _text(value: object) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else str(value)


_T = TypeVar("_T")


class _computed_once(Generic[_T]):
    """``functools.cached_property`` without its lock (Python 3.11 takes one on every
    first read): a request is read by the one thread answering it."""

    def __init__(self, func: Callable[[Any], _T]) -> None:
        self.func, self.name = func, func.__name__

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        if instance is None:
            return self
        # a non-data descriptor: once stored, the instance's own attribute answers
        value = instance.__dict__[self.name] = self.func(instance)
        return value


if TYPE_CHECKING:  # type checkers know cached_property's shape
    _computed_once = cached_property  # type: ignore[misc,assignment]


@dataclass
class Request:
    method: str
    url: str
    #: header names are lower-cased by the constructor helpers below
    headers: dict[str, str]
    body: bytes = b""
    #: a parameter name the query string and form body carry more than once (set by
    #: :attr:`form`): the query protocols refuse such a request rather than guess
    repeated: str | None = field(default=None, init=False, repr=False, compare=False)

    @classmethod
    def build(cls, method: str, url: str, headers: object, body: object) -> Request:
        """Normalise whatever a transport has (header mappings, str/bytes/stream bodies)."""
        items = headers.items() if hasattr(headers, "items") else headers
        # most names and values already are str: no call for those (every request pays this)
        lowered = {
            (k if type(k) is str else _text(k)).lower(): v if type(v) is str else _text(v)
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

    @_computed_once
    def split_url(self):
        return urlsplit(self.url)

    @property
    def host(self) -> str:
        return self.headers.get("host") or self.split_url.netloc

    @property
    def path(self) -> str:
        return self.split_url.path or "/"

    @_computed_once
    def query_params(self) -> list[tuple[str, str]]:
        return parse_pairs(self.split_url.query)

    @_computed_once
    def form(self) -> dict[str, str]:
        """Query-string and form-encoded body parameters (the body's last, when a name
        is in both; :attr:`repeated` then names it)."""
        pairs = self.query_params if "?" in self.url else []
        ctype = self.headers.get("content-type", "")
        if self.body and (not ctype or "x-www-form-urlencoded" in ctype):
            body = parse_pairs(self.body.decode("utf-8", errors="replace"))
            pairs = pairs + body if pairs else body
        params = dict(pairs)
        if len(params) != len(pairs):  # one comparison on the hot path; the search is rare
            self.repeated = _first_repeated(pairs)
        return params


def parse_pairs(text: str) -> list[tuple[str, str]]:
    """``application/x-www-form-urlencoded`` pairs, blank values kept: what
    ``urllib.parse.parse_qsl(text, keep_blank_values=True)`` gives, in a quarter of its
    time (every query-protocol request parses one)."""
    escaped = "%" in text or "+" in text  # two scans of the text, not two of every pair
    pairs = []
    for part in text.split("&"):
        if not part:
            continue
        name, _, value = part.partition("=")
        if escaped and ("%" in part or "+" in part):
            name, value = unquote_plus(name), unquote_plus(value)
        pairs.append((name, value))
    return pairs


def _first_repeated(pairs: list[tuple[str, str]]) -> str:
    seen: set[str] = set()
    for name, _ in pairs:
        if name in seen:
            return name
        seen.add(name)
    raise AssertionError("no name is repeated")  # pragma: no cover - the caller checked


@dataclass
class Response:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def new_request_id() -> str:
    """A random UUID in AWS's request-id form (built directly: every request makes one)."""
    digits = os.urandom(16).hex()
    return f"{digits[:8]}-{digits[8:12]}-4{digits[13:16]}-{_VARIANT[digits[16]]}{digits[17:20]}-{digits[20:]}"


# the version-4 UUID variant bits: the 17th digit is one of 8, 9, a, b
_VARIANT = {d: "89ab"[int(d, 16) % 4] for d in "0123456789abcdef"}
