"""The instance-type catalogue: specs, offerings per region and zone, requirement matching.

The specs come from ``data/instance_types.json`` (made by
``scripts/generate_instance_types.py``), read on the first request that needs them,
never at import or when a mock starts. Describe shapes are built once per type and
shared; filter values are worked out once per filter name, with an index of exact
values, so a filtered DescribeInstanceTypes touches each type once at most.
"""

from __future__ import annotations

import fnmatch
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from cloudmock.core.errors import (
    InvalidParameterCombination,
    InvalidParameterValue,
    ServiceError,
)
from cloudmock.core.frozen import Frozen
from cloudmock.services.ec2.filters import FilterSet

if TYPE_CHECKING:
    from cloudmock.services.ec2.models.backend import Ec2Backend
    from cloudmock.services.ec2.models.instances import LaunchSpec
    from cloudmock.services.ec2.models.regions import Region
    from cloudmock.services.ec2.shapes import Filter, InstanceTypeInfo

Spec = Mapping[str, Any]

#: offering tiers (see the generator): everywhere, the oldest regions, the largest regions
ALL, CLASSIC, MAJOR = 0, 1, 2
#: zones a zone-restricted type is offered in (the region's first ones)
RESTRICTED_ZONES = 2


@cache
def _data() -> dict[str, Any]:
    text = (
        resources.files("cloudmock.services.ec2")
        .joinpath("data/instance_types.json")
        .read_text("utf-8")
    )
    return json.loads(text)  # type: ignore[no-any-return]


@cache
def specs() -> tuple[Spec, ...]:
    """Every instance type's spec, in botocore's enum order."""
    data = _data()
    columns = data["columns"]
    return tuple(dict(zip(columns, row, strict=True)) for row in data["types"])


@cache
def by_name() -> dict[str, int]:
    return {spec["type"]: position for position, spec in enumerate(specs())}


def spec_of(instance_type: str) -> Spec | None:
    position = by_name().get(instance_type)
    return None if position is None else specs()[position]


# -- offerings


@cache
def _tier_regions() -> dict[int, frozenset[str]]:
    regions = _data()["regions"]
    return {CLASSIC: frozenset(regions["classic"]), MAJOR: frozenset(regions["major"])}


def offered_in_region(spec: Spec, region: str) -> bool:
    tier = spec["tier"]
    return tier == ALL or region in _tier_regions()[tier]


@cache
def region_positions(region: str) -> frozenset[int]:
    """The positions (in :func:`specs`) of the types ``region`` offers."""
    return frozenset(i for i, s in enumerate(specs()) if offered_in_region(s, region))


def zone_offers(spec: Spec, region: Region, zone_name: str) -> bool:
    if not offered_in_region(spec, region.name):
        return False
    if not spec["zone_restricted"]:
        return True
    names = [zone.name for zone in region.zones]
    return zone_name in names[:RESTRICTED_ZONES]


def zones_offering(spec: Spec, region: Region) -> list[str]:
    return [zone.name for zone in region.zones if zone_offers(spec, region, zone.name)]


# -- the describe shape


def _card(spec: Spec, index: int) -> dict[str, Any]:
    cards = spec["cards"]
    return {
        "NetworkCardIndex": index,
        "NetworkPerformance": spec["network"],
        "MaximumNetworkInterfaces": spec["max_eni"] // cards,
        "BaselineBandwidthInGbps": round(spec["baseline_gbps"] / cards, 3),
        "PeakBandwidthInGbps": round(spec["peak_gbps"] / cards, 3),
    }


