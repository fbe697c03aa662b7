"""VPCs: create, delete, describe, attributes, CIDR blocks, tenancy, the default VPC."""

from __future__ import annotations

import ipaddress
import re

import pytest
from ec2_helpers import ID17, assert_error, delete_default_vpc

FAST = {"Delay": 0, "MaxAttempts": 5}


def make_vpc(ec2, cidr="10.0.0.0/16", **kw):
    return ec2.create_vpc(CidrBlock=cidr, **kw)["Vpc"]


def describe(ec2, vpc_id):
    [vpc] = ec2.describe_vpcs(VpcIds=[vpc_id])["Vpcs"]
    return vpc


# -- create / describe


def test_create_vpc(ec2):
    vpc = make_vpc(
        ec2, TagSpecifications=[{"ResourceType": "vpc", "Tags": [{"Key": "k", "Value": "v"}]}]
    )
    assert re.fullmatch(rf"vpc-{ID17}", vpc["VpcId"])
    assert vpc["State"] == "pending"
    assert vpc["CidrBlock"] == "10.0.0.0/16"
    assert vpc["IsDefault"] is False
    assert vpc["InstanceTenancy"] == "default"
    assert vpc["Tags"] == [{"Key": "k", "Value": "v"}]
    [assoc] = vpc["CidrBlockAssociationSet"]
    assert assoc["AssociationId"].startswith("vpc-cidr-assoc-")
    assert assoc["CidrBlockState"]["State"] == "associated"
    shown = describe(ec2, vpc["VpcId"])
    assert shown["State"] == "available"
    # the region's default DHCP options, like the default VPC's
    default = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]
    assert shown["DhcpOptionsId"] == default["DhcpOptionsId"]


def test_create_vpc_normalises_host_bits(ec2):
    assert make_vpc(ec2, "10.1.2.3/16")["CidrBlock"] == "10.1.0.0/16"


@pytest.mark.parametrize("cidr", ["10.0.0.0/15", "10.0.0.0/29", "127.0.0.0/16", "224.0.0.0/16"])
def test_create_vpc_range(ec2, cidr):
    assert_error(ec2.create_vpc, "InvalidVpc.Range", CidrBlock=cidr)


@pytest.mark.parametrize("cidr", ["10.0.0.0", "banana/16", "10.0.0.0/33"])
def test_create_vpc_bad_cidr(ec2, cidr):
    assert_error(ec2.create_vpc, "InvalidParameterValue", CidrBlock=cidr)


def test_create_vpc_needs_a_cidr(ec2):
    assert_error(
        ec2.create_vpc, "MissingParameter", message="Either 'cidrBlock' or 'ipv4IpamPoolId'"
    )


def test_create_vpc_tenancy(ec2):
    vpc = make_vpc(ec2, InstanceTenancy="dedicated")
    assert vpc["InstanceTenancy"] == "dedicated"
    assert_error(
        ec2.create_vpc, "InvalidParameterValue", CidrBlock="10.0.0.0/16", InstanceTenancy="host"
    )
    assert ec2.modify_vpc_tenancy(VpcId=vpc["VpcId"], InstanceTenancy="default")["ReturnValue"]
    assert describe(ec2, vpc["VpcId"])["InstanceTenancy"] == "default"
    assert_error(
        ec2.modify_vpc_tenancy,
        "DryRunOperation",
        412,
        VpcId=vpc["VpcId"],
        InstanceTenancy="default",
        DryRun=True,
    )


def test_create_vpc_refuses_other_tag_types(ec2):
    assert_error(
        ec2.create_vpc,
        "InvalidParameterValue",
        CidrBlock="10.0.0.0/16",
        TagSpecifications=[{"ResourceType": "subnet", "Tags": [{"Key": "k", "Value": "v"}]}],
    )


def test_create_vpc_dry_run(ec2):
    before = len(ec2.describe_vpcs()["Vpcs"])
    assert_error(ec2.create_vpc, "DryRunOperation", 412, CidrBlock="10.0.0.0/16", DryRun=True)
    assert_error(ec2.create_vpc, "InvalidVpc.Range", CidrBlock="10.0.0.0/8", DryRun=True)
    assert len(ec2.describe_vpcs()["Vpcs"]) == before


