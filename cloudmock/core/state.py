"""Backends: one per (service, account, region), created lazily, reset in one call.

Each backend comes with a lock; the dispatcher holds it while a handler runs,
so the threaded server never lets two requests change one region at once.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    from cloudmock.core.persistence import Durable


#: set while a durable request runs (cloudmock.core.persistence): called when it does
#: something a replay of its log row could not do again alike
_UNREPEATABLE: contextvars.ContextVar[Callable[[], None] | None] = contextvars.ContextVar(
    "cloudmock_unrepeatable", default=None
)


def unrepeatable() -> None:
    """Say that the running request uses randomness its backend's seeded streams do not
    give (e.g. a key pair made by the OS's generator): with a state directory, what it
    did is then saved whole rather than logged to be replayed. Without one, nothing."""
    note = _UNREPEATABLE.get()
    if note is not None:
        note()


class _PinnedClock(Clock):
    """The clock of a state with a state directory: a request sees one moment from start
    to end (``pinned``), so replaying it from the log at that moment does the same."""

    _pinned: float | None = None

    def time(self) -> float:
        pinned = self._pinned
        return pinned if pinned is not None else super().time()


class _CountedRandom(random.Random):
    """A backend's id stream in durable mode: it counts draws (of every such stream, in
    one count), so a read that drew from one is logged like a write; left out, its
    replay would give every later id of that stream to something else."""

    drawn = 0

    def random(self) -> float:
        _CountedRandom.drawn += 1
        return super().random()

    def getrandbits(self, k: int, /) -> int:
        _CountedRandom.drawn += 1
        return super().getrandbits(k)


def draws() -> int:
    """How many draws durable states' id streams have made so far."""
    return _CountedRandom.drawn


@dataclass
class BackendSlot:
    backend: Any
    lock: threading.RLock


