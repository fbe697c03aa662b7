"""Capacity Reservations through boto3: lifecycle on the clock, launches, billing, quotes."""

from __future__ import annotations

import datetime as dt
import re

from tests.ec2.ec2_helpers import ID17, assert_error, launch_ids

ZONE = "eu-west-1a"


def create(ec2, count=2, **kw):
    kw.setdefault("InstanceType", "m5.large")
    kw.setdefault("InstancePlatform", "Linux/UNIX")
    if "AvailabilityZoneId" not in kw:
        kw.setdefault("AvailabilityZone", ZONE)
    return ec2.create_capacity_reservation(InstanceCount=count, **kw)["CapacityReservation"]


def describe(ec2, reservation_id):
    return ec2.describe_capacity_reservations(CapacityReservationIds=[reservation_id])[
        "CapacityReservations"
    ][0]


def test_create_and_describe(env, ec2):
    created = create(
        ec2,
        3,
        Tenancy="dedicated",
        EbsOptimized=True,
        InstanceMatchCriteria="targeted",
        TagSpecifications=[
            {"ResourceType": "capacity-reservation", "Tags": [{"Key": "team", "Value": "a"}]}
        ],
    )
    rid = created["CapacityReservationId"]
    assert re.fullmatch(rf"cr-{ID17}", rid)
    assert created["State"] == "pending"
    assert created["CapacityReservationArn"] == (
        f"arn:aws:ec2:eu-west-1:{created['OwnerId']}:capacity-reservation/{rid}"
    )
    assert created["AvailabilityZoneId"] == "euw1-az1"
    assert created["TotalInstanceCount"] == created["AvailableInstanceCount"] == 3
    assert created["Tenancy"] == "dedicated"
    assert created["EbsOptimized"] is True
    assert created["EndDateType"] == "unlimited"
    assert "EndDate" not in created
    assert created["InstanceMatchCriteria"] == "targeted"
    assert created["Tags"] == [{"Key": "team", "Value": "a"}]

    shown = describe(ec2, rid)
    assert shown["State"] == "active"
    # zone by id
    by_id = create(ec2, AvailabilityZoneId="euw1-az2")
    assert by_id["AvailabilityZone"] == "eu-west-1b"
    # tags work through DescribeTags too
    tags = ec2.describe_tags(Filters=[{"Name": "resource-id", "Values": [rid]}])["Tags"]
    assert tags[0]["ResourceType"] == "capacity-reservation"


def test_create_errors(ec2):
    base = dict(InstanceType="m5.large", InstancePlatform="Linux/UNIX", AvailabilityZone=ZONE)
    call = ec2.create_capacity_reservation
    assert_error(call, "InvalidParameterValue", InstanceCount=0, **base)
    assert_error(call, "InvalidParameterValue", InstanceCount=1001, **base)
    assert_error(
        call,
        "InvalidParameterValue",
        message="InstancePlatform",
        InstanceCount=1,
        **{**base, "InstancePlatform": "Plan9"},
    )
    assert_error(
        call, "InvalidParameterValue", InstanceCount=1, **{**base, "AvailabilityZone": "mars-1a"}
    )
    assert_error(call, "InvalidParameterValue", InstanceCount=1, Tenancy="host", **base)
    assert_error(
        call, "InvalidParameterValue", InstanceCount=1, InstanceMatchCriteria="closed", **base
    )
    assert_error(
        call,
        "InvalidParameterCombination",
        message="EndDate",
        InstanceCount=1,
        EndDateType="limited",
        **base,
    )
    future = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=1)
    assert_error(
        call,
        "InvalidParameterCombination",
        InstanceCount=1,
        EndDateType="unlimited",
        EndDate=future,
        **base,
    )
    assert_error(
        call,
        "InvalidParameterValue",
        InstanceCount=1,
        EndDate=dt.datetime(2001, 1, 1, tzinfo=dt.timezone.utc),
        **base,
    )
    assert_error(
        call,
        "InvalidParameterValue",
        InstanceCount=1,
        TagSpecifications=[{"ResourceType": "instance", "Tags": []}],
        **base,
    )
    assert_error(call, "DryRunOperation", 412, InstanceCount=1, DryRun=True, **base)
    assert ec2.describe_capacity_reservations()["CapacityReservations"] == []


