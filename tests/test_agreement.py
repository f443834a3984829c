"""For every input, the schema files, errors() and load() give the same verdict and paths."""

from typing import Any

import attrs
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import sessionschema as ss
from sessionschema import strategies
from sessionschema._styles import wire_key
from sessionschema.models import MODELS

from .oracle import accepts
from .payloads import FULL, valid_payload

STYLES = ("camel", "snake")
MODEL_STYLES = pytest.mark.parametrize(
    ("cls", "style"),
    [(cls, style) for cls in MODELS for style in STYLES],
    ids=lambda value: getattr(value, "__name__", value),
)


def verdicts(
    data: Any, cls: type, strict: bool, style: Any = "camel"
) -> tuple[bool, list[ss.Error]]:
    """The schema's verdict and errors(), checked against load() on the way."""
    found = ss.errors(data, cls, strict=strict, style=style)
    if found:
        with pytest.raises(ss.ValidationError) as info:
            ss.load(data, cls, strict=strict, style=style)
        assert list(info.value.errors) == found
    else:
        assert isinstance(ss.load(data, cls, strict=strict, style=style), cls)
    return accepts(data, cls, strict, style), found


@MODEL_STYLES
@given(data=st.data())
def test_valid_payloads_are_valid_everywhere(cls: type, style: Any, data: st.DataObject) -> None:
    payload = data.draw(strategies.payloads(cls, style=style))
    for strict in (False, True):
        assert verdicts(payload, cls, strict, style) == (True, [])


@MODEL_STYLES
@given(data=st.data())
def test_mutated_payloads_are_invalid_everywhere_at_the_mutated_path(
    cls: type, style: Any, data: st.DataObject
) -> None:
    payload, paths = data.draw(strategies.invalid_cases(cls, style=style))
    for strict in (False, True):
        schema_ok, found = verdicts(payload, cls, strict, style)
        assert not schema_ok
        assert paths <= {error.path for error in found}


def respelled(cls: type, payload: dict[str, Any], style: Any, prefix: str = "") -> set[str]:
    """Paths of the keys of ``payload`` (written in the other style) that ``style`` spells
    differently."""
    other: ss.Style = "snake" if style == "camel" else "camel"
    found = set()
    for field in attrs.fields(cls):
        own, theirs = wire_key(field.name, style), wire_key(field.name, other)
        if theirs not in payload:
            continue
        if own != theirs:
            found.add(f"{prefix}/{theirs}")
        elif attrs.has(field.type):
            found |= respelled(field.type, payload[theirs], style, f"{prefix}/{theirs}")
    return found


@MODEL_STYLES
@given(data=st.data())
def test_keys_of_the_other_style_are_unknown_keys(
    cls: type, style: Any, data: st.DataObject
) -> None:
    other: ss.Style = "snake" if style == "camel" else "camel"
    payload = data.draw(strategies.payloads(cls, style=other))
    _, found = verdicts(payload, cls, True, style)
    unknown = {e.path for e in found if e.keyword == "additionalProperties"}
    assert unknown == respelled(cls, payload, style)


@given(strategies.invalid_cases())
@example((valid_payload(startedAt="2016-12-31T23:59:60Z"), frozenset({"/startedAt"})))
@example((valid_payload(contactIds=("a",)), frozenset({"/contactIds"})))
@example(({**FULL, 1: "non-string key"}, frozenset({""})))  # type: ignore[misc]
@example((valid_payload(duration=float("nan")), frozenset({"/duration"})))
@example(
    (
        valid_payload(billing={**FULL["billing"], "inputCost": float("nan")}),
        frozenset({"/billing/inputCost"}),
    )
)
def test_pinned_mutations(case: tuple[Any, frozenset[str]]) -> None:
    payload, paths = case
    schema_ok, found = verdicts(payload, ss.CreateSessionRequestBody, strict=False)
    assert not schema_ok
    assert paths <= {error.path for error in found}


@st.composite
def with_unknown_key(draw: st.DrawFn) -> tuple[dict[str, Any], str]:
    payload = draw(strategies.payloads())
    where = draw(st.sampled_from(["", "/billing", "/usage"]))
    target = payload[where[1:]] if where else payload
    key = draw(st.text(min_size=1).filter(lambda k: k not in target))
    target[key] = draw(st.none() | st.integers() | st.text())
    return payload, where + "/" + key.replace("~", "~0").replace("/", "~1")


@given(with_unknown_key())
def test_unknown_keys_pass_lenient_and_fail_strict_at_their_path(
    case: tuple[dict[str, Any], str],
) -> None:
    payload, path = case
    assert verdicts(payload, ss.CreateSessionRequestBody, strict=False) == (True, [])
    schema_ok, found = verdicts(payload, ss.CreateSessionRequestBody, strict=True)
    assert not schema_ok
    assert [(e.path, e.keyword) for e in found] == [(path, "additionalProperties")]


@given(
    st.recursive(
        st.none() | st.booleans() | st.floats() | st.text(),
        lambda c: st.lists(c) | st.dictionaries(st.text(), c),
    )
)
def test_arbitrary_json_values_agree(value: Any) -> None:
    for cls in MODELS:
        schema_ok, found = verdicts(value, cls, strict=False)
        assert schema_ok == (found == [])
