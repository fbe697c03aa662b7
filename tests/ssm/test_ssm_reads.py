"""GetParameters, GetParametersByPath (recursion, filters, paging) and DescribeParameters."""

from __future__ import annotations

import pytest
from ssm_helpers import assert_error, names, put


@pytest.fixture
def tree(ssm):
    """/app/{db,web}/... plus some that are elsewhere."""
    put(ssm, "/app/name", "shop")
    put(ssm, "/app/db/host", "db.local")
    put(ssm, "/app/db/password", "pw", Type="SecureString", KeyId="alias/db")
    put(ssm, "/app/web/hosts", "a,b", Type="StringList")
    put(ssm, "/app/web/tls/cert", "pem", Tier="Advanced")
    put(ssm, "/apple", "fruit")
    put(ssm, "/other/x", "x")
    put(ssm, "root-level", "r")
    return ssm


# -- GetParameters


def test_get_parameters(tree):
    found = tree.get_parameters(Names=["/app/name", "/missing", "/app/db/host", "/app/name:9"])
    assert names(found["Parameters"]) == ["/app/db/host", "/app/name"]
    assert found["InvalidParameters"] == ["/missing", "/app/name:9"]
    found = tree.get_parameters(Names=["/app/name"])
    assert found["InvalidParameters"] == []


def test_get_parameters_decrypts_on_request(tree):
    [hidden] = tree.get_parameters(Names=["/app/db/password"])["Parameters"]
    assert hidden["Value"] != "pw"
    [shown] = tree.get_parameters(Names=["/app/db/password"], WithDecryption=True)["Parameters"]
    assert shown["Value"] == "pw"


def test_get_parameters_takes_at_most_ten(ssm):
    error = assert_error(
        ssm.get_parameters, "ValidationException", Names=[f"/p{i}" for i in range(11)]
    )
    assert "10" in error["Message"]


# -- GetParametersByPath


def test_by_path_one_level(tree):
    assert names(tree.get_parameters_by_path(Path="/app")["Parameters"]) == ["/app/name"]
    assert names(tree.get_parameters_by_path(Path="/app/")["Parameters"]) == ["/app/name"]
    assert names(tree.get_parameters_by_path(Path="/app/db")["Parameters"]) == [
        "/app/db/host",
        "/app/db/password",
    ]
    assert tree.get_parameters_by_path(Path="/nowhere")["Parameters"] == []
    # the path itself is not in its own listing
    assert tree.get_parameters_by_path(Path="/app/name")["Parameters"] == []


def test_by_path_root_lists_names_without_a_path(tree):
    found = names(tree.get_parameters_by_path(Path="/")["Parameters"])
    assert found == ["/apple", "root-level"]


def test_by_path_recursive(tree):
    found = tree.get_paginator("get_parameters_by_path").paginate(Path="/app", Recursive=True)
    assert names(found.build_full_result()["Parameters"]) == [
        "/app/db/host",
        "/app/db/password",
        "/app/name",
        "/app/web/hosts",
        "/app/web/tls/cert",
    ]


def test_by_path_pages(ssm):
    for i in range(23):
        put(ssm, f"/many/p{i:02}", str(i))
    first = ssm.get_parameters_by_path(Path="/many")
    assert len(first["Parameters"]) == 10
    assert "NextToken" in first
    pages = list(
        ssm.get_paginator("get_parameters_by_path").paginate(
            Path="/many", PaginationConfig={"PageSize": 4}
        )
    )
    assert [len(p["Parameters"]) for p in pages] == [4, 4, 4, 4, 4, 3]
    assert "NextToken" not in pages[-1]
    assert [p["Name"] for page in pages for p in page["Parameters"]] == [
        f"/many/p{i:02}" for i in range(23)
    ]
    assert_error(ssm.get_parameters_by_path, "ValidationException", Path="/many", MaxResults=11)
    assert_error(ssm.get_parameters_by_path, "InvalidNextToken", Path="/many", NextToken="garbage")
    # a token belongs to its query
    assert_error(
        ssm.get_parameters_by_path, "InvalidNextToken", Path="/other", NextToken=first["NextToken"]
    )


def test_by_path_filters(tree):
    def listed(**kw):
        return names(tree.get_parameters_by_path(Path="/app", Recursive=True, **kw)["Parameters"])

    assert listed(ParameterFilters=[{"Key": "Type", "Values": ["SecureString"]}]) == [
        "/app/db/password"
    ]
    assert listed(
        ParameterFilters=[{"Key": "Type", "Option": "BeginsWith", "Values": ["String"]}]
    ) == [
        "/app/db/host",
        "/app/name",
        "/app/web/hosts",
        "/app/web/tls/cert",
    ]
    assert listed(ParameterFilters=[{"Key": "KeyId", "Values": ["alias/db"]}]) == [
        "/app/db/password"
    ]


