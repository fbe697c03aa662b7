"""Regions and Availability Zones, from ``data/regions.json`` (made by scripts/gen_ec2_regions.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

from cloudmock.core.errors import ServiceError


@dataclass(frozen=True)
class Zone:
    name: str
    zone_id: str
    region: str


@dataclass(frozen=True)
class Region:
    name: str
    opt_in_required: bool
    zones: tuple[Zone, ...]

    @property
    def endpoint(self) -> str:
        return f"ec2.{self.name}.amazonaws.com"

    @property
    def opt_in_status(self) -> str:
        # cloudmock accounts are opted in to every opt-in region, so all of them can be used.
        return "opted-in" if self.opt_in_required else "opt-in-not-required"


@cache
def all_regions() -> dict[str, Region]:
    raw = json.loads(
        resources.files("cloudmock.services.ec2").joinpath("data/regions.json").read_text("utf-8")
    )
    return {
        entry["name"]: Region(
            entry["name"],
            entry["opt_in_required"],
            tuple(Zone(z["name"], z["id"], entry["name"]) for z in entry["zones"]),
        )
        for entry in raw["regions"]
    }


@cache
def _descriptions() -> dict[str, str]:
    from botocore.loaders import create_loader

    endpoints = create_loader().load_data("endpoints")
    return {
        name: info.get("description", name)
        for partition in endpoints["partitions"]
        for name, info in partition["regions"].items()
    }


def zone_group(zone: Zone) -> tuple[str, str]:
    """A zone's group (``us-east-1-zg-1``) and its long name (``US East (N. Virginia) 1``)."""
    return f"{zone.region}-zg-1", f"{_descriptions().get(zone.region, zone.region)} 1"


@cache
def botocore_regions() -> frozenset[str]:
    """Every region botocore can reach EC2 in, in every partition (China, GovCloud, ...)."""
    import botocore.session

    session = botocore.session.get_session()
    return frozenset(
        name
        for partition in session.get_available_partitions()
        for name in session.get_available_regions("ec2", partition_name=partition)
    )


_DIRECTIONS = {
    "north": "n",
    "south": "s",
    "east": "e",
    "west": "w",
    "central": "c",
    "northeast": "ne",
    "northwest": "nw",
    "southeast": "se",
    "southwest": "sw",
    "gov": "g",
}


def zone_id_prefix(region_name: str) -> str:
    """AWS's zone-id stem: us-east-1 -> use1, ap-northeast-2 -> apne2, us-gov-west-1 -> usgw1."""
    first, *middle, number = region_name.split("-")
    return first + "".join(_DIRECTIONS.get(part, part[:1]) for part in middle) + number


@cache
def region(name: str) -> Region:
    """The region called ``name``.

    A region botocore knows that the data file lacks (China, GovCloud, one newer than
    the data) gets three zones; a name no partition has is refused, as AWS has no
    endpoint there.
    """
    known = all_regions().get(name)
    if known is not None:
        return known
    if name not in botocore_regions():
        raise ServiceError(
            f"cloudmock knows no EC2 region '{name}': no AWS partition has an endpoint there.",
            code="InvalidRegion",
        )
    prefix = zone_id_prefix(name)
    zones = tuple(
        Zone(f"{name}{letter}", f"{prefix}-az{n}", name) for n, letter in enumerate("abc", 1)
    )
    return Region(name, False, zones)
