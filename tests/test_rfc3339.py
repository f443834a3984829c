"""date-time: RFC 3339 exactly, decided by one parser for the schema check and the converter."""

import re
from datetime import datetime, timedelta, timezone
from typing import Any

import attrs
import pytest
from hypothesis import example, given

import sessionschema as ss
from sessionschema import _rfc3339, strategies
from sessionschema.models import CreateSessionRequestBody

from .payloads import valid_payload

UTC = timezone.utc
PLUS_TWO = timezone(timedelta(hours=2))
WEST = timezone(-timedelta(hours=23, minutes=59))
MINUS_90 = timezone(timedelta(minutes=-90))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-05-06T07:08:09Z", datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)),
        ("2024-05-06t07:08:09z", datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)),
        ("2024-05-06T07:08:09+02:00", datetime(2024, 5, 6, 7, 8, 9, tzinfo=PLUS_TWO)),
        ("2024-05-06T07:08:09-00:00", datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)),
        ("2024-05-06T07:08:09.5Z", datetime(2024, 5, 6, 7, 8, 9, 500000, tzinfo=UTC)),
        ("2024-05-06T07:08:09.123456789Z", datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=UTC)),
        ("2024-02-29T23:59:59.9999999-23:59", datetime(2024, 2, 29, 23, 59, 59, 999999, WEST)),
        ("0001-01-01T00:00:00Z", datetime(1, 1, 1, tzinfo=UTC)),
        ("9999-12-31T23:59:59Z", datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)),
    ],
)  # fmt: skip
def test_accepted_forms(text: str, expected: datetime) -> None:
    parsed = _rfc3339.parse(text)
    assert parsed == expected
    assert parsed.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize("text", strategies.BAD_DATE_TIMES)
def test_rejected_forms(text: str) -> None:
    with pytest.raises(_rfc3339.DateTimeError):
        _rfc3339.parse(text)
    payload = valid_payload(startedAt=text)
    assert [(e.path, e.keyword) for e in ss.errors(payload)] == [("/startedAt", "format")]
    with pytest.raises(ss.ValidationError) as info:
        ss.load(payload)
    assert [e.path for e in info.value.errors] == ["/startedAt"]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2016-12-31T23:59:60Z", "(:60) is valid RFC 3339 but cannot be represented in Python"),
        ("0000-01-01T00:00:00Z", "year 0000 is valid RFC 3339 but cannot be represented in Python"),
        ("2024-02-30T00:00:00Z", "February 30 does not exist in 2024"),
        ("2024-05-06T24:00:00Z", "hour 24 is out of range 00-23"),
        ("2024-05-06T07:60:00Z", "minute 60 is out of range 00-59"),
        ("2024-05-06T07:08:09+24:00", "offset hour 24 is out of range 00-23"),
        ("2024-13-06T07:08:09Z", "month 13 is out of range 01-12"),
    ],
)  # fmt: skip
def test_messages_say_why(text: str, reason: str) -> None:
    (error,) = ss.errors(valid_payload(updatedAt=text))
    assert error.path == "/updatedAt"
    assert error.message.endswith(reason)
    assert error.message.startswith(f"expected an RFC 3339 date-time, got string '{text}'")


def test_fractions_are_truncated_not_rounded() -> None:
    assert _rfc3339.parse("2024-05-06T07:08:09.9999999Z").microsecond == 999999
    assert _rfc3339.parse("2024-05-06T07:08:09.0000009Z").microsecond == 0


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC), "2024-05-06T07:08:09Z"),
        (datetime(2024, 5, 6, 7, 8, 9, 120000, tzinfo=UTC), "2024-05-06T07:08:09.12Z"),
        (datetime(2024, 5, 6, 7, 8, 9, 1, tzinfo=PLUS_TWO), "2024-05-06T07:08:09.000001+02:00"),
        (datetime(5, 5, 6, 7, 8, 9, tzinfo=MINUS_90), "0005-05-06T07:08:09-01:30"),
    ],
)  # fmt: skip
def test_output_is_conservative(value: datetime, text: str) -> None:
    assert _rfc3339.format_datetime(value) == text


def test_lowercase_input_is_written_uppercase() -> None:
    session = ss.load(valid_payload(startedAt="2024-05-06t07:08:09.5z"))
    assert ss.dump(session)["startedAt"] == "2024-05-06T07:08:09.5Z"


def test_models_hold_only_aware_datetimes() -> None:
    session = ss.load(valid_payload())
    with pytest.raises(ValueError, match="timezone-aware"):
        attrs.evolve(session, started_at=datetime(2024, 5, 6, 7, 8, 9))
    with pytest.raises(ValueError, match="no RFC 3339 form"):
        attrs.evolve(
            session, started_at=datetime(2024, 5, 6, tzinfo=timezone(timedelta(seconds=30)))
        )
    with pytest.raises(TypeError, match="expected a datetime"):
        attrs.evolve(session, started_at="2024-05-06T07:08:09Z")  # type: ignore[arg-type]


_ORACLE = re.compile(
    r"(\d{4})-(\d\d)-(\d\d)[Tt](\d\d):(\d\d):(\d\d)(\.\d+)?([Zz]|[+-]\d\d:\d\d)", re.ASCII
)


def oracle(text: str) -> Any:
    """An independent reading of a date-time text: its fields, for comparison with the parser."""
    match = _ORACLE.fullmatch(text)
    assert match is not None
    *numbers, fraction, offset = match.groups()
    micro = int((fraction or ".")[1:7].ljust(6, "0"))
    sign = -1 if offset[0] == "-" else 1
    minutes = 0 if offset in "Zz" else sign * (int(offset[1:3]) * 60 + int(offset[4:6]))
    return (*map(int, numbers), micro, minutes)


@given(strategies.date_time_texts())
@example("2024-05-06t07:08:09.123456789z")
@example("2024-05-06T07:08:09-00:00")
def test_parser_reads_what_an_independent_reading_reads(text: str) -> None:
    value = _rfc3339.parse(text)
    offset = value.utcoffset()
    assert offset is not None
    fields = (value.year, value.month, value.day, value.hour, value.minute, value.second)
    assert (*fields, value.microsecond, offset // timedelta(minutes=1)) == oracle(text)


@given(strategies.date_times())
def test_format_then_parse_is_the_identity(value: datetime) -> None:
    text = _rfc3339.format_datetime(value)
    parsed = _rfc3339.parse(text)
    assert parsed == value
    assert parsed.utcoffset() == value.utcoffset()
    assert _rfc3339.format_datetime(parsed) == text


def test_one_parser_decides_for_the_schema_and_the_converter(monkeypatch: Any) -> None:
    def refuse(text: str) -> datetime:
        raise _rfc3339.DateTimeError("refused by the stand-in parser")

    payload = valid_payload(startedAt="2024-05-06T07:08:09Z")
    assert ss.load(payload).started_at is not None
    monkeypatch.setattr(_rfc3339, "parse", refuse)
    found = ss.errors(payload)
    assert [e.path for e in found] == ["/startedAt", "/updatedAt"]
    assert all(e.message.endswith("refused by the stand-in parser") for e in found)
    with pytest.raises(ss.ValidationError):
        ss.load(payload)
    with pytest.raises(_rfc3339.DateTimeError):
        ss.converter.structure(payload, CreateSessionRequestBody)
