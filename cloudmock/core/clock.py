"""A clock tests can move: every time-dependent behaviour reads it, never time.time()."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timezone


class Clock:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._offset = 0.0
        self._frozen_at: float | None = None

    def time(self) -> float:
        frozen = self._frozen_at
        return frozen if frozen is not None else time.time() + self._offset

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.time(), tz=timezone.utc)

    def advance(self, seconds: float) -> None:
        """Move time forward, e.g. to let state transitions with a delay complete."""
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        with self._lock:
            if self._frozen_at is not None:
                self._frozen_at += seconds
            else:
                self._offset += seconds

    def freeze(self, at: datetime | float | None = None) -> None:
        """Stop the clock (at ``at``, or now) so timestamps are reproducible."""
        with self._lock:
            if at is None:
                self._frozen_at = self.time()
            elif isinstance(at, datetime):
                self._frozen_at = at.timestamp()
            else:
                self._frozen_at = float(at)

    def unfreeze(self) -> None:
        with self._lock:
            if self._frozen_at is not None:
                self._offset = self._frozen_at - time.time()
            self._frozen_at = None

    def reset(self) -> None:
        with self._lock:
            self._offset = 0.0
            self._frozen_at = None
