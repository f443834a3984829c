"""The contract read once from the schema files into a small description of each model.

Every field of every model says its attribute name, its key on each wire, whether it is
required, its JSON type and what that allows (null, a format, the type of an array's items, a
nested model). The code generator (:mod:`._compile`), the strategies, the command line's example
payload and the drift test read this description; nothing else reads the files' keywords.

A keyword the description does not know stops the reading with :class:`ContractError`, so a
schema file cannot say something the generated code would silently ignore.
"""

from __future__ import annotations

import functools
import re
from typing import Any, Literal

import attrs

from ._schema import documents, schema_id
from ._styles import Style, snake
from .models import MODELS

__all__ = ["ContractError", "Field", "Kind", "Model", "contract", "describe_model"]

Kind = Literal["number", "string", "nullable string", "date-time", "strings", "model"]
"""What a field holds, in the terms the generated code, the strategies and the tests branch on:
a JSON number, a string, a string or null, an RFC 3339 date-time string, an array of strings, or
a nested model."""

# The keywords a property's schema may use, and the ones that only describe.
_KNOWN = frozenset(
    {"type", "format", "pattern", "items", "$ref", "description", "title", "$comment"}
)
_FORMATS = frozenset({"date-time"})


class ContractError(ValueError):
    """A schema file says something the description (and so the generated code) cannot carry."""


@attrs.frozen
class Field:
    """One property of a model."""

    name: str
    """The attribute name: ``contact_ids``."""
    key: str
    """The key on the camel wire, as the schema file writes it: ``contactIds``."""
    required: bool
    kind: Kind
    model: type | None = None
    """The nested model, for a field of kind ``"model"``."""

    def wire_key(self, style: Style) -> str:
        """The key on the wire of ``style``: ``contactIds`` or ``contact_ids`` (``id``: ``_id``)."""
        return self.key if style == "camel" else snake(self.key)

    @property
    def types(self) -> tuple[str, ...]:
        """The JSON types the field allows, as the schema's ``type`` names them."""
        return _TYPES[self.kind]


_TYPES: dict[Kind, tuple[str, ...]] = {
    "number": ("number",),
    "string": ("string",),
    "nullable string": ("string", "null"),
    "date-time": ("string",),
    "strings": ("array",),
    "model": ("object",),
}


@attrs.frozen
class Model:
    """A model and its fields, in the order of the schema file's ``properties``."""

    cls: type
    fields: tuple[Field, ...]
    required: tuple[Field, ...]
    """The required fields, in the order of the schema file's ``required``."""


def _attribute(key: str) -> str:
    """``contactIds`` -> ``contact_ids``: the attribute name of a camel key, by rule only."""
    return re.sub(r"[A-Z]", lambda upper: "_" + upper.group().lower(), key)


def _kind(where: str, node: dict[str, Any], models: dict[str, type]) -> tuple[Kind, type | None]:
    unknown = set(node) - _KNOWN
    if unknown:
        raise ContractError(f"{where}: keyword {sorted(unknown)[0]!r} is not supported")
    if "$ref" in node:
        if set(node) - {"$ref", "description", "title", "$comment"}:
            raise ContractError(f"{where}: $ref beside other assertions is not supported")
        return "model", models[node["$ref"]]
    types = node.get("type")
    fmt = node.get("format")
    if fmt is not None and (fmt not in _FORMATS or types != "string"):
        raise ContractError(f"{where}: format {fmt!r} on type {types!r} is not supported")
    if "pattern" in node and fmt != "date-time":
        # A date-time's pattern restates for other validators what the one parser decides
        # (tests/test_portable.py proves the two agree); any other pattern would go unchecked.
        raise ContractError(f"{where}: a pattern is supported beside format 'date-time' only")
    if types == "number":
        return "number", None
    if types == "string":
        return ("date-time" if fmt else "string"), None
    if types in (["string", "null"], ["null", "string"]):
        return "nullable string", None
    if types == "array" and node.get("items") == {"type": "string"}:
        return "strings", None
    raise ContractError(f"{where}: type {types!r} with {sorted(node)} is not supported")


@functools.cache
def contract() -> dict[type, Model]:
    """Every model's description, read from the camel files (the snake wire is a renaming)."""
    files = documents("camel")
    by_id = {schema_id(cls): cls for cls in MODELS}
    described = {}
    for cls in MODELS:
        document = files[schema_id(cls)]
        if document.get("type") != "object":
            raise ContractError(f"{cls.__name__}: the schema of a model must be an object")
        required = list(document.get("required", ()))
        fields = []
        for key, node in document["properties"].items():
            kind, model = _kind(f"{cls.__name__}.{key}", node, by_id)
            fields.append(Field(_attribute(key), key, key in required, kind, model))
        by_key = {field.key: field for field in fields}
        missing = [key for key in required if key not in by_key]
        if missing:
            raise ContractError(f"{cls.__name__}: required {missing} are not properties")
        described[cls] = Model(cls, tuple(fields), tuple(by_key[key] for key in required))
    return described


def describe_model(cls: type) -> Model:
    """The description of one model."""
    return contract()[cls]
