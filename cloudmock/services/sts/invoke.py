"""What happens around every STS handler: the model's constraints, as STS words them."""

from __future__ import annotations

from typing import Any

from cloudmock.core import constraints
from cloudmock.core.plugin import Call, Params, RequestContext, Result


def invoke(ctx: RequestContext[Any], call: Call, params: Params) -> Result:
    constraints.check(ctx.operation_model, params)
    return call(params)
