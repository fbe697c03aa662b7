"""Elastic IP addresses: allocation, association with instances and interfaces, release,
the reverse-DNS attribute, transfers between accounts."""

from __future__ import annotations

import ipaddress
import re

import pytest
from ec2_helpers import ID17, assert_error, instance, launch

OTHER_ACCOUNT = "111122223333"


def allocate(ec2, **kw):
    return ec2.allocate_address(Domain="vpc", **kw)


def address_of(ec2, allocation_id):
    return ec2.describe_addresses(AllocationIds=[allocation_id])["Addresses"][0]


def test_allocate(ec2):
    result = allocate(
        ec2,
        TagSpecifications=[
            {"ResourceType": "elastic-ip", "Tags": [{"Key": "Name", "Value": "web"}]}
        ],
    )
    assert re.fullmatch(rf"eipalloc-{ID17}", result["AllocationId"])
    assert result["Domain"] == "vpc"
    assert result["PublicIpv4Pool"] == "amazon"
    assert result["NetworkBorderGroup"] == "eu-west-1"
    assert re.fullmatch(r"\d+\.\d+\.\d+\.\d+", result["PublicIp"])
    assert address_of(ec2, result["AllocationId"]) == {
        "AllocationId": result["AllocationId"],
        "Domain": "vpc",
        "PublicIpv4Pool": "amazon",
        "NetworkBorderGroup": "eu-west-1",
        "PublicIp": result["PublicIp"],
        "Tags": [{"Key": "Name", "Value": "web"}],
    }
    assert (
        ec2.describe_addresses(PublicIps=[result["PublicIp"]])["Addresses"][0]["AllocationId"]
        == (result["AllocationId"])
    )
    # the default Domain is vpc too
    assert ec2.allocate_address()["Domain"] == "vpc"


def test_allocate_errors(ec2):
    assert_error(ec2.allocate_address, "InvalidParameterValue", NetworkBorderGroup="us-east-1")
    assert_error(
        ec2.allocate_address,
        "InvalidPublicIpv4PoolID.NotFound",
        PublicIpv4Pool="ipv4pool-ec2-12345678",
    )
    assert_error(ec2.allocate_address, "InvalidAddress.NotFound", Address="198.51.100.7")
    assert_error(
        ec2.allocate_address,
        "InvalidParameterValue",
        TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "a", "Value": "b"}]}],
    )
    for _ in range(5):
        allocate(ec2)
    assert_error(
        ec2.allocate_address, "AddressLimitExceeded", message="maximum number of addresses"
    )


def test_recover_a_released_address(ec2):
    first = allocate(ec2)
    ec2.release_address(AllocationId=first["AllocationId"])
    again = ec2.allocate_address(Address=first["PublicIp"])
    assert again["PublicIp"] == first["PublicIp"]
    assert again["AllocationId"] != first["AllocationId"]


def test_associate_with_an_instance(ec2):
    [launched] = launch(ec2)
    instance_id = launched["InstanceId"]
    auto_ip = launched["PublicIpAddress"]
    eip = allocate(ec2)
    association_id = ec2.associate_address(
        AllocationId=eip["AllocationId"], InstanceId=instance_id
    )["AssociationId"]
    assert re.fullmatch(rf"eipassoc-{ID17}", association_id)
    described = instance(ec2, instance_id)
    assert described["PublicIpAddress"] == eip["PublicIp"]
    assert described["PublicDnsName"].startswith("ec2-" + eip["PublicIp"].replace(".", "-"))
    association = described["NetworkInterfaces"][0]["Association"]
    assert association["PublicIp"] == eip["PublicIp"]
    assert association["IpOwnerId"] == "123456789012"

    def instance_ids(name, value):
        found = ec2.describe_instances(Filters=[{"Name": name, "Values": [value]}])
        return [i["InstanceId"] for r in found["Reservations"] for i in r["Instances"]]

    for where in ("", "addresses."):
        prefix = f"network-interface.{where}association."
        assert instance_ids(prefix + "allocation-id", eip["AllocationId"]) == [instance_id]
        assert instance_ids(prefix + "association-id", association_id) == [instance_id]
        assert instance_ids(prefix + "ip-owner-id", "123456789012") == [instance_id]
        assert instance_ids(prefix + "public-dns-name", described["PublicDnsName"]) == [instance_id]
    eni_id = described["NetworkInterfaces"][0]["NetworkInterfaceId"]
    address = address_of(ec2, eip["AllocationId"])
    assert address["AssociationId"] == association_id
    assert address["InstanceId"] == instance_id
    assert address["NetworkInterfaceId"] == eni_id
    assert address["NetworkInterfaceOwnerId"] == "123456789012"
    assert address["PrivateIpAddress"] == described["PrivateIpAddress"]
    # the instance keeps its Elastic IP through stop and start
    ec2.stop_instances(InstanceIds=[instance_id])
    assert instance(ec2, instance_id)["PublicIpAddress"] == eip["PublicIp"]
    ec2.start_instances(InstanceIds=[instance_id])
    assert instance(ec2, instance_id)["PublicIpAddress"] == eip["PublicIp"]
    ec2.disassociate_address(AssociationId=association_id)
    assert "AssociationId" not in address_of(ec2, eip["AllocationId"])
    # the instance is given a new public address, as EC2 does
    after = instance(ec2, instance_id)
    assert after["PublicIpAddress"] not in (eip["PublicIp"], None)
    assert after["NetworkInterfaces"][0]["Association"]["IpOwnerId"] == "amazon"
    assert auto_ip
    assert_error(
        ec2.disassociate_address, "InvalidAssociationID.NotFound", AssociationId=association_id
    )


