"""The errors a JSON-family or REST codec answers bad input with.

AWS's JSON services say ``SerializationException`` when a value is not of its
member's type (or the body is not JSON at all) and ``ValidationException``, with
a "1 validation error detected: ..." message, when a value breaks a constraint
of the model (required, enum); lengths, ranges and patterns are
``validate``'s (:mod:`cloudmock.core.constraints`).  rest-xml services (S3) call the
same two failures ``MalformedXML`` and ``InvalidArgument``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from cloudmock.core.errors import ServiceError


class Faults:
    def __init__(
        self, malformed: str = "SerializationException", invalid: str = "ValidationException"
    ) -> None:
        self.malformed, self.invalid = malformed, invalid

    def not_a(self, what: str, path: str, value: Any = None) -> ServiceError:
        shown = "" if value is None else f" ({_short(value)})"
        return ServiceError(f"Value at '{path}'{shown} is not a valid {what}.", code=self.malformed)

    def unreadable(self, why: str) -> ServiceError:
        return ServiceError(f"The request body could not be read: {why}", code=self.malformed)

    def _constraint(self, value: Any, path: str, constraint: str) -> ServiceError:
        shown = "null" if value is None else f"'{_short(value)}'"
        return ServiceError(
            f"1 validation error detected: Value {shown} at '{path}' failed to satisfy "
            f"constraint: Member must {constraint}",
            code=self.invalid,
        )

    def missing(self, path: str) -> ServiceError:
        return self._constraint(None, path, "not be null")

    def not_in_enum(self, value: Any, path: str, allowed: Iterable[str]) -> ServiceError:
        return self._constraint(value, path, f"satisfy enum value set: [{', '.join(allowed)}]")


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 64 else text[:61] + "..."


JSON_FAULTS = Faults()
