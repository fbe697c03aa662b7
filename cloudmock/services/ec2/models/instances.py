"""Instances: launch, the lifecycle state machine, and what describe calls see."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import lru_cache
from operator import attrgetter
from typing import TYPE_CHECKING, Any, cast

from cloudmock.core.errors import (
    InvalidParameterCombination,
    InvalidParameterValue,
    ServiceError,
)
from cloudmock.core.frozen import Frozen
from cloudmock.services.ec2.dryrun import commit
from cloudmock.services.ec2.models.base import Resource, ResourceKind, Store, new_object
from cloudmock.services.ec2.models.instance_extras import InstanceExtras
from cloudmock.services.ec2.models.instance_launch import (
    attach_interfaces,
    check_interfaces,
    check_spec,
    extras_from,
    needs_interface_path,
    primary_entry,
)
from cloudmock.services.ec2.models.instance_type_specs import spec_of, zone_offers
from cloudmock.services.ec2.models.instance_types import architecture
from cloudmock.services.ec2.models.network_interfaces import (
    NetworkInterface,
    new_interface,
    private_dns_name,
    public_dns_name,
)
from cloudmock.services.ec2.models.network_interfaces import private_domain as _private_domain
from cloudmock.services.ec2.models.network_interfaces import public_domain as _public_domain
from cloudmock.services.ec2.models.regions import Zone
from cloudmock.services.ec2.models.volumes import Volume

if TYPE_CHECKING:
    from cloudmock.services.ec2.models.backend import Ec2Backend
    from cloudmock.services.ec2.models.images import Image
    from cloudmock.services.ec2.models.security_groups import SecurityGroup
    from cloudmock.services.ec2.models.vpc_family import Network
    from cloudmock.services.ec2.models.vpcs import Subnet
    from cloudmock.services.ec2.shapes import (
        CapacityReservationSpecificationResponse,
        CpuOptions,
        EnclaveOptions,
        GroupIdentifier,
        HibernationOptions,
        InstanceBlockDeviceMapping,
        InstanceMaintenanceOptions,
        InstanceMetadataOptionsResponse,
        InstanceNetworkInterface,
        InstanceNetworkInterfaceAssociation,
        InstanceNetworkPerformanceOptions,
        InstancePrivateIpAddress,
        InstanceState,
        InstanceStateChange,
        InstanceStatus,
        InstanceStatusSummary,
        Monitoring,
        OperatorResponse,
        Placement,
        PrivateDnsNameOptionsResponse,
        Tag,
    )
    from cloudmock.services.ec2.shapes import Instance as InstanceShape

INSTANCE = ResourceKind("i", "instance", "InvalidInstanceID", "instance ID")

STATE_CODES = {
    "pending": 0,
    "running": 16,
    "shutting-down": 32,
    "terminated": 48,
    "stopping": 64,
    "stopped": 80,
}
#: states that count against the account's instance limit
ACTIVE_STATES = frozenset({"pending", "running", "stopping", "shutting-down"})
ROOT_DEVICE_NAME = "/dev/sda1"
USER_SHUTDOWN = (
    "Client.UserInitiatedShutdown",
    "Client.UserInitiatedShutdown: User initiated shutdown",
)
USER_HIBERNATE = (
    "Client.UserInitiatedHibernate",
    "Client.UserInitiatedHibernate: User initiated hibernate",
)

# What describe shows of an instance's options, shared: one Frozen per distinct value,
# which the XML writer writes once and then reuses (most instances show the same
# options). Each is keyed by the fields that decide it, so a changed option shows at
# once; the caches are bounded, as a long-running server's values need not be.

_STATES: dict[str, InstanceState] = {
    name: cast("InstanceState", Frozen(Code=code, Name=name)) for name, code in STATE_CODES.items()
}
_HIBERNATION: dict[bool, HibernationOptions] = {
    b: cast("HibernationOptions", Frozen(Configured=b)) for b in (False, True)
}
_ENCLAVE: dict[bool, EnclaveOptions] = {
    b: cast("EnclaveOptions", Frozen(Enabled=b)) for b in (False, True)
}
_NOT_MANAGED = cast("OperatorResponse", Frozen(Managed=False))


def _frozen(always: dict[str, Any], **optional: Any) -> Frozen:
    """``always``, plus each ``optional`` member that has a value (None: left out)."""
    always.update((name, value) for name, value in optional.items() if value is not None)
    return Frozen(always)


@lru_cache(maxsize=256)
def _placement(
    zone_id: str,
    group_name: str,
    tenancy: str,
    zone_name: str,
    group_id: str | None,
    partition: int | None,
    host_id: str | None,
    affinity: str | None,
    host_group_arn: str | None,
    spread_domain: str | None,
) -> Placement:
    placement = _frozen(
        {
            "AvailabilityZoneId": zone_id,
            "GroupName": group_name,
            "Tenancy": tenancy,
            "AvailabilityZone": zone_name,
        },
        GroupId=group_id,
        PartitionNumber=partition,
        HostId=host_id,
        Affinity=affinity,
        HostResourceGroupArn=host_group_arn,
        SpreadDomain=spread_domain,
    )
    return cast("Placement", placement)


@lru_cache(maxsize=64)
def _monitoring(state: str, categories: tuple[str, ...]) -> Monitoring:
    if categories:
        return cast("Monitoring", Frozen(State=state, MetricCategoryIds=list(categories)))
    return cast("Monitoring", Frozen(State=state))


@lru_cache(maxsize=256)
def _capacity(
    preference: str | None, target_id: str | None, group_arn: str | None
) -> CapacityReservationSpecificationResponse:
    capacity: dict[str, Any] = {}
    if preference:
        capacity["CapacityReservationPreference"] = preference
    if target_id:
        capacity["CapacityReservationTarget"] = Frozen(CapacityReservationId=target_id)
    elif group_arn:
        capacity["CapacityReservationTarget"] = Frozen(
            CapacityReservationResourceGroupArn=group_arn
        )
    return cast("CapacityReservationSpecificationResponse", Frozen(capacity))


@lru_cache(maxsize=64)
def _cpu(
    core_count: int | None,
    threads_per_core: int | None,
    amd_sev_snp: str | None,
    nested_virtualization: str | None,
) -> CpuOptions:
    cpu = _frozen(
        {"CoreCount": core_count, "ThreadsPerCore": threads_per_core},
        AmdSevSnp=amd_sev_snp,
        NestedVirtualization=nested_virtualization,
    )
    return cast("CpuOptions", cpu)


@lru_cache(maxsize=64)
def _metadata(
    state: str, tokens: str, hop_limit: int, endpoint: str, ipv6: str, tags: str
) -> InstanceMetadataOptionsResponse:
    return cast(
        "InstanceMetadataOptionsResponse",
        Frozen(
            State=state,
            HttpTokens=tokens,
            HttpPutResponseHopLimit=hop_limit,
            HttpEndpoint=endpoint,
            HttpProtocolIpv6=ipv6,
            InstanceMetadataTags=tags,
        ),
    )


@lru_cache(maxsize=64)
def _private_dns_options(
    hostname_type: str | None, a_record: bool | None, aaaa_record: bool | None
) -> PrivateDnsNameOptionsResponse:
    return cast(
        "PrivateDnsNameOptionsResponse",
        Frozen(
            HostnameType=hostname_type,
            EnableResourceNameDnsARecord=a_record,
            EnableResourceNameDnsAAAARecord=aaaa_record,
        ),
    )


@lru_cache(maxsize=64)
def _maintenance(auto_recovery: str | None, reboot_migration: str) -> InstanceMaintenanceOptions:
    return cast(
        "InstanceMaintenanceOptions",
        Frozen(AutoRecovery=auto_recovery, RebootMigration=reboot_migration),
    )


@lru_cache(maxsize=16)
def _network_performance(weighting: str | None) -> InstanceNetworkPerformanceOptions:
    return cast("InstanceNetworkPerformanceOptions", Frozen(BandwidthWeighting=weighting))


@lru_cache(maxsize=1024)
def _group(group_id: str, name: str) -> GroupIdentifier:
    return cast("GroupIdentifier", Frozen(GroupId=group_id, GroupName=name))


@lru_cache(maxsize=4096)
def _tag(key: str, value: str) -> Tag:
    return cast("Tag", Frozen(Key=key, Value=value))


@lru_cache(maxsize=64)
def _operator(principal: str) -> OperatorResponse:
    return cast("OperatorResponse", Frozen(Managed=True, Principal=principal))


@dataclass(slots=True)
class MetadataOptions:
    http_tokens: str = "optional"
    hop_limit: int = 1
    http_endpoint: str = "enabled"
    http_protocol_ipv6: str = "disabled"
    instance_metadata_tags: str = "disabled"

    def describe(self, state: str) -> InstanceMetadataOptionsResponse:
        return {
            "State": state,
            "HttpTokens": self.http_tokens,
            "HttpPutResponseHopLimit": self.hop_limit,
            "HttpEndpoint": self.http_endpoint,
            "HttpProtocolIpv6": self.http_protocol_ipv6,
            "InstanceMetadataTags": self.instance_metadata_tags,
        }


@dataclass(frozen=True)
class BlockDeviceSpec:
    """One BlockDeviceMappings entry of RunInstances."""

    device_name: str
    volume_size: int | None = None
    volume_type: str | None = None
    delete_on_termination: bool | None = None
    snapshot_id: str | None = None
    encrypted: bool | None = None
    iops: int | None = None
    throughput: int | None = None
    no_device: bool = False
    virtual_name: str | None = None
    #: the mapping carried an Ebs structure
    ebs: bool = False


# /dev/sda1, /dev/sdf, /dev/xvdba, xvdf (Windows), /dev/hda
_DEVICE_NAME = re.compile(r"^(?:/dev/)?(?:sd|xvd|hd)[a-z]{1,2}\d{0,2}$")
_SNAPSHOT_ID = re.compile(r"^snap-(?:[0-9a-f]{8}|[0-9a-f]{17})$")
_IOPS_TYPES = frozenset({"io1", "io2", "gp3"})


def _bad_mapping(message: str) -> ServiceError:
    return ServiceError(message, code="InvalidBlockDeviceMapping")


def check_block_devices(devices: tuple[BlockDeviceSpec, ...]) -> None:
    """What EC2 refuses in RunInstances' BlockDeviceMappings."""
    seen: set[str] = set()
    for device in devices:
        name = device.device_name
        if not _DEVICE_NAME.match(name):
            raise _bad_mapping(f"Invalid device name {name}")
        if name in seen:
            raise _bad_mapping(f"The device '{name}' is used in more than one block-device mapping")
        seen.add(name)
        if not (device.ebs or device.no_device or device.virtual_name):
            raise _bad_mapping(
                f"The block-device mapping for {name} must specify Ebs, NoDevice or VirtualName."
            )
        volume_type = device.volume_type or "gp2"
        if device.iops is not None and volume_type not in _IOPS_TYPES:
            raise InvalidParameterCombination(
                f"The parameter iops is not supported for {volume_type} volumes."
            )
        if device.iops is None and volume_type in ("io1", "io2"):
            raise InvalidParameterCombination(
                f"The parameter iops must be specified for {volume_type} volumes."
            )
        if device.throughput is not None and volume_type != "gp3":
            raise InvalidParameterCombination(
                f"The parameter throughput is not supported for {volume_type} volumes."
            )
        # whether a well-formed snapshot exists, is usable and fits: the EBS family's launch
        # check (models/launch_volumes.py), which sees the image's mappings too
        if device.snapshot_id is not None and not _SNAPSHOT_ID.match(device.snapshot_id):
            raise ServiceError(
                f'Invalid id: "{device.snapshot_id}" (expecting "snap-...")',
                code="InvalidSnapshotID.Malformed",
            )


