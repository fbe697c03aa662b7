"""The cloudmock-example plugin object.

Importing this module must stay cheap: cloudmock imports it when the service is
first asked for, but the handlers, the backend and the service model are only
imported on the first request.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from cloudmock.core.plugin import ServicePlugin

if TYPE_CHECKING:
    from botocore.model import ServiceModel

#: Where the plugin's own botocore model lives (``example/2024-01-01/service-2.json``).
#: Put it on ``AWS_DATA_PATH`` so that boto3 can build an ``example`` client too.
DATA_PATH = str(Path(__file__).parent / "data")


class ExamplePlugin(ServicePlugin):
    """A plugin for a service botocore does not ship, so the model comes from DATA_PATH.

    A plugin for a service botocore *does* ship needs no subclass: a plain
    ``ServicePlugin(name=...)`` loads botocore's own model for ``name``.
    """

    @property
    def service_model(self) -> ServiceModel:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    from botocore.loaders import Loader
                    from botocore.model import ServiceModel

                    loader = Loader(extra_search_paths=[DATA_PATH])
                    data = loader.load_service_model(self.name, "service-2")
                    self._model = ServiceModel(data, service_name=self.name)
        return self._model


plugin = ExamplePlugin(
    name="example",
    handler_modules=("cloudmock_example.handlers",),
    backend_factory="cloudmock_example.backend:WidgetBackend",
    host_patterns=(
        r"^example\.(?P<region>[a-z]{2}(?:-gov)?-[a-z]+-\d+)\.amazonaws\.com(?::\d+)?$",
    ),
    dumper="cloudmock_example.backend:dump",
)
