"""The control endpoints under ``/_cloudmock/`` (health, reset, state, clock): the
server's own API beside the AWS one, answered in JSON."""

from __future__ import annotations

import copy
import json
from datetime import datetime, timezone
from typing import Any

from cloudmock import __version__
from cloudmock.core.dispatcher import Dispatcher
from cloudmock.core.http import Request, Response

CONTROL_PREFIX = "/_cloudmock/"


def _json(status: int, payload: Any) -> Response:
    body = json.dumps(payload, indent=2, default=str).encode("utf-8")
    return Response(status, body, {"Content-Type": "application/json"})


class ControlEndpoints:
    def __init__(self, dispatcher: Dispatcher) -> None:
        self.dispatcher = dispatcher

    def handle(self, request: Request) -> Response:
        name = request.path[len(CONTROL_PREFIX) :].strip("/")
        routes = {
            ("GET", "health"): self.health,
            ("POST", "reset"): self.reset,
            ("GET", "state"): self.state,
            ("GET", "clock"): self.clock,
            ("POST", "clock"): self.move_clock,
        }
        route = routes.get((request.method, name))
        if route is None:
            allowed = sorted(method for method, path in routes if path == name)
            if allowed:
                response = _json(405, {"error": f"{request.path} takes {' or '.join(allowed)}"})
                response.headers["Allow"] = ", ".join(allowed)
                return response
            return _json(404, {"error": f"no control endpoint {request.method} {request.path}"})
        try:
            return route(request)
        except (ValueError, TypeError, KeyError) as error:
            return _json(400, {"error": str(error)})

    def health(self, request: Request) -> Response:
        registry = self.dispatcher.registry
        services = {
            row.name: ("available" if row.loaded else f"failed: {row.error}")
            for row in registry.status()
            if self.dispatcher.enabled(row.name)
        }
        return _json(200, {"status": "running", "version": __version__, "services": services})

    def reset(self, request: Request) -> Response:
        self.dispatcher.state.reset()
        return _json(200, {"reset": True})

    def state(self, request: Request) -> Response:
        return _json(200, self.dispatcher.state.dump())

    def clock(self, request: Request) -> Response:
        return _json(200, {"now": self.dispatcher.state.clock.now().isoformat()})

    def move_clock(self, request: Request) -> Response:
        """``{"advance": s}``, ``{"freeze": true | ISO time}``, ``{"unfreeze": true}``.

        Everything is checked before anything moves: a 400 leaves the clock as it was.
        """
        body = json.loads(request.body or b"{}")
        if not isinstance(body, dict):
            raise ValueError("the body must be a JSON object")
        unknown = set(body) - {"advance", "freeze", "unfreeze"}
        if unknown:
            raise ValueError(f"unknown clock field(s): {', '.join(sorted(unknown))}")
        advance = body.get("advance")
        if advance is not None and (
            isinstance(advance, bool) or not isinstance(advance, (int, float))
        ):
            raise ValueError(f"advance must be a number of seconds, not {advance!r}")
        unfreeze = body.get("unfreeze", False)
        if not isinstance(unfreeze, bool):
            raise ValueError(f"unfreeze must be true or false, not {unfreeze!r}")
        freeze = body.get("freeze")
        if isinstance(freeze, str):
            freeze = datetime.fromisoformat(freeze.replace("Z", "+00:00"))
            if freeze.tzinfo is None:
                freeze = freeze.replace(tzinfo=timezone.utc)
        elif freeze not in (None, True, False):
            raise ValueError(f"freeze must be true or an ISO 8601 time, not {freeze!r}")

        # Rehearse on a copy, so a value the clock refuses changes nothing.
        clock = self.dispatcher.state.clock
        for target in (copy.copy(clock), clock):
            if freeze is True:
                target.freeze()
            elif isinstance(freeze, datetime):
                target.freeze(freeze)
            if unfreeze:
                target.unfreeze()
            if advance is not None:
                target.advance(float(advance))
        return self.clock(request)
