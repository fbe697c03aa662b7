"""EC2's settings: ``mock_ec2(**options)``, ``cloudmock server --option ec2.NAME=VALUE``."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any


@dataclass(frozen=True)
class Ec2Options:
    #: instances (pending, running, stopping, shutting-down) a region allows at once
    instance_limit: int = 20
    #: seconds before pending/stopping/shutting-down complete; 0: visible to the next call
    transition_delay: float = 0.0
    #: seconds after reaching running until status checks pass
    status_delay: float = 0.0
    #: seconds a terminated instance stays visible (AWS: about an hour)
    terminated_retention: float = 3600.0

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Ec2Options:
        """Typed options; ValueError names what is unknown or mistyped."""
        known = {f.name: f for f in fields(cls)}
        unknown = sorted(set(raw) - set(known))
        if unknown:
            raise ValueError(
                f"unknown EC2 option(s): {', '.join(unknown)} (known: {', '.join(known)})"
            )
        values = {}
        for name, value in raw.items():
            kind = type(getattr(cls, name))
            try:
                values[name] = kind(value)
            except (TypeError, ValueError):
                raise ValueError(
                    f"EC2 option {name} must be {kind.__name__}, got {value!r}"
                ) from None
            if values[name] < 0:
                raise ValueError(f"EC2 option {name} must not be negative, got {value!r}")
        return cls(**values)
