"""Every Python HTTP client is answered in-process: http.client, urllib.request, urllib3
(and requests, botocore); other hosts pass through; proxies never see an AWS request;
every patch is restored exactly."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request
import warnings
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import boto3
import pytest
import requests
import urllib3
import urllib3.connection
from core_helpers import FakeProxy

import cloudmock
from cloudmock.core import mock as mock_module

AWS = "ec2.eu-west-1.amazonaws.com"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
REGIONS = b"Action=DescribeRegions&Version=2016-11-15"
NS = "{http://ec2.amazonaws.com/doc/2016-11-15/}"
PROXY_VARS = ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy")


def regions_in(body: bytes) -> list[str]:
    return [e.text or "" for e in ET.fromstring(body).iter(f"{NS}regionName")]


def launch_form(count: int = 1) -> bytes:
    return (
        "Action=RunInstances&Version=2016-11-15&ImageId=ami-f00ba4"
        f"&MinCount={count}&MaxCount={count}"
    ).encode()


# ------------------------------------------------------------------ fixtures


try:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import boto.connection as boto2_connection
except ImportError:  # boto 2 imports on Python < 3.12 only
    boto2_connection = None  # type: ignore[assignment]
needs_boto2 = pytest.mark.skipif(boto2_connection is None, reason="boto 2 is not importable")


def _patched_attributes() -> dict[str, object]:
    """Every attribute the transports replace, as the classes hold them now."""
    boto2 = vars(boto2_connection.AWSAuthConnection) if boto2_connection else {}
    return {
        "HTTPConnection": dict(vars(http.client.HTTPConnection)),
        "HTTPSConnection": dict(vars(http.client.HTTPSConnection)),
        "urllib3.HTTPConnection": dict(vars(urllib3.connection.HTTPConnection)),
        "urllib3.HTTPSConnection": dict(vars(urllib3.connection.HTTPSConnection)),
        "HTTPAdapter.send": requests.adapters.HTTPAdapter.send,
        "proxy_ssl": boto2.get("proxy_ssl"),
        "meta_path": list(sys.meta_path),
    }


@pytest.fixture(autouse=True)
def restored_exactly(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test leaves every patched class exactly as it found it, and AWS host
    names are never even resolved."""
    before = _patched_attributes()
    real_getaddrinfo = socket.getaddrinfo

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(host, str) and "amazonaws" in host:
            raise AssertionError(f"{host} was looked up: a request was about to leave")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    for name in (*PROXY_VARS, "NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    yield
    assert mock_module._active == [], "a mock was left started"
    assert _patched_attributes() == before


class _Hello(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._reply()

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self._reply()

    def _reply(self) -> None:
        body = b"hello from 127.0.0.1"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def local_http() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hello)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture
def proxy_env(proxy: FakeProxy, monkeypatch: pytest.MonkeyPatch) -> FakeProxy:
    """The environment sends every client through the fake proxy."""
    for name in PROXY_VARS:
        monkeypatch.setenv(name, proxy.url)
    return proxy


# ------------------------------------------------------------- the clients


def via_http_client(url: str, body: bytes = REGIONS) -> tuple[int, bytes]:
    scheme, _, rest = url.partition("://")
    host = rest.split("/", 1)[0]
    conn_class = http.client.HTTPSConnection if scheme == "https" else http.client.HTTPConnection
    conn = conn_class(host, timeout=10)
    try:
        conn.request("POST", "/", body, FORM)
        reply = conn.getresponse()
        return reply.status, reply.read()
    finally:
        conn.close()


def via_urllib_request(url: str, body: bytes = REGIONS, *handlers: Any) -> tuple[int, bytes]:
    opener = urllib.request.build_opener(*handlers)
    try:
        with opener.open(urllib.request.Request(url, body, FORM), timeout=10) as reply:
            return reply.status, reply.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def via_urllib3(url: str, body: bytes = REGIONS) -> tuple[int, bytes]:
    with urllib3.PoolManager() as pool:
        reply = pool.request("POST", url, body=body, headers=FORM, retries=False)
        return reply.status, reply.data


CLIENTS: dict[str, Callable[[str], tuple[int, bytes]]] = {
    "http.client": via_http_client,
    "urllib.request": via_urllib_request,
    "urllib3": via_urllib3,
}


# ---------------------------------------------------- AWS answered, others pass


@pytest.mark.parametrize("client", CLIENTS)
@pytest.mark.parametrize("scheme", ["https", "http"])
def test_aws_hosts_are_answered_in_process(client, scheme):
    with cloudmock.mock_ec2():
        status, body = CLIENTS[client](f"{scheme}://{AWS}/")
    assert status == 200
    assert "eu-west-1" in regions_in(body)


@pytest.mark.parametrize("client", CLIENTS)
def test_other_hosts_pass_through_untouched(client, local_http):
    with cloudmock.mock_ec2():
        assert CLIENTS[client](local_http) == (200, b"hello from 127.0.0.1")
    assert CLIENTS[client](local_http) == (200, b"hello from 127.0.0.1")


def test_state_is_shared_with_boto3():
    with cloudmock.mock_ec2():
        status, _ = via_urllib3(f"https://{AWS}/", launch_form(2))
        assert status == 200
        ec2 = boto3.client("ec2", region_name="eu-west-1")
        assert sum(len(r["Instances"]) for r in ec2.describe_instances()["Reservations"]) == 2


def test_chunked_bodies_are_read_whole():
    with cloudmock.mock_ec2(), urllib3.PoolManager() as pool:
        chunks = iter([b"Action=DescribeRegions", b"&Version=2016-11-15"])
        reply = pool.request("POST", f"https://{AWS}/", body=chunks, headers=FORM)
        assert reply.status == 200
        assert "eu-west-1" in regions_in(reply.data)


def test_kept_alive_connections_are_reused_without_warnings():
    with cloudmock.mock_ec2(), urllib3.PoolManager() as pool, warnings.catch_warnings():
        warnings.simplefilter("error")  # e.g. urllib3's InsecureRequestWarning
        for _ in range(3):
            reply = pool.request("POST", f"https://{AWS}/", body=REGIONS, headers=FORM)
            assert reply.status == 200
        assert pool.connection_from_host(AWS, 443, "https").num_connections == 1


def test_errors_come_back_as_aws_errors():
    with cloudmock.mock_ec2():
        status, body = via_urllib_request(
            f"https://{AWS}/",
            b"Action=DescribeInstances&Version=2016-11-15&InstanceId.1=i-0123456789abcdef0",
        )
    assert status == 400
    assert b"<Code>InvalidInstanceID.NotFound</Code>" in body


# ------------------------------------------------------------------- proxies


@pytest.mark.parametrize("client", ["urllib.request", "requests", "boto3"])
@pytest.mark.parametrize("scheme", ["https", "http"])
def test_proxies_from_the_environment_never_see_aws_requests(proxy_env, client, scheme):
    with cloudmock.mock_ec2():
        if client == "urllib.request":
            status, body = via_urllib_request(f"{scheme}://{AWS}/")
            assert (status, "eu-west-1" in regions_in(body)) == (200, True)
        elif client == "requests":
            reply = requests.post(f"{scheme}://{AWS}/", data=REGIONS, headers=FORM, timeout=10)
            assert reply.status_code == 200
        else:
            ec2 = boto3.client("ec2", region_name="eu-west-1", use_ssl=scheme == "https")
            assert len(ec2.describe_regions()["Regions"]) > 30
    assert not proxy_env.contacted


@pytest.mark.parametrize("scheme", ["https", "http"])
def test_explicit_proxies_never_see_aws_requests(proxy, scheme):
    handler = urllib.request.ProxyHandler({"http": proxy.url, "https": proxy.url})
    with cloudmock.mock_ec2(), urllib3.ProxyManager(proxy.url) as pool:
        status, body = via_urllib_request(f"{scheme}://{AWS}/", REGIONS, handler)
        assert (status, "eu-west-1" in regions_in(body)) == (200, True)
        reply = pool.request("POST", f"{scheme}://{AWS}/", body=REGIONS, headers=FORM)
        assert (reply.status, "eu-west-1" in regions_in(reply.data)) == (200, True)
    assert not proxy.contacted


def test_http_client_absolute_uri_and_connect_tunnel(proxy):
    with cloudmock.mock_ec2():
        forwarding = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=10)
        forwarding.request("POST", f"http://{AWS}/", REGIONS, FORM)
        assert forwarding.getresponse().status == 200
        tunnel = http.client.HTTPSConnection("127.0.0.1", proxy.port, timeout=10)
        tunnel.set_tunnel(AWS, 443)
        tunnel.request("POST", "/", REGIONS, FORM)
        assert tunnel.getresponse().status == 200
    assert not proxy.contacted


