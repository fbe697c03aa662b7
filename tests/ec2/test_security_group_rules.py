"""Security group rules: authorize, revoke, modify, descriptions, tags, DescribeSecurityGroupRules."""

from __future__ import annotations

import re

import pytest
from ec2_helpers import ID17, assert_error
from sg_helpers import account_of, described, extra_vpc, group, raw_client, rules_of, tcp


def test_authorize_returns_rules_and_describe_groups_them(ec2):
    group_id = group(ec2)
    out = ec2.authorize_security_group_ingress(
        GroupId=group_id,
        IpPermissions=[
            tcp(22, "10.0.0.0/8", "192.168.0.0/16"),
            {
                "IpProtocol": "udp",
                "FromPort": 53,
                "ToPort": 53,
                "IpRanges": [{"CidrIp": "1.2.3.4/32"}],
            },
        ],
    )
    assert out["Return"] is True
    rules = out["SecurityGroupRules"]
    assert len(rules) == 3
    account = account_of(ec2)
    for rule in rules:
        assert re.fullmatch(rf"sgr-{ID17}", rule["SecurityGroupRuleId"])
        assert rule["GroupId"] == group_id
        assert rule["GroupOwnerId"] == account
        assert rule["IsEgress"] is False
        assert rule["SecurityGroupRuleArn"] == (
            f"arn:aws:ec2:eu-west-1:{account}:security-group-rule/{rule['SecurityGroupRuleId']}"
        )
    assert [r["CidrIpv4"] for r in rules] == ["10.0.0.0/8", "192.168.0.0/16", "1.2.3.4/32"]
    shown = described(ec2, group_id)["IpPermissions"]
    assert shown == [
        {
            "IpProtocol": "tcp",
            "FromPort": 22,
            "ToPort": 22,
            "IpRanges": [{"CidrIp": "10.0.0.0/8"}, {"CidrIp": "192.168.0.0/16"}],
            "Ipv6Ranges": [],
            "PrefixListIds": [],
            "UserIdGroupPairs": [],
        },
        {
            "IpProtocol": "udp",
            "FromPort": 53,
            "ToPort": 53,
            "IpRanges": [{"CidrIp": "1.2.3.4/32"}],
            "Ipv6Ranges": [],
            "PrefixListIds": [],
            "UserIdGroupPairs": [],
        },
    ]
    assert {r["SecurityGroupRuleId"] for r in rules} <= {
        r["SecurityGroupRuleId"] for r in rules_of(ec2, group_id, egress=False)
    }


def test_legacy_top_level_form(ec2):
    group_id = group(ec2)
    source = group(ec2, "source")
    ec2.authorize_security_group_ingress(
        GroupId=group_id, CidrIp="10.1.0.0/16", IpProtocol="tcp", FromPort=80, ToPort=81
    )
    # A whole source group by name: full ICMP, TCP and UDP access.
    out = ec2.authorize_security_group_ingress(GroupName="web", SourceSecurityGroupName="source")
    assert sorted(
        (r["IpProtocol"], r["FromPort"], r["ToPort"]) for r in out["SecurityGroupRules"]
    ) == [
        ("icmp", -1, -1),
        ("tcp", 0, 65535),
        ("udp", 0, 65535),
    ]
    assert {r["ReferencedGroupInfo"]["GroupId"] for r in out["SecurityGroupRules"]} == {source}
    assert len(rules_of(ec2, group_id, egress=False)) == 4
    assert_error(
        ec2.authorize_security_group_ingress,
        "InvalidParameterCombination",
        GroupId=group_id,
        SourceSecurityGroupName="source",
        CidrIp="10.0.0.0/8",
    )
    ec2.revoke_security_group_ingress(
        GroupId=group_id, CidrIp="10.1.0.0/16", IpProtocol="tcp", FromPort=80, ToPort=81
    )
    assert len(rules_of(ec2, group_id, egress=False)) == 3


