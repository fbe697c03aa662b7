"""The joins between instances and the other compute families, as boto3 sees them:
spot requests, capacity reservations, dedicated hosts, placement groups, launch
templates, key pairs, and the image an instance runs."""

from __future__ import annotations

import base64

from ec2_helpers import assert_error, assert_launch_error, instance, instances, launch

FAST = {"Delay": 0, "MaxAttempts": 5}
AL2023 = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"


def _ids(ec2, name, value):
    found = instances(ec2, Filters=[{"Name": name, "Values": [value]}])
    return [i["InstanceId"] for i in found]


def _windows_ami(ec2):
    [image, *_] = ec2.describe_images(
        Owners=["amazon"],
        Filters=[{"Name": "name", "Values": ["Windows_Server-2022-English-Full-Base-*"]}],
    )["Images"]
    return image


def _reservation(ec2, reservation_id):
    [found] = ec2.describe_capacity_reservations(CapacityReservationIds=[reservation_id])[
        "CapacityReservations"
    ]
    return found


# -- spot


def test_spot_market_launch_makes_its_request(ec2):
    [inst] = launch(ec2, InstanceType="m5.large", InstanceMarketOptions={"MarketType": "spot"})
    instance_id = inst["InstanceId"]
    shown = instance(ec2, instance_id)
    assert shown["InstanceLifecycle"] == "spot"
    request_id = shown["SpotInstanceRequestId"]
    assert request_id.startswith("sir-")
    [request] = ec2.describe_spot_instance_requests(SpotInstanceRequestIds=[request_id])[
        "SpotInstanceRequests"
    ]
    assert request["InstanceId"] == instance_id
    assert request["Type"] == "one-time"
    assert (request["State"], request["Status"]["Code"]) == ("active", "fulfilled")
    assert _ids(ec2, "spot-instance-request-id", request_id) == [instance_id]
    assert _ids(ec2, "instance-lifecycle", "spot") == [instance_id]
    # an instance of a one-time request cannot be stopped
    ec2.get_waiter("instance_running").wait(InstanceIds=[instance_id], WaiterConfig=FAST)
    assert_error(
        ec2.stop_instances, "UnsupportedOperation", message="one-time", InstanceIds=[instance_id]
    )


def test_persistent_spot_market_launch_can_stop(ec2):
    [inst] = launch(
        ec2,
        InstanceType="m5.large",
        InstanceMarketOptions={
            "MarketType": "spot",
            "SpotOptions": {
                "SpotInstanceType": "persistent",
                "InstanceInterruptionBehavior": "stop",
            },
        },
    )
    instance_id = inst["InstanceId"]
    request_id = instance(ec2, instance_id)["SpotInstanceRequestId"]
    [request] = ec2.describe_spot_instance_requests(SpotInstanceRequestIds=[request_id])[
        "SpotInstanceRequests"
    ]
    assert (request["Type"], request["InstanceInterruptionBehavior"]) == ("persistent", "stop")
    ec2.get_waiter("instance_running").wait(InstanceIds=[instance_id], WaiterConfig=FAST)
    ec2.stop_instances(InstanceIds=[instance_id])
    ec2.get_waiter("instance_stopped").wait(InstanceIds=[instance_id], WaiterConfig=FAST)


# -- capacity reservations


