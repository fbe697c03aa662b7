"""Launch templates: versions, defaults, describes, and launching instances from them."""

from __future__ import annotations

import base64
import re

import pytest
from ec2_helpers import AMI, ID17, assert_error, instance, launch

DATA = {
    "ImageId": AMI,
    "InstanceType": "t3.micro",
    "UserData": base64.b64encode(b"#!/bin/sh\necho hi\n").decode(),
    "TagSpecifications": [
        {"ResourceType": "instance", "Tags": [{"Key": "team", "Value": "web"}]},
        {"ResourceType": "volume", "Tags": [{"Key": "disk", "Value": "root"}]},
    ],
    "MetadataOptions": {"HttpTokens": "required", "HttpPutResponseHopLimit": 2},
    "BlockDeviceMappings": [
        {"DeviceName": "/dev/sda1", "Ebs": {"VolumeSize": 20, "VolumeType": "gp3"}}
    ],
    "Monitoring": {"Enabled": True},
    "EbsOptimized": True,
    "CreditSpecification": {"CpuCredits": "unlimited"},
    "CpuOptions": {"CoreCount": 1, "ThreadsPerCore": 2},
    "Placement": {"Tenancy": "default"},
}


def create(ec2, name="web", data=None, **kw):
    return ec2.create_launch_template(
        LaunchTemplateName=name, LaunchTemplateData=data or DATA, **kw
    )["LaunchTemplate"]


def versions(ec2, **kw):
    return ec2.describe_launch_template_versions(**kw)["LaunchTemplateVersions"]


def test_create_and_describe(ec2):
    template = create(
        ec2,
        VersionDescription="first",
        TagSpecifications=[
            {"ResourceType": "launch-template", "Tags": [{"Key": "env", "Value": "prod"}]}
        ],
    )
    assert re.fullmatch(rf"lt-{ID17}", template["LaunchTemplateId"])
    assert template["LaunchTemplateName"] == "web"
    assert template["DefaultVersionNumber"] == template["LatestVersionNumber"] == 1
    assert template["CreatedBy"].startswith("arn:aws:iam::")
    assert template["Tags"] == [{"Key": "env", "Value": "prod"}]
    [described] = ec2.describe_launch_templates(LaunchTemplateNames=["web"])["LaunchTemplates"]
    assert described["LaunchTemplateId"] == template["LaunchTemplateId"]
    [version] = versions(ec2, LaunchTemplateId=template["LaunchTemplateId"])
    assert version["VersionNumber"] == 1
    assert version["DefaultVersion"] is True
    assert version["VersionDescription"] == "first"
    data = version["LaunchTemplateData"]
    # every member given comes back, in the response shape
    for member, value in DATA.items():
        if member == "MetadataOptions":
            assert data[member]["HttpTokens"] == "required"
            assert data[member]["HttpPutResponseHopLimit"] == 2
        else:
            assert data[member] == value, member
    # the launch template is taggable like any resource
    tags = ec2.describe_tags(
        Filters=[{"Name": "resource-id", "Values": [template["LaunchTemplateId"]]}]
    )
    assert [t["ResourceType"] for t in tags["Tags"]] == ["launch-template"]


def test_name_and_id_errors(ec2):
    create(ec2)
    assert_error(
        ec2.create_launch_template,
        "InvalidLaunchTemplateName.AlreadyExistsException",
        LaunchTemplateName="web",
        LaunchTemplateData=DATA,
    )
    assert_error(
        ec2.create_launch_template,
        "InvalidLaunchTemplateName.MalformedException",
        LaunchTemplateName="a b",
        LaunchTemplateData=DATA,
    )
    assert_error(
        ec2.describe_launch_templates,
        "InvalidLaunchTemplateName.NotFoundException",
        LaunchTemplateNames=["nope"],
    )
    assert_error(
        ec2.describe_launch_templates,
        "InvalidLaunchTemplateId.NotFound",
        LaunchTemplateIds=["lt-0123456789abcdef0"],
    )
    assert_error(
        ec2.describe_launch_templates,
        "InvalidLaunchTemplateId.Malformed",
        LaunchTemplateIds=["lt-xyz"],
    )
    assert_error(
        ec2.delete_launch_template,
        "InvalidLaunchTemplateName.NotFoundException",
        LaunchTemplateName="nope",
    )
    assert_error(
        ec2.create_launch_template,
        "InvalidParameterValue",
        LaunchTemplateName="tagged",
        LaunchTemplateData={"TagSpecifications": [{"ResourceType": "vpc", "Tags": []}]},
    )


