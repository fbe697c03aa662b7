"""Parameter names: characters, hierarchies, reserved prefixes, length; accounts and regions."""

from __future__ import annotations

import pytest
from ssm_helpers import assert_error, put, value_of


@pytest.mark.parametrize(
    "name",
    ["simple", "with.dots-and_underscores", "/a", "/a/b/c", "/" + "/".join("123456789abcdef")],
)
def test_valid_names(ssm, name):
    put(ssm, name, "v")
    assert value_of(ssm, name) == "v"


def test_names_are_case_sensitive(ssm):
    put(ssm, "/Case", "upper")
    put(ssm, "/case", "lower")
    assert (value_of(ssm, "/Case"), value_of(ssm, "/case")) == ("upper", "lower")


@pytest.mark.parametrize("name", ["bad!name", "/a//b", "/a/b/", "/a/b c", "/a/é", "/"])
def test_bad_characters(ssm, name):
    error = assert_error(
        ssm.put_parameter, "ValidationException", Name=name, Value="v", Type="String"
    )
    assert error["Message"]


def test_a_path_needs_a_leading_slash(ssm):
    error = assert_error(
        ssm.put_parameter, "ValidationException", Name="a/b", Value="v", Type="String"
    )
    assert error["Message"] == "Parameter name must be a fully qualified name."


def test_at_most_15_levels(ssm):
    deep = "/" + "/".join(f"l{i}" for i in range(16))
    error = assert_error(
        ssm.put_parameter,
        "HierarchyLevelLimitExceededException",
        Name=deep,
        Value="v",
        Type="String",
    )
    assert "15 levels" in error["Message"]


@pytest.mark.parametrize("name", ["aws-thing", "AWSthing", "ssm", "/awsish", "SSM-x", "/ssm/x/y"])
def test_reserved_prefixes_are_refused(ssm, name):
    error = assert_error(
        ssm.put_parameter, "ValidationException", Name=name, Value="v", Type="String"
    )
    assert "can't be prefixed with" in error["Message"]


@pytest.mark.parametrize("name", ["/aws/service/x", "/AWS/mine/x", "/awssec/lab/vpc"])
def test_reserved_aws_paths_are_denied(ssm, name):
    from botocore.exceptions import ClientError

    with pytest.raises(ClientError) as info:
        ssm.put_parameter(Name=name, Value="v", Type="String")
    error = info.value.response["Error"]
    assert error["Code"] == "AccessDeniedException"
    assert error["Message"] == f"No access to reserved parameter name: {name[1:]}."


def test_name_length_counts_the_arn_prefix(ssm):
    prefix = len("arn:aws:ssm:eu-west-1:123456789012:parameter/")
    longest = "/" + "n" * (1011 - prefix)
    put(ssm, longest, "v")
    assert_error(
        ssm.put_parameter, "ValidationException", Name=longest + "n", Value="v", Type="String"
    )


def test_public_parameters_no_catalogue_knows_are_not_found(ssm):
    name = "/aws/service/ami-amazon-linux-latest/no-such-image-x86_64"
    assert_error(ssm.get_parameter, "ParameterNotFound", Name=name)
    found = ssm.get_parameters(Names=[name])
    assert found["Parameters"] == []
    assert found["InvalidParameters"] == [name]
    assert ssm.get_parameters_by_path(Path="/aws/service/no-such-catalogue")["Parameters"] == []


def test_accounts_are_separate(env):
    mine = env.client("ssm")
    theirs = env.client("ssm", aws_access_key_id="111122223333", aws_secret_access_key="x")
    put(mine, "/shared/name", "mine")
    put(theirs, "/shared/name", "theirs")
    assert value_of(mine, "/shared/name") == "mine"
    assert value_of(theirs, "/shared/name") == "theirs"
    assert theirs.get_parameter(Name="/shared/name")["Parameter"]["ARN"].startswith(
        "arn:aws:ssm:eu-west-1:111122223333:"
    )
    mine.delete_parameter(Name="/shared/name")
    assert value_of(theirs, "/shared/name") == "theirs"


def test_regions_are_separate(env):
    ireland = env.client("ssm")
    virginia = env.client("ssm", region="us-east-1")
    put(ireland, "/where", "ireland")
    assert_error(virginia.get_parameter, "ParameterNotFound", Name="/where")
    put(virginia, "/where", "virginia")
    assert value_of(ireland, "/where") == "ireland"
    assert virginia.describe_parameters()["Parameters"][0]["ARN"] == (
        "arn:aws:ssm:us-east-1:123456789012:parameter/where"
    )


def test_partitions_in_arns(env):
    china = env.client("ssm", region="cn-north-1")
    put(china, "/p", "v")
    assert china.get_parameter(Name="/p")["Parameter"]["ARN"] == (
        "arn:aws-cn:ssm:cn-north-1:123456789012:parameter/p"
    )
