"""The cloudmock-example plugin object.

Importing this module must stay cheap: cloudmock imports it when the service is
first asked for, but the handlers, the backend and the service model are only
imported on the first request.
"""

from __future__ import annotations

from pathlib import Path

from cloudmock.core.plugin import ServicePlugin

#: Where the plugin's own botocore model lives (``example/2024-01-01/service-2.json``).
#: Put it on ``AWS_DATA_PATH`` so that boto3 can build an ``example`` client too.
DATA_PATH = str(Path(__file__).parent / "data")


plugin = ServicePlugin(
    name="example",
    handler_modules=("cloudmock_example.handlers",),
    backend_factory="cloudmock_example.backend:WidgetBackend",
    host_patterns=(
        r"^example\.(?P<region>[a-z]{2}(?:-gov)?-[a-z]+-\d+)\.amazonaws\.com(?::\d+)?$",
    ),
    dumper="cloudmock_example.backend:dump",
    # botocore does not ship this service: its model comes from the plugin's own data folder
    model_path=DATA_PATH,
)
