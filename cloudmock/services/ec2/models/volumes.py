"""EBS volumes: create, attach, detach, modify, delete; encryption by default.

``backend.volumes`` is the volumes' Store with the family's behaviour on it.  A
volume's attachments hold the instance's own :class:`BlockDevice` entry, so the
instance's block device list, DescribeInstances and DescribeVolumes stay one truth
(ModifyInstanceAttribute's DeleteOnTermination shows in both).
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from operator import attrgetter
from typing import TYPE_CHECKING, Any, Protocol

from cloudmock.core.errors import (
    InvalidParameterCombination,
    InvalidParameterValue,
    MissingParameter,
    ServiceError,
)
from cloudmock.services.ec2.models.base import Resource, ResourceKind, Store

if TYPE_CHECKING:
    from cloudmock.services.ec2.models.backend import Ec2Backend
    from cloudmock.services.ec2.models.images import ImageDevice
    from cloudmock.services.ec2.models.instances import BlockDevice, Instance, LaunchSpec
    from cloudmock.services.ec2.models.launch_volumes import PlannedVolume
    from cloudmock.services.ec2.models.regions import Zone
    from cloudmock.services.ec2.shapes import ReplaceRootVolumeTask as ReplaceRootVolumeTaskShape
    from cloudmock.services.ec2.shapes import Volume as VolumeShape
    from cloudmock.services.ec2.shapes import VolumeAttachment as VolumeAttachmentShape
    from cloudmock.services.ec2.shapes import VolumeModification as VolumeModificationShape
    from cloudmock.services.ec2.shapes import VolumeStatusItem

VOLUME = ResourceKind("vol", "volume", "InvalidVolumeID", "volume", not_found_stem="InvalidVolume")

DEFAULT_ROOT_SIZE_GIB = 8

#: GiB each volume type allows (CreateVolume's Size documentation)
SIZES = {
    "gp2": (1, 16384),
    "gp3": (1, 65536),
    "io1": (4, 16384),
    "io2": (4, 65536),
    "st1": (125, 16384),
    "sc1": (125, 16384),
    "standard": (1, 1024),
}
VOLUME_TYPES = tuple(SIZES)
#: provisioned IOPS each type allows, and the most IOPS per GiB
IOPS = {"gp3": (3000, 80000), "io1": (100, 64000), "io2": (100, 256000)}
IOPS_PER_GIB = {"gp3": 500, "io1": 50, "io2": 1000}
#: gp3 throughput (MiB/s): range, default, and at most 0.25 MiB/s per provisioned IOPS
THROUGHPUT = (125, 2000)
GP3_DEFAULT_IOPS = 3000
GP3_DEFAULT_THROUGHPUT = 125
MULTI_ATTACH_TYPES = frozenset({"io1", "io2"})
MAX_MULTI_ATTACH = 16
#: ModifyVolume: at most this many modifications in a rolling 24 hours
MODIFICATIONS_PER_DAY = 4

_DEVICE = re.compile(r"^(?:/dev/)?(?:sd[a-z][1-9]?|xvd[a-z]{1,2}|hd[a-z])$")
_KMS_KEY_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_KMS_ARN = re.compile(r"^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(?:key/.+|alias/.+)$")


def gp2_iops(size_gib: int) -> int:
    """gp2's baseline: 3 IOPS per GiB, at least 100, at most 16,000."""
    return max(100, min(16000, 3 * size_gib))


def default_kms_alias(account_id: str, region: str) -> str:
    return f"arn:aws:kms:{region}:{account_id}:alias/aws/ebs"


def managed_key_arn(account_id: str, region: str) -> str:
    """The ARN of the account's AWS-managed ``aws/ebs`` key (one per account and region).

    Made from the account and region (not the seeded random stream, which ids use)."""
    digest = hashlib.sha256(f"aws/ebs:{account_id}:{region}".encode()).digest()
    return f"arn:aws:kms:{region}:{account_id}:key/{uuid.UUID(bytes=digest[:16], version=4)}"


def resolve_kms_key(key: str, account_id: str, region: str) -> str:
    """A KmsKeyId as the ARN EBS shows: key id, alias, key ARN or alias ARN.

    There is no KMS in the box to resolve an alias to its key, so an alias keeps its name;
    ``alias/aws/ebs`` is the managed key."""
    if key in ("alias/aws/ebs", default_kms_alias(account_id, region)):
        return managed_key_arn(account_id, region)
    if _KMS_ARN.match(key):
        return key
    if _KMS_KEY_ID.match(key):
        return f"arn:aws:kms:{region}:{account_id}:key/{key}"
    if key.startswith("alias/") and len(key) > 6:
        return f"arn:aws:kms:{region}:{account_id}:{key}"
    raise ServiceError(f"Invalid KMS key ID '{key}'.", code="InvalidKmsKey.Malformed")


def key_failed(key: str | None) -> bool:
    """Whether EBS's asynchronous check of a volume's or snapshot's KMS key fails."""
    return key is not None and not key.startswith("arn:")


def check_device_name(device: str) -> None:
    if not _DEVICE.match(device):
        raise InvalidParameterValue(
            f"Value ({device}) for parameter device is invalid. {device} is not a valid EBS "
            "device name."
        )


class Encryptable(Protocol):
    """What a new volume's encryption follows: a snapshot, a volume, an image's mapping."""

    @property
    def encrypted(self) -> bool: ...

    @property
    def kms_key_id(self) -> str | None: ...


@dataclass(slots=True)
class Attachment:
    """A volume attached to an instance; ``device`` is the instance's own BlockDevice entry."""

    instance_id: str
    device: BlockDevice
    state: str = "attached"

    def describe(self, volume_id: str) -> VolumeAttachmentShape:
        return {
            "AttachTime": self.device.attach_time,
            "Device": self.device.device_name,
            "InstanceId": self.instance_id,
            "State": self.state,
            "VolumeId": volume_id,
            "DeleteOnTermination": self.device.delete_on_termination,
        }


