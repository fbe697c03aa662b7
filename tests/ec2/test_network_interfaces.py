"""Elastic network interfaces: create, addresses, attach/detach, attributes, permissions, trunks."""

from __future__ import annotations

import ipaddress
import re

from ec2_helpers import ID17, assert_error, instance, launch

FAST = {"Delay": 0, "MaxAttempts": 5}


def subnet_of(ec2, index=0):
    return sorted(ec2.describe_subnets()["Subnets"], key=lambda s: s["AvailabilityZone"])[index]


def create(ec2, subnet=None, **kw):
    subnet = subnet or subnet_of(ec2)
    return ec2.create_network_interface(SubnetId=subnet["SubnetId"], **kw)["NetworkInterface"]


def describe(ec2, eni_id):
    return ec2.describe_network_interfaces(NetworkInterfaceIds=[eni_id])["NetworkInterfaces"][0]


def available_count(ec2, subnet_id):
    return ec2.describe_subnets(SubnetIds=[subnet_id])["Subnets"][0]["AvailableIpAddressCount"]


def running(ec2, env, **kw):
    [inst] = launch(ec2, **kw)
    env.clock.advance(60)
    return instance(ec2, inst["InstanceId"])


# -- create / delete


def test_create_in_subnet(ec2):
    subnet = subnet_of(ec2)
    before = available_count(ec2, subnet["SubnetId"])
    eni = create(ec2, subnet, Description="my eni")
    assert re.fullmatch(rf"eni-{ID17}", eni["NetworkInterfaceId"])
    assert ipaddress.IPv4Address(eni["PrivateIpAddress"]) in ipaddress.IPv4Network(
        subnet["CidrBlock"]
    )
    assert eni["SubnetId"] == subnet["SubnetId"]
    assert eni["VpcId"] == subnet["VpcId"]
    assert eni["AvailabilityZone"] == subnet["AvailabilityZone"]
    assert eni["AvailabilityZoneId"] == subnet["AvailabilityZoneId"]
    assert eni["Status"] == "available"
    assert eni["Description"] == "my eni"
    assert eni["InterfaceType"] == "interface"
    assert eni["SourceDestCheck"] is True
    assert eni["RequesterManaged"] is False
    assert eni["OwnerId"] == "123456789012"
    assert re.fullmatch(r"([0-9a-f]{2}:){5}[0-9a-f]{2}", eni["MacAddress"])
    [group] = eni["Groups"]
    assert group["GroupName"] == "default"
    assert eni["PrivateIpAddresses"] == [
        {
            "Primary": True,
            "PrivateIpAddress": eni["PrivateIpAddress"],
            "PrivateDnsName": eni["PrivateDnsName"],
        }
    ]
    assert eni["PrivateDnsName"].endswith(".eu-west-1.compute.internal")
    assert "Attachment" not in eni
    assert available_count(ec2, subnet["SubnetId"]) == before - 1
    ec2.delete_network_interface(NetworkInterfaceId=eni["NetworkInterfaceId"])
    assert available_count(ec2, subnet["SubnetId"]) == before
    assert_error(
        ec2.describe_network_interfaces,
        "InvalidNetworkInterfaceID.NotFound",
        NetworkInterfaceIds=[eni["NetworkInterfaceId"]],
    )


def test_create_with_addresses(ec2):
    subnet = subnet_of(ec2)
    network = ipaddress.IPv4Network(subnet["CidrBlock"])
    primary, second = str(network[100]), str(network[101])
    before = available_count(ec2, subnet["SubnetId"])
    eni = create(
        ec2,
        subnet,
        PrivateIpAddresses=[
            {"PrivateIpAddress": primary, "Primary": True},
            {"PrivateIpAddress": second},
        ],
    )
    assert eni["PrivateIpAddress"] == primary
    assert [(a["PrivateIpAddress"], a["Primary"]) for a in eni["PrivateIpAddresses"]] == [
        (primary, True),
        (second, False),
    ]
    assert_error(
        ec2.create_network_interface,
        "InvalidIPAddress.InUse",
        SubnetId=subnet["SubnetId"],
        PrivateIpAddress=second,
    )
    assert_error(
        ec2.create_network_interface,
        "InvalidParameterValue",
        message="does not fall within",
        SubnetId=subnet["SubnetId"],
        PrivateIpAddress="10.9.9.9",
    )
    # none marked primary: the first listed is the primary one
    unmarked = create(
        ec2,
        subnet,
        PrivateIpAddresses=[
            {"PrivateIpAddress": str(network[110])},
            {"PrivateIpAddress": str(network[111])},
        ],
    )
    assert unmarked["PrivateIpAddress"] == str(network[110])
    assert len(unmarked["PrivateIpAddresses"]) == 2
    ec2.delete_network_interface(NetworkInterfaceId=unmarked["NetworkInterfaceId"])
    counted = create(ec2, subnet, SecondaryPrivateIpAddressCount=3)
    assert len(counted["PrivateIpAddresses"]) == 4
    assert sum(a["Primary"] for a in counted["PrivateIpAddresses"]) == 1
    assert available_count(ec2, subnet["SubnetId"]) == before - 6
    ec2.delete_network_interface(NetworkInterfaceId=counted["NetworkInterfaceId"])
    assert available_count(ec2, subnet["SubnetId"]) == before - 2


def test_create_with_ipv4_prefixes(ec2):
    subnet = subnet_of(ec2)
    network = ipaddress.IPv4Network(subnet["CidrBlock"])
    before = available_count(ec2, subnet["SubnetId"])
    eni = create(ec2, subnet, Ipv4PrefixCount=2)
    prefixes = [ipaddress.IPv4Network(p["Ipv4Prefix"]) for p in eni["Ipv4Prefixes"]]
    assert len(prefixes) == 2
    for prefix in prefixes:
        assert prefix.prefixlen == 28 and prefix.subnet_of(network)
    assert ipaddress.IPv4Address(eni["PrivateIpAddress"]) not in prefixes[0]
    assert available_count(ec2, subnet["SubnetId"]) == before - 33
    wanted = str(list(network.subnets(new_prefix=28))[20])
    explicit = create(ec2, subnet, Ipv4Prefixes=[{"Ipv4Prefix": wanted}])
    assert explicit["Ipv4Prefixes"] == [{"Ipv4Prefix": wanted}]
    assert_error(
        ec2.create_network_interface,
        "InvalidParameterValue",
        SubnetId=subnet["SubnetId"],
        Ipv4Prefixes=[{"Ipv4Prefix": wanted}],
    )
    assert_error(
        ec2.create_network_interface,
        "InvalidParameterCombination",
        SubnetId=subnet["SubnetId"],
        Ipv4Prefixes=[{"Ipv4Prefix": wanted}],
        Ipv4PrefixCount=1,
    )
    ec2.delete_network_interface(NetworkInterfaceId=eni["NetworkInterfaceId"])
    ec2.delete_network_interface(NetworkInterfaceId=explicit["NetworkInterfaceId"])
    assert available_count(ec2, subnet["SubnetId"]) == before


