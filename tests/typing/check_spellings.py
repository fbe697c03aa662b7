"""Checked by mypy (``files`` in pyproject.toml), not run by pytest: every spelling of
the mocks keeps the decorated object's type, and the factories return a MockAWS."""

from __future__ import annotations

import unittest
from collections.abc import AsyncIterator, Iterator

from typing_extensions import assert_type

from cloudmock import MockAWS, mock_aws, mock_ec2


@mock_aws
def bare(count: int) -> str:
    return str(count)


@mock_ec2
async def bare_async(count: int) -> int:
    return count


@mock_ec2
def bare_generator() -> Iterator[int]:
    yield 1


@mock_aws(seed=42)
def called(count: int) -> str:
    return str(count)


@mock_ec2(seed=1, instance_limit=5)
async def called_async_generator() -> AsyncIterator[int]:
    yield 1


@mock_aws
class BareCase(unittest.TestCase):
    def test_it(self) -> None: ...


@mock_ec2()
class CalledSuite:
    def test_it(self) -> None: ...


assert_type(bare(1), str)
assert_type(called(1), str)
assert_type(bare_generator(), Iterator[int])
assert_type(BareCase, type[BareCase])
assert_type(CalledSuite, type[CalledSuite])
assert_type(mock_aws(), MockAWS)
assert_type(mock_ec2(seed=1, transition_delay=5), MockAWS)


def context_managers() -> None:
    with mock_aws() as started:
        assert_type(started, MockAWS)
    mock = mock_ec2()
    mock.start()
    mock.stop()
