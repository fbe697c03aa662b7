"""Dedicated Hosts and Host Reservations through boto3."""

from __future__ import annotations

import re

from tests.ec2.ec2_helpers import ID17, assert_error, launch_ids

ZONE = "eu-west-1a"


def allocate(ec2, **kw):
    if "AvailabilityZoneId" not in kw:
        kw.setdefault("AvailabilityZone", ZONE)
    if "InstanceFamily" not in kw:
        kw.setdefault("InstanceType", "m5.large")
    return ec2.allocate_hosts(**kw)["HostIds"]


def host(ec2, host_id):
    return ec2.describe_hosts(HostIds=[host_id])["Hosts"][0]


def on_host(ec2, count=1, instance_type="m5.large", zone=ZONE):
    return launch_ids(
        ec2,
        count,
        InstanceType=instance_type,
        Placement={"AvailabilityZone": zone, "Tenancy": "host"},
    )


def test_allocate_and_describe(ec2):
    ids = allocate(
        ec2,
        Quantity=2,
        AutoPlacement="on",
        HostRecovery="on",
        HostMaintenance="off",
        CpuOptions={"AmdSevSnp": "disabled"},
        TagSpecifications=[
            {"ResourceType": "dedicated-host", "Tags": [{"Key": "k", "Value": "v"}]}
        ],
    )
    assert len(ids) == 2 and all(re.fullmatch(rf"h-{ID17}", i) for i in ids)
    shown = host(ec2, ids[0])
    assert shown["State"] == "available"
    assert shown["AvailabilityZone"] == ZONE and shown["AvailabilityZoneId"] == "euw1-az1"
    assert shown["AutoPlacement"] == "on"
    assert shown["HostRecovery"] == "on"
    assert shown["HostMaintenance"] == "off"
    assert shown["AllowsMultipleInstanceTypes"] == "off"
    assert shown["HostProperties"] == {
        "Cores": 48,
        "Sockets": 2,
        "TotalVCpus": 96,
        "InstanceType": "m5.large",
    }
    assert shown["AvailableCapacity"] == {
        "AvailableInstanceCapacity": [
            {"AvailableCapacity": 48, "InstanceType": "m5.large", "TotalCapacity": 48}
        ],
        "AvailableVCpus": 96,
    }
    assert shown["Instances"] == []
    assert shown["Tags"] == [{"Key": "k", "Value": "v"}]
    assert shown["CpuOptions"] == {"AmdSevSnp": "disabled"}

    family_host = allocate(ec2, InstanceFamily="c5", AvailabilityZoneId="euw1-az2")[0]
    shown = host(ec2, family_host)
    assert shown["AllowsMultipleInstanceTypes"] == "on"
    assert shown["HostProperties"]["InstanceFamily"] == "c5"
    assert shown["AutoPlacement"] == "off"
    assert shown["AvailabilityZone"] == "eu-west-1b"

    def ids_of(*filters):
        return [
            h["HostId"]
            for h in ec2.describe_hosts(Filter=[{"Name": n, "Values": v} for n, v in filters])[
                "Hosts"
            ]
        ]

    assert ids_of(("auto-placement", ["on"])) == ids
    assert ids_of(("availability-zone", ["eu-west-1b"])) == [family_host]
    assert ids_of(("instance-type", ["m5.large"])) == ids
    assert ids_of(("state", ["available"]), ("tag-key", ["k"])) == ids
    assert ids_of(("tag:k", ["v"])) == ids
    page = ec2.describe_hosts(MaxResults=5)
    assert len(page["Hosts"]) == 3 and "NextToken" not in page
    assert_error(ec2.describe_hosts, "InvalidHostID.NotFound", HostIds=["h-0123456789abcdef0"])
    assert_error(ec2.describe_hosts, "InvalidHostID.Malformed", HostIds=["h-zz"])


def test_allocate_errors(ec2):
    call = ec2.allocate_hosts
    assert_error(
        call,
        "InvalidParameterCombination",
        InstanceType="m5.large",
        InstanceFamily="m5",
        AvailabilityZone=ZONE,
    )
    assert_error(call, "MissingParameter", AvailabilityZone=ZONE)
    assert_error(
        call, "InvalidQuantity", InstanceType="m5.large", AvailabilityZone=ZONE, Quantity=0
    )
    assert_error(
        call,
        "InvalidParameterValue",
        InstanceType="m5.large",
        AvailabilityZone=ZONE,
        AutoPlacement="maybe",
    )
    assert_error(call, "InvalidParameterValue", InstanceType="m5.large", AvailabilityZone="mars-1a")
    assert_error(
        call, "InvalidParameterValue", message="t3", InstanceType="t3.micro", AvailabilityZone=ZONE
    )
    assert ec2.describe_hosts()["Hosts"] == []
    first = allocate(ec2, ClientToken="tok")
    assert allocate(ec2, ClientToken="tok") == first
    assert len(ec2.describe_hosts()["Hosts"]) == 1


