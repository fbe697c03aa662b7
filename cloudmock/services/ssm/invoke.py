"""What happens around every SSM handler: policies that are due (Expiration) apply first."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cloudmock.core.plugin import Call, Params, RequestContext, Result

if TYPE_CHECKING:
    from cloudmock.services.ssm.models.backend import SsmBackend


def invoke(ctx: RequestContext[SsmBackend], call: Call, params: Params) -> Result:
    ctx.backend.tick()
    return call(params)
