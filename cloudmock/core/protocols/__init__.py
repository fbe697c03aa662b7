"""One codec per wire protocol, each driven by botocore's service model."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from cloudmock.core.protocols.base import Codec

if TYPE_CHECKING:
    from botocore.model import ServiceModel

_codecs: dict[int, Codec] = {}
_lock = threading.Lock()


def codec_for(service_model: ServiceModel) -> Codec:
    """The codec for a service, built once per model (its plans are cached inside)."""
    key = id(service_model)
    codec = _codecs.get(key)
    if codec is not None:
        return codec
    with _lock:
        codec = _codecs.get(key)
        if codec is None:
            codec = _build(service_model)
            _codecs[key] = codec
    return codec


def _build(service_model: ServiceModel) -> Codec:
    protocols = service_model.metadata.get("protocols") or [service_model.protocol]
    if "ec2" in protocols:
        from cloudmock.core.protocols.ec2 import Ec2Codec

        return Ec2Codec(service_model)
    raise NotImplementedError(
        f"cloudmock has no codec yet for the {'/'.join(protocols)} protocol "
        f"of {service_model.service_name}"
    )


__all__ = ["Codec", "codec_for"]
