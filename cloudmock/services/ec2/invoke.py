"""What happens around every EC2 handler: due transitions, then DryRun."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cloudmock.core.errors import DryRunOperation
from cloudmock.core.plugin import Call, Params, RequestContext, Result

if TYPE_CHECKING:
    from cloudmock.services.ec2.models.backend import Ec2Backend


def invoke(ctx: RequestContext[Ec2Backend], call: Call, params: Params) -> Result:
    ctx.backend.tick()
    if params.pop("DryRun", False):
        raise DryRunOperation()
    return call(params)
