"""Durable state (``--state-dir``): a restart restores every service's state, the clock
and the id streams; export/import moves it between directories; files are private."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from cloudmock.cli import main as cli
from cloudmock.core.config import Config
from cloudmock.core.persistence import DB_NAME, IncompatibleState
from cloudmock.core.state import State
from cloudmock.server import ServerThread

REGION = "eu-west-1"
IMAGE = "ami-0abcdef1234567890"
TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}],
    }
)


def _client(server: ServerThread, service: str, **kw: Any) -> Any:
    kw.setdefault("aws_access_key_id", "testing")
    kw.setdefault("aws_secret_access_key", "testing")
    return boto3.client(service, region_name=REGION, endpoint_url=server.url, **kw)


def _post(server: ServerThread, path: str, body: dict[str, Any] | None = None) -> Any:
    request = urllib.request.Request(
        f"{server.url}/_cloudmock/{path}",
        data=json.dumps(body or {}).encode(),
        method="POST",
        headers={"content-type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def _instances(ec2: Any) -> dict[str, str]:
    """instance id -> reservation id"""
    return {
        i["InstanceId"]: r["ReservationId"]
        for r in ec2.describe_instances()["Reservations"]
        for i in r["Instances"]
    }


@pytest.fixture
def state_dir(tmp_path: Path) -> Path:
    return tmp_path / "state"


def _server(state_dir: Path) -> ServerThread:
    # a seed: a fresh state would make the very same ids again, so only a restored
    # id stream keeps new ids apart from old ones
    return ServerThread(config=Config(seed=7), state_dir=state_dir)


@pytest.fixture
def filled(state_dir: Path) -> Iterator[dict[str, Any]]:
    """A state directory after a server made instances, a tagged VPC, a parameter, a
    role, temporary credentials and moved its clock; what it saw."""
    with _server(state_dir) as server:
        ec2, ssm, iam, sts = (_client(server, s) for s in ("ec2", "ssm", "iam", "sts"))
        run = ec2.run_instances(ImageId=IMAGE, MinCount=3, MaxCount=3, InstanceType="t3.micro")
        vpc = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
        ec2.create_tags(Resources=[vpc], Tags=[{"Key": "team", "Value": "payments"}])
        ssm.put_parameter(Name="/app/db", Value="postgres://x", Type="String")
        role = iam.create_role(RoleName="deployer", AssumeRolePolicyDocument=TRUST)["Role"]
        now = _post(server, "clock", {"advance": 86400})["now"]
        issued = sts.assume_role(RoleArn=role["Arn"], RoleSessionName="ci-job")["Credentials"]
        seen = {
            "instances": _instances(ec2),
            "reservation": run["ReservationId"],
            "vpc": vpc,
            "vpcs": {v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"]},
            "credentials": issued,
            "now": now,
        }
    yield seen


def test_a_restart_restores_every_service_and_the_clock(
    filled: dict[str, Any], state_dir: Path
) -> None:
    with _server(state_dir) as server:
        ec2, ssm, iam = (_client(server, s) for s in ("ec2", "ssm", "iam"))
        assert _instances(ec2) == filled["instances"]
        vpc = ec2.describe_vpcs(VpcIds=[filled["vpc"]])["Vpcs"][0]
        assert vpc["Tags"] == [{"Key": "team", "Value": "payments"}]
        assert ssm.get_parameter(Name="/app/db")["Parameter"]["Value"] == "postgres://x"
        assert iam.get_role(RoleName="deployer")["Role"]["RoleName"] == "deployer"
        # the restored indexes answer (filters, dependents) and the old resources change
        tagged = ec2.describe_vpcs(Filters=[{"Name": "tag:team", "Values": ["payments"]}])
        assert [v["VpcId"] for v in tagged["Vpcs"]] == [filled["vpc"]]
        old = sorted(filled["instances"])[0]
        ec2.terminate_instances(InstanceIds=[old])
        ec2.delete_vpc(VpcId=filled["vpc"])
        assert not ec2.describe_vpcs(Filters=[{"Name": "tag:team", "Values": ["payments"]}])["Vpcs"]
        # the clock kept its day ahead (it is a day ahead of the wall clock, not of the
        # moment the first server stopped)
        offset = server.clock.time() - time.time()
        assert 86000 < offset < 86500
        # temporary credentials issued before the restart still act as the role
        issued = filled["credentials"]
        sts = _client(
            server,
            "sts",
            aws_access_key_id=issued["AccessKeyId"],
            aws_secret_access_key=issued["SecretAccessKey"],
            aws_session_token=issued["SessionToken"],
        )
        assert ":assumed-role/deployer/ci-job" in sts.get_caller_identity()["Arn"]


def test_ids_made_after_a_restart_never_repeat_old_ones(
    filled: dict[str, Any], state_dir: Path
) -> None:
    with _server(state_dir) as server:
        ec2 = _client(server, "ec2")
        run = ec2.run_instances(ImageId=IMAGE, MinCount=3, MaxCount=3, InstanceType="t3.micro")
        vpc = ec2.create_vpc(CidrBlock="10.2.0.0/16")["Vpc"]["VpcId"]
        new = {i["InstanceId"] for i in run["Instances"]}
    assert not new & set(filled["instances"])
    assert run["ReservationId"] != filled["reservation"]
    assert vpc not in filled["vpcs"]


def test_reset_forgets_the_durable_state_too(filled: dict[str, Any], state_dir: Path) -> None:
    with _server(state_dir) as server:
        assert _post(server, "reset") == {"reset": True}
    with _server(state_dir) as server:
        assert _instances(_client(server, "ec2")) == {}
        assert abs(server.clock.time() - time.time()) < 60


def test_reads_do_not_write(state_dir: Path) -> None:
    with _server(state_dir) as server:
        ec2 = _client(server, "ec2")
        ec2.run_instances(ImageId=IMAGE, MinCount=1, MaxCount=1, InstanceType="t3.micro")
        # the first read applies the launch's due transition (pending -> running), which
        # is saved: what it schedules next is timed from that moment
        ec2.describe_instances()
        durable = server.state.durable
        assert durable is not None
        before = durable.conn.total_changes
        for _ in range(3):
            ec2.describe_instances()
            ec2.describe_vpcs()
        assert durable.conn.total_changes == before
        ec2.create_vpc(CidrBlock="10.3.0.0/16")
        assert durable.conn.total_changes > before


def test_files_are_private(state_dir: Path) -> None:
    with _server(state_dir) as server:
        _client(server, "ec2").create_vpc(CidrBlock="10.4.0.0/16")
        assert stat.S_IMODE(state_dir.stat().st_mode) == 0o700
        files = list(state_dir.iterdir())
        assert state_dir / DB_NAME in files
        for path in files:  # the database and, while it runs, its -wal and -shm files
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_export_then_import_into_a_fresh_directory(
    filled: dict[str, Any], state_dir: Path, tmp_path: Path
) -> None:
    snapshot = tmp_path / "fixture.cloudmock"
    assert cli(["state", "export", str(snapshot), "--state-dir", str(state_dir)]) == 0
    assert stat.S_IMODE(snapshot.stat().st_mode) == 0o600
    fresh = tmp_path / "other"
    assert cli(["state", "import", str(snapshot), "--state-dir", str(fresh)]) == 0
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o700
    with _server(fresh) as server:
        ec2 = _client(server, "ec2")
        assert _instances(ec2) == filled["instances"]
        assert _client(server, "ssm").get_parameter(Name="/app/db")["Parameter"]["Value"]


def test_a_file_from_another_version_is_refused(
    filled: dict[str, Any], state_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    snapshot = tmp_path / "old.cloudmock"
    assert cli(["state", "export", str(snapshot), "--state-dir", str(state_dir)]) == 0
    with sqlite3.connect(snapshot) as conn:
        conn.execute("UPDATE meta SET value = '0.0.1' WHERE key = 'cloudmock'")
    conn.close()
    fresh = tmp_path / "other"
    assert cli(["state", "import", str(snapshot), "--state-dir", str(fresh)]) == 2
    message = capsys.readouterr().err
    assert "written by cloudmock 0.0.1" in message and "cannot read it" in message
    assert not (fresh / DB_NAME).exists()

    not_state = tmp_path / "notes.txt"
    not_state.write_text("hello " * 100)
    assert cli(["state", "import", str(not_state), "--state-dir", str(fresh)]) == 2
    assert "not a cloudmock state file" in capsys.readouterr().err

    # a server refuses such a directory at start, before it answers anything
    os.replace(snapshot, state_dir / DB_NAME)
    for side in ("-wal", "-shm"):
        Path(f"{state_dir / DB_NAME}{side}").unlink(missing_ok=True)
    with pytest.raises(IncompatibleState, match=r"0\.0\.1"):
        State(state_dir=state_dir)
    with pytest.raises(SystemExit) as exited:
        cli(["server", "--port", "0", "--state-dir", str(state_dir)])
    assert exited.value.code == 2
    assert "written by cloudmock 0.0.1" in capsys.readouterr().err


def test_scheduled_transitions_and_a_frozen_clock_survive(state_dir: Path) -> None:
    config = Config(seed=3, services={"ec2": {"transition_delay": 30}})
    with ServerThread(config=config, state_dir=state_dir) as server:
        _post(server, "clock", {"freeze": "2030-01-01T00:00:00Z"})
        ec2 = _client(server, "ec2")
        run = ec2.run_instances(ImageId=IMAGE, MinCount=1, MaxCount=1, InstanceType="t3.micro")
        instance = run["Instances"][0]["InstanceId"]
    with ServerThread(config=config, state_dir=state_dir) as server:
        ec2 = _client(server, "ec2")
        assert server.clock.now().isoformat() == "2030-01-01T00:00:00+00:00"
        states = ec2.describe_instances(InstanceIds=[instance])["Reservations"][0]["Instances"]
        assert states[0]["State"]["Name"] == "pending"
        _post(server, "clock", {"advance": 31})
        states = ec2.describe_instances(InstanceIds=[instance])["Reservations"][0]["Instances"]
        assert states[0]["State"]["Name"] == "running"


def test_a_transition_a_read_applied_keeps_its_timing(state_dir: Path) -> None:
    # terminated instances are forgotten an hour after they reach "terminated"; here a
    # read is what moved it there, so that read's moment must survive the restart
    config = Config(seed=5)
    with ServerThread(config=config, state_dir=state_dir) as server:
        ec2 = _client(server, "ec2")
        run = ec2.run_instances(ImageId=IMAGE, MinCount=1, MaxCount=1, InstanceType="t3.micro")
        instance = run["Instances"][0]["InstanceId"]
        ec2.terminate_instances(InstanceIds=[instance])
        assert _instances(ec2) == {instance: run["ReservationId"]}  # terminated, now
        _post(server, "clock", {"advance": 59 * 60})
    with ServerThread(config=config, state_dir=state_dir) as server:
        ec2 = _client(server, "ec2")
        _post(server, "clock", {"advance": 2 * 60})
        assert _instances(ec2) == {}
