"""Fixtures for the IAM tests (the rootdir conftest gives ``env``)."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def iam(env: Any) -> Any:
    """An IAM client (eu-west-1: IAM is global, the region does not matter)."""
    return env.client("iam")
