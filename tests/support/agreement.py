"""The agreement tests' tools: the comparison of errors(), load() and the independent oracle
(tests/support/oracle.py) on one value, and the values they are compared on."""

import math
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs
import pytest
from hypothesis import Phase, find, settings
from hypothesis import strategies as st
from hypothesis.errors import NoSuchExample

import sessionschema as ss
from sessionschema import strategies
from sessionschema.models import MODELS

from .oracle import MAX_DOUBLE, SNAKE_KEYS, build, problems, problems_in_order

STYLES: tuple[ss.Style, ...] = ("camel", "snake")
STRICT = (False, True)
MODEL_STYLES = pytest.mark.parametrize(
    ("cls", "style"),
    [(cls, style) for cls in MODELS for style in STYLES],
    ids=lambda value: getattr(value, "__name__", value),
)
Pair = tuple[str, str]

LISTED = 100
"""errors() lists at most this many problems, then one "maxErrors" notice counts the rest."""
SEARCHED = 10_000
"""The search for problems stops after this many."""


# -- the comparison ------------------------------------------------------------------------------


def token_order(token: str) -> tuple[int, int, str]:
    """Sort key of one pointer token: array indices numerically (an all-ASCII-digit token by its
    length, then its text: numeric order for indices, which have no leading zeros, and no
    conversion of a key of any length), before the other tokens, which sort by text."""
    if token.isascii() and token.isdigit():
        return (0, len(token), token)
    return (1, 0, token)


def order(pair: Pair) -> tuple[Any, ...]:
    """Sort key of the problems errors() lists: by path, pointer segments in order with array
    indices as numbers, then by keyword."""
    path, keyword = pair
    segments = path.split("/")[1:] if path else []
    return (tuple(token_order(segment) for segment in segments), keyword)


def expected_listing(in_order: list[Pair]) -> tuple[list[Pair], str | None]:
    """What errors() lists of a value whose problems, in the order they are searched for, are
    ``in_order``: the (path, keyword) pairs and the message of the last "maxErrors" error (None
    when the list is not cut).

    The search stops after :data:`SEARCHED` problems; of those found, the first :data:`LISTED`
    in :func:`order` are listed, and one more error counts the rest ("at least" when the search
    stopped).
    """
    searched = sorted(in_order[:SEARCHED], key=order)
    if len(searched) <= LISTED:
        return searched, None
    more = len(searched) - LISTED
    if len(in_order) > SEARCHED:
        message = f"at least {more + 1} more problems not listed (the search stopped there)"
    else:
        message = f"{more} more problem{'s' if more > 1 else ''} not listed"
    return searched[:LISTED], message


def assert_same(built: Any, expected: Any) -> None:
    """Equal, and of the same types all the way down: an int is not a float, -0.0 is not 0.0,
    a datetime keeps its offset."""
    assert type(built) is type(expected), (built, expected)
    if attrs.has(type(expected)):
        for field in attrs.fields(type(expected)):
            assert_same(getattr(built, field.name), getattr(expected, field.name))
    elif isinstance(expected, tuple):
        assert len(built) == len(expected)
        for one, other in zip(built, expected, strict=True):
            assert_same(one, other)
    elif isinstance(expected, float):
        assert built == expected
        assert math.copysign(1.0, built) == math.copysign(1.0, expected)
    elif isinstance(expected, datetime):
        assert built == expected
        assert built.utcoffset() == expected.utcoffset()
        assert built.replace(tzinfo=None) == expected.replace(tzinfo=None)
    else:
        assert built == expected


def check(value: Any, cls: type, strict: bool, style: Any = "camel") -> frozenset[Pair]:
    """Assert that errors(), load() and the oracle agree on ``value``; the oracle's problems."""
    expected = problems(value, cls, strict, style)
    found = ss.errors(value, cls, strict=strict, style=style)
    pairs = [(error.path, error.keyword) for error in found]
    if len(expected) > LISTED:  # cut short: exactly the first of what the search found
        in_order = problems_in_order(value, cls, strict, style)
        assert frozenset(in_order) == expected
        listing, message = expected_listing(in_order)
        assert found, "no problem listed"
        notice = found[-1]
        assert (notice.path, notice.keyword, notice.message) == ("", "maxErrors", message)
        assert pairs[:-1] == listing
    else:
        assert set(pairs) == expected
        assert len(set(pairs)) == len(pairs), "a problem listed twice"
        assert pairs == sorted(pairs, key=order)
    if found:
        with pytest.raises(ss.ValidationError) as info:
            ss.load(value, cls, strict=strict, style=style)
        assert list(info.value.errors) == found
    else:
        loaded: object = ss.load(value, cls, strict=strict, style=style)
        independent = build(value, cls, style)
        assert loaded == independent
        assert_same(loaded, independent)
    return expected


def check_all(value: Any, cls: type, style: Any = "camel") -> dict[bool, frozenset[Pair]]:
    """:func:`check` in both strict modes; the oracle's problems by strict flag."""
    return {strict: check(value, cls, strict, style) for strict in STRICT}


