"""Constants and helpers the core tests share (a module, not conftest: conftest names clash)."""

from __future__ import annotations

import socket

AMI = "ami-0abcdef1234567890"
EC2_NS = "http://ec2.amazonaws.com/doc/2016-11-15/"
VERSION = "2016-11-15"


def scope_header(region: str = "eu-west-1", service: str = "ec2", key: str = "testing") -> str:
    """An Authorization header with a SigV4 credential scope (cloudmock does not verify it)."""
    return (
        f"AWS4-HMAC-SHA256 Credential={key}/20240101/{region}/{service}/aws4_request, "
        "SignedHeaders=host;x-amz-date, Signature=" + "0" * 64
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
