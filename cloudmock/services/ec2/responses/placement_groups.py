"""Placement groups: CreatePlacementGroup, DeletePlacementGroup, DescribePlacementGroups."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cloudmock.core.plugin import operation
from cloudmock.services.ec2.dryrun import commit
from cloudmock.services.ec2.filters import FilterSet
from cloudmock.services.ec2.models.tags import tag_specifications
from cloudmock.services.ec2.responses.common import Ctx, select

if TYPE_CHECKING:
    from cloudmock.services.ec2.shapes import (
        CreatePlacementGroupResult,
        DescribePlacementGroupsResult,
        Filter,
        TagSpecification,
    )

PLACEMENT_GROUPS: FilterSet[Any] = FilterSet(
    {
        "group-arn": lambda g: g.arn,
        "group-name": lambda g: g.name,
        "spread-level": lambda g: g.spread_level,
        "state": lambda g: g.state,
        "strategy": lambda g: g.strategy,
    },
    indexes={"group-name": "name", "strategy": "strategy"},
)


@operation("CreatePlacementGroup")
def create_placement_group(
    ctx: Ctx,
    *,
    GroupName: str | None = None,
    Strategy: str | None = None,
    PartitionCount: int | None = None,
    TagSpecifications: list[TagSpecification] | None = None,
    SpreadLevel: str | None = None,
    ParentGroupId: str | None = None,
) -> CreatePlacementGroupResult:
    family = ctx.backend.placement_groups
    tags = tag_specifications(TagSpecifications, ("placement-group",)).get("placement-group", {})
    name, strategy = family.check_create(
        GroupName, Strategy, PartitionCount, SpreadLevel, ParentGroupId
    )
    commit()
    group = family.create(name, strategy, PartitionCount, SpreadLevel, ParentGroupId, tags)
    return {"PlacementGroup": group.describe()}


@operation("DeletePlacementGroup")
def delete_placement_group(ctx: Ctx, *, GroupName: str) -> None:
    family = ctx.backend.placement_groups
    group = family.check_delete(GroupName)
    commit()
    family.delete(group)


@operation("DescribePlacementGroups", filters=PLACEMENT_GROUPS)
def describe_placement_groups(
    ctx: Ctx,
    *,
    GroupNames: list[str] | None = None,
    GroupIds: list[str] | None = None,
    Filters: list[Filter] | None = None,
) -> DescribePlacementGroupsResult:
    family = ctx.backend.placement_groups
    if GroupNames:
        chosen = {g.id: g for g in (family.named(n) for n in GroupNames)}
        if GroupIds:
            chosen.update((g.id, g) for g in family.store.get_many(GroupIds))
        items = select(ctx, family.store, list(chosen), Filters, PLACEMENT_GROUPS)
    else:
        items = select(ctx, family.store, GroupIds, Filters, PLACEMENT_GROUPS)
    return {"PlacementGroups": [g.describe() for g in items]}
