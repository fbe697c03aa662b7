"""Region-wide VPC controls: Block Public Access (options and exclusions) and encryption controls."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from cloudmock.core.errors import (
    InvalidParameterCombination,
    InvalidParameterValue,
    MissingParameter,
    ServiceError,
)
from cloudmock.services.ec2.dryrun import commit
from cloudmock.services.ec2.models.base import Resource, ResourceKind, Store

if TYPE_CHECKING:
    from cloudmock.services.ec2.models.backend import Ec2Backend
    from cloudmock.services.ec2.models.vpc_family import Network
    from cloudmock.services.ec2.shapes import (
        AccountVpcEncryptionControl,
        VpcBlockPublicAccessExclusion,
        VpcBlockPublicAccessOptions,
        VpcEncryptionControlExclusions,
        VpcEncryptionNonCompliantResource,
    )
    from cloudmock.services.ec2.shapes import VpcEncryptionControl as EncryptionShape

BPA_EXCLUSION = ResourceKind(
    "vpcbpa-exclude",
    "vpc-block-public-access-exclusion",
    "InvalidVpcBlockPublicAccessExclusionId",
    "VPC block public access exclusion ID",
)
ENCRYPTION_CONTROL = ResourceKind(
    "vpcec",
    "vpc-encryption-control",
    "InvalidVpcEncryptionControlId",
    "VPC encryption control ID",
)

BLOCK_MODES = ("off", "block-bidirectional", "block-ingress")
EXCLUSION_MODES = ("allow-bidirectional", "allow-egress")
#: the traffic kinds an encryption control may exclude (the shape member names)
EXCLUSION_KINDS = (
    "InternetGateway",
    "EgressOnlyInternetGateway",
    "NatGateway",
    "VirtualPrivateGateway",
    "VpcPeering",
    "Lambda",
    "VpcLattice",
    "ElasticFileSystem",
    "GlobalAccelerator",
    "ApiGatewayV2",
)


def effective_block_mode(account_mode: str, exclusion_mode: str | None) -> str:
    """What BPA does to one VPC or subnet: the account's mode, eased by an exclusion."""
    if exclusion_mode == "allow-bidirectional" or account_mode == "off":
        return "off"
    if exclusion_mode == "allow-egress":
        return "block-ingress"
    return account_mode


@dataclass
class BpaExclusion(Resource):
    mode: str
    resource_arn: str
    resource_id: str
    created: datetime
    updated: datetime
    state: str = "create-in-progress"
    deleted: datetime | None = None
    generation: int = 0

    def describe(self) -> VpcBlockPublicAccessExclusion:
        out: VpcBlockPublicAccessExclusion = {
            "ExclusionId": self.id,
            "InternetGatewayExclusionMode": self.mode,
            "ResourceArn": self.resource_arn,
            "State": self.state,
            "CreationTimestamp": self.created,
            "LastUpdateTimestamp": self.updated,
        }
        if self.deleted is not None:
            out["DeletionTimestamp"] = self.deleted
        if self.tags:
            out["Tags"] = self.tag_list()
        return out


@dataclass
class EncryptionControl(Resource):
    vpc_id: str
    mode: str = "monitor"
    state: str = "creating"
    state_message: str | None = None
    #: kind -> enabling | enabled | disabling | disabled
    exclusions: dict[str, str] = field(
        default_factory=lambda: dict.fromkeys(EXCLUSION_KINDS, "disabled")
    )
    generation: int = 0

    def describe(self) -> EncryptionShape:
        out: EncryptionShape = {
            "VpcId": self.vpc_id,
            "VpcEncryptionControlId": self.id,
            "Mode": self.mode,
            "State": self.state,
            "ResourceExclusions": cast(
                "VpcEncryptionControlExclusions",
                {kind: {"State": state} for kind, state in self.exclusions.items()},
            ),
        }
        if self.state_message:
            out["StateMessage"] = self.state_message
        if self.tags:
            out["Tags"] = self.tag_list()
        return out


def _switch(value: str | None, member: str) -> bool | None:
    if value is None:
        return None
    if value not in ("enable", "disable"):
        raise InvalidParameterValue(f"Value ({value}) for parameter {member} is invalid.")
    return value == "enable"


