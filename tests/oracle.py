"""An independent verdict: is a Python value a JSON document that the shipped schema files accept?

It reads the files from ``schemas/`` itself, links them with ``referencing`` and asks jsonschema's
stock draft 2020-12 validator, with only the date-time format check taken from the library (the
one parser both layers share). Values outside JSON's data model (NaN, tuples, sets, non-string
keys, lone surrogates) are caught first by a trip through JSON text.

For the snake wire it renames the keys of the files with :data:`SNAKE_KEYS`, the table of the
orq HTTP API's keys, written out here rather than derived the way the library derives them.
"""

import functools
import json
from pathlib import Path
from typing import Any

import jsonschema
import referencing

from sessionschema import _rfc3339

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

SCHEMAS = Path(__file__).parent.parent / "schemas"
_DOCUMENTS = [json.loads(p.read_text("utf-8")) for p in sorted(SCHEMAS.glob("*.schema.json"))]
_FORMATS = jsonschema.FormatChecker(formats=())


@_FORMATS.checks("date-time", raises=ValueError)
def _date_time(value: object) -> bool:
    return not isinstance(value, str) or bool(_rfc3339.parse(value))


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
def _validator(title: str, strict: bool, style: str) -> jsonschema.Draft202012Validator:
    documents = [to_snake(d) if style == "snake" else d for d in _DOCUMENTS]
    documents = [_strict(d) if strict else d for d in documents]
    resources = [referencing.Resource.from_contents(d) for d in documents]
    registry: referencing.Registry[Any] = referencing.Registry().with_resources(
        (d["$id"], r) for d, r in zip(documents, resources, strict=True)
    )
    (root,) = (d for d in documents if d["title"] == title)
    return jsonschema.Draft202012Validator(root, registry=registry, format_checker=_FORMATS)


def _is_json(value: Any) -> bool:
    try:
        text = json.dumps(value, allow_nan=False, ensure_ascii=False).encode("utf-8")
    except (TypeError, ValueError):
        return False
    return bool(json.loads(text) == value)


def accepts(value: Any, cls: type, strict: bool = False, style: str = "camel") -> bool:
    """The verdict of the schema files on ``value`` as ``cls``."""
    return _is_json(value) and _validator(cls.__name__, strict, style).is_valid(value)