def _accelerators(spec: Spec, out: dict[str, Any]) -> None:
    facts = spec["accelerators"]
    if facts is None:
        return
    kind, name, maker, count, memory = facts[:5]
    total = count * memory
    device = {
        "Count": count,
        "Name": name,
        "Manufacturer": maker,
        "MemoryInfo": {"SizeInMiB": memory},
    }
    if kind == "gpu":
        out["GpuInfo"] = {"Gpus": [device], "TotalGpuMemoryInMiB": total}
    elif kind == "fpga":
        out["FpgaInfo"] = {"Fpgas": [device], "TotalFpgaMemoryInMiB": total}
    elif kind == "inference":
        out["InferenceAcceleratorInfo"] = {
            "Accelerators": [device],
            "TotalInferenceMemoryInMiB": total,
        }
    elif kind == "media":
        out["MediaAcceleratorInfo"] = {"Accelerators": [device], "TotalMediaMemoryInMiB": total}
    else:  # neuron
        cores, version = facts[5:7]
        out["NeuronInfo"] = {
            "NeuronDevices": [
                {
                    "Count": count,
                    "Name": name,
                    "CoreInfo": {"Count": cores, "Version": version},
                    "MemoryInfo": {"SizeInMiB": memory},
                }
            ],
            "TotalNeuronDeviceMemoryInMiB": total,
        }


@cache
def _describe(position: int) -> InstanceTypeInfo:
    s = specs()[position]
    vcpu: dict[str, Any] = {
        "DefaultVCpus": s["vcpus"],
        "DefaultCores": s["cores"],
        "DefaultThreadsPerCore": s["threads"],
    }
    if s["valid_cores"] is not None:
        vcpu["ValidCores"] = s["valid_cores"]
        vcpu["ValidThreadsPerCore"] = s["valid_threads"]
    processor: dict[str, Any] = {
        "SupportedArchitectures": s["archs"],
        "SustainedClockSpeedInGhz": s["clock"],
        "Manufacturer": s["maker"],
    }
    if s["features"]:
        processor["SupportedFeatures"] = s["features"]
    ebs: dict[str, Any] = {
        "EbsOptimizedSupport": s["ebs_optimized"],
        "EncryptionSupport": s["ebs_encryption"],
        "NvmeSupport": s["ebs_nvme"],
    }
    if s["ebs"] is not None:
        base, top, base_iops, top_iops = s["ebs"]
        ebs["EbsOptimizedInfo"] = {
            "BaselineBandwidthInMbps": base,
            "BaselineThroughputInMBps": base / 8,
            "BaselineIops": base_iops,
            "MaximumBandwidthInMbps": top,
            "MaximumThroughputInMBps": top / 8,
            "MaximumIops": top_iops,
        }
    if s["ebs_attachments"] is not None:
        ebs["MaximumEbsAttachments"] = s["ebs_attachments"]
        ebs["AttachmentLimitType"] = s["attachment_type"]
    network: dict[str, Any] = {
        "NetworkPerformance": s["network"],
        "MaximumNetworkInterfaces": s["max_eni"],
        "MaximumNetworkCards": s["cards"],
        "DefaultNetworkCardIndex": 0,
        "NetworkCards": [_card(s, i) for i in range(s["cards"])],
        "Ipv4AddressesPerInterface": s["ipv4"],
        "Ipv6AddressesPerInterface": s["ipv6"],
        "Ipv6Supported": s["ipv6"] > 0,
        "EnaSupport": s["ena"],
        "EfaSupported": s["efa"] > 0,
        "EncryptionInTransitSupported": s["eit"],
        "EnaSrdSupported": s["efa"] > 0,
        "BandwidthWeightings": ["default"],
        "FlexibleEnaQueuesSupport": "unsupported",
    }
    if s["efa"]:
        network["EfaInfo"] = {"MaximumEfaInterfaces": s["efa"]}
    out: dict[str, Any] = {
        "InstanceType": s["type"],
        "CurrentGeneration": s["current"],
        "FreeTierEligible": s["free_tier"],
        "SupportedUsageClasses": s["usage"],
        "SupportedRootDeviceTypes": s["root"],
        "SupportedVirtualizationTypes": s["virtualization"],
        "BareMetal": s["metal"],
        "ProcessorInfo": processor,
        "VCpuInfo": vcpu,
        "MemoryInfo": {"SizeInMiB": s["memory"]},
        "InstanceStorageSupported": s["storage"] is not None,
        "EbsInfo": ebs,
        "NetworkInfo": network,
        "PlacementGroupInfo": {"SupportedStrategies": s["strategies"]},
        "HibernationSupported": s["hibernation"],
        "BurstablePerformanceSupported": s["burstable"],
        "DedicatedHostsSupported": s["dedicated_hosts"],
        "AutoRecoverySupported": s["auto_recovery"],
        "SupportedBootModes": s["boot_modes"],
        "NitroEnclavesSupport": "supported" if s["enclaves"] else "unsupported",
        "NitroTpmSupport": "supported" if s["tpm"] else "unsupported",
        "PhcSupport": "supported" if s["phc"] else "unsupported",
        "RebootMigrationSupport": "supported" if s["reboot_migration"] else "unsupported",
    }
    if s["hypervisor"] is not None:
        out["Hypervisor"] = s["hypervisor"]
    if s["tpm"]:
        out["NitroTpmInfo"] = {"SupportedVersions": ["2.0"]}
    if s["storage"] is not None:
        count, size, disk_type, nvme, encryption = s["storage"]
        out["InstanceStorageInfo"] = {
            "TotalSizeInGB": count * size,
            "Disks": [{"SizeInGB": size, "Count": count, "Type": disk_type}],
            "NvmeSupport": nvme,
            "EncryptionSupport": encryption,
        }
    _accelerators(s, out)
    # the same for every request: the XML writer keeps what it made of it
    return Frozen(out)  # type: ignore[return-value]


