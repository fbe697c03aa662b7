"""The control endpoints (``/_cloudmock/*``) answer only requests no web page can make:
loopback (or configured) Host names, no cross-origin browser requests, JSON POSTs, and
the server's token when it has one. Bad control input is a JSON 400, never a 500."""

from __future__ import annotations

import http.client
import io
import json
from collections.abc import Iterator

import pytest

from cloudmock.core.config import Config
from cloudmock.core.transports.control import guard_exposed_bind
from cloudmock.server import ServerThread

JSON = {"Content-Type": "application/json"}


@pytest.fixture(scope="module")
def server() -> Iterator[ServerThread]:
    with ServerThread(config=Config(server_names=["cloudmock.internal"])) as running:
        yield running


@pytest.fixture(scope="module")
def locked() -> Iterator[ServerThread]:
    with ServerThread(config=Config(control_token="s3cret-token")) as running:
        yield running


def send(
    server: ServerThread,
    method: str,
    path: str,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], object]:
    """A raw request (so Host, Origin and the body are exactly what a browser or an
    attacker would send); the status, headers and parsed JSON body."""
    connection = http.client.HTTPConnection(server.host, server.port, timeout=10)
    try:
        sent = {"Host": f"127.0.0.1:{server.port}", **(headers or {})}
        connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        for name, value in sent.items():
            connection.putheader(name, value)
        if body or method == "POST":
            connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body)
        reply = connection.getresponse()
        raw = reply.read()
        assert reply.getheader("Content-Type") == "application/json", raw[:200]
        return reply.status, {k.lower(): v for k, v in reply.getheaders()}, json.loads(raw)
    finally:
        connection.close()


def instances_exist(server: ServerThread) -> bool:
    status, _, state = send(server, "GET", "/_cloudmock/state")
    assert status == 200
    return bool(state)


def launch_something(server: ServerThread) -> None:
    import boto3

    ec2 = boto3.client(
        "ec2",
        endpoint_url=server.url,
        region_name="eu-west-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    ec2.run_instances(ImageId="ami-f00ba4", MinCount=1, MaxCount=1)


# -- Host: DNS rebinding


@pytest.mark.parametrize("host", ["attacker.example", "attacker.example:80", "127.0.0.1.nip.io"])
def test_a_rebound_host_name_cannot_read_the_state(server, host):
    status, _, body = send(server, "GET", "/_cloudmock/state", headers={"Host": host})
    assert status == 403
    assert "host" in body["error"].lower()


@pytest.mark.parametrize(
    "host", ["localhost", "localhost:5000", "127.0.0.1", "[::1]:8080", "cloudmock.internal:5000"]
)
def test_loopback_and_configured_names_are_answered(server, host):
    status, _, body = send(server, "GET", "/_cloudmock/clock", headers={"Host": host})
    assert status == 200 and "now" in body


def test_a_rebound_page_cannot_reset_the_server(server):
    launch_something(server)
    status, _, _ = send(
        server, "POST", "/_cloudmock/reset", b"{}", {"Host": "attacker.example:5000", **JSON}
    )
    assert status == 403
    assert instances_exist(server)


# -- Origin / Sec-Fetch-Site: cross-origin browser requests


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://attacker.example"},
        {"Origin": "null"},
        {"Origin": "http://localhost:3000"},  # another local app is another origin
        {"Sec-Fetch-Site": "cross-site"},
    ],
)
def test_cross_origin_requests_are_refused(server, headers):
    launch_something(server)
    assert send(server, "GET", "/_cloudmock/state", headers=headers)[0] == 403
    status, _, body = send(server, "POST", "/_cloudmock/reset", b"{}", {**headers, **JSON})
    assert status == 403 and "cross" in body["error"]
    assert instances_exist(server)


def test_the_servers_own_origin_is_answered(server):
    origin = f"http://127.0.0.1:{server.port}"
    headers = {"Origin": origin, "Sec-Fetch-Site": "same-origin"}
    assert send(server, "GET", "/_cloudmock/clock", headers=headers)[0] == 200


# -- a page's simple POSTs (text/plain, forms) need no preflight: they must not act


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"],
)
def test_a_simple_post_from_a_page_does_not_reset(server, content_type):
    launch_something(server)
    status, _, body = send(
        server, "POST", "/_cloudmock/reset", b"{}", {"Content-Type": content_type}
    )
    assert status == 415
    assert "application/json" in body["error"]
    assert instances_exist(server)


def test_json_and_bodyless_posts_still_reset(server):
    launch_something(server)
    assert send(server, "POST", "/_cloudmock/reset", b"{}", JSON)[0] == 200
    assert not instances_exist(server)
    launch_something(server)
    assert send(server, "POST", "/_cloudmock/reset")[0] == 200  # curl -X POST
    assert not instances_exist(server)


