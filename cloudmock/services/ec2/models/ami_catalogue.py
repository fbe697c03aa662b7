"""The public AMI catalogue (data/ami_catalogue.json, written by scripts/generate_ami_catalogue.py).

Read once per process on first use, never at import. Every region shows every image
under an id of its own, derived from the region and the image name, so the ids are
the same in every run and SSM's ``/aws/service/...`` parameters (which never see an
EC2 backend) name the same ids DescribeImages shows.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import resources
from typing import Any


@dataclass(frozen=True)
class CatalogueRow:
    """One public image, as the data file describes it (ids come per region)."""

    name: str
    owner_id: str
    owner_alias: str
    architecture: str
    creation_date: str
    description: str
    root_device_name: str
    volume_size: int
    volume_type: str
    platform: str
    platform_details: str
    usage_operation: str
    boot_mode: str
    imds_support: str
    tpm_support: str
    line: str


@dataclass(frozen=True)
class CatalogueLine:
    """A line of releases (one OS version, variant and architecture) and its SSM parameters."""

    id: str
    #: the parameters that name the newest release ("latest", "current")
    parameters: tuple[str, ...]
    #: the line's releases, oldest first
    rows: tuple[CatalogueRow, ...]
    #: whether the publisher also keeps one parameter per release (Ubuntu, Debian)
    serials: bool = False


@dataclass(frozen=True)
class RawCatalogue:
    rows: tuple[CatalogueRow, ...]
    lines: tuple[CatalogueLine, ...]


_raw: RawCatalogue | None = None
_lock = threading.Lock()


def raw_catalogue() -> RawCatalogue:
    """The catalogue's rows and lines, read from the data file the first time."""
    global _raw
    if _raw is None:
        with _lock:
            if _raw is None:
                _raw = _load()
    return _raw


def _load() -> RawCatalogue:
    text = (
        resources.files("cloudmock.services.ec2")
        .joinpath("data/ami_catalogue.json")
        .read_text(encoding="utf-8")
    )
    data: dict[str, Any] = json.loads(text)
    owners: dict[str, list[str]] = data["owners"]
    platforms: dict[str, list[str]] = data["platforms"]
    rows = []
    for raw in data["images"]:
        owner_id, alias = owners[raw["o"]]
        platform, details, usage = platforms[raw.get("p", "linux")]
        rows.append(
            CatalogueRow(
                name=raw["n"],
                owner_id=owner_id,
                owner_alias=alias,
                architecture=raw["a"],
                creation_date=raw["c"],
                description=raw["d"],
                root_device_name=raw["r"],
                volume_size=raw["s"],
                volume_type=raw["v"],
                platform=platform,
                platform_details=details,
                usage_operation=usage,
                boot_mode=raw.get("b", ""),
                imds_support=raw.get("i", ""),
                tpm_support=raw.get("t", ""),
                line=raw["l"],
            )
        )
    by_line: dict[str, list[CatalogueRow]] = {}
    for row in rows:
        by_line.setdefault(row.line, []).append(row)
    lines = tuple(
        CatalogueLine(
            id=line["id"],
            parameters=tuple(line["ssm"]),
            rows=tuple(sorted(by_line.get(line["id"], ()), key=lambda r: r.creation_date)),
            serials=bool(line.get("serials")),
        )
        for line in data["lines"]
    )
    return RawCatalogue(tuple(rows), lines)


def _digest(*parts: str) -> str:
    return hashlib.sha256("/".join(parts).encode()).hexdigest()


def image_id(region: str, name: str) -> str:
    """The id a public image has in ``region``."""
    return "ami-" + _digest(region, name)[:17]


def snapshot_id(region: str, name: str) -> str:
    """The id of the root snapshot of a public image in ``region``."""
    return "snap-" + _digest(region, name, "root")[:17]


def parse_date(value: str) -> datetime:
    """A catalogue creation date (``2024-01-30T22:41:12.000Z``) as an aware datetime."""
    # fromisoformat is many times faster than strptime; before 3.11 it does not take "Z"
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(timezone.utc)


def release_label(row: CatalogueRow) -> str:
    """The release a per-release SSM parameter names: Ubuntu's serial, Debian's build."""
    if row.name.startswith("ubuntu/"):
        return row.name.rsplit("-", 1)[1]
    # debian-12-amd64-20250210-2019 -> 20250210-2019
    return "-".join(row.name.split("-")[3:])
