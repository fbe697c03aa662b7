"""Amazon FPGA images: create, copy, delete, describe, and their attributes."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, TypedDict

from cloudmock.core.errors import (
    InvalidParameterCombination,
    InvalidParameterValue,
    MissingParameter,
    ServiceError,
)
from cloudmock.core.plugin import operation
from cloudmock.services.ec2.dryrun import commit
from cloudmock.services.ec2.filters import FilterSet, apply_filters
from cloudmock.services.ec2.models.fpga_images import FPGA_FILTERS, FpgaImage
from cloudmock.services.ec2.models.regions import region as region_info
from cloudmock.services.ec2.models.tags import tag_specifications
from cloudmock.services.ec2.responses.common import Ctx, page

if TYPE_CHECKING:
    from cloudmock.services.ec2.shapes import (
        CopyFpgaImageResult,
        CreateFpgaImageResult,
        DeleteFpgaImageResult,
        DescribeFpgaImageAttributeResult,
        DescribeFpgaImagesResult,
        Filter,
        LoadPermissionRequest,
        ModifyFpgaImageAttributeResult,
        ResetFpgaImageAttributeResult,
        StorageLocation,
        TagSpecification,
    )

FPGA_IMAGES: FilterSet[Any] = FilterSet(FPGA_FILTERS)
_ACCOUNT = re.compile(r"^\d{12}$")
_ATTRIBUTES = ("description", "name", "loadPermission", "productCodes")


class LoadPermissionModificationsIn(TypedDict, total=False):
    Add: list[LoadPermissionRequest]
    Remove: list[LoadPermissionRequest]


def _location(raw: StorageLocation | None, member: str) -> tuple[str, str] | None:
    if raw is None:
        return None
    bucket, key = raw.get("Bucket"), raw.get("Key")
    if not bucket or not key:
        raise MissingParameter(f"{member}.Bucket and {member}.Key")
    return bucket, key


def _owned(ctx: Ctx, afi_id: str) -> FpgaImage:
    afi = ctx.backend.images.fpga.get(afi_id)
    if afi.owner_id != ctx.account_id:
        raise ServiceError(f"Not authorized for fpga image:{afi_id}", code="AuthFailure")
    return afi


@operation("CreateFpgaImage")
def create_fpga_image(
    ctx: Ctx,
    *,
    InputStorageLocation: StorageLocation,
    LogsStorageLocation: StorageLocation | None = None,
    Description: str | None = None,
    Name: str | None = None,
    ClientToken: str | None = None,
    TagSpecifications: list[TagSpecification] | None = None,
) -> CreateFpgaImageResult:
    family = ctx.backend.images.fpga
    if ClientToken and ClientToken in family.tokens:
        commit()
        earlier = family.store.get(family.tokens[ClientToken])
        return {"FpgaImageId": earlier.id, "FpgaImageGlobalId": earlier.global_id}
    source = _location(InputStorageLocation, "InputStorageLocation")
    logs = _location(LogsStorageLocation, "LogsStorageLocation")
    assert source is not None
    tags = tag_specifications(TagSpecifications, ("fpga-image",)).get("fpga-image", {})
    commit()
    afi = family.create(Name or "", Description or "", source, logs, tags)
    if ClientToken:
        family.tokens[ClientToken] = afi.id
    return {"FpgaImageId": afi.id, "FpgaImageGlobalId": afi.global_id}


@operation("CopyFpgaImage")
def copy_fpga_image(
    ctx: Ctx,
    *,
    SourceFpgaImageId: str,
    SourceRegion: str,
    Description: str | None = None,
    Name: str | None = None,
    ClientToken: str | None = None,
) -> CopyFpgaImageResult:
    family = ctx.backend.images.fpga
    if ClientToken and ClientToken in family.tokens:
        commit()
        return {"FpgaImageId": family.tokens[ClientToken]}
    try:
        region_info(SourceRegion)
    except Exception:
        raise InvalidParameterValue(f"Invalid region: {SourceRegion}") from None
    if SourceRegion == ctx.region:
        view: dict[str, Any] = dict(family.get(SourceFpgaImageId).describe(ctx.account_id))
    else:
        found = ctx.services.call(
            "ec2", "DescribeFpgaImages", {"FpgaImageIds": [SourceFpgaImageId]}, region=SourceRegion
        )
        view = dict((found or {})["FpgaImages"][0])
    if view["State"]["Code"] != "available":
        raise ServiceError(
            f"The FPGA image {SourceFpgaImageId} is not available.", code="IncorrectState"
        )
    commit()
    afi = family.create(
        view.get("Name", "") if Name is None else Name,
        view.get("Description", "") if Description is None else Description,
        ("", ""),
        None,
        {},
    )
    if ClientToken:
        family.tokens[ClientToken] = afi.id
    return {"FpgaImageId": afi.id}


@operation("DeleteFpgaImage")
def delete_fpga_image(ctx: Ctx, *, FpgaImageId: str) -> DeleteFpgaImageResult:
    afi = _owned(ctx, FpgaImageId)
    commit()
    ctx.backend.images.fpga.delete(afi)
    return {"Return": True}


@operation("DescribeFpgaImages", filters=FPGA_IMAGES)
def describe_fpga_images(
    ctx: Ctx,
    *,
    FpgaImageIds: list[str] | None = None,
    Owners: list[str] | None = None,
    Filters: list[Filter] | None = None,
    NextToken: str | None = None,
    MaxResults: int | None = None,
) -> DescribeFpgaImagesResult:
    family = ctx.backend.images.fpga
    if FpgaImageIds:
        ids = list(dict.fromkeys(FpgaImageIds))
        for afi_id in ids:
            family.store.check_id(afi_id)
        missing = [i for i in ids if family.find(i) is None]
        if missing:
            raise family.store.kind.not_found(missing)
        items = [a for a in (family.find(i) for i in ids) if a is not None]
    else:
        items = family.visible()
    if Owners:
        wanted = set()
        for owner in Owners:
            if owner == "self":
                wanted.add(ctx.account_id)
            elif owner in ("amazon", "aws-marketplace") or _ACCOUNT.match(owner):
                wanted.add(owner)
            else:
                raise ServiceError(f'Invalid user id: "{owner}"', code="InvalidUserID.Malformed")
        # AWS's and the marketplace's AFIs are none of cloudmock's
        items = [a for a in items if a.owner_id in wanted]
    items = apply_filters(items, Filters, FPGA_IMAGES, ctx.operation_model)
    shown, token = page(ctx, items, MaxResults, NextToken, low=5, high=1000)
    result: DescribeFpgaImagesResult = {"FpgaImages": [a.describe(ctx.account_id) for a in shown]}
    if token:
        result["NextToken"] = token
    return result


def _attribute(afi: FpgaImage, attribute: str) -> DescribeFpgaImageAttributeResult:
    out: dict[str, Any] = {"FpgaImageId": afi.id}
    if attribute == "description":
        out["Description"] = afi.description
    elif attribute == "name":
        out["Name"] = afi.name
    elif attribute == "loadPermission":
        out["LoadPermissions"] = afi.load_permissions()
    else:
        out["ProductCodes"] = [
            {"ProductCodeId": c, "ProductCodeType": "marketplace"} for c in afi.product_codes
        ]
    return {"FpgaImageAttribute": out}  # type: ignore[typeddict-item]


def _permission(raw: LoadPermissionRequest) -> dict[str, str]:
    return {k: str(v) for k, v in raw.items() if v}


def _check_attribute(value: str | None, choices: tuple[str, ...] = _ATTRIBUTES) -> None:
    if value is not None and value not in choices:
        raise InvalidParameterValue(
            f"Invalid value '{value}' for Attribute. Valid values: {', '.join(choices)}"
        )


@operation("DescribeFpgaImageAttribute")
def describe_fpga_image_attribute(
    ctx: Ctx, *, FpgaImageId: str, Attribute: str
) -> DescribeFpgaImageAttributeResult:
    _check_attribute(Attribute)
    afi = ctx.backend.images.fpga.get(FpgaImageId)
    if Attribute == "loadPermission" and afi.owner_id != ctx.account_id:
        raise ServiceError(f"Not authorized for fpga image:{FpgaImageId}", code="AuthFailure")
    return _attribute(afi, Attribute)


@operation("ModifyFpgaImageAttribute")
def modify_fpga_image_attribute(
    ctx: Ctx,
    *,
    FpgaImageId: str,
    Attribute: str | None = None,
    OperationType: str | None = None,
    UserIds: list[str] | None = None,
    UserGroups: list[str] | None = None,
    ProductCodes: list[str] | None = None,
    LoadPermission: LoadPermissionModificationsIn | None = None,
    Description: str | None = None,
    Name: str | None = None,
) -> ModifyFpgaImageAttributeResult:
    family = ctx.backend.images.fpga
    afi = _owned(ctx, FpgaImageId)
    _check_attribute(Attribute)
    if OperationType is not None and OperationType not in ("add", "remove"):
        raise InvalidParameterValue(
            f"Invalid value '{OperationType}' for OperationType. Valid values: add, remove"
        )
    listed: list[dict[str, str]] = [{"UserId": u} for u in UserIds or ()]
    listed += [{"Group": g} for g in UserGroups or ()]
    if listed and OperationType is None:
        raise MissingParameter("OperationType")
    add = [_permission(p) for p in (LoadPermission or {}).get("Add", [])]
    remove = [_permission(p) for p in (LoadPermission or {}).get("Remove", [])]
    add += listed if OperationType == "add" else []
    remove += listed if OperationType == "remove" else []
    for permission in [*add, *remove]:
        user, group = permission.get("UserId"), permission.get("Group")
        if bool(user) == bool(group):
            raise InvalidParameterCombination("A load permission names a UserId or a Group.")
        if user and not _ACCOUNT.match(user):
            raise ServiceError(f'Invalid user id: "{user}"', code="InvalidUserID.Malformed")
        if group and group != "all":
            raise InvalidParameterValue(f"Invalid value '{group}' for Group. Valid values: all")
    if ProductCodes and afi.product_codes:
        raise InvalidParameterValue("An AFI can have only one product code.")
    if not (add or remove or ProductCodes or Description is not None or Name is not None):
        raise InvalidParameterCombination("No attributes specified.")
    commit()
    for permission in add:
        user = permission.get("UserId")
        (afi.load_users if user else afi.load_groups).add(user or permission.get("Group", ""))
    for permission in remove:
        user = permission.get("UserId")
        (afi.load_users if user else afi.load_groups).discard(user or permission.get("Group", ""))
    if ProductCodes:
        afi.product_codes = tuple(ProductCodes[:1])
    if Description is not None:
        afi.description = Description
    if Name is not None:
        afi.name = Name
    afi.updated = ctx.backend.clock.now()
    family.update_sharing(afi)
    shown = _attribute(afi, Attribute or "loadPermission")
    return shown  # type: ignore[return-value]


@operation("ResetFpgaImageAttribute")
def reset_fpga_image_attribute(
    ctx: Ctx, *, FpgaImageId: str, Attribute: str | None = None
) -> ResetFpgaImageAttributeResult:
    _check_attribute(Attribute, ("loadPermission",))
    afi = _owned(ctx, FpgaImageId)
    commit()
    afi.load_users.clear()
    afi.load_groups.clear()
    ctx.backend.images.fpga.update_sharing(afi)
    return {"Return": True}
