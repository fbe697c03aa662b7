"""Spot fleets and EC2 fleets: a target capacity kept from pools of launch options."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from cloudmock.core.errors import ServiceError
from cloudmock.services.ec2.dryrun import commit
from cloudmock.services.ec2.models.base import Resource, ResourceKind, Store
from cloudmock.services.ec2.models.spot import on_demand_price

if TYPE_CHECKING:
    from cloudmock.services.ec2.models.backend import Ec2Backend
    from cloudmock.services.ec2.models.instances import Instance, LaunchSpec


class _FleetKind(ResourceKind):
    def not_found(self, ids: Iterable[str]) -> ServiceError:
        ids = list(ids)
        return ServiceError(
            f"The {self.noun} '{', '.join(ids)}' does not exist.",
            code=f"{self.error_stem}.NotFound",
        )


SPOT_FLEET = _FleetKind(
    "sfr", "spot-fleet-request", "InvalidSpotFleetRequestId", "spot fleet request"
)
EC2_FLEET = _FleetKind("fleet", "fleet", "InvalidFleetId", "fleet")

#: the tag EC2 puts on instances of each kind of fleet
FLEET_TAGS = {"sfr": "aws:ec2spot:fleet-request-id", "fleet": "aws:ec2:fleet-id"}


@dataclass(frozen=True)
class Pool:
    """One launch option of a fleet: what to launch, its weight, priority and price cap."""

    spec: LaunchSpec
    weight: float = 1.0
    priority: float | None = None
    max_price: str | None = None
    #: for describes: the launch template (id, name, version) and the overrides as given
    template: tuple[str, str, str] | None = None
    overrides: dict[str, Any] | None = None


@dataclass(frozen=True)
class Event:
    time: datetime
    kind: str
    sub_type: str
    description: str = ""
    instance_id: str | None = None


@dataclass
class Fleet(Resource):
    #: "sfr" (spot fleet request) or "fleet" (EC2 fleet)
    family: str
    fleet_type: str
    pools: list[Pool]
    target: int
    on_demand_target: int
    #: EC2 fleets: the spot part (spot fleets: the rest of the target)
    spot_target: int | None
    default_capacity_type: str
    created: datetime
    spot_strategy: str = "lowest-price"
    on_demand_strategy: str = "lowest-price"
    excess_policy: str | None = None
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    state: str = "submitted"
    activity: str = "pending_fulfillment"
    #: what happens to the fleet's spot instances when EC2 interrupts them
    interruption_behavior: str = "terminate"
    #: "spot" / "on-demand" -> the most the fleet may spend an hour on them (MaxTotalPrice)
    max_total_price: dict[str, float] = field(default_factory=dict)
    #: where the pools new launches choose from begin (ModifyFleet replaces the pools)
    first_pool: int = 0
    #: instance id -> (pool index, "spot" / "on-demand")
    members: dict[str, tuple[int, str]] = field(default_factory=dict)
    history: list[Event] = field(default_factory=list)
    #: launch failures (pool index, lifecycle, code, message)
    errors: list[tuple[int, str, str, str]] = field(default_factory=list)
    client_token: str | None = None
    #: the request as given, for describes (each family its own shape)
    config: dict[str, Any] = field(default_factory=dict)
    #: instant fleets: the launches it answered (pool index, lifecycle, instance ids)
    launches: list[tuple[int, str, list[str]]] = field(default_factory=list)

    def capacity(self, lifecycle: str | None = None) -> float:
        return sum(
            self.pools[pool].weight
            for pool, life in self.members.values()
            if lifecycle is None or life == lifecycle
        )

    def describe(self) -> dict[str, Any]:
        """The state endpoint's summary (the describe operations shape each family's view)."""
        return {
            "Id": self.id,
            "Type": self.fleet_type,
            "State": self.state,
            "ActivityStatus": self.activity,
            "TargetCapacity": self.target,
            "OnDemandTargetCapacity": self.on_demand_target,
            "FulfilledCapacity": self.capacity(),
            "CreateTime": self.created.isoformat(),
            "Instances": [
                {"InstanceId": i, "Lifecycle": life} for i, (_, life) in self.members.items()
            ],
            "Tags": self.tag_list(),
        }

    @property
    def wanted_spot(self) -> int:
        if self.spot_target is not None:
            return self.spot_target
        return self.target - self.on_demand_target

    @property
    def live(self) -> bool:
        return self.state in ("submitted", "active", "modifying")


_SPOT_FLEET_SUB = {"launched": "launched", "terminated": "terminated"}


class Fleets:
    """Spot fleet requests and EC2 fleets of one region."""

    def __init__(self, backend: Ec2Backend) -> None:
        self.backend = backend
        self.spot_fleets: Store[Fleet] = backend.new_store(SPOT_FLEET)
        self.fleets: Store[Fleet] = backend.new_store(EC2_FLEET)
        #: instance id -> its fleet (for on_state: no scan over fleets)
        self._by_instance: dict[str, Fleet] = {}
        self._tokens: dict[tuple[str, str], str] = {}
        backend.instances.on_enter("terminated", self._instance_state)

    def store_for(self, family: str) -> Store[Fleet]:
        return self.spot_fleets if family == "sfr" else self.fleets

    def fleet_of(self, instance_id: str) -> Fleet | None:
        return self._by_instance.get(instance_id)

    def by_token(self, family: str, token: str | None) -> Fleet | None:
        if token is None:
            return None
        fleet_id = self._tokens.get((family, token))
        return None if fleet_id is None else self.store_for(family).find(fleet_id)

    # -- events

    def _event(
        self,
        fleet: Fleet,
        kind: str,
        sub_type: str,
        description: str = "",
        instance_id: str | None = None,
    ) -> None:
        fleet.history.append(
            Event(self.backend.clock.now(), kind, sub_type, description, instance_id)
        )

    def _fleet_event(self, fleet: Fleet, sub_type: str) -> None:
        kind = "fleetRequestChange" if fleet.family == "sfr" else "fleet-change"
        self._event(fleet, kind, sub_type)

    def _instance_event(self, fleet: Fleet, sub_type: str, instance: Instance) -> None:
        kind = "instanceChange" if fleet.family == "sfr" else "instance-change"
        description = (
            f'{{"instanceType":"{instance.instance_type}","image":"{instance.image_id}",'
            f'"availabilityZone":"{instance.zone.name}"}}'
        )
        self._event(fleet, kind, sub_type, description, instance.id)

    # -- creation

    def create(self, fleet: Fleet) -> Fleet:
        """Store a checked fleet (the caller has passed commit()) and start fulfilling it."""
        backend = self.backend
        fleet.id = backend.ids.new(fleet.family)
        self.store_for(fleet.family).add(fleet)
        if fleet.client_token is not None:
            self._tokens[(fleet.family, fleet.client_token)] = fleet.id
        self._fleet_event(fleet, "submitted")
        if fleet.fleet_type == "instant":
            fleet.state = "active"
            self._fulfil(fleet)
            return fleet
        delay = backend.options.transition_delay
        if fleet.valid_from is not None:
            delay = max(delay, (fleet.valid_from - backend.clock.now()).total_seconds())
        backend.schedule(delay, fleet, self._activate)
        if fleet.valid_until is not None:
            backend.schedule(
                (fleet.valid_until - backend.clock.now()).total_seconds(), fleet, self._expire
            )
        return fleet

    def _activate(self, fleet: Fleet) -> None:
        if fleet.state != "submitted":
            return
        fleet.state = "active"
        self._fleet_event(fleet, "active")
        self._fulfil(fleet)

    def _expire(self, fleet: Fleet) -> None:
        if not fleet.live:
            return
        self._fleet_event(fleet, "expired")
        terminate = bool(fleet.config.get("TerminateInstancesWithExpiration"))
        self._stop(fleet, terminate)

    # -- fulfilment

    def _choose(self, fleet: Fleet, lifecycle: str, count: int) -> list[tuple[int, int]]:
        """(pool index, instances) to launch for ``count`` more units of ``lifecycle``."""
        indexes = list(range(fleet.first_pool, len(fleet.pools)))
        strategy = fleet.spot_strategy if lifecycle == "spot" else fleet.on_demand_strategy
        zone = next(iter(self.backend.zones))

        def price(i: int) -> float:
            pool = fleet.pools[i]
            if lifecycle == "spot":
                zone_name = pool.spec.zone_name or zone
                return self.backend.spot.current_price(pool.spec.instance_type, zone_name)
            return on_demand_price(pool.spec.instance_type)

        if strategy in ("diversified",):
            # spread the units over the pools in turn
            plan: dict[int, int] = {}
            remaining, turn = float(count), 0
            while remaining > 0:
                i = indexes[turn % len(indexes)]
                plan[i] = plan.get(i, 0) + 1
                remaining -= fleet.pools[i].weight
                turn += 1
            return list(plan.items())
        if strategy in (
            "prioritized",
            "capacity-optimized-prioritized",
            "capacityOptimizedPrioritized",
        ):
            best = min(
                indexes,
                key=lambda i: (fleet.pools[i].priority is None, fleet.pools[i].priority or 0, i),
            )
        else:
            best = min(indexes, key=lambda i: (price(i) / fleet.pools[i].weight, i))
        return [(best, math.ceil(count / fleet.pools[best].weight))]

    def _fulfil(self, fleet: Fleet) -> list[tuple[int, str, list[str]]]:
        """Launch what the fleet lacks; the launches made (pool, lifecycle, instance ids)."""
        made: list[tuple[int, str, list[str]]] = []
        if not fleet.live:
            return made
        for lifecycle, wanted in (
            ("on-demand", fleet.on_demand_target),
            ("spot", fleet.wanted_spot),
        ):
            missing = math.ceil(wanted - fleet.capacity(lifecycle))
            if missing <= 0:
                continue
            for index, count in self._choose(fleet, lifecycle, missing):
                launched = self._launch(fleet, index, lifecycle, count)
                if launched:
                    made.append((index, lifecycle, launched))
        fleet.launches.extend(made)
        if fleet.capacity() >= fleet.target:
            fleet.activity = "fulfilled"
        elif fleet.errors:
            fleet.activity = "error"
        return made

    def _launch(self, fleet: Fleet, index: int, lifecycle: str, count: int) -> list[str]:
        backend = self.backend
        pool = fleet.pools[index]
        spec = replace(
            pool.spec,
            min_count=1,
            max_count=count,
            lifecycle="spot" if lifecycle == "spot" else None,
            client_token=None,
        )
        if lifecycle == "spot" and pool.max_price is not None:
            zone_name = pool.spec.zone_name or next(iter(backend.zones))
            price = backend.spot.current_price(pool.spec.instance_type, zone_name)
            if float(pool.max_price) < price:
                self._error(
                    fleet,
                    index,
                    lifecycle,
                    "SpotMaxPriceTooLow",
                    (
                        f"Your Spot request price of {pool.max_price} is lower than the minimum "
                        f"required Spot request fulfillment price of {price:.6f}."
                    ),
                )
                return []
        # one at a time, so a launch that runs out part way gives what it could and one error
        instances: list[Instance] = []
        cap = fleet.max_total_price.get(lifecycle)
        each = self._hourly(fleet, index, lifecycle)
        for _ in range(count):
            if cap is not None and self._spend(fleet, lifecycle) + each > cap:
                # MaxTotalPrice: the fleet stops launching once the next instance would pass it
                self._error(
                    fleet,
                    index,
                    lifecycle,
                    "MaxTotalPriceExceeded",
                    f"Launching another instance would exceed the maximum total price of {cap}.",
                )
                break
            try:
                instances += backend.instances.launch(replace(spec, max_count=1))[1]
            except ServiceError as error:
                self._error(fleet, index, lifecycle, error.code, error.message)
                break
            instance = instances[-1]
            request = backend.spot.request_of(instance.id) if lifecycle == "spot" else None
            if request is not None:
                # the request EC2 makes for a fleet's spot instance carries the fleet's terms
                request.interruption_behavior = fleet.interruption_behavior
                if pool.max_price is not None:
                    request.max_price = pool.max_price
            tag = FLEET_TAGS[fleet.family]
            backend.instances.store.set_tags(instance, {**instance.tags, tag: fleet.id})
            fleet.members[instance.id] = (index, lifecycle)
            self._by_instance[instance.id] = fleet
            self._instance_event(fleet, "launched", instance)
        return [i.id for i in instances]

    def _hourly(self, fleet: Fleet, index: int, lifecycle: str) -> float:
        """What one instance of a pool costs an hour now."""
        spec = fleet.pools[index].spec
        if lifecycle == "spot":
            zone_name = spec.zone_name or next(iter(self.backend.zones))
            return self.backend.spot.current_price(spec.instance_type, zone_name)
        return on_demand_price(spec.instance_type)

    def _spend(self, fleet: Fleet, lifecycle: str) -> float:
        return sum(
            self._hourly(fleet, index, life)
            for index, life in fleet.members.values()
            if life == lifecycle
        )

    def _error(self, fleet: Fleet, index: int, lifecycle: str, code: str, message: str) -> None:
        fleet.errors.append((index, lifecycle, code, message))
        kind = "error" if fleet.family == "sfr" else "service-error"
        self._event(fleet, kind, code, message)

    def _instance_state(self, instance: Instance, previous: str) -> None:
        # an instance leaves its fleet once terminated (DescribeFleetInstances shows it until then)
        if instance.state != "terminated":
            return
        fleet = self._by_instance.pop(instance.id, None)
        if fleet is None:
            return
        fleet.members.pop(instance.id, None)
        self._instance_event(fleet, "terminated", instance)
        if fleet.state.endswith("_terminating") and not fleet.members:
            self._settle(fleet)
        elif fleet.fleet_type == "maintain" and fleet.live:
            # a maintained fleet replaces what it lost
            fleet.activity = "pending_fulfillment"
            delay = self.backend.options.transition_delay
            if delay:
                self.backend.schedule(delay, fleet, self._replenish)
            else:
                self._fulfil(fleet)

    def _replenish(self, fleet: Fleet) -> None:
        self._fulfil(fleet)

    # -- changes

    def modify(
        self,
        fleet: Fleet,
        *,
        target: int | None,
        on_demand_target: int | None,
        spot_target: int | None,
        excess_policy: str | None,
        pools: list[Pool] | None,
    ) -> None:
        if fleet.fleet_type != "maintain" or not fleet.live:
            code = (
                "InvalidSpotFleetRequestConfig"
                if fleet.family == "sfr"
                else "InvalidParameterValue"
            )
            raise ServiceError(
                f"Only fleets of type 'maintain' in an active state can be modified; "
                f"{fleet.id} is a '{fleet.fleet_type}' fleet in state '{fleet.state}'.",
                code=code,
            )
        commit()
        if target is not None:
            fleet.target = target
        if on_demand_target is not None:
            fleet.on_demand_target = on_demand_target
        if spot_target is not None:
            fleet.spot_target = spot_target
        if excess_policy is not None:
            fleet.excess_policy = excess_policy
        if pools is not None:
            # new launches use the new pools; running members keep theirs (by index)
            fleet.first_pool = len(fleet.pools)
            fleet.pools = fleet.pools + pools
        self._fleet_event(fleet, "modify_in_progress")
        fleet.state = "modifying"
        self.backend.schedule(self.backend.options.transition_delay, fleet, self._apply_modify)

    def _apply_modify(self, fleet: Fleet) -> None:
        if fleet.state != "modifying":
            return
        fleet.state = "active"
        excess = fleet.capacity() - fleet.target
        keep = fleet.excess_policy in ("noTermination", "no-termination")
        if excess > 0 and not keep:
            # the newest instances go first
            extra = []
            for instance_id in reversed(list(fleet.members)):
                if excess <= 0:
                    break
                extra.append(instance_id)
                excess -= fleet.pools[fleet.members[instance_id][0]].weight
            self.backend.instances.terminate(extra)
        self._fleet_event(fleet, "modify_successful")
        self._fulfil(fleet)

    def cancel(self, fleet: Fleet, terminate: bool) -> tuple[str, str]:
        """Cancel (spot fleets) or delete (EC2 fleets): (previous state, current state)."""
        previous = fleet.state
        self._stop(fleet, terminate)
        return previous, fleet.state

    def _stop(self, fleet: Fleet, terminate: bool) -> None:
        stem = "cancelled" if fleet.family == "sfr" else "deleted"
        members = list(fleet.members)
        if terminate and members:
            fleet.state = f"{stem}_terminating"
            fleet.activity = "pending_termination"
            self._fleet_event(fleet, fleet.state)
            self.backend.instances.terminate(members)
        elif members:
            fleet.state = f"{stem}_running"
            self._fleet_event(fleet, fleet.state)
            for instance_id in members:
                self._by_instance.pop(instance_id, None)
        else:
            self._settle(fleet)

    def _settle(self, fleet: Fleet) -> None:
        fleet.state = "cancelled" if fleet.family == "sfr" else "deleted"
        self._fleet_event(fleet, fleet.state)
