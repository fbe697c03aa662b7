"""Parameter Store's state: one :class:`~cloudmock.services.ssm.models.backend.SsmBackend` per
account and region."""
