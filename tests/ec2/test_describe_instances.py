"""DescribeInstances: ids, filters, wildcards, paging, reservations."""

from __future__ import annotations

import contextlib
from datetime import timezone

import pytest
from ec2_helpers import assert_error, ids_of, instances, launch, launch_ids


@pytest.fixture
def fleet(ec2):
    """Three launches that differ in type, image, zone, key and tags; one instance stopped."""
    ec2.create_key_pair(KeyName="web-key")
    ec2.create_key_pair(KeyName="db-key")
    web = launch(
        ec2,
        2,
        ImageId="ami-11111111",
        InstanceType="t3.micro",
        KeyName="web-key",
        Placement={"AvailabilityZone": "eu-west-1a"},
        TagSpecifications=[
            {
                "ResourceType": "instance",
                "Tags": [{"Key": "role", "Value": "web"}, {"Key": "env", "Value": "prod"}],
            }
        ],
    )
    db = launch(
        ec2,
        1,
        ImageId="ami-22222222",
        InstanceType="m5.large",
        KeyName="db-key",
        Placement={"AvailabilityZone": "eu-west-1b"},
        TagSpecifications=[
            {
                "ResourceType": "instance",
                "Tags": [{"Key": "role", "Value": "db"}, {"Key": "env", "Value": "staging"}],
            }
        ],
    )
    batch = launch(
        ec2,
        1,
        ImageId="ami-33333333",
        InstanceType="c5.xlarge",
        Placement={"AvailabilityZone": "eu-west-1c"},
    )
    instances(ec2)  # all running
    ec2.stop_instances(InstanceIds=[batch[0]["InstanceId"]])
    instances(ec2)  # stopped
    return {
        "web": [i["InstanceId"] for i in web],
        "db": [i["InstanceId"] for i in db],
        "batch": [i["InstanceId"] for i in batch],
        "all": {i["InstanceId"]: i for i in web + db + batch},
    }


def _found(ec2, *filters):
    return ids_of(instances(ec2, Filters=[{"Name": n, "Values": list(v)} for n, v in filters]))


def test_no_filters_lists_everything(ec2, fleet):
    assert ids_of(instances(ec2)) == set(fleet["all"])


def test_by_instance_ids(ec2, fleet):
    wanted = [fleet["web"][1], fleet["db"][0]]
    assert ids_of(instances(ec2, InstanceIds=wanted)) == set(wanted)


def test_unknown_instance_id_among_known_ones(ec2, fleet):
    assert_error(
        ec2.describe_instances,
        "InvalidInstanceID.NotFound",
        message="i-0123456789abcdef0",
        InstanceIds=[fleet["web"][0], "i-0123456789abcdef0"],
    )


def test_instance_id_filter(ec2, fleet):
    assert _found(ec2, ("instance-id", [fleet["db"][0]])) == set(fleet["db"])


def test_state_filters(ec2, fleet):
    running = set(fleet["web"] + fleet["db"])
    assert _found(ec2, ("instance-state-name", ["running"])) == running
    assert _found(ec2, ("instance-state-name", ["stopped"])) == set(fleet["batch"])
    assert _found(ec2, ("instance-state-code", ["16"])) == running
    assert _found(ec2, ("instance-state-code", ["80"])) == set(fleet["batch"])
    assert _found(ec2, ("instance-state-name", ["pending"])) == set()


def test_type_and_image_filters(ec2, fleet):
    assert _found(ec2, ("instance-type", ["t3.micro"])) == set(fleet["web"])
    assert _found(ec2, ("image-id", ["ami-22222222"])) == set(fleet["db"])
    assert _found(ec2, ("image-id", ["ami-99999999"])) == set()


