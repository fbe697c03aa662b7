"""A RunInstances with only the basic members takes a shorter path through the launch;
what a user sees must not tell the two paths apart (patched mode: a seeded mock and a
frozen clock make two runs comparable, ids and addresses included)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import boto3
import pytest

import cloudmock

AMI = "ami-12345678"
FROZEN = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)

#: members that send a launch down the full path while asking for exactly the defaults
DEFAULTS_SPELLED_OUT: dict[str, Any] = {
    "Monitoring": {"Enabled": False},
    "Placement": {"Tenancy": "default"},
    "HibernationOptions": {"Configured": False},
    "EnclaveOptions": {"Enabled": False},
    "MaintenanceOptions": {"AutoRecovery": "default"},
    "PrivateDnsNameOptions": {"HostnameType": "ip-name"},
    "CapacityReservationSpecification": {"CapacityReservationPreference": "open"},
    "NetworkPerformanceOptions": {"BandwidthWeighting": "default"},
}


def _strip(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if k != "ResponseMetadata"}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


def _seen(launch: dict[str, Any], *, template: bool = False) -> dict[str, Any]:
    """Everything a seeded launch shows: its answer, and the describes of what it made."""
    with cloudmock.mock_ec2(seed=7) as mock:
        mock.state.clock.freeze(FROZEN)
        ec2 = boto3.client("ec2", region_name="eu-west-1")
        if template:
            ec2.create_launch_template(
                LaunchTemplateName="web", LaunchTemplateData={"InstanceType": "t3.small"}
            )
            launch = {**launch, "LaunchTemplate": {"LaunchTemplateName": "web"}}
        # boto3 fills a missing ClientToken with a random one
        launch = {"ClientToken": "token", **launch}
        answer = ec2.run_instances(ImageId=AMI, MinCount=2, MaxCount=2, **launch)
        mock.state.clock.advance(60)  # pending -> running, checks settle
        return _strip(
            {
                "answer": answer,
                "instances": ec2.describe_instances(),
                "status": ec2.describe_instance_status(IncludeAllInstances=True),
                "volumes": ec2.describe_volumes(),
                "interfaces": ec2.describe_network_interfaces(),
            }
        )


@pytest.mark.parametrize(
    "basics",
    [
        {},
        {"InstanceType": "t2.micro"},  # burstable: its credit option comes from the type
        {"InstanceType": "m6g.large"},  # arm64: its boot mode follows the architecture
        {
            "InstanceType": "t3.micro",
            "TagSpecifications": [
                {"ResourceType": "instance", "Tags": [{"Key": "team", "Value": "a"}]},
                {"ResourceType": "volume", "Tags": [{"Key": "v", "Value": "b"}]},
                {"ResourceType": "network-interface", "Tags": [{"Key": "n", "Value": "c"}]},
            ],
            "EbsOptimized": True,
            "DisableApiTermination": True,
            "MetadataOptions": {"HttpTokens": "required"},
            "ClientToken": "same-token",
        },
    ],
    ids=["bare", "burstable", "arm64", "basics"],
)
def test_basic_launch_shows_what_the_full_path_shows(basics):
    assert _seen(basics) == _seen({**basics, **DEFAULTS_SPELLED_OUT})


def test_basic_launch_from_a_template_shows_what_the_full_path_shows():
    assert _seen({}, template=True) == _seen(DEFAULTS_SPELLED_OUT, template=True)


def test_seeded_launch_gives_the_ids_and_addresses_it_always_gave():
    # the values cloudmock gave before the launch path was made cheaper: a seed keeps
    # giving the same resources, addresses and MAC addresses from one version to the next
    with cloudmock.mock_ec2(seed=11):
        ec2 = boto3.client("ec2", region_name="eu-west-1")
        reservation = ec2.run_instances(
            ImageId=AMI, InstanceType="t3.micro", MinCount=2, MaxCount=2
        )
    assert reservation["ReservationId"] == "r-9d88fdb2eb43e53b6"
    seen = [
        (
            i["InstanceId"],
            i["NetworkInterfaces"][0]["NetworkInterfaceId"],
            i["NetworkInterfaces"][0]["MacAddress"],
            i["PrivateIpAddress"],
            i["PublicIpAddress"],
            i["BlockDeviceMappings"][0]["Ebs"]["VolumeId"],
        )
        for i in reservation["Instances"]
    ]
    assert seen == [
        (
            "i-8adb6d6b0a34b49ae",
            "eni-4edf079f567c38fe2",
            "0a:3f:8f:d5:8c:ff",
            "172.31.0.4",
            "34.15.134.33",
            "vol-cb4665001136dfd05",
        ),
        (
            "i-5f1253414cb035f90",
            "eni-167e182281b74238b",
            "0a:28:08:0f:fc:4e",
            "172.31.0.5",
            "52.105.106.48",
            "vol-653c1350f8c21a3cc",
        ),
    ]
