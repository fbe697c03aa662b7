"""The contract a service plugin fulfils.

A plugin is one :class:`ServicePlugin` object, exposed through the
``cloudmock.services`` entry-point group.  Creating it must be cheap: the
botocore model, the handler modules and the backend class are only imported
when the first request for the service arrives.
"""

from __future__ import annotations

import importlib
import random
import re
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from botocore.model import OperationModel, ServiceModel

    from cloudmock.core.clock import Clock

Params = dict[str, Any]
Result = dict[str, Any] | None


@dataclass
class RequestContext:
    """What a handler knows about the request besides its parameters."""

    service: str
    operation: str
    account_id: str
    region: str
    request_id: str
    backend: Any
    operation_model: OperationModel


Handler = Callable[[RequestContext, Params], Result]
#: wraps every handler call of a service (EC2 uses it for DryRun)
Invoker = Callable[[RequestContext, Handler, Params], Result]


def operation(name: str, **options: Any) -> Callable[[Handler], Handler]:
    """Mark a function as the handler of the model operation ``name``.

    ``options`` are read by the service's invoker (for EC2: ``unsupported``,
    the documented parameters cloudmock refuses rather than ignores).
    """

    def mark(fn: Handler) -> Handler:
        fn.__cloudmock_operation__ = name  # type: ignore[attr-defined]
        fn.__cloudmock_options__ = options  # type: ignore[attr-defined]
        return fn

    return mark


def handler_options(handler: Handler) -> dict[str, Any]:
    return getattr(handler, "__cloudmock_options__", {})


@dataclass
class BackendEnv:
    """What a backend factory is given: who it is for and the shared services."""

    account_id: str
    region: str
    options: dict[str, Any]
    clock: Clock
    rng: random.Random


def _import_attr(path: str) -> Any:
    module, _, attr = path.partition(":")
    obj = importlib.import_module(module)
    return getattr(obj, attr) if attr else obj


@dataclass
class ServicePlugin:
    #: botocore's service name (``ec2``); also the entry-point name
    name: str
    #: dotted module names whose ``@operation`` functions are the handlers
    handler_modules: Sequence[str]
    #: ``"module:attr"`` of ``factory(env: BackendEnv) -> backend``
    backend_factory: str
    #: regexes matched against the request host; a ``region`` group names the region
    host_patterns: Sequence[str] = ()
    #: SigV4 signing names that belong to this service (defaults to ``name``)
    signing_names: Sequence[str] = ()
    #: ``"module:attr"`` of an :data:`Invoker`; default calls the handler
    invoker: str | None = None
    #: ``"module:attr"`` of ``dump(backend) -> JSON-able``; default: no dump
    dumper: str | None = None
    #: ``"module:attr"`` of a class whose ``from_dict(raw)`` checks the service's options
    options: str | None = None
    #: a folder laid out like botocore's data (``NAME/VERSION/service-2.json``) for a
    #: service botocore does not ship; default: botocore's own model for ``name``
    model_path: str | None = None

    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    _model: ServiceModel | None = field(default=None, init=False, repr=False)
    _handlers: dict[str, Handler] | None = field(default=None, init=False, repr=False)
    _compiled_hosts: list[re.Pattern[str]] | None = field(default=None, init=False, repr=False)
    _factory: Callable[[BackendEnv], Any] | None = field(default=None, init=False, repr=False)
    _invoke: Invoker | None = field(default=None, init=False, repr=False)

    @property
    def all_signing_names(self) -> Sequence[str]:
        return self.signing_names or (self.name,)

    def match_host(self, host: str) -> re.Match[str] | None:
        if self._compiled_hosts is None:
            self._compiled_hosts = [re.compile(p) for p in self.host_patterns]
        for pattern in self._compiled_hosts:
            found = pattern.match(host)
            if found:
                return found
        return None

    @property
    def service_model(self) -> ServiceModel:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = load_service_model(self.name, self.model_path)
        return self._model

    @property
    def handlers(self) -> Mapping[str, Handler]:
        if self._handlers is None:
            with self._lock:
                if self._handlers is None:
                    self._handlers = collect_handlers(self.handler_modules)
        return self._handlers

    def create_backend(self, env: BackendEnv) -> Any:
        if self._factory is None:
            self._factory = _import_attr(self.backend_factory)
        return self._factory(env)  # type: ignore[misc]

    def invoke(self, ctx: RequestContext, handler: Handler, params: Params) -> Result:
        if self.invoker is None:
            return handler(ctx, params)
        if self._invoke is None:
            self._invoke = _import_attr(self.invoker)
        return self._invoke(ctx, handler, params)  # type: ignore[misc]

    def check_options(self, raw: dict[str, Any]) -> None:
        """Raise ValueError for options the service does not know, before any request."""
        if self.options is not None:
            _import_attr(self.options).from_dict(raw)
        elif raw:
            raise ValueError(f"the {self.name} plugin takes no options, got {sorted(raw)}")

    def dump(self, backend: Any) -> Any:
        if self.dumper is None:
            return None
        return _import_attr(self.dumper)(backend)


def collect_handlers(module_names: Sequence[str]) -> dict[str, Handler]:
    found: dict[str, Handler] = {}
    for module_name in module_names:
        module = importlib.import_module(module_name)
        for value in vars(module).values():
            name = getattr(value, "__cloudmock_operation__", None)
            if name is None:
                continue
            if name in found and found[name] is not value:
                raise RuntimeError(f"two handlers for {name}: {found[name]} and {value}")
            found[name] = value
    return found


_models: dict[tuple[str, str | None], ServiceModel] = {}
_models_lock = threading.Lock()


def load_service_model(service: str, extra_path: str | None = None) -> ServiceModel:
    """botocore's model for ``service`` (searching ``extra_path`` first), loaded once per process."""
    key = (service, extra_path)
    with _models_lock:
        model = _models.get(key)
        if model is None:
            from botocore.loaders import create_loader
            from botocore.model import ServiceModel

            loader = create_loader()
            if extra_path is not None:
                loader.search_paths.insert(0, extra_path)
            data = loader.load_service_model(service, "service-2")
            model = ServiceModel(data, service_name=service)
            _models[key] = model
        return model