def test_targeted_reservation_takes_launches_until_full(ec2):
    reservation_id = ec2.create_capacity_reservation(
        InstanceType="m5.large",
        InstancePlatform="Linux/UNIX",
        AvailabilityZone="eu-west-1b",
        InstanceCount=2,
        InstanceMatchCriteria="targeted",
    )["CapacityReservation"]["CapacityReservationId"]
    target = {"CapacityReservationTarget": {"CapacityReservationId": reservation_id}}
    [first] = launch(ec2, InstanceType="m5.large", CapacityReservationSpecification=target)
    assert _reservation(ec2, reservation_id)["AvailableInstanceCount"] == 1
    shown = instance(ec2, first["InstanceId"])
    assert shown["CapacityReservationId"] == reservation_id
    assert shown["Placement"]["AvailabilityZone"] == "eu-west-1b"
    # two more than the one left: refused whole
    assert_launch_error(
        ec2,
        "ReservationCapacityExceeded",
        MaxCount=2,
        InstanceType="m5.large",
        CapacityReservationSpecification=target,
    )
    launch(ec2, InstanceType="m5.large", CapacityReservationSpecification=target)
    assert _reservation(ec2, reservation_id)["AvailableInstanceCount"] == 0
    assert_launch_error(
        ec2,
        "ReservationCapacityExceeded",
        InstanceType="m5.large",
        CapacityReservationSpecification=target,
    )
    # the wrong type for the reservation
    assert_launch_error(
        ec2,
        "InvalidParameterValue",
        InstanceType="c5.large",
        CapacityReservationSpecification=target,
    )
    # terminating gives the room back
    ec2.terminate_instances(InstanceIds=[first["InstanceId"]])
    assert _reservation(ec2, reservation_id)["AvailableInstanceCount"] == 1


def test_open_reservation_and_preference_none(ec2):
    reservation_id = ec2.create_capacity_reservation(
        InstanceType="m5.large",
        InstancePlatform="Linux/UNIX",
        AvailabilityZone="eu-west-1a",
        InstanceCount=1,
    )["CapacityReservation"]["CapacityReservationId"]
    subnet_a = ec2.describe_subnets(
        Filters=[
            {"Name": "default-for-az", "Values": ["true"]},
            {"Name": "availability-zone", "Values": ["eu-west-1a"]},
        ]
    )["Subnets"][0]["SubnetId"]
    [outside] = launch(
        ec2,
        InstanceType="m5.large",
        SubnetId=subnet_a,
        CapacityReservationSpecification={"CapacityReservationPreference": "none"},
    )
    assert "CapacityReservationId" not in instance(ec2, outside["InstanceId"])
    assert _reservation(ec2, reservation_id)["AvailableInstanceCount"] == 1
    [inside] = launch(ec2, InstanceType="m5.large", SubnetId=subnet_a)
    shown = instance(ec2, inside["InstanceId"])
    assert shown["CapacityReservationId"] == reservation_id
    assert shown["CapacityReservationSpecification"] == {"CapacityReservationPreference": "open"}
    assert _reservation(ec2, reservation_id)["AvailableInstanceCount"] == 0
    assert _ids(ec2, "capacity-reservation-id", reservation_id) == [inside["InstanceId"]]
    # cancelled, the reservation no longer holds the instance
    ec2.cancel_capacity_reservation(CapacityReservationId=reservation_id)
    assert "CapacityReservationId" not in instance(ec2, inside["InstanceId"])


def test_placement_group_named_by_a_reservation_cannot_be_deleted(ec2):
    group = ec2.create_placement_group(GroupName="hpc", Strategy="cluster")["PlacementGroup"]
    ec2.create_placement_group(GroupName="wide", Strategy="spread")
    arn = group["GroupArn"]
    made = dict(
        InstanceType="m5.large",
        InstancePlatform="Linux/UNIX",
        AvailabilityZone="eu-west-1a",
        InstanceCount=1,
        InstanceMatchCriteria="targeted",
    )
    assert_error(
        ec2.create_capacity_reservation,
        "InvalidPlacementGroup.Unknown",
        PlacementGroupArn=arn.replace("/hpc", "/nope"),
        **made,
    )
    assert_error(
        ec2.create_capacity_reservation,
        "InvalidParameterValue",
        PlacementGroupArn=arn.replace("/hpc", "/wide"),
        **made,
    )
    reservation_id = ec2.create_capacity_reservation(PlacementGroupArn=arn, **made)[
        "CapacityReservation"
    ]["CapacityReservationId"]
    assert_error(ec2.delete_placement_group, "InvalidPlacementGroup.InUse", GroupName="hpc")
    ec2.cancel_capacity_reservation(CapacityReservationId=reservation_id)
    ec2.delete_placement_group(GroupName="hpc")


