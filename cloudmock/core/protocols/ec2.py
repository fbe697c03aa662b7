"""The EC2 protocol: the query protocol with EC2's spellings.

Requests name members by ``queryName``, else capitalised ``locationName``; lists are
``Name.N`` with no ``member`` level.  Responses put the members straight under
``<OpResponse>`` next to ``<requestId>`` (``<return>true</return>`` when the
operation has no output), and errors are ``<Response><Errors><Error>`` with a
``<RequestID>``.  Everything else is the query codec's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from cloudmock.core.http import Response
from cloudmock.core.protocols.form import FormStyle
from cloudmock.core.protocols.query import QueryCodec, with_allow
from cloudmock.core.protocols.values import iso8601 as format_timestamp
from cloudmock.core.protocols.xmlout import XML_DECL

if TYPE_CHECKING:
    from botocore.model import OperationModel, ServiceModel, Shape

    from cloudmock.core.errors import ServiceError

_CONTENT_TYPE = {"Content-Type": "text/xml;charset=UTF-8", "Server": "AmazonEC2"}


class Ec2Style(FormStyle):
    map_key, map_value = "Key", "Value"
    bounded = True
    empty_list = False  # EC2 reads ``Name=`` as a one-element list, as it always has

    def member_name(self, name: str, member: Shape) -> str:
        serialization = member.serialization
        if "queryName" in serialization:
            return serialization["queryName"]
        location = serialization.get("name")
        if location:
            return location[0].upper() + location[1:]
        return name

    def list_item(self, shape: Shape) -> str | None:
        return None


class Ec2Codec(QueryCodec):
    protocol = "ec2"
    # EC2 words its own checks (InvalidParameterValue), made while parsing
    validation_code = None
    style = Ec2Style()
    item_tag = "item"
    # EC2 answers in the API version a client asks for, leaving out newer members; clients
    # that read its XML into flat objects by element name (boto 2) end an object at the first
    # </item> of a list they do not know. botocore's member order is not EC2's, so a
    # structure's long-standing scalars are written before any list that could end it early.
    plain_first = True

    def __init__(self, service_model: ServiceModel) -> None:
        super().__init__(service_model)
        self.namespace = service_model.metadata.get("xmlNamespace", "").rstrip("/") + "/"

    def serialize(
        self, result: Mapping[str, Any] | None, operation: OperationModel, request_id: str
    ) -> Response:
        root = f"{operation.name}Response"
        out = [
            XML_DECL,
            f'<{root} xmlns="{self.namespace}">',
            f"<requestId>{request_id}</requestId>",
        ]
        plan = self._plans(operation)[1]
        if plan is None:
            out.append("<return>true</return>")
        elif result:
            plan.write_members(result, out)
        out.append(f"</{root}>")
        return Response(200, "".join(out).encode("utf-8"), dict(_CONTENT_TYPE))

    def serialize_error(self, error: ServiceError, request_id: str) -> Response:
        body = (
            f"{XML_DECL}<Response><Errors><Error>{self._error_members(error)}</Error></Errors>"
            f"<RequestID>{request_id}</RequestID></Response>"
        )
        return with_allow(error, Response(error.status, body.encode("utf-8"), dict(_CONTENT_TYPE)))


__all__ = ["Ec2Codec", "format_timestamp"]
