"""An instance's options after launch, and what it shows of itself (console, screenshot,
password, UEFI, NitroTPM, topology)."""

from __future__ import annotations

import base64

import pytest
from botocore.exceptions import WaiterError
from ec2_helpers import assert_error, assert_launch_error, instance, launch

FAST = {"Delay": 0, "MaxAttempts": 5}


def _running(ec2, **kw):
    [inst] = launch(ec2, **kw)
    ec2.get_waiter("instance_running").wait(InstanceIds=[inst["InstanceId"]], WaiterConfig=FAST)
    return inst["InstanceId"]


def _stopped(ec2, **kw):
    instance_id = _running(ec2, **kw)
    ec2.stop_instances(InstanceIds=[instance_id])
    ec2.get_waiter("instance_stopped").wait(InstanceIds=[instance_id], WaiterConfig=FAST)
    return instance_id


def windows_ami(ec2):
    """Amazon's Windows Server 2022 AMI from the public catalogue."""
    found = ec2.describe_images(
        Owners=["amazon"],
        Filters=[{"Name": "name", "Values": ["Windows_Server-2022-English-Full-Base-*"]}],
    )["Images"]
    return found[0]["ImageId"]


@pytest.fixture
def uefi_ami(ec2):
    """An image of this account that boots with UEFI and enables NitroTPM."""
    volume_id = ec2.create_volume(AvailabilityZone="eu-west-1a", Size=30)["VolumeId"]
    snapshot_id = ec2.create_snapshot(VolumeId=volume_id)["SnapshotId"]
    ec2.get_waiter("snapshot_completed").wait(SnapshotIds=[snapshot_id], WaiterConfig=FAST)
    image_id = ec2.register_image(
        Name="uefi-tpm",
        Architecture="x86_64",
        RootDeviceName="/dev/sda1",
        VirtualizationType="hvm",
        BootMode="uefi",
        TpmSupport="v2.0",
        BlockDeviceMappings=[{"DeviceName": "/dev/sda1", "Ebs": {"SnapshotId": snapshot_id}}],
    )["ImageId"]
    ec2.get_waiter("image_available").wait(ImageIds=[image_id], WaiterConfig=FAST)
    return image_id


# -- metadata


def test_modify_metadata_options(ec2):
    instance_id = _running(ec2)
    out = ec2.modify_instance_metadata_options(
        InstanceId=instance_id, HttpTokens="required", HttpPutResponseHopLimit=2
    )
    assert out["InstanceId"] == instance_id
    assert out["InstanceMetadataOptions"]["State"] == "pending"
    assert out["InstanceMetadataOptions"]["HttpTokens"] == "required"
    shown = instance(ec2, instance_id)["MetadataOptions"]
    assert shown["State"] == "applied"
    assert shown["HttpPutResponseHopLimit"] == 2
    assert shown["HttpEndpoint"] == "enabled"
    assert_error(
        ec2.modify_instance_metadata_options,
        "InvalidParameterValue",
        message="HttpPutResponseHopLimit",
        InstanceId=instance_id,
        HttpPutResponseHopLimit=65,
    )
    assert_error(
        ec2.modify_instance_metadata_options,
        "DryRunOperation",
        status=412,
        InstanceId=instance_id,
        HttpTokens="optional",
        DryRun=True,
    )
    assert instance(ec2, instance_id)["MetadataOptions"]["HttpTokens"] == "required"


def test_metadata_defaults(ec2):
    assert ec2.get_instance_metadata_defaults()["AccountLevel"] == {}
    assert ec2.modify_instance_metadata_defaults(HttpTokens="required", HttpPutResponseHopLimit=2)[
        "Return"
    ]
    assert ec2.get_instance_metadata_defaults()["AccountLevel"] == {
        "HttpTokens": "required",
        "HttpPutResponseHopLimit": 2,
    }
    [inst] = launch(ec2)
    assert inst["MetadataOptions"]["HttpTokens"] == "required"
    assert inst["MetadataOptions"]["HttpPutResponseHopLimit"] == 2
    [given] = launch(ec2, MetadataOptions={"HttpTokens": "optional"})
    assert given["MetadataOptions"]["HttpTokens"] == "optional"
    ec2.modify_instance_metadata_defaults(HttpTokens="no-preference", HttpPutResponseHopLimit=-1)
    assert ec2.get_instance_metadata_defaults()["AccountLevel"] == {}
    ec2.modify_instance_metadata_defaults(HttpTokensEnforced="enabled")
    assert_launch_error(ec2, "InvalidParameterValue", message="IMDSv2")
    assert_error(
        ec2.modify_instance_metadata_defaults,
        "DryRunOperation",
        status=412,
        HttpTokens="required",
        DryRun=True,
    )


