"""Role ARNs as AssumeRole takes them, and the ids of roles STS knows only by ARN."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from cloudmock.services.sts.errors import invalid_arn

# arn:PARTITION:iam::ACCOUNT:role/PATH/NAME (the path is optional; names are IAM's)
_ROLE_ARN = re.compile(
    r"arn:(?P<partition>aws(?:-[a-z]+)*):iam::(?P<account>[0-9]{12}):role/"
    r"(?P<path>(?:[\x21-\x7e]*/)?)(?P<name>[A-Za-z0-9_+=,.@-]{1,64})"
)
_ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


@dataclass(frozen=True)
class RoleArn:
    text: str
    partition: str
    account_id: str
    #: ``/`` or ``/path/to/``
    path: str
    name: str

    def assumed_role_arn(self, session_name: str) -> str:
        """The ARN of a session of this role (the path is not part of it)."""
        return (
            f"arn:{self.partition}:sts::{self.account_id}:assumed-role/{self.name}/{session_name}"
        )

    def derived_role_id(self) -> str:
        """A stable ``AROA...`` id for a role cloudmock's IAM does not have (same ARN, same id)."""
        digest = hashlib.sha256(self.text.encode("utf-8")).digest()
        return "AROA" + "".join(_ID_ALPHABET[byte % 32] for byte in digest[:17])


def parse_role_arn(text: str) -> RoleArn:
    """The role an ARN names, or STS's ValidationError for anything that is not a role ARN."""
    found = _ROLE_ARN.fullmatch(text)
    if found is None:
        raise invalid_arn()
    return RoleArn(
        text,
        found.group("partition"),
        found.group("account"),
        "/" + found.group("path"),
        found.group("name"),
    )