def test_associate_with_an_interface_and_private_address(ec2):
    [launched] = launch(ec2)
    eni = launched["NetworkInterfaces"][0]
    eip = allocate(ec2)
    assert_error(
        ec2.associate_address,
        "InvalidParameterValue",
        AllocationId=eip["AllocationId"],
        NetworkInterfaceId=eni["NetworkInterfaceId"],
        PrivateIpAddress="172.31.255.200",
    )
    ec2.associate_address(
        AllocationId=eip["AllocationId"],
        NetworkInterfaceId=eni["NetworkInterfaceId"],
        PrivateIpAddress=eni["PrivateIpAddress"],
    )
    address = address_of(ec2, eip["AllocationId"])
    assert address["NetworkInterfaceId"] == eni["NetworkInterfaceId"]
    assert address["InstanceId"] == launched["InstanceId"]
    assert instance(ec2, launched["InstanceId"])["PublicIpAddress"] == eip["PublicIp"]


def test_reassociation(ec2):
    first, second = launch(ec2, 2)
    eip = allocate(ec2)
    ec2.associate_address(AllocationId=eip["AllocationId"], InstanceId=first["InstanceId"])
    assert_error(
        ec2.associate_address,
        "Resource.AlreadyAssociated",
        AllocationId=eip["AllocationId"],
        InstanceId=second["InstanceId"],
        AllowReassociation=False,
    )
    ec2.associate_address(
        AllocationId=eip["AllocationId"], InstanceId=second["InstanceId"], AllowReassociation=True
    )
    assert address_of(ec2, eip["AllocationId"])["InstanceId"] == second["InstanceId"]
    assert instance(ec2, first["InstanceId"])["PublicIpAddress"] != eip["PublicIp"]
    # a second address on the same instance takes the place of the first, which stays allocated
    other = allocate(ec2)
    ec2.associate_address(AllocationId=other["AllocationId"], InstanceId=second["InstanceId"])
    assert instance(ec2, second["InstanceId"])["PublicIpAddress"] == other["PublicIp"]
    assert "AssociationId" not in address_of(ec2, eip["AllocationId"])


def test_associate_errors(ec2):
    [launched] = launch(ec2)
    eip = allocate(ec2)
    assert_error(ec2.associate_address, "MissingParameter", InstanceId=launched["InstanceId"])
    assert_error(
        ec2.associate_address,
        "InvalidParameterValue",
        message="allocation id",
        PublicIp=eip["PublicIp"],
        InstanceId=launched["InstanceId"],
    )
    assert_error(ec2.associate_address, "MissingParameter", AllocationId=eip["AllocationId"])
    assert_error(
        ec2.associate_address,
        "InvalidAllocationID.NotFound",
        AllocationId="eipalloc-12345678",
        InstanceId=launched["InstanceId"],
    )
    assert_error(
        ec2.associate_address,
        "InvalidInstanceID.NotFound",
        AllocationId=eip["AllocationId"],
        InstanceId="i-12345678",
    )
    assert_error(
        ec2.associate_address,
        "InvalidNetworkInterfaceID.NotFound",
        AllocationId=eip["AllocationId"],
        NetworkInterfaceId="eni-12345678",
    )
    ec2.terminate_instances(InstanceIds=[launched["InstanceId"]])
    assert_error(
        ec2.associate_address,
        "IncorrectInstanceState",
        AllocationId=eip["AllocationId"],
        InstanceId=launched["InstanceId"],
    )


