"""Capacity Reservation Fleets and Capacity Blocks through boto3."""

from __future__ import annotations

import datetime as dt
import re

from tests.ec2.ec2_helpers import ID17, assert_error

ZONE = "eu-west-1a"


def spec(instance_type, weight=1.0, priority=0, zone=ZONE):
    return {
        "InstanceType": instance_type,
        "InstancePlatform": "Linux/UNIX",
        "AvailabilityZone": zone,
        "Weight": weight,
        "Priority": priority,
    }


def fleet(ec2, fleet_id):
    return ec2.describe_capacity_reservation_fleets(CapacityReservationFleetIds=[fleet_id])[
        "CapacityReservationFleets"
    ][0]


def reservation(ec2, reservation_id):
    return ec2.describe_capacity_reservations(CapacityReservationIds=[reservation_id])[
        "CapacityReservations"
    ][0]


def test_fleet_fills_its_target_in_priority_order(ec2):
    created = ec2.create_capacity_reservation_fleet(
        TotalTargetCapacity=5,
        InstanceTypeSpecifications=[spec("m5.xlarge", 2, 1), spec("m5.large", 1, 2)],
        TagSpecifications=[
            {"ResourceType": "capacity-reservation-fleet", "Tags": [{"Key": "k", "Value": "v"}]}
        ],
    )
    fleet_id = created["CapacityReservationFleetId"]
    assert re.fullmatch(rf"crf-{ID17}", fleet_id)
    assert created["State"] == "submitted"
    assert created["TotalFulfilledCapacity"] == 5.0
    counts = {
        r["InstanceType"]: r["TotalInstanceCount"] for r in created["FleetCapacityReservations"]
    }
    assert counts == {"m5.xlarge": 2, "m5.large": 1}
    shown = fleet(ec2, fleet_id)
    assert shown["State"] == "active"
    assert shown["AllocationStrategy"] == "prioritized"
    assert shown["CapacityReservationFleetArn"].endswith(f":capacity-reservation-fleet/{fleet_id}")
    assert shown["Tags"] == [{"Key": "k", "Value": "v"}]
    # the fleet's reservations are ordinary, open ones carrying its id
    for entry in shown["InstanceTypeSpecifications"]:
        cr = reservation(ec2, entry["CapacityReservationId"])
        assert cr["CapacityReservationFleetId"] == fleet_id
        assert cr["InstanceMatchCriteria"] == "open"
        assert cr["State"] == "active"

    assert ec2.modify_capacity_reservation_fleet(
        CapacityReservationFleetId=fleet_id, TotalTargetCapacity=8
    )["Return"]
    shown = fleet(ec2, fleet_id)
    assert shown["TotalTargetCapacity"] == 8
    counts = {
        r["InstanceType"]: r["TotalInstanceCount"] for r in shown["InstanceTypeSpecifications"]
    }
    assert counts["m5.xlarge"] == 4
    assert shown["TotalFulfilledCapacity"] == 8.0
    filtered = ec2.describe_capacity_reservation_fleets(
        Filters=[{"Name": "state", "Values": ["active"]}]
    )["CapacityReservationFleets"]
    assert [f["CapacityReservationFleetId"] for f in filtered] == [fleet_id]

    assert_error(
        ec2.cancel_capacity_reservation_fleets,
        "DryRunOperation",
        412,
        CapacityReservationFleetIds=[fleet_id],
        DryRun=True,
    )
    missing = "crf-0123456789abcdef0"
    result = ec2.cancel_capacity_reservation_fleets(CapacityReservationFleetIds=[fleet_id, missing])
    assert result["SuccessfulFleetCancellations"] == [
        {
            "CapacityReservationFleetId": fleet_id,
            "CurrentFleetState": "cancelling",
            "PreviousFleetState": "active",
        }
    ]
    failure = result["FailedFleetCancellations"][0]
    assert failure["CapacityReservationFleetId"] == missing
    assert failure["CancelCapacityReservationFleetError"]["Code"] == (
        "InvalidCapacityReservationFleetId.NotFound"
    )
    shown = fleet(ec2, fleet_id)
    assert shown["State"] == "cancelled"
    assert shown["TotalFulfilledCapacity"] == 0.0
    for entry in shown["InstanceTypeSpecifications"]:
        assert reservation(ec2, entry["CapacityReservationId"])["State"] == "cancelled"
    assert_error(
        ec2.modify_capacity_reservation_fleet,
        "IncorrectState",
        CapacityReservationFleetId=fleet_id,
        TotalTargetCapacity=2,
    )


