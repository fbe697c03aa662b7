"""Roles: their trust policy, inline and attached policies, boundary, tags."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from cloudmock.services.iam.errors import (
    DeleteConflict,
    EntityAlreadyExists,
    LimitExceeded,
    NoSuchEntity,
    quota,
)
from cloudmock.services.iam.models.base import ByName, Tags
from cloudmock.services.iam.models.documents import (
    INLINE_ROLE_POLICIES_LIMIT,
    check_permissions_policy,
    check_trust_policy,
    size,
)

if TYPE_CHECKING:
    from cloudmock.services.iam.models.backend import IamBackend
    from cloudmock.services.iam.models.instance_profiles import InstanceProfile
    from cloudmock.services.iam.models.policies import ManagedPolicy
    from cloudmock.services.iam.shapes import Role as RoleShape
    from cloudmock.services.iam.shapes import Tag

DEFAULT_MAX_SESSION_DURATION = 3600
#: managed policies attached to one role
MAX_ATTACHED = 10


@dataclass
class InlinePolicy:
    name: str
    document: str


@dataclass
class Role:
    name: str
    id: str
    arn: str
    path: str
    created: datetime
    trust_policy: str
    description: str | None = None
    max_session_duration: int = DEFAULT_MAX_SESSION_DURATION
    max_signin_session_duration: int | None = None
    boundary: ManagedPolicy | None = None
    tags: Tags = field(default_factory=Tags)
    inline: ByName[InlinePolicy] = field(default_factory=ByName)
    #: attached managed policies, by ARN, in the order attached
    attached: dict[str, ManagedPolicy] = field(default_factory=dict)
    profiles: ByName[InstanceProfile] = field(default_factory=ByName)

    def shape(self, *, listing: bool = False) -> RoleShape:
        """GetRole's view; ``listing``: what List* show (no boundary, tags or last use)."""
        out: RoleShape = {
            "Path": self.path,
            "RoleName": self.name,
            "RoleId": self.id,
            "Arn": self.arn,
            "CreateDate": self.created,
            "AssumeRolePolicyDocument": self.trust_policy,
        }
        if self.description is not None:
            out["Description"] = self.description
        out["MaxSessionDuration"] = self.max_session_duration
        if self.max_signin_session_duration is not None:
            out["MaxSigninSessionDuration"] = self.max_signin_session_duration
        if listing:
            return out
        if self.boundary is not None:
            out["PermissionsBoundary"] = {
                "PermissionsBoundaryType": "Policy",
                "PermissionsBoundaryArn": self.boundary.arn,
            }
        if len(self.tags):
            out["Tags"] = self.tags.shape()
        out["RoleLastUsed"] = {}
        return out


class Roles:
    def __init__(self, backend: IamBackend) -> None:
        self.backend = backend
        self._roles: ByName[Role] = ByName()

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._roles)

    def get(self, name: str) -> Role:
        found = self._roles.find(name)
        if found is None:
            raise NoSuchEntity(f"The role with name {name} cannot be found.")
        return found

    def sorted(self) -> list[tuple[str, Role]]:
        return self._roles.sorted()

    def create(
        self,
        name: str,
        path: str,
        trust_policy: str,
        *,
        description: str | None,
        max_session_duration: int,
        max_signin_session_duration: int | None,
        boundary_arn: str | None,
        tags: list[Tag],
    ) -> Role:
        check_trust_policy(trust_policy)
        if name in self._roles:
            raise EntityAlreadyExists(f"Role with name {name} already exists.")
        backend = self.backend
        boundary = (
            backend.policies.attachable(boundary_arn, boundary=True) if boundary_arn else None
        )
        role = Role(
            name,
            backend.ids.new("AROA"),
            f"arn:aws:iam::{backend.account_id}:role{path}{name}",
            path,
            backend.now(),
            trust_policy,
            description=description,
            max_session_duration=max_session_duration,
            max_signin_session_duration=max_signin_session_duration,
        )
        role.tags.set(tags)
        if boundary is not None:
            self._set_boundary(role, boundary)
        self._roles.add(name, role)
        return role

    def delete(self, name: str) -> None:
        role = self.get(name)
        if len(role.profiles):
            raise DeleteConflict(
                "Cannot delete entity, must remove roles from instance profile first."
            )
        if role.attached:
            raise DeleteConflict("Cannot delete entity, must detach all policies first.")
        if len(role.inline):
            raise DeleteConflict("Cannot delete entity, must delete policies first.")
        if role.boundary is not None:
            role.boundary.boundary_of.remove(role.name)
        self._roles.remove(name)

    def update_trust_policy(self, name: str, document: str) -> None:
        role = self.get(name)
        check_trust_policy(document)
        role.trust_policy = document

    # -- inline policies

    def put_inline(self, name: str, policy_name: str, document: str) -> None:
        role = self.get(name)
        check_permissions_policy(document)
        existing = role.inline.find(policy_name)
        total = sum(size(p.document) for p in role.inline if p is not existing) + size(document)
        if total > INLINE_ROLE_POLICIES_LIMIT:
            raise LimitExceeded(
                f"Maximum policy size of {INLINE_ROLE_POLICIES_LIMIT} bytes exceeded for role {role.name}"
            )
        if existing is not None:
            existing.document = document
        else:
            role.inline.add(policy_name, InlinePolicy(policy_name, document))

    def inline_policy(self, name: str, policy_name: str) -> tuple[Role, InlinePolicy]:
        role = self.get(name)
        found = role.inline.find(policy_name)
        if found is None:
            raise NoSuchEntity(f"The role policy with name {policy_name} cannot be found.")
        return role, found

    def delete_inline(self, name: str, policy_name: str) -> None:
        role, policy = self.inline_policy(name, policy_name)
        role.inline.remove(policy.name)

    # -- managed policies

    def attach(self, name: str, arn: str) -> None:
        role = self.get(name)
        policy = self.backend.policies.attachable(arn)
        if policy.arn in role.attached:
            return
        if len(role.attached) >= MAX_ATTACHED:
            raise quota("PoliciesPerRole", MAX_ATTACHED)
        role.attached[policy.arn] = policy
        policy.roles.add(role.name, role)

    def detach(self, name: str, arn: str) -> None:
        role = self.get(name)
        policy = role.attached.pop(arn, None)
        if policy is None:
            self.backend.policies.get(arn)  # InvalidInput for a malformed ARN first
            raise NoSuchEntity(f"Policy {arn} was not found.")
        policy.roles.remove(role.name)

    # -- permissions boundary

    def put_boundary(self, name: str, arn: str) -> None:
        role = self.get(name)
        self._set_boundary(role, self.backend.policies.attachable(arn, boundary=True))

    def delete_boundary(self, name: str) -> None:
        role = self.get(name)
        if role.boundary is None:
            raise NoSuchEntity(f"The role with name {role.name} has no permissions boundary.")
        role.boundary.boundary_of.remove(role.name)
        role.boundary = None

    def _set_boundary(self, role: Role, policy: ManagedPolicy) -> None:
        if role.boundary is not None:
            role.boundary.boundary_of.remove(role.name)
        role.boundary = policy
        policy.boundary_of.add(role.name, role)
