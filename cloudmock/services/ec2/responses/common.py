"""Helpers every describe handler shares: pick by ids, filter, page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from cloudmock.core.errors import InvalidParameterCombination
from cloudmock.core.plugin import RequestContext
from cloudmock.services.ec2.filters import FilterSet, apply_filters
from cloudmock.services.ec2.models.base import Store
from cloudmock.services.ec2.paging import paginate

T = TypeVar("T")


def select(
    ctx: RequestContext,
    store: Store[Any],
    ids: Sequence[str] | None,
    params: dict[str, Any],
    filter_set: FilterSet[Any],
) -> list[Any]:
    """The resources named by ``ids`` (all if none), narrowed by ``params["Filters"]``."""
    items = store.get_many(ids) if ids else list(store)
    return apply_filters(items, params.get("Filters"), filter_set, ctx.operation_model)


def page(
    ctx: RequestContext, items: Sequence[T], params: dict[str, Any]
) -> tuple[list[T], str | None]:
    """One page of ``items`` and the next page's token."""
    return paginate(items, params, ctx.operation)


def refuse_ids_with_max_results(
    ctx: RequestContext, params: dict[str, Any], ids_param: str
) -> None:
    """EC2 will not page a list of ids: naming both is an error before any id is looked up."""
    if params.get(ids_param) and params.get("MaxResults") is not None:
        wire = ctx.operation_model.input_shape.members[ids_param].serialization.get(
            "name", ids_param
        )
        raise InvalidParameterCombination(
            f"The parameter {wire[0].lower() + wire[1:]}Set cannot be used with the parameter maxResults"
        )


def with_token(result: dict[str, Any], token: str | None) -> dict[str, Any]:
    if token:
        result["NextToken"] = token
    return result
