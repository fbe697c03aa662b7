"""The HTTP layer under server mode, through raw sockets: keep-alive, bounded heads and
bodies, timeouts, and AWS-shaped errors for whatever cannot be read as HTTP.

Defects of issue 8 reproduced here: 1 (a huge chunk size and a client gone early: no
reply, a spinning thread, memory without bound), 5 (a connection held after an error
reply; HTML, HTTP/0.9 or silence for HTTP-layer errors), 6 (no keep-alive).
"""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any

import pytest

from cloudmock.core.http import Request, Response
from cloudmock.core.transports.http_server import Limits
from cloudmock.server import ServerThread

FORM = b"Content-Type: application/x-www-form-urlencoded\r\n"
SCOPE = (
    b"Authorization: AWS4-HMAC-SHA256 Credential=testing/20240101/eu-west-1/ec2/aws4_request,"
    b" SignedHeaders=host, Signature=00\r\n"
)
#: the head of a chunked form POST, up to its blank line
CHUNKED_POST = (
    b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n" + FORM + SCOPE
)
SMALL = Limits(
    max_header_bytes=2048, max_body_bytes=64 * 1024, read_timeout=0.5, keep_alive_timeout=1
)


@pytest.fixture(scope="module")
def server() -> Iterator[ServerThread]:
    with ServerThread() as running:
        yield running


@pytest.fixture(scope="module")
def small() -> Iterator[ServerThread]:
    """A server with small limits and short timeouts, so each bound is quick to reach."""
    with ServerThread(limits=SMALL) as running:
        yield running


def connect(port: int, timeout: float) -> socket.socket:
    return socket.create_connection(("127.0.0.1", port), timeout=timeout)


def exchange(
    port: int, data: bytes, *, half_close: bool = False, wait: float = 5.0
) -> tuple[bytes, bool]:
    """Send ``data``; read until the server closes or ``wait`` s pass.
    Returns what came back and whether the server closed the connection."""
    with connect(port, wait) as sock:
        sock.sendall(data)
        if half_close:
            sock.shutdown(socket.SHUT_WR)
        reply = b""
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            try:
                chunk = sock.recv(65536)
            except TimeoutError:
                break
            except ConnectionResetError:
                return reply, True
            if not chunk:
                return reply, True
            reply += chunk
        return reply, False


def refused(port: int, data: bytes, **options: Any) -> tuple[int, str]:
    """Send ``data`` (see :func:`exchange`): the status and AWS error code of the XML
    error that must come back, the connection closed after it."""
    reply, closed = exchange(port, data, **options)
    assert closed, reply[:300]
    return xml_error(reply)


def parse(reply: bytes) -> tuple[int, dict[str, str], bytes]:
    head, _, body = reply.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    assert lines[0].startswith("HTTP/1.1 "), reply[:200]
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers["content-length"])
    assert len(body) == length, reply[:300]
    return int(lines[0].split()[1]), headers, body


def xml_error(reply: bytes) -> tuple[int, str]:
    """The status and the AWS error code of an XML error reply (it must parse)."""
    status, headers, body = parse(reply)
    assert headers["content-type"].startswith("text/xml"), headers
    root = ET.fromstring(body)
    code = root.find(".//Error/Code")
    assert code is not None, body
    assert b"Traceback" not in body and b"<html" not in body.lower()
    return status, code.text or ""


def test_keep_alive_serves_many_requests_on_one_connection(server: ServerThread) -> None:
    # the first request loads EC2's model: slow on a busy machine
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    connection.connect()
    first = connection.sock
    for _ in range(3):
        connection.request(
            "POST",
            "/",
            "Action=DescribeRegions&Version=2016-11-15",
            {"Content-Type": "application/x-www-form-urlencoded"},
        )
        response = connection.getresponse()
        assert response.status == 200
        assert b"<DescribeRegionsResponse" in response.read()
        assert response.getheader("Connection") != "close"
    assert connection.sock is first  # the same socket answered all three
    connection.close()


