"""Hypothesis strategies for session payloads, for testing the services that handle them.

Install with ``pip install 'sessionschema[testing]'``. Importing this module registers
strategies for the models, so ``st.from_type(CreateSessionRequestBody)`` works.

- :func:`objects` draws model instances.
- :func:`payloads` draws valid dicts that reach every corner of the contract.
- :func:`invalid_cases` draws ``(payload, paths)``: a payload broken in a known way, and the
  JSON Pointers at which the breakage must be reported; :func:`invalid_payloads` only the payload.

The payload strategies take ``style="camel"`` (the default) or ``style="snake"``, as ``load`` does.
"""

from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any, TypeVar

try:
    from hypothesis import strategies as st
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError(
        "sessionschema.strategies needs hypothesis: pip install 'sessionschema[testing]'"
    ) from exc

from ._contract import Field, describe_model
from ._styles import Style, check_style
from .models import MODELS, CreateSessionRequestBody, Number

__all__ = [
    "BAD_DATE_TIMES",
    "date_time_texts",
    "date_times",
    "invalid_cases",
    "invalid_payloads",
    "numbers",
    "objects",
    "payloads",
    "strings",
]

T = TypeVar("T")
Draw = Callable[[st.SearchStrategy[Any]], Any]

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

_NUMBER_CORNERS: tuple[Number, ...] = (
    0, -0.0, 1, -1, 2**53 + 1, -(2**63), 10**30, 5e-324, 2.2250738585072014e-308,
    1.7976931348623157e308, -1.7976931348623157e308, 0.1, 1e-7, 1e21,
)  # fmt: skip


def numbers() -> st.SearchStrategy[Number]:
    """JSON numbers: ints (beyond 2**53 too) and finite floats, -0.0 and the extremes."""
    return st.one_of(
        st.sampled_from(_NUMBER_CORNERS),
        st.integers(),
        st.integers(min_value=-(10**40), max_value=10**40),
        st.floats(allow_nan=False, allow_infinity=False),
    )


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


def _field_strategy(field: Field, wire: bool, style: Style = "camel") -> st.SearchStrategy[Any]:
    """Values of one field: as the wire carries them (``wire``) or as the model holds them."""
    kind = field.kind
    if kind == "string":
        return strings()
    if kind == "number":
        return numbers()
    if kind == "strings":
        return _string_tuples().map(list) if wire else _string_tuples()
    if kind == "nullable string":
        return st.one_of(st.none(), strings())
    if kind == "date-time":
        return date_time_texts() if wire else date_times()
    assert field.model is not None, kind
    return payloads(field.model, style=style) if wire else objects(field.model)


def objects(cls: type[T] = CreateSessionRequestBody) -> st.SearchStrategy[T]:  # type: ignore[assignment]
    """Instances of a model, optional attributes set or left at None."""
    kwargs: dict[str, st.SearchStrategy[Any]] = {}
    for field in describe_model(cls).fields:
        strategy = _field_strategy(field, wire=False)
        kwargs[field.name] = strategy if field.required else st.none() | strategy
    return st.builds(cls, **kwargs)


@st.composite
def _payload(draw: Draw, cls: type[Any], style: Style) -> dict[str, Any]:
    payload = {}
    for field in describe_model(cls).fields:
        if not field.required and draw(st.booleans()):
            continue  # an optional key left out
        payload[field.wire_key(style)] = draw(_field_strategy(field, True, style))
    return payload


def payloads(
    cls: type[Any] = CreateSessionRequestBody, *, style: Style = "camel"
) -> st.SearchStrategy[dict[str, Any]]:
    """Valid dicts with the keys of ``style``: optional keys absent and present (projectId null
    too), ints and floats (-0.0, beyond 2**53, tiny and huge), empty and long arrays, non-ASCII
    and control characters, and date-times in every accepted spelling."""
    return _payload(cls, check_style(style))


def _paths(cls: type[Any], style: Style, prefix: str = "") -> list[tuple[str, Field]]:
    """(JSON Pointer, field) of every key of ``cls``, nested models' keys included."""
    found = []
    for field in describe_model(cls).fields:
        path = f"{prefix}/{field.wire_key(style)}"
        found.append((path, field))
        if field.model is not None:
            found.extend(_paths(field.model, style, path))
    return found


# Wrong values that JSON text can carry (NaN and Infinity are written by json.dumps and refused
# by any strict reader; a lone surrogate is written as its escape), so that a drawn payload is
# still invalid after a service sends it through json.dumps.
_NOT_NUMBERS: st.SearchStrategy[Any] = st.sampled_from(
    [True, False, float("nan"), float("inf"), "1", "1.5", None, [1], {}]
)
_NOT_STRINGS: st.SearchStrategy[Any] = st.sampled_from([1, 1.5, True, None, ["a"], {}, "\ud800"])
_NOT_ARRAYS: st.SearchStrategy[Any] = st.sampled_from(["a", 1, None, True, {}])
_NOT_ARRAY_ITEMS: st.SearchStrategy[Any] = st.sampled_from([None, 1, True, ["a"], {}])
_NOT_OBJECTS: st.SearchStrategy[Any] = st.sampled_from([None, 1, "object", [], True])


def _get(payload: Any, path: str) -> Any:
    for key in path.split("/")[1:]:
        payload = payload[key]
    return payload


@st.composite
def invalid_cases(
    draw: Draw, cls: type[Any] = CreateSessionRequestBody, *, style: Style = "camel"
) -> tuple[Any, frozenset[str]]:
    """``(payload, paths)``: a payload invalid in one known way and the JSON Pointers where that
    must be reported: a required key dropped, a wrong type (bool, NaN, a numeric string, null),
    a bad date-time form, a bad array element, or a payload that is not an object at all."""
    payload = draw(payloads(cls, style=style))
    locations = _paths(cls, style)
    if draw(st.integers(min_value=0, max_value=len(locations))) == 0:
        return draw(_NOT_OBJECTS), frozenset({""})
    path, field = draw(st.sampled_from(locations))
    parent_path, _, key = path.rpartition("/")
    parent = _get(payload, parent_path)
    if field.required and draw(st.booleans()):
        del parent[key]
        return payload, frozenset({path})
    if field.kind == "number":
        parent[key] = draw(_NOT_NUMBERS)
    elif field.kind == "string":
        parent[key] = draw(_NOT_STRINGS)
    elif field.kind == "nullable string":
        parent[key] = draw(_NOT_STRINGS.filter(lambda value: value is not None))
    elif field.kind == "date-time":
        parent[key] = draw(st.sampled_from(BAD_DATE_TIMES) | _NOT_STRINGS)
    elif field.kind == "strings":
        if draw(st.booleans()):
            parent[key] = draw(_NOT_ARRAYS)
        else:
            items = list(parent[key])
            index = draw(st.integers(min_value=0, max_value=len(items)))
            items.insert(index, draw(_NOT_ARRAY_ITEMS))
            parent[key] = items
            path = f"{path}/{index}"
    else:  # a nested model
        parent[key] = draw(_NOT_OBJECTS)
    return payload, frozenset({path})


def invalid_payloads(
    cls: type[Any] = CreateSessionRequestBody, *, style: Style = "camel"
) -> st.SearchStrategy[Any]:
    """Payloads invalid in at least one known way; see :func:`invalid_cases` for the paths."""
    return invalid_cases(cls, style=style).map(lambda case: case[0])


for _model in MODELS:
    st.register_type_strategy(_model, objects(_model))
