"""Policy documents: the grammar IAM checks, and how much room they take.

IAM keeps a document as the text it was given and returns that text
(URL-encoded on the wire, which the invoker does). Two grammars are checked:
a role's trust policy names who may assume it (``Principal``, no ``Resource``);
a permissions policy names what may be done (``Resource``, no ``Principal``).
"""

from __future__ import annotations

import json
from typing import Any

from cloudmock.services.iam.errors import MalformedPolicyDocument, quota

VERSIONS = ("2008-10-17", "2012-10-17")
_TOP = {"Version", "Id", "Statement"}
_STATEMENT = {
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
}

#: characters, not counting white space, as IAM counts them
TRUST_POLICY_LIMIT = 2048
MANAGED_POLICY_LIMIT = 6144
INLINE_ROLE_POLICIES_LIMIT = 10240


def size(document: str) -> int:
    """A document's size as IAM counts it: white space is free."""
    return sum(1 for char in document if not char.isspace())


def _parse(document: str) -> dict[str, Any]:
    try:
        policy = json.loads(document)
    except (ValueError, RecursionError):  # RecursionError: nested past the parser's depth
        raise MalformedPolicyDocument("This policy contains invalid Json") from None
    if not isinstance(policy, dict):
        raise MalformedPolicyDocument("This policy contains invalid Json")
    unknown = sorted(set(policy) - _TOP)
    if unknown:
        raise MalformedPolicyDocument(f"Syntax errors in policy. Unknown field {unknown[0]}")
    version = policy.get("Version")
    if version is not None and version not in VERSIONS:
        raise MalformedPolicyDocument("The policy must contain a valid version string")
    if "Statement" not in policy:
        raise MalformedPolicyDocument("Missing required field Statement")
    return policy


def _statements(policy: dict[str, Any]) -> list[dict[str, Any]]:
    statements = policy["Statement"]
    if isinstance(statements, dict):
        statements = [statements]
    if not isinstance(statements, list) or not statements:
        raise MalformedPolicyDocument("Syntax errors in policy.")
    for statement in statements:
        if not isinstance(statement, dict):
            raise MalformedPolicyDocument("Syntax errors in policy.")
        unknown = sorted(set(statement) - _STATEMENT)
        if unknown:
            raise MalformedPolicyDocument(f"Syntax errors in policy. Unknown field {unknown[0]}")
        if "Effect" not in statement:
            raise MalformedPolicyDocument("Missing required field Effect")
        if statement["Effect"] not in ("Allow", "Deny"):
            raise MalformedPolicyDocument(f"Invalid effect: {statement['Effect']}")
        if "Action" not in statement and "NotAction" not in statement:
            raise MalformedPolicyDocument("Policy statement must contain actions.")
        if "Action" in statement and "NotAction" in statement:
            raise MalformedPolicyDocument("Syntax errors in policy.")
    return statements


def check_trust_policy(document: str) -> None:
    """A role's trust policy, or MalformedPolicyDocument / LimitExceeded saying what is wrong."""
    for statement in _statements(_parse(document)):
        for field in ("Resource", "NotResource"):
            if field in statement:
                raise MalformedPolicyDocument(f"Has prohibited field {field}")
        if "Principal" not in statement and "NotPrincipal" not in statement:
            raise MalformedPolicyDocument("Missing required field Principal")
    if size(document) > TRUST_POLICY_LIMIT:
        raise quota("ACLSizePerRole", TRUST_POLICY_LIMIT)


def check_permissions_policy(document: str) -> None:
    """A permissions policy (managed or inline), or MalformedPolicyDocument."""
    for statement in _statements(_parse(document)):
        if "Principal" in statement or "NotPrincipal" in statement:
            raise MalformedPolicyDocument("Policy document should not specify a principal.")
        if "Resource" not in statement and "NotResource" not in statement:
            raise MalformedPolicyDocument("Policy statement must contain resources.")


def check_managed_policy(document: str) -> None:
    check_permissions_policy(document)
    if size(document) > MANAGED_POLICY_LIMIT:
        raise quota("PolicySize", MANAGED_POLICY_LIMIT)
