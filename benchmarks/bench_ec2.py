"""Time cloudmock's EC2 through boto3, next to the cost of boto3 itself.

    python benchmarks/bench_ec2.py            # the default run (about a minute)
    python benchmarks/bench_ec2.py --quick    # fewer repetitions, a few seconds

For every operation two things are timed side by side, repetition after
repetition:

* the call answered by the mock (cloudmock; moto too, when it is importable), and
* the *boto3 floor*: the same client call answered by a botocore ``before-send``
  handler that returns, as a canned ``AWSResponse``, the exact bytes the mock
  returned for that call. The floor is what boto3 alone costs for that request
  and that response (serialize, sign, parse), so ``mock / floor`` is the factor
  the mock adds on top of boto3. 1.0 would be a free mock.

Each mock is compared with the floor for its own bytes. Medians are reported;
nothing is asserted about timing.
"""

from __future__ import annotations

import argparse
import gc
import platform
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

try:  # run from a checkout without installing
    import cloudmock
except ImportError:  # pragma: no cover
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import cloudmock

import boto3
import botocore
import botocore.handlers
from botocore.awsrequest import AWSResponse

REGION = "eu-west-1"
AMI = "ami-f00ba4"
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
#: room for the 1,000-instance cases (and then some)
INSTANCE_LIMIT = 5000


# -- the canned response that makes the floor --------------------------------------------


class _Raw:
    """The minimal body stream botocore reads an ``AWSResponse`` from."""

    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._body

    def read(self, *_: Any, **__: Any) -> bytes:
        return self._body


@dataclass
class Captured:
    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


def capture_into(captured: list[Captured]) -> Callable[..., None]:
    """Keep every response the mock gives, in order (a case may make several calls)."""

    def after_call(http_response: AWSResponse, **_: Any) -> None:
        captured.append(
            Captured(http_response.status_code, dict(http_response.headers), http_response.content)
        )

    return after_call


def canned_from(captured: list[Captured]) -> Callable[..., AWSResponse]:
    """Answer the calls of a case with the mock's responses, in the order it gave them."""
    position = 0

    def before_send(request: Any, **_: Any) -> AWSResponse:
        nonlocal position
        answer = captured[position % len(captured)]
        position += 1
        # A fresh response each time: botocore consumes the body.
        return AWSResponse(request.url, answer.status, answer.headers, _Raw(answer.body))

    return before_send


def new_client() -> Any:
    return boto3.session.Session().client("ec2", region_name=REGION, **CREDENTIALS)


def floor_client(captured: list[Captured]) -> Any:
    client = new_client()
    # botocore runs *every* before-send handler and keeps the first response, so a
    # mock that hooks before-send for all clients (moto does, through botocore's
    # BUILTIN_HANDLERS) would still do its whole work behind the canned answer.
    # The floor client drops every before-send handler botocore did not ship.
    for event, handler, *_ in botocore.handlers.BUILTIN_HANDLERS:
        if event.startswith("before-send") and not _from_botocore(handler):
            client.meta.events.unregister(event, handler)
    client.meta.events.register_first("before-send.ec2.*", canned_from(captured))
    return client


def _from_botocore(handler: Any) -> bool:
    module = getattr(handler, "__module__", None) or type(handler).__module__
    return module.split(".")[0] in ("botocore", "boto3")


# -- the mocks under test ------------------------------------------------------------------


class Impl:
    name = ""

    def start(self) -> None: ...

    def stop(self) -> None: ...

    def reset(self) -> None:
        """Empty state, mock still running."""


class Cloudmock(Impl):
    name = "cloudmock"

    def __init__(self) -> None:
        self.mock = cloudmock.mock_ec2(
            seed=1, instance_limit=INSTANCE_LIMIT, vpc_limit=SUBNET_VPCS + 1
        )

    def start(self) -> None:
        self.mock.start()

    def stop(self) -> None:
        self.mock.stop()

    def reset(self) -> None:
        self.mock.reset()

    def start_stop(self) -> None:
        self.mock.start()
        self.mock.stop()


