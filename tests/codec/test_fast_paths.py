"""The shorter ways to a model give exactly what the full pass gives, or give up.

``loads`` tries msgspec's structs first (lenient mode, where msgspec is used) and ``load`` the
lean pass; each either builds the model the full pass builds or gives up, and then the full pass
decides and lists the problems. Here, on generated cases of every model of both contracts in
both styles (valid payloads with drawn values, payloads mutated as dicts, and their JSON texts
mutated as text: numbers, strings, date-times, duplicate and unknown keys, nesting depth, invalid
UTF-8), the codecs of every configuration (:data:`tests.support.WAYS`: the library's own, msgspec
alone, orjson with the lean pass, the lean pass alone) are compared with the codecs of the
reference, the standard library at the boundary and the full pass alone: the same verdict, the
same errors (path, keyword, message, order) and equal objects, by type and value all the way
down; and each shorter way is called on its own. Then one test for each class of disagreement
that the structs' design closes, and the date-time shortcut against the full grammar on 300,000
texts.

The number of cases is :data:`CASES` (``SESSIONSCHEMA_FAST_CASES`` sets another, for a longer
run); the ``ci`` hypothesis profile runs more than the ``dev`` one.
"""

from __future__ import annotations

import functools
import json
import os
import random
import re
from collections.abc import Callable, Iterator
from typing import Any

import attrs
import pytest

import sessionschema as ss
from sessionschema import _rfc3339, strategies
from sessionschema._example import example
from sessionschema._kinds import Field
from sessionschema._registry import building, describe_model, model_class
from sessionschema.models import MODELS

from ..support import (
    LEAN_ONLY,
    MSGSPEC,
    MSGSPEC_WAYS,
    ORJSON,
    ORJSON_LEAN,
    REFERENCE,
    WAYS,
    Outcome,
    assert_agree,
    assert_same,
    check_of,
    codec_of,
    lean_of,
    outcome,
    quick_of,
)
from ..support.contract.models import MODELS as CONTRACT_MODELS

STYLES: tuple[ss.Style, ...] = ("camel", "snake")
EVERY_MODEL = (*MODELS, *CONTRACT_MODELS)

_PROFILE_CASES = {"ci": 24_000, "dev": 6_000}
CASES = int(
    os.environ.get("SESSIONSCHEMA_FAST_CASES")
    or _PROFILE_CASES.get(os.environ.get("HYPOTHESIS_PROFILE", "dev"), 6_000)
)
"""Generated cases in all, shared out among the models."""


# -- the ways, one by one --------------------------------------------------------------------------


def msgspec_read(cls: type, style: ss.Style = "camel") -> Callable[[Any], Any]:
    """``fast_<Title>_<style>``: JSON text -> the model through msgspec's struct, or a
    ValueError (where msgspec is used)."""
    assert MSGSPEC_WAYS is not None
    read = quick_of(codec_of(cls, style, False, MSGSPEC_WAYS))
    assert read is not None
    return read


def msgspec_check(cls: type, style: ss.Style = "camel") -> Callable[[Any], None]:
    """``check_<Title>_<style>``: None for a text the struct reads as a valid model, else a
    ValueError (where msgspec is used)."""
    assert MSGSPEC_WAYS is not None
    check = check_of(codec_of(cls, style, False, MSGSPEC_WAYS))
    assert check is not None
    return check


def orjson_lean(cls: type, style: ss.Style = "camel") -> Callable[[Any], Any]:
    """orjson's value of JSON text read by the lean pass: the model, None, or a ValueError
    (where orjson is used)."""
    assert ORJSON_LEAN is not None
    read = quick_of(codec_of(cls, style, False, ORJSON_LEAN))
    assert read is not None
    return read


def lean(cls: type, style: ss.Style = "camel") -> Callable[[Any], Any]:
    """The lean pass: a dict -> the model, or None at the first doubt."""
    return lean_of(codec_of(cls, style, False, LEAN_ONLY))


# -- generated cases -------------------------------------------------------------------------------

