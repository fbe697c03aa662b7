"""16 clients mutating one account and region at once through a server: every
resource the server acknowledged is found exactly once afterwards, none is lost,
duplicated or made up, and every tag lands on its resource."""

from __future__ import annotations

import random
import threading
from collections import Counter
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config as BotoConfig

from cloudmock.core.config import Config
from cloudmock.server import ServerThread

CLIENTS = 16
OPERATIONS = 20  # per client
SEED = 16
REGION = "eu-west-1"


@pytest.fixture(scope="module")
def server() -> Iterator[ServerThread]:
    options = {"ec2": {"instance_limit": 100_000, "vpc_limit": 10_000}}
    with ServerThread(config=Config(services=options)) as running:
        yield running


class Acknowledged:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.instances: list[str] = []
        self.terminated: list[str] = []
        self.vpcs: list[str] = []
        self.tags: list[tuple[str, str]] = []  # (resource, tag value)
        self.failures: list[str] = []


def client_work(index: int, ec2: Any, acked: Acknowledged, start: threading.Barrier) -> None:
    rng = random.Random(SEED * 1000 + index)
    mine: list[str] = []
    start.wait()
    try:
        for step in range(OPERATIONS):
            roll = rng.random()
            if roll < 0.4 or not mine:
                count = rng.randint(1, 3)
                reply = ec2.run_instances(ImageId="ami-f00ba4", MinCount=count, MaxCount=count)
                ids = [i["InstanceId"] for i in reply["Instances"]]
                assert len(ids) == count
                mine += ids
                with acked.lock:
                    acked.instances += ids
            elif roll < 0.6:
                vpc = ec2.create_vpc(CidrBlock=f"10.{rng.randrange(256)}.0.0/16")["Vpc"]["VpcId"]
                with acked.lock:
                    acked.vpcs.append(vpc)
            elif roll < 0.85:
                target = rng.choice(mine)
                value = f"client{index}-step{step}"
                ec2.create_tags(
                    Resources=[target], Tags=[{"Key": f"t{index}-{step}", "Value": value}]
                )
                with acked.lock:
                    acked.tags.append((target, value))
            else:
                target = mine.pop(rng.randrange(len(mine)))
                ec2.terminate_instances(InstanceIds=[target])
                with acked.lock:
                    acked.terminated.append(target)
    except Exception as error:  # reported by the test, with the client
        with acked.lock:
            acked.failures.append(f"client {index}: {error!r}")


def test_no_lost_or_duplicated_resources_under_16_concurrent_clients(server: ServerThread) -> None:
    acked = Acknowledged()
    start = threading.Barrier(CLIENTS)
    # clients are made here: building them from boto3's default session in many
    # threads at once is not safe (using them is)
    clients = [
        boto3.client(
            "ec2",
            REGION,
            endpoint_url=server.url,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            config=BotoConfig(retries={"total_max_attempts": 1}),
        )
        for _ in range(CLIENTS)
    ]
    threads = [
        threading.Thread(target=client_work, args=(i, clients[i], acked, start))
        for i in range(CLIENTS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not any(thread.is_alive() for thread in threads), "a client did not finish"
    assert not acked.failures, acked.failures[:5]

    ec2: Any = boto3.client(
        "ec2",
        REGION,
        endpoint_url=server.url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    found: Counter[str] = Counter()
    states: dict[str, str] = {}
    tags: dict[str, dict[str, str]] = {}
    for page in ec2.get_paginator("describe_instances").paginate():
        for reservation in page["Reservations"]:
            for instance in reservation["Instances"]:
                found[instance["InstanceId"]] += 1
                states[instance["InstanceId"]] = instance["State"]["Name"]
                tags[instance["InstanceId"]] = {
                    t["Key"]: t["Value"] for t in instance.get("Tags", [])
                }
    assert len(acked.instances) == len(set(acked.instances)), "an id was handed out twice"
    assert set(found) == set(acked.instances), "instances lost or made up"
    assert set(found.values()) == {1}, "an instance listed twice"
    for instance in acked.terminated:
        assert states[instance] in ("shutting-down", "terminated"), instance
    for resource, value in acked.tags:
        assert list(tags[resource].values()).count(value) == 1, (resource, value)

    vpcs = Counter(v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"] if not v.get("IsDefault"))
    assert len(acked.vpcs) == len(set(acked.vpcs))
    assert set(vpcs) == set(acked.vpcs) and set(vpcs.values()) <= {1}
