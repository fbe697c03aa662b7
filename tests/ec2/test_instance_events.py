"""Instance event windows, event notification attributes, event start times, status reports."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from ec2_helpers import assert_error, instances, launch

RANGES = [
    {"StartWeekDay": "monday", "StartHour": 2, "EndWeekDay": "monday", "EndHour": 6},
]


def _window(ec2, **kw):
    kw.setdefault("TimeRanges", RANGES)
    return ec2.create_instance_event_window(**kw)["InstanceEventWindow"]


def _windows(ec2, **kw):
    return ec2.describe_instance_event_windows(**kw)["InstanceEventWindows"]


def test_create_and_describe(ec2):
    window = _window(
        ec2,
        Name="weekly",
        TagSpecifications=[
            {"ResourceType": "instance-event-window", "Tags": [{"Key": "team", "Value": "a"}]}
        ],
    )
    assert window["InstanceEventWindowId"].startswith("iew-")
    assert window["State"] == "creating"
    assert window["Name"] == "weekly"
    assert window["TimeRanges"] == RANGES
    [shown] = _windows(ec2, InstanceEventWindowIds=[window["InstanceEventWindowId"]])
    assert shown["State"] == "active"
    assert shown["Tags"] == [{"Key": "team", "Value": "a"}]
    cron = _window(ec2, TimeRanges=[], CronExpression="* 0-4,20-23 * * 1,5")
    assert cron["CronExpression"] == "* 0-4,20-23 * * 1,5"
    by_name = _windows(ec2, Filters=[{"Name": "event-window-name", "Values": ["weekly"]}])
    assert [w["InstanceEventWindowId"] for w in by_name] == [window["InstanceEventWindowId"]]
    by_tag = _windows(ec2, Filters=[{"Name": "tag:team", "Values": ["a"]}])
    assert len(by_tag) == 1
    assert_error(
        ec2.describe_instance_event_windows,
        "InvalidInstanceEventWindowId.NotFound",
        InstanceEventWindowIds=["iew-0123456789abcdef0"],
    )


@pytest.mark.parametrize(
    "kw",
    [
        {
            "TimeRanges": [
                {"StartWeekDay": "monday", "StartHour": 2, "EndWeekDay": "monday", "EndHour": 3}
            ]
        },
        {
            "TimeRanges": [
                {"StartWeekDay": "monday", "StartHour": 2, "EndWeekDay": "monday", "EndHour": 4},
            ]
        },
        {"TimeRanges": RANGES, "CronExpression": "* 0-4 * * 1"},
        {"TimeRanges": [], "CronExpression": "0 0-4 * * 1"},
        {"TimeRanges": [], "CronExpression": "* 0-1,3-6 * * 1"},
        {"TimeRanges": [], "CronExpression": "* 0-3 * * 1"},
        {"TimeRanges": [], "CronExpression": "* 0-4 * * 9"},
        {"TimeRanges": [], "CronExpression": "* 5 * * 1"},
    ],
)
def test_time_range_and_cron_rules(ec2, kw):
    code = (
        "InvalidParameterCombination"
        if kw.get("TimeRanges") and "CronExpression" in kw
        else ("InvalidParameterValue")
    )
    assert_error(ec2.create_instance_event_window, code, **kw)
    assert _windows(ec2) == []


def test_modify(ec2):
    window = _window(ec2, Name="a")
    window_id = window["InstanceEventWindowId"]
    out = ec2.modify_instance_event_window(
        InstanceEventWindowId=window_id, Name="b", CronExpression="* 1-5 * * SAT"
    )["InstanceEventWindow"]
    assert out["Name"] == "b"
    assert out["CronExpression"] == "* 1-5 * * SAT"
    assert out["TimeRanges"] == []
    assert_error(
        ec2.modify_instance_event_window,
        "InvalidParameterValue",
        InstanceEventWindowId=window_id,
        CronExpression="* 1-2 * * SAT",
    )
    assert_error(
        ec2.modify_instance_event_window,
        "DryRunOperation",
        status=412,
        InstanceEventWindowId=window_id,
        Name="c",
        DryRun=True,
    )
    assert _windows(ec2)[0]["Name"] == "b"


def test_associate_disassociate_and_delete(ec2):
    [a, b] = [i["InstanceId"] for i in launch(ec2, 2)]
    window_id = _window(ec2)["InstanceEventWindowId"]
    out = ec2.associate_instance_event_window(
        InstanceEventWindowId=window_id, AssociationTarget={"InstanceIds": [a, b]}
    )["InstanceEventWindow"]
    assert out["AssociationTarget"]["InstanceIds"] == [a, b]
    assert [
        w["InstanceEventWindowId"]
        for w in _windows(ec2, Filters=[{"Name": "instance-id", "Values": [b]}])
    ] == [window_id]
    # one kind of target at a time, and an instance in one window only
    assert_error(
        ec2.associate_instance_event_window,
        "InvalidParameterCombination",
        InstanceEventWindowId=window_id,
        AssociationTarget={"InstanceTags": [{"Key": "env", "Value": "prod"}]},
    )
    other = _window(ec2)["InstanceEventWindowId"]
    assert_error(
        ec2.associate_instance_event_window,
        "InvalidParameterValue",
        message="already associated",
        InstanceEventWindowId=other,
        AssociationTarget={"InstanceIds": [a]},
    )
    tagged = ec2.associate_instance_event_window(
        InstanceEventWindowId=other,
        AssociationTarget={"InstanceTags": [{"Key": "env", "Value": "prod"}]},
    )["InstanceEventWindow"]
    assert tagged["AssociationTarget"]["Tags"] == [{"Key": "env", "Value": "prod"}]
    for name, value in (
        ("instance-tag", "env=prod"),
        ("instance-tag-key", "env"),
        ("instance-tag-value", "prod"),
    ):
        found = _windows(ec2, Filters=[{"Name": name, "Values": [value]}])
        assert [w["InstanceEventWindowId"] for w in found] == [other]
    assert _windows(ec2, Filters=[{"Name": "dedicated-host-id", "Values": ["h-1"]}]) == []

    assert_error(
        ec2.delete_instance_event_window,
        "InvalidInstanceEventWindowState",
        InstanceEventWindowId=window_id,
    )
    out = ec2.disassociate_instance_event_window(
        InstanceEventWindowId=window_id, AssociationTarget={"InstanceIds": [a]}
    )["InstanceEventWindow"]
    assert out["AssociationTarget"]["InstanceIds"] == [b]
    assert_error(
        ec2.delete_instance_event_window,
        "DryRunOperation",
        status=412,
        InstanceEventWindowId=window_id,
        ForceDelete=True,
        DryRun=True,
    )
    state = ec2.delete_instance_event_window(InstanceEventWindowId=window_id, ForceDelete=True)[
        "InstanceEventWindowState"
    ]
    assert state == {"InstanceEventWindowId": window_id, "State": "deleting"}
    assert [w["InstanceEventWindowId"] for w in _windows(ec2)] == [other]
    assert_error(
        ec2.associate_instance_event_window,
        "DryRunOperation",
        status=412,
        InstanceEventWindowId=other,
        AssociationTarget={"InstanceTags": [{"Key": "env", "Value": "dev"}]},
        DryRun=True,
    )
    assert_error(
        ec2.disassociate_instance_event_window,
        "DryRunOperation",
        status=412,
        InstanceEventWindowId=other,
        AssociationTarget={"InstanceTags": [{"Key": "env", "Value": "prod"}]},
        DryRun=True,
    )
    assert_error(
        ec2.create_instance_event_window,
        "DryRunOperation",
        status=412,
        TimeRanges=RANGES,
        DryRun=True,
    )
    assert len(_windows(ec2)) == 1


def test_paging(ec2):
    for _ in range(21):
        _window(ec2)
    first = ec2.describe_instance_event_windows(MaxResults=20)
    assert len(first["InstanceEventWindows"]) == 20
    rest = ec2.describe_instance_event_windows(MaxResults=20, NextToken=first["NextToken"])
    assert len(rest["InstanceEventWindows"]) == 1


def test_event_notification_attributes(ec2):
    empty = ec2.describe_instance_event_notification_attributes()["InstanceTagAttribute"]
    assert empty == {"InstanceTagKeys": [], "IncludeAllTagsOfInstance": False}
    out = ec2.register_instance_event_notification_attributes(
        InstanceTagAttribute={"InstanceTagKeys": ["Name", "team"]}
    )["InstanceTagAttribute"]
    assert out["InstanceTagKeys"] == ["Name", "team"]
    ec2.deregister_instance_event_notification_attributes(
        InstanceTagAttribute={"InstanceTagKeys": ["team"]}
    )
    ec2.register_instance_event_notification_attributes(
        InstanceTagAttribute={"IncludeAllTagsOfInstance": True}
    )
    got = ec2.describe_instance_event_notification_attributes()["InstanceTagAttribute"]
    assert got == {"InstanceTagKeys": ["Name"], "IncludeAllTagsOfInstance": True}
    assert_error(
        ec2.register_instance_event_notification_attributes,
        "InvalidParameterCombination",
        InstanceTagAttribute={"IncludeAllTagsOfInstance": True, "InstanceTagKeys": ["x"]},
    )
    assert_error(
        ec2.register_instance_event_notification_attributes,
        "MissingParameter",
        InstanceTagAttribute={},
    )
    for call in (
        ec2.register_instance_event_notification_attributes,
        ec2.deregister_instance_event_notification_attributes,
    ):
        assert_error(
            call,
            "DryRunOperation",
            status=412,
            InstanceTagAttribute={"InstanceTagKeys": ["x"]},
            DryRun=True,
        )


def test_event_start_time_and_status_report(ec2):
    [inst] = launch(ec2)
    instances(ec2)
    assert_error(
        ec2.modify_instance_event_start_time,
        "InvalidInstanceEventID.NotFound",
        InstanceId=inst["InstanceId"],
        InstanceEventId="instance-event-0123456789abcdef0",
        NotBefore=datetime(2030, 1, 1, tzinfo=timezone.utc),
    )
    ec2.report_instance_status(
        Instances=[inst["InstanceId"]],
        Status="impaired",
        ReasonCodes=["unresponsive"],
        StartTime=datetime(2030, 1, 1, tzinfo=timezone.utc),
        Description="stuck",
    )
    assert_error(
        ec2.report_instance_status,
        "InvalidInstanceID.NotFound",
        Instances=["i-0123456789abcdef0"],
        Status="ok",
        ReasonCodes=["other"],
    )
    assert_error(
        ec2.report_instance_status,
        "DryRunOperation",
        status=412,
        Instances=[inst["InstanceId"]],
        Status="ok",
        ReasonCodes=["other"],
        DryRun=True,
    )
