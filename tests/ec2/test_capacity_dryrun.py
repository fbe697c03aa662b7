"""DryRun on the capacity families' mutating operations: checked, answered, nothing changed."""

from __future__ import annotations

import datetime as dt

from tests.ec2.ec2_helpers import assert_error

ZONE = "eu-west-1a"
OTHER = "111122223333"


def dry(call, **kw):
    assert_error(call, "DryRunOperation", 412, DryRun=True, **kw)


def reservation(ec2, count=4, **kw):
    return ec2.create_capacity_reservation(
        InstanceType="m5.large",
        InstancePlatform="Linux/UNIX",
        AvailabilityZone=ZONE,
        InstanceCount=count,
        **kw,
    )["CapacityReservation"]["CapacityReservationId"]


def state_of(ec2, rid):
    return ec2.describe_capacity_reservations(CapacityReservationIds=[rid])["CapacityReservations"][
        0
    ]


def test_billing_and_quotes(env, ec2):
    other = env.client("ec2", aws_access_key_id=OTHER, aws_secret_access_key="testing")
    rid = reservation(ec2)
    ec2.associate_capacity_reservation_billing_owner(
        CapacityReservationId=rid, UnusedReservationBillingOwnerId=OTHER
    )
    dry(other.accept_capacity_reservation_billing_ownership, CapacityReservationId=rid)
    dry(other.reject_capacity_reservation_billing_ownership, CapacityReservationId=rid)
    dry(
        ec2.disassociate_capacity_reservation_billing_owner,
        CapacityReservationId=rid,
        UnusedReservationBillingOwnerId=OTHER,
    )
    requests = ec2.describe_capacity_reservation_billing_requests(Role="odcr-owner")[
        "CapacityReservationBillingRequests"
    ]
    assert [r["Status"] for r in requests] == ["pending"]
    dry(ec2.create_capacity_reservation_cancellation_quote, CapacityReservationId=rid)
    assert (
        ec2.describe_capacity_reservation_cancellation_quotes()[
            "CapacityReservationCancellationQuotes"
        ]
        == []
    )
    future = ec2.create_capacity_reservation(
        InstanceType="m5.xlarge",
        InstancePlatform="Linux/UNIX",
        AvailabilityZone=ZONE,
        InstanceCount=8,
        StartDate=env.clock.now() + dt.timedelta(days=10),
        CommitmentDuration=14 * 86400,
        DeliveryPreference="incremental",
    )["CapacityReservation"]["CapacityReservationId"]
    dry(
        ec2.create_capacity_reservation_date_change_quote,
        CapacityReservationId=future,
        NewStartDate=env.clock.now() + dt.timedelta(days=20),
    )
    assert (
        ec2.describe_capacity_reservation_date_change_quotes()[
            "CapacityReservationModificationQuotes"
        ]
        == []
    )


def test_fleets_blocks_and_allocations(env, ec2):
    fleet_id = ec2.create_capacity_reservation_fleet(
        TotalTargetCapacity=2,
        InstanceTypeSpecifications=[
            {"InstanceType": "c5.large", "InstancePlatform": "Linux/UNIX", "AvailabilityZone": ZONE}
        ],
    )["CapacityReservationFleetId"]
    dry(
        ec2.modify_capacity_reservation_fleet,
        CapacityReservationFleetId=fleet_id,
        TotalTargetCapacity=5,
    )
    assert (
        ec2.describe_capacity_reservation_fleets()["CapacityReservationFleets"][0][
            "TotalTargetCapacity"
        ]
        == 2
    )

    offering = ec2.describe_capacity_block_offerings(
        InstanceType="p4d.24xlarge", InstanceCount=1, CapacityDurationHours=24
    )["CapacityBlockOfferings"][0]
    cr = ec2.purchase_capacity_block(
        CapacityBlockOfferingId=offering["CapacityBlockOfferingId"], InstancePlatform="Linux/UNIX"
    )["CapacityReservation"]["CapacityReservationId"]
    extension = ec2.describe_capacity_block_extension_offerings(
        CapacityReservationId=cr, CapacityBlockExtensionDurationHours=24
    )["CapacityBlockExtensionOfferings"][0]
    dry(
        ec2.purchase_capacity_block_extension,
        CapacityReservationId=cr,
        CapacityBlockExtensionOfferingId=extension["CapacityBlockExtensionOfferingId"],
    )
    assert ec2.describe_capacity_block_extension_history()["CapacityBlockExtensions"] == []

    source = reservation(ec2)
    dry(
        ec2.create_interruptible_capacity_reservation_allocation,
        CapacityReservationId=source,
        InstanceCount=1,
    )
    assert "InterruptibleCapacityAllocation" not in state_of(ec2, source)
    ec2.create_interruptible_capacity_reservation_allocation(
        CapacityReservationId=source, InstanceCount=1
    )
    dry(
        ec2.update_interruptible_capacity_reservation_allocation,
        CapacityReservationId=source,
        TargetInstanceCount=2,
    )
    assert state_of(ec2, source)["InterruptibleCapacityAllocation"]["TargetInstanceCount"] == 1


def test_capacity_manager(ec2):
    ec2.enable_capacity_manager()
    dry(ec2.update_capacity_manager_organizations_access, OrganizationsAccess=True)
    dry(
        ec2.create_capacity_manager_data_export,
        S3BucketName="b",
        Schedule="hourly",
        OutputFormat="csv",
    )
    dry(ec2.update_capacity_manager_monitored_tag_keys, ActivateTagKeys=["team"])
    dry(ec2.disable_capacity_manager)
    attributes = ec2.get_capacity_manager_attributes()
    assert attributes["CapacityManagerStatus"] == "enabled"
    assert attributes["OrganizationsAccess"] is False
    assert attributes["DataExportCount"] == 0
    assert ec2.get_capacity_manager_monitored_tag_keys()["CapacityManagerTagKeys"] == []
