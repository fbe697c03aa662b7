"""Spot: instance requests fulfilled on the mock's clock, prices, the data feed, scores."""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from cloudmock.core.errors import InvalidParameterCombination, InvalidParameterValue, ServiceError
from cloudmock.services.ec2.dryrun import commit
from cloudmock.services.ec2.models.base import Resource, ResourceKind, Store, options_only

if TYPE_CHECKING:
    from cloudmock.services.ec2.models.backend import Ec2Backend
    from cloudmock.services.ec2.models.instances import Instance, LaunchSpec
    from cloudmock.services.ec2.shapes import GroupIdentifier
    from cloudmock.services.ec2.shapes import LaunchSpecification as LaunchSpecificationShape
    from cloudmock.services.ec2.shapes import SpotInstanceRequest as SpotInstanceRequestShape
    from cloudmock.services.ec2.shapes import SpotPrice as SpotPriceShape

SPOT_REQUEST = ResourceKind(
    "sir", "spot-instances-request", "InvalidSpotInstanceRequestID", "spot instance request"
)

#: how long a request stays valid when ValidUntil is not given (EC2: 7 days)
DEFAULT_VALIDITY = timedelta(days=7)

STATUS_MESSAGES = {
    "pending-evaluation": "Your Spot request has been submitted for review, and is pending "
    "evaluation.",
    "not-scheduled-yet": "Your Spot request will not be evaluated until the scheduled date.",
    "fulfilled": "Your spot request is fulfilled.",
    "schedule-expired": "Your Spot request has expired because it was not fulfilled before the "
    "specified date.",
    "canceled-before-fulfillment": "Your Spot request was canceled before it was fulfilled.",
    "request-canceled-and-instance-running": "Spot Instance request is canceled, but the "
    "Spot Instance remains running.",
    "instance-terminated-by-user": "Spot Instance terminated due to user-initiated termination.",
    "instance-stopped-by-user": "Spot Instance stopped due to user-initiated stop.",
    "capacity-not-available": "There is no capacity available for the instance type you requested.",
}


@dataclass
class SpotRequest(Resource):
    request_type: str
    #: the maximum price asked for (EC2 shows the on-demand price when none was given)
    max_price: str
    launch: LaunchSpec
    #: LaunchSpecification as DescribeSpotInstanceRequests shows it
    specification: LaunchSpecificationShape
    created: datetime
    valid_until: datetime
    valid_from: datetime | None = None
    launch_group: str | None = None
    zone_group: str | None = None
    interruption_behavior: str = "terminate"
    product: str = "Linux/UNIX"
    state: str = "open"
    status_code: str = "pending-evaluation"
    status_message: str = STATUS_MESSAGES["pending-evaluation"]
    status_time: datetime | None = None
    instance_id: str | None = None
    zone_name: str | None = None
    zone_id: str | None = None
    fault: tuple[str, str] | None = None
    client_token: str | None = None

    def describe(self) -> SpotInstanceRequestShape:
        out: SpotInstanceRequestShape = {
            "SpotInstanceRequestId": self.id,
            "SpotPrice": self.max_price,
            "Type": self.request_type,  # type: ignore[typeddict-item]
            "State": self.state,  # type: ignore[typeddict-item]
            "Status": {
                "Code": self.status_code,
                "Message": self.status_message,
                "UpdateTime": self.status_time or self.created,
            },
            "LaunchSpecification": self.specification,
            "CreateTime": self.created,
            "ProductDescription": self.product,  # type: ignore[typeddict-item]
            "ValidUntil": self.valid_until,
            "InstanceInterruptionBehavior": self.interruption_behavior,  # type: ignore[typeddict-item]
        }
        if self.valid_from is not None:
            out["ValidFrom"] = self.valid_from
        if self.launch_group:
            out["LaunchGroup"] = self.launch_group
        if self.zone_group:
            out["AvailabilityZoneGroup"] = self.zone_group
        if self.instance_id:
            out["InstanceId"] = self.instance_id
        if self.zone_name:
            out["LaunchedAvailabilityZone"] = self.zone_name
            out["LaunchedAvailabilityZoneId"] = self.zone_id or ""
        if self.fault is not None:
            out["Fault"] = {"Code": self.fault[0], "Message": self.fault[1]}
        if self.tags:
            out["Tags"] = self.tag_list()
        return out


