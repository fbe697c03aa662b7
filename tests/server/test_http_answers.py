"""How the server answers well-formed HTTP/1.1, through raw sockets: pipelined requests
in order, HEAD, ``Expect: 100-continue``, bodies in pieces and chunked, ``Connection:
close``, and the same bytes whether requests run on the event loop or in a pool.

Requests dispatched inline are answered from the parser's callbacks once whole
(``http_server.CloudmockHttpProtocol._answer_whole``); a pool, or a client waiting for
``100 Continue``, takes uvicorn's ASGI path. Each answer here is checked the same way
on both paths.
"""

from __future__ import annotations

import re
import socket
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import pytest

from cloudmock.server import ServerThread

AUTH = (
    b"Authorization: AWS4-HMAC-SHA256 Credential=testing/20240101/eu-west-1/ec2/aws4_request,"
    b" SignedHeaders=host, Signature=00\r\n"
)
FORM = b"Content-Type: application/x-www-form-urlencoded\r\n"
NS = "{http://ec2.amazonaws.com/doc/2016-11-15/}"


@pytest.fixture(scope="module", params=["inline", "thread"])
def server(request: pytest.FixtureRequest) -> Iterator[ServerThread]:
    with ServerThread(dispatch=request.param) as running:
        yield running


def post(body: bytes, *extra: bytes) -> bytes:
    head = b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n" + FORM + AUTH + b"".join(extra)
    return head + b"Content-Length: %d\r\n\r\n" % len(body) + body


def form(action: str, **members: str) -> bytes:
    pairs = [f"Action={action}", "Version=2016-11-15", *(f"{k}={v}" for k, v in members.items())]
    return "&".join(pairs).encode()


class Connection:
    """One keep-alive connection that reads whole responses (Content-Length framed)."""

    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=60)  # a first
        # request compiles the plans it needs: seconds on a loaded machine
        self.buffer = b""

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def response(self, *, bodyless: bool = False) -> tuple[int, dict[str, str], bytes]:
        while b"\r\n\r\n" not in self.buffer:
            self._more()
        head, _, self.buffer = self.buffer.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = 0 if bodyless else int(headers.get("content-length", "0"))
        while len(self.buffer) < length:
            self._more()
        body, self.buffer = self.buffer[:length], self.buffer[length:]
        return status, headers, body

    def closed(self) -> bool:
        """Whether the server closes the connection (nothing more comes)."""
        self.sock.settimeout(5)
        try:
            return self.sock.recv(1) == b""
        except ConnectionResetError:
            return True

    def _more(self) -> None:
        chunk = self.sock.recv(65536)
        assert chunk, f"the server closed the connection; had {self.buffer[:200]!r}"
        self.buffer += chunk

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def connection(server: ServerThread) -> Iterator[Connection]:
    opened = Connection(server.port)
    yield opened
    opened.close()


def request_id_of(body: bytes) -> str:
    found = ET.fromstring(body).find(f"{NS}requestId")
    assert found is not None and found.text, body[:300]
    return found.text


def reservation_of(body: bytes) -> str:
    found = ET.fromstring(body).find(f"{NS}reservationId")
    assert found is not None and found.text, body[:300]
    return found.text


def test_pipelined_requests_are_answered_in_order(connection: Connection) -> None:
    launches = [form("RunInstances", ImageId="ami-f00ba4", MinCount="1", MaxCount="1")] * 2
    connection.send(
        post(launches[0]) + post(form("DescribeRegions")) + post(launches[1])  # one write
    )
    first, regions, second = (connection.response() for _ in range(3))
    assert [first[0], regions[0], second[0]] == [200, 200, 200]
    assert reservation_of(first[2]) != reservation_of(second[2])
    assert b"<regionInfo>" in regions[2]
    request_ids = {request_id_of(r[2]) for r in (first, regions, second)}
    assert len(request_ids) == 3


def test_a_body_arriving_in_pieces_is_answered_once_whole(connection: Connection) -> None:
    # a body well beyond the reader's 64 KiB high-water mark, sent in slices
    body = form("DescribeRegions", **{f"RegionName.{i}": "eu-west-1" for i in range(1, 9000)})
    assert len(body) > 200_000
    data = post(body)
    for start in range(0, len(data), 50_000):
        connection.send(data[start : start + 50_000])
        time.sleep(0)  # give the loop a turn between slices
    status, _, answer = connection.response()
    assert status == 200
    assert b"<regionName>eu-west-1</regionName>" in answer
    assert b"<regionName>eu-west-2</regionName>" not in answer  # the names asked were read


def test_a_chunked_body_is_answered(connection: Connection) -> None:
    body = form("DescribeRegions", **{"RegionName.1": "eu-west-2"})
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(part), part) for part in (body[:10], body[10:]))
    head = b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n" + FORM + AUTH
    connection.send(head + b"Transfer-Encoding: chunked\r\n\r\n" + chunks + b"0\r\n\r\n")
    status, _, answer = connection.response()
    assert status == 200 and b"<regionName>eu-west-2</regionName>" in answer


def test_expect_100_continue_gets_its_go_ahead_then_the_answer(connection: Connection) -> None:
    body = form("DescribeRegions")
    data = post(body, b"Expect: 100-continue\r\n")
    connection.send(data[: -len(body)])  # the head only: the body waits for the go-ahead
    status, _, _ = connection.response(bodyless=True)
    assert status == 100
    connection.send(body)
    status, _, answer = connection.response()
    assert status == 200 and b"<regionInfo>" in answer


def test_head_gets_the_length_and_no_body(connection: Connection) -> None:
    connection.send(
        b"HEAD /?Action=DescribeRegions&Version=2016-11-15 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + AUTH
        + b"\r\n"
    )
    status, headers, _ = connection.response(bodyless=True)
    assert status in (200, 405)  # whatever the answer, a HEAD's has no body
    assert int(headers["content-length"]) > 0
    # the next response on the connection starts right where the head ended
    connection.send(post(form("DescribeRegions")))
    status, _, answer = connection.response()
    assert status == 200 and b"<regionInfo>" in answer


def test_connection_close_is_answered_then_closed(connection: Connection) -> None:
    connection.send(post(form("DescribeRegions"), b"Connection: close\r\n"))
    status, headers, answer = connection.response()
    assert status == 200 and b"<regionInfo>" in answer
    assert headers["connection"] == "close"
    assert connection.closed()


def test_both_dispatch_paths_write_the_same_response(server: ServerThread) -> None:
    with ServerThread(dispatch="inline") as inline, ServerThread(dispatch="thread") as pool:
        answers = []
        for running in (inline, pool):
            opened = Connection(running.port)
            try:
                opened.send(post(form("DescribeRegions")))
                answers.append(opened.response())
            finally:
                opened.close()
    (status_a, headers_a, body_a), (status_b, headers_b, body_b) = answers

    def same(body: bytes) -> bytes:
        return re.sub(rb"<requestId>[^<]*</requestId>", b"", body)

    for varying in ("date",):
        headers_a.pop(varying, None)
        headers_b.pop(varying, None)
    assert (status_a, headers_a, same(body_a)) == (status_b, headers_b, same(body_b))
