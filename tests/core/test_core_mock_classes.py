"""Decorated classes and functions never let a test reach past the mock."""

from __future__ import annotations

import os
import unittest

import boto3
import pytest

import cloudmock
from cloudmock.core.mock import current_state

AMI = "ami-12345678"


def _launch() -> str:
    ec2 = boto3.client("ec2", region_name="eu-west-1")
    return ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]


def _count() -> int:
    ec2 = boto3.client("ec2", region_name="eu-west-1")
    return sum(len(r["Instances"]) for r in ec2.describe_instances()["Reservations"])


def _mocked() -> bool:
    return os.environ.get("AWS_ACCESS_KEY_ID") == "testing"


class _Base:
    def test_inherited(self):
        assert _mocked()
        _launch()
        assert _count() == 1


def test_inherited_static_and_class_test_methods_run_inside_the_mock():
    @cloudmock.mock_ec2()
    class Tests(_Base):
        @staticmethod
        def test_static():
            assert _mocked()
            return _count()

        @classmethod
        def test_class(cls):
            assert _mocked()
            return _count()

    Tests().test_inherited()
    assert Tests.test_static() == 0  # fresh state: the inherited test's instance is gone
    assert Tests.test_class() == 0
    assert not _mocked()


def test_inherited_setup_method_runs_inside_the_mock():
    class Base:
        def setup_method(self, method):
            self.instance_id = _launch()

    @cloudmock.mock_ec2()
    class Tests(Base):
        def test_it(self):
            assert _count() == 1

    case = Tests()
    case.setup_method(None)
    case.test_it()
    case.teardown_method(None)
    assert not _mocked()


def test_unittest_set_up_class_makes_resources_every_test_sees():
    @cloudmock.mock_ec2()
    class Tests(unittest.TestCase):
        @classmethod
        def setUpClass(cls):
            cls.instance_id = _launch()

        def test_one(self):
            assert _count() == 1

        def test_two(self):
            ec2 = boto3.client("ec2", region_name="eu-west-1")
            ec2.describe_instances(InstanceIds=[self.instance_id])

    result = unittest.TextTestRunner(stream=open(os.devnull, "w")).run(  # noqa: SIM115
        unittest.defaultTestLoader.loadTestsFromTestCase(Tests)
    )
    assert result.wasSuccessful(), result.failures + result.errors
    assert not _mocked()


def test_unittest_tests_without_set_up_class_are_fresh_each():
    @cloudmock.mock_ec2()
    class Tests(unittest.TestCase):
        def test_a(self):
            _launch()
            assert _count() == 1

        def test_b(self):
            _launch()
            assert _count() == 1

    result = unittest.TextTestRunner(stream=open(os.devnull, "w")).run(  # noqa: SIM115
        unittest.defaultTestLoader.loadTestsFromTestCase(Tests)
    )
    assert result.wasSuccessful(), result.failures + result.errors


def test_a_decorated_generator_keeps_the_mock_while_it_runs():
    @cloudmock.mock_ec2()
    def instances():
        yield _launch()
        yield _count()

    steps = instances()
    assert next(steps).startswith("i-")
    assert next(steps) == 1
    assert not list(steps)
    assert not _mocked()


def test_settings_of_a_nested_mock_are_not_silently_ignored():
    with cloudmock.mock_aws():
        with pytest.raises(ValueError, match="outermost"):
            cloudmock.mock_ec2(instance_limit=1).start()
        with pytest.raises(ValueError, match="outermost"):
            cloudmock.mock_ec2(seed=1).start()
        with cloudmock.mock_ec2():  # no settings of its own: fine
            assert _launch()


def test_seed_and_config_together_and_the_callers_config_is_untouched():
    config = cloudmock.Config(services={"ec2": {"instance_limit": 5}})
    with cloudmock.MockAWS({"ec2"}, config=config, seed=42, options={"ec2": {"instance_limit": 7}}):
        assert current_state().config.seed == 42
        assert current_state().config.services["ec2"]["instance_limit"] == 7
    assert config.seed is None
    assert config.services == {"ec2": {"instance_limit": 5}}


def test_service_names_are_checked():
    with pytest.raises(ValueError, match="nope"):
        cloudmock.MockAWS({"nope"})
    assert cloudmock.MockAWS("ec2").services == frozenset({"ec2"})


def test_configured_endpoints_do_not_steer_clients_past_the_mock(monkeypatch):
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("AWS_ENDPOINT_URL_EC2", "http://127.0.0.1:9")
    with cloudmock.mock_ec2():
        assert _launch().startswith("i-")
    assert os.environ["AWS_ENDPOINT_URL_EC2"] == "http://127.0.0.1:9"
    assert "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS" not in os.environ


def test_a_users_own_responses_mock_still_answers_inside_cloudmock():
    import requests
    import responses

    with responses.RequestsMock() as users_mock:
        users_mock.add(responses.GET, "http://127.0.0.1:1/api", body="user-mocked")
        with cloudmock.mock_ec2():
            assert requests.get("http://127.0.0.1:1/api", timeout=5).text == "user-mocked"
            reply = requests.post(
                "https://ec2.us-east-1.amazonaws.com/",
                data={"Action": "DescribeRegions", "Version": "2016-11-15"},
                timeout=5,
            )
            assert reply.status_code == 200
        assert requests.get("http://127.0.0.1:1/api", timeout=5).text == "user-mocked"
