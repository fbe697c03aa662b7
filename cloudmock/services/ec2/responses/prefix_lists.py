"""Managed prefix lists (the account's and AWS's) and DescribePrefixLists."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cloudmock.core.errors import InvalidParameterValue
from cloudmock.core.plugin import operation
from cloudmock.services.ec2.dryrun import commit
from cloudmock.services.ec2.filters import FilterSet, apply_filters
from cloudmock.services.ec2.models.prefix_lists import (
    MANAGED_PREFIX_LIST_FILTERS,
    PREFIX_LIST,
    PREFIX_LIST_FILTERS,
    PrefixLists,
)
from cloudmock.services.ec2.models.tags import tag_specifications
from cloudmock.services.ec2.responses.common import Ctx, page

if TYPE_CHECKING:
    from cloudmock.services.ec2.shapes import (
        AddPrefixListEntry,
        CreateManagedPrefixListResult,
        DeleteManagedPrefixListResult,
        DescribeManagedPrefixListsResult,
        DescribePrefixListsResult,
        Filter,
        GetManagedPrefixListAssociationsResult,
        GetManagedPrefixListEntriesResult,
        ModifyManagedPrefixListResult,
        RemovePrefixListEntry,
        RestoreManagedPrefixListVersionResult,
        TagSpecification,
    )

MANAGED: FilterSet[Any] = FilterSet(MANAGED_PREFIX_LIST_FILTERS)
AWS_LISTS: FilterSet[Any] = FilterSet(PREFIX_LIST_FILTERS)


def _family(ctx: Ctx) -> PrefixLists:
    return ctx.backend.prefix_lists


@operation("CreateManagedPrefixList")
def create_managed_prefix_list(
    ctx: Ctx,
    *,
    PrefixListName: str,
    MaxEntries: int,
    AddressFamily: str,
    Entries: list[AddPrefixListEntry] | None = None,
    TagSpecifications: list[TagSpecification] | None = None,
    ClientToken: str | None = None,
) -> CreateManagedPrefixListResult:
    family = _family(ctx)
    tags = tag_specifications(TagSpecifications, ["prefix-list"]).get("prefix-list", {})
    entries, existing = family.check_create(
        PrefixListName,
        MaxEntries,
        AddressFamily,
        Entries,
        ClientToken,
        tags,  # type: ignore[arg-type]
    )
    commit()
    if existing is not None:
        return {"PrefixList": existing.describe()}
    asked = (PrefixListName, MaxEntries, AddressFamily, repr(Entries), repr(sorted(tags.items())))
    item = family.create(
        PrefixListName, MaxEntries, AddressFamily, entries, tags, ClientToken, asked
    )
    return {"PrefixList": item.describe()}


@operation("DeleteManagedPrefixList")
def delete_managed_prefix_list(ctx: Ctx, *, PrefixListId: str) -> DeleteManagedPrefixListResult:
    family = _family(ctx)
    item = family.check_delete(PrefixListId)
    commit()
    family.delete(item)
    return {"PrefixList": item.describe()}


@operation("DescribeManagedPrefixLists", filters=MANAGED)
def describe_managed_prefix_lists(
    ctx: Ctx,
    *,
    Filters: list[Filter] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
    PrefixListIds: list[str] | None = None,
) -> DescribeManagedPrefixListsResult:
    family = _family(ctx)
    items = family.get_many(PrefixListIds) if PrefixListIds else family.visible()
    items = apply_filters(items, Filters, MANAGED, ctx.operation_model)
    shown, token = page(ctx, items, MaxResults, NextToken, low=1, high=100)
    result: DescribeManagedPrefixListsResult = {"PrefixLists": [p.describe() for p in shown]}
    if token:
        result["NextToken"] = token
    return result


@operation("DescribePrefixLists", filters=AWS_LISTS)
def describe_prefix_lists(
    ctx: Ctx,
    *,
    Filters: list[Filter] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
    PrefixListIds: list[str] | None = None,
) -> DescribePrefixListsResult:
    # The AWS services' lists only: a customer-managed list is not one of them.
    aws = _family(ctx).aws_lists
    if PrefixListIds:
        ids = list(dict.fromkeys(PrefixListIds))
        for value in ids:
            if value not in aws:
                _family(ctx).store.check_id(value)
        missing = [value for value in ids if value not in aws]
        if missing:
            raise PREFIX_LIST.not_found(missing)
        items = [aws[value] for value in ids]
    else:
        items = list(aws.values())
    items = apply_filters(items, Filters, AWS_LISTS, ctx.operation_model)
    shown, token = page(ctx, items, MaxResults, NextToken)
    result: DescribePrefixListsResult = {"PrefixLists": [p.describe_aws() for p in shown]}
    if token:
        result["NextToken"] = token
    return result


@operation("GetManagedPrefixListAssociations")
def get_managed_prefix_list_associations(
    ctx: Ctx,
    *,
    PrefixListId: str,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> GetManagedPrefixListAssociationsResult:
    users = _family(ctx).associations(PrefixListId)
    shown, token = page(ctx, users, MaxResults, NextToken, low=5, high=255)
    result: GetManagedPrefixListAssociationsResult = {
        "PrefixListAssociations": [
            {"ResourceId": resource_id, "ResourceOwner": owner} for resource_id, owner in shown
        ]
    }
    if token:
        result["NextToken"] = token
    return result


@operation("GetManagedPrefixListEntries")
def get_managed_prefix_list_entries(
    ctx: Ctx,
    *,
    PrefixListId: str,
    TargetVersion: int | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> GetManagedPrefixListEntriesResult:
    entries = _family(ctx).entries_of(PrefixListId, TargetVersion)
    shown, token = page(ctx, entries, MaxResults, NextToken, low=1, high=100)
    result: GetManagedPrefixListEntriesResult = {"Entries": shown}
    if token:
        result["NextToken"] = token
    return result


@operation("ModifyManagedPrefixList")
def modify_managed_prefix_list(
    ctx: Ctx,
    *,
    PrefixListId: str,
    CurrentVersion: int | None = None,
    PrefixListName: str | None = None,
    AddEntries: list[AddPrefixListEntry] | None = None,
    RemoveEntries: list[RemovePrefixListEntry] | None = None,
    MaxEntries: int | None = None,
    IpamPrefixListResolverSyncEnabled: bool | None = None,
) -> ModifyManagedPrefixListResult:
    family = _family(ctx)
    item, entries = family.check_modify(
        PrefixListId,
        CurrentVersion,
        PrefixListName,
        AddEntries,  # type: ignore[arg-type]
        RemoveEntries,  # type: ignore[arg-type]
        MaxEntries,
    )
    if IpamPrefixListResolverSyncEnabled:
        # Only an IPAM-managed list (one with a resolver target) can sync; none of ours is.
        raise InvalidParameterValue(
            f"The prefix list '{item.id}' is not associated with an IPAM prefix list "
            "resolver target, so synchronization cannot be enabled."
        )
    commit()
    family.modify(item, PrefixListName, entries, MaxEntries)
    return {"PrefixList": item.describe()}


@operation("RestoreManagedPrefixListVersion")
def restore_managed_prefix_list_version(
    ctx: Ctx, *, PrefixListId: str, PreviousVersion: int, CurrentVersion: int
) -> RestoreManagedPrefixListVersionResult:
    family = _family(ctx)
    item = family.check_restore(PrefixListId, PreviousVersion, CurrentVersion)
    commit()
    family.restore(item, PreviousVersion)
    return {"PrefixList": item.describe()}
