"""DescribeInstanceAttribute, ModifyInstanceAttribute, ResetInstanceAttribute."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cloudmock.core.errors import InvalidParameterCombination, MissingParameter
from cloudmock.core.plugin import operation
from cloudmock.services.ec2.models.instance_attributes import (
    describe_attribute,
    modify_attribute,
    reset_attribute,
)
from cloudmock.services.ec2.responses.common import Ctx

if TYPE_CHECKING:
    from cloudmock.services.ec2.shapes import (
        AttributeBooleanValue,
        AttributeValue,
        EnclaveOptionsRequest,
        InstanceAttribute,
        InstanceBlockDeviceMappingSpecification,
        SecureBlobAttributeValue,
    )


@operation("DescribeInstanceAttribute")
def describe_instance_attribute(ctx: Ctx, *, InstanceId: str, Attribute: str) -> InstanceAttribute:
    instance = ctx.backend.instances.store.get(InstanceId)
    return describe_attribute(ctx.backend, instance, Attribute)


@operation("ModifyInstanceAttribute")
def modify_instance_attribute(
    ctx: Ctx,
    *,
    InstanceId: str,
    Attribute: str | None = None,
    Value: str | None = None,
    SourceDestCheck: AttributeBooleanValue | None = None,
    EnclaveOptions: EnclaveOptionsRequest | None = None,
    DisableApiStop: AttributeBooleanValue | None = None,
    BlockDeviceMappings: list[InstanceBlockDeviceMappingSpecification] | None = None,
    DisableApiTermination: AttributeBooleanValue | None = None,
    InstanceType: AttributeValue | None = None,
    Kernel: AttributeValue | None = None,
    Ramdisk: AttributeValue | None = None,
    UserData: SecureBlobAttributeValue | None = None,
    InstanceInitiatedShutdownBehavior: AttributeValue | None = None,
    Groups: list[str] | None = None,
    EbsOptimized: AttributeBooleanValue | None = None,
    SriovNetSupport: AttributeValue | None = None,
    EnaSupport: AttributeBooleanValue | None = None,
) -> None:
    # each structured member names its attribute; exactly one attribute per request
    given: dict[str, Any] = {
        name: member
        for name, member in (
            ("sourceDestCheck", SourceDestCheck),
            ("enclaveOptions", EnclaveOptions),
            ("disableApiStop", DisableApiStop),
            ("blockDeviceMapping", BlockDeviceMappings),
            ("disableApiTermination", DisableApiTermination),
            ("instanceType", InstanceType),
            ("kernel", Kernel),
            ("ramdisk", Ramdisk),
            ("userData", UserData),
            ("instanceInitiatedShutdownBehavior", InstanceInitiatedShutdownBehavior),
            ("groupSet", Groups),
            ("ebsOptimized", EbsOptimized),
            ("sriovNetSupport", SriovNetSupport),
            ("enaSupport", EnaSupport),
        )
        if member is not None
    }
    if Attribute is not None and Value is None and Attribute in given:
        given = {Attribute: given[Attribute]} if len(given) == 1 else given
        Attribute = None
    if (Attribute is not None) + len(given) > 1:
        raise InvalidParameterCombination(
            "Only one attribute can be modified at a time: give Attribute and Value, or one "
            "attribute member."
        )
    if Attribute is None and not given:
        raise MissingParameter("Attribute")
    instance = ctx.backend.instances.store.get(InstanceId)
    if Attribute is not None:
        modify_attribute(ctx.backend, instance, Attribute, Value)
        return
    [(name, member)] = given.items()
    if name == "groupSet":
        modify_attribute(ctx.backend, instance, name, None, groups=member)
    elif name == "blockDeviceMapping":
        devices = [
            (
                mapping.get("DeviceName", ""),
                mapping.get("Ebs", {}).get("DeleteOnTermination"),
                mapping.get("Ebs", {}).get("VolumeId"),
            )
            for mapping in member
        ]
        modify_attribute(ctx.backend, instance, name, None, devices=devices)
    elif name == "enclaveOptions":
        modify_attribute(ctx.backend, instance, name, member.get("Enabled"))
    else:
        modify_attribute(ctx.backend, instance, name, member.get("Value"))


@operation("ResetInstanceAttribute")
def reset_instance_attribute(ctx: Ctx, *, InstanceId: str, Attribute: str) -> None:
    instance = ctx.backend.instances.store.get(InstanceId)
    reset_attribute(ctx.backend, instance, Attribute)