def test_release(ec2):
    [launched] = launch(ec2)
    eip = allocate(ec2)
    association_id = ec2.associate_address(
        AllocationId=eip["AllocationId"], InstanceId=launched["InstanceId"]
    )["AssociationId"]
    assert_error(ec2.release_address, "InvalidIPAddress.InUse", AllocationId=eip["AllocationId"])
    assert_error(
        ec2.release_address,
        "InvalidParameterValue",
        message="allocation id",
        PublicIp=eip["PublicIp"],
    )
    assert_error(
        ec2.disassociate_address,
        "InvalidParameterValue",
        message="association id",
        PublicIp=eip["PublicIp"],
    )
    ec2.disassociate_address(AssociationId=association_id)
    ec2.release_address(AllocationId=eip["AllocationId"])
    assert_error(
        ec2.release_address, "InvalidAllocationID.NotFound", AllocationId=eip["AllocationId"]
    )
    assert_error(
        ec2.describe_addresses, "InvalidAllocationID.NotFound", AllocationIds=[eip["AllocationId"]]
    )
    assert_error(ec2.describe_addresses, "InvalidAddress.NotFound", PublicIps=[eip["PublicIp"]])
    assert_error(ec2.describe_addresses, "InvalidAddress.Malformed", PublicIps=["not-an-ip"])
    assert_error(ec2.release_address, "InvalidAllocationID.Malformed", AllocationId="eipalloc-zz")


def test_termination_unmaps_the_address(ec2):
    [launched] = launch(ec2)
    eip = allocate(ec2)
    ec2.associate_address(AllocationId=eip["AllocationId"], InstanceId=launched["InstanceId"])
    ec2.terminate_instances(InstanceIds=[launched["InstanceId"]])
    ec2.describe_instances()
    address = address_of(ec2, eip["AllocationId"])
    assert "AssociationId" not in address and "InstanceId" not in address
    vpc_id = ec2.describe_vpcs()["Vpcs"][0]["VpcId"]
    igw_id = ec2.describe_internet_gateways()["InternetGateways"][0]["InternetGatewayId"]
    ec2.detach_internet_gateway(InternetGatewayId=igw_id, VpcId=vpc_id)


def test_mapped_address_blocks_igw_detach(ec2):
    [launched] = launch(ec2)
    eni_id = launched["NetworkInterfaces"][0]["NetworkInterfaceId"]
    eip = allocate(ec2)
    ec2.associate_address(AllocationId=eip["AllocationId"], NetworkInterfaceId=eni_id)
    ec2.stop_instances(InstanceIds=[launched["InstanceId"]])
    vpc_id = ec2.describe_vpcs()["Vpcs"][0]["VpcId"]
    igw_id = ec2.describe_internet_gateways()["InternetGateways"][0]["InternetGatewayId"]
    assert_error(
        ec2.detach_internet_gateway,
        "DependencyViolation",
        message="mapped public address",
        InternetGatewayId=igw_id,
        VpcId=vpc_id,
    )


def test_filters(ec2):
    [launched] = launch(ec2)
    eni = launched["NetworkInterfaces"][0]
    bound = allocate(ec2)
    loose = allocate(ec2)
    association_id = ec2.associate_address(
        AllocationId=bound["AllocationId"], InstanceId=launched["InstanceId"]
    )["AssociationId"]
    ec2.create_tags(Resources=[loose["AllocationId"]], Tags=[{"Key": "role", "Value": "spare"}])

    def ids(name, *values):
        found = ec2.describe_addresses(Filters=[{"Name": name, "Values": list(values)}])
        return {a["AllocationId"] for a in found["Addresses"]}

    assert ids("allocation-id", loose["AllocationId"]) == {loose["AllocationId"]}
    assert ids("association-id", association_id) == {bound["AllocationId"]}
    assert ids("instance-id", launched["InstanceId"]) == {bound["AllocationId"]}
    assert ids("network-border-group", "eu-west-1") == {
        bound["AllocationId"],
        loose["AllocationId"],
    }
    assert ids("network-interface-id", eni["NetworkInterfaceId"]) == {bound["AllocationId"]}
    assert ids("network-interface-owner-id", "123456789012") == {bound["AllocationId"]}
    assert ids("private-ip-address", eni["PrivateIpAddress"]) == {bound["AllocationId"]}
    assert ids("public-ip", loose["PublicIp"]) == {loose["AllocationId"]}
    assert ids("tag:role", "spare") == {loose["AllocationId"]}
    assert ids("tag-key", "role") == {loose["AllocationId"]}
    assert_error(
        ec2.describe_addresses,
        "InvalidParameterValue",
        Filters=[{"Name": "domain-x", "Values": ["vpc"]}],
    )


