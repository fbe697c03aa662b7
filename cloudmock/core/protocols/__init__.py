"""One codec per wire protocol, each driven by botocore's service model.

Codecs are looked up in :data:`CODECS` by the protocol's name in the model.  A
service whose metadata lists several ``protocols`` is answered in the one the
client speaks (:func:`spoken_protocol`).
"""

from __future__ import annotations

import importlib
import threading
from typing import TYPE_CHECKING

from cloudmock.core.protocols.base import Codec

if TYPE_CHECKING:
    from botocore.model import ServiceModel

    from cloudmock.core.http import Request

#: protocol name -> "module:class" of its codec (imported on first use)
CODECS: dict[str, str] = {
    "ec2": "cloudmock.core.protocols.ec2:Ec2Codec",
    "query": "cloudmock.core.protocols.query:QueryCodec",
    "json": "cloudmock.core.protocols.jsonrpc:JsonCodec",
    "rest-json": "cloudmock.core.protocols.restjson:RestJsonCodec",
    "rest-xml": "cloudmock.core.protocols.restxml:RestXmlCodec",
    "smithy-rpc-v2-cbor": "cloudmock.core.protocols.rpcv2:CborCodec",
}

_codecs: dict[tuple[int, str], Codec] = {}
_single: dict[int, Codec] = {}
_lock = threading.Lock()


def protocols_of(service_model: ServiceModel) -> list[str]:
    return list(service_model.metadata.get("protocols") or [service_model.protocol])


def spoken_protocol(request: Request | None, offered: list[str]) -> str:
    """Which of a service's protocols a request is in (the model's first if it cannot tell)."""
    if request is not None and len(offered) > 1:
        headers = request.headers
        if "smithy-protocol" in headers or request.path.startswith("/service/"):
            spoken = "smithy-rpc-v2-cbor"
        elif "x-amz-target" in headers or "json" in headers.get("content-type", ""):
            spoken = "json"
        elif request.form.get("Action"):
            spoken = "query"
        else:
            spoken = offered[0]
        if spoken in offered:
            return spoken
    return offered[0]


def codec_for(service_model: ServiceModel, request: Request | None = None) -> Codec:
    """The codec for a service (in the protocol ``request`` speaks), built once per model
    and protocol; its plans are cached inside."""
    single = _single.get(id(service_model))
    if single is not None:  # the hot path: a service with one protocol
        return single
    offered = protocols_of(service_model)
    protocol = spoken_protocol(request, offered)
    key = (id(service_model), protocol)
    codec = _codecs.get(key)
    if codec is not None:
        return codec
    with _lock:
        codec = _codecs.get(key)
        if codec is None:
            codec = codec_class(protocol, service_model.service_name)(service_model)
            _codecs[key] = codec
            if len(offered) == 1:
                _single[id(service_model)] = codec
    return codec


def codec_class(protocol: str, service: str = "?") -> type:
    path = CODECS.get(protocol)
    if path is None:
        raise NotImplementedError(
            f"cloudmock has no codec for the {protocol} protocol of {service}"
        )
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)  # type: ignore[no-any-return]


__all__ = ["CODECS", "Codec", "codec_for", "spoken_protocol"]
