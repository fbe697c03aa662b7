"""RunInstances' options: each recorded, shown by DescribeInstances, and checked as EC2 does."""

from __future__ import annotations

import pytest
from ec2_helpers import assert_error, assert_launch_error, instance, instances, launch

FAST = {"Delay": 0, "MaxAttempts": 5}


def _ids(ec2, *filters):
    found = instances(ec2, Filters=[{"Name": n, "Values": [v]} for n, v in filters])
    return [i["InstanceId"] for i in found]


def test_hibernation_recorded_and_stop_hibernate(ec2):
    [inst] = launch(ec2, HibernationOptions={"Configured": True})
    instance_id = inst["InstanceId"]
    assert instance(ec2, instance_id)["HibernationOptions"] == {"Configured": True}
    assert _ids(ec2, ("hibernation-options.configured", "true")) == [instance_id]
    ec2.stop_instances(InstanceIds=[instance_id], Hibernate=True)
    ec2.get_waiter("instance_stopped").wait(InstanceIds=[instance_id], WaiterConfig=FAST)
    assert_launch_error(
        ec2,
        "InvalidParameterCombination",
        HibernationOptions={"Configured": True},
        EnclaveOptions={"Enabled": True},
    )


def test_enclave_options(ec2):
    [inst] = launch(ec2, EnclaveOptions={"Enabled": True})
    assert instance(ec2, inst["InstanceId"])["EnclaveOptions"] == {"Enabled": True}
    assert _ids(ec2, ("enclave-options.enabled", "true")) == [inst["InstanceId"]]


def test_spot_market(ec2):
    [inst] = launch(
        ec2,
        InstanceMarketOptions={"MarketType": "spot", "SpotOptions": {"MaxPrice": "0.05"}},
    )
    assert inst["InstanceLifecycle"] == "spot"
    assert _ids(ec2, ("instance-lifecycle", "spot")) == [inst["InstanceId"]]
    [on_demand] = launch(ec2)
    assert "InstanceLifecycle" not in on_demand
    assert_launch_error(
        ec2,
        "InvalidParameterCombination",
        InstanceMarketOptions={
            "MarketType": "spot",
            "SpotOptions": {"SpotInstanceType": "persistent"},
        },
    )
    assert_launch_error(
        ec2,
        "InvalidParameterValue",
        message="no longer available",
        InstanceMarketOptions={"MarketType": "spot", "SpotOptions": {"BlockDurationMinutes": 60}},
    )


def test_full_placement(ec2):
    group = ec2.create_placement_group(
        GroupName="cluster-a", Strategy="partition", PartitionCount=3
    )["PlacementGroup"]
    [host_id] = ec2.allocate_hosts(
        InstanceType="m5.large", AvailabilityZone="eu-west-1b", Quantity=1
    )["HostIds"]
    [inst] = launch(
        ec2,
        InstanceType="m5.large",
        Placement={
            "GroupName": "cluster-a",
            "PartitionNumber": 2,
            "HostId": host_id,
            "Affinity": "host",
            "Tenancy": "host",
            "SpreadDomain": "rack",
        },
    )
    placement = inst["Placement"]
    assert placement["GroupName"] == "cluster-a"
    assert placement["GroupId"] == group["GroupId"]
    assert placement["PartitionNumber"] == 2
    assert placement["HostId"] == host_id
    # no subnet or zone given: the launch goes to the host's zone
    assert placement["AvailabilityZone"] == "eu-west-1b"
    assert placement["Affinity"] == "host"
    assert placement["Tenancy"] == "host"
    assert placement["SpreadDomain"] == "rack"
    instance_id = inst["InstanceId"]
    assert _ids(ec2, ("placement-group-name", "cluster-a")) == [instance_id]
    assert _ids(ec2, ("placement-partition-number", "2")) == [instance_id]
    assert _ids(ec2, ("host-id", host_id)) == [instance_id]
    assert _ids(ec2, ("affinity", "host")) == [instance_id]
    # the group given by id shows its name too
    [by_id] = launch(ec2, InstanceType="m5.large", Placement={"GroupId": group["GroupId"]})
    assert by_id["Placement"]["GroupName"] == "cluster-a"
    assert by_id["Placement"]["PartitionNumber"] in (1, 3)  # the least used partitions
    # host resource groups (License Manager) are not modelled
    assert_launch_error(
        ec2,
        "UnsupportedOperation",
        Placement={
            "HostResourceGroupArn": "arn:aws:resource-groups:eu-west-1:123456789012:group/hosts",
            "Tenancy": "host",
        },
    )


