"""The schema files: reading them, deriving the snake wire's, and bundling them.

The files are read once from the package resources and kept by their ``$id``. They are written in
the camel style; the snake style's schemas are derived from them when first needed, so the two
cannot drift. What the files say is turned into code by :mod:`._contract` and :mod:`._compile`;
no validator reads them at run time.
"""

from __future__ import annotations

import copy
import functools
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ._styles import Style, snake

__all__ = ["bundle", "document", "documents", "schema_id"]

_ID_PREFIX = "urn:sessionschema:"


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
    for keyword in ("items", "if", "then", "not"):
        if isinstance(node.get(keyword), dict):
            node[keyword] = _to_snake(node[keyword])
    if isinstance(node.get("allOf"), list):
        node["allOf"] = [_to_snake(rule) for rule in node["allOf"]]
    return node


@functools.cache
def documents(style: Style = "camel") -> dict[str, dict[str, Any]]:
    """Every schema of ``style`` by ``$id``: the files of every registered contract, or those
    derived from them."""
    if style == "snake":
        return {_restyle_id(k, style): _to_snake(v) for k, v in documents("camel").items()}
    found = {}
    for folder in _FOLDERS:
        for path in sorted(folder.glob("*.schema.json")):
            contents = json.loads(path.read_text(encoding="utf-8"))
            if contents["$id"] in found:
                raise ValueError(f"{path}: the $id {contents['$id']!r} is taken")
            found[contents["$id"]] = contents
    return found


FOLDER = Path(__file__).with_name("schemas")
"""The shipped schema files: package data beside the code."""
_FOLDERS: list[Path] = []


def add_folder(folder: Path) -> None:
    """Read the schema files of ``folder`` too (a contract being registered)."""
    if folder not in _FOLDERS:
        _FOLDERS.append(folder)
        documents.cache_clear()


def document(cls: type, style: Style = "camel") -> dict[str, Any]:
    """A copy of the schema of ``cls`` (``$ref`` not resolved): a shipped file, or for the snake
    style the schema derived from it."""
    return copy.deepcopy(documents(style)[schema_id(cls, style)])


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


def _forbid_extra(node: Any) -> Any:
    """The same schema with ``additionalProperties: false`` on every model's object, not on the
    schemas of an ``allOf`` rule, which only test one key (there it would change the test)."""
    if isinstance(node, dict):
        node = {k: v if k == "allOf" else _forbid_extra(v) for k, v in node.items()}
        if "properties" in node:
            node["additionalProperties"] = False
    elif isinstance(node, list):
        node = [_forbid_extra(value) for value in node]
    return node


def bundle(cls: type, style: Style = "camel", strict: bool = False) -> dict[str, Any]:
    """The schema of ``cls`` with every referenced file inlined under ``$defs``.

    References become local (``#/$defs/Billing``) and the embedded copies lose ``$id`` and
    ``$schema``, so any draft 2020-12 validator can use the result alone. ``strict``: every
    object, nested ones included, has ``additionalProperties: false``, as ``strict=True``
    reads; its ``$id`` says so (``urn:sessionschema:strict:...``).
    """
    by_id = documents(style)
    root = by_id[schema_id(cls, style)]
    pending, seen = list(_references(root)), set()
    while pending:
        ref = pending.pop()
        if ref not in seen and ref in by_id:
            seen.add(ref)
            pending.extend(_references(by_id[ref]))
    names = {ref: by_id[ref]["title"] for ref in sorted(seen)}
    bundled = _relink(root, names)
    if names:
        bundled["$defs"] = {
            names[ref]: {
                k: _relink(v, names) for k, v in by_id[ref].items() if k not in ("$id", "$schema")
            }
            for ref in sorted(seen)
        }
    if strict:
        bundled = _forbid_extra(bundled)
        bundled["$id"] = bundled["$id"].replace(_ID_PREFIX, f"{_ID_PREFIX}strict:", 1)
    return bundled  # type: ignore[no-any-return]
