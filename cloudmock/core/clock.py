"""A clock tests can move: every time-dependent behaviour reads it, never time.time()."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from datetime import datetime, timezone

_UTC = timezone.utc

# datetime cannot go past year 9999: keep the clock where it can still be shown.
_LATEST = datetime(9999, 12, 31, 23, 59, 59, tzinfo=timezone.utc).timestamp()


def _checked(moment: float) -> float:
    if not math.isfinite(moment) or not 0 <= moment <= _LATEST:
        raise ValueError(f"the clock cannot be set to {moment!r} seconds since the epoch")
    return moment


class Clock:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._offset = 0.0
        self._frozen_at: float | None = None
        #: called after every change (the state directory saves the clock)
        self.on_change: Callable[[], None] | None = None

    def _changed(self) -> None:
        if self.on_change is not None:
            self.on_change()

    def time(self) -> float:
        frozen = self._frozen_at
        return frozen if frozen is not None else time.time() + self._offset

    def now(self) -> datetime:
        # through time(): a subclass pins it (state.py's _PinnedClock, while a log replays)
        return datetime.fromtimestamp(self.time(), _UTC)

    def advance(self, seconds: float) -> None:
        """Move time forward, e.g. to let state transitions with a delay complete."""
        if not math.isfinite(seconds) or seconds < 0:
            raise ValueError(f"the clock only moves forward by a finite time, not {seconds!r}")
        with self._lock:
            _checked(self.time() + seconds)
            if self._frozen_at is not None:
                self._frozen_at += seconds
            else:
                self._offset += seconds
        self._changed()

    def freeze(self, at: datetime | float | None = None) -> None:
        """Stop the clock (at ``at``, or now) so timestamps are reproducible."""
        with self._lock:
            if at is None:
                self._frozen_at = self.time()
            elif isinstance(at, datetime):
                self._frozen_at = _checked(at.timestamp())
            else:
                self._frozen_at = _checked(float(at))
        self._changed()

    def unfreeze(self) -> None:
        with self._lock:
            if self._frozen_at is not None:
                self._offset = self._frozen_at - time.time()
            self._frozen_at = None
        self._changed()

    def reset(self) -> None:
        with self._lock:
            self._offset = 0.0
            self._frozen_at = None
        self._changed()
