"""GetParameterHistory, labels, tags, and deleting."""

from __future__ import annotations

import datetime

import pytest
from ssm_helpers import ACCOUNT, REGION, assert_error, put, value_of

# -- history


def test_history_has_every_version_with_its_labels(ssm, env):
    env.clock.freeze(datetime.datetime(2026, 2, 1, tzinfo=datetime.timezone.utc))
    put(ssm, "/h", "one", Description="first")
    env.clock.advance(10)
    ssm.put_parameter(Name="/h", Value="two", Overwrite=True, Description="second")
    env.clock.advance(10)
    ssm.put_parameter(Name="/h", Value="three", Overwrite=True, Type="SecureString")
    ssm.label_parameter_version(Name="/h", ParameterVersion=2, Labels=["beta", "qa"])
    history = ssm.get_parameter_history(Name="/h", WithDecryption=True)["Parameters"]
    assert [(h["Version"], h["Value"], h["Labels"]) for h in history] == [
        (1, "one", []),
        (2, "two", ["beta", "qa"]),
        (3, "three", []),
    ]
    assert [h["Description"] for h in history] == ["first", "second", "second"]
    assert [h["Type"] for h in history] == ["String", "String", "SecureString"]
    assert history[2]["KeyId"] == "alias/aws/ssm"
    assert history[1]["LastModifiedDate"] == datetime.datetime(
        2026, 2, 1, 0, 0, 10, tzinfo=datetime.timezone.utc
    )
    assert {h["LastModifiedUser"] for h in history} == {f"arn:aws:iam::{ACCOUNT}:root"}
    assert {h["Tier"] for h in history} == {"Standard"}


def test_history_pages(ssm):
    put(ssm, "/h", "0")
    for i in range(1, 60):
        ssm.put_parameter(Name="/h", Value=str(i), Overwrite=True)
    first = ssm.get_parameter_history(Name="/h")
    assert len(first["Parameters"]) == 50
    pages = list(
        ssm.get_paginator("get_parameter_history").paginate(
            Name="/h", PaginationConfig={"PageSize": 25}
        )
    )
    assert [len(p["Parameters"]) for p in pages] == [25, 25, 10]
    versions = [h["Version"] for p in pages for h in p["Parameters"]]
    assert versions == list(range(1, 61))
    assert_error(ssm.get_parameter_history, "InvalidNextToken", Name="/h", NextToken="x")


def test_history_by_arn_and_missing(ssm):
    put(ssm, "/h", "v")
    arn = f"arn:aws:ssm:{REGION}:{ACCOUNT}:parameter/h"
    assert len(ssm.get_parameter_history(Name=arn)["Parameters"]) == 1
    error = assert_error(ssm.get_parameter_history, "ParameterNotFound", Name="/nothing")
    assert "/nothing" in error["Message"]


# -- labels


def test_label_the_latest_version_by_default(ssm):
    put(ssm, "/l", "one")
    ssm.put_parameter(Name="/l", Value="two", Overwrite=True)
    result = ssm.label_parameter_version(Name="/l", Labels=["live"])
    assert result["ParameterVersion"] == 2
    assert result["InvalidLabels"] == []
    assert value_of(ssm, "/l:live") == "two"


def test_a_label_moves_between_versions(ssm):
    put(ssm, "/l", "one")
    ssm.put_parameter(Name="/l", Value="two", Overwrite=True)
    ssm.label_parameter_version(Name="/l", ParameterVersion=1, Labels=["live"])
    assert value_of(ssm, "/l:live") == "one"
    ssm.label_parameter_version(Name="/l", ParameterVersion=2, Labels=["live"])
    assert value_of(ssm, "/l:live") == "two"
    history = ssm.get_parameter_history(Name="/l")["Parameters"]
    assert [h["Labels"] for h in history] == [[], ["live"]]


@pytest.mark.parametrize(
    "label",
    ["1starts-with-digit", "aws-label", "SSMlabel", "has space", "slash/es", "colon:"],
)
def test_invalid_labels_are_returned_not_attached(ssm, label):
    put(ssm, "/l", "one")
    result = ssm.label_parameter_version(Name="/l", Labels=["good", label])
    assert result["InvalidLabels"] == [label]
    [history] = ssm.get_parameter_history(Name="/l")["Parameters"]
    assert history["Labels"] == ["good"]


def test_valid_label_shapes(ssm):
    put(ssm, "/l", "one")
    labels = ["a", "Release_1.2-rc", "x" * 100]
    assert ssm.label_parameter_version(Name="/l", Labels=labels)["InvalidLabels"] == []
    # the model itself bounds a label's length
    assert_error(ssm.label_parameter_version, "ValidationException", Name="/l", Labels=["x" * 101])


def test_at_most_ten_labels_per_version(ssm):
    put(ssm, "/l", "one")
    ssm.label_parameter_version(Name="/l", Labels=[f"l{i}" for i in range(10)])
    # relabeling with labels it already has is fine
    ssm.label_parameter_version(Name="/l", Labels=["l0", "l1"])
    assert_error(
        ssm.label_parameter_version, "ParameterVersionLabelLimitExceeded", Name="/l", Labels=["l10"]
    )
    [history] = ssm.get_parameter_history(Name="/l")["Parameters"]
    assert len(history["Labels"]) == 10
    assert_error(
        ssm.label_parameter_version,
        "ValidationException",
        Name="/l",
        Labels=[f"m{i}" for i in range(11)],
    )


