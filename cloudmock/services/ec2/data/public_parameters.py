"""SSM's public parameters for EC2's AMI catalogue (``/aws/service/ami-...``).

Registered under the ``cloudmock.ssm.public_parameters`` entry point; SSM asks it
for names under ``/aws/`` it does not hold itself.
"""

from __future__ import annotations

from cloudmock.services.ssm.models.public import NO_PUBLIC_PARAMETERS, PublicParameters


def provider_for(region: str) -> PublicParameters:
    """The AMI parameters of ``region`` (the catalogue is not built yet: none)."""
    return NO_PUBLIC_PARAMETERS
