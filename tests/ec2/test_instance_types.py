"""Instance types: the catalogue, offerings per region and zone, requirements, launches."""

from __future__ import annotations

import botocore.session
import pytest
from botocore.config import Config
from ec2_helpers import assert_error, assert_launch_error, launch

ENUM = list(botocore.session.get_session().get_service_model("ec2").shape_for("InstanceType").enum)


def one(ec2, name):
    [found] = ec2.describe_instance_types(InstanceTypes=[name])["InstanceTypes"]
    return found


def every(ec2, **kw):
    pages = ec2.get_paginator("describe_instance_types").paginate(**kw)
    return [t for p in pages for t in p["InstanceTypes"]]


def test_every_enum_type_has_a_consistent_spec(env):
    ec2 = env.client(region="us-east-1")
    found = every(ec2, IncludeUnsupportedInRegion=True)
    assert sorted(t["InstanceType"] for t in found) == sorted(ENUM)
    for info in found:
        vcpu = info["VCpuInfo"]
        assert vcpu["DefaultCores"] * vcpu["DefaultThreadsPerCore"] == vcpu["DefaultVCpus"]
        if "ValidCores" in vcpu:
            assert vcpu["DefaultCores"] == max(vcpu["ValidCores"])
            assert vcpu["DefaultThreadsPerCore"] in vcpu["ValidThreadsPerCore"]
        assert info["MemoryInfo"]["SizeInMiB"] > 0
        architectures = info["ProcessorInfo"]["SupportedArchitectures"]
        if "arm64" in architectures:
            assert info["SupportedBootModes"] == ["uefi"]
        if info["BareMetal"]:
            assert "Hypervisor" not in info
        else:
            assert info["Hypervisor"] in ("nitro", "xen")
        storage = info.get("InstanceStorageInfo")
        assert info["InstanceStorageSupported"] == (storage is not None)
        if storage:
            disk = storage["Disks"][0]
            assert storage["TotalSizeInGB"] == disk["SizeInGB"] * disk["Count"]


def test_known_specs(ec2):
    micro = one(ec2, "t3.micro")
    assert micro["FreeTierEligible"] is True
    assert micro["BurstablePerformanceSupported"] is True
    assert micro["VCpuInfo"]["DefaultVCpus"] == 2
    assert micro["MemoryInfo"]["SizeInMiB"] == 1024
    assert micro["Hypervisor"] == "nitro"
    assert micro["NetworkInfo"]["EnaSupport"] == "required"
    assert micro["EbsInfo"]["NvmeSupport"] == "required"
    graviton = one(ec2, "m6g.large")
    assert graviton["ProcessorInfo"]["SupportedArchitectures"] == ["arm64"]
    assert graviton["ProcessorInfo"]["Manufacturer"] == "AWS"
    assert graviton["SupportedBootModes"] == ["uefi"]
    assert graviton["VCpuInfo"]["DefaultThreadsPerCore"] == 1
    small = one(ec2, "m1.small")
    assert small["CurrentGeneration"] is False
    assert small["Hypervisor"] == "xen"
    assert "paravirtual" in small["SupportedVirtualizationTypes"]
    assert one(ec2, "t2.micro")["FreeTierEligible"] is True
    assert one(ec2, "m5.large")["FreeTierEligible"] is False
    disks = one(ec2, "m5d.large")["InstanceStorageInfo"]
    assert disks["Disks"][0]["Type"] == "ssd"
    assert "InstanceStorageInfo" not in one(ec2, "m5.large")


def test_accelerators_and_usage_classes(env):
    ec2 = env.client(region="us-east-1")
    p5 = one(ec2, "p5.48xlarge")
    assert p5["GpuInfo"]["Gpus"][0]["Manufacturer"] == "NVIDIA"
    assert p5["GpuInfo"]["Gpus"][0]["Count"] == 8
    assert "capacity-block" in p5["SupportedUsageClasses"]
    assert p5["NetworkInfo"]["EfaSupported"] is True
    assert one(ec2, "f1.2xlarge")["FpgaInfo"]["Fpgas"][0]["Count"] == 1
    assert one(ec2, "inf1.xlarge")["InferenceAcceleratorInfo"]["Accelerators"][0]["Name"] == (
        "Inferentia"
    )
    assert one(ec2, "trn1.32xlarge")["NeuronInfo"]["NeuronDevices"][0]["Count"] == 16
    assert one(ec2, "m5.large")["SupportedUsageClasses"] == ["on-demand", "spot"]