def test_create_vpc_builds_its_defaults(ec2):
    vpc_id = make_vpc(ec2)["VpcId"]
    groups = ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])
    assert [g["GroupName"] for g in groups["SecurityGroups"]] == ["default"]
    acls = ec2.describe_network_acls(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])[
        "NetworkAcls"
    ]
    assert [a["IsDefault"] for a in acls] == [True]


def test_amazon_provided_ipv6(ec2):
    vpc = make_vpc(ec2, AmazonProvidedIpv6CidrBlock=True)
    [block] = vpc["Ipv6CidrBlockAssociationSet"]
    assert block["Ipv6CidrBlockState"]["State"] == "associating"
    network = ipaddress.IPv6Network(block["Ipv6CidrBlock"])
    assert network.prefixlen == 56
    assert block["NetworkBorderGroup"] == "eu-west-1"
    assert block["Ipv6Pool"] == "Amazon"
    [shown] = describe(ec2, vpc["VpcId"])["Ipv6CidrBlockAssociationSet"]
    assert shown["Ipv6CidrBlockState"]["State"] == "associated"
    found = ec2.describe_vpcs(
        Filters=[
            {
                "Name": "ipv6-cidr-block-association.ipv6-cidr-block",
                "Values": [block["Ipv6CidrBlock"]],
            }
        ]
    )["Vpcs"]
    assert [v["VpcId"] for v in found] == [vpc["VpcId"]]
    # the default ACL opens to IPv6 as well
    [acl] = ec2.describe_network_acls(Filters=[{"Name": "vpc-id", "Values": [vpc["VpcId"]]}])[
        "NetworkAcls"
    ]
    assert {(e["RuleNumber"], e["Egress"]) for e in acl["Entries"] if "Ipv6CidrBlock" in e} == {
        (101, False),
        (101, True),
        (32768, False),
        (32768, True),
    }


def test_border_group(ec2):
    vpc = make_vpc(
        ec2, AmazonProvidedIpv6CidrBlock=True, Ipv6CidrBlockNetworkBorderGroup="eu-west-1"
    )
    assert vpc["Ipv6CidrBlockAssociationSet"][0]["NetworkBorderGroup"] == "eu-west-1"
    assert_error(
        ec2.create_vpc, "InvalidParameterValue", CidrBlock="10.0.0.0/16",
        AmazonProvidedIpv6CidrBlock=True, Ipv6CidrBlockNetworkBorderGroup="us-east-1",
    )  # fmt: skip
    assert_error(
        ec2.create_vpc, "InvalidParameterCombination", CidrBlock="10.0.0.0/16",
        Ipv6CidrBlockNetworkBorderGroup="eu-west-1",
    )  # fmt: skip


# -- describe: filters and paging


def test_describe_filters(ec2):
    a = make_vpc(
        ec2,
        "10.0.0.0/16",
        TagSpecifications=[{"ResourceType": "vpc", "Tags": [{"Key": "team", "Value": "a"}]}],
    )
    b = make_vpc(ec2, "192.168.0.0/20", AmazonProvidedIpv6CidrBlock=True)
    ec2.associate_vpc_cidr_block(VpcId=a["VpcId"], CidrBlock="10.1.0.0/16")

    def ids(*filters):
        return {v["VpcId"] for v in ec2.describe_vpcs(Filters=list(filters))["Vpcs"]}

    assoc_a = a["CidrBlockAssociationSet"][0]["AssociationId"]
    ipv6_b = b["Ipv6CidrBlockAssociationSet"][0]
    assert ids({"Name": "cidr", "Values": ["10.0.0.0/16"]}) == {a["VpcId"]}
    assert ids({"Name": "cidr-block-association.cidr-block", "Values": ["10.1.0.0/16"]}) == {
        a["VpcId"]
    }
    assert ids({"Name": "cidr-block-association.association-id", "Values": [assoc_a]}) == {
        a["VpcId"]
    }
    assert a["VpcId"] in ids({"Name": "cidr-block-association.state", "Values": ["associated"]})
    assert ids(
        {"Name": "ipv6-cidr-block-association.association-id", "Values": [ipv6_b["AssociationId"]]}
    ) == {b["VpcId"]}
    assert ids({"Name": "ipv6-cidr-block-association.ipv6-pool", "Values": ["Amazon"]}) == {
        b["VpcId"]
    }
    assert ids({"Name": "ipv6-cidr-block-association.state", "Values": ["associated"]}) == {
        b["VpcId"]
    }
    assert b["VpcId"] in ids(
        {"Name": "dhcp-options-id", "Values": [describe(ec2, b["VpcId"])["DhcpOptionsId"]]}
    )
    assert ids({"Name": "is-default", "Values": ["false"]}) == {a["VpcId"], b["VpcId"]}
    assert len(ids({"Name": "owner-id", "Values": ["123456789012"]})) == 3
    assert len(ids({"Name": "state", "Values": ["available"]})) == 3
    assert ids({"Name": "vpc-id", "Values": [b["VpcId"]]}) == {b["VpcId"]}
    assert ids({"Name": "tag:team", "Values": ["a"]}) == {a["VpcId"]}
    assert ids({"Name": "tag-key", "Values": ["team"]}) == {a["VpcId"]}
    assert_error(
        ec2.describe_vpcs, "InvalidParameterValue", Filters=[{"Name": "nope", "Values": ["x"]}]
    )


