"""Sweeps over every VPC-family operation and kind: DryRun changes nothing; every kind takes tags."""

from __future__ import annotations

from typing import Any

import pytest
from ec2_helpers import assert_error


@pytest.fixture
def world(ec2) -> dict[str, Any]:
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16", AmazonProvidedIpv6CidrBlock=True)["Vpc"]
    subnet = ec2.create_subnet(VpcId=vpc["VpcId"], CidrBlock="10.0.0.0/24")["Subnet"]
    acl = ec2.create_network_acl(VpcId=vpc["VpcId"])["NetworkAcl"]
    ec2.create_network_acl_entry(
        NetworkAclId=acl["NetworkAclId"], RuleNumber=10, Protocol="-1", RuleAction="allow",
        Egress=False, CidrBlock="0.0.0.0/0",
    )  # fmt: skip
    dopt = ec2.create_dhcp_options(
        DhcpConfigurations=[{"Key": "domain-name", "Values": ["example.com"]}]
    )["DhcpOptions"]
    reservation = ec2.create_subnet_cidr_reservation(
        SubnetId=subnet["SubnetId"], Cidr="10.0.0.16/28", ReservationType="explicit"
    )["SubnetCidrReservation"]
    exclusion = ec2.create_vpc_block_public_access_exclusion(
        VpcId=vpc["VpcId"], InternetGatewayExclusionMode="allow-egress"
    )["VpcBlockPublicAccessExclusion"]
    control = ec2.create_vpc_encryption_control(VpcId=vpc["VpcId"])["VpcEncryptionControl"]
    network = ec2.create_secondary_network(Ipv4CidrBlock="172.16.0.0/16", NetworkType="rdma")[
        "SecondaryNetwork"
    ]
    secondary = ec2.create_secondary_subnet(
        SecondaryNetworkId=network["SecondaryNetworkId"], Ipv4CidrBlock="172.16.0.0/24",
        AvailabilityZone="eu-west-1a",
    )["SecondarySubnet"]  # fmt: skip
    [assoc] = ec2.describe_network_acls(
        Filters=[{"Name": "association.subnet-id", "Values": [subnet["SubnetId"]]}]
    )["NetworkAcls"][0]["Associations"]
    return {
        "vpc": vpc["VpcId"],
        "subnet": subnet["SubnetId"],
        "acl": acl["NetworkAclId"],
        "assoc": assoc["NetworkAclAssociationId"],
        "dopt": dopt["DhcpOptionsId"],
        "scr": reservation["SubnetCidrReservationId"],
        "exclusion": exclusion["ExclusionId"],
        "control": control["VpcEncryptionControlId"],
        "sn": network["SecondaryNetworkId"],
        "ss": secondary["SecondarySubnetId"],
    }


def snapshot(ec2) -> list[Any]:
    return [
        ec2.describe_vpcs()["Vpcs"],
        ec2.describe_subnets()["Subnets"],
        ec2.describe_network_acls()["NetworkAcls"],
        ec2.describe_dhcp_options()["DhcpOptions"],
        ec2.describe_vpc_block_public_access_options()["VpcBlockPublicAccessOptions"],
        ec2.describe_vpc_block_public_access_exclusions()["VpcBlockPublicAccessExclusions"],
        ec2.describe_vpc_encryption_controls()["VpcEncryptionControls"],
        ec2.describe_account_vpc_encryption_control()["AccountVpcEncryptionControl"],
        ec2.describe_secondary_networks()["SecondaryNetworks"],
        ec2.describe_secondary_subnets()["SecondarySubnets"],
    ]


