"""Security groups: create, delete, describe and its filters, VPC associations, stale rules."""

from __future__ import annotations

import re

import pytest
from ec2_helpers import ID17, assert_error, delete_default_vpc
from sg_helpers import (
    WAIT,
    account_of,
    default_vpc,
    described,
    extra_vpc,
    group,
    raw_client,
    rules_of,
    tcp,
)


def test_create_group_with_default_egress_and_tags(ec2):
    made = ec2.create_security_group(
        GroupName="web",
        Description="web servers",
        TagSpecifications=[
            {"ResourceType": "security-group", "Tags": [{"Key": "team", "Value": "a"}]}
        ],
    )
    assert re.fullmatch(rf"sg-{ID17}", made["GroupId"])
    assert made["Tags"] == [{"Key": "team", "Value": "a"}]
    account = account_of(ec2)
    assert made["SecurityGroupArn"] == (
        f"arn:aws:ec2:eu-west-1:{account}:security-group/{made['GroupId']}"
    )
    shown = described(ec2, made["GroupId"])
    assert shown["GroupName"] == "web"
    assert shown["Description"] == "web servers"
    assert shown["VpcId"] == default_vpc(ec2)
    assert shown["OwnerId"] == account
    assert shown["IpPermissions"] == []
    assert shown["IpPermissionsEgress"] == [
        {
            "IpProtocol": "-1",
            "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
            "Ipv6Ranges": [],
            "PrefixListIds": [],
            "UserIdGroupPairs": [],
        }
    ]
    [egress] = rules_of(ec2, made["GroupId"])
    assert egress["IsEgress"] is True
    assert (egress["IpProtocol"], egress["FromPort"], egress["ToPort"]) == ("-1", -1, -1)
    assert egress["CidrIpv4"] == "0.0.0.0/0"


def test_default_group_rules(ec2):
    default = ec2.describe_security_groups(GroupNames=["default"])["SecurityGroups"][0]
    [inbound] = default["IpPermissions"]
    assert inbound["IpProtocol"] == "-1"
    assert inbound["UserIdGroupPairs"] == [
        {"GroupId": default["GroupId"], "UserId": default["OwnerId"]}
    ]
    assert default["IpPermissionsEgress"][0]["IpRanges"] == [{"CidrIp": "0.0.0.0/0"}]


@pytest.mark.parametrize(
    ("name", "description", "code", "message"),
    [
        ("sg-web", "d", "InvalidParameterValue", r"may not be in the format sg-\*"),
        ("x" * 256, "d", "InvalidParameterValue", "Length exceeds maximum of 255"),
        ("bad%name", "d", "InvalidParameterValue", "Valid characters"),
        ("ok", "caf\u00e9", "InvalidParameterValue", "beyond ASCII"),
        ("ok", "", "MissingParameter", "GroupDescription"),
        ("", "d", "InvalidParameterValue", "cannot be empty"),
    ],
)
def test_create_refuses_bad_names_and_descriptions(ec2, name, description, code, message):
    assert_error(
        ec2.create_security_group, code, message=message, GroupName=name, Description=description
    )


def test_create_refuses_duplicate_names_whatever_the_case(ec2):
    group(ec2, "web")
    vpc_id = default_vpc(ec2)
    assert_error(
        ec2.create_security_group,
        "InvalidGroup.Duplicate",
        message=f"The security group 'WEB' already exists for VPC '{vpc_id}'",
        GroupName="WEB",
        Description="d",
    )
    assert_error(
        ec2.create_security_group,
        "InvalidGroup.Duplicate",
        GroupName="default",
        Description="d",
    )


def test_create_in_unknown_vpc_and_dry_run(ec2):
    assert_error(
        ec2.create_security_group,
        "InvalidVpcID.NotFound",
        GroupName="a",
        Description="d",
        VpcId="vpc-0123456789abcdef0",
    )
    assert_error(
        ec2.create_security_group,
        "DryRunOperation",
        412,
        GroupName="a",
        Description="d",
        DryRun=True,
    )
    names = [g["GroupName"] for g in ec2.describe_security_groups()["SecurityGroups"]]
    assert names == ["default"]


def test_group_in_a_non_default_vpc(env, ec2):
    vpc_id = extra_vpc(ec2)
    group_id = group(ec2, "web", vpc_id)
    assert described(ec2, group_id)["VpcId"] == vpc_id
    # The same name may live in another VPC.
    group(ec2, "web")


