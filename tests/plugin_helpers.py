"""Installing the plugins under ``plugins/`` for a test, the way pip would, without pip.

``importlib.metadata`` finds a distribution by its ``*.dist-info`` directory on
``sys.path``; its ``entry_points.txt`` is all cloudmock's registry reads. So writing
one into a temporary directory and putting that directory (and the plugin's source)
on ``sys.path`` installs the plugin as far as cloudmock can tell. A module, not a
conftest: conftest names clash across test directories.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from cloudmock.core.registry import GROUP, Registry, default_registry

PLUGINS_DIR = Path(__file__).resolve().parents[1] / "plugins"


def write_dist(root: Path, name: str, entry_points: dict[str, str]) -> Path:
    """``root/NAME-0.1.0.dist-info`` declaring ``entry_points`` in cloudmock's group."""
    dist = root / f"{name.replace('-', '_')}-0.1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.1.0\n")
    lines = [f"[{GROUP}]", *(f"{k} = {v}" for k, v in entry_points.items())]
    (dist / "entry_points.txt").write_text("\n".join(lines) + "\n")
    return dist


def forget_modules(packages: Sequence[str]) -> None:
    """Drop ``packages`` (and their submodules) from ``sys.modules``: the next import is fresh."""
    for name in list(sys.modules):
        if name.split(".")[0] in packages:
            del sys.modules[name]


@dataclass(frozen=True)
class Installation:
    #: a fresh Registry that finds the plugin (cloudmock's default registry never does)
    registry: Registry
    #: what a fresh interpreter needs on PYTHONPATH to find it too
    path: tuple[Path, ...]


@contextmanager
def installed(
    site: Path, distribution: str, entry_points: dict[str, str], packages: Sequence[str]
) -> Iterator[Installation]:
    """The plugin under ``plugins/DISTRIBUTION`` installed into ``site`` for the duration."""
    forget_modules(packages)
    default_registry().names()  # list the real entry points first, so ours never leak into it
    write_dist(site, distribution, entry_points)
    source = PLUGINS_DIR / distribution
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(source))
        patch.syspath_prepend(str(site))
        try:
            yield Installation(Registry(), (site, source))
        finally:
            forget_modules(packages)
    assert not set(entry_points) & set(default_registry().names())


def cloudmock_services(*path: object) -> subprocess.CompletedProcess[str]:
    """``cloudmock services`` in a fresh interpreter with ``path`` on PYTHONPATH."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(str(p) for p in path)}
    return subprocess.run(
        [sys.executable, "-m", "cloudmock", "services"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
