"""What happens around every EC2 handler: due transitions, then the call, DryRun or not."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cloudmock.core.errors import DryRunOperation, InternalError
from cloudmock.core.plugin import Call, Params, RequestContext, Result
from cloudmock.services.ec2.dryrun import _dry_run, is_read_only

if TYPE_CHECKING:
    from cloudmock.services.ec2.models.backend import Ec2Backend


def invoke(ctx: RequestContext[Ec2Backend], call: Call, params: Params) -> Result:
    ctx.backend.tick()
    if not params.pop("DryRun", False):
        return call(params)
    token = _dry_run.set(True)
    try:
        call(params)
    finally:
        _dry_run.reset(token)
    if is_read_only(ctx.operation):
        raise DryRunOperation()
    # A mutating handler that never reached commit() is a bug; say so rather than pretend.
    raise InternalError(f"{ctx.operation} did not check DryRun before acting")