def test_filters(ec2):
    def names(*filters):
        return {t["InstanceType"] for t in every(ec2, Filters=list(filters))}

    assert names({"Name": "instance-type", "Values": ["t3.*"]}) == {
        f"t3.{s}" for s in ("nano", "micro", "small", "medium", "large", "xlarge", "2xlarge")
    }
    assert names({"Name": "free-tier-eligible", "Values": ["true"]}) == {"t2.micro", "t3.micro"}
    arm_twos = names(
        {"Name": "processor-info.supported-architecture", "Values": ["arm64"]},
        {"Name": "vcpu-info.default-vcpus", "Values": ["2"]},
        {"Name": "current-generation", "Values": ["true"]},
    )
    assert "m6g.large" in arm_twos and "m5.large" not in arm_twos
    assert names({"Name": "memory-info.size-in-mib", "Values": ["1024"]}) >= {"t3.micro"}
    assert "m1.small" in names({"Name": "hypervisor", "Values": ["xen"]})
    assert names({"Name": "bare-metal", "Values": ["true"]}) == names(
        {"Name": "instance-type", "Values": ["*.metal*"]}
    )
    assert names({"Name": "instance-storage-info.disk.type", "Values": ["hdd"]}) >= {"d3.xlarge"}
    assert "p5.48xlarge" in names({"Name": "supported-usage-class", "Values": ["capacity-block"]})
    assert_error(
        ec2.describe_instance_types,
        "InvalidParameterValue",
        Filters=[{"Name": "bogus", "Values": ["x"]}],
    )


def test_every_documented_filter_answers(ec2):
    from cloudmock.services.ec2.filters import documented_filters

    operation = (
        botocore.session.get_session()
        .get_service_model("ec2")
        .operation_model("DescribeInstanceTypes")
    )
    for name in sorted(documented_filters(operation)):
        if name.startswith("tag"):
            continue
        ec2.describe_instance_types(Filters=[{"Name": name, "Values": ["*"]}], MaxResults=5)


def test_paging_and_bounds(env, ec2):
    first = ec2.describe_instance_types(MaxResults=5)
    assert len(first["InstanceTypes"]) == 5
    second = ec2.describe_instance_types(MaxResults=5, NextToken=first["NextToken"])
    assert {t["InstanceType"] for t in first["InstanceTypes"]}.isdisjoint(
        t["InstanceType"] for t in second["InstanceTypes"]
    )
    assert len(ec2.describe_instance_types()["InstanceTypes"]) == 100
    raw = env.client(config=Config(parameter_validation=False))
    for bad in (4, 101):
        assert_error(raw.describe_instance_types, "InvalidParameterValue", MaxResults=bad)
    assert_error(raw.describe_instance_type_offerings, "InvalidParameterValue", MaxResults=4)


def test_unsupported_in_region(env):
    paris = env.client(region="eu-west-3")
    assert_error(
        paris.describe_instance_types,
        "InvalidInstanceType",
        message=r"\[m1.small\]",
        InstanceTypes=["m1.small"],
    )
    [info] = paris.describe_instance_types(
        InstanceTypes=["m1.small", "t3.micro"], IncludeUnsupportedInRegion=True
    )["InstanceTypes"][:1]
    assert info["SupportedInRegion"] is False
    assert "SupportedInRegion" not in one(paris, "t3.micro")
    names = {t["InstanceType"] for t in every(paris)}
    assert "t3.micro" in names and "m1.small" not in names


def test_offerings_by_region_zone_and_zone_id(env):
    ec2 = env.client(region="us-east-1")
    by_type = [{"Name": "instance-type", "Values": ["t3.micro", "p5.48xlarge"]}]
    region = ec2.describe_instance_type_offerings(Filters=by_type)["InstanceTypeOfferings"]
    assert {(o["InstanceType"], o["LocationType"], o["Location"]) for o in region} == {
        ("t3.micro", "region", "us-east-1"),
        ("p5.48xlarge", "region", "us-east-1"),
    }
    zones = [z["ZoneName"] for z in ec2.describe_availability_zones()["AvailabilityZones"]]
    by_zone = ec2.describe_instance_type_offerings(
        LocationType="availability-zone", Filters=by_type
    )["InstanceTypeOfferings"]
    micro = {o["Location"] for o in by_zone if o["InstanceType"] == "t3.micro"}
    p5 = {o["Location"] for o in by_zone if o["InstanceType"] == "p5.48xlarge"}
    assert micro == set(zones)
    assert p5 and p5 < micro
    ids = ec2.describe_instance_type_offerings(
        LocationType="availability-zone-id",
        Filters=[
            {"Name": "instance-type", "Values": ["t3.micro"]},
            {"Name": "location", "Values": ["use1-az*"]},
        ],
    )["InstanceTypeOfferings"]
    assert len(ids) == len(zones)
    assert all(o["LocationType"] == "availability-zone-id" for o in ids)
    paged = ec2.describe_instance_type_offerings(MaxResults=5)
    assert len(paged["InstanceTypeOfferings"]) == 5 and paged["NextToken"]


def test_offerings_follow_the_region(env):
    offered = {
        o["InstanceType"]
        for o in env.client(region="eu-west-3").describe_instance_type_offerings()[
            "InstanceTypeOfferings"
        ]
    }
    assert "m5.large" in offered and "m1.small" not in offered
    old = env.client(region="eu-west-1").describe_instance_type_offerings(
        Filters=[{"Name": "instance-type", "Values": ["m1.small"]}]
    )["InstanceTypeOfferings"]
    assert [o["Location"] for o in old] == ["eu-west-1"]


