"""An independent referee: the problems the schema files find in any Python value.

It reads the shipped files from ``sessionschema/schemas/`` and the test contract's from
``tests/support/contract/schemas/`` itself, links them with ``referencing`` and asks jsonschema's
stock draft 2020-12 validator, with stock types. Nothing of the library is used: the date-time
format check is written here (fixed positions and :func:`calendar.monthrange`, not a regex), and so
are the JSON Pointers and the keys of the snake wire (:data:`SNAKE_KEYS`, the table of the orq HTTP
API's keys and the test contract's, written out rather than derived the way the library derives
them).

Values outside JSON's data model (NaN and infinities, integers beyond a double's range, strings
with a lone surrogate, tuples, sets, bytes, dicts with a non-string key, a container inside
itself, any other object) are replaced by :data:`NOT_JSON`, which no JSON type matches, before
the stock validator sees the value: each is then a ``type`` problem where the schema looks at it,
and nothing where it does not (the value of an unknown key).
"""

from __future__ import annotations

import calendar
import functools
import importlib
import json
import math
from collections.abc import Iterable, Iterator
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
    "SCHEMA_DIRECTORIES",
    "SNAKE_KEYS",
    "DateTimeFields",
    "accepts",
    "build",
    "date_time",
    "documents",
    "json_view",
    "pointer",
    "problems",
    "problems_in_order",
    "read_date_time",
    "register",
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
    # the threads
    "clearContactIds": "clear_contact_ids",
    "clearTags": "clear_tags",
    "startDate": "start_date",
    "endDate": "end_date",
    "hasMore": "has_more",
    # the test contract (tests/support/contract/schemas/)
    "seenAt": "seen_at",
}
"""The snake keys of the HTTP API and of the test contract, by camel key; a key not listed is the
same in both styles."""

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
    # the threads
    "title": "title",
    "client": "client",
    "repo": "repo",
    "kind": "kind",
    "clearContactIds": "clear_contact_ids",
    "clearTags": "clear_tags",
    "interval": "interval",
    "startDate": "start_date",
    "endDate": "end_date",
    "filters": "filters",
    "limit": "limit",
    "page": "page",
    "object": "object",
    "data": "data",
    "hasMore": "has_more",
    "count": "count",
    # the test contract (tests/support/contract/schemas/)
    "reading": "reading",
    "label": "label",
    "name": "name",
    "ratio": "ratio",
    "active": "active",
    "maybe": "maybe",
    "mode": "mode",
    "level": "level",
    "note": "note",
    "seenAt": "seen_at",
    "since": "since",
    "counts": "counts",
    "labels": "labels",
    "gauge": "gauge",
    "gauges": "gauges",
}
"""The attribute of the models that holds each camel key."""

SCHEMA_DIRECTORIES: Final = (
    Path(__file__).parents[2] / "sessionschema" / "schemas",
    Path(__file__).parent / "contract" / "schemas",
)
"""Where the schema files are read from: the shipped contract, then the test contract."""
_DOCUMENTS = [
    json.loads(path.read_text("utf-8"))
    for directory in SCHEMA_DIRECTORIES
    for path in sorted(directory.glob("*.schema.json"))
]
assert (
    len({d["title"] for d in _DOCUMENTS}) == len({d["$id"] for d in _DOCUMENTS}) == len(_DOCUMENTS)
), "two schema files share a title or an $id"

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

_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf")
"""The keywords whose value is a list of schemas."""
_SCHEMA_PLACES = ("items", "if", "then", "else", "not")
"""The keywords whose value is one schema (``properties`` aside: a schema by key)."""


def _strict(node: dict[str, Any]) -> dict[str, Any]:
    """The schema with ``additionalProperties: false`` on each object it describes: the object
    itself and those below it through ``properties`` and ``items``, not the schemas that only
    test a value (``if``, ``then``, ``not``, ``allOf``...): there it would change the test."""
    node = dict(node)
    if "properties" in node:
        node["properties"] = {key: _strict(value) for key, value in node["properties"].items()}
        node["additionalProperties"] = False
    if "items" in node:
        node["items"] = _strict(node["items"])
    return node


