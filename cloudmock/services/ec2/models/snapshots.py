"""EBS snapshots: the point-in-time copies volumes, images and CreateVolume share."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from cloudmock.services.ec2.models.base import Resource, ResourceKind, Store
from cloudmock.services.ec2.models.volumes import Volume

if TYPE_CHECKING:
    from cloudmock.services.ec2.models.backend import Ec2Backend

SNAPSHOT = ResourceKind("snap", "snapshot", "InvalidSnapshotID", "snapshot", "InvalidSnapshot")


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


class Snapshots:
    """The snapshots of one region."""

    def __init__(self, backend: Ec2Backend) -> None:
        self.backend = backend
        self.store: Store[Snapshot] = backend.new_store(SNAPSHOT)
        self.store.add_index("volume", lambda s: s.volume_id)

    def create_from_volume(
        self, volume: Volume, description: str = "", tags: dict[str, str] | None = None
    ) -> Snapshot:
        """A new snapshot of ``volume``: pending now, completed after the transition delay.

        The caller has passed its commit point (CreateSnapshot, CreateImage)."""
        backend = self.backend
        snapshot = self.store.add(
            Snapshot(
                id=backend.ids.new("snap"),
                owner_id=backend.account_id,
                volume_id=volume.id,
                volume_size_gib=volume.size_gib,
                started=backend.clock.now(),
                description=description,
                encrypted=volume.encrypted,
                tags=dict(tags or {}),
            )
        )
        backend.schedule(backend.options.transition_delay, snapshot, self._complete)
        return snapshot

    def _complete(self, snapshot: Snapshot) -> None:
        snapshot.state = "completed"
        snapshot.progress = "100%"
