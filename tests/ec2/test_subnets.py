"""Subnets: addressing, attributes, IPv6 blocks, CIDR reservations, default subnets."""

from __future__ import annotations

import ipaddress
import re

import pytest
from ec2_helpers import ID17, assert_error, launch

FAST = {"Delay": 0, "MaxAttempts": 5}


@pytest.fixture
def vpc_id(ec2):
    return ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]


@pytest.fixture
def ipv6_vpc(ec2):
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16", AmazonProvidedIpv6CidrBlock=True)["Vpc"]
    block = ipaddress.IPv6Network(vpc["Ipv6CidrBlockAssociationSet"][0]["Ipv6CidrBlock"])
    return vpc["VpcId"], list(block.subnets(new_prefix=64))[:4]


def subnet_of(ec2, subnet_id):
    [subnet] = ec2.describe_subnets(SubnetIds=[subnet_id])["Subnets"]
    return subnet


def make(ec2, vpc_id, cidr="10.0.0.0/24", **kw):
    return ec2.create_subnet(VpcId=vpc_id, CidrBlock=cidr, **kw)["Subnet"]


# -- create


def test_create_subnet(ec2, vpc_id):
    subnet = make(
        ec2,
        vpc_id,
        AvailabilityZone="eu-west-1b",
        TagSpecifications=[{"ResourceType": "subnet", "Tags": [{"Key": "Name", "Value": "a"}]}],
    )
    assert re.fullmatch(rf"subnet-{ID17}", subnet["SubnetId"])
    assert subnet["State"] == "pending"
    assert subnet["VpcId"] == vpc_id
    assert subnet["CidrBlock"] == "10.0.0.0/24"
    assert subnet["AvailableIpAddressCount"] == 251
    assert subnet["AvailabilityZone"] == "eu-west-1b"
    assert subnet["DefaultForAz"] is False
    assert subnet["MapPublicIpOnLaunch"] is False
    assert subnet["Tags"] == [{"Key": "Name", "Value": "a"}]
    assert subnet["SubnetArn"].endswith(f":subnet/{subnet['SubnetId']}")
    assert subnet_of(ec2, subnet["SubnetId"])["State"] == "available"


def test_zone_by_id_and_default_choice(ec2, vpc_id):
    zones = {
        z["ZoneId"]: z["ZoneName"] for z in ec2.describe_availability_zones()["AvailabilityZones"]
    }
    zone_id = sorted(zones)[0]
    subnet = make(ec2, vpc_id, AvailabilityZoneId=zone_id)
    assert subnet["AvailabilityZone"] == zones[zone_id]
    assert make(ec2, vpc_id, "10.0.1.0/24")["AvailabilityZoneId"] in zones
    assert_error(
        ec2.create_subnet,
        "InvalidParameterValue",
        VpcId=vpc_id,
        CidrBlock="10.0.2.0/24",
        AvailabilityZone="us-east-1a",
    )
    assert_error(
        ec2.create_subnet,
        "InvalidParameterValue",
        VpcId=vpc_id,
        CidrBlock="10.0.2.0/24",
        AvailabilityZoneId="nope-az9",
    )
    assert_error(
        ec2.create_subnet, "InvalidParameterCombination", VpcId=vpc_id, CidrBlock="10.0.2.0/24",
        AvailabilityZone=zones[zone_id], AvailabilityZoneId=zone_id,
    )  # fmt: skip


def test_subnet_ranges(ec2, vpc_id):
    make(ec2, vpc_id, "10.0.0.0/24")
    assert_error(ec2.create_subnet, "InvalidSubnet.Range", VpcId=vpc_id, CidrBlock="10.1.0.0/24")
    assert_error(ec2.create_subnet, "InvalidSubnet.Range", VpcId=vpc_id, CidrBlock="10.0.0.0/29")
    assert_error(ec2.create_subnet, "InvalidSubnet.Range", VpcId=vpc_id, CidrBlock="10.0.0.0/15")
    error = assert_error(
        ec2.create_subnet, "InvalidSubnet.Conflict", VpcId=vpc_id, CidrBlock="10.0.0.128/25"
    )
    assert error["Message"] == "The CIDR '10.0.0.128/25' conflicts with another subnet"
    assert_error(ec2.create_subnet, "InvalidSubnet.Conflict", VpcId=vpc_id, CidrBlock="10.0.0.0/16")
    assert_error(ec2.create_subnet, "InvalidParameterValue", VpcId=vpc_id, CidrBlock="10.0.0.0")
    assert_error(ec2.create_subnet, "MissingParameter", VpcId=vpc_id)
    assert_error(
        ec2.create_subnet,
        "InvalidVpcID.NotFound",
        VpcId="vpc-0123456789abcdef0",
        CidrBlock="10.0.0.0/24",
    )
    # the same block in another VPC is fine
    other = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    make(ec2, other, "10.0.0.0/24")


