"""Payloads broken in known ways: errors(), load() and the oracle (tests/support/oracle.py) agree,
and the problems are where the breakage is: the library's own mutations, each value outside JSON at
each location, an unknown key at any level."""

from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import sessionschema as ss
from sessionschema import strategies

from ..support.agreement import (
    CAMEL_KEYS,
    MODEL_STYLES,
    ODD_ATOMS,
    PYTHON_VALUES,
    STYLES,
    UNKNOWN_KEYS,
    check_all,
    locations,
    replaced,
    wire,
)
from ..support.oracle import pointer
from ..support.payloads import FULL, valid_payload


@MODEL_STYLES
@given(data=st.data())
def test_mutated_payloads_are_invalid_at_the_mutated_path(
    cls: type, style: Any, data: st.DataObject
) -> None:
    payload, paths = data.draw(strategies.invalid_cases(cls, style=style))
    for strict, expected in check_all(payload, cls, style).items():
        assert expected, strict
        assert paths <= {path for path, _ in expected}


# -- every value outside JSON at every location --------------------------------------------------


def response(style: str) -> dict[str, Any]:
    """A fresh valid response body on the wire of ``style``."""
    return wire(valid_payload(id="s_1", workspaceId="w_1"), style)


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("atom", ODD_ATOMS, ids=lambda atom: type(atom).__name__)
def test_each_value_outside_json_at_each_location(style: str, atom: Any) -> None:
    cls = ss.CreateSessionResponseBody
    for where in [(), *locations(response(style))]:
        found = check_all(replaced(response(style), where, atom), cls, style)
        assert found[False] == {(pointer(where), "type")}
    for parent in [(), ("billing",), ("usage",)]:  # as the value of an unknown key: no problem
        where = (*parent, "extra")
        found = check_all(replaced(response(style), where, atom), cls, style)
        assert found == {False: set(), True: {(pointer(where), "additionalProperties")}}


# -- unknown keys ---------------------------------------------------------------------------------


@st.composite
def with_unknown_key(draw: st.DrawFn) -> tuple[dict[str, Any], str]:
    payload = draw(strategies.payloads())
    where = draw(st.sampled_from(["", "/billing", "/usage"]))
    target = payload[where[1:]] if where else payload
    key = draw(UNKNOWN_KEYS.filter(lambda k: k not in target and k not in CAMEL_KEYS))
    target[key] = draw(PYTHON_VALUES)
    return payload, where + pointer([key])


@given(with_unknown_key())
@example(({**FULL, "\udfaa": 1}, "/\\udfaa"))
@example(({**FULL, "~/": 1}, "/~0~1"))
def test_unknown_keys_pass_lenient_and_fail_strict_at_their_path(
    case: tuple[dict[str, Any], str],
) -> None:
    payload, path = case
    found = check_all(payload, ss.CreateSessionRequestBody)
    assert found == {False: set(), True: {(path, "additionalProperties")}}