def describe(position: int, supported_in_region: bool | None = None) -> InstanceTypeInfo:
    shape = _describe(position)
    if supported_in_region is None:
        return shape
    return {**shape, "SupportedInRegion": supported_in_region}


# -- filters (DescribeInstanceTypes)


def _storage(index: int) -> Callable[[Spec], Any]:
    return lambda s: None if s["storage"] is None else s["storage"][index]


def _ebs(index: int, scale: float = 1) -> Callable[[Spec], Any]:
    def get(s: Spec) -> Any:
        if s["ebs"] is None:
            return None
        value = s["ebs"][index] / scale
        return value if scale == 1 else f"{value:g}"

    return get


INSTANCE_TYPE_FILTERS: dict[str, Callable[[Spec], Any]] = {
    "auto-recovery-supported": lambda s: s["auto_recovery"],
    "bare-metal": lambda s: s["metal"],
    "burstable-performance-supported": lambda s: s["burstable"],
    "current-generation": lambda s: s["current"],
    "dedicated-hosts-supported": lambda s: s["dedicated_hosts"],
    "ebs-info.attachment-limit-type": lambda s: s["attachment_type"],
    "ebs-info.maximum-ebs-attachments": lambda s: s["ebs_attachments"],
    "ebs-info.ebs-optimized-info.baseline-bandwidth-in-mbps": _ebs(0),
    "ebs-info.ebs-optimized-info.baseline-iops": _ebs(2),
    "ebs-info.ebs-optimized-info.baseline-throughput-in-mbps": _ebs(0, 8),
    "ebs-info.ebs-optimized-info.maximum-bandwidth-in-mbps": _ebs(1),
    "ebs-info.ebs-optimized-info.maximum-iops": _ebs(3),
    "ebs-info.ebs-optimized-info.maximum-throughput-in-mbps": _ebs(1, 8),
    "ebs-info.ebs-optimized-support": lambda s: s["ebs_optimized"],
    "ebs-info.encryption-support": lambda s: s["ebs_encryption"],
    "ebs-info.nvme-support": lambda s: s["ebs_nvme"],
    "free-tier-eligible": lambda s: s["free_tier"],
    "hibernation-supported": lambda s: s["hibernation"],
    "hypervisor": lambda s: s["hypervisor"],
    "instance-storage-info.disk.count": _storage(0),
    "instance-storage-info.disk.size-in-gb": _storage(1),
    "instance-storage-info.disk.type": _storage(2),
    "instance-storage-info.encryption-support": _storage(4),
    "instance-storage-info.nvme-support": _storage(3),
    "instance-storage-info.total-size-in-gb": lambda s: (
        None if s["storage"] is None else s["storage"][0] * s["storage"][1]
    ),
    "instance-storage-supported": lambda s: s["storage"] is not None,
    "instance-type": lambda s: s["type"],
    "memory-info.size-in-mib": lambda s: s["memory"],
    "network-info.bandwidth-weightings": lambda s: ["default"],
    "network-info.efa-info.maximum-efa-interfaces": lambda s: s["efa"] or None,
    "network-info.efa-supported": lambda s: s["efa"] > 0,
    "network-info.ena-support": lambda s: s["ena"],
    "network-info.encryption-in-transit-supported": lambda s: s["eit"],
    "network-info.flexible-ena-queues-support": lambda s: "unsupported",
    "network-info.ipv4-addresses-per-interface": lambda s: s["ipv4"],
    "network-info.ipv6-addresses-per-interface": lambda s: s["ipv6"],
    "network-info.ipv6-supported": lambda s: s["ipv6"] > 0,
    "network-info.maximum-network-cards": lambda s: s["cards"],
    "network-info.maximum-network-interfaces": lambda s: s["max_eni"],
    "network-info.network-performance": lambda s: s["network"],
    "nitro-enclaves-support": lambda s: "supported" if s["enclaves"] else "unsupported",
    "nitro-tpm-info.supported-versions": lambda s: ["2.0"] if s["tpm"] else None,
    "nitro-tpm-support": lambda s: "supported" if s["tpm"] else "unsupported",
    "processor-info.supported-architecture": lambda s: s["archs"],
    "processor-info.supported-features": lambda s: s["features"],
    "processor-info.sustained-clock-speed-in-ghz": lambda s: s["clock"],
    "reboot-migration-support": lambda s: "supported" if s["reboot_migration"] else "unsupported",
    "supported-boot-mode": lambda s: s["boot_modes"],
    "supported-root-device-type": lambda s: s["root"],
    "supported-usage-class": lambda s: s["usage"],
    "supported-virtualization-type": lambda s: s["virtualization"],
    "vcpu-info.default-cores": lambda s: s["cores"],
    "vcpu-info.default-threads-per-core": lambda s: s["threads"],
    "vcpu-info.default-vcpus": lambda s: s["vcpus"],
    "vcpu-info.valid-cores": lambda s: s["valid_cores"],
    "vcpu-info.valid-threads-per-core": lambda s: s["valid_threads"],
}

