"""mock_ec2 / mock_aws: decorator, context manager, start()/stop(), nesting, transports."""

from __future__ import annotations

import asyncio
import os
import threading
import unittest
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import boto3
import pytest
import requests
from botocore.httpsession import URLLib3Session
from core_helpers import AMI

import cloudmock
from cloudmock.core import mock as mock_module

REGION = "eu-west-1"


def client():
    return boto3.client("ec2", region_name=REGION)


def launch(ec2, count: int = 1) -> list[str]:
    reservation = ec2.run_instances(ImageId=AMI, MinCount=count, MaxCount=count)
    return [i["InstanceId"] for i in reservation["Instances"]]


def instance_count(ec2) -> int:
    return sum(len(r["Instances"]) for r in ec2.describe_instances()["Reservations"])


@pytest.fixture(autouse=True)
def no_mock_leaks() -> Iterator[None]:
    original = URLLib3Session.send
    yield
    assert mock_module._active == [], "a mock was left started"
    assert URLLib3Session.send is original, "botocore was left patched"


# ---------------------------------------------------------------- the ways in


def test_decorated_function():
    @cloudmock.mock_ec2()
    def work(count):
        ec2 = client()
        launch(ec2, count)
        return instance_count(ec2)

    assert work(2) == 2
    assert work(3) == 3  # fresh state at each call
    assert work.__name__ == "work"


def test_decorated_coroutine():
    @cloudmock.mock_ec2()
    async def work():
        return instance_count(client()) + len(launch(client()))

    assert asyncio.run(work()) == 1


def test_decorated_plain_class_gives_each_test_method_fresh_state():
    seen = []

    @cloudmock.mock_ec2()
    class Suite:
        def test_one(self):
            launch(client())
            seen.append(instance_count(client()))

        def test_two(self):
            launch(client(), 2)
            seen.append(instance_count(client()))

        def helper(self):
            return mock_module._active[:]

    suite = Suite()
    suite.test_one()
    suite.test_two()
    suite.test_one()
    assert seen == [1, 2, 1]
    assert suite.helper() == []  # non-test methods are not wrapped


def test_decorated_class_with_setup_method():
    seen = []

    @cloudmock.mock_ec2()
    class Suite:
        def setup_method(self, method):
            self.ids = launch(client())

        def teardown_method(self, method):
            seen.append(("teardown", instance_count(client())))

        def test_it(self):
            seen.append(("test", instance_count(client())))

    for _ in range(2):
        suite = Suite()
        suite.setup_method(Suite.test_it)
        suite.test_it()
        suite.teardown_method(Suite.test_it)
    assert seen == [("test", 1), ("teardown", 1)] * 2


def test_decorated_unittest_testcase_runs_setup_inside_the_mock():
    @cloudmock.mock_ec2()
    class Case(unittest.TestCase):
        def setUp(self):
            self.ec2 = client()
            self.ids = launch(self.ec2)

        def test_a(self):
            self.assertEqual(instance_count(self.ec2), 1)
            launch(self.ec2)

        def test_b(self):
            self.assertEqual(instance_count(self.ec2), 1)
            launch(self.ec2, 3)

        def tearDown(self):
            self.assertGreaterEqual(instance_count(self.ec2), 2)

    result = unittest.TestResult()
    unittest.defaultTestLoader.loadTestsFromTestCase(Case).run(result)
    assert result.testsRun == 2
    assert result.wasSuccessful(), result.errors + result.failures


def test_context_manager_returns_the_mock():
    with cloudmock.mock_ec2() as mock:
        assert isinstance(mock, cloudmock.MockAWS)
        launch(client())
        assert mock.state is cloudmock.current_state()
        mock.reset()
        assert instance_count(client()) == 0


def test_start_and_stop():
    mock = cloudmock.mock_ec2()
    mock.start()
    try:
        launch(client())
        assert instance_count(client()) == 1
    finally:
        mock.stop()
    mock.stop()  # a second stop is harmless


# ------------------------------------------------------------------- nesting


def test_nesting_inner_stop_keeps_outer_active():
    outer = cloudmock.mock_ec2()
    outer.start()
    try:
        ec2 = client()
        launch(ec2)
        inner = cloudmock.mock_aws()
        inner.start()
        assert mock_module._dispatcher.services is None  # widened to every service
        launch(ec2)
        assert instance_count(ec2) == 2  # an inner start does not reset
        inner.stop()
        assert mock_module._dispatcher.services == {"ec2"}
        assert instance_count(ec2) == 2  # still answered by cloudmock
        with cloudmock.mock_ec2():
            launch(ec2)
        assert instance_count(ec2) == 3
    finally:
        outer.stop()


def test_same_object_started_twice_needs_two_stops():
    mock = cloudmock.mock_ec2()
    mock.start()
    mock.start()
    mock.stop()
    try:
        assert instance_count(client()) == 0
    finally:
        mock.stop()


def test_state_is_fresh_at_each_outermost_start():
    with cloudmock.mock_ec2(), cloudmock.mock_ec2():
        launch(client(), 2)
    with cloudmock.mock_ec2():
        assert instance_count(client()) == 0


def test_options_apply():
    with cloudmock.mock_ec2(instance_limit=2):
        from botocore.exceptions import ClientError

        launch(client(), 2)
        with pytest.raises(ClientError) as caught:
            launch(client())
        assert caught.value.response["Error"]["Code"] == "InstanceLimitExceeded"