def test_create_subnet_dry_run(ec2, vpc_id):
    assert_error(
        ec2.create_subnet,
        "DryRunOperation",
        412,
        VpcId=vpc_id,
        CidrBlock="10.0.0.0/24",
        DryRun=True,
    )
    assert_error(
        ec2.create_subnet, "InvalidSubnet.Range", VpcId=vpc_id, CidrBlock="10.9.0.0/24", DryRun=True
    )
    assert not ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["Subnets"]


def test_subnet_in_secondary_block(ec2, vpc_id):
    ec2.associate_vpc_cidr_block(VpcId=vpc_id, CidrBlock="10.1.0.0/16")
    assert make(ec2, vpc_id, "10.1.0.0/20")["CidrBlock"] == "10.1.0.0/20"


def test_ipv6_subnet(ec2, ipv6_vpc):
    vpc_id, blocks = ipv6_vpc
    subnet = make(ec2, vpc_id, Ipv6CidrBlock=str(blocks[0]))
    [assoc] = subnet["Ipv6CidrBlockAssociationSet"]
    assert assoc["Ipv6CidrBlock"] == str(blocks[0])
    assert assoc["AssociationId"].startswith("subnet-cidr-assoc-")
    assert_error(
        ec2.create_subnet,
        "InvalidSubnet.Conflict",
        VpcId=vpc_id,
        CidrBlock="10.0.1.0/24",
        Ipv6CidrBlock=str(blocks[0]),
    )
    wide = str(
        next(ipaddress.IPv6Network(str(blocks[0])).supernet(new_prefix=60).subnets(new_prefix=60))
    )
    assert_error(
        ec2.create_subnet,
        "InvalidSubnet.Range",
        VpcId=vpc_id,
        CidrBlock="10.0.1.0/24",
        Ipv6CidrBlock=wide,
    )
    assert_error(
        ec2.create_subnet,
        "InvalidSubnet.Range",
        VpcId=vpc_id,
        CidrBlock="10.0.1.0/24",
        Ipv6CidrBlock="2001:db8::/64",
    )


def test_ipv6_native_subnet(ec2, ipv6_vpc):
    vpc_id, blocks = ipv6_vpc
    subnet = ec2.create_subnet(VpcId=vpc_id, Ipv6Native=True, Ipv6CidrBlock=str(blocks[1]))[
        "Subnet"
    ]
    assert subnet["Ipv6Native"] is True
    assert "CidrBlock" not in subnet
    assert subnet["PrivateDnsNameOptionsOnLaunch"]["HostnameType"] == "resource-name"
    assert subnet["AssignIpv6AddressOnCreation"] is True
    assert subnet["AvailableIpAddressCount"] == 0
    assert_error(ec2.create_subnet, "MissingParameter", VpcId=vpc_id, Ipv6Native=True)
    assert_error(
        ec2.create_subnet, "InvalidParameterCombination", VpcId=vpc_id, Ipv6Native=True,
        CidrBlock="10.0.5.0/24", Ipv6CidrBlock=str(blocks[2]),
    )  # fmt: skip
    for change in (
        {"PrivateDnsHostnameTypeOnLaunch": "ip-name"},
        {"AssignIpv6AddressOnCreation": {"Value": False}},
        {"MapPublicIpOnLaunch": {"Value": True}},
    ):
        assert_error(
            ec2.modify_subnet_attribute,
            "InvalidParameterValue",
            SubnetId=subnet["SubnetId"],
            **change,
        )


