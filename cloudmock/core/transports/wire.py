"""HTTP/1.1 spoken over a socket that lives in memory: the bytes a client writes are
read as requests, and each is answered with the bytes of the handler's response.

Clients built on ``http.client`` (urllib3, ``urllib.request``, boto 2) write their
requests to ``conn.sock`` and read the answer through ``conn.sock.makefile("rb")``;
a :class:`MemorySocket` in that place answers them without any network.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from http import HTTPStatus

from cloudmock.core.http import Request, Response

Handle = Callable[[Request], Response]

#: framing headers the wire writes itself, from the body it sends
_FRAMING = frozenset({"content-length", "transfer-encoding", "connection"})


class IncompleteRequest(ValueError):
    """The client asked for an answer before it had written a whole request."""


class MemorySocket:
    """The far end of one connection, in memory.

    ``handle`` is asked for the current handler at each request; when it gives
    None (the mock stopped), the socket behaves like a connection the peer reset.
    ``scheme`` and ``host`` complete request targets that are only a path.
    """

    def __init__(self, handle: Callable[[], Handle | None], scheme: str, host: str) -> None:
        self._handle = handle
        self.scheme = scheme
        self.host = host
        self._written = bytearray()
        self._timeout: float | None = None
        self.closed = False

    # -- what http.client calls

    def sendall(self, data: bytes | bytearray | memoryview) -> None:
        self._check_open()
        self._written += data

    def send(self, data: bytes | bytearray | memoryview) -> int:
        self.sendall(data)
        return len(data)

    def makefile(self, mode: str = "rb", *args: object, **kwargs: object) -> io.BufferedReader:
        """The answer to every request written so far (http.client reads one per call)."""
        self._check_open()
        if "w" in mode:
            raise io.UnsupportedOperation("a MemorySocket is written with sendall")
        answers = bytearray()
        while self._written:
            try:
                request, used = parse_request(bytes(self._written), self.scheme, self.host)
            except IncompleteRequest:
                break  # the rest of the body never came: answer what is whole
            del self._written[:used]
            handle = self._handle()
            if handle is None:
                raise ConnectionResetError("the cloudmock mock answering this connection stopped")
            answers += write_response(handle(request), head_only=request.method == "HEAD")
        return io.BufferedReader(io.BytesIO(bytes(answers)))  # type: ignore[arg-type]

    def settimeout(self, timeout: float | None) -> None:
        self._timeout = timeout

    def gettimeout(self) -> float | None:
        return self._timeout

    def setsockopt(self, *args: object) -> None:
        pass

    def shutdown(self, how: int) -> None:
        pass

    def close(self) -> None:
        self.closed = True

    def _check_open(self) -> None:
        if self.closed:
            raise OSError(9, "Bad file descriptor (a closed cloudmock MemorySocket)")


def parse_request(data: bytes, scheme: str, host: str) -> tuple[Request, int]:
    """The first request in ``data`` and how many bytes it took.

    A target that is only a path is completed with ``scheme`` and the Host header
    (else ``host``); a proxy's absolute-form target is kept as it is.
    """
    end = data.find(b"\r\n\r\n")
    if end < 0:
        raise IncompleteRequest("the request head is not complete")
    head = data[:end].decode("latin-1").split("\r\n")
    method, target, _version = head[0].split(" ", 2)
    headers: dict[str, str] = {}
    name = ""
    for line in head[1:]:
        if line[:1] in (" ", "\t") and name:  # an obsolete folded continuation
            headers[name] += " " + line.strip()
            continue
        name, _, value = line.partition(":")
        name = name.strip().lower()
        value = value.strip()
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    start = end + 4
    if "chunked" in headers.get("transfer-encoding", "").lower():
        body, used = _unchunk(data, start)
        del headers["transfer-encoding"]
        headers["content-length"] = str(len(body))
    else:
        length = int(headers.get("content-length") or 0)
        if len(data) - start < length:
            raise IncompleteRequest("the request body is not complete")
        body, used = data[start : start + length], start + length
    if "://" not in target.split("?", 1)[0]:
        target = f"{scheme}://{headers.get('host') or host}{target}"
    return Request(method.upper(), target, headers, body), used


def _unchunk(data: bytes, position: int) -> tuple[bytes, int]:
    body = bytearray()
    while True:
        line_end = data.find(b"\r\n", position)
        if line_end < 0:
            raise IncompleteRequest("a chunk size line is not complete")
        size = int(data[position:line_end].split(b";", 1)[0], 16)
        position = line_end + 2
        if size == 0:
            trailer_end = data.find(b"\r\n\r\n", position - 2)
            if trailer_end < 0:
                raise IncompleteRequest("the chunked body's end is not complete")
            return bytes(body), trailer_end + 4
        if len(data) < position + size + 2:
            raise IncompleteRequest("a chunk is not complete")
        body += data[position : position + size]
        position += size + 2


def write_response(response: Response, head_only: bool = False) -> bytes:
    """The bytes of ``response`` as an HTTP/1.1 server sends them (kept alive)."""
    try:
        reason = HTTPStatus(response.status).phrase
    except ValueError:
        reason = "Unknown"
    lines = [f"HTTP/1.1 {response.status} {reason}"]
    lines += [
        f"{name}: {value}"
        for name, value in response.headers.items()
        if name.lower() not in _FRAMING
    ]
    lines.append(f"Content-Length: {len(response.body)}")
    head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    return head if head_only else head + response.body
