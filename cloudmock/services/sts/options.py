"""STS's settings: ``mock_aws(options={"sts": {...}})``, ``cloudmock server --option sts.NAME=VALUE``."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off"}


@dataclass(frozen=True)
class StsOptions:
    #: AssumeRole checks that the role exists in IAM (as AWS does) and answers AccessDenied
    #: when it does not; by default any well-formed role ARN can be assumed
    require_roles: bool = False

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> StsOptions:
        """Typed options; ValueError names what is unknown or mistyped."""
        known = [f.name for f in fields(cls)]
        unknown = sorted(set(raw) - set(known))
        if unknown:
            raise ValueError(
                f"unknown STS option(s): {', '.join(unknown)} (known: {', '.join(known)})"
            )
        return cls(**{name: _flag(name, value) for name, value in raw.items()})


def _flag(name: str, value: Any) -> bool:
    """A yes/no option: a bool, or its spelling on a command line (true/false, 1/0, yes/no)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise ValueError(f"STS option {name} must be true or false, got {value!r}")