def to_snake(node: dict[str, Any]) -> dict[str, Any]:
    """A camel-style schema with the keys of the snake wire: the keys of ``properties`` and the
    names of ``required``, in the schema itself and in every schema inside it (properties,
    ``items``, ``allOf``, ``if``, ``then``, ``not``...). Values (``enum``, ``const``) stay."""
    node = dict(node)
    if "properties" in node:
        node["properties"] = {
            SNAKE_KEYS.get(key, key): to_snake(value) for key, value in node["properties"].items()
        }
    if "required" in node:
        node["required"] = [SNAKE_KEYS.get(key, key) for key in node["required"]]
    for keyword in _SCHEMA_PLACES:
        if keyword in node:
            node[keyword] = to_snake(node[keyword])
    for keyword in _SCHEMA_LISTS:
        if keyword in node:
            node[keyword] = [to_snake(member) for member in node[keyword]]
    return node


@functools.cache
def _by_id(style: str) -> dict[str, dict[str, Any]]:
    if style not in ("camel", "snake"):
        raise ValueError(f"unknown style {style!r}")
    return {d["$id"]: to_snake(d) if style == "snake" else d for d in _DOCUMENTS}


def documents(style: str = "camel") -> dict[str, dict[str, Any]]:
    """The schema files of ``style`` (``"camel"``, as written, or ``"snake"``, through
    :func:`to_snake`) by ``$id``: the shipped ones and the test contract's. The documents are
    shared: read them, do not change them."""
    return _by_id(style)


def _document(title: str, style: str) -> dict[str, Any]:
    (document,) = (d for d in documents(style).values() if d["title"] == title)
    return document


def _depth(node: dict[str, Any], style: str = "camel") -> int:
    """How many levels below a value the schema ``node`` looks."""
    if "$ref" in node:
        return _depth(documents(style)[node["$ref"]], style)
    below = [_depth(child, style) for child in node.get("properties", {}).values()]
    if "items" in node:
        below.append(_depth(node["items"], style))
    return 1 + max(below) if below else 0


assert max(_depth(document) for document in _DOCUMENTS) < LOOK


@functools.cache
def _validator(title: str, strict: bool, style: str) -> jsonschema.Draft202012Validator:
    chosen = [_strict(d) if strict else d for d in documents(style).values()]
    registry: referencing.Registry[Any] = referencing.Registry().with_resources(
        (d["$id"], referencing.Resource.from_contents(d)) for d in chosen
    )
    (root,) = (d for d in chosen if d["title"] == title)
    return jsonschema.Draft202012Validator(root, registry=registry, format_checker=_FORMATS)


def _pairs(error: jsonschema.ValidationError) -> Iterator[tuple[str, str]]:
    """The (JSON Pointer, keyword) problems that one error of jsonschema stands for."""
    where = list(error.absolute_path)
    keyword = str(error.validator)
    rule: Any = error.validator_value
    instance: Any = error.instance
    schema: Any = error.schema
    if keyword == "required":
        for name in rule:
            if name not in instance:
                yield pointer([*where, name]), keyword
    elif keyword == "additionalProperties":
        known = schema["properties"]
        for key in instance:
            if key not in known:
                yield pointer([*where, key]), keyword
    elif keyword == "not" and isinstance(rule, dict) and rule.keys() == {"required"}:
        # an exclusion rule ("if the flag is true, then not the list"): at the excluded key
        for name in rule["required"]:
            yield pointer([*where, name]), keyword
    elif keyword == "pattern" and schema.get("format") == "date-time":
        yield pointer(where), "format"  # the format restated for other validators
    else:
        yield pointer(where), keyword


def problems(
    value: Any, cls: type, strict: bool = False, style: str = "camel"
) -> frozenset[tuple[str, str]]:
    """Every (JSON Pointer, keyword) problem of ``value`` as ``cls`` (the model whose schema file
    has the class's name as its title).

    ``required``: one per missing name, at the pointer where it should be; ``additionalProperties``
    (strict only): one per unknown key, at that key; ``type`` (``integer`` included: 5.0 is one,
    5.5 and true are not), ``enum``, ``pattern`` and ``format``: at the value. An exclusion rule
    (``if`` a flag is true ``then not required`` a key) broken: ``not`` at the excluded key, such
    as ``("/tags", "not")``. A date-time's ``pattern`` (the files restate the format as a pattern,
    for validators that do not assert formats) is the same problem as its ``format``: one
    ``format`` problem, whichever of the two refuses the string (they differ on purpose only on
    February 29); any other ``pattern`` is a ``pattern`` problem.
    """
    found: set[tuple[str, str]] = set()
    for error in _validator(cls.__name__, strict, style).iter_errors(json_view(value)):
        found.update(_pairs(error))
    return frozenset(found)


