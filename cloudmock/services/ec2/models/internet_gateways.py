"""Internet gateways, egress-only internet gateways and carrier gateways."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cloudmock.core.errors import InvalidParameterValue, ServiceError
from cloudmock.services.ec2.models.base import Resource, ResourceKind, Store
from cloudmock.services.ec2.models.route_tables import MixedCaseKind

if TYPE_CHECKING:
    from cloudmock.services.ec2.models.backend import Ec2Backend
    from cloudmock.services.ec2.shapes import CarrierGateway as CarrierGatewayShape
    from cloudmock.services.ec2.shapes import (
        EgressOnlyInternetGateway as EgressOnlyInternetGatewayShape,
    )
    from cloudmock.services.ec2.shapes import InternetGateway as InternetGatewayShape
    from cloudmock.services.ec2.shapes import VpcEncryptionNonCompliantResource

INTERNET_GATEWAY = MixedCaseKind(
    "igw",
    "internet-gateway",
    "InvalidInternetGatewayID",
    "internetGateway ID",
    malformed_stem="InvalidInternetGatewayId",
)
EGRESS_ONLY_INTERNET_GATEWAY = ResourceKind(
    "eigw",
    "egress-only-internet-gateway",
    "InvalidEgressOnlyInternetGatewayId",
    "egress only internet gateway ID",
)
CARRIER_GATEWAY = ResourceKind(
    "cagw", "carrier-gateway", "InvalidCarrierGatewayID", "carrier gateway ID"
)


@dataclass
class InternetGateway(Resource):
    owner_id: str
    attached_vpc_id: str | None = None

    def describe(self) -> InternetGatewayShape:
        out: InternetGatewayShape = {
            "Attachments": [{"State": "available", "VpcId": self.attached_vpc_id}]
            if self.attached_vpc_id
            else [],
            "InternetGatewayId": self.id,
            "OwnerId": self.owner_id,
        }
        if self.tags:
            out["Tags"] = self.tag_list()
        return out


@dataclass
class EgressOnlyInternetGateway(Resource):
    vpc_id: str

    def describe(self) -> EgressOnlyInternetGatewayShape:
        out: EgressOnlyInternetGatewayShape = {
            "Attachments": [{"State": "attached", "VpcId": self.vpc_id}],
            "EgressOnlyInternetGatewayId": self.id,
        }
        if self.tags:
            out["Tags"] = self.tag_list()
        return out


@dataclass
class CarrierGateway(Resource):
    vpc_id: str
    owner_id: str
    state: str = "pending"
    generation: int = 0

    def describe(self) -> CarrierGatewayShape:
        out: CarrierGatewayShape = {
            "CarrierGatewayId": self.id,
            "VpcId": self.vpc_id,
            "State": self.state,  # type: ignore[typeddict-item]
            "OwnerId": self.owner_id,
        }
        if self.tags:
            out["Tags"] = self.tag_list()
        return out


class InternetGateways:
    """The internet-gateway family of one region (with egress-only and carrier gateways)."""

    def __init__(self, backend: Ec2Backend) -> None:
        self.backend = backend
        self.store: Store[InternetGateway] = backend.new_store(INTERNET_GATEWAY)
        self.store.add_index("vpc", lambda g: g.attached_vpc_id)
        self.egress_only: Store[EgressOnlyInternetGateway] = backend.new_store(
            EGRESS_ONLY_INTERNET_GATEWAY
        )
        self.egress_only.add_index("vpc", lambda g: g.vpc_id)
        self.carrier: Store[CarrierGateway] = backend.new_store(CARRIER_GATEWAY)
        self.carrier.add_index("vpc", lambda g: g.vpc_id)
        #: (kind, ClientToken) -> (vpc id, gateway id): idempotent creates
        self._tokens: dict[tuple[str, str], tuple[str, str]] = {}
        backend.depends_on("vpc", self._vpc_dependents)
        backend.vpcs.controls.encryption_blockers.append(self._encryption_blockers)

    def _encryption_blockers(self, vpc_id: str) -> list[VpcEncryptionNonCompliantResource]:
        """Gateways whose traffic leaves the VPC unencrypted (excludable from enforcement)."""
        out: list[VpcEncryptionNonCompliantResource] = []
        for store, kind, what in (
            (self.store, "internet-gateway", "Internet gateway"),
            (self.egress_only, "egress-only-internet-gateway", "Egress-only internet gateway"),
        ):
            for gateway in store.lookup("vpc", vpc_id):
                if getattr(gateway, "state", "") != "deleted":
                    out.append(
                        {
                            "Id": gateway.id,
                            "Type": kind,
                            "Description": f"{what} {gateway.id}",
                            "IsExcludable": True,
                        }
                    )
        return out

    def _vpc_dependents(self, vpc_id: str) -> str | None:
        for store in (self.store, self.egress_only, self.carrier):
            found = [g for g in store.lookup("vpc", vpc_id) if getattr(g, "state", "") != "deleted"]
            if found:
                return f"gateway {found[0].id}"
        return None

    def token_result(self, kind: str, token: str | None, vpc_id: str) -> str | None:
        """The gateway an earlier create with this ClientToken made, if any."""
        if not token:
            return None
        earlier = self._tokens.get((kind, token))
        if earlier is None:
            return None
        if earlier[0] != vpc_id:
            raise ServiceError(
                f"Client token '{token}' was used with different parameters.",
                code="IdempotentParameterMismatch",
            )
        return earlier[1]

    def remember_token(self, kind: str, token: str | None, vpc_id: str, gateway_id: str) -> None:
        if token:
            self._tokens[(kind, token)] = (vpc_id, gateway_id)

    # -- internet gateways

    def create(
        self, attached_vpc_id: str | None = None, *, tags: dict[str, str] | None = None
    ) -> InternetGateway:
        backend = self.backend
        return self.store.add(
            InternetGateway(
                id=backend.ids.new("igw"),
                owner_id=backend.account_id,
                attached_vpc_id=attached_vpc_id,
                tags=tags or {},
            )
        )

    def attached_to(self, vpc_id: str) -> InternetGateway | None:
        found = self.store.lookup("vpc", vpc_id)
        return found[0] if found else None

    def check_attach(self, gateway_id: str, vpc_id: str) -> tuple[InternetGateway, str]:
        gateway = self.store.get(gateway_id)
        vpc = self.backend.vpcs.vpcs.get(vpc_id)
        if gateway.attached_vpc_id is not None:
            raise ServiceError(
                f"resource {gateway.id} is already attached to network {gateway.attached_vpc_id}",
                code="Resource.AlreadyAssociated",
            )
        if self.attached_to(vpc.id) is not None:
            raise InvalidParameterValue(
                f"Network {vpc.id} already has an internet gateway attached"
            )
        return gateway, vpc.id

    def attach(self, gateway: InternetGateway, vpc_id: str) -> None:
        gateway.attached_vpc_id = vpc_id
        self.store.reindex(gateway)

    def check_detach(self, gateway_id: str, vpc_id: str) -> InternetGateway:
        gateway = self.store.get(gateway_id)
        if vpc_id not in self.backend.vpcs.vpcs:
            self.backend.vpcs.vpcs.get(vpc_id)
        if gateway.attached_vpc_id != vpc_id:
            raise ServiceError(
                f"resource {gateway.id} is not attached to network {vpc_id}",
                code="Gateway.NotAttached",
            )
        if self._has_public_addresses(vpc_id):
            raise ServiceError(
                f"Network {vpc_id} has some mapped public address(es). Please unmap those "
                "public address(es) before detaching the gateway.",
                code="DependencyViolation",
            )
        return gateway

    def _has_public_addresses(self, vpc_id: str) -> bool:
        backend = self.backend
        if backend.addresses.mapped_in_vpc(vpc_id):
            return True
        # an interface with an auto-assigned public address (a launched instance's)
        interfaces = backend.network_interfaces
        try:
            in_vpc = interfaces.lookup("vpc", vpc_id)
        except KeyError:  # the interface store is made after this family: index it on first use
            interfaces.add_index("vpc", lambda eni: eni.vpc_id)
            in_vpc = interfaces.lookup("vpc", vpc_id)
        return any(eni.public_ip for eni in in_vpc)

    def detach(self, gateway: InternetGateway) -> None:
        gateway.attached_vpc_id = None
        self.store.reindex(gateway)

    def check_delete(self, gateway_id: str) -> InternetGateway:
        gateway = self.store.get(gateway_id)
        if gateway.attached_vpc_id is not None:
            raise ServiceError(
                f"The internetGateway '{gateway.id}' has dependencies and cannot be deleted.",
                code="DependencyViolation",
            )
        return gateway

    def delete(self, gateway: InternetGateway) -> None:
        self.store.remove(gateway.id)

    # -- egress-only internet gateways

    def check_vpc(self, vpc_id: str) -> str:
        return self.backend.vpcs.vpcs.get(vpc_id).id

    def create_egress_only(self, vpc_id: str, tags: dict[str, str]) -> EgressOnlyInternetGateway:
        return self.egress_only.add(
            EgressOnlyInternetGateway(id=self.backend.ids.new("eigw"), vpc_id=vpc_id, tags=tags)
        )

    def delete_egress_only(self, gateway: EgressOnlyInternetGateway) -> None:
        self.egress_only.remove(gateway.id)

    # -- carrier gateways: pending -> available, deleting -> deleted, on the clock

    def create_carrier(self, vpc_id: str, tags: dict[str, str]) -> CarrierGateway:
        backend = self.backend
        gateway = self.carrier.add(
            CarrierGateway(
                id=backend.ids.new("cagw"), vpc_id=vpc_id, owner_id=backend.account_id, tags=tags
            )
        )
        backend.schedule(backend.options.transition_delay, gateway, self._carrier_available)
        return gateway

    def _carrier_available(self, gateway: Any) -> None:
        gateway.state = "available"
        gateway.generation += 1

    def check_delete_carrier(self, gateway_id: str) -> CarrierGateway:
        gateway = self.carrier.get(gateway_id)
        if gateway.state in ("deleting", "deleted"):
            raise ServiceError(
                f"The carrier gateway '{gateway.id}' is {gateway.state}.",
                code="IncorrectState",
            )
        return gateway

    def delete_carrier(self, gateway: CarrierGateway) -> None:
        backend = self.backend
        gateway.state = "deleting"
        gateway.generation += 1
        backend.schedule(backend.options.transition_delay, gateway, self._carrier_deleted)

    def _carrier_deleted(self, gateway: Any) -> None:
        gateway.state = "deleted"
        gateway.generation += 1
        # deleted gateways stay visible for a while, as EC2 shows them
        self.backend.schedule(
            self.backend.options.terminated_retention, gateway, self._carrier_forget
        )

    def _carrier_forget(self, gateway: Any) -> None:
        self.carrier.remove(gateway.id)


INTERNET_GATEWAY_FILTERS = {
    "attachment.state": lambda g: "available" if g.attached_vpc_id else None,
    "attachment.vpc-id": lambda g: g.attached_vpc_id,
    "internet-gateway-id": lambda g: g.id,
    "owner-id": lambda g: g.owner_id,
}

CARRIER_GATEWAY_FILTERS = {
    "carrier-gateway-id": lambda g: g.id,
    "owner-id": lambda g: g.owner_id,
    "state": lambda g: g.state,
    "vpc-id": lambda g: g.vpc_id,
}
