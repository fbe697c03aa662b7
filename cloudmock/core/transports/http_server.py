"""The HTTP server under server mode: uvicorn with the httptools (llhttp) parser,
HTTP/1.1 keep-alive, bounded heads and bodies, read timeouts, and AWS-shaped errors
for whatever cannot be read as HTTP."""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

import httptools
import uvicorn
from uvicorn.protocols.http.flow_control import FlowControl
from uvicorn.protocols.http.httptools_impl import (
    HEADER_VALUE_RE,
    STATUS_LINE,
    HttpToolsProtocol,
    RequestResponseCycle,
)

from cloudmock.core.dispatcher import Dispatcher
from cloudmock.core.errors import ServiceError
from cloudmock.core.http import Request
from cloudmock.core.transports.http_server_app import AsgiApp, request_from

log = logging.getLogger("cloudmock.server")

#: runs the server's event loop: uvloop's is C where asyncio's is Python, which saves a
#: third of the HTTP layer's work (callgrind: DescribeRegions end to end, 0.44 -> 0.35 M
#: instructions); without uvloop (Windows, PyPy), asyncio's own
_run_loop: Callable[[Coroutine[Any, Any, None]], None]
try:
    from uvloop import run as _run_loop
except ImportError:
    _run_loop = asyncio.run

#: seconds a refused connection stays half-open, dropping what the client still sends
LINGER = 2.0

#: the bytes a chunk's size line may take beyond the head's bound for the framing:
#: its size, extensions (aws-chunked's ``;chunk-signature=`` and 64 hex digits is the
#: longest a client sends) and line ends
CHUNK_LINE_BYTES = 1024

#: where a request's trailers go (uvicorn appends every field after the head to its
#: headers): a deque that keeps nothing, appended to in C
_NO_TRAILERS: deque[tuple[bytes, bytes]] = deque(maxlen=0)

#: where requests run: "inline" on the event loop, one at a time (the default: no hand-off
#: between threads, which cost a third of a request's time with a boto3 client, and the
#: GIL lets only one run at once anyway); "thread" in a pool, so the health endpoint
#: answers while a long request (DescribeInstances over thousands) runs
Dispatch = Literal["thread", "inline"]


@dataclass(frozen=True)
class Limits:
    """What one request may take. The body bound is 16 MiB: the largest string any
    mocked model accepts is IAM's SAML metadata document (10,000,000 characters),
    which percent-encoded as a Query form still fits."""

    #: request line and headers together, in bytes (beyond: 431)
    max_header_bytes: int = 16 * 1024
    #: the body as received (after de-chunking), in bytes (beyond: 413)
    max_body_bytes: int = 16 * 1024 * 1024
    #: a request whose head takes longer than this to arrive, or whose body stalls
    #: this long, is answered 408 and closed
    read_timeout: float = 10.0
    #: an idle keep-alive connection closes after this many seconds
    keep_alive_timeout: float = 5.0
    #: how long ``stop()`` lets requests in flight finish
    shutdown_timeout: float = 5.0


class _Refused(Exception):
    """Raised from a parser callback to stop parsing once the refusal is written."""


class _WholeResponse:
    """A response's transport on uvicorn's ASGI path. It holds the head back until the
    body comes, so both leave in one write (``hold``; not for HEAD, whose answer has no
    body): uvicorn writes them apart, which costs a send and a TCP segment more per
    response, and a client reading the head wakes up twice.

    It drops what is written once the connection was refused or closed under a request
    still running in the pool: uvicorn's send writes on, and the closed transport's
    error ended in the log as "Exception in ASGI application"."""

    __slots__ = ("_closed", "_head", "_started", "_transport")

    def __init__(
        self, transport: asyncio.Transport, closed: Callable[[], bool], hold: bool = True
    ) -> None:
        self._transport = transport
        self._closed = closed
        self._head: bytes | None = None
        self._started = not hold

    def write(self, data: bytes) -> None:
        if self._closed():
            return
        if data.startswith(b"HTTP/1.1 100 "):  # an interim answer goes at once
            self._transport.write(data)
            return
        if not self._started:  # the first write is the head
            self._started = True
            self._head = data
            return
        head, self._head = self._head, None
        if head is not None and len(data) < 65536:
            self._transport.write(head + data)
            return
        if head is not None:  # a large body is not copied to join its head
            self._transport.write(head)
        self._transport.write(data)

    def close(self) -> None:
        head, self._head = self._head, None
        if head is not None and not self._closed():
            self._transport.write(head)
        self._transport.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


