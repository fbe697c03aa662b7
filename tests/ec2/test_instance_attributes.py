"""Describe/Modify/ResetInstanceAttribute."""

from __future__ import annotations

import base64

import pytest
from ec2_helpers import assert_error, instance, launch, state_of

FAST = {"Delay": 0, "MaxAttempts": 5}


def _running(ec2, **kw):
    [inst] = launch(ec2, **kw)
    ec2.get_waiter("instance_running").wait(InstanceIds=[inst["InstanceId"]], WaiterConfig=FAST)
    return inst["InstanceId"]


def _stopped(ec2, **kw):
    instance_id = _running(ec2, **kw)
    ec2.stop_instances(InstanceIds=[instance_id])
    ec2.get_waiter("instance_stopped").wait(InstanceIds=[instance_id], WaiterConfig=FAST)
    return instance_id


def attr(ec2, instance_id, name):
    out = ec2.describe_instance_attribute(InstanceId=instance_id, Attribute=name)
    assert out["InstanceId"] == instance_id
    return out


def test_describe_every_attribute(ec2):
    instance_id = _running(ec2, UserData="hello", DisableApiTermination=True)
    assert attr(ec2, instance_id, "instanceType")["InstanceType"] == {"Value": "m1.small"}
    assert attr(ec2, instance_id, "kernel")["KernelId"] == {}
    assert attr(ec2, instance_id, "ramdisk")["RamdiskId"] == {}
    user_data = attr(ec2, instance_id, "userData")["UserData"]["Value"]
    assert base64.b64decode(user_data) == b"hello"
    assert attr(ec2, instance_id, "disableApiTermination")["DisableApiTermination"] == {
        "Value": True
    }
    assert attr(ec2, instance_id, "instanceInitiatedShutdownBehavior")[
        "InstanceInitiatedShutdownBehavior"
    ] == {"Value": "stop"}
    assert attr(ec2, instance_id, "rootDeviceName")["RootDeviceName"] == {"Value": "/dev/sda1"}
    [mapping] = attr(ec2, instance_id, "blockDeviceMapping")["BlockDeviceMappings"]
    assert mapping["DeviceName"] == "/dev/sda1"
    assert mapping["Ebs"]["VolumeId"].startswith("vol-")
    assert attr(ec2, instance_id, "productCodes")["ProductCodes"] == []
    assert attr(ec2, instance_id, "sourceDestCheck")["SourceDestCheck"] == {"Value": True}
    [group] = attr(ec2, instance_id, "groupSet")["Groups"]
    assert group["GroupName"] == "default"
    assert attr(ec2, instance_id, "ebsOptimized")["EbsOptimized"] == {"Value": False}
    assert attr(ec2, instance_id, "sriovNetSupport")["SriovNetSupport"] == {}
    assert attr(ec2, instance_id, "enaSupport")["EnaSupport"] == {"Value": True}
    assert attr(ec2, instance_id, "enclaveOptions")["EnclaveOptions"] == {"Enabled": False}
    assert attr(ec2, instance_id, "disableApiStop")["DisableApiStop"] == {"Value": False}
    assert_error(
        ec2.describe_instance_attribute,
        "InvalidParameterValue",
        InstanceId=instance_id,
        Attribute="colour",
    )
    assert_error(
        ec2.describe_instance_attribute,
        "InvalidInstanceID.NotFound",
        InstanceId="i-0123456789abcdef0",
        Attribute="kernel",
    )


@pytest.mark.parametrize(
    ("member", "value", "attribute", "shown"),
    [
        ("InstanceType", {"Value": "t3.large"}, "instanceType", {"Value": "t3.large"}),
        (
            "Kernel",
            {"Value": "aki-0123456789abcdef0"},
            "kernel",
            {"Value": "aki-0123456789abcdef0"},
        ),
        (
            "Ramdisk",
            {"Value": "ari-0123456789abcdef0"},
            "ramdisk",
            {"Value": "ari-0123456789abcdef0"},
        ),
        ("EbsOptimized", {"Value": True}, "ebsOptimized", {"Value": True}),
        ("SriovNetSupport", {"Value": "simple"}, "sriovNetSupport", {"Value": "simple"}),
        ("EnaSupport", {"Value": False}, "enaSupport", {"Value": False}),
    ],
)
def test_stopped_only_attributes(ec2, member, value, attribute, shown):
    running = _running(ec2)
    assert_error(
        ec2.modify_instance_attribute,
        "IncorrectInstanceState",
        message=f"The instance '{running}' is not in the 'stopped' state.",
        InstanceId=running,
        **{member: value},
    )
    stopped = _stopped(ec2)
    ec2.modify_instance_attribute(InstanceId=stopped, **{member: value})
    key = next(
        k for k in attr(ec2, stopped, attribute) if k != "InstanceId" and k != "ResponseMetadata"
    )
    assert attr(ec2, stopped, attribute)[key] == shown


