"""The schema files: loading, bundling, and validating a payload against them with jsonschema.

The files are read once from the package resources and registered by their ``$id`` in a
``referencing.Registry``, so ``$ref`` between them resolves offline. The files are written in the
camel style; the snake style's schemas are derived from them when first needed, so the two
cannot drift. Validators are built once per (model, strict, style) and reused.
"""

from __future__ import annotations

import copy
import functools
import json
import re
from collections.abc import Iterator
from importlib.resources import files
from typing import Any, cast

import jsonschema
import referencing
from jsonschema.protocols import Validator
from referencing.jsonschema import DRAFT202012

from . import _rfc3339, _values
from ._styles import Style, snake
from .errors import Error, listed, pointer

__all__ = ["SCAN_LIMIT", "bundle", "document", "errors", "find", "schema_id"]

SCAN_LIMIT = 10_000
"""Looking for problems stops after this many: enough to sort and count, bounded in time."""

_ID_PREFIX = "urn:sessionschema:"
_JSON_TYPES = {
    "array": "an array",
    "boolean": "a boolean",
    "integer": "an integer",
    "null": "null",
    "number": "a number",
    "object": "an object",
    "string": "a string",
}


def kebab(name: str) -> str:
    """``CreateSessionUsage`` -> ``create-session-usage``: a class's schema file stem."""
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


def schema_id(cls: type, style: Style = "camel") -> str:
    """The ``$id`` of the schema that describes ``cls`` on the wire of ``style``."""
    return _restyle_id(_ID_PREFIX + kebab(cls.__name__), style)


def _restyle_id(uri: str, style: Style) -> str:
    return uri if style == "camel" else uri.replace(_ID_PREFIX, f"{_ID_PREFIX}{style}:", 1)


def _to_snake(node: dict[str, Any]) -> dict[str, Any]:
    """A camel-style schema rewritten for the snake wire: keys, ``required``, ids and refs."""
    node = dict(node)
    for keyword in ("$id", "$ref"):
        if keyword in node:
            node[keyword] = _restyle_id(node[keyword], "snake")
    if "properties" in node:
        node["properties"] = {snake(k): _to_snake(v) for k, v in node["properties"].items()}
    if "required" in node:
        node["required"] = [snake(key) for key in node["required"]]
    if isinstance(node.get("items"), dict):
        node["items"] = _to_snake(node["items"])
    return node


@functools.cache
def _documents(style: Style = "camel") -> dict[str, dict[str, Any]]:
    """Every schema of ``style`` by ``$id``: the shipped files, or those derived from them."""
    if style == "snake":
        return {_restyle_id(k, style): _to_snake(v) for k, v in _documents("camel").items()}
    documents = {}
    for resource in files("sessionschema.schemas").iterdir():
        if resource.name.endswith(".schema.json"):
            contents = json.loads(resource.read_text(encoding="utf-8"))
            documents[contents["$id"]] = contents
    return documents


def document(cls: type, style: Style = "camel") -> dict[str, Any]:
    """A copy of the schema of ``cls`` (``$ref`` not resolved): a shipped file, or for the snake
    style the schema derived from it."""
    return copy.deepcopy(_documents(style)[schema_id(cls, style)])


def _forbid_extra(node: dict[str, Any]) -> dict[str, Any]:
    """The same schema with ``additionalProperties: false`` on every object with properties."""
    node = dict(node)
    if "properties" in node:
        node["properties"] = {k: _forbid_extra(v) for k, v in node["properties"].items()}
        node["additionalProperties"] = False
    if isinstance(node.get("items"), dict):
        node["items"] = _forbid_extra(node["items"])
    return node


@functools.cache
def _registry(strict: bool, style: Style) -> referencing.Registry[Any]:
    """The files by ``$id``. Their ``$schema`` is left out of the registered contents: jsonschema
    picks a validator class by ``$schema`` when it follows a ``$ref``, and would drop the JSON
    type checker below for its stock one."""
    resources = []
    for contents in _documents(style).values():
        contents = {k: v for k, v in contents.items() if k != "$schema"}
        resource = DRAFT202012.create_resource(_forbid_extra(contents) if strict else contents)
        resources.append((contents["$id"], resource))
    return referencing.Registry().with_resources(resources)


