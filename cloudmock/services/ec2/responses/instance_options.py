"""An instance's options after launch, and what it shows of itself.

ModifyInstanceMetadataOptions, Get/ModifyInstanceMetadataDefaults,
Describe/ModifyInstanceCreditSpecification(s), Get/ModifyDefaultCreditSpecification,
Monitor/UnmonitorInstances, ModifyInstanceMaintenanceOptions, ModifyInstanceCpuOptions,
ModifyInstanceNetworkPerformanceOptions, ModifyInstancePlacement, GetConsoleOutput,
GetConsoleScreenshot, GetPasswordData, GetInstanceUefiData, GetInstanceTpmEkPub,
DescribeInstanceTopology, DescribeClassicLinkInstances.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cloudmock.core.errors import InvalidParameterValue
from cloudmock.core.plugin import operation
from cloudmock.services.ec2.filters import FilterSet, apply_filters
from cloudmock.services.ec2.models import instance_options as options
from cloudmock.services.ec2.responses.common import Ctx, page, refuse_ids_with_max_results

if TYPE_CHECKING:
    from cloudmock.services.ec2.models.instances import Instance
    from cloudmock.services.ec2.shapes import (
        DescribeClassicLinkInstancesResult,
        DescribeInstanceCreditSpecificationsResult,
        DescribeInstanceTopologyResult,
        Filter,
        GetConsoleOutputResult,
        GetConsoleScreenshotResult,
        GetDefaultCreditSpecificationResult,
        GetInstanceMetadataDefaultsResult,
        GetInstanceTpmEkPubResult,
        GetInstanceUefiDataResult,
        GetPasswordDataResult,
        InstanceCreditSpecificationRequest,
        InstanceMonitoring,
        InstanceTopology,
        ModifyDefaultCreditSpecificationResult,
        ModifyInstanceCpuOptionsResult,
        ModifyInstanceCreditSpecificationResult,
        ModifyInstanceMaintenanceOptionsResult,
        ModifyInstanceMetadataDefaultsResult,
        ModifyInstanceMetadataOptionsResult,
        ModifyInstanceNetworkPerformanceResult,
        ModifyInstancePlacementResult,
        Monitoring,
        MonitorInstancesResult,
        UnmonitorInstancesResult,
    )

CREDITS: FilterSet[Any] = FilterSet({"instance-id": lambda i: i.id})
TOPOLOGY: FilterSet[Any] = FilterSet(
    {
        "availability-zone": lambda t: t["AvailabilityZone"],
        "instance-type": lambda t: t["InstanceType"],
        "zone-id": lambda t: t["ZoneId"],
    },
    tags=lambda t: {},
)
# EC2-Classic is retired: no instance is ClassicLinked, so every filter matches nothing
CLASSIC_LINK: FilterSet[Any] = FilterSet(
    {"group-id": lambda i: None, "instance-id": lambda i: None, "vpc-id": lambda i: None}
)


def _instance(ctx: Ctx, instance_id: str) -> Instance:
    return ctx.backend.instances.store.get(instance_id)


# -- instance metadata


@operation("ModifyInstanceMetadataOptions")
def modify_instance_metadata_options(
    ctx: Ctx,
    *,
    InstanceId: str,
    HttpTokens: str | None = None,
    HttpPutResponseHopLimit: int | None = None,
    HttpEndpoint: str | None = None,
    HttpProtocolIpv6: str | None = None,
    InstanceMetadataTags: str | None = None,
) -> ModifyInstanceMetadataOptionsResult:
    instance = _instance(ctx, InstanceId)
    options.modify_metadata(
        ctx.backend,
        instance,
        http_tokens=HttpTokens,
        hop_limit=HttpPutResponseHopLimit,
        http_endpoint=HttpEndpoint,
        http_protocol_ipv6=HttpProtocolIpv6,
        instance_metadata_tags=InstanceMetadataTags,
    )
    return {
        "InstanceId": instance.id,
        "InstanceMetadataOptions": instance.metadata.describe(instance.metadata_state),
    }


@operation("GetInstanceMetadataDefaults")
def get_instance_metadata_defaults(ctx: Ctx) -> GetInstanceMetadataDefaultsResult:
    defaults = ctx.backend.instances.metadata_defaults
    return {"AccountLevel": options.describe_metadata_defaults(defaults)}


@operation("ModifyInstanceMetadataDefaults")
def modify_instance_metadata_defaults(
    ctx: Ctx,
    *,
    HttpTokens: str | None = None,
    HttpPutResponseHopLimit: int | None = None,
    HttpEndpoint: str | None = None,
    InstanceMetadataTags: str | None = None,
    HttpTokensEnforced: str | None = None,
) -> ModifyInstanceMetadataDefaultsResult:
    options.modify_metadata_defaults(
        ctx.backend.instances.metadata_defaults,
        {
            "HttpTokens": HttpTokens,
            "HttpPutResponseHopLimit": HttpPutResponseHopLimit,
            "HttpEndpoint": HttpEndpoint,
            "InstanceMetadataTags": InstanceMetadataTags,
            "HttpTokensEnforced": HttpTokensEnforced,
        },
    )
    return {"Return": True}


# -- CPU credits


@operation("DescribeInstanceCreditSpecifications", filters=CREDITS)
def describe_instance_credit_specifications(
    ctx: Ctx,
    *,
    InstanceIds: list[str] | None = None,
    Filters: list[Filter] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> DescribeInstanceCreditSpecificationsResult:
    refuse_ids_with_max_results(ctx, InstanceIds, MaxResults, "InstanceIds")
    store = ctx.backend.instances.store
    if InstanceIds:
        instances = store.get_many(InstanceIds)
    else:
        # unnamed: the instances running with (or once given) the unlimited option
        instances = [
            i for i in store if i.state != "terminated" and i.extras.cpu_credits == "unlimited"
        ]
    instances = apply_filters(instances, Filters, CREDITS, ctx.operation_model)
    shown, token = page(ctx, instances, MaxResults, NextToken, low=5, high=1000)
    result: DescribeInstanceCreditSpecificationsResult = {
        "InstanceCreditSpecifications": [
            {"InstanceId": i.id, "CpuCredits": options.credits_of(i)} for i in shown
        ]
    }
    if token:
        result["NextToken"] = token
    return result


@operation("ModifyInstanceCreditSpecification")
def modify_instance_credit_specification(
    ctx: Ctx,
    *,
    InstanceCreditSpecifications: list[InstanceCreditSpecificationRequest],
    ClientToken: str | None = None,
) -> ModifyInstanceCreditSpecificationResult:
    requests = []
    for position, spec in enumerate(InstanceCreditSpecifications, start=1):
        instance_id = spec.get("InstanceId")
        if not instance_id:
            raise InvalidParameterValue(
                f"InstanceCreditSpecification.{position}.InstanceId must be specified."
            )
        requests.append((instance_id, spec.get("CpuCredits") or ""))
    done, failed = options.modify_credits(ctx.backend, requests, ClientToken)
    return {
        "SuccessfulInstanceCreditSpecifications": [{"InstanceId": i} for i in done],
        "UnsuccessfulInstanceCreditSpecifications": failed,
    }


@operation("GetDefaultCreditSpecification")
def get_default_credit_specification(
    ctx: Ctx, *, InstanceFamily: str
) -> GetDefaultCreditSpecificationResult:
    credits = options.family_credits(ctx.backend, InstanceFamily)
    return {
        "InstanceFamilyCreditSpecification": {
            "InstanceFamily": InstanceFamily,
            "CpuCredits": credits,
        }
    }


@operation("ModifyDefaultCreditSpecification")
def modify_default_credit_specification(
    ctx: Ctx, *, InstanceFamily: str, CpuCredits: str
) -> ModifyDefaultCreditSpecificationResult:
    options.set_family_credits(ctx.backend, InstanceFamily, CpuCredits)
    return {
        "InstanceFamilyCreditSpecification": {
            "InstanceFamily": InstanceFamily,
            "CpuCredits": CpuCredits,
        }
    }


# -- monitoring


def _monitorings(instances: list[Instance], state: str) -> list[InstanceMonitoring]:
    out: list[InstanceMonitoring] = []
    for instance in instances:
        monitoring: Monitoring = {"State": state}
        if instance.extras.metric_categories:
            monitoring["MetricCategoryIds"] = list(instance.extras.metric_categories)
        out.append({"InstanceId": instance.id, "Monitoring": monitoring})
    return out


@operation("MonitorInstances")
def monitor_instances(
    ctx: Ctx, *, InstanceIds: list[str], MetricCategoryIds: list[str] | None = None
) -> MonitorInstancesResult:
    instances = ctx.backend.instances.store.get_many(InstanceIds)
    options.set_monitoring(instances, True, MetricCategoryIds or [])
    return {"InstanceMonitorings": _monitorings(instances, "pending")}


@operation("UnmonitorInstances")
def unmonitor_instances(
    ctx: Ctx, *, InstanceIds: list[str], MetricCategoryIds: list[str] | None = None
) -> UnmonitorInstancesResult:
    instances = ctx.backend.instances.store.get_many(InstanceIds)
    options.set_monitoring(instances, False, MetricCategoryIds or [])
    state = "enabled" if MetricCategoryIds else "disabling"
    return {"InstanceMonitorings": _monitorings(instances, state)}


# -- maintenance, CPU, network performance, placement


@operation("ModifyInstanceMaintenanceOptions")
def modify_instance_maintenance_options(
    ctx: Ctx,
    *,
    InstanceId: str,
    AutoRecovery: str | None = None,
    RebootMigration: str | None = None,
) -> ModifyInstanceMaintenanceOptionsResult:
    instance = _instance(ctx, InstanceId)
    options.modify_maintenance(instance, AutoRecovery, RebootMigration)
    return {
        "InstanceId": instance.id,
        "AutoRecovery": instance.extras.auto_recovery,
        "RebootMigration": instance.extras.reboot_migration,
    }


@operation("ModifyInstanceCpuOptions")
def modify_instance_cpu_options(
    ctx: Ctx,
    *,
    InstanceId: str,
    CoreCount: int | None = None,
    ThreadsPerCore: int | None = None,
    NestedVirtualization: str | None = None,
) -> ModifyInstanceCpuOptionsResult:
    instance = _instance(ctx, InstanceId)
    options.modify_cpu(instance, CoreCount, ThreadsPerCore, NestedVirtualization)
    x = instance.extras
    result: ModifyInstanceCpuOptionsResult = {
        "InstanceId": instance.id,
        "CoreCount": x.core_count,
        "ThreadsPerCore": x.threads_per_core,
    }
    if x.nested_virtualization is not None:
        result["NestedVirtualization"] = x.nested_virtualization
    return result


@operation("ModifyInstanceNetworkPerformanceOptions")
def modify_instance_network_performance_options(
    ctx: Ctx, *, InstanceId: str, BandwidthWeighting: str
) -> ModifyInstanceNetworkPerformanceResult:
    instance = _instance(ctx, InstanceId)
    options.modify_network_performance(instance, BandwidthWeighting)
    return {"InstanceId": instance.id, "BandwidthWeighting": BandwidthWeighting}


@operation("ModifyInstancePlacement")
def modify_instance_placement(
    ctx: Ctx,
    *,
    InstanceId: str,
    GroupName: str | None = None,
    PartitionNumber: int | None = None,
    HostResourceGroupArn: str | None = None,
    GroupId: str | None = None,
    Tenancy: str | None = None,
    Affinity: str | None = None,
    HostId: str | None = None,
) -> ModifyInstancePlacementResult:
    instance = _instance(ctx, InstanceId)
    backend = ctx.backend
    # the group and host must exist (their families' errors), before anything changes
    ref = GroupName or GroupId
    group = backend.placement_groups.resolve(ref) if ref else None
    if HostId is not None:
        backend.hosts.store.get(HostId)
    options.modify_placement(
        instance,
        group_name=GroupName,
        group_id=GroupId,
        partition_number=PartitionNumber,
        tenancy=Tenancy,
        affinity=Affinity,
        host_id=HostId,
        host_resource_group_arn=HostResourceGroupArn,
    )
    if GroupName is not None or GroupId is not None:
        backend.placement_groups.move(instance, group, PartitionNumber)
    backend.hosts.assign(instance.id, HostId, Affinity, Tenancy)
    backend.instances.rejoin(instance)
    return {"Return": True}


# -- what the instance shows of itself


@operation("GetConsoleOutput")
def get_console_output(
    ctx: Ctx, *, InstanceId: str, Latest: bool = False
) -> GetConsoleOutputResult:
    # Latest (the newest output rather than the last buffered one) is the same output here
    instance = _instance(ctx, InstanceId)
    result: GetConsoleOutputResult = {
        "InstanceId": instance.id,
        "Timestamp": ctx.backend.clock.now(),
    }
    output = options.console_output(instance)
    if output is not None:
        result["Output"] = output
    return result


@operation("GetConsoleScreenshot")
def get_console_screenshot(
    ctx: Ctx, *, InstanceId: str, WakeUp: bool = False
) -> GetConsoleScreenshotResult:
    # WakeUp: a sleeping screen would be woken first; the picture is the same
    instance = _instance(ctx, InstanceId)
    return {"InstanceId": instance.id, "ImageData": options.screenshot(instance)}


@operation("GetPasswordData")
def get_password_data(ctx: Ctx, *, InstanceId: str) -> GetPasswordDataResult:
    instance = _instance(ctx, InstanceId)
    return {
        "InstanceId": instance.id,
        "Timestamp": ctx.backend.clock.now(),
        "PasswordData": options.password_data(ctx.backend, instance),
    }


@operation("GetInstanceUefiData")
def get_instance_uefi_data(ctx: Ctx, *, InstanceId: str) -> GetInstanceUefiDataResult:
    instance = _instance(ctx, InstanceId)
    return {"InstanceId": instance.id, "UefiData": options.uefi_data(instance)}


@operation("GetInstanceTpmEkPub")
def get_instance_tpm_ek_pub(
    ctx: Ctx, *, InstanceId: str, KeyType: str, KeyFormat: str
) -> GetInstanceTpmEkPubResult:
    instance = _instance(ctx, InstanceId)
    return {
        "InstanceId": instance.id,
        "KeyType": KeyType,
        "KeyFormat": KeyFormat,
        "KeyValue": options.tpm_ek_pub(instance, KeyType, KeyFormat),
    }


@operation("DescribeInstanceTopology", filters=TOPOLOGY)
def describe_instance_topology(
    ctx: Ctx,
    *,
    InstanceIds: list[str] | None = None,
    GroupNames: list[str] | None = None,
    Filters: list[Filter] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> DescribeInstanceTopologyResult:
    refuse_ids_with_max_results(ctx, InstanceIds, MaxResults, "InstanceIds")
    if len(InstanceIds or ()) > 100 or len(GroupNames or ()) > 100:
        raise InvalidParameterValue("You can specify up to 100 instance IDs or placement groups.")
    store = ctx.backend.instances.store
    instances = store.get_many(InstanceIds) if InstanceIds else list(store)
    wanted = set(GroupNames or ())
    found: list[InstanceTopology] = []
    for instance in instances:
        if wanted and instance.extras.placement_group not in wanted:
            continue
        node = options.topology(instance)
        if node is not None:
            found.append(node)
    found = apply_filters(found, Filters, TOPOLOGY, ctx.operation_model)
    shown, token = page(ctx, found, MaxResults, NextToken, low=1, high=100)
    result: DescribeInstanceTopologyResult = {"Instances": shown}
    if token:
        result["NextToken"] = token
    return result


@operation("DescribeClassicLinkInstances", filters=CLASSIC_LINK)
def describe_classic_link_instances(
    ctx: Ctx,
    *,
    InstanceIds: list[str] | None = None,
    Filters: list[Filter] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> DescribeClassicLinkInstancesResult:
    # EC2-Classic is retired: named instances must exist, and none is linked to a VPC
    refuse_ids_with_max_results(ctx, InstanceIds, MaxResults, "InstanceIds")
    if InstanceIds:
        ctx.backend.instances.store.get_many(InstanceIds)
    page(ctx, [], MaxResults, NextToken, low=5, high=1000)
    return {"Instances": []}
