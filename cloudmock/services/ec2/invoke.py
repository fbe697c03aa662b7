"""What happens around every EC2 handler: due transitions, refused parameters, DryRun."""

from __future__ import annotations

from typing import Any

from cloudmock.core.errors import DryRunOperation, UnsupportedParameter
from cloudmock.core.plugin import Handler, Params, RequestContext, Result, handler_options


def invoke(ctx: RequestContext, handler: Handler, params: Params) -> Result:
    ctx.backend.tick()
    accepts = handler_options(handler).get("accepts")
    if accepts is not None:
        for name, value in params.items():
            # A documented parameter left at its AWS default changes nothing; any other is refused.
            if name not in accepts and name != "DryRun" and _given(value):
                raise UnsupportedParameter(ctx.operation, name)
    if params.pop("DryRun", False):
        raise DryRunOperation()
    return handler(ctx, params)


def _given(value: Any) -> bool:
    if isinstance(value, dict):
        # e.g. HibernationOptions={"Configured": False}: every member at its default
        return any(_given(member) for member in value.values())
    return value not in (None, False, "", [], {}, 0)
