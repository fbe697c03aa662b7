"""Fault suite: thousands of malformed and random-typed requests against a server on
127.0.0.1. Every answer must be HTTP/1.1 with a well-formed XML or JSON body, no 5xx
but 501, no traceback in a body or the log; the server must still answer at the end,
with its memory bounded. Seeded: a failure names the seed and the request, and
reproduces.
"""

from __future__ import annotations

import contextlib
import json
import logging
import random
import resource
import socket
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any

import boto3
import botocore.session
import pytest
from botocore.config import Config as BotoConfig

from cloudmock.core.transports.http_server import Limits
from cloudmock.server import ServerThread

SEED = 8
RAW_CASES = 8000
BOTO_CASES = 2000
CONTROL_CASES = 300
#: peak resident memory may grow by this much over a whole suite
MEMORY_BOUND_KIB = 200 * 1024

SCOPE = (
    "AWS4-HMAC-SHA256 Credential=testing/20240101/eu-west-1/{service}/aws4_request, "
    "SignedHeaders=host, Signature=" + "0" * 64
)


class LogProblems(logging.Handler):
    """Every log record with a traceback, or at ERROR and above."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info or record.levelno >= logging.ERROR or "Traceback" in record.getMessage():
            self.records.append(record)


@pytest.fixture(scope="module")
def fuzzed() -> Iterator[tuple[ServerThread, LogProblems]]:
    problems = LogProblems()
    root = logging.getLogger()
    root.addHandler(problems)
    # small limits and a short read timeout: each bound is reached quickly
    limits = Limits(max_header_bytes=4096, max_body_bytes=256 * 1024, read_timeout=1.0)
    try:
        with ServerThread(limits=limits) as server:
            yield server, problems
    finally:
        root.removeHandler(problems)


def check_body(status: int, content_type: str, body: bytes, what: str) -> None:
    assert not (500 <= status < 600 and status != 501), f"{status} for {what}: {body[:300]!r}"
    assert b"Traceback" not in body, what
    assert b"<html" not in body.lower(), what
    if "json" in content_type:
        if body:
            json.loads(body)
    elif "xml" in content_type:
        ET.fromstring(body)
    else:
        assert not body, f"{content_type!r} body for {what}: {body[:200]!r}"


def responses(reply: bytes, what: str, head_request: bool = False) -> int:
    """Check every response in ``reply``; how many there were (a HEAD's has no body)."""
    count = 0
    while reply:
        assert reply.startswith(b"HTTP/1.1 "), f"not HTTP/1.1 for {what}: {reply[:200]!r}"
        head, sep, rest = reply.partition(b"\r\n\r\n")
        assert sep, f"a head without its end for {what}: {reply[:200]!r}"
        lines = head.decode("latin-1").split("\r\n")
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        status = int(lines[0].split()[1])
        length = 0 if head_request else int(headers.get("content-length", "0"))
        body, reply = rest[:length], rest[length:]
        assert len(body) == length, f"a short body for {what}"
        check_body(status, "" if head_request else headers.get("content-type", ""), body, what)
        count += 1
    return count


def exchange(port: int, data: bytes) -> bytes:
    """Send, say we are done sending, read until the server closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        try:
            sock.sendall(data)
            sock.shutdown(socket.SHUT_WR)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server refused early (431, 413) and closed: read what it said
        return read_until_closed(sock)


def read_until_closed(sock: socket.socket) -> bytes:
    reply = b""
    while True:
        try:
            chunk = sock.recv(65536)
        except ConnectionResetError:
            break
        if not chunk:
            break
        reply += chunk
    return reply


# -- raw HTTP ---------------------------------------------------------------------------

FORMS = [
    "Action=DescribeRegions&Version=2016-11-15",
    "Action=RunInstances&Version=2016-11-15&ImageId=ami-f00ba4&MinCount=1&MaxCount=1",
    "Action=DescribeInstances&Version=2016-11-15&Filter.1.Name=instance-state-name&Filter.1.Value.1=running",
    "Action=GetCallerIdentity&Version=2011-06-15",
    "Action=ListUsers&Version=2010-05-08",
]
JUNK = [
    b"\x00",
    b"\r",
    b"\n",
    b"\r\n",
    b"\r\n\r\n",
    b" ",
    b":",
    b"%",
    b"%zz",
    b"&&&",
    b"=",
    b"\xff\xfe",
    b"ffffffffffffffffffff\r\n",
    b"0\r\n\r\n",
    b"Transfer-Encoding: chunked\r\n",
    b"Content-Length: 5\r\n",
    b"Content-Length: -3\r\n",
    b"HTTP/1.1",
    b"GET / HTTP/1.1\r\n",
    b"Expect: 100-continue\r\n",
    b"Connection: upgrade\r\nUpgrade: h2c\r\n",
    b"a" * 5000,
    b"9" * 4400,
    b"<?xml",
    b'{"a":',
    b"Action=" + b"A" * 300,
]


def valid_request(rng: random.Random) -> bytes:
    form = rng.choice(FORMS)
    service = {"GetCa": "sts", "ListU": "iam"}.get(form[7:12], "ec2")
    body = form.encode()
    if rng.random() < 0.5:
        framing = b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
    else:
        cut = rng.randrange(len(body) + 1)
        parts = [p for p in (body[:cut], body[cut:]) if p]
        chunks = b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in parts)
        framing = b"Transfer-Encoding: chunked\r\n\r\n" + chunks + b"0\r\n\r\n"
    return (
        b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\n"
        + b"Authorization: "
        + SCOPE.format(service=service).encode()
        + b"\r\n"
        + framing
    )


def mutate(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        where = rng.randrange(len(out) + 1)
        kind = rng.random()
        if kind < 0.25 and out:
            out[min(where, len(out) - 1)] = rng.randrange(256)
        elif kind < 0.5:
            out[where:where] = rng.choice(JUNK)
        elif kind < 0.7:
            del out[where : where + rng.randint(1, 40)]
        elif kind < 0.8:
            out = out[:where]
        elif kind < 0.9:
            out[where:where] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 30)))
        else:  # a header repeated, or a line duplicated
            line_end = out.find(b"\r\n", where)
            if line_end > 0:
                start = out.rfind(b"\r\n", 0, line_end) + 2
                out[line_end + 2 : line_end + 2] = out[start : line_end + 2]
    return bytes(out)


def raw_case(rng: random.Random) -> bytes:
    roll = rng.random()
    if roll < 0.7:
        return mutate(rng, valid_request(rng))
    if roll < 0.8:
        return bytes(rng.randrange(256) for _ in range(rng.randint(0, 200)))
    if roll < 0.9:  # a well-formed request with a random body
        body = bytes(rng.randrange(256) for _ in range(rng.randint(0, 300)))
        ctype = rng.choice(
            [b"application/x-www-form-urlencoded", b"application/x-amz-json-1.1", b"text/xml", b""]
        )
        target = rng.choice(
            [b"", b"X-Amz-Target: AmazonSSM.GetParameter\r\n", b"X-Amz-Target: x.y\r\n"]
        )
        return (
            b"POST /"
            + rng.choice([b"", b"?Action=DescribeVpcs", b"%00", b"_cloudmock/x"])
            + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
            + ctype
            + b"\r\n"
            + target
            + b"Content-Length: %d\r\n\r\n" % len(body)
            + body
        )
    # a request line of random method and target
    method = rng.choice(
        [b"GET", b"POST", b"PUT", b"DELETE", b"HEAD", b"OPTIONS", b"PATCH", b"TRACE", b"BREW"]
    )
    target = rng.choice(
        [b"/", b"*", b"//", b"/?" + rng.choice(FORMS).encode(), b"http://x/", b"/%", b"/a b"]
    )
    return (
        method
        + b" "
        + target
        + b" HTTP/1.1\r\nHost: "
        + rng.choice([b"x", b"[", b":99999", b""])
        + b"\r\n\r\n"
    )


def test_raw_http_fuzz(fuzzed: tuple[ServerThread, LogProblems]) -> None:
    server, problems = fuzzed
    logged = len(problems.records)  # only this test's records count
    rng = random.Random(SEED)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    answered = 0
    for number in range(RAW_CASES):
        data = raw_case(rng)
        what = f"raw case {number} (seed {SEED}): {data[:300]!r}"
        count = responses(exchange(server.port, data), what, data.startswith(b"HEAD "))
        assert count or not data.strip(b"\r\n "), f"no answer to {what}"
        answered += count
    assert answered >= RAW_CASES * 0.9
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown < MEMORY_BOUND_KIB, f"peak memory grew by {grown} KiB"
    assert (
        responses(
            exchange(server.port, b"GET /_cloudmock/health HTTP/1.1\r\nHost: x\r\n\r\n"), "health"
        )
        == 1
    )
    assert not problems.records[logged:], [r.getMessage() for r in problems.records[logged:][:5]]


# -- random-typed members through boto3 --------------------------------------------------

SERVICES = {"ec2": 0.55, "ssm": 0.15, "iam": 0.15, "sts": 0.15}
STRINGS = [
    "",
    "a",
    "x" * 300,
    "ü\u2603",
    "-1",
    "1e400",
    "9" * 4301,
    "null",
    "<a>",
    "%00",
    "i-0123",
    "*",
]


def random_value(rng: random.Random, shape: Any, depth: int = 0) -> Any:
    kind = shape.type_name
    if rng.random() < 0.25:  # the wrong type for the member
        kind = rng.choice(["string", "integer", "boolean", "list", "structure", "float"])
    if kind == "structure" and depth < 3:
        members = getattr(shape, "members", {}) or {"Junk": None}
        picked = rng.sample(sorted(members), k=min(len(members), rng.randint(0, 4)))
        return {
            name: random_value(rng, members[name], depth + 1) if members[name] is not None else "x"
            for name in picked
        }
    if kind == "list" and depth < 3:
        member = getattr(shape, "member", None)
        return [
            random_value(rng, member, depth + 1) if member is not None else rng.choice(STRINGS)
            for _ in range(rng.randint(0, 3))
        ]
    if kind == "map" and depth < 3:
        return {rng.choice(STRINGS): rng.choice(STRINGS) for _ in range(rng.randint(0, 2))}
    if kind in ("integer", "long"):
        return rng.choice([0, -1, 1, 2**31, 2**63, -(2**63) - 1, 10**40])
    if kind in ("float", "double"):
        return rng.choice([0.0, -1.5, 1e300, float("inf"), float("nan")])
    if kind == "boolean":
        return rng.choice([True, False])
    if kind == "timestamp":
        return rng.choice(["2024-01-01T00:00:00Z", "0", "not-a-time", 0, 10**12])
    if kind == "blob":
        return rng.choice([b"", b"\x00\xff", b"x" * 100])
    return rng.choice(STRINGS)


def boto_case(rng: random.Random, models: dict[str, Any]) -> tuple[str, str, dict[str, Any]]:
    service = rng.choices(list(SERVICES), weights=list(SERVICES.values()))[0]
    model = models[service]
    operation = model.operation_model(rng.choice(model.operation_names))
    params = random_value(rng, operation.input_shape) if operation.input_shape else {}
    return service, operation.name, params if isinstance(params, dict) else {}


def test_random_typed_members_through_boto3(fuzzed: tuple[ServerThread, LogProblems]) -> None:
    server, problems = fuzzed
    logged = len(problems.records)  # only this test's records count
    rng = random.Random(SEED)
    session = botocore.session.get_session()
    models = {name: session.get_service_model(name) for name in SERVICES}
    config = BotoConfig(
        parameter_validation=False,
        retries={"total_max_attempts": 1},
        connect_timeout=5,
        read_timeout=15,
    )
    seen: list[tuple[int, str, bytes]] = []

    def record(response_dict: dict[str, Any], **_: Any) -> None:
        headers = {k.lower(): v for k, v in response_dict["headers"].items()}
        seen.append(
            (response_dict["status_code"], headers.get("content-type", ""), response_dict["body"])
        )

    clients = {}
    for service in SERVICES:
        client = boto3.client(
            service,
            "eu-west-1",
            endpoint_url=server.url,
            config=config,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        client.meta.events.register("before-parse", record)
        clients[service] = client
    sent = 0
    for number in range(BOTO_CASES):
        service, operation, params = boto_case(rng, models)
        method = getattr(clients[service], botocore.xform_name(operation))
        before = len(seen)
        # client-side refusals and the server's AWS errors alike: the answers are checked
        with contextlib.suppress(Exception):
            method(**params)
        for status, ctype, body in seen[before:]:
            check_body(
                status,
                ctype,
                body,
                f"boto3 case {number} (seed {SEED}): {service}.{operation}({params!r:.300})",
            )
        sent += len(seen) - before
    assert sent >= BOTO_CASES * 0.8, sent
    assert not problems.records[logged:], [r.getMessage() for r in problems.records[logged:][:5]]


def test_control_endpoint_fuzz(fuzzed: tuple[ServerThread, LogProblems]) -> None:
    server, problems = fuzzed
    logged = len(problems.records)  # only this test's records count
    rng = random.Random(SEED)
    values: list[Any] = [
        1e400,
        -1e400,
        10**400,
        "x",
        None,
        True,
        [],
        {},
        1,
        -1e18,
        "2024-13-45",
        "Z",
    ]
    for number in range(CONTROL_CASES):
        roll = rng.random()
        if roll < 0.4:
            body = json.dumps(
                {rng.choice(["advance", "freeze", "unfreeze", "x"]): rng.choice(values)}
            )
        elif roll < 0.6:
            body = "[" * rng.randint(1, 100_000)
        elif roll < 0.8:
            body = "".join(rng.choice('{}[]":,0123456789e.-tfn') for _ in range(rng.randint(0, 50)))
        else:
            body = rng.choice(["", "null", "1e999", '{"advance": 1e999}'])
        path = rng.choice(["clock", "clock", "reset", "health", "state", "nowhere"])
        method = rng.choice(["POST", "POST", "GET", "PUT"])
        data = (
            f"{method} /_cloudmock/{path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n{body}"
        ).encode()
        responses(
            exchange(server.port, data), f"control case {number} (seed {SEED}): {data[:200]!r}"
        )
    assert not problems.records[logged:], [r.getMessage() for r in problems.records[logged:][:5]]


HUGE = "9" * 4301  # one digit past Python's int-string limit


@pytest.mark.parametrize(
    "form",
    [
        f"Action=RunInstances&Version=2016-11-15&ImageId=ami-f00ba4&MinCount={HUGE}&MaxCount=1",
        f"Action=DescribeInstances&Version=2016-11-15&MaxResults={HUGE}",
        f"Action=DescribeInstances&Version=2016-11-15&Filter.{HUGE}.Name=x&Filter.{HUGE}.Value.1=y",
    ],
    ids=["MinCount", "MaxResults", "list-index"],
)
def test_integers_beyond_any_range_are_a_400(
    fuzzed: tuple[ServerThread, LogProblems], form: str
) -> None:
    server, _ = fuzzed
    body = form.encode()
    data = (
        b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        + b"Authorization: "
        + SCOPE.format(service="ec2").encode()
        + b"\r\n"
        + b"Content-Length: %d\r\n\r\n" % len(body)
        + body
    )
    reply = exchange(server.port, data)
    assert responses(reply, form[:80]) == 1
    assert reply.startswith(b"HTTP/1.1 400"), reply[:100]


# -- pipelined, in pieces ----------------------------------------------------------------

PIPELINED_CASES = 600


@pytest.mark.parametrize("dispatch", ["inline", "thread"])
def test_pipelined_requests_sent_in_pieces(dispatch: str) -> None:
    """Up to six requests (mostly valid, some mutated) on one connection, written in
    pieces of 1 to 500 bytes, so that heads, bodies and chunk lines end anywhere in a
    read. Every request gets its answer, in order; on the pool's path requests still run
    when a later one is refused (its refusal waits for them)."""
    problems = LogProblems()
    root = logging.getLogger()
    root.addHandler(problems)
    rng = random.Random(SEED)
    limits = Limits(max_header_bytes=4096, max_body_bytes=256 * 1024, read_timeout=1.0)
    try:
        with ServerThread(limits=limits, dispatch=dispatch) as server:
            for number in range(PIPELINED_CASES):
                requests = [
                    valid_request(rng) if rng.random() < 0.6 else raw_case(rng)
                    for _ in range(rng.randint(1, 6))
                ]
                # a HEAD's answer has no body: framing it needs the method of each
                data = b"".join(b"GET " + r[5:] if r.startswith(b"HEAD ") else r for r in requests)
                what = f"pipelined case {number} (seed {SEED}): {data[:300]!r}"
                with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
                    try:
                        sent = 0
                        while sent < len(data):
                            step = rng.choice([1, 2, 3, 4, 7, 50, 500])
                            sock.sendall(data[sent : sent + step])
                            sent += step
                        sock.shutdown(socket.SHUT_WR)
                    except OSError:  # refused early and closed: read what it said
                        pass
                    reply = read_until_closed(sock)
                assert responses(reply, what) or not data.strip(b"\r\n "), f"no answer to {what}"
            assert responses(
                exchange(server.port, b"GET /_cloudmock/health HTTP/1.1\r\nHost: x\r\n\r\n"),
                "health",
            )
    finally:
        root.removeHandler(problems)
    assert not problems.records, [r.getMessage() for r in problems.records[:5]]
