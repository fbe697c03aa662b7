"""Managed prefix lists: versions, entries, associations, AWS's lists, DescribePrefixLists."""

from __future__ import annotations

import re

import pytest
from ec2_helpers import ID17, assert_error
from sg_helpers import account_of, group, raw_client, tcp


def _create(ec2, name="mine", max_entries=5, family="IPv4", entries=("10.0.0.0/16",), **kw):
    return ec2.create_managed_prefix_list(
        PrefixListName=name,
        MaxEntries=max_entries,
        AddressFamily=family,
        Entries=[{"Cidr": c} for c in entries],
        **kw,
    )["PrefixList"]


def _entries(ec2, pl_id, **kw):
    return ec2.get_managed_prefix_list_entries(PrefixListId=pl_id, **kw)["Entries"]


def _one(ec2, pl_id):
    return ec2.describe_managed_prefix_lists(PrefixListIds=[pl_id])["PrefixLists"][0]


def test_create_and_describe(ec2):
    made = ec2.create_managed_prefix_list(
        PrefixListName="office",
        MaxEntries=5,
        AddressFamily="IPv4",
        Entries=[{"Cidr": "10.0.0.1/16", "Description": "hq"}, {"Cidr": "192.168.1.0/24"}],
        TagSpecifications=[{"ResourceType": "prefix-list", "Tags": [{"Key": "k", "Value": "v"}]}],
    )["PrefixList"]
    account = account_of(ec2)
    assert re.fullmatch(rf"pl-{ID17}", made["PrefixListId"])
    assert made["State"] == "create-in-progress"
    assert made["Version"] == 1
    assert made["OwnerId"] == account
    assert (
        made["PrefixListArn"]
        == f"arn:aws:ec2:eu-west-1:{account}:prefix-list/{made['PrefixListId']}"
    )
    assert made["Tags"] == [{"Key": "k", "Value": "v"}]
    shown = _one(ec2, made["PrefixListId"])
    assert shown["State"] == "create-complete"
    assert (shown["PrefixListName"], shown["MaxEntries"], shown["AddressFamily"]) == (
        "office",
        5,
        "IPv4",
    )
    assert _entries(ec2, made["PrefixListId"]) == [
        {"Cidr": "10.0.0.0/16", "Description": "hq"},
        {"Cidr": "192.168.1.0/24"},
    ]
    tags = ec2.describe_tags(Filters=[{"Name": "resource-type", "Values": ["prefix-list"]}])["Tags"]
    assert [t["ResourceId"] for t in tags] == [made["PrefixListId"]]


def test_states_follow_the_clock(env, ec2_options):
    ec2_options(transition_delay=10)
    ec2 = env.client()
    pl = _create(ec2)
    assert _one(ec2, pl["PrefixListId"])["State"] == "create-in-progress"
    assert_error(
        ec2.modify_managed_prefix_list,
        "IncorrectState",
        message=r"create-in-progress",
        PrefixListId=pl["PrefixListId"],
        PrefixListName="x",
    )
    env.clock.advance(10)
    assert _one(ec2, pl["PrefixListId"])["State"] == "create-complete"
    modified = ec2.modify_managed_prefix_list(
        PrefixListId=pl["PrefixListId"], AddEntries=[{"Cidr": "10.9.0.0/16"}]
    )["PrefixList"]
    assert modified["State"] == "modify-in-progress"
    env.clock.advance(10)
    assert _one(ec2, pl["PrefixListId"])["State"] == "modify-complete"
    deleted = ec2.delete_managed_prefix_list(PrefixListId=pl["PrefixListId"])["PrefixList"]
    assert deleted["State"] == "delete-in-progress"
    env.clock.advance(10)
    assert_error(
        ec2.describe_managed_prefix_lists,
        "InvalidPrefixListID.NotFound",
        PrefixListIds=[pl["PrefixListId"]],
    )