def test_create_options(ec2):
    eni = create(
        ec2,
        InterfaceType="trunk",
        ConnectionTrackingSpecification={"TcpEstablishedTimeout": 3600, "UdpTimeout": 45},
        TagSpecifications=[
            {"ResourceType": "network-interface", "Tags": [{"Key": "Name", "Value": "x"}]}
        ],
        Operator={"Principal": "my-service"},
    )
    assert eni["InterfaceType"] == "trunk"
    assert eni["ConnectionTrackingConfiguration"] == {
        "TcpEstablishedTimeout": 3600,
        "UdpTimeout": 45,
    }
    assert eni["TagSet"] == [{"Key": "Name", "Value": "x"}]
    assert eni["Operator"] == {"Managed": True, "Principal": "my-service"}
    assert_error(
        ec2.create_network_interface,
        "InvalidParameterValue",
        SubnetId=eni["SubnetId"],
        ConnectionTrackingSpecification={"UdpTimeout": 5},
    )
    assert_error(
        ec2.create_network_interface,
        "InvalidParameterValue",
        SubnetId=eni["SubnetId"],
        TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "a", "Value": "b"}]}],
    )
    # IPv6 needs an IPv6 block on the subnet, which the default subnets lack
    assert_error(
        ec2.create_network_interface,
        "InvalidParameterValue",
        message="IPv6",
        SubnetId=eni["SubnetId"],
        Ipv6AddressCount=1,
    )


def test_create_groups(ec2):
    [default] = ec2.describe_security_groups()["SecurityGroups"]
    eni = create(ec2, Groups=[default["GroupId"]])
    assert eni["Groups"] == [{"GroupId": default["GroupId"], "GroupName": "default"}]
    assert_error(
        ec2.create_network_interface,
        "InvalidGroup.NotFound",
        SubnetId=eni["SubnetId"],
        Groups=["sg-0123456789abcdef0"],
    )


def test_create_errors(ec2):
    assert_error(
        ec2.create_network_interface,
        "InvalidSubnetID.NotFound",
        SubnetId="subnet-0123456789abcdef0",
    )
    assert_error(ec2.create_network_interface, "InvalidSubnetID.Malformed", SubnetId="nope")
    assert_error(
        ec2.delete_network_interface, "InvalidNetworkInterfaceId.Malformed", NetworkInterfaceId="x"
    )
    assert_error(
        ec2.create_network_interface,
        "InvalidParameterValue",
        SubnetId=subnet_of(ec2)["SubnetId"],
        InterfaceType="bogus",
    )


def test_client_token(ec2):
    subnet = subnet_of(ec2)
    first = ec2.create_network_interface(SubnetId=subnet["SubnetId"], ClientToken="tok-1")
    again = ec2.create_network_interface(SubnetId=subnet["SubnetId"], ClientToken="tok-1")
    assert first["ClientToken"] == "tok-1"
    assert (
        first["NetworkInterface"]["NetworkInterfaceId"]
        == again["NetworkInterface"]["NetworkInterfaceId"]
    )
    assert_error(
        ec2.create_network_interface,
        "IdempotentParameterMismatch",
        SubnetId=subnet["SubnetId"],
        ClientToken="tok-1",
        Description="different",
    )


def test_dry_run(ec2, env):
    subnet = subnet_of(ec2)
    assert_error(
        ec2.create_network_interface,
        "DryRunOperation",
        status=412,
        SubnetId=subnet["SubnetId"],
        DryRun=True,
    )
    assert (
        ec2.describe_network_interfaces(Filters=[{"Name": "status", "Values": ["available"]}])[
            "NetworkInterfaces"
        ]
        == []
    )
    eni = create(ec2, subnet)["NetworkInterfaceId"]
    inst = running(ec2, env, SubnetId=subnet["SubnetId"])
    calls = [
        (ec2.delete_network_interface, {"NetworkInterfaceId": eni}),
        (
            ec2.modify_network_interface_attribute,
            {"NetworkInterfaceId": eni, "Description": {"Value": "x"}},
        ),
        (
            ec2.reset_network_interface_attribute,
            {"NetworkInterfaceId": eni, "SourceDestCheck": "true"},
        ),
        (
            ec2.attach_network_interface,
            {"NetworkInterfaceId": eni, "InstanceId": inst["InstanceId"], "DeviceIndex": 1},
        ),
        (
            ec2.create_network_interface_permission,
            {
                "NetworkInterfaceId": eni,
                "AwsAccountId": "111122223333",
                "Permission": "EIP-ASSOCIATE",
            },
        ),
    ]
    for call, kw in calls:
        assert_error(call, "DryRunOperation", status=412, DryRun=True, **kw)
    assert describe(ec2, eni)["Status"] == "available"
    assert describe(ec2, eni)["Description"] == ""
    assert ec2.describe_network_interfaces(DryRun=False)["NetworkInterfaces"]
    assert_error(ec2.describe_network_interfaces, "DryRunOperation", status=412, DryRun=True)


# -- instances


def test_instance_primary_interface(ec2, env):
    inst = running(ec2, env)
    [eni_in_instance] = inst["NetworkInterfaces"]
    eni = describe(ec2, eni_in_instance["NetworkInterfaceId"])
    assert eni["Status"] == "in-use"
    assert eni["Attachment"]["InstanceId"] == inst["InstanceId"]
    assert eni["Attachment"]["DeviceIndex"] == 0
    assert eni["Attachment"]["Status"] == "attached"
    assert eni["Attachment"]["DeleteOnTermination"] is True
    assert eni["Attachment"]["AttachmentId"] == eni_in_instance["Attachment"]["AttachmentId"]
    assert eni["PrivateIpAddress"] == inst["PrivateIpAddress"]
    assert eni["Groups"] == eni_in_instance["Groups"]
    assert eni["Association"]["PublicIp"] == inst["PublicIpAddress"]


def test_attach_and_detach(ec2, env):
    inst = running(ec2, env)
    subnet_id = inst["SubnetId"]
    eni = create(ec2, ec2.describe_subnets(SubnetIds=[subnet_id])["Subnets"][0])
    eni_id = eni["NetworkInterfaceId"]
    attachment = ec2.attach_network_interface(
        NetworkInterfaceId=eni_id, InstanceId=inst["InstanceId"], DeviceIndex=1
    )
    assert re.fullmatch(rf"eni-attach-{ID17}", attachment["AttachmentId"])
    assert attachment["NetworkCardIndex"] == 0
    attached = describe(ec2, eni_id)
    assert attached["Status"] == "in-use"
    # the attachment settles by the next request (transition_delay 0)
    assert attached["Attachment"]["Status"] == "attached"
    assert attached["Attachment"]["DeleteOnTermination"] is False
    shown = instance(ec2, inst["InstanceId"])["NetworkInterfaces"]
    assert [(e["NetworkInterfaceId"], e["Attachment"]["DeviceIndex"]) for e in shown] == [
        (inst["NetworkInterfaces"][0]["NetworkInterfaceId"], 0),
        (eni_id, 1),
    ]
    found = ec2.describe_instances(
        Filters=[{"Name": "network-interface.network-interface-id", "Values": [eni_id]}]
    )["Reservations"]
    assert [i["InstanceId"] for r in found for i in r["Instances"]] == [inst["InstanceId"]]
    assert_error(
        ec2.delete_network_interface,
        "InvalidParameterValue",
        message="currently in use",
        NetworkInterfaceId=eni_id,
    )
    ec2.detach_network_interface(AttachmentId=attachment["AttachmentId"])
    detached = describe(ec2, eni_id)
    assert detached["Status"] == "available"
    assert "Attachment" not in detached
    assert len(instance(ec2, inst["InstanceId"])["NetworkInterfaces"]) == 1
    ec2.get_waiter("network_interface_available").wait(
        NetworkInterfaceIds=[eni_id], WaiterConfig=FAST
    )
    assert_error(
        ec2.detach_network_interface,
        "InvalidAttachmentID.NotFound",
        AttachmentId=attachment["AttachmentId"],
    )
    ec2.delete_network_interface(NetworkInterfaceId=eni_id)


