"""Write cloudmock/services/ec2/data/ami_catalogue.json: the public AMIs every region shows.

The catalogue is representative, not a mirror of AWS's list: for each line of images
(Amazon Linux 2023 and 2, Ubuntu LTS, Debian, RHEL, SLES, Windows Server) it has
several dated releases, named, owned and described the way their publishers name,
own and describe them, with the attributes DescribeImages shows (architecture, boot
mode, root device and its snapshot size, platform and billing codes, ENA, SR-IOV).

Ids are not stored: each region derives its own from the region and the image name
when it first needs the catalogue (see models/ami_catalogue.py). Each line also
names the public SSM parameters (``/aws/service/...``) that point at its newest
release. Run ``python scripts/generate_ami_catalogue.py`` after changing this file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent.parent / "cloudmock/services/ec2/data/ami_catalogue.json"

#: owner key -> (account id, alias or "")
OWNERS = {
    "amazon": ("137112412989", "amazon"),
    "windows": ("801119661308", "amazon"),
    "canonical": ("099720109477", ""),
    "debian": ("136693071363", ""),
    "redhat": ("309956199498", ""),
    "suse": ("013907871322", ""),
}

#: platform key -> (Platform, PlatformDetails, UsageOperation)
PLATFORMS = {
    "linux": ("", "Linux/UNIX", "RunInstances"),
    "rhel": ("", "Red Hat Enterprise Linux", "RunInstances:0010"),
    "suse": ("", "SUSE Linux", "RunInstances:000g"),
    "windows": ("windows", "Windows", "RunInstances:0002"),
}

ARCHS = ("x86_64", "arm64")
DEB_ARCH = {"x86_64": "amd64", "arm64": "arm64"}


def _image(
    name: str,
    *,
    owner: str,
    arch: str,
    created: str,
    description: str,
    root: str,
    size: int,
    volume_type: str,
    platform: str = "linux",
    boot_mode: str = "",
    imds: str = "",
    tpm: str = "",
    line: str,
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "n": name,
        "o": owner,
        "a": arch,
        "c": created,
        "d": description,
        "r": root,
        "s": size,
        "v": volume_type,
        "l": line,
    }
    if platform != "linux":
        row["p"] = platform
    if boot_mode:
        row["b"] = boot_mode
    if imds:
        row["i"] = imds
    if tpm:
        row["t"] = tpm
    return row


# -- Amazon Linux 2023: kernel 6.1 (the default) and 6.12, standard and minimal

AL2023_RELEASES = [
    ("2023.3.20240131.0", "2024-01-30T22:41:12.000Z"),
    ("2023.4.20240513.0", "2024-05-10T19:35:08.000Z"),
    ("2023.5.20240819.0", "2024-08-16T21:07:43.000Z"),
    ("2023.6.20241121.0", "2024-11-19T23:13:55.000Z"),
    ("2023.6.20250115.0", "2025-01-14T20:51:37.000Z"),
    ("2023.7.20250331.0", "2025-03-28T18:42:19.000Z"),
    ("2023.7.20250609.0", "2025-06-06T17:24:31.000Z"),
    ("2023.8.20250915.0", "2025-09-12T21:55:06.000Z"),
    ("2023.9.20260210.0", "2026-02-09T19:02:47.000Z"),
    ("2023.10.20260615.0", "2026-06-12T20:18:29.000Z"),
]
#: kernel 6.12 images start with 2025's releases
AL2023_612_FROM = "2023.7"


def al2023(lines: list[dict[str, Any]], images: list[dict[str, Any]]) -> None:
    for minimal in (False, True):
        for kernel in ("6.1", "6.12"):
            for arch in ARCHS:
                edition = "minimal-" if minimal else ""
                line = f"al2023-{edition}{kernel}-{arch}"
                params = [
                    f"/aws/service/ami-amazon-linux-latest/al2023-ami-{edition}kernel-{kernel}-{arch}"
                ]
                if kernel == "6.1":
                    params.append(
                        f"/aws/service/ami-amazon-linux-latest/al2023-ami-{edition}kernel-default-{arch}"
                    )
                lines.append({"id": line, "ssm": params})
                for version, created in AL2023_RELEASES:
                    if kernel == "6.12" and not _at_least(version, AL2023_612_FROM):
                        continue
                    name = f"al2023-ami-{edition}{version}-kernel-{kernel}-{arch}"
                    what = "Amazon Linux 2023 AMI" + (" Minimal" if minimal else "")
                    images.append(
                        _image(
                            name,
                            owner="amazon",
                            arch=arch,
                            created=created,
                            description=f"{what} {version} {arch} Minimal HVM kernel-{kernel}"
                            if minimal
                            else f"{what} {version} {arch} HVM kernel-{kernel}",
                            root="/dev/xvda",
                            size=2 if minimal else 8,
                            volume_type="gp3",
                            boot_mode="uefi" if arch == "arm64" else "uefi-preferred",
                            imds="v2.0",
                            line=line,
                        )
                    )


def _at_least(version: str, floor: str) -> bool:
    have = [int(p) for p in version.split(".")[:2]]
    want = [int(p) for p in floor.split(".")[:2]]
    return have >= want


# -- Amazon Linux 2: kernel 5.10, kernel 4.14 (named without a kernel), minimal

AL2_RELEASES = [
    ("2.0.20240131.0", "2024-01-30T20:53:41.000Z"),
    ("2.0.20240620.0", "2024-06-19T23:40:16.000Z"),
    ("2.0.20241113.1", "2024-11-14T00:12:57.000Z"),
    ("2.0.20250220.0", "2025-02-19T22:33:05.000Z"),
    ("2.0.20250818.2", "2025-08-19T18:46:22.000Z"),
    ("2.0.20260120.1", "2026-01-21T17:08:13.000Z"),
]


#: (variant, storage): the lines of Amazon Linux 2 and the parameters that follow them
AL2_LINES = [
    ("kernel-5.10", "gp2"),
    ("hvm", "gp2"),
    ("hvm", "ebs"),
    ("minimal", "ebs"),
]


def al2(lines: list[dict[str, Any]], images: list[dict[str, Any]]) -> None:
    for variant, storage in AL2_LINES:
        for arch in ARCHS:
            if variant == "kernel-5.10":
                stem, what = "amzn2-ami-kernel-5.10-hvm", "Amazon Linux 2 Kernel 5.10 AMI"
            elif variant == "hvm":
                stem, what = "amzn2-ami-hvm", "Amazon Linux 2 AMI"
            else:
                stem, what = "amzn2-ami-minimal-hvm", "Amazon Linux 2 AMI minimal"
            line = f"amzn2-{variant}-{storage}-{arch}"
            param = f"/aws/service/ami-amazon-linux-latest/{stem}-{arch}-{storage}"
            lines.append({"id": line, "ssm": [param]})
            for version, created in AL2_RELEASES:
                images.append(
                    _image(
                        f"{stem}-{version}-{arch}-{storage}",
                        owner="amazon",
                        arch=arch,
                        created=created,
                        description=f"{what} {version} {arch} HVM {storage}",
                        root="/dev/xvda",
                        size=2 if variant == "minimal" else 8,
                        volume_type="gp2" if storage == "gp2" else "standard",
                        boot_mode="uefi" if arch == "arm64" else "",
                        line=line,
                    )
                )


# -- Ubuntu LTS (Canonical): hvm-ssd (gp2) and hvm-ssd-gp3 as Canonical names them

UBUNTU = [
    # version, codename, storages, releases (serial, created)
    (
        "20.04",
        "focal",
        ("hvm-ssd",),
        [
            ("20240223", "2024-02-23T10:21:44.000Z"),
            ("20240821", "2024-08-21T09:58:02.000Z"),
            ("20250213", "2025-02-13T11:40:15.000Z"),
            ("20250530", "2025-05-30T10:05:51.000Z"),
        ],
    ),
    (
        "22.04",
        "jammy",
        ("hvm-ssd", "hvm-ssd-gp3"),
        [
            ("20240301", "2024-03-01T12:07:31.000Z"),
            ("20240927", "2024-09-27T09:44:20.000Z"),
            ("20250305", "2025-03-05T10:52:09.000Z"),
            ("20250925", "2025-09-25T11:18:37.000Z"),
            ("20260312", "2026-03-12T10:31:26.000Z"),
        ],
    ),
    (
        "24.04",
        "noble",
        ("hvm-ssd-gp3",),
        [
            ("20240423", "2024-04-23T08:13:09.000Z"),
            ("20241119", "2024-11-19T09:25:47.000Z"),
            ("20250305", "2025-03-05T09:41:18.000Z"),
            ("20250821", "2025-08-21T10:03:55.000Z"),
            ("20260210", "2026-02-10T09:37:02.000Z"),
            ("20260521", "2026-05-21T08:59:44.000Z"),
        ],
    ),
]


def ubuntu(lines: list[dict[str, Any]], images: list[dict[str, Any]]) -> None:
    for version, codename, storages, releases in UBUNTU:
        for storage in storages:
            ebs = "ebs-gp3" if storage.endswith("gp3") else "ebs-gp2"
            for arch in ARCHS:
                deb = DEB_ARCH[arch]
                line = f"ubuntu-{version}-{storage}-{deb}"
                params = [
                    f"/aws/service/canonical/ubuntu/server/{label}/stable/current/{deb}/hvm/{ebs}/ami-id"
                    for label in (version, codename)
                ]
                lines.append({"id": line, "ssm": params, "serials": True})
                for serial, created in releases:
                    name = (
                        f"ubuntu/images/{storage}/ubuntu-{codename}-{version}-{deb}-server-{serial}"
                    )
                    day = f"{serial[:4]}-{serial[4:6]}-{serial[6:]}"
                    images.append(
                        _image(
                            name,
                            owner="canonical",
                            arch=arch,
                            created=created,
                            description=f"Canonical, Ubuntu, {version} LTS, {deb} {codename} image build on {day}"
                            if version != "24.04"
                            else f"Canonical, Ubuntu, {version}, {deb} {codename} image",
                            root="/dev/sda1",
                            size=8,
                            volume_type="gp3" if storage.endswith("gp3") else "gp2",
                            boot_mode="uefi"
                            if arch == "arm64"
                            else ("uefi-preferred" if version != "20.04" else ""),
                            line=line,
                        )
                    )


# -- Debian (the Debian cloud team's account)

DEBIAN = [
    (
        "11",
        "bullseye",
        [
            ("20240211-1654", "2024-02-11T13:02:37.000Z"),
            ("20240717-1811", "2024-07-17T21:30:02.000Z"),
            ("20250210-2019", "2025-02-10T19:45:18.000Z"),
            ("20250814-2206", "2025-08-14T22:41:50.000Z"),
        ],
    ),
    (
        "12",
        "bookworm",
        [
            ("20240211-1654", "2024-02-11T13:05:11.000Z"),
            ("20240717-1811", "2024-07-17T21:33:40.000Z"),
            ("20250210-2019", "2025-02-10T19:48:02.000Z"),
            ("20250814-2206", "2025-08-14T22:44:29.000Z"),
            ("20260213-2390", "2026-02-13T20:17:55.000Z"),
        ],
    ),
]


def debian(lines: list[dict[str, Any]], images: list[dict[str, Any]]) -> None:
    for version, codename, releases in DEBIAN:
        for arch in ARCHS:
            deb = DEB_ARCH[arch]
            line = f"debian-{version}-{deb}"
            params = [
                f"/aws/service/debian/release/{label}/latest/{deb}" for label in (version, codename)
            ]
            lines.append({"id": line, "ssm": params, "serials": True})
            for serial, created in releases:
                images.append(
                    _image(
                        f"debian-{version}-{deb}-{serial}",
                        owner="debian",
                        arch=arch,
                        created=created,
                        description=f"Debian {version} ({serial})",
                        root="/dev/xvda",
                        size=8,
                        volume_type="gp2",
                        boot_mode="uefi" if arch == "arm64" else "",
                        line=line,
                    )
                )


# -- Red Hat Enterprise Linux (pay as you go, "Hourly2")

RHEL = [
    (
        "8",
        [
            ("8.9.0", "20240327", "2024-03-27T15:21:08.000Z"),
            ("8.10.0", "20240620", "2024-06-20T14:57:31.000Z"),
            ("8.10.0", "20250618", "2025-06-18T16:04:12.000Z"),
        ],
    ),
    (
        "9",
        [
            ("9.4.0", "20240605", "2024-06-05T15:40:55.000Z"),
            ("9.5.0", "20241211", "2024-12-11T16:12:48.000Z"),
            ("9.6.0", "20250520", "2025-05-20T15:33:19.000Z"),
            ("9.7.0", "20251112", "2025-11-12T14:48:03.000Z"),
        ],
    ),
]


def rhel(lines: list[dict[str, Any]], images: list[dict[str, Any]]) -> None:
    for major, releases in RHEL:
        for arch in ARCHS:
            line = f"rhel-{major}-{arch}"
            lines.append({"id": line, "ssm": []})
            for release, day, created in releases:
                images.append(
                    _image(
                        f"RHEL-{release}_HVM-{day}-{arch}-0-Hourly2-GP3",
                        owner="redhat",
                        arch=arch,
                        created=created,
                        description="Provided by Red Hat, Inc.",
                        root="/dev/sda1",
                        size=10,
                        volume_type="gp3",
                        platform="rhel",
                        boot_mode="uefi" if arch == "arm64" else "",
                        line=line,
                    )
                )


# -- SUSE Linux Enterprise Server 15

SLES = [
    ("sp5", "v20240129", "2024-01-29T21:15:44.000Z"),
    ("sp6", "v20240808", "2024-08-08T20:47:21.000Z"),
    ("sp6", "v20250130", "2025-01-30T21:02:36.000Z"),
    ("sp7", "v20251006", "2025-10-06T19:38:50.000Z"),
]


def sles(lines: list[dict[str, Any]], images: list[dict[str, Any]]) -> None:
    for arch in ARCHS:
        line = f"sles-15-{arch}"
        lines.append({"id": line, "ssm": []})
        kind = "HVM" if arch == "x86_64" else "Arm64"
        for sp, serial, created in SLES:
            images.append(
                _image(
                    f"suse-sles-15-{sp}-{serial}-hvm-ssd-{arch}",
                    owner="suse",
                    arch=arch,
                    created=created,
                    description=f"SUSE Linux Enterprise Server 15 {sp.upper()} ({kind}, 64-bit, SSD-Backed)",
                    root="/dev/sda1",
                    size=10,
                    volume_type="gp3",
                    platform="suse",
                    boot_mode="uefi" if arch == "arm64" else "",
                    line=line,
                )
            )


# -- Windows Server (Amazon's Windows account): English Full and Core Base, monthly

WINDOWS_VERSIONS = ("2016", "2019", "2022", "2025")
WINDOWS_RELEASES = [
    ("2025.11.12", "2025-11-12T21:14:33.000Z"),
    ("2026.02.11", "2026-02-11T21:33:07.000Z"),
    ("2026.05.13", "2026-05-13T20:52:48.000Z"),
    ("2026.08.13", "2026-08-13T21:09:15.000Z"),
]


def windows(lines: list[dict[str, Any]], images: list[dict[str, Any]]) -> None:
    for version in WINDOWS_VERSIONS:
        for edition in ("Full", "Core"):
            base = f"Windows_Server-{version}-English-{edition}-Base"
            line = f"windows-{version}-{edition.lower()}"
            lines.append({"id": line, "ssm": [f"/aws/service/ami-windows-latest/{base}"]})
            for release, created in WINDOWS_RELEASES:
                images.append(
                    _image(
                        f"{base}-{release}",
                        owner="windows",
                        arch="x86_64",
                        created=created,
                        description=f"Microsoft Windows Server {version} {edition} Locale English AMI "
                        "provided by Amazon",
                        root="/dev/sda1",
                        size=30,
                        volume_type="gp3" if version == "2025" else "gp2",
                        platform="windows",
                        boot_mode="uefi-preferred" if version == "2025" else "",
                        imds="v2.0" if version == "2025" else "",
                        line=line,
                    )
                )


def build() -> dict[str, Any]:
    lines: list[dict[str, Any]] = []
    images: list[dict[str, Any]] = []
    for family in (al2023, al2, ubuntu, debian, rhel, sles, windows):
        family(lines, images)
    names = [image["n"] for image in images]
    assert len(names) == len(set(names)), "image names must be unique"
    return {
        "owners": {key: list(value) for key, value in OWNERS.items()},
        "platforms": {key: list(value) for key, value in PLATFORMS.items()},
        "lines": lines,
        "images": images,
    }


def render() -> str:
    """The data file's text."""
    text = json.dumps(build(), separators=(",", ":"))
    # one image per line: small diffs when a release is added
    return text.replace('},{"n":', '},\n{"n":') + "\n"


def main() -> None:
    OUT.write_text(render())
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