INSTANCE_TYPES: FilterSet[Any] = FilterSet(INSTANCE_TYPE_FILTERS)


@cache
def _column(name: str) -> tuple[tuple[tuple[str, ...], ...], dict[str, frozenset[int]]]:
    """Every type's values for filter ``name`` (as strings), and the exact-value index."""
    values = tuple(tuple(INSTANCE_TYPES.values_of(s, name)) for s in specs())
    index: dict[str, set[int]] = {}
    for position, strings in enumerate(values):
        for value in strings:
            index.setdefault(value, set()).add(position)
    return values, {value: frozenset(found) for value, found in index.items()}


def wildcard(value: str) -> re.Pattern[str]:
    out, escaped = [], False
    for char in value:
        if escaped:
            out.append(re.escape(char))
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "*":
            out.append(".*")
        elif char == "?":
            out.append(".")
        else:
            out.append(re.escape(char))
    return re.compile("".join(out), re.DOTALL)


def filter_positions(filters: Sequence[Filter] | None, within: Iterable[int]) -> list[int]:
    """The positions in ``within`` every filter matches (EC2's filter errors for bad ones)."""
    chosen = set(within)
    for number, entry in enumerate(filters or (), start=1):
        name = entry.get("Name")
        if not name:
            raise InvalidParameterValue(f"The filter Filter.{number}.Name must not be empty")
        if name not in INSTANCE_TYPE_FILTERS:
            raise InvalidParameterValue(f"The filter '{name}' is invalid")
        wanted = entry.get("Values") or []
        if not wanted:
            raise InvalidParameterValue(f"The filter '{name}' must have at least one value")
        values, index = _column(name)
        matched: set[int] = set()
        patterns = []
        for value in wanted:
            if "*" in value or "?" in value:
                patterns.append(wildcard(value))
            else:
                matched |= index.get(value, frozenset())
        if patterns:
            for position in chosen - matched:
                if any(p.fullmatch(v) for p in patterns for v in values[position]):
                    matched.add(position)
        chosen &= matched
        if not chosen:
            break
    return sorted(chosen)


