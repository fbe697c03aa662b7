"""VPC flow logs: create (per-resource failures), delete, describe, integration templates."""

from __future__ import annotations

import re
from datetime import datetime, timezone

from ec2_helpers import ID17, assert_error

ROLE = "arn:aws:iam::123456789012:role/flow-logs"
BUCKET = "arn:aws:s3:::my-flow-logs"
FIREHOSE = "arn:aws:firehose:eu-west-1:123456789012:deliverystream/my-stream"


def vpc_id(ec2):
    return ec2.describe_vpcs()["Vpcs"][0]["VpcId"]


def to_s3(ec2, resource_ids, resource_type="VPC", **kw):
    kw.setdefault("TrafficType", "ALL")
    return ec2.create_flow_logs(
        ResourceIds=resource_ids,
        ResourceType=resource_type,
        LogDestinationType="s3",
        LogDestination=BUCKET,
        **kw,
    )


def flow_log(ec2, flow_log_id):
    [found] = ec2.describe_flow_logs(FlowLogIds=[flow_log_id])["FlowLogs"]
    return found


def test_create_to_cloudwatch(ec2):
    vpc = vpc_id(ec2)
    got = ec2.create_flow_logs(
        ResourceIds=[vpc],
        ResourceType="VPC",
        TrafficType="REJECT",
        LogGroupName="my-group",
        DeliverLogsPermissionArn=ROLE,
        TagSpecifications=[{"ResourceType": "vpc-flow-log", "Tags": [{"Key": "k", "Value": "v"}]}],
    )
    assert got["Unsuccessful"] == []
    [flow_log_id] = got["FlowLogIds"]
    assert re.fullmatch(rf"fl-{ID17}", flow_log_id)
    shown = flow_log(ec2, flow_log_id)
    assert shown["ResourceId"] == vpc
    assert shown["TrafficType"] == "REJECT"
    assert shown["LogDestinationType"] == "cloud-watch-logs"
    assert shown["LogGroupName"] == "my-group"
    assert shown["DeliverLogsPermissionArn"] == ROLE
    assert shown["FlowLogStatus"] == "ACTIVE"
    assert shown["DeliverLogsStatus"] == "SUCCESS"
    assert shown["MaxAggregationInterval"] == 600
    assert shown["LogFormat"].startswith("${version} ${account-id} ${interface-id}")
    assert shown["Tags"] == [{"Key": "k", "Value": "v"}]
    assert isinstance(shown["CreationTime"], datetime)
    arn = "arn:aws:logs:eu-west-1:123456789012:log-group:other-group"
    by_arn = ec2.create_flow_logs(
        ResourceIds=[vpc],
        ResourceType="VPC",
        TrafficType="ALL",
        LogDestination=arn,
        DeliverLogsPermissionArn=ROLE,
    )["FlowLogIds"][0]
    assert flow_log(ec2, by_arn)["LogGroupName"] == "other-group"


def test_cloudwatch_needs_role_and_group(ec2):
    vpc = vpc_id(ec2)
    base = {"ResourceIds": [vpc], "ResourceType": "VPC", "TrafficType": "ALL"}
    assert_error(ec2.create_flow_logs, "MissingParameter", LogGroupName="g", **base)
    assert_error(ec2.create_flow_logs, "MissingParameter", DeliverLogsPermissionArn=ROLE, **base)
    assert_error(
        ec2.create_flow_logs,
        "InvalidParameterCombination",
        LogGroupName="g",
        LogDestination="arn:aws:logs:eu-west-1:123456789012:log-group:g",
        DeliverLogsPermissionArn=ROLE,
        **base,
    )
    assert_error(
        ec2.create_flow_logs,
        "InvalidParameterValue",
        LogGroupName="g",
        DeliverLogsPermissionArn="not-an-arn",
        **base,
    )


