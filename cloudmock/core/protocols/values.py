"""Scalars on the wire: typed values to text and numbers, and back, for every codec.

Conversions raise :class:`BadValue` with a short reason; each codec turns that into
its protocol's own error (``InvalidParameterValue``, ``SerializationException`` ...).
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
from datetime import datetime, timezone
from email.utils import format_datetime, parsedate_to_datetime
from functools import lru_cache
from typing import Any

UTC = timezone.utc


class BadValue(ValueError):
    """A wire value that cannot be read as its shape's type."""


# ------------------------------------------------------------------------ timestamps


# Resources made together share their times (a launch of 100 instances, their volumes
# and interfaces), so a describe writes few distinct ones many times over.
@lru_cache(maxsize=4096)
def iso8601(value: datetime) -> str:
    """AWS's responses carry milliseconds: ``2024-03-01T12:30:00.123Z``."""
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    # isoformat pads the year to four digits (strftime's %Y does not, below 1000) and is
    # C code throughout: ``YYYY-MM-DDTHH:MM:SS.mmm`` are its first 23 characters
    return value.isoformat(timespec="milliseconds")[:23] + "Z"


def epoch(value: datetime) -> float | int:
    """Seconds since the epoch, to the millisecond (an int when whole, as AWS writes it)."""
    millis = round(value.timestamp() * 1000)
    return millis // 1000 if millis % 1000 == 0 else millis / 1000


def rfc822(value: datetime) -> str:
    return format_datetime(value.astimezone(UTC).replace(microsecond=0), usegmt=True)


def format_timestamp(value: datetime, fmt: str) -> str | float | int:
    """``value`` in a model's ``timestampFormat`` (iso8601, unixTimestamp, rfc822)."""
    fmt = fmt.lower()
    if fmt == "unixtimestamp":
        return epoch(value)
    if fmt == "rfc822":
        return rfc822(value)
    return iso8601(value)


def timestamp_text(value: datetime, fmt: str) -> str:
    stamp = format_timestamp(value, fmt)
    return stamp if isinstance(stamp, str) else repr(stamp)


_NUMBER = re.compile(r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$")


def from_epoch(number: float) -> datetime:
    if isinstance(number, float) and not math.isfinite(number):
        raise BadValue("a timestamp must be a finite number of seconds")
    try:
        return datetime.fromtimestamp(number, tz=UTC)
    except (OverflowError, OSError, ValueError):
        raise BadValue("the timestamp is out of range") from None


def parse_timestamp(text: str) -> datetime:
    """Any of the three formats AWS accepts; always tz-aware UTC."""
    text = text.strip()
    if _NUMBER.match(text):
        return from_epoch(float(text))
    try:
        stamp = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        try:
            stamp = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            raise BadValue("not a timestamp (ISO 8601, RFC 822 or epoch seconds)") from None
    return stamp.replace(tzinfo=UTC) if stamp.tzinfo is None else stamp.astimezone(UTC)


# ---------------------------------------------------------------------- other scalars


_SPECIAL_FLOATS = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}


def float_text(value: float) -> str:
    """Floats as AWS writes them, with NaN and the infinities spelled out."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return repr(float(value))


def float_wire(value: float) -> float | str:
    """A float for a JSON body: the special values travel as strings."""
    return value if math.isfinite(value) else float_text(value)


def parse_float(text: str) -> float:
    """A decimal number, or NaN and the infinities spelled out; ``OutOfRange`` for a
    number beyond a double's range (``1e400``), which ``float()`` would make infinite."""
    special = _SPECIAL_FLOATS.get(text.strip())
    if special is not None:
        return special
    if not _NUMBER.match(text):
        raise BadValue("not a number")
    number = float(text)
    if math.isinf(number):
        raise OutOfRange("out of range")
    return number


_INTEGER = re.compile(r"^\s*[+-]?[0-9]+\s*$")
#: more significant digits than any 64-bit integer has: out of every member's range, and
#: beyond what ``int()`` reads without Python's 4,300-digit guard getting in the way
_MAX_DIGITS = 20


class OutOfRange(BadValue):
    """A well-formed number no member of its type can hold."""


def parse_int(text: str) -> int:
    """An integer in decimal digits, of any length: ``OutOfRange`` past 64 bits' worth."""
    if _INTEGER.match(text) is None:  # linear: no group can backtrack into another
        raise BadValue("not an integer")
    if len(text) <= _MAX_DIGITS:  # the usual case: int() reads it as it is
        return int(text)
    stripped = text.strip()
    sign = "-" if stripped[0] == "-" else ""
    digits = stripped.lstrip("+-").lstrip("0")  # leading zeros count for nothing
    if len(digits) > _MAX_DIGITS:
        raise OutOfRange("out of range")
    return int(sign + (digits or "0"))


def parse_bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered == "true":
        return True
    if lowered == "false":
        return False
    raise BadValue("not true or false")


def parse_base64(text: str | bytes) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise BadValue("not valid base64") from None


def b64(value: bytes) -> str:
    return base64.b64encode(value).decode("ascii")


def parse_json_value(text: str) -> Any:
    """A ``jsonvalue`` header: base64 of a JSON document."""
    try:
        return json.loads(parse_base64(text).decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as failure:
        raise BadValue(f"not base64-encoded JSON ({failure})") from None
    except RecursionError:
        raise BadValue("not base64-encoded JSON (nested too deeply)") from None


def json_value_text(value: Any) -> str:
    return b64(json.dumps(value, separators=(",", ":")).encode("utf-8"))


INT32 = (-(2**31), 2**31 - 1)
INT64 = (-(2**63), 2**63 - 1)
INT_RANGES = {"integer": INT32, "long": INT64, "short": (-(2**15), 2**15 - 1), "byte": (-128, 127)}


def text_to_scalar(kind: str, text: str, timestamp_format: str) -> Any:
    """A URI label, query-string or header value as its shape's type."""
    if kind in INT_RANGES:
        number = parse_int(text)
        low, high = INT_RANGES[kind]
        if not low <= number <= high:
            raise BadValue("out of range")
        return number
    if kind in ("float", "double"):
        return parse_float(text)
    if kind == "boolean":
        return parse_bool(text)
    if kind == "timestamp":
        if timestamp_format == "unixtimestamp" and not _NUMBER.match(text):
            raise BadValue("not epoch seconds")
        return parse_timestamp(text)
    if kind == "blob":
        return parse_base64(text)
    return text


def scalar_to_text(kind: str, value: Any, timestamp_format: str) -> str:
    """The text of a typed value for a URI label, query string or header."""
    if kind == "timestamp":
        return timestamp_text(value, timestamp_format)
    if kind == "boolean":
        return "true" if value else "false"
    if kind in ("float", "double"):
        return float_text(value)
    if kind == "blob":
        return b64(value if isinstance(value, bytes) else str(value).encode("utf-8"))
    return str(value)
