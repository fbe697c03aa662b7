"""Result dicts to XML (query, ec2 and rest-xml responses, and their error members).

A plan per shape appends string pieces to a list; element names come from the
model's ``locationName`` s, lists are wrapped (``<member>``/``<item>``) or
flattened, maps are ``<entry><key/><value/></entry>``, ``xmlAttribute`` members
become attributes and a shape's ``xmlNamespace`` an ``xmlns`` attribute.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape, quoteattr

from cloudmock.core.frozen import Frozen
from cloudmock.core.protocols import base
from cloudmock.core.protocols.plans import PlanCompiler
from cloudmock.core.protocols.values import b64, float_text, iso8601, timestamp_text

if TYPE_CHECKING:
    from botocore.model import Shape

XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>\n'

_CARRIAGE_RETURN = {"\r": "&#13;"}


def text(value: Any) -> str:
    if isinstance(value, str):
        # most values need no escaping; checking is cheaper than escaping
        if "&" in value or "<" in value or ">" in value or "\r" in value:
            # a bare CR would be read back as LF by every XML parser
            return escape(value, _CARRIAGE_RETURN)
        return value
    kind = type(value)
    if kind is int:  # digits need no escaping
        return str(value)
    if kind is bool:
        return "true" if value else "false"
    if isinstance(value, datetime):
        return iso8601(value)
    if isinstance(value, bytes):
        return b64(value)
    if isinstance(value, float):
        return float_text(value)
    return escape(str(value))


def xmlns(shape: Shape) -> str:
    """The ``xmlns`` attribute a shape's ``xmlNamespace`` asks for ("" if none)."""
    namespace = shape.serialization.get("xmlNamespace")
    if isinstance(namespace, dict):
        prefix = namespace.get("prefix")
        name = f"xmlns:{prefix}" if prefix else "xmlns"
        return f" {name}={quoteattr(namespace.get('uri', ''))}"
    if isinstance(namespace, str):
        return f" xmlns={quoteattr(namespace)}"
    return ""


class Out:
    def write(self, tag: str, value: Any, out: list[str]) -> None:
        raise NotImplementedError


#: a number per structure plan, never given twice in a process: what a Frozen keeps
#: its made bytes under (an ``id()`` may be a dead plan's, as test codecs come and go)
_PLAN_SERIALS = itertools.count()


class StructOut(Out):
    def __init__(self, shape_name: str, namespace: str) -> None:
        self.serial = next(_PLAN_SERIALS)
        self.shape_name = shape_name
        self.namespace = namespace
        #: (member name, element name, plan), in the model's order
        self.members: list[tuple[str, str, Out]] = []
        #: (member name, attribute name) of ``xmlAttribute`` members
        self.attributes: list[tuple[str, str]] = []
        self.names: frozenset[str] = frozenset()
        #: member name -> its shape's type name ("string", "boolean", ...)
        self.types: dict[str, str] = {}
        #: member name -> its string shape's ``enum`` values, for the members that have one
        self.enums: dict[str, tuple[str, ...]] = {}
        #: no attributes and no namespace: the opening tag is just the name (the hot path)
        self.plain = not namespace

    def write_members(self, value: Mapping[str, Any], out: list[str]) -> None:
        # The first call compiles this structure's writer (``_compile_writer``), which
        # then shadows this method on the instance: every later call runs it directly.
        writer = _compile_writer(self)
        self.write_members = writer  # type: ignore[method-assign]
        writer(value, out)

    def check_members(self, value: Mapping[str, Any]) -> None:
        extra = set(value) - self.names
        if extra:
            raise TypeError(f"{self.shape_name} has no member(s) {sorted(extra)}")

    def open(self, tag: str, value: dict[str, Any]) -> str:
        if not self.attributes and not self.namespace:
            return f"<{tag}>"
        attributes = "".join(
            f" {attr}={quoteattr(text(value[name]))}"
            for name, attr in self.attributes
            if value.get(name) is not None
        )
        return f"<{tag}{self.namespace}{attributes}>"

    def write(self, tag: str, value: Any, out: list[str]) -> None:
        out.append(f"<{tag}>" if self.plain else self.open(tag, value))
        self.write_members(value, out)
        out.append(f"</{tag}>")


class ListOut(Out):
    def __init__(self, item_tag: str, member: Out, flattened: bool) -> None:
        self.item_tag, self.member, self.flattened = item_tag, member, flattened

    def write(self, tag: str, value: Any, out: list[str]) -> None:
        if self.flattened:
            for item in value:
                self.member.write(tag, item, out)
            return
        if not value:
            out.append(f"<{tag}/>")
            return
        out.append(f"<{tag}>")
        item_tag, member = self.item_tag, self.member
        if member.__class__ is StructOut and member.plain:  # type: ignore[attr-defined]
            # a list of structures (reservations, instances): no call per item's element
            opening, closing = f"<{item_tag}>", f"</{item_tag}>"
            write_members, append = member.write_members, out.append  # type: ignore[attr-defined]
            for item in value:
                append(opening)
                write_members(item, out)
                append(closing)
        else:
            for item in value:
                member.write(item_tag, item, out)
        out.append(f"</{tag}>")


