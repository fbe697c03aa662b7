"""The instance's options after launch: metadata, credits, monitoring, maintenance, CPU,
network performance, placement; and what an instance shows of itself (console output,
screenshot, Windows password, UEFI variables, NitroTPM key, topology)."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import replace
from typing import TYPE_CHECKING

from cloudmock.core.errors import InvalidParameterValue, ServiceError
from cloudmock.services.ec2.dryrun import commit
from cloudmock.services.ec2.models.instance_attributes import not_stopped
from cloudmock.services.ec2.models.instance_launch import (
    BURSTABLE_DEFAULT_CREDITS,
    check_cpu_options,
    default_credits,
)

if TYPE_CHECKING:
    from cloudmock.services.ec2.models.backend import Ec2Backend
    from cloudmock.services.ec2.models.instances import Instance
    from cloudmock.services.ec2.shapes import (
        InstanceMetadataDefaultsResponse,
        InstanceTopology,
        UnsuccessfulInstanceCreditSpecificationItem,
    )


def _not_terminated(instance: Instance) -> None:
    if instance.state in ("shutting-down", "terminated"):
        raise ServiceError(
            f"The instance '{instance.id}' is not in a valid state for this operation.",
            code="IncorrectInstanceState",
        )


def check_hop_limit(hop_limit: int) -> None:
    if not 1 <= hop_limit <= 64:
        raise InvalidParameterValue(
            f"Invalid value '{hop_limit}' for HttpPutResponseHopLimit. It must be between 1 and 64."
        )


# -- instance metadata service


def modify_metadata(
    backend: Ec2Backend,
    instance: Instance,
    *,
    http_tokens: str | None,
    hop_limit: int | None,
    http_endpoint: str | None,
    http_protocol_ipv6: str | None,
    instance_metadata_tags: str | None,
) -> None:
    _not_terminated(instance)
    if hop_limit is not None:
        check_hop_limit(hop_limit)
    commit()
    current = instance.metadata
    instance.metadata = replace(
        current,
        http_tokens=http_tokens or current.http_tokens,
        hop_limit=current.hop_limit if hop_limit is None else hop_limit,
        http_endpoint=http_endpoint or current.http_endpoint,
        http_protocol_ipv6=http_protocol_ipv6 or current.http_protocol_ipv6,
        instance_metadata_tags=instance_metadata_tags or current.instance_metadata_tags,
    )
    # the change reaches the running instance a moment later
    instance.metadata_state = "pending"

    def applied(item: Instance) -> None:
        item.metadata_state = "applied"

    backend.schedule(backend.options.transition_delay, instance, applied)


#: ModifyInstanceMetadataDefaults' members, as the account-level defaults keep them
METADATA_DEFAULT_KEYS = (
    "HttpTokens",
    "HttpPutResponseHopLimit",
    "HttpEndpoint",
    "InstanceMetadataTags",
    "HttpTokensEnforced",
)


def modify_metadata_defaults(
    defaults: dict[str, str | int], changes: dict[str, str | int | None]
) -> None:
    """``no-preference`` (or a hop limit of -1) clears a default; an unnamed member stays."""
    hop_limit = changes.get("HttpPutResponseHopLimit")
    if isinstance(hop_limit, int) and hop_limit != -1:
        check_hop_limit(hop_limit)
    if all(value is None for value in changes.values()):
        raise InvalidParameterValue("At least one instance metadata default must be specified.")
    commit()
    for key, value in changes.items():
        if value is None:
            continue
        if value in ("no-preference", -1):
            defaults.pop(key, None)
        else:
            defaults[key] = value


def describe_metadata_defaults(defaults: dict[str, str | int]) -> InstanceMetadataDefaultsResponse:
    out: InstanceMetadataDefaultsResponse = {}
    for key in METADATA_DEFAULT_KEYS:
        if key in defaults:
            out[key] = defaults[key]  # type: ignore[literal-required]
    return out


def enforce_metadata_defaults(defaults: dict[str, str | int], http_tokens: str) -> None:
    """HttpTokensEnforced: a launch that would allow IMDSv1 is refused."""
    if defaults.get("HttpTokensEnforced") == "enabled" and http_tokens != "required":
        raise ServiceError(
            "The account requires IMDSv2 (HttpTokensEnforced is enabled): launch with "
            "HttpTokens set to required.",
            code="InvalidParameterValue",
        )


# -- CPU credits


def credits_of(instance: Instance) -> str:
    return instance.extras.cpu_credits or default_credits(instance.instance_type) or "standard"


#: ModifyInstanceCreditSpecification's answers by ClientToken: (request, answer)
CreditAnswer = tuple[list[str], list["UnsuccessfulInstanceCreditSpecificationItem"]]


def modify_credits(
    backend: Ec2Backend, requests: list[tuple[str, str]], client_token: str | None = None
) -> CreditAnswer:
    """Per instance: success, or the error EC2 reports for that one (the others still change).
    A ClientToken seen before with the same request gives the first answer again."""
    tokens: dict[str, tuple[list[tuple[str, str]], CreditAnswer]] = backend.instances.credit_tokens
    if client_token is not None and client_token in tokens:
        earlier, answer = tokens[client_token]
        if earlier != requests:
            raise ServiceError(
                "Arguments on this idempotent request are inconsistent with arguments used in "
                "previous request(s).",
                code="IdempotentParameterMismatch",
            )
        commit()
        return answer
    store = backend.instances.store
    good: list[tuple[Instance, str]] = []
    bad: list[UnsuccessfulInstanceCreditSpecificationItem] = []
    for instance_id, credits in requests:
        if credits not in ("standard", "unlimited"):
            raise InvalidParameterValue(
                f"Invalid value '{credits}' for CpuCredits. Valid values are standard, unlimited."
            )
        if not store.kind.id_pattern.match(instance_id):
            error = store.kind.malformed(instance_id)
        else:
            instance = store.find(instance_id)
            if instance is None:
                error = store.kind.not_found([instance_id])
            elif instance.state in ("shutting-down", "terminated"):
                error = ServiceError(
                    f"The instance '{instance_id}' is not in a valid state for this operation.",
                    code="IncorrectInstanceState",
                )
            elif default_credits(instance.instance_type) is None:
                error = ServiceError(
                    f"The {instance.instance_type} instance type does not support CPU credit "
                    "options.",
                    code="InstanceCreditSpecification.NotSupported",
                )
            else:
                good.append((instance, credits))
                continue
        bad.append(
            {"InstanceId": instance_id, "Error": {"Code": error.code, "Message": error.message}}
        )
    commit()
    for instance, credits in good:
        instance.extras.cpu_credits = credits
    answer = ([instance.id for instance, _ in good], bad)
    if client_token is not None:
        tokens[client_token] = (list(requests), answer)
    return answer


def check_family(family: str) -> None:
    if family not in BURSTABLE_DEFAULT_CREDITS:
        raise InvalidParameterValue(
            f"Invalid value '{family}' for InstanceFamily. Valid values are "
            f"{', '.join(BURSTABLE_DEFAULT_CREDITS)}."
        )


def family_credits(backend: Ec2Backend, family: str) -> str:
    check_family(family)
    return backend.instances.credit_defaults.get(family, BURSTABLE_DEFAULT_CREDITS[family])


def set_family_credits(backend: Ec2Backend, family: str, credits: str) -> None:
    check_family(family)
    if credits not in ("standard", "unlimited"):
        raise InvalidParameterValue(
            f"Invalid value '{credits}' for CpuCredits. Valid values are standard, unlimited."
        )
    commit()
    backend.instances.credit_defaults[family] = credits


# -- monitoring, maintenance, CPU, network performance, placement


def set_monitoring(instances: list[Instance], enabled: bool, categories: list[str]) -> None:
    """Monitor: detailed monitoring on, the categories added. Unmonitor: the categories named
    are taken away (monitoring stays on), or with none named, detailed monitoring goes off."""
    for instance in instances:
        _not_terminated(instance)
    commit()
    for instance in instances:
        x = instance.extras
        if enabled:
            instance.monitoring = True
            x.metric_categories = tuple(dict.fromkeys((*x.metric_categories, *categories)))
        elif categories:
            x.metric_categories = tuple(c for c in x.metric_categories if c not in categories)
        else:
            instance.monitoring = False
            x.metric_categories = ()


def modify_maintenance(
    instance: Instance, auto_recovery: str | None, reboot_migration: str | None
) -> None:
    _not_terminated(instance)
    commit()
    if auto_recovery is not None:
        instance.extras.auto_recovery = auto_recovery
    if reboot_migration is not None:
        instance.extras.reboot_migration = reboot_migration


def modify_cpu(
    instance: Instance, cores: int | None, threads: int | None, nested: str | None
) -> None:
    if instance.state != "stopped":
        raise not_stopped(instance)
    cores, threads = check_cpu_options(instance.instance_type, cores, threads)
    commit()
    instance.extras.core_count = cores
    instance.extras.threads_per_core = threads
    if nested is not None:
        instance.extras.nested_virtualization = nested


def modify_network_performance(instance: Instance, weighting: str) -> None:
    if instance.state != "stopped":
        raise not_stopped(instance)
    commit()
    instance.extras.bandwidth_weighting = weighting


def modify_placement(
    instance: Instance,
    *,
    group_name: str | None,
    group_id: str | None,
    partition_number: int | None,
    tenancy: str | None,
    affinity: str | None,
    host_id: str | None,
    host_resource_group_arn: str | None,
) -> None:
    if instance.state != "stopped":
        raise not_stopped(instance)
    if group_name and group_id:
        raise InvalidParameterValue("Specify either GroupName or GroupId, not both.")
    if partition_number is not None and not (
        group_name or group_id or instance.extras.placement_group
    ):
        raise InvalidParameterValue("PartitionNumber can only be specified with a placement group.")
    if affinity is not None and (tenancy or instance.tenancy) != "host":
        raise InvalidParameterValue(
            "Affinity can only be specified for instances with host tenancy."
        )
    commit()
    x = instance.extras
    if group_name is not None or group_id is not None:
        # an empty GroupName takes the instance out of its placement group
        x.placement_group = group_name or None
        x.placement_group_id = group_id or None
        x.partition_number = None
    if partition_number is not None:
        x.partition_number = partition_number
    if tenancy is not None:
        instance.tenancy = tenancy
        if tenancy != "host":
            x.host_id = x.affinity = x.host_resource_group_arn = None
    if affinity is not None:
        x.affinity = affinity
    if host_id is not None:
        x.host_id = host_id
    if host_resource_group_arn is not None:
        x.host_resource_group_arn = host_resource_group_arn


# -- what an instance shows of itself


def _digest(*parts: str, size: int = 32) -> bytes:
    """Deterministic bytes standing for what real hardware would produce."""
    out = b""
    counter = 0
    while len(out) < size:
        out += hashlib.sha256("/".join((*parts, str(counter))).encode()).digest()
        counter += 1
    return out[:size]


def console_output(instance: Instance) -> str | None:
    """The serial console's text (base64), once the instance has booted."""
    if instance.running_since is None:
        return None
    if instance.extras.platform == "windows":
        text = (
            f"{instance.launch_time:%Y/%m/%d %H:%M:%SZ} Windows sysprep configuration complete.\r\n"
            f"{instance.launch_time:%Y/%m/%d %H:%M:%SZ} Message: Windows is Ready to use\r\n"
        )
    else:
        boot = instance.launch_time.strftime("%a %b %d %H:%M:%S UTC %Y")
        text = (
            "[    0.000000] Linux version 6.1.0 (cloudmock) #1 SMP\n"
            f"[    0.000000] Command line: BOOT_IMAGE=/boot/vmlinuz root=LABEL=/ "
            f"console=ttyS0\n"
            f"[    1.024000] EXT4-fs (nvme0n1p1): mounted filesystem\n"
            f"cloud-init: Cloud-init v. 23.4 running 'init' at {boot}.\n"
            f"ci-info: | eth0 | True | {instance.private_ip} | . | global | "
            f"{instance.network_interface.mac_address} |\n"
            f"{instance.private_dns_name.split('.')[0]} login: \n"
        )
    return base64.b64encode(text.encode()).decode()