def test_fleet_end_date_and_errors(env, ec2):
    end = env.clock.now() + dt.timedelta(hours=5)
    fleet_id = ec2.create_capacity_reservation_fleet(
        TotalTargetCapacity=3, EndDate=end, InstanceTypeSpecifications=[spec("c5.large")]
    )["CapacityReservationFleetId"]
    cr_id = fleet(ec2, fleet_id)["InstanceTypeSpecifications"][0]["CapacityReservationId"]
    assert reservation(ec2, cr_id)["EndDateType"] == "limited"
    ec2.modify_capacity_reservation_fleet(CapacityReservationFleetId=fleet_id, RemoveEndDate=True)
    assert "EndDate" not in fleet(ec2, fleet_id)
    assert reservation(ec2, cr_id)["EndDateType"] == "unlimited"
    later = env.clock.now() + dt.timedelta(hours=1)
    assert_error(
        ec2.modify_capacity_reservation_fleet,
        "InvalidParameterCombination",
        CapacityReservationFleetId=fleet_id,
        EndDate=later,
        RemoveEndDate=True,
    )
    ec2.modify_capacity_reservation_fleet(CapacityReservationFleetId=fleet_id, EndDate=later)
    env.clock.advance(3601)
    assert fleet(ec2, fleet_id)["State"] == "expired"
    assert reservation(ec2, cr_id)["State"] == "expired"

    create = ec2.create_capacity_reservation_fleet
    assert_error(
        create,
        "InvalidParameterValue",
        TotalTargetCapacity=0,
        InstanceTypeSpecifications=[spec("c5.large")],
    )
    assert_error(
        create,
        "InvalidParameterValue",
        message="AllocationStrategy",
        TotalTargetCapacity=1,
        AllocationStrategy="lowest-price",
        InstanceTypeSpecifications=[spec("c5.large")],
    )
    assert_error(
        create,
        "InvalidParameterCombination",
        TotalTargetCapacity=1,
        InstanceTypeSpecifications=[spec("c5.large"), spec("c5.large")],
    )
    assert_error(
        create,
        "DryRunOperation",
        412,
        TotalTargetCapacity=1,
        DryRun=True,
        InstanceTypeSpecifications=[spec("c5.large")],
    )
    assert_error(
        ec2.modify_capacity_reservation_fleet,
        "IncorrectState",
        CapacityReservationFleetId=fleet_id,
        TotalTargetCapacity=4,
    )
    assert_error(
        ec2.describe_capacity_reservation_fleets,
        "InvalidCapacityReservationFleetId.NotFound",
        CapacityReservationFleetIds=["crf-0123456789abcdef0"],
    )
    assert len(ec2.describe_capacity_reservation_fleets()["CapacityReservationFleets"]) == 1