def test_outpost_subnet(ec2, vpc_id):
    arn = "arn:aws:outposts:eu-west-1:123456789012:outpost/op-0123456789abcdef0"
    subnet = make(ec2, vpc_id, OutpostArn=arn)
    assert subnet["OutpostArn"] == arn
    assert [
        s["SubnetId"]
        for s in ec2.describe_subnets(Filters=[{"Name": "outpost-arn", "Values": [arn]}])["Subnets"]
    ] == [subnet["SubnetId"]]
    assert_error(
        ec2.create_subnet,
        "InvalidParameterValue",
        VpcId=vpc_id,
        CidrBlock="10.0.1.0/24",
        OutpostArn="op-1",
    )
    sid = subnet["SubnetId"]
    pool = "ipv4pool-coip-0123456789abcdef0"
    ec2.modify_subnet_attribute(
        SubnetId=sid, MapCustomerOwnedIpOnLaunch={"Value": True}, CustomerOwnedIpv4Pool=pool
    )
    shown = subnet_of(ec2, sid)
    assert shown["MapCustomerOwnedIpOnLaunch"] is True and shown["CustomerOwnedIpv4Pool"] == pool
    assert_error(
        ec2.modify_subnet_attribute,
        "MissingParameter",
        SubnetId=sid,
        MapCustomerOwnedIpOnLaunch={"Value": True},
    )
    assert_error(
        ec2.modify_subnet_attribute, "InvalidParameterValue", SubnetId=sid, EnableLniAtDeviceIndex=0
    )
    ec2.modify_subnet_attribute(SubnetId=sid, EnableLniAtDeviceIndex=1)
    assert subnet_of(ec2, sid)["EnableLniAtDeviceIndex"] == 1
    found = ec2.describe_subnets(Filters=[{"Name": "enable-lni-at-device-index", "Values": ["1"]}])[
        "Subnets"
    ]
    assert [s["SubnetId"] for s in found] == [sid]
    found = ec2.describe_subnets(Filters=[{"Name": "customer-owned-ipv4-pool", "Values": [pool]}])[
        "Subnets"
    ]
    assert [s["SubnetId"] for s in found] == [sid]
    found = ec2.describe_subnets(
        Filters=[{"Name": "map-customer-owned-ip-on-launch", "Values": ["true"]}]
    )["Subnets"]
    assert [s["SubnetId"] for s in found] == [sid]
    ec2.modify_subnet_attribute(SubnetId=sid, DisableLniAtDeviceIndex={"Value": True})
    assert "EnableLniAtDeviceIndex" not in subnet_of(ec2, sid)
    plain = make(ec2, vpc_id, "10.0.1.0/24")["SubnetId"]
    assert_error(
        ec2.modify_subnet_attribute,
        "InvalidParameterValue",
        SubnetId=plain,
        EnableLniAtDeviceIndex=1,
    )


# -- attributes


def test_modify_subnet_attributes(ec2, ipv6_vpc):
    vpc_id, blocks = ipv6_vpc
    sid = make(ec2, vpc_id, Ipv6CidrBlock=str(blocks[0]))["SubnetId"]
    ec2.modify_subnet_attribute(SubnetId=sid, MapPublicIpOnLaunch={"Value": True})
    ec2.modify_subnet_attribute(SubnetId=sid, AssignIpv6AddressOnCreation={"Value": True})
    ec2.modify_subnet_attribute(SubnetId=sid, EnableDns64={"Value": True})
    ec2.modify_subnet_attribute(SubnetId=sid, PrivateDnsHostnameTypeOnLaunch="resource-name")
    ec2.modify_subnet_attribute(SubnetId=sid, EnableResourceNameDnsARecordOnLaunch={"Value": True})
    ec2.modify_subnet_attribute(
        SubnetId=sid, EnableResourceNameDnsAAAARecordOnLaunch={"Value": True}
    )
    subnet = subnet_of(ec2, sid)
    assert subnet["MapPublicIpOnLaunch"] is True
    assert subnet["AssignIpv6AddressOnCreation"] is True
    assert subnet["EnableDns64"] is True
    assert subnet["PrivateDnsNameOptionsOnLaunch"] == {
        "HostnameType": "resource-name",
        "EnableResourceNameDnsARecord": True,
        "EnableResourceNameDnsAAAARecord": True,
    }

    def ids(name, value):
        return [
            s["SubnetId"]
            for s in ec2.describe_subnets(
                Filters=[{"Name": name, "Values": [value]}, {"Name": "vpc-id", "Values": [vpc_id]}]
            )["Subnets"]
        ]

    assert ids("map-public-ip-on-launch", "true") == [sid]
    assert ids("enable-dns64", "true") == [sid]
    assert ids("private-dns-name-options-on-launch.hostname-type", "resource-name") == [sid]
    assert ids("private-dns-name-options-on-launch.enable-resource-name-dns-a-record", "true") == [
        sid
    ]
    assert ids(
        "private-dns-name-options-on-launch.enable-resource-name-dns-aaaa-record", "true"
    ) == [sid]
    assert_error(
        ec2.modify_subnet_attribute, "InvalidParameterCombination", SubnetId=sid,
        MapPublicIpOnLaunch={"Value": False}, EnableDns64={"Value": False},
    )  # fmt: skip
    assert_error(ec2.modify_subnet_attribute, "MissingParameter", SubnetId=sid)
    plain = make(ec2, vpc_id, "10.0.9.0/24")["SubnetId"]
    assert_error(
        ec2.modify_subnet_attribute, "InvalidParameterValue", SubnetId=plain,
        AssignIpv6AddressOnCreation={"Value": True}, message="IPv6 CIDR block",
    )  # fmt: skip
    assert_error(
        ec2.modify_subnet_attribute,
        "InvalidSubnetID.NotFound",
        SubnetId="subnet-0123456789abcdef0",
        EnableDns64={"Value": False},
    )


