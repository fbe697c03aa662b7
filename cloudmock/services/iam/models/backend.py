"""One account's IAM (IAM is global: the plugin keeps one backend per account)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from cloudmock.core.plugin import BackendEnv
from cloudmock.services.iam.models.base import IdFactory
from cloudmock.services.iam.models.instance_profiles import InstanceProfiles
from cloudmock.services.iam.models.policies import Policies
from cloudmock.services.iam.models.roles import Roles


class IamBackend:
    def __init__(self, env: BackendEnv) -> None:
        self.account_id = env.account_id
        self.clock = env.clock
        self.ids = IdFactory(env.rng)
        self.root_arn = f"arn:aws:iam::{env.account_id}:root"
        self.policies = Policies(self)
        self.roles = Roles(self)
        self.instance_profiles = InstanceProfiles(self)

    def now(self) -> datetime:
        """The mock clock, in whole seconds as IAM shows dates."""
        return self.clock.now().replace(microsecond=0)

    def dump(self) -> dict[str, Any]:
        def plain(value: Any) -> Any:
            if isinstance(value, datetime):
                return value.isoformat()
            if isinstance(value, dict):
                return {k: plain(v) for k, v in value.items()}
            if isinstance(value, list):
                return [plain(v) for v in value]
            return value

        out: dict[str, Any] = {}
        roles = []
        for role in self.roles:
            shown: dict[str, Any] = dict(role.shape())
            shown["AttachedPolicies"] = list(role.attached)
            shown["RolePolicies"] = [policy.name for policy in role.inline]
            roles.append(shown)
        if roles:
            out["roles"] = plain(roles)
        profiles = [profile.shape() for profile in self.instance_profiles]
        if profiles:
            out["instance_profiles"] = plain(profiles)
        policies = [policy.shape() for policy in self.policies.local()]
        if policies:
            out["policies"] = plain(policies)
        return out