# -- prices: deterministic, believable, per instance type, zone, product and time


#: an instance size in "units" (about a vCPU's worth): large = 2 vCPUs = 4 units of small
_SIZES = {
    "nano": 0.25,
    "micro": 0.5,
    "small": 1.0,
    "medium": 2.0,
    "large": 4.0,
    "xlarge": 8.0,
    "metal": 96.0,
}
#: on-demand dollars per hour per unit, by the family's first letter(s)
_FAMILY_RATES = {
    "t": 0.0104,
    "m": 0.024,
    "c": 0.0213,
    "r": 0.0315,
    "x": 0.0834,
    "z": 0.0465,
    "i": 0.039,
    "d": 0.0863,
    "h": 0.0585,
    "g": 0.1315,
    "p": 0.3825,
    "inf": 0.057,
    "trn": 0.336,
    "a": 0.0255,
}
PRODUCTS = (
    "Linux/UNIX",
    "Linux/UNIX (Amazon VPC)",
    "SUSE Linux",
    "SUSE Linux (Amazon VPC)",
    "Red Hat Enterprise Linux",
    "Red Hat Enterprise Linux (Amazon VPC)",
    "Windows",
    "Windows (Amazon VPC)",
)
#: the types DescribeSpotPriceHistory lists when none is asked for
COMMON_TYPES = tuple(
    f"{family}.{size}"
    for family in ("t3", "t3a", "t4g", "m5", "m6i", "m7g", "c5", "c6i", "c7g", "r5", "r6i")
    for size in ("micro", "small", "medium", "large", "xlarge", "2xlarge")
    if not (family.startswith(("m", "c", "r")) and size in ("micro", "small", "medium"))
)
#: a price holds for this long before the next one (seconds)
PRICE_PERIOD = 6 * 3600
#: how far back the history goes (EC2: 90 days)
HISTORY = timedelta(days=90)
_TYPE = re.compile(r"^([a-z]+)(\d*)([a-z-]*)\.(\d*)([a-z]+)$")


def on_demand_price(instance_type: str) -> float:
    """A believable on-demand hourly price for a Linux instance of ``instance_type``."""
    match = _TYPE.match(instance_type)
    if match is None:
        return 0.1
    family, _, _, multiple, size = match.groups()
    units = _SIZES.get(size, 8.0) * (int(multiple) if multiple else 1)
    rate = _FAMILY_RATES.get(family) or _FAMILY_RATES.get(family[:1], 0.03)
    return round(rate * units, 4)


def _product_price(price: float, product: str, instance_type: str) -> float:
    units = on_demand_price(instance_type) / 0.024
    if product.startswith("Windows"):
        return price + 0.0092 * units
    if product.startswith("SUSE"):
        return price + 0.025
    if product.startswith("Red Hat"):
        return price + 0.036
    return price


def _unit(*parts: object) -> float:
    """A number in [0, 1) fixed by ``parts``."""
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def spot_price(instance_type: str, zone: str, product: str, period: int) -> float:
    """The spot price in force during ``period`` (PRICE_PERIOD-long slices of epoch time)."""
    base = _product_price(on_demand_price(instance_type), product, instance_type)
    # a zone has its own level (25-45 % of on-demand), and the price drifts around it
    level = 0.25 + 0.2 * _unit("zone", instance_type, zone)
    drift = 0.06 * math.sin(period / 5 + 6.28 * _unit("phase", instance_type, zone))
    noise = 0.03 * (_unit("period", instance_type, zone, product, period) - 0.5)
    return round(base * max(level + drift + noise, 0.1), 4)


def price_text(price: float) -> str:
    return f"{price:.6f}"


