"""An independent referee: the problems the shipped schema files find in any Python value.

It reads the files from ``schemas/`` itself, links them with ``referencing`` and asks jsonschema's
stock draft 2020-12 validator, with stock types. Nothing of the library is used: the date-time
format check is written here (fixed positions and :func:`calendar.monthrange`, not a regex), and
so are the JSON Pointers and the keys of the snake wire (:data:`SNAKE_KEYS`, the table of the orq
HTTP API's keys, written out rather than derived the way the library derives them).

Values outside JSON's data model (NaN and infinities, integers beyond a double's range, strings
with a lone surrogate, tuples, sets, bytes, dicts with a non-string key, a container inside
itself, any other object) are replaced by :data:`NOT_JSON`, which no JSON type matches, before
the stock validator sees the value: each is then a ``type`` problem where the schema looks at it,
and nothing where it does not (the value of an unknown key).
"""

from __future__ import annotations

import calendar
import functools
import json
import math
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Final, NamedTuple

import attrs
import jsonschema
import referencing

from sessionschema.models import MODELS

__all__ = [
    "ATTRIBUTES",
    "NOT_JSON",
    "SNAKE_KEYS",
    "DateTimeFields",
    "accepts",
    "build",
    "date_time",
    "json_view",
    "pointer",
    "problems",
    "problems_in_order",
    "read_date_time",
    "to_snake",
]

SNAKE_KEYS = {
    "externalId": "external_id",
    "contactIds": "contact_ids",
    "tracesCount": "traces_count",
    "projectId": "project_id",
    "startedAt": "started_at",
    "updatedAt": "updated_at",
    "inputCost": "input_cost",
    "outputCost": "output_cost",
    "totalCost": "total_cost",
    "promptTokens": "prompt_tokens",
    "completionTokens": "completion_tokens",
    "totalTokens": "total_tokens",
    "id": "_id",
    "workspaceId": "workspace_id",
}
"""The snake keys of the HTTP API, by camel key; a key not listed is the same in both styles."""

ATTRIBUTES = {
    "externalId": "external_id",
    "duration": "duration",
    "contactIds": "contact_ids",
    "billing": "billing",
    "usage": "usage",
    "tracesCount": "traces_count",
    "tags": "tags",
    "projectId": "project_id",
    "startedAt": "started_at",
    "updatedAt": "updated_at",
    "inputCost": "input_cost",
    "outputCost": "output_cost",
    "totalCost": "total_cost",
    "promptTokens": "prompt_tokens",
    "completionTokens": "completion_tokens",
    "totalTokens": "total_tokens",
    "id": "id",
    "workspaceId": "workspace_id",
}
"""The attribute of the models that holds each camel key."""

SCHEMAS = Path(__file__).parent.parent / "schemas"
_DOCUMENTS = [json.loads(p.read_text("utf-8")) for p in sorted(SCHEMAS.glob("*.schema.json"))]

MAX_DOUBLE: Final = 1.7976931348623157e308
"""The largest finite double; an integer beyond it is no JSON number (a reader takes Infinity)."""


# -- date-time: RFC 3339 section 5.6, read field by field ----------------------------------------

_DIGITS = frozenset("0123456789")  # ASCII only: str.isdigit would take other scripts' digits


class DateTimeFields(NamedTuple):
    """What a date-time text says; the fraction truncated to microseconds, the offset in
    minutes east of UTC (``-00:00`` is 0)."""

    year: int
    month: int
    day: int
    hour: int
    minute: int
    second: int
    microsecond: int
    offset: int


DATE_FIELDS = ((0, 4), (5, 2), (8, 2), (11, 2), (14, 2), (17, 2))
"""(start, length) of year, month, day, hour, minute and second in a date-time text."""


def _number(text: str, start: int, stop: int) -> int | None:
    """The number written in ``text[start:stop]`` with ASCII digits only, or None."""
    part = text[start:stop]
    if len(part) != stop - start or not all(char in _DIGITS for char in part):
        return None
    return int(part)


