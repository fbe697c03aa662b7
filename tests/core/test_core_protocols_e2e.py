"""Every protocol end to end through boto3: a throwaway plugin per real service, in both
modes (patched in-process and against a server)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import protocol_handlers
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from protocol_handlers import WHEN

import cloudmock
from cloudmock.core import mock as mock_module
from cloudmock.core.plugin import ServicePlugin
from cloudmock.core.registry import Registry
from cloudmock.server import ServerThread

SERVICES = ("sqs", "sts", "s3", "lambda", "cloudwatch")


def registry() -> Registry:
    found = Registry()
    for name in SERVICES:
        found.register(
            ServicePlugin(
                name=name,
                handler_modules=protocol_handlers.modules,
                backend_factory=protocol_handlers.backend,
                signing_names=("monitoring",) if name == "cloudwatch" else (),
            )
        )
    return found


@pytest.fixture(params=["patched", "server"])
def client(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    keys = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
    if request.param == "patched":
        monkeypatch.setattr(mock_module._dispatcher, "registry", registry())
        with cloudmock.mock_aws():
            yield lambda name, **kw: boto3.client(name, region_name="eu-west-1", **keys, **kw)
    else:
        server = ServerThread()
        server.app.dispatcher.registry = registry()
        with server:
            yield lambda name, **kw: boto3.client(
                name, region_name="eu-west-1", endpoint_url=server.url, **keys, **kw
            )


def test_json_with_query_compatible_errors(client):
    sqs = client("sqs")
    assert sqs.get_queue_url(QueueName="jobs")["QueueUrl"].endswith("/jobs")
    with pytest.raises(sqs.exceptions.QueueDoesNotExist) as caught:
        sqs.get_queue_url(QueueName="missing")
    assert caught.value.response["Error"]["QueryErrorCode"] == "QueueDoesNotExist"


def test_query(client):
    assert client("sts").get_caller_identity()["Account"] == "123456789012"


def test_rest_xml_headers_body_and_s3_errors(client):
    # path-style: virtual-hosted buckets (the bucket in the host) are an S3 plugin's to route
    s3 = client("s3", config=Config(s3={"addressing_style": "path"}))
    head = s3.head_object(Bucket="b", Key="a/key.txt")
    assert (head["ContentLength"], head["LastModified"], head["Metadata"]) == (
        9,
        WHEN.replace(microsecond=0),
        {"k": "v"},
    )
    assert s3.get_bucket_tagging(Bucket="mine")["TagSet"] == [{"Key": "bucket", "Value": "mine"}]
    with pytest.raises(ClientError) as caught:
        s3.get_bucket_tagging(Bucket="missing")
    assert caught.value.response["Error"]["Code"] == "NoSuchBucket"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_rest_json_with_modeled_error_members(client):
    functions = client("lambda")
    assert functions.get_function(FunctionName="f")["Configuration"]["MemorySize"] == 128
    with pytest.raises(functions.exceptions.ResourceNotFoundException) as caught:
        functions.get_function(FunctionName="missing")
    assert caught.value.response["Type"] == "User"
    assert caught.value.response["Error"]["Message"] == "Function not found"


def test_uri_labels_are_decoded_exactly_once(client):
    # botocore escapes % in a label (%25); a second decoding would turn %2F into /
    s3 = client("s3", config=Config(s3={"addressing_style": "path"}))
    key = "a%2Fb/c%"
    assert s3.head_object(Bucket="b", Key=key)["ContentLength"] == len(key)


def test_cbor(client):
    entries = client("cloudwatch").list_dashboards(DashboardNamePrefix="ops")["DashboardEntries"]
    assert entries == [{"DashboardName": "ops", "LastModified": WHEN}]


def test_unimplemented_operations_are_501_in_each_protocol(client):
    for name, call in (
        ("sqs", "list_queues"),
        ("s3", "list_buckets"),
        ("lambda", "list_functions"),
        ("cloudwatch", "list_metrics"),
        ("sts", "get_session_token"),
    ):
        with pytest.raises(ClientError) as caught:
            getattr(client(name), call)()
        error = caught.value.response
        assert error["Error"]["Code"] == "NotImplemented", (name, error)
        assert error["ResponseMetadata"]["HTTPStatusCode"] == 501
        assert error["ResponseMetadata"]["RetryAttempts"] == 0