def test_capacity_reservation_specification(ec2):
    reservation_id = ec2.create_capacity_reservation(
        InstanceType="m5.large",
        InstancePlatform="Linux/UNIX",
        AvailabilityZone="eu-west-1c",
        InstanceCount=2,
        InstanceMatchCriteria="targeted",
    )["CapacityReservation"]["CapacityReservationId"]
    [default] = launch(ec2)
    assert default["CapacityReservationSpecification"] == {"CapacityReservationPreference": "open"}
    [none] = launch(ec2, CapacityReservationSpecification={"CapacityReservationPreference": "none"})
    assert none["CapacityReservationSpecification"] == {"CapacityReservationPreference": "none"}
    [targeted] = launch(
        ec2,
        InstanceType="m5.large",
        CapacityReservationSpecification={
            "CapacityReservationTarget": {"CapacityReservationId": reservation_id}
        },
    )
    shown = instance(ec2, targeted["InstanceId"])
    assert shown["CapacityReservationSpecification"]["CapacityReservationTarget"] == {
        "CapacityReservationId": reservation_id
    }
    assert shown["CapacityReservationId"] == reservation_id
    # no subnet or zone given: the launch goes to the reservation's zone
    assert shown["Placement"]["AvailabilityZone"] == "eu-west-1c"
    assert _ids(ec2, ("capacity-reservation-id", reservation_id)) == [targeted["InstanceId"]]
    assert _ids(
        ec2, ("capacity-reservation-specification.capacity-reservation-preference", "none")
    ) == [none["InstanceId"]]


def test_cpu_options(ec2):
    [default] = launch(ec2, InstanceType="m5.2xlarge")
    assert default["CpuOptions"] == {"CoreCount": 4, "ThreadsPerCore": 2}
    [custom] = launch(
        ec2, InstanceType="m5.2xlarge", CpuOptions={"CoreCount": 2, "ThreadsPerCore": 1}
    )
    assert custom["CpuOptions"] == {"CoreCount": 2, "ThreadsPerCore": 1}
    assert_launch_error(
        ec2,
        "InvalidParameterValue",
        message="CoreCount",
        InstanceType="m5.2xlarge",
        CpuOptions={"CoreCount": 64, "ThreadsPerCore": 2},
    )
    assert_launch_error(
        ec2,
        "InvalidParameterValue",
        message="ThreadsPerCore",
        InstanceType="m5.2xlarge",
        CpuOptions={"CoreCount": 2, "ThreadsPerCore": 3},
    )


def test_maintenance_dns_network_performance_operator_licenses(ec2):
    license_arn = "arn:aws:license-manager:eu-west-1:123456789012:license-configuration:lic-1"
    [inst] = launch(
        ec2,
        MaintenanceOptions={"AutoRecovery": "disabled"},
        PrivateDnsNameOptions={
            "HostnameType": "resource-name",
            "EnableResourceNameDnsARecord": True,
            "EnableResourceNameDnsAAAARecord": False,
        },
        NetworkPerformanceOptions={"BandwidthWeighting": "vpc-1"},
        Operator={"Principal": "eks.amazonaws.com"},
        LicenseSpecifications=[{"LicenseConfigurationArn": license_arn}],
        AdditionalInfo="reserved",
    )
    shown = instance(ec2, inst["InstanceId"])
    assert shown["MaintenanceOptions"]["AutoRecovery"] == "disabled"
    assert shown["PrivateDnsNameOptions"] == {
        "HostnameType": "resource-name",
        "EnableResourceNameDnsARecord": True,
        "EnableResourceNameDnsAAAARecord": False,
    }
    assert shown["PrivateDnsName"].startswith(inst["InstanceId"] + ".")
    assert shown["NetworkPerformanceOptions"] == {"BandwidthWeighting": "vpc-1"}
    assert shown["Operator"] == {"Managed": True, "Principal": "eks.amazonaws.com"}
    assert shown["Licenses"] == [{"LicenseConfigurationArn": license_arn}]
    instance_id = inst["InstanceId"]
    assert _ids(ec2, ("maintenance-options.auto-recovery", "disabled")) == [instance_id]
    assert _ids(ec2, ("operator.principal", "eks.amazonaws.com")) == [instance_id]
    assert _ids(ec2, ("network-performance-options.bandwidth-weighting", "vpc-1")) == [instance_id]


