"""The stand-alone plugins under ``plugins/``, installed the way pip would (a dist-info on
``sys.path``) and answering in both modes: patched in-process and against a server."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import boto3
import pytest
from plugin_helpers import Installation, installed

import cloudmock
from cloudmock.core import mock as mock_module
from cloudmock.core.clock import Clock
from cloudmock.core.state import State
from cloudmock.server import ServerThread

REGION = "eu-west-1"
KEYS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


@dataclass
class Env:
    """What a test needs to drive the plugin in either mode."""

    mode: str
    #: ``client(service="scheduler", region=REGION, **boto3_kwargs)``
    client: Callable[..., Any]
    state: State

    @property
    def clock(self) -> Clock:
        return self.state.clock

    def options(self, service: str, **options: Any) -> None:
        """Start over with these options for ``service`` (every backend is forgotten)."""
        config = self.state.config
        self.state.reset(replace(config, services={**config.services, service: options}))


@pytest.fixture(scope="module")
def scheduler_install(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installation]:
    with installed(
        tmp_path_factory.mktemp("site"),
        "cloudmock-scheduler",
        {"scheduler": "cloudmock_scheduler:plugin"},
        ("cloudmock_scheduler",),
    ) as installation:
        yield installation


@pytest.fixture(scope="module")
def plugin_server(scheduler_install: Installation) -> Iterator[ServerThread]:
    server = ServerThread()
    server.app.dispatcher.registry = scheduler_install.registry
    with server:
        yield server


@pytest.fixture(params=["patched", "server"])
def env(
    request: pytest.FixtureRequest,
    scheduler_install: Installation,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Env]:
    if request.param == "patched":
        monkeypatch.setattr(mock_module._dispatcher, "registry", scheduler_install.registry)
        with cloudmock.mock_aws() as mock:

            def patched(service: str = "scheduler", region: str = REGION, **kw: Any) -> Any:
                return boto3.client(service, region_name=region, **{**KEYS, **kw})

            yield Env("patched", patched, mock.state)
    else:
        server: ServerThread = request.getfixturevalue("plugin_server")
        saved = server.state.config
        server.state.reset()

        def remote(service: str = "scheduler", region: str = REGION, **kw: Any) -> Any:
            return boto3.client(
                service, region_name=region, endpoint_url=server.url, **{**KEYS, **kw}
            )

        try:
            yield Env("server", remote, server.state)
        finally:
            server.state.reset(saved)


@pytest.fixture
def scheduler(env: Env) -> Any:
    """A boto3 scheduler client for eu-west-1 in the current mode."""
    return env.client()


@pytest.fixture
def plugin_dir() -> Path:
    return Path(__file__).resolve().parents[2] / "plugins" / "cloudmock-scheduler"