# -- GetInstanceTypesFromInstanceRequirements

_CPU_MAKERS = {"Intel": "intel", "AMD": "amd", "AWS": "amazon-web-services", "Apple": "apple"}
_ACCELERATOR_MAKERS = {
    "NVIDIA": "nvidia",
    "AMD": "amd",
    "Xilinx": "xilinx",
    "AWS": "amazon-web-services",
    "Habana": "habana",
}


def _accelerator_name(name: str) -> str:
    found = re.search(r"\((\w+)\)", name)
    return (found.group(1) if found else name).lower().replace(" ", "-")


def _in_range(value: float, bounds: Mapping[str, Any] | None) -> bool:
    if not bounds:
        return True
    low, high = bounds.get("Min"), bounds.get("Max")
    return (low is None or value >= low) and (high is None or value <= high)


def _matches_any(name: str, patterns: Sequence[str]) -> bool:
    return any(fnmatch.fnmatchcase(name, p) for p in patterns)


def check_requirements(requirements: Mapping[str, Any]) -> None:
    """EC2's errors for requirements that cannot be met as asked."""
    vcpu = requirements.get("VCpuCount") or {}
    memory = requirements.get("MemoryMiB") or {}
    if vcpu.get("Min") is None:
        raise ServiceError(
            "The request must contain the parameter InstanceRequirements.VCpuCount.Min",
            code="MissingParameter",
        )
    if memory.get("Min") is None:
        raise ServiceError(
            "The request must contain the parameter InstanceRequirements.MemoryMiB.Min",
            code="MissingParameter",
        )
    for key, bounds in requirements.items():
        if isinstance(bounds, Mapping) and "Min" in bounds and "Max" in bounds:
            low, high = bounds["Min"], bounds["Max"]
            if low is not None and high is not None and low > high:
                raise InvalidParameterValue(
                    f"The minimum value of {key} must be less than or equal to its maximum value."
                )
    if requirements.get("AllowedInstanceTypes") and requirements.get("ExcludedInstanceTypes"):
        raise InvalidParameterCombination(
            "You can't specify both AllowedInstanceTypes and ExcludedInstanceTypes."
        )
    for key in ("BareMetal", "BurstablePerformance", "LocalStorage"):
        value = requirements.get(key)
        if value is not None and value not in ("included", "required", "excluded"):
            raise InvalidParameterValue(f"Invalid value '{value}' for {key}.")
    for reference in (requirements.get("BaselinePerformanceFactors") or {}).get("Cpu", {}).get(
        "References"
    ) or []:
        family = reference.get("InstanceFamily")
        if family is not None and not any(s["type"].startswith(f"{family}.") for s in specs()):
            raise InvalidParameterValue(f"The instance family '{family}' is not valid.")


def _three_way(setting: str | None, has: bool, default: str) -> bool:
    setting = setting or default
    return setting == "included" or (setting == "required") == has


