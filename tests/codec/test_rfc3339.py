"""date-time: RFC 3339 exactly, decided by one parser for the schema check and the converter.

The parser (``sessionschema._rfc3339``) is the unit under test; what it reads is compared with
the oracle's own reading (tests/support/oracle.py: fixed positions and calendar.monthrange), never
with itself, and every limit is tested at its edge on both sides."""

import json
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import attrs
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import sessionschema as ss
from sessionschema import _rfc3339, strategies

from ..support.oracle import date_time, read_date_time
from ..support.payloads import valid_payload

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
    assert date_time(text) == expected
    assert fields(parsed) == read_date_time(text)


@pytest.mark.parametrize("text", strategies.BAD_DATE_TIMES)
def test_rejected_forms(text: str) -> None:
    assert read_date_time(text) is None
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


def fields(value: datetime) -> tuple[int, ...]:
    """What a parsed value holds, in the order of the oracle's DateTimeFields."""
    offset = value.utcoffset()
    assert offset is not None
    return (
        value.year, value.month, value.day, value.hour, value.minute, value.second,
        value.microsecond, offset // timedelta(minutes=1),
    )  # fmt: skip


@given(strategies.date_time_texts())
@example("2024-05-06t07:08:09.123456789z")
@example("2024-05-06T07:08:09-00:00")
def test_parser_reads_what_an_independent_reading_reads(text: str) -> None:
    assert fields(_rfc3339.parse(text)) == read_date_time(text)


@given(strategies.date_times())
def test_format_then_parse_is_the_identity(value: datetime) -> None:
    text = _rfc3339.format_datetime(value)
    assert read_date_time(text) == fields(value)
    parsed = _rfc3339.parse(text)
    assert parsed == value
    assert parsed.utcoffset() == value.utcoffset()
    assert _rfc3339.format_datetime(parsed) == text


GRAMMAR = "0123456789-:.+TtZz \n\u0660\uff10"
"""Characters of the grammar, and a few that look like them."""


@st.composite
def near_date_times(draw: st.DrawFn) -> str:
    """A date-time text with one character replaced, inserted or deleted: mostly invalid, and at
    the edges of the grammar."""
    text: str = draw(strategies.date_time_texts())
    where = draw(st.integers(0, len(text)))
    char = draw(st.sampled_from(GRAMMAR))
    how = draw(st.sampled_from(["replace", "insert", "delete", "keep"]))
    if how == "replace":
        return text[:where] + char + text[where + 1 :]
    if how == "insert":
        return text[:where] + char + text[where:]
    if how == "delete":
        return text[:where] + text[where + 1 :]
    return text


@given(near_date_times() | st.text(GRAMMAR, max_size=32))
@example("2024-05-06T07:08:09Z\n")
@example("2024-02-29T07:08:09.Z")
def test_one_reading_decides_for_the_parser_errors_and_load(text: str) -> None:
    """The parser, the format check of errors() and load() decide alike, and as the oracle does;
    the format problem gives the parser's reason."""
    expected = read_date_time(text)
    payload = valid_payload(updatedAt=text)
    try:
        parsed, reason = _rfc3339.parse(text), ""
    except _rfc3339.DateTimeError as exc:
        parsed, reason = None, str(exc)
    if parsed is None:
        assert expected is None
        (error,) = ss.errors(payload)
        assert (error.path, error.keyword) == ("/updatedAt", "format")
        assert error.message.endswith(f": {reason}")
        with pytest.raises(ss.ValidationError) as info:
            ss.load(payload)
        assert list(info.value.errors) == [error]
    else:
        assert fields(parsed) == expected
        assert ss.errors(payload) == []
        assert ss.load(payload).updated_at == date_time(text)


# -- every limit at its edge ---------------------------------------------------------------------

