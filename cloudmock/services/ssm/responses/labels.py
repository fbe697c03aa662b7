"""LabelParameterVersion, UnlabelParameterVersion."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cloudmock.core.plugin import operation
from cloudmock.services.ssm.responses.common import Ctx

if TYPE_CHECKING:
    from cloudmock.services.ssm.shapes import (
        LabelParameterVersionResult,
        UnlabelParameterVersionResult,
    )


@operation("LabelParameterVersion")
def label_parameter_version(
    ctx: Ctx, *, Name: str, Labels: list[str], ParameterVersion: int | None = None
) -> LabelParameterVersionResult:
    invalid, version = ctx.backend.parameters.label(Name, ParameterVersion, Labels)
    return {"InvalidLabels": invalid, "ParameterVersion": version}


@operation("UnlabelParameterVersion")
def unlabel_parameter_version(
    ctx: Ctx, *, Name: str, ParameterVersion: int, Labels: list[str]
) -> UnlabelParameterVersionResult:
    removed, invalid = ctx.backend.parameters.unlabel(Name, ParameterVersion, Labels)
    return {"RemovedLabels": removed, "InvalidLabels": invalid}
