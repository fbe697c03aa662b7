"""The handlers, one module per resource family: every ``@operation`` function of every
module in this package is a handler (``modules_in``), so a new module needs no
registration.

A handler's keyword-only parameters, named exactly as the input shape's members, are
the members it takes; anything else a request carries is refused before the handler
runs. Handlers stay thin: members in, typed model calls, a dict keyed by the output
shape's member names out.
"""

from __future__ import annotations

from cloudmock.plugin_api import RequestContext
from cloudmock_scheduler.models import SchedulerBackend

#: what a handler is given besides its members; ``ctx.backend`` is the backend of the
#: request's account and Region
Ctx = RequestContext[SchedulerBackend]