# -- values --------------------------------------------------------------------------------------

CAMEL_KEYS = frozenset(SNAKE_KEYS) | {"duration", "billing", "usage", "tags"}
WIRE_KEYS = sorted(CAMEL_KEYS | set(SNAKE_KEYS.values()))
"""The keys of both wires, so that drawn objects can look like the models."""

EDGE_NUMBERS: list[Any] = [
    0, -0.0, 1.5, 2**53 + 1, 10**30, 5e-324, MAX_DOUBLE, -MAX_DOUBLE,
    int(MAX_DOUBLE), -int(MAX_DOUBLE),
]  # fmt: skip
"""JSON numbers at the edges; int(MAX_DOUBLE) is the largest integer that is one."""

ASCII_TEXT = st.text(st.characters(codec="ascii"), max_size=6)
ASCII_LISTS = st.lists(ASCII_TEXT, min_size=2, max_size=6)
"""Arrays of ASCII strings, in any order: a valid array that takes the library's fast path
(which strategies.payloads, whose strings are mostly not ASCII, hardly ever draws)."""

JSON_SCALARS: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(EDGE_NUMBERS),
    st.text(),
    ASCII_TEXT,
    strategies.date_time_texts(),
    st.sampled_from(strategies.BAD_DATE_TIMES),
)
JSON_VALUES: st.SearchStrategy[Any] = st.recursive(
    JSON_SCALARS | ASCII_LISTS,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=4) | st.sampled_from(WIRE_KEYS), children, max_size=4)
    ),
    max_leaves=12,
)

LONE_SURROGATES = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
SURROGATE_TEXT = st.builds(
    lambda head, lone, tail: head + lone + tail, st.text(max_size=3), LONE_SURROGATES,
    st.text(max_size=3),
)  # fmt: skip


class Custom:
    """A Python object of no JSON type."""


BEYOND = int(MAX_DOUBLE) + 1
ODD_NUMBERS: list[Any] = [math.nan, math.inf, -math.inf, 2**1024, -(2**1024), BEYOND, -BEYOND]
ODD_ATOMS: list[Any] = [
    *ODD_NUMBERS, (), ("a",), set(), frozenset({"a"}), b"a", bytearray(b"a"), "\ud800",
    "a\udfff", "\udc00\ud800", Custom(), object(), 1j, Decimal("1"), Fraction(1, 2), {1: "a"},
    {("a",): 1}, {"a": 1, 2: 3}, {None: 1},
]  # fmt: skip
"""Python values outside JSON's data model: each is of no JSON type."""

PYTHON_VALUES: st.SearchStrategy[Any] = st.recursive(
    st.one_of(  # (a mapped strategy is one branch, not as many as it has inside)
        JSON_SCALARS.map(lambda value: value),
        st.sampled_from(ODD_NUMBERS),
        st.sampled_from(ODD_ATOMS),
        SURROGATE_TEXT.map(lambda value: value),
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=3),
        st.lists(children, max_size=3).map(tuple),
        st.dictionaries(st.text(max_size=3) | st.sampled_from(WIRE_KEYS), children, max_size=3),
        st.dictionaries(SURROGATE_TEXT | st.integers(), children, min_size=1, max_size=2),
    ),
    max_leaves=8,
)
"""JSON values and values outside JSON, nested in each other."""

UNKNOWN_KEYS = st.text(min_size=1, max_size=5) | SURROGATE_TEXT | st.sampled_from(WIRE_KEYS)


