"""Regions and Availability Zones, from ``data/regions.json`` (made by scripts/gen_ec2_regions.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources


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


def region(name: str) -> Region:
    """The region called ``name``; a region botocore knows but the data lacks gets three zones."""
    known = all_regions().get(name)
    if known is not None:
        return known
    prefix = "".join(part[0] for part in name.split("-")[:-1]) + name.split("-")[-1]
    zones = tuple(
        Zone(f"{name}{letter}", f"{prefix}-az{n}", name) for n, letter in enumerate("abc", 1)
    )
    return Region(name, False, zones)
