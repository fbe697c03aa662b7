"""Small helpers shared by the IAM tests."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

IAM_ID = r"[A-Z0-9]{17}"
ACCOUNT = "123456789012"

TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "ec2.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}
PERMISSIONS = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}],
}


def doc(value: dict[str, Any]) -> str:
    return json.dumps(value)


def make_role(iam: Any, name: str = "app", **kw: Any) -> dict[str, Any]:
    kw.setdefault("AssumeRolePolicyDocument", doc(TRUST))
    return iam.create_role(RoleName=name, **kw)["Role"]


def make_policy(iam: Any, name: str = "app-policy", **kw: Any) -> dict[str, Any]:
    kw.setdefault("PolicyDocument", doc(PERMISSIONS))
    return iam.create_policy(PolicyName=name, **kw)["Policy"]


def all_pages(call: Callable[..., Any], key: str, **kw: Any) -> tuple[list[Any], int]:
    """Every item of a Marker-paged List*, and how many pages it took."""
    items: list[Any] = []
    pages = 0
    while True:
        result = call(**kw)
        pages += 1
        items.extend(result[key])
        if not result["IsTruncated"]:
            assert "Marker" not in result
            return items, pages
        kw["Marker"] = result["Marker"]
