"""Round trips through botocore, operation by operation.

* input: generated params -> botocore's serializer (plus what its client does
  around it: the host prefix and the endpoint join) -> cloudmock ``Request`` ->
  the codec routes it (must name the same operation) and parses it -> the same params;
* output: a generated result -> the codec serializes it -> botocore's parser -> the same;
* error: a modeled error with its members -> the codec -> botocore's parser and its
  modeled-error lookup -> the same code, message and members.
"""

from __future__ import annotations

import io
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from botocore.awsrequest import AWSRequest, HeadersDict, prepare_request_dict
from botocore.model import OperationModel, ServiceModel
from botocore.parsers import create_parser
from botocore.response import StreamingBody
from botocore.serialize import create_serializer
from rt_generate import Generator
from rt_normalise import RULES, Normaliser, first_difference, same

from cloudmock.core.errors import ServiceError
from cloudmock.core.http import Request, Response
from cloudmock.core.plugin import load_service_model
from cloudmock.core.protocols import codec_class

XML = ("query", "ec2", "rest-xml")


@dataclass
class Outcome:
    service: str
    protocol: str
    operation: str
    failures: list[str] = field(default_factory=list)
    rules: set[str] = field(default_factory=set)

    @property
    def ok(self) -> bool:
        return not self.failures


def seed_of(*parts: str) -> int:
    return zlib.crc32("/".join(parts).encode())


def to_request(serialized: dict[str, Any], operation: OperationModel, protocol: str) -> Request:
    """What botocore's client does with a serialized request: prefix the host, join the URL."""
    host = "svc.us-east-1.amazonaws.com"
    if serialized.get("host_prefix"):
        host = serialized["host_prefix"] + host
    prepare_request_dict(serialized, endpoint_url=f"https://{host}")
    prepared = AWSRequest(
        method=serialized["method"],
        url=serialized["url"],
        data=serialized["body"],
        headers=serialized["headers"],
    ).prepare()
    return Request.build(prepared.method, prepared.url, prepared.headers, prepared.body)


def to_botocore(response: Response, operation: OperationModel) -> dict[str, Any]:
    """The response dict botocore's endpoint hands its parser."""
    body: Any = response.body
    if operation.has_streaming_output:
        body = StreamingBody(io.BytesIO(response.body), len(response.body))
    return {
        "status_code": response.status,
        "headers": HeadersDict(response.headers),
        "body": body,
        "context": {"operation_name": operation.name},
    }


def read_streams(value: Any) -> Any:
    if isinstance(value, StreamingBody):
        return value.read()
    if isinstance(value, dict):
        return {k: read_streams(v) for k, v in value.items()}
    return value