EDGES: list[tuple[str, bool]] = [
    # month
    ("2024-00-06T07:08:09Z", False), ("2024-01-06T07:08:09Z", True),
    ("2024-12-06T07:08:09Z", True), ("2024-13-06T07:08:09Z", False),
    # day, by month: the last day and the day after
    ("2024-01-00T07:08:09Z", False), ("2024-01-01T07:08:09Z", True),
    ("2024-01-31T07:08:09Z", True), ("2024-01-32T07:08:09Z", False),
    ("2024-03-31T07:08:09Z", True), ("2024-03-32T07:08:09Z", False),
    ("2024-04-30T07:08:09Z", True), ("2024-04-31T07:08:09Z", False),
    ("2024-05-31T07:08:09Z", True), ("2024-05-32T07:08:09Z", False),
    ("2024-06-30T07:08:09Z", True), ("2024-06-31T07:08:09Z", False),
    ("2024-07-31T07:08:09Z", True), ("2024-07-32T07:08:09Z", False),
    ("2024-08-31T07:08:09Z", True), ("2024-08-32T07:08:09Z", False),
    ("2024-09-30T07:08:09Z", True), ("2024-09-31T07:08:09Z", False),
    ("2024-10-31T07:08:09Z", True), ("2024-10-32T07:08:09Z", False),
    ("2024-11-30T07:08:09Z", True), ("2024-11-31T07:08:09Z", False),
    ("2024-12-31T07:08:09Z", True), ("2024-12-32T07:08:09Z", False),
    ("2024-04-99T07:08:09Z", False),
    # February: leap years by 4, not by 100, again by 400
    ("2023-02-28T07:08:09Z", True), ("2023-02-29T07:08:09Z", False),
    ("2024-02-28T07:08:09Z", True), ("2024-02-29T07:08:09Z", True),
    ("2024-02-30T07:08:09Z", False), ("2000-02-29T07:08:09Z", True),
    ("2000-02-30T07:08:09Z", False), ("1900-02-28T07:08:09Z", True),
    ("1900-02-29T07:08:09Z", False), ("2100-02-29T07:08:09Z", False),
    ("0004-02-29T07:08:09Z", True), ("0001-02-29T07:08:09Z", False),
    # hour, minute, second (the leap second :60 is refused: Python cannot hold it)
    ("2024-05-06T00:00:00Z", True), ("2024-05-06T23:08:09Z", True),
    ("2024-05-06T24:08:09Z", False), ("2024-05-06T24:00:00Z", False),
    ("2024-05-06T07:59:09Z", True), ("2024-05-06T07:60:09Z", False),
    ("2024-05-06T07:08:59Z", True), ("2024-05-06T07:08:60Z", False),
    ("2016-12-31T23:59:60Z", False), ("2024-05-06T07:08:61Z", False),
    ("2024-05-06T07:08:99Z", False),
    # offsets
    ("2024-05-06T07:08:09+23:59", True), ("2024-05-06T07:08:09-23:59", True),
    ("2024-05-06T07:08:09+24:00", False), ("2024-05-06T07:08:09-24:00", False),
    ("2024-05-06T07:08:09+00:59", True), ("2024-05-06T07:08:09+00:60", False),
    ("2024-05-06T07:08:09-00:00", True), ("2024-05-06T07:08:09+00:00", True),
    ("2024-05-06T07:08:09+0200", False), ("2024-05-06T07:08:09+02", False),
    ("2024-05-06T07:08:09+2:00", False), ("2024-05-06T07:08:09+02:00:00", False),
    ("2024-05-06T07:08:09\u221202:00", False),  # a minus sign, not a hyphen
    # fractions: 1 digit, 6, 7, 9 and many; none after the dot is not one
    ("2024-05-06T07:08:09.0Z", True), ("2024-05-06T07:08:09.5Z", True),
    ("2024-05-06T07:08:09.123456Z", True), ("2024-05-06T07:08:09.1234567Z", True),
    ("2024-05-06T07:08:09.123456789Z", True), ("2024-05-06T07:08:09." + "9" * 40 + "Z", True),
    ("2024-05-06T07:08:09.Z", False), ("2024-05-06T07:08:09.5.5Z", False),
    ("2024-05-06T07:08:09,5Z", False), ("2024-05-06T07:08.5Z", False),
    # years
    ("0000-01-01T00:00:00Z", False), ("0001-01-01T00:00:00Z", True),
    ("9999-12-31T23:59:59Z", True), ("0001-01-01T00:00:00+23:59", True),
    ("9999-12-31T23:59:59.999999999-23:59", True), ("10000-01-01T00:00:00Z", False),
    ("+2024-05-06T07:08:09Z", False), ("-2024-05-06T07:08:09Z", False),
    ("24-05-06T07:08:09Z", False), ("2024-5-06T07:08:09Z", False),
    # the separators and the case of T and Z
    ("2024-05-06t07:08:09z", True), ("2024-05-06t07:08:09Z", True),
    ("2024-05-06T07:08:09z", True), ("2024-05-06 07:08:09Z", False),
    ("2024-05-06_07:08:09Z", False), ("2024-05-06T07:08:09", False),
    ("2024-05-06T07:08Z", False), ("2024/05/06T07:08:09Z", False),
    ("2024-05-06T07-08-09Z", False), ("2024-05-06TT07:08:09Z", False),
    ("2024-05-06T07:08:09ZZ", False), ("2024-05-06T07:08:09UTC", False),
    # nothing before or after
    ("2024-05-06T07:08:09Z\n", False), ("2024-05-06T07:08:09+02:00\n", False),
    ("2024-05-06T07:08:09Z\r\n", False), ("2024-05-06T07:08:09Z ", False),
    (" 2024-05-06T07:08:09Z", False), ("\n2024-05-06T07:08:09Z", False),
    ("2024-05-06T07:08:09Z\x00", False),
    # ASCII digits only
    ("2024-05-0\u0666T07:08:09Z", False), ("2024-05-06T07:08:0\u00b2Z", False),
    ("2024-05-06T07:08:09.\u0665Z", False), ("2024-05-06T07:08:09+0\uff12:00", False),
    ("", False), ("Z", False),
]  # fmt: skip
"""Date-time texts at the edges of every limit, and whether each is accepted."""


