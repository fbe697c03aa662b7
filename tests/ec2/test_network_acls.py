"""Network ACLs: default rules, entries, subnet associations, filters."""

from __future__ import annotations

import re

import pytest
from ec2_helpers import ID17, assert_error


@pytest.fixture
def vpc_id(ec2):
    return ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]


def acls_of(ec2, vpc_id):
    return ec2.describe_network_acls(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])[
        "NetworkAcls"
    ]


def acl(ec2, acl_id):
    [found] = ec2.describe_network_acls(NetworkAclIds=[acl_id])["NetworkAcls"]
    return found


def rules(entries):
    return [(e["RuleNumber"], e["Egress"], e["RuleAction"], e.get("CidrBlock")) for e in entries]


def test_default_acl(ec2, vpc_id):
    [default] = acls_of(ec2, vpc_id)
    assert default["IsDefault"] is True
    assert default["OwnerId"] == "123456789012"
    assert rules(default["Entries"]) == [
        (100, True, "allow", "0.0.0.0/0"),
        (32767, True, "deny", "0.0.0.0/0"),
        (100, False, "allow", "0.0.0.0/0"),
        (32767, False, "deny", "0.0.0.0/0"),
    ]
    assert all(e["Protocol"] == "-1" for e in default["Entries"])
    # a new subnet is associated with the VPC's default ACL
    sid = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.0.0.0/24")["Subnet"]["SubnetId"]
    [assoc] = acl(ec2, default["NetworkAclId"])["Associations"]
    assert assoc["SubnetId"] == sid
    assert re.fullmatch(rf"aclassoc-{ID17}", assoc["NetworkAclAssociationId"])
    # the default VPC's subnets are associated with its default ACL as well
    default_vpc = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]
    [vpc_acl] = acls_of(ec2, default_vpc["VpcId"])
    subnets = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [default_vpc["VpcId"]]}])[
        "Subnets"
    ]
    assert {a["SubnetId"] for a in vpc_acl["Associations"]} == {s["SubnetId"] for s in subnets}


def test_create_network_acl(ec2, vpc_id):
    tags = [{"ResourceType": "network-acl", "Tags": [{"Key": "k", "Value": "v"}]}]
    created = ec2.create_network_acl(VpcId=vpc_id, TagSpecifications=tags)["NetworkAcl"]
    assert re.fullmatch(rf"acl-{ID17}", created["NetworkAclId"])
    assert created["IsDefault"] is False
    assert created["Associations"] == []
    assert created["Tags"] == [{"Key": "k", "Value": "v"}]
    assert rules(created["Entries"]) == [
        (32767, True, "deny", "0.0.0.0/0"),
        (32767, False, "deny", "0.0.0.0/0"),
    ]
    assert_error(ec2.create_network_acl, "InvalidVpcID.NotFound", VpcId="vpc-0123456789abcdef0")
    assert_error(ec2.create_network_acl, "DryRunOperation", 412, VpcId=vpc_id, DryRun=True)
    assert len(acls_of(ec2, vpc_id)) == 2


def test_client_token(ec2, vpc_id):
    first = ec2.create_network_acl(VpcId=vpc_id, ClientToken="tok")
    again = ec2.create_network_acl(VpcId=vpc_id, ClientToken="tok")
    assert first["NetworkAcl"]["NetworkAclId"] == again["NetworkAcl"]["NetworkAclId"]
    assert first["ClientToken"] == "tok"
    assert len(acls_of(ec2, vpc_id)) == 2
    other = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    assert_error(
        ec2.create_network_acl, "IdempotentParameterMismatch", VpcId=other, ClientToken="tok"
    )


