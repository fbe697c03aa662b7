"""CreateTags, DeleteTags, DescribeTags on instances and the network resources."""

from __future__ import annotations

import pytest
from ec2_helpers import assert_error, instance, launch_ids


@pytest.fixture
def resources(ec2):
    """One resource id per taggable kind, with its DescribeTags resource type."""
    [instance_id] = launch_ids(ec2)
    vpc = ec2.describe_vpcs()["Vpcs"][0]["VpcId"]
    subnet = ec2.describe_subnets()["Subnets"][0]["SubnetId"]
    group = ec2.describe_security_groups()["SecurityGroups"][0]["GroupId"]
    return {
        instance_id: "instance",
        vpc: "vpc",
        subnet: "subnet",
        group: "security-group",
    }


def _tags_of(ec2, resource_id):
    found = ec2.describe_tags(Filters=[{"Name": "resource-id", "Values": [resource_id]}])
    return {t["Key"]: t["Value"] for t in found["Tags"]}


def _described_tags(ec2, resource_id, kind):
    if kind == "instance":
        described = instance(ec2, resource_id)
    elif kind == "vpc":
        described = ec2.describe_vpcs(VpcIds=[resource_id])["Vpcs"][0]
    elif kind == "subnet":
        described = ec2.describe_subnets(SubnetIds=[resource_id])["Subnets"][0]
    else:
        described = ec2.describe_security_groups(GroupIds=[resource_id])["SecurityGroups"][0]
    return {t["Key"]: t["Value"] for t in described.get("Tags", [])}


def test_create_tags_on_every_kind(ec2, resources):
    ec2.create_tags(
        Resources=list(resources),
        Tags=[{"Key": "team", "Value": "blue"}, {"Key": "empty", "Value": ""}],
    )
    for resource_id, kind in resources.items():
        assert _tags_of(ec2, resource_id) == {"team": "blue", "empty": ""}
        assert _described_tags(ec2, resource_id, kind) == {"team": "blue", "empty": ""}
    rows = ec2.describe_tags(Filters=[{"Name": "key", "Values": ["team"]}])["Tags"]
    assert {(r["ResourceId"], r["ResourceType"]) for r in rows} == set(resources.items())


def test_create_tags_overwrites_values(ec2, resources):
    [vpc] = [rid for rid, kind in resources.items() if kind == "vpc"]
    ec2.create_tags(Resources=[vpc], Tags=[{"Key": "team", "Value": "blue"}])
    ec2.create_tags(Resources=[vpc], Tags=[{"Key": "team", "Value": "red"}])
    assert _tags_of(ec2, vpc) == {"team": "red"}


def test_tags_filter_the_network_describes(ec2, resources):
    [vpc] = [rid for rid, kind in resources.items() if kind == "vpc"]
    [subnet] = [rid for rid, kind in resources.items() if kind == "subnet"]
    [group] = [rid for rid, kind in resources.items() if kind == "security-group"]
    ec2.create_tags(Resources=[vpc, subnet, group], Tags=[{"Key": "Name", "Value": "main"}])
    name = [{"Name": "tag:Name", "Values": ["main"]}]
    assert [v["VpcId"] for v in ec2.describe_vpcs(Filters=name)["Vpcs"]] == [vpc]
    assert [s["SubnetId"] for s in ec2.describe_subnets(Filters=name)["Subnets"]] == [subnet]
    groups = ec2.describe_security_groups(Filters=name)["SecurityGroups"]
    assert [g["GroupId"] for g in groups] == [group]
    key = [{"Name": "tag-key", "Values": ["Name"]}]
    assert [s["SubnetId"] for s in ec2.describe_subnets(Filters=key)["Subnets"]] == [subnet]


def test_delete_tags_by_key_only(ec2, resources):
    [instance_id] = [rid for rid, kind in resources.items() if kind == "instance"]
    ec2.create_tags(
        Resources=[instance_id],
        Tags=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}],
    )
    ec2.delete_tags(Resources=[instance_id], Tags=[{"Key": "a"}])
    assert _tags_of(ec2, instance_id) == {"b": "2"}


