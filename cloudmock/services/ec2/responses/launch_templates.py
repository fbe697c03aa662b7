"""Launch templates and their versions, GetLaunchTemplateData, and RunInstances' LaunchTemplate."""

from __future__ import annotations

import base64
import inspect
from collections.abc import Callable
from contextvars import ContextVar
from functools import cache
from typing import TYPE_CHECKING, Any, cast

from cloudmock.core.errors import InvalidParameterCombination, InvalidParameterValue, ServiceError
from cloudmock.core.plugin import operation
from cloudmock.services.ec2.dryrun import commit
from cloudmock.services.ec2.filters import FilterSet, apply_filters
from cloudmock.services.ec2.models.launch_templates import (
    TEMPLATE_FILTERS,
    VERSION_FILTERS,
    LaunchTemplate,
    TemplateVersion,
    response_data,
    version_not_found,
)
from cloudmock.services.ec2.models.tags import tag_specifications
from cloudmock.services.ec2.responses.common import Ctx, page

if TYPE_CHECKING:
    from botocore.model import Shape

    from cloudmock.services.ec2.shapes import (
        CreateLaunchTemplateResult,
        CreateLaunchTemplateVersionResult,
        DeleteLaunchTemplateResult,
        DeleteLaunchTemplateVersionsResponseErrorItem,
        DeleteLaunchTemplateVersionsResponseSuccessItem,
        DeleteLaunchTemplateVersionsResult,
        DescribeLaunchTemplatesResult,
        DescribeLaunchTemplateVersionsResult,
        Filter,
        GetLaunchTemplateDataResult,
        LaunchTemplateSpecification,
        ModifyLaunchTemplateResult,
        OperatorRequest,
        RequestLaunchTemplateData,
        ResponseLaunchTemplateData,
        TagSpecification,
    )

TEMPLATES: FilterSet[Any] = FilterSet(TEMPLATE_FILTERS)
VERSIONS: FilterSet[Any] = FilterSet(VERSION_FILTERS, tags=lambda pair: pair[0].tags)

MAX_DELETE_VERSIONS = 200


def _hidden(template: LaunchTemplate, include_managed: bool) -> bool:
    # templates an AWS service manages (Operator) are hidden unless asked for
    return template.operator is not None and not include_managed


@operation("CreateLaunchTemplate")
def create_launch_template(
    ctx: Ctx,
    *,
    LaunchTemplateName: str,
    LaunchTemplateData: RequestLaunchTemplateData,
    ClientToken: str | None = None,
    VersionDescription: str | None = None,
    Operator: OperatorRequest | None = None,
    TagSpecifications: list[TagSpecification] | None = None,
) -> CreateLaunchTemplateResult:
    tags = tag_specifications(TagSpecifications, ("launch-template",))
    template = ctx.backend.launch_templates.create(
        LaunchTemplateName,
        LaunchTemplateData,
        description=VersionDescription,
        tags=tags.get("launch-template", {}),
        operator=(Operator or {}).get("Principal"),
        client_token=ClientToken,
    )
    return {"LaunchTemplate": template.describe()}


@operation("CreateLaunchTemplateVersion")
def create_launch_template_version(
    ctx: Ctx,
    *,
    LaunchTemplateData: RequestLaunchTemplateData,
    ClientToken: str | None = None,
    LaunchTemplateId: str | None = None,
    LaunchTemplateName: str | None = None,
    SourceVersion: str | None = None,
    VersionDescription: str | None = None,
    ResolveAlias: bool = False,
) -> CreateLaunchTemplateVersionResult:
    family = ctx.backend.launch_templates
    template = family.find(LaunchTemplateId, LaunchTemplateName)
    version = family.add_version(
        template,
        LaunchTemplateData,
        source=SourceVersion,
        description=VersionDescription,
        client_token=ClientToken,
    )
    return {"LaunchTemplateVersion": _describe_version(ctx, template, version, ResolveAlias)}


def _describe_version(
    ctx: Ctx, template: LaunchTemplate, version: TemplateVersion, resolve: bool
) -> Any:
    data = response_data(version.data)
    if resolve:
        image = data.get("ImageId")
        if image and image.startswith("resolve:ssm:"):
            data["ImageId"] = _resolve_ssm(ctx, image)
    return template.describe_version(version, data)