def test_auto_placement_capacity_and_release(ec2):
    (host_id,) = allocate(ec2, InstanceType="m5.12xlarge", AutoPlacement="on")
    # no host for other types, or in other zones
    assert_error(
        ec2.run_instances,
        "UnavailableHostRequirements",
        ImageId="ami-0abcdef1234567890",
        MinCount=1,
        MaxCount=1,
        InstanceType="m5.large",
        Placement={"AvailabilityZone": ZONE, "Tenancy": "host"},
    )
    first = on_host(ec2, 1, "m5.12xlarge")
    second = on_host(ec2, 1, "m5.12xlarge")
    shown = host(ec2, host_id)
    assert {i["InstanceId"] for i in shown["Instances"]} == set(first + second)
    assert shown["AvailableCapacity"]["AvailableInstanceCapacity"][0]["AvailableCapacity"] == 0
    assert shown["AvailableCapacity"]["AvailableVCpus"] == 96 - 2 * 48
    # the host is full
    assert_error(
        ec2.run_instances,
        "UnavailableHostRequirements",
        ImageId="ami-0abcdef1234567890",
        MinCount=1,
        MaxCount=1,
        InstanceType="m5.12xlarge",
        Placement={"AvailabilityZone": ZONE, "Tenancy": "host"},
    )
    released = ec2.release_hosts(HostIds=[host_id, "h-0123456789abcdef0"])
    assert released["Successful"] == []
    codes = {u["ResourceId"]: u["Error"]["Code"] for u in released["Unsuccessful"]}
    assert codes == {host_id: "InvalidHostState", "h-0123456789abcdef0": "InvalidHostID.NotFound"}

    ec2.terminate_instances(InstanceIds=first)
    shown = host(ec2, host_id)
    assert [i["InstanceId"] for i in shown["Instances"]] == second
    third = on_host(ec2, 1, "m5.12xlarge")  # the freed slot is used again
    ec2.stop_instances(InstanceIds=second + third)
    assert host(ec2, host_id)["Instances"] == []
    assert ec2.release_hosts(HostIds=[host_id])["Successful"] == [host_id]
    shown = host(ec2, host_id)
    assert shown["State"] == "released"
    assert "ReleaseTime" in shown


def test_family_host_mixes_sizes(ec2):
    (host_id,) = allocate(ec2, InstanceFamily="r5", AutoPlacement="on")
    on_host(ec2, 1, "r5.12xlarge")
    on_host(ec2, 2, "r5.4xlarge")
    shown = host(ec2, host_id)
    capacity = {
        c["InstanceType"]: c["AvailableCapacity"]
        for c in shown["AvailableCapacity"]["AvailableInstanceCapacity"]
    }
    # 192 units: 96 + 2 x 32 used, 32 left
    assert capacity["r5.large"] == 8
    assert capacity["r5.4xlarge"] == 1
    assert capacity["r5.8xlarge"] == 0
    assert shown["AvailableCapacity"]["AvailableVCpus"] == 96 - 48 - 32
    assert_error(
        ec2.run_instances,
        "UnavailableHostRequirements",
        ImageId="ami-0abcdef1234567890",
        MinCount=1,
        MaxCount=1,
        InstanceType="r5.8xlarge",
        Placement={"AvailabilityZone": ZONE, "Tenancy": "host"},
    )


def test_modify_hosts(ec2):
    (host_id,) = allocate(ec2)
    result = ec2.modify_hosts(HostIds=[host_id], AutoPlacement="on", HostRecovery="on")
    assert result["Successful"] == [host_id]
    shown = host(ec2, host_id)
    assert (shown["AutoPlacement"], shown["HostRecovery"]) == ("on", "on")
    ec2.modify_hosts(HostIds=[host_id], InstanceFamily="m5")
    assert host(ec2, host_id)["AllowsMultipleInstanceTypes"] == "on"
    on_host(ec2, 1, "m5.xlarge")
    busy = ec2.modify_hosts(HostIds=[host_id], InstanceType="m5.large")
    assert busy["Successful"] == []
    assert busy["Unsuccessful"][0]["Error"]["Code"] == "InvalidHostState"
    assert_error(ec2.modify_hosts, "MissingParameter", HostIds=[host_id])
    assert_error(
        ec2.modify_hosts, "InvalidParameterValue", HostIds=[host_id], AutoPlacement="sometimes"
    )


