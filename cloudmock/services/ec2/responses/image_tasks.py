"""Image work over time: Windows fast launch, store/restore through S3 objects, export and
import, usage reports; and the questions about images with no state of their own
(Inspector findings, product codes of an instance)."""

from __future__ import annotations

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
from cloudmock.services.ec2.models.image_tasks import (
    ExportTask,
    FastLaunch,
    ImportTask,
    UsageReport,
)
from cloudmock.services.ec2.models.tags import tag_specifications
from cloudmock.services.ec2.responses.common import Ctx, page

if TYPE_CHECKING:
    from cloudmock.services.ec2.shapes import (
        ClientData,
        ConfirmProductInstanceResult,
        CreateImageUsageReportResult,
        CreateRestoreImageTaskResult,
        CreateStoreImageTaskResult,
        DeleteImageUsageReportResult,
        DescribeExportImageTasksResult,
        DescribeFastLaunchImagesResult,
        DescribeImageUsageReportEntriesResult,
        DescribeImageUsageReportsResult,
        DescribeImportImageTasksResult,
        DescribeStoreImageTasksResult,
        DisableFastLaunchResult,
        EnableFastLaunchResult,
        ExportImageResult,
        ExportTaskS3LocationRequest,
        FastLaunchLaunchTemplateSpecificationRequest,
        FastLaunchSnapshotConfigurationRequest,
        Filter,
        GetImageFindingsResult,
        ImageUsageResourceTypeRequest,
        ImportImageLicenseConfigurationRequest,
        ImportImageResult,
        S3ObjectTag,
        TagSpecification,
        UserBucket,
    )


def _choice(member: str, value: str | None, choices: tuple[str, ...]) -> None:
    if value is not None and value not in choices:
        raise InvalidParameterValue(
            f"Invalid value '{value}' for {member}. Valid values: {', '.join(choices)}"
        )


# -- Windows fast launch

FAST_LAUNCH: FilterSet[Any] = FilterSet(
    {
        "owner-id": lambda f: f.owner_id,
        "resource-type": lambda f: "snapshot",
        "state": lambda f: f.state,
    }
)


@operation("EnableFastLaunch")
def enable_fast_launch(
    ctx: Ctx,
    *,
    ImageId: str,
    ResourceType: str | None = None,
    SnapshotConfiguration: FastLaunchSnapshotConfigurationRequest | None = None,
    LaunchTemplate: FastLaunchLaunchTemplateSpecificationRequest | None = None,
    MaxParallelLaunches: int | None = None,
) -> EnableFastLaunchResult:
    backend = ctx.backend
    image = backend.images.get(ImageId)
    if image.platform != "windows":
        raise InvalidParameterValue(
            f"Windows fast launch is supported only for Windows AMIs; {ImageId} is not one."
        )
    if image.owner_id != ctx.account_id and ctx.account_id not in image.launch_users:
        raise ServiceError(f"Not authorized for image:{ImageId}", code="AuthFailure")
    _choice("ResourceType", ResourceType, ("snapshot",))
    if MaxParallelLaunches is not None and MaxParallelLaunches < 6:
        raise InvalidParameterValue("MaxParallelLaunches must be 6 or greater.")
    template = dict(LaunchTemplate or {})
    if template.get("LaunchTemplateId") and template.get("LaunchTemplateName"):
        raise InvalidParameterCombination(
            "Specify either the launch template ID or the launch template name, not both."
        )
    if template and not template.get("Version"):
        raise MissingParameter("LaunchTemplate.Version")
    count = (SnapshotConfiguration or {}).get("TargetResourceCount", 5)
    if count < 1:
        raise InvalidParameterValue("TargetResourceCount must be at least 1.")
    commit()
    now = backend.clock.now()
    tasks = backend.images.tasks
    earlier = tasks.fast_launch.get(image.id)
    if earlier is not None:
        earlier.generation += 1
    entry = tasks.fast_launch[image.id] = FastLaunch(
        image_id=image.id,
        owner_id=image.owner_id,
        target_resource_count=count,
        max_parallel_launches=MaxParallelLaunches or 6,
        launch_template={k: str(v) for k, v in template.items()},
        state="enabling",
        reason="Client.UserInitiated",
        changed=now,
    )
    tasks.schedule(entry, _fast_launch_enabled)
    return entry.describe()  # type: ignore[return-value]


