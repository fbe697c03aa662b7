"""Tiny throwaway handlers for one real service per protocol (test plugins only)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from cloudmock.core.errors import ServiceError
from cloudmock.core.plugin import RequestContext, operation

WHEN = datetime(2024, 3, 1, 12, 30, 0, 125000, tzinfo=timezone.utc)


@operation("GetQueueUrl")  # sqs: json (query too)
def get_queue_url(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    if params["QueueName"] == "missing":
        raise ServiceError("no such queue", code="QueueDoesNotExist")
    return {
        "QueueUrl": f"https://sqs.{ctx.region}.amazonaws.com/{ctx.account_id}/{params['QueueName']}"
    }


@operation("GetCallerIdentity")  # sts: query
def caller(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return {"Account": ctx.account_id, "Arn": "arn:aws:iam::1:user/x", "UserId": "AIDA"}


@operation("HeadObject")  # s3: rest-xml, header-bound members
def head_object(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return {"ContentLength": len(params["Key"]), "LastModified": WHEN, "Metadata": {"k": "v"}}


@operation("GetBucketTagging")  # s3: rest-xml body and S3-style errors
def get_tags(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    if params["Bucket"] == "missing":
        raise ServiceError("The specified bucket does not exist", code="NoSuchBucket", status=404)
    return {"TagSet": [{"Key": "bucket", "Value": params["Bucket"]}]}


@operation("GetFunction")  # lambda: rest-json, URI labels, modeled error members
def get_function(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    if params["FunctionName"] == "missing":
        raise ServiceError(
            "Function not found",
            code="ResourceNotFoundException",
            status=404,
            fields={"Type": "User"},
        )
    return {"Configuration": {"FunctionName": params["FunctionName"], "MemorySize": 128}}


@operation("ListDashboards")  # cloudwatch: smithy-rpc-v2-cbor (json and query too)
def list_dashboards(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    entry = {"DashboardName": params.get("DashboardNamePrefix", "d"), "LastModified": WHEN}
    return {"DashboardEntries": [entry]}


def backend(env: object) -> dict[str, Any]:
    return {}