def test_kernel_and_ramdisk(ec2):
    [inst] = launch(ec2, KernelId="aki-0123456789abcdef0", RamdiskId="ari-0123456789abcdef0")
    assert inst["KernelId"] == "aki-0123456789abcdef0"
    assert inst["RamdiskId"] == "ari-0123456789abcdef0"
    assert _ids(ec2, ("ramdisk-id", "ari-0123456789abcdef0")) == [inst["InstanceId"]]
    assert_launch_error(ec2, "InvalidAKIID.Malformed", KernelId="ami-0123456789abcdef0")


def test_metadata_options_all_members(ec2):
    [inst] = launch(
        ec2,
        MetadataOptions={
            "HttpTokens": "required",
            "HttpPutResponseHopLimit": 3,
            "HttpEndpoint": "enabled",
            "HttpProtocolIpv6": "enabled",
            "InstanceMetadataTags": "enabled",
        },
    )
    options = instance(ec2, inst["InstanceId"])["MetadataOptions"]
    assert options["HttpTokens"] == "required"
    assert options["HttpPutResponseHopLimit"] == 3
    assert options["HttpProtocolIpv6"] == "enabled"
    assert options["InstanceMetadataTags"] == "enabled"


@pytest.mark.parametrize(
    ("member", "value"),
    [
        ("ElasticGpuSpecification", [{"Type": "eg1.medium"}]),
        ("ElasticInferenceAccelerators", [{"Type": "eia1.medium", "Count": 1}]),
    ],
)
def test_retired_accelerators_refused(ec2, member, value):
    assert_launch_error(
        ec2, "InvalidParameterValue", message="no longer supported", **{member: value}
    )
    assert instances(ec2) == []


def test_ipv6_top_level(ec2):
    vpc = ec2.create_vpc(CidrBlock="10.1.0.0/16", AmazonProvidedIpv6CidrBlock=True)["Vpc"]
    vpc = ec2.describe_vpcs(VpcIds=[vpc["VpcId"]])["Vpcs"][0]
    block = vpc["Ipv6CidrBlockAssociationSet"][0]["Ipv6CidrBlock"]
    subnet = ec2.create_subnet(
        VpcId=vpc["VpcId"], CidrBlock="10.1.0.0/24", Ipv6CidrBlock=block.replace("/56", "/64")
    )["Subnet"]
    [inst] = launch(ec2, SubnetId=subnet["SubnetId"], Ipv6AddressCount=2, EnablePrimaryIpv6=True)
    shown = instance(ec2, inst["InstanceId"])
    addresses = shown["NetworkInterfaces"][0]["Ipv6Addresses"]
    assert len(addresses) == 2
    assert shown["Ipv6Address"] == addresses[0]["Ipv6Address"]
    plain = ec2.create_subnet(VpcId=vpc["VpcId"], CidrBlock="10.1.1.0/24")["Subnet"]
    assert_launch_error(
        ec2, "InvalidParameterValue", message="IPv6", SubnetId=plain["SubnetId"], Ipv6AddressCount=1
    )


def test_dry_run_with_options(ec2):
    assert_error(
        ec2.run_instances,
        "DryRunOperation",
        status=412,
        ImageId="ami-0abcdef1234567890",
        MinCount=1,
        MaxCount=1,
        HibernationOptions={"Configured": True},
        CpuOptions={"CoreCount": 1},
        DryRun=True,
    )
    assert instances(ec2) == []


