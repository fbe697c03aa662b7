"""Small helpers shared by the EC2 tests."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError

AMI = "ami-0abcdef1234567890"
ID17 = r"[0-9a-f]{17}"


def launch(ec2: Any, count: int = 1, **kw: Any) -> list[dict[str, Any]]:
    """Run ``count`` instances; the Instances of the reservation."""
    kw.setdefault("ImageId", AMI)
    kw.setdefault("MinCount", count)
    kw.setdefault("MaxCount", count)
    return ec2.run_instances(**kw)["Instances"]


def launch_ids(ec2: Any, count: int = 1, **kw: Any) -> list[str]:
    return [i["InstanceId"] for i in launch(ec2, count, **kw)]


def instances(ec2: Any, **kw: Any) -> list[dict[str, Any]]:
    """Every instance DescribeInstances returns (one page, no paging)."""
    return [i for r in ec2.describe_instances(**kw)["Reservations"] for i in r["Instances"]]


def instance(ec2: Any, instance_id: str) -> dict[str, Any]:
    found = instances(ec2, InstanceIds=[instance_id])
    assert len(found) == 1
    return found[0]


def state_of(ec2: Any, instance_id: str) -> str:
    return instance(ec2, instance_id)["State"]["Name"]


def ids_of(items: list[dict[str, Any]]) -> set[str]:
    return {i["InstanceId"] for i in items}


def error_of(call: Callable[..., Any], **kw: Any) -> dict[str, Any]:
    """The ClientError response ``call(**kw)`` must raise."""
    with pytest.raises(ClientError) as info:
        call(**kw)
    return info.value.response


def assert_error(
    call: Callable[..., Any],
    code: str,
    status: int = 400,
    message: str | None = None,
    **kw: Any,
) -> dict[str, Any]:
    """``call(**kw)`` fails with ``code`` and ``status``; the message mentions ``message``."""
    response = error_of(call, **kw)
    error = response["Error"]
    assert error["Code"] == code, error
    assert response["ResponseMetadata"]["HTTPStatusCode"] == status, response
    assert error.get("Message"), error
    if message is not None:
        assert re.search(message, error["Message"], re.IGNORECASE), error["Message"]
    return error


def assert_launch_error(
    ec2: Any, code: str, status: int = 400, message: str | None = None, **kw: Any
) -> dict[str, Any]:
    """RunInstances of one instance of AMI, with ``kw`` on top, fails with ``code``."""
    return assert_error(
        ec2.run_instances,
        code,
        status,
        message,
        **{"ImageId": AMI, "MinCount": 1, "MaxCount": 1, **kw},
    )


def delete_default_vpc(ec2: Any) -> str:
    """Delete the region's default VPC as a user would (subnets, gateway, then the VPC)."""
    by_vpc = [{"Name": "is-default", "Values": ["true"]}]
    vpc_id: str = ec2.describe_vpcs(Filters=by_vpc)["Vpcs"][0]["VpcId"]
    in_vpc = [{"Name": "vpc-id", "Values": [vpc_id]}]
    for subnet in ec2.describe_subnets(Filters=in_vpc)["Subnets"]:
        ec2.delete_subnet(SubnetId=subnet["SubnetId"])
    attached = [{"Name": "attachment.vpc-id", "Values": [vpc_id]}]
    for gateway in ec2.describe_internet_gateways(Filters=attached)["InternetGateways"]:
        gateway_id = gateway["InternetGatewayId"]
        ec2.detach_internet_gateway(InternetGatewayId=gateway_id, VpcId=vpc_id)
        ec2.delete_internet_gateway(InternetGatewayId=gateway_id)
    ec2.delete_vpc(VpcId=vpc_id)
    return vpc_id
