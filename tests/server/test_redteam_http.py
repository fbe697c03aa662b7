"""Red-team findings at the HTTP layer of server mode, through raw sockets: what an
outside checker's fuzzers and load broke after the fault suites passed.

- a client that never reads its answers made the server keep answering into memory
  (a pipelined flood grew it by ~80 MB/s without bound);
- requests pipelined behind one waiting for ``100 Continue`` were answered by
  recursion, which overflowed after a few hundred (a traceback, answers lost);
- chunked trailers were neither bounded (2 GB streamed in 6 s, all kept) nor kept
  out of the headers (a trailing ``Host`` changed whom the request was for), and
  a chunk extension could stream for ever;
- the head's byte count read a body as head when the head's blank line was split
  between two reads (a 431 for a 20 KB form), and a pipelined head whose blank line
  came in a read of its own was refused as having no request line.
"""

from __future__ import annotations

import base64
import logging
import select
import socket
import time
import tracemalloc
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config as BotoConfig
from botocore.exceptions import ClientError

from cloudmock.core.transports.http_server import Limits
from cloudmock.server import ServerThread

AUTH = (
    b"Authorization: AWS4-HMAC-SHA256 Credential=testing/20240101/eu-west-1/ec2/aws4_request,"
    b" SignedHeaders=host, Signature=00\r\n"
)
FORM = b"Content-Type: application/x-www-form-urlencoded\r\n"
HEALTH = b"GET /_cloudmock/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
CHUNKED_HEALTH = (
    b"GET /_cloudmock/health HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
)
REGIONS = (
    b"GET /?Action=DescribeRegions&Version=2016-11-15&AllRegions=true HTTP/1.1\r\n"
    b"Host: 127.0.0.1\r\n" + AUTH + b"\r\n"
)
LIMITS = Limits(max_header_bytes=4096, read_timeout=2.0, keep_alive_timeout=2.0)


@pytest.fixture(scope="module", params=["inline", "thread"])
def server(request: pytest.FixtureRequest) -> Iterator[ServerThread]:
    """Both ways of running requests: on the event loop (answered from the parser's
    callbacks) and in a pool (uvicorn's ASGI path)."""
    with ServerThread(limits=LIMITS, dispatch=request.param) as running:
        yield running


def connect(server: ServerThread, timeout: float = 10) -> socket.socket:
    return socket.create_connection(("127.0.0.1", server.port), timeout=timeout)


def read_answers(sock: socket.socket, count: int, deadline: float = 10) -> list[tuple[int, bytes]]:
    """``count`` whole answers (status, body) from ``sock``, or fewer if it closes."""
    answers: list[tuple[int, bytes]] = []
    buffer = b""
    end = time.monotonic() + deadline
    while len(answers) < count and time.monotonic() < end:
        head, sep, rest = buffer.partition(b"\r\n\r\n")
        if sep:
            lines = head.decode("latin-1").split("\r\n")
            length = next(  # "100 Continue" has none
                (
                    int(line.split(":", 1)[1])
                    for line in lines
                    if line.lower().startswith("content-length:")
                ),
                0,
            )
            if len(rest) >= length:
                answers.append((int(lines[0].split()[1]), rest[:length]))
                buffer = rest[length:]
                continue
        try:
            chunk = sock.recv(1 << 20)
        except (TimeoutError, ConnectionResetError):
            break
        if not chunk:
            break
        buffer += chunk
    return answers


def send_until_answered(sock: socket.socket, first: bytes, more: bytes, most: int) -> int:
    """Send ``first``, then ``more`` again and again up to ``most`` bytes in all, until
    an answer comes; how many bytes went."""
    sock.sendall(first)
    sent = len(first)
    try:
        while sent < most and not select.select([sock], [], [], 0)[0]:
            sock.sendall(more)
            sent += len(more)
    except (BrokenPipeError, ConnectionResetError):
        pass
    return sent


def error_code(body: bytes) -> str:
    code = ET.fromstring(body).find(".//Error/Code")
    assert code is not None, body[:300]
    return code.text or ""


# -- a client that does not read its answers ---------------------------------------------


def resident_kib() -> int:
    with open("/proc/self/status") as status:
        return int(status.read().split("VmRSS:")[1].split()[0])


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")
def test_a_client_that_never_reads_is_not_answered_into_memory(server: ServerThread) -> None:
    """Its requests stop being read once its answers back up, and TCP then stops the
    client. Without back-pressure the server read on and kept every answer for it:
    ~80 MB a second (5 KB answers to 130-byte requests), for as long as it sent."""
    requests = REGIONS * 100
    with connect(server) as sock:
        # small buffers, so that what the kernels hold for the two ends stays small
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 16384)
        sock.sendall(REGIONS)
        assert [status for status, _ in read_answers(sock, 1)] == [200]  # warm
        before = resident_kib()
        sock.setblocking(False)
        sent, offset = 0, 0
        stalled_since: float | None = None
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:
            try:
                went = sock.send(requests[offset:])
            except BlockingIOError:
                stalled_since = stalled_since or time.monotonic()
                if time.monotonic() - stalled_since > 1.0:  # the server stopped reading
                    break
                select.select([], [sock], [], 0.05)
                continue
            stalled_since = None
            sent += went
            offset = (offset + went) % len(requests)
        grown = resident_kib() - before
        assert grown < 40 * 1024, f"{grown} KiB more for {sent} bytes of requests"
        # and once the client reads, every request it sent is answered, in order
        sock.setblocking(True)
        sock.settimeout(10)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)  # read them quickly
        whole = sent // len(REGIONS)
        answers = read_answers(sock, whole, deadline=30)
        assert len(answers) == whole
        assert {status for status, _ in answers} == {200}


