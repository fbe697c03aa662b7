"""The contract a service plugin fulfils.

A plugin is one :class:`ServicePlugin` object, exposed through the
``cloudmock.services`` entry-point group.  Creating it must be cheap: its hooks
are plain callables that import the botocore model, the handler modules and
the backend class only when the first request for the service arrives.
"""

from __future__ import annotations

import importlib
import pkgutil
import random
import re
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from cloudmock.core.contract import Contract, ShapeNamespace, compile_contract
from cloudmock.core.errors import ServiceError, UnsupportedParameter
from cloudmock.core.identity import Identities, Identity

if TYPE_CHECKING:
    from botocore.model import OperationModel, ServiceModel

    from cloudmock.core.clock import Clock

B = TypeVar("B")
F = TypeVar("F", bound=Callable[..., Any])

#: request members by the model's member names, as the codec parsed them
Params = dict[str, Any]
#: what a handler returns: the output shape's members by name (a generated TypedDict), or None
Result = Mapping[str, Any] | None


class Services(Protocol):
    """How one service asks another: by operation name and members, as a client would."""

    def call(
        self,
        service: str,
        operation: str,
        params: Params,
        *,
        region: str | None = None,
        account: str | None = None,
    ) -> Result:
        """Run ``operation`` of ``service`` for the same caller; its errors propagate.

        ``account``: run it in another account instead, as that account's root (how a
        service looks at a resource it was named by ARN, e.g. STS at a role to assume).
        """
        ...


@dataclass
class RequestContext(Generic[B]):
    """What a handler knows about the request besides its members."""

    service: str
    operation: str
    account_id: str
    region: str
    request_id: str
    backend: B
    operation_model: OperationModel
    #: who signed the request (the account's root unless credentials were issued)
    identity: Identity
    #: the other services, for cross-service rules (never their internals)
    services: Services


#: runs the handler with the members it takes
Call = Callable[[Params], Result]
#: wraps every handler call of a service (EC2 uses it for DryRun and its clock)
Invoker = Callable[[RequestContext[B], Call, Params], Result]


def operation(name: str, **options: Any) -> Callable[[F], F]:
    """Mark ``fn(ctx, *, Member=..., ...)`` as the handler of the model operation ``name``.

    Its keyword-only parameters are the members it handles (see
    :mod:`cloudmock.core.contract`). ``options`` carry what a service's own
    machinery reads (EC2: ``filters``, the describe filters the handler answers).
    """

    def mark(fn: F) -> F:
        fn.__cloudmock_operation__ = name  # type: ignore[attr-defined]
        fn.__cloudmock_options__ = options  # type: ignore[attr-defined]
        return fn

    return mark


def handler_options(handler: Callable[..., Any]) -> dict[str, Any]:
    return getattr(handler, "__cloudmock_options__", {})


def modules_in(package: ModuleType) -> list[ModuleType]:
    """Every module of ``package``: a handler module is registered by existing."""
    return [
        importlib.import_module(f"{package.__name__}.{info.name}")
        for info in pkgutil.iter_modules(package.__path__)
    ]


@dataclass
class BackendEnv:
    """What a backend factory is given: who it is for and the shared services."""

    account_id: str
    region: str
    options: dict[str, Any]
    clock: Clock
    rng: random.Random
    #: issuing temporary credentials and looking up access keys (shared by every backend)
    identities: Identities
    #: one dict per service shared by all its backends (every account and region), for
    #: resources two of them see, such as a VPC peering connection across accounts;
    #: forgotten on reset like the backends
    shared: dict[str, Any] = field(default_factory=dict)


@dataclass
class Operation:
    """One handled operation: the handler and, once compiled, its contract."""

    name: str
    handler: Callable[..., Any]
    contract: Contract
    #: botocore's model of the operation
    model: OperationModel


