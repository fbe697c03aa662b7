"""The AWS-managed prefix lists of a region (S3, DynamoDB, CloudFront, ...), as data.

Their ids are fixed per region in AWS; here they are derived from the region and the
list's name, so every account sees the same ``pl-`` id in a region, as in AWS.
Gateway endpoints route to the S3 and DynamoDB lists; security group rules may
reference any of them.
"""

from __future__ import annotations

import hashlib
import ipaddress
from dataclasses import dataclass

#: service suffix -> how many CIDRs the list carries and the first octet they come from
_SERVICES: dict[str, tuple[int, int]] = {
    "s3": (4, 52),
    "dynamodb": (3, 3),
    "s3express": (2, 54),
}
_GLOBAL: dict[str, tuple[int, int]] = {
    "com.amazonaws.global.cloudfront.origin-facing": (40, 13),
    "com.amazonaws.global.ipv6.cloudfront.origin-facing": (0, 0),
}


@dataclass(frozen=True)
class AwsPrefixList:
    id: str
    name: str
    cidrs: tuple[str, ...]
    address_family: str = "IPv4"


def _digest(*parts: str) -> bytes:
    return hashlib.sha256("/".join(parts).encode()).digest()


def prefix_list_id(region: str, name: str) -> str:
    """The ``pl-`` id (8 hex digits, as AWS's managed lists have) of ``name`` in ``region``."""
    return "pl-" + _digest(region, name).hex()[:8]


def _cidrs(region: str, name: str, count: int, first_octet: int) -> tuple[str, ...]:
    seed = _digest("cidrs", region, name)
    out = []
    for index in range(count):
        second, third = seed[index % len(seed)], seed[(index * 7 + 3) % len(seed)]
        network = ipaddress.IPv4Network(f"{first_octet}.{second}.{third & 0xF0}.0/20")
        out.append(str(network))
    return tuple(dict.fromkeys(out))


def aws_prefix_lists(region: str) -> list[AwsPrefixList]:
    """Every AWS-managed prefix list of ``region``."""
    lists = [
        AwsPrefixList(
            prefix_list_id(region, f"com.amazonaws.{region}.{service}"),
            f"com.amazonaws.{region}.{service}",
            _cidrs(region, service, count, octet),
        )
        for service, (count, octet) in _SERVICES.items()
    ]
    for name, (count, octet) in _GLOBAL.items():
        family = "IPv6" if ".ipv6." in name else "IPv4"
        cidrs = (
            _cidrs(region, name, count, octet)
            if family == "IPv4"
            else ("2600:9000:2000::/36", "2600:9000:f000::/36")
        )
        lists.append(AwsPrefixList(prefix_list_id(region, name), name, cidrs, family))
    return lists


def gateway_prefix_list(region: str, service_name: str) -> AwsPrefixList | None:
    """The list a gateway endpoint for ``service_name`` (``com.amazonaws.REGION.s3``) routes to."""
    for item in aws_prefix_lists(region):
        if item.name == service_name:
            return item
    return None