# -- describe


def test_describe_filters(ec2, ipv6_vpc):
    vpc_id, blocks = ipv6_vpc
    a = make(
        ec2, vpc_id, "10.0.0.0/24", AvailabilityZone="eu-west-1a", Ipv6CidrBlock=str(blocks[0])
    )
    b = make(ec2, vpc_id, "10.0.1.0/28", AvailabilityZone="eu-west-1b")
    mine = {"Name": "vpc-id", "Values": [vpc_id]}

    def ids(name, *values):
        found = ec2.describe_subnets(Filters=[{"Name": name, "Values": list(values)}, mine])[
            "Subnets"
        ]
        return {s["SubnetId"] for s in found}

    both = {a["SubnetId"], b["SubnetId"]}
    assert ids("availability-zone", "eu-west-1a") == {a["SubnetId"]}
    assert ids("availability-zone-id", b["AvailabilityZoneId"]) == {b["SubnetId"]}
    assert ids("available-ip-address-count", "11") == {b["SubnetId"]}
    assert ids("cidr-block", "10.0.1.0/28") == {b["SubnetId"]}
    assert ids("default-for-az", "false") == both
    assert ids("ipv6-cidr-block-association.ipv6-cidr-block", str(blocks[0])) == {a["SubnetId"]}
    assoc = a["Ipv6CidrBlockAssociationSet"][0]["AssociationId"]
    assert ids("ipv6-cidr-block-association.association-id", assoc) == {a["SubnetId"]}
    assert ids("ipv6-cidr-block-association.state", "associated") == {a["SubnetId"]}
    assert ids("ipv6-native", "false") == both
    assert ids("map-customer-owned-ip-on-launch", "false") == both
    assert ids("owner-id", "123456789012") == both
    assert ids("state", "available") == both
    assert ids("subnet-arn", a["SubnetArn"]) == {a["SubnetId"]}
    assert ids("subnet-id", b["SubnetId"]) == {b["SubnetId"]}
    assert ids("enable-dns64", "false") == both
    assert ids("private-dns-name-options-on-launch.hostname-type", "ip-name") == both


def test_describe_paging_and_ids(ec2, vpc_id):
    for i in range(6):
        make(ec2, vpc_id, f"10.0.{i}.0/24")
    mine = [{"Name": "vpc-id", "Values": [vpc_id]}]
    first = ec2.describe_subnets(Filters=mine, MaxResults=5)
    second = ec2.describe_subnets(Filters=mine, MaxResults=5, NextToken=first["NextToken"])
    assert len(first["Subnets"]) == 5 and len(second["Subnets"]) == 1
    assert_error(
        ec2.describe_subnets, "InvalidSubnetID.NotFound", SubnetIds=["subnet-0123456789abcdef0"]
    )
    assert_error(ec2.describe_subnets, "InvalidSubnetID.Malformed", SubnetIds=["subnet-1"])


def test_waiter(ec2, vpc_id):
    sid = make(ec2, vpc_id)["SubnetId"]
    ec2.get_waiter("subnet_available").wait(SubnetIds=[sid], WaiterConfig=FAST)


# -- addresses


