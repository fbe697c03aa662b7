"""What happens around every IAM handler.

IAM returns policy documents URL-encoded. Every output member whose shape is
``policyDocumentType`` is encoded here, once, from the model: exactly the members
botocore decodes again (its ``json_decode_policies``), so handlers deal in plain JSON.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from cloudmock.core.plugin import Call, Params, RequestContext, Result

if TYPE_CHECKING:
    from botocore.model import OperationModel, Shape

DOCUMENT_SHAPE = "policyDocumentType"

#: a path through the output to the documents: member names, "[]" for every list item
Path = tuple[str, ...]
_paths: dict[str, list[Path]] = {}
_lock = threading.Lock()


def _document_paths(
    shape: Shape, prefix: Path = (), seen: frozenset[str] = frozenset()
) -> list[Path]:
    if shape.type_name == "string" and shape.name == DOCUMENT_SHAPE:
        return [prefix]
    if shape.type_name == "list":
        return _document_paths(shape.member, (*prefix, "[]"), seen)  # type: ignore[attr-defined]
    if shape.type_name == "structure" and shape.name not in seen:
        found: list[Path] = []
        for name, member in shape.members.items():  # type: ignore[attr-defined]
            found.extend(_document_paths(member, (*prefix, name), seen | {shape.name}))
        return found
    return []


def document_paths(operation: OperationModel) -> list[Path]:
    paths = _paths.get(operation.name)
    if paths is None:
        shape = operation.output_shape
        paths = _document_paths(shape) if shape is not None else []
        with _lock:
            _paths[operation.name] = paths
    return paths


def encode_documents(value: Any, path: Path) -> Any:
    """``value`` with the documents along ``path`` URL-encoded (a copy where they change)."""
    if not path:
        return quote(value, safe="") if isinstance(value, str) else value
    step, rest = path[0], path[1:]
    if step == "[]":
        return (
            [encode_documents(item, rest) for item in value] if isinstance(value, list) else value
        )
    if isinstance(value, dict) and step in value:
        return {**value, step: encode_documents(value[step], rest)}
    return value


def invoke(ctx: RequestContext[Any], call: Call, params: Params) -> Result:
    result = call(params)
    if result:
        for path in document_paths(ctx.operation_model):
            result = encode_documents(result, path)
    return result