def test_instance_requirements(ec2):
    def types(**requirements):
        found = ec2.get_instance_types_from_instance_requirements(
            ArchitectureTypes=requirements.pop("arch", ["x86_64"]),
            VirtualizationTypes=["hvm"],
            InstanceRequirements=requirements,
        )["InstanceTypes"]
        return {t["InstanceType"] for t in found}

    two = types(VCpuCount={"Min": 2, "Max": 2}, MemoryMiB={"Min": 8192, "Max": 8192})
    assert "m5.large" in two and "c5.large" not in two and "t3.large" not in two
    assert "t3.large" in types(
        VCpuCount={"Min": 2, "Max": 2}, MemoryMiB={"Min": 8192}, BurstablePerformance="required"
    ) - types(VCpuCount={"Min": 2, "Max": 2}, MemoryMiB={"Min": 8192})
    arm = types(arch=["arm64"], VCpuCount={"Min": 1, "Max": 1}, MemoryMiB={"Min": 0})
    assert "m6g.medium" in arm and "m5.large" not in arm
    amd = types(VCpuCount={"Min": 2, "Max": 2}, MemoryMiB={"Min": 0}, CpuManufacturers=["amd"])
    assert "m5a.large" in amd and "m5.large" not in amd
    gpus = types(
        VCpuCount={"Min": 0},
        MemoryMiB={"Min": 0},
        AcceleratorTypes=["gpu"],
        AcceleratorManufacturers=["nvidia"],
        AcceleratorNames=["t4"],
    )
    assert "g4dn.xlarge" in gpus and "p5.48xlarge" not in gpus
    no_storage = types(
        VCpuCount={"Min": 2, "Max": 2}, MemoryMiB={"Min": 0}, LocalStorage="excluded"
    )
    assert "m5d.large" not in no_storage and "m5.large" in no_storage
    allowed = types(VCpuCount={"Min": 0}, MemoryMiB={"Min": 0}, AllowedInstanceTypes=["c5.*"])
    assert allowed and all(t.startswith("c5.") for t in allowed)
    excluded = types(
        VCpuCount={"Min": 2, "Max": 2},
        MemoryMiB={"Min": 8192, "Max": 8192},
        ExcludedInstanceTypes=["m5*"],
    )
    assert "m5.large" not in excluded and "m6i.large" in excluded
    assert_error(
        ec2.get_instance_types_from_instance_requirements,
        "InvalidParameterCombination",
        ArchitectureTypes=["x86_64"],
        VirtualizationTypes=["hvm"],
        InstanceRequirements={
            "VCpuCount": {"Min": 1},
            "MemoryMiB": {"Min": 0},
            "AllowedInstanceTypes": ["m5.*"],
            "ExcludedInstanceTypes": ["c5.*"],
        },
    )
    assert_error(
        ec2.get_instance_types_from_instance_requirements,
        "InvalidParameterValue",
        ArchitectureTypes=["x86_64"],
        VirtualizationTypes=["hvm"],
        InstanceRequirements={"VCpuCount": {"Min": 4, "Max": 2}, "MemoryMiB": {"Min": 0}},
    )


def test_launch_refuses_a_type_the_zone_does_not_offer(env):
    ec2 = env.client(region="us-east-1")
    offered = {
        o["Location"]
        for o in ec2.describe_instance_type_offerings(
            LocationType="availability-zone",
            Filters=[{"Name": "instance-type", "Values": ["p5.48xlarge"]}],
        )["InstanceTypeOfferings"]
    }
    zones = [z["ZoneName"] for z in ec2.describe_availability_zones()["AvailabilityZones"]]
    lacking = next(z for z in zones if z not in offered)
    assert_launch_error(
        ec2,
        "Unsupported",
        message=rf"Your requested instance type \(p5.48xlarge\) is not supported in your "
        rf"requested Availability Zone \({lacking}\)",
        InstanceType="p5.48xlarge",
        Placement={"AvailabilityZone": lacking},
    )
    [inst] = launch(
        ec2, InstanceType="p5.48xlarge", Placement={"AvailabilityZone": sorted(offered)[0]}
    )
    assert inst["InstanceType"] == "p5.48xlarge"


def test_launch_refuses_a_type_the_region_does_not_offer(env):
    paris = env.client(region="eu-west-3")
    assert_launch_error(paris, "Unsupported", InstanceType="m1.small")
    assert_launch_error(paris, "Unsupported")  # RunInstances' default type is m1.small
    assert launch(paris, InstanceType="t3.micro")[0]["InstanceType"] == "t3.micro"
    assert launch(env.client(region="eu-west-1"))[0]["InstanceType"] == "m1.small"


@pytest.mark.parametrize("name", ["m1.small", "t2.micro", "t3.micro", "m5.large", "c5.xlarge"])
def test_types_tests_and_tutorials_use_launch_in_eu_west_1(ec2, name):
    assert launch(ec2, InstanceType=name)[0]["InstanceType"] == name
