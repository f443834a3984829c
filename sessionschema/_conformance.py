"""The conformance suite: the library's decisions written as cases for any JSON Schema validator.

The files in ``conformance/`` follow the format of the official JSON-Schema-Test-Suite: a list of
groups ``{"description", "schema", "tests": [{"description", "data", "valid"}]}``, one file per
model, style and strictness. The schema is ``ss.schema(cls, style=..., strict=...)``; ``valid`` is
sessionschema's own verdict. Another implementation reads the contract the same way when it
gives the same verdict on every case (a validator without format assertion differs only on
February 29 of a year that is not a leap year).

The cases are built from the contract's description and the decision tables of
:mod:`sessionschema.strategies` (the rejected date-time forms, the corners of numbers), without
drawing at random, so the files are the same on every run. ``python -m sessionschema._conformance
DIRECTORY`` writes them; ``tests/test_portable.py`` fails when the committed files are stale.
"""

from __future__ import annotations

import copy
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ._api import errors, schema
from ._contract import Field, Model, describe_model
from ._schema import kebab
from ._styles import STYLES, Style
from .models import MODELS
from .strategies import _NUMBER_CORNERS, BAD_DATE_TIMES

__all__ = ["LEAP_DAYS", "file_name", "suite", "write"]

Case = tuple[str, Any]
"""A description and the data."""

GOOD_DATE_TIMES: tuple[str, ...] = (
    "2024-05-06T07:08:09Z",
    "2024-05-06t07:08:09z",  # lowercase t and z
    "2024-05-06T07:08:09+02:00",
    "2024-05-06T07:08:09-23:59",
    "2024-05-06T07:08:09+23:59",
    "2024-05-06T07:08:09-00:00",  # offset unknown: read as UTC
    "2024-05-06T07:08:09.5Z",  # a fraction of one digit
    "2024-05-06T07:08:09.123456789+01:00",  # nine digits: truncated to microseconds
    "2024-05-06T00:00:00Z",
    "2024-05-06T23:59:59Z",
    "2024-02-29T07:08:09Z",  # a leap year
    "2000-02-29T07:08:09Z",  # divisible by 400: a leap year
    "2024-01-31T07:08:09Z",
    "2024-04-30T07:08:09Z",
    "2024-12-31T07:08:09Z",
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59Z",
)
"""Date-times at the edges of what is accepted."""

LEAP_DAYS: tuple[str, ...] = (
    "2023-02-29T07:08:09Z",  # not a leap year
    "1900-02-29T07:08:09Z",  # divisible by 100, not by 400
)
"""The rejected date-times that only format assertion catches: no regular expression says which
years are leap years, so the schema's ``pattern`` lets these through."""

EDGE_DATE_TIMES: tuple[str, ...] = (
    *LEAP_DAYS,
    "2024-00-06T07:08:09Z",  # month 00
    "2024-13-06T07:08:09Z",  # month 13
    "2024-05-00T07:08:09Z",  # day 00
    "2024-05-32T07:08:09Z",  # day 32
    "2024-04-31T07:08:09Z",  # April has 30 days
    "2024-02-30T07:08:09Z",
    "2024-05-06T07:08:60Z",  # second 60 other than a leap second
    "2024-05-06T07:08:09+23:60",  # offset minute 60
    "2024-05-06T07:08:09-24:00",
    "2024-05-06T07:08:09+02",  # offset without minutes
    "2024-05-06T07:08Z",  # no seconds
    "2024-05-06T07:08:09,5Z",  # a comma before the fraction
    "2024-05-06T07:08:09Z ",  # trailing white space
    "2024-05-06T07:08:09ZZ",
    "2024-05-06T07:08:09.123",  # a fraction, no offset
    "12024-05-06T07:08:09Z",  # a five-digit year
    "2025-04-14 10:00:00Z",  # a space for T
)
"""More rejected date-times, each at the edge of one rule."""

