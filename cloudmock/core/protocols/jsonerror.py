"""The error document of the JSON family (json, rest-json, rpc-v2-cbor), built in one place.

``{"__type": code, "message": text, ...modeled members}``, the code again in
``X-Amzn-Errortype``, and for ``awsQueryCompatible`` services the query-era code in
``x-amzn-query-error: Code;Sender`` (botocore reports that one as the error code).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cloudmock.core.protocols.base import error_fields, error_shape, message_member, sender_fault
from cloudmock.core.protocols.jsonvalue import JsonOutCompiler, StructOut

if TYPE_CHECKING:
    from botocore.model import ServiceModel, Shape

    from cloudmock.core.errors import ServiceError


def error_document(
    model: ServiceModel, writer: JsonOutCompiler, error: ServiceError, request_id: str
) -> tuple[dict[str, Any], dict[str, str], Shape | None, dict[str, Any]]:
    """(body document, headers, the error's shape, its modeled fields)."""
    shape = error_shape(model, error)
    fields = error_fields(error, shape)
    document: dict[str, Any] = {}
    if shape is not None and fields:
        plan = writer.plan(shape)
        if isinstance(plan, StructOut):
            document.update(plan.write(fields))
    query_compatible = "awsQueryCompatible" in model.metadata
    error_type = shape.name if (query_compatible and shape is not None) else error.code
    document["__type"] = error_type
    if message_member(shape) is None:
        document["message"] = error.message
    headers = {"x-amzn-RequestId": request_id, "X-Amzn-Errortype": error_type}
    if query_compatible:
        fault = "Sender" if sender_fault(error, shape) else "Receiver"
        headers["x-amzn-query-error"] = f"{error.code};{fault}"
    return document, headers, shape, fields
