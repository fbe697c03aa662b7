"""Requests per second of cloudmock's server next to the *server floor*.

    python benchmarks/bench_server.py            # the default run (about two minutes)
    python benchmarks/bench_server.py --quick    # one round of one second a cell

The floor is a stdlib ``http.server.ThreadingHTTPServer`` (HTTP/1.1, keep-alive,
TCP_NODELAY) that reads each request and answers it with the exact bytes cloudmock
returned for that request, so ``cloudmock / floor`` is what cloudmock's server costs
over the cheapest Python server answering the same bytes. A second floor is that
server with the stdlib's default protocol, HTTP/1.0: a new connection per request.
Every server runs in its own process, side by side in one run. The clients are raw
sockets (one per client thread, HTTP/1.1, kept alive unless the server closes them,
the same signed-looking request bytes each time) or boto3 clients (one per thread), in
this process. cloudmock runs twice: inline on the event loop (its default) and
dispatching in a thread pool.

Then ``DescribeInstances`` over 5,000 instances through boto3, against a server
(``ServerThread``) and in-process (``mock_aws``), alternately.
Medians are reported; nothing is asserted about timing.
"""

from __future__ import annotations

import argparse
import http.server
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

# this checkout's cloudmock, whatever else is installed (the child servers too)
CHECKOUT = str(Path(__file__).resolve().parents[1])
sys.path.insert(0, CHECKOUT)
import boto3  # noqa: E402

import cloudmock  # noqa: E402

REGION = "eu-west-1"
SCOPE = (
    "AWS4-HMAC-SHA256 Credential=testing/20240101/{region}/ec2/aws4_request, "
    "SignedHeaders=host;x-amz-date, Signature=" + "0" * 64
)
#: RunInstances requests go round these regions, so no default subnet runs out of
#: addresses (4,091 each) however long the run
REGIONS = [
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "eu-central-1",
    "eu-north-1",
    "ap-south-1",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-southeast-1",
    "ap-southeast-2",
    "ca-central-1",
    "sa-east-1",
]
FORMS = {
    "DescribeRegions": "Action=DescribeRegions&Version=2016-11-15",
    "RunInstances": "Action=RunInstances&Version=2016-11-15&ImageId=ami-f00ba4"
    "&MinCount=1&MaxCount=1&InstanceType=t3.micro",
}
#: RunInstances keeps every instance it launches: room for a long run
INSTANCE_LIMIT = 10_000_000


