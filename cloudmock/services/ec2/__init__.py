"""The EC2 plugin, registered through the ``cloudmock.services`` entry point like any other.

Importing this module is cheap: each hook imports what it needs when it is
first called, so handlers, models and botocore's model load on the first EC2
request (the invoker, which needs none of them, is imported with it).
"""

from __future__ import annotations

from collections.abc import Iterable
from types import ModuleType
from typing import TYPE_CHECKING, Any

from cloudmock.core.plugin import BackendEnv, ServicePlugin

# the invoker runs around every request and imports nothing heavy (unlike the handlers and
# models): imported here, it is called directly rather than through a hook that imports it
from cloudmock.services.ec2.invoke import invoke
from cloudmock.services.ec2.urls import HOST_PATTERNS

if TYPE_CHECKING:
    from cloudmock.services.ec2.models.backend import Ec2Backend


def _handler_modules() -> Iterable[ModuleType]:
    from cloudmock.core.plugin import modules_in
    from cloudmock.services.ec2 import responses

    return modules_in(responses)


def _backend(env: BackendEnv) -> Ec2Backend:
    from cloudmock.services.ec2.models.backend import Ec2Backend

    return Ec2Backend(env)


def _dump(backend: Ec2Backend) -> Any:
    from cloudmock.services.ec2.models.backend import dump

    return dump(backend)


def _check_options(raw: dict[str, Any]) -> object:
    from cloudmock.services.ec2.options import Ec2Options

    return Ec2Options.from_dict(raw)


plugin: ServicePlugin[Ec2Backend] = ServicePlugin(
    name="ec2",
    handler_modules=_handler_modules,
    backend_factory=_backend,
    host_patterns=HOST_PATTERNS,
    invoker=invoke,
    common_members=frozenset({"DryRun"}),
    dumper=_dump,
    options_checker=_check_options,
)
