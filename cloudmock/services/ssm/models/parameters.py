"""A parameter and its versions, and how each read shows them."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from cloudmock.services.ssm.models.policies import Policy

if TYPE_CHECKING:
    from cloudmock.services.ssm.shapes import (
        Parameter as ParameterView,
    )
    from cloudmock.services.ssm.shapes import (
        ParameterHistory,
        ParameterMetadata,
        Tag,
    )

STRING, STRING_LIST, SECURE_STRING = "String", "StringList", "SecureString"
TYPES = (STRING, STRING_LIST, SECURE_STRING)
STANDARD, ADVANCED, INTELLIGENT_TIERING = "Standard", "Advanced", "Intelligent-Tiering"
#: the KMS key SecureString parameters use when the request names none
DEFAULT_KEY_ID = "alias/aws/ssm"


@dataclass
class Version:
    """One version of a parameter: everything PutParameter set, as it was then."""

    number: int
    value: str
    type: str
    key_id: str | None
    description: str | None
    allowed_pattern: str | None
    data_type: str
    tier: str
    policies: tuple[Policy, ...]
    modified: datetime
    modified_by: str
    labels: list[str] = field(default_factory=list)

    def shown_value(self, arn: str, decrypt: bool) -> str:
        """The value a read returns: a SecureString's only when decryption was asked for."""
        if self.type != SECURE_STRING or decrypt:
            return self.value
        return ciphertext(arn, self)


def ciphertext(arn: str, version: Version) -> str:
    """What a SecureString read without decryption returns: an opaque, stable KMS-like blob."""
    seed = hashlib.sha256(f"{arn}:{version.number}:{version.key_id}".encode()).digest()
    data = version.value.encode("utf-8")
    stream = bytearray()
    counter = 0
    while len(stream) < len(data):
        stream += hashlib.sha256(seed + counter.to_bytes(4, "big")).digest()
        counter += 1
    body = bytes(a ^ b for a, b in zip(data, stream, strict=False))
    return base64.b64encode(b"\x01\x02\x02\x00" + seed[:20] + body).decode("ascii")


@dataclass
class Parameter:
    name: str
    arn: str
    #: by number, oldest first (at most 100 are kept)
    versions: dict[int, Version]
    tags: dict[str, str] = field(default_factory=dict)
    #: label -> the version number carrying it (a label is on one version at a time)
    labels: dict[str, int] = field(default_factory=dict)

    @property
    def latest(self) -> Version:
        return self.versions[next(reversed(self.versions))]

    def labeled(self, label: str) -> Version | None:
        number = self.labels.get(label)
        return None if number is None else self.versions[number]

    def view(
        self,
        version: Version,
        decrypt: bool,
        *,
        name: str | None = None,
        selector: str | None = None,
    ) -> ParameterView:
        """GetParameter's ``Parameter`` (also GetParameters' and GetParametersByPath's)."""
        shown: ParameterView = {
            "Name": name or self.name,
            "Type": version.type,
            "Value": version.shown_value(self.arn, decrypt),
            "Version": version.number,
            "LastModifiedDate": version.modified,
            "ARN": self.arn,
            "DataType": version.data_type,
        }
        if selector is not None:
            shown["Selector"] = selector
        return shown

    def describe(self) -> ParameterMetadata:
        """DescribeParameters' view of the latest version (never the value)."""
        version = self.latest
        shown: ParameterMetadata = {
            "Name": self.name,
            "ARN": self.arn,
            "Type": version.type,
            "LastModifiedDate": version.modified,
            "LastModifiedUser": version.modified_by,
            "Version": version.number,
            "Tier": version.tier,
            "Policies": [policy.describe() for policy in version.policies],
            "DataType": version.data_type,
        }
        if version.key_id is not None:
            shown["KeyId"] = version.key_id
        if version.description is not None:
            shown["Description"] = version.description
        if version.allowed_pattern is not None:
            shown["AllowedPattern"] = version.allowed_pattern
        return shown

    def history(self, version: Version, decrypt: bool) -> ParameterHistory:
        shown: ParameterHistory = {
            "Name": self.name,
            "Type": version.type,
            "LastModifiedDate": version.modified,
            "LastModifiedUser": version.modified_by,
            "Value": version.shown_value(self.arn, decrypt),
            "Version": version.number,
            "Labels": list(version.labels),
            "Tier": version.tier,
            "Policies": [policy.describe() for policy in version.policies],
            "DataType": version.data_type,
        }
        if version.key_id is not None:
            shown["KeyId"] = version.key_id
        if version.description is not None:
            shown["Description"] = version.description
        if version.allowed_pattern is not None:
            shown["AllowedPattern"] = version.allowed_pattern
        return shown

    def tag_list(self) -> list[Tag]:
        return [{"Key": key, "Value": value} for key, value in self.tags.items()]