NUMBERS: tuple[Any, ...] = (
    *strategies.NUMBER_CORNERS, 2**63 - 1, -(2**63), 2**63, -(2**63) - 1, 2**64, 123456789, 0.5,
    -2.5e-3, 1e300, 9007199254740993, 100.0, 3.0,
)  # fmt: skip
INTEGERS: tuple[Any, ...] = (
    0, 1, -1, 7, 2**31, 2**53 + 1, 2**63 - 1, -(2**63), 2**63, -(2**63) - 1, 10**30, 5.0, -0.0,
)  # fmt: skip
STRINGS: tuple[str, ...] = (
    "", "a", "<value>", "é", "\u2028", "😀", "\x00", "x" * 70, "a\"b\\c", "\ud83d\ude00", "\u0661",
)  # fmt: skip
DATE_TIMES: tuple[str, ...] = (
    *strategies.GOOD_DATE_TIMES,
    *strategies.BAD_DATE_TIMES,
    "2024-05-06T07:08:09.9999999Z",  # truncated, not rounded up to the next second
    "2024-05-06T07:08:09.123+05:30",
    "2024-05-06T07:08:09,5Z",
    "2024-05-06T07:08:09+00:60",
    "2024-05-06T07:08:09.12Z",
)
UNKNOWN_VALUES: tuple[Any, ...] = (1, 10**30, "\ud800", [[[[1]]]], {"a": None}, 1e300, None)


def drawn(rng: random.Random, field: Field, style: ss.Style) -> Any:
    """A value of ``field`` as the wire carries it, mostly valid."""
    if field.nullable and rng.random() < 0.15:
        return None
    if field.array:
        return [drawn_item(rng, field, style) for _ in range(rng.choice((0, 1, 1, 2, 3)))]
    return drawn_item(rng, field, style)


def drawn_item(rng: random.Random, field: Field, style: ss.Style) -> Any:
    kind = field.kind.name
    if kind == "model":
        return payload(rng, model_class(field.model or ""), style)
    if kind == "number":
        return rng.choice(NUMBERS) if rng.random() < 0.6 else round(rng.uniform(-1e6, 1e6), 3)
    if kind == "integer":
        return rng.choice(INTEGERS) if rng.random() < 0.5 else rng.randint(0, 10**6)
    if kind == "boolean":
        return rng.random() < 0.5
    if kind == "string":
        return rng.choice(STRINGS) if rng.random() < 0.5 else f"s{rng.randint(0, 999)}"
    if kind == "digits":
        return rng.choice(("0", "007", "1714979289000", "9" * 40))
    if kind == "enum":
        return rng.choice(field.values)
    if kind == "date-time":
        return rng.choice(DATE_TIMES[:40]) if rng.random() < 0.5 else common_date_time(rng)
    raise AssertionError(kind)


def common_date_time(rng: random.Random) -> str:
    fraction = rng.choice(("", "", ".5", ".123", ".123456", ".1234567"))
    zone = rng.choice(("Z", "+02:00", "-05:30", "+00:00", "-00:00"))
    return (
        f"{rng.randint(1970, 2100):04d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        f"T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"
        f"{fraction}{zone}"
    )


def payload(rng: random.Random, cls: type, style: ss.Style) -> dict[str, Any]:
    """A payload of ``cls``: every required key, each optional one half the time."""
    model = describe_model(cls)
    data = {
        field.wire_key(style): drawn(rng, field, style)
        for field in model.fields
        if field.required or rng.random() < 0.5
    }
    for flag, listed in model.exclusions:
        if data.get(flag.wire_key(style)) is True and rng.random() < 0.8:
            data.pop(listed.wire_key(style), None)
    return data


