"""Transit gateway Connect peers, multicast domains, policy tables and metering policies."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cloudmock.core.errors import MissingParameter
from cloudmock.core.plugin import operation
from cloudmock.services.ec2.dryrun import commit
from cloudmock.services.ec2.filters import FilterSet, apply_filters
from cloudmock.services.ec2.models.tags import tag_specifications
from cloudmock.services.ec2.models.transit_gateway_extras import (
    CONNECT_PEER_FILTERS,
    DOMAIN_ASSOCIATION_FILTERS,
    GROUP_FILTERS,
    MULTICAST_DOMAIN_FILTERS,
    POLICY_ENTRY_FILTERS,
    DomainAssociation,
    MulticastDomain,
    PolicyEntry,
    TgwExtras,
    registration_rows,
)
from cloudmock.services.ec2.models.transit_gateways import ConnectAttachment
from cloudmock.services.ec2.responses.common import Ctx, page
from cloudmock.services.ec2.responses.transit_gateways import describe_page, family

if TYPE_CHECKING:
    from cloudmock.services.ec2.shapes import (
        AcceptTransitGatewayMulticastDomainAssociationsResult,
        AssociateTransitGatewayMulticastDomainResult,
        AssociateTransitGatewayPolicyTableResult,
        CreateTransitGatewayConnectPeerResult,
        CreateTransitGatewayMeteringPolicyEntryResult,
        CreateTransitGatewayMeteringPolicyResult,
        CreateTransitGatewayMulticastDomainRequestOptions,
        CreateTransitGatewayMulticastDomainResult,
        CreateTransitGatewayPolicyTableEntryResult,
        CreateTransitGatewayPolicyTableResult,
        DeleteTransitGatewayConnectPeerResult,
        DeleteTransitGatewayMeteringPolicyEntryResult,
        DeleteTransitGatewayMeteringPolicyResult,
        DeleteTransitGatewayMulticastDomainResult,
        DeleteTransitGatewayPolicyTableEntryResult,
        DeleteTransitGatewayPolicyTableResult,
        DeregisterTransitGatewayMulticastGroupMembersResult,
        DeregisterTransitGatewayMulticastGroupSourcesResult,
        DescribeTransitGatewayConnectPeersResult,
        DescribeTransitGatewayMeteringPoliciesResult,
        DescribeTransitGatewayMulticastDomainsResult,
        DescribeTransitGatewayPolicyTablesResult,
        DisassociateTransitGatewayMulticastDomainResult,
        DisassociateTransitGatewayPolicyTableResult,
        Filter,
        GetTransitGatewayMeteringPolicyEntriesResult,
        GetTransitGatewayMulticastDomainAssociationsResult,
        GetTransitGatewayPolicyTableAssociationsResult,
        GetTransitGatewayPolicyTableEntriesResult,
        ModifyTransitGatewayMeteringPolicyResult,
        ModifyTransitGatewayPolicyTableEntryResult,
        RegisterTransitGatewayMulticastGroupMembersResult,
        RegisterTransitGatewayMulticastGroupSourcesResult,
        RejectTransitGatewayMulticastDomainAssociationsResult,
        SearchTransitGatewayMulticastGroupsResult,
        TagSpecification,
        TransitGatewayConnectRequestBgpOptions,
        TransitGatewayRequestPolicyRule,
    )

CONNECT_PEERS: FilterSet[Any] = FilterSet(CONNECT_PEER_FILTERS)
DOMAINS: FilterSet[Any] = FilterSet(MULTICAST_DOMAIN_FILTERS)
DOMAIN_ASSOCIATIONS: FilterSet[Any] = FilterSet(
    DOMAIN_ASSOCIATION_FILTERS, tags=lambda a: a.attachment.tags
)
GROUPS: FilterSet[Any] = FilterSet(GROUP_FILTERS, tags=lambda r: {})
POLICY_TABLES: FilterSet[Any] = FilterSet({})
POLICY_ASSOCIATIONS: FilterSet[Any] = FilterSet({})
POLICY_ENTRIES: FilterSet[Any] = FilterSet(POLICY_ENTRY_FILTERS, tags=lambda e: {})
METERING_POLICIES: FilterSet[Any] = FilterSet({})
METERING_ENTRIES: FilterSet[Any] = FilterSet({}, tags=lambda e: {})


def extras_of(ctx: Ctx) -> TgwExtras:
    return family(ctx).extras


# -- Connect peers


@operation("CreateTransitGatewayConnectPeer")
def create_transit_gateway_connect_peer(
    ctx: Ctx,
    *,
    TransitGatewayAttachmentId: str,
    PeerAddress: str,
    InsideCidrBlocks: list[str],
    TransitGatewayAddress: str | None = None,
    BgpOptions: TransitGatewayConnectRequestBgpOptions | None = None,
    TagSpecifications: list[TagSpecification] | None = None,
) -> CreateTransitGatewayConnectPeerResult:
    tgws = family(ctx)
    extras = tgws.extras
    tags = tag_specifications(TagSpecifications, ("transit-gateway-connect-peer",))
    attachment = tgws.attachment_of(TransitGatewayAttachmentId, ConnectAttachment)
    gateway = tgws.gateway(attachment.tgw_id)
    address, cidrs, asn = extras.check_connect_peer(
        attachment,
        gateway,
        TransitGatewayAddress,
        PeerAddress,
        InsideCidrBlocks,
        (BgpOptions or {}).get("PeerAsn"),
    )
    commit()
    peer = extras.create_connect_peer(
        attachment,
        gateway,
        address,
        PeerAddress,
        cidrs,
        asn,
        tags.get("transit-gateway-connect-peer", {}),
    )
    return {"TransitGatewayConnectPeer": peer.describe()}


@operation("DescribeTransitGatewayConnectPeers", filters=CONNECT_PEERS)
def describe_transit_gateway_connect_peers(
    ctx: Ctx,
    *,
    TransitGatewayConnectPeerIds: list[str] | None = None,
    Filters: list[Filter] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> DescribeTransitGatewayConnectPeersResult:
    shown, token = describe_page(
        ctx,
        extras_of(ctx).connect_peers,
        TransitGatewayConnectPeerIds,
        Filters,
        CONNECT_PEERS,
        MaxResults,
        NextToken,
    )
    result: DescribeTransitGatewayConnectPeersResult = {
        "TransitGatewayConnectPeers": [p.describe() for p in shown]
    }
    if token:
        result["NextToken"] = token
    return result


@operation("DeleteTransitGatewayConnectPeer")
def delete_transit_gateway_connect_peer(
    ctx: Ctx, *, TransitGatewayConnectPeerId: str
) -> DeleteTransitGatewayConnectPeerResult:
    extras = extras_of(ctx)
    peer = extras.connect_peer(TransitGatewayConnectPeerId)
    if peer.state in ("deleting", "deleted"):
        extras.delete_connect_peer(peer)  # raises IncorrectState
    commit()
    extras.delete_connect_peer(peer)
    return {"TransitGatewayConnectPeer": peer.describe()}


# -- multicast domains


@operation("CreateTransitGatewayMulticastDomain")
def create_transit_gateway_multicast_domain(
    ctx: Ctx,
    *,
    TransitGatewayId: str,
    Options: CreateTransitGatewayMulticastDomainRequestOptions | None = None,
    TagSpecifications: list[TagSpecification] | None = None,
) -> CreateTransitGatewayMulticastDomainResult:
    tgws = family(ctx)
    tags = tag_specifications(TagSpecifications, ("transit-gateway-multicast-domain",))
    gateway = tgws.available_gateway(TransitGatewayId, same_account=True)
    tgws.extras.check_create_domain(gateway)
    commit()
    domain = tgws.extras.create_domain(
        gateway, dict(Options or {}), tags.get("transit-gateway-multicast-domain", {})
    )
    return {"TransitGatewayMulticastDomain": domain.describe()}


@operation("DescribeTransitGatewayMulticastDomains", filters=DOMAINS)
def describe_transit_gateway_multicast_domains(
    ctx: Ctx,
    *,
    TransitGatewayMulticastDomainIds: list[str] | None = None,
    Filters: list[Filter] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> DescribeTransitGatewayMulticastDomainsResult:
    shown, token = describe_page(
        ctx,
        extras_of(ctx).multicast_domains,
        TransitGatewayMulticastDomainIds,
        Filters,
        DOMAINS,
        MaxResults,
        NextToken,
    )
    result: DescribeTransitGatewayMulticastDomainsResult = {
        "TransitGatewayMulticastDomains": [d.describe() for d in shown]
    }
    if token:
        result["NextToken"] = token
    return result


@operation("DeleteTransitGatewayMulticastDomain")
def delete_transit_gateway_multicast_domain(
    ctx: Ctx, *, TransitGatewayMulticastDomainId: str
) -> DeleteTransitGatewayMulticastDomainResult:
    extras = extras_of(ctx)
    domain = extras.domain(TransitGatewayMulticastDomainId)
    extras.check_delete_domain(domain)
    commit()
    extras.delete_domain(domain)
    return {"TransitGatewayMulticastDomain": domain.describe()}


def _associations(
    domain: MulticastDomain,
    attachment: Any,
    rows: list[DomainAssociation],
    state: str | None = None,
) -> Any:
    return {
        "TransitGatewayMulticastDomainId": domain.id,
        "TransitGatewayAttachmentId": attachment.id,
        "ResourceId": attachment.resource_id,
        "ResourceType": attachment.resource_type,
        "ResourceOwnerId": attachment.resource_owner_id,
        "Subnets": [
            {"SubnetId": a.subnet_id, "State": state or _shown_state(a.state)} for a in rows
        ],
    }


def _shown_state(state: str) -> str:
    # a new association is on its way; the next describe shows it associated
    return "associating" if state == "associated" else state


@operation("AssociateTransitGatewayMulticastDomain")
def associate_transit_gateway_multicast_domain(
    ctx: Ctx,
    *,
    TransitGatewayMulticastDomainId: str,
    TransitGatewayAttachmentId: str,
    SubnetIds: list[str],
) -> AssociateTransitGatewayMulticastDomainResult:
    tgws = family(ctx)
    domain = tgws.extras.domain(TransitGatewayMulticastDomainId)
    attachment = tgws.attachment(TransitGatewayAttachmentId)
    subnets = tgws.extras.check_domain_subnets(domain, attachment, SubnetIds)
    commit()
    rows = tgws.extras.associate_domain(domain, attachment, subnets)
    return {"Associations": _associations(domain, attachment, rows)}


@operation("DisassociateTransitGatewayMulticastDomain")
def disassociate_transit_gateway_multicast_domain(
    ctx: Ctx,
    *,
    TransitGatewayMulticastDomainId: str,
    TransitGatewayAttachmentId: str,
    SubnetIds: list[str],
) -> DisassociateTransitGatewayMulticastDomainResult:
    tgws = family(ctx)
    domain = tgws.extras.domain(TransitGatewayMulticastDomainId)
    attachment = tgws.attachment(TransitGatewayAttachmentId)
    if not SubnetIds:
        raise MissingParameter("SubnetIds")
    rows = tgws.extras.check_disassociate_domain(domain, attachment, SubnetIds)
    commit()
    tgws.extras.disassociate_domain(domain, rows)
    return {"Associations": _associations(domain, attachment, rows, "disassociating")}


@operation("AcceptTransitGatewayMulticastDomainAssociations")
def accept_transit_gateway_multicast_domain_associations(
    ctx: Ctx,
    *,
    TransitGatewayMulticastDomainId: str | None = None,
    TransitGatewayAttachmentId: str | None = None,
    SubnetIds: list[str] | None = None,
) -> AcceptTransitGatewayMulticastDomainAssociationsResult:
    return _settle(
        ctx, TransitGatewayMulticastDomainId, TransitGatewayAttachmentId, SubnetIds, True
    )


@operation("RejectTransitGatewayMulticastDomainAssociations")
def reject_transit_gateway_multicast_domain_associations(
    ctx: Ctx,
    *,
    TransitGatewayMulticastDomainId: str | None = None,
    TransitGatewayAttachmentId: str | None = None,
    SubnetIds: list[str] | None = None,
) -> RejectTransitGatewayMulticastDomainAssociationsResult:
    return _settle(
        ctx, TransitGatewayMulticastDomainId, TransitGatewayAttachmentId, SubnetIds, False
    )


def _settle(
    ctx: Ctx,
    domain_id: str | None,
    attachment_id: str | None,
    subnet_ids: list[str] | None,
    accept: bool,
) -> Any:
    tgws = family(ctx)
    if not domain_id:
        raise MissingParameter("TransitGatewayMulticastDomainId")
    if not attachment_id:
        raise MissingParameter("TransitGatewayAttachmentId")
    domain = tgws.extras.domain(domain_id)
    attachment = tgws.attachment(attachment_id)
    rows = tgws.extras.check_pending_associations(domain, attachment, subnet_ids)
    commit()
    tgws.extras.settle_associations(domain, rows, accept)
    return {
        "Associations": _associations(
            domain, attachment, rows, "associating" if accept else "rejected"
        )
    }


@operation("GetTransitGatewayMulticastDomainAssociations", filters=DOMAIN_ASSOCIATIONS)
def get_transit_gateway_multicast_domain_associations(
    ctx: Ctx,
    *,
    TransitGatewayMulticastDomainId: str,
    Filters: list[Filter] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> GetTransitGatewayMulticastDomainAssociationsResult:
    domain = extras_of(ctx).domain(TransitGatewayMulticastDomainId)
    rows = apply_filters(
        list(domain.associations.values()), Filters, DOMAIN_ASSOCIATIONS, ctx.operation_model
    )
    shown, token = page(ctx, rows, MaxResults, NextToken)
    result: GetTransitGatewayMulticastDomainAssociationsResult = {
        "MulticastDomainAssociations": [
            {
                "TransitGatewayAttachmentId": a.attachment.id,
                "ResourceId": a.attachment.resource_id,
                "ResourceType": a.attachment.resource_type,  # type: ignore[typeddict-item]
                "ResourceOwnerId": a.attachment.resource_owner_id,
                "Subnet": {"SubnetId": a.subnet_id, "State": a.state},  # type: ignore[typeddict-item]
            }
            for a in shown
        ]
    }
    if token:
        result["NextToken"] = token
    return result


def _register(
    ctx: Ctx, domain_id: str | None, group: str | None, enis: list[str] | None, member: bool
) -> Any:
    extras = extras_of(ctx)
    if not domain_id:
        raise MissingParameter("TransitGatewayMulticastDomainId")
    if not group:
        raise MissingParameter("GroupIpAddress")
    domain = extras.domain(domain_id)
    found = extras.check_group(domain, group, enis or [])
    commit()
    registered = extras.register(domain, group, found, member)
    return {
        "TransitGatewayMulticastDomainId": domain.id,
        "RegisteredNetworkInterfaceIds": registered,
        "GroupIpAddress": group,
    }


def _deregister(
    ctx: Ctx, domain_id: str | None, group: str | None, enis: list[str] | None, member: bool
) -> Any:
    extras = extras_of(ctx)
    if not domain_id:
        raise MissingParameter("TransitGatewayMulticastDomainId")
    if not group:
        raise MissingParameter("GroupIpAddress")
    if not enis:
        raise MissingParameter("NetworkInterfaceIds")
    domain = extras.domain(domain_id)
    commit()
    removed = extras.deregister(domain, group, enis, member)
    return {
        "TransitGatewayMulticastDomainId": domain.id,
        "DeregisteredNetworkInterfaceIds": removed,
        "GroupIpAddress": group,
    }


@operation("RegisterTransitGatewayMulticastGroupMembers")
def register_transit_gateway_multicast_group_members(
    ctx: Ctx,
    *,
    TransitGatewayMulticastDomainId: str,
    NetworkInterfaceIds: list[str],
    GroupIpAddress: str | None = None,
) -> RegisterTransitGatewayMulticastGroupMembersResult:
    return {
        "RegisteredMulticastGroupMembers": _register(
            ctx, TransitGatewayMulticastDomainId, GroupIpAddress, NetworkInterfaceIds, True
        )
    }


@operation("RegisterTransitGatewayMulticastGroupSources")
def register_transit_gateway_multicast_group_sources(
    ctx: Ctx,
    *,
    TransitGatewayMulticastDomainId: str,
    NetworkInterfaceIds: list[str],
    GroupIpAddress: str | None = None,
) -> RegisterTransitGatewayMulticastGroupSourcesResult:
    return {
        "RegisteredMulticastGroupSources": _register(
            ctx, TransitGatewayMulticastDomainId, GroupIpAddress, NetworkInterfaceIds, False
        )
    }


@operation("DeregisterTransitGatewayMulticastGroupMembers")
def deregister_transit_gateway_multicast_group_members(
    ctx: Ctx,
    *,
    TransitGatewayMulticastDomainId: str | None = None,
    GroupIpAddress: str | None = None,
    NetworkInterfaceIds: list[str] | None = None,
) -> DeregisterTransitGatewayMulticastGroupMembersResult:
    return {
        "DeregisteredMulticastGroupMembers": _deregister(
            ctx, TransitGatewayMulticastDomainId, GroupIpAddress, NetworkInterfaceIds, True
        )
    }


@operation("DeregisterTransitGatewayMulticastGroupSources")
def deregister_transit_gateway_multicast_group_sources(
    ctx: Ctx,
    *,
    TransitGatewayMulticastDomainId: str | None = None,
    GroupIpAddress: str | None = None,
    NetworkInterfaceIds: list[str] | None = None,
) -> DeregisterTransitGatewayMulticastGroupSourcesResult:
    return {
        "DeregisteredMulticastGroupSources": _deregister(
            ctx, TransitGatewayMulticastDomainId, GroupIpAddress, NetworkInterfaceIds, False
        )
    }


@operation("SearchTransitGatewayMulticastGroups", filters=GROUPS)
def search_transit_gateway_multicast_groups(
    ctx: Ctx,
    *,
    TransitGatewayMulticastDomainId: str,
    Filters: list[Filter] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> SearchTransitGatewayMulticastGroupsResult:
    extras = extras_of(ctx)
    domain = extras.domain(TransitGatewayMulticastDomainId)
    rows = apply_filters(
        registration_rows(extras.registrations(domain)), Filters, GROUPS, ctx.operation_model
    )
    shown, token = page(ctx, rows, MaxResults, NextToken)
    result: SearchTransitGatewayMulticastGroupsResult = {"MulticastGroups": shown}
    if token:
        result["NextToken"] = token
    return result


# -- policy tables


@operation("CreateTransitGatewayPolicyTable")
def create_transit_gateway_policy_table(
    ctx: Ctx,
    *,
    TransitGatewayId: str,
    TagSpecifications: list[TagSpecification] | None = None,
) -> CreateTransitGatewayPolicyTableResult:
    tgws = family(ctx)
    tags = tag_specifications(TagSpecifications, ("transit-gateway-policy-table",))
    gateway = tgws.available_gateway(TransitGatewayId, same_account=True)
    commit()
    table = tgws.extras.create_policy_table(gateway, tags.get("transit-gateway-policy-table", {}))
    return {"TransitGatewayPolicyTable": table.describe()}


@operation("DescribeTransitGatewayPolicyTables", filters=POLICY_TABLES)
def describe_transit_gateway_policy_tables(
    ctx: Ctx,
    *,
    TransitGatewayPolicyTableIds: list[str] | None = None,
    Filters: list[Filter] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> DescribeTransitGatewayPolicyTablesResult:
    shown, token = describe_page(
        ctx,
        extras_of(ctx).policy_tables,
        TransitGatewayPolicyTableIds,
        Filters,
        POLICY_TABLES,
        MaxResults,
        NextToken,
    )
    result: DescribeTransitGatewayPolicyTablesResult = {
        "TransitGatewayPolicyTables": [t.describe() for t in shown]
    }
    if token:
        result["NextToken"] = token
    return result


@operation("DeleteTransitGatewayPolicyTable")
def delete_transit_gateway_policy_table(
    ctx: Ctx, *, TransitGatewayPolicyTableId: str
) -> DeleteTransitGatewayPolicyTableResult:
    extras = extras_of(ctx)
    table = extras.policy_table(TransitGatewayPolicyTableId)
    extras.check_delete_policy_table(table)
    commit()
    extras.delete_policy_table(table)
    return {"TransitGatewayPolicyTable": table.describe()}


def _policy_association(table: Any, attachment: Any, state: str) -> Any:
    return {
        "TransitGatewayPolicyTableId": table.id,
        "TransitGatewayAttachmentId": attachment.id,
        "ResourceId": attachment.resource_id,
        "ResourceType": attachment.resource_type,
        "State": state,
    }


@operation("AssociateTransitGatewayPolicyTable")
def associate_transit_gateway_policy_table(
    ctx: Ctx, *, TransitGatewayPolicyTableId: str, TransitGatewayAttachmentId: str
) -> AssociateTransitGatewayPolicyTableResult:
    tgws = family(ctx)
    table = tgws.extras.policy_table(TransitGatewayPolicyTableId)
    attachment = tgws.attachment(TransitGatewayAttachmentId)
    tgws.extras.check_policy_association(table, attachment)
    commit()
    tgws.extras.associate_policy(table, attachment)
    return {"Association": _policy_association(table, attachment, "associating")}


@operation("DisassociateTransitGatewayPolicyTable")
def disassociate_transit_gateway_policy_table(
    ctx: Ctx, *, TransitGatewayPolicyTableId: str, TransitGatewayAttachmentId: str
) -> DisassociateTransitGatewayPolicyTableResult:
    tgws = family(ctx)
    table = tgws.extras.policy_table(TransitGatewayPolicyTableId)
    attachment = tgws.attachment(TransitGatewayAttachmentId)
    tgws.extras.check_policy_disassociation(table, attachment)
    commit()
    tgws.extras.disassociate_policy(table, attachment)
    return {"Association": _policy_association(table, attachment, "disassociating")}


@operation("GetTransitGatewayPolicyTableAssociations", filters=POLICY_ASSOCIATIONS)
def get_transit_gateway_policy_table_associations(
    ctx: Ctx,
    *,
    TransitGatewayPolicyTableId: str,
    Filters: list[Filter] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> GetTransitGatewayPolicyTableAssociationsResult:
    table = extras_of(ctx).policy_table(TransitGatewayPolicyTableId)
    rows = apply_filters(
        list(table.associations.values()), Filters, POLICY_ASSOCIATIONS, ctx.operation_model
    )
    shown, token = page(ctx, rows, MaxResults, NextToken)
    result: GetTransitGatewayPolicyTableAssociationsResult = {
        "Associations": [_policy_association(table, a, "associated") for a in shown]
    }
    if token:
        result["NextToken"] = token
    return result


@operation("CreateTransitGatewayPolicyTableEntry")
def create_transit_gateway_policy_table_entry(
    ctx: Ctx,
    *,
    TransitGatewayPolicyTableId: str,
    PolicyRuleNumber: str,
    TargetRouteTableId: str,
    PolicyRule: TransitGatewayRequestPolicyRule | None = None,
) -> CreateTransitGatewayPolicyTableEntryResult:
    extras = extras_of(ctx)
    table = extras.policy_table(TransitGatewayPolicyTableId)
    extras.check_new_entry(table, PolicyRuleNumber)
    rule = extras.policy_rule(dict(PolicyRule or {}))
    extras.check_target(table, TargetRouteTableId)
    commit()
    entry = table.entries[PolicyRuleNumber] = PolicyEntry(
        PolicyRuleNumber, rule, TargetRouteTableId
    )
    return {"TransitGatewayPolicyTableEntry": entry.describe()}


@operation("ModifyTransitGatewayPolicyTableEntry")
def modify_transit_gateway_policy_table_entry(
    ctx: Ctx,
    *,
    TransitGatewayPolicyTableId: str,
    PolicyRuleNumber: str,
    PolicyRule: TransitGatewayRequestPolicyRule | None = None,
    TargetRouteTableId: str | None = None,
) -> ModifyTransitGatewayPolicyTableEntryResult:
    extras = extras_of(ctx)
    table = extras.policy_table(TransitGatewayPolicyTableId)
    entry = extras.entry(table, PolicyRuleNumber)
    rule = extras.policy_rule(dict(PolicyRule)) if PolicyRule is not None else entry.rule
    extras.check_target(table, TargetRouteTableId)
    commit()
    entry.rule = rule
    if TargetRouteTableId is not None:
        entry.target_route_table_id = TargetRouteTableId
    return {"TransitGatewayPolicyTableEntry": entry.describe()}


@operation("DeleteTransitGatewayPolicyTableEntry")
def delete_transit_gateway_policy_table_entry(
    ctx: Ctx, *, TransitGatewayPolicyTableId: str, PolicyRuleNumber: str
) -> DeleteTransitGatewayPolicyTableEntryResult:
    extras = extras_of(ctx)
    table = extras.policy_table(TransitGatewayPolicyTableId)
    entry = extras.entry(table, PolicyRuleNumber)
    commit()
    del table.entries[PolicyRuleNumber]
    entry.state = "deleted"
    return {"TransitGatewayPolicyTableEntry": entry.describe()}


@operation("GetTransitGatewayPolicyTableEntries", filters=POLICY_ENTRIES)
def get_transit_gateway_policy_table_entries(
    ctx: Ctx,
    *,
    TransitGatewayPolicyTableId: str,
    Filters: list[Filter] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> GetTransitGatewayPolicyTableEntriesResult:
    table = extras_of(ctx).policy_table(TransitGatewayPolicyTableId)
    entries = sorted(table.entries.values(), key=lambda e: int(e.number))
    entries = apply_filters(entries, Filters, POLICY_ENTRIES, ctx.operation_model)
    shown, token = page(ctx, entries, MaxResults, NextToken)
    result: GetTransitGatewayPolicyTableEntriesResult = {
        "TransitGatewayPolicyTableEntries": [e.describe() for e in shown]
    }
    if token:
        result["NextToken"] = token
    return result


# -- metering policies


@operation("CreateTransitGatewayMeteringPolicy")
def create_transit_gateway_metering_policy(
    ctx: Ctx,
    *,
    TransitGatewayId: str,
    MiddleboxAttachmentIds: list[str] | None = None,
    TagSpecifications: list[TagSpecification] | None = None,
) -> CreateTransitGatewayMeteringPolicyResult:
    tgws = family(ctx)
    tags = tag_specifications(TagSpecifications, ("transit-gateway-metering-policy",))
    gateway = tgws.available_gateway(TransitGatewayId, same_account=True)
    middleboxes = tgws.extras.check_middleboxes(gateway.id, MiddleboxAttachmentIds)
    commit()
    policy = tgws.extras.create_metering_policy(
        gateway, middleboxes, tags.get("transit-gateway-metering-policy", {})
    )
    return {"TransitGatewayMeteringPolicy": policy.describe()}


@operation("DescribeTransitGatewayMeteringPolicies", filters=METERING_POLICIES)
def describe_transit_gateway_metering_policies(
    ctx: Ctx,
    *,
    TransitGatewayMeteringPolicyIds: list[str] | None = None,
    Filters: list[Filter] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> DescribeTransitGatewayMeteringPoliciesResult:
    shown, token = describe_page(
        ctx,
        extras_of(ctx).metering_policies,
        TransitGatewayMeteringPolicyIds,
        Filters,
        METERING_POLICIES,
        MaxResults,
        NextToken,
    )
    result: DescribeTransitGatewayMeteringPoliciesResult = {
        "TransitGatewayMeteringPolicies": [p.describe() for p in shown]
    }
    if token:
        result["NextToken"] = token
    return result


@operation("ModifyTransitGatewayMeteringPolicy")
def modify_transit_gateway_metering_policy(
    ctx: Ctx,
    *,
    TransitGatewayMeteringPolicyId: str,
    AddMiddleboxAttachmentIds: list[str] | None = None,
    RemoveMiddleboxAttachmentIds: list[str] | None = None,
) -> ModifyTransitGatewayMeteringPolicyResult:
    extras = extras_of(ctx)
    policy = extras.metering_policy(TransitGatewayMeteringPolicyId)
    middleboxes = extras.check_modify_metering(
        policy, AddMiddleboxAttachmentIds, RemoveMiddleboxAttachmentIds
    )
    commit()
    extras.modify_metering(policy, middleboxes)
    return {"TransitGatewayMeteringPolicy": policy.describe()}


@operation("DeleteTransitGatewayMeteringPolicy")
def delete_transit_gateway_metering_policy(
    ctx: Ctx, *, TransitGatewayMeteringPolicyId: str
) -> DeleteTransitGatewayMeteringPolicyResult:
    extras = extras_of(ctx)
    policy = extras.metering_policy(TransitGatewayMeteringPolicyId)
    if policy.state in ("deleting", "deleted"):
        extras.delete_metering_policy(policy)  # raises IncorrectState
    commit()
    extras.delete_metering_policy(policy)
    return {"TransitGatewayMeteringPolicy": policy.describe()}


@operation("CreateTransitGatewayMeteringPolicyEntry")
def create_transit_gateway_metering_policy_entry(
    ctx: Ctx,
    *,
    TransitGatewayMeteringPolicyId: str,
    PolicyRuleNumber: int,
    MeteredAccount: str,
    SourceTransitGatewayAttachmentId: str | None = None,
    SourceTransitGatewayAttachmentType: str | None = None,
    SourceCidrBlock: str | None = None,
    SourcePortRange: str | None = None,
    DestinationTransitGatewayAttachmentId: str | None = None,
    DestinationTransitGatewayAttachmentType: str | None = None,
    DestinationCidrBlock: str | None = None,
    DestinationPortRange: str | None = None,
    Protocol: str | None = None,
) -> CreateTransitGatewayMeteringPolicyEntryResult:
    extras = extras_of(ctx)
    policy = extras.metering_policy(TransitGatewayMeteringPolicyId)
    rule = {
        "SourceTransitGatewayAttachmentId": SourceTransitGatewayAttachmentId,
        "SourceTransitGatewayAttachmentType": SourceTransitGatewayAttachmentType,
        "SourceCidrBlock": SourceCidrBlock,
        "SourcePortRange": SourcePortRange,
        "DestinationTransitGatewayAttachmentId": DestinationTransitGatewayAttachmentId,
        "DestinationTransitGatewayAttachmentType": DestinationTransitGatewayAttachmentType,
        "DestinationCidrBlock": DestinationCidrBlock,
        "DestinationPortRange": DestinationPortRange,
        "Protocol": Protocol,
    }
    extras.check_new_metering_entry(policy, PolicyRuleNumber, rule)
    commit()
    entry = extras.add_metering_entry(policy, PolicyRuleNumber, MeteredAccount, rule)
    return {"TransitGatewayMeteringPolicyEntry": entry.describe()}


@operation("DeleteTransitGatewayMeteringPolicyEntry")
def delete_transit_gateway_metering_policy_entry(
    ctx: Ctx, *, TransitGatewayMeteringPolicyId: str, PolicyRuleNumber: int
) -> DeleteTransitGatewayMeteringPolicyEntryResult:
    extras = extras_of(ctx)
    policy = extras.metering_policy(TransitGatewayMeteringPolicyId)
    entry = extras.metering_entry(policy, PolicyRuleNumber)
    commit()
    del policy.entries[PolicyRuleNumber]
    entry.state = "deleted"
    return {"TransitGatewayMeteringPolicyEntry": entry.describe()}


@operation("GetTransitGatewayMeteringPolicyEntries", filters=METERING_ENTRIES)
def get_transit_gateway_metering_policy_entries(
    ctx: Ctx,
    *,
    TransitGatewayMeteringPolicyId: str,
    Filters: list[Filter] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> GetTransitGatewayMeteringPolicyEntriesResult:
    policy = extras_of(ctx).metering_policy(TransitGatewayMeteringPolicyId)
    entries = [policy.entries[n] for n in sorted(policy.entries)]
    entries = apply_filters(entries, Filters, METERING_ENTRIES, ctx.operation_model)
    shown, token = page(ctx, entries, MaxResults, NextToken)
    result: GetTransitGatewayMeteringPolicyEntriesResult = {
        "TransitGatewayMeteringPolicyEntries": [e.describe() for e in shown]
    }
    if token:
        result["NextToken"] = token
    return result