@dataclass(frozen=True)
class PricePoint:
    instance_type: str
    zone_name: str
    zone_id: str
    product: str
    price: float
    timestamp: datetime

    def describe(self) -> SpotPriceShape:
        return {
            "AvailabilityZone": self.zone_name,
            "AvailabilityZoneId": self.zone_id,
            "InstanceType": self.instance_type,
            "ProductDescription": self.product,  # type: ignore[typeddict-item]
            "SpotPrice": price_text(self.price),
            "Timestamp": self.timestamp,
        }


def _period_start(period: int) -> datetime:
    return datetime.fromtimestamp(period * PRICE_PERIOD, timezone.utc)


def price_history(
    types: list[str],
    zones: list[tuple[str, str]],
    products: list[str],
    start: datetime | None,
    end: datetime,
) -> Iterator[PricePoint]:
    """Every price change in [start, end] (and the price in force at ``start``), newest
    first; without ``start``, only the price in force at ``end``."""
    last = int(end.timestamp()) // PRICE_PERIOD
    first = last if start is None else int(start.timestamp()) // PRICE_PERIOD
    for period in range(last, first - 1, -1):
        at = _period_start(period)
        for instance_type in types:
            for zone_name, zone_id in zones:
                for product in products:
                    yield PricePoint(
                        instance_type,
                        zone_name,
                        zone_id,
                        product,
                        spot_price(instance_type, zone_name, product, period),
                        at,
                    )


def placement_score(*parts: object) -> int:
    """A spot placement score from 1 to 10, fixed for what is asked."""
    return 1 + int(_unit("score", *parts) * 10)


# -- requests