def test_attach_errors(ec2, env):
    inst = running(ec2, env)
    subnet = ec2.describe_subnets(SubnetIds=[inst["SubnetId"]])["Subnets"][0]
    eni = create(ec2, subnet)["NetworkInterfaceId"]
    assert_error(
        ec2.attach_network_interface,
        "InvalidParameterValue",
        message="device index",
        NetworkInterfaceId=eni,
        InstanceId=inst["InstanceId"],
        DeviceIndex=0,
    )
    other_zone = next(
        s for s in ec2.describe_subnets()["Subnets"] if s["SubnetId"] != inst["SubnetId"]
    )
    elsewhere = create(ec2, other_zone)["NetworkInterfaceId"]
    assert_error(
        ec2.attach_network_interface,
        "InvalidParameterValue",
        message="availability zone",
        NetworkInterfaceId=elsewhere,
        InstanceId=inst["InstanceId"],
        DeviceIndex=1,
    )
    assert_error(
        ec2.attach_network_interface,
        "InvalidInstanceID.NotFound",
        NetworkInterfaceId=eni,
        InstanceId="i-0123456789abcdef0",
        DeviceIndex=1,
    )
    ec2.attach_network_interface(
        NetworkInterfaceId=eni, InstanceId=inst["InstanceId"], DeviceIndex=1
    )
    assert_error(
        ec2.attach_network_interface,
        "InvalidNetworkInterface.InUse",
        NetworkInterfaceId=eni,
        InstanceId=inst["InstanceId"],
        DeviceIndex=2,
    )
    primary_attachment = inst["NetworkInterfaces"][0]["Attachment"]["AttachmentId"]
    assert_error(
        ec2.detach_network_interface,
        "OperationNotPermitted",
        AttachmentId=primary_attachment,
    )
    assert_error(
        ec2.detach_network_interface,
        "InvalidNetworkInterfaceAttachmentId.Malformed",
        AttachmentId="bogus",
    )


def test_force_detach(ec2, env):
    inst = running(ec2, env)
    subnet = ec2.describe_subnets(SubnetIds=[inst["SubnetId"]])["Subnets"][0]
    eni = create(ec2, subnet)["NetworkInterfaceId"]
    attachment = ec2.attach_network_interface(
        NetworkInterfaceId=eni, InstanceId=inst["InstanceId"], DeviceIndex=1
    )["AttachmentId"]
    ec2.detach_network_interface(AttachmentId=attachment, Force=True)
    assert describe(ec2, eni)["Status"] == "available"


def test_terminate_releases_or_detaches(ec2, env):
    inst = running(ec2, env)
    subnet = ec2.describe_subnets(SubnetIds=[inst["SubnetId"]])["Subnets"][0]
    kept = create(ec2, subnet)["NetworkInterfaceId"]
    gone = create(ec2, subnet, SecondaryPrivateIpAddressCount=2)["NetworkInterfaceId"]
    before = available_count(ec2, subnet["SubnetId"])
    for index, eni in ((1, kept), (2, gone)):
        attachment = ec2.attach_network_interface(
            NetworkInterfaceId=eni, InstanceId=inst["InstanceId"], DeviceIndex=index
        )["AttachmentId"]
    ec2.modify_network_interface_attribute(
        NetworkInterfaceId=gone,
        Attachment={"AttachmentId": attachment, "DeleteOnTermination": True},
    )
    assert describe(ec2, gone)["Attachment"]["DeleteOnTermination"] is True
    ec2.terminate_instances(InstanceIds=[inst["InstanceId"]])
    env.clock.advance(120)
    remaining = ec2.describe_network_interfaces(
        Filters=[{"Name": "subnet-id", "Values": [subnet["SubnetId"]]}]
    )["NetworkInterfaces"]
    assert [e["NetworkInterfaceId"] for e in remaining] == [kept]
    assert remaining[0]["Status"] == "available"
    # the primary interface (1 address) and the deleted one (3 addresses) are released
    assert available_count(ec2, subnet["SubnetId"]) == before + 4


def test_primary_kept_when_not_delete_on_termination(ec2, env):
    inst = running(ec2, env)
    primary = inst["NetworkInterfaces"][0]
    ec2.modify_network_interface_attribute(
        NetworkInterfaceId=primary["NetworkInterfaceId"],
        Attachment={
            "AttachmentId": primary["Attachment"]["AttachmentId"],
            "DeleteOnTermination": False,
        },
    )
    ec2.terminate_instances(InstanceIds=[inst["InstanceId"]])
    env.clock.advance(120)
    kept = describe(ec2, primary["NetworkInterfaceId"])
    assert kept["Status"] == "available"
    assert kept["PrivateIpAddress"] == inst["PrivateIpAddress"]


def test_modify_groups_of_primary_changes_instance(ec2, env):
    inst = running(ec2, env)
    eni_id = inst["NetworkInterfaces"][0]["NetworkInterfaceId"]
    [default] = ec2.describe_security_groups()["SecurityGroups"]
    ec2.modify_network_interface_attribute(NetworkInterfaceId=eni_id, Groups=[default["GroupId"]])
    assert instance(ec2, inst["InstanceId"])["SecurityGroups"] == [
        {"GroupId": default["GroupId"], "GroupName": "default"}
    ]
    found = ec2.describe_network_interfaces(
        Filters=[{"Name": "group-id", "Values": [default["GroupId"]]}]
    )["NetworkInterfaces"]
    assert eni_id in [e["NetworkInterfaceId"] for e in found]


# -- attributes