# ------------------------------------------------------------ what gets patched


def test_client_created_before_start_is_intercepted(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "early")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "early")
    ec2 = client()
    with cloudmock.mock_ec2():
        launch(ec2)
        assert instance_count(ec2) == 1


def test_resource_api():
    with cloudmock.mock_ec2():
        ec2 = boto3.resource("ec2", region_name=REGION)
        [instance] = ec2.create_instances(ImageId=AMI, MinCount=1, MaxCount=1)
        assert instance.id.startswith("i-")
        instance.reload()
        assert instance.image_id == AMI
        assert instance.state["Name"] in ("pending", "running")
        assert [i.id for i in ec2.instances.all()] == [instance.id]
        instance.terminate()
        instance.reload()
        assert instance.state["Name"] in ("shutting-down", "terminated")


def test_paginator():
    with cloudmock.mock_ec2():
        ec2 = client()
        ids = launch(ec2, 12)
        pages = list(
            ec2.get_paginator("describe_instances").paginate(PaginationConfig={"PageSize": 5})
        )
        seen = [i["InstanceId"] for p in pages for r in p["Reservations"] for i in r["Instances"]]
        assert len(pages) == 3
        assert sorted(seen) == sorted(ids)


def test_waiters():
    with cloudmock.mock_ec2(transition_delay=5) as mock:
        ec2 = client()
        [instance_id] = launch(ec2)
        state = ec2.describe_instances(InstanceIds=[instance_id])
        assert state["Reservations"][0]["Instances"][0]["State"]["Name"] == "pending"
        mock.clock.advance(5)
        ec2.get_waiter("instance_running").wait(
            InstanceIds=[instance_id], WaiterConfig={"Delay": 0, "MaxAttempts": 3}
        )
        ec2.terminate_instances(InstanceIds=[instance_id])
        mock.clock.advance(5)
        ec2.get_waiter("instance_terminated").wait(
            InstanceIds=[instance_id], WaiterConfig={"Delay": 0, "MaxAttempts": 3}
        )


def test_fake_credentials_while_active_and_environment_restored(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "mine")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY", raising=False)
    monkeypatch.setenv("AWS_SESSION_TOKEN", "my-token")
    with cloudmock.mock_ec2():
        assert os.environ["AWS_ACCESS_KEY_ID"] == "testing"
        assert os.environ["AWS_SECRET_ACCESS_KEY"] == "testing"
        assert "AWS_SESSION_TOKEN" not in os.environ
        creds = boto3.Session().get_credentials()
        assert creds.access_key == "testing"
    assert os.environ["AWS_ACCESS_KEY_ID"] == "mine"
    assert "AWS_SECRET_ACCESS_KEY" not in os.environ
    assert os.environ["AWS_SESSION_TOKEN"] == "my-token"


class _Hello(BaseHTTPRequestHandler):
    def do_GET(self):
        body = b"hello from 127.0.0.1"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def local_http() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hello)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_requests_to_aws_are_answered_and_others_pass_through(local_http):
    original_send = requests.adapters.HTTPAdapter.send
    with cloudmock.mock_ec2():
        response = requests.post(
            "https://ec2.us-east-1.amazonaws.com/",
            data={"Action": "DescribeRegions", "Version": "2016-11-15"},
            timeout=5,
        )
        assert response.status_code == 200
        assert b"<DescribeRegionsResponse" in response.content
        assert b"<regionName>us-east-1</regionName>" in response.content
        local = requests.get(local_http, timeout=5)
        assert local.status_code == 200
        assert local.text == "hello from 127.0.0.1"
    assert requests.adapters.HTTPAdapter.send is original_send
    assert requests.get(local_http, timeout=5).text == "hello from 127.0.0.1"


def test_after_stop_botocore_is_no_longer_patched():
    original = URLLib3Session.send
    with cloudmock.mock_ec2():
        assert URLLib3Session.send is not original
    assert URLLib3Session.send is original
    assert mock_module._botocore.handle is None


# ----------------------------------------------------------------------- seeds


def _ids_with_seed(seed):
    with cloudmock.mock_ec2(seed=seed):
        ec2 = client()
        reservation = ec2.run_instances(ImageId=AMI, MinCount=3, MaxCount=3)
        vpcs = [v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"]]
        return (
            reservation["ReservationId"],
            [i["InstanceId"] for i in reservation["Instances"]],
            vpcs,
        )


def test_seed_gives_the_same_ids_on_two_runs():
    first = _ids_with_seed(5)
    assert first == _ids_with_seed(5)
    assert first != _ids_with_seed(6)
    assert all(i.startswith("i-") and len(i) == 19 for i in first[1])


def test_seed_from_the_environment(monkeypatch):
    monkeypatch.setenv("CLOUDMOCK_SEED", "42")
    with cloudmock.mock_ec2():
        first = launch(client())
    with cloudmock.mock_ec2():
        assert launch(client()) == first


def test_pytest_fixture_is_registered(pytestconfig):
    assert pytestconfig.pluginmanager.has_plugin("cloudmock")


def test_cloudmock_ec2_fixture(cloudmock_ec2):
    launch(client())
    assert instance_count(client()) == 1
    assert cloudmock_ec2.state.dump()["ec2"]
