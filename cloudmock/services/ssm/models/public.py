"""The seam for public parameters (``/aws/service/...``), which AWS publishes in every region.

Parameter Store answers reads of names under ``/aws/`` from AWS's own catalogue
(``/aws/service/ami-amazon-linux-latest/...`` and friends), never from the
account's parameters. The backend asks a read-only :class:`PublicParameters`
provider for them; today's provider knows none, so such a read answers
``ParameterNotFound`` (and a path under ``/aws/`` lists nothing). A catalogue
(e.g. the AMI ids EC2 knows) plugs in by replacing :func:`provider_for`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


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


def provider_for(region: str) -> PublicParameters:
    """The public parameters of ``region`` (none yet)."""
    return NO_PUBLIC_PARAMETERS