def _offset(zone: str) -> int | None:
    """Minutes east of UTC of ``Z``, ``z`` or ``±hh:mm``; None for anything else."""
    if zone in ("Z", "z"):
        return 0
    if len(zone) != 6 or zone[0] not in ("+", "-") or zone[3] != ":":
        return None
    hours, minutes = _number(zone, 1, 3), _number(zone, 4, 6)
    if hours is None or minutes is None or hours > 23 or minutes > 59:
        return None
    return (hours * 60 + minutes) * (-1 if zone[0] == "-" else 1)


def read_date_time(text: str) -> DateTimeFields | None:
    """The fields of an RFC 3339 ``date-time`` that Python can hold, or None.

    ``YYYY-MM-DD`` ``T``/``t`` ``hh:mm:ss``, an optional ``.`` and 1 or more digits, then ``Z``,
    ``z`` or ``±hh:mm``; nothing before or after. Year 0000 and the leap second ``:60`` are
    refused: Python's datetime cannot hold them.
    """
    if len(text) < 20:
        return None
    for position, allowed in ((4, "-"), (7, "-"), (10, "Tt"), (13, ":"), (16, ":")):
        if text[position] not in allowed:
            return None
    fields = []
    for start, size in DATE_FIELDS:
        number = _number(text, start, start + size)
        if number is None:
            return None
        fields.append(number)
    rest = text[19:]
    fraction = ""
    if rest.startswith("."):
        end = 1
        while end < len(rest) and rest[end] in _DIGITS:
            end += 1
        fraction, rest = rest[1:end], rest[end:]
        if not fraction:
            return None
    offset = _offset(rest)
    if offset is None:
        return None
    year, month, day, hour, minute, second = fields
    if not (year >= 1 and 1 <= month <= 12 and hour <= 23 and minute <= 59 and second <= 59):
        return None
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    microsecond = _number((fraction + "000000")[:6], 0, 6)
    assert microsecond is not None
    return DateTimeFields(year, month, day, hour, minute, second, microsecond, offset)


def date_time(text: str) -> datetime | None:
    """The aware datetime that a date-time text stands for, or None if it is not one."""
    fields = read_date_time(text)
    if fields is None:
        return None
    zone = timezone.utc if fields.offset == 0 else timezone(timedelta(minutes=fields.offset))
    return datetime(*fields[:7], tzinfo=zone)


_FORMATS = jsonschema.FormatChecker(formats=())


@_FORMATS.checks("date-time")
def _is_date_time(value: object) -> bool:
    return not isinstance(value, str) or read_date_time(value) is not None


# -- the JSON data model --------------------------------------------------------------------------


class _NotJSON:
    """Stands in for a Python value outside JSON's data model: no JSON type matches it."""

    def __repr__(self) -> str:
        return "NOT_JSON"


NOT_JSON: Final = _NotJSON()


def is_text(value: str) -> bool:
    """Whether ``value`` is Unicode text: no lone surrogate, so it has a UTF-8 form."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return False
    return True


def _is_json_scalar(value: object) -> bool:
    if value is None or isinstance(value, bool):
        return True
    if isinstance(value, int):
        return -MAX_DOUBLE <= value <= MAX_DOUBLE  # (int and float compare exactly)
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, str):
        return is_text(value)
    return False


LOOK = 16
"""How deep :func:`json_view` copies: deeper than any schema file looks (checked below), so a
container below it is copied empty; jsonschema's messages, which print the whole value at the
problem, then stay within Python's recursion limit for a value of any depth."""


