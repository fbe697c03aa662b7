"""``NextToken``: opaque to the caller, the position after the last item of a page to us."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from cloudmock_scheduler.errors import ValidationException

#: the page size when the caller gives no MaxResults
DEFAULT_PAGE = 100


def next_token(kind: str, *after: str) -> str:
    raw = json.dumps([kind, *after], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def read_token(token: str, kind: str, parts: int) -> list[str]:
    """The position a token of ``kind`` names; ValidationException for anything else."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        decoded: Any = json.loads(raw)
    except (binascii.Error, ValueError):
        decoded = None
    if (
        not isinstance(decoded, list)
        or len(decoded) != parts + 1
        or decoded[0] != kind
        or not all(isinstance(part, str) for part in decoded)
    ):
        raise ValidationException("The NextToken you specify is not valid.")
    return decoded[1:]