class State:
    def __init__(
        self, config: Config | None = None, state_dir: str | os.PathLike[str] | None = None
    ) -> None:
        self.config = config or Config()
        self.clock = Clock()
        self.credentials = Credentials()
        self._lock = threading.Lock()
        #: every backend's lock: a request may touch other accounts' and regions'
        #: backends (peering, transit gateways, copies, ``ctx.services`` calls), and one
        #: lock cannot be taken in two orders; the GIL runs one request at a time anyway
        self._backend_lock = threading.RLock()
        self._slots: dict[tuple[str, str, str], BackendSlot] = {}
        self._plugins: dict[str, ServicePlugin] = {}
        self._shared: dict[str, dict[str, Any]] = {}
        #: the state directory (``--state-dir``), or None: in memory only
        self.durable: Durable | None = None
        #: with a state directory: its seed for id streams when the config has none (the
        #: streams are then _CountedRandom)
        self._durable_seed: str | None = None
        if state_dir is not None:
            self._open(state_dir)

    # -- durable state (cloudmock.core.persistence)

    def _open(self, state_dir: str | os.PathLike[str]) -> None:
        from cloudmock.core.persistence import Durable

        durable = Durable(state_dir)
        # a request sees one moment (replayed from the log at that moment); memory-only
        # states keep the plain class, so nothing is added to their clock reads
        self.clock.__class__ = _PinnedClock
        self._durable_seed = durable.seed
        try:
            durable.restore(self)
        except BaseException:
            durable.release()  # memory only, as before the attempt
            self.clock.__class__ = Clock
            self._durable_seed = None
            raise
        self.durable = durable
        self.clock.on_change = self._clock_changed

    def attach(self, state_dir: str | os.PathLike[str]) -> None:
        """Keep this (freshly reset) state in ``state_dir`` from now on, after restoring
        what it holds (``MockAWS(state_dir=...)``)."""
        self.detach()
        self._open(state_dir)

    def detach(self) -> None:
        """Close the state directory (what it holds stays); memory only from now on."""
        if self.durable is not None:
            self.durable.close(self)
            self.durable = None
            self.clock.on_change = None
            self.clock.__class__ = Clock
            self._durable_seed = None

    def _clock_changed(self) -> None:
        if self.durable is not None:
            self.durable.changed(self, "clock")

    def adopt(
        self, service: str, slots: dict[tuple[str, str, str], Any], shared: dict[str, Any]
    ) -> None:
        """Take a restored service graph: its backends (by slot key) and shared dict."""
        with self._lock:
            self._shared[service] = shared
            for key, backend in slots.items():
                self._slots[key] = BackendSlot(backend, self._backend_lock)

    def services(self) -> list[str]:
        """Every service with a backend or a shared dict (what a snapshot saves)."""
        with self._lock:
            return sorted({key[0] for key in self._slots} | set(self._shared))

    def graph(self, service: str) -> tuple[dict[tuple[str, str, str], Any], dict[str, Any]]:
        """Every backend of ``service`` by slot key, and its shared dict (what is saved)."""
        with self._lock:
            slots = {key: slot.backend for key, slot in self._slots.items() if key[0] == service}
            return slots, self._shared.get(service, {})

    def issued(self) -> list[IssuedCredentials]:
        """The temporary credentials issued so far (what is saved of them)."""
        return list(self.credentials._issued.values())  # Credentials keeps no other view

    def close(self) -> None:
        """Close the state directory's database (if any), after a last snapshot."""
        if self.durable is not None:
            self.durable.close(self)

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
        if self.durable is not None:
            self.durable.changed(self, "credentials")

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
        if self.durable is not None:
            # the state directory's lock first, as every durable request takes it
            with self.durable.lock:
                return self._new_slot(plugin, account_id, region, key)
        return self._new_slot(plugin, account_id, region, key)

    def _new_slot(
        self, plugin: ServicePlugin, account_id: str, region: str, key: tuple[str, str, str]
    ) -> BackendSlot:
        created = False
        with self._lock:
            slot = self._slots.get(key)
            if slot is None:
                created = True
                env = BackendEnv(
                    account_id=account_id,
                    region=region,
                    options=self.config.options_for(plugin.name),
                    clock=self.clock,
                    rng=self._rng_for(key),
                    identities=self,
                    shared=self._shared.setdefault(plugin.name, {}),
                )
                slot = BackendSlot(plugin.create_backend(env), self._backend_lock)
                self._slots[key] = slot
                self._plugins[plugin.name] = plugin
        if created and self.durable is not None:
            # a new backend made ids (default VPC, ...) a client may already see
            self.durable.changed(self, plugin.name)
        return slot

    def _rng_for(self, key: tuple[str, str, str]) -> random.Random:
        # One stream per backend: a region's ids do not depend on what other regions did.
        name = "/".join(key)
        if self._durable_seed is not None:
            # replaying the log makes this backend again: the same ids, so without a
            # seed the stream comes from the directory's, not from nowhere
            seed = self._durable_seed if self.config.seed is None else self.config.seed
            return _CountedRandom(f"{seed}/{name}")
        if self.config.seed is None:
            return random.Random()
        return random.Random(f"{self.config.seed}/{name}")

    def reset(self, config: Config | None = None) -> None:
        """Forget every backend (and optionally take new settings); the clock restarts.
        With a state directory, what it holds is forgotten too."""
        durable = self.durable
        with durable.lock if durable is not None else contextlib.nullcontext():
            with self._lock:
                self._slots.clear()
                self._shared.clear()
                self.credentials.clear()
                if config is not None:
                    self.config = config
            # the clock is saved with the reset state (not by a write of its own, which,
            # refused, would leave the directory's old state standing)
            on_change, self.clock.on_change = self.clock.on_change, None
            try:
                self.clock.reset()
            finally:
                self.clock.on_change = on_change
            if durable is not None:
                durable.clear(self)

    def dump(self) -> dict[str, Any]:
        """A JSON-able picture of every backend that exists, for debugging."""
        out: dict[str, Any] = {}
        with self._lock:
            items = list(self._slots.items())
        for (service, account, region), slot in items:
            plugin = self._plugins.get(service) or _installed(service)
            with slot.lock:
                out.setdefault(service, {}).setdefault(account, {})[region] = plugin.dump(
                    slot.backend
                )
        return out


def _installed(service: str) -> ServicePlugin:
    """The installed plugin of a service whose backends were restored from disk."""
    from cloudmock.core.registry import default_registry

    plugin = default_registry().get(service)
    if plugin is None:
        raise KeyError(f"no installed plugin for restored service {service!r}")
    return plugin
