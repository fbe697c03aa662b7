"""MaxResults / NextToken the way EC2 pages: an opaque token, a bounded page size."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import TypeVar

from cloudmock.core.errors import InvalidParameterValue, ServiceError

T = TypeVar("T")


def _token(offset: int, operation: str) -> str:
    return base64.urlsafe_b64encode(f"{operation}:{offset}".encode()).decode().rstrip("=")


def _offset(token: str, operation: str) -> int:
    try:
        padded = token + "=" * (-len(token) % 4)
        name, _, offset = base64.urlsafe_b64decode(padded).decode().partition(":")
        if name == operation and offset.isdigit():
            return int(offset)
    except (ValueError, UnicodeDecodeError):
        pass
    raise ServiceError(
        "The specified pagination token is not valid or is expired.",
        code="InvalidPaginationToken",
    )


def paginate(
    items: Sequence[T],
    max_results: int | None,
    token: str | None,
    operation: str,
    *,
    low: int = 5,
    high: int = 1000,
) -> tuple[list[T], str | None]:
    """One page of ``items`` and the token for the next page (None on the last page)."""
    start = _offset(token, operation) if token else 0
    if max_results is None:
        return list(items[start:]), None
    if not low <= max_results <= high:
        raise InvalidParameterValue(
            f"Value ( {max_results} ) for parameter maxResults is invalid. "
            f"Expecting a value between {low} and {high}."
        )
    end = start + max_results
    page = list(items[start:end])
    return page, (_token(end, operation) if end < len(items) else None)
