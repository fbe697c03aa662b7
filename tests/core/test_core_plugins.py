"""Plugin discovery through entry points, lazy loading, and the failure path.

The plugins are made discoverable without installing anything: each test writes a
``*.dist-info`` directory (METADATA + entry_points.txt) into tmp_path and puts
tmp_path on sys.path, which is all ``importlib.metadata`` looks at.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
import requests
from botocore.exceptions import ClientError
from core_helpers import AMI, scope_header
from plugin_helpers import PLUGINS_DIR, cloudmock_services, forget_modules, write_dist
from werkzeug.serving import make_server

import cloudmock
from cloudmock.core import mock as mock_module
from cloudmock.core.config import Config
from cloudmock.core.dispatcher import Dispatcher
from cloudmock.core.http import Request
from cloudmock.core.plugin import ServicePlugin
from cloudmock.core.registry import GROUP, PluginLoadError, Registry, default_registry
from cloudmock.core.state import State
from cloudmock.server import create_app

EXAMPLE_DIR = PLUGINS_DIR / "cloudmock-example"
EXAMPLE_DATA = EXAMPLE_DIR / "cloudmock_example" / "data"
OUR_MODULES = ("cloudmock_example", "broken_plugin")


def forget_our_modules() -> None:
    forget_modules(OUR_MODULES)


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A directory on sys.path, with the example plugin's source importable."""
    forget_our_modules()
    default_registry().names()  # list the real entry points first, so ours never leak into it
    monkeypatch.syspath_prepend(str(EXAMPLE_DIR))
    monkeypatch.syspath_prepend(str(tmp_path))
    yield tmp_path
    forget_our_modules()
    assert "example" not in default_registry().names()


@pytest.fixture
def example_site(site: Path) -> Path:
    write_dist(site, "cloudmock-example", {"example": "cloudmock_example:plugin"})
    return site


@pytest.fixture
def broken_site(example_site: Path) -> Path:
    (example_site / "broken_plugin.py").write_text(
        "raise RuntimeError('boom: libwidget is not installed')\n"
    )
    write_dist(
        example_site,
        "broken-plugins",
        {"broken": "broken_plugin:plugin", "notaplugin": "json:dumps"},
    )
    return example_site


def test_the_template_declares_the_entry_point_the_tests_use():
    tomllib = pytest.importorskip("tomllib")
    project = tomllib.loads((EXAMPLE_DIR / "pyproject.toml").read_text())
    assert project["project"]["entry-points"][GROUP] == {"example": "cloudmock_example:plugin"}
    assert (EXAMPLE_DIR / "README.md").is_file()
    assert (EXAMPLE_DATA / "example" / "2024-01-01" / "service-2.json").is_file()


# ------------------------------------------------------------- discovery, laziness


def test_listed_by_name_without_importing(example_site):
    registry = Registry()
    assert {"ec2", "example"} <= set(registry.names())
    assert "cloudmock_example" not in sys.modules


def test_imported_on_first_get_and_the_rest_on_first_request(example_site):
    registry = Registry()
    plugin = registry.get("example")
    assert isinstance(plugin, ServicePlugin)
    assert plugin.name == "example"
    assert registry.get("example") is plugin
    assert "cloudmock_example" in sys.modules
    # the handlers, the backend and the model wait for the first request
    assert "cloudmock_example.handlers" not in sys.modules
    assert "cloudmock_example.backend" not in sys.modules
    assert plugin._model is None

    dispatcher = Dispatcher(registry, State())
    response = dispatcher.handle(
        Request.build(
            "POST",
            "https://example.eu-west-1.amazonaws.com/",
            {"Authorization": scope_header("eu-west-1", "example")},
            "Action=CreateWidget&Version=2024-01-01&Name=gear&Size=2&Color=green",
        )
    )
    assert response.status == 200, response.body
    assert b"<name>gear</name>" in response.body
    assert b"http://example.cloudmock.invalid/doc/2024-01-01/" in response.body
    assert "cloudmock_example.handlers" in sys.modules
    assert "cloudmock_example.backend" in sys.modules


def test_host_patterns_route_unsigned_requests(example_site):
    dispatcher = Dispatcher(Registry(), State())
    response = dispatcher.handle(
        Request.build(
            "POST",
            "https://example.ap-south-1.amazonaws.com/",
            {"Content-Type": "application/x-www-form-urlencoded"},
            "Action=DescribeWidgets&Version=2024-01-01",
        )
    )
    assert response.status == 200
    assert b"<widgetSet/>" in response.body