def test_network_filters(ec2, fleet):
    described = {i["InstanceId"]: i for i in instances(ec2)}
    db = described[fleet["db"][0]]
    assert _found(ec2, ("vpc-id", [db["VpcId"]])) == set(fleet["all"])
    assert _found(ec2, ("subnet-id", [db["SubnetId"]])) == set(fleet["db"])
    assert _found(ec2, ("availability-zone", ["eu-west-1b"])) == set(fleet["db"])
    assert _found(ec2, ("availability-zone", ["eu-west-1a"])) == set(fleet["web"])
    assert _found(ec2, ("private-ip-address", [db["PrivateIpAddress"]])) == set(fleet["db"])
    assert _found(ec2, ("ip-address", [db["PublicIpAddress"]])) == set(fleet["db"])
    assert _found(ec2, ("vpc-id", ["vpc-0123456789abcdef0"])) == set()


def test_key_name_and_reservation_filters(ec2, fleet):
    assert _found(ec2, ("key-name", ["web-key"])) == set(fleet["web"])
    assert _found(ec2, ("key-name", ["*-key"])) == set(fleet["web"] + fleet["db"])
    [reservation] = ec2.describe_instances(InstanceIds=[fleet["web"][0]])["Reservations"]
    assert _found(ec2, ("reservation-id", [reservation["ReservationId"]])) == set(fleet["web"])


def test_launch_time_filter_with_wildcard(ec2, fleet):
    launched = fleet["all"][fleet["db"][0]]["LaunchTime"].astimezone(timezone.utc)
    day = launched.strftime("%Y-%m-%dT") + "*"
    assert _found(ec2, ("launch-time", [day])) == set(fleet["all"])
    assert _found(ec2, ("launch-time", ["1999-01-01T*"])) == set()


def test_tag_filters(ec2, fleet):
    assert _found(ec2, ("tag:role", ["web"])) == set(fleet["web"])
    assert _found(ec2, ("tag:env", ["prod", "staging"])) == set(fleet["web"] + fleet["db"])
    assert _found(ec2, ("tag:missing", ["web"])) == set()
    assert _found(ec2, ("tag-key", ["role"])) == set(fleet["web"] + fleet["db"])
    assert _found(ec2, ("tag-value", ["staging"])) == set(fleet["db"])


def test_wildcards(ec2, fleet):
    assert _found(ec2, ("instance-type", ["t3.*"])) == set(fleet["web"])
    assert _found(ec2, ("instance-type", ["?5.*"])) == set(fleet["db"] + fleet["batch"])
    assert _found(ec2, ("tag:role", ["w*"])) == set(fleet["web"])
    assert _found(ec2, ("tag:role", ["d?"])) == set(fleet["db"])
    assert _found(ec2, ("tag:role", ["d?b"])) == set()
    assert _found(ec2, ("image-id", ["ami-*"])) == set(fleet["all"])


def test_values_or_and_filters_and(ec2, fleet):
    assert _found(ec2, ("instance-type", ["t3.micro", "c5.xlarge"])) == set(
        fleet["web"] + fleet["batch"]
    )
    assert _found(
        ec2,
        ("instance-type", ["t3.micro", "c5.xlarge"]),
        ("instance-state-name", ["running"]),
    ) == set(fleet["web"])
    assert _found(ec2, ("tag:role", ["web"]), ("availability-zone", ["eu-west-1b"])) == set()


def test_filters_combine_with_instance_ids(ec2, fleet):
    found = ids_of(
        instances(
            ec2,
            InstanceIds=[fleet["web"][0], fleet["db"][0]],
            Filters=[{"Name": "tag:role", "Values": ["db"]}],
        )
    )
    assert found == set(fleet["db"])


def test_unknown_filter_name(ec2, fleet):
    assert_error(
        ec2.describe_instances,
        "InvalidParameterValue",
        message="no-such-filter",
        Filters=[{"Name": "no-such-filter", "Values": ["x"]}],
    )


def test_instances_launched_together_share_a_reservation(ec2, fleet):
    reservations = ec2.describe_instances()["Reservations"]
    assert len(reservations) == 3
    by_members = {frozenset(ids_of(r["Instances"])): r for r in reservations}
    assert frozenset(fleet["web"]) in by_members
    assert frozenset(fleet["db"]) in by_members
    for reservation in reservations:
        assert reservation["OwnerId"] == "123456789012"
    assert len({r["ReservationId"] for r in reservations}) == 3


def test_empty_account(ec2):
    assert ec2.describe_instances()["Reservations"] == []


# -- paging


