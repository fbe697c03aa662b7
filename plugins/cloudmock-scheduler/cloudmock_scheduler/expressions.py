"""Schedule expressions as EventBridge Scheduler reads them, and the time zones they run in.

* ``at(yyyy-mm-ddThh:mm:ss)``: one time, at a wall-clock time of the schedule's time zone;
* ``rate(value unit)``: a positive whole number and ``minute(s)``, ``hour(s)`` or ``day(s)``;
* ``cron(minutes hours day-of-month month day-of-week year)``: six fields, one space
  apart, with the wildcards of EventBridge's cron (``, - * / ? L W #``); exactly one of
  day-of-month and day-of-week is ``?``.

Anything else is refused, with nothing trimmed: AWS refuses ``" rate(1 day)"`` too.
"""

from __future__ import annotations

import functools
import re
import zoneinfo
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo

UTC = timezone.utc


class InvalidExpression(ValueError):
    """Not an expression EventBridge Scheduler accepts."""


@dataclass(frozen=True)
class OneTime:
    """``at(...)``: the wall-clock time, without a zone (the schedule's zone gives it one)."""

    local: datetime

    def moment(self, zone: tzinfo) -> datetime:
        """When it runs, in UTC."""
        return self.local.replace(tzinfo=zone).astimezone(UTC)


@dataclass(frozen=True)
class Rate:
    value: int
    #: ``minute``, ``hour`` or ``day`` (AWS takes either number with either spelling)
    unit: str

    @property
    def every(self) -> timedelta:
        return timedelta(**{f"{self.unit}s": self.value})


@dataclass(frozen=True)
class Cron:
    fields: tuple[str, str, str, str, str, str]


Expression = OneTime | Rate | Cron

_AT = re.compile(r"at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)")
_RATE = re.compile(r"rate\(([0-9]+) (minutes?|hours?|days?)\)")
_CRON = re.compile(r"cron\((.*)\)")


def parse_expression(text: str) -> Expression:
    """The expression ``text`` names; InvalidExpression if AWS would refuse it."""
    found = _AT.fullmatch(text)
    if found:
        year, month, day, hour, minute, second = (int(part) for part in found.groups())
        try:
            return OneTime(datetime(year, month, day, hour, minute, second))
        except ValueError:  # 2024-02-30, hour 24 ...
            raise InvalidExpression(text) from None
    found = _RATE.fullmatch(text)
    if found:
        value = int(found.group(1))
        if value < 1:
            raise InvalidExpression(text)
        return Rate(value, found.group(2).rstrip("s"))
    found = _CRON.fullmatch(text)
    if found:
        parts = found.group(1).split(" ")
        if len(parts) != 6 or not all(_field_ok(i, part) for i, part in enumerate(parts)):
            raise InvalidExpression(text)
        day_of_month, day_of_week = parts[2], parts[4]
        if (day_of_month == "?") == (day_of_week == "?"):  # exactly one of them is "?"
            raise InvalidExpression(text)
        return Cron((parts[0], parts[1], parts[2], parts[3], parts[4], parts[5]))
    raise InvalidExpression(text)


# ------------------------------------------------------------------------- cron fields

_MONTHS = {
    m: i
    for i, m in enumerate(
        ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"), 1
    )
}
_DAYS = {d: i for i, d in enumerate(("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"), 1)}


@dataclass(frozen=True)
class _Field:
    low: int
    high: int
    names: dict[str, int]


# minutes, hours, day-of-month, month, day-of-week, year
_FIELDS = (
    _Field(0, 59, {}),
    _Field(0, 23, {}),
    _Field(1, 31, {}),
    _Field(1, 12, _MONTHS),
    _Field(1, 7, _DAYS),
    _Field(1970, 2199, {}),
)
_DAY_OF_MONTH, _DAY_OF_WEEK = 2, 4


def _field_ok(index: int, text: str) -> bool:
    if text == "?":
        return index in (_DAY_OF_MONTH, _DAY_OF_WEEK)
    spec = _FIELDS[index]
    return all(_item_ok(index, spec, item) for item in text.split(","))


def _item_ok(index: int, spec: _Field, item: str) -> bool:
    if index == _DAY_OF_MONTH:
        if item in ("L", "LW"):
            return True
        if item.endswith("W"):  # 15W: the weekday nearest the 15th
            return _value(spec, item[:-1]) is not None
    if index == _DAY_OF_WEEK:
        if item == "L":
            return True
        if item.endswith("L"):  # 6L: the month's last Friday
            return _value(spec, item[:-1]) is not None
        if "#" in item:  # 3#2: the month's second Tuesday
            day, _, nth = item.partition("#")
            return _value(spec, day) is not None and nth in ("1", "2", "3", "4", "5")
    base, slash, step = item.partition("/")
    if slash and not (step.isdigit() and int(step) >= 1):
        return False
    if base == "*":
        return True
    low, dash, high = base.partition("-")
    if _value(spec, low) is None:
        return False
    return not dash or _value(spec, high) is not None


def _value(spec: _Field, text: str) -> int | None:
    if text.isdigit():
        number = int(text)
        return number if spec.low <= number <= spec.high else None
    return spec.names.get(text.upper())


# --------------------------------------------------------------------------- time zones


@functools.lru_cache(maxsize=512)
def time_zone(name: str) -> tzinfo | None:
    """The IANA time zone ``name`` (``UTC``, ``Europe/Paris``), or None if there is none."""
    if name == "UTC":
        return UTC
    try:
        return zoneinfo.ZoneInfo(name)
    except (ValueError, zoneinfo.ZoneInfoNotFoundError):
        return None