@pytest.fixture
def example_server(example_site, monkeypatch) -> Iterator[str]:
    monkeypatch.setenv("AWS_DATA_PATH", str(EXAMPLE_DATA))
    config = Config(seed=7, services={"example": {"max_size": 5}})
    server = make_server("127.0.0.1", 0, create_app(config, registry=Registry()), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_example_plugin_end_to_end_with_boto3(example_server):
    widgets = boto3.Session().client(
        "example",
        region_name="eu-west-1",
        endpoint_url=example_server,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    widget = widgets.create_widget(Name="gear", Size=3, Color="blue")["Widget"]
    assert widget["WidgetId"].startswith("widget-")
    assert widget["Size"] == 3
    assert widgets.describe_widgets()["Widgets"] == [widget]
    assert widgets.describe_widgets(WidgetIds=[widget["WidgetId"]])["Widgets"] == [widget]

    with pytest.raises(ClientError) as caught:
        widgets.create_widget(Name="x", Color="purple")  # enum, checked by the codec
    assert caught.value.response["Error"]["Code"] == "InvalidParameterValue"
    with pytest.raises(ClientError) as caught:
        widgets.create_widget(Name="x", Size=6)  # the plugin's own option, max_size=5
    assert "1-5" in caught.value.response["Error"]["Message"]
    with pytest.raises(ClientError) as caught:
        widgets.describe_widgets(WidgetIds=["widget-0"])
    assert caught.value.response["Error"]["Code"] == "InvalidWidgetID.NotFound"
    with pytest.raises(ClientError) as caught:
        widgets.delete_widget(WidgetId=widget["WidgetId"])
    error = caught.value.response
    assert error["Error"]["Code"] == "NotImplemented"
    assert "example:DeleteWidget" in error["Error"]["Message"]
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 501
    assert error["ResponseMetadata"]["RetryAttempts"] == 0

    health = requests.get(example_server + "/_cloudmock/health", timeout=5).json()
    assert health["services"]["example"] == "available"
    state = requests.get(example_server + "/_cloudmock/state", timeout=5).json()
    [dumped] = state["example"]["123456789012"]["eu-west-1"]["widgets"]
    assert dumped["WidgetId"] == widget["WidgetId"]

    # EC2 is served by the same server
    ec2 = boto3.client(
        "ec2",
        region_name="eu-west-1",
        endpoint_url=example_server,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    assert ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=1)["Instances"]


def test_readme_snippet_with_mock_aws(example_site, monkeypatch):
    """mock_aws() answers every installed plugin; here "installed" is the dist-info."""
    monkeypatch.setattr(mock_module._dispatcher, "registry", Registry())
    monkeypatch.setenv("AWS_DATA_PATH", str(EXAMPLE_DATA))
    with cloudmock.mock_aws():
        widgets = boto3.Session().client("example", region_name="eu-west-1")
        widget = widgets.create_widget(Name="gear", Size=3)["Widget"]
        assert widgets.describe_widgets()["Widgets"] == [widget]
    with cloudmock.mock_ec2():  # only EC2 enabled: the plugin is installed but not answering
        with pytest.raises(ClientError) as caught:
            boto3.Session().client("example", region_name="eu-west-1").describe_widgets()
        assert caught.value.response["Error"]["Code"] == "NotImplemented"
        assert "enabled: ec2" in caught.value.response["Error"]["Message"]


# ------------------------------------------------------------------ the failure path


def test_broken_plugin_is_reported_by_name_and_the_others_keep_working(broken_site):
    registry = Registry()
    assert {"broken", "notaplugin", "ec2", "example"} <= set(registry.names())
    assert "broken_plugin" not in sys.modules

    rows = {row.name: row for row in registry.status()}
    assert rows["broken"].loaded is False
    assert "boom: libwidget is not installed" in rows["broken"].error
    assert rows["broken"].source == "broken_plugin:plugin"
    assert rows["notaplugin"].loaded is False
    assert "not a ServicePlugin" in rows["notaplugin"].error
    assert rows["ec2"].loaded and rows["example"].loaded

    with pytest.raises(PluginLoadError) as caught:
        registry.get("broken")
    assert caught.value.name == "broken"
    assert {p.name for p in registry.loaded()} >= {"ec2", "example"}
    assert "broken" not in {p.name for p in registry.loaded()}

    dispatcher = Dispatcher(registry, State())
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    broken = dispatcher.handle(
        Request.build(
            "POST",
            "https://broken.us-east-1.amazonaws.com/",
            {"Authorization": scope_header("us-east-1", "broken"), **form},
            "Action=Anything",
        )
    )
    assert broken.status == 501
    assert b"broken" in broken.body and b"boom" in broken.body
    ec2 = dispatcher.handle(
        Request.build(
            "POST",
            "https://ec2.us-east-1.amazonaws.com/",
            {"Authorization": scope_header("us-east-1"), **form},
            "Action=DescribeRegions&Version=2016-11-15",
        )
    )
    assert ec2.status == 200


def test_health_endpoint_reports_the_broken_plugin(broken_site):
    app = create_app(Config(), registry=Registry())
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/_cloudmock/health"
        services = requests.get(url, timeout=5).json()["services"]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
    assert services["ec2"] == "available"
    assert services["example"] == "available"
    assert services["broken"].startswith("failed:") and "boom" in services["broken"]


def test_cli_services_names_the_broken_plugin_and_exits_1(broken_site):
    done = cloudmock_services(broken_site, EXAMPLE_DIR, os.environ.get("PYTHONPATH", ""))
    assert done.returncode == 1, done.stdout + done.stderr
    lines = {line.split()[0]: line for line in done.stdout.splitlines() if line.strip()}
    assert "FAILED" in lines["broken"] and "boom: libwidget is not installed" in lines["broken"]
    assert "FAILED" in lines["notaplugin"]
    assert lines["ec2"].split()[1] == "ok"
    assert lines["example"].split()[1] == "ok"
    assert "cloudmock_example:plugin" in lines["example"]


def test_cli_services_with_the_example_only_exits_0(example_site):
    done = cloudmock_services(example_site, EXAMPLE_DIR)
    assert done.returncode == 0, done.stdout + done.stderr
    assert {"ec2", "example"} <= {line.split()[0] for line in done.stdout.splitlines()}