class _Flow(FlowControl):
    """uvicorn's flow control, except that reading stays paused while requests already
    read wait their turn. uvicorn resumes reading each time an app asks for a request's
    body, even one queued long since: for a pipelining client that does not read its
    answers, every request started read a further 256 KiB of requests into the queue
    (250 MB for 19 MB of requests on the pool's path)."""

    def __init__(self, transport: asyncio.Transport, protocol: CloudmockHttpProtocol) -> None:
        super().__init__(transport)
        self._protocol = protocol

    def resume_reading(self) -> None:
        if not self.read_paused:  # most calls (one a request): nothing to do
            return
        if self._protocol.pipeline or self._protocol._deferred is not None:
            return  # what is read would only queue; the last of the queue resumes
        self.read_paused = False
        self._transport.resume_reading()


class CloudmockHttpProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with cloudmock's limits and error replies.

    uvicorn answers parser errors with a plain-text 400 and bounds neither heads nor
    bodies nor the time a request may take to arrive; this subclass does, and answers
    each refusal the AWS way (through ``Dispatcher.refuse``), then closes.
    """

    dispatcher: ClassVar[Dispatcher]
    limits: ClassVar[Limits]
    asgi: ClassVar[AsgiApp]

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        # uvicorn writes a response's head and body apart: without TCP_NODELAY the body
        # waits for the client's delayed ACK (40 ms a request). asyncio sets it only on
        # sockets whose proto is IPPROTO_TCP, which ``socket.create_server``'s are not.
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._head_bytes = 0
        self._in_head = True
        self._tail = b""  # the last bytes of a head still coming: its blank line may span reads
        self._body_bytes = 0
        self._after_head = 0  # bytes read since the head ended: the body and its framing
        self._chunks = 0
        self._pending = False  # bytes of a request are in, and not all of it yet
        self._begun = False  # the parser has begun a request (a request line has started)
        self._head_done = False
        self._answering = False  # answering inline: a queued request waits for the loop
        self._queued: RequestResponseCycle | None = None
        self._deferred: RequestResponseCycle | None = None  # whole; the client is not reading
        self._refused = False  # no more is read: a refusal is written, or waits its turn
        self._refusal: bytes | None = None  # the refusal, while earlier answers are owed
        self._ended = False  # the refusal is written: nothing more is
        self._cycle_current = False  # self.cycle is the request being read
        self._requests = 0  # begun on this connection
        self._answered = 0
        self._timer: asyncio.TimerHandle | None = None
        self._whole: RequestResponseCycle | None = None  # answered once its body is in
        self._head_headers: list[tuple[bytes, bytes]] = []  # the request's, without trailers
        self.flow = _Flow(transport, self)
        # a connection that never sends a byte is idle, not slow
        self._arm(self.limits.keep_alive_timeout)

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    # -- timers -------------------------------------------------------------------

    def _arm(self, delay: float) -> None:
        self._disarm()
        self._timer = self.loop.call_later(delay, self._timed_out)

    def _disarm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _timed_out(self) -> None:
        self._timer = None
        if self.transport.is_closing():
            return
        if self._refused:  # the lingering close is over
            self.transport.close()
            return
        busy = self.cycle is not None and not self.cycle.response_complete and not self._pending
        if busy or self.pipeline or self._deferred is not None:  # not the client's sending
            self._arm(self.limits.read_timeout)
        elif self._pending:
            self._refuse(408, "RequestTimeout", "The request did not arrive within the timeout.")
        elif self.cycle is None or self.cycle.response_complete:
            self.transport.close()  # idle: nothing to answer

    # -- input ----------------------------------------------------------------------

    def eof_received(self) -> bool:  # type: ignore[override]
        # The client stopped sending (half-close or shutdown). A request it did not
        # finish is answered 400 while it can still read, not waited for; one it did
        # finish is still answered, then the connection closes.
        if self._refusal is not None:  # written once the answers owed before it are
            return True
        if self._refused or self.transport.is_closing():
            return False
        if self._pending:
            self._refuse(400, "BadRequest", "The connection ended before the request did.")
            return True
        cycle = self.cycle
        if cycle is not None and not cycle.response_complete:
            cycle.keep_alive = False
            return True
        if self.pipeline:
            for queued, _ in self.pipeline:
                queued.keep_alive = False
            return True
        return False

    def data_received(self, data: bytes) -> None:
        self._unset_keepalive_if_required()
        if self._refused:
            return
        self._pending = True
        # The whole head must arrive within the read timeout of its first byte (a
        # client dribbling a byte at a time is still dropped); a body, within the
        # read timeout of its last bytes.
        if not self._in_head or self._head_bytes == 0 or self._timer is None:
            self._arm(self.limits.read_timeout)
        if self._in_head:
            if not self._begun and data.startswith(b"\r\n\r\n"):
                self._refuse(400, "BadRequest", "The request has no request line.")
                return
            # the blank line ending the head may have begun in the read before
            tail = self._tail
            end = (tail + data).find(b"\r\n\r\n") if tail else data.find(b"\r\n\r\n")
            if end < 0:
                self._head_bytes += len(data)
            elif end > len(tail):
                self._head_bytes += end - len(tail)
            if self._head_bytes > self.limits.max_header_bytes:
                self._refuse(
                    431,
                    "RequestHeaderFieldsTooLarge",
                    f"The request line and headers exceed {self.limits.max_header_bytes} bytes.",
                )
                return
        else:
            self._after_head += len(data)
        try:
            self.parser.feed_data(data)
            if self._in_head:  # a head is still to come or to end
                # a head begun and not ended keeps its last bytes; after a whole request
                # there is none (most reads: the common case copies nothing)
                self._tail = (self._tail + data)[-3:] if self._begun else b""
            elif self._pending and not self._refused:
                self._check_framing()
        except httptools.HttpParserUpgrade:
            # No protocol switch here (h2c, websocket): a request that is complete is
            # answered as plain HTTP/1.1 and the connection closed; llhttp reads no
            # further bytes after an upgrade, so one still arriving cannot be.
            if self._pending or self.cycle is None:
                self._refuse(400, "BadRequest", "Protocol upgrades are not supported.")
            else:
                self.cycle.keep_alive = False
        except httptools.HttpParserError as error:
            if not self._refused:
                reason = str(error.args[0] if error.args else error) or "malformed"
                if self._head_done:  # the body (its chunking) is what could not be read
                    message = f"The request body could not be read as sent: {reason}"
                    self._refuse(400, "MalformedInput", message)
                else:
                    self._refuse(400, "BadRequest", f"The request is not valid HTTP/1.1: {reason}")

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._requests += 1
        self._cycle_current = False  # uvicorn makes this request's cycle with its head
        self._pending = True
        self._begun = True
        self._head_done = False
        self._body_bytes = 0

    def on_chunk_header(self) -> None:
        self._chunks += 1

    def _check_framing(self) -> None:
        """Chunk size lines and trailers are bounded as a head is; nothing else bounds
        them (they are not body), and a client could stream them for ever."""
        allowed = self.limits.max_header_bytes + CHUNK_LINE_BYTES * self._chunks
        if self._after_head - self._body_bytes > allowed:
            self._refuse(
                431,
                "RequestHeaderFieldsTooLarge",
                f"The request body's chunk lines and trailers exceed {allowed} bytes.",
            )

    def on_headers_complete(self) -> None:
        self._head_done = True
        self._in_head = False
        self._tail = b""
        self._after_head = 0  # what is left of this read is not counted: an undercount
        self._chunks = 0
        self._head_headers = self.headers
        for name, value in self.headers:
            if name == b"content-length":
                digits = value.strip()
                if digits.isdigit() and int(digits) > self.limits.max_body_bytes:
                    self._too_large()
            elif name == b"transfer-encoding" and value.strip().lower() != b"chunked":
                # llhttp takes chunked as the last coding and decodes only it: a body
                # sent as "gzip, chunked" would be read as the form it is not
                self._refuse(
                    501,
                    "NotImplemented",
                    "A header you provided implies functionality that is not implemented: "
                    f"Transfer-Encoding: {value.decode('latin-1')}.",
                )
                raise _Refused
        super().on_headers_complete()
        # What uvicorn reads after the head are a chunked body's trailers: dropped, never
        # merged into the headers (RFC 9110 6.5.1), or a trailing Host or Authorization
        # would stand for the one the request was read, checked and signed with.
        self.headers = _NO_TRAILERS  # type: ignore[assignment]
        self._cycle_current = True

    def on_body(self, body: bytes) -> None:
        self._body_bytes += len(body)
        if self._body_bytes > self.limits.max_body_bytes:
            self._too_large()
        super().on_body(body)
        if self._whole is not None:  # no app reads it as it comes: keep reading to the end
            self.flow.resume_reading()

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._pending = False
        self._begun = False
        self._in_head = True
        self._head_bytes = 0
        self._disarm()  # the app is answering; uvicorn's keep-alive timer follows
        cycle = self._whole
        if cycle is not None and cycle is self.cycle:
            self._answer_whole(cycle)

    # -- answering on the event loop, without an ASGI task ------------------------------

    def _start_asgi_task(self, cycle: RequestResponseCycle, app: Any) -> None:
        # Dispatched inline, a request is answered from the parser's callback once its
        # body is in: the ASGI task, its coroutines and messages cost about a third of
        # the HTTP layer's work. A thread pool, or a client waiting for "100 Continue"
        # (sent when an app reads the body), takes the ASGI path.
        if self.asgi.pool is not None or cycle.waiting_for_100_continue:
            hold = cycle.scope["method"] != "HEAD"
            cycle.transport = _WholeResponse(self.transport, self._closed, hold)  # type: ignore[assignment]
            cycle.on_response = self._asgi_answered  # counted (the inline path counts its own)
            super()._start_asgi_task(cycle, app)
            return
        self._whole = cycle
        if not cycle.more_body:  # a pipelined request, whole before its turn came
            self._answer_whole(cycle)
        elif self.flow.read_paused:  # its body is still to come; reading paused as it queued
            self.flow.resume_reading()

    def _answer_whole(self, cycle: RequestResponseCycle) -> None:
        # Answering a request starts the next one uvicorn queued (``on_response``): one
        # after the other in this loop, not each inside the last (a recursion as deep as
        # the queue, which overflowed at a few hundred pipelined requests). The loop's
        # body answers one request (inline: a call more per request showed in callgrind).
        self._whole = None
        if self._answering:
            self._queued = cycle
            return
        self._answering = True
        try:
            while cycle is not None:
                self._queued = None
                if cycle.disconnected or cycle.response_complete or self.transport.is_closing():
                    return
                if self.flow.write_paused:
                    # The client is not reading its answers: answer this one when it has
                    # read enough, and read no more requests till then (TCP then stops
                    # the client), or a pipelining client that never reads grows the
                    # server without bound.
                    self._deferred = cycle
                    self.flow.pause_reading()
                    self._unset_keepalive_if_required()  # not idle: an answer is owed
                    return
                app = self.asgi
                request = request_from(cycle.scope, bytes(cycle.body))
                status, headers, body = app.reply(request, app.answer(request))
                cycle.response_started = True
                head = [STATUS_LINE[status]]  # uvicorn's own, as its send writes it
                for name, value in (*self.server_state.default_headers, *headers):
                    if HEADER_VALUE_RE.search(value):  # a value uvicorn's send refuses too
                        log.error("cloudmock: a response header %r has control characters", name)
                        self.transport.close()
                        return
                    head += (name, b": ", value, b"\r\n")
                if not cycle.keep_alive:
                    head.append(b"connection: close\r\n")
                head.append(b"\r\n")
                if cycle.scope["method"] == "HEAD":
                    body = b""
                cycle.response_complete = True
                self._answered += 1
                self.transport.write(b"".join(head) + body)
                if not cycle.keep_alive:
                    self.transport.close()
                cycle.on_response()  # uvicorn's: the next pipelined request, or keep-alive
                if self._refusal is not None:
                    self._refuse_when_due()
                cycle = self._queued  # type: ignore[assignment]
        finally:
            self._answering = False

    def _asgi_answered(self) -> None:
        self._answered += 1
        self.on_response_complete()
        if self._refusal is not None:
            self._refuse_when_due()

    def _closed(self) -> bool:
        """Whether answers can no longer be written (the refusal went, or closing)."""
        return self._ended or self.transport.is_closing()

    def resume_writing(self) -> None:
        super().resume_writing()
        cycle, self._deferred = self._deferred, None
        if cycle is not None:  # answered; uvicorn's on_response then reads on
            self._answer_whole(cycle)

    def _too_large(self) -> None:
        self._refuse(
            413,
            "RequestEntityTooLarge",
            f"The request body exceeds {self.limits.max_body_bytes} bytes.",
        )
        raise _Refused

    # -- refusals -------------------------------------------------------------------

    def _refuse(self, status: int, code: str, message: str) -> None:
        """Answer the request in progress with an AWS-shaped error, then close."""
        self._refused = True
        self._disarm()
        if self.transport.is_closing():
            return
        cycle = self.cycle if self._cycle_current else None  # the refused request's
        if cycle is not None and not cycle.response_complete:
            if cycle.response_started:  # too late for a status: just end it
                self.transport.close()
                return
            cycle.disconnected = True  # the app's own answer, if any, is dropped
            cycle.message_event.set()
        try:
            body, headers = self._error_reply(status, code, message)
        except Exception:  # never let a refusal fail: the plainest error will do
            log.exception("cloudmock: could not shape the %s reply", status)
            body, headers = b"", {}
        head = [f"HTTP/1.1 {status} {_PHRASES.get(status, '')}"]
        head += [f"{name}: {value}" for name, value in headers.items()]
        head += [f"Content-Length: {len(body)}", "Connection: close", "", ""]
        if self._asked_head():  # a HEAD's answer has a length but no body
            body = b""
        self._refusal = "\r\n".join(head).encode("latin-1") + body
        # Answers still owed to earlier requests (running in the pool, queued, or held
        # for a client that is not reading) go first: in their place the refusal would
        # answer the wrong request.
        self._refuse_when_due()

    def _refuse_when_due(self) -> None:
        """Write the refusal once no earlier request waits for its answer, then close."""
        if self._requests - self._answered - (1 if self._begun else 0) > 0:
            return  # called again as each of them is answered
        refusal, self._refusal = self._refusal, None
        if refusal is None or self.transport.is_closing():
            return
        self._ended = True
        self.transport.write(refusal)
        if self.transport.can_write_eof():
            # A lingering close: FIN after the answer, then what the client still sends is
            # dropped for a moment. Closing at once while its bytes keep arriving makes
            # the kernel answer them with a reset, which can destroy the answer unread.
            self.transport.write_eof()
            self._arm(LINGER)
        else:
            self.transport.close()

    def _asked_head(self) -> bool:
        try:
            return self.parser is not None and self.parser.get_method() == b"HEAD"
        except Exception:  # no method parsed yet
            return False

    def _error_reply(self, status: int, code: str, message: str) -> tuple[bytes, dict[str, str]]:
        headers: dict[str, str] = {}
        if self._head_done and self._head_headers:  # they tell the protocol the client speaks
            for name, value in self._head_headers:
                key = name.decode("latin-1")
                if key not in ("content-length", "transfer-encoding"):
                    headers[key] = value.decode("latin-1")
        request = Request("POST", "http://localhost/", headers, b"")
        response = self.dispatcher.refuse(request, ServiceError(message, code=code, status=status))
        # the codec's status for a generic error may differ: the HTTP layer's is the truth
        reply = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
        return response.body, reply

    def send_400_response(self, msg: str) -> None:  # uvicorn's own plain-text path
        self._refuse(400, "BadRequest", msg)


_PHRASES = {
    400: "Bad Request",
    408: "Request Timeout",
    413: "Content Too Large",
    431: "Request Header Fields Too Large",
}


def _protocol_for(app: AsgiApp, limits: Limits) -> type[CloudmockHttpProtocol]:
    return type(
        "CloudmockHttpProtocol",
        (CloudmockHttpProtocol,),
        {"dispatcher": app.dispatcher, "limits": limits, "asgi": app},
    )


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket (``port=0``: a free one), bound before the server runs
    so that its port is known and connections queue until the loop accepts them."""
    family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
    return socket.create_server((host, port), family=family, backlog=1024)


