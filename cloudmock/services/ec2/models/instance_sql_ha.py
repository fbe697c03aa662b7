"""SQL Server High Availability standby detection: which registered instance is active."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from cloudmock.core.errors import InvalidParameterValue
from cloudmock.services.ec2.dryrun import commit

if TYPE_CHECKING:
    from cloudmock.services.ec2.models.backend import Ec2Backend
    from cloudmock.services.ec2.models.instances import Instance
    from cloudmock.services.ec2.shapes import RegisteredInstance


@dataclass(slots=True)
class HaState:
    instance: Instance
    credentials: str | None
    status: str
    license_usage: str
    processing: str
    updated: datetime
    #: when detection has looked at the instance (clock seconds): "processing" until then
    ready_at: float = 0.0

    def describe(self) -> RegisteredInstance:
        out: RegisteredInstance = {
            "InstanceId": self.instance.id,
            "SqlServerLicenseUsage": self.license_usage,
            "HaStatus": self.status,
            "ProcessingStatus": self.processing,
            "LastUpdatedTime": self.updated,
            "Tags": self.instance.tag_list(),
        }
        if self.credentials is not None:
            out["SqlServerCredentials"] = self.credentials
        return out


SQL_HA_FILTERS = {
    "haStatus": lambda s: s.status,
    "sqlServerLicenseUsage": lambda s: s.license_usage,
}


class SqlHa:
    """Instances registered for standby detection, in registration order: the first healthy
    one is the cluster's active node; the others are standby nodes, and their SQL Server
    licence is waived."""

    def __init__(self, backend: Ec2Backend) -> None:
        self.backend = backend
        self.states: dict[str, HaState] = {}
        #: every state an instance went through, oldest first (the history operation)
        self.history: list[RegisteredInstance] = []

    def enable(self, instances: list[Instance], credentials: str | None) -> list[HaState]:
        if not instances:
            raise InvalidParameterValue("At least one instance ID must be specified.")
        if credentials is not None and not credentials.startswith("arn:"):
            raise InvalidParameterValue(
                f"Invalid value '{credentials}' for SqlServerCredentials: give the ARN of a "
                "Secrets Manager secret."
            )
        commit()
        now = self.backend.clock.now()
        ready_at = self.backend.clock.time() + self.backend.options.transition_delay
        changed = []
        for instance in instances:
            state = HaState(instance, credentials, "processing", "full", "Enabling", now, ready_at)
            self.states[instance.id] = state
            self._record(state)
            changed.append(state)
        return changed

    def disable(self, instances: list[Instance]) -> list[HaState]:
        for instance in instances:
            if instance.id not in self.states:
                raise InvalidParameterValue(
                    f"The instance '{instance.id}' is not enabled for SQL Server High "
                    "Availability standby detection."
                )
        commit()
        gone = []
        for instance in instances:
            state = self.states.pop(instance.id)
            state.processing = "Disabled"
            state.updated = self.backend.clock.now()
            self._record(state)
            gone.append(state)
        self.evaluate()
        return gone

    def _record(self, state: HaState) -> None:
        self.history.append(state.describe())

    def evaluate(self) -> None:
        """Settle every registration looked at: the first eligible one is active, the rest
        standby (each describe sees the instances' current states)."""
        now = self.backend.clock.now()
        clock = self.backend.clock.time()
        active_taken = False
        for state in self.states.values():
            if clock < state.ready_at:
                continue
            instance = state.instance
            if instance.extras.platform != "windows":
                status, usage = "invalid", "full"
                processing = (
                    "The instance is not running a Windows SQL Server license-included AMI."
                )
            elif instance.state != "running":
                status, usage, processing = "invalid", "full", "The instance is not running."
            elif not active_taken:
                status, usage, processing = "active", "full", "Active node"
                active_taken = True
            else:
                status, usage, processing = "standby", "waived", "Standby node"
            if (status, usage, processing) != (state.status, state.license_usage, state.processing):
                state.status, state.license_usage, state.processing = status, usage, processing
                state.updated = now
                self._record(state)
