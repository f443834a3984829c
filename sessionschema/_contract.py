"""The contract read once from the schema files into a small description of each model.

Every field of every model says its attribute name, its key on each wire, whether it is
required, its kind (an entry of :data:`._kinds.KINDS`), whether it is nullable or an array, and
what its kind needs (the nested model, the allowed strings). A model also says which pairs of
its keys exclude each other. The code generators (:mod:`._generate`, :mod:`._structs`), the class
generator (``tools/models.py``), the strategies and the example read this description; nothing
else reads the files' keywords.

A keyword the description does not know stops the reading with :class:`ContractError`, so a
schema file cannot say something the generated code would silently ignore.

The registered contracts, and their classes, are :mod:`._registry`'s.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from ._kinds import DESCRIBING, KINDS, NESTED, Field
from ._styles import snake_case

__all__ = ["ContractError", "Enum", "Model", "read"]

_PROPERTY_KEYWORDS = frozenset({"type", "format", "pattern", "items", "$ref", "enum"}) | DESCRIBING
_OBJECT_KEYWORDS = frozenset(
    {"$schema", "$id", "type", "properties", "required", "allOf"} | DESCRIBING
)


class ContractError(ValueError):
    """A schema file says something the description (and so the generated code) cannot carry."""


@attrs.frozen
class Model:
    """A model and its fields, in the order of the schema file's ``properties``."""

    title: str
    """The class's name, the schema file's ``title``."""
    description: str
    fields: tuple[Field, ...]
    required: tuple[Field, ...]
    """The required fields, in the order of the schema file's ``required``."""
    exclusions: tuple[tuple[Field, Field], ...] = ()
    """Pairs (flag, list): ``true`` in the flag must not come with the list (``allOf`` of
    ``if``/``then``/``not``)."""
    base: str | None = None
    """The model whose properties this one restates, each as written, and extends with more
    (the response body restates the request body): its class is a subclass of that one."""
    cls: Any = None
    """The class of the model, once bound (:func:`contract`)."""


@attrs.frozen
class Enum:
    """A named set of strings (a schema file with ``enum`` and no ``type``)."""

    title: str
    description: str
    values: tuple[str, ...]


def _bare(document: dict[str, Any]) -> dict[str, Any]:
    """A schema file without its ``$schema`` and ``$id``: the node a ``$ref`` stands for."""
    return {key: value for key, value in document.items() if key not in ("$schema", "$id")}


def _reference(where: str, node: dict[str, Any], by_id: dict[str, Any]) -> dict[str, Any]:
    if set(node) - {"$ref"} - DESCRIBING:
        raise ContractError(f"{where}: $ref beside other assertions is not supported")
    target = by_id.get(node["$ref"])
    if target is None:
        raise ContractError(f"{where}: $ref {node['$ref']!r} is not a schema file of the contract")
    return target  # type: ignore[no-any-return]


def _kind(where: str, node: dict[str, Any], by_id: dict[str, Any]) -> dict[str, Any]:
    """The keyword arguments of a :class:`Field` for the schema ``node`` of a property."""
    if not isinstance(node, dict):
        raise ContractError(f"{where}: a property's schema must be an object")
    unknown = set(node) - _PROPERTY_KEYWORDS
    if unknown:
        raise ContractError(f"{where}: keyword {sorted(unknown)[0]!r} is not supported")
    if "$ref" in node:
        target = _reference(where, node, by_id)
        if target.get("type") == "object":
            return {"kind": NESTED, "model": target["title"]}
        if KINDS["enum"].reads(_bare(target)):
            values = tuple(target["enum"])
            return {"kind": KINDS["enum"], "values": values, "enum": target["title"]}
        raise ContractError(f"{where}: $ref to {node['$ref']!r}, neither an object nor an enum")
    types = node.get("type")
    nullable = isinstance(types, list) and len(types) == 2 and "null" in types
    if isinstance(types, list) and nullable:
        (types,) = (name for name in types if name != "null")
        node = {**node, "type": types}
    fmt = node.get("format")
    if fmt is not None and (fmt != "date-time" or types != "string"):
        raise ContractError(f"{where}: format {fmt!r} on type {types!r} is not supported")
    if types == "array" and not nullable and set(node) - DESCRIBING == {"type", "items"}:
        item = _kind(f"{where}[]", node["items"], by_id)
        if item.get("array") or item.get("nullable"):
            raise ContractError(
                f"{where}: an array of arrays or of nullable items is not supported"
            )
        return {**item, "array": True}
    for kind in KINDS.values():
        if kind.reads(node):
            found: dict[str, Any] = {"kind": kind, "nullable": nullable}
            if kind.name == "enum":
                found["values"] = tuple(node["enum"])
            return found
    if "pattern" in node:
        raise ContractError(
            f"{where}: a pattern is supported beside format 'date-time' and for decimal digits only"
        )
    raise ContractError(f"{where}: type {types!r} with {sorted(node)} is not supported")