def json_view(value: Any, look: int = LOOK) -> Any:
    """A copy of ``value`` with every node outside JSON's data model replaced by NOT_JSON.

    A list or dict that is already on the path from the root (a loop) is NOT_JSON there; a dict
    with any key that is not a str is NOT_JSON as a whole. The walk keeps its own stack, so any
    depth is fine; a JSON container ``look`` levels down is copied empty.
    """
    root: list[Any] = [None]
    on_path: set[int] = set()
    # (node, where to put its copy, slot, depth) or (None, None, id, 0) when a container is left
    stack: list[tuple[Any, Any, Any, int]] = [(value, root, 0, 0)]
    while stack:
        node, into, slot, depth = stack.pop()
        if into is None:
            on_path.discard(slot)
            continue
        if isinstance(node, list | dict):
            if id(node) in on_path or (
                isinstance(node, dict) and not all(isinstance(key, str) for key in node)
            ):
                into[slot] = NOT_JSON
                continue
            if depth >= look:
                into[slot] = [] if isinstance(node, list) else {}
                continue
            copy: Any = [None] * len(node) if isinstance(node, list) else dict.fromkeys(node)
            into[slot] = copy
            on_path.add(id(node))
            stack.append((None, None, id(node), 0))
            items = enumerate(node) if isinstance(node, list) else node.items()
            stack.extend((child, copy, key, depth + 1) for key, child in items)
        else:
            into[slot] = node if _is_json_scalar(node) else NOT_JSON
    return root[0]


# -- JSON Pointer ---------------------------------------------------------------------------------


def _token(part: str | int) -> str:
    text = str(part).replace("~", "~0").replace("/", "~1")
    return "".join(
        f"\\u{ord(char):04x}" if 0xD800 <= ord(char) <= 0xDFFF else char for char in text
    )


def pointer(parts: Iterable[str | int]) -> str:
    """The RFC 6901 JSON Pointer of a location; a lone surrogate in a key is written as the six
    characters of its escape (``\\udfaa``)."""
    return "".join("/" + _token(part) for part in parts)


# -- the schema files -----------------------------------------------------------------------------


def _strict(node: Any) -> Any:
    if isinstance(node, dict):
        node = {key: _strict(value) for key, value in node.items()}
        if "properties" in node:
            node["additionalProperties"] = False
    return node


def to_snake(node: Any) -> Any:
    """A camel-style schema with the keys of the snake wire."""
    if isinstance(node, dict):
        node = {key: to_snake(value) for key, value in node.items()}
        if "properties" in node:
            node["properties"] = {SNAKE_KEYS.get(k, k): v for k, v in node["properties"].items()}
            node["required"] = [SNAKE_KEYS.get(k, k) for k in node["required"]]
    return node


@functools.cache
def _documents(style: str) -> dict[str, dict[str, Any]]:
    """The schema files of ``style`` by ``$id``."""
    if style not in ("camel", "snake"):
        raise ValueError(f"unknown style {style!r}")
    return {d["$id"]: to_snake(d) if style == "snake" else d for d in _DOCUMENTS}


def _depth(node: dict[str, Any], style: str = "camel") -> int:
    """How many levels below a value the schema ``node`` looks."""
    if "$ref" in node:
        return _depth(_documents(style)[node["$ref"]], style)
    below = [_depth(child, style) for child in node.get("properties", {}).values()]
    if "items" in node:
        below.append(_depth(node["items"], style))
    return 1 + max(below) if below else 0


assert max(_depth(document) for document in _DOCUMENTS) < LOOK


@functools.cache
def _validator(title: str, strict: bool, style: str) -> jsonschema.Draft202012Validator:
    documents = [_strict(d) if strict else d for d in _documents(style).values()]
    registry: referencing.Registry[Any] = referencing.Registry().with_resources(
        (d["$id"], referencing.Resource.from_contents(d)) for d in documents
    )
    (root,) = (d for d in documents if d["title"] == title)
    return jsonschema.Draft202012Validator(root, registry=registry, format_checker=_FORMATS)


