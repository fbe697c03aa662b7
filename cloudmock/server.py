"""Server mode: every service on one port, for any client in any language."""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Collection, Iterator
from types import FrameType
from typing import Any

from cloudmock.core.clock import Clock
from cloudmock.core.config import Config
from cloudmock.core.dispatcher import Dispatcher
from cloudmock.core.registry import Registry, default_registry
from cloudmock.core.state import State
from cloudmock.core.transports.control import guard_exposed_bind
from cloudmock.core.transports.http_server import Dispatch, HttpServer, Limits
from cloudmock.core.transports.http_server_app import AsgiApp
from cloudmock.core.transports.wsgi import WsgiApp

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 5000


StateDir = str | os.PathLike[str] | None


def _dispatcher(
    config: Config | None,
    services: Collection[str] | None,
    registry: Registry | None = None,
    state_dir: StateDir = None,
) -> Dispatcher:
    state = State(config or Config.from_env(), state_dir=state_dir)
    return Dispatcher(registry or default_registry(), state, services)


def create_app(
    config: Config | None = None,
    services: Collection[str] | None = None,
    registry: Registry | None = None,
    state_dir: StateDir = None,
) -> WsgiApp:
    """The server's answers as a WSGI app, to mount in a WSGI server of your own
    (cloudmock's own server is ASGI, on uvicorn: see ``ServerThread`` and ``serve``)."""
    return WsgiApp(_dispatcher(config, services, registry, state_dir))


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
        limits: Limits | None = None,
        dispatch: Dispatch = "inline",
        state_dir: StateDir = None,
    ) -> None:
        dispatcher = _dispatcher(config, services, state_dir=state_dir)
        try:
            guard_exposed_bind(host, dispatcher.state.config)
            self._server = HttpServer(dispatcher, host, port, limits=limits, dispatch=dispatch)
        except BaseException:
            dispatcher.state.close()  # e.g. the port is taken: let the state directory go
            raise
        self.app: AsgiApp = self._server.app
        self._started = False
        self._stopped = False
        self.host = host
        self.port = self._server.port

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
        if not self._started:
            self._server.start()
            self._started = True
        return self

    def stop(self) -> None:
        """Stop accepting, let requests in flight finish (a few seconds at most), close."""
        if not self._stopped:
            self._server.stop()
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
    limits: Limits | None = None,
    state_dir: StateDir = None,
    dispatch: Dispatch = "inline",
) -> None:
    """Run the server in the foreground until SIGINT or SIGTERM (``cloudmock server``
    checks a non-loopback ``host`` with ``guard_exposed_bind`` first)."""
    dispatcher = _dispatcher(config, services, state_dir=state_dir)
    try:
        server = HttpServer(
            dispatcher, host, port, limits=limits, dispatch=dispatch, own_process=True
        )
    except BaseException as error:
        dispatcher.state.close()  # e.g. the port is taken: let the directory go
        if isinstance(error, OSError):
            reason = error.strerror or str(error)
            raise CannotListen(f"cannot listen on {host}:{port}: {reason}") from None
        raise
    print(f"cloudmock {_version()} listening on http://{host}:{server.port}", flush=True)
    try:
        # uvicorn re-raises SIGINT/SIGTERM once it has stopped; SIGTERM's default action
        # would end the process there, before the state directory's last snapshot
        with _sigterm_as(_Terminated), contextlib.suppress(KeyboardInterrupt, _Terminated):
            server.run()
    finally:
        dispatcher.state.close()


class CannotListen(Exception):
    """``serve`` could not bind its address (taken, not this host's, no rights)."""


class _Terminated(Exception):
    """SIGTERM, turned into an exception so that ``serve`` closes the state first."""


@contextlib.contextmanager
def _sigterm_as(error: type[BaseException]) -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield  # signals reach the main thread only
        return

    def raise_it(signum: int, frame: FrameType | None) -> None:
        raise error()

    previous = signal.signal(signal.SIGTERM, raise_it)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _version() -> str:
    from cloudmock import __version__

    return __version__
