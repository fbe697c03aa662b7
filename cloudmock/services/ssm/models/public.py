"""The seam for public parameters (``/aws/service/...``), which AWS publishes in every region.

Parameter Store answers reads of names under ``/aws/`` from AWS's own catalogue
(``/aws/service/ami-amazon-linux-latest/...`` and friends), never from the
account's parameters. The backend asks a read-only :class:`PublicParameters`
provider for them; today's provider asks every catalogue installed under the ``cloudmock.ssm.public_parameters``
entry points (EC2 registers its AMI catalogue there, as a third party would), so
SSM never imports another service. What no catalogue knows answers
``ParameterNotFound`` (and a path under ``/aws/`` lists nothing).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from importlib.metadata import entry_points
from typing import Protocol

GROUP = "cloudmock.ssm.public_parameters"


@dataclass(frozen=True)
class PublicParameter:
    name: str
    value: str
    type: str = "String"
    version: int = 1
    modified: datetime | None = None
    data_type: str = "text"


class PublicParameters(Protocol):
    def get(self, name: str) -> PublicParameter | None:
        """The public parameter ``name`` (under ``/aws/``), or None."""
        ...

    def under(self, path: str, recursive: bool) -> list[PublicParameter]:
        """The public parameters in ``path`` (one level, or every level below)."""
        ...


class NoPublicParameters:
    def get(self, name: str) -> PublicParameter | None:
        return None

    def under(self, path: str, recursive: bool) -> list[PublicParameter]:
        return []


NO_PUBLIC_PARAMETERS = NoPublicParameters()


_factories: list[Callable[[str], PublicParameters]] | None = None
_lock = threading.Lock()


def _installed() -> list[Callable[[str], PublicParameters]]:
    """Every catalogue factory (``region -> PublicParameters``), loaded on first use."""
    global _factories
    if _factories is None:
        with _lock:
            if _factories is None:
                _factories = [ep.load() for ep in entry_points(group=GROUP)]
    return _factories


class InstalledPublicParameters:
    """The installed catalogues of one region, each asked in turn; built on first read
    (an SSM backend that never reads ``/aws/`` costs nothing)."""

    def __init__(self, region: str) -> None:
        self.region = region
        self._providers: list[PublicParameters] | None = None

    def _all(self) -> list[PublicParameters]:
        if self._providers is None:
            self._providers = [factory(self.region) for factory in _installed()]
        return self._providers

    def get(self, name: str) -> PublicParameter | None:
        for provider in self._all():
            found = provider.get(name)
            if found is not None:
                return found
        return None

    def under(self, path: str, recursive: bool) -> list[PublicParameter]:
        return [p for provider in self._all() for p in provider.under(path, recursive)]


def provider_for(region: str) -> PublicParameters:
    """The public parameters of ``region``: every installed catalogue's."""
    return InstalledPublicParameters(region)
