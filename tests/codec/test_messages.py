"""The message of each kind of problem, written out: one example per kind of field and per
object-level rule, on the tests' small contract (``Probe``, which has a field of every kind).

The messages are part of what a user reads (the command line, a 422 response), so each is pinned
here word for word, through ``errors`` of a Python value and through ``loads`` of JSON text in
every configuration; a change of wording shows as a failure here first.
"""

import json
from typing import Any

import attrs
import hypothesis
import pytest
from hypothesis import given
from hypothesis import strategies as st

import sessionschema as ss
from sessionschema._example import example
from sessionschema._values import QUOTE_LIMIT, describe, quote_key

from ..support import Library
from ..support.contract.models import Probe

VALID: dict[str, Any] = example(Probe, "camel")

MESSAGES: list[tuple[str, dict[str, Any], tuple[str, str, str]]] = [
    ("number", {"ratio": "1.5"}, ("/ratio", "type", "expected a number, got string '1.5'")),
    ("integer", {"count": 1.5}, ("/count", "type", "expected an integer, got number 1.5")),
    (
        "integer given as text",
        {"count": "3"},
        ("/count", "type", "expected an integer, got string '3'"),
    ),
    ("boolean", {"active": 1}, ("/active", "type", "expected a boolean, got number 1")),
    ("string", {"name": 5}, ("/name", "type", "expected a string, got number 5")),
    ("null where not allowed", {"name": None}, ("/name", "type", "expected a string, got null")),
    (
        "nullable",
        {"note": 1},
        ("/note", "type", "expected a string or null, got number 1"),
    ),
    (
        "decimal digits (pattern)",
        {"since": "12a"},
        ("/since", "pattern", "expected a string of decimal digits, got string '12a'"),
    ),
    (
        "enum of a file",
        {"mode": "sideways"},
        (
            "/mode",
            "enum",
            "expected one of 'PROBE_MODE_FAST', 'PROBE_MODE_SLOW', got string 'sideways'",
        ),
    ),
    (
        "enum written in place",
        {"level": "medium"},
        ("/level", "enum", "expected one of 'low', 'high', got string 'medium'"),
    ),
    (
        "date-time of a day that does not exist",
        {"seenAt": "2024-02-30T00:00:00Z"},
        (
            "/seenAt",
            "format",
            "expected an RFC 3339 date-time, got string '2024-02-30T00:00:00Z': "
            "February 30 does not exist in 2024",
        ),
    ),
    (
        "date-time of another form",
        {"seenAt": "yesterday"},
        (
            "/seenAt",
            "format",
            "expected an RFC 3339 date-time, got string 'yesterday': "
            "expected the form YYYY-MM-DDThh:mm:ss[.fraction] then Z or +hh:mm",
        ),
    ),
    (
        "nested object",
        {"gauge": []},
        ("/gauge", "type", "expected an object, got array of 0 items"),
    ),
    (
        "required inside a nested object",
        {"gauge": {"label": "x"}},
        ("/gauge/reading", "required", "required property is missing"),
    ),
    ("array", {"labels": "a"}, ("/labels", "type", "expected an array, got string 'a'")),
    (
        "array item",
        {"labels": ["a", 1]},
        ("/labels/1", "type", "expected a string, got number 1"),
    ),
    (
        "exclusion (not)",
        {"clearTags": True, "tags": []},
        ("/tags", "not", "'tags' must not be given with 'clearTags': true"),
    ),
]


@pytest.mark.parametrize(
    ("change", "expected"), [(c, e) for _, c, e in MESSAGES], ids=[k for k, _, _ in MESSAGES]
)
def test_each_kind_says_what_it_expected_and_what_it_got(
    lib: Library, change: dict[str, Any], expected: tuple[str, str, str]
) -> None:
    data = {**VALID, **change}
    found = [(e.path, e.keyword, e.message) for e in ss.errors(data, Probe)]
    assert found == [expected]
    with pytest.raises(ss.ValidationError) as info:
        lib.loads(json.dumps(data), Probe)
    assert [(e.path, e.keyword, e.message) for e in info.value.errors] == [expected]


def test_a_missing_property_an_unknown_one_and_a_value_that_is_no_object() -> None:
    missing = {key: value for key, value in VALID.items() if key != "name"}
    assert [(e.path, e.keyword, e.message) for e in ss.errors(missing, Probe)] == [
        ("/name", "required", "required property is missing")
    ]
    unknown = {**VALID, "extra": 1}
    assert ss.errors(unknown, Probe) == []
    assert [(e.path, e.keyword, e.message) for e in ss.errors(unknown, Probe, strict=True)] == [
        ("/extra", "additionalProperties", "unknown property 'extra' (strict mode)")
    ]
    assert [(e.path, e.keyword, e.message) for e in ss.errors([], Probe)] == [
        ("", "type", "expected an object, got array of 0 items")
    ]


def test_the_snake_wire_names_its_own_keys_in_the_messages() -> None:
    snake = example(Probe, "snake")
    found = ss.errors({**snake, "clear_tags": True, "tags": []}, Probe, style="snake")
    assert [(e.path, e.keyword, e.message) for e in found] == [
        ("/tags", "not", "'tags' must not be given with 'clear_tags': true")
    ]
    found = ss.errors({**snake, "seen_at": "yesterday"}, Probe, style="snake")
    assert [(e.path, e.keyword) for e in found] == [("/seen_at", "format")]


@given(st.text(max_size=3 * QUOTE_LIMIT))
@hypothesis.example("x" * (QUOTE_LIMIT + 1))
@hypothesis.example("\ud800" * QUOTE_LIMIT)
def test_a_string_is_quoted_in_at_most_60_characters(text: str) -> None:
    described = describe(text)
    quoted = described.removeprefix("string ").removeprefix("a string with a lone surrogate ")
    for quote in (quoted, quote_key(text)):
        assert len(quote) <= QUOTE_LIMIT
    assert describe("x" * 100) == "string '" + "x" * (QUOTE_LIMIT - 2) + "…"


class Whole(int):
    pass


class Real(float):
    pass


class Text(str):
    pass


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"count": Whole(3)}, "expected an int, got Whole, a subclass of int"),
        ({"ratio": Real(1.5)}, "expected a float, got Real, a subclass of float"),
        ({"name": Text("a")}, "expected a str, got Text, a subclass of str"),
    ],
    ids=["int", "float", "str"],
)
def test_the_constructor_names_the_type_a_subclass_was_given_for(
    change: dict[str, Any], message: str
) -> None:
    probe = ss.load(VALID, Probe)
    with pytest.raises(TypeError) as info:
        attrs.evolve(probe, **change)
    assert message in str(info.value)
