"""The hosts STS answers on: the global endpoint (us-east-1) and the regional ones."""

HOST_PATTERNS = (
    r"^sts\.(?P<region>[a-z]{2}(?:-gov|-iso[a-z]*)?-[a-z]+-\d+)\.amazonaws\.com(?:\.cn)?(?::\d+)?$",
    r"^sts\.(?P<region>[a-z]{2}(?:-gov)?-[a-z]+-\d+)\.api\.aws(?::\d+)?$",
    r"^sts\.amazonaws\.com(?::\d+)?$",
)
