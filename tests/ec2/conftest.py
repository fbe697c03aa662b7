"""Fixtures for the EC2 tests (the rootdir conftest gives ``env`` and ``ec2``)."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from typing import Any

import pytest


@pytest.fixture
def ec2_options(env: Any) -> Iterator[Callable[..., None]]:
    """``ec2_options(instance_limit=3, ...)``: EC2 options for this test only.

    The server fixture is shared by the whole session and its reset keeps the
    config, so the previous services config is put back afterwards.
    """
    saved = copy.deepcopy(env.state.config.services)

    def set_options(**options: Any) -> None:
        env.state.config.services["ec2"] = {
            **env.state.config.services.get("ec2", {}),
            **options,
        }
        env.state.reset(env.state.config)

    yield set_options
    env.state.config.services = saved
    env.state.reset(env.state.config)