NOT_NUMBERS: tuple[Any, ...] = ("1", "1.5", True, None, [1], {})
NOT_STRINGS: tuple[Any, ...] = (1, 1.5, True, None, ["a"], {})
NOT_ARRAYS: tuple[Any, ...] = ("a", 1, None, True, {})
NOT_ITEMS: tuple[Any, ...] = (None, 1, True, ["a"], {})
NOT_OBJECTS: tuple[Any, ...] = (None, 1, "object", [], True)

_SAMPLES: dict[str, Any] = {
    "string": "<value>",
    "number": 789.62,
    "nullable string": "proj_7f3a",
    "date-time": "2024-05-06T07:08:09.5+02:00",
    "strings": ["<value>"],
}


def _valid(model: Model, style: Style) -> dict[str, Any]:
    """A valid payload with every key, nested models included."""
    payload = {}
    for field in model.fields:
        if field.model is not None:
            payload[field.wire_key(style)] = _valid(describe_model(field.model), style)
        else:
            payload[field.wire_key(style)] = copy.deepcopy(_SAMPLES[field.kind])
    return payload


def _locations(
    model: Model, style: Style, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], Field]]:
    """Every key of a payload of ``model`` (the keys leading to it, and its field)."""
    for field in model.fields:
        where = (*path, field.wire_key(style))
        yield where, field
        if field.model is not None:
            yield from _locations(describe_model(field.model), style, where)


def _with(payload: dict[str, Any], path: tuple[str, ...], value: Any) -> dict[str, Any]:
    """A copy of ``payload`` with the key at ``path`` set to ``value``, or removed if value is
    :data:`_DROP`."""
    changed = copy.deepcopy(payload)
    parent = changed
    for key in path[:-1]:
        parent = parent[key]
    if value is _DROP:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return changed


_DROP = object()


def _pointer(path: tuple[str, ...]) -> str:
    return "/" + "/".join(path)


def _groups(model: Model, style: Style) -> Iterator[tuple[str, list[Case]]]:
    base = _valid(model, style)
    locations = list(_locations(model, style))
    minimal = base
    for path, field in locations:
        if not field.required and len(path) == 1:
            minimal = _with(minimal, path, _DROP)
    yield (
        "whole payloads",
        [
            ("every key present", base),
            ("the required keys only", minimal),
            *((f"not an object: {json.dumps(value)}", value) for value in NOT_OBJECTS),
        ],
    )
    yield (
        "missing keys",
        [
            (f"{_pointer(path)} absent ({'required' if field.required else 'optional'})", data)
            for path, field in locations
            for data in [_with(base, path, _DROP)]
        ],
    )
    yield (
        "unknown keys",
        [
            *(
                (f"an unknown key in {_pointer(path) if path else 'the root'}", data)
                for path in [(), *(p for p, f in locations if f.model is not None)]
                for data in [_with(base, (*path, "unknownKey"), 1)]
            ),
            *(
                (f"{_pointer(path)} spelled as the {other} wire spells it", data)
                for path, field in locations
                for other in STYLES
                if other != style and field.wire_key(other) != field.wire_key(style)
                for data in [_respelled(base, path, field.wire_key(other))]
            ),
        ],
    )
    for kind, title in (
        ("number", "numbers"),
        ("string", "strings"),
        ("nullable string", "strings or null"),
        ("strings", "arrays of strings"),
        ("date-time", "date-times"),
        ("model", "nested objects"),
    ):
        cases = [case for path, f in locations if f.kind == kind for case in _cases(base, path, f)]
        if cases:
            yield title, cases


def _respelled(base: dict[str, Any], path: tuple[str, ...], key: str) -> dict[str, Any]:
    """``base`` with the key at ``path`` renamed to ``key``."""
    value: Any = base
    for part in path:
        value = value[part]
    return _with(_with(base, path, _DROP), (*path[:-1], key), value)


