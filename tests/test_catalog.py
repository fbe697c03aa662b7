"""Every in-box plugin agrees with botocore's model, and its handler contract holds.

For every handler of every service cloudmock ships: its signature fits the
model (members that exist, types the codec produces, defaults where optional),
and every member a request may carry that the handler does not take is
refused, through the SDK, with the service's error naming it, and changes
nothing.
"""

from __future__ import annotations

import boto3
import pytest

import cloudmock
from cloudmock.core.catalog import audit
from cloudmock.core.plugin import handler_options
from cloudmock.core.registry import default_registry
from cloudmock.plugin_testing import assert_refused, refusal_cases
from cloudmock.services.ec2.filters import documented_filters

# Filters EC2 answers although today's DescribeInstances documentation no longer lists them.
UNDOCUMENTED_BUT_ANSWERED = {("DescribeInstances", "tag-value")}

IN_BOX = [
    row.name for row in default_registry().status() if row.source.startswith("cloudmock.services.")
]
PLUGINS = {name: default_registry().get(name) for name in IN_BOX}


def handled() -> list[tuple[str, str]]:
    return [(name, op) for name, plugin in PLUGINS.items() for op in sorted(plugin.handlers)]


def test_ec2_is_in_the_box():
    assert "ec2" in IN_BOX
    assert {"RunInstances", "DescribeInstances", "DescribeTags"} <= set(PLUGINS["ec2"].handlers)


@pytest.mark.parametrize("service", IN_BOX)
def test_handlers_fit_the_model(service):
    assert audit(PLUGINS[service]) == []


# -- the refusals, sent through boto3 (cloudmock.plugin_testing: plugin authors run the same)


def refusals() -> list[tuple[str, str, tuple[str, ...]]]:
    return [
        (service, operation, path)
        for service, plugin in PLUGINS.items()
        for operation, path in refusal_cases(plugin)
    ]


def test_some_members_are_refused():
    # the contract is only proven if there is something to refuse
    assert len(refusals()) >= 30


@pytest.fixture(scope="module")
def mock():
    with cloudmock.mock_aws() as running:
        yield running


@pytest.mark.parametrize(
    ("service", "operation", "path"),
    refusals(),
    ids=lambda value: ".".join(value) if isinstance(value, tuple) else value,
)
def test_untaken_members_are_refused_before_anything_changes(mock, service, operation, path):
    client = boto3.client(service, region_name="eu-west-1")
    assert_refused(PLUGINS[service], operation, path, client, mock.state)


# -- describe filters


@pytest.mark.parametrize(("service", "operation"), handled())
def test_filter_names_are_the_documented_ones(service, operation):
    plugin = PLUGINS[service]
    filter_set = handler_options(plugin.handlers[operation]).get("filters")
    model_op = plugin.service_model.operation_model(operation)
    has_filters = "Filters" in (model_op.input_shape.members if model_op.input_shape else {})
    if service != "ec2" or not has_filters:
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
    # and the other way round: every filter the model documents is answered, none ignored
    missing = sorted(name for name in documented if not filter_set.supports(name, documented))
    assert not missing, f"{operation} does not answer the documented filters {missing}"
