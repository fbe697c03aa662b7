"""Elastic IP addresses: allocate, associate, release, describe; attributes; transfers."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, TypedDict

from cloudmock.core.errors import InvalidParameterValue, MissingParameter, ServiceError
from cloudmock.core.plugin import operation
from cloudmock.services.ec2.dryrun import commit
from cloudmock.services.ec2.filters import FilterSet, apply_filters
from cloudmock.services.ec2.models.addresses import ADDRESS_FILTERS
from cloudmock.services.ec2.models.tags import tag_specifications
from cloudmock.services.ec2.responses.common import (
    Ctx,
    page,
    refuse_ids_with_max_results,
    select,
)

if TYPE_CHECKING:
    from cloudmock.services.ec2.shapes import (
        AcceptAddressTransferResult,
        AdvertiseByoipCidrResult,
        AllocateAddressResult,
        AssociateAddressResult,
        CreatePublicIpv4PoolResult,
        DeletePublicIpv4PoolResult,
        DeprovisionByoipCidrResult,
        DeprovisionPublicIpv4PoolCidrResult,
        DescribeAddressesAttributeResult,
        DescribeAddressesResult,
        DescribeAddressTransfersResult,
        DescribeByoipCidrsResult,
        DescribeIpv6PoolsResult,
        DescribeMovingAddressesResult,
        DescribePublicIpv4PoolsResult,
        DisableAddressTransferResult,
        EnableAddressTransferResult,
        Filter,
        GetAssociatedIpv6PoolCidrsResult,
        Ipv6CidrAssociation,
        ModifyAddressAttributeResult,
        ModifyPublicIpDnsNameOptionsResult,
        MoveAddressToVpcResult,
        ProvisionByoipCidrResult,
        ProvisionPublicIpv4PoolCidrResult,
        ResetAddressAttributeResult,
        RestoreAddressToClassicResult,
        TagSpecification,
        WithdrawByoipCidrResult,
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


# -- BYOIP address ranges


class CidrAuthorizationContextIn(TypedDict, total=False):
    Message: str
    Signature: str


@operation("ProvisionByoipCidr")
def provision_byoip_cidr(
    ctx: Ctx,
    *,
    Cidr: str,
    CidrAuthorizationContext: CidrAuthorizationContextIn | None = None,
    PubliclyAdvertisable: bool | None = None,
    Description: str | None = None,
    PoolTagSpecifications: list[TagSpecification] | None = None,
    NetworkBorderGroup: str | None = None,
) -> ProvisionByoipCidrResult:
    family = ctx.backend.addresses
    context = CidrAuthorizationContext or {}
    authorized = bool(context.get("Message") and context.get("Signature"))
    cidr = family.check_provision_byoip(Cidr, NetworkBorderGroup, authorized)
    if PubliclyAdvertisable is not None and ":" not in cidr:
        raise InvalidParameterValue("PubliclyAdvertisable applies to IPv6 address ranges only.")
    kind = "ipv6pool-ec2" if ":" in cidr else "ipv4pool-ec2"
    tags = tag_specifications(PoolTagSpecifications, (kind,)).get(kind, {})
    commit()
    entry = family.provision_byoip(
        cidr,
        Description or "",
        NetworkBorderGroup,
        tags,
        PubliclyAdvertisable is not False,
    )
    return {"ByoipCidr": entry.describe()}


@operation("AdvertiseByoipCidr")
def advertise_byoip_cidr(
    ctx: Ctx, *, Cidr: str, Asn: str | None = None, NetworkBorderGroup: str | None = None
) -> AdvertiseByoipCidrResult:
    family = ctx.backend.addresses
    family.check_border_group(NetworkBorderGroup)
    if Asn is not None and not Asn.isdigit():
        raise InvalidParameterValue(f"Invalid value '{Asn}' for Asn.")
    entry = family.check_byoip_state(Cidr, ("provisioned",), "advertised")
    commit()
    entry.asn = Asn
    family.set_byoip_state(entry, "pending-advertising", "advertised")
    return {"ByoipCidr": entry.describe()}


@operation("WithdrawByoipCidr")
def withdraw_byoip_cidr(ctx: Ctx, *, Cidr: str) -> WithdrawByoipCidrResult:
    family = ctx.backend.addresses
    entry = family.check_byoip_state(Cidr, ("advertised",), "withdrawn")
    commit()
    family.set_byoip_state(entry, "pending-withdrawal", "provisioned")
    return {"ByoipCidr": entry.describe()}


@operation("DeprovisionByoipCidr")
def deprovision_byoip_cidr(ctx: Ctx, *, Cidr: str) -> DeprovisionByoipCidrResult:
    family = ctx.backend.addresses
    entry = family.check_deprovision_byoip(Cidr)
    commit()
    family.set_byoip_state(entry, "pending-deprovision", "deprovisioned")
    return {"ByoipCidr": entry.describe()}


@operation("DescribeByoipCidrs")
def describe_byoip_cidrs(
    ctx: Ctx, *, MaxResults: int, NextToken: str | None = None
) -> DescribeByoipCidrsResult:
    entries = list(ctx.backend.addresses.byoip.values())
    shown, token = page(ctx, entries, MaxResults, NextToken, low=1, high=100)
    result: DescribeByoipCidrsResult = {"ByoipCidrs": [e.describe() for e in shown]}
    if token:
        result["NextToken"] = token
    return result


# -- public IPv4 pools and IPv6 pools

PUBLIC_IPV4_POOLS: FilterSet[Any] = FilterSet({})
IPV6_POOLS: FilterSet[Any] = FilterSet({})


@operation("CreatePublicIpv4Pool")
def create_public_ipv4_pool(
    ctx: Ctx,
    *,
    TagSpecifications: list[TagSpecification] | None = None,
    NetworkBorderGroup: str | None = None,
) -> CreatePublicIpv4PoolResult:
    family = ctx.backend.addresses
    tags = tag_specifications(TagSpecifications, ("ipv4pool-ec2",)).get("ipv4pool-ec2", {})
    family.check_border_group(NetworkBorderGroup)
    commit()
    return {"PoolId": family.create_pool(NetworkBorderGroup, tags).id}


@operation("DeletePublicIpv4Pool")
def delete_public_ipv4_pool(
    ctx: Ctx, *, PoolId: str, NetworkBorderGroup: str | None = None
) -> DeletePublicIpv4PoolResult:
    family = ctx.backend.addresses
    family.check_border_group(NetworkBorderGroup)
    pool = family.check_delete_pool(PoolId)
    commit()
    family.pools.remove(pool.id)
    return {"ReturnValue": True}


@operation("ProvisionPublicIpv4PoolCidr")
def provision_public_ipv4_pool_cidr(
    ctx: Ctx,
    *,
    IpamPoolId: str,
    PoolId: str,
    NetmaskLength: int,
    NetworkBorderGroup: str | None = None,
) -> ProvisionPublicIpv4PoolCidrResult:
    family = ctx.backend.addresses
    pool = family.check_provision_pool_cidr(PoolId, IpamPoolId, NetmaskLength, NetworkBorderGroup)
    commit()
    cidr = family.provision_pool_cidr(pool, NetmaskLength)
    described = pool.describe()
    first = cidr.split("/")[0]
    ranges = [r for r in described["PoolAddressRanges"] if r["FirstAddress"] == first]
    return {"PoolId": pool.id, "PoolAddressRange": ranges[0]}


@operation("DeprovisionPublicIpv4PoolCidr")
def deprovision_public_ipv4_pool_cidr(
    ctx: Ctx, *, PoolId: str, Cidr: str
) -> DeprovisionPublicIpv4PoolCidrResult:
    family = ctx.backend.addresses
    pool = family.check_deprovision_pool_cidr(PoolId, Cidr)
    commit()
    return {"PoolId": pool.id, "DeprovisionedAddresses": family.deprovision_pool_cidr(pool, Cidr)}


@operation("DescribePublicIpv4Pools", filters=PUBLIC_IPV4_POOLS)
def describe_public_ipv4_pools(
    ctx: Ctx,
    *,
    PoolIds: list[str] | None = None,
    Filters: list[Filter] | None = None,
    NextToken: str | None = None,
    MaxResults: int | None = None,
) -> DescribePublicIpv4PoolsResult:
    pools = select(ctx, ctx.backend.addresses.pools, PoolIds, Filters, PUBLIC_IPV4_POOLS)
    shown, token = page(ctx, pools, MaxResults, NextToken, low=1, high=10)
    result: DescribePublicIpv4PoolsResult = {"PublicIpv4Pools": [p.describe() for p in shown]}
    if token:
        result["NextToken"] = token
    return result


@operation("DescribeIpv6Pools", filters=IPV6_POOLS)
def describe_ipv6_pools(
    ctx: Ctx,
    *,
    PoolIds: list[str] | None = None,
    Filters: list[Filter] | None = None,
    NextToken: str | None = None,
    MaxResults: int | None = None,
) -> DescribeIpv6PoolsResult:
    pools = select(ctx, ctx.backend.addresses.ipv6_pools, PoolIds, Filters, IPV6_POOLS)
    shown, token = page(ctx, pools, MaxResults, NextToken, low=1, high=1000)
    result: DescribeIpv6PoolsResult = {"Ipv6Pools": [p.describe() for p in shown]}
    if token:
        result["NextToken"] = token
    return result


@operation("GetAssociatedIpv6PoolCidrs")
def get_associated_ipv6_pool_cidrs(
    ctx: Ctx, *, PoolId: str, NextToken: str | None = None, MaxResults: int | None = None
) -> GetAssociatedIpv6PoolCidrsResult:
    ctx.backend.addresses.ipv6_pools.get(PoolId)
    # no VPC takes its IPv6 block from a BYOIP pool here, so nothing is associated
    none: list[Ipv6CidrAssociation] = []
    shown, token = page(ctx, none, MaxResults, NextToken, low=1, high=1000)
    result: GetAssociatedIpv6PoolCidrsResult = {"Ipv6CidrAssociations": shown}
    if token:
        result["NextToken"] = token
    return result


# -- EC2-Classic moves: the platform is retired, so no address is ever moving

MOVING_ADDRESSES: FilterSet[Any] = FilterSet({"moving-status": lambda a: a.status})


@operation("DescribeMovingAddresses", filters=MOVING_ADDRESSES)
def describe_moving_addresses(
    ctx: Ctx,
    *,
    PublicIps: list[str] | None = None,
    Filters: list[Filter] | None = None,
    NextToken: str | None = None,
    MaxResults: int | None = None,
) -> DescribeMovingAddressesResult:
    refuse_ids_with_max_results(ctx, PublicIps, MaxResults, "PublicIps")
    if PublicIps:
        ctx.backend.addresses.get_many_public(PublicIps)
    moving = apply_filters([], Filters, MOVING_ADDRESSES, ctx.operation_model)
    shown, token = page(ctx, moving, MaxResults, NextToken, low=5, high=1000)
    result: DescribeMovingAddressesResult = {"MovingAddressStatuses": shown}
    if token:
        result["NextToken"] = token
    return result


@operation("MoveAddressToVpc")
def move_address_to_vpc(ctx: Ctx, *, PublicIp: str) -> MoveAddressToVpcResult:
    address = ctx.backend.addresses.by_public_ip(PublicIp)
    raise InvalidParameterValue(f"The address {address.public_ip} is already in a VPC.")


@operation("RestoreAddressToClassic")
def restore_address_to_classic(ctx: Ctx, *, PublicIp: str) -> RestoreAddressToClassicResult:
    address = ctx.backend.addresses.by_public_ip(PublicIp)
    raise ServiceError(
        f"The address {address.public_ip} cannot be restored: EC2-Classic has been retired.",
        code="UnsupportedOperation",
    )


# -- the public DNS hostname an interface's public address is given

_HOSTNAME_TYPES = ("public-dual-stack-dns-name", "public-ipv4-dns-name", "public-ipv6-dns-name")


@operation("ModifyPublicIpDnsNameOptions")
def modify_public_ip_dns_name_options(
    ctx: Ctx, *, NetworkInterfaceId: str, HostnameType: str
) -> ModifyPublicIpDnsNameOptionsResult:
    interface = ctx.backend.network_interfaces.get(NetworkInterfaceId)
    if HostnameType not in _HOSTNAME_TYPES:
        raise InvalidParameterValue(
            f"Invalid value '{HostnameType}' for HostnameType. Valid values are "
            f"{', '.join(_HOSTNAME_TYPES)}."
        )
    commit()
    interface.public_dns_hostname_type = HostnameType
    return {"Successful": True}