def test_s3_and_firehose(ec2):
    vpc = vpc_id(ec2)
    s3 = to_s3(
        ec2,
        [vpc],
        DestinationOptions={"FileFormat": "parquet", "PerHourPartition": True},
        MaxAggregationInterval=60,
    )["FlowLogIds"][0]
    shown = flow_log(ec2, s3)
    assert shown["LogDestination"] == BUCKET
    assert shown["LogDestinationType"] == "s3"
    assert shown["MaxAggregationInterval"] == 60
    assert shown["DestinationOptions"] == {
        "FileFormat": "parquet",
        "HiveCompatiblePartitions": False,
        "PerHourPartition": True,
    }
    assert "LogGroupName" not in shown
    firehose = ec2.create_flow_logs(
        ResourceIds=[vpc],
        ResourceType="VPC",
        TrafficType="ACCEPT",
        LogDestinationType="kinesis-data-firehose",
        LogDestination=FIREHOSE,
        DeliverCrossAccountRole="arn:aws:iam::123456789012:role/cross",
    )["FlowLogIds"][0]
    shown = flow_log(ec2, firehose)
    assert shown["LogDestination"] == FIREHOSE
    assert shown["DeliverCrossAccountRole"] == "arn:aws:iam::123456789012:role/cross"
    assert_error(
        ec2.create_flow_logs,
        "InvalidParameterValue",
        ResourceIds=[vpc],
        ResourceType="VPC",
        TrafficType="ALL",
        LogDestinationType="s3",
        LogDestination="my-bucket",
    )
    assert_error(
        ec2.create_flow_logs,
        "MissingParameter",
        ResourceIds=[vpc],
        ResourceType="VPC",
        TrafficType="ALL",
        LogDestinationType="s3",
    )
    assert_error(
        ec2.create_flow_logs,
        "InvalidParameterCombination",
        ResourceIds=[vpc],
        ResourceType="VPC",
        TrafficType="ALL",
        LogDestinationType="s3",
        LogDestination=BUCKET,
        LogGroupName="g",
    )
    assert_error(
        ec2.create_flow_logs,
        "InvalidParameterValue",
        ResourceIds=[vpc],
        ResourceType="VPC",
        TrafficType="ALL",
        LogDestinationType="s3",
        LogDestination=BUCKET,
        MaxAggregationInterval=120,
    )


def test_per_resource_failures(ec2):
    vpc = vpc_id(ec2)
    missing = "vpc-0123456789abcdef0"
    got = to_s3(ec2, [vpc, missing])
    assert len(got["FlowLogIds"]) == 1
    [failure] = got["Unsuccessful"]
    assert failure["ResourceId"] == missing
    assert failure["Error"]["Code"] == "InvalidVpcID.NotFound"
    again = to_s3(ec2, [vpc])
    assert again["FlowLogIds"] == []
    [duplicate] = again["Unsuccessful"]
    assert duplicate["Error"]["Code"] == "FlowLogAlreadyExists"
    # another destination is another flow log
    other = ec2.create_flow_logs(
        ResourceIds=[vpc],
        ResourceType="VPC",
        TrafficType="ALL",
        LogDestinationType="s3",
        LogDestination=BUCKET + "/other",
    )
    assert len(other["FlowLogIds"]) == 1
    assert_error(
        ec2.create_flow_logs,
        "InvalidParameter",
        ResourceIds=[vpc],
        ResourceType="Subnet",
        TrafficType="ALL",
        LogDestinationType="s3",
        LogDestination=BUCKET,
    )


def test_subnet_and_interface_flow_logs(ec2):
    subnet = ec2.describe_subnets()["Subnets"][0]["SubnetId"]
    eni = ec2.create_network_interface(SubnetId=subnet)["NetworkInterface"]["NetworkInterfaceId"]
    a = to_s3(ec2, [subnet], "Subnet")["FlowLogIds"][0]
    b = to_s3(ec2, [eni], "NetworkInterface")["FlowLogIds"][0]
    assert flow_log(ec2, a)["ResourceId"] == subnet
    assert flow_log(ec2, b)["ResourceId"] == eni
    failed = to_s3(ec2, ["eni-0123456789abcdef0"], "NetworkInterface")["Unsuccessful"]
    assert failed[0]["Error"]["Code"] == "InvalidNetworkInterfaceID.NotFound"


