"""Around every handler: what the clock made due, and ``ClientToken`` idempotency.

The model's constraints (lengths, ranges, patterns, list sizes) are cloudmock's rest-json
codec's to check, before the invoker runs.

``ClientToken`` is a *common member* of the plugin (``ServicePlugin.common_members``):
the five operations that have one share this code instead of each handler taking it.
A request repeating an earlier one's token and members gets the earlier result again,
without changing anything; the same token with other members is a ``ConflictException``.
botocore fills in a fresh token for every call that gives none, so only callers that
set one on purpose ever meet this.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

from cloudmock.plugin_api import Call, Params, RequestContext, Result
from cloudmock_scheduler.errors import ConflictException

if TYPE_CHECKING:
    from cloudmock_scheduler.models import SchedulerBackend

CLIENT_TOKEN = "ClientToken"


def invoke(ctx: RequestContext[SchedulerBackend], call: Call, params: Params) -> Result:
    backend = ctx.backend
    backend.settle()
    token = params.pop(CLIENT_TOKEN, None)
    if token is None:
        return call(params)
    key = (ctx.operation, token)
    seen = backend.client_tokens.get(key)
    if seen is not None:
        members, result = seen
        if members != params:
            raise ConflictException(
                f"The ClientToken {token} was already used for a {ctx.operation} request "
                "with other parameters."
            )
        replay: Result = copy.deepcopy(result)
        return replay
    result = call(params)
    backend.client_tokens[key] = (copy.deepcopy(params), copy.deepcopy(result))
    return result