@pytest.mark.parametrize(
    ("kw", "code", "message"),
    [
        ({"AddressFamily": "IPv5"}, "InvalidParameterValue", "addressFamily"),
        ({"Entries": [{"Cidr": "2001:db8::/32"}]}, "InvalidParameterValue", "address family"),
        ({"Entries": [{"Cidr": "10.0.0.0/33"}]}, "InvalidParameterValue", "10.0.0.0/33"),
        (
            {"Entries": [{"Cidr": "10.0.0.0/16"}, {"Cidr": "10.0.0.0/16"}]},
            "InvalidParameterValue",
            "duplicate",
        ),
        (
            {"MaxEntries": 1, "Entries": [{"Cidr": "10.0.0.0/16"}, {"Cidr": "10.1.0.0/16"}]},
            "InvalidParameterValue",
            "exceeds",
        ),
        ({"PrefixListName": "com.amazonaws.mine"}, "InvalidParameterValue", "com.amazonaws"),
        ({"MaxEntries": 1001}, "InvalidParameterValue", "maxEntries"),
        (
            {"TagSpecifications": [{"ResourceType": "vpc", "Tags": []}]},
            "InvalidParameterValue",
            "vpc",
        ),
    ],
)
def test_create_validation(ec2, kw, code, message):
    args = {"PrefixListName": "x", "MaxEntries": 5, "AddressFamily": "IPv4", **kw}
    assert_error(ec2.create_managed_prefix_list, code, message=message, **args)
    assert [p["OwnerId"] for p in ec2.describe_managed_prefix_lists()["PrefixLists"]] == ["AWS"] * 5


def test_ipv6_list(ec2):
    pl = _create(ec2, family="IPv6", entries=("2001:db8::1/64",))
    assert _entries(ec2, pl["PrefixListId"]) == [{"Cidr": "2001:db8::/64"}]


def test_client_token_is_idempotent(ec2):
    first = _create(ec2, ClientToken="token-1")
    again = _create(ec2, ClientToken="token-1")
    assert again["PrefixListId"] == first["PrefixListId"]
    assert_error(
        ec2.create_managed_prefix_list,
        "IdempotentParameterMismatch",
        PrefixListName="other",
        MaxEntries=5,
        AddressFamily="IPv4",
        ClientToken="token-1",
    )


def test_modify_versions_and_restore(ec2):
    pl_id = _create(ec2, entries=("10.0.0.0/16", "10.1.0.0/16"))["PrefixListId"]
    out = ec2.modify_managed_prefix_list(
        PrefixListId=pl_id,
        CurrentVersion=1,
        AddEntries=[{"Cidr": "10.2.0.0/16", "Description": "new"}],
        RemoveEntries=[{"Cidr": "10.0.0.0/16"}],
    )["PrefixList"]
    assert out["Version"] == 2
    assert _entries(ec2, pl_id) == [
        {"Cidr": "10.1.0.0/16"},
        {"Cidr": "10.2.0.0/16", "Description": "new"},
    ]
    assert _entries(ec2, pl_id, TargetVersion=1) == [
        {"Cidr": "10.0.0.0/16"},
        {"Cidr": "10.1.0.0/16"},
    ]
    # A stale writer is refused.
    assert_error(
        ec2.modify_managed_prefix_list,
        "PrefixListVersionMismatch",
        message="incorrect version number",
        PrefixListId=pl_id,
        CurrentVersion=1,
        AddEntries=[{"Cidr": "10.3.0.0/16"}],
    )
    # Renaming and resizing do not make a version.
    renamed = ec2.modify_managed_prefix_list(PrefixListId=pl_id, PrefixListName="renamed")[
        "PrefixList"
    ]
    assert (renamed["PrefixListName"], renamed["Version"]) == ("renamed", 2)
    resized = ec2.modify_managed_prefix_list(PrefixListId=pl_id, MaxEntries=10)["PrefixList"]
    assert (resized["MaxEntries"], resized["Version"]) == (10, 2)
    restored = ec2.restore_managed_prefix_list_version(
        PrefixListId=pl_id, PreviousVersion=1, CurrentVersion=2
    )["PrefixList"]
    assert restored["Version"] == 3
    assert restored["State"] in ("restore-in-progress", "restore-complete")
    assert _entries(ec2, pl_id) == [{"Cidr": "10.0.0.0/16"}, {"Cidr": "10.1.0.0/16"}]
    assert _one(ec2, pl_id)["State"] == "restore-complete"
    assert_error(
        ec2.restore_managed_prefix_list_version,
        "PrefixListVersionMismatch",
        PrefixListId=pl_id,
        PreviousVersion=1,
        CurrentVersion=2,
    )
    assert_error(
        ec2.restore_managed_prefix_list_version,
        "InvalidParameterValue",
        PrefixListId=pl_id,
        PreviousVersion=7,
        CurrentVersion=3,
    )
    assert_error(
        ec2.get_managed_prefix_list_entries,
        "InvalidParameterValue",
        PrefixListId=pl_id,
        TargetVersion=9,
    )


