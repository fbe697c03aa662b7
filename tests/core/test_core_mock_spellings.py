"""moto's spellings: ``@mock_aws`` and ``@mock_ec2`` without parentheses, on functions
(sync, generator, async) and classes (plain, unittest, pytest)."""

from __future__ import annotations

import asyncio
import unittest

import boto3
import pytest
from core_helpers import AMI

import cloudmock
from cloudmock.core import mock as mock_module


def client():
    return boto3.client("ec2", region_name="eu-west-1")


def launch(count: int = 1) -> list[str]:
    reservation = client().run_instances(ImageId=AMI, MinCount=count, MaxCount=count)
    return [i["InstanceId"] for i in reservation["Instances"]]


def instance_count() -> int:
    return sum(len(r["Instances"]) for r in client().describe_instances()["Reservations"])


@pytest.fixture(autouse=True)
def nothing_left_started():
    yield
    assert mock_module._active == []


@pytest.mark.parametrize("factory", [cloudmock.mock_aws, cloudmock.mock_ec2])
def test_bare_on_a_function(factory):
    @factory
    def work(count: int) -> int:
        launch(count)
        return instance_count()

    assert work(2) == 2
    assert work(3) == 3  # fresh state at each call
    assert work.__name__ == "work"
    assert mock_module._active == []


def test_bare_on_a_generator_stays_active_while_it_runs():
    @cloudmock.mock_ec2
    def ids():
        yield from launch(2)
        yield instance_count()

    assert [len(x) if isinstance(x, str) else x for x in ids()] == [19, 19, 2]


def test_bare_on_a_coroutine():
    @cloudmock.mock_aws
    async def work() -> int:
        await asyncio.sleep(0)
        launch()
        return instance_count()

    assert asyncio.run(work()) == 1


def test_bare_on_a_plain_class():
    seen = []

    @cloudmock.mock_ec2
    class Suite:
        def test_one(self):
            launch()
            seen.append(instance_count())

        def test_two(self):
            launch(2)
            seen.append(instance_count())

        def helper(self):
            return list(mock_module._active)

    suite = Suite()
    suite.test_one()
    suite.test_two()
    assert seen == [1, 2]
    assert suite.helper() == []


def test_bare_on_a_unittest_testcase():
    @cloudmock.mock_aws
    class Case(unittest.TestCase):
        def setUp(self):
            launch()  # inside the test's mock

        def test_a(self):
            self.assertEqual(instance_count(), 1)
            launch()

        def test_b(self):
            self.assertEqual(instance_count(), 1)  # fresh state per test

    result = unittest.TestResult()
    unittest.defaultTestLoader.loadTestsFromTestCase(Case).run(result)
    assert result.testsRun == 2
    assert result.wasSuccessful(), result.errors + result.failures


@cloudmock.mock_ec2
class TestBareOnAPytestClass:
    """Collected and run by pytest itself."""

    def setup_method(self, method):
        self.ids = launch()

    def test_fresh_state_one(self):
        assert instance_count() == 1
        launch()

    def test_fresh_state_two(self):
        assert mock_module._active, "runs inside the mock"
        assert instance_count() == 1


def test_the_other_spellings_still_work():
    @cloudmock.mock_ec2(seed=42)
    def seeded() -> list[str]:
        return launch()

    assert seeded() == seeded()
    with cloudmock.mock_aws() as mock:
        assert isinstance(mock, cloudmock.MockAWS)
    mock = cloudmock.mock_ec2(instance_limit=1)
    mock.start()
    try:
        assert len(launch()) == 1
    finally:
        mock.stop()


def test_a_positional_argument_that_is_no_function_is_refused():
    with pytest.raises(TypeError, match=r"mock_ec2\(\) takes a function or class"):
        cloudmock.mock_ec2("eu-west-1")
