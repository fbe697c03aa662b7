"""The instance state machine: start, stop, reboot, terminate, delays, waiters, status checks."""

from __future__ import annotations

import re

import pytest
from ec2_helpers import AMI, assert_error, instance, instances, launch, launch_ids, state_of

FAST = {"Delay": 0, "MaxAttempts": 5}
USER_INITIATED = re.compile(r"^User initiated \(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} GMT\)$")


def test_pending_becomes_running_on_the_next_call(ec2):
    [inst] = launch(ec2)
    assert inst["State"] == {"Code": 0, "Name": "pending"}
    described = instance(ec2, inst["InstanceId"])
    assert described["State"] == {"Code": 16, "Name": "running"}
    assert "StateReason" not in described or described["StateReason"]["Code"] != "pending"
    assert described["StateTransitionReason"] == ""


def test_stop_then_stopped(env, ec2):
    [inst] = launch(ec2)
    instance_id = inst["InstanceId"]
    assert state_of(ec2, instance_id) == "running"

    response = ec2.stop_instances(InstanceIds=[instance_id])
    [change] = response["StoppingInstances"]
    assert change["InstanceId"] == instance_id
    assert change["PreviousState"] == {"Code": 16, "Name": "running"}
    assert change["CurrentState"] == {"Code": 64, "Name": "stopping"}

    stopped = instance(ec2, instance_id)
    assert stopped["State"] == {"Code": 80, "Name": "stopped"}
    assert USER_INITIATED.match(stopped["StateTransitionReason"]), stopped["StateTransitionReason"]
    assert stopped["StateReason"]["Code"] == "Client.UserInitiatedShutdown"
    assert stopped["StateReason"]["Message"]
    # a stopped instance keeps its private address but gives up its public one
    assert stopped["PrivateIpAddress"] == inst["PrivateIpAddress"]
    assert "PublicIpAddress" not in stopped
    assert stopped["PublicDnsName"] == ""


def test_start_again_gets_a_new_public_ip(ec2):
    [inst] = launch(ec2)
    instance_id = inst["InstanceId"]
    old_public = inst["PublicIpAddress"]
    ec2.stop_instances(InstanceIds=[instance_id])
    assert state_of(ec2, instance_id) == "stopped"

    [change] = ec2.start_instances(InstanceIds=[instance_id])["StartingInstances"]
    assert change["PreviousState"] == {"Code": 80, "Name": "stopped"}
    assert change["CurrentState"] == {"Code": 0, "Name": "pending"}

    running = instance(ec2, instance_id)
    assert running["State"]["Name"] == "running"
    assert running["PrivateIpAddress"] == inst["PrivateIpAddress"]
    assert running["PublicIpAddress"]
    assert running["PublicIpAddress"] != old_public
    assert running["StateTransitionReason"] == ""


def test_start_a_running_instance_is_a_no_op(ec2):
    [instance_id] = launch_ids(ec2)
    assert state_of(ec2, instance_id) == "running"
    [change] = ec2.start_instances(InstanceIds=[instance_id])["StartingInstances"]
    assert change["PreviousState"]["Name"] == change["CurrentState"]["Name"] == "running"


def test_terminate(env, ec2):
    [inst] = launch(ec2)
    instance_id = inst["InstanceId"]
    instance(ec2, instance_id)
    [change] = ec2.terminate_instances(InstanceIds=[instance_id])["TerminatingInstances"]
    assert change["PreviousState"] == {"Code": 16, "Name": "running"}
    assert change["CurrentState"] == {"Code": 32, "Name": "shutting-down"}

    terminated = instance(ec2, instance_id)
    assert terminated["State"] == {"Code": 48, "Name": "terminated"}
    assert terminated["StateReason"]["Code"] == "Client.UserInitiatedShutdown"
    assert USER_INITIATED.match(terminated["StateTransitionReason"])
    assert "PublicIpAddress" not in terminated
    assert terminated["NetworkInterfaces"] == []
    # still listed without ids, and findable by state
    assert instance_id in {i["InstanceId"] for i in instances(ec2)}
    found = instances(ec2, Filters=[{"Name": "instance-state-name", "Values": ["terminated"]}])
    assert [i["InstanceId"] for i in found] == [instance_id]

    # terminating again changes nothing
    [again] = ec2.terminate_instances(InstanceIds=[instance_id])["TerminatingInstances"]
    assert again["PreviousState"]["Name"] == again["CurrentState"]["Name"] == "terminated"