def test_requests_pipelined_behind_a_100_continue_are_all_answered(server: ServerThread) -> None:
    """uvicorn queues them behind the one it answers on its ASGI path; once that one is
    done, each queued answer started the next: 1,500 overflowed the stack."""
    body = b"{}"
    waiting = (
        b"POST /_cloudmock/health HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 100-continue\r\n"
        b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
    )
    with connect(server) as sock:
        sock.sendall(waiting + HEALTH * 1500)
        answers = read_answers(sock, 1502)  # "100 Continue" has no length: it reads as one
    statuses = [status for status, _ in answers]
    assert statuses[:2] == [100, 415]  # the health endpoint takes no body
    assert statuses.count(200) == 1500, statuses[-3:]


# -- chunked framing ---------------------------------------------------------------------


def test_trailers_do_not_become_headers(server: ServerThread) -> None:
    """A trailing ``Host`` was folded into the request's Host, so the control
    endpoints saw ``127.0.0.1,evil.example`` and refused a loopback request."""
    with connect(server) as sock:
        sock.sendall(CHUNKED_HEALTH + b"0\r\nHost: evil.example\r\nX-Other: 1\r\n\r\n")
        answers = read_answers(sock, 1)
    assert [status for status, _ in answers] == [200]


@pytest.mark.parametrize(
    ("opening", "more"),
    [
        (b"0\r\n", b"X-Trailer: " + b"t" * 1000 + b"\r\n"),  # trailer fields without end
        (b"0\r\nX-Trailer: ", b"t" * 1024),  # one trailer field without end
        (b"1;", b"e" * 1024),  # a chunk extension without end
    ],
    ids=["many-trailers", "endless-trailer", "endless-extension"],
)
def test_chunk_framing_without_end_is_refused_and_closed(
    server: ServerThread, opening: bytes, more: bytes
) -> None:
    """Trailers and chunk extensions are bounded like a head is (431); unbounded, a
    client streamed 2 GB of trailers in 6 s and the server kept every byte."""
    with connect(server) as sock:
        sent = send_until_answered(sock, CHUNKED_HEALTH + opening, more, 4 * 1024 * 1024)
        answers = read_answers(sock, 1)
    assert sent < 4 * 1024 * 1024
    assert len(answers) == 1
    status, body = answers[0]
    assert (status, error_code(body)) == (431, "RequestHeaderFieldsTooLarge")


def test_chunk_extensions_and_trailers_within_bounds_are_answered(server: ServerThread) -> None:
    body = b"Action=DescribeRegions&Version=2016-11-15"
    data = (
        b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
        + FORM
        + AUTH
        + b"\r\n"
        + b"".join(b"1;chunk-signature=%s\r\n%c\r\n" % (b"0" * 64, byte) for byte in body)
        + b"0\r\nX-Amz-Checksum-Crc32: AAAAAA==\r\n\r\n"
    )
    with connect(server) as sock:
        sock.sendall(data)
        answers = read_answers(sock, 1)
    assert [status for status, _ in answers] == [200]


@pytest.mark.parametrize("coding", [b"gzip, chunked", b"deflate,chunked"])
def test_a_transfer_coding_beyond_chunked_is_not_implemented(
    server: ServerThread, coding: bytes
) -> None:
    """Only chunked is decoded: a body sent with another coding before it was answered
    as if that coding were not there."""
    body = b"Action=DescribeRegions&Version=2016-11-15"
    data = (
        b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: "
        + coding
        + b"\r\n"
        + FORM
        + AUTH
        + b"\r\n"
        + b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)
    )
    with connect(server) as sock:
        sock.sendall(data)
        answers = read_answers(sock, 2)
    assert len(answers) == 1  # and the connection closed
    status, answer = answers[0]
    assert (status, error_code(answer)) == (501, "NotImplemented")
    assert b"Transfer-Encoding" in answer


# -- where a head ends ---------------------------------------------------------------


