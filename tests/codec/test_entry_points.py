"""The entry points agree: ``loads`` of UTF-8 bytes, ``loads`` of the same text as ``str`` and
``load`` of the value the standard library parses from it give the same verdict, the same errors
(path, keyword, message) and equal objects, compared by type and value all the way down (an int
is not a float, floats by ``repr``, date-times by value and offset).

``loads`` of bytes takes the accelerator's shortcut: orjson reads the text and the generated pass
checks what it gives, the boundary's other checks running only where the pass met more than the
contract describes. So the drawn payloads, valid and invalid, both styles, both strict modes, are
written as text with what that shortcut must not get wrong: integers at and around +-2**63 and
2**64, 10**30, floats of 2**63 and more, nesting of 64 and 65 levels under an unknown key or in
a field, unknown keys holding such numbers, and duplicate keys. ``load`` of the parsed value is
compared only where the text has nothing that only the boundary sees (a duplicate key, a lone
surrogate, nesting past the limit, a number no double holds). The depth, big-integer and
size-limit checks then run on bytes, bytearray and str alike. Only the public API is used.
"""

from __future__ import annotations

import copy
import functools
import json
import math
from collections.abc import Callable
from typing import Any

import attrs
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import sessionschema as ss
from sessionschema import strategies
from sessionschema.models import MODELS

from ..support import LIBRARIES, Library, Outcome, assert_agree, assert_same, outcome
from ..support.oracle import is_text
from ..support.payloads import REFERENCE

STYLES: tuple[ss.Style, ...] = ("camel", "snake")
STRICT = (False, True)
MAX_DEPTH = 64
"""The documented depth limit: arrays and objects nested deeper than this are refused."""
MAX_BYTES = 1 << 20
"""The documented default size limit of ``loads``, in bytes of UTF-8."""
MAX_DOUBLE = 1.7976931348623157e308

Kind = Callable[[str], Any]
KINDS: dict[str, Kind] = {
    "bytes": lambda text: text.encode("utf-8"),
    "bytearray": lambda text: bytearray(text.encode("utf-8")),
    "str": lambda text: text,
}
"""The forms of JSON text ``loads`` takes; bytes alone take the accelerator's shortcut."""


# -- the entry points on one text -----------------------------------------------------------------


def parsed_plainly(text: str) -> tuple[bool, Any]:
    """``(True, value)`` when the standard library reads ``text`` with nothing in it that only
    the JSON boundary reports: no duplicate key, no NaN or Infinity, no lone surrogate in a
    string or key, no node deeper than :data:`MAX_DEPTH` (scalars counted too), every number
    within a double's range. Otherwise ``(False, None)``."""
    duplicates = False

    def pairs_hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal duplicates
        obj = dict(pairs)
        duplicates = duplicates or len(obj) != len(pairs)
        return obj

    def refuse(name: str) -> Any:
        raise ValueError(name)

    try:
        value = json.loads(text, object_pairs_hook=pairs_hook, parse_constant=refuse)
    except (ValueError, RecursionError):
        return False, None
    if duplicates:
        return False, None
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            return False, None
        if isinstance(node, dict):
            if not all(is_text(key) for key in node):
                return False, None
            stack.extend((child, depth + 1) for child in node.values())
        elif isinstance(node, list):
            stack.extend((child, depth + 1) for child in node)
        elif not _plain_scalar(node):
            return False, None
    return True, value


def _plain_scalar(value: Any) -> bool:
    if isinstance(value, str):
        return is_text(value)
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return -MAX_DOUBLE <= value <= MAX_DOUBLE
    return True


def assert_entry_points_agree(lib: Library, text: str, cls: type, style: Any, strict: bool) -> None:
    """loads(bytes), loads(str) and, where the text is plain, load(dict) agree on ``text``."""
    options: dict[str, Any] = {"strict": strict, "style": style}
    from_str = outcome(lambda: lib.loads(text, cls, **options))
    if is_text(text):  # (a str with a lone surrogate has no UTF-8 bytes)
        data = text.encode("utf-8")
        assert_agree(outcome(lambda: lib.loads(data, cls, **options)), from_str, "loads(bytes)")
    plain, value = parsed_plainly(text)
    if plain:
        assert_agree(outcome(lambda: ss.load(value, cls, **options)), from_str, "load(dict)")


# -- JSON text with what the shortcut must get right ---------------------------------------------


class Raw(str):
    """JSON text written into a document as it is."""


