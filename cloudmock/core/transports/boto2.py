"""boto 2 opens its HTTPS proxy tunnels itself: ``AWSAuthConnection.proxy_ssl``
connects a raw socket to the proxy and writes ``CONNECT`` on it, out of reach of
``http.client`` (and on Python 3 it fails after connecting). While mocked, a
tunnel to an AWS host becomes a plain HTTPS connection to that host instead, which
the ``http.client`` transport answers in memory: the proxy is never contacted.

boto 2 is optional and slow to import, so it is never imported here: the patch is
applied at start if boto is loaded, else the moment it is imported while mocked.
"""

from __future__ import annotations

import http.client
import importlib.abc
import importlib.machinery
import sys
import threading
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any

from cloudmock.core.transports import is_aws_host
from cloudmock.core.transports.patching import AttributePatches

_MODULE = "boto.connection"


class Boto2Patch:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._patches = AttributePatches()
        self._hook: _AfterImport | None = None
        self.active = False

    def start(self) -> None:
        with self._lock:
            self.active = True
            if self._patches or self._hook is not None:
                return
            module = sys.modules.get(_MODULE)
            if module is not None:
                self._patch(module)
            else:
                self._hook = _AfterImport(_MODULE, self._patch_on_import)
                sys.meta_path.insert(0, self._hook)

    def stop(self) -> None:
        with self._lock:
            self.active = False
            if self._hook is not None:
                if self._hook in sys.meta_path:
                    sys.meta_path.remove(self._hook)
                self._hook = None
            self._patches.restore()

    def _patch_on_import(self, module: ModuleType) -> None:
        with self._lock:
            if self.active and not self._patches:
                self._patch(module)

    def _patch(self, module: ModuleType) -> None:
        connection_class = module.AWSAuthConnection
        original = connection_class.proxy_ssl
        patch = self

        def proxy_ssl(conn: Any, host: str | None = None, port: int | None = None) -> Any:
            target = host or conn.host
            if patch.active and is_aws_host(target):
                return http.client.HTTPSConnection(target, port or 443)
            return original(conn, host, port)

        self._patches.replace(connection_class, "proxy_ssl", proxy_ssl)


class _AfterImport(importlib.abc.MetaPathFinder):
    """Runs ``then(module)`` right after the module ``name`` is first executed."""

    def __init__(self, name: str, then: Callable[[ModuleType], None]) -> None:
        self.name = name
        self.then = then

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != self.name:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path, target)
        if spec is None or spec.loader is None:
            return None
        spec.loader = _ThenLoader(spec.loader, self.then)
        return spec


class _ThenLoader(importlib.abc.Loader):
    def __init__(self, inner: Any, then: Callable[[ModuleType], None]) -> None:
        self._inner = inner
        self._then = then

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return self._inner.create_module(spec)  # type: ignore[no-any-return]

    def exec_module(self, module: ModuleType) -> None:
        self._inner.exec_module(module)
        self._then(module)

    def __getattr__(self, name: str) -> Any:
        # get_source, get_filename, ...: tracebacks and inspect still find the file
        return getattr(self._inner, name)
