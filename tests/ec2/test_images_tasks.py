"""Image work over time: fast launch, store/restore, export/import, usage reports, findings."""

from __future__ import annotations

import json
from typing import Any

from ec2_helpers import assert_error, launch
from images_helpers import OTHER, image, make_image, other_client

TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "vmie.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
)


def windows_image(ec2: Any) -> str:
    public = ec2.describe_images(
        Owners=["amazon"],
        Filters=[{"Name": "name", "Values": ["Windows_Server-2022-English-Full-Base-*"]}],
    )["Images"][0]
    copied: str = ec2.copy_image(
        Name="my-windows", SourceImageId=public["ImageId"], SourceRegion="eu-west-1"
    )["ImageId"]
    return copied


def test_fast_launch(env: Any, ec2: Any, ec2_options: Any) -> None:
    ec2_options(transition_delay=10)
    ec2 = env.client()
    image_id = windows_image(ec2)
    env.clock.advance(10)
    enabled = ec2.enable_fast_launch(
        ImageId=image_id,
        ResourceType="snapshot",
        SnapshotConfiguration={"TargetResourceCount": 10},
        LaunchTemplate={"LaunchTemplateName": "windows-lt", "Version": "1"},
        MaxParallelLaunches=8,
    )
    assert enabled["State"] == "enabling"
    assert enabled["SnapshotConfiguration"] == {"TargetResourceCount": 10}
    assert enabled["LaunchTemplate"] == {"LaunchTemplateName": "windows-lt", "Version": "1"}
    assert enabled["MaxParallelLaunches"] == 8
    assert_error(ec2.disable_fast_launch, "IncorrectState", ImageId=image_id)
    env.clock.advance(10)
    (shown,) = ec2.describe_fast_launch_images(ImageIds=[image_id])["FastLaunchImages"]
    assert shown["State"] == "enabled"
    assert shown["OwnerId"] == "123456789012"
    for name, value in (
        ("state", "enabled"),
        ("owner-id", "123456789012"),
        ("resource-type", "snapshot"),
    ):
        found = ec2.describe_fast_launch_images(Filters=[{"Name": name, "Values": [value]}])
        assert len(found["FastLaunchImages"]) == 1, name
        missed = ec2.describe_fast_launch_images(Filters=[{"Name": name, "Values": ["x"]}])
        assert missed["FastLaunchImages"] == [], name
    assert ec2.disable_fast_launch(ImageId=image_id)["State"] == "disabling"
    env.clock.advance(10)
    assert ec2.describe_fast_launch_images()["FastLaunchImages"] == []
    linux = ec2.create_image(InstanceId=launch(ec2)[0]["InstanceId"], Name="linux")["ImageId"]
    assert_error(ec2.enable_fast_launch, "InvalidParameterValue", ImageId=linux)
    assert_error(
        ec2.enable_fast_launch, "InvalidParameterValue", ImageId=image_id, MaxParallelLaunches=2
    )
    assert_error(ec2.disable_fast_launch, "InvalidParameterValue", ImageId=image_id)
    assert_error(ec2.enable_fast_launch, "DryRunOperation", 412, ImageId=image_id, DryRun=True)
    ec2.enable_fast_launch(ImageId=image_id)
    assert_error(
        ec2.disable_fast_launch, "DryRunOperation", 412, ImageId=image_id, Force=True, DryRun=True
    )
    assert ec2.disable_fast_launch(ImageId=image_id, Force=True)["State"] == "disabling"


def test_store_and_restore_an_image(env: Any, ec2: Any) -> None:
    image_id = make_image(ec2, "stored", Description="keep me")
    key = ec2.create_store_image_task(
        ImageId=image_id, Bucket="ami-bucket", S3ObjectTags=[{"Key": "k", "Value": "v"}]
    )["ObjectKey"]
    assert key == f"{image_id}.bin"
    ec2.get_waiter("store_image_task_complete").wait(
        ImageIds=[image_id], WaiterConfig={"Delay": 0, "MaxAttempts": 5}
    )
    (task,) = ec2.describe_store_image_tasks(ImageIds=[image_id])["StoreImageTaskResults"]
    assert task["AmiId"] == image_id
    assert task["Bucket"] == "ami-bucket"
    assert task["S3objectKey"] == key
    assert task["StoreTaskState"] == "Completed"
    assert task["ProgressPercentage"] == 100
    by_filter = ec2.describe_store_image_tasks(
        Filters=[
            {"Name": "bucket", "Values": ["ami-bucket"]},
            {"Name": "task-state", "Values": ["Completed"]},
        ]
    )["StoreImageTaskResults"]
    assert len(by_filter) == 1
    assert (
        ec2.describe_store_image_tasks(Filters=[{"Name": "task-state", "Values": ["Failed"]}])[
            "StoreImageTaskResults"
        ]
        == []
    )
    # the stored object restores an image, in this account or another
    restored = ec2.create_restore_image_task(
        Bucket="ami-bucket",
        ObjectKey=key,
        Name="restored",
        TagSpecifications=[{"ResourceType": "image", "Tags": [{"Key": "from", "Value": "s3"}]}],
    )["ImageId"]
    shown = image(ec2, restored)
    assert shown["Name"] == "restored"
    assert shown["Description"] == "keep me"
    assert shown["Tags"] == [{"Key": "from", "Value": "s3"}]
    other = other_client(env)
    theirs = other.create_restore_image_task(Bucket="ami-bucket", ObjectKey=key)["ImageId"]
    assert image(other, theirs)["Name"] == "stored"
    assert image(other, theirs)["OwnerId"] == OTHER
    assert_error(
        ec2.create_restore_image_task,
        "InvalidParameterValue",
        Bucket="ami-bucket",
        ObjectKey="nope.bin",
    )
    assert_error(
        ec2.create_restore_image_task,
        "InvalidAMIName.Duplicate",
        Bucket="ami-bucket",
        ObjectKey=key,
    )
    assert_error(
        ec2.describe_store_image_tasks,
        "InvalidParameterCombination",
        ImageIds=[image_id],
        MaxResults=5,
    )
    assert_error(
        ec2.create_store_image_task,
        "DryRunOperation",
        412,
        ImageId=image_id,
        Bucket="b",
        DryRun=True,
    )
    assert_error(
        ec2.create_restore_image_task,
        "DryRunOperation",
        412,
        Bucket="ami-bucket",
        ObjectKey=key,
        Name="dry",
        DryRun=True,
    )


