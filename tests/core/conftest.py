"""Helpers for the core tests: raw EC2 requests, a shared server, free ports."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from cloudmock.server import ServerThread

AMI = "ami-0abcdef1234567890"
EC2_NS = "http://ec2.amazonaws.com/doc/2016-11-15/"
VERSION = "2016-11-15"


def scope_header(region: str = "eu-west-1", service: str = "ec2", key: str = "testing") -> str:
    """An Authorization header with a SigV4 credential scope (cloudmock does not verify it)."""
    return (
        f"AWS4-HMAC-SHA256 Credential={key}/20240101/{region}/{service}/aws4_request, "
        "SignedHeaders=host;x-amz-date, Signature=" + "0" * 64
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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
