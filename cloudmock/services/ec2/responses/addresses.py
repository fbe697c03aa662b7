"""Elastic IP addresses: allocate, associate, release, describe; attributes; transfers."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from cloudmock.core.errors import InvalidParameterValue, MissingParameter
from cloudmock.core.plugin import operation
from cloudmock.services.ec2.dryrun import commit
from cloudmock.services.ec2.filters import FilterSet, apply_filters
from cloudmock.services.ec2.models.addresses import ADDRESS_FILTERS
from cloudmock.services.ec2.models.tags import tag_specifications
from cloudmock.services.ec2.responses.common import Ctx, page

if TYPE_CHECKING:
    from cloudmock.services.ec2.shapes import (
        AcceptAddressTransferResult,
        AllocateAddressResult,
        AssociateAddressResult,
        DescribeAddressesAttributeResult,
        DescribeAddressesResult,
        DescribeAddressTransfersResult,
        DisableAddressTransferResult,
        EnableAddressTransferResult,
        Filter,
        ModifyAddressAttributeResult,
        ResetAddressAttributeResult,
        TagSpecification,
    )

ADDRESSES: FilterSet[Any] = FilterSet(ADDRESS_FILTERS)

_DOMAIN_NAME = re.compile(
    r"^(?=.{1,253}\.?$)([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}\.?$"
)


@operation("AllocateAddress")
def allocate_address(
    ctx: Ctx,
    *,
    Domain: str | None = None,
    Address: str | None = None,
    PublicIpv4Pool: str | None = None,
    NetworkBorderGroup: str | None = None,
    TagSpecifications: list[TagSpecification] | None = None,
) -> AllocateAddressResult:
    family = ctx.backend.addresses
    tags = tag_specifications(TagSpecifications, ("elastic-ip",)).get("elastic-ip", {})
    address, pool, group = family.check_allocate(
        Domain, Address, PublicIpv4Pool, NetworkBorderGroup
    )
    commit()
    allocated = family.allocate(address, pool, group, tags)
    return {
        "AllocationId": allocated.id,
        "PublicIpv4Pool": allocated.pool,
        "NetworkBorderGroup": allocated.network_border_group,
        "Domain": "vpc",
        "PublicIp": allocated.public_ip,
    }


@operation("AssociateAddress")
def associate_address(
    ctx: Ctx,
    *,
    AllocationId: str | None = None,
    InstanceId: str | None = None,
    PublicIp: str | None = None,
    NetworkInterfaceId: str | None = None,
    PrivateIpAddress: str | None = None,
    AllowReassociation: bool | None = None,
) -> AssociateAddressResult:
    family = ctx.backend.addresses
    address, interface, private_ip, _ = family.check_associate(
        AllocationId,
        PublicIp,
        InstanceId,
        NetworkInterfaceId,
        PrivateIpAddress,
        bool(AllowReassociation),
    )
    commit()
    return {"AssociationId": family.associate(address, interface, private_ip)}


@operation("DisassociateAddress")
def disassociate_address(
    ctx: Ctx, *, AssociationId: str | None = None, PublicIp: str | None = None
) -> None:
    family = ctx.backend.addresses
    address = family.by_association(AssociationId, PublicIp)
    family.check_not_service_managed(address)
    commit()
    family.disassociate(address)


@operation("ReleaseAddress")
def release_address(
    ctx: Ctx,
    *,
    AllocationId: str | None = None,
    PublicIp: str | None = None,
    NetworkBorderGroup: str | None = None,
) -> None:
    family = ctx.backend.addresses
    address = family.find_for_release(AllocationId, PublicIp, NetworkBorderGroup)
    commit()
    family.release(address)


@operation("DescribeAddresses", filters=ADDRESSES)
def describe_addresses(
    ctx: Ctx,
    *,
    PublicIps: list[str] | None = None,
    AllocationIds: list[str] | None = None,
    Filters: list[Filter] | None = None,
) -> DescribeAddressesResult:
    family = ctx.backend.addresses
    items = list(family.store)
    if AllocationIds:
        chosen = {a.id for a in family.store.get_many(AllocationIds)}
        items = [a for a in items if a.id in chosen]
    if PublicIps:
        chosen = {a.id for a in family.get_many_public(PublicIps)}
        items = [a for a in items if a.id in chosen]
    items = apply_filters(items, Filters, ADDRESSES, ctx.operation_model)
    return {"Addresses": [a.describe() for a in items]}


# -- the domain-name attribute (reverse DNS)


@operation("DescribeAddressesAttribute")
def describe_addresses_attribute(
    ctx: Ctx,
    *,
    AllocationIds: list[str] | None = None,
    Attribute: str | None = None,
    NextToken: str | None = None,
    MaxResults: int | None = None,
) -> DescribeAddressesAttributeResult:
    _check_attribute(Attribute, required=False)
    store = ctx.backend.addresses.store
    items = store.get_many(AllocationIds) if AllocationIds else list(store)
    shown, token = page(ctx, items, MaxResults, NextToken, low=1, high=1000)
    result: DescribeAddressesAttributeResult = {
        "Addresses": [a.describe_attribute() for a in shown]
    }
    if token:
        result["NextToken"] = token
    return result


@operation("ModifyAddressAttribute")
def modify_address_attribute(
    ctx: Ctx, *, AllocationId: str, DomainName: str | None = None
) -> ModifyAddressAttributeResult:
    family = ctx.backend.addresses
    address = family.store.get(AllocationId)
    if DomainName is None:
        raise MissingParameter("The request must contain the parameter DomainName")
    if not _DOMAIN_NAME.match(DomainName):
        raise InvalidParameterValue(f"Invalid value '{DomainName}' for DomainName.")
    commit()
    family.modify_ptr(address, DomainName)
    return {"Address": address.describe_attribute()}


@operation("ResetAddressAttribute")
def reset_address_attribute(
    ctx: Ctx, *, AllocationId: str, Attribute: str
) -> ResetAddressAttributeResult:
    family = ctx.backend.addresses
    address = family.store.get(AllocationId)
    _check_attribute(Attribute, required=True)
    commit()
    family.reset_ptr(address)
    return {"Address": address.describe_attribute()}


def _check_attribute(attribute: str | None, *, required: bool) -> None:
    if attribute is None and not required:
        return
    if attribute != "domain-name":
        raise InvalidParameterValue(
            f"Invalid value '{attribute}' for Attribute. Valid values are domain-name."
        )


# -- transfers between accounts


@operation("EnableAddressTransfer")
def enable_address_transfer(
    ctx: Ctx, *, AllocationId: str, TransferAccountId: str
) -> EnableAddressTransferResult:
    family = ctx.backend.addresses
    address = family.check_enable_transfer(AllocationId, TransferAccountId)
    commit()
    transfer = family.enable_transfer(address, TransferAccountId)
    return {"AddressTransfer": transfer.describe(family.now)}


@operation("DisableAddressTransfer")
def disable_address_transfer(ctx: Ctx, *, AllocationId: str) -> DisableAddressTransferResult:
    family = ctx.backend.addresses
    transfer = family.check_disable_transfer(AllocationId)
    commit()
    family.disable_transfer(transfer)
    return {"AddressTransfer": transfer.describe(family.now)}


@operation("AcceptAddressTransfer")
def accept_address_transfer(
    ctx: Ctx, *, Address: str, TagSpecifications: list[TagSpecification] | None = None
) -> AcceptAddressTransferResult:
    family = ctx.backend.addresses
    tags = tag_specifications(TagSpecifications, ("elastic-ip",)).get("elastic-ip", {})
    transfer = family.check_accept_transfer(Address)
    commit()
    family.accept_transfer(transfer, tags)
    return {"AddressTransfer": transfer.describe(family.now)}


@operation("DescribeAddressTransfers")
def describe_address_transfers(
    ctx: Ctx,
    *,
    AllocationIds: list[str] | None = None,
    NextToken: str | None = None,
    MaxResults: int | None = None,
) -> DescribeAddressTransfersResult:
    family = ctx.backend.addresses
    transfers = family.transfer_list(AllocationIds)
    shown, token = page(ctx, transfers, MaxResults, NextToken, low=5, high=1000)
    result: DescribeAddressTransfersResult = {
        "AddressTransfers": [t.describe(family.now) for t in shown]
    }
    if token:
        result["NextToken"] = token
    return result
