"""Reserved Instances (and the Scheduled Instances EC2 no longer sells) through boto3."""

from __future__ import annotations

import datetime as dt
import re

from tests.ec2.ec2_helpers import assert_error

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
ZONE = "eu-west-1a"
YEAR = 31536000


def offerings(ec2, **kw):
    return ec2.describe_reserved_instances_offerings(**kw)["ReservedInstancesOfferings"]


def one_offering(ec2, **kw):
    kw.setdefault("InstanceType", "m5.large")
    kw.setdefault("ProductDescription", "Linux/UNIX")
    kw.setdefault("InstanceTenancy", "default")
    kw.setdefault("OfferingClass", "standard")
    kw.setdefault("OfferingType", "Partial Upfront")
    kw.setdefault("MaxDuration", YEAR)
    if "AvailabilityZone" not in kw:
        kw["Filters"] = [{"Name": "scope", "Values": ["Region"]}]
    found = offerings(ec2, **kw)
    assert len(found) == 1, found
    return found[0]


def ri(ec2, reservation_id):
    return ec2.describe_reserved_instances(ReservedInstancesIds=[reservation_id])[
        "ReservedInstances"
    ][0]


def buy(ec2, count=1, **kw):
    offering = one_offering(ec2, **kw)
    return ec2.purchase_reserved_instances_offering(
        ReservedInstancesOfferingId=offering["ReservedInstancesOfferingId"], InstanceCount=count
    )["ReservedInstancesId"]


def test_offering_catalogue(ec2):
    regional = one_offering(ec2)
    assert re.fullmatch(UUID, regional["ReservedInstancesOfferingId"])
    assert regional["Scope"] == "Region" and "AvailabilityZone" not in regional
    assert regional["Duration"] == YEAR
    assert regional["FixedPrice"] > 0
    assert regional["RecurringCharges"][0]["Frequency"] == "Hourly"
    # the same request, the same offering
    assert one_offering(ec2) == regional
    zonal = one_offering(ec2, AvailabilityZone=ZONE)
    assert zonal["Scope"] == "Availability Zone" and zonal["AvailabilityZoneId"] == "euw1-az1"
    # believable prices: longer terms, more up front and standard over convertible all cost less
    all_up = one_offering(ec2, OfferingType="All Upfront")
    assert all_up["RecurringCharges"] == [] and all_up["FixedPrice"] > regional["FixedPrice"]
    convertible = one_offering(ec2, OfferingClass="convertible")
    assert convertible["FixedPrice"] > regional["FixedPrice"]
    windows = one_offering(ec2, ProductDescription="Windows")
    assert windows["FixedPrice"] > regional["FixedPrice"]
    bigger = one_offering(ec2, InstanceType="m5.xlarge")
    assert abs(bigger["FixedPrice"] - 2 * regional["FixedPrice"]) < 0.02

    m5 = offerings(ec2, InstanceType="m5.large", MaxResults=100)
    assert len(m5) == 100
    by_filter = offerings(
        ec2,
        Filters=[
            {"Name": "instance-type", "Values": ["m5.large"]},
            {"Name": "scope", "Values": ["Availability Zone"]},
            {"Name": "availability-zone", "Values": [ZONE]},
            {"Name": "product-description", "Values": ["Windows"]},
            {"Name": "duration", "Values": ["94608000"]},
            {"Name": "marketplace", "Values": ["false"]},
        ],
    )
    assert len(by_filter) == 2 * 3  # tenancies x payment options (Convertible is regional)
    assert all(o["AvailabilityZone"] == ZONE for o in by_filter)
    by_id = offerings(ec2, ReservedInstancesOfferingIds=[regional["ReservedInstancesOfferingId"]])
    assert by_id == [regional]
    assert offerings(ec2, InstanceType="m5.large", OfferingType="Heavy Utilization") == []
    first = ec2.describe_reserved_instances_offerings(MaxResults=10)
    second = ec2.describe_reserved_instances_offerings(MaxResults=10, NextToken=first["NextToken"])
    ids = {o["ReservedInstancesOfferingId"] for o in first["ReservedInstancesOfferings"]}
    assert not ids & {
        o["ReservedInstancesOfferingId"] for o in second["ReservedInstancesOfferings"]
    }
    assert_error(ec2.describe_reserved_instances_offerings, "InvalidParameterValue", MaxResults=500)