def test_modify_and_describe_attributes(ec2):
    eni_id = create(ec2)["NetworkInterfaceId"]
    ec2.modify_network_interface_attribute(NetworkInterfaceId=eni_id, Description={"Value": "new"})
    ec2.modify_network_interface_attribute(
        NetworkInterfaceId=eni_id, SourceDestCheck={"Value": False}
    )
    got = ec2.describe_network_interface_attribute(
        NetworkInterfaceId=eni_id, Attribute="description"
    )
    assert got["Description"] == {"Value": "new"}
    got = ec2.describe_network_interface_attribute(
        NetworkInterfaceId=eni_id, Attribute="sourceDestCheck"
    )
    assert got["SourceDestCheck"] == {"Value": False}
    got = ec2.describe_network_interface_attribute(NetworkInterfaceId=eni_id, Attribute="groupSet")
    assert got["Groups"][0]["GroupName"] == "default"
    got = ec2.describe_network_interface_attribute(
        NetworkInterfaceId=eni_id, Attribute="attachment"
    )
    assert "Attachment" not in got
    ec2.reset_network_interface_attribute(NetworkInterfaceId=eni_id, SourceDestCheck="true")
    assert describe(ec2, eni_id)["SourceDestCheck"] is True
    ec2.modify_network_interface_attribute(
        NetworkInterfaceId=eni_id,
        ConnectionTrackingSpecification={"UdpStreamTimeout": 120},
    )
    assert describe(ec2, eni_id)["ConnectionTrackingConfiguration"] == {"UdpStreamTimeout": 120}
    # recorded on any interface; only an instance's primary interface gets an address
    ec2.modify_network_interface_attribute(NetworkInterfaceId=eni_id, AssociatePublicIpAddress=True)
    assert "Association" not in describe(ec2, eni_id)
    got = ec2.describe_network_interface_attribute(
        NetworkInterfaceId=eni_id, Attribute="associatePublicIpAddress"
    )
    assert got["AssociatePublicIpAddress"] is True


def test_associate_public_ip_on_the_primary_interface(ec2, env):
    inst = running(ec2, env)
    eni_id = inst["NetworkInterfaces"][0]["NetworkInterfaceId"]
    assert inst["PublicIpAddress"]
    ec2.modify_network_interface_attribute(
        NetworkInterfaceId=eni_id, AssociatePublicIpAddress=False
    )
    assert "Association" not in describe(ec2, eni_id)
    assert "PublicIpAddress" not in instance(ec2, inst["InstanceId"])
    got = ec2.describe_network_interface_attribute(
        NetworkInterfaceId=eni_id, Attribute="associatePublicIpAddress"
    )
    assert got["AssociatePublicIpAddress"] is False
    # a restart follows the interface, not the subnet's MapPublicIpOnLaunch
    ec2.stop_instances(InstanceIds=[inst["InstanceId"]])
    env.clock.advance(60)
    ec2.start_instances(InstanceIds=[inst["InstanceId"]])
    env.clock.advance(60)
    assert "PublicIpAddress" not in instance(ec2, inst["InstanceId"])
    ec2.modify_network_interface_attribute(NetworkInterfaceId=eni_id, AssociatePublicIpAddress=True)
    address = describe(ec2, eni_id)["Association"]["PublicIp"]
    assert instance(ec2, inst["InstanceId"])["PublicIpAddress"] == address


def test_modify_errors(ec2):
    eni_id = create(ec2)["NetworkInterfaceId"]
    assert_error(
        ec2.modify_network_interface_attribute,
        "InvalidParameterCombination",
        NetworkInterfaceId=eni_id,
        Description={"Value": "x"},
        SourceDestCheck={"Value": False},
    )
    assert_error(
        ec2.modify_network_interface_attribute,
        "InvalidGroup.NotFound",
        NetworkInterfaceId=eni_id,
        Groups=["sg-0123456789abcdef0"],
    )
    assert_error(
        ec2.modify_network_interface_attribute,
        "InvalidNetworkInterfaceID.NotFound",
        NetworkInterfaceId="eni-0123456789abcdef0",
        Description={"Value": "x"},
    )
    assert_error(
        ec2.describe_network_interface_attribute,
        "InvalidParameterValue",
        NetworkInterfaceId=eni_id,
        Attribute="bogus",
    )
    assert_error(
        ec2.modify_network_interface_attribute,
        "InvalidParameterValue",
        NetworkInterfaceId=eni_id,
        EnaSrdSpecification={"EnaSrdEnabled": True},
    )


def test_ena_srd_on_attachment(ec2, env):
    inst = running(ec2, env)
    subnet = ec2.describe_subnets(SubnetIds=[inst["SubnetId"]])["Subnets"][0]
    eni = create(ec2, subnet)["NetworkInterfaceId"]
    ec2.attach_network_interface(
        NetworkInterfaceId=eni,
        InstanceId=inst["InstanceId"],
        DeviceIndex=1,
        EnaSrdSpecification={"EnaSrdEnabled": True},
        EnaQueueCount=2,
    )
    attachment = describe(ec2, eni)["Attachment"]
    assert attachment["EnaSrdSpecification"] == {
        "EnaSrdEnabled": True,
        "EnaSrdUdpSpecification": {"EnaSrdUdpEnabled": False},
    }
    assert attachment["EnaQueueCount"] == 2
    ec2.modify_network_interface_attribute(
        NetworkInterfaceId=eni,
        EnaSrdSpecification={
            "EnaSrdEnabled": True,
            "EnaSrdUdpSpecification": {"EnaSrdUdpEnabled": True},
        },
    )
    srd = describe(ec2, eni)["Attachment"]["EnaSrdSpecification"]
    assert srd["EnaSrdUdpSpecification"] == {"EnaSrdUdpEnabled": True}


# -- secondary addresses


def test_assign_and_unassign_private_ips(ec2):
    subnet = subnet_of(ec2)
    network = ipaddress.IPv4Network(subnet["CidrBlock"])
    eni_id = create(ec2, subnet)["NetworkInterfaceId"]
    before = available_count(ec2, subnet["SubnetId"])
    wanted = str(network[200])
    got = ec2.assign_private_ip_addresses(NetworkInterfaceId=eni_id, PrivateIpAddresses=[wanted])
    assert got["AssignedPrivateIpAddresses"] == [{"PrivateIpAddress": wanted}]
    got = ec2.assign_private_ip_addresses(
        NetworkInterfaceId=eni_id, SecondaryPrivateIpAddressCount=2
    )
    assert len(got["AssignedPrivateIpAddresses"]) == 2
    got = ec2.assign_private_ip_addresses(NetworkInterfaceId=eni_id, Ipv4PrefixCount=1)
    [prefix] = got["AssignedIpv4Prefixes"]
    shown = describe(ec2, eni_id)
    assert len(shown["PrivateIpAddresses"]) == 4
    assert shown["Ipv4Prefixes"] == [prefix]
    assert available_count(ec2, subnet["SubnetId"]) == before - 19
    found = ec2.describe_network_interfaces(
        Filters=[{"Name": "addresses.private-ip-address", "Values": [wanted]}]
    )["NetworkInterfaces"]
    assert [e["NetworkInterfaceId"] for e in found] == [eni_id]
    ec2.unassign_private_ip_addresses(
        NetworkInterfaceId=eni_id, PrivateIpAddresses=[wanted], Ipv4Prefixes=[prefix["Ipv4Prefix"]]
    )
    assert available_count(ec2, subnet["SubnetId"]) == before - 2
    assert_error(
        ec2.unassign_private_ip_addresses,
        "InvalidParameterValue",
        NetworkInterfaceId=eni_id,
        PrivateIpAddresses=[wanted],
    )
    assert_error(
        ec2.unassign_private_ip_addresses,
        "InvalidParameterValue",
        NetworkInterfaceId=eni_id,
        PrivateIpAddresses=[shown["PrivateIpAddress"]],
    )