#: an 8x8 mid-grey baseline JPEG (one component, one-symbol Huffman tables)
SCREENSHOT_JPEG = bytes.fromhex(
    "ffd8"
    "ffe000104a46494600010100000100010000"
    "ffdb004300" + "01" * 64 + "ffc0000b080008000801011100"
    "ffc40014000100000000000000000000000000000000"
    "ffc40014100100000000000000000000000000000000"
    "ffda0008010100003f00"
    "3f"
    "ffd9"
)


def screenshot(instance: Instance) -> str:
    if instance.state != "running":
        raise ServiceError(
            f"The instance '{instance.id}' is not in a valid state for this operation.",
            code="IncorrectInstanceState",
        )
    return base64.b64encode(SCREENSHOT_JPEG).decode()


def password_data(backend: Ec2Backend, instance: Instance) -> str:
    """Windows: the encrypted administrator password once the instance is ready; Linux
    instances have none (EC2 answers an empty PasswordData)."""
    if instance.extras.platform != "windows" or instance.running_since is None:
        return ""
    if backend.clock.time() < instance.running_since + backend.options.status_delay:
        return ""
    # stands for the password encrypted with the key pair's public key (RSA-2048: 256 bytes)
    return base64.b64encode(_digest("password", instance.id, size=256)).decode()