def _resolve_ssm(ctx: Ctx, image: str) -> str:
    """``resolve:ssm:NAME[:VERSION]`` -> the parameter's value (the AMI id)."""
    name = image[len("resolve:ssm:") :]
    try:
        found = ctx.services.call("ssm", "GetParameter", {"Name": name})
    except ServiceError:
        raise InvalidParameterValue(
            f"Unable to resolve the SSM parameter {name} for the ImageId."
        ) from None
    return str((found or {})["Parameter"]["Value"])


@operation("DescribeLaunchTemplates", filters=TEMPLATES)
def describe_launch_templates(
    ctx: Ctx,
    *,
    LaunchTemplateIds: list[str] | None = None,
    LaunchTemplateNames: list[str] | None = None,
    Filters: list[Filter] | None = None,
    NextToken: str | None = None,
    MaxResults: int | None = None,
    IncludeManagedResources: bool = False,
) -> DescribeLaunchTemplatesResult:
    family = ctx.backend.launch_templates
    if LaunchTemplateIds or LaunchTemplateNames:
        chosen = family.store.get_many(LaunchTemplateIds or [])
        for name in LaunchTemplateNames or []:
            chosen.append(family.by_name(name))
        templates = family.store.in_order({t.id: t for t in chosen}.values())
    else:
        templates = [t for t in family.store if not _hidden(t, IncludeManagedResources)]
    templates = apply_filters(templates, Filters, TEMPLATES, ctx.operation_model)
    shown, token = page(ctx, templates, MaxResults, NextToken, low=1, high=200)
    result: DescribeLaunchTemplatesResult = {"LaunchTemplates": [t.describe() for t in shown]}
    if token:
        result["NextToken"] = token
    return result


def _bound(value: str | None, template_id: str) -> int | None:
    if value is None:
        return None
    if not value.isdigit():
        raise version_not_found(value, template_id)
    return int(value)


@operation("DescribeLaunchTemplateVersions", filters=VERSIONS)
def describe_launch_template_versions(
    ctx: Ctx,
    *,
    LaunchTemplateId: str | None = None,
    LaunchTemplateName: str | None = None,
    Versions: list[str] | None = None,
    MinVersion: str | None = None,
    MaxVersion: str | None = None,
    NextToken: str | None = None,
    MaxResults: int | None = None,
    Filters: list[Filter] | None = None,
    ResolveAlias: bool = False,
    IncludeManagedResources: bool = False,
) -> DescribeLaunchTemplateVersionsResult:
    family = ctx.backend.launch_templates
    pairs: list[tuple[LaunchTemplate, TemplateVersion]] = []
    if LaunchTemplateId or LaunchTemplateName:
        template = family.find(LaunchTemplateId, LaunchTemplateName)
        if Versions:
            chosen = {template.version(v).number: template.version(v) for v in Versions}
            versions = list(chosen.values())
        else:
            versions = list(template.versions.values())
        low = _bound(MinVersion, template.id)
        high = _bound(MaxVersion, template.id)
        versions = [
            v
            for v in versions
            if (low is None or v.number >= low) and (high is None or v.number <= high)
        ]
        # newest first, as EC2 lists them
        pairs = [(template, v) for v in sorted(versions, key=lambda v: -v.number)]
    else:
        # across templates only the $Latest / $Default aliases make sense
        wanted = Versions or ["$Latest", "$Default"]
        if any(v not in ("$Latest", "$Default") for v in wanted) or MinVersion or MaxVersion:
            raise InvalidParameterCombination(
                "To describe versions across launch templates, specify only the $Latest or "
                "$Default version."
            )
        for template in family.store:
            if _hidden(template, IncludeManagedResources):
                continue
            numbers = sorted({template.version(v).number for v in wanted}, reverse=True)
            pairs.extend((template, template.versions[n]) for n in numbers)
    pairs = apply_filters(pairs, Filters, VERSIONS, ctx.operation_model)
    shown, token = page(ctx, pairs, MaxResults, NextToken, low=1, high=200)
    result: DescribeLaunchTemplateVersionsResult = {
        "LaunchTemplateVersions": [_describe_version(ctx, t, v, ResolveAlias) for t, v in shown]
    }
    if token:
        result["NextToken"] = token
    return result