@pytest.mark.parametrize(("text", "valid"), EDGES, ids=repr)
def test_every_limit_at_its_edge(text: str, valid: bool) -> None:
    assert (read_date_time(text) is not None) is valid, "the oracle"
    payload = valid_payload(startedAt=text)
    if valid:
        expected = date_time(text)
        assert expected is not None
        parsed = _rfc3339.parse(text)
        assert fields(parsed) == read_date_time(text)
        assert ss.errors(payload) == []
        started = ss.load(payload).started_at
        assert started is not None
        assert (started, started.utcoffset()) == (expected, expected.utcoffset())
        assert fields(started) == fields(expected)
    else:
        with pytest.raises(_rfc3339.DateTimeError):
            _rfc3339.parse(text)
        assert [(e.path, e.keyword) for e in ss.errors(payload)] == [("/startedAt", "format")]
        with pytest.raises(ss.ValidationError):
            ss.load(payload)


def test_the_oracle_reads_each_field_where_it_is() -> None:
    assert read_date_time("2024-05-06T07:08:09.1234567-01:30") == (
        2024, 5, 6, 7, 8, 9, 123456, -90
    )  # fmt: skip
    assert read_date_time("0001-02-03t04:05:06.7z") == (1, 2, 3, 4, 5, 6, 700000, 0)
    assert read_date_time("9999-12-31T23:59:59.0000009+23:59") == (
        9999, 12, 31, 23, 59, 59, 0, 23 * 60 + 59
    )  # fmt: skip
    assert read_date_time("2024-05-06T07:08:09-00:00") == (2024, 5, 6, 7, 8, 9, 0, 0)


# -- the pattern of the schema files -------------------------------------------------------------

SCHEMA_FILES = Path(__file__).parents[2] / "sessionschema" / "schemas"
PATTERNS = sorted(
    {
        node["pattern"]
        for path in SCHEMA_FILES.glob("*.schema.json")
        for node in json.loads(path.read_text("utf-8")).get("properties", {}).values()
        if node.get("format") == "date-time" and "pattern" in node
    }
)
"""The patterns with which the files restate the date-time format, for other validators."""


@pytest.mark.skipif(not PATTERNS, reason="the schema files give date-times no pattern")
@given(near_date_times() | st.sampled_from([text for text, _ in EDGES]))
@example("2023-02-29T07:08:09Z")
@example("2024-05-06T07:08:09Z\n")
def test_the_files_pattern_says_what_the_oracle_reads_but_leap_days(text: str) -> None:
    expected = read_date_time(text) is not None
    for pattern in PATTERNS:
        matched = re.search(pattern, text) is not None
        leap_day = text[5:10] == "02-29" and read_date_time(text[:8] + "28" + text[10:])
        if matched and not expected:  # the pattern cannot know which years are leap years
            assert leap_day, text
        else:
            assert matched == expected, text