def test_purchase_and_lifecycle(env, ec2):
    offering = one_offering(ec2, AvailabilityZone=ZONE)
    assert_error(
        ec2.purchase_reserved_instances_offering,
        "DryRunOperation",
        412,
        DryRun=True,
        ReservedInstancesOfferingId=offering["ReservedInstancesOfferingId"],
        InstanceCount=2,
    )
    assert ec2.describe_reserved_instances()["ReservedInstances"] == []
    assert_error(
        ec2.purchase_reserved_instances_offering,
        "InvalidParameterValue",
        message="limit",
        ReservedInstancesOfferingId=offering["ReservedInstancesOfferingId"],
        InstanceCount=2,
        LimitPrice={"Amount": 1.0, "CurrencyCode": "USD"},
    )
    assert_error(
        ec2.purchase_reserved_instances_offering,
        "InvalidReservedInstancesOfferingId",
        ReservedInstancesOfferingId="00000000-0000-4000-a000-000000000000",
        InstanceCount=1,
    )
    rid = ec2.purchase_reserved_instances_offering(
        ReservedInstancesOfferingId=offering["ReservedInstancesOfferingId"], InstanceCount=2
    )["ReservedInstancesId"]
    assert re.fullmatch(UUID, rid)
    shown = ri(ec2, rid)
    assert shown["State"] == "active"
    assert shown["InstanceCount"] == 2
    assert shown["AvailabilityZone"] == ZONE
    assert shown["FixedPrice"] == offering["FixedPrice"]
    assert shown["End"] - shown["Start"] == dt.timedelta(seconds=YEAR)
    listed = ec2.describe_reserved_instances(
        Filters=[
            {"Name": "state", "Values": ["active"]},
            {"Name": "instance-type", "Values": ["m5.large"]},
            {"Name": "scope", "Values": ["Availability Zone"]},
        ],
        OfferingClass="standard",
        OfferingType="Partial Upfront",
    )["ReservedInstances"]
    assert [r["ReservedInstancesId"] for r in listed] == [rid]
    assert ec2.describe_reserved_instances(OfferingClass="convertible")["ReservedInstances"] == []
    assert_error(
        ec2.describe_reserved_instances,
        "InvalidReservedInstancesId",
        ReservedInstancesIds=["00000000-0000-4000-a000-000000000000"],
    )
    env.clock.advance(YEAR + 1)
    assert ri(ec2, rid)["State"] == "retired"