def test_client_token_is_idempotent(ec2):
    first = create(ec2, ClientToken="tok-1")
    again = create(ec2, ClientToken="tok-1")
    assert again["CapacityReservationId"] == first["CapacityReservationId"]
    assert_error(
        ec2.create_capacity_reservation,
        "IdempotentParameterMismatch",
        InstanceType="c5.large",
        InstancePlatform="Linux/UNIX",
        AvailabilityZone=ZONE,
        InstanceCount=2,
        ClientToken="tok-1",
    )
    assert len(ec2.describe_capacity_reservations()["CapacityReservations"]) == 1


def test_limited_reservation_expires_on_the_clock(env, ec2):
    end = env.clock.now() + dt.timedelta(hours=2)
    rid = create(ec2, EndDateType="limited", EndDate=end)["CapacityReservationId"]
    shown = describe(ec2, rid)
    assert shown["State"] == "active"
    assert shown["EndDateType"] == "limited"
    assert shown["EndDate"] == end.replace(microsecond=(end.microsecond // 1000) * 1000)
    env.clock.advance(2 * 3600 + 1)
    expired = describe(ec2, rid)
    assert expired["State"] == "expired"
    assert expired["AvailableInstanceCount"] == 0
    assert_error(
        ec2.modify_capacity_reservation,
        "InvalidParameterValue",
        message="expired",
        CapacityReservationId=rid,
        InstanceCount=4,
    )


def test_describe_filters_and_paging(ec2):
    a = create(ec2, InstanceType="m5.large")["CapacityReservationId"]
    b = create(ec2, InstanceType="c5.xlarge", Tenancy="dedicated")["CapacityReservationId"]
    c = create(ec2, InstanceType="c5.xlarge", InstanceMatchCriteria="targeted")[
        "CapacityReservationId"
    ]
    ec2.cancel_capacity_reservation(CapacityReservationId=c)

    def ids(*filters):
        return [
            r["CapacityReservationId"]
            for r in ec2.describe_capacity_reservations(
                Filters=[{"Name": n, "Values": v} for n, v in filters]
            )["CapacityReservations"]
        ]

    assert ids(("instance-type", ["c5.xlarge"])) == [b, c]
    assert ids(("tenancy", ["dedicated"])) == [b]
    assert ids(("state", ["cancelled"])) == [c]
    assert ids(("state", ["active"])) == [a, b]
    assert ids(("instance-match-criteria", ["targeted"])) == [c]
    assert ids(("availability-zone", [ZONE]), ("instance-platform", ["Linux/UNIX"])) == [a, b, c]
    assert ids(("end-date-type", ["unlimited"])) == [a, b, c]
    assert ids(("owner-id", ["123456789012"])) == [a, b, c]
    assert ids(("placement-group-arn", ["*"])) == []
    assert_error(
        ec2.describe_capacity_reservations,
        "InvalidParameterValue",
        Filters=[{"Name": "colour", "Values": ["red"]}],
    )
    first = ec2.describe_capacity_reservations(MaxResults=2)
    assert len(first["CapacityReservations"]) == 2
    rest = ec2.describe_capacity_reservations(MaxResults=2, NextToken=first["NextToken"])
    assert [r["CapacityReservationId"] for r in rest["CapacityReservations"]] == [c]
    pages = ec2.get_paginator("describe_capacity_reservations").paginate(
        PaginationConfig={"PageSize": 1}
    )
    assert sum(len(p["CapacityReservations"]) for p in pages) == 3
    assert_error(
        ec2.describe_capacity_reservations,
        "InvalidCapacityReservationId.NotFound",
        CapacityReservationIds=["cr-0123456789abcdef0"],
    )
    assert_error(
        ec2.describe_capacity_reservations,
        "InvalidCapacityReservationId.Malformed",
        CapacityReservationIds=["cr-nope"],
    )


def test_modify_and_cancel(ec2):
    rid = create(ec2, 2)["CapacityReservationId"]
    assert ec2.modify_capacity_reservation(CapacityReservationId=rid, InstanceCount=5)["Return"]
    assert describe(ec2, rid)["TotalInstanceCount"] == 5
    end = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=3)
    ec2.modify_capacity_reservation(
        CapacityReservationId=rid,
        EndDate=end,
        EndDateType="limited",
        InstanceMatchCriteria="targeted",
    )
    shown = describe(ec2, rid)
    assert shown["EndDateType"] == "limited"
    assert shown["InstanceMatchCriteria"] == "targeted"
    ec2.modify_capacity_reservation(CapacityReservationId=rid, EndDateType="unlimited")
    assert "EndDate" not in describe(ec2, rid)
    assert_error(ec2.modify_capacity_reservation, "MissingParameter", CapacityReservationId=rid)
    assert_error(
        ec2.modify_capacity_reservation,
        "DryRunOperation",
        412,
        CapacityReservationId=rid,
        InstanceCount=1,
        DryRun=True,
    )
    assert describe(ec2, rid)["TotalInstanceCount"] == 5
    assert_error(
        ec2.cancel_capacity_reservation,
        "DryRunOperation",
        412,
        CapacityReservationId=rid,
        DryRun=True,
    )
    assert ec2.cancel_capacity_reservation(CapacityReservationId=rid)["Return"]
    cancelled = describe(ec2, rid)
    assert cancelled["State"] == "cancelled"
    assert "EndDate" in cancelled
    assert_error(
        ec2.cancel_capacity_reservation, "InvalidParameterValue", CapacityReservationId=rid
    )
    assert_error(
        ec2.cancel_capacity_reservation,
        "InvalidCapacityReservationId.NotFound",
        CapacityReservationId="cr-0123456789abcdef0",
    )


def test_open_reservation_absorbs_matching_launches(ec2):
    rid = create(ec2, 2)["CapacityReservationId"]
    other = create(ec2, 1, InstanceType="c5.large", InstanceMatchCriteria="targeted")[
        "CapacityReservationId"
    ]
    first = launch_ids(ec2, 1, InstanceType="m5.large", Placement={"AvailabilityZone": ZONE})
    assert describe(ec2, rid)["AvailableInstanceCount"] == 1
    # another type, another zone, or a targeted-only reservation: not counted
    launch_ids(ec2, 1, InstanceType="m5.xlarge", Placement={"AvailabilityZone": ZONE})
    launch_ids(ec2, 1, InstanceType="m5.large", Placement={"AvailabilityZone": "eu-west-1b"})
    launch_ids(ec2, 1, InstanceType="c5.large", Placement={"AvailabilityZone": ZONE})
    assert describe(ec2, rid)["AvailableInstanceCount"] == 1
    assert describe(ec2, other)["AvailableInstanceCount"] == 1
    usage = ec2.get_capacity_reservation_usage(CapacityReservationId=rid)
    assert usage["InstanceUsages"] == [{"AccountId": "123456789012", "UsedInstanceCount": 1}]
    assert usage["TotalInstanceCount"] == 2
    assert usage["State"] == "active"

    second = launch_ids(ec2, 2, InstanceType="m5.large", Placement={"AvailabilityZone": ZONE})
    assert describe(ec2, rid)["AvailableInstanceCount"] == 0  # one ran outside it

    # a stop frees a slot, and the instance running outside the reservation takes it
    ec2.stop_instances(InstanceIds=first)
    assert describe(ec2, rid)["AvailableInstanceCount"] == 0
    ec2.terminate_instances(InstanceIds=second)
    assert describe(ec2, rid)["AvailableInstanceCount"] == 2
    ec2.start_instances(InstanceIds=first)
    assert describe(ec2, rid)["AvailableInstanceCount"] == 1


def test_new_open_reservation_takes_running_instances(ec2):
    launch_ids(ec2, 3, InstanceType="r5.large", Placement={"AvailabilityZone": ZONE})
    rid = create(ec2, 2, InstanceType="r5.large")["CapacityReservationId"]
    assert describe(ec2, rid)["AvailableInstanceCount"] == 0
    usage = ec2.get_capacity_reservation_usage(CapacityReservationId=rid)
    assert usage["InstanceUsages"][0]["UsedInstanceCount"] == 2
    ec2.modify_capacity_reservation(CapacityReservationId=rid, InstanceCount=4)
    assert describe(ec2, rid)["AvailableInstanceCount"] == 1


def test_first_reservation_takes_only_running_instances_open_to_it(ec2):
    # launched before the region had any reservation: running and open ones count,
    # a stopped one and one that opted out do not
    placement = {"AvailabilityZone": ZONE}
    running = launch_ids(ec2, 2, InstanceType="r5.large", Placement=placement)
    stopped = launch_ids(ec2, 1, InstanceType="r5.large", Placement=placement)
    ec2.stop_instances(InstanceIds=stopped)
    launch_ids(
        ec2,
        1,
        InstanceType="r5.large",
        Placement=placement,
        CapacityReservationSpecification={"CapacityReservationPreference": "none"},
    )
    rid = create(ec2, 5, InstanceType="r5.large")["CapacityReservationId"]
    assert describe(ec2, rid)["AvailableInstanceCount"] == 3
    shown = ec2.describe_instances(InstanceIds=running)["Reservations"][0]["Instances"]
    assert {i.get("CapacityReservationId") for i in shown} == {rid}
    ec2.start_instances(InstanceIds=stopped)
    assert describe(ec2, rid)["AvailableInstanceCount"] == 2


def test_targeting_an_instance_through_its_attributes(ec2):
    rid = create(ec2, 1, InstanceMatchCriteria="targeted")["CapacityReservationId"]
    (iid,) = launch_ids(ec2, 1, InstanceType="m5.large", Placement={"AvailabilityZone": ZONE})
    assert describe(ec2, rid)["AvailableInstanceCount"] == 1  # targeted: not absorbed
    spec = {"CapacityReservationTarget": {"CapacityReservationId": rid}}
    modify = ec2.modify_instance_capacity_reservation_attributes
    assert_error(
        modify, "IncorrectInstanceState", InstanceId=iid, CapacityReservationSpecification=spec
    )
    ec2.stop_instances(InstanceIds=[iid])
    assert_error(
        modify,
        "DryRunOperation",
        412,
        InstanceId=iid,
        CapacityReservationSpecification=spec,
        DryRun=True,
    )
    assert modify(InstanceId=iid, CapacityReservationSpecification=spec)["Return"]
    ec2.start_instances(InstanceIds=[iid])
    assert describe(ec2, rid)["AvailableInstanceCount"] == 0
    ec2.terminate_instances(InstanceIds=[iid])
    assert describe(ec2, rid)["AvailableInstanceCount"] == 1

    (other,) = launch_ids(ec2, 1, InstanceType="c5.large", Placement={"AvailabilityZone": ZONE})
    ec2.stop_instances(InstanceIds=[other])
    assert_error(
        modify,
        "InvalidParameterValue",
        message="instance type",
        InstanceId=other,
        CapacityReservationSpecification=spec,
    )
    assert_error(
        modify,
        "InvalidParameterCombination",
        InstanceId=other,
        CapacityReservationSpecification={**spec, "CapacityReservationPreference": "open"},
    )
    assert_error(
        modify,
        "InvalidCapacityReservationId.NotFound",
        InstanceId=other,
        CapacityReservationSpecification={
            "CapacityReservationTarget": {"CapacityReservationId": "cr-0123456789abcdef0"}
        },
    )
    # preference none: a started instance stays out of open reservations
    open_rid = create(ec2, 1, InstanceType="c5.large")["CapacityReservationId"]
    modify(
        InstanceId=other, CapacityReservationSpecification={"CapacityReservationPreference": "none"}
    )
    ec2.start_instances(InstanceIds=[other])
    assert describe(ec2, open_rid)["AvailableInstanceCount"] == 1


def test_split_and_move(ec2):
    source = create(ec2, 5)["CapacityReservationId"]
    launch_ids(ec2, 1, InstanceType="m5.large", Placement={"AvailabilityZone": ZONE})
    assert_error(
        ec2.create_capacity_reservation_by_splitting,
        "DryRunOperation",
        412,
        SourceCapacityReservationId=source,
        InstanceCount=2,
        DryRun=True,
    )
    split = ec2.create_capacity_reservation_by_splitting(
        SourceCapacityReservationId=source,
        InstanceCount=2,
        TagSpecifications=[
            {"ResourceType": "capacity-reservation", "Tags": [{"Key": "half", "Value": "yes"}]}
        ],
    )
    assert split["InstanceCount"] == 2
    assert split["SourceCapacityReservation"]["TotalInstanceCount"] == 3
    destination = split["DestinationCapacityReservation"]
    assert destination["TotalInstanceCount"] == 2
    assert destination["State"] == "active"
    assert destination["Tags"] == [{"Key": "half", "Value": "yes"}]
    dest = destination["CapacityReservationId"]
    # 3 total, 1 used: only 2 can move, and not all 3
    assert_error(
        ec2.create_capacity_reservation_by_splitting,
        "InvalidParameterValue",
        SourceCapacityReservationId=source,
        InstanceCount=3,
    )
    moved = ec2.move_capacity_reservation_instances(
        SourceCapacityReservationId=dest,
        DestinationCapacityReservationId=source,
        InstanceCount=1,
    )
    assert moved["SourceCapacityReservation"]["TotalInstanceCount"] == 1
    assert moved["DestinationCapacityReservation"]["TotalInstanceCount"] == 4
    other = create(ec2, 2, InstanceType="c5.large")["CapacityReservationId"]
    assert_error(
        ec2.move_capacity_reservation_instances,
        "InvalidParameterValue",
        message="same instance type",
        SourceCapacityReservationId=source,
        DestinationCapacityReservationId=other,
        InstanceCount=1,
    )
    assert_error(
        ec2.move_capacity_reservation_instances,
        "DryRunOperation",
        412,
        SourceCapacityReservationId=source,
        DestinationCapacityReservationId=dest,
        InstanceCount=1,
        DryRun=True,
    )
    assert describe(ec2, source)["TotalInstanceCount"] == 4


def test_groups_and_topology(ec2):
    rid = create(ec2)["CapacityReservationId"]
    assert (
        ec2.get_groups_for_capacity_reservation(CapacityReservationId=rid)[
            "CapacityReservationGroups"
        ]
        == []
    )
    create(ec2, InstanceType="c5.large", AvailabilityZone="eu-west-1b")
    topology = ec2.describe_capacity_reservation_topology(
        Filters=[{"Name": "availability-zone", "Values": [ZONE]}]
    )["CapacityReservations"]
    assert [t["CapacityReservationId"] for t in topology] == [rid]
    assert len(topology[0]["NetworkNodes"]) == 3
    again = ec2.describe_capacity_reservation_topology(CapacityReservationIds=[rid])
    assert again["CapacityReservations"][0]["NetworkNodes"] == topology[0]["NetworkNodes"]
    assert (
        len(
            ec2.describe_capacity_reservation_topology(
                Filters=[{"Name": "instance-type", "Values": ["c5.large"]}]
            )["CapacityReservations"]
        )
        == 1
    )


def test_billing_ownership_across_accounts(env, ec2):
    other_account = "111122223333"
    other = env.client("ec2", aws_access_key_id=other_account, aws_secret_access_key="testing")
    rid = create(ec2)["CapacityReservationId"]
    assert_error(
        ec2.associate_capacity_reservation_billing_owner,
        "DryRunOperation",
        412,
        CapacityReservationId=rid,
        UnusedReservationBillingOwnerId=other_account,
        DryRun=True,
    )
    ec2.associate_capacity_reservation_billing_owner(
        CapacityReservationId=rid, UnusedReservationBillingOwnerId=other_account
    )
    mine = ec2.describe_capacity_reservation_billing_requests(Role="odcr-owner")[
        "CapacityReservationBillingRequests"
    ]
    assert [(r["CapacityReservationId"], r["Status"]) for r in mine] == [(rid, "pending")]
    assert mine[0]["CapacityReservationInfo"]["InstanceType"] == "m5.large"
    theirs = other.describe_capacity_reservation_billing_requests(
        Role="unused-reservation-billing-owner",
        Filters=[{"Name": "status", "Values": ["pending"]}],
    )["CapacityReservationBillingRequests"]
    assert [r["RequestedBy"] for r in theirs] == ["123456789012"]
    assert_error(
        ec2.accept_capacity_reservation_billing_ownership,
        "InvalidCapacityReservationId.NotFound",
        CapacityReservationId=rid,
    )
    other.accept_capacity_reservation_billing_ownership(CapacityReservationId=rid)
    assert describe(ec2, rid)["UnusedReservationBillingOwnerId"] == other_account
    assert_error(
        other.reject_capacity_reservation_billing_ownership,
        "InvalidParameterValue",
        CapacityReservationId=rid,
    )
    ec2.disassociate_capacity_reservation_billing_owner(
        CapacityReservationId=rid, UnusedReservationBillingOwnerId=other_account
    )
    assert "UnusedReservationBillingOwnerId" not in describe(ec2, rid)
    status = ec2.describe_capacity_reservation_billing_requests(Role="odcr-owner")[
        "CapacityReservationBillingRequests"
    ][0]["Status"]
    assert status == "revoked"
    # a second offer, rejected
    ec2.associate_capacity_reservation_billing_owner(
        CapacityReservationId=rid, UnusedReservationBillingOwnerId=other_account
    )
    other.reject_capacity_reservation_billing_ownership(CapacityReservationId=rid)
    assert (
        ec2.describe_capacity_reservation_billing_requests(
            Role="odcr-owner", Filters=[{"Name": "status", "Values": ["rejected"]}]
        )["CapacityReservationBillingRequests"][0]["UnusedReservationBillingOwnerId"]
        == other_account
    )
    assert_error(
        ec2.associate_capacity_reservation_billing_owner,
        "InvalidParameterValue",
        CapacityReservationId=rid,
        UnusedReservationBillingOwnerId="123456789012",
    )
    assert_error(
        ec2.describe_capacity_reservation_billing_requests, "InvalidParameterValue", Role="boss"
    )


def test_future_dated_reservation_and_quotes(env, ec2):
    now = env.clock.now()
    start = now + dt.timedelta(days=10)
    created = create(
        ec2,
        8,
        InstanceType="m5.xlarge",
        StartDate=start,
        CommitmentDuration=14 * 86400,
        DeliveryPreference="incremental",
    )
    rid = created["CapacityReservationId"]
    assert created["State"] == "assessing"
    assert created["CommitmentInfo"]["CommittedInstanceCount"] == 8
    assert describe(ec2, rid)["State"] == "scheduled"
    assert_error(
        ec2.create_capacity_reservation,
        "InvalidParameterValue",
        message="32 vCPUs",
        InstanceType="m5.large",
        InstancePlatform="Linux/UNIX",
        AvailabilityZone=ZONE,
        InstanceCount=1,
        StartDate=start,
        CommitmentDuration=14 * 86400,
        DeliveryPreference="incremental",
    )
    new_start = now + dt.timedelta(days=20)
    quote = ec2.create_capacity_reservation_date_change_quote(
        CapacityReservationId=rid, NewStartDate=new_start
    )["CapacityReservationModificationQuote"]
    assert quote["QuoteState"] == "active"
    qid = quote["CapacityReservationModificationQuoteId"]
    assert_error(
        ec2.modify_capacity_reservation,
        "InvalidParameterCombination",
        CapacityReservationId=rid,
        StartDate=new_start,
        QuoteId=qid,
    )
    ec2.modify_capacity_reservation(
        CapacityReservationId=rid, StartDate=new_start, QuoteId=qid, AcceptModificationTerms=True
    )
    shown = ec2.describe_capacity_reservation_date_change_quotes(
        CapacityReservationModificationQuoteIds=[qid]
    )["CapacityReservationModificationQuotes"]
    assert shown[0]["QuoteState"] == "expired"  # a quote is used once
    env.clock.advance(11 * 86400)
    assert describe(ec2, rid)["State"] == "scheduled"
    env.clock.advance(10 * 86400)
    assert describe(ec2, rid)["State"] == "active"
    # inside the commitment: cancelling needs the charges accepted
    assert_error(
        ec2.cancel_capacity_reservation,
        "InvalidParameterValue",
        message="commitment",
        CapacityReservationId=rid,
    )
    cancel_quote = ec2.create_capacity_reservation_cancellation_quote(CapacityReservationId=rid)[
        "CapacityReservationCancellationQuote"
    ]
    terms = cancel_quote["CancellationTerms"][0]
    assert terms["CancellationType"] == "commitment-wind-down"
    assert terms["ChargeCommitmentDurationHours"] > 0
    listed = ec2.describe_capacity_reservation_cancellation_quotes()[
        "CapacityReservationCancellationQuotes"
    ]
    assert [q["CapacityReservationId"] for q in listed] == [rid]
    ec2.cancel_capacity_reservation(
        CapacityReservationId=rid,
        ApplyCancellationCharges="commitment-wind-down",
        QuoteId=cancel_quote["CapacityReservationCancellationQuoteId"],
    )
    assert describe(ec2, rid)["State"] == "cancelled"
