"""The dispatcher: service, region and account of a request; other services never reach AWS."""

from __future__ import annotations

import json
import socket
import xml.etree.ElementTree as ET

import boto3
import pytest
from botocore.exceptions import ClientError
from core_helpers import AMI, scope_header

import cloudmock
from cloudmock.core.config import DEFAULT_ACCOUNT_ID, Config
from cloudmock.core.dispatcher import Dispatcher, identify
from cloudmock.core.http import Request
from cloudmock.core.mock import MockAWS
from cloudmock.core.plugin import ServicePlugin
from cloudmock.core.registry import Registry
from cloudmock.core.state import State

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
BODY = "Action=DescribeAvailabilityZones&Version=2016-11-15"


def owner(ec2) -> str:
    reservation = ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=1)
    return reservation["OwnerId"]


# ------------------------------------------------------------------------- identify


def test_identify_reads_the_sigv4_scope():
    request = Request.build(
        "POST",
        "https://anything.example/",
        {"Authorization": scope_header("ap-south-1", "ec2", "AKIDEXAMPLE"), **FORM},
        BODY,
    )
    target = identify(request)
    assert (target.service, target.region, target.access_key) == (
        "ec2",
        "ap-south-1",
        "AKIDEXAMPLE",
    )


def test_identify_reads_a_presigned_query_scope():
    url = (
        "https://ec2.amazonaws.com/?Action=DescribeRegions&X-Amz-Credential="
        "AKID%2F20240101%2Fca-central-1%2Fec2%2Faws4_request"
    )
    target = identify(Request.build("GET", url, {}, b""))
    assert (target.service, target.region, target.access_key) == ("ec2", "ca-central-1", "AKID")


def test_identify_without_scope_is_none():
    assert identify(Request.build("POST", "https://ec2.amazonaws.com/", FORM, BODY)) is None


def zones(response) -> list[str]:
    root = ET.fromstring(response.body)
    return [e.text for e in root.iter() if e.tag.endswith("zoneName")]


def test_region_from_scope_wins_over_host():
    dispatcher = Dispatcher(Registry(), State())
    request = Request.build(
        "POST",
        "https://ec2.us-east-1.amazonaws.com/",
        {"Authorization": scope_header("eu-west-3"), **FORM},
        BODY,
    )
    response = dispatcher.handle(request)
    assert response.status == 200
    assert zones(response) and all(z.startswith("eu-west-3") for z in zones(response))


@pytest.mark.parametrize(
    "url,region",
    [
        ("https://ec2.ap-northeast-1.amazonaws.com/", "ap-northeast-1"),
        ("https://eu-north-1.ec2.amazonaws.com/", "eu-north-1"),
        ("https://ec2.amazonaws.com/", "us-east-1"),
    ],
)
def test_region_from_host_when_unsigned(url, region):
    dispatcher = Dispatcher(Registry(), State())
    response = dispatcher.handle(Request.build("POST", url, FORM, BODY))
    assert response.status == 200
    assert zones(response) and all(z.startswith(region) for z in zones(response))


def test_unsigned_request_for_an_unknown_host_is_answered_by_its_action():
    dispatcher = Dispatcher(Registry(), State())
    response = dispatcher.handle(Request.build("POST", "http://localhost:1/", FORM, BODY))
    assert response.status == 200
    assert zones(response) and all(z.startswith("us-east-1") for z in zones(response))


def test_unsigned_request_with_an_action_no_service_has_is_invalid_action():
    dispatcher = Dispatcher(Registry(), State())
    body = "Action=NoSuchAction&Version=2016-11-15"
    response = dispatcher.handle(Request.build("POST", "http://localhost:1/", FORM, body))
    assert response.status == 400
    assert b"<Code>InvalidAction</Code>" in response.body
    assert b"NoSuchAction" in response.body


def test_unsigned_request_naming_nothing_is_an_error():
    dispatcher = Dispatcher(Registry(), State())
    response = dispatcher.handle(Request.build("POST", "http://localhost:1/", FORM, "Version=1"))
    assert response.status == 400
    assert b"<Code>MissingAction</Code>" in response.body


def test_region_from_the_boto3_client(core_server):
    core_server.state.reset()
    ec2 = boto3.client(
        "ec2",
        region_name="sa-east-1",
        endpoint_url=core_server.url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    names = [z["ZoneName"] for z in ec2.describe_availability_zones()["AvailabilityZones"]]
    assert names and all(n.startswith("sa-east-1") for n in names)
    ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=1)
    dump = core_server.state.dump()
    assert list(dump["ec2"][DEFAULT_ACCOUNT_ID]) == ["sa-east-1"]
    core_server.state.reset()


# ------------------------------------------------------------------------- accounts


