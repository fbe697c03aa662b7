"""Durable state attacked from outside: two servers on one directory, damaged or unusable
directories, a restart under other settings, SIGTERM, a full disk."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import urllib.error
import urllib.request
import warnings
from pathlib import Path
from typing import Any

import boto3
import botocore.config
import pytest

from cloudmock.cli import main as cli
from cloudmock.core.config import Config
from cloudmock.core.persistence import DB_NAME
from cloudmock.server import ServerThread

ROOT = Path(__file__).resolve().parents[2]
REGION = "eu-west-1"
IMAGE = "ami-0abcdef1234567890"


def _client(server: ServerThread, service: str, region: str = REGION) -> Any:
    return boto3.client(
        service,
        region_name=region,
        endpoint_url=server.url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=botocore.config.Config(retries={"total_max_attempts": 1}),
    )


def _instances(ec2: Any) -> set[str]:
    return {
        i["InstanceId"] for r in ec2.describe_instances()["Reservations"] for i in r["Instances"]
    }


def _crash_image(state_dir: Path, image: Path) -> Path:
    """What ``kill -9`` leaves of a running server's directory (the database and its WAL)."""
    image.mkdir(mode=0o700)
    for name in (DB_NAME, f"{DB_NAME}-wal"):
        if (state_dir / name).exists():
            shutil.copy2(state_dir / name, image / name)
    return image


def test_a_second_server_on_a_directory_in_use_is_refused(tmp_path: Path) -> None:
    """Two servers on one directory each replayed, logged and snapshotted over the
    other: both handed out the same instance id, and a restart mixed their states."""
    state_dir = tmp_path / "state"
    with ServerThread(config=Config(seed=1), state_dir=state_dir) as first:
        ssm = _client(first, "ssm")
        ssm.put_parameter(Name="/first", Value="1", Type="String")
        with pytest.raises(Exception, match="in use by another cloudmock"):
            ServerThread(config=Config(seed=1), state_dir=state_dir)
        with pytest.raises(SystemExit) as exited:
            cli(["server", "--port", "0", "--state-dir", str(state_dir)])
        assert exited.value.code == 2
        # nor may an import replace the state under the running server
        exported = tmp_path / "snapshot.cloudmock"
        assert cli(["state", "export", str(exported), "--state-dir", str(state_dir)]) == 0
        assert cli(["state", "import", str(exported), "--state-dir", str(state_dir)]) == 2
        ssm.put_parameter(Name="/second", Value="2", Type="String")
    # once it stopped, the directory is free, and holds what the first server was told
    with ServerThread(config=Config(seed=1), state_dir=state_dir) as again:
        found = _client(again, "ssm").get_parameters(Names=["/first", "/second"])["Parameters"]
        assert sorted(p["Value"] for p in found) == ["1", "2"]


