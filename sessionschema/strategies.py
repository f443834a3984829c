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

from . import _kinds
from ._contract import contract, describe_model, locations, model_class
from ._kinds import INTEGER_CORNERS, NUMBER_CORNERS, Field, Number
from ._problems import pointer
from ._styles import Style, check_style
from .models import CreateSessionRequestBody

__all__ = [
    "BAD_DATE_TIMES",
    "date_time_texts",
    "date_times",
    "integers",
    "invalid_cases",
    "invalid_payloads",
    "numbers",
    "objects",
    "payloads",
    "register_type_strategies",
    "strings",
]

T = TypeVar("T")
Draw = Callable[[st.SearchStrategy[Any]], Any]

BAD_DATE_TIMES: tuple[str, ...] = _kinds.BAD_DATE_TIMES
"""Strings that are not accepted as date-times, one for each rejected form."""


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
        single = field.kind.strategy(field, wire)
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
    wrong = [*field.kind.invalid, *field.kind.wrong(field)]
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


register_type_strategies()