class Spot:
    """Spot instance requests of one region, and the account's data feed."""

    def __init__(self, backend: Ec2Backend) -> None:
        self.backend = backend
        self.store: Store[SpotRequest] = backend.new_store(SPOT_REQUEST)
        self.store.add_index("instance", lambda r: r.instance_id)
        self._tokens: dict[str, list[str]] = {}
        backend.instances.on_launch.append(self._launched)
        backend.instances.on_state.append(self._instance_state)

    def request_of(self, instance_id: str) -> SpotRequest | None:
        """The spot request an instance fulfils (DescribeInstances' SpotInstanceRequestId)."""
        found = self.store.lookup("instance", instance_id)
        return found[0] if found else None

    def current_price(self, instance_type: str, zone: str, product: str = "Linux/UNIX") -> float:
        period = int(self.backend.clock.time()) // PRICE_PERIOD
        return spot_price(instance_type, zone, product, period)

    def request(
        self,
        launch: LaunchSpec,
        specification: LaunchSpecificationShape,
        *,
        count: int,
        request_type: str,
        max_price: str | None,
        valid_from: datetime | None,
        valid_until: datetime | None,
        launch_group: str | None,
        zone_group: str | None,
        interruption_behavior: str | None,
        tags: dict[str, str],
        client_token: str | None,
    ) -> list[SpotRequest]:
        backend = self.backend
        if client_token is not None and client_token in self._tokens:
            return [r for r in map(self.store.find, self._tokens[client_token]) if r is not None]
        if count < 1:
            raise InvalidParameterValue(
                f"Invalid value '{count}' for instanceCount. It must be at least 1."
            )
        if request_type not in ("one-time", "persistent"):
            raise InvalidParameterValue(f"Invalid value '{request_type}' for type.")
        behavior = interruption_behavior or "terminate"
        if behavior != "terminate" and request_type != "persistent":
            raise InvalidParameterCombination(
                f"The interruption behavior '{behavior}' is only supported for persistent requests."
            )
        if max_price is not None:
            try:
                price = float(max_price)
            except ValueError:
                raise InvalidParameterValue(f"Invalid value '{max_price}' for spotPrice.") from None
            if not price > 0:
                raise InvalidParameterValue(f"Invalid value '{max_price}' for spotPrice.")
        now = backend.clock.now()
        until = valid_until or (valid_from or now) + DEFAULT_VALIDITY
        if until <= now or (valid_from is not None and until <= valid_from):
            raise InvalidParameterValue(
                "The ValidUntil date must be in the future and later than ValidFrom."
            )
        commit()
        price_shown = max_price or price_text(on_demand_price(launch.instance_type))
        made = []
        for _ in range(count):
            request = SpotRequest(
                id=backend.ids.new("sir", 8),
                request_type=request_type,
                max_price=price_shown,
                launch=launch,
                specification=specification,
                created=now,
                valid_until=until,
                valid_from=valid_from,
                launch_group=launch_group,
                zone_group=zone_group,
                interruption_behavior=behavior,
                client_token=client_token,
                tags=dict(tags),
            )
            self.store.add(request)
            made.append(request)
            self._schedule_evaluation(request)
            backend.schedule((until - now).total_seconds(), request, self._expire)
        if client_token is not None:
            self._tokens[client_token] = [r.id for r in made]
        return made

    def _schedule_evaluation(self, request: SpotRequest) -> None:
        backend = self.backend
        delay = backend.options.transition_delay
        if request.valid_from is not None:
            delay = max(delay, (request.valid_from - backend.clock.now()).total_seconds())
        backend.schedule(delay, request, self._evaluate)

    def _set_status(self, request: SpotRequest, state: str, code: str, message: str = "") -> None:
        request.state = state
        request.status_code = code
        request.status_message = message or STATUS_MESSAGES.get(code, code)
        request.status_time = self.backend.clock.now()

    def _evaluate(self, request: SpotRequest) -> None:
        """Try to fulfil an open request: launch its instance if the price allows."""
        backend = self.backend
        if request.state != "open" or request.id not in self.store:
            return
        now = backend.clock.now()
        if request.valid_from is not None and now < request.valid_from:
            self._set_status(request, "open", "not-scheduled-yet")
            return
        if now >= request.valid_until:
            self._expire(request)
            return
        zone = request.launch.zone_name or next(iter(backend.zones))
        price = self.current_price(request.launch.instance_type, zone, request.product)
        if float(request.max_price) < price:
            self._set_status(
                request,
                "open",
                "price-too-low",
                f"Your Spot request price of {request.max_price} is lower than the minimum "
                f"required Spot request fulfillment price of {price_text(price)}.",
            )
            # the price moves with each period: look again when it next changes
            wait = PRICE_PERIOD - backend.clock.time() % PRICE_PERIOD
            backend.schedule(wait, request, self._evaluate)
            return
        spec = replace(
            request.launch,
            min_count=1,
            max_count=1,
            lifecycle="spot",
            spot_request_id=request.id,
            client_token=None,
        )
        try:
            _, [instance] = backend.instances.launch(spec)
        except ServiceError as error:
            capacity = error.code.startswith(("Insufficient", "InstanceLimitExceeded"))
            if capacity:
                self._set_status(request, "open", "capacity-not-available")
                backend.schedule(PRICE_PERIOD, request, self._evaluate)
            else:
                request.fault = (error.code, error.message)
                self._set_status(request, "failed", "bad-parameters", error.message)
            return
        self._fulfil(request, instance)

    def _fulfil(self, request: SpotRequest, instance: Instance) -> None:
        request.instance_id = instance.id
        request.zone_name = instance.zone.name
        request.zone_id = instance.zone.zone_id
        self.store.reindex(request)
        self._set_status(request, "active", "fulfilled")

    def _expire(self, request: SpotRequest) -> None:
        if request.id not in self.store:
            return
        if request.state == "open" or (
            # a persistent request ends at ValidUntil; its instance keeps running
            request.request_type == "persistent" and request.state in ("active", "disabled")
        ):
            self._set_status(request, "closed", "schedule-expired")

    @options_only
    def _launched(self, instance: Instance, spec: LaunchSpec) -> bool:
        """A spot instance launched without a request (RunInstances' InstanceMarketOptions,
        fleets) gets its one-time request, as EC2 gives it. A spot instance shows its
        request's type and interruption behaviour: True, rejoin it."""
        if spec.lifecycle != "spot":
            return False
        if spec.spot_request_id is not None:
            return True
        backend = self.backend
        now = backend.clock.now()
        max_price, request_type, behavior = spec.spot_options or (None, None, None)
        request = SpotRequest(
            id=backend.ids.new("sir", 8),
            request_type=request_type or "one-time",
            interruption_behavior=behavior or "terminate",
            max_price=max_price or price_text(on_demand_price(spec.instance_type)),
            launch=spec,
            specification=launch_specification(spec),
            created=now,
            valid_until=now + DEFAULT_VALIDITY,
        )
        self.store.add(request)
        self._fulfil(request, instance)
        return True

    def _instance_state(self, instance: Instance, previous: str) -> None:
        found = self.store.lookup("instance", instance.id) if self.store else []
        if not found:
            return
        request = found[0]
        state = instance.state
        if state == "terminated" and previous != "terminated":
            if request.state == "cancelled":
                request.status_code = "instance-terminated-by-user"
                request.status_message = STATUS_MESSAGES["instance-terminated-by-user"]
                request.status_time = self.backend.clock.now()
            elif request.request_type == "persistent" and request.state in ("active", "disabled"):
                # a persistent request opens again and launches a replacement
                self._set_status(request, "open", "instance-terminated-by-user")
                request.instance_id = None
                self.store.reindex(request)
                self._schedule_evaluation(request)
            elif request.state in ("active", "disabled"):
                self._set_status(request, "closed", "instance-terminated-by-user")
        elif state == "stopped" and request.state == "active":
            self._set_status(request, "disabled", "instance-stopped-by-user")
        elif state == "pending" and previous == "stopped" and request.state == "disabled":
            self._set_status(request, "active", "fulfilled")

    def cancel(self, ids: list[str]) -> list[SpotRequest]:
        requests = self.store.get_many(ids)
        commit()
        for request in requests:
            if request.state in ("open",):
                self._set_status(request, "cancelled", "canceled-before-fulfillment")
            elif request.state in ("active", "disabled"):
                self._set_status(request, "cancelled", "request-canceled-and-instance-running")
        return requests


