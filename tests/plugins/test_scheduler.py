"""The cloudmock-scheduler plugin (plugins/cloudmock-scheduler): found like any installed
distribution, its handler contract proven, and every operation and error path of
EventBridge Scheduler through a boto3 client, in both modes."""

from __future__ import annotations

import ast
import importlib.util
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import requests
from botocore.config import Config
from botocore.exceptions import ClientError
from plugin_helpers import Installation, cloudmock_services

from cloudmock.core.registry import GROUP
from cloudmock.plugin_api import audit
from cloudmock.plugin_testing import assert_refused, refusal_cases
from cloudmock.server import ServerThread

ACCOUNT = "123456789012"
NOW = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)
QUEUE = f"arn:aws:sqs:eu-west-1:{ACCOUNT}:jobs"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/scheduler"
TARGET = {"Arn": QUEUE, "RoleArn": ROLE}
OFF = {"Mode": "OFF"}


def group_arn(name: str, region: str = "eu-west-1", account: str = ACCOUNT) -> str:
    return f"arn:aws:scheduler:{region}:{account}:schedule-group/{name}"


def schedule_arn(group: str, name: str) -> str:
    return f"arn:aws:scheduler:eu-west-1:{ACCOUNT}:schedule/{group}/{name}"


def create(client: Any, name: str = "nightly", **kw: Any) -> str:
    args = {
        "Name": name,
        "ScheduleExpression": "rate(1 hour)",
        "Target": TARGET,
        "FlexibleTimeWindow": OFF,
        **kw,
    }
    arn: str = client.create_schedule(**args)["ScheduleArn"]
    return arn


def error_of(call: Any, *args: Any, **kw: Any) -> tuple[str, str, int]:
    """(code, message, HTTP status) of a call that must fail."""
    with pytest.raises(ClientError) as caught:
        call(*args, **kw)
    response = caught.value.response
    return (
        response["Error"]["Code"],
        response["Error"]["Message"],
        response["ResponseMetadata"]["HTTPStatusCode"],
    )


@pytest.fixture
def frozen(env: Any) -> datetime:
    env.clock.freeze(NOW)
    return NOW


@pytest.fixture
def unchecked(env: Any) -> Any:
    """A client that sends what it is given: the server's checks, not botocore's, answer."""
    return env.client(config=Config(parameter_validation=False))


# ---------------------------------------------------------------- the distribution


def test_the_distribution_declares_its_entry_point_and_readme(plugin_dir: Path):
    tomllib = pytest.importorskip("tomllib")
    project = tomllib.loads((plugin_dir / "pyproject.toml").read_text())
    assert project["project"]["entry-points"][GROUP] == {"scheduler": "cloudmock_scheduler:plugin"}
    assert (plugin_dir / "README.md").is_file()
    assert not (plugin_dir / "cloudmock_scheduler" / "data").exists()  # botocore's model


def test_shapes_are_generated_from_todays_model(plugin_dir: Path):
    """``shapes.py`` is scripts/gen_shapes.py's output for the botocore installed: if botocore's
    model moved, regenerate it (the command is in the plugin's README)."""
    script = plugin_dir.parents[1] / "scripts" / "gen_shapes.py"
    spec = importlib.util.spec_from_file_location("gen_shapes", script)
    assert spec is not None and spec.loader is not None
    gen_shapes = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen_shapes)
    shapes = plugin_dir / "cloudmock_scheduler" / "shapes.py"
    assert gen_shapes.main(["scheduler", str(shapes), "--check"]) == 0


def test_written_against_the_plugin_api_only(plugin_dir: Path):
    imported: set[str] = set()
    for source in (plugin_dir / "cloudmock_scheduler").rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module)
            elif isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
    from_cloudmock = {name for name in imported if name.split(".")[0] == "cloudmock"}
    assert from_cloudmock == {"cloudmock.plugin_api"}


def test_listed_by_cloudmock_services(scheduler_install: Installation):
    done = cloudmock_services(*scheduler_install.path)
    assert done.returncode == 0, done.stdout + done.stderr
    rows = {line.split()[0]: line.split() for line in done.stdout.splitlines() if line.strip()}
    assert rows["scheduler"] == ["scheduler", "ok", "cloudmock_scheduler:plugin"]
    assert rows["ec2"][1] == "ok"


def test_loading_is_lazy(scheduler_install: Installation):
    """The plugin object is cheap: handlers, models and botocore's model wait for a request."""
    script = (
        "import sys; from cloudmock.core.registry import Registry; "
        "plugin = Registry().get('scheduler'); "
        "print(sorted(m for m in sys.modules if m.startswith('cloudmock_scheduler')), "
        "plugin._model is None)"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(map(str, scheduler_install.path))}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, env=env
    )
    assert done.stdout.strip() == "['cloudmock_scheduler', 'cloudmock_scheduler.errors'] True", (
        done.stdout + done.stderr
    )