def test_dry_run(ec2, other):
    [launched] = launch(ec2)
    assert_error(ec2.allocate_address, "DryRunOperation", 412, DryRun=True)
    assert ec2.describe_addresses()["Addresses"] == []
    eip = allocate(ec2)
    allocation_id = eip["AllocationId"]
    assert_error(
        ec2.associate_address,
        "DryRunOperation",
        412,
        AllocationId=allocation_id,
        InstanceId=launched["InstanceId"],
        DryRun=True,
    )
    assert "AssociationId" not in address_of(ec2, allocation_id)
    association_id = ec2.associate_address(
        AllocationId=allocation_id, InstanceId=launched["InstanceId"]
    )["AssociationId"]
    assert_error(
        ec2.disassociate_address, "DryRunOperation", 412, AssociationId=association_id, DryRun=True
    )
    assert_error(ec2.describe_addresses, "DryRunOperation", 412, DryRun=True)
    ec2.disassociate_address(AssociationId=association_id)
    for call, kw in [
        (ec2.release_address, {"AllocationId": allocation_id}),
        (
            ec2.modify_address_attribute,
            {"AllocationId": allocation_id, "DomainName": "www.example.com"},
        ),
        (ec2.reset_address_attribute, {"AllocationId": allocation_id, "Attribute": "domain-name"}),
        (
            ec2.describe_addresses_attribute,
            {"AllocationIds": [allocation_id], "Attribute": "domain-name"},
        ),
        (
            ec2.enable_address_transfer,
            {"AllocationId": allocation_id, "TransferAccountId": OTHER_ACCOUNT},
        ),
        (ec2.describe_address_transfers, {}),
    ]:
        assert_error(call, "DryRunOperation", 412, DryRun=True, **kw)
    assert address_of(ec2, allocation_id)["PublicIp"] == eip["PublicIp"]
    assert ec2.describe_address_transfers()["AddressTransfers"] == []
    ec2.enable_address_transfer(AllocationId=allocation_id, TransferAccountId=OTHER_ACCOUNT)
    assert_error(
        ec2.disable_address_transfer,
        "DryRunOperation",
        412,
        AllocationId=allocation_id,
        DryRun=True,
    )
    assert_error(
        other.accept_address_transfer, "DryRunOperation", 412, Address=eip["PublicIp"], DryRun=True
    )


def test_reverse_dns_attribute(env, ec2, ec2_options):
    ec2_options(transition_delay=5)
    eip = allocate(ec2)
    allocation_id = eip["AllocationId"]
    [attribute] = ec2.describe_addresses_attribute(
        AllocationIds=[allocation_id], Attribute="domain-name"
    )["Addresses"]
    dashed = eip["PublicIp"].replace(".", "-")
    assert attribute == {
        "PublicIp": eip["PublicIp"],
        "AllocationId": allocation_id,
        "PtrRecord": f"ec2-{dashed}.eu-west-1.compute.amazonaws.com.",
    }
    modified = ec2.modify_address_attribute(
        AllocationId=allocation_id, DomainName="www.example.com"
    )["Address"]
    assert modified["PtrRecordUpdate"] == {"Value": "www.example.com", "Status": "PENDING"}
    env.clock.advance(5)
    [attribute] = ec2.describe_addresses_attribute(AllocationIds=[allocation_id])["Addresses"]
    assert attribute["PtrRecord"] == "www.example.com"
    assert "PtrRecordUpdate" not in attribute
    reset = ec2.reset_address_attribute(AllocationId=allocation_id, Attribute="domain-name")[
        "Address"
    ]
    assert reset["PtrRecordUpdate"]["Status"] == "PENDING"
    env.clock.advance(5)
    [attribute] = ec2.describe_addresses_attribute(AllocationIds=[allocation_id])["Addresses"]
    assert attribute["PtrRecord"] == f"ec2-{dashed}.eu-west-1.compute.amazonaws.com."
    assert_error(
        ec2.modify_address_attribute,
        "InvalidParameterValue",
        AllocationId=allocation_id,
        DomainName="no such",
    )
    assert_error(
        ec2.reset_address_attribute,
        "InvalidParameterValue",
        AllocationId=allocation_id,
        Attribute="x",
    )
    allocate(ec2)
    page = ec2.describe_addresses_attribute(Attribute="domain-name", MaxResults=1)
    assert len(page["Addresses"]) == 1 and page["NextToken"]


@pytest.fixture
def other(env):
    return env.client("ec2", aws_access_key_id=OTHER_ACCOUNT, aws_secret_access_key="testing")