def test_an_unusable_directory_is_a_clear_error_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file where the directory should be, a file that is not a database, a damaged
    database: one line saying so and exit code 2, never a traceback."""
    a_file = tmp_path / "a-file"
    a_file.write_text("not a directory")
    garbage = tmp_path / "garbage"
    garbage.mkdir(mode=0o700)
    (garbage / DB_NAME).write_bytes(b"\x00\x17 not SQLite " * 400)
    damaged = tmp_path / "damaged"
    with ServerThread(config=Config(seed=2), state_dir=damaged) as server:
        ec2 = _client(server, "ec2")
        for _ in range(20):
            ec2.run_instances(ImageId=IMAGE, MinCount=1, MaxCount=1)
    with open(damaged / DB_NAME, "r+b") as db:  # stopped: all of it is in the main file
        db.truncate(db.seek(0, os.SEEK_END) // 2)
    for where, said in (
        (a_file, "is not a directory"),
        (garbage, "is damaged or is not a cloudmock state file"),
        (damaged, "is damaged or is not a cloudmock state file"),
    ):
        with pytest.raises(SystemExit) as exited:
            cli(["server", "--port", "0", "--state-dir", str(where)])
        assert exited.value.code == 2, where
        err = capsys.readouterr().err
        assert said in err and "Traceback" not in err, err
    # the library says the same with an exception of its own (not sqlite3's)
    with pytest.raises(Exception, match="is damaged") as raised:
        ServerThread(state_dir=damaged)
    assert not isinstance(raised.value, sqlite3.Error)
    assert cli(["state", "export", str(tmp_path / "x"), "--state-dir", str(a_file)]) == 2
    assert cli(["state", "import", str(garbage / DB_NAME), "--state-dir", str(tmp_path)]) == 2
    assert "Traceback" not in capsys.readouterr().err


#: 24 instances: more than the default limit of 20
_ROOMY = {"ec2": {"instance_limit": 100}}


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (Config(seed=11, services=_ROOMY), Config(services=_ROOMY)),
        (Config(services=_ROOMY), Config(seed=11, services=_ROOMY)),
        (Config(services=_ROOMY), Config()),
    ],
    ids=["seed-dropped", "seed-added", "option-dropped"],
)
def test_a_crash_restart_under_other_settings_keeps_what_was_acknowledged(
    tmp_path: Path, before: Config, after: Config
) -> None:
    """The log is replayed under the settings it was written under: restarted with
    another ``--seed`` the replay drew other ids (every acknowledged instance and VPC
    under a new id), and with a lower ``--option ec2.instance_limit`` it refused the
    launches the first server had made."""
    state_dir = tmp_path / "state"
    with ServerThread(config=before, state_dir=state_dir) as server:
        ec2, west = _client(server, "ec2"), _client(server, "ec2", "us-west-2")
        for _ in range(8):
            ec2.run_instances(ImageId=IMAGE, MinCount=3, MaxCount=3)
        vpc = west.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]  # a backend made
        acknowledged = _instances(ec2)
        image = _crash_image(state_dir, tmp_path / "image")
    with ServerThread(config=after, state_dir=image) as server:
        ec2, west = _client(server, "ec2"), _client(server, "ec2", "us-west-2")
        assert _instances(ec2) == acknowledged
        assert vpc in {v["VpcId"] for v in west.describe_vpcs()["Vpcs"]}
        more = {
            i["InstanceId"]
            for i in west.run_instances(ImageId=IMAGE, MinCount=2, MaxCount=2)["Instances"]
        }
        image = _crash_image(image, tmp_path / "image2")
    # a third start, under the first settings again: the second server's writes too
    with ServerThread(config=before, state_dir=image) as server:
        assert _instances(_client(server, "ec2")) == acknowledged
        assert _instances(_client(server, "ec2", "us-west-2")) == more


def test_sigterm_stops_the_server_cleanly(tmp_path: Path) -> None:
    """uvicorn re-raised SIGTERM after stopping, and its default action ended the process
    before the state was closed: exit -15, no last snapshot, the WAL left behind."""
    state_dir = tmp_path / "state"
    env = dict(
        os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "cloudmock", "server", "--port", "0", "--state-dir", str(state_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().decode().split()[-1]  # "... listening on URL"
        ec2 = boto3.client(
            "ec2",
            region_name=REGION,
            endpoint_url=url,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err.decode()
    assert b"Traceback" not in err
    assert not Path(f"{state_dir / DB_NAME}-wal").exists()  # closed: checkpointed
    conn = sqlite3.connect(state_dir / DB_NAME)
    try:
        assert conn.execute("SELECT count(*) FROM log").fetchone()[0] == 0  # a last snapshot
    finally:
        conn.close()
    with ServerThread(state_dir=state_dir) as server:
        assert vpc in {v["VpcId"] for v in _client(server, "ec2").describe_vpcs()["Vpcs"]}


def test_a_full_disk_is_a_503_and_nothing_acknowledged_is_lost(tmp_path: Path) -> None:
    """A save the store refuses (here SQLite's page cap, as a full disk answers) was a
    500 with a traceback in the log per request; it is a 503 ServiceUnavailable, later
    writes are refused before they run, and once the store takes writes again what
    was acknowledged, and only that, is kept."""
    state_dir = tmp_path / "state"
    with ServerThread(config=Config(seed=5), state_dir=state_dir) as server:
        ec2, ssm = _client(server, "ec2"), _client(server, "ssm")
        ec2.describe_vpcs()  # the backend (and its default VPC) made and saved
        acknowledged = {ssm.put_parameter(Name="/before", Value="x", Type="String")["Version"]}
        durable = server.state.durable
        assert durable is not None
        pages = durable.conn.execute("PRAGMA page_count").fetchone()[0]
        durable.conn.execute(f"PRAGMA max_page_count = {pages}")
        refused: list[Any] = []
        for n in range(40):  # enough to need a new page
            try:
                ssm.put_parameter(Name=f"/full/{n}", Value="v" * 500, Type="String")
            except ssm.exceptions.ClientError as error:
                refused.append(error.response)
                break
        assert refused, "the cap never bit"
        answer = refused[0]
        assert answer["Error"]["Code"] == "ServiceUnavailable"
        assert answer["ResponseMetadata"]["HTTPStatusCode"] == 503
        # a write while the store still refuses does not even run
        with pytest.raises(ec2.exceptions.ClientError, match="ServiceUnavailable"):
            ec2.create_vpc(CidrBlock="10.9.0.0/16")
        assert [v for v in ec2.describe_vpcs()["Vpcs"] if v["CidrBlock"] == "10.9.0.0/16"] == []
        durable.conn.execute("PRAGMA max_page_count = 1073741823")
        ssm.put_parameter(Name="/after", Value="y", Type="String")
        names = {f"/full/{k}" for k in range(n)} | {"/before", "/after"}
        image = _crash_image(state_dir, tmp_path / "image")
    assert acknowledged == {1}
    with ServerThread(config=Config(seed=5), state_dir=image) as server:
        ssm = _client(server, "ssm")
        found = set()
        for page in ssm.get_paginator("describe_parameters").paginate():
            found |= {p["Name"] for p in page["Parameters"]}
        assert names <= found
        assert found - names <= {f"/full/{n}"}  # the refused one ran in memory; maybe kept


def test_a_server_that_cannot_bind_lets_its_directory_go(tmp_path: Path) -> None:
    """A ServerThread whose port is taken had opened (and locked) its directory, and
    kept it: the next try in the same process was told the directory is in use."""
    with ServerThread() as other, pytest.raises(OSError):
        ServerThread(port=other.port, state_dir=tmp_path / "state")
    with ServerThread(state_dir=tmp_path / "state") as server:
        assert _client(server, "ec2").describe_vpcs()["Vpcs"]


def _post(server: ServerThread, path: str, body: dict[str, Any]) -> int:
    request = urllib.request.Request(
        f"{server.url}/_cloudmock/{path}",
        data=json.dumps(body).encode(),
        method="POST",
        headers={"content-type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def test_a_reset_the_disk_refused_is_not_undone_by_later_writes(tmp_path: Path) -> None:
    """A reset whose snapshot failed had dropped what was pending and left the old
    snapshot and log on disk: the next write was appended to that log, so a restart
    brought back everything the reset had forgotten, around the new write."""
    state_dir = tmp_path / "state"
    with ServerThread(config=Config(seed=6), state_dir=state_dir) as server:
        ssm = _client(server, "ssm")
        ssm.put_parameter(Name="/before-reset", Value="x" * 3000, Type="String")
        durable = server.state.durable
        assert durable is not None
        durable.conn.execute("PRAGMA query_only = 1")  # as a read-only file system would
        assert _post(server, "reset", {}) == 503  # the store refused it
        assert _post(server, "clock", {"advance": 60}) == 503
        durable.conn.execute("PRAGMA query_only = 0")
        ssm.put_parameter(Name="/after-reset", Value="y", Type="String")
        names = {p["Name"] for p in ssm.describe_parameters()["Parameters"]}
        assert names == {"/after-reset"}
        image = _crash_image(state_dir, tmp_path / "image")
    with ServerThread(config=Config(seed=6), state_dir=image) as server:
        found = {p["Name"] for p in _client(server, "ssm").describe_parameters()["Parameters"]}
        assert found == names


def test_an_export_onto_the_running_database_is_refused(tmp_path: Path) -> None:
    """``state export DIR/cloudmock-state.sqlite3 --state-dir DIR`` unlinked the database
    a running server was writing: what it had acknowledged was gone after a restart."""
    state_dir = tmp_path / "state"
    with ServerThread(config=Config(seed=8), state_dir=state_dir) as server:
        ec2 = _client(server, "ec2")
        ec2.run_instances(ImageId=IMAGE, MinCount=3, MaxCount=3)
        for own in (DB_NAME, f"{DB_NAME}-wal", "cloudmock-state.lock"):
            target = state_dir / own
            assert cli(["state", "export", str(target), "--state-dir", str(state_dir)]) == 2
        ec2.run_instances(ImageId=IMAGE, MinCount=3, MaxCount=3)
        acknowledged = _instances(ec2)
        image = _crash_image(state_dir, tmp_path / "image")
    with ServerThread(config=Config(seed=8), state_dir=image) as server:
        assert _instances(_client(server, "ec2")) == acknowledged
    assert cli(["state", "import", str(image / DB_NAME), "--state-dir", str(image)]) == 2


def test_starts_racing_to_make_the_directory_do_not_fail_on_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Of servers started at once on a new directory, one made it between another's
    look and its mkdir: that one failed with 'file exists' instead of finding the
    directory (and then being told it is in use, or using it)."""
    from cloudmock.core import persistence

    made = tmp_path / "state"
    made.mkdir(mode=0o700)
    monkeypatch.setattr(Path, "exists", lambda self: False)  # it looked before the mkdir
    assert persistence.open_dir(made) == made / DB_NAME


def test_an_empty_state_dir_is_refused_not_taken_as_the_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--state-dir "$UNSET"`` kept the state in whatever directory the server ran in."""
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exited:
        cli(["server", "--port", "0", "--state-dir", ""])
    assert exited.value.code == 2
    assert "empty path" in capsys.readouterr().err
    assert not (tmp_path / DB_NAME).exists()


def test_a_taken_port_is_one_line_and_lets_the_directory_go(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``cloudmock server --port N`` with N taken dumped a traceback (and, with a state
    directory, held it locked until the process ended)."""
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        with pytest.raises(SystemExit) as exited:
            cli(["server", "--port", str(port), "--state-dir", str(tmp_path / "state")])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert f"cannot listen on 127.0.0.1:{port}" in err and "Traceback" not in err
    with ServerThread(state_dir=tmp_path / "state") as server:
        assert _client(server, "ec2").describe_vpcs()["Vpcs"]


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork is POSIX")
def test_a_forked_child_does_not_keep_the_directory_locked(tmp_path: Path) -> None:
    """A child forked while a server held its directory inherited the lock's descriptor:
    after the parent stopped, the directory stayed 'in use' as long as the child lived."""
    state_dir = tmp_path / "state"
    read, write = os.pipe()
    with ServerThread(state_dir=state_dir), warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # 3.12+: fork with threads
        child = os.fork()
        if child == 0:  # pragma: no cover - the child waits for its parent, then leaves
            os.close(write)
            os.read(read, 1)
            os._exit(0)
    os.close(read)
    try:
        with ServerThread(state_dir=state_dir) as server:  # the child still lives
            assert _client(server, "ec2").describe_vpcs()["Vpcs"]
    finally:
        os.close(write)
        os.waitpid(child, 0)


def test_an_export_that_fails_leaves_the_previous_file_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An export unlinked the file it was to replace before copying: one that failed
    half-way (here the copy hits a full disk) destroyed the previous export."""
    from cloudmock.core import persistence

    state_dir = tmp_path / "state"
    with ServerThread(config=Config(seed=9), state_dir=state_dir) as server:
        _client(server, "ec2").run_instances(ImageId=IMAGE, MinCount=3, MaxCount=3)
    fixture = tmp_path / "fixture.cloudmock"
    assert cli(["state", "export", str(fixture), "--state-dir", str(state_dir)]) == 0
    good = fixture.read_bytes()

    class FullDisk:
        """The source connection, whose copy fails as a full disk makes it fail."""

        def __init__(self, conn: sqlite3.Connection) -> None:
            self._conn = conn

        def __getattr__(self, name: str) -> Any:
            return getattr(self._conn, name)

        def backup(self, target: sqlite3.Connection) -> None:
            target.execute("CREATE TABLE half (x)")  # something written, then the failure
            raise sqlite3.OperationalError("database or disk is full")

    real = sqlite3.connect

    def connect(where: Any, *args: Any, **kwargs: Any) -> Any:
        conn = real(where, *args, **kwargs)
        return FullDisk(conn) if str(where).startswith("file:") else conn

    monkeypatch.setattr(persistence.sqlite3, "connect", connect)
    assert cli(["state", "export", str(fixture), "--state-dir", str(state_dir)]) == 2
    monkeypatch.undo()
    assert fixture.read_bytes() == good
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fixture.cloudmock", "state"]
