"""SSM's public parameters for EC2's AMI catalogue (``/aws/service/ami-...``).

Registered under the ``cloudmock.ssm.public_parameters`` entry point; SSM asks it
for names under ``/aws/`` it does not hold itself. Each parameter names the newest
release of its line of images in the region asked about (the catalogue's ids are
derived from region and name, so they match what DescribeImages shows there).
"""

from __future__ import annotations

from cloudmock.services.ec2.models.ami_catalogue import (
    image_id,
    parse_date,
    raw_catalogue,
    release_label,
)
from cloudmock.services.ssm.models.public import PublicParameter, PublicParameters

#: SSM's data type of a parameter whose value is an AMI id
AMI_DATA_TYPE = "aws:ec2:image"


class AmiParameters:
    """The AMI parameters of one region, built on the first read."""

    def __init__(self, region: str) -> None:
        self.region = region
        self._by_name: dict[str, PublicParameter] | None = None

    def _all(self) -> dict[str, PublicParameter]:
        if self._by_name is None:
            self._by_name = parameters_for(self.region)
        return self._by_name

    def get(self, name: str) -> PublicParameter | None:
        return self._all().get(name)

    def under(self, path: str, recursive: bool) -> list[PublicParameter]:
        prefix = path.rstrip("/") + "/"
        return [
            parameter
            for name, parameter in self._all().items()
            if name.startswith(prefix) and (recursive or "/" not in name[len(prefix) :])
        ]


def parameters_for(region: str) -> dict[str, PublicParameter]:
    """Every AMI parameter of ``region`` by name."""
    found: dict[str, PublicParameter] = {}
    for line in raw_catalogue().lines:
        if not line.rows:
            continue
        newest = line.rows[-1]
        for name in line.parameters:
            found[name] = PublicParameter(
                name=name,
                value=image_id(region, newest.name),
                # one version per release the parameter has pointed at
                version=len(line.rows),
                modified=parse_date(newest.creation_date),
                data_type=AMI_DATA_TYPE,
            )
            if not line.serials:
                continue
            for row in line.rows:
                label = release_label(row)
                pinned = name.replace("/current/", f"/{label}/").replace("/latest/", f"/{label}/")
                found[pinned] = PublicParameter(
                    name=pinned,
                    value=image_id(region, row.name),
                    modified=parse_date(row.creation_date),
                    data_type=AMI_DATA_TYPE,
                )
    return found


def parameter_names_of_lines() -> dict[str, tuple[str, ...]]:
    """line id -> the parameters that follow it (DescribeImages' public-ssm-parameter-name)."""
    return {line.id: line.parameters for line in raw_catalogue().lines}


def provider_for(region: str) -> PublicParameters:
    """The AMI parameters of ``region``."""
    return AmiParameters(region)
