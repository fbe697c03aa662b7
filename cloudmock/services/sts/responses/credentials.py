"""AssumeRole and GetSessionToken: temporary credentials."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from cloudmock.core.errors import ServiceError
from cloudmock.core.plugin import operation
from cloudmock.services.sts.errors import AccessDenied, ValidationError, not_authorized
from cloudmock.services.sts.models.arns import RoleArn, parse_role_arn
from cloudmock.services.sts.models.policies import (
    check_policy_arns,
    check_session_policy,
    check_tags,
    packed_size,
)
from cloudmock.services.sts.responses.common import Ctx

if TYPE_CHECKING:
    from cloudmock.services.sts.shapes import (
        AssumeRoleResponse,
        GetSessionTokenResponse,
        PolicyDescriptorType,
        Tag,
    )

DEFAULT_DURATION = 3600
#: a role session that assumes another role (role chaining) gets at most an hour
CHAINED_LIMIT = 3600
#: GetSessionToken for an account's root: at most an hour, whatever is asked
ROOT_SESSION_LIMIT = 3600
DEFAULT_SESSION_TOKEN_DURATION = 43200


@dataclass(frozen=True)
class KnownRole:
    role_id: str
    max_session_duration: int


def _role_in_iam(ctx: Ctx, role: RoleArn) -> KnownRole | None:
    """The role as the role's account's IAM has it (asked like any client would), or None."""
    try:
        found = ctx.services.call(
            "iam", "GetRole", {"RoleName": role.name}, account=role.account_id
        )
    except ServiceError as error:
        if error.code in ("NoSuchEntity", "NotImplemented"):
            return None
        raise
    described = (found or {}).get("Role", {})
    if described.get("Arn") != role.text:  # same name, another path: not the role named
        return None
    return KnownRole(described["RoleId"], described.get("MaxSessionDuration", DEFAULT_DURATION))


def _check_duration(ctx: Ctx, duration: int, known: KnownRole | None) -> None:
    if ":assumed-role/" in ctx.identity.arn and duration > CHAINED_LIMIT:
        raise ValidationError(
            "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed "
            "by role chaining."
        )
    if known is not None and duration > known.max_session_duration:
        raise ValidationError(
            "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."
        )


@operation("AssumeRole")
def assume_role(
    ctx: Ctx,
    *,
    RoleArn: str,
    RoleSessionName: str,
    PolicyArns: list[PolicyDescriptorType] | None = None,
    Policy: str | None = None,
    DurationSeconds: int = DEFAULT_DURATION,
    Tags: list[Tag] | None = None,
    TransitiveTagKeys: list[str] | None = None,
    ExternalId: str | None = None,
    SourceIdentity: str | None = None,
) -> AssumeRoleResponse:
    role = parse_role_arn(RoleArn)
    if Policy is not None:
        check_session_policy(Policy)
    arns = check_policy_arns(PolicyArns or [])
    tags = check_tags(Tags or [], TransitiveTagKeys or [])
    size = packed_size(Policy, arns, tags)
    known = _role_in_iam(ctx, role)
    if known is None and ctx.backend.options.require_roles:
        raise not_authorized(ctx.identity.arn, RoleArn)
    _check_duration(ctx, DurationSeconds, known)
    session = ctx.backend.assume_role(
        role,
        known.role_id if known is not None else role.derived_role_id(),
        RoleSessionName,
        DurationSeconds,
        policy=Policy,
        policy_arns=arns,
        tags=tags,
        transitive_tag_keys=list(TransitiveTagKeys or ()),
        external_id=ExternalId,
        source_identity=SourceIdentity,
    )
    result: AssumeRoleResponse = {
        "Credentials": session.credentials(),
        "AssumedRoleUser": {
            "AssumedRoleId": session.identity.user_id,
            "Arn": session.identity.arn,
        },
    }
    if size is not None:
        result["PackedPolicySize"] = size
    if SourceIdentity is not None:
        result["SourceIdentity"] = SourceIdentity
    return result


@operation("GetSessionToken")
def get_session_token(ctx: Ctx, *, DurationSeconds: int | None = None) -> GetSessionTokenResponse:
    caller = ctx.identity
    # temporary credentials are the ones whose key starts ASIA (AWS's convention, and ours)
    if (caller.access_key_id or "").startswith("ASIA") or ":assumed-role/" in caller.arn:
        raise AccessDenied("Cannot call GetSessionToken with session credentials")
    duration = DurationSeconds if DurationSeconds is not None else DEFAULT_SESSION_TOKEN_DURATION
    if caller.arn.endswith(":root"):
        duration = min(duration, ROOT_SESSION_LIMIT)
    session = ctx.backend.session_token(caller, duration)
    return {"Credentials": session.credentials()}
