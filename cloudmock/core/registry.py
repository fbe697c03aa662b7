"""Discovers service plugins through the ``cloudmock.services`` entry points.

Entry points are listed on first use and each plugin is imported only when it
is first needed.  A plugin that fails to import is remembered with its error
and reported by name; the other plugins keep working.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points

from cloudmock.core.plugin import ServicePlugin

GROUP = "cloudmock.services"


class PluginLoadError(Exception):
    def __init__(self, name: str, error: BaseException):
        super().__init__(f"cloudmock plugin {name!r} failed to load: {error!r}")
        self.name = name
        self.error = error


@dataclass(frozen=True)
class PluginStatus:
    name: str
    source: str
    loaded: bool
    error: str | None


class Registry:
    def __init__(self, group: str = GROUP) -> None:
        self.group = group
        self._lock = threading.RLock()
        self._entry_points: dict[str, EntryPoint] | None = None
        self._plugins: dict[str, ServicePlugin] = {}
        self._errors: dict[str, BaseException] = {}

    def _eps(self) -> dict[str, EntryPoint]:
        if self._entry_points is None:
            with self._lock:
                if self._entry_points is None:
                    self._entry_points = {ep.name: ep for ep in entry_points(group=self.group)}
        return self._entry_points

    def register(self, plugin: ServicePlugin) -> None:
        """Add a plugin in-process (tests, or an application embedding cloudmock)."""
        with self._lock:
            self._plugins[plugin.name] = plugin
            self._errors.pop(plugin.name, None)

    def names(self) -> list[str]:
        return sorted(set(self._eps()) | set(self._plugins))

    def get(self, name: str) -> ServicePlugin | None:
        """The plugin called ``name``; None if none is installed; PluginLoadError if broken."""
        plugin = self._plugins.get(name)
        if plugin is not None:
            return plugin
        with self._lock:
            if name in self._plugins:
                return self._plugins[name]
            if name in self._errors:
                raise PluginLoadError(name, self._errors[name])
            ep = self._eps().get(name)
            if ep is None:
                return None
            try:
                loaded = ep.load()
                if not isinstance(loaded, ServicePlugin):
                    raise TypeError(f"{ep.value} is {type(loaded).__name__}, not a ServicePlugin")
            except Exception as error:  # a broken plugin must not break the others
                self._errors[name] = error
                raise PluginLoadError(name, error) from error
            self._plugins[name] = loaded
            return loaded

    def loaded(self) -> list[ServicePlugin]:
        """Every plugin that can be loaded (broken ones are skipped, and remembered)."""
        plugins = []
        for name in self.names():
            try:
                plugin = self.get(name)
            except PluginLoadError:
                continue
            if plugin is not None:
                plugins.append(plugin)
        return plugins

    def status(self) -> list[PluginStatus]:
        rows = []
        for name in self.names():
            ep = self._eps().get(name)
            source = ep.value if ep is not None else "registered in-process"
            try:
                self.get(name)
                rows.append(PluginStatus(name, source, True, None))
            except PluginLoadError as failure:
                rows.append(PluginStatus(name, source, False, repr(failure.error)))
        return rows


_default: Registry | None = None


def default_registry() -> Registry:
    global _default
    if _default is None:
        _default = Registry()
    return _default