class Moto(Impl):
    name = "moto"

    def __init__(self, moto_module: Any) -> None:
        self.moto = moto_module
        self.mock = moto_module.mock_aws()

    def start(self) -> None:
        self.mock.start()

    def stop(self) -> None:
        self.mock.stop()

    def reset(self) -> None:
        self.mock.stop()
        self.mock = self.moto.mock_aws()
        self.mock.start()  # a started moto mock begins with empty backends

    def start_stop(self) -> None:
        mock = self.moto.mock_aws()
        mock.start()
        mock.stop()


# -- the operations ------------------------------------------------------------------------


def launch(client: Any, count: int, **extra: Any) -> list[str]:
    reservation = client.run_instances(ImageId=AMI, MinCount=count, MaxCount=count, **extra)
    return [i["InstanceId"] for i in reservation["Instances"]]


def count_items(response: dict[str, Any]) -> int:
    """How many resources a response carries (what the floor must parse too)."""
    if "Reservations" in response:
        return sum(len(r["Instances"]) for r in response["Reservations"])
    for key in (
        "Instances",
        "Subnets",
        "SecurityGroups",
        "Vpcs",
        "SecurityGroupRules",
        "Images",
        "InstanceTypes",
    ):
        if key in response:
            return len(response[key])
    return 0


def network_of_four(client: Any) -> dict[str, Any]:
    """The four calls nearly every networked test starts with; what the last one answers."""
    vpc = client.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    client.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24")
    group = client.create_security_group(GroupName="web", Description="web", VpcId=vpc)["GroupId"]
    return client.authorize_security_group_ingress(  # type: ignore[no-any-return]
        GroupId=group, IpProtocol="tcp", FromPort=443, ToPort=443, CidrIp="0.0.0.0/0"
    )


#: VPCs of the 5,000-subnet case: 25 VPCs of 200 /24 subnets (EC2's limit per VPC), every
#: tenth subnet tagged tier=db
SUBNET_VPCS = 25
SUBNETS_PER_VPC = 200


def subnets_of_5000(client: Any) -> None:
    db = {"ResourceType": "subnet", "Tags": [{"Key": "tier", "Value": "db"}]}
    for v in range(SUBNET_VPCS):
        vpc = client.create_vpc(CidrBlock=f"10.{v}.0.0/16")["Vpc"]["VpcId"]
        for s in range(SUBNETS_PER_VPC):
            client.create_subnet(
                VpcId=vpc,
                CidrBlock=f"10.{v}.{s}.0/24",
                TagSpecifications=[db] if s % 10 == 0 else [],
            )


def fleet_of_1000(client: Any) -> None:
    """1,000 instances: 200 tagged team=payments, of which 100 are then stopped."""
    payments = {"ResourceType": "instance", "Tags": [{"Key": "team", "Value": "payments"}]}
    batches = [launch(client, 100, TagSpecifications=[payments]) for _ in range(2)]
    for _ in range(8):
        launch(client, 100)
    client.stop_instances(InstanceIds=batches[1])
    client.describe_instances(MaxResults=5)  # let pending/stopping complete


def web_template(client: Any) -> None:
    client.create_launch_template(
        LaunchTemplateName="web",
        LaunchTemplateData={
            "ImageId": AMI,
            "InstanceType": "t3.micro",
            "TagSpecifications": [
                {"ResourceType": "instance", "Tags": [{"Key": "role", "Value": "web"}]}
            ],
        },
    )


@dataclass
class Case:
    name: str
    call: Callable[[Any], dict[str, Any]]
    #: run once (untimed) on an empty mock before the first repetition
    setup: Callable[[Any], None] = lambda client: None
    #: reset the mock (and run setup again, untimed) before every repetition
    fresh_state: bool = False
    reps: int = 30


