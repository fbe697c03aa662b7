"""urllib3's connections are ``http.client`` connections that connect eagerly (HTTPS
pools, CONNECT tunnels) and check their sockets for liveness: this module makes
both agree with the in-memory answers of :mod:`~cloudmock.core.transports.http_client`.

botocore talks through urllib3 too, but its own patch answers AWS hosts before a
request gets here, so no request is answered twice.
"""

from __future__ import annotations

import threading
from typing import Any

from urllib3 import connectionpool
from urllib3.connection import HTTPConnection, HTTPSConnection

from cloudmock.core.transports.http_client import HttpClientPatch
from cloudmock.core.transports.patching import AttributePatches
from cloudmock.core.transports.wire import MemorySocket


def _connected(conn: Any) -> None:
    """What urllib3's own connect records, for a connection answered in memory."""
    conn._has_connected_to_proxy = bool(getattr(conn, "proxy", None))
    if isinstance(conn, HTTPSConnection):
        # AWS's certificate would have verified; a forwarding proxy never verifies
        # the origin (as urllib3 2 says itself).
        conn.is_verified = not getattr(conn, "proxy_is_forwarding", False)


class Urllib3Patch:
    def __init__(self, http_client: HttpClientPatch) -> None:
        self._http_client = http_client
        self._lock = threading.Lock()
        self._patches = AttributePatches()

    def start(self) -> None:
        with self._lock:
            if self._patches:
                return
            for cls in (HTTPConnection, HTTPSConnection):
                connect = self._http_client.connect_patch(cls.connect, _connected)
                self._patches.replace(cls, "connect", connect)
            # urllib3 polls a pooled connection's socket descriptor to see whether it
            # is still alive; a MemorySocket has none, and is alive until closed.
            if "is_connected" in vars(HTTPConnection):  # urllib3 2
                alive: property = vars(HTTPConnection)["is_connected"]

                def is_connected(conn: Any) -> bool:
                    if isinstance(conn.sock, MemorySocket):
                        return not conn.sock.closed
                    return bool(alive.__get__(conn))

                self._patches.replace(HTTPConnection, "is_connected", property(is_connected))
            else:  # urllib3 1.26 asks a function of its connection pool module
                dropped = connectionpool.is_connection_dropped

                def is_connection_dropped(conn: Any) -> bool:
                    sock = getattr(conn, "sock", None)
                    if isinstance(sock, MemorySocket):
                        return sock.closed
                    return bool(dropped(conn))

                self._patches.replace(
                    connectionpool, "is_connection_dropped", is_connection_dropped
                )

    def stop(self) -> None:
        with self._lock:
            self._patches.restore()
