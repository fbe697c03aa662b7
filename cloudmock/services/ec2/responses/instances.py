"""RunInstances, DescribeInstances, DescribeInstanceStatus, Start/Stop/Reboot/TerminateInstances."""

from __future__ import annotations

import base64
import binascii
import inspect
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypedDict

from cloudmock.core.errors import (
    InvalidParameterCombination,
    InvalidParameterValue,
    MissingParameter,
    ServiceError,
)
from cloudmock.core.plugin import operation
from cloudmock.services.ec2.filters import FilterSet, apply_filters, candidates
from cloudmock.services.ec2.models.base import new_object
from cloudmock.services.ec2.models.instance_options import (
    check_hop_limit,
    enforce_metadata_defaults,
)
from cloudmock.services.ec2.models.instance_types import DEFAULT_INSTANCE_TYPE
from cloudmock.services.ec2.models.instances import (
    INSTANCE_FILTERS,
    INSTANCE_STATUS_FILTERS,
    BlockDeviceSpec,
    Instance,
    InterfaceLaunch,
    LaunchSpec,
    MetadataOptions,
)
from cloudmock.services.ec2.models.network_interfaces import check_conntrack
from cloudmock.services.ec2.models.tags import tag_specifications
from cloudmock.services.ec2.responses.common import Ctx, page, refuse_ids_with_max_results
from cloudmock.services.ec2.responses.images import resolve_image_id
from cloudmock.services.ec2.responses.launch_templates import launching_template, run_from_template

if TYPE_CHECKING:
    from cloudmock.services.ec2.shapes import (
        CapacityReservationSpecification,
        ConnectionTrackingSpecificationRequest,
        CreditSpecificationRequest,
        DescribeInstancesResult,
        DescribeInstanceStatusResult,
        ElasticGpuSpecification,
        ElasticInferenceAccelerator,
        EnaSrdSpecificationRequest,
        Filter,
        IamInstanceProfileSpecification,
        InstanceIpv6Address,
        InstanceMaintenanceOptionsRequest,
        InstanceMarketOptionsRequest,
        InstanceMetadataOptionsRequest,
        InstanceNetworkPerformanceOptionsRequest,
        Ipv4PrefixSpecificationRequest,
        Ipv6PrefixSpecificationRequest,
        LaunchTemplateSpecification,
        LicenseConfigurationRequest,
        OperatorRequest,
        PrivateDnsNameOptionsRequest,
        PrivateIpAddressSpecification,
        Reservation,
        StartInstancesResult,
        StopInstancesResult,
        TagSpecification,
        TerminateInstancesResult,
    )

INSTANCES: FilterSet[Any] = FilterSet(INSTANCE_FILTERS, indexes={"reservation-id": "reservation"})
STATUSES: FilterSet[Any] = FilterSet(INSTANCE_STATUS_FILTERS, tags=lambda pair: pair[0].tags)

_AMI_ID = re.compile(r"^ami-[0-9a-f]{1,17}$")
USER_DATA_LIMIT = 16 * 1024
CLIENT_TOKEN_LIMIT = 64
RUN_INSTANCES_TAGGABLE = ("instance", "volume", "network-interface")


# What RunInstances takes of its structured members; any other member is refused.


class PlacementIn(TypedDict, total=False):
    AvailabilityZone: str
    AvailabilityZoneId: str
    Tenancy: str
    Affinity: str
    GroupName: str
    PartitionNumber: int
    HostId: str
    SpreadDomain: str
    HostResourceGroupArn: str
    GroupId: str


class EbsIn(TypedDict, total=False):
    DeleteOnTermination: bool
    Iops: int
    SnapshotId: str
    VolumeSize: int
    VolumeType: str
    Throughput: int
    Encrypted: bool


class BlockDeviceMappingIn(TypedDict, total=False):
    DeviceName: str
    VirtualName: str
    NoDevice: str
    Ebs: EbsIn


class MonitoringIn(TypedDict, total=False):
    Enabled: bool
    MetricCategoryIds: list[str]


class HibernationIn(TypedDict, total=False):
    Configured: bool


class EnclaveIn(TypedDict, total=False):
    Enabled: bool


