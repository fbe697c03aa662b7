"""The STS plugin: who is calling, and temporary credentials that act in a role's account.

Registered through the ``cloudmock.services`` entry point like EC2. Importing this
module is cheap: handlers, models and botocore's model load on the first STS request.
"""

from __future__ import annotations

from collections.abc import Iterable
from types import ModuleType
from typing import TYPE_CHECKING, Any

from cloudmock.core.plugin import BackendEnv, ServicePlugin
from cloudmock.services.sts.urls import HOST_PATTERNS

if TYPE_CHECKING:
    from cloudmock.services.sts.models.backend import StsBackend


def _handler_modules() -> Iterable[ModuleType]:
    from cloudmock.core.plugin import modules_in
    from cloudmock.services.sts import responses

    return modules_in(responses)


def _backend(env: BackendEnv) -> StsBackend:
    from cloudmock.services.sts.models.backend import StsBackend

    return StsBackend(env)


def _dump(backend: StsBackend) -> Any:
    return backend.dump()


def _check_options(raw: dict[str, Any]) -> object:
    from cloudmock.services.sts.options import StsOptions

    return StsOptions.from_dict(raw)


plugin: ServicePlugin[StsBackend] = ServicePlugin(
    name="sts",
    handler_modules=_handler_modules,
    backend_factory=_backend,
    host_patterns=HOST_PATTERNS,
    dumper=_dump,
    options_checker=_check_options,
)
