"""Account-level settings: id formats, serial console access, managed resource visibility,
and opting in to zone groups (the region family's account operations)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cloudmock.core.plugin import operation
from cloudmock.services.ec2.dryrun import commit
from cloudmock.services.ec2.responses.common import Ctx, page

if TYPE_CHECKING:
    from cloudmock.services.ec2.shapes import (
        DescribeAggregateIdFormatResult,
        DescribeIdentityIdFormatResult,
        DescribeIdFormatResult,
        DescribePrincipalIdFormatResult,
        DisableSerialConsoleAccessResult,
        EnableSerialConsoleAccessResult,
        GetManagedResourceVisibilityResult,
        GetSerialConsoleAccessStatusResult,
        ModifyAvailabilityZoneGroupResult,
        ModifyManagedResourceVisibilityResult,
    )


@operation("DescribeIdFormat")
def describe_id_format(ctx: Ctx, *, Resource: str | None = None) -> DescribeIdFormatResult:
    return {"Statuses": ctx.backend.account_settings.statuses(Resource)}


@operation("ModifyIdFormat")
def modify_id_format(ctx: Ctx, *, Resource: str, UseLongIds: bool) -> None:
    ctx.backend.account_settings.check_modify(Resource, UseLongIds)
    commit()


@operation("DescribeIdentityIdFormat")
def describe_identity_id_format(
    ctx: Ctx, *, PrincipalArn: str, Resource: str | None = None
) -> DescribeIdentityIdFormatResult:
    settings = ctx.backend.account_settings
    settings.check_principal(PrincipalArn)
    return {"Statuses": settings.statuses(Resource)}


@operation("ModifyIdentityIdFormat")
def modify_identity_id_format(
    ctx: Ctx, *, Resource: str, UseLongIds: bool, PrincipalArn: str
) -> None:
    settings = ctx.backend.account_settings
    settings.check_principal(PrincipalArn)
    settings.check_modify(Resource, UseLongIds)
    commit()
    settings.note_principal(PrincipalArn)


@operation("DescribePrincipalIdFormat")
def describe_principal_id_format(
    ctx: Ctx,
    *,
    Resources: list[str] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> DescribePrincipalIdFormatResult:
    settings = ctx.backend.account_settings
    if Resources:
        statuses = [s for r in dict.fromkeys(Resources) for s in settings.statuses(r)]
    else:
        statuses = settings.statuses()
    arns = [settings.root_arn(), *(a for a in settings.principals if a != settings.root_arn())]
    shown, token = page(ctx, arns, MaxResults, NextToken, low=1, high=1000)
    result: DescribePrincipalIdFormatResult = {
        "Principals": [{"Arn": arn, "Statuses": statuses} for arn in shown]
    }
    if token:
        result["NextToken"] = token
    return result


@operation("DescribeAggregateIdFormat")
def describe_aggregate_id_format(ctx: Ctx) -> DescribeAggregateIdFormatResult:
    statuses = ctx.backend.account_settings.statuses()
    return {
        "UseLongIdsAggregated": all(s["UseLongIds"] for s in statuses),
        "Statuses": statuses,
    }


@operation("EnableSerialConsoleAccess")
def enable_serial_console_access(ctx: Ctx) -> EnableSerialConsoleAccessResult:
    commit()
    ctx.backend.account_settings.serial_console = True
    return {"SerialConsoleAccessEnabled": True}


@operation("DisableSerialConsoleAccess")
def disable_serial_console_access(ctx: Ctx) -> DisableSerialConsoleAccessResult:
    commit()
    ctx.backend.account_settings.serial_console = False
    return {"SerialConsoleAccessEnabled": False}


@operation("GetSerialConsoleAccessStatus")
def get_serial_console_access_status(ctx: Ctx) -> GetSerialConsoleAccessStatusResult:
    return {
        "SerialConsoleAccessEnabled": ctx.backend.account_settings.serial_console,
        "ManagedBy": "account",
    }


@operation("GetManagedResourceVisibility")
def get_managed_resource_visibility(ctx: Ctx) -> GetManagedResourceVisibilityResult:
    return {"Visibility": {"DefaultVisibility": ctx.backend.account_settings.visibility}}  # type: ignore[typeddict-item]


@operation("ModifyManagedResourceVisibility")
def modify_managed_resource_visibility(
    ctx: Ctx, *, DefaultVisibility: str
) -> ModifyManagedResourceVisibilityResult:
    commit()
    ctx.backend.account_settings.visibility = DefaultVisibility
    return {"Visibility": {"DefaultVisibility": DefaultVisibility}}  # type: ignore[typeddict-item]


@operation("ModifyAvailabilityZoneGroup")
def modify_availability_zone_group(
    ctx: Ctx, *, GroupName: str, OptInStatus: str
) -> ModifyAvailabilityZoneGroupResult:
    settings = ctx.backend.account_settings
    settings.check_group(GroupName, OptInStatus)
    commit()
    settings.set_group(GroupName, OptInStatus)
    return {"Return": True}