def test_one_proxy_connection_carries_aws_and_other_requests_each_where_it_belongs(proxy):
    conn = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=10)
    with cloudmock.mock_ec2():
        conn.request("GET", "http://example.invalid/")
        assert conn.getresponse().status == 502  # the proxy's own answer
        conn.request("POST", f"http://{AWS}/", REGIONS, FORM)
        reply = conn.getresponse()
        assert (reply.status, "eu-west-1" in regions_in(reply.read())) == (200, True)
        conn.request("GET", "http://example.invalid/again")
        assert conn.getresponse().status == 502
    conn.close()
    assert [r.split(b"\r\n", 1)[0] for r in proxy.received] == [
        b"GET http://example.invalid/ HTTP/1.1",
        b"GET http://example.invalid/again HTTP/1.1",
    ]


def test_after_stop_a_kept_alive_connection_goes_where_it_would_without_the_mock(proxy):
    conn = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=10)
    with cloudmock.mock_ec2():
        conn.request("POST", f"http://{AWS}/", REGIONS, FORM)
        assert conn.getresponse().read()
    assert not proxy.contacted
    conn.request("POST", f"http://{AWS}/", REGIONS, FORM)  # the fake proxy, not AWS
    assert conn.getresponse().status == 502
    conn.close()
    assert proxy.received[0].startswith(f"POST http://{AWS}/ HTTP/1.1".encode())


