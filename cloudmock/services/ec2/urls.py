"""The hosts EC2 answers on (the region comes from the ``region`` group)."""

HOST_PATTERNS = (
    r"^ec2\.(?P<region>[a-z]{2}(?:-gov)?-[a-z]+-\d+)\.amazonaws\.com(?:\.cn)?(?::\d+)?$",
    r"^(?P<region>[a-z]{2}(?:-gov)?-[a-z]+-\d+)\.ec2\.amazonaws\.com(?::\d+)?$",
    r"^ec2\.(?P<region>[a-z]{2}(?:-gov)?-[a-z]+-\d+)\.api\.aws(?::\d+)?$",
    r"^ec2\.amazonaws\.com(?::\d+)?$",
)
