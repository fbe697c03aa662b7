"""Describe/Modify/ResetInstanceAttribute: one instance attribute at a time."""

from __future__ import annotations

import base64
import re
from typing import TYPE_CHECKING

from cloudmock.core.errors import (
    InvalidParameterCombination,
    InvalidParameterValue,
    MissingParameter,
    ServiceError,
)
from cloudmock.services.ec2.dryrun import commit
from cloudmock.services.ec2.models.instance_launch import default_cpu, default_credits

if TYPE_CHECKING:
    from cloudmock.services.ec2.models.backend import Ec2Backend
    from cloudmock.services.ec2.models.instances import Instance
    from cloudmock.services.ec2.shapes import InstanceAttribute

#: the Attribute names of DescribeInstanceAttribute (the model's InstanceAttributeName)
ATTRIBUTES = (
    "instanceType",
    "kernel",
    "ramdisk",
    "userData",
    "disableApiTermination",
    "instanceInitiatedShutdownBehavior",
    "rootDeviceName",
    "blockDeviceMapping",
    "productCodes",
    "sourceDestCheck",
    "groupSet",
    "ebsOptimized",
    "sriovNetSupport",
    "enaSupport",
    "enclaveOptions",
    "disableApiStop",
)
#: what only a stopped instance lets change
STOPPED_ONLY = frozenset(
    {
        "instanceType",
        "kernel",
        "ramdisk",
        "userData",
        "ebsOptimized",
        "sriovNetSupport",
        "enaSupport",
        "enclaveOptions",
    }
)
RESETTABLE = ("kernel", "ramdisk", "sourceDestCheck")
_BOOLEAN = frozenset(
    {"disableApiTermination", "sourceDestCheck", "ebsOptimized", "enaSupport", "disableApiStop"}
)
_INSTANCE_TYPE = re.compile(r"^[a-z][a-z0-9-]*\.[a-z0-9-]+$")
_KERNEL = re.compile(r"^aki-(?:[0-9a-f]{8}|[0-9a-f]{17})$")
_RAMDISK = re.compile(r"^ari-(?:[0-9a-f]{8}|[0-9a-f]{17})$")
USER_DATA_LIMIT = 16 * 1024


def unknown_attribute(name: str) -> ServiceError:
    return InvalidParameterValue(
        f"Value ({name}) for parameter attribute is invalid. Unknown attribute."
    )


def not_stopped(instance: Instance) -> ServiceError:
    return ServiceError(
        f"The instance '{instance.id}' is not in the 'stopped' state.",
        code="IncorrectInstanceState",
    )


def _invalid_value(attribute: str, value: object) -> ServiceError:
    return ServiceError(
        f"Value ({value}) for parameter {attribute} is invalid.",
        code="InvalidInstanceAttributeValue",
    )


def describe_attribute(backend: Ec2Backend, instance: Instance, name: str) -> InstanceAttribute:
    out: InstanceAttribute = {"InstanceId": instance.id}
    eni = instance.network_interface
    if name == "instanceType":
        out["InstanceType"] = {"Value": instance.instance_type}
    elif name == "kernel":
        out["KernelId"] = {"Value": instance.kernel_id} if instance.kernel_id else {}
    elif name == "ramdisk":
        out["RamdiskId"] = {"Value": instance.ramdisk_id} if instance.ramdisk_id else {}
    elif name == "userData":
        data = instance.user_data
        out["UserData"] = {"Value": base64.b64encode(data).decode()} if data else {}
    elif name == "disableApiTermination":
        out["DisableApiTermination"] = {"Value": instance.disable_api_termination}
    elif name == "instanceInitiatedShutdownBehavior":
        out["InstanceInitiatedShutdownBehavior"] = {"Value": instance.shutdown_behavior}
    elif name == "rootDeviceName":
        out["RootDeviceName"] = {"Value": instance.extras.root_device_name}
    elif name == "blockDeviceMapping":
        out["BlockDeviceMappings"] = instance.describe()["BlockDeviceMappings"]
    elif name == "productCodes":
        out["ProductCodes"] = []
    elif name == "sourceDestCheck":
        out["SourceDestCheck"] = {"Value": eni.source_dest_check}
    elif name == "groupSet":
        out["Groups"] = [{"GroupId": gid, "GroupName": gname} for gid, gname in eni.groups]
    elif name == "ebsOptimized":
        out["EbsOptimized"] = {"Value": instance.ebs_optimized}
    elif name == "sriovNetSupport":
        sriov = instance.sriov_net_support
        out["SriovNetSupport"] = {"Value": sriov} if sriov else {}
    elif name == "enaSupport":
        out["EnaSupport"] = {"Value": instance.ena_support}
    elif name == "enclaveOptions":
        out["EnclaveOptions"] = {"Enabled": instance.enclave_enabled}
    elif name == "disableApiStop":
        out["DisableApiStop"] = {"Value": instance.disable_api_stop}
    else:
        raise unknown_attribute(name)
    return out


def _as_bool(attribute: str, value: str | bool) -> bool:
    if isinstance(value, bool):
        return value
    lowered = value.strip().lower()
    if lowered not in ("true", "false"):
        raise _invalid_value(attribute, value)
    return lowered == "true"


