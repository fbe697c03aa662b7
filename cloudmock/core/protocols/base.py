"""What every protocol codec offers the dispatcher."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Protocol
from xml.sax.saxutils import escape

if TYPE_CHECKING:
    from botocore.model import OperationModel

    from cloudmock.core.errors import ServiceError
    from cloudmock.core.http import Request, Response


class Codec(Protocol):
    def operation_name(self, request: Request) -> str | None:
        """The operation the request names, or None if it names none."""

    def parse(self, request: Request, operation: OperationModel) -> dict[str, Any]:
        """Typed, validated parameters keyed by the input shape's member names."""

    def serialize(
        self, result: dict[str, Any] | None, operation: OperationModel, request_id: str
    ) -> Response:
        """The wire response for a handler's result dict."""

    def serialize_error(self, error: ServiceError, request_id: str) -> Response:
        """The wire response for an AWS error."""


#: Characters XML 1.0 cannot carry at all, even escaped.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_message(text: str) -> str:
    """Error text for an XML body: escaped, and what XML cannot carry replaced (it may echo input)."""
    return escape(NOT_XML.sub("\ufffd", text))
