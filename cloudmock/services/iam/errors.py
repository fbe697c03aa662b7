"""IAM's errors, with the codes, statuses and wording IAM uses."""

from __future__ import annotations

from cloudmock.core.constraints import ValidationError
from cloudmock.core.errors import ServiceError

__all__ = [
    "AccessDenied",
    "DeleteConflict",
    "EntityAlreadyExists",
    "InvalidInput",
    "LimitExceeded",
    "MalformedPolicyDocument",
    "NoSuchEntity",
    "ValidationError",
]


class NoSuchEntity(ServiceError):
    code = "NoSuchEntity"
    status = 404


class EntityAlreadyExists(ServiceError):
    code = "EntityAlreadyExists"
    status = 409


class DeleteConflict(ServiceError):
    code = "DeleteConflict"
    status = 409


class LimitExceeded(ServiceError):
    code = "LimitExceeded"
    status = 409


class MalformedPolicyDocument(ServiceError):
    code = "MalformedPolicyDocument"


class InvalidInput(ServiceError):
    code = "InvalidInput"


class AccessDenied(ServiceError):
    code = "AccessDenied"
    status = 403


def quota(name: str, limit: int) -> LimitExceeded:
    return LimitExceeded(f"Cannot exceed quota for {name}: {limit}")