def problems(
    value: Any, cls: type, strict: bool = False, style: str = "camel"
) -> frozenset[tuple[str, str]]:
    """Every (JSON Pointer, keyword) problem of ``value`` as ``cls``.

    ``required``: one per missing name, at the pointer where it should be; ``additionalProperties``
    (strict only): one per unknown key, at that key; ``type`` and ``format``: at the value. A
    date-time's ``pattern`` (the files restate the format as a pattern, for validators that do
    not assert formats) is the same problem as its ``format``: one ``format`` problem, whichever
    of the two refuses the string (they differ on purpose only on February 29).
    """
    found: set[tuple[str, str]] = set()
    for error in _validator(cls.__name__, strict, style).iter_errors(json_view(value)):
        where = list(error.absolute_path)
        keyword = str(error.validator)
        if keyword == "required":
            names = [name for name in error.validator_value if name not in error.instance]
            found.update((pointer([*where, name]), keyword) for name in names)
        elif keyword == "additionalProperties":
            known = error.schema["properties"]
            found.update((pointer([*where, k]), keyword) for k in error.instance if k not in known)
        elif keyword == "pattern" and error.schema.get("format") == "date-time":
            found.add((pointer(where), "format"))  # the format restated for other validators
        else:
            found.add((pointer(where), keyword))
    return frozenset(found)


def accepts(value: Any, cls: type, strict: bool = False, style: str = "camel") -> bool:
    """The verdict of the schema files on ``value`` as ``cls``: no problem at all."""
    return not problems(value, cls, strict, style)


# -- building the model of a valid value ---------------------------------------------------------

_MODELS = {model.__name__: model for model in MODELS}


def _convert(value: Any, node: dict[str, Any], style: str) -> Any:
    if "$ref" in node:
        target = _documents(style)[node["$ref"]]
        return build(value, _MODELS[target["title"]], style)
    if node.get("type") == "array":
        return tuple(_convert(item, node["items"], style) for item in value)
    if node.get("format") == "date-time":
        parsed = date_time(value)
        assert parsed is not None, f"not a date-time: {value!r}"
        return parsed
    return value


def build(value: dict[str, Any], cls: type, style: str = "camel") -> Any:
    """The ``cls`` of a value that :func:`accepts`, built through the class's own (validating)
    ``__init__`` from values converted here: tuples for arrays, datetimes of
    :func:`date_time`, nested models built the same way; unknown keys are dropped."""
    (document,) = (d for d in _documents(style).values() if d["title"] == cls.__name__)
    camel = {SNAKE_KEYS.get(key, key) if style == "snake" else key: key for key in ATTRIBUTES}
    kwargs = {}
    for key, node in document["properties"].items():
        if key in value:
            kwargs[ATTRIBUTES[camel[key]]] = _convert(value[key], node, style)
    obj = cls(**kwargs)
    assert attrs.has(type(obj))
    return obj


def problems_in_order(
    value: Any, cls: type, strict: bool = False, style: str = "camel"
) -> list[tuple[str, str]]:
    """The problems of :func:`problems`, each once, in the order jsonschema finds them.

    That order follows the schema files: an object's keywords as written (``properties``, then
    ``required``, then ``additionalProperties``, which strict mode adds last), its properties in
    the file's order and each one's problems before the next property's, array items by index;
    the names of one ``required`` in the file's order, the unknown keys in the value's order. A
    date-time's ``format`` and ``pattern`` are one problem, where the first of them is found.
    """
    found: dict[tuple[str, str], None] = {}
    for error in _validator(cls.__name__, strict, style).iter_errors(json_view(value)):
        where = list(error.absolute_path)
        keyword = str(error.validator)
        if keyword == "required":
            names = [name for name in error.validator_value if name not in error.instance]
            found.update(dict.fromkeys((pointer([*where, name]), keyword) for name in names))
        elif keyword == "additionalProperties":
            known = error.schema["properties"]
            extra = (pointer([*where, k]) for k in error.instance if k not in known)
            found.update(dict.fromkeys((path, keyword) for path in extra))
        elif keyword == "pattern" and error.schema.get("format") == "date-time":
            found.setdefault((pointer(where), "format"))
        else:
            found.setdefault((pointer(where), keyword))
    return list(found)