def test_queued_purchase(env, ec2):
    later = env.clock.now() + dt.timedelta(days=2)
    offering = one_offering(ec2)
    rid = ec2.purchase_reserved_instances_offering(
        ReservedInstancesOfferingId=offering["ReservedInstancesOfferingId"],
        InstanceCount=1,
        PurchaseTime=later,
    )["ReservedInstancesId"]
    assert ri(ec2, rid)["State"] == "queued"
    zonal = one_offering(ec2, AvailabilityZone=ZONE)
    assert_error(
        ec2.purchase_reserved_instances_offering,
        "InvalidParameterCombination",
        ReservedInstancesOfferingId=zonal["ReservedInstancesOfferingId"],
        InstanceCount=1,
        PurchaseTime=later,
    )
    env.clock.advance(2 * 86400 + 1)
    assert ri(ec2, rid)["State"] == "payment-pending"  # bought at its time, then paid
    assert ri(ec2, rid)["State"] == "active"
    # a second queued purchase, deleted before its time
    other = ec2.purchase_reserved_instances_offering(
        ReservedInstancesOfferingId=offering["ReservedInstancesOfferingId"],
        InstanceCount=1,
        PurchaseTime=env.clock.now() + dt.timedelta(days=1),
    )["ReservedInstancesId"]
    assert_error(
        ec2.delete_queued_reserved_instances,
        "DryRunOperation",
        412,
        ReservedInstancesIds=[other],
        DryRun=True,
    )
    result = ec2.delete_queued_reserved_instances(
        ReservedInstancesIds=[other, rid, "00000000-0000-4000-a000-000000000000"]
    )
    assert result["SuccessfulQueuedPurchaseDeletions"] == [{"ReservedInstancesId": other}]
    codes = {
        f["ReservedInstancesId"]: f["Error"]["Code"]
        for f in result["FailedQueuedPurchaseDeletions"]
    }
    assert codes == {
        rid: "reserved-instances-not-in-queued-state",
        "00000000-0000-4000-a000-000000000000": "reserved-instances-id-invalid",
    }
    assert ri(ec2, other)["State"] == "queued-deleted"
    env.clock.advance(2 * 86400)
    assert ri(ec2, other)["State"] == "queued-deleted"
    assert [
        r["ReservedInstancesId"] for r in ec2.describe_reserved_instances()["ReservedInstances"]
    ] == [rid]


def test_modify_split_and_move(ec2):
    rid = buy(ec2, 2, InstanceType="m5.xlarge", AvailabilityZone=ZONE)
    bad = [{"InstanceType": "m5.2xlarge", "InstanceCount": 2, "AvailabilityZone": ZONE}]
    assert_error(
        ec2.modify_reserved_instances,
        "InvalidParameterValue",
        message="footprint",
        ReservedInstancesIds=[rid],
        TargetConfigurations=bad,
    )
    assert_error(
        ec2.modify_reserved_instances,
        "InvalidParameterValue",
        message="family",
        ReservedInstancesIds=[rid],
        TargetConfigurations=[{"InstanceType": "c5.xlarge", "InstanceCount": 2}],
    )
    targets = [
        {"InstanceType": "m5.large", "InstanceCount": 2, "AvailabilityZone": "eu-west-1b"},
        {"InstanceType": "m5.xlarge", "InstanceCount": 1, "Scope": "Region"},
    ]
    modification_id = ec2.modify_reserved_instances(
        ReservedInstancesIds=[rid], TargetConfigurations=targets, ClientToken="mod-1"
    )["ReservedInstancesModificationId"]
    assert modification_id.startswith("rimod-")
    again = ec2.modify_reserved_instances(
        ReservedInstancesIds=[rid], TargetConfigurations=targets, ClientToken="mod-1"
    )["ReservedInstancesModificationId"]
    assert again == modification_id
    shown = ec2.describe_reserved_instances_modifications(
        ReservedInstancesModificationIds=[modification_id]
    )["ReservedInstancesModifications"][0]
    assert shown["Status"] == "fulfilled"
    assert shown["ReservedInstancesIds"] == [{"ReservedInstancesId": rid}]
    results = {
        r["TargetConfiguration"]["InstanceType"]: r["ReservedInstancesId"]
        for r in shown["ModificationResults"]
    }
    assert set(results) == {"m5.large", "m5.xlarge"}
    assert ri(ec2, rid)["State"] == "retired"
    large = ri(ec2, results["m5.large"])
    assert (large["InstanceCount"], large["AvailabilityZone"], large["State"]) == (
        2,
        "eu-west-1b",
        "active",
    )
    regional = ri(ec2, results["m5.xlarge"])
    assert regional["Scope"] == "Region"
    assert regional["End"] == ri(ec2, rid)["End"]  # the term does not restart
    by_filter = ec2.describe_reserved_instances_modifications(
        Filters=[
            {
                "Name": "modification-result.target-configuration.instance-type",
                "Values": ["m5.large"],
            },
            {"Name": "client-token", "Values": ["mod-1"]},
        ]
    )["ReservedInstancesModifications"]
    assert [m["ReservedInstancesModificationId"] for m in by_filter] == [modification_id]
    assert_error(
        ec2.modify_reserved_instances,
        "InvalidParameterValue",
        message="retired",
        ReservedInstancesIds=[rid],
        TargetConfigurations=targets,
    )


