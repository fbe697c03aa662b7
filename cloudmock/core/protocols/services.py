"""Which botocore service a request is for, when no plugin answers it: so that even a
refusal is written in that service's own protocol (and every SDK parses it).

The lookup reads ``service_index.json`` (made by ``scripts/gen_service_index.py``)
on first use and loads only the one model it needs.
"""

from __future__ import annotations

import json
import threading
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from botocore.model import ServiceModel

if TYPE_CHECKING:
    from cloudmock.core.http import Request

_INDEX = Path(__file__).with_name("service_index.json")
_lock = threading.Lock()
_index: dict[str, dict[str, str]] | None = None


def _lookup(kind: str, key: str) -> str | None:
    global _index
    if _index is None:
        with _lock:
            if _index is None:
                _index = json.loads(_INDEX.read_text())
    return _index.get(kind, {}).get(key)


def service_for(request: Request, hint: str | None = None) -> str | None:
    """botocore's name of the service a request is for (``hint``: a signing name or host part)."""
    if hint:
        found = _lookup("signing", hint) or _lookup("endpoint", hint)
        if found:
            return found
    target = request.headers.get("x-amz-target", "")
    if "." in target:
        return _lookup("target", target.rpartition(".")[0])
    return None


@lru_cache(maxsize=64)
def model_of(service: str) -> ServiceModel | None:
    from cloudmock.core.plugin import load_service_model

    try:
        return load_service_model(service)
    except Exception:  # the index and the installed botocore disagree
        return None


def guessed_protocol(request: Request) -> str:
    """The protocol of a request for no known service, from the request alone."""
    headers = request.headers
    if "smithy-protocol" in headers:
        return "smithy-rpc-v2-cbor"
    if "x-amz-target" in headers:
        return "json"
    if "json" in headers.get("content-type", ""):
        return "rest-json"
    return "query"


@lru_cache(maxsize=8)
def stub_model(protocol: str) -> ServiceModel:
    """A model with no operations: enough for a codec to write an error."""
    metadata = {
        "protocol": protocol,
        "protocols": [protocol],
        "apiVersion": "",
        "jsonVersion": "1.0",
    }
    return ServiceModel({"metadata": metadata, "operations": {}, "shapes": {}}, "unknown")
