"""Placement groups: cluster, spread and partition strategies, and who is in them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from cloudmock.core.errors import (
    InvalidParameterCombination,
    InvalidParameterValue,
    MissingParameter,
    ServiceError,
)
from cloudmock.services.ec2.models import instance_type_specs as catalogue
from cloudmock.services.ec2.models.base import Resource, ResourceKind, Store, options_only

if TYPE_CHECKING:
    from cloudmock.services.ec2.models.backend import Ec2Backend
    from cloudmock.services.ec2.models.instances import Instance, LaunchSpec
    from cloudmock.services.ec2.shapes import PlacementGroup as PlacementGroupShape

#: running instances a rack-level spread group may hold per Availability Zone
SPREAD_PER_ZONE = 7
MAX_PARTITIONS = 7
DEFAULT_PARTITIONS = 2
MAX_NAME = 255
#: states in which an instance takes room in a group (EC2 counts running instances)
RUNNING = frozenset({"pending", "running"})


def unknown(name: str) -> ServiceError:
    return ServiceError(
        f"The Placement Group '{name}' is unknown.", code="InvalidPlacementGroup.Unknown"
    )


class _PlacementGroupKind(ResourceKind):
    def not_found(self, ids: Iterable[str]) -> ServiceError:
        ids = list(ids)
        return ServiceError(
            f"The Placement Group '{', '.join(ids)}' is unknown.",
            code="InvalidPlacementGroup.Unknown",
        )


PLACEMENT_GROUP = _PlacementGroupKind(
    "pg", "placement-group", "InvalidPlacementGroupId", "placement group ID"
)


@dataclass
class PlacementGroup(Resource):
    name: str
    strategy: str
    arn: str
    partition_count: int | None = None
    spread_level: str | None = None
    parent_group_id: str | None = None
    state: str = "available"
    #: instance id -> the instance (every one not terminated), with its partition
    members: dict[str, Instance] = field(default_factory=dict)
    partitions: dict[str, int] = field(default_factory=dict)

    def describe(self) -> PlacementGroupShape:
        out: PlacementGroupShape = {
            "GroupName": self.name,
            "State": self.state,  # type: ignore[typeddict-item]
            "Strategy": self.strategy,  # type: ignore[typeddict-item]
            "GroupId": self.id,
            "GroupArn": self.arn,
            "Tags": self.tag_list(),
        }
        if self.partition_count is not None:
            out["PartitionCount"] = self.partition_count
        if self.spread_level is not None:
            out["SpreadLevel"] = self.spread_level  # type: ignore[typeddict-item]
        if self.parent_group_id is not None:
            out["ParentGroupId"] = self.parent_group_id
        return out

    def running_in(self, zone_name: str) -> int:
        return sum(
            1 for i in self.members.values() if i.zone.name == zone_name and i.state in RUNNING
        )

    def zones_in_use(self) -> set[str]:
        return {i.zone.name for i in self.members.values() if i.state in RUNNING}

    def least_used_partition(self) -> int:
        counts = dict.fromkeys(range(1, (self.partition_count or 1) + 1), 0)
        for number in self.partitions.values():
            counts[number] = counts.get(number, 0) + 1
        return min(counts, key=lambda n: (counts[n], n))


class PlacementGroups:
    """The placement groups of one region, and their members (kept by launch/state hooks)."""

    def __init__(self, backend: Ec2Backend) -> None:
        self.backend = backend
        self.store: Store[PlacementGroup] = backend.new_store(PLACEMENT_GROUP)
        self.store.add_index("name", lambda g: g.name)
        self.store.add_index("strategy", lambda g: g.strategy)
        #: instance id -> the id of its group
        self._group_of: dict[str, str] = {}
        backend.instances.launch_checks.append(self._launch_check)
        backend.instances.on_launch.append(self._on_launch)
        backend.instances.on_enter("terminated", self._on_state)
        backend.instances.start_checks.append(self._start_check)

    # -- lookups

    def by_name(self, name: str) -> PlacementGroup | None:
        found = self.store.lookup("name", name)
        return found[0] if found else None

    def named(self, name: str) -> PlacementGroup:
        group = self.by_name(name)
        if group is None:
            raise unknown(name)
        return group

    def resolve(self, name_or_id: str) -> PlacementGroup:
        """A group by name, or by id (``pg-...``) as RunInstances' Placement.GroupId gives it."""
        group = self.by_name(name_or_id)
        if group is not None:
            return group
        if name_or_id.startswith("pg-") and name_or_id in self.store:
            return self.store.get(name_or_id)
        raise unknown(name_or_id)

    def group_of(self, instance_id: str) -> PlacementGroup | None:
        """The group an instance was launched into (the instance family's describe reads it)."""
        group_id = self._group_of.get(instance_id)
        return None if group_id is None else self.store.find(group_id)

    def partition_of(self, instance_id: str) -> int | None:
        group = self.group_of(instance_id)
        return None if group is None else group.partitions.get(instance_id)

    # -- create / delete

    def check_create(
        self,
        name: str | None,
        strategy: str | None,
        partition_count: int | None,
        spread_level: str | None,
        parent_group_id: str | None,
    ) -> tuple[str, str]:
        """The (name, strategy) to create with, once every rule is met."""
        if not name:
            raise MissingParameter("The request must contain the parameter groupName")
        if len(name) > MAX_NAME or not name.isascii():
            raise InvalidParameterValue(
                f"Invalid value '{name}' for groupName. It must be at most {MAX_NAME} ASCII "
                "characters."
            )
        if not strategy:
            raise MissingParameter("The request must contain the parameter strategy")
        if partition_count is not None:
            if strategy != "partition":
                raise InvalidParameterCombination(
                    "PartitionCount can only be specified for the partition strategy."
                )
            if not 1 <= partition_count <= MAX_PARTITIONS:
                raise InvalidParameterValue(
                    f"Invalid value '{partition_count}' for PartitionCount. It must be between "
                    f"1 and {MAX_PARTITIONS}."
                )
        if spread_level is not None:
            if strategy != "spread":
                raise InvalidParameterCombination(
                    "SpreadLevel can only be specified for the spread strategy."
                )
            if spread_level == "host":
                # host-level spread exists only on Outposts, which cloudmock does not model
                raise InvalidParameterValue(
                    "The spread level 'host' is supported only for placement groups on an Outpost."
                )
        if parent_group_id is not None:
            if strategy != "cluster":
                raise InvalidParameterCombination(
                    "ParentGroupId can only be specified for the cluster strategy."
                )
            self.store.get(parent_group_id)
        if self.by_name(name) is not None:
            raise ServiceError(
                f"The Placement Group '{name}' already exists.",
                code="InvalidPlacementGroup.Duplicate",
            )
        return name, strategy

    def create(
        self,
        name: str,
        strategy: str,
        partition_count: int | None,
        spread_level: str | None,
        parent_group_id: str | None,
        tags: dict[str, str],
    ) -> PlacementGroup:
        backend = self.backend
        group = PlacementGroup(
            backend.ids.new("pg"),
            name=name,
            strategy=strategy,
            arn=f"arn:aws:ec2:{backend.region}:{backend.account_id}:placement-group/{name}",
            partition_count=(partition_count or DEFAULT_PARTITIONS)
            if strategy == "partition"
            else None,
            spread_level=(spread_level or "rack") if strategy == "spread" else None,
            parent_group_id=parent_group_id,
            tags=tags,
        )
        return self.store.add(group)

    def check_delete(self, name: str) -> PlacementGroup:
        group = self.named(name)
        if group.members or self.backend.dependents(group.id):
            raise ServiceError(
                f"The placement group '{name}' is in use and may not be deleted.",
                code="InvalidPlacementGroup.InUse",
            )
        return group

    def delete(self, group: PlacementGroup) -> None:
        self.store.remove(group.id)

    # -- the launch path

    @options_only
    def _launch_check(self, spec: LaunchSpec, zone_name: str) -> None:
        ref = spec.placement_group or spec.placement_group_id
        if ref is None:
            if spec.partition_number is not None:
                raise InvalidParameterCombination(
                    "A partition number can only be given with a partition placement group."
                )
            return
        group = self.resolve(ref)
        found = catalogue.spec_of(spec.instance_type)
        # precision-time groups are not in the catalogue's strategies
        strategies = ("cluster", "partition", "spread")
        supported = found is None or group.strategy not in strategies
        if not supported and group.strategy not in found["strategies"]:  # type: ignore[index]
            raise InvalidParameterCombination(
                f"Placement groups of strategy '{group.strategy}' may not be used with "
                f"instances of type '{spec.instance_type}'."
            )
        if spec.partition_number is not None:
            if group.strategy != "partition":
                raise InvalidParameterCombination(
                    "A partition number can only be given with a partition placement group."
                )
            if not 1 <= spec.partition_number <= (group.partition_count or 0):
                raise InvalidParameterValue(
                    f"Invalid value '{spec.partition_number}' for PartitionNumber. The placement "
                    f"group '{group.name}' has {group.partition_count} partitions."
                )
        if group.strategy == "cluster":
            zones = group.zones_in_use() - {zone_name}
            if zones:
                raise ServiceError(
                    f"The placement group '{group.name}' is in use in another availability "
                    f"zone: {sorted(zones)[0]}",
                    code="InvalidPlacementGroup.InUse",
                )
        if group.strategy == "spread" and group.spread_level == "rack":
            running = group.running_in(zone_name)
            if running + spec.max_count > SPREAD_PER_ZONE:
                raise ServiceError(
                    f"We currently do not have sufficient capacity to launch all of the "
                    f"requested instances into spread placement group '{group.name}' in "
                    f"{zone_name}: a spread placement group holds at most {SPREAD_PER_ZONE} "
                    f"running instances per Availability Zone ({running} running there now).",
                    code="InsufficientInstanceCapacity",
                )

    def _start_check(self, starting: list[Instance]) -> None:
        """A stopped member of a rack-level spread group starts only if its zone has room."""
        if not self._group_of:
            return
        adding: dict[tuple[str, str], int] = {}
        for instance in starting:
            group = self.group_of(instance.id)
            if group is None or group.strategy != "spread" or group.spread_level != "rack":
                continue
            key = (group.id, instance.zone.name)
            adding[key] = adding.get(key, 0) + 1
            running = group.running_in(instance.zone.name)
            if running + adding[key] > SPREAD_PER_ZONE:
                raise ServiceError(
                    f"We currently do not have sufficient capacity to start instance "
                    f"{instance.id} in spread placement group '{group.name}' in "
                    f"{instance.zone.name}: a spread placement group holds at most "
                    f"{SPREAD_PER_ZONE} running instances per Availability Zone ({running} "
                    "running there now).",
                    code="InsufficientInstanceCapacity",
                )

    @options_only
    def _on_launch(self, instance: Instance, spec: LaunchSpec) -> bool:
        ref = spec.placement_group or spec.placement_group_id
        if ref is None:
            return False
        group = self.resolve(ref)
        group.members[instance.id] = instance
        self._group_of[instance.id] = group.id
        if group.strategy == "partition":
            group.partitions[instance.id] = spec.partition_number or group.least_used_partition()
        return True  # the instance shows its group's name and id, and its partition

    def move(self, instance: Instance, group: PlacementGroup | None, partition: int | None) -> None:
        """ModifyInstancePlacement: out of its group, into ``group`` (None: into none)."""
        old_id = self._group_of.pop(instance.id, None)
        old = None if old_id is None else self.store.find(old_id)
        if old is not None:
            old.members.pop(instance.id, None)
            old.partitions.pop(instance.id, None)
        if group is None:
            return
        group.members[instance.id] = instance
        self._group_of[instance.id] = group.id
        if group.strategy == "partition":
            group.partitions[instance.id] = partition or group.least_used_partition()

    def _on_state(self, instance: Instance, previous: str) -> None:
        if instance.state != "terminated":
            return
        group_id = self._group_of.pop(instance.id, None)
        group = None if group_id is None else self.store.find(group_id)
        if group is not None:
            group.members.pop(instance.id, None)
            group.partitions.pop(instance.id, None)
