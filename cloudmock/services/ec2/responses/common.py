"""What every EC2 handler shares: its context type, and picking by ids, filtering, paging."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from cloudmock.core.errors import InvalidParameterCombination
from cloudmock.core.plugin import RequestContext
from cloudmock.services.ec2.filters import FilterSet, apply_filters, candidates
from cloudmock.services.ec2.models.backend import Ec2Backend
from cloudmock.services.ec2.models.base import Store
from cloudmock.services.ec2.paging import paginate

if TYPE_CHECKING:
    from cloudmock.services.ec2.shapes import Filter

#: what an EC2 handler's ``ctx`` is
Ctx = RequestContext[Ec2Backend]

T = TypeVar("T")


def select(
    ctx: Ctx,
    store: Store[Any],
    ids: Sequence[str] | None,
    filters: Sequence[Filter] | None,
    filter_set: FilterSet[Any],
) -> list[Any]:
    """The resources named by ``ids`` (all if none), narrowed by ``filters``."""
    items = store.get_many(ids) if ids else candidates(store, filters, filter_set)
    return apply_filters(items, filters, filter_set, ctx.operation_model)


def page(
    ctx: Ctx,
    items: Sequence[T],
    max_results: int | None,
    next_token: str | None,
    *,
    low: int = 5,
    high: int = 1000,
) -> tuple[list[T], str | None]:
    """One page of ``items`` and the next page's token; ``low``/``high``: EC2's MaxResults bounds."""
    return paginate(items, max_results, next_token, ctx.operation, low=low, high=high)


def refuse_ids_with_max_results(
    ctx: Ctx, ids: Sequence[str] | None, max_results: int | None, ids_member: str
) -> None:
    """EC2 will not page a list of ids: naming both is an error before any id is looked up."""
    if ids and max_results is not None:
        wire = ctx.operation_model.input_shape.members[ids_member].serialization.get(
            "name", ids_member
        )
        raise InvalidParameterCombination(
            f"The parameter {wire[0].lower() + wire[1:]}Set cannot be used with the parameter maxResults"
        )
