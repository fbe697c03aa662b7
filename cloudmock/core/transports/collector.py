"""Garbage collection for a server that is its own process (``cloudmock server``).

CPython walks every tracked object in a full collection, and starts one each time
what survived the young collections reaches a quarter of the old generation. A
server's state only grows with its clients' resources, so a server holding tens of
thousands of instances walked all of them again after every few thousand launches:
pauses of a fifth of a second, and about 15 % of a launch's cost at that size.

Here what the server holds leaves the collector's generations as it settles
(``gc.freeze``), a window of answers at a time, after a collection of what the
window made. Two things keep that safe:

- Objects frozen alive and later freed by their reference counts go as usual; only
  reference cycles that die after being frozen are not found by the window's
  collection. So once as much has been frozen as the last complete collection left
  alive, everything is collected again (unfrozen, collected, frozen): memory stays
  under about twice what is alive, and an object is walked about once each time
  the state doubles instead of four times.
- A server inside someone else's process (``ServerThread``, the pytest fixture)
  never does this: that process's collector is its owner's.
"""

from __future__ import annotations

import gc

#: answers per window: a window's collection walks what its answers left alive
#: (tens of milliseconds after thousands of launches), so rarely enough to be cheap
WINDOW = 2000
#: allocations between young collections (CPython's default is 700): a request makes
#: hundreds of objects, and most are freed by their counts before a collection sees
#: them; 6,000 launches cost 1.2 % fewer instructions with 5,000 (callgrind)
YOUNG_THRESHOLD = 5000


class Collector:
    def __init__(self, window: int = WINDOW) -> None:
        self.window = window
        gc.set_threshold(YOUNG_THRESHOLD, *gc.get_threshold()[1:])
        self._answers = 0
        #: objects frozen since the last complete collection, and what that left alive
        self._frozen_since = 0
        self._alive_after_complete = 0

    def answered(self) -> None:
        """Called once per answer."""
        self._answers += 1
        if self._answers >= self.window:
            self.settle()

    def settle(self) -> None:
        """Collect what is not frozen yet and freeze what survives (also called when a
        service model loads: hundreds of thousands of objects that live for good)."""
        self._answers = 0
        if self._frozen_since >= self._alive_after_complete:  # the first time, too
            gc.unfreeze()
            gc.collect()
            gc.freeze()
            self._alive_after_complete = gc.get_freeze_count()
            self._frozen_since = 0
            return
        gc.collect()
        # after a full collection every survivor not frozen is in the oldest generation;
        # counting them walks only what this window made (the frozen count walks all)
        self._frozen_since += len(gc.get_objects(generation=2))
        gc.freeze()