def test_transfer_between_accounts(ec2, other):
    eip = allocate(ec2)
    allocation_id = eip["AllocationId"]
    transfer = ec2.enable_address_transfer(
        AllocationId=allocation_id, TransferAccountId=OTHER_ACCOUNT
    )["AddressTransfer"]
    assert transfer["PublicIp"] == eip["PublicIp"]
    assert transfer["AllocationId"] == allocation_id
    assert transfer["TransferAccountId"] == OTHER_ACCOUNT
    assert transfer["AddressTransferStatus"] == "pending"
    assert transfer["TransferOfferExpirationTimestamp"]
    assert (
        ec2.describe_address_transfers()["AddressTransfers"][0]["AddressTransferStatus"]
        == "pending"
    )
    # a pending transfer holds the address
    assert_error(ec2.release_address, "InvalidIPAddress.InUse", AllocationId=allocation_id)
    accepted = other.accept_address_transfer(
        Address=eip["PublicIp"],
        TagSpecifications=[{"ResourceType": "elastic-ip", "Tags": [{"Key": "from", "Value": "a"}]}],
    )["AddressTransfer"]
    assert accepted["AddressTransferStatus"] == "accepted"
    assert accepted["TransferOfferAcceptedTimestamp"]
    assert ec2.describe_addresses()["Addresses"] == []
    [moved] = other.describe_addresses()["Addresses"]
    assert moved["PublicIp"] == eip["PublicIp"]
    assert moved["AllocationId"] != allocation_id
    assert moved["Tags"] == [{"Key": "from", "Value": "a"}]
    assert (
        ec2.describe_address_transfers()["AddressTransfers"][0]["AddressTransferStatus"]
        == "accepted"
    )
    assert_error(other.accept_address_transfer, "InvalidAddress.NotFound", Address=eip["PublicIp"])


def test_disable_transfer(ec2, other):
    eip = allocate(ec2)
    allocation_id = eip["AllocationId"]
    assert_error(
        ec2.enable_address_transfer,
        "InvalidParameterValue",
        AllocationId=allocation_id,
        TransferAccountId="123456789012",
    )
    assert_error(ec2.disable_address_transfer, "InvalidParameterValue", AllocationId=allocation_id)
    ec2.enable_address_transfer(AllocationId=allocation_id, TransferAccountId=OTHER_ACCOUNT)
    disabled = ec2.disable_address_transfer(AllocationId=allocation_id)["AddressTransfer"]
    assert disabled["AddressTransferStatus"] == "disabled"
    assert_error(other.accept_address_transfer, "InvalidAddress.NotFound", Address=eip["PublicIp"])
    ec2.release_address(AllocationId=allocation_id)


def test_transfer_offer_expires(env, ec2, other):
    eip = allocate(ec2)
    ec2.enable_address_transfer(AllocationId=eip["AllocationId"], TransferAccountId=OTHER_ACCOUNT)
    env.clock.advance(7 * 24 * 3600 + 1)
    assert (
        ec2.describe_address_transfers()["AddressTransfers"][0]["AddressTransferStatus"]
        == "expired"
    )
    assert_error(other.accept_address_transfer, "InvalidAddress.NotFound", Address=eip["PublicIp"])


def test_associated_address_cannot_be_transferred(ec2):
    [launched] = launch(ec2)
    eip = allocate(ec2)
    ec2.associate_address(AllocationId=eip["AllocationId"], InstanceId=launched["InstanceId"])
    assert_error(
        ec2.enable_address_transfer,
        "InvalidIPAddress.InUse",
        AllocationId=eip["AllocationId"],
        TransferAccountId=OTHER_ACCOUNT,
    )


# -- BYOIP, public IPv4 pools, IPv6 pools, EC2-Classic moves

AUTH = {"Message": "1|aws|123456789012|198.51.100.0/24|20301231|SHA256|RSAPSS", "Signature": "sig"}


def test_a_new_account_has_no_pools_or_ranges(ec2):
    assert ec2.describe_byoip_cidrs(MaxResults=10)["ByoipCidrs"] == []
    assert ec2.describe_public_ipv4_pools()["PublicIpv4Pools"] == []
    assert ec2.describe_ipv6_pools()["Ipv6Pools"] == []
    assert ec2.describe_moving_addresses()["MovingAddressStatuses"] == []
    assert (
        ec2.describe_moving_addresses(
            Filters=[{"Name": "moving-status", "Values": ["movingToVpc"]}]
        )["MovingAddressStatuses"]
        == []
    )
    assert_error(ec2.describe_byoip_cidrs, "InvalidParameterValue", MaxResults=101)
    assert_error(ec2.describe_public_ipv4_pools, "InvalidParameterValue", MaxResults=11)
    assert_error(
        ec2.get_associated_ipv6_pool_cidrs,
        "InvalidIpv6PoolID.NotFound",
        PoolId="ipv6pool-ec2-12345678",
    )


