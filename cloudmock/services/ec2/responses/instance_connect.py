"""Create/Delete/Modify/DescribeInstanceConnectEndpoint(s); SQL Server HA standby detection
(Enable/Disable, Describe states and their history)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from cloudmock.core.plugin import operation
from cloudmock.services.ec2.filters import FilterSet, apply_filters
from cloudmock.services.ec2.models.instance_connect import CONNECT_ENDPOINT_FILTERS
from cloudmock.services.ec2.models.instance_sql_ha import SQL_HA_FILTERS
from cloudmock.services.ec2.models.tags import tag_specifications
from cloudmock.services.ec2.responses.common import Ctx, page, select

if TYPE_CHECKING:
    from cloudmock.services.ec2.shapes import (
        CreateInstanceConnectEndpointResult,
        DeleteInstanceConnectEndpointResult,
        DescribeInstanceConnectEndpointsResult,
        DescribeInstanceSqlHaHistoryStatesResult,
        DescribeInstanceSqlHaStatesResult,
        DisableInstanceSqlHaStandbyDetectionsResult,
        EnableInstanceSqlHaStandbyDetectionsResult,
        Filter,
        ModifyInstanceConnectEndpointResult,
        RegisteredInstance,
        TagSpecification,
    )

CONNECT_ENDPOINTS: FilterSet[Any] = FilterSet(
    CONNECT_ENDPOINT_FILTERS, indexes={"subnet-id": "subnet", "vpc-id": "vpc"}
)
SQL_HA: FilterSet[Any] = FilterSet(SQL_HA_FILTERS, tags=lambda s: s.instance.tags)
SQL_HA_HISTORY: FilterSet[Any] = FilterSet(
    {
        "haStatus": lambda r: r["HaStatus"],
        "sqlServerLicenseUsage": lambda r: r["SqlServerLicenseUsage"],
    },
    tags=lambda r: {t["Key"]: t["Value"] for t in r.get("Tags", [])},
)


@operation("CreateInstanceConnectEndpoint")
def create_instance_connect_endpoint(
    ctx: Ctx,
    *,
    SubnetId: str,
    SecurityGroupIds: list[str] | None = None,
    PreserveClientIp: bool | None = None,
    ClientToken: str | None = None,
    TagSpecifications: list[TagSpecification] | None = None,
    IpAddressType: str | None = None,
) -> CreateInstanceConnectEndpointResult:
    tags = tag_specifications(TagSpecifications, ("instance-connect-endpoint",))
    endpoint = ctx.backend.instance_services.connect_endpoints.create(
        SubnetId,
        SecurityGroupIds,
        PreserveClientIp,
        IpAddressType,
        ClientToken,
        tags.get("instance-connect-endpoint", {}),
    )
    result: CreateInstanceConnectEndpointResult = {"InstanceConnectEndpoint": endpoint.describe()}
    if ClientToken:
        result["ClientToken"] = ClientToken
    return result


@operation("DeleteInstanceConnectEndpoint")
def delete_instance_connect_endpoint(
    ctx: Ctx, *, InstanceConnectEndpointId: str
) -> DeleteInstanceConnectEndpointResult:
    endpoint = ctx.backend.instance_services.connect_endpoints.delete(InstanceConnectEndpointId)
    return {"InstanceConnectEndpoint": endpoint.describe()}


@operation("ModifyInstanceConnectEndpoint")
def modify_instance_connect_endpoint(
    ctx: Ctx,
    *,
    InstanceConnectEndpointId: str,
    IpAddressType: str | None = None,
    SecurityGroupIds: list[str] | None = None,
    PreserveClientIp: bool | None = None,
) -> ModifyInstanceConnectEndpointResult:
    ctx.backend.instance_services.connect_endpoints.modify(
        InstanceConnectEndpointId, IpAddressType, SecurityGroupIds, PreserveClientIp
    )
    return {"Return": True}


@operation("DescribeInstanceConnectEndpoints", filters=CONNECT_ENDPOINTS)
def describe_instance_connect_endpoints(
    ctx: Ctx,
    *,
    InstanceConnectEndpointIds: list[str] | None = None,
    Filters: list[Filter] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> DescribeInstanceConnectEndpointsResult:
    store = ctx.backend.instance_services.connect_endpoints.store
    items = select(ctx, store, InstanceConnectEndpointIds, Filters, CONNECT_ENDPOINTS)
    shown, token = page(ctx, items, MaxResults, NextToken, low=1, high=50)
    result: DescribeInstanceConnectEndpointsResult = {
        "InstanceConnectEndpoints": [e.describe() for e in shown]
    }
    if token:
        result["NextToken"] = token
    return result


# -- SQL Server High Availability standby detection


@operation("EnableInstanceSqlHaStandbyDetections")
def enable_instance_sql_ha_standby_detections(
    ctx: Ctx, *, InstanceIds: list[str], SqlServerCredentials: str | None = None
) -> EnableInstanceSqlHaStandbyDetectionsResult:
    instances = ctx.backend.instances.store.get_many(InstanceIds)
    states = ctx.backend.instance_services.sql_ha.enable(instances, SqlServerCredentials)
    return {"Instances": [s.describe() for s in states]}


@operation("DisableInstanceSqlHaStandbyDetections")
def disable_instance_sql_ha_standby_detections(
    ctx: Ctx, *, InstanceIds: list[str]
) -> DisableInstanceSqlHaStandbyDetectionsResult:
    instances = ctx.backend.instances.store.get_many(InstanceIds)
    states = ctx.backend.instance_services.sql_ha.disable(instances)
    return {"Instances": [s.describe() for s in states]}


@operation("DescribeInstanceSqlHaStates", filters=SQL_HA)
def describe_instance_sql_ha_states(
    ctx: Ctx,
    *,
    InstanceIds: list[str] | None = None,
    Filters: list[Filter] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> DescribeInstanceSqlHaStatesResult:
    sql_ha = ctx.backend.instance_services.sql_ha
    sql_ha.evaluate()
    wanted = set(InstanceIds or ())
    if wanted:
        ctx.backend.instances.store.get_many(list(wanted))
    states = [s for s in sql_ha.states.values() if not wanted or s.instance.id in wanted]
    states = apply_filters(states, Filters, SQL_HA, ctx.operation_model)
    shown, token = page(ctx, states, MaxResults, NextToken, low=1, high=1000)
    result: DescribeInstanceSqlHaStatesResult = {"Instances": [s.describe() for s in shown]}
    if token:
        result["NextToken"] = token
    return result


@operation("DescribeInstanceSqlHaHistoryStates", filters=SQL_HA_HISTORY)
def describe_instance_sql_ha_history_states(
    ctx: Ctx,
    *,
    InstanceIds: list[str] | None = None,
    StartTime: datetime | None = None,
    EndTime: datetime | None = None,
    Filters: list[Filter] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> DescribeInstanceSqlHaHistoryStatesResult:
    sql_ha = ctx.backend.instance_services.sql_ha
    sql_ha.evaluate()
    wanted = set(InstanceIds or ())
    records: list[RegisteredInstance] = [
        r
        for r in sql_ha.history
        if (not wanted or r["InstanceId"] in wanted)
        and (StartTime is None or r["LastUpdatedTime"] >= StartTime)
        and (EndTime is None or r["LastUpdatedTime"] <= EndTime)
    ]
    records = apply_filters(records, Filters, SQL_HA_HISTORY, ctx.operation_model)
    shown, token = page(ctx, records, MaxResults, NextToken, low=1, high=1000)
    result: DescribeInstanceSqlHaHistoryStatesResult = {"Instances": shown}
    if token:
        result["NextToken"] = token
    return result