CASES = [
    Case(
        "run_instances x1",
        lambda c: c.run_instances(ImageId=AMI, MinCount=1, MaxCount=1),
        fresh_state=True,
        reps=60,
    ),
    Case(
        "run_instances x100",
        lambda c: c.run_instances(ImageId=AMI, MinCount=100, MaxCount=100),
        fresh_state=True,
        reps=15,
    ),
    Case(
        "describe_instances (1,000)",
        lambda c: c.describe_instances(),
        setup=fleet_of_1000,
        reps=10,
    ),
    Case(
        "describe_instances filtered (1,000)",
        lambda c: c.describe_instances(
            Filters=[
                {"Name": "instance-state-name", "Values": ["running"]},
                {"Name": "tag:team", "Values": ["payments"]},
            ]
        ),
        setup=fleet_of_1000,
        reps=20,
    ),
    Case(
        "create_vpc + subnet + security group + ingress rule",
        network_of_four,
        fresh_state=True,
        reps=40,
    ),
    Case(
        "describe_subnets filtered (5,000)",
        lambda c: c.describe_subnets(
            Filters=[
                {"Name": "tag:tier", "Values": ["db"]},
                {"Name": "available-ip-address-count", "Values": ["251"]},
            ]
        ),
        setup=subnets_of_5000,
        reps=20,
    ),
    Case(
        "run_instances from a launch template",
        lambda c: c.run_instances(
            LaunchTemplate={"LaunchTemplateName": "web"}, MinCount=1, MaxCount=1
        ),
        setup=web_template,
        fresh_state=True,
        reps=60,
    ),
    Case(
        "describe_images amazon + name wildcard (public catalogue)",
        lambda c: c.describe_images(
            Owners=["amazon"],
            Filters=[{"Name": "name", "Values": ["al2023-ami-2023.*-x86_64"]}],
        ),
        reps=40,
    ),
    Case(
        "describe_instance_types filtered",
        lambda c: c.describe_instance_types(
            Filters=[
                {"Name": "processor-info.supported-architecture", "Values": ["arm64"]},
                {"Name": "instance-type", "Values": ["m7g.*"]},
            ]
        ),
        reps=40,
    ),
]


# -- measuring -----------------------------------------------------------------------------


@dataclass
class Result:
    mock_ms: float
    floor_ms: float | None = None
    body_bytes: int | None = None
    items: int | None = None
    reps: int = 0

    @property
    def ratio(self) -> float | None:
        if self.floor_ms is None or self.floor_ms <= 0:
            return None
        return self.mock_ms / self.floor_ms


def _ms(start: int, end: int) -> float:
    return (end - start) / 1e6


def measure_start_stop(impl: Impl, reps: int, budget: float) -> Result:
    impl.start_stop()  # warm: entry points, imports
    times: list[float] = []
    deadline = time.perf_counter() + budget
    gc.collect()
    while len(times) < reps and (len(times) < 3 or time.perf_counter() < deadline):
        t0 = time.perf_counter_ns()
        impl.start_stop()
        times.append(_ms(t0, time.perf_counter_ns()))
    return Result(statistics.median(times), reps=len(times))


def measure(impl: Impl, case: Case, client: Any, reps: int, budget: float) -> Result:
    """Time ``case`` on the started ``impl`` (whose state ``case.setup`` has made)."""
    # Capture the exact bytes the mock answers this call with (untimed).
    captured: list[Captured] = []
    capturing = new_client()
    capturing.meta.events.register("after-call.ec2.*", capture_into(captured))
    items = count_items(case.call(capturing))
    floor = floor_client(captured)
    if count_items(case.call(floor)) != items:
        raise RuntimeError(f"{case.name}: the floor parsed a different answer")

    mock_times: list[float] = []
    floor_times: list[float] = []
    deadline = time.perf_counter() + budget
    gc.collect()
    while len(mock_times) < reps and (len(mock_times) < 3 or time.perf_counter() < deadline):
        if case.fresh_state:
            impl.reset()
            case.setup(client)
            client.describe_availability_zones()  # the region's backend exists again
        t0 = time.perf_counter_ns()
        case.call(client)
        t1 = time.perf_counter_ns()
        case.call(floor)
        t2 = time.perf_counter_ns()
        mock_times.append(_ms(t0, t1))
        floor_times.append(_ms(t1, t2))
    return Result(
        statistics.median(mock_times),
        statistics.median(floor_times),
        sum(len(c.body) for c in captured),
        items,
        len(mock_times),
    )


