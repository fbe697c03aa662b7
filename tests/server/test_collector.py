"""How ``cloudmock server`` runs its process's garbage collection (``collector.py``):
what the server holds leaves the collector's generations, and reference cycles that
die later are still found. Each case runs in a child process: freezing objects in the
test process would be the test runner's business."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

#: cycles of 2,000 lists each; at most 40 alive at a time, 400 made in all
CHILD = textwrap.dedent(
    """
    import gc, json, sys
    from cloudmock.core.transports.collector import Collector

    collector = Collector(window=10)
    if sys.argv[1] == "no-complete":
        collector.settle()
        collector._alive_after_complete = sys.maxsize  # never collect everything again
    gc.collect()
    before = gc.get_freeze_count() + len(gc.get_objects())
    alive = []
    for step in range(400):
        node = {"payload": [[] for _ in range(2000)]}
        node["self"] = node  # a cycle: only the collector frees it once dropped
        alive.append(node)
        if len(alive) > 40:
            alive.pop(0)
        collector.answered()
    held = gc.get_freeze_count() + len(gc.get_objects()) - before
    print(json.dumps({"held": held, "frozen": gc.get_freeze_count()}))
    """
)

LIVE = 40 * 2002  # objects the live cycles hold


def _run(mode: str) -> dict[str, int]:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, mode], capture_output=True, text=True, check=True, timeout=120
    )
    result: dict[str, int] = json.loads(out.stdout)
    return result


def test_cycles_that_die_after_being_frozen_are_still_collected() -> None:
    result = _run("policy")
    # bounded by about twice what is alive, not by what was ever made (800,000)
    assert result["held"] < 3 * LIVE, result
    assert result["frozen"] > 0  # what lives was moved out of the generations


def test_without_the_complete_collections_such_cycles_would_pile_up() -> None:
    """The check above can fail: without its complete collections the same run keeps
    nearly everything it ever made."""
    result = _run("no-complete")
    assert result["held"] > 8 * LIVE, result
