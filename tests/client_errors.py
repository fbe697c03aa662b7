"""The error a client call must fail with, shared by the service tests."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError


def assert_error(
    call: Callable[..., Any],
    code: str,
    status: int = 400,
    message: str | None = None,
    **kw: Any,
) -> dict[str, Any]:
    """``call(**kw)`` fails with ``code`` and HTTP ``status`` (and ``message``, a regex
    the whole message matches); the ClientError's response."""
    with pytest.raises(ClientError) as info:
        call(**kw)
    response = info.value.response
    assert response["Error"]["Code"] == code, response["Error"]
    assert response["ResponseMetadata"]["HTTPStatusCode"] == status
    if message is not None:
        assert re.fullmatch(message, response["Error"]["Message"]), response["Error"]["Message"]
    return response