@dataclass(frozen=True)
class InterfaceLaunch:
    """One NetworkInterfaces entry of RunInstances."""

    device_index: int | None = None
    network_interface_id: str | None = None
    subnet_id: str | None = None
    group_ids: tuple[str, ...] = ()
    description: str | None = None
    private_ip: str | None = None
    #: (address, primary) pairs of PrivateIpAddresses
    private_ips: tuple[tuple[str, bool], ...] = ()
    secondary_count: int | None = None
    ipv6_addresses: tuple[str, ...] = ()
    ipv6_count: int | None = None
    ipv4_prefixes: tuple[str, ...] = ()
    ipv4_prefix_count: int | None = None
    ipv6_prefixes: tuple[str, ...] = ()
    ipv6_prefix_count: int | None = None
    primary_ipv6: bool = False
    associate_public_ip: bool | None = None
    delete_on_termination: bool | None = None
    interface_type: str | None = None
    network_card_index: int | None = None
    ena_srd: tuple[bool | None, bool | None] | None = None
    ena_queue_count: int | None = None
    conntrack: tuple[tuple[str, int], ...] = ()

    @property
    def addressed(self) -> bool:
        """Whether the entry asks for addresses of its own (not allowed with an existing interface)."""
        return bool(
            self.private_ip
            or self.private_ips
            or self.secondary_count
            or self.ipv6_addresses
            or self.ipv6_count
            or self.ipv4_prefixes
            or self.ipv4_prefix_count
            or self.ipv6_prefixes
            or self.ipv6_prefix_count
        )


# Not frozen: a frozen dataclass sets each of its ~70 fields through object.__setattr__,
# on every launch. Nothing changes a spec once made but ``image``, which each launch
# looks up afresh.
@dataclass(slots=True)
class LaunchSpec:
    """What RunInstances asks for, typed."""

    image_id: str
    min_count: int
    max_count: int
    instance_type: str
    # The basics first, in the order RunInstances' plain path gives them (by position)
    key_name: str | None = None
    subnet_id: str | None = None
    security_group_ids: tuple[str, ...] = ()
    security_group_names: tuple[str, ...] = ()
    private_ip: str | None = None
    user_data: bytes | None = None
    tags: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()
    client_token: str | None = None
    ebs_optimized: bool = False
    metadata: MetadataOptions = field(default_factory=MetadataOptions)
    disable_api_termination: bool = False
    disable_api_stop: bool = False
    shutdown_behavior: str = "stop"
    #: the launch template (id, version number) the request used, if any
    launch_template: tuple[str, str] | None = None
    zone_name: str | None = None
    tenancy: str = "default"
    monitoring: bool = False
    block_devices: tuple[BlockDeviceSpec, ...] = ()
    # Read by other families' launch checks and hooks (Instances.launch_checks, .on_launch):
    #: Placement.GroupName / PartitionNumber (placement groups)
    placement_group: str | None = None
    partition_number: int | None = None
    #: Placement.HostId / Affinity / HostResourceGroupArn (dedicated hosts)
    host_id: str | None = None
    affinity: str | None = None
    host_resource_group_arn: str | None = None
    #: CapacityReservationSpecification: "open" / "none" preference, or a target id
    capacity_reservation_preference: str | None = None
    capacity_reservation_id: str | None = None
    capacity_reservation_group_arn: str | None = None
    #: InstanceLifecycle: None (on-demand), "spot" or "capacity-block"
    lifecycle: str | None = None
    #: the spot request an instance fulfils (spot requests, fleets), if any
    spot_request_id: str | None = None
    # The rest of RunInstances' members, recorded on the instance (InstanceExtras)
    placement_group_id: str | None = None
    spread_domain: str | None = None
    #: InstanceMarketOptions.SpotOptions: (max price, type, interruption behaviour)
    spot_options: tuple[str | None, str | None, str | None] | None = None
    #: Monitoring.MetricCategoryIds
    metric_categories: tuple[str, ...] = ()
    hibernation: bool = False
    enclave: bool = False
    #: CreditSpecification.CpuCredits (burstable types only)
    cpu_credits: str | None = None
    core_count: int | None = None
    threads_per_core: int | None = None
    amd_sev_snp: str | None = None
    nested_virtualization: str | None = None
    #: the resolved IamInstanceProfile: (arn, id)
    iam_profile: tuple[str, str] | None = None
    auto_recovery: str | None = None
    hostname_type: str | None = None
    dns_a_record: bool | None = None
    dns_aaaa_record: bool | None = None
    bandwidth_weighting: str | None = None
    license_arns: tuple[str, ...] = ()
    operator_principal: str | None = None
    kernel_id: str | None = None
    ramdisk_id: str | None = None
    additional_info: str | None = None
    # top-level addressing of the primary interface
    ipv6_addresses: tuple[str, ...] = ()
    ipv6_count: int | None = None
    enable_primary_ipv6: bool = False
    #: NetworkInterfaces (device 0 is the primary interface)
    interfaces: tuple[InterfaceLaunch, ...] = ()
    #: (the image ``image_id`` names, or None if unknown), as the launch in progress found
    #: it, for its checks, hooks and commit to share; not part of what was asked
    image: tuple[Image | None] | None = field(default=None, repr=False, compare=False)
    #: RunInstances sets it when the request gives none of the options beyond the basics
    #: (image, counts, type, key, subnet, groups, address, user data, tags, token, EBS
    #: optimisation, metadata, API protections, shutdown behaviour, template): every other
    #: field keeps its default, and the launch skips what those would decide. Not an init
    #: field, so ``replace`` (spot requests, fleets) makes a spec that is not plain.
    plain: bool = field(default=False, init=False, repr=False, compare=False)

    def tags_for(self, resource_type: str) -> dict[str, str]:
        tags = self.tags
        if not tags:  # most launches: a new empty dict, without looking
            return {}
        return dict(dict(tags).get(resource_type, ()))

    def fingerprint(self) -> str:
        return hashlib.sha256(repr(replace(self, client_token=None)).encode()).hexdigest()


@dataclass(slots=True)
class BlockDevice:
    device_name: str
    volume_id: str
    delete_on_termination: bool
    attach_time: datetime


