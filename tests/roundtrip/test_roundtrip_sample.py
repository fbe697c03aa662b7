"""A deterministic sample of the botocore round trip: every protocol, a few hundred
operations.  ``scripts/roundtrip_sweep.py`` runs all of them."""

from __future__ import annotations

import pytest
from rt_engine import Outcome, sweep, table

# services that together speak every protocol, multi-protocol ones included
SAMPLE = [
    "ec2",
    "sts",
    "iam",
    "sqs",
    "sns",
    "dynamodb",
    "kinesis",
    "logs",
    "s3",
    "route53",
    "cloudfront",
    "lambda",
    "apigateway",
    "glacier",
    "cloudwatch",
    "arc-region-switch",
    "secretsmanager",
]


@pytest.fixture(scope="module")
def outcomes() -> list[Outcome]:
    return sweep(SAMPLE, every=2)


def test_every_protocol_is_in_the_sample(outcomes):
    assert {o.protocol for o in outcomes} == {
        "ec2",
        "query",
        "json",
        "rest-json",
        "rest-xml",
        "smithy-rpc-v2-cbor",
    }
    assert len(outcomes) >= 300


def test_every_sampled_operation_round_trips(outcomes):
    failed = [f"{o.service}/{o.protocol}/{o.operation}: {o.failures}" for o in outcomes if not o.ok]
    assert not failed, table(outcomes) + "\n" + "\n".join(failed[:20])
