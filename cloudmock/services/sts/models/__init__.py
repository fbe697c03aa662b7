"""STS's state: the sessions it issued (the credentials themselves live in core's registry)."""