@dataclass(slots=True)
class Instance(Resource):
    reservation_id: str
    owner_id: str
    region: str
    image_id: str
    instance_type: str
    zone: Zone
    subnet_id: str
    vpc_id: str
    private_ip: str
    network_interface: NetworkInterface
    security_groups: list[tuple[str, str]]
    launch_time: datetime
    launch_index: int
    client_token: str
    key_name: str | None
    user_data: bytes | None
    monitoring: bool
    ebs_optimized: bool
    tenancy: str
    metadata: MetadataOptions
    block_devices: list[BlockDevice]
    disable_api_termination: bool
    shutdown_behavior: str
    disable_api_stop: bool
    #: the interfaces attached besides the primary one (AttachNetworkInterface)
    interfaces: tuple[NetworkInterface, ...]
    # RunInstances' KernelId / RamdiskId (ModifyInstanceAttribute's attributes too)
    kernel_id: str | None
    ramdisk_id: str | None
    enclave_enabled: bool
    #: everything else RunInstances records and describes show (models/instance_extras.py)
    extras: InstanceExtras
    state: str = "pending"
    public_ip: str | None = None
    state_transition_reason: str = ""
    state_reason: tuple[str, str] | None = ("pending", "pending")
    metadata_state: str = "pending"
    #: when the instance last entered "running" (clock seconds), for status checks
    running_since: float | None = None
    #: bumped on every transition, so a stale scheduled transition does nothing
    generation: int = 0
    terminated_at: float | None = None
    #: the first launch (LaunchTime moves on every start)
    first_launch_time: datetime | None = None
    # ModifyInstanceAttribute's attributes
    #: "simple" once enhanced networking with the Intel 82599 VF is enabled
    sriov_net_support: str | None = None
    ena_support: bool = True

    def all_interfaces(self) -> list[NetworkInterface]:
        """Every attached interface, the primary first, then by device index."""
        if not self.interfaces:
            return [self.network_interface]
        return [self.network_interface, *sorted(self.interfaces, key=lambda e: e.device_index)]

    @property
    def architecture(self) -> str:
        return architecture(self.instance_type)

    @property
    def monitoring_state(self) -> str:
        # detailed monitoring is "pending" until the instance first runs
        if not self.monitoring:
            return "disabled"
        return "pending" if self.running_since is None else "enabled"

    @property
    def state_code(self) -> int:
        return STATE_CODES[self.state]

    def state_dict(self) -> InstanceState:
        return {"Code": self.state_code, "Name": self.state}

    @property
    def private_dns_name(self) -> str:
        if self.state == "terminated":
            return ""
        if self.extras.hostname_type == "resource-name":
            domain = (
                "ec2.internal" if self.region == "us-east-1" else f"{self.region}.compute.internal"
            )
            return f"{self.id}.{domain}"
        return private_dns_name(self.private_ip, self.region)

    @property
    def platform_details(self) -> str:
        return self.extras.platform_details

    @property
    def public_dns_name(self) -> str:
        return public_dns_name(self.public_ip, self.region) if self.public_ip else ""

    @property
    def current_boot_mode(self) -> str:
        mode = self.extras.boot_mode
        if mode in ("uefi", "legacy-bios"):
            return mode
        if mode == "uefi-preferred":
            found = spec_of(self.instance_type)
            return "uefi" if found is None or "uefi" in found["boot_modes"] else "legacy-bios"
        return "uefi" if self.architecture == "arm64" else "legacy-bios"

    @property
    def has_network(self) -> bool:
        return self.state != "terminated"

    @property
    def attachment_status(self) -> str:
        # volumes and the primary interface are still attaching until the first boot
        return "attaching" if self.running_since is None else "attached"

    def describe(self, *, at_launch: bool = False) -> InstanceShape:
        """The Instance shape; ``at_launch`` gives RunInstances' leaner view."""
        # Runs once per instance of every DescribeInstances and RunInstances: each value is
        # worked out once, with no property or helper call where a local does.
        x = self.extras
        state = self.state
        live = state != "terminated"  # has_network
        region = self.region
        eni = self.network_interface
        instance_type = self.instance_type
        arch = architecture(instance_type)
        if live:
            status = "attaching" if self.running_since is None else "attached"
            devices: list[InstanceBlockDeviceMapping] = [
                {
                    "DeviceName": bd.device_name,
                    "Ebs": {
                        "AttachTime": bd.attach_time,
                        "DeleteOnTermination": bd.delete_on_termination,
                        "Status": status,
                        "VolumeId": bd.volume_id,
                    },
                }
                for bd in self.block_devices
            ]
            others = self.interfaces
            describe_interface = self._describe_interface
            if others:
                interfaces = [describe_interface(e) for e in self.all_interfaces()]
            else:
                interfaces = [describe_interface(eni)]
            groups: list[GroupIdentifier] = [
                _group(gid, name) for gid, name in self.security_groups
            ]
            if x.hostname_type == "resource-name":
                private_dns = f"{self.id}.{_private_domain(region)}"
            else:
                private_dns = f"ip-{self.private_ip.replace('.', '-')}.{_private_domain(region)}"
        else:
            devices = []
            interfaces = []
            groups = []
            private_dns = ""
        public_ip = self.public_ip
        public_dns = (
            f"ec2-{public_ip.replace('.', '-')}.{_public_domain(region)}" if public_ip else ""
        )
        boot_mode = x.boot_mode
        if boot_mode == "uefi" or boot_mode == "legacy-bios":
            current_boot_mode = boot_mode
        elif boot_mode == "uefi-preferred":
            found = spec_of(instance_type)
            current_boot_mode = (
                "uefi" if found is None or "uefi" in found["boot_modes"] else "legacy-bios"
            )
        else:
            current_boot_mode = "uefi" if arch == "arm64" else "legacy-bios"
        zone = self.zone
        placement = _placement(
            zone.zone_id,
            x.placement_group or "",
            self.tenancy,
            zone.name,
            x.placement_group_id,
            x.partition_number,
            x.host_id,
            x.affinity,
            x.host_resource_group_arn,
            x.spread_domain,
        )
        if self.monitoring:
            monitoring_state = "pending" if self.running_since is None else "enabled"
        else:
            monitoring_state = "disabled"
        metadata = self.metadata
        out: InstanceShape = {
            "Architecture": arch,
            "BlockDeviceMappings": devices,
            "ClientToken": self.client_token,
            "EbsOptimized": self.ebs_optimized,
            "EnaSupport": self.ena_support,
            "Hypervisor": "xen",
            "NetworkInterfaces": interfaces,
            "RootDeviceName": x.root_device_name,
            "RootDeviceType": "ebs",
            "SecurityGroups": groups,
            "VirtualizationType": "hvm",
            "CapacityReservationSpecification": _capacity(
                x.capacity_preference, x.capacity_target_id, x.capacity_reservation_group_arn
            ),
            "CpuOptions": _cpu(
                x.core_count, x.threads_per_core, x.amd_sev_snp, x.nested_virtualization
            ),
            "MetadataOptions": _metadata(
                # a terminated instance's options show as pending
                self.metadata_state if live else "pending",
                metadata.http_tokens,
                metadata.hop_limit,
                metadata.http_endpoint,
                metadata.http_protocol_ipv6,
                metadata.instance_metadata_tags,
            ),
            "EnclaveOptions": _ENCLAVE[self.enclave_enabled],
            "MaintenanceOptions": _maintenance(x.auto_recovery, x.reboot_migration),
            "CurrentInstanceBootMode": current_boot_mode,
            "NetworkPerformanceOptions": _network_performance(x.bandwidth_weighting),
            "Operator": (_operator(x.operator_principal) if x.operator_principal else _NOT_MANAGED),
            "InstanceId": self.id,
            "ImageId": self.image_id,
            "State": _STATES[state],
            "PrivateDnsName": private_dns,
            "PublicDnsName": public_dns,
            "StateTransitionReason": self.state_transition_reason,
            "AmiLaunchIndex": self.launch_index,
            "ProductCodes": [
                {"ProductCodeId": code, "ProductCodeType": kind} for code, kind in x.product_codes
            ]
            if x.product_codes
            else [],
            "InstanceType": instance_type,
            "LaunchTime": self.launch_time,
            "Placement": placement,
            "Monitoring": _monitoring(monitoring_state, x.metric_categories),
        }
        if not at_launch:
            # RunInstances leaves out what EC2 only settles once the instance exists
            out["HibernationOptions"] = _HIBERNATION[x.hibernation]
            out["PlatformDetails"] = x.platform_details
            out["UsageOperation"] = x.usage_operation
            # LaunchTime moves on every start; the primary interface keeps the first launch.
            out["UsageOperationUpdateTime"] = self.first_launch_time or self.launch_time
        if self.key_name is not None:
            out["KeyName"] = self.key_name
        if x.lifecycle is not None:
            out["InstanceLifecycle"] = x.lifecycle
        if x.spot_request_id is not None:
            out["SpotInstanceRequestId"] = x.spot_request_id
        if x.capacity_reservation_id is not None:
            out["CapacityReservationId"] = x.capacity_reservation_id
        if x.iam_profile is not None:
            out["IamInstanceProfile"] = {"Arn": x.iam_profile[0], "Id": x.iam_profile[1]}
        if x.license_arns:
            out["Licenses"] = [{"LicenseConfigurationArn": arn} for arn in x.license_arns]
        if x.platform is not None:
            out["Platform"] = x.platform
        if x.tpm_support is not None:
            out["TpmSupport"] = x.tpm_support
        if boot_mode is not None:
            out["BootMode"] = boot_mode
        if live and eni.enable_primary_ipv6 and eni.ipv6_addresses:
            out["Ipv6Address"] = eni.ipv6_addresses[0]  # the primary IPv6 address
        if self.kernel_id is not None:
            out["KernelId"] = self.kernel_id
        if self.ramdisk_id is not None:
            out["RamdiskId"] = self.ramdisk_id
        if self.sriov_net_support is not None:
            out["SriovNetSupport"] = self.sriov_net_support
        state_reason = self.state_reason
        if state_reason is not None:
            out["StateReason"] = {"Code": state_reason[0], "Message": state_reason[1]}
        if self.tags:
            out["Tags"] = [_tag(k, v) for k, v in self.tags.items()]
        if live:
            # a terminated instance has no interface to check and no DNS options left
            out["SourceDestCheck"] = eni.source_dest_check
            out["PrivateDnsNameOptions"] = _private_dns_options(
                x.hostname_type, x.dns_a_record, x.dns_aaaa_record
            )
            out["SubnetId"] = self.subnet_id
            out["VpcId"] = self.vpc_id
            out["PrivateIpAddress"] = self.private_ip
        if public_ip:
            out["PublicIpAddress"] = public_ip
        return out

    def _describe_interface(self, eni: NetworkInterface) -> InstanceNetworkInterface:
        # runs once per interface of every instance a describe shows: no work done twice
        region = eni.region
        private_domain = _private_domain(region)
        association: InstanceNetworkInterfaceAssociation | None = None
        public_ip = eni.public_ip
        if public_ip:
            association = {
                "IpOwnerId": eni.ip_owner_id or "amazon",
                "PublicDnsName": f"ec2-{public_ip.replace('.', '-')}.{_public_domain(region)}",
                "PublicIp": public_ip,
            }
        attachment_id, attach_time = eni.attachment_id, eni.attach_time
        if attachment_id is None or attach_time is None:
            attachment_id, attach_time = eni.attachment()  # raises: it is always attached
        private_ip = eni.private_ip
        primary_dns = f"ip-{private_ip.replace('.', '-')}.{private_domain}"
        primary: InstancePrivateIpAddress = {
            "Primary": True,
            "PrivateDnsName": primary_dns,
            "PrivateIpAddress": private_ip,
        }
        if association:
            primary["Association"] = association
        addresses: list[InstancePrivateIpAddress] = [primary]
        for address in eni.secondary_ips:
            addresses.append(
                {
                    "Primary": False,
                    "PrivateDnsName": f"ip-{address.replace('.', '-')}.{private_domain}",
                    "PrivateIpAddress": address,
                }
            )
        ipv6_addresses = eni.ipv6_addresses
        if ipv6_addresses:
            primary_ipv6 = ipv6_addresses[0] if eni.enable_primary_ipv6 else None
            ipv6 = [{"Ipv6Address": a, "IsPrimaryIpv6": a == primary_ipv6} for a in ipv6_addresses]
        else:
            ipv6 = []
        out: InstanceNetworkInterface = {
            "Attachment": {
                "AttachTime": attach_time,
                "AttachmentId": attachment_id,
                "DeleteOnTermination": eni.delete_on_termination,
                "DeviceIndex": eni.device_index,
                "Status": eni.attachment_status,
                "NetworkCardIndex": eni.network_card_index,
            },
            "Description": eni.description,
            "Groups": [_group(gid, name) for gid, name in eni.groups],
            "Ipv6Addresses": ipv6,  # type: ignore[typeddict-item]
            "MacAddress": eni.mac_address,
            "NetworkInterfaceId": eni.id,
            "OwnerId": eni.owner_id,
            "PrivateDnsName": primary_dns,
            "PrivateIpAddress": private_ip,
            "PrivateIpAddresses": addresses,
            "SourceDestCheck": eni.source_dest_check,
            "Status": "in-use" if attachment_id else "available",
            "SubnetId": eni.subnet_id,
            "VpcId": eni.vpc_id,
            "InterfaceType": eni.interface_type,
            "Operator": _NOT_MANAGED,
        }
        if eni.ipv4_prefixes:
            out["Ipv4Prefixes"] = [{"Ipv4Prefix": p} for p in eni.ipv4_prefixes]
        if eni.ipv6_prefixes:
            out["Ipv6Prefixes"] = [{"Ipv6Prefix": p} for p in eni.ipv6_prefixes]
        if association:
            out["Association"] = association
        return out


