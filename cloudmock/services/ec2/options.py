"""EC2's settings: ``mock_ec2(**options)``, ``cloudmock server --option ec2.NAME=VALUE``."""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import Any


@dataclass(frozen=True)
class Ec2Options:
    #: instances (pending, running, stopping, shutting-down) a region allows at once
    instance_limit: int = 20
    #: VPCs a region allows, the default VPC included (AWS's default quota)
    vpc_limit: int = 5
    #: seconds before pending/stopping/shutting-down complete; 0: visible to the next call
    transition_delay: float = 0.0
    #: seconds after reaching running until status checks pass
    status_delay: float = 0.0
    #: seconds a terminated instance stays visible (AWS: about an hour)
    terminated_retention: float = 3600.0
    #: RunInstances takes any KeyName, even one no key pair has (AWS refuses it)
    lenient_key_names: bool = False
    #: RunInstances refuses an AMI id no image has (InvalidAMIID.NotFound); off: any id launches
    strict_amis: bool = False

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Ec2Options:
        """Typed options; ValueError names what is unknown or mistyped."""
        known = {f.name: f for f in fields(cls)}
        unknown = sorted(set(raw) - set(known))
        if unknown:
            raise ValueError(
                f"unknown EC2 option(s): {', '.join(unknown)} (known: {', '.join(known)})"
            )
        values = {name: _typed(name, type(getattr(cls, name)), raw[name]) for name in raw}
        return cls(**values)  # type: ignore[arg-type]  # each value has its field's type


def _typed(name: str, kind: type, value: Any) -> int | float | bool:
    """An option value as its field's type: whole numbers for counts, finite for seconds."""
    number: int | float
    if kind is bool:
        return _switch(name, value)
    if isinstance(value, bool):  # bool is an int to Python, never to us
        raise ValueError(f"EC2 option {name} must be a number, got {value!r}")
    try:
        number = float(value) if kind is float else _whole(value)
    except (TypeError, ValueError):
        what = "a whole number" if kind is int else "a number of seconds"
        raise ValueError(f"EC2 option {name} must be {what}, got {value!r}") from None
    if not math.isfinite(number) or number < 0:
        raise ValueError(f"EC2 option {name} must be finite and not negative, got {value!r}")
    return number


def _whole(value: Any) -> int:
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(value)
        return int(value)
    return int(value)


def _switch(name: str, value: Any) -> bool:
    """An on/off option: a bool, or its text from the command line ("true", "false")."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "1", "yes", "on"):
        return True
    if text in ("false", "0", "no", "off"):
        return False
    raise ValueError(f"EC2 option {name} must be true or false, got {value!r}")
