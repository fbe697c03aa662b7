"""Every answered EC2 operation, called as a careless client would: never a 5xx.

For each operation cloudmock answers, a request is made from the model alone:
every required member gets a plausible value of its type (ids that exist nowhere,
the first value of an enum), with ``DryRun`` where the model has it. Whatever EC2
would say to that (NotFound, a validation error, ``DryRunOperation``), it must be
an AWS error a client can act on, never an internal error; and a dry run must
leave the state as it was. Every paginator botocore has for an answered operation
that needs no member is also walked to the end on an empty region.
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError, ParamValidationError
from botocore.model import Shape

from cloudmock.services.ec2 import plugin

MODEL = plugin.service_model


def _value(shape: Shape, name: str, depth: int = 0) -> Any:
    """A plausible value for ``shape``: right type, well-formed, naming nothing that exists."""
    kind = shape.type_name
    if kind == "structure":
        if depth > 4:
            return {}
        return {
            member: _value(shape.members[member], member, depth + 1)
            for member in shape.required_members
        }
    if kind == "list":
        return [_value(shape.member, name, depth + 1)]  # type: ignore[attr-defined]
    if kind == "map":
        return {}
    if kind == "boolean":
        return False
    if kind in ("integer", "long"):
        return max(1, int(shape.metadata.get("min", 1)))
    if kind in ("float", "double"):
        return 1.0
    if kind == "timestamp":
        return "2030-01-01T00:00:00Z"
    if kind == "blob":
        return b"x"
    if shape.enum:
        return shape.enum[0]
    if name.endswith(("Id", "Ids")):
        return "x-0123456789abcdef0"
    return "x"


def _params(operation: str) -> dict[str, Any]:
    shape = MODEL.operation_model(operation).input_shape
    params = _value(shape, operation) if shape is not None else {}
    if shape is not None and "DryRun" in shape.members:
        params["DryRun"] = True
    return params  # type: ignore[no-any-return]


ANSWERED = sorted(plugin.handlers)


@pytest.mark.parametrize("operation", ANSWERED)
def test_a_careless_call_gets_an_aws_error_never_a_5xx(ec2: Any, env: Any, operation: str) -> None:
    method = getattr(ec2, _snake(operation))
    params = _params(operation)
    ec2.describe_availability_zones()  # apply what is due, so only the call could change state
    before = env.state.dump()
    try:
        method(**params)
    except ParamValidationError:
        pytest.skip("botocore refuses these generated values before sending")
    except ClientError as error:
        status = error.response["ResponseMetadata"]["HTTPStatusCode"]
        code = error.response["Error"]["Code"]
        assert status < 500, (operation, code, error.response["Error"].get("Message"))
        assert code != "InternalError", (operation, error.response["Error"].get("Message"))
    if params.get("DryRun"):
        assert env.state.dump() == before, f"a DryRun {operation} changed state"


def _snake(operation: str) -> str:
    from botocore import xform_name

    return xform_name(operation)


PAGINATED = sorted(
    name
    for name in ANSWERED
    if (shape := MODEL.operation_model(name).input_shape) is not None
    and not shape.required_members
    and "NextToken" in shape.members
    and "MaxResults" in shape.members
)


@pytest.mark.parametrize("operation", PAGINATED)
def test_every_paginator_walks_an_empty_region(ec2: Any, operation: str) -> None:
    name = _snake(operation)
    if not ec2.can_paginate(name):
        pytest.skip("botocore has no paginator for it")
    bounds = MODEL.operation_model(operation).input_shape.members["MaxResults"].metadata
    size = max(5, int(bounds.get("min", 5)))
    try:
        pages = list(ec2.get_paginator(name).paginate(PaginationConfig={"PageSize": size}))
    except ClientError as error:  # what EC2 refuses outright (ClassicLink, say) it refuses here
        assert error.response["ResponseMetadata"]["HTTPStatusCode"] < 500, operation
        return
    assert pages, operation
