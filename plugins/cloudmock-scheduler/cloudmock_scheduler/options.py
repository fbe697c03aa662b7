"""The plugin's settings: ``mock_aws(options={"scheduler": {...}})`` or
``cloudmock server --option scheduler.NAME=VALUE``."""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import Any


@dataclass(frozen=True)
class SchedulerOptions:
    #: seconds a deleted schedule group stays ``DELETING`` (with its schedules) on the mock
    #: clock; 0: the group and its schedules are gone by the next request
    group_deletion_delay: float = 0.0
    #: schedule groups one account may have in one Region, ``default`` included (AWS: 500)
    schedule_group_limit: int = 500
    #: schedules one account may have in one Region (AWS: 1,000,000)
    schedule_limit: int = 1_000_000

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> SchedulerOptions:
        """Typed options; ValueError names what is unknown or mistyped."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(raw) - known)
        if unknown:
            raise ValueError(
                f"unknown scheduler option(s): {', '.join(unknown)} "
                f"(known: {', '.join(sorted(known))})"
            )
        values = {
            name: _typed(name, type(getattr(cls, name)), value) for name, value in raw.items()
        }
        return cls(**values)  # type: ignore[arg-type]  # each value has its field's type


def _typed(name: str, kind: type, value: Any) -> int | float:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueError(f"scheduler option {name} must be a number, got {value!r}")
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"scheduler option {name} must be a number, got {value!r}") from None
    if not math.isfinite(number) or number < 0:
        raise ValueError(f"scheduler option {name} must be finite and not negative, got {value!r}")
    if kind is int:
        if not number.is_integer():
            raise ValueError(f"scheduler option {name} must be a whole number, got {value!r}")
        return int(number)
    return number
