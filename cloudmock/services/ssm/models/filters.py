"""ParameterFilters (and DescribeParameters' deprecated Filters): checked, then matched.

Each operation accepts its own keys and options, as documented:

* DescribeParameters: ``Name`` (Equals, BeginsWith, Contains), ``Path`` (OneLevel,
  Recursive), ``Type``, ``KeyId``, ``Tier``, ``DataType``, ``tag:KEY`` (Equals,
  BeginsWith); not ``Label``.
* GetParametersByPath: ``Type``, ``KeyId`` (Equals, BeginsWith) and ``Label``
  (Equals only).

Values of one filter are alternatives; filters all apply. A ``tag:KEY`` filter
without values matches parameters that carry the key.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cloudmock.core.errors import ServiceError
from cloudmock.services.ssm.models.errors import (
    PATH_RULES,
    invalid_filter_key,
    invalid_filter_option,
    invalid_filter_value,
    validation,
)
from cloudmock.services.ssm.models.names import check_path
from cloudmock.services.ssm.models.parameters import ADVANCED, STANDARD, TYPES, Parameter, Version

if TYPE_CHECKING:
    from cloudmock.services.ssm.shapes import ParametersFilter, ParameterStringFilter

EQUALS, BEGINS_WITH, CONTAINS = "Equals", "BeginsWith", "Contains"
ONE_LEVEL, RECURSIVE = "OneLevel", "Recursive"

_DESCRIBE_OPTIONS = {
    "Name": [EQUALS, BEGINS_WITH, CONTAINS],
    "Path": [RECURSIVE, ONE_LEVEL],
    "Type": [EQUALS, BEGINS_WITH],
    "KeyId": [EQUALS, BEGINS_WITH],
    "Tier": [EQUALS, BEGINS_WITH],
    "DataType": [EQUALS, BEGINS_WITH],
    "tag": [EQUALS, BEGINS_WITH],
}
_BY_PATH_OPTIONS = {
    "Type": [EQUALS, BEGINS_WITH],
    "KeyId": [EQUALS, BEGINS_WITH],
    "Label": [EQUALS],
}
_KEY_PATTERN = re.compile(r"^(?:tag:.+|Name|Type|KeyId|Path|Label|Tier|DataType)$")
_KNOWN_VALUES = {"Type": list(TYPES), "Tier": [STANDARD, ADVANCED]}


@dataclass(frozen=True)
class Condition:
    #: Name, Type, KeyId, Path, Tier, DataType, Label, or tag:KEY
    key: str
    option: str
    values: tuple[str, ...]

    def field(self, parameter: Parameter, version: Version) -> str | None:
        key = self.key
        if key == "Name":
            return parameter.name
        if key == "Type":
            return version.type
        if key == "KeyId":
            return version.key_id
        if key == "Tier":
            return version.tier
        if key == "DataType":
            return version.data_type
        if key.startswith("tag:"):
            return parameter.tags.get(key[4:])
        raise AssertionError(f"{key} is matched by the store, not field by field")

    def test(self, parameter: Parameter, version: Version) -> bool:
        return self.matches(self.field(parameter, version))

    def matches(self, found: str | None) -> bool:
        """Whether the filtered field's value (None: the parameter has no such field) passes."""
        if found is None:
            return False
        if not self.values:  # tag:KEY with no values: the key is there
            return True
        if self.option == BEGINS_WITH:
            return any(found.startswith(value) for value in self.values)
        if self.option == CONTAINS:
            return any(value in found for value in self.values)
        return found in self.values


def parameter_filters(
    filters: Sequence[ParameterStringFilter] | None, *, by_path: bool
) -> list[Condition]:
    """Check ``ParameterFilters`` for DescribeParameters (or GetParametersByPath)."""
    allowed = _BY_PATH_OPTIONS if by_path else _DESCRIBE_OPTIONS
    valid_keys = list(allowed) if by_path else [k if k != "tag" else "tag:" for k in allowed]
    conditions: list[Condition] = []
    seen: set[str] = set()
    for index, item in enumerate(filters or (), 1):
        key = item["Key"]
        if not _KEY_PATTERN.match(key):
            # the model's pattern for the member, which SSM checks before the filter's meaning
            raise validation(
                f"1 validation error detected: Value '{key}' at 'parameterFilters.{index}.member.key' "
                "failed to satisfy constraint: Member must satisfy regular expression pattern: "
                "tag:.+|Name|Type|KeyId|Path|Label|Tier|DataType"
            )
        family = "tag" if key.startswith("tag:") else key
        if family not in allowed:
            raise invalid_filter_key(key, valid_keys)
        if key in seen:
            raise validation(
                f"The following filter is duplicated in the request: {key}. A request can contain "
                "only one occurrence of a specific filter."
            )
        seen.add(key)
        option = item.get("Option") or (ONE_LEVEL if key == "Path" else EQUALS)
        if option not in allowed[family]:
            raise invalid_filter_option(option, allowed[family])
        values = tuple(item.get("Values") or ())
        if not values and family != "tag":
            raise invalid_filter_value(
                f"The following filter values are missing : null for filter key {key}."
            )
        if option == EQUALS and family in _KNOWN_VALUES:
            for value in values:
                if value not in _KNOWN_VALUES[family]:
                    raise invalid_filter_value(
                        f"The following filter value is not valid: {value}. Valid values include: "
                        f"[{', '.join(_KNOWN_VALUES[family])}]."
                    )
        if family == "Path":
            values = tuple(_path_value(value) for value in values)
        conditions.append(Condition(key, option, values))
    return conditions


def _path_value(value: str) -> str:
    try:
        return check_path(value)
    except ServiceError:
        raise invalid_filter_value(
            f"The following filter value is not valid: {value}. {PATH_RULES}"
        ) from None


def legacy_filters(filters: Sequence[ParametersFilter] | None) -> list[Condition]:
    """DescribeParameters' deprecated ``Filters`` (Name, Type, KeyId): Name matches names that
    begin with a value, Type and KeyId match exactly."""
    conditions: list[Condition] = []
    seen: set[str] = set()
    for item in filters or ():
        key = item["Key"]
        if key in seen:
            raise validation(
                f"The following filter is duplicated in the request: {key}. A request can contain "
                "only one occurrence of a specific filter."
            )
        seen.add(key)
        values = tuple(item["Values"])
        if key == "Type":
            for value in values:
                if value not in TYPES:
                    raise invalid_filter_value(
                        f"The following filter value is not valid: {value}. Valid values include: "
                        f"[{', '.join(TYPES)}]."
                    )
        conditions.append(Condition(key, BEGINS_WITH if key == "Name" else EQUALS, values))
    return conditions
