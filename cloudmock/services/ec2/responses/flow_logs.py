"""CreateFlowLogs, DeleteFlowLogs, DescribeFlowLogs, GetFlowLogsIntegrationTemplate."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cloudmock.core.errors import InvalidParameterValue, ServiceError
from cloudmock.core.plugin import operation
from cloudmock.services.ec2.filters import FilterSet, apply_filters
from cloudmock.services.ec2.models.flow_logs import FLOW_LOG_FILTERS, FlowLogSpec
from cloudmock.services.ec2.models.tags import tag_specifications
from cloudmock.services.ec2.responses.common import Ctx, page

if TYPE_CHECKING:
    from cloudmock.services.ec2.shapes import (
        CreateFlowLogsResult,
        DeleteFlowLogsResult,
        DescribeFlowLogsResult,
        DestinationOptionsRequest,
        Filter,
        GetFlowLogsIntegrationTemplateResult,
        IntegrateServices,
        TagFieldSpecificationRequest,
        TagSpecification,
    )

FLOW_LOGS: FilterSet[Any] = FilterSet(FLOW_LOG_FILTERS)
CLIENT_TOKEN_LIMIT = 64


@operation("CreateFlowLogs")
def create_flow_logs(
    ctx: Ctx,
    *,
    ResourceIds: list[str],
    ResourceType: str,
    TrafficType: str | None = None,
    LogDestinationType: str | None = None,
    LogDestination: str | None = None,
    LogGroupName: str | None = None,
    DeliverLogsPermissionArn: str | None = None,
    DeliverCrossAccountRole: str | None = None,
    LogFormat: str | None = None,
    MaxAggregationInterval: int | None = None,
    DestinationOptions: DestinationOptionsRequest | None = None,
    TagFieldSpecifications: list[TagFieldSpecificationRequest] | None = None,
    TagSpecifications: list[TagSpecification] | None = None,
    ClientToken: str | None = None,
) -> CreateFlowLogsResult:
    if ClientToken is not None and len(ClientToken) > CLIENT_TOKEN_LIMIT:
        raise InvalidParameterValue(
            f"The client token must be at most {CLIENT_TOKEN_LIMIT} characters long."
        )
    tags = tag_specifications(TagSpecifications, ("vpc-flow-log",))
    options = None
    if DestinationOptions is not None:
        options = (
            DestinationOptions.get("FileFormat"),
            DestinationOptions.get("HiveCompatiblePartitions"),
            DestinationOptions.get("PerHourPartition"),
        )
    spec = FlowLogSpec(
        resource_ids=tuple(ResourceIds),
        resource_type=ResourceType,
        traffic_type=TrafficType,
        destination_type=LogDestinationType,
        destination=LogDestination,
        log_group_name=LogGroupName,
        deliver_permission_arn=DeliverLogsPermissionArn,
        deliver_cross_account_role=DeliverCrossAccountRole,
        log_format=LogFormat,
        max_aggregation_interval=MaxAggregationInterval,
        destination_options=options,
        tag_fields=tuple(
            (t.get("ResourceType", ""), tuple(t.get("TagKeys") or ()))
            for t in TagFieldSpecifications or []
        ),
        tags=tuple(tags.get("vpc-flow-log", {}).items()),
        client_token=ClientToken,
    )
    ids, failures = ctx.backend.flow_logs.create(spec)
    result: CreateFlowLogsResult = {"FlowLogIds": ids, "Unsuccessful": failures}
    if ClientToken:
        result["ClientToken"] = ClientToken
    return result


@operation("DeleteFlowLogs")
def delete_flow_logs(ctx: Ctx, *, FlowLogIds: list[str]) -> DeleteFlowLogsResult:
    return {"Unsuccessful": ctx.backend.flow_logs.delete(FlowLogIds)}


@operation("DescribeFlowLogs")
def describe_flow_logs(
    ctx: Ctx,
    *,
    FlowLogIds: list[str] | None = None,
    Filter: list[Filter] | None = None,
    NextToken: str | None = None,
    MaxResults: int | None = None,
) -> DescribeFlowLogsResult:
    store = ctx.backend.flow_logs.store
    # unknown ids are not an error here: EC2 answers with the flow logs it has
    found = [store.find(i) for i in dict.fromkeys(FlowLogIds)] if FlowLogIds else list(store)
    items = apply_filters(
        [f for f in found if f is not None], Filter, FLOW_LOGS, ctx.operation_model
    )
    shown, token = page(ctx, items, MaxResults, NextToken, low=1, high=1000)
    result: DescribeFlowLogsResult = {"FlowLogs": [f.describe() for f in shown]}
    if token:
        result["NextToken"] = token
    return result


@operation("GetFlowLogsIntegrationTemplate")
def get_flow_logs_integration_template(
    ctx: Ctx,
    *,
    FlowLogId: str,
    ConfigDeliveryS3DestinationArn: str,
    IntegrateServices: IntegrateServices,
) -> GetFlowLogsIntegrationTemplateResult:
    integrations = []
    for entry in IntegrateServices.get("AthenaIntegrations") or []:
        result_arn = entry.get("IntegrationResultS3DestinationArn")
        frequency = entry.get("PartitionLoadFrequency")
        if not result_arn or not frequency:
            raise ServiceError(
                "AthenaIntegrations need IntegrationResultS3DestinationArn and "
                "PartitionLoadFrequency.",
                code="MissingParameter",
            )
        start, end = entry.get("PartitionStartDate"), entry.get("PartitionEndDate")
        if start is not None and end is not None and start > end:
            raise InvalidParameterValue("PartitionStartDate must be before PartitionEndDate.")
        integrations.append((result_arn, frequency))
    url = ctx.backend.flow_logs.integration_template(
        FlowLogId, ConfigDeliveryS3DestinationArn, integrations
    )
    return {"Result": url}
