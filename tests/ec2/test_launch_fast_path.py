"""A RunInstances with only the basic members takes a shorter path through the launch;
what a user sees must not tell the two paths apart (patched mode: a seeded mock and a
frozen clock make two runs comparable, ids and addresses included)."""

from __future__ import annotations

import inspect
from datetime import datetime, timezone
from typing import Any

import boto3
import pytest

import cloudmock
from cloudmock.services.ec2.responses import instances as handlers

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


def _keyword_parameters(fn: Any) -> dict[str, inspect.Parameter]:
    return {
        name: p
        for name, p in inspect.signature(fn).parameters.items()
        if p.kind is inspect.Parameter.KEYWORD_ONLY
    }


def test_the_two_paths_split_the_members_of_run_instances():
    full = _keyword_parameters(handlers.run_instances)  # what the contract reads
    plain = _keyword_parameters(handlers._run_plain)
    assert set(plain) == handlers.PLAIN_MEMBERS
    assert set(full) - set(plain) == handlers.FULL_ONLY_MEMBERS
    # the plain path takes each basic as the full one does
    assert {n: (p.annotation, p.default) for n, p in plain.items()} == {
        n: (full[n].annotation, full[n].default) for n in plain
    }
    # run_instances drops the None members a template launch passes: None must be the
    # default of every member for that to change nothing
    assert {p.default for p in full.values()} == {None}


def _spy(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    taken: list[str] = []
    for path in ("_run_plain", "_run_full"):
        real = getattr(handlers, path)

        def spy(ctx: Any, *, _path: str = path, _real: Any = real, **members: Any) -> Any:
            taken.append(_path)
            return _real(ctx, **members)

        monkeypatch.setattr(handlers, path, spy)
    return taken


# Derived from the signature: a member added to it later is in this list by itself.
@pytest.mark.parametrize("member", sorted(handlers.FULL_ONLY_MEMBERS))
def test_any_member_beyond_the_basics_takes_the_full_path(monkeypatch, member):
    taken: list[tuple[str, dict[str, Any]]] = []
    monkeypatch.setattr(handlers, "_run_full", lambda ctx, **m: taken.append(("full", m)))
    monkeypatch.setattr(handlers, "_run_plain", lambda ctx, **m: taken.append(("plain", m)))
    basics = {"MinCount": 1, "MaxCount": 1, "ImageId": AMI}
    value = object()
    handlers.run_instances(None, **basics, **{member: value})
    # given as None (as a launch from a template passes what it leaves out): plain
    handlers.run_instances(None, **basics, **{member: None})
    assert taken == [("full", {**basics, member: value}), ("plain", basics)]


def test_a_basic_launch_from_a_template_takes_the_plain_path(monkeypatch):
    taken = _spy(monkeypatch)
    with cloudmock.mock_ec2():
        ec2 = boto3.client("ec2", region_name="eu-west-1")
        ec2.create_launch_template(
            LaunchTemplateName="web",
            LaunchTemplateData={"ImageId": AMI, "InstanceType": "t3.small"},
        )
        ec2.run_instances(MinCount=1, MaxCount=1, LaunchTemplate={"LaunchTemplateName": "web"})
        ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=1)
        ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=1, Monitoring={"Enabled": True})
    assert taken == ["_run_full", "_run_plain", "_run_plain", "_run_full"]