def test_terminated_instance_goes_away_after_retention(env, ec2, ec2_options):
    ec2_options(terminated_retention=600)
    [gone, kept] = launch_ids(ec2, 2)
    ec2.terminate_instances(InstanceIds=[gone])
    assert state_of(ec2, gone) == "terminated"

    env.clock.advance(599)
    assert state_of(ec2, gone) == "terminated"

    env.clock.advance(2)
    assert {i["InstanceId"] for i in instances(ec2)} == {kept}
    assert_error(ec2.describe_instances, "InvalidInstanceID.NotFound", InstanceIds=[gone])


def test_default_retention_is_about_an_hour(env, ec2):
    [instance_id] = launch_ids(ec2)
    ec2.terminate_instances(InstanceIds=[instance_id])
    assert state_of(ec2, instance_id) == "terminated"
    env.clock.advance(30 * 60)
    assert state_of(ec2, instance_id) == "terminated"
    env.clock.advance(31 * 60)
    assert instances(ec2) == []


def test_transition_delay(env, ec2, ec2_options):
    ec2_options(transition_delay=30)
    env.clock.freeze()
    [instance_id] = launch_ids(ec2)
    assert state_of(ec2, instance_id) == "pending"
    env.clock.advance(29)
    assert state_of(ec2, instance_id) == "pending"
    env.clock.advance(1)
    assert state_of(ec2, instance_id) == "running"

    ec2.stop_instances(InstanceIds=[instance_id])
    env.clock.advance(10)
    assert state_of(ec2, instance_id) == "stopping"
    env.clock.advance(20)
    assert state_of(ec2, instance_id) == "stopped"

    ec2.start_instances(InstanceIds=[instance_id])
    assert state_of(ec2, instance_id) == "pending"
    env.clock.advance(30)
    assert state_of(ec2, instance_id) == "running"

    ec2.terminate_instances(InstanceIds=[instance_id])
    assert state_of(ec2, instance_id) == "shutting-down"
    env.clock.advance(30)
    assert state_of(ec2, instance_id) == "terminated"


def test_stop_a_pending_instance(env, ec2, ec2_options):
    ec2_options(transition_delay=30)
    [instance_id] = launch_ids(ec2)
    assert_error(
        ec2.stop_instances,
        "IncorrectInstanceState",
        message=instance_id,
        InstanceIds=[instance_id],
    )
    assert state_of(ec2, instance_id) == "pending"


def test_start_or_stop_a_terminated_instance(ec2):
    [instance_id] = launch_ids(ec2)
    ec2.terminate_instances(InstanceIds=[instance_id])
    assert state_of(ec2, instance_id) == "terminated"
    assert_error(
        ec2.start_instances,
        "IncorrectInstanceState",
        message=instance_id,
        InstanceIds=[instance_id],
    )
    assert_error(ec2.stop_instances, "IncorrectInstanceState", InstanceIds=[instance_id])
    assert_error(ec2.reboot_instances, "IncorrectInstanceState", InstanceIds=[instance_id])
    assert state_of(ec2, instance_id) == "terminated"


def test_one_bad_instance_fails_the_whole_call(ec2):
    [good, bad] = launch_ids(ec2, 2)
    ec2.terminate_instances(InstanceIds=[bad])
    assert state_of(ec2, bad) == "terminated"
    assert_error(ec2.stop_instances, "IncorrectInstanceState", InstanceIds=[good, bad])
    assert state_of(ec2, good) == "running"