def test_delete_tags_with_value_only_on_match(ec2, resources):
    [subnet] = [rid for rid, kind in resources.items() if kind == "subnet"]
    ec2.create_tags(
        Resources=[subnet], Tags=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}]
    )
    ec2.delete_tags(Resources=[subnet], Tags=[{"Key": "a", "Value": "other"}])
    assert _tags_of(ec2, subnet) == {"a": "1", "b": "2"}
    ec2.delete_tags(Resources=[subnet], Tags=[{"Key": "a", "Value": "1"}])
    assert _tags_of(ec2, subnet) == {"b": "2"}


def test_delete_tags_with_empty_value_matches_only_empty(ec2, resources):
    [group] = [rid for rid, kind in resources.items() if kind == "security-group"]
    ec2.create_tags(Resources=[group], Tags=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": ""}])
    ec2.delete_tags(Resources=[group], Tags=[{"Key": "a", "Value": ""}, {"Key": "b", "Value": ""}])
    assert _tags_of(ec2, group) == {"a": "1"}


def test_delete_all_tags(ec2, resources):
    ids = list(resources)
    ec2.create_tags(Resources=ids, Tags=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}])
    ec2.delete_tags(Resources=ids)
    assert ec2.describe_tags()["Tags"] == []


def test_delete_missing_tag_is_fine(ec2, resources):
    [vpc] = [rid for rid, kind in resources.items() if kind == "vpc"]
    ec2.create_tags(Resources=[vpc], Tags=[{"Key": "a", "Value": "1"}])
    ec2.delete_tags(Resources=[vpc], Tags=[{"Key": "nope"}])
    assert _tags_of(ec2, vpc) == {"a": "1"}


def test_describe_tags_filters(ec2, resources):
    [instance_id] = [rid for rid, kind in resources.items() if kind == "instance"]
    [vpc] = [rid for rid, kind in resources.items() if kind == "vpc"]
    ec2.create_tags(Resources=[instance_id], Tags=[{"Key": "env", "Value": "prod"}])
    ec2.create_tags(Resources=[vpc], Tags=[{"Key": "env", "Value": "dev"}])
    ec2.create_tags(Resources=[vpc], Tags=[{"Key": "owner", "Value": "ops"}])

    def rows(*filters):
        found = ec2.describe_tags(Filters=[{"Name": n, "Values": v} for n, v in filters])
        return {(t["ResourceId"], t["Key"], t["Value"]) for t in found["Tags"]}

    assert rows(("key", ["env"])) == {(instance_id, "env", "prod"), (vpc, "env", "dev")}
    assert rows(("value", ["prod"])) == {(instance_id, "env", "prod")}
    assert rows(("value", ["d*"])) == {(vpc, "env", "dev")}
    assert rows(("resource-type", ["vpc"])) == {(vpc, "env", "dev"), (vpc, "owner", "ops")}
    assert rows(("resource-type", ["instance"]), ("key", ["owner"])) == set()
    assert rows(("resource-id", [instance_id, vpc]), ("key", ["env"])) == {
        (instance_id, "env", "prod"),
        (vpc, "env", "dev"),
    }
    assert_error(
        ec2.describe_tags,
        "InvalidParameterValue",
        message="bogus",
        Filters=[{"Name": "bogus", "Values": ["x"]}],
    )


def test_describe_tags_paging(ec2, resources):
    ids = list(resources)
    ec2.create_tags(Resources=ids, Tags=[{"Key": f"k{n}", "Value": str(n)} for n in range(3)])
    expected = {(rid, f"k{n}") for rid in ids for n in range(3)}
    seen = []
    pages = ec2.get_paginator("describe_tags").paginate(PaginationConfig={"PageSize": 5})
    for page in pages:
        assert len(page["Tags"]) <= 5
        seen += [(t["ResourceId"], t["Key"]) for t in page["Tags"]]
    assert len(seen) == len(expected) == 12
    assert set(seen) == expected

    first = ec2.describe_tags(MaxResults=5)
    assert len(first["Tags"]) == 5 and first["NextToken"]
    assert_error(ec2.describe_tags, "InvalidPaginationToken", NextToken="bogus-token")


@pytest.mark.parametrize(
    ("resource_id", "code"),
    [
        ("i-0123456789abcdef0", "InvalidInstanceID.NotFound"),
        ("vpc-0123456789abcdef0", "InvalidVpcID.NotFound"),
        ("subnet-0123456789abcdef0", "InvalidSubnetID.NotFound"),
        ("sg-0123456789abcdef0", "InvalidGroup.NotFound"),
    ],
)
def test_tagging_unknown_resources(ec2, resource_id, code):
    assert_error(
        ec2.create_tags,
        code,
        message=resource_id,
        Resources=[resource_id],
        Tags=[{"Key": "a", "Value": "b"}],
    )
    assert_error(ec2.delete_tags, code, Resources=[resource_id], Tags=[{"Key": "a"}])


