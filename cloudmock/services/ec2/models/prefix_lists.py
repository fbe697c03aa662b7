"""Managed prefix lists: the customer's own (versioned) and AWS's (read-only, per region)."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cloudmock.core.errors import (
    InvalidParameterCombination,
    InvalidParameterValue,
    MissingParameter,
    ServiceError,
)
from cloudmock.services.ec2.data.aws_prefix_lists import aws_prefix_lists
from cloudmock.services.ec2.models.base import Resource, ResourceKind, Store

if TYPE_CHECKING:
    from cloudmock.services.ec2.models.backend import Ec2Backend
    from cloudmock.services.ec2.shapes import ManagedPrefixList as ManagedPrefixListShape
    from cloudmock.services.ec2.shapes import PrefixList as PrefixListShape
    from cloudmock.services.ec2.shapes import PrefixListEntry


@dataclass(frozen=True)
class _PrefixListKind(ResourceKind):
    def not_found(self, ids: Iterable[str]) -> ServiceError:
        # EC2's wording: "The prefix list (pl-...) does not exist."
        ids = list(ids)
        if len(ids) == 1:
            message = f"The prefix list ({ids[0]}) does not exist."
        else:
            message = f"The prefix lists ({', '.join(ids)}) do not exist."
        return ServiceError(message, code="InvalidPrefixListID.NotFound")


PREFIX_LIST = _PrefixListKind(
    "pl",
    "prefix-list",
    "InvalidPrefixListId",
    "prefix list ID",
    not_found_stem="InvalidPrefixListID",
)

AWS_OWNER = "AWS"
#: EC2's ceiling on a customer-managed list's MaxEntries
MAX_ENTRIES_LIMIT = 1000
MAX_NAME = 255
MAX_DESCRIPTION = 255


@dataclass
class ManagedPrefixList(Resource):
    name: str
    address_family: str
    max_entries: int
    owner_id: str
    region: str
    #: CIDR -> description, the current version's entries
    entries: dict[str, str | None] = field(default_factory=dict)
    #: every version's entries, to restore and to read back (TargetVersion)
    versions: dict[int, dict[str, str | None]] = field(default_factory=dict)
    version: int = 1
    state: str = "create-complete"
    state_message: str | None = None
    #: bumped on every state change, so a stale scheduled transition does nothing
    generation: int = 0

    @property
    def aws_managed(self) -> bool:
        return self.owner_id == AWS_OWNER

    @property
    def arn(self) -> str:
        owner = "aws" if self.aws_managed else self.owner_id
        return f"arn:aws:ec2:{self.region}:{owner}:prefix-list/{self.id}"

    def describe(self) -> ManagedPrefixListShape:
        out: ManagedPrefixListShape = {
            "PrefixListId": self.id,
            "AddressFamily": self.address_family,
            "State": self.state,
            "PrefixListArn": self.arn,
            "PrefixListName": self.name,
            "MaxEntries": self.max_entries,
            "Version": self.version,
            "OwnerId": self.owner_id,
            "Tags": self.tag_list(),
        }
        if self.state_message:
            out["StateMessage"] = self.state_message
        if not self.aws_managed:
            out["IpamPrefixListResolverSyncEnabled"] = False
        return out

    def describe_aws(self) -> PrefixListShape:
        """DescribePrefixLists' view: name and CIDRs."""
        return {
            "PrefixListId": self.id,
            "PrefixListName": self.name,
            "Cidrs": list(self.entries),
        }

    def entry_list(self, version: int | None = None) -> list[PrefixListEntry]:
        entries = self.entries if version is None else self.versions[version]
        out: list[PrefixListEntry] = []
        for cidr, description in entries.items():
            entry: PrefixListEntry = {"Cidr": cidr}
            if description:
                entry["Description"] = description
            out.append(entry)
        return out


def _canonical(cidr: str, family: str, where: str) -> str:
    try:
        network = ipaddress.ip_network(cidr, strict=False)
    except ValueError:
        raise InvalidParameterValue(
            f"The CIDR '{cidr}' for {where} is invalid. It must be a valid {family} CIDR block."
        ) from None
    if (network.version == 4) != (family == "IPv4"):
        raise InvalidParameterValue(
            f"The CIDR '{cidr}' for {where} does not match the address family {family} "
            "of the prefix list."
        )
    return str(network)


