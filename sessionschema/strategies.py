"""Hypothesis strategies for session payloads, for testing the services that handle them.

Install with ``pip install 'sessionschema[testing]'``. Importing this module registers
strategies for the models, so ``st.from_type(CreateSessionRequestBody)`` works.

- :func:`objects` draws model instances.
- :func:`payloads` draws valid dicts that reach every corner of the contract.
- :func:`invalid_cases` draws ``(payload, paths)``: a payload broken in a known way, and the
  JSON Pointers at which the breakage must be reported; :func:`invalid_payloads` only the payload.

The payload strategies take ``style="camel"`` (the default) or ``style="snake"``, as ``load`` does.
"""

import functools
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any, TypeVar

try:
    from hypothesis import strategies as st
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError(
        "sessionschema.strategies needs hypothesis: pip install 'sessionschema[testing]'"
    ) from exc

import json
import math
from collections.abc import Iterable

import attrs

from ._kinds import Field, Nested, Number
from ._models import CreateSessionRequestBody
from ._problems import pointer
from ._registry import contract, describe_model, locations, model_class
from ._styles import Style, check_style

__all__ = [
    "BAD_DATE_TIMES",
    "EDGE_DATE_TIMES",
    "GOOD_DATE_TIMES",
    "INTEGER_CORNERS",
    "LEAP_DAYS",
    "NUMBER_CORNERS",
    "SAMPLES",
    "Samples",
    "date_time_texts",
    "date_times",
    "edge_cases",
    "integers",
    "invalid_cases",
    "invalid_payloads",
    "is_json",
    "numbers",
    "objects",
    "payloads",
    "register_type_strategies",
    "strings",
    "wrong_values",
]

T = TypeVar("T")
Draw = Callable[[st.SearchStrategy[Any]], Any]

# -- samples at the edges of each kind ------------------------------------------------------------

NUMBER_CORNERS: tuple[Number, ...] = (
    0, -0.0, 1, -1, 2**53 + 1, -(2**63), 10**30, 5e-324, 2.2250738585072014e-308,
    1.7976931348623157e308, -1.7976931348623157e308, 0.1, 1e-7, 1e21,
)  # fmt: skip
"""Numbers at the edges: signed zero, beyond 2**53 and 2**63, the smallest and largest doubles."""

INTEGER_CORNERS: tuple[Any, ...] = (
    0, -0.0, 5.0, 1, -1, 2**53 + 1, -(2**63), 2**64, 10**30, 1e21, 1.7976931348623157e308,
)  # fmt: skip
"""Integers at the edges, written as ints and as floats with no fractional part."""

GOOD_DATE_TIMES: tuple[str, ...] = (
    "2024-05-06T07:08:09Z",
    "2024-05-06t07:08:09z",  # lowercase t and z
    "2024-05-06T07:08:09+02:00",
    "2024-05-06T07:08:09-23:59",
    "2024-05-06T07:08:09+23:59",
    "2024-05-06T07:08:09-00:00",  # offset unknown: read as UTC
    "2024-05-06T07:08:09.5Z",  # a fraction of one digit
    "2024-05-06T07:08:09.123456789+01:00",  # nine digits: truncated to microseconds
    "2024-05-06T00:00:00Z",
    "2024-05-06T23:59:59Z",
    "2024-02-29T07:08:09Z",  # a leap year
    "2000-02-29T07:08:09Z",  # divisible by 400: a leap year
    "2024-01-31T07:08:09Z",
    "2024-04-30T07:08:09Z",
    "2024-12-31T07:08:09Z",
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59Z",
)
"""Date-times at the edges of what is accepted."""