# -- dedicated hosts


def test_launch_on_a_host(ec2):
    [host_id] = ec2.allocate_hosts(
        InstanceType="m5.large", AvailabilityZone="eu-west-1c", Quantity=1
    )["HostIds"]
    [inst] = launch(ec2, InstanceType="m5.large", Placement={"HostId": host_id})
    instance_id = inst["InstanceId"]
    placement = instance(ec2, instance_id)["Placement"]
    assert placement["HostId"] == host_id
    assert placement["AvailabilityZone"] == "eu-west-1c"
    assert _ids(ec2, "host-id", host_id) == [instance_id]

    def on_host():
        [host] = ec2.describe_hosts(HostIds=[host_id])["Hosts"]
        return [i["InstanceId"] for i in host["Instances"]]

    assert on_host() == [instance_id]
    ec2.terminate_instances(InstanceIds=[instance_id])
    ec2.get_waiter("instance_terminated").wait(InstanceIds=[instance_id], WaiterConfig=FAST)
    assert on_host() == []
    assert_launch_error(ec2, "InvalidHostID.NotFound", Placement={"HostId": "h-0123456789abcdef0"})


# -- placement groups


def test_spread_group_member_restarts_only_with_room(ec2):
    ec2.create_placement_group(GroupName="spread", Strategy="spread")
    subnet = ec2.describe_subnets(
        Filters=[
            {"Name": "default-for-az", "Values": ["true"]},
            {"Name": "availability-zone", "Values": ["eu-west-1a"]},
        ]
    )["Subnets"][0]["SubnetId"]
    where = {"InstanceType": "m5.large", "SubnetId": subnet, "Placement": {"GroupName": "spread"}}
    ids = [i["InstanceId"] for i in launch(ec2, 7, **where)]
    assert_launch_error(ec2, "InsufficientInstanceCapacity", **where)
    ec2.get_waiter("instance_running").wait(InstanceIds=ids, WaiterConfig=FAST)
    ec2.stop_instances(InstanceIds=[ids[0]])
    ec2.get_waiter("instance_stopped").wait(InstanceIds=[ids[0]], WaiterConfig=FAST)
    launch(ec2, **where)  # takes the stopped member's place
    assert_error(ec2.start_instances, "InsufficientInstanceCapacity", InstanceIds=[ids[0]])
    assert _ids(ec2, "placement-group-name", "spread").count(ids[0]) == 1


# -- launch templates


def test_template_data_goes_through_the_families_checks(ec2):
    def template(name, data):
        return ec2.create_launch_template(LaunchTemplateName=name, LaunchTemplateData=data)[
            "LaunchTemplate"
        ]["LaunchTemplateId"]

    def run(template_id):
        return ec2.run_instances(
            MinCount=1, MaxCount=1, LaunchTemplate={"LaunchTemplateId": template_id}
        )["Instances"]

    base = {"ImageId": "ami-0abcdef1234567890", "InstanceType": "m5.large"}
    no_key = template("no-key", {**base, "KeyName": "missing"})
    assert_error(run, "InvalidKeyPair.NotFound", template_id=no_key)
    ec2.create_key_pair(KeyName="mine")
    [keyed] = run(template("key", {**base, "KeyName": "mine"}))
    assert keyed["KeyName"] == "mine"

    no_group = template("no-group", {**base, "Placement": {"GroupName": "missing"}})
    assert_error(run, "InvalidPlacementGroup.Unknown", template_id=no_group)
    ec2.create_placement_group(GroupName="parts", Strategy="partition", PartitionCount=2)
    [grouped] = run(template("group", {**base, "Placement": {"GroupName": "parts"}}))
    assert grouped["Placement"]["GroupName"] == "parts"
    assert grouped["Placement"]["PartitionNumber"] == 1

    from_ssm = template("ssm", {"ImageId": f"resolve:ssm:{AL2023}", "InstanceType": "m5.large"})
    [resolved] = run(from_ssm)
    parameter = ec2_ssm_value(ec2, AL2023)
    assert resolved["ImageId"] == parameter
    # the image decides the root device
    [image] = ec2.describe_images(ImageIds=[parameter])["Images"]
    assert instance(ec2, resolved["InstanceId"])["RootDeviceName"] == image["RootDeviceName"]
    bad_ssm = template("bad-ssm", {"ImageId": "resolve:ssm:/no/such/parameter"})
    assert_error(run, "InvalidParameterValue", template_id=bad_ssm)


