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

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: Any) -> Config:
        """Read ``CLOUDMOCK_SEED`` and ``CLOUDMOCK_ACCOUNTS`` (``KEY=ACCOUNT,KEY=ACCOUNT``)."""
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
        for name, value in overrides.items():
            if value is not None:
                setattr(config, name, value)
        return config
