"""Which problems are listed when the search for them is cut.

The promise: problems are found in jsonschema's order over the schema files (an object's
properties in the file's order, each one's problems before the next's, array items by index;
then its missing required keys; then, in strict mode, its unknown keys), the search stops after
10,000 of them, and of those found the first 100 by path are listed, with one more error that
says "at least" so many more. So with problems in two fields, which of them the cut leaves out
depends on that order: each case below has its listing written out, the referee
(tests/support/oracle.py, jsonschema's ``iter_errors`` over the schema files) derives the same
listing, and ``errors``, ``validate``, ``load`` and ``loads`` of bytes and of str list exactly it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

import sessionschema as ss

from ..support.agreement import LISTED, SEARCHED, expected_listing
from ..support.oracle import problems_in_order
from ..support.payloads import FULL, SNAKE

Pair = tuple[str, str]
STOPPED = f"at least {SEARCHED - LISTED + 1} more problems not listed (the search stopped there)"


def items(field: str, indices: range, keyword: str = "type") -> list[Pair]:
    return [(f"/{field}/{index}", keyword) for index in indices]


def keys(count: int, prefix: str) -> dict[str, int]:
    """``count`` unknown keys whose text order is their number order: k0000, k0001, ..."""
    return {f"{prefix}{index:04}": 1 for index in range(count)}


def unknown(parent: str, names: list[str]) -> list[Pair]:
    return [(f"{parent}/{name}", "additionalProperties") for name in names]


def without(payload: dict[str, Any], *names: str) -> dict[str, Any]:
    return {key: value for key, value in payload.items() if key not in names}


# (id, payload, strict, style, the listing written out, the last error's message)
Case = tuple[str, dict[str, Any], bool, ss.Style, list[Pair], str]
CASES: list[Case] = [
    (
        # contactIds comes first in the file: all 9,990 are found, then 10 of the tags
        "contactIds 9990, tags 50",
        {**FULL, "contactIds": [1] * 9_990, "tags": [1] * 50},
        False,
        "camel",
        items("contactIds", range(100)),
        STOPPED,
    ),
    (
        # the 50 of contactIds are found first, then 9,950 of the tags
        "tags 9990, contactIds 50",
        {**FULL, "contactIds": [1] * 50, "tags": [1] * 9_990},
        False,
        "camel",
        items("contactIds", range(50)) + items("tags", range(50)),
        STOPPED,
    ),
    (
        "the same on the snake wire",
        {**SNAKE, "contact_ids": [1] * 50, "tags": [1] * 9_990},
        True,
        "snake",
        items("contact_ids", range(50)) + items("tags", range(50)),
        STOPPED,
    ),
    (
        # billing comes after contactIds in the file: 10 of its unknown keys are found
        "contactIds 9990, 50 unknown keys in billing",
        {**FULL, "contactIds": [1] * 9_990, "billing": {**FULL["billing"], **keys(50, "k")}},
        True,
        "camel",
        unknown("/billing", [f"k{i:04}" for i in range(10)]) + items("contactIds", range(90)),
        STOPPED,
    ),
    (
        # usage comes before tags in the file: its 9,990 unknown keys, then 10 of the tags
        "9990 unknown keys in usage, tags 50",
        {**FULL, "usage": {**FULL["usage"], **keys(9_990, "u")}, "tags": [1] * 50},
        True,
        "camel",
        items("tags", range(10)) + unknown("/usage", [f"u{i:04}" for i in range(90)]),
        STOPPED,
    ),
    (
        # the properties before the missing keys: /billing is never reached
        "contactIds 10000, billing missing",
        {**without(FULL, "billing"), "contactIds": [1] * 10_000},
        False,
        "camel",
        items("contactIds", range(100)),
        STOPPED,
    ),
    (
        # the missing keys before the unknown ones: /billing and /usage are, /a0000 is not
        "contactIds 9998, billing and usage missing, unknown keys",
        {**without(FULL, "billing", "usage"), "contactIds": [1] * 9_998, **keys(2, "a")},
        True,
        "camel",
        [("/billing", "required"), *items("contactIds", range(99))],
        STOPPED,
    ),
    (
        # inside billing: its property, its missing key, then its unknown keys
        "billing: a wrong type, a missing key, 10000 unknown keys",
        {
            **FULL,
            "billing": {"inputCost": "1", "outputCost": 2, **keys(10_000, "z")},
        },
        True,
        "camel",
        [
            ("/billing/inputCost", "type"),
            ("/billing/totalCost", "required"),
            *unknown("/billing", [f"z{i:04}" for i in range(98)]),
        ],
        STOPPED,
    ),
    (
        # array items by index: the first 10,000 are searched
        "contactIds 10050",
        {**FULL, "contactIds": [1] * 10_050},
        False,
        "camel",
        items("contactIds", range(100)),
        STOPPED,
    ),
    (
        # 10,000 exactly: all of them searched, the count exact
        "contactIds 9950, tags 50",
        {**FULL, "contactIds": [1] * 9_950, "tags": [1] * 50},
        False,
        "camel",
        items("contactIds", range(100)),
        f"{SEARCHED - LISTED} more problems not listed",
    ),
]


def raised(call: Callable[[], Any]) -> list[ss.Error]:
    with pytest.raises(ss.ValidationError) as info:
        call()
    return list(info.value.errors)


@pytest.mark.parametrize(
    ("payload", "strict", "style", "listing", "notice"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_the_cut_lists_what_jsonschemas_order_finds_first(
    payload: dict[str, Any], strict: bool, style: ss.Style, listing: list[Pair], notice: str
) -> None:
    assert len(listing) == LISTED
    in_order = problems_in_order(payload, ss.CreateSessionRequestBody, strict, style)
    assert expected_listing(in_order) == (listing, notice)  # the referee's order agrees
    text = json.dumps(payload)
    options: dict[str, Any] = {"strict": strict, "style": style}
    found = {
        "errors": ss.errors(payload, **options),
        "validate": raised(lambda: ss.validate(payload, **options)),
        "load": raised(lambda: ss.load(payload, **options)),
        "loads(bytes)": raised(lambda: ss.loads(text.encode(), **options)),
        "loads(str)": raised(lambda: ss.loads(text, **options)),
    }
    for entry, errors in found.items():
        assert [(error.path, error.keyword) for error in errors[:-1]] == listing, entry
        assert (errors[-1].path, errors[-1].keyword, errors[-1].message) == (
            "",
            "maxErrors",
            notice,
        ), entry


def field_of(pair: Pair) -> str:
    """The field a problem is in: its first path segment, or below billing and usage two."""
    segments = pair[0].split("/")
    return "/".join(segments[:3] if segments[1] in ("billing", "usage") else segments[:2])


def fields_reversed(in_order: list[Pair]) -> list[Pair]:
    """``in_order`` with its runs of problems of one field in reverse order, each run as it is:
    the checks of the fields run the other way round."""
    runs: list[list[Pair]] = []
    for pair in in_order:
        if runs and field_of(runs[-1][0]) == field_of(pair):
            runs[-1].append(pair)
        else:
            runs.append([pair])
    return [pair for run in reversed(runs) for pair in run]


SAME_EITHER_WAY = {"contactIds 9990, tags 50", "contactIds 10050", "contactIds 9950, tags 50"}
"""The cases whose listing the fields' order does not change: the first 100 by path are all in
the field searched first, or every problem is found."""


def test_the_cases_tell_the_orders_apart() -> None:
    """The listings above are not what the cut gives when the problems are searched in another
    order: with the checks of the fields run the other way round (each field's items still by
    index), or with every check reversed (items too)."""
    for name, payload, strict, style, listing, _ in CASES:
        in_order = problems_in_order(payload, ss.CreateSessionRequestBody, strict, style)
        by_fields, _ = expected_listing(fields_reversed(in_order))
        every, _ = expected_listing(in_order[::-1])
        assert (by_fields == listing) is (name in SAME_EITHER_WAY), name
        assert (every == listing) is (name == "contactIds 9950, tags 50"), name