def ec2_ssm_value(ec2, name):
    # the parameter as DescribeImages' catalogue publishes it: its image's id
    found = ec2.describe_images(
        Owners=["amazon"], Filters=[{"Name": "name", "Values": ["al2023-ami-2023*-x86_64"]}]
    )["Images"]
    return max(found, key=lambda i: i["CreationDate"])["ImageId"]


# -- the image


def test_windows_image_launches_windows(env, ec2, ec2_options):
    ec2_options(status_delay=240)
    image = _windows_ami(ec2)
    [inst] = launch(ec2, ImageId=image["ImageId"], InstanceType="m5.large")
    instance_id = inst["InstanceId"]
    shown = instance(ec2, instance_id)
    assert shown["Platform"] == "windows"
    assert shown["PlatformDetails"] == "Windows"
    assert shown["UsageOperation"] == image["UsageOperation"] == "RunInstances:0002"
    assert shown["RootDeviceName"] == image["RootDeviceName"]
    root_size = image["BlockDeviceMappings"][0]["Ebs"]["VolumeSize"]
    [root] = shown["BlockDeviceMappings"]
    [volume] = ec2.describe_volumes(VolumeIds=[root["Ebs"]["VolumeId"]])["Volumes"]
    assert volume["Size"] == root_size
    assert _ids(ec2, "platform", "windows") == [instance_id]
    assert _ids(ec2, "platform-details", "Windows") == [instance_id]
    assert _ids(ec2, "usage-operation", "RunInstances:0002") == [instance_id]
    [linux] = launch(ec2, InstanceType="m5.large")
    assert "Platform" not in instance(ec2, linux["InstanceId"])
    # the password comes once Windows has booted and set it
    assert ec2.get_password_data(InstanceId=instance_id)["PasswordData"] == ""
    env.clock.advance(300)
    ec2.get_waiter("password_data_available").wait(InstanceId=instance_id, WaiterConfig=FAST)
    data = ec2.get_password_data(InstanceId=instance_id)["PasswordData"]
    assert len(base64.b64decode(data)) == 256
    assert ec2.get_password_data(InstanceId=linux["InstanceId"])["PasswordData"] == ""


def test_image_boot_mode_and_cpu_from_the_catalogue(ec2):
    [image] = [
        i
        for i in ec2.describe_images(
            Owners=["amazon"], Filters=[{"Name": "name", "Values": ["al2023-ami-2023*-x86_64"]}]
        )["Images"]
        if i.get("BootMode") == "uefi-preferred"
    ][:1]
    [inst] = launch(ec2, ImageId=image["ImageId"], InstanceType="m5.2xlarge")
    shown = instance(ec2, inst["InstanceId"])
    assert shown["BootMode"] == "uefi-preferred"
    assert shown["CurrentInstanceBootMode"] == "uefi"
    assert shown["RootDeviceName"] == image["RootDeviceName"] == "/dev/xvda"
    assert _ids(ec2, "boot-mode", "uefi-preferred") == [inst["InstanceId"]]
    assert _ids(ec2, "root-device-name", "/dev/xvda") == [inst["InstanceId"]]
    # DescribeInstanceTypes' defaults and valid core counts
    [info] = ec2.describe_instance_types(InstanceTypes=["m5.2xlarge"])["InstanceTypes"]
    vcpu = info["VCpuInfo"]
    assert shown["CpuOptions"] == {
        "CoreCount": vcpu["DefaultCores"],
        "ThreadsPerCore": vcpu["DefaultThreadsPerCore"],
    }
    bad = next(n for n in range(1, vcpu["DefaultCores"]) if n not in vcpu["ValidCores"])
    assert_launch_error(
        ec2, "InvalidParameterValue", InstanceType="m5.2xlarge", CpuOptions={"CoreCount": bad}
    )
    assert_launch_error(
        ec2,
        "InstanceCreditSpecification.NotSupported",
        InstanceType="m5.large",
        CreditSpecification={"CpuCredits": "unlimited"},
    )