@operation("ModifyLaunchTemplate")
def modify_launch_template(
    ctx: Ctx,
    *,
    ClientToken: str | None = None,
    LaunchTemplateId: str | None = None,
    LaunchTemplateName: str | None = None,
    DefaultVersion: str | None = None,
) -> ModifyLaunchTemplateResult:
    # ModifyLaunchTemplate is idempotent by nature: setting the same default twice is one change
    family = ctx.backend.launch_templates
    template = family.find(LaunchTemplateId, LaunchTemplateName)
    family.set_default(template, DefaultVersion)
    return {"LaunchTemplate": template.describe()}


@operation("DeleteLaunchTemplate")
def delete_launch_template(
    ctx: Ctx, *, LaunchTemplateId: str | None = None, LaunchTemplateName: str | None = None
) -> DeleteLaunchTemplateResult:
    family = ctx.backend.launch_templates
    template = family.find(LaunchTemplateId, LaunchTemplateName)
    family.delete(template)
    return {"LaunchTemplate": template.describe()}


@operation("DeleteLaunchTemplateVersions")
def delete_launch_template_versions(
    ctx: Ctx,
    *,
    Versions: list[str],
    LaunchTemplateId: str | None = None,
    LaunchTemplateName: str | None = None,
) -> DeleteLaunchTemplateVersionsResult:
    if len(Versions) > MAX_DELETE_VERSIONS:
        raise InvalidParameterValue(
            f"You can delete up to {MAX_DELETE_VERSIONS} launch template versions per request."
        )
    family = ctx.backend.launch_templates
    done: list[DeleteLaunchTemplateVersionsResponseSuccessItem] = []
    failed: list[DeleteLaunchTemplateVersionsResponseErrorItem] = []

    def fail(number: str, code: str, message: str, template: LaunchTemplate | None) -> None:
        item: DeleteLaunchTemplateVersionsResponseErrorItem = {
            "ResponseError": {"Code": code, "Message": message}
        }
        if template is not None:
            item["LaunchTemplateId"] = template.id
            item["LaunchTemplateName"] = template.name
        elif LaunchTemplateId:
            item["LaunchTemplateId"] = LaunchTemplateId
        elif LaunchTemplateName:
            item["LaunchTemplateName"] = LaunchTemplateName
        if number.isdigit():
            item["VersionNumber"] = int(number)
        failed.append(item)

    try:
        template: LaunchTemplate | None = family.find(LaunchTemplateId, LaunchTemplateName)
    except ServiceError as error:
        # an unknown template fails every version, one item each, rather than the request
        code = {
            "InvalidLaunchTemplateId.Malformed": "launchTemplateIdMalformed",
            "InvalidLaunchTemplateId.NotFound": "launchTemplateIdDoesNotExist",
            "InvalidLaunchTemplateName.NotFoundException": "launchTemplateNameDoesNotExist",
        }.get(error.code)
        if code is None:
            raise
        commit()
        for number in Versions:
            fail(number, code, error.message, None)
        return {"UnsuccessfullyDeletedLaunchTemplateVersions": failed}
    assert template is not None
    commit()
    for number in dict.fromkeys(Versions):
        version = template.versions.get(int(number)) if number.isdigit() else None
        if version is None:
            fail(
                number,
                "launchTemplateVersionDoesNotExist",
                "The specified launch template version does not exist.",
                template,
            )
        elif version.number == template.default_version:
            fail(
                number,
                "unexpectedError",
                "The default version of a launch template cannot be deleted. Set another "
                "version as the default, or delete the launch template.",
                template,
            )
        else:
            family.delete_version(template, version.number)
            done.append(
                {
                    "LaunchTemplateId": template.id,
                    "LaunchTemplateName": template.name,
                    "VersionNumber": version.number,
                }
            )
    result: DeleteLaunchTemplateVersionsResult = {}
    if done:
        result["SuccessfullyDeletedLaunchTemplateVersions"] = done
    if failed:
        result["UnsuccessfullyDeletedLaunchTemplateVersions"] = failed
    return result