@pytest.mark.parametrize(
    ("kw", "code"),
    [
        ({"AddEntries": [{"Cidr": "10.9.0.0/16"}], "MaxEntries": 9}, "InvalidParameterCombination"),
        ({"AddEntries": [{"Cidr": "10.0.0.0/16"}]}, "InvalidParameterValue"),
        ({"RemoveEntries": [{"Cidr": "10.9.0.0/16"}]}, "InvalidParameterValue"),
        (
            {"AddEntries": [{"Cidr": f"10.{i}.0.0/16"} for i in range(1, 3)]},
            "InvalidParameterValue",
        ),
        ({"MaxEntries": 0}, "InvalidParameterValue"),
        ({"IpamPrefixListResolverSyncEnabled": True}, "InvalidParameterValue"),
        ({"PrefixListName": "com.amazonaws.x"}, "InvalidParameterValue"),
    ],
)
def test_modify_validation(env, ec2, kw, code):
    pl_id = _create(ec2, max_entries=2, entries=("10.0.0.0/16",))["PrefixListId"]
    assert_error(raw_client(env).modify_managed_prefix_list, code, PrefixListId=pl_id, **kw)
    assert _one(ec2, pl_id)["Version"] == 1
    assert _entries(ec2, pl_id) == [{"Cidr": "10.0.0.0/16"}]


def test_max_entries_cannot_shrink_below_the_entries(ec2):
    pl_id = _create(ec2, entries=("10.0.0.0/16", "10.1.0.0/16"))["PrefixListId"]
    assert_error(
        ec2.modify_managed_prefix_list, "InvalidParameterValue", PrefixListId=pl_id, MaxEntries=1
    )
    ec2.modify_managed_prefix_list(PrefixListId=pl_id, MaxEntries=2)


def test_aws_managed_lists(ec2):
    managed = ec2.describe_managed_prefix_lists(Filters=[{"Name": "owner-id", "Values": ["AWS"]}])[
        "PrefixLists"
    ]
    names = {p["PrefixListName"] for p in managed}
    assert {"com.amazonaws.eu-west-1.s3", "com.amazonaws.eu-west-1.dynamodb"} <= names
    s3 = next(p for p in managed if p["PrefixListName"] == "com.amazonaws.eu-west-1.s3")
    assert re.fullmatch(r"pl-[0-9a-f]{8}", s3["PrefixListId"])
    entries = _entries(ec2, s3["PrefixListId"])
    assert entries
    aws = ec2.describe_prefix_lists(PrefixListIds=[s3["PrefixListId"]])["PrefixLists"]
    assert aws == [
        {
            "PrefixListId": s3["PrefixListId"],
            "PrefixListName": "com.amazonaws.eu-west-1.s3",
            "Cidrs": [e["Cidr"] for e in entries],
        }
    ]
    for call, kw in [
        (ec2.modify_managed_prefix_list, {"PrefixListName": "x"}),
        (ec2.delete_managed_prefix_list, {}),
        (ec2.restore_managed_prefix_list_version, {"PreviousVersion": 1, "CurrentVersion": 1}),
    ]:
        assert_error(call, "InvalidPrefixListModification", PrefixListId=s3["PrefixListId"], **kw)


