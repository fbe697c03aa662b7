"""Backends: one per (service, account, region), created lazily, reset in one call.

Each backend comes with a lock; the dispatcher holds it while a handler runs,
so the threaded server never lets two requests change one region at once.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass
from typing import Any

from cloudmock.core.clock import Clock
from cloudmock.core.config import Config
from cloudmock.core.identity import (
    Credentials,
    ExpiredToken,
    Identity,
    IssuedCredentials,
    root_identity,
)
from cloudmock.core.plugin import BackendEnv, ServicePlugin


@dataclass
class BackendSlot:
    backend: Any
    lock: threading.RLock


class State:
    def __init__(self, config: Config | None = None) -> None:
        self.config = config or Config()
        self.clock = Clock()
        self.credentials = Credentials()
        self._lock = threading.Lock()
        self._slots: dict[tuple[str, str, str], BackendSlot] = {}
        self._plugins: dict[str, ServicePlugin] = {}
        self._shared: dict[str, dict[str, Any]] = {}

    def identity_for(self, access_key: str | None) -> Identity:
        """Who signs with ``access_key``: issued credentials, else the mapped account's root."""
        issued = self.credentials.find(access_key)
        if issued is not None:
            if issued.expires is not None and self.clock.now() >= issued.expires:
                raise ExpiredToken()
            return issued.identity
        return root_identity(self.config.account_for(access_key), access_key)

    # -- Identities, as backends see them (BackendEnv.identities)

    def issue(self, credentials: IssuedCredentials) -> None:
        self.credentials.issue(credentials)

    def account_of(self, access_key_id: str) -> str:
        issued = self.credentials.find(access_key_id)
        if issued is not None:
            return issued.identity.account_id
        return self.config.account_for(access_key_id)

    def slot(self, plugin: ServicePlugin, account_id: str, region: str) -> BackendSlot:
        region = plugin.global_region or region
        key = (plugin.name, account_id, region)
        slot = self._slots.get(key)
        if slot is not None:
            return slot
        with self._lock:
            slot = self._slots.get(key)
            if slot is None:
                env = BackendEnv(
                    account_id=account_id,
                    region=region,
                    options=self.config.options_for(plugin.name),
                    clock=self.clock,
                    rng=self._rng_for(key),
                    identities=self,
                    shared=self._shared.setdefault(plugin.name, {}),
                )
                slot = BackendSlot(plugin.create_backend(env), threading.RLock())
                self._slots[key] = slot
                self._plugins[plugin.name] = plugin
        return slot

    def _rng_for(self, key: tuple[str, str, str]) -> random.Random:
        # One stream per backend: a region's ids do not depend on what other regions did.
        if self.config.seed is None:
            return random.Random()
        return random.Random(f"{self.config.seed}/{'/'.join(key)}")

    def reset(self, config: Config | None = None) -> None:
        """Forget every backend (and optionally take new settings); the clock restarts."""
        with self._lock:
            self._slots.clear()
            self._shared.clear()
            self.credentials.clear()
            if config is not None:
                self.config = config
            self.clock.reset()

    def dump(self) -> dict[str, Any]:
        """A JSON-able picture of every backend that exists, for debugging."""
        out: dict[str, Any] = {}
        with self._lock:
            items = list(self._slots.items())
        for (service, account, region), slot in items:
            plugin = self._plugins[service]
            with slot.lock:
                out.setdefault(service, {}).setdefault(account, {})[region] = plugin.dump(
                    slot.backend
                )
        return out
