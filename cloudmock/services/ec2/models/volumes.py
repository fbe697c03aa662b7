"""EBS volumes (so far: the root volume of each instance)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from cloudmock.services.ec2.models.base import Resource, ResourceKind

VOLUME = ResourceKind("vol", "volume", "InvalidVolumeID", "volume", not_found_stem="InvalidVolume")

DEFAULT_ROOT_SIZE_GIB = 8


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
    #: the attachment, while attached
    instance_id: str | None = None
    device_name: str | None = None
    attach_time: datetime | None = None
    delete_on_termination: bool = True
    state: str = "in-use"