@pytest.mark.parametrize("cut", [1, 2, 3, 4])
def test_a_head_whose_blank_line_is_split_between_reads_is_answered(
    server: ServerThread, cut: int
) -> None:
    """The head's bytes were counted up to a blank line found in one read: split, the
    20 KB body that followed counted as head (a 431 past its 4 KiB bound); and a read
    that began with the blank line was refused as a request with no request line.

    The first read is a whole request and the start of the next, sent together: its
    answer shows that the server has read them before the rest is sent."""
    body = b"Action=DescribeRegions&Version=2016-11-15&RegionName.1=" + b"x" * 20000
    head = b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n" + FORM + AUTH
    head += b"Content-Length: %d\r\n\r\n" % len(body)
    with connect(server) as sock:
        sock.sendall(HEALTH + head[:-cut])
        first = read_answers(sock, 1)
        sock.sendall(head[-cut:] + body)
        second = read_answers(sock, 1)
    assert [status for status, _ in first] == [200]
    assert len(second) == 1
    status, reply = second[0]
    assert (status, error_code(reply)) == (400, "InvalidParameterValue")  # the region, not 431


# -- JSON documents inside members -------------------------------------------------------

DEEP = "[" * 1500  # a valid string member; as JSON, nested past Python's parser


def _deep_calls() -> list[tuple[str, str, dict[str, Any], str]]:
    token = base64.urlsafe_b64encode(DEEP.encode()).decode().rstrip("=")
    role = "arn:aws:iam::123456789012:role/r"
    return [
        (
            "iam",
            "create_policy",
            {"PolicyName": "p", "PolicyDocument": DEEP},
            "MalformedPolicyDocument",
        ),
        (
            "iam",
            "create_role",
            {"RoleName": "r", "AssumeRolePolicyDocument": DEEP},
            "MalformedPolicyDocument",
        ),
        (
            "sts",
            "assume_role",
            {"RoleArn": role, "RoleSessionName": "session", "Policy": DEEP},
            "MalformedPolicyDocument",
        ),
        (
            "ssm",
            "put_parameter",
            {"Name": "/p", "Value": "v", "Type": "String", "Tier": "Advanced", "Policies": DEEP},
            "ValidationException",
        ),
        ("ssm", "describe_parameters", {"NextToken": token}, "InvalidNextToken"),
    ]


@pytest.mark.parametrize(
    ("service", "operation", "params", "code"),
    _deep_calls(),
    ids=lambda v: v if isinstance(v, str) and len(v) < 30 else "",
)
def test_json_documents_nested_past_the_parser_are_aws_errors(
    server: ServerThread, service: str, operation: str, params: dict[str, Any], code: str
) -> None:
    """A policy document, a session policy, parameter policies and a paging token are
    JSON inside a member: nested 1,500 deep, parsing them raised RecursionError, a 500."""
    client = boto3.client(
        service,
        "eu-west-1",
        endpoint_url=server.url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=BotoConfig(retries={"total_max_attempts": 1}),
    )
    with pytest.raises(ClientError) as raised:
        getattr(client, operation)(**params)
    error = raised.value.response
    assert (error["ResponseMetadata"]["HTTPStatusCode"], error["Error"]["Code"]) == (400, code)


# -- a refusal while an earlier request still runs -------------------------------------


class _Errors(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_a_malformed_request_behind_one_still_running_is_refused_after_its_answer() -> None:
    """On the pool's path the request before it is still running when the malformed
    one is refused: the refusal came first (answering the wrong request), and the
    running one then wrote to a closed transport ("Exception in ASGI application",
    a traceback in the log). Now the refusal waits for the answer before it."""
    errors = _Errors()
    logging.getLogger().addHandler(errors)
    try:
        with ServerThread(limits=LIMITS, dispatch="thread") as running:
            for _ in range(20):
                with connect(running) as sock:
                    sock.sendall(REGIONS + b"GARBAGE\r\n\r\n")
                    answers = read_answers(sock, 2)
                assert [status for status, _ in answers] == [200, 400]
    finally:
        logging.getLogger().removeHandler(errors)
    assert not errors.records, [record.getMessage() for record in errors.records[:3]]


# -- parameter names -----------------------------------------------------------------------


def test_a_parameter_name_of_endless_parts_is_unknown_without_a_tree_of_it(
    server: ServerThread,
) -> None:
    """``Filter.1.1.1...``: every part of a name became a nested dict (~200 bytes each)
    before the name was found unknown: a 1 MiB name took ~100 MB, a 16 MiB one 2 GB."""
    name = "Filter" + ".1" * 512 * 1024
    body = f"Action=DescribeInstances&Version=2016-11-15&{name}=x".encode()
    data = b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n" + FORM + AUTH
    data += b"Content-Length: %d\r\n\r\n" % len(body) + body
    tracemalloc.start()
    try:
        with connect(server) as sock:
            sock.sendall(data)
            answers = read_answers(sock, 1)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(answers) == 1
    status, reply = answers[0]
    assert (status, error_code(reply)) == (400, "UnknownParameter")
    assert peak < 32 * 1024 * 1024, f"{peak} bytes at the peak for a {len(body)}-byte request"