def test_default_account_and_twelve_digit_access_keys():
    with cloudmock.mock_ec2():
        assert owner(boto3.client("ec2", region_name="eu-west-1")) == DEFAULT_ACCOUNT_ID
        other = boto3.client(
            "ec2",
            region_name="eu-west-1",
            aws_access_key_id="111122223333",
            aws_secret_access_key="x",
        )
        assert owner(other) == "111122223333"
        # the accounts do not share resources
        assert len(other.describe_instances()["Reservations"]) == 1
        default = boto3.client("ec2", region_name="eu-west-1")
        assert len(default.describe_instances()["Reservations"]) == 1


def test_config_access_keys_mapping():
    config = Config(access_keys={"AKIAMAPPED": "444455556666"}, default_account_id="999988887777")
    with MockAWS({"ec2"}, config=config):
        mapped = boto3.client(
            "ec2",
            region_name="eu-west-1",
            aws_access_key_id="AKIAMAPPED",
            aws_secret_access_key="x",
        )
        assert owner(mapped) == "444455556666"
        assert owner(boto3.client("ec2", region_name="eu-west-1")) == "999988887777"


def test_accounts_from_the_environment(monkeypatch):
    monkeypatch.setenv("CLOUDMOCK_ACCOUNTS", "AKIAONE=210987654321, AKIATWO=310987654321")
    with cloudmock.mock_ec2():
        for key, account in (("AKIAONE", "210987654321"), ("AKIATWO", "310987654321")):
            ec2 = boto3.client(
                "ec2", region_name="eu-west-1", aws_access_key_id=key, aws_secret_access_key="x"
            )
            assert owner(ec2) == account


def test_bad_accounts_environment_is_refused():
    with pytest.raises(ValueError, match="12-digit"):
        Config.from_env({"CLOUDMOCK_ACCOUNTS": "AKIA=123"})


def test_account_of_unsigned_legacy_request():
    dispatcher = Dispatcher(Registry(), State())
    body = "Action=RunInstances&Version=2016-11-15&ImageId=" + AMI + "&MinCount=1&MaxCount=1"
    response = dispatcher.handle(
        Request.build(
            "POST",
            "https://ec2.eu-west-1.amazonaws.com/",
            FORM,
            body + "&AWSAccessKeyId=555566667777",
        )
    )
    assert response.status == 200
    assert b"<ownerId>555566667777</ownerId>" in response.body


# ---------------------------------------------------- other services: never the network


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to resolve or connect fails the test loudly."""
    attempts: list[object] = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    yield attempts
    assert attempts == []


@pytest.mark.parametrize("make_mock", [cloudmock.mock_ec2, cloudmock.mock_aws])
@pytest.mark.parametrize(
    "service,call",
    [
        ("s3", "list_buckets"),
        ("sqs", "list_queues"),
        ("sns", "list_topics"),
        ("dynamodb", "list_tables"),
    ],
)
def test_other_services_get_a_clear_error_and_never_reach_the_network(
    no_network, make_mock, service, call
):
    with make_mock():
        client = boto3.client(service, region_name="us-east-1")
        with pytest.raises(ClientError) as caught:
            getattr(client, call)()
        # EC2 keeps working next to it
        assert boto3.client("ec2", region_name="us-east-1").describe_regions()["Regions"]
    error = caught.value.response
    assert error["Error"]["Code"] == "NotImplemented"
    assert f"'{service}'" in error["Error"]["Message"]
    assert "not sent to AWS" in error["Error"]["Message"]
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 501
    assert error["ResponseMetadata"]["RetryAttempts"] == 0


def test_a_plugin_without_the_handler_answers_in_its_protocol():
    """A plugin for SQS (json/query) with no handlers: a 501 in JSON, naming the operation."""
    registry = Registry()
    registry.register(
        ServicePlugin(name="sqs", handler_modules=tuple, backend_factory=lambda env: {})
    )
    dispatcher = Dispatcher(registry, State())
    request = Request.build(
        "POST",
        "https://sqs.us-east-1.amazonaws.com/",
        {
            "Authorization": scope_header("us-east-1", "sqs"),
            "Content-Type": "application/x-amz-json-1.0",
            "X-Amz-Target": "AmazonSQS.ListQueues",
        },
        b"{}",
    )
    response = dispatcher.handle(request)
    assert response.status == 501
    body = json.loads(response.body)
    assert body["__type"] == "NotImplemented"
    assert "sqs:ListQueues" in body["message"]
    assert response.headers["X-Amzn-Errortype"] == "NotImplemented"


def test_a_plugin_without_a_botocore_model_answers_with_an_error():
    registry = Registry()
    registry.register(
        ServicePlugin(name="nosuchservice", handler_modules=tuple, backend_factory=lambda env: {})
    )
    dispatcher = Dispatcher(registry, State())
    request = Request.build(
        "POST",
        "https://nosuchservice.us-east-1.amazonaws.com/",
        {"Authorization": scope_header("us-east-1", "nosuchservice"), **FORM},
        "Action=Anything",
    )
    response = dispatcher.handle(request)
    assert response.status == 501
    assert b"nosuchservice" in response.body


def test_disabled_service_is_refused_even_if_installed():
    dispatcher = Dispatcher(Registry(), State(), services=())
    request = Request.build(
        "POST",
        "https://ec2.us-east-1.amazonaws.com/",
        {"Authorization": scope_header("us-east-1"), **FORM},
        BODY,
    )
    response = dispatcher.handle(request)
    assert response.status == 501
    assert b"enabled: none" in response.body


# ------------------------------------- scopes a client made up from a non-AWS host


def _made_up_scope(region: str, key: str = "testing", host: str = "127.0.0.1:5000") -> Request:
    """Signed as boto 2 signs for a non-AWS host: the service is the host's first label."""
    return Request.build(
        "POST",
        f"http://{host}/",
        {"Authorization": scope_header(region, host.split(".")[0].split(":")[0], key), **FORM},
        BODY,
    )


