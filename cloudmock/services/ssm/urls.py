"""The hosts SSM answers on (the region comes from the ``region`` group)."""

HOST_PATTERNS = (
    r"^ssm\.(?P<region>[a-z]{2}(?:-gov)?-[a-z]+-\d+)\.amazonaws\.com(?:\.cn)?(?::\d+)?$",
    r"^ssm-fips\.(?P<region>[a-z]{2}(?:-gov)?-[a-z]+-\d+)\.amazonaws\.com(?::\d+)?$",
    r"^ssm\.(?P<region>[a-z]{2}(?:-gov)?-[a-z]+-\d+)\.api\.aws(?::\d+)?$",
)
