"""Transports turn a client's request into a neutral Request and back; they know no service."""

from __future__ import annotations

import re

#: Hosts that belong to AWS: while a mock is active, none of these is ever contacted.
AWS_HOST = re.compile(
    r"^(?:[a-z0-9.-]+\.)?(?:amazonaws\.com(?:\.cn)?|api\.aws|aws\.dev|amazonaws-us-gov\.com)"
    r"(?::\d+)?$",
    re.IGNORECASE,
)


def is_aws_host(host: str) -> bool:
    return AWS_HOST.match(host) is not None
