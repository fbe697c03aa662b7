"""Answers every ``http.client`` connection bound for an AWS host in memory, and lets
every other one go out untouched.

``http.client`` is the floor that urllib3, ``urllib.request`` and boto 2 stand on.
Whether a request is for AWS is decided where it really goes, not by its Host
header: a proxy's absolute-form target (``GET http://ec2...amazonaws.com/``), else
the host of a CONNECT tunnel, else the connection's own host. Such a request is
written to a :class:`~cloudmock.core.transports.wire.MemorySocket` in place of the
network, so neither AWS nor a proxy in between ever sees it.
"""

from __future__ import annotations

import http.client
import threading
import weakref
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from cloudmock.core.http import Request, Response
from cloudmock.core.transports import is_aws_host
from cloudmock.core.transports.patching import AttributePatches
from cloudmock.core.transports.wire import MemorySocket

Handle = Callable[[Request], Response]
Connect = Callable[[Any], None]


def destination(conn: Any, target: str | None = None) -> str:
    """The host a request on ``conn`` really goes to."""
    if target and "://" in target[:8]:
        return urlsplit(target).hostname or ""
    return getattr(conn, "_tunnel_host", None) or conn.host or ""


def _scheme(conn: Any, target: str | None = None) -> str:
    if target and "://" in target[:8]:
        return urlsplit(target).scheme
    return "https" if getattr(conn, "default_port", None) == 443 else "http"


class HttpClientPatch:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._patches = AttributePatches()
        self.handle: Handle | None = None
        # connections given a MemorySocket, detached when the mock stops
        self._answered: weakref.WeakSet[Any] = weakref.WeakSet()

    def start(self, handle: Handle) -> None:
        with self._lock:
            self.handle = handle
            if self._patches:
                return
            patch = self
            original_putrequest = http.client.HTTPConnection.putrequest

            def putrequest(conn: Any, method: str, url: str, *args: Any, **kwargs: Any) -> None:
                # Decided per request: a kept-alive connection to a proxy may carry
                # requests for AWS and for other hosts in turn.
                if patch.handle is not None:
                    host = destination(conn, url)
                    if is_aws_host(host):
                        patch.answer(conn, host, _scheme(conn, url))
                    elif isinstance(conn.sock, MemorySocket):
                        conn.sock.close()
                        conn.sock = None  # this one goes out for real: send() connects
                return original_putrequest(conn, method, url, *args, **kwargs)

            self._patches.replace(http.client.HTTPConnection, "putrequest", putrequest)
            for cls in (http.client.HTTPConnection, http.client.HTTPSConnection):
                self._patches.replace(cls, "connect", self.connect_patch(cls.connect))

    def stop(self) -> None:
        with self._lock:
            self._patches.restore()
            self.handle = None
            # A pooled connection that was answered in memory connects for real when
            # it is next used, as if the mock had never been there.
            for conn in list(self._answered):
                if isinstance(getattr(conn, "sock", None), MemorySocket):
                    conn.sock.close()
                    conn.sock = None
            self._answered = weakref.WeakSet()

    def connect_patch(
        self, original: Connect, connected: Callable[[Any], None] | None = None
    ) -> Connect:
        """``connect`` for a connection class: one bound for AWS (directly or through a
        CONNECT tunnel) gets a MemorySocket, and never opens a socket or a tunnel;
        ``connected(conn)`` then sets what the class's own connect would have set."""
        patch = self

        def connect(conn: Any) -> None:
            host = destination(conn)
            if patch.handle is None or not is_aws_host(host):
                return original(conn)
            if not patch.answer(conn, host, _scheme(conn)):
                return original(conn)  # the mock stopped meanwhile
            if connected is not None:
                connected(conn)
            return None

        return connect

    def answer(self, conn: Any, host: str, scheme: str) -> bool:
        """Give ``conn`` a MemorySocket in place of whatever socket it had; False if the
        mock stopped meanwhile (nothing is answered in memory any more)."""
        if isinstance(conn.sock, MemorySocket):
            return True
        with self._lock:
            if self.handle is None:
                return False
            if conn.sock is not None:
                conn.sock.close()  # e.g. kept alive to a proxy: it gets nothing of this
            conn.sock = MemorySocket(self._current, scheme, host)
            self._answered.add(conn)
            return True

    def _current(self) -> Handle | None:
        return self.handle