def test_reassignment(ec2):
    subnet = subnet_of(ec2)
    network = ipaddress.IPv4Network(subnet["CidrBlock"])
    address = str(network[300])
    first = create(ec2, subnet)["NetworkInterfaceId"]
    second = create(ec2, subnet)["NetworkInterfaceId"]
    ec2.assign_private_ip_addresses(NetworkInterfaceId=first, PrivateIpAddresses=[address])
    assert_error(
        ec2.assign_private_ip_addresses,
        "InvalidIPAddress.InUse",
        NetworkInterfaceId=second,
        PrivateIpAddresses=[address],
    )
    ec2.assign_private_ip_addresses(
        NetworkInterfaceId=second, PrivateIpAddresses=[address], AllowReassignment=True
    )
    assert address not in [
        a["PrivateIpAddress"] for a in describe(ec2, first)["PrivateIpAddresses"]
    ]
    assert address in [a["PrivateIpAddress"] for a in describe(ec2, second)["PrivateIpAddresses"]]


def test_assign_errors(ec2):
    eni_id = create(ec2)["NetworkInterfaceId"]
    assert_error(ec2.assign_private_ip_addresses, "MissingParameter", NetworkInterfaceId=eni_id)
    assert_error(
        ec2.assign_private_ip_addresses,
        "PrivateIpAddressLimitExceeded",
        NetworkInterfaceId=eni_id,
        SecondaryPrivateIpAddressCount=60,
    )
    assert_error(
        ec2.assign_ipv6_addresses,
        "InvalidParameterValue",
        NetworkInterfaceId=eni_id,
        Ipv6AddressCount=1,
    )
    assert_error(
        ec2.unassign_ipv6_addresses,
        "InvalidParameterValue",
        NetworkInterfaceId=eni_id,
        Ipv6Addresses=["2001:db8::1"],
    )


# -- describe


def test_describe_filters(ec2, env):
    inst = running(ec2, env)
    subnet = ec2.describe_subnets(SubnetIds=[inst["SubnetId"]])["Subnets"][0]
    eni = create(
        ec2,
        subnet,
        Description="filtered",
        TagSpecifications=[
            {"ResourceType": "network-interface", "Tags": [{"Key": "k", "Value": "v"}]}
        ],
    )
    eni_id = eni["NetworkInterfaceId"]
    attachment = ec2.attach_network_interface(
        NetworkInterfaceId=eni_id, InstanceId=inst["InstanceId"], DeviceIndex=1
    )["AttachmentId"]
    env.clock.advance(60)
    eni = describe(ec2, eni_id)
    primary_id = inst["NetworkInterfaces"][0]["NetworkInterfaceId"]
    primary = describe(ec2, primary_id)

    def ids(name, *values):
        found = ec2.describe_network_interfaces(Filters=[{"Name": name, "Values": list(values)}])
        return {e["NetworkInterfaceId"] for e in found["NetworkInterfaces"]}

    public_ip = primary["Association"]["PublicIp"]
    cases = {
        "addresses.private-ip-address": ([eni["PrivateIpAddress"]], {eni_id}),
        "addresses.primary": (["true"], {eni_id, primary_id}),
        "addresses.association.public-ip": ([public_ip], {primary_id}),
        "addresses.association.owner-id": (["amazon"], {primary_id}),
        "association.public-ip": ([public_ip], {primary_id}),
        "association.ip-owner-id": (["amazon"], {primary_id}),
        "association.public-dns-name": ([primary["Association"]["PublicDnsName"]], {primary_id}),
        "association.allocation-id": (["eipalloc-0123456789abcdef0"], set()),
        "association.association-id": (["eipassoc-0123456789abcdef0"], set()),
        "attachment.attachment-id": ([attachment], {eni_id}),
        "attachment.instance-id": ([inst["InstanceId"]], {eni_id, primary_id}),
        "attachment.instance-owner-id": (["123456789012"], {eni_id, primary_id}),
        "attachment.device-index": (["1"], {eni_id}),
        "attachment.status": (["attached"], {eni_id, primary_id}),
        "attachment.attach-time": (
            [eni["Attachment"]["AttachTime"].strftime("%Y-%m-%dT*")],
            {eni_id, primary_id},
        ),
        "attachment.delete-on-termination": (["false"], {eni_id}),
        "availability-zone": ([subnet["AvailabilityZone"]], {eni_id, primary_id}),
        "availability-zone-id": ([subnet["AvailabilityZoneId"]], {eni_id, primary_id}),
        "description": (["filtered"], {eni_id}),
        "group-id": ([eni["Groups"][0]["GroupId"]], {eni_id, primary_id}),
        "interface-type": (["interface"], {eni_id, primary_id}),
        "ipv6-addresses.ipv6-address": (["2001:db8::1"], set()),
        "mac-address": ([eni["MacAddress"]], {eni_id}),
        "network-interface-id": ([eni_id], {eni_id}),
        "operator.managed": (["false"], {eni_id, primary_id}),
        "operator.principal": (["someone"], set()),
        "owner-id": (["123456789012"], {eni_id, primary_id}),
        "private-dns-name": ([eni["PrivateDnsName"]], {eni_id}),
        "private-ip-address": ([primary["PrivateIpAddress"]], {primary_id}),
        "requester-id": (["AIDA*"], set()),
        "requester-managed": (["false"], {eni_id, primary_id}),
        "source-dest-check": (["true"], {eni_id, primary_id}),
        "status": (["in-use"], {eni_id, primary_id}),
        "subnet-id": ([subnet["SubnetId"]], {eni_id, primary_id}),
        "vpc-id": ([subnet["VpcId"]], {eni_id, primary_id}),
        "tag:k": (["v"], {eni_id}),
        "tag-key": (["k"], {eni_id}),
    }
    for name, (values, expected) in cases.items():
        assert ids(name, *values) == expected, name
    assert_error(
        ec2.describe_network_interfaces,
        "InvalidParameterValue",
        Filters=[{"Name": "bogus", "Values": ["x"]}],
    )


def test_describe_paging(ec2):
    subnet = subnet_of(ec2)
    made = [create(ec2, subnet)["NetworkInterfaceId"] for _ in range(7)]
    first = ec2.describe_network_interfaces(MaxResults=5)
    assert len(first["NetworkInterfaces"]) == 5
    second = ec2.describe_network_interfaces(MaxResults=5, NextToken=first["NextToken"])
    assert "NextToken" not in second
    seen = [
        e["NetworkInterfaceId"] for e in first["NetworkInterfaces"] + second["NetworkInterfaces"]
    ]
    assert seen == made
    assert_error(ec2.describe_network_interfaces, "InvalidParameterValue", MaxResults=1001)
    assert_error(
        ec2.describe_network_interfaces,
        "InvalidParameterCombination",
        NetworkInterfaceIds=made[:1],
        MaxResults=5,
    )
    paginator = ec2.get_paginator("describe_network_interfaces")
    pages = list(paginator.paginate(PaginationConfig={"PageSize": 5}))
    assert sum(len(p["NetworkInterfaces"]) for p in pages) == 7


# -- permissions