def test_handlers_fit_the_model(scheduler_install: Installation):
    plugin = scheduler_install.registry.get("scheduler")
    assert plugin is not None
    assert audit(plugin) == []
    assert set(plugin.handlers) == set(plugin.service_model.operation_names)


#: what the scheduler's contract leaves out of its handlers, so refuses
REFUSED = [
    (operation, member)
    for operation in ("CreateSchedule", "UpdateSchedule")
    for member in (
        ("KmsKeyArn",),
        ("Target", "EventBridgePutEventsV2Parameters"),
        ("Target", "EventBridgePutRawEventsParameters"),
    )
]


def test_what_is_refused(scheduler_install: Installation):
    plugin = scheduler_install.registry.get("scheduler")
    assert plugin is not None
    assert refusal_cases(plugin) == REFUSED


@pytest.mark.parametrize(
    ("operation", "path"), REFUSED, ids=lambda v: ".".join(v) if isinstance(v, tuple) else v
)
def test_untaken_members_are_refused_before_anything_changes(
    env, scheduler_install, operation, path
):
    plugin = scheduler_install.registry.get("scheduler")
    assert_refused(plugin, operation, path, env.client(), env.state)


def test_refusal_wording(scheduler):
    code, message, status = error_of(
        create, scheduler, KmsKeyArn=f"arn:aws:kms:eu-west-1:{ACCOUNT}:key/k"
    )
    assert (code, status) == ("ValidationException", 400)
    assert message == "cloudmock does not support the parameter KmsKeyArn of CreateSchedule yet."


# -------------------------------------------------------------------------- schedules


def test_create_and_get_with_defaults(scheduler, frozen):
    arn = create(scheduler)
    assert arn == schedule_arn("default", "nightly")
    got = scheduler.get_schedule(Name="nightly")
    del got["ResponseMetadata"]
    assert got == {
        "Arn": arn,
        "GroupName": "default",
        "Name": "nightly",
        "ScheduleExpression": "rate(1 hour)",
        "ScheduleExpressionTimezone": "UTC",
        "State": "ENABLED",
        "CreationDate": frozen,
        "LastModificationDate": frozen,
        "Target": {
            "Arn": QUEUE,
            "RoleArn": ROLE,
            "RetryPolicy": {"MaximumEventAgeInSeconds": 86400, "MaximumRetryAttempts": 185},
        },
        "FlexibleTimeWindow": {"Mode": "OFF"},
        "ActionAfterCompletion": "NONE",
    }


def test_everything_given_is_kept(scheduler, frozen):
    target = {
        "Arn": "arn:aws:ecs:eu-west-1:123456789012:cluster/jobs",
        "RoleArn": ROLE,
        "Input": '{"job": "report"}',
        "RetryPolicy": {"MaximumRetryAttempts": 3},
        "DeadLetterConfig": {"Arn": f"arn:aws:sqs:eu-west-1:{ACCOUNT}:dlq"},
        "EcsParameters": {
            "TaskDefinitionArn": f"arn:aws:ecs:eu-west-1:{ACCOUNT}:task-definition/report:3",
            "TaskCount": 2,
            "LaunchType": "FARGATE",
            "NetworkConfiguration": {"awsvpcConfiguration": {"Subnets": ["subnet-1"]}},
            "Tags": [{"team": "data"}],
        },
        "SqsParameters": {"MessageGroupId": "g1"},
        "EventBridgeParameters": {"DetailType": "Report", "Source": "my.app"},
        "KinesisParameters": {"PartitionKey": "k"},
        "SageMakerPipelineParameters": {"PipelineParameterList": [{"Name": "p", "Value": "v"}]},
    }
    scheduler.create_schedule_group(Name="reports")
    create(
        scheduler,
        "weekly",
        GroupName="reports",
        ScheduleExpression="cron(0 6 ? * MON *)",
        ScheduleExpressionTimezone="Europe/Paris",
        StartDate=NOW + timedelta(days=1),
        EndDate=NOW + timedelta(days=365),
        Description="the weekly report",
        State="DISABLED",
        Target=target,
        FlexibleTimeWindow={"Mode": "FLEXIBLE", "MaximumWindowInMinutes": 15},
        ActionAfterCompletion="DELETE",
    )
    got = scheduler.get_schedule(Name="weekly", GroupName="reports")
    assert got["StartDate"] == NOW + timedelta(days=1)
    assert got["EndDate"] == NOW + timedelta(days=365)
    assert (got["Description"], got["State"], got["ActionAfterCompletion"]) == (
        "the weekly report",
        "DISABLED",
        "DELETE",
    )
    assert got["ScheduleExpressionTimezone"] == "Europe/Paris"
    assert got["FlexibleTimeWindow"] == {"Mode": "FLEXIBLE", "MaximumWindowInMinutes": 15}
    # the retry policy member left out takes AWS's default
    assert got["Target"] == {
        **target,
        "RetryPolicy": {"MaximumRetryAttempts": 3, "MaximumEventAgeInSeconds": 86400},
    }


