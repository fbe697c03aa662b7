"""The model's constraints, checked by the codecs the way AWS's services word them."""

from __future__ import annotations

import pytest

from cloudmock.core import constraints
from cloudmock.core.errors import ServiceError
from cloudmock.core.plugin import load_service_model


@pytest.mark.parametrize(
    ("java", "good", "bad"),
    [
        (r"[\w+=,.@-]+", "role_name+1", "a b"),
        (r"[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF\t]*", "ok \U0001f600", "\x00"),
        (r"\p{Print}+", "printable ~", "tab\t"),
        (r"[\p{L}\p{N}_.:/=+\-@]*", "Ünïcode_1", "no space"),
    ],
)
def test_java_patterns_are_translated(java, good, bad):
    pattern = constraints.python_pattern(java)
    assert pattern.fullmatch(good)
    assert not pattern.fullmatch(bad)


def test_every_problem_is_named_in_one_error():
    iam = load_service_model("iam").operation_model("CreateRole")
    with pytest.raises(ServiceError) as caught:
        constraints.check(iam, {"RoleName": "a b" * 30, "AssumeRolePolicyDocument": "{}"})
    message = caught.value.message
    assert caught.value.code == "ValidationError"
    assert message.startswith("2 validation errors detected: Value ")
    length = "Member must have length less than or equal to 64"
    assert f"at 'roleName' failed to satisfy constraint: {length}" in message
    assert "Member must satisfy regular expression pattern" in message


def test_a_pattern_that_cannot_be_read_refuses_nothing():
    # a negated class of Unicode categories has no spelling in Python's re
    assert constraints._pattern(r"[^\p{L}]+") is None