def test_export_then_import_an_image(env: Any, ec2: Any) -> None:
    image_id = make_image(ec2, "exported")
    assert_error(
        ec2.export_image,
        "InvalidParameter",
        message="vmimport",
        ImageId=image_id,
        DiskImageFormat="VMDK",
        S3ExportLocation={"S3Bucket": "exports"},
    )
    env.client("iam").create_role(RoleName="vmimport", AssumeRolePolicyDocument=TRUST)
    exported = ec2.export_image(
        ImageId=image_id,
        DiskImageFormat="VMDK",
        S3ExportLocation={"S3Bucket": "exports", "S3Prefix": "vms/"},
        Description="to disk",
        ClientToken="export-once",
        TagSpecifications=[
            {"ResourceType": "export-image-task", "Tags": [{"Key": "k", "Value": "v"}]}
        ],
    )
    task_id = exported["ExportImageTaskId"]
    assert task_id.startswith("export-ami-")
    assert exported["Status"] == "active"
    assert exported["RoleName"] == "vmimport"
    again = ec2.export_image(
        ImageId=image_id,
        DiskImageFormat="VMDK",
        S3ExportLocation={"S3Bucket": "exports", "S3Prefix": "vms/"},
        ClientToken="export-once",
    )
    assert again["ExportImageTaskId"] == task_id
    (task,) = ec2.describe_export_image_tasks(ExportImageTaskIds=[task_id])["ExportImageTasks"]
    assert task["Status"] == "completed"
    assert task["S3ExportLocation"] == {"S3Bucket": "exports", "S3Prefix": "vms/"}
    assert task["Tags"] == [{"Key": "k", "Value": "v"}]
    assert_error(
        ec2.describe_export_image_tasks,
        "InvalidExportImageTaskId.NotFound",
        ExportImageTaskIds=["export-ami-0123456789abcdef0"],
    )
    # the exported disk imports as a new image
    imported = ec2.import_image(
        Description="back again",
        DiskContainers=[{"UserBucket": {"S3Bucket": "exports", "S3Key": f"vms/{task_id}.vmdk"}}],
        TagSpecifications=[
            {"ResourceType": "import-image-task", "Tags": [{"Key": "t", "Value": "1"}]}
        ],
    )
    import_id = imported["ImportTaskId"]
    assert import_id.startswith("import-ami-")
    assert imported["Status"] == "active"
    (done,) = ec2.describe_import_image_tasks(ImportTaskIds=[import_id])["ImportImageTasks"]
    assert done["Status"] == "completed"
    assert done["Platform"] == "Linux"
    assert done["Tags"] == [{"Key": "t", "Value": "1"}]
    new_image = image(ec2, done["ImageId"])
    assert new_image["Name"] == import_id
    assert new_image["Description"] == "back again"
    assert (
        done["SnapshotDetails"][0]["SnapshotId"]
        == new_image["BlockDeviceMappings"][0]["Ebs"]["SnapshotId"]
    )
    # from a snapshot of this account
    snapshot = new_image["BlockDeviceMappings"][0]["Ebs"]["SnapshotId"]
    from_snapshot = ec2.import_image(Platform="Windows", DiskContainers=[{"SnapshotId": snapshot}])
    (shown,) = ec2.describe_import_image_tasks(ImportTaskIds=[from_snapshot["ImportTaskId"]])[
        "ImportImageTasks"
    ]
    assert image(ec2, shown["ImageId"])["Platform"] == "windows"
    assert len(ec2.describe_import_image_tasks()["ImportImageTasks"]) == 2
    assert_error(
        ec2.import_image,
        "InvalidParameterValue",
        DiskContainers=[{"Url": "s3://elsewhere/disk.vmdk"}],
    )
    assert_error(ec2.import_image, "MissingParameter")
    assert_error(
        ec2.export_image,
        "DryRunOperation",
        412,
        ImageId=image_id,
        DiskImageFormat="RAW",
        S3ExportLocation={"S3Bucket": "exports"},
        DryRun=True,
    )
    assert_error(
        ec2.import_image,
        "DryRunOperation",
        412,
        DiskContainers=[{"SnapshotId": snapshot}],
        DryRun=True,
    )
    assert len(ec2.describe_import_image_tasks()["ImportImageTasks"]) == 2