def test_delete_by_id_and_by_name(ec2):
    first = group(ec2, "one")
    second = group(ec2, "two")
    ec2.delete_security_group(GroupId=first)
    ec2.delete_security_group(GroupName="two")
    assert_error(ec2.describe_security_groups, "InvalidGroup.NotFound", GroupIds=[first])
    assert_error(ec2.describe_security_groups, "InvalidGroup.NotFound", GroupIds=[second])
    assert_error(
        ec2.delete_security_group,
        "InvalidGroup.NotFound",
        message="The security group 'two' does not exist in default VPC",
        GroupName="two",
    )
    assert_error(ec2.delete_security_group, "InvalidGroupId.Malformed", GroupId="sg-nope")


def test_delete_returns_the_group_id(ec2):
    group_id = group(ec2)
    out = ec2.delete_security_group(GroupId=group_id)
    assert out["Return"] is True
    assert out["GroupId"] == group_id


def test_default_group_cannot_be_deleted(ec2):
    default = ec2.describe_security_groups(GroupNames=["default"])["SecurityGroups"][0]
    assert_error(
        ec2.delete_security_group,
        "CannotDelete",
        message=f'"{default["GroupId"]}" name: "default" cannot be deleted',
        GroupId=default["GroupId"],
    )


def test_referenced_group_cannot_be_deleted(ec2):
    target = group(ec2, "db")
    source = group(ec2, "app")
    ec2.authorize_security_group_ingress(
        GroupId=target,
        IpPermissions=[tcp(5432, UserIdGroupPairs=[{"GroupId": source}])],
    )
    assert_error(
        ec2.delete_security_group,
        "DependencyViolation",
        message=f"resource {source} has a dependent object",
        GroupId=source,
    )
    # A group referencing itself, or referencing others, can go.
    ec2.authorize_security_group_ingress(
        GroupId=target, IpPermissions=[tcp(1, UserIdGroupPairs=[{"GroupId": target}])]
    )
    ec2.delete_security_group(GroupId=target)
    ec2.delete_security_group(GroupId=source)


def test_delete_dry_run(ec2):
    group_id = group(ec2)
    assert_error(ec2.delete_security_group, "DryRunOperation", 412, GroupId=group_id, DryRun=True)
    described(ec2, group_id)


def test_describe_by_name_and_missing_ids(ec2):
    group_id = group(ec2, "web")
    [found] = ec2.describe_security_groups(GroupNames=["web"])["SecurityGroups"]
    assert found["GroupId"] == group_id
    assert_error(
        ec2.describe_security_groups,
        "InvalidGroup.NotFound",
        message="The security group 'sg-0123456789abcdef0' does not exist",
        GroupIds=["sg-0123456789abcdef0"],
    )


def _filter_fixture(ec2):
    """A group with one rule of each kind, in and out, and a plain one."""
    other = group(ec2, "peer")
    pl = ec2.describe_prefix_lists()["PrefixLists"][0]["PrefixListId"]
    target = group(
        ec2,
        "target",
        TagSpecifications=[
            {"ResourceType": "security-group", "Tags": [{"Key": "k", "Value": "v"}]}
        ],
    )
    permissions = [
        tcp(22, "10.0.0.0/8"),
        {
            "IpProtocol": "udp",
            "FromPort": 53,
            "ToPort": 54,
            "Ipv6Ranges": [{"CidrIpv6": "2001:db8::/32"}],
            "PrefixListIds": [{"PrefixListId": pl}],
            "UserIdGroupPairs": [{"GroupId": other}],
        },
    ]
    ec2.authorize_security_group_ingress(GroupId=target, IpPermissions=permissions)
    ec2.authorize_security_group_egress(GroupId=target, IpPermissions=permissions)
    return target, other, pl