class ServiceRun:
    def __init__(self, model: ServiceModel, protocol: str) -> None:
        self.model = model
        self.protocol = protocol
        self.codec = codec_class(protocol)(model)
        self.serializer = create_serializer(protocol, include_validation=False)
        self.parser = create_parser(protocol)

    def operation(self, name: str, seed: int) -> Outcome:
        operation = self.model.operation_model(name)
        outcome = Outcome(self.model.service_name, self.protocol, name)
        for part in (self.input, self.output, self.error):
            try:
                failure = part(operation, seed, outcome)
            except Exception as crash:  # a crash is a failure like any other, with its cause
                failure = f"{part.__name__}: {type(crash).__name__}: {crash}"
            if failure:
                outcome.failures.append(failure)
        return outcome

    def input(self, operation: OperationModel, seed: int, outcome: Outcome) -> str | None:
        params = Generator(seed).top(operation.input_shape)
        serialized = self.serializer.serialize_to_request(params, operation)
        request = to_request(serialized, operation, self.protocol)
        routed = self.codec.operation_name(request)
        if routed != operation.name:
            twin = self.model.operation_model(routed) if routed else None
            same_route = twin is not None and (
                twin.http.get("method"),
                twin.http.get("requestUri"),
            ) == (operation.http.get("method"), operation.http.get("requestUri"))
            if not same_route:
                return f"input: routed to {routed!r}"
            outcome.rules.add("twin-route")
        got = self.codec.parse(request, operation)
        normaliser = Normaliser(self.protocol, "input")
        wanted = normaliser.top(params, operation.input_shape, operation)
        outcome.rules |= normaliser.used
        if not same(wanted, got):
            return "input: " + first_difference(wanted, got)
        return None

    def output(self, operation: OperationModel, seed: int, outcome: Outcome) -> str | None:
        if operation.has_event_stream_output and self.protocol in ("json", "smithy-rpc-v2-cbor"):
            # these protocols carry the whole output inside the event stream (rule event-stream)
            outcome.rules.add("event-stream")
            return None
        result = Generator(seed + 1).top(operation.output_shape)
        response = self.codec.serialize(result, operation, "req-1")
        parsed = self.parser.parse(to_botocore(response, operation), operation.output_shape)
        parsed = read_streams(parsed)
        parsed.pop("ResponseMetadata", None)
        shape = operation.output_shape
        for name in list(parsed):
            if shape is not None and shape.members[name].serialization.get("eventstream"):
                del parsed[name]  # the event-stream rule: see rt_normalise
        normaliser = Normaliser(self.protocol, "output")
        wanted = normaliser.top(result, operation.output_shape, operation)
        outcome.rules |= normaliser.used
        if not same(wanted, parsed):
            return "output: " + first_difference(wanted, parsed)
        return None

    def error(self, operation: OperationModel, seed: int, outcome: Outcome) -> str | None:
        shapes = operation.error_shapes
        if not shapes:
            return self._one_error(
                operation, None, ServiceError("it broke", code="Broken"), outcome
            )
        shape = shapes[seed % len(shapes)]
        # two shapes may share an error code; botocore resolves the code to one of them
        shape = self.model.shape_for_error_code(shape.error_code) or shape
        fields = Generator(seed + 2).top(shape)
        # the message travels as the error's message, not as a field
        for name in [n for n in fields if n.lower() == "message"]:
            del fields[name]
        modeled = shape.metadata.get("error", {})
        error = ServiceError(
            "it broke <badly> & more",
            code=shape.error_code,
            status=int(modeled.get("httpStatusCode", 400)),
            fields=fields,
        )
        return self._one_error(operation, shape, error, outcome)

    def _one_error(self, operation, shape, error, outcome) -> str | None:  # type: ignore[no-untyped-def]
        response = self.codec.serialize_error(error, "req-1")
        raw = to_botocore(response, operation)
        raw["body"] = response.body
        parsed = self.parser.parse(raw, operation.output_shape)
        code = parsed.get("Error", {}).get("Code")
        if code != error.code:
            return f"error: code {code!r}, wanted {error.code!r}"
        if parsed["Error"].get("Message") != error.message:
            return f"error: message {parsed['Error'].get('Message')!r}"
        if shape is None:
            return None
        found = self.model.shape_for_error_code(code)
        if found is None or found.name != shape.name:
            return f"error: botocore finds shape {found and found.name!r} for {code!r}"
        modeled = self.parser.parse(raw, found)
        modeled.pop("ResponseMetadata", None)
        normaliser = Normaliser(self.protocol, "output")
        fields = dict(error.fields)
        message = next((n for n in shape.members if n.lower() == "message"), None)
        if message:
            fields[message] = error.message
        wanted = normaliser.top(fields, shape, operation)
        for name, member in shape.members.items():
            serialization = member.serialization
            if serialization.get("location") == "statusCode":
                wanted[name] = error.status  # an error's statusCode member is its status
            wire = serialization.get("name", name)
            if serialization.get("location") == "header" and wire.lower() == "x-amzn-errortype":
                outcome.rules.add("error-type-header")
                wanted[name] = response.headers.get("X-Amzn-Errortype")
            if self.protocol in XML and wire == "Code" and not serialization.get("location"):
                outcome.rules.add("error-code-member")
                wanted[name] = error.code
        outcome.rules |= normaliser.used
        if not same(wanted, modeled):
            return "error: " + first_difference(wanted, modeled)
        return None


def services() -> list[str]:
    from botocore.loaders import create_loader

    return sorted(create_loader().list_available_services("service-2"))


def runs(names: list[str] | None = None) -> Iterator[ServiceRun]:
    """One run per (service, protocol it offers)."""
    for name in names or services():
        model = load_service_model(name)
        for protocol in model.metadata.get("protocols") or [model.protocol]:
            yield ServiceRun(model, protocol)


def sweep(names: list[str] | None = None, every: int = 1, offset: int = 0) -> list[Outcome]:
    outcomes = []
    index = 0
    for run in runs(names):
        for operation in run.model.operation_names:
            index += 1
            if (index + offset) % every:
                continue
            seed = seed_of(run.model.service_name, run.protocol, operation)
            outcomes.append(run.operation(operation, seed))
    return outcomes


def table(outcomes: list[Outcome]) -> str:
    total: Counter[str] = Counter()
    ok: Counter[str] = Counter()
    rules: dict[str, Counter[str]] = {}
    for outcome in outcomes:
        total[outcome.protocol] += 1
        ok[outcome.protocol] += outcome.ok
        for rule in outcome.rules:
            rules.setdefault(rule, Counter())[outcome.protocol] += 1
    lines = [
        f"| {'protocol':<20} | {'operations':>10} | {'ok':>6} | {'coverage':>8} |",
        f"|{'-' * 22}|{'-' * 12}|{'-' * 8}|{'-' * 10}|",
    ]
    for protocol in sorted(total):
        share = 100 * ok[protocol] / total[protocol]
        lines.append(
            f"| {protocol:<20} | {total[protocol]:>10} | {ok[protocol]:>6} | {share:>7.2f}% |"
        )
    lines.append(
        f"| {'all':<20} | {sum(total.values()):>10} | {sum(ok.values()):>6} | "
        f"{100 * sum(ok.values()) / max(1, sum(total.values())):>7.2f}% |"
    )
    lines.append("")
    lines.append("named normalisations (operations they applied to, per protocol):")
    for rule, text in RULES.items():
        counts = rules.get(rule, Counter())
        shown = ", ".join(f"{p} {n}" for p, n in sorted(counts.items())) or "never"
        lines.append(f"  {rule}: {text}\n      -> {shown}")
    return "\n".join(lines)