def _cases(base: dict[str, Any], path: tuple[str, ...], field: Field) -> Iterator[Case]:
    where = _pointer(path)

    def case(description: str, value: Any) -> Case:
        return f"{where}: {description}", _with(base, path, value)

    if field.kind == "number":
        for number in _NUMBER_CORNERS:
            yield case(f"the number {number!r}", number)
        for value in NOT_NUMBERS:
            yield case(f"not a number: {json.dumps(value)}", value)
    elif field.kind in ("string", "nullable string"):
        yield case("an empty string", "")
        yield case("non-ASCII text and a control character", "é\u0000\u2028😀")
        yield case("null", None)
        for value in NOT_STRINGS:
            if value is not None:
                yield case(f"not a string: {json.dumps(value)}", value)
    elif field.kind == "strings":
        yield case("an empty array", [])
        yield case("many strings", [f"s{index}" for index in range(50)])
        yield case("not an array: null", None)
        for value in NOT_ARRAYS:
            if value is not None:
                yield case(f"not an array: {json.dumps(value)}", value)
        for value in NOT_ITEMS:
            yield case(f"an item that is not a string: {json.dumps(value)}", ["a", value])
    elif field.kind == "date-time":
        for text in dict.fromkeys((*GOOD_DATE_TIMES, *BAD_DATE_TIMES, *EDGE_DATE_TIMES)):
            yield case(f"the date-time {json.dumps(text)}", text)
        for value in NOT_STRINGS:
            yield case(f"not a string: {json.dumps(value)}", value)
    else:
        for value in NOT_OBJECTS:
            yield case(f"not an object: {json.dumps(value)}", value)


def suite(cls: type, style: Style = "camel", strict: bool = False) -> list[dict[str, Any]]:
    """The conformance groups of ``cls`` on the wire of ``style``, each case with the verdict of
    sessionschema itself."""
    model = describe_model(cls)
    bundled = schema(cls, style=style, strict=strict)
    groups = []
    for title, cases in _groups(model, style):
        tests = [
            {
                "description": description,
                "data": data,
                "valid": not errors(data, cls, strict=strict, style=style),
            }
            for description, data in cases
        ]
        groups.append(
            {
                "description": f"{cls.__name__}, {style} wire{', strict' if strict else ''}: "
                + title,
                "schema": bundled,
                "tests": tests,
            }
        )
    return groups


def file_name(cls: type, style: Style, strict: bool) -> str:
    """``create-session-usage.snake.strict.json``: the file of one model, style and strictness."""
    return f"{kebab(cls.__name__)}.{style}{'.strict' if strict else ''}.json"


def text(cls: type, style: Style, strict: bool) -> str:
    """The file's contents: indented JSON with one test a line, non-ASCII as itself."""

    def dumps(value: Any, indent: int | None = None) -> str:
        return json.dumps(value, ensure_ascii=False, indent=indent)

    groups = []
    for group in suite(cls, style, strict):
        tests = ",\n".join(f"      {dumps(test)}" for test in group["tests"])
        groups.append(
            "  {\n"
            f'    "description": {dumps(group["description"])},\n'
            f'    "schema": {dumps(group["schema"], 2).replace(chr(10), chr(10) + "    ")},\n'
            f'    "tests": [\n{tests}\n    ]\n'
            "  }"
        )
    return "[\n" + ",\n".join(groups) + "\n]\n"


def write(directory: Path) -> list[Path]:
    """Write every file of the suite into ``directory``; the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for cls in MODELS:
        for style in STYLES:
            for strict in (False, True):
                path = directory / file_name(cls, style, strict)
                path.write_text(text(cls, style, strict), encoding="utf-8")
                written.append(path)
    return written


if __name__ == "__main__":  # pragma: no cover - exercised by `make conformance`
    for written in write(Path(sys.argv[1] if len(sys.argv) > 1 else "conformance")):
        print(written)