def _default_subnets_of(vpcs: Network) -> list[Subnet]:
    """The default VPC's default subnets; EC2's error if there is no default VPC."""
    default_subnets = vpcs.default_subnets()
    if not default_subnets:
        raise ServiceError(
            "No default VPC for this user. GroupName is only supported for EC2-Classic "
            "and default VPC.",
            code="VPCIdNotSpecified",
        )
    return default_subnets


def _user_reason(now: datetime) -> str:
    return f"User initiated ({now.strftime('%Y-%m-%d %H:%M:%S')} GMT)"


class Instances:
    """The instance family of one region: its store and its behaviour."""

    def __init__(self, backend: Ec2Backend) -> None:
        self.backend = backend
        self.store: Store[Instance] = backend.new_store(INSTANCE)
        self.store.add_index("reservation", attrgetter("reservation_id"))
        self._client_tokens: dict[str, tuple[str, str]] = {}
        #: instance type -> ((default VPC, its subnets' generation), the default subnet a
        #: launch of the type naming no subnet or zone goes to)
        self._default_subnets: dict[str, tuple[tuple[str | None, tuple[int, int]], Subnet]] = {}
        #: instances in ACTIVE_STATES; every state change goes through _transition
        self._active = 0
        # Other families join the launch path here without this module importing them:
        #: ``check(spec, zone_name)`` before anything changes; raises EC2's error to refuse
        #: (an unknown key pair, a type the zone does not offer, a full placement group)
        self.launch_checks: list[Callable[[LaunchSpec, str], None]] = []
        #: ``hook(instance, spec)`` once per launched instance, after it is stored; True if
        #: it decided something the instance shows (then :meth:`rejoin` follows)
        self.on_launch: list[Callable[[Instance, LaunchSpec], bool | None]] = []
        #: (len(launch_checks), len(on_launch), the checks and hooks a plain launch calls)
        self._plain_hooks: tuple[int, int, list[Any], list[Any]] = (0, 0, [], [])
        #: ``hook(instance, previous_state)`` after every state change but pending -> running
        #: (both hold the instance's capacity: nothing a family follows changes)
        self.on_state: list[Callable[[Instance, str], None]] = []
        self._on_enter: dict[str, list[Callable[[Instance, str], None]]] = {}
        #: ``check(instances)`` before StartInstances starts stopped ones; raises to refuse
        self.start_checks: list[Callable[[list[Instance]], None]] = []
        #: ModifyDefaultCreditSpecification: instance family -> credit option at launch
        self.credit_defaults: dict[str, str] = {}
        #: ModifyInstanceMetadataDefaults: the account's defaults in this region
        self.metadata_defaults: dict[str, str | int] = {}
        #: ModifyInstanceCreditSpecification's ClientTokens: token -> (request, answer)
        self.credit_tokens: dict[str, Any] = {}

    # -- launch

    def launch(self, spec: LaunchSpec) -> tuple[str, list[Instance]]:
        """RunInstances: the reservation id and its instances (pending)."""
        backend = self.backend
        if spec.client_token:
            previous = self._client_tokens.get(spec.client_token)
            if previous is not None:
                fingerprint, reservation_id = previous
                if fingerprint != spec.fingerprint():
                    raise ServiceError(
                        "Arguments on this idempotent request are inconsistent with arguments "
                        "used in previous request(s).",
                        code="IdempotentParameterMismatch",
                    )
                return reservation_id, self.store.lookup("reservation", reservation_id)
        if spec.min_count < 1:
            raise InvalidParameterValue(
                f"Invalid value '{spec.min_count}' for MinCount. It must be at least 1."
            )
        if spec.max_count < spec.min_count:
            raise InvalidParameterValue(
                f"Invalid value '{spec.max_count}' for MaxCount. "
                f"It must be greater than or equal to MinCount ({spec.min_count})."
            )
        if spec.private_ip is not None and spec.max_count > 1:
            raise InvalidParameterCombination(
                "Cannot specify a private IP address (PrivateIpAddress) when launching more "
                "than one instance."
            )
        if spec.block_devices:
            check_block_devices(spec.block_devices)
        if not spec.plain:
            check_spec(spec)
        # looked up once here, afresh for every launch (fleets launch one spec again later)
        spec.image = (backend.images.find(spec.image_id),)
        subnet = self._subnet_for(spec)
        groups = self._groups_for(spec, subnet)
        if not spec.plain and needs_interface_path(spec):
            check_interfaces(backend, spec, subnet)

        limit = backend.options.instance_limit
        room = limit - self._active
        if spec.min_count > room:
            raise ServiceError(
                f"You have requested more instances ({spec.min_count}) than your current "
                f"instance limit of {limit} allows for the specified instance type. Please visit "
                "http://aws.amazon.com/contact-us/ec2-request to request an adjustment to this limit.",
                code="InstanceLimitExceeded",
            )
        free = subnet.available_ip_count
        if free < spec.min_count:
            raise ServiceError(
                f"There are not enough free addresses in subnet '{subnet.id}' to satisfy the "
                "requested number of instances.",
                code="InsufficientFreeAddressesInSubnet",
            )
        count = min(spec.max_count, room, free)
        checks, hooks = self._hooks_for(spec)
        zone_name = subnet.zone.name
        for check in checks:
            check(spec, zone_name)
        commit()

        # what the image decides for its instances (None: an unknown AMI, allowed unless strict)
        image = spec.image[0]
        reservation_id = backend.ids.new("r")
        now = backend.clock.now()
        group_pairs = [(g.id, g.name) for g in groups]
        launched = [
            self._create(spec, reservation_id, index, subnet, group_pairs, now, image)
            for index in range(count)
        ]
        delay = backend.options.transition_delay
        schedule, to_running = backend.schedule, self._to_running
        for instance in launched:
            # _transition(instance, "pending", then=self._to_running) for an instance stored
            # pending (and counted active): nothing changes that the families follow
            instance.generation += 1
            schedule(delay, instance, to_running)
            joined = False
            for hook in hooks:
                joined = hook(instance, spec) or joined
            if joined:  # most launches: what the spec said is all the instance shows
                self.rejoin(instance)
        if spec.client_token:
            self._client_tokens[spec.client_token] = (spec.fingerprint(), reservation_id)
        return reservation_id, launched

    def _hooks_for(self, spec: LaunchSpec) -> tuple[list[Any], list[Any]]:
        """The launch checks and launch hooks ``spec`` calls: for a plain one, those not
        marked ``options_only`` (kept until another family joins)."""
        if not spec.plain:
            return self.launch_checks, self.on_launch
        checks, hooks = self.launch_checks, self.on_launch
        cached = self._plain_hooks
        if cached[0] != len(checks) or cached[1] != len(hooks):
            cached = self._plain_hooks = (
                len(checks),
                len(hooks),
                [c for c in checks if not getattr(c, "options_only", False)],
                [h for h in hooks if not getattr(h, "options_only", False)],
            )
        return cached[2], cached[3]

    def rejoin(self, instance: Instance) -> None:
        """Copy what other families decided for ``instance`` into what it shows (describe and
        filters read the copy, so DescribeInstances stays lookup-free). Called after the launch
        and state hooks, and by a family when it moves an instance on its own (by id, no scan)."""
        backend = self.backend
        instance_id = instance.id
        x = instance.extras
        group = backend.placement_groups.group_of(instance_id)
        if group is not None:
            x.placement_group = group.name
            x.placement_group_id = group.id
            x.partition_number = group.partitions.get(instance_id)
        hosts = backend.hosts
        host_id = hosts.host_for(instance_id)
        if host_id is not None:
            x.host_id = host_id
            x.affinity = hosts.affinity_of(instance_id)
        if instance.state != "terminated":  # a terminated instance keeps what it last showed
            capacity = backend.capacity_reservations
            x.capacity_reservation_id = capacity.reservation_of(instance_id)
            preference, target = capacity.preference_of(instance_id)
            x.capacity_target_id = target
            x.capacity_preference = "" if target else preference
        if x.lifecycle == "spot":
            request = backend.spot.request_of(instance_id)
            if request is not None:
                x.spot_request_id = request.id
                x.spot_instance_type = request.request_type
                x.spot_interruption = request.interruption_behavior

    def _zone_for(self, spec: LaunchSpec) -> str | None:
        """The zone a launch that names neither subnet nor zone must go to: its host's (or
        that of a host with room), or its targeted reservation's."""
        backend = self.backend
        if spec.host_id is not None:
            host = backend.hosts.store.find(spec.host_id)
            if host is not None:
                return host.zone.name
        elif spec.tenancy == "host":
            zone_name = backend.hosts.zone_with_room(spec.instance_type)
            if zone_name is not None:
                return zone_name
        if spec.capacity_reservation_id is not None:
            reservation = backend.capacity_reservations.store.find(spec.capacity_reservation_id)
            if reservation is not None:
                return reservation.zone.name
        return None

    def _subnet_for(self, spec: LaunchSpec) -> Subnet:
        vpcs = self.backend.vpcs
        zone_name = spec.zone_name
        if zone_name is not None and zone_name not in self.backend.zones:
            raise InvalidParameterValue(f"Invalid availability zone: [{zone_name}]")
        subnet_id = spec.subnet_id
        primary = primary_entry(spec) if spec.interfaces else None
        if primary is not None:
            if primary.network_interface_id is not None:
                subnet_id = self.backend.network_interfaces.get(
                    primary.network_interface_id
                ).subnet_id
            else:
                subnet_id = primary.subnet_id
        if subnet_id is not None:
            subnet = vpcs.subnets.get(subnet_id)
            if zone_name is not None and zone_name != subnet.zone.name:
                raise InvalidParameterValue(
                    f"The Availability Zone '{zone_name}' does not match the Availability Zone "
                    f"'{subnet.zone.name}' of subnet '{subnet.id}'."
                )
            return subnet
        if zone_name is None and not spec.plain:  # a plain launch has no host or reservation
            zone_name = self._zone_for(spec)
        if zone_name is None:
            return self._default_subnet(spec.instance_type)
        default_subnets = _default_subnets_of(vpcs)
        for subnet in default_subnets:
            if subnet.zone.name == zone_name:
                return subnet
        return default_subnets[0]

    def _default_subnet(self, instance_type: str) -> Subnet:
        """The default subnet a launch naming no subnet and no zone goes to, as EC2 picks
        it: the first in a zone that offers the type. Kept per type while the subnets and
        the default VPC stay as they are (every such launch would pick it again)."""
        vpcs = self.backend.vpcs
        state = (vpcs.default_vpc_id, vpcs.subnets.generation())
        kept = self._default_subnets.get(instance_type)
        if kept is not None and kept[0] == state:
            return kept[1]
        default_subnets = _default_subnets_of(vpcs)
        chosen = default_subnets[0]
        found = spec_of(instance_type)
        if found is not None:
            region = self.backend.region_info
            for subnet in default_subnets:
                if zone_offers(found, region, subnet.zone.name):
                    chosen = subnet
                    break
        self._default_subnets[instance_type] = (state, chosen)
        return chosen

    def _groups_for(self, spec: LaunchSpec, subnet: Subnet) -> list[SecurityGroup]:
        vpcs = self.backend.vpcs
        security_groups = self.backend.security_groups
        group_ids = list(spec.security_group_ids)
        primary = primary_entry(spec) if spec.interfaces else None
        if primary is not None:
            if primary.network_interface_id is not None:
                eni = self.backend.network_interfaces.get(primary.network_interface_id)
                group_ids = eni.group_ids
            else:
                group_ids = list(primary.group_ids)
        groups = security_groups.store.get_many(group_ids) if group_ids else []
        for group in groups:
            if group.vpc_id != subnet.vpc_id:
                raise ServiceError(
                    f"Security group {group.id} and subnet {subnet.id} belong to different networks.",
                    code="InvalidParameter",
                )
        if spec.security_group_names:
            vpc = vpcs.vpcs.get(subnet.vpc_id)
            if not vpc.is_default:
                raise InvalidParameterCombination(
                    "The parameter groupName cannot be used with the parameter subnet"
                )
            for name in spec.security_group_names:
                groups.append(security_groups.group_by_name(vpc.id, name))
        if not groups:  # most launches: the VPC's default group alone
            return [security_groups.default_group(subnet.vpc_id)]
        return list({g.id: g for g in groups}.values())

    def _create(
        self,
        spec: LaunchSpec,
        reservation_id: str,
        index: int,
        subnet: Subnet,
        group_pairs: list[tuple[str, str]],
        now: datetime,
        image: Image | None,
    ) -> Instance:
        backend = self.backend
        instance_id = backend.ids.new("i")
        if not spec.plain and needs_interface_path(spec):
            eni, *others = attach_interfaces(
                backend, spec, subnet, [gid for gid, _ in group_pairs], instance_id, now
            )
            return self._store_new(
                spec, reservation_id, index, subnet, eni, tuple(others), now, instance_id, image
            )
        private_ip = subnet.allocate_ip(spec.private_ip)
        eni = new_interface(backend, subnet, private_ip, list(group_pairs), "eni-attach")
        eni.instance_id = instance_id
        eni.instance_owner_id = backend.account_id
        eni.attach_time = now
        eni.attachment_status = "attaching"
        if spec.tags:  # else the empty dict the interface starts with
            eni.tags = spec.tags_for("network-interface")
        backend.network_interfaces.add(eni)
        if subnet.assign_ipv6_on_creation and subnet.ipv6_cidrs():
            # the subnet gives every new interface an IPv6 address (AssignIpv6AddressOnCreation)
            eni.ipv6_addresses = (*eni.ipv6_addresses, subnet.allocate_ipv6())
        return self._store_new(
            spec, reservation_id, index, subnet, eni, (), now, instance_id, image
        )

    def _store_new(
        self,
        spec: LaunchSpec,
        reservation_id: str,
        index: int,
        subnet: Subnet,
        eni: NetworkInterface,
        others: tuple[NetworkInterface, ...],
        now: datetime,
        instance_id: str,
        image: Image | None,
    ) -> Instance:
        backend = self.backend
        instance: Instance = new_object(Instance)
        # By position, in the order Instance declares its fields, and no more than 30
        # arguments: past that (keywords count twice) CPython 3.11 builds a tuple, and a
        # dict of the keywords, for a slow generic call that cost 3 times the rest of the
        # call (callgrind), on every launch.
        instance.__init__(  # type: ignore[misc]
            instance_id,
            reservation_id,
            backend.account_id,  # owner_id
            backend.region,
            spec.image_id,
            spec.instance_type,
            subnet.zone,
            eni.subnet_id,
            eni.vpc_id,
            eni.private_ip,
            eni,  # network_interface
            list(eni.groups),  # security_groups
            now,  # launch_time
            index,  # launch_index
            spec.client_token or "",
            spec.key_name,
            spec.user_data,
            spec.monitoring,
            spec.ebs_optimized,
            spec.tenancy,
            spec.metadata,
            self._attach_volumes(spec, instance_id, subnet.zone, now),  # block_devices
            spec.disable_api_termination,
            spec.shutdown_behavior,
            spec.disable_api_stop,
            others,  # interfaces
            spec.kernel_id,
            spec.ramdisk_id,
            spec.enclave,  # enclave_enabled
            extras_from(spec),
        )
        instance.first_launch_time = now
        if spec.tags:  # else the empty dict the instance starts with
            instance.tags = spec.tags_for("instance")
        extras = instance.extras
        if self.credit_defaults and spec.cpu_credits is None and extras.cpu_credits is not None:
            family = spec.instance_type.split(".", 1)[0]
            extras.cpu_credits = self.credit_defaults.get(family, extras.cpu_credits)
        if image is not None:
            extras.platform = image.platform or None
            extras.platform_details = image.platform_details
            extras.usage_operation = image.usage_operation
            extras.tpm_support = image.tpm_support
            extras.boot_mode = image.boot_mode
            extras.root_device_name = image.root_device_name
            extras.product_codes = image.product_codes
        # an existing interface brings no public address; AssociatePublicIpAddress beats the
        # subnet's setting, which applies only to a launch with a single new interface
        primary = primary_entry(spec) if spec.interfaces else None
        wanted = eni.associate_public_ip
        if wanted is None:
            wanted = subnet.map_public_ip_on_launch and not others
            wanted = wanted and (primary is None or primary.network_interface_id is None)
        if wanted:
            self._assign_public_ip(instance)
        self._active += instance.state in ACTIVE_STATES
        return self.store.add(instance)

    def _attach_volumes(
        self, spec: LaunchSpec, instance_id: str, zone: Zone, now: datetime
    ) -> list[BlockDevice]:
        backend = self.backend
        devices = []
        # the image's mappings under the request's, checked before the commit point
        for planned in backend.volumes.plan_for(spec):
            volume: Volume = new_object(Volume)
            # by position, as Volume declares its fields (see _store_new); the rest set after
            volume.__init__(  # type: ignore[misc]
                backend.ids.new("vol"),
                zone.name,
                planned.size_gib,
                planned.volume_type,
                now,  # created
                planned.snapshot_id,
                planned.encrypted,
                planned.iops,
                planned.throughput,
                instance_id,
                planned.device_name,
                now,  # attach_time
                planned.delete_on_termination,
            )
            volume.zone_id = zone.zone_id
            volume.kms_key_id = planned.kms_key_id
            if spec.tags:
                volume.tags = spec.tags_for("volume")
            backend.volumes.add(volume)
            devices.append(
                BlockDevice(planned.device_name, volume.id, planned.delete_on_termination, now)
            )
        return devices

    def _assign_public_ip(self, instance: Instance) -> None:
        address = self.backend.allocate_public_ip()
        instance.public_ip = address
        instance.network_interface.public_ip = address

    def _release_public_ip(self, instance: Instance) -> None:
        if instance.network_interface.allocation_id is not None:
            return  # an Elastic IP stays with the instance through stop and start
        if instance.public_ip:
            self.backend.release_public_ip(instance.public_ip)
        instance.public_ip = None
        instance.network_interface.public_ip = None

    # -- the state machine: each change is immediate, its completion is scheduled

    def _transition(
        self,
        instance: Instance,
        state: str,
        then: Callable[[Instance], None] | None = None,
        *,
        quick: bool = False,
    ) -> None:
        """Enter ``state`` now; ``then`` completes it once the transition delay has passed
        (``quick``: by the next request, as when the guest OS is not waited for)."""
        previous = instance.state
        self._active += (state in ACTIVE_STATES) - (previous in ACTIVE_STATES)
        instance.state = state
        instance.generation += 1
        if then is not None:
            delay = 0.0 if quick else self.backend.options.transition_delay
            self.backend.schedule(delay, instance, then)
        if previous == state or (previous == "pending" and state == "running"):
            # a launch entering "pending", or a pending instance now running: nothing
            # changed that the families follow (both states hold the instance's capacity)
            return
        for hook in self.on_state:
            hook(instance, previous)
        for hook in self._on_enter.get(state, ()):
            hook(instance, previous)
        self.rejoin(instance)

    def on_enter(self, state: str, hook: Callable[[Instance, str], None]) -> None:
        """Call ``hook(instance, previous_state)`` only when an instance enters ``state``
        (most families care only about "terminated"; every launch makes two transitions)."""
        self._on_enter.setdefault(state, []).append(hook)

    def _to_running(self, instance: Instance) -> None:
        if instance.state == "pending":
            # _transition(instance, "running"), as every launch has it once: both states
            # count as active, and nothing changes that the families follow
            instance.state = "running"
            instance.generation += 1
        else:
            self._transition(instance, "running")
        instance.state_reason = None
        instance.state_transition_reason = ""
        instance.metadata_state = "applied"
        instance.running_since = self.backend.clock.time()
        instance.network_interface.attachment_status = "attached"

    def _to_stopped(self, instance: Instance) -> None:
        self._transition(instance, "stopped")
        if instance.extras.hibernating:
            instance.extras.hibernating = False
            instance.state_reason = USER_HIBERNATE
        else:
            instance.state_reason = USER_SHUTDOWN

    def _to_terminated(self, instance: Instance) -> None:
        backend = self.backend
        self._transition(instance, "terminated")
        instance.state_reason = USER_SHUTDOWN
        instance.terminated_at = backend.clock.time()
        self._release_public_ip(instance)
        backend.network_interfaces.instance_terminated(instance)
        for device in instance.block_devices:
            volume = backend.volumes.find(device.volume_id)
            if volume is None:
                continue
            if device.delete_on_termination:
                backend.volumes.remove(volume.id)
            else:
                volume.instance_id = volume.device_name = volume.attach_time = None
                volume.state = "available"
        backend.schedule(backend.options.terminated_retention, instance, self._forget)

    def _forget(self, instance: Instance) -> None:
        self.store.remove(instance.id)

    def _in_states(self, ids: list[str], allowed: tuple[str, ...], verb: str) -> list[Instance]:
        """The instances, if every one is in an ``allowed`` state; else EC2's error, nothing changed."""
        instances = self.store.get_many(ids)
        for instance in instances:
            if instance.state not in allowed:
                raise ServiceError(
                    f"The instance '{instance.id}' is not in a state from which it can be {verb}.",
                    code="IncorrectInstanceState",
                )
        return instances

    def start(self, ids: list[str]) -> list[InstanceStateChange]:
        instances = self._in_states(ids, ("stopped", "pending", "running"), "started")
        starting = [i for i in instances if i.state == "stopped"]
        for check in self.start_checks:
            check(starting)
        commit()
        changes = []
        for instance in instances:
            previous = instance.state_dict()
            if instance.state == "stopped":
                self._transition(instance, "pending", then=self._to_running)
                instance.launch_time = self.backend.clock.now()
                instance.state_reason = ("pending", "pending")
                instance.state_transition_reason = ""
                instance.metadata_state = "pending"
                subnet = self.backend.vpcs.subnets.get(instance.subnet_id)
                # the primary interface's AssociatePublicIpAddress, once set, beats the subnet's
                wanted = instance.network_interface.associate_public_ip
                if wanted is None:
                    wanted = subnet.map_public_ip_on_launch
                if wanted and not instance.public_ip:
                    self._assign_public_ip(instance)
            changes.append(_change(instance, previous))
        return changes

    def stop(
        self, ids: list[str], *, skip_os_shutdown: bool = False, hibernate: bool = False
    ) -> list[InstanceStateChange]:
        """StopInstances; ``skip_os_shutdown`` (or Force) stops without waiting for the OS;
        ``hibernate`` only for instances launched with hibernation configured."""
        instances = self._in_states(ids, ("running", "stopping", "stopped"), "stopped")
        for instance in instances:
            if hibernate and not instance.extras.hibernation:
                raise ServiceError(
                    "The instance can't be hibernated because it was not configured at launch "
                    f"for hibernation: {instance.id}",
                    code="UnsupportedHibernationConfiguration",
                )
            x = instance.extras
            if x.lifecycle == "spot" and x.spot_instance_type == "one-time":
                raise ServiceError(
                    f"You can't stop the Spot Instance '{instance.id}' because it is associated "
                    "with a one-time Spot Instance request. You can only stop Spot Instances "
                    "associated with persistent Spot Instance requests.",
                    code="UnsupportedOperation",
                )
            if instance.disable_api_stop and instance.state == "running":
                raise ServiceError(
                    f"The instance '{instance.id}' may not be stopped. Modify its "
                    "'disableApiStop' instance attribute and try again.",
                    code="OperationNotPermitted",
                )
        commit()
        now = self.backend.clock.now()
        changes = []
        for instance in instances:
            previous = instance.state_dict()
            if instance.state == "running":
                self._transition(
                    instance, "stopping", then=self._to_stopped, quick=skip_os_shutdown
                )
                instance.state_transition_reason = _user_reason(now)
                instance.extras.hibernating = hibernate
                instance.state_reason = USER_HIBERNATE if hibernate else USER_SHUTDOWN
                self._release_public_ip(instance)
            elif instance.state == "stopping" and skip_os_shutdown:
                # a forced stop completes one that is stuck stopping
                self._transition(instance, "stopping", then=self._to_stopped, quick=True)
            changes.append(_change(instance, previous))
        return changes

    def terminate(
        self, ids: list[str], *, skip_os_shutdown: bool = False
    ) -> list[InstanceStateChange]:
        """TerminateInstances; ``skip_os_shutdown`` (or Force) skips the OS's shutdown."""
        instances = self.store.get_many(ids)
        for instance in instances:
            if instance.disable_api_termination and instance.state != "terminated":
                raise ServiceError(
                    f"The instance '{instance.id}' may not be terminated. Modify its "
                    "'disableApiTermination' instance attribute and try again.",
                    code="OperationNotPermitted",
                )
        commit()
        now = self.backend.clock.now()
        changes = []
        for instance in instances:
            previous = instance.state_dict()
            if instance.state not in ("shutting-down", "terminated"):
                self._transition(
                    instance, "shutting-down", then=self._to_terminated, quick=skip_os_shutdown
                )
                instance.state_transition_reason = _user_reason(now)
                instance.state_reason = USER_SHUTDOWN
            changes.append(_change(instance, previous))
        return changes

    def reboot(self, ids: list[str]) -> None:
        self._in_states(ids, ("pending", "running", "stopping", "stopped"), "rebooted")
        commit()

    # -- status checks

    def status(self, instance: Instance) -> InstanceStatus:
        """DescribeInstanceStatus's view: checks pass once a delay after reaching running."""
        if instance.state != "running" or instance.running_since is None:
            checks, details = "not-applicable", None
        elif (
            self.backend.clock.time() >= instance.running_since + self.backend.options.status_delay
        ):
            checks, details = "ok", "passed"
        else:
            checks, details = "initializing", "initializing"
        summary: InstanceStatusSummary = {"Status": checks}
        if details is not None:
            summary["Details"] = [{"Name": "reachability", "Status": details}]
        return {
            "AvailabilityZone": instance.zone.name,
            "AvailabilityZoneId": instance.zone.zone_id,
            "InstanceId": instance.id,
            "InstanceState": instance.state_dict(),
            "InstanceStatus": summary,
            "SystemStatus": summary.copy(),
            "AttachedEbsStatus": {**summary},
        }


