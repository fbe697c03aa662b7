"""Request -> Response: find the service, account, region and operation, run the codec
around the handler."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cloudmock.core.errors import (
    InternalError,
    InvalidAction,
    NotImplementedOperation,
    ServiceError,
    UnknownService,
)
from cloudmock.core.http import Request, Response, new_request_id
from cloudmock.core.identity import Identity, root_identity
from cloudmock.core.plugin import Params, RequestContext, Result, ServicePlugin
from cloudmock.core.protocols import Codec, codec_for
from cloudmock.core.protocols.services import guessed_protocol, model_of, service_for, stub_model
from cloudmock.core.registry import PluginLoadError, Registry
from cloudmock.core.state import State
from cloudmock.core.transports import is_aws_host

if TYPE_CHECKING:
    from botocore.model import OperationModel

log = logging.getLogger("cloudmock")

# Credential=AKID/20261123/eu-west-1/ec2/aws4_request
_SCOPE = re.compile(r"Credential=([^/,\s]+)/\d{8}/([^/]+)/([^/]+)/aws4_request")
_QUERY_SCOPE = re.compile(r"^([^/]+)/\d{8}/([^/]+)/([^/]+)/aws4_request$")
# The generic shape of AWS hosts: <service>.<region>.amazonaws.com and friends.
_GENERIC_HOST = re.compile(
    r"^(?P<service>[a-z0-9-]+)(?:\.(?P<region>[a-z]{2}(?:-gov)?-[a-z]+-\d))?"
    r"\.amazonaws\.com(?:\.cn)?(?::\d+)?$"
)
_AUTHLESS = re.compile(r"AWSAccessKeyId=([^&]+)")
# What a region name looks like in any partition: eu-west-1, us-gov-west-1, us-isob-east-1.
_REGION_NAME = re.compile(r"^[a-z]{2}(?:-[a-z]+)+-\d+$")

DEFAULT_REGION = "us-east-1"


@dataclass
class Target:
    service: str
    region: str | None
    access_key: str | None


def identify(request: Request) -> Target | None:
    """Service, region and access key from the SigV4 credential scope (header or query)."""
    auth = request.headers.get("authorization", "")
    found = _SCOPE.search(auth)
    if found:
        access_key, region, service = found.groups()
        return Target(service, region, access_key)
    credential = request.headers.get("x-amz-credential") or dict(request.query_params).get(
        "X-Amz-Credential"
    )
    if credential:
        scoped = _QUERY_SCOPE.match(credential)
        if scoped:
            return Target(scoped.group(3), scoped.group(2), scoped.group(1))
    return None


class Dispatcher:
    """Answers requests for the enabled services from ``state``.

    ``services`` limits which plugins answer (``mock_ec2`` enables only EC2);
    None enables every installed plugin.
    """

    def __init__(
        self, registry: Registry, state: State, services: Collection[str] | None = None
    ) -> None:
        self.registry = registry
        self.state = state
        self.services = set(services) if services is not None else None

    def enabled(self, name: str) -> bool:
        return self.services is None or name in self.services

    def _plugin_for(self, request: Request) -> tuple[ServicePlugin, str, str | None]:
        """The plugin, the region and the access key of a request, or an UnknownService error."""
        signed = _SCOPE.search(request.headers.get("authorization", ""))
        if signed is not None:  # the usual request, signed in its header: no Target made
            access_key, region, service = signed.groups()
            plugin = self._by_signing_name(service)
            if plugin is not None:
                return plugin, region, access_key
        return self._routed(request, identify(request))

    def _routed(
        self, request: Request, target: Target | None
    ) -> tuple[ServicePlugin, str, str | None]:
        """:meth:`_plugin_for` for a request its Authorization header does not route."""
        if target is not None:
            plugin = self._by_signing_name(target.service)
            if plugin is not None:
                return plugin, target.region or DEFAULT_REGION, target.access_key
        host = request.host.lower()
        # Without a scope (or with one made up from a non-AWS host name) these come
        # from the request itself: the key from AWSAccessKeyId, the region defaulted.
        access_key: str | None = None
        region: str | None = None
        if target is not None and _scope_made_up_from(host, target):
            # boto 2 signs for 127.0.0.1 as service "127" in region "0": that names no
            # service, so route as if unsigned. The key still counts, and the region
            # only if it is one ("0" must not become a backend).
            access_key = target.access_key
            region = target.region if _REGION_NAME.match(target.region or "") else None
            target = None
        wanted = target.service if target is not None else None
        for plugin in self.registry.loaded():
            if not self.enabled(plugin.name):
                continue
            found = plugin.match_host(host)
            if found:
                groups = found.groupdict()
                region = (target.region if target else None) or groups.get("region") or region
                access_key = (
                    target.access_key if target else access_key or _legacy_access_key(request)
                )
                return plugin, region or DEFAULT_REGION, access_key
        if wanted is None:
            generic = _GENERIC_HOST.match(host)
            wanted = generic.group("service") if generic else None
        if wanted is None and not is_aws_host(host):
            # An unsigned request to the server (curl, a test harness): the Action (or
            # the X-Amz-Target) names it.
            plugin = self._by_operation(request)
            if plugin is not None:
                return (
                    plugin,
                    region or DEFAULT_REGION,
                    access_key or _legacy_access_key(request),
                )
            action = request.form.get("Action")
            if action:
                raise InvalidAction(action)
            raise ServiceError(
                "The request must contain the parameter Action (it carries no SigV4 credential "
                f"scope and host {host!r} names no AWS service).",
                code="MissingAction",
            )
        if wanted is None:
            raise UnknownService(
                f"cloudmock could not tell which AWS service this request is for "
                f"(host {host!r}, no SigV4 credential scope)."
            )
        return self._unknown(wanted)

    def _by_operation(self, request: Request) -> ServicePlugin | None:
        """The enabled plugin whose model has the request's Action, or its X-Amz-Target."""
        action = request.form.get("Action")
        prefix, _, operation = request.headers.get("x-amz-target", "").rpartition(".")
        if not action and not (prefix and operation):
            return None
        for plugin in self.registry.loaded():
            if not self.enabled(plugin.name):
                continue
            model = plugin.service_model
            if action:
                if action in model.operation_names:
                    return plugin
            elif model.metadata.get("targetPrefix") == prefix and operation in (
                model.operation_names
            ):
                return plugin
        return None

    def _by_signing_name(self, name: str) -> ServicePlugin | None:
        try:
            plugin = self.registry.get(name)
        except PluginLoadError as failure:
            raise UnknownService(str(failure)) from failure
        if plugin is None:
            for candidate in self.registry.loaded():
                if name in candidate.all_signing_names:
                    plugin = candidate
                    break
        if plugin is None:
            return None
        services = self.services  # enabled(), inline: every signed request asks
        if services is not None and plugin.name not in services:
            self._unknown(plugin.name)
        return plugin

    def _unknown(self, service: str) -> tuple[ServicePlugin, str, str | None]:
        enabled = sorted(self.services) if self.services is not None else self.registry.names()
        raise UnknownService(
            f"cloudmock does not mock the AWS service {service!r} here "
            f"(enabled: {', '.join(enabled) or 'none'}). The request was not sent to AWS.",
            service=service,
        )

    def refuse(
        self, request: Request, error: ServiceError, request_id: str | None = None
    ) -> Response:
        """An error for a request no plugin answers, in the protocol of the service it is
        for when botocore knows that service (so every SDK parses it), else in the
        protocol the request itself looks like."""
        request_id = request_id or new_request_id()
        hint = getattr(error, "service", None)
        if hint is None:
            target = identify(request)
            if target is not None:
                hint = target.service
            else:
                generic = _GENERIC_HOST.match(request.host.lower())
                hint = generic.group("service") if generic else None
        service = service_for(request, hint)
        model = model_of(service) if service else None
        try:
            codec = codec_for(
                model if model is not None else stub_model(guessed_protocol(request)), request
            )
        except Exception:  # a model whose protocol has no codec: the request's look decides
            codec = codec_for(stub_model(guessed_protocol(request)), request)
        return codec.serialize_error(error, request_id)

    def handle(self, request: Request) -> Response:
        request_id = new_request_id()
        try:
            plugin, region, access_key = self._plugin_for(request)
        except ServiceError as error:
            return self.refuse(request, error, request_id)
        try:
            codec = codec_for(plugin.service_model, request)
        except Exception as failure:  # no model, or a protocol we have no codec for
            log.exception("cloudmock: cannot answer requests for %s", plugin.name)
            refusal = UnknownService(
                f"cloudmock cannot answer {plugin.name} requests: {failure}", service=plugin.name
            )
            return self.refuse(request, refusal, request_id)
        try:
            if self.state.config.verify_signatures:  # opt-in: AWS's signature checks
                from cloudmock.core.signatures import verify_request  # only when asked

                verify_request(
                    request, plugin.service_model.metadata.get("protocol", ""), self.state
                )
            return self._run(plugin, codec, request, region, access_key, request_id)
        except ServiceError as error:
            return codec.serialize_error(error, request_id)
        except Exception:  # a bug of ours: say so the AWS way, and keep the traceback in the log
            log.exception("cloudmock: unhandled error while answering %s", request.url)
            return codec.serialize_error(
                InternalError("cloudmock hit an internal error; see its log."), request_id
            )

    def _run(
        self,
        plugin: ServicePlugin[Any],
        codec: Codec,
        request: Request,
        region: str,
        access_key: str | None,
        request_id: str,
    ) -> Response:
        name = codec.operation_name(request)
        handled = plugin.compiled.get(name)  # type: ignore[arg-type]  # None finds none
        if handled is not None:  # an operation answered before: its model is at hand
            operation = handled.model
            params = codec.parse(request, operation)
        else:
            if not name or name not in plugin.operation_names:
                raise codec.no_such_operation(name)
            operation = plugin.service_model.operation_model(name)
            params = codec.parse(request, operation)
            if plugin.operation(name) is None:
                raise NotImplementedOperation(plugin.name, name)
        identity = self.state.identity_for(access_key)
        validate: Callable[[Params], None] | None = None
        if codec.validation_code is not None:

            def validate(members: Params) -> None:
                codec.validate(members, operation)

        result = self.invoke(plugin, operation, params, identity, region, request_id, validate)
        return codec.serialize(result, operation, request_id)

    def invoke(
        self,
        plugin: ServicePlugin[Any],
        operation: OperationModel,
        params: Params,
        identity: Identity,
        region: str,
        request_id: str,
        validate: Callable[[Params], None] | None = None,
        *,
        logged: bool = False,
    ) -> Result:
        """Run a parsed request's handler on the caller's backend, under its lock
        (``validate``: the codec's constraint check, once the contract has accepted it;
        ``logged``: the state directory has taken the request into its log already)."""
        durable = self.state.durable
        if durable is not None and not logged:  # a state directory: the request is logged
            return durable.invoke(
                self, plugin, operation, params, identity, region, request_id, validate
            )
        # the slot and context are made here rather than by a helper of their own: one
        # call more cost about 1,200 instructions a request (DescribeRegions is ~150,000)
        slot = self.state.slot(plugin, identity.account_id, region)
        ctx = RequestContext(
            service=plugin.name,
            operation=operation.name,
            account_id=identity.account_id,
            region=plugin.global_region or region,
            request_id=request_id,
            backend=slot.backend,
            operation_model=operation,
            identity=identity,
            services=_Calls(self, identity, region, request_id),
        )
        with slot.lock:
            return plugin.invoke(ctx, params, validate)


