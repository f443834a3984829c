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

from .payloads import FULL, REFERENCE

_DATE_TIME = re.compile(r"(.{10})[Tt](.{8})(?:\.([0-9]+))?([Zz]|[+-][0-9]{2}:[0-9]{2})")
_DATE_KEYS = {"startedAt", "updatedAt"}


def canonical_date_time(text: str) -> str:
    """Upper-case T, Z for a zero offset, fraction cut to 6 digits without trailing zeros."""
    match = _DATE_TIME.fullmatch(text)
    assert match is not None
    date, time, fraction, offset = match.groups()
    fraction = (fraction or "")[:6].rstrip("0")
    offset = "Z" if offset in ("Z", "z", "+00:00", "-00:00") else offset
    return f"{date}T{time}{'.' + fraction if fraction else ''}{offset}"


def canonical(payload: dict[str, Any]) -> dict[str, Any]:
    """What dump(load(payload)) must give, written without the library."""
    result = {}
    for key, value in payload.items():
        if value is None:
            continue
        if key in _DATE_KEYS:
            value = canonical_date_time(value)
        elif isinstance(value, dict):
            value = canonical(value)
        result[key] = value
    return result


def same_json(a: Any, b: Any) -> bool:
    """Equal as JSON text: ints and floats, and the sign of zero, are told apart."""
    return json.dumps(a) == json.dumps(b)


@pytest.mark.parametrize("cls", MODELS, ids=lambda m: m.__name__)
@given(data=st.data())
def test_object_dump_load_is_the_identity(cls: type, data: st.DataObject) -> None:
    obj = data.draw(strategies.objects(cls))
    dumped = ss.dump(obj)
    assert ss.load(dumped, cls) == obj
    assert ss.load(dumped, cls, strict=True) == obj
    again: object = ss.loads(ss.dumps(obj), cls)
    assert again == obj
    assert same_json(ss.dump(again), dumped)


@pytest.mark.parametrize("cls", MODELS, ids=lambda m: m.__name__)
@given(data=st.data())
def test_payload_load_dump_is_canonical(cls: type, data: st.DataObject) -> None:
    payload = data.draw(strategies.payloads(cls))
    assert same_json(ss.dump(ss.load(payload, cls)), canonical(payload))
    assert same_json(json.loads(ss.dumps(ss.loads(json.dumps(payload), cls))), canonical(payload))


@given(strategies.payloads())
@example(FULL)
@example(REFERENCE)
@example({**REFERENCE, "projectId": None, "startedAt": "2024-05-06t07:08:09.1234567-00:00"})
def test_dump_is_idempotent(payload: dict[str, Any]) -> None:
    once = ss.dump(ss.load(payload))
    assert same_json(ss.dump(ss.load(once)), once)


@given(strategies.objects())
def test_objects_dump_to_payloads_the_schema_accepts(obj: ss.CreateSessionRequestBody) -> None:
    from .oracle import accepts

    assert accepts(ss.dump(obj), ss.CreateSessionRequestBody, strict=True)
