"""Whatever bytes arrive, the answer is an AWS-style 4xx in well-formed XML, never a 500."""

from __future__ import annotations

import socket
import xml.etree.ElementTree as ET

import pytest
import requests
from core_helpers import scope_header

import cloudmock
from cloudmock.server import ServerThread


def _error(response: requests.Response) -> tuple[int, str, str]:
    root = ET.fromstring(response.content)  # raises if the body is not well-formed XML
    code = root.findtext(".//Code") or ""
    message = root.findtext(".//Message") or ""
    return response.status_code, code, message


@pytest.mark.parametrize(
    "params, code",
    [
        ({"InstanceId.\u00b2": "i-12345678"}, "UnknownParameter"),  # a digit, but not ASCII
        ({"InstanceId.\u0661": "i-12345678"}, "UnknownParameter"),  # Arabic-Indic one
        ({"InstanceId.0": "i-12345678"}, "UnknownParameter"),  # lists start at 1
        ({"MaxResults": "1_000"}, "InvalidParameterValue"),
        ({"MaxResults": "99999999999999999999"}, "InvalidParameterValue"),
        ({"MaxResults": "\x01"}, "InvalidParameterValue"),
        ({"Foo\x01": "1"}, "UnknownParameter"),
    ],
)
def test_odd_parameters_get_a_clean_4xx(raw_ec2, params, code):
    status, got, message = _error(raw_ec2("DescribeInstances", **params))
    assert (status, got) == (400, code)
    assert message


@pytest.mark.parametrize("start", ["1e20", "inf", "-1e20", "nan"])
def test_timestamps_out_of_range_are_invalid_values(raw_ec2, start):
    status, code, _ = _error(raw_ec2("DescribeSpotPriceHistory", StartTime=start))
    assert (status, code) == (400, "InvalidParameterValue")


def test_an_action_with_a_control_character_is_answered_in_valid_xml(raw_ec2):
    status, code, message = _error(raw_ec2("Describe\x00Instances"))
    assert (status, code) == (400, "InvalidAction")
    assert "Describe" in message


def test_int32_members_refuse_what_does_not_fit(raw_ec2):
    status, code, _ = _error(
        raw_ec2("RunInstances", ImageId="ami-12345678", MinCount=1, MaxCount=2**31)
    )
    assert (status, code) == (400, "InvalidParameterValue")


def test_unsigned_request_naming_no_action_is_missing_action(core_server):
    status, code, _ = _error(requests.get(core_server.url + "/", timeout=10))
    assert (status, code) == (400, "MissingAction")


def _raw_http(port: int, payload: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(payload)
        chunks = []
        while True:
            try:
                chunk = sock.recv(65536)
            except TimeoutError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)


def test_broken_chunked_upload_is_a_400(core_server):
    reply = _raw_http(
        core_server.port,
        b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\n"
        b"Authorization: " + scope_header().encode() + b"\r\nConnection: close\r\n\r\n"
        b"zz\r\nAction=DescribeRegions\r\n0\r\n\r\n",
    )
    assert reply.startswith(b"HTTP/1.1 400"), reply[:200]
    assert b"<Code>MalformedInput</Code>" in reply


def test_a_stopped_server_thread_cannot_be_restarted():
    server = ServerThread()
    server.start()
    server.stop()
    with pytest.raises(RuntimeError, match="make a new one"):
        server.start()


@pytest.mark.parametrize(
    "options",
    [
        {"transition_delay": float("nan")},
        {"instance_limit": 2.9},
        {"instance_limit": True},
        {"status_delay": "true"},
        {"terminated_retention": -1},
    ],
)
def test_ec2_option_values_are_checked_not_coerced(options):
    with pytest.raises(ValueError, match="EC2 option"):
        cloudmock.mock_ec2(**options)