def _collect_pages(ec2, **kw):
    seen, pages, token = [], 0, None
    while True:
        response = ec2.describe_instances(**kw, **({"NextToken": token} if token else {}))
        page = [i["InstanceId"] for r in response["Reservations"] for i in r["Instances"]]
        pages += 1
        assert len(page) <= kw["MaxResults"]
        seen += page
        token = response.get("NextToken")
        if not token:
            return seen, pages


def test_max_results_paging_sees_each_instance_once(ec2):
    launched = launch_ids(ec2, 4) + launch_ids(ec2, 3) + launch_ids(ec2, 5)
    seen, pages = _collect_pages(ec2, MaxResults=5)
    assert sorted(seen) == sorted(launched)
    assert pages == 3


def test_paging_with_a_filter(ec2):
    tagged = launch_ids(
        ec2,
        7,
        TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "k", "Value": "v"}]}],
    )
    launch_ids(ec2, 4)
    seen, _ = _collect_pages(ec2, MaxResults=5, Filters=[{"Name": "tag:k", "Values": ["v"]}])
    assert sorted(seen) == sorted(tagged)


def test_paginator(ec2):
    launched = launch_ids(ec2, 6) + launch_ids(ec2, 6)
    pages = list(ec2.get_paginator("describe_instances").paginate(PaginationConfig={"PageSize": 5}))
    seen = [i["InstanceId"] for p in pages for r in p["Reservations"] for i in r["Instances"]]
    assert sorted(seen) == sorted(launched)
    assert len(pages) == 3
    assert len(seen) == len(set(seen))


def test_max_results_covering_everything_has_no_token(ec2):
    launch_ids(ec2, 3)
    response = ec2.describe_instances(MaxResults=10)
    assert "NextToken" not in response
    assert len(ids_of(r for res in response["Reservations"] for r in res["Instances"])) == 3


@pytest.mark.parametrize("max_results", [1, 4, 1001])
def test_max_results_out_of_range(ec2, max_results):
    assert_error(
        ec2.describe_instances,
        "InvalidParameterValue",
        message=str(max_results),
        MaxResults=max_results,
    )


def test_max_results_with_instance_ids(ec2):
    [instance_id] = launch_ids(ec2)
    assert_error(
        ec2.describe_instances,
        "InvalidParameterCombination",
        message="maxResults",
        InstanceIds=[instance_id],
        MaxResults=5,
    )


def test_max_results_with_instance_ids_is_refused_before_ids_are_looked_up(ec2):
    assert_error(
        ec2.describe_instances,
        "InvalidParameterCombination",
        message="maxResults",
        InstanceIds=["i-0123456789abcdef0"],
        MaxResults=5,
    )


def test_bad_next_token(ec2):
    launch_ids(ec2)
    assert_error(ec2.describe_instances, "InvalidPaginationToken", NextToken="not-a-token")


def test_next_token_of_another_operation(ec2):
    launch_ids(ec2, 6)
    instances(ec2)
    token = ec2.describe_instance_status(MaxResults=5)["NextToken"]
    assert_error(ec2.describe_instances, "InvalidPaginationToken", NextToken=token)


def test_launch_time_exact_value(ec2, fleet):
    launched = fleet["all"][fleet["db"][0]]["LaunchTime"].astimezone(timezone.utc)
    exact = launched.strftime("%Y-%m-%dT%H:%M:%S.") + f"{launched.microsecond // 1000:03d}Z"
    assert set(fleet["db"]) <= _found(ec2, ("launch-time", [exact]))


def test_escaped_wildcards_match_literally(ec2):
    [star] = launch_ids(
        ec2,
        TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "n", "Value": "a*b"}]}],
    )
    [plain] = launch_ids(
        ec2,
        TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "n", "Value": "axxb"}]}],
    )
    assert _found(ec2, ("tag:n", ["a*b"])) == {star, plain}
    assert _found(ec2, ("tag:n", ["a\\*b"])) == {star}
    assert _found(ec2, ("tag:n", ["a??b"])) == {plain}