# -- credits


def test_credit_specifications(ec2):
    [t3] = launch(ec2, InstanceType="t3.micro")
    [t2] = launch(ec2, InstanceType="t2.micro", CreditSpecification={"CpuCredits": "unlimited"})
    [t2_standard] = launch(ec2, InstanceType="t2.micro")
    got = ec2.describe_instance_credit_specifications(
        InstanceIds=[t3["InstanceId"], t2["InstanceId"], t2_standard["InstanceId"]]
    )["InstanceCreditSpecifications"]
    assert {c["InstanceId"]: c["CpuCredits"] for c in got} == {
        t3["InstanceId"]: "unlimited",
        t2["InstanceId"]: "unlimited",
        t2_standard["InstanceId"]: "standard",
    }
    unnamed = ec2.describe_instance_credit_specifications()["InstanceCreditSpecifications"]
    assert {c["InstanceId"] for c in unnamed} == {t3["InstanceId"], t2["InstanceId"]}
    by_filter = ec2.describe_instance_credit_specifications(
        Filters=[{"Name": "instance-id", "Values": [t3["InstanceId"]]}]
    )["InstanceCreditSpecifications"]
    assert [c["InstanceId"] for c in by_filter] == [t3["InstanceId"]]
    assert_launch_error(
        ec2,
        "InstanceCreditSpecification.NotSupported",
        InstanceType="m5.large",
        CreditSpecification={"CpuCredits": "unlimited"},
    )


def test_modify_instance_credits(ec2):
    [t3] = launch(ec2, InstanceType="t3.micro")
    [m5] = launch(ec2, InstanceType="m5.large")
    out = ec2.modify_instance_credit_specification(
        InstanceCreditSpecifications=[
            {"InstanceId": t3["InstanceId"], "CpuCredits": "standard"},
            {"InstanceId": m5["InstanceId"], "CpuCredits": "standard"},
            {"InstanceId": "i-0123456789abcdef0", "CpuCredits": "standard"},
        ]
    )
    assert out["SuccessfulInstanceCreditSpecifications"] == [{"InstanceId": t3["InstanceId"]}]
    errors = {
        u["InstanceId"]: u["Error"]["Code"] for u in out["UnsuccessfulInstanceCreditSpecifications"]
    }
    assert errors == {
        m5["InstanceId"]: "InstanceCreditSpecification.NotSupported",
        "i-0123456789abcdef0": "InvalidInstanceID.NotFound",
    }
    [spec] = ec2.describe_instance_credit_specifications(InstanceIds=[t3["InstanceId"]])[
        "InstanceCreditSpecifications"
    ]
    assert spec["CpuCredits"] == "standard"
    assert_error(
        ec2.modify_instance_credit_specification,
        "DryRunOperation",
        status=412,
        InstanceCreditSpecifications=[{"InstanceId": t3["InstanceId"], "CpuCredits": "unlimited"}],
        DryRun=True,
    )


def test_default_credit_specification(ec2):
    got = ec2.get_default_credit_specification(InstanceFamily="t3")
    assert got["InstanceFamilyCreditSpecification"] == {
        "InstanceFamily": "t3",
        "CpuCredits": "unlimited",
    }
    assert (
        ec2.get_default_credit_specification(InstanceFamily="t2")[
            "InstanceFamilyCreditSpecification"
        ]["CpuCredits"]
        == "standard"
    )
    ec2.modify_default_credit_specification(InstanceFamily="t3", CpuCredits="standard")
    [inst] = launch(ec2, InstanceType="t3.small")
    [spec] = ec2.describe_instance_credit_specifications(InstanceIds=[inst["InstanceId"]])[
        "InstanceCreditSpecifications"
    ]
    assert spec["CpuCredits"] == "standard"
    assert_error(
        ec2.modify_default_credit_specification,
        "DryRunOperation",
        status=412,
        InstanceFamily="t2",
        CpuCredits="unlimited",
        DryRun=True,
    )


# -- monitoring, maintenance, CPU, network performance, placement


