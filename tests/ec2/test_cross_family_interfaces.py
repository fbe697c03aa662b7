"""Interfaces across families: requester-managed interfaces of NAT gateways and
endpoints, IPv6 addresses from subnets, Elastic IPs on interfaces."""

from __future__ import annotations

from typing import Any

import pytest

from tests.ec2.cross_helpers import (
    OTHER,
    WAITER,
    assert_managed,
    available_tgw,
    ec2_account,
    interface,
    ipv6_subnet,
    subnet,
    subnet_held,
    vpc,
)
from tests.ec2.ec2_helpers import assert_error, launch


@pytest.fixture
def other(env: Any) -> Any:
    """Account 222233334444 in eu-west-1."""
    return env.client("ec2", region="eu-west-1", aws_access_key_id=OTHER, aws_secret_access_key="x")


def test_a_nat_gateways_interface_is_requester_managed_and_goes_with_it(ec2):
    vpc_id = vpc(ec2)
    subnet_id = subnet(ec2, vpc_id)
    nat = ec2.create_nat_gateway(SubnetId=subnet_id, ConnectivityType="private")["NatGateway"]
    eni = nat["NatGatewayAddresses"][0]["NetworkInterfaceId"]
    assert_managed(ec2, eni, "nat_gateway", f"Interface for NAT Gateway {nat['NatGatewayId']}")
    ec2.delete_nat_gateway(NatGatewayId=nat["NatGatewayId"])
    ec2.get_waiter("nat_gateway_deleted").wait(
        NatGatewayIds=[nat["NatGatewayId"]], WaiterConfig=WAITER
    )
    assert_error(
        ec2.describe_network_interfaces,
        "InvalidNetworkInterfaceID.NotFound",
        NetworkInterfaceIds=[eni],
    )
    ec2.delete_subnet(SubnetId=subnet_id)


def test_an_interface_endpoints_interfaces_are_requester_managed(ec2):
    vpc_id = vpc(ec2)
    ec2.modify_vpc_attribute(VpcId=vpc_id, EnableDnsHostnames={"Value": True})
    subnet_id = subnet(ec2, vpc_id)
    group = ec2.create_security_group(GroupName="ep", Description="d", VpcId=vpc_id)["GroupId"]
    made = ec2.create_vpc_endpoint(
        VpcId=vpc_id,
        ServiceName="com.amazonaws.eu-west-1.ssm",
        VpcEndpointType="Interface",
        SubnetIds=[subnet_id],
        SecurityGroupIds=[group],
    )["VpcEndpoint"]
    vpce = made["VpcEndpointId"]
    eni = made["NetworkInterfaceIds"][0]
    assert_managed(ec2, eni, "vpc_endpoint", f"VPC Endpoint Interface {vpce}")
    assert [g["GroupId"] for g in interface(ec2, eni)["Groups"]] == [group]
    ec2.delete_vpc_endpoints(VpcEndpointIds=[vpce])
    ec2.describe_vpc_endpoints()
    assert_error(
        ec2.describe_network_interfaces,
        "InvalidNetworkInterfaceID.NotFound",
        NetworkInterfaceIds=[eni],
    )


def test_interfaces_take_ipv6_addresses_from_their_subnet(ec2):
    import ipaddress

    subnet_id, cidr64 = ipv6_subnet(ec2)
    network = ipaddress.ip_network(cidr64)
    eni = ec2.create_network_interface(SubnetId=subnet_id, Ipv6AddressCount=2)["NetworkInterface"]
    addresses = [a["Ipv6Address"] for a in eni["Ipv6Addresses"]]
    assert len(set(addresses)) == 2
    assert all(ipaddress.ip_address(a) in network for a in addresses)
    eni_id = eni["NetworkInterfaceId"]

    assigned = ec2.assign_ipv6_addresses(NetworkInterfaceId=eni_id, Ipv6AddressCount=1)[
        "AssignedIpv6Addresses"
    ]
    assert len(assigned) == 1 and assigned[0] not in addresses
    shown = [a["Ipv6Address"] for a in interface(ec2, eni_id)["Ipv6Addresses"]]
    assert sorted(shown) == sorted(addresses + assigned)
    by_filter = ec2.describe_network_interfaces(
        Filters=[{"Name": "ipv6-addresses.ipv6-address", "Values": [assigned[0]]}]
    )["NetworkInterfaces"]
    assert [i["NetworkInterfaceId"] for i in by_filter] == [eni_id]

    ec2.unassign_ipv6_addresses(NetworkInterfaceId=eni_id, Ipv6Addresses=assigned)
    shown = [a["Ipv6Address"] for a in interface(ec2, eni_id)["Ipv6Addresses"]]
    assert sorted(shown) == sorted(addresses)

    # an address in use cannot be given to another interface of the subnet
    assert_error(
        ec2.create_network_interface,
        "InvalidIPAddress.InUse",
        SubnetId=subnet_id,
        Ipv6Addresses=[{"Ipv6Address": addresses[0]}],
    )
    # the subnet holds while the interface has addresses in it; then lets go
    subnet_held(ec2, subnet_id)
    ec2.delete_network_interface(NetworkInterfaceId=eni_id)
    again = ec2.create_network_interface(
        SubnetId=subnet_id, Ipv6Addresses=[{"Ipv6Address": addresses[0]}]
    )["NetworkInterface"]
    assert [a["Ipv6Address"] for a in again["Ipv6Addresses"]] == [addresses[0]]