class VpcControls:
    """Block Public Access and encryption controls of one region."""

    def __init__(self, backend: Ec2Backend, network: Network) -> None:
        self.backend = backend
        self.network = network
        self.exclusions: Store[BpaExclusion] = backend.new_store(BPA_EXCLUSION)
        #: resource (VPC or subnet) id -> its live exclusion
        self.exclusion_of: dict[str, str] = {}
        self.block_mode = "off"
        self.bpa_state = "default-state"
        self.bpa_updated: datetime | None = None
        self.encryption: Store[EncryptionControl] = backend.new_store(ENCRYPTION_CONTROL)
        self.encryption.add_index("vpc", lambda c: c.vpc_id)
        self.account_mode = "unmanaged"
        self.account_state = "default-state"
        self.account_exclusions: dict[str, str] = dict.fromkeys(EXCLUSION_KINDS, "disable")
        self.account_updated: datetime | None = None
        #: other families' resources that keep a VPC from enforcing encryption in transit:
        #: each source is asked with the VPC id when GetVpcResourcesBlockingEncryptionEnforcement
        #: or a switch to enforce mode needs to know
        self.encryption_blockers: list[
            Callable[[str], list[VpcEncryptionNonCompliantResource]]
        ] = []

    def _later(self, resource: Resource, action: Callable[[Any], None]) -> None:
        self.backend.schedule(self.backend.options.transition_delay, resource, action)

    # -- Block Public Access

    def block_mode_for(self, vpc_id: str, subnet_id: str | None = None) -> str:
        """The BPA mode in force for a VPC (or a subnet of it): a subnet's exclusion wins."""
        exclusion = None
        for resource_id in (subnet_id, vpc_id):
            exclusion_id = self.exclusion_of.get(resource_id or "")
            if exclusion_id is not None:
                exclusion = self.exclusions.find(exclusion_id)
                break
        return effective_block_mode(self.block_mode, exclusion.mode if exclusion else None)

    def bpa_options(self) -> VpcBlockPublicAccessOptions:
        out: VpcBlockPublicAccessOptions = {
            "AwsAccountId": self.backend.account_id,
            "AwsRegion": self.backend.region,
            "State": self.bpa_state,
            "InternetGatewayBlockMode": self.block_mode,
            "ManagedBy": "account",
            "ExclusionsAllowed": "allowed",
        }
        if self.bpa_updated is not None:
            out["LastUpdateTimestamp"] = self.bpa_updated
        return out

    def modify_bpa(self, mode: str) -> VpcBlockPublicAccessOptions:
        if mode not in BLOCK_MODES:
            raise InvalidParameterValue(
                f"Value ({mode}) for parameter internetGatewayBlockMode is invalid. "
                f"Valid values: {', '.join(BLOCK_MODES)}"
            )
        commit()
        self.block_mode = mode
        self.bpa_state = "update-in-progress"
        self.bpa_updated = self.backend.clock.now()
        self.backend.schedule(
            self.backend.options.transition_delay,
            Resource(id="vpc-block-public-access"),
            lambda _: setattr(self, "bpa_state", "update-complete"),
        )
        return self.bpa_options()

    def create_exclusion(
        self, vpc_id: str | None, subnet_id: str | None, mode: str, tags: Mapping[str, str]
    ) -> BpaExclusion:
        if vpc_id is not None and subnet_id is not None:
            raise InvalidParameterCombination(
                "The parameter VpcId cannot be used with the parameter SubnetId"
            )
        if vpc_id is None and subnet_id is None:
            raise MissingParameter("VpcId or SubnetId")
        if mode not in EXCLUSION_MODES:
            raise InvalidParameterValue(
                f"Value ({mode}) for parameter internetGatewayExclusionMode is invalid. "
                f"Valid values: {', '.join(EXCLUSION_MODES)}"
            )
        backend = self.backend
        if subnet_id is not None:
            resource_id = self.network.subnets.get(subnet_id).id
            kind = "subnet"
        else:
            resource_id = self.network.vpcs.get(vpc_id or "").id
            kind = "vpc"
        existing = self.exclusion_of.get(resource_id)
        if existing is not None:
            raise InvalidParameterValue(
                f"The {kind} '{resource_id}' already has the exclusion '{existing}'."
            )
        commit()
        now = backend.clock.now()
        exclusion = self.exclusions.add(
            BpaExclusion(
                id=backend.ids.new("vpcbpa-exclude"),
                mode=mode,
                resource_arn=f"arn:aws:ec2:{backend.region}:{backend.account_id}:{kind}/{resource_id}",
                resource_id=resource_id,
                created=now,
                updated=now,
                tags=dict(tags),
            )
        )
        self.exclusion_of[resource_id] = exclusion.id
        self._later(exclusion, lambda e: _settle(e, "create-in-progress", "create-complete"))
        return exclusion

    def _live_exclusion(self, exclusion_id: str) -> BpaExclusion:
        exclusion = self.exclusions.get(exclusion_id)
        if exclusion.state.startswith("delete"):
            raise ServiceError(f"The exclusion '{exclusion_id}' is deleted.", code="IncorrectState")
        return exclusion

    def modify_exclusion(self, exclusion_id: str, mode: str) -> BpaExclusion:
        exclusion = self._live_exclusion(exclusion_id)
        if mode not in EXCLUSION_MODES:
            raise InvalidParameterValue(
                f"Value ({mode}) for parameter internetGatewayExclusionMode is invalid. "
                f"Valid values: {', '.join(EXCLUSION_MODES)}"
            )
        commit()
        exclusion.mode = mode
        exclusion.state = "update-in-progress"
        exclusion.updated = self.backend.clock.now()
        exclusion.generation += 1
        self._later(exclusion, lambda e: _settle(e, "update-in-progress", "update-complete"))
        return exclusion

    def delete_exclusion(self, exclusion_id: str) -> BpaExclusion:
        exclusion = self._live_exclusion(exclusion_id)
        commit()
        exclusion.state = "delete-in-progress"
        exclusion.deleted = exclusion.updated = self.backend.clock.now()
        exclusion.generation += 1
        # the resource is no longer excluded; the record shows as deleted for a while
        self.exclusion_of.pop(exclusion.resource_id, None)
        self._later(exclusion, lambda e: _settle(e, "delete-in-progress", "delete-complete"))
        return exclusion

    def forget(self, resource_id: str) -> None:
        """A VPC or subnet is gone: its exclusion goes with it."""
        exclusion_id = self.exclusion_of.pop(resource_id, None)
        if exclusion_id is not None:
            self.exclusions.remove(exclusion_id)

    # -- encryption controls

    def control_of(self, vpc_id: str) -> EncryptionControl | None:
        found = [c for c in self.encryption.lookup("vpc", vpc_id) if c.state != "deleted"]
        return found[0] if found else None

    def blockers(self, vpc_id: str) -> list[VpcEncryptionNonCompliantResource]:
        out: list[VpcEncryptionNonCompliantResource] = []
        for source in self.encryption_blockers:
            out.extend(source(vpc_id))
        return out

    def check_configuration(self, mode: str | None, switches: Mapping[str, str | None]) -> None:
        if mode is not None and mode not in ("monitor", "enforce"):
            raise InvalidParameterValue(
                f"Value ({mode}) for parameter mode is invalid. Valid values: monitor, enforce"
            )
        for kind, value in switches.items():
            _switch(value, f"{kind[0].lower()}{kind[1:]}Exclusion")

    def create_control(
        self,
        vpc_id: str,
        tags: Mapping[str, str],
        mode: str | None = None,
        switches: Mapping[str, str | None] | None = None,
        *,
        checked: bool = False,
    ) -> EncryptionControl:
        """A VPC's encryption control (``checked``: the caller has validated and committed)."""
        switches = switches or {}
        if not checked:
            self.network.vpcs.get(vpc_id)
            existing = self.control_of(vpc_id)
            if existing is not None:
                raise ServiceError(
                    f"The VPC '{vpc_id}' already has the encryption control '{existing.id}'.",
                    code="IncorrectState",
                )
            self.check_configuration(mode, switches)
            commit()
        control = self.encryption.add(
            EncryptionControl(id=self.backend.ids.new("vpcec"), vpc_id=vpc_id, tags=dict(tags))
        )
        self._later(control, lambda c: _settle(c, "creating", "available"))
        if mode == "enforce" or switches:
            self._apply(control, mode, switches)
        return control

    def _apply(
        self, control: EncryptionControl, mode: str | None, switches: Mapping[str, str | None]
    ) -> None:
        for kind, value in switches.items():
            if value is None:
                continue
            on = value == "enable"
            current = control.exclusions[kind]
            if on and current in ("enabled", "enabling"):
                continue
            if not on and current in ("disabled", "disabling"):
                continue
            control.exclusions[kind] = "enabling" if on else "disabling"
        if mode is not None and mode != control.mode:
            control.state = f"{mode}-in-progress"
            control.state_message = None
        control.generation += 1
        target = mode

        def settle(c: EncryptionControl) -> None:
            for kind, state in c.exclusions.items():
                if state.endswith("ing"):
                    c.exclusions[kind] = "enabled" if state == "enabling" else "disabled"
            if target is None or not c.state.endswith("-in-progress"):
                if c.state == "creating":
                    c.state = "available"
                return
            if target == "enforce":
                excluded = {k for k, s in c.exclusions.items() if s == "enabled"}
                blocking = [
                    r for r in self.blockers(c.vpc_id) if _exclusion_kind(r) not in excluded
                ]
                if blocking:
                    c.state = "enforce-failed"
                    c.state_message = (
                        f"{len(blocking)} resource(s) in the VPC block encryption enforcement; "
                        "see GetVpcResourcesBlockingEncryptionEnforcement."
                    )
                    return
            c.mode = target
            c.state = "available"

        self._later(control, settle)

    def modify_control(
        self, control_id: str, mode: str | None, switches: Mapping[str, str | None]
    ) -> EncryptionControl:
        control = self.encryption.get(control_id)
        if control.state in ("deleting", "deleted"):
            raise ServiceError(
                f"The VPC encryption control '{control_id}' is deleted.", code="IncorrectState"
            )
        effective = mode or control.mode
        self.check_configuration(effective, switches)
        commit()
        self._apply(control, mode, switches)
        return control

    def delete_control(self, control_id: str) -> EncryptionControl:
        control = self.encryption.get(control_id)
        if control.state in ("deleting", "deleted"):
            raise ServiceError(
                f"The VPC encryption control '{control_id}' is deleted.", code="IncorrectState"
            )
        commit()
        control.state = "deleting"
        control.generation += 1
        self._later(control, self._drop_control)
        return control

    def _drop_control(self, control: EncryptionControl) -> None:
        self.encryption.remove(control.id)

    def account_control(self) -> AccountVpcEncryptionControl:
        out: AccountVpcEncryptionControl = {
            "State": self.account_state,
            "Mode": self.account_mode,
            "Exclusions": dict(self.account_exclusions),  # type: ignore[typeddict-item]
            "ManagedBy": "account",
        }
        if self.account_updated is not None:
            out["LastUpdateTimestamp"] = self.account_updated
        return out

    def modify_account(
        self, mode: str | None, switches: Mapping[str, str | None]
    ) -> AccountVpcEncryptionControl:
        if mode is not None and mode not in ("unmanaged", "attempt-monitor", "attempt-enforce"):
            raise InvalidParameterValue(
                f"Value ({mode}) for parameter mode is invalid. "
                "Valid values: unmanaged, attempt-monitor, attempt-enforce"
            )
        for kind, value in switches.items():
            _switch(value, f"{kind[0].lower()}{kind[1:]}")
        commit()
        if mode is not None:
            self.account_mode = mode
        for kind, value in switches.items():
            if value is not None:
                self.account_exclusions[kind] = value
        self.account_state = "transitions-in-progress"
        self.account_updated = self.backend.clock.now()
        self.backend.schedule(
            self.backend.options.transition_delay,
            Resource(id="account-encryption"),
            lambda _: setattr(self, "account_state", "transitions-successful"),
        )
        return self.account_control()


_KIND_OF_TYPE = {
    "internet-gateway": "InternetGateway",
    "egress-only-internet-gateway": "EgressOnlyInternetGateway",
    "nat-gateway": "NatGateway",
    "vpn-gateway": "VirtualPrivateGateway",
    "vpc-peering-connection": "VpcPeering",
    "lambda": "Lambda",
    "vpc-lattice": "VpcLattice",
    "elastic-file-system": "ElasticFileSystem",
    "global-accelerator": "GlobalAccelerator",
    "api-gateway-v2": "ApiGatewayV2",
}


def _exclusion_kind(resource: VpcEncryptionNonCompliantResource) -> str | None:
    return _KIND_OF_TYPE.get(resource.get("Type", ""))


def _settle(resource: Any, before: str, after: str) -> None:
    if resource.state == before:
        resource.state = after


BPA_EXCLUSION_FILTERS = {
    "internet-gateway-exclusion-mode": lambda e: e.mode,
    "resource-arn": lambda e: e.resource_arn,
    "state": lambda e: e.state,
}
