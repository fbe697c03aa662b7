"""Small helpers shared by the STS tests."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError

ACCOUNT = "123456789012"
OTHER = "222222222222"
DEPLOYER = f"arn:aws:iam::{OTHER}:role/deployer"


def assert_error(
    call: Callable[..., Any],
    code: str,
    status: int = 400,
    message: str | None = None,
    **kw: Any,
) -> dict[str, Any]:
    """``call(**kw)`` fails with ``code`` and HTTP ``status`` (and ``message``, a regex)."""
    with pytest.raises(ClientError) as info:
        call(**kw)
    response = info.value.response
    assert response["Error"]["Code"] == code, response["Error"]
    assert response["ResponseMetadata"]["HTTPStatusCode"] == status
    if message is not None:
        assert re.fullmatch(message, response["Error"]["Message"]), response["Error"]["Message"]
    return response


def client_for(env: Any, service: str, credentials: dict[str, Any], **kw: Any) -> Any:
    """A client that signs with temporary ``credentials`` (as AssumeRole returns them)."""
    return env.client(
        service,
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
        **kw,
    )