def test_modify_shows_in_describe_instances(ec2):
    stopped = _stopped(ec2)
    ec2.modify_instance_attribute(InstanceId=stopped, InstanceType={"Value": "c5.xlarge"})
    ec2.modify_instance_attribute(InstanceId=stopped, Kernel={"Value": "aki-0123456789abcdef0"})
    ec2.modify_instance_attribute(InstanceId=stopped, SriovNetSupport={"Value": "simple"})
    shown = instance(ec2, stopped)
    assert shown["InstanceType"] == "c5.xlarge"
    assert shown["KernelId"] == "aki-0123456789abcdef0"
    assert shown["SriovNetSupport"] == "simple"
    found = ec2.describe_instances(
        Filters=[{"Name": "kernel-id", "Values": ["aki-0123456789abcdef0"]}]
    )
    assert [i["InstanceId"] for r in found["Reservations"] for i in r["Instances"]] == [stopped]


def test_user_data_changes_when_stopped(ec2):
    stopped = _stopped(ec2)
    ec2.modify_instance_attribute(InstanceId=stopped, UserData={"Value": b"#!/bin/sh\necho hi"})
    value = attr(ec2, stopped, "userData")["UserData"]["Value"]
    assert base64.b64decode(value) == b"#!/bin/sh\necho hi"
    running = _running(ec2)
    assert_error(
        ec2.modify_instance_attribute,
        "IncorrectInstanceState",
        InstanceId=running,
        UserData={"Value": b"x"},
    )


def test_attribute_and_value_form(ec2):
    instance_id = _running(ec2)
    ec2.modify_instance_attribute(
        InstanceId=instance_id, Attribute="instanceInitiatedShutdownBehavior", Value="terminate"
    )
    assert attr(ec2, instance_id, "instanceInitiatedShutdownBehavior")[
        "InstanceInitiatedShutdownBehavior"
    ] == {"Value": "terminate"}
    ec2.modify_instance_attribute(
        InstanceId=instance_id, Attribute="sourceDestCheck", Value="false"
    )
    assert attr(ec2, instance_id, "sourceDestCheck")["SourceDestCheck"] == {"Value": False}
    assert_error(
        ec2.modify_instance_attribute,
        "InvalidInstanceAttributeValue",
        InstanceId=instance_id,
        Attribute="instanceInitiatedShutdownBehavior",
        Value="explode",
    )
    assert_error(
        ec2.modify_instance_attribute,
        "InvalidParameterCombination",
        InstanceId=instance_id,
        DisableApiStop={"Value": True},
        DisableApiTermination={"Value": True},
    )
    assert_error(
        ec2.modify_instance_attribute,
        "InvalidParameterValue",
        InstanceId=instance_id,
        Attribute="rootDeviceName",
        Value="/dev/xvda",
    )


def test_termination_and_stop_protection(ec2):
    instance_id = _running(ec2)
    ec2.modify_instance_attribute(InstanceId=instance_id, DisableApiTermination={"Value": True})
    ec2.modify_instance_attribute(InstanceId=instance_id, DisableApiStop={"Value": True})
    assert_error(
        ec2.terminate_instances,
        "OperationNotPermitted",
        message="may not be terminated. Modify its 'disableApiTermination' instance attribute",
        InstanceIds=[instance_id],
    )
    assert_error(
        ec2.stop_instances,
        "OperationNotPermitted",
        message="may not be stopped. Modify its 'disableApiStop' instance attribute",
        InstanceIds=[instance_id],
    )
    ec2.modify_instance_attribute(InstanceId=instance_id, DisableApiStop={"Value": False})
    ec2.stop_instances(InstanceIds=[instance_id])
    ec2.modify_instance_attribute(InstanceId=instance_id, DisableApiTermination={"Value": False})
    ec2.terminate_instances(InstanceIds=[instance_id])
    assert state_of(ec2, instance_id) == "terminated"


