"""Instances showing the same options share one view of them (written once as XML); a
change to one instance's options shows at once, on that instance only."""

from __future__ import annotations

from ec2_helpers import instances, launch

FAST = {"Delay": 0, "MaxAttempts": 5}
OPTIONS = (
    "MetadataOptions",
    "CpuOptions",
    "MaintenanceOptions",
    "PrivateDnsNameOptions",
    "NetworkPerformanceOptions",
    "Monitoring",
    "Placement",
    "State",
)


def _options(ec2):
    return {i["InstanceId"]: {k: i[k] for k in OPTIONS} for i in instances(ec2)}


def test_changed_options_show_at_once_on_that_instance_only(ec2):
    ids = [i["InstanceId"] for i in launch(ec2, 2, InstanceType="c5.4xlarge")]
    ec2.stop_instances(InstanceIds=ids)
    ec2.get_waiter("instance_stopped").wait(InstanceIds=ids, WaiterConfig=FAST)
    before = _options(ec2)
    changed, other = ids
    assert before[changed] == before[other] | {"Placement": before[changed]["Placement"]}

    ec2.modify_instance_metadata_options(InstanceId=changed, HttpTokens="required")
    ec2.modify_instance_cpu_options(InstanceId=changed, CoreCount=4, ThreadsPerCore=1)
    ec2.modify_instance_maintenance_options(InstanceId=changed, AutoRecovery="disabled")
    ec2.modify_instance_network_performance_options(InstanceId=changed, BandwidthWeighting="ebs-1")
    ec2.monitor_instances(InstanceIds=[changed])
    ec2.modify_instance_placement(InstanceId=changed, Tenancy="dedicated")
    after = _options(ec2)

    assert after[other] == before[other]
    shown = after[changed]
    assert shown["MetadataOptions"]["HttpTokens"] == "required"
    assert shown["CpuOptions"] == {"CoreCount": 4, "ThreadsPerCore": 1}
    assert shown["MaintenanceOptions"]["AutoRecovery"] == "disabled"
    assert shown["NetworkPerformanceOptions"] == {"BandwidthWeighting": "ebs-1"}
    assert shown["Monitoring"]["State"] in ("pending", "enabled")
    assert shown["Placement"]["Tenancy"] == "dedicated"
    # what did not change still shows as before
    for name in ("State", "PrivateDnsNameOptions"):
        assert shown[name] == before[changed][name]
    assert {k: v for k, v in shown["MetadataOptions"].items() if k != "HttpTokens"} == {
        k: v for k, v in before[changed]["MetadataOptions"].items() if k != "HttpTokens"
    }