def test_marketplace_listing(env, ec2):
    rid = buy(ec2, 3, AvailabilityZone=ZONE)
    schedules = [
        {"Term": 10, "Price": 300.0, "CurrencyCode": "USD"},
        {"Term": 6, "Price": 150.0, "CurrencyCode": "USD"},
    ]
    assert_error(
        ec2.create_reserved_instances_listing,
        "InvalidInput",
        message="30 days",
        ReservedInstancesId=rid,
        InstanceCount=1,
        PriceSchedules=schedules,
        ClientToken="list-1",
    )
    env.clock.advance(31 * 86400)
    regional = buy(ec2, 1)
    assert_error(
        ec2.create_reserved_instances_listing,
        "InvalidInput",
        ReservedInstancesId=regional,
        InstanceCount=1,
        PriceSchedules=schedules,
        ClientToken="list-0",
    )
    assert_error(
        ec2.create_reserved_instances_listing,
        "InvalidParameterValue",
        ReservedInstancesId=rid,
        InstanceCount=4,
        PriceSchedules=schedules,
        ClientToken="list-1",
    )
    created = ec2.create_reserved_instances_listing(
        ReservedInstancesId=rid, InstanceCount=2, PriceSchedules=schedules, ClientToken="list-1"
    )["ReservedInstancesListings"][0]
    listing_id = created["ReservedInstancesListingId"]
    assert created["Status"] == "pending"
    again = ec2.create_reserved_instances_listing(
        ReservedInstancesId=rid, InstanceCount=2, PriceSchedules=schedules, ClientToken="list-1"
    )["ReservedInstancesListings"][0]
    assert again["ReservedInstancesListingId"] == listing_id
    shown = ec2.describe_reserved_instances_listings(ReservedInstancesId=rid)[
        "ReservedInstancesListings"
    ][0]
    assert shown["Status"] == "active"
    counts = {c["State"]: c["InstanceCount"] for c in shown["InstanceCounts"]}
    assert counts["available"] == 2
    active = [p for p in shown["PriceSchedules"] if p["Active"]]
    assert [p["Term"] for p in active] == [10]
    assert (
        ec2.describe_reserved_instances_listings(
            Filters=[{"Name": "status", "Values": ["active"]}]
        )["ReservedInstancesListings"][0]["ReservedInstancesListingId"]
        == listing_id
    )
    cancelled = ec2.cancel_reserved_instances_listing(ReservedInstancesListingId=listing_id)[
        "ReservedInstancesListings"
    ][0]
    assert cancelled["Status"] == "cancelled"
    assert {c["State"]: c["InstanceCount"] for c in cancelled["InstanceCounts"]}["cancelled"] == 2
    assert_error(
        ec2.cancel_reserved_instances_listing, "InvalidInput", ReservedInstancesListingId=listing_id
    )
    assert_error(
        ec2.describe_reserved_instances_listings,
        "InvalidReservedInstancesListingId.NotFound",
        ReservedInstancesListingId="00000000-0000-4000-a000-000000000000",
    )


