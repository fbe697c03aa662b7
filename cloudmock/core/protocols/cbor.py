"""A small CBOR (RFC 8949) encoder and decoder: what rpc-v2-cbor bodies need.

Timestamps travel as tag 1 (epoch seconds); the decoder turns them into tz-aware
UTC datetimes and the encoder writes datetimes that way, to the millisecond.
Written here rather than depending on cbor2: the subset is small and this keeps
cloudmock pure Python with no compiled dependency.
"""

from __future__ import annotations

import math
import struct
from datetime import datetime, timezone
from typing import Any


class CborError(ValueError):
    """Bytes that are not the CBOR this decoder reads."""


# ------------------------------------------------------------------------ encoding


def _head(major: int, number: int, out: bytearray) -> None:
    if number < 24:
        out.append(major << 5 | number)
    elif number < 0x100:
        out.append(major << 5 | 24)
        out.append(number)
    elif number < 0x10000:
        out.append(major << 5 | 25)
        out += number.to_bytes(2, "big")
    elif number < 0x100000000:
        out.append(major << 5 | 26)
        out += number.to_bytes(4, "big")
    else:
        out.append(major << 5 | 27)
        out += number.to_bytes(8, "big")


def _encode(value: Any, out: bytearray) -> None:
    if value is None:
        out.append(0xF6)
    elif value is True:
        out.append(0xF5)
    elif value is False:
        out.append(0xF4)
    elif isinstance(value, int):
        if value >= 0:
            _head(0, value, out)
        else:
            _head(1, -1 - value, out)
    elif isinstance(value, float):
        if math.isnan(value):
            out += b"\xf9\x7e\x00"
        elif math.isinf(value):
            out += b"\xf9\x7c\x00" if value > 0 else b"\xf9\xfc\x00"
        else:
            out.append(0xFB)
            out += struct.pack(">d", value)
    elif isinstance(value, str):
        data = value.encode("utf-8")
        _head(3, len(data), out)
        out += data
    elif isinstance(value, (bytes, bytearray)):
        _head(2, len(value), out)
        out += value
    elif isinstance(value, datetime):
        out.append(0xC1)  # tag 1: epoch-based date/time
        millis = round(value.timestamp() * 1000)
        _encode(millis // 1000 if millis % 1000 == 0 else millis / 1000, out)
    elif isinstance(value, dict):
        _head(5, len(value), out)
        for key, item in value.items():
            _encode(key, out)
            _encode(item, out)
    elif isinstance(value, (list, tuple)):
        _head(4, len(value), out)
        for item in value:
            _encode(item, out)
    else:
        raise TypeError(f"cannot encode {type(value).__name__} as CBOR")


def encode(value: Any) -> bytes:
    out = bytearray()
    _encode(value, out)
    return bytes(out)


# ------------------------------------------------------------------------ decoding

_BREAK = object()


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def take(self, count: int) -> bytes:
        end = self.pos + count
        if end > len(self.data):
            raise CborError("unexpected end of data")
        chunk = self.data[self.pos : end]
        self.pos = end
        return chunk

    def number(self, info: int) -> int:
        if info < 24:
            return info
        if info in (24, 25, 26, 27):
            return int.from_bytes(self.take(1 << (info - 24)), "big")
        raise CborError(f"invalid additional information {info}")

    def item(self) -> Any:
        initial = self.take(1)[0]
        major, info = initial >> 5, initial & 0x1F
        if major == 0:
            return self.number(info)
        if major == 1:
            return -1 - self.number(info)
        if major in (2, 3):
            raw = self._string(major, info)
            if major == 2:
                return raw
            try:
                return raw.decode("utf-8")
            except UnicodeDecodeError:
                raise CborError("text string is not UTF-8") from None
        if major == 4:
            items: list[Any] = []
            if info == 31:
                while (item := self.item()) is not _BREAK:
                    items.append(item)
                return items
            for _ in range(self.number(info)):
                items.append(self._value())
            return items
        if major == 5:
            mapping: dict[Any, Any] = {}
            if info == 31:
                while (key := self.item()) is not _BREAK:
                    mapping[self._hashable(key)] = self._value()
                return mapping
            for _ in range(self.number(info)):
                key = self._value()
                mapping[self._hashable(key)] = self._value()
            return mapping
        if major == 6:
            tag = self.number(info)
            value = self._value()
            if tag == 1:
                if isinstance(value, bool) or not isinstance(value, (int, float)):
                    raise CborError("tag 1 must carry a number")
                try:
                    return datetime.fromtimestamp(value, tz=timezone.utc)
                except (OverflowError, OSError, ValueError):
                    raise CborError("timestamp out of range") from None
            raise CborError(f"unsupported tag {tag}")
        return self._simple(info)

    def _value(self) -> Any:
        value = self.item()
        if value is _BREAK:
            raise CborError("unexpected break")
        return value

    def _string(self, major: int, info: int) -> bytes:
        if info != 31:
            return self.take(self.number(info))
        chunks: list[bytes] = []
        while True:
            initial = self.take(1)[0]
            if initial == 0xFF:
                return b"".join(chunks)
            if initial >> 5 != major:
                raise CborError("mixed chunks in an indefinite-length string")
            chunks.append(self.take(self.number(initial & 0x1F)))

    def _simple(self, info: int) -> Any:
        if info == 20:
            return False
        if info == 21:
            return True
        if info in (22, 23):
            return None
        if info == 25:
            return struct.unpack(">e", self.take(2))[0]
        if info == 26:
            return struct.unpack(">f", self.take(4))[0]
        if info == 27:
            return struct.unpack(">d", self.take(8))[0]
        if info == 31:
            return _BREAK
        raise CborError(f"unsupported simple value {info}")

    @staticmethod
    def _hashable(key: Any) -> Any:
        if isinstance(key, (list, dict)):
            raise CborError("map keys must be scalars")
        return key


def decode(data: bytes) -> Any:
    """One CBOR data item; trailing bytes are an error."""
    reader = _Reader(data)
    value = reader._value()
    if reader.pos != len(data):
        raise CborError("trailing bytes after the CBOR item")
    return value