def test_disable_api_termination(ec2):
    [instance_id] = launch_ids(ec2, DisableApiTermination=True)
    assert_error(
        ec2.terminate_instances,
        "OperationNotPermitted",
        message=instance_id,
        InstanceIds=[instance_id],
    )
    assert state_of(ec2, instance_id) == "running"
    # stopping is still allowed
    ec2.stop_instances(InstanceIds=[instance_id])
    assert state_of(ec2, instance_id) == "stopped"


def test_reboot(ec2):
    [inst] = launch(ec2)
    instance_id = inst["InstanceId"]
    assert state_of(ec2, instance_id) == "running"
    response = ec2.reboot_instances(InstanceIds=[instance_id])
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    after = instance(ec2, instance_id)
    assert after["State"]["Name"] == "running"
    assert after["PublicIpAddress"] == inst["PublicIpAddress"]


@pytest.mark.parametrize(
    "operation", ["start_instances", "stop_instances", "terminate_instances", "reboot_instances"]
)
def test_state_change_of_unknown_instances(ec2, operation):
    call = getattr(ec2, operation)
    assert_error(
        call,
        "InvalidInstanceID.NotFound",
        message="i-0123456789abcdef0",
        InstanceIds=["i-0123456789abcdef0"],
    )
    assert_error(call, "InvalidInstanceID.Malformed", InstanceIds=["instance-1"])


# -- waiters


def test_waiters(ec2):
    [instance_id] = launch_ids(ec2)
    ec2.get_waiter("instance_exists").wait(InstanceIds=[instance_id], WaiterConfig=FAST)
    ec2.get_waiter("instance_running").wait(InstanceIds=[instance_id], WaiterConfig=FAST)
    ec2.get_waiter("instance_status_ok").wait(InstanceIds=[instance_id], WaiterConfig=FAST)
    ec2.get_waiter("system_status_ok").wait(InstanceIds=[instance_id], WaiterConfig=FAST)
    ec2.stop_instances(InstanceIds=[instance_id])
    ec2.get_waiter("instance_stopped").wait(InstanceIds=[instance_id], WaiterConfig=FAST)
    ec2.start_instances(InstanceIds=[instance_id])
    ec2.get_waiter("instance_running").wait(InstanceIds=[instance_id], WaiterConfig=FAST)
    ec2.terminate_instances(InstanceIds=[instance_id])
    ec2.get_waiter("instance_terminated").wait(InstanceIds=[instance_id], WaiterConfig=FAST)
    assert state_of(ec2, instance_id) == "terminated"


def test_waiter_fails_on_terminated_instance(ec2):
    from botocore.exceptions import WaiterError

    [instance_id] = launch_ids(ec2)
    ec2.terminate_instances(InstanceIds=[instance_id])
    with pytest.raises(WaiterError):
        ec2.get_waiter("instance_running").wait(InstanceIds=[instance_id], WaiterConfig=FAST)


# -- DescribeInstanceStatus


def test_instance_status_lists_running_only(env, ec2, ec2_options):
    ec2_options(transition_delay=30)
    env.clock.freeze()
    [early] = launch_ids(ec2)
    env.clock.advance(30)
    [late] = launch_ids(ec2)
    statuses = ec2.describe_instance_status()["InstanceStatuses"]
    assert [s["InstanceId"] for s in statuses] == [early]
    [status] = statuses
    assert status["InstanceState"] == {"Code": 16, "Name": "running"}
    assert status["AvailabilityZone"].startswith("eu-west-1")
    assert status["InstanceStatus"]["Status"] == "ok"
    assert status["SystemStatus"]["Status"] == "ok"

    everything = ec2.describe_instance_status(IncludeAllInstances=True)["InstanceStatuses"]
    by_id = {s["InstanceId"]: s for s in everything}
    assert set(by_id) == {early, late}
    assert by_id[late]["InstanceState"]["Name"] == "pending"
    assert by_id[late]["InstanceStatus"]["Status"] == "not-applicable"

    # asking by id still hides the non-running one unless all are included
    by_ids = ec2.describe_instance_status(InstanceIds=[early, late])["InstanceStatuses"]
    assert [s["InstanceId"] for s in by_ids] == [early]


