"""Spot fleet requests and EC2 fleets: target capacity from launch specifications and templates."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from ec2_helpers import AMI, ID17, assert_error, instance, instances

ROLE = "arn:aws:iam::123456789012:role/aws-ec2-spot-fleet-tagging-role"
EPOCH = datetime(2000, 1, 1, tzinfo=timezone.utc)


def template(ec2, name="fleet-lt", **data):
    return ec2.create_launch_template(
        LaunchTemplateName=name,
        LaunchTemplateData={"ImageId": AMI, "InstanceType": "t3.micro", **data},
    )["LaunchTemplate"]["LaunchTemplateId"]


def tagged(ec2, key, value):
    return instances(
        ec2,
        Filters=[
            {"Name": f"tag:{key}", "Values": [value]},
            {"Name": "instance-state-name", "Values": ["pending", "running"]},
        ],
    )


# -- spot fleets


def spot_fleet(ec2, **config):
    config.setdefault("IamFleetRole", ROLE)
    config.setdefault("TargetCapacity", 2)
    if "LaunchTemplateConfigs" not in config:
        config.setdefault(
            "LaunchSpecifications",
            [
                {"ImageId": AMI, "InstanceType": "m5.large"},
                {"ImageId": AMI, "InstanceType": "c5.large", "WeightedCapacity": 2.0},
            ],
        )
    return ec2.request_spot_fleet(SpotFleetRequestConfig=config)["SpotFleetRequestId"]


def spot_fleet_of(ec2, fleet_id):
    return ec2.describe_spot_fleet_requests(SpotFleetRequestIds=[fleet_id])[
        "SpotFleetRequestConfigs"
    ][0]


def test_spot_fleet_is_fulfilled_and_maintained(env, ec2, ec2_options):
    ec2_options(transition_delay=5)
    fleet_id = spot_fleet(
        ec2,
        TargetCapacity=4,
        AllocationStrategy="diversified",
        InstanceInterruptionBehavior="hibernate",
        SpotPrice="0.5",
        TagSpecifications=[
            {"ResourceType": "spot-fleet-request", "Tags": [{"Key": "app", "Value": "x"}]}
        ],
    )
    assert re.fullmatch(rf"sfr-{ID17}", fleet_id)
    submitted = spot_fleet_of(ec2, fleet_id)
    assert submitted["SpotFleetRequestState"] == "submitted"
    assert submitted["ActivityStatus"] == "pending_fulfillment"
    assert submitted["Tags"] == [{"Key": "app", "Value": "x"}]
    assert submitted["SpotFleetRequestConfig"]["Type"] == "maintain"
    env.clock.advance(5)
    active = spot_fleet_of(ec2, fleet_id)
    assert active["SpotFleetRequestState"] == "active"
    assert active["ActivityStatus"] == "fulfilled"
    assert active["SpotFleetRequestConfig"]["FulfilledCapacity"] >= 4
    members = ec2.describe_spot_fleet_instances(SpotFleetRequestId=fleet_id)["ActiveInstances"]
    # diversified: both pools are used
    assert {m["InstanceType"] for m in members} == {"m5.large", "c5.large"}
    for member in members:
        assert member["SpotInstanceRequestId"].startswith("sir-")
        shown = instance(ec2, member["InstanceId"])
        assert {"Key": "aws:ec2spot:fleet-request-id", "Value": fleet_id} in shown["Tags"]
    # every spot instance has its request, fulfilled, on the fleet's terms
    requests = ec2.describe_spot_instance_requests(
        SpotInstanceRequestIds=[m["SpotInstanceRequestId"] for m in members]
    )["SpotInstanceRequests"]
    assert {r["Status"]["Code"] for r in requests} == {"fulfilled"}
    assert {r["InstanceInterruptionBehavior"] for r in requests} == {"hibernate"}
    assert {r["SpotPrice"] for r in requests} == {"0.5"}
    # a maintained fleet replaces a terminated instance
    lost = members[0]["InstanceId"]
    ec2.terminate_instances(InstanceIds=[lost])
    env.clock.advance(5)
    assert instance(ec2, lost)["State"]["Name"] == "terminated"
    env.clock.advance(5)
    after = ec2.describe_spot_fleet_instances(SpotFleetRequestId=fleet_id)["ActiveInstances"]
    assert lost not in {m["InstanceId"] for m in after}
    assert spot_fleet_of(ec2, fleet_id)["SpotFleetRequestConfig"]["FulfilledCapacity"] >= 4
    history = ec2.describe_spot_fleet_request_history(SpotFleetRequestId=fleet_id, StartTime=EPOCH)
    kinds = [
        (r["EventType"], r["EventInformation"]["EventSubType"]) for r in history["HistoryRecords"]
    ]
    assert kinds[:2] == [("fleetRequestChange", "submitted"), ("fleetRequestChange", "active")]
    assert ("instanceChange", "terminated") in kinds
    launched = ec2.describe_spot_fleet_request_history(
        SpotFleetRequestId=fleet_id, StartTime=EPOCH, EventType="instanceChange"
    )["HistoryRecords"]
    assert lost in {r["EventInformation"].get("InstanceId") for r in launched}


def test_modify_and_cancel_spot_fleet(env, ec2):
    fleet_id = spot_fleet(
        ec2,
        TargetCapacity=2,
        LaunchSpecifications=[{"ImageId": AMI, "InstanceType": "m5.large"}],
    )
    assert (
        len(ec2.describe_spot_fleet_instances(SpotFleetRequestId=fleet_id)["ActiveInstances"]) == 2
    )
    assert ec2.modify_spot_fleet_request(SpotFleetRequestId=fleet_id, TargetCapacity=3)["Return"]
    assert spot_fleet_of(ec2, fleet_id)["SpotFleetRequestState"] in ("modifying", "active")
    env.clock.advance(1)
    assert (
        len(ec2.describe_spot_fleet_instances(SpotFleetRequestId=fleet_id)["ActiveInstances"]) == 3
    )
    ec2.modify_spot_fleet_request(SpotFleetRequestId=fleet_id, TargetCapacity=1)
    env.clock.advance(1)
    # the excess is terminated: shutting down on one request, gone on the next
    ec2.describe_spot_fleet_requests()
    env.clock.advance(1)
    assert (
        len(ec2.describe_spot_fleet_instances(SpotFleetRequestId=fleet_id)["ActiveInstances"]) == 1
    )
    [remaining] = ec2.describe_spot_fleet_instances(SpotFleetRequestId=fleet_id)["ActiveInstances"]
    assert spot_fleet_of(ec2, fleet_id)["SpotFleetRequestConfig"]["TargetCapacity"] == 1
    assert_error(
        ec2.cancel_spot_fleet_requests,
        "DryRunOperation",
        412,
        SpotFleetRequestIds=[fleet_id],
        TerminateInstances=False,
        DryRun=True,
    )
    cancelled = ec2.cancel_spot_fleet_requests(
        SpotFleetRequestIds=[fleet_id, "sfr-0123456789abcdef0"], TerminateInstances=False
    )
    assert cancelled["SuccessfulFleetRequests"] == [
        {
            "SpotFleetRequestId": fleet_id,
            "PreviousSpotFleetRequestState": "active",
            "CurrentSpotFleetRequestState": "cancelled_running",
        }
    ]
    assert (
        cancelled["UnsuccessfulFleetRequests"][0]["Error"]["Code"] == "fleetRequestIdDoesNotExist"
    )
    # the instances keep running
    assert instance(ec2, remaining["InstanceId"])["State"]["Name"] == "running"
    other = spot_fleet(ec2, TargetCapacity=1, Type="request")
    assert_error(
        ec2.modify_spot_fleet_request,
        "InvalidSpotFleetRequestConfig",
        SpotFleetRequestId=other,
        TargetCapacity=2,
    )
    [member] = ec2.describe_spot_fleet_instances(SpotFleetRequestId=other)["ActiveInstances"]
    done = ec2.cancel_spot_fleet_requests(SpotFleetRequestIds=[other], TerminateInstances=True)
    assert done["SuccessfulFleetRequests"][0]["CurrentSpotFleetRequestState"] == (
        "cancelled_terminating"
    )
    env.clock.advance(1)
    assert instance(ec2, member["InstanceId"])["State"]["Name"] == "terminated"
    assert spot_fleet_of(ec2, other)["SpotFleetRequestState"] == "cancelled"


def test_spot_fleet_from_a_launch_template_and_errors(ec2):
    template_id = template(
        ec2,
        TagSpecifications=[
            {"ResourceType": "instance", "Tags": [{"Key": "from", "Value": "template"}]}
        ],
    )
    fleet_id = spot_fleet(
        ec2,
        TargetCapacity=2,
        OnDemandTargetCapacity=1,
        LaunchTemplateConfigs=[
            {
                "LaunchTemplateSpecification": {"LaunchTemplateId": template_id, "Version": "1"},
                "Overrides": [{"InstanceType": "c5.large"}],
            }
        ],
    )
    config = spot_fleet_of(ec2, fleet_id)["SpotFleetRequestConfig"]
    assert config["OnDemandFulfilledCapacity"] == 1
    assert config["FulfilledCapacity"] == 2
    members = tagged(ec2, "from", "template")
    assert {m["InstanceType"] for m in members} == {"c5.large"}
    assert {"Key": "aws:ec2launchtemplate:id", "Value": template_id} in members[0]["Tags"]
    assert_error(
        ec2.request_spot_fleet,
        "InvalidSpotFleetRequestConfig",
        SpotFleetRequestConfig={
            "IamFleetRole": "not-a-role",
            "TargetCapacity": 1,
            "LaunchSpecifications": [{"ImageId": AMI}],
        },
    )
    assert_error(
        ec2.request_spot_fleet,
        "InvalidSpotFleetRequestConfig",
        SpotFleetRequestConfig={"IamFleetRole": ROLE, "TargetCapacity": 1},
    )
    assert_error(
        ec2.request_spot_fleet,
        "DryRunOperation",
        412,
        SpotFleetRequestConfig={
            "IamFleetRole": ROLE,
            "TargetCapacity": 1,
            "LaunchSpecifications": [{"ImageId": AMI}],
        },
        DryRun=True,
    )
    assert_error(
        ec2.describe_spot_fleet_instances,
        "InvalidSpotFleetRequestId.NotFound",
        SpotFleetRequestId="sfr-0123456789abcdef0",
    )
    assert_error(
        ec2.describe_spot_fleet_requests,
        "InvalidSpotFleetRequestId.Malformed",
        SpotFleetRequestIds=["sfr-zz"],
    )
    pages = ec2.get_paginator("describe_spot_fleet_requests").paginate(
        PaginationConfig={"PageSize": 1}
    )
    assert sum(len(p["SpotFleetRequestConfigs"]) for p in pages) == 1


# -- EC2 fleets


def fleet_of(ec2, fleet_id):
    return ec2.describe_fleets(FleetIds=[fleet_id])["Fleets"][0]


def test_instant_fleet_answers_its_instances(ec2, ec2_options):
    ec2_options(instance_limit=4)
    template_id = template(ec2)
    made = ec2.create_fleet(
        Type="instant",
        LaunchTemplateConfigs=[
            {
                "LaunchTemplateSpecification": {
                    "LaunchTemplateId": template_id,
                    "Version": "$Latest",
                },
                "Overrides": [{"InstanceType": "m5.large"}, {"InstanceType": "c5.large"}],
            }
        ],
        TargetCapacitySpecification={
            "TotalTargetCapacity": 3,
            "OnDemandTargetCapacity": 1,
            "DefaultTargetCapacityType": "spot",
        },
        TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "k", "Value": "v"}]}],
    )
    assert re.fullmatch(rf"fleet-{ID17}", made["FleetId"])
    assert made["Errors"] == []
    by_lifecycle = {i["Lifecycle"]: i for i in made["Instances"]}
    assert len(by_lifecycle["on-demand"]["InstanceIds"]) == 1
    assert len(by_lifecycle["spot"]["InstanceIds"]) == 2
    spec = by_lifecycle["spot"]["LaunchTemplateAndOverrides"]["LaunchTemplateSpecification"]
    assert spec["LaunchTemplateId"] == template_id and spec["Version"] == "1"
    launched = tagged(ec2, "k", "v")
    assert len(launched) == 3
    assert {"Key": "aws:ec2:fleet-id", "Value": made["FleetId"]} in launched[0]["Tags"]
    shown = fleet_of(ec2, made["FleetId"])
    assert shown["Type"] == "instant"
    assert shown["FleetState"] == "active"
    assert shown["FulfilledCapacity"] == 3
    assert shown["FulfilledOnDemandCapacity"] == 1
    assert shown["TargetCapacitySpecification"]["SpotTargetCapacity"] == 2
    assert len(shown["Instances"]) == 2
    # an instance that cannot launch is an error of the answer, not of the request
    failing = ec2.create_fleet(
        Type="instant",
        LaunchTemplateConfigs=[
            {
                "LaunchTemplateSpecification": {"LaunchTemplateId": template_id, "Version": "1"},
                "Overrides": [{"InstanceType": "m5.xlarge"}],
            }
        ],
        TargetCapacitySpecification={
            "TotalTargetCapacity": 2,
            "DefaultTargetCapacityType": "on-demand",
        },
    )
    # one more instance fits under the limit of 4; the second cannot launch
    [partial] = failing["Instances"]
    assert len(partial["InstanceIds"]) == 1
    assert partial["LaunchTemplateAndOverrides"]["Overrides"] == {"InstanceType": "m5.xlarge"}
    [error] = failing["Errors"]
    assert error["ErrorCode"] == "InstanceLimitExceeded"
    assert error["Lifecycle"] == "on-demand"
    assert fleet_of(ec2, failing["FleetId"])["Errors"] == failing["Errors"]
    assert failing["Errors"][0]["Lifecycle"] == "on-demand"


def test_maintain_fleet_replaces_and_deletes(env, ec2):
    template(ec2)
    fleet_id = ec2.create_fleet(
        LaunchTemplateConfigs=[
            {
                "LaunchTemplateSpecification": {
                    "LaunchTemplateName": "fleet-lt",
                    "Version": "$Default",
                }
            }
        ],
        TargetCapacitySpecification={
            "TotalTargetCapacity": 2,
            "DefaultTargetCapacityType": "on-demand",
        },
        TagSpecifications=[{"ResourceType": "fleet", "Tags": [{"Key": "f", "Value": "1"}]}],
        ReplaceUnhealthyInstances=True,
    )["FleetId"]
    shown = fleet_of(ec2, fleet_id)
    assert shown["Type"] == "maintain"
    assert shown["Tags"] == [{"Key": "f", "Value": "1"}]
    assert (
        shown["LaunchTemplateConfigs"][0]["LaunchTemplateSpecification"]["LaunchTemplateName"]
        == "fleet-lt"
    )
    members = ec2.describe_fleet_instances(FleetId=fleet_id)["ActiveInstances"]
    assert len(members) == 2
    assert all(m["InstanceType"] == "t3.micro" for m in members)
    assert "SpotInstanceRequestId" not in members[0]
    ec2.terminate_instances(InstanceIds=[members[0]["InstanceId"]])
    env.clock.advance(1)
    env.clock.advance(1)
    after = ec2.describe_fleet_instances(FleetId=fleet_id)["ActiveInstances"]
    assert len(after) == 2
    assert members[0]["InstanceId"] not in {m["InstanceId"] for m in after}
    history = ec2.describe_fleet_history(FleetId=fleet_id, StartTime=EPOCH)["HistoryRecords"]
    kinds = {(r["EventType"], r["EventInformation"]["EventSubType"]) for r in history}
    assert {("fleet-change", "submitted"), ("instance-change", "terminated")} <= kinds
    only = ec2.describe_fleet_history(FleetId=fleet_id, StartTime=EPOCH, EventType="fleet-change")
    assert {r["EventType"] for r in only["HistoryRecords"]} == {"fleet-change"}
    # ModifyFleet: more capacity, from spot
    assert ec2.modify_fleet(
        FleetId=fleet_id,
        TargetCapacitySpecification={"TotalTargetCapacity": 3, "SpotTargetCapacity": 1},
    )["Return"]
    env.clock.advance(1)
    grown = ec2.describe_fleet_instances(FleetId=fleet_id)["ActiveInstances"]
    assert len(grown) == 3
    assert sum("SpotInstanceRequestId" in m for m in grown) == 1
    # new launch options: later launches use them
    ec2.create_launch_template_version(
        LaunchTemplateName="fleet-lt",
        LaunchTemplateData={"ImageId": AMI, "InstanceType": "r5.large"},
    )
    ec2.modify_fleet(
        FleetId=fleet_id,
        LaunchTemplateConfigs=[
            {"LaunchTemplateSpecification": {"LaunchTemplateName": "fleet-lt", "Version": "2"}}
        ],
        TargetCapacitySpecification={"TotalTargetCapacity": 4},
    )
    env.clock.advance(1)
    bigger = ec2.describe_fleet_instances(FleetId=fleet_id)["ActiveInstances"]
    assert sorted(m["InstanceType"] for m in bigger) == [
        "r5.large",
        "t3.micro",
        "t3.micro",
        "t3.micro",
    ]
    assert (
        fleet_of(ec2, fleet_id)["LaunchTemplateConfigs"][0]["LaunchTemplateSpecification"][
            "Version"
        ]
        == "2"
    )
    grown = bigger
    typed = ec2.describe_fleet_instances(
        FleetId=fleet_id, Filters=[{"Name": "instance-type", "Values": ["t3.micro"]}]
    )["ActiveInstances"]
    assert len(typed) == 3
    assert_error(
        ec2.delete_fleets,
        "DryRunOperation",
        412,
        FleetIds=[fleet_id],
        TerminateInstances=True,
        DryRun=True,
    )
    deleted = ec2.delete_fleets(
        FleetIds=[fleet_id, "fleet-0123456789abcdef0"], TerminateInstances=True
    )
    assert deleted["SuccessfulFleetDeletions"] == [
        {
            "FleetId": fleet_id,
            "PreviousFleetState": "active",
            "CurrentFleetState": "deleted_terminating",
        }
    ]
    assert deleted["UnsuccessfulFleetDeletions"][0]["Error"]["Code"] == "fleetIdDoesNotExist"
    env.clock.advance(1)
    assert fleet_of(ec2, fleet_id)["FleetState"] == "deleted"
    for member in grown:
        assert instance(ec2, member["InstanceId"])["State"]["Name"] == "terminated"


def test_fleet_filters_errors_and_request_type(env, ec2):
    template(ec2)
    spec = [{"LaunchTemplateSpecification": {"LaunchTemplateName": "fleet-lt", "Version": "1"}}]
    capacity = {"TotalTargetCapacity": 1, "DefaultTargetCapacityType": "on-demand"}
    request_id = ec2.create_fleet(
        Type="request",
        LaunchTemplateConfigs=spec,
        TargetCapacitySpecification=capacity,
        ExcessCapacityTerminationPolicy="no-termination",
        ClientToken="tok",
    )["FleetId"]
    again = ec2.create_fleet(
        Type="request",
        LaunchTemplateConfigs=spec,
        TargetCapacitySpecification=capacity,
        ExcessCapacityTerminationPolicy="no-termination",
        ClientToken="tok",
    )["FleetId"]
    assert again == request_id
    maintain_id = ec2.create_fleet(
        LaunchTemplateConfigs=spec, TargetCapacitySpecification=capacity
    )["FleetId"]

    def matching(name, value):
        return [
            f["FleetId"]
            for f in ec2.describe_fleets(Filters=[{"Name": name, "Values": [value]}])["Fleets"]
        ]

    assert matching("type", "request") == [request_id]
    assert matching("excess-capacity-termination-policy", "no-termination") == [request_id]
    assert matching("fleet-state", "active") == [request_id, maintain_id]
    assert matching("activity-status", "fulfilled") == [request_id, maintain_id]
    assert matching("replace-unhealthy-instances", "true") == []
    assert_error(
        ec2.modify_fleet,
        "InvalidParameterValue",
        FleetId=request_id,
        TargetCapacitySpecification={"TotalTargetCapacity": 2},
    )
    assert_error(
        ec2.describe_fleets, "InvalidFleetId.NotFound", FleetIds=["fleet-0123456789abcdef0"]
    )
    assert_error(ec2.describe_fleet_instances, "InvalidFleetId.Malformed", FleetId="fleet-x")
    assert_error(
        ec2.create_fleet,
        "InvalidLaunchTemplateName.NotFoundException",
        LaunchTemplateConfigs=[
            {"LaunchTemplateSpecification": {"LaunchTemplateName": "nope", "Version": "1"}}
        ],
        TargetCapacitySpecification=capacity,
    )
    assert_error(
        ec2.create_fleet,
        "InvalidParameterValue",
        LaunchTemplateConfigs=spec,
        TargetCapacitySpecification={"TotalTargetCapacity": 1, "OnDemandTargetCapacity": 2},
    )
    assert_error(
        ec2.create_fleet,
        "InvalidParameterValue",
        LaunchTemplateConfigs=spec,
        TargetCapacitySpecification=capacity,
        TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "a", "Value": "b"}]}],
    )
    assert_error(
        ec2.create_fleet,
        "DryRunOperation",
        412,
        LaunchTemplateConfigs=spec,
        TargetCapacitySpecification=capacity,
        DryRun=True,
    )
    assert_error(
        ec2.modify_fleet,
        "DryRunOperation",
        412,
        FleetId=maintain_id,
        TargetCapacitySpecification={"TotalTargetCapacity": 2},
        DryRun=True,
    )
    # a fleet valid for an hour stops then, its instances kept
    until = datetime.now(timezone.utc) + timedelta(hours=1)
    short = ec2.create_fleet(
        LaunchTemplateConfigs=spec, TargetCapacitySpecification=capacity, ValidUntil=until
    )["FleetId"]
    env.clock.advance(2 * 3600)
    assert fleet_of(ec2, short)["FleetState"] == "deleted_running"
    pages = ec2.get_paginator("describe_fleets").paginate(PaginationConfig={"PageSize": 1})
    assert sum(len(p["Fleets"]) for p in pages) == 3


def test_attribute_based_instance_type_selection(ec2):
    template_id = template(ec2)
    needs = {"VCpuCount": {"Min": 4, "Max": 4}, "MemoryMiB": {"Min": 16384}}
    made = ec2.create_fleet(
        Type="instant",
        LaunchTemplateConfigs=[
            {
                "LaunchTemplateSpecification": {"LaunchTemplateId": template_id, "Version": "1"},
                "Overrides": [{"InstanceRequirements": needs}],
            }
        ],
        TargetCapacitySpecification={"TotalTargetCapacity": 2, "DefaultTargetCapacityType": "spot"},
    )
    [launched] = made["Instances"]
    # a type with 4 vCPUs and at least 16 GiB, not the template's t3.micro
    assert launched["InstanceType"] in {
        "m5.xlarge",
        "m6i.xlarge",
        "m6a.xlarge",
        "m7g.xlarge",
        "r5.xlarge",
        "r6i.xlarge",
        "r7g.xlarge",
    }
    assert len(launched["InstanceIds"]) == 2
    assert_error(
        ec2.create_fleet,
        "InvalidParameterValue",
        Type="instant",
        LaunchTemplateConfigs=[
            {
                "LaunchTemplateSpecification": {"LaunchTemplateId": template_id, "Version": "1"},
                "Overrides": [
                    {"InstanceRequirements": {"VCpuCount": {"Min": 500}, "MemoryMiB": {"Min": 0}}}
                ],
            }
        ],
        TargetCapacitySpecification={"TotalTargetCapacity": 1, "DefaultTargetCapacityType": "spot"},
    )
    fleet_id = spot_fleet(
        ec2,
        TargetCapacity=1,
        LaunchSpecifications=[
            {
                "ImageId": AMI,
                "InstanceRequirements": {
                    "VCpuCount": {"Min": 2, "Max": 2},
                    "MemoryMiB": {"Min": 0},
                    "BurstablePerformance": "required",
                    "CpuManufacturers": ["amd"],
                },
            }
        ],
    )
    [member] = ec2.describe_spot_fleet_instances(SpotFleetRequestId=fleet_id)["ActiveInstances"]
    assert member["InstanceType"].startswith("t3a.")


def test_max_total_price_caps_the_fleet(ec2):
    template_id = template(ec2)
    # a t3.micro costs about half a cent an hour: two fit under 1.1 cents, a third does not
    made = ec2.create_fleet(
        Type="instant",
        LaunchTemplateConfigs=[
            {"LaunchTemplateSpecification": {"LaunchTemplateId": template_id, "Version": "1"}}
        ],
        TargetCapacitySpecification={
            "TotalTargetCapacity": 5,
            "DefaultTargetCapacityType": "on-demand",
        },
        OnDemandOptions={"MaxTotalPrice": "0.011"},
    )
    [launched] = made["Instances"]
    assert len(launched["InstanceIds"]) == 2
    assert [e["ErrorCode"] for e in made["Errors"]] == ["MaxTotalPriceExceeded"]
    shown = fleet_of(ec2, made["FleetId"])
    assert shown["OnDemandOptions"]["MaxTotalPrice"] == "0.011"
    assert shown["FulfilledCapacity"] == 2
    assert shown["ActivityStatus"] == "error"