class MapOut(Out):
    def __init__(self, key_tag: str, value_tag: str, key: Out, value: Out, flattened: bool) -> None:
        self.key_tag, self.value_tag, self.key, self.value = key_tag, value_tag, key, value
        self.flattened = flattened

    def write(self, tag: str, value: Any, out: list[str]) -> None:
        entry = tag if self.flattened else "entry"
        if not self.flattened:
            out.append(f"<{tag}>")
        for k, v in value.items():
            out.append(f"<{entry}>")
            self.key.write(self.key_tag, k, out)
            self.value.write(self.value_tag, v, out)
            out.append(f"</{entry}>")
        if not self.flattened:
            out.append(f"</{tag}>")


class ScalarOut(Out):
    def write(self, tag: str, value: Any, out: list[str]) -> None:
        out.append(f"<{tag}>{text(value)}</{tag}>")


class TimestampOut(Out):
    """A timestamp whose ``timestampFormat`` is not the XML default (iso8601)."""

    def __init__(self, fmt: str) -> None:
        self.fmt = fmt

    def write(self, tag: str, value: Any, out: list[str]) -> None:
        out.append(f"<{tag}>{escape(timestamp_text(value, self.fmt))}</{tag}>")


SCALAR_OUT = ScalarOut()


# -- a structure's writer, compiled from its plan
#
# A structure's members are known once its plan is filled, so its writer is Python
# source with one block per member: no loop over (name, tag, plan) tuples, no test of
# the member's plan kind per value, and the checks ordered by the member's model type.
# Nested plans are reached through their ``write_members``/``write`` attributes at call
# time, so recursive shapes and plans compiled later need nothing special.


def _fstring(opening: str, expression: str, closing: str) -> str:
    """Source of an f-string: ``expression``'s value between two literal tags."""
    return "f" + repr(_literal(opening) + "{" + expression + "}" + _literal(closing))


