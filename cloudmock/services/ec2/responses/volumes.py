"""EBS volumes: create, describe, attach, detach, modify, delete; encryption by default."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cloudmock.core.errors import InvalidParameterValue, MissingParameter, ServiceError
from cloudmock.core.plugin import operation
from cloudmock.services.ec2.dryrun import commit
from cloudmock.services.ec2.filters import FilterSet, apply_filters
from cloudmock.services.ec2.models.tags import tag_specifications
from cloudmock.services.ec2.models.volumes import fingerprint, resolve_kms_key
from cloudmock.services.ec2.responses.common import Ctx, page, refuse_ids_with_max_results, select

if TYPE_CHECKING:
    from cloudmock.services.ec2.models.volumes import Attachment, Volume
    from cloudmock.services.ec2.shapes import (
        AttributeBooleanValue,
        CopyVolumesResult,
        CreateReplaceRootVolumeTaskResult,
        DescribeReplaceRootVolumeTasksResult,
        DescribeVolumeAttributeResult,
        DescribeVolumesModificationsResult,
        DescribeVolumesResult,
        DescribeVolumeStatusResult,
        DisableEbsEncryptionByDefaultResult,
        EnableEbsEncryptionByDefaultResult,
        Filter,
        GetEbsDefaultKmsKeyIdResult,
        GetEbsEncryptionByDefaultResult,
        ListVolumesInRecycleBinResult,
        ModifyEbsDefaultKmsKeyIdResult,
        ModifyVolumeResult,
        OperatorRequest,
        ResetEbsDefaultKmsKeyIdResult,
        RestoreVolumeFromRecycleBinResult,
        TagSpecification,
        VolumeAttachment,
    )
    from cloudmock.services.ec2.shapes import Volume as VolumeShape


def _attachments(field: str) -> Any:
    return lambda v: [getattr(a, field) for a in v.attachments]


VOLUMES: FilterSet[Any] = FilterSet(
    {
        "attachment.attach-time": lambda v: [a.device.attach_time for a in v.attachments],
        "attachment.delete-on-termination": lambda v: [
            a.device.delete_on_termination for a in v.attachments
        ],
        "attachment.device": lambda v: [a.device.device_name for a in v.attachments],
        "attachment.instance-id": _attachments("instance_id"),
        "attachment.status": _attachments("state"),
        "availability-zone": lambda v: v.zone_name,
        "availability-zone-id": lambda v: v.zone_id,
        "create-time": lambda v: v.created,
        "encrypted": lambda v: v.encrypted,
        "fast-restored": lambda v: v.fast_restored,
        "multi-attach-enabled": lambda v: v.multi_attach,
        "operator.managed": lambda v: v.operator is not None,
        "operator.principal": lambda v: v.operator,
        "size": lambda v: v.size_gib,
        "snapshot-id": lambda v: v.snapshot_id,
        "status": lambda v: v.status,
        "volume-id": lambda v: v.id,
        "volume-type": lambda v: v.volume_type,
    },
    indexes={"availability-zone": "zone", "snapshot-id": "snapshot", "volume-type": "type"},
)


def _status(field: str, inner: str | None = None) -> Any:
    def get(item: Any) -> Any:
        values = item.describe_status()[field]
        if isinstance(values, dict):
            values = values if inner is None else values.get(inner)
            return values
        return [v.get(inner) for v in values]

    return get


VOLUME_STATUSES: FilterSet[Any] = FilterSet(
    {
        "action.code": _status("Actions", "Code"),
        "action.description": _status("Actions", "Description"),
        "action.event-id": _status("Actions", "EventId"),
        "attachment-status.instance-id": _status("AttachmentStatuses", "InstanceId"),
        "attachment-status.io-performance": _status("AttachmentStatuses", "IoPerformance"),
        "availability-zone": lambda v: v.zone_name,
        "event.description": _status("Events", "Description"),
        "event.event-id": _status("Events", "EventId"),
        "event.event-type": _status("Events", "EventType"),
        "event.not-after": _status("Events", "NotAfter"),
        "event.not-before": _status("Events", "NotBefore"),
        "volume-status.details-name": lambda v: [
            d["Name"] for d in v.describe_status()["VolumeStatus"]["Details"]
        ],
        "volume-status.details-status": lambda v: [
            d["Status"] for d in v.describe_status()["VolumeStatus"]["Details"]
        ],
        "volume-status.status": lambda v: v.describe_status()["VolumeStatus"]["Status"],
    },
    indexes={"availability-zone": "zone"},
)

MODIFICATIONS: FilterSet[Any] = FilterSet(
    {
        "modification-state": lambda m: m.state,
        "original-iops": lambda m: m.original[2],
        "original-size": lambda m: m.original[0],
        "original-volume-type": lambda m: m.original[1],
        "originalMultiAttachEnabled": lambda m: m.original[4],
        "start-time": lambda m: m.started,
        "target-iops": lambda m: m.target[2],
        "target-size": lambda m: m.target[0],
        "target-volume-type": lambda m: m.target[1],
        "targetMultiAttachEnabled": lambda m: m.target[4],
        "volume-id": lambda m: m.volume_id,
    }
)


def _clamp(max_results: int | None, high: int) -> int | None:
    """EC2 answers at most ``high`` items when asked for more (not an error)."""
    return None if max_results is None else min(max_results, high)


@operation("CreateVolume")
def create_volume(
    ctx: Ctx,
    *,
    AvailabilityZone: str | None = None,
    AvailabilityZoneId: str | None = None,
    Encrypted: bool | None = None,
    Iops: int | None = None,
    KmsKeyId: str | None = None,
    OutpostArn: str | None = None,
    Size: int | None = None,
    SnapshotId: str | None = None,
    VolumeType: str | None = None,
    TagSpecifications: list[TagSpecification] | None = None,
    MultiAttachEnabled: bool | None = None,
    Throughput: int | None = None,
    ClientToken: str | None = None,
    VolumeInitializationRate: int | None = None,
    Operator: OperatorRequest | None = None,
) -> VolumeShape:
    volumes = ctx.backend.volumes
    tags = tag_specifications(TagSpecifications, ("volume",)).get("volume", {})
    principal = (Operator or {}).get("Principal")
    print_ = fingerprint(
        zone=AvailabilityZone,
        zone_id=AvailabilityZoneId,
        encrypted=Encrypted,
        iops=Iops,
        kms=KmsKeyId,
        size=Size,
        snapshot=SnapshotId,
        type=VolumeType,
        multi=MultiAttachEnabled,
        throughput=Throughput,
        rate=VolumeInitializationRate,
        tags=sorted(tags.items()),
    )
    earlier = volumes.by_token(ClientToken, print_)
    if earlier is not None:
        commit()
        return earlier.describe()
    request = volumes.check_create(
        zone_name=AvailabilityZone,
        zone_id=AvailabilityZoneId,
        size=Size,
        volume_type=VolumeType,
        iops=Iops,
        throughput=Throughput,
        snapshot_id=SnapshotId,
        encrypted=Encrypted,
        kms_key_id=KmsKeyId,
        multi_attach=MultiAttachEnabled,
        initialization_rate=VolumeInitializationRate,
        operator=principal,
        outpost_arn=OutpostArn,
    )
    commit()
    return volumes.create(request, tags, ClientToken, print_).describe()


@operation("DescribeVolumes", filters=VOLUMES)
def describe_volumes(
    ctx: Ctx,
    *,
    VolumeIds: list[str] | None = None,
    IncludeManagedResources: bool | None = None,
    Filters: list[Filter] | None = None,
    NextToken: str | None = None,
    MaxResults: int | None = None,
) -> DescribeVolumesResult:
    refuse_ids_with_max_results(ctx, VolumeIds, MaxResults, "VolumeIds")
    volumes = ctx.backend.volumes
    found = volumes.shown(
        select(ctx, volumes, VolumeIds, Filters, VOLUMES),
        IncludeManagedResources or bool(VolumeIds),
    )
    shown, token = page(ctx, found, _clamp(MaxResults, 500), NextToken, low=5, high=500)
    result: DescribeVolumesResult = {"Volumes": [v.describe() for v in shown]}
    if token:
        result["NextToken"] = token
    return result


@operation("DeleteVolume")
def delete_volume(ctx: Ctx, *, VolumeId: str) -> None:
    volumes = ctx.backend.volumes
    volume = volumes.check_delete(VolumeId)
    commit()
    volumes.delete(volume)


def _attachment(volume: Volume, attachment: Attachment) -> VolumeAttachment:
    return attachment.describe(volume.id)


@operation("AttachVolume")
def attach_volume(
    ctx: Ctx, *, Device: str, InstanceId: str, VolumeId: str, EbsCardIndex: int | None = None
) -> VolumeAttachment:
    volumes = ctx.backend.volumes
    if EbsCardIndex not in (None, 0):
        raise InvalidParameterValue(
            f"Value ({EbsCardIndex}) for parameter EbsCardIndex is invalid: the instance has "
            "one EBS card (index 0)."
        )
    volume, instance = volumes.check_attach(VolumeId, InstanceId, Device)
    commit()
    out = _attachment(volume, volumes.attach(volume, instance, Device))
    del out["DeleteOnTermination"]
    return out


@operation("DetachVolume")
def detach_volume(
    ctx: Ctx,
    *,
    VolumeId: str,
    Device: str | None = None,
    Force: bool | None = None,
    InstanceId: str | None = None,
) -> VolumeAttachment:
    # Force detaches without waiting for the guest to let go; the mock's guest never holds on.
    volumes = ctx.backend.volumes
    volume, attachment = volumes.check_detach(VolumeId, InstanceId, Device)
    commit()
    volumes.detach(volume, attachment)
    out = _attachment(volume, attachment)
    del out["DeleteOnTermination"]
    return out


@operation("ModifyVolume")
def modify_volume(
    ctx: Ctx,
    *,
    VolumeId: str,
    Size: int | None = None,
    VolumeType: str | None = None,
    Iops: int | None = None,
    Throughput: int | None = None,
    MultiAttachEnabled: bool | None = None,
) -> ModifyVolumeResult:
    volumes = ctx.backend.volumes
    volume, modification = volumes.check_modify(
        VolumeId, Size, VolumeType, Iops, Throughput, MultiAttachEnabled
    )
    commit()
    volumes.modify(volume, modification)
    return {"VolumeModification": modification.describe()}


@operation("DescribeVolumesModifications", filters=MODIFICATIONS)
def describe_volumes_modifications(
    ctx: Ctx,
    *,
    VolumeIds: list[str] | None = None,
    Filters: list[Filter] | None = None,
    NextToken: str | None = None,
    MaxResults: int | None = None,
    IncludeManagedResources: bool | None = None,
) -> DescribeVolumesModificationsResult:
    volumes = ctx.backend.volumes
    items: list[Any] = volumes.latest_modifications(VolumeIds)
    if not (IncludeManagedResources or VolumeIds) and volumes.managed_hidden():
        items = [m for m in items if volumes.get(m.volume_id).operator is None]
    items = apply_filters(items, Filters, MODIFICATIONS, ctx.operation_model)
    shown, token = page(ctx, items, _clamp(MaxResults, 500), NextToken, low=1, high=500)
    result: DescribeVolumesModificationsResult = {
        "VolumesModifications": [m.describe() for m in shown]
    }
    if token:
        result["NextToken"] = token
    return result


@operation("DescribeVolumeStatus", filters=VOLUME_STATUSES)
def describe_volume_status(
    ctx: Ctx,
    *,
    VolumeIds: list[str] | None = None,
    IncludeManagedResources: bool | None = None,
    Filters: list[Filter] | None = None,
    NextToken: str | None = None,
    MaxResults: int | None = None,
) -> DescribeVolumeStatusResult:
    refuse_ids_with_max_results(ctx, VolumeIds, MaxResults, "VolumeIds")
    volumes = ctx.backend.volumes
    found = volumes.shown(
        select(ctx, volumes, VolumeIds, Filters, VOLUME_STATUSES),
        IncludeManagedResources or bool(VolumeIds),
    )
    found = [v for v in found if v.status in ("available", "in-use")]
    shown, token = page(ctx, found, _clamp(MaxResults, 1000), NextToken, low=5, high=1000)
    result: DescribeVolumeStatusResult = {"VolumeStatuses": [v.describe_status() for v in shown]}
    if token:
        result["NextToken"] = token
    return result


@operation("DescribeVolumeAttribute")
def describe_volume_attribute(
    ctx: Ctx, *, Attribute: str, VolumeId: str
) -> DescribeVolumeAttributeResult:
    volume = ctx.backend.volumes.get(VolumeId)
    if Attribute == "autoEnableIO":
        return {"VolumeId": volume.id, "AutoEnableIO": {"Value": volume.auto_enable_io}}
    if Attribute == "productCodes":
        return {"VolumeId": volume.id, "ProductCodes": []}
    raise InvalidParameterValue(
        f"Value ({Attribute}) for parameter attribute is invalid. Valid values: autoEnableIO, "
        "productCodes."
    )


@operation("ModifyVolumeAttribute")
def modify_volume_attribute(
    ctx: Ctx, *, VolumeId: str, AutoEnableIO: AttributeBooleanValue | None = None
) -> None:
    volume = ctx.backend.volumes.get(VolumeId)
    if AutoEnableIO is None or "Value" not in AutoEnableIO:
        raise MissingParameter("The request must contain the parameter AutoEnableIO")
    commit()
    volume.auto_enable_io = AutoEnableIO["Value"]


@operation("EnableVolumeIO")
def enable_volume_io(ctx: Ctx, *, VolumeId: str) -> None:
    volume = ctx.backend.volumes.get(VolumeId)
    commit()
    # I/O is only ever suspended for an impaired volume; the mock's volumes never are.
    if volume.state == "impaired":
        volume.state = "available"


@operation("CopyVolumes")
def copy_volumes(
    ctx: Ctx,
    *,
    SourceVolumeId: str,
    Iops: int | None = None,
    Size: int | None = None,
    VolumeType: str | None = None,
    TagSpecifications: list[TagSpecification] | None = None,
    MultiAttachEnabled: bool | None = None,
    Throughput: int | None = None,
    ClientToken: str | None = None,
    Encrypted: bool | None = None,
    KmsKeyId: str | None = None,
) -> CopyVolumesResult:
    volumes = ctx.backend.volumes
    tags = tag_specifications(TagSpecifications, ("volume",)).get("volume", {})
    print_ = fingerprint(
        source=SourceVolumeId,
        iops=Iops,
        size=Size,
        type=VolumeType,
        multi=MultiAttachEnabled,
        throughput=Throughput,
        encrypted=Encrypted,
        kms=KmsKeyId,
        tags=sorted(tags.items()),
    )
    earlier = volumes.by_token(ClientToken, print_)
    if earlier is not None:
        commit()
        return {"Volumes": [earlier.describe()]}
    request = volumes.check_copy(
        SourceVolumeId,
        size=Size,
        volume_type=VolumeType,
        iops=Iops,
        throughput=Throughput,
        multi_attach=MultiAttachEnabled,
        encrypted=Encrypted,
        kms_key_id=KmsKeyId,
    )
    commit()
    return {"Volumes": [volumes.create(request, tags, ClientToken, print_).describe()]}


REPLACE_ROOT_TASKS: FilterSet[Any] = FilterSet(
    {"instance-id": lambda t: t.instance_id}, indexes={"instance-id": "instance"}
)


@operation("CreateReplaceRootVolumeTask")
def create_replace_root_volume_task(
    ctx: Ctx,
    *,
    InstanceId: str,
    SnapshotId: str | None = None,
    ClientToken: str | None = None,
    TagSpecifications: list[TagSpecification] | None = None,
    ImageId: str | None = None,
    DeleteReplacedRootVolume: bool | None = None,
    VolumeInitializationRate: int | None = None,
    VolumeId: str | None = None,
) -> CreateReplaceRootVolumeTaskResult:
    tasks = ctx.backend.volumes.root_replacements
    tags = tag_specifications(TagSpecifications, ("replace-root-volume-task",)).get(
        "replace-root-volume-task", {}
    )
    earlier = tasks.by_token(ClientToken, InstanceId)
    if earlier is not None:
        commit()
        return {"ReplaceRootVolumeTask": earlier.describe()}
    tasks.check_create(InstanceId, SnapshotId, ImageId, VolumeId, VolumeInitializationRate)
    commit()
    task = tasks.create(
        InstanceId,
        SnapshotId,
        VolumeId,
        VolumeInitializationRate,
        bool(DeleteReplacedRootVolume),
        tags,
        ClientToken,
        ImageId,
    )
    return {"ReplaceRootVolumeTask": task.describe()}


@operation("DescribeReplaceRootVolumeTasks", filters=REPLACE_ROOT_TASKS)
def describe_replace_root_volume_tasks(
    ctx: Ctx,
    *,
    ReplaceRootVolumeTaskIds: list[str] | None = None,
    Filters: list[Filter] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> DescribeReplaceRootVolumeTasksResult:
    store = ctx.backend.volumes.root_replacements.store
    found = select(ctx, store, ReplaceRootVolumeTaskIds, Filters, REPLACE_ROOT_TASKS)
    shown, token = page(ctx, found, MaxResults, NextToken, low=1, high=50)
    result: DescribeReplaceRootVolumeTasksResult = {
        "ReplaceRootVolumeTasks": [t.describe() for t in shown]
    }
    if token:
        result["NextToken"] = token
    return result


# -- encryption by default (per account and region)


@operation("GetEbsEncryptionByDefault")
def get_ebs_encryption_by_default(ctx: Ctx) -> GetEbsEncryptionByDefaultResult:
    return {
        "EbsEncryptionByDefault": ctx.backend.volumes.encryption_by_default,
        "SseType": "none",
    }


@operation("EnableEbsEncryptionByDefault")
def enable_ebs_encryption_by_default(ctx: Ctx) -> EnableEbsEncryptionByDefaultResult:
    commit()
    ctx.backend.volumes.encryption_by_default = True
    return {"EbsEncryptionByDefault": True}


@operation("DisableEbsEncryptionByDefault")
def disable_ebs_encryption_by_default(ctx: Ctx) -> DisableEbsEncryptionByDefaultResult:
    commit()
    ctx.backend.volumes.encryption_by_default = False
    return {"EbsEncryptionByDefault": False}


@operation("GetEbsDefaultKmsKeyId")
def get_ebs_default_kms_key_id(ctx: Ctx) -> GetEbsDefaultKmsKeyIdResult:
    return {"KmsKeyId": ctx.backend.volumes.default_key_arn()}


@operation("ModifyEbsDefaultKmsKeyId")
def modify_ebs_default_kms_key_id(ctx: Ctx, *, KmsKeyId: str) -> ModifyEbsDefaultKmsKeyIdResult:
    backend = ctx.backend
    arn = resolve_kms_key(KmsKeyId, backend.account_id, backend.region)
    commit()
    backend.volumes.default_kms_key = arn
    return {"KmsKeyId": arn}


@operation("ResetEbsDefaultKmsKeyId")
def reset_ebs_default_kms_key_id(ctx: Ctx) -> ResetEbsDefaultKmsKeyIdResult:
    commit()
    ctx.backend.volumes.default_kms_key = None
    return {"KmsKeyId": ctx.backend.volumes.default_key_arn()}


# -- the Recycle Bin: no retention rule can exist (the Recycle Bin service is not in the
# box), so no deleted volume is ever kept there.


@operation("ListVolumesInRecycleBin")
def list_volumes_in_recycle_bin(
    ctx: Ctx,
    *,
    VolumeIds: list[str] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> ListVolumesInRecycleBinResult:
    for volume_id in VolumeIds or ():
        ctx.backend.volumes.check_id(volume_id)
    _, token = page(ctx, [], MaxResults, NextToken, low=5, high=500)
    result: ListVolumesInRecycleBinResult = {"Volumes": []}
    if token:
        result["NextToken"] = token
    return result


@operation("RestoreVolumeFromRecycleBin")
def restore_volume_from_recycle_bin(
    ctx: Ctx, *, VolumeId: str
) -> RestoreVolumeFromRecycleBinResult:
    volumes = ctx.backend.volumes
    volumes.check_id(VolumeId)
    raise ServiceError(
        f"The volume '{VolumeId}' does not exist in the Recycle Bin.",
        code="InvalidVolume.NotFound",
    )
