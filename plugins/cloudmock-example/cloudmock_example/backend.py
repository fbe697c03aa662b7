"""The state of one (account, region): plain Python, no HTTP, no XML."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from cloudmock.plugin_api import BackendEnv, ServiceError

if TYPE_CHECKING:
    from cloudmock_example.shapes import Widget as WidgetShape


class WidgetNotFound(ServiceError):
    code = "InvalidWidgetID.NotFound"

    def __init__(self, widget_id: str) -> None:
        super().__init__(f"The widget ID '{widget_id}' does not exist")


@dataclass
class Widget:
    widget_id: str
    name: str
    size: int
    color: str
    created: datetime

    def describe(self) -> WidgetShape:
        """Keyed by the output shape's member names; the codec writes the XML."""
        return {
            "WidgetId": self.widget_id,
            "Name": self.name,
            "Size": self.size,
            "Color": self.color,
            "CreateTime": self.created,
        }


class WidgetBackend:
    """cloudmock creates one per (account, region), lazily, and calls it with a BackendEnv."""

    def __init__(self, env: BackendEnv) -> None:
        self.env = env
        self.max_size = int(env.options.get("max_size", 100))
        self.widgets: dict[str, Widget] = {}

    def create(self, name: str, size: int, color: str) -> Widget:
        if not 1 <= size <= self.max_size:
            raise ServiceError(
                f"Size {size} is outside 1-{self.max_size}", code="InvalidParameterValue"
            )
        # ids from env.rng, times from env.clock: seeds and clock moves then just work
        widget_id = f"widget-{self.env.rng.getrandbits(68):017x}"
        widget = Widget(widget_id, name, size, color, self.env.clock.now())
        self.widgets[widget_id] = widget
        return widget

    def describe(self, ids: list[str] | None) -> list[Widget]:
        if not ids:
            return list(self.widgets.values())
        missing = [i for i in ids if i not in self.widgets]
        if missing:
            raise WidgetNotFound(missing[0])
        return [self.widgets[i] for i in ids]


def dump(backend: WidgetBackend) -> dict[str, Any]:
    """What ``GET /_cloudmock/state`` shows for this service."""
    return {"widgets": [w.describe() for w in backend.widgets.values()]}
