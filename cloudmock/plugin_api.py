"""Everything a service plugin is written against, in one stable place.

A plugin distribution imports from here only; what lives under
``cloudmock.core`` may move between releases, this module's names will not::

    from cloudmock.plugin_api import RequestContext, ServiceError, ServicePlugin, operation
"""

from __future__ import annotations

from cloudmock.core.catalog import audit, untaken
from cloudmock.core.contract import ContractError
from cloudmock.core.errors import (
    InvalidParameterCombination,
    InvalidParameterValue,
    MissingParameter,
    ServiceError,
    UnsupportedParameter,
)
from cloudmock.core.frozen import Frozen
from cloudmock.core.identity import Identity
from cloudmock.core.plugin import (
    BackendEnv,
    Call,
    Params,
    RequestContext,
    Result,
    ServicePlugin,
    Services,
    modules_in,
    operation,
)
from cloudmock.core.state import unrepeatable

__all__ = [
    "BackendEnv",
    "Call",
    "ContractError",
    "Frozen",
    "Identity",
    "InvalidParameterCombination",
    "InvalidParameterValue",
    "MissingParameter",
    "Params",
    "RequestContext",
    "Result",
    "ServiceError",
    "ServicePlugin",
    "Services",
    "UnsupportedParameter",
    "audit",
    "modules_in",
    "operation",
    "unrepeatable",
    "untaken",
]
