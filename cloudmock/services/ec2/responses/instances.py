"""RunInstances, DescribeInstances, DescribeInstanceStatus, Start/Stop/Reboot/TerminateInstances."""

from __future__ import annotations

import base64
import binascii
import re
from typing import TYPE_CHECKING, Any, TypedDict

from cloudmock.core.errors import (
    InvalidParameterValue,
    MissingParameter,
    ServiceError,
    UnsupportedParameter,
)
from cloudmock.core.plugin import operation
from cloudmock.services.ec2.filters import FilterSet, apply_filters, candidates
from cloudmock.services.ec2.models.instance_types import DEFAULT_INSTANCE_TYPE
from cloudmock.services.ec2.models.instances import (
    INSTANCE_FILTERS,
    INSTANCE_STATUS_FILTERS,
    BlockDeviceSpec,
    Instance,
    LaunchSpec,
    MetadataOptions,
)
from cloudmock.services.ec2.models.tags import tag_specifications
from cloudmock.services.ec2.responses.common import Ctx, page, refuse_ids_with_max_results
from cloudmock.services.ec2.responses.images import resolve_image_id

if TYPE_CHECKING:
    from cloudmock.services.ec2.shapes import (
        DescribeInstancesResult,
        DescribeInstanceStatusResult,
        Filter,
        InstanceMetadataOptionsRequest,
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


def _metadata_options(metadata: InstanceMetadataOptionsRequest) -> MetadataOptions:
    hop_limit = metadata.get("HttpPutResponseHopLimit", 1)
    if not 1 <= hop_limit <= 64:
        raise InvalidParameterValue(
            f"Invalid value '{hop_limit}' for HttpPutResponseHopLimit. It must be between 1 and 64."
        )
    return MetadataOptions(
        http_tokens=metadata.get("HttpTokens") or "optional",
        hop_limit=hop_limit,
        http_endpoint=metadata.get("HttpEndpoint") or "enabled",
        http_protocol_ipv6=metadata.get("HttpProtocolIpv6") or "disabled",
        instance_metadata_tags=metadata.get("InstanceMetadataTags") or "disabled",
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


@operation("RunInstances")
def run_instances(
    ctx: Ctx,
    *,
    MinCount: int,
    MaxCount: int,
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
    EbsOptimized: bool = False,
    MetadataOptions: InstanceMetadataOptionsRequest | None = None,
    BlockDeviceMappings: list[BlockDeviceMappingIn] | None = None,
    DisableApiTermination: bool = False,
    DisableApiStop: bool = False,
    InstanceInitiatedShutdownBehavior: str | None = None,
    HibernationOptions: HibernationIn | None = None,
    EnclaveOptions: EnclaveIn | None = None,
) -> Reservation:
    if ClientToken is not None and len(ClientToken) > CLIENT_TOKEN_LIMIT:
        raise InvalidParameterValue(
            f"The client token must be at most {CLIENT_TOKEN_LIMIT} characters long."
        )
    ImageId = resolve_image_id(ctx, ImageId)
    if not ImageId:
        raise MissingParameter("ImageId")
    if not _AMI_ID.match(ImageId):
        raise ServiceError(
            f'Invalid id: "{ImageId}" (expecting "ami-...")', code="InvalidAMIID.Malformed"
        )
    # instances are never hibernation- or enclave-enabled; asking for it is refused, not ignored
    if (HibernationOptions or {}).get("Configured"):
        raise UnsupportedParameter("RunInstances", "HibernationOptions.Configured")
    if (EnclaveOptions or {}).get("Enabled"):
        raise UnsupportedParameter("RunInstances", "EnclaveOptions.Enabled")
    placement = Placement or {}
    tags = tag_specifications(TagSpecifications, RUN_INSTANCES_TAGGABLE)
    spec = LaunchSpec(
        image_id=ImageId,
        min_count=MinCount,
        max_count=MaxCount,
        instance_type=InstanceType or DEFAULT_INSTANCE_TYPE,
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
        monitoring=bool((Monitoring or {}).get("Enabled")),
        ebs_optimized=EbsOptimized,
        metadata=_metadata_options(MetadataOptions or {}),
        block_devices=tuple(_block_devices(BlockDeviceMappings or [])),
        disable_api_termination=DisableApiTermination,
        disable_api_stop=DisableApiStop,
        shutdown_behavior=InstanceInitiatedShutdownBehavior or "stop",
    )
    reservation_id, instances = ctx.backend.instances.launch(spec)
    return _reservation(ctx, reservation_id, instances, at_launch=True)


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
    ctx: Ctx, *, InstanceIds: list[str], Force: bool = False, SkipOsShutdown: bool = False
) -> StopInstancesResult:
    stopping = ctx.backend.instances.stop(InstanceIds, skip_os_shutdown=Force or SkipOsShutdown)
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
