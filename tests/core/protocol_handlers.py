"""Tiny throwaway handlers for one real service per protocol (test plugins only)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timezone
from types import ModuleType
from typing import Any

from cloudmock.core.errors import ServiceError
from cloudmock.core.plugin import RequestContext, operation

WHEN = datetime(2024, 3, 1, 12, 30, 0, 125000, tzinfo=timezone.utc)

Ctx = RequestContext[dict[str, Any]]


@operation("GetQueueUrl")  # sqs: json (query too)
def get_queue_url(
    ctx: Ctx, *, QueueName: str, QueueOwnerAWSAccountId: str | None = None
) -> dict[str, Any]:
    if QueueName == "missing":
        raise ServiceError("no such queue", code="QueueDoesNotExist")
    owner = QueueOwnerAWSAccountId or ctx.account_id
    return {"QueueUrl": f"https://sqs.{ctx.region}.amazonaws.com/{owner}/{QueueName}"}


@operation("GetCallerIdentity")  # sts: query
def caller(ctx: Ctx) -> dict[str, Any]:
    return {"Account": ctx.account_id, "Arn": "arn:aws:iam::1:user/x", "UserId": "AIDA"}


@operation("HeadObject")  # s3: rest-xml, header-bound members
def head_object(ctx: Ctx, *, Bucket: str, Key: str) -> dict[str, Any]:
    return {"ContentLength": len(Key), "LastModified": WHEN, "Metadata": {"k": "v"}}


@operation("GetBucketTagging")  # s3: rest-xml body and S3-style errors
def get_tags(ctx: Ctx, *, Bucket: str) -> dict[str, Any]:
    if Bucket == "missing":
        raise ServiceError("The specified bucket does not exist", code="NoSuchBucket", status=404)
    return {"TagSet": [{"Key": "bucket", "Value": Bucket}]}


@operation("GetFunction")  # lambda: rest-json, URI labels, modeled error members
def get_function(ctx: Ctx, *, FunctionName: str) -> dict[str, Any]:
    if FunctionName == "missing":
        raise ServiceError(
            "Function not found",
            code="ResourceNotFoundException",
            status=404,
            fields={"Type": "User"},
        )
    return {"Configuration": {"FunctionName": FunctionName, "MemorySize": 128}}


@operation("ListDashboards")  # cloudwatch: smithy-rpc-v2-cbor (json and query too)
def list_dashboards(ctx: Ctx, *, DashboardNamePrefix: str = "d") -> dict[str, Any]:
    entry = {"DashboardName": DashboardNamePrefix, "LastModified": WHEN}
    return {"DashboardEntries": [entry]}


def modules() -> Iterable[ModuleType]:
    import protocol_handlers

    return (protocol_handlers,)


def backend(env: object) -> dict[str, Any]:
    return {}
