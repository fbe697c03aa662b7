"""STS's errors, with the codes, statuses and wording STS uses."""

from __future__ import annotations

from cloudmock.core.constraints import ValidationError
from cloudmock.core.errors import ServiceError

__all__ = ["AccessDenied", "MalformedPolicyDocument", "PackedPolicyTooLarge", "ValidationError"]


class AccessDenied(ServiceError):
    code = "AccessDenied"
    status = 403


class MalformedPolicyDocument(ServiceError):
    code = "MalformedPolicyDocument"


class PackedPolicyTooLarge(ServiceError):
    code = "PackedPolicyTooLarge"


def invalid_arn() -> ValidationError:
    return ValidationError("Request ARN is invalid")


def not_authorized(caller_arn: str, role_arn: str) -> AccessDenied:
    return AccessDenied(
        f"User: {caller_arn} is not authorized to perform: sts:AssumeRole on resource: {role_arn}"
    )
