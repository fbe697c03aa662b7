"""The instance family's own resources beside instances: one object on the backend."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cloudmock.services.ec2.models.instance_profiles import ProfileAssociations

if TYPE_CHECKING:
    from cloudmock.services.ec2.models.backend import Ec2Backend


class InstanceServices:
    """IAM instance profile associations, event windows, connect endpoints, ..."""

    def __init__(self, backend: Ec2Backend) -> None:
        self.profiles = ProfileAssociations(backend)