def test_every_documented_filter(ec2):
    target, other, pl = _filter_fixture(ec2)
    account = account_of(ec2)
    vpc_id = default_vpc(ec2)
    direction = {
        "cidr": ("10.0.0.0/8", "10.0.0.0/9"),
        "ipv6-cidr": ("2001:db8::/32", "2001:db8::/33"),
        "prefix-list-id": (pl, "pl-00000000"),
        "group-id": (other, "sg-00000000"),
        "group-name": ("peer", "nope"),
        "user-id": (account, "000000000000"),
        "from-port": ("53", "55"),
        "to-port": ("54", "55"),
        "protocol": ("udp", "icmp"),
    }
    cases = {
        "description": ("target group", "nope"),
        "group-id": (target, other),
        "group-name": ("target", "nope"),
        "owner-id": (account, "000000000000"),
        "vpc-id": (vpc_id, "vpc-00000000"),
        "tag:k": ("v", "w"),
        "tag-key": ("k", "x"),
        **{f"ip-permission.{k}": v for k, v in direction.items()},
        **{f"egress.ip-permission.{k}": v for k, v in direction.items()},
    }
    for name, (hit, miss) in cases.items():
        found = ec2.describe_security_groups(Filters=[{"Name": name, "Values": [hit]}])
        assert target in {g["GroupId"] for g in found["SecurityGroups"]}, name
        found = ec2.describe_security_groups(
            Filters=[{"Name": name, "Values": [miss]}, {"Name": "group-id", "Values": [target]}]
        )
        assert found["SecurityGroups"] == [], name
    # The default egress rule is on every group: egress CIDR 0.0.0.0/0 finds them all.
    found = ec2.describe_security_groups(
        Filters=[{"Name": "egress.ip-permission.cidr", "Values": ["0.0.0.0/0"]}]
    )
    assert {target, other} <= {g["GroupId"] for g in found["SecurityGroups"]}
    assert_error(
        ec2.describe_security_groups,
        "InvalidParameterValue",
        Filters=[{"Name": "nonsense", "Values": ["x"]}],
    )


def test_describe_paging(env, ec2):
    for index in range(6):
        group(ec2, f"g{index}")
    first = ec2.describe_security_groups(MaxResults=5)
    assert len(first["SecurityGroups"]) == 5
    rest = ec2.describe_security_groups(MaxResults=5, NextToken=first["NextToken"])
    assert len(rest["SecurityGroups"]) == 2
    assert "NextToken" not in rest
    raw = raw_client(env)
    assert_error(raw.describe_security_groups, "InvalidParameterValue", MaxResults=4)
    assert_error(raw.describe_security_groups, "InvalidParameterValue", MaxResults=1001)


def test_security_group_exists_waiter(ec2):
    group_id = group(ec2)
    ec2.get_waiter("security_group_exists").wait(GroupIds=[group_id], WaiterConfig=WAIT)


def test_describe_security_groups_dry_run(ec2):
    assert_error(ec2.describe_security_groups, "DryRunOperation", 412, DryRun=True)


# -- VPC associations


def test_associate_and_disassociate_a_vpc(env, ec2):
    vpc_id = extra_vpc(ec2)
    group_id = group(ec2, "shared")
    assert ec2.associate_security_group_vpc(GroupId=group_id, VpcId=vpc_id)["State"] in (
        "associating",
        "associated",
    )
    ec2.get_waiter("security_group_vpc_association_associated").wait(
        Filters=[{"Name": "group-id", "Values": [group_id]}], WaiterConfig=WAIT
    )
    [association] = ec2.describe_security_group_vpc_associations()["SecurityGroupVpcAssociations"]
    account = account_of(ec2)
    assert association == {
        "GroupId": group_id,
        "VpcId": vpc_id,
        "VpcOwnerId": account,
        "State": "associated",
        "GroupOwnerId": account,
    }
    for name, value in [
        ("group-id", group_id),
        ("group-owner-id", account),
        ("state", "associated"),
        ("vpc-id", vpc_id),
        ("vpc-owner-id", account),
    ]:
        hit = ec2.describe_security_group_vpc_associations(
            Filters=[{"Name": name, "Values": [value]}]
        )
        assert len(hit["SecurityGroupVpcAssociations"]) == 1, name
        miss = ec2.describe_security_group_vpc_associations(
            Filters=[{"Name": name, "Values": ["x"]}]
        )
        assert miss["SecurityGroupVpcAssociations"] == [], name
    # Usable in the VPC now; and it cannot be deleted while associated.
    in_vpc = ec2.get_security_groups_for_vpc(VpcId=vpc_id)["SecurityGroupForVpcs"]
    assert group_id in {g["GroupId"] for g in in_vpc}
    assert_error(ec2.delete_security_group, "DependencyViolation", GroupId=group_id)
    assert_error(
        ec2.associate_security_group_vpc,
        "Resource.AlreadyAssociated",
        GroupId=group_id,
        VpcId=vpc_id,
    )
    assert ec2.disassociate_security_group_vpc(GroupId=group_id, VpcId=vpc_id)["State"] == (
        "disassociating"
    )
    ec2.get_waiter("security_group_vpc_association_disassociated").wait(
        Filters=[{"Name": "group-id", "Values": [group_id]}], WaiterConfig=WAIT
    )
    in_vpc = ec2.get_security_groups_for_vpc(VpcId=vpc_id)["SecurityGroupForVpcs"]
    assert group_id not in {g["GroupId"] for g in in_vpc}
    ec2.delete_security_group(GroupId=group_id)