def launch_specification(spec: LaunchSpec) -> LaunchSpecificationShape:
    """What DescribeSpotInstanceRequests shows of the launch, from the LaunchSpec."""
    out: LaunchSpecificationShape = {
        "ImageId": spec.image_id,
        "InstanceType": spec.instance_type,
        "Monitoring": {"Enabled": spec.monitoring},
        "EbsOptimized": spec.ebs_optimized,
        "Placement": {"Tenancy": spec.tenancy},  # type: ignore[typeddict-item]
    }
    if spec.zone_name:
        out["Placement"]["AvailabilityZone"] = spec.zone_name
    if spec.key_name:
        out["KeyName"] = spec.key_name
    if spec.subnet_id:
        out["SubnetId"] = spec.subnet_id
    if spec.security_group_ids or spec.security_group_names:
        groups: list[GroupIdentifier] = [{"GroupId": g} for g in spec.security_group_ids]
        groups += [{"GroupName": n} for n in spec.security_group_names]
        out["SecurityGroups"] = groups
    if spec.block_devices:
        out["BlockDeviceMappings"] = [_mapping(bd) for bd in spec.block_devices]
    return out


def _mapping(bd: Any) -> Any:
    out: dict[str, Any] = {"DeviceName": bd.device_name}
    if bd.virtual_name:
        out["VirtualName"] = bd.virtual_name
    if bd.no_device:
        out["NoDevice"] = ""
    if bd.ebs:
        ebs = {
            "DeleteOnTermination": bd.delete_on_termination,
            "SnapshotId": bd.snapshot_id,
            "VolumeSize": bd.volume_size,
            "VolumeType": bd.volume_type,
            "Encrypted": bd.encrypted,
            "Iops": bd.iops,
            "Throughput": bd.throughput,
        }
        out["Ebs"] = {k: v for k, v in ebs.items() if v is not None}
    return out


def _interfaces(get: Any) -> Any:
    def values(request: SpotRequest) -> list[Any]:
        out: list[Any] = []
        for interface in request.specification.get("NetworkInterfaces", []):
            value = get(interface)
            out.extend(value if isinstance(value, list) else [value])
        return out

    return values


def _spec_filter(get: Any) -> Any:
    return lambda r: get(r.launch)


