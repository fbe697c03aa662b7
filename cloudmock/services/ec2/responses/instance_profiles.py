"""Associate/Disassociate/Replace/DescribeIamInstanceProfileAssociations."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cloudmock.core.errors import MissingParameter
from cloudmock.core.plugin import operation
from cloudmock.services.ec2.filters import FilterSet
from cloudmock.services.ec2.models.instance_profiles import PROFILE_ASSOCIATION_FILTERS
from cloudmock.services.ec2.responses.common import Ctx, page, select
from cloudmock.services.ec2.responses.instances import resolve_instance_profile

if TYPE_CHECKING:
    from cloudmock.services.ec2.shapes import (
        AssociateIamInstanceProfileResult,
        DescribeIamInstanceProfileAssociationsResult,
        DisassociateIamInstanceProfileResult,
        Filter,
        IamInstanceProfileSpecification,
        ReplaceIamInstanceProfileAssociationResult,
    )

ASSOCIATIONS: FilterSet[Any] = FilterSet(
    PROFILE_ASSOCIATION_FILTERS, indexes={"instance-id": "instance"}
)


@operation("AssociateIamInstanceProfile")
def associate_iam_instance_profile(
    ctx: Ctx, *, IamInstanceProfile: IamInstanceProfileSpecification, InstanceId: str
) -> AssociateIamInstanceProfileResult:
    instance = ctx.backend.instances.store.get(InstanceId)
    profile = resolve_instance_profile(ctx, IamInstanceProfile)
    if profile is None:
        raise MissingParameter("IamInstanceProfile")
    association = ctx.backend.instance_services.profiles.associate(instance, profile)
    return {"IamInstanceProfileAssociation": association.describe()}


@operation("DisassociateIamInstanceProfile")
def disassociate_iam_instance_profile(
    ctx: Ctx, *, AssociationId: str
) -> DisassociateIamInstanceProfileResult:
    association = ctx.backend.instance_services.profiles.disassociate(AssociationId)
    return {"IamInstanceProfileAssociation": association.describe()}


@operation("ReplaceIamInstanceProfileAssociation")
def replace_iam_instance_profile_association(
    ctx: Ctx, *, IamInstanceProfile: IamInstanceProfileSpecification, AssociationId: str
) -> ReplaceIamInstanceProfileAssociationResult:
    profiles = ctx.backend.instance_services.profiles
    profiles.store.get(AssociationId)  # an unknown association before IAM is asked
    profile = resolve_instance_profile(ctx, IamInstanceProfile)
    if profile is None:
        raise MissingParameter("IamInstanceProfile")
    association = profiles.replace(AssociationId, profile)
    return {"IamInstanceProfileAssociation": association.describe()}


@operation("DescribeIamInstanceProfileAssociations", filters=ASSOCIATIONS)
def describe_iam_instance_profile_associations(
    ctx: Ctx,
    *,
    AssociationIds: list[str] | None = None,
    Filters: list[Filter] | None = None,
    MaxResults: int | None = None,
    NextToken: str | None = None,
) -> DescribeIamInstanceProfileAssociationsResult:
    store = ctx.backend.instance_services.profiles.store
    items = select(ctx, store, AssociationIds, Filters, ASSOCIATIONS)
    shown, token = page(ctx, items, MaxResults, NextToken, low=5, high=1000)
    result: DescribeIamInstanceProfileAssociationsResult = {
        "IamInstanceProfileAssociations": [a.describe() for a in shown]
    }
    if token:
        result["NextToken"] = token
    return result
