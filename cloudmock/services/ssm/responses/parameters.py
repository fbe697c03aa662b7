"""PutParameter, GetParameter(s), GetParametersByPath, DeleteParameter(s), DescribeParameters,
GetParameterHistory."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cloudmock.core.plugin import operation
from cloudmock.services.ssm.models.errors import parameter_not_found
from cloudmock.services.ssm.models.names import trimmed
from cloudmock.services.ssm.models.store import Write
from cloudmock.services.ssm.responses.common import Ctx, paged

if TYPE_CHECKING:
    from cloudmock.services.ssm.shapes import (
        DeleteParameterResult,
        DeleteParametersResult,
        DescribeParametersResult,
        GetParameterHistoryResult,
        GetParameterResult,
        GetParametersByPathResult,
        GetParametersResult,
        ParametersFilter,
        ParameterStringFilter,
        PutParameterResult,
        Tag,
    )

#: page sizes when MaxResults is not given
BY_PATH_PAGE = 10
DESCRIBE_PAGE = 10
HISTORY_PAGE = 50


@operation("PutParameter")
def put_parameter(
    ctx: Ctx,
    *,
    Name: str,
    Value: str,
    Description: str | None = None,
    Type: str | None = None,
    KeyId: str | None = None,
    Overwrite: bool = False,
    AllowedPattern: str | None = None,
    Tags: list[Tag] | None = None,
    Tier: str | None = None,
    Policies: str | None = None,
    DataType: str | None = None,
) -> PutParameterResult:
    write = Write(
        name=Name,
        value=Value,
        type=Type,
        key_id=KeyId,
        overwrite=Overwrite,
        description=Description,
        allowed_pattern=AllowedPattern,
        tags=Tags,
        tier=Tier,
        policies=Policies,
        data_type=DataType,
    )
    version = ctx.backend.parameters.put(write, ctx.identity.arn)
    return {"Version": version.number, "Tier": version.tier}


@operation("GetParameter")
def get_parameter(ctx: Ctx, *, Name: str, WithDecryption: bool = False) -> GetParameterResult:
    found = ctx.backend.parameters.read(Name, WithDecryption, strict=True)
    assert found is not None
    return {"Parameter": found}


@operation("GetParameters")
def get_parameters(
    ctx: Ctx, *, Names: list[str], WithDecryption: bool = False
) -> GetParametersResult:
    store = ctx.backend.parameters
    found = {}
    invalid: list[str] = []
    for name in dict.fromkeys(Names):
        shown = store.read(name, WithDecryption, strict=False)
        if shown is None:
            invalid.append(trimmed(name))
        else:
            found[name] = shown
    parameters = sorted(found.values(), key=lambda p: (p["Name"], p.get("Selector", "")))
    return {"Parameters": parameters, "InvalidParameters": invalid}


@operation("GetParametersByPath")
def get_parameters_by_path(
    ctx: Ctx,
    *,
    Path: str,
    Recursive: bool = False,
    ParameterFilters: list[ParameterStringFilter] | None = None,
    WithDecryption: bool = False,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> GetParametersByPathResult:
    found = ctx.backend.parameters.by_path(Path, Recursive, ParameterFilters, WithDecryption)
    shown, token = paged(
        ctx,
        found,
        lambda p: p["Name"],
        MaxResults,
        BY_PATH_PAGE,
        NextToken,
        Path.strip(" ").rstrip("/") or "/",
        Recursive,
        ParameterFilters,
    )
    result: GetParametersByPathResult = {"Parameters": shown}
    if token:
        result["NextToken"] = token
    return result


@operation("DeleteParameter")
def delete_parameter(ctx: Ctx, *, Name: str) -> DeleteParameterResult:
    if ctx.backend.parameters.delete(trimmed(Name)) is None:
        raise parameter_not_found()
    return {}


@operation("DeleteParameters")
def delete_parameters(ctx: Ctx, *, Names: list[str]) -> DeleteParametersResult:
    store = ctx.backend.parameters
    deleted: list[str] = []
    invalid: list[str] = []
    for name in dict.fromkeys(trimmed(n) for n in Names):
        (deleted if store.delete(name) is not None else invalid).append(name)
    return {"DeletedParameters": deleted, "InvalidParameters": invalid}


@operation("DescribeParameters")
def describe_parameters(
    ctx: Ctx,
    *,
    Filters: list[ParametersFilter] | None = None,
    ParameterFilters: list[ParameterStringFilter] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
    Shared: bool = False,
) -> DescribeParametersResult:
    found = ctx.backend.parameters.describe(Filters, ParameterFilters)
    if Shared:
        # parameters other accounts share through AWS RAM: cloudmock models no sharing, so none
        found = []
    shown, token = paged(
        ctx,
        found,
        lambda p: p.name,
        MaxResults,
        DESCRIBE_PAGE,
        NextToken,
        Filters,
        ParameterFilters,
        Shared,
    )
    result: DescribeParametersResult = {"Parameters": [p.describe() for p in shown]}
    if token:
        result["NextToken"] = token
    return result


@operation("GetParameterHistory")
def get_parameter_history(
    ctx: Ctx,
    *,
    Name: str,
    WithDecryption: bool = False,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> GetParameterHistoryResult:
    parameter = ctx.backend.parameters.named(Name, arn_allowed=True)
    versions = list(parameter.versions.values())
    shown, token = paged(
        ctx, versions, lambda v: v.number, MaxResults, HISTORY_PAGE, NextToken, parameter.name
    )
    result: GetParameterHistoryResult = {
        "Parameters": [parameter.history(v, WithDecryption) for v in shown]
    }
    if token:
        result["NextToken"] = token
    return result
