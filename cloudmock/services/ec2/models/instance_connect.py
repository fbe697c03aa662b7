"""EC2 Instance Connect Endpoints: one requester-managed interface in a subnet, states on
the clock."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from cloudmock.core.errors import InvalidParameterCombination, InvalidParameterValue, ServiceError
from cloudmock.services.ec2.dryrun import commit
from cloudmock.services.ec2.models.base import Resource, ResourceKind, Store

if TYPE_CHECKING:
    from cloudmock.services.ec2.models.backend import Ec2Backend
    from cloudmock.services.ec2.shapes import Ec2InstanceConnectEndpoint

CONNECT_ENDPOINT = ResourceKind(
    "eice",
    "instance-connect-endpoint",
    "InvalidInstanceConnectEndpointId",
    "instance connect endpoint ID",
)
IP_ADDRESS_TYPES = ("ipv4", "dualstack", "ipv6")


@dataclass(slots=True)
class ConnectEndpoint(Resource):
    owner_id: str
    region: str
    subnet_id: str
    vpc_id: str
    zone_name: str
    zone_id: str
    network_interface_id: str
    group_ids: tuple[str, ...]
    preserve_client_ip: bool
    ip_address_type: str
    created: datetime
    state: str = "create-in-progress"
    generation: int = 0

    @property
    def arn(self) -> str:
        return f"arn:aws:ec2:{self.region}:{self.owner_id}:instance-connect-endpoint/{self.id}"

    def dns_names(self) -> tuple[str, str]:
        # "<id>.<hash>.ec2-instance-connect-endpoint.<region>.amazonaws.com"
        token = hashlib.sha256(self.id.encode()).hexdigest()[:8]
        base = f"ec2-instance-connect-endpoint.{self.region}.amazonaws.com"
        return f"{self.id}.{token}.{base}", f"{self.id}.{token}.fips.{base}"

    def describe(self) -> Ec2InstanceConnectEndpoint:
        dns, fips = self.dns_names()
        out: Ec2InstanceConnectEndpoint = {
            "OwnerId": self.owner_id,
            "InstanceConnectEndpointId": self.id,
            "InstanceConnectEndpointArn": self.arn,
            "State": self.state,
            "StateMessage": "",
            "DnsName": dns,
            "FipsDnsName": fips,
            "NetworkInterfaceIds": [self.network_interface_id] if self.network_interface_id else [],
            "VpcId": self.vpc_id,
            "AvailabilityZone": self.zone_name,
            "AvailabilityZoneId": self.zone_id,
            "CreatedAt": self.created,
            "SubnetId": self.subnet_id,
            "PreserveClientIp": self.preserve_client_ip,
            "SecurityGroupIds": list(self.group_ids),
            "Tags": self.tag_list(),
            "IpAddressType": self.ip_address_type,
            "PublicDnsNames": {"Ipv4": {"DnsName": dns, "FipsDnsName": fips}},
        }
        if self.ip_address_type != "ipv4":
            dual = dns.replace(
                ".ec2-instance-connect-endpoint.", ".dualstack.ec2-instance-connect-endpoint."
            )
            dual_fips = fips.replace(".fips.", ".fips.dualstack.")
            out["PublicDnsNames"]["Dualstack"] = {"DnsName": dual, "FipsDnsName": dual_fips}
        return out


CONNECT_ENDPOINT_FILTERS = {
    "instance-connect-endpoint-id": lambda e: e.id,
    "state": lambda e: e.state,
    "subnet-id": lambda e: e.subnet_id,
    "vpc-id": lambda e: e.vpc_id,
}


class ConnectEndpoints:
    def __init__(self, backend: Ec2Backend) -> None:
        self.backend = backend
        self.store: Store[ConnectEndpoint] = backend.new_store(CONNECT_ENDPOINT)
        self.store.add_index("subnet", lambda e: e.subnet_id)
        self.store.add_index("vpc", lambda e: e.vpc_id)
        self._client_tokens: dict[str, str] = {}

    def _groups(self, group_ids: list[str] | None, vpc_id: str, subnet_id: str) -> tuple[str, ...]:
        security_groups = self.backend.security_groups
        if not group_ids:
            return (security_groups.default_group(vpc_id).id,)
        for group in security_groups.store.get_many(group_ids):
            if group.vpc_id != vpc_id:
                raise ServiceError(
                    f"Security group {group.id} and subnet {subnet_id} belong to different "
                    "networks.",
                    code="InvalidParameter",
                )
        return tuple(dict.fromkeys(group_ids))

    @staticmethod
    def _check_address_type(address_type: str, preserve: bool, ipv4: bool, ipv6: bool) -> None:
        if address_type not in IP_ADDRESS_TYPES:
            raise InvalidParameterValue(
                f"Invalid value '{address_type}' for IpAddressType. Valid values are "
                f"{', '.join(IP_ADDRESS_TYPES)}."
            )
        if address_type in ("dualstack", "ipv6") and not ipv6:
            raise InvalidParameterValue(
                f"The IP address type {address_type} requires a subnet with an IPv6 CIDR block."
            )
        if address_type in ("dualstack", "ipv4") and not ipv4:
            raise InvalidParameterValue(
                f"The IP address type {address_type} requires a subnet with an IPv4 CIDR block."
            )
        if preserve and address_type != "ipv4":
            raise InvalidParameterCombination(
                "PreserveClientIp is only supported when the IP address type is ipv4."
            )

    def create(
        self,
        subnet_id: str,
        group_ids: list[str] | None,
        preserve_client_ip: bool | None,
        ip_address_type: str | None,
        client_token: str | None,
        tags: dict[str, str],
    ) -> ConnectEndpoint:
        backend = self.backend
        if client_token and client_token in self._client_tokens:
            found = self.store.find(self._client_tokens[client_token])
            if found is not None:
                commit()
                return found
        subnet = backend.vpcs.subnets.get(subnet_id)
        has_ipv6 = bool(subnet.ipv6_cidrs())
        address_type = ip_address_type or ("dualstack" if has_ipv6 else "ipv4")
        preserve = bool(preserve_client_ip)
        self._check_address_type(address_type, preserve, True, has_ipv6)
        groups = self._groups(group_ids, subnet.vpc_id, subnet.id)
        if subnet.available_ip_count < 1:
            raise ServiceError(
                f"There are not enough free addresses in subnet '{subnet.id}'.",
                code="InsufficientFreeAddressesInSubnet",
            )
        commit()
        endpoint_id = backend.ids.new("eice")
        eni = backend.network_interfaces.create_managed(
            subnet.id,
            interface_type="ec2_instance_connect_endpoint",
            description=f"EC2 Instance Connect Endpoint {endpoint_id}",
            requester_id=backend.account_id,
            group_ids=groups,
            ipv6_addresses=(None,) if address_type != "ipv4" else (),
        )
        endpoint = self.store.add(
            ConnectEndpoint(
                id=endpoint_id,
                owner_id=backend.account_id,
                region=backend.region,
                subnet_id=subnet.id,
                vpc_id=subnet.vpc_id,
                zone_name=subnet.zone.name,
                zone_id=subnet.zone.zone_id,
                network_interface_id=eni.id,
                group_ids=groups,
                preserve_client_ip=preserve,
                ip_address_type=address_type,
                created=backend.clock.now(),
                tags=tags,
            )
        )
        if client_token:
            self._client_tokens[client_token] = endpoint.id
        self._settle(endpoint, "create-complete")
        return endpoint

    def _settle(self, endpoint: ConnectEndpoint, state: str) -> None:
        endpoint.generation += 1

        def done(item: ConnectEndpoint) -> None:
            item.state = state
            if state == "delete-complete":
                # gone from describes a while after deletion completes
                self.backend.schedule(self.backend.options.terminated_retention, item, self._forget)

        self.backend.schedule(self.backend.options.transition_delay, endpoint, done)

    def _forget(self, endpoint: ConnectEndpoint) -> None:
        self.store.remove(endpoint.id)

    def _ready(self, endpoint_id: str, verb: str) -> ConnectEndpoint:
        endpoint = self.store.get(endpoint_id)
        if endpoint.state not in ("create-complete", "update-complete"):
            raise ServiceError(
                f"The instance connect endpoint '{endpoint_id}' is in state {endpoint.state} "
                f"and cannot be {verb}.",
                code="IncorrectState",
            )
        return endpoint

    def delete(self, endpoint_id: str) -> ConnectEndpoint:
        endpoint = self.store.get(endpoint_id)
        if endpoint.state in ("delete-in-progress", "delete-complete"):
            raise ServiceError(
                f"The instance connect endpoint '{endpoint_id}' is already being deleted.",
                code="IncorrectState",
            )
        commit()
        endpoint.state = "delete-in-progress"
        self.backend.network_interfaces.delete_managed(endpoint.network_interface_id)
        endpoint.network_interface_id = ""
        self._settle(endpoint, "delete-complete")
        return endpoint

    def modify(
        self,
        endpoint_id: str,
        ip_address_type: str | None,
        group_ids: list[str] | None,
        preserve_client_ip: bool | None,
    ) -> None:
        endpoint = self._ready(endpoint_id, "modified")
        subnet = self.backend.vpcs.subnets.get(endpoint.subnet_id)
        address_type = ip_address_type or endpoint.ip_address_type
        preserve = endpoint.preserve_client_ip if preserve_client_ip is None else preserve_client_ip
        self._check_address_type(address_type, preserve, True, bool(subnet.ipv6_cidrs()))
        groups = self._groups(group_ids, endpoint.vpc_id, endpoint.subnet_id) if group_ids else None
        commit()
        endpoint.ip_address_type = address_type
        endpoint.preserve_client_ip = preserve
        if groups is not None:
            endpoint.group_ids = groups
            eni = self.backend.network_interfaces.find(endpoint.network_interface_id)
            if eni is not None:
                names = {g.id: g.name for g in self.backend.security_groups.store.get_many(groups)}
                self.backend.network_interfaces.set_groups(eni, [(g, names[g]) for g in groups])
        # the change settles on the clock as a creation does
        endpoint.state = "update-in-progress"
        self._settle(endpoint, "update-complete")