def test_convertible_exchange(ec2):
    source = buy(ec2, 1, OfferingClass="convertible", OfferingType="No Upfront")
    standard = buy(ec2, 1)
    target = one_offering(
        ec2, InstanceType="m5.xlarge", OfferingClass="convertible", OfferingType="No Upfront"
    )
    cheaper = one_offering(
        ec2, InstanceType="t3.nano", OfferingClass="convertible", OfferingType="No Upfront"
    )
    quote = ec2.get_reserved_instances_exchange_quote(
        ReservedInstanceIds=[source],
        TargetConfigurations=[
            {"OfferingId": target["ReservedInstancesOfferingId"], "InstanceCount": 1}
        ],
    )
    assert quote["IsValidExchange"] is True
    assert quote["CurrencyCode"] == "USD"
    assert float(quote["TargetConfigurationValueRollup"]["RemainingTotalValue"]) > float(
        quote["ReservedInstanceValueRollup"]["RemainingTotalValue"]
    )
    assert [v["ReservedInstanceId"] for v in quote["ReservedInstanceValueSet"]] == [source]
    low = ec2.get_reserved_instances_exchange_quote(
        ReservedInstanceIds=[source],
        TargetConfigurations=[
            {"OfferingId": cheaper["ReservedInstancesOfferingId"], "InstanceCount": 1}
        ],
    )
    assert low["IsValidExchange"] is False
    assert "equal or greater value" in low["ValidationFailureReason"]
    not_convertible = ec2.get_reserved_instances_exchange_quote(
        ReservedInstanceIds=[standard],
        TargetConfigurations=[{"OfferingId": target["ReservedInstancesOfferingId"]}],
    )
    assert not_convertible["IsValidExchange"] is False
    assert_error(
        ec2.accept_reserved_instances_exchange_quote,
        "InvalidParameterValue",
        ReservedInstanceIds=[source],
        TargetConfigurations=[{"OfferingId": cheaper["ReservedInstancesOfferingId"]}],
    )
    assert_error(
        ec2.accept_reserved_instances_exchange_quote,
        "DryRunOperation",
        412,
        DryRun=True,
        ReservedInstanceIds=[source],
        TargetConfigurations=[{"OfferingId": target["ReservedInstancesOfferingId"]}],
    )
    exchange = ec2.accept_reserved_instances_exchange_quote(
        ReservedInstanceIds=[source],
        TargetConfigurations=[
            {"OfferingId": target["ReservedInstancesOfferingId"], "InstanceCount": 1}
        ],
    )
    assert exchange["ExchangeId"].startswith("riex-")
    assert ri(ec2, source)["State"] == "retired"
    new = [
        r
        for r in ec2.describe_reserved_instances(
            Filters=[{"Name": "instance-type", "Values": ["m5.xlarge"]}]
        )["ReservedInstances"]
    ]
    assert len(new) == 1 and new[0]["OfferingClass"] == "convertible"
    assert new[0]["State"] == "active"


def test_scheduled_instances_are_no_longer_sold(env, ec2):
    now = env.clock.now()
    available = ec2.describe_scheduled_instance_availability(
        FirstSlotStartTimeRange={"EarliestTime": now, "LatestTime": now + dt.timedelta(days=7)},
        Recurrence={"Frequency": "Weekly", "Interval": 1, "OccurrenceDays": [1]},
        Filters=[{"Name": "instance-type", "Values": ["c4.large"]}],
    )
    assert available["ScheduledInstanceAvailabilitySet"] == []
    assert_error(
        ec2.describe_scheduled_instance_availability,
        "InvalidParameterValue",
        FirstSlotStartTimeRange={"EarliestTime": now, "LatestTime": now},
        Recurrence={"Frequency": "Hourly"},
    )
    assert ec2.describe_scheduled_instances()["ScheduledInstanceSet"] == []
    assert_error(
        ec2.purchase_scheduled_instances,
        "InvalidPurchaseToken.Malformed",
        PurchaseRequests=[{"InstanceCount": 1, "PurchaseToken": "token"}],
    )
    assert_error(
        ec2.describe_scheduled_instances,
        "InvalidScheduledInstance",
        ScheduledInstanceIds=["sci-1234-1234-1234-1234-123456789012"],
    )
    assert_error(
        ec2.run_scheduled_instances,
        "InvalidScheduledInstance",
        ScheduledInstanceId="sci-1234-1234-1234-1234-123456789012",
        LaunchSpecification={"ImageId": "ami-0abcdef1234567890"},
    )