def _references(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            yield node["$ref"]
        for value in node.values():
            yield from _references(value)
    elif isinstance(node, list):
        for value in node:
            yield from _references(value)


def _relink(node: Any, names: dict[str, str]) -> Any:
    if isinstance(node, dict):
        return {
            k: f"#/$defs/{names[v]}" if k == "$ref" and v in names else _relink(v, names)
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_relink(value, names) for value in node]
    return node


def bundle(cls: type, style: Style = "camel") -> dict[str, Any]:
    """The schema of ``cls`` with every referenced file inlined under ``$defs``.

    References become local (``#/$defs/Billing``) and the embedded copies lose ``$id`` and
    ``$schema``, so any draft 2020-12 validator can use the result alone.
    """
    documents = _documents(style)
    root = documents[schema_id(cls, style)]
    pending, seen = list(_references(root)), set()
    while pending:
        ref = pending.pop()
        if ref not in seen and ref in documents:
            seen.add(ref)
            pending.extend(_references(documents[ref]))
    names = {ref: documents[ref]["title"] for ref in sorted(seen)}
    bundled = _relink(root, names)
    if names:
        bundled["$defs"] = {
            names[ref]: {
                k: _relink(v, names)
                for k, v in documents[ref].items()
                if k not in ("$id", "$schema")
            }
            for ref in sorted(seen)
        }
    return bundled  # type: ignore[no-any-return]


# -- validation ------------------------------------------------------------------------------

_TYPE_CHECKER = jsonschema.Draft202012Validator.TYPE_CHECKER.redefine_many(
    {
        "number": lambda _, value: _values.is_number(value),
        "string": lambda _, value: _values.is_string(value),
        "array": lambda _, value: _values.is_array(value),
        "object": lambda _, value: _values.is_object(value),
    }
)
FORMAT_CHECKER = jsonschema.FormatChecker(formats=())


@FORMAT_CHECKER.checks("date-time", raises=_rfc3339.DateTimeError)
def _is_date_time(value: object) -> bool:
    if isinstance(value, str):
        _rfc3339.parse(value)
    return True


# The keywords below replace jsonschema's own, which put ``repr(instance)`` into every message:
# unbounded work for a large value, endless for a self-referencing one, and a call into a hostile
# object's ``__repr__``. Messages are written by ``_translate`` instead, from the value itself.
Errors = Iterator[jsonschema.ValidationError]


def _type(validator: Validator, types: Any, instance: Any, schema: Any) -> Errors:
    names = [types] if isinstance(types, str) else types
    if not any(validator.is_type(instance, name) for name in names):
        yield jsonschema.ValidationError("type")


def _format(validator: Validator, name: str, instance: Any, schema: Any) -> Errors:
    checker: jsonschema.FormatChecker | None = getattr(validator, "format_checker", None)
    if checker is None or name not in checker.checkers:
        return
    check, raises = checker.checkers[name]
    try:
        check(instance)
    except raises as cause:
        yield jsonschema.ValidationError("format", cause=cause)


def _additional_properties(
    validator: Validator, allowed: Any, instance: Any, schema: Any
) -> Errors:
    if allowed is False and validator.is_type(instance, "object"):
        known = schema.get("properties", {})
        if any(name not in known for name in instance):
            yield jsonschema.ValidationError("additionalProperties")


#: Draft 2020-12 with JSON's types: a Python value outside JSON's data model (NaN, a set, a
#: tuple, a dict with non-string keys) is of no JSON type at all.
JSONValidator: type[Validator] = jsonschema.validators.extend(  # type: ignore[no-untyped-call]
    jsonschema.Draft202012Validator,
    type_checker=_TYPE_CHECKER,
    validators={
        "type": _type,
        "format": _format,
        "additionalProperties": _additional_properties,
    },
)


@functools.cache
def validator(cls: type, strict: bool = False, style: Style = "camel") -> Validator:
    """The jsonschema validator of ``cls``, built once and reused."""
    registry = _registry(strict, style)
    contents = registry.contents(schema_id(cls, style))
    return JSONValidator(contents, registry=registry, format_checker=FORMAT_CHECKER)


def _expected(types: str | list[str]) -> str:
    names = [types] if isinstance(types, str) else types
    return " or ".join(_JSON_TYPES.get(name, name) for name in names)


def _translate(error: jsonschema.ValidationError) -> Iterator[Error]:
    path = pointer(error.absolute_path)
    keyword = str(error.validator)
    instance: Any = error.instance
    expected: Any = error.validator_value
    if keyword == "required":
        for name in expected:
            if name not in instance:
                yield Error(
                    pointer([*error.absolute_path, name]), "required property is missing", keyword
                )
    elif keyword == "additionalProperties":
        known = cast(dict[str, Any], error.schema).get("properties", {})
        for name in instance:
            if name not in known:
                message = f"unknown property {_values.describe(name)[7:]} (strict mode)"
                yield Error(pointer([*error.absolute_path, name]), message, keyword)
    elif keyword == "type":
        message = f"expected {_expected(expected)}, got {_values.describe(instance)}"
        yield Error(path, message, keyword)
    elif keyword == "format":
        reason = f": {error.cause}" if error.cause else ""
        message = f"expected an RFC 3339 {expected}, got {_values.describe(instance)}"
        yield Error(path, message + reason, keyword)
    else:  # a keyword the shipped files do not use yet
        yield Error(path, error.message[: _values.QUOTE_LIMIT * 2], keyword)


def find(
    data: Any, cls: type, strict: bool = False, style: Style = "camel"
) -> tuple[list[Error], bool]:
    """The problems the schema of ``cls`` finds in ``data``, unsorted, and whether the search
    stopped at :data:`SCAN_LIMIT` before the end."""
    found: dict[Error, None] = {}  # insertion-ordered set: a required error repeats per name
    pending = validator(cls, strict, style).iter_errors(data)
    for error in pending:
        found.update(dict.fromkeys(_translate(error)))
        if len(found) >= SCAN_LIMIT:
            return list(found), next(pending, None) is not None
    return list(found), False


def errors(data: Any, cls: type, strict: bool = False, style: Style = "camel") -> list[Error]:
    """Every problem the schema of ``cls`` finds in ``data``, sorted by path and capped."""
    found, stopped = find(data, cls, strict, style)
    return listed(found, stopped=stopped)
