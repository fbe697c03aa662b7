"""What every IAM handler shares: its context type."""

from __future__ import annotations

from cloudmock.core.plugin import RequestContext
from cloudmock.services.iam.models.backend import IamBackend

#: what an IAM handler's ``ctx`` is
Ctx = RequestContext[IamBackend]
