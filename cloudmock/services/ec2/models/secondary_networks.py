"""Secondary networks (RDMA) and their secondary subnets."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cloudmock.core.errors import InvalidParameterValue, ServiceError
from cloudmock.services.ec2.dryrun import commit
from cloudmock.services.ec2.models.base import Resource, ResourceKind, Store
from cloudmock.services.ec2.models.regions import Zone
from cloudmock.services.ec2.models.vpcs import parse_ipv4_cidr

if TYPE_CHECKING:
    from cloudmock.services.ec2.models.backend import Ec2Backend
    from cloudmock.services.ec2.shapes import SecondaryNetwork as NetworkShape
    from cloudmock.services.ec2.shapes import SecondarySubnet as SubnetShape

SECONDARY_NETWORK = ResourceKind(
    "sn", "secondary-network", "InvalidSecondaryNetworkId", "secondary network ID"
)
SECONDARY_SUBNET = ResourceKind(
    "ss", "secondary-subnet", "InvalidSecondarySubnetId", "secondary subnet ID"
)

#: documented quotas (both adjustable): networks per region, subnets per network
MAX_NETWORKS = 5
MAX_SUBNETS = 200


def _cidr(value: str) -> ipaddress.IPv4Network:
    network = parse_ipv4_cidr(value, "ipv4CidrBlock")
    if not 12 <= network.prefixlen <= 28:
        raise InvalidParameterValue(
            f"The CIDR '{value}' is invalid: the block size must be between /12 and /28."
        )
    return network


@dataclass
class SecondaryNetwork(Resource):
    owner_id: str
    region: str
    cidr: str
    association_id: str
    type: str = "rdma"
    state: str = "create-in-progress"
    cidr_state: str = "associating"
    generation: int = 0

    @property
    def arn(self) -> str:
        return f"arn:aws:ec2:{self.region}:{self.owner_id}:secondary-network/{self.id}"

    def describe(self) -> NetworkShape:
        out: NetworkShape = {
            "SecondaryNetworkId": self.id,
            "SecondaryNetworkArn": self.arn,
            "OwnerId": self.owner_id,
            "Type": self.type,
            "State": self.state,
            "Ipv4CidrBlockAssociations": [
                {
                    "AssociationId": self.association_id,
                    "CidrBlock": self.cidr,
                    "State": self.cidr_state,
                }
            ],
        }
        if self.tags:
            out["Tags"] = self.tag_list()
        return out


@dataclass
class SecondarySubnet(Resource):
    network_id: str
    network_type: str
    owner_id: str
    region: str
    zone: Zone
    cidr: str
    association_id: str
    state: str = "create-in-progress"
    cidr_state: str = "associating"
    generation: int = 0
    used_ips: set[str] = field(default_factory=set, repr=False)

    @property
    def arn(self) -> str:
        return f"arn:aws:ec2:{self.region}:{self.owner_id}:secondary-subnet/{self.id}"

    def describe(self) -> SubnetShape:
        out: SubnetShape = {
            "SecondarySubnetId": self.id,
            "SecondarySubnetArn": self.arn,
            "SecondaryNetworkId": self.network_id,
            "SecondaryNetworkType": self.network_type,
            "OwnerId": self.owner_id,
            "AvailabilityZoneId": self.zone.zone_id,
            "AvailabilityZone": self.zone.name,
            "Ipv4CidrBlockAssociations": [
                {
                    "AssociationId": self.association_id,
                    "CidrBlock": self.cidr,
                    "State": self.cidr_state,
                }
            ],
            "State": self.state,
        }
        if self.tags:
            out["Tags"] = self.tag_list()
        return out


def _created(resource: Any) -> None:
    if resource.state == "create-in-progress":
        resource.state = "create-complete"
        resource.cidr_state = "associated"


class SecondaryNetworks:
    """The secondary networks of one region."""

    def __init__(self, backend: Ec2Backend) -> None:
        self.backend = backend
        self.networks: Store[SecondaryNetwork] = backend.new_store(SECONDARY_NETWORK)
        self.subnets: Store[SecondarySubnet] = backend.new_store(SECONDARY_SUBNET)
        self.subnets.add_index("network", lambda s: s.network_id)
        #: ClientToken -> the id made for it, per operation
        self.tokens: dict[tuple[str, str], tuple[tuple[Any, ...], str]] = {}

    def _later(self, resource: Resource, action: Callable[[Any], None]) -> None:
        self.backend.schedule(self.backend.options.transition_delay, resource, action)

    def _replay(self, operation: str, token: str | None, request: tuple[Any, ...]) -> str | None:
        if token is None or (operation, token) not in self.tokens:
            return None
        asked, made = self.tokens[(operation, token)]
        if asked != request:
            raise ServiceError(
                "The client token you have provided is associated with a resource that "
                "is already deleted or was created with different parameters.",
                code="IdempotentParameterMismatch",
            )
        return made

    def create_network(
        self, cidr: str, network_type: str, tags: Mapping[str, str], token: str | None
    ) -> SecondaryNetwork:
        request = (cidr, network_type, tuple(sorted(tags.items())))
        replayed = self._replay("network", token, request)
        if replayed is not None and replayed in self.networks:
            commit()
            return self.networks.get(replayed)
        network = _cidr(cidr)
        if network_type != "rdma":
            raise InvalidParameterValue(
                f"Value ({network_type}) for parameter networkType is invalid. Valid values: rdma"
            )
        live = [n for n in self.networks if not n.state.startswith("delete")]
        if len(live) >= MAX_NETWORKS:
            raise ServiceError(
                f"You have reached the maximum number of secondary networks ({MAX_NETWORKS}).",
                code="SecondaryNetworkLimitExceeded",
            )
        commit()
        backend = self.backend
        made = self.networks.add(
            SecondaryNetwork(
                id=backend.ids.new("sn"),
                owner_id=backend.account_id,
                region=backend.region,
                cidr=str(network),
                association_id=backend.ids.new("sn-cidr-assoc"),
                type=network_type,
                tags=dict(tags),
            )
        )
        if token is not None:
            self.tokens[("network", token)] = (request, made.id)
        self._later(made, _created)
        return made

    def delete_network(self, network_id: str) -> SecondaryNetwork:
        network = self.networks.get(network_id)
        if self._live_subnets(network_id) or self.backend.dependents(network_id):
            raise ServiceError(
                f"The secondary network '{network_id}' has dependencies and cannot be deleted.",
                code="DependencyViolation",
            )
        commit()
        if not network.state.startswith("delete"):
            network.state = "delete-in-progress"
            network.cidr_state = "disassociating"
            network.generation += 1
            self._later(network, self._drop_network)
        return network

    # Deleted ones stay visible as delete-complete for a while, as EC2 shows them (the
    # *_delete_complete waiters wait for that state), and are forgotten after the retention.

    def _live_subnets(self, network_id: str) -> list[SecondarySubnet]:
        return [
            s for s in self.subnets.lookup("network", network_id) if s.state != "delete-complete"
        ]

    def _drop_network(self, network: SecondaryNetwork) -> None:
        network.state = "delete-complete"
        network.cidr_state = "disassociated"
        self.backend.schedule(
            self.backend.options.terminated_retention, network, self._forget_network
        )

    def _forget_network(self, network: SecondaryNetwork) -> None:
        self.networks.remove(network.id)

    def _drop_subnet(self, subnet: SecondarySubnet) -> None:
        subnet.state = "delete-complete"
        subnet.cidr_state = "disassociated"
        self.backend.schedule(
            self.backend.options.terminated_retention, subnet, self._forget_subnet
        )

    def _forget_subnet(self, subnet: SecondarySubnet) -> None:
        self.subnets.remove(subnet.id)

    def create_subnet(
        self, network_id: str, cidr: str, zone: Zone, tags: Mapping[str, str], token: str | None
    ) -> SecondarySubnet:
        request = (network_id, cidr, zone.name, tuple(sorted(tags.items())))
        replayed = self._replay("subnet", token, request)
        if replayed is not None and replayed in self.subnets:
            commit()
            return self.subnets.get(replayed)
        network = self.networks.get(network_id)
        if network.state.startswith("delete"):
            raise ServiceError(
                f"The secondary network '{network_id}' is being deleted.", code="IncorrectState"
            )
        block = _cidr(cidr)
        if not block.subnet_of(ipaddress.IPv4Network(network.cidr)):
            raise InvalidParameterValue(
                f"The CIDR '{cidr}' is not within the CIDR block {network.cidr} of secondary "
                f"network '{network_id}'."
            )
        siblings = self._live_subnets(network_id)
        for other in siblings:
            if block.overlaps(ipaddress.IPv4Network(other.cidr)):
                raise ServiceError(
                    f"The CIDR '{cidr}' conflicts with another secondary subnet",
                    code="InvalidSubnet.Conflict",
                )
        if len(siblings) >= MAX_SUBNETS:
            raise ServiceError(
                f"The secondary network '{network_id}' has reached the maximum number of "
                f"secondary subnets ({MAX_SUBNETS}).",
                code="SecondarySubnetLimitExceeded",
            )
        commit()
        backend = self.backend
        made = self.subnets.add(
            SecondarySubnet(
                id=backend.ids.new("ss"),
                network_id=network_id,
                network_type=network.type,
                owner_id=backend.account_id,
                region=backend.region,
                zone=zone,
                cidr=str(block),
                association_id=backend.ids.new("ss-cidr-assoc"),
                tags=dict(tags),
            )
        )
        if token is not None:
            self.tokens[("subnet", token)] = (request, made.id)
        self._later(made, _created)
        return made

    def delete_subnet(self, subnet_id: str) -> SecondarySubnet:
        subnet = self.subnets.get(subnet_id)
        if subnet.used_ips or self.backend.dependents(subnet_id):
            raise ServiceError(
                f"The secondary subnet '{subnet_id}' has dependencies and cannot be deleted.",
                code="DependencyViolation",
            )
        commit()
        if not subnet.state.startswith("delete"):
            subnet.state = "delete-in-progress"
            subnet.cidr_state = "disassociating"
            subnet.generation += 1
            self._later(subnet, self._drop_subnet)
        return subnet


def _assoc(attr: str) -> Callable[[Any], Any]:
    return lambda r: getattr(r, attr)


SECONDARY_NETWORK_FILTERS = {
    "ipv4-cidr-block-association.association-id": _assoc("association_id"),
    "ipv4-cidr-block-association.cidr-block": _assoc("cidr"),
    "ipv4-cidr-block-association.state": _assoc("cidr_state"),
    "owner-id": _assoc("owner_id"),
    "secondary-network-arn": lambda n: n.arn,
    "secondary-network-id": _assoc("id"),
    "state": _assoc("state"),
    "type": _assoc("type"),
}

SECONDARY_SUBNET_FILTERS = {
    "ipv4-cidr-block-association.association-id": _assoc("association_id"),
    "ipv4-cidr-block-association.cidr-block": _assoc("cidr"),
    "ipv4-cidr-block-association.state": _assoc("cidr_state"),
    "owner-id": _assoc("owner_id"),
    "secondary-network-id": _assoc("network_id"),
    "secondary-network-type": _assoc("network_type"),
    "secondary-subnet-arn": lambda s: s.arn,
    "secondary-subnet-id": _assoc("id"),
    "state": _assoc("state"),
}