def test_a_subnet_without_ipv6_gives_no_ipv6_addresses(ec2):
    vpc_id = vpc(ec2)
    subnet_id = subnet(ec2, vpc_id)
    error = assert_error(
        ec2.create_network_interface,
        "InvalidParameterValue",
        SubnetId=subnet_id,
        Ipv6AddressCount=1,
    )
    assert error["Message"]


def test_assign_ipv6_address_on_creation_gives_new_interfaces_an_address(ec2):
    import ipaddress

    subnet_id, cidr64 = ipv6_subnet(ec2)
    ec2.modify_subnet_attribute(SubnetId=subnet_id, AssignIpv6AddressOnCreation={"Value": True})
    eni = ec2.create_network_interface(SubnetId=subnet_id)["NetworkInterface"]
    assert len(eni["Ipv6Addresses"]) == 1
    assert ipaddress.ip_address(eni["Ipv6Addresses"][0]["Ipv6Address"]) in ipaddress.ip_network(
        cidr64
    )
    instance = launch(ec2, SubnetId=subnet_id)[0]
    assert len(instance["NetworkInterfaces"][0]["Ipv6Addresses"]) == 1


def test_an_elastic_ip_shows_on_its_interface_and_the_interface_on_the_address(ec2):
    vpc_id = vpc(ec2)
    subnet_id = subnet(ec2, vpc_id)
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc_id)
    eni = ec2.create_network_interface(SubnetId=subnet_id)["NetworkInterface"]
    eni_id = eni["NetworkInterfaceId"]
    address = ec2.allocate_address(Domain="vpc")
    association = ec2.associate_address(
        AllocationId=address["AllocationId"], NetworkInterfaceId=eni_id
    )["AssociationId"]
    shown = interface(ec2, eni_id)["Association"]
    owner = shown["IpOwnerId"]
    assert shown["AllocationId"] == address["AllocationId"]
    assert shown["AssociationId"] == association
    assert shown["PublicIp"] == address["PublicIp"]
    for name, value in (
        ("association.allocation-id", address["AllocationId"]),
        ("association.association-id", association),
        ("association.public-ip", address["PublicIp"]),
        ("association.ip-owner-id", owner),
    ):
        found = ec2.describe_network_interfaces(Filters=[{"Name": name, "Values": [value]}])
        assert [i["NetworkInterfaceId"] for i in found["NetworkInterfaces"]] == [eni_id], name
    got = ec2.describe_addresses(AllocationIds=[address["AllocationId"]])["Addresses"][0]
    assert got["NetworkInterfaceId"] == eni_id
    assert got["PrivateIpAddress"] == eni["PrivateIpAddress"]
    assert got["AssociationId"] == association

    ec2.delete_network_interface(NetworkInterfaceId=eni_id)
    got = ec2.describe_addresses(AllocationIds=[address["AllocationId"]])["Addresses"][0]
    assert "NetworkInterfaceId" not in got and "AssociationId" not in got


def test_an_elastic_ip_goes_to_another_accounts_interface_with_eip_associate(ec2, other):
    their_vpc = vpc(other)
    their_subnet = subnet(other, their_vpc)
    eni_id = other.create_network_interface(SubnetId=their_subnet)["NetworkInterface"][
        "NetworkInterfaceId"
    ]
    allocation = ec2.allocate_address(Domain="vpc")["AllocationId"]
    assert_error(
        ec2.associate_address,
        "InvalidNetworkInterfaceID.NotFound",
        AllocationId=allocation,
        NetworkInterfaceId=eni_id,
    )
    mine = ec2_account(ec2)
    other.create_network_interface_permission(
        NetworkInterfaceId=eni_id, AwsAccountId=mine, Permission="EIP-ASSOCIATE"
    )
    ec2.associate_address(AllocationId=allocation, NetworkInterfaceId=eni_id)
    got = ec2.describe_addresses(AllocationIds=[allocation])["Addresses"][0]
    assert got["NetworkInterfaceId"] == eni_id
    assert got["NetworkInterfaceOwnerId"] == OTHER
    shown = interface(other, eni_id)["Association"]
    assert (shown["AllocationId"], shown["IpOwnerId"]) == (allocation, mine)
    ec2.disassociate_address(AssociationId=got["AssociationId"])
    ec2.associate_address(AllocationId=allocation, NetworkInterfaceId=eni_id)
    other.delete_network_interface(NetworkInterfaceId=eni_id)
    got = ec2.describe_addresses(AllocationIds=[allocation])["Addresses"][0]
    assert "NetworkInterfaceId" not in got and "AssociationId" not in got