def test_aws_list_ids_differ_by_region_but_not_by_account(env, ec2):
    here = {
        p["PrefixListName"]: p["PrefixListId"] for p in ec2.describe_prefix_lists()["PrefixLists"]
    }
    other_account = env.client(aws_access_key_id="111122223333", aws_secret_access_key="x")
    there = {
        p["PrefixListName"]: p["PrefixListId"]
        for p in other_account.describe_prefix_lists()["PrefixLists"]
    }
    assert here == there
    us = env.client(region="us-east-1")
    ids = {p["PrefixListId"] for p in us.describe_prefix_lists()["PrefixLists"]}
    assert not ids & set(here.values())


def test_describe_prefix_lists_filters_and_customer_lists(ec2):
    mine = _create(ec2)["PrefixListId"]
    all_aws = ec2.describe_prefix_lists()["PrefixLists"]
    assert mine not in {p["PrefixListId"] for p in all_aws}
    name = all_aws[0]["PrefixListName"]
    for filter_name, value in [
        ("prefix-list-name", name),
        ("prefix-list-id", all_aws[0]["PrefixListId"]),
    ]:
        found = ec2.describe_prefix_lists(Filters=[{"Name": filter_name, "Values": [value]}])[
            "PrefixLists"
        ]
        assert [p["PrefixListName"] for p in found] == [name]
    assert_error(ec2.describe_prefix_lists, "InvalidPrefixListID.NotFound", PrefixListIds=[mine])
    assert_error(ec2.describe_prefix_lists, "InvalidPrefixListId.Malformed", PrefixListIds=["pl-x"])


def test_describe_managed_filters_and_paging(env, ec2):
    mine = _create(ec2, name="alpha")["PrefixListId"]
    account = account_of(ec2)
    for name, value in [
        ("owner-id", account),
        ("prefix-list-id", mine),
        ("prefix-list-name", "alpha"),
    ]:
        found = ec2.describe_managed_prefix_lists(Filters=[{"Name": name, "Values": [value]}])[
            "PrefixLists"
        ]
        assert [p["PrefixListId"] for p in found] == [mine], name
    page = ec2.describe_managed_prefix_lists(MaxResults=4)
    assert len(page["PrefixLists"]) == 4
    rest = ec2.describe_managed_prefix_lists(MaxResults=4, NextToken=page["NextToken"])
    assert len(rest["PrefixLists"]) == 2
    raw = raw_client(env)
    assert_error(raw.describe_managed_prefix_lists, "InvalidParameterValue", MaxResults=0)
    assert_error(raw.describe_managed_prefix_lists, "InvalidParameterValue", MaxResults=101)
    entries = ec2.get_managed_prefix_list_entries(PrefixListId=mine, MaxResults=1)
    assert len(entries["Entries"]) == 1
    assert "NextToken" not in entries
    assert_error(
        ec2.describe_managed_prefix_lists,
        "InvalidPrefixListID.NotFound",
        message=r"The prefix list \(pl-0123456789abcdef0\) does not exist",
        PrefixListIds=["pl-0123456789abcdef0"],
    )


