"""RunInstances' options beyond the basics: their checks, defaults, and interfaces.

Checks here run before the launch's commit point; ``attach_interfaces`` runs after
it, once per instance, and only does what the checks have already allowed.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from cloudmock.core.errors import (
    InvalidParameterCombination,
    InvalidParameterValue,
    MissingParameter,
    ServiceError,
)
from cloudmock.services.ec2.models.base import new_object
from cloudmock.services.ec2.models.instance_extras import InstanceExtras
from cloudmock.services.ec2.models.instance_type_specs import spec_of
from cloudmock.services.ec2.models.instance_types import architecture
from cloudmock.services.ec2.models.network_interfaces import InterfaceSpec, NetworkInterface

if TYPE_CHECKING:
    from datetime import datetime

    from cloudmock.services.ec2.models.backend import Ec2Backend
    from cloudmock.services.ec2.models.instances import InterfaceLaunch, LaunchSpec
    from cloudmock.services.ec2.models.vpcs import Subnet

#: burstable families and the credit option each launches with when none is asked for
BURSTABLE_DEFAULT_CREDITS = {
    "t2": "standard",
    "t3": "unlimited",
    "t3a": "unlimited",
    "t4g": "unlimited",
}
LAUNCH_INTERFACE_TYPES = frozenset({"interface", "efa", "efa-only"})
#: families of one thread per core (older generations and Graviton)
_ONE_THREAD = re.compile(r"^(?:t1|t2|m1|m2|m3|c1|c3|r3|i2|hs1|cc2|cr1|g2|a1)\.")
_SIZE_VCPUS = {
    "nano": 2,
    "micro": 2,
    "small": 2,
    "medium": 2,
    "large": 2,
    "xlarge": 4,
    "metal": 96,
}
_MULTIPLE = re.compile(r"^(\d+)xlarge$")


def family_of(instance_type: str) -> str:
    return instance_type.split(".", 1)[0]


def default_credits(instance_type: str) -> str | None:
    """The credit option a burstable type launches with (None: not burstable), from the
    instance-type catalogue; a type the catalogue lacks falls back on its family name."""
    found = spec_of(instance_type)
    if found is None:
        return BURSTABLE_DEFAULT_CREDITS.get(family_of(instance_type))
    if not found["burstable"]:
        return None
    return BURSTABLE_DEFAULT_CREDITS.get(family_of(instance_type), "unlimited")


def vcpus(instance_type: str) -> int:
    """A stand-in vCPU count from the size name, for types the catalogue lacks."""
    size = instance_type.split(".", 1)[-1]
    multiple = _MULTIPLE.match(size)
    count = 4 * int(multiple.group(1)) if multiple else _SIZE_VCPUS.get(size, 2)
    if _ONE_THREAD.match(instance_type) and size in ("nano", "micro", "small"):
        return 1
    return count


def default_cpu(instance_type: str) -> tuple[int, int]:
    """(cores, threads per core) the type launches with (DefaultCores / DefaultThreadsPerCore)."""
    found = spec_of(instance_type)
    if found is not None:
        return found["cores"], found["threads"]
    count = vcpus(instance_type)
    if _ONE_THREAD.match(instance_type) or architecture(instance_type) != "x86_64":
        return count, 1
    return max(count // 2, 1), 2


@functools.lru_cache(maxsize=1024)  # pure; every launch asks twice (check, then record)
def check_cpu_options(
    instance_type: str, cores: int | None, threads: int | None
) -> tuple[int, int]:
    """The (cores, threads) to run with; EC2's refusal of what the type does not offer
    (the catalogue's ValidCores / ValidThreadsPerCore)."""
    default_cores, default_threads = default_cpu(instance_type)
    core_count = default_cores if cores is None else cores
    thread_count = default_threads if threads is None else threads
    found = spec_of(instance_type)
    valid_cores = (found or {}).get("valid_cores") or range(1, default_cores + 1)
    valid_threads = (found or {}).get("valid_threads") or sorted({1, default_threads})
    if cores is not None and core_count not in valid_cores:
        shown = ", ".join(map(str, valid_cores))
        raise InvalidParameterValue(
            f"Invalid value '{core_count}' for CoreCount. The instance type {instance_type} "
            f"supports these core counts: {shown}."
        )
    if threads is not None and thread_count not in valid_threads:
        raise InvalidParameterValue(
            f"Invalid value '{thread_count}' for ThreadsPerCore. The instance type "
            f"{instance_type} supports {' or '.join(map(str, valid_threads))} threads per core."
        )
    return core_count, thread_count


def check_credits(instance_type: str, credits: str) -> None:
    if credits not in ("standard", "unlimited"):
        raise InvalidParameterValue(
            f"Invalid value '{credits}' for CpuCredits. Valid values are standard, unlimited."
        )
    if default_credits(instance_type) is None:
        raise ServiceError(
            f"The {instance_type} instance type does not support CPU credit options ({credits}).",
            code="InstanceCreditSpecification.NotSupported",
        )


def check_spec(spec: LaunchSpec) -> None:
    """Everything RunInstances refuses in its options, before anything is looked up (a
    plain launch has none to refuse: a type's own CPU options always pass)."""
    if spec.kernel_id is not None or spec.ramdisk_id is not None:
        from cloudmock.services.ec2.models.instance_attributes import check_kernel, check_ramdisk

        if spec.kernel_id is not None:
            check_kernel(spec.kernel_id)
        if spec.ramdisk_id is not None:
            check_ramdisk(spec.ramdisk_id)
    if spec.cpu_credits is not None:
        check_credits(spec.instance_type, spec.cpu_credits)
    check_cpu_options(spec.instance_type, spec.core_count, spec.threads_per_core)
    if spec.metric_categories and not spec.monitoring:
        raise InvalidParameterCombination(
            "To specify metric categories (MetricCategoryIds), you must also enable detailed "
            "monitoring."
        )
    if spec.hibernation and spec.enclave:
        raise InvalidParameterCombination(
            "You can't enable hibernation and AWS Nitro Enclaves on the same instance."
        )
    if spec.lifecycle == "capacity-block" and not spec.capacity_reservation_id:
        raise InvalidParameterCombination(
            "To launch into a Capacity Block (MarketType capacity-block), specify its "
            "capacity reservation in CapacityReservationSpecification.CapacityReservationTarget."
        )
    if spec.hibernation and spec.lifecycle == "capacity-block":
        raise InvalidParameterCombination(
            "Hibernation is not supported for instances launched into a Capacity Block."
        )
    if spec.ipv6_addresses and spec.ipv6_count is not None:
        raise InvalidParameterCombination(
            "The parameters Ipv6Addresses and Ipv6AddressCount cannot be used together."
        )
    if spec.ipv6_addresses and spec.max_count > 1:
        raise InvalidParameterCombination(
            "Cannot specify IPv6 addresses (Ipv6Addresses) when launching more than one instance."
        )
    if spec.interfaces:
        _check_interface_combination(spec)


def _check_interface_combination(spec: LaunchSpec) -> None:
    if spec.subnet_id is not None:
        raise InvalidParameterCombination(
            "Network interfaces and an instance-level subnet ID may not be specified on the "
            "same request"
        )
    if spec.security_group_ids or spec.security_group_names:
        raise InvalidParameterCombination(
            "Network interfaces and an instance-level security groups may not be specified on "
            "the same request"
        )
    if spec.private_ip is not None:
        raise InvalidParameterCombination(
            "Network interfaces and an instance-level private IP address should not be "
            "specified on the same request"
        )
    if spec.ipv6_addresses or spec.ipv6_count is not None:
        raise InvalidParameterCombination(
            "Network interfaces and instance-level IPv6 addresses may not be specified on the "
            "same request"
        )
    seen: set[tuple[int, int]] = set()
    for entry in spec.interfaces:
        if entry.device_index is None:
            raise MissingParameter("NetworkInterface.DeviceIndex")
        if entry.device_index < 0:
            raise InvalidParameterValue(f"Invalid value '{entry.device_index}' for DeviceIndex.")
        key = (entry.network_card_index or 0, entry.device_index)
        if key in seen:
            raise InvalidParameterValue("Each network interface requires a unique device index.")
        seen.add(key)
        if entry.network_card_index not in (None, 0):
            raise InvalidParameterValue(
                f"Invalid value '{entry.network_card_index}' for NetworkCardIndex. The instance "
                f"type {spec.instance_type} supports only network card 0."
            )
        if entry.interface_type is not None and entry.interface_type not in LAUNCH_INTERFACE_TYPES:
            raise InvalidParameterValue(
                f"Invalid value '{entry.interface_type}' for InterfaceType. Valid values are "
                "interface, efa, efa-only."
            )
        if entry.network_interface_id is not None:
            if entry.subnet_id or entry.group_ids or entry.addressed or entry.description:
                raise InvalidParameterCombination(
                    "A network interface may not specify both a network interface ID and a "
                    "subnet, security groups, addresses or a description"
                )
            if spec.max_count > 1:
                raise InvalidParameterCombination(
                    "Network interfaces with an existing network interface ID (NetworkInterfaceId) "
                    "can only be used to launch one instance."
                )
        if entry.associate_public_ip is not None and entry.device_index != 0:
            raise InvalidParameterCombination(
                "The associatePublicIPAddress parameter can only be specified for the network "
                "interface with DeviceIndex 0."
            )
        if entry.associate_public_ip and entry.network_interface_id is not None:
            raise InvalidParameterCombination(
                "The associatePublicIPAddress parameter cannot be specified for an existing "
                "network interface."
            )
        if (entry.private_ip or entry.private_ips or entry.ipv6_addresses) and spec.max_count > 1:
            raise InvalidParameterCombination(
                "Cannot specify private or IPv6 addresses of a network interface when launching "
                "more than one instance."
            )
    if (0, 0) not in seen:
        raise InvalidParameterValue(
            "When specifying network interfaces, you must include a device at index 0."
        )
    if len(spec.interfaces) > 1 and any(e.associate_public_ip for e in spec.interfaces):
        raise InvalidParameterCombination(
            "The associatePublicIPAddress parameter cannot be specified when launching with "
            "multiple network interfaces."
        )


def primary_entry(spec: LaunchSpec) -> InterfaceLaunch | None:
    for entry in spec.interfaces:
        if entry.device_index == 0 and not entry.network_card_index:
            return entry
    return None


def needs_interface_path(spec: LaunchSpec) -> bool:
    """Whether the primary interface needs more than one private address (the quick path)."""
    return bool(
        spec.interfaces or spec.ipv6_addresses or spec.ipv6_count or spec.enable_primary_ipv6
    )


def check_interfaces(backend: Ec2Backend, spec: LaunchSpec, subnet: Subnet) -> None:
    """What can be checked of NetworkInterfaces against the region before the commit point."""
    vpcs = backend.vpcs
    groups = backend.security_groups.store
    for entry in spec.interfaces:
        if entry.network_interface_id is not None:
            eni = backend.network_interfaces.get(entry.network_interface_id)
            if eni.attachment_id is not None:
                raise ServiceError(
                    f"Interface: [{eni.id}] in use.", code="InvalidNetworkInterface.InUse"
                )
            if eni.zone_name != subnet.zone.name:
                raise InvalidParameterValue(
                    f"The network interface '{eni.id}' is not in the availability zone "
                    f"'{subnet.zone.name}'."
                )
            continue
        entry_subnet = vpcs.subnets.get(entry.subnet_id) if entry.subnet_id else subnet
        if entry_subnet.zone.name != subnet.zone.name:
            raise InvalidParameterValue(
                "The subnets of the network interfaces must be in the same availability zone."
            )
        for group in groups.get_many(list(entry.group_ids)):
            if group.vpc_id != entry_subnet.vpc_id:
                raise ServiceError(
                    f"Security group {group.id} and subnet {entry_subnet.id} belong to different "
                    "networks.",
                    code="InvalidParameter",
                )
        for address in [
            *([entry.private_ip] if entry.private_ip else []),
            *(a for a, _ in entry.private_ips),
        ]:
            if address in entry_subnet.used_ips:
                raise ServiceError(f"Address {address} is in use.", code="InvalidIPAddress.InUse")
        wants_ipv6 = entry.ipv6_addresses or entry.ipv6_count or entry.ipv6_prefixes
        if (wants_ipv6 or entry.primary_ipv6) and not entry_subnet.ipv6_cidrs():
            raise InvalidParameterValue(
                f"You must specify an IPv6 CIDR block for subnet '{entry_subnet.id}' before you "
                "can assign IPv6 addresses or prefixes."
            )
    if not spec.interfaces:
        if (spec.ipv6_addresses or spec.ipv6_count) and not subnet.ipv6_cidrs():
            raise InvalidParameterValue(
                f"You must specify an IPv6 CIDR block for subnet '{subnet.id}' before you can "
                "assign IPv6 addresses or prefixes."
            )
        if spec.enable_primary_ipv6 and not (spec.ipv6_addresses or spec.ipv6_count):
            raise InvalidParameterCombination(
                "EnablePrimaryIpv6 requires an IPv6 address (Ipv6Addresses or Ipv6AddressCount)."
            )


def launch_entries(spec: LaunchSpec, subnet: Subnet, group_ids: list[str]) -> list[InterfaceLaunch]:
    """The NetworkInterfaces to build, primary first: the request's, or one made of the
    top-level members."""
    from cloudmock.services.ec2.models.instances import InterfaceLaunch

    if spec.interfaces:
        return sorted(
            spec.interfaces, key=lambda e: (e.network_card_index or 0, e.device_index or 0)
        )
    return [
        InterfaceLaunch(
            device_index=0,
            subnet_id=subnet.id,
            group_ids=tuple(group_ids),
            private_ip=spec.private_ip,
            ipv6_addresses=spec.ipv6_addresses,
            ipv6_count=spec.ipv6_count,
            primary_ipv6=spec.enable_primary_ipv6,
        )
    ]


def attach_interfaces(
    backend: Ec2Backend,
    spec: LaunchSpec,
    subnet: Subnet,
    group_ids: list[str],
    instance_id: str,
    now: datetime,
) -> list[NetworkInterface]:
    """Create (or take) each interface of one launched instance and attach it; primary first."""
    family = backend.network_interfaces
    attached: list[NetworkInterface] = []
    tags = tuple(spec.tags_for("network-interface").items())
    for entry in launch_entries(spec, subnet, group_ids):
        if entry.network_interface_id is not None:
            eni = family.get(entry.network_interface_id)
            delete = bool(entry.delete_on_termination)
        else:
            primary = entry.device_index == 0
            eni = family.create(
                InterfaceSpec(
                    subnet_id=entry.subnet_id or subnet.id,
                    description=entry.description or "",
                    private_ip=entry.private_ip,
                    private_ips=entry.private_ips,
                    secondary_count=entry.secondary_count,
                    ipv6_addresses=entry.ipv6_addresses,
                    ipv6_count=entry.ipv6_count,
                    ipv4_prefixes=entry.ipv4_prefixes,
                    ipv4_prefix_count=entry.ipv4_prefix_count,
                    ipv6_prefixes=entry.ipv6_prefixes,
                    ipv6_prefix_count=entry.ipv6_prefix_count,
                    # the primary takes the instance's groups when the entry names none
                    group_ids=entry.group_ids or (tuple(group_ids) if primary else ()),
                    interface_type=(
                        None if entry.interface_type == "interface" else entry.interface_type
                    ),
                    tags=tags,
                    enable_primary_ipv6=entry.primary_ipv6,
                    conntrack=entry.conntrack,
                )
            )
            delete = True if entry.delete_on_termination is None else entry.delete_on_termination
        eni.instance_id = instance_id
        eni.instance_owner_id = backend.account_id
        eni.attachment_id = backend.ids.new("eni-attach")
        eni.attach_time = now
        eni.attachment_status = "attaching"
        eni.device_index = entry.device_index or 0
        eni.network_card_index = entry.network_card_index or 0
        eni.delete_on_termination = delete
        eni.ena_queue_count = entry.ena_queue_count
        if entry.ena_srd is not None:
            eni.ena_srd, eni.ena_srd_udp = entry.ena_srd
        eni.associate_public_ip = entry.associate_public_ip
        family.reindex(eni)
        attached.append(eni)
    return attached


@functools.lru_cache(maxsize=1024)
def _type_defaults(instance_type: str) -> tuple[str | None, int, int]:
    """(credit option, cores, threads per core) a type launches with when none is asked."""
    return default_credits(instance_type), *check_cpu_options(instance_type, None, None)


def extras_from(spec: LaunchSpec) -> InstanceExtras:
    if spec.plain:  # every option at its default: only the type decides
        credits, cores, threads = _type_defaults(spec.instance_type)
        extras: InstanceExtras = new_object(InstanceExtras)
        extras.__init__()  # type: ignore[misc]
        # set after: cheaper than keywords, each matched against the parameters' names in turn
        extras.cpu_credits = credits
        extras.core_count = cores
        extras.threads_per_core = threads
        return extras
    cores, threads = check_cpu_options(spec.instance_type, spec.core_count, spec.threads_per_core)
    preference = spec.capacity_reservation_preference
    if preference is None:
        targeted = spec.capacity_reservation_id or spec.capacity_reservation_group_arn
        preference = "" if targeted else "open"
    spot = spec.spot_options or (None, None, None)
    return InstanceExtras(
        spot_max_price=spot[0],
        spot_instance_type=spot[1],
        spot_interruption=spot[2],
        metric_categories=spec.metric_categories,
        hibernation=spec.hibernation,
        lifecycle=spec.lifecycle,
        spot_request_id=spec.spot_request_id,
        placement_group=spec.placement_group,
        placement_group_id=spec.placement_group_id,
        partition_number=spec.partition_number,
        host_id=spec.host_id,
        affinity=spec.affinity,
        host_resource_group_arn=spec.host_resource_group_arn,
        spread_domain=spec.spread_domain,
        capacity_preference=preference,
        capacity_target_id=spec.capacity_reservation_id,
        capacity_reservation_group_arn=spec.capacity_reservation_group_arn,
        cpu_credits=spec.cpu_credits or default_credits(spec.instance_type),
        core_count=cores,
        threads_per_core=threads,
        amd_sev_snp=spec.amd_sev_snp,
        nested_virtualization=spec.nested_virtualization,
        iam_profile=spec.iam_profile,
        auto_recovery=spec.auto_recovery or "default",
        hostname_type=spec.hostname_type or "ip-name",
        dns_a_record=bool(spec.dns_a_record),
        dns_aaaa_record=bool(spec.dns_aaaa_record),
        bandwidth_weighting=spec.bandwidth_weighting or "default",
        license_arns=spec.license_arns,
        operator_principal=spec.operator_principal,
    )
