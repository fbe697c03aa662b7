"""EC2 Capacity Manager and interruptible Capacity Reservation allocations through boto3."""

from __future__ import annotations

import datetime as dt

from tests.ec2.ec2_helpers import assert_error, launch_ids

ZONE = "eu-west-1a"


def create(ec2, count=2, **kw):
    kw.setdefault("InstanceType", "m5.large")
    return ec2.create_capacity_reservation(
        InstancePlatform="Linux/UNIX", AvailabilityZone=ZONE, InstanceCount=count, **kw
    )["CapacityReservation"]


def test_switch_and_attributes(ec2):
    attributes = ec2.get_capacity_manager_attributes()
    assert attributes["CapacityManagerStatus"] == "disabled"
    assert attributes["DataExportCount"] == 0
    assert_error(ec2.get_capacity_manager_monitored_tag_keys, "IncorrectState")
    assert_error(ec2.disable_capacity_manager, "IncorrectState")
    assert_error(ec2.enable_capacity_manager, "DryRunOperation", 412, DryRun=True)
    assert ec2.get_capacity_manager_attributes()["CapacityManagerStatus"] == "disabled"
    enabled = ec2.enable_capacity_manager(OrganizationsAccess=True)
    assert enabled["CapacityManagerStatus"] == "enabled"
    assert enabled["OrganizationsAccess"] is True
    attributes = ec2.get_capacity_manager_attributes()
    assert attributes["IngestionStatus"] == "ingestion-complete"
    assert "EarliestDatapointTimestamp" in attributes
    changed = ec2.update_capacity_manager_organizations_access(OrganizationsAccess=False)
    assert changed["OrganizationsAccess"] is False
    assert ec2.disable_capacity_manager()["CapacityManagerStatus"] == "disabled"


def test_data_exports(ec2):
    assert_error(
        ec2.create_capacity_manager_data_export,
        "IncorrectState",
        S3BucketName="b",
        Schedule="hourly",
        OutputFormat="csv",
    )
    ec2.enable_capacity_manager()
    assert_error(
        ec2.create_capacity_manager_data_export,
        "InvalidParameterValue",
        S3BucketName="b",
        Schedule="hourly",
        OutputFormat="xml",
    )
    export_id = ec2.create_capacity_manager_data_export(
        S3BucketName="my-bucket",
        S3BucketPrefix="cm/",
        Schedule="hourly",
        OutputFormat="parquet",
        TagSpecifications=[
            {"ResourceType": "capacity-manager-data-export", "Tags": [{"Key": "a", "Value": "b"}]}
        ],
    )["CapacityManagerDataExportId"]
    assert export_id.startswith("cmde-")
    shown = ec2.describe_capacity_manager_data_exports()["CapacityManagerDataExports"]
    assert [(e["S3BucketName"], e["S3BucketPrefix"], e["OutputFormat"]) for e in shown] == [
        ("my-bucket", "cm/", "parquet")
    ]
    assert shown[0]["LatestDeliveryStatus"] == "pending"
    assert shown[0]["Tags"] == [{"Key": "a", "Value": "b"}]
    assert ec2.get_capacity_manager_attributes()["DataExportCount"] == 1
    assert_error(
        ec2.delete_capacity_manager_data_export,
        "DryRunOperation",
        412,
        CapacityManagerDataExportId=export_id,
        DryRun=True,
    )
    ec2.delete_capacity_manager_data_export(CapacityManagerDataExportId=export_id)
    assert ec2.describe_capacity_manager_data_exports()["CapacityManagerDataExports"] == []
    assert_error(
        ec2.delete_capacity_manager_data_export,
        "InvalidCapacityManagerDataExportId.NotFound",
        CapacityManagerDataExportId=export_id,
    )


def test_monitored_tag_keys(ec2):
    ec2.enable_capacity_manager()
    changed = ec2.update_capacity_manager_monitored_tag_keys(ActivateTagKeys=["team", "env"])[
        "CapacityManagerTagKeys"
    ]
    assert [(k["TagKey"], k["Status"]) for k in changed] == [
        ("team", "activating"),
        ("env", "activating"),
    ]
    keys = ec2.get_capacity_manager_monitored_tag_keys()["CapacityManagerTagKeys"]
    assert {(k["TagKey"], k["Status"]) for k in keys} == {
        ("team", "activated"),
        ("env", "activated"),
    }
    ec2.update_capacity_manager_monitored_tag_keys(DeactivateTagKeys=["env"])
    keys = ec2.get_capacity_manager_monitored_tag_keys()["CapacityManagerTagKeys"]
    assert [k["TagKey"] for k in keys] == ["team"]
    assert_error(
        ec2.update_capacity_manager_monitored_tag_keys,
        "InvalidParameterValue",
        DeactivateTagKeys=["nope"],
    )
    assert_error(
        ec2.update_capacity_manager_monitored_tag_keys,
        "LimitExceeded",
        ActivateTagKeys=["a", "b", "c", "d", "e"],
    )