def test_byoip_lifecycle(env, ec2, ec2_options):
    ec2_options(transition_delay=5)
    provisioned = ec2.provision_byoip_cidr(
        Cidr="8.8.4.0/24",
        CidrAuthorizationContext=AUTH,
        Description="ours",
        PoolTagSpecifications=[
            {"ResourceType": "ipv4pool-ec2", "Tags": [{"Key": "k", "Value": "v"}]}
        ],
    )["ByoipCidr"]
    assert provisioned["Cidr"] == "8.8.4.0/24"
    assert provisioned["State"] == "pending-provision"
    assert provisioned["Description"] == "ours"
    [pending_pool] = ec2.describe_public_ipv4_pools()["PublicIpv4Pools"]
    assert_error(
        ec2.allocate_address, "InvalidParameterValue", PublicIpv4Pool=pending_pool["PoolId"]
    )
    env.clock.advance(5)
    [listed] = ec2.describe_byoip_cidrs(MaxResults=5)["ByoipCidrs"]
    assert listed["State"] == "provisioned"
    [pool] = ec2.describe_public_ipv4_pools()["PublicIpv4Pools"]
    assert re.fullmatch(rf"ipv4pool-ec2-{ID17}", pool["PoolId"])
    assert pool["Description"] == "ours"
    assert pool["TotalAddressCount"] == 256
    assert pool["TotalAvailableAddressCount"] == 256
    assert pool["PoolAddressRanges"][0]["FirstAddress"] == "8.8.4.0"
    assert pool["Tags"] == [{"Key": "k", "Value": "v"}]
    # Elastic IPs from the range: the next free one, or one asked for
    first = ec2.allocate_address(PublicIpv4Pool=pool["PoolId"])
    assert first["PublicIp"] == "8.8.4.0"
    assert first["PublicIpv4Pool"] == pool["PoolId"]
    chosen = ec2.allocate_address(PublicIpv4Pool=pool["PoolId"], Address="8.8.4.77")
    assert chosen["PublicIp"] == "8.8.4.77"
    assert_error(
        ec2.allocate_address,
        "InvalidParameterValue",
        PublicIpv4Pool=pool["PoolId"],
        Address="8.8.4.77",
    )
    assert (
        ec2.describe_public_ipv4_pools(PoolIds=[pool["PoolId"]])["PublicIpv4Pools"][0][
            "TotalAvailableAddressCount"
        ]
        == 254
    )
    advertised = ec2.advertise_byoip_cidr(Cidr="8.8.4.0/24")["ByoipCidr"]
    assert advertised["State"] == "pending-advertising"
    env.clock.advance(5)
    assert ec2.describe_byoip_cidrs(MaxResults=5)["ByoipCidrs"][0]["State"] == "advertised"
    assert_error(ec2.deprovision_byoip_cidr, "IncorrectState", Cidr="8.8.4.0/24")
    assert ec2.withdraw_byoip_cidr(Cidr="8.8.4.0/24")["ByoipCidr"]["State"] == "pending-withdrawal"
    env.clock.advance(5)
    # addresses still allocated from the range hold it
    assert_error(ec2.deprovision_byoip_cidr, "IncorrectState", Cidr="8.8.4.0/24")
    ec2.release_address(AllocationId=first["AllocationId"])
    ec2.release_address(AllocationId=chosen["AllocationId"])
    assert (
        ec2.deprovision_byoip_cidr(Cidr="8.8.4.0/24")["ByoipCidr"]["State"] == "pending-deprovision"
    )
    env.clock.advance(5)
    assert ec2.describe_byoip_cidrs(MaxResults=5)["ByoipCidrs"][0]["State"] == "deprovisioned"
    assert ec2.describe_public_ipv4_pools()["PublicIpv4Pools"] == []


def test_byoip_errors(ec2):
    assert_error(ec2.provision_byoip_cidr, "MissingParameter", Cidr="8.8.4.0/24")
    assert_error(
        ec2.provision_byoip_cidr,
        "InvalidParameterValue",
        Cidr="8.8.4.0/25",
        CidrAuthorizationContext=AUTH,
    )
    assert_error(
        ec2.provision_byoip_cidr,
        "InvalidParameterValue",
        Cidr="10.0.0.0/24",
        CidrAuthorizationContext=AUTH,
    )
    assert_error(
        ec2.provision_byoip_cidr,
        "InvalidParameterValue",
        Cidr="nonsense",
        CidrAuthorizationContext=AUTH,
    )
    assert_error(ec2.advertise_byoip_cidr, "InvalidParameterValue", Cidr="8.8.4.0/24")
    ec2.provision_byoip_cidr(Cidr="8.8.4.0/24", CidrAuthorizationContext=AUTH)
    assert_error(
        ec2.provision_byoip_cidr,
        "InvalidParameterValue",
        Cidr="8.8.4.0/23",
        CidrAuthorizationContext=AUTH,
    )
    assert_error(ec2.withdraw_byoip_cidr, "IncorrectState", Cidr="8.8.4.0/24")
    assert_error(
        ec2.provision_byoip_cidr,
        "InvalidParameterValue",
        Cidr="9.9.9.0/24",
        CidrAuthorizationContext=AUTH,
        PubliclyAdvertisable=False,
    )


