"""Every waiter botocore ships for an operation cloudmock answers is exercised by a test.

A waiter is the way users wait on EC2's state machines (``nat_gateway_available``,
``vpc_peering_connection_deleted``); one that never completes hangs their tests. This
checks that each such waiter is driven to completion somewhere in ``tests/``.
"""

from __future__ import annotations

import re
from pathlib import Path

import botocore.session
import pytest
from botocore import xform_name

from cloudmock.services.ec2 import plugin

TESTS = Path(__file__).resolve().parents[1]
_WAITED = re.compile(r"""get_waiter\(\s*["']([a-z0-9_]+)["']""")


def _waiters() -> list[tuple[str, str]]:
    model = botocore.session.get_session().get_waiter_model("ec2")
    return [(xform_name(name), model.get_waiter(name).operation) for name in model.waiter_names]


def _waited_in_tests() -> set[str]:
    return {
        name
        for path in TESTS.rglob("test_*.py")
        for name in _WAITED.findall(path.read_text(encoding="utf-8"))
    }


WAITED = _waited_in_tests()


@pytest.mark.parametrize(("waiter", "operation"), _waiters())
def test_every_waiter_of_an_answered_operation_is_tested(waiter: str, operation: str) -> None:
    if operation not in plugin.handlers:
        pytest.skip(f"{operation} is not answered yet")
    assert waiter in WAITED, f"no test waits with {waiter} ({operation})"
