"""The cloudmock-example plugin object.

Importing this module must stay cheap: cloudmock imports it when the service is
first asked for, but each hook imports the handlers, the backend and the
service model only when it is first called, on the first request.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from cloudmock.plugin_api import BackendEnv, ServicePlugin

if TYPE_CHECKING:
    from cloudmock_example.backend import WidgetBackend

#: Where the plugin's own botocore model lives (``example/2024-01-01/service-2.json``).
#: Put it on ``AWS_DATA_PATH`` so that boto3 can build an ``example`` client too.
DATA_PATH = str(Path(__file__).parent / "data")


def _handler_modules() -> Iterable[ModuleType]:
    from cloudmock_example import handlers

    return (handlers,)


def _backend(env: BackendEnv) -> WidgetBackend:
    from cloudmock_example.backend import WidgetBackend

    return WidgetBackend(env)


def _dump(backend: WidgetBackend) -> Any:
    from cloudmock_example.backend import dump

    return dump(backend)


plugin: ServicePlugin[WidgetBackend] = ServicePlugin(
    name="example",
    handler_modules=_handler_modules,
    backend_factory=_backend,
    host_patterns=(
        r"^example\.(?P<region>[a-z]{2}(?:-gov)?-[a-z]+-\d+)\.amazonaws\.com(?::\d+)?$",
    ),
    dumper=_dump,
    # botocore does not ship this service: its model comes from the plugin's own data folder
    model_path=DATA_PATH,
)
