"""ARNs of schedules and schedule groups, in the partition of their Region."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

# arn:aws:scheduler:eu-west-1:123456789012:schedule-group/NAME
_GROUP_ARN = re.compile(
    r"^arn:(?P<partition>aws[a-z-]*):scheduler:(?P<region>[a-z0-9-]+):(?P<account>\d{12}):"
    r"schedule-group/(?P<name>[0-9a-zA-Z_.-]+)$"
)


#: partitions by Region prefix, for a botocore too old to ship its partition table
_PREFIXES = (
    ("cn-", "aws-cn"),
    ("us-gov-", "aws-us-gov"),
    ("us-isob-", "aws-iso-b"),
    ("us-iso-", "aws-iso"),
    ("eu-isoe-", "aws-iso-e"),
    ("us-isof-", "aws-iso-f"),
)


@functools.cache
def partition_of(region: str) -> str:
    """``aws``, ``aws-cn``, ``aws-us-gov`` ...: from botocore's own partition table."""
    from botocore.exceptions import DataNotFoundError
    from botocore.loaders import create_loader

    try:
        partitions = create_loader().load_data("partitions")["partitions"]
    except DataNotFoundError:
        partitions = []
    for partition in partitions:
        if region in partition.get("regions", {}) or re.match(partition["regionRegex"], region):
            return str(partition["id"])
    return next((name for prefix, name in _PREFIXES if region.startswith(prefix)), "aws")


def schedule_arn(partition: str, region: str, account: str, group: str, name: str) -> str:
    return f"arn:{partition}:scheduler:{region}:{account}:schedule/{group}/{name}"


def group_arn(partition: str, region: str, account: str, name: str) -> str:
    return f"arn:{partition}:scheduler:{region}:{account}:schedule-group/{name}"


@dataclass(frozen=True)
class GroupArn:
    partition: str
    region: str
    account: str
    name: str


def parse_group_arn(arn: str) -> GroupArn | None:
    found = _GROUP_ARN.match(arn)
    if found is None:
        return None
    return GroupArn(found["partition"], found["region"], found["account"], found["name"])
