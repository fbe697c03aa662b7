"""A small set of AWS managed policies, present in every account.

Names and paths are AWS's; the documents are short summaries of what each policy
grants, written for cloudmock (cloudmock evaluates no policy, so they are there to
be read, attached and listed). Ids are derived from the name so they are the same
in every account and every run.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

_ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


@dataclass(frozen=True)
class AwsPolicy:
    name: str
    path: str
    description: str
    statements: tuple[dict[str, Any], ...]
    created: datetime
    updated: datetime
    version_id: str = "v1"

    @property
    def arn(self) -> str:
        return f"arn:aws:iam::aws:policy{self.path}{self.name}"

    @property
    def policy_id(self) -> str:
        digest = hashlib.sha256(self.arn.encode("utf-8")).digest()
        return "ANPA" + "".join(_ID_ALPHABET[byte % 32] for byte in digest[:17])

    @property
    def document(self) -> str:
        return json.dumps({"Version": "2012-10-17", "Statement": list(self.statements)}, indent=4)


def _at(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 12, 0, 0, tzinfo=timezone.utc)


def _allow(actions: str | list[str], resource: str = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": actions, "Resource": resource, **extra}


_LAUNCH = _at(2015, 2, 6)

AWS_MANAGED_POLICIES: tuple[AwsPolicy, ...] = (
    AwsPolicy(
        "AdministratorAccess",
        "/",
        "Full access to every AWS service and resource.",
        (_allow("*"),),
        _LAUNCH,
        _LAUNCH,
    ),
    AwsPolicy(
        "PowerUserAccess",
        "/",
        "Full access to AWS services and resources, except managing users, groups and roles.",
        (
            {
                "Effect": "Allow",
                "NotAction": ["iam:*", "organizations:*", "account:*"],
                "Resource": "*",
            },
            _allow(
                [
                    "iam:CreateServiceLinkedRole",
                    "iam:DeleteServiceLinkedRole",
                    "iam:ListRoles",
                    "organizations:DescribeOrganization",
                    "account:ListRegions",
                ]
            ),
        ),
        _LAUNCH,
        _at(2023, 7, 6),
    ),
    AwsPolicy(
        "ReadOnlyAccess",
        "/",
        "Read-only access to AWS services and resources.",
        (
            _allow(
                [
                    "ec2:Describe*",
                    "ec2:Get*",
                    "iam:Get*",
                    "iam:List*",
                    "s3:Get*",
                    "s3:List*",
                    "ssm:Describe*",
                    "ssm:Get*",
                    "ssm:List*",
                    "sts:GetCallerIdentity",
                ]
            ),
        ),
        _LAUNCH,
        _at(2024, 1, 1),
    ),
    AwsPolicy(
        "IAMFullAccess",
        "/",
        "Full access to IAM.",
        (_allow(["iam:*", "organizations:DescribeAccount", "organizations:DescribeOrganization"]),),
        _LAUNCH,
        _at(2019, 6, 21),
    ),
    AwsPolicy(
        "IAMReadOnlyAccess",
        "/",
        "Read-only access to IAM.",
        (_allow(["iam:GenerateCredentialReport", "iam:Get*", "iam:List*", "iam:Simulate*"]),),
        _LAUNCH,
        _at(2018, 1, 25),
    ),
    AwsPolicy(
        "AmazonEC2FullAccess",
        "/",
        "Full access to Amazon EC2.",
        (
            _allow(["ec2:*", "elasticloadbalancing:*", "cloudwatch:*", "autoscaling:*"]),
            _allow(
                "iam:CreateServiceLinkedRole",
                Condition={
                    "StringEquals": {
                        "iam:AWSServiceName": [
                            "autoscaling.amazonaws.com",
                            "ec2scheduled.amazonaws.com",
                            "elasticloadbalancing.amazonaws.com",
                        ]
                    }
                },
            ),
        ),
        _LAUNCH,
        _at(2018, 11, 27),
    ),
    AwsPolicy(
        "AmazonEC2ReadOnlyAccess",
        "/",
        "Read-only access to Amazon EC2.",
        (
            _allow(
                [
                    "ec2:Describe*",
                    "elasticloadbalancing:Describe*",
                    "cloudwatch:ListMetrics",
                    "cloudwatch:GetMetricStatistics",
                    "cloudwatch:Describe*",
                    "autoscaling:Describe*",
                ]
            ),
        ),
        _LAUNCH,
        _at(2015, 2, 6),
    ),
    AwsPolicy(
        "AmazonSSMManagedInstanceCore",
        "/",
        "What an instance needs for Systems Manager's core features.",
        (
            _allow(
                [
                    "ssm:DescribeAssociation",
                    "ssm:GetDeployablePatchSnapshotForInstance",
                    "ssm:GetDocument",
                    "ssm:DescribeDocument",
                    "ssm:GetManifest",
                    "ssm:GetParameter",
                    "ssm:GetParameters",
                    "ssm:ListAssociations",
                    "ssm:ListInstanceAssociations",
                    "ssm:PutInventory",
                    "ssm:PutComplianceItems",
                    "ssm:PutConfigurePackageResult",
                    "ssm:UpdateAssociationStatus",
                    "ssm:UpdateInstanceAssociationStatus",
                    "ssm:UpdateInstanceInformation",
                ]
            ),
            _allow(
                [
                    "ssmmessages:CreateControlChannel",
                    "ssmmessages:CreateDataChannel",
                    "ssmmessages:OpenControlChannel",
                    "ssmmessages:OpenDataChannel",
                ]
            ),
            _allow(
                [
                    "ec2messages:AcknowledgeMessage",
                    "ec2messages:DeleteMessage",
                    "ec2messages:FailMessage",
                    "ec2messages:GetEndpoint",
                    "ec2messages:GetMessages",
                    "ec2messages:SendReply",
                ]
            ),
        ),
        _at(2019, 3, 15),
        _at(2023, 5, 23),
    ),
    AwsPolicy(
        "AmazonS3FullAccess",
        "/",
        "Full access to every bucket.",
        (_allow(["s3:*", "s3-object-lambda:*"]),),
        _LAUNCH,
        _at(2021, 9, 27),
    ),
    AwsPolicy(
        "AmazonS3ReadOnlyAccess",
        "/",
        "Read-only access to every bucket.",
        (
            _allow(
                [
                    "s3:Get*",
                    "s3:List*",
                    "s3:Describe*",
                    "s3-object-lambda:Get*",
                    "s3-object-lambda:List*",
                ]
            ),
        ),
        _LAUNCH,
        _at(2023, 8, 10),
    ),
    AwsPolicy(
        "CloudWatchAgentServerPolicy",
        "/",
        "What the CloudWatch agent needs to publish metrics and logs from a server.",
        (
            _allow(
                [
                    "cloudwatch:PutMetricData",
                    "ec2:DescribeVolumes",
                    "ec2:DescribeTags",
                    "logs:PutLogEvents",
                    "logs:DescribeLogStreams",
                    "logs:DescribeLogGroups",
                    "logs:CreateLogStream",
                    "logs:CreateLogGroup",
                ]
            ),
            _allow("ssm:GetParameter", "arn:aws:ssm:*:*:parameter/AmazonCloudWatch-*"),
        ),
        _at(2017, 9, 13),
        _at(2019, 1, 10),
    ),
    AwsPolicy(
        "ViewOnlyAccess",
        "/job-function/",
        "Lists resources and views their basic configuration, without reading their data.",
        (
            _allow(
                [
                    "ec2:DescribeInstances",
                    "ec2:DescribeVpcs",
                    "ec2:DescribeSubnets",
                    "ec2:DescribeSecurityGroups",
                    "iam:ListRoles",
                    "iam:ListPolicies",
                    "s3:ListAllMyBuckets",
                    "ssm:DescribeParameters",
                ]
            ),
        ),
        _at(2016, 11, 10),
        _at(2024, 1, 1),
    ),
    AwsPolicy(
        "AWSLambdaBasicExecutionRole",
        "/service-role/",
        "Lets a Lambda function write its logs to CloudWatch Logs.",
        (_allow(["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]),),
        _at(2015, 4, 9),
        _at(2015, 4, 9),
    ),
)
