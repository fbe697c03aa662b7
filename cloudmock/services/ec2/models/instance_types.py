"""Facts about instance types that the launch path needs."""

from __future__ import annotations

import functools
import re

DEFAULT_INSTANCE_TYPE = "m1.small"

# Graviton families carry a "g" among the letters after the generation digit
# (m6g, c7gn, r8gd, x2gd, im4gn, is4gen, g5g, t4g); a1 is the first Graviton family.
_ARM = re.compile(r"^(?:a1|[a-z]+\d+[a-z]*g[a-z]*)\.")


@functools.lru_cache(maxsize=1024)  # pure; every describe of an instance asks
def architecture(instance_type: str) -> str:
    if instance_type.startswith("mac"):
        return "arm64_mac" if instance_type.startswith(("mac2", "mac-m4")) else "x86_64_mac"
    return "arm64" if _ARM.match(instance_type) else "x86_64"