def test_unknown_resource_among_known_changes_nothing(ec2, resources):
    [vpc] = [rid for rid, kind in resources.items() if kind == "vpc"]
    assert_error(
        ec2.create_tags,
        "InvalidInstanceID.NotFound",
        Resources=[vpc, "i-0123456789abcdef0"],
        Tags=[{"Key": "a", "Value": "b"}],
    )
    assert _tags_of(ec2, vpc) == {}


def test_aws_prefix_is_reserved(ec2, resources):
    [vpc] = [rid for rid, kind in resources.items() if kind == "vpc"]
    for key in ("aws:cloudformation:stack-name", "AWS:thing"):
        assert_error(
            ec2.create_tags,
            "InvalidParameterValue",
            message="aws:",
            Resources=[vpc],
            Tags=[{"Key": key, "Value": "x"}],
        )
    assert _tags_of(ec2, vpc) == {}


def test_tag_limit(ec2, resources):
    [instance_id] = [rid for rid, kind in resources.items() if kind == "instance"]
    ec2.create_tags(
        Resources=[instance_id], Tags=[{"Key": f"k{n}", "Value": "v"} for n in range(50)]
    )
    assert len(_tags_of(ec2, instance_id)) == 50
    # overwriting an existing key does not count
    ec2.create_tags(Resources=[instance_id], Tags=[{"Key": "k0", "Value": "new"}])
    assert_error(
        ec2.create_tags,
        "TagLimitExceeded",
        Resources=[instance_id],
        Tags=[{"Key": "one-too-many", "Value": "v"}],
    )
    tags = _tags_of(ec2, instance_id)
    assert len(tags) == 50 and tags["k0"] == "new" and "one-too-many" not in tags


def test_tag_limit_in_one_call(ec2, resources):
    [vpc] = [rid for rid, kind in resources.items() if kind == "vpc"]
    assert_error(
        ec2.create_tags,
        "TagLimitExceeded",
        Resources=[vpc],
        Tags=[{"Key": f"k{n}", "Value": "v"} for n in range(51)],
    )
    assert _tags_of(ec2, vpc) == {}


def test_tag_specifications_limit(ec2):
    assert_error(
        ec2.run_instances,
        "TagLimitExceeded",
        ImageId="ami-12345678",
        MinCount=1,
        MaxCount=1,
        TagSpecifications=[
            {
                "ResourceType": "instance",
                "Tags": [{"Key": f"k{n}", "Value": "v"} for n in range(51)],
            }
        ],
    )
    assert ec2.describe_instances()["Reservations"] == []


def test_key_and_value_lengths(ec2, resources):
    [vpc] = [rid for rid, kind in resources.items() if kind == "vpc"]
    ec2.create_tags(Resources=[vpc], Tags=[{"Key": "k" * 128, "Value": "v" * 256}])
    assert_error(
        ec2.create_tags,
        "InvalidParameterValue",
        Resources=[vpc],
        Tags=[{"Key": "k" * 129, "Value": "v"}],
    )
    assert_error(
        ec2.create_tags,
        "InvalidParameterValue",
        Resources=[vpc],
        Tags=[{"Key": "k", "Value": "v" * 257}],
    )
    assert _tags_of(ec2, vpc) == {"k" * 128: "v" * 256}


def test_terminated_instance_tags_remain_until_it_is_gone(env, ec2, resources):
    [instance_id] = [rid for rid, kind in resources.items() if kind == "instance"]
    ec2.create_tags(Resources=[instance_id], Tags=[{"Key": "a", "Value": "1"}])
    ec2.terminate_instances(InstanceIds=[instance_id])
    assert instance(ec2, instance_id)["State"]["Name"] == "terminated"
    assert _tags_of(ec2, instance_id) == {"a": "1"}
    env.clock.advance(7200)
    assert _tags_of(ec2, instance_id) == {}


