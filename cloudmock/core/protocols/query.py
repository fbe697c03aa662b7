"""The query protocol (IAM, STS, SNS, CloudFormation ...): form-encoded requests
naming an ``Action``, XML responses in ``<OpResponse><OpResult>`` with
``<ResponseMetadata>``, and ``<ErrorResponse>`` errors.  EC2's protocol is a small
variant of this one (``protocols/ec2.py``).
"""

from __future__ import annotations

from collections.abc import Container, Mapping
from typing import TYPE_CHECKING, Any

from cloudmock.core.errors import (
    InvalidAction,
    InvalidParameterValue,
    MissingParameter,
    ServiceError,
    UnknownParameter,
)
from cloudmock.core.http import Response
from cloudmock.core.protocols.base import (
    Constrained,
    error_fields,
    error_shape,
    sender_fault,
    xml_message,
)
from cloudmock.core.protocols.form import FormCompiler, FormStyle, StructIn, tree
from cloudmock.core.protocols.xmlout import XML_DECL, StructOut, XmlOutCompiler

if TYPE_CHECKING:
    from botocore.model import OperationModel, ServiceModel

    from cloudmock.core.http import Request

_CONTENT_TYPE = "text/xml;charset=UTF-8"
#: the methods a query request may use; AWS refuses any other before reading the action
_METHODS = frozenset({"GET", "POST"})


class _AnyVersion:
    """The versions of a model that names none (a hand-made one): any is taken."""

    def __contains__(self, version: object) -> bool:
        return True


def api_versions(model: ServiceModel) -> Container[str | None]:
    """The ``Version`` values a service answers: every API version botocore has a model
    of for it (EC2 still answers boto 2's 2014-10-01), always including the model's own."""
    own = model.metadata.get("apiVersion")
    if not own:
        return _AnyVersion()
    versions = {own}
    try:
        from botocore.loaders import create_loader

        versions.update(create_loader().list_api_versions(model.service_name, "service-2"))
    except Exception:  # a service botocore has no data directory for (a plugin's own model)
        pass
    return frozenset(versions)


class MethodNotAllowed(ServiceError):
    """A query request by a method other than GET or POST (answered with ``Allow``)."""

    code = "MethodNotAllowed"
    status = 405


def with_allow(error: ServiceError, response: Response) -> Response:
    """HTTP asks a 405 to say which methods are allowed."""
    if isinstance(error, MethodNotAllowed):
        response.headers["Allow"] = ", ".join(sorted(_METHODS))
    return response


def _shown(text: str) -> str:
    """Input echoed in an error at a readable length, whatever its size."""
    return text if len(text) <= 64 else f"{text[:30]}...{text[-30:]}"


