"""errors(), load() and the independent oracle (tests/support/oracle.py) agree on every input: the
same verdict and the same set of (JSON Pointer, keyword) problems, for every model, both styles and
both strict modes; and what load() builds is what the class builds from values converted here.
Payloads broken in known ways are in test_broken_payloads.py; the tools in agreement.py."""

import copy
import itertools
import math
from datetime import datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import sessionschema as ss
from sessionschema import strategies
from sessionschema.models import MODELS

from ..support.agreement import (
    BEYOND,
    JSON_VALUES,
    MODEL_STYLES,
    PYTHON_VALUES,
    STRICT,
    STYLES,
    Custom,
    check_all,
    draws,
    other_keys,
    perturb,
    perturbed,
    place,
    placed,
    reaches,
    with_ascii_arrays,
)
from ..support.oracle import MAX_DOUBLE, problems
from ..support.payloads import FULL, valid_payload

# -- properties, every model, both styles, both strict modes --------------------------------------


@MODEL_STYLES
@settings(suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_one_payload_valid_respelled_perturbed_and_spoiled(
    cls: type, style: Any, data: st.DataObject
) -> None:
    """From one drawn valid payload (drawing is what costs here): it is valid in both strict
    modes, and so it is with arrays of ASCII strings; read with the other style, exactly its
    respelled keys are unknown; perturbed (valid sometimes) and with a Python value anywhere,
    errors(), load() and the oracle agree."""
    payload = data.draw(strategies.payloads(cls, style=style))
    assert check_all(payload, cls, style) == {False: frozenset(), True: frozenset()}
    other = "snake" if style == "camel" else "camel"
    found = check_all(payload, cls, other)[True]
    unknown = {path for path, keyword in found if keyword == "additionalProperties"}
    assert unknown == other_keys(payload, other)
    ascii_arrays = with_ascii_arrays(data.draw, copy.deepcopy(payload))
    assert check_all(ascii_arrays, cls, style) == {False: frozenset(), True: frozenset()}
    check_all(perturb(data.draw, copy.deepcopy(payload)), cls, style)
    check_all(place(data.draw, copy.deepcopy(payload), PYTHON_VALUES), cls, style)


@MODEL_STYLES
@given(value=JSON_VALUES)
def test_arbitrary_json_values_agree(cls: type, style: Any, value: Any) -> None:
    check_all(value, cls, style)


@pytest.mark.parametrize(
    ("cls", "style", "strict", "valid"),
    list(itertools.product(MODELS, STYLES, STRICT, (False, True))),
    ids=lambda value: getattr(value, "__name__", str(value)),
)
def test_perturbed_payloads_reach_both_verdicts(
    cls: type, style: str, strict: bool, valid: bool
) -> None:
    """The perturbed payloads are valid sometimes and invalid sometimes, in both strict modes,
    for every model and style: a search that stops at the first one finds each."""

    def has_the_verdict(value: Any) -> bool:
        return (not problems(value, cls, strict, style)) is valid

    assert draws(perturbed(cls, style), has_the_verdict, tries=200)


# -- pinned cases --------------------------------------------------------------------------------


@given(value=placed(ss.CreateSessionRequestBody, "camel", PYTHON_VALUES))
@example(value=valid_payload(duration=int(MAX_DOUBLE)))  # the largest integer that is a number
@example(value=valid_payload(duration=BEYOND))  # one more is not
@example(value=valid_payload(duration=-0.0))
@example(value=valid_payload(duration=10**30, tracesCount=5e-324))
@example(value=valid_payload(tags=("a",)))  # a tuple is not an array
@example(value=valid_payload(contactIds=["b", "a"], tags=["z", "", "y"]))  # kept in order
@example(value=valid_payload(contactIds=["a", "b\udc00"]))
@example(value=valid_payload(billing={"inputCost": 1, "outputCost": 2, 3: 4}))
@example(value=valid_payload(billing={**FULL["billing"], "inputCost": math.nan}))
@example(value=valid_payload(usage={**FULL["usage"], "\udfaa": 1}))  # a key all the same
@example(value=valid_payload(**{"a~/b": 1, "\ud800~": 2}))
@example(value=valid_payload(externalId=b"id", projectId=None))
@example(value=valid_payload(projectId="\ud800"))
@example(value=valid_payload(updatedAt=datetime(2024, 5, 6)))  # a datetime is not a string
@example(value=valid_payload(startedAt="2016-12-31T23:59:60Z", updatedAt="0000-01-01T00:00:00Z"))
@example(value=valid_payload(startedAt="2024-02-29t23:59:59.1234567891z"))
@example(value={**FULL, 1: "a non-string key"})
@example(value=valid_payload(contactIds=[1] * 150, tags=[2] * 30))  # 100 listed of 180
@example(value=valid_payload(contactIds=[1] * 101))  # one more than listed
@example(value=valid_payload(tags=[None] * 60, billing={f"k{i}": 1 for i in range(60)}))
@example(value=valid_payload(usage={f"k{i}": 1 for i in range(9_990)}, tags=[1] * 50))
@example(value=valid_payload(contactIds=[1] * 9_950, tags=[1] * 50))  # 10,000: all searched
@example(value=("a",))
@example(value=set())
@example(value=Custom())
def test_pinned_values_agree(value: Any) -> None:
    check_all(value, ss.CreateSessionRequestBody)


def test_a_lone_surrogate_date_time_is_only_of_no_json_type() -> None:
    # A string with a lone surrogate is of no JSON type, so the format (which applies to strings
    # only) does not apply: one problem, not two.
    value = valid_payload(startedAt="\ud800", updatedAt="2024-05-06T07:08:09Z\udfff")
    expected = [("/startedAt", "type"), ("/updatedAt", "type")]
    assert problems(value, ss.CreateSessionRequestBody) == set(expected)
    assert [(e.path, e.keyword) for e in ss.errors(value)] == expected


def test_a_container_inside_itself_has_the_same_verdict() -> None:
    """Loops: the oracle takes a container met again on its own path as of no JSON type. The
    library (as of 9070845) reads it as the container it is: for ``root`` it lists the missing
    /billing/inputCost, /billing/outputCost and /billing/totalCost (and in strict mode every key
    of the payload as unknown at /billing/...) where the oracle has one ("/billing", "type").
    Which is meant is to be decided; the verdicts are the same either way, and are tested."""
    root: dict[str, Any] = valid_payload()
    root["billing"] = root
    items: list[Any] = ["a"]
    items.append(items)
    holder: dict[str, Any] = dict(FULL["billing"])
    holder["self"] = holder
    cases = [
        (root, False, False),
        (valid_payload(tags=items), False, False),
        (items, False, False),
        (valid_payload(billing=holder), True, False),
        (valid_payload(extra=items), True, False),
    ]
    for value, lenient, strict in cases:
        for is_strict, verdict in ((False, lenient), (True, strict)):
            assert (not problems(value, ss.CreateSessionRequestBody, is_strict)) is verdict
            assert (not ss.errors(value, strict=is_strict)) is verdict
    assert problems(root, ss.CreateSessionRequestBody) == {("/billing", "type")}
    assert problems(valid_payload(tags=items), ss.CreateSessionRequestBody) == {("/tags/1", "type")}
    assert problems(valid_payload(billing=holder), ss.CreateSessionRequestBody, True) == {
        ("/billing/self", "additionalProperties")
    }
    check_all(valid_payload(tags=items), ss.CreateSessionRequestBody)
    check_all(valid_payload(billing=holder), ss.CreateSessionRequestBody)


# -- the strategies reach what they must --------------------------------------------------------


def test_python_values_reach_the_odd_corners() -> None:
    """Each is found by a search that stops at the first hit (not a fixed sample, whose draws
    differ from one Python version to the next); a value never drawn fails it."""
    assert not reaches(PYTHON_VALUES, lambda v: v is Ellipsis, tries=50)
    assert reaches(PYTHON_VALUES, lambda v: isinstance(v, float) and math.isnan(v))
    assert reaches(PYTHON_VALUES, lambda v: isinstance(v, tuple))
    assert reaches(PYTHON_VALUES, lambda v: isinstance(v, dict) and any(type(k) is int for k in v))
    assert reaches(PYTHON_VALUES, lambda v: isinstance(v, str) and not v.isascii()
                   and any(0xD800 <= ord(c) <= 0xDFFF for c in v))  # fmt: skip
