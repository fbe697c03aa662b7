"""Small helpers shared by the STS tests."""

from __future__ import annotations

from typing import Any

ACCOUNT = "123456789012"
OTHER = "222222222222"
DEPLOYER = f"arn:aws:iam::{OTHER}:role/deployer"


def client_for(env: Any, service: str, credentials: dict[str, Any], **kw: Any) -> Any:
    """A client that signs with temporary ``credentials`` (as AssumeRole returns them)."""
    return env.client(
        service,
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
        **kw,
    )