def mutated(rng: random.Random, data: dict[str, Any], cls: type, style: ss.Style) -> None:
    """One change to the dict ``data`` of ``cls`` (or to a nested model's dict in it)."""
    model = describe_model(cls)
    nested = [f for f in model.fields if f.model and isinstance(data.get(f.wire_key(style)), dict)]
    if nested and rng.random() < 0.25:
        field = rng.choice(nested)
        mutated(rng, data[field.wire_key(style)], model_class(field.model or ""), style)
        return
    field = rng.choice(model.fields)
    key = field.wire_key(style)
    action = rng.randrange(6)
    if action == 0:  # a value of another type, or one the kind refuses
        data[key] = rng.choice((*strategies.wrong_values(field), None, [], {}))
    elif action == 1:
        data.pop(key, None)
    elif action == 2:
        data[rng.choice(("extra", "x", key.upper()))] = rng.choice(UNKNOWN_VALUES)
    elif action == 3 and key in data:  # the key of the other style
        other = field.wire_key("snake" if style == "camel" else "camel")
        data[other] = data.pop(key)
    elif action == 4:
        for flag, listed in model.exclusions:
            data[flag.wire_key(style)] = True
            data[listed.wire_key(style)] = ["a"]
    else:
        data[key] = drawn(rng, field, style)


_NUMBER = re.compile(rb"(?<=[:\[,])-?[0-9][0-9.eE+-]*")
_NUMBER_SPELLINGS = (
    b"1.0", b"1e0", b"1E+2", b"-0", b"-0.0", b"01", b"1.", b"+1", b"0x1", b"1e400", b"-1e400",
    b"12345678901234567890", b"9223372036854775807", b"9223372036854775808",
    b"-9223372036854775809", b"18446744073709551616", b"5.000", b"2.5e-7", b"1e-400",
    b"100000000000000000000000000000.5", b"Infinity", b"NaN",
    b"0.1000000000000000055511151231257827021181583404541015625",
)  # fmt: skip
_STRING_EDITS = (
    b"\\u00e9", b"\\ud800", b"\\udc00", b"\\ud83d\\ude00", b"\x01", b"\xff", b"\xc0\xaf",
    b"\xed\xa0\x80", b"\\u0000", b"\t", b"\\/", b"\\x", b"\xf4\x90\x80\x80",
)  # fmt: skip
_DATE_TIME_EDITS = (
    (b"T", b" "), (b"T", b"t"), (b"Z\"", b"z\""), (b"Z\"", b"+00:00\""), (b"+02:00", b"+0200"),
    (b"+02:00", b"+02"), (b":09", b":60"), (b"T07", b"T24"), (b".5", b".500000001"),
    (b"Z\"", b".9999999Z\""), (b"-05:30", b"-05:60"),
)  # fmt: skip


def text_mutated(rng: random.Random, raw: bytes) -> bytes:
    """One change to the JSON text ``raw`` of an object."""
    action = rng.randrange(9)
    if action == 0:  # a number spelled otherwise
        numbers = list(_NUMBER.finditer(raw))
        if numbers:
            where = rng.choice(numbers)
            return raw[: where.start()] + rng.choice(_NUMBER_SPELLINGS) + raw[where.end() :]
    if action == 1:  # an escape or raw bytes inside a string
        quotes = [index for index, byte in enumerate(raw) if byte == 0x22]
        if len(quotes) > 1:
            at = rng.choice(quotes[1:]) if rng.random() < 0.5 else rng.choice(quotes)
            at += 1 if rng.random() < 0.5 else 0
            return raw[:at] + rng.choice(_STRING_EDITS) + raw[at:]
    if action == 2:  # a date-time respelled
        old, new = rng.choice(_DATE_TIME_EDITS)
        return raw.replace(old, new, 1)
    if action == 3:  # a duplicate key: the first member again, first, with another value
        member = re.match(rb'\{\s*("(?:[^"\\]|\\.)*")\s*:', raw)
        if member:
            value = rng.choice((b"1", b'"x"', b"null", b"[]", b"{}", b"true"))
            return raw[:1] + member.group(1) + b":" + value + b"," + raw[1:]
    if action == 4:  # an unknown key nested deep, or holding a big number
        depth = rng.choice((3, 63, 64, 65))
        value = rng.choice((b"[" * depth + b"]" * depth, b"1" * 30, b'"\\ud800"', b"1e400"))
        return raw[:1] + b'"zz":' + value + b"," + raw[1:]
    if action == 5:
        return (
            rng.choice((b"\xef\xbb\xbf", b" \n\t", b"\x0c", b""))
            + raw
            + rng.choice((b"", b" ", b"\n", b"x", b"{}", b"\x00"))
        )
    if action == 6 and raw:  # a byte cut, or the text cut short
        at = rng.randrange(len(raw))
        return raw[:at] + raw[at + rng.choice((0, 1)) :] if rng.random() < 0.5 else raw[:at]
    if action == 7:  # respelled keys
        return raw.replace(b'"_id"', b'"id"').replace(b'Id"', b'ID"', 1)
    return raw


