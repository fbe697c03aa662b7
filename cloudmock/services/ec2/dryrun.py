"""DryRun the way EC2 does it: validate everything, then answer instead of acting.

The invoker marks a DryRun request; a mutating operation calls :func:`commit`
once every check has passed and before it changes anything.  Under DryRun that
is where ``DryRunOperation`` comes from, so a request that would fail gets its
real error and one that would succeed changes nothing.  Read-only operations
(Describe, Get, List, Search) need no call: the invoker answers after them.
"""

from __future__ import annotations

from contextvars import ContextVar

from cloudmock.core.errors import DryRunOperation

_dry_run: ContextVar[bool] = ContextVar("ec2_dry_run", default=False)

#: operations that change nothing; under DryRun they run in full and then answer
READ_ONLY_PREFIXES = ("Describe", "Get", "List", "Search")


def commit() -> None:
    """Everything is checked: under DryRun, stop here; otherwise go on and change state."""
    if _dry_run.get():
        raise DryRunOperation()


def is_read_only(operation: str) -> bool:
    return operation.startswith(READ_ONLY_PREFIXES)