def test_describe_paging(ec2, ec2_options):
    ec2_options(vpc_limit=10)
    for i in range(6):
        make_vpc(ec2, f"10.{i}.0.0/16")
    first = ec2.describe_vpcs(MaxResults=5)
    assert len(first["Vpcs"]) == 5
    rest = ec2.describe_vpcs(MaxResults=5, NextToken=first["NextToken"])
    assert len(rest["Vpcs"]) == 2 and "NextToken" not in rest
    assert_error(ec2.describe_vpcs, "InvalidParameterValue", MaxResults=1001)


def test_describe_unknown_ids(ec2):
    assert_error(ec2.describe_vpcs, "InvalidVpcID.NotFound", VpcIds=["vpc-0123456789abcdef0"])
    assert_error(ec2.describe_vpcs, "InvalidVpcID.Malformed", VpcIds=["vpc-xyz"])


def test_describe_dry_run(ec2):
    assert_error(ec2.describe_vpcs, "DryRunOperation", 412, DryRun=True)


def test_waiters(ec2):
    vpc_id = make_vpc(ec2)["VpcId"]
    ec2.get_waiter("vpc_exists").wait(VpcIds=[vpc_id], WaiterConfig=FAST)
    ec2.get_waiter("vpc_available").wait(VpcIds=[vpc_id], WaiterConfig=FAST)


# -- delete


def test_delete_vpc(ec2):
    vpc_id = make_vpc(ec2)["VpcId"]
    assert_error(ec2.delete_vpc, "DryRunOperation", 412, VpcId=vpc_id, DryRun=True)
    ec2.delete_vpc(VpcId=vpc_id)
    assert_error(ec2.describe_vpcs, "InvalidVpcID.NotFound", VpcIds=[vpc_id])
    # its built-ins went with it
    assert not ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])[
        "SecurityGroups"
    ]
    assert not ec2.describe_network_acls(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])[
        "NetworkAcls"
    ]
    assert_error(ec2.delete_vpc, "InvalidVpcID.NotFound", VpcId=vpc_id)
    assert_error(ec2.delete_vpc, "InvalidVpcID.Malformed", VpcId="vpc-1")


def test_delete_vpc_with_subnet(ec2):
    vpc_id = make_vpc(ec2)["VpcId"]
    subnet_id = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.0.0.0/24")["Subnet"]["SubnetId"]
    error = assert_error(ec2.delete_vpc, "DependencyViolation", VpcId=vpc_id)
    assert error["Message"] == f"The vpc '{vpc_id}' has dependencies and cannot be deleted."
    ec2.delete_subnet(SubnetId=subnet_id)
    ec2.delete_vpc(VpcId=vpc_id)


