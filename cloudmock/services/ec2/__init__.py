"""The EC2 plugin, registered through the ``cloudmock.services`` entry point like any other.

Importing this module is cheap: handlers, models and botocore's model load on
the first EC2 request.
"""

from cloudmock.core.plugin import ServicePlugin
from cloudmock.services.ec2.urls import HOST_PATTERNS

_RESPONSES = "cloudmock.services.ec2.responses"

plugin = ServicePlugin(
    name="ec2",
    handler_modules=(
        f"{_RESPONSES}.regions",
        f"{_RESPONSES}.vpcs",
        f"{_RESPONSES}.security_groups",
        f"{_RESPONSES}.instances",
        f"{_RESPONSES}.tags",
    ),
    backend_factory="cloudmock.services.ec2.models.backend:create_backend",
    host_patterns=HOST_PATTERNS,
    invoker="cloudmock.services.ec2.invoke:invoke",
    dumper="cloudmock.services.ec2.models.backend:dump",
    options="cloudmock.services.ec2.options:Ec2Options",
)