@attrs.define
class Duplicate:
    """A key written a second time into an object, at ``position`` among its keys."""

    position: int
    key: str
    value: Any


def write(value: Any, ascii_only: bool, duplicates: dict[int, list[Duplicate]]) -> str:
    """JSON text of ``value``: :class:`Raw` as it is, the objects whose id ``duplicates`` names
    with those keys repeated; NaN and infinities as Python's json writes them."""
    if isinstance(value, Raw):
        return str(value)
    if isinstance(value, dict):
        pairs = list(value.items())
        for duplicate in duplicates.get(id(value), []):
            pairs.insert(min(duplicate.position, len(pairs)), (duplicate.key, duplicate.value))
        members = (
            f"{json.dumps(key, ensure_ascii=ascii_only)}:{write(item, ascii_only, duplicates)}"
            for key, item in pairs
        )
        return "{" + ",".join(members) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(write(item, ascii_only, duplicates) for item in value) + "]"
    return json.dumps(value, ensure_ascii=ascii_only, allow_nan=True)


EDGE_INTEGERS = [
    2**63 - 1, 2**63, 2**63 + 1, -(2**63) - 1, -(2**63), -(2**63) + 1, 2**64 - 1, 2**64,
    2**64 + 1, -(2**64), 2**53 + 1, 10**30, -(10**30), 10**19, int(MAX_DOUBLE),
]  # fmt: skip
"""Integers where a 64-bit reader changes its mind, and far beyond (all of them JSON numbers:
within a double's range)."""
EDGE_FLOATS = [
    "9223372036854775808.0", "9.223372036854775808e18", "9223372036854775807e0", "1e19",
    "1.8446744073709552e19", "18446744073709551616.5", "-9.3e18", "1e300", "-1e300",
    "1.7976931348623157e308", "-0.0", "-0", "1E2", "0.1",
]  # fmt: skip
"""Number texts of floats of 2**63 and more, and others a reader may write another way."""
NUMBER_TEXTS: st.SearchStrategy[str] = st.one_of(
    st.sampled_from(EDGE_INTEGERS).map(str),
    st.sampled_from(EDGE_FLOATS),
    st.integers(min_value=2**63 - 3, max_value=2**64 + 3).map(str),
    st.integers(min_value=-(2**63) - 3, max_value=-(2**63) + 3).map(str),
    st.floats(min_value=2.0**63, allow_infinity=False).map(repr),
    st.floats(max_value=-(2.0**63), allow_infinity=False).map(repr),
    st.sampled_from(["1e400", "-1e400", "1" + "0" * 400]),  # no double holds these
)


def nested(levels: int, container: str) -> str:
    """``levels`` arrays or objects, one inside the other, the innermost empty."""
    if container == "array":
        return "[" * levels + "]" * levels
    return '{"a":' * (levels - 1) + "{}" + "}" * (levels - 1)


NESTED_TEXTS: st.SearchStrategy[str] = st.builds(
    nested,
    st.sampled_from([MAX_DEPTH - 2, MAX_DEPTH - 1, MAX_DEPTH, MAX_DEPTH + 1, MAX_DEPTH + 2]),
    st.sampled_from(["array", "object"]),
)
UNKNOWN_KEYS = st.sampled_from(["extra", "x", "_id", "tags_", "a~/b"]) | st.text(max_size=4)


def objects_in(value: Any) -> list[dict[str, Any]]:
    """``value`` and every object under it that is a dict."""
    found: list[dict[str, Any]] = []
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            found.append(node)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


@st.composite
def documents(draw: st.DrawFn) -> tuple[type, ss.Style, str]:
    """``(cls, style, text)``: a drawn payload of ``cls``, valid or invalid in a known way, as
    JSON text with up to three of: a node made a big number or deep nesting, an unknown key
    holding one, a key repeated (same value, or another)."""
    cls = draw(st.sampled_from(MODELS))
    style = draw(st.sampled_from(STYLES))
    drawn = strategies.payloads(cls, style=style) | strategies.invalid_payloads(cls, style=style)
    payload = copy.deepcopy(draw(drawn))
    duplicates: dict[int, list[Duplicate]] = {}
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        targets = objects_in(payload)
        if not targets:
            break
        target = draw(st.sampled_from(targets))
        change = draw(st.sampled_from(["node", "unknown key", "duplicate"]))
        if change == "duplicate" and target:
            key = draw(st.sampled_from(sorted(target)))
            value = draw(st.just(target[key]) | NUMBER_TEXTS.map(Raw) | st.just(Raw("null")))
            position = draw(st.integers(min_value=0, max_value=len(target)))
            duplicates.setdefault(id(target), []).append(Duplicate(position, key, value))
        else:
            keys = sorted(target) if change == "node" and target else None
            key = draw(st.sampled_from(keys)) if keys else draw(UNKNOWN_KEYS)
            target[key] = Raw(draw(NUMBER_TEXTS | NESTED_TEXTS))
    return cls, style, write(payload, draw(st.booleans()), duplicates)


