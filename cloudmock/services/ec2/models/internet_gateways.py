"""Internet gateways."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from cloudmock.services.ec2.models.base import Resource, ResourceKind, Store

if TYPE_CHECKING:
    from cloudmock.services.ec2.models.backend import Ec2Backend

INTERNET_GATEWAY = ResourceKind(
    "igw", "internet-gateway", "InvalidInternetGatewayID", "internet gateway ID"
)


@dataclass
class InternetGateway(Resource):
    owner_id: str
    attached_vpc_id: str | None = None


class InternetGateways:
    """The internet-gateway family of one region."""

    def __init__(self, backend: Ec2Backend) -> None:
        self.backend = backend
        self.store: Store[InternetGateway] = backend.new_store(INTERNET_GATEWAY)

    def create(self, attached_vpc_id: str | None = None) -> InternetGateway:
        backend = self.backend
        return self.store.add(
            InternetGateway(
                id=backend.ids.new("igw"),
                owner_id=backend.account_id,
                attached_vpc_id=attached_vpc_id,
            )
        )
