"""Server mode: every service on one port, for any client in any language."""

from __future__ import annotations

import os
import threading
from collections.abc import Collection
from typing import Any

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from cloudmock.core.clock import Clock
from cloudmock.core.config import Config
from cloudmock.core.dispatcher import Dispatcher
from cloudmock.core.registry import Registry, default_registry
from cloudmock.core.state import State
from cloudmock.core.transports.wsgi import WsgiApp

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 5000


class _RequestHandler(WSGIRequestHandler):
    # a client that stalls mid-request (a Content-Length it never sends) is dropped
    timeout = 60


def _make_server(host: str, port: int, app: WsgiApp) -> BaseWSGIServer:
    return make_server(host, port, app, threaded=True, request_handler=_RequestHandler)


def create_app(
    config: Config | None = None,
    services: Collection[str] | None = None,
    registry: Registry | None = None,
    state_dir: str | os.PathLike[str] | None = None,
) -> WsgiApp:
    state = State(config or Config.from_env(), state_dir=state_dir)
    return WsgiApp(Dispatcher(registry or default_registry(), state, services))


class ServerThread:
    """A cloudmock server in a background thread, for tests.

    ``port=0`` picks a free port; ``url`` is what to pass as ``endpoint_url``::

        with ServerThread() as server:
            ec2 = boto3.client("ec2", endpoint_url=server.url, region_name="eu-west-1")
    """

    def __init__(
        self,
        host: str = DEFAULT_HOST,
        port: int = 0,
        *,
        config: Config | None = None,
        services: Collection[str] | None = None,
        state_dir: str | os.PathLike[str] | None = None,
    ) -> None:
        self.app = create_app(config, services, state_dir=state_dir)
        self._server: BaseWSGIServer = _make_server(host, port, self.app)
        self._stopped = False
        self.host = host
        self.port = self._server.server_port
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def state(self) -> State:
        return self.app.dispatcher.state

    @property
    def clock(self) -> Clock:
        return self.state.clock

    def start(self) -> ServerThread:
        if self._stopped:
            raise RuntimeError("this ServerThread was stopped; make a new one")
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._server.serve_forever, name="cloudmock-server", daemon=True
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join()
            self._thread = None
        self._server.server_close()
        self.state.close()
        self._stopped = True

    def __enter__(self) -> ServerThread:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()


def serve(
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    config: Config | None = None,
    services: Collection[str] | None = None,
    state_dir: str | os.PathLike[str] | None = None,
) -> None:
    """Run the server in the foreground until interrupted."""
    app = create_app(config, services, state_dir=state_dir)
    server = _make_server(host, port, app)
    print(f"cloudmock {_version()} listening on http://{host}:{server.server_port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def _version() -> str:
    from cloudmock import __version__

    return __version__
