"""AMIs: the public catalogue, the account's own images, sharing, and the launch checks.

Three kinds of image are visible to an account in a region: its own (this module's
store), images other accounts shared with it or made public (``backend.shared``
holds every image with a launch permission, by region), and the public catalogue
(models/ami_catalogue.py), built for a region the first time something there asks.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from cloudmock.core.errors import (
    InvalidParameterCombination,
    InvalidParameterValue,
    ServiceError,
)
from cloudmock.services.ec2.models.ami_catalogue import (
    CatalogueRow,
    image_id,
    parse_date,
    raw_catalogue,
    snapshot_id,
)
from cloudmock.services.ec2.models.base import Resource, ResourceKind, Store
from cloudmock.services.ec2.models.fpga_images import FpgaImages
from cloudmock.services.ec2.models.image_tasks import ImageTasks
from cloudmock.services.ec2.models.instance_types import architecture as type_architecture
from cloudmock.services.ec2.models.snapshots import Snapshot

if TYPE_CHECKING:
    from cloudmock.services.ec2.models.backend import Ec2Backend
    from cloudmock.services.ec2.models.instances import Instance, LaunchSpec
    from cloudmock.services.ec2.shapes import (
        BlockDeviceMapping,
        ImageCriterion,
        ImageMetadata,
        ImageWatermarkFilterResponse,
        LaunchPermission,
    )
    from cloudmock.services.ec2.shapes import Image as ImageShape
    from cloudmock.services.ec2.shapes import ImageWatermark as ImageWatermarkShape


@dataclass(frozen=True)
class _ImageKind(ResourceKind):
    """EC2 names missing images in brackets: ``The image id '[ami-1234abcd]' does not exist``."""

    def not_found(self, ids: Iterable[str]) -> ServiceError:
        ids = list(ids)
        if len(ids) == 1:
            message = f"The image id '[{ids[0]}]' does not exist"
        else:
            message = f"The image ids '[{', '.join(ids)}]' do not exist"
        return ServiceError(message, code="InvalidAMIID.NotFound")


IMAGE = _ImageKind("ami", "image", "InvalidAMIID", "image id")

#: AWS gives every public AMI a deprecation time two years after its creation
PUBLIC_DEPRECATION = timedelta(days=730)
#: how long deregistration protection outlives its disabling when enabled "with cooldown"
PROTECTION_COOLDOWN = timedelta(hours=24)
#: DeprecateAt may be at most this far ahead
MAX_DEPRECATION = timedelta(days=3650)
#: "ami-" and 17 hex digits, as every catalogue id
_PUBLIC_ID_LENGTH = 21
OWNER_ALIASES = ("amazon", "aws-marketplace", "aws-backup-vault")
_ACCOUNT = re.compile(r"^\d{12}$")
_AMI_NAME = re.compile(r"^[A-Za-z0-9()\[\]./\-'@_ ]{3,128}$")
_ORG_ARN = re.compile(r"^arn:aws[a-z-]*:organizations::\d{12}:organization/o-[a-z0-9]{10,32}$")
_OU_ARN = re.compile(
    r"^arn:aws[a-z-]*:organizations::\d{12}:ou/o-[a-z0-9]{10,32}/ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}$"
)


def format_date(moment: datetime) -> str:
    """EC2's CreationDate / DeprecationTime text: ``2024-01-30T22:41:12.000Z``."""
    moment = moment.astimezone(timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _not_authorized(image_id: str) -> ServiceError:
    return ServiceError(f"Not authorized for image:{image_id}", code="AuthFailure")


@dataclass(slots=True)
class ImageDevice:
    """One block-device mapping of an image."""

    device_name: str
    snapshot_id: str | None = None
    volume_size: int | None = None
    volume_type: str | None = None
    delete_on_termination: bool = True
    encrypted: bool | None = None
    iops: int | None = None
    throughput: int | None = None
    kms_key_id: str | None = None
    no_device: bool = False
    virtual_name: str | None = None

    @property
    def is_ebs(self) -> bool:
        return not self.no_device and self.virtual_name is None

    def describe(self) -> BlockDeviceMapping:
        out: BlockDeviceMapping = {"DeviceName": self.device_name}
        if self.virtual_name is not None:
            out["VirtualName"] = self.virtual_name
            return out
        if self.no_device:
            out["NoDevice"] = ""
            return out
        ebs: dict[str, Any] = {"DeleteOnTermination": self.delete_on_termination}
        if self.snapshot_id:
            ebs["SnapshotId"] = self.snapshot_id
        if self.volume_size is not None:
            ebs["VolumeSize"] = self.volume_size
        ebs["VolumeType"] = self.volume_type or "gp2"
        if self.iops is not None:
            ebs["Iops"] = self.iops
        if self.throughput is not None:
            ebs["Throughput"] = self.throughput
        if self.kms_key_id:
            ebs["KmsKeyId"] = self.kms_key_id
        ebs["Encrypted"] = bool(self.encrypted)
        out["Ebs"] = ebs  # type: ignore[typeddict-item]
        return out


@dataclass(frozen=True)
class Watermark:
    """A watermark: where it was first attached travels with every derived image."""

    key: str
    source_image_id: str
    source_region: str
    source_created: datetime
    attached: datetime

    def describe(self) -> ImageWatermarkShape:
        return {
            "WatermarkKey": self.key,
            "SourceImageRegion": self.source_region,
            "SourceImageId": self.source_image_id,
            "SourceImageCreationTime": self.source_created,
            "WatermarkCreationTime": self.attached,
        }


@dataclass(slots=True)
class Image(Resource):
    owner_id: str
    region: str
    name: str
    created: datetime
    architecture: str = "x86_64"
    description: str = ""
    image_location: str = ""
    root_device_name: str = "/dev/sda1"
    root_device_type: str = "ebs"
    devices: list[ImageDevice] = field(default_factory=list)
    virtualization_type: str = "hvm"
    hypervisor: str = "xen"
    image_type: str = "machine"
    platform: str = ""
    platform_details: str = "Linux/UNIX"
    usage_operation: str = "RunInstances"
    owner_alias: str = ""
    ena_support: bool | None = None
    sriov_net_support: str | None = None
    boot_mode: str | None = None
    tpm_support: str | None = None
    uefi_data: str | None = None
    imds_support: str | None = None
    kernel_id: str | None = None
    ramdisk_id: str | None = None
    #: pending -> available on the clock; disabled (DisableImage); failed
    state: str = "pending"
    state_reason: tuple[str, str] | None = None
    launch_users: set[str] = field(default_factory=set)
    launch_groups: set[str] = field(default_factory=set)
    launch_organizations: set[str] = field(default_factory=set)
    launch_units: set[str] = field(default_factory=set)
    product_codes: tuple[tuple[str, str], ...] = ()
    deprecation_time: datetime | None = None
    #: "disabled", "enabled" or "enabled-with-cooldown"
    protection: str = "disabled"
    #: protection still holds until then (disabled after being enabled with cooldown)
    protected_until: datetime | None = None
    last_launched: datetime | None = None
    source_instance_id: str | None = None
    source_image_id: str | None = None
    source_image_region: str | None = None
    free_tier_eligible: bool = False
    #: the SSM parameters (``/aws/service/...``) that follow this image's line
    ssm_parameters: tuple[str, ...] = ()
    #: a public catalogue image (the same object for every account of the region)
    catalogue: bool = False
    #: bumped when a scheduled transition must no longer apply
    generation: int = 0
    watermarks: tuple[Watermark, ...] = ()
    _shown: ImageShape | None = None

    @property
    def public(self) -> bool:
        return "all" in self.launch_groups

    @property
    def shared(self) -> bool:
        return bool(
            self.launch_users
            or self.launch_groups
            or self.launch_organizations
            or self.launch_units
        )

    def deprecated(self, now: datetime) -> bool:
        return self.deprecation_time is not None and self.deprecation_time <= now

    def protected(self, now: datetime) -> bool:
        if self.protection != "disabled":
            return True
        return self.protected_until is not None and now < self.protected_until

    def protection_text(self, now: datetime) -> str:
        if self.protection == "disabled" and self.protected_until and now < self.protected_until:
            return f"disabled-until {format_date(self.protected_until)}"
        return self.protection

    def launch_permissions(self) -> list[LaunchPermission]:
        out: list[LaunchPermission] = [{"Group": g} for g in sorted(self.launch_groups)]
        out += [{"UserId": u} for u in sorted(self.launch_users)]
        out += [{"OrganizationArn": o} for o in sorted(self.launch_organizations)]
        out += [{"OrganizationalUnitArn": u} for u in sorted(self.launch_units)]
        return out

    def describe(
        self,
        *,
        viewer: str | None = None,
        now: datetime | None = None,
        allowed: bool | None = None,
    ) -> ImageShape:
        """The Image shape as ``viewer`` (default: the owner) sees it at ``now`` (default: when
        it was made; the state endpoint's view)."""
        viewer = self.owner_id if viewer is None else viewer
        now = self.created if now is None else now
        if self.catalogue:
            # public images never change: their view is made once
            if self._shown is None:
                self._shown = self._describe(viewer, now)
            shown = dict(self._shown)
        else:
            shown = dict(self._describe(viewer, now))
        if allowed is not None:
            shown["ImageAllowed"] = allowed
        return shown  # type: ignore[return-value]

    def _describe(self, viewer: str, now: datetime) -> ImageShape:
        out: ImageShape = {
            "PlatformDetails": self.platform_details,
            "UsageOperation": self.usage_operation,
            "BlockDeviceMappings": [d.describe() for d in self.devices],
            "Hypervisor": self.hypervisor,
            "Name": self.name,
            "RootDeviceName": self.root_device_name,
            "RootDeviceType": self.root_device_type,
            "VirtualizationType": self.virtualization_type,
            "ImageId": self.id,
            "ImageLocation": self.image_location,
            "State": self.state,
            "OwnerId": self.owner_id,
            "CreationDate": format_date(self.created),
            "Public": self.public,
            "Architecture": self.architecture,
            "ImageType": self.image_type,
            "FreeTierEligible": self.free_tier_eligible,
        }
        if self.description:
            out["Description"] = self.description
        if self.ena_support is not None:
            out["EnaSupport"] = self.ena_support
        if self.sriov_net_support:
            out["SriovNetSupport"] = self.sriov_net_support
        if self.owner_alias:
            out["ImageOwnerAlias"] = self.owner_alias
        if self.platform:
            out["Platform"] = self.platform
        if self.boot_mode:
            out["BootMode"] = self.boot_mode
        if self.tpm_support:
            out["TpmSupport"] = self.tpm_support
        if self.imds_support:
            out["ImdsSupport"] = self.imds_support
        if self.kernel_id:
            out["KernelId"] = self.kernel_id
        if self.ramdisk_id:
            out["RamdiskId"] = self.ramdisk_id
        if self.deprecation_time is not None:
            out["DeprecationTime"] = format_date(self.deprecation_time)
        if self.state_reason is not None:
            out["StateReason"] = {"Code": self.state_reason[0], "Message": self.state_reason[1]}
        if self.product_codes:
            out["ProductCodes"] = [
                {"ProductCodeId": code, "ProductCodeType": kind}
                for code, kind in self.product_codes
            ]
        if self.source_instance_id:
            out["SourceInstanceId"] = self.source_instance_id
        if self.watermarks:
            out["ImageWatermarks"] = [w.describe() for w in self.watermarks]
        if self.source_image_id:
            out["SourceImageId"] = self.source_image_id
            out["SourceImageRegion"] = self.source_image_region or self.region
        if viewer == self.owner_id:
            out["DeregistrationProtection"] = self.protection_text(now)
            if self.last_launched is not None:
                out["LastLaunchedTime"] = format_date(self.last_launched)
            if self.tags:
                out["Tags"] = self.tag_list()
        return out

    def metadata(self, allowed: bool | None) -> ImageMetadata:
        out: ImageMetadata = {
            "ImageId": self.id,
            "Name": self.name,
            "OwnerId": self.owner_id,
            "State": self.state,
            "CreationDate": format_date(self.created),
            "IsPublic": self.public,
        }
        if self.owner_alias:
            out["ImageOwnerAlias"] = self.owner_alias
        if self.deprecation_time is not None:
            out["DeprecationTime"] = format_date(self.deprecation_time)
        if allowed is not None:
            out["ImageAllowed"] = allowed
        if self.watermarks:
            out["ImageWatermarks"] = [w.describe() for w in self.watermarks]
        return out


# -- the public catalogue of a region: built once per process and region, on first use


@dataclass
class RegionCatalogue:
    by_id: dict[str, Image]
    #: owner account id or alias -> images, in catalogue order
    by_owner: dict[str, list[Image]]
    all: list[Image]


_catalogues: dict[str, RegionCatalogue] = {}
_catalogue_lock = threading.Lock()


def catalogue_for(region: str) -> RegionCatalogue:
    found = _catalogues.get(region)
    if found is None:
        with _catalogue_lock:
            found = _catalogues.get(region)
            if found is None:
                found = _catalogues[region] = _build_catalogue(region)
    return found


def _build_catalogue(region: str) -> RegionCatalogue:
    raw = raw_catalogue()
    parameters = {line.id: line.parameters for line in raw.lines}
    images = [_public_image(region, row, parameters.get(row.line, ())) for row in raw.rows]
    by_owner: dict[str, list[Image]] = {}
    for image in images:
        by_owner.setdefault(image.owner_id, []).append(image)
        if image.owner_alias:
            by_owner.setdefault(image.owner_alias, []).append(image)
    return RegionCatalogue({i.id: i for i in images}, by_owner, images)


def _public_image(region: str, row: CatalogueRow, parameters: tuple[str, ...]) -> Image:
    created = parse_date(row.creation_date)
    prefix = row.owner_alias or row.owner_id
    return Image(
        id=image_id(region, row.name),
        owner_id=row.owner_id,
        region=region,
        name=row.name,
        created=created,
        architecture=row.architecture,
        description=row.description,
        image_location=f"{prefix}/{row.name}",
        root_device_name=row.root_device_name,
        devices=[
            ImageDevice(
                row.root_device_name,
                snapshot_id=snapshot_id(region, row.name),
                volume_size=row.volume_size,
                volume_type=row.volume_type,
                encrypted=False,
            )
        ],
        platform=row.platform,
        platform_details=row.platform_details,
        usage_operation=row.usage_operation,
        owner_alias=row.owner_alias,
        ena_support=True,
        sriov_net_support="simple",
        boot_mode=row.boot_mode or None,
        tpm_support=row.tpm_support or None,
        imds_support=row.imds_support or None,
        state="available",
        launch_groups={"all"},
        deprecation_time=created + PUBLIC_DEPRECATION,
        free_tier_eligible=True,
        ssm_parameters=parameters,
        catalogue=True,
    )


# -- allowed images (the account's Allowed AMIs settings)


@dataclass
class Criterion:
    providers: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    product_codes: tuple[str, ...] = ()
    max_days_since_created: int | None = None
    max_days_since_deprecated: int | None = None
    #: (watermark key, source region or None, max days since source created, since attached)
    watermarks: tuple[tuple[str, str | None, int | None, int | None], ...] = ()

    def matches(self, image: Image, now: datetime) -> bool:
        if self.watermarks and not any(
            _watermark_matches(w, wanted, now)
            for w in image.watermarks
            for wanted in self.watermarks
        ):
            return False
        if self.providers and not any(_provided_by(image, p) for p in self.providers):
            return False
        if self.names and not any(_wildcard(n).fullmatch(image.name) for n in self.names):
            return False
        if self.product_codes and not any(
            code in self.product_codes for code, _ in image.product_codes
        ):
            return False
        if self.max_days_since_created is not None and now - image.created > timedelta(
            days=self.max_days_since_created
        ):
            return False
        limit = self.max_days_since_deprecated
        deprecated = image.deprecation_time
        return limit is None or deprecated is None or now - deprecated <= timedelta(days=limit)

    def describe(self) -> ImageCriterion:
        out: ImageCriterion = {}
        if self.providers:
            out["ImageProviders"] = list(self.providers)
        if self.names:
            out["ImageNames"] = list(self.names)
        if self.product_codes:
            out["MarketplaceProductCodes"] = list(self.product_codes)
        if self.max_days_since_created is not None:
            out["CreationDateCondition"] = {"MaximumDaysSinceCreated": self.max_days_since_created}
        if self.watermarks:
            out["ImageWatermarks"] = [_watermark_criterion(w) for w in self.watermarks]
        if self.max_days_since_deprecated is not None:
            out["DeprecationTimeCondition"] = {
                "MaximumDaysSinceDeprecated": self.max_days_since_deprecated
            }
        return out


def _watermark_matches(
    watermark: Watermark,
    wanted: tuple[str, str | None, int | None, int | None],
    now: datetime,
) -> bool:
    key, region, since_source, since_attached = wanted
    if watermark.key != key or (region is not None and watermark.source_region != region):
        return False
    if since_source is not None and now - watermark.source_created > timedelta(days=since_source):
        return False
    return since_attached is None or now - watermark.attached <= timedelta(days=since_attached)


def _watermark_criterion(
    wanted: tuple[str, str | None, int | None, int | None],
) -> ImageWatermarkFilterResponse:
    key, region, since_source, since_attached = wanted
    out: ImageWatermarkFilterResponse = {"WatermarkKey": key}
    if region is not None:
        out["SourceImageRegion"] = region
    if since_source is not None:
        out["MaximumDaysSinceSourceImageCreated"] = since_source
    if since_attached is not None:
        out["MaximumDaysSinceWatermarkCreated"] = since_attached
    return out


def _provided_by(image: Image, provider: str) -> bool:
    if provider in OWNER_ALIASES:
        return image.owner_alias == provider
    if provider == "none":
        # "none": images whose owner is an account with no alias
        return not image.owner_alias
    return image.owner_id == provider


def _wildcard(pattern: str) -> re.Pattern[str]:
    return name_pattern([pattern])


@lru_cache(maxsize=256)
def _pattern(values: tuple[str, ...]) -> re.Pattern[str]:
    parts = []
    for value in values:
        parts.append(
            "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in value)
        )
    return re.compile("|".join(f"(?:{p})" for p in parts), re.DOTALL)


def name_pattern(values: Sequence[str]) -> re.Pattern[str]:
    """One pattern for filter values with EC2's wildcards (``*``, ``?``), any of which may match."""
    return _pattern(tuple(values))


# -- the family

#: the size of a copied snapshot whose source does not say
DEFAULT_SNAPSHOT_SIZE = 8


@dataclass(frozen=True)
class NewDevice:
    """A block-device mapping as RegisterImage / CreateImage / CopyImage ask for it."""

    device_name: str
    snapshot_id: str | None = None
    volume_size: int | None = None
    volume_type: str | None = None
    delete_on_termination: bool | None = None
    encrypted: bool | None = None
    iops: int | None = None
    throughput: int | None = None
    kms_key_id: str | None = None
    no_device: bool = False
    virtual_name: str | None = None

    def is_ebs(self) -> bool:
        return not self.no_device and self.virtual_name is None


class Images:
    """The images of one account in one region, and what it can see of everyone else's."""

    def __init__(self, backend: Ec2Backend) -> None:
        self.backend = backend
        self.store: Store[Image] = backend.new_store(IMAGE)
        self.store.add_index("name", lambda i: i.name)
        #: snapshot id -> ids of this account's images built on it
        self._by_snapshot: dict[str, set[str]] = {}
        self.block_public_access = "unblocked"
        self.allowed_state = "disabled"
        self.criteria: list[Criterion] = []
        self._copy_tokens: dict[str, str] = {}
        self.tasks = ImageTasks(backend)
        #: image id -> account -> its instances (not terminated) launched from the image, in
        #: this region: one record for DescribeImageReferences (this account's) and usage
        #: reports (every account's)
        self._usage = self.tasks.usage()
        self.fpga = FpgaImages(backend)
        backend.depends_on("snap", self._snapshot_user)
        backend.instances.launch_checks.append(self._check_launch)
        backend.instances.on_launch.append(self._launched)
        backend.instances.on_enter("terminated", self._instance_state)

    # -- what an account can see

    @property
    def catalogue(self) -> RegionCatalogue:
        return catalogue_for(self.backend.region)

    def _shared_here(self) -> dict[str, Image]:
        """Every image of this region that has a launch permission, whoever owns it."""
        regions: dict[str, dict[str, Image]] = self.backend.shared.setdefault("images", {})
        return regions.setdefault(self.backend.region, {})

    def _update_sharing(self, image: Image) -> None:
        shared = self._shared_here()
        if image.shared and image.state != "disabled":
            shared[image.id] = image
        else:
            shared.pop(image.id, None)

    def _visible_to_me(self, image: Image) -> bool:
        me = self.backend.account_id
        return image.owner_id == me or image.public or me in image.launch_users

    def find(self, image_id: str) -> Image | None:
        """The image ``image_id`` as this account sees it (own, shared with it, public), or None."""
        own = self.store.find(image_id)
        if own is not None:
            return own
        shared = self._shared_here().get(image_id)
        if shared is not None and self._visible_to_me(shared):
            return shared
        if len(image_id) != _PUBLIC_ID_LENGTH:
            return None  # no public image has a short id: the catalogue need not be read
        return self.catalogue.by_id.get(image_id)

    def get(self, image_id: str) -> Image:
        """A visible image, or EC2's Malformed / NotFound."""
        found = self.find(image_id)
        if found is None:
            self.store.check_id(image_id)
            raise IMAGE.not_found([image_id])
        return found

    def get_many(self, ids: Sequence[str]) -> list[Image]:
        ids = list(dict.fromkeys(ids))
        found = {i: self.find(i) for i in ids}
        for value, image in found.items():
            if image is None:
                self.store.check_id(value)
        missing = [i for i, image in found.items() if image is None]
        if missing:
            raise IMAGE.not_found(missing)
        return [image for image in found.values() if image is not None]

    def owned(self, image_id: str) -> Image:
        """An image of this account: NotFound if invisible, AuthFailure if someone else's."""
        image = self.get(image_id)
        if image.owner_id != self.backend.account_id:
            raise _not_authorized(image_id)
        return image

    def allowed(self, image: Image, now: datetime) -> bool | None:
        """Whether Allowed AMIs lets this account use ``image`` (None: the setting is off)."""
        if self.allowed_state == "disabled":
            return None
        if image.owner_id == self.backend.account_id:
            return True
        return any(c.matches(image, now) for c in self.criteria)

    def describe_set(
        self,
        ids: Sequence[str] | None,
        owners: Sequence[str] | None,
        users: Sequence[str] | None,
        include_deprecated: bool,
        include_disabled: bool,
    ) -> list[Image]:
        """DescribeImages before its filters: what the ids, owners and users scope to."""
        me = self.backend.account_id
        now = self.backend.clock.now()
        if ids:
            items = self.get_many(ids)
        else:
            items = self._by_owners(owners) if owners else self._everything()
            if users:
                items = [i for i in items if any(self._executable_by(i, u) for u in users)]
            if not include_deprecated:
                items = [i for i in items if i.owner_id == me or not i.deprecated(now)]
        if not include_disabled:
            items = [i for i in items if i.state != "disabled"]
        if self.allowed_state == "enabled":
            # only allowed images are discoverable (an account's own always are)
            items = [i for i in items if self.allowed(i, now)]
        return items

    def _everything(self) -> list[Image]:
        me = self.backend.account_id
        others = [
            i for i in self._shared_here().values() if i.owner_id != me and self._visible_to_me(i)
        ]
        return [*self.catalogue.all, *others, *self.store]

    def _by_owners(self, owners: Sequence[str]) -> list[Image]:
        me = self.backend.account_id
        found: dict[str, Image] = {}
        for owner in owners:
            if owner == "self":
                owner = me
            if owner not in OWNER_ALIASES and not _ACCOUNT.match(owner):
                raise ServiceError(f'Invalid user id: "{owner}"', code="InvalidUserID.Malformed")
            if owner == me:
                found.update((i.id, i) for i in self.store)
                continue
            for image in self.catalogue.by_owner.get(owner, ()):
                found[image.id] = image
            for image in self._shared_here().values():
                if owner in (image.owner_id, image.owner_alias) and self._visible_to_me(image):
                    found[image.id] = image
        return list(found.values())

    def _executable_by(self, image: Image, user: str) -> bool:
        me = self.backend.account_id
        if user == "all":
            return image.public
        if user == "self":
            user = me
        elif not _ACCOUNT.match(user):
            raise ServiceError(f'Invalid user id: "{user}"', code="InvalidUserID.Malformed")
        if user == me:
            return image.owner_id != me and me in image.launch_users
        return image.owner_id == me and user in image.launch_users

    # -- creating images

    def check_name(self, name: str) -> None:
        if not _AMI_NAME.match(name):
            raise ServiceError(
                "AMI names must be between 3 and 128 characters long, and may contain letters, "
                "numbers, '(', ')', '.', '-', '/' and '_'",
                code="InvalidAMIName.Malformed",
            )
        taken = self.store.lookup("name", name)
        if taken:
            raise ServiceError(
                f"AMI name {name} is already in use by AMI {taken[0].id}",
                code="InvalidAMIName.Duplicate",
            )

    def check_devices(
        self, devices: Sequence[NewDevice], root_device_name: str | None, *, need_root: bool
    ) -> None:
        """RegisterImage's mappings: snapshots must exist, EBS volumes need a size or snapshot."""
        seen: set[str] = set()
        snapshots = self.backend.snapshots.store
        for device in devices:
            if device.device_name in seen:
                raise ServiceError(
                    f"The device '{device.device_name}' is used in more than one block-device "
                    "mapping",
                    code="InvalidBlockDeviceMapping",
                )
            seen.add(device.device_name)
            if device.no_device or device.virtual_name is not None:
                continue
            if device.snapshot_id:
                snapshot = snapshots.get(device.snapshot_id)
                if device.volume_size is not None and device.volume_size < snapshot.volume_size_gib:
                    # instances launched from it could not restore the snapshot (EBS's rule)
                    raise ServiceError(
                        f"Volume of size {device.volume_size}GB is smaller than snapshot "
                        f"'{snapshot.id}', expect size >= {snapshot.volume_size_gib}GB",
                        code="InvalidBlockDeviceMapping",
                    )
            elif device.volume_size is None:
                raise InvalidParameterValue(
                    f"The block device mapping for {device.device_name} must specify a snapshot "
                    "ID or a volume size."
                )
        if need_root and root_device_name not in seen:
            raise InvalidParameterValue(
                f"The root device name {root_device_name} must be in the block device mapping."
            )

    def add(self, image: Image, *, available_after: float | None = None) -> Image:
        """Store a new image of this account; it becomes available on the clock."""
        self.store.add(image)
        for device in image.devices:
            if device.snapshot_id:
                self._by_snapshot.setdefault(device.snapshot_id, set()).add(image.id)
        delay = (
            self.backend.options.transition_delay if available_after is None else available_after
        )
        if image.state == "pending":
            self.backend.schedule(delay, image, self._available)
        return image

    def _available(self, image: Image) -> None:
        if image.state == "pending":
            image.state = "available"

    def new_devices(self, devices: Sequence[NewDevice]) -> list[ImageDevice]:
        snapshots = self.backend.snapshots.store
        out = []
        for device in devices:
            size = device.volume_size
            encrypted = device.encrypted
            if device.snapshot_id and device.is_ebs():
                snapshot = snapshots.get(device.snapshot_id)
                size = size or snapshot.volume_size_gib
                encrypted = snapshot.encrypted if encrypted is None else encrypted
            out.append(
                ImageDevice(
                    device.device_name,
                    snapshot_id=device.snapshot_id,
                    volume_size=size,
                    volume_type=device.volume_type,
                    delete_on_termination=True
                    if device.delete_on_termination is None
                    else device.delete_on_termination,
                    encrypted=encrypted,
                    iops=device.iops,
                    throughput=device.throughput,
                    kms_key_id=device.kms_key_id,
                    no_device=device.no_device,
                    virtual_name=device.virtual_name,
                )
            )
        return out

    def create_from_instance(
        self,
        instance: Instance,
        name: str,
        description: str,
        overrides: Sequence[NewDevice],
        boot_mode: str | None,
        no_reboot: bool,
        tags: dict[str, dict[str, str]],
    ) -> Image:
        """CreateImage past its commit point: snapshot the instance's volumes, make the image."""
        backend = self.backend
        source = self.find(instance.image_id)
        image_id_ = backend.ids.new("ami")
        by_name = {d.device_name: d for d in overrides}
        devices: list[ImageDevice] = []
        for attached in instance.block_devices:
            wanted = by_name.pop(attached.device_name, None)
            if wanted is not None and wanted.no_device:
                continue
            volume = backend.volumes.get(attached.volume_id)
            snapshot = backend.snapshots.create_from_volume(
                volume,
                f"Created by CreateImage({instance.id}) for {image_id_}",
                tags.get("snapshot"),
            )
            devices.append(
                ImageDevice(
                    attached.device_name,
                    snapshot_id=snapshot.id,
                    volume_size=(wanted.volume_size if wanted else None) or volume.size_gib,
                    volume_type=(wanted.volume_type if wanted else None) or volume.volume_type,
                    delete_on_termination=attached.delete_on_termination
                    if wanted is None or wanted.delete_on_termination is None
                    else wanted.delete_on_termination,
                    encrypted=volume.encrypted,
                    iops=(wanted.iops if wanted else None) or volume.iops,
                    throughput=(wanted.throughput if wanted else None) or volume.throughput,
                )
            )
        # mappings for devices the instance does not have: new blank volumes or instance stores
        devices += self.new_devices([d for d in by_name.values() if not d.no_device])
        root = source.root_device_name if source else None
        if root is None or all(d.device_name != root for d in devices):
            root = devices[0].device_name if devices else "/dev/sda1"
        image = Image(
            id=image_id_,
            owner_id=backend.account_id,
            region=backend.region,
            name=name,
            created=backend.clock.now(),
            architecture=instance.architecture,
            description=description,
            image_location=f"{backend.account_id}/{name}",
            root_device_name=root,
            devices=devices,
            platform=source.platform if source else "",
            platform_details=source.platform_details if source else "Linux/UNIX",
            usage_operation=source.usage_operation if source else "RunInstances",
            ena_support=True,
            sriov_net_support="simple",
            boot_mode=boot_mode or (source.boot_mode if source else None),
            tpm_support=source.tpm_support if source else None,
            imds_support=source.imds_support if source else None,
            source_instance_id=instance.id,
            watermarks=source.watermarks if source else (),
            tags=tags.get("image", {}),
        )
        # NoReboot=False reboots a running instance to snapshot a consistent file system;
        # the instance stays "running" throughout, as in EC2
        del no_reboot
        return self.add(image)

    def from_view(
        self,
        view: dict[str, Any],
        *,
        name: str,
        description: str | None,
        encrypted: bool,
        kms_key_id: str | None,
        source: tuple[str, str] | None,
        tags: dict[str, str],
        snapshot_note: str,
        snapshot_tags: dict[str, str] | None = None,
    ) -> Image:
        """A new image of this account made from another's DescribeImages view, with new
        snapshots of its volumes (CopyImage, restoring and importing). Past the commit point;
        the caller stores it with :meth:`add`."""
        backend = self.backend
        now = backend.clock.now()
        new_id = backend.ids.new("ami")
        devices = []
        for mapping in view.get("BlockDeviceMappings", []):
            ebs = mapping.get("Ebs")
            device = ImageDevice(mapping["DeviceName"])
            if ebs is None:
                device.virtual_name = mapping.get("VirtualName")
                device.no_device = "NoDevice" in mapping
                devices.append(device)
                continue
            size = ebs.get("VolumeSize") or DEFAULT_SNAPSHOT_SIZE
            secret = encrypted or bool(ebs.get("Encrypted"))
            key = kms_key_id or ebs.get("KmsKeyId") if secret else None
            snapshot = self._new_snapshot(
                size,
                snapshot_note.format(image=new_id, snapshot=ebs.get("SnapshotId", "")),
                secret,
                key,
                snapshot_tags,
            )
            device.snapshot_id = snapshot.id
            device.volume_size = size
            device.volume_type = ebs.get("VolumeType")
            device.delete_on_termination = ebs.get("DeleteOnTermination", True)
            device.encrypted = secret
            device.iops = ebs.get("Iops")
            device.throughput = ebs.get("Throughput")
            device.kms_key_id = key
            devices.append(device)
        return Image(
            id=new_id,
            owner_id=backend.account_id,
            region=backend.region,
            name=name,
            created=now,
            architecture=view.get("Architecture", "x86_64"),
            description=view.get("Description", "") if description is None else description,
            image_location=f"{backend.account_id}/{name}",
            root_device_name=view.get("RootDeviceName", "/dev/sda1"),
            root_device_type=view.get("RootDeviceType", "ebs"),
            devices=devices,
            virtualization_type=view.get("VirtualizationType", "hvm"),
            hypervisor=view.get("Hypervisor", "xen"),
            platform=view.get("Platform", ""),
            platform_details=view.get("PlatformDetails", "Linux/UNIX"),
            usage_operation=view.get("UsageOperation", "RunInstances"),
            ena_support=view.get("EnaSupport"),
            sriov_net_support=view.get("SriovNetSupport"),
            boot_mode=view.get("BootMode"),
            tpm_support=view.get("TpmSupport"),
            imds_support=view.get("ImdsSupport"),
            kernel_id=view.get("KernelId"),
            ramdisk_id=view.get("RamdiskId"),
            source_image_id=source[0] if source else None,
            source_image_region=source[1] if source else None,
            watermarks=tuple(
                Watermark(
                    w["WatermarkKey"],
                    w["SourceImageId"],
                    w["SourceImageRegion"],
                    w["SourceImageCreationTime"],
                    w["WatermarkCreationTime"],
                )
                for w in view.get("ImageWatermarks", [])
            ),
            tags=tags,
        )

    # The two places this family makes or deletes snapshots itself (the EBS family's
    # create_from_volume covers CreateImage): copied, restored and imported images get new
    # snapshots made from no volume of this region.

    def _new_snapshot(
        self,
        size: int,
        description: str,
        encrypted: bool,
        kms_key_id: str | None,
        tags: dict[str, str] | None,
    ) -> Snapshot:
        return self.backend.snapshots.create_detached(
            size, description, encrypted, kms_key_id, tags
        )

    def _delete_snapshot(self, snapshot_id_: str) -> bool:
        """Delete an own snapshot (DeregisterImage's DeleteAssociatedSnapshots)."""
        return self.backend.snapshots.delete_if_allowed(snapshot_id_)

    def copy_tokens(self) -> dict[str, str]:
        return self._copy_tokens

    # -- deregistering

    def deregister(self, image: Image, delete_snapshots: bool) -> list[tuple[str, str]]:
        """Remove ``image``; with ``delete_snapshots``, its snapshots no other image uses."""
        results: list[tuple[str, str]] = []
        self.store.remove(image.id)
        image.generation += 1
        image.launch_users.clear()
        image.launch_groups.clear()
        image.launch_organizations.clear()
        image.launch_units.clear()
        self._update_sharing(image)
        for device in image.devices:
            snap = device.snapshot_id
            if not snap:
                continue
            users = self._by_snapshot.get(snap, set())
            users.discard(image.id)
            if not users:
                self._by_snapshot.pop(snap, None)
            if not delete_snapshots:
                continue
            if users:
                results.append((snap, "skipped"))
            elif self._delete_snapshot(snap):
                results.append((snap, "success"))
            else:
                results.append((snap, "client-error"))
        return results

    def _snapshot_user(self, snapshot_id_: str) -> str | None:
        # DeleteSnapshot: "The snapshot snap-... is currently in use by ami-..."
        users = self._by_snapshot.get(snapshot_id_)
        return sorted(users)[0] if users else None

    # -- launch permissions

    def check_permissions(
        self,
        image: Image,
        add: Sequence[LaunchPermission],
        remove: Sequence[LaunchPermission],
    ) -> None:
        for permission in [*add, *remove]:
            _check_permission(permission)
        blocked = self.block_public_access == "block-new-sharing" and not image.public
        if blocked and any(p.get("Group") == "all" for p in add):
            raise ServiceError(
                "You can't make this AMI public because block public access for AMIs is "
                "enabled for this account in this Region.",
                code="InvalidParameter",
            )

    def apply_permissions(
        self,
        image: Image,
        add: Sequence[LaunchPermission],
        remove: Sequence[LaunchPermission],
    ) -> None:
        for permission in add:
            _permission_set(image, permission).add(_permission_value(permission))
        for permission in remove:
            _permission_set(image, permission).discard(_permission_value(permission))
        self._update_sharing(image)

    def reset_permissions(self, image: Image) -> None:
        self.apply_permissions(image, [], image.launch_permissions())

    def cancel_permission(self, image: Image) -> None:
        image.launch_users.discard(self.backend.account_id)
        self._update_sharing(image)

    def disable(self, image: Image) -> None:
        image.state = "disabled"
        image.generation += 1
        self.reset_permissions(image)

    def enable(self, image: Image) -> None:
        image.state = "available"

    # -- watermarks

    def attach_watermark(self, image: Image, name: str) -> str:
        key = f"{self.backend.account_id}:{name}"
        now = self.backend.clock.now()
        mark = Watermark(key, image.id, image.region, image.created, now)
        image.watermarks = (*image.watermarks, mark)
        return key

    def detach_watermark(self, image: Image, key: str) -> None:
        image.watermarks = tuple(w for w in image.watermarks if w.key != key)

    # -- the launch path

    def for_launch(self, spec: LaunchSpec) -> Image | None:
        """The image a launch uses: as its launch found it, else looked up now."""
        found = spec.image
        return self.find(spec.image_id) if found is None else found[0]

    def _check_launch(self, spec: LaunchSpec, zone_name: str) -> None:
        image = self.for_launch(spec)
        if image is None:
            if self.backend.options.strict_amis:
                raise IMAGE.not_found([spec.image_id])
            return  # unknown AMIs launch (tutorials use made-up ids) unless strict_amis is set
        if image.state == "disabled":
            raise ServiceError(
                f"The image id '[{image.id}]' is disabled.", code="InvalidAMIID.Unavailable"
            )
        if image.state == "pending":
            raise ServiceError(
                f"The image id '[{image.id}]' is not available yet (pending).",
                code="InvalidAMIID.Unavailable",
            )
        wanted = type_architecture(spec.instance_type)
        have = "x86_64" if image.architecture == "i386" else image.architecture
        if wanted != have:
            raise InvalidParameterValue(
                f"The architecture '{wanted}' of the specified instance type does not match the "
                f"architecture '{image.architecture}' of the specified AMI. Specify an instance "
                "type and an AMI that have matching architectures, and try again. You can use "
                "'describe-instance-types' or 'describe-images' to discover the architecture of "
                "the instance type or AMI."
            )
        if (
            self.allowed(image, self.backend.clock.now()) is False
            and self.allowed_state == "enabled"
        ):
            raise ServiceError(
                f"The image id '[{image.id}]' is not allowed by the Allowed AMIs settings of this "
                "account in this Region.",
                code="InvalidAMIID.NotFound",
            )

    def launched_from(self, image_id: str) -> set[str]:
        """This account's instances (not terminated) launched from ``image_id``."""
        return self._usage.get(image_id, {}).get(self.backend.account_id, set())

    def _launched(self, instance: Instance, spec: LaunchSpec) -> None:
        account = self.backend.account_id
        accounts = self._usage.get(instance.image_id)
        if accounts is None:
            accounts = self._usage[instance.image_id] = {}
        users = accounts.get(account)
        if users is None:
            users = accounts[account] = set()
        users.add(instance.id)
        image = self.for_launch(spec)
        if image is not None and image.owner_id == account:
            image.last_launched = instance.launch_time

    def _instance_state(self, instance: Instance, previous: str) -> None:
        accounts = self._usage.get(instance.image_id)
        users = accounts.get(self.backend.account_id) if accounts is not None else None
        if users is not None:
            users.discard(instance.id)


def _check_permission(permission: LaunchPermission) -> None:
    given = [
        k
        for k in ("UserId", "Group", "OrganizationArn", "OrganizationalUnitArn")
        if permission.get(k)
    ]
    if len(given) != 1:
        raise InvalidParameterCombination(
            "A launch permission names exactly one of UserId, Group, OrganizationArn or "
            "OrganizationalUnitArn."
        )
    user = permission.get("UserId")
    if user is not None and not _ACCOUNT.match(user):
        raise ServiceError(f'Invalid user id: "{user}"', code="InvalidUserID.Malformed")
    group = permission.get("Group")
    if group is not None and group != "all":
        raise InvalidParameterValue(f"Invalid value '{group}' for Group. Valid values: all")
    org = permission.get("OrganizationArn")
    if org is not None and not _ORG_ARN.match(org):
        raise InvalidParameterValue(f"Invalid value '{org}' for OrganizationArn.")
    unit = permission.get("OrganizationalUnitArn")
    if unit is not None and not _OU_ARN.match(unit):
        raise InvalidParameterValue(f"Invalid value '{unit}' for OrganizationalUnitArn.")


def _permission_set(image: Image, permission: LaunchPermission) -> set[str]:
    if permission.get("UserId"):
        return image.launch_users
    if permission.get("Group"):
        return image.launch_groups
    if permission.get("OrganizationArn"):
        return image.launch_organizations
    return image.launch_units


def _permission_value(permission: LaunchPermission) -> str:
    for key in ("UserId", "Group", "OrganizationArn", "OrganizationalUnitArn"):
        value = permission.get(key)
        if value:
            return str(value)
    return ""


def _devices_values(get: Callable[[ImageDevice], Any]) -> Callable[[Image], list[Any]]:
    return lambda image: [get(d) for d in image.devices if d.is_ebs]


def _watermark_time(moment: datetime) -> str:
    """The image-watermark.* filters' time text: ``YYYY-MM-DDTHH:MM:SS.ssssss+HH:MM``."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")


def _none(image: Image) -> None:
    return None


#: DescribeImages' filters (image-allowed depends on the account: the handler answers it)
IMAGE_FILTERS: dict[str, Callable[[Image], Any]] = {
    "architecture": lambda i: i.architecture,
    "block-device-mapping.delete-on-termination": _devices_values(
        lambda d: d.delete_on_termination
    ),
    "block-device-mapping.device-name": lambda i: [d.device_name for d in i.devices],
    "block-device-mapping.snapshot-id": _devices_values(lambda d: d.snapshot_id),
    "block-device-mapping.volume-size": _devices_values(lambda d: d.volume_size),
    "block-device-mapping.volume-type": _devices_values(lambda d: d.volume_type or "gp2"),
    "block-device-mapping.encrypted": _devices_values(lambda d: bool(d.encrypted)),
    "boot-mode": lambda i: i.boot_mode,
    "creation-date": lambda i: format_date(i.created),
    "description": lambda i: i.description,
    "ena-support": lambda i: i.ena_support,
    "free-tier-eligible": lambda i: i.free_tier_eligible,
    "hypervisor": lambda i: i.hypervisor,
    "image-allowed": _none,
    "image-id": lambda i: i.id,
    "image-watermark.source-image-creation-time": lambda i: [
        _watermark_time(w.source_created) for w in i.watermarks
    ],
    "image-watermark.source-image-id": lambda i: [w.source_image_id for w in i.watermarks],
    "image-watermark.source-image-region": lambda i: [w.source_region for w in i.watermarks],
    "image-watermark.watermark-creation-time": lambda i: [
        _watermark_time(w.attached) for w in i.watermarks
    ],
    "image-watermark.watermark-key": lambda i: [w.key for w in i.watermarks],
    # cloudmock records no instance-type specifications and runs no Inspector scans: these
    # filters match nothing, as they would for images without them
    "image-type": lambda i: i.image_type,
    "instance-type-specification.supported-instance-type": _none,
    "instance-type-specification.unsupported-instance-type": _none,
    "is-public": lambda i: i.public,
    "kernel-id": lambda i: i.kernel_id,
    "manifest-location": lambda i: i.image_location,
    "name": lambda i: i.name,
    "owner-alias": lambda i: i.owner_alias or None,
    "owner-id": lambda i: i.owner_id,
    "platform": lambda i: i.platform or None,
    "product-code": lambda i: [code for code, _ in i.product_codes],
    "product-code.type": lambda i: [kind for _, kind in i.product_codes],
    "public-ssm-parameter-name": lambda i: i.ssm_parameters,
    "ramdisk-id": lambda i: i.ramdisk_id,
    "root-device-name": lambda i: i.root_device_name,
    "root-device-type": lambda i: i.root_device_type,
    "scan-result.critical-fix-available-since": _none,
    "scan-result.finding-scan-date": _none,
    "scan-result.high-fix-available-since": _none,
    "scan-result.highest-finding-severity-label": _none,
    "scan-result.informational-fix-available-since": _none,
    "scan-result.low-fix-available-since": _none,
    "scan-result.medium-fix-available-since": _none,
    "source-image-id": lambda i: i.source_image_id,
    "source-image-region": lambda i: (
        i.source_image_region if i.source_image_id is None else (i.source_image_region or i.region)
    ),
    "source-instance-id": lambda i: i.source_instance_id,
    "state": lambda i: i.state,
    "state-reason-code": lambda i: i.state_reason[0] if i.state_reason else None,
    "state-reason-message": lambda i: i.state_reason[1] if i.state_reason else None,
    "sriov-net-support": lambda i: i.sriov_net_support,
    "virtualization-type": lambda i: i.virtualization_type,
}
