"""Fixtures for the SSM tests (the rootdir conftest gives ``env``: patched and server)."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def ssm(env: Any) -> Any:
    """An SSM client for eu-west-1 in the current mode."""
    return env.client("ssm")