def test_permissions(ec2):
    eni_id = create(ec2)["NetworkInterfaceId"]
    permission = ec2.create_network_interface_permission(
        NetworkInterfaceId=eni_id, AwsAccountId="111122223333", Permission="INSTANCE-ATTACH"
    )["InterfacePermission"]
    assert re.fullmatch(rf"eni-perm-{ID17}", permission["NetworkInterfacePermissionId"])
    assert permission["NetworkInterfaceId"] == eni_id
    assert permission["AwsAccountId"] == "111122223333"
    assert permission["Permission"] == "INSTANCE-ATTACH"
    assert permission["PermissionState"] == {"State": "granted"}
    assert_error(
        ec2.create_network_interface_permission,
        "InvalidPermission.Duplicate",
        NetworkInterfaceId=eni_id,
        AwsAccountId="111122223333",
        Permission="INSTANCE-ATTACH",
    )
    ec2.create_network_interface_permission(
        NetworkInterfaceId=eni_id, AwsAccountId="111122223333", Permission="EIP-ASSOCIATE"
    )
    # one account at a time
    assert_error(
        ec2.create_network_interface_permission,
        "InvalidParameterValue",
        NetworkInterfaceId=eni_id,
        AwsAccountId="444455556666",
        Permission="EIP-ASSOCIATE",
    )
    listed = ec2.describe_network_interface_permissions(
        Filters=[{"Name": "network-interface-permission.permission", "Values": ["INSTANCE-ATTACH"]}]
    )["NetworkInterfacePermissions"]
    assert listed == [permission]
    for name, value in (
        (
            "network-interface-permission.network-interface-permission-id",
            permission["NetworkInterfacePermissionId"],
        ),
        ("network-interface-permission.network-interface-id", eni_id),
        ("network-interface-permission.aws-account-id", "111122223333"),
        ("network-interface-permission.aws-service", "ec2.amazonaws.com"),
    ):
        found = ec2.describe_network_interface_permissions(
            Filters=[{"Name": name, "Values": [value]}]
        )["NetworkInterfacePermissions"]
        assert len(found) == (
            0 if name.endswith("aws-service") else 1 if name.endswith("permission-id") else 2
        ), name
    assert_error(
        ec2.describe_network_interface_permissions, "InvalidParameterValue", MaxResults=256
    )
    assert (
        ec2.delete_network_interface_permission(
            NetworkInterfacePermissionId=permission["NetworkInterfacePermissionId"]
        )["Return"]
        is True
    )
    assert_error(
        ec2.delete_network_interface_permission,
        "InvalidPermissionID.NotFound",
        NetworkInterfacePermissionId=permission["NetworkInterfacePermissionId"],
    )
    assert_error(
        ec2.create_network_interface_permission,
        "InvalidParameterValue",
        NetworkInterfaceId=eni_id,
        AwsAccountId="111122223333",
        Permission="BOGUS",
    )
    ec2.delete_network_interface(NetworkInterfaceId=eni_id)
    assert ec2.describe_network_interface_permissions()["NetworkInterfacePermissions"] == []


# -- trunks


def test_trunk_associations(ec2):
    trunk = create(ec2, InterfaceType="trunk")["NetworkInterfaceId"]
    branch = create(ec2, InterfaceType="branch")["NetworkInterfaceId"]
    plain = create(ec2)["NetworkInterfaceId"]
    assert_error(
        ec2.associate_trunk_interface,
        "InvalidParameterValue",
        BranchInterfaceId=branch,
        TrunkInterfaceId=plain,
        VlanId=10,
    )
    got = ec2.associate_trunk_interface(
        BranchInterfaceId=branch, TrunkInterfaceId=trunk, VlanId=10, ClientToken="t1"
    )
    association = got["InterfaceAssociation"]
    assert re.fullmatch(rf"trunk-assoc-{ID17}", association["AssociationId"])
    assert association["InterfaceProtocol"] == "VLAN"
    assert association["VlanId"] == 10
    again = ec2.associate_trunk_interface(
        BranchInterfaceId=branch, TrunkInterfaceId=trunk, VlanId=10, ClientToken="t1"
    )
    assert again["InterfaceAssociation"]["AssociationId"] == association["AssociationId"]
    assert_error(ec2.delete_network_interface, "DependencyViolation", NetworkInterfaceId=branch)
    listed = ec2.describe_trunk_interface_associations(
        Filters=[{"Name": "interface-protocol", "Values": ["VLAN"]}]
    )["InterfaceAssociations"]
    assert [a["AssociationId"] for a in listed] == [association["AssociationId"]]
    assert (
        ec2.describe_trunk_interface_associations(Filters=[{"Name": "gre-key", "Values": ["5"]}])[
            "InterfaceAssociations"
        ]
        == []
    )
    assert ec2.disassociate_trunk_interface(AssociationId=association["AssociationId"])["Return"]
    assert ec2.describe_trunk_interface_associations()["InterfaceAssociations"] == []
    ec2.delete_network_interface(NetworkInterfaceId=branch)


def test_describe_secondary_interfaces(ec2):
    assert ec2.describe_secondary_interfaces()["SecondaryInterfaces"] == []
    assert (
        ec2.describe_secondary_interfaces(Filters=[{"Name": "status", "Values": ["available"]}])[
            "SecondaryInterfaces"
        ]
        == []
    )


def test_other_account_sees_nothing(env, ec2):
    create(ec2)
    other = env.client(aws_access_key_id="111122223333", aws_secret_access_key="secret")
    own = [e for e in other.describe_network_interfaces()["NetworkInterfaces"]]
    assert own == []


def test_attachment_states_with_a_delay(env, ec2, ec2_options):
    ec2_options(transition_delay=30)
    ec2 = env.client()
    [inst] = launch(ec2)
    env.clock.advance(60)
    subnet = ec2.describe_subnets(SubnetIds=[inst["SubnetId"]])["Subnets"][0]
    eni = create(ec2, subnet)["NetworkInterfaceId"]
    attachment = ec2.attach_network_interface(
        NetworkInterfaceId=eni, InstanceId=inst["InstanceId"], DeviceIndex=1
    )["AttachmentId"]
    assert describe(ec2, eni)["Attachment"]["Status"] == "attaching"
    env.clock.advance(60)
    assert describe(ec2, eni)["Attachment"]["Status"] == "attached"
    ec2.detach_network_interface(AttachmentId=attachment)
    assert describe(ec2, eni)["Attachment"]["Status"] == "detaching"
    assert describe(ec2, eni)["Status"] == "in-use"
    env.clock.advance(60)
    assert describe(ec2, eni)["Status"] == "available"