def test_mac_hosts(ec2):
    (mac,) = allocate(ec2, InstanceType="mac2.metal")
    allocate(ec2)
    shown = ec2.describe_mac_hosts()["MacHosts"]
    assert [m["HostId"] for m in shown] == [mac]
    assert shown[0]["MacOSLatestSupportedVersions"][0].startswith("15")
    assert (
        ec2.describe_mac_hosts(Filters=[{"Name": "availability-zone", "Values": ["eu-west-1c"]}])[
            "MacHosts"
        ]
        == []
    )
    assert host(ec2, mac)["AvailableCapacity"]["AvailableInstanceCapacity"][0]["TotalCapacity"] == 1


def test_host_reservations(env, ec2):
    offerings = ec2.describe_host_reservation_offerings(
        Filter=[
            {"Name": "instance-family", "Values": ["m5"]},
            {"Name": "payment-option", "Values": ["PartialUpfront"]},
        ]
    )["OfferingSet"]
    assert {o["Duration"] for o in offerings} == {31536000, 94608000}
    one_year = next(o for o in offerings if o["Duration"] == 31536000)
    assert float(one_year["UpfrontPrice"]) > 0 and float(one_year["HourlyPrice"]) > 0
    again = ec2.describe_host_reservation_offerings(OfferingId=one_year["OfferingId"])
    assert again["OfferingSet"] == [one_year]
    assert len(
        ec2.describe_host_reservation_offerings(MaxDuration=31536000, MaxResults=500)["OfferingSet"]
    ) == len(
        ec2.describe_host_reservation_offerings(MinDuration=94608000, MaxResults=500)["OfferingSet"]
    )

    hosts = allocate(ec2, Quantity=2)
    other = allocate(ec2, InstanceType="c5.large")
    preview = ec2.get_host_reservation_purchase_preview(
        HostIdSet=hosts, OfferingId=one_year["OfferingId"]
    )
    assert float(preview["TotalUpfrontPrice"]) == round(2 * float(one_year["UpfrontPrice"]), 3)
    assert_error(
        ec2.purchase_host_reservation,
        "InvalidInstanceFamily",
        HostIdSet=other,
        OfferingId=one_year["OfferingId"],
    )
    assert_error(
        ec2.purchase_host_reservation,
        "InvalidParameterValue",
        message="LimitPrice",
        HostIdSet=hosts,
        OfferingId=one_year["OfferingId"],
        LimitPrice="1.00",
    )
    assert_error(
        ec2.purchase_host_reservation,
        "InvalidHostReservationOfferingId.Malformed",
        HostIdSet=hosts,
        OfferingId="nope",
    )
    bought = ec2.purchase_host_reservation(
        HostIdSet=hosts,
        OfferingId=one_year["OfferingId"],
        ClientToken="buy-1",
        TagSpecifications=[
            {"ResourceType": "host-reservation", "Tags": [{"Key": "cost", "Value": "center"}]}
        ],
    )
    reservation_id = bought["Purchase"][0]["HostReservationId"]
    again = ec2.purchase_host_reservation(
        HostIdSet=hosts, OfferingId=one_year["OfferingId"], ClientToken="buy-1"
    )
    assert again["Purchase"][0]["HostReservationId"] == reservation_id
    assert_error(
        ec2.purchase_host_reservation,
        "IdempotentParameterMismatch",
        HostIdSet=hosts[:1],
        OfferingId=one_year["OfferingId"],
        ClientToken="buy-1",
    )
    assert reservation_id.startswith("hr-")
    assert bought["TotalUpfrontPrice"] == preview["TotalUpfrontPrice"]
    assert host(ec2, hosts[0])["HostReservationId"] == reservation_id
    assert (
        ec2.describe_hosts(Filter=[{"Name": "host-reservation-id", "Values": [reservation_id]}])[
            "Hosts"
        ][1]["HostId"]
        == hosts[1]
    )
    assert_error(
        ec2.purchase_host_reservation,
        "HostAlreadyCoveredByReservation",
        HostIdSet=hosts[:1],
        OfferingId=one_year["OfferingId"],
    )
    shown = ec2.describe_host_reservations(HostReservationIdSet=[reservation_id])[
        "HostReservationSet"
    ][0]
    assert shown["State"] == "active"
    assert shown["Count"] == 2
    assert shown["InstanceFamily"] == "m5"
    assert shown["Tags"] == [{"Key": "cost", "Value": "center"}]
    assert (
        ec2.describe_host_reservations(Filter=[{"Name": "tag:cost", "Values": ["center"]}])[
            "HostReservationSet"
        ][0]["HostReservationId"]
        == reservation_id
    )
    env.clock.advance(31536000 + 1)
    shown = ec2.describe_host_reservations(Filter=[{"Name": "state", "Values": ["retired"]}])[
        "HostReservationSet"
    ]
    assert [r["HostReservationId"] for r in shown] == [reservation_id]
    assert "HostReservationId" not in host(ec2, hosts[0])
