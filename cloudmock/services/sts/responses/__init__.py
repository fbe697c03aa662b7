"""STS's handlers: every module here is a handler module."""