def test_association_states_follow_the_clock(env, ec2_options):
    ec2_options(transition_delay=30)
    ec2 = env.client()
    vpc_id = extra_vpc(ec2)
    group_id = group(ec2)
    assert (
        ec2.associate_security_group_vpc(GroupId=group_id, VpcId=vpc_id)["State"] == "associating"
    )
    states = ec2.describe_security_group_vpc_associations()["SecurityGroupVpcAssociations"]
    assert states[0]["State"] == "associating"
    # Not yet associated: nothing to disassociate.
    assert_error(
        ec2.disassociate_security_group_vpc,
        "InvalidAssociationID.NotFound",
        GroupId=group_id,
        VpcId=vpc_id,
    )
    env.clock.advance(30)
    states = ec2.describe_security_group_vpc_associations()["SecurityGroupVpcAssociations"]
    assert states[0]["State"] == "associated"


def test_association_errors_and_dry_run(env, ec2):
    vpc_id = extra_vpc(ec2)
    group_id = group(ec2)
    default_id = ec2.describe_security_groups(GroupNames=["default"])["SecurityGroups"][0][
        "GroupId"
    ]
    assert_error(
        ec2.associate_security_group_vpc,
        "InvalidParameterValue",
        message="default security group",
        GroupId=default_id,
        VpcId=vpc_id,
    )
    assert_error(
        ec2.associate_security_group_vpc,
        "InvalidParameterValue",
        message="default VPC",
        GroupId=group(ec2, "other", vpc_id),
        VpcId=default_vpc(ec2),
    )
    assert_error(
        ec2.associate_security_group_vpc,
        "InvalidVpcID.NotFound",
        GroupId=group_id,
        VpcId="vpc-0123456789abcdef0",
    )
    assert_error(
        ec2.associate_security_group_vpc,
        "DryRunOperation",
        412,
        GroupId=group_id,
        VpcId=vpc_id,
        DryRun=True,
    )
    assert ec2.describe_security_group_vpc_associations()["SecurityGroupVpcAssociations"] == []
    assert_error(
        ec2.disassociate_security_group_vpc,
        "InvalidAssociationID.NotFound",
        GroupId=group_id,
        VpcId=vpc_id,
    )
    ec2.associate_security_group_vpc(GroupId=group_id, VpcId=vpc_id)
    assert_error(
        ec2.disassociate_security_group_vpc,
        "DryRunOperation",
        412,
        GroupId=group_id,
        VpcId=vpc_id,
        DryRun=True,
    )


def test_get_security_groups_for_vpc_filters_and_paging(env, ec2):
    vpc_id = extra_vpc(ec2)
    web = group(
        ec2,
        "web",
        vpc_id,
        TagSpecifications=[
            {"ResourceType": "security-group", "Tags": [{"Key": "k", "Value": "v"}]}
        ],
    )
    found = ec2.get_security_groups_for_vpc(VpcId=vpc_id)["SecurityGroupForVpcs"]
    assert {g["GroupName"] for g in found} == {"default", "web"}
    [shown] = [g for g in found if g["GroupId"] == web]
    assert shown == {
        "Description": "web group",
        "GroupName": "web",
        "OwnerId": account_of(ec2),
        "GroupId": web,
        "Tags": [{"Key": "k", "Value": "v"}],
        "PrimaryVpcId": vpc_id,
    }
    for name, value in [
        ("description", "web group"),
        ("group-id", web),
        ("group-name", "web"),
        ("owner-id", account_of(ec2)),
        ("primary-vpc-id", vpc_id),
    ]:
        hit = ec2.get_security_groups_for_vpc(
            VpcId=vpc_id, Filters=[{"Name": name, "Values": [value]}]
        )
        assert web in {g["GroupId"] for g in hit["SecurityGroupForVpcs"]}, name
        miss = ec2.get_security_groups_for_vpc(
            VpcId=vpc_id, Filters=[{"Name": name, "Values": ["x"]}]
        )
        assert miss["SecurityGroupForVpcs"] == [], name
    for index in range(4):
        group(ec2, f"g{index}", vpc_id)
    first = ec2.get_security_groups_for_vpc(VpcId=vpc_id, MaxResults=5)
    assert len(first["SecurityGroupForVpcs"]) == 5
    rest = ec2.get_security_groups_for_vpc(VpcId=vpc_id, MaxResults=5, NextToken=first["NextToken"])
    assert len(rest["SecurityGroupForVpcs"]) == 1
    assert_error(ec2.get_security_groups_for_vpc, "InvalidVpcID.NotFound", VpcId="vpc-00000000")