def test_ipv6_byoip_makes_an_ipv6_pool(ec2):
    entry = ec2.provision_byoip_cidr(Cidr="2600:1f00::/48", PubliclyAdvertisable=False)["ByoipCidr"]
    assert entry["Cidr"] == "2600:1f00::/48"
    assert ec2.describe_byoip_cidrs(MaxResults=5)["ByoipCidrs"][0]["State"] == (
        "provisioned-not-publicly-advertisable"
    )
    [pool] = ec2.describe_ipv6_pools()["Ipv6Pools"]
    assert re.fullmatch(rf"ipv6pool-ec2-{ID17}", pool["PoolId"])
    assert pool["PoolCidrBlocks"] == [{"Cidr": "2600:1f00::/48"}]
    assert ec2.get_associated_ipv6_pool_cidrs(PoolId=pool["PoolId"])["Ipv6CidrAssociations"] == []
    ec2.create_tags(Resources=[pool["PoolId"]], Tags=[{"Key": "a", "Value": "b"}])
    assert (
        ec2.describe_ipv6_pools(Filters=[{"Name": "tag:a", "Values": ["b"]}])["Ipv6Pools"][0][
            "PoolId"
        ]
        == (pool["PoolId"])
    )


def test_public_ipv4_pools(ec2):
    pool_id = ec2.create_public_ipv4_pool(
        TagSpecifications=[{"ResourceType": "ipv4pool-ec2", "Tags": [{"Key": "t", "Value": "1"}]}]
    )["PoolId"]
    [pool] = ec2.describe_public_ipv4_pools(PoolIds=[pool_id])["PublicIpv4Pools"]
    assert pool["TotalAddressCount"] == 0
    assert pool["NetworkBorderGroup"] == "eu-west-1"
    found = ec2.describe_public_ipv4_pools(Filters=[{"Name": "tag-key", "Values": ["t"]}])
    assert [p["PoolId"] for p in found["PublicIpv4Pools"]] == [pool_id]
    # CIDRs come from an IPAM pool
    assert_error(
        ec2.provision_public_ipv4_pool_cidr,
        "InvalidIpamPoolId.NotFound",
        IpamPoolId="ipam-pool-0123456789abcdef0",
        PoolId=pool_id,
        NetmaskLength=30,
    )
    assert_error(
        ec2.deprovision_public_ipv4_pool_cidr,
        "InvalidParameterValue",
        PoolId=pool_id,
        Cidr="8.8.8.0/30",
    )
    assert_error(ec2.create_public_ipv4_pool, "DryRunOperation", 412, DryRun=True)
    assert_error(ec2.delete_public_ipv4_pool, "DryRunOperation", 412, PoolId=pool_id, DryRun=True)
    assert ec2.delete_public_ipv4_pool(PoolId=pool_id)["ReturnValue"] is True
    assert_error(
        ec2.describe_public_ipv4_pools, "InvalidPublicIpv4PoolID.NotFound", PoolIds=[pool_id]
    )


def test_byoip_dry_run(ec2):
    assert_error(
        ec2.provision_byoip_cidr,
        "DryRunOperation",
        412,
        Cidr="8.8.4.0/24",
        CidrAuthorizationContext=AUTH,
        DryRun=True,
    )
    assert ec2.describe_byoip_cidrs(MaxResults=5)["ByoipCidrs"] == []
    ec2.provision_byoip_cidr(Cidr="8.8.4.0/24", CidrAuthorizationContext=AUTH)
    ec2.describe_byoip_cidrs(MaxResults=5)
    assert_error(ec2.advertise_byoip_cidr, "DryRunOperation", 412, Cidr="8.8.4.0/24", DryRun=True)
    assert_error(ec2.deprovision_byoip_cidr, "DryRunOperation", 412, Cidr="8.8.4.0/24", DryRun=True)
    assert ec2.describe_byoip_cidrs(MaxResults=5)["ByoipCidrs"][0]["State"] == "provisioned"
    ec2.advertise_byoip_cidr(Cidr="8.8.4.0/24")
    ec2.describe_byoip_cidrs(MaxResults=5)
    assert_error(ec2.withdraw_byoip_cidr, "DryRunOperation", 412, Cidr="8.8.4.0/24", DryRun=True)