def accepts(value: Any, cls: type, strict: bool = False, style: str = "camel") -> bool:
    """The verdict of the schema files on ``value`` as ``cls``: no problem at all."""
    return not problems(value, cls, strict, style)


def problems_in_order(
    value: Any, cls: type, strict: bool = False, style: str = "camel"
) -> list[tuple[str, str]]:
    """The problems of :func:`problems`, each once, in the order jsonschema finds them.

    That order follows the schema files: an object's keywords as written (``properties``, then
    ``required``, then ``allOf`` with the exclusion rules, then ``additionalProperties``, which
    strict mode adds last), its properties in the file's order and each one's problems before the
    next property's, array items by index; the names of one ``required`` in the file's order, the
    unknown keys in the value's order. A date-time's ``format`` and ``pattern`` are one problem,
    where the first of them is found.
    """
    found: dict[tuple[str, str], None] = {}
    for error in _validator(cls.__name__, strict, style).iter_errors(json_view(value)):
        for pair in _pairs(error):
            found.setdefault(pair)
    return list(found)


# -- building the model of a valid value ---------------------------------------------------------

_MODELS = {model.__name__: model for model in MODELS}
_REGISTERED: dict[str, type] = {}
_CONTRACT_MODELS: Final = "contract.models"
"""The module, beside this one, whose classes (named by the titles) are the test contract's
models; used by :func:`build` when it exists and holds the class asked for."""


def register(*classes: type) -> None:
    """Make :func:`build` use these classes for the schema files whose titles are their names,
    before the shipped models and the test contract's module; a later class of the same name
    replaces an earlier one."""
    for cls in classes:
        _REGISTERED[cls.__name__] = cls


def _model(title: str) -> type:
    """The class that :func:`build` makes for the schema file titled ``title``."""
    if title in _REGISTERED:
        return _REGISTERED[title]
    if title in _MODELS:
        return _MODELS[title]
    name = f"{__package__}.{_CONTRACT_MODELS}" if __package__ else _CONTRACT_MODELS
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as error:
        if error.name is None or not (name == error.name or name.startswith(error.name + ".")):
            raise  # the module exists but imports something missing
        raise LookupError(f"no class for {title!r}: register() one") from None
    found = getattr(module, title, None)
    if not isinstance(found, type):
        raise LookupError(f"no class for {title!r}: register() one")
    return found


def _types(node: dict[str, Any]) -> tuple[str, ...]:
    kinds = node.get("type", ())
    return (kinds,) if isinstance(kinds, str) else tuple(kinds)


def _convert(value: Any, node: dict[str, Any], style: str) -> Any:
    if value is None:  # null, where the type allows it
        return None
    if "$ref" in node:
        target = documents(style)[node["$ref"]]
        if "enum" in target:
            assert isinstance(value, str), f"not an enum value: {value!r}"
            return value
        return build(value, _model(target["title"]), style)
    kinds = _types(node)
    if "array" in kinds and isinstance(value, list):
        return tuple(_convert(item, node["items"], style) for item in value)
    if "integer" in kinds and isinstance(value, float):
        assert value.is_integer(), f"not an integer: {value!r}"
        return int(value)
    if node.get("format") == "date-time":
        parsed = date_time(value)
        assert parsed is not None, f"not a date-time: {value!r}"
        return parsed
    return value


def build(value: dict[str, Any], cls: type, style: str = "camel") -> Any:
    """The ``cls`` of a value that :func:`accepts`, built through the class's own (validating)
    ``__init__`` from values converted here: tuples for arrays, ints for integers (5.0 is 5),
    datetimes of :func:`date_time`, enum values and other strings, numbers, booleans and nulls as
    they are, nested models built the same way; unknown keys are dropped.

    A nested model's class is found by its file's title: a class given to :func:`register`, else
    a shipped model (:data:`sessionschema.models.MODELS`), else the class of that name in
    ``tests/support/contract/models.py``.
    """
    document = _document(cls.__name__, style)
    camel = {SNAKE_KEYS.get(key, key) if style == "snake" else key: key for key in ATTRIBUTES}
    kwargs = {}
    for key, node in document["properties"].items():
        if key in value:
            kwargs[ATTRIBUTES[camel[key]]] = _convert(value[key], node, style)
    obj = cls(**kwargs)
    assert attrs.has(type(obj))
    return obj
