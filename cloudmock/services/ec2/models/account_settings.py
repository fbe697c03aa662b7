"""Account-level EC2 settings of one region: id formats, serial console access, managed
resource visibility, and the opt-in zone groups (Local Zones, Wavelength Zones)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from cloudmock.core.errors import InvalidParameterValue, ServiceError

if TYPE_CHECKING:
    from cloudmock.services.ec2.models.backend import Ec2Backend
    from cloudmock.services.ec2.shapes import IdFormat

#: the resource types DescribeIdFormat reports on (every one uses long ids since 2018)
ID_FORMAT_RESOURCES = (
    "bundle",
    "conversion-task",
    "customer-gateway",
    "dhcp-options",
    "elastic-ip-allocation",
    "elastic-ip-association",
    "export-task",
    "flow-log",
    "image",
    "import-task",
    "instance",
    "internet-gateway",
    "network-acl",
    "network-acl-association",
    "network-interface",
    "network-interface-attachment",
    "prefix-list",
    "reservation",
    "route-table",
    "route-table-association",
    "security-group",
    "snapshot",
    "subnet",
    "subnet-cidr-block-association",
    "volume",
    "vpc",
    "vpc-cidr-block-association",
    "vpc-endpoint",
    "vpc-peering-connection",
    "vpn-connection",
    "vpn-gateway",
)
#: what ModifyIdFormat takes: the same less instance/reservation/snapshot/volume (their
#: opt-in period ended first), and ``all-current``
MODIFIABLE_RESOURCES = frozenset(ID_FORMAT_RESOURCES) - {
    "instance",
    "reservation",
    "snapshot",
    "volume",
} | {"all-current"}

_PRINCIPAL = re.compile(r"^arn:aws[a-z-]*:iam::(\d{12}):(root|user/.+|role/.+)$")


@dataclass(frozen=True)
class ExtraZone:
    """A Local Zone or Wavelength Zone: shown once its group is opted in (or when all are asked)."""

    name: str
    zone_id: str
    group: str
    long_name: str
    zone_type: str
    parent_name: str
    parent_id: str


def _local(region: str, prefix: str, code: str, long: str, parent: tuple[str, str]) -> ExtraZone:
    return ExtraZone(
        f"{region}-{code}-1a",
        f"{prefix}-{code}1-az1",
        f"{region}-{code}-1",
        long,
        "local-zone",
        *parent,
    )


def _wavelength(
    region: str, prefix: str, code: str, long: str, parent: tuple[str, str]
) -> ExtraZone:
    return ExtraZone(
        f"{region}-wl1-{code}-wlz-1",
        f"{prefix}-wl1-{code}-wlz1",
        f"{region}-wl1",
        long,
        "wavelength-zone",
        *parent,
    )


#: the Local and Wavelength Zones of the regions that have them (AWS's published list, abridged)
EXTRA_ZONES: dict[str, tuple[ExtraZone, ...]] = {
    "us-east-1": (
        _local("us-east-1", "use1", "bos", "US East (Boston)", ("us-east-1a", "use1-az6")),
        _local("us-east-1", "use1", "mia", "US East (Miami)", ("us-east-1a", "use1-az6")),
        _local("us-east-1", "use1", "nyc", "US East (New York City)", ("us-east-1a", "use1-az6")),
        _wavelength(
            "us-east-1", "use1", "bos", "US East (Verizon) - Boston", ("us-east-1a", "use1-az6")
        ),
    ),
    "us-west-2": (
        _local("us-west-2", "usw2", "lax", "US West (Los Angeles)", ("us-west-2a", "usw2-az1")),
        _local("us-west-2", "usw2", "den", "US West (Denver)", ("us-west-2a", "usw2-az1")),
        _wavelength(
            "us-west-2", "usw2", "las", "US West (Verizon) - Las Vegas", ("us-west-2a", "usw2-az1")
        ),
    ),
    "eu-west-2": (
        _wavelength(
            "eu-west-2", "euw2", "lon", "Europe (Vodafone) - London", ("eu-west-2a", "euw2-az2")
        ),
    ),
    "ap-northeast-1": (
        _local(
            "ap-northeast-1",
            "apne1",
            "tpe",
            "Asia Pacific (Taipei)",
            ("ap-northeast-1a", "apne1-az4"),
        ),
        _wavelength(
            "ap-northeast-1",
            "apne1",
            "nrt",
            "Asia Pacific (KDDI) - Tokyo",
            ("ap-northeast-1a", "apne1-az4"),
        ),
    ),
}


@dataclass
class AccountSettings:
    """One (account, region)'s settings; nothing here makes ids or draws random numbers."""

    backend: Ec2Backend
    serial_console: bool = False
    visibility: str = "hidden"
    opted_in: set[str] = field(default_factory=set)
    #: principals whose id format was asked about or set, in the order first seen
    principals: dict[str, None] = field(default_factory=dict)

    # -- id formats

    def statuses(self, resource: str | None = None) -> list[IdFormat]:
        if resource is not None and resource not in ID_FORMAT_RESOURCES:
            raise InvalidParameterValue(f"Invalid value '{resource}' for resource.")
        chosen = (resource,) if resource else ID_FORMAT_RESOURCES
        return [{"Resource": r, "UseLongIds": True} for r in chosen]

    def check_modify(self, resource: str, use_long_ids: bool) -> list[str]:
        if resource not in MODIFIABLE_RESOURCES:
            raise InvalidParameterValue(f"Invalid value '{resource}' for resource.")
        if not use_long_ids:
            # every resource type left its opt-in period in 2018: long ids are the only ids
            raise InvalidParameterValue(
                f"Resource type '{resource}' uses longer IDs only; its opt-in period has ended "
                "and it can no longer be set to shorter IDs."
            )
        return (
            sorted(MODIFIABLE_RESOURCES - {"all-current"})
            if resource == "all-current"
            else [resource]
        )

    def check_principal(self, arn: str) -> None:
        match = _PRINCIPAL.match(arn)
        if match is None:
            raise InvalidParameterValue(f"Invalid principal ARN '{arn}'.")
        if match.group(1) != self.backend.account_id:
            raise ServiceError(
                f"You are not authorized to view or modify the ID format of '{arn}'.",
                code="UnauthorizedOperation",
            )

    def note_principal(self, arn: str) -> None:
        self.principals.setdefault(arn, None)

    def root_arn(self) -> str:
        return f"arn:aws:iam::{self.backend.account_id}:root"

    # -- zone groups

    def extra_zones(self) -> tuple[ExtraZone, ...]:
        return EXTRA_ZONES.get(self.backend.region, ())

    def groups(self) -> dict[str, str]:
        """Every zone group of the region -> its opt-in status."""
        out = {f"{self.backend.region}-zg-1": "opt-in-not-required"}
        for zone in self.extra_zones():
            out[zone.group] = "opted-in" if zone.group in self.opted_in else "not-opted-in"
        return out

    def check_group(self, name: str, status: str) -> None:
        groups = self.groups()
        if name not in groups:
            raise InvalidParameterValue(f"The zone group '{name}' is not valid.")
        if groups[name] == "opt-in-not-required":
            raise ServiceError(
                f"The zone group '{name}' does not require opt-in; its opt-in status cannot be "
                "changed.",
                code="InvalidOptInStatus",
            )

    def set_group(self, name: str, status: str) -> None:
        if status == "opted-in":
            self.opted_in.add(name)
        else:
            self.opted_in.discard(name)
