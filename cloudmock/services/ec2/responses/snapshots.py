"""EBS snapshots: create, copy, delete, describe, share; archive tier, locks, fast restores."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from cloudmock.core.errors import (
    InvalidParameterCombination,
    InvalidParameterValue,
    MissingParameter,
    ServiceError,
)
from cloudmock.core.plugin import operation
from cloudmock.services.ec2.dryrun import commit
from cloudmock.services.ec2.filters import FilterSet, apply_filters
from cloudmock.services.ec2.models.snapshots import BLOCK_PUBLIC_ACCESS_STATES, SNAPSHOT
from cloudmock.services.ec2.models.tags import tag_specifications
from cloudmock.services.ec2.responses.common import (
    Ctx,
    page,
    refuse_ids_with_max_results,
    select,
)

if TYPE_CHECKING:
    from cloudmock.services.ec2.models.snapshots import FastRestore, ImportSnapshotTask, Snapshot
    from cloudmock.services.ec2.shapes import (
        ClientData,
        CopySnapshotResult,
        CreateSnapshotsResult,
        CreateVolumePermissionModifications,
        DescribeFastSnapshotRestoresResult,
        DescribeImportSnapshotTasksResult,
        DescribeLockedSnapshotsResult,
        DescribeSnapshotAttributeResult,
        DescribeSnapshotsResult,
        DescribeSnapshotTierStatusResult,
        DisableFastSnapshotRestoresResult,
        DisableSnapshotBlockPublicAccessResult,
        EnableFastSnapshotRestoresResult,
        EnableSnapshotBlockPublicAccessResult,
        Filter,
        GetSnapshotBlockPublicAccessStateResult,
        ImportSnapshotResult,
        InstanceSpecification,
        ListSnapshotsInRecycleBinResult,
        LockSnapshotResult,
        ModifySnapshotTierResult,
        RestoreSnapshotFromRecycleBinResult,
        RestoreSnapshotTierResult,
        SnapshotDiskContainer,
        TagSpecification,
        UnlockSnapshotResult,
    )
    from cloudmock.services.ec2.shapes import Snapshot as SnapshotShape

SNAPSHOTS: FilterSet[Any] = FilterSet(
    {
        "description": lambda s: s.description,
        "encrypted": lambda s: s.encrypted,
        "owner-alias": lambda s: s.owner_alias,
        "owner-id": lambda s: s.owner_id,
        "progress": lambda s: s.progress,
        "snapshot-id": lambda s: s.id,
        "start-time": lambda s: s.started,
        "status": lambda s: s.state,
        "storage-tier": lambda s: s.storage_tier,
        "transfer-type": lambda s: "time-based" if s.completion_minutes else "standard",
        "volume-id": lambda s: s.volume_id,
        "volume-size": lambda s: s.volume_size_gib,
    }
)

TIER_STATUSES: FilterSet[Any] = FilterSet(
    {
        "snapshot-id": lambda s: s.id,
        "volume-id": lambda s: s.volume_id,
        "last-tiering-operation": lambda s: s.tiering.get("LastTieringOperationStatus"),
    }
)

LOCKED: FilterSet[Any] = FilterSet({"lock-state": lambda pair: pair[1]})

#: DescribeImportSnapshotTasks documents no filter names
IMPORT_TASKS: FilterSet[Any] = FilterSet({})

FAST_RESTORES: FilterSet[Any] = FilterSet(
    {
        "availability-zone": lambda pair: pair[1].zone_name,
        "availability-zone-id": lambda pair: pair[1].zone_id,
        "owner-id": lambda pair: pair[0].owner_id,
        "snapshot-id": lambda pair: pair[0].id,
        "state": lambda pair: pair[1].state,
    }
)


def _clamp(max_results: int | None, high: int) -> int | None:
    """EC2 answers at most ``high`` items when asked for more (not an error)."""
    return None if max_results is None else min(max_results, high)


# -- create, copy, delete


@operation("CreateSnapshot")
def create_snapshot(
    ctx: Ctx,
    *,
    VolumeId: str,
    Description: str | None = None,
    OutpostArn: str | None = None,
    TagSpecifications: list[TagSpecification] | None = None,
    Location: str | None = None,
) -> SnapshotShape:
    snapshots = ctx.backend.snapshots
    tags = tag_specifications(TagSpecifications, ("snapshot",)).get("snapshot", {})
    volume = snapshots.check_create(VolumeId, OutpostArn, Location)
    commit()
    return snapshots.create_from_volume(volume, Description or "", tags).describe()


@operation("CreateSnapshots")
def create_snapshots(
    ctx: Ctx,
    *,
    InstanceSpecification: InstanceSpecification,
    Description: str | None = None,
    OutpostArn: str | None = None,
    TagSpecifications: list[TagSpecification] | None = None,
    CopyTagsFromSource: str | None = None,
    Location: str | None = None,
) -> CreateSnapshotsResult:
    backend = ctx.backend
    snapshots = backend.snapshots
    tags = tag_specifications(TagSpecifications, ("snapshot",)).get("snapshot", {})
    if CopyTagsFromSource not in (None, "volume"):
        raise InvalidParameterValue(
            f"Value ({CopyTagsFromSource}) for parameter CopyTagsFromSource is invalid. "
            "Valid value: volume."
        )
    instance_id = InstanceSpecification.get("InstanceId")
    if not instance_id:
        raise MissingParameter(
            "The request must contain the parameter InstanceSpecification.InstanceId"
        )
    volumes = snapshots.check_create_many(
        instance_id,
        bool(InstanceSpecification.get("ExcludeBootVolume")),
        InstanceSpecification.get("ExcludeDataVolumeIds") or [],
        OutpostArn,
        Location,
    )
    commit()
    made = []
    for volume in volumes:
        own = {**volume.tags, **tags} if CopyTagsFromSource == "volume" else tags
        snapshot = snapshots.create_from_volume(volume, Description or "", own)
        made.append(snapshot)
    return {
        "Snapshots": [
            {
                "Description": s.description,
                "Tags": s.tag_list(),
                "Encrypted": s.encrypted,
                "VolumeId": s.volume_id,
                "State": s.state,
                "VolumeSize": s.volume_size_gib,
                "StartTime": s.started,
                "Progress": s.progress,
                "OwnerId": s.owner_id,
                "SnapshotId": s.id,
            }
            for s in made
        ]
    }


@operation("CopySnapshot")
def copy_snapshot(
    ctx: Ctx,
    *,
    SourceRegion: str,
    SourceSnapshotId: str,
    Description: str | None = None,
    DestinationOutpostArn: str | None = None,
    DestinationRegion: str | None = None,
    Encrypted: bool | None = None,
    KmsKeyId: str | None = None,
    PresignedUrl: str | None = None,
    TagSpecifications: list[TagSpecification] | None = None,
    CompletionDurationMinutes: int | None = None,
    DestinationAvailabilityZone: str | None = None,
) -> CopySnapshotResult:
    snapshots = ctx.backend.snapshots
    tags = tag_specifications(TagSpecifications, ("snapshot",)).get("snapshot", {})
    if PresignedUrl is not None:
        # SDKs sign a CopySnapshot request for the source region; it must name the same copy
        signed = parse_qs(urlsplit(PresignedUrl).query)
        for member, value in (
            ("SourceSnapshotId", SourceSnapshotId),
            ("SourceRegion", SourceRegion),
        ):
            if member in signed and signed[member] != [value]:
                raise InvalidParameterValue(
                    f"The presigned URL's {member} does not match the request's ({value})."
                )
    source, encrypted, key = snapshots.check_copy(
        SourceRegion,
        SourceSnapshotId,
        Encrypted,
        KmsKeyId,
        DestinationRegion,
        DestinationOutpostArn,
        CompletionDurationMinutes,
        DestinationAvailabilityZone,
    )
    commit()
    copy = snapshots.copy(source, encrypted, key, Description, tags, CompletionDurationMinutes)
    result: CopySnapshotResult = {"SnapshotId": copy.id}
    if copy.tags:
        result["Tags"] = copy.tag_list()
    return result


@operation("DeleteSnapshot")
def delete_snapshot(ctx: Ctx, *, SnapshotId: str) -> None:
    snapshots = ctx.backend.snapshots
    snapshot = snapshots.check_delete(SnapshotId)
    commit()
    snapshots.delete(snapshot)


# -- describe


@operation("DescribeSnapshots", filters=SNAPSHOTS)
def describe_snapshots(
    ctx: Ctx,
    *,
    SnapshotIds: list[str] | None = None,
    OwnerIds: list[str] | None = None,
    RestorableByUserIds: list[str] | None = None,
    Filters: list[Filter] | None = None,
    NextToken: str | None = None,
    MaxResults: int | None = None,
) -> DescribeSnapshotsResult:
    refuse_ids_with_max_results(ctx, SnapshotIds, MaxResults, "SnapshotIds")
    found = ctx.backend.snapshots.describable(SnapshotIds, OwnerIds, RestorableByUserIds)
    found = apply_filters(found, Filters, SNAPSHOTS, ctx.operation_model)
    shown, token = page(ctx, found, _clamp(MaxResults, 1000), NextToken, low=5, high=1000)
    viewer = ctx.backend.account_id
    result: DescribeSnapshotsResult = {"Snapshots": [s.describe(viewer) for s in shown]}
    if token:
        result["NextToken"] = token
    return result


# -- attributes: createVolumePermission, productCodes


@operation("DescribeSnapshotAttribute")
def describe_snapshot_attribute(
    ctx: Ctx, *, Attribute: str, SnapshotId: str
) -> DescribeSnapshotAttributeResult:
    snapshots = ctx.backend.snapshots
    snapshot = snapshots.own(SnapshotId)
    if snapshots.check_attribute(Attribute) == "productCodes":
        return {
            "SnapshotId": snapshot.id,
            "ProductCodes": [
                {"ProductCodeId": code, "ProductCodeType": kind}
                for code, kind in snapshot.product_codes
            ],
        }
    permissions: list[Any] = [{"UserId": user} for user in sorted(snapshot.shared_with)]
    if snapshot.public:
        permissions.append({"Group": "all"})
    return {"SnapshotId": snapshot.id, "CreateVolumePermissions": permissions}


@operation("ModifySnapshotAttribute")
def modify_snapshot_attribute(
    ctx: Ctx,
    *,
    SnapshotId: str,
    Attribute: str | None = None,
    CreateVolumePermission: CreateVolumePermissionModifications | None = None,
    GroupNames: list[str] | None = None,
    OperationType: str | None = None,
    UserIds: list[str] | None = None,
) -> None:
    snapshots = ctx.backend.snapshots
    snapshot = snapshots.own(SnapshotId)
    attribute = snapshots.check_attribute(Attribute or "createVolumePermission")
    if attribute == "productCodes":
        raise InvalidParameterCombination("The productCodes attribute of a snapshot is read-only.")
    changes: list[tuple[str, set[str], bool]] = []
    if CreateVolumePermission is not None:
        if UserIds or GroupNames or OperationType:
            raise InvalidParameterCombination(
                "The parameter CreateVolumePermission cannot be used with UserIds, GroupNames "
                "or OperationType"
            )
        for operation_type, key in (("add", "Add"), ("remove", "Remove")):
            entries: list[Any] = CreateVolumePermission.get(key) or []  # type: ignore[literal-required,assignment]
            user_ids = [e["UserId"] for e in entries if "UserId" in e]
            groups = [e["Group"] for e in entries if "Group" in e]
            if user_ids or groups:
                changes.append(
                    (
                        operation_type,
                        *snapshots.check_permissions(snapshot, operation_type, user_ids, groups),
                    )
                )
    else:
        if OperationType not in ("add", "remove"):
            if OperationType is None:
                raise MissingParameter("The request must contain the parameter OperationType")
            raise InvalidParameterValue(
                f"Value ({OperationType}) for parameter operationType is invalid. Valid values: "
                "add, remove."
            )
        if not UserIds and not GroupNames:
            raise MissingParameter("The request must contain the parameter UserIds or GroupNames")
        changes.append(
            (
                OperationType,
                *snapshots.check_permissions(
                    snapshot, OperationType, UserIds or [], GroupNames or []
                ),
            )
        )
    if not changes:
        raise MissingParameter("The request must contain the parameter CreateVolumePermission")
    commit()
    for operation_type, users, group_all in changes:
        snapshots.modify_permissions(snapshot, operation_type, users, group_all)


@operation("ResetSnapshotAttribute")
def reset_snapshot_attribute(ctx: Ctx, *, Attribute: str, SnapshotId: str) -> None:
    snapshots = ctx.backend.snapshots
    snapshot = snapshots.own(SnapshotId)
    if snapshots.check_attribute(Attribute) == "productCodes":
        raise InvalidParameterCombination("The productCodes attribute of a snapshot is read-only.")
    commit()
    snapshots.reset_permissions(snapshot)


# -- archive tier


@operation("ModifySnapshotTier")
def modify_snapshot_tier(
    ctx: Ctx, *, SnapshotId: str, StorageTier: str | None = None
) -> ModifySnapshotTierResult:
    snapshots = ctx.backend.snapshots
    snapshot = snapshots.check_archive(SnapshotId, StorageTier)
    commit()
    return {"SnapshotId": snapshot.id, "TieringStartTime": snapshots.archive(snapshot)}


@operation("RestoreSnapshotTier")
def restore_snapshot_tier(
    ctx: Ctx,
    *,
    SnapshotId: str,
    TemporaryRestoreDays: int | None = None,
    PermanentRestore: bool | None = None,
) -> RestoreSnapshotTierResult:
    snapshots = ctx.backend.snapshots
    snapshot = snapshots.check_restore_tier(SnapshotId, TemporaryRestoreDays, PermanentRestore)
    commit()
    started = snapshots.restore_tier(snapshot, TemporaryRestoreDays, bool(PermanentRestore))
    result: RestoreSnapshotTierResult = {
        "SnapshotId": snapshot.id,
        "RestoreStartTime": started,
        "IsPermanentRestore": bool(PermanentRestore),
    }
    if TemporaryRestoreDays is not None:
        result["RestoreDuration"] = TemporaryRestoreDays
    return result


@operation("DescribeSnapshotTierStatus", filters=TIER_STATUSES)
def describe_snapshot_tier_status(
    ctx: Ctx,
    *,
    Filters: list[Filter] | None = None,
    NextToken: str | None = None,
    MaxResults: int | None = None,
) -> DescribeSnapshotTierStatusResult:
    found = apply_filters(
        list(ctx.backend.snapshots.store), Filters, TIER_STATUSES, ctx.operation_model
    )
    shown, token = page(ctx, found, _clamp(MaxResults, 1000), NextToken, low=5, high=1000)
    result: DescribeSnapshotTierStatusResult = {
        "SnapshotTierStatuses": [s.tier_status() for s in shown]
    }
    if token:
        result["NextToken"] = token
    return result


# -- the Recycle Bin: no retention rule can exist (the Recycle Bin service is not in the
# box), so no deleted snapshot is ever kept there.


@operation("ListSnapshotsInRecycleBin")
def list_snapshots_in_recycle_bin(
    ctx: Ctx,
    *,
    SnapshotIds: list[str] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> ListSnapshotsInRecycleBinResult:
    for snapshot_id in SnapshotIds or ():
        ctx.backend.snapshots.store.check_id(snapshot_id)
    _, token = page(ctx, [], MaxResults, NextToken, low=5, high=1000)
    result: ListSnapshotsInRecycleBinResult = {"Snapshots": []}
    if token:
        result["NextToken"] = token
    return result


@operation("RestoreSnapshotFromRecycleBin")
def restore_snapshot_from_recycle_bin(
    ctx: Ctx, *, SnapshotId: str
) -> RestoreSnapshotFromRecycleBinResult:
    ctx.backend.snapshots.store.check_id(SnapshotId)
    raise SNAPSHOT.not_found([SnapshotId])


# -- locks


@operation("LockSnapshot")
def lock_snapshot(
    ctx: Ctx,
    *,
    SnapshotId: str,
    LockMode: str,
    CoolOffPeriod: int | None = None,
    LockDuration: int | None = None,
    ExpirationDate: datetime | None = None,
) -> LockSnapshotResult:
    snapshots = ctx.backend.snapshots
    snapshot, lock = snapshots.check_lock(
        SnapshotId, LockMode, CoolOffPeriod, LockDuration, ExpirationDate
    )
    commit()
    snapshot.lock = lock
    info = snapshot.lock_info(snapshots.now)
    result: LockSnapshotResult = {
        "SnapshotId": snapshot.id,
        "LockState": info["LockState"],
        "LockCreatedOn": info["LockCreatedOn"],
        "LockDurationStartTime": info["LockDurationStartTime"],
        "LockExpiresOn": info["LockExpiresOn"],
    }
    if "LockDuration" in info:
        result["LockDuration"] = info["LockDuration"]
    if "CoolOffPeriod" in info:
        result["CoolOffPeriod"] = info["CoolOffPeriod"]
        result["CoolOffPeriodExpiresOn"] = info["CoolOffPeriodExpiresOn"]
    return result


@operation("UnlockSnapshot")
def unlock_snapshot(ctx: Ctx, *, SnapshotId: str) -> UnlockSnapshotResult:
    snapshot = ctx.backend.snapshots.check_unlock(SnapshotId)
    commit()
    snapshot.lock = None
    return {"SnapshotId": snapshot.id}


@operation("DescribeLockedSnapshots", filters=LOCKED)
def describe_locked_snapshots(
    ctx: Ctx,
    *,
    Filters: list[Filter] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
    SnapshotIds: list[str] | None = None,
) -> DescribeLockedSnapshotsResult:
    snapshots = ctx.backend.snapshots
    now = snapshots.now
    chosen = snapshots.store.get_many(SnapshotIds) if SnapshotIds else list(snapshots.store)
    pairs: list[Any] = [(s, s.lock.state(now)) for s in chosen if s.lock is not None]
    pairs = apply_filters(pairs, Filters, LOCKED, ctx.operation_model)
    shown, token = page(ctx, pairs, MaxResults, NextToken, low=5, high=1000)
    result: DescribeLockedSnapshotsResult = {"Snapshots": [s.lock_info(now) for s, _ in shown]}
    if token:
        result["NextToken"] = token
    return result


# -- fast snapshot restores


def _restore_errors(failures: dict[str, list[tuple[tuple[str, str], str, str]]]) -> list[Any]:
    return [
        {
            "SnapshotId": snapshot_id,
            "FastSnapshotRestoreStateErrors": [
                {
                    "AvailabilityZone": zone[0],
                    "AvailabilityZoneId": zone[1],
                    "Error": {"Code": code, "Message": message},
                }
                for zone, code, message in errors
            ],
        }
        for snapshot_id, errors in failures.items()
    ]


def _fast_restores(
    ctx: Ctx,
    zones: list[str] | None,
    zone_ids: list[str] | None,
    snapshot_ids: list[str],
    enable: bool,
) -> tuple[list[Any], list[Any]]:
    snapshots = ctx.backend.snapshots
    chosen = snapshots.zones(zones, zone_ids)
    todo: list[tuple[Snapshot, tuple[str, str]]] = []
    failures: dict[str, list[tuple[tuple[str, str], str, str]]] = {}
    for snapshot_id in dict.fromkeys(snapshot_ids):
        try:
            snapshot = snapshots.own(snapshot_id)
        except ServiceError as error:
            failures[snapshot_id] = [(zone, error.code, error.message) for zone in chosen]
            continue
        for zone in chosen:
            restore = snapshot.fast_restores.get(zone[0])
            if enable and snapshot.state != "completed":
                failures.setdefault(snapshot.id, []).append(
                    (zone, "IncorrectState", f"Snapshot is in invalid state - {snapshot.state}")
                )
            elif enable and snapshot.storage_tier == "archive":
                failures.setdefault(snapshot.id, []).append(
                    (zone, "IncorrectState", f"The snapshot {snapshot.id} is archived.")
                )
            elif not enable and (restore is None or restore.state == "disabling"):
                failures.setdefault(snapshot.id, []).append(
                    (
                        zone,
                        "IncorrectState",
                        f"Fast snapshot restores are not enabled for {snapshot.id} in {zone[0]}.",
                    )
                )
            else:
                todo.append((snapshot, zone))
    commit()
    done: list[tuple[Snapshot, FastRestore]] = []
    for snapshot, zone in todo:
        if enable:
            done.append((snapshot, snapshots.enable_fast_restore(snapshot, zone)))
        else:
            done.append((snapshot, snapshots.disable_fast_restore(snapshot, zone)))
    return [s.restore_info(r) for s, r in done], _restore_errors(failures)


@operation("EnableFastSnapshotRestores")
def enable_fast_snapshot_restores(
    ctx: Ctx,
    *,
    SourceSnapshotIds: list[str],
    AvailabilityZones: list[str] | None = None,
    AvailabilityZoneIds: list[str] | None = None,
) -> EnableFastSnapshotRestoresResult:
    done, failed = _fast_restores(
        ctx, AvailabilityZones, AvailabilityZoneIds, SourceSnapshotIds, enable=True
    )
    return {"Successful": done, "Unsuccessful": failed}


@operation("DisableFastSnapshotRestores")
def disable_fast_snapshot_restores(
    ctx: Ctx,
    *,
    SourceSnapshotIds: list[str],
    AvailabilityZones: list[str] | None = None,
    AvailabilityZoneIds: list[str] | None = None,
) -> DisableFastSnapshotRestoresResult:
    done, failed = _fast_restores(
        ctx, AvailabilityZones, AvailabilityZoneIds, SourceSnapshotIds, enable=False
    )
    return {"Successful": done, "Unsuccessful": failed}


@operation("DescribeFastSnapshotRestores", filters=FAST_RESTORES)
def describe_fast_snapshot_restores(
    ctx: Ctx,
    *,
    Filters: list[Filter] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> DescribeFastSnapshotRestoresResult:
    pairs: list[Any] = [
        (s, r) for s in ctx.backend.snapshots.store for r in s.fast_restores.values()
    ]
    pairs = apply_filters(pairs, Filters, FAST_RESTORES, ctx.operation_model)
    shown, token = page(ctx, pairs, MaxResults, NextToken, low=0, high=200)
    result: DescribeFastSnapshotRestoresResult = {
        "FastSnapshotRestores": [s.restore_info(r) for s, r in shown]
    }
    if token:
        result["NextToken"] = token
    return result


# -- block public access (per account and region)


@operation("GetSnapshotBlockPublicAccessState")
def get_snapshot_block_public_access_state(ctx: Ctx) -> GetSnapshotBlockPublicAccessStateResult:
    return {"State": ctx.backend.snapshots.block_public_access, "ManagedBy": "account"}


@operation("EnableSnapshotBlockPublicAccess")
def enable_snapshot_block_public_access(
    ctx: Ctx, *, State: str
) -> EnableSnapshotBlockPublicAccessResult:
    if State not in BLOCK_PUBLIC_ACCESS_STATES:
        raise InvalidParameterValue(
            f"Value ({State}) for parameter State is invalid. Valid values: "
            f"{', '.join(BLOCK_PUBLIC_ACCESS_STATES)}."
        )
    commit()
    ctx.backend.snapshots.block_public_access = State
    return {"State": State}


@operation("DisableSnapshotBlockPublicAccess")
def disable_snapshot_block_public_access(ctx: Ctx) -> DisableSnapshotBlockPublicAccessResult:
    commit()
    ctx.backend.snapshots.block_public_access = "unblocked"
    return {"State": "unblocked"}


# -- ImportSnapshot (the disk image is read from S3, which is not in the box: the task fails)


def _import_result(task: ImportSnapshotTask) -> ImportSnapshotResult:
    shown = task.describe()
    result: ImportSnapshotResult = {
        "Description": shown["Description"],
        "ImportTaskId": shown["ImportTaskId"],
        "SnapshotTaskDetail": shown["SnapshotTaskDetail"],
    }
    if "Tags" in shown:
        result["Tags"] = shown["Tags"]
    return result


@operation("ImportSnapshot")
def import_snapshot(
    ctx: Ctx,
    *,
    ClientData: ClientData | None = None,
    ClientToken: str | None = None,
    Description: str | None = None,
    DiskContainer: SnapshotDiskContainer | None = None,
    Encrypted: bool | None = None,
    KmsKeyId: str | None = None,
    RoleName: str | None = None,
    TagSpecifications: list[TagSpecification] | None = None,
) -> ImportSnapshotResult:
    # ClientData (the upload's own timings and comment) only describes the upload
    backend = ctx.backend
    imports = backend.snapshots.imports
    tags = tag_specifications(TagSpecifications, ("import-snapshot-task",)).get(
        "import-snapshot-task", {}
    )
    earlier = imports.by_token(ClientToken)
    if earlier is not None:
        commit()
        return _import_result(earlier)
    container = DiskContainer or {}
    bucket = container.get("UserBucket")
    disk_format = imports.check(
        container.get("Format"),
        container.get("Url"),
        (bucket.get("S3Bucket", ""), bucket.get("S3Key", "")) if bucket is not None else None,
    )
    role = RoleName or "vmimport"
    try:
        ctx.services.call("iam", "GetRole", {"RoleName": role})
    except ServiceError:
        raise ServiceError(
            f"The service role {role} provided does not exist or does not have sufficient "
            "permissions",
            code="InvalidParameter",
        ) from None
    encrypted, key = backend.volumes.encryption(Encrypted, KmsKeyId, None)
    commit()
    task = imports.create(
        description=Description or "",
        disk_description=container.get("Description", ""),
        disk_format=disk_format,
        url=container.get("Url"),
        bucket=(bucket.get("S3Bucket", ""), bucket.get("S3Key", "")) if bucket else None,
        encrypted=encrypted,
        kms_key_id=key,
        tags=tags,
        token=ClientToken,
    )
    return _import_result(task)


@operation("DescribeImportSnapshotTasks", filters=IMPORT_TASKS)
def describe_import_snapshot_tasks(
    ctx: Ctx,
    *,
    Filters: list[Filter] | None = None,
    ImportTaskIds: list[str] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> DescribeImportSnapshotTasksResult:
    store = ctx.backend.snapshots.imports.store
    found = select(ctx, store, ImportTaskIds, Filters, IMPORT_TASKS)
    shown, token = page(ctx, found, MaxResults, NextToken, low=1, high=500)
    result: DescribeImportSnapshotTasksResult = {
        "ImportSnapshotTasks": [t.describe() for t in shown]
    }
    if token:
        result["NextToken"] = token
    return result
