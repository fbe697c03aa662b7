"""The model's constraints on request values, checked the way AWS's services word them.

botocore's model gives each string a ``pattern`` and a length, each number a range
and each list a size. AWS's query and JSON services (all but EC2 and S3) answer any
broken constraint with one error (``ValidationError`` for query, ``ValidationException``
for the JSON family) whose message names every one::

    1 validation error detected: Value 'a b' at 'roleName' failed to satisfy
    constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+

:func:`check` does the same for a parsed request, from the model alone; a codec's
``validate`` calls it once the handler contract has accepted the request, so every
member of every operation is checked, including members of list items
(``tags.1.member.key``). The model's patterns are Java regular expressions, matched
against the whole value; :func:`python_pattern` translates the constructs they use,
and a pattern it cannot translate is not checked (a request is never refused on a
rule cloudmock cannot read).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from cloudmock.core.errors import ServiceError

if TYPE_CHECKING:
    from botocore.model import OperationModel, Shape


class ValidationError(ServiceError):
    code = "ValidationError"


# Java's \w and \d are ASCII; \p{L} (letters), \p{N} (numbers) and \p{Z} (separators)
# have no spelling in Python's re, so a class that names them becomes an alternation.
_ASCII = {
    r"\w": "A-Za-z0-9_",
    r"\d": "0-9",
    r"\s": " \t\n\x0b\f\r",
    r"\p{Print}": "\x20-\x7e",
    r"\p{Alnum}": "A-Za-z0-9",
    r"\p{Alpha}": "A-Za-z",
    r"\p{Punct}": re.escape("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"),
}
_UNICODE = {
    r"\p{L}": r"[^\W\d_]",
    r"\p{N}": r"\d",
    r"\p{Z}": "[ \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]",
}
_TOKEN = re.compile(r"\\p\{[A-Za-z]+\}|\\u[0-9A-Fa-f]{4}|\\.|\[\^?|\]|[^\\\[\]]", re.DOTALL)
# Java strings are UTF-16: a range of surrogate pairs means the characters beyond U+FFFF,
# which Python's str holds as single code points.
_SURROGATE_RANGE = re.compile(
    r"\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}-"
    r"\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)


def python_pattern(java: str) -> re.Pattern[str]:
    """A model pattern (Java syntax) as a Python regex, to be matched against whole values."""
    java = _SURROGATE_RANGE.sub(lambda found: _astral_range(found.group()), java)
    out: list[str] = []
    members: list[str] | None = None  # inside a class: its plain members
    unicode: list[str] = []  # inside a class: its \p{..} members
    negated = False
    for token in _TOKEN.findall(java):
        if token.startswith("\\u"):
            # Java reads exactly four hex digits, as Python does: \u10000 is \u1000 then 0
            token = re.escape(chr(int(token[2:], 16)))
        if members is None:
            if token in ("[", "[^"):
                members, unicode, negated = [], [], token == "[^"
            elif token in _ASCII:
                out.append(f"[{_ASCII[token]}]")
            elif token in _UNICODE:
                out.append(_UNICODE[token])
            else:
                out.append(token)
            continue
        if token == "]":
            plain = f"[{'^' if negated else ''}{''.join(members)}]" if members or negated else ""
            if unicode and negated:
                raise ValueError(f"cannot translate the negated class in {java!r}")
            parts = [plain] if plain else []
            parts.extend(_UNICODE[name] for name in unicode)
            out.append(parts[0] if len(parts) == 1 else f"(?:{'|'.join(parts)})")
            members = None
        elif token in _UNICODE:
            unicode.append(token)
        else:
            members.append(_ASCII.get(token, token))
    return re.compile("".join(out), re.DOTALL)


# ------------------------------------------------------------------ the plan

Check = Callable[[Any, str, list[str]], None]


def _shown(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_shown(item) for item in value) + "]"
    return str(value).lower() if isinstance(value, bool) else str(value)


def _length(low: int | None, high: int | None, what: str) -> Check:
    def check(value: Any, path: str, problems: list[str]) -> None:
        size = len(value)
        if low is not None and size < low:
            problems.append(
                _problem(value, path, f"Member must have {what} greater than or equal to {low}")
            )
        if high is not None and size > high:
            problems.append(
                _problem(value, path, f"Member must have {what} less than or equal to {high}")
            )

    return check


def _range(low: float | None, high: float | None) -> Check:
    def check(value: Any, path: str, problems: list[str]) -> None:
        if low is not None and value < low:
            problems.append(
                _problem(value, path, f"Member must have value greater than or equal to {low}")
            )
        if high is not None and value > high:
            problems.append(
                _problem(value, path, f"Member must have value less than or equal to {high}")
            )

    return check


def _astral_range(pairs: str) -> str:
    """``\\uD800\\uDC00-\\uDBFF\\uDFFF`` -> the same range as code points."""
    units = [int(unit, 16) for unit in re.findall(r"[0-9a-fA-F]{4}", pairs)]
    low = 0x10000 + ((units[0] - 0xD800) << 10) + (units[1] - 0xDC00)
    high = 0x10000 + ((units[2] - 0xD800) << 10) + (units[3] - 0xDC00)
    return f"\\U{low:08x}-\\U{high:08x}"


def _pattern(java: str) -> Check | None:
    try:
        compiled = python_pattern(java)
    except (ValueError, re.error):  # a construct not translated: not checked, never refused
        return None

    def check(value: Any, path: str, problems: list[str]) -> None:
        if compiled.fullmatch(value) is None:
            problems.append(
                _problem(value, path, f"Member must satisfy regular expression pattern: {java}")
            )

    return check


def _problem(value: Any, path: str, constraint: str) -> str:
    return f"Value '{_shown(value)}' at '{path}' failed to satisfy constraint: {constraint}"


class _Node:
    """What to check of one value, and of the values inside it."""

    def __init__(self) -> None:
        self.checks: list[Check] = []
        self.members: dict[str, tuple[str, _Node]] = {}  # member -> (wire path step, node)
        self.item: _Node | None = None
        self.item_step = "member"

    def empty(self) -> bool:
        return not self.checks and not self.members and self.item is None

    def run(self, value: Any, path: str, problems: list[str]) -> None:
        for check in self.checks:
            check(value, path, problems)
        if self.members and isinstance(value, dict):
            for name, (step, node) in self.members.items():
                if name in value and value[name] is not None:
                    node.run(value[name], f"{path}.{step}" if path else step, problems)
        if self.item is not None and isinstance(value, list):
            for index, item in enumerate(value, 1):
                self.item.run(item, f"{path}.{index}.{self.item_step}", problems)


def _compile(shape: Shape, seen: frozenset[str] = frozenset()) -> _Node:
    node = _Node()
    kind = shape.type_name
    meta = shape.metadata
    if kind == "string":
        if "min" in meta or "max" in meta:
            node.checks.append(_length(meta.get("min"), meta.get("max"), "length"))
        pattern = _pattern(meta["pattern"]) if "pattern" in meta else None
        if pattern is not None:
            node.checks.append(pattern)
    elif kind in ("integer", "long", "float", "double"):
        if "min" in meta or "max" in meta:
            node.checks.append(_range(meta.get("min"), meta.get("max")))
    elif kind == "list":
        if "min" in meta or "max" in meta:
            node.checks.append(_length(meta.get("min"), meta.get("max"), "length"))
        item = _compile(shape.member, seen)  # type: ignore[attr-defined]
        if not item.empty():
            node.item = item
    elif kind == "structure" and shape.name not in seen:
        for name, member in shape.members.items():  # type: ignore[attr-defined]
            inner = _compile(member, seen | {shape.name})
            if not inner.empty():
                step = name[0].lower() + name[1:]
                node.members[name] = (step, inner)
    return node


_plans: dict[tuple[str, str], _Node] = {}
_lock = threading.Lock()


def _plan(operation: OperationModel) -> _Node:
    key = (operation.service_model.service_name, operation.name)
    plan = _plans.get(key)
    if plan is None:
        shape = operation.input_shape
        built = _compile(shape) if shape is not None else _Node()
        with _lock:
            plan = _plans.setdefault(key, built)
    return plan


def violations(operation: OperationModel, params: dict[str, Any]) -> list[str]:
    """Every constraint of the model that ``params`` break, as AWS words each one."""
    problems: list[str] = []
    _plan(operation).run(params, "", problems)
    return problems


def check(operation: OperationModel, params: dict[str, Any], code: str = "ValidationError") -> None:
    """Raise the error ``code`` naming every constraint ``params`` break."""
    problems = violations(operation, params)
    if problems:
        count = len(problems)
        noun = "error" if count == 1 else "errors"
        raise ServiceError(f"{count} validation {noun} detected: {'; '.join(problems)}", code=code)
