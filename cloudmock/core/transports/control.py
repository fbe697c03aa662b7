"""The control endpoints under ``/_cloudmock/`` (health, reset, state, clock): the
server's own API beside the AWS one, answered in JSON.

They hold every account's state and can wipe it, so they answer only requests that
cannot come from a web page the developer happens to visit: the ``Host`` must be a
loopback name or one the server was given (a DNS-rebinding page sends its own name),
a browser's cross-origin request is refused, a POST must be JSON (a page can send
``text/plain`` and form bodies without asking), and a token may be required.
"""

from __future__ import annotations

import copy
import hmac
import ipaddress
import json
import logging
import math
import secrets
import sys
from collections.abc import Callable, Collection
from datetime import datetime, timezone
from typing import Any, TextIO

from cloudmock import __version__
from cloudmock.core.config import Config
from cloudmock.core.dispatcher import Dispatcher
from cloudmock.core.errors import ServiceError
from cloudmock.core.http import Request, Response

CONTROL_PREFIX = "/_cloudmock/"
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
#: a control body is a few fields; anything bigger is not one
MAX_BODY = 64 * 1024
#: how deep a control body's JSON may nest (a clock move is one level)
MAX_DEPTH = 16

log = logging.getLogger("cloudmock")


class ControlError(Exception):
    """A refusal: the status and the message of the JSON error answered."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def _json(status: int, payload: Any) -> Response:
    body = json.dumps(payload, indent=2, default=str).encode("utf-8")
    return Response(status, body, {"Content-Type": "application/json"})


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    response = _json(status, {"error": message})
    response.headers.update(headers or {})
    return response


class ControlEndpoints:
    """``server_names``: host names besides the loopback ones that the endpoints answer
    to (the name a container is reached by, the address bound); ``token``: required in
    ``Authorization: Bearer ...`` or ``X-Cloudmock-Token`` when set. Both add to what the
    state's :class:`Config` says (``server_names``, ``control_token``)."""

    def __init__(
        self,
        dispatcher: Dispatcher,
        *,
        server_names: Collection[str] = (),
        token: str | None = None,
    ) -> None:
        self.dispatcher = dispatcher
        self.server_names = frozenset(_bare_host(name) for name in server_names)
        self.token = token

    def handle(self, request: Request) -> Response:
        try:
            self._admit(request)
            name = request.path[len(CONTROL_PREFIX) :].strip("/")
            routes: dict[tuple[str, str], Callable[[Request], Response]] = {
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
                    raise ControlError(
                        405,
                        f"{request.path} takes {' or '.join(allowed)}",
                        {"Allow": ", ".join(allowed)},
                    )
                raise ControlError(404, f"no control endpoint {request.method} {request.path}")
            if name != "health":  # health says only that the server runs, for probes
                self._check_token(request)
            return route(request)
        except ControlError as refusal:
            return _error(refusal.status, refusal.message, refusal.headers)
        except ServiceError as error:  # e.g. the state directory refused the save: 503
            return _error(error.status, error.message)
        except (ValueError, TypeError, KeyError, OverflowError, RecursionError) as error:
            return _error(400, str(error) or type(error).__name__)
        except Exception:  # a bug of ours: JSON all the same, the traceback in the log
            log.exception("cloudmock: control endpoint %s failed", request.path)
            return _error(500, "cloudmock hit an internal error; see its log")

    # -- who may ask

    @property
    def _config(self) -> Config:
        return self.dispatcher.state.config

    def _admit(self, request: Request) -> None:
        host = _bare_host(request.host)
        if not (
            _is_loopback(host)
            or host in self.server_names
            or host in {_bare_host(name) for name in self._config.server_names}
        ):
            raise ControlError(
                403,
                f"the control endpoints answer only to a loopback host name or a configured "
                f"server name (--server-name), not {host!r}",
            )
        origin = request.headers.get("origin")
        if origin is not None and origin.lower().rstrip("/") not in _own_origins(request.host):
            raise ControlError(403, f"cross-origin requests are refused (Origin {origin!r})")
        if request.headers.get("sec-fetch-site", "").lower() in ("cross-site", "same-site"):
            raise ControlError(403, "cross-site requests are refused (Sec-Fetch-Site)")
        if request.method == "POST":
            ctype = request.headers.get("content-type")
            media = (ctype or "").split(";", 1)[0].strip().lower()
            # A bodyless POST with no type at all (curl -X POST) is no form a page can
            # submit; anything with a type must say JSON.
            if media != "application/json" and (ctype is not None or request.body):
                raise ControlError(
                    415, "control POSTs take a JSON body: send Content-Type: application/json"
                )

    def _check_token(self, request: Request) -> None:
        wanted = self.token or self._config.control_token
        if not wanted:
            return
        given = request.headers.get("x-cloudmock-token", "")
        scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
        if not given and scheme.lower() == "bearer":
            given = credentials.strip()
        if not hmac.compare_digest(given.encode("utf-8"), wanted.encode("utf-8")):
            raise ControlError(
                401,
                "this server's control endpoints need its token: "
                "Authorization: Bearer TOKEN or X-Cloudmock-Token: TOKEN",
                {"WWW-Authenticate": 'Bearer realm="cloudmock"'},
            )

    # -- the endpoints

    def health(self, request: Request) -> Response:
        registry = self.dispatcher.registry
        services = {
            row.name: ("available" if row.loaded else f"failed: {row.error}")
            for row in registry.status()
            if self.dispatcher.enabled(row.name)
        }
        return _json(200, {"status": "running", "version": __version__, "services": services})

    def reset(self, request: Request) -> Response:
        body = _body(request)
        if body:
            raise ValueError(f"reset takes no fields, not {', '.join(sorted(body))}")
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
        body = _body(request)
        unknown = set(body) - {"advance", "freeze", "unfreeze"}
        if unknown:
            raise ValueError(f"unknown clock field(s): {', '.join(sorted(unknown))}")
        advance = body.get("advance")
        if advance is not None:
            if isinstance(advance, bool) or not isinstance(advance, (int, float)):
                raise ValueError(f"advance must be a number of seconds, not {advance!r}")
            if isinstance(advance, int) and abs(advance) > sys.float_info.max:
                raise ValueError("advance is too large")
            if not math.isfinite(float(advance)):
                raise ValueError(f"advance must be a finite number of seconds, not {advance!r}")
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


def _body(request: Request) -> dict[str, Any]:
    """A control POST's JSON object (``{}`` when bodyless), or ValueError saying why not."""
    raw = request.body
    if not raw.strip():
        return {}
    if len(raw) > MAX_BODY:
        raise ControlError(413, f"a control body is at most {MAX_BODY} bytes")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError("the body is not UTF-8") from None
    if _nesting(text) > MAX_DEPTH:
        raise ValueError(f"the body nests deeper than {MAX_DEPTH} levels")
    try:
        body = json.loads(text, parse_constant=_no_constant)
    except RecursionError:
        raise ValueError("the body nests too deeply") from None
    except json.JSONDecodeError as error:
        raise ValueError(f"the body is not JSON: {error}") from None
    if not isinstance(body, dict):
        raise ValueError("the body must be a JSON object")
    return body


def _nesting(text: str) -> int:
    """How deep brackets nest, outside strings (an upper bound is enough: it refuses early)."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > MAX_DEPTH:
                    break
        elif char in "]}":
            depth -= 1
    return deepest


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _bare_host(host: str) -> str:
    """A Host header's name without its port or brackets, lower-cased."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:].partition("]")[0]
    name, sep, port = host.rpartition(":")
    if sep and port.isdigit() and ":" not in name:
        return name
    return host.rstrip(".")


def _is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _own_origins(host: str) -> set[str]:
    host = host.strip().lower()
    return {f"http://{host}", f"https://{host}"}


# -- binding beyond loopback (called by ``cloudmock server``)


def is_loopback_bind(address: str) -> bool:
    """Whether a bind address reaches only this machine."""
    return _is_loopback(_bare_host(address))


def guard_exposed_bind(address: str, config: Config, out: TextIO | None = None) -> None:
    """Before serving on a non-loopback ``address``: warn what anyone who reaches the
    port gets, require a control token (generating and printing one if none was given),
    and let the control endpoints answer to the bound address itself."""
    if is_loopback_bind(address):
        return
    out = out or sys.stderr
    generated = config.control_token is None
    if generated:
        config.control_token = secrets.token_urlsafe(24)
    bare = _bare_host(address)
    if bare not in ("0.0.0.0", "::", "") and bare not in config.server_names:
        config.server_names.append(bare)
    checked = "checked" if config.verify_signatures else "NOT checked (--verify-signatures)"
    print(
        f"WARNING: cloudmock is bound to {address}, beyond this machine. Whoever reaches the "
        f"port can use every account's resources (signatures are {checked}); the control "
        "endpoints (/_cloudmock/state: every account's state, /_cloudmock/reset, "
        "/_cloudmock/clock) need the control token.",
        file=out,
        flush=True,
    )
    if generated:
        print(f"cloudmock control token: {config.control_token}", file=out, flush=True)
