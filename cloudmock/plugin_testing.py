"""What a plugin's own tests run to prove its handler contract, through the SDK.

:func:`cloudmock.plugin_api.audit` checks a plugin's signatures against its model
without sending anything. This module sends: for every member path a request may
carry that a handler does not take (:func:`refusal_cases`), :func:`assert_refused`
makes a small valid request carrying it, sends it with a real boto3 client, and
checks that the plugin refused it with its ``refuse`` error naming the member, and
that no state changed. cloudmock's own catalog test runs it on every in-box service;
a plugin author runs it the same way::

    import boto3, cloudmock, pytest
    from cloudmock.plugin_testing import assert_refused, refusal_cases
    from my_plugin import plugin

    @pytest.mark.parametrize(("operation", "path"), refusal_cases(plugin))
    def test_untaken_members_are_refused(operation, path):
        with cloudmock.mock_aws() as mock:
            client = boto3.client(plugin.name, region_name="eu-west-1")
            assert_refused(plugin, operation, path, client, mock.state)

boto3 is imported by the caller, not here: this module only reads the client it is given.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from cloudmock.core.catalog import untaken

if TYPE_CHECKING:
    from botocore.model import Shape

    from cloudmock.core.plugin import ServicePlugin
    from cloudmock.core.state import State

__all__ = ["assert_refused", "method_name", "refusal_cases", "sample"]

#: the account cloudmock answers for when the access key names none
DEFAULT_ACCOUNT = "123456789012"


def refusal_cases(plugin: ServicePlugin[Any]) -> list[tuple[str, tuple[str, ...]]]:
    """Every (operation, member path) of ``plugin``'s handlers that must be refused."""
    return [
        (operation, path)
        for operation in sorted(plugin.handlers)
        for path in untaken(plugin, operation)
    ]


def sample(shape: Shape, path: tuple[str, ...] = ()) -> Any:
    """A small valid value of ``shape``; along ``path``, the members it names are filled in."""
    kind = shape.type_name
    if kind == "structure":
        members = shape.members  # type: ignore[attr-defined]
        value = {name: sample(members[name]) for name in shape.required_members}  # type: ignore[attr-defined]
        if not value and not path and members:  # an empty structure is not sent at all
            first = next(iter(members))
            value[first] = sample(members[first])
        if path:
            value[path[0]] = sample(members[path[0]], path[1:])
        return value
    if kind == "list":
        return [sample(shape.member, path)] * max(1, shape.metadata.get("min", 1))  # type: ignore[attr-defined]
    if kind == "map":
        return {"key": sample(shape.value, path)}  # type: ignore[attr-defined]
    if kind == "string":
        if shape.enum:  # type: ignore[attr-defined]
            return shape.enum[0]  # type: ignore[attr-defined]
        return "x" * max(1, shape.metadata.get("min", 1))
    if kind in ("integer", "long"):
        return max(1, shape.metadata.get("min", 1))
    if kind in ("float", "double"):
        return float(max(1, shape.metadata.get("min", 1)))
    if kind == "boolean":
        return True
    if kind == "timestamp":
        return datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)
    if kind == "blob":
        return b"x"
    raise AssertionError(f"no sample for {kind}")


def method_name(client: Any, operation: str) -> str:
    """The client method that calls ``operation`` (``RunInstances`` -> ``run_instances``)."""
    return next(name for name, api in client.meta.method_to_api_mapping.items() if api == operation)


def assert_refused(
    plugin: ServicePlugin[Any],
    operation: str,
    path: tuple[str, ...],
    client: Any,
    state: State,
    account: str = DEFAULT_ACCOUNT,
) -> None:
    """Send ``operation`` carrying ``path`` through ``client``; assert that it is refused
    with ``plugin.refuse``'s error naming the member and that ``state`` is unchanged.

    ``client`` is a boto3 client of the plugin's service, in-process under a started
    mock or pointed at a server; ``state`` is that mock's or server's ``state``.
    """
    from botocore.exceptions import ClientError

    model = plugin.service_model.operation_model(operation)
    kwargs = sample(model.input_shape, path)
    method = getattr(client, method_name(client, operation))
    state.slot(plugin, account, client.meta.region_name)  # the backend exists before the call
    before = state.dump()
    try:
        method(**kwargs)
    except ClientError as error:
        found = error.response["Error"]
    else:
        raise AssertionError(f"{operation} with {'.'.join(path)} was not refused")
    member = ".".join(path)
    expected = plugin.refuse(operation, member)
    assert found["Code"] == expected.code, (operation, member, found)
    assert member in found["Message"], (operation, member, found)
    assert state.dump() == before, f"{operation} with {member} changed the state"