def test_classic_moves(ec2):
    address = allocate(ec2)
    assert_error(ec2.move_address_to_vpc, "InvalidParameterValue", PublicIp=address["PublicIp"])
    assert_error(
        ec2.restore_address_to_classic, "UnsupportedOperation", PublicIp=address["PublicIp"]
    )
    assert_error(ec2.move_address_to_vpc, "InvalidAddress.NotFound", PublicIp="198.51.100.1")
    assert_error(
        ec2.describe_moving_addresses, "InvalidAddress.NotFound", PublicIps=["198.51.100.1"]
    )
    assert (
        ec2.describe_moving_addresses(PublicIps=[address["PublicIp"]])["MovingAddressStatuses"]
        == []
    )


def test_public_dns_hostname_type(ec2):
    [launched] = launch(ec2)
    eni_id = launched["NetworkInterfaces"][0]["NetworkInterfaceId"]
    assert_error(
        ec2.modify_public_ip_dns_name_options,
        "DryRunOperation",
        412,
        NetworkInterfaceId=eni_id,
        HostnameType="public-dual-stack-dns-name",
        DryRun=True,
    )
    result = ec2.modify_public_ip_dns_name_options(
        NetworkInterfaceId=eni_id, HostnameType="public-dual-stack-dns-name"
    )
    assert result["Successful"] is True
    assert_error(
        ec2.modify_public_ip_dns_name_options,
        "InvalidParameterValue",
        NetworkInterfaceId=eni_id,
        HostnameType="nope",
    )
    assert_error(
        ec2.modify_public_ip_dns_name_options,
        "InvalidNetworkInterfaceID.NotFound",
        NetworkInterfaceId="eni-12345678",
        HostnameType="public-ipv4-dns-name",
    )


@pytest.mark.xfail(
    strict=True,
    reason="IPAM is not implemented (CreateIpam answers NotImplemented), so no public IPv4 "
    "pool can be given a CIDR through the API",
)
def test_deprovision_public_ipv4_pool_cidr(env, ec2):
    pool_id = ec2.create_public_ipv4_pool()["PoolId"]
    # Amazon-owned space comes to the pool from a public IPAM pool
    ipam = ec2.create_ipam(OperatingRegions=[{"RegionName": "eu-west-1"}])["Ipam"]
    ipam_pool = ec2.create_ipam_pool(
        IpamScopeId=ipam["PublicDefaultScopeId"],
        AddressFamily="ipv4",
        Locale="eu-west-1",
        AwsService="ec2",
        PublicIpSource="amazon",
    )["IpamPool"]["IpamPoolId"]
    ec2.provision_ipam_pool_cidr(IpamPoolId=ipam_pool, NetmaskLength=29)
    provisioned = ec2.provision_public_ipv4_pool_cidr(
        IpamPoolId=ipam_pool, PoolId=pool_id, NetmaskLength=30
    )["PoolAddressRange"]
    cidr = f"{provisioned['FirstAddress']}/30"
    address = ec2.allocate_address(PublicIpv4Pool=pool_id)
    assert address["PublicIp"] == provisioned["FirstAddress"]
    assert_error(ec2.deprovision_public_ipv4_pool_cidr, "IncorrectState", PoolId=pool_id, Cidr=cidr)
    ec2.release_address(AllocationId=address["AllocationId"])
    assert_error(
        ec2.deprovision_public_ipv4_pool_cidr,
        "DryRunOperation",
        412,
        PoolId=pool_id,
        Cidr=cidr,
        DryRun=True,
    )
    result = ec2.deprovision_public_ipv4_pool_cidr(PoolId=pool_id, Cidr=cidr)
    assert result["DeprovisionedAddresses"] == [str(a) for a in ipaddress.IPv4Network(cidr)]
    assert (
        ec2.describe_public_ipv4_pools(PoolIds=[pool_id])["PublicIpv4Pools"][0]["TotalAddressCount"]
        == 0
    )


def test_a_byoip_cidr_is_not_deprovisioned_from_its_pool(ec2):
    pool_id = ec2.create_public_ipv4_pool()["PoolId"]
    byoip = ec2.provision_byoip_cidr(Cidr="8.8.4.0/24", CidrAuthorizationContext=AUTH)
    assert byoip["ByoipCidr"]["Cidr"] == "8.8.4.0/24"
    byoip_pool = next(
        p for p in ec2.describe_public_ipv4_pools()["PublicIpv4Pools"] if p["PoolId"] != pool_id
    )
    assert_error(
        ec2.deprovision_public_ipv4_pool_cidr,
        "InvalidParameterValue",
        PoolId=byoip_pool["PoolId"],
        Cidr="8.8.4.0/24",
    )
