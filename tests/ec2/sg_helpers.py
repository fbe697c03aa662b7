"""Helpers shared by the security-group and prefix-list tests."""

from __future__ import annotations

from typing import Any

WAIT = {"Delay": 0, "MaxAttempts": 5}


def account_of(ec2: Any) -> str:
    return ec2.describe_security_groups()["SecurityGroups"][0]["OwnerId"]


def default_vpc(ec2: Any) -> str:
    return ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0][
        "VpcId"
    ]


def extra_vpc(ec2: Any, cidr: str = "10.0.0.0/16") -> str:
    """A non-default VPC."""
    return ec2.create_vpc(CidrBlock=cidr)["Vpc"]["VpcId"]


def group(ec2: Any, name: str = "web", vpc_id: str | None = None, **kw: Any) -> str:
    kw.setdefault("Description", f"{name} group")
    if vpc_id is not None:
        kw["VpcId"] = vpc_id
    return ec2.create_security_group(GroupName=name, **kw)["GroupId"]


def described(ec2: Any, group_id: str) -> dict[str, Any]:
    return ec2.describe_security_groups(GroupIds=[group_id])["SecurityGroups"][0]


def rules_of(ec2: Any, group_id: str, egress: bool | None = None) -> list[dict[str, Any]]:
    found = ec2.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [group_id]}])[
        "SecurityGroupRules"
    ]
    return [r for r in found if egress is None or r["IsEgress"] == egress]


def tcp(port: int, *cidrs: str, **extra: Any) -> dict[str, Any]:
    """One IpPermission: TCP ``port`` from ``cidrs``."""
    permission: dict[str, Any] = {"IpProtocol": "tcp", "FromPort": port, "ToPort": port}
    if cidrs:
        permission["IpRanges"] = [{"CidrIp": c} for c in cidrs]
    permission.update(extra)
    return permission


def raw_client(env: Any) -> Any:
    """A client that sends what it is given (botocore checks no bounds), as a CLI might."""
    from botocore.config import Config

    return env.client(config=Config(parameter_validation=False))
