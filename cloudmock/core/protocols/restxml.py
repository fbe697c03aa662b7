"""rest-xml (S3, Route 53, CloudFront): REST bindings with XML bodies.

Errors are ``<ErrorResponse><Error>...`` with a ``<RequestId>``, except S3's, which
are a bare ``<Error>`` with the request id in ``x-amz-request-id`` as S3 sends them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from xml.etree.ElementTree import Element, ParseError, fromstring

from cloudmock.core.protocols.base import sender_fault, xml_message
from cloudmock.core.protocols.faults import Faults
from cloudmock.core.protocols.rest import RestCodec
from cloudmock.core.protocols.xmlin import XmlInCompiler
from cloudmock.core.protocols.xmlout import XML_DECL, StructOut, XmlOutCompiler

if TYPE_CHECKING:
    from botocore.model import ServiceModel, Shape

    from cloudmock.core.errors import ServiceError
    from cloudmock.core.http import Response


class RestXmlCodec(RestCodec):
    protocol = "rest-xml"
    # S3 and the other rest-xml services word constraint errors each their own way
    validation_code = None
    faults = Faults(malformed="MalformedXML", invalid="InvalidArgument")
    content_type = "application/xml"

    def __init__(self, service_model: ServiceModel) -> None:
        super().__init__(service_model)
        self._in = XmlInCompiler(self.faults)
        self._out = XmlOutCompiler()
        #: S3 answers errors as a bare <Error>, request id in a header
        self.s3_style = service_model.metadata.get("endpointPrefix") == "s3"

    def response_headers(self, request_id: str) -> dict[str, str]:
        if self.s3_style:
            return {"x-amz-request-id": request_id}
        return {"x-amzn-RequestId": request_id}

    def read_body(self, body: bytes, shape: Shape, path: str) -> Any:
        if body.strip():
            try:
                root = fromstring(body)
            except ParseError as failure:
                raise self.faults.unreadable(f"not well-formed XML ({failure})") from None
        else:
            root = Element("empty")
        return self._in.plan(shape).parse(root, path)

    def write_body(self, value: Any, shape: Shape, root: bool) -> bytes:
        tag = shape.serialization.get("name", shape.name)
        out = [XML_DECL]
        self._out.plan(shape).write(tag, value, out)
        return "".join(out).encode("utf-8")

    def write_error_body(
        self,
        response: Response,
        error: ServiceError,
        shape: Shape | None,
        fields: dict[str, Any],
        request_id: str,
    ) -> None:
        parts = [
            f"<Code>{xml_message(error.code)}</Code>",
            f"<Message>{xml_message(error.message)}</Message>",
        ]
        if shape is not None and fields:
            plan = self._out.plan(shape)
            assert isinstance(plan, StructOut)
            plan.write_members(
                {k: v for k, v in fields.items() if k not in ("Code", "Message", "Type")}, parts
            )
        members = "".join(parts)
        if self.s3_style:
            body = f"{XML_DECL}<Error>{members}<RequestId>{request_id}</RequestId></Error>"
        else:
            fault = "Sender" if sender_fault(error, shape) else "Receiver"
            body = (
                f"{XML_DECL}<ErrorResponse><Error><Type>{fault}</Type>{members}</Error>"
                f"<RequestId>{request_id}</RequestId></ErrorResponse>"
            )
        response.body = body.encode("utf-8")
        response.headers["Content-Type"] = self.content_type
