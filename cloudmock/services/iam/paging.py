"""Marker / MaxItems the way IAM pages: IsTruncated, and an opaque Marker to go on from.

Lists are kept in a fixed order (by a sort key per item); the marker names the key
of the next page's first item, so deleting items between pages never skips or
repeats the others.
"""

from __future__ import annotations

import base64
import binascii
import bisect
from collections.abc import Sequence
from typing import TypeVar

from cloudmock.services.iam.errors import ValidationError

T = TypeVar("T")

DEFAULT_MAX_ITEMS = 100


def _marker(key: str) -> str:
    return base64.urlsafe_b64encode(f"cloudmock:{key}".encode()).decode("ascii")


def _key(marker: str) -> str:
    try:
        text = base64.urlsafe_b64decode(marker.encode("ascii")).decode("utf-8")
    except (ValueError, UnicodeError, binascii.Error):
        text = ""
    if not text.startswith("cloudmock:"):
        raise ValidationError("Invalid Marker.")
    return text[len("cloudmock:") :]


def page(
    rows: Sequence[tuple[str, T]], marker: str | None, max_items: int | None
) -> tuple[list[T], str | None]:
    """One page of ``rows`` (``(sort key, item)``, in key order) and the next page's marker."""
    start = 0
    if marker is not None:
        start = bisect.bisect_left([key for key, _ in rows], _key(marker))
    size = DEFAULT_MAX_ITEMS if max_items is None else max_items
    chunk = rows[start : start + size]
    rest = rows[start + size : start + size + 1]
    return [item for _, item in chunk], (_marker(rest[0][0]) if rest else None)
