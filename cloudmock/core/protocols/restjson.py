"""rest-json (Lambda, API Gateway, most newer services): REST bindings with JSON bodies."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from cloudmock.core.protocols.faults import JSON_FAULTS
from cloudmock.core.protocols.jsonerror import error_document
from cloudmock.core.protocols.jsonvalue import JSON, JsonInCompiler, JsonOutCompiler
from cloudmock.core.protocols.rest import RestCodec

if TYPE_CHECKING:
    from botocore.model import ServiceModel, Shape

    from cloudmock.core.errors import ServiceError
    from cloudmock.core.http import Response


class RestJsonCodec(RestCodec):
    protocol = "rest-json"
    faults = JSON_FAULTS
    content_type = "application/json"

    def __init__(self, service_model: ServiceModel) -> None:
        super().__init__(service_model)
        self._in = JsonInCompiler(JSON, self.faults)
        self._out = JsonOutCompiler(JSON)

    def read_body(self, body: bytes, shape: Shape, path: str) -> Any:
        try:
            document = json.loads(body) if body.strip() else {}
        except ValueError as failure:  # bad UTF-8 and >4,300-digit ints too
            raise self.faults.unreadable(f"not JSON ({failure})") from None
        except RecursionError:
            raise self.faults.unreadable("nested too deeply") from None
        return self._in.plan(shape).parse(document, path)

    def write_body(self, value: Any, shape: Shape, root: bool) -> bytes:
        return json.dumps(self._out.plan(shape).write(value), separators=(",", ":")).encode()

    def write_error_body(
        self,
        response: Response,
        error: ServiceError,
        shape: Shape | None,
        fields: dict[str, Any],
        request_id: str,
    ) -> None:
        document, headers, _, _ = error_document(self.model, self._out, error, request_id)
        response.headers.update(headers)
        response.headers["Content-Type"] = self.content_type
        response.body = json.dumps(document, separators=(",", ":")).encode()
