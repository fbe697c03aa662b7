"""What every protocol codec offers the dispatcher, and the helpers they all share."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol
from xml.sax.saxutils import escape

from cloudmock.core import constraints

if TYPE_CHECKING:
    from botocore.model import OperationModel, ServiceModel, Shape

    from cloudmock.core.errors import ServiceError
    from cloudmock.core.http import Request, Response

#: With CLOUDMOCK_STRICT=1 a handler that returns a key its output shape lacks is a bug, not noise.
STRICT = os.environ.get("CLOUDMOCK_STRICT") == "1"


class Codec(Protocol):
    #: the protocol's name in botocore's models (``query``, ``rest-json`` ...)
    protocol: str
    #: the error ``validate`` raises; None: the codec checks constraints while parsing
    validation_code: str | None

    def operation_name(self, request: Request) -> str | None:
        """The operation the request names, or None if it names none."""

    def no_such_operation(self, name: str | None) -> ServiceError:
        """The protocol's error for a request naming no operation, or one the model lacks."""

    def parse(self, request: Request, operation: OperationModel) -> dict[str, Any]:
        """Typed, validated parameters keyed by the input shape's member names."""

    def validate(self, params: dict[str, Any], operation: OperationModel) -> None:
        """Raise the protocol's error for values that break the model's constraints
        (lengths, ranges, patterns, list sizes) where parsing has not already."""

    def serialize(
        self, result: Mapping[str, Any] | None, operation: OperationModel, request_id: str
    ) -> Response:
        """The wire response for a handler's result dict."""

    def serialize_error(self, error: ServiceError, request_id: str) -> Response:
        """The wire response for an AWS error."""


class Constrained:
    """``validate`` as AWS's query and JSON services do it: every broken constraint named
    in one error (see :mod:`cloudmock.core.constraints`); None leaves it to ``parse``."""

    validation_code: str | None = "ValidationException"

    def validate(self, params: dict[str, Any], operation: OperationModel) -> None:
        if self.validation_code is not None and params:
            constraints.check(operation, params, self.validation_code)


#: Characters XML 1.0 cannot carry at all, even escaped.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_message(text: str) -> str:
    """Error text for an XML body: escaped, and what XML cannot carry replaced (it may echo input)."""
    return escape(NOT_XML.sub("\ufffd", text))


# -------------------------------------------------------------- modeled errors


def error_shape(model: ServiceModel, error: ServiceError) -> Shape | None:
    """The model's shape for an error code, if the service models it."""
    try:
        return model.shape_for_error_code(error.code)
    except Exception:  # a model without error shapes (a stub, a hand-made test model)
        return None


def message_member(shape: Shape | None) -> str | None:
    """The member of an error shape that carries the message (``message`` or ``Message``)."""
    if shape is None:
        return None
    for name in shape.members:
        if name.lower() == "message":
            return name
    return None


def error_fields(error: ServiceError, shape: Shape | None) -> dict[str, Any]:
    """The modeled members to write: the error's ``fields``, its message under the
    shape's own message member."""
    fields = {k: v for k, v in error.fields.items() if shape is not None and k in shape.members}
    name = message_member(shape)
    if name is not None and error.message:
        fields.setdefault(name, error.message)
    return fields


def sender_fault(error: ServiceError, shape: Shape | None) -> bool:
    """Who is at fault: the error's own say, unless the model says so for the code."""
    if shape is not None:
        modeled = shape.metadata.get("error", {}).get("senderFault")
        if modeled is not None:
            return bool(modeled)
    return error.sender_fault
