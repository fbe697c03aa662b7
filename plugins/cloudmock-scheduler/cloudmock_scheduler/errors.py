"""EventBridge Scheduler's errors, as its model declares them (code, HTTP status).

Every error shape of the model carries one member, ``Message``; the codec writes
``ServiceError.message`` into it, so a boto3 client sees the text both as
``Error.Message`` and as the parsed ``Message`` field.
"""

from __future__ import annotations

from cloudmock.plugin_api import ServiceError


class ValidationException(ServiceError):
    code = "ValidationException"
    status = 400


class ConflictException(ServiceError):
    code = "ConflictException"
    status = 409


class ResourceNotFoundException(ServiceError):
    code = "ResourceNotFoundException"
    status = 404


class ServiceQuotaExceededException(ServiceError):
    # the model's status for this error really is 402
    code = "ServiceQuotaExceededException"
    status = 402


def refuse(operation: str, member: str) -> ServiceError:
    """The error for a request member the handler does not take (the plugin's ``refuse`` hook).

    EventBridge Scheduler has no "unsupported parameter" error of its own: every error
    its model declares for bad input is ``ValidationException`` (HTTP 400), and that is
    what SDKs raise as ``client.exceptions.ValidationException``. A member cloudmock does
    not model is, for the caller, input this endpoint cannot accept, so it gets the same
    code a real refusal would get. cloudmock's default (``UnsupportedOperation``) is an
    EC2 code that Scheduler's clients would only see as an unknown error. The message
    names the member and says it is cloudmock, not AWS, that refuses it.
    """
    return ValidationException(
        f"cloudmock does not support the parameter {member} of {operation} yet."
    )


def invalid(value: object, path: str, constraint: str) -> ValidationException:
    """A constraint of the model broken, worded as AWS's JSON services word it."""
    shown = str(value)
    shown = shown if len(shown) <= 64 else shown[:61] + "..."
    return ValidationException(
        f"1 validation error detected: Value '{shown}' at '{path}' failed to satisfy "
        f"constraint: Member must {constraint}"
    )


def schedule_not_found(name: str) -> ResourceNotFoundException:
    return ResourceNotFoundException(f"Schedule {name} does not exist.")


def group_not_found(name: str) -> ResourceNotFoundException:
    return ResourceNotFoundException(f"Schedule group {name} does not exist.")


def not_on_default_group() -> ValidationException:
    return ValidationException("This operation cannot be performed on schedule group default.")