def test_delete_vpc_with_custom_acl(ec2):
    vpc_id = make_vpc(ec2)["VpcId"]
    acl_id = ec2.create_network_acl(VpcId=vpc_id)["NetworkAcl"]["NetworkAclId"]
    assert_error(ec2.delete_vpc, "DependencyViolation", VpcId=vpc_id)
    ec2.delete_network_acl(NetworkAclId=acl_id)
    ec2.delete_vpc(VpcId=vpc_id)


# -- attributes


def test_vpc_attributes(ec2):
    vpc_id = make_vpc(ec2)["VpcId"]

    def attr(name, member):
        return ec2.describe_vpc_attribute(VpcId=vpc_id, Attribute=name)[member]["Value"]

    assert attr("enableDnsSupport", "EnableDnsSupport") is True
    assert attr("enableDnsHostnames", "EnableDnsHostnames") is False
    assert attr("enableNetworkAddressUsageMetrics", "EnableNetworkAddressUsageMetrics") is False
    ec2.modify_vpc_attribute(VpcId=vpc_id, EnableDnsHostnames={"Value": True})
    ec2.modify_vpc_attribute(VpcId=vpc_id, EnableNetworkAddressUsageMetrics={"Value": True})
    assert attr("enableDnsHostnames", "EnableDnsHostnames") is True
    assert attr("enableNetworkAddressUsageMetrics", "EnableNetworkAddressUsageMetrics") is True
    ec2.modify_vpc_attribute(VpcId=vpc_id, EnableDnsHostnames={"Value": False})
    ec2.modify_vpc_attribute(VpcId=vpc_id, EnableDnsSupport={"Value": False})
    assert attr("enableDnsSupport", "EnableDnsSupport") is False
    assert_error(
        ec2.modify_vpc_attribute, "InvalidParameterCombination", VpcId=vpc_id,
        EnableDnsSupport={"Value": True}, EnableDnsHostnames={"Value": True},
    )  # fmt: skip
    assert_error(ec2.modify_vpc_attribute, "MissingParameter", VpcId=vpc_id)
    assert_error(
        ec2.describe_vpc_attribute,
        "DryRunOperation",
        412,
        VpcId=vpc_id,
        Attribute="enableDnsSupport",
        DryRun=True,
    )
    assert_error(
        ec2.describe_vpc_attribute,
        "InvalidVpcID.NotFound",
        VpcId="vpc-0123456789abcdef0",
        Attribute="enableDnsSupport",
    )


def test_default_vpc_has_dns_hostnames(ec2):
    vpc_id = ec2.describe_vpcs()["Vpcs"][0]["VpcId"]
    assert ec2.describe_vpc_attribute(VpcId=vpc_id, Attribute="enableDnsHostnames")[
        "EnableDnsHostnames"
    ]["Value"]


# -- CIDR blocks


def test_secondary_ipv4_blocks(ec2):
    vpc_id = make_vpc(ec2)["VpcId"]
    result = ec2.associate_vpc_cidr_block(VpcId=vpc_id, CidrBlock="10.1.0.0/16")
    assert result["VpcId"] == vpc_id
    assoc = result["CidrBlockAssociation"]
    assert assoc["CidrBlock"] == "10.1.0.0/16"
    assert assoc["CidrBlockState"]["State"] == "associating"
    blocks = describe(ec2, vpc_id)["CidrBlockAssociationSet"]
    assert [(b["CidrBlock"], b["CidrBlockState"]["State"]) for b in blocks] == [
        ("10.0.0.0/16", "associated"),
        ("10.1.0.0/16", "associated"),
    ]
    # subnets may use the new block
    ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.1.5.0/24")
    for i in range(2, 5):
        ec2.associate_vpc_cidr_block(VpcId=vpc_id, CidrBlock=f"10.{i}.0.0/16")
    assert_error(
        ec2.associate_vpc_cidr_block, "CidrLimitExceeded", VpcId=vpc_id, CidrBlock="10.9.0.0/16"
    )