def test_update_replaces_the_whole_schedule(scheduler, env, frozen):
    create(scheduler, Description="first", State="DISABLED")
    env.clock.advance(60)
    arn = scheduler.update_schedule(
        Name="nightly",
        ScheduleExpression="rate(2 hours)",
        Target={"Arn": QUEUE, "RoleArn": ROLE, "Input": "{}"},
        FlexibleTimeWindow={"Mode": "FLEXIBLE", "MaximumWindowInMinutes": 5},
    )["ScheduleArn"]
    assert arn == schedule_arn("default", "nightly")
    got = scheduler.get_schedule(Name="nightly")
    assert "Description" not in got  # left out, so gone: an update is not a patch
    assert got["State"] == "ENABLED"
    assert got["ScheduleExpression"] == "rate(2 hours)"
    assert got["Target"]["Input"] == "{}"
    assert got["CreationDate"] == frozen
    assert got["LastModificationDate"] == frozen + timedelta(seconds=60)


def test_update_delete_get_of_what_does_not_exist(scheduler):
    assert error_of(scheduler.get_schedule, Name="nope") == (
        "ResourceNotFoundException",
        "Schedule nope does not exist.",
        404,
    )
    assert error_of(scheduler.delete_schedule, Name="nope")[0] == "ResourceNotFoundException"
    assert error_of(
        scheduler.update_schedule,
        Name="nope",
        ScheduleExpression="rate(1 day)",
        Target=TARGET,
        FlexibleTimeWindow=OFF,
    )[:2] == ("ResourceNotFoundException", "Schedule nope does not exist.")
    # a schedule is found in its own group only
    create(scheduler)
    assert error_of(scheduler.get_schedule, Name="nightly", GroupName="other")[2] == 404


