#!/usr/bin/env python3
"""Instructions the mock itself spends per request, counted by callgrind: repeatable
where wall-clock ratios are not (a shared machine moves them by +-20 %).

Each kind of request is counted as (instructions of set-up + K requests) minus
(instructions of set-up alone), divided by K; the set-up (1,000 instances, 100 of
them tagged team=payments, every plan compiled) is the benchmark table's. Requests go
straight to the dispatcher, so boto3's share (the "floor") is left out: what remains
is cloudmock's own cost, the part a change to cloudmock can move.

    python benchmarks/mock_instructions.py                 # this checkout
    python benchmarks/mock_instructions.py --other DIR     # and a checkout in DIR, side by side

Needs valgrind (Debian package ``valgrind``); takes a few minutes per checkout.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve()
#: kind of request -> (how many to count, form body)
REQUESTS = {
    "describe_instances (1,000)": (3, "Action=DescribeInstances"),
    "describe_instances filtered (1,000)": (
        20,
        "Action=DescribeInstances&Filter.1.Name=instance-state-name&Filter.1.Value.1=running"
        "&Filter.2.Name=tag%3Ateam&Filter.2.Value.1=payments",
    ),
    "run_instances x1 (fresh region)": (
        200,
        # a type every region offers (m1.small, the default, is only in the older ones)
        "Action=RunInstances&ImageId=ami-0abcdef1234567890&InstanceType=t3.micro"
        "&MinCount=1&MaxCount=1",
    ),
    "describe_regions": (1000, "Action=DescribeRegions"),
}
FRESH = "run_instances x1 (fresh region)"


def _child(kind: str, count: int) -> None:
    """Set up the state, then send ``count`` requests of ``kind`` (run under callgrind)."""
    import gc

    import cloudmock
    from cloudmock.core import mock as mock_module
    from cloudmock.core.http import Request

    def request(body: str, region: str = "eu-west-1") -> Request:
        headers = {
            "Authorization": f"AWS4-HMAC-SHA256 Credential=testing/20240101/{region}/ec2/"
            "aws4_request, SignedHeaders=host, Signature=0",
            "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
        }
        url = f"https://ec2.{region}.amazonaws.com/"
        return Request.build("POST", url, headers, f"{body}&Version=2016-11-15".encode())

    with cloudmock.mock_ec2(instance_limit=100_000, seed=1) as mock:
        handle = mock_module._dispatcher.handle
        # The mock's clock, not the wall's: under callgrind a request takes ~50 times as
        # long, so on the wall's clock how many launches turned running while requests
        # were counted (work a request does) depended on how busy the machine was.
        mock.clock.freeze()
        for batch in range(10):
            team = "payments" if batch == 0 else "other"
            launch = (
                "Action=RunInstances&ImageId=ami-0abcdef1234567890&MinCount=100&MaxCount=100"
                "&TagSpecification.1.ResourceType=instance&TagSpecification.1.Tag.1.Key=team"
                f"&TagSpecification.1.Tag.1.Value={team}"
            )
            assert handle(request(launch)).status == 200
        mock.clock.advance(60)  # every launch above is running
        for _, body in REQUESTS.values():
            assert handle(request(body)).status == 200
        # a region with one instance, as the benchmark launches into a fresh one; that
        # first launch reads what a region reads once (the AMI catalogue), uncounted
        region = "eu-west-2" if kind == FRESH else "eu-west-1"
        assert handle(request(REQUESTS[FRESH][1], region)).status == 200
        body = REQUESTS[kind][1]
        # What the set-up made leaves the collector's view (as ``cloudmock server`` does
        # with what it loads): whether a full collection walking all of it fell inside
        # the counted requests moved a row by a third from one checkout to another.
        gc.collect()
        gc.freeze()
        for _ in range(count):
            mock.clock.advance(0.001)  # a millisecond a request, as they come uncounted
            # an error answer would be cheaper than the work being counted
            assert handle(request(body, region)).status == 200


def _instructions(kind: str, count: int, pythonpath: str | None) -> int:
    env = dict(os.environ, PYTHONHASHSEED="0")
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    run = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            sys.executable,
            str(HERE),
            "--child",
            kind,
            str(count),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    found = re.search(r"Collected\s*:\s*(\d+)", run.stderr)
    if found is None:
        raise RuntimeError(f"callgrind printed no total:\n{run.stderr[-2000:]}")
    return int(found.group(1))


def per_request(pythonpath: str | None) -> dict[str, float]:
    out = {}
    for kind, (count, _) in REQUESTS.items():
        base = _instructions(kind, 0, pythonpath)
        out[kind] = (_instructions(kind, count, pythonpath) - base) / count
        print(f"  {kind}: {out[kind] / 1e6:.3f} M instructions per request", file=sys.stderr)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--other", help="another checkout to count side by side (its root)")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child[0], int(args.child[1]))
        return
    print("this checkout:", file=sys.stderr)
    # imported from its root as the other is (through the installed package instead,
    # the same code counted up to 13 k more a launch: a different sys.path and import
    # machinery move what lands where in memory)
    mine = per_request(str(HERE.parents[1]))
    other = None
    if args.other:
        print(f"{args.other}:", file=sys.stderr)
        other = per_request(str(Path(args.other).resolve()))
    print()
    print("| request (cloudmock's side only) | M instructions | other | this/other |")
    print("|:--|--:|--:|--:|")
    for kind, value in mine.items():
        if other is None:
            print(f"| {kind} | {value / 1e6:.3f} | — | — |")
        else:
            print(
                f"| {kind} | {value / 1e6:.3f} | {other[kind] / 1e6:.3f} | "
                f"{value / other[kind]:.3f} |"
            )


if __name__ == "__main__":
    main()