def test_reservations_match_the_image_platform(ec2):
    windows = _windows_ami(ec2)["ImageId"]

    def reserve(platform, criteria):
        return ec2.create_capacity_reservation(
            InstanceType="m5.large",
            InstancePlatform=platform,
            AvailabilityZone="eu-west-1a",
            InstanceCount=1,
            InstanceMatchCriteria=criteria,
        )["CapacityReservation"]["CapacityReservationId"]

    linux_target = reserve("Linux/UNIX", "targeted")
    assert_launch_error(
        ec2,
        "InvalidParameterValue",
        message="platform",
        ImageId=windows,
        InstanceType="m5.large",
        CapacityReservationSpecification={
            "CapacityReservationTarget": {"CapacityReservationId": linux_target}
        },
    )
    linux_open = reserve("Linux/UNIX", "open")
    windows_open = reserve("Windows", "open")
    [inst] = launch(
        ec2, ImageId=windows, InstanceType="m5.large", Placement={"AvailabilityZone": "eu-west-1a"}
    )
    assert instance(ec2, inst["InstanceId"])["CapacityReservationId"] == windows_open
    assert _reservation(ec2, linux_open)["AvailableInstanceCount"] == 1


def test_launch_without_subnet_goes_where_the_type_is_offered(ec2):
    def default_subnet(zone):
        [subnet] = ec2.describe_subnets(
            Filters=[
                {"Name": "default-for-az", "Values": ["true"]},
                {"Name": "availability-zone", "Values": [zone]},
            ]
        )["Subnets"]
        return subnet["SubnetId"]

    offered = ec2.describe_instance_type_offerings(
        LocationType="availability-zone",
        Filters=[{"Name": "instance-type", "Values": ["p4d.24xlarge"]}],
    )["InstanceTypeOfferings"]
    zones = sorted(o["Location"] for o in offered)
    assert zones == ["eu-west-1a", "eu-west-1b"]
    # the default subnets left: eu-west-1c first, then eu-west-1a
    ec2.delete_subnet(SubnetId=default_subnet("eu-west-1a"))
    ec2.create_default_subnet(AvailabilityZone="eu-west-1a")
    ec2.delete_subnet(SubnetId=default_subnet("eu-west-1b"))
    [gpu] = launch(ec2, InstanceType="p4d.24xlarge")
    assert gpu["Placement"]["AvailabilityZone"] == "eu-west-1a"
    [small] = launch(ec2, InstanceType="m5.large")
    assert small["Placement"]["AvailabilityZone"] in ("eu-west-1a", "eu-west-1c")
    # a zone that does not offer the type, named: EC2's Unsupported
    assert_launch_error(
        ec2,
        "Unsupported",
        InstanceType="p4d.24xlarge",
        Placement={"AvailabilityZone": "eu-west-1c"},
    )


def test_host_tenancy_goes_to_a_host_with_room(ec2):
    [host_id] = ec2.allocate_hosts(
        InstanceType="m5.large", AvailabilityZone="eu-west-1c", Quantity=1, AutoPlacement="on"
    )["HostIds"]
    [inst] = launch(ec2, InstanceType="m5.large", Placement={"Tenancy": "host"})
    placement = instance(ec2, inst["InstanceId"])["Placement"]
    assert (placement["AvailabilityZone"], placement["HostId"]) == ("eu-west-1c", host_id)
