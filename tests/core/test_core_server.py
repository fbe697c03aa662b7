"""Server mode: ServerThread, the control endpoints, the CLI, concurrency."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import boto3
import pytest
import requests
from core_helpers import AMI, free_port

from cloudmock.core.config import Config
from cloudmock.server import ServerThread

REGION = "eu-west-1"


def server_client(url: str, region: str = REGION):
    return boto3.client(
        "ec2",
        region_name=region,
        endpoint_url=url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def count(ec2) -> int:
    return sum(len(r["Instances"]) for r in ec2.describe_instances()["Reservations"])


# ------------------------------------------------------------------- ServerThread


def test_server_thread_picks_a_free_port_and_stops():
    with ServerThread() as server:
        assert server.host == "127.0.0.1"
        assert server.port > 0
        assert server.url == f"http://127.0.0.1:{server.port}"
        assert server_client(server.url).describe_regions()["Regions"]
    with pytest.raises(requests.ConnectionError):
        requests.get(server.url + "/_cloudmock/health", timeout=2)


def test_without_uvloop_the_server_runs_on_asyncios_own_loop(monkeypatch):
    import asyncio

    from cloudmock.core.transports import http_server

    loops: list[type] = []

    def asyncio_run(main):
        async def noting_the_loop():
            loops.append(type(asyncio.get_running_loop()))
            return await main

        return asyncio.run(noting_the_loop())

    monkeypatch.setattr(http_server, "_run_loop", asyncio_run)  # as where uvloop is missing
    with ServerThread() as server:
        ec2 = server_client(server.url)
        instance = ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=1)["Instances"][0]
        assert count(ec2) == 1
        assert ec2.describe_instances(InstanceIds=[instance["InstanceId"]])["Reservations"]
    assert loops and all(issubclass(kind, asyncio.BaseEventLoop) for kind in loops)
    assert not any(kind.__module__.startswith("uvloop") for kind in loops)


def test_health(core_server):
    response = requests.get(core_server.url + "/_cloudmock/health", timeout=5)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "running"
    assert body["services"]["ec2"] == "available"
    assert body["version"]


def test_state_dump_and_reset(core_server):
    core_server.state.reset()
    ec2 = server_client(core_server.url)
    [instance] = ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=1)["Instances"]
    dump = requests.get(core_server.url + "/_cloudmock/state", timeout=5)
    assert dump.status_code == 200
    assert dump.headers["Content-Type"] == "application/json"
    state = dump.json()
    assert instance["InstanceId"] in json.dumps(state["ec2"]["123456789012"][REGION])

    reset = requests.post(core_server.url + "/_cloudmock/reset", timeout=5)
    assert reset.status_code == 200
    assert requests.get(core_server.url + "/_cloudmock/state", timeout=5).json() == {}
    assert count(ec2) == 0


def test_clock(core_server):
    core_server.state.reset()
    base = core_server.url + "/_cloudmock/clock"
    core_server.clock.freeze()
    try:
        before = requests.get(base, timeout=5).json()["now"]
        moved = requests.post(base, json={"advance": 30}, timeout=5)
        assert moved.status_code == 200
        from datetime import datetime

        delta = datetime.fromisoformat(moved.json()["now"]) - datetime.fromisoformat(before)
        assert delta.total_seconds() == 30
    finally:
        core_server.state.reset()


def test_clock_moves_transitions(core_server):
    """An instance launched with a transition delay runs once the clock is advanced."""
    with ServerThread(config=Config(services={"ec2": {"transition_delay": 60}})) as server:
        ec2 = server_client(server.url)
        [instance] = ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=1)["Instances"]
        assert instance["State"]["Name"] == "pending"
        requests.post(server.url + "/_cloudmock/clock", json={"advance": 60}, timeout=5)
        described = ec2.describe_instances(InstanceIds=[instance["InstanceId"]])
        assert described["Reservations"][0]["Instances"][0]["State"]["Name"] == "running"


@pytest.mark.parametrize(
    "method,path,body,status",
    [
        ("GET", "/_cloudmock/nope", None, 404),
        ("GET", "/_cloudmock/reset", None, 405),
        ("DELETE", "/_cloudmock/health", None, 405),
        ("POST", "/_cloudmock/clock", {"unfreeze": "no"}, 400),
        ("POST", "/_cloudmock/clock", {"advance": -5}, 400),
        ("POST", "/_cloudmock/clock", {"advance": "soon"}, 400),
    ],
)
def test_control_endpoint_errors(core_server, method, path, body, status):
    response = requests.request(method, core_server.url + path, json=body, timeout=5)
    assert response.status_code == status
    assert "error" in response.json()


def test_server_limited_to_services():
    with ServerThread(services=()) as server:
        health = requests.get(server.url + "/_cloudmock/health", timeout=5).json()
        assert health["services"] == {}
        from botocore.exceptions import ClientError

        with pytest.raises(ClientError) as caught:
            server_client(server.url).describe_regions()
        assert caught.value.response["Error"]["Code"] == "NotImplemented"


# ----------------------------------------------------------------------- the CLI


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cloudmock", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )


def test_cli_services_lists_ec2():
    done = run_cli("services")
    assert done.returncode == 0, done.stderr
    [ec2_line] = [line for line in done.stdout.splitlines() if line.split()[0] == "ec2"]
    assert "ok" in ec2_line.split()
    assert "cloudmock.services.ec2:plugin" in ec2_line


def test_cli_rejects_a_malformed_option():
    done = run_cli("server", "--option", "instance_limit=5")
    assert done.returncode == 2
    assert "SERVICE.NAME=VALUE" in done.stderr


@pytest.fixture(scope="module")
def cli_server(tmp_path_factory) -> Iterator[str]:
    port = free_port()
    log = tmp_path_factory.mktemp("cli") / "server.log"
    with open(log, "w") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "cloudmock",
                "server",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--option",
                "ec2.instance_limit=1000",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                pytest.fail(f"cloudmock server exited early:\n{Path(log).read_text()}")
            try:
                if requests.get(url + "/_cloudmock/health", timeout=1).ok:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"cloudmock server did not come up:\n{Path(log).read_text()}")
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def test_cli_server_answers_boto3(cli_server):
    ec2 = server_client(cli_server)
    regions = [r["RegionName"] for r in ec2.describe_regions()["Regions"]]
    assert REGION in regions
    attributes = {
        a["AttributeName"]: a["AttributeValues"]
        for a in ec2.describe_account_attributes()["AccountAttributes"]
    }
    assert attributes["max-instances"] == [{"AttributeValue": "1000"}]


def test_cli_server_concurrent_launches_are_exact(cli_server):
    requests.post(cli_server + "/_cloudmock/reset", timeout=5)
    threads, per_thread = 8, 20
    clients = [server_client(cli_server) for _ in range(threads)]
    errors: list[BaseException] = []
    lock = threading.Lock()

    def work(ec2) -> list[str]:
        ids = []
        try:
            for _ in range(per_thread):
                reservation = ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=1)
                ids.append(reservation["Instances"][0]["InstanceId"])
        except BaseException as error:
            with lock:
                errors.append(error)
        return ids

    with ThreadPoolExecutor(threads) as pool:
        results = list(pool.map(work, clients, timeout=120))
    assert errors == []
    all_ids = [i for ids in results for i in ids]
    assert len(all_ids) == threads * per_thread
    assert len(set(all_ids)) == threads * per_thread
    paginator = clients[0].get_paginator("describe_instances")
    seen = {
        i["InstanceId"]
        for page in paginator.paginate()
        for r in page["Reservations"]
        for i in r["Instances"]
    }
    assert seen == set(all_ids)


def test_server_thread_concurrency_with_config_options():
    config = Config(services={"ec2": {"instance_limit": 1000}})
    with ServerThread(config=config) as server:
        clients = [server_client(server.url) for _ in range(8)]

        def work(ec2):
            for _ in range(10):
                ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=2)

        with ThreadPoolExecutor(8) as pool:
            list(pool.map(work, clients, timeout=120))
        assert count(clients[0]) == 160


def test_clock_can_be_frozen_at_a_given_time_over_http():
    import json
    import urllib.request

    from cloudmock.server import ServerThread

    with ServerThread() as server:
        request = urllib.request.Request(
            f"{server.url}/_cloudmock/clock",
            data=json.dumps({"freeze": "2030-01-02T03:04:05Z"}).encode(),
            method="POST",
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as reply:
            assert json.load(reply)["now"] == "2030-01-02T03:04:05+00:00"
        assert server.clock.now().year == 2030


@pytest.mark.parametrize(
    "body",
    [
        '{"advance": NaN}',
        '{"advance": Infinity}',
        '{"advance": 1e308}',
        '{"advance": 1e12}',
        '{"advance": -5}',
        '{"advance": "x"}',
        "[]",
        "not json",
        '{"freeze": "9999-12-31T23:59:59Z", "advance": 86400}',
        '{"freeze": 7}',
        '{"tick": 1}',
    ],
)
def test_bad_clock_moves_are_refused_and_change_nothing(body):
    import json
    import urllib.error
    import urllib.request

    import boto3

    from cloudmock.server import ServerThread

    with ServerThread() as server:
        server.clock.freeze(1_700_000_000)
        request = urllib.request.Request(
            f"{server.url}/_cloudmock/clock",
            data=body.encode(),
            method="POST",
            headers={"Content-Type": "application/json"},
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=10)
        assert refused.value.code == 400
        assert "error" in json.load(refused.value)
        assert server.clock.time() == 1_700_000_000
        ec2 = boto3.client(
            "ec2",
            endpoint_url=server.url,
            region_name="eu-west-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        assert ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=1)["Instances"]


@pytest.mark.parametrize("seconds", [float("nan"), float("inf"), 1e308, -1])
def test_the_clock_refuses_moves_it_could_not_show(seconds):
    from cloudmock.core.clock import Clock

    clock = Clock()
    clock.freeze(1_700_000_000)
    with pytest.raises(ValueError):
        clock.advance(seconds)
    assert clock.time() == 1_700_000_000
