"""Handlers: the members a handler takes are its keyword-only parameters; a result dict out.

``DeleteWidget`` is in the model but has no handler on purpose: cloudmock answers
it with a ``NotImplemented`` error (HTTP 501) that names the operation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cloudmock.plugin_api import RequestContext, operation
from cloudmock_example.backend import WidgetBackend

if TYPE_CHECKING:
    # made by cloudmock's scripts/gen_shapes.py from the model; for mypy only
    from cloudmock_example.shapes import CreateWidgetResult, DescribeWidgetsResult

Ctx = RequestContext[WidgetBackend]


@operation("CreateWidget")
def create_widget(
    ctx: Ctx, *, Name: str, Size: int = 1, Color: str = "red"
) -> CreateWidgetResult:
    return {"Widget": ctx.backend.create(Name, Size, Color).describe()}


@operation("DescribeWidgets")
def describe_widgets(ctx: Ctx, *, WidgetIds: list[str] | None = None) -> DescribeWidgetsResult:
    return {"Widgets": [w.describe() for w in ctx.backend.describe(WidgetIds)]}