def case_texts(rng: random.Random, cls: type, style: ss.Style) -> Iterator[str | bytes]:
    """Texts of one drawn payload: as written, with its dict mutated, with its text mutated."""
    data = payload(rng, cls, style)
    if rng.random() < 0.3:
        data = example(cls, style) | (data if rng.random() < 0.5 else {})
    dumps = json.dumps(data, ensure_ascii=rng.random() < 0.3, separators=(",", ":"))
    yield dumps.encode("utf-8", "surrogatepass")
    broken = json.loads(dumps)
    for _ in range(rng.choice((1, 1, 2))):
        mutated(rng, broken, cls, style)
    raw = json.dumps(broken, ensure_ascii=False).encode("utf-8", "surrogatepass")
    yield raw if rng.random() < 0.85 else raw.decode("utf-8", "surrogatepass")
    raw = text_mutated(rng, dumps.encode("utf-8", "surrogatepass"))
    if rng.random() < 0.3:
        raw = text_mutated(rng, raw)
    if rng.random() < 0.15:
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError:
            yield raw
    else:
        yield raw


# -- the differential test -----------------------------------------------------------------------

Tally = dict[str, int]


def compare(text: str | bytes, cls: type, style: ss.Style, tally: Tally) -> None:
    """Every configuration's entry points on one text against the reference's, in both modes;
    then each shorter way on its own."""
    label = (cls.__name__, style, text)
    outcomes = {}
    for strict in (False, True):
        expected = outcome(functools.partial(codec_of(cls, style, strict, REFERENCE).loads, text))
        outcomes[strict] = expected
        problems = expected[1] if expected[0] == "invalid" else []
        for name, ways in WAYS.items():
            codec = codec_of(cls, style, strict, ways)
            found = outcome(functools.partial(codec.loads, text))
            assert_agree(found, expected, (*label, name, strict))
            if type(text) in (bytes, str):  # (the command line's verdict)
                listed = [(e.path, e.keyword, e.message) for e in codec.problems(text)]
                assert listed == problems, (*label, name, strict, "problems")
    expected = outcomes[False]
    tally["cases"] += 1
    tally[expected[0]] += 1
    if MSGSPEC and type(text) in (bytes, str):
        try:
            obj = msgspec_read(cls, style)(text)
        except ValueError:
            assert refused(msgspec_check(cls, style), text), label
        else:  # msgspec's verdict and model are the full pass's
            tally["msgspec"] += 1
            assert expected[0] == "valid", label
            assert_same(obj, expected[1], str(label))
            assert msgspec_check(cls, style)(text) is None
    if ORJSON and type(text) in (bytes, str):
        try:
            obj = orjson_lean(cls, style)(text)
        except ValueError:
            obj = None
        if obj is not None:  # orjson's value, held by the lean pass: the full pass's model
            tally["orjson"] += 1
            assert expected[0] == "valid", label
            assert_same(obj, expected[1], str(label))
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return
    if not isinstance(data, dict):
        return
    held = lean(cls, style)(data)
    if held is not None:
        tally["lean"] += 1
        reference = codec_of(cls, style, False, REFERENCE)
        assert_agree(("valid", held), outcome(lambda: reference.load(data)), label)
    for strict in (False, True):
        expected = outcome(functools.partial(codec_of(cls, style, strict, REFERENCE).load, data))
        for name, ways in WAYS.items():
            found = outcome(functools.partial(codec_of(cls, style, strict, ways).load, data))
            assert_agree(found, expected, (*label, name, "load", strict))