BAD_DATE_TIMES: tuple[str, ...] = (
    "2024-05-06",  # date only
    "2024-05-06T07:08:09",  # no offset
    "2024-05-06 07:08:09Z",  # a space instead of T
    "2024-05-06T07:08:09+0200",  # offset without a colon
    "2024-W19-1T07:08:09Z",  # ISO 8601 week date
    "2024-127T07:08:09Z",  # ISO 8601 ordinal date
    "20240506T070809Z",  # ISO 8601 basic form
    "2024-02-30T07:08:09Z",  # no such day
    "2023-02-29T07:08:09Z",  # not a leap year
    "2024-05-06T24:00:00Z",  # hour 24
    "2024-05-06T07:60:09Z",  # minute 60
    "2024-05-06T07:08:09+24:00",  # offset hour over 23
    "2016-12-31T23:59:60Z",  # leap second: valid RFC 3339, not representable in Python
    "0000-01-01T00:00:00Z",  # year 0000: valid RFC 3339, not representable in Python
    " 2024-05-06T07:08:09Z",  # leading white space
    "2024-05-06T07:08:09Z\n",  # trailing newline
    "2024-05-06T07:08:09.Z",  # a dot without digits
    "\uff12\uff10\uff12\uff14-05-06T07:08:09Z",  # fullwidth (non-ASCII) digits
    "",
)
"""Strings that are not accepted as date-times, one for each rejected form."""

LEAP_DAYS: tuple[str, ...] = (
    "2023-02-29T07:08:09Z",  # not a leap year
    "1900-02-29T07:08:09Z",  # divisible by 100, not by 400
)
"""The rejected date-times that only format assertion catches: no regular expression says which
years are leap years, so the schema's ``pattern`` lets these through."""

EDGE_DATE_TIMES: tuple[str, ...] = (
    *LEAP_DAYS,
    "2024-00-06T07:08:09Z",  # month 00
    "2024-13-06T07:08:09Z",  # month 13
    "2024-05-00T07:08:09Z",  # day 00
    "2024-05-32T07:08:09Z",  # day 32
    "2024-04-31T07:08:09Z",  # April has 30 days
    "2024-02-30T07:08:09Z",
    "2024-05-06T07:08:60Z",  # second 60 other than a leap second
    "2024-05-06T07:08:09+23:60",  # offset minute 60
    "2024-05-06T07:08:09-24:00",
    "2024-05-06T07:08:09+02",  # offset without minutes
    "2024-05-06T07:08Z",  # no seconds
    "2024-05-06T07:08:09,5Z",  # a comma before the fraction
    "2024-05-06T07:08:09Z ",  # trailing white space
    "2024-05-06T07:08:09ZZ",
    "2024-05-06T07:08:09.123",  # a fraction, no offset
    "12024-05-06T07:08:09Z",  # a five-digit year
    "2025-04-14 10:00:00Z",  # a space for T
)
"""More rejected date-times, each at the edge of one rule."""


def numbers() -> st.SearchStrategy[Number]:
    """JSON numbers: ints (beyond 2**53 too) and finite floats, -0.0 and the extremes."""
    return st.one_of(
        st.sampled_from(NUMBER_CORNERS),
        st.integers(),
        st.integers(min_value=-(10**40), max_value=10**40),
        st.floats(allow_nan=False, allow_infinity=False),
    )


def integers(*, wire: bool = False) -> st.SearchStrategy[Any]:
    """JSON integers as a model holds them (ints, beyond 2**64 too); ``wire=True``: as JSON
    text may write them, floats with no fractional part (``5.0``, ``1e21``) included."""
    held = st.one_of(
        st.sampled_from([int(number) for number in INTEGER_CORNERS]),
        st.integers(),
        st.integers(min_value=-(10**40), max_value=10**40),
    )
    if not wire:
        return held
    return held | st.sampled_from(INTEGER_CORNERS) | st.integers(-(2**53), 2**53).map(float)


def strings() -> st.SearchStrategy[str]:
    """Unicode text, control characters and non-ASCII included (no lone surrogates)."""
    return st.one_of(
        st.text(),
        st.text(st.characters(codec="utf-8", categories=["Cc", "Lo", "So", "Zs"]), max_size=20),
    )


def _string_tuples() -> st.SearchStrategy[tuple[str, ...]]:
    return st.one_of(st.just(()), st.lists(strings(), max_size=40).map(tuple))


_OFFSETS = st.one_of(
    st.just(timezone.utc),
    st.integers(min_value=-(24 * 60 - 1), max_value=24 * 60 - 1).map(
        lambda minutes: timezone(timedelta(minutes=minutes))
    ),
)


def date_times() -> st.SearchStrategy[datetime]:
    """Timezone-aware datetimes with offsets of whole minutes, as RFC 3339 can write them."""
    return st.datetimes(timezones=_OFFSETS)