def test_groups_replace_primary_interface_groups(ec2):
    instance_id = _running(ec2)
    vpc_id = instance(ec2, instance_id)["VpcId"]
    group = ec2.create_security_group(GroupName="web", Description="web", VpcId=vpc_id)["GroupId"]
    ec2.modify_instance_attribute(InstanceId=instance_id, Groups=[group])
    assert attr(ec2, instance_id, "groupSet")["Groups"] == [{"GroupId": group, "GroupName": "web"}]
    shown = instance(ec2, instance_id)
    assert shown["SecurityGroups"] == [{"GroupId": group, "GroupName": "web"}]
    assert shown["NetworkInterfaces"][0]["Groups"] == [{"GroupId": group, "GroupName": "web"}]
    assert_error(
        ec2.modify_instance_attribute,
        "InvalidGroup.NotFound",
        InstanceId=instance_id,
        Groups=["sg-0123456789abcdef0"],
    )


def test_block_device_delete_on_termination(ec2):
    instance_id = _running(ec2)
    ec2.modify_instance_attribute(
        InstanceId=instance_id,
        BlockDeviceMappings=[{"DeviceName": "/dev/sda1", "Ebs": {"DeleteOnTermination": False}}],
    )
    [mapping] = attr(ec2, instance_id, "blockDeviceMapping")["BlockDeviceMappings"]
    assert mapping["Ebs"]["DeleteOnTermination"] is False
    volume_id = mapping["Ebs"]["VolumeId"]
    assert_error(
        ec2.modify_instance_attribute,
        "InvalidInstanceAttributeValue",
        InstanceId=instance_id,
        BlockDeviceMappings=[{"DeviceName": "/dev/sdz", "Ebs": {"DeleteOnTermination": False}}],
    )
    kept = ec2.describe_instances(
        Filters=[{"Name": "block-device-mapping.delete-on-termination", "Values": ["false"]}]
    )
    assert [i["InstanceId"] for r in kept["Reservations"] for i in r["Instances"]] == [instance_id]
    assert volume_id.startswith("vol-")


def test_reset(ec2):
    stopped = _stopped(ec2)
    ec2.modify_instance_attribute(InstanceId=stopped, Kernel={"Value": "aki-0123456789abcdef0"})
    ec2.modify_instance_attribute(InstanceId=stopped, Ramdisk={"Value": "ari-0123456789abcdef0"})
    ec2.modify_instance_attribute(InstanceId=stopped, SourceDestCheck={"Value": False})
    for name in ("kernel", "ramdisk", "sourceDestCheck"):
        ec2.reset_instance_attribute(InstanceId=stopped, Attribute=name)
    assert attr(ec2, stopped, "kernel")["KernelId"] == {}
    assert attr(ec2, stopped, "ramdisk")["RamdiskId"] == {}
    assert attr(ec2, stopped, "sourceDestCheck")["SourceDestCheck"] == {"Value": True}
    assert_error(
        ec2.reset_instance_attribute,
        "InvalidParameterValue",
        message="kernel, ramdisk and sourceDestCheck",
        InstanceId=stopped,
        Attribute="userData",
    )
    running = _running(ec2)
    assert_error(
        ec2.reset_instance_attribute,
        "IncorrectInstanceState",
        InstanceId=running,
        Attribute="kernel",
    )


def test_dry_run(ec2):
    stopped = _stopped(ec2)
    assert_error(
        ec2.modify_instance_attribute,
        "DryRunOperation",
        status=412,
        InstanceId=stopped,
        InstanceType={"Value": "t3.large"},
        DryRun=True,
    )
    assert attr(ec2, stopped, "instanceType")["InstanceType"] == {"Value": "m1.small"}
    assert_error(
        ec2.reset_instance_attribute,
        "DryRunOperation",
        status=412,
        InstanceId=stopped,
        Attribute="kernel",
        DryRun=True,
    )
    assert_error(
        ec2.reset_instance_attribute,
        "DryRunOperation",
        status=412,
        InstanceId=stopped,
        Attribute="sourceDestCheck",
        DryRun=True,
    )
    assert_error(
        ec2.modify_instance_attribute,
        "DryRunOperation",
        status=412,
        InstanceId=stopped,
        Groups=[attr(ec2, stopped, "groupSet")["Groups"][0]["GroupId"]],
        DryRun=True,
    )
