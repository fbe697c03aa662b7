"""What every SSM handler shares: its context type and paging."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from cloudmock.core.plugin import RequestContext
from cloudmock.services.ssm.models.backend import SsmBackend
from cloudmock.services.ssm.models.paging import page, query_digest

#: what an SSM handler's ``ctx`` is
Ctx = RequestContext[SsmBackend]

T = TypeVar("T")
K = TypeVar("K", str, int)


def paged(
    ctx: Ctx,
    items: Sequence[T],
    key: Callable[[T], K],
    max_results: int | None,
    default: int,
    token: str | None,
    *query: Any,
) -> tuple[list[T], str | None]:
    """One page (``max_results``, else ``default`` items) and the next page's token; the token
    only works for the same operation and query."""
    digest = query_digest(ctx.operation, ctx.account_id, ctx.region, *query)
    return page(items, key, max_results or default, token, digest)
