"""The EBS volumes a launch makes: the image's block-device mappings under the request's.

RunInstances maps the image's devices (its root snapshot, further EBS mappings) and lets the
request override them by device name, add new ones, or suppress one with ``NoDevice``. The
same plan is checked before the launch's commit point (a launch check, so every error EC2
gives comes before anything changes) and built after it (``Instances._attach_volumes``).

An image's own mappings name snapshots the launching account may not see: the public
catalogue's root snapshots belong to Amazon and are not modelled one by one (there are
thousands, and Amazon's AMI snapshots are not public, so DescribeSnapshots never shows them).
The image vouches for them: a volume made from one names the snapshot id, with the size,
type and encryption the image's mapping records.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from cloudmock.core.errors import ServiceError
from cloudmock.services.ec2.models.volumes import DEFAULT_ROOT_SIZE_GIB

if TYPE_CHECKING:
    from cloudmock.services.ec2.models.backend import Ec2Backend
    from cloudmock.services.ec2.models.images import Image, ImageDevice
    from cloudmock.services.ec2.models.instances import BlockDeviceSpec, LaunchSpec

#: the root device of an instance launched from an AMI the mock does not know
DEFAULT_ROOT_DEVICE = "/dev/sda1"


@dataclass(frozen=True)
class PlannedVolume:
    """One EBS volume a launch creates and attaches."""

    device_name: str
    size_gib: int
    volume_type: str
    iops: int | None
    throughput: int | None
    encrypted: bool
    kms_key_id: str | None
    snapshot_id: str
    delete_on_termination: bool


@dataclass(frozen=True)
class _Source:
    """What a snapshot brings to a new volume: its size and encryption."""

    snapshot_id: str
    size_gib: int | None
    encrypted: bool
    kms_key_id: str | None


def _image_of(backend: Ec2Backend, spec: LaunchSpec) -> Image | None:
    images = getattr(backend, "images", None)
    return images.for_launch(spec) if images is not None else None


def _from_image_device(backend: Ec2Backend, device: ImageDevice) -> _Source | None:
    if not device.snapshot_id:
        return None
    # an own or shared image's snapshot is a real one: its size and key win
    real = backend.snapshots.registry.get(device.snapshot_id)
    if real is not None:
        return _Source(real.id, real.volume_size_gib, real.encrypted, real.kms_key_id)
    return _Source(
        device.snapshot_id, device.volume_size, bool(device.encrypted), device.kms_key_id
    )


def _too_small(size: int, source: _Source) -> ServiceError:
    return ServiceError(
        f"Volume of size {size}GB is smaller than snapshot '{source.snapshot_id}', "
        f"expect size >= {source.size_gib}GB",
        code="InvalidBlockDeviceMapping",
    )


def plan_volumes(backend: Ec2Backend, spec: LaunchSpec) -> list[PlannedVolume]:
    """The volumes ``spec`` launches with, root first, or the error EC2 gives for them."""
    image = _image_of(backend, spec)
    if image is None and not spec.block_devices:
        return [_default_root(backend)]
    image_devices: dict[str, ImageDevice] = {}
    root_name = DEFAULT_ROOT_DEVICE
    if image is not None:
        image_devices = {d.device_name: d for d in image.devices}
        root_name = image.root_device_name or DEFAULT_ROOT_DEVICE
    # an image's snapshots may be named again in the request (same image, other device)
    image_snapshots = {
        d.snapshot_id: d for d in image_devices.values() if d.snapshot_id and d.is_ebs
    }
    requested: dict[str, BlockDeviceSpec] = {d.device_name: d for d in spec.block_devices}
    names = list(dict.fromkeys([root_name, *image_devices, *requested]))
    planned = []
    for name in names:
        base = image_devices.get(name)
        wanted = requested.get(name)
        if wanted is not None and (wanted.no_device or wanted.virtual_name):
            continue  # suppressed, or an instance-store volume: no EBS volume
        if wanted is None and base is not None and not base.is_ebs:
            continue
        volume = _plan_one(backend, name, base, wanted, image_snapshots, name == root_name)
        if volume is not None:
            planned.append(volume)
    return planned


def _default_root(backend: Ec2Backend) -> PlannedVolume:
    """The one volume of a launch with no image mappings and none asked for: the same for
    every launch while the account's EBS encryption defaults stay as they are."""
    volumes = backend.volumes
    key = (volumes.encryption_by_default, volumes.default_kms_key)
    cached = volumes.default_root_plan
    if cached is not None and cached[0] == key:
        return cached[1]
    planned = _plan_one(backend, DEFAULT_ROOT_DEVICE, None, None, {}, True)
    assert planned is not None  # a root is always planned
    volumes.default_root_plan = (key, planned)
    return planned


def _plan_one(
    backend: Ec2Backend,
    name: str,
    base: ImageDevice | None,
    wanted: BlockDeviceSpec | None,
    image_snapshots: dict[str, ImageDevice],
    root: bool,
) -> PlannedVolume | None:
    volumes = backend.volumes
    if base is not None and not base.is_ebs:
        base = None  # the request turns an image's instance store into an EBS volume
    source: _Source | None = None
    if wanted is not None and wanted.snapshot_id:
        own = image_snapshots.get(wanted.snapshot_id)
        if own is not None:
            source = _from_image_device(backend, own)
        else:
            snapshot = backend.snapshots.usable(wanted.snapshot_id)
            source = _Source(
                snapshot.id, snapshot.volume_size_gib, snapshot.encrypted, snapshot.kms_key_id
            )
    elif base is not None:
        source = _from_image_device(backend, base)
    if base is None and wanted is None and not root:
        return None
    # the request's values override the image's, field by field
    kind = (wanted.volume_type if wanted else None) or (base.volume_type if base else None)
    kind = kind or "gp2"
    same_kind = base is not None and (wanted is None or wanted.volume_type in (None, kind))
    iops = wanted.iops if wanted and wanted.iops is not None else None
    if iops is None and same_kind and base is not None:
        iops = base.iops
    throughput = wanted.throughput if wanted and wanted.throughput is not None else None
    if throughput is None and same_kind and base is not None:
        throughput = base.throughput
    size = wanted.volume_size if wanted else None
    if size is None and base is not None:
        size = base.volume_size
    source_size = source.size_gib if source is not None else None
    if size is None:
        size = source_size or DEFAULT_ROOT_SIZE_GIB
    if source is not None and source_size is not None and size < source_size:
        raise _too_small(size, source)
    iops, throughput = volumes.check_performance(kind, size, iops, throughput, creating=True)
    asked = wanted.encrypted if wanted else None
    if asked is None and base is not None and base.encrypted:
        asked = True
    if asked is False and source is not None and source.encrypted:
        raise ServiceError(
            f"The snapshot '{source.snapshot_id}' is encrypted: a volume restored from it "
            "cannot be unencrypted.",
            code="InvalidBlockDeviceMapping",
        )
    encrypted, key = volumes.encryption(
        asked or None, base.kms_key_id if base and asked else None, source
    )
    delete = wanted.delete_on_termination if wanted else None
    if delete is None:
        delete = base.delete_on_termination if base is not None else True
    return PlannedVolume(
        device_name=name,
        size_gib=size,
        volume_type=kind,
        iops=iops,
        throughput=throughput,
        encrypted=encrypted,
        kms_key_id=key,
        snapshot_id=source.snapshot_id if source is not None else "",
        delete_on_termination=delete,
    )