@st.composite
def date_time_texts(draw: Draw) -> str:
    """RFC 3339 date-times in every accepted spelling: ``T`` or ``t``, ``Z``, ``z`` or an offset,
    and fractions of 0 to 9 digits."""
    value: datetime = draw(date_times())
    offset = value.utcoffset() or timedelta(0)
    text = (
        f"{value.year:04d}-{value.month:02d}-{value.day:02d}{draw(st.sampled_from('Tt'))}"
        f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}"
    )
    digits = draw(st.integers(min_value=0, max_value=9))
    if digits:
        extra = draw(st.text("0123456789", min_size=3, max_size=3))
        text += "." + (f"{value.microsecond:06d}" + extra)[:digits]
    if not offset:
        utc: str = draw(st.sampled_from(["Z", "z", "+00:00", "-00:00"]))
        return text + utc
    sign, size = ("-", -offset) if offset < timedelta(0) else ("+", offset)
    minutes = int(size.total_seconds()) // 60
    return f"{text}{sign}{minutes // 60:02d}:{minutes % 60:02d}"


@functools.cache
def _field_strategy(field: Field, wire: bool, style: Style = "camel") -> st.SearchStrategy[Any]:
    """Values of one field: as the wire carries them (``wire``) or as the model holds them."""
    single: st.SearchStrategy[Any]
    if field.model is not None:
        cls = model_class(field.model)
        single = payloads(cls, style=style) if wire else objects(cls)
    else:
        single = SAMPLES[field.kind.name].strategy(field, wire)
    if field.array:
        items: st.SearchStrategy[Any] = st.one_of(
            st.just([]), st.lists(single, max_size=40 if field.model is None else 2)
        )
        single = items if wire else items.map(tuple)
    return st.none() | single if field.nullable else single


def objects(cls: type[T] = CreateSessionRequestBody) -> st.SearchStrategy[T]:  # type: ignore[assignment]
    """Instances of a model, optional attributes set or left at None (a flag true only without
    the list it excludes)."""
    model = describe_model(cls)
    kwargs: dict[str, st.SearchStrategy[Any]] = {}
    for field in model.fields:
        strategy = _field_strategy(field, wire=False)
        kwargs[field.name] = strategy if field.required else st.none() | strategy
    pairs = [(flag.name, listed.name) for flag, listed in model.exclusions]
    if not pairs:
        return st.builds(cls, **kwargs)
    return _exclusive_objects(cls, kwargs, pairs)


@st.composite
def _exclusive_objects(
    draw: Draw,
    cls: type[T],
    kwargs: dict[str, st.SearchStrategy[Any]],
    pairs: list[tuple[str, str]],
) -> T:
    values = {name: draw(strategy) for name, strategy in kwargs.items()}
    for flag, listed in pairs:
        if values[flag] is True and values[listed] is not None:
            values[draw(st.sampled_from([flag, listed]))] = None
    return cls(**values)


@st.composite
def _payload(draw: Draw, cls: type[Any], style: Style) -> dict[str, Any]:
    payload = {}
    model = describe_model(cls)
    for field in model.fields:
        if not field.required and draw(st.booleans()):
            continue  # an optional key left out
        payload[field.wire_key(style)] = draw(_field_strategy(field, True, style))
    for flag, listed in model.exclusions:  # true in a flag only without its list
        if payload.get(flag.wire_key(style)) is True and listed.wire_key(style) in payload:
            del payload[draw(st.sampled_from([flag.wire_key(style), listed.wire_key(style)]))]
    return payload


def payloads(
    cls: type[Any] = CreateSessionRequestBody, *, style: Style = "camel"
) -> st.SearchStrategy[dict[str, Any]]:
    """Valid dicts with the keys of ``style``: optional keys absent and present (projectId null
    too), ints and floats (-0.0, beyond 2**53, tiny and huge), empty and long arrays, non-ASCII
    and control characters, and date-times in every accepted spelling."""
    return _payload(cls, check_style(style))


# Wrong values that JSON text can carry (NaN and Infinity are written by json.dumps and refused
# by any strict reader; a lone surrogate is written as its escape), so that a drawn payload is
# still invalid after a service sends it through json.dumps.
_NOT_ARRAYS: st.SearchStrategy[Any] = st.sampled_from(["a", 1, None, True, {}])
_NOT_OBJECTS: st.SearchStrategy[Any] = st.sampled_from([None, 1, "object", [], True])


