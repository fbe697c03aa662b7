"""MaxResults / NextToken as Parameter Store pages: an opaque token bound to its query.

A token carries the key of the last item shown (a name, or a version number),
so a page starts right after it even if parameters were added or deleted in
between, and a digest of the query, so a token is refused by any other query
(``InvalidNextToken``).
"""

from __future__ import annotations

import base64
import bisect
import hashlib
import json
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from cloudmock.services.ssm.models.errors import invalid_next_token

T = TypeVar("T")
K = TypeVar("K", str, int)


def query_digest(*parts: Any) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:16]


def make_token(query: str, last: str | int) -> str:
    raw = json.dumps({"q": query, "k": last}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def read_token(token: str, query: str) -> Any:
    """The key a page starts after, or InvalidNextToken."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        document = json.loads(raw)
    except (ValueError, RecursionError):  # RecursionError: nested past the parser's depth
        raise invalid_next_token() from None
    if not isinstance(document, dict) or document.get("q") != query or "k" not in document:
        raise invalid_next_token()
    return document["k"]


def page(
    items: Sequence[T],
    key: Callable[[T], K],
    size: int,
    token: str | None,
    query: str,
) -> tuple[list[T], str | None]:
    """One page of ``items`` (ordered by ``key``) of at most ``size``, and the next token."""
    start = 0
    if token:
        after = read_token(token, query)
        keys = [key(item) for item in items]
        if keys and type(after) is not type(keys[0]):
            raise invalid_next_token()
        start = bisect.bisect_right(keys, after)
    shown = list(items[start : start + size])
    more = start + size < len(items)
    return shown, (make_token(query, key(shown[-1])) if more and shown else None)
