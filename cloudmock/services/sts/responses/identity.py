"""GetCallerIdentity and GetAccessKeyInfo: who signed a request, whose a key is."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cloudmock.core.plugin import operation
from cloudmock.services.sts.responses.common import Ctx

if TYPE_CHECKING:
    from cloudmock.services.sts.shapes import GetAccessKeyInfoResponse, GetCallerIdentityResponse


@operation("GetCallerIdentity")
def get_caller_identity(ctx: Ctx) -> GetCallerIdentityResponse:
    identity = ctx.identity
    return {"UserId": identity.user_id, "Account": identity.account_id, "Arn": identity.arn}


@operation("GetAccessKeyInfo")
def get_access_key_info(ctx: Ctx, *, AccessKeyId: str) -> GetAccessKeyInfoResponse:
    return {"Account": ctx.backend.identities.account_of(AccessKeyId)}
