"""``mock_aws`` / ``mock_ec2``: decorator, context manager, or start()/stop() object.

Every started mock shares one in-process State.  The outermost start resets
it and installs the transports; nested mocks only widen the set of enabled
services; the outermost stop removes the transports and restores the
environment.
"""

from __future__ import annotations

import functools
import inspect
import os
import threading
import unittest
from collections.abc import Callable, Collection
from dataclasses import replace
from typing import Any, TypeVar, overload

from cloudmock.core.clock import Clock
from cloudmock.core.config import Config
from cloudmock.core.dispatcher import Dispatcher
from cloudmock.core.registry import default_registry
from cloudmock.core.state import State
from cloudmock.core.transports.boto2 import Boto2Patch
from cloudmock.core.transports.botocore import BotocorePatch
from cloudmock.core.transports.http_client import HttpClientPatch
from cloudmock.core.transports.requests import RequestsPatch
from cloudmock.core.transports.urllib3 import Urllib3Patch

T = TypeVar("T")
#: what the bare decorators (``@mock_aws``, as moto spells them) decorate: a function or a class
F = TypeVar("F", bound=Callable[..., Any])

FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    # endpoint_url from AWS_ENDPOINT_URL* or a profile would steer clients past the mock
    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true",
}
_HIDDEN_ENV = ("AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN")

_lock = threading.RLock()
_active: list[MockAWS] = []
_state = State()
_dispatcher = Dispatcher(default_registry(), _state, services=())
# botocore and requests are answered at their own entry points (cheaper, and first);
# everything else that reaches AWS through http.client / urllib3 below them.
_botocore = BotocorePatch()
_requests = RequestsPatch()
_http_client = HttpClientPatch()
_urllib3 = Urllib3Patch(_http_client)
_boto2 = Boto2Patch()
_saved_env: dict[str, str | None] = {}


def _attached_dir() -> str | None:
    durable = _state.durable
    return None if durable is None else os.fspath(durable.path.parent)


def _same_dir(state_dir: str) -> bool:
    attached = _attached_dir()
    return attached is not None and os.path.realpath(attached) == os.path.realpath(state_dir)


def current_state() -> State:
    """The State that started mocks answer from."""
    return _state


