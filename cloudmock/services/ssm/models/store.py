"""The parameters of one account in one region: writes, reads, versions, labels, tags."""

from __future__ import annotations

import heapq
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from cloudmock.services.ssm.models import names as naming
from cloudmock.services.ssm.models.errors import (
    Unsupported,
    already_exists,
    invalid_allowed_pattern,
    label_limit,
    max_versions,
    not_found_named,
    parameter_limit,
    parameter_not_found,
    pattern_mismatch,
    too_many_tags,
    validation,
    version_not_found,
)
from cloudmock.services.ssm.models.filters import (
    RECURSIVE,
    Condition,
    legacy_filters,
    parameter_filters,
)
from cloudmock.services.ssm.models.parameters import (
    ADVANCED,
    DEFAULT_KEY_ID,
    INTELLIGENT_TIERING,
    SECURE_STRING,
    STANDARD,
    STRING,
    Parameter,
    Version,
)
from cloudmock.services.ssm.models.policies import Policy, parse_policies
from cloudmock.services.ssm.models.public import PublicParameter, PublicParameters
from cloudmock.services.ssm.models.tree import ParameterTree

if TYPE_CHECKING:
    from cloudmock.core.clock import Clock
    from cloudmock.services.ssm.shapes import (
        Parameter as ParameterView,
    )
    from cloudmock.services.ssm.shapes import (
        ParametersFilter,
        ParameterStringFilter,
        Tag,
    )

MAX_VERSIONS = 100
MAX_LABELS_PER_VERSION = 10
MAX_TAGS = 50
STANDARD_VALUE_MAX = 4096
ADVANCED_VALUE_MAX = 8192
#: parameters per account and region, by tier
STANDARD_LIMIT = 10_000
ADVANCED_LIMIT = 100_000

TEXT, EC2_IMAGE = "text", "aws:ec2:image"
#: data types AWS documents that cloudmock does not validate yet: refused, never accepted blindly
UNMODELED_DATA_TYPES = frozenset(
    {
        "aws:ssm:integration", "aws:region", "aws:account:id", "boolean", "integer", "float",
        "binary", "hostname", "email", "ipv4-address", "ipv6-address", "url", "json", "jsonc",
    }
)  # fmt: skip
_AMI_ID = re.compile(r"^ami-(?:[0-9a-f]{8}|[0-9a-f]{17})$")
_KEY_ID = re.compile(r"^[a-zA-Z0-9:/_-]+$")
_TAG_SYMBOLS = frozenset("_.:/=+-@")


@dataclass
class Write:
    """What one PutParameter asks for (None: not in the request)."""

    name: str
    value: str
    type: str | None = None
    key_id: str | None = None
    overwrite: bool = False
    description: str | None = None
    allowed_pattern: str | None = None
    tags: Sequence[Tag] | None = None
    tier: str | None = None
    policies: str | None = None
    data_type: str | None = None


