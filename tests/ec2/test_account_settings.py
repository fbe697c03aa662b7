"""Account-level settings: id formats, serial console, managed resource visibility, zone groups."""

from __future__ import annotations

from ec2_helpers import assert_error


def test_id_formats_are_long_everywhere(ec2):
    statuses = ec2.describe_id_format()["Statuses"]
    resources = {s["Resource"] for s in statuses}
    assert {"instance", "vpc", "volume", "security-group", "reservation"} <= resources
    assert all(s["UseLongIds"] for s in statuses)
    assert ec2.describe_id_format(Resource="vpc")["Statuses"] == [
        {"Resource": "vpc", "UseLongIds": True}
    ]
    aggregate = ec2.describe_aggregate_id_format()
    assert aggregate["UseLongIdsAggregated"] is True
    assert {s["Resource"] for s in aggregate["Statuses"]} == resources
    assert_error(ec2.describe_id_format, "InvalidParameterValue", Resource="gadget")


def test_modify_id_format(ec2):
    ec2.modify_id_format(Resource="vpc", UseLongIds=True)
    ec2.modify_id_format(Resource="all-current", UseLongIds=True)
    assert_error(ec2.modify_id_format, "InvalidParameterValue", Resource="vpc", UseLongIds=False)
    assert_error(
        ec2.modify_id_format, "InvalidParameterValue", Resource="instance", UseLongIds=True
    )
    assert ec2.describe_id_format(Resource="vpc")["Statuses"][0]["UseLongIds"] is True


def test_identity_and_principal_id_formats(ec2):
    account = ec2.describe_vpcs()["Vpcs"][0]["OwnerId"]
    user = f"arn:aws:iam::{account}:user/alice"
    statuses = ec2.describe_identity_id_format(PrincipalArn=user, Resource="subnet")["Statuses"]
    assert statuses == [{"Resource": "subnet", "UseLongIds": True}]
    ec2.modify_identity_id_format(PrincipalArn=user, Resource="subnet", UseLongIds=True)
    assert_error(ec2.describe_identity_id_format, "InvalidParameterValue", PrincipalArn="alice")
    assert_error(
        ec2.modify_identity_id_format,
        "InvalidParameterValue",
        PrincipalArn=user,
        Resource="subnet",
        UseLongIds=False,
    )
    principals = ec2.describe_principal_id_format(Resources=["vpc"])["Principals"]
    assert [p["Arn"] for p in principals] == [f"arn:aws:iam::{account}:root", user]
    assert principals[0]["Statuses"] == [{"Resource": "vpc", "UseLongIds": True}]
    first = ec2.describe_principal_id_format(MaxResults=1)
    assert len(first["Principals"]) == 1 and first["NextToken"]
    rest = ec2.describe_principal_id_format(MaxResults=1, NextToken=first["NextToken"])
    assert [p["Arn"] for p in rest["Principals"]] == [user]
    assert ec2.get_paginator("describe_principal_id_format").paginate().build_full_result()


def test_serial_console_access(ec2):
    status = ec2.get_serial_console_access_status()
    assert status["SerialConsoleAccessEnabled"] is False
    assert status["ManagedBy"] == "account"
    assert_error(ec2.enable_serial_console_access, "DryRunOperation", 412, DryRun=True)
    assert ec2.get_serial_console_access_status()["SerialConsoleAccessEnabled"] is False
    assert ec2.enable_serial_console_access()["SerialConsoleAccessEnabled"] is True
    assert ec2.get_serial_console_access_status()["SerialConsoleAccessEnabled"] is True
    assert_error(ec2.disable_serial_console_access, "DryRunOperation", 412, DryRun=True)
    assert ec2.get_serial_console_access_status()["SerialConsoleAccessEnabled"] is True
    assert ec2.disable_serial_console_access()["SerialConsoleAccessEnabled"] is False
    assert ec2.get_serial_console_access_status()["SerialConsoleAccessEnabled"] is False


def test_managed_resource_visibility(ec2):
    assert ec2.get_managed_resource_visibility()["Visibility"]["DefaultVisibility"] == "hidden"
    changed = ec2.modify_managed_resource_visibility(DefaultVisibility="visible")
    assert changed["Visibility"]["DefaultVisibility"] == "visible"
    assert ec2.get_managed_resource_visibility()["Visibility"]["DefaultVisibility"] == "visible"
    assert_error(
        ec2.modify_managed_resource_visibility,
        "DryRunOperation",
        412,
        DryRun=True,
        DefaultVisibility="hidden",
    )
    assert ec2.get_managed_resource_visibility()["Visibility"]["DefaultVisibility"] == "visible"


def test_settings_are_per_region(env, ec2):
    ec2.enable_serial_console_access()
    other = env.client(region="us-east-1")
    assert other.get_serial_console_access_status()["SerialConsoleAccessEnabled"] is False


def test_local_zone_groups_opt_in(env):
    ec2 = env.client(region="us-west-2")
    default = ec2.describe_availability_zones()["AvailabilityZones"]
    assert {z["ZoneType"] for z in default} == {"availability-zone"}
    every = ec2.describe_availability_zones(AllAvailabilityZones=True)["AvailabilityZones"]
    local = [z for z in every if z["ZoneType"] == "local-zone"]
    assert {z["GroupName"] for z in local} >= {"us-west-2-lax-1"}
    lax = next(z for z in local if z["GroupName"] == "us-west-2-lax-1")
    assert lax["OptInStatus"] == "not-opted-in"
    assert lax["NetworkBorderGroup"] == "us-west-2-lax-1"
    assert lax["ParentZoneName"].startswith("us-west-2")
    assert any(z["ZoneType"] == "wavelength-zone" for z in every)

    assert_error(
        ec2.modify_availability_zone_group,
        "DryRunOperation",
        412,
        DryRun=True,
        GroupName="us-west-2-lax-1",
        OptInStatus="opted-in",
    )
    assert ec2.modify_availability_zone_group(GroupName="us-west-2-lax-1", OptInStatus="opted-in")[
        "Return"
    ]
    now = ec2.describe_availability_zones()["AvailabilityZones"]
    assert [z["ZoneName"] for z in now if z["ZoneType"] == "local-zone"] == [lax["ZoneName"]]
    opted = ec2.describe_availability_zones(
        Filters=[{"Name": "opt-in-status", "Values": ["opted-in"]}]
    )["AvailabilityZones"]
    assert [z["ZoneName"] for z in opted] == [lax["ZoneName"]]
    ec2.modify_availability_zone_group(GroupName="us-west-2-lax-1", OptInStatus="not-opted-in")
    assert len(ec2.describe_availability_zones()["AvailabilityZones"]) == len(default)


def test_zone_group_errors(env):
    ec2 = env.client(region="us-west-2")
    assert_error(
        ec2.modify_availability_zone_group,
        "InvalidOptInStatus",
        GroupName="us-west-2-zg-1",
        OptInStatus="not-opted-in",
    )
    assert_error(
        ec2.modify_availability_zone_group,
        "InvalidParameterValue",
        GroupName="us-west-2-nowhere-1",
        OptInStatus="opted-in",
    )