def refused(function: Callable[[Any], Any], text: str | bytes) -> bool:
    try:
        function(text)
    except ValueError:
        return True
    return False


@pytest.mark.parametrize("cls", EVERY_MODEL, ids=lambda cls: cls.__name__)
def test_the_shorter_ways_agree_with_the_full_pass(cls: type) -> None:
    rng = random.Random(f"fast {cls.__name__}")
    tally: Tally = {"cases": 0, "valid": 0, "invalid": 0, "msgspec": 0, "orjson": 0, "lean": 0}
    share = -(-CASES // len(EVERY_MODEL))
    while tally["cases"] < share:
        style = STYLES[tally["cases"] % 2]
        for text in case_texts(rng, cls, style):
            compare(text, cls, style, tally)
    print(f"{cls.__name__}: {tally}")  # (pytest -s shows the counts)
    # Both verdicts are reached, and both shorter ways take a good part of the valid cases.
    assert tally["valid"] > share // 10, tally
    assert tally["invalid"] > share // 5, tally
    assert tally["lean"] > tally["valid"] // 4, tally
    if MSGSPEC:
        assert tally["msgspec"] > tally["valid"] // 4, tally
    if ORJSON:
        assert tally["orjson"] > tally["valid"] // 4, tally


def test_the_cases_reach_the_count_of_the_profile() -> None:
    share = -(-CASES // len(EVERY_MODEL))
    assert share * len(EVERY_MODEL) >= CASES
    if os.environ.get("HYPOTHESIS_PROFILE") == "ci":
        assert CASES >= 20_000


# -- each class of disagreement, closed ----------------------------------------------------------

needs_msgspec = pytest.mark.skipif(not MSGSPEC, reason="msgspec is not used")


def through(text: str | bytes, cls: type = ss.CreateSessionRequestBody) -> str:
    """Which way reads ``text``: "msgspec" (the structs built the model) or "full"."""
    try:
        msgspec_read(cls)(text)
    except ValueError:
        return "full"
    return "msgspec"


def both(text: str | bytes, cls: type = ss.CreateSessionRequestBody) -> tuple[Outcome, Outcome]:
    """What ``loads`` makes of ``text`` (lenient, camel) in the library's configuration, and in
    the reference, having checked that every configuration agrees with the reference."""
    expected = outcome(lambda: codec_of(cls, "camel", False, REFERENCE).loads(text))
    for name, ways in WAYS.items():
        found = outcome(lambda: codec_of(cls, "camel", False, ways).loads(text))  # noqa: B023
        assert_agree(found, expected, (name, text))
    return outcome(lambda: ss.loads(text, cls)), expected


def body(**changes: Any) -> bytes:
    return json.dumps(example() | changes).encode()


@needs_msgspec
def test_numbers_keep_their_type_and_digits() -> None:
    for raw, value in (
        (b"1", 1), (b"1.0", 1.0), (b"9007199254740993", 9007199254740993), (b"-0.0", -0.0),
        (b"-0", 0), (b"9223372036854775807", 2**63 - 1), (b"1E2", 100.0),
    ):  # fmt: skip
        text = body().replace(b'"duration": 789.62', b'"duration": ' + raw)
        assert through(text) == "msgspec", raw
        found, _ = both(text)
        assert found[0] == "valid"
        assert repr(found[1].duration) == repr(value)


@needs_msgspec
def test_integers_beyond_64_bits_and_whole_floats_take_the_full_pass() -> None:
    for raw in (b"9223372036854775808", b"-9223372036854775809", b"10" + b"0" * 29):
        text = body().replace(b'"duration": 789.62', b'"duration": ' + raw)
        assert through(text) == "full"
        found, _ = both(text)
        assert found[0] == "valid"
        assert found[1].duration == int(raw)
    thread = json.dumps(example(ss.Thread) | {"tracesCount": 5.0}).encode()
    assert through(thread, ss.Thread) == "full"
    found, _ = both(thread, ss.Thread)
    assert found[0] == "valid"
    assert type(found[1].traces_count) is int


@pytest.mark.skipif(not ORJSON, reason="orjson is not used")
def test_orjson_floats_that_may_be_integers_of_the_text_are_left_to_the_full_pass() -> None:
    """orjson reads an integer below -2**63 or from 2**64 on as a float, so the lean pass over its
    value holds no float from 2**63 on in magnitude; the full pass reads the text's integer."""
    assert ORJSON_LEAN is not None
    over_orjson = orjson_lean(ss.CreateSessionRequestBody)
    without_msgspec = codec_of(ss.CreateSessionRequestBody, "camel", False, ORJSON_LEAN)
    for raw in (b"18446744073709551617", b"-9223372036854775809", b"9223372036854775808.0"):
        text = body().replace(b'"duration": 789.62', b'"duration": ' + raw)
        assert over_orjson(text) is None, raw
        found = outcome(functools.partial(without_msgspec.loads, text))
        assert found[0] == "valid"
        assert repr(found[1].duration) == repr(json.loads(raw)), raw
    for raw, value in ((b"9223372036854775807", 2**63 - 1), (b"9.2e18", 9.2e18), (b"-1e18", -1e18)):
        text = body().replace(b'"duration": 789.62', b'"duration": ' + raw)
        assert repr(over_orjson(text).duration) == repr(value), raw


@needs_msgspec
def test_null_is_refused_where_the_contract_is_not_nullable() -> None:
    assert through(body(startedAt=None)) == "full"
    found, _ = both(body(startedAt=None))
    assert found[0] == "invalid"
    assert found[1][0][:2] == ("/startedAt", "type")
    assert through(body(projectId=None)) == "msgspec"  # nullable
    thread = json.dumps(example(ss.Thread) | {"title": None}).encode()
    assert through(thread, ss.Thread) == "full"
    assert both(thread, ss.Thread)[0][0] == "invalid"


@needs_msgspec
def test_date_times_are_read_by_the_one_parser() -> None:
    for text, verdict in (
        ("2024-05-06 07:08:09Z", "invalid"),  # msgspec's own reader takes a space
        ("2024-05-06T07:08:09+0200", "invalid"),  # and +hhmm
        ("2024-05-06T07:08:09.9999999Z", "valid"),  # and rounds, where the parser truncates
        ("2024-05-06t07:08:09.123456789z", "valid"),
        ("2024-05-06T07:08:09+00:60", "invalid"),
        ("2023-02-29T07:08:09Z", "invalid"),
    ):
        found, _ = both(body(startedAt=text))
        assert found[0] == verdict, text
    found, _ = both(body(startedAt="2024-05-06T07:08:09.9999999Z"))
    assert found[1].started_at.microsecond == 999999
    assert found[1].started_at.second == 9


@needs_msgspec
def test_unknown_keys_take_the_full_pass_with_its_checks() -> None:
    for value in ('"\\ud800"', "[" * 65 + "]" * 65, "1" * 400, "1e400", "1"):
        text = body()[:-1] + b', "extra": ' + value.encode() + b"}"
        assert through(text) == "full"
        both(text)


@needs_msgspec
def test_duplicate_keys_and_strict_mode_stay_on_the_full_path() -> None:
    text = b'{"duration": "x", ' + body()[1:]
    assert through(text) == "full"
    assert both(text)[0][0] == "valid"
    found = outcome(lambda: ss.loads(text, strict=True))
    assert found[0] == "invalid"
    assert ("/duration", "duplicateKey") in [error[:2] for error in found[1]]
    last = b'{"duration": 1, ' + body()[1:]
    assert both(last)[0][1].duration == 789.62  # the last value counts, as without msgspec


@needs_msgspec
def test_the_size_limit_comes_before_msgspec() -> None:
    text = body()
    for given in (text, text.decode()):
        found = outcome(functools.partial(ss.loads, given, max_bytes=len(text) - 1))
        assert found[0] == "invalid"
        assert found[1][0][1] == "maxBytes"
        assert outcome(functools.partial(ss.loads, given, max_bytes=len(text)))[0] == "valid"


@needs_msgspec
def test_two_keys_that_exclude_each_other_take_the_full_pass() -> None:
    text = json.dumps({"clearTags": True, "tags": ["a"]}).encode()
    assert through(text, ss.UpdateThreadRequest) == "full"
    found, _ = both(text, ss.UpdateThreadRequest)
    assert found[0] == "invalid"
    assert found[1][0][1] == "not"
    fine = json.dumps({"clearTags": True, "contactIds": ["a"]}).encode()
    assert through(fine, ss.UpdateThreadRequest) == "msgspec"


@needs_msgspec
def test_text_that_is_not_utf8_or_holds_a_lone_surrogate_takes_the_full_pass() -> None:
    for text in (
        body(externalId="\ud800").replace(b"\\ud800", b"\xed\xa0\x80"),
        body(externalId="\ud800"),
        body(externalId="x")[:-1] + b"\xff}",
        body(externalId="\ud800").decode(),
        json.dumps(example() | {"externalId": "\ud800"}, ensure_ascii=False),
    ):
        assert through(text) == "full"
        assert both(text)[0][0] == "invalid"


def test_the_lean_pass_gives_up_on_what_is_not_the_common_case() -> None:
    lean_pass = lean(ss.CreateSessionRequestBody)
    assert lean_pass(example()) == ss.load(example())
    for changes in (
        {"startedAt": "2024-05-06t07:08:09Z"},  # valid, not a common spelling
        {"duration": True},
        {"extra": 1},
        {"contactIds": ("a",)},
    ):
        assert lean_pass(example() | changes) is None, changes
    assert lean_pass({**example(), "tags": ["é", "a"]}) == ss.load(
        {**example(), "tags": ["é", "a"]}
    )


# -- the date-time shortcut ------------------------------------------------------------------------

DATE_TIME_TEXTS = 300_000


def date_time_texts(rng: random.Random, count: int) -> Iterator[str]:
    """Texts near the form of a date-time: its parts drawn at and beyond their ranges, its
    separators and offsets spelled every way a reader might take, and bytes changed."""
    separators = "TTTTTt _"
    zones = ("Z", "Z", "z", "+00:00", "-00:00", "+23:59", "-23:59", "+24:00", "+00:60", "+0200",
             "+02", "+02:00:00", "", "+02:00", "-05:30")  # fmt: skip
    fractions = ("", "", "", ".5", ".12", ".123", ".1234", ".12345", ".123456", ".1234567",
                 ".123456789", ",5", ".", ".5a")  # fmt: skip
    for _ in range(count):
        year = rng.choice((rng.randint(1, 9999), 0, 1900, 2000, 2023, 2024, 10000))
        month, day = rng.randint(0, 13), rng.randint(0, 32)
        hour, minute, second = rng.randint(0, 24), rng.randint(0, 60), rng.randint(0, 61)
        text = (
            f"{year:04d}-{month:02d}-{day:02d}{rng.choice(separators)}"
            f"{hour:02d}:{minute:02d}:{second:02d}{rng.choice(fractions)}{rng.choice(zones)}"
        )
        if rng.random() < 0.1:
            at = rng.randrange(len(text))
            text = text[:at] + rng.choice("0:-T.+Z\u0661 W") + text[at + rng.choice((0, 1)) :]
        yield text


def test_the_date_time_shortcut_reads_what_the_full_grammar_reads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = random.Random("date-times")
    texts = list(date_time_texts(rng, DATE_TIME_TEXTS))
    texts += [*strategies.GOOD_DATE_TIMES, *strategies.BAD_DATE_TIMES]
    texts += strategies.EDGE_DATE_TIMES
    shortcut = [_rfc3339.common(text) for text in texts]
    monkeypatch.setattr(_rfc3339, "common", lambda text: None)  # the full grammar alone
    taken = 0
    for text, fast in zip(texts, shortcut, strict=True):
        try:
            full = _rfc3339.parse(text)
        except _rfc3339.DateTimeError:
            assert fast is None, text
            continue
        if fast is not None:
            taken += 1
            assert (fast, fast.utcoffset(), repr(fast)) == (full, full.utcoffset(), repr(full))
    assert len(texts) >= DATE_TIME_TEXTS
    assert taken > len(texts) // 20  # (and the common spellings do take it)


def test_the_shortcut_takes_the_common_spellings() -> None:
    for text in (
        "2024-05-06T07:08:09Z",
        "2024-05-06T07:08:09.123456+02:00",
        "2024-05-06T07:08:09.5Z",
    ):
        assert _rfc3339.common(text) == _rfc3339.parse(text)
    for text in ("2024-05-06T07:08:09+00:60", "2024-05-06 07:08:09Z", "2024-05-06T07:08:09,5Z"):
        assert _rfc3339.common(text) is None


def test_models_built_by_every_way_pickle_alike() -> None:
    import pickle

    obj = ss.loads(body())
    assert pickle.loads(pickle.dumps(obj)) == obj
    assert attrs.evolve(obj) == obj


def models_in(obj: Any) -> Iterator[Any]:
    """``obj`` and every model it holds, at any depth."""
    yield obj
    for value in attrs.astuple(obj, recurse=False):
        for item in value if isinstance(value, tuple) else (value,):
            if attrs.has(type(item)):
                yield from models_in(item)


@pytest.mark.parametrize("cls", EVERY_MODEL, ids=lambda cls: cls.__name__)
def test_every_way_builds_instances_of_the_models_themselves(cls: type) -> None:
    """The building classes stay inside the functions that build: every object that any entry
    point gives, nested ones included, is of the model's own class, frozen, and weakly
    referable; the building class is among the model's subclasses."""
    import weakref

    data = example(cls)
    text = json.dumps(data).encode()
    ways: dict[str, Callable[[], Any]] = {
        "load": lambda: ss.load(data, cls),
        "load strict": lambda: ss.load(data, cls, strict=True),
        "loads": lambda: ss.loads(text, cls),
        "loads strict": lambda: ss.loads(text, cls, strict=True),
        "lean": lambda: lean(cls)(data),
    }
    for name, configuration in (*WAYS.items(), ("reference", REFERENCE)):
        for strict in (False, True):
            codec = codec_of(cls, "camel", strict, configuration)
            ways[f"{name} loads {strict}"] = functools.partial(codec.loads, text)
            ways[f"{name} load {strict}"] = functools.partial(codec.load, data)
    if cls in MODELS:
        ways["converter"] = lambda: ss.converter.structure(data, cls)
    if MSGSPEC:
        ways["msgspec"] = lambda: msgspec_read(cls)(text)
    if ORJSON:
        ways["orjson"] = lambda: orjson_lean(cls)(text)
    for way, build in ways.items():
        obj = build()
        for model in models_in(obj):
            assert not type(model).__name__.endswith("Building"), way
            assert building(type(model)) in type(model).__subclasses__()
            weakref.ref(model)
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            obj.__setattr__(attrs.fields(cls)[0].name, None)
        assert obj == ss.load(data, cls), way


def test_a_few_problems_are_sorted_as_the_segments_compare() -> None:
    from sessionschema._problems import MAX_ERRORS, Error, _segment_key, sort_errors

    def segments(error: Error) -> tuple[Any, ...]:
        path = tuple(_segment_key(part) for part in error.path.split("/")[1:])
        return (
            error.keyword == MAX_ERRORS,
            path if error.path else (),
            error.keyword,
            error.message,
        )

    rng = random.Random("sorting")
    parts = ("", "a", "a-b", "a b", "ab", "A", "é", "~0", "~1", "0", "1", "10", "007", "-1", "x.y")
    for _ in range(20_000):
        errors = [
            Error(
                "".join("/" + rng.choice(parts) for _ in range(rng.randrange(4))),
                rng.choice(("m", "n")),
                rng.choice(("type", "required", MAX_ERRORS)),
            )
            for _ in range(rng.randrange(1, 10))
        ]
        assert list(sort_errors(errors)) == sorted(errors, key=segments)
