"""The handler contract: signatures are checked against the model, and mypy sees the types."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import TypedDict

import pytest

from cloudmock.core.contract import ContractError, ShapeNamespace, compile_contract
from cloudmock.core.plugin import load_service_model

ROOT = Path(__file__).resolve().parents[2]
EC2 = load_service_model("ec2")
SHAPES = ShapeNamespace(frozenset(EC2.shape_names))


def contract_for(handler, operation):
    shape = EC2.operation_model(operation).input_shape
    return compile_contract(
        handler, operation, shape.members, shape.required_members, {"DryRun"}, SHAPES
    )


def test_a_member_the_operation_lacks_is_an_error():
    def handler(ctx, *, InstanceID: list[str]) -> None: ...

    with pytest.raises(ContractError, match="has no member 'InstanceID'"):
        contract_for(handler, "StartInstances")


def test_taking_everything_is_not_allowed():
    def handler(ctx, **members) -> None: ...

    with pytest.raises(ContractError, match="keyword-only"):
        contract_for(handler, "StartInstances")


def test_an_optional_member_needs_a_default():
    def handler(ctx, *, InstanceIds: list[str], AdditionalInfo: str) -> None: ...

    with pytest.raises(ContractError, match="AdditionalInfo is optional"):
        contract_for(handler, "StartInstances")


def test_members_handled_for_every_operation_are_not_the_handlers():
    def handler(ctx, *, InstanceIds: list[str], DryRun: bool = False) -> None: ...

    with pytest.raises(ContractError, match="DryRun is handled for every operation"):
        contract_for(handler, "StartInstances")


class PlacementIn(TypedDict, total=False):
    Tenancy: str


def test_nested_members_are_taken_only_as_declared():
    def handler(ctx, *, MinCount: int, MaxCount: int, Placement: PlacementIn | None = None): ...

    contract = contract_for(handler, "RunInstances")
    assert contract.untaken({"MinCount": 1, "MaxCount": 1, "Placement": {"Tenancy": "x"}}) is None
    assert contract.untaken({"MinCount": 1, "Placement": {"HostId": "h"}}) == "Placement.HostId"
    assert contract.untaken({"MinCount": 1, "KeyName": "k"}) == "KeyName"
    assert contract.untaken({"DryRun": True}, also={"DryRun"}) is None


def test_a_generated_shape_takes_the_whole_value():
    def handler(ctx, *, MinCount: int, MaxCount: int, Placement: Placement | None = None): ...  # noqa: F821

    contract = contract_for(handler, "RunInstances")
    assert contract.untaken({"MinCount": 1, "Placement": {"HostId": "h"}}) is None


SNIPPET = """
from __future__ import annotations

from typing import TYPE_CHECKING

from cloudmock.core.plugin import operation
from cloudmock.services.ec2.responses.common import Ctx

if TYPE_CHECKING:
    from cloudmock.services.ec2.shapes import DescribeVpcsResult, Placement


@operation("DescribeVpcs")
def describe_vpcs(ctx: Ctx, *, VpcIds: list[str] | None = None) -> DescribeVpcsResult:
    zone: str = PLACEMENT["AvailabilityZon"]
    ctx.backend.no_such_family
    return {"Vpc": [], "NextToken": VpcId}
"""


def test_mypy_catches_misspelt_members(tmp_path, monkeypatch):
    api = pytest.importorskip("mypy.api")
    source = tmp_path / "handler.py"
    source.write_text(textwrap.dedent(SNIPPET).replace("PLACEMENT", "Placement()"))
    monkeypatch.setenv("MYPYPATH", str(ROOT))  # the editable install hides the package from mypy
    out, _, status = api.run(
        [str(source), "--cache-dir", str(tmp_path / "cache"), "--follow-imports", "silent"]
    )
    assert status == 1, out
    assert 'TypedDict "Placement" has no key "AvailabilityZon"' in out
    assert '"Ec2Backend" has no attribute "no_such_family"' in out
    assert 'Extra key "Vpc" for TypedDict "DescribeVpcsResult"' in out
    assert 'Name "VpcId" is not defined' in out
