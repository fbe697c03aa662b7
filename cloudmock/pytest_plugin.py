"""pytest fixtures: ``cloudmock_ec2`` (a started EC2 mock) and ``cloudmock_server``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cloudmock.core.mock import MockAWS, mock_ec2


@pytest.fixture
def cloudmock_ec2() -> Iterator[MockAWS]:
    """EC2 mocked for one test; the fixture is the mock (``.clock``, ``.reset()``)."""
    with mock_ec2() as mock:
        yield mock


@pytest.fixture
def cloudmock_server() -> Iterator[object]:
    """A cloudmock server on a free 127.0.0.1 port for one test; use ``.url``."""
    from cloudmock.server import ServerThread

    with ServerThread() as server:
        yield server
