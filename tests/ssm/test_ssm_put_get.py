"""PutParameter and GetParameter: types, versions, overwrite, selectors, SecureString, tiers."""

from __future__ import annotations

import datetime

import pytest
from ssm_helpers import ACCOUNT, REGION, assert_error, put, value_of


def test_put_then_get(ssm, env):
    env.clock.freeze(datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.timezone.utc))
    result = ssm.put_parameter(Name="/app/db/host", Value="db.local", Type="String")
    assert result["Version"] == 1
    assert result["Tier"] == "Standard"
    shown = ssm.get_parameter(Name="/app/db/host")["Parameter"]
    assert shown["Name"] == "/app/db/host"
    assert shown["Type"] == "String"
    assert shown["Value"] == "db.local"
    assert shown["Version"] == 1
    assert shown["DataType"] == "text"
    assert shown["ARN"] == f"arn:aws:ssm:{REGION}:{ACCOUNT}:parameter/app/db/host"
    assert shown["LastModifiedDate"] == datetime.datetime(
        2026, 3, 1, 12, 0, tzinfo=datetime.timezone.utc
    )
    assert "Selector" not in shown


def test_arn_of_a_name_without_a_slash(ssm):
    put(ssm, "plain")
    arn = ssm.get_parameter(Name="plain")["Parameter"]["ARN"]
    assert arn == f"arn:aws:ssm:{REGION}:{ACCOUNT}:parameter/plain"


def test_string_list_is_stored_as_given(ssm):
    put(ssm, "/list", "a,b,c", Type="StringList")
    shown = ssm.get_parameter(Name="/list")["Parameter"]
    assert (shown["Type"], shown["Value"]) == ("StringList", "a,b,c")


def test_without_overwrite_an_existing_parameter_is_refused(ssm):
    put(ssm, "/p", "one")
    error = assert_error(
        ssm.put_parameter, "ParameterAlreadyExists", Name="/p", Value="two", Type="String"
    )
    assert "overwrite" in error["Message"]
    assert value_of(ssm, "/p") == "one"


def test_overwrite_makes_versions_and_keeps_what_it_does_not_change(ssm, env):
    put(ssm, "/p", "one", Description="the p", AllowedPattern="^[a-z]+$")
    env.clock.advance(60)
    assert ssm.put_parameter(Name="/p", Value="two", Overwrite=True)["Version"] == 2
    assert ssm.put_parameter(Name="/p", Value="two", Overwrite=True)["Version"] == 3
    shown = ssm.get_parameter(Name="/p")["Parameter"]
    assert (shown["Value"], shown["Version"], shown["Type"]) == ("two", 3, "String")
    [described] = ssm.describe_parameters()["Parameters"]
    assert described["Description"] == "the p"
    assert described["AllowedPattern"] == "^[a-z]+$"
    assert described["Version"] == 3


def test_overwrite_may_change_the_type(ssm):
    put(ssm, "/p", "plain")
    ssm.put_parameter(Name="/p", Value="hidden", Type="SecureString", Overwrite=True)
    shown = ssm.get_parameter(Name="/p", WithDecryption=True)["Parameter"]
    assert (shown["Type"], shown["Value"]) == ("SecureString", "hidden")
    [described] = ssm.describe_parameters()["Parameters"]
    assert described["KeyId"] == "alias/aws/ssm"
    ssm.put_parameter(Name="/p", Value="a,b", Type="StringList", Overwrite=True)
    [described] = ssm.describe_parameters()["Parameters"]
    assert described["Type"] == "StringList"
    assert "KeyId" not in described


def test_a_type_is_needed_to_create(ssm):
    error = assert_error(ssm.put_parameter, "ValidationException", Name="/p", Value="v")
    assert "type is required" in error["Message"]


def test_version_and_label_selectors(ssm):
    put(ssm, "/p", "one")
    ssm.put_parameter(Name="/p", Value="two", Overwrite=True)
    ssm.label_parameter_version(Name="/p", ParameterVersion=1, Labels=["stable"])
    by_version = ssm.get_parameter(Name="/p:1")["Parameter"]
    assert (by_version["Name"], by_version["Value"], by_version["Selector"]) == ("/p", "one", ":1")
    by_label = ssm.get_parameter(Name="/p:stable")["Parameter"]
    assert (by_label["Value"], by_label["Version"], by_label["Selector"]) == ("one", 1, ":stable")
    error = assert_error(ssm.get_parameter, "ParameterVersionNotFound", Name="/p:7")
    assert error["Message"] == (
        "Systems Manager could not find version 7 of /p. Verify the version and try again."
    )
    assert_error(ssm.get_parameter, "ParameterVersionNotFound", Name="/p:nolabel")
    assert_error(ssm.get_parameter, "ValidationException", Name="/p:1:2")
    assert_error(ssm.get_parameter, "ValidationException", Name="/p:")