class QueryCodec(Constrained):
    protocol = "query"
    validation_code: str | None = "ValidationError"
    style = FormStyle()
    #: the element of a list item whose member shape names none
    item_tag = "member"
    #: write a structure's scalars before its lists and structures (see Ec2Codec)
    plain_first = False

    def __init__(self, service_model: ServiceModel) -> None:
        self.model = service_model
        namespace = service_model.metadata.get("xmlNamespace", "")
        self.namespace = namespace.rstrip("/") + "/" if namespace else ""
        self._form = FormCompiler(self.style)
        self._xml = XmlOutCompiler(self.item_tag, plain_first=self.plain_first)
        self._compiled: dict[str, tuple[StructIn | None, StructOut | None]] = {}
        self.versions = api_versions(service_model)
        # how AWS names the service when it refuses a version: AmazonEC2, IAM, AWSSTS
        abbreviation = service_model.metadata.get("serviceAbbreviation") or ""
        self.service_label = abbreviation.replace(" ", "") or str(service_model.service_name)

    # -- plans, compiled on an operation's first request

    def _plans(self, operation: OperationModel) -> tuple[StructIn | None, StructOut | None]:
        found = self._compiled.get(operation.name)  # the hot path: one dict hit
        if found is None:
            found = self._compiled[operation.name] = self._form.for_operation(
                operation, self._compile
            )
        return found

    def _compile(self, operation: OperationModel) -> tuple[StructIn | None, StructOut | None]:
        in_shape, out_shape = operation.input_shape, operation.output_shape
        # operation inputs and outputs are always structures in botocore's models
        plan_in = self._form.plan(in_shape) if in_shape is not None else None
        plan_out = self._xml.plan(out_shape) if out_shape is not None else None
        assert plan_in is None or isinstance(plan_in, StructIn)
        assert plan_out is None or isinstance(plan_out, StructOut)
        return plan_in, plan_out

    # -- the Codec protocol

    def operation_name(self, request: Request) -> str | None:
        """The ``Action``, once the request is one AWS reads at all: GET or POST, its
        parameters each given once, the service's ``Version`` (one test for all three on
        the hot path; :meth:`_refuse` tells them apart)."""
        form = request.form
        if (
            request.method not in _METHODS
            or request.repeated is not None
            or form.get("Version") not in self.versions
        ):
            self._refuse(request)
        return form.get("Action")

    def _refuse(self, request: Request) -> None:
        if request.method not in _METHODS:
            raise MethodNotAllowed(
                f"The HTTP method {_shown(request.method)} is not allowed: "
                f"{self.service_label} requests are GET or POST."
            )
        if request.repeated is not None:
            raise InvalidParameterValue(
                f"The parameter {_shown(request.repeated)} is given more than once; "
                "each parameter may appear once."
            )
        version = request.form.get("Version")
        if version not in self.versions:
            if version is None:
                raise MissingParameter("Version")
            raise ServiceError(
                f"The requested version ({_shown(version)}) of service {self.service_label} "
                "does not exist",
                code="NoSuchVersion",
            )

    def no_such_operation(self, name: str | None) -> ServiceError:
        if name:
            return InvalidAction(name)
        return ServiceError("The request must contain the parameter Action", code="MissingAction")

    def parse(self, request: Request, operation: OperationModel) -> dict[str, Any]:
        params = tree(request.form)
        plan = self._plans(operation)[0]
        if plan is None:
            if params:
                raise UnknownParameter(_shown(next(iter(params))))
            return {}
        return plan.parse(params, "")

    def serialize(
        self, result: Mapping[str, Any] | None, operation: OperationModel, request_id: str
    ) -> Response:
        root = f"{operation.name}Response"
        xmlns = f' xmlns="{self.namespace}"' if self.namespace else ""
        out = [XML_DECL, f"<{root}{xmlns}>"]
        plan = self._plans(operation)[1]
        if plan is not None:
            wrapper = operation.output_shape.serialization.get("resultWrapper")
            if wrapper:
                out.append(f"<{wrapper}>")
            if result:
                plan.write_members(result, out)
            if wrapper:
                out.append(f"</{wrapper}>")
        out.append(f"<ResponseMetadata><RequestId>{request_id}</RequestId></ResponseMetadata>")
        out.append(f"</{root}>")
        return Response(200, "".join(out).encode("utf-8"), self._headers(request_id))

    def serialize_error(self, error: ServiceError, request_id: str) -> Response:
        fault = "Sender" if sender_fault(error, error_shape(self.model, error)) else "Receiver"
        body = (
            f"{XML_DECL}<ErrorResponse{self._error_xmlns()}><Error><Type>{fault}</Type>"
            f"{self._error_members(error)}</Error>"
            f"<RequestId>{request_id}</RequestId></ErrorResponse>"
        )
        response = Response(error.status, body.encode("utf-8"), self._headers(request_id))
        return with_allow(error, response)

    # -- pieces the ec2 variant reuses

    def _headers(self, request_id: str) -> dict[str, str]:
        return {"Content-Type": _CONTENT_TYPE, "x-amzn-RequestId": request_id}

    def _error_xmlns(self) -> str:
        return f' xmlns="{self.namespace}"' if self.namespace else ""

    def _error_members(self, error: ServiceError) -> str:
        """``<Code>``, ``<Message>`` and the modeled members of the error's shape."""
        parts = [
            f"<Code>{xml_message(error.code)}</Code>",
            f"<Message>{xml_message(error.message)}</Message>",
        ]
        shape = error_shape(self.model, error)
        fields = error_fields(error, shape)
        if shape is not None and fields:
            plan = self._xml.plan(shape)
            assert isinstance(plan, StructOut)
            # Code and Message are written above; a member spelled the same, in any case
            # (IAM's modeled errors say ``message``), is not repeated
            plan.write_members(
                {k: v for k, v in fields.items() if k.lower() not in ("code", "message", "type")},
                parts,
            )
        return "".join(parts)