def body(key: str, raw: str) -> str:
    """The reference payload with ``key`` set to the JSON text ``raw``."""
    return write({**REFERENCE, key: Raw(raw)}, True, {})


# -- the property --------------------------------------------------------------------------------

REQUEST = ss.CreateSessionRequestBody


@given(case=documents())
@example(case=(REQUEST, "camel", body("duration", str(-(2**63) - 1))))
@example(case=(REQUEST, "camel", body("duration", str(10**30))))
@example(case=(REQUEST, "camel", body("extra", nested(MAX_DEPTH + 1, "array"))))
@example(case=(REQUEST, "camel", body("extra", nested(MAX_DEPTH, "array"))))
@example(case=(REQUEST, "camel", body("extra", nested(MAX_DEPTH + 1, "object"))))
@example(case=(REQUEST, "camel", body("tags", nested(MAX_DEPTH + 1, "array"))))
@example(case=(REQUEST, "camel", body("extra", str(2**64))))
@example(case=(REQUEST, "camel", body("tracesCount", "9223372036854775808.0")))
@example(case=(REQUEST, "camel", '{"duration":1,' + body("duration", '"x"')[1:]))
@example(case=(REQUEST, "camel", '{"extra":1,' + body("extra", "2")[1:]))
def test_bytes_str_and_the_parsed_dict_agree(case: tuple[type, ss.Style, str]) -> None:
    cls, style, text = case
    for lib in LIBRARIES:
        for strict in STRICT:
            assert_entry_points_agree(lib, text, cls, style, strict)


# -- the three things the shortcut once got wrong ------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("strict", STRICT)
def test_an_integer_below_minus_2_63_stays_an_exact_int(
    lib: Library, kind: str, strict: bool
) -> None:
    number = -(2**63) - 1
    session = lib.loads(KINDS[kind](body("duration", str(number))), strict=strict)
    assert type(session.duration) is int
    assert session.duration == number


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("strict", STRICT)
def test_10_to_the_30_stays_an_exact_int(lib: Library, kind: str, strict: bool) -> None:
    session = lib.loads(KINDS[kind](body("duration", str(10**30))), strict=strict)
    assert type(session.duration) is int
    assert session.duration == 10**30


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("strict", STRICT)
def test_65_levels_under_an_unknown_key_are_refused(lib: Library, kind: str, strict: bool) -> None:
    with pytest.raises(ss.ValidationError) as info:
        lib.loads(KINDS[kind](body("extra", nested(MAX_DEPTH + 1, "array"))), strict=strict)
    assert [error.keyword for error in info.value.errors] == ["json"]
    assert f"deeper than {MAX_DEPTH}" in info.value.errors[0].message


# -- depth, big integers and the size limit, on every kind of text -------------------------------


def loads_outcomes(text: str, **options: Any) -> dict[str, Outcome]:
    """The outcome of ``loads`` of ``text`` as each kind; all of them must agree."""
    found = {
        kind: outcome(functools.partial(ss.loads, KINDS[kind](text), **options)) for kind in KINDS
    }
    for kind in KINDS:
        assert_agree(found[kind], found["str"], kind)
    return found


@pytest.mark.parametrize("strict", STRICT)
@pytest.mark.parametrize("container", ["array", "object"])
@pytest.mark.parametrize("key", ["extra", "tags", "billing"])
@pytest.mark.parametrize("levels", [MAX_DEPTH - 1, MAX_DEPTH, MAX_DEPTH + 1, 1_000])
def test_the_depth_limit_holds_for_every_kind_of_text(
    levels: int, key: str, container: str, strict: bool
) -> None:
    # The envelope is level 0: its key holds ``levels`` more.
    verdict, result = loads_outcomes(body(key, nested(levels, container)), strict=strict)["bytes"]
    if levels > MAX_DEPTH:
        assert verdict == "invalid"
        assert [keyword for _, keyword, _ in result] == ["json"]
        assert f"deeper than {MAX_DEPTH}" in result[0][2]
    elif key == "extra":
        if strict:
            assert verdict == "invalid"
            assert [(path, keyword) for path, keyword, _ in result] == [
                ("/extra", "additionalProperties")
            ]
        else:
            assert verdict == "valid"
            assert_same(result, ss.load(REFERENCE))
    else:  # a field given a container of the wrong kind, or holding one
        unknown = [("/billing/a", "additionalProperties")] if strict else []
        missing = [(f"/billing/{name}", "required") for name in REFERENCE["billing"]]
        expected = {
            ("tags", "array"): [("/tags/0", "type")],
            ("tags", "object"): [("/tags", "type")],
            ("billing", "array"): [("/billing", "type")],
            ("billing", "object"): [*unknown, *missing],
        }
        assert verdict == "invalid"
        assert [(path, keyword) for path, keyword, _ in result] == expected[key, container]