def _pair(rule: Any, by_key: dict[str, Field]) -> tuple[Field, Field] | None:
    """The (flag, list) of a rule ``{"if": {"type": "object", "properties": {flag: {"const":
    true}}, "required": [flag]}, "then": {"not": {"required": [list]}}}``, or None if the rule is
    not of that form. (The ``type`` keeps a value that is no object out of the rule: it is
    reported once, as of the wrong type, and not also as holding both keys.)"""
    try:
        condition, then = rule["if"], rule["then"]
        (flag,) = condition["required"]
        (listed,) = then["not"]["required"]
        flag_field, list_field = by_key[flag], by_key[listed]
    except (KeyError, TypeError, ValueError):
        return None
    shape = (
        set(rule) == {"if", "then"}
        and set(condition) == {"type", "properties", "required"}
        and condition["type"] == "object"
        and condition["properties"] == {flag: {"const": True}}
        and set(then) == {"not"}
        and set(then["not"]) == {"required"}
    )
    fields = (
        flag_field.kind.name == "boolean"
        and not flag_field.array
        and not flag_field.required
        and list_field.array
        and not list_field.required
    )
    return (flag_field, list_field) if shape and fields else None


def _exclusions(
    where: str, rules: Any, by_key: dict[str, Field]
) -> tuple[tuple[Field, Field], ...]:
    """The pairs of ``allOf``, each rule of the one form :func:`_pair` reads."""
    pairs = []
    for rule in rules if isinstance(rules, list) else [rules]:
        pair = _pair(rule, by_key)
        if pair is None:
            raise ContractError(
                f"{where}: allOf holds only rules of the form if {{type object, flag: const true}}"
                " then not required [list], for an optional boolean flag and an optional array"
            )
        pairs.append(pair)
    return tuple(pairs)


def _model(title: str, document: dict[str, Any], by_id: dict[str, Any]) -> Model:
    unknown = set(document) - _OBJECT_KEYWORDS
    if unknown:
        raise ContractError(f"{title}: keyword {sorted(unknown)[0]!r} is not supported")
    required = list(document.get("required", ()))
    fields = []
    for key, node in document.get("properties", {}).items():
        where = f"{title}.{key}"
        fields.append(
            Field(
                snake_case(key),  # the attribute: the rule alone (``id`` stays ``id``)
                key,
                key in required,
                description=node.get("description") if isinstance(node, dict) else None,
                examples=tuple(node.get("examples", ())) if isinstance(node, dict) else (),
                **_kind(where, node, by_id),
            )
        )
    by_key = {field.key: field for field in fields}
    missing = [key for key in required if key not in by_key]
    if missing:
        raise ContractError(f"{title}: required {missing} are not properties")
    exclusions = _exclusions(title, document["allOf"], by_key) if "allOf" in document else ()
    return Model(
        title,
        document.get("description", ""),
        tuple(fields),
        tuple(by_key[key] for key in required),
        exclusions,
    )


def _base(model: Model, documents: dict[str, dict[str, Any]]) -> str | None:
    """The largest other model whose properties ``model`` restates, as written, and extends."""
    mine = documents[model.title]
    best: str | None = None
    for title, other in documents.items():
        theirs = other.get("properties", {})
        if (
            title != model.title
            and not other.get("allOf")
            and not mine.get("allOf")
            and len(theirs) < len(mine["properties"])
            and all(mine["properties"].get(key) == node for key, node in theirs.items())
            and set(other.get("required", ())) <= set(mine.get("required", ()))
            and (best is None or len(theirs) > len(documents[best]["properties"]))
        ):
            best = title
    return best


def read(documents: Iterable[dict[str, Any]]) -> tuple[dict[str, Model], dict[str, Enum]]:
    """The models and the named enums of a set of camel-style schema documents, by title, the
    models in an order where each comes after the models it contains and extends."""
    documents = list(documents)
    by_id = {document["$id"]: document for document in documents}
    objects = {d["title"]: d for d in documents if d.get("type") == "object"}
    enums = {}
    for document in documents:
        if document.get("type") == "object":
            continue
        if not KINDS["enum"].reads(_bare(document)):
            raise ContractError(f"{document.get('title')}: a schema file is an object or an enum")
        enums[document["title"]] = Enum(
            document["title"], document.get("description", ""), tuple(document["enum"])
        )
    read_models = {}
    for title, document in objects.items():
        model = _model(title, document, by_id)
        read_models[title] = attrs.evolve(model, base=_base(model, objects))
    ordered: dict[str, Model] = {}

    def visit(title: str, path: tuple[str, ...] = ()) -> None:
        if title in ordered:
            return
        if title in path:
            raise ContractError(f"{title}: a model that contains itself is not supported")
        model = read_models[title]
        needs = [field.model for field in model.fields if field.model] + [model.base or ""]
        for needed in needs:
            if needed:
                visit(needed, (*path, title))
        ordered[title] = model

    for title in sorted(read_models):
        visit(title)
    return ordered, enums