def test_versions_source_default_and_latest(ec2):
    template_id = create(ec2)["LaunchTemplateId"]
    second = ec2.create_launch_template_version(
        LaunchTemplateId=template_id,
        SourceVersion="1",
        VersionDescription="bigger",
        LaunchTemplateData={"InstanceType": "m5.large"},
    )["LaunchTemplateVersion"]
    assert second["VersionNumber"] == 2
    assert second["DefaultVersion"] is False
    # inherited from version 1, with the given member replaced
    assert second["LaunchTemplateData"]["InstanceType"] == "m5.large"
    assert second["LaunchTemplateData"]["ImageId"] == AMI
    third = ec2.create_launch_template_version(
        LaunchTemplateName="web", LaunchTemplateData={"InstanceType": "c5.large"}
    )["LaunchTemplateVersion"]
    # without a source, only what is given
    assert third["LaunchTemplateData"] == {"InstanceType": "c5.large"}
    [latest] = versions(ec2, LaunchTemplateId=template_id, Versions=["$Latest"])
    assert latest["VersionNumber"] == 3
    [default] = versions(ec2, LaunchTemplateId=template_id, Versions=["$Default"])
    assert default["VersionNumber"] == 1
    # newest first
    assert [v["VersionNumber"] for v in versions(ec2, LaunchTemplateId=template_id)] == [3, 2, 1]
    assert [
        v["VersionNumber"]
        for v in versions(ec2, LaunchTemplateId=template_id, MinVersion="2", MaxVersion="2")
    ] == [2]
    assert_error(
        ec2.describe_launch_template_versions,
        "InvalidLaunchTemplateId.VersionNotFound",
        LaunchTemplateId=template_id,
        Versions=["9"],
    )
    assert_error(
        ec2.create_launch_template_version,
        "InvalidLaunchTemplateId.VersionNotFound",
        LaunchTemplateId=template_id,
        SourceVersion="9",
        LaunchTemplateData={"InstanceType": "t3.nano"},
    )
    modified = ec2.modify_launch_template(LaunchTemplateId=template_id, DefaultVersion="2")
    assert modified["LaunchTemplate"]["DefaultVersionNumber"] == 2
    assert modified["LaunchTemplate"]["LatestVersionNumber"] == 3
    assert_error(
        ec2.modify_launch_template,
        "InvalidLaunchTemplateId.VersionNotFound",
        LaunchTemplateId=template_id,
        DefaultVersion="7",
    )
    defaults = versions(
        ec2,
        LaunchTemplateId=template_id,
        Filters=[{"Name": "is-default-version", "Values": ["true"]}],
    )
    assert [v["VersionNumber"] for v in defaults] == [2]
    # deleting: the default is refused, an unknown version reported, the others go
    deleted = ec2.delete_launch_template_versions(
        LaunchTemplateId=template_id, Versions=["2", "3", "8"]
    )
    assert [v["VersionNumber"] for v in deleted["SuccessfullyDeletedLaunchTemplateVersions"]] == [3]
    failed = {
        v["VersionNumber"]: v["ResponseError"]["Code"]
        for v in deleted["UnsuccessfullyDeletedLaunchTemplateVersions"]
    }
    assert failed == {2: "unexpectedError", 8: "launchTemplateVersionDoesNotExist"}
    [described] = ec2.describe_launch_templates(LaunchTemplateIds=[template_id])["LaunchTemplates"]
    assert described["LatestVersionNumber"] == 2
    missing = ec2.delete_launch_template_versions(LaunchTemplateName="gone", Versions=["1"])
    assert [
        v["ResponseError"]["Code"] for v in missing["UnsuccessfullyDeletedLaunchTemplateVersions"]
    ] == ["launchTemplateNameDoesNotExist"]
    ec2.delete_launch_template(LaunchTemplateId=template_id)
    assert_error(
        ec2.describe_launch_template_versions,
        "InvalidLaunchTemplateId.NotFound",
        LaunchTemplateId=template_id,
    )


