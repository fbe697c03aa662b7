"""Spot: instance requests fulfilled on the clock, prices, the data feed, placement scores."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from ec2_helpers import AMI, assert_error, instance, state_of

WAIT = {"Delay": 0, "MaxAttempts": 5}
SPEC = {"ImageId": AMI, "InstanceType": "m5.large"}


def request(ec2, **kw):
    kw.setdefault("LaunchSpecification", SPEC)
    return ec2.request_spot_instances(**kw)["SpotInstanceRequests"]


def spot_request(ec2, request_id):
    return ec2.describe_spot_instance_requests(SpotInstanceRequestIds=[request_id])[
        "SpotInstanceRequests"
    ][0]


def test_one_time_request_is_fulfilled_on_the_clock(env, ec2, ec2_options):
    ec2_options(transition_delay=5)
    [made] = request(
        ec2,
        TagSpecifications=[
            {"ResourceType": "spot-instances-request", "Tags": [{"Key": "k", "Value": "v"}]}
        ],
    )
    request_id = made["SpotInstanceRequestId"]
    assert re.fullmatch(r"sir-[0-9a-f]{8}", request_id)
    assert made["State"] == "open"
    assert made["Status"]["Code"] == "pending-evaluation"
    assert made["Type"] == "one-time"
    assert made["LaunchSpecification"]["InstanceType"] == "m5.large"
    assert made["Tags"] == [{"Key": "k", "Value": "v"}]
    # no price given: the request's maximum is the on-demand price
    assert float(made["SpotPrice"]) > 0
    assert made["ValidUntil"] - made["CreateTime"] == timedelta(days=7)
    assert "InstanceId" not in spot_request(ec2, request_id)
    env.clock.advance(5)
    ec2.get_waiter("spot_instance_request_fulfilled").wait(
        SpotInstanceRequestIds=[request_id], WaiterConfig=WAIT
    )
    fulfilled = spot_request(ec2, request_id)
    assert fulfilled["State"] == "active"
    assert fulfilled["Status"]["Code"] == "fulfilled"
    instance_id = fulfilled["InstanceId"]
    launched = instance(ec2, instance_id)
    assert launched["InstanceType"] == "m5.large"
    assert launched["ImageId"] == AMI
    assert fulfilled["LaunchedAvailabilityZone"] == launched["Placement"]["AvailabilityZone"]
    by_instance = ec2.describe_spot_instance_requests(
        Filters=[{"Name": "instance-id", "Values": [instance_id]}]
    )["SpotInstanceRequests"]
    assert [r["SpotInstanceRequestId"] for r in by_instance] == [request_id]
    # a one-time request closes when its instance is terminated
    ec2.terminate_instances(InstanceIds=[instance_id])
    env.clock.advance(5)
    closed = spot_request(ec2, request_id)
    assert (closed["State"], closed["Status"]["Code"]) == ("closed", "instance-terminated-by-user")


def test_cancel_keeps_the_instance_running(ec2):
    [made] = request(ec2)
    request_id = made["SpotInstanceRequestId"]
    instance_id = spot_request(ec2, request_id)["InstanceId"]
    assert state_of(ec2, instance_id) == "running"
    cancelled = ec2.cancel_spot_instance_requests(SpotInstanceRequestIds=[request_id])
    assert cancelled["CancelledSpotInstanceRequests"] == [
        {"SpotInstanceRequestId": request_id, "State": "cancelled"}
    ]
    after = spot_request(ec2, request_id)
    assert after["State"] == "cancelled"
    assert after["Status"]["Code"] == "request-canceled-and-instance-running"
    assert state_of(ec2, instance_id) == "running"
    # one cancelled before it was fulfilled
    [pending] = request(ec2, ValidFrom=datetime.now(timezone.utc) + timedelta(days=1))
    ec2.cancel_spot_instance_requests(SpotInstanceRequestIds=[pending["SpotInstanceRequestId"]])
    before = spot_request(ec2, pending["SpotInstanceRequestId"])
    assert before["Status"]["Code"] == "canceled-before-fulfillment"
    assert "InstanceId" not in before
    assert_error(
        ec2.cancel_spot_instance_requests,
        "InvalidSpotInstanceRequestID.NotFound",
        SpotInstanceRequestIds=["sir-12345678"],
    )
    assert_error(
        ec2.cancel_spot_instance_requests,
        "InvalidSpotInstanceRequestID.Malformed",
        SpotInstanceRequestIds=["sir-x"],
    )
    assert_error(
        ec2.cancel_spot_instance_requests,
        "DryRunOperation",
        412,
        SpotInstanceRequestIds=[request_id],
        DryRun=True,
    )


def test_persistent_request_replaces_its_terminated_instance(env, ec2):
    [made] = request(ec2, Type="persistent", InstanceInterruptionBehavior="stop")
    request_id = made["SpotInstanceRequestId"]
    first = spot_request(ec2, request_id)["InstanceId"]
    assert spot_request(ec2, request_id)["InstanceInterruptionBehavior"] == "stop"
    ec2.terminate_instances(InstanceIds=[first])
    reopened = spot_request(ec2, request_id)  # terminated by this request's tick
    assert reopened["Status"]["Code"] in ("instance-terminated-by-user", "fulfilled")
    env.clock.advance(1)
    again = spot_request(ec2, request_id)
    assert again["State"] == "active"
    assert again["InstanceId"] != first
    assert state_of(ec2, again["InstanceId"]) == "running"
    assert_error(
        ec2.request_spot_instances,
        "InvalidParameterCombination",
        LaunchSpecification=SPEC,
        InstanceInterruptionBehavior="stop",
    )
    # at ValidUntil the persistent request ends; its instance keeps running
    env.clock.advance(8 * 24 * 3600)
    ended = spot_request(ec2, request_id)
    assert (ended["State"], ended["Status"]["Code"]) == ("closed", "schedule-expired")
    assert state_of(ec2, again["InstanceId"]) == "running"


def test_price_too_low_and_expiry(env, ec2, ec2_options):
    cheap = request(ec2, SpotPrice="0.0001", InstanceCount=2)
    request_ids = [r["SpotInstanceRequestId"] for r in cheap]
    assert len(set(request_ids)) == 2
    low = spot_request(ec2, request_ids[0])
    assert (low["State"], low["Status"]["Code"]) == ("open", "price-too-low")
    assert "0.0001" in low["Status"]["Message"]
    until = datetime.now(timezone.utc) + timedelta(hours=1)
    [short] = request(ec2, SpotPrice="0.0001", ValidUntil=until)
    env.clock.advance(2 * 3600)
    expired = spot_request(ec2, short["SpotInstanceRequestId"])
    assert (expired["State"], expired["Status"]["Code"]) == ("closed", "schedule-expired")
    assert_error(
        ec2.request_spot_instances,
        "InvalidParameterValue",
        LaunchSpecification=SPEC,
        ValidUntil=datetime(2001, 1, 1, tzinfo=timezone.utc),
    )
    assert_error(
        ec2.request_spot_instances,
        "InvalidAMIID.Malformed",
        LaunchSpecification={"ImageId": "bad"},
    )
    assert_error(
        ec2.request_spot_instances,
        "InvalidSubnetID.NotFound",
        LaunchSpecification={**SPEC, "SubnetId": "subnet-12345678"},
    )
    assert_error(
        ec2.request_spot_instances,
        "InvalidParameterCombination",
        LaunchSpecification=SPEC,
        BlockDurationMinutes=60,
    )
    assert_error(
        ec2.request_spot_instances,
        "DryRunOperation",
        412,
        LaunchSpecification=SPEC,
        DryRun=True,
    )
    assert len(ec2.describe_spot_instance_requests()["SpotInstanceRequests"]) == 3


def test_client_token_and_launch_details(ec2):
    subnet = ec2.describe_subnets()["Subnets"][1]
    group = ec2.create_security_group(GroupName="g", Description="d", VpcId=subnet["VpcId"])
    spec = {
        **SPEC,
        "SubnetId": subnet["SubnetId"],
        "SecurityGroupIds": [group["GroupId"]],
        "Monitoring": {"Enabled": True},
        "BlockDeviceMappings": [{"DeviceName": "/dev/sda1", "Ebs": {"VolumeSize": 30}}],
    }
    [one] = request(ec2, LaunchSpecification=spec, ClientToken="t", LaunchGroup="lg")
    [same] = request(ec2, LaunchSpecification=spec, ClientToken="t", LaunchGroup="lg")
    assert one["SpotInstanceRequestId"] == same["SpotInstanceRequestId"]
    shown = spot_request(ec2, one["SpotInstanceRequestId"])
    assert shown["LaunchGroup"] == "lg"
    assert shown["LaunchSpecification"]["SecurityGroups"] == [
        {"GroupId": group["GroupId"], "GroupName": "g"}
    ]
    launched = instance(ec2, shown["InstanceId"])
    assert launched["SubnetId"] == subnet["SubnetId"]
    assert [g["GroupId"] for g in launched["SecurityGroups"]] == [group["GroupId"]]
    assert launched["Monitoring"]["State"] in ("pending", "enabled")


def test_describe_filters_and_paging(ec2):
    request(ec2, InstanceCount=3, LaunchGroup="a", AvailabilityZoneGroup="z")
    request(ec2, SpotPrice="0.0001", LaunchSpecification={**SPEC, "InstanceType": "c5.large"})
    everything = ec2.describe_spot_instance_requests()["SpotInstanceRequests"]
    assert len(everything) == 4

    def matching(name, *values):
        found = ec2.describe_spot_instance_requests(
            Filters=[{"Name": name, "Values": list(values)}]
        )
        return len(found["SpotInstanceRequests"])

    assert matching("state", "active") == 3
    assert matching("status-code", "price-too-low") == 1
    assert matching("launch.instance-type", "c5.large") == 1
    assert matching("launch.image-id", AMI) == 4
    assert matching("launch-group", "a") == 3
    assert matching("availability-zone-group", "z") == 3
    assert matching("type", "one-time") == 4
    assert matching("spot-price", "0.0001") == 1
    assert matching("product-description", "Linux/UNIX") == 4
    assert matching("launched-availability-zone", everything[0]["LaunchedAvailabilityZone"]) == 3
    assert matching("launch.monitoring-enabled", "false") == 4
    assert matching("launch.key-name", "none") == 0
    assert matching("fault-code", "x") == 0
    first = ec2.describe_spot_instance_requests(MaxResults=5)
    assert len(first["SpotInstanceRequests"]) == 4 and "NextToken" not in first
    assert_error(ec2.describe_spot_instance_requests, "InvalidParameterValue", MaxResults=4)
    assert_error(
        ec2.describe_spot_instance_requests,
        "InvalidParameterValue",
        Filters=[{"Name": "nope", "Values": ["x"]}],
    )


def test_spot_price_history(env, ec2):
    now = ec2.describe_spot_price_history(InstanceTypes=["m5.large"])["SpotPriceHistory"]
    zones = {z["ZoneName"] for z in ec2.describe_availability_zones()["AvailabilityZones"]}
    assert {p["AvailabilityZone"] for p in now} == zones
    linux = [p for p in now if p["ProductDescription"] == "Linux/UNIX"]
    assert len(linux) == len(zones)
    for point in linux:
        assert 0.0 < float(point["SpotPrice"]) < 0.096  # below m5.large's on-demand price
    # the same question gets the same answer
    assert ec2.describe_spot_price_history(InstanceTypes=["m5.large"])["SpotPriceHistory"] == now
    day = ec2.describe_spot_price_history(
        InstanceTypes=["m5.large"],
        ProductDescriptions=["Linux/UNIX"],
        AvailabilityZone=sorted(zones)[0],
        StartTime=datetime.now(timezone.utc) - timedelta(days=1),
    )["SpotPriceHistory"]
    assert 4 <= len(day) <= 6
    stamps = [p["Timestamp"] for p in day]
    assert stamps == sorted(stamps, reverse=True)
    assert len({p["SpotPrice"] for p in day}) > 1  # prices move
    filtered = ec2.describe_spot_price_history(
        Filters=[
            {"Name": "instance-type", "Values": ["c5.large", "r5.large"]},
            {"Name": "product-description", "Values": ["Windows"]},
            {"Name": "availability-zone-id", "Values": [now[0]["AvailabilityZoneId"]]},
        ]
    )["SpotPriceHistory"]
    assert {p["InstanceType"] for p in filtered} == {"c5.large", "r5.large"}
    assert {p["ProductDescription"] for p in filtered} == {"Windows"}
    price = filtered[0]["SpotPrice"]
    by_price = ec2.describe_spot_price_history(
        InstanceTypes=[filtered[0]["InstanceType"]],
        Filters=[
            {"Name": "spot-price", "Values": [price]},
            {"Name": "availability-zone", "Values": [filtered[0]["AvailabilityZone"]]},
            {"Name": "timestamp", "Values": ["*"]},
        ],
    )["SpotPriceHistory"]
    assert {p["SpotPrice"] for p in by_price} == {price}
    # Windows costs more than Linux, for the same type, zone and time
    pair = ec2.describe_spot_price_history(
        InstanceTypes=["c5.large"],
        AvailabilityZone=sorted(zones)[0],
        ProductDescriptions=["Linux/UNIX", "Windows"],
    )["SpotPriceHistory"]
    prices = {p["ProductDescription"]: float(p["SpotPrice"]) for p in pair}
    assert prices["Windows"] > prices["Linux/UNIX"]
    pages = ec2.get_paginator("describe_spot_price_history").paginate(
        InstanceTypes=["t3.micro"], PaginationConfig={"PageSize": 7}
    )
    assert sum(len(p["SpotPriceHistory"]) for p in pages) == len(zones) * 8
    assert_error(
        ec2.describe_spot_price_history,
        "InvalidParameterValue",
        ProductDescriptions=["BeOS"],
    )


def test_datafeed_subscription(env, ec2):
    assert_error(ec2.describe_spot_datafeed_subscription, "InvalidSpotDatafeed.NotFound")
    assert_error(
        ec2.create_spot_datafeed_subscription, "DryRunOperation", 412, Bucket="feed", DryRun=True
    )
    made = ec2.create_spot_datafeed_subscription(Bucket="my-feed", Prefix="spot/")
    feed = made["SpotDatafeedSubscription"]
    assert feed["Bucket"] == "my-feed" and feed["Prefix"] == "spot/"
    assert feed["State"] == "Active"
    # one per account, seen from every region
    other = env.client("ec2", region="us-east-1")
    assert other.describe_spot_datafeed_subscription()["SpotDatafeedSubscription"] == feed
    assert_error(ec2.create_spot_datafeed_subscription, "InvalidParameterValue", Bucket="A!")
    assert_error(ec2.delete_spot_datafeed_subscription, "DryRunOperation", 412, DryRun=True)
    ec2.delete_spot_datafeed_subscription()
    assert_error(ec2.describe_spot_datafeed_subscription, "InvalidSpotDatafeed.NotFound")
    assert_error(ec2.delete_spot_datafeed_subscription, "InvalidSpotDatafeed.NotFound")


def test_spot_placement_scores(ec2):
    scores = ec2.get_spot_placement_scores(
        InstanceTypes=["m5.large", "c5.large"],
        TargetCapacity=10,
        RegionNames=["eu-west-1", "us-east-1", "us-west-2"],
    )["SpotPlacementScores"]
    assert {s["Region"] for s in scores} == {"eu-west-1", "us-east-1", "us-west-2"}
    assert all(1 <= s["Score"] <= 10 for s in scores)
    assert [s["Score"] for s in scores] == sorted((s["Score"] for s in scores), reverse=True)
    zonal = ec2.get_spot_placement_scores(
        InstanceTypes=["m5.large"], TargetCapacity=4, SingleAvailabilityZone=True
    )["SpotPlacementScores"]
    assert {s["Region"] for s in zonal} == {"eu-west-1"}
    assert all(s["AvailabilityZoneId"].startswith("euw1-az") for s in zonal)
    by_needs = ec2.get_spot_placement_scores(
        InstanceRequirementsWithMetadata={
            "ArchitectureTypes": ["x86_64"],
            "InstanceRequirements": {
                "VCpuCount": {"Min": 2},
                "MemoryMiB": {"Min": 4096},
            },
        },
        TargetCapacity=8,
        TargetCapacityUnitType="vcpu",
    )["SpotPlacementScores"]
    assert len(by_needs) == 1
    assert_error(ec2.get_spot_placement_scores, "InvalidParameterCombination", TargetCapacity=1)
    assert_error(
        ec2.get_spot_placement_scores,
        "InvalidParameterValue",
        InstanceTypes=["m5.large"],
        TargetCapacity=2_000_001,
    )


def test_every_request_filter(ec2):
    subnet = ec2.describe_subnets()["Subnets"][0]
    group = ec2.create_security_group(GroupName="web", Description="d", VpcId=subnet["VpcId"])
    since = datetime.now(timezone.utc) - timedelta(minutes=1)
    until = datetime.now(timezone.utc) + timedelta(days=2)
    [good] = request(
        ec2,
        LaunchSpecification={
            **SPEC,
            "SecurityGroupIds": [group["GroupId"]],
            "SubnetId": subnet["SubnetId"],
            "Monitoring": {"Enabled": True},
            "BlockDeviceMappings": [
                {
                    "DeviceName": "/dev/sdf",
                    "Ebs": {"VolumeSize": 10, "VolumeType": "gp3", "DeleteOnTermination": True},
                }
            ],
        },
        LaunchGroup="lg",
        AvailabilityZoneGroup="zg",
        ValidFrom=since,
        ValidUntil=until,
        TagSpecifications=[
            {"ResourceType": "spot-instances-request", "Tags": [{"Key": "role", "Value": "good"}]}
        ],
    )
    # an address outside the subnet: the request fails when it is evaluated
    [bad] = request(
        ec2,
        LaunchSpecification={
            **SPEC,
            "KernelId": "aki-12345678",
            "RamdiskId": "ari-12345678",
            "NetworkInterfaces": [
                {
                    "DeviceIndex": 0,
                    "SubnetId": subnet["SubnetId"],
                    "Groups": [group["GroupId"]],
                    "Description": "primary",
                    "DeleteOnTermination": True,
                    "PrivateIpAddresses": [{"PrivateIpAddress": "10.99.0.5", "Primary": True}],
                }
            ],
        },
    )
    good_id, bad_id = good["SpotInstanceRequestId"], bad["SpotInstanceRequestId"]
    shown = {
        r["SpotInstanceRequestId"]: r
        for r in ec2.describe_spot_instance_requests()["SpotInstanceRequests"]
    }
    assert shown[good_id]["State"] == "active"
    assert (shown[bad_id]["State"], shown[bad_id]["Status"]["Code"]) == ("failed", "bad-parameters")
    fault = shown[bad_id]["Fault"]
    launched = shown[good_id]
    cases = {
        "availability-zone-group": ("zg", good_id),
        "create-time": (launched["CreateTime"].strftime("%Y-%m-%dT*"), None),
        "fault-code": (fault["Code"], bad_id),
        "fault-message": (fault["Message"], bad_id),
        "instance-id": (launched["InstanceId"], good_id),
        "launch-group": ("lg", good_id),
        "launch.block-device-mapping.delete-on-termination": ("true", good_id),
        "launch.block-device-mapping.device-name": ("/dev/sdf", good_id),
        "launch.block-device-mapping.snapshot-id": ("snap-12345678", "none"),
        "launch.block-device-mapping.volume-size": ("10", good_id),
        "launch.block-device-mapping.volume-type": ("gp3", good_id),
        "launch.group-id": (group["GroupId"], good_id),
        "launch.group-name": ("web", good_id),
        "launch.image-id": (AMI, None),
        "launch.instance-type": ("m5.large", None),
        "launch.kernel-id": ("aki-12345678", bad_id),
        "launch.key-name": ("no-such-key", "none"),
        "launch.monitoring-enabled": ("true", good_id),
        "launch.ramdisk-id": ("ari-12345678", bad_id),
        "launched-availability-zone": (launched["LaunchedAvailabilityZone"], good_id),
        "launched-availability-zone-id": (launched["LaunchedAvailabilityZoneId"], good_id),
        "network-interface.addresses.primary": ("true", bad_id),
        "network-interface.delete-on-termination": ("true", bad_id),
        "network-interface.description": ("primary", bad_id),
        "network-interface.device-index": ("0", bad_id),
        "network-interface.group-id": (group["GroupId"], bad_id),
        "network-interface.network-interface-id": ("eni-12345678", "none"),
        "network-interface.private-ip-address": ("10.99.0.5", bad_id),
        "network-interface.subnet-id": (subnet["SubnetId"], bad_id),
        "product-description": ("Linux/UNIX", None),
        "spot-instance-request-id": (good_id, good_id),
        "spot-price": (launched["SpotPrice"], None),
        "state": ("failed", bad_id),
        "status-code": ("fulfilled", good_id),
        "status-message": ("*fulfilled*", good_id),
        "tag-key": ("role", good_id),
        "tag:role": ("good", good_id),
        "type": ("one-time", None),
        "valid-from": (launched["ValidFrom"].strftime("%Y-%m-%dT*"), good_id),
        "valid-until": (launched["ValidUntil"].strftime("%Y-%m-%dT*"), good_id),
    }
    for name, (value, expected) in cases.items():
        found = ec2.describe_spot_instance_requests(Filters=[{"Name": name, "Values": [value]}])
        ids = {r["SpotInstanceRequestId"] for r in found["SpotInstanceRequests"]}
        wanted = {"none": set(), None: {good_id, bad_id}}.get(expected, {expected})
        assert ids == wanted, name


def test_stopping_a_persistent_spot_instance_disables_its_request(ec2):
    [made] = request(ec2, Type="persistent", InstanceInterruptionBehavior="stop")
    request_id = made["SpotInstanceRequestId"]
    instance_id = spot_request(ec2, request_id)["InstanceId"]
    ec2.stop_instances(InstanceIds=[instance_id])
    state_of(ec2, instance_id)  # the stop completes on this request
    stopped = spot_request(ec2, request_id)
    assert (stopped["State"], stopped["Status"]["Code"]) == ("disabled", "instance-stopped-by-user")
    ec2.start_instances(InstanceIds=[instance_id])
    started = spot_request(ec2, request_id)
    assert (started["State"], started["Status"]["Code"]) == ("active", "fulfilled")
    assert started["InstanceId"] == instance_id