@dataclass
class ServicePlugin(Generic[B]):
    #: botocore's service name (``ec2``); also the entry-point name
    name: str
    #: imports and returns the modules whose ``@operation`` functions are the handlers
    handler_modules: Callable[[], Iterable[ModuleType]]
    #: makes the backend of one (account, region)
    backend_factory: Callable[[BackendEnv], B]
    #: regexes matched against the request host; a ``region`` group names the region
    host_patterns: Sequence[str] = ()
    #: SigV4 signing names that belong to this service (defaults to ``name``)
    signing_names: Sequence[str] = ()
    #: wraps every handler call; default: call the handler
    invoker: Invoker[B] | None = None
    #: members the invoker handles for every operation that has them (EC2: ``DryRun``)
    common_members: frozenset[str] = frozenset()
    #: ``dump(backend) -> JSON-able``, for the state endpoint; default: no dump
    dumper: Callable[[B], Any] | None = None
    #: raises ValueError for service options it does not know; default: takes none
    options_checker: Callable[[dict[str, Any]], object] | None = None
    #: the error for a member the handler does not handle: ``refuse(operation, member)``
    refuse: Callable[[str, str], ServiceError] = UnsupportedParameter
    #: a folder laid out like botocore's data (``NAME/VERSION/service-2.json``) for a
    #: service botocore does not ship; default: botocore's own model for ``name``
    model_path: str | None = None
    #: for a global service (IAM): the one region whose backend answers every region
    global_region: str | None = None

    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    _model: ServiceModel | None = field(default=None, init=False, repr=False)
    _handlers: dict[str, Callable[..., Any]] | None = field(default=None, init=False, repr=False)
    #: the handled operations compiled so far (:meth:`operation` adds them), by name: the
    #: dispatcher's first look for every request
    compiled: dict[str, Operation] = field(default_factory=dict, init=False, repr=False)
    _shapes: ShapeNamespace | None = field(default=None, init=False, repr=False)
    _operation_names: frozenset[str] | None = field(default=None, init=False, repr=False)
    _compiled_hosts: list[re.Pattern[str]] | None = field(default=None, init=False, repr=False)

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
    def operation_names(self) -> frozenset[str]:
        """The model's operations (botocore keeps them as a list; every request asks)."""
        if self._operation_names is None:
            self._operation_names = frozenset(self.service_model.operation_names)
        return self._operation_names

    @property
    def service_model(self) -> ServiceModel:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = load_service_model(self.name, self.model_path)
        return self._model

    @property
    def handlers(self) -> Mapping[str, Callable[..., Any]]:
        """Handler functions by operation name (imports the handler modules once)."""
        if self._handlers is None:
            with self._lock:
                if self._handlers is None:
                    self._handlers = collect_handlers(self.handler_modules())
        return self._handlers

    def operation(self, name: str) -> Operation | None:
        """The handled operation ``name`` with its contract (compiled on first use), or None."""
        found = self.compiled.get(name)
        if found is not None:
            return found
        handler = self.handlers.get(name)
        if handler is None:
            return None
        model = self.service_model.operation_model(name)
        shape = model.input_shape
        members = shape.members if shape is not None else {}
        required = shape.required_members if shape is not None else ()
        contract = compile_contract(
            handler, name, members, required, self.common_members, self.shapes
        )
        found = self.compiled[name] = Operation(name, handler, contract, model)
        return found

    @property
    def shapes(self) -> ShapeNamespace:
        """The model's shape names, as handler annotations refer to them."""
        if self._shapes is None:
            self._shapes = ShapeNamespace(frozenset(self.service_model.shape_names))
        return self._shapes

    def create_backend(self, env: BackendEnv) -> B:
        return self.backend_factory(env)

    def invoke(
        self,
        ctx: RequestContext[B],
        params: Params,
        validate: Callable[[Params], None] | None = None,
    ) -> Result:
        """Refuse what the handler does not handle, ``validate`` the values it takes (the
        codec's constraint check), then run it (through the invoker)."""
        found = self.compiled.get(ctx.operation) or self.operation(ctx.operation)
        if found is None:
            raise KeyError(ctx.operation)
        contract, handler = found.contract, found.handler
        untaken = contract.untaken(params, self.common_members)
        if untaken is not None:
            raise self.refuse(ctx.operation, untaken)
        if validate is not None:
            validate(params)

        renamed = contract.renamed

        def call(members: Params) -> Result:
            result: Result = handler(ctx, **(contract.keywords(members) if renamed else members))
            return result

        if self.invoker is None:
            return call(params)
        return self.invoker(ctx, call, params)

    def check_options(self, raw: dict[str, Any]) -> None:
        """Raise ValueError for options the service does not know, before any request."""
        if self.options_checker is not None:
            self.options_checker(raw)
        elif raw:
            raise ValueError(f"the {self.name} plugin takes no options, got {sorted(raw)}")

    def dump(self, backend: B) -> Any:
        if self.dumper is None:
            return None
        return self.dumper(backend)


def collect_handlers(modules: Iterable[ModuleType]) -> dict[str, Callable[..., Any]]:
    found: dict[str, Callable[..., Any]] = {}
    for module in modules:
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


def loaded_model_count() -> int:
    """How many service models this process has loaded (it only grows)."""
    return len(_models)


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
