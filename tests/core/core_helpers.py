"""Constants and helpers the core tests share (a module, not conftest: conftest names clash)."""

from __future__ import annotations

import socket
import threading

AMI = "ami-0abcdef1234567890"
EC2_NS = "http://ec2.amazonaws.com/doc/2016-11-15/"
VERSION = "2016-11-15"


def scope_header(region: str = "eu-west-1", service: str = "ec2", key: str = "testing") -> str:
    """An Authorization header with a SigV4 credential scope (cloudmock does not verify it)."""
    return (
        f"AWS4-HMAC-SHA256 Credential={key}/20240101/{region}/{service}/aws4_request, "
        "SignedHeaders=host;x-amz-date, Signature=" + "0" * 64
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class FakeProxy:
    """A proxy on 127.0.0.1 that records every connection it gets, and answers 502."""

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.received: list[bytes] = []
        self._closing = False
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def contacted(self) -> bool:
        return bool(self.received)

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            if self._closing:  # the wake-up call from close()
                conn.close()
                return
            with conn:
                conn.settimeout(5)
                try:
                    self.received.append(conn.recv(65536) or b"(connected, sent nothing)")
                    conn.sendall(
                        b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    )
                except OSError:
                    pass

    def close(self) -> None:
        self._closing = True
        socket.create_connection(("127.0.0.1", self.port), timeout=5).close()  # wakes accept()
        self._thread.join(5)
        self._listener.close()
