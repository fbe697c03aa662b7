"""Fixtures for the STS tests (the rootdir conftest gives ``env``)."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from typing import Any

import pytest


@pytest.fixture
def sts(env: Any) -> Any:
    return env.client("sts")


@pytest.fixture
def sts_options(env: Any) -> Iterator[Callable[..., None]]:
    """``sts_options(require_roles=True)``: STS options for this test only."""
    saved = copy.deepcopy(env.state.config.services)

    def set_options(**options: Any) -> None:
        env.state.config.services["sts"] = {**env.state.config.services.get("sts", {}), **options}
        env.state.reset(env.state.config)

    yield set_options
    env.state.config.services = saved
    env.state.reset(env.state.config)
