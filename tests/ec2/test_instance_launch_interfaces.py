"""RunInstances with NetworkInterfaces: new and existing interfaces, EC2's combination rules."""

from __future__ import annotations

import pytest
from ec2_helpers import assert_launch_error, instance, instances, launch


@pytest.fixture
def net(ec2):
    vpc = ec2.create_vpc(CidrBlock="10.7.0.0/16")["Vpc"]["VpcId"]
    zone = ec2.describe_availability_zones()["AvailabilityZones"][0]["ZoneName"]
    a = ec2.create_subnet(VpcId=vpc, CidrBlock="10.7.1.0/24", AvailabilityZone=zone)["Subnet"]
    b = ec2.create_subnet(VpcId=vpc, CidrBlock="10.7.2.0/24", AvailabilityZone=zone)["Subnet"]
    group = ec2.create_security_group(GroupName="app", Description="app", VpcId=vpc)["GroupId"]
    return {"vpc": vpc, "a": a["SubnetId"], "b": b["SubnetId"], "group": group}


def test_two_new_interfaces(ec2, net):
    [inst] = launch(
        ec2,
        NetworkInterfaces=[
            {
                "DeviceIndex": 0,
                "SubnetId": net["a"],
                "Groups": [net["group"]],
                "PrivateIpAddress": "10.7.1.10",
                "SecondaryPrivateIpAddressCount": 2,
                "Description": "primary",
            },
            {"DeviceIndex": 1, "SubnetId": net["b"], "DeleteOnTermination": False},
        ],
    )
    assert inst["SubnetId"] == net["a"]
    assert inst["PrivateIpAddress"] == "10.7.1.10"
    assert inst["SecurityGroups"] == [{"GroupId": net["group"], "GroupName": "app"}]
    shown = instance(ec2, inst["InstanceId"])
    by_index = {e["Attachment"]["DeviceIndex"]: e for e in shown["NetworkInterfaces"]}
    assert set(by_index) == {0, 1}
    primary, second = by_index[0], by_index[1]
    assert primary["Description"] == "primary"
    assert len(primary["PrivateIpAddresses"]) == 3
    assert primary["Attachment"]["DeleteOnTermination"] is True
    assert second["SubnetId"] == net["b"]
    assert second["Attachment"]["DeleteOnTermination"] is False
    # no public address is given automatically to a launch with several interfaces
    assert "PublicIpAddress" not in shown

    ec2.terminate_instances(InstanceIds=[inst["InstanceId"]])
    instances(ec2)
    kept = ec2.describe_network_interfaces(NetworkInterfaceIds=[second["NetworkInterfaceId"]])
    assert kept["NetworkInterfaces"][0]["Status"] == "available"
    assert_gone = ec2.describe_network_interfaces(
        Filters=[{"Name": "network-interface-id", "Values": [primary["NetworkInterfaceId"]]}]
    )["NetworkInterfaces"]
    assert assert_gone == []


def test_existing_interface_as_primary(ec2, net):
    eni = ec2.create_network_interface(SubnetId=net["a"], Groups=[net["group"]])["NetworkInterface"]
    [inst] = launch(
        ec2, NetworkInterfaces=[{"DeviceIndex": 0, "NetworkInterfaceId": eni["NetworkInterfaceId"]}]
    )
    assert inst["NetworkInterfaces"][0]["NetworkInterfaceId"] == eni["NetworkInterfaceId"]
    assert inst["PrivateIpAddress"] == eni["PrivateIpAddress"]
    [described] = ec2.describe_network_interfaces(NetworkInterfaceIds=[eni["NetworkInterfaceId"]])[
        "NetworkInterfaces"
    ]
    assert described["Attachment"]["InstanceId"] == inst["InstanceId"]
    # now in use: a second launch with it is refused
    assert_launch_error(
        ec2,
        "InvalidNetworkInterface.InUse",
        NetworkInterfaces=[{"DeviceIndex": 0, "NetworkInterfaceId": eni["NetworkInterfaceId"]}],
    )


