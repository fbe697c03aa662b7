"""Transports turn a client's request into a neutral Request and back; they know no service."""

from __future__ import annotations

import re

#: The DNS suffixes of AWS endpoints in every partition: while a mock is active,
#: no host under one of these is ever contacted.
AWS_DOMAINS = (
    "amazonaws.com",
    "amazonaws.com.cn",
    "api.aws",
    "on.aws",
    "c2s.ic.gov",
    "sc2s.sgov.gov",
)

_DOMAINS = "|".join(re.escape(domain) for domain in AWS_DOMAINS)
AWS_HOST = re.compile(rf"^(?:[a-z0-9.-]+\.)?(?:{_DOMAINS})\.?(?::\d+)?$", re.IGNORECASE)
AWS_URL = re.compile(
    rf"^https?://(?:[a-z0-9.-]+\.)?(?:{_DOMAINS})\.?(?::\d+)?(?:[/?#].*)?$", re.IGNORECASE
)


def is_aws_host(host: str) -> bool:
    return AWS_HOST.match(host) is not None