def test_one_time_spot_cannot_stop(ec2):
    [spot] = launch(ec2, InstanceMarketOptions={"MarketType": "spot"})
    instances(ec2)
    assert_error(
        ec2.stop_instances,
        "UnsupportedOperation",
        message="one-time Spot Instance request",
        InstanceIds=[spot["InstanceId"]],
    )
    [persistent] = launch(
        ec2,
        InstanceMarketOptions={
            "MarketType": "spot",
            "SpotOptions": {
                "SpotInstanceType": "persistent",
                "InstanceInterruptionBehavior": "stop",
            },
        },
    )
    instances(ec2)
    ec2.stop_instances(InstanceIds=[persistent["InstanceId"]])


def test_hibernate_state_reason(ec2):
    [inst] = launch(ec2, HibernationOptions={"Configured": True})
    instances(ec2)
    ec2.stop_instances(InstanceIds=[inst["InstanceId"]], Hibernate=True)
    shown = instance(ec2, inst["InstanceId"])
    assert shown["State"]["Name"] == "stopped"
    assert shown["StateReason"]["Code"] == "Client.UserInitiatedHibernate"


def test_metric_categories(ec2):
    [inst] = launch(ec2, Monitoring={"Enabled": True, "MetricCategoryIds": ["cpu"]})
    assert instance(ec2, inst["InstanceId"])["Monitoring"]["MetricCategoryIds"] == ["cpu"]
    [m] = ec2.monitor_instances(InstanceIds=[inst["InstanceId"]], MetricCategoryIds=["disk"])[
        "InstanceMonitorings"
    ]
    assert m["Monitoring"]["MetricCategoryIds"] == ["cpu", "disk"]
    ec2.unmonitor_instances(InstanceIds=[inst["InstanceId"]], MetricCategoryIds=["cpu"])
    shown = instance(ec2, inst["InstanceId"])["Monitoring"]
    assert shown["State"] == "enabled"
    assert shown["MetricCategoryIds"] == ["disk"]
    assert_launch_error(
        ec2,
        "InvalidParameterCombination",
        Monitoring={"Enabled": False, "MetricCategoryIds": ["cpu"]},
    )


def test_instance_type_change_resets_cpu_options(ec2):
    [inst] = launch(ec2, InstanceType="m5.2xlarge", CpuOptions={"CoreCount": 2})
    instance_id = inst["InstanceId"]
    instances(ec2)
    ec2.stop_instances(InstanceIds=[instance_id])
    instances(ec2)
    ec2.modify_instance_attribute(InstanceId=instance_id, InstanceType={"Value": "m5.4xlarge"})
    assert instance(ec2, instance_id)["CpuOptions"] == {"CoreCount": 8, "ThreadsPerCore": 2}


def test_capacity_block_needs_its_reservation(ec2, env):
    assert_launch_error(
        ec2,
        "InvalidParameterCombination",
        message="Capacity Block",
        InstanceMarketOptions={"MarketType": "capacity-block"},
    )
    [offer, *_] = ec2.describe_capacity_block_offerings(
        InstanceType="p5.48xlarge", InstanceCount=1, CapacityDurationHours=24
    )["CapacityBlockOfferings"]
    reservation_id = ec2.purchase_capacity_block(
        CapacityBlockOfferingId=offer["CapacityBlockOfferingId"], InstancePlatform="Linux/UNIX"
    )["CapacityReservation"]["CapacityReservationId"]
    block = {
        "InstanceType": "p5.48xlarge",
        "InstanceMarketOptions": {"MarketType": "capacity-block"},
        "CapacityReservationSpecification": {
            "CapacityReservationTarget": {"CapacityReservationId": reservation_id}
        },
    }
    assert_launch_error(ec2, "InvalidCapacityReservationState.PendingActivation", **block)
    env.clock.advance((offer["StartDate"] - env.clock.now()).total_seconds() + 1)
    [inst] = launch(ec2, **block)
    assert inst["InstanceLifecycle"] == "capacity-block"
    assert instance(ec2, inst["InstanceId"])["CapacityReservationId"] == reservation_id