def _reservation(
    ctx: Ctx, reservation_id: str, instances: list[Instance], *, at_launch: bool = False
) -> Reservation:
    return {
        "ReservationId": reservation_id,
        "OwnerId": ctx.account_id,
        "Groups": [],
        "Instances": [i.describe(at_launch=at_launch) for i in instances],
    }


def _zone_name(ctx: Ctx, placement: PlacementIn) -> str | None:
    zone_name = placement.get("AvailabilityZone")
    zone_id = placement.get("AvailabilityZoneId")
    if zone_id:
        by_id = {z.zone_id: z.name for z in ctx.backend.zones.values()}
        if zone_id not in by_id:
            raise InvalidParameterValue(f"Invalid availability zone ID: [{zone_id}]")
        zone_name = zone_name or by_id[zone_id]
    return zone_name


_PLAIN_METADATA = MetadataOptions()


def _metadata_options(ctx: Ctx, metadata: InstanceMetadataOptionsRequest) -> MetadataOptions:
    """The request's options over the account's defaults (ModifyInstanceMetadataDefaults)."""
    defaults = ctx.backend.instances.metadata_defaults
    if not metadata and not defaults:
        return _PLAIN_METADATA  # most launches; instances never change their options in place
    hop_limit = metadata.get("HttpPutResponseHopLimit")
    if hop_limit is None:
        hop_limit = int(defaults.get("HttpPutResponseHopLimit", 1))
    check_hop_limit(hop_limit)
    http_tokens = metadata.get("HttpTokens") or str(defaults.get("HttpTokens", "optional"))
    enforce_metadata_defaults(defaults, http_tokens)
    return MetadataOptions(
        http_tokens=http_tokens,
        hop_limit=hop_limit,
        http_endpoint=metadata.get("HttpEndpoint") or str(defaults.get("HttpEndpoint", "enabled")),
        http_protocol_ipv6=metadata.get("HttpProtocolIpv6") or "disabled",
        instance_metadata_tags=metadata.get("InstanceMetadataTags")
        or str(defaults.get("InstanceMetadataTags", "disabled")),
    )


