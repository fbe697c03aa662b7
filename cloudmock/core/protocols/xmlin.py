"""XML request bodies (rest-xml) into typed params, by a plan compiled from the shape.

Element names are the model's ``locationName`` s (namespaces ignored); lists are
wrapped or flattened, maps ``<entry><key/><value/></entry>`` or flattened, and
``xmlAttribute`` members are read from attributes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from xml.etree.ElementTree import Element

from cloudmock.core.protocols.faults import Faults
from cloudmock.core.protocols.plans import PlanCompiler
from cloudmock.core.protocols.values import BadValue, text_to_scalar

if TYPE_CHECKING:
    from botocore.model import Shape


def local(tag: str) -> str:
    """``{namespace}Name`` -> ``Name``; ``prefix:Name`` -> ``Name``."""
    return tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1]


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


class In:
    def parse(self, node: Element, path: str) -> Any:
        raise NotImplementedError


class ListIn(In):
    def __init__(self, member: In, flattened: bool) -> None:
        self.member, self.flattened = member, flattened

    def parse(self, node: Element, path: str) -> list[Any]:
        return [self.member.parse(child, f"{path}.{i}") for i, child in enumerate(node, 1)]


class MapIn(In):
    def __init__(self, key_tag: str, value_tag: str, key: In, value: In, flattened: bool) -> None:
        self.key_tag, self.value_tag = key_tag, value_tag
        self.key, self.value, self.flattened = key, value, flattened

    def entry(self, node: Element, path: str) -> tuple[Any, Any]:
        key = value = None
        for child in node:
            tag = local(child.tag)
            if tag == self.key_tag:
                key = self.key.parse(child, f"{path}.{tag}")
            elif tag == self.value_tag:
                value = self.value.parse(child, f"{path}.{tag}")
        return key, value

    def parse(self, node: Element, path: str) -> dict[Any, Any]:
        return dict(self.entry(child, f"{path}.entry") for child in node)


class StructIn(In):
    def __init__(self, faults: Faults) -> None:
        self.faults = faults
        #: element name -> (member name, plan)
        self.children: dict[str, tuple[str, In]] = {}
        #: attribute local name -> (member name, plan)
        self.attributes: dict[str, tuple[str, In]] = {}
        self.required: list[tuple[str, str]] = []

    def parse(self, node: Element, path: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for child in node:
            tag = local(child.tag)
            entry = self.children.get(tag)
            if entry is None:
                continue  # what the model does not name is no member
            name, plan = entry
            where = _join(path, tag)
            if isinstance(plan, ListIn) and plan.flattened:
                out.setdefault(name, []).append(plan.member.parse(child, where))
            elif isinstance(plan, MapIn) and plan.flattened:
                key, value = plan.entry(child, where)
                out.setdefault(name, {})[key] = value
            else:
                out[name] = plan.parse(child, where)
        for attribute, text in node.attrib.items():
            entry = self.attributes.get(local(attribute))
            if entry is not None:
                name, plan = entry
                holder = Element("attribute")
                holder.text = text
                out[name] = plan.parse(holder, _join(path, attribute))
        for name, wire in self.required:
            if name not in out:
                raise self.faults.missing(_join(path, wire))
        return out


class ScalarIn(In):
    def __init__(self, shape: Shape, faults: Faults) -> None:
        self.type = shape.type_name
        self.faults = faults
        self.fmt = shape.serialization.get("timestampFormat", "iso8601").lower()
        self.enum = list(shape.enum) if getattr(shape, "enum", None) else None

    def parse(self, node: Element, path: str) -> Any:
        text = node.text or ""
        try:
            value = text_to_scalar(self.type, text, self.fmt)
        except BadValue:
            raise self.faults.not_a(self.type, path, text) from None
        if self.enum is not None and value not in self.enum:
            raise self.faults.not_in_enum(value, path, self.enum)
        return value


class XmlInCompiler(PlanCompiler[In]):
    def __init__(self, faults: Faults) -> None:
        super().__init__()
        self.faults = faults

    def structure(self, shape: Shape) -> In:
        return StructIn(self.faults)

    def fill(self, plan: In, shape: Shape) -> None:
        assert isinstance(plan, StructIn)
        for name, member in shape.members.items():
            serialization = member.serialization
            if serialization.get("location"):
                continue
            child = self.plan(member)
            wire = serialization.get("name", name)
            if serialization.get("xmlAttribute"):
                plan.attributes[local(wire)] = (name, child)
                continue
            # of two members spelled alike (S3's deprecated Event next to Events), the
            # required one reads the element
            if wire not in plan.children or name in shape.required_members:
                plan.children[wire] = (name, child)
            if member.type_name == "list" and serialization.get("flattened"):
                inner = member.member.serialization.get("name")
                if inner:  # what a server writes; clients write the member's own name
                    plan.children.setdefault(inner, (name, child))
        plan.required = [
            (name, shape.members[name].serialization.get("name", name))
            for name in shape.required_members
            if not shape.members[name].serialization.get("location")
        ]

    def list(self, shape: Shape, member: In) -> In:
        return ListIn(member, bool(shape.serialization.get("flattened")))

    def map(self, shape: Shape, key: In, value: In) -> In:
        return MapIn(
            shape.key.serialization.get("name", "key"),
            shape.value.serialization.get("name", "value"),
            key,
            value,
            bool(shape.serialization.get("flattened")),
        )

    def scalar(self, shape: Shape) -> In:
        return ScalarIn(shape, self.faults)