def test_huge_chunk_size_is_a_prompt_400_and_a_close(server: ServerThread) -> None:
    # issue 8, defect 1: no reply, a thread at 100 % CPU, memory growing without bound
    assert refused(
        server.port,
        CHUNKED_POST + b"\r\nffffffffffffffffffff\r\nAction=DescribeRegions",
    ) == (400, "MalformedInput")


def test_client_gone_inside_a_declared_gibibyte_chunk_is_a_400(server: ServerThread) -> None:
    assert refused(
        server.port,
        CHUNKED_POST + b"\r\n40000000\r\nAction=DescribeRegions&Version=2016-11-15",
        half_close=True,
    ) == (400, "BadRequest")


def test_chunked_body_beyond_the_bound_is_a_413_and_a_close(small: ServerThread) -> None:
    chunk = b"Action=DescribeRegions&x=" + b"a" * 8000
    data = CHUNKED_POST + b"\r\n" + (b"%x\r\n%s\r\n" % (len(chunk), chunk)) * 10
    assert refused(small.port, data) == (413, "RequestEntityTooLarge")


def test_declared_length_beyond_the_bound_is_a_413_before_any_body(server: ServerThread) -> None:
    assert refused(
        server.port,
        b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + FORM
        + SCOPE
        + b"Content-Length: 1073741824\r\n\r\nAction=",
    ) == (413, "RequestEntityTooLarge")


def test_bad_chunking_closes_the_connection_at_once(server: ServerThread) -> None:
    # issue 8, defect 5: the connection was held open up to 60 s after the 400
    assert refused(
        server.port,
        CHUNKED_POST + b"\r\nzz\r\nAction=DescribeRegions\r\n0\r\n\r\n",
        wait=3,
    ) == (400, "MalformedInput")


def test_json_protocol_client_gets_its_errors_in_json(server: ServerThread) -> None:
    reply, closed = exchange(
        server.port,
        b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: AmazonSSM.GetParameter\r\n"
        b"Content-Type: application/x-amz-json-1.1\r\nContent-Length: 99999999999\r\n\r\n",
    )
    status, _, body = parse(reply)
    assert status == 413
    assert json.loads(body)["__type"] == "RequestEntityTooLarge"
    assert closed


@pytest.mark.parametrize(
    "data",
    [
        b"GARBAGE\r\n\r\n",
        b"\r\n\r\n",
        b"GET / HTTP/9.9\r\nHost: x\r\n\r\n",
        b"GET / HTTP/1.1\r\nBad Header\r\n\r\n",
        b"GET /\x00 HTTP/1.1\r\nHost: x\r\n\r\n",
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
    ],
    ids=["garbage-line", "bare-crlf", "version", "header", "nul", "two-lengths", "negative"],
)
def test_malformed_requests_get_an_aws_shaped_400(server: ServerThread, data: bytes) -> None:
    # issue 8, defect 5: an HTML page, an HTTP/0.9 body or a silent close
    assert refused(server.port, data) == (400, "BadRequest")


def test_headers_beyond_the_bound_are_a_431(server: ServerThread) -> None:
    assert refused(
        server.port, b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 20000 + b"\r\n\r\n"
    ) == (431, "RequestHeaderFieldsTooLarge")


def test_a_header_line_that_never_ends_is_a_431_not_a_growing_buffer(server: ServerThread) -> None:
    assert refused(server.port, b"GET / HTTP/1.1\r\nX-Big: " + b"a" * 100_000) == (
        431,
        "RequestHeaderFieldsTooLarge",
    )


def test_a_stalled_request_is_answered_408_and_dropped(small: ServerThread) -> None:
    assert refused(
        small.port, b"POST / HTTP/1.1\r\nHost: x\r\n" + FORM + b"Content-Length: 100\r\n\r\nAction="
    ) == (408, "RequestTimeout")


