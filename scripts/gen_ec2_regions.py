#!/usr/bin/env python3
"""Generate the region / Availability Zone data served by the EC2 mock.

The list of commercial (partition ``aws``) regions comes from botocore's own
endpoint data.  The facts botocore does not carry -- whether a region is an
opt-in region and which Availability Zones it has -- live in ``REGION_FACTS``
below.  The two are cross-checked: a region known to one side only is an error,
so a botocore upgrade that adds (or drops) a region is noticed instead of being
silently ignored.

Sources for the facts (AWS documentation):

* Opt-in regions: "Regions launched after March 20, 2019 are disabled by
  default and referred to as opt-in Regions" (AWS Account Management guide,
  "Enable or disable AWS Regions in your account").  ap-northeast-3 (Osaka)
  began as a local region in 2018 and is enabled by default.
* AZ IDs: the "AWS Availability Zones" page of the AWS Regions and
  Availability Zones guide, which lists every AZ ID per region.
* Zone-name -> AZ-ID mapping: regions launched after November 2012 map zone
  names to AZ IDs uniformly for every account.  The oldest regions (us-east-1,
  us-west-1, us-west-2, ap-northeast-1, ap-southeast-1, ap-southeast-2,
  eu-west-1, sa-east-1) map them independently per account; for those the
  table holds one plausible, self-consistent account's view.  Constrained AZs
  hidden from most accounts (usw1-az2, apne1-az3) are left out; us-east-1
  keeps all six zones.

Usage::

    python scripts/gen_ec2_regions.py            # (re)write the JSON file
    python scripts/gen_ec2_regions.py --check    # exit 1 if the file is stale
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import NamedTuple

import botocore.session

PARTITION = "aws"
REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = REPO_ROOT / "cloudmock" / "services" / "ec2" / "data" / "regions.json"


class RegionFacts(NamedTuple):
    """What botocore does not know about a region."""

    opt_in_required: bool
    zone_id_prefix: str
    # (zone-name suffix letter, AZ ID) in zone-name order.
    zones: tuple[tuple[str, str], ...]


def _uniform(prefix: str, count: int = 3) -> tuple[tuple[str, str], ...]:
    """Zones ``a``, ``b``, ``c``... mapped in order to ``<prefix>-az1``, ``-az2``..."""
    return tuple((chr(ord("a") + i), f"{prefix}-az{i + 1}") for i in range(count))


REGION_FACTS: dict[str, RegionFacts] = {
    # --- Africa -------------------------------------------------------------
    "af-south-1": RegionFacts(True, "afs1", _uniform("afs1")),
    # --- Asia Pacific -------------------------------------------------------
    "ap-east-1": RegionFacts(True, "ape1", _uniform("ape1")),
    "ap-east-2": RegionFacts(True, "ape2", _uniform("ape2")),
    # Independently mapped; apne1-az3 is constrained and hidden from most
    # accounts, which see ap-northeast-1a, -1c and -1d.
    "ap-northeast-1": RegionFacts(
        False,
        "apne1",
        (("a", "apne1-az4"), ("c", "apne1-az1"), ("d", "apne1-az2")),
    ),
    "ap-northeast-2": RegionFacts(False, "apne2", _uniform("apne2", 4)),
    "ap-northeast-3": RegionFacts(
        False,
        "apne3",
        (("a", "apne3-az3"), ("b", "apne3-az1"), ("c", "apne3-az2")),
    ),
    "ap-south-1": RegionFacts(
        False,
        "aps1",
        (("a", "aps1-az1"), ("b", "aps1-az3"), ("c", "aps1-az2")),
    ),
    "ap-south-2": RegionFacts(True, "aps2", _uniform("aps2")),
    "ap-southeast-1": RegionFacts(False, "apse1", _uniform("apse1")),
    "ap-southeast-2": RegionFacts(False, "apse2", _uniform("apse2")),
    "ap-southeast-3": RegionFacts(True, "apse3", _uniform("apse3")),
    "ap-southeast-4": RegionFacts(True, "apse4", _uniform("apse4")),
    "ap-southeast-5": RegionFacts(True, "apse5", _uniform("apse5")),
    "ap-southeast-6": RegionFacts(True, "apse6", _uniform("apse6")),
    "ap-southeast-7": RegionFacts(True, "apse7", _uniform("apse7")),
    # --- Canada -------------------------------------------------------------
    # ca-central-1c was never opened; the third zone is ca-central-1d.
    "ca-central-1": RegionFacts(
        False,
        "cac1",
        (("a", "cac1-az1"), ("b", "cac1-az2"), ("d", "cac1-az4")),
    ),
    "ca-west-1": RegionFacts(True, "caw1", _uniform("caw1")),
    # --- Europe -------------------------------------------------------------
    "eu-central-1": RegionFacts(
        False,
        "euc1",
        (("a", "euc1-az2"), ("b", "euc1-az3"), ("c", "euc1-az1")),
    ),
    "eu-central-2": RegionFacts(True, "euc2", _uniform("euc2")),
    "eu-north-1": RegionFacts(False, "eun1", _uniform("eun1")),
    "eu-south-1": RegionFacts(True, "eus1", _uniform("eus1")),
    "eu-south-2": RegionFacts(True, "eus2", _uniform("eus2")),
    "eu-west-1": RegionFacts(False, "euw1", _uniform("euw1")),
    # euw2-az4 (eu-west-2d) is a recently opened fourth zone.
    "eu-west-2": RegionFacts(
        False,
        "euw2",
        (("a", "euw2-az2"), ("b", "euw2-az3"), ("c", "euw2-az1"), ("d", "euw2-az4")),
    ),
    "eu-west-3": RegionFacts(False, "euw3", _uniform("euw3")),
    # --- Middle East / Israel -----------------------------------------------
    "il-central-1": RegionFacts(True, "ilc1", _uniform("ilc1")),
    "me-central-1": RegionFacts(True, "mec1", _uniform("mec1")),
    "me-south-1": RegionFacts(True, "mes1", _uniform("mes1")),
    # --- Mexico / South America ---------------------------------------------
    "mx-central-1": RegionFacts(True, "mxc1", _uniform("mxc1")),
    "sa-east-1": RegionFacts(False, "sae1", _uniform("sae1")),
    # --- United States ------------------------------------------------------
    # Independently mapped; all six AZ IDs, one account's view.
    "us-east-1": RegionFacts(
        False,
        "use1",
        (
            ("a", "use1-az6"),
            ("b", "use1-az1"),
            ("c", "use1-az2"),
            ("d", "use1-az4"),
            ("e", "use1-az3"),
            ("f", "use1-az5"),
        ),
    ),
    "us-east-2": RegionFacts(False, "use2", _uniform("use2")),
    # Independently mapped; accounts see two of usw1-az1/-az2/-az3 (newer
    # accounts: usw1-az1 and usw1-az3), commonly named us-west-1a and -1c.
    "us-west-1": RegionFacts(
        False,
        "usw1",
        (("a", "usw1-az1"), ("c", "usw1-az3")),
    ),
    "us-west-2": RegionFacts(
        False,
        "usw2",
        (("a", "usw2-az2"), ("b", "usw2-az1"), ("c", "usw2-az3"), ("d", "usw2-az4")),
    ),
}


class RegionDataError(Exception):
    """The botocore region list and ``REGION_FACTS`` disagree, or a fact is malformed."""


def botocore_regions(partition: str = PARTITION) -> list[str]:
    """Regions botocore knows EC2 to be available in, for ``partition``."""
    session = botocore.session.get_session()
    regions = session.get_available_regions("ec2", partition_name=partition)
    if not regions:
        raise RegionDataError(f"botocore lists no EC2 regions for partition {partition!r}")
    return sorted(regions)


def validate_facts(facts: dict[str, RegionFacts]) -> list[str]:
    """Return a list of problems with the hand-written table (empty when sound)."""
    problems: list[str] = []
    for region, fact in sorted(facts.items()):
        if not fact.zones:
            problems.append(f"{region}: no zones")
            continue
        letters = [letter for letter, _ in fact.zones]
        zone_ids = [zone_id for _, zone_id in fact.zones]
        if letters != sorted(letters) or len(set(letters)) != len(letters):
            problems.append(f"{region}: zone letters not unique and in order: {letters}")
        if len(set(zone_ids)) != len(zone_ids):
            problems.append(f"{region}: duplicate zone IDs: {zone_ids}")
        id_pattern = re.compile(rf"{re.escape(fact.zone_id_prefix)}-az[1-9][0-9]*")
        for letter, zone_id in fact.zones:
            if not re.fullmatch(r"[a-z]", letter):
                problems.append(f"{region}: bad zone letter {letter!r}")
            if not id_pattern.fullmatch(zone_id):
                problems.append(
                    f"{region}: zone ID {zone_id!r} does not match prefix {fact.zone_id_prefix!r}"
                )
    prefixes = [fact.zone_id_prefix for fact in facts.values()]
    duplicated = sorted({p for p in prefixes if prefixes.count(p) > 1})
    if duplicated:
        problems.append(f"zone ID prefixes used by more than one region: {duplicated}")
    return problems


def build_document(regions: list[str], facts: dict[str, RegionFacts]) -> dict[str, object]:
    """Combine botocore's region list with the facts table; fail on any mismatch."""
    problems = validate_facts(facts)
    listed = set(regions)
    known = set(facts)
    missing = sorted(listed - known)
    if missing:
        problems.append(
            "botocore lists regions with no entry in REGION_FACTS (add their opt-in "
            f"status and zones to {Path(__file__).name}): {', '.join(missing)}"
        )
    stale = sorted(known - listed)
    if stale:
        problems.append(
            "REGION_FACTS has regions botocore does not list for partition "
            f"{PARTITION!r} (botocore too old, or region retired?): {', '.join(stale)}"
        )
    if problems:
        raise RegionDataError("\n".join(f"  - {p}" for p in problems))

    return {
        "regions": [
            {
                "name": region,
                "opt_in_required": facts[region].opt_in_required,
                "zones": [
                    {"name": f"{region}{letter}", "id": zone_id}
                    for letter, zone_id in facts[region].zones
                ],
            }
            for region in sorted(listed)
        ]
    }


def render(document: dict[str, object]) -> str:
    return json.dumps(document, indent=2) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--output",
        type=Path,
        default=DEFAULT_OUTPUT,
        help=f"where to write the JSON (default: {DEFAULT_OUTPUT.relative_to(REPO_ROOT)})",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="do not write; exit 1 if the output file is missing or out of date",
    )
    args = parser.parse_args(argv)

    try:
        document = build_document(botocore_regions(), REGION_FACTS)
    except RegionDataError as exc:
        print(f"error: region data is inconsistent:\n{exc}", file=sys.stderr)
        return 1
    text = render(document)

    output: Path = args.output
    if args.check:
        current = output.read_text(encoding="utf-8") if output.exists() else None
        if current != text:
            print(f"{output} is out of date; run {Path(__file__).name}", file=sys.stderr)
            return 1
        return 0

    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    regions = document["regions"]
    assert isinstance(regions, list)
    zone_count = sum(len(region["zones"]) for region in regions)
    print(f"wrote {output}: {len(regions)} regions, {zone_count} zones")
    return 0


if __name__ == "__main__":
    sys.exit(main())
