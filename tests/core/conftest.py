"""Helpers for the core tests: raw EC2 requests, a shared server, free ports."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests
from core_helpers import VERSION, FakeProxy, scope_header

from cloudmock.server import ServerThread


@pytest.fixture(scope="module")
def core_server() -> Iterator[ServerThread]:
    with ServerThread() as server:
        yield server


@pytest.fixture
def raw_ec2(core_server: ServerThread) -> Iterator[Any]:
    """POST a form to the server as a signed EC2 request; returns the requests Response."""
    core_server.state.reset()

    def call(action: str | None, region: str = "eu-west-1", **params: Any) -> requests.Response:
        form = {"Version": VERSION, **{k: str(v) for k, v in params.items()}}
        if action is not None:
            form["Action"] = action
        return requests.post(
            core_server.url + "/",
            data=form,
            headers={"Authorization": scope_header(region)},
            timeout=10,
        )

    yield call
    core_server.state.reset()


@pytest.fixture
def proxy() -> Iterator[FakeProxy]:
    """A proxy on 127.0.0.1 that records whether anything contacted it."""
    running = FakeProxy()
    try:
        yield running
    finally:
        running.close()
