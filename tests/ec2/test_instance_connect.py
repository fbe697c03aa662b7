"""EC2 Instance Connect Endpoints and SQL Server HA standby detection."""

from __future__ import annotations

import pytest
from ec2_helpers import assert_error, launch


@pytest.fixture
def subnet(ec2):
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    return ec2.create_subnet(VpcId=vpc, CidrBlock="10.9.1.0/24")["Subnet"]


def _endpoints(ec2, **kw):
    return ec2.describe_instance_connect_endpoints(**kw)["InstanceConnectEndpoints"]


def test_create_describe_delete(ec2, subnet):
    out = ec2.create_instance_connect_endpoint(
        SubnetId=subnet["SubnetId"],
        ClientToken="tok-1",
        TagSpecifications=[
            {"ResourceType": "instance-connect-endpoint", "Tags": [{"Key": "Name", "Value": "ice"}]}
        ],
    )
    endpoint = out["InstanceConnectEndpoint"]
    endpoint_id = endpoint["InstanceConnectEndpointId"]
    assert endpoint_id.startswith("eice-")
    assert endpoint["State"] == "create-in-progress"
    assert endpoint["SubnetId"] == subnet["SubnetId"]
    assert endpoint["VpcId"] == subnet["VpcId"]
    assert endpoint["IpAddressType"] == "ipv4"
    assert endpoint["PreserveClientIp"] is False
    assert endpoint["InstanceConnectEndpointArn"].endswith(
        f":instance-connect-endpoint/{endpoint_id}"
    )
    assert endpoint["DnsName"].startswith(endpoint_id)
    [eni_id] = endpoint["NetworkInterfaceIds"]
    [eni] = ec2.describe_network_interfaces(NetworkInterfaceIds=[eni_id])["NetworkInterfaces"]
    assert eni["RequesterManaged"] is True
    assert eni["SubnetId"] == subnet["SubnetId"]
    # the same client token gives the same endpoint
    again = ec2.create_instance_connect_endpoint(SubnetId=subnet["SubnetId"], ClientToken="tok-1")
    assert again["InstanceConnectEndpoint"]["InstanceConnectEndpointId"] == endpoint_id

    [shown] = _endpoints(ec2, InstanceConnectEndpointIds=[endpoint_id])
    assert shown["State"] == "create-complete"
    assert shown["Tags"] == [{"Key": "Name", "Value": "ice"}]
    for name, value in (
        ("instance-connect-endpoint-id", endpoint_id),
        ("state", "create-complete"),
        ("subnet-id", subnet["SubnetId"]),
        ("vpc-id", subnet["VpcId"]),
        ("tag:Name", "ice"),
        ("tag-key", "Name"),
        ("tag-value", "ice"),
    ):
        found = _endpoints(ec2, Filters=[{"Name": name, "Values": [value]}])
        assert [e["InstanceConnectEndpointId"] for e in found] == [endpoint_id], name

    # the subnet is in use while the endpoint's interface is there
    assert_error(ec2.delete_subnet, "DependencyViolation", SubnetId=subnet["SubnetId"])
    assert_error(
        ec2.delete_instance_connect_endpoint,
        "DryRunOperation",
        status=412,
        InstanceConnectEndpointId=endpoint_id,
        DryRun=True,
    )
    gone = ec2.delete_instance_connect_endpoint(InstanceConnectEndpointId=endpoint_id)
    assert_error(
        ec2.modify_instance_connect_endpoint,
        "IncorrectState",
        InstanceConnectEndpointId=endpoint_id,
        PreserveClientIp=True,
    )
    assert gone["InstanceConnectEndpoint"]["State"] == "delete-in-progress"
    [after] = _endpoints(ec2, InstanceConnectEndpointIds=[endpoint_id])
    assert after["State"] == "delete-complete"
    ec2.delete_subnet(SubnetId=subnet["SubnetId"])


def test_modify(ec2, subnet):
    endpoint_id = ec2.create_instance_connect_endpoint(SubnetId=subnet["SubnetId"])[
        "InstanceConnectEndpoint"
    ]["InstanceConnectEndpointId"]
    group = ec2.create_security_group(GroupName="ice", Description="ice", VpcId=subnet["VpcId"])[
        "GroupId"
    ]
    assert ec2.modify_instance_connect_endpoint(
        InstanceConnectEndpointId=endpoint_id, PreserveClientIp=True, SecurityGroupIds=[group]
    )["Return"]
    [shown] = _endpoints(ec2)
    assert shown["PreserveClientIp"] is True
    assert shown["SecurityGroupIds"] == [group]
    assert shown["State"] == "update-complete"
    assert_error(
        ec2.modify_instance_connect_endpoint,
        "InvalidParameterValue",
        message="IPv6",
        InstanceConnectEndpointId=endpoint_id,
        IpAddressType="dualstack",
        PreserveClientIp=False,
    )
    assert_error(
        ec2.modify_instance_connect_endpoint,
        "DryRunOperation",
        status=412,
        InstanceConnectEndpointId=endpoint_id,
        PreserveClientIp=False,
        DryRun=True,
    )


