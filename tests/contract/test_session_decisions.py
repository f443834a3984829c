"""One example test for each documented decision of the contract."""

import json
import math
from datetime import datetime, timezone
from typing import Any

import attrs
import pytest

import sessionschema as ss
from sessionschema import Billing, CreateSessionRequestBody, CreateSessionUsage

from ..support import Library
from ..support.payloads import FULL, REFERENCE, valid_payload


def problems(data: Any, **options: Any) -> list[tuple[str, str]]:
    """(path, keyword) of every problem, checked to be the same from errors() and load()."""
    found = ss.errors(data, **options)
    with pytest.raises(ss.ValidationError) as info:
        ss.load(data, **options)
    assert list(info.value.errors) == found
    return [(error.path, error.keyword) for error in found]


def test_the_reference_example_loads_and_dumps_back(lib: Library) -> None:
    session = ss.load(REFERENCE)
    assert session.billing == Billing(input_cost=400.03, output_cost=5357.48, total_cost=2072.38)
    assert session.contact_ids == ("<value>",)
    assert ss.dump(session) == REFERENCE
    assert json.loads(lib.dumps(session)) == REFERENCE


@pytest.mark.parametrize("data", [[], "session", 1, 1.5, None, True, [REFERENCE]])
def test_a_payload_that_is_not_an_object_has_one_error_at_the_root(data: Any) -> None:
    assert problems(data) == [("", "type")]
    assert ss.errors(data)[0].message.startswith("expected an object, got ")


@pytest.mark.parametrize(
    "value", [True, False, math.nan, math.inf, -math.inf, "1", "1.5", None, [1], {"n": 1}]
)
def test_numbers_are_json_numbers_only(value: Any) -> None:
    assert problems(valid_payload(duration=value)) == [("/duration", "type")]
    with pytest.raises((TypeError, ValueError)):
        Billing(input_cost=value, output_cost=1, total_cost=1)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (True, "expected a number, got boolean true"),
        (math.nan, "expected a number, got NaN"),
        (-math.inf, "expected a number, got -Infinity"),
        ("789.62", "expected a number, got string '789.62'"),
    ],
)
def test_number_messages_name_what_was_found(value: Any, message: str) -> None:
    (error,) = ss.errors(valid_payload(tracesCount=value))
    assert error.message == message


def test_ints_stay_ints_and_floats_stay_floats(lib: Library) -> None:
    data = valid_payload(duration=10, tracesCount=10.0)
    session = ss.load(data)
    assert type(session.duration) is int
    assert type(session.traces_count) is float
    text = lib.dumps(session)
    assert '"duration":10,' in text
    assert '"tracesCount":10.0,' in text


def test_negative_zero_keeps_its_sign(lib: Library) -> None:
    session = ss.load(valid_payload(duration=-0.0))
    assert math.copysign(1, session.duration) == -1
    assert '"duration":-0.0' in lib.dumps(session)


def test_big_integers_are_valid(lib: Library) -> None:
    session = lib.loads(json.dumps(valid_payload(duration=10**30)))
    assert session.duration == 10**30
    assert '"duration":1000000000000000000000000000000,' in lib.dumps(session)


@pytest.mark.parametrize("text", ["1" + "0" * 309, "-1" + "0" * 309, "1e400", "-1E400"])
def test_numbers_beyond_a_double_are_rejected_in_any_spelling(lib: Library, text: str) -> None:
    data = json.dumps(valid_payload(duration=0)).replace('"duration": 0', f'"duration": {text}')
    with pytest.raises(ss.ValidationError) as info:
        lib.loads(data)
    (error,) = info.value.errors
    assert error.path in ("", "/duration")
    assert ss.load(valid_payload(duration=int("1" + "0" * 308))).duration == 10**308


def test_a_byte_order_mark_is_rejected_with_a_reason(lib: Library) -> None:
    with pytest.raises(ss.ValidationError, match="byte order mark"):
        lib.loads(b"\xef\xbb\xbf" + json.dumps(FULL).encode())


@pytest.mark.parametrize("value", [42, None, b"id", ["id"], True])
def test_strings_are_not_coerced(value: Any) -> None:
    assert problems(valid_payload(externalId=value)) == [("/externalId", "type")]


def test_a_bad_array_element_is_reported_at_its_index() -> None:
    data = valid_payload(contactIds=["a", None, "c", 3], tags=["ok"])
    assert problems(data) == [("/contactIds/1", "type"), ("/contactIds/3", "type")]


@pytest.mark.parametrize("value", ["a,b", ("a", "b"), {"0": "a"}, None])
def test_arrays_are_json_arrays(value: Any) -> None:
    assert problems(valid_payload(tags=value)) == [("/tags", "type")]


