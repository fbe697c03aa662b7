"""The SSM plugin (Parameter Store), registered through the ``cloudmock.services`` entry point.

Importing this module is cheap: each hook imports what it needs when it is
first called, so handlers, models and botocore's model load on the first SSM
request.
"""

from __future__ import annotations

from collections.abc import Iterable
from types import ModuleType
from typing import TYPE_CHECKING, Any

from cloudmock.core.errors import ServiceError
from cloudmock.core.plugin import BackendEnv, Call, Params, RequestContext, Result, ServicePlugin
from cloudmock.services.ssm.urls import HOST_PATTERNS

if TYPE_CHECKING:
    from cloudmock.services.ssm.models.backend import SsmBackend


def _handler_modules() -> Iterable[ModuleType]:
    from cloudmock.core.plugin import modules_in
    from cloudmock.services.ssm import responses

    return modules_in(responses)


def _backend(env: BackendEnv) -> SsmBackend:
    from cloudmock.services.ssm.models.backend import SsmBackend

    return SsmBackend(env)


def _invoke(ctx: RequestContext[SsmBackend], call: Call, params: Params) -> Result:
    from cloudmock.services.ssm.invoke import invoke

    return invoke(ctx, call, params)


def _dump(backend: SsmBackend) -> Any:
    from cloudmock.services.ssm.models.backend import dump

    return dump(backend)


def refuse(operation: str, member: str) -> ServiceError:
    """A member no handler takes: SSM's modeled ``UnsupportedOperationException`` (HTTP 400).

    Not ``ValidationException``, which SSM answers for input it checked and found wrong: a
    test must never mistake "cloudmock does not model this yet" for AWS refusing its input.
    """
    from cloudmock.services.ssm.models.errors import Unsupported

    return Unsupported(f"cloudmock does not support the parameter {member} of {operation} yet.")


plugin: ServicePlugin[SsmBackend] = ServicePlugin(
    name="ssm",
    handler_modules=_handler_modules,
    backend_factory=_backend,
    host_patterns=HOST_PATTERNS,
    invoker=_invoke,
    dumper=_dump,
    refuse=refuse,
)