INTEGER_TEXTS = [str(number) for number in EDGE_INTEGERS]


@pytest.mark.parametrize("strict", STRICT)
@pytest.mark.parametrize("raw", INTEGER_TEXTS + EDGE_FLOATS)
def test_big_numbers_are_read_exactly_from_every_kind_of_text(raw: str, strict: bool) -> None:
    expected: float = int(raw) if raw.lstrip("-").isdigit() else float(raw)
    for field in ("duration", "tracesCount"):
        verdict, session = loads_outcomes(body(field, raw), strict=strict)["bytes"]
        assert verdict == "valid", session
        attribute = "duration" if field == "duration" else "traces_count"
        assert_same(getattr(session, attribute), expected)
    billing = {**REFERENCE["billing"], "inputCost": Raw(raw)}
    in_billing = write({**REFERENCE, "billing": billing}, True, {})
    verdict, session = loads_outcomes(in_billing, strict=strict)["bytes"]
    assert verdict == "valid", session
    assert_same(session.billing.input_cost, expected)


@pytest.mark.parametrize("strict", STRICT)
@pytest.mark.parametrize("raw", [*INTEGER_TEXTS, *EDGE_FLOATS, "[18446744073709551616]"])
def test_big_numbers_under_an_unknown_key_for_every_kind_of_text(raw: str, strict: bool) -> None:
    verdict, result = loads_outcomes(body("extra", raw), strict=strict)["bytes"]
    if strict:
        assert verdict == "invalid"
        pairs = [(path, keyword) for path, keyword, _ in result]
        assert pairs == [("/extra", "additionalProperties")]
    else:
        assert verdict == "valid"
        assert_same(result, ss.load(REFERENCE))


@pytest.mark.parametrize("raw", ["1e400", "-1e400", "1" + "0" * 400, "-1" + "0" * 400])
@pytest.mark.parametrize("key", ["duration", "extra"])
def test_numbers_no_double_holds_get_one_verdict_from_every_kind_of_text(
    raw: str, key: str
) -> None:
    """Refused in a number field, and a float literal anywhere (the parser refuses it); an
    integer under an unknown key, which the pass does not look at, gets the same verdict from
    every kind of text (loads_outcomes checks it)."""
    verdict, _ = loads_outcomes(body(key, raw))["bytes"]
    if key == "duration" or "e" in raw:
        assert verdict == "invalid"


def padded(size: int) -> str:
    """A valid text of ``size`` bytes of UTF-8 (and fewer characters: its id is "é")."""
    text = write({**REFERENCE, "externalId": "\u00e9"}, False, {})
    assert len(text.encode("utf-8")) == len(text) + 1
    return text + " " * (size - len(text.encode("utf-8")))


@pytest.mark.parametrize("strict", STRICT)
@pytest.mark.parametrize("limit", [300, MAX_BYTES])
def test_the_size_limit_counts_utf8_bytes_for_every_kind_of_text(limit: int, strict: bool) -> None:
    options: dict[str, Any] = {"strict": strict}
    if limit != MAX_BYTES:
        options["max_bytes"] = limit
    verdict, session = loads_outcomes(padded(limit), **options)["bytes"]
    assert verdict == "valid", session
    assert session.external_id == "\u00e9"
    verdict, result = loads_outcomes(padded(limit + 1), **options)["bytes"]
    assert verdict == "invalid"
    assert [(path, keyword) for path, keyword, _ in result] == [("", "maxBytes")]
    assert str(limit + 1) in result[0][2]
    assert str(limit) in result[0][2]
    unlimited = loads_outcomes(padded(limit + 1), strict=strict, max_bytes=None)["bytes"]
    assert unlimited[0] == "valid"