def _literal(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


def _scalar_block(index: int, tag: str, type_name: str, enum: bool) -> list[str]:
    """Append ``v`` as ``<tag>v</tag>`` unless it is None. The model's type says which
    check comes first: a value of that type is written with the least work (a timestamp
    formatted directly, an integer or boolean never escaped, an enum's value already
    written), anything else as ``text`` writes it."""
    opening, closing = f"<{tag}>", f"</{tag}>"
    fallback = ["elif v is not None:", f"    append({_fstring(opening, '_text(v)', closing)})"]
    if type_name == "boolean":
        return [
            "if v is True:",
            f"    append({opening + 'true' + closing!r})",
            "elif v is False:",
            f"    append({opening + 'false' + closing!r})",
            *fallback,
        ]
    if type_name in ("integer", "long"):
        return [
            "if v.__class__ is int:",
            f"    append({_fstring(opening, 'v', closing)})",
            *fallback,
        ]
    if type_name == "timestamp":
        return [
            "if v.__class__ is _datetime:",
            f"    append({_fstring(opening, '_iso8601(v)', closing)})",
            *fallback,
        ]
    escaped = [
        "if '&' in v or '<' in v or '>' in v or '\\r' in v:",
        "    v = _text(v)",
    ]
    if enum:
        # an enum's values are written once, at plan time (``E{index}``); others as usual
        return [
            "if v.__class__ is str:",
            f"    made = E{index}.get(v)",
            "    if made is None:",
            *("        " + line for line in escaped),
            f"        made = {_fstring(opening, 'v', closing)}",
            "    append(made)",
            *fallback,
        ]
    # three appends cost less than one string made of the three
    return [
        "if v.__class__ is str:",
        *("    " + line for line in escaped),
        f"    append({opening!r})",
        "    append(v)",
        f"    append({closing!r})",
        *fallback,
    ]


def _member_block(index: int, tag: str, plan: Out) -> list[str]:
    """Write member value ``v`` (not None) whose plan is ``P{index}``."""
    opening, closing = f"<{tag}>", f"</{tag}>"
    if plan.__class__ is StructOut and plan.plain:  # type: ignore[attr-defined]
        made_key = f"{plan.serial}/{tag}"  # type: ignore[attr-defined]
        return [
            "if v.__class__ is _Frozen:",  # written once per plan, then reused
            f"    made = v.made.get({made_key!r})",
            "    if made is None:",
            f"        made = _make(v, P{index}, {opening!r}, {closing!r}, {made_key!r})",
            "    append(made)",
            "else:",
            f"    append({opening!r})",
            f"    P{index}.write_members(v, out)",
            f"    append({closing!r})",
        ]
    if plan.__class__ is ListOut and not plan.flattened:  # type: ignore[attr-defined]
        item = plan.member  # type: ignore[attr-defined]
        item_open, item_close = f"<{plan.item_tag}>", f"</{plan.item_tag}>"  # type: ignore[attr-defined]
        if item.__class__ is StructOut and item.plain:  # type: ignore[attr-defined]
            # a Frozen item (a catalogue entry) is written once per plan, then reused
            made_key = f"{item.serial}/{plan.item_tag}"  # type: ignore[attr-defined]
            body = [
                f"write = P{index}.member.write_members",
                "for item in v:",
                "    if item.__class__ is _Frozen:",
                f"        made = item.made.get({made_key!r})",
                "        if made is None:",
                f"            made = _make(item, P{index}.member, {item_open!r}, {item_close!r}, "
                f"{made_key!r})",
                "        append(made)",
                "        continue",
                f"    append({item_open!r})",
                "    write(item, out)",
                f"    append({item_close!r})",
            ]
        elif item is SCALAR_OUT:
            body = [
                "for item in v:",
                "    if item.__class__ is not str or '&' in item or '<' in item "
                "or '>' in item or '\\r' in item:",
                "        item = _text(item)",
                f"    append({item_open!r} + item + {item_close!r})",
            ]
        else:
            body = [
                f"write, item_tag = P{index}.member.write, {plan.item_tag!r}",  # type: ignore[attr-defined]
                "for item in v:",
                "    write(item_tag, item, out)",
            ]
        return [
            "if v:",
            f"    append({opening!r})",
            *("    " + line for line in body),
            f"    append({closing!r})",
            "else:",
            f"    append({(f'<{tag}/>')!r})",
        ]
    return [f"P{index}.write({tag!r}, v, out)"]


def _make_frozen(value: Frozen, plan: StructOut, opening: str, closing: str, key: str) -> str:
    """``value`` written whole by ``plan``, kept on it for the next request."""
    out = [opening]
    plan.write_members(value, out)
    out.append(closing)
    made = value.made[key] = "".join(out)
    return made


def _compile_writer(plan: StructOut) -> Any:
    lines = [
        "def write_members(value, out):",
        "    if _base.STRICT:",
        "        _check(value)",
        "    get, append = value.get, out.append",
    ]
    env: dict[str, Any] = {
        "_base": base,
        "_text": text,
        "_check": plan.check_members,
        "_Frozen": Frozen,
        "_make": _make_frozen,
        "_datetime": datetime,
        "_iso8601": iso8601,
    }
    for index, (name, tag, member) in enumerate(plan.members):
        env[f"P{index}"] = member
        lines.append(f"    v = get({name!r})")
        if member is SCALAR_OUT:
            enum = plan.enums.get(name, ())
            env[f"E{index}"] = {value: f"<{tag}>{text(value)}</{tag}>" for value in enum}
            block = _scalar_block(index, tag, plan.types[name], bool(enum))
            lines.extend("    " + line for line in block)
            continue
        lines.append("    if v is not None:")
        lines.extend("        " + line for line in _member_block(index, tag, member))
    source = "\n".join(lines) + "\n"
    code = compile(source, f"<cloudmock xml writer {plan.shape_name}>", "exec")
    # the source is built above from the model's names, every one a repr()-quoted literal
    exec(code, env)
    writer = env["write_members"]
    return writer


class XmlOutCompiler(PlanCompiler[Out]):
    """``item_tag`` names the elements of a list whose member has no ``locationName``;
    ``plain_first`` writes a structure's scalar members before its lists and structures."""

    def __init__(self, item_tag: str = "member", *, plain_first: bool = False) -> None:
        super().__init__()
        self.item_tag = item_tag
        self.plain_first = plain_first

    def structure(self, shape: Shape) -> Out:
        return StructOut(shape.name, xmlns(shape))

    def fill(self, plan: Out, shape: Shape) -> None:
        assert isinstance(plan, StructOut)
        for name, member in shape.members.items():
            serialization = member.serialization
            if serialization.get("location"):
                continue  # headers and status codes are the HTTP layer's
            if serialization.get("xmlAttribute"):
                plan.attributes.append((name, serialization.get("name", name)))
                plan.plain = False
                continue
            plan.members.append((name, element_name(name, member), self.plan(member)))
            plan.types[name] = member.type_name
            if member.type_name == "string" and member.enum:
                plan.enums[name] = tuple(member.enum)
        if self.plain_first:
            # scalars before lists and structures, each group in the model's order
            plan.members.sort(key=lambda entry: not isinstance(entry[2], (ScalarOut, TimestampOut)))
        plan.names = frozenset(shape.members)

    def list(self, shape: Shape, member: Out) -> Out:
        return ListOut(
            shape.member.serialization.get("name", self.item_tag),
            member,
            bool(shape.serialization.get("flattened")),
        )

    def map(self, shape: Shape, key: Out, value: Out) -> Out:
        return MapOut(
            shape.key.serialization.get("name", "key"),
            shape.value.serialization.get("name", "value"),
            key,
            value,
            bool(shape.serialization.get("flattened")),
        )

    def scalar(self, shape: Shape) -> Out:
        fmt = shape.serialization.get("timestampFormat")
        if shape.type_name == "timestamp" and fmt and fmt.lower() != "iso8601":
            return TimestampOut(fmt)
        return SCALAR_OUT


def element_name(name: str, member: Shape) -> str:
    """The element a member is written as: a flattened list takes its member's name."""
    if member.type_name == "list" and member.serialization.get("flattened"):
        inner = member.member.serialization.get("name")
        if inner:
            return inner
    return member.serialization.get("name", name)