def test_monitor_and_unmonitor(ec2):
    instance_id = _running(ec2)
    [m] = ec2.monitor_instances(InstanceIds=[instance_id])["InstanceMonitorings"]
    assert m == {"InstanceId": instance_id, "Monitoring": {"State": "pending"}}
    assert instance(ec2, instance_id)["Monitoring"]["State"] == "enabled"
    [u] = ec2.unmonitor_instances(InstanceIds=[instance_id])["InstanceMonitorings"]
    assert u["Monitoring"]["State"] == "disabling"
    assert instance(ec2, instance_id)["Monitoring"]["State"] == "disabled"
    assert_error(
        ec2.monitor_instances, "DryRunOperation", status=412, InstanceIds=[instance_id], DryRun=True
    )
    assert_error(
        ec2.unmonitor_instances,
        "DryRunOperation",
        status=412,
        InstanceIds=[instance_id],
        DryRun=True,
    )
    assert_error(
        ec2.monitor_instances, "InvalidInstanceID.NotFound", InstanceIds=["i-0123456789abcdef0"]
    )


def test_maintenance_options(ec2):
    instance_id = _running(ec2)
    out = ec2.modify_instance_maintenance_options(
        InstanceId=instance_id, AutoRecovery="disabled", RebootMigration="disabled"
    )
    assert out["AutoRecovery"] == "disabled"
    assert out["RebootMigration"] == "disabled"
    assert instance(ec2, instance_id)["MaintenanceOptions"] == {
        "AutoRecovery": "disabled",
        "RebootMigration": "disabled",
    }
    assert_error(
        ec2.modify_instance_maintenance_options,
        "DryRunOperation",
        status=412,
        InstanceId=instance_id,
        AutoRecovery="default",
        DryRun=True,
    )


def test_cpu_options_stopped_only(ec2):
    running = _running(ec2, InstanceType="c5.4xlarge")
    assert_error(
        ec2.modify_instance_cpu_options,
        "IncorrectInstanceState",
        message="is not in the 'stopped' state",
        InstanceId=running,
        CoreCount=2,
        ThreadsPerCore=1,
    )
    stopped = _stopped(ec2, InstanceType="c5.4xlarge")
    out = ec2.modify_instance_cpu_options(InstanceId=stopped, CoreCount=4, ThreadsPerCore=1)
    assert (out["CoreCount"], out["ThreadsPerCore"]) == (4, 1)
    assert instance(ec2, stopped)["CpuOptions"] == {"CoreCount": 4, "ThreadsPerCore": 1}
    assert_error(
        ec2.modify_instance_cpu_options,
        "InvalidParameterValue",
        InstanceId=stopped,
        CoreCount=99,
        ThreadsPerCore=1,
    )
    assert_error(
        ec2.modify_instance_cpu_options,
        "DryRunOperation",
        status=412,
        InstanceId=stopped,
        CoreCount=2,
        ThreadsPerCore=2,
        DryRun=True,
    )


def test_network_performance_options(ec2):
    running = _running(ec2)
    assert_error(
        ec2.modify_instance_network_performance_options,
        "IncorrectInstanceState",
        InstanceId=running,
        BandwidthWeighting="vpc-1",
    )
    stopped = _stopped(ec2)
    out = ec2.modify_instance_network_performance_options(
        InstanceId=stopped, BandwidthWeighting="ebs-1"
    )
    assert out == {**out, "InstanceId": stopped, "BandwidthWeighting": "ebs-1"}
    assert instance(ec2, stopped)["NetworkPerformanceOptions"] == {"BandwidthWeighting": "ebs-1"}
    assert_error(
        ec2.modify_instance_network_performance_options,
        "DryRunOperation",
        status=412,
        InstanceId=stopped,
        BandwidthWeighting="default",
        DryRun=True,
    )


