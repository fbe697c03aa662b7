"""Elastic network interfaces (so far: the primary interface every instance gets)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from cloudmock.core.errors import InternalError
from cloudmock.services.ec2.models.base import Resource, ResourceKind

NETWORK_INTERFACE = ResourceKind(
    "eni", "network-interface", "InvalidNetworkInterfaceID", "network interface ID"
)


def private_dns_name(address: str, region: str) -> str:
    domain = "ec2.internal" if region == "us-east-1" else f"{region}.compute.internal"
    return f"ip-{address.replace('.', '-')}.{domain}"


def public_dns_name(address: str, region: str) -> str:
    if region == "us-east-1":
        domain = "compute-1.amazonaws.com"
    elif region.startswith("cn-"):
        domain = f"{region}.compute.amazonaws.com.cn"
    else:
        domain = f"{region}.compute.amazonaws.com"
    return f"ec2-{address.replace('.', '-')}.{domain}"


@dataclass
class NetworkInterface(Resource):
    subnet_id: str
    vpc_id: str
    zone_name: str
    owner_id: str
    region: str
    private_ip: str
    mac_address: str
    #: (group id, group name)
    groups: list[tuple[str, str]] = field(default_factory=list)
    description: str = ""
    source_dest_check: bool = True
    public_ip: str | None = None
    #: "amazon" for an auto-assigned public address, the account id for an Elastic IP
    public_ip_owner: str = "amazon"
    #: the Elastic IP on the primary private address: its allocation and association ids
    public_ip_allocation_id: str | None = None
    public_ip_association_id: str | None = None
    #: ModifyPublicIpDnsNameOptions
    public_dns_hostname_type: str = "public-ipv4-dns-name"
    attachment_id: str | None = None
    instance_id: str | None = None
    device_index: int = 0
    attach_time: datetime | None = None
    delete_on_termination: bool = True

    def attachment(self) -> tuple[str, datetime]:
        """The attachment id and time of an interface attached to an instance."""
        if self.attachment_id is None or self.attach_time is None:
            raise InternalError(f"the network interface {self.id} is not attached")
        return self.attachment_id, self.attach_time

    @property
    def status(self) -> str:
        return "in-use" if self.instance_id else "available"

    @property
    def private_dns_name(self) -> str:
        return private_dns_name(self.private_ip, self.region)

    @property
    def public_dns_name(self) -> str:
        return public_dns_name(self.public_ip, self.region) if self.public_ip else ""
