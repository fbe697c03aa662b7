"""VPC Block Public Access (options, exclusions) and VPC encryption controls."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cloudmock.core.plugin import operation
from cloudmock.services.ec2.filters import FilterSet
from cloudmock.services.ec2.models.tags import tag_specifications
from cloudmock.services.ec2.models.vpc_controls import BPA_EXCLUSION_FILTERS, EXCLUSION_KINDS
from cloudmock.services.ec2.responses.common import Ctx, page, select

if TYPE_CHECKING:
    from cloudmock.services.ec2.shapes import (
        CreateVpcBlockPublicAccessExclusionResult,
        CreateVpcEncryptionControlResult,
        DeleteVpcBlockPublicAccessExclusionResult,
        DeleteVpcEncryptionControlResult,
        DescribeAccountVpcEncryptionControlResult,
        DescribeVpcBlockPublicAccessExclusionsResult,
        DescribeVpcBlockPublicAccessOptionsResult,
        DescribeVpcEncryptionControlsResult,
        Filter,
        GetVpcResourcesBlockingEncryptionEnforcementResult,
        ModifyAccountVpcEncryptionControlResult,
        ModifyVpcBlockPublicAccessExclusionResult,
        ModifyVpcBlockPublicAccessOptionsResult,
        ModifyVpcEncryptionControlResult,
        TagSpecification,
    )

EXCLUSIONS: FilterSet[Any] = FilterSet(BPA_EXCLUSION_FILTERS)
#: DescribeVpcEncryptionControls documents no filter names
ENCRYPTION_CONTROLS: FilterSet[Any] = FilterSet({})

# -- Block Public Access


@operation("DescribeVpcBlockPublicAccessOptions")
def describe_vpc_block_public_access_options(
    ctx: Ctx,
) -> DescribeVpcBlockPublicAccessOptionsResult:
    return {"VpcBlockPublicAccessOptions": ctx.backend.vpcs.controls.bpa_options()}


@operation("ModifyVpcBlockPublicAccessOptions")
def modify_vpc_block_public_access_options(
    ctx: Ctx, *, InternetGatewayBlockMode: str
) -> ModifyVpcBlockPublicAccessOptionsResult:
    options = ctx.backend.vpcs.controls.modify_bpa(InternetGatewayBlockMode)
    return {"VpcBlockPublicAccessOptions": options}


@operation("CreateVpcBlockPublicAccessExclusion")
def create_vpc_block_public_access_exclusion(
    ctx: Ctx,
    *,
    InternetGatewayExclusionMode: str,
    VpcId: str | None = None,
    SubnetId: str | None = None,
    TagSpecifications: list[TagSpecification] | None = None,
) -> CreateVpcBlockPublicAccessExclusionResult:
    kind = "vpc-block-public-access-exclusion"
    tags = tag_specifications(TagSpecifications, (kind,))
    exclusion = ctx.backend.vpcs.controls.create_exclusion(
        VpcId, SubnetId, InternetGatewayExclusionMode, tags.get(kind, {})
    )
    return {"VpcBlockPublicAccessExclusion": exclusion.describe()}


@operation("ModifyVpcBlockPublicAccessExclusion")
def modify_vpc_block_public_access_exclusion(
    ctx: Ctx, *, ExclusionId: str, InternetGatewayExclusionMode: str
) -> ModifyVpcBlockPublicAccessExclusionResult:
    exclusion = ctx.backend.vpcs.controls.modify_exclusion(
        ExclusionId, InternetGatewayExclusionMode
    )
    return {"VpcBlockPublicAccessExclusion": exclusion.describe()}


@operation("DeleteVpcBlockPublicAccessExclusion")
def delete_vpc_block_public_access_exclusion(
    ctx: Ctx, *, ExclusionId: str
) -> DeleteVpcBlockPublicAccessExclusionResult:
    exclusion = ctx.backend.vpcs.controls.delete_exclusion(ExclusionId)
    return {"VpcBlockPublicAccessExclusion": exclusion.describe()}


@operation("DescribeVpcBlockPublicAccessExclusions", filters=EXCLUSIONS)
def describe_vpc_block_public_access_exclusions(
    ctx: Ctx,
    *,
    Filters: list[Filter] | None = None,
    ExclusionIds: list[str] | None = None,
    NextToken: str | None = None,
    MaxResults: int | None = None,
) -> DescribeVpcBlockPublicAccessExclusionsResult:
    found = select(ctx, ctx.backend.vpcs.controls.exclusions, ExclusionIds, Filters, EXCLUSIONS)
    shown, token = page(ctx, found, MaxResults, NextToken)
    result: DescribeVpcBlockPublicAccessExclusionsResult = {
        "VpcBlockPublicAccessExclusions": [e.describe() for e in shown]
    }
    if token:
        result["NextToken"] = token
    return result


# -- encryption controls


@operation("CreateVpcEncryptionControl")
def create_vpc_encryption_control(
    ctx: Ctx, *, VpcId: str, TagSpecifications: list[TagSpecification] | None = None
) -> CreateVpcEncryptionControlResult:
    tags = tag_specifications(TagSpecifications, ("vpc-encryption-control",))
    control = ctx.backend.vpcs.controls.create_control(
        VpcId, tags.get("vpc-encryption-control", {})
    )
    return {"VpcEncryptionControl": control.describe()}


@operation("ModifyVpcEncryptionControl")
def modify_vpc_encryption_control(
    ctx: Ctx,
    *,
    VpcEncryptionControlId: str,
    Mode: str | None = None,
    InternetGatewayExclusion: str | None = None,
    EgressOnlyInternetGatewayExclusion: str | None = None,
    NatGatewayExclusion: str | None = None,
    VirtualPrivateGatewayExclusion: str | None = None,
    VpcPeeringExclusion: str | None = None,
    LambdaExclusion: str | None = None,
    VpcLatticeExclusion: str | None = None,
    ElasticFileSystemExclusion: str | None = None,
    GlobalAcceleratorExclusion: str | None = None,
    ApiGatewayV2Exclusion: str | None = None,
) -> ModifyVpcEncryptionControlResult:
    given = locals()
    switches = {kind: given[f"{kind}Exclusion"] for kind in EXCLUSION_KINDS}
    control = ctx.backend.vpcs.controls.modify_control(VpcEncryptionControlId, Mode, switches)
    return {"VpcEncryptionControl": control.describe()}


@operation("DeleteVpcEncryptionControl")
def delete_vpc_encryption_control(
    ctx: Ctx, *, VpcEncryptionControlId: str
) -> DeleteVpcEncryptionControlResult:
    control = ctx.backend.vpcs.controls.delete_control(VpcEncryptionControlId)
    return {"VpcEncryptionControl": control.describe()}


@operation("DescribeVpcEncryptionControls", filters=ENCRYPTION_CONTROLS)
def describe_vpc_encryption_controls(
    ctx: Ctx,
    *,
    Filters: list[Filter] | None = None,
    VpcEncryptionControlIds: list[str] | None = None,
    VpcIds: list[str] | None = None,
    NextToken: str | None = None,
    MaxResults: int | None = None,
) -> DescribeVpcEncryptionControlsResult:
    controls = ctx.backend.vpcs.controls
    found = select(ctx, controls.encryption, VpcEncryptionControlIds, Filters, ENCRYPTION_CONTROLS)
    if VpcIds:
        ctx.backend.vpcs.vpcs.get_many(VpcIds)
        wanted = set(VpcIds)
        found = [c for c in found if c.vpc_id in wanted]
    shown, token = page(ctx, found, MaxResults, NextToken)
    result: DescribeVpcEncryptionControlsResult = {
        "VpcEncryptionControls": [c.describe() for c in shown]
    }
    if token:
        result["NextToken"] = token
    return result


@operation("GetVpcResourcesBlockingEncryptionEnforcement")
def get_vpc_resources_blocking_encryption_enforcement(
    ctx: Ctx, *, VpcId: str, MaxResults: int | None = None, NextToken: str | None = None
) -> GetVpcResourcesBlockingEncryptionEnforcementResult:
    ctx.backend.vpcs.vpcs.get(VpcId)
    found = ctx.backend.vpcs.controls.blockers(VpcId)
    shown, token = page(ctx, found, MaxResults, NextToken)
    result: GetVpcResourcesBlockingEncryptionEnforcementResult = {"NonCompliantResources": shown}
    if token:
        result["NextToken"] = token
    return result


@operation("DescribeAccountVpcEncryptionControl")
def describe_account_vpc_encryption_control(
    ctx: Ctx,
) -> DescribeAccountVpcEncryptionControlResult:
    return {"AccountVpcEncryptionControl": ctx.backend.vpcs.controls.account_control()}


@operation("ModifyAccountVpcEncryptionControl")
def modify_account_vpc_encryption_control(
    ctx: Ctx,
    *,
    Mode: str | None = None,
    InternetGateway: str | None = None,
    EgressOnlyInternetGateway: str | None = None,
    NatGateway: str | None = None,
    VirtualPrivateGateway: str | None = None,
    VpcPeering: str | None = None,
    Lambda: str | None = None,
    VpcLattice: str | None = None,
    ElasticFileSystem: str | None = None,
    GlobalAccelerator: str | None = None,
    ApiGatewayV2: str | None = None,
) -> ModifyAccountVpcEncryptionControlResult:
    given = locals()
    switches = {kind: given[kind] for kind in EXCLUSION_KINDS}
    control = ctx.backend.vpcs.controls.modify_account(Mode, switches)
    return {"AccountVpcEncryptionControl": control}