def test_label_errors(ssm):
    assert_error(ssm.label_parameter_version, "ParameterNotFound", Name="/none", Labels=["a"])
    put(ssm, "/l", "one")
    error = assert_error(
        ssm.label_parameter_version,
        "ParameterVersionNotFound",
        Name="/l",
        ParameterVersion=5,
        Labels=["a"],
    )
    assert "version 5 of /l" in error["Message"]


def test_unlabel(ssm):
    put(ssm, "/l", "one")
    ssm.put_parameter(Name="/l", Value="two", Overwrite=True)
    ssm.label_parameter_version(Name="/l", ParameterVersion=1, Labels=["a", "b"])
    ssm.label_parameter_version(Name="/l", ParameterVersion=2, Labels=["c"])
    result = ssm.unlabel_parameter_version(Name="/l", ParameterVersion=1, Labels=["a", "c", "zz"])
    assert result["RemovedLabels"] == ["a"]
    assert result["InvalidLabels"] == ["c", "zz"]
    assert [h["Labels"] for h in ssm.get_parameter_history(Name="/l")["Parameters"]] == [
        ["b"],
        ["c"],
    ]
    assert_error(ssm.get_parameter, "ParameterVersionNotFound", Name="/l:a")
    assert_error(
        ssm.unlabel_parameter_version,
        "ParameterVersionNotFound",
        Name="/l",
        ParameterVersion=9,
        Labels=["b"],
    )
    assert_error(
        ssm.unlabel_parameter_version,
        "ParameterNotFound",
        Name="/none",
        ParameterVersion=1,
        Labels=["b"],
    )


# -- tags


def test_tags(ssm):
    put(ssm, "/t", "v", Tags=[{"Key": "a", "Value": "1"}])
    ssm.add_tags_to_resource(
        ResourceType="Parameter",
        ResourceId="/t",
        Tags=[
            {"Key": "a", "Value": "2"},
            {"Key": "b", "Value": ""},
            {"Key": "c d", "Value": "x@y.z"},
        ],
    )
    listed = ssm.list_tags_for_resource(ResourceType="Parameter", ResourceId="/t")["TagList"]
    assert {t["Key"]: t["Value"] for t in listed} == {"a": "2", "b": "", "c d": "x@y.z"}
    ssm.remove_tags_from_resource(
        ResourceType="Parameter", ResourceId="/t", TagKeys=["a", "missing"]
    )
    listed = ssm.list_tags_for_resource(ResourceType="Parameter", ResourceId="/t")["TagList"]
    assert {t["Key"] for t in listed} == {"b", "c d"}


def test_tags_survive_overwrite_and_go_with_delete(ssm):
    put(ssm, "/t", "v", Tags=[{"Key": "a", "Value": "1"}])
    ssm.put_parameter(Name="/t", Value="w", Overwrite=True)
    assert ssm.list_tags_for_resource(ResourceType="Parameter", ResourceId="/t")["TagList"] == [
        {"Key": "a", "Value": "1"}
    ]
    ssm.delete_parameter(Name="/t")
    put(ssm, "/t", "again")
    assert ssm.list_tags_for_resource(ResourceType="Parameter", ResourceId="/t")["TagList"] == []


def test_tag_errors(ssm):
    for call, kw in [
        (ssm.add_tags_to_resource, {"Tags": [{"Key": "a", "Value": "b"}]}),
        (ssm.remove_tags_from_resource, {"TagKeys": ["a"]}),
        (ssm.list_tags_for_resource, {}),
    ]:
        assert_error(call, "InvalidResourceId", ResourceType="Parameter", ResourceId="/none", **kw)
        error = assert_error(
            call, "UnsupportedOperationException", ResourceType="Document", ResourceId="doc", **kw
        )
        assert "Document" in error["Message"]
    put(ssm, "/t", "v")
    assert_error(
        ssm.add_tags_to_resource,
        "ValidationException",
        ResourceType="Parameter",
        ResourceId="/t",
        Tags=[{"Key": "bad*key", "Value": "v"}],
    )
    ssm.add_tags_to_resource(
        ResourceType="Parameter",
        ResourceId="/t",
        Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(50)],
    )
    assert_error(
        ssm.add_tags_to_resource,
        "TooManyTagsError",
        ResourceType="Parameter",
        ResourceId="/t",
        Tags=[{"Key": "one-more", "Value": "v"}],
    )


# -- delete


def test_delete_parameter(ssm):
    put(ssm, "/gone", "v")
    ssm.put_parameter(Name="/gone", Value="w", Overwrite=True)
    ssm.label_parameter_version(Name="/gone", Labels=["x"])
    ssm.delete_parameter(Name="/gone")
    assert_error(ssm.get_parameter, "ParameterNotFound", Name="/gone")
    error = assert_error(ssm.delete_parameter, "ParameterNotFound", Name="/gone")
    assert error["Message"] == ""
    # a new parameter by the same name starts over
    assert put(ssm, "/gone", "new") == 1
    assert [h["Labels"] for h in ssm.get_parameter_history(Name="/gone")["Parameters"]] == [[]]
    assert ssm.get_parameters_by_path(Path="/")["Parameters"][0]["Name"] == "/gone"


def test_delete_parameters(ssm):
    put(ssm, "/a", "v")
    put(ssm, "/b/c", "v")
    result = ssm.delete_parameters(Names=["/a", "/missing", "/b/c", "/a"])
    assert result["DeletedParameters"] == ["/a", "/b/c"]
    assert result["InvalidParameters"] == ["/missing"]
    assert ssm.describe_parameters()["Parameters"] == []
    assert ssm.get_parameters_by_path(Path="/b")["Parameters"] == []
    assert_error(ssm.delete_parameters, "ValidationException", Names=[f"/p{i}" for i in range(11)])