def test_entries(ec2, vpc_id):
    acl_id = ec2.create_network_acl(VpcId=vpc_id)["NetworkAcl"]["NetworkAclId"]
    ec2.create_network_acl_entry(
        NetworkAclId=acl_id, RuleNumber=110, Protocol="tcp", RuleAction="allow", Egress=False,
        CidrBlock="10.1.0.0/16", PortRange={"From": 443, "To": 443},
    )  # fmt: skip
    ec2.create_network_acl_entry(
        NetworkAclId=acl_id, RuleNumber=100, Protocol="1", RuleAction="deny", Egress=False,
        CidrBlock="0.0.0.0/0", IcmpTypeCode={"Type": 8, "Code": -1},
    )  # fmt: skip
    ec2.create_network_acl_entry(
        NetworkAclId=acl_id, RuleNumber=110, Protocol="-1", RuleAction="allow", Egress=True,
        Ipv6CidrBlock="::/0",
    )  # fmt: skip
    entries = acl(ec2, acl_id)["Entries"]
    ingress = [e for e in entries if not e["Egress"]]
    assert [e["RuleNumber"] for e in ingress] == [100, 110, 32767]
    assert ingress[1]["Protocol"] == "6"
    assert ingress[1]["PortRange"] == {"From": 443, "To": 443}
    assert ingress[0]["IcmpTypeCode"] == {"Type": 8, "Code": -1}
    egress = [e for e in entries if e["Egress"]]
    assert egress[0]["Ipv6CidrBlock"] == "::/0"
    kw = {"NetworkAclId": acl_id, "Protocol": "-1", "RuleAction": "allow", "CidrBlock": "0.0.0.0/0"}
    error = assert_error(
        ec2.create_network_acl_entry,
        "NetworkAclEntryAlreadyExists",
        RuleNumber=110,
        Egress=False,
        **kw,
    )
    assert "110" in error["Message"]
    assert_error(
        ec2.create_network_acl_entry, "InvalidParameterValue", RuleNumber=32767, Egress=False, **kw
    )
    assert_error(
        ec2.create_network_acl_entry, "InvalidParameterValue", RuleNumber=0, Egress=False, **kw
    )
    assert_error(
        ec2.create_network_acl_entry,
        "InvalidParameterValue",
        RuleNumber=5,
        Egress=False,
        **{**kw, "Protocol": "bogus"},
    )
    assert_error(
        ec2.create_network_acl_entry,
        "MissingParameter",
        RuleNumber=5,
        Egress=False,
        **{**kw, "Protocol": "tcp"},
    )
    assert_error(
        ec2.create_network_acl_entry,
        "MissingParameter",
        RuleNumber=5,
        Egress=False,
        **{**kw, "Protocol": "icmp"},
    )
    assert_error(
        ec2.create_network_acl_entry, "InvalidParameterCombination", RuleNumber=5, Egress=False,
        Ipv6CidrBlock="::/0", **kw,
    )  # fmt: skip
    assert_error(
        ec2.create_network_acl_entry,
        "DryRunOperation",
        412,
        RuleNumber=5,
        Egress=False,
        DryRun=True,
        **kw,
    )
    assert_error(
        ec2.create_network_acl_entry,
        "InvalidNetworkAclID.NotFound",
        RuleNumber=5,
        Egress=False,
        **{**kw, "NetworkAclId": "acl-0123456789abcdef0"},
    )
    # the same number in the other direction is another rule
    ec2.create_network_acl_entry(RuleNumber=100, Egress=True, **kw)

    # replace
    ec2.replace_network_acl_entry(
        NetworkAclId=acl_id, RuleNumber=110, Protocol="udp", RuleAction="deny", Egress=False,
        CidrBlock="10.2.0.0/16", PortRange={"From": 53, "To": 53},
    )  # fmt: skip
    [replaced] = [
        e for e in acl(ec2, acl_id)["Entries"] if e["RuleNumber"] == 110 and not e["Egress"]
    ]
    assert (replaced["Protocol"], replaced["RuleAction"], replaced["CidrBlock"]) == (
        "17",
        "deny",
        "10.2.0.0/16",
    )
    assert_error(
        ec2.replace_network_acl_entry,
        "InvalidNetworkAclEntry.NotFound",
        RuleNumber=120,
        Egress=False,
        **kw,
    )
    assert_error(
        ec2.replace_network_acl_entry,
        "DryRunOperation",
        412,
        RuleNumber=110,
        Egress=False,
        DryRun=True,
        **kw,
    )

    # delete
    assert_error(
        ec2.delete_network_acl_entry,
        "DryRunOperation",
        412,
        NetworkAclId=acl_id,
        RuleNumber=110,
        Egress=False,
        DryRun=True,
    )
    ec2.delete_network_acl_entry(NetworkAclId=acl_id, RuleNumber=110, Egress=False)
    assert [e["RuleNumber"] for e in acl(ec2, acl_id)["Entries"] if not e["Egress"]] == [100, 32767]
    assert_error(
        ec2.delete_network_acl_entry,
        "InvalidNetworkAclEntry.NotFound",
        NetworkAclId=acl_id,
        RuleNumber=110,
        Egress=False,
    )
    assert_error(
        ec2.delete_network_acl_entry,
        "InvalidParameterValue",
        NetworkAclId=acl_id,
        RuleNumber=32767,
        Egress=False,
    )


