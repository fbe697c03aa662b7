"""Parameter policies: a JSON array of Expiration, ExpirationNotification, NoChangeNotification.

They are checked as Parameter Store checks them, stored, and returned by
DescribeParameters and GetParameterHistory. ``Expiration`` is acted on: when the
mock's clock reaches its timestamp the parameter is deleted (before the next
request). The notification policies would send EventBridge events, which
cloudmock has no service for; they stay ``Pending``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from cloudmock.services.ssm.models.errors import policy_error, validation

if TYPE_CHECKING:
    from cloudmock.services.ssm.shapes import ParameterInlinePolicy

MAX_POLICIES = 10
TYPES = ("Expiration", "ExpirationNotification", "NoChangeNotification")
_ATTRIBUTES = {
    "Expiration": {"Timestamp"},
    "ExpirationNotification": {"Before", "Unit"},
    "NoChangeNotification": {"After", "Unit"},
}
_UNITS = ("Days", "Hours")


@dataclass(frozen=True)
class Policy:
    type: str
    #: the policy as Parameter Store shows it back (compact JSON of what was sent)
    text: str
    #: for Expiration: when the parameter is deleted
    expires: datetime | None = None

    def describe(self) -> ParameterInlinePolicy:
        return {"PolicyText": self.text, "PolicyType": self.type, "PolicyStatus": "Pending"}


def _attribute_error(message: str) -> Exception:
    return policy_error("InvalidPolicyAttributeException", message)


def parse_policies(raw: str, now: datetime) -> tuple[Policy, ...]:
    """The policies of a ``Policies`` member; ``[]`` clears them."""
    try:
        document = json.loads(raw)
    except (ValueError, RecursionError):  # RecursionError: nested past the parser's depth
        raise validation(
            f"Invalid policies input: {raw} is not a JSON array of policies."
        ) from None
    if not isinstance(document, list):
        raise validation(f"Invalid policies input: {raw} is not a JSON array of policies.")
    if len(document) > MAX_POLICIES:
        raise policy_error(
            "PoliciesLimitExceededException",
            "You specified more than the maximum number of allowed policies for the parameter. "
            f"The maximum is {MAX_POLICIES}.",
        )
    policies: list[Policy] = []
    seen: set[str] = set()
    for item in document:
        policy = _policy(item, now)
        if policy.type in seen:
            raise policy_error(
                "IncompatiblePolicyException",
                "There is a conflict in the policies specified for this parameter. You can't, for "
                f"example, specify two {policy.type} policies for a parameter. Review your "
                "policies, and try again.",
            )
        seen.add(policy.type)
        policies.append(policy)
    return tuple(policies)


def _policy(item: Any, now: datetime) -> Policy:
    if not isinstance(item, dict) or "Type" not in item:
        raise _attribute_error(
            f"A policy must be an object with Type, Version and Attributes: {item!r}"
        )
    kind = item.get("Type")
    if kind not in TYPES:
        raise policy_error(
            "InvalidPolicyTypeException",
            f"The policy type {kind} isn't supported. Parameter Store supports the following "
            "policy types: Expiration, ExpirationNotification, and NoChangeNotification.",
        )
    if item.get("Version") != "1.0":
        raise _attribute_error(
            f"The {kind} policy's Version must be 1.0, not {item.get('Version')!r}."
        )
    extra = set(item) - {"Type", "Version", "Attributes"}
    if extra:
        raise _attribute_error(f"The {kind} policy has unknown fields: {', '.join(sorted(extra))}.")
    attributes = item.get("Attributes")
    if not isinstance(attributes, dict) or set(attributes) != _ATTRIBUTES[kind]:
        wanted = ", ".join(sorted(_ATTRIBUTES[kind]))
        raise _attribute_error(f"The {kind} policy takes the attributes {wanted}.")
    text = json.dumps(item, separators=(",", ":"))
    if kind == "Expiration":
        return Policy(kind, text, _timestamp(attributes["Timestamp"], now))
    count = attributes.get("Before", attributes.get("After"))
    if not isinstance(count, str) or not count.isdigit() or int(count) < 1:
        raise _attribute_error(
            f"The {kind} policy needs a positive whole number of units, not {count!r}."
        )
    if attributes["Unit"] not in _UNITS:
        raise _attribute_error(
            f"The {kind} policy's Unit is Days or Hours, not {attributes['Unit']!r}."
        )
    return Policy(kind, text)


def _timestamp(value: Any, now: datetime) -> datetime:
    if not isinstance(value, str):
        raise _attribute_error(
            f"The Expiration policy's Timestamp must be a string, not {value!r}."
        )
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise _attribute_error(
            f"The Expiration policy's Timestamp {value} is not an ISO_INSTANT or "
            "ISO_OFFSET_DATE_TIME date and time."
        ) from None
    if moment.tzinfo is None:
        raise _attribute_error(f"The Expiration policy's Timestamp {value} has no time zone.")
    moment = moment.astimezone(timezone.utc)
    if moment <= now:
        raise _attribute_error(f"The Expiration policy's Timestamp {value} is not in the future.")
    return moment