def test_describe_filters_and_paging(ec2):
    for n in range(4):
        create(
            ec2,
            name=f"t-{n}",
            data={
                "ImageId": AMI,
                "InstanceType": "t3.micro" if n % 2 else "m5.large",
                "EbsOptimized": n == 0,
                "KernelId": "aki-12345678",
                "RamDiskId": "ari-12345678",
                "IamInstanceProfile": {"Name": "role"},
                "MetadataOptions": {"HttpEndpoint": "enabled", "HttpTokens": "required"},
                "Placement": {"HostResourceGroupArn": "arn:aws:resource-groups:g"},
                "LicenseSpecifications": [{"LicenseConfigurationArn": "arn:aws:lic"}],
                "NetworkInterfaces": [{"DeviceIndex": 0, "NetworkCardIndex": 0}],
            },
            TagSpecifications=[
                {"ResourceType": "launch-template", "Tags": [{"Key": "n", "Value": str(n)}]}
            ],
        )
    by_name = ec2.describe_launch_templates(
        Filters=[{"Name": "launch-template-name", "Values": ["t-1", "t-3"]}]
    )["LaunchTemplates"]
    assert [t["LaunchTemplateName"] for t in by_name] == ["t-1", "t-3"]
    tagged = ec2.describe_launch_templates(Filters=[{"Name": "tag:n", "Values": ["2"]}])
    assert [t["LaunchTemplateName"] for t in tagged["LaunchTemplates"]] == ["t-2"]
    keyed = ec2.describe_launch_templates(Filters=[{"Name": "tag-key", "Values": ["n"]}])
    assert len(keyed["LaunchTemplates"]) == 4
    every = ec2.describe_launch_templates()["LaunchTemplates"]
    at = every[0]["CreateTime"].strftime("%Y-%m-%dT%H:%M:%S*")
    # the four may straddle a second on a busy machine: those made in the first's second
    same_second = [t for t in every if t["CreateTime"].strftime("%Y-%m-%dT%H:%M:%S*") == at]
    found = ec2.describe_launch_templates(Filters=[{"Name": "create-time", "Values": [at]}])
    assert len(found["LaunchTemplates"]) == len(same_second) >= 1
    first = ec2.describe_launch_templates(MaxResults=3)
    assert len(first["LaunchTemplates"]) == 3
    rest = ec2.describe_launch_templates(MaxResults=3, NextToken=first["NextToken"])
    assert len(rest["LaunchTemplates"]) == 1 and "NextToken" not in rest
    pages = ec2.get_paginator("describe_launch_templates").paginate(
        PaginationConfig={"PageSize": 2}
    )
    assert sum(len(p["LaunchTemplates"]) for p in pages) == 4

    def matching(name, *values):
        found = versions(ec2, Filters=[{"Name": name, "Values": list(values)}])
        return sorted(v["LaunchTemplateName"] for v in found)

    every = ["t-0", "t-1", "t-2", "t-3"]
    assert matching("instance-type", "t3.micro") == ["t-1", "t-3"]
    assert matching("ebs-optimized", "true") == ["t-0"]
    assert matching("image-id", AMI) == every
    assert matching("kernel-id", "aki-12345678") == every
    assert matching("ram-disk-id", "ari-12345678") == every
    assert matching("iam-instance-profile", "role") == every
    assert matching("http-endpoint", "enabled") == every
    assert matching("http-tokens", "required") == every
    assert matching("http-protocol-ipv4", "enabled") == every
    assert matching("host-resource-group-arn", "arn:aws:resource-groups:g") == every
    assert matching("license-configuration-arn", "arn:aws:lic") == every
    assert matching("network-card-index", "0") == every
    assert matching("is-default-version", "true") == every
    assert matching("create-time", at) == sorted(t["LaunchTemplateName"] for t in same_second)
    assert matching("instance-type", "x1.large") == []
    paged = ec2.describe_launch_template_versions(MaxResults=1)
    assert len(paged["LaunchTemplateVersions"]) == 1 and paged["NextToken"]
    assert_error(ec2.describe_launch_templates, "InvalidParameterValue", MaxResults=201)