def locations(value: Any, prefix: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    """The location of every node under ``value`` (not ``value`` itself), as keys and indices."""
    found = []
    children = value.items() if isinstance(value, dict) else enumerate(value)
    for key, child in children:
        found.append((*prefix, key))
        if isinstance(child, dict | list):
            found.extend(locations(child, (*prefix, key)))
    return found


def replaced(value: Any, where: tuple[str | int, ...], new: Any) -> Any:
    """``value`` (a fresh payload, changed in place) with the node at ``where`` replaced."""
    if not where:
        return new
    parent = value
    for key in where[:-1]:
        parent = parent[key]
    parent[where[-1]] = new
    return value


Draw = Callable[[st.SearchStrategy[Any]], Any]


def place(draw: Draw, payload: Any, values: st.SearchStrategy[Any]) -> Any:
    """``payload`` (changed in place) with one node, or the whole, replaced by a drawn value."""
    where = draw(st.sampled_from([(), *locations(payload)]))
    return replaced(payload, where, draw(values))


def perturb(draw: Draw, payload: Any) -> Any:
    """``payload`` (changed in place) of which each node is, at a drawn rate, kept, replaced by
    an arbitrary JSON value or dropped, with sometimes an unknown key added: from a valid
    payload, valid and invalid values both come out."""
    rate = draw(st.sampled_from([0, 1, 2, 4]))  # replacements and drops, each, in 20 nodes
    fate = st.sampled_from(["keep"] * (20 - 2 * rate) + ["replace", "drop"] * rate)

    def walk(node: Any) -> None:
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        for key in reversed(keys):
            decision = draw(fate)
            if decision == "replace":
                array = isinstance(node[key], list)  # then half the time another valid array
                node[key] = draw(ASCII_LISTS | JSON_VALUES if array else JSON_VALUES)
            elif decision == "drop":
                del node[key]
            elif isinstance(node[key], dict | list):
                walk(node[key])

    walk(payload)
    if draw(st.sampled_from([False, False, True])):
        objects = [where for where in locations(payload) if isinstance(at(payload, where), dict)]
        target = at(payload, draw(st.sampled_from([(), *objects])))
        target[draw(UNKNOWN_KEYS)] = draw(JSON_VALUES)
    return payload


def with_ascii_arrays(draw: Draw, payload: Any) -> Any:
    """``payload`` (changed in place) with each of its arrays of strings replaced by one of 2
    to 6 ASCII strings in any order: valid still, and read by the library's fast path for
    arrays. (An array is one of strings when it holds strings only; an empty one is left.)"""
    arrays = [
        where
        for where in locations(payload)
        if isinstance(array := at(payload, where), list)
        and array
        and all(isinstance(item, str) for item in array)
    ]
    for where in arrays:
        replaced(payload, where, draw(ASCII_LISTS))
    return payload


def at(payload: Any, where: tuple[str | int, ...]) -> Any:
    """The node of ``payload`` at ``where``."""
    for key in where:
        payload = payload[key]
    return payload


@st.composite
def placed(draw: st.DrawFn, cls: type, style: str, values: st.SearchStrategy[Any]) -> Any:
    """A valid payload with one node (or the whole) replaced by a drawn value."""
    return place(draw, draw(strategies.payloads(cls, style=style)), values)  # type: ignore[arg-type]


@st.composite
def perturbed(draw: st.DrawFn, cls: type, style: str) -> Any:
    """A valid payload, perturbed by :func:`perturb`."""
    return perturb(draw, draw(strategies.payloads(cls, style=style)))  # type: ignore[arg-type]


# -- the keys of the wires -----------------------------------------------------------------------

OTHER_STYLE_KEYS = {"camel": set(SNAKE_KEYS.values()), "snake": set(SNAKE_KEYS)}
"""By style: the keys that only the other style has (every key of SNAKE_KEYS differs)."""


def other_keys(payload: dict[str, Any], style: str, prefix: str = "") -> set[str]:
    """Paths of the keys of ``payload`` that only the other style has, in nested objects too."""
    found = {prefix + "/" + key for key in payload if key in OTHER_STYLE_KEYS[style]}
    for key, value in payload.items():  # (in a valid payload, objects are nested models)
        if isinstance(value, dict):
            found |= other_keys(value, style, f"{prefix}/{key}")
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, dict):
                    found |= other_keys(item, style, f"{prefix}/{key}/{index}")
    return found


def wire(payload: dict[str, Any], style: str) -> dict[str, Any]:
    """A camel payload respelled with the keys of ``style``, nested objects too."""
    if style == "camel":
        return payload
    return {SNAKE_KEYS.get(key, key): _wire_value(value, style) for key, value in payload.items()}


def _wire_value(value: Any, style: str) -> Any:
    if isinstance(value, dict):
        return wire(value, style)
    if isinstance(value, list):
        return [_wire_value(item, style) for item in value]
    return value


# -- the strategies themselves -------------------------------------------------------------------


def nodes(value: Any) -> list[Any]:
    """``value`` and every node inside it (drawn values have no loops)."""
    found = [value]
    if isinstance(value, dict):
        found += [*value, *(n for child in value.values() for n in nodes(child))]
    elif isinstance(value, list | tuple):
        found += [n for child in value for n in nodes(child)]
    return found


def draws(
    strategy: st.SearchStrategy[Any], condition: Callable[[Any], bool], tries: int = 1_000
) -> bool:
    """Whether ``strategy`` draws, within ``tries`` values, one that meets ``condition``.

    The search stops at the first such value (hypothesis' ``find``, without shrinking): a value
    the strategy draws at a rate of one in a hundred is found on any Python, whatever sequence
    of draws its version makes, and one it never draws makes the answer False.
    """
    try:
        find(
            strategy,
            condition,
            settings=settings(
                max_examples=tries, derandomize=True, database=None, phases=[Phase.generate]
            ),
        )
    except NoSuchExample:
        return False
    return True


def reaches(
    strategy: st.SearchStrategy[Any], condition: Callable[[Any], bool], tries: int = 1_000
) -> bool:
    """Whether ``strategy`` draws, within ``tries`` values, one with a node meeting
    ``condition`` (see :func:`draws`)."""
    return draws(strategy, lambda value: any(condition(node) for node in nodes(value)), tries)
