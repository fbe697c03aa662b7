"""Managed policies: the account's own (``arn:aws:iam::ACCOUNT:policy/...``) and AWS's
(``arn:aws:iam::aws:policy/...``), their versions, and where they are attached."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from cloudmock.services.iam.errors import (
    AccessDenied,
    DeleteConflict,
    EntityAlreadyExists,
    InvalidInput,
    LimitExceeded,
    NoSuchEntity,
)
from cloudmock.services.iam.models.base import ByName, Tags
from cloudmock.services.iam.models.documents import check_managed_policy

if TYPE_CHECKING:
    from cloudmock.services.iam.models.backend import IamBackend
    from cloudmock.services.iam.models.roles import Role
    from cloudmock.services.iam.shapes import Policy as PolicyShape
    from cloudmock.services.iam.shapes import PolicyVersion as PolicyVersionShape
    from cloudmock.services.iam.shapes import Tag

MAX_VERSIONS = 5
_POLICY_ARN = re.compile(r"arn:aws:iam::(?:aws|[0-9]{12}):policy/(?:[\x21-\x7e]*/)?[^/]+")


@dataclass
class PolicyVersion:
    version_id: str
    document: str
    created: datetime

    def shape(self, default: bool, *, document: bool = True) -> PolicyVersionShape:
        out: PolicyVersionShape = {}
        if document:
            out["Document"] = self.document
        out["VersionId"] = self.version_id
        out["IsDefaultVersion"] = default
        out["CreateDate"] = self.created
        return out


@dataclass
class ManagedPolicy:
    name: str
    id: str
    arn: str
    path: str
    created: datetime
    description: str | None = None
    #: AWS's own policies: in every account, and nobody's to change
    aws_managed: bool = False
    versions: dict[str, PolicyVersion] = field(default_factory=dict)
    default_version_id: str = "v1"
    next_version: int = 1
    updated: datetime | None = None
    tags: Tags = field(default_factory=Tags)
    #: roles it is attached to / is the permissions boundary of
    roles: ByName[Role] = field(default_factory=ByName)
    boundary_of: ByName[Role] = field(default_factory=ByName)

    @property
    def default_version(self) -> PolicyVersion:
        return self.versions[self.default_version_id]

    def add_version(self, document: str, now: datetime, *, default: bool) -> PolicyVersion:
        version = PolicyVersion(f"v{self.next_version}", document, now)
        self.next_version += 1
        self.versions[version.version_id] = version
        if default:
            self.default_version_id = version.version_id
            self.updated = now
        return version

    def version(self, version_id: str) -> PolicyVersion:
        found = self.versions.get(version_id)
        if found is None:
            raise NoSuchEntity(
                f"Policy {self.arn} version {version_id} does not exist or is not attachable."
            )
        return found

    def shape(self, *, listing: bool = False) -> PolicyShape:
        out: PolicyShape = {
            "PolicyName": self.name,
            "PolicyId": self.id,
            "Arn": self.arn,
            "Path": self.path,
            "DefaultVersionId": self.default_version_id,
            "AttachmentCount": len(self.roles),
            "PermissionsBoundaryUsageCount": len(self.boundary_of),
            "IsAttachable": True,
        }
        if self.description is not None and not listing:
            out["Description"] = self.description
        out["CreateDate"] = self.created
        out["UpdateDate"] = self.updated or self.created
        if len(self.tags) and not listing:
            out["Tags"] = self.tags.shape()
        return out


class Policies:
    """An account's managed policies, and AWS's as this account sees them."""

    def __init__(self, backend: IamBackend) -> None:
        self.backend = backend
        self._local: dict[str, ManagedPolicy] = {}
        self._names: ByName[ManagedPolicy] = ByName()
        self._aws: dict[str, ManagedPolicy] = {}

    # -- lookups

    def find(self, arn: str) -> ManagedPolicy | None:
        found = self._local.get(arn)
        if found is None:
            if not self._aws:
                self._load_aws()
            found = self._aws.get(arn)
        return found

    def get(self, arn: str) -> ManagedPolicy:
        """The policy, InvalidInput for what is not a policy ARN, NoSuchEntity if none."""
        if _POLICY_ARN.fullmatch(arn) is None:
            raise InvalidInput(f"ARN {arn} is not valid.")
        found = self.find(arn)
        if found is None:
            raise NoSuchEntity(f"Policy {arn} was not found.")
        return found

    def attachable(self, arn: str, *, boundary: bool = False) -> ManagedPolicy:
        """A policy to attach (or use as a permissions boundary), with IAM's wording."""
        if _POLICY_ARN.fullmatch(arn) is None:
            raise InvalidInput(f"ARN {arn} is not valid.")
        found = self.find(arn)
        if found is None:
            if boundary:
                raise NoSuchEntity(f"Scope ARN: {arn} does not exist or is not attachable.")
            raise NoSuchEntity(f"Policy {arn} does not exist or is not attachable.")
        return found

    def owned(self, arn: str, action: str) -> ManagedPolicy:
        """A policy this account may change (AWS's are not)."""
        policy = self.get(arn)
        if policy.aws_managed:
            raise AccessDenied(
                f"User: {self.backend.root_arn} is not authorized to perform: iam:{action} "
                f"on resource: policy {arn}"
            )
        return policy

    def all(self) -> list[ManagedPolicy]:
        if not self._aws:
            self._load_aws()
        return [*self._aws.values(), *self._local.values()]

    def local(self) -> list[ManagedPolicy]:
        return list(self._local.values())

    def _load_aws(self) -> None:
        from cloudmock.services.iam.models.aws_managed import AWS_MANAGED_POLICIES

        for spec in AWS_MANAGED_POLICIES:
            policy = ManagedPolicy(
                spec.name,
                spec.policy_id,
                spec.arn,
                spec.path,
                spec.created,
                description=spec.description,
                aws_managed=True,
            )
            policy.versions[spec.version_id] = PolicyVersion(
                spec.version_id, spec.document, spec.updated
            )
            policy.default_version_id = spec.version_id
            policy.next_version = int(spec.version_id[1:]) + 1
            policy.updated = spec.updated
            self._aws[policy.arn] = policy

    # -- changes

    def create(
        self,
        name: str,
        path: str,
        document: str,
        description: str | None,
        tags: list[Tag],
    ) -> ManagedPolicy:
        check_managed_policy(document)
        if name in self._names:
            raise EntityAlreadyExists(
                f"A policy called {name} already exists. Duplicate names are not allowed."
            )
        backend = self.backend
        now = backend.now()
        policy = ManagedPolicy(
            name,
            backend.ids.new("ANPA"),
            f"arn:aws:iam::{backend.account_id}:policy{path}{name}",
            path,
            now,
            description=description,
        )
        policy.tags.set(tags)
        policy.add_version(document, now, default=True)
        self._local[policy.arn] = policy
        self._names.add(name, policy)
        return policy

    def delete(self, arn: str) -> None:
        policy = self.owned(arn, "DeletePolicy")
        if len(policy.roles) or len(policy.boundary_of):
            raise DeleteConflict("Cannot delete a policy attached to entities.")
        if len(policy.versions) > 1:
            raise DeleteConflict(
                "This policy has more than one version. Before you delete a policy, you must "
                "delete the policy's versions. The default version is deleted with the policy."
            )
        del self._local[policy.arn]
        self._names.remove(policy.name)

    def create_version(self, arn: str, document: str, set_default: bool) -> PolicyVersion:
        policy = self.owned(arn, "CreatePolicyVersion")
        check_managed_policy(document)
        if len(policy.versions) >= MAX_VERSIONS:
            raise LimitExceeded(
                f"A managed policy can have up to {MAX_VERSIONS} versions. Before you create a "
                "new version, you must delete an existing version."
            )
        return policy.add_version(document, self.backend.now(), default=set_default)

    def delete_version(self, arn: str, version_id: str) -> None:
        policy = self.owned(arn, "DeletePolicyVersion")
        policy.version(version_id)
        if version_id == policy.default_version_id:
            raise DeleteConflict("Cannot delete the default version of a policy.")
        del policy.versions[version_id]

    def set_default(self, arn: str, version_id: str) -> None:
        policy = self.owned(arn, "SetDefaultPolicyVersion")
        policy.version(version_id)
        if policy.default_version_id != version_id:
            policy.default_version_id = version_id
            policy.updated = self.backend.now()