def test_traffic_type_and_resource_type(ec2):
    vpc = vpc_id(ec2)
    assert_error(
        ec2.create_flow_logs,
        "MissingParameter",
        ResourceIds=[vpc],
        ResourceType="VPC",
        LogDestinationType="s3",
        LogDestination=BUCKET,
    )
    assert_error(
        ec2.create_flow_logs,
        "InvalidParameterCombination",
        ResourceIds=["tgw-0123456789abcdef0"],
        ResourceType="TransitGateway",
        TrafficType="ALL",
        LogDestinationType="s3",
        LogDestination=BUCKET,
    )
    assert_error(
        ec2.create_flow_logs,
        "InvalidParameterValue",
        ResourceIds=["tgw-0123456789abcdef0"],
        ResourceType="TransitGateway",
        LogDestinationType="s3",
        LogDestination=BUCKET,
        MaxAggregationInterval=600,
    )
    too_many = [f"vpc-{i:017x}" for i in range(301)]
    assert_error(
        ec2.create_flow_logs,
        "InvalidParameterValue",
        ResourceIds=too_many,
        ResourceType="VPC",
        TrafficType="ALL",
        LogDestinationType="s3",
        LogDestination=BUCKET,
    )


def test_log_format(ec2):
    vpc = vpc_id(ec2)
    fmt = "${version} ${vpc-id} ${srcaddr} ${action} ${instance-tag} ${next-hop-vpc-id}"
    got = to_s3(ec2, [vpc], LogFormat=fmt)["FlowLogIds"][0]
    assert flow_log(ec2, got)["LogFormat"] == fmt
    for bad in ("${version}  ${srcaddr}", "${nope}", "version", "${srcaddr} ${srcaddr}", ""):
        assert_error(
            ec2.create_flow_logs,
            "InvalidParameterValue",
            ResourceIds=[vpc],
            ResourceType="VPC",
            TrafficType="ALL",
            LogDestinationType="s3",
            LogDestination=BUCKET + "/x",
            LogFormat=bad,
        )


def test_tag_field_specifications(ec2):
    vpc = vpc_id(ec2)
    got = to_s3(
        ec2,
        [vpc],
        TagFieldSpecifications=[{"ResourceType": "instance", "TagKeys": ["Name", "team"]}],
    )["FlowLogIds"][0]
    assert flow_log(ec2, got)["TagFieldSpecifications"] == [
        {"ResourceType": "instance", "TagKeys": ["Name", "team"]}
    ]
    for bad in (
        [{"ResourceType": "instance", "TagKeys": ["a", "b", "c"]}],
        [{"ResourceType": "vpc", "TagKeys": ["a"]}],
        [
            {"ResourceType": "instance", "TagKeys": ["a"]},
            {"ResourceType": "instance", "TagKeys": ["b"]},
        ],
    ):
        assert_error(
            ec2.create_flow_logs,
            "InvalidParameterValue",
            ResourceIds=[vpc],
            ResourceType="VPC",
            TrafficType="ALL",
            LogDestinationType="s3",
            LogDestination=BUCKET + "/tags",
            TagFieldSpecifications=bad,
        )


def test_client_token(ec2):
    vpc = vpc_id(ec2)
    first = to_s3(ec2, [vpc], ClientToken="abc")
    again = to_s3(ec2, [vpc], ClientToken="abc")
    assert first["ClientToken"] == "abc"
    assert again["FlowLogIds"] == first["FlowLogIds"]
    assert again["Unsuccessful"] == []
    assert_error(
        ec2.create_flow_logs,
        "IdempotentParameterMismatch",
        ResourceIds=[vpc],
        ResourceType="VPC",
        TrafficType="ACCEPT",
        LogDestinationType="s3",
        LogDestination=BUCKET,
        ClientToken="abc",
    )