def test_a_scope_made_up_from_the_host_is_routed_by_the_action():
    dispatcher = Dispatcher(Registry(), State())
    response = dispatcher.handle(_made_up_scope("0"))
    assert response.status == 200
    # "0" is no region: the default region answers, and no backend exists for "0"
    assert zones(response) and all(z.startswith("us-east-1") for z in zones(response))
    assert list(dispatcher.state.dump()["ec2"][DEFAULT_ACCOUNT_ID]) == ["us-east-1"]


def test_a_made_up_scope_keeps_its_region_when_it_is_one_and_its_key():
    dispatcher = Dispatcher(Registry(), State())
    response = dispatcher.handle(_made_up_scope("eu-west-3", key="444455556666", host="localhost"))
    assert response.status == 200
    assert zones(response) and all(z.startswith("eu-west-3") for z in zones(response))
    launch = Request.build(
        "POST",
        "http://localhost/",
        {"Authorization": scope_header("eu-west-3", "localhost", "444455556666"), **FORM},
        # eu-west-3 does not offer RunInstances' default type (m1.small)
        f"Action=RunInstances&Version=2016-11-15&ImageId={AMI}&MinCount=1&MaxCount=1"
        "&InstanceType=t3.micro",
    )
    assert b"<ownerId>444455556666</ownerId>" in dispatcher.handle(launch).body


def test_a_made_up_scope_with_an_unknown_action_is_invalid_action():
    dispatcher = Dispatcher(Registry(), State())
    request = _made_up_scope("0")
    request.body = b"Action=NoSuchAction&Version=2016-11-15"
    response = dispatcher.handle(request)
    assert response.status == 400
    assert b"<Code>InvalidAction</Code>" in response.body


def test_a_scope_naming_another_service_is_not_answered_by_the_action():
    dispatcher = Dispatcher(Registry(), State())
    request = Request.build(
        "POST",
        "http://127.0.0.1:5000/",
        {"Authorization": scope_header("eu-west-1", "s3"), **FORM},
        BODY,
    )
    response = dispatcher.handle(request)
    assert response.status == 501
    assert b"'s3'" in response.body


def test_an_unsigned_request_is_routed_by_its_x_amz_target():
    registry = Registry()
    registry.register(
        ServicePlugin(name="sqs", handler_modules=tuple, backend_factory=lambda env: {})
    )
    dispatcher = Dispatcher(registry, State())
    request = Request.build(
        "POST",
        "http://localhost:1/",
        {"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "AmazonSQS.ListQueues"},
        b"{}",
    )
    response = dispatcher.handle(request)
    # routed to the sqs plugin (which has no ListQueues handler), not refused as MissingAction
    assert response.status == 501
    assert "sqs" in json.loads(response.body)["message"]


def test_a_request_runs_alone_even_against_other_accounts_and_regions(monkeypatch):
    """A request may change backends other than its own (a peering accepted, a snapshot
    copied across regions, another service called): while one runs, no other request
    may touch any backend, whatever account or region it is for."""
    import threading

    from cloudmock.core.registry import default_registry

    registry = default_registry()
    dispatcher = Dispatcher(registry, State(Config()), {"ec2"})
    plugin = registry.get("ec2")
    entered, release, second_done = threading.Event(), threading.Event(), threading.Event()
    original = plugin.invoke

    def invoke(ctx, params, validate=None):
        if ctx.account_id == "111111111111":
            entered.set()
            assert release.wait(10)
        return original(ctx, params, validate)

    monkeypatch.setattr(plugin, "invoke", invoke)

    def describe(region: str, account: str) -> None:
        request = Request.build(
            "POST",
            f"https://ec2.{region}.amazonaws.com/",
            {"Authorization": scope_header(region, "ec2", account), **FORM},
            "Action=DescribeVpcs&Version=2016-11-15",
        )
        assert dispatcher.handle(request).status == 200
        if account == "222222222222":
            second_done.set()

    first = threading.Thread(target=describe, args=("eu-west-1", "111111111111"))
    second = threading.Thread(target=describe, args=("us-east-1", "222222222222"))
    first.start()
    assert entered.wait(10)
    second.start()
    try:
        assert not second_done.wait(0.3)  # held while the first request runs
    finally:
        release.set()
    assert second_done.wait(10)
    first.join(10)
    second.join(10)