def test_delete(scheduler):
    create(scheduler)
    assert scheduler.delete_schedule(Name="nightly")["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert error_of(scheduler.get_schedule, Name="nightly")[2] == 404
    assert scheduler.list_schedules()["Schedules"] == []


def test_names_are_unique_per_group(scheduler):
    create(scheduler)
    assert error_of(create, scheduler) == (
        "ConflictException",
        "Schedule nightly already exists.",
        409,
    )
    scheduler.create_schedule_group(Name="other")
    assert create(scheduler, GroupName="other") == schedule_arn("other", "nightly")


def test_a_schedule_needs_an_existing_group(scheduler):
    assert error_of(create, scheduler, GroupName="missing") == (
        "ResourceNotFoundException",
        "Schedule group missing does not exist.",
        404,
    )


@pytest.mark.parametrize(
    "expression",
    [
        "at(2030-02-28T23:59:59)",
        "rate(1 minute)",
        "rate(5 minutes)",
        "rate(2 minute)",
        "rate(1 hours)",
        "rate(7 days)",
        "cron(0 2 * * ? *)",
        "cron(0/15 8-17 ? * MON-FRI *)",
        "cron(0-15/1 8-8 ? * 2,3,4,5,6,7 *)",
        "cron(0 0 L * ? *)",
        "cron(0 0 15W * ? 2030)",
        "cron(0 10 ? * 6L *)",
        "cron(0 10 ? * 3#2 *)",
        "cron(30 1 ? JAN,JUL SUN 2025-2030)",
    ],
)
def test_valid_expressions(scheduler, expression):
    create(scheduler, ScheduleExpression=expression)
    assert scheduler.get_schedule(Name="nightly")["ScheduleExpression"] == expression


@pytest.mark.parametrize(
    "expression",
    [
        "rate(10 seconds)",
        "rate(0 minutes)",
        "rate(-10 minutes)",
        "rate(10)",
        "rate(10 minutess)",
        "rate( 10 minutes )",
        " rate(10 minutes)",
        "cron(0 1 * * * *)",
        "cron(0 1 ? * ? *)",
        "cron(7 20 * * NOT *)",
        "cron(71 8 1 * ? *)",
        "cron(0 24 * * ? *)",
        "cron(0 1 * * ?)",
        "cron()",
        "cron(0 dummy ? * MON-FRI *)",
        "cron(0 0 ? * 3#6 *)",
        "cron(0 0 1 13 ? *)",
        "cron(0 0 1 * ? 1969)",
        "at(2021-12-31T23:59:59Z)",
        "at(2021-12-31)",
        "at(2021-02-30T10:00:00)",
        "every day",
    ],
)
def test_invalid_expressions(scheduler, expression):
    assert error_of(create, scheduler, ScheduleExpression=expression) == (
        "ValidationException",
        f"Invalid Schedule Expression {expression}.",
        400,
    )
    assert scheduler.list_schedules()["Schedules"] == []


def test_time_zone_must_exist(scheduler):
    assert error_of(create, scheduler, ScheduleExpressionTimezone="Mars/Olympus")[:2] == (
        "ValidationException",
        "Invalid Schedule Expression Timezone Mars/Olympus.",
    )


def test_flexible_time_window_rules(scheduler, unchecked):
    code, message, _ = error_of(create, scheduler, FlexibleTimeWindow={"Mode": "FLEXIBLE"})
    assert (code, message) == (
        "ValidationException",
        "MaximumWindowInMinutes is required when FlexibleTimeWindow Mode is FLEXIBLE.",
    )
    code, message, _ = error_of(
        create, scheduler, FlexibleTimeWindow={"Mode": "OFF", "MaximumWindowInMinutes": 5}
    )
    assert code == "ValidationException" and "only be set when" in message
    for minutes, bound in ((0, "greater than or equal to 1"), (1441, "less than or equal to 1440")):
        code, message, _ = error_of(
            create,
            unchecked,
            FlexibleTimeWindow={"Mode": "FLEXIBLE", "MaximumWindowInMinutes": minutes},
        )
        assert code == "ValidationException"
        assert "flexibleTimeWindow.maximumWindowInMinutes" in message
        assert f"Member must have value {bound}" in message
    code, message, _ = error_of(create, unchecked, FlexibleTimeWindow={"Mode": "SOMETIMES"})
    assert code == "ValidationException" and "OFF, FLEXIBLE" in message
    for minutes in (1, 1440):
        create(
            scheduler,
            f"w{minutes}",
            FlexibleTimeWindow={"Mode": "FLEXIBLE", "MaximumWindowInMinutes": minutes},
        )


def test_start_and_end_dates(scheduler, frozen):
    assert error_of(create, scheduler, StartDate=NOW - timedelta(minutes=6))[:2] == (
        "ValidationException",
        "The StartDate you specify cannot be earlier than 5 minutes ago.",
    )
    create(scheduler, "recent", StartDate=NOW - timedelta(minutes=4))
    assert error_of(create, scheduler, EndDate=NOW - timedelta(seconds=1))[:2] == (
        "ValidationException",
        "The EndDate you specify cannot be in the past.",
    )
    assert error_of(
        create, scheduler, StartDate=NOW + timedelta(days=2), EndDate=NOW + timedelta(days=1)
    )[:2] == ("ValidationException", "The EndDate you specify must be after the StartDate.")
    # one-time schedules ignore both
    create(
        scheduler,
        "once",
        ScheduleExpression="at(2030-01-01T00:00:00)",
        StartDate=NOW - timedelta(days=9),
        EndDate=NOW - timedelta(days=8),
    )


def test_target_rules(scheduler, unchecked):
    # required members, checked by the wire codec (botocore's own check is off here)
    code, message, _ = error_of(
        unchecked.create_schedule,
        Name="n",
        ScheduleExpression="rate(1 day)",
        Target={"Arn": QUEUE},
        FlexibleTimeWindow=OFF,
    )
    assert code == "ValidationException" and "target.roleArn" in message
    # the model's patterns, checked by the plugin
    code, message, _ = error_of(create, scheduler, Target={"Arn": QUEUE, "RoleArn": "admin"})
    assert code == "ValidationException"
    assert message.startswith("1 validation error detected: Value 'admin' at 'target.roleArn'")
    code, message, _ = error_of(
        create, scheduler, Target={**TARGET, "DeadLetterConfig": {"Arn": "arn:aws:sns:x"}}
    )
    assert code == "ValidationException" and "target.deadLetterConfig.arn" in message
    code, message, _ = error_of(
        create,
        scheduler,
        Target={**TARGET, "EventBridgeParameters": {"DetailType": "d", "Source": "aws.ec2"}},
    )
    assert code == "ValidationException" and "target.eventBridgeParameters.source" in message
    # retry bounds: age 60-86400 s, attempts 0-185
    for policy, member in (
        ({"MaximumEventAgeInSeconds": 59}, "maximumEventAgeInSeconds"),
        ({"MaximumEventAgeInSeconds": 86401}, "maximumEventAgeInSeconds"),
        ({"MaximumRetryAttempts": -1}, "maximumRetryAttempts"),
        ({"MaximumRetryAttempts": 186}, "maximumRetryAttempts"),
    ):
        code, message, _ = error_of(create, unchecked, Target={**TARGET, "RetryPolicy": policy})
        assert code == "ValidationException" and f"target.retryPolicy.{member}" in message
    create(
        scheduler,
        Target={
            **TARGET,
            "RetryPolicy": {"MaximumEventAgeInSeconds": 60, "MaximumRetryAttempts": 0},
        },
    )


def test_names_follow_the_model(scheduler, unchecked):
    code, message, _ = error_of(create, scheduler, "has space")
    assert code == "ValidationException"
    assert "Member must satisfy regular expression pattern: [0-9a-zA-Z-_.]+" in message
    code, message, _ = error_of(create, unchecked, "n" * 65)
    assert code == "ValidationException"
    assert (
        "at 'name' failed to satisfy constraint: Member must have length less than or equal to 64"
        in message
    )
    assert error_of(create, scheduler, GroupName="no/slash")[0] == "ValidationException"
    assert create(scheduler, "a-b_c.d") == schedule_arn("default", "a-b_c.d")


# ------------------------------------------------------------------- ListSchedules


def _names(page: dict[str, Any]) -> list[str]:
    return [f"{s['GroupName']}/{s['Name']}" for s in page["Schedules"]]


def test_list_filters_and_summary(scheduler, frozen):
    scheduler.create_schedule_group(Name="batch")
    create(scheduler, "b-report")
    create(scheduler, "a-backup", State="DISABLED")
    create(scheduler, "c-cleanup", GroupName="batch")
    create(scheduler, "a-archive", GroupName="batch")
    assert _names(scheduler.list_schedules()) == [
        "batch/a-archive",
        "batch/c-cleanup",
        "default/a-backup",
        "default/b-report",
    ]
    assert _names(scheduler.list_schedules(GroupName="default")) == [
        "default/a-backup",
        "default/b-report",
    ]
    assert _names(scheduler.list_schedules(NamePrefix="a-")) == [
        "batch/a-archive",
        "default/a-backup",
    ]
    assert _names(scheduler.list_schedules(State="DISABLED")) == ["default/a-backup"]
    assert _names(scheduler.list_schedules(GroupName="batch", NamePrefix="c")) == [
        "batch/c-cleanup"
    ]
    [summary] = scheduler.list_schedules(NamePrefix="b-")["Schedules"]
    assert summary == {
        "Arn": schedule_arn("default", "b-report"),
        "Name": "b-report",
        "GroupName": "default",
        "State": "ENABLED",
        "CreationDate": frozen,
        "LastModificationDate": frozen,
        "Target": {"Arn": QUEUE},
    }
    assert error_of(scheduler.list_schedules, GroupName="missing") == (
        "ResourceNotFoundException",
        "Schedule group missing does not exist.",
        404,
    )


def test_list_pages_with_the_paginator(scheduler):
    scheduler.create_schedule_group(Name="g")
    names = [f"s{i:02d}" for i in range(7)]
    for name in reversed(names):
        create(scheduler, name)
        create(scheduler, name, GroupName="g")
    paginator = scheduler.get_paginator("list_schedules")
    pages = list(paginator.paginate(PaginationConfig={"PageSize": 3}))
    assert [len(page["Schedules"]) for page in pages] == [3, 3, 3, 3, 2]
    assert "NextToken" not in pages[-1]
    listed = [name for page in pages for name in _names(page)]
    assert listed == [f"default/{n}" for n in names] + [f"g/{n}" for n in names]
    only_g = paginator.paginate(GroupName="g", NamePrefix="s0", PaginationConfig={"PageSize": 4})
    assert [n for page in only_g for n in _names(page)] == [f"g/{n}" for n in names]


def test_list_page_bounds_and_tokens(scheduler, unchecked):
    create(scheduler, "one")
    create(scheduler, "two")
    page = scheduler.list_schedules(MaxResults=1)
    assert _names(page) == ["default/one"] and page["NextToken"]
    assert _names(scheduler.list_schedules(MaxResults=1, NextToken=page["NextToken"])) == [
        "default/two"
    ]
    for size, bound in ((0, "greater than or equal to 1"), (101, "less than or equal to 100")):
        code, message, _ = error_of(unchecked.list_schedules, MaxResults=size)
        assert code == "ValidationException"
        assert (
            f"at 'maxResults' failed to satisfy constraint: Member must have value {bound}"
            in message
        )
    assert scheduler.list_schedules(MaxResults=100)["Schedules"]
    assert error_of(scheduler.list_schedules, NextToken="garbage")[:2] == (
        "ValidationException",
        "The NextToken you specify is not valid.",
    )


# ----------------------------------------------------------- idempotency, the clock


def test_client_token_makes_writes_idempotent(scheduler, env):
    first = create(scheduler, ClientToken="token-1")
    env.clock.advance(1)
    assert create(scheduler, ClientToken="token-1") == first  # a retry, not a conflict
    assert len(scheduler.list_schedules()["Schedules"]) == 1
    code, message, status = error_of(
        create, scheduler, ScheduleExpression="rate(2 hours)", ClientToken="token-1"
    )
    assert (code, status) == ("ConflictException", 409) and "token-1" in message
    scheduler.delete_schedule(Name="nightly", ClientToken="gone")
    scheduler.delete_schedule(Name="nightly", ClientToken="gone")  # the retry succeeds too
    assert error_of(scheduler.delete_schedule, Name="nightly")[2] == 404
    assert error_of(create, scheduler, ClientToken="not a token!")[0] == "ValidationException"


def test_one_time_schedule_deletes_itself_after_completion(scheduler, env, frozen):
    create(
        scheduler,
        "once",
        ScheduleExpression="at(2024-05-01T14:00:00)",
        ScheduleExpressionTimezone="Europe/Paris",  # 14:00 in Paris is 12:00 UTC in May
        FlexibleTimeWindow={"Mode": "FLEXIBLE", "MaximumWindowInMinutes": 10},
        ActionAfterCompletion="DELETE",
    )
    create(scheduler, "kept", ScheduleExpression="at(2024-05-01T12:00:00)")
    create(
        scheduler,
        "disabled",
        ScheduleExpression="at(2024-05-01T12:00:00)",
        State="DISABLED",
        ActionAfterCompletion="DELETE",
    )
    env.clock.advance(10 * 60 + 59)  # inside the window and AWS's minute of precision
    assert scheduler.get_schedule(Name="once")["ActionAfterCompletion"] == "DELETE"
    env.clock.advance(2)
    assert error_of(scheduler.get_schedule, Name="once")[2] == 404
    assert _names(scheduler.list_schedules()) == ["default/disabled", "default/kept"]


def test_recurring_schedule_with_delete_goes_after_its_end_date(scheduler, env, frozen):
    create(scheduler, EndDate=NOW + timedelta(hours=1), ActionAfterCompletion="DELETE")
    env.clock.advance(3599)
    assert scheduler.get_schedule(Name="nightly")
    env.clock.advance(2)
    assert scheduler.list_schedules()["Schedules"] == []


def test_an_update_moves_the_completion(scheduler, env, frozen):
    create(
        scheduler,
        "once",
        ScheduleExpression="at(2024-05-01T12:05:00)",
        ActionAfterCompletion="DELETE",
    )
    scheduler.update_schedule(
        Name="once",
        ScheduleExpression="at(2024-05-02T12:00:00)",
        Target=TARGET,
        FlexibleTimeWindow=OFF,
        ActionAfterCompletion="DELETE",
    )
    env.clock.advance(3600)
    assert scheduler.get_schedule(Name="once")["ScheduleExpression"].startswith("at(2024-05-02")
    env.clock.advance(86400)
    assert error_of(scheduler.get_schedule, Name="once")[2] == 404


# ------------------------------------------------------------------------------ groups


def test_the_default_group_is_everywhere(env):
    for region, key in (
        ("eu-west-1", "testing"),
        ("ap-south-1", "testing"),
        ("us-east-1", "111122223333"),
    ):
        client = env.client(region=region, aws_access_key_id=key)
        account = key if key.isdigit() else ACCOUNT
        got = client.get_schedule_group(Name="default")
        assert (got["Name"], got["State"]) == ("default", "ACTIVE")
        assert got["Arn"] == group_arn("default", region, account)
        listed = client.list_schedule_groups()["ScheduleGroups"]
        assert [g["Name"] for g in listed] == ["default"]


DEFAULT_REFUSED = (
    "ValidationException",
    "This operation cannot be performed on schedule group default.",
    400,
)


def test_the_default_group_cannot_be_created_or_deleted(scheduler):
    assert error_of(scheduler.create_schedule_group, Name="default") == DEFAULT_REFUSED
    assert error_of(scheduler.delete_schedule_group, Name="default") == DEFAULT_REFUSED


def test_the_default_group_cannot_be_tagged(scheduler):
    expected = DEFAULT_REFUSED
    arn = group_arn("default")
    assert (
        error_of(scheduler.tag_resource, ResourceArn=arn, Tags=[{"Key": "k", "Value": "v"}])
        == expected
    )
    assert error_of(scheduler.untag_resource, ResourceArn=arn, TagKeys=["k"]) == expected
    assert scheduler.list_tags_for_resource(ResourceArn=arn)["Tags"] == []


def test_group_lifecycle(scheduler, env, frozen):
    arn = scheduler.create_schedule_group(Name="batch")["ScheduleGroupArn"]
    assert arn == group_arn("batch")
    got = scheduler.get_schedule_group(Name="batch")
    del got["ResponseMetadata"]
    assert got == {
        "Arn": arn,
        "Name": "batch",
        "State": "ACTIVE",
        "CreationDate": frozen,
        "LastModificationDate": frozen,
    }
    assert error_of(scheduler.create_schedule_group, Name="batch") == (
        "ConflictException",
        "Schedule group batch already exists.",
        409,
    )
    scheduler.delete_schedule_group(Name="batch")
    assert error_of(scheduler.get_schedule_group, Name="batch") == (
        "ResourceNotFoundException",
        "Schedule group batch does not exist.",
        404,
    )
    assert error_of(scheduler.delete_schedule_group, Name="batch")[2] == 404


def test_deleting_a_group_deletes_its_schedules(scheduler):
    scheduler.create_schedule_group(Name="batch")
    create(scheduler, "a", GroupName="batch")
    create(scheduler, "b", GroupName="batch")
    create(scheduler, "a")
    scheduler.delete_schedule_group(Name="batch")
    assert _names(scheduler.list_schedules()) == ["default/a"]
    scheduler.create_schedule_group(Name="batch")  # the name is free again, and empty
    assert scheduler.list_schedules(GroupName="batch")["Schedules"] == []


def test_a_deleted_group_is_deleting_for_the_configured_delay(env, frozen):
    env.options("scheduler", group_deletion_delay=30)
    env.clock.freeze(NOW)
    scheduler = env.client()
    scheduler.create_schedule_group(Name="batch")
    create(scheduler, "a", GroupName="batch")
    env.clock.advance(5)
    scheduler.delete_schedule_group(Name="batch")
    got = scheduler.get_schedule_group(Name="batch")
    assert got["State"] == "DELETING"
    assert got["LastModificationDate"] == NOW + timedelta(seconds=5)
    assert _names(scheduler.list_schedules()) == ["batch/a"]  # still there until it is gone
    assert error_of(create, scheduler, "b", GroupName="batch")[:2] == (
        "ConflictException",
        "Schedule group batch is being deleted.",
    )
    assert (
        error_of(
            scheduler.update_schedule,
            Name="a",
            GroupName="batch",
            ScheduleExpression="rate(1 day)",
            Target=TARGET,
            FlexibleTimeWindow=OFF,
        )[0]
        == "ConflictException"
    )
    assert error_of(scheduler.create_schedule_group, Name="batch")[0] == "ConflictException"
    scheduler.delete_schedule_group(Name="batch")  # already deleting: fine
    env.clock.advance(30)
    assert error_of(scheduler.get_schedule_group, Name="batch")[2] == 404
    assert scheduler.list_schedules()["Schedules"] == []


def test_list_groups_with_prefix_and_paginator(scheduler):
    for name in ("team-b", "team-a", "ops", "team-c"):
        scheduler.create_schedule_group(Name=name)
    listed = scheduler.list_schedule_groups()["ScheduleGroups"]
    assert [g["Name"] for g in listed] == ["default", "ops", "team-a", "team-b", "team-c"]
    assert set(listed[0]) == {"Arn", "Name", "State", "CreationDate", "LastModificationDate"}
    paginator = scheduler.get_paginator("list_schedule_groups")
    pages = list(paginator.paginate(NamePrefix="team-", PaginationConfig={"PageSize": 2}))
    assert [[g["Name"] for g in p["ScheduleGroups"]] for p in pages] == [
        ["team-a", "team-b"],
        ["team-c"],
    ]
    assert scheduler.list_schedule_groups(NamePrefix="zzz")["ScheduleGroups"] == []


def test_list_groups_page_bounds_and_tokens(scheduler, unchecked):
    scheduler.create_schedule_group(Name="g")
    page = scheduler.list_schedule_groups(MaxResults=1)
    assert [g["Name"] for g in page["ScheduleGroups"]] == ["default"]
    after = scheduler.list_schedule_groups(MaxResults=1, NextToken=page["NextToken"])
    assert [g["Name"] for g in after["ScheduleGroups"]] == ["g"] and "NextToken" not in after
    for size in (0, 101):
        assert error_of(unchecked.list_schedule_groups, MaxResults=size)[0] == "ValidationException"
    # a token is only good for the list it came from
    schedules_token = scheduler.list_schedules(MaxResults=1)
    assert "NextToken" not in schedules_token
    create(scheduler, "a")
    create(scheduler, "b")
    token = scheduler.list_schedules(MaxResults=1)["NextToken"]
    assert error_of(scheduler.list_schedule_groups, NextToken=token)[:2] == (
        "ValidationException",
        "The NextToken you specify is not valid.",
    )


def test_quotas(env):
    env.options("scheduler", schedule_group_limit=2, schedule_limit=1)
    scheduler = env.client()
    scheduler.create_schedule_group(Name="one")  # with default: two
    code, _, status = error_of(scheduler.create_schedule_group, Name="two")
    assert (code, status) == ("ServiceQuotaExceededException", 402)
    create(scheduler)
    assert error_of(create, scheduler, "second")[:1] == ("ServiceQuotaExceededException",)
    scheduler.delete_schedule(Name="nightly")
    create(scheduler, "second")


def test_options_are_checked(scheduler_install: Installation):
    plugin = scheduler_install.registry.get("scheduler")
    assert plugin is not None
    plugin.check_options({"group_deletion_delay": "2.5", "schedule_limit": 10})
    for bad, match in (
        ({"deletion_delay": 3}, "unknown scheduler option"),
        ({"schedule_limit": 1.5}, "whole number"),
        ({"group_deletion_delay": -1}, "not negative"),
        ({"schedule_group_limit": True}, "must be a number"),
    ):
        with pytest.raises(ValueError, match=match):
            plugin.check_options(bad)


# -------------------------------------------------------------------------------- tags


def test_tags_by_arn_in_the_path(scheduler):
    arn = scheduler.create_schedule_group(Name="batch", Tags=[{"Key": "team", "Value": "data"}])[
        "ScheduleGroupArn"
    ]
    assert scheduler.list_tags_for_resource(ResourceArn=arn)["Tags"] == [
        {"Key": "team", "Value": "data"}
    ]
    scheduler.tag_resource(
        ResourceArn=arn, Tags=[{"Key": "team", "Value": "ops"}, {"Key": "cost", "Value": "7"}]
    )
    assert scheduler.list_tags_for_resource(ResourceArn=arn)["Tags"] == [
        {"Key": "team", "Value": "ops"},
        {"Key": "cost", "Value": "7"},
    ]
    scheduler.untag_resource(ResourceArn=arn, TagKeys=["team", "absent"])
    assert scheduler.list_tags_for_resource(ResourceArn=arn)["Tags"] == [
        {"Key": "cost", "Value": "7"}
    ]


def test_tag_errors(scheduler):
    scheduler.create_schedule_group(Name="batch")
    tags = [{"Key": "k", "Value": "v"}]
    assert error_of(scheduler.tag_resource, ResourceArn=group_arn("missing"), Tags=tags) == (
        "ResourceNotFoundException",
        "Schedule group missing does not exist.",
        404,
    )
    # another Region's group is not this Region's
    elsewhere = group_arn("batch", region="us-east-1")
    assert error_of(scheduler.list_tags_for_resource, ResourceArn=elsewhere)[2] == 404
    # schedules cannot be tagged: the model's ARN pattern names schedule groups only
    code, message, _ = error_of(
        scheduler.list_tags_for_resource, ResourceArn=schedule_arn("default", "x")
    )
    assert code == "ValidationException" and "at 'resourceArn'" in message
    code, message, _ = error_of(
        scheduler.tag_resource,
        ResourceArn=group_arn("batch"),
        Tags=[{"Key": "aws:reserved", "Value": "v"}],
    )
    assert code == "ValidationException" and "aws:" in message
    assert (
        error_of(scheduler.create_schedule_group, Name="x", Tags=[{"Key": "aws:x", "Value": "v"}])[
            0
        ]
        == "ValidationException"
    )


# ------------------------------------------------------------- accounts and Regions


def test_regions_and_accounts_are_separate(env):
    create(env.client())
    assert env.client(region="us-east-1").list_schedules()["Schedules"] == []
    other = env.client(aws_access_key_id="111122223333")
    assert other.list_schedules()["Schedules"] == []
    other.create_schedule_group(Name="mine")
    assert error_of(env.client().get_schedule_group, Name="mine")[2] == 404


def test_arns_in_other_partitions(env):
    client = env.client(region="cn-north-1")
    assert client.create_schedule_group(Name="g")["ScheduleGroupArn"] == (
        f"arn:aws-cn:scheduler:cn-north-1:{ACCOUNT}:schedule-group/g"
    )
    tags = client.list_tags_for_resource(
        ResourceArn=f"arn:aws-cn:scheduler:cn-north-1:{ACCOUNT}:schedule-group/g"
    )
    assert tags["Tags"] == []


# ------------------------------------------------------------------- server extras


def test_state_endpoint_and_unsigned_host_routing(plugin_server: ServerThread):
    plugin_server.state.reset()
    try:
        listed = requests.get(
            plugin_server.url + "/schedule-groups",
            headers={"Host": "scheduler.ap-south-1.amazonaws.com"},
            timeout=10,
        )
        assert listed.status_code == 200, listed.text
        [group] = listed.json()["ScheduleGroups"]
        assert group["Arn"] == group_arn("default", region="ap-south-1")
        state = requests.get(plugin_server.url + "/_cloudmock/state", timeout=10).json()
        dumped = state["scheduler"][ACCOUNT]["ap-south-1"]
        assert [g["Name"] for g in dumped["schedule_groups"]] == ["default"]
        assert dumped["schedules"] == []
    finally:
        plugin_server.state.reset()