def _get(payload: Any, path: str) -> Any:
    for key in path.split("/")[1:]:
        payload = payload[int(key)] if isinstance(payload, list) else payload[key]
    return payload


def _not_of(field: Field) -> st.SearchStrategy[Any]:
    """Values the field's kind refuses: of another JSON type, or of its type but refused (a bad
    date-time, a string not in the enum); null unless the field allows it."""
    wrong = list(wrong_values(field))
    if not field.nullable:
        wrong.append(None)
    return st.sampled_from(wrong) if field.model is None else _NOT_OBJECTS


@st.composite
def invalid_cases(
    draw: Draw, cls: type[Any] = CreateSessionRequestBody, *, style: Style = "camel"
) -> tuple[Any, frozenset[str]]:
    """``(payload, paths)``: a payload invalid in one known way and the JSON Pointers where that
    must be reported: a required key dropped, a wrong type (bool, NaN, a numeric string, null),
    a value its kind refuses (a bad date-time, a string outside an enum, an integer with a
    fraction), a bad array element, two keys that exclude each other, or a payload that is not
    an object at all."""
    payload = draw(payloads(cls, style=style))
    where = [(pointer(map(str, keys)), field) for keys, field in locations(cls, style)]
    present = [(path, field) for path, field in where if _has(payload, path)]
    model = describe_model(cls)
    if draw(st.integers(min_value=0, max_value=len(present))) == 0:
        return draw(_NOT_OBJECTS), frozenset({""})
    if model.exclusions and draw(st.integers(min_value=0, max_value=4)) == 0:
        flag, listed = draw(st.sampled_from(model.exclusions))
        payload[flag.wire_key(style)] = True
        payload[listed.wire_key(style)] = draw(_field_strategy(listed, True, style))
        return payload, frozenset({"/" + listed.wire_key(style)})
    path, field = draw(st.sampled_from(present))
    parent_path, _, key = path.rpartition("/")
    parent = _get(payload, parent_path)
    if field.required and draw(st.booleans()):
        del parent[key]
        return payload, frozenset({path})
    if field.array and field.model is None and draw(st.booleans()):
        items = list(parent.get(key) or [])
        index = draw(st.integers(min_value=0, max_value=len(items)))
        items.insert(index, draw(_not_of(field)))
        parent[key] = items
        return payload, frozenset({f"{path}/{index}"})
    parent[key] = draw(_NOT_ARRAYS if field.array else _not_of(field))
    return payload, frozenset({path})


def _has(payload: Any, path: str) -> bool:
    try:
        _get(payload, path.rpartition("/")[0])
    except (KeyError, IndexError, TypeError):
        return False
    return True


def invalid_payloads(
    cls: type[Any] = CreateSessionRequestBody, *, style: Style = "camel"
) -> st.SearchStrategy[Any]:
    """Payloads invalid in at least one known way; see :func:`invalid_cases` for the paths."""
    return invalid_cases(cls, style=style).map(lambda case: case[0])


def register_type_strategies() -> None:
    """Make ``st.from_type(Model)`` draw :func:`objects` for every registered model (done at
    import for the shipped ones; again after a contract is registered)."""
    for model in contract():
        st.register_type_strategy(model, objects(model))


# -- each kind's strategy and samples -------------------------------------------------------------

Case = tuple[str, Any]
"""A conformance case: a description and the value of the field."""


def _json_text(value: Any) -> str:
    """A value as the JSON a description quotes (``null``, ``true``, ``"1"``)."""
    return json.dumps(value)


@attrs.frozen
class Samples:
    """What the tests and the conformance suite draw for one kind of field (:mod:`._kinds`)."""

    strategy: Callable[[Field, bool], st.SearchStrategy[Any]]
    """Valid values: as the wire carries them (``True``), or as a model holds them."""
    invalid: tuple[Any, ...]
    """Values of another JSON type (null aside, which depends on the field)."""
    wrong: Callable[[Field], tuple[Any, ...]] = lambda field: ()
    """Values of the right JSON type that the kind still refuses (a bad date-time)."""
    edges: Callable[[Field], Iterable[Case]] = lambda field: ()
    """Values at the edges of what the kind accepts, valid ones and invalid ones."""