CALLS = {
    "create_vpc": lambda w: {"CidrBlock": "10.1.0.0/16"},
    "delete_vpc": lambda w: {"VpcId": w["vpc"]},
    "create_default_subnet": lambda w: {"AvailabilityZone": "eu-west-1a"},
    "describe_vpc_attribute": lambda w: {"VpcId": w["vpc"], "Attribute": "enableDnsSupport"},
    "modify_vpc_tenancy": lambda w: {"VpcId": w["vpc"], "InstanceTenancy": "default"},
    "create_subnet": lambda w: {"VpcId": w["vpc"], "CidrBlock": "10.0.1.0/24"},
    "delete_subnet": lambda w: {"SubnetId": w["subnet"]},
    "describe_subnets": lambda w: {},
    "create_subnet_cidr_reservation": lambda w: {
        "SubnetId": w["subnet"], "Cidr": "10.0.0.32/28", "ReservationType": "prefix"
    },
    "delete_subnet_cidr_reservation": lambda w: {"SubnetCidrReservationId": w["scr"]},
    "get_subnet_cidr_reservations": lambda w: {"SubnetId": w["subnet"]},
    "create_network_acl": lambda w: {"VpcId": w["vpc"]},
    "delete_network_acl": lambda w: {"NetworkAclId": w["acl"]},
    "create_network_acl_entry": lambda w: {
        "NetworkAclId": w["acl"], "RuleNumber": 20, "Protocol": "-1", "RuleAction": "deny",
        "Egress": True, "CidrBlock": "0.0.0.0/0",
    },
    "replace_network_acl_entry": lambda w: {
        "NetworkAclId": w["acl"], "RuleNumber": 10, "Protocol": "-1", "RuleAction": "deny",
        "Egress": False, "CidrBlock": "0.0.0.0/0",
    },
    "delete_network_acl_entry": lambda w: {"NetworkAclId": w["acl"], "RuleNumber": 10, "Egress": False},
    "replace_network_acl_association": lambda w: {"AssociationId": w["assoc"], "NetworkAclId": w["acl"]},
    "describe_network_acls": lambda w: {},
    "create_dhcp_options": lambda w: {"DhcpConfigurations": [{"Key": "domain-name", "Values": ["a.b"]}]},
    "associate_dhcp_options": lambda w: {"DhcpOptionsId": w["dopt"], "VpcId": w["vpc"]},
    "delete_dhcp_options": lambda w: {"DhcpOptionsId": w["dopt"]},
    "describe_dhcp_options": lambda w: {},
    "modify_vpc_block_public_access_options": lambda w: {"InternetGatewayBlockMode": "block-ingress"},
    "describe_vpc_block_public_access_options": lambda w: {},
    "create_vpc_block_public_access_exclusion": lambda w: {
        "SubnetId": w["subnet"], "InternetGatewayExclusionMode": "allow-egress"
    },
    "modify_vpc_block_public_access_exclusion": lambda w: {
        "ExclusionId": w["exclusion"], "InternetGatewayExclusionMode": "allow-bidirectional"
    },
    "delete_vpc_block_public_access_exclusion": lambda w: {"ExclusionId": w["exclusion"]},
    "describe_vpc_block_public_access_exclusions": lambda w: {},
    "create_vpc_encryption_control": lambda w: {"VpcId": w["vpc2"]},
    "modify_vpc_encryption_control": lambda w: {"VpcEncryptionControlId": w["control"], "Mode": "enforce"},
    "delete_vpc_encryption_control": lambda w: {"VpcEncryptionControlId": w["control"]},
    "describe_vpc_encryption_controls": lambda w: {},
    "get_vpc_resources_blocking_encryption_enforcement": lambda w: {"VpcId": w["vpc"]},
    "describe_account_vpc_encryption_control": lambda w: {},
    "modify_account_vpc_encryption_control": lambda w: {"Mode": "attempt-monitor"},
    "create_secondary_network": lambda w: {"Ipv4CidrBlock": "172.20.0.0/16", "NetworkType": "rdma"},
    "delete_secondary_network": lambda w: {"SecondaryNetworkId": w["sn"]},
    "describe_secondary_networks": lambda w: {},
    "create_secondary_subnet": lambda w: {
        "SecondaryNetworkId": w["sn"], "Ipv4CidrBlock": "172.16.1.0/24", "AvailabilityZone": "eu-west-1a"
    },
    "delete_secondary_subnet": lambda w: {"SecondarySubnetId": w["ss"]},
    "describe_secondary_subnets": lambda w: {},
}  # fmt: skip


def test_dry_run(ec2, world):
    # what some operations need to be able to succeed: an empty VPC (to delete, or to give an
    # encryption control), an unused ACL and secondary network, a subnet nothing uses, and a
    # zone without a default subnet
    world["vpc2"] = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    world["spare_acl"] = ec2.create_network_acl(VpcId=world["vpc"])["NetworkAcl"]["NetworkAclId"]
    world["spare_sn"] = ec2.create_secondary_network(
        Ipv4CidrBlock="172.30.0.0/16", NetworkType="rdma"
    )["SecondaryNetwork"]["SecondaryNetworkId"]
    world["spare_subnet"] = ec2.create_subnet(VpcId=world["vpc"], CidrBlock="10.0.5.0/24")[
        "Subnet"
    ]["SubnetId"]
    default_a = ec2.describe_subnets(
        Filters=[
            {"Name": "availability-zone", "Values": ["eu-west-1a"]},
            {"Name": "default-for-az", "Values": ["true"]},
        ]
    )["Subnets"][0]
    ec2.delete_subnet(SubnetId=default_a["SubnetId"])
    overrides = {
        "delete_vpc": {"VpcId": world["vpc2"]},
        "delete_network_acl": {"NetworkAclId": world["spare_acl"]},
        "delete_secondary_network": {"SecondaryNetworkId": world["spare_sn"]},
        "delete_subnet": {"SubnetId": world["spare_subnet"]},
    }
    before = snapshot(ec2)
    for operation, arguments in sorted(CALLS.items()):
        kw = overrides.get(operation) or arguments(world)
        error = assert_error(getattr(ec2, operation), "DryRunOperation", 412, DryRun=True, **kw)
        assert error, operation
    assert snapshot(ec2) == before


def test_create_default_vpc_dry_run_fails_for_real_reasons(ec2):
    # with a default VPC in place, DryRun gets the real error
    assert_error(ec2.create_default_vpc, "DefaultVpcAlreadyExists", DryRun=True)


def test_every_kind_takes_tags(ec2, world):
    kinds = {
        world["vpc"]: "vpc",
        world["subnet"]: "subnet",
        world["acl"]: "network-acl",
        world["dopt"]: "dhcp-options",
        world["scr"]: "subnet-cidr-reservation",
        world["exclusion"]: "vpc-block-public-access-exclusion",
        world["control"]: "vpc-encryption-control",
        world["sn"]: "secondary-network",
        world["ss"]: "secondary-subnet",
    }
    ec2.create_tags(Resources=list(kinds), Tags=[{"Key": "swept", "Value": "yes"}])
    found = ec2.describe_tags(Filters=[{"Name": "key", "Values": ["swept"]}])["Tags"]
    assert {t["ResourceId"]: t["ResourceType"] for t in found} == kinds
