"""The conformance suite: the library's decisions written as cases for any JSON Schema validator.

The files in ``sessionschema/conformance/`` follow the format of the official
JSON-Schema-Test-Suite: a list of groups ``{"description", "schema", "tests": [{"description",
"data", "valid"}]}``, one file per model, style and strictness. The schema is
``ss.schema(cls, style=..., strict=...)``; ``valid`` is sessionschema's own verdict. Another
implementation reads the contract the same way when it gives the same verdict on every case (a
validator without format assertion differs only on
February 29 of a year that is not a leap year).

The cases are built from the contract's description and the kinds' own edge cases and invalid
samples (:data:`sessionschema.strategies.SAMPLES`: the rejected date-time forms, the corners
of numbers and integers, strings outside an enum), without drawing at random, so the files are the
same on every run. ``python -m tools.conformance DIRECTORY`` writes them (``make conformance``);
``tests/referee/test_other_validators.py`` fails when the committed files are stale.
"""

from __future__ import annotations

import copy
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from sessionschema import errors, schema
from sessionschema._example import example
from sessionschema._kinds import Field
from sessionschema._registry import describe_model
from sessionschema._registry import locations as contract_locations
from sessionschema._schema import kebab
from sessionschema._styles import STYLES, Style
from sessionschema.models import MODELS
from sessionschema.strategies import (
    EDGE_DATE_TIMES,
    GOOD_DATE_TIMES,
    LEAP_DAYS,
    SAMPLES,
    edge_cases,
    is_json,
    wrong_values,
)

__all__ = ["EDGE_DATE_TIMES", "GOOD_DATE_TIMES", "LEAP_DAYS", "file_name", "suite", "write"]

Case = tuple[str, Any]
"""A description and the data."""

NOT_ARRAYS: tuple[Any, ...] = ("a", 1, None, True, {})
NOT_OBJECTS: tuple[Any, ...] = (None, 1, "object", [], True)

Path_ = tuple[str | int, ...]
"""The keys and indices leading to a value."""


def _valid(cls: type, style: Style) -> dict[str, Any]:
    """A valid payload with every key, nested models included: the example."""
    return example(cls, style)


def _with(payload: dict[str, Any], path: Path_, value: Any) -> dict[str, Any]:
    """A copy of ``payload`` with the key at ``path`` set to ``value``, or removed if value is
    :data:`_DROP`."""
    changed = copy.deepcopy(payload)
    parent: Any = changed
    for key in path[:-1]:
        parent = parent[key]
    if value is _DROP:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return changed


_DROP = object()


def _pointer(path: Path_) -> str:
    return "/" + "/".join(str(part) for part in path)


def _title(field: Field) -> str:
    name = (field.model and "nested objects") or f"{field.kind.name} values"
    title = f"arrays of {name}" if field.array else name
    return title + (" or null" if field.nullable else "")


def _groups(cls: type, style: Style) -> Iterator[tuple[str, list[Case]]]:
    model = describe_model(cls)
    base = _valid(cls, style)
    locations = [
        (path, field) for path, field in contract_locations(cls, style) if _has(base, path)
    ]
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
                for path in [(), *(p for p, f in locations if f.model is not None and not f.array)]
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
    groups: dict[str, list[Case]] = {}
    for path, field in locations:
        groups.setdefault(_title(field), []).extend(_cases(base, path, field))
    yield from groups.items()
    if model.exclusions:
        cases = []
        for flag, listed in model.exclusions:
            key, other = flag.wire_key(style), listed.wire_key(style)
            for value, present in ((True, True), (False, True), (True, False)):
                data = _with(base, (key,), value)
                if not present:
                    data = _with(data, (other,), _DROP)
                with_list = "with" if present else "without"
                cases.append((f"/{key} {json.dumps(value)} {with_list} /{other}", data))
        yield "keys that exclude each other", cases


def _has(payload: Any, path: Path_) -> bool:
    try:
        for part in path[:-1]:
            payload = payload[part]
    except (KeyError, IndexError):
        return False
    return True


def _respelled(base: dict[str, Any], path: Path_, key: str) -> dict[str, Any]:
    """``base`` with the key at ``path`` renamed to ``key``."""
    value: Any = base
    for part in path:
        value = value[part]
    return _with(_with(base, path, _DROP), (*path[:-1], key), value)


def _cases(base: dict[str, Any], path: Path_, field: Field) -> Iterator[Case]:
    where = _pointer(path)
    kind = field.kind

    def case(description: str, value: Any) -> Case:
        return f"{where}: {description}", _with(base, path, value)

    yield case("null", None)
    if field.array:
        sample = _get(base, path)[0]
        yield case("an empty array", [])
        yield case("many items", [sample] * (50 if field.model is None else 3))
        for value in NOT_ARRAYS:
            if value is not None:
                yield case(f"not an array: {json.dumps(value)}", value)
        wrong = NOT_OBJECTS if field.model else (None, *wrong_values(field))
        for value in _distinct(filter(is_json, wrong)):
            yield case(f"an item refused: {json.dumps(value)}", [sample, value])
        return
    if field.model is not None:
        for value in NOT_OBJECTS:
            if value is not None:
                yield case(f"not an object: {json.dumps(value)}", value)
        return
    for description, value in edge_cases(field):
        yield case(description, value)
    for value in filter(is_json, SAMPLES[kind.name].invalid):
        yield case(f"not {kind.expected}: {json.dumps(value)}", value)


def _distinct(values: Iterable[Any]) -> list[Any]:
    """Each value once, by its JSON text (1 and true are different values)."""
    return list({json.dumps(value): value for value in values}.values())


def _get(payload: Any, path: Path_) -> Any:
    for part in path:
        payload = payload[part]
    return payload


def suite(cls: type, style: Style = "camel", strict: bool = False) -> list[dict[str, Any]]:
    """The conformance groups of ``cls`` on the wire of ``style``, each case with the verdict of
    sessionschema itself."""
    bundled = schema(cls, style=style, strict=strict)
    groups = []
    for title, cases in _groups(cls, style):
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


def write(directory: Path, models: tuple[type, ...] = MODELS) -> list[Path]:
    """Write every file of the suite of ``models`` into ``directory``; the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for cls in models:
        for style in STYLES:
            for strict in (False, True):
                path = directory / file_name(cls, style, strict)
                path.write_text(text(cls, style, strict), encoding="utf-8")
                written.append(path)
    return written


if __name__ == "__main__":  # pragma: no cover - exercised by `make conformance`
    for written in write(Path(sys.argv[1] if len(sys.argv) > 1 else "conformance")):
        print(written)