def meets(s: Spec, req: Mapping[str, Any]) -> bool:
    """Whether the spec ``s`` satisfies attribute-based requirements ``req``."""
    if not _in_range(s["vcpus"], req.get("VCpuCount")):
        return False
    if not _in_range(s["memory"], req.get("MemoryMiB")):
        return False
    makers = req.get("CpuManufacturers")
    if makers and _CPU_MAKERS.get(s["maker"]) not in makers:
        return False
    if not _in_range(s["memory"] / 1024 / s["vcpus"], req.get("MemoryGiBPerVCpu")):
        return False
    if req.get("AllowedInstanceTypes") and not _matches_any(s["type"], req["AllowedInstanceTypes"]):
        return False
    if req.get("ExcludedInstanceTypes") and _matches_any(s["type"], req["ExcludedInstanceTypes"]):
        return False
    generations = req.get("InstanceGenerations")
    if generations and ("current" if s["current"] else "previous") not in generations:
        return False
    if not _three_way(req.get("BareMetal"), s["metal"], "excluded"):
        return False
    if not _three_way(req.get("BurstablePerformance"), s["burstable"], "excluded"):
        return False
    if req.get("RequireHibernateSupport") and not s["hibernation"]:
        return False
    if req.get("RequireEncryptionInTransit") and not s["eit"]:
        return False
    if not _in_range(s["max_eni"], req.get("NetworkInterfaceCount")):
        return False
    storage = s["storage"]
    if not _three_way(req.get("LocalStorage"), storage is not None, "included"):
        return False
    if storage is not None:
        kinds = req.get("LocalStorageTypes")
        if kinds and storage[2] not in kinds:
            return False
        if not _in_range(storage[0] * storage[1], req.get("TotalLocalStorageGB")):
            return False
    elif (req.get("TotalLocalStorageGB") or {}).get("Min"):
        return False
    if req.get("BaselineEbsBandwidthMbps"):
        base = 0 if s["ebs"] is None else s["ebs"][0]
        if not _in_range(base, req["BaselineEbsBandwidthMbps"]):
            return False
    if not _in_range(s["baseline_gbps"], req.get("NetworkBandwidthGbps")):
        return False
    if not _accelerators_meet(s, req):
        return False
    references = (req.get("BaselinePerformanceFactors") or {}).get("Cpu", {}).get("References")
    if references:
        families = {r.get("InstanceFamily") for r in references}
        makers_of = {x["maker"] for x in specs() if x["type"].split(".", 1)[0] in families}
        if s["maker"] not in makers_of:
            return False
    return True


def _accelerators_meet(s: Spec, req: Mapping[str, Any]) -> bool:
    facts = s["accelerators"]
    count = 0 if facts is None else facts[3]
    if not _in_range(count, req.get("AcceleratorCount")):
        return False
    keys = ("AcceleratorTypes", "AcceleratorManufacturers", "AcceleratorNames")
    asks = any(req.get(k) for k in keys) or req.get("AcceleratorTotalMemoryMiB")
    if not asks:
        return True
    if facts is None:
        return False
    kind = "inference" if facts[0] == "neuron" else facts[0]
    if req.get("AcceleratorTypes") and kind not in req["AcceleratorTypes"]:
        return False
    makers = req.get("AcceleratorManufacturers")
    if makers and _ACCELERATOR_MAKERS.get(facts[2]) not in makers:
        return False
    names = req.get("AcceleratorNames")
    if names and _accelerator_name(facts[1]) not in names:
        return False
    return _in_range(facts[3] * facts[4], req.get("AcceleratorTotalMemoryMiB"))


def unknown_type(missing: Sequence[str]) -> ServiceError | None:
    """DescribeInstanceTypes' error for types the region does not have, if any."""
    if not missing:
        return None
    return ServiceError(
        f"The following supplied instance types do not exist: [{', '.join(missing)}]",
        code="InvalidInstanceType",
    )


class InstanceTypes:
    """One region's view of the catalogue; refuses launches of types its zones do not offer."""

    def __init__(self, backend: Ec2Backend) -> None:
        self.backend = backend
        backend.instances.launch_checks.append(self._launch_check)

    def _launch_check(self, spec: LaunchSpec, zone_name: str) -> None:
        found = spec_of(spec.instance_type)
        if found is None:
            raise InvalidParameterValue(f"Invalid value '{spec.instance_type}' for InstanceType.")
        region = self.backend.region_info
        if zone_offers(found, region, zone_name):
            return
        zones = zones_offering(found, region)
        if zones:
            raise ServiceError(
                f"Your requested instance type ({spec.instance_type}) is not supported in your "
                f"requested Availability Zone ({zone_name}). Please retry your request by not "
                f"specifying an Availability Zone or choosing {', '.join(zones)}.",
                code="Unsupported",
            )
        raise ServiceError(
            f"The requested configuration is currently not supported. Please check the "
            f"documentation for supported configurations. Instance type {spec.instance_type} "
            f"is not offered in {region.name}.",
            code="Unsupported",
        )
