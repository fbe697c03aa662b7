"""AWS-style errors raised by handlers and by the framework itself.

A handler raises a :class:`ServiceError`; the protocol codec turns it into the
error body that AWS's SDKs parse into ``ClientError``.
"""

from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    """An error AWS would return: an error code, a message and an HTTP status."""

    code: str = "InternalError"
    status: int = 400
    #: query-protocol services say who is at fault; EC2 ignores it.
    sender_fault: bool = True

    def __init__(
        self,
        message: str = "",
        *,
        code: str | None = None,
        status: int | None = None,
        fields: dict[str, Any] | None = None,
    ):
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status
        #: members of the model's error shape for ``code`` (keyed by member name), which
        #: the codec writes so that the SDK parses them onto the error
        self.fields: dict[str, Any] = dict(fields) if fields else {}

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.code!r}, {self.message!r}, status={self.status})"


class InvalidParameterValue(ServiceError):
    code = "InvalidParameterValue"


class InvalidParameterCombination(ServiceError):
    code = "InvalidParameterCombination"


class MissingParameter(ServiceError):
    code = "MissingParameter"

    def __init__(self, parameter: str):
        super().__init__(f"The request must contain the parameter {parameter}")


class UnknownParameter(ServiceError):
    code = "UnknownParameter"

    def __init__(self, parameter: str):
        super().__init__(f"The parameter {parameter} is not recognized")


class InvalidAction(ServiceError):
    code = "InvalidAction"

    def __init__(self, action: str):
        super().__init__(f"The action {action} is not valid for this web service.")


class DryRunOperation(ServiceError):
    code = "DryRunOperation"
    status = 412

    def __init__(self) -> None:
        super().__init__("Request would have succeeded, but DryRun flag is set.")


class NotImplementedOperation(ServiceError):
    """A model operation cloudmock has no handler for.

    501 is outside botocore's retryable statuses (500/502/503/504), so the
    SDK reports it at once instead of retrying.
    """

    code = "NotImplemented"
    status = 501

    def __init__(self, service: str, operation: str):
        super().__init__(
            f"cloudmock does not implement {service}:{operation} yet "
            f"(the operation exists in AWS's {service} API)."
        )


class UnsupportedParameter(ServiceError):
    """A documented parameter that cloudmock does not model yet: fail loudly, never ignore."""

    code = "UnsupportedOperation"

    def __init__(self, operation: str, parameter: str):
        super().__init__(
            f"cloudmock does not support the parameter {parameter} of {operation} yet."
        )


class UnknownService(ServiceError):
    """A request for an AWS service with no cloudmock plugin enabled."""

    code = "NotImplemented"
    status = 501

    def __init__(self, message: str = "", *, service: str | None = None):
        super().__init__(message)
        #: the AWS service the request was for, when known: it is answered in its protocol
        self.service = service


class MalformedInput(ServiceError):
    """A request body that could not be read as sent."""

    code = "MalformedInput"

    def __init__(self) -> None:
        super().__init__("The request body could not be read as sent.")


class InternalError(ServiceError):
    code = "InternalError"
    status = 500
    sender_fault = False