def request_bytes(action: str, port: int, region: str = REGION) -> bytes:
    body = FORMS[action].encode()
    head = (
        f"POST / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        "Content-Type: application/x-www-form-urlencoded; charset=utf-8\r\n"
        f"X-Amz-Date: 20240101T000000Z\r\nAuthorization: {SCOPE.format(region=region)}\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


# -- the servers, each in a process of its own ---------------------------------------


def serve_cloudmock(dispatch: str, bodies_file: str | None = None) -> None:
    """What ``cloudmock server`` runs (``serve``), in the foreground until SIGTERM;
    ``bodies_file``: answer canned bytes instead of dispatching (the HTTP layer alone)."""
    from cloudmock.core.config import Config
    from cloudmock.core.http import Request, Response
    from cloudmock.server import ServerThread, serve

    config = Config(services={"ec2": {"instance_limit": INSTANCE_LIMIT}})
    if not bodies_file:
        serve("127.0.0.1", 0, config, dispatch=dispatch)  # type: ignore[arg-type]
        return
    server = ServerThread(config=config, dispatch=dispatch).start()  # type: ignore[arg-type]
    canned = {
        action: Response(200, bytes.fromhex(entry["body"]), entry["headers"])
        for action, entry in json.loads(Path(bodies_file).read_text()).items()
    }

    def answer(request: Request) -> Response:
        return canned[request.body.decode().split("&", 1)[0].partition("=")[2]]

    server.app.answer = answer  # type: ignore[method-assign]
    print(f"listening on http://127.0.0.1:{server.port}", flush=True)
    sys.stdin.read()  # until the parent closes our stdin
    server.stop()


def serve_floor(bodies_file: str, protocol: str = "HTTP/1.1") -> None:
    """``protocol``: HTTP/1.1 (keep-alive) or HTTP/1.0 (the stdlib's default: the
    server closes the connection after each response)."""
    canned = {
        action: (bytes.fromhex(entry["body"]), entry["headers"])
        for action, entry in json.loads(Path(bodies_file).read_text()).items()
    }

    class Floor(http.server.BaseHTTPRequestHandler):
        protocol_version = protocol
        disable_nagle_algorithm = True  # the floor gets the same TCP treatment as cloudmock

        def do_POST(self) -> None:
            form = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
            action = form.split("&", 1)[0].partition("=")[2]
            body, headers = canned[action]
            self.send_response(200)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Floor)
    server.daemon_threads = True
    print(f"listening on http://127.0.0.1:{server.server_address[1]}", flush=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sys.stdin.read()
    server.shutdown()


class Child:
    def __init__(self, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, __file__, *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": CHECKOUT},
        )
        assert self.process.stdout is not None
        # "... listening on http://127.0.0.1:PORT", as ``cloudmock server`` says it
        self.port = int(self.process.stdout.readline().rsplit(":", 1)[1])

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.terminate()  # serve() stops on SIGTERM; the others at end of stdin
        self.process.wait(30)


# -- the clients ------------------------------------------------------------------------


def one_exchange(sock: socket.socket, data: bytes, buffer: bytearray) -> bytes:
    """Send one request; read exactly its response (keep-alive: the socket stays open)."""
    sock.sendall(data)
    while True:
        end = buffer.find(b"\r\n\r\n")
        if end >= 0:
            break
        received = sock.recv(65536)
        if not received:
            raise ConnectionError("the server closed the connection before answering")
        buffer += received
    head = bytes(buffer[:end]).lower()
    start = head.index(b"content-length:") + 15
    length = int(head[start : head.index(b"\r\n", start) if b"\r\n" in head[start:] else None])
    total = end + 4 + length
    while len(buffer) < total:
        received = sock.recv(65536)
        if not received:
            raise ConnectionError("the server closed the connection inside a response")
        buffer += received
    response = bytes(buffer[:total])
    del buffer[:total]
    if not response.startswith((b"HTTP/1.1 200", b"HTTP/1.0 200")):
        raise RuntimeError(response[:300].decode("latin-1"))
    return response


def closes(response: bytes) -> bool:
    """Whether the server closes the connection after ``response`` (HTTP/1.0 does unless
    it says keep-alive; HTTP/1.1 does when it says close)."""
    head = response[: response.index(b"\r\n\r\n")].lower()
    if head.startswith(b"http/1.0"):
        return b"connection: keep-alive" not in head
    return b"connection: close" in head


def timed_clients(
    threads: int, seconds: float, warm: Callable[[int], Any], call: Callable[[int, Any], None]
) -> float:
    """Requests per second of ``threads`` client loops run together for ``seconds``:
    ``warm(index)`` makes a client's state (connection made, region loaded, untimed),
    ``call(index, state)`` sends one request."""
    counts = [0] * threads
    stop = threading.Event()
    start = threading.Barrier(threads + 1)

    def loop(index: int) -> None:
        state = warm(index)
        start.wait()
        while not stop.is_set():
            call(index, state)
            counts[index] += 1

    workers = [threading.Thread(target=loop, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    start.wait()
    began = time.perf_counter()
    time.sleep(seconds)
    stop.set()
    for worker in workers:
        worker.join()
    return sum(counts) / (time.perf_counter() - began)


class RawClient:
    """One client thread's connection: kept alive while the server keeps it, made anew
    (as any HTTP client would) when the server closes it after a response."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.sock: socket.socket | None = None
        self.buffer = bytearray()
        self.sent = 0

    def exchange(self, data: bytes) -> None:
        if self.sock is None:
            self.sock = socket.create_connection(("127.0.0.1", self.port))
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if closes(one_exchange(self.sock, data, self.buffer)):
            self.close()

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None
            self.buffer.clear()


def requests_per_second(port: int, action: str, threads: int, seconds: float) -> float:
    """The server's cost alone: raw sockets, one per thread (kept alive if the server
    keeps them)."""
    rotation = [request_bytes(action, port, region) for region in REGIONS]
    clients: list[RawClient] = []

    def warm(index: int) -> RawClient:
        client = RawClient(port)
        clients.append(client)
        for data in rotation:  # warm: connection made, code paths and regions loaded
            client.exchange(data)
        return client

    def call(index: int, client: RawClient) -> None:
        client.exchange(rotation[client.sent % len(rotation)])
        client.sent += 1

    try:
        return timed_clients(threads, seconds, warm, call)
    finally:
        for client in clients:
            client.close()


def boto3_requests_per_second(port: int, action: str, threads: int, seconds: float) -> float:
    """As a user's program sees it: one boto3 client per thread (keep-alive, signing,
    parsing the answer), each in a region of its own."""
    from botocore.config import Config as BotoConfig

    def warm(index: int) -> Any:
        client = boto3.client(
            "ec2",
            REGIONS[index % len(REGIONS)],
            endpoint_url=f"http://127.0.0.1:{port}",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            config=BotoConfig(retries={"max_attempts": 0}),
        )
        call(index, client)  # warm: connection made, region loaded
        return client

    def call(index: int, client: Any) -> None:
        if action == "DescribeRegions":
            client.describe_regions()
        else:
            client.run_instances(
                ImageId="ami-f00ba4", MinCount=1, MaxCount=1, InstanceType="t3.micro"
            )

    return timed_clients(threads, seconds, warm, call)


def captured_bodies(port: int) -> dict[str, dict[str, Any]]:
    """cloudmock's own response (body and content type) to each benchmarked request."""
    out = {}
    for action in FORMS:
        with socket.create_connection(("127.0.0.1", port)) as sock:
            response = one_exchange(sock, request_bytes(action, port), bytearray())
        head, _, body = response.partition(b"\r\n\r\n")
        headers = {}
        for line in head.decode("latin-1").split("\r\n")[1:]:
            name, _, value = line.partition(":")
            if name.lower() in ("content-type", "server", "x-amzn-requestid"):
                headers[name] = value.strip()
        out[action] = {"body": body.hex(), "headers": headers}
    return out


def throughput(
    rounds: int, seconds: float, client: str = "raw"
) -> list[tuple[str, int, dict[str, float], int]]:
    measure = requests_per_second if client == "raw" else boto3_requests_per_second
    targets = {"inline": Child("--serve", "cloudmock", "inline")}
    targets["thread"] = Child("--serve", "cloudmock", "thread")
    bodies = captured_bodies(targets["inline"].port)
    bodies_file = Path(f"/tmp/cloudmock-bench-bodies-{os.getpid()}.json")
    bodies_file.write_text(json.dumps(bodies))
    targets["floor"] = Child("--serve", "floor", str(bodies_file))
    targets["floor/1.0"] = Child("--serve", "floor", str(bodies_file), "HTTP/1.0")
    targets["canned"] = Child("--serve", "cloudmock", "inline", str(bodies_file))
    rows = []
    try:
        for action in FORMS:
            for threads in (1, 8):
                samples: dict[str, list[float]] = {name: [] for name in targets}
                for _ in range(rounds):  # alternate, so drift on the machine hits all alike
                    for name, child in targets.items():
                        samples[name].append(measure(child.port, action, threads, seconds))
                size = len(bytes.fromhex(bodies[action]["body"]))
                rows.append(
                    (action, threads, {k: statistics.median(v) for k, v in samples.items()}, size)
                )
    finally:
        for child in targets.values():
            child.close()
        bodies_file.unlink(missing_ok=True)
    return rows


# -- DescribeInstances over 5,000 instances: server vs in-process ----------------------


def describe_many(repetitions: int, count: int = 5000) -> tuple[float, float, int]:
    from cloudmock.core.config import Config
    from cloudmock.server import ServerThread

    credentials = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}

    def fill(ec2: Any) -> None:
        for batch in range(count // 500):  # spread over the default subnets (/20 each)
            zone = {"AvailabilityZone": f"{REGION}{'abc'[batch % 3]}"}
            ec2.run_instances(ImageId="ami-f00ba4", MinCount=500, MaxCount=500, Placement=zone)
        ec2.describe_instances()  # untimed: the pending -> running move happens here

    options = {"ec2": {"instance_limit": count + 10}}
    server = ServerThread(config=Config(services=options)).start()
    remote = boto3.client("ec2", REGION, endpoint_url=server.url, **credentials)
    fill(remote)
    mock = cloudmock.mock_ec2(instance_limit=count + 10)
    times: dict[str, list[float]] = {"server": [], "in-process": []}
    try:
        with mock:
            local = boto3.client("ec2", REGION, **credentials)
            fill(local)
            for _ in range(repetitions):
                for name, client in (("server", remote), ("in-process", local)):
                    began = time.perf_counter()
                    found = sum(
                        len(r["Instances"]) for r in client.describe_instances()["Reservations"]
                    )
                    times[name].append(time.perf_counter() - began)
                    assert found == count, found
    finally:
        server.stop()
    return statistics.median(times["server"]), statistics.median(times["in-process"]), count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one round of 1 s per cell")
    parser.add_argument("--rounds", type=int, default=3, help="alternations per cell (default 3)")
    parser.add_argument("--seconds", type=float, default=2.0, help="seconds per sample")
    parser.add_argument(
        "--client",
        choices=("raw", "boto3", "both"),
        default="both",
        help="raw keep-alive sockets (the server's cost alone), boto3 clients (as a "
        "user's program sees it), or both (default)",
    )
    parser.add_argument("--serve", nargs="+", help=argparse.SUPPRESS)  # a child server
    args = parser.parse_args()
    if args.serve:
        if args.serve[0] == "floor":
            serve_floor(*args.serve[1:])
        else:
            serve_cloudmock(*args.serve[1:])
        return
    rounds, seconds = (1, 1.0) if args.quick else (args.rounds, args.seconds)

    clients = ("raw", "boto3") if args.client == "both" else (args.client,)
    for client in clients:
        described = {
            "raw": "raw HTTP/1.1 sockets, one per thread (kept alive unless the server closes)",
            "boto3": "boto3 EC2 clients, one per thread (each in its own region)",
        }[client]
        print(
            f"Python {platform.python_version()}, cloudmock {cloudmock.__version__}, "
            f"{os.cpu_count()} CPUs; clients: {described}; "
            f"{rounds} round(s) of {seconds:g} s per cell, medians\n"
        )
        print(
            "| request | client threads | floor req/s | cloudmock req/s | cloudmock/floor "
            "| thread pool req/s | pool/floor | HTTP layer alone req/s | alone/floor "
            "| HTTP/1.0 floor req/s | cloudmock/HTTP/1.0 floor | body |"
        )
        print("|:--|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
        for action, threads, rps, size in throughput(rounds, seconds, client):
            floor = rps["floor"]
            print(
                f"| {action} | {threads} | {floor:.0f} | {rps['inline']:.0f} "
                f"| {rps['inline'] / floor:.2f}x | {rps['thread']:.0f} "
                f"| {rps['thread'] / floor:.2f}x | {rps['canned']:.0f} "
                f"| {rps['canned'] / floor:.2f}x | {rps['floor/1.0']:.0f} "
                f"| {rps['inline'] / rps['floor/1.0']:.2f}x | {size / 1024:.1f} KiB |"
            )
        print()
    server_s, local_s, count = describe_many(1 if args.quick else 3)
    print(
        f"\n| DescribeInstances ({count:,} instances, boto3) | server s | in-process s | server/in-process |"
    )
    print("|:--|--:|--:|--:|")
    print(f"| unfiltered | {server_s:.2f} | {local_s:.2f} | {server_s / local_s:.2f}x |")


if __name__ == "__main__":
    main()