def test_instance_status_initializing_then_ok(env, ec2, ec2_options):
    ec2_options(status_delay=60)
    env.clock.freeze()
    [instance_id] = launch_ids(ec2)
    assert state_of(ec2, instance_id) == "running"
    [status] = ec2.describe_instance_status(InstanceIds=[instance_id])["InstanceStatuses"]
    assert status["InstanceStatus"]["Status"] == "initializing"
    assert status["SystemStatus"]["Status"] == "initializing"
    initializing = ec2.describe_instance_status(
        Filters=[{"Name": "instance-status.status", "Values": ["initializing"]}]
    )["InstanceStatuses"]
    assert [s["InstanceId"] for s in initializing] == [instance_id]

    env.clock.advance(60)
    [status] = ec2.describe_instance_status(InstanceIds=[instance_id])["InstanceStatuses"]
    assert status["InstanceStatus"]["Status"] == "ok"
    assert status["InstanceStatus"]["Details"] == [{"Name": "reachability", "Status": "passed"}]
    assert "Events" not in status  # EC2 lists Events only when some are scheduled


def test_instance_status_of_stopped_instance(ec2):
    [instance_id] = launch_ids(ec2)
    ec2.stop_instances(InstanceIds=[instance_id])
    assert state_of(ec2, instance_id) == "stopped"
    assert ec2.describe_instance_status()["InstanceStatuses"] == []
    [status] = ec2.describe_instance_status(IncludeAllInstances=True)["InstanceStatuses"]
    assert status["InstanceState"]["Name"] == "stopped"


def test_instance_status_paging(ec2):
    launched = set(launch_ids(ec2, 7))
    instances(ec2)
    seen = []
    for page in ec2.get_paginator("describe_instance_status").paginate(
        PaginationConfig={"PageSize": 5}
    ):
        assert len(page["InstanceStatuses"]) <= 5
        seen += [s["InstanceId"] for s in page["InstanceStatuses"]]
    assert sorted(seen) == sorted(launched)


def test_instance_status_unknown_id(ec2):
    assert_error(
        ec2.describe_instance_status,
        "InvalidInstanceID.NotFound",
        InstanceIds=["i-0123456789abcdef0"],
    )


def test_stopped_instance_frees_the_limit_for_new_launches(ec2, ec2_options):
    ec2_options(instance_limit=1)
    [first] = launch_ids(ec2)
    assert_error(ec2.run_instances, "InstanceLimitExceeded", ImageId=AMI, MinCount=1, MaxCount=1)
    ec2.stop_instances(InstanceIds=[first])
    assert state_of(ec2, first) == "stopped"
    launch(ec2)


def test_terminate_while_pending_never_runs(env, ec2, ec2_options):
    ec2_options(transition_delay=30)
    env.clock.freeze()
    [instance_id] = launch_ids(ec2)
    [change] = ec2.terminate_instances(InstanceIds=[instance_id])["TerminatingInstances"]
    assert change["PreviousState"]["Name"] == "pending"
    assert change["CurrentState"]["Name"] == "shutting-down"
    env.clock.advance(30)
    assert state_of(ec2, instance_id) == "terminated"
    env.clock.advance(30)
    assert state_of(ec2, instance_id) == "terminated"


def test_start_while_stopping(env, ec2, ec2_options):
    ec2_options(transition_delay=30)
    env.clock.freeze()
    [instance_id] = launch_ids(ec2)
    env.clock.advance(30)
    ec2.stop_instances(InstanceIds=[instance_id])
    assert_error(ec2.start_instances, "IncorrectInstanceState", InstanceIds=[instance_id])
    env.clock.advance(30)
    assert state_of(ec2, instance_id) == "stopped"


