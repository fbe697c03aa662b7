"""cloudmock-scheduler: Amazon EventBridge Scheduler for cloudmock, as a stand-alone plugin.

cloudmock imports this module (through the ``cloudmock.services`` entry point
``scheduler = "cloudmock_scheduler:plugin"``) the first time a request for the service
arrives or ``cloudmock services`` checks it. Keep it cheap: each hook below imports the
handlers, the backend or the options only when it is first called, and the service
model is botocore's own, loaded by cloudmock on the first request.

Everything here is written against :mod:`cloudmock.plugin_api` only.
"""

from __future__ import annotations

from collections.abc import Iterable
from types import ModuleType
from typing import TYPE_CHECKING, Any

from cloudmock.plugin_api import BackendEnv, Call, Params, RequestContext, Result, ServicePlugin
from cloudmock_scheduler.errors import refuse

if TYPE_CHECKING:
    from cloudmock_scheduler.models import SchedulerBackend

__version__ = "0.1.0"

#: unsigned requests to these hosts are Scheduler's; the group names the Region
HOST_PATTERNS = (
    r"^scheduler\.(?P<region>[a-z]{2}(?:-[a-z]+)+-\d+)\.amazonaws\.com(?:\.cn)?(?::\d+)?$",
    r"^scheduler-fips\.(?P<region>[a-z]{2}(?:-[a-z]+)+-\d+)\.amazonaws\.com(?::\d+)?$",
)


def _handler_modules() -> Iterable[ModuleType]:
    from cloudmock.plugin_api import modules_in
    from cloudmock_scheduler import handlers

    return modules_in(handlers)


def _backend(env: BackendEnv) -> SchedulerBackend:
    from cloudmock_scheduler.models import SchedulerBackend

    return SchedulerBackend(env)


def _invoke(ctx: RequestContext[SchedulerBackend], call: Call, params: Params) -> Result:
    from cloudmock_scheduler.invoke import invoke

    return invoke(ctx, call, params)


def _dump(backend: SchedulerBackend) -> Any:
    from cloudmock_scheduler.models import dump

    return dump(backend)


def _check_options(raw: dict[str, Any]) -> object:
    from cloudmock_scheduler.options import SchedulerOptions

    return SchedulerOptions.from_dict(raw)


plugin: ServicePlugin[SchedulerBackend] = ServicePlugin(
    # botocore's service name: the model is botocore's, the SigV4 signing name the same
    name="scheduler",
    handler_modules=_handler_modules,
    backend_factory=_backend,
    host_patterns=HOST_PATTERNS,
    invoker=_invoke,
    # taken by the invoker for all five operations that have it (idempotency)
    common_members=frozenset({"ClientToken"}),
    dumper=_dump,
    options_checker=_check_options,
    refuse=refuse,
)
