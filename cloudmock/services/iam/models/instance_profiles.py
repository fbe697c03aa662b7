"""Instance profiles: what an EC2 instance is launched with to act as a role (one at most)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from cloudmock.services.iam.errors import (
    DeleteConflict,
    EntityAlreadyExists,
    NoSuchEntity,
    quota,
)
from cloudmock.services.iam.models.base import ByName, Tags

if TYPE_CHECKING:
    from cloudmock.services.iam.models.backend import IamBackend
    from cloudmock.services.iam.models.roles import Role
    from cloudmock.services.iam.shapes import InstanceProfile as InstanceProfileShape
    from cloudmock.services.iam.shapes import Tag

#: roles in one instance profile (a quota AWS does not raise)
MAX_ROLES = 1


@dataclass
class InstanceProfile:
    name: str
    id: str
    arn: str
    path: str
    created: datetime
    roles: list[Role] = field(default_factory=list)
    tags: Tags = field(default_factory=Tags)

    def shape(self, *, listing: bool = False) -> InstanceProfileShape:
        out: InstanceProfileShape = {
            "Path": self.path,
            "InstanceProfileName": self.name,
            "InstanceProfileId": self.id,
            "Arn": self.arn,
            "CreateDate": self.created,
            "Roles": [role.shape(listing=True) for role in self.roles],
        }
        if len(self.tags) and not listing:
            out["Tags"] = self.tags.shape()
        return out


class InstanceProfiles:
    def __init__(self, backend: IamBackend) -> None:
        self.backend = backend
        self._profiles: ByName[InstanceProfile] = ByName()

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._profiles)

    def get(self, name: str) -> InstanceProfile:
        found = self._profiles.find(name)
        if found is None:
            raise NoSuchEntity(f"Instance Profile {name} cannot be found.")
        return found

    def sorted(self) -> list[tuple[str, InstanceProfile]]:
        return self._profiles.sorted()

    def create(self, name: str, path: str, tags: list[Tag]) -> InstanceProfile:
        if name in self._profiles:
            raise EntityAlreadyExists(f"Instance Profile {name} already exists.")
        backend = self.backend
        profile = InstanceProfile(
            name,
            backend.ids.new("AIPA"),
            f"arn:aws:iam::{backend.account_id}:instance-profile{path}{name}",
            path,
            backend.now(),
        )
        profile.tags.set(tags)
        self._profiles.add(name, profile)
        return profile

    def delete(self, name: str) -> None:
        profile = self.get(name)
        if profile.roles:
            raise DeleteConflict(
                "Cannot delete entity, must remove roles from instance profile first."
            )
        self._profiles.remove(name)

    def add_role(self, name: str, role_name: str) -> None:
        profile = self.get(name)
        role = self.backend.roles.get(role_name)
        if len(profile.roles) >= MAX_ROLES:
            raise quota("InstanceSessionsPerInstanceProfile", MAX_ROLES)
        profile.roles.append(role)
        role.profiles.add(profile.name, profile)

    def remove_role(self, name: str, role_name: str) -> None:
        profile = self.get(name)
        role = self.backend.roles.get(role_name)
        if role not in profile.roles:
            raise NoSuchEntity(f"The role with name {role_name} cannot be found.")
        profile.roles.remove(role)
        role.profiles.remove(profile.name)