def test_secondary_block_rules(ec2):
    vpc_id = make_vpc(ec2)["VpcId"]
    assert_error(
        ec2.associate_vpc_cidr_block, "InvalidVpc.Range", VpcId=vpc_id, CidrBlock="10.0.128.0/17"
    )
    assert_error(
        ec2.associate_vpc_cidr_block,
        "InvalidVpc.Range",
        VpcId=vpc_id,
        CidrBlock="192.168.0.0/16",
        message="restricted",
    )
    assert_error(
        ec2.associate_vpc_cidr_block, "InvalidVpc.Range", VpcId=vpc_id, CidrBlock="172.16.0.0/16"
    )
    assert_error(
        ec2.associate_vpc_cidr_block, "InvalidVpc.Range", VpcId=vpc_id, CidrBlock="198.19.0.0/16"
    )
    assert_error(
        ec2.associate_vpc_cidr_block, "InvalidVpc.Range", VpcId=vpc_id, CidrBlock="10.5.0.0/29"
    )
    assert_error(ec2.associate_vpc_cidr_block, "MissingParameter", VpcId=vpc_id)
    assert_error(
        ec2.associate_vpc_cidr_block, "InvalidParameterCombination", VpcId=vpc_id,
        CidrBlock="10.5.0.0/16", AmazonProvidedIpv6CidrBlock=True,
    )  # fmt: skip
    # the shared address space and public ranges are allowed with a private primary
    ec2.associate_vpc_cidr_block(VpcId=vpc_id, CidrBlock="100.64.0.0/16")
    ec2.associate_vpc_cidr_block(VpcId=vpc_id, CidrBlock="52.0.0.0/16")


def test_disassociate_ipv4_block(ec2):
    vpc_id = make_vpc(ec2)["VpcId"]
    primary = describe(ec2, vpc_id)["CidrBlockAssociationSet"][0]["AssociationId"]
    assoc = ec2.associate_vpc_cidr_block(VpcId=vpc_id, CidrBlock="10.1.0.0/16")[
        "CidrBlockAssociation"
    ]
    subnet_id = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.1.0.0/24")["Subnet"]["SubnetId"]
    assert_error(
        ec2.disassociate_vpc_cidr_block,
        "InvalidCidrBlock.InUse",
        AssociationId=assoc["AssociationId"],
    )
    ec2.delete_subnet(SubnetId=subnet_id)
    assert_error(ec2.disassociate_vpc_cidr_block, "OperationNotPermitted", AssociationId=primary)
    result = ec2.disassociate_vpc_cidr_block(AssociationId=assoc["AssociationId"])
    assert result["CidrBlockAssociation"]["CidrBlockState"]["State"] == "disassociating"
    assert [b["CidrBlock"] for b in describe(ec2, vpc_id)["CidrBlockAssociationSet"]] == [
        "10.0.0.0/16"
    ]
    assert_error(
        ec2.disassociate_vpc_cidr_block, "InvalidVpcCidrBlockAssociationID.NotFound",
        AssociationId=assoc["AssociationId"],
    )  # fmt: skip
    assert_error(
        ec2.disassociate_vpc_cidr_block,
        "InvalidVpcCidrBlockAssociationID.Malformed",
        AssociationId="nope",
    )


def test_ipv6_block_associate_and_disassociate(ec2):
    vpc_id = make_vpc(ec2)["VpcId"]
    result = ec2.associate_vpc_cidr_block(VpcId=vpc_id, AmazonProvidedIpv6CidrBlock=True)
    block = result["Ipv6CidrBlockAssociation"]
    assert block["Ipv6CidrBlockState"]["State"] == "associating"
    assert ipaddress.IPv6Network(block["Ipv6CidrBlock"]).prefixlen == 56
    subnet_cidr = str(next(ipaddress.IPv6Network(block["Ipv6CidrBlock"]).subnets(new_prefix=64)))
    subnet_id = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.0.0.0/24", Ipv6CidrBlock=subnet_cidr)[
        "Subnet"
    ]["SubnetId"]
    assert_error(
        ec2.disassociate_vpc_cidr_block,
        "InvalidCidrBlock.InUse",
        AssociationId=block["AssociationId"],
    )
    ec2.delete_subnet(SubnetId=subnet_id)
    gone = ec2.disassociate_vpc_cidr_block(AssociationId=block["AssociationId"])[
        "Ipv6CidrBlockAssociation"
    ]
    assert gone["Ipv6CidrBlockState"]["State"] == "disassociating"
    [shown] = describe(ec2, vpc_id)["Ipv6CidrBlockAssociationSet"]
    assert shown["Ipv6CidrBlockState"]["State"] == "disassociated"