@operation("GetLaunchTemplateData")
def get_launch_template_data(ctx: Ctx, *, InstanceId: str) -> GetLaunchTemplateDataResult:
    backend = ctx.backend
    instance = backend.instances.store.get(InstanceId)
    shown: dict[str, Any] = dict(instance.describe())
    data: dict[str, Any] = {}
    for member in (
        "ImageId",
        "InstanceType",
        "KeyName",
        "EbsOptimized",
        "KernelId",
        "RamdiskId",
        "CapacityReservationSpecification",
        "HibernationOptions",
        "EnclaveOptions",
        "PrivateDnsNameOptions",
        "MaintenanceOptions",
        "NetworkPerformanceOptions",
        "CpuOptions",
        "LicenseSpecifications",
    ):
        if member in shown:
            data["RamDiskId" if member == "RamdiskId" else member] = shown[member]
    if "IamInstanceProfile" in shown:
        data["IamInstanceProfile"] = {"Arn": shown["IamInstanceProfile"]["Arn"]}
    if "Monitoring" in shown:
        data["Monitoring"] = {"Enabled": shown["Monitoring"]["State"] in ("enabled", "pending")}
    placement = shown.get("Placement", {})
    data["Placement"] = {
        k: v
        for k, v in placement.items()
        if k in ("AvailabilityZone", "GroupName", "Tenancy", "HostId", "Affinity") and v != ""
    } | {"GroupName": placement.get("GroupName", "")}
    data["BlockDeviceMappings"] = []
    for mapping in shown.get("BlockDeviceMappings", []):
        ebs: dict[str, Any] = {"DeleteOnTermination": mapping["Ebs"]["DeleteOnTermination"]}
        volume = backend.volumes.find(mapping["Ebs"]["VolumeId"])
        if volume is not None:
            ebs |= {
                "Encrypted": volume.encrypted,
                "VolumeSize": volume.size_gib,
                "VolumeType": volume.volume_type,
            }
            if volume.snapshot_id:
                ebs["SnapshotId"] = volume.snapshot_id
            if volume.iops is not None:
                ebs["Iops"] = volume.iops
            if volume.throughput is not None:
                ebs["Throughput"] = volume.throughput
        data["BlockDeviceMappings"].append({"DeviceName": mapping["DeviceName"], "Ebs": ebs})
    data["NetworkInterfaces"] = [
        {
            "AssociatePublicIpAddress": "Association" in eni,
            "DeleteOnTermination": eni["Attachment"]["DeleteOnTermination"],
            "Description": eni.get("Description", ""),
            "DeviceIndex": eni["Attachment"]["DeviceIndex"],
            "Groups": [g["GroupId"] for g in eni.get("Groups", [])],
            "InterfaceType": eni.get("InterfaceType", "interface"),
            "Ipv6Addresses": [
                {"Ipv6Address": a["Ipv6Address"], "IsPrimaryIpv6": a.get("IsPrimaryIpv6", False)}
                for a in eni.get("Ipv6Addresses", [])
            ],
            "NetworkInterfaceId": eni["NetworkInterfaceId"],
            "PrivateIpAddresses": [
                {"Primary": a["Primary"], "PrivateIpAddress": a["PrivateIpAddress"]}
                for a in eni.get("PrivateIpAddresses", [])
            ],
            "SubnetId": eni["SubnetId"],
            "NetworkCardIndex": eni["Attachment"].get("NetworkCardIndex", 0),
        }
        for eni in shown.get("NetworkInterfaces", [])
    ]
    data["DisableApiTermination"] = instance.disable_api_termination
    data["DisableApiStop"] = instance.disable_api_stop
    data["InstanceInitiatedShutdownBehavior"] = instance.shutdown_behavior
    if instance.user_data is not None:
        data["UserData"] = base64.b64encode(instance.user_data).decode()
    user_tags = [t for t in shown.get("Tags", []) if not t["Key"].lower().startswith("aws:")]
    if user_tags:
        data["TagSpecifications"] = [{"ResourceType": "instance", "Tags": user_tags}]
    metadata = dict(shown.get("MetadataOptions", {}))
    metadata.pop("State", None)
    if metadata:
        data["MetadataOptions"] = metadata
    shape = ctx.operation_model.service_model.shape_for("ResponseLaunchTemplateData")
    return {"LaunchTemplateData": cast("ResponseLaunchTemplateData", fit_shape(data, shape))}


def fit_shape(value: Any, shape: Shape) -> Any:
    """``value`` with what ``shape`` has no member for left out (instance views carry more)."""
    if shape.type_name == "structure" and isinstance(value, dict):
        members = cast("Any", shape).members
        return {k: fit_shape(v, members[k]) for k, v in value.items() if k in members}
    if shape.type_name == "list" and isinstance(value, list):
        return [fit_shape(v, cast("Any", shape).member) for v in value]
    return value


# -- RunInstances' LaunchTemplate: the template's data fills what the request did not give