def test_a_head_dribbled_a_byte_at_a_time_is_answered_408(small: ServerThread) -> None:
    head = b"GET /_cloudmock/health HTTP/1.1\r\nX-Slow: " + b"a" * 100
    with connect(small.port, 5) as sock:
        reply = b""
        for byte in head:  # each byte well within the read timeout of the one before
            try:
                sock.sendall(bytes([byte]))
            except OSError:
                break
            sock.settimeout(0.1)
            try:
                reply += sock.recv(65536)
            except TimeoutError:
                continue
            if reply:
                break
        sock.settimeout(5)
        while chunk := sock.recv(65536):
            reply += chunk
    assert xml_error(reply) == (408, "RequestTimeout")


def test_an_idle_keep_alive_connection_is_closed(small: ServerThread) -> None:
    request = b"GET /_cloudmock/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    reply, closed = exchange(small.port, request)
    assert reply.startswith(b"HTTP/1.1 200")
    assert closed  # within the 1 s keep-alive timeout, well before `exchange` gives up


def test_a_connection_that_sends_nothing_is_closed(small: ServerThread) -> None:
    reply, closed = exchange(small.port, b"")
    assert (reply, closed) == (b"", True)


def test_http_1_0_is_answered_and_closed(server: ServerThread) -> None:
    reply, closed = exchange(server.port, b"GET /_cloudmock/health HTTP/1.0\r\n\r\n")
    assert reply.startswith(b"HTTP/1.1 200")
    assert closed


def test_health_answers_while_a_long_request_runs() -> None:
    with ServerThread(dispatch="thread") as server:
        _health_answers_while_a_long_request_runs(server)


def _health_answers_while_a_long_request_runs(server: ServerThread) -> None:
    release = threading.Event()
    entered = threading.Event()
    answer = server.app.answer

    def slow(request: Request) -> Response:
        if "Slow=1" in request.url:
            entered.set()
            release.wait(10)
        return answer(request)

    server.app.answer = slow  # type: ignore[method-assign]
    try:
        long = threading.Thread(
            target=exchange,
            args=(
                server.port,
                b"GET /?Action=DescribeRegions&Slow=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
            ),
        )
        long.start()
        assert entered.wait(5)
        reply, _ = exchange(
            server.port,
            b"GET /_cloudmock/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
            wait=3,
        )
        assert reply.startswith(b"HTTP/1.1 200")
        assert b'"running"' in reply
    finally:
        release.set()
        server.app.answer = answer  # type: ignore[method-assign]
    long.join(10)


def test_stop_returns_with_an_idle_connection_open_and_frees_the_port() -> None:
    running = ServerThread().start()
    connection = http.client.HTTPConnection("127.0.0.1", running.port, timeout=5)
    connection.request("GET", "/_cloudmock/health")
    assert connection.getresponse().read()
    running.stop()  # an open keep-alive connection does not hold it up
    with pytest.raises(OSError):
        connect(running.port, 2).close()
    connection.close()


@pytest.mark.parametrize("own_process", [True, False])
def test_only_a_server_that_is_the_process_freezes_what_it_loaded(own_process: bool) -> None:
    """``cloudmock server`` moves the models it loaded out of the collector's reach and
    runs the collector its own way; a ServerThread inside someone's test process leaves
    their collector alone."""
    import gc

    from cloudmock.core.transports.collector import YOUNG_THRESHOLD
    from cloudmock.core.transports.http_server import HttpServer
    from cloudmock.server import _dispatcher

    gc.unfreeze()
    thresholds = gc.get_threshold()
    server = HttpServer(_dispatcher(None, None), "127.0.0.1", 0, own_process=own_process)
    server.start()
    try:
        reply, _ = exchange(
            server.port,
            b"POST / HTTP/1.1\r\nHost: x\r\n" + FORM + SCOPE + b"Content-Length: 41\r\n"
            b"Connection: close\r\n\r\nAction=DescribeRegions&Version=2016-11-15",
            wait=60,  # the first request loads EC2's model: seconds on a busy machine
        )
        assert reply.startswith(b"HTTP/1.1 200"), reply
        assert (gc.get_freeze_count() > 0) is own_process
        assert (gc.get_threshold()[0] == YOUNG_THRESHOLD) is own_process
    finally:
        server.stop()
        gc.unfreeze()
        gc.set_threshold(*thresholds)