def test_addresses_are_counted(ec2, vpc_id):
    sid = make(ec2, vpc_id, "10.0.0.0/28")["SubnetId"]
    assert subnet_of(ec2, sid)["AvailableIpAddressCount"] == 11
    instances = launch(ec2, 3, SubnetId=sid)
    addresses = {i["PrivateIpAddress"] for i in instances}
    assert addresses == {"10.0.0.4", "10.0.0.5", "10.0.0.6"}
    assert subnet_of(ec2, sid)["AvailableIpAddressCount"] == 8
    launch(ec2, 8, SubnetId=sid)
    assert subnet_of(ec2, sid)["AvailableIpAddressCount"] == 0
    assert_error(
        ec2.run_instances,
        "InsufficientFreeAddressesInSubnet",
        ImageId="ami-0abcdef1234567890",
        MinCount=1,
        MaxCount=1,
        SubnetId=sid,
    )
    error = assert_error(ec2.delete_subnet, "DependencyViolation", SubnetId=sid)
    assert error["Message"] == f"The subnet '{sid}' has dependencies and cannot be deleted."
    ec2.terminate_instances(InstanceIds=[instances[0]["InstanceId"]])
    assert subnet_of(ec2, sid)["AvailableIpAddressCount"] == 1


# -- delete


def test_delete_subnet(ec2, vpc_id):
    sid = make(ec2, vpc_id)["SubnetId"]
    assert_error(ec2.delete_subnet, "DryRunOperation", 412, SubnetId=sid, DryRun=True)
    ec2.delete_subnet(SubnetId=sid)
    assert_error(ec2.describe_subnets, "InvalidSubnetID.NotFound", SubnetIds=[sid])
    acls = ec2.describe_network_acls(Filters=[{"Name": "association.subnet-id", "Values": [sid]}])
    assert acls["NetworkAcls"] == []
    assert_error(ec2.delete_subnet, "InvalidSubnetID.NotFound", SubnetId=sid)


# -- IPv6 blocks on a subnet


def test_subnet_ipv6_block(ec2, ipv6_vpc):
    vpc_id, blocks = ipv6_vpc
    sid = make(ec2, vpc_id)["SubnetId"]
    result = ec2.associate_subnet_cidr_block(SubnetId=sid, Ipv6CidrBlock=str(blocks[2]))
    assoc = result["Ipv6CidrBlockAssociation"]
    assert result["SubnetId"] == sid
    assert assoc["Ipv6CidrBlockState"]["State"] == "associating"
    [shown] = subnet_of(ec2, sid)["Ipv6CidrBlockAssociationSet"]
    assert shown["Ipv6CidrBlockState"]["State"] == "associated"
    assert_error(
        ec2.associate_subnet_cidr_block,
        "CidrLimitExceeded",
        SubnetId=sid,
        Ipv6CidrBlock=str(blocks[3]),
    )
    other = make(ec2, vpc_id, "10.0.1.0/24")["SubnetId"]
    assert_error(
        ec2.associate_subnet_cidr_block,
        "InvalidSubnet.Conflict",
        SubnetId=other,
        Ipv6CidrBlock=str(blocks[2]),
    )
    gone = ec2.disassociate_subnet_cidr_block(AssociationId=assoc["AssociationId"])
    assert gone["Ipv6CidrBlockAssociation"]["Ipv6CidrBlockState"]["State"] == "disassociating"
    [shown] = subnet_of(ec2, sid)["Ipv6CidrBlockAssociationSet"]
    assert shown["Ipv6CidrBlockState"]["State"] == "disassociated"
    assert_error(
        ec2.disassociate_subnet_cidr_block,
        "InvalidSubnetCidrBlockAssociationID.NotFound",
        AssociationId=assoc["AssociationId"],
    )
    # the block is free again
    ec2.associate_subnet_cidr_block(SubnetId=other, Ipv6CidrBlock=str(blocks[2]))


# -- CIDR reservations