def test_client_token_and_dry_run(ec2):
    one = create(ec2, ClientToken="tok")
    again = create(ec2, ClientToken="tok")
    assert one["LaunchTemplateId"] == again["LaunchTemplateId"]
    assert_error(
        ec2.create_launch_template,
        "IdempotentParameterMismatch",
        LaunchTemplateName="other",
        LaunchTemplateData=DATA,
        ClientToken="tok",
    )
    template_id = one["LaunchTemplateId"]
    v2 = ec2.create_launch_template_version(
        LaunchTemplateId=template_id,
        LaunchTemplateData={"InstanceType": "t3.nano"},
        ClientToken="v",
    )["LaunchTemplateVersion"]
    v2_again = ec2.create_launch_template_version(
        LaunchTemplateId=template_id,
        LaunchTemplateData={"InstanceType": "t3.nano"},
        ClientToken="v",
    )["LaunchTemplateVersion"]
    assert v2["VersionNumber"] == v2_again["VersionNumber"] == 2
    dry = {"DryRun": True}
    assert_error(
        ec2.create_launch_template,
        "DryRunOperation",
        412,
        LaunchTemplateName="dry",
        LaunchTemplateData=DATA,
        **dry,
    )
    assert_error(
        ec2.create_launch_template_version,
        "DryRunOperation",
        412,
        LaunchTemplateId=template_id,
        LaunchTemplateData={"InstanceType": "t3.nano"},
        **dry,
    )
    assert_error(
        ec2.modify_launch_template,
        "DryRunOperation",
        412,
        LaunchTemplateId=template_id,
        DefaultVersion="2",
        **dry,
    )
    assert_error(
        ec2.delete_launch_template_versions,
        "DryRunOperation",
        412,
        LaunchTemplateId=template_id,
        Versions=["2"],
        **dry,
    )
    assert_error(
        ec2.delete_launch_template, "DryRunOperation", 412, LaunchTemplateId=template_id, **dry
    )
    [described] = ec2.describe_launch_templates()["LaunchTemplates"]
    assert described["DefaultVersionNumber"] == 1
    assert described["LatestVersionNumber"] == 2


def test_operator_templates_are_hidden_unless_asked_for(ec2):
    create(ec2, name="managed", Operator={"Principal": "eks.amazonaws.com"})
    create(ec2, name="mine")
    shown = ec2.describe_launch_templates()["LaunchTemplates"]
    assert [t["LaunchTemplateName"] for t in shown] == ["mine"]
    every = ec2.describe_launch_templates(IncludeManagedResources=True)["LaunchTemplates"]
    managed = next(t for t in every if t["LaunchTemplateName"] == "managed")
    assert managed["Operator"] == {"Managed": True, "Principal": "eks.amazonaws.com"}


def test_resolve_alias(env, ec2):
    ssm = env.client("ssm")
    ssm.put_parameter(Name="/golden/ami", Value=AMI, Type="String", DataType="aws:ec2:image")
    template_id = create(ec2, data={"ImageId": "resolve:ssm:/golden/ami"})["LaunchTemplateId"]
    [plain] = versions(ec2, LaunchTemplateId=template_id)
    assert plain["LaunchTemplateData"]["ImageId"] == "resolve:ssm:/golden/ami"
    [resolved] = versions(ec2, LaunchTemplateId=template_id, ResolveAlias=True)
    assert resolved["LaunchTemplateData"]["ImageId"] == AMI
    second = ec2.create_launch_template_version(
        LaunchTemplateId=template_id,
        SourceVersion="1",
        LaunchTemplateData={"InstanceType": "t3.nano"},
        ResolveAlias=True,
    )["LaunchTemplateVersion"]
    assert second["LaunchTemplateData"]["ImageId"] == AMI


