"""EBS snapshots: the point-in-time copies volumes, images and CreateVolume share.

Every snapshot is also listed in ``backend.shared`` (one registry for all accounts and
regions), so a snapshot shared through createVolumePermission is found by the accounts
it is shared with, and CopySnapshot reads the source region's snapshot.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from cloudmock.core.errors import (
    InvalidParameterCombination,
    InvalidParameterValue,
    MissingParameter,
    ServiceError,
)
from cloudmock.services.ec2.models.base import Resource, ResourceKind, Store
from cloudmock.services.ec2.models.volumes import (
    Volume,
    is_root_device,
    key_failed,
    resolve_kms_key,
)

if TYPE_CHECKING:
    from cloudmock.services.ec2.models.backend import Ec2Backend
    from cloudmock.services.ec2.shapes import (
        DescribeFastSnapshotRestoreSuccessItem,
        LockedSnapshotsInfo,
        SnapshotTaskDetail,
        SnapshotTierStatus,
    )
    from cloudmock.services.ec2.shapes import ImportSnapshotTask as ImportSnapshotTaskShape
    from cloudmock.services.ec2.shapes import Snapshot as SnapshotShape

SNAPSHOT = ResourceKind("snap", "snapshot", "InvalidSnapshotID", "snapshot", "InvalidSnapshot")

#: backend.shared key: snapshot id -> Snapshot, for every account and region
_REGISTRY = "ebs-snapshots"
#: regions CopySnapshot knows (any region name the partition has is fine)
_REGION_NAME = re.compile(r"^[a-z]{2}(?:-[a-z]+)+-\d$")
LOCK_DAYS = (1, 36500)
COOL_OFF_HOURS = (1, 72)
TEMPORARY_RESTORE_DAYS = (1, 180)
BLOCK_PUBLIC_ACCESS_STATES = ("block-all-sharing", "block-new-sharing")


@dataclass(slots=True)
class Lock:
    mode: str
    created: datetime
    expires: datetime
    duration_days: int | None
    cool_off_hours: int | None = None
    cool_off_expires: datetime | None = None

    def state(self, now: datetime) -> str:
        if now >= self.expires:
            return "expired"
        if self.mode == "compliance" and self.cool_off_expires and now < self.cool_off_expires:
            return "compliance-cooloff"
        return self.mode


@dataclass(slots=True)
class FastRestore:
    zone_name: str
    zone_id: str
    state: str
    times: dict[str, datetime] = field(default_factory=dict)
    generation: int = 0


@dataclass(slots=True)
class Snapshot(Resource):
    owner_id: str
    volume_id: str
    volume_size_gib: int
    started: datetime
    description: str = ""
    encrypted: bool = False
    kms_key_id: str | None = None
    #: pending -> completed on the mock's clock
    state: str = "pending"
    progress: str = "0%"
    region: str = ""
    owner_alias: str | None = None
    completed: datetime | None = None
    #: createVolumePermission: the accounts it is shared with, and whether the group "all" is
    shared_with: set[str] = field(default_factory=set)
    public: bool = False
    product_codes: list[tuple[str, str]] = field(default_factory=list)
    #: standard or archive, and the last tiering operation
    storage_tier: str = "standard"
    tiering: dict[str, Any] = field(default_factory=dict)
    restore_expiry: datetime | None = None
    lock: Lock | None = None
    fast_restores: dict[str, FastRestore] = field(default_factory=dict)
    completion_minutes: int | None = None
    generation: int = 0

    def describe(self, viewer: str | None = None) -> SnapshotShape:
        """The Snapshot shape; ``viewer``: the account asking (tags are the owner's own)."""
        out: SnapshotShape = {
            "SnapshotId": self.id,
            "VolumeId": self.volume_id,
            "State": self.state,
            "StartTime": self.started,
            "Progress": self.progress,
            "OwnerId": self.owner_id,
            "Description": self.description,
            "VolumeSize": self.volume_size_gib,
            "Encrypted": self.encrypted,
            "StorageTier": self.storage_tier,
            "TransferType": "time-based" if self.completion_minutes else "standard",
        }
        if self.completion_minutes:
            out["CompletionDurationMinutes"] = self.completion_minutes
        if self.encrypted and self.kms_key_id:
            out["KmsKeyId"] = self.kms_key_id
        if self.owner_alias:
            out["OwnerAlias"] = self.owner_alias
        if self.completed is not None:
            out["CompletionTime"] = self.completed
        if self.restore_expiry is not None:
            out["RestoreExpiryTime"] = self.restore_expiry
        if self.tags and viewer in (None, self.owner_id):
            out["Tags"] = self.tag_list()
        return out

    def lock_info(self, now: datetime) -> LockedSnapshotsInfo:
        lock = self.lock
        assert lock is not None
        out: LockedSnapshotsInfo = {
            "OwnerId": self.owner_id,
            "SnapshotId": self.id,
            "LockState": lock.state(now),
            "LockCreatedOn": lock.created,
            "LockDurationStartTime": lock.created,
            "LockExpiresOn": lock.expires,
        }
        if lock.duration_days is not None:
            out["LockDuration"] = lock.duration_days
        if lock.cool_off_hours is not None and lock.cool_off_expires is not None:
            out["CoolOffPeriod"] = lock.cool_off_hours
            out["CoolOffPeriodExpiresOn"] = lock.cool_off_expires
        return out

    def tier_status(self) -> SnapshotTierStatus:
        out: SnapshotTierStatus = {
            "SnapshotId": self.id,
            "VolumeId": self.volume_id,
            "Status": self.state,
            "OwnerId": self.owner_id,
            "Tags": self.tag_list(),
            "StorageTier": self.storage_tier,
        }
        for key in (
            "LastTieringStartTime",
            "LastTieringProgress",
            "LastTieringOperationStatus",
            "LastTieringOperationStatusDetail",
            "ArchivalCompleteTime",
            "RestoreExpiryTime",
        ):
            if key in self.tiering:
                out[key] = self.tiering[key]  # type: ignore[literal-required]
        return out

    def restore_info(self, restore: FastRestore) -> DescribeFastSnapshotRestoreSuccessItem:
        out: DescribeFastSnapshotRestoreSuccessItem = {
            "SnapshotId": self.id,
            "AvailabilityZone": restore.zone_name,
            "AvailabilityZoneId": restore.zone_id,
            "State": restore.state,
            "StateTransitionReason": "Client.UserInitiated",
            "OwnerId": self.owner_id,
        }
        names = {
            "enabling": "EnablingTime",
            "optimizing": "OptimizingTime",
            "enabled": "EnabledTime",
            "disabling": "DisablingTime",
            "disabled": "DisabledTime",
        }
        for state, when in restore.times.items():
            out[names[state]] = when  # type: ignore[literal-required]
        return out


class Snapshots:
    """The snapshots of one region of one account, and the region's snapshot settings."""

    def __init__(self, backend: Ec2Backend) -> None:
        self.backend = backend
        self.store: Store[Snapshot] = backend.new_store(SNAPSHOT)
        self.store.add_index("volume", lambda s: s.volume_id)
        self.registry: dict[str, Snapshot] = backend.shared.setdefault(_REGISTRY, {})
        #: region -> the snapshots shared with some account or public there (DescribeSnapshots
        #: looks here for others' snapshots instead of walking every account's)
        self.shared_by_region: dict[str, dict[str, Snapshot]] = backend.shared.setdefault(
            "ebs-shared-snapshots", {}
        )
        #: GetSnapshotBlockPublicAccessState: unblocked, block-all-sharing, block-new-sharing
        self.block_public_access = "unblocked"
        self.imports = SnapshotImports(backend)
        backend.shared.setdefault("ebs-snapshot-families", {})[
            (backend.account_id, backend.region)
        ] = self

    @property
    def now(self) -> datetime:
        return self.backend.clock.now()

    # -- creating

    def create_from_volume(
        self, volume: Volume, description: str = "", tags: dict[str, str] | None = None
    ) -> Snapshot:
        """A new snapshot of ``volume``: pending now, completed after the transition delay.

        The caller has passed its commit point (CreateSnapshot, CreateImage)."""
        return self._new(
            volume_id=volume.id,
            size=volume.size_gib,
            description=description,
            encrypted=volume.encrypted,
            kms_key_id=getattr(volume, "kms_key_id", None),
            tags=tags,
        )

    def create_detached(
        self,
        size: int,
        description: str,
        encrypted: bool,
        kms_key_id: str | None,
        tags: dict[str, str] | None = None,
    ) -> Snapshot:
        """A new snapshot made from no volume of this region (CopyImage's, an imported or
        restored image's): EC2 shows the arbitrary volume id ``vol-ffffffff``. Past commit."""
        return self._new(
            volume_id="vol-ffffffff",
            size=size,
            description=description,
            encrypted=encrypted,
            kms_key_id=kms_key_id,
            tags=tags,
        )

    def _new(
        self,
        *,
        volume_id: str,
        size: int,
        description: str,
        encrypted: bool,
        kms_key_id: str | None,
        tags: dict[str, str] | None,
        completion_minutes: int | None = None,
    ) -> Snapshot:
        backend = self.backend
        snapshot = self.store.add(
            Snapshot(
                id=backend.ids.new("snap"),
                owner_id=backend.account_id,
                volume_id=volume_id,
                volume_size_gib=size,
                started=self.now,
                description=description,
                encrypted=encrypted,
                kms_key_id=kms_key_id if encrypted else None,
                region=backend.region,
                completion_minutes=completion_minutes,
                tags=dict(tags or {}),
            )
        )
        self.registry[snapshot.id] = snapshot
        backend.schedule(backend.options.transition_delay, snapshot, self._complete)
        return snapshot

    def _complete(self, snapshot: Snapshot) -> None:
        if snapshot.encrypted and key_failed(snapshot.kms_key_id):
            snapshot.state = "error"
            return
        snapshot.state = "completed"
        snapshot.progress = "100%"
        snapshot.completed = self.now

    def check_create(self, volume_id: str, outpost_arn: str | None, location: str | None) -> Volume:
        if outpost_arn is not None:
            raise InvalidParameterValue(
                f"The Outpost ARN '{outpost_arn}' is not valid: this region has no Outposts."
            )
        if location not in (None, "regional", "local"):
            raise InvalidParameterValue(
                f"Value ({location}) for parameter location is invalid. Valid values: "
                "regional, local."
            )
        if location == "local":
            raise InvalidParameterCombination(
                "Local snapshots are for volumes on Outposts or in Local Zones; this volume "
                "is in an Availability Zone."
            )
        volume = self.backend.volumes.get(volume_id)
        if volume.status not in ("available", "in-use"):
            raise ServiceError(
                f"The volume '{volume.id}' is in the '{volume.status}' state.",
                code="IncorrectState",
            )
        return volume

    def check_create_many(
        self,
        instance_id: str,
        exclude_boot: bool,
        exclude_ids: list[str],
        outpost_arn: str | None,
        location: str | None,
    ) -> list[Volume]:
        """CreateSnapshots: the instance's volumes to snapshot, in device order."""
        backend = self.backend
        instance = backend.instances.store.get(instance_id)
        if instance.state == "terminated":
            raise ServiceError(
                f"The instance '{instance.id}' is not in a state from which its volumes can "
                "be snapshotted.",
                code="IncorrectInstanceState",
            )
        attached = [
            (device, backend.volumes.find(device.volume_id)) for device in instance.block_devices
        ]
        attached_ids = {device.volume_id for device in instance.block_devices}
        for volume_id in exclude_ids:
            backend.volumes.get(volume_id)
            if volume_id not in attached_ids:
                raise InvalidParameterValue(
                    f"The volume {volume_id} in ExcludeDataVolumeIds is not attached to "
                    f"instance {instance.id}."
                )
        chosen = []
        for device, volume in attached:
            if volume is None:
                continue
            root = is_root_device(device.device_name)
            if root and exclude_boot:
                continue
            if not root and volume.id in exclude_ids:
                continue
            chosen.append(volume)
        if exclude_ids and any(
            is_root_device(d.device_name) and d.volume_id in exclude_ids
            for d in instance.block_devices
        ):
            raise InvalidParameterValue(
                "ExcludeDataVolumeIds cannot name the root volume: use ExcludeBootVolume."
            )
        if not chosen:
            raise InvalidParameterValue(
                f"The instance {instance.id} has no volumes left to snapshot."
            )
        for volume in chosen:
            self.check_create(volume.id, outpost_arn, location)
        return chosen

    # -- finding: own, shared with this account, or public

    def visible(self, snapshot: Snapshot) -> bool:
        backend = self.backend
        if snapshot.region != backend.region:
            return False
        if snapshot.owner_id == backend.account_id:
            return True
        if backend.account_id in snapshot.shared_with:
            return True
        return snapshot.public and self._owner_allows_public(snapshot)

    def _owner_allows_public(self, snapshot: Snapshot) -> bool:
        owner = self._family_of(snapshot.owner_id, snapshot.region)
        return owner is None or owner.block_public_access != "block-all-sharing"

    def _family_of(self, account_id: str, region: str) -> Snapshots | None:
        families: dict[tuple[str, str], Snapshots] = self.backend.shared.setdefault(
            "ebs-snapshot-families", {}
        )
        return families.get((account_id, region))

    def get(self, snapshot_id: str) -> Snapshot:
        """A snapshot this account can see (its own or one shared with it)."""
        found = self.store.find(snapshot_id)
        if found is not None:
            return found
        other = self.registry.get(snapshot_id)
        if other is not None and self.visible(other):
            return other
        self.store.check_id(snapshot_id)
        raise SNAPSHOT.not_found([snapshot_id])

    def own(self, snapshot_id: str) -> Snapshot:
        """A snapshot of this account (attributes, deletes, locks: the owner's business)."""
        found = self.store.find(snapshot_id)
        if found is not None:
            return found
        other = self.registry.get(snapshot_id)
        if other is not None and self.visible(other):
            raise ServiceError(
                f"You do not have permission to modify snapshot {snapshot_id}, which is "
                f"owned by {other.owner_id}.",
                code="AuthFailure",
            )
        return self.store.get(snapshot_id)

    def usable(self, snapshot_id: str) -> Snapshot:
        """A snapshot a new volume can be made from (CreateVolume)."""
        snapshot = self.get(snapshot_id)
        if snapshot.state != "completed":
            raise ServiceError(
                f"Snapshot is in invalid state - {snapshot.state}", code="IncorrectState"
            )
        if snapshot.storage_tier == "archive" and snapshot.restore_expiry is None:
            raise ServiceError(
                f"The snapshot '{snapshot.id}' is archived: restore it before using it.",
                code="IncorrectState",
            )
        return snapshot

    def fast_restored(self, snapshot: Snapshot, zone_name: str) -> bool:
        restore = snapshot.fast_restores.get(zone_name)
        return restore is not None and restore.state == "enabled"

    def describable(
        self,
        ids: list[str] | None,
        owners: list[str] | None,
        restorable_by: list[str] | None,
    ) -> list[Snapshot]:
        """DescribeSnapshots' view before filters: ids, OwnerIds and RestorableByUserIds."""
        backend = self.backend
        if ids:
            found = [self.get(i) for i in dict.fromkeys(ids)]
        else:
            own = list(self.store)
            others = [
                s
                for s in self.shared_by_region.get(backend.region, {}).values()
                if s.owner_id != backend.account_id and self.visible(s)
            ]
            found = own + others
        if owners:
            wanted = {backend.account_id if o == "self" else o for o in owners}
            found = [s for s in found if s.owner_id in wanted or (s.owner_alias or "") in wanted]
        if restorable_by:
            users = {backend.account_id if u == "self" else u for u in restorable_by}
            found = [
                s
                for s in found
                if s.public
                or s.shared_with & users
                or (s.owner_id in users and s.owner_id == backend.account_id)
            ]
        return found

    # -- deleting

    def check_delete(self, snapshot_id: str) -> Snapshot:
        snapshot = self.own(snapshot_id)
        users = self.backend.dependents(snapshot.id)
        if users:
            raise ServiceError(
                f"The snapshot {snapshot.id} is currently in use by {users[0]}",
                code="InvalidSnapshot.InUse",
            )
        if snapshot.lock is not None and snapshot.lock.state(self.now) != "expired":
            raise ServiceError(
                f"The snapshot {snapshot.id} is locked and can't be deleted until its lock "
                f"expires on {snapshot.lock.expires.strftime('%Y-%m-%dT%H:%M:%SZ')}.",
                code="SnapshotLocked",
            )
        return snapshot

    def delete_if_allowed(self, snapshot_id: str) -> bool:
        """Delete an own snapshot unless DeleteSnapshot would refuse it (in use, locked):
        DeregisterImage's DeleteAssociatedSnapshots, past its commit point."""
        try:
            snapshot = self.check_delete(snapshot_id)
        except ServiceError:
            return False
        self.delete(snapshot)
        return True

    def delete(self, snapshot: Snapshot) -> None:
        # No Recycle Bin retention rule can exist here (the Recycle Bin service is not in
        # the box), so a deleted snapshot is gone, as it is in AWS without a rule.
        snapshot.generation += 1
        self.store.remove(snapshot.id)
        self.registry.pop(snapshot.id, None)
        self.shared_by_region.get(snapshot.region, {}).pop(snapshot.id, None)

    # -- CopySnapshot

    def check_copy(
        self,
        source_region: str,
        source_id: str,
        encrypted: bool | None,
        kms_key_id: str | None,
        destination_region: str | None,
        destination_outpost: str | None,
        completion_minutes: int | None,
        destination_zone: str | None,
    ) -> tuple[Snapshot, bool, str | None]:
        backend = self.backend
        if not _REGION_NAME.match(source_region):
            raise InvalidParameterValue(f"Invalid value '{source_region}' for SourceRegion.")
        if destination_region not in (None, backend.region):
            raise InvalidParameterValue(
                f"The destination region '{destination_region}' must be the region the request "
                f"is sent to ({backend.region})."
            )
        if destination_outpost is not None:
            raise InvalidParameterValue(
                f"The Outpost ARN '{destination_outpost}' is not valid: this region has no "
                "Outposts."
            )
        if destination_zone is not None:
            raise InvalidParameterValue(
                f"Value ({destination_zone}) for parameter DestinationAvailabilityZone is "
                "invalid: local snapshots are for Local Zones, and this region has none."
            )
        if completion_minutes is not None and not 15 <= completion_minutes <= 2880:
            raise InvalidParameterValue(
                f"Value ({completion_minutes}) for parameter CompletionDurationMinutes is "
                "invalid. Expecting a value between 15 and 2880."
            )
        source = self.registry.get(source_id)
        if source is not None and source.region != source_region:
            source = None
        if source is not None and not (
            source.owner_id == backend.account_id
            or backend.account_id in source.shared_with
            or source.public
        ):
            source = None
        if source is None:
            self.store.check_id(source_id)
            raise SNAPSHOT.not_found([source_id])
        if source.state != "completed":
            raise ServiceError(
                f"Snapshot {source.id} is in invalid state - {source.state}",
                code="IncorrectState",
            )
        if kms_key_id is not None and not encrypted:
            raise ServiceError(
                "The parameter KmsKeyId requires the parameter Encrypted to be set.",
                code="InvalidParameterDependency",
            )
        volumes = backend.volumes
        wants = bool(encrypted) or volumes.encryption_by_default or source.encrypted
        if not wants:
            return source, False, None
        if kms_key_id is None and source.encrypted and source.region == backend.region:
            key = source.kms_key_id
        else:
            key = volumes.key_for_new(kms_key_id)
        return source, True, key

    def copy(
        self,
        source: Snapshot,
        encrypted: bool,
        kms_key_id: str | None,
        description: str | None,
        tags: dict[str, str],
        completion_minutes: int | None,
    ) -> Snapshot:
        if description is None:
            description = f"[Copied {source.id} from {source.region}]"
        return self._new(
            # a copy's volume is not one of this region's: EC2 shows an arbitrary volume id
            volume_id="vol-ffffffff",
            size=source.volume_size_gib,
            description=description,
            encrypted=encrypted,
            kms_key_id=kms_key_id,
            tags=tags,
            completion_minutes=completion_minutes,
        )

    # -- createVolumePermission / productCodes

    def check_attribute(self, attribute: str) -> str:
        if attribute not in ("createVolumePermission", "productCodes"):
            raise InvalidParameterValue(
                f"Value ({attribute}) for parameter attribute is invalid. Valid values: "
                "createVolumePermission, productCodes."
            )
        return attribute

    def check_permissions(
        self,
        snapshot: Snapshot,
        operation: str,
        users: Iterable[str],
        groups: Iterable[str],
    ) -> tuple[set[str], bool]:
        users, groups = set(users), set(groups)
        for group in groups:
            if group != "all":
                raise InvalidParameterValue(
                    f"Value ({group}) for parameter group is invalid. Valid value: all."
                )
        for user in users:
            if not (len(user) == 12 and user.isdigit()):
                raise ServiceError(f"User id '{user}' is invalid.", code="InvalidUserID.Malformed")
        if groups and operation == "add":
            if snapshot.encrypted:
                raise ServiceError(
                    "Encrypted snapshots with EBS default key cannot be shared",
                    code="OperationNotPermitted",
                )
            if self.block_public_access != "unblocked":
                raise ServiceError(
                    f"Public sharing of snapshots is blocked in {self.backend.region} "
                    "(block public access for snapshots is enabled).",
                    code="OperationNotPermitted",
                )
        if users and operation == "add" and snapshot.encrypted:
            managed = resolve_kms_key("alias/aws/ebs", snapshot.owner_id, snapshot.region)
            if snapshot.kms_key_id == managed:
                raise ServiceError(
                    "Encrypted snapshots with EBS default key cannot be shared",
                    code="OperationNotPermitted",
                )
        return users, bool(groups)

    def modify_permissions(
        self, snapshot: Snapshot, operation: str, users: set[str], group_all: bool
    ) -> None:
        if operation == "add":
            snapshot.shared_with |= users
            snapshot.public = snapshot.public or group_all
        else:
            snapshot.shared_with -= users
            if group_all:
                snapshot.public = False
        self._reshare(snapshot)

    def reset_permissions(self, snapshot: Snapshot) -> None:
        snapshot.shared_with = set()
        snapshot.public = False
        self._reshare(snapshot)

    def _reshare(self, snapshot: Snapshot) -> None:
        shared = self.shared_by_region.setdefault(snapshot.region, {})
        if snapshot.public or snapshot.shared_with:
            shared[snapshot.id] = snapshot
        else:
            shared.pop(snapshot.id, None)

    # -- archive tier

    def check_archive(self, snapshot_id: str, tier: str | None) -> Snapshot:
        snapshot = self.own(snapshot_id)
        if tier not in (None, "archive"):
            raise InvalidParameterValue(
                f"Value ({tier}) for parameter StorageTier is invalid. Valid value: archive."
            )
        if snapshot.state != "completed":
            raise ServiceError(
                f"Snapshot {snapshot.id} is in invalid state - {snapshot.state}",
                code="IncorrectState",
            )
        if snapshot.storage_tier == "archive":
            raise ServiceError(
                f"The snapshot {snapshot.id} is already in the archive tier.",
                code="IncorrectState",
            )
        if snapshot.fast_restores:
            raise ServiceError(
                f"Disable fast snapshot restore on {snapshot.id} before archiving it.",
                code="IncorrectState",
            )
        return snapshot

    def archive(self, snapshot: Snapshot) -> datetime:
        now = self.now
        snapshot.tiering = {
            "LastTieringStartTime": now,
            "LastTieringProgress": 0,
            "LastTieringOperationStatus": "archival-in-progress",
            "LastTieringOperationStatusDetail": "Archival in progress",
        }
        snapshot.generation += 1
        self.backend.schedule(self.backend.options.transition_delay, snapshot, self._archived)
        return now

    def _archived(self, snapshot: Snapshot) -> None:
        snapshot.storage_tier = "archive"
        snapshot.tiering.update(
            LastTieringProgress=100,
            LastTieringOperationStatus="archival-completed",
            LastTieringOperationStatusDetail="Archival completed",
            ArchivalCompleteTime=self.now,
        )

    def check_restore_tier(
        self, snapshot_id: str, days: int | None, permanent: bool | None
    ) -> Snapshot:
        snapshot = self.own(snapshot_id)
        if snapshot.storage_tier != "archive":
            raise ServiceError(
                f"The snapshot {snapshot.id} is not in the archive tier.", code="IncorrectState"
            )
        if permanent and days is not None:
            raise InvalidParameterCombination(
                "The parameter TemporaryRestoreDays cannot be used with PermanentRestore."
            )
        if not permanent:
            if days is None:
                raise MissingParameter(
                    "The request must contain the parameter TemporaryRestoreDays or "
                    "PermanentRestore"
                )
            low, high = TEMPORARY_RESTORE_DAYS
            if not low <= days <= high:
                raise InvalidParameterValue(
                    f"Value ({days}) for parameter TemporaryRestoreDays is invalid. Expecting "
                    f"a value between {low} and {high}."
                )
        return snapshot

    def restore_tier(self, snapshot: Snapshot, days: int | None, permanent: bool) -> datetime:
        now = self.now
        what = "permanent" if permanent else "temporary"
        snapshot.tiering.update(
            LastTieringStartTime=now,
            LastTieringProgress=0,
            LastTieringOperationStatus=f"{what}-restore-in-progress",
            LastTieringOperationStatusDetail="Restore in progress",
        )
        snapshot.generation += 1

        def restored(s: Snapshot) -> None:
            s.tiering.update(
                LastTieringProgress=100,
                LastTieringOperationStatus=f"{what}-restore-completed",
                LastTieringOperationStatusDetail="Restore completed",
            )
            if permanent:
                s.storage_tier = "standard"
                s.restore_expiry = None
                s.tiering.pop("RestoreExpiryTime", None)
            else:
                assert days is not None
                s.restore_expiry = self.now + timedelta(days=days)
                s.tiering["RestoreExpiryTime"] = s.restore_expiry

        self.backend.schedule(self.backend.options.transition_delay, snapshot, restored)
        return now

    # -- locks

    def check_lock(
        self,
        snapshot_id: str,
        mode: str,
        cool_off: int | None,
        days: int | None,
        expiration: datetime | None,
    ) -> tuple[Snapshot, Lock]:
        snapshot = self.own(snapshot_id)
        now = self.now
        if mode not in ("governance", "compliance"):
            raise InvalidParameterValue(
                f"Value ({mode}) for parameter LockMode is invalid. Valid values: governance, "
                "compliance."
            )
        if (days is None) == (expiration is None):
            raise InvalidParameterCombination(
                "Specify exactly one of LockDuration and ExpirationDate."
            )
        if cool_off is not None:
            if mode != "compliance":
                raise InvalidParameterCombination(
                    "The parameter CoolOffPeriod is supported only in compliance mode."
                )
            if not COOL_OFF_HOURS[0] <= cool_off <= COOL_OFF_HOURS[1]:
                raise InvalidParameterValue(
                    f"Value ({cool_off}) for parameter CoolOffPeriod is invalid. Expecting a "
                    "value between 1 and 72."
                )
        if days is not None:
            if not LOCK_DAYS[0] <= days <= LOCK_DAYS[1]:
                raise InvalidParameterValue(
                    f"Value ({days}) for parameter LockDuration is invalid. Expecting a value "
                    "between 1 and 36500."
                )
            expires = now + timedelta(days=days)
        else:
            assert expiration is not None
            expires = expiration if expiration.tzinfo else expiration.replace(tzinfo=now.tzinfo)
            if expires <= now:
                raise InvalidParameterValue("The ExpirationDate must be in the future.")
        current = snapshot.lock
        if (
            current is not None
            and current.state(now) == "compliance"
            and (mode != "compliance" or expires < current.expires)
        ):
            raise ServiceError(
                f"The snapshot {snapshot.id} is locked in compliance mode: its lock can only "
                "be extended.",
                code="SnapshotLocked",
            )
        lock = Lock(
            mode=mode,
            created=now,
            expires=expires,
            duration_days=days,
            cool_off_hours=cool_off,
            cool_off_expires=now + timedelta(hours=cool_off) if cool_off else None,
        )
        return snapshot, lock

    def check_unlock(self, snapshot_id: str) -> Snapshot:
        snapshot = self.own(snapshot_id)
        lock = snapshot.lock
        if lock is None or lock.state(self.now) == "expired":
            raise ServiceError(
                f"The snapshot {snapshot.id} is not locked.", code="SnapshotNotLocked"
            )
        if lock.state(self.now) == "compliance":
            raise ServiceError(
                f"The snapshot {snapshot.id} is locked in compliance mode and its cooling-off "
                "period has passed: it can't be unlocked.",
                code="SnapshotLocked",
            )
        return snapshot

    # -- fast snapshot restores

    def zones(self, names: list[str] | None, ids: list[str] | None) -> list[tuple[str, str]]:
        zones = self.backend.region_info.zones
        if names and ids:
            raise InvalidParameterCombination(
                "The parameter AvailabilityZones cannot be used with AvailabilityZoneIds"
            )
        if not names and not ids:
            raise MissingParameter(
                "The request must contain the parameter AvailabilityZones or AvailabilityZoneIds"
            )
        out = []
        for value in names or ids or []:
            zone = next((z for z in zones if value in (z.name, z.zone_id)), None)
            if zone is None:
                raise InvalidParameterValue(f"Invalid availability zone: [{value}]")
            out.append((zone.name, zone.zone_id))
        return out

    def enable_fast_restore(self, snapshot: Snapshot, zone: tuple[str, str]) -> FastRestore:
        now = self.now
        restore = snapshot.fast_restores.get(zone[0])
        if restore is not None and restore.state in ("enabling", "optimizing", "enabled"):
            return restore
        restore = FastRestore(zone[0], zone[1], "enabling", {"enabling": now})
        snapshot.fast_restores[zone[0]] = restore
        delay = self.backend.options.transition_delay

        # scheduled on the snapshot; a later disable moves the restore's generation on
        def later(seconds: float, step: str) -> None:
            generation = restore.generation

            def advance(_: Snapshot) -> None:
                if restore.generation != generation:
                    return
                restore.state = step
                restore.times[step] = self.now
                if step == "optimizing":
                    later(max(delay, 1.0), "enabled")

            self.backend.schedule(seconds, snapshot, advance)

        later(delay, "optimizing")
        return restore

    def disable_fast_restore(self, snapshot: Snapshot, zone: tuple[str, str]) -> FastRestore:
        restore = snapshot.fast_restores[zone[0]]
        restore.state = "disabling"
        restore.times["disabling"] = self.now
        restore.generation += 1
        generation = restore.generation

        def disabled(_: Snapshot) -> None:
            if restore.generation != generation:
                return
            restore.state = "disabled"
            restore.times["disabled"] = self.now
            if snapshot.fast_restores.get(restore.zone_name) is restore:
                del snapshot.fast_restores[restore.zone_name]

        self.backend.schedule(self.backend.options.transition_delay, snapshot, disabled)
        return restore


# -- ImportSnapshot: the disk image lives in S3, which is not in the box

IMPORT_SNAPSHOT_TASK = ResourceKind(
    "import-snap", "import-snapshot-task", "InvalidConversionTaskId", "import snapshot task"
)
DISK_FORMATS = ("VHD", "VMDK", "RAW")


@dataclass(slots=True)
class ImportSnapshotTask(Resource):
    description: str
    disk_description: str
    disk_format: str
    url: str | None
    bucket: tuple[str, str] | None
    encrypted: bool
    kms_key_id: str | None
    status: str = "active"
    status_message: str = "pending"
    client_token: str | None = None
    generation: int = 0

    def describe(self) -> ImportSnapshotTaskShape:
        detail: SnapshotTaskDetail = {
            "Description": self.disk_description,
            "Encrypted": self.encrypted,
            "Format": self.disk_format,
            "Status": self.status,
            "StatusMessage": self.status_message,
        }
        if self.status == "active":
            detail["Progress"] = "0"
        if self.kms_key_id:
            detail["KmsKeyId"] = self.kms_key_id
        if self.url:
            detail["Url"] = self.url
        if self.bucket:
            detail["UserBucket"] = {"S3Bucket": self.bucket[0], "S3Key": self.bucket[1]}
        out: ImportSnapshotTaskShape = {
            "Description": self.description,
            "ImportTaskId": self.id,
            "SnapshotTaskDetail": detail,
        }
        if self.tags:
            out["Tags"] = self.tag_list()
        return out


class SnapshotImports:
    """ImportSnapshot tasks: checked as EC2 checks them, then failing to read the disk image
    (S3 is not in the box, so no image can be read)."""

    def __init__(self, backend: Ec2Backend) -> None:
        self.backend = backend
        self.store: Store[ImportSnapshotTask] = backend.new_store(IMPORT_SNAPSHOT_TASK)
        self._tokens: dict[str, str] = {}

    def by_token(self, token: str | None) -> ImportSnapshotTask | None:
        return self.store.find(self._tokens.get(token or "", ""))

    def check(
        self, disk_format: str | None, url: str | None, bucket: tuple[str, str] | None
    ) -> str:
        if disk_format is None:
            raise MissingParameter("The request must contain the parameter DiskContainer.Format")
        if disk_format.upper() not in DISK_FORMATS:
            raise InvalidParameterValue(
                f"Value ({disk_format}) for parameter DiskContainer.Format is invalid. Valid "
                f"values: {', '.join(DISK_FORMATS)}."
            )
        if (url is None) == (bucket is None):
            raise InvalidParameterCombination(
                "Specify exactly one of DiskContainer.Url and DiskContainer.UserBucket."
            )
        if url is not None and not url.startswith(("s3://", "https://")):
            raise InvalidParameterValue(
                f"Value ({url}) for parameter DiskContainer.Url is invalid: it must be an "
                "s3:// or https:// URL."
            )
        return disk_format.upper()

    def create(
        self,
        *,
        description: str,
        disk_description: str,
        disk_format: str,
        url: str | None,
        bucket: tuple[str, str] | None,
        encrypted: bool,
        kms_key_id: str | None,
        tags: dict[str, str],
        token: str | None,
    ) -> ImportSnapshotTask:
        backend = self.backend
        task = self.store.add(
            ImportSnapshotTask(
                id=backend.ids.new("import-snap"),
                description=description,
                disk_description=disk_description,
                disk_format=disk_format,
                url=url,
                bucket=bucket,
                encrypted=encrypted,
                kms_key_id=kms_key_id,
                client_token=token,
                tags=tags,
            )
        )
        if token:
            self._tokens[token] = task.id
        backend.schedule(backend.options.transition_delay, task, self._unreadable)
        return task

    def _unreadable(self, task: ImportSnapshotTask) -> None:
        task.status = "error"
        task.status_message = (
            "ClientError: Disk validation failed [The disk image could not be read: cloudmock "
            "has no S3 to read it from]"
        )