# -- the token


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong"},
        {"X-Cloudmock-Token": "s3cret-tok"},
        {"Authorization": "s3cret-token"},
    ],
)
def test_a_token_protected_server_refuses_without_it(locked, headers):
    for method, path, body in [
        ("GET", "/_cloudmock/state", b""),
        ("GET", "/_cloudmock/clock", b""),
        ("POST", "/_cloudmock/reset", b"{}"),
        ("POST", "/_cloudmock/clock", b'{"advance": 5}'),
    ]:
        extra = JSON if method == "POST" else {}
        status, reply_headers, reply = send(locked, method, path, body, {**headers, **extra})
        assert status == 401, (method, path)
        assert "token" in reply["error"]
        assert reply_headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "headers", [{"Authorization": "Bearer s3cret-token"}, {"X-Cloudmock-Token": "s3cret-token"}]
)
def test_a_token_protected_server_answers_with_it(locked, headers):
    assert send(locked, "GET", "/_cloudmock/state", headers=headers)[0] == 200
    assert send(locked, "POST", "/_cloudmock/reset", b"{}", {**headers, **JSON})[0] == 200


def test_health_stays_open_for_probes(locked):
    status, _, body = send(locked, "GET", "/_cloudmock/health")
    assert status == 200 and body["status"] == "running"


def test_binding_beyond_loopback_warns_and_makes_a_token():
    config = Config()
    out = io.StringIO()
    guard_exposed_bind("0.0.0.0", config, out)
    text = out.getvalue()
    assert config.control_token and config.control_token in text
    for exposed in ("every account", "/_cloudmock/reset", "/_cloudmock/clock"):
        assert exposed in text
    given = Config(control_token="mine")
    guard_exposed_bind("10.1.2.3", given, out := io.StringIO())
    assert given.control_token == "mine" and "mine" not in out.getvalue()
    assert "10.1.2.3" in given.server_names
    quiet = Config()
    guard_exposed_bind("127.0.0.1", quiet, out := io.StringIO())
    assert out.getvalue() == "" and quiet.control_token is None


def test_the_cli_prints_the_warning_and_token(monkeypatch, capsys):
    from cloudmock import cli
    from cloudmock import server as server_module

    served: list[Config] = []
    monkeypatch.setattr(
        server_module, "serve", lambda host, port, config, services, **kw: served.append(config)
    )
    assert cli.main(["server", "--host", "0.0.0.0", "--port", "0"]) == 0
    err = capsys.readouterr().err
    assert "WARNING" in err and served[0].control_token in err


# -- bad control input: a JSON 400, the clock unmoved


@pytest.mark.parametrize(
    "body",
    [
        b'{"advance": 1e400}',
        b'{"advance": -1e400}',
        b'{"advance": NaN}',
        b'{"advance": Infinity}',
        b'{"advance": -Infinity}',
        b'{"advance": ' + b"9" * 4000 + b"}",
        b'{"advance": ' + b"9" * 5000 + b"}",
        b'{"freeze": ' + b"9" * 400 + b"}",
        b'{"freeze": "99999-01-01T00:00:00Z"}',
        b'{"freeze": "0001-01-01T00:00:00Z"}',
        b"[" * 60_000,
        b'{"advance": ' + b"[" * 20_000 + b"]" * 20_000 + b"}",
        b"\xff\xfe\xfd",
        b'{"advance": "\xff"}',
        b"[]",
        b'"advance"',
        b"17",
        b"null",
        b"not json",
        b'{"advance": 1',
    ],
)
def test_bad_clock_input_is_a_json_400(server, body):
    server.clock.freeze(1_700_000_000)
    try:
        status, _, reply = send(server, "POST", "/_cloudmock/clock", body, JSON)
        assert status == 400, reply
        assert isinstance(reply["error"], str) and reply["error"]
        assert server.clock.time() == 1_700_000_000
    finally:
        server.clock.unfreeze()


@pytest.mark.parametrize(
    "body", [b"[" * 60_000, b"\xff", b'{"advance": NaN}', b"[]", b'{"everything": true}']
)
def test_bad_reset_input_is_a_json_400(server, body):
    launch_something(server)
    status, _, reply = send(server, "POST", "/_cloudmock/reset", body, JSON)
    assert status == 400 and reply["error"]
    assert instances_exist(server)


def test_an_oversized_control_body_is_refused(server):
    status, _, reply = send(server, "POST", "/_cloudmock/clock", b" " * 70_000 + b"{}", JSON)
    assert status == 413 and reply["error"]


@pytest.mark.parametrize("path", ["/_cloudmock/health", "/_cloudmock/state", "/_cloudmock/clock"])
def test_gets_ignore_a_garbage_body_and_query(server, path):
    status, _, _ = send(server, "GET", path + "?%ff%00=[[[", b"\xff" * 100, JSON)
    assert status == 200