@pytest.mark.parametrize("value", ["a&b<c>\"d'", "naïve ✓ 日本", "  spaced  ", "line\nbreak"])
def test_tag_values_survive_the_wire(ec2, resources, value):
    [instance_id] = [rid for rid, kind in resources.items() if kind == "instance"]
    ec2.create_tags(Resources=[instance_id], Tags=[{"Key": "k&<>", "Value": value}])
    assert _tags_of(ec2, instance_id) == {"k&<>": value}
    assert _described_tags(ec2, instance_id, "instance") == {"k&<>": value}
    found = ec2.describe_instances(Filters=[{"Name": "tag:k&<>", "Values": [value]}])
    assert [i["InstanceId"] for r in found["Reservations"] for i in r["Instances"]] == [instance_id]


@pytest.mark.parametrize("bad", ["a\x00b", "bell\x07", "\x1b[31mred", "x\ufffe"])
def test_values_xml_cannot_carry_are_refused_and_nothing_breaks(ec2, bad):
    [iid] = launch_ids(ec2)
    assert_error(
        ec2.create_tags,
        "InvalidParameterValue",
        message="control character",
        Resources=[iid],
        Tags=[{"Key": "k", "Value": bad}],
    )
    # the account still answers describe calls
    assert ec2.describe_tags()["Tags"] == []
    assert instance(ec2, iid)["InstanceId"] == iid


def test_carriage_returns_and_markup_round_trip(ec2):
    [iid] = launch_ids(ec2)
    value = "line one\r\nline two <b>&amp;</b> \"quoted\" 'single' \t tab"
    ec2.create_tags(Resources=[iid], Tags=[{"Key": "note", "Value": value}])
    assert instance(ec2, iid)["Tags"] == [{"Key": "note", "Value": value}]


def test_duplicate_keys_are_refused(ec2):
    [iid] = launch_ids(ec2)
    assert_error(
        ec2.create_tags,
        "InvalidParameterValue",
        message="Duplicate tag key 'Name'",
        Resources=[iid],
        Tags=[{"Key": "Name", "Value": "a"}, {"Key": "Name", "Value": "b"}],
    )
    assert_error(
        ec2.run_instances,
        "InvalidParameterValue",
        message="Duplicate tag key 'Name'",
        ImageId="ami-12345678",
        MinCount=1,
        MaxCount=1,
        TagSpecifications=[
            {
                "ResourceType": "instance",
                "Tags": [{"Key": "Name", "Value": "a"}, {"Key": "Name", "Value": "b"}],
            }
        ],
    )


def test_tag_filters_follow_every_change_of_tags(ec2):
    """tag:KEY filters are answered from an index: it must follow create, retag, untag, delete."""
    vpc = ec2.create_vpc(CidrBlock="10.5.0.0/16")["Vpc"]["VpcId"]
    first, second = (
        ec2.create_subnet(
            VpcId=vpc,
            CidrBlock=f"10.5.{n}.0/24",
            TagSpecifications=[
                {"ResourceType": "subnet", "Tags": [{"Key": "tier", "Value": "db"}]}
            ],
        )["Subnet"]["SubnetId"]
        for n in (1, 2)
    )

    def tiered(*values):
        found = ec2.describe_subnets(Filters=[{"Name": "tag:tier", "Values": list(values)}])
        return [s["SubnetId"] for s in found["Subnets"]]

    assert tiered("db") == [first, second]  # creation order
    ec2.create_tags(Resources=[first], Tags=[{"Key": "tier", "Value": "web"}])
    assert tiered("db") == [second]
    assert tiered("web") == [first]
    assert tiered("web", "db") == [first, second]
    ec2.delete_tags(Resources=[second], Tags=[{"Key": "tier", "Value": "other"}])
    assert tiered("db") == [second]  # a Value that does not match deletes nothing
    ec2.delete_tags(Resources=[second], Tags=[{"Key": "tier"}])
    assert tiered("db") == []
    ec2.delete_subnet(SubnetId=first)
    assert tiered("web") == []
    # wildcards and exact ids still combine with the index
    ec2.create_tags(Resources=[second], Tags=[{"Key": "tier", "Value": "cache"}])
    assert tiered("c*") == [second]
    found = ec2.describe_subnets(
        Filters=[
            {"Name": "vpc-id", "Values": [vpc, "vpc-0123456789abcdef0"]},
            {"Name": "tag:tier", "Values": ["cache"]},
        ]
    )["Subnets"]
    assert [s["SubnetId"] for s in found] == [second]