def test_missing_parameter(ssm):
    error = assert_error(ssm.get_parameter, "ParameterNotFound", Name="/nothing")
    assert error["Message"] == ""
    assert_error(ssm.get_parameter, "ParameterNotFound", Name="/nothing:3")


def test_spaces_around_a_name_are_dropped_and_inside_refused(ssm):
    put(ssm, "  /spaced  ", "v")
    assert value_of(ssm, "/spaced") == "v"
    assert value_of(ssm, " /spaced") == "v"
    assert_error(
        ssm.put_parameter, "ValidationException", Name="/with space", Value="v", Type="String"
    )
    assert_error(ssm.get_parameter, "ValidationException", Name="/with space")


def test_read_by_arn(ssm, env):
    put(ssm, "/by/arn", "v")
    put(ssm, "flat", "f")
    arn = f"arn:aws:ssm:{REGION}:{ACCOUNT}:parameter/by/arn"
    shown = ssm.get_parameter(Name=arn)["Parameter"]
    assert (shown["Name"], shown["Value"]) == (arn, "v")
    assert ssm.get_parameter(Name=f"{arn}:1")["Parameter"]["Selector"] == ":1"
    assert value_of(ssm, f"arn:aws:ssm:{REGION}:{ACCOUNT}:parameter/flat") == "f"
    # another account's ARN names a shared parameter; nothing is shared with this one
    assert_error(
        ssm.get_parameter,
        "ParameterNotFound",
        Name=f"arn:aws:ssm:{REGION}:999999999999:parameter/by/arn",
    )


# -- SecureString


def test_secure_string_values_are_decrypted_only_on_request(ssm):
    put(ssm, "/secret", "hunter2", Type="SecureString")
    hidden = ssm.get_parameter(Name="/secret")["Parameter"]
    assert hidden["Type"] == "SecureString"
    assert hidden["Value"] != "hunter2"
    assert "hunter2" not in hidden["Value"]
    assert hidden["Value"] == ssm.get_parameter(Name="/secret")["Parameter"]["Value"]
    assert value_of(ssm, "/secret", WithDecryption=True) == "hunter2"
    # the flag changes nothing for plain strings
    put(ssm, "/plain", "visible")
    assert value_of(ssm, "/plain", WithDecryption=True) == "visible"
    assert value_of(ssm, "/plain") == "visible"


def test_secure_string_key_ids(ssm):
    put(ssm, "/default", "v", Type="SecureString")
    put(ssm, "/custom", "v", Type="SecureString", KeyId="alias/my-key")
    keys = {p["Name"]: p["KeyId"] for p in ssm.describe_parameters()["Parameters"]}
    assert keys == {"/default": "alias/aws/ssm", "/custom": "alias/my-key"}
    # the key stays on overwrite unless another is named
    ssm.put_parameter(Name="/custom", Value="w", Overwrite=True)
    keys = {p["Name"]: p["KeyId"] for p in ssm.describe_parameters()["Parameters"]}
    assert keys["/custom"] == "alias/my-key"
    error = assert_error(
        ssm.put_parameter,
        "ValidationException",
        Name="/s",
        Value="v",
        Type="String",
        KeyId="alias/k",
    )
    assert "SecureString" in error["Message"]
    assert_error(
        ssm.put_parameter,
        "ValidationException",
        Name="/s",
        Value="v",
        Type="SecureString",
        KeyId="bad key!",
    )


def test_history_and_by_path_hide_secure_values_too(ssm):
    put(ssm, "/sec/a", "plain-text", Type="SecureString")
    [history] = ssm.get_parameter_history(Name="/sec/a")["Parameters"]
    assert history["Value"] != "plain-text"
    [history] = ssm.get_parameter_history(Name="/sec/a", WithDecryption=True)["Parameters"]
    assert history["Value"] == "plain-text"
    [listed] = ssm.get_parameters_by_path(Path="/sec")["Parameters"]
    assert listed["Value"] != "plain-text"
    [listed] = ssm.get_parameters_by_path(Path="/sec", WithDecryption=True)["Parameters"]
    assert listed["Value"] == "plain-text"


