"""Work EC2 does on images over time: Windows fast launch, storing to and restoring from S3,
exporting and importing, and usage reports.

cloudmock has no S3: an "object" here is one that a store or export task of this mock
wrote (kept in ``backend.shared`` by region, bucket and key), so restoring and importing
read exactly what was stored or exported, and anything else does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from cloudmock.services.ec2.models.base import Resource, ResourceKind, Store

if TYPE_CHECKING:
    from cloudmock.services.ec2.models.backend import Ec2Backend
    from cloudmock.services.ec2.models.images import Image
    from cloudmock.services.ec2.shapes import (
        DescribeFastLaunchImagesSuccessItem,
        ExportImageTask,
        ImageUsageReport,
        ImageUsageReportEntry,
        ImportImageTask,
        StoreImageTaskResult,
    )

USAGE_REPORT = ResourceKind(
    "amiur", "image-usage-report", "InvalidImageUsageReportId", "image usage report"
)
#: how long a usage report is kept
REPORT_LIFETIME = timedelta(days=30)


@dataclass
class FastLaunch:
    image_id: str
    owner_id: str
    target_resource_count: int
    max_parallel_launches: int
    launch_template: dict[str, str]
    state: str
    reason: str
    changed: datetime
    generation: int = 0
    id: str = ""

    def describe(self) -> DescribeFastLaunchImagesSuccessItem:
        out: DescribeFastLaunchImagesSuccessItem = {
            "ImageId": self.image_id,
            "ResourceType": "snapshot",
            "SnapshotConfiguration": {"TargetResourceCount": self.target_resource_count},
            "MaxParallelLaunches": self.max_parallel_launches,
            "OwnerId": self.owner_id,
            "State": self.state,
            "StateTransitionReason": self.reason,
            "StateTransitionTime": self.changed,
        }
        if self.launch_template:
            out["LaunchTemplate"] = dict(self.launch_template)  # type: ignore[typeddict-item]
        return out


@dataclass
class StoreTask:
    image_id: str
    bucket: str
    key: str
    started: datetime
    state: str = "InProgress"
    progress: int = 0
    generation: int = 0
    id: str = ""

    def describe(self) -> StoreImageTaskResult:
        return {
            "AmiId": self.image_id,
            "TaskStartTime": self.started,
            "Bucket": self.bucket,
            "S3objectKey": self.key,
            "ProgressPercentage": self.progress,
            "StoreTaskState": self.state,
        }


@dataclass
class ExportTask:
    id: str
    image_id: str
    description: str
    disk_format: str
    bucket: str
    prefix: str
    role_name: str
    tags: dict[str, str]
    status: str = "active"
    progress: str = "0"
    status_message: str = "validating"
    generation: int = 0

    @property
    def key(self) -> str:
        return f"{self.prefix}{self.id}.{self.disk_format.lower()}"

    def describe(self) -> ExportImageTask:
        out: ExportImageTask = {
            "ExportImageTaskId": self.id,
            "ImageId": self.image_id,
            "S3ExportLocation": {"S3Bucket": self.bucket, "S3Prefix": self.prefix},
            "Status": self.status,
        }
        if self.description:
            out["Description"] = self.description
        if self.status == "active":
            out["Progress"] = self.progress
            out["StatusMessage"] = self.status_message
        if self.tags:
            out["Tags"] = [{"Key": k, "Value": v} for k, v in self.tags.items()]
        return out


@dataclass
class ImportTask:
    id: str
    description: str
    architecture: str
    platform: str
    license_type: str
    usage_operation: str
    boot_mode: str | None
    encrypted: bool
    kms_key_id: str | None
    #: one per disk: (device name, format, size in GiB, source description dict)
    disks: list[dict[str, Any]]
    tags: dict[str, str]
    status: str = "active"
    status_message: str = "pending"
    progress: str = "0"
    image_id: str | None = None
    snapshot_ids: list[str] = field(default_factory=list)
    generation: int = 0

    def describe(self) -> ImportImageTask:
        details = []
        for position, disk in enumerate(self.disks):
            detail: dict[str, Any] = {
                "DeviceName": disk["device"],
                "Format": disk["format"],
                "DiskImageSize": float(disk["size"] * 1024**3),
                "Status": "completed" if self.status == "completed" else "active",
            }
            if disk.get("bucket"):
                detail["UserBucket"] = {"S3Bucket": disk["bucket"], "S3Key": disk["key"]}
            if position < len(self.snapshot_ids):
                detail["SnapshotId"] = self.snapshot_ids[position]
            details.append(detail)
        out: ImportImageTask = {
            "ImportTaskId": self.id,
            "Architecture": self.architecture,
            "Encrypted": self.encrypted,
            "Hypervisor": "xen",
            "Platform": self.platform,
            "LicenseType": self.license_type,
            "UsageOperation": self.usage_operation,
            "Status": self.status,
            "SnapshotDetails": details,  # type: ignore[typeddict-item]
        }
        if self.description:
            out["Description"] = self.description
        if self.boot_mode:
            out["BootMode"] = self.boot_mode
        if self.kms_key_id:
            out["KmsKeyId"] = self.kms_key_id
        if self.status == "active":
            out["Progress"] = self.progress
            out["StatusMessage"] = self.status_message
        if self.image_id:
            out["ImageId"] = self.image_id
        if self.tags:
            out["Tags"] = [{"Key": k, "Value": v} for k, v in self.tags.items()]
        return out


@dataclass(slots=True)
class UsageReport(Resource):
    image_id: str
    resource_types: list[dict[str, Any]]
    account_ids: list[str]
    created: datetime
    state: str = "pending"
    #: (resource type, account id, usage count), counted when the report was made
    entries: list[tuple[str, str, int]] = field(default_factory=list)
    generation: int = 0

    def describe(self) -> ImageUsageReport:
        out: ImageUsageReport = {
            "ImageId": self.image_id,
            "ReportId": self.id,
            "ResourceTypes": self.resource_types,  # type: ignore[typeddict-item]
            "State": self.state,
            "CreationTime": self.created,
            "ExpirationTime": self.created + REPORT_LIFETIME,
        }
        if self.account_ids:
            out["AccountIds"] = list(self.account_ids)
        if self.tags:
            out["Tags"] = self.tag_list()
        return out

    def describe_entries(self) -> list[ImageUsageReportEntry]:
        return [
            {
                "ResourceType": kind,
                "ReportId": self.id,
                "UsageCount": count,
                "AccountId": account,
                "ImageId": self.image_id,
                "ReportCreationTime": self.created,
            }
            for kind, account, count in self.entries
        ]


class ImageTasks:
    """The image tasks of one account in one region."""

    def __init__(self, backend: Ec2Backend) -> None:
        self.backend = backend
        self.fast_launch: dict[str, FastLaunch] = {}
        #: image id -> its latest store task
        self.store_tasks: dict[str, StoreTask] = {}
        self.exports: dict[str, ExportTask] = {}
        self.imports: dict[str, ImportTask] = {}
        self.export_tokens: dict[str, str] = {}
        self.import_tokens: dict[str, str] = {}
        self.report_tokens: dict[str, str] = {}
        self.reports: Store[UsageReport] = backend.new_store(USAGE_REPORT)
        self.reports.add_index("image", lambda r: r.image_id)

    # -- objects "in S3": written by store and export tasks, by region, bucket and key

    def objects(self) -> dict[tuple[str, str], dict[str, Any]]:
        regions: dict[str, dict[tuple[str, str], dict[str, Any]]] = self.backend.shared.setdefault(
            "image_objects", {}
        )
        return regions.setdefault(self.backend.region, {})

    # -- usage across accounts: instances launched from each image, by account

    def usage(self) -> dict[str, dict[str, set[str]]]:
        """image id -> account -> instances (not terminated) launched from it, in this region
        (kept by Images' launch hooks)."""
        regions: dict[str, dict[str, dict[str, set[str]]]] = self.backend.shared.setdefault(
            "image_usage", {}
        )
        return regions.setdefault(self.backend.region, {})

    # -- transitions

    def schedule(self, task: Any, action: Any, delay: float | None = None) -> None:
        backend = self.backend
        wait = backend.options.transition_delay if delay is None else delay
        backend.schedule(wait, task, action)

    def store(self, image: Image, bucket: str) -> StoreTask:
        task = StoreTask(image.id, bucket, f"{image.id}.bin", self.backend.clock.now())
        earlier = self.store_tasks.get(image.id)
        if earlier is not None:
            earlier.generation += 1
        self.store_tasks[image.id] = task
        self.schedule(task, self._stored)
        return task

    def _stored(self, task: StoreTask) -> None:
        task.state = "Completed"
        task.progress = 100
        image = self.backend.images.store.find(task.image_id)
        if image is not None:
            self.objects()[(task.bucket, task.key)] = {
                "kind": "ami",
                "image": image.describe(viewer=image.owner_id, now=self.backend.clock.now()),
            }