def test_default_acl_entries_can_change(ec2, vpc_id):
    [default] = acls_of(ec2, vpc_id)
    ec2.delete_network_acl_entry(NetworkAclId=default["NetworkAclId"], RuleNumber=100, Egress=True)
    entries = acl(ec2, default["NetworkAclId"])["Entries"]
    assert [(e["RuleNumber"], e["Egress"]) for e in entries] == [
        (32767, True),
        (100, False),
        (32767, False),
    ]


def test_replace_association(ec2, vpc_id):
    sid = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.0.0.0/24")["Subnet"]["SubnetId"]
    [default] = acls_of(ec2, vpc_id)
    [assoc] = default["Associations"]
    custom = ec2.create_network_acl(VpcId=vpc_id)["NetworkAcl"]["NetworkAclId"]
    kw = {"AssociationId": assoc["NetworkAclAssociationId"], "NetworkAclId": custom}
    assert_error(ec2.replace_network_acl_association, "DryRunOperation", 412, DryRun=True, **kw)
    new_id = ec2.replace_network_acl_association(**kw)["NewAssociationId"]
    assert new_id != assoc["NetworkAclAssociationId"] and new_id.startswith("aclassoc-")
    assert acl(ec2, default["NetworkAclId"])["Associations"] == []
    assert acl(ec2, custom)["Associations"] == [
        {"NetworkAclAssociationId": new_id, "NetworkAclId": custom, "SubnetId": sid}
    ]
    assert_error(ec2.replace_network_acl_association, "InvalidAssociationID.NotFound", **kw)
    # an ACL with a subnet cannot go; neither can a default ACL
    assert_error(ec2.delete_network_acl, "DependencyViolation", NetworkAclId=custom)
    assert_error(
        ec2.delete_network_acl, "InvalidParameterValue", NetworkAclId=default["NetworkAclId"]
    )
    # another VPC's ACL does not fit
    other_vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    [other_acl] = acls_of(ec2, other_vpc)
    assert_error(
        ec2.replace_network_acl_association,
        "InvalidParameterValue",
        AssociationId=new_id,
        NetworkAclId=other_acl["NetworkAclId"],
    )
    # deleting the subnet frees the ACL
    ec2.delete_subnet(SubnetId=sid)
    assert acl(ec2, custom)["Associations"] == []
    assert_error(ec2.delete_network_acl, "DryRunOperation", 412, NetworkAclId=custom, DryRun=True)
    ec2.delete_network_acl(NetworkAclId=custom)
    assert_error(ec2.describe_network_acls, "InvalidNetworkAclID.NotFound", NetworkAclIds=[custom])
    assert_error(ec2.delete_network_acl, "InvalidNetworkAclID.NotFound", NetworkAclId=custom)


