"""Small helpers shared by the SSM tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError

ACCOUNT = "123456789012"
REGION = "eu-west-1"


def assert_error(call: Callable[..., Any], code: str, *args: Any, **kw: Any) -> dict[str, Any]:
    """Call and expect an AWS error with ``code`` (HTTP 400); the error dict."""
    with pytest.raises(ClientError) as info:
        call(*args, **kw)
    error: dict[str, Any] = info.value.response["Error"]
    assert error["Code"] == code, error
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    return error


def put(ssm: Any, name: str, value: str = "value", **kw: Any) -> int:
    kw.setdefault("Type", "String")
    version: int = ssm.put_parameter(Name=name, Value=value, **kw)["Version"]
    return version


def value_of(ssm: Any, name: str, **kw: Any) -> str:
    value: str = ssm.get_parameter(Name=name, **kw)["Parameter"]["Value"]
    return value


def names(parameters: list[dict[str, Any]]) -> list[str]:
    return [p["Name"] for p in parameters]
