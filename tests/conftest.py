"""Shared fixtures: every EC2 test runs twice, once patched in-process and once
against a real cloudmock server on 127.0.0.1."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

import boto3
import pytest

import cloudmock
from cloudmock.core.clock import Clock
from cloudmock.core.protocols import base as codec_base
from cloudmock.core.state import State
from cloudmock.server import ServerThread

# A handler returning a key its output shape lacks is a bug: make it loud in tests.
codec_base.STRICT = True

REGION = "eu-west-1"


@dataclass
class Env:
    """What a test needs to drive cloudmock in either mode."""

    mode: str
    client: Callable[..., Any]
    state: State

    @property
    def clock(self) -> Clock:
        return self.state.clock


@pytest.fixture(scope="session")
def server() -> Iterator[ServerThread]:
    with ServerThread() as running:
        yield running


@pytest.fixture(params=["patched", "server"])
def env(request: pytest.FixtureRequest) -> Iterator[Env]:
    if request.param == "patched":
        with cloudmock.mock_ec2() as mock:

            def patched_client(service: str = "ec2", region: str = REGION, **kw: Any) -> Any:
                return boto3.client(service, region_name=region, **kw)

            yield Env("patched", patched_client, mock.state)
    else:
        running: ServerThread = request.getfixturevalue("server")
        # Each test starts from the server's own settings, whatever the last one changed.
        config = running.state.config
        saved_config = replace(config, services=dict(config.services))
        running.state.reset()
        saved = {k: os.environ.get(k) for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")}

        def server_client(service: str = "ec2", region: str = REGION, **kw: Any) -> Any:
            kw.setdefault("aws_access_key_id", "testing")
            kw.setdefault("aws_secret_access_key", "testing")
            return boto3.client(service, region_name=region, endpoint_url=running.url, **kw)

        try:
            yield Env("server", server_client, running.state)
        finally:
            running.state.reset(saved_config)
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value


@pytest.fixture
def ec2(env: Env) -> Any:
    """An EC2 client for eu-west-1 in the current mode."""
    return env.client()
