"""The json protocol (1.0 and 1.1; DynamoDB, Kinesis, ...): a POST to ``/`` whose
``X-Amz-Target: Prefix.Operation`` names the operation, with a JSON body both ways.
rpc-v2-cbor (``protocols/rpcv2.py``) is a small variant of this codec.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from cloudmock.core.errors import ServiceError
from cloudmock.core.http import Response
from cloudmock.core.protocols.base import Constrained
from cloudmock.core.protocols.faults import JSON_FAULTS, Faults
from cloudmock.core.protocols.jsonerror import error_document
from cloudmock.core.protocols.jsonvalue import (
    JSON,
    Dialect,
    JsonInCompiler,
    JsonOutCompiler,
    StructIn,
    StructOut,
)
from cloudmock.core.protocols.values import BadValue

if TYPE_CHECKING:
    from botocore.model import OperationModel, ServiceModel

    from cloudmock.core.http import Request


class JsonCodec(Constrained):
    protocol = "json"
    dialect: Dialect = JSON
    faults: Faults = JSON_FAULTS

    def __init__(self, service_model: ServiceModel) -> None:
        self.model = service_model
        metadata = service_model.metadata
        self.target_prefix = metadata.get("targetPrefix", "")
        self.content_type = f"application/x-amz-json-{metadata.get('jsonVersion', '1.0')}"
        self._in = JsonInCompiler(self.dialect, self.faults)
        self._out = JsonOutCompiler(self.dialect)

    def _plans(self, operation: OperationModel) -> tuple[StructIn | None, StructOut | None]:
        return self._in.for_operation(operation, self._compile)  # type: ignore[no-any-return]

    def _compile(self, operation: OperationModel) -> tuple[Any, Any]:
        in_shape, out_shape = operation.input_shape, operation.output_shape
        return (
            self._in.plan(in_shape) if in_shape is not None else None,
            self._out.plan(out_shape) if out_shape is not None else None,
        )

    # -- the Codec protocol

    def operation_name(self, request: Request) -> str | None:
        """The ``X-Amz-Target``'s operation; only a POST names one."""
        if request.method != "POST":
            raise self.not_post(request)
        target = request.headers.get("x-amz-target", "")
        _, dot, name = target.rpartition(".")
        return name if dot and name else None

    def not_post(self, request: Request) -> ServiceError:
        """An RPC call (JSON or CBOR) is a POST: any other method reaches no operation."""
        return ServiceError(
            f"The HTTP method {request.method[:32]} is not allowed: "
            f"{self.model.service_name} operations are called by POST.",
            code="UnknownOperationException",
            status=405,
        )

    def no_such_operation(self, name: str | None) -> ServiceError:
        what = f"The operation {name} is not" if name else "No operation is"
        return ServiceError(
            f"{what} known to {self.model.service_name} (X-Amz-Target names the operation).",
            code="UnknownOperationException",
        )

    def parse(self, request: Request, operation: OperationModel) -> dict[str, Any]:
        document = self.decode(request.body)
        plan = self._plans(operation)[0]
        if plan is None:
            return {}
        return plan.parse(document, "")

    def serialize(
        self, result: Mapping[str, Any] | None, operation: OperationModel, request_id: str
    ) -> Response:
        plan = self._plans(operation)[1]
        document = plan.write(result or {}) if plan is not None else {}
        headers = {"Content-Type": self.content_type, "x-amzn-RequestId": request_id}
        return Response(200, self.encode(document), headers)

    def serialize_error(self, error: ServiceError, request_id: str) -> Response:
        document, headers, _, _ = error_document(self.model, self._out, error, request_id)
        headers["Content-Type"] = self.content_type
        return Response(error.status, self.encode(document), headers)

    # -- the body encoding, which the cbor variant replaces

    def decode(self, body: bytes) -> Any:
        if not body.strip():
            return {}
        try:
            return json.loads(body)
        except (ValueError, BadValue) as failure:  # bad UTF-8 and >4,300-digit ints too
            raise self.faults.unreadable(f"not JSON ({failure})") from None
        except RecursionError:
            raise self.faults.unreadable("nested too deeply") from None

    def encode(self, document: Any) -> bytes:
        return json.dumps(document, separators=(",", ":")).encode("utf-8")
