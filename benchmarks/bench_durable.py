#!/usr/bin/env python3
"""What durable state (``--state-dir``) costs, measured side by side in one run.

* the size and time of one snapshot of EC2's graph (the whole state, pickled: what a
  snapshot costs once per ``SNAPSHOT_EVERY`` writes, and at a clean stop) with N
  instances in one region, or spread over many accounts;
* RunInstances per second through the dispatcher, in memory and with a state
  directory, at those state sizes (a write logs one row: its cost should not grow
  with the state);
* how long a restart takes that replays the log those writes left (after a
  ``kill -9``: no last snapshot).

    python benchmarks/bench_durable.py [--sizes 0,1000,5000] [--accounts 300x7]

It also runs against a tree from before the log (one pickle of the whole service per
write): point PYTHONPATH at that tree to compare, side by side.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import threading
import time

from cloudmock.core import persistence
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


def _request(body: str, key: str = "testing") -> Request:
    return Request(
        method="POST",
        url="http://127.0.0.1/",
        headers={
            "host": "127.0.0.1",
            "content-type": "application/x-www-form-urlencoded",
            "authorization": f"AWS4-HMAC-SHA256 Credential={key}/20260101/eu-west-1/ec2/"
            "aws4_request, SignedHeaders=host, Signature=x",
        },
        body=body.encode(),
    )


def _fill(dispatcher: Dispatcher, instances: int, accounts: int = 0) -> None:
    """``instances`` in the caller's region, or with ``accounts``: that many in each of
    that many accounts."""
    if accounts:
        for n in range(accounts):
            key = f"{100000000000 + n}"
            response = dispatcher.handle(_request(RUN.format(n=instances), key))
            assert response.status == 200, response.body[:300]
        return
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


def _replay_seconds(directory: str) -> float | None:
    """A restart of ``directory`` as a ``kill -9`` leaves it: nothing closed, the log
    as written (None: a tree without a log)."""
    if not hasattr(persistence, "SNAPSHOT_EVERY"):
        return None
    image = tempfile.mkdtemp()
    for name in (persistence.DB_NAME, f"{persistence.DB_NAME}-wal"):
        if os.path.exists(os.path.join(directory, name)):
            shutil.copy2(os.path.join(directory, name), image)
    start = time.perf_counter()
    State(_config(), state_dir=image).close()
    seconds = time.perf_counter() - start
    shutil.rmtree(image)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="0,1000,5000")
    parser.add_argument("--accounts", default="300x7", help="ACCOUNTSxINSTANCES, or ''")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--threads", default="1,8")
    args = parser.parse_args()
    threads = [int(t) for t in args.threads.split(",")]
    cases = [(int(s), 0) for s in args.sizes.split(",") if s]
    if args.accounts:
        accounts, per = args.accounts.split("x")
        cases.append((int(per), int(accounts)))
    print(
        f"{'state':>12}  {'snap KiB':>8}  {'snap ms':>7}  {'threads':>7}  "
        f"{'in-memory/s':>11}  {'durable/s':>9}  ratio  {'log rows':>8}  replay s"
    )
    for size, accounts in cases:
        label = f"{accounts}x{size}" if accounts else str(size)
        memory = Dispatcher(default_registry(), State(_config()))
        _fill(memory, size, accounts)
        with tempfile.TemporaryDirectory() as directory:
            state = State(_config(), state_dir=directory)
            durable = Dispatcher(default_registry(), state)
            _fill(durable, size, accounts)
            _rate(memory, 3)  # warm: handlers imported, plans compiled
            _rate(durable, 3)
            slots, shared = state.graph("ec2")
            start = time.perf_counter()
            blob = dumps({"slots": slots, "shared": shared}, state)
            pickle_ms = (time.perf_counter() - start) * 1000
            for count in threads:
                in_memory = _rate(memory, args.requests, count)
                on_disk = _rate(durable, max(args.requests // count, 3), count)
                logged = (
                    state.durable.conn.execute("SELECT count(*) FROM log").fetchone()[0]
                    if state.durable is not None and hasattr(persistence, "SNAPSHOT_EVERY")
                    else 0
                )
                replay = _replay_seconds(directory)
                print(
                    f"{label:>12}  {len(blob) / 1024:>8.0f}  {pickle_ms:>7.1f}  {count:>7}  "
                    f"{in_memory:>11.0f}  {on_disk:>9.1f}  {on_disk / in_memory:.3f}  "
                    f"{logged:>8}  {'-' if replay is None else f'{replay:.2f}'}"
                )
            state.close()


if __name__ == "__main__":
    main()