def _change(instance: Instance, previous: InstanceState) -> InstanceStateChange:
    return {
        "InstanceId": instance.id,
        "CurrentState": instance.state_dict(),
        "PreviousState": previous,
    }


def _each(instance: Instance, get: Callable[[NetworkInterface], object]) -> list[object] | None:
    """A filter's values over every attached interface of an instance (none once terminated)."""
    if not instance.has_network:
        return None
    values: list[object] = []
    for eni in instance.all_interfaces():
        value = get(eni)
        if isinstance(value, (list, tuple)):
            values.extend(value)
        elif value is not None:
            values.append(value)
    return values


def _ip_owner(eni: NetworkInterface) -> str | None:
    return (eni.ip_owner_id or "amazon") if eni.public_ip else None


def _nothing(i: Instance) -> None:
    return None


def _public_ip(i: Instance) -> str | None:
    return i.public_ip


INSTANCE_FILTERS = {
    "architecture": lambda i: i.architecture,
    "availability-zone": lambda i: i.zone.name,
    "availability-zone-id": lambda i: i.zone.zone_id,
    "block-device-mapping.attach-time": lambda i: [bd.attach_time for bd in i.block_devices],
    "block-device-mapping.delete-on-termination": lambda i: [
        bd.delete_on_termination for bd in i.block_devices
    ],
    "block-device-mapping.device-name": lambda i: [bd.device_name for bd in i.block_devices],
    "block-device-mapping.status": lambda i: [i.attachment_status] * len(i.block_devices),
    "block-device-mapping.volume-id": lambda i: [bd.volume_id for bd in i.block_devices],
    "client-token": lambda i: i.client_token,
    "dns-name": lambda i: i.public_dns_name,
    "ebs-optimized": lambda i: i.ebs_optimized,
    "ena-support": lambda i: i.ena_support,
    "hypervisor": lambda i: "xen",
    "image-id": lambda i: i.image_id,
    "instance-id": lambda i: i.id,
    "instance-state-code": lambda i: i.state_code,
    "instance-state-name": lambda i: i.state,
    "instance-type": lambda i: i.instance_type,
    "instance.group-id": lambda i: [gid for gid, _ in i.security_groups],
    "instance.group-name": lambda i: [name for _, name in i.security_groups],
    "ip-address": _public_ip,
    "key-name": lambda i: i.key_name,
    "launch-index": lambda i: i.launch_index,
    "launch-time": lambda i: i.launch_time,
    "metadata-options.http-endpoint": lambda i: i.metadata.http_endpoint,
    "metadata-options.http-protocol-ipv6": lambda i: i.metadata.http_protocol_ipv6,
    "metadata-options.http-put-response-hop-limit": lambda i: i.metadata.hop_limit,
    "metadata-options.http-tokens": lambda i: i.metadata.http_tokens,
    "metadata-options.instance-metadata-tags": lambda i: i.metadata.instance_metadata_tags,
    "metadata-options.state": lambda i: i.metadata_state,
    "monitoring-state": lambda i: i.monitoring_state,
    "network-interface.addresses.private-ip-address": lambda i: _each(i, lambda e: e.private_ips),
    "network-interface.addresses.primary": lambda i: _each(
        i, lambda e: [True] + [False] * len(e.secondary_ips)
    ),
    "network-interface.addresses.association.public-ip": lambda i: _each(i, lambda e: e.public_ip),
    "network-interface.association.public-ip": lambda i: _each(i, lambda e: e.public_ip),
    "network-interface.attachment.attachment-id": lambda i: _each(i, lambda e: e.attachment_id),
    "network-interface.attachment.instance-id": lambda i: i.id if i.has_network else None,
    "network-interface.attachment.device-index": lambda i: _each(i, lambda e: e.device_index),
    "network-interface.availability-zone": lambda i: i.zone.name if i.has_network else None,
    "network-interface.group-id": lambda i: _each(i, lambda e: e.group_ids),
    "network-interface.mac-address": lambda i: _each(i, lambda e: e.mac_address),
    "network-interface.network-interface-id": lambda i: _each(i, lambda e: e.id),
    "network-interface.private-ip-address": lambda i: _each(i, lambda e: e.private_ips),
    "network-interface.subnet-id": lambda i: _each(i, lambda e: e.subnet_id),
    "network-interface.vpc-id": lambda i: _each(i, lambda e: e.vpc_id),
    "network-interface.addresses.association.allocation-id": lambda i: _each(
        i, lambda e: e.allocation_id if e.public_ip else None
    ),
    "network-interface.addresses.association.association-id": lambda i: _each(
        i, lambda e: e.association_id if e.public_ip else None
    ),
    "network-interface.addresses.association.carrier-ip": lambda i: None,
    "network-interface.addresses.association.customer-owned-ip": lambda i: None,
    "network-interface.addresses.association.ip-owner-id": lambda i: _each(i, _ip_owner),
    "network-interface.addresses.association.public-dns-name": lambda i: _each(
        i, lambda e: e.public_dns_name or None
    ),
    "network-interface.addresses.private-dns-name": lambda i: _each(
        i, lambda e: [private_dns_name(a, e.region) for a in e.private_ips]
    ),
    "network-interface.association.allocation-id": lambda i: _each(
        i, lambda e: e.allocation_id if e.public_ip else None
    ),
    "network-interface.association.association-id": lambda i: _each(
        i, lambda e: e.association_id if e.public_ip else None
    ),
    "network-interface.association.carrier-ip": lambda i: None,
    "network-interface.association.customer-owned-ip": lambda i: None,
    "network-interface.association.ip-owner-id": lambda i: _each(i, _ip_owner),
    "network-interface.association.public-dns-name": lambda i: _each(
        i, lambda e: e.public_dns_name or None
    ),
    "network-interface.attachment.attach-time": lambda i: _each(i, lambda e: e.attach_time),
    "network-interface.attachment.delete-on-termination": lambda i: _each(
        i, lambda e: e.delete_on_termination
    ),
    "network-interface.attachment.instance-owner-id": lambda i: _each(
        i, lambda e: e.instance_owner_id or e.owner_id
    ),
    "network-interface.attachment.network-card-index": lambda i: _each(
        i, lambda e: e.network_card_index
    ),
    "network-interface.attachment.status": lambda i: _each(i, lambda e: e.attachment_status),
    "network-interface.deny-all-igw-traffic": lambda i: _each(i, lambda e: False),
    "network-interface.description": lambda i: _each(i, lambda e: e.description),
    "network-interface.group-name": lambda i: _each(i, lambda e: [n for _, n in e.groups]),
    "network-interface.ipv4-prefixes.ipv4-prefix": lambda i: _each(i, lambda e: e.ipv4_prefixes),
    "network-interface.ipv6-address": lambda i: _each(i, lambda e: e.ipv6_addresses),
    "network-interface.ipv6-addresses.ipv6-address": lambda i: _each(i, lambda e: e.ipv6_addresses),
    "network-interface.ipv6-addresses.is-primary-ipv6": lambda i: _each(
        i, lambda e: [a == e.primary_ipv6 for a in e.ipv6_addresses]
    ),
    "network-interface.ipv6-native": lambda i: _each(i, lambda e: False),
    "network-interface.ipv6-prefixes.ipv6-prefix": lambda i: _each(i, lambda e: e.ipv6_prefixes),
    "network-interface.operator.managed": lambda i: _each(
        i, lambda e: e.operator_principal is not None
    ),
    "network-interface.operator.principal": lambda i: _each(i, lambda e: e.operator_principal),
    "network-interface.outpost-arn": lambda i: None,
    "network-interface.owner-id": lambda i: _each(i, lambda e: e.owner_id),
    "network-interface.private-dns-name": lambda i: _each(i, lambda e: e.private_dns_name),
    "network-interface.public-dns-name": lambda i: _each(i, lambda e: e.public_dns_name or None),
    "network-interface.requester-id": lambda i: _each(i, lambda e: e.requester_id),
    "network-interface.requester-managed": lambda i: _each(i, lambda e: e.requester_managed),
    "network-interface.source-dest-check": lambda i: _each(i, lambda e: e.source_dest_check),
    "network-interface.status": lambda i: _each(i, lambda e: e.status),
    "network-interface.tag-key": lambda i: _each(i, lambda e: list(e.tags)),
    "network-interface.tag-value": lambda i: _each(i, lambda e: list(e.tags.values())),
    "ipv6-address": lambda i: _each(i, lambda e: e.ipv6_addresses),
    "owner-id": lambda i: i.owner_id,
    "placement-group-name": lambda i: i.extras.placement_group,
    "platform-details": lambda i: i.platform_details,
    "private-dns-name": lambda i: i.private_dns_name,
    "private-ip-address": lambda i: i.private_ip if i.has_network else None,
    "reason": lambda i: i.state_transition_reason,
    "reservation-id": lambda i: i.reservation_id,
    "root-device-name": lambda i: i.extras.root_device_name,
    "root-device-type": lambda i: "ebs",
    "source-dest-check": lambda i: i.network_interface.source_dest_check,
    "state-reason-code": lambda i: i.state_reason[0] if i.state_reason else None,
    "state-reason-message": lambda i: i.state_reason[1] if i.state_reason else None,
    "subnet-id": lambda i: i.subnet_id if i.has_network else None,
    "tenancy": lambda i: i.tenancy,
    "usage-operation": lambda i: i.extras.usage_operation,
    "usage-operation-update-time": lambda i: i.network_interface.attach_time,
    "virtualization-type": lambda i: "hvm",
    "vpc-id": lambda i: i.vpc_id if i.has_network else None,
    # Not in today's DescribeInstances docs, yet EC2 still answers it.
    "tag-value": lambda i: list(i.tags.values()),
    "current-instance-boot-mode": lambda i: i.current_boot_mode,
    "capacity-reservation-specification.capacity-reservation-preference": lambda i: (
        i.extras.capacity_preference or None
    ),
    "enclave-options.enabled": lambda i: i.enclave_enabled,
    "kernel-id": lambda i: i.kernel_id,
    "ramdisk-id": lambda i: i.ramdisk_id,
    "hibernation-options.configured": lambda i: i.extras.hibernation,
    "maintenance-options.auto-recovery": lambda i: i.extras.auto_recovery,
    "metadata-options.http-protocol-ipv4": lambda i: "enabled",
    "network-performance-options.bandwidth-weighting": lambda i: i.extras.bandwidth_weighting,
    "operator.managed": lambda i: i.extras.operator_principal is not None,
    "operator.principal": lambda i: i.extras.operator_principal,
    "private-dns-name-options.hostname-type": lambda i: (
        i.extras.hostname_type if i.has_network else None
    ),
    "private-dns-name-options.enable-resource-name-dns-a-record": lambda i: (
        i.extras.dns_a_record if i.has_network else None
    ),
    "private-dns-name-options.enable-resource-name-dns-aaaa-record": lambda i: (
        i.extras.dns_aaaa_record if i.has_network else None
    ),
    "affinity": lambda i: i.extras.affinity,
    "capacity-reservation-id": lambda i: i.extras.capacity_reservation_id,
    "capacity-reservation-specification.capacity-reservation-target.capacity-reservation-id": (
        lambda i: i.extras.capacity_target_id
    ),
    "capacity-reservation-specification.capacity-reservation-target."
    "capacity-reservation-resource-group-arn": lambda i: i.extras.capacity_reservation_group_arn,
    "host-id": lambda i: i.extras.host_id,
    "iam-instance-profile.arn": lambda i: i.extras.iam_profile[0] if i.extras.iam_profile else None,
    "iam-instance-profile.id": lambda i: i.extras.iam_profile[1] if i.extras.iam_profile else None,
    "instance-lifecycle": lambda i: i.extras.lifecycle,
    "placement-partition-number": lambda i: i.extras.partition_number,
    "platform": lambda i: i.extras.platform,
    "product-code": lambda i: [code for code, _ in i.extras.product_codes],
    "product-code.type": lambda i: [kind for _, kind in i.extras.product_codes],
    "spot-instance-request-id": lambda i: i.extras.spot_request_id,
    "boot-mode": lambda i: i.extras.boot_mode,
    "tpm-support": lambda i: i.extras.tpm_support,
    # What no instance here has (Outposts, product codes, requester-launched instances):
    # these filters match nothing rather than being refused.
    **dict.fromkeys(
        (
            "outpost-arn",
            "requester-id",
        ),
        _nothing,
    ),
}

