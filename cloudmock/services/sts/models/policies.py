"""Session policies and tags: what AssumeRole checks of them, and how much room they take."""

from __future__ import annotations

import json
import math
import zlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from cloudmock.services.sts.errors import (
    MalformedPolicyDocument,
    PackedPolicyTooLarge,
    ValidationError,
)

if TYPE_CHECKING:
    from cloudmock.services.sts.shapes import PolicyDescriptorType, Tag

#: plaintext of the inline and managed session policies together, as AWS documents it
PLAINTEXT_LIMIT = 2048
#: session policies and tags are packed (compressed) into the session token; past this
#: many bytes the token is too large
PACKED_LIMIT = 2048
MAX_POLICY_ARNS = 10
_VERSIONS = ("2008-10-17", "2012-10-17")
_POLICY_ARN = "arn:aws:iam::"


def check_session_policy(document: str) -> dict[str, Any]:
    """An inline session policy as JSON, or MalformedPolicyDocument saying what is wrong."""
    try:
        policy = json.loads(document)
    except (ValueError, RecursionError):  # RecursionError: nested past the parser's depth
        raise MalformedPolicyDocument("The policy is not in the valid JSON format.") from None
    if not isinstance(policy, dict):
        raise MalformedPolicyDocument("The policy is not in the valid JSON format.")
    version = policy.get("Version")
    if version is not None and version not in _VERSIONS:
        raise MalformedPolicyDocument("The policy must contain a valid version string")
    statements = policy.get("Statement")
    if isinstance(statements, dict):
        statements = [statements]
    if not isinstance(statements, list) or not statements:
        raise MalformedPolicyDocument("Syntax errors in policy.")
    for statement in statements:
        if not isinstance(statement, dict):
            raise MalformedPolicyDocument("Syntax errors in policy.")
        if statement.get("Effect") not in ("Allow", "Deny"):
            raise MalformedPolicyDocument("Syntax errors in policy.")
        if "Principal" in statement or "NotPrincipal" in statement:
            raise MalformedPolicyDocument("Policy document should not specify a principal.")
    return policy


def check_policy_arns(arns: Sequence[PolicyDescriptorType]) -> list[str]:
    """The managed session policies' ARNs (at most ten, each a policy ARN)."""
    if len(arns) > MAX_POLICY_ARNS:
        raise ValidationError(
            f"1 validation error detected: Value at 'policyArns' failed to satisfy constraint: "
            f"Member must have length less than or equal to {MAX_POLICY_ARNS}"
        )
    out = []
    for item in arns:
        arn = item.get("arn", "")
        account, _, resource = arn[len(_POLICY_ARN) :].partition(":")
        if (
            not arn.startswith(_POLICY_ARN)
            or not (account == "aws" or (len(account) == 12 and account.isdigit()))
            or not resource.startswith("policy/")
        ):
            raise ValidationError(f"{arn} is invalid")
        out.append(arn)
    return out


def check_tags(tags: Sequence[Tag], transitive: Sequence[str]) -> dict[str, str]:
    """Session tags by key; keys are unique ignoring case, and transitive keys are among them."""
    out: dict[str, str] = {}
    seen: set[str] = set()
    for tag in tags:
        key = tag["Key"]
        if key.lower() in seen:
            raise ValidationError(
                "Duplicate tag keys found. Please note that Tag keys are case insensitive."
            )
        seen.add(key.lower())
        out[key] = tag["Value"]
    for key in transitive:
        if key.lower() not in seen:
            raise ValidationError(
                f"The transitive tag key {key} must be one of the session tags of the request."
            )
    return out


def packed_size(policy: str | None, arns: Sequence[str], tags: dict[str, str]) -> int | None:
    """How much of the session token's room the session policies and tags take, in percent
    (None when there are none); PackedPolicyTooLarge past 100."""
    if policy is None and not arns and not tags:
        return None
    plaintext = len(policy or "") + sum(len(arn) for arn in arns)
    if plaintext > PLAINTEXT_LIMIT:
        raise ValidationError(
            f"1 validation error detected: Value at 'policy' failed to satisfy constraint: "
            f"Member must have length less than or equal to {PLAINTEXT_LIMIT}"
        )
    compact = json.dumps(json.loads(policy), separators=(",", ":")) if policy else ""
    packed = zlib.compress(
        "\n".join([compact, *arns, *(f"{k}={v}" for k, v in tags.items())]).encode("utf-8")
    )
    percent = max(1, math.ceil(len(packed) * 100 / PACKED_LIMIT))
    if percent > 100:
        raise PackedPolicyTooLarge(
            f"Packed policy consumes {percent}% of allotted space, please use smaller policy "
            "for this operation."
        )
    return percent
