"""Handlers: parsed params in (keyed by the model's member names), a result dict out.

``DeleteWidget`` is in the model but has no handler on purpose: cloudmock answers
it with a ``NotImplemented`` error (HTTP 501) that names the operation.
"""

from __future__ import annotations

from typing import Any

from cloudmock.core.plugin import Params, RequestContext, operation


@operation("CreateWidget")
def create_widget(ctx: RequestContext, params: Params) -> dict[str, Any]:
    widget = ctx.backend.create(params["Name"], params.get("Size", 1), params.get("Color", "red"))
    return {"Widget": widget.describe()}


@operation("DescribeWidgets")
def describe_widgets(ctx: RequestContext, params: Params) -> dict[str, Any]:
    return {"Widgets": [w.describe() for w in ctx.backend.describe(params.get("WidgetIds"))]}