# -- the default VPC


def test_create_default_vpc(ec2):
    assert_error(ec2.create_default_vpc, "DefaultVpcAlreadyExists")
    default = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]
    vpc_id = default["VpcId"]
    for subnet in ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["Subnets"]:
        ec2.delete_subnet(SubnetId=subnet["SubnetId"])
    # its internet gateway still holds it
    assert_error(ec2.delete_vpc, "DependencyViolation", VpcId=vpc_id)
    assert delete_default_vpc(ec2) == vpc_id
    assert not ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"]
    assert_error(ec2.create_default_vpc, "DryRunOperation", 412, DryRun=True)
    vpc = ec2.create_default_vpc()["Vpc"]
    assert vpc["IsDefault"] is True
    assert vpc["CidrBlock"] == "172.31.0.0/16"
    subnets = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc["VpcId"]]}])[
        "Subnets"
    ]
    zones = ec2.describe_availability_zones()["AvailabilityZones"]
    assert len(subnets) == len(zones)
    assert all(s["DefaultForAz"] and s["MapPublicIpOnLaunch"] for s in subnets)


def test_transitions_follow_the_clock(env, ec2, ec2_options):
    ec2_options(transition_delay=30)
    vpc = make_vpc(ec2, AmazonProvidedIpv6CidrBlock=True)
    subnet = ec2.create_subnet(VpcId=vpc["VpcId"], CidrBlock="10.0.0.0/24")["Subnet"]
    assoc = ec2.associate_vpc_cidr_block(VpcId=vpc["VpcId"], CidrBlock="10.1.0.0/16")
    shown = describe(ec2, vpc["VpcId"])
    assert shown["State"] == "pending"
    assert shown["Ipv6CidrBlockAssociationSet"][0]["Ipv6CidrBlockState"]["State"] == "associating"
    assert shown["CidrBlockAssociationSet"][1]["CidrBlockState"]["State"] == "associating"
    assert ec2.describe_subnets(SubnetIds=[subnet["SubnetId"]])["Subnets"][0]["State"] == "pending"
    # a block still being associated takes no subnets yet
    assert_error(
        ec2.create_subnet, "InvalidSubnet.Range", VpcId=vpc["VpcId"], CidrBlock="10.1.0.0/24"
    )
    env.clock.advance(30)
    shown = describe(ec2, vpc["VpcId"])
    assert shown["State"] == "available"
    assert shown["Ipv6CidrBlockAssociationSet"][0]["Ipv6CidrBlockState"]["State"] == "associated"
    assert shown["CidrBlockAssociationSet"][1]["CidrBlockState"]["State"] == "associated"
    assert (
        ec2.describe_subnets(SubnetIds=[subnet["SubnetId"]])["Subnets"][0]["State"] == "available"
    )
    ec2.disassociate_vpc_cidr_block(AssociationId=assoc["CidrBlockAssociation"]["AssociationId"])
    states = [
        b["CidrBlockState"]["State"] for b in describe(ec2, vpc["VpcId"])["CidrBlockAssociationSet"]
    ]
    assert states == ["associated", "disassociating"]
    env.clock.advance(30)
    assert len(describe(ec2, vpc["VpcId"])["CidrBlockAssociationSet"]) == 1


def test_a_region_holds_five_vpcs_unless_told_otherwise(ec2, ec2_options):
    for i in range(4):  # the default VPC is the fifth
        make_vpc(ec2, f"10.{i}.0.0/16")
    assert_error(
        ec2.create_vpc,
        "VpcLimitExceeded",
        message="The maximum number of VPCs has been reached.",
        CidrBlock="10.9.0.0/16",
    )
    # a dry run at the quota gets the real error
    assert_error(ec2.create_vpc, "VpcLimitExceeded", CidrBlock="10.9.0.0/16", DryRun=True)
    ec2_options(vpc_limit=6)  # a fresh region with a bigger quota
    for i in range(5):
        make_vpc(ec2, f"10.{i}.0.0/16")
    assert len(ec2.describe_vpcs()["Vpcs"]) == 6