class HttpServer:
    """One uvicorn server on a bound socket, run in the foreground or in a thread."""

    def __init__(
        self,
        dispatcher: Dispatcher,
        host: str,
        port: int,
        *,
        limits: Limits | None = None,
        dispatch: Dispatch = "inline",
        workers: int = 8,
        own_process: bool = False,
    ) -> None:
        self.limits = limits or Limits()
        self.socket = bind(host, port)
        self.port: int = self.socket.getsockname()[1]
        self._pool = (
            ThreadPoolExecutor(workers, "cloudmock-dispatch") if dispatch == "thread" else None
        )
        self.app = AsgiApp(dispatcher, self._pool, own_process=own_process)
        config = uvicorn.Config(
            self.app,
            http=_protocol_for(self.app, self.limits),
            ws="none",
            lifespan="off",
            loop="none",  # the loop is run() above, uvloop where installed
            interface="asgi3",
            proxy_headers=False,
            server_header=False,
            access_log=False,
            log_config=None,
            timeout_keep_alive=max(1, round(self.limits.keep_alive_timeout)),
            timeout_graceful_shutdown=max(1, round(self.limits.shutdown_timeout)),
            backlog=1024,
        )
        self.server = uvicorn.Server(config)
        self._thread: threading.Thread | None = None

    def run(self) -> None:
        """Serve until ``stop()`` (or SIGINT/SIGTERM in the main thread)."""
        try:
            _run_loop(self.server.serve(sockets=[self.socket]))
        finally:
            self.socket.close()
            if self._pool is not None:
                self._pool.shutdown(wait=False, cancel_futures=True)

    def start(self) -> None:
        self._thread = threading.Thread(target=self.run, name="cloudmock-server", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started and self._thread.is_alive():
            if time.monotonic() > deadline:
                raise RuntimeError("the cloudmock server did not start within 10 s")
            time.sleep(0.002)
        if not self.server.started:
            raise RuntimeError("the cloudmock server failed to start; see the log")

    def stop(self) -> None:
        self.server.should_exit = True
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        else:
            self.socket.close()
