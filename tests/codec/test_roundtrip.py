"""Round trips: object -> dict -> object and valid dict -> object -> canonical dict."""

import json
import re
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import sessionschema as ss
from sessionschema import strategies
from sessionschema.models import MODELS

from ..support import LIBRARIES
from ..support.oracle import documents
from ..support.payloads import FULL, REFERENCE

_DATE_TIME = re.compile(r"(.{10})[Tt](.{8})(?:\.([0-9]+))?([Zz]|[+-][0-9]{2}:[0-9]{2})")
_DATE_KEYS = {"startedAt", "updatedAt", "started_at", "updated_at"}
STYLES = ("camel", "snake")
MODEL_STYLES = pytest.mark.parametrize(
    ("cls", "style"),
    [(cls, style) for cls in MODELS for style in STYLES],
    ids=lambda value: getattr(value, "__name__", value),
)


def canonical_date_time(text: str) -> str:
    """Upper-case T, Z for a zero offset, fraction cut to 6 digits without trailing zeros."""
    match = _DATE_TIME.fullmatch(text)
    assert match is not None
    date, time, fraction, offset = match.groups()
    fraction = (fraction or "")[:6].rstrip("0")
    offset = "Z" if offset in ("Z", "z", "+00:00", "-00:00") else offset
    return f"{date}T{time}{'.' + fraction if fraction else ''}{offset}"


def canonical(payload: dict[str, Any], schema: dict[str, Any], style: str) -> dict[str, Any]:
    """What dump(load(payload)) must give, written without the library, with the schema file
    (``schema``, of the style's keys, as the referee reads it) telling which keys hold integers
    and nested objects."""
    by_id = documents(style)
    result = {}
    for key, value in payload.items():
        node = schema["properties"].get(key, {})
        node = by_id.get(node.get("$ref", ""), node)
        items = node.get("items", {})
        items = by_id.get(items.get("$ref", ""), items)
        if value is None:
            continue
        if key in _DATE_KEYS:
            value = canonical_date_time(value)
        elif node.get("type") == "integer":
            value = int(value)  # 5.0 is the integer 5, written as 5
        elif isinstance(value, dict):
            value = canonical(value, node, style)
        elif isinstance(value, list) and items.get("type") == "object":
            value = [canonical(item, items, style) for item in value]
        result[key] = value
    return result


def same_json(a: Any, b: Any) -> bool:
    """Equal as JSON text (keys in any order): ints and floats, and the sign of zero, differ."""
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


@MODEL_STYLES
@given(data=st.data())
def test_object_dump_load_is_the_identity(cls: type, style: Any, data: st.DataObject) -> None:
    obj = data.draw(strategies.objects(cls))
    dumped = ss.dump(obj, style=style)
    assert ss.load(dumped, cls, style=style) == obj
    assert ss.load(dumped, cls, strict=True, style=style) == obj
    for lib in LIBRARIES:
        again: object = lib.loads(lib.dumps(obj, style=style), cls, style=style)
        assert again == obj, lib
        assert same_json(ss.dump(again, style=style), dumped), lib


@MODEL_STYLES
@given(data=st.data())
def test_payload_load_dump_is_canonical(cls: type, style: Any, data: st.DataObject) -> None:
    payload = data.draw(strategies.payloads(cls, style=style))
    (schema,) = (d for d in documents(style).values() if d.get("title") == cls.__name__)
    expected = canonical(payload, schema, style)
    assert same_json(ss.dump(ss.load(payload, cls, style=style), style=style), expected)
    for lib in LIBRARIES:
        text = lib.dumps(lib.loads(json.dumps(payload), cls, style=style), style=style)
        assert same_json(json.loads(text), expected), lib


@pytest.mark.parametrize("style", STYLES)
@given(data=st.data())
@example(data=None)
def test_dump_is_idempotent(style: Any, data: st.DataObject | None) -> None:
    examples = [FULL, REFERENCE, {**REFERENCE, "startedAt": "2024-05-06t07:08:09.1234567-00:00"}]
    payloads = [data.draw(strategies.payloads(style=style))] if data else examples
    for payload in payloads:
        once = ss.dump(ss.load(payload, style=style) if data else ss.load(payload), style=style)
        assert same_json(ss.dump(ss.load(once, style=style), style=style), once)


@MODEL_STYLES
@given(data=st.data())
def test_objects_dump_to_payloads_the_schema_accepts(
    cls: type, style: Any, data: st.DataObject
) -> None:
    from ..support.oracle import accepts

    assert accepts(ss.dump(data.draw(strategies.objects(cls)), style=style), cls, True, style)


def test_the_styles_carry_the_same_values() -> None:
    session = ss.load(FULL)
    snake = ss.dump(session, style="snake")
    assert snake["external_id"] == FULL["externalId"]
    assert snake["billing"] == {"input_cost": 400.03, "output_cost": 5357.48, "total_cost": 2072.38}
    assert ss.load(snake, style="snake") == session