def test_modify_placement(ec2):
    group_id = ec2.create_placement_group(GroupName="cluster", Strategy="cluster")[
        "PlacementGroup"
    ]["GroupId"]
    running = _running(ec2, InstanceType="m5.large")
    assert_error(
        ec2.modify_instance_placement,
        "IncorrectInstanceState",
        InstanceId=running,
        GroupName="cluster",
    )
    stopped = _stopped(ec2, InstanceType="m5.large")
    assert_error(
        ec2.modify_instance_placement,
        "InvalidPlacementGroup.Unknown",
        InstanceId=stopped,
        GroupName="nope",
    )
    assert ec2.modify_instance_placement(InstanceId=stopped, GroupName="cluster")["Return"]
    shown = instance(ec2, stopped)["Placement"]
    assert (shown["GroupName"], shown["GroupId"]) == ("cluster", group_id)
    zone = shown["AvailabilityZone"]
    [host_id] = ec2.allocate_hosts(InstanceType="m5.large", AvailabilityZone=zone, Quantity=1)[
        "HostIds"
    ]
    assert_error(
        ec2.modify_instance_placement,
        "InvalidHostID.NotFound",
        InstanceId=stopped,
        HostId="h-0123456789abcdef0",
    )
    ec2.modify_instance_placement(
        InstanceId=stopped, Tenancy="host", Affinity="host", HostId=host_id
    )
    placement = instance(ec2, stopped)["Placement"]
    assert placement["Tenancy"] == "host"
    assert placement["HostId"] == host_id
    assert placement["Affinity"] == "host"
    ec2.modify_instance_placement(InstanceId=stopped, GroupName="")
    assert instance(ec2, stopped)["Placement"]["GroupName"] == ""
    # started, it runs on the host it was pinned to
    ec2.start_instances(InstanceIds=[stopped])
    [host] = ec2.describe_hosts(HostIds=[host_id])["Hosts"]
    assert [i["InstanceId"] for i in host["Instances"]] == [stopped]
    assert instance(ec2, stopped)["Placement"]["GroupName"] == ""


# -- console, screenshot, password


def test_console_output(ec2):
    instance_id = _running(ec2)
    out = ec2.get_console_output(InstanceId=instance_id)
    assert out["InstanceId"] == instance_id
    assert "Linux version" in out["Output"]  # botocore decodes the base64 output
    assert ec2.get_console_output(InstanceId=instance_id, Latest=True)["Output"] == out["Output"]
    assert_error(
        ec2.get_console_output, "InvalidInstanceID.NotFound", InstanceId="i-0123456789abcdef0"
    )


def test_console_screenshot(ec2):
    instance_id = _running(ec2)
    out = ec2.get_console_screenshot(InstanceId=instance_id, WakeUp=True)
    image = base64.b64decode(out["ImageData"])
    assert image[:2] == b"\xff\xd8" and image[-2:] == b"\xff\xd9"  # a JPEG
    stopped = _stopped(ec2)
    assert_error(ec2.get_console_screenshot, "IncorrectInstanceState", InstanceId=stopped)


def test_password_data_linux_is_empty(ec2):
    instance_id = _running(ec2)
    out = ec2.get_password_data(InstanceId=instance_id)
    assert out["PasswordData"] == ""
    with pytest.raises(WaiterError):
        ec2.get_waiter("password_data_available").wait(
            InstanceId=instance_id, WaiterConfig={"Delay": 0, "MaxAttempts": 2}
        )


def test_password_data_windows_when_ready(env, ec2, ec2_options):
    ec2_options(status_delay=240)
    [inst] = launch(ec2, ImageId=windows_ami(ec2), InstanceType="m5.large")
    instance_id = inst["InstanceId"]
    assert instance(ec2, instance_id)["Platform"] == "windows"
    assert instance(ec2, instance_id)["PlatformDetails"] == "Windows"
    assert ec2.get_password_data(InstanceId=instance_id)["PasswordData"] == ""
    env.clock.advance(300)
    ec2.get_waiter("password_data_available").wait(InstanceId=instance_id, WaiterConfig=FAST)
    data = ec2.get_password_data(InstanceId=instance_id)["PasswordData"]
    assert len(base64.b64decode(data)) == 256


# -- UEFI, NitroTPM


def test_uefi_data(ec2, uefi_ami):
    instance_id = _running(ec2, ImageId=uefi_ami, InstanceType="m5.large")
    assert instance(ec2, instance_id)["TpmSupport"] == "v2.0"
    tpm = ec2.describe_instances(Filters=[{"Name": "tpm-support", "Values": ["v2.0"]}])
    assert [i["InstanceId"] for r in tpm["Reservations"] for i in r["Instances"]] == [instance_id]
    out = ec2.get_instance_uefi_data(InstanceId=instance_id)
    assert base64.b64decode(out["UefiData"]).startswith(b"AMZNUEFI")
    assert instance(ec2, instance_id)["BootMode"] == "uefi"
    legacy = _running(ec2)
    assert_error(ec2.get_instance_uefi_data, "UnsupportedOperation", InstanceId=legacy)