class ParameterStore:
    def __init__(
        self, account_id: str, region: str, clock: Clock, public: PublicParameters
    ) -> None:
        self.account_id = account_id
        self.region = region
        self.clock = clock
        self.public = public
        self.tree: ParameterTree[Parameter] = ParameterTree()
        self._tiers = {STANDARD: 0, ADVANCED: 0}
        #: (when, name, version) of Expiration policies; stale rows are skipped when due
        self._expirations: list[tuple[datetime, str, int]] = []

    # ------------------------------------------------------------------ writes

    def put(self, write: Write, user: str) -> Version:
        name = naming.check_new_name(write.name, self.region, self.account_id)
        if write.overwrite and write.tags:
            raise validation(
                "Invalid request: tags and overwrite can't be used together. To create a parameter "
                "with tags, please remove overwrite flag. To update tags for an existing parameter, "
                "please use AddTagsToResource or RemoveTagsFromResource."
            )
        existing = self.tree.get(name)
        if existing is not None and not write.overwrite:
            raise already_exists()
        before = existing.latest if existing is not None else None
        if before is None and write.type is None:
            raise validation("A parameter type is required when you create a parameter.")
        kind = write.type or (before.type if before else STRING)
        key_id = self._key_id(write, kind, before)
        if write.value == "":
            raise validation(
                "1 validation error detected: Value '' at 'value' failed to satisfy constraint: "
                "Member must have length greater than or equal to 1."
            )
        data_type = self._data_type(write, kind, before)
        pattern = (
            write.allowed_pattern
            if write.allowed_pattern is not None
            else (before.allowed_pattern if before else None)
        )
        if pattern:
            self._check_pattern(pattern, write.value)
        now = self.clock.now()
        policies = (
            parse_policies(write.policies, now)
            if write.policies is not None
            else (before.policies if before else ())
        )
        tier = self._tier(write, before, policies)
        tags = _checked_tags(write.tags or ())
        if existing is None or existing.latest.tier != tier:
            self._check_room(tier)
        description = (
            write.description
            if write.description is not None
            else (before.description if before else None)
        )
        number = 1 if before is None else before.number + 1
        version = Version(
            number=number,
            value=write.value,
            type=kind,
            key_id=key_id,
            description=description,
            allowed_pattern=pattern or None,
            data_type=data_type,
            tier=tier,
            policies=policies,
            modified=now,
            modified_by=user,
        )
        if existing is None:
            existing = Parameter(name, naming.arn_for(self.region, self.account_id, name), {})
            if len(tags) > MAX_TAGS:
                raise too_many_tags()
            existing.tags.update(tags)
            self.tree.add(existing)
        else:
            self._make_room_for_version(existing)
            self._tiers[existing.latest.tier] -= 1
        existing.versions[number] = version
        self._tiers[tier] += 1
        for policy in policies:
            if policy.expires is not None:
                heapq.heappush(self._expirations, (policy.expires, name, number))
        return version

    def _key_id(self, write: Write, kind: str, before: Version | None) -> str | None:
        if kind != SECURE_STRING:
            if write.key_id is not None:
                raise validation("KeyId is required for SecureString type parameter only.")
            return None
        if write.key_id is not None:
            if not _KEY_ID.match(write.key_id):
                raise validation(
                    f"1 validation error detected: Value '{write.key_id}' at 'keyId' failed to "
                    "satisfy constraint: Member must satisfy regular expression pattern: "
                    "^([a-zA-Z0-9:/_-]+)$"
                )
            return write.key_id
        if before is not None and before.key_id is not None:
            return before.key_id
        return DEFAULT_KEY_ID

    def _data_type(self, write: Write, kind: str, before: Version | None) -> str:
        data_type = write.data_type or (before.data_type if before else TEXT)
        if data_type in UNMODELED_DATA_TYPES:
            raise Unsupported(
                f"cloudmock does not support the data type {data_type} of PutParameter yet "
                f"(it supports {TEXT} and {EC2_IMAGE})."
            )
        if data_type not in (TEXT, EC2_IMAGE):
            raise validation(
                f"The following data type is not supported: {data_type} (Data type names are all "
                "lowercase.)"
            )
        if data_type == EC2_IMAGE:
            if kind != STRING:
                raise validation(
                    f"The data type {EC2_IMAGE} is supported only for parameters of type String."
                )
            if not _AMI_ID.match(write.value):
                # AWS checks this after answering and then drops the write; cloudmock refuses it
                raise validation(
                    f"Parameter value, {write.value}, is not a valid AMI ID for the data type "
                    f"{EC2_IMAGE}: expected ami- followed by 8 or 17 hexadecimal digits."
                )
        return data_type

    @staticmethod
    def _check_pattern(pattern: str, value: str) -> None:
        try:
            compiled = re.compile(pattern)
        except re.error as error:
            raise invalid_allowed_pattern(pattern, str(error)) from None
        if not compiled.search(value):
            raise pattern_mismatch(pattern)

    def _tier(self, write: Write, before: Version | None, policies: tuple[Policy, ...]) -> str:
        current = before.tier if before else None
        # the account's default tier is Standard (cloudmock models no service settings)
        asked = write.tier or current or STANDARD
        size = len(write.value)
        if asked == INTELLIGENT_TIERING:
            needs_advanced = (
                current == ADVANCED
                or size > STANDARD_VALUE_MAX
                or bool(policies)
                or self._tiers[STANDARD] >= STANDARD_LIMIT
            )
            tier = ADVANCED if needs_advanced else STANDARD
        else:
            tier = asked
        if current == ADVANCED and tier == STANDARD:
            raise validation(
                "This parameter uses the advanced-parameter tier. You can't downgrade a parameter "
                "from the advanced-parameter tier to the standard-parameter tier. If necessary, you "
                "can delete the advanced parameter and recreate it as a standard parameter."
            )
        if tier == STANDARD:
            if size > STANDARD_VALUE_MAX:
                raise validation(
                    f"Standard tier parameters support a maximum parameter value of "
                    f"{STANDARD_VALUE_MAX} characters. To create a larger parameter value, upgrade "
                    "the parameter to use the advanced-parameter tier. For more information, see "
                    "https://docs.aws.amazon.com/systems-manager/latest/userguide/"
                    "parameter-store-advanced-parameters.html"
                )
            if policies:
                raise validation(
                    "Parameter policies are supported only for parameters in the advanced-parameter "
                    "tier. Use the Advanced or Intelligent-Tiering tier to assign policies."
                )
        elif size > ADVANCED_VALUE_MAX:
            raise validation(
                f"Advanced tier parameters support a maximum parameter value of {ADVANCED_VALUE_MAX} "
                "characters."
            )
        return tier

    def _check_room(self, tier: str) -> None:
        limit = STANDARD_LIMIT if tier == STANDARD else ADVANCED_LIMIT
        if self._tiers[tier] >= limit:
            raise parameter_limit()

    @staticmethod
    def _make_room_for_version(parameter: Parameter) -> None:
        """At 100 versions the oldest goes, unless a label holds it."""
        if len(parameter.versions) < MAX_VERSIONS:
            return
        oldest = next(iter(parameter.versions.values()))
        if oldest.labels:
            raise max_versions(parameter.name, oldest.number)
        del parameter.versions[oldest.number]

    def delete(self, name: str) -> Parameter | None:
        parameter = self.tree.remove(name)
        if parameter is not None:
            self._tiers[parameter.latest.tier] -= 1
        return parameter

    def expire_due(self) -> None:
        """Apply every Expiration policy whose time has come (the parameter is deleted)."""
        due = self._expirations
        if not due:
            return
        now = self.clock.now()
        while due and due[0][0] <= now:
            when, name, _ = heapq.heappop(due)
            parameter = self.tree.get(name)
            if parameter is None:
                continue
            # the policy still in force is the latest version's; an older row is stale
            if any(p.expires == when for p in parameter.latest.policies):
                self.delete(name)

    # ------------------------------------------------------------------- reads

    def find(self, ref: naming.Reference) -> Parameter | None:
        if ref.foreign:
            return None
        for name in ref.names:
            found = self.tree.get(name)
            if found is not None:
                return found
        return None

    def read(self, raw: str, decrypt: bool, *, strict: bool) -> ParameterView | None:
        """One GetParameter(s) read. ``strict`` (GetParameter) raises what GetParameters lists
        among InvalidParameters."""
        ref = naming.reference(raw, self.region, self.account_id)
        if naming.is_public(ref.names[0]) and not ref.foreign:
            return self._public_read(ref, strict)
        parameter = self.find(ref)
        if parameter is None:
            if strict:
                raise parameter_not_found()
            return None
        version = self._select(parameter, ref, strict)
        if version is None:
            return None
        return parameter.view(version, decrypt, name=ref.requested, selector=ref.selector)

    def _select(self, parameter: Parameter, ref: naming.Reference, strict: bool) -> Version | None:
        if ref.version is not None:
            version = parameter.versions.get(ref.version)
        elif ref.label is not None:
            version = parameter.labeled(ref.label)
        else:
            return parameter.latest
        if version is None and strict:
            raise version_not_found(
                ref.version if ref.version is not None else ref.label, ref.requested
            )
        return version

    def _public_read(self, ref: naming.Reference, strict: bool) -> ParameterView | None:
        found = self.public.get(ref.names[0])
        if found is not None and ref.version not in (None, found.version):
            found = None
        if found is None or ref.label is not None:
            if strict:
                raise parameter_not_found()
            return None
        return self._public_view(found, ref.selector)

    def _public_view(self, found: PublicParameter, selector: str | None = None) -> ParameterView:
        shown: ParameterView = {
            "Name": found.name,
            "Type": found.type,
            "Value": found.value,
            "Version": found.version,
            "LastModifiedDate": found.modified or self.clock.now(),
            "ARN": f"arn:{naming.partition_of(self.region)}:ssm:{self.region}::parameter"
            + found.name,
            "DataType": found.data_type,
        }
        if selector is not None:
            shown["Selector"] = selector
        return shown

    def named(self, raw: str, *, arn_allowed: bool = False) -> Parameter:
        """The parameter an operation names (History, labels, tags), or ParameterNotFound."""
        name = naming.trimmed(raw)
        if arn_allowed and name.startswith("arn:"):
            ref = naming.reference(name, self.region, self.account_id)
            if ref.selector is not None:
                raise not_found_named(name)
            found = self.find(ref)
        else:
            found = self.tree.get(name)
        if found is None:
            raise not_found_named(name)
        return found

    def by_path(
        self,
        path: str,
        recursive: bool,
        filters: Sequence[ParameterStringFilter] | None,
        decrypt: bool,
    ) -> list[ParameterView]:
        path = naming.check_path(path)
        conditions = parameter_filters(filters, by_path=True)
        if naming.is_public(path + "/"):
            # public parameters have a type, but no key and no labels
            found = sorted(self.public.under(path, recursive), key=lambda p: p.name)
            return [
                self._public_view(p)
                for p in found
                if all(c.matches(p.type if c.key == "Type" else None) for c in conditions)
            ]
        labels = next((c for c in conditions if c.key == "Label"), None)
        rest = [c for c in conditions if c.key != "Label"]
        shown: list[ParameterView] = []
        for parameter in self.tree.under(path, recursive):
            version = parameter.latest
            if labels is not None:
                matching = [parameter.labels[v] for v in labels.values if v in parameter.labels]
                if not matching:
                    continue
                version = parameter.versions[max(matching)]
            if all(c.test(parameter, version) for c in rest):
                shown.append(parameter.view(version, decrypt))
        return shown

    def describe(
        self,
        filters: Sequence[ParametersFilter] | None,
        string_filters: Sequence[ParameterStringFilter] | None,
    ) -> list[Parameter]:
        if filters and string_filters:
            raise validation("You can use either Filters or ParameterFilters in a single request.")
        conditions = (
            legacy_filters(filters) if filters else parameter_filters(string_filters, by_path=False)
        )
        paths = [c for c in conditions if c.key == "Path"]
        rest: list[Condition] = [c for c in conditions if c.key != "Path"]
        if paths:
            [where] = paths
            picked: dict[str, Parameter] = {}
            for path in where.values:
                for parameter in self.tree.under(path, where.option == RECURSIVE):
                    picked[parameter.name] = parameter
            candidates = [picked[name] for name in sorted(picked)]
        else:
            candidates = self.tree.all()
        return [p for p in candidates if all(c.test(p, p.latest) for c in rest)]

    # ------------------------------------------------------------------ labels

    def label(self, raw: str, number: int | None, labels: Sequence[str]) -> tuple[list[str], int]:
        """Attach ``labels`` to a version (the latest by default); returns (invalid, version)."""
        parameter = self.named(raw)
        version = parameter.latest if number is None else parameter.versions.get(number)
        if version is None:
            raise version_not_found(number, parameter.name)
        wanted = list(dict.fromkeys(labels))
        invalid = [label for label in wanted if not naming.valid_label(label)]
        valid = [label for label in wanted if naming.valid_label(label)]
        added = [label for label in valid if label not in version.labels]
        if len(version.labels) + len(added) > MAX_LABELS_PER_VERSION:
            raise label_limit()
        for label in added:
            moved_from = parameter.labeled(label)
            if moved_from is not None:
                moved_from.labels.remove(label)
            version.labels.append(label)
            parameter.labels[label] = version.number
        return invalid, version.number

    def unlabel(self, raw: str, number: int, labels: Sequence[str]) -> tuple[list[str], list[str]]:
        """Remove ``labels`` from one version; returns (removed, invalid)."""
        parameter = self.named(raw)
        version = parameter.versions.get(number)
        if version is None:
            raise version_not_found(number, parameter.name)
        removed: list[str] = []
        invalid: list[str] = []
        for label in dict.fromkeys(labels):
            if label in version.labels:
                version.labels.remove(label)
                del parameter.labels[label]
                removed.append(label)
            else:
                invalid.append(label)
        return removed, invalid

    # -------------------------------------------------------------------- tags

    def add_tags(self, parameter: Parameter, tags: Sequence[Tag]) -> None:
        checked = _checked_tags(tags)
        if len({**parameter.tags, **checked}) > MAX_TAGS:
            raise too_many_tags()
        parameter.tags.update(checked)

    @staticmethod
    def remove_tags(parameter: Parameter, keys: Sequence[str]) -> None:
        for key in keys:
            parameter.tags.pop(key, None)


def _checked_tags(tags: Sequence[Tag]) -> dict[str, str]:
    """Tags by key, each key and value as the model's pattern allows (letters, numbers,
    spaces and ``_.:/=+-@``)."""
    out: dict[str, str] = {}
    for index, tag in enumerate(tags, 1):
        for member, text in (("key", tag["Key"]), ("value", tag["Value"])):
            if not all(_tag_char(c) for c in text):
                raise validation(
                    f"1 validation error detected: Value '{text}' at 'tags.{index}.member.{member}' "
                    "failed to satisfy constraint: Member must satisfy regular expression pattern: "
                    "^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$"
                )
        out[tag["Key"]] = tag["Value"]
    return out


def _tag_char(char: str) -> bool:
    return char in _TAG_SYMBOLS or unicodedata.category(char)[0] in "LZN"
