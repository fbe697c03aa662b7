"""cloudmock: a local, in-memory twin of AWS for tests and development."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

from cloudmock.core.config import Config
from cloudmock.core.mock import MockAWS, current_state, mock_aws, mock_ec2

if TYPE_CHECKING:
    from cloudmock.server import ServerThread


def __getattr__(name: str) -> Any:
    # The server pulls in uvicorn; only load it for those who ask.
    if name in ("ServerThread", "serve", "create_app"):
        from cloudmock import server

        return getattr(server, name)
    raise AttributeError(name)


__all__ = [
    "Config",
    "MockAWS",
    "ServerThread",
    "__version__",
    "current_state",
    "mock_aws",
    "mock_ec2",
]