def test_associations_and_delete_while_referenced(ec2):
    pl_id = _create(ec2)["PrefixListId"]
    group_id = group(ec2)
    assert (
        ec2.get_managed_prefix_list_associations(PrefixListId=pl_id)["PrefixListAssociations"] == []
    )
    ec2.authorize_security_group_ingress(
        GroupId=group_id, IpPermissions=[tcp(443, PrefixListIds=[{"PrefixListId": pl_id}])]
    )
    assert ec2.get_managed_prefix_list_associations(PrefixListId=pl_id)[
        "PrefixListAssociations"
    ] == [{"ResourceId": group_id, "ResourceOwner": account_of(ec2)}]
    assert_error(
        ec2.delete_managed_prefix_list,
        "DependencyViolation",
        message=f"resource {pl_id} has a dependent object",
        PrefixListId=pl_id,
    )
    ec2.revoke_security_group_ingress(
        GroupId=group_id, IpPermissions=[tcp(443, PrefixListIds=[{"PrefixListId": pl_id}])]
    )
    ec2.delete_managed_prefix_list(PrefixListId=pl_id)
    assert_error(
        ec2.get_managed_prefix_list_associations, "InvalidPrefixListID.NotFound", PrefixListId=pl_id
    )


def test_a_referenced_list_counts_its_max_entries_against_the_rule_quota(ec2):
    pl_id = _create(ec2, max_entries=50)["PrefixListId"]
    group_id = group(ec2)
    ec2.authorize_security_group_ingress(
        GroupId=group_id, IpPermissions=[tcp(443, PrefixListIds=[{"PrefixListId": pl_id}])]
    )
    ec2.authorize_security_group_ingress(
        GroupId=group_id, IpPermissions=[tcp(22, *[f"10.0.{i}.0/24" for i in range(10)])]
    )
    assert_error(
        ec2.authorize_security_group_ingress,
        "RulesPerSecurityGroupLimitExceeded",
        GroupId=group_id,
        IpPermissions=[tcp(22, "10.1.0.0/24")],
    )
    # Growing the list would take the group past its quota.
    assert_error(
        ec2.modify_managed_prefix_list,
        "PrefixListMaxEntriesExceeded",
        PrefixListId=pl_id,
        MaxEntries=51,
    )


def test_dry_run_everywhere(ec2):
    assert_error(
        ec2.create_managed_prefix_list,
        "DryRunOperation",
        412,
        PrefixListName="x",
        MaxEntries=1,
        AddressFamily="IPv4",
        DryRun=True,
    )
    assert [p["OwnerId"] for p in ec2.describe_managed_prefix_lists()["PrefixLists"]] == ["AWS"] * 5
    pl_id = _create(ec2)["PrefixListId"]
    ec2.modify_managed_prefix_list(PrefixListId=pl_id, AddEntries=[{"Cidr": "10.5.0.0/16"}])
    for call, kw in [
        (ec2.modify_managed_prefix_list, {"AddEntries": [{"Cidr": "10.6.0.0/16"}]}),
        (ec2.restore_managed_prefix_list_version, {"PreviousVersion": 1, "CurrentVersion": 2}),
        (ec2.delete_managed_prefix_list, {}),
    ]:
        assert_error(call, "DryRunOperation", 412, PrefixListId=pl_id, DryRun=True, **kw)
    shown = _one(ec2, pl_id)
    assert (shown["Version"], shown["State"]) == (2, "modify-complete")
    for call in (
        ec2.describe_managed_prefix_lists,
        ec2.describe_prefix_lists,
    ):
        assert_error(call, "DryRunOperation", 412, DryRun=True)
    for call in (ec2.get_managed_prefix_list_entries, ec2.get_managed_prefix_list_associations):
        assert_error(call, "DryRunOperation", 412, PrefixListId=pl_id, DryRun=True)


def test_unknown_and_malformed_ids(ec2):
    for call in (
        ec2.get_managed_prefix_list_entries,
        ec2.delete_managed_prefix_list,
        ec2.get_managed_prefix_list_associations,
    ):
        assert_error(call, "InvalidPrefixListID.NotFound", PrefixListId="pl-0123456789abcdef0")
        assert_error(call, "InvalidPrefixListId.Malformed", PrefixListId="nope")