# -------------------------------------------------------- patches and threads


def test_patches_are_installed_at_start_and_gone_at_stop():
    before = _patched_attributes()
    outer, inner = cloudmock.mock_ec2(), cloudmock.mock_aws()
    outer.start()
    try:
        started = _patched_attributes()
        assert started["HTTPConnection"]["putrequest"] is not before["HTTPConnection"]["putrequest"]
        if boto2_connection is not None:
            assert started["proxy_ssl"] is not before["proxy_ssl"]
        assert started["HTTPAdapter.send"] is not before["HTTPAdapter.send"]
        inner.start()
        inner.stop()
        assert _patched_attributes() == started  # an inner stop removes nothing
    finally:
        outer.stop()
    assert _patched_attributes() == before
    assert "putrequest" not in vars(http.client.HTTPSConnection)  # no copy left behind


def test_a_request_is_answered_once(monkeypatch):
    calls: list[str] = []
    handle = mock_module._dispatcher.handle

    def counting(request: Any) -> Any:
        calls.append(request.host)
        return handle(request)

    monkeypatch.setattr(mock_module._dispatcher, "handle", counting)
    with cloudmock.mock_ec2():
        boto3.client("ec2", region_name="eu-west-1").describe_regions()
        requests.post(f"https://{AWS}/", data=REGIONS, headers=FORM, timeout=10)
        via_urllib3(f"https://{AWS}/")
    assert len(calls) == 3


def test_threads_starting_and_stopping_mocks_while_others_send(local_http):
    failures: list[BaseException] = []
    pool = urllib3.PoolManager(maxsize=8)

    def work() -> None:
        try:
            for _ in range(5):
                with cloudmock.mock_ec2():
                    reply = pool.request("POST", f"https://{AWS}/", body=REGIONS, headers=FORM)
                    assert reply.status == 200, reply.data
                    assert pool.request("GET", local_http).data == b"hello from 127.0.0.1"
        except BaseException as error:  # reported below, in the test's thread
            failures.append(error)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    pool.clear()
    assert failures == []


def test_concurrent_requests_share_one_state():
    with cloudmock.mock_ec2(), urllib3.PoolManager(maxsize=8) as pool:

        def launch() -> None:
            for _ in range(2):
                pool.request("POST", f"https://{AWS}/", body=launch_form(), headers=FORM)

        threads = [threading.Thread(target=launch) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        ec2 = boto3.client("ec2", region_name="eu-west-1")
        instances = [i for r in ec2.describe_instances()["Reservations"] for i in r["Instances"]]
        assert len(instances) == 16


# ---------------------------------------------------- boto 2 imported late


LATE_BOTO2 = """
import os, cloudmock
mock = cloudmock.mock_ec2()
mock.start()
import boto.ec2  # after start: patched as it is imported
conn = boto.ec2.connect_to_region("eu-west-1")
print(conn.run_instances("ami-f00ba4").instances[0].state)
mock.stop()
from boto.connection import AWSAuthConnection
print(AWSAuthConnection.proxy_ssl.__module__)
"""


@needs_boto2
def test_boto2_imported_after_start_is_caught_behind_a_proxy(proxy):
    env = {**os.environ, "http_proxy": proxy.url, "PYTHONWARNINGS": "ignore"}
    done = subprocess.run(
        [sys.executable, "-c", LATE_BOTO2], capture_output=True, text=True, timeout=60, env=env
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["pending", "boto.connection"]
    assert not proxy.contacted