@dataclass(slots=True)
class Modification:
    """A ModifyVolume request and its progress (modifying -> optimizing -> completed)."""

    volume_id: str
    original: tuple[int, str, int | None, int | None, bool]
    target: tuple[int, str, int | None, int | None, bool]
    started: datetime
    state: str = "modifying"
    progress: int = 0
    ended: datetime | None = None

    def describe(self) -> VolumeModificationShape:
        size, kind, iops, throughput, multi = self.original
        t_size, t_kind, t_iops, t_throughput, t_multi = self.target
        out: VolumeModificationShape = {
            "VolumeId": self.volume_id,
            "ModificationState": self.state,
            "TargetSize": t_size,
            "TargetVolumeType": t_kind,
            "TargetMultiAttachEnabled": t_multi,
            "OriginalSize": size,
            "OriginalVolumeType": kind,
            "OriginalMultiAttachEnabled": multi,
            "Progress": self.progress,
            "StartTime": self.started,
        }
        if t_iops is not None:
            out["TargetIops"] = t_iops
        if iops is not None:
            out["OriginalIops"] = iops
        if t_throughput is not None:
            out["TargetThroughput"] = t_throughput
        if throughput is not None:
            out["OriginalThroughput"] = throughput
        if self.ended is not None:
            out["EndTime"] = self.ended
        return out


@dataclass(slots=True)
class Volume(Resource):
    zone_name: str
    size_gib: int
    volume_type: str
    created: datetime
    snapshot_id: str = ""
    encrypted: bool = False
    iops: int | None = None
    throughput: int | None = None
    # How the launch path describes the volume it maps (the attachment itself lives in
    # ``attachments``, joined when the instance is stored).
    instance_id: str | None = None
    device_name: str | None = None
    attach_time: datetime | None = None
    delete_on_termination: bool = True
    #: creating -> available (in-use while attached) -> deleting
    state: str = "in-use"
    zone_id: str = ""
    kms_key_id: str | None = None
    multi_attach: bool = False
    attachments: list[Attachment] = field(default_factory=list)
    auto_enable_io: bool = False
    fast_restored: bool = False
    initialization_rate: int | None = None
    operator: str | None = None
    source_volume_id: str | None = None
    client_token: str | None = None
    generation: int = 0

    @property
    def status(self) -> str:
        if self.attachments:
            return "in-use"
        return "available" if self.state == "in-use" else self.state

    @property
    def shown_iops(self) -> int | None:
        if self.volume_type == "gp2":
            return gp2_iops(self.size_gib)
        return self.iops if self.volume_type in IOPS else None

    def describe(self) -> VolumeShape:
        out: VolumeShape = {
            "Attachments": [a.describe(self.id) for a in self.attachments],
            "AvailabilityZone": self.zone_name,
            "AvailabilityZoneId": self.zone_id,
            "CreateTime": self.created,
            "Encrypted": self.encrypted,
            "Size": self.size_gib,
            "SnapshotId": self.snapshot_id,
            "State": self.status,
            "VolumeId": self.id,
            "VolumeType": self.volume_type,
            "MultiAttachEnabled": self.multi_attach,
            "Operator": {"Managed": True, "Principal": self.operator}
            if self.operator
            else {"Managed": False},
        }
        iops = self.shown_iops
        if iops is not None:
            out["Iops"] = iops
        if self.volume_type == "gp3" and self.throughput is not None:
            out["Throughput"] = self.throughput
        if self.encrypted and self.kms_key_id:
            out["KmsKeyId"] = self.kms_key_id
        if self.fast_restored:
            out["FastRestored"] = True
        if self.initialization_rate is not None:
            out["VolumeInitializationRate"] = self.initialization_rate
        if self.source_volume_id:
            out["SourceVolumeId"] = self.source_volume_id
        if self.tags:
            out["Tags"] = self.tag_list()
        return out

    def describe_status(self) -> VolumeStatusItem:
        impaired = self.state == "impaired"
        io = "not-applicable" if self.volume_type not in MULTI_ATTACH_TYPES else "normal"
        return {
            "AvailabilityZone": self.zone_name,
            "AvailabilityZoneId": self.zone_id,
            "VolumeId": self.id,
            "VolumeStatus": {
                "Status": "impaired" if impaired else "ok",
                "Details": [
                    {"Name": "io-enabled", "Status": "failed" if impaired else "passed"},
                    {"Name": "io-performance", "Status": io},
                ],
            },
            "Actions": [],
            "Events": [],
            "AttachmentStatuses": [
                {"InstanceId": a.instance_id, "IoPerformance": io} for a in self.attachments
            ],
        }


@dataclass(frozen=True)
class VolumeRequest:
    """What CreateVolume (or CopyVolumes) asks for, once checked."""

    zone: Zone
    size_gib: int
    volume_type: str
    iops: int | None
    throughput: int | None
    encrypted: bool
    kms_key_id: str | None
    snapshot_id: str
    multi_attach: bool
    initialization_rate: int | None
    operator: str | None
    fast_restored: bool = False
    source_volume_id: str | None = None