def uefi_data(instance: Instance) -> str:
    if instance.current_boot_mode != "uefi":
        raise ServiceError(
            f"The instance '{instance.id}' does not use UEFI boot mode.",
            code="UnsupportedOperation",
        )
    # an EFI variable store: a small header, then the variables (opaque here)
    header = b"AMZNUEFI" + len(instance.id).to_bytes(4, "little")
    return base64.b64encode(header + _digest("uefi", instance.id, size=120)).decode()


def _der_length(length: int) -> bytes:
    if length < 0x80:
        return bytes([length])
    raw = length.to_bytes((length.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(raw)]) + raw


def _der(tag: int, body: bytes) -> bytes:
    return bytes([tag]) + _der_length(len(body)) + body


_RSA_OID = bytes.fromhex("06092a864886f70d010101")
_EC_OID = bytes.fromhex("06072a8648ce3d0201")
_P384_OID = bytes.fromhex("06052b81040022")


def tpm_ek_pub(instance: Instance, key_type: str, key_format: str) -> str:
    if instance.extras.tpm_support is None:
        raise ServiceError(
            f"The instance '{instance.id}' does not have NitroTPM enabled.",
            code="UnsupportedOperation",
        )
    if key_type == "rsa-2048":
        modulus = bytearray(_digest("ek", instance.id, key_type, size=256))
        modulus[0] |= 0x80
        key = _der(0x30, _der(0x02, b"\x00" + bytes(modulus)) + _der(0x02, b"\x01\x00\x01"))
        algorithm = _der(0x30, _RSA_OID + b"\x05\x00")
    else:
        point = b"\x04" + _digest("ek", instance.id, key_type, size=96)
        key = point
        algorithm = _der(0x30, _EC_OID + _P384_OID)
    if key_format == "der":
        value = _der(0x30, algorithm + _der(0x03, b"\x00" + key))
    else:
        # TPMT_PUBLIC: type (RSA 0x0001 / ECC 0x0023), name algorithm SHA-256, then the key
        kind = b"\x00\x01" if key_type == "rsa-2048" else b"\x00\x23"
        value = kind + b"\x00\x0b" + len(key).to_bytes(2, "big") + key
    return base64.b64encode(value).decode()


