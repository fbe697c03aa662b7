"""One account's STS in one region: it issues temporary credentials and remembers the sessions.

The credentials are registered with core (``env.identities``), which is what makes a
request signed with them act as their principal, in its account, until they expire
on the mock's clock.
"""

from __future__ import annotations

import base64
import string
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from cloudmock.core.identity import Identity, IssuedCredentials
from cloudmock.core.plugin import BackendEnv
from cloudmock.services.sts.options import StsOptions

if TYPE_CHECKING:
    from cloudmock.services.sts.models.arns import RoleArn
    from cloudmock.services.sts.shapes import Credentials as CredentialsShape

_KEY_ALPHABET = string.ascii_uppercase + string.digits
_SECRET_ALPHABET = string.ascii_letters + string.digits + "+/"


@dataclass
class Session:
    """Temporary credentials STS issued, and what they were issued with."""

    access_key_id: str
    secret_access_key: str
    session_token: str
    expiration: datetime
    identity: Identity
    #: the role assumed (None for GetSessionToken)
    role_arn: str | None = None
    session_name: str | None = None
    policy: str | None = None
    policy_arns: list[str] = field(default_factory=list)
    tags: dict[str, str] = field(default_factory=dict)
    transitive_tag_keys: list[str] = field(default_factory=list)
    external_id: str | None = None
    source_identity: str | None = None

    def credentials(self) -> CredentialsShape:
        return {
            "AccessKeyId": self.access_key_id,
            "SecretAccessKey": self.secret_access_key,
            "SessionToken": self.session_token,
            "Expiration": self.expiration,
        }

    def describe(self) -> dict[str, Any]:
        """The state endpoint's view (no secrets)."""
        out: dict[str, Any] = {
            "AccessKeyId": self.access_key_id,
            "Arn": self.identity.arn,
            "Account": self.identity.account_id,
            "Expiration": self.expiration.isoformat(),
        }
        if self.role_arn is not None:
            out["RoleArn"] = self.role_arn
        if self.tags:
            out["Tags"] = dict(self.tags)
        if self.source_identity is not None:
            out["SourceIdentity"] = self.source_identity
        return out


class StsBackend:
    def __init__(self, env: BackendEnv) -> None:
        self.account_id = env.account_id
        self.region = env.region
        self.clock = env.clock
        self.rng = env.rng
        self.identities = env.identities
        self.options = StsOptions.from_dict(env.options)
        #: sessions this backend issued, by access key id
        self.sessions: dict[str, Session] = {}

    # -- issuing

    def assume_role(
        self,
        role: RoleArn,
        role_id: str,
        session_name: str,
        duration: int,
        *,
        policy: str | None = None,
        policy_arns: list[str] | None = None,
        tags: dict[str, str] | None = None,
        transitive_tag_keys: list[str] | None = None,
        external_id: str | None = None,
        source_identity: str | None = None,
    ) -> Session:
        """Credentials that act as ``role`` (in its account) for ``duration`` seconds."""
        access_key_id = self._new_access_key()
        identity = Identity(
            account_id=role.account_id,
            arn=role.assumed_role_arn(session_name),
            user_id=f"{role_id}:{session_name}",
            access_key_id=access_key_id,
        )
        return self._issue(
            Session(
                access_key_id,
                self._random(_SECRET_ALPHABET, 40),
                self._session_token(len(policy or "") + 64 * len(tags or {})),
                self._expiry(duration),
                identity,
                role_arn=role.text,
                session_name=session_name,
                policy=policy,
                policy_arns=list(policy_arns or ()),
                tags=dict(tags or {}),
                transitive_tag_keys=list(transitive_tag_keys or ()),
                external_id=external_id,
                source_identity=source_identity,
            )
        )

    def session_token(self, caller: Identity, duration: int) -> Session:
        """Credentials that act as ``caller`` itself for ``duration`` seconds."""
        access_key_id = self._new_access_key()
        identity = Identity(caller.account_id, caller.arn, caller.user_id, access_key_id)
        return self._issue(
            Session(
                access_key_id,
                self._random(_SECRET_ALPHABET, 40),
                self._session_token(0),
                self._expiry(duration),
                identity,
            )
        )

    def _issue(self, session: Session) -> Session:
        self.identities.issue(
            IssuedCredentials(
                session.identity,
                session.secret_access_key,
                session.session_token,
                session.expiration,
            )
        )
        self.sessions[session.access_key_id] = session
        return session

    # -- values

    def _expiry(self, duration: int) -> datetime:
        # AWS gives whole seconds
        return self.clock.now().replace(microsecond=0) + timedelta(seconds=duration)

    def _random(self, alphabet: str, length: int) -> str:
        return "".join(self.rng.choice(alphabet) for _ in range(length))

    def _new_access_key(self) -> str:
        while True:
            key = "ASIA" + self._random(_KEY_ALPHABET, 16)
            if key not in self.sessions:
                return key

    def _session_token(self, extra: int) -> str:
        # a session token carries the session's policies and tags: it grows with them
        raw = bytes(self.rng.getrandbits(8) for _ in range(240 + extra))
        return base64.b64encode(b"cloudmock-session/" + raw).decode("ascii")

    def dump(self) -> dict[str, Any]:
        return {"sessions": [session.describe() for session in self.sessions.values()]}
