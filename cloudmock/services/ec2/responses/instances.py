"""RunInstances, DescribeInstances, DescribeInstanceStatus, Start/Stop/Reboot/TerminateInstances."""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any

from cloudmock.core.errors import InvalidParameterValue, MissingParameter, ServiceError
from cloudmock.core.plugin import Params, RequestContext, operation
from cloudmock.services.ec2.filters import FilterSet, apply_filters
from cloudmock.services.ec2.models.instance_types import DEFAULT_INSTANCE_TYPE
from cloudmock.services.ec2.models.instances import (
    INSTANCE_FILTERS,
    INSTANCE_STATUS_FILTERS,
    BlockDeviceSpec,
    LaunchSpec,
    MetadataOptions,
)
from cloudmock.services.ec2.models.tags import tag_specifications
from cloudmock.services.ec2.responses.common import page, refuse_ids_with_max_results, with_token

INSTANCES: FilterSet[Any] = FilterSet(INSTANCE_FILTERS)
STATUSES: FilterSet[Any] = FilterSet(INSTANCE_STATUS_FILTERS, tags=lambda pair: pair[0].tags)

_AMI_ID = re.compile(r"^ami-[0-9a-f]{1,17}$")
USER_DATA_LIMIT = 16 * 1024
CLIENT_TOKEN_LIMIT = 64
RUN_INSTANCES_TAGGABLE = ("instance", "volume", "network-interface")


def _reservation(
    ctx: RequestContext, reservation_id: str, instances: list[Any], *, at_launch: bool = False
) -> dict[str, Any]:
    return {
        "ReservationId": reservation_id,
        "OwnerId": ctx.account_id,
        "Groups": [],
        "Instances": [i.describe(at_launch=at_launch) for i in instances],
    }


