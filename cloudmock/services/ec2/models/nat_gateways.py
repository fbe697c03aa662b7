"""NAT gateways: public (with Elastic IPs) and private, their interface and addresses."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from cloudmock.core.errors import (
    InvalidParameterCombination,
    InvalidParameterValue,
    MissingParameter,
    ServiceError,
)
from cloudmock.services.ec2.models.base import Resource, ResourceKind, Store

if TYPE_CHECKING:
    from cloudmock.services.ec2.models.addresses import Address
    from cloudmock.services.ec2.models.backend import Ec2Backend
    from cloudmock.services.ec2.models.vpcs import Subnet
    from cloudmock.services.ec2.shapes import NatGateway as NatGatewayShape
    from cloudmock.services.ec2.shapes import NatGatewayAddress as NatGatewayAddressShape
    from cloudmock.services.ec2.shapes import VpcEncryptionNonCompliantResource


class _NatKind(ResourceKind):
    """NAT gateways answer with codes of their own (``NatGatewayNotFound``, no dot)."""

    def malformed(self, value: str) -> ServiceError:
        return ServiceError(
            f'Invalid id: "{value}" (expecting "nat-...")', code="NatGatewayMalformed"
        )

    def not_found(self, ids: Iterable[str]) -> ServiceError:
        ids = list(ids)
        return ServiceError(
            f"NAT gateway {', '.join(ids)} was not found", code="NatGatewayNotFound"
        )


NAT_GATEWAY = _NatKind("nat", "natgateway", "NatGateway", "NAT gateway ID")

#: NAT gateways (pending or available) an Availability Zone allows (EC2's default quota)
NAT_GATEWAYS_PER_ZONE = 5
#: secondary addresses a NAT gateway may carry besides its primary one
MAX_SECONDARY = 31


@dataclass
class NatAddress:
    private_ip: str
    is_primary: bool
    allocation_id: str | None = None
    public_ip: str | None = None
    association_id: str | None = None
    status: str = "succeeded"
    generation: int = 0

    def describe(self, interface_id: str) -> NatGatewayAddressShape:
        out: NatGatewayAddressShape = {
            "NetworkInterfaceId": interface_id,
            "PrivateIp": self.private_ip,
            "IsPrimary": self.is_primary,
            "Status": self.status,  # type: ignore[typeddict-item]
        }
        if self.allocation_id:
            out["AllocationId"] = self.allocation_id
        if self.public_ip:
            out["PublicIp"] = self.public_ip
        if self.association_id:
            out["AssociationId"] = self.association_id
        return out


@dataclass
class NatGateway(Resource):
    subnet_id: str
    vpc_id: str
    connectivity: str
    interface_id: str
    create_time: datetime
    zone_name: str = ""
    state: str = "pending"
    delete_time: datetime | None = None
    failure: tuple[str, str] | None = None
    addresses: list[NatAddress] = field(default_factory=list)
    client_token: str | None = None
    generation: int = 0

    def describe(self) -> NatGatewayShape:
        out: NatGatewayShape = {
            "CreateTime": self.create_time,
            "NatGatewayAddresses": [a.describe(self.interface_id) for a in self.addresses],
            "NatGatewayId": self.id,
            "State": self.state,  # type: ignore[typeddict-item]
            "SubnetId": self.subnet_id,
            "VpcId": self.vpc_id,
            "ConnectivityType": self.connectivity,  # type: ignore[typeddict-item]
            "AvailabilityMode": "zonal",
        }
        if self.delete_time is not None:
            out["DeleteTime"] = self.delete_time
        if self.failure is not None and self.state == "failed":
            out["FailureCode"], out["FailureMessage"] = self.failure
        if self.tags:
            out["Tags"] = self.tag_list()
        return out

    @property
    def live(self) -> bool:
        return self.state in ("pending", "available")


@dataclass
class NatRequest:
    """What CreateNatGateway asks for, once checked."""

    subnet: Subnet
    connectivity: str
    primary: Address | None
    private_ip: str | None
    secondary: list[Address]
    secondary_ips: list[str]
    secondary_count: int
    failure: tuple[str, str] | None


class NatGateways:
    """The NAT-gateway family of one region."""

    def __init__(self, backend: Ec2Backend) -> None:
        self.backend = backend
        self.store: Store[NatGateway] = backend.new_store(NAT_GATEWAY)
        self.store.add_index("subnet-live", lambda n: (n.subnet_id, n.live))
        self.store.add_index("vpc-live", lambda n: (n.vpc_id, n.live))
        self.store.add_index("interface", lambda n: n.interface_id)
        self.store.add_index("zone-live", lambda n: (n.zone_name, n.live))
        self.store.add_index("token", lambda n: n.client_token)
        backend.depends_on("subnet", self._subnet_dependents)
        backend.depends_on("vpc", self._vpc_dependents)
        backend.vpcs.controls.encryption_blockers.append(self._encryption_blockers)

    def _encryption_blockers(self, vpc_id: str) -> list[VpcEncryptionNonCompliantResource]:
        return [
            {
                "Id": nat.id,
                "Type": "nat-gateway",
                "Description": f"NAT gateway {nat.id}",
                "IsExcludable": True,
            }
            for nat in self.store.lookup("vpc-live", (vpc_id, True))
        ]

    def _subnet_dependents(self, subnet_id: str) -> str | None:
        found = self.store.lookup("subnet-live", (subnet_id, True))
        return f"NAT gateway {found[0].id}" if found else None

    def _vpc_dependents(self, vpc_id: str) -> str | None:
        found = self.store.lookup("vpc-live", (vpc_id, True))
        return f"NAT gateway {found[0].id}" if found else None

    def owns_interface(self, interface_id: str) -> bool:
        return bool(self.store.lookup("interface", interface_id))

    def by_token(self, token: str | None) -> NatGateway | None:
        if not token:
            return None
        found = self.store.lookup("token", token)
        return found[0] if found else None

    # -- create

    def check_create(
        self,
        subnet_id: str | None,
        connectivity: str | None,
        allocation_id: str | None,
        private_ip: str | None,
        secondary_allocations: list[str] | None,
        secondary_ips: list[str] | None,
        secondary_count: int | None,
    ) -> NatRequest:
        backend = self.backend
        if not subnet_id:
            raise MissingParameter("The request must contain the parameter SubnetId")
        connectivity = connectivity or "public"
        if connectivity not in ("public", "private"):
            raise InvalidParameterValue(
                f"Invalid value '{connectivity}' for ConnectivityType. "
                "Valid values are public, private."
            )
        subnet = backend.vpcs.subnets.get(subnet_id)
        if len(self.store.lookup("zone-live", (subnet.zone.name, True))) >= NAT_GATEWAYS_PER_ZONE:
            raise ServiceError(
                "Performing this operation would exceed the limit of "
                f"{NAT_GATEWAYS_PER_ZONE} NAT gateways",
                code="NatGatewayLimitExceeded",
            )
        if secondary_ips and secondary_count is not None:
            raise InvalidParameterCombination(
                "The parameter SecondaryPrivateIpAddresses cannot be used with the parameter "
                "SecondaryPrivateIpAddressCount"
            )
        if secondary_count is not None and not 1 <= secondary_count <= MAX_SECONDARY:
            raise InvalidParameterValue(
                f"SecondaryPrivateIpAddressCount must be between 1 and {MAX_SECONDARY}"
            )
        addresses = backend.addresses
        primary = None
        secondary: list[Address] = []
        failure = None
        if connectivity == "private":
            if allocation_id or secondary_allocations:
                raise InvalidParameterCombination(
                    "An Elastic IP address cannot be associated with a private NAT gateway"
                )
        else:
            if not allocation_id:
                raise MissingParameter(
                    "The request must contain the parameter AllocationId for a public NAT gateway"
                )
            primary = addresses.store.get(allocation_id)
            secondary = addresses.store.get_many(secondary_allocations or [])
            if secondary_ips and len(secondary_ips) != len(secondary):
                raise InvalidParameterValue(
                    "SecondaryPrivateIpAddresses must name one address for each of "
                    "SecondaryAllocationIds"
                )
            if secondary_count is not None:
                raise InvalidParameterCombination(
                    "SecondaryPrivateIpAddressCount is for private NAT gateways; give "
                    "SecondaryAllocationIds"
                )
            if backend.internet_gateways.attached_to(subnet.vpc_id) is None:
                failure = (
                    "Gateway.NotAttached",
                    f"Network {subnet.vpc_id} has no Internet gateway attached",
                )
            else:
                for address in [primary, *secondary]:
                    if address.association_id is not None:
                        failure = (
                            "Resource.AlreadyAssociated",
                            f"Elastic IP address {address.id} is already associated",
                        )
                        break
        count = len(secondary_ips or []) + (secondary_count or 0)
        if connectivity == "public":
            count = len(secondary)
        if count > MAX_SECONDARY:
            raise InvalidParameterValue(
                f"A NAT gateway can have at most {MAX_SECONDARY} secondary addresses"
            )
        for ip in [private_ip, *(secondary_ips or [])]:
            if ip is not None:
                _check_free(subnet, ip)
        if subnet.available_ip_count < 1 + count:
            failure = (
                "InsufficientFreeAddressesInSubnet",
                "Subnet has insufficient free addresses to create this NAT gateway",
            )
        return NatRequest(
            subnet=subnet,
            connectivity=connectivity,
            primary=primary,
            private_ip=private_ip,
            secondary=secondary,
            secondary_ips=list(secondary_ips or []),
            secondary_count=secondary_count or 0,
            failure=failure,
        )

    def create(
        self, request: NatRequest, tags: dict[str, str], client_token: str | None
    ) -> NatGateway:
        backend = self.backend
        subnet = request.subnet
        nat_id = backend.ids.new("nat")
        nat = self.store.add(
            NatGateway(
                id=nat_id,
                subnet_id=subnet.id,
                vpc_id=subnet.vpc_id,
                connectivity=request.connectivity,
                interface_id="",
                create_time=backend.clock.now(),
                zone_name=subnet.zone.name,
                failure=request.failure,
                client_token=client_token,
                tags=tags,
            )
        )
        if request.failure is not None:
            # EC2 accepts the request; the gateway fails once it is tried
            backend.schedule(backend.options.transition_delay, nat, self._to_failed)
            return nat
        # EC2's own interface for the gateway: requester-managed, the user can neither detach
        # nor delete it
        interface = backend.network_interfaces.create_managed(
            subnet.id,
            interface_type="nat_gateway",
            description=f"Interface for NAT Gateway {nat_id}",
            private_ip=request.private_ip,
        )
        nat.interface_id = interface.id
        self.store.reindex(nat)
        primary = NatAddress(interface.private_ip, True)
        nat.addresses.append(primary)
        if request.primary is not None:
            self._bind(nat, primary, request.primary, "succeeded")
        for position, address in enumerate(request.secondary):
            wanted = request.secondary_ips[position] if request.secondary_ips else None
            entry = NatAddress(subnet.allocate_ip(wanted), False)
            nat.addresses.append(entry)
            self._bind(nat, entry, address, "succeeded")
        if request.connectivity == "private":
            for wanted in request.secondary_ips:
                nat.addresses.append(NatAddress(subnet.allocate_ip(wanted), False))
            for _ in range(request.secondary_count):
                nat.addresses.append(NatAddress(subnet.allocate_ip(), False))
        backend.schedule(backend.options.transition_delay, nat, self._to_available)
        return nat

    def _bind(self, nat: NatGateway, entry: NatAddress, address: Address, status: str) -> None:
        interface = self.backend.network_interfaces.get(nat.interface_id)
        association_id = self.backend.addresses.associate(address, interface, entry.private_ip)
        entry.allocation_id = address.id
        entry.public_ip = address.public_ip
        entry.association_id = association_id
        entry.status = status

    def _to_available(self, nat: Any) -> None:
        nat.state = "available"
        nat.generation += 1

    def _to_failed(self, nat: Any) -> None:
        nat.state = "failed"
        nat.generation += 1
        self._release(nat)
        nat.addresses = []
        self.store.reindex(nat)
        # a failed NAT gateway is deleted by EC2 after about an hour
        self.backend.schedule(self.backend.options.terminated_retention, nat, self._forget)

    # -- delete

    def check_delete(self, nat_id: str) -> NatGateway:
        nat = self.store.get(nat_id)
        if nat.state == "deleted":
            raise NAT_GATEWAY.not_found([nat.id])
        return nat

    def delete(self, nat: NatGateway) -> None:
        if nat.state in ("deleting", "deleted"):
            return
        backend = self.backend
        nat.state = "deleting"
        nat.generation += 1
        self.store.reindex(nat)
        backend.schedule(backend.options.transition_delay, nat, self._to_deleted)

    def _to_deleted(self, nat: Any) -> None:
        backend = self.backend
        nat.state = "deleted"
        nat.delete_time = backend.clock.now()
        nat.generation += 1
        self._release(nat)
        self.store.reindex(nat)
        # deleted NAT gateways stay visible for about an hour, as EC2 shows them
        backend.schedule(backend.options.terminated_retention, nat, self._forget)

    def _release(self, nat: NatGateway) -> None:
        """Unbind the Elastic IPs and give the interface and its addresses back to the subnet."""
        backend = self.backend
        if not nat.interface_id:
            return  # a failed gateway never had an interface
        for address in backend.addresses.on_interface(nat.interface_id):
            backend.addresses.disassociate(address, restore=False)
        subnet = backend.vpcs.subnets.find(nat.subnet_id)
        if subnet is not None:
            for entry in nat.addresses:
                subnet.release_ip(entry.private_ip)
        backend.network_interfaces.delete_managed(nat.interface_id)
        self.store.reindex(nat)

    def _forget(self, nat: Any) -> None:
        self.store.remove(nat.id)

    # -- secondary addresses

    def _usable(self, nat_id: str) -> NatGateway:
        nat = self.store.get(nat_id)
        if nat.state != "available":
            raise ServiceError(
                f"The NAT gateway {nat.id} is not in a valid state for this operation "
                f"(state: {nat.state}).",
                code="InvalidNatGatewayState" if nat.state != "deleted" else "NatGatewayNotFound",
            )
        return nat

    def _subnet(self, nat: NatGateway) -> Subnet:
        return self.backend.vpcs.subnets.get(nat.subnet_id)

    def check_assign(
        self, nat_id: str, private_ips: list[str] | None, count: int | None
    ) -> NatGateway:
        nat = self._usable(nat_id)
        if private_ips and count is not None:
            raise InvalidParameterCombination(
                "The parameter PrivateIpAddresses cannot be used with the parameter "
                "PrivateIpAddressCount"
            )
        if not private_ips and count is None:
            raise MissingParameter(
                "Either PrivateIpAddresses or PrivateIpAddressCount must be specified"
            )
        wanted = len(private_ips or []) + (count or 0)
        if count is not None and not 1 <= count <= MAX_SECONDARY:
            raise InvalidParameterValue(
                f"PrivateIpAddressCount must be between 1 and {MAX_SECONDARY}"
            )
        if len(nat.addresses) - 1 + wanted > MAX_SECONDARY:
            raise ServiceError(
                f"A NAT gateway can have at most {MAX_SECONDARY} secondary addresses",
                code="NatGatewayLimitExceeded",
            )
        subnet = self._subnet(nat)
        for ip in private_ips or []:
            _check_free(subnet, ip)
        return nat

    def assign(
        self, nat: NatGateway, private_ips: list[str] | None, count: int | None
    ) -> list[NatAddress]:
        subnet = self._subnet(nat)
        added = [
            NatAddress(subnet.allocate_ip(ip), False, status="assigning")
            for ip in private_ips or []
        ]
        added += [
            NatAddress(subnet.allocate_ip(), False, status="assigning") for _ in range(count or 0)
        ]
        nat.addresses.extend(added)
        for entry in added:
            self._settle(entry, "succeeded")
        return added

    def _settle(self, entry: NatAddress, status: str, then: Any = None) -> None:
        entry.generation += 1

        def done(item: Any) -> None:
            item.status = status
            item.generation += 1
            if then is not None:
                then(item)

        self.backend.schedule(self.backend.options.transition_delay, entry, done)  # type: ignore[arg-type]

    def _secondary(self, nat: NatGateway, private_ip: str) -> NatAddress:
        for entry in nat.addresses:
            if entry.private_ip == private_ip:
                if entry.is_primary:
                    raise InvalidParameterValue(
                        f"The primary address {private_ip} of NAT gateway {nat.id} cannot be "
                        "unassigned"
                    )
                return entry
        raise InvalidParameterValue(
            f"The private IP address {private_ip} is not assigned to NAT gateway {nat.id}"
        )

    def check_unassign(
        self, nat_id: str, private_ips: list[str], drain: int | None
    ) -> tuple[NatGateway, list[NatAddress]]:
        nat = self._usable(nat_id)
        _check_drain(drain)
        entries = [self._secondary(nat, ip) for ip in private_ips]
        for entry in entries:
            if entry.association_id:
                raise InvalidParameterValue(
                    f"The private IP address {entry.private_ip} is associated with Elastic IP "
                    f"{entry.allocation_id}; disassociate it first"
                )
        return nat, entries

    def unassign(self, nat: NatGateway, entries: list[NatAddress]) -> None:
        subnet = self._subnet(nat)
        for entry in entries:
            entry.status = "unassigning"

            def gone(item: Any, entry: NatAddress = entry) -> None:
                if entry in nat.addresses:
                    nat.addresses.remove(entry)
                    subnet.release_ip(entry.private_ip)

            self._settle(entry, "unassigning", gone)

    def check_associate(
        self, nat_id: str, allocation_ids: list[str], private_ips: list[str] | None
    ) -> tuple[NatGateway, list[Address], list[NatAddress | str | None]]:
        nat = self._usable(nat_id)
        if nat.connectivity != "public":
            raise InvalidParameterValue(
                "An Elastic IP address cannot be associated with a private NAT gateway"
            )
        addresses = self.backend.addresses.store.get_many(allocation_ids)
        for address in addresses:
            if address.association_id is not None:
                raise ServiceError(
                    f"Elastic IP address [{address.id}] is already associated",
                    code="Resource.AlreadyAssociated",
                )
        if private_ips and len(private_ips) != len(addresses):
            raise InvalidParameterValue(
                "PrivateIpAddresses must name one address for each of AllocationIds"
            )
        if len(nat.addresses) - 1 + len(addresses) > MAX_SECONDARY + 1:
            raise ServiceError(
                f"A NAT gateway can have at most {MAX_SECONDARY} secondary addresses",
                code="NatGatewayLimitExceeded",
            )
        targets: list[NatAddress | str | None] = []
        subnet = self._subnet(nat)
        wanted: list[str | None] = list(private_ips) if private_ips else [None] * len(addresses)
        for ip in wanted:
            if ip is None:
                targets.append(None)
                continue
            existing = next((e for e in nat.addresses if e.private_ip == ip), None)
            if existing is not None:
                if existing.association_id:
                    raise InvalidParameterValue(
                        f"The private IP address {ip} is already associated with an Elastic IP"
                    )
                targets.append(existing)
            else:
                _check_free(subnet, ip)
                targets.append(ip)
        return nat, addresses, targets

    def associate(
        self, nat: NatGateway, addresses: list[Address], targets: list[NatAddress | str | None]
    ) -> list[NatAddress]:
        subnet = self._subnet(nat)
        out = []
        for address, target in zip(addresses, targets, strict=True):
            if isinstance(target, NatAddress):
                entry = target
            else:
                entry = NatAddress(subnet.allocate_ip(target), False)
                nat.addresses.append(entry)
            self._bind(nat, entry, address, "associating")
            self._settle(entry, "succeeded")
            out.append(entry)
        return out

    def check_disassociate(
        self, nat_id: str, association_ids: list[str], drain: int | None
    ) -> tuple[NatGateway, list[NatAddress]]:
        nat = self._usable(nat_id)
        _check_drain(drain)
        entries = []
        for association_id in association_ids:
            entry = next((e for e in nat.addresses if e.association_id == association_id), None)
            if entry is None:
                raise ServiceError(
                    f"The association ID '{association_id}' does not exist",
                    code="InvalidAssociationID.NotFound",
                )
            if entry.is_primary:
                raise InvalidParameterValue(
                    f"The primary Elastic IP association {association_id} of NAT gateway "
                    f"{nat.id} cannot be disassociated"
                )
            entries.append(entry)
        return nat, entries

    def disassociate(self, nat: NatGateway, entries: list[NatAddress]) -> list[NatAddress]:
        addresses = self.backend.addresses
        for entry in entries:
            entry.status = "disassociating"

            def unbound(item: Any, entry: NatAddress = entry) -> None:
                if entry.allocation_id:
                    address = addresses.store.find(entry.allocation_id)
                    if address is not None and address.association_id == entry.association_id:
                        addresses.disassociate(address, restore=False)
                entry.allocation_id = entry.public_ip = entry.association_id = None

            self._settle(entry, "succeeded", unbound)
        return entries


def _check_free(subnet: Subnet, ip: str) -> None:
    """EC2's errors for a requested address that is not in the subnet or not free."""
    import ipaddress

    try:
        address = ipaddress.IPv4Address(ip)
    except ValueError:
        raise InvalidParameterValue(f"Invalid value '{ip}' for PrivateIpAddress") from None
    network = subnet.network
    if network is None or address not in network:
        raise InvalidParameterValue(f"Address {ip} does not fall within the subnet's address range")
    offset = int(address) - int(network.network_address)
    if offset < 4 or address == network.broadcast_address:
        raise InvalidParameterValue(f"Address {ip} is in subnet's reserved address range")
    if ip in subnet.used_ips:
        raise ServiceError(f"Address {ip} is in use.", code="InvalidIPAddress.InUse")


def _check_drain(drain: int | None) -> None:
    if drain is not None and not 1 <= drain <= 4000:
        raise InvalidParameterValue("MaxDrainDurationSeconds must be between 1 and 4000")


NAT_GATEWAY_FILTERS = {
    "nat-gateway-id": lambda n: n.id,
    "state": lambda n: n.state,
    "subnet-id": lambda n: n.subnet_id,
    "vpc-id": lambda n: n.vpc_id,
}