def test_models_hold_tuples() -> None:
    session = ss.load(valid_payload(tags=["x", "y"]))
    assert session.tags == ("x", "y")
    assert hash(session) == hash(ss.load(valid_payload(tags=["x", "y"])))
    with pytest.raises(TypeError):
        attrs.evolve(session, tags=["x", "y"])  # type: ignore[arg-type]


def test_strings_must_be_unicode_text() -> None:
    assert problems(valid_payload(externalId="\ud800")) == [("/externalId", "type")]
    assert problems(valid_payload(tags=["ok", "\udfff"])) == [("/tags/1", "type")]


@pytest.mark.parametrize("changes", [{"projectId": None}, {}])
def test_project_id_null_or_absent_loads_as_none(changes: dict[str, Any]) -> None:
    data = {**REFERENCE, **changes}
    session = ss.load(data)
    assert session.project_id is None
    assert "projectId" not in ss.dump(session)


def test_date_times_may_be_absent_but_not_null() -> None:
    assert ss.load(REFERENCE).started_at is None
    assert problems(valid_payload(startedAt=None)) == [("/startedAt", "type")]


def test_dump_omits_every_absent_optional() -> None:
    assert list(ss.dump(ss.load(REFERENCE))) == list(REFERENCE)
    assert list(ss.dump(ss.load(FULL))) == list(FULL)


def test_unknown_keys_are_dropped_by_default() -> None:
    data = valid_payload(source="crm")
    data["billing"] = {**data["billing"], "currency": "USD"}
    assert ss.errors(data) == []
    assert ss.dump(ss.load(data)) == ss.dump(ss.load(FULL))


def test_strict_rejects_each_unknown_key_at_its_path() -> None:
    data = valid_payload(source="crm", **{"a/b": 1})
    data["billing"] = {**data["billing"], "currency": "USD"}
    data["usage"] = {**data["usage"], "cachedTokens": 0}
    assert problems(data, strict=True) == [
        ("/a~1b", "additionalProperties"),
        ("/billing/currency", "additionalProperties"),
        ("/source", "additionalProperties"),
        ("/usage/cachedTokens", "additionalProperties"),
    ]
    assert ss.errors(data, strict=True)[0].message == "unknown property 'a/b' (strict mode)"


def test_strict_applies_to_nested_models_loaded_alone() -> None:
    data = {"inputCost": 1, "outputCost": 2, "totalCost": 3, "tax": 0}
    assert ss.load(data, Billing) == Billing(input_cost=1, output_cost=2, total_cost=3)
    assert problems(data, cls=Billing, strict=True) == [("/tax", "additionalProperties")]


def test_the_schema_files_are_the_lenient_contract() -> None:
    for model in (Billing, CreateSessionUsage, CreateSessionRequestBody):
        assert "additionalProperties" not in json.dumps(ss.schema(model))


def test_a_missing_property_is_reported_where_it_should_be() -> None:
    data = valid_payload()
    del data["billing"]["totalCost"]
    del data["externalId"]
    assert problems(data) == [("/billing/totalCost", "required"), ("/externalId", "required")]
    assert str(ss.ValidationError(ss.errors(data))).splitlines()[0] == (
        "/billing/totalCost: required property is missing"
    )


def test_an_invalid_object_cannot_be_constructed() -> None:
    usage = CreateSessionUsage(prompt_tokens=1, completion_tokens=2, total_tokens=3)
    billing = Billing(input_cost=1, output_cost=2, total_cost=3)
    good: dict[str, Any] = {
        "external_id": "e",
        "duration": 1,
        "contact_ids": (),
        "billing": billing,
        "usage": usage,
        "traces_count": 1,
        "tags": (),
    }
    assert CreateSessionRequestBody(**good).project_id is None
    bad_values: dict[str, list[Any]] = {
        "external_id": [1, None, b"e"],
        "duration": [True, math.nan, "1"],
        "contact_ids": [["a"], ("a", 1), "a"],
        "billing": [usage, {"inputCost": 1}],
        "usage": [billing],
        "traces_count": [None],
        "tags": [None, (None,)],
        "project_id": [1],
        "started_at": ["2024-05-06T07:08:09Z", datetime(2024, 5, 6), 0],
    }
    for name, values in bad_values.items():
        for value in values:
            with pytest.raises((TypeError, ValueError)):
                CreateSessionRequestBody(**{**good, name: value})
    with pytest.raises(TypeError):
        CreateSessionRequestBody("e", 1)  # type: ignore[call-arg]  # keyword-only
    session = CreateSessionRequestBody(**good, started_at=datetime(2024, 5, 6, tzinfo=timezone.utc))
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        session.duration = 2  # type: ignore[misc]