SPOT_REQUEST_FILTERS = {
    "availability-zone-group": lambda r: r.zone_group,
    "create-time": lambda r: r.created,
    "fault-code": lambda r: r.fault[0] if r.fault else None,
    "fault-message": lambda r: r.fault[1] if r.fault else None,
    "instance-id": lambda r: r.instance_id,
    "launch-group": lambda r: r.launch_group,
    "launch.block-device-mapping.delete-on-termination": _spec_filter(
        lambda s: [b.delete_on_termination for b in s.block_devices]
    ),
    "launch.block-device-mapping.device-name": _spec_filter(
        lambda s: [b.device_name for b in s.block_devices]
    ),
    "launch.block-device-mapping.snapshot-id": _spec_filter(
        lambda s: [b.snapshot_id for b in s.block_devices]
    ),
    "launch.block-device-mapping.volume-size": _spec_filter(
        lambda s: [b.volume_size for b in s.block_devices]
    ),
    "launch.block-device-mapping.volume-type": _spec_filter(
        lambda s: [b.volume_type for b in s.block_devices]
    ),
    "launch.group-id": lambda r: [
        g.get("GroupId") for g in r.specification.get("SecurityGroups", [])
    ],
    "launch.group-name": lambda r: [
        g.get("GroupName") for g in r.specification.get("SecurityGroups", [])
    ],
    "launch.image-id": _spec_filter(lambda s: s.image_id),
    "launch.instance-type": _spec_filter(lambda s: s.instance_type),
    "launch.kernel-id": lambda r: r.specification.get("KernelId"),
    "launch.ramdisk-id": lambda r: r.specification.get("RamdiskId"),
    "launch.key-name": _spec_filter(lambda s: s.key_name),
    "launch.monitoring-enabled": _spec_filter(lambda s: s.monitoring),
    "launched-availability-zone": lambda r: r.zone_name,
    "launched-availability-zone-id": lambda r: r.zone_id,
    # the network interfaces the launch specification asks for
    "network-interface.addresses.primary": _interfaces(
        lambda i: [a.get("Primary") for a in i.get("PrivateIpAddresses", [])]
    ),
    "network-interface.delete-on-termination": _interfaces(lambda i: i.get("DeleteOnTermination")),
    "network-interface.description": _interfaces(lambda i: i.get("Description")),
    "network-interface.device-index": _interfaces(lambda i: i.get("DeviceIndex")),
    "network-interface.group-id": _interfaces(lambda i: i.get("Groups")),
    "network-interface.network-interface-id": _interfaces(lambda i: i.get("NetworkInterfaceId")),
    "network-interface.private-ip-address": _interfaces(
        lambda i: (
            [i.get("PrivateIpAddress")]
            + [a.get("PrivateIpAddress") for a in i.get("PrivateIpAddresses", [])]
        )
    ),
    "network-interface.subnet-id": _interfaces(lambda i: i.get("SubnetId")),
    "product-description": lambda r: r.product,
    "spot-instance-request-id": lambda r: r.id,
    "spot-price": lambda r: r.max_price,
    "state": lambda r: r.state,
    "status-code": lambda r: r.status_code,
    "status-message": lambda r: r.status_message,
    "type": lambda r: r.request_type,
    "valid-from": lambda r: r.valid_from,
    "valid-until": lambda r: r.valid_until,
}

PRICE_FILTERS = {
    "availability-zone": lambda p: p.zone_name,
    "availability-zone-id": lambda p: p.zone_id,
    "instance-type": lambda p: p.instance_type,
    "product-description": lambda p: p.product,
    "spot-price": lambda p: price_text(p.price),
    "timestamp": lambda p: p.timestamp,
}


# -- attribute-based instance type selection (fleets' InstanceRequirements)

#: GiB of memory per vCPU, by family letter
_MEMORY_PER_VCPU = {"m": 4.0, "c": 2.0, "r": 8.0, "x": 16.0, "z": 8.0, "i": 8.0, "d": 8.0}
#: the burstable t family's memory (GiB) and vCPUs by size
_T_SIZES = {
    "nano": (0.5, 2),
    "micro": (1.0, 2),
    "small": (2.0, 2),
    "medium": (4.0, 2),
    "large": (8.0, 2),
    "xlarge": (16.0, 4),
    "2xlarge": (32.0, 8),
}