#: the template a RunInstances call in progress launches from: (id, version number)
_launching: ContextVar[tuple[str, str] | None] = ContextVar("ec2_launch_template", default=None)

#: template data members RunInstances names otherwise
_RUN_NAMES = {"RamDiskId": "RamdiskId", "ElasticGpuSpecifications": "ElasticGpuSpecification"}


def launching_template() -> tuple[str, str] | None:
    """For RunInstances' LaunchSpec: the (template id, version) it launches from, if any."""
    return _launching.get()


@cache
def _defaults(handler: Callable[..., Any]) -> dict[str, Any]:
    return {
        name: p.default
        for name, p in inspect.signature(handler).parameters.items()
        if p.kind is inspect.Parameter.KEYWORD_ONLY
    }


@cache
def _template_data_members(service_model: Any) -> dict[str, Shape]:
    """RequestLaunchTemplateData's members (botocore resolves them anew for every new shape)."""
    return dict(service_model.shape_for("RequestLaunchTemplateData").members)


def _conform(value: Any, source: Shape, target: Shape) -> Any:
    """A template data value in the shape RunInstances takes (members it lacks dropped)."""
    if source.type_name == "structure" and target.type_name == "structure":
        members = cast("Any", target).members
        out = {}
        for name, item in value.items():
            if name in members and name in cast("Any", source).members:
                out[name] = _conform(item, cast("Any", source).members[name], members[name])
        return out
    if source.type_name == "list" and target.type_name == "list":
        return [_conform(v, cast("Any", source).member, cast("Any", target).member) for v in value]
    return value


def run_from_template(
    ctx: Ctx,
    spec: LaunchTemplateSpecification,
    handler: Callable[..., Any],
    members: dict[str, Any],
) -> Any:
    """RunInstances with ``LaunchTemplate``: ``handler`` again, the template's data under
    the members the request gave (``members``: the handler's arguments, ctx included)."""
    family = ctx.backend.launch_templates
    template = family.find(spec.get("LaunchTemplateId"), spec.get("LaunchTemplateName"))
    version = template.version(spec.get("Version"))
    defaults = _defaults(handler)
    request = {k: v for k, v in members.items() if k in defaults and k != "LaunchTemplate"}
    run_shape = ctx.operation_model.input_shape
    data_members = _template_data_members(ctx.operation_model.service_model)
    data = cast("dict[str, Any]", version.data)
    for name, value in data.items():
        member = _RUN_NAMES.get(name, name)
        if name == "TagSpecifications":
            request[member] = _merge_tags(value, request.get(member))
            continue
        if member not in run_shape.members:
            continue
        if member not in defaults:
            if member == "NetworkInterfaces":
                _primary_interface(value, request, defaults)
            continue
        if request.get(member, defaults[member]) == defaults[member]:
            request[member] = _conform(value, data_members[name], run_shape.members[member])
    token = _launching.set((template.id, str(version.number)))
    try:
        return handler(ctx, **request)
    finally:
        _launching.reset(token)


def _merge_tags(template: list[dict[str, Any]], given: list[dict[str, Any]] | None) -> Any:
    """Tags per resource type: the template's, then the request's over them."""
    merged: dict[str, dict[str, str]] = {}
    for spec in [*template, *(given or [])]:
        kind = merged.setdefault(spec.get("ResourceType", ""), {})
        for tag in spec.get("Tags", []):
            kind[tag["Key"]] = tag.get("Value", "")
    return [
        {"ResourceType": kind, "Tags": [{"Key": k, "Value": v} for k, v in tags.items()]}
        for kind, tags in merged.items()
    ]


def _primary_interface(
    interfaces: list[dict[str, Any]], request: dict[str, Any], defaults: dict[str, Any]
) -> None:
    """Where RunInstances takes no NetworkInterfaces, the primary one's subnet, groups and
    address stand in for SubnetId, SecurityGroupIds and PrivateIpAddress."""
    primary = next((i for i in interfaces if i.get("DeviceIndex", 0) == 0), None)
    if primary is None:
        return
    for source, member in (
        ("SubnetId", "SubnetId"),
        ("Groups", "SecurityGroupIds"),
        ("PrivateIpAddress", "PrivateIpAddress"),
    ):
        if (
            source in primary
            and member in defaults
            and request.get(member, defaults[member]) == defaults[member]
        ):
            request[member] = primary[source]