def test_cidr_reservations(ec2, ipv6_vpc):
    vpc_id, blocks = ipv6_vpc
    sid = make(ec2, vpc_id, "10.0.0.0/28", Ipv6CidrBlock=str(blocks[0]))["SubnetId"]
    tags = [{"ResourceType": "subnet-cidr-reservation", "Tags": [{"Key": "k", "Value": "v"}]}]
    explicit = ec2.create_subnet_cidr_reservation(
        SubnetId=sid,
        Cidr="10.0.0.4/30",
        ReservationType="explicit",
        Description="mine",
        TagSpecifications=tags,
    )["SubnetCidrReservation"]
    assert explicit["SubnetCidrReservationId"].startswith("scr-")
    assert explicit["Description"] == "mine" and explicit["Tags"] == [{"Key": "k", "Value": "v"}]
    v6_cidr = str(next(blocks[0].subnets(new_prefix=80)))
    prefix = ec2.create_subnet_cidr_reservation(
        SubnetId=sid, Cidr=v6_cidr, ReservationType="prefix"
    )["SubnetCidrReservation"]
    got = ec2.get_subnet_cidr_reservations(SubnetId=sid)
    assert [r["SubnetCidrReservationId"] for r in got["SubnetIpv4CidrReservations"]] == [
        explicit["SubnetCidrReservationId"]
    ]
    assert [r["SubnetCidrReservationId"] for r in got["SubnetIpv6CidrReservations"]] == [
        prefix["SubnetCidrReservationId"]
    ]
    got = ec2.get_subnet_cidr_reservations(
        SubnetId=sid, Filters=[{"Name": "reservationType", "Values": ["prefix"]}]
    )
    assert not got["SubnetIpv4CidrReservations"] and len(got["SubnetIpv6CidrReservations"]) == 1
    got = ec2.get_subnet_cidr_reservations(
        SubnetId=sid, Filters=[{"Name": "tag:k", "Values": ["v"]}]
    )
    assert len(got["SubnetIpv4CidrReservations"]) == 1 and not got["SubnetIpv6CidrReservations"]
    got = ec2.get_subnet_cidr_reservations(
        SubnetId=sid, Filters=[{"Name": "subnet-id", "Values": [sid]}]
    )
    assert len(got["SubnetIpv4CidrReservations"]) == 1
    # automatic assignment skips explicitly reserved addresses
    [instance] = launch(ec2, SubnetId=sid)
    assert instance["PrivateIpAddress"] == "10.0.0.8"
    assert_error(
        ec2.create_subnet_cidr_reservation,
        "InvalidParameterValue",
        SubnetId=sid,
        Cidr="10.0.0.4/31",
        ReservationType="explicit",
    )
    assert_error(
        ec2.create_subnet_cidr_reservation,
        "InvalidParameterValue",
        SubnetId=sid,
        Cidr="10.9.0.0/30",
        ReservationType="explicit",
    )
    assert_error(
        ec2.create_subnet_cidr_reservation,
        "DryRunOperation",
        412,
        SubnetId=sid,
        Cidr="10.0.0.12/30",
        ReservationType="explicit",
        DryRun=True,
    )
    deleted = ec2.delete_subnet_cidr_reservation(
        SubnetCidrReservationId=explicit["SubnetCidrReservationId"]
    )
    assert deleted["DeletedSubnetCidrReservation"]["Cidr"] == "10.0.0.4/30"
    assert not ec2.get_subnet_cidr_reservations(SubnetId=sid)["SubnetIpv4CidrReservations"]
    assert_error(
        ec2.delete_subnet_cidr_reservation,
        "InvalidSubnetCidrReservationID.NotFound",
        SubnetCidrReservationId=explicit["SubnetCidrReservationId"],
    )


# -- default subnets


def test_create_default_subnet(ec2):
    default_vpc = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][
        0
    ]["VpcId"]
    zone = "eu-west-1b"
    existing = ec2.describe_subnets(
        Filters=[
            {"Name": "availability-zone", "Values": [zone]},
            {"Name": "default-for-az", "Values": ["true"]},
        ]
    )["Subnets"][0]
    assert_error(
        ec2.create_default_subnet,
        "DefaultSubnetAlreadyExistsInAvailabilityZone",
        AvailabilityZone=zone,
    )
    ec2.delete_subnet(SubnetId=existing["SubnetId"])
    assert_error(
        ec2.create_default_subnet, "DryRunOperation", 412, AvailabilityZone=zone, DryRun=True
    )
    subnet = ec2.create_default_subnet(AvailabilityZone=zone)["Subnet"]
    assert subnet["VpcId"] == default_vpc
    assert subnet["DefaultForAz"] is True and subnet["MapPublicIpOnLaunch"] is True
    assert subnet["CidrBlock"] == existing["CidrBlock"]  # the first free /20
    assert subnet["AvailableIpAddressCount"] == 4091
    assert_error(ec2.create_default_subnet, "InvalidParameterValue", AvailabilityZone="mars-1a")
    assert_error(ec2.create_default_subnet, "MissingParameter")