# -- values, patterns and data types


def test_allowed_pattern(ssm):
    put(ssm, "/port", "8080", AllowedPattern=r"^\d+$")
    error = assert_error(
        ssm.put_parameter,
        "ParameterPatternMismatchException",
        Name="/port",
        Value="http",
        Overwrite=True,
    )
    assert r"^\d+$" in error["Message"]
    assert_error(
        ssm.put_parameter,
        "ParameterPatternMismatchException",
        Name="/other",
        Value="abc",
        Type="String",
        AllowedPattern=r"^\d+$",
    )
    assert_error(
        ssm.put_parameter,
        "InvalidAllowedPatternException",
        Name="/other",
        Value="abc",
        Type="String",
        AllowedPattern="([",
    )
    assert value_of(ssm, "/port") == "8080"


def test_empty_value_is_refused(ssm):
    assert_error(ssm.put_parameter, "ValidationException", Name="/e", Value="", Type="String")


def test_ec2_image_data_type(ssm):
    put(ssm, "/ami", "ami-0123456789abcdef0", DataType="aws:ec2:image")
    assert ssm.get_parameter(Name="/ami")["Parameter"]["DataType"] == "aws:ec2:image"
    put(ssm, "/short-ami", "ami-12345678", DataType="aws:ec2:image")
    for bad in ("image-1", "ami-xyz", "ami-0123456789ABCDEF0"):
        assert_error(
            ssm.put_parameter,
            "ValidationException",
            Name="/bad",
            Value=bad,
            Type="String",
            DataType="aws:ec2:image",
        )
    # the data type stays on overwrite, so the new value is checked too
    assert_error(
        ssm.put_parameter, "ValidationException", Name="/ami", Value="nope", Overwrite=True
    )
    assert_error(
        ssm.put_parameter,
        "ValidationException",
        Name="/sec-ami",
        Value="ami-12345678",
        Type="SecureString",
        DataType="aws:ec2:image",
    )


def test_unknown_data_type(ssm):
    error = assert_error(
        ssm.put_parameter,
        "ValidationException",
        Name="/d",
        Value="v",
        Type="String",
        DataType="Text",
    )
    assert "not supported: Text" in error["Message"]


def test_data_types_cloudmock_does_not_check_yet_are_refused(ssm):
    error = assert_error(
        ssm.put_parameter,
        "UnsupportedOperationException",
        Name="/d",
        Value="1",
        Type="String",
        DataType="integer",
    )
    assert "integer" in error["Message"]
    assert_error(ssm.get_parameter, "ParameterNotFound", Name="/d")


# -- tiers


def test_standard_values_up_to_4096_characters(ssm):
    put(ssm, "/big", "x" * 4096)
    error = assert_error(
        ssm.put_parameter, "ValidationException", Name="/bigger", Value="x" * 4097, Type="String"
    )
    assert "4096" in error["Message"]


def test_advanced_values_up_to_8192_characters(ssm):
    result = ssm.put_parameter(Name="/adv", Value="x" * 8192, Type="String", Tier="Advanced")
    assert result["Tier"] == "Advanced"
    assert_error(
        ssm.put_parameter,
        "ValidationException",
        Name="/adv2",
        Value="x" * 8193,
        Type="String",
        Tier="Advanced",
    )


def test_intelligent_tiering_chooses(ssm):
    small = ssm.put_parameter(
        Name="/it/small", Value="x", Type="String", Tier="Intelligent-Tiering"
    )
    assert small["Tier"] == "Standard"
    large = ssm.put_parameter(
        Name="/it/large", Value="x" * 5000, Type="String", Tier="Intelligent-Tiering"
    )
    assert large["Tier"] == "Advanced"
    tiers = {p["Name"]: p["Tier"] for p in ssm.describe_parameters()["Parameters"]}
    assert tiers == {"/it/small": "Standard", "/it/large": "Advanced"}
    # an advanced parameter stays advanced, whatever Intelligent-Tiering would pick for the value
    again = ssm.put_parameter(
        Name="/it/large", Value="x", Overwrite=True, Tier="Intelligent-Tiering"
    )
    assert again["Tier"] == "Advanced"