def test_dry_run_of_detach_permissions_and_trunks(ec2, env):
    inst = running(ec2, env)
    subnet = ec2.describe_subnets(SubnetIds=[inst["SubnetId"]])["Subnets"][0]
    eni = create(ec2, subnet)["NetworkInterfaceId"]
    attachment = ec2.attach_network_interface(
        NetworkInterfaceId=eni, InstanceId=inst["InstanceId"], DeviceIndex=1
    )["AttachmentId"]
    assert_error(
        ec2.detach_network_interface,
        "DryRunOperation",
        status=412,
        AttachmentId=attachment,
        DryRun=True,
    )
    assert describe(ec2, eni)["Status"] == "in-use"
    permission = ec2.create_network_interface_permission(
        NetworkInterfaceId=eni, AwsAccountId="111122223333", Permission="INSTANCE-ATTACH"
    )["InterfacePermission"]["NetworkInterfacePermissionId"]
    assert_error(
        ec2.delete_network_interface_permission,
        "DryRunOperation",
        status=412,
        NetworkInterfacePermissionId=permission,
        DryRun=True,
    )
    assert len(ec2.describe_network_interface_permissions()["NetworkInterfacePermissions"]) == 1
    trunk = create(ec2, InterfaceType="trunk")["NetworkInterfaceId"]
    branch = create(ec2, InterfaceType="branch")["NetworkInterfaceId"]
    assert_error(
        ec2.associate_trunk_interface,
        "DryRunOperation",
        status=412,
        BranchInterfaceId=branch,
        TrunkInterfaceId=trunk,
        GreKey=7,
        DryRun=True,
    )
    assert ec2.describe_trunk_interface_associations()["InterfaceAssociations"] == []
    association = ec2.associate_trunk_interface(
        BranchInterfaceId=branch, TrunkInterfaceId=trunk, GreKey=7
    )["InterfaceAssociation"]
    assert association["InterfaceProtocol"] == "GRE"
    assert association["GreKey"] == 7
    assert_error(
        ec2.disassociate_trunk_interface,
        "DryRunOperation",
        status=412,
        AssociationId=association["AssociationId"],
        DryRun=True,
    )
    assert len(ec2.describe_trunk_interface_associations()["InterfaceAssociations"]) == 1
    assert_error(
        ec2.describe_trunk_interface_associations, "DryRunOperation", status=412, DryRun=True
    )


def test_trunk_errors(ec2):
    trunk = create(ec2, InterfaceType="trunk")["NetworkInterfaceId"]
    branch = create(ec2, InterfaceType="branch")["NetworkInterfaceId"]
    other = create(ec2, InterfaceType="branch")["NetworkInterfaceId"]
    for kw, code in (
        ({"VlanId": 0}, "InvalidParameterValue"),
        ({"VlanId": 4095}, "InvalidParameterValue"),
        ({}, "InvalidParameterCombination"),
        ({"VlanId": 5, "GreKey": 5}, "InvalidParameterCombination"),
    ):
        assert_error(
            ec2.associate_trunk_interface,
            code,
            BranchInterfaceId=branch,
            TrunkInterfaceId=trunk,
            **kw,
        )
    ec2.associate_trunk_interface(BranchInterfaceId=branch, TrunkInterfaceId=trunk, VlanId=5)
    assert_error(
        ec2.associate_trunk_interface,
        "InvalidParameterValue",
        BranchInterfaceId=other,
        TrunkInterfaceId=trunk,
        VlanId=5,
    )
    assert_error(
        ec2.associate_trunk_interface,
        "Resource.AlreadyAssociated",
        BranchInterfaceId=branch,
        TrunkInterfaceId=trunk,
        VlanId=6,
    )
    assert_error(
        ec2.disassociate_trunk_interface,
        "InvalidAssociationID.NotFound",
        AssociationId="trunk-assoc-0123456789abcdef0",
    )
    assert_error(ec2.describe_trunk_interface_associations, "InvalidParameterValue", MaxResults=256)


def test_tags_on_interfaces(ec2):
    eni = create(ec2)["NetworkInterfaceId"]
    ec2.create_tags(Resources=[eni], Tags=[{"Key": "team", "Value": "net"}])
    assert describe(ec2, eni)["TagSet"] == [{"Key": "team", "Value": "net"}]
    found = ec2.describe_network_interfaces(Filters=[{"Name": "tag:team", "Values": ["net"]}])
    assert [e["NetworkInterfaceId"] for e in found["NetworkInterfaces"]] == [eni]


def test_permission_seen_by_the_other_account(env, ec2):
    """The grant is visible to the granting account only; the grantee's region sees no interface."""
    eni = create(ec2)["NetworkInterfaceId"]
    ec2.create_network_interface_permission(
        NetworkInterfaceId=eni, AwsAccountId="111122223333", Permission="EIP-ASSOCIATE"
    )
    other = env.client(aws_access_key_id="111122223333", aws_secret_access_key="secret")
    assert other.describe_network_interface_permissions()["NetworkInterfacePermissions"] == []
    assert_error(
        other.describe_network_interfaces,
        "InvalidNetworkInterfaceID.NotFound",
        NetworkInterfaceIds=[eni],
    )


def test_prefixes_run_out_and_nothing_leaks(ec2):
    subnet = subnet_of(ec2)
    before = available_count(ec2, subnet["SubnetId"])
    eni = create(ec2, subnet)["NetworkInterfaceId"]
    # a /20 holds 256 /28s; the first and the last hold reserved addresses: 254 to carve
    ec2.assign_private_ip_addresses(NetworkInterfaceId=eni, Ipv4PrefixCount=200)
    taken = available_count(ec2, subnet["SubnetId"])
    assert_error(
        ec2.assign_private_ip_addresses,
        "InsufficientCidrBlocks",
        NetworkInterfaceId=eni,
        SecondaryPrivateIpAddressCount=2,
        Ipv4PrefixCount=55,
    )
    assert available_count(ec2, subnet["SubnetId"]) == taken
    ec2.delete_network_interface(NetworkInterfaceId=eni)
    assert available_count(ec2, subnet["SubnetId"]) == before


def test_client_token_replay_under_dry_run(ec2):
    subnet = subnet_of(ec2)
    ec2.create_network_interface(SubnetId=subnet["SubnetId"], ClientToken="again")
    assert_error(
        ec2.create_network_interface,
        "DryRunOperation",
        status=412,
        SubnetId=subnet["SubnetId"],
        ClientToken="again",
        DryRun=True,
    )


def test_indexed_filters_keep_creation_order_and_combine(ec2):
    subnets = sorted(ec2.describe_subnets()["Subnets"], key=lambda s: s["AvailabilityZone"])
    a, b = subnets[0]["SubnetId"], subnets[1]["SubnetId"]
    made = [
        create(ec2, subnets[i % 2], Description=f"d{i}")["NetworkInterfaceId"] for i in range(6)
    ]

    def ids(*filters):
        found = ec2.describe_network_interfaces(Filters=list(filters))["NetworkInterfaces"]
        return [e["NetworkInterfaceId"] for e in found]

    assert ids({"Name": "subnet-id", "Values": [b, a]}) == made
    assert ids({"Name": "subnet-id", "Values": [a]}) == made[0::2]
    assert ids({"Name": "subnet-id", "Values": ["subnet-*"]}) == made
    assert ids(
        {"Name": "subnet-id", "Values": [a]}, {"Name": "description", "Values": ["d2", "d3"]}
    ) == [made[2]]
    assert ids({"Name": "network-interface-id", "Values": [made[3], made[1]]}) == [
        made[1],
        made[3],
    ]
    assert ids({"Name": "vpc-id", "Values": [subnets[0]["VpcId"]]}) == made
    assert ids({"Name": "subnet-id", "Values": ["subnet-0123456789abcdef0"]}) == []


