"""Server mode answers plain HTTP clients that do not sign (curl, test harnesses)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import requests

NS = "{http://ec2.amazonaws.com/doc/2016-11-15/}"


def test_unsigned_form_post_is_answered_by_the_service_that_has_the_action(server):
    server.state.reset()
    reply = requests.post(
        server.url,
        data={"Action": "DescribeAvailabilityZones", "Version": "2016-11-15"},
        timeout=10,
    )
    assert reply.status_code == 200
    zones = ET.fromstring(reply.content).findall(f".//{NS}zoneName")
    # No credential scope and no AWS host: the default region answers.
    assert [z.text for z in zones][:1] == ["us-east-1a"]


def test_unsigned_request_with_unknown_action_is_invalid_action(server):
    reply = requests.post(server.url, data={"Action": "NoSuchThing"}, timeout=10)
    assert reply.status_code == 400
    assert b"<Code>InvalidAction</Code>" in reply.content


def test_unsigned_get_with_the_action_in_the_query_string(server):
    server.state.reset()
    reply = requests.get(
        server.url, params={"Action": "DescribeRegions", "Version": "2016-11-15"}, timeout=10
    )
    assert reply.status_code == 200
    assert len(ET.fromstring(reply.content).findall(f".//{NS}regionName")) >= 34
