"""The instance family's own resources beside instances: one object on the backend."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cloudmock.services.ec2.models.instance_connect import ConnectEndpoints
from cloudmock.services.ec2.models.instance_events import InstanceEvents
from cloudmock.services.ec2.models.instance_profiles import ProfileAssociations
from cloudmock.services.ec2.models.instance_sql_ha import SqlHa

if TYPE_CHECKING:
    from cloudmock.services.ec2.models.backend import Ec2Backend


class InstanceServices:
    """IAM instance profile associations, event windows and notification attributes,
    Instance Connect Endpoints, SQL Server HA standby detection."""

    def __init__(self, backend: Ec2Backend) -> None:
        self.profiles = ProfileAssociations(backend)
        self.events = InstanceEvents(backend)
        self.connect_endpoints = ConnectEndpoints(backend)
        self.sql_ha = SqlHa(backend)
