"""Parameter names, paths, ARNs, selectors and labels: SSM's rules for each."""

from __future__ import annotations

import re
from dataclasses import dataclass

from cloudmock.services.ssm.models.errors import (
    NAME_RULES,
    PATH_RULES,
    RESERVED_PREFIX,
    RESERVED_SSM_PATH,
    access_denied,
    hierarchy_too_deep,
    validation,
)

#: the longest name, counted with the ARN prefix that precedes it (arn:aws:ssm:...:parameter/)
MAX_NAME_WITH_ARN = 1011
MAX_LEVELS = 15
_SEGMENT = re.compile(r"^[a-zA-Z0-9_.\-]+$")
_LABEL = re.compile(r"^[a-zA-Z0-9_.\-]{1,100}$")
#: names that belong to AWS (public parameters, references): read through the public provider
PUBLIC_PREFIX = "/aws/"


def partition_of(region: str) -> str:
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


def arn_prefix(region: str, account_id: str) -> str:
    return f"arn:{partition_of(region)}:ssm:{region}:{account_id}:parameter/"


def arn_for(region: str, account_id: str, name: str) -> str:
    """``arn:aws:ssm:REGION:ACCOUNT:parameter/NAME``: one slash, whether or not NAME starts with one."""
    return arn_prefix(region, account_id) + name.removeprefix("/")


def trimmed(name: str) -> str:
    """SSM drops spaces around a name; a space inside one is an error."""
    name = name.strip(" ")
    if not name or " " in name:
        raise validation(NAME_RULES)
    return name


def check_new_name(name: str, region: str, account_id: str) -> str:
    """The name PutParameter stores, or SSM's error for it."""
    name = trimmed(name)
    body = name.removeprefix("/")
    first = body.split("/", 1)[0].lower()
    hierarchical = name.startswith("/") and "/" in body
    if first.startswith("aws"):
        if hierarchical:
            raise access_denied(f"No access to reserved parameter name: {body}.")
        raise validation(RESERVED_PREFIX)
    if first.startswith("ssm"):
        raise validation(RESERVED_SSM_PATH if hierarchical else RESERVED_PREFIX)
    if "/" in name and not name.startswith("/"):
        raise validation("Parameter name must be a fully qualified name.")
    segments = body.split("/")
    if not all(_SEGMENT.match(segment) for segment in segments):
        raise validation(NAME_RULES)
    if len(segments) > MAX_LEVELS:
        raise hierarchy_too_deep()
    if len(arn_for(region, account_id, name)) > MAX_NAME_WITH_ARN:
        raise validation(
            f"Parameter name: the fully qualified name, counted with the ARN prefix "
            f"{arn_prefix(region, account_id)}, can be at most {MAX_NAME_WITH_ARN} characters."
        )
    return name


def check_path(path: str) -> str:
    """A GetParametersByPath (or Path filter) path, normalised: ``/a/b`` (``/`` for the root)."""
    path = path.strip(" ")
    if path != "/":
        path = path.rstrip("/") if path.startswith("/") else path
    if not path.startswith("/"):
        raise validation(PATH_RULES)
    if path == "/":
        return path
    segments = path[1:].split("/")
    if segments[0].lower().startswith("ssm") or (
        segments[0].lower().startswith("aws") and segments[0] != "aws"
    ):
        raise validation(PATH_RULES)
    if not all(_SEGMENT.match(segment) for segment in segments):
        raise validation(PATH_RULES)
    if len(segments) > MAX_LEVELS:
        raise hierarchy_too_deep()
    return path


def parent_segments(name: str) -> list[str]:
    """The path a name sits in, as segments: ``/a/b/c`` -> ``[a, b]``; ``/a`` and ``a`` -> root."""
    return name.removeprefix("/").split("/")[:-1]


def path_segments(path: str) -> list[str]:
    return [] if path == "/" else path[1:].split("/")


def is_public(name: str) -> bool:
    return name.startswith(PUBLIC_PREFIX)


# ------------------------------------------------------------------ selectors


@dataclass(frozen=True)
class Reference:
    """What a read names: a parameter (by name or ARN), maybe with ``:version`` or ``:label``."""

    #: the name as the caller wrote it, without the selector (an ARN stays an ARN)
    requested: str
    #: candidate stored names, best first (an ARN cannot say whether the name had a leading /)
    names: tuple[str, ...]
    version: int | None = None
    label: str | None = None
    #: the ARN named another account or region: a shared parameter, which cloudmock has none of
    foreign: bool = False

    @property
    def selector(self) -> str | None:
        if self.version is not None:
            return f":{self.version}"
        if self.label is not None:
            return f":{self.label}"
        return None

    @property
    def shown(self) -> str:
        """The name with its selector, as GetParameters lists it among InvalidParameters."""
        return self.requested + (self.selector or "")


def reference(raw: str, region: str, account_id: str) -> Reference:
    """Parse ``name``, ``name:3``, ``name:label`` or ``arn:...:parameter/name[:selector]``."""
    raw = trimmed(raw)
    foreign = False
    if raw.startswith("arn:"):
        parts = raw.split(":", 5)
        if len(parts) < 6 or parts[2] != "ssm" or not parts[5].startswith("parameter/"):
            raise validation(f"The ARN {raw} is not the ARN of a parameter.")
        foreign = parts[3] != region or parts[4] != account_id
        resource = parts[5].removeprefix("parameter/")
        base, colon, selector = resource.partition(":")
        requested = ":".join(parts[:5]) + ":parameter/" + base
        names: tuple[str, ...] = (f"/{base}",) if "/" in base else (base, f"/{base}")
    else:
        base, colon, selector = raw.partition(":")
        requested = base
        names = (base,)
    if not base or (colon and (not selector or ":" in selector)):
        raise validation(
            f"Parameter name {raw} is not valid: a version or label follows the name after a "
            "single colon (name:version or name:label)."
        )
    if not colon:
        return Reference(requested, names, foreign=foreign)
    if selector.isdigit():
        return Reference(requested, names, version=int(selector), foreign=foreign)
    return Reference(requested, names, label=selector, foreign=foreign)


def valid_label(label: str) -> bool:
    """At most 100 of ``a-zA-Z0-9_.-``, not starting with a digit, ``aws`` or ``ssm``."""
    if not _LABEL.match(label) or label[0].isdigit():
        return False
    return not label.lower().startswith(("aws", "ssm"))
