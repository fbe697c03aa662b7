"""The EC2 wire codec: through Ec2Codec with hand-made Requests and through real HTTP."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from urllib.parse import urlencode

import boto3
import pytest
from botocore.exceptions import ClientError
from botocore.model import ServiceModel
from core_helpers import AMI, EC2_NS, scope_header

import cloudmock
from cloudmock.core.errors import (
    InvalidParameterValue,
    MissingParameter,
    ServiceError,
    UnknownParameter,
)
from cloudmock.core.http import Request
from cloudmock.core.plugin import load_service_model
from cloudmock.core.protocols import codec_for
from cloudmock.core.protocols.ec2 import Ec2Codec, format_timestamp
from cloudmock.core.registry import default_registry

ISO_MS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
NS = {"ec2": EC2_NS}


@pytest.fixture(scope="module")
def model() -> ServiceModel:
    return load_service_model("ec2")


@pytest.fixture(scope="module")
def codec(model: ServiceModel) -> Ec2Codec:
    return Ec2Codec(model)


def form_request(params: dict[str, str] | list[tuple[str, str]]) -> Request:
    return Request.build(
        "POST",
        "https://ec2.eu-west-1.amazonaws.com/",
        {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
        urlencode(params),
    )


def parse(codec: Ec2Codec, model: ServiceModel, operation: str, **params: str):
    return codec.parse(
        form_request({"Action": operation, "Version": "2016-11-15", **params}),
        model.operation_model(operation),
    )


# ------------------------------------------------------------------ parsing, by hand


def test_codec_for_ec2_model_is_cached_ec2_codec(model):
    assert isinstance(codec_for(model), Ec2Codec)
    assert codec_for(model) is codec_for(model)


def test_operation_name_comes_from_action(codec):
    assert (
        codec.operation_name(form_request({"Action": "DescribeRegions", "Version": "2016-11-15"}))
        == "DescribeRegions"
    )
    assert codec.operation_name(form_request({"Version": "2016-11-15"})) is None


def test_capitalised_location_names_and_lists(codec, model):
    params = parse(
        codec,
        model,
        "RunInstances",
        ImageId=AMI,
        MinCount="1",
        MaxCount="3",
        **{"SecurityGroupId.1": "sg-1", "SecurityGroupId.2": "sg-2"},
        EbsOptimized="true",  # locationName ebsOptimized, capitalised on the wire
        DryRun="false",
    )
    assert params == {
        "ImageId": AMI,
        "MinCount": 1,
        "MaxCount": 3,
        "SecurityGroupIds": ["sg-1", "sg-2"],
        "EbsOptimized": True,
        "DryRun": False,
    }


def test_list_indices_are_ordered_numerically_not_lexically(codec, model):
    params = parse(
        codec,
        model,
        "DescribeInstances",
        **{"InstanceId.10": "i-c", "InstanceId.2": "i-b", "InstanceId.1": "i-a"},
    )
    assert params == {"InstanceIds": ["i-a", "i-b", "i-c"]}


def test_bare_name_without_index_is_a_one_element_list(codec, model):
    assert parse(codec, model, "DescribeInstances", InstanceId="i-a") == {"InstanceIds": ["i-a"]}


def test_nested_structures_and_lists_of_structures(codec, model):
    params = parse(
        codec,
        model,
        "RunInstances",
        ImageId=AMI,
        MinCount="1",
        MaxCount="1",
        **{
            "Placement.AvailabilityZone": "eu-west-1b",
            "Monitoring.Enabled": "true",
            "TagSpecification.1.ResourceType": "instance",
            "TagSpecification.1.Tag.1.Key": "Name",
            "TagSpecification.1.Tag.1.Value": "web",
            "TagSpecification.1.Tag.2.Key": "env",
            "TagSpecification.1.Tag.2.Value": "",
            "BlockDeviceMapping.1.DeviceName": "/dev/sda1",
            "BlockDeviceMapping.1.Ebs.VolumeSize": "30",
            "BlockDeviceMapping.1.Ebs.DeleteOnTermination": "false",
        },
    )
    assert params["Placement"] == {"AvailabilityZone": "eu-west-1b"}
    assert params["Monitoring"] == {"Enabled": True}
    assert params["TagSpecifications"] == [
        {
            "ResourceType": "instance",
            "Tags": [{"Key": "Name", "Value": "web"}, {"Key": "env", "Value": ""}],
        }
    ]
    assert params["BlockDeviceMappings"] == [
        {"DeviceName": "/dev/sda1", "Ebs": {"VolumeSize": 30, "DeleteOnTermination": False}}
    ]


def test_filters_with_value_lists(codec, model):
    params = parse(
        codec,
        model,
        "DescribeInstances",
        **{
            "Filter.1.Name": "instance-state-name",
            "Filter.1.Value.1": "running",
            "Filter.1.Value.2": "pending",
            "MaxResults": "5",
        },
    )
    assert params == {
        "Filters": [{"Name": "instance-state-name", "Values": ["running", "pending"]}],
        "MaxResults": 5,
    }


@pytest.mark.parametrize(
    "raw", ["2024-03-01T12:30:00Z", "2024-03-01T12:30:00.000Z", "2024-03-01T12:30:00+00:00"]
)
def test_timestamps_iso8601(codec, model, raw):
    params = parse(codec, model, "DescribeSpotPriceHistory", StartTime=raw)
    assert params["StartTime"] == datetime(2024, 3, 1, 12, 30, tzinfo=timezone.utc)


def test_timestamps_epoch_seconds(codec, model):
    params = parse(codec, model, "DescribeSpotPriceHistory", StartTime="1709296200")
    assert params["StartTime"] == datetime(2024, 3, 1, 12, 30, tzinfo=timezone.utc)


@pytest.mark.parametrize("raw,expected", [("true", True), ("TRUE", True), ("false", False)])
def test_booleans(codec, model, raw, expected):
    assert parse(codec, model, "DescribeInstances", DryRun=raw) == {"DryRun": expected}


def test_protocol_keys_are_not_parameters(codec, model):
    params = parse(
        codec,
        model,
        "DescribeRegions",
        AWSAccessKeyId="AKID",
        SignatureVersion="2",
        Timestamp="2024-01-01T00:00:00Z",
        **{"X-Amz-Date": "20240101T000000Z"},
    )
    assert params == {}


@pytest.mark.parametrize(
    "operation,params,error,fragment",
    [
        ("RunInstances", {"ImageId": AMI, "MaxCount": "1"}, MissingParameter, "MinCount"),
        ("RunInstances", {"MinCount": "x", "MaxCount": "1"}, InvalidParameterValue, "MinCount"),
        (
            "RunInstances",
            {"MinCount": "1", "MaxCount": "1", "InstanceType": "t9.enormous"},
            InvalidParameterValue,
            "t9.enormous",
        ),
        ("DescribeInstances", {"DryRun": "yes"}, InvalidParameterValue, "DryRun"),
        ("DescribeInstances", {"NoSuchThing": "1"}, UnknownParameter, "NoSuchThing"),
        ("DescribeInstances", {"Filter.1.Bogus": "1"}, UnknownParameter, "Filter.1.Bogus"),
        ("DescribeInstances", {"InstanceId.x": "i-1"}, UnknownParameter, "InstanceId.x"),
        (
            "DescribeSpotPriceHistory",
            {"StartTime": "last tuesday"},
            InvalidParameterValue,
            "StartTime",
        ),
        (
            "RunInstances",
            {"MinCount": "1", "MaxCount": "1", "Monitoring.Bogus": "1"},
            UnknownParameter,
            "Monitoring.Bogus",
        ),
        (
            "RunInstances",
            {"MinCount": "1", "MaxCount": "1", "CreditSpecification.X": "1"},
            UnknownParameter,
            "CreditSpecification.X",
        ),
        (
            "RunInstances",
            {"MinCount": "1", "MaxCount": "1", "ElasticGpuSpecification.1.Count": "1"},
            UnknownParameter,
            "ElasticGpuSpecification.1.Count",
        ),
        (
            "RunInstances",
            {"MinCount": "1", "MaxCount": "1", "Monitoring.Enabled": "true", "Placement": "x"},
            InvalidParameterValue,
            "Placement",
        ),
    ],
)
def test_validation_errors(codec, model, operation, params, error, fragment):
    with pytest.raises(error) as caught:
        parse(codec, model, operation, **params)
    assert fragment in caught.value.message
    assert caught.value.status == 400


def test_nested_required_member(codec, model):
    with pytest.raises(MissingParameter) as caught:
        parse(
            codec,
            model,
            "RunInstances",
            MinCount="1",
            MaxCount="1",
            **{"ElasticInferenceAccelerator.1.Count": "1"},
        )
    assert "ElasticInferenceAccelerator.1.Type" in caught.value.message


def test_parameters_for_an_operation_without_input_are_unknown(codec):
    tiny = ServiceModel(
        {
            "metadata": {"protocol": "ec2", "apiVersion": "1", "xmlNamespace": "urn:x"},
            "operations": {"Ping": {"name": "Ping", "http": {"method": "POST"}}},
            "shapes": {},
        },
        service_name="tiny",
    )
    tiny_codec = Ec2Codec(tiny)
    operation = tiny.operation_model("Ping")
    assert tiny_codec.parse(form_request({"Action": "Ping"}), operation) == {}
    with pytest.raises(UnknownParameter):
        tiny_codec.parse(form_request({"Action": "Ping", "Extra": "1"}), operation)


# A hand-made model for what the EC2 model itself does not use: queryName, maps, recursion.
CUSTOM = {
    "metadata": {
        "protocol": "ec2",
        "apiVersion": "2020-01-01",
        "xmlNamespace": "http://custom.example/doc/2020-01-01/",
    },
    "operations": {
        "Put": {
            "name": "Put",
            "http": {"method": "POST", "requestUri": "/"},
            "input": {"shape": "PutRequest"},
            "output": {"shape": "PutResult"},
        }
    },
    "shapes": {
        "PutRequest": {
            "type": "structure",
            "required": ["Token"],
            "members": {
                "Token": {"shape": "S", "locationName": "token", "queryName": "ClientToken"},
                "Attrs": {"shape": "AttrMap", "locationName": "attr"},
                "Tree": {"shape": "Node"},
                "Ratio": {"shape": "D"},
                "Blob": {"shape": "B"},
            },
        },
        "Node": {
            "type": "structure",
            "members": {
                "Label": {"shape": "S"},
                "Children": {"shape": "NodeList", "locationName": "child"},
            },
        },
        "NodeList": {"type": "list", "member": {"shape": "Node", "locationName": "item"}},
        "AttrMap": {
            "type": "map",
            "key": {"shape": "S", "locationName": "Name"},
            "value": {"shape": "S", "locationName": "Content"},
        },
        "PutResult": {
            "type": "structure",
            "members": {
                "Flag": {"shape": "Bool", "locationName": "flag"},
                "Items": {"shape": "NodeList", "locationName": "itemSet"},
                "Attrs": {"shape": "AttrMap", "locationName": "attrs"},
                "Note": {"shape": "S", "locationName": "note"},
            },
        },
        "S": {"type": "string"},
        "D": {"type": "double"},
        "B": {"type": "blob"},
        "Bool": {"type": "boolean"},
    },
}


@pytest.fixture(scope="module")
def custom() -> tuple[Ec2Codec, object]:
    model = ServiceModel(CUSTOM, service_name="custom")
    return Ec2Codec(model), model.operation_model("Put")


def test_query_name_wins_over_location_name(custom):
    codec, operation = custom
    assert codec.parse(form_request({"ClientToken": "t"}), operation) == {"Token": "t"}
    with pytest.raises(UnknownParameter):
        codec.parse(form_request({"ClientToken": "t", "Token": "t"}), operation)
    with pytest.raises(MissingParameter) as caught:
        codec.parse(form_request({"Ratio": "0.5"}), operation)
    assert "ClientToken" in caught.value.message


def test_maps_recursion_doubles_and_blobs(custom):
    codec, operation = custom
    params = codec.parse(
        form_request(
            {
                "ClientToken": "t",
                "Attr.1.Name": "a",
                "Attr.1.Content": "1",
                "Attr.2.Name": "b",
                "Tree.Label": "root",
                "Tree.Child.1.Label": "leaf",
                "Tree.Child.1.Child.1.Label": "deeper",
                "Ratio": "0.25",
                "Blob": "aGVsbG8=",
            }
        ),
        operation,
    )
    assert params == {
        "Token": "t",
        "Attrs": {"a": "1", "b": ""},
        "Tree": {
            "Label": "root",
            "Children": [{"Label": "leaf", "Children": [{"Label": "deeper"}]}],
        },
        "Ratio": 0.25,
        "Blob": b"hello",
    }
    with pytest.raises(InvalidParameterValue):
        codec.parse(form_request({"ClientToken": "t", "Blob": "not base64!"}), operation)
    with pytest.raises(InvalidParameterValue):
        codec.parse(form_request({"ClientToken": "t", "Ratio": "half"}), operation)


# -------------------------------------------------------------- serializing, by hand


def test_serialize_shape(custom):
    codec, operation = custom
    response = codec.serialize(
        {
            "Flag": False,
            "Items": [{"Label": "a<&>"}, {"Label": "b", "Children": []}],
            "Attrs": {"k": "v"},
        },
        operation,
        "req-1",
    )
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/xml")
    root = ET.fromstring(response.body)
    ns = {"c": "http://custom.example/doc/2020-01-01/"}
    assert root.tag == "{http://custom.example/doc/2020-01-01/}PutResponse"
    assert root.find("c:requestId", ns).text == "req-1"
    assert root.find("c:flag", ns).text == "false"
    labels = [e.text for e in root.findall("c:itemSet/c:item/c:Label", ns)]
    assert labels == ["a<&>", "b"]
    # an empty list is an empty element; a missing member (Note) is left out
    assert root.find("c:itemSet/c:item[2]/c:child", ns) is not None
    assert len(root.find("c:itemSet/c:item[2]/c:child", ns)) == 0
    assert root.find("c:note", ns) is None
    entry = root.find("c:attrs/c:entry", ns)
    assert entry.find("c:Name", ns).text == "k"
    assert entry.find("c:Content", ns).text == "v"


def test_serialize_ec2_output_names_and_timestamps(codec, model):
    launched = datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=timezone.utc)
    response = codec.serialize(
        {
            "Reservations": [
                {
                    "ReservationId": "r-1",
                    "Instances": [
                        {"InstanceId": "i-1", "LaunchTime": launched, "EbsOptimized": True}
                    ],
                }
            ]
        },
        model.operation_model("DescribeInstances"),
        "rid",
    )
    root = ET.fromstring(response.body)
    assert root.tag == f"{{{EC2_NS}}}DescribeInstancesResponse"
    item = root.find("ec2:reservationSet/ec2:item/ec2:instancesSet/ec2:item", NS)
    assert item.find("ec2:instanceId", NS).text == "i-1"
    assert item.find("ec2:launchTime", NS).text == "2024-05-06T07:08:09.123Z"
    assert item.find("ec2:ebsOptimized", NS).text == "true"


def test_format_timestamp_converts_to_utc_with_milliseconds():
    from datetime import timedelta

    local = datetime(2024, 1, 1, 2, 0, 0, 5000, tzinfo=timezone(timedelta(hours=2)))
    assert format_timestamp(local) == "2024-01-01T00:00:00.005Z"


def test_format_timestamp_writes_a_four_digit_year_and_truncates_to_milliseconds():
    early = datetime(999, 12, 31, 23, 59, 59, 999999, tzinfo=timezone.utc)
    assert format_timestamp(early) == "0999-12-31T23:59:59.999Z"


def test_serialize_operation_without_output_returns_true(codec, model):
    response = codec.serialize(None, model.operation_model("RebootInstances"), "rid")
    root = ET.fromstring(response.body)
    assert root.find("ec2:return", NS).text == "true"
    assert root.find("ec2:requestId", NS).text == "rid"


def test_serialize_error_body(codec):
    response = codec.serialize_error(ServiceError("bad <thing>", code="Oops", status=409), "rid")
    assert response.status == 409
    root = ET.fromstring(response.body)
    assert root.tag == "Response"
    assert root.find("Errors/Error/Code").text == "Oops"
    assert root.find("Errors/Error/Message").text == "bad <thing>"
    assert root.find("RequestID").text == "rid"


# -------------------------------------------------------------------- through HTTP


def error_of(response) -> tuple[str, str]:
    root = ET.fromstring(response.content)
    assert root.tag == "Response"
    assert root.find("RequestID").text
    return root.find("Errors/Error/Code").text, root.find("Errors/Error/Message").text


def test_http_output_shape(raw_ec2):
    response = raw_ec2("DescribeRegions", **{"RegionName.1": "eu-west-1"})
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    assert root.tag == f"{{{EC2_NS}}}DescribeRegionsResponse"
    assert re.fullmatch(r"[0-9a-f-]{36}", root.find("ec2:requestId", NS).text)
    names = [e.text for e in root.findall("ec2:regionInfo/ec2:item/ec2:regionName", NS)]
    assert names == ["eu-west-1"]


def test_http_launch_time_is_iso8601_with_milliseconds(raw_ec2):
    response = raw_ec2("RunInstances", ImageId=AMI, MinCount=1, MaxCount=1)
    assert response.status_code == 200, response.text
    root = ET.fromstring(response.content)
    item = root.find("ec2:instancesSet/ec2:item", NS)
    assert item.find("ec2:instanceId", NS).text.startswith("i-")
    assert ISO_MS.match(item.find("ec2:launchTime", NS).text)


@pytest.mark.parametrize(
    "params,code,fragment",
    [
        ({"ImageId": AMI, "MaxCount": 1}, "MissingParameter", "MinCount"),
        ({"ImageId": AMI, "MinCount": 1, "MaxCount": "two"}, "InvalidParameterValue", "MaxCount"),
        (
            {"ImageId": AMI, "MinCount": 1, "MaxCount": 1, "InstanceType": "m0.nano"},
            "InvalidParameterValue",
            "m0.nano",
        ),
        (
            {"ImageId": AMI, "MinCount": 1, "MaxCount": 1, "Frobnicate": "yes"},
            "UnknownParameter",
            "Frobnicate",
        ),
        (
            {"ImageId": AMI, "MinCount": 1, "MaxCount": 1, "EbsOptimized": "maybe"},
            "InvalidParameterValue",
            "EbsOptimized",
        ),
    ],
)
def test_http_validation_happens_before_any_handler(raw_ec2, core_server, params, code, fragment):
    response = raw_ec2("RunInstances", **params)
    assert response.status_code == 400
    got_code, message = error_of(response)
    assert got_code == code
    assert fragment in message
    # No handler ran: the backend of the region was never even created.
    assert core_server.state.dump() == {}


def test_http_unknown_action(raw_ec2, core_server):
    response = raw_ec2("DescribeUnicorns")
    assert response.status_code == 400
    code, message = error_of(response)
    assert code == "InvalidAction"
    assert "DescribeUnicorns" in message
    assert core_server.state.dump() == {}


def test_http_missing_action(raw_ec2):
    response = raw_ec2(None)
    assert response.status_code == 400
    assert error_of(response)[0] == "MissingAction"


def test_http_query_string_parameters(core_server):
    response = __import__("requests").get(
        core_server.url + "/?Action=DescribeRegions&Version=2016-11-15&RegionName.1=us-east-1",
        headers={"Authorization": scope_header()},
        timeout=10,
    )
    assert response.status_code == 200
    assert b"<regionName>us-east-1</regionName>" in response.content


# ----------------------------------------------------- operations without a handler


def _unimplemented_operation() -> str:
    plugin = default_registry().get("ec2")
    for name in (
        "DescribeIpams",
        "DescribeLocalGateways",
        "DescribeRouteServers",
    ):
        if name not in plugin.handlers:
            return name
    pytest.skip("every candidate operation has been implemented")


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def test_unimplemented_operation_is_a_501_that_botocore_does_not_retry():
    operation = _unimplemented_operation()
    with cloudmock.mock_ec2():
        ec2 = boto3.client("ec2", region_name="eu-west-1")
        with pytest.raises(ClientError) as caught:
            getattr(ec2, _snake(operation))()
    error = caught.value.response
    assert error["Error"]["Code"] == "NotImplemented"
    assert "ec2" in error["Error"]["Message"]
    assert operation in error["Error"]["Message"]
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 501
    assert error["ResponseMetadata"]["RetryAttempts"] == 0


def test_unimplemented_operation_over_http(raw_ec2):
    operation = _unimplemented_operation()
    response = raw_ec2(operation)
    assert response.status_code == 501
    code, message = error_of(response)
    assert code == "NotImplemented"
    assert operation in message


def test_bad_enum_through_boto3_reaches_the_codec():
    """botocore does not check enums client-side; cloudmock must."""
    with cloudmock.mock_ec2():
        ec2 = boto3.client("ec2", region_name="eu-west-1")
        with pytest.raises(ClientError) as caught:
            ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=1, InstanceType="x9.huge")
        assert ec2.describe_instances()["Reservations"] == []
    assert caught.value.response["Error"]["Code"] == "InvalidParameterValue"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_a_json_value_header_nested_past_the_parsers_depth_is_a_bad_value() -> None:
    import base64

    from cloudmock.core.protocols.values import BadValue, parse_json_value

    assert parse_json_value(base64.b64encode(b'{"a": [1]}').decode()) == {"a": [1]}
    with pytest.raises(BadValue, match="nested too deeply"):
        parse_json_value(base64.b64encode(b"[" * 5000).decode())
