"""Network interfaces: create, attach, addresses, attributes, permissions, trunk associations."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cloudmock.core.errors import (
    InvalidParameterCombination,
    InvalidParameterValue,
    MissingParameter,
    ServiceError,
)
from cloudmock.core.plugin import operation
from cloudmock.services.ec2.filters import FilterSet, apply_filters
from cloudmock.services.ec2.models.network_interfaces import (
    NETWORK_INTERFACE_FILTERS,
    PERMISSION_FILTERS,
    TRUNK_ASSOCIATION_FILTERS,
    InterfaceSpec,
    check_conntrack,
)
from cloudmock.services.ec2.models.tags import tag_specifications
from cloudmock.services.ec2.responses.common import (
    Ctx,
    page,
    refuse_ids_with_max_results,
    select,
)

if TYPE_CHECKING:
    from cloudmock.services.ec2.shapes import (
        AssignIpv6AddressesResult,
        AssignPrivateIpAddressesResult,
        AssociateTrunkInterfaceResult,
        AttachNetworkInterfaceResult,
        AttributeBooleanValue,
        AttributeValue,
        ConnectionTrackingSpecificationRequest,
        CreateNetworkInterfacePermissionResult,
        CreateNetworkInterfaceResult,
        DeleteNetworkInterfacePermissionResult,
        DescribeNetworkInterfaceAttributeResult,
        DescribeNetworkInterfacePermissionsResult,
        DescribeNetworkInterfacesResult,
        DescribeSecondaryInterfacesResult,
        DescribeTrunkInterfaceAssociationsResult,
        DisassociateTrunkInterfaceResult,
        EnaSrdSpecification,
        Filter,
        InstanceIpv6Address,
        Ipv4PrefixSpecificationRequest,
        Ipv6PrefixSpecificationRequest,
        NetworkInterfaceAttachmentChanges,
        OperatorRequest,
        PrivateIpAddressSpecification,
        TagSpecification,
        UnassignIpv6AddressesResult,
    )

INTERFACES: FilterSet[Any] = FilterSet(NETWORK_INTERFACE_FILTERS)
PERMISSIONS: FilterSet[Any] = FilterSet(PERMISSION_FILTERS)
TRUNKS: FilterSet[Any] = FilterSet(TRUNK_ASSOCIATION_FILTERS)
#: DescribeSecondaryInterfaces: cloudmock has no secondary networks, so nothing ever matches
SECONDARY: FilterSet[Any] = FilterSet(
    {
        name: (lambda item: None)
        for name in (
            "attachment.attachment-id",
            "attachment.instance-id",
            "attachment.instance-owner-id",
            "attachment.status",
            "owner-id",
            "private-ipv4-addresses.private-ip-address",
            "secondary-interface-arn",
            "secondary-interface-id",
            "secondary-interface-type",
            "secondary-network-id",
            "secondary-network-type",
            "secondary-subnet-id",
            "status",
        )
    }
)
CLIENT_TOKEN_LIMIT = 64


def _ena_srd(spec: EnaSrdSpecification | None) -> tuple[bool | None, bool | None] | None:
    if spec is None:
        return None
    udp = spec.get("EnaSrdUdpSpecification") or {}
    enabled = spec.get("EnaSrdEnabled")
    udp_enabled = udp.get("EnaSrdUdpEnabled")
    if udp_enabled and not enabled:
        raise InvalidParameterCombination(
            "ENA Express UDP (EnaSrdUdpEnabled) requires ENA Express (EnaSrdEnabled)."
        )
    return enabled, udp_enabled


def _conntrack(spec: ConnectionTrackingSpecificationRequest | None) -> dict[str, int] | None:
    if spec is None:
        return None
    return check_conntrack({k: v for k, v in spec.items() if isinstance(v, int)})


@operation("CreateNetworkInterface")
def create_network_interface(
    ctx: Ctx,
    *,
    SubnetId: str,
    Description: str | None = None,
    PrivateIpAddress: str | None = None,
    Groups: list[str] | None = None,
    PrivateIpAddresses: list[PrivateIpAddressSpecification] | None = None,
    SecondaryPrivateIpAddressCount: int | None = None,
    Ipv6Addresses: list[InstanceIpv6Address] | None = None,
    Ipv6AddressCount: int | None = None,
    Ipv4Prefixes: list[Ipv4PrefixSpecificationRequest] | None = None,
    Ipv4PrefixCount: int | None = None,
    Ipv6Prefixes: list[Ipv6PrefixSpecificationRequest] | None = None,
    Ipv6PrefixCount: int | None = None,
    InterfaceType: str | None = None,
    TagSpecifications: list[TagSpecification] | None = None,
    ClientToken: str | None = None,
    EnablePrimaryIpv6: bool = False,
    ConnectionTrackingSpecification: ConnectionTrackingSpecificationRequest | None = None,
    Operator: OperatorRequest | None = None,
) -> CreateNetworkInterfaceResult:
    if ClientToken is not None and len(ClientToken) > CLIENT_TOKEN_LIMIT:
        raise InvalidParameterValue(
            f"The client token must be at most {CLIENT_TOKEN_LIMIT} characters long."
        )
    tags = tag_specifications(TagSpecifications, ("network-interface",))
    private_ips = []
    for position, entry in enumerate(PrivateIpAddresses or [], start=1):
        address = entry.get("PrivateIpAddress")
        if not address:
            raise MissingParameter(f"PrivateIpAddresses.{position}.PrivateIpAddress")
        private_ips.append((address, bool(entry.get("Primary"))))
    ipv6 = [a["Ipv6Address"] for a in Ipv6Addresses or [] if a.get("Ipv6Address")]
    # an address flagged IsPrimaryIpv6 goes first: the first IPv6 address is the primary one
    flagged = [a["Ipv6Address"] for a in Ipv6Addresses or [] if a.get("IsPrimaryIpv6")]
    if len(flagged) > 1:
        raise InvalidParameterValue("Only one IPv6 address can be the primary IPv6 address.")
    if flagged:
        ipv6 = flagged + [a for a in ipv6 if a != flagged[0]]
    spec = InterfaceSpec(
        subnet_id=SubnetId,
        description=Description or "",
        private_ip=PrivateIpAddress,
        private_ips=tuple(private_ips),
        secondary_count=SecondaryPrivateIpAddressCount,
        ipv6_addresses=tuple(ipv6),
        ipv6_count=Ipv6AddressCount,
        ipv4_prefixes=tuple(p["Ipv4Prefix"] for p in Ipv4Prefixes or [] if p.get("Ipv4Prefix")),
        ipv4_prefix_count=Ipv4PrefixCount,
        ipv6_prefixes=tuple(p["Ipv6Prefix"] for p in Ipv6Prefixes or [] if p.get("Ipv6Prefix")),
        ipv6_prefix_count=Ipv6PrefixCount,
        group_ids=tuple(Groups or ()),
        interface_type=InterfaceType,
        tags=tuple(tags.get("network-interface", {}).items()),
        client_token=ClientToken,
        enable_primary_ipv6=EnablePrimaryIpv6 or bool(flagged),
        conntrack=tuple(sorted((_conntrack(ConnectionTrackingSpecification) or {}).items())),
        operator_principal=(Operator or {}).get("Principal"),
    )
    eni = ctx.backend.network_interfaces.create(spec)
    result: CreateNetworkInterfaceResult = {"NetworkInterface": eni.describe()}
    if ClientToken:
        result["ClientToken"] = ClientToken
    return result


@operation("DeleteNetworkInterface")
def delete_network_interface(ctx: Ctx, *, NetworkInterfaceId: str) -> None:
    ctx.backend.network_interfaces.delete(NetworkInterfaceId)


@operation("DescribeNetworkInterfaces", filters=INTERFACES)
def describe_network_interfaces(
    ctx: Ctx,
    *,
    NetworkInterfaceIds: list[str] | None = None,
    Filters: list[Filter] | None = None,
    NextToken: str | None = None,
    MaxResults: int | None = None,
    # cloudmock makes no interfaces for AWS services, so there are none hidden to include
    IncludeManagedResources: bool = False,
) -> DescribeNetworkInterfacesResult:
    refuse_ids_with_max_results(ctx, NetworkInterfaceIds, MaxResults, "NetworkInterfaceIds")
    family = ctx.backend.network_interfaces
    if NetworkInterfaceIds:
        found = select(ctx, family, NetworkInterfaceIds, Filters, INTERFACES)
    else:
        candidates = family.candidates(Filters)
        found = apply_filters(candidates, Filters, INTERFACES, ctx.operation_model)
    shown, token = page(ctx, found, MaxResults, NextToken)
    result: DescribeNetworkInterfacesResult = {"NetworkInterfaces": [e.describe() for e in shown]}
    if token:
        result["NextToken"] = token
    return result


@operation("AttachNetworkInterface")
def attach_network_interface(
    ctx: Ctx,
    *,
    NetworkInterfaceId: str,
    InstanceId: str,
    DeviceIndex: int,
    NetworkCardIndex: int | None = None,
    EnaSrdSpecification: EnaSrdSpecification | None = None,
    EnaQueueCount: int | None = None,
) -> AttachNetworkInterfaceResult:
    eni = ctx.backend.network_interfaces.attach(
        NetworkInterfaceId,
        InstanceId,
        DeviceIndex,
        network_card_index=NetworkCardIndex,
        ena_srd=_ena_srd(EnaSrdSpecification),
        ena_queue_count=EnaQueueCount,
    )
    return {"AttachmentId": eni.attachment_id or "", "NetworkCardIndex": eni.network_card_index}


@operation("DetachNetworkInterface")
def detach_network_interface(ctx: Ctx, *, AttachmentId: str, Force: bool = False) -> None:
    ctx.backend.network_interfaces.detach(AttachmentId, force=Force)


@operation("ModifyNetworkInterfaceAttribute")
def modify_network_interface_attribute(
    ctx: Ctx,
    *,
    NetworkInterfaceId: str,
    Description: AttributeValue | None = None,
    SourceDestCheck: AttributeBooleanValue | None = None,
    Groups: list[str] | None = None,
    Attachment: NetworkInterfaceAttachmentChanges | None = None,
    EnaSrdSpecification: EnaSrdSpecification | None = None,
    EnablePrimaryIpv6: bool | None = None,
    ConnectionTrackingSpecification: ConnectionTrackingSpecificationRequest | None = None,
    AssociatePublicIpAddress: bool | None = None,
    AssociatedSubnetIds: list[str] | None = None,
) -> None:
    given = {
        "description": Description is not None,
        "sourceDestCheck": SourceDestCheck is not None,
        "groupSet": Groups is not None,
        "attachment": Attachment is not None,
        "enaSrdSpecification": EnaSrdSpecification is not None,
        "enablePrimaryIpv6": EnablePrimaryIpv6 is not None,
        "connectionTrackingSpecification": ConnectionTrackingSpecification is not None,
        "associatePublicIpAddress": AssociatePublicIpAddress is not None,
        "associatedSubnetIds": AssociatedSubnetIds is not None,
    }
    named = [name for name, present in given.items() if present]
    # EC2 changes one attribute per call
    if len(named) > 1:
        raise InvalidParameterCombination(
            f"Fields for multiple attribute types specified: {', '.join(named)}"
        )
    if not named:
        raise ServiceError("No attributes specified.", code="MissingParameter")
    description = None
    if Description is not None:
        description = Description.get("Value")
        if description is None:
            raise MissingParameter("Description.Value")
    source_dest_check = None
    if SourceDestCheck is not None:
        source_dest_check = SourceDestCheck.get("Value")
        if source_dest_check is None:
            raise MissingParameter("SourceDestCheck.Value")
    attachment = None
    if Attachment is not None:
        attachment = (
            Attachment.get("AttachmentId"),
            Attachment.get("DeleteOnTermination"),
            Attachment.get("EnaQueueCount"),
            Attachment.get("DefaultEnaQueueCount"),
        )
    ctx.backend.network_interfaces.modify(
        NetworkInterfaceId,
        description=description,
        source_dest_check=source_dest_check,
        group_ids=Groups,
        attachment=attachment,
        ena_srd=_ena_srd(EnaSrdSpecification),
        enable_primary_ipv6=EnablePrimaryIpv6,
        conntrack=_conntrack(ConnectionTrackingSpecification),
        associate_public_ip=AssociatePublicIpAddress,
        associated_subnets=AssociatedSubnetIds,
    )


@operation("DescribeNetworkInterfaceAttribute")
def describe_network_interface_attribute(
    ctx: Ctx, *, NetworkInterfaceId: str, Attribute: str | None = None
) -> DescribeNetworkInterfaceAttributeResult:
    eni = ctx.backend.network_interfaces.get(NetworkInterfaceId)
    if Attribute is None:
        raise MissingParameter("Attribute")
    result: DescribeNetworkInterfaceAttributeResult = {"NetworkInterfaceId": eni.id}
    if Attribute == "description":
        result["Description"] = {"Value": eni.description}
    elif Attribute == "groupSet":
        result["Groups"] = [{"GroupId": gid, "GroupName": name} for gid, name in eni.groups]
    elif Attribute == "sourceDestCheck":
        result["SourceDestCheck"] = {"Value": eni.source_dest_check}
    elif Attribute == "attachment":
        attachment = eni.describe_attachment()
        if attachment is not None:
            result["Attachment"] = attachment
    elif Attribute == "associatePublicIpAddress":
        wanted = eni.associate_public_ip
        if wanted is None:  # never set: whether it has an address EC2 gave it
            wanted = bool(eni.public_ip and not eni.allocation_id)
        result["AssociatePublicIpAddress"] = wanted
    else:
        raise InvalidParameterValue(
            f"Value ({Attribute}) for parameter attribute is invalid. Unknown network "
            "interface attribute"
        )
    return result


@operation("ResetNetworkInterfaceAttribute")
def reset_network_interface_attribute(
    ctx: Ctx, *, NetworkInterfaceId: str, SourceDestCheck: str | None = None
) -> None:
    if SourceDestCheck is None:
        raise MissingParameter("SourceDestCheck")
    ctx.backend.network_interfaces.reset_source_dest_check(NetworkInterfaceId)


@operation("AssignPrivateIpAddresses")
def assign_private_ip_addresses(
    ctx: Ctx,
    *,
    NetworkInterfaceId: str,
    PrivateIpAddresses: list[str] | None = None,
    SecondaryPrivateIpAddressCount: int | None = None,
    Ipv4Prefixes: list[str] | None = None,
    Ipv4PrefixCount: int | None = None,
    AllowReassignment: bool = False,
) -> AssignPrivateIpAddressesResult:
    addresses, prefixes = ctx.backend.network_interfaces.assign_private_ips(
        NetworkInterfaceId,
        PrivateIpAddresses or [],
        SecondaryPrivateIpAddressCount,
        Ipv4Prefixes or [],
        Ipv4PrefixCount,
        allow_reassignment=AllowReassignment,
    )
    return {
        "NetworkInterfaceId": NetworkInterfaceId,
        "AssignedPrivateIpAddresses": [{"PrivateIpAddress": a} for a in addresses],
        "AssignedIpv4Prefixes": [{"Ipv4Prefix": p} for p in prefixes],
    }


@operation("UnassignPrivateIpAddresses")
def unassign_private_ip_addresses(
    ctx: Ctx,
    *,
    NetworkInterfaceId: str,
    PrivateIpAddresses: list[str] | None = None,
    Ipv4Prefixes: list[str] | None = None,
) -> None:
    ctx.backend.network_interfaces.unassign_private_ips(
        NetworkInterfaceId, PrivateIpAddresses or [], Ipv4Prefixes or []
    )


@operation("AssignIpv6Addresses")
def assign_ipv6_addresses(
    ctx: Ctx,
    *,
    NetworkInterfaceId: str,
    Ipv6Addresses: list[str] | None = None,
    Ipv6AddressCount: int | None = None,
    Ipv6Prefixes: list[str] | None = None,
    Ipv6PrefixCount: int | None = None,
) -> AssignIpv6AddressesResult:
    addresses, prefixes = ctx.backend.network_interfaces.assign_ipv6(
        NetworkInterfaceId,
        Ipv6Addresses or [],
        Ipv6AddressCount,
        Ipv6Prefixes or [],
        Ipv6PrefixCount,
    )
    return {
        "NetworkInterfaceId": NetworkInterfaceId,
        "AssignedIpv6Addresses": addresses,
        "AssignedIpv6Prefixes": prefixes,
    }


@operation("UnassignIpv6Addresses")
def unassign_ipv6_addresses(
    ctx: Ctx,
    *,
    NetworkInterfaceId: str,
    Ipv6Addresses: list[str] | None = None,
    Ipv6Prefixes: list[str] | None = None,
) -> UnassignIpv6AddressesResult:
    addresses, prefixes = ctx.backend.network_interfaces.unassign_ipv6(
        NetworkInterfaceId, Ipv6Addresses or [], Ipv6Prefixes or []
    )
    return {
        "NetworkInterfaceId": NetworkInterfaceId,
        "UnassignedIpv6Addresses": addresses,
        "UnassignedIpv6Prefixes": prefixes,
    }


@operation("CreateNetworkInterfacePermission")
def create_network_interface_permission(
    ctx: Ctx,
    *,
    NetworkInterfaceId: str,
    Permission: str,
    AwsAccountId: str | None = None,
    AwsService: str | None = None,
) -> CreateNetworkInterfacePermissionResult:
    permission = ctx.backend.network_interfaces.create_permission(
        NetworkInterfaceId, AwsAccountId, AwsService, Permission
    )
    return {"InterfacePermission": permission.describe()}


@operation("DeleteNetworkInterfacePermission")
def delete_network_interface_permission(
    ctx: Ctx, *, NetworkInterfacePermissionId: str, Force: bool = False
) -> DeleteNetworkInterfacePermissionResult:
    ctx.backend.network_interfaces.delete_permission(NetworkInterfacePermissionId, force=Force)
    return {"Return": True}


@operation("DescribeNetworkInterfacePermissions", filters=PERMISSIONS)
def describe_network_interface_permissions(
    ctx: Ctx,
    *,
    NetworkInterfacePermissionIds: list[str] | None = None,
    Filters: list[Filter] | None = None,
    NextToken: str | None = None,
    MaxResults: int | None = None,
) -> DescribeNetworkInterfacePermissionsResult:
    store = ctx.backend.network_interfaces.permissions
    found = select(ctx, store, NetworkInterfacePermissionIds, Filters, PERMISSIONS)
    shown, token = page(ctx, found, MaxResults, NextToken, high=255)
    result: DescribeNetworkInterfacePermissionsResult = {
        "NetworkInterfacePermissions": [p.describe() for p in shown]
    }
    if token:
        result["NextToken"] = token
    return result


@operation("AssociateTrunkInterface")
def associate_trunk_interface(
    ctx: Ctx,
    *,
    BranchInterfaceId: str,
    TrunkInterfaceId: str,
    VlanId: int | None = None,
    GreKey: int | None = None,
    ClientToken: str | None = None,
) -> AssociateTrunkInterfaceResult:
    association = ctx.backend.network_interfaces.associate_trunk(
        BranchInterfaceId, TrunkInterfaceId, VlanId, GreKey, ClientToken
    )
    result: AssociateTrunkInterfaceResult = {"InterfaceAssociation": association.describe()}
    if ClientToken:
        result["ClientToken"] = ClientToken
    return result


@operation("DisassociateTrunkInterface")
def disassociate_trunk_interface(
    ctx: Ctx, *, AssociationId: str, ClientToken: str | None = None
) -> DisassociateTrunkInterfaceResult:
    ctx.backend.network_interfaces.disassociate_trunk(AssociationId)
    result: DisassociateTrunkInterfaceResult = {"Return": True}
    if ClientToken:
        result["ClientToken"] = ClientToken
    return result


@operation("DescribeTrunkInterfaceAssociations", filters=TRUNKS)
def describe_trunk_interface_associations(
    ctx: Ctx,
    *,
    AssociationIds: list[str] | None = None,
    Filters: list[Filter] | None = None,
    NextToken: str | None = None,
    MaxResults: int | None = None,
) -> DescribeTrunkInterfaceAssociationsResult:
    store = ctx.backend.network_interfaces.trunk_associations
    found = select(ctx, store, AssociationIds, Filters, TRUNKS)
    shown, token = page(ctx, found, MaxResults, NextToken, high=255)
    result: DescribeTrunkInterfaceAssociationsResult = {
        "InterfaceAssociations": [a.describe() for a in shown]
    }
    if token:
        result["NextToken"] = token
    return result


@operation("DescribeSecondaryInterfaces", filters=SECONDARY)
def describe_secondary_interfaces(
    ctx: Ctx,
    *,
    SecondaryInterfaceIds: list[str] | None = None,
    Filters: list[Filter] | None = None,
    NextToken: str | None = None,
    MaxResults: int | None = None,
) -> DescribeSecondaryInterfacesResult:
    # cloudmock models no secondary networks, so no secondary interface exists
    if SecondaryInterfaceIds:
        raise ServiceError(
            f"The secondary interface ID '{SecondaryInterfaceIds[0]}' does not exist",
            code="InvalidSecondaryInterfaceID.NotFound",
        )
    found = apply_filters([], Filters, SECONDARY, ctx.operation_model)
    shown, token = page(ctx, found, MaxResults, NextToken)
    result: DescribeSecondaryInterfacesResult = {"SecondaryInterfaces": shown}
    if token:
        result["NextToken"] = token
    return result
