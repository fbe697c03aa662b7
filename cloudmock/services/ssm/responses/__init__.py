"""SSM handlers, one module per family: every module here is a handler module."""