class Volumes(Store[Volume]):
    """The volumes of one region, and the account's EBS settings there."""

    def __init__(self, backend: Ec2Backend) -> None:
        super().__init__(VOLUME)
        self.backend = backend
        self.add_index("zone", attrgetter("zone_name"))
        self.add_index("snapshot", attrgetter("snapshot_id"))
        self.add_index("type", attrgetter("volume_type"))
        self.encryption_by_default = False
        #: the KMS key new encrypted volumes use by default (None: the aws/ebs managed key)
        self.default_kms_key: str | None = None
        self._tokens: dict[str, tuple[str, str]] = {}
        #: volume id -> its modifications, oldest first
        self.modifications: dict[str, list[Modification]] = {}
        #: instance id -> the volumes attached to it
        self._by_instance: dict[str, dict[str, Volume]] = {}
        self.root_replacements = RootReplacements(self)
        #: whether the account hides managed resources from describes that do not name them
        #: (ModifyManagedResourceVisibility, the account-settings family's)
        self._checked_plan: tuple[LaunchSpec, list[PlannedVolume]] | None = None
        #: launch_volumes' default root volume, with the encryption defaults it was made under
        self.default_root_plan: tuple[tuple[bool, str | None], PlannedVolume] | None = None
        self.managed_hidden: Callable[[], bool] = lambda: (
            backend.account_settings.visibility == "hidden"
        )

    def join_instances(self) -> None:
        """Follow the instances' launches and terminations (called once instances exist)."""
        instances = self.backend.instances
        instances.on_launch.append(self._launched)
        instances.on_enter("terminated", self._instance_state)
        # the launch's volumes (snapshots, sizes, IOPS, encryption) before its commit point
        from cloudmock.services.ec2.models.launch_volumes import plan_volumes

        def check(spec: LaunchSpec, zone_name: str) -> None:
            # kept for the launch that follows at once, which makes these volumes
            self._checked_plan = (spec, plan_volumes(self.backend, spec))

        instances.launch_checks.append(check)

    def plan_for(self, spec: LaunchSpec) -> list[PlannedVolume]:
        """The volumes a launch makes: what its check planned (the same launch), else anew."""
        checked = self._checked_plan
        if checked is not None and checked[0] is spec:
            return checked[1]
        from cloudmock.services.ec2.models.launch_volumes import plan_volumes

        return plan_volumes(self.backend, spec)

    # -- the store

    def add(self, item: Volume) -> Volume:
        if not item.zone_id:
            zone = self.backend.zones.get(item.zone_name)
            item.zone_id = zone.zone_id if zone is not None else ""
        if item.state == "in-use" and item.instance_id is None:
            item.state = "available"
        if item.volume_type == "gp3":
            # volumes the launch path maps get gp3's baseline like CreateVolume's
            item.iops = GP3_DEFAULT_IOPS if item.iops is None else item.iops
            item.throughput = GP3_DEFAULT_THROUGHPUT if item.throughput is None else item.throughput
        return Store.add(self, item)  # not super(): see NetworkInterfaces.add

    def remove(self, item_id: str) -> Volume | None:
        item = super().remove(item_id)
        if item is not None:
            for attachment in item.attachments:
                self._by_instance.get(attachment.instance_id, {}).pop(item.id, None)
            self.modifications.pop(item_id, None)
        return item

    def shown(self, volumes: list[Volume], include_managed: bool | None) -> list[Volume]:
        """Volumes a describe shows: managed ones are left out while the account hides them."""
        if include_managed or not self.managed_hidden():
            return volumes
        return [v for v in volumes if v.operator is None]

    def attached_to(self, instance_id: str) -> list[Volume]:
        return list(self._by_instance.get(instance_id, {}).values())

    # -- the account's encryption settings

    @property
    def now(self) -> datetime:
        return self.backend.clock.now()

    def default_key_arn(self) -> str:
        """GetEbsDefaultKmsKeyId's answer."""
        backend = self.backend
        return self.default_kms_key or default_kms_alias(backend.account_id, backend.region)

    def key_for_new(self, kms_key_id: str | None) -> str:
        """The key a new volume or snapshot shows. EBS checks a key asynchronously, so a key
        that is not valid is kept as given and the volume fails later (see ``key_failed``)."""
        backend = self.backend
        key = kms_key_id or self.default_kms_key or "alias/aws/ebs"
        try:
            return resolve_kms_key(key, backend.account_id, backend.region)
        except ServiceError:
            return key

    def encryption(
        self, encrypted: bool | None, kms_key_id: str | None, source: Encryptable | None
    ) -> tuple[bool, str | None]:
        """Whether a new volume is encrypted, and with which key (EBS's rules): a copy of an
        encrypted snapshot or volume always is, with the source's key unless told another."""
        if kms_key_id is not None and not encrypted:
            raise ServiceError(
                "The parameter KmsKeyId requires the parameter Encrypted to be set.",
                code="InvalidParameterDependency",
            )
        from_source = source is not None and source.encrypted
        if not (encrypted or self.encryption_by_default or from_source):
            return False, None
        if kms_key_id is None and from_source and source is not None:
            return True, source.kms_key_id or self.key_for_new(None)
        return True, self.key_for_new(kms_key_id)

    # -- CreateVolume

    def zone(self, name: str | None, zone_id: str | None) -> Zone:
        zones = self.backend.region_info.zones
        if name is not None and zone_id is not None:
            raise InvalidParameterCombination(
                "The parameter AvailabilityZone cannot be used with the parameter "
                "AvailabilityZoneId"
            )
        if name is None and zone_id is None:
            raise MissingParameter(
                "The request must contain the parameter AvailabilityZone or AvailabilityZoneId"
            )
        for zone in zones:
            if zone.name == name or zone.zone_id == zone_id:
                return zone
        raise InvalidParameterValue(f"Invalid availability zone: [{name or zone_id}]")

    def check_create(
        self,
        *,
        zone_name: str | None,
        zone_id: str | None,
        size: int | None,
        volume_type: str | None,
        iops: int | None,
        throughput: int | None,
        snapshot_id: str | None,
        encrypted: bool | None,
        kms_key_id: str | None,
        multi_attach: bool | None,
        initialization_rate: int | None,
        operator: str | None,
        outpost_arn: str | None,
    ) -> VolumeRequest:
        if outpost_arn is not None:
            raise InvalidParameterValue(
                f"The Outpost ARN '{outpost_arn}' is not valid: this region has no Outposts."
            )
        zone = self.zone(zone_name, zone_id)
        snapshot = None
        if snapshot_id is not None:
            snapshot = self.backend.snapshots.usable(snapshot_id)
        elif size is None:
            raise MissingParameter("The request must contain the parameter size or snapshotId")
        elif initialization_rate is not None:
            raise InvalidParameterCombination(
                "The parameter VolumeInitializationRate is supported only for volumes created "
                "from snapshots."
            )
        if initialization_rate is not None and not 100 <= initialization_rate <= 300:
            raise InvalidParameterValue(
                f"Value ({initialization_rate}) for parameter VolumeInitializationRate is "
                "invalid. Expecting a value between 100 and 300."
            )
        kind = volume_type or "gp2"
        if snapshot is not None:
            if size is None:
                size = snapshot.volume_size_gib
            elif size < snapshot.volume_size_gib:
                raise InvalidParameterValue(
                    f"Volume of {size}GiB is too small; minimum is {snapshot.volume_size_gib}GiB."
                )
        assert size is not None
        iops, throughput = self.check_performance(kind, size, iops, throughput, creating=True)
        if multi_attach and kind not in MULTI_ATTACH_TYPES:
            raise InvalidParameterCombination(
                f"The parameter multiAttachEnabled is not supported for {kind} volumes."
            )
        is_encrypted, key = self.encryption(encrypted, kms_key_id, snapshot)
        fast = False
        if snapshot is not None:
            fast = self.backend.snapshots.fast_restored(snapshot, zone.name)
        return VolumeRequest(
            zone=zone,
            size_gib=size,
            volume_type=kind,
            iops=iops,
            throughput=throughput,
            encrypted=is_encrypted,
            kms_key_id=key,
            snapshot_id=snapshot.id if snapshot is not None else "",
            multi_attach=bool(multi_attach),
            initialization_rate=initialization_rate,
            operator=operator,
            fast_restored=fast and initialization_rate is None,
        )

    def check_performance(
        self,
        kind: str,
        size: int,
        iops: int | None,
        throughput: int | None,
        *,
        creating: bool,
    ) -> tuple[int | None, int | None]:
        """The volume's (iops, throughput) for ``kind`` and ``size``, or EC2's error."""
        if kind not in SIZES:
            raise InvalidParameterValue(
                f"Value ({kind}) for parameter volumeType is invalid. Valid values: "
                f"{', '.join(VOLUME_TYPES)}"
            )
        low, high = SIZES[kind]
        if size < low:
            raise InvalidParameterValue(f"Volume of {size}GiB is too small; minimum is {low}GiB.")
        if size > high:
            raise InvalidParameterValue(f"Volume of {size}GiB is too large; maximum is {high}GiB.")
        if iops is not None and kind not in IOPS:
            raise InvalidParameterCombination(
                f"The parameter iops is not supported for {kind} volumes."
            )
        if throughput is not None and kind != "gp3":
            raise InvalidParameterCombination(
                f"The parameter throughput is not supported for {kind} volumes."
            )
        if kind in ("io1", "io2") and iops is None:
            if creating:
                raise MissingParameter(
                    f"The request must contain the parameter iops for {kind} volumes."
                )
            iops = GP3_DEFAULT_IOPS
        if kind == "gp3":
            iops = GP3_DEFAULT_IOPS if iops is None else iops
            throughput = GP3_DEFAULT_THROUGHPUT if throughput is None else throughput
        if iops is not None:
            low, high = IOPS[kind]
            if iops < low:
                raise InvalidParameterValue(f"Volume iops of {iops} is too low; minimum is {low}.")
            if iops > high:
                raise InvalidParameterValue(
                    f"Volume iops of {iops} is too high; maximum is {high}."
                )
            ratio = IOPS_PER_GIB[kind]
            # gp3's 3,000 baseline is allowed at any size; beyond it, and for io1/io2, the ratio rules
            if iops > max(ratio * size, GP3_DEFAULT_IOPS if kind == "gp3" else 0):
                raise InvalidParameterValue(
                    f"Iops to volume size ratio of {iops / size:.6f} is too high; maximum is "
                    f"{ratio:.6f}."
                )
        if throughput is not None:
            low, high = THROUGHPUT
            if throughput < low:
                raise InvalidParameterValue(
                    f"Throughput of {throughput}MiB/s is too low; minimum is {low}MiB/s."
                )
            if throughput > high:
                raise InvalidParameterValue(
                    f"Throughput of {throughput}MiB/s is too high; maximum is {high}MiB/s."
                )
            assert iops is not None
            if throughput > GP3_DEFAULT_THROUGHPUT and throughput > iops // 4:
                raise InvalidParameterValue(
                    f"Throughput to iops ratio of {throughput / iops:.6f} is too high; maximum "
                    "is 0.250000 MiB/s per iops."
                )
        return iops, throughput

    def check_copy(
        self,
        source_id: str,
        *,
        size: int | None,
        volume_type: str | None,
        iops: int | None,
        throughput: int | None,
        multi_attach: bool | None,
        encrypted: bool | None,
        kms_key_id: str | None,
    ) -> VolumeRequest:
        """CopyVolumes: a copy in the source's zone, at least the source's size."""
        source = self.get(source_id)
        if source.status not in ("available", "in-use"):
            raise ServiceError(
                f"The volume '{source.id}' is in the '{source.status}' state.",
                code="IncorrectState",
            )
        kind = volume_type or "gp2"
        if size is None:
            size = source.size_gib
        elif size < source.size_gib:
            raise InvalidParameterValue(
                f"Volume of {size}GiB is too small; minimum is {source.size_gib}GiB (the size "
                "of the source volume)."
            )
        iops, throughput = self.check_performance(kind, size, iops, throughput, creating=True)
        if multi_attach and kind not in MULTI_ATTACH_TYPES:
            raise InvalidParameterCombination(
                f"The parameter multiAttachEnabled is not supported for {kind} volumes."
            )
        is_encrypted, key = self.encryption(encrypted, kms_key_id, source)
        return VolumeRequest(
            zone=self.backend.zones[source.zone_name],
            size_gib=size,
            volume_type=kind,
            iops=iops,
            throughput=throughput,
            encrypted=is_encrypted,
            kms_key_id=key,
            snapshot_id="",
            multi_attach=bool(multi_attach),
            initialization_rate=None,
            operator=None,
            source_volume_id=source.id,
        )

    def by_token(self, token: str | None, fingerprint: str) -> Volume | None:
        """The volume an earlier CreateVolume with this ClientToken made (same arguments)."""
        if not token or token not in self._tokens:
            return None
        earlier_fingerprint, volume_id = self._tokens[token]
        if earlier_fingerprint != fingerprint:
            raise ServiceError(
                "Arguments on this idempotent request are inconsistent with arguments used in "
                "previous request(s).",
                code="IdempotentParameterMismatch",
            )
        volume = self.find(volume_id)
        if volume is None:
            raise ServiceError(
                f"The client token '{token}' was used by a volume that no longer exists.",
                code="IdempotentParameterMismatch",
            )
        return volume

    def create(
        self,
        request: VolumeRequest,
        tags: dict[str, str],
        token: str | None = None,
        fingerprint: str = "",
    ) -> Volume:
        """A new volume, creating now and available after the transition delay (past commit)."""
        backend = self.backend
        volume = self.add(
            Volume(
                id=backend.ids.new("vol"),
                zone_name=request.zone.name,
                zone_id=request.zone.zone_id,
                size_gib=request.size_gib,
                volume_type=request.volume_type,
                created=self.now,
                snapshot_id=request.snapshot_id,
                encrypted=request.encrypted,
                kms_key_id=request.kms_key_id,
                iops=request.iops,
                throughput=request.throughput,
                multi_attach=request.multi_attach,
                fast_restored=request.fast_restored,
                initialization_rate=request.initialization_rate,
                operator=request.operator,
                source_volume_id=request.source_volume_id,
                state="creating",
                client_token=token,
                tags=tags,
            )
        )
        if token:
            self._tokens[token] = (fingerprint, volume.id)
        backend.schedule(backend.options.transition_delay, volume, self._created)
        return volume

    def _created(self, volume: Volume) -> None:
        if volume.state == "creating":
            volume.state = "error" if key_failed(volume.kms_key_id) else "available"

    # -- DeleteVolume

    def check_delete(self, volume_id: str) -> Volume:
        volume = self.get(volume_id)
        if volume.attachments:
            raise ServiceError(
                f"Volume {volume.id} is currently attached to {volume.attachments[0].instance_id}",
                code="VolumeInUse",
            )
        if volume.state in ("deleting", "creating"):
            raise ServiceError(
                f"The volume '{volume.id}' is in the '{volume.state}' state.",
                code="IncorrectState",
            )
        return volume

    def delete(self, volume: Volume) -> None:
        volume.state = "deleting"
        volume.generation += 1
        self.backend.schedule(self.backend.options.transition_delay, volume, self._deleted)

    def _deleted(self, volume: Volume) -> None:
        self.remove(volume.id)

    # -- AttachVolume / DetachVolume

    def check_attach(
        self, volume_id: str, instance_id: str, device: str
    ) -> tuple[Volume, Instance]:
        volume = self.get(volume_id)
        instance = self.backend.instances.store.get(instance_id)
        check_device_name(device)
        if volume.state in ("creating", "deleting", "error"):
            raise ServiceError(
                f"The volume '{volume.id}' is not 'available'.", code="IncorrectState"
            )
        if volume.attachments:
            if any(a.instance_id == instance.id for a in volume.attachments):
                raise ServiceError(
                    f"{volume.id} is already attached to instance {instance.id}",
                    code="VolumeInUse",
                )
            if not volume.multi_attach:
                raise ServiceError(
                    f"{volume.id} is already attached to an instance", code="VolumeInUse"
                )
            if len(volume.attachments) >= MAX_MULTI_ATTACH:
                raise ServiceError(
                    f"Volume {volume.id} is already attached to the maximum number of "
                    f"instances ({MAX_MULTI_ATTACH}).",
                    code="AttachmentLimitExceeded",
                )
        if volume.zone_name != instance.zone.name:
            raise ServiceError(
                f"The volume '{volume.id}' is not in the same availability zone as instance "
                f"'{instance.id}'",
                code="InvalidVolume.ZoneMismatch",
            )
        if instance.state not in ("running", "stopped"):
            raise ServiceError(f"Instance '{instance.id}' is not 'running'.", code="IncorrectState")
        wanted = _normal_device(device)
        for used in instance.block_devices:
            if _normal_device(used.device_name) == wanted:
                raise InvalidParameterValue(
                    f"Invalid value '{device}' for unixDevice. Attachment point {device} is "
                    "already in use"
                )
        return volume, instance

    def attach(self, volume: Volume, instance: Instance, device: str) -> Attachment:
        from cloudmock.services.ec2.models.instances import BlockDevice

        entry = BlockDevice(device, volume.id, False, self.now)
        instance.block_devices.append(entry)
        attachment = Attachment(instance.id, entry, state="attaching")
        volume.attachments.append(attachment)
        self._by_instance.setdefault(instance.id, {})[volume.id] = volume
        # scheduled on the volume: a detach meanwhile leaves the attachment "detaching"
        self.backend.schedule(
            self.backend.options.transition_delay, volume, lambda v: _attached(attachment)
        )
        return attachment

    def check_detach(
        self, volume_id: str, instance_id: str | None, device: str | None
    ) -> tuple[Volume, Attachment]:
        volume = self.get(volume_id)
        if instance_id is not None:
            self.backend.instances.store.get(instance_id)
        if not volume.attachments:
            raise ServiceError(
                f"Volume '{volume.id}' is in the '{volume.status}' state.", code="IncorrectState"
            )
        found = [
            a
            for a in volume.attachments
            if (instance_id is None or a.instance_id == instance_id)
            and (device is None or _normal_device(a.device.device_name) == _normal_device(device))
        ]
        if not found:
            where = f"instance '{instance_id}'" if instance_id else f"device '{device}'"
            raise ServiceError(
                f"The volume '{volume.id}' is not attached to {where}.",
                code="InvalidAttachment.NotFound",
            )
        if len(found) > 1:
            raise InvalidParameterCombination(
                f"Volume '{volume.id}' is attached to more than one instance: give InstanceId."
            )
        attachment = found[0]
        if attachment.state == "detaching":
            raise ServiceError(
                f"Volume '{volume.id}' is in the 'detaching' state.", code="IncorrectState"
            )
        instance = self.backend.instances.store.get(attachment.instance_id)
        if instance.state != "stopped" and is_root_device(attachment.device.device_name):
            raise ServiceError(
                f"Unable to detach root volume '{volume.id}' from instance '{instance.id}'",
                code="OperationNotPermitted",
            )
        return volume, attachment

    def detach(self, volume: Volume, attachment: Attachment) -> None:
        attachment.state = "detaching"
        self.backend.schedule(
            self.backend.options.transition_delay,
            volume,
            lambda v: self._detached(v, attachment),
        )

    def _detached(self, volume: Volume, attachment: Attachment) -> None:
        if attachment in volume.attachments:
            volume.attachments.remove(attachment)
        self._by_instance.get(attachment.instance_id, {}).pop(volume.id, None)
        instance = self.backend.instances.store.find(attachment.instance_id)
        if instance is not None and attachment.device in instance.block_devices:
            instance.block_devices.remove(attachment.device)

    # -- the instances' side

    def _launched(self, instance: Instance, spec: LaunchSpec) -> None:
        for device in instance.block_devices:
            volume = self.find(device.volume_id)
            if volume is not None and not volume.attachments:
                volume.attachments.append(Attachment(instance.id, device))
                self._by_instance.setdefault(instance.id, {})[volume.id] = volume
                # encryption by default covers the volumes a launch makes too
                if volume.encrypted or self.encryption_by_default:
                    volume.encrypted = True
                    volume.kms_key_id = volume.kms_key_id or self.key_for_new(None)

    def _instance_state(self, instance: Instance, previous: str) -> None:
        if instance.state != "terminated":
            return
        for volume in self.attached_to(instance.id):
            for attachment in [a for a in volume.attachments if a.instance_id == instance.id]:
                volume.attachments.remove(attachment)
                if attachment.device.delete_on_termination and not volume.attachments:
                    self.remove(volume.id)
        self._by_instance.pop(instance.id, None)

    # -- ModifyVolume

    def check_modify(
        self,
        volume_id: str,
        size: int | None,
        volume_type: str | None,
        iops: int | None,
        throughput: int | None,
        multi_attach: bool | None,
    ) -> tuple[Volume, Modification]:
        volume = self.get(volume_id)
        if volume.status not in ("available", "in-use"):
            raise ServiceError(
                f"The volume '{volume.id}' is in the '{volume.status}' state.",
                code="IncorrectState",
            )
        history = self.modifications.get(volume.id, [])
        if history and history[-1].state in ("modifying", "optimizing"):
            raise ServiceError(
                f"Volume {volume.id} is already being modified: wait for the modification to "
                "complete.",
                code="IncorrectModificationState",
            )
        since = self.now - timedelta(hours=24)
        recent = [m for m in history if m.started > since]
        if len(recent) >= MODIFICATIONS_PER_DAY:
            after = recent[0].started + timedelta(hours=24)
            raise ServiceError(
                "You've reached the maximum modification rate per volume limit. Wait until "
                f"{after.strftime('%Y-%m-%dT%H:%M:%SZ')} before modifying volume {volume.id} again.",
                code="VolumeModificationRateExceeded",
            )
        if (size, volume_type, iops, throughput, multi_attach) == (None,) * 5:
            raise MissingParameter(
                "The request must contain at least one of the parameters size, volumeType, "
                "iops, throughput or multiAttachEnabled"
            )
        new_size = volume.size_gib if size is None else size
        if new_size < volume.size_gib:
            raise InvalidParameterValue(
                f"New size cannot be smaller than existing size ({volume.size_gib}GiB)."
            )
        kind = volume.volume_type if volume_type is None else volume_type
        same_type = kind == volume.volume_type
        if iops is None and same_type and kind in IOPS:
            iops = volume.iops
        if throughput is None and same_type and kind == "gp3":
            throughput = volume.throughput
        if iops is None and kind in ("io1", "io2") and not same_type:
            iops = GP3_DEFAULT_IOPS
        new_iops, new_throughput = self.check_performance(
            kind, new_size, iops, throughput, creating=False
        )
        multi = volume.multi_attach if multi_attach is None else multi_attach
        if multi and kind not in MULTI_ATTACH_TYPES:
            raise InvalidParameterCombination(
                f"The parameter multiAttachEnabled is not supported for {kind} volumes."
            )
        if multi_attach is False and len(volume.attachments) > 1:
            raise ServiceError(
                f"Multi-Attach cannot be disabled on volume {volume.id}: it is attached to "
                "more than one instance.",
                code="VolumeInUse",
            )
        original = (
            volume.size_gib,
            volume.volume_type,
            volume.shown_iops,
            volume.throughput if volume.volume_type == "gp3" else None,
            volume.multi_attach,
        )
        shown = gp2_iops(new_size) if kind == "gp2" else new_iops
        target = (new_size, kind, shown, new_throughput, multi)
        if target == original:
            raise InvalidParameterValue(
                f"Modification for volume {volume.id} has no changes: the requested values are "
                "the volume's current ones."
            )
        modification = Modification(volume.id, original, target, self.now)
        return volume, modification

    def modify(self, volume: Volume, modification: Modification) -> None:
        """Apply the target now (EBS serves the new size at once) and optimise on the clock."""
        size, kind, iops, throughput, multi = modification.target
        volume.size_gib, volume.volume_type = size, kind
        volume.iops = iops if kind in IOPS else None
        volume.throughput = throughput
        volume.multi_attach = multi
        self.reindex(volume)
        self.modifications.setdefault(volume.id, []).append(modification)
        delay = self.backend.options.transition_delay
        self.backend.schedule(delay, volume, lambda v: self._optimizing(modification))

    def _optimizing(self, modification: Modification) -> None:
        modification.state = "optimizing"
        modification.progress = 50
        volume = self.find(modification.volume_id)
        if volume is not None:
            self.backend.schedule(
                max(self.backend.options.transition_delay, 1.0),
                volume,
                lambda v: self._optimized(modification),
            )

    def _optimized(self, modification: Modification) -> None:
        modification.state = "completed"
        modification.progress = 100
        modification.ended = self.now

    def latest_modifications(self, ids: list[str] | None) -> list[Modification]:
        volumes = self.get_many(ids) if ids else [self.find(v) for v in self.modifications]
        out = []
        for volume in volumes:
            if volume is not None and self.modifications.get(volume.id):
                out.append(self.modifications[volume.id][-1])
        if ids:
            unmodified = [v.id for v in volumes if v is not None and v.id not in self.modifications]
            if unmodified:
                raise ServiceError(
                    f"Modification for volume '{unmodified[0]}' does not exist.",
                    code="InvalidVolumeModification.NotFound",
                )
        return out


