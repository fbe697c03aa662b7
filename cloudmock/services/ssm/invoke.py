"""What happens around every SSM handler: due policies, then list lengths.

The list-length check is a stopgap: the model bounds lists (``GetParameters``
takes at most 10 names) and SSM refuses longer ones with ``ValidationException``,
but the json codec checks only scalars today. Remove it once the codec checks
list lengths itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cloudmock.core.errors import ServiceError
from cloudmock.core.plugin import Call, Params, RequestContext, Result

if TYPE_CHECKING:
    from botocore.model import Shape

    from cloudmock.services.ssm.models.backend import SsmBackend


def invoke(ctx: RequestContext[SsmBackend], call: Call, params: Params) -> Result:
    shape = ctx.operation_model.input_shape
    if shape is not None:
        _check_lists(shape, params, "")
    ctx.backend.tick()
    return call(params)


def _check_lists(shape: Shape, value: Any, path: str) -> None:
    kind = shape.type_name
    if kind == "structure" and isinstance(value, dict):
        members = shape.members  # type: ignore[attr-defined]
        for name, item in value.items():
            if name in members and item is not None:
                _check_lists(members[name], item, f"{path}.{name}" if path else name)
    elif kind == "list" and isinstance(value, list):
        low, high = shape.metadata.get("min"), shape.metadata.get("max")
        if (low is not None and len(value) < low) or (high is not None and len(value) > high):
            bound = (
                f"between {low} and {high}"
                if low is not None and high is not None
                else f"greater than or equal to {low}"
                if low is not None
                else f"less than or equal to {high}"
            )
            raise ServiceError(
                f"1 validation error detected: Value '{value}' at '{path}' failed to satisfy "
                f"constraint: Member must have length {bound}",
                code="ValidationException",
            )
        member = shape.member  # type: ignore[attr-defined]
        for index, item in enumerate(value, 1):
            if item is not None:
                _check_lists(member, item, f"{path}.{index}")
