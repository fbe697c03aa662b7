"""Settings shared by every service: seed, accounts, per-service options."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any

DEFAULT_ACCOUNT_ID = "123456789012"
_ACCOUNT_ID = re.compile(r"^\d{12}$")


@dataclass
class Config:
    """What a mock or a server is started with.

    ``access_keys`` maps access key ids to account ids.  An access key that is
    itself a 12-digit number is taken as the account id, so
    ``aws_access_key_id="111122223333"`` talks to account 111122223333 with no
    set-up; every other key talks to ``default_account_id``.
    """

    seed: int | None = None
    default_account_id: str = DEFAULT_ACCOUNT_ID
    access_keys: dict[str, str] = field(default_factory=dict)
    #: per-service options, e.g. ``{"ec2": {"instance_limit": 50}}``
    services: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: check every request's SigV4/SigV2 signature against ``secret_keys`` (and the
    #: credentials STS issued); off, any signature (or none) is accepted, as before
    verify_signatures: bool = False
    #: access key id -> secret access key, for ``verify_signatures``
    secret_keys: dict[str, str] = field(default_factory=dict)
    #: a token the ``/_cloudmock/*`` control endpoints require (``Authorization:
    #: Bearer ...`` or ``X-Cloudmock-Token``); None: none required
    control_token: str | None = None
    #: host names (besides loopback ones) the control endpoints answer to
    server_names: list[str] = field(default_factory=list)

    def account_for(self, access_key: str | None) -> str:
        if access_key:
            mapped = self.access_keys.get(access_key)
            if mapped:
                return mapped
            if _ACCOUNT_ID.match(access_key):
                return access_key
        return self.default_account_id

    def options_for(self, service: str) -> dict[str, Any]:
        return self.services.get(service, {})

    def add_access_key(self, text: str) -> None:
        """``KEYID:SECRET`` or ``KEYID:SECRET:ACCOUNT`` (a 12-digit account id)."""
        key, secret, account = parse_access_key(text)
        self.secret_keys[key] = secret
        if account:
            self.access_keys[key] = account

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: Any) -> Config:
        """Read ``CLOUDMOCK_SEED``, ``CLOUDMOCK_ACCOUNTS`` (``KEY=ACCOUNT,KEY=ACCOUNT``),
        ``CLOUDMOCK_ACCESS_KEYS`` (``KEYID:SECRET[:ACCOUNT],...``),
        ``CLOUDMOCK_VERIFY_SIGNATURES`` (``1``/``true``) and ``CLOUDMOCK_CONTROL_TOKEN``."""
        env = os.environ if environ is None else environ
        config = cls()
        if env.get("CLOUDMOCK_SEED"):
            try:
                config.seed = int(env["CLOUDMOCK_SEED"])
            except ValueError:
                raise ValueError(
                    f"CLOUDMOCK_SEED must be an integer, not {env['CLOUDMOCK_SEED']!r}"
                ) from None
        for pair in filter(None, env.get("CLOUDMOCK_ACCOUNTS", "").split(",")):
            key, _, account = pair.partition("=")
            if not _ACCOUNT_ID.match(account.strip()):
                raise ValueError(f"CLOUDMOCK_ACCOUNTS: {account!r} is not a 12-digit account id")
            config.access_keys[key.strip()] = account.strip()
        _security_from_env(config, env)
        for name, value in overrides.items():
            if value is not None:
                setattr(config, name, value)
        return config


def parse_access_key(text: str) -> tuple[str, str, str | None]:
    """``KEYID:SECRET[:ACCOUNT]`` -> (key id, secret, account or None); ValueError if malformed.

    A secret may not hold ``:``; AWS's secrets never do (base64 letters, ``+`` and ``/``).
    """
    parts = text.strip().split(":")
    if len(parts) not in (2, 3) or not parts[0] or not parts[1]:
        raise ValueError(f"expected KEYID:SECRET or KEYID:SECRET:ACCOUNT, got {_masked(text)!r}")
    account = parts[2] if len(parts) == 3 else None
    if account is not None and not _ACCOUNT_ID.match(account):
        raise ValueError(f"access key {parts[0]}: {account!r} is not a 12-digit account id")
    return parts[0], parts[1], account


def read_access_key_file(path: str, config: Config) -> None:
    """One ``KEYID:SECRET[:ACCOUNT]`` per line; blank lines and ``#`` comments skipped."""
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            line = line.strip()
            if line and not line.startswith("#"):
                try:
                    config.add_access_key(line)
                except ValueError as error:
                    raise ValueError(f"{path}, line {number}: {error}") from None


def _security_from_env(config: Config, env: Any) -> None:
    for item in filter(None, env.get("CLOUDMOCK_ACCESS_KEYS", "").split(",")):
        try:
            config.add_access_key(item)
        except ValueError as error:
            raise ValueError(f"CLOUDMOCK_ACCESS_KEYS: {error}") from None
    flag = env.get("CLOUDMOCK_VERIFY_SIGNATURES", "").strip().lower()
    if flag in ("1", "true", "yes", "on"):
        config.verify_signatures = True
    elif flag not in ("", "0", "false", "no", "off"):
        raise ValueError(f"CLOUDMOCK_VERIFY_SIGNATURES must be 1 or 0, not {flag!r}")
    if env.get("CLOUDMOCK_CONTROL_TOKEN"):
        config.control_token = env["CLOUDMOCK_CONTROL_TOKEN"]


def _masked(text: str) -> str:
    """An access key spec with its secret hidden, for error messages."""
    key, sep, _ = text.strip().partition(":")
    return f"{key}{sep}***" if sep else key