@pytest.mark.parametrize("key_type", ["rsa-2048", "ecc-sec-p384"])
@pytest.mark.parametrize("key_format", ["der", "tpmt"])
def test_tpm_ek_pub(ec2, uefi_ami, key_type, key_format):
    instance_id = _running(ec2, ImageId=uefi_ami, InstanceType="m5.large")
    out = ec2.get_instance_tpm_ek_pub(
        InstanceId=instance_id, KeyType=key_type, KeyFormat=key_format
    )
    assert (out["KeyType"], out["KeyFormat"]) == (key_type, key_format)
    key = base64.b64decode(out["KeyValue"])
    if key_format == "der":
        assert key[0] == 0x30  # a DER SEQUENCE (SubjectPublicKeyInfo)
    assert instance(ec2, instance_id)["TpmSupport"] == "v2.0"
    plain = _running(ec2)
    assert_error(
        ec2.get_instance_tpm_ek_pub,
        "UnsupportedOperation",
        InstanceId=plain,
        KeyType=key_type,
        KeyFormat=key_format,
    )


# -- topology, ClassicLink


def test_instance_topology(ec2):
    ec2.create_placement_group(GroupName="train", Strategy="cluster")
    gpu = _running(ec2, InstanceType="p4d.24xlarge", Placement={"GroupName": "train"})
    _running(ec2, InstanceType="m5.large")
    [node] = ec2.describe_instance_topology()["Instances"]
    assert node["InstanceId"] == gpu
    assert node["GroupName"] == "train"
    assert len(node["NetworkNodes"]) == 3
    assert all(n.startswith("nn-") for n in node["NetworkNodes"])
    zone = node["AvailabilityZone"]
    assert ec2.describe_instance_topology(
        Filters=[{"Name": "availability-zone", "Values": [zone]}]
    )["Instances"] == [node]
    assert (
        ec2.describe_instance_topology(
            Filters=[{"Name": "instance-type", "Values": ["p5.48xlarge"]}]
        )["Instances"]
        == []
    )
    assert ec2.describe_instance_topology(
        Filters=[{"Name": "zone-id", "Values": [node["ZoneId"]]}]
    )["Instances"] == [node]
    assert ec2.describe_instance_topology(GroupNames=["other"])["Instances"] == []


def test_classic_link_instances_none(ec2):
    instance_id = _running(ec2)
    assert ec2.describe_classic_link_instances()["Instances"] == []
    assert ec2.describe_classic_link_instances(InstanceIds=[instance_id])["Instances"] == []
    for name in ("group-id", "instance-id", "vpc-id"):
        got = ec2.describe_classic_link_instances(Filters=[{"Name": name, "Values": ["x"]}])
        assert got["Instances"] == []
    assert_error(
        ec2.describe_classic_link_instances,
        "InvalidInstanceID.NotFound",
        InstanceIds=["i-0123456789abcdef0"],
    )


def test_modify_instance_credits_client_token(ec2):
    [t3] = launch(ec2, InstanceType="t3.micro")
    request = [{"InstanceId": t3["InstanceId"], "CpuCredits": "standard"}]
    first = ec2.modify_instance_credit_specification(
        InstanceCreditSpecifications=request, ClientToken="tok"
    )
    ec2.modify_instance_credit_specification(
        InstanceCreditSpecifications=[{"InstanceId": t3["InstanceId"], "CpuCredits": "unlimited"}]
    )
    again = ec2.modify_instance_credit_specification(
        InstanceCreditSpecifications=request, ClientToken="tok"
    )
    assert (
        again["SuccessfulInstanceCreditSpecifications"]
        == first["SuccessfulInstanceCreditSpecifications"]
    )
    # the repeated request changed nothing: the later change stands
    [spec] = ec2.describe_instance_credit_specifications(InstanceIds=[t3["InstanceId"]])[
        "InstanceCreditSpecifications"
    ]
    assert spec["CpuCredits"] == "unlimited"
    assert_error(
        ec2.modify_instance_credit_specification,
        "IdempotentParameterMismatch",
        InstanceCreditSpecifications=[{"InstanceId": t3["InstanceId"], "CpuCredits": "unlimited"}],
        ClientToken="tok",
    )