class MockAWS:
    """Answers AWS calls in this process while started.

    ``services``: the service names it answers (None: every installed plugin).
    ``seed`` makes generated ids reproducible; ``options`` are per-service
    settings, e.g. ``{"ec2": {"instance_limit": 50, "transition_delay": 5}}``.
    ``state_dir`` keeps the state in a directory (SQLite, as ``cloudmock server
    --state-dir``): the outermost start restores what it holds, every request that
    changes something is written before it is answered, and stop closes it.
    """

    def __init__(
        self,
        services: Collection[str] | str | None = None,
        *,
        seed: int | None = None,
        options: dict[str, dict[str, Any]] | None = None,
        config: Config | None = None,
        state_dir: str | os.PathLike[str] | None = None,
    ) -> None:
        if isinstance(services, str):
            services = (services,)
        self.services = None if services is None else frozenset(services)
        self.seed = seed
        self.options = options or {}
        self.config = config
        self.state_dir = None if state_dir is None else os.fspath(state_dir)
        registry = default_registry()
        for service in self.services or ():
            if registry.get(service) is None:
                raise ValueError(
                    f"no installed plugin mocks {service!r} (installed: {', '.join(registry.names())})"
                )
        for service, raw in self.options.items():
            plugin = registry.get(service)
            if plugin is None:
                raise ValueError(f"options given for {service!r}, which no installed plugin mocks")
            plugin.check_options(raw)

    def _settings(self) -> Config:
        """The Config this mock asks for (never the caller's object: it is copied)."""
        base = self.config or Config.from_env()
        return replace(
            base,
            seed=self.seed if self.seed is not None else base.seed,
            access_keys=dict(base.access_keys),
            services={**base.services, **self.options},
        )

    def _asks_for_settings(self) -> bool:
        return self.seed is not None or bool(self.options) or self.config is not None

    # -- the three ways in

    def start(self) -> None:
        with _lock:
            if not _active:
                _state.reset(self._settings())
                if self.state_dir is not None:
                    _state.attach(self.state_dir)  # restores what the directory holds
                _install()
            elif self.state_dir is not None and not _same_dir(self.state_dir):
                raise ValueError(
                    "this mock's state_dir differs from that of the mock already running; "
                    "give it to the outermost mock"
                )
            elif self._asks_for_settings():
                wanted, active = self._settings(), _state.config
                if wanted.seed != active.seed or any(
                    active.services.get(name, {}) != raw for name, raw in self.options.items()
                ):
                    # Settings only apply to the outermost mock: say so instead of ignoring them.
                    raise ValueError(
                        "this mock's seed/options differ from those of the mock already "
                        "running; give them to the outermost mock"
                    )
            _active.append(self)
            _dispatcher.services = _enabled_services()

    def stop(self) -> None:
        with _lock:
            if self not in _active:
                return
            # remove the latest start of this object
            del _active[len(_active) - 1 - _active[::-1].index(self)]
            if _active:
                _dispatcher.services = _enabled_services()
            else:
                _uninstall()
                _state.detach()  # the directory keeps what was written; memory moves on

    def __enter__(self) -> MockAWS:
        self.start()
        return self

    def __repr__(self) -> str:
        services = "all services" if self.services is None else ", ".join(sorted(self.services))
        return f"<MockAWS {services}{' (started)' if self in _active else ''}>"

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __call__(self, target: T) -> T:
        if isinstance(target, type):
            return self._decorate_class(target)  # type: ignore[return-value]
        return self._decorate_function(target)  # type: ignore[arg-type,return-value]

    # -- what tests reach for while it runs

    @property
    def state(self) -> State:
        return _state

    @property
    def clock(self) -> Clock:
        return _state.clock

    def reset(self) -> None:
        """Forget every resource, keeping the mock running."""
        _state.reset()

    # -- decorating

    def _decorate_function(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        if inspect.iscoroutinefunction(fn):

            @functools.wraps(fn)
            async def run_async(*args: Any, **kwargs: Any) -> Any:
                with self:
                    return await fn(*args, **kwargs)

            return run_async

        if inspect.isgeneratorfunction(fn):

            @functools.wraps(fn)
            def run_generator(*args: Any, **kwargs: Any) -> Any:
                with self:  # active for as long as the generator runs
                    return (yield from fn(*args, **kwargs))

            return run_generator

        @functools.wraps(fn)
        def run(*args: Any, **kwargs: Any) -> Any:
            with self:
                return fn(*args, **kwargs)

        return run

    def _decorate_class(self, cls: type) -> type:
        """Every test of the class (inherited ones too) runs inside the mock, fresh per test.

        A class-level set-up the class defines (unittest's ``setUpClass``, pytest's
        ``setup_class``) also runs inside it; the mock then stays open until the
        class-level tear-down, so what that set-up made is there for every test.
        """
        if issubclass(cls, unittest.TestCase):
            # setUp, the test and tearDown run inside one mock
            cls.run = self._decorate_function(cls.run)  # type: ignore[method-assign]
            self._hold_open(cls, "setUpClass", "tearDownClass", unittest.TestCase)
            return cls
        self._hold_open(cls, "setup_class", "teardown_class", object)
        setup = getattr(cls, "setup_method", None)
        teardown = getattr(cls, "teardown_method", None)
        if setup is not None or teardown is not None:
            mock = self

            def setup_method(instance: Any, method: Any) -> None:
                mock.start()
                try:
                    if setup is not None:
                        setup(instance, method)
                except BaseException:
                    mock.stop()
                    raise

            def teardown_method(instance: Any, method: Any) -> None:
                try:
                    if teardown is not None:
                        teardown(instance, method)
                finally:
                    mock.stop()

            cls.setup_method = setup_method  # type: ignore[attr-defined]
            cls.teardown_method = teardown_method  # type: ignore[attr-defined]
            return cls
        for name in dir(cls):
            if not name.startswith("test"):
                continue
            raw = inspect.getattr_static(cls, name)
            if isinstance(raw, staticmethod):
                setattr(cls, name, staticmethod(self._decorate_function(raw.__func__)))
            elif isinstance(raw, classmethod):
                setattr(cls, name, classmethod(self._decorate_function(raw.__func__)))
            elif callable(raw):
                setattr(cls, name, self._decorate_function(raw))
        return cls

    def _hold_open(self, cls: type, setup_name: str, teardown_name: str, base: type) -> None:
        """Run a class-level set-up the class defines inside the mock, and keep it open."""
        setup = inspect.getattr_static(cls, setup_name, None)
        if setup is None or setup is inspect.getattr_static(base, setup_name, None):
            return
        teardown = inspect.getattr_static(cls, teardown_name, None)
        mock = self

        def call(raw: Any, klass: type) -> None:
            if isinstance(raw, staticmethod):
                raw.__func__()
            elif isinstance(raw, classmethod):
                raw.__func__(klass)
            elif raw is not None:  # pytest also takes a plain function here
                raw(klass)

        def class_setup(klass: type) -> None:
            mock.start()
            try:
                call(setup, klass)
            except BaseException:
                mock.stop()
                raise

        def class_teardown(klass: type) -> None:
            try:
                call(teardown, klass)
            finally:
                mock.stop()

        setattr(cls, setup_name, classmethod(class_setup))
        setattr(cls, teardown_name, classmethod(class_teardown))


def _enabled_services() -> set[str] | None:
    enabled: set[str] = set()
    for mock in _active:
        if mock.services is None:
            return None
        enabled |= mock.services
    return enabled


def _install() -> None:
    _saved_env.clear()
    for key in (*FAKE_CREDENTIALS, *_HIDDEN_ENV):
        _saved_env[key] = os.environ.get(key)
    os.environ.update(FAKE_CREDENTIALS)
    for key in _HIDDEN_ENV:
        os.environ.pop(key, None)
    _botocore.start(_dispatcher.handle)
    _requests.start(_dispatcher.handle)
    _http_client.start(_dispatcher.handle)
    _urllib3.start()
    _boto2.start()


def _uninstall() -> None:
    _boto2.stop()
    _urllib3.stop()
    _http_client.stop()
    _requests.stop()
    _botocore.stop()
    for key, value in _saved_env.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    _saved_env.clear()


@overload
def mock_aws(target: F, /) -> F: ...


@overload
def mock_aws(
    *,
    seed: int | None = None,
    options: dict[str, dict[str, Any]] | None = None,
    state_dir: str | os.PathLike[str] | None = None,
) -> MockAWS: ...


def mock_aws(
    target: Callable[..., Any] | None = None,
    /,
    *,
    seed: int | None = None,
    options: dict[str, dict[str, Any]] | None = None,
    state_dir: str | os.PathLike[str] | None = None,
) -> Any:
    """Mock every installed service.

    ``mock_aws()`` is a mock to use as a decorator, a context manager or with
    ``start()``/``stop()``; bare, ``@mock_aws`` decorates a function or class at once.
    ``state_dir`` keeps the state on disk between runs (see :class:`MockAWS`).
    """
    mock = MockAWS(None, seed=seed, options=options, state_dir=state_dir)
    return _bare(mock, target, "mock_aws")


@overload
def mock_ec2(target: F, /) -> F: ...


@overload
def mock_ec2(
    *, seed: int | None = None, state_dir: str | os.PathLike[str] | None = None, **ec2_options: Any
) -> MockAWS: ...


def mock_ec2(
    target: Callable[..., Any] | None = None,
    /,
    *,
    seed: int | None = None,
    state_dir: str | os.PathLike[str] | None = None,
    **ec2_options: Any,
) -> Any:
    """Mock EC2 only; ``ec2_options`` e.g. ``instance_limit=50, transition_delay=5``.

    Like :func:`mock_aws`, it may decorate bare: ``@mock_ec2``.
    """
    options = {"ec2": ec2_options} if ec2_options else None
    mock = MockAWS({"ec2"}, seed=seed, options=options, state_dir=state_dir)
    return _bare(mock, target, "mock_ec2")


def _bare(mock: MockAWS, target: Callable[..., Any] | None, name: str) -> Any:
    """The mock, or ``target`` decorated with it when the factory was used bare."""
    if target is None:
        return mock
    if not callable(target):
        raise TypeError(
            f"{name}() takes a function or class to decorate (@{name}), or keyword "
            f"settings ({name}(seed=42)); got {target!r}"
        )
    return mock(target)