INSTANCE_STATUS_FILTERS = {
    "availability-zone": lambda s: s[0].zone.name,
    "availability-zone-id": lambda s: s[0].zone.zone_id,
    "instance-state-code": lambda s: s[0].state_code,
    "instance-state-name": lambda s: s[0].state,
    "instance-status.status": lambda s: s[1]["InstanceStatus"]["Status"],
    "instance-status.reachability": lambda s: [
        d["Status"] for d in s[1]["InstanceStatus"].get("Details", [])
    ],
    "system-status.status": lambda s: s[1]["SystemStatus"]["Status"],
    "system-status.reachability": lambda s: [
        d["Status"] for d in s[1]["SystemStatus"].get("Details", [])
    ],
    "attached-ebs-status.status": lambda s: s[1]["AttachedEbsStatus"]["Status"],
    # cloudmock schedules no maintenance events and runs no managed instances or
    # application checks: these match nothing, as on an account without any
    "event.code": lambda s: None,
    "event.description": lambda s: None,
    "event.instance-event-id": lambda s: None,
    "event.not-after": lambda s: None,
    "event.not-before": lambda s: None,
    "event.not-before-deadline": lambda s: None,
    "application-status.status": lambda s: None,
    "operator.managed": lambda s: False,
    "operator.principal": lambda s: None,
}