def _fast_launch_enabled(entry: FastLaunch) -> None:
    entry.state = "enabled"
    entry.reason = "Client.UserInitiated - Lifecycle state transition"


@operation("DisableFastLaunch")
def disable_fast_launch(ctx: Ctx, *, ImageId: str, Force: bool = False) -> DisableFastLaunchResult:
    backend = ctx.backend
    image = backend.images.get(ImageId)
    tasks = backend.images.tasks
    entry = tasks.fast_launch.get(image.id)
    if entry is None or entry.state in ("disabling", "disabling-failed"):
        raise InvalidParameterValue(f"Windows fast launch is not enabled for {ImageId}.")
    if entry.state == "enabling" and not Force:
        raise ServiceError(
            f"Windows fast launch for {ImageId} is still being enabled; use Force to disable it.",
            code="IncorrectState",
        )
    commit()
    entry.generation += 1
    entry.state = "disabling"
    entry.reason = "Client.UserInitiated"
    entry.changed = backend.clock.now()
    shown = entry.describe()

    def forget(done: FastLaunch) -> None:
        tasks.fast_launch.pop(done.image_id, None)

    tasks.schedule(entry, forget)
    return shown  # type: ignore[return-value]


@operation("DescribeFastLaunchImages", filters=FAST_LAUNCH)
def describe_fast_launch_images(
    ctx: Ctx,
    *,
    ImageIds: list[str] | None = None,
    Filters: list[Filter] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> DescribeFastLaunchImagesResult:
    tasks = ctx.backend.images.tasks
    entries = list(tasks.fast_launch.values())
    if ImageIds:
        for image_id in ImageIds:
            ctx.backend.images.store.check_id(image_id)
        entries = [e for e in entries if e.image_id in ImageIds]
    entries = apply_filters(entries, Filters, FAST_LAUNCH, ctx.operation_model)
    shown, token = page(ctx, entries, MaxResults, NextToken, low=0, high=200)
    result: DescribeFastLaunchImagesResult = {"FastLaunchImages": [e.describe() for e in shown]}
    if token:
        result["NextToken"] = token
    return result


# -- store to / restore from S3 objects

STORE_TASKS: FilterSet[Any] = FilterSet(
    {"bucket": lambda t: t.bucket, "task-state": lambda t: t.state}
)


@operation("CreateStoreImageTask")
def create_store_image_task(
    ctx: Ctx, *, ImageId: str, Bucket: str, S3ObjectTags: list[S3ObjectTag] | None = None
) -> CreateStoreImageTaskResult:
    backend = ctx.backend
    image = backend.images.owned(ImageId)
    if image.state != "available" or image.root_device_type != "ebs":
        raise ServiceError(
            f"The image {ImageId} must be an available EBS-backed AMI to be stored.",
            code="IncorrectState",
        )
    running = backend.images.tasks.store_tasks.get(image.id)
    if running is not None and running.state == "InProgress":
        raise ServiceError(
            f"A store task for {ImageId} is already in progress.", code="IncorrectState"
        )
    for tag in S3ObjectTags or ():
        if not tag.get("Key"):
            raise MissingParameter("S3ObjectTag.Key")
    commit()
    task = backend.images.tasks.store(image, Bucket)
    return {"ObjectKey": task.key}


@operation("DescribeStoreImageTasks", filters=STORE_TASKS)
def describe_store_image_tasks(
    ctx: Ctx,
    *,
    ImageIds: list[str] | None = None,
    Filters: list[Filter] | None = None,
    NextToken: str | None = None,
    MaxResults: int | None = None,
) -> DescribeStoreImageTasksResult:
    if ImageIds and MaxResults is not None:
        raise InvalidParameterCombination(
            "The parameter ImageIds cannot be used with the parameter MaxResults"
        )
    tasks = ctx.backend.images.tasks.store_tasks
    found = list(tasks.values())
    if ImageIds:
        for image_id in ImageIds:
            ctx.backend.images.store.check_id(image_id)
        found = [t for t in found if t.image_id in ImageIds]
    found = apply_filters(found, Filters, STORE_TASKS, ctx.operation_model)
    shown, token = page(ctx, found, MaxResults, NextToken, low=1, high=200)
    result: DescribeStoreImageTasksResult = {"StoreImageTaskResults": [t.describe() for t in shown]}
    if token:
        result["NextToken"] = token
    return result


@operation("CreateRestoreImageTask")
def create_restore_image_task(
    ctx: Ctx,
    *,
    Bucket: str,
    ObjectKey: str,
    Name: str | None = None,
    TagSpecifications: list[TagSpecification] | None = None,
) -> CreateRestoreImageTaskResult:
    backend = ctx.backend
    family = backend.images
    stored = family.tasks.objects().get((Bucket, ObjectKey))
    if stored is None or stored.get("kind") != "ami":
        raise InvalidParameterValue(
            f"The object s3://{Bucket}/{ObjectKey} does not exist or is not a stored AMI."
        )
    view: dict[str, Any] = stored["image"]
    name = Name or view["Name"]
    family.check_name(name)
    tags = tag_specifications(TagSpecifications, ("image", "snapshot"))
    commit()
    image = family.from_view(
        view,
        name=name,
        description=None,
        encrypted=False,
        kms_key_id=None,
        source=None,
        tags=tags.get("image", {}),
        snapshot_tags=tags.get("snapshot"),
        snapshot_note="Restored for {image} from s3://" + f"{Bucket}/{ObjectKey}",
    )
    family.add(image)
    return {"ImageId": image.id}


# -- export and import

EXPORT_TASKS: FilterSet[Any] = FilterSet({})
IMPORT_TASKS: FilterSet[Any] = FilterSet({})
_DISK_FORMATS = ("VMDK", "RAW", "VHD")


def _check_role(ctx: Ctx, role_name: str | None) -> str:
    """The VM Import/Export service role must exist in IAM (default: vmimport)."""
    role = role_name or "vmimport"
    try:
        ctx.services.call("iam", "GetRole", {"RoleName": role})
    except ServiceError:
        raise ServiceError(
            f"The service role {role} provided does not exist or does not have sufficient "
            "permissions",
            code="InvalidParameter",
        ) from None
    return role


@operation("ExportImage")
def export_image(
    ctx: Ctx,
    *,
    DiskImageFormat: str,
    ImageId: str,
    S3ExportLocation: ExportTaskS3LocationRequest,
    ClientToken: str | None = None,
    Description: str | None = None,
    RoleName: str | None = None,
    TagSpecifications: list[TagSpecification] | None = None,
) -> ExportImageResult:
    backend = ctx.backend
    tasks = backend.images.tasks
    if ClientToken and ClientToken in tasks.export_tokens:
        commit()
        earlier = tasks.exports[tasks.export_tokens[ClientToken]]
        return _export_result(earlier)
    _choice("DiskImageFormat", DiskImageFormat, _DISK_FORMATS)
    image = backend.images.owned(ImageId)
    if image.state != "available":
        raise ServiceError(f"The image {ImageId} is not available.", code="IncorrectState")
    bucket = S3ExportLocation.get("S3Bucket")
    if not bucket:
        raise MissingParameter("S3ExportLocation.S3Bucket")
    if Description is not None and len(Description) > 255:
        raise InvalidParameterValue("The description can be at most 255 characters long.")
    role = _check_role(ctx, RoleName)
    tags = tag_specifications(TagSpecifications, ("export-image-task",)).get(
        "export-image-task", {}
    )
    commit()
    task = ExportTask(
        id=backend.ids.new("export-ami"),
        image_id=image.id,
        description=Description or "",
        disk_format=DiskImageFormat,
        bucket=bucket,
        prefix=S3ExportLocation.get("S3Prefix", ""),
        role_name=role,
        tags=tags,
    )
    tasks.exports[task.id] = task
    if ClientToken:
        tasks.export_tokens[ClientToken] = task.id
    view = image.describe(viewer=image.owner_id, now=backend.clock.now())

    def done(finished: ExportTask) -> None:
        finished.status = "completed"
        finished.progress = "100"
        finished.status_message = ""
        tasks.objects()[(finished.bucket, finished.key)] = {
            "kind": "disk",
            "image": view,
            "format": finished.disk_format,
        }

    tasks.schedule(task, done)
    return _export_result(task)


def _export_result(task: ExportTask) -> ExportImageResult:
    result: ExportImageResult = {
        **task.describe(),  # type: ignore[typeddict-item]
        "DiskImageFormat": task.disk_format,
        "RoleName": task.role_name,
    }
    return result


@operation("DescribeExportImageTasks", filters=EXPORT_TASKS)
def describe_export_image_tasks(
    ctx: Ctx,
    *,
    Filters: list[Filter] | None = None,
    ExportImageTaskIds: list[str] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> DescribeExportImageTasksResult:
    exports = ctx.backend.images.tasks.exports
    if ExportImageTaskIds:
        missing = [i for i in ExportImageTaskIds if i not in exports]
        if missing:
            raise ServiceError(
                f"The export image task ID '{missing[0]}' does not exist",
                code="InvalidExportImageTaskId.NotFound",
            )
        found = [exports[i] for i in dict.fromkeys(ExportImageTaskIds)]
    else:
        found = list(exports.values())
    found = apply_filters(found, Filters, EXPORT_TASKS, ctx.operation_model)
    shown, token = page(ctx, found, MaxResults, NextToken, low=1, high=500)
    result: DescribeExportImageTasksResult = {"ExportImageTasks": [t.describe() for t in shown]}
    if token:
        result["NextToken"] = token
    return result


class DiskContainerIn(TypedDict, total=False):
    Description: str
    DeviceName: str
    Format: str
    SnapshotId: str
    Url: str
    UserBucket: UserBucket


@operation("ImportImage")
def import_image(
    ctx: Ctx,
    *,
    Architecture: str | None = None,
    ClientData: ClientData | None = None,
    ClientToken: str | None = None,
    Description: str | None = None,
    DiskContainers: list[DiskContainerIn] | None = None,
    Encrypted: bool | None = None,
    Hypervisor: str | None = None,
    KmsKeyId: str | None = None,
    LicenseType: str | None = None,
    Platform: str | None = None,
    RoleName: str | None = None,
    LicenseSpecifications: list[ImportImageLicenseConfigurationRequest] | None = None,
    TagSpecifications: list[TagSpecification] | None = None,
    UsageOperation: str | None = None,
    BootMode: str | None = None,
) -> ImportImageResult:
    backend = ctx.backend
    tasks = backend.images.tasks
    if ClientToken and ClientToken in tasks.import_tokens:
        commit()
        return tasks.imports[tasks.import_tokens[ClientToken]].describe()  # type: ignore[return-value]
    _choice("Architecture", Architecture, ("i386", "x86_64", "arm64"))
    _choice("Hypervisor", Hypervisor, ("xen",))
    _choice("Platform", Platform, ("Windows", "Linux"))
    _choice("LicenseType", LicenseType, ("AWS", "BYOL"))
    _choice("BootMode", BootMode, ("legacy-bios", "uefi", "uefi-preferred"))
    if KmsKeyId and not Encrypted:
        raise InvalidParameterCombination(
            "The parameter KmsKeyId requires the parameter Encrypted to be set."
        )
    if not DiskContainers:
        raise MissingParameter("DiskContainers")
    disks: list[dict[str, Any]] = []
    source_view: dict[str, Any] | None = None
    for position, container in enumerate(DiskContainers, start=1):
        device = container.get("DeviceName") or (
            "/dev/sda1" if position == 1 else f"/dev/sd{chr(97 + position)}"
        )
        snapshot_id = container.get("SnapshotId")
        bucket = (container.get("UserBucket") or {}).get("S3Bucket")
        key = (container.get("UserBucket") or {}).get("S3Key")
        url = container.get("Url")
        if url and url.startswith("s3://"):
            bucket, _, key = url[5:].partition("/")
        if snapshot_id:
            snapshot = backend.snapshots.store.get(snapshot_id)
            disks.append(
                {
                    "device": device,
                    "format": "RAW",
                    "size": snapshot.volume_size_gib,
                    "snapshot": snapshot_id,
                }
            )
            continue
        if not bucket or not key:
            raise MissingParameter(f"DiskContainer.{position}.UserBucket or Url or SnapshotId")
        stored = tasks.objects().get((bucket, key))
        if stored is None or stored.get("kind") != "disk":
            raise InvalidParameterValue(
                f"The disk image s3://{bucket}/{key} does not exist (cloudmock holds only the "
                "disk images ExportImage wrote)."
            )
        source_view = source_view or stored["image"]
        size = sum(
            m.get("Ebs", {}).get("VolumeSize", 0)
            for m in stored["image"].get("BlockDeviceMappings", [])
        )
        disks.append(
            {
                "device": device,
                "format": container.get("Format") or stored["format"],
                "size": size or 8,
                "bucket": bucket,
                "key": key,
            }
        )
    role = _check_role(ctx, RoleName)
    del role, ClientData  # checked; the client's own upload times are not kept
    license_type = LicenseType or ("AWS" if Platform == "Windows" else "BYOL")
    for spec in LicenseSpecifications or ():
        if not spec.get("LicenseConfigurationArn"):
            raise MissingParameter("LicenseSpecifications.LicenseConfigurationArn")
    tags = tag_specifications(TagSpecifications, ("import-image-task",)).get(
        "import-image-task", {}
    )
    commit()
    platform = Platform or (
        "Windows" if (source_view or {}).get("Platform") == "windows" else "Linux"
    )
    task = ImportTask(
        id=backend.ids.new("import-ami"),
        description=Description or "",
        architecture=Architecture or (source_view or {}).get("Architecture", "x86_64"),
        platform=platform,
        license_type=license_type,
        usage_operation=UsageOperation
        or ("RunInstances:0002" if platform == "Windows" else "RunInstances"),
        boot_mode=BootMode,
        encrypted=bool(Encrypted),
        kms_key_id=KmsKeyId,
        disks=disks,
        tags=tags,
    )
    tasks.imports[task.id] = task
    if ClientToken:
        tasks.import_tokens[ClientToken] = task.id
    view: dict[str, Any] = {
        "Architecture": task.architecture,
        "RootDeviceName": disks[0]["device"],
        "RootDeviceType": "ebs",
        "VirtualizationType": "hvm",
        "Platform": "windows" if platform == "Windows" else "",
        "PlatformDetails": "Windows" if platform == "Windows" else "Linux/UNIX",
        "UsageOperation": task.usage_operation,
        "BootMode": BootMode,
        "Description": Description or "",
        "BlockDeviceMappings": [
            {
                "DeviceName": d["device"],
                "Ebs": {
                    "VolumeSize": d["size"],
                    "SnapshotId": d.get("snapshot", ""),
                    "VolumeType": "gp2",
                },
            }
            for d in disks
        ],
    }

    def done(finished: ImportTask) -> None:
        image = backend.images.from_view(
            view,
            name=finished.id,
            description=finished.description,
            encrypted=finished.encrypted,
            kms_key_id=finished.kms_key_id,
            source=None,
            tags={},
            snapshot_note="Created by AWS-VMImport service for " + finished.id,
        )
        image.state = "available"
        backend.images.add(image)
        finished.image_id = image.id
        finished.snapshot_ids = [d.snapshot_id or "" for d in image.devices]
        finished.status = "completed"
        finished.progress = "100"
        finished.status_message = ""

    tasks.schedule(task, done)
    return task.describe()  # type: ignore[return-value]


@operation("DescribeImportImageTasks", filters=IMPORT_TASKS)
def describe_import_image_tasks(
    ctx: Ctx,
    *,
    Filters: list[Filter] | None = None,
    ImportTaskIds: list[str] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> DescribeImportImageTasksResult:
    imports = ctx.backend.images.tasks.imports
    if ImportTaskIds:
        missing = [i for i in ImportTaskIds if i not in imports]
        if missing:
            raise ServiceError(
                f"The import task ID '{missing[0]}' does not exist",
                code="InvalidConversionTaskId.Malformed"
                if not missing[0].startswith("import-ami-")
                else "InvalidConversionTaskId",
            )
        found = [imports[i] for i in dict.fromkeys(ImportTaskIds)]
    else:
        found = list(imports.values())
    found = apply_filters(found, Filters, IMPORT_TASKS, ctx.operation_model)
    shown, token = page(ctx, found, MaxResults, NextToken, low=1, high=500)
    result: DescribeImportImageTasksResult = {"ImportImageTasks": [t.describe() for t in shown]}
    if token:
        result["NextToken"] = token
    return result


# -- usage reports

REPORTS: FilterSet[Any] = FilterSet(
    {"creation-time": lambda r: r.created, "state": lambda r: r.state}
)
REPORT_ENTRIES: FilterSet[Any] = FilterSet(
    {
        "account-id": lambda e: e[1],
        "creation-time": lambda e: e[3].created,
        "resource-type": lambda e: e[0],
    },
    tags=lambda e: {},
)
_USAGE_TYPES = ("ec2:Instance", "ec2:LaunchTemplate")


@operation("CreateImageUsageReport")
def create_image_usage_report(
    ctx: Ctx,
    *,
    ImageId: str,
    ResourceTypes: list[ImageUsageResourceTypeRequest],
    AccountIds: list[str] | None = None,
    ClientToken: str | None = None,
    TagSpecifications: list[TagSpecification] | None = None,
) -> CreateImageUsageReportResult:
    backend = ctx.backend
    tasks = backend.images.tasks
    if ClientToken and ClientToken in tasks.report_tokens:
        commit()
        return {"ReportId": tasks.report_tokens[ClientToken]}
    image = backend.images.owned(ImageId)
    if not ResourceTypes:
        raise MissingParameter("ResourceTypes")
    for kind in ResourceTypes:
        _choice("ResourceType", kind.get("ResourceType"), _USAGE_TYPES)
    for account in AccountIds or ():
        if not (len(account) == 12 and account.isdigit()):
            raise ServiceError(f'Invalid user id: "{account}"', code="InvalidUserID.Malformed")
    tags = tag_specifications(TagSpecifications, ("image-usage-report",)).get(
        "image-usage-report", {}
    )
    commit()
    now = backend.clock.now()
    entries: list[tuple[str, str, int]] = []
    wanted = {k.get("ResourceType") for k in ResourceTypes}
    if "ec2:Instance" in wanted:
        # counted over every account that launched from the image in this region; launch
        # templates belong to another family and are not counted here
        for account, instances in sorted(tasks.usage().get(image.id, {}).items()):
            if account == ctx.account_id or not instances:
                continue
            if AccountIds and account not in AccountIds:
                continue
            entries.append(("ec2:Instance", account, len(instances)))
    report = tasks.reports.add(
        UsageReport(
            id=backend.ids.new("amiur"),
            image_id=image.id,
            resource_types=[dict(k) for k in ResourceTypes],
            account_ids=list(AccountIds or ()),
            created=now,
            entries=entries,
            tags=tags,
        )
    )

    def ready(done: UsageReport) -> None:
        done.state = "available"

    tasks.schedule(report, ready)
    if ClientToken:
        tasks.report_tokens[ClientToken] = report.id
    return {"ReportId": report.id}


def _reports(
    ctx: Ctx, image_ids: list[str] | None, report_ids: list[str] | None
) -> list[UsageReport]:
    store = ctx.backend.images.tasks.reports
    found = store.get_many(report_ids) if report_ids else list(store)
    if image_ids:
        for image_id in image_ids:
            ctx.backend.images.store.check_id(image_id)
        found = [r for r in found if r.image_id in image_ids]
    return found


@operation("DescribeImageUsageReports", filters=REPORTS)
def describe_image_usage_reports(
    ctx: Ctx,
    *,
    ImageIds: list[str] | None = None,
    ReportIds: list[str] | None = None,
    NextToken: str | None = None,
    Filters: list[Filter] | None = None,
    MaxResults: int | None = None,
) -> DescribeImageUsageReportsResult:
    found = apply_filters(_reports(ctx, ImageIds, ReportIds), Filters, REPORTS, ctx.operation_model)
    shown, token = page(ctx, found, MaxResults, NextToken, low=1, high=1000)
    result: DescribeImageUsageReportsResult = {"ImageUsageReports": [r.describe() for r in shown]}
    if token:
        result["NextToken"] = token
    return result


@operation("DescribeImageUsageReportEntries", filters=REPORT_ENTRIES)
def describe_image_usage_report_entries(
    ctx: Ctx,
    *,
    ImageIds: list[str] | None = None,
    ReportIds: list[str] | None = None,
    NextToken: str | None = None,
    Filters: list[Filter] | None = None,
    MaxResults: int | None = None,
) -> DescribeImageUsageReportEntriesResult:
    rows = [
        (kind, account, count, report)
        for report in _reports(ctx, ImageIds, ReportIds)
        if report.state == "available"
        for kind, account, count in report.entries
    ]
    rows = apply_filters(rows, Filters, REPORT_ENTRIES, ctx.operation_model)
    shown, token = page(ctx, rows, MaxResults, NextToken, low=1, high=1000)
    entries = []
    for kind, account, count, report in shown:
        entries.append(
            {
                "ResourceType": kind,
                "ReportId": report.id,
                "UsageCount": count,
                "AccountId": account,
                "ImageId": report.image_id,
                "ReportCreationTime": report.created,
            }
        )
    result: DescribeImageUsageReportEntriesResult = {"ImageUsageReportEntries": entries}  # type: ignore[typeddict-item]
    if token:
        result["NextToken"] = token
    return result


@operation("DeleteImageUsageReport")
def delete_image_usage_report(ctx: Ctx, *, ReportId: str) -> DeleteImageUsageReportResult:
    store = ctx.backend.images.tasks.reports
    report = store.get(ReportId)
    commit()
    report.generation += 1
    store.remove(report.id)
    return {"Return": True}


# -- questions with nothing to keep


@operation("GetImageFindings")
def get_image_findings(
    ctx: Ctx, *, ImageId: str, MaxResults: int | None = None, NextToken: str | None = None
) -> GetImageFindingsResult:
    """Amazon Inspector scans no image in cloudmock, so no image has findings."""
    ctx.backend.images.get(ImageId)
    page(ctx, [], MaxResults, NextToken, low=1, high=1000)
    return {"ImageFindings": []}


@operation("ConfirmProductInstance")
def confirm_product_instance(
    ctx: Ctx, *, InstanceId: str, ProductCode: str
) -> ConfirmProductInstanceResult:
    """No image here carries a product code, so no instance is attached to one."""
    ctx.backend.instances.store.get(InstanceId)
    if not ProductCode:
        raise MissingParameter("ProductCode")
    commit()
    return {"Return": False}
