#!/usr/bin/env python3
"""What durable state (``--state-dir``) costs, measured side by side in one run.

* the size and time of one save of EC2's graph (what every acknowledged EC2 write
  pickles and commits) with N instances in one region;
* RunInstances per second through the dispatcher, in memory and with a state
  directory, at a few state sizes.

    python benchmarks/bench_durable.py [--sizes 1000,5000]
"""

from __future__ import annotations

import argparse
import tempfile
import threading
import time

from cloudmock.core.config import Config
from cloudmock.core.dispatcher import Dispatcher
from cloudmock.core.http import Request
from cloudmock.core.persistence import dumps
from cloudmock.core.registry import default_registry
from cloudmock.core.state import State

RUN = (
    "Action=RunInstances&Version=2016-11-15&ImageId=ami-0abcdef1234567890"
    "&InstanceType=t3.micro&MinCount={n}&MaxCount={n}"
)


def _config() -> Config:
    return Config(seed=1, services={"ec2": {"instance_limit": 1_000_000}})


def _request(body: str) -> Request:
    return Request(
        method="POST",
        url="http://127.0.0.1/",
        headers={
            "host": "127.0.0.1",
            "content-type": "application/x-www-form-urlencoded",
            "authorization": "AWS4-HMAC-SHA256 Credential=testing/20260101/eu-west-1/ec2/"
            "aws4_request, SignedHeaders=host, Signature=x",
        },
        body=body.encode(),
    )


def _fill(dispatcher: Dispatcher, instances: int) -> None:
    left = instances
    zones = "abc"
    while left:
        n = min(left, 500)
        # spread over the zones: one default subnet holds ~4,000 addresses
        zone = f"&Placement.AvailabilityZone=eu-west-1{zones[left // 500 % 3]}"
        response = dispatcher.handle(_request(RUN.format(n=n) + zone))
        assert response.status == 200, response.body[:300]
        left -= n


def _rate(dispatcher: Dispatcher, count: int, threads: int = 1) -> float:
    """RunInstances (one instance each) per second, ``count`` per thread."""

    def client() -> None:
        for _ in range(count):
            response = dispatcher.handle(_request(RUN.format(n=1)))
            assert response.status == 200, response.body[:300]

    workers = [threading.Thread(target=client) for _ in range(threads)]
    start = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return count * threads / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="0,1000,5000")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--threads", default="1,8")
    args = parser.parse_args()
    threads = [int(t) for t in args.threads.split(",")]
    print(
        f"{'instances':>9}  {'graph KiB':>9}  {'pickle ms':>9}  {'threads':>7}  "
        f"{'in-memory/s':>11}  {'durable/s':>9}  ratio"
    )
    for size in (int(s) for s in args.sizes.split(",")):
        memory = Dispatcher(default_registry(), State(_config()))
        _fill(memory, size)
        with tempfile.TemporaryDirectory() as directory:
            state = State(_config(), state_dir=directory)
            durable = Dispatcher(default_registry(), state)
            _fill(durable, size)
            _rate(memory, 3)  # warm: handlers imported, plans compiled
            _rate(durable, 3)
            slots, shared = state.graph("ec2")
            start = time.perf_counter()
            blob = dumps({"slots": slots, "shared": shared}, state)
            pickle_ms = (time.perf_counter() - start) * 1000
            for count in threads:
                in_memory = _rate(memory, args.requests, count)
                on_disk = _rate(durable, max(args.requests // count, 3), count)
                print(
                    f"{size:>9}  {len(blob) / 1024:>9.0f}  {pickle_ms:>9.1f}  {count:>7}  "
                    f"{in_memory:>11.0f}  {on_disk:>9.1f}  {on_disk / in_memory:.3f}"
                )
            state.close()


if __name__ == "__main__":
    main()
