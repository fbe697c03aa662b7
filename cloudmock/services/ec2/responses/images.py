"""AMIs: describe, register, create, copy, deregister, attributes, sharing, and the settings
around them (deprecation, disabling, deregistration protection, block public access,
Allowed AMIs); ``resolve:ssm:`` image ids for RunInstances."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
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
from cloudmock.services.ec2.models.images import (
    IMAGE,
    IMAGE_FILTERS,
    MAX_DEPRECATION,
    PROTECTION_COOLDOWN,
    Criterion,
    Image,
    NewDevice,
    format_date,
    name_pattern,
)
from cloudmock.services.ec2.models.instances import Instance
from cloudmock.services.ec2.models.regions import region as region_info
from cloudmock.services.ec2.models.tags import tag_specifications
from cloudmock.services.ec2.responses.common import Ctx, page

if TYPE_CHECKING:
    from cloudmock.services.ec2.shapes import (
        AttachImageWatermarkResult,
        CancelImageLaunchPermissionResult,
        CopyImageResult,
        CreateImageResult,
        CreationDateConditionRequest,
        DeprecationTimeConditionRequest,
        DeregisterImageResult,
        DescribeImageReferencesResult,
        DescribeImagesResult,
        DescribeInstanceImageMetadataResult,
        DetachImageWatermarkResult,
        DisableAllowedImagesSettingsResult,
        DisableImageBlockPublicAccessResult,
        DisableImageDeprecationResult,
        DisableImageDeregistrationProtectionResult,
        DisableImageResult,
        EnableAllowedImagesSettingsResult,
        EnableImageBlockPublicAccessResult,
        EnableImageDeprecationResult,
        EnableImageDeregistrationProtectionResult,
        EnableImageResult,
        Filter,
        GetAllowedImagesSettingsResult,
        GetImageAncestryResult,
        GetImageBlockPublicAccessStateResult,
        ImageAncestryEntry,
        ImageAttribute,
        ImageReference,
        ImageWatermarkFilterRequest,
        InstanceImageMetadata,
        LaunchPermission,
        ListImagesInRecycleBinResult,
        ReplaceImageCriteriaInAllowedImagesSettingsResult,
        ResourceTypeRequest,
        RestoreImageFromRecycleBinResult,
        TagSpecification,
    )
    from cloudmock.services.ec2.shapes import (
        LaunchPermission as LaunchPermissionShape,
    )


IMAGES: FilterSet[Any] = FilterSet(IMAGE_FILTERS)


# -- what the structured members are taken as


class EbsIn(TypedDict, total=False):
    DeleteOnTermination: bool
    Iops: int
    SnapshotId: str
    VolumeSize: int
    VolumeType: str
    KmsKeyId: str
    Throughput: int
    Encrypted: bool


class BlockDeviceMappingIn(TypedDict, total=False):
    DeviceName: str
    VirtualName: str
    NoDevice: str
    Ebs: EbsIn


class AttributeValueIn(TypedDict, total=False):
    Value: str


class LaunchPermissionModificationsIn(TypedDict, total=False):
    Add: list[LaunchPermission]
    Remove: list[LaunchPermission]


_VOLUME_TYPES = ("standard", "io1", "io2", "gp2", "sc1", "st1", "gp3")


def _new_devices(mappings: list[BlockDeviceMappingIn] | None) -> list[NewDevice]:
    out = []
    for position, mapping in enumerate(mappings or (), start=1):
        name = mapping.get("DeviceName")
        if not name:
            raise MissingParameter(f"BlockDeviceMapping.{position}.DeviceName")
        ebs = mapping.get("Ebs") or {}
        volume_type = ebs.get("VolumeType")
        if volume_type is not None and volume_type not in _VOLUME_TYPES:
            raise InvalidParameterValue(
                f"Value ({volume_type}) for parameter volumeType is invalid. "
                f"Valid values are: {', '.join(_VOLUME_TYPES)}"
            )
        size = ebs.get("VolumeSize")
        if size is not None and not 1 <= size <= 65536:
            raise InvalidParameterValue(
                f"Volume of {size}GiB is outside the allowed range of 1-65536 GiB."
            )
        out.append(
            NewDevice(
                device_name=name,
                snapshot_id=ebs.get("SnapshotId"),
                volume_size=size,
                volume_type=volume_type,
                delete_on_termination=ebs.get("DeleteOnTermination"),
                encrypted=ebs.get("Encrypted"),
                iops=ebs.get("Iops"),
                throughput=ebs.get("Throughput"),
                kms_key_id=ebs.get("KmsKeyId"),
                no_device="NoDevice" in mapping,
                virtual_name=mapping.get("VirtualName"),
            )
        )
    return out


def _image_tags(specs: list[TagSpecification] | None) -> dict[str, dict[str, str]]:
    return tag_specifications(specs, ("image", "snapshot"))


def _check_choice(member: str, value: str | None, choices: tuple[str, ...]) -> None:
    if value is not None and value not in choices:
        raise InvalidParameterValue(
            f"Invalid value '{value}' for {member}. Valid values: {', '.join(choices)}"
        )


# -- describing


@operation("DescribeImages", filters=IMAGES)
def describe_images(
    ctx: Ctx,
    *,
    ExecutableUsers: list[str] | None = None,
    ImageIds: list[str] | None = None,
    Owners: list[str] | None = None,
    IncludeDeprecated: bool = False,
    IncludeDisabled: bool = False,
    MaxResults: int | None = None,
    NextToken: str | None = None,
    Filters: list[Filter] | None = None,
) -> DescribeImagesResult:
    family = ctx.backend.images
    now = ctx.backend.clock.now()
    items = family.describe_set(
        ImageIds, Owners, ExecutableUsers, IncludeDeprecated, IncludeDisabled
    )
    # image-allowed depends on the account's Allowed AMIs settings, not on the image alone
    rest: list[Filter] = []
    for spec in Filters or ():
        values = spec.get("Values") or ()
        if spec.get("Name") == "image-allowed":
            _need_values(values)
            items = [
                i
                for i in items
                if ("true" if family.allowed(i, now) is not False else "false") in values
            ]
            continue
        if spec.get("Name") == "name" and values and not any("\\" in v for v in values):
            # the usual search (a name pattern) narrowed here on the name alone, before the
            # engine checks every filter on what is left
            pattern = name_pattern(values)
            items = [i for i in items if pattern.fullmatch(i.name)]
        rest.append(spec)
    items = apply_filters(items, rest, IMAGES, ctx.operation_model)
    shown, token = page(ctx, items, MaxResults, NextToken, low=1, high=1000)
    me = ctx.account_id
    result: DescribeImagesResult = {
        "Images": [i.describe(viewer=me, now=now, allowed=family.allowed(i, now)) for i in shown]
    }
    if token:
        result["NextToken"] = token
    return result


def _need_values(values: Any) -> None:
    if not values:
        raise InvalidParameterValue("The filter 'image-allowed' must have at least one value")


_ATTRIBUTES = (
    "description",
    "kernel",
    "ramdisk",
    "launchPermission",
    "productCodes",
    "blockDeviceMapping",
    "sriovNetSupport",
    "bootMode",
    "tpmSupport",
    "uefiData",
    "lastLaunchedTime",
    "imdsSupport",
    "deregistrationProtection",
)


def _value(value: str | None) -> AttributeValueIn:
    return {} if value is None else {"Value": value}


@operation("DescribeImageAttribute")
def describe_image_attribute(ctx: Ctx, *, Attribute: str, ImageId: str) -> ImageAttribute:
    _check_choice("Attribute", Attribute, _ATTRIBUTES)
    family = ctx.backend.images
    image = family.get(ImageId)
    mine = image.owner_id == ctx.account_id
    if (
        Attribute in ("launchPermission", "lastLaunchedTime", "deregistrationProtection")
        and not mine
    ):
        raise ServiceError(f"Not authorized for image:{ImageId}", code="AuthFailure")
    result: ImageAttribute = {"ImageId": image.id}
    now = ctx.backend.clock.now()
    if Attribute == "description":
        result["Description"] = _value(image.description or None)
    elif Attribute == "kernel":
        result["KernelId"] = _value(image.kernel_id)
    elif Attribute == "ramdisk":
        result["RamdiskId"] = _value(image.ramdisk_id)
    elif Attribute == "launchPermission":
        result["LaunchPermissions"] = image.launch_permissions()
    elif Attribute == "productCodes":
        result["ProductCodes"] = [
            {"ProductCodeId": code, "ProductCodeType": kind} for code, kind in image.product_codes
        ]
    elif Attribute == "blockDeviceMapping":
        result["BlockDeviceMappings"] = [d.describe() for d in image.devices]
    elif Attribute == "sriovNetSupport":
        result["SriovNetSupport"] = _value(image.sriov_net_support)
    elif Attribute == "bootMode":
        result["BootMode"] = _value(image.boot_mode)
    elif Attribute == "tpmSupport":
        result["TpmSupport"] = _value(image.tpm_support)
    elif Attribute == "uefiData":
        result["UefiData"] = _value(image.uefi_data)
    elif Attribute == "lastLaunchedTime":
        last = image.last_launched
        result["LastLaunchedTime"] = _value(format_date(last) if last else None)
    elif Attribute == "imdsSupport":
        result["ImdsSupport"] = _value(image.imds_support)
    else:
        result["DeregistrationProtection"] = _value(image.protection_text(now))
    return result


# -- making images


_BOOT_MODES = ("legacy-bios", "uefi", "uefi-preferred")


@operation("RegisterImage")
def register_image(
    ctx: Ctx,
    *,
    Name: str,
    ImageLocation: str | None = None,
    BootMode: str | None = None,
    TpmSupport: str | None = None,
    UefiData: str | None = None,
    ImdsSupport: str | None = None,
    TagSpecifications: list[TagSpecification] | None = None,
    Description: str | None = None,
    Architecture: str | None = None,
    KernelId: str | None = None,
    RamdiskId: str | None = None,
    RootDeviceName: str | None = None,
    BlockDeviceMappings: list[BlockDeviceMappingIn] | None = None,
    VirtualizationType: str | None = None,
    SriovNetSupport: str | None = None,
    EnaSupport: bool | None = None,
) -> CreateImageResult:
    family = ctx.backend.images
    family.check_name(Name)
    _check_choice(
        "Architecture", Architecture, ("i386", "x86_64", "arm64", "x86_64_mac", "arm64_mac")
    )
    _check_choice("BootMode", BootMode, _BOOT_MODES)
    _check_choice("TpmSupport", TpmSupport, ("v2.0",))
    _check_choice("ImdsSupport", ImdsSupport, ("v2.0",))
    _check_choice("VirtualizationType", VirtualizationType, ("hvm", "paravirtual"))
    _check_choice("SriovNetSupport", SriovNetSupport, ("simple",))
    if TpmSupport and BootMode not in ("uefi", None):
        raise InvalidParameterCombination("TpmSupport v2.0 requires the uefi boot mode.")
    tags = _image_tags(TagSpecifications)
    devices = _new_devices(BlockDeviceMappings)
    if ImageLocation is None and not devices:
        raise MissingParameter("RootDeviceName or ImageLocation")
    # an EBS-backed image boots from a snapshot in its mappings; a manifest in S3 makes an
    # instance-store image
    ebs_backed = bool(devices) and ImageLocation is None
    root = RootDeviceName or (devices[0].device_name if devices else "/dev/sda1")
    family.check_devices(devices, root, need_root=ebs_backed)
    for kernel_or_ramdisk, prefix in ((KernelId, "aki"), (RamdiskId, "ari")):
        if kernel_or_ramdisk and not kernel_or_ramdisk.startswith(f"{prefix}-"):
            raise ServiceError(
                f'Invalid id: "{kernel_or_ramdisk}" (expecting "{prefix}-...")',
                code="InvalidAMIID.Malformed",
            )
    commit()
    backend = ctx.backend
    image = Image(
        id=backend.ids.new("ami"),
        owner_id=ctx.account_id,
        region=ctx.region,
        name=Name,
        created=backend.clock.now(),
        architecture=Architecture or "x86_64",
        description=Description or "",
        image_location=ImageLocation or f"{ctx.account_id}/{Name}",
        root_device_name=root,
        root_device_type="ebs" if ebs_backed else "instance-store",
        devices=family.new_devices(devices),
        # RegisterImage's documented default
        virtualization_type=VirtualizationType or "paravirtual",
        ena_support=EnaSupport,
        sriov_net_support=SriovNetSupport,
        boot_mode=BootMode,
        tpm_support=TpmSupport,
        uefi_data=UefiData,
        imds_support=ImdsSupport,
        kernel_id=KernelId,
        ramdisk_id=RamdiskId,
        tags=tags.get("image", {}),
    )
    family.add(image)
    return {"ImageId": image.id}


@operation("CreateImage")
def create_image(
    ctx: Ctx,
    *,
    InstanceId: str,
    Name: str,
    TagSpecifications: list[TagSpecification] | None = None,
    SnapshotLocation: str | None = None,
    BootModeOverride: str | None = None,
    Description: str | None = None,
    NoReboot: bool = False,
    BlockDeviceMappings: list[BlockDeviceMappingIn] | None = None,
) -> CreateImageResult:
    backend = ctx.backend
    family = backend.images
    instance: Instance = backend.instances.store.get(InstanceId)
    if instance.state not in ("running", "stopped", "stopping", "pending"):
        raise ServiceError(
            f"The instance '{InstanceId}' is not in a state from which it can be imaged.",
            code="IncorrectInstanceState",
        )
    _check_choice("SnapshotLocation", SnapshotLocation, ("regional", "local"))
    if SnapshotLocation == "local":
        raise InvalidParameterCombination(
            "Local snapshots can be created only for instances on an Outpost or in a Local Zone."
        )
    _check_choice("BootModeOverride", BootModeOverride, ("legacy-bios", "uefi"))
    family.check_name(Name)
    tags = _image_tags(TagSpecifications)
    overrides = _new_devices(BlockDeviceMappings)
    for device in overrides:
        if device.snapshot_id:
            backend.snapshots.store.get(device.snapshot_id)
    commit()
    image = family.create_from_instance(
        instance, Name, Description or "", overrides, BootModeOverride, NoReboot, tags
    )
    return {"ImageId": image.id}


@operation("CopyImage")
def copy_image(
    ctx: Ctx,
    *,
    Name: str,
    SourceImageId: str,
    SourceRegion: str,
    ClientToken: str | None = None,
    Description: str | None = None,
    Encrypted: bool | None = None,
    KmsKeyId: str | None = None,
    CopyImageTags: bool = False,
    TagSpecifications: list[TagSpecification] | None = None,
    SnapshotCopyCompletionDurationMinutes: int | None = None,
) -> CopyImageResult:
    backend = ctx.backend
    family = backend.images
    if ClientToken and ClientToken in family.copy_tokens():
        commit()
        return {"ImageId": family.copy_tokens()[ClientToken]}
    try:
        region_info(SourceRegion)
    except Exception:
        raise InvalidParameterValue(f"Invalid region: {SourceRegion}") from None
    if KmsKeyId and not Encrypted:
        raise InvalidParameterCombination(
            "The parameter KmsKeyId requires the parameter Encrypted to be set."
        )
    if SnapshotCopyCompletionDurationMinutes is not None and not (
        15 <= SnapshotCopyCompletionDurationMinutes <= 2880
    ):
        raise InvalidParameterValue(
            "SnapshotCopyCompletionDurationMinutes must be between 15 and 2880 minutes."
        )
    # the source as this account sees it in its own region
    if SourceRegion == ctx.region:
        shown = family.get(SourceImageId).describe(viewer=ctx.account_id, now=backend.clock.now())
        source: dict[str, Any] = dict(shown)
    else:
        found = ctx.services.call(
            "ec2", "DescribeImages", {"ImageIds": [SourceImageId]}, region=SourceRegion
        )
        source = dict((found or {})["Images"][0])
    if source.get("State") != "available":
        raise ServiceError(
            f"Image {SourceImageId} is not in the 'available' state.", code="IncorrectState"
        )
    family.check_name(Name)
    tags = _image_tags(TagSpecifications)
    commit()
    own_tags = dict(tags.get("image", {}))
    if CopyImageTags:
        own_tags = {t["Key"]: t["Value"] for t in source.get("Tags", [])} | own_tags
    image = family.from_view(
        source,
        name=Name,
        description=Description,
        encrypted=bool(Encrypted),
        kms_key_id=KmsKeyId,
        source=(SourceImageId, SourceRegion),
        tags=own_tags,
        snapshot_note="Copied for DestinationAmi {image} from SourceAmi "
        f"{SourceImageId} for SourceSnapshot {{snapshot}}.",
    )
    delay = backend.options.transition_delay
    if SnapshotCopyCompletionDurationMinutes is not None:
        delay = max(delay, SnapshotCopyCompletionDurationMinutes * 60.0)
    family.add(image, available_after=delay)
    if ClientToken:
        family.copy_tokens()[ClientToken] = image.id
    return {"ImageId": image.id}


@operation("DeregisterImage")
def deregister_image(
    ctx: Ctx, *, ImageId: str, DeleteAssociatedSnapshots: bool = False
) -> DeregisterImageResult:
    family = ctx.backend.images
    image = family.owned(ImageId)
    if image.protected(ctx.backend.clock.now()):
        raise ServiceError(
            f"Deregistration protection is enabled for image {ImageId}. Disable deregistration "
            "protection before deregistering the image.",
            code="InvalidParameterValue",
        )
    commit()
    results = family.deregister(image, DeleteAssociatedSnapshots)
    result: DeregisterImageResult = {"Return": True}
    if DeleteAssociatedSnapshots:
        result["DeleteSnapshotResults"] = [
            {"SnapshotId": snap, "ReturnCode": code} for snap, code in results
        ]
    return result


# -- attributes and sharing


@operation("ModifyImageAttribute")
def modify_image_attribute(
    ctx: Ctx,
    *,
    ImageId: str,
    Attribute: str | None = None,
    Description: AttributeValueIn | None = None,
    LaunchPermission: LaunchPermissionModificationsIn | None = None,
    OperationType: str | None = None,
    UserGroups: list[str] | None = None,
    UserIds: list[str] | None = None,
    Value: str | None = None,
    OrganizationArns: list[str] | None = None,
    OrganizationalUnitArns: list[str] | None = None,
    ImdsSupport: AttributeValueIn | None = None,
) -> None:
    family = ctx.backend.images
    image = family.owned(ImageId)
    _check_choice("Attribute", Attribute, ("description", "imdsSupport", "launchPermission"))
    _check_choice("OperationType", OperationType, ("add", "remove"))
    listed: list[LaunchPermissionShape] = []
    listed += [{"UserId": u} for u in UserIds or ()]
    listed += [{"Group": g} for g in UserGroups or ()]
    listed += [{"OrganizationArn": o} for o in OrganizationArns or ()]
    listed += [{"OrganizationalUnitArn": u} for u in OrganizationalUnitArns or ()]
    if listed and OperationType is None:
        raise MissingParameter("OperationType")
    add = [*(LaunchPermission or {}).get("Add", []), *(listed if OperationType == "add" else [])]
    remove = [
        *(LaunchPermission or {}).get("Remove", []),
        *(listed if OperationType == "remove" else []),
    ]
    description = (Description or {}).get("Value")
    imds = (ImdsSupport or {}).get("Value")
    if Attribute == "description" and description is None:
        description = Value
    if Attribute == "imdsSupport" and imds is None:
        imds = Value
    if Attribute == "launchPermission" and not (add or remove):
        raise MissingParameter("LaunchPermission")
    if description is None and imds is None and not (add or remove):
        raise InvalidParameterCombination("No attributes specified.")
    if imds is not None and imds != "v2.0":
        raise InvalidParameterValue(f"Invalid value '{imds}' for ImdsSupport. Valid values: v2.0")
    if (add or remove) and image.state == "disabled":
        raise ServiceError(
            f"The image id '[{ImageId}]' is disabled and cannot be shared.",
            code="InvalidAMIID.Unavailable",
        )
    family.check_permissions(image, add, remove)
    commit()
    if description is not None:
        image.description = description
    if imds is not None:
        image.imds_support = imds
    if add or remove:
        family.apply_permissions(image, add, remove)


@operation("ResetImageAttribute")
def reset_image_attribute(ctx: Ctx, *, Attribute: str, ImageId: str) -> None:
    _check_choice("Attribute", Attribute, ("launchPermission",))
    family = ctx.backend.images
    image = family.owned(ImageId)
    commit()
    family.reset_permissions(image)


@operation("CancelImageLaunchPermission")
def cancel_image_launch_permission(ctx: Ctx, *, ImageId: str) -> CancelImageLaunchPermissionResult:
    family = ctx.backend.images
    image = family.get(ImageId)
    if image.owner_id == ctx.account_id or ctx.account_id not in image.launch_users:
        raise InvalidParameterValue(
            f"The image {ImageId} is not shared with account {ctx.account_id}."
        )
    commit()
    family.cancel_permission(image)
    return {"Return": True}


# -- deprecation, disabling, deregistration protection


@operation("EnableImageDeprecation")
def enable_image_deprecation(
    ctx: Ctx, *, ImageId: str, DeprecateAt: datetime
) -> EnableImageDeprecationResult:
    image = ctx.backend.images.owned(ImageId)
    now = ctx.backend.clock.now()
    at = DeprecateAt if DeprecateAt.tzinfo else DeprecateAt.replace(tzinfo=timezone.utc)
    # EC2 rounds the seconds to the nearest minute
    at = (at + timedelta(seconds=30)).replace(second=0, microsecond=0)
    if at <= now:
        raise InvalidParameterValue("The deprecation time must be in the future.")
    if at - now > MAX_DEPRECATION:
        raise InvalidParameterValue("The deprecation time can't be more than 10 years from now.")
    commit()
    image.deprecation_time = at
    return {"Return": True}


@operation("DisableImageDeprecation")
def disable_image_deprecation(ctx: Ctx, *, ImageId: str) -> DisableImageDeprecationResult:
    image = ctx.backend.images.owned(ImageId)
    commit()
    image.deprecation_time = None
    return {"Return": True}


@operation("DisableImage")
def disable_image(ctx: Ctx, *, ImageId: str) -> DisableImageResult:
    family = ctx.backend.images
    image = family.owned(ImageId)
    if image.state not in ("available", "disabled"):
        raise ServiceError(
            f"The image id '[{ImageId}]' is not in the 'available' state.", code="IncorrectState"
        )
    commit()
    family.disable(image)
    return {"Return": True}


@operation("EnableImage")
def enable_image(ctx: Ctx, *, ImageId: str) -> EnableImageResult:
    family = ctx.backend.images
    image = family.owned(ImageId)
    if image.state not in ("available", "disabled"):
        raise ServiceError(
            f"The image id '[{ImageId}]' is not in the 'disabled' state.", code="IncorrectState"
        )
    commit()
    family.enable(image)
    return {"Return": True}


@operation("EnableImageDeregistrationProtection")
def enable_image_deregistration_protection(
    ctx: Ctx, *, ImageId: str, WithCooldown: bool = False
) -> EnableImageDeregistrationProtectionResult:
    image = ctx.backend.images.owned(ImageId)
    commit()
    image.protection = "enabled-with-cooldown" if WithCooldown else "enabled"
    image.protected_until = None
    return {"Return": "true"}


@operation("DisableImageDeregistrationProtection")
def disable_image_deregistration_protection(
    ctx: Ctx, *, ImageId: str
) -> DisableImageDeregistrationProtectionResult:
    image = ctx.backend.images.owned(ImageId)
    commit()
    if image.protection == "enabled-with-cooldown":
        image.protected_until = ctx.backend.clock.now() + PROTECTION_COOLDOWN
    image.protection = "disabled"
    return {"Return": "true"}


# -- block public access, Allowed AMIs


@operation("GetImageBlockPublicAccessState")
def get_image_block_public_access_state(ctx: Ctx) -> GetImageBlockPublicAccessStateResult:
    return {
        "ImageBlockPublicAccessState": ctx.backend.images.block_public_access,
        "ManagedBy": "account",
    }


@operation("EnableImageBlockPublicAccess")
def enable_image_block_public_access(
    ctx: Ctx, *, ImageBlockPublicAccessState: str
) -> EnableImageBlockPublicAccessResult:
    _check_choice(
        "ImageBlockPublicAccessState", ImageBlockPublicAccessState, ("block-new-sharing",)
    )
    commit()
    ctx.backend.images.block_public_access = ImageBlockPublicAccessState
    return {"ImageBlockPublicAccessState": ImageBlockPublicAccessState}


@operation("DisableImageBlockPublicAccess")
def disable_image_block_public_access(ctx: Ctx) -> DisableImageBlockPublicAccessResult:
    commit()
    ctx.backend.images.block_public_access = "unblocked"
    return {"ImageBlockPublicAccessState": "unblocked"}


@operation("GetAllowedImagesSettings")
def get_allowed_images_settings(ctx: Ctx) -> GetAllowedImagesSettingsResult:
    family = ctx.backend.images
    result: GetAllowedImagesSettingsResult = {"State": family.allowed_state, "ManagedBy": "account"}
    if family.criteria:
        result["ImageCriteria"] = [c.describe() for c in family.criteria]
    return result


@operation("EnableAllowedImagesSettings")
def enable_allowed_images_settings(
    ctx: Ctx, *, AllowedImagesSettingsState: str
) -> EnableAllowedImagesSettingsResult:
    _check_choice(
        "AllowedImagesSettingsState", AllowedImagesSettingsState, ("enabled", "audit-mode")
    )
    commit()
    ctx.backend.images.allowed_state = AllowedImagesSettingsState
    return {"AllowedImagesSettingsState": AllowedImagesSettingsState}


@operation("DisableAllowedImagesSettings")
def disable_allowed_images_settings(ctx: Ctx) -> DisableAllowedImagesSettingsResult:
    commit()
    ctx.backend.images.allowed_state = "disabled"
    return {"AllowedImagesSettingsState": "disabled"}


_MAX_CRITERIA = 10
_MAX_PROVIDERS = 200


class ImageCriterionIn(TypedDict, total=False):
    ImageWatermarks: list[ImageWatermarkFilterRequest]
    ImageProviders: list[str]
    MarketplaceProductCodes: list[str]
    ImageNames: list[str]
    DeprecationTimeCondition: DeprecationTimeConditionRequest
    CreationDateCondition: CreationDateConditionRequest


def _criterion(raw: ImageCriterionIn) -> Criterion:
    providers = tuple(raw.get("ImageProviders") or ())
    if len(providers) > _MAX_PROVIDERS:
        raise InvalidParameterValue(
            f"An image criterion can have at most {_MAX_PROVIDERS} image providers."
        )
    for provider in providers:
        if provider not in ("amazon", "aws-marketplace", "aws-backup-vault", "none") and not (
            len(provider) == 12 and provider.isdigit()
        ):
            raise InvalidParameterValue(f"Invalid image provider: {provider}")
    created = (raw.get("CreationDateCondition") or {}).get("MaximumDaysSinceCreated")
    deprecated = (raw.get("DeprecationTimeCondition") or {}).get("MaximumDaysSinceDeprecated")
    watermarks = []
    for mark in raw.get("ImageWatermarks") or ():
        key = mark.get("WatermarkKey")
        if not key:
            raise MissingParameter("ImageWatermarks.WatermarkKey")
        watermarks.append(
            (
                key,
                mark.get("SourceImageRegion"),
                mark.get("MaximumDaysSinceSourceImageCreated"),
                mark.get("MaximumDaysSinceWatermarkCreated"),
            )
        )
    return Criterion(
        watermarks=tuple(watermarks),
        providers=providers,
        names=tuple(raw.get("ImageNames") or ()),
        product_codes=tuple(raw.get("MarketplaceProductCodes") or ()),
        max_days_since_created=created,
        max_days_since_deprecated=deprecated,
    )


@operation("ReplaceImageCriteriaInAllowedImagesSettings")
def replace_image_criteria_in_allowed_images_settings(
    ctx: Ctx, *, ImageCriteria: list[ImageCriterionIn] | None = None
) -> ReplaceImageCriteriaInAllowedImagesSettingsResult:
    if len(ImageCriteria or ()) > _MAX_CRITERIA:
        raise InvalidParameterValue(f"You can specify at most {_MAX_CRITERIA} image criteria.")
    criteria = [_criterion(c) for c in ImageCriteria or ()]
    commit()
    ctx.backend.images.criteria = criteria
    return {"ReturnValue": True}


# -- watermarks

_WATERMARK_NAME = re.compile(r"^[A-Za-z0-9()\[\]./\-'@_]{3,128}$")


@operation("AttachImageWatermark")
def attach_image_watermark(
    ctx: Ctx, *, ImageId: str, WatermarkName: str
) -> AttachImageWatermarkResult:
    family = ctx.backend.images
    image = family.owned(ImageId)
    if not _WATERMARK_NAME.match(WatermarkName):
        raise InvalidParameterValue(
            "WatermarkName must be 3-128 characters: letters, numbers, parentheses, square "
            "brackets, periods, slashes, dashes, single quotes, at-signs or underscores."
        )
    if image.public:
        raise InvalidParameterValue("Watermarks cannot be added to public AMIs.")
    key = f"{ctx.account_id}:{WatermarkName}"
    if any(w.key == key for w in image.watermarks):
        raise InvalidParameterValue(f"The watermark {key} is already attached to {ImageId}.")
    commit()
    return {"WatermarkKey": family.attach_watermark(image, WatermarkName)}


@operation("DetachImageWatermark")
def detach_image_watermark(
    ctx: Ctx, *, ImageId: str, WatermarkKey: str
) -> DetachImageWatermarkResult:
    family = ctx.backend.images
    image = family.owned(ImageId)
    if all(w.key != WatermarkKey for w in image.watermarks):
        raise InvalidParameterValue(f"The watermark {WatermarkKey} is not attached to {ImageId}.")
    commit()
    family.detach_watermark(image, WatermarkKey)
    return {"Return": True}


# -- recycle bin: cloudmock has no Recycle Bin retention rules, so no image goes there


@operation("ListImagesInRecycleBin")
def list_images_in_recycle_bin(
    ctx: Ctx,
    *,
    ImageIds: list[str] | None = None,
    NextToken: str | None = None,
    MaxResults: int | None = None,
) -> ListImagesInRecycleBinResult:
    for image_id in ImageIds or ():
        ctx.backend.images.store.check_id(image_id)
    _, token = page(ctx, [], MaxResults, NextToken, low=1, high=1000)
    result: ListImagesInRecycleBinResult = {"Images": []}
    if token:
        result["NextToken"] = token
    return result


@operation("RestoreImageFromRecycleBin")
def restore_image_from_recycle_bin(ctx: Ctx, *, ImageId: str) -> RestoreImageFromRecycleBinResult:
    ctx.backend.images.store.check_id(ImageId)
    raise IMAGE.not_found([ImageId])


# -- references and metadata


_REFERENCE_TYPES = (
    "ec2:Instance",
    "ec2:LaunchTemplate",
    "ssm:Parameter",
    "imagebuilder:ImageRecipe",
    "imagebuilder:ContainerRecipe",
)


@operation("DescribeImageReferences")
def describe_image_references(
    ctx: Ctx,
    *,
    ImageIds: list[str],
    IncludeAllResourceTypes: bool = False,
    ResourceTypes: list[ResourceTypeRequest] | None = None,
    NextToken: str | None = None,
    MaxResults: int | None = None,
) -> DescribeImageReferencesResult:
    family = ctx.backend.images
    images = family.get_many(ImageIds)
    wanted = {t.get("ResourceType") for t in ResourceTypes or ()}
    for kind in wanted:
        if kind not in _REFERENCE_TYPES:
            raise InvalidParameterValue(
                f"Invalid value '{kind}' for ResourceType. Valid values: {', '.join(_REFERENCE_TYPES)}"
            )
    if IncludeAllResourceTypes or not wanted:
        wanted = set(_REFERENCE_TYPES)
    found: list[ImageReference] = []
    # only instances are modelled by this family; launch templates, SSM parameters and
    # Image Builder recipes are other services' (or families') to report
    if "ec2:Instance" in wanted:
        instances = ctx.backend.instances.store
        for image in images:
            ids = family.launched_from(image.id)
            for instance in instances.in_order(
                i for i in (instances.find(x) for x in ids) if i is not None
            ):
                found.append(
                    {
                        "ImageId": image.id,
                        "ResourceType": "ec2:Instance",
                        "Arn": f"arn:aws:ec2:{ctx.region}:{ctx.account_id}:instance/{instance.id}",
                    }
                )
    shown, token = page(ctx, found, MaxResults, NextToken, low=1, high=1000)
    result: DescribeImageReferencesResult = {"ImageReferences": shown}
    if token:
        result["NextToken"] = token
    return result


def _metadata_owner_alias(pair: tuple[Instance, Image | None]) -> str | None:
    image = pair[1]
    return image.owner_alias or None if image else None


INSTANCE_IMAGE_METADATA: FilterSet[Any] = FilterSet(
    {
        "availability-zone": lambda p: p[0].zone.name,
        "image-allowed": lambda p: None,
        "instance-id": lambda p: p[0].id,
        "instance-state-name": lambda p: p[0].state,
        "instance-type": lambda p: p[0].instance_type,
        "launch-time": lambda p: p[0].launch_time,
        "owner-alias": _metadata_owner_alias,
        "owner-id": lambda p: p[1].owner_id if p[1] else None,
        "zone-id": lambda p: p[0].zone.zone_id,
    },
    tags=lambda p: p[0].tags,
)


@operation("DescribeInstanceImageMetadata", filters=INSTANCE_IMAGE_METADATA)
def describe_instance_image_metadata(
    ctx: Ctx,
    *,
    Filters: list[Filter] | None = None,
    InstanceIds: list[str] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> DescribeInstanceImageMetadataResult:
    backend = ctx.backend
    family = backend.images
    now = backend.clock.now()
    store = backend.instances.store
    instances = store.get_many(InstanceIds) if InstanceIds else list(store)
    pairs = [(i, family.find(i.image_id)) for i in instances]
    rest: list[Filter] = []
    for spec in Filters or ():
        if spec.get("Name") == "image-allowed":
            wanted = set(spec.get("Values") or ())
            _need_values(wanted)
            pairs = [
                p
                for p in pairs
                if p[1] is not None
                and ("true" if family.allowed(p[1], now) is not False else "false") in wanted
            ]
        else:
            rest.append(spec)
    pairs = apply_filters(pairs, rest, INSTANCE_IMAGE_METADATA, ctx.operation_model)
    shown, token = page(ctx, pairs, MaxResults, NextToken, low=1, high=1000)
    out: list[InstanceImageMetadata] = []
    for instance, image in shown:
        entry: InstanceImageMetadata = {
            "InstanceId": instance.id,
            "InstanceType": instance.instance_type,
            "LaunchTime": instance.launch_time,
            "AvailabilityZone": instance.zone.name,
            "ZoneId": instance.zone.zone_id,
            "State": instance.state_dict(),
            "OwnerId": instance.owner_id,
            "ImageMetadata": image.metadata(family.allowed(image, now))
            if image is not None
            else {"ImageId": instance.image_id},
        }
        if instance.tags:
            entry["Tags"] = instance.tag_list()
        out.append(entry)
    result: DescribeInstanceImageMetadataResult = {"InstanceImageMetadata": out}
    if token:
        result["NextToken"] = token
    return result


@operation("GetImageAncestry")
def get_image_ancestry(ctx: Ctx, *, ImageId: str) -> GetImageAncestryResult:
    """The image and the images it was copied from, as far as they can still be found."""
    image = ctx.backend.images.get(ImageId)
    entries: list[ImageAncestryEntry] = []
    current: dict[str, Any] = dict(
        image.describe(viewer=ctx.account_id, now=ctx.backend.clock.now())
    )
    region = ctx.region
    seen: set[tuple[str, str]] = set()
    while True:
        entry: ImageAncestryEntry = {
            "ImageId": current["ImageId"],
            "CreationDate": datetime.strptime(
                current["CreationDate"], "%Y-%m-%dT%H:%M:%S.%fZ"
            ).replace(tzinfo=timezone.utc),
        }
        if current.get("ImageOwnerAlias"):
            entry["ImageOwnerAlias"] = current["ImageOwnerAlias"]
        source_id = current.get("SourceImageId")
        if source_id:
            entry["SourceImageId"] = source_id
            entry["SourceImageRegion"] = current.get("SourceImageRegion", region)
        entries.append(entry)
        if not source_id:
            break
        region = current.get("SourceImageRegion", region)
        if (source_id, region) in seen:
            break
        seen.add((source_id, region))
        try:
            found = ctx.services.call(
                "ec2", "DescribeImages", {"ImageIds": [source_id]}, region=region
            )
        except ServiceError:
            break  # the source is gone (deregistered): the ancestry ends there
        current = dict((found or {})["Images"][0])
    return {"ImageAncestryEntries": entries}


# -- RunInstances: ImageId="resolve:ssm:<name>[:<version or label>]"

SSM_PREFIX = "resolve:ssm:"
_AMI_VALUE = re.compile(r"^ami-[0-9a-f]{1,17}$")


def resolve_image_id(ctx: Ctx, image_id: str | None) -> str | None:
    """The AMI id ``image_id`` names: itself, or the value of the SSM parameter it names."""
    if image_id is None or not image_id.startswith(SSM_PREFIX):
        return image_id
    name = image_id[len(SSM_PREFIX) :]
    try:
        found = ctx.services.call("ssm", "GetParameter", {"Name": name})
    except ServiceError as error:
        if error.code in ("ParameterNotFound", "ParameterVersionNotFound", "ValidationException"):
            raise InvalidParameterValue(
                f"Invalid value '{image_id}' for ImageId. The SSM parameter '{name}' is not "
                "found or you do not have permission to access it."
            ) from None
        raise
    value = str((found or {})["Parameter"]["Value"])
    if not _AMI_VALUE.match(value):
        raise InvalidParameterValue(
            f"Invalid value '{image_id}' for ImageId. The SSM parameter '{name}' does not "
            f"contain a valid AMI ID: '{value}'."
        )
    return value