def test_delete(ec2):
    vpc = vpc_id(ec2)
    [flow_log_id] = to_s3(ec2, [vpc])["FlowLogIds"]
    missing = "fl-0123456789abcdef0"
    got = ec2.delete_flow_logs(FlowLogIds=[flow_log_id, missing, "bogus"])
    failures = {f["ResourceId"]: f["Error"]["Code"] for f in got["Unsuccessful"]}
    assert failures == {
        missing: "InvalidFlowLogId.NotFound",
        "bogus": "InvalidFlowLogId.Malformed",
    }
    assert ec2.describe_flow_logs()["FlowLogs"] == []
    # gone, so the same flow log can be made again
    assert len(to_s3(ec2, [vpc])["FlowLogIds"]) == 1


def test_dry_run(ec2):
    vpc = vpc_id(ec2)
    assert_error(
        ec2.create_flow_logs,
        "DryRunOperation",
        status=412,
        ResourceIds=[vpc],
        ResourceType="VPC",
        TrafficType="ALL",
        LogDestinationType="s3",
        LogDestination=BUCKET,
        DryRun=True,
    )
    assert ec2.describe_flow_logs()["FlowLogs"] == []
    [flow_log_id] = to_s3(ec2, [vpc])["FlowLogIds"]
    assert_error(
        ec2.delete_flow_logs, "DryRunOperation", status=412, FlowLogIds=[flow_log_id], DryRun=True
    )
    assert_error(ec2.describe_flow_logs, "DryRunOperation", status=412, DryRun=True)
    assert_error(
        ec2.get_flow_logs_integration_template,
        "DryRunOperation",
        status=412,
        FlowLogId=flow_log_id,
        ConfigDeliveryS3DestinationArn=BUCKET,
        IntegrateServices={
            "AthenaIntegrations": [
                {
                    "IntegrationResultS3DestinationArn": BUCKET,
                    "PartitionLoadFrequency": "daily",
                }
            ]
        },
        DryRun=True,
    )
    assert len(ec2.describe_flow_logs()["FlowLogs"]) == 1


def test_describe_filters_and_paging(ec2):
    vpc = vpc_id(ec2)
    subnets = [s["SubnetId"] for s in ec2.describe_subnets()["Subnets"]]
    s3_id = to_s3(ec2, [vpc], TrafficType="ACCEPT")["FlowLogIds"][0]
    cw_id = ec2.create_flow_logs(
        ResourceIds=[vpc],
        ResourceType="VPC",
        TrafficType="REJECT",
        LogGroupName="grp",
        DeliverLogsPermissionArn=ROLE,
        TagSpecifications=[{"ResourceType": "vpc-flow-log", "Tags": [{"Key": "t", "Value": "1"}]}],
    )["FlowLogIds"][0]
    subnet_ids = to_s3(ec2, subnets, "Subnet")["FlowLogIds"]

    def ids(name, value):
        got = ec2.describe_flow_logs(Filter=[{"Name": name, "Values": [value]}])["FlowLogs"]
        return {f["FlowLogId"] for f in got}

    assert ids("flow-log-id", s3_id) == {s3_id}
    assert ids("resource-id", vpc) == {s3_id, cw_id}
    assert ids("log-destination-type", "cloud-watch-logs") == {cw_id}
    assert ids("log-group-name", "grp") == {cw_id}
    assert ids("traffic-type", "REJECT") == {cw_id}
    assert ids("deliver-log-status", "SUCCESS") == {s3_id, cw_id, *subnet_ids}
    assert ids("tag:t", "1") == {cw_id}
    assert ids("tag-key", "t") == {cw_id}
    assert_error(
        ec2.describe_flow_logs, "InvalidParameterValue", Filter=[{"Name": "bogus", "Values": ["x"]}]
    )
    total = 2 + len(subnet_ids)
    first = ec2.describe_flow_logs(MaxResults=2)
    assert len(first["FlowLogs"]) == 2
    rest = ec2.describe_flow_logs(MaxResults=1000, NextToken=first["NextToken"])
    assert len(rest["FlowLogs"]) == total - 2
    assert "NextToken" not in rest
    assert_error(ec2.describe_flow_logs, "InvalidParameterValue", MaxResults=1001)