@pytest.mark.parametrize(
    ("asked", "protocol", "groups_ports", "rule_ports"),
    [
        ({"IpProtocol": "6", "FromPort": 1, "ToPort": 2}, "tcp", (1, 2), (1, 2)),
        ({"IpProtocol": "UDP", "FromPort": 5, "ToPort": 5}, "udp", (5, 5), (5, 5)),
        ({"IpProtocol": "-1", "FromPort": 5, "ToPort": 9}, "-1", None, (-1, -1)),
        ({"IpProtocol": "50", "FromPort": 5, "ToPort": 9}, "50", None, (-1, -1)),
        ({"IpProtocol": "icmp", "FromPort": 8, "ToPort": -1}, "icmp", (8, -1), (8, -1)),
        ({"IpProtocol": "1", "FromPort": -1, "ToPort": -1}, "icmp", (-1, -1), (-1, -1)),
        ({"IpProtocol": "icmpv6"}, "icmpv6", (-1, -1), (-1, -1)),
    ],
)
def test_protocol_names_numbers_and_ports(ec2, asked, protocol, groups_ports, rule_ports):
    group_id = group(ec2)
    [rule] = ec2.authorize_security_group_ingress(
        GroupId=group_id, IpPermissions=[{**asked, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}]
    )["SecurityGroupRules"]
    assert rule["IpProtocol"] == protocol
    assert (rule["FromPort"], rule["ToPort"]) == rule_ports
    [permission] = described(ec2, group_id)["IpPermissions"]
    assert permission["IpProtocol"] == protocol
    if groups_ports is None:
        assert "FromPort" not in permission and "ToPort" not in permission
    else:
        assert (permission["FromPort"], permission["ToPort"]) == groups_ports


@pytest.mark.parametrize(
    ("permission", "code", "message"),
    [
        (
            {"IpProtocol": "tcp"},
            "InvalidParameterValue",
            "Must specify both from and to ports with TCP/UDP",
        ),
        ({"IpProtocol": "udp", "FromPort": 1}, "InvalidParameterValue", "TCP/UDP"),
        (
            {"IpProtocol": "icmp"},
            "InvalidParameterValue",
            "Must specify both from and to ports with ICMP",
        ),
        (
            {"IpProtocol": "tcp", "FromPort": -1, "ToPort": -1},
            "InvalidPermission.Malformed",
            r"TCP/UDP port \(-1\) out of range",
        ),
        (
            {"IpProtocol": "tcp", "FromPort": 1, "ToPort": 70000},
            "InvalidPermission.Malformed",
            "out of range",
        ),
        ({"IpProtocol": "tcp", "FromPort": 9, "ToPort": 8}, "InvalidParameterValue", "port range"),
        ({"IpProtocol": "icmp", "FromPort": -1, "ToPort": 3}, "InvalidParameterValue", "ICMP"),
        (
            {"IpProtocol": "icmp", "FromPort": 300, "ToPort": 1},
            "InvalidPermission.Malformed",
            "ICMP type",
        ),
        ({"IpProtocol": "bogus"}, "InvalidParameterValue", "Unknown protocol"),
        ({"IpProtocol": "256"}, "InvalidParameterValue", "Unknown protocol"),
    ],
)
def test_bad_protocols_and_ports(ec2, permission, code, message):
    group_id = group(ec2)
    assert_error(
        ec2.authorize_security_group_ingress,
        code,
        message=message,
        GroupId=group_id,
        IpPermissions=[{**permission, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}],
    )
    assert rules_of(ec2, group_id, egress=False) == []


@pytest.mark.parametrize(
    ("ranges", "message"),
    [
        (
            {"IpRanges": [{"CidrIp": "10.0.0.0/33"}]},
            r"Value \(10.0.0.0/33\) for parameter cidrIp is invalid",
        ),
        ({"IpRanges": [{"CidrIp": "10.0.0"}]}, "not a valid CIDR block"),
        ({"IpRanges": [{"CidrIp": "2001:db8::/32"}]}, "not a valid CIDR block"),
        ({"Ipv6Ranges": [{"CidrIpv6": "10.0.0.0/8"}]}, "not a valid IPv6 CIDR block"),
    ],
)
def test_bad_cidrs(ec2, ranges, message):
    assert_error(
        ec2.authorize_security_group_ingress,
        "InvalidParameterValue",
        message=message,
        GroupId=group(ec2),
        IpPermissions=[{"IpProtocol": "-1", **ranges}],
    )