def _launch_spec(ctx: RequestContext, params: Params) -> LaunchSpec:
    token = params.get("ClientToken")
    if token is not None and len(token) > CLIENT_TOKEN_LIMIT:
        raise InvalidParameterValue(
            f"The client token must be at most {CLIENT_TOKEN_LIMIT} characters long."
        )
    image_id = params.get("ImageId")
    if not image_id:
        raise MissingParameter("ImageId")
    if not _AMI_ID.match(image_id):
        raise ServiceError(
            f'Invalid id: "{image_id}" (expecting "ami-...")', code="InvalidAMIID.Malformed"
        )
    placement = params.get("Placement") or {}
    zone_name = placement.get("AvailabilityZone")
    if placement.get("AvailabilityZoneId"):
        by_id = {z.zone_id: z.name for z in ctx.backend.zones.values()}
        if placement["AvailabilityZoneId"] not in by_id:
            raise InvalidParameterValue(
                f"Invalid availability zone ID: [{placement['AvailabilityZoneId']}]"
            )
        zone_name = zone_name or by_id[placement["AvailabilityZoneId"]]
    for unsupported in (
        "GroupName",
        "GroupId",
        "HostId",
        "Affinity",
        "PartitionNumber",
        "SpreadDomain",
        "HostResourceGroupArn",
    ):
        if placement.get(unsupported):
            raise ServiceError(
                f"cloudmock does not support Placement.{unsupported} of RunInstances yet.",
                code="UnsupportedOperation",
            )
    tags = tag_specifications(params.get("TagSpecifications"), RUN_INSTANCES_TAGGABLE)
    metadata = params.get("MetadataOptions") or {}
    hop_limit = metadata.get("HttpPutResponseHopLimit", 1)
    if not 1 <= hop_limit <= 64:
        raise InvalidParameterValue(
            f"Invalid value '{hop_limit}' for HttpPutResponseHopLimit. It must be between 1 and 64."
        )
    return LaunchSpec(
        image_id=image_id,
        min_count=params["MinCount"],
        max_count=params["MaxCount"],
        instance_type=params.get("InstanceType") or DEFAULT_INSTANCE_TYPE,
        key_name=params.get("KeyName"),
        subnet_id=params.get("SubnetId"),
        zone_name=zone_name,
        tenancy=placement.get("Tenancy") or "default",
        security_group_ids=tuple(params.get("SecurityGroupIds") or ()),
        security_group_names=tuple(params.get("SecurityGroups") or ()),
        private_ip=params.get("PrivateIpAddress"),
        user_data=_user_data(params.get("UserData")),
        tags=tuple((kind, tuple(t.items())) for kind, t in tags.items()),
        client_token=params.get("ClientToken"),
        monitoring=bool((params.get("Monitoring") or {}).get("Enabled")),
        ebs_optimized=bool(params.get("EbsOptimized")),
        metadata=MetadataOptions(
            http_tokens=metadata.get("HttpTokens") or "optional",
            hop_limit=hop_limit,
            http_endpoint=metadata.get("HttpEndpoint") or "enabled",
            http_protocol_ipv6=metadata.get("HttpProtocolIpv6") or "disabled",
            instance_metadata_tags=metadata.get("InstanceMetadataTags") or "disabled",
        ),
        block_devices=tuple(_block_devices(params.get("BlockDeviceMappings") or [])),
        disable_api_termination=bool(params.get("DisableApiTermination")),
        shutdown_behavior=params.get("InstanceInitiatedShutdownBehavior") or "stop",
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


def _block_devices(mappings: list[dict[str, Any]]) -> list[BlockDeviceSpec]:
    devices = []
    for position, mapping in enumerate(mappings, start=1):
        name = mapping.get("DeviceName")
        if not name:
            raise MissingParameter(f"BlockDeviceMapping.{position}.DeviceName")
        ebs = mapping.get("Ebs") or {}
        for unsupported in (
            "KmsKeyId",
            "OutpostArn",
            "AvailabilityZone",
            "AvailabilityZoneId",
            "EbsCardIndex",
            "VolumeInitializationRate",
        ):
            if ebs.get(unsupported):
                raise ServiceError(
                    f"cloudmock does not support BlockDeviceMapping.Ebs.{unsupported} "
                    "of RunInstances yet.",
                    code="UnsupportedOperation",
                )
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


@operation(
    "RunInstances",
    accepts={
        "ImageId",
        "MinCount",
        "MaxCount",
        "InstanceType",
        "KeyName",
        "SecurityGroupIds",
        "SecurityGroups",
        "SubnetId",
        "PrivateIpAddress",
        "UserData",
        "Placement",
        "TagSpecifications",
        "ClientToken",
        "Monitoring",
        "EbsOptimized",
        "MetadataOptions",
        "BlockDeviceMappings",
        "DisableApiTermination",
        "InstanceInitiatedShutdownBehavior",
    },
)
def run_instances(ctx: RequestContext, params: Params) -> dict[str, Any]:
    reservation_id, instances = ctx.backend.instances.launch(_launch_spec(ctx, params))
    return _reservation(ctx, reservation_id, instances, at_launch=True)


@operation("DescribeInstances", filters=INSTANCES)
def describe_instances(ctx: RequestContext, params: Params) -> dict[str, Any]:
    refuse_ids_with_max_results(ctx, params, "InstanceIds")
    store = ctx.backend.instances.store
    ids = params.get("InstanceIds")
    instances = store.get_many(ids) if ids else list(store)
    instances = apply_filters(instances, params.get("Filters"), INSTANCES, ctx.operation_model)
    shown, token = page(ctx, instances, params)
    # Instances launched together share a reservation; keep them together, in launch order.
    grouped: dict[str, list[Any]] = {}
    for instance in shown:
        grouped.setdefault(instance.reservation_id, []).append(instance)
    reservations = [_reservation(ctx, rid, members) for rid, members in grouped.items()]
    return with_token({"Reservations": reservations}, token)


@operation("DescribeInstanceStatus", filters=STATUSES)
def describe_instance_status(ctx: RequestContext, params: Params) -> dict[str, Any]:
    refuse_ids_with_max_results(ctx, params, "InstanceIds")
    family = ctx.backend.instances
    ids = params.get("InstanceIds")
    instances = family.store.get_many(ids) if ids else list(family.store)
    if not params.get("IncludeAllInstances"):
        instances = [i for i in instances if i.state == "running"]
    pairs = [(i, family.status(i)) for i in instances]
    pairs = apply_filters(pairs, params.get("Filters"), STATUSES, ctx.operation_model)
    shown, token = page(ctx, pairs, params)
    return with_token({"InstanceStatuses": [status for _, status in shown]}, token)


def _ids(params: Params) -> list[str]:
    ids = params.get("InstanceIds")
    if not ids:
        raise MissingParameter("InstanceId")
    return ids


@operation("StartInstances")
def start_instances(ctx: RequestContext, params: Params) -> dict[str, Any]:
    return {"StartingInstances": ctx.backend.instances.start(_ids(params))}


@operation("StopInstances", accepts={"InstanceIds", "Force", "SkipOsShutdown"})
def stop_instances(ctx: RequestContext, params: Params) -> dict[str, Any]:
    return {"StoppingInstances": ctx.backend.instances.stop(_ids(params))}


@operation("TerminateInstances")
def terminate_instances(ctx: RequestContext, params: Params) -> dict[str, Any]:
    return {"TerminatingInstances": ctx.backend.instances.terminate(_ids(params))}


@operation("RebootInstances")
def reboot_instances(ctx: RequestContext, params: Params) -> None:
    ctx.backend.instances.reboot(_ids(params))