def test_stopped_instance_has_no_ip_address_match(ec2, fleet):
    stopped = {i["InstanceId"]: i for i in instances(ec2)}[fleet["batch"][0]]
    assert "PublicIpAddress" not in stopped
    assert _found(ec2, ("private-ip-address", [stopped["PrivateIpAddress"]])) == set(fleet["batch"])


@pytest.mark.parametrize(
    ("name", "value_of"),
    [
        ("owner-id", lambda i: "123456789012"),
        ("architecture", lambda i: i["Architecture"]),
        ("instance.group-name", lambda i: i["SecurityGroups"][0]["GroupName"]),
        ("instance.group-id", lambda i: i["SecurityGroups"][0]["GroupId"]),
        ("dns-name", lambda i: i["PublicDnsName"]),
        ("private-dns-name", lambda i: i["PrivateDnsName"]),
        (
            "network-interface.network-interface-id",
            lambda i: i["NetworkInterfaces"][0]["NetworkInterfaceId"],
        ),
        ("network-interface.mac-address", lambda i: i["NetworkInterfaces"][0]["MacAddress"]),
        ("block-device-mapping.device-name", lambda i: i["BlockDeviceMappings"][0]["DeviceName"]),
        ("monitoring-state", lambda i: i["Monitoring"]["State"]),
        ("launch-index", lambda i: str(i["AmiLaunchIndex"])),
        ("availability-zone-id", lambda i: i["Placement"]["AvailabilityZoneId"]),
        ("root-device-type", lambda i: i["RootDeviceType"]),
        ("hypervisor", lambda i: i["Hypervisor"]),
    ],
)
def test_more_filters_match_what_describe_shows(ec2, fleet, name, value_of):
    described = {i["InstanceId"]: i for i in instances(ec2)}
    db = described[fleet["db"][0]]
    value = value_of(db)
    found = _found(ec2, (name, [value]))
    assert fleet["db"][0] in found
    for instance_id in set(described) - found:
        with contextlib.suppress(KeyError, IndexError):  # no such member at all is fine too
            assert value_of(described[instance_id]) != value


def test_reason_and_state_reason_filters(ec2, fleet):
    assert _found(ec2, ("state-reason-code", ["Client.UserInitiatedShutdown"])) == set(
        fleet["batch"]
    )
    assert _found(ec2, ("reason", ["User initiated*"])) == set(fleet["batch"])


@pytest.mark.parametrize(
    ("name", "value", "matches"),
    [
        ("current-instance-boot-mode", "legacy-bios", True),
        ("capacity-reservation-specification.capacity-reservation-preference", "open", True),
        ("hibernation-options.configured", "false", True),
        ("enclave-options.enabled", "true", False),
        ("maintenance-options.auto-recovery", "default", True),
        ("metadata-options.http-protocol-ipv4", "enabled", True),
        ("network-performance-options.bandwidth-weighting", "default", True),
        ("operator.managed", "false", True),
        ("private-dns-name-options.hostname-type", "ip-name", True),
        ("private-dns-name-options.enable-resource-name-dns-a-record", "false", True),
        # what no instance launched by cloudmock has yet
        ("platform", "windows", False),
        ("instance-lifecycle", "spot", False),
        ("host-id", "h-0123456789abcdef0", False),
        ("iam-instance-profile.arn", "*", False),
        ("spot-instance-request-id", "*", False),
    ],
)
def test_every_documented_filter_is_answered(ec2, name, value, matches):
    [launched] = launch(ec2)
    found = instances(ec2, Filters=[{"Name": name, "Values": [value]}])
    assert [i["InstanceId"] for i in found] == ([launched["InstanceId"]] if matches else [])


@pytest.mark.parametrize(
    ("name", "value", "matches"),
    [("operator.managed", "false", True), ("event.code", "*", False)],
)
def test_instance_status_answers_its_documented_filters(ec2, name, value, matches):
    [launched] = launch(ec2)
    statuses = ec2.describe_instance_status(
        IncludeAllInstances=True, Filters=[{"Name": name, "Values": [value]}]
    )["InstanceStatuses"]
    assert [s["InstanceId"] for s in statuses] == ([launched["InstanceId"]] if matches else [])