def test_duplicates_are_refused(ec2):
    group_id = group(ec2)
    ec2.authorize_security_group_ingress(GroupId=group_id, IpPermissions=[tcp(22, "10.0.0.0/8")])
    # The same rule in a non-canonical spelling is the same rule.
    assert_error(
        ec2.authorize_security_group_ingress,
        "InvalidPermission.Duplicate",
        message='the specified rule "peer: 10.0.0.0/8, TCP, from port: 22, to port: 22, ALLOW" already exists',
        GroupId=group_id,
        IpPermissions=[tcp(22, "10.1.2.3/8")],
    )
    assert_error(
        ec2.authorize_security_group_ingress,
        "InvalidPermission.Duplicate",
        GroupId=group_id,
        IpPermissions=[tcp(23, "10.0.0.0/8", "10.0.0.0/8")],
    )
    # The default egress rule is there already.
    assert_error(
        ec2.authorize_security_group_egress,
        "InvalidPermission.Duplicate",
        message="peer: 0.0.0.0/0, ALL, ALLOW",
        GroupId=group_id,
        IpPermissions=[{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
    )
    assert len(rules_of(ec2, group_id, egress=False)) == 1


def test_sources_ipv6_prefix_lists_and_groups(ec2):
    group_id = group(ec2)
    peer = group(ec2, "peer")
    pl = ec2.describe_prefix_lists()["PrefixLists"][0]["PrefixListId"]
    rules = ec2.authorize_security_group_ingress(
        GroupId=group_id,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 443,
                "ToPort": 443,
                "Ipv6Ranges": [{"CidrIpv6": "2001:db8::1/32", "Description": "v6"}],
                "PrefixListIds": [{"PrefixListId": pl, "Description": "s3"}],
                "UserIdGroupPairs": [{"GroupId": peer, "Description": "peer"}],
            }
        ],
    )["SecurityGroupRules"]
    assert rules[0]["CidrIpv6"] == "2001:db8::/32"
    assert rules[1]["PrefixListId"] == pl
    assert rules[2]["ReferencedGroupInfo"] == {"GroupId": peer, "UserId": account_of(ec2)}
    assert [r["Description"] for r in rules] == ["v6", "s3", "peer"]
    [permission] = described(ec2, group_id)["IpPermissions"]
    assert permission["Ipv6Ranges"] == [{"CidrIpv6": "2001:db8::/32", "Description": "v6"}]
    assert permission["PrefixListIds"] == [{"PrefixListId": pl, "Description": "s3"}]
    assert permission["UserIdGroupPairs"] == [
        {"GroupId": peer, "UserId": account_of(ec2), "Description": "peer"}
    ]
    assert_error(
        ec2.authorize_security_group_ingress,
        "InvalidPrefixListID.NotFound",
        GroupId=group_id,
        IpPermissions=[tcp(1, PrefixListIds=[{"PrefixListId": "pl-0123456789abcdef0"}])],
    )
    assert_error(
        ec2.authorize_security_group_ingress,
        "InvalidPrefixListId.Malformed",
        GroupId=group_id,
        IpPermissions=[tcp(1, PrefixListIds=[{"PrefixListId": "pl-nope"}])],
    )
    assert_error(
        ec2.authorize_security_group_ingress,
        "InvalidGroup.NotFound",
        GroupId=group_id,
        IpPermissions=[tcp(1, UserIdGroupPairs=[{"GroupId": "sg-0123456789abcdef0"}])],
    )
    # By name, in the group's VPC.
    [by_name] = ec2.authorize_security_group_ingress(
        GroupId=group_id, IpPermissions=[tcp(2, UserIdGroupPairs=[{"GroupName": "peer"}])]
    )["SecurityGroupRules"]
    assert by_name["ReferencedGroupInfo"]["GroupId"] == peer


def test_a_permission_without_a_source_is_refused(ec2):
    assert_error(
        ec2.authorize_security_group_ingress,
        "InvalidParameterValue",
        GroupId=group(ec2),
        IpPermissions=[tcp(22)],
    )