def test_integration_template(ec2):
    vpc = vpc_id(ec2)
    [s3_id] = to_s3(ec2, [vpc])["FlowLogIds"]
    integrate = {
        "AthenaIntegrations": [
            {
                "IntegrationResultS3DestinationArn": "arn:aws:s3:::results",
                "PartitionLoadFrequency": "weekly",
                "PartitionStartDate": datetime(2024, 1, 1, tzinfo=timezone.utc),
                "PartitionEndDate": datetime(2024, 2, 1, tzinfo=timezone.utc),
            }
        ]
    }
    got = ec2.get_flow_logs_integration_template(
        FlowLogId=s3_id,
        ConfigDeliveryS3DestinationArn="arn:aws:s3:::templates/cfn",
        IntegrateServices=integrate,
    )["Result"]
    assert got.startswith("https://templates.s3.eu-west-1.amazonaws.com/cfn/")
    assert s3_id in got and got.endswith(".yml")
    cw_id = ec2.create_flow_logs(
        ResourceIds=[vpc],
        ResourceType="VPC",
        TrafficType="ALL",
        LogGroupName="grp",
        DeliverLogsPermissionArn=ROLE,
    )["FlowLogIds"][0]
    assert_error(
        ec2.get_flow_logs_integration_template,
        "InvalidParameterValue",
        FlowLogId=cw_id,
        ConfigDeliveryS3DestinationArn="arn:aws:s3:::templates",
        IntegrateServices=integrate,
    )
    assert_error(
        ec2.get_flow_logs_integration_template,
        "InvalidFlowLogId.NotFound",
        FlowLogId="fl-0123456789abcdef0",
        ConfigDeliveryS3DestinationArn="arn:aws:s3:::templates",
        IntegrateServices=integrate,
    )


def test_create_tags_on_flow_logs(ec2):
    [flow_log_id] = to_s3(ec2, [vpc_id(ec2)])["FlowLogIds"]
    ec2.create_tags(Resources=[flow_log_id], Tags=[{"Key": "k", "Value": "v"}])
    assert flow_log(ec2, flow_log_id)["Tags"] == [{"Key": "k", "Value": "v"}]


def test_cross_account_firehose_needs_role(ec2):
    other = "arn:aws:firehose:eu-west-1:111122223333:deliverystream/theirs"
    base = {
        "ResourceIds": [vpc_id(ec2)],
        "ResourceType": "VPC",
        "TrafficType": "ALL",
        "LogDestinationType": "kinesis-data-firehose",
        "LogDestination": other,
    }
    assert_error(ec2.create_flow_logs, "MissingParameter", **base)
    got = ec2.create_flow_logs(DeliverLogsPermissionArn=ROLE, **base)
    assert len(got["FlowLogIds"]) == 1


def test_flow_logs_of_a_deleted_interface_go(ec2):
    subnet = ec2.describe_subnets()["Subnets"][0]["SubnetId"]
    eni = ec2.create_network_interface(SubnetId=subnet)["NetworkInterface"]["NetworkInterfaceId"]
    [flow_log_id] = to_s3(ec2, [eni], "NetworkInterface")["FlowLogIds"]
    ec2.delete_network_interface(NetworkInterfaceId=eni)
    assert ec2.describe_flow_logs(FlowLogIds=[flow_log_id])["FlowLogs"] == []
