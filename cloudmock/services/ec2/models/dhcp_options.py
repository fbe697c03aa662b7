"""DHCP option sets."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cloudmock.core.errors import InvalidParameterValue, MissingParameter
from cloudmock.services.ec2.models.base import Resource, ResourceKind

if TYPE_CHECKING:
    from cloudmock.services.ec2.shapes import DhcpOptions as DhcpOptionsShape

# EC2 spells the two codes differently: InvalidDhcpOptionsId.Malformed, InvalidDhcpOptionID.NotFound
DHCP_OPTIONS = ResourceKind(
    "dopt",
    "dhcp-options",
    "InvalidDhcpOptionsId",
    "DHCP options ID",
    not_found_stem="InvalidDhcpOptionID",
)

#: keys whose values are addresses, and how many each takes
_ADDRESS_KEYS = {"domain-name-servers": 4, "ntp-servers": 4, "netbios-name-servers": 4}
_SINGLE_KEYS = ("domain-name", "netbios-node-type", "ipv6-address-preferred-lease-time")
KEYS = (*_ADDRESS_KEYS, *_SINGLE_KEYS)


def dhcp_domain_name(region: str) -> str:
    return "ec2.internal" if region == "us-east-1" else f"{region}.compute.internal"


def _invalid(key: str, value: str, why: str) -> InvalidParameterValue:
    return InvalidParameterValue(f"Value ({value}) for parameter {key} is invalid. {why}")


def validate_configurations(configs: Sequence[Mapping[str, Any]]) -> dict[str, list[str]]:
    """DhcpConfigurations -> ``{key: values}`` with EC2's rules for each key."""
    out: dict[str, list[str]] = {}
    if not configs:
        raise MissingParameter("DhcpConfiguration")
    for position, config in enumerate(configs, start=1):
        key = config.get("Key")
        if not key:
            raise MissingParameter(f"DhcpConfiguration.{position}.Key")
        values = [v for v in (config.get("Values") or []) if v is not None]
        if key not in KEYS:
            raise InvalidParameterValue(
                f"Value ({key}) for parameter dhcpConfiguration.key is invalid. "
                f"Valid keys: {', '.join(KEYS)}"
            )
        if key in out:
            raise InvalidParameterValue(f"The DHCP option '{key}' is specified more than once.")
        if not values:
            raise MissingParameter(f"DhcpConfiguration.{position}.Value")
        if key in _ADDRESS_KEYS:
            limit = _ADDRESS_KEYS[key]
            if len(values) > limit:
                raise InvalidParameterValue(
                    f"The DHCP option '{key}' takes at most {limit} values, got {len(values)}."
                )
            for value in values:
                if key == "domain-name-servers" and value == "AmazonProvidedDNS":
                    continue
                try:
                    ipaddress.ip_address(value)
                except ValueError:
                    raise _invalid(key, value, "This is not a valid IP address.") from None
        else:
            if len(values) > 1:
                raise InvalidParameterValue(f"The DHCP option '{key}' takes a single value.")
            value = values[0]
            if key == "netbios-node-type" and value not in ("1", "2", "4", "8"):
                raise _invalid(key, value, "Valid values: 1, 2, 4, 8.")
            if key == "ipv6-address-preferred-lease-time" and not (
                value.isdigit() and 140 <= int(value) <= 2147483647
            ):
                raise _invalid(key, value, "Specify a number of seconds from 140 to 2147483647.")
            if key == "domain-name" and (not value.strip() or len(value) > 255):
                raise _invalid(key, value, "This is not a valid domain name.")
        out[key] = values
    return out


@dataclass
class DhcpOptions(Resource):
    owner_id: str
    configurations: dict[str, list[str]] = field(default_factory=dict)

    def describe(self) -> DhcpOptionsShape:
        out: DhcpOptionsShape = {
            "DhcpOptionsId": self.id,
            "OwnerId": self.owner_id,
            "DhcpConfigurations": [
                {"Key": key, "Values": [{"Value": v} for v in values]}
                for key, values in self.configurations.items()
            ],
        }
        if self.tags:
            out["Tags"] = self.tag_list()
        return out


DHCP_OPTIONS_FILTERS = {
    "dhcp-options-id": lambda d: d.id,
    "key": lambda d: list(d.configurations),
    "value": lambda d: [v for values in d.configurations.values() for v in values],
    "owner-id": lambda d: d.owner_id,
}
