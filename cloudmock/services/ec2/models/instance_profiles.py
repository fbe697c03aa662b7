"""IAM instance profile associations: one per instance, states on the clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from cloudmock.core.errors import ServiceError
from cloudmock.services.ec2.dryrun import commit
from cloudmock.services.ec2.models.base import Resource, ResourceKind, Store, options_only

if TYPE_CHECKING:
    from cloudmock.services.ec2.models.backend import Ec2Backend
    from cloudmock.services.ec2.models.instances import Instance, LaunchSpec
    from cloudmock.services.ec2.shapes import IamInstanceProfileAssociation

ASSOCIATION = ResourceKind("iip-assoc", "", "InvalidAssociationID", "association ID")
#: an association an instance holds (one at most)
LIVE_STATES = frozenset({"associating", "associated"})


@dataclass(slots=True)
class ProfileAssociation(Resource):
    instance_id: str
    #: (arn, id) of the instance profile
    profile: tuple[str, str]
    timestamp: datetime
    state: str = "associating"
    generation: int = 0

    def describe(self) -> IamInstanceProfileAssociation:
        return {
            "AssociationId": self.id,
            "InstanceId": self.instance_id,
            "IamInstanceProfile": {"Arn": self.profile[0], "Id": self.profile[1]},
            "State": self.state,
            "Timestamp": self.timestamp,
        }


PROFILE_ASSOCIATION_FILTERS = {
    "instance-id": lambda a: a.instance_id,
    "state": lambda a: a.state,
}


class ProfileAssociations:
    def __init__(self, backend: Ec2Backend) -> None:
        self.backend = backend
        self.store: Store[ProfileAssociation] = backend.new_store(ASSOCIATION)
        self.store.add_index("instance", lambda a: a.instance_id)
        backend.instances.on_launch.append(self._launched)
        backend.instances.on_enter("terminated", self._state_changed)

    def live_for(self, instance_id: str) -> ProfileAssociation | None:
        for association in self.store.lookup("instance", instance_id):
            if association.state in LIVE_STATES:
                return association
        return None

    @options_only
    def _launched(self, instance: Instance, spec: LaunchSpec) -> None:
        if spec.iam_profile is not None:
            self._create(instance, spec.iam_profile, state="associated")

    def _state_changed(self, instance: Instance, previous: str) -> None:
        if instance.state == "terminated":
            for association in self.store.lookup("instance", instance.id):
                self.store.remove(association.id)

    def _create(
        self, instance: Instance, profile: tuple[str, str], *, state: str = "associating"
    ) -> ProfileAssociation:
        backend = self.backend
        association = self.store.add(
            ProfileAssociation(
                id=backend.ids.new("iip-assoc"),
                instance_id=instance.id,
                profile=profile,
                timestamp=backend.clock.now(),
                state=state,
            )
        )
        instance.extras.iam_profile = profile
        if state == "associating":
            backend.schedule(backend.options.transition_delay, association, self._settled)
        return association

    def _settled(self, association: ProfileAssociation) -> None:
        association.state = "associated"
        association.generation += 1

    def associate(self, instance: Instance, profile: tuple[str, str]) -> ProfileAssociation:
        if instance.state not in ("pending", "running", "stopping", "stopped"):
            raise ServiceError(
                f"The instance '{instance.id}' is not in a valid state for this operation.",
                code="IncorrectInstanceState",
            )
        if self.live_for(instance.id) is not None:
            raise ServiceError(
                f"There is an existing association for instance {instance.id}",
                code="IncorrectState",
            )
        commit()
        return self._create(instance, profile)

    def disassociate(self, association_id: str) -> ProfileAssociation:
        association = self.store.get(association_id)
        if association.state not in LIVE_STATES:
            raise ServiceError(
                f"The association {association_id} is not in a state that allows this operation.",
                code="IncorrectState",
            )
        commit()
        association.state = "disassociating"
        association.generation += 1
        instance = self.backend.instances.store.find(association.instance_id)
        if instance is not None:
            instance.extras.iam_profile = None
        self.backend.schedule(self.backend.options.transition_delay, association, self._gone)
        return association

    def _gone(self, association: ProfileAssociation) -> None:
        # a disassociated association is no longer listed
        self.store.remove(association.id)

    def replace(self, association_id: str, profile: tuple[str, str]) -> ProfileAssociation:
        old = self.store.get(association_id)
        if old.state not in LIVE_STATES:
            raise ServiceError(
                f"The association {association_id} is not in a state that allows this operation.",
                code="IncorrectState",
            )
        instance = self.backend.instances.store.get(old.instance_id)
        commit()
        self.store.remove(old.id)
        return self._create(instance, profile)
