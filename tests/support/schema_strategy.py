"""A generator driven by the shipped schema files alone, independent of the library's strategies.

It walks the keywords the files use (``type``, ``properties``, ``required``, ``items``,
``format``, ``pattern``, ``enum``, ``$ref``, and ``allOf`` of ``if``/``then``/``not`` rules) and
refuses any other, so a mistake copied into both the classes and
``sessionschema.strategies`` is still caught, and a new keyword in a file is noticed here.
"""

import json
import re
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

FOLDERS = (
    Path(__file__).parents[2] / "sessionschema" / "schemas",
    Path(__file__).parent / "contract" / "schemas",
)
DOCUMENTS = {
    document["$id"]: document
    for folder in FOLDERS
    for document in (json.loads(p.read_text("utf-8")) for p in folder.glob("*.schema.json"))
}
ANNOTATIONS = {"$schema", "$id", "$comment", "title", "description", "examples"}
HANDLED = {"type", "properties", "required", "items", "format", "pattern", "$ref", "enum", "allOf"}


@st.composite
def _rfc3339(draw: st.DrawFn) -> str:
    """date-time texts built from RFC 3339's grammar, field by field."""
    date = draw(st.dates())
    hour, minute, second = (draw(st.integers(0, top)) for top in (23, 59, 59))
    text = f"{date.year:04d}-{date.month:02d}-{date.day:02d}{draw(st.sampled_from('Tt'))}"
    text += f"{hour:02d}:{minute:02d}:{second:02d}"
    fraction = draw(st.text("0123456789", max_size=12))
    if fraction:
        text += "." + fraction
    zone = draw(st.sampled_from(["Z", "z", "offset"]))
    if zone == "offset":
        sign = draw(st.sampled_from("+-"))
        text += f"{sign}{draw(st.integers(0, 23)):02d}:{draw(st.integers(0, 59)):02d}"
    else:
        text += zone
    return text


_NUMBERS = st.integers() | st.floats(allow_nan=False, allow_infinity=False)
_SIMPLE: dict[str, st.SearchStrategy[Any]] = {
    "string": st.text(),
    "number": _NUMBERS,
    "integer": st.integers() | st.integers(-(2**53), 2**53).map(float),
    "boolean": st.booleans(),
    "null": st.none(),
}


def from_schema(node: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Instances of one schema node."""
    unknown = set(node) - HANDLED - ANNOTATIONS
    if unknown:
        raise NotImplementedError(f"the schema generator does not know {sorted(unknown)}")
    if "$ref" in node:
        return from_schema(DOCUMENTS[node["$ref"]])
    if "enum" in node:
        return st.sampled_from(node["enum"])
    types = node["type"] if isinstance(node["type"], list) else [node["type"]]
    if types == ["object"]:
        return _objects(node).filter(
            lambda value: all(_holds(rule, value) for rule in node.get("allOf", []))
        )
    if types == ["array"]:
        return st.lists(from_schema(node["items"]), max_size=5)
    if node.get("format") == "date-time":  # its pattern restates the format for other validators
        return _rfc3339().filter(lambda text: re.search(node["pattern"], text) is not None)
    if "pattern" in node:  # (ECMA's "$" is Python's "\Z"; "(?!\n)" only says so to Python)
        return st.from_regex(node["pattern"].replace("$(?!\\n)", "\\Z"))
    if "format" in node:
        raise NotImplementedError(f"no generator for the format {node['format']!r}")
    return st.one_of(*(_SIMPLE[name] for name in types))


def _holds(rule: dict[str, Any], value: dict[str, Any]) -> bool:
    """Whether ``value`` passes an ``if``/``then``/``not`` rule of the files' one form: when
    the flag of ``if`` is true, the key of ``then``'s ``not`` is absent."""
    if set(rule) != {"if", "then"} or set(rule["then"]) != {"not"}:
        raise NotImplementedError(f"the schema generator does not know the rule {rule}")
    (flag,) = rule["if"]["required"]
    (listed,) = rule["then"]["not"]["required"]
    return not (value.get(flag) is True and listed in value)


@st.composite
def _objects(draw: st.DrawFn, node: dict[str, Any]) -> dict[str, Any]:
    result = {}
    for key, child in node["properties"].items():
        if key in node.get("required", ()) or draw(st.booleans()):
            result[key] = draw(from_schema(child))
    return result


def instances(title: str) -> st.SearchStrategy[Any]:
    """Instances of the schema file whose ``title`` is given."""
    (document,) = (d for d in DOCUMENTS.values() if d["title"] == title)
    return from_schema(document)