@dataclass(frozen=True)
class TypeFacts:
    instance_type: str
    vcpus: int
    memory_mib: int
    burstable: bool
    manufacturer: str
    bare_metal: bool


def type_facts(instance_type: str) -> TypeFacts | None:
    """Believable vCPUs, memory and make of a common instance type (None if unknown)."""
    match = _TYPE.match(instance_type)
    if match is None:
        return None
    family, _, extras, multiple, size = match.groups()
    manufacturer = "amazon-web-services" if "g" in extras else "amd" if "a" in extras else "intel"
    if family == "t":
        memory, vcpus = _T_SIZES.get(f"{multiple}{size}", (8.0, 2))
        return TypeFacts(instance_type, vcpus, int(memory * 1024), True, manufacturer, False)
    if size == "metal":
        vcpus = 96
    elif size == "medium":
        vcpus = 1
    elif size == "large":
        vcpus = 2
    elif size == "xlarge":
        vcpus = 4 * (int(multiple) if multiple else 1)
    else:
        return None
    per_vcpu = _MEMORY_PER_VCPU.get(family[:1], 4.0)
    return TypeFacts(
        instance_type, vcpus, int(vcpus * per_vcpu * 1024), False, manufacturer, size == "metal"
    )


#: the types attribute-based selection chooses among
SELECTABLE_TYPES = tuple(
    f"{family}.{size}"
    for family in ("t3", "t3a", "t4g")
    for size in ("nano", "micro", "small", "medium", "large", "xlarge", "2xlarge")
) + tuple(
    f"{family}.{size}"
    for family in ("m5", "m6i", "m6a", "m7g", "c5", "c6i", "c6a", "c7g", "r5", "r6i", "r7g")
    for size in ("large", "xlarge", "2xlarge", "4xlarge", "8xlarge")
)


def _within(value: float, bounds: dict[str, Any] | None) -> bool:
    if not bounds:
        return True
    low, high = bounds.get("Min"), bounds.get("Max")
    return (low is None or value >= low) and (high is None or value <= high)


def _pattern(value: str) -> re.Pattern[str]:
    return re.compile(re.escape(value).replace(r"\*", ".*"))


def matching_types(
    requirements: dict[str, Any], architectures: list[str] | None = None
) -> list[str]:
    """The selectable types meeting InstanceRequirements (cheapest first)."""
    from cloudmock.services.ec2.models.instance_types import architecture

    allowed = [_pattern(v) for v in requirements.get("AllowedInstanceTypes") or []]
    excluded = [_pattern(v) for v in requirements.get("ExcludedInstanceTypes") or []]
    makers = requirements.get("CpuManufacturers") or []
    burstable = requirements.get("BurstablePerformance") or "excluded"
    bare_metal = requirements.get("BareMetal") or "excluded"
    accelerators = (requirements.get("AcceleratorCount") or {}).get("Min") or 0
    found = []
    for instance_type in SELECTABLE_TYPES:
        facts = type_facts(instance_type)
        if facts is None or accelerators > 0:
            continue
        if allowed and not any(p.fullmatch(instance_type) for p in allowed):
            continue
        if any(p.fullmatch(instance_type) for p in excluded):
            continue
        if makers and facts.manufacturer not in makers:
            continue
        if (burstable == "excluded" and facts.burstable) or (
            burstable == "required" and not facts.burstable
        ):
            continue
        if (bare_metal == "excluded" and facts.bare_metal) or (
            bare_metal == "required" and not facts.bare_metal
        ):
            continue
        if architectures and architecture(instance_type) not in architectures:
            continue
        if not _within(facts.vcpus, requirements.get("VCpuCount")):
            continue
        if not _within(facts.memory_mib, requirements.get("MemoryMiB")):
            continue
        if not _within(facts.memory_mib / 1024 / facts.vcpus, requirements.get("MemoryGiBPerVCpu")):
            continue
        found.append(instance_type)
    return sorted(found, key=lambda t: (on_demand_price(t), t))