def _user_data(raw: str | None) -> bytes | None:
    if raw is None:
        return None
    try:
        data = base64.b64decode(raw, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidParameterValue("Invalid BASE64 encoding of user data.") from None
    if len(data) > USER_DATA_LIMIT:
        raise InvalidParameterValue(f"User data is limited to {USER_DATA_LIMIT} bytes.")
    return data


def _block_devices(mappings: list[BlockDeviceMappingIn]) -> list[BlockDeviceSpec]:
    devices = []
    for position, mapping in enumerate(mappings, start=1):
        name = mapping.get("DeviceName")
        if not name:
            raise MissingParameter(f"BlockDeviceMapping.{position}.DeviceName")
        ebs = mapping.get("Ebs") or {}
        size = ebs.get("VolumeSize")
        if size is not None and not 1 <= size <= 65536:
            raise InvalidParameterValue(
                f"Volume of {size}GiB is outside the allowed range of 1-65536 GiB."
            )
        devices.append(
            BlockDeviceSpec(
                device_name=name,
                volume_size=size,
                volume_type=ebs.get("VolumeType"),
                delete_on_termination=ebs.get("DeleteOnTermination"),
                snapshot_id=ebs.get("SnapshotId"),
                encrypted=ebs.get("Encrypted"),
                iops=ebs.get("Iops"),
                throughput=ebs.get("Throughput"),
                no_device="NoDevice" in mapping,
                virtual_name=mapping.get("VirtualName"),
                ebs="Ebs" in mapping,
            )
        )
    return devices


class CpuOptionsIn(TypedDict, total=False):
    CoreCount: int
    ThreadsPerCore: int
    AmdSevSnp: str
    NestedVirtualization: str


class InterfaceIn(TypedDict, total=False):
    AssociatePublicIpAddress: bool
    DeleteOnTermination: bool
    Description: str
    DeviceIndex: int
    Groups: list[str]
    Ipv6AddressCount: int
    Ipv6Addresses: list[InstanceIpv6Address]
    NetworkInterfaceId: str
    PrivateIpAddress: str
    PrivateIpAddresses: list[PrivateIpAddressSpecification]
    SecondaryPrivateIpAddressCount: int
    SubnetId: str
    InterfaceType: str
    NetworkCardIndex: int
    Ipv4Prefixes: list[Ipv4PrefixSpecificationRequest]
    Ipv4PrefixCount: int
    Ipv6Prefixes: list[Ipv6PrefixSpecificationRequest]
    Ipv6PrefixCount: int
    PrimaryIpv6: bool
    EnaSrdSpecification: EnaSrdSpecificationRequest
    ConnectionTrackingSpecification: ConnectionTrackingSpecificationRequest
    EnaQueueCount: int


def _interface(entry: InterfaceIn) -> InterfaceLaunch:
    ena = entry.get("EnaSrdSpecification")
    ena_srd = None
    if ena is not None:
        ena_srd = (
            ena.get("EnaSrdEnabled"),
            (ena.get("EnaSrdUdpSpecification") or {}).get("EnaSrdUdpEnabled"),
        )
    conntrack = entry.get("ConnectionTrackingSpecification")
    checked = (
        check_conntrack({k: v for k, v in conntrack.items() if isinstance(v, int)})
        if conntrack
        else {}
    )
    return InterfaceLaunch(
        device_index=entry.get("DeviceIndex"),
        network_interface_id=entry.get("NetworkInterfaceId"),
        subnet_id=entry.get("SubnetId"),
        group_ids=tuple(entry.get("Groups") or ()),
        description=entry.get("Description"),
        private_ip=entry.get("PrivateIpAddress"),
        private_ips=tuple(
            (a["PrivateIpAddress"], bool(a.get("Primary")))
            for a in entry.get("PrivateIpAddresses") or []
            if a.get("PrivateIpAddress")
        ),
        secondary_count=entry.get("SecondaryPrivateIpAddressCount"),
        ipv6_addresses=tuple(
            a["Ipv6Address"] for a in entry.get("Ipv6Addresses") or [] if a.get("Ipv6Address")
        ),
        ipv6_count=entry.get("Ipv6AddressCount"),
        ipv4_prefixes=tuple(
            p["Ipv4Prefix"] for p in entry.get("Ipv4Prefixes") or [] if p.get("Ipv4Prefix")
        ),
        ipv4_prefix_count=entry.get("Ipv4PrefixCount"),
        ipv6_prefixes=tuple(
            p["Ipv6Prefix"] for p in entry.get("Ipv6Prefixes") or [] if p.get("Ipv6Prefix")
        ),
        ipv6_prefix_count=entry.get("Ipv6PrefixCount"),
        primary_ipv6=bool(entry.get("PrimaryIpv6")),
        associate_public_ip=entry.get("AssociatePublicIpAddress"),
        delete_on_termination=entry.get("DeleteOnTermination"),
        interface_type=entry.get("InterfaceType"),
        network_card_index=entry.get("NetworkCardIndex"),
        ena_srd=ena_srd,
        ena_queue_count=entry.get("EnaQueueCount"),
        conntrack=tuple(checked.items()),
    )


def _spot_options(
    market: InstanceMarketOptionsRequest,
) -> tuple[str | None, str | None, str | None] | None:
    if market.get("MarketType") != "spot":
        if market.get("SpotOptions"):
            raise InvalidParameterCombination(
                "SpotOptions can only be specified with the spot market type."
            )
        return None
    options = market.get("SpotOptions") or {}
    if options.get("BlockDurationMinutes") is not None:
        raise InvalidParameterValue(
            "Spot Instances with a defined duration (also known as Spot blocks) are no longer "
            "available."
        )
    kind = options.get("SpotInstanceType") or "one-time"
    behaviour = options.get("InstanceInterruptionBehavior") or "terminate"
    if kind == "persistent" and behaviour == "terminate":
        raise InvalidParameterCombination(
            "A persistent Spot Instance request launched by RunInstances requires the "
            "interruption behavior stop or hibernate."
        )
    if kind == "one-time" and behaviour != "terminate":
        raise InvalidParameterCombination(
            f"The interruption behavior {behaviour} is only supported for persistent Spot "
            "Instance requests."
        )
    if options.get("ValidUntil") is not None and kind != "persistent":
        raise InvalidParameterCombination(
            "ValidUntil is only supported for persistent Spot Instance requests."
        )
    price = options.get("MaxPrice")
    if price is not None:
        try:
            if float(price) <= 0:
                raise ValueError
        except ValueError:
            raise InvalidParameterValue(f"Invalid value '{price}' for MaxPrice.") from None
    return price, kind, behaviour


def resolve_instance_profile(
    ctx: Ctx, profile: IamInstanceProfileSpecification | None
) -> tuple[str, str] | None:
    """(arn, id) of the named instance profile, asked of IAM as the caller."""
    if not profile:
        return None
    arn = profile.get("Arn")
    name = profile.get("Name")
    if arn:
        member, value = "arn", arn
        name = name or arn.rsplit("/", 1)[-1]
    elif name:
        member, value = "name", name
    else:
        raise MissingParameter("IamInstanceProfile.Name")
    kind = "ARN" if member == "arn" else "name"
    invalid = InvalidParameterValue(
        f"Value ({value}) for parameter iamInstanceProfile.{member} is invalid. Invalid IAM "
        f"Instance Profile {kind}"
    )
    try:
        found = ctx.services.call("iam", "GetInstanceProfile", {"InstanceProfileName": name})
    except ServiceError:
        raise invalid from None
    got = (found or {}).get("InstanceProfile") or {}
    if arn and got.get("Arn") != arn:
        raise invalid
    return got["Arn"], got["InstanceProfileId"]


def _counts(min_count: int | None, max_count: int | None) -> tuple[int, int]:
    if min_count is None:
        raise MissingParameter("MinCount")
    if max_count is None:
        raise MissingParameter("MaxCount")
    return min_count, max_count


def _launch_image(ctx: Ctx, image_id: str | None, client_token: str | None) -> str:
    """The image a launch uses (checked), after the client token's length is."""
    if client_token is not None and len(client_token) > CLIENT_TOKEN_LIMIT:
        raise InvalidParameterValue(
            f"The client token must be at most {CLIENT_TOKEN_LIMIT} characters long."
        )
    image_id = resolve_image_id(ctx, image_id)
    if not image_id:
        raise MissingParameter("ImageId")
    if not _AMI_ID.match(image_id):
        raise ServiceError(
            f'Invalid id: "{image_id}" (expecting "ami-...")', code="InvalidAMIID.Malformed"
        )
    return image_id


def _run_plain(
    ctx: Ctx,
    *,
    MinCount: int | None = None,
    MaxCount: int | None = None,
    ImageId: str | None = None,
    InstanceType: str | None = None,
    KeyName: str | None = None,
    SecurityGroupIds: list[str] | None = None,
    SecurityGroups: list[str] | None = None,
    SubnetId: str | None = None,
    PrivateIpAddress: str | None = None,
    UserData: str | None = None,
    TagSpecifications: list[TagSpecification] | None = None,
    ClientToken: str | None = None,
    EbsOptimized: bool | None = None,
    MetadataOptions: InstanceMetadataOptionsRequest | None = None,
    DisableApiTermination: bool | None = None,
    DisableApiStop: bool | None = None,
    InstanceInitiatedShutdownBehavior: str | None = None,
) -> Reservation:
    """Most launches: none of the options beyond these basics, so every other member of
    the spec keeps its default (as the full path would give it), and the launch may skip
    what those options decide. Its parameters are the basics: every other member of
    RunInstances sends a launch down the full path (see :func:`run_instances`)."""
    MinCount, MaxCount = _counts(MinCount, MaxCount)
    ImageId = _launch_image(ctx, ImageId, ClientToken)
    tags = tag_specifications(TagSpecifications, RUN_INSTANCES_TAGGABLE)
    spec: LaunchSpec = new_object(LaunchSpec)
    # by position, as LaunchSpec declares the basics: 18 keywords count as 36 arguments,
    # past the 30 beyond which CPython 3.11 makes a slow generic call (see _store_new)
    spec.__init__(  # type: ignore[misc]
        ImageId,
        MinCount,
        MaxCount,
        InstanceType or DEFAULT_INSTANCE_TYPE,
        KeyName,
        SubnetId,
        tuple(SecurityGroupIds) if SecurityGroupIds else (),
        tuple(SecurityGroups) if SecurityGroups else (),
        PrivateIpAddress,
        _user_data(UserData),
        tuple((kind, tuple(t.items())) for kind, t in tags.items()) if tags else (),
        ClientToken,
        bool(EbsOptimized),
        _metadata_options(ctx, MetadataOptions or {}),
        bool(DisableApiTermination),
        bool(DisableApiStop),
        InstanceInitiatedShutdownBehavior or "stop",
        launching_template(),
    )
    spec.plain = True
    reservation_id, instances = ctx.backend.instances.launch(spec)
    return _reservation(ctx, reservation_id, instances, at_launch=True)


def _run_full(
    ctx: Ctx,
    *,
    MinCount: int | None = None,
    MaxCount: int | None = None,
    ImageId: str | None = None,
    InstanceType: str | None = None,
    KeyName: str | None = None,
    SecurityGroupIds: list[str] | None = None,
    SecurityGroups: list[str] | None = None,
    SubnetId: str | None = None,
    PrivateIpAddress: str | None = None,
    UserData: str | None = None,
    Placement: PlacementIn | None = None,
    TagSpecifications: list[TagSpecification] | None = None,
    ClientToken: str | None = None,
    Monitoring: MonitoringIn | None = None,
    EbsOptimized: bool | None = None,
    MetadataOptions: InstanceMetadataOptionsRequest | None = None,
    BlockDeviceMappings: list[BlockDeviceMappingIn] | None = None,
    DisableApiTermination: bool | None = None,
    DisableApiStop: bool | None = None,
    InstanceInitiatedShutdownBehavior: str | None = None,
    HibernationOptions: HibernationIn | None = None,
    EnclaveOptions: EnclaveIn | None = None,
    InstanceMarketOptions: InstanceMarketOptionsRequest | None = None,
    CapacityReservationSpecification: CapacityReservationSpecification | None = None,
    CreditSpecification: CreditSpecificationRequest | None = None,
    CpuOptions: CpuOptionsIn | None = None,
    IamInstanceProfile: IamInstanceProfileSpecification | None = None,
    MaintenanceOptions: InstanceMaintenanceOptionsRequest | None = None,
    PrivateDnsNameOptions: PrivateDnsNameOptionsRequest | None = None,
    EnablePrimaryIpv6: bool | None = None,
    NetworkPerformanceOptions: InstanceNetworkPerformanceOptionsRequest | None = None,
    LicenseSpecifications: list[LicenseConfigurationRequest] | None = None,
    KernelId: str | None = None,
    RamdiskId: str | None = None,
    AdditionalInfo: str | None = None,
    Ipv6Addresses: list[InstanceIpv6Address] | None = None,
    Ipv6AddressCount: int | None = None,
    Operator: OperatorRequest | None = None,
    NetworkInterfaces: list[InterfaceIn] | None = None,
    ElasticGpuSpecification: list[ElasticGpuSpecification] | None = None,
    ElasticInferenceAccelerators: list[ElasticInferenceAccelerator] | None = None,
    LaunchTemplate: LaunchTemplateSpecification | None = None,
) -> Reservation:
    """A launch with any member beyond the basics :func:`_run_plain` takes."""
    MinCount, MaxCount = _counts(MinCount, MaxCount)
    if LaunchTemplate is not None:  # the template's data fills what the request leaves out
        return run_from_template(ctx, LaunchTemplate, run_instances, locals())  # type: ignore[no-any-return]
    ImageId = _launch_image(ctx, ImageId, ClientToken)
    # both accelerator services are retired; EC2 no longer takes them
    if ElasticGpuSpecification:
        raise InvalidParameterValue(
            "Specifying Elastic Graphics accelerators is no longer supported on the "
            "RunInstances API."
        )
    if ElasticInferenceAccelerators:
        raise InvalidParameterValue(
            "Specifying Elastic Inference accelerators is no longer supported on the "
            "RunInstances API."
        )
    instance_type = InstanceType or DEFAULT_INSTANCE_TYPE
    tags = tag_specifications(TagSpecifications, RUN_INSTANCES_TAGGABLE)
    placement = Placement or {}
    market = InstanceMarketOptions or {}
    capacity = CapacityReservationSpecification or {}
    target = capacity.get("CapacityReservationTarget") or {}
    cpu = CpuOptions or {}
    dns = PrivateDnsNameOptions or {}
    monitoring = Monitoring or {}
    spec = LaunchSpec(
        image_id=ImageId,
        min_count=MinCount,
        max_count=MaxCount,
        instance_type=instance_type,
        key_name=KeyName,
        subnet_id=SubnetId,
        zone_name=_zone_name(ctx, placement),
        tenancy=placement.get("Tenancy") or "default",
        security_group_ids=tuple(SecurityGroupIds or ()),
        security_group_names=tuple(SecurityGroups or ()),
        private_ip=PrivateIpAddress,
        user_data=_user_data(UserData),
        tags=tuple((kind, tuple(t.items())) for kind, t in tags.items()),
        client_token=ClientToken,
        monitoring=bool(monitoring.get("Enabled")),
        metric_categories=tuple(monitoring.get("MetricCategoryIds") or ()),
        ebs_optimized=bool(EbsOptimized),
        metadata=_metadata_options(ctx, MetadataOptions or {}),
        block_devices=tuple(_block_devices(BlockDeviceMappings)) if BlockDeviceMappings else (),
        disable_api_termination=bool(DisableApiTermination),
        disable_api_stop=bool(DisableApiStop),
        shutdown_behavior=InstanceInitiatedShutdownBehavior or "stop",
        launch_template=launching_template(),
        placement_group=placement.get("GroupName") or None,
        placement_group_id=placement.get("GroupId") or None,
        partition_number=placement.get("PartitionNumber"),
        host_id=placement.get("HostId") or None,
        affinity=placement.get("Affinity") or None,
        host_resource_group_arn=placement.get("HostResourceGroupArn") or None,
        spread_domain=placement.get("SpreadDomain") or None,
        capacity_reservation_preference=capacity.get("CapacityReservationPreference"),
        capacity_reservation_id=target.get("CapacityReservationId"),
        capacity_reservation_group_arn=target.get("CapacityReservationResourceGroupArn"),
        lifecycle=market.get("MarketType"),
        spot_options=_spot_options(market),
        hibernation=bool((HibernationOptions or {}).get("Configured")),
        enclave=bool((EnclaveOptions or {}).get("Enabled")),
        cpu_credits=(CreditSpecification or {}).get("CpuCredits"),
        core_count=cpu.get("CoreCount"),
        threads_per_core=cpu.get("ThreadsPerCore"),
        amd_sev_snp=cpu.get("AmdSevSnp"),
        nested_virtualization=cpu.get("NestedVirtualization"),
        iam_profile=resolve_instance_profile(ctx, IamInstanceProfile),
        auto_recovery=(MaintenanceOptions or {}).get("AutoRecovery"),
        hostname_type=dns.get("HostnameType"),
        dns_a_record=dns.get("EnableResourceNameDnsARecord"),
        dns_aaaa_record=dns.get("EnableResourceNameDnsAAAARecord"),
        bandwidth_weighting=(NetworkPerformanceOptions or {}).get("BandwidthWeighting"),
        license_arns=tuple(
            spec["LicenseConfigurationArn"]
            for spec in LicenseSpecifications
            if spec.get("LicenseConfigurationArn")
        )
        if LicenseSpecifications
        else (),
        operator_principal=(Operator or {}).get("Principal"),
        kernel_id=KernelId,
        ramdisk_id=RamdiskId,
        additional_info=AdditionalInfo,
        ipv6_addresses=tuple(a["Ipv6Address"] for a in Ipv6Addresses if "Ipv6Address" in a)
        if Ipv6Addresses
        else (),
        ipv6_count=Ipv6AddressCount,
        enable_primary_ipv6=bool(EnablePrimaryIpv6),
        interfaces=tuple(_interface(entry) for entry in NetworkInterfaces)
        if NetworkInterfaces
        else (),
    )
    reservation_id, instances = ctx.backend.instances.launch(spec)
    return _reservation(ctx, reservation_id, instances, at_launch=True)


def _keyword_members(fn: Callable[..., Any]) -> frozenset[str]:
    return frozenset(
        name
        for name, p in inspect.signature(fn).parameters.items()
        if p.kind is inspect.Parameter.KEYWORD_ONLY
    )


#: the members the plain path takes (its signature's): the basics
PLAIN_MEMBERS = _keyword_members(_run_plain)
#: every other member RunInstances takes: one of them given sends a launch down the full
#: path, so a member added to the full path's signature can never be dropped by the plain one
FULL_ONLY_MEMBERS = _keyword_members(_run_full) - PLAIN_MEMBERS
if not PLAIN_MEMBERS.issubset(_keyword_members(_run_full)):
    raise TypeError("the plain launch path takes members the full path does not")


@operation("RunInstances")
def run_instances(ctx: Ctx, **members: Any) -> Reservation:
    """The plain path when the request gives only basics, the full path otherwise.

    Its signature (what the contract, the catalogue and launch templates read) is the
    full path's; the choice costs a set operation on the members given, no more.
    """
    if not FULL_ONLY_MEMBERS.isdisjoint(members):
        # a launch from a template passes every member, most of them None (the default of
        # each, so dropping them changes nothing)
        members = {name: value for name, value in members.items() if value is not None}
        if not FULL_ONLY_MEMBERS.isdisjoint(members):
            return _run_full(ctx, **members)
    return _run_plain(ctx, **members)


run_instances.__signature__ = inspect.signature(_run_full)  # type: ignore[attr-defined]


@operation("DescribeInstances", filters=INSTANCES)
def describe_instances(
    ctx: Ctx,
    *,
    InstanceIds: list[str] | None = None,
    # cloudmock launches no instances on behalf of AWS services, so there are none to add
    IncludeManagedResources: bool = False,
    Filters: list[Filter] | None = None,
    NextToken: str | None = None,
    MaxResults: int | None = None,
) -> DescribeInstancesResult:
    refuse_ids_with_max_results(ctx, InstanceIds, MaxResults, "InstanceIds")
    store = ctx.backend.instances.store
    instances = (
        store.get_many(InstanceIds) if InstanceIds else candidates(store, Filters, INSTANCES)
    )
    instances = apply_filters(instances, Filters, INSTANCES, ctx.operation_model)
    shown, token = page(ctx, instances, MaxResults, NextToken)
    # Instances launched together share a reservation; keep them together, in launch order.
    grouped: dict[str, list[Instance]] = {}
    for instance in shown:
        grouped.setdefault(instance.reservation_id, []).append(instance)
    result: DescribeInstancesResult = {
        "Reservations": [_reservation(ctx, rid, members) for rid, members in grouped.items()]
    }
    if token:
        result["NextToken"] = token
    return result


@operation("DescribeInstanceStatus", filters=STATUSES)
def describe_instance_status(
    ctx: Ctx,
    *,
    InstanceIds: list[str] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
    # as for DescribeInstances: there are no managed instances to add
    IncludeManagedResources: bool = False,
    Filters: list[Filter] | None = None,
    IncludeAllInstances: bool = False,
) -> DescribeInstanceStatusResult:
    refuse_ids_with_max_results(ctx, InstanceIds, MaxResults, "InstanceIds")
    family = ctx.backend.instances
    instances = family.store.get_many(InstanceIds) if InstanceIds else list(family.store)
    if not IncludeAllInstances:
        instances = [i for i in instances if i.state == "running"]
    pairs = [(i, family.status(i)) for i in instances]
    pairs = apply_filters(pairs, Filters, STATUSES, ctx.operation_model)
    shown, token = page(ctx, pairs, MaxResults, NextToken)
    result: DescribeInstanceStatusResult = {"InstanceStatuses": [status for _, status in shown]}
    if token:
        result["NextToken"] = token
    return result


@operation("StartInstances")
def start_instances(ctx: Ctx, *, InstanceIds: list[str]) -> StartInstancesResult:
    return {"StartingInstances": ctx.backend.instances.start(InstanceIds)}


@operation("StopInstances")
def stop_instances(
    ctx: Ctx,
    *,
    InstanceIds: list[str],
    Force: bool = False,
    SkipOsShutdown: bool = False,
    Hibernate: bool = False,
) -> StopInstancesResult:
    stopping = ctx.backend.instances.stop(
        InstanceIds, skip_os_shutdown=Force or SkipOsShutdown, hibernate=Hibernate
    )
    return {"StoppingInstances": stopping}


@operation("TerminateInstances")
def terminate_instances(
    ctx: Ctx, *, InstanceIds: list[str], Force: bool = False, SkipOsShutdown: bool = False
) -> TerminateInstancesResult:
    family = ctx.backend.instances
    return {
        "TerminatingInstances": family.terminate(
            InstanceIds, skip_os_shutdown=Force or SkipOsShutdown
        )
    }


@operation("RebootInstances")
def reboot_instances(ctx: Ctx, *, InstanceIds: list[str]) -> None:
    ctx.backend.instances.reboot(InstanceIds)