def test_references_and_stale_rules_across_an_association(env, ec2):
    vpc_id = extra_vpc(ec2)
    shared = group(ec2, "shared")
    ec2.associate_security_group_vpc(GroupId=shared, VpcId=vpc_id)
    local = group(ec2, "local", vpc_id)
    ec2.authorize_security_group_ingress(
        GroupId=local, IpPermissions=[tcp(443, UserIdGroupPairs=[{"GroupId": shared}])]
    )
    # Not across a peering connection: not what DescribeSecurityGroupReferences reports.
    refs = ec2.describe_security_group_references(GroupId=[shared])["SecurityGroupReferenceSet"]
    assert refs == []
    assert ec2.describe_stale_security_groups(VpcId=vpc_id)["StaleSecurityGroupSet"] == []
    ec2.disassociate_security_group_vpc(GroupId=shared, VpcId=vpc_id)
    [stale] = ec2.describe_stale_security_groups(VpcId=vpc_id)["StaleSecurityGroupSet"]
    assert stale["GroupId"] == local
    assert stale["GroupName"] == "local"
    assert stale["VpcId"] == vpc_id
    assert stale["StaleIpPermissionsEgress"] == []
    [permission] = stale["StaleIpPermissions"]
    assert permission["IpProtocol"] == "tcp"
    assert (permission["FromPort"], permission["ToPort"]) == (443, 443)
    assert permission["UserIdGroupPairs"][0]["GroupId"] == shared
    # A group referenced only from another VPC can be deleted; the rule stays, stale.
    ec2.get_waiter("security_group_vpc_association_disassociated").wait(
        Filters=[{"Name": "group-id", "Values": [shared]}], WaiterConfig=WAIT
    )
    ec2.delete_security_group(GroupId=shared)
    assert len(ec2.describe_stale_security_groups(VpcId=vpc_id)["StaleSecurityGroupSet"]) == 1
    # A stale rule can still be revoked by what it names.
    out = ec2.revoke_security_group_ingress(
        GroupId=local, IpPermissions=[tcp(443, UserIdGroupPairs=[{"GroupId": shared}])]
    )
    assert len(out["RevokedSecurityGroupRules"]) == 1
    assert ec2.describe_stale_security_groups(VpcId=vpc_id)["StaleSecurityGroupSet"] == []
    assert_error(
        raw_client(env).describe_stale_security_groups,
        "InvalidParameterValue",
        VpcId=vpc_id,
        MaxResults=256,
    )
    assert_error(
        ec2.describe_security_group_references, "InvalidGroup.NotFound", GroupId=["sg-00000000"]
    )


def test_reference_to_a_group_in_another_vpc_is_refused(env, ec2):
    vpc_id = extra_vpc(ec2)
    elsewhere = group(ec2, "elsewhere", vpc_id)
    here = group(ec2, "here")
    assert_error(
        ec2.authorize_security_group_ingress,
        "InvalidParameter",
        message="two resources that belong to different networks",
        GroupId=here,
        IpPermissions=[tcp(1, UserIdGroupPairs=[{"GroupId": elsewhere}])],
    )


def test_cross_account_references(env, ec2):
    other = env.client(aws_access_key_id="111122223333", aws_secret_access_key="x")
    theirs = group(other, "theirs")
    mine = group(ec2, "mine")
    assert_error(
        ec2.authorize_security_group_ingress,
        "InvalidGroup.NotFound",
        GroupId=mine,
        IpPermissions=[tcp(1, UserIdGroupPairs=[{"GroupId": theirs, "UserId": "444455556666"}])],
    )
    # Another account's group is named with its owner.
    assert_error(
        ec2.authorize_security_group_ingress,
        "InvalidGroup.NotFound",
        GroupId=mine,
        IpPermissions=[tcp(1, UserIdGroupPairs=[{"GroupId": theirs}])],
    )
    # It exists, but in the other account's VPC: no peering, no reference.
    assert_error(
        ec2.authorize_security_group_ingress,
        "InvalidParameter",
        GroupId=mine,
        IpPermissions=[tcp(1, UserIdGroupPairs=[{"GroupId": theirs, "UserId": "111122223333"}])],
    )