#: instance families that report their network topology
TOPOLOGY_FAMILIES = frozenset(
    {
        "g6",
        "g6e",
        "gr6",
        "hpc6a",
        "hpc6id",
        "hpc7a",
        "hpc7g",
        "p3dn",
        "p4d",
        "p4de",
        "p5",
        "p5e",
        "p5en",
        "p6-b200",
        "trn1",
        "trn1n",
        "trn2",
        "trn2u",
    }
)


def topology(instance: Instance) -> InstanceTopology | None:
    """Where the instance sits in the zone's network (three layers of nodes), if its type
    reports it and it is running."""
    family = instance.instance_type.split(".", 1)[0]
    if family not in TOPOLOGY_FAMILIES or instance.state != "running":
        return None
    zone = instance.zone
    # nodes above are shared by neighbours: the top two depend on the zone (and group) only
    group = instance.extras.placement_group or ""
    nodes = [
        "nn-" + _digest("nn", zone.zone_id, "1", size=9).hex()[:17],
        "nn-" + _digest("nn", zone.zone_id, "2", group, size=9).hex()[:17],
        "nn-" + _digest("nn", zone.zone_id, "3", instance.id, size=9).hex()[:17],
    ]
    out: InstanceTopology = {
        "InstanceId": instance.id,
        "InstanceType": instance.instance_type,
        "NetworkNodes": nodes,
        "AvailabilityZone": zone.name,
        "ZoneId": zone.zone_id,
    }
    if group:
        out["GroupName"] = group
    return out
