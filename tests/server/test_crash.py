"""``kill -9`` a durable server (``cloudmock server --state-dir``) under load, at random
moments, restart it, and find every acknowledged write back, none of them halved."""

from __future__ import annotations

import os
import random
import selectors
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
import botocore.config
import pytest

ROOT = Path(__file__).resolve().parents[2]
REGION = "eu-west-1"
IMAGE = "ami-0abcdef1234567890"
#: instances per RunInstances: a reservation found with fewer was half-applied
PER_RUN = 3
CLIENTS = 4
KILLS = 4
START_DEADLINE = 30.0
#: log rows between snapshots (the server's default is 1,000, more than a round writes)
SNAPSHOT_EVERY = 10
#: how long one round of load may run before its kill, whatever happens
ROUND_DEADLINE = 15.0

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")


@dataclass
class Acknowledged:
    """What the server answered 200 to, across every round."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    changed: threading.Condition = field(init=False)
    reservations: dict[str, set[str]] = field(default_factory=dict)
    parameters: dict[str, str] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)
    count: int = 0

    def __post_init__(self) -> None:
        self.changed = threading.Condition(self.lock)

    def add(self, kind: str, key: str, value: Any) -> None:
        with self.changed:
            getattr(self, kind)[key] = value
            self.count += 1
            self.changed.notify_all()


class Server:
    def __init__(self, state_dir: Path, log: Path) -> None:
        env = dict(
            os.environ,
            PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
            # a snapshot every few writes: kills land in snapshots as well as in the log
            CLOUDMOCK_SNAPSHOT_EVERY=str(SNAPSHOT_EVERY),
        )
        self._log = log.open("ab")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "cloudmock",
                "server",
                "--port",
                "0",
                "--seed",
                "11",
                "--state-dir",
                str(state_dir),
                "--option",
                "ec2.instance_limit=100000",
            ],
            stdout=subprocess.PIPE,
            stderr=self._log,
            env=env,
        )
        self.url = self._wait_for_url()

    def _wait_for_url(self) -> str:
        assert self.proc.stdout is not None
        selector = selectors.DefaultSelector()
        selector.register(self.proc.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + START_DEADLINE
        line = b""
        while not line.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0 or not selector.select(timeout=left):
                self.kill()
                raise AssertionError("the server did not start in time")
            chunk = os.read(self.proc.stdout.fileno(), 1)
            if not chunk:
                raise AssertionError(f"the server exited: {self.proc.wait()}")
            line += chunk
        # "cloudmock X listening on http://127.0.0.1:PORT"
        return line.decode().split()[-1]

    def client(self, service: str) -> Any:
        config = botocore.config.Config(
            retries={"total_max_attempts": 1}, connect_timeout=5, read_timeout=20
        )
        return boto3.client(
            service,
            region_name=REGION,
            endpoint_url=self.url,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            config=config,
        )

    def kill(self) -> None:
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        self._log.close()


def _load(server: Server, number: int, stop: threading.Event, acked: Acknowledged) -> None:
    """One client: mutations until the server dies (or the round ends)."""
    ec2, ssm = server.client("ec2"), server.client("ssm")
    step = 0
    while not stop.is_set():
        step += 1
        try:
            kind = step % 3
            if kind == 1:
                run = ec2.run_instances(
                    ImageId=IMAGE, MinCount=PER_RUN, MaxCount=PER_RUN, InstanceType="t3.micro"
                )
                ids = {i["InstanceId"] for i in run["Instances"]}
                acked.add("reservations", run["ReservationId"], ids)
            elif kind == 2:
                name = f"/crash/{number}/{step}-{random.random()}"
                ssm.put_parameter(Name=name, Value=name[::-1], Type="String")
                acked.add("parameters", name, name[::-1])
            else:
                with acked.lock:
                    known = [i for ids in acked.reservations.values() for i in ids]
                if not known:
                    continue
                target = known[step % len(known)]
                value = f"{number}-{step}"
                ec2.create_tags(Resources=[target], Tags=[{"Key": f"k{number}", "Value": value}])
                # one writer per key: the last acknowledged value is the one to find
                acked.add("tags", f"{target}/k{number}", value)
        except Exception:  # the server was killed under this request: not acknowledged
            return


def _check(server: Server, acked: Acknowledged) -> None:
    ec2, ssm = server.client("ec2"), server.client("ssm")
    reservations: dict[str, set[str]] = {}
    tags: dict[str, str] = {}
    for page in ec2.get_paginator("describe_instances").paginate():
        for reservation in page["Reservations"]:
            ids = {i["InstanceId"] for i in reservation["Instances"]}
            reservations[reservation["ReservationId"]] = ids
            for instance in reservation["Instances"]:
                for tag in instance.get("Tags", []):
                    tags[f"{instance['InstanceId']}/{tag['Key']}"] = tag["Value"]
    # all or nothing: no reservation with part of its instances
    assert {len(ids) for ids in reservations.values()} <= {PER_RUN}
    for reservation, ids in acked.reservations.items():
        assert reservations.get(reservation) == ids, f"lost {reservation}"
    for key, value in acked.tags.items():
        assert tags.get(key) == value, f"lost tag {key}"
    found: dict[str, str] = {}
    for page in ssm.get_paginator("get_parameters_by_path").paginate(Path="/crash", Recursive=True):
        found.update({p["Name"]: p["Value"] for p in page["Parameters"]})
    for name, value in acked.parameters.items():
        assert found.get(name) == value, f"lost parameter {name}"
    # ids stay unique across restarts (the seed would repeat them were the stream lost)
    every = [i for ids in reservations.values() for i in ids]
    assert len(every) == len(set(every))


def test_every_acknowledged_write_survives_kill_9(tmp_path: Path) -> None:
    state_dir = tmp_path / "state"
    log = tmp_path / "server.log"
    rng = random.Random(20261128)
    acked = Acknowledged()
    for _ in range(KILLS):
        server = Server(state_dir, log)
        try:
            _check(server, acked)
            stop = threading.Event()
            clients = [
                threading.Thread(target=_load, args=(server, n, stop, acked), daemon=True)
                for n in range(CLIENTS)
            ]
            target = acked.count + rng.randint(4, 20)
            for client in clients:
                client.start()
            deadline = time.monotonic() + ROUND_DEADLINE
            with acked.changed:
                while acked.count < target and time.monotonic() < deadline:
                    acked.changed.wait(timeout=deadline - time.monotonic())
        finally:
            server.kill()  # SIGKILL, with requests in flight
        stop.set()
        for client in clients:
            client.join(timeout=30)
            assert not client.is_alive()
    server = Server(state_dir, log)
    try:
        _check(server, acked)
    finally:
        server.kill()
    assert acked.reservations and acked.parameters and acked.tags
    written = log.read_bytes()
    assert b"Traceback" not in written
    # every restart replayed the log as it first ran (a replay that ends otherwise says so)
    assert b"replaying" not in written
