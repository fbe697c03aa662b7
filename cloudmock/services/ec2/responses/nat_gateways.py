"""NAT gateways: create, delete, describe; secondary private addresses and Elastic IPs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cloudmock.core.errors import InvalidParameterValue, ServiceError
from cloudmock.core.plugin import operation
from cloudmock.services.ec2.dryrun import commit
from cloudmock.services.ec2.filters import FilterSet, apply_filters
from cloudmock.services.ec2.models.nat_gateways import NAT_GATEWAY_FILTERS
from cloudmock.services.ec2.models.tags import tag_specifications
from cloudmock.services.ec2.responses.common import Ctx, page

if TYPE_CHECKING:
    from cloudmock.services.ec2.shapes import (
        AssignPrivateNatGatewayAddressResult,
        AssociateNatGatewayAddressResult,
        CreateNatGatewayResult,
        DeleteNatGatewayResult,
        DescribeNatGatewaysResult,
        DisassociateNatGatewayAddressResult,
        Filter,
        TagSpecification,
        UnassignPrivateNatGatewayAddressResult,
    )


@dataclass(frozen=True)
class _NatFilterSet(FilterSet[Any]):
    """DescribeNatGateways names its member ``Filter``, so the model's filter list is not
    found where the engine looks; its documented tag filters are answered here."""

    def supports(self, name: str, documented: frozenset[str]) -> bool:
        return name in self.getters or name.startswith("tag:") or name in ("tag-key", "tag-value")


NAT_GATEWAYS: FilterSet[Any] = _NatFilterSet(NAT_GATEWAY_FILTERS)


@operation("CreateNatGateway")
def create_nat_gateway(
    ctx: Ctx,
    *,
    SubnetId: str | None = None,
    AllocationId: str | None = None,
    ClientToken: str | None = None,
    TagSpecifications: list[TagSpecification] | None = None,
    ConnectivityType: str | None = None,
    PrivateIpAddress: str | None = None,
    SecondaryAllocationIds: list[str] | None = None,
    SecondaryPrivateIpAddresses: list[str] | None = None,
    SecondaryPrivateIpAddressCount: int | None = None,
    AvailabilityMode: str | None = None,
) -> CreateNatGatewayResult:
    family = ctx.backend.nat_gateways
    if AvailabilityMode == "regional":
        # a regional gateway spans the VPC's zones with a route table of its own: not modelled
        raise ServiceError(
            "cloudmock does not support regional NAT gateways (AvailabilityMode regional) yet.",
            code="UnsupportedOperation",
        )
    if AvailabilityMode not in (None, "zonal"):
        raise InvalidParameterValue(
            f"Invalid value '{AvailabilityMode}' for AvailabilityMode. "
            "Valid values are zonal, regional."
        )
    tags = tag_specifications(TagSpecifications, ("natgateway",)).get("natgateway", {})
    earlier = family.by_token(ClientToken)
    if earlier is not None:
        if earlier.subnet_id != SubnetId:
            raise ServiceError(
                f"Client token '{ClientToken}' was used with different parameters.",
                code="IdempotentParameterMismatch",
            )
        commit()
        return {"ClientToken": ClientToken or "", "NatGateway": earlier.describe()}
    request = family.check_create(
        SubnetId,
        ConnectivityType,
        AllocationId,
        PrivateIpAddress,
        SecondaryAllocationIds,
        SecondaryPrivateIpAddresses,
        SecondaryPrivateIpAddressCount,
    )
    commit()
    nat = family.create(request, tags, ClientToken)
    result: CreateNatGatewayResult = {"NatGateway": nat.describe()}
    if ClientToken:
        result["ClientToken"] = ClientToken
    return result


@operation("DeleteNatGateway")
def delete_nat_gateway(ctx: Ctx, *, NatGatewayId: str) -> DeleteNatGatewayResult:
    family = ctx.backend.nat_gateways
    nat = family.check_delete(NatGatewayId)
    commit()
    family.delete(nat)
    return {"NatGatewayId": nat.id}


@operation("DescribeNatGateways")
def describe_nat_gateways(
    ctx: Ctx,
    *,
    NatGatewayIds: list[str] | None = None,
    Filter: list[Filter] | None = None,
    NextToken: str | None = None,
    MaxResults: int | None = None,
) -> DescribeNatGatewaysResult:
    store = ctx.backend.nat_gateways.store
    items = store.get_many(NatGatewayIds) if NatGatewayIds else list(store)
    items = apply_filters(items, Filter, NAT_GATEWAYS, ctx.operation_model)
    shown, token = page(ctx, items, MaxResults, NextToken, low=5, high=1000)
    result: DescribeNatGatewaysResult = {"NatGateways": [n.describe() for n in shown]}
    if token:
        result["NextToken"] = token
    return result


def _addresses(nat: Any, entries: list[Any]) -> list[Any]:
    return [entry.describe(nat.interface_id) for entry in entries]


@operation("AssignPrivateNatGatewayAddress")
def assign_private_nat_gateway_address(
    ctx: Ctx,
    *,
    NatGatewayId: str,
    PrivateIpAddresses: list[str] | None = None,
    PrivateIpAddressCount: int | None = None,
) -> AssignPrivateNatGatewayAddressResult:
    family = ctx.backend.nat_gateways
    nat = family.check_assign(NatGatewayId, PrivateIpAddresses, PrivateIpAddressCount)
    commit()
    added = family.assign(nat, PrivateIpAddresses, PrivateIpAddressCount)
    return {"NatGatewayId": nat.id, "NatGatewayAddresses": _addresses(nat, added)}


@operation("UnassignPrivateNatGatewayAddress")
def unassign_private_nat_gateway_address(
    ctx: Ctx,
    *,
    NatGatewayId: str,
    PrivateIpAddresses: list[str],
    MaxDrainDurationSeconds: int | None = None,
) -> UnassignPrivateNatGatewayAddressResult:
    family = ctx.backend.nat_gateways
    nat, entries = family.check_unassign(NatGatewayId, PrivateIpAddresses, MaxDrainDurationSeconds)
    commit()
    family.unassign(nat, entries)
    return {"NatGatewayId": nat.id, "NatGatewayAddresses": _addresses(nat, entries)}


@operation("AssociateNatGatewayAddress")
def associate_nat_gateway_address(
    ctx: Ctx,
    *,
    NatGatewayId: str,
    AllocationIds: list[str],
    PrivateIpAddresses: list[str] | None = None,
) -> AssociateNatGatewayAddressResult:
    family = ctx.backend.nat_gateways
    nat, addresses, targets = family.check_associate(
        NatGatewayId, AllocationIds, PrivateIpAddresses
    )
    commit()
    entries = family.associate(nat, addresses, targets)
    return {"NatGatewayId": nat.id, "NatGatewayAddresses": _addresses(nat, entries)}


@operation("DisassociateNatGatewayAddress")
def disassociate_nat_gateway_address(
    ctx: Ctx,
    *,
    NatGatewayId: str,
    AssociationIds: list[str],
    MaxDrainDurationSeconds: int | None = None,
) -> DisassociateNatGatewayAddressResult:
    family = ctx.backend.nat_gateways
    nat, entries = family.check_disassociate(NatGatewayId, AssociationIds, MaxDrainDurationSeconds)
    commit()
    family.disassociate(nat, entries)
    return {"NatGatewayId": nat.id, "NatGatewayAddresses": _addresses(nat, entries)}
