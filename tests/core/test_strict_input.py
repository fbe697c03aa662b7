"""Strict protocol input: what AWS refuses up front is refused here too, with AWS's code,
an AWS-shaped body and a 4xx, in both modes (patched in-process and the server).

Query and EC2 requests must use GET or POST, carry the service's ``Version`` and name
each parameter once; numbers of any size are read without a 500; the JSON protocols
answer an unreadable body with ``SerializationException``.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

import pytest
import requests
from core_helpers import AMI, VERSION, scope_header

from cloudmock.core.errors import ServiceError
from cloudmock.core.http import Request
from cloudmock.core.protocols import codec_for
from cloudmock.core.protocols.services import model_of

HUGE = "9" * 4301  # past Python's int-string limit
Send = Callable[..., requests.Response]


@pytest.fixture
def send(env: Any, request: pytest.FixtureRequest) -> Send:
    """A raw request to a service: to its AWS host (answered in-process) when patched,
    to the server with a SigV4 scope naming the service when not."""

    def call(
        service: str = "ec2",
        method: str = "POST",
        *,
        data: str | bytes | None = None,
        query: str = "",
        headers: dict[str, str] | None = None,
    ) -> requests.Response:
        headers = dict(headers or {})
        if env.mode == "patched":
            base = f"https://{service}.eu-west-1.amazonaws.com"
        else:
            base = request.getfixturevalue("server").url
            headers.setdefault("Authorization", scope_header(service=service))
        if data is not None and "Content-Type" not in headers:
            headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8"
        url = f"{base}/?{query}" if query else f"{base}/"
        return requests.request(method, url, data=data, headers=headers, timeout=30)

    return call


def xml_error(response: requests.Response) -> tuple[int, str, str]:
    root = ET.fromstring(response.content)  # raises if the body is not well-formed XML
    texts = {element.tag.rpartition("}")[2]: element.text or "" for element in root.iter()}
    return response.status_code, texts.get("Code", ""), texts.get("Message", "")


def json_error(response: requests.Response) -> tuple[int, str, str]:
    document = json.loads(response.content)
    code = document.get("__type", "").rpartition("#")[2]
    return response.status_code, code, document.get("message") or document.get("Message") or ""


def form(**params: object) -> str:
    return "&".join(f"{k}={v}" for k, v in params.items())


# ----------------------------------------------------------------------------- Version


def test_ec2_without_version_is_missing_parameter(send: Send) -> None:
    status, code, message = xml_error(send(data=form(Action="DescribeRegions")))
    assert (status, code) == (400, "MissingParameter")
    assert "Version" in message


def test_ec2_with_an_unknown_version_is_no_such_version(send: Send) -> None:
    reply = send(data=form(Action="DescribeRegions", Version="1999-01-01"))
    status, code, message = xml_error(reply)
    assert (status, code) == (400, "NoSuchVersion")
    assert message == "The requested version (1999-01-01) of service AmazonEC2 does not exist"
    assert reply.content.startswith(b"<?xml") and b"<Response><Errors>" in reply.content
    # the versions clients send are answered, as a GET too: boto 2 sends 2014-10-01,
    # which EC2 still answers (botocore has a model of it)
    for version in ("2014-10-01", VERSION):
        assert send(data=form(Action="DescribeRegions", Version=version)).status_code == 200
        assert send("ec2", "GET", query=form(Action="DescribeRegions", Version=version)).ok


@pytest.mark.parametrize(
    "service, action, version, label",
    [
        ("iam", "ListPolicies", "2010-05-08", "IAM"),
        ("sts", "GetCallerIdentity", "2011-06-15", "AWSSTS"),
    ],
)
def test_query_services_check_version_too(
    send: Send, service: str, action: str, version: str, label: str
) -> None:
    status, code, _ = xml_error(send(service, data=form(Action=action)))
    assert (status, code) == (400, "MissingParameter")
    status, code, message = xml_error(send(service, data=form(Action=action, Version="2999-01-01")))
    assert (status, code) == (400, "NoSuchVersion")
    assert f"of service {label} does not exist" in message
    assert send(service, data=form(Action=action, Version=version)).status_code == 200


# ----------------------------------------------------------------------------- methods


@pytest.mark.parametrize("method", ["DELETE", "PUT", "PATCH", "OPTIONS"])
def test_only_get_and_post_reach_an_action(send: Send, method: str) -> None:
    reply = send(method=method, query=form(Action="DescribeRegions", Version=VERSION))
    status, code, message = xml_error(reply)
    assert (status, code) == (405, "MethodNotAllowed")
    assert method in message
    assert reply.headers["Allow"] == "GET, POST"


def test_head_runs_no_action(send: Send, env: Any) -> None:
    reply = send(method="HEAD", query=form(Action="RunInstances", Version=VERSION, ImageId=AMI))
    assert reply.status_code == 405
    assert env.client().describe_instances()["Reservations"] == []


def test_a_refused_method_runs_nothing(send: Send, env: Any) -> None:
    query = form(Action="RunInstances", Version=VERSION, ImageId=AMI, MinCount=1, MaxCount=1)
    assert send(method="DELETE", query=query).status_code == 405
    assert env.client().describe_instances()["Reservations"] == []


# -------------------------------------------------------------------- repeated names


@pytest.mark.parametrize(
    "body, name",
    [
        ("Action=DescribeRegions&Action=DescribeVpcs", "Action"),
        (f"Action=RunInstances&ImageId={AMI}&MinCount=1&MinCount=5&MaxCount=5", "MinCount"),
        (
            "Action=DescribeVpcs&Filter.1.Name=vpc-id&Filter.1.Name=cidr&Filter.1.Value.1=x",
            "Filter.1.Name",
        ),
        ("Action=DescribeRegions&Version=2016-11-15", "Version"),
    ],
)
def test_a_parameter_given_twice_is_refused_not_guessed(send: Send, body: str, name: str) -> None:
    status, code, message = xml_error(send(data=f"{body}&Version={VERSION}"))
    assert (status, code) == (400, "InvalidParameterValue")
    assert f"The parameter {name} is given more than once" in message


def test_a_name_in_both_query_string_and_body_is_given_twice(send: Send, env: Any) -> None:
    reply = send(
        query="Action=DescribeRegions",
        data=form(Action="RunInstances", Version=VERSION, ImageId=AMI, MinCount=1, MaxCount=1),
    )
    assert xml_error(reply)[:2] == (400, "InvalidParameterValue")
    assert env.client().describe_instances()["Reservations"] == []


# --------------------------------------------------------------------- numbers, any size


@pytest.mark.parametrize(
    "params, path",
    [
        ({"MaxResults": HUGE}, "MaxResults"),
        ({"MaxResults": "-" + HUGE}, "MaxResults"),
        ({f"Filter.{HUGE}.Name": "vpc-id"}, "Filter"),
        ({f"InstanceId.{HUGE}": "i-12345678"}, "InstanceId"),
    ],
)
def test_integers_of_any_size_are_invalid_values(send: Send, params: dict, path: str) -> None:
    body = form(Action="DescribeInstances", Version=VERSION, **params)
    status, code, message = xml_error(send(data=body))
    assert (status, code) == (400, "InvalidParameterValue")
    assert path in message and "out of range" in message
    assert len(message) < 300  # the input is not echoed whole


def test_a_parameter_name_of_any_length_is_not_echoed_whole(send: Send) -> None:
    body = form(Action="DescribeInstances", Version=VERSION, **{"X" * 100_000: "1"})
    status, code, message = xml_error(send(data=body))
    assert (status, code) == (400, "UnknownParameter")
    assert len(message) < 300


def test_run_instances_counts_of_any_size(send: Send) -> None:
    for count in (HUGE, "4294967296", "0" * 5000 + "1x"):
        body = form(Action="RunInstances", Version=VERSION, ImageId=AMI, MinCount=count, MaxCount=1)
        status, code, _ = xml_error(send(data=body))
        assert (status, code) == (400, "InvalidParameterValue")


def test_leading_zeros_do_not_make_a_number_big(send: Send) -> None:
    body = form(Action="DescribeInstances", Version=VERSION, MaxResults="0" * 5000 + "5")
    assert send(data=body).status_code == 200
    # and a long run of them before a stray character is read once, not once per zero
    body = form(Action="DescribeInstances", Version=VERSION, MaxResults="0" * 50_000 + "x")
    assert xml_error(send(data=body))[:2] == (400, "InvalidParameterValue")


@pytest.mark.parametrize("value", ["1e400", "-1e400", "9" * 400])
def test_doubles_beyond_a_double_are_invalid_values(send: Send, value: str) -> None:
    # float() makes these infinite rather than failing: no member takes an infinite weight
    body = form(
        Action="CreateFleet",
        Version=VERSION,
        **{"LaunchTemplateConfigs.1.Overrides.1.WeightedCapacity": value},
    )
    status, code, message = xml_error(send(data=body))
    assert (status, code) == (400, "InvalidParameterValue")
    assert "WeightedCapacity is out of range" in message


def test_query_protocol_integers_of_any_size(send: Send) -> None:
    # IAM is the query protocol: the same parse, its own error document
    body = form(Action="ListPolicies", Version="2010-05-08", MaxItems=HUGE)
    reply = send("iam", data=body)
    status, code, _ = xml_error(reply)
    assert status == 400 and code in ("InvalidParameterValue", "ValidationError")
    assert b"<ErrorResponse" in reply.content


def test_boto3_with_validation_off_gets_a_400_for_a_huge_count(env: Any) -> None:
    from botocore.config import Config
    from botocore.exceptions import ClientError

    ec2 = env.client(config=Config(parameter_validation=False))
    with pytest.raises(ClientError) as caught:
        ec2.run_instances(ImageId=AMI, MinCount=HUGE, MaxCount=1)
    error = caught.value.response["Error"]
    assert error["Code"] == "InvalidParameterValue"
    assert "MinCount is out of range" in error["Message"]
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


# ---------------------------------------------------------------------- JSON protocol


def ssm(send: Send, body: bytes | str) -> requests.Response:
    headers = {
        "X-Amz-Target": "AmazonSSM.GetParameters",
        "Content-Type": "application/x-amz-json-1.1",
    }
    return send("ssm", data=body, headers=headers)


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_json_calls_are_posts(send: Send, env: Any, method: str) -> None:
    headers = {
        "X-Amz-Target": "AmazonSSM.PutParameter",
        "Content-Type": "application/x-amz-json-1.1",
    }
    body = json.dumps({"Name": "p", "Value": "v", "Type": "String"})
    status, code, message = json_error(send("ssm", method, data=body, headers=headers))
    assert (status, code) == (405, "UnknownOperationException")
    assert method in message
    assert env.client("ssm").describe_parameters()["Parameters"] == []


def test_json_nested_past_the_recursion_limit_is_a_serialization_exception(send: Send) -> None:
    # the other unreadable bodies (bad UTF-8, >4,300-digit numbers, not an object) were
    # already SerializationException; this one was a 500
    status, code, message = json_error(ssm(send, "[" * 100_000 + "]" * 100_000))
    assert (status, code) == (400, "SerializationException")
    assert "nested too deeply" in message


# ------------------------------------------------ the other protocols, codec by codec
# (no mocked service speaks rest-json or rpc-v2-cbor, or has a JSON double: botocore's
# models of services that do are read by the same codecs)


def codec_error(service: str, operation: str, request: Request) -> ServiceError:
    model = model_of(service)
    assert model is not None
    with pytest.raises(ServiceError) as caught:
        codec_for(model, request).parse(request, model.operation_model(operation))
    return caught.value


@pytest.mark.parametrize("number", ["1e400", "-1e400", "1" + "0" * 400])
def test_json_doubles_beyond_a_double_are_serialization_exceptions(number: str) -> None:
    body = '{"TargetTrackingScalingPolicyConfiguration": {"TargetValue": ' + number + "}}"
    headers = {"x-amz-target": "AnyScaleFrontendService.PutScalingPolicy"}
    request = Request.build("POST", "https://autoscaling.amazonaws.com/", headers, body)
    error = codec_error("application-autoscaling", "PutScalingPolicy", request)
    assert (error.status, error.code) == (400, "SerializationException")
    assert "targetValue" in error.message


@pytest.mark.parametrize("count", [HUGE, "-" + HUGE])
def test_rest_integers_of_any_size_are_serialization_exceptions(count: str) -> None:
    url = f"https://lambda.eu-west-1.amazonaws.com/2015-03-31/functions/?MaxItems={count}"
    error = codec_error("lambda", "ListFunctions", Request.build("GET", url, {}, b""))
    assert (error.status, error.code) == (400, "SerializationException")
    assert "MaxItems" in error.message and len(error.message) < 300


def test_cbor_nested_past_the_recursion_limit_is_a_serialization_exception() -> None:
    headers = {"smithy-protocol": "rpc-v2-cbor", "content-type": "application/cbor"}
    body = b"\x81" * 100_000 + b"\x00"  # an array holding an array ... 100,000 deep
    url = "https://acm-pca.eu-west-1.amazonaws.com/service/ACMPrivateCA/operation/ListTags"
    error = codec_error("acm-pca", "ListTags", Request.build("POST", url, headers, body))
    assert (error.status, error.code) == (400, "SerializationException")


def test_cbor_calls_are_posts() -> None:
    model = model_of("acm-pca")
    assert model is not None
    headers = {"smithy-protocol": "rpc-v2-cbor"}
    url = "https://acm-pca.eu-west-1.amazonaws.com/service/ACMPrivateCA/operation/ListTags"
    request = Request.build("GET", url, headers, b"")
    with pytest.raises(ServiceError) as caught:
        codec_for(model, request).operation_name(request)
    assert (caught.value.status, caught.value.code) == (405, "UnknownOperationException")