def _attached(attachment: Attachment) -> None:
    if attachment.state == "attaching":
        attachment.state = "attached"


def _normal_device(device: str) -> str:
    return device.removeprefix("/dev/")


def is_root_device(device: str) -> bool:
    return _normal_device(device) in ("sda1", "xvda", "sda")


def fingerprint(**values: Any) -> str:
    return hashlib.sha256(repr(sorted(values.items())).encode()).hexdigest()


# -- replacing a running instance's root volume

REPLACE_ROOT_TASK = ResourceKind(
    "replacevol",
    "replace-root-volume-task",
    "InvalidReplaceRootVolumeTaskId",
    "replace root volume task",
)


def _iso(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(slots=True)
class ReplaceRootTask(Resource):
    instance_id: str
    started: datetime
    delete_replaced: bool
    snapshot_id: str | None = None
    image_id: str | None = None
    volume_id: str | None = None
    initialization_rate: int | None = None
    state: str = "pending"
    completed: datetime | None = None
    client_token: str | None = None
    generation: int = 0

    def describe(self) -> ReplaceRootVolumeTaskShape:
        out: ReplaceRootVolumeTaskShape = {
            "ReplaceRootVolumeTaskId": self.id,
            "InstanceId": self.instance_id,
            "TaskState": self.state,
            "StartTime": _iso(self.started),
            "Tags": self.tag_list(),
            "DeleteReplacedRootVolume": self.delete_replaced,
        }
        if self.completed is not None:
            out["CompleteTime"] = _iso(self.completed)
        if self.snapshot_id:
            out["SnapshotId"] = self.snapshot_id
        if self.image_id:
            out["ImageId"] = self.image_id
        return out


class RootReplacements:
    """CreateReplaceRootVolumeTask: a new root volume swapped in on the clock."""

    def __init__(self, volumes: Volumes) -> None:
        self.volumes = volumes
        self.backend = volumes.backend
        self.store: Store[ReplaceRootTask] = volumes.backend.new_store(REPLACE_ROOT_TASK)
        self.store.add_index("instance", lambda t: t.instance_id)
        self._tokens: dict[str, str] = {}

    def by_token(self, token: str | None, instance_id: str) -> ReplaceRootTask | None:
        task = self.store.find(self._tokens.get(token or "", ""))
        if task is not None and task.instance_id != instance_id:
            raise ServiceError(
                f"Client token '{token}' was used with different parameters.",
                code="IdempotentParameterMismatch",
            )
        return task

    def _root(self, instance: Instance) -> tuple[BlockDevice, Volume]:
        for device in instance.block_devices:
            if is_root_device(device.device_name):
                volume = self.volumes.find(device.volume_id)
                if volume is not None:
                    return device, volume
        raise ServiceError(
            f"The instance '{instance.id}' has no EBS root volume.",
            code="IncorrectInstanceState",
        )

    def check_create(
        self,
        instance_id: str,
        snapshot_id: str | None,
        image_id: str | None,
        volume_id: str | None,
        initialization_rate: int | None,
    ) -> None:
        backend = self.backend
        instance = backend.instances.store.get(instance_id)
        if sum(x is not None for x in (snapshot_id, image_id, volume_id)) > 1:
            raise InvalidParameterCombination(
                "Specify at most one of SnapshotId, ImageId and VolumeId."
            )
        if instance.state != "running":
            raise ServiceError(
                f"The instance '{instance.id}' is not in the 'running' state.",
                code="IncorrectInstanceState",
            )
        for task in self.store.lookup("instance", instance.id):
            if task.state in ("pending", "in-progress"):
                raise ServiceError(
                    f"A root volume replacement task ({task.id}) is already in progress for "
                    f"instance '{instance.id}'.",
                    code="IncorrectState",
                )
        _, root = self._root(instance)
        if initialization_rate is not None:
            if snapshot_id is None and image_id is None:
                raise InvalidParameterCombination(
                    "The parameter VolumeInitializationRate is supported only with SnapshotId "
                    "or ImageId."
                )
            if not 100 <= initialization_rate <= 300:
                raise InvalidParameterValue(
                    f"Value ({initialization_rate}) for parameter VolumeInitializationRate is "
                    "invalid. Expecting a value between 100 and 300."
                )
        if snapshot_id is not None:
            snapshot = backend.snapshots.usable(snapshot_id)
            if snapshot.volume_id != root.id:
                raise InvalidParameterValue(
                    f"The snapshot '{snapshot.id}' was not created from the root volume "
                    f"'{root.id}' of instance '{instance.id}'."
                )
        if image_id is not None:
            self._image_root(instance, image_id)
        if volume_id is not None:
            volume = self.volumes.get(volume_id)
            if volume.status != "available":
                raise ServiceError(
                    f"The volume '{volume.id}' is not 'available'.", code="IncorrectState"
                )
            if volume.zone_name != instance.zone.name:
                raise ServiceError(
                    f"The volume '{volume.id}' is not in the same availability zone as "
                    f"instance '{instance.id}'",
                    code="InvalidVolume.ZoneMismatch",
                )
            if root.encrypted and not volume.encrypted:
                raise InvalidParameterValue(
                    f"The volume '{volume.id}' must be encrypted: the root volume it replaces is."
                )

    def _image_root(self, instance: Instance, image_id: str) -> ImageDevice:
        """The root mapping of the image a root volume is restored from (ImageId): an
        available image this account may launch, of the instance's architecture."""
        image = self.backend.images.get(image_id)
        if image.state != "available":
            raise ServiceError(
                f"The image id '[{image.id}]' is not available (it is {image.state}).",
                code="InvalidAMIID.Unavailable",
            )
        if image.architecture.replace("i386", "x86_64") != instance.architecture:
            raise InvalidParameterValue(
                f"The architecture '{image.architecture}' of image '{image.id}' does not match "
                f"the architecture '{instance.architecture}' of instance '{instance.id}'."
            )
        for device in image.devices:
            if device.device_name == image.root_device_name and device.snapshot_id:
                return device
        raise InvalidParameterValue(
            f"The image '{image.id}' has no EBS root snapshot to restore a root volume from."
        )

    def create(
        self,
        instance_id: str,
        snapshot_id: str | None,
        volume_id: str | None,
        initialization_rate: int | None,
        delete_replaced: bool,
        tags: dict[str, str],
        token: str | None,
        image_id: str | None = None,
    ) -> ReplaceRootTask:
        backend = self.backend
        task = self.store.add(
            ReplaceRootTask(
                id=backend.ids.new("replacevol"),
                instance_id=instance_id,
                started=backend.clock.now(),
                delete_replaced=delete_replaced,
                snapshot_id=snapshot_id,
                image_id=image_id,
                volume_id=volume_id,
                initialization_rate=initialization_rate,
                client_token=token,
                tags=tags,
            )
        )
        if token:
            self._tokens[token] = task.id
        backend.schedule(backend.options.transition_delay, task, self._in_progress)
        return task

    def _in_progress(self, task: ReplaceRootTask) -> None:
        task.state = "in-progress"
        task.generation += 1
        self.backend.schedule(self.backend.options.transition_delay, task, self._swap)

    def _swap(self, task: ReplaceRootTask) -> None:
        backend = self.backend
        volumes = self.volumes
        instance = backend.instances.store.find(task.instance_id)
        if instance is None or instance.state != "running":
            task.state = "failed"
            task.completed = backend.clock.now()
            return
        device, old = self._root(instance)
        new = volumes.find(task.volume_id or "")
        if task.image_id:
            new = self._from_image(task, old)
        elif new is None or new.status != "available":
            snapshot = backend.snapshots.store.find(task.snapshot_id or old.snapshot_id)
            new = volumes.add(
                Volume(
                    id=backend.ids.new("vol"),
                    zone_name=old.zone_name,
                    zone_id=old.zone_id,
                    size_gib=max(old.size_gib, snapshot.volume_size_gib if snapshot else 0),
                    volume_type=old.volume_type,
                    created=backend.clock.now(),
                    snapshot_id=snapshot.id if snapshot is not None else "",
                    encrypted=old.encrypted,
                    kms_key_id=old.kms_key_id,
                    iops=old.iops,
                    throughput=old.throughput,
                    initialization_rate=task.initialization_rate,
                    state="available",
                    tags=dict(old.tags),
                )
            )
        if new is None:
            task.state = "failed"
            task.completed = backend.clock.now()
            return
        old.attachments = [a for a in old.attachments if a.instance_id != instance.id]
        volumes._by_instance.get(instance.id, {}).pop(old.id, None)
        if task.delete_replaced:
            volumes.remove(old.id)
        device.volume_id = new.id
        device.attach_time = backend.clock.now()
        new.attachments.append(Attachment(instance.id, device))
        volumes._by_instance.setdefault(instance.id, {})[new.id] = new
        task.state = "succeeded"
        task.completed = backend.clock.now()

    def _from_image(self, task: ReplaceRootTask, old: Volume) -> Volume | None:
        """The new root volume of an ImageId task: the image's root snapshot, at the size,
        type and encryption its mapping records (None: the image is gone)."""
        backend = self.backend
        image = backend.images.find(task.image_id or "")
        root = None
        if image is not None:
            root = next((d for d in image.devices if d.device_name == image.root_device_name), None)
        if root is None or not root.snapshot_id:
            return None
        snapshot = backend.snapshots.registry.get(root.snapshot_id)
        size = root.volume_size or (snapshot.volume_size_gib if snapshot else old.size_gib)
        encrypted = bool(root.encrypted) or old.encrypted
        key = root.kms_key_id or (snapshot.kms_key_id if snapshot else None) or old.kms_key_id
        kind = root.volume_type or "gp2"
        return self.volumes.add(
            Volume(
                id=backend.ids.new("vol"),
                zone_name=old.zone_name,
                zone_id=old.zone_id,
                size_gib=size,
                volume_type=kind,
                created=backend.clock.now(),
                snapshot_id=root.snapshot_id,
                encrypted=encrypted,
                kms_key_id=key if encrypted else None,
                iops=root.iops,
                throughput=root.throughput,
                initialization_rate=task.initialization_rate,
                state="available",
                tags=dict(old.tags),
            )
        )
