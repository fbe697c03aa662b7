"""What every STS handler shares: its context type."""

from __future__ import annotations

from cloudmock.core.plugin import RequestContext
from cloudmock.services.sts.models.backend import StsBackend

#: what an STS handler's ``ctx`` is
Ctx = RequestContext[StsBackend]