def run(impl: Impl, quick: bool, budget: float) -> dict[str, Result]:
    results: dict[str, Result] = {}
    scale = 0.2 if quick else 1.0
    reps = max(3, int(200 * scale))
    results["mock start + stop"] = measure_start_stop(impl, reps, budget)
    print(f"  {impl.name}: mock start + stop", file=sys.stderr, flush=True)
    impl.start()
    try:
        client = new_client()
        prepared: Callable[[Any], None] | None = None
        for case in CASES:
            # Consecutive read-only cases with the same setup share one prepared state.
            if case.fresh_state or case.setup is not prepared:
                impl.reset()
                case.setup(client)
                prepared = None if case.fresh_state else case.setup
            reps = max(3, int(case.reps * scale))
            results[case.name] = measure(impl, case, client, reps, budget)
            print(f"  {impl.name}: {case.name}", file=sys.stderr, flush=True)
    finally:
        impl.stop()
    return results


# -- reporting -----------------------------------------------------------------------------


def _num(value: float | None, spec: str) -> str:
    return "—" if value is None else format(value, spec)


def _size(value: int | None) -> str:
    if value is None:
        return "—"
    return f"{value / 1024:.0f} KiB" if value >= 10 * 1024 else f"{value / 1024:.1f} KiB"


def table(ours: dict[str, Result], moto: dict[str, Result] | None) -> str:
    headers = ["operation", "cloudmock ms", "floor ms", "cloudmock/floor", "body", "items"]
    if moto is not None:
        headers += ["moto ms", "moto floor ms", "moto/floor"]
    else:
        headers += ["moto/floor"]
    rows = []
    for name, result in ours.items():
        row = [
            name,
            _num(result.mock_ms, ".2f"),
            _num(result.floor_ms, ".2f"),
            _num(result.ratio, ".2f") + ("x" if result.ratio is not None else ""),
            _size(result.body_bytes),
            _num(result.items, "d"),
        ]
        if moto is not None:
            other = moto[name]
            row += [
                _num(other.mock_ms, ".2f"),
                _num(other.floor_ms, ".2f"),
                _num(other.ratio, ".2f") + ("x" if other.ratio is not None else ""),
            ]
        else:
            row += ["n/a"]
        rows.append(row)
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]

    def line(cells: list[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = [cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True)]
        return "| " + " | ".join([first, *rest]) + " |"

    rule = (
        "|"
        + "|".join("-" * (w + 1) + ":" if i else ":" + "-" * (w + 1) for i, w in enumerate(widths))
        + "|"
    )
    return "\n".join([line(headers), rule, *(line(r) for r in rows)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (a few seconds)")
    parser.add_argument(
        "--budget",
        type=float,
        default=None,
        help="seconds per operation per mock before the repetitions stop early "
        "(at least 3 are always run; default 3, or 0.5 with --quick)",
    )
    parser.add_argument("--no-moto", action="store_true", help="skip moto even if installed")
    args = parser.parse_args(argv)
    budget = args.budget if args.budget is not None else (0.5 if args.quick else 3.0)

    started = time.perf_counter()
    print("measuring cloudmock ...", file=sys.stderr, flush=True)
    ours = run(Cloudmock(), args.quick, budget)

    # moto is imported only now: importing it adds a before-send handler to every
    # client created afterwards, which the cloudmock clients should not carry.
    moto_module = None
    if not args.no_moto:
        try:
            import moto as moto_module
        except ImportError:
            moto_module = None
    theirs = None
    if moto_module is not None:
        print("measuring moto ...", file=sys.stderr, flush=True)
        theirs = run(Moto(moto_module), args.quick, budget)

    moto_version = getattr(moto_module, "__version__", "?") if moto_module else "not installed"
    print(
        f"Python {platform.python_version()} ({sys.executable}), boto3 {boto3.__version__}, "
        f"botocore {botocore.__version__}, cloudmock {cloudmock.__version__}, moto {moto_version}"
    )
    print(
        f"median of N repetitions (N listed below the table); {'quick' if args.quick else 'default'} run"
    )
    print()
    print(table(ours, theirs))
    print()
    reps = ", ".join(f"{name}: {r.reps}" for name, r in ours.items())
    print(f"repetitions (cloudmock): {reps}")
    if theirs is not None:
        print("repetitions (moto): " + ", ".join(f"{n}: {r.reps}" for n, r in theirs.items()))
    print(f"total {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