def test_terminate_a_stopped_instance(ec2):
    [instance_id] = launch_ids(ec2)
    ec2.stop_instances(InstanceIds=[instance_id])
    assert state_of(ec2, instance_id) == "stopped"
    [change] = ec2.terminate_instances(InstanceIds=[instance_id])["TerminatingInstances"]
    assert change["PreviousState"] == {"Code": 80, "Name": "stopped"}
    assert change["CurrentState"] == {"Code": 32, "Name": "shutting-down"}
    assert state_of(ec2, instance_id) == "terminated"


def test_hibernate_needs_hibernation_configured(ec2):
    [instance_id] = launch_ids(ec2)
    instances(ec2)
    assert_error(
        ec2.stop_instances,
        "UnsupportedHibernationConfiguration",
        message="not configured at launch for hibernation",
        InstanceIds=[instance_id],
        Hibernate=True,
    )
    assert state_of(ec2, instance_id) == "running"


def test_volumes_follow_delete_on_termination(ec2):
    [inst] = launch(
        ec2,
        BlockDeviceMappings=[
            {"DeviceName": "/dev/sdf", "Ebs": {"VolumeSize": 10, "DeleteOnTermination": False}}
        ],
        TagSpecifications=[{"ResourceType": "volume", "Tags": [{"Key": "v", "Value": "1"}]}],
    )
    volumes = {m["DeviceName"]: m["Ebs"]["VolumeId"] for m in inst["BlockDeviceMappings"]}
    tagged = ec2.describe_tags(Filters=[{"Name": "resource-type", "Values": ["volume"]}])["Tags"]
    assert {t["ResourceId"] for t in tagged} == set(volumes.values())
    ec2.terminate_instances(InstanceIds=[inst["InstanceId"]])
    assert state_of(ec2, inst["InstanceId"]) == "terminated"
    tagged = ec2.describe_tags(Filters=[{"Name": "resource-type", "Values": ["volume"]}])["Tags"]
    # the root volume went with the instance; the kept one is still there
    assert {t["ResourceId"] for t in tagged} == {volumes["/dev/sdf"]}


def test_network_interface_tags_go_with_the_instance(ec2):
    [inst] = launch(
        ec2,
        TagSpecifications=[
            {"ResourceType": "network-interface", "Tags": [{"Key": "n", "Value": "1"}]}
        ],
    )
    eni = inst["NetworkInterfaces"][0]["NetworkInterfaceId"]
    rows = ec2.describe_tags(Filters=[{"Name": "resource-type", "Values": ["network-interface"]}])
    assert [t["ResourceId"] for t in rows["Tags"]] == [eni]
    ec2.terminate_instances(InstanceIds=[inst["InstanceId"]])
    assert state_of(ec2, inst["InstanceId"]) == "terminated"
    rows = ec2.describe_tags(Filters=[{"Name": "resource-type", "Values": ["network-interface"]}])
    assert rows["Tags"] == []


def test_instance_status_max_results_with_ids(ec2):
    [instance_id] = launch_ids(ec2)
    assert_error(
        ec2.describe_instance_status,
        "InvalidParameterCombination",
        InstanceIds=[instance_id],
        MaxResults=5,
    )


def test_start_resets_launch_time_but_not_first_attach_time(env, ec2):
    env.clock.freeze()
    [inst] = launch(ec2)
    first = inst["LaunchTime"]
    ec2.stop_instances(InstanceIds=[inst["InstanceId"]])
    assert state_of(ec2, inst["InstanceId"]) == "stopped"
    env.clock.advance(3600)
    ec2.start_instances(InstanceIds=[inst["InstanceId"]])
    restarted = instance(ec2, inst["InstanceId"])
    # LaunchTime is when the instance was last started ...
    assert (restarted["LaunchTime"] - first).total_seconds() == 3600
    # ... the primary interface's attach time is when it was first launched
    assert restarted["NetworkInterfaces"][0]["Attachment"]["AttachTime"] == first
    assert restarted["UsageOperationUpdateTime"] == first
