"""The IAM plugin: roles, instance profiles, managed and inline policies.

IAM is a global service: ``global_region`` makes one backend per account answer
every region (clients sign IAM requests for us-east-1 whatever their region).
Registered through the ``cloudmock.services`` entry point like EC2; importing this
module is cheap.
"""

from __future__ import annotations

from collections.abc import Iterable
from types import ModuleType
from typing import TYPE_CHECKING, Any

from cloudmock.core.plugin import BackendEnv, Call, Params, RequestContext, Result, ServicePlugin
from cloudmock.services.iam.urls import HOST_PATTERNS

if TYPE_CHECKING:
    from cloudmock.services.iam.models.backend import IamBackend


def _handler_modules() -> Iterable[ModuleType]:
    from cloudmock.core.plugin import modules_in
    from cloudmock.services.iam import responses

    return modules_in(responses)


def _backend(env: BackendEnv) -> IamBackend:
    from cloudmock.services.iam.models.backend import IamBackend

    return IamBackend(env)


def _invoke(ctx: RequestContext[IamBackend], call: Call, params: Params) -> Result:
    from cloudmock.services.iam.invoke import invoke

    return invoke(ctx, call, params)


def _dump(backend: IamBackend) -> Any:
    return backend.dump()


plugin: ServicePlugin[IamBackend] = ServicePlugin(
    name="iam",
    handler_modules=_handler_modules,
    backend_factory=_backend,
    host_patterns=HOST_PATTERNS,
    invoker=_invoke,
    dumper=_dump,
    global_region="us-east-1",
)