def test_by_path_label_filter_returns_the_labeled_version(tree):
    tree.put_parameter(Name="/app/name", Value="shop-v2", Overwrite=True)
    tree.label_parameter_version(Name="/app/name", ParameterVersion=1, Labels=["prod"])
    [found] = tree.get_parameters_by_path(
        Path="/app", ParameterFilters=[{"Key": "Label", "Option": "Equals", "Values": ["prod"]}]
    )["Parameters"]
    assert (found["Value"], found["Version"]) == ("shop", 1)


@pytest.mark.parametrize(
    ("filters", "code"),
    [
        ([{"Key": "Name", "Values": ["/app/name"]}], "InvalidFilterKey"),
        ([{"Key": "tag:team", "Values": ["blue"]}], "InvalidFilterKey"),
        ([{"Key": "Tier", "Values": ["Standard"]}], "InvalidFilterKey"),
        ([{"Key": "Label", "Option": "BeginsWith", "Values": ["p"]}], "InvalidFilterOption"),
        ([{"Key": "Type", "Option": "Contains", "Values": ["S"]}], "InvalidFilterOption"),
        ([{"Key": "Type", "Values": ["Text"]}], "InvalidFilterValue"),
        ([{"Key": "Type"}], "InvalidFilterValue"),
    ],
)
def test_by_path_bad_filters(tree, filters, code):
    assert_error(tree.get_parameters_by_path, code, Path="/app", ParameterFilters=filters)


@pytest.mark.parametrize("path", ["app", "/ssm/x", "/bad path", "/a//b"])
def test_by_path_bad_paths(ssm, path):
    error = assert_error(ssm.get_parameters_by_path, "ValidationException", Path=path)
    assert "forward slash" in error["Message"]


# -- DescribeParameters


def test_describe_lists_metadata_not_values(tree, env):
    described = {p["Name"]: p for p in tree.describe_parameters(MaxResults=50)["Parameters"]}
    assert len(described) == 8
    secret = described["/app/db/password"]
    assert secret["Type"] == "SecureString"
    assert secret["KeyId"] == "alias/db"
    assert secret["LastModifiedUser"] == "arn:aws:iam::123456789012:root"
    assert "Value" not in secret
    assert described["/app/web/tls/cert"]["Tier"] == "Advanced"
    assert "KeyId" not in described["/app/name"]


def test_describe_pages_ten_by_default(ssm):
    for i in range(23):
        put(ssm, f"/d/p{i:02}", "v")
    first = ssm.describe_parameters()
    assert len(first["Parameters"]) == 10
    full = (
        ssm.get_paginator("describe_parameters")
        .paginate(PaginationConfig={"PageSize": 7})
        .build_full_result()
    )
    assert names(full["Parameters"]) == [f"/d/p{i:02}" for i in range(23)]
    assert_error(ssm.describe_parameters, "ValidationException", MaxResults=51)
    assert_error(ssm.describe_parameters, "InvalidNextToken", NextToken="nope")


def _described(ssm, **kw):
    return names(
        ssm.get_paginator("describe_parameters").paginate(**kw).build_full_result()["Parameters"]
    )


def test_describe_name_filters(tree):
    assert _described(
        tree, ParameterFilters=[{"Key": "Name", "Values": ["/app/name", "/apple"]}]
    ) == [
        "/app/name",
        "/apple",
    ]
    assert _described(
        tree, ParameterFilters=[{"Key": "Name", "Option": "BeginsWith", "Values": ["/app"]}]
    ) == [
        "/app/db/host",
        "/app/db/password",
        "/app/name",
        "/app/web/hosts",
        "/app/web/tls/cert",
        "/apple",
    ]
    assert _described(
        tree, ParameterFilters=[{"Key": "Name", "Option": "Contains", "Values": ["web"]}]
    ) == [
        "/app/web/hosts",
        "/app/web/tls/cert",
    ]


