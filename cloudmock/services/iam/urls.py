"""The hosts IAM answers on. IAM is global: every region's clients reach one backend."""

HOST_PATTERNS = (
    r"^iam\.amazonaws\.com(?::\d+)?$",
    r"^iam\.global\.api\.aws(?::\d+)?$",
    r"^iam\.(?P<region>[a-z]{2}(?:-gov)?-[a-z]+-\d+)\.amazonaws\.com(?:\.cn)?(?::\d+)?$",
)