@dataclass
class _Calls:
    """``ctx.services``: another service's operation, run for the same caller in-process."""

    dispatcher: Dispatcher
    identity: Identity
    region: str
    request_id: str

    def call(
        self,
        service: str,
        operation: str,
        params: Params,
        *,
        region: str | None = None,
        account: str | None = None,
    ) -> Result:
        plugin = self.dispatcher.registry.get(service)
        if plugin is None or plugin.operation(operation) is None:
            raise NotImplementedOperation(service, operation)
        model = plugin.service_model.operation_model(operation)
        identity = self.identity
        if account is not None and account != identity.account_id:
            identity = root_identity(account)
        return self.dispatcher.invoke(
            plugin, model, dict(params), identity, region or self.region, self.request_id
        )


def _scope_made_up_from(host: str, target: Target) -> bool:
    """Whether a client derived the scope's service from a non-AWS host name, as boto 2
    does (the host's first label: ``127`` for 127.0.0.1, ``localhost``)."""
    name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    return target.service == name.split(".", 1)[0] and not is_aws_host(host)


def _legacy_access_key(request: Request) -> str | None:
    """``AWSAccessKeyId`` of an unsigned or SigV2-style request, from its body or URL."""
    found = _AUTHLESS.search(f"{request.body.decode('latin-1')}&{request.url}")
    return found.group(1) if found else None