def test_launch_from_template_with_an_override(ec2):
    template_id = create(ec2)["LaunchTemplateId"]
    ec2.create_launch_template_version(
        LaunchTemplateId=template_id,
        SourceVersion="1",
        LaunchTemplateData={"InstanceType": "t3.xlarge"},
    )
    [launched] = ec2.run_instances(
        MinCount=1,
        MaxCount=1,
        LaunchTemplate={"LaunchTemplateId": template_id},
        # burstable, as the template's CreditSpecification needs
        InstanceType="t3.small",
        TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "a"}]}],
    )["Instances"]
    described = instance(ec2, launched["InstanceId"])
    # the request's InstanceType beats the template's; the rest comes from $Default (version 1)
    assert described["InstanceType"] == "t3.small"
    assert described["ImageId"] == AMI
    assert described["MetadataOptions"]["HttpTokens"] == "required"
    tags = {t["Key"]: t["Value"] for t in described["Tags"]}
    assert tags == {
        "team": "web",
        "Name": "a",
        "aws:ec2launchtemplate:id": template_id,
        "aws:ec2launchtemplate:version": "1",
    }
    data = ec2.get_launch_template_data(InstanceId=launched["InstanceId"])["LaunchTemplateData"]
    [root] = data["BlockDeviceMappings"]
    assert root["Ebs"]["VolumeSize"] == 20 and root["Ebs"]["VolumeType"] == "gp3"
    by_name = launch(
        ec2, LaunchTemplate={"LaunchTemplateName": "web", "Version": "$Latest"}, ImageId=AMI
    )[0]
    assert by_name["InstanceType"] == "t3.xlarge"
    assert {"Key": "aws:ec2launchtemplate:version", "Value": "2"} in instance(
        ec2, by_name["InstanceId"]
    )["Tags"]
    assert_error(
        ec2.run_instances,
        "InvalidLaunchTemplateId.VersionNotFound",
        MinCount=1,
        MaxCount=1,
        LaunchTemplate={"LaunchTemplateId": template_id, "Version": "5"},
    )
    assert_error(
        ec2.run_instances,
        "InvalidLaunchTemplateName.NotFoundException",
        MinCount=1,
        MaxCount=1,
        LaunchTemplate={"LaunchTemplateName": "nope"},
    )


def test_get_launch_template_data(ec2):
    [launched] = launch(
        ec2,
        InstanceType="t3.small",
        UserData="hello",  # boto3 base64-encodes it
        TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "k", "Value": "v"}]}],
        DisableApiTermination=True,
    )
    data = ec2.get_launch_template_data(InstanceId=launched["InstanceId"])["LaunchTemplateData"]
    assert data["ImageId"] == AMI
    assert data["InstanceType"] == "t3.small"
    assert base64.b64decode(data["UserData"]) == b"hello"
    assert data["DisableApiTermination"] is True
    assert data["TagSpecifications"] == [
        {"ResourceType": "instance", "Tags": [{"Key": "k", "Value": "v"}]}
    ]
    [interface] = data["NetworkInterfaces"]
    assert interface["DeviceIndex"] == 0
    assert interface["SubnetId"] == launched["SubnetId"]
    [root] = data["BlockDeviceMappings"]
    assert root["DeviceName"] == "/dev/sda1"
    assert root["Ebs"]["VolumeType"] == "gp2"
    # what it answers makes a template that launches the same kind of instance
    data.pop("NetworkInterfaces")
    ec2.create_launch_template(LaunchTemplateName="copy", LaunchTemplateData=data)
    again = launch(ec2, LaunchTemplate={"LaunchTemplateName": "copy"})[0]
    assert again["InstanceType"] == "t3.small"
    assert_error(
        ec2.get_launch_template_data,
        "InvalidInstanceID.NotFound",
        InstanceId="i-0123456789abcdef0",
    )


@pytest.mark.parametrize("member", ["LaunchTemplateId", "LaunchTemplateName"])
def test_id_or_name_but_not_both(ec2, member):
    template = create(ec2)
    assert_error(
        ec2.modify_launch_template,
        "InvalidParameterCombination",
        LaunchTemplateId=template["LaunchTemplateId"],
        LaunchTemplateName="web",
        DefaultVersion="1",
    )
    kw = {member: template[member]}
    assert (
        ec2.delete_launch_template(**kw)["LaunchTemplate"]["LaunchTemplateId"]
        == template["LaunchTemplateId"]
    )
    assert ec2.describe_launch_templates()["LaunchTemplates"] == []


def test_launch_from_a_template_with_a_network_interface(ec2):
    subnet = ec2.describe_subnets()["Subnets"][2]
    group = ec2.create_security_group(GroupName="app", Description="d", VpcId=subnet["VpcId"])
    create(
        ec2,
        name="nic",
        data={
            "ImageId": AMI,
            "NetworkInterfaces": [
                {"DeviceIndex": 0, "SubnetId": subnet["SubnetId"], "Groups": [group["GroupId"]]}
            ],
        },
    )
    [launched] = launch(ec2, LaunchTemplate={"LaunchTemplateName": "nic"})
    assert launched["SubnetId"] == subnet["SubnetId"]
    assert [g["GroupId"] for g in launched["SecurityGroups"]] == [group["GroupId"]]