def test_a_transit_gateway_vpc_attachment_has_an_interface_in_each_subnet(ec2):
    vpc_id = vpc(ec2)
    first = subnet(ec2, vpc_id, "10.0.1.0/24", AvailabilityZone="eu-west-1a")
    second = subnet(ec2, vpc_id, "10.0.2.0/24", AvailabilityZone="eu-west-1b")
    tgw = available_tgw(ec2)
    attachment = ec2.create_transit_gateway_vpc_attachment(
        TransitGatewayId=tgw, VpcId=vpc_id, SubnetIds=[first]
    )["TransitGatewayVpcAttachment"]["TransitGatewayAttachmentId"]

    def gateway_interfaces() -> dict[str, dict[str, Any]]:
        found = ec2.describe_network_interfaces(
            Filters=[{"Name": "interface-type", "Values": ["transit_gateway"]}]
        )["NetworkInterfaces"]
        return {i["SubnetId"]: i for i in found}

    eni = gateway_interfaces()[first]
    assert eni["RequesterManaged"] is True
    assert eni["Description"] == f"Network Interface for Transit Gateway Attachment {attachment}"
    assert_error(
        ec2.delete_network_interface,
        "InvalidParameterValue",
        NetworkInterfaceId=eni["NetworkInterfaceId"],
    )
    ec2.describe_transit_gateway_vpc_attachments(TransitGatewayAttachmentIds=[attachment])
    ec2.modify_transit_gateway_vpc_attachment(
        TransitGatewayAttachmentId=attachment, AddSubnetIds=[second], RemoveSubnetIds=[first]
    )
    assert set(gateway_interfaces()) == {second}
    ec2.delete_transit_gateway_vpc_attachment(TransitGatewayAttachmentId=attachment)
    assert gateway_interfaces() == {}
    ec2.delete_subnet(SubnetId=first)
    ec2.delete_subnet(SubnetId=second)


def test_a_dual_stack_endpoints_interfaces_take_ipv6_addresses(ec2):
    import ipaddress

    subnet_id, cidr64 = ipv6_subnet(ec2)
    vpc_id = ec2.describe_subnets(SubnetIds=[subnet_id])["Subnets"][0]["VpcId"]
    wanted = str(ipaddress.ip_network(cidr64)[100])
    made = ec2.create_vpc_endpoint(
        VpcId=vpc_id,
        ServiceName="com.amazonaws.eu-west-1.sqs",
        VpcEndpointType="Interface",
        IpAddressType="dualstack",
        SubnetConfigurations=[{"SubnetId": subnet_id, "Ipv6": wanted}],
    )["VpcEndpoint"]
    eni = made["NetworkInterfaceIds"][0]
    assert [a["Ipv6Address"] for a in interface(ec2, eni)["Ipv6Addresses"]] == [wanted]
    # the address is the endpoint's now: another interface cannot take it
    assert_error(
        ec2.create_network_interface,
        "InvalidIPAddress.InUse",
        SubnetId=subnet_id,
        Ipv6Addresses=[{"Ipv6Address": wanted}],
    )
    ec2.delete_vpc_endpoints(VpcEndpointIds=[made["VpcEndpointId"]])
    ec2.describe_vpc_endpoints()
    again = ec2.create_network_interface(
        SubnetId=subnet_id, Ipv6Addresses=[{"Ipv6Address": wanted}]
    )["NetworkInterface"]
    assert [a["Ipv6Address"] for a in again["Ipv6Addresses"]] == [wanted]


def test_an_endpoint_refuses_an_ipv6_address_in_use(ec2):
    subnet_id, _ = ipv6_subnet(ec2)
    vpc_id = ec2.describe_subnets(SubnetIds=[subnet_id])["Subnets"][0]["VpcId"]
    taken = ec2.create_network_interface(SubnetId=subnet_id, Ipv6AddressCount=1)[
        "NetworkInterface"
    ]["Ipv6Addresses"][0]["Ipv6Address"]
    assert_error(
        ec2.create_vpc_endpoint,
        "InvalidIPAddress.InUse",
        VpcId=vpc_id,
        ServiceName="com.amazonaws.eu-west-1.sqs",
        VpcEndpointType="Interface",
        IpAddressType="dualstack",
        SubnetConfigurations=[{"SubnetId": subnet_id, "Ipv6": taken}],
    )
