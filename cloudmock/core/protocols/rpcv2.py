"""Smithy RPC v2 CBOR: a POST to ``/service/{name}/operation/{op}`` with
``smithy-protocol: rpc-v2-cbor`` and CBOR bodies both ways.  The json codec with
another route and another body encoding.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from cloudmock.core.errors import ServiceError
from cloudmock.core.protocols import cbor
from cloudmock.core.protocols.jsonrpc import JsonCodec
from cloudmock.core.protocols.jsonvalue import CBOR, Dialect

if TYPE_CHECKING:
    from cloudmock.core.http import Request, Response

_ROUTE = re.compile(r"^(?:.*)/service/(?P<service>[^/]+)/operation/(?P<operation>[^/?]+)$")


class CborCodec(JsonCodec):
    protocol = "smithy-rpc-v2-cbor"
    dialect: Dialect = CBOR

    def __init__(self, service_model: Any) -> None:
        super().__init__(service_model)
        self.content_type = "application/cbor"

    def operation_name(self, request: Request) -> str | None:
        if request.method != "POST":
            raise self.not_post(request)
        found = _ROUTE.match(request.path)
        return found.group("operation") if found else None

    def no_such_operation(self, name: str | None) -> ServiceError:
        what = f"The operation {name} is not" if name else "No operation is"
        return ServiceError(
            f"{what} known to {self.model.service_name} "
            "(the path /service/NAME/operation/OPERATION names the operation).",
            code="UnknownOperationException",
            status=404,
        )

    def serialize(self, result: Any, operation: Any, request_id: str) -> Response:
        response = super().serialize(result, operation, request_id)
        response.headers["smithy-protocol"] = "rpc-v2-cbor"
        return response

    def serialize_error(self, error: ServiceError, request_id: str) -> Response:
        response = super().serialize_error(error, request_id)
        response.headers["smithy-protocol"] = "rpc-v2-cbor"
        return response

    def decode(self, body: bytes) -> Any:
        if not body:
            return {}
        try:
            return cbor.decode(body)
        except cbor.CborError as failure:
            raise self.faults.unreadable(f"not CBOR ({failure})") from None
        except RecursionError:
            raise self.faults.unreadable("nested too deeply") from None

    def encode(self, document: Any) -> bytes:
        return cbor.encode(document)