def test_primary_interface_attributes_show_on_the_instance(ec2, env):
    inst = running(ec2, env)
    eni_id = inst["NetworkInterfaces"][0]["NetworkInterfaceId"]
    ec2.modify_network_interface_attribute(
        NetworkInterfaceId=eni_id, SourceDestCheck={"Value": False}
    )
    ec2.modify_network_interface_attribute(NetworkInterfaceId=eni_id, Description={"Value": "eth0"})
    shown = instance(ec2, inst["InstanceId"])
    assert shown["SourceDestCheck"] is False
    assert shown["NetworkInterfaces"][0]["SourceDestCheck"] is False
    assert shown["NetworkInterfaces"][0]["Description"] == "eth0"


def test_secondary_interface_survives_stop_and_start(ec2, env):
    inst = running(ec2, env)
    subnet = ec2.describe_subnets(SubnetIds=[inst["SubnetId"]])["Subnets"][0]
    eni = create(ec2, subnet, SecondaryPrivateIpAddressCount=1)
    ec2.attach_network_interface(
        NetworkInterfaceId=eni["NetworkInterfaceId"], InstanceId=inst["InstanceId"], DeviceIndex=1
    )
    ec2.stop_instances(InstanceIds=[inst["InstanceId"]])
    env.clock.advance(60)
    ec2.start_instances(InstanceIds=[inst["InstanceId"]])
    env.clock.advance(60)
    [_, secondary] = instance(ec2, inst["InstanceId"])["NetworkInterfaces"]
    assert secondary["NetworkInterfaceId"] == eni["NetworkInterfaceId"]
    assert secondary["Attachment"]["Status"] == "attached"
    assert [a["Primary"] for a in secondary["PrivateIpAddresses"]] == [True, False]
    assert describe(ec2, eni["NetworkInterfaceId"])["Status"] == "in-use"


def test_describe_instances_filters_on_every_interface(ec2, env):
    inst = running(ec2, env)
    other = running(ec2, env, SubnetId=inst["SubnetId"])
    subnet = ec2.describe_subnets(SubnetIds=[inst["SubnetId"]])["Subnets"][0]
    eni = create(
        ec2,
        subnet,
        Description="second",
        Ipv4PrefixCount=1,
        TagSpecifications=[
            {"ResourceType": "network-interface", "Tags": [{"Key": "role", "Value": "data"}]}
        ],
    )
    ec2.attach_network_interface(
        NetworkInterfaceId=eni["NetworkInterfaceId"], InstanceId=inst["InstanceId"], DeviceIndex=1
    )
    env.clock.advance(60)
    eni = describe(ec2, eni["NetworkInterfaceId"])
    primary = describe(ec2, inst["NetworkInterfaces"][0]["NetworkInterfaceId"])
    mine, both = {inst["InstanceId"]}, {inst["InstanceId"], other["InstanceId"]}

    def ids(name, value):
        found = ec2.describe_instances(Filters=[{"Name": name, "Values": [value]}])
        return {i["InstanceId"] for r in found["Reservations"] for i in r["Instances"]}

    public_dns = primary["Association"]["PublicDnsName"]
    cases = {
        "network-interface.description": ("second", mine),
        "network-interface.ipv4-prefixes.ipv4-prefix": (eni["Ipv4Prefixes"][0]["Ipv4Prefix"], mine),
        "network-interface.attachment.delete-on-termination": ("false", mine),
        "network-interface.attachment.device-index": ("1", mine),
        "network-interface.attachment.status": ("attached", both),
        "network-interface.attachment.instance-owner-id": ("123456789012", both),
        "network-interface.attachment.network-card-index": ("0", both),
        "network-interface.attachment.attach-time": (
            eni["Attachment"]["AttachTime"].strftime("%Y-%m-%dT*"),
            both,
        ),
        "network-interface.private-dns-name": (eni["PrivateDnsName"], mine),
        "network-interface.addresses.private-dns-name": (eni["PrivateDnsName"], mine),
        "network-interface.association.public-dns-name": (public_dns, mine),
        "network-interface.addresses.association.public-dns-name": (public_dns, mine),
        "network-interface.association.ip-owner-id": ("amazon", both),
        "network-interface.addresses.association.ip-owner-id": ("amazon", both),
        "network-interface.public-dns-name": (public_dns, mine),
        "network-interface.group-name": ("default", both),
        "network-interface.owner-id": ("123456789012", both),
        "network-interface.requester-managed": ("false", both),
        "network-interface.source-dest-check": ("true", both),
        "network-interface.status": ("in-use", both),
        "network-interface.operator.managed": ("false", both),
        "network-interface.tag-key": ("role", mine),
        "network-interface.tag-value": ("data", mine),
        "network-interface.ipv6-native": ("false", both),
        "network-interface.deny-all-igw-traffic": ("false", both),
        "network-interface.association.allocation-id": ("eipalloc-*", set()),
        "network-interface.association.association-id": ("eipassoc-*", set()),
        "network-interface.addresses.association.allocation-id": ("eipalloc-*", set()),
        "network-interface.addresses.association.association-id": ("eipassoc-*", set()),
        "network-interface.association.carrier-ip": ("*", set()),
        "network-interface.association.customer-owned-ip": ("*", set()),
        "network-interface.addresses.association.carrier-ip": ("*", set()),
        "network-interface.addresses.association.customer-owned-ip": ("*", set()),
        "network-interface.ipv6-address": ("*", set()),
        "network-interface.ipv6-addresses.ipv6-address": ("*", set()),
        "network-interface.ipv6-addresses.is-primary-ipv6": ("true", set()),
        "network-interface.ipv6-prefixes.ipv6-prefix": ("*", set()),
        "network-interface.operator.principal": ("*", set()),
        "network-interface.outpost-arn": ("*", set()),
        "network-interface.requester-id": ("*", set()),
        "ipv6-address": ("*", set()),
    }
    for name, (value, expected) in cases.items():
        assert ids(name, value) == expected, name


def test_associated_subnets(ec2):
    subnets = sorted(ec2.describe_subnets()["Subnets"], key=lambda s: s["AvailabilityZone"])
    eni = create(ec2, subnets[0])["NetworkInterfaceId"]
    ec2.modify_network_interface_attribute(
        NetworkInterfaceId=eni, AssociatedSubnetIds=[subnets[1]["SubnetId"]]
    )
    assert describe(ec2, eni)["AssociatedSubnets"] == [subnets[1]["SubnetId"]]
    assert_error(
        ec2.modify_network_interface_attribute,
        "InvalidSubnetID.NotFound",
        NetworkInterfaceId=eni,
        AssociatedSubnetIds=["subnet-0123456789abcdef0"],
    )
    assert_error(
        ec2.describe_secondary_interfaces,
        "InvalidSecondaryInterfaceID.NotFound",
        SecondaryInterfaceIds=["si-0123456789abcdef0"],
    )
    assert_error(ec2.describe_secondary_interfaces, "InvalidParameterValue", MaxResults=1001)
