"""Frozen results: catalogue entries a codec writes once and answers again."""

from __future__ import annotations

import copy
import pickle

import botocore.session
import pytest

from cloudmock.core.protocols.ec2 import Ec2Codec
from cloudmock.plugin_api import Frozen


def test_a_frozen_result_refuses_every_change_and_copies_as_itself():
    region = Frozen(RegionName="eu-west-1", Endpoint="ec2.eu-west-1.amazonaws.com")
    for change in (
        lambda: region.__setitem__("RegionName", "x"),
        lambda: region.update(RegionName="x"),
        lambda: region.pop("RegionName"),
        lambda: region.setdefault("OptInStatus", "x"),
        lambda: region.clear(),
        lambda: region.__delitem__("Endpoint"),
    ):
        with pytest.raises(TypeError):
            change()
    assert region == {"RegionName": "eu-west-1", "Endpoint": "ec2.eu-west-1.amazonaws.com"}
    for twin in (copy.deepcopy(region), pickle.loads(pickle.dumps(region)), copy.copy(region)):
        assert type(twin) is Frozen and twin == region
    assert {**region, "OptInStatus": "x"}["OptInStatus"] == "x"  # varied through a copy


def test_the_xml_writer_answers_a_frozen_item_from_what_it_made_before():
    model = botocore.session.get_session().get_service_model("ec2")
    codec = Ec2Codec(model)
    operation = model.operation_model("DescribeRegions")
    frozen = Frozen(RegionName="a&b", Endpoint="e", OptInStatus="opt-in-not-required")
    plain = dict(frozen)

    def body(region: dict[str, str]) -> bytes:
        response = codec.serialize({"Regions": [region, region]}, operation, "id")
        return response.body

    first = body(frozen)
    assert first == body(plain)  # the same XML as the same values unfrozen
    assert frozen.made  # and it was kept
    assert body(frozen) == first
    assert b"<regionName>a&amp;b</regionName>" in first


def test_a_frozen_structure_member_is_written_once_too():
    model = botocore.session.get_session().get_service_model("ec2")
    codec = Ec2Codec(model)
    operation = model.operation_model("DescribeInstances")
    options = Frozen(HttpTokens="required", HttpEndpoint="enabled", HttpPutResponseHopLimit=2)

    def body(metadata: dict[str, object]) -> bytes:
        instances = [{"InstanceId": f"i-{n}", "MetadataOptions": metadata} for n in range(2)]
        result = {"Reservations": [{"ReservationId": "r-1", "Instances": instances}]}
        return codec.serialize(result, operation, "id").body

    first = body(options)
    assert first == body(dict(options))
    assert options.made
    assert body(options) == first
    assert first.count(b"<httpPutResponseHopLimit>2</httpPutResponseHopLimit>") == 2