def test_standard_may_become_advanced_but_not_back(ssm):
    put(ssm, "/t", "v")
    assert (
        ssm.put_parameter(Name="/t", Value="v", Overwrite=True, Tier="Advanced")["Tier"]
        == "Advanced"
    )
    # omitting the tier keeps it
    assert ssm.put_parameter(Name="/t", Value="w", Overwrite=True)["Tier"] == "Advanced"
    error = assert_error(
        ssm.put_parameter,
        "ValidationException",
        Name="/t",
        Value="v",
        Overwrite=True,
        Tier="Standard",
    )
    assert "downgrade" in error["Message"]
    assert value_of(ssm, "/t") == "w"


# -- versions


def test_at_most_100_versions_the_oldest_goes(ssm):
    put(ssm, "/v", "0")
    for i in range(1, 101):
        ssm.put_parameter(Name="/v", Value=str(i), Overwrite=True)
    history = [
        h["Version"]
        for h in ssm.get_paginator("get_parameter_history")
        .paginate(Name="/v")
        .build_full_result()["Parameters"]
    ]
    assert history == list(range(2, 102))
    assert_error(ssm.get_parameter, "ParameterVersionNotFound", Name="/v:1")
    assert value_of(ssm, "/v:2") == "1"


def test_a_labeled_oldest_version_blocks_the_101st(ssm):
    put(ssm, "/v", "0")
    ssm.label_parameter_version(Name="/v", ParameterVersion=1, Labels=["keep"])
    for i in range(1, 100):
        ssm.put_parameter(Name="/v", Value=str(i), Overwrite=True)
    error = assert_error(
        ssm.put_parameter, "ParameterMaxVersionLimitExceeded", Name="/v", Value="x", Overwrite=True
    )
    assert "Version 1, the oldest version" in error["Message"]
    assert "/v" in error["Message"]
    # moving the label lets the oldest go
    ssm.label_parameter_version(Name="/v", ParameterVersion=50, Labels=["keep"])
    assert ssm.put_parameter(Name="/v", Value="x", Overwrite=True)["Version"] == 101


# -- tags on create


def test_tags_only_on_create(ssm):
    put(ssm, "/tagged", "v", Tags=[{"Key": "team", "Value": "blue"}])
    tags = ssm.list_tags_for_resource(ResourceType="Parameter", ResourceId="/tagged")["TagList"]
    assert tags == [{"Key": "team", "Value": "blue"}]
    error = assert_error(
        ssm.put_parameter,
        "ValidationException",
        Name="/tagged",
        Value="w",
        Overwrite=True,
        Tags=[{"Key": "team", "Value": "red"}],
    )
    assert "tags and overwrite can't be used together" in error["Message"]
    # refused even when the parameter does not exist yet
    assert_error(
        ssm.put_parameter,
        "ValidationException",
        Name="/new",
        Value="w",
        Type="String",
        Overwrite=True,
        Tags=[{"Key": "team", "Value": "red"}],
    )
    assert value_of(ssm, "/tagged") == "v"


# -- policies


EXPIRATION = '{"Type":"Expiration","Version":"1.0","Attributes":{"Timestamp":"%s"}}'
NOTIFY = (
    '{"Type":"ExpirationNotification","Version":"1.0","Attributes":{"Before":"2","Unit":"Days"}}'
)
NO_CHANGE = (
    '{"Type":"NoChangeNotification","Version":"1.0","Attributes":{"After":"30","Unit":"Days"}}'
)


def test_policies_are_stored_and_returned(ssm, env):
    env.clock.freeze(datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc))
    policies = f"[{EXPIRATION % '2026-06-01T00:00:00.000Z'},{NOTIFY},{NO_CHANGE}]"
    result = ssm.put_parameter(
        Name="/pol", Value="v", Type="String", Tier="Advanced", Policies=policies
    )
    assert result["Tier"] == "Advanced"
    [described] = ssm.describe_parameters()["Parameters"]
    assert [p["PolicyType"] for p in described["Policies"]] == [
        "Expiration",
        "ExpirationNotification",
        "NoChangeNotification",
    ]
    assert {p["PolicyStatus"] for p in described["Policies"]} == {"Pending"}
    assert '"Timestamp":"2026-06-01T00:00:00.000Z"' in described["Policies"][0]["PolicyText"]
    # kept on overwrite until new policies (or none) are sent
    ssm.put_parameter(Name="/pol", Value="w", Overwrite=True)
    [described] = ssm.describe_parameters()["Parameters"]
    assert len(described["Policies"]) == 3
    ssm.put_parameter(Name="/pol", Value="x", Overwrite=True, Policies="[]")
    [described] = ssm.describe_parameters()["Parameters"]
    assert described["Policies"] == []
    [first, *_] = ssm.get_parameter_history(Name="/pol")["Parameters"]
    assert len(first["Policies"]) == 3