def test_filters(ec2, vpc_id):
    sid = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.0.0.0/24")["Subnet"]["SubnetId"]
    [default] = acls_of(ec2, vpc_id)
    custom = ec2.create_network_acl(
        VpcId=vpc_id,
        TagSpecifications=[
            {"ResourceType": "network-acl", "Tags": [{"Key": "team", "Value": "x"}]}
        ],
    )["NetworkAcl"]["NetworkAclId"]
    ec2.create_network_acl_entry(
        NetworkAclId=custom, RuleNumber=7, Protocol="tcp", RuleAction="allow", Egress=True,
        CidrBlock="10.7.0.0/16", PortRange={"From": 22, "To": 23},
    )  # fmt: skip
    ec2.create_network_acl_entry(
        NetworkAclId=custom, RuleNumber=8, Protocol="icmp", RuleAction="deny", Egress=False,
        Ipv6CidrBlock="2001:db8::/32", IcmpTypeCode={"Type": 3, "Code": 4},
    )  # fmt: skip
    mine = {"Name": "vpc-id", "Values": [vpc_id]}

    def ids(name, *values):
        found = ec2.describe_network_acls(Filters=[{"Name": name, "Values": list(values)}, mine])[
            "NetworkAcls"
        ]
        return {a["NetworkAclId"] for a in found}

    both = {default["NetworkAclId"], custom}
    assoc = acl(ec2, default["NetworkAclId"])["Associations"][0]["NetworkAclAssociationId"]
    assert ids("association.association-id", assoc) == {default["NetworkAclId"]}
    assert ids("association.network-acl-id", default["NetworkAclId"]) == {default["NetworkAclId"]}
    assert ids("association.subnet-id", sid) == {default["NetworkAclId"]}
    assert ids("default", "true") == {default["NetworkAclId"]}
    assert ids("default", "false") == {custom}
    assert ids("entry.cidr", "10.7.0.0/16") == {custom}
    assert ids("entry.egress", "true") == both
    assert ids("entry.icmp.code", "4") == {custom}
    assert ids("entry.icmp.type", "3") == {custom}
    assert ids("entry.ipv6-cidr", "2001:db8::/32") == {custom}
    assert ids("entry.port-range.from", "22") == {custom}
    assert ids("entry.port-range.to", "23") == {custom}
    assert ids("entry.protocol", "tcp") == {custom}
    assert ids("entry.protocol", "6") == {custom}
    assert ids("entry.rule-action", "allow") == both
    assert ids("entry.rule-number", "7") == {custom}
    assert ids("entry.rule-number", "32767") == both
    assert ids("network-acl-id", custom) == {custom}
    assert ids("owner-id", "123456789012") == both
    assert ids("tag:team", "x") == {custom}
    assert ids("tag-key", "team") == {custom}


def test_paging(ec2, vpc_id):
    for _ in range(5):
        ec2.create_network_acl(VpcId=vpc_id)
    mine = [{"Name": "vpc-id", "Values": [vpc_id]}]
    first = ec2.describe_network_acls(Filters=mine, MaxResults=5)
    second = ec2.describe_network_acls(Filters=mine, MaxResults=5, NextToken=first["NextToken"])
    assert len(first["NetworkAcls"]) == 5 and len(second["NetworkAcls"]) == 1
    assert "NextToken" not in second
    assert_error(ec2.describe_network_acls, "DryRunOperation", 412, DryRun=True)


def test_malformed_id(ec2):
    # EC2 spells this one InvalidNetworkAclId (NotFound is InvalidNetworkAclID)
    assert_error(
        ec2.describe_network_acls, "InvalidNetworkAclId.Malformed", NetworkAclIds=["acl-x"]
    )


def test_entry_limit(ec2, vpc_id):
    acl_id = ec2.create_network_acl(VpcId=vpc_id)["NetworkAcl"]["NetworkAclId"]
    kw = {"NetworkAclId": acl_id, "Protocol": "-1", "RuleAction": "allow", "CidrBlock": "0.0.0.0/0"}
    for number in range(1, 21):
        ec2.create_network_acl_entry(RuleNumber=number, Egress=False, **kw)
    assert_error(
        ec2.create_network_acl_entry,
        "NetworkAclEntryLimitExceeded",
        RuleNumber=21,
        Egress=False,
        **kw,
    )
    # the other direction has its own 20, and replacing is not adding
    ec2.create_network_acl_entry(RuleNumber=21, Egress=True, **kw)
    ec2.replace_network_acl_entry(RuleNumber=20, Egress=False, **{**kw, "RuleAction": "deny"})
