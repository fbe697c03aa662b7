"""Elastic IP addresses, their attributes and transfers; BYOIP CIDRs and public IPv4/IPv6 pools."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from cloudmock.core.errors import (
    InvalidParameterCombination,
    InvalidParameterValue,
    MissingParameter,
    ServiceError,
)
from cloudmock.services.ec2.models.base import Resource, ResourceKind, Store
from cloudmock.services.ec2.models.network_interfaces import NetworkInterface, public_dns_name
from cloudmock.services.ec2.models.route_tables import check_single_interface

if TYPE_CHECKING:
    from cloudmock.services.ec2.models.backend import Ec2Backend
    from cloudmock.services.ec2.shapes import Address as AddressShape
    from cloudmock.services.ec2.shapes import AddressAttribute as AddressAttributeShape
    from cloudmock.services.ec2.shapes import AddressTransfer as AddressTransferShape
    from cloudmock.services.ec2.shapes import ByoipCidr as ByoipCidrShape
    from cloudmock.services.ec2.shapes import Ipv6Pool as Ipv6PoolShape
    from cloudmock.services.ec2.shapes import PublicIpv4Pool as PublicIpv4PoolShape

ELASTIC_IP = ResourceKind("eipalloc", "elastic-ip", "InvalidAllocationID", "allocation ID")
PUBLIC_IPV4_POOL = ResourceKind(
    "ipv4pool-ec2", "ipv4pool-ec2", "InvalidPublicIpv4PoolID", "public IPv4 pool ID"
)
IPV6_POOL = ResourceKind("ipv6pool-ec2", "ipv6pool-ec2", "InvalidIpv6PoolID", "IPv6 pool ID")

#: Elastic IP addresses a region allows an account (EC2's default quota)
ADDRESS_LIMIT = 5
#: how long a transfer offer stands
TRANSFER_OFFER = timedelta(days=7)
_TRANSFERS = "address-transfers"
#: interface id -> {account: Addresses} of accounts with an Elastic IP on another account's
#: interface (EIP-ASSOCIATE), so the interface's going reaches them too
_FOREIGN_INTERFACES = "address-foreign-interfaces"


@dataclass
class Address(Resource):
    public_ip: str
    owner_id: str
    region: str
    network_border_group: str
    pool: str = "amazon"
    association_id: str | None = None
    instance_id: str | None = None
    network_interface_id: str | None = None
    network_interface_owner_id: str | None = None
    private_ip: str | None = None
    vpc_id: str | None = None
    subnet_id: str | None = None
    #: the interface had an auto-assigned public address this one replaced
    replaced_auto_ip: bool = False
    #: reverse DNS: the PTR record set, and an update on its way
    ptr_record: str | None = None
    ptr_update: tuple[str, str] | None = None
    generation: int = 0

    @property
    def default_ptr(self) -> str:
        return public_dns_name(self.public_ip, self.region) + "."

    def describe(self) -> AddressShape:
        out: AddressShape = {
            "AllocationId": self.id,
            "Domain": "vpc",
            "PublicIpv4Pool": self.pool,
            "NetworkBorderGroup": self.network_border_group,
            "PublicIp": self.public_ip,
        }
        if self.association_id:
            out["AssociationId"] = self.association_id
            if self.network_interface_id:
                out["NetworkInterfaceId"] = self.network_interface_id
                out["NetworkInterfaceOwnerId"] = self.network_interface_owner_id or self.owner_id
            if self.private_ip:
                out["PrivateIpAddress"] = self.private_ip
            if self.instance_id:
                out["InstanceId"] = self.instance_id
            if self.subnet_id:
                out["SubnetId"] = self.subnet_id
        if self.tags:
            out["Tags"] = self.tag_list()
        return out

    def describe_attribute(self) -> AddressAttributeShape:
        out: AddressAttributeShape = {
            "PublicIp": self.public_ip,
            "AllocationId": self.id,
            "PtrRecord": self.ptr_record or self.default_ptr,
        }
        if self.ptr_update is not None:
            value, status = self.ptr_update
            out["PtrRecordUpdate"] = {"Value": value, "Status": status}
        return out


@dataclass
class Transfer:
    """An offer to move an Elastic IP to another account; kept in ``backend.shared``."""

    public_ip: str
    region: str
    allocation_id: str
    source: Addresses
    account_id: str
    expires: datetime
    status: str = "pending"
    accepted: datetime | None = None

    def state(self, now: datetime) -> str:
        if self.status == "pending" and now >= self.expires:
            return "expired"
        return self.status

    def describe(self, now: datetime) -> AddressTransferShape:
        out: AddressTransferShape = {
            "PublicIp": self.public_ip,
            "AllocationId": self.allocation_id,
            "TransferAccountId": self.account_id,
            "TransferOfferExpirationTimestamp": self.expires,
            "AddressTransferStatus": self.state(now),  # type: ignore[typeddict-item]
        }
        if self.accepted is not None:
            out["TransferOfferAcceptedTimestamp"] = self.accepted
        return out


@dataclass
class PublicIpv4Pool(Resource):
    network_border_group: str
    description: str = ""
    #: the CIDRs provisioned into the pool
    cidrs: list[str] = field(default_factory=list)
    #: addresses of the pool allocated as Elastic IPs
    used: set[str] = field(default_factory=set)

    def addresses(self) -> list[str]:
        return [str(a) for c in self.cidrs for a in ipaddress.IPv4Network(c)]

    def free_address(self) -> str | None:
        for cidr in self.cidrs:
            for address in ipaddress.IPv4Network(cidr):
                if str(address) not in self.used:
                    return str(address)
        return None

    def contains(self, address: str) -> bool:
        ip = ipaddress.IPv4Address(address)
        return any(ip in ipaddress.IPv4Network(c) for c in self.cidrs)

    def describe(self) -> PublicIpv4PoolShape:
        ranges = []
        total = available = 0
        for cidr in self.cidrs:
            network = ipaddress.IPv4Network(cidr)
            count = network.num_addresses
            free = count - sum(1 for a in self.used if ipaddress.IPv4Address(a) in network)
            ranges.append(
                {
                    "FirstAddress": str(network[0]),
                    "LastAddress": str(network[-1]),
                    "AddressCount": count,
                    "AvailableAddressCount": free,
                }
            )
            total += count
            available += free
        out: PublicIpv4PoolShape = {
            "PoolId": self.id,
            "Description": self.description,
            "PoolAddressRanges": ranges,  # type: ignore[typeddict-item]
            "TotalAddressCount": total,
            "TotalAvailableAddressCount": available,
            "NetworkBorderGroup": self.network_border_group,
        }
        if self.tags:
            out["Tags"] = self.tag_list()
        return out


@dataclass
class Ipv6Pool(Resource):
    description: str = ""
    cidrs: list[str] = field(default_factory=list)

    def describe(self) -> Ipv6PoolShape:
        out: Ipv6PoolShape = {
            "PoolId": self.id,
            "Description": self.description,
            "PoolCidrBlocks": [{"Cidr": c} for c in self.cidrs],
        }
        if self.tags:
            out["Tags"] = self.tag_list()
        return out


@dataclass
class ByoipCidr(Resource):
    """A provisioned address range; its id is the CIDR."""

    description: str
    network_border_group: str
    state: str = "pending-provision"
    pool_id: str | None = None
    asn: str | None = None
    generation: int = 0

    @property
    def cidr(self) -> str:
        return self.id

    def describe(self) -> ByoipCidrShape:
        out: ByoipCidrShape = {
            "Cidr": self.cidr,
            "State": self.state,  # type: ignore[typeddict-item]
            "NetworkBorderGroup": self.network_border_group,
            "AdvertisementType": "bgp",  # type: ignore[typeddict-item]
        }
        if self.description:
            out["Description"] = self.description
        if self.asn:
            out["AsnAssociations"] = [{"Asn": self.asn, "Cidr": self.cidr, "State": "associated"}]
        return out


class Addresses:
    """The Elastic IP family of one region."""

    def __init__(self, backend: Ec2Backend) -> None:
        self.backend = backend
        self.store: Store[Address] = backend.new_store(ELASTIC_IP)
        self.store.add_index("public-ip", lambda a: a.public_ip)
        self.store.add_index("association", lambda a: a.association_id)
        self.store.add_index("interface", lambda a: a.network_interface_id)
        self.store.add_index("vpc", lambda a: a.vpc_id)
        self.pools: Store[PublicIpv4Pool] = backend.new_store(PUBLIC_IPV4_POOL)
        self.ipv6_pools: Store[Ipv6Pool] = backend.new_store(IPV6_POOL)
        self.byoip: dict[str, ByoipCidr] = {}
        #: this account's transfer offers, by allocation id (the offers live in shared)
        self.transfers: dict[str, Transfer] = {}
        #: addresses this account released, which AllocateAddress may recover
        self.released: set[str] = set()
        # an interface that goes (deleted, or with its terminated instance) lets go of its EIPs
        backend.network_interfaces.on_delete.append(lambda eni: self.interface_gone(eni.id))
        self._foreign: dict[str, dict[str, Addresses]] = backend.shared.setdefault(
            _FOREIGN_INTERFACES, {}
        )

    @property
    def now(self) -> datetime:
        return self.backend.clock.now()

    # -- lookups

    def by_public_ip(self, public_ip: str) -> Address:
        found = self.store.lookup("public-ip", public_ip)
        if not found:
            raise ServiceError(f"Address '{public_ip}' not found.", code="InvalidAddress.NotFound")
        return found[0]

    def get_many_public(self, public_ips: list[str]) -> list[Address]:
        for ip in public_ips:
            try:
                ipaddress.IPv4Address(ip)
            except ValueError:
                raise ServiceError(
                    f"Invalid value '{ip}' for PublicIp. It is not a valid IPv4 address.",
                    code="InvalidAddress.Malformed",
                ) from None
        missing = [ip for ip in public_ips if not self.store.lookup("public-ip", ip)]
        if missing:
            raise ServiceError(f"Address '{missing[0]}' not found.", code="InvalidAddress.NotFound")
        return [self.store.lookup("public-ip", ip)[0] for ip in dict.fromkeys(public_ips)]

    def mapped_in_vpc(self, vpc_id: str) -> bool:
        return bool(self.store.lookup("vpc", vpc_id))

    def on_interface(self, interface_id: str) -> list[Address]:
        return self.store.lookup("interface", interface_id)

    # -- allocate / release

    def check_allocate(
        self,
        domain: str | None,
        address: str | None,
        pool_id: str | None,
        border_group: str | None,
    ) -> tuple[str | None, PublicIpv4Pool | None, str]:
        """The address asked for (if any), its pool, and the network border group."""
        backend = self.backend
        if domain not in (None, "vpc", "standard"):
            raise InvalidParameterValue(
                f"Invalid value '{domain}' for domain. Valid values are vpc, standard."
            )
        if domain == "standard":
            raise InvalidParameterValue(
                "EC2-Classic has been retired: an Elastic IP address can only be allocated "
                "for use in a VPC"
            )
        group = border_group or backend.region
        if group != backend.region:
            raise InvalidParameterValue(f"Invalid network border group '{group}'")
        if len(self.store) >= ADDRESS_LIMIT:
            raise ServiceError(
                "The maximum number of addresses has been reached.", code="AddressLimitExceeded"
            )
        pool = None
        if pool_id and pool_id != "amazon":
            pool = self.pools.get(pool_id)
            if any(
                e.pool_id == pool.id and e.state == "pending-provision" for e in self.byoip.values()
            ):
                raise InvalidParameterValue(
                    f"The pool {pool.id} is not provisioned yet: its address range is "
                    "pending-provision."
                )
        if address is not None:
            try:
                ipaddress.IPv4Address(address)
            except ValueError:
                raise InvalidParameterValue(
                    f"Invalid value '{address}' for address. It is not a valid IPv4 address."
                ) from None
            if pool is not None:
                if not pool.contains(address) or address in pool.used:
                    raise InvalidParameterValue(
                        f"The address {address} is not available in pool {pool.id}"
                    )
            elif address not in self.released or self.store.lookup("public-ip", address):
                raise ServiceError(
                    f"Address '{address}' is not available for recovery.",
                    code="InvalidAddress.NotFound",
                )
        elif pool is not None and pool.free_address() is None:
            raise ServiceError(
                f"The pool {pool.id} has no free addresses.",
                code="InsufficientAddressCapacity",
            )
        return address, pool, group

    def allocate(
        self,
        address: str | None,
        pool: PublicIpv4Pool | None,
        group: str,
        tags: dict[str, str],
    ) -> Address:
        backend = self.backend
        if pool is not None:
            public_ip = address or pool.free_address()
            assert public_ip is not None
            pool.used.add(public_ip)
        elif address is not None:
            public_ip = address
            self.released.discard(address)
        else:
            public_ip = backend.allocate_public_ip()
        return self.store.add(
            Address(
                id=backend.ids.new("eipalloc"),
                public_ip=public_ip,
                owner_id=backend.account_id,
                region=backend.region,
                network_border_group=group,
                pool=pool.id if pool is not None else "amazon",
                tags=tags,
            )
        )

    def find_for_release(
        self, allocation_id: str | None, public_ip: str | None, border_group: str | None
    ) -> Address:
        if allocation_id is None:
            if public_ip is None:
                raise MissingParameter("Either public IP or allocation id must be specified")
            self.by_public_ip(public_ip)
            raise InvalidParameterValue(
                "You must specify an allocation id when releasing a VPC elastic IP address"
            )
        if public_ip is not None:
            raise InvalidParameterCombination(
                "The parameter PublicIp cannot be used with the parameter AllocationId"
            )
        address = self.store.get(allocation_id)
        if border_group is not None and border_group != address.network_border_group:
            raise InvalidParameterValue(
                f"The network border group '{border_group}' does not match the address "
                f"{address.public_ip}"
            )
        if address.association_id is not None:
            raise ServiceError("Address is in use.", code="InvalidIPAddress.InUse")
        transfer = self.transfers.get(address.id)
        if transfer is not None and transfer.state(self.now) == "pending":
            raise ServiceError(
                f"The address {address.public_ip} has a pending transfer.",
                code="InvalidIPAddress.InUse",
            )
        return address

    def release(self, address: Address) -> None:
        self._remove(address)
        self.released.add(address.public_ip)

    def _remove(self, address: Address) -> None:
        self.store.remove(address.id)
        if address.pool != "amazon":
            pool = self.pools.find(address.pool)
            if pool is not None:
                pool.used.discard(address.public_ip)
        else:
            self.backend.release_public_ip(address.public_ip)

    # -- associate / disassociate

    def check_associate(
        self,
        allocation_id: str | None,
        public_ip: str | None,
        instance_id: str | None,
        interface_id: str | None,
        private_ip: str | None,
        allow_reassociation: bool,
    ) -> tuple[Address, NetworkInterface, str, str | None]:
        """The address, the interface and private address it goes to, and the instance."""
        backend = self.backend
        if allocation_id is None:
            if public_ip is None:
                raise MissingParameter("Either public IP or allocation id must be specified")
            self.by_public_ip(public_ip)
            raise InvalidParameterValue(
                "You must specify an allocation id when mapping an address to a VPC instance"
            )
        address = self.store.get(allocation_id)
        if public_ip is not None and public_ip != address.public_ip:
            raise InvalidParameterCombination(
                "The parameter PublicIp cannot be used with the parameter AllocationId"
            )
        if instance_id is None and interface_id is None:
            raise MissingParameter("Either instance ID or network interface ID must be specified")
        instance = None
        if interface_id is not None:
            interfaces = backend.network_interfaces
            # another account's interface, where its owner granted this account EIP-ASSOCIATE
            granted = interfaces.find(interface_id) or interfaces.granted_interface(
                interface_id, "EIP-ASSOCIATE"
            )
            interface = granted or interfaces.get(interface_id)
            if instance_id is not None and interface.instance_id != instance_id:
                backend.instances.store.get(instance_id)
                raise InvalidParameterCombination(
                    f"The network interface {interface.id} is not attached to instance "
                    f"{instance_id}"
                )
        else:
            assert instance_id is not None
            instance = backend.instances.store.get(instance_id)
            check_single_interface(backend, instance)
            if instance.state in ("shutting-down", "terminated"):
                raise ServiceError(
                    f"The instance '{instance.id}' is not in a valid state for this operation.",
                    code="IncorrectInstanceState",
                )
            interface = instance.network_interface
        target_ip = private_ip or interface.private_ip
        if target_ip not in _private_ips(interface):
            raise InvalidParameterValue(
                f"The specified private IP address {target_ip} is not assigned to the network "
                f"interface {interface.id}"
            )
        if backend.nat_gateways.owns_interface(interface.id):
            raise InvalidParameterValue(
                f"The network interface {interface.id} belongs to a NAT gateway"
            )
        self.check_not_service_managed(address)
        same = address.network_interface_id == interface.id and address.private_ip == target_ip
        if address.association_id is not None and not same and not allow_reassociation:
            raise ServiceError(
                f"resource {address.id} is already associated with associate-id "
                f"{address.association_id}",
                code="Resource.AlreadyAssociated",
            )
        return address, interface, target_ip, interface.instance_id

    def associate(self, address: Address, interface: NetworkInterface, private_ip: str) -> str:
        if (
            address.association_id is not None
            and address.network_interface_id == interface.id
            and address.private_ip == private_ip
        ):
            return address.association_id
        if address.association_id is not None:
            self.disassociate(address)
        # an address already on that private IP steps aside, still allocated
        for other in self.on_interface(interface.id):
            if other.private_ip == private_ip:
                self.disassociate(other, restore=False)
        backend = self.backend
        primary = private_ip == interface.private_ip
        replaced_auto = False
        if primary and interface.public_ip and interface.allocation_id is None:
            backend.release_public_ip(interface.public_ip)
            replaced_auto = True
        address.association_id = backend.ids.new("eipassoc")
        address.network_interface_id = interface.id
        address.network_interface_owner_id = interface.owner_id
        address.private_ip = private_ip
        address.instance_id = interface.instance_id
        address.vpc_id = interface.vpc_id
        address.subnet_id = interface.subnet_id
        address.replaced_auto_ip = replaced_auto
        self.store.reindex(address)
        if interface.owner_id != backend.account_id:
            self._foreign.setdefault(interface.id, {})[backend.account_id] = self
        if primary:
            self._set_public(interface, address.public_ip, backend.account_id, address)
        return address.association_id

    def _set_public(
        self,
        interface: NetworkInterface,
        public_ip: str | None,
        owner: str,
        address: Address | None = None,
    ) -> None:
        interface.public_ip = public_ip
        # the interface shows "amazon" for an auto-assigned address, the account for an EIP
        interface.ip_owner_id = None if owner == "amazon" else owner
        interface.allocation_id = address.id if address is not None else None
        interface.association_id = address.association_id if address is not None else None
        if interface.instance_id:
            instance = self.backend.instances.store.find(interface.instance_id)
            if instance is not None and instance.network_interface is interface:
                instance.public_ip = public_ip

    def by_association(self, association_id: str | None, public_ip: str | None) -> Address:
        if association_id is None:
            if public_ip is None:
                raise MissingParameter("Either public IP or association id must be specified")
            self.by_public_ip(public_ip)
            raise InvalidParameterValue(
                "You must specify an association id when unmapping an address from a VPC instance"
            )
        found = self.store.lookup("association", association_id)
        if not found:
            if not association_id.startswith("eipassoc-"):
                raise ServiceError(
                    f'Invalid id: "{association_id}" (expecting "eipassoc-...")',
                    code="InvalidAssociationID.Malformed",
                )
            raise ServiceError(
                f"The association ID '{association_id}' does not exist",
                code="InvalidAssociationID.NotFound",
            )
        address = found[0]
        if public_ip is not None and public_ip != address.public_ip:
            raise InvalidParameterCombination(
                "The parameter PublicIp cannot be used with the parameter AssociationId"
            )
        return address

    def check_not_service_managed(self, address: Address) -> None:
        """A NAT gateway's Elastic IPs are unbound through the NAT gateway, not here."""
        if address.network_interface_id and self.backend.nat_gateways.owns_interface(
            address.network_interface_id
        ):
            raise ServiceError(
                f"The address {address.public_ip} is in use by a NAT gateway and cannot be "
                "disassociated.",
                code="InvalidIPAddress.InUse",
            )

    def disassociate(self, address: Address, *, restore: bool = True) -> None:
        backend = self.backend
        interface = (
            backend.network_interfaces.find(address.network_interface_id)
            if address.network_interface_id
            else None
        )
        if interface is not None and interface.public_ip == address.public_ip:
            new_ip = None
            if restore and address.replaced_auto_ip and interface.instance_id:
                instance = backend.instances.store.find(interface.instance_id)
                if instance is not None and instance.state in ("pending", "running"):
                    # the instance gets a new public address, as EC2 gives it
                    new_ip = backend.allocate_public_ip()
            self._set_public(interface, new_ip, "amazon")
        address.association_id = address.network_interface_id = None
        address.network_interface_owner_id = address.private_ip = address.instance_id = None
        address.vpc_id = address.subnet_id = None
        address.replaced_auto_ip = False
        self.store.reindex(address)

    def interface_gone(self, interface_id: str) -> None:
        """An interface is deleted (its instance terminated): its addresses stay allocated."""
        for address in self.on_interface(interface_id):
            self.disassociate(address, restore=False)
        # other accounts' addresses on this (their foreign) interface let go too
        for family in self._foreign.pop(interface_id, {}).values():
            if family is not self:
                family.interface_gone(interface_id)

    # -- the address attribute (reverse DNS)

    def modify_ptr(self, address: Address, domain_name: str | None) -> None:
        backend = self.backend
        value = domain_name or ""
        address.ptr_update = (value, "PENDING")
        address.generation += 1

        def apply(item: Any) -> None:
            item.ptr_record = value or None
            item.ptr_update = None
            item.generation += 1

        backend.schedule(backend.options.transition_delay, address, apply)

    def reset_ptr(self, address: Address) -> None:
        backend = self.backend
        address.ptr_update = (address.default_ptr, "PENDING")
        address.generation += 1

        def apply(item: Any) -> None:
            item.ptr_record = None
            item.ptr_update = None
            item.generation += 1

        backend.schedule(backend.options.transition_delay, address, apply)

    # -- transfers between accounts

    def _shared_transfers(self) -> dict[tuple[str, str], Transfer]:
        return self.backend.shared.setdefault(_TRANSFERS, {})  # type: ignore[no-any-return]

    def check_enable_transfer(self, allocation_id: str, account_id: str) -> Address:
        address = self.store.get(allocation_id)
        if not (len(account_id) == 12 and account_id.isdigit()):
            raise InvalidParameterValue(f"Invalid value '{account_id}' for TransferAccountId")
        if account_id == self.backend.account_id:
            raise InvalidParameterValue(
                "The transfer account ID cannot be the same as the account that owns the address"
            )
        if address.association_id is not None:
            raise ServiceError("Address is in use.", code="InvalidIPAddress.InUse")
        return address

    def enable_transfer(self, address: Address, account_id: str) -> Transfer:
        backend = self.backend
        transfer = Transfer(
            public_ip=address.public_ip,
            region=backend.region,
            allocation_id=address.id,
            source=self,
            account_id=account_id,
            expires=self.now + TRANSFER_OFFER,
        )
        self.transfers[address.id] = transfer
        self._shared_transfers()[(backend.region, address.public_ip)] = transfer
        return transfer

    def check_disable_transfer(self, allocation_id: str) -> Transfer:
        address = self.store.get(allocation_id)
        transfer = self.transfers.get(address.id)
        if transfer is None or transfer.state(self.now) != "pending":
            raise InvalidParameterValue(
                f"The address {address.public_ip} has no pending transfer to disable."
            )
        return transfer

    def disable_transfer(self, transfer: Transfer) -> None:
        transfer.status = "disabled"
        self._shared_transfers().pop((transfer.region, transfer.public_ip), None)

    def check_accept_transfer(self, public_ip: str) -> Transfer:
        backend = self.backend
        transfer = self._shared_transfers().get((backend.region, public_ip))
        if (
            transfer is None
            or transfer.account_id != backend.account_id
            or transfer.state(self.now) != "pending"
        ):
            raise ServiceError(f"Address '{public_ip}' not found.", code="InvalidAddress.NotFound")
        if len(self.store) >= ADDRESS_LIMIT:
            raise ServiceError(
                "The maximum number of addresses has been reached.", code="AddressLimitExceeded"
            )
        return transfer

    def accept_transfer(self, transfer: Transfer, tags: dict[str, str]) -> Transfer:
        source = transfer.source
        old = source.store.find(transfer.allocation_id)
        group = old.network_border_group if old is not None else self.backend.region
        if old is not None:
            source.store.remove(old.id)
        self._shared_transfers().pop((transfer.region, transfer.public_ip), None)
        transfer.status = "accepted"
        transfer.accepted = self.now
        backend = self.backend
        backend._public_ips.add(transfer.public_ip)
        source.backend.release_public_ip(transfer.public_ip)
        self.store.add(
            Address(
                id=backend.ids.new("eipalloc"),
                public_ip=transfer.public_ip,
                owner_id=backend.account_id,
                region=backend.region,
                network_border_group=group,
                tags=tags,
            )
        )
        return transfer

    def transfer_list(self, allocation_ids: list[str] | None) -> list[Transfer]:
        if allocation_ids:
            for allocation_id in allocation_ids:
                if allocation_id not in self.transfers:
                    self.store.get(allocation_id)
            return [self.transfers[a] for a in allocation_ids if a in self.transfers]
        return list(self.transfers.values())

    # -- public IPv4 pools and BYOIP

    def create_pool(self, border_group: str | None, tags: dict[str, str]) -> PublicIpv4Pool:
        backend = self.backend
        group = border_group or backend.region
        return self.pools.add(
            PublicIpv4Pool(
                id=f"ipv4pool-ec2-{backend.ids.hex(17)}", network_border_group=group, tags=tags
            )
        )

    def check_border_group(self, border_group: str | None) -> None:
        if border_group is not None and border_group != self.backend.region:
            raise InvalidParameterValue(f"Invalid network border group '{border_group}'")

    def check_delete_pool(self, pool_id: str) -> PublicIpv4Pool:
        pool = self.pools.get(pool_id)
        if pool.cidrs:
            raise ServiceError(
                f"The pool {pool.id} still has provisioned CIDRs.",
                code="InvalidPublicIpv4PoolID.InUse",
            )
        return pool

    def byoip_cidr(self, cidr: str) -> ByoipCidr:
        found = self.byoip.get(_normal(cidr))
        if found is None or found.state == "deprovisioned":
            raise InvalidParameterValue(f"The CIDR {cidr} is not provisioned in your account.")
        return found

    def check_provision_byoip(
        self, cidr: str, border_group: str | None, has_authorization: bool
    ) -> str:
        try:
            network = ipaddress.ip_network(cidr)
        except ValueError:
            raise InvalidParameterValue(f"Invalid value '{cidr}' for cidr.") from None
        if network.version == 4 and network.prefixlen > 24:
            raise InvalidParameterValue(
                f"The CIDR {cidr} is too specific: the most specific IPv4 prefix is /24."
            )
        if network.version == 6 and network.prefixlen > 56:
            raise InvalidParameterValue(
                f"The CIDR {cidr} is too specific: the most specific IPv6 prefix is /56."
            )
        if not network.is_global:
            raise InvalidParameterValue(f"The CIDR {cidr} is not a public address range.")
        if network.version == 4 and not has_authorization:
            raise MissingParameter(
                "The request must contain the parameter CidrAuthorizationContext"
            )
        self.check_border_group(border_group)
        key = str(network)
        for other in self.byoip.values():
            if other.state != "deprovisioned" and ipaddress.ip_network(other.cidr).overlaps(
                network  # type: ignore[arg-type]
            ):
                raise InvalidParameterValue(
                    f"The CIDR {cidr} overlaps the provisioned range {other.cidr}."
                )
        return key

    def provision_byoip(
        self,
        cidr: str,
        description: str,
        border_group: str | None,
        pool_tags: dict[str, str],
        publicly_advertisable: bool,
    ) -> ByoipCidr:
        backend = self.backend
        entry = ByoipCidr(
            id=cidr, description=description, network_border_group=border_group or backend.region
        )
        self.byoip[cidr] = entry
        if ipaddress.ip_network(cidr).version == 4:
            pool = self.create_pool(border_group, pool_tags)
            pool.description = description
            pool.cidrs.append(cidr)
            entry.pool_id = pool.id
        else:
            pool6 = self.ipv6_pools.add(
                Ipv6Pool(
                    id=f"ipv6pool-ec2-{backend.ids.hex(17)}",
                    description=description,
                    tags=pool_tags,
                )
            )
            pool6.cidrs.append(cidr)
            entry.pool_id = pool6.id
        final = "provisioned" if publicly_advertisable else "provisioned-not-publicly-advertisable"
        self.set_byoip_state(entry, "pending-provision", final)
        return entry

    def check_byoip_state(self, cidr: str, allowed: tuple[str, ...], verb: str) -> ByoipCidr:
        entry = self.byoip_cidr(cidr)
        if entry.state not in allowed:
            raise ServiceError(
                f"The CIDR {entry.cidr} cannot be {verb} while it is {entry.state}.",
                code="IncorrectState",
            )
        return entry

    def check_deprovision_byoip(self, cidr: str) -> ByoipCidr:
        entry = self.check_byoip_state(
            cidr, ("provisioned", "provisioned-not-publicly-advertisable"), "deprovisioned"
        )
        pool = self.pools.find(entry.pool_id or "")
        if pool is not None and any(pool.contains(a) for a in pool.used):
            raise ServiceError(
                f"The CIDR {entry.cidr} has Elastic IP addresses allocated from it.",
                code="IncorrectState",
            )
        return entry

    def set_byoip_state(self, entry: ByoipCidr, pending: str, final: str) -> None:
        entry.state = pending
        entry.generation += 1

        def settle(item: Any) -> None:
            item.state = final
            item.generation += 1
            if final == "deprovisioned":
                self._drop_byoip_pool(item)

        self.backend.schedule(self.backend.options.transition_delay, entry, settle)

    def _drop_byoip_pool(self, entry: ByoipCidr) -> None:
        if entry.pool_id is None:
            return
        pool = self.pools.find(entry.pool_id)
        if pool is not None and entry.cidr in pool.cidrs:
            pool.cidrs.remove(entry.cidr)
            if not pool.cidrs:
                self.pools.remove(pool.id)
        pool6 = self.ipv6_pools.find(entry.pool_id)
        if pool6 is not None:
            self.ipv6_pools.remove(pool6.id)

    def check_provision_pool_cidr(
        self, pool_id: str, ipam_pool_id: str, netmask: int, border_group: str | None
    ) -> PublicIpv4Pool:
        pool = self.pools.get(pool_id)
        self.check_border_group(border_group)
        try:
            self.backend.resource(ipam_pool_id)
        except ServiceError as error:
            if error.code != "InvalidID":
                raise
            raise ServiceError(
                f"The pool ID '{ipam_pool_id}' does not exist", code="InvalidIpamPoolId.NotFound"
            ) from None
        if not 24 <= netmask <= 32:
            raise InvalidParameterValue(
                f"Invalid value '{netmask}' for NetmaskLength: it must be between 24 and 32."
            )
        return pool

    def provision_pool_cidr(self, pool: PublicIpv4Pool, netmask: int) -> str:
        """A block of Amazon-owned public space for the pool, clear of every other pool's."""
        rng = self.backend.rng
        taken = [ipaddress.IPv4Network(c) for p in self.pools for c in p.cidrs]
        while True:
            base = ipaddress.IPv4Address(
                (rng.choice((3, 13, 18, 35, 52)) << 24) | rng.getrandbits(24)
            )
            network = ipaddress.IPv4Network(f"{base}/{netmask}", strict=False)
            if not any(network.overlaps(t) for t in taken):
                pool.cidrs.append(str(network))
                return str(network)

    def check_deprovision_pool_cidr(self, pool_id: str, cidr: str) -> PublicIpv4Pool:
        pool = self.pools.get(pool_id)
        if _normal(cidr) in self.byoip:
            raise InvalidParameterValue(
                f"The CIDR {cidr} was brought with BYOIP: deprovision it with DeprovisionByoipCidr."
            )
        if _normal(cidr) not in pool.cidrs:
            raise InvalidParameterValue(f"The CIDR {cidr} is not provisioned in pool {pool.id}.")
        network = ipaddress.IPv4Network(_normal(cidr))
        if any(ipaddress.IPv4Address(a) in network for a in pool.used):
            raise ServiceError(
                f"The CIDR {cidr} has Elastic IP addresses allocated from it.",
                code="IncorrectState",
            )
        return pool

    def deprovision_pool_cidr(self, pool: PublicIpv4Pool, cidr: str) -> list[str]:
        pool.cidrs.remove(_normal(cidr))
        return [str(a) for a in ipaddress.IPv4Network(_normal(cidr))]


def _normal(cidr: str) -> str:
    try:
        return str(ipaddress.ip_network(cidr))
    except ValueError:
        return cidr


def _private_ips(interface: NetworkInterface) -> list[str]:
    extra = getattr(interface, "secondary_private_ips", None) or []
    return [interface.private_ip, *extra]


ADDRESS_FILTERS = {
    "allocation-id": lambda a: a.id,
    "association-id": lambda a: a.association_id,
    "instance-id": lambda a: a.instance_id,
    "network-border-group": lambda a: a.network_border_group,
    "network-interface-id": lambda a: a.network_interface_id,
    "network-interface-owner-id": lambda a: a.network_interface_owner_id,
    "private-ip-address": lambda a: a.private_ip,
    "public-ip": lambda a: a.public_ip,
}