def test_metrics_from_reservations(env, ec2):
    ec2.enable_capacity_manager()
    start = env.clock.now().replace(minute=0, second=0, microsecond=0)
    create(ec2, 2)
    create(ec2, 4, InstanceType="c5.xlarge")
    env.clock.advance(2 * 3600)
    end = start + dt.timedelta(hours=2)
    dims = ec2.get_capacity_manager_metric_dimensions(
        GroupBy=["instance-type"],
        StartTime=start,
        EndTime=end,
        MetricNames=["reservation-total-count"],
    )["MetricDimensionResults"]
    assert sorted(d["InstanceType"] for d in dims) == ["c5.xlarge", "m5.large"]
    data = ec2.get_capacity_manager_metric_data(
        MetricNames=[
            "reservation-max-size-inst",
            "reservation-total-count",
            "reservation-max-size-vcpu",
        ],
        StartTime=start,
        EndTime=end,
        Period=3600,
        GroupBy=["instance-type"],
        FilterBy=[
            {
                "DimensionCondition": {
                    "Dimension": "instance-type",
                    "Comparison": "equals",
                    "Values": ["c5.xlarge"],
                }
            }
        ],
    )["MetricDataResults"]
    assert len(data) == 2  # two hourly points for the one group
    values = {v["Metric"]: v["Value"] for v in data[1]["MetricValues"]}
    assert values == {
        "reservation-max-size-inst": 4.0,
        "reservation-total-count": 1.0,
        "reservation-max-size-vcpu": 16.0,
    }
    assert_error(
        ec2.get_capacity_manager_metric_data,
        "UnsupportedOperation",
        message="spot",
        MetricNames=["spot-total-count-inst"],
        StartTime=start,
        EndTime=end,
        Period=3600,
    )
    assert_error(
        ec2.get_capacity_manager_metric_data,
        "InvalidParameterValue",
        MetricNames=["reservation-total-count"],
        StartTime=start,
        EndTime=start + dt.timedelta(minutes=90),
        Period=3600,
    )


def test_interruptible_allocation(ec2):
    source = create(ec2, 4)["CapacityReservationId"]
    launch_ids(ec2, 1, InstanceType="m5.large", Placement={"AvailabilityZone": ZONE})
    assert_error(
        ec2.create_interruptible_capacity_reservation_allocation,
        "InvalidParameterValue",
        CapacityReservationId=source,
        InstanceCount=4,
    )
    created = ec2.create_interruptible_capacity_reservation_allocation(
        CapacityReservationId=source, InstanceCount=2
    )
    assert created["Status"] == "pending"
    assert created["TargetInstanceCount"] == 2
    shown = ec2.describe_capacity_reservations(CapacityReservationIds=[source])[
        "CapacityReservations"
    ][0]
    allocation = shown["InterruptibleCapacityAllocation"]
    assert allocation["Status"] == "active"
    assert allocation["InstanceCount"] == 2
    assert shown["AvailableInstanceCount"] == 1  # 4 - 1 running - 2 lent
    borrower_id = allocation["InterruptibleCapacityReservationId"]
    borrower = ec2.describe_capacity_reservations(CapacityReservationIds=[borrower_id])[
        "CapacityReservations"
    ][0]
    assert borrower["Interruptible"] is True
    assert borrower["InterruptionInfo"]["SourceCapacityReservationId"] == source
    assert borrower["TotalInstanceCount"] == 2

    updated = ec2.update_interruptible_capacity_reservation_allocation(
        CapacityReservationId=source, TargetInstanceCount=0
    )
    assert updated["Status"] == "updating"
    shown = ec2.describe_capacity_reservations(CapacityReservationIds=[source, borrower_id])[
        "CapacityReservations"
    ]
    assert shown[0]["AvailableInstanceCount"] == 3
    assert shown[0]["InterruptibleCapacityAllocation"]["Status"] == "canceled"
    assert shown[1]["State"] == "cancelled"
    assert_error(
        ec2.update_interruptible_capacity_reservation_allocation,
        "InvalidParameterValue",
        CapacityReservationId=source,
        TargetInstanceCount=1,
    )


def test_supportability_scores(ec2):
    kw = dict(
        MarketType="on-demand",
        CapacityAmount=4,
        CapacityUnit="instances",
        CapacityAvailabilityZoneIds=["euw1-az1", "use1-az2"],
        InstanceTypes=["m5.large", "c5.xlarge"],
    )
    assert_error(ec2.get_capacity_manager_supportability_scores, "IncorrectState", **kw)
    ec2.enable_capacity_manager()
    scores = ec2.get_capacity_manager_supportability_scores(**kw)
    assert scores["AggregateScore"] == "high"
    assert {
        (s["InstanceType"], s["AvailabilityZoneId"])
        for s in scores["CapacityManagerSupportabilityScores"]
    } == {
        ("m5.large", "euw1-az1"),
        ("m5.large", "use1-az2"),
        ("c5.xlarge", "euw1-az1"),
        ("c5.xlarge", "use1-az2"),
    }
    assert_error(
        ec2.get_capacity_manager_supportability_scores,
        "InvalidParameterValue",
        **{**kw, "CapacityAvailabilityZoneIds": ["nowhere"]},
    )
    assert_error(
        ec2.get_capacity_manager_supportability_scores,
        "MissingParameter",
        **{**kw, "InstanceTypes": []},
    )
