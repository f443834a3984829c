"""For every input, the schema files, errors() and load() give the same verdict and paths."""

from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import sessionschema as ss
from sessionschema import strategies
from sessionschema.models import MODELS

from .oracle import accepts
from .payloads import FULL, valid_payload


def verdicts(data: Any, cls: type, strict: bool) -> tuple[bool, list[ss.Error]]:
    """The schema's verdict and errors(), checked against load() on the way."""
    found = ss.errors(data, cls, strict=strict)
    if found:
        with pytest.raises(ss.ValidationError) as info:
            ss.load(data, cls, strict=strict)
        assert list(info.value.errors) == found
    else:
        assert isinstance(ss.load(data, cls, strict=strict), cls)
    return accepts(data, cls, strict), found


@pytest.mark.parametrize("cls", MODELS, ids=lambda m: m.__name__)
@given(data=st.data())
def test_valid_payloads_are_valid_everywhere(cls: type, data: st.DataObject) -> None:
    payload = data.draw(strategies.payloads(cls))
    for strict in (False, True):
        assert verdicts(payload, cls, strict) == (True, [])


@pytest.mark.parametrize("cls", MODELS, ids=lambda m: m.__name__)
@given(data=st.data())
def test_mutated_payloads_are_invalid_everywhere_at_the_mutated_path(
    cls: type, data: st.DataObject
) -> None:
    payload, paths = data.draw(strategies.invalid_cases(cls))
    for strict in (False, True):
        schema_ok, found = verdicts(payload, cls, strict)
        assert not schema_ok
        assert paths <= {error.path for error in found}


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
