#!/usr/bin/env python3
"""Generate the instance-type catalogue the EC2 mock serves (DescribeInstanceTypes & co).

Every type of botocore's ``InstanceType`` enum gets a spec, derived from its name
by rules: the family letters, the generation digit, the attribute letters after it
(``g`` Graviton, ``a`` AMD, ``i`` Intel, ``d`` local NVMe disks, ``n`` network,
``e`` extra memory, ``z`` high frequency, ``b`` EBS-optimised) and the size. A few
families whose numbers no rule gives (previous generation, Mac, accelerators, high
memory) carry explicit facts below, taken from AWS's instance-type documentation.

The rules keep every spec internally consistent: cores x threads per core = vCPUs,
the valid core counts end at the default, arm64 boots UEFI only, bare metal has no
hypervisor, instance storage only where the name says so.

The output is ``cloudmock/services/ec2/data/instance_types.json``: a column list and
one row per type (one line each, so a regeneration diffs readably), the region tiers
offerings follow, and the accelerator facts. The mock loads it on first use.

Usage::

    python scripts/generate_instance_types.py          # (re)write the file
    python scripts/generate_instance_types.py --check  # exit 1 if the file is stale
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "cloudmock" / "services" / "ec2" / "data" / "instance_types.json"

sys.path.insert(0, str(ROOT))
from cloudmock.services.ec2.models.instance_types import architecture  # noqa: E402

#: previous-generation (Xen, pre-2014) families
PREVIOUS = {
    "m1", "m2", "m3", "c1", "c3", "cc1", "cc2", "cg1", "cr1",
    "hi1", "hs1", "t1", "g2", "i2", "r3",
}  # fmt: skip
#: current-generation families still on the Xen hypervisor
XEN_CURRENT = {"m4", "c4", "r4", "d2", "h1", "f1", "g3", "g3s", "p2", "p3", "x1", "x1e", "i3", "t2"}
#: Xen families with ENA
XEN_ENA = {"r4", "h1", "f1", "g3", "g3s", "p2", "p3", "x1", "x1e", "i3"}
#: paravirtual-capable (PV-era) families
PARAVIRTUAL = {"m1", "m2", "c1", "t1", "m3", "c3", "hi1", "hs1"}
#: previous-generation families without IPv6
NO_IPV6 = {"m1", "m2", "m3", "c1", "t1", "cc1", "cc2", "cg1", "cr1", "hi1", "hs1", "g2"}
#: families without EBS encryption
NO_EBS_ENCRYPTION = {"m1", "m2", "c1", "t1", "cc1", "cg1", "hi1", "hs1"}

#: (vCPUs, memory GiB) of types no rule sizes
FIXED: dict[str, tuple[int, float]] = {
    "t1.micro": (1, 0.613),
    "m1.small": (1, 1.7), "m1.medium": (1, 3.75), "m1.large": (2, 7.5), "m1.xlarge": (4, 15),
    "m2.xlarge": (2, 17.1), "m2.2xlarge": (4, 34.2), "m2.4xlarge": (8, 68.4),
    "m3.medium": (1, 3.75), "m3.large": (2, 7.5), "m3.xlarge": (4, 15), "m3.2xlarge": (8, 30),
    "c1.medium": (2, 1.7), "c1.xlarge": (8, 7),
    "cc1.4xlarge": (16, 23), "cc2.8xlarge": (32, 60.5), "cg1.4xlarge": (16, 22.5),
    "cr1.8xlarge": (32, 244), "hi1.4xlarge": (16, 60.5), "hs1.8xlarge": (16, 117),
    "g2.2xlarge": (8, 15), "g2.8xlarge": (32, 60),
    "mac1.metal": (12, 32), "mac2.metal": (8, 16), "mac2-m2.metal": (8, 24),
    "mac2-m2pro.metal": (12, 32), "mac2-m1ultra.metal": (20, 128), "mac-m4.metal": (10, 24),
    "mac-m4pro.metal": (14, 48), "mac-m4max.metal": (16, 128), "mac-m3ultra.metal": (32, 256),
    "p5.4xlarge": (16, 256), "p6e-gb200.36xlarge": (144, 960),
    "t2.nano": (1, 0.5), "t2.micro": (1, 1), "t2.small": (1, 2), "t2.medium": (2, 4),
    "t2.large": (2, 8), "t2.xlarge": (4, 16), "t2.2xlarge": (8, 32),
    "u-3tb1.56xlarge": (224, 3072), "u-6tb1.56xlarge": (224, 6144),
}  # fmt: skip
#: burstable sizes: vCPUs, memory GiB
T_SIZES = {
    "nano": (2, 0.5), "micro": (2, 1), "small": (2, 2), "medium": (2, 4),
    "large": (2, 8), "xlarge": (4, 16), "2xlarge": (8, 32),
}  # fmt: skip
#: memory GiB per vCPU by family letters
MEMORY_PER_VCPU = {
    "m": 4, "c": 2, "r": 8, "x": 16, "z": 8, "i": 8, "im": 4, "is": 6, "d": 8, "h": 4,
    "g": 4, "gr": 8, "p": 8, "inf": 2, "trn": 16, "f": 16, "dl": 8, "vt": 2, "a": 2,
    "hpc": 4, "u": 0, "mac": 0,
}  # fmt: skip

#: accelerators: family -> (kind, name, manufacturer, memory MiB each, {size: count})
ACCELERATORS: dict[str, tuple[str, str, str, int, dict[str, int]]] = {
    "p2": ("gpu", "K80", "NVIDIA", 12288, {"xlarge": 1, "8xlarge": 8, "16xlarge": 16}),
    "p3": ("gpu", "V100", "NVIDIA", 16384, {"2xlarge": 1, "8xlarge": 4, "16xlarge": 8}),
    "p3dn": ("gpu", "V100", "NVIDIA", 32768, {"24xlarge": 8}),
    "p4d": ("gpu", "A100", "NVIDIA", 40960, {"24xlarge": 8}),
    "p4de": ("gpu", "A100", "NVIDIA", 81920, {"24xlarge": 8}),
    "p5": ("gpu", "H100", "NVIDIA", 81920, {"4xlarge": 1, "48xlarge": 8}),
    "p5e": ("gpu", "H200", "NVIDIA", 144384, {"48xlarge": 8}),
    "p5en": ("gpu", "H200", "NVIDIA", 144384, {"48xlarge": 8}),
    "p6-b200": ("gpu", "B200", "NVIDIA", 183359, {"48xlarge": 8}),
    "p6-b300": ("gpu", "B300", "NVIDIA", 275040, {"48xlarge": 8}),
    "p6e-gb200": ("gpu", "GB200", "NVIDIA", 189471, {"36xlarge": 4}),
    "g2": ("gpu", "K520", "NVIDIA", 4096, {"2xlarge": 1, "8xlarge": 4}),
    "g3": ("gpu", "M60", "NVIDIA", 8192, {"4xlarge": 1, "8xlarge": 2, "16xlarge": 4}),
    "g3s": ("gpu", "M60", "NVIDIA", 8192, {"xlarge": 1}),
    "g4dn": ("gpu", "T4", "NVIDIA", 16384, {"12xlarge": 4, "metal": 8}),
    "g4ad": ("gpu", "Radeon Pro V520", "AMD", 8192, {"8xlarge": 2, "16xlarge": 4}),
    "g5": ("gpu", "A10G", "NVIDIA", 24576, {"12xlarge": 4, "24xlarge": 4, "48xlarge": 8}),
    "g5g": ("gpu", "T4g", "NVIDIA", 16384, {"16xlarge": 2, "metal": 2}),
    "g6": ("gpu", "L4", "NVIDIA", 22888, {"12xlarge": 4, "24xlarge": 4, "48xlarge": 8}),
    "gr6": ("gpu", "L4", "NVIDIA", 22888, {}),
    "g6e": ("gpu", "L40S", "NVIDIA", 45776, {"12xlarge": 4, "24xlarge": 4, "48xlarge": 8}),
    "g6f": ("gpu", "L4", "NVIDIA", 2861, {}),
    "gr6f": ("gpu", "L4", "NVIDIA", 11444, {}),
    "g7e": ("gpu", "RTX PRO 6000", "NVIDIA", 97871, {"12xlarge": 2, "24xlarge": 4, "48xlarge": 8}),
    "g7": ("gpu", "RTX PRO 4500", "NVIDIA", 32768, {"12xlarge": 2, "24xlarge": 4, "48xlarge": 8}),
    "dl1": ("gpu", "Gaudi HL-205", "Habana", 32768, {"24xlarge": 8}),
    "f1": ("fpga", "Virtex UltraScale (VU9P)", "Xilinx", 65536, {"4xlarge": 2, "16xlarge": 8}),
    "f2": ("fpga", "Virtex UltraScale+ HBM VU47P", "Xilinx", 81920, {"12xlarge": 2, "48xlarge": 8}),
    "inf1": ("inference", "Inferentia", "AWS", 8192, {"6xlarge": 4, "24xlarge": 16}),
    "dl2q": ("inference", "Qualcomm AI100", "Qualcomm", 32768, {"24xlarge": 8}),
    "inf2": ("neuron", "Inferentia2", "AWS", 32768, {"24xlarge": 6, "48xlarge": 12}),
    "trn1": ("neuron", "Trainium", "AWS", 32768, {"32xlarge": 16}),
    "trn1n": ("neuron", "Trainium", "AWS", 32768, {"32xlarge": 16}),
    "trn2": ("neuron", "Trainium2", "AWS", 98304, {"48xlarge": 16}),
    "trn2u": ("neuron", "Trainium2", "AWS", 98304, {"48xlarge": 16}),
    "vt1": ("media", "U30", "Xilinx", 24576, {"6xlarge": 2, "24xlarge": 8}),
}
#: Neuron core count and version per device
NEURON_CORES = {"Inferentia2": (2, 2), "Trainium": (2, 2), "Trainium2": (8, 3)}
#: usage classes beyond on-demand/spot
CAPACITY_BLOCK = {"p4d", "p4de", "p5", "p5e", "p5en", "p6-b200", "p6-b300", "trn1", "trn2"}

#: region tiers for offerings
CLASSIC_REGIONS = [
    "us-east-1", "us-west-1", "us-west-2", "eu-west-1", "ap-northeast-1", "ap-southeast-1",
    "ap-southeast-2", "sa-east-1", "cn-north-1", "us-gov-west-1",
]  # fmt: skip
MAJOR_REGIONS = [
    "us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-central-1", "eu-west-2",
    "ap-northeast-1", "ap-southeast-2", "ap-south-1", "ca-central-1",
]  # fmt: skip
#: tiers: where a type is offered
ALL, CLASSIC, MAJOR = 0, 1, 2

SIZE = re.compile(r"^(\d*)xlarge$")
NAME = re.compile(r"^([a-z]+?)(\d+)([a-z]*)(?:-([a-z0-9]+))?$")


def parse(family: str) -> tuple[str, int, str]:
    """``c7gn`` -> ("c", 7, "gn"); ``u-6tb1`` -> ("u", 1, ""); ``mac2-m2pro`` -> ("mac", 2, "")."""
    if family.startswith("u-"):
        return "u", 1, ""
    if family.startswith("u7"):
        return "u", 7, family.split("-")[0][2:]
    if family.startswith("mac"):
        return "mac", int(family[3]) if family[3:4].isdigit() else 4, ""
    if family.startswith("p6"):
        return "p", 6, family[2:].split("-")[0]
    match = NAME.match(family)
    if match is None:
        raise ValueError(family)
    letters, generation, attributes, extra = match.groups()
    if extra == "flex":
        attributes += "-flex"
    return letters, int(generation), attributes


def size_vcpus(size: str, sizes: list[str]) -> int:
    if size == "medium":
        return 1
    if size == "large":
        return 2
    match = SIZE.match(size)
    if match:
        return 4 * int(match.group(1) or 1)
    if size.startswith("metal-"):
        return 4 * int(size[6:-2])
    if size == "metal":
        return max((size_vcpus(s, sizes) for s in sizes if s != "metal"), default=64)
    raise ValueError(size)


def memory_gib(family: str, letters: str, generation: int, attributes: str, vcpus: int) -> float:
    if letters == "u":
        terabytes = re.search(r"(\d+)tb", family)
        return 1024.0 * int(terabytes.group(1)) if terabytes else 0.0
    per = MEMORY_PER_VCPU.get(letters, 4)
    if letters == "x":
        per = 16 if "e" not in attributes else 32
        if family == "x1":
            per = 15.25
        elif family == "x1e":
            per = 30.5
    elif letters == "r" and "e" in attributes:
        per = 16
    elif letters == "p":
        per = {2: 15.25, 3: 7.625, 4: 6}.get(generation, 10.67)
    elif letters == "i" and "en" in attributes:
        per = 8
    elif letters == "c" and family in ("c4", "c3"):
        per = 1.875
    elif letters == "m" and family == "m4":
        per = 4
    elif letters == "g" and generation >= 6 and "e" in attributes:
        per = 8
    elif letters == "hpc":
        per = {"hpc6a": 4, "hpc6id": 32, "hpc7g": 8, "hpc7a": 8}.get(family, 8)
    return per * vcpus


def manufacturer(letters: str, attributes: str, arch: str, family: str) -> tuple[str, float]:
    if arch == "arm64_mac":
        return "Apple", 3.2
    if arch == "arm64":
        return "AWS", {1: 2.3, 6: 2.5, 7: 2.6, 8: 2.8, 9: 3.0}.get(parse(family)[1], 2.5)
    if letters == "mac":
        return "Intel", 3.2
    generation = parse(family)[1]
    amd = attributes.startswith("a") or family in ("hpc6a", "hpc7a", "hpc8a", "inf2")
    if family.startswith("g4ad"):
        amd = True
    if amd:
        return "AMD", {5: 2.5, 6: 3.6, 7: 3.7, 8: 4.5}.get(generation, 3.3)
    if "z" in attributes or letters == "z":
        return "Intel", {1: 4.0, 5: 4.5, 7: 3.9}.get(generation, 4.5)
    return "Intel", {1: 2.0, 2: 2.5, 3: 2.8, 4: 2.3, 5: 3.1, 6: 3.5, 7: 3.2, 8: 3.9}.get(
        generation, 3.2
    )


def network(
    vcpus: int, generation: int, attributes: str, family: str, letters: str, nitro: bool
) -> tuple[str, float, float]:
    """(NetworkPerformance, baseline Gbps, peak Gbps)."""
    if family in PREVIOUS or family in ("t1",):
        label = "Very Low" if vcpus <= 1 else ("Low" if vcpus <= 2 else "Moderate")
        if vcpus >= 16:
            label = (
                "10 Gigabit" if family in ("cc2", "cr1", "hi1", "hs1", "i2", "c3", "r3") else "High"
            )
        gbps = {"Very Low": 0.05, "Low": 0.1, "Moderate": 0.3, "High": 1.0}.get(label, 10.0)
        return label, gbps, gbps
    if letters == "t":
        if not nitro:
            label = "Low to Moderate" if vcpus <= 2 else "Moderate"
            return label, 0.1 if vcpus <= 2 else 0.3, 1.0
        return "Up to 5 Gigabit", round(0.032 * vcpus * 4, 3), 5.0
    if not nitro:
        if vcpus >= 64:
            return "25 Gigabit", 25.0, 25.0
        if vcpus >= 32:
            return "10 Gigabit", 10.0, 10.0
        return ("Up to 10 Gigabit", 1.25, 10.0) if family in XEN_ENA else ("High", 1.0, 1.0)
    per32 = {1: 5.0, 4: 10.0, 5: 10.0, 6: 12.5, 7: 12.5}.get(generation, 15.0)
    if "n" in attributes or letters == "hpc":
        per32 *= 4
    if letters == "p" and generation >= 4:
        total = {4: 400.0, 5: 3200.0, 6: 3200.0}.get(generation, 400.0)
        return f"{total:g} Gigabit", total, total
    cap = 200.0 if "n" in attributes else 100.0
    full = min(cap, round(per32 * vcpus / 32 * 4) / 4)
    if vcpus < 32:
        peak = per32 if vcpus <= 16 else full
        return f"Up to {peak:g} Gigabit", round(full, 3), peak
    return f"{full:g} Gigabit", full, full


def interfaces(vcpus: int, memory: float) -> tuple[int, int]:
    """(maximum network interfaces, IPv4 addresses per interface)."""
    if vcpus <= 1:
        return (2, 2) if memory <= 1 else (2, 4)
    if vcpus == 2:
        if memory <= 2:
            return 3, 4
        if memory <= 4:
            return 3, 6
        return 3, 10
    if vcpus <= 8:
        return 4, 15
    if vcpus <= 32:
        return 8, 30
    return 15, 50


def spec(instance_type: str, sizes: list[str]) -> dict[str, Any]:
    family, size = instance_type.split(".", 1)
    letters, generation, attributes = parse(family)
    arch = architecture(instance_type)
    bare_metal = size.startswith("metal")
    previous = family in PREVIOUS
    # bare metal runs on Nitro hardware even in families whose virtualised sizes use Xen
    nitro = bare_metal or (not previous and family not in XEN_CURRENT)
    burstable = letters == "t"

    if instance_type in FIXED:
        vcpus, memory = FIXED[instance_type]
    elif burstable:
        vcpus, memory = T_SIZES[size]
    else:
        vcpus = size_vcpus(size, sizes)
        memory = memory_gib(family, letters, generation, attributes, vcpus)
    if memory == 0:
        memory = 4 * vcpus

    arm = arch in ("arm64", "arm64_mac")
    amd_single = attributes.startswith("a") and generation >= 7
    threads = 1 if arm or family == "t2" or family in ("t1", "m1", "c1", "m2") or amd_single else 2
    if vcpus == 1:
        threads = 1
    if letters == "hpc" or (letters == "mac" and not arm):
        threads = 1 if letters == "hpc" else 2
    cores = vcpus // threads
    tunable = not (burstable or bare_metal or previous or letters in ("mac", "u"))
    valid_cores = (
        list(range(1, cores + 1)) if arm else ([1] if cores == 1 else list(range(2, cores + 1, 2)))
    )
    if not arm and cores > 1 and cores % 2:
        valid_cores.append(cores)

    architectures = {"arm64": ["arm64"], "arm64_mac": ["arm64_mac"]}.get(arch, [arch])
    if arch == "x86_64" and not nitro and vcpus <= 2 and memory <= 4:
        architectures = ["i386", "x86_64"]
    maker, clock = manufacturer(letters, attributes, arch, family)
    features = ["amd-sev-snp"] if maker == "AMD" and generation == 6 and letters in "mcr" else []

    performance, baseline_gbps, peak_gbps = network(
        vcpus, generation, attributes, family, letters, nitro
    )
    max_eni, ipv4 = interfaces(vcpus, memory)
    network_cards = 1
    if letters == "p" and generation >= 5 and vcpus >= 192:
        network_cards, max_eni = 32, 64
    elif family in ("p4d", "p4de"):
        network_cards, max_eni = 4, 60
    elif family in ("trn1", "trn1n", "trn2", "trn2u") and vcpus >= 128:
        network_cards, max_eni = (16 if family == "trn1n" else 8), 40
    ena = "required" if nitro else ("supported" if family in XEN_ENA else "unsupported")
    if family == "m4" and size == "16xlarge":
        ena = "supported"
    efa_interfaces = 0
    if nitro and (
        ("n" in attributes and vcpus >= 64)
        or letters in ("hpc", "trn")
        or (letters == "p" and generation >= 4)
        or family in ("p3dn", "dl1")
    ):
        efa_interfaces = max(1, network_cards)

    if not nitro and family not in XEN_CURRENT:
        ebs_optimized = (
            "supported" if vcpus >= 4 and family not in ("m1", "t1", "c1") else "unsupported"
        )
        if family in ("m1",) and size in ("large", "xlarge"):
            ebs_optimized = "supported"
    elif family == "t2" or family in ("c3",):
        ebs_optimized = "unsupported"
    else:
        ebs_optimized = "default"
    ebs: list[int] | None = None
    if ebs_optimized != "unsupported":
        if generation >= 6 and nitro:
            cap = {6: 40000, 7: 60000}.get(generation, 80000) * (2 if "b" in attributes else 1)
            base = min(cap, vcpus * 325)
            top = max(10000 if vcpus < 32 else base, base)
        elif nitro:
            base = min(19000, vcpus * 325)
            top = max(4750, base)
        else:
            base = min(14000, vcpus * 125)
            top = base
        ebs = [base, top, base * 50 // 9, top * 50 // 9]
    ebs_attachments = None
    attachment_type = None
    if nitro:
        attachment_type = "dedicated" if generation >= 7 and not arm else "shared"
        ebs_attachments = 32 if attachment_type == "dedicated" else 28

    storage = None
    has_d = ("d" in attributes and letters not in ("p", "g") and family != "m8azn") or family in (
        "d2", "d3", "d3en", "h1", "hi1", "hs1", "i2", "i3", "i3en", "i4i", "i4g", "im4gn",
        "is4gen", "i7ie", "i7i", "i8g", "i8ge", "x1", "x1e", "z1d", "f1", "p3dn", "p4d", "p4de",
        "p5", "p5e", "p5en", "p6-b200", "p6-b300", "g4dn", "g4ad", "g5", "g6", "g6e", "gr6",
        "trn1", "trn1n", "trn2", "trn2u", "dl1", "hpc6id", "m1", "m2", "m3", "c1", "c3", "r3",
        "cc2", "cr1", "g2", "x8aedz", "inf2",
    )  # fmt: skip
    if letters == "d" or letters == "i":
        has_d = True
    if has_d:
        hdd = letters in ("d", "h") or family in ("hs1", "m1", "m2", "c1", "cc2")
        per_vcpu = {
            "d": 1500 if family == "d2" else (3500 if family == "d3en" else 1000),
            "h": 1000, "i": 237 if family in ("i3", "i4i", "i7i", "i8g", "i4g") else 625,
            "im": 468, "is": 937, "x": 60, "z": 37, "p": 160, "trn": 60, "dl": 40,
        }.get(letters, 59 if generation >= 6 else 37)  # fmt: skip
        if family in ("i8ge", "i7ie", "i3en"):
            per_vcpu = 625 if family != "i8ge" else 1250
        total = max(4, int(vcpus * per_vcpu))
        count = 1 if vcpus <= 16 else (2 if vcpus <= 48 else 4)
        if letters == "p" and generation >= 4:
            count = 8
        each = total // count
        nvme = "required" if nitro or family == "i3" else "unsupported"
        storage = [
            count,
            each,
            "hdd" if hdd else "ssd",
            nvme,
            "required" if nitro else "unsupported",
        ]

    accelerators = None
    facts = ACCELERATORS.get(family)
    if facts is not None:
        kind, name, maker_name, mem_each, counts = facts
        count = counts.get(size, 1)
        accelerators = [kind, name, maker_name, count, mem_each]
        if kind == "neuron":
            accelerators += list(NEURON_CORES[name])

    strategies = ["cluster", "partition", "spread"]
    if burstable or previous or letters == "mac":
        strategies = ["partition", "spread"]  # no cluster groups for these
    boot_modes = ["uefi"] if arm else (["legacy-bios", "uefi"] if nitro else ["legacy-bios"])
    hibernation = (
        not bare_metal
        and memory < 150
        and (not previous or family in ("c3", "m3", "r3"))
        and letters not in ("p", "g", "inf", "trn", "f", "dl", "vt", "u", "mac", "hpc")
        and storage is None
    )
    dedicated_hosts = (
        not previous and "flex" not in attributes and (not burstable or family == "t3")
    )
    usage = ["on-demand", "spot"]
    if letters in ("u", "mac") or family == "p6e-gb200":
        usage = ["on-demand"]
    if family in CAPACITY_BLOCK and vcpus >= 128:
        usage = [*usage, "capacity-block"]
    if (
        letters in ("p", "trn", "u", "mac", "hpc", "dl")
        or family in ("g6e", "f2", "inf2")
        or (generation >= 8 and letters not in ("m", "c", "r"))
        or family in ("x8g", "x8i", "x8aedz", "x2iezn", "r7iz", "m8azn", "u7i-12tb")
    ):
        tier = MAJOR
    elif previous or family in ("cc1", "cg1"):
        tier = CLASSIC
    else:
        tier = ALL
    # the scarcest types sit in some zones only
    zone_restricted = letters in ("p", "trn", "u", "mac", "hpc") and tier == MAJOR

    return {
        "type": instance_type,
        "vcpus": vcpus,
        "cores": cores,
        "threads": threads,
        "valid_cores": valid_cores if tunable else None,
        "valid_threads": ([1, 2] if threads == 2 else [1]) if tunable else None,
        "memory": round(memory * 1024),
        "archs": architectures,
        "maker": maker,
        "clock": clock,
        "features": features,
        "hypervisor": None if bare_metal else ("nitro" if nitro else "xen"),
        "current": not previous,
        "metal": bare_metal,
        "burstable": burstable,
        "free_tier": instance_type in ("t2.micro", "t3.micro"),
        "network": performance,
        "baseline_gbps": baseline_gbps,
        "peak_gbps": peak_gbps,
        "max_eni": max_eni,
        "ipv4": ipv4,
        "ipv6": ipv4 if family not in NO_IPV6 else 0,
        "ena": ena,
        "efa": efa_interfaces,
        "eit": nitro and (generation >= 6 or "n" in attributes),
        "cards": network_cards,
        "ebs_optimized": ebs_optimized,
        "ebs_encryption": "unsupported" if family in NO_EBS_ENCRYPTION else "supported",
        "ebs": ebs,
        "ebs_nvme": "required" if nitro else "unsupported",
        "ebs_attachments": ebs_attachments,
        "attachment_type": attachment_type,
        "storage": storage,
        "accelerators": accelerators,
        "strategies": strategies,
        "hibernation": hibernation,
        "dedicated_hosts": dedicated_hosts,
        "auto_recovery": storage is None and not bare_metal and letters not in ("mac", "u"),
        "boot_modes": boot_modes,
        "enclaves": nitro and not burstable and not bare_metal and vcpus >= 4,
        "tpm": nitro and not bare_metal,
        "phc": nitro and generation >= 7,
        "reboot_migration": nitro and not bare_metal,
        "usage": usage,
        "root": ["ebs", "instance-store"] if previous and storage is not None else ["ebs"],
        "virtualization": ["hvm", "paravirtual"] if family in PARAVIRTUAL else ["hvm"],
        "tier": tier,
        "zone_restricted": zone_restricted,
    }


def check(row: dict[str, Any]) -> None:
    name = row["type"]
    assert row["cores"] * row["threads"] == row["vcpus"], name
    if row["valid_cores"] is not None:
        assert row["valid_cores"][-1] == row["cores"], name
        assert row["threads"] in row["valid_threads"], name
    if "arm64" in row["archs"]:
        assert row["boot_modes"] == ["uefi"], name
    if row["metal"]:
        assert row["hypervisor"] is None, name
    assert row["memory"] > 0, name


def build() -> dict[str, Any]:
    import botocore.session

    model = botocore.session.get_session().get_service_model("ec2")
    names = list(model.shape_for("InstanceType").enum)
    by_family: dict[str, list[str]] = {}
    for name in names:
        family, size = name.split(".", 1)
        by_family.setdefault(family, []).append(size)
    rows = []
    for name in names:
        family, _ = name.split(".", 1)
        row = spec(name, by_family[family])
        check(row)
        rows.append(row)
    columns = list(rows[0])
    return {
        "columns": columns,
        "regions": {"classic": CLASSIC_REGIONS, "major": MAJOR_REGIONS},
        "types": [[row[c] for c in columns] for row in rows],
    }


def render(data: dict[str, Any]) -> str:
    compact = {"separators": (",", ":")}
    lines = [
        "{",
        f'"columns":{json.dumps(data["columns"], **compact)},',  # type: ignore[arg-type]
        f'"regions":{json.dumps(data["regions"], **compact)},',  # type: ignore[arg-type]
        '"types":[',
    ]
    rows = [json.dumps(row, **compact) for row in data["types"]]  # type: ignore[arg-type]
    lines.append(",\n".join(rows))
    lines += ["]", "}"]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is stale")
    args = parser.parse_args()
    text = render(build())
    if args.check:
        current = OUT.read_text("utf-8") if OUT.exists() else ""
        if current != text:
            print(f"{OUT} is stale: run scripts/generate_instance_types.py", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, "utf-8")
    print(f"wrote {OUT} ({len(text) // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