def test_intelligent_tiering_with_policies_is_advanced(ssm):
    result = ssm.put_parameter(
        Name="/pol", Value="v", Type="String", Tier="Intelligent-Tiering", Policies=f"[{NO_CHANGE}]"
    )
    assert result["Tier"] == "Advanced"


def test_standard_parameters_take_no_policies(ssm):
    assert_error(
        ssm.put_parameter,
        "ValidationException",
        Name="/pol",
        Value="v",
        Type="String",
        Policies=f"[{NO_CHANGE}]",
    )


def test_expiration_deletes_the_parameter(ssm, env):
    env.clock.freeze(datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc))
    policies = f"[{EXPIRATION % '2026-01-02T00:00:00Z'}]"
    put(ssm, "/temp", "v", Tier="Advanced", Policies=policies)
    env.clock.advance(23 * 3600)
    assert value_of(ssm, "/temp") == "v"
    env.clock.advance(3600)
    assert_error(ssm.get_parameter, "ParameterNotFound", Name="/temp")


@pytest.mark.parametrize(
    ("policies", "code"),
    [
        ("not json", "ValidationException"),
        ('{"Type":"Expiration"}', "ValidationException"),
        ('[{"Type":"Explode","Version":"1.0","Attributes":{}}]', "InvalidPolicyTypeException"),
        (
            '[{"Type":"NoChangeNotification","Version":"2.0","Attributes":{"After":"1","Unit":"Days"}}]',
            "InvalidPolicyAttributeException",
        ),
        (
            '[{"Type":"NoChangeNotification","Version":"1.0","Attributes":{"After":"1","Unit":"Weeks"}}]',
            "InvalidPolicyAttributeException",
        ),
        (
            '[{"Type":"NoChangeNotification","Version":"1.0","Attributes":{"After":"x","Unit":"Days"}}]',
            "InvalidPolicyAttributeException",
        ),
        (
            '[{"Type":"Expiration","Version":"1.0","Attributes":{"Timestamp":"tomorrow"}}]',
            "InvalidPolicyAttributeException",
        ),
        (
            '[{"Type":"Expiration","Version":"1.0","Attributes":{"Timestamp":"2001-01-01T00:00:00Z"}}]',
            "InvalidPolicyAttributeException",
        ),
        (f"[{NO_CHANGE},{NO_CHANGE}]", "IncompatiblePolicyException"),
        ("[" + ",".join([NO_CHANGE] * 11) + "]", "PoliciesLimitExceededException"),
    ],
)
def test_bad_policies(ssm, policies, code):
    assert_error(
        ssm.put_parameter,
        code,
        Name="/pol",
        Value="v",
        Type="String",
        Tier="Advanced",
        Policies=policies,
    )
    assert_error(ssm.get_parameter, "ParameterNotFound", Name="/pol")


def test_parameters_per_region_are_limited_by_tier(ssm, monkeypatch):
    from cloudmock.services.ssm.models import store

    monkeypatch.setattr(store, "STANDARD_LIMIT", 3)
    monkeypatch.setattr(store, "ADVANCED_LIMIT", 2)
    for i in range(3):
        put(ssm, f"/std/{i}", "v")
    error = assert_error(
        ssm.put_parameter, "ParameterLimitExceeded", Name="/std/3", Value="v", Type="String"
    )
    assert "exceeded the number of parameters" in error["Message"]
    # overwriting an existing one is not a new parameter
    ssm.put_parameter(Name="/std/0", Value="w", Overwrite=True)
    # with the standard tier full, Intelligent-Tiering picks Advanced
    chosen = ssm.put_parameter(Name="/it", Value="v", Type="String", Tier="Intelligent-Tiering")
    assert chosen["Tier"] == "Advanced"
    ssm.put_parameter(Name="/std/1", Value="v", Overwrite=True, Tier="Advanced")
    assert_error(
        ssm.put_parameter,
        "ParameterLimitExceeded",
        Name="/std/2",
        Value="v",
        Overwrite=True,
        Tier="Advanced",
    )
    # deleting makes room again
    ssm.delete_parameter(Name="/std/0")
    put(ssm, "/std/3", "v")