_NOT_NUMBERS: tuple[Any, ...] = ("1", "1.5", True, [1], {}, float("nan"), float("inf"))
_NOT_STRINGS: tuple[Any, ...] = (1, 1.5, True, ["a"], {}, "\ud800")
_NOT_DIGITS: tuple[str, ...] = ("", "-1", "1.5", "1e3", " 1", "1\n", "\uff11", "0x1")


def _integer_edges(field: Field) -> Iterable[Case]:
    for number in INTEGER_CORNERS:
        yield f"the number {number!r}", number
    yield "a number with a fraction: 0.5", 0.5
    yield "a number with a fraction: 1e-7", 1e-7


def _enum_wrong(field: Field) -> tuple[Any, ...]:
    first = field.values[0]
    unspecified = first.rsplit("_", 1)[0] + "_UNSPECIFIED"  # a protobuf enum's zero value
    near = {first.lower(), first.upper(), first + " ", "", unspecified}
    return tuple(sorted(near - set(field.values)))


SAMPLES: dict[str, Samples] = {
    "number": Samples(
        lambda field, wire: numbers(),
        _NOT_NUMBERS,
        edges=lambda field: ((f"the number {number!r}", number) for number in NUMBER_CORNERS),
    ),
    "integer": Samples(
        lambda field, wire: integers(wire=wire),
        (5.5, "5", True, [1], {}, float("nan"), float("inf")),
        edges=_integer_edges,
    ),
    "boolean": Samples(
        lambda field, wire: st.booleans(),
        (1, 0, "true", [True], {}),
        edges=lambda field: (("true", True), ("false", False)),
    ),
    "string": Samples(
        lambda field, wire: strings(),
        _NOT_STRINGS,
        edges=lambda field: (
            ("an empty string", ""),
            ("non-ASCII text and a control character", "é\u0000\u2028😀"),
        ),
    ),
    "digits": Samples(
        lambda field, wire: st.integers(min_value=0).map(str) | st.text("0123456789", min_size=1),
        (1714979289000, True, ["1"], {}, "\ud800"),
        wrong=lambda field: _NOT_DIGITS,
        edges=lambda field: (
            (f"the string {_json_text(text)}", text)
            for text in ("0", "007", "1714979289000", "9" * 40, *_NOT_DIGITS)
        ),
    ),
    "enum": Samples(
        lambda field, wire: st.sampled_from(field.values),
        (1, True, ["a"], {}),
        wrong=_enum_wrong,
        edges=lambda field: (
            (f"the string {_json_text(text)}", text)
            for text in (*field.values, *_enum_wrong(field))
        ),
    ),
    "date-time": Samples(
        lambda field, wire: date_time_texts() if wire else date_times(),
        _NOT_STRINGS,
        wrong=lambda field: BAD_DATE_TIMES,
        edges=lambda field: (
            (f"the date-time {_json_text(text)}", text)
            for text in dict.fromkeys((*GOOD_DATE_TIMES, *BAD_DATE_TIMES, *EDGE_DATE_TIMES))
        ),
    ),
}
"""Each kind's strategy and samples, by the kind's name: adding a kind adds one entry here."""

_NOT_MODELS: tuple[Any, ...] = (1, "object", [], True)


def wrong_values(field: Field) -> tuple[Any, ...]:
    """Values that a field refuses whatever it allows: of another JSON type, or of its type but
    refused (a bad date-time, a string outside an enum); null is left to the caller."""
    if isinstance(field.kind, Nested):
        return _NOT_MODELS
    samples = SAMPLES[field.kind.name]
    return (*samples.invalid, *samples.wrong(field))


def edge_cases(field: Field) -> Iterable[Case]:
    """Values at the edges of what a field's kind accepts, valid and invalid, described."""
    if isinstance(field.kind, Nested):
        return ()
    return SAMPLES[field.kind.name].edges(field)


def is_json(value: Any) -> bool:
    """Whether a sample can be written as JSON text (no NaN, infinity or lone surrogate)."""
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, str):
        return value.isascii() or not any("\ud800" <= char <= "\udfff" for char in value)
    return True


register_type_strategies()