def test_validate_quotas_for_interface(ec2):
    ids = [group(ec2, f"g{i}") for i in range(6)]
    assert (
        ec2.validate_security_group_quotas_for_interface(SecurityGroupIds=ids[:5])["Valid"] is True
    )
    assert_error(
        ec2.validate_security_group_quotas_for_interface,
        "SecurityGroupsPerInterfaceLimitExceeded",
        SecurityGroupIds=ids,
    )
    assert_error(
        ec2.validate_security_group_quotas_for_interface,
        "InvalidParameterValue",
        SecurityGroupIds=[ids[0], ids[0]],
    )
    assert_error(
        ec2.validate_security_group_quotas_for_interface,
        "InvalidGroup.NotFound",
        SecurityGroupIds=["sg-00000000"],
    )
    assert_error(
        ec2.validate_security_group_quotas_for_interface,
        "DryRunOperation",
        412,
        SecurityGroupIds=ids[:1],
        DryRun=True,
    )


def test_a_group_holds_its_vpc_and_no_default_vpc(env, ec2):
    """DeleteVpc refuses while a non-default group is in the VPC; no default VPC, no VpcId."""
    vpc_id = extra_vpc(ec2)
    group_id = group(ec2, "web", vpc_id)
    assert_error(ec2.delete_vpc, "DependencyViolation", VpcId=vpc_id)
    ec2.delete_security_group(GroupId=group_id)
    ec2.delete_vpc(VpcId=vpc_id)  # its default group goes with it
    assert_error(ec2.describe_vpcs, "InvalidVpcID.NotFound", VpcIds=[vpc_id])
    delete_default_vpc(ec2)
    assert_error(
        ec2.create_security_group,
        "VPCIdNotSpecified",
        message="No default VPC for this user",
        GroupName="x",
        Description="d",
    )


def test_references_across_a_peering_connection(env, ec2):
    vpc_id = extra_vpc(ec2)
    home = default_vpc(ec2)
    pcx = ec2.create_vpc_peering_connection(VpcId=home, PeerVpcId=vpc_id)["VpcPeeringConnection"][
        "VpcPeeringConnectionId"
    ]
    ec2.accept_vpc_peering_connection(VpcPeeringConnectionId=pcx)
    mine = group(ec2, "mine")
    theirs = group(ec2, "theirs", vpc_id)
    [rule] = ec2.authorize_security_group_ingress(
        GroupId=theirs, IpPermissions=[tcp(5432, UserIdGroupPairs=[{"GroupId": mine}])]
    )["SecurityGroupRules"]
    assert rule["ReferencedGroupInfo"] == {
        "GroupId": mine,
        "UserId": account_of(ec2),
        "VpcId": home,
        "VpcPeeringConnectionId": pcx,
        "PeeringStatus": "active",
    }
    [pair] = described(ec2, theirs)["IpPermissions"][0]["UserIdGroupPairs"]
    assert pair["VpcPeeringConnectionId"] == pcx
    refs = ec2.describe_security_group_references(GroupId=[mine])["SecurityGroupReferenceSet"]
    assert refs == [
        {
            "GroupId": mine,
            "ReferencingVpcId": vpc_id,
            "VpcPeeringConnectionId": pcx,
        }
    ]
    # A reference from another VPC does not stop a delete; the peering going makes it stale.
    assert ec2.describe_stale_security_groups(VpcId=vpc_id)["StaleSecurityGroupSet"] == []
    ec2.delete_vpc_peering_connection(VpcPeeringConnectionId=pcx)
    [stale] = ec2.describe_stale_security_groups(VpcId=vpc_id)["StaleSecurityGroupSet"]
    [pair] = stale["StaleIpPermissions"][0]["UserIdGroupPairs"]
    assert pair["PeeringStatus"] == "deleted"
    assert pair["VpcId"] == home
    ec2.delete_security_group(GroupId=mine)