def _description(value: str | None) -> str | None:
    if value is not None and len(value) > MAX_DESCRIPTION:
        raise InvalidParameterValue(
            f"The entry description exceeds the maximum length of {MAX_DESCRIPTION} characters."
        )
    return value or None


def _check_name(name: str) -> None:
    if not name:
        raise InvalidParameterValue("The prefix list name cannot be empty.")
    if len(name) > MAX_NAME:
        raise InvalidParameterValue(
            f"The prefix list name exceeds the maximum length of {MAX_NAME} characters."
        )
    if name.lower().startswith("com.amazonaws"):
        raise InvalidParameterValue(
            f"The prefix list name '{name}' is invalid: names starting with 'com.amazonaws' "
            "are reserved for AWS."
        )


def _check_max_entries(value: int) -> None:
    if not 1 <= value <= MAX_ENTRIES_LIMIT:
        raise InvalidParameterValue(
            f"Value ({value}) for parameter maxEntries is invalid. "
            f"Expecting a value between 1 and {MAX_ENTRIES_LIMIT}."
        )


class PrefixLists:
    """The managed prefix lists of one region: the account's own and AWS's."""

    def __init__(self, backend: Ec2Backend) -> None:
        self.backend = backend
        self.store: Store[ManagedPrefixList] = backend.new_store(PREFIX_LIST)
        self._aws: dict[str, ManagedPrefixList] | None = None
        #: ClientToken -> (what was asked, the list made)
        self._tokens: dict[str, tuple[Any, str]] = {}
        #: other families' users of a list (a route table's prefix-list route):
        #: ``source(prefix_list_id) -> [(resource id, owner account)]``
        self.association_sources: list[Callable[[str], list[tuple[str, str]]]] = []
        #: how much of a security group's rule quota one reference to a list takes, asked
        #: before MaxEntries grows: ``check(prefix_list_id, new_max) -> error or None``
        self.resize_checks: list[Callable[[str, int], str | None]] = []
        groups = backend.security_groups
        self.association_sources.append(groups.prefix_list_users)
        self.association_sources.append(backend.route_tables.prefix_list_users)
        self.resize_checks.append(groups.prefix_list_resize)
        self.resize_checks.append(backend.route_tables.prefix_list_resize)

    # -- lookups

    @property
    def aws_lists(self) -> dict[str, ManagedPrefixList]:
        """AWS's lists of the region, made on first use (ids derived from region and name)."""
        if self._aws is None:
            region = self.backend.region
            lists = {}
            for item in aws_prefix_lists(region):
                entries: dict[str, str | None] = dict.fromkeys(item.cidrs)
                lists[item.id] = ManagedPrefixList(
                    id=item.id,
                    name=item.name,
                    address_family=item.address_family,
                    max_entries=max(len(item.cidrs), 1),
                    owner_id=AWS_OWNER,
                    region=region,
                    entries=entries,
                    versions={1: dict(entries)},
                )
            self._aws = lists
        return self._aws

    def find(self, prefix_list_id: str) -> ManagedPrefixList | None:
        return self.store.find(prefix_list_id) or self.aws_lists.get(prefix_list_id)

    def get(self, prefix_list_id: str) -> ManagedPrefixList:
        """Any list this account can see, or EC2's Malformed / NotFound."""
        found = self.find(prefix_list_id)
        if found is None:
            self.store.check_id(prefix_list_id)
            raise PREFIX_LIST.not_found([prefix_list_id])
        return found

    def get_many(self, ids: Sequence[str]) -> list[ManagedPrefixList]:
        ids = list(dict.fromkeys(ids))
        for value in ids:
            if self.find(value) is None:
                self.store.check_id(value)
        missing = [value for value in ids if self.find(value) is None]
        if missing:
            raise PREFIX_LIST.not_found(missing)
        return [self.get(value) for value in ids]

    def visible(self) -> list[ManagedPrefixList]:
        """DescribeManagedPrefixLists: AWS's lists, then the account's own."""
        return [*self.aws_lists.values(), *self.store]

    def own(self, prefix_list_id: str) -> ManagedPrefixList:
        """A list the caller may change: its own, not AWS's."""
        found = self.get(prefix_list_id)
        if found.aws_managed:
            raise ServiceError(
                f"The prefix list '{prefix_list_id}' is managed by AWS and cannot be modified "
                "or deleted.",
                code="InvalidPrefixListModification",
            )
        return found

    # -- lifecycle

    def prepare_entries(
        self, entries: Sequence[Mapping[str, Any]] | None, family: str, where: str
    ) -> dict[str, str | None]:
        out: dict[str, str | None] = {}
        for position, entry in enumerate(entries or (), start=1):
            cidr = entry.get("Cidr")
            if not cidr:
                raise MissingParameter(f"{where}.{position}.Cidr")
            canonical = _canonical(cidr, family, where)
            if canonical in out:
                raise InvalidParameterValue(
                    f"The request contains the duplicate entry '{canonical}'."
                )
            out[canonical] = _description(entry.get("Description"))
        return out

    def check_create(
        self,
        name: str,
        max_entries: int,
        family: str,
        entries: Sequence[Mapping[str, Any]] | None,
        client_token: str | None,
        tags: dict[str, str],
    ) -> tuple[dict[str, str | None], ManagedPrefixList | None]:
        """Everything CreateManagedPrefixList checks; the entries, or the list a token made."""
        if client_token is not None:
            seen = self._tokens.get(client_token)
            asked = (name, max_entries, family, repr(entries), repr(sorted(tags.items())))
            if seen is not None:
                if seen[0] != asked:
                    raise ServiceError(
                        "The client token has already been used with different parameters.",
                        code="IdempotentParameterMismatch",
                    )
                existing = self.store.find(seen[1])
                if existing is not None:
                    return {}, existing
        _check_name(name)
        if family not in ("IPv4", "IPv6"):
            raise InvalidParameterValue(
                f"Value ({family}) for parameter addressFamily is invalid. "
                "Valid values are IPv4 and IPv6."
            )
        _check_max_entries(max_entries)
        prepared = self.prepare_entries(entries, family, "Entry")
        if len(prepared) > max_entries:
            raise InvalidParameterValue(
                f"The number of entries ({len(prepared)}) exceeds the maximum number of "
                f"entries ({max_entries}) for the prefix list."
            )
        return prepared, None

    def create(
        self,
        name: str,
        max_entries: int,
        family: str,
        entries: dict[str, str | None],
        tags: dict[str, str],
        client_token: str | None,
        asked: Any,
    ) -> ManagedPrefixList:
        backend = self.backend
        item = self.store.add(
            ManagedPrefixList(
                id=backend.ids.new("pl"),
                name=name,
                address_family=family,
                max_entries=max_entries,
                owner_id=backend.account_id,
                region=backend.region,
                entries=dict(entries),
                versions={1: dict(entries)},
                tags=tags,
            )
        )
        if client_token is not None:
            self._tokens[client_token] = (asked, item.id)
        self._transition(item, "create-in-progress", "create-complete")
        return item

    def _transition(self, item: ManagedPrefixList, now: str, then: str) -> None:
        item.state = now
        item.generation += 1

        def done(target: ManagedPrefixList) -> None:
            target.state = then
            target.generation += 1

        self.backend.schedule(self.backend.options.transition_delay, item, done)

    def _check_ready(self, item: ManagedPrefixList) -> None:
        if item.state.endswith("-in-progress"):
            raise ServiceError(
                f"The prefix list '{item.id}' is in the current state ({item.state}) "
                "and cannot be changed.",
                code="IncorrectState",
            )

    def _check_version(self, item: ManagedPrefixList, current: int | None) -> None:
        if current is not None and current != item.version:
            raise ServiceError(
                "The prefix list has the incorrect version number.",
                code="PrefixListVersionMismatch",
            )

    def check_modify(
        self,
        prefix_list_id: str,
        current_version: int | None,
        name: str | None,
        add: Sequence[Mapping[str, Any]] | None,
        remove: Sequence[Mapping[str, Any]] | None,
        max_entries: int | None,
    ) -> tuple[ManagedPrefixList, dict[str, str | None] | None]:
        """Everything ModifyManagedPrefixList checks; the list and its new entries (if any)."""
        item = self.own(prefix_list_id)
        if name is not None:
            _check_name(name)
        changes_entries = bool(add) or bool(remove)
        if max_entries is not None and changes_entries:
            raise InvalidParameterCombination(
                "You cannot modify the entries and the maximum entries for the prefix list "
                "in the same request."
            )
        self._check_ready(item)
        self._check_version(item, current_version)
        if max_entries is not None:
            _check_max_entries(max_entries)
            if max_entries < len(item.entries):
                raise InvalidParameterValue(
                    f"The maximum number of entries ({max_entries}) cannot be less than the "
                    f"number of entries ({len(item.entries)}) in the prefix list."
                )
            if max_entries > item.max_entries:
                for check in self.resize_checks:
                    problem = check(item.id, max_entries)
                    if problem:
                        raise ServiceError(problem, code="PrefixListMaxEntriesExceeded")
        if not changes_entries:
            return item, None
        entries = dict(item.entries)
        # Removals first, as EC2 applies them: re-adding a CIDR changes its description.
        for position, entry in enumerate(remove or (), start=1):
            cidr = entry.get("Cidr")
            if not cidr:
                raise MissingParameter(f"RemoveEntry.{position}.Cidr")
            canonical = _canonical(cidr, item.address_family, "RemoveEntry")
            if canonical not in entries:
                raise InvalidParameterValue(
                    f"The prefix list '{item.id}' does not contain the entry '{canonical}'."
                )
            del entries[canonical]
        added = self.prepare_entries(add, item.address_family, "AddEntry")
        for cidr, description in added.items():
            if cidr in entries:
                raise InvalidParameterValue(
                    f"The prefix list '{item.id}' already contains the entry '{cidr}'."
                )
            entries[cidr] = description
        if len(entries) > item.max_entries:
            raise InvalidParameterValue(
                f"The number of entries ({len(entries)}) exceeds the maximum number of "
                f"entries ({item.max_entries}) for the prefix list."
            )
        return item, entries

    def modify(
        self,
        item: ManagedPrefixList,
        name: str | None,
        entries: dict[str, str | None] | None,
        max_entries: int | None,
    ) -> None:
        if name is not None:
            item.name = name
        if max_entries is not None:
            item.max_entries = max_entries
        if entries is not None:
            self._new_version(item, entries)
        self._transition(item, "modify-in-progress", "modify-complete")

    def _new_version(self, item: ManagedPrefixList, entries: dict[str, str | None]) -> None:
        item.version += 1
        item.entries = dict(entries)
        item.versions[item.version] = dict(entries)

    def check_restore(self, prefix_list_id: str, previous: int, current: int) -> ManagedPrefixList:
        item = self.own(prefix_list_id)
        self._check_ready(item)
        self._check_version(item, current)
        if previous not in item.versions or previous >= item.version:
            raise InvalidParameterValue(
                f"The specified value for previous version ({previous}) is not valid: "
                f"the prefix list '{item.id}' has versions 1 to {item.version}."
            )
        if len(item.versions[previous]) > item.max_entries:
            raise InvalidParameterValue(
                f"Version {previous} has more entries than the maximum number of entries "
                f"({item.max_entries}) for the prefix list."
            )
        return item

    def restore(self, item: ManagedPrefixList, previous: int) -> None:
        self._new_version(item, item.versions[previous])
        self._transition(item, "restore-in-progress", "restore-complete")

    def check_delete(self, prefix_list_id: str) -> ManagedPrefixList:
        item = self.own(prefix_list_id)
        self._check_ready(item)
        users = self.backend.dependents(item.id)
        if users:
            raise ServiceError(
                f"resource {item.id} has a dependent object", code="DependencyViolation"
            )
        return item

    def delete(self, item: ManagedPrefixList) -> None:
        item.state = "delete-in-progress"
        item.generation += 1

        def gone(target: ManagedPrefixList) -> None:
            self.store.remove(target.id)

        self.backend.schedule(self.backend.options.transition_delay, item, gone)

    def entries_of(self, prefix_list_id: str, version: int | None) -> list[PrefixListEntry]:
        item = self.get(prefix_list_id)
        if version is not None and version not in item.versions:
            raise InvalidParameterValue(
                f"The specified value for version ({version}) is not valid: the prefix list "
                f"'{item.id}' has versions 1 to {item.version}."
            )
        return item.entry_list(version)

    def associations(self, prefix_list_id: str) -> list[tuple[str, str]]:
        """(resource id, owner) of everything that references the list."""
        self.get(prefix_list_id)
        out: list[tuple[str, str]] = []
        for source in self.association_sources:
            out.extend(source(prefix_list_id))
        return list(dict.fromkeys(out))


MANAGED_PREFIX_LIST_FILTERS = {
    "owner-id": lambda p: p.owner_id,
    "prefix-list-id": lambda p: p.id,
    "prefix-list-name": lambda p: p.name,
}

PREFIX_LIST_FILTERS = {
    "prefix-list-id": lambda p: p.id,
    "prefix-list-name": lambda p: p.name,
}