def test_usage_reports(env: Any, ec2: Any) -> None:
    image_id = make_image(ec2)
    ec2.modify_image_attribute(ImageId=image_id, LaunchPermission={"Add": [{"UserId": OTHER}]})
    other = other_client(env)
    launch(other, 2, ImageId=image_id)
    launch(ec2, ImageId=image_id)
    report_id = ec2.create_image_usage_report(
        ImageId=image_id,
        ResourceTypes=[{"ResourceType": "ec2:Instance"}],
        TagSpecifications=[
            {"ResourceType": "image-usage-report", "Tags": [{"Key": "k", "Value": "v"}]}
        ],
    )["ReportId"]
    ec2.get_waiter("image_usage_report_available").wait(
        ReportIds=[report_id], WaiterConfig={"Delay": 0, "MaxAttempts": 5}
    )
    (report,) = ec2.describe_image_usage_reports(ReportIds=[report_id])["ImageUsageReports"]
    assert report["ImageId"] == image_id
    assert report["State"] == "available"
    assert report["Tags"] == [{"Key": "k", "Value": "v"}]
    assert report["ExpirationTime"] > report["CreationTime"]
    entries = ec2.describe_image_usage_report_entries(ReportIds=[report_id])[
        "ImageUsageReportEntries"
    ]
    assert [(e["AccountId"], e["ResourceType"], e["UsageCount"]) for e in entries] == [
        (OTHER, "ec2:Instance", 2)
    ]
    for name, value in (("account-id", OTHER), ("resource-type", "ec2:Instance")):
        found = ec2.describe_image_usage_report_entries(
            ImageIds=[image_id], Filters=[{"Name": name, "Values": [value]}]
        )["ImageUsageReportEntries"]
        assert len(found) == 1, name
    stamp = report["CreationTime"].strftime("%Y-%m-%d") + "*"
    assert ec2.describe_image_usage_report_entries(
        Filters=[{"Name": "creation-time", "Values": [stamp]}]
    )["ImageUsageReportEntries"]
    for name, value in (("state", "available"), ("creation-time", stamp), ("tag:k", "v")):
        found = ec2.describe_image_usage_reports(Filters=[{"Name": name, "Values": [value]}])
        assert len(found["ImageUsageReports"]) == 1, name
    only = ec2.create_image_usage_report(
        ImageId=image_id,
        ResourceTypes=[{"ResourceType": "ec2:Instance"}],
        AccountIds=["444455556666"],
    )["ReportId"]
    assert (
        ec2.describe_image_usage_report_entries(ReportIds=[only])["ImageUsageReportEntries"] == []
    )
    assert ec2.delete_image_usage_report(ReportId=only)["Return"] is True
    assert [r["ReportId"] for r in ec2.describe_image_usage_reports()["ImageUsageReports"]] == [
        report_id
    ]
    assert_error(
        ec2.create_image_usage_report,
        "InvalidParameterValue",
        ImageId=image_id,
        ResourceTypes=[{"ResourceType": "ec2:Volume"}],
    )
    assert_error(
        ec2.create_image_usage_report,
        "DryRunOperation",
        412,
        ImageId=image_id,
        ResourceTypes=[{"ResourceType": "ec2:Instance"}],
        DryRun=True,
    )
    assert_error(
        ec2.delete_image_usage_report, "DryRunOperation", 412, ReportId=report_id, DryRun=True
    )


def test_findings_and_product_codes(ec2: Any) -> None:
    image_id = make_image(ec2)
    assert ec2.get_image_findings(ImageId=image_id)["ImageFindings"] == []
    assert_error(ec2.get_image_findings, "InvalidAMIID.NotFound", ImageId="ami-0123456789abcdef0")
    instance_id = launch(ec2, ImageId=image_id)[0]["InstanceId"]
    assert (
        ec2.confirm_product_instance(InstanceId=instance_id, ProductCode="abcd1234")["Return"]
        is False
    )
    assert_error(
        ec2.confirm_product_instance,
        "DryRunOperation",
        412,
        InstanceId=instance_id,
        ProductCode="abcd1234",
        DryRun=True,
    )
    assert_error(
        ec2.confirm_product_instance,
        "InvalidInstanceID.NotFound",
        InstanceId="i-0123456789abcdef0",
        ProductCode="abcd1234",
    )