def test_rule_limit_per_direction(ec2):
    group_id = group(ec2)
    cidrs = [f"10.0.{i}.0/24" for i in range(61)]
    ec2.authorize_security_group_ingress(GroupId=group_id, IpPermissions=[tcp(22, *cidrs[:60])])
    assert_error(
        ec2.authorize_security_group_ingress,
        "RulesPerSecurityGroupLimitExceeded",
        message="maximum number of rules per security group",
        GroupId=group_id,
        IpPermissions=[tcp(22, cidrs[60])],
    )
    # Egress has its own 60, one of them the default rule.
    ec2.authorize_security_group_egress(GroupId=group_id, IpPermissions=[tcp(22, *cidrs[:59])])
    assert_error(
        ec2.authorize_security_group_egress,
        "RulesPerSecurityGroupLimitExceeded",
        GroupId=group_id,
        IpPermissions=[tcp(22, cidrs[60])],
    )


def test_egress_authorize_and_revoke(ec2):
    group_id = group(ec2)
    [rule] = ec2.authorize_security_group_egress(
        GroupId=group_id, IpPermissions=[tcp(443, "10.0.0.0/8")]
    )["SecurityGroupRules"]
    assert rule["IsEgress"] is True
    assert len(described(ec2, group_id)["IpPermissionsEgress"]) == 2
    out = ec2.revoke_security_group_egress(
        GroupId=group_id,
        IpPermissions=[{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
    )
    assert out["Return"] is True
    [revoked] = out["RevokedSecurityGroupRules"]
    assert revoked["IsEgress"] is True
    assert revoked["CidrIpv4"] == "0.0.0.0/0"
    [left] = described(ec2, group_id)["IpPermissionsEgress"]
    assert left["FromPort"] == 443


def test_revoke_by_rule_id(ec2):
    group_id = group(ec2)
    rules = ec2.authorize_security_group_ingress(
        GroupId=group_id, IpPermissions=[tcp(22, "10.0.0.0/8", "10.1.0.0/16")]
    )["SecurityGroupRules"]
    out = ec2.revoke_security_group_ingress(
        GroupId=group_id, SecurityGroupRuleIds=[rules[0]["SecurityGroupRuleId"]]
    )
    assert out["RevokedSecurityGroupRules"] == [
        {
            "SecurityGroupRuleId": rules[0]["SecurityGroupRuleId"],
            "GroupId": group_id,
            "IsEgress": False,
            "IpProtocol": "tcp",
            "FromPort": 22,
            "ToPort": 22,
            "CidrIpv4": "10.0.0.0/8",
        }
    ]
    assert [r["CidrIpv4"] for r in rules_of(ec2, group_id, egress=False)] == ["10.1.0.0/16"]
    assert_error(
        ec2.revoke_security_group_ingress,
        "InvalidSecurityGroupRuleId.NotFound",
        GroupId=group_id,
        SecurityGroupRuleIds=[rules[0]["SecurityGroupRuleId"]],
    )
    assert_error(
        ec2.revoke_security_group_ingress,
        "InvalidSecurityGroupRuleId.Malformed",
        GroupId=group_id,
        SecurityGroupRuleIds=["sgr-zz"],
    )
    # An ingress rule is not an egress rule.
    assert_error(
        ec2.revoke_security_group_egress,
        "InvalidSecurityGroupRuleId.NotFound",
        GroupId=group_id,
        SecurityGroupRuleIds=[rules[1]["SecurityGroupRuleId"]],
    )


def test_revoking_what_is_not_there(env, ec2):
    # Default VPC: no error, and the output names what was not revoked.
    group_id = group(ec2)
    ec2.authorize_security_group_ingress(GroupId=group_id, IpPermissions=[tcp(22, "10.0.0.0/8")])
    out = ec2.revoke_security_group_ingress(
        GroupId=group_id, IpPermissions=[tcp(22, "10.0.0.0/8"), tcp(23, "10.0.0.0/8")]
    )
    assert out["Return"] is True
    assert len(out["RevokedSecurityGroupRules"]) == 1
    [unknown] = out["UnknownIpPermissions"]
    assert (unknown["FromPort"], unknown["IpRanges"]) == (23, [{"CidrIp": "10.0.0.0/8"}])
    # Elsewhere: InvalidPermission.NotFound, and nothing is revoked.
    other = group(ec2, "other", extra_vpc(ec2))
    ec2.authorize_security_group_ingress(GroupId=other, IpPermissions=[tcp(22, "10.0.0.0/8")])
    assert_error(
        ec2.revoke_security_group_ingress,
        "InvalidPermission.NotFound",
        message="The specified rule does not exist in this security group",
        GroupId=other,
        IpPermissions=[tcp(22, "10.0.0.0/8"), tcp(23, "10.0.0.0/8")],
    )
    assert_error(
        ec2.revoke_security_group_egress,
        "InvalidPermission.NotFound",
        GroupId=other,
        IpPermissions=[tcp(23, "10.0.0.0/8")],
    )
    assert len(rules_of(ec2, other, egress=False)) == 1


def test_describe_security_group_rules_filters_paging_and_ids(ec2):
    group_id = group(ec2)
    rules = ec2.authorize_security_group_ingress(
        GroupId=group_id,
        IpPermissions=[tcp(22, *[f"10.0.{i}.0/24" for i in range(6)])],
        TagSpecifications=[
            {"ResourceType": "security-group-rule", "Tags": [{"Key": "k", "Value": "v"}]}
        ],
    )["SecurityGroupRules"]
    assert all(r["Tags"] == [{"Key": "k", "Value": "v"}] for r in rules)
    first_id = rules[0]["SecurityGroupRuleId"]
    by_id = ec2.describe_security_group_rules(SecurityGroupRuleIds=[first_id])["SecurityGroupRules"]
    assert [r["SecurityGroupRuleId"] for r in by_id] == [first_id]
    for name, value, count in [
        ("group-id", group_id, 7),
        ("group-id", group_id[:-1] + "?", 7),
        ("group-id", "sg-*", 7 + 2),
        ("security-group-rule-id", first_id, 1),
        ("tag:k", "v", 6),
        ("tag:k", "w", 0),
    ]:
        found = ec2.describe_security_group_rules(Filters=[{"Name": name, "Values": [value]}])
        assert len(found["SecurityGroupRules"]) == count, name
    page = ec2.describe_security_group_rules(
        Filters=[{"Name": "group-id", "Values": [group_id]}], MaxResults=5
    )
    assert len(page["SecurityGroupRules"]) == 5
    rest = ec2.describe_security_group_rules(
        Filters=[{"Name": "group-id", "Values": [group_id]}],
        MaxResults=5,
        NextToken=page["NextToken"],
    )
    assert len(rest["SecurityGroupRules"]) == 2
    assert_error(
        ec2.describe_security_group_rules,
        "InvalidSecurityGroupRuleId.NotFound",
        SecurityGroupRuleIds=["sgr-0123456789abcdef0"],
    )
    assert_error(
        ec2.describe_security_group_rules,
        "InvalidParameterValue",
        Filters=[{"Name": "vpc-id", "Values": ["x"]}],
    )


def test_rule_tags_through_create_tags_and_describe_tags(ec2):
    group_id = group(ec2)
    [rule] = ec2.authorize_security_group_ingress(
        GroupId=group_id, IpPermissions=[tcp(22, "10.0.0.0/8")]
    )["SecurityGroupRules"]
    rule_id = rule["SecurityGroupRuleId"]
    ec2.create_tags(Resources=[rule_id], Tags=[{"Key": "env", "Value": "prod"}])
    tags = ec2.describe_tags(Filters=[{"Name": "resource-id", "Values": [rule_id]}])["Tags"]
    assert tags == [
        {
            "Key": "env",
            "ResourceId": rule_id,
            "ResourceType": "security-group-rule",
            "Value": "prod",
        }
    ]
    [shown] = ec2.describe_security_group_rules(SecurityGroupRuleIds=[rule_id])[
        "SecurityGroupRules"
    ]
    assert shown["Tags"] == [{"Key": "env", "Value": "prod"}]
    assert_error(
        ec2.authorize_security_group_ingress,
        "InvalidParameterValue",
        GroupId=group_id,
        IpPermissions=[tcp(23, "10.0.0.0/8")],
        TagSpecifications=[
            {"ResourceType": "security-group", "Tags": [{"Key": "a", "Value": "b"}]}
        ],
    )


def test_modify_security_group_rules(ec2):
    group_id = group(ec2)
    peer = group(ec2, "peer")
    rules = ec2.authorize_security_group_ingress(
        GroupId=group_id, IpPermissions=[tcp(22, "10.0.0.0/8", "10.1.0.0/16")]
    )["SecurityGroupRules"]
    first, second = (r["SecurityGroupRuleId"] for r in rules)
    assert ec2.modify_security_group_rules(
        GroupId=group_id,
        SecurityGroupRules=[
            {
                "SecurityGroupRuleId": first,
                "SecurityGroupRule": {
                    "IpProtocol": "tcp",
                    "FromPort": 80,
                    "ToPort": 80,
                    "ReferencedGroupId": peer,
                    "Description": "web",
                },
            }
        ],
    )["Return"]
    [shown] = ec2.describe_security_group_rules(SecurityGroupRuleIds=[first])["SecurityGroupRules"]
    assert (shown["FromPort"], shown["ReferencedGroupInfo"]["GroupId"], shown["Description"]) == (
        80,
        peer,
        "web",
    )
    assert "CidrIpv4" not in shown
    # Turning the second into a copy of the first is a duplicate.
    assert_error(
        ec2.modify_security_group_rules,
        "InvalidPermission.Duplicate",
        GroupId=group_id,
        SecurityGroupRules=[
            {
                "SecurityGroupRuleId": second,
                "SecurityGroupRule": {
                    "IpProtocol": "tcp",
                    "FromPort": 80,
                    "ToPort": 80,
                    "ReferencedGroupId": peer,
                },
            }
        ],
    )
    assert_error(
        ec2.modify_security_group_rules,
        "InvalidParameterCombination",
        GroupId=group_id,
        SecurityGroupRules=[
            {
                "SecurityGroupRuleId": second,
                "SecurityGroupRule": {
                    "IpProtocol": "-1",
                    "CidrIpv4": "1.0.0.0/8",
                    "CidrIpv6": "::/0",
                },
            }
        ],
    )
    assert_error(
        ec2.modify_security_group_rules,
        "InvalidSecurityGroupRuleId.NotFound",
        GroupId=peer,
        SecurityGroupRules=[
            {
                "SecurityGroupRuleId": second,
                "SecurityGroupRule": {"IpProtocol": "-1", "CidrIpv4": "1.0.0.0/8"},
            }
        ],
    )
    assert_error(
        ec2.modify_security_group_rules,
        "DryRunOperation",
        412,
        GroupId=group_id,
        DryRun=True,
        SecurityGroupRules=[
            {
                "SecurityGroupRuleId": second,
                "SecurityGroupRule": {"IpProtocol": "-1", "CidrIpv4": "1.0.0.0/8"},
            }
        ],
    )
    # The modified rule keeps its id and its place.
    assert [r["SecurityGroupRuleId"] for r in rules_of(ec2, group_id, egress=False)] == [
        first,
        second,
    ]
    [unchanged] = ec2.describe_security_group_rules(SecurityGroupRuleIds=[second])[
        "SecurityGroupRules"
    ]
    assert unchanged["CidrIpv4"] == "10.1.0.0/16"
    # The peer is referenced now: it cannot be deleted.
    assert_error(ec2.delete_security_group, "DependencyViolation", GroupId=peer)


def test_update_rule_descriptions(ec2):
    group_id = group(ec2)
    [rule] = ec2.authorize_security_group_ingress(
        GroupId=group_id, IpPermissions=[tcp(22, "10.0.0.0/8")]
    )["SecurityGroupRules"]
    ec2.update_security_group_rule_descriptions_ingress(
        GroupId=group_id,
        IpPermissions=[tcp(22, IpRanges=[{"CidrIp": "10.0.0.0/8", "Description": "ssh"}])],
    )
    assert described(ec2, group_id)["IpPermissions"][0]["IpRanges"] == [
        {"CidrIp": "10.0.0.0/8", "Description": "ssh"}
    ]
    ec2.update_security_group_rule_descriptions_ingress(
        GroupName="web",
        SecurityGroupRuleDescriptions=[
            {"SecurityGroupRuleId": rule["SecurityGroupRuleId"], "Description": "by id"}
        ],
    )
    [shown] = rules_of(ec2, group_id, egress=False)
    assert shown["Description"] == "by id"
    [egress] = rules_of(ec2, group_id, egress=True)
    ec2.update_security_group_rule_descriptions_egress(
        GroupId=group_id,
        IpPermissions=[
            {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": "out"}]}
        ],
    )
    assert rules_of(ec2, group_id, egress=True)[0]["Description"] == "out"
    assert_error(
        ec2.update_security_group_rule_descriptions_ingress,
        "InvalidPermission.NotFound",
        GroupId=group_id,
        IpPermissions=[tcp(23, "10.0.0.0/8")],
    )
    assert_error(
        ec2.update_security_group_rule_descriptions_egress,
        "InvalidSecurityGroupRuleId.NotFound",
        GroupId=group_id,
        SecurityGroupRuleDescriptions=[
            {"SecurityGroupRuleId": rule["SecurityGroupRuleId"], "Description": "x"}
        ],
    )
    assert_error(
        ec2.update_security_group_rule_descriptions_egress,
        "DryRunOperation",
        412,
        GroupId=group_id,
        DryRun=True,
        SecurityGroupRuleDescriptions=[
            {"SecurityGroupRuleId": egress["SecurityGroupRuleId"], "Description": "y"}
        ],
    )
    assert rules_of(ec2, group_id, egress=True)[0]["Description"] == "out"


def test_dry_run_authorize_and_revoke(ec2):
    group_id = group(ec2)
    for call in (ec2.authorize_security_group_ingress, ec2.authorize_security_group_egress):
        assert_error(
            call,
            "DryRunOperation",
            412,
            GroupId=group_id,
            IpPermissions=[tcp(22, "10.0.0.0/8")],
            DryRun=True,
        )
    assert len(rules_of(ec2, group_id)) == 1
    # A request that would fail says so under DryRun too.
    assert_error(
        ec2.authorize_security_group_egress,
        "InvalidPermission.Duplicate",
        GroupId=group_id,
        IpPermissions=[{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
        DryRun=True,
    )
    [egress] = rules_of(ec2, group_id)
    for call in (ec2.revoke_security_group_egress,):
        assert_error(
            call,
            "DryRunOperation",
            412,
            GroupId=group_id,
            SecurityGroupRuleIds=[egress["SecurityGroupRuleId"]],
            DryRun=True,
        )
    ec2.authorize_security_group_ingress(GroupId=group_id, IpPermissions=[tcp(22, "10.0.0.0/8")])
    assert_error(
        ec2.revoke_security_group_ingress,
        "DryRunOperation",
        412,
        GroupId=group_id,
        IpPermissions=[tcp(22, "10.0.0.0/8")],
        DryRun=True,
    )
    assert len(rules_of(ec2, group_id)) == 2
    assert_error(ec2.describe_security_group_rules, "DryRunOperation", 412, DryRun=True)


def test_group_name_needs_the_default_vpc_and_group_id_must_exist(ec2):
    assert_error(
        ec2.authorize_security_group_ingress,
        "InvalidGroup.NotFound",
        message="The security group 'nope' does not exist in default VPC",
        GroupName="nope",
        IpPermissions=[tcp(22, "10.0.0.0/8")],
    )
    assert_error(
        ec2.authorize_security_group_egress,
        "InvalidGroup.NotFound",
        GroupId="sg-0123456789abcdef0",
        IpPermissions=[tcp(22, "10.0.0.0/8")],
    )
    assert_error(
        ec2.authorize_security_group_ingress,
        "MissingParameter",
        IpPermissions=[tcp(22, "10.0.0.0/8")],
    )


def test_rule_paging_bounds(env, ec2):
    raw = raw_client(env)
    assert_error(raw.describe_security_group_rules, "InvalidParameterValue", MaxResults=4)
