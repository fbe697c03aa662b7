"""The SSM plugin honours every member of every operation it implements (none is refused)."""

from __future__ import annotations

from cloudmock.core.catalog import audit, untaken
from cloudmock.core.registry import default_registry

PARAMETER_STORE = {
    "AddTagsToResource",
    "DeleteParameter",
    "DeleteParameters",
    "DescribeParameters",
    "GetParameter",
    "GetParameterHistory",
    "GetParameters",
    "GetParametersByPath",
    "LabelParameterVersion",
    "ListTagsForResource",
    "PutParameter",
    "RemoveTagsFromResource",
    "UnlabelParameterVersion",
}


def test_the_parameter_store_operations_are_handled():
    plugin = default_registry().get("ssm")
    assert set(plugin.handlers) == PARAMETER_STORE
    assert audit(plugin) == []


def test_no_member_is_left_to_the_refusal():
    plugin = default_registry().get("ssm")
    left = {op: list(untaken(plugin, op)) for op in sorted(plugin.handlers)}
    assert left == {op: [] for op in sorted(PARAMETER_STORE)}


def test_the_refusal_is_ssms_unsupported_operation_error(ssm):
    plugin = default_registry().get("ssm")
    error = plugin.refuse("PutParameter", "Tags.Color")
    assert (error.code, error.status) == ("UnsupportedOperationException", 400)
    assert "Tags.Color" in error.message
    # botocore knows the code as one of SSM's modeled errors
    assert ssm.exceptions.from_code(error.code) is ssm.exceptions.UnsupportedOperationException