def test_associate_public_ip(ec2, net):
    [inst] = launch(
        ec2,
        NetworkInterfaces=[
            {"DeviceIndex": 0, "SubnetId": net["a"], "AssociatePublicIpAddress": True}
        ],
    )
    assert inst.get("PublicIpAddress")
    [other] = launch(ec2, NetworkInterfaces=[{"DeviceIndex": 0, "SubnetId": net["a"]}])
    assert "PublicIpAddress" not in other


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"SubnetId": "subnet-0123456789abcdef0"}, "instance-level subnet ID"),
        ({"SecurityGroupIds": ["sg-0123456789abcdef0"]}, "instance-level security groups"),
        ({"PrivateIpAddress": "10.7.1.5"}, "instance-level private IP"),
    ],
)
def test_cannot_combine_with_top_level(ec2, net, extra, message):
    assert_launch_error(
        ec2,
        "InvalidParameterCombination",
        message=message,
        NetworkInterfaces=[{"DeviceIndex": 0, "SubnetId": net["a"]}],
        **extra,
    )


def test_interface_rules(ec2, net):
    assert_launch_error(
        ec2,
        "InvalidParameterValue",
        message="device at index 0",
        NetworkInterfaces=[{"DeviceIndex": 1, "SubnetId": net["a"]}],
    )
    assert_launch_error(
        ec2,
        "InvalidParameterValue",
        message="unique device index",
        NetworkInterfaces=[
            {"DeviceIndex": 0, "SubnetId": net["a"]},
            {"DeviceIndex": 0, "SubnetId": net["b"]},
        ],
    )
    assert_launch_error(
        ec2,
        "InvalidParameterCombination",
        message="multiple network interfaces",
        NetworkInterfaces=[
            {"DeviceIndex": 0, "SubnetId": net["a"], "AssociatePublicIpAddress": True},
            {"DeviceIndex": 1, "SubnetId": net["b"]},
        ],
    )
    eni = ec2.create_network_interface(SubnetId=net["a"])["NetworkInterface"]
    assert_launch_error(
        ec2,
        "InvalidParameterCombination",
        NetworkInterfaces=[
            {
                "DeviceIndex": 0,
                "NetworkInterfaceId": eni["NetworkInterfaceId"],
                "SubnetId": net["a"],
            }
        ],
    )
    assert_launch_error(
        ec2,
        "InvalidParameterCombination",
        MinCount=1,
        MaxCount=2,
        NetworkInterfaces=[{"DeviceIndex": 0, "NetworkInterfaceId": eni["NetworkInterfaceId"]}],
    )
    assert_launch_error(
        ec2,
        "InvalidGroup.NotFound",
        NetworkInterfaces=[
            {"DeviceIndex": 0, "SubnetId": net["a"], "Groups": ["sg-0123456789abcdef0"]}
        ],
    )
    assert instances(ec2) == []


def test_two_instances_each_get_interfaces(ec2, net):
    launched = launch(
        ec2,
        2,
        NetworkInterfaces=[
            {"DeviceIndex": 0, "SubnetId": net["a"]},
            {"DeviceIndex": 1, "SubnetId": net["b"]},
        ],
    )
    ids = {e["NetworkInterfaceId"] for i in launched for e in i["NetworkInterfaces"]}
    assert len(ids) == 4


def test_address_in_use_refused_before_anything_changes(ec2, net):
    launch(
        ec2,
        NetworkInterfaces=[
            {"DeviceIndex": 0, "SubnetId": net["a"], "PrivateIpAddress": "10.7.1.20"}
        ],
    )
    before = len(ec2.describe_network_interfaces()["NetworkInterfaces"])
    assert_launch_error(
        ec2,
        "InvalidIPAddress.InUse",
        NetworkInterfaces=[
            {"DeviceIndex": 0, "SubnetId": net["a"], "PrivateIpAddress": "10.7.1.20"}
        ],
    )
    assert len(ec2.describe_network_interfaces()["NetworkInterfaces"]) == before
