"""Instance-size arithmetic the capacity families share (hosts, reservations, RIs).

EC2 documents a normalization factor per size (small = 1, large = 4, xlarge = 8,
Nxlarge = 8N); Dedicated Host capacity and Reserved Instance size flexibility are
both counted in those units.
"""

from __future__ import annotations

import re

from cloudmock.core.errors import InvalidParameterValue

_FACTORS = {
    "nano": 0.25,
    "micro": 0.5,
    "small": 1.0,
    "medium": 2.0,
    "large": 4.0,
    "xlarge": 8.0,
}
_TYPE = re.compile(
    r"^([a-z][a-z0-9-]*)\.([0-9]*xlarge|nano|micro|small|medium|large|metal(?:-[0-9]+xl)?)$"
)
#: the units one Dedicated Host of a family holds (an m5 host runs 48 m5.large, or 1 m5.24xlarge)
HOST_UNITS = 192.0


def split(instance_type: str) -> tuple[str, str]:
    """``("m5", "large")``; InvalidParameterValue for what is not an instance type name."""
    match = _TYPE.match(instance_type or "")
    if match is None:
        raise InvalidParameterValue(f"Invalid value '{instance_type}' for InstanceType.")
    return match.group(1), match.group(2)


def is_instance_type(value: str) -> bool:
    return bool(_TYPE.match(value or ""))


def family(instance_type: str) -> str:
    return split(instance_type)[0]


def units(instance_type: str) -> float:
    """The normalization factor of ``instance_type``'s size (a metal size is the whole host)."""
    size = split(instance_type)[1]
    if size in _FACTORS:
        return _FACTORS[size]
    if size.startswith("metal"):
        return HOST_UNITS
    return 8.0 * int(size[: -len("xlarge")])


def vcpus(instance_type: str) -> int:
    """vCPUs of a size: 2 per 4 units from large up (1 or 2 below)."""
    factor = units(instance_type)
    if factor >= 4:
        return int(factor // 2)
    return 2 if family(instance_type).startswith("t") else 1


def host_capacity(instance_type: str) -> int:
    """How many instances of ``instance_type`` one host of its family runs."""
    return max(1, int(HOST_UNITS // units(instance_type)))


def arn_partition(region: str) -> str:
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"
