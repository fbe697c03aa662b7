"""One SSM region of one account: its parameters, and the public parameters it can read."""

from __future__ import annotations

from typing import Any

from cloudmock.core.plugin import BackendEnv
from cloudmock.services.ssm.models.public import provider_for
from cloudmock.services.ssm.models.store import ParameterStore


class SsmBackend:
    def __init__(self, env: BackendEnv) -> None:
        self.account_id = env.account_id
        self.region = env.region
        self.clock = env.clock
        self.parameters = ParameterStore(
            env.account_id, env.region, env.clock, provider_for(env.region)
        )

    def tick(self) -> None:
        """Apply what the clock made due (Expiration policies) before a request is answered."""
        self.parameters.expire_due()


def dump(backend: SsmBackend) -> dict[str, Any]:
    """The state endpoint's view: every parameter with its versions and tags."""
    out: dict[str, Any] = {}
    for parameter in backend.parameters.tree.all():
        out[parameter.name] = {
            "ARN": parameter.arn,
            "Tags": dict(parameter.tags),
            "Versions": [
                {
                    "Version": v.number,
                    "Type": v.type,
                    "Value": v.value,
                    "KeyId": v.key_id,
                    "Description": v.description,
                    "AllowedPattern": v.allowed_pattern,
                    "DataType": v.data_type,
                    "Tier": v.tier,
                    "Policies": [p.text for p in v.policies],
                    "Labels": list(v.labels),
                    "LastModifiedDate": v.modified.isoformat(),
                    "LastModifiedUser": v.modified_by,
                }
                for v in parameter.versions.values()
            ],
        }
    return out
