"""Who a request is from: the account and principal behind its access key.

A long-term key belongs to the account :class:`~cloudmock.core.config.Config`
maps it to, as that account's root. Temporary credentials that a service hands
out while the mock runs (STS ``AssumeRole``, ``GetSessionToken``) are registered
here, so requests signed with them act as the principal they were issued for,
in its account, until they expire on the mock's clock.
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from cloudmock.core.errors import ServiceError


@dataclass(frozen=True)
class Identity:
    account_id: str
    #: ``arn:aws:iam::123456789012:root``, ``arn:aws:sts::...:assumed-role/Role/session``
    arn: str
    #: the principal's unique id (the account id for root; ``AROA...:session`` for a role)
    user_id: str
    access_key_id: str | None = None


@functools.lru_cache(maxsize=1024)  # built on every request: the same few keys, over and over
def root_identity(account_id: str, access_key_id: str | None = None) -> Identity:
    return Identity(account_id, f"arn:aws:iam::{account_id}:root", account_id, access_key_id)


@dataclass(frozen=True)
class IssuedCredentials:
    identity: Identity
    secret_access_key: str
    session_token: str | None
    expires: datetime | None


class Identities(Protocol):
    """What a backend may do with identities (``BackendEnv.identities``): STS issues
    temporary credentials and tells whose an access key is."""

    def issue(self, credentials: IssuedCredentials) -> None:
        """Register temporary credentials: requests signed with their key act as their identity."""
        ...

    def account_of(self, access_key_id: str) -> str:
        """The account an access key belongs to (issued, mapped by Config, or the default)."""
        ...


class ExpiredToken(ServiceError):
    code = "ExpiredToken"

    def __init__(self) -> None:
        super().__init__("The security token included in the request is expired")


class Credentials:
    """Credentials issued while the mock runs, by access key id."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._issued: dict[str, IssuedCredentials] = {}

    def issue(self, credentials: IssuedCredentials) -> None:
        key = credentials.identity.access_key_id
        if key is None:
            raise ValueError("issued credentials need an access key id")
        with self._lock:
            self._issued[key] = credentials

    def find(self, access_key_id: str | None) -> IssuedCredentials | None:
        return self._issued.get(access_key_id)  # type: ignore[arg-type]  # None finds none

    def clear(self) -> None:
        with self._lock:
            self._issued.clear()
