"""The EC2 plugin agrees with botocore's model: names come from the model, not from us."""

from __future__ import annotations

import pytest

from cloudmock.core.plugin import handler_options
from cloudmock.core.registry import default_registry
from cloudmock.services.ec2.filters import documented_filters

# Filters EC2 answers although today's DescribeInstances documentation no longer lists them.
UNDOCUMENTED_BUT_ANSWERED = {("DescribeInstances", "tag-value")}

plugin = default_registry().get("ec2")


def test_every_handler_names_a_model_operation():
    model = plugin.service_model
    assert set(plugin.handlers) <= set(model.operation_names)
    assert {"RunInstances", "DescribeInstances", "DescribeTags"} <= set(plugin.handlers)


@pytest.mark.parametrize("operation", sorted(plugin.handlers))
def test_filter_names_are_the_documented_ones(operation):
    filter_set = handler_options(plugin.handlers[operation]).get("filters")
    model_op = plugin.service_model.operation_model(operation)
    has_filters = "Filters" in (model_op.input_shape.members if model_op.input_shape else {})
    if not has_filters:
        assert filter_set is None
        return
    assert filter_set is not None, f"{operation} takes Filters but declares no FilterSet"
    documented = documented_filters(model_op)
    undocumented = {
        name
        for name in filter_set.getters
        if name not in documented and (operation, name) not in UNDOCUMENTED_BUT_ANSWERED
    }
    assert not undocumented, f"{operation} answers filters the model does not document"


@pytest.mark.parametrize("operation", sorted(plugin.handlers))
def test_accepted_parameters_exist(operation):
    accepts = handler_options(plugin.handlers[operation]).get("accepts")
    if accepts is not None:
        members = plugin.service_model.operation_model(operation).input_shape.members
        assert set(accepts) <= set(members)
