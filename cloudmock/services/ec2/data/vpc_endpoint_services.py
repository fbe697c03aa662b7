"""The AWS services a region offers VPC endpoints to (DescribeVpcEndpointServices), as data.

Every region gets the same table here; ``com.amazonaws.REGION.NAME`` is the service
name.  S3 and DynamoDB take Gateway endpoints (and Interface ones); the rest are
Interface services.  The per-service ``vpce-svc-`` id AWS shows is derived from the
region and the name, so every account sees the same id in a region, as in AWS.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache

#: name -> (types, supports dual-stack)
_GATEWAY_AND_INTERFACE = ("s3", "dynamodb")
_INTERFACE = (
    "access-analyzer",
    "acm-pca",
    "airflow.api",
    "application-autoscaling",
    "appmesh-envoy-management",
    "athena",
    "autoscaling",
    "backup",
    "batch",
    "cloudformation",
    "cloudtrail",
    "codeartifact.api",
    "codebuild",
    "codecommit",
    "codepipeline",
    "config",
    "ebs",
    "ec2",
    "ec2messages",
    "ecr.api",
    "ecr.dkr",
    "ecs",
    "ecs-agent",
    "ecs-telemetry",
    "eks",
    "elasticache",
    "elasticbeanstalk",
    "elasticfilesystem",
    "elasticloadbalancing",
    "email-smtp",
    "events",
    "execute-api",
    "firehose",
    "glue",
    "kinesis-firehose",
    "kinesis-streams",
    "kms",
    "lambda",
    "logs",
    "monitoring",
    "rds",
    "rds-data",
    "redshift",
    "sagemaker.api",
    "sagemaker.runtime",
    "secretsmanager",
    "servicecatalog",
    "sns",
    "sqs",
    "ssm",
    "ssm-contacts",
    "ssm-incidents",
    "ssmmessages",
    "states",
    "sts",
    "sync-states",
    "textract",
    "transfer",
    "transfer.server",
    "xray",
)
#: services whose interface endpoints also speak IPv6
_DUALSTACK = frozenset({"s3", "dynamodb", "ec2", "sqs", "sns", "kms", "lambda", "logs", "sts"})


@dataclass(frozen=True)
class AwsEndpointService:
    name: str
    #: the service's short name: "s3", "ecr.api"
    short: str
    region: str
    service_type: str
    service_id: str
    ip_address_types: tuple[str, ...]

    @property
    def private_dns_name(self) -> str | None:
        """The name an Interface endpoint's private DNS answers for (none for Gateway)."""
        if self.service_type != "Interface":
            return None
        if self.short == "s3":
            return f"*.s3.{self.region}.amazonaws.com"
        return f"{self.short}.{self.region}.amazonaws.com"

    @property
    def base_dns_name(self) -> str:
        return f"{self.short}.{self.region}.vpce.amazonaws.com"


def _service_id(region: str, name: str, service_type: str) -> str:
    digest = hashlib.sha256(f"{region}/{name}/{service_type}".encode()).hexdigest()
    return "vpce-svc-" + digest[:17]


@cache
def aws_endpoint_services(region: str) -> list[AwsEndpointService]:
    """Every AWS endpoint service of ``region``, sorted by name as AWS lists them."""
    out = []
    for short in sorted(_GATEWAY_AND_INTERFACE + _INTERFACE):
        name = f"com.amazonaws.{region}.{short}"
        types = ("Gateway", "Interface") if short in _GATEWAY_AND_INTERFACE else ("Interface",)
        ip_types = ("ipv4", "ipv6") if short in _DUALSTACK else ("ipv4",)
        for service_type in types:
            out.append(
                AwsEndpointService(
                    name,
                    short,
                    region,
                    service_type,
                    _service_id(region, name, service_type),
                    ip_types,
                )
            )
    return out


def find_aws_service(region: str, name: str) -> list[AwsEndpointService]:
    """The AWS endpoint services (one per type) called ``name`` in ``region``."""
    prefix = f"com.amazonaws.{region}."
    if not name.startswith(prefix):
        return []
    return [s for s in aws_endpoint_services(region) if s.name == name]


def hosted_zone_id(region: str, purpose: str) -> str:
    """A Route 53 hosted zone id (``Z`` + 13 characters), fixed per region and purpose."""
    digest = hashlib.sha256(f"{region}/{purpose}".encode()).hexdigest().upper()
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return "Z" + "".join(alphabet[int(digest[i : i + 2], 16) % 36] for i in range(0, 26, 2))