def test_describe_path_filters(tree):
    assert _described(tree, ParameterFilters=[{"Key": "Path", "Values": ["/app"]}]) == ["/app/name"]
    assert _described(
        tree,
        ParameterFilters=[{"Key": "Path", "Option": "OneLevel", "Values": ["/app/db", "/other"]}],
    ) == [
        "/app/db/host",
        "/app/db/password",
        "/other/x",
    ]
    assert _described(
        tree, ParameterFilters=[{"Key": "Path", "Option": "Recursive", "Values": ["/app/web"]}]
    ) == [
        "/app/web/hosts",
        "/app/web/tls/cert",
    ]


def test_describe_other_filters(tree):
    tree.add_tags_to_resource(
        ResourceType="Parameter", ResourceId="/apple", Tags=[{"Key": "team", "Value": "blue"}]
    )
    tree.add_tags_to_resource(
        ResourceType="Parameter", ResourceId="/other/x", Tags=[{"Key": "team", "Value": "black"}]
    )
    assert _described(tree, ParameterFilters=[{"Key": "Type", "Values": ["StringList"]}]) == [
        "/app/web/hosts"
    ]
    assert _described(tree, ParameterFilters=[{"Key": "KeyId", "Values": ["alias/db"]}]) == [
        "/app/db/password"
    ]
    assert _described(tree, ParameterFilters=[{"Key": "Tier", "Values": ["Advanced"]}]) == [
        "/app/web/tls/cert"
    ]
    assert _described(
        tree, ParameterFilters=[{"Key": "DataType", "Values": ["text"]}]
    ) == _described(tree)
    assert _described(tree, ParameterFilters=[{"Key": "tag:team", "Values": ["blue"]}]) == [
        "/apple"
    ]
    assert _described(
        tree, ParameterFilters=[{"Key": "tag:team", "Option": "BeginsWith", "Values": ["bl"]}]
    ) == [
        "/apple",
        "/other/x",
    ]
    assert _described(tree, ParameterFilters=[{"Key": "tag:team"}]) == ["/apple", "/other/x"]
    # filters all apply
    assert _described(
        tree,
        ParameterFilters=[
            {"Key": "Path", "Option": "Recursive", "Values": ["/app"]},
            {"Key": "Type", "Values": ["String"]},
        ],
    ) == ["/app/db/host", "/app/name", "/app/web/tls/cert"]


def test_describe_deprecated_filters(tree):
    assert _described(tree, Filters=[{"Key": "Type", "Values": ["SecureString"]}]) == [
        "/app/db/password"
    ]
    assert _described(tree, Filters=[{"Key": "Name", "Values": ["/app/db"]}]) == [
        "/app/db/host",
        "/app/db/password",
    ]
    assert _described(tree, Filters=[{"Key": "KeyId", "Values": ["alias/db"]}]) == [
        "/app/db/password"
    ]


@pytest.mark.parametrize(
    ("kw", "code"),
    [
        ({"ParameterFilters": [{"Key": "Label", "Values": ["x"]}]}, "InvalidFilterKey"),
        (
            {"ParameterFilters": [{"Key": "Path", "Option": "Equals", "Values": ["/app"]}]},
            "InvalidFilterOption",
        ),
        (
            {"ParameterFilters": [{"Key": "Type", "Option": "Contains", "Values": ["S"]}]},
            "InvalidFilterOption",
        ),
        (
            {"ParameterFilters": [{"Key": "Name", "Option": "Recursive", "Values": ["/a"]}]},
            "InvalidFilterOption",
        ),
        ({"ParameterFilters": [{"Key": "Path", "Values": ["no-slash"]}]}, "InvalidFilterValue"),
        ({"ParameterFilters": [{"Key": "Tier", "Values": ["Gold"]}]}, "InvalidFilterValue"),
        ({"ParameterFilters": [{"Key": "Name"}]}, "InvalidFilterValue"),
        (
            {
                "ParameterFilters": [
                    {"Key": "Type", "Values": ["String"]},
                    {"Key": "Type", "Values": ["String"]},
                ]
            },
            "ValidationException",
        ),
        (
            {
                "Filters": [{"Key": "Type", "Values": ["String"]}],
                "ParameterFilters": [{"Key": "Type", "Values": ["String"]}],
            },
            "ValidationException",
        ),
        ({"Filters": [{"Key": "Type", "Values": ["Strings"]}]}, "InvalidFilterValue"),
        ({"ParameterFilters": [{"Key": "Owner", "Values": ["me"]}]}, "ValidationException"),
    ],
)
def test_describe_bad_filters(tree, kw, code):
    assert_error(tree.describe_parameters, code, **kw)


def test_describe_shared_lists_nothing_shared(tree):
    assert tree.describe_parameters(Shared=True)["Parameters"] == []