def test_capacity_block_offerings_purchase_and_lifecycle(env, ec2):
    offerings = ec2.describe_capacity_block_offerings(
        InstanceType="p5.48xlarge", InstanceCount=2, CapacityDurationHours=48
    )["CapacityBlockOfferings"]
    again = ec2.describe_capacity_block_offerings(
        InstanceType="p5.48xlarge", InstanceCount=2, CapacityDurationHours=48
    )["CapacityBlockOfferings"]
    assert offerings == again  # the same request sees the same offerings
    first = offerings[0]
    assert first["CapacityBlockOfferingId"].startswith("cbr-")
    assert first["StartDate"].astimezone(dt.timezone.utc).time() == dt.time(11, 30)
    assert first["EndDate"] - first["StartDate"] == dt.timedelta(hours=48)
    assert float(first["UpfrontFee"]) > 0 and first["CurrencyCode"] == "USD"
    everywhere = ec2.describe_capacity_block_offerings(
        InstanceType="p5.48xlarge",
        InstanceCount=2,
        CapacityDurationHours=48,
        AllAvailabilityZones=True,
    )["CapacityBlockOfferings"]
    assert len({o["AvailabilityZone"] for o in everywhere}) == 3

    assert_error(
        ec2.describe_capacity_block_offerings,
        "InvalidParameterValue",
        InstanceType="p5.48xlarge",
        InstanceCount=1,
        CapacityDurationHours=30,
    )
    assert_error(
        ec2.describe_capacity_block_offerings,
        "InvalidParameterValue",
        InstanceType="t3.micro",
        InstanceCount=1,
        CapacityDurationHours=24,
    )
    assert_error(
        ec2.purchase_capacity_block,
        "InvalidCapacityBlockOfferingIdNotFound",
        CapacityBlockOfferingId="cbr-0123456789abcdef0",
        InstancePlatform="Linux/UNIX",
    )
    assert_error(
        ec2.purchase_capacity_block,
        "InvalidCapacityBlockOfferingIdMalformed",
        CapacityBlockOfferingId="nope",
        InstancePlatform="Linux/UNIX",
    )
    assert_error(
        ec2.purchase_capacity_block,
        "DryRunOperation",
        412,
        DryRun=True,
        CapacityBlockOfferingId=first["CapacityBlockOfferingId"],
        InstancePlatform="Linux/UNIX",
    )

    bought = ec2.purchase_capacity_block(
        CapacityBlockOfferingId=first["CapacityBlockOfferingId"],
        InstancePlatform="Linux/UNIX",
        TagSpecifications=[
            {"ResourceType": "capacity-block", "Tags": [{"Key": "ml", "Value": "1"}]}
        ],
    )
    block = bought["CapacityBlocks"][0]
    block_id = block["CapacityBlockId"]
    cr = bought["CapacityReservation"]
    assert block["CapacityReservationIds"] == [cr["CapacityReservationId"]]
    assert cr["ReservationType"] == "capacity-block"
    assert cr["CapacityBlockId"] == block_id
    assert cr["State"] == "payment-pending"
    assert cr["InstanceMatchCriteria"] == "targeted"
    assert cr["TotalInstanceCount"] == 2
    # an offering is bought once
    assert_error(
        ec2.purchase_capacity_block,
        "InvalidCapacityBlockOfferingIdNotFound",
        CapacityBlockOfferingId=first["CapacityBlockOfferingId"],
        InstancePlatform="Linux/UNIX",
    )

    def state():
        return ec2.describe_capacity_blocks(CapacityBlockIds=[block_id])["CapacityBlocks"][0][
            "State"
        ]

    assert state() == "scheduled"
    assert (
        ec2.describe_capacity_blocks(Filters=[{"Name": "tags", "Values": ["ml=1"]}])[
            "CapacityBlocks"
        ][0]["CapacityBlockId"]
        == block_id
    )
    assert (
        ec2.describe_capacity_blocks(Filters=[{"Name": "state", "Values": ["active"]}])[
            "CapacityBlocks"
        ]
        == []
    )
    status = ec2.describe_capacity_block_status(CapacityBlockIds=[block_id])[
        "CapacityBlockStatuses"
    ][0]
    assert status["TotalCapacity"] == 2 and status["InterconnectStatus"] == "ok"
    # a scheduled block cannot be modified or cancelled like an ordinary reservation
    assert_error(
        ec2.cancel_capacity_reservation,
        "UnsupportedOperation",
        CapacityReservationId=cr["CapacityReservationId"],
    )

    wait = (first["StartDate"] - env.clock.now()).total_seconds() + 1
    env.clock.advance(wait)
    assert state() == "active"
    assert (
        ec2.describe_capacity_block_status(CapacityBlockIds=[block_id])["CapacityBlockStatuses"][0][
            "TotalAvailableCapacity"
        ]
        == 2
    )

    # extend it by a day
    extension_offer = ec2.describe_capacity_block_extension_offerings(
        CapacityReservationId=cr["CapacityReservationId"], CapacityBlockExtensionDurationHours=24
    )["CapacityBlockExtensionOfferings"][0]
    assert extension_offer["CapacityBlockExtensionStartDate"] == first["EndDate"]
    extended = ec2.purchase_capacity_block_extension(
        CapacityBlockExtensionOfferingId=extension_offer["CapacityBlockExtensionOfferingId"],
        CapacityReservationId=cr["CapacityReservationId"],
    )["CapacityBlockExtensions"][0]
    assert extended["CapacityBlockExtensionStatus"] == "payment-pending"
    history = ec2.describe_capacity_block_extension_history(
        CapacityReservationIds=[cr["CapacityReservationId"]]
    )["CapacityBlockExtensions"]
    assert history[0]["CapacityBlockExtensionStatus"] == "payment-succeeded"
    assert (
        ec2.describe_capacity_block_extension_history(
            Filters=[{"Name": "instance-type", "Values": ["p5.48xlarge"]}]
        )["CapacityBlockExtensions"]
        == history
    )
    new_end = extension_offer["CapacityBlockExtensionEndDate"]
    assert reservation(ec2, cr["CapacityReservationId"])["EndDate"] == new_end

    env.clock.advance(48 * 3600)
    assert state() == "active"  # the extension keeps it going
    env.clock.advance(24 * 3600)
    assert state() == "expired"
