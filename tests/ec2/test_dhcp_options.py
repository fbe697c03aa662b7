"""DHCP option sets: create with EC2's rules, associate, delete, describe."""

from __future__ import annotations

import re

import pytest
from ec2_helpers import ID17, assert_error


def configs(**options):
    return [{"Key": k.replace("_", "-"), "Values": v} for k, v in options.items()]


def create(ec2, **options):
    return ec2.create_dhcp_options(DhcpConfigurations=configs(**options))["DhcpOptions"]


def test_default_set(ec2):
    vpc = ec2.describe_vpcs()["Vpcs"][0]
    [dopt] = ec2.describe_dhcp_options(DhcpOptionsIds=[vpc["DhcpOptionsId"]])["DhcpOptions"]
    values = {c["Key"]: [v["Value"] for v in c["Values"]] for c in dopt["DhcpConfigurations"]}
    assert values == {
        "domain-name": ["eu-west-1.compute.internal"],
        "domain-name-servers": ["AmazonProvidedDNS"],
    }


def test_default_set_us_east_1(env):
    ec2 = env.client(region="us-east-1")
    [dopt] = ec2.describe_dhcp_options()["DhcpOptions"]
    domain = next(c for c in dopt["DhcpConfigurations"] if c["Key"] == "domain-name")
    assert domain["Values"] == [{"Value": "ec2.internal"}]


def test_create(ec2):
    dopt = ec2.create_dhcp_options(
        DhcpConfigurations=configs(
            domain_name=["example.com"],
            domain_name_servers=["10.0.0.2", "AmazonProvidedDNS"],
            ntp_servers=["169.254.169.123"],
            netbios_name_servers=["10.0.0.3"],
            netbios_node_type=["2"],
            ipv6_address_preferred_lease_time=["3600"],
        ),
        TagSpecifications=[{"ResourceType": "dhcp-options", "Tags": [{"Key": "k", "Value": "v"}]}],
    )["DhcpOptions"]
    assert re.fullmatch(rf"dopt-{ID17}", dopt["DhcpOptionsId"])
    assert dopt["OwnerId"] == "123456789012"
    assert dopt["Tags"] == [{"Key": "k", "Value": "v"}]
    values = {c["Key"]: [v["Value"] for v in c["Values"]] for c in dopt["DhcpConfigurations"]}
    assert values["domain-name-servers"] == ["10.0.0.2", "AmazonProvidedDNS"]
    assert values["netbios-node-type"] == ["2"]


@pytest.mark.parametrize(
    "options",
    [
        {"bogus_key": ["x"]},
        {"domain_name_servers": ["not-an-ip"]},
        {"domain_name_servers": ["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5"]},
        {"ntp_servers": ["time.example.com"]},
        {"netbios_node_type": ["3"]},
        {"ipv6_address_preferred_lease_time": ["100"]},
        {"domain_name": ["a.com", "b.com"]},
    ],
)
def test_create_validation(ec2, options):
    assert_error(
        ec2.create_dhcp_options, "InvalidParameterValue", DhcpConfigurations=configs(**options)
    )


def test_create_dry_run(ec2):
    before = len(ec2.describe_dhcp_options()["DhcpOptions"])
    assert_error(
        ec2.create_dhcp_options,
        "DryRunOperation",
        412,
        DhcpConfigurations=configs(domain_name=["a.com"]),
        DryRun=True,
    )
    assert len(ec2.describe_dhcp_options()["DhcpOptions"]) == before


def test_associate_and_delete(ec2):
    vpc_id = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    dopt_id = create(ec2, domain_name=["example.com"])["DhcpOptionsId"]
    assert_error(
        ec2.associate_dhcp_options,
        "DryRunOperation",
        412,
        DhcpOptionsId=dopt_id,
        VpcId=vpc_id,
        DryRun=True,
    )
    ec2.associate_dhcp_options(DhcpOptionsId=dopt_id, VpcId=vpc_id)
    assert ec2.describe_vpcs(VpcIds=[vpc_id])["Vpcs"][0]["DhcpOptionsId"] == dopt_id
    found = ec2.describe_vpcs(Filters=[{"Name": "dhcp-options-id", "Values": [dopt_id]}])["Vpcs"]
    assert [v["VpcId"] for v in found] == [vpc_id]
    error = assert_error(ec2.delete_dhcp_options, "DependencyViolation", DhcpOptionsId=dopt_id)
    assert dopt_id in error["Message"]
    ec2.associate_dhcp_options(DhcpOptionsId="default", VpcId=vpc_id)
    assert ec2.describe_vpcs(VpcIds=[vpc_id])["Vpcs"][0]["DhcpOptionsId"] == "default"
    assert_error(
        ec2.delete_dhcp_options, "DryRunOperation", 412, DhcpOptionsId=dopt_id, DryRun=True
    )
    ec2.delete_dhcp_options(DhcpOptionsId=dopt_id)
    assert_error(
        ec2.describe_dhcp_options, "InvalidDhcpOptionID.NotFound", DhcpOptionsIds=[dopt_id]
    )
    assert_error(ec2.delete_dhcp_options, "InvalidDhcpOptionID.NotFound", DhcpOptionsId=dopt_id)
    assert_error(
        ec2.associate_dhcp_options,
        "InvalidDhcpOptionID.NotFound",
        DhcpOptionsId=dopt_id,
        VpcId=vpc_id,
    )
    assert_error(
        ec2.associate_dhcp_options,
        "InvalidVpcID.NotFound",
        DhcpOptionsId="default",
        VpcId="vpc-0123456789abcdef0",
    )


def test_filters_and_paging(ec2):
    a = create(ec2, domain_name=["a.example"])["DhcpOptionsId"]
    b = create(ec2, ntp_servers=["10.0.0.9"])["DhcpOptionsId"]
    ec2.create_tags(Resources=[b], Tags=[{"Key": "team", "Value": "x"}])

    def ids(name, *values):
        found = ec2.describe_dhcp_options(Filters=[{"Name": name, "Values": list(values)}])[
            "DhcpOptions"
        ]
        return {d["DhcpOptionsId"] for d in found}

    assert ids("dhcp-options-id", a) == {a}
    assert b in ids("key", "ntp-servers") and a not in ids("key", "ntp-servers")
    assert ids("value", "a.example") == {a}
    assert {a, b} <= ids("owner-id", "123456789012")
    assert ids("tag:team", "x") == {b}
    assert ids("tag-key", "team") == {b}
    for _ in range(4):
        create(ec2, domain_name=["x.example"])
    first = ec2.describe_dhcp_options(MaxResults=5)
    rest = ec2.describe_dhcp_options(MaxResults=5, NextToken=first["NextToken"])
    assert len(first["DhcpOptions"]) == 5 and len(rest["DhcpOptions"]) == 2
    assert_error(ec2.describe_dhcp_options, "DryRunOperation", 412, DryRun=True)


def test_malformed_id(ec2):
    # EC2 spells this one InvalidDhcpOptionsId (NotFound is InvalidDhcpOptionID)
    assert_error(
        ec2.describe_dhcp_options, "InvalidDhcpOptionsId.Malformed", DhcpOptionsIds=["dopt-x"]
    )