def test_create_errors(ec2, subnet):
    assert_error(
        ec2.create_instance_connect_endpoint,
        "InvalidSubnetID.NotFound",
        SubnetId="subnet-0123456789abcdef0",
    )
    assert_error(
        ec2.create_instance_connect_endpoint,
        "InvalidParameterValue",
        SubnetId=subnet["SubnetId"],
        IpAddressType="dualstack",
    )
    default_group = ec2.describe_security_groups(
        Filters=[{"Name": "group-name", "Values": ["default"]}]
    )["SecurityGroups"]
    elsewhere = [g["GroupId"] for g in default_group if g["VpcId"] != subnet["VpcId"]]
    assert_error(
        ec2.create_instance_connect_endpoint,
        "InvalidParameter",
        SubnetId=subnet["SubnetId"],
        SecurityGroupIds=elsewhere[:1],
    )
    assert_error(
        ec2.create_instance_connect_endpoint,
        "DryRunOperation",
        status=412,
        SubnetId=subnet["SubnetId"],
        DryRun=True,
    )
    assert _endpoints(ec2) == []
    assert_error(
        ec2.delete_instance_connect_endpoint,
        "InvalidInstanceConnectEndpointId.NotFound",
        InstanceConnectEndpointId="eice-0123456789abcdef0",
    )


# -- SQL Server HA


def _windows_ami(ec2):
    """Amazon's Windows Server 2022 AMI from the public catalogue."""
    found = ec2.describe_images(
        Owners=["amazon"],
        Filters=[{"Name": "name", "Values": ["Windows_Server-2022-English-Full-Base-*"]}],
    )["Images"]
    return found[0]["ImageId"]


def test_sql_ha_standby_detection(ec2):
    windows_ami = _windows_ami(ec2)
    [first, second] = [
        i["InstanceId"]
        for i in launch(
            ec2,
            2,
            ImageId=windows_ami,
            InstanceType="m5.large",
            TagSpecifications=[
                {"ResourceType": "instance", "Tags": [{"Key": "cluster", "Value": "sql"}]}
            ],
        )
    ]
    [linux] = [i["InstanceId"] for i in launch(ec2)]
    enabled = ec2.enable_instance_sql_ha_standby_detections(
        InstanceIds=[first, second, linux],
        SqlServerCredentials="arn:aws:secretsmanager:eu-west-1:123456789012:secret:sql",
    )["Instances"]
    assert {i["HaStatus"] for i in enabled} == {"processing"}
    states = {
        i["InstanceId"]: (i["HaStatus"], i["SqlServerLicenseUsage"])
        for i in ec2.describe_instance_sql_ha_states()["Instances"]
    }
    assert states == {
        first: ("active", "full"),
        second: ("standby", "waived"),
        linux: ("invalid", "full"),
    }
    standby = ec2.describe_instance_sql_ha_states(
        Filters=[{"Name": "sqlServerLicenseUsage", "Values": ["waived"]}]
    )["Instances"]
    assert [i["InstanceId"] for i in standby] == [second]
    tagged = ec2.describe_instance_sql_ha_states(
        Filters=[
            {"Name": "tag:cluster", "Values": ["sql"]},
            {"Name": "haStatus", "Values": ["active"]},
        ]
    )["Instances"]
    assert [i["InstanceId"] for i in tagged] == [first]
    assert ec2.describe_instance_sql_ha_states(
        Filters=[{"Name": "tag-key", "Values": ["cluster"]}]
    )["Instances"]

    # the active node goes away: the standby takes over
    ec2.terminate_instances(InstanceIds=[first])
    ec2.describe_instances()
    states = {
        i["InstanceId"]: i["HaStatus"] for i in ec2.describe_instance_sql_ha_states()["Instances"]
    }
    assert states[second] == "active"
    history = ec2.describe_instance_sql_ha_history_states(InstanceIds=[second])["Instances"]
    assert [h["HaStatus"] for h in history] == ["processing", "standby", "active"]
    assert (
        ec2.describe_instance_sql_ha_history_states(
            Filters=[{"Name": "haStatus", "Values": ["standby"]}]
        )["Instances"][0]["InstanceId"]
        == second
    )

    disabled = ec2.disable_instance_sql_ha_standby_detections(InstanceIds=[linux])["Instances"]
    assert [i["InstanceId"] for i in disabled] == [linux]
    assert linux not in {
        i["InstanceId"] for i in ec2.describe_instance_sql_ha_states()["Instances"]
    }
    assert_error(
        ec2.disable_instance_sql_ha_standby_detections,
        "InvalidParameterValue",
        InstanceIds=[linux],
    )
    for call in (
        ec2.enable_instance_sql_ha_standby_detections,
        ec2.disable_instance_sql_ha_standby_detections,
    ):
        assert_error(call, "DryRunOperation", status=412, InstanceIds=[second], DryRun=True)