def modify_attribute(
    backend: Ec2Backend,
    instance: Instance,
    name: str,
    value: str | bool | bytes | None,
    *,
    groups: list[str] | None = None,
    devices: list[tuple[str, bool | None, str | None]] | None = None,
) -> None:
    """Change one attribute; ``value`` is typed as its member gives it (bool, str, bytes)."""
    if name not in ATTRIBUTES:
        raise unknown_attribute(name)
    if name in ("rootDeviceName", "productCodes"):
        raise InvalidParameterValue(
            f"Value ({name}) for parameter attribute is invalid. This attribute cannot be modified."
        )
    if instance.state == "terminated":
        raise ServiceError(
            f"The instance '{instance.id}' is not in a valid state for this operation.",
            code="IncorrectInstanceState",
        )
    if name in STOPPED_ONLY and instance.state != "stopped":
        raise not_stopped(instance)
    family = backend.network_interfaces
    eni = instance.network_interface
    if name == "groupSet":
        if not groups:
            raise MissingParameter("GroupId")
        # the interface family checks the groups (VPC, quota) and commits
        family.modify(eni.id, group_ids=groups)
        return
    if name == "sourceDestCheck":
        assert value is not None and not isinstance(value, bytes)
        family.modify(eni.id, source_dest_check=_as_bool(name, value))
        return
    if name == "blockDeviceMapping":
        _modify_devices(backend, instance, devices or [])
        return
    if value is None:
        raise MissingParameter("Value")
    if name == "userData":
        data = value if isinstance(value, bytes) else str(value).encode()
        if len(data) > USER_DATA_LIMIT:
            raise InvalidParameterValue(f"User data is limited to {USER_DATA_LIMIT} bytes.")
        commit()
        instance.user_data = data or None
        return
    if isinstance(value, bytes):
        value = value.decode()
    if name in _BOOLEAN or name == "enclaveOptions":
        flag = _as_bool(name, value)
        commit()
        if name == "disableApiTermination":
            instance.disable_api_termination = flag
        elif name == "disableApiStop":
            instance.disable_api_stop = flag
        elif name == "ebsOptimized":
            instance.ebs_optimized = flag
        elif name == "enaSupport":
            instance.ena_support = flag
        else:
            instance.enclave_enabled = flag
        return
    assert isinstance(value, str)
    if name == "instanceType":
        if not _INSTANCE_TYPE.match(value):
            raise _invalid_value("instanceType", value)
        commit()
        instance.instance_type = value
        # the new type brings its own CPU layout, and its family's credit option if none is set
        x = instance.extras
        x.core_count, x.threads_per_core = default_cpu(value)
        if x.cpu_credits is None:
            x.cpu_credits = default_credits(value)
    elif name == "kernel":
        check_kernel(value)
        commit()
        instance.kernel_id = value
    elif name == "ramdisk":
        check_ramdisk(value)
        commit()
        instance.ramdisk_id = value
    elif name == "instanceInitiatedShutdownBehavior":
        if value not in ("stop", "terminate"):
            raise _invalid_value("instanceInitiatedShutdownBehavior", value)
        commit()
        instance.shutdown_behavior = value
    elif name == "sriovNetSupport":
        if value != "simple":
            raise _invalid_value("sriovNetSupport", value)
        commit()
        instance.sriov_net_support = value


def check_kernel(value: str) -> None:
    if not _KERNEL.match(value):
        raise ServiceError(
            f'Invalid id: "{value}" (expecting "aki-...")', code="InvalidAKIID.Malformed"
        )


def check_ramdisk(value: str) -> None:
    if not _RAMDISK.match(value):
        raise ServiceError(
            f'Invalid id: "{value}" (expecting "ari-...")', code="InvalidARIID.Malformed"
        )


def _modify_devices(
    backend: Ec2Backend, instance: Instance, devices: list[tuple[str, bool | None, str | None]]
) -> None:
    """BlockDeviceMappings: DeleteOnTermination of devices already mapped."""
    if not devices:
        raise MissingParameter("BlockDeviceMapping")
    mapped = {bd.device_name: bd for bd in instance.block_devices}
    changes = []
    for name, delete, volume_id in devices:
        device = mapped.get(name)
        if device is None:
            raise ServiceError(
                f"The device '{name}' is not mapped to instance '{instance.id}'.",
                code="InvalidInstanceAttributeValue",
            )
        if volume_id is not None and volume_id != device.volume_id:
            raise InvalidParameterCombination(
                f"The volume '{volume_id}' is not attached to instance '{instance.id}' at '{name}'."
            )
        changes.append((device, delete))
    commit()
    for device, delete in changes:
        if delete is None:
            continue
        device.delete_on_termination = delete
        volume = backend.volumes.find(device.volume_id)
        if volume is not None:
            volume.delete_on_termination = delete


def reset_attribute(backend: Ec2Backend, instance: Instance, name: str) -> None:
    if name not in ATTRIBUTES:
        raise unknown_attribute(name)
    if name not in RESETTABLE:
        raise InvalidParameterValue(
            f"Value ({name}) for parameter attribute is invalid. Only attributes kernel, "
            "ramdisk and sourceDestCheck can be reset."
        )
    if name == "sourceDestCheck":
        backend.network_interfaces.reset_source_dest_check(instance.network_interface.id)
        return
    if instance.state != "stopped":
        raise not_stopped(instance)
    commit()
    # the image's own kernel and RAM disk are what the instance goes back to
    if name == "kernel":
        instance.kernel_id = None
    else:
        instance.ramdisk_id = None
