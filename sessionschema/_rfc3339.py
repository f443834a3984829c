"""The library's one RFC 3339 ``date-time`` reader and writer.

:func:`parse` decides which strings are date-times. The code generated from the schema files
calls it for every field of ``format: date-time``, so checking the format and building the
timezone-aware :class:`~datetime.datetime` are one step, and a refused string's
:class:`DateTimeError` says why. (The ``pattern`` the schema files give each date-time restates
for other validators every rule of it that a regular expression can.) :func:`format_datetime`
writes a model's date-time back in the conservative form that every strict parser accepts.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

__all__ = ["DateTimeError", "format_datetime", "parse"]

# RFC 3339 section 5.6, ASCII digits only ([0-9], never \d, which matches other scripts' digits).
# ``fullmatch`` anchors both ends, so a trailing newline is not accepted (unlike ``$``).
_DATE_TIME = re.compile(
    r"(?P<year>[0-9]{4})-(?P<month>[0-9]{2})-(?P<day>[0-9]{2})"
    r"[Tt]"
    r"(?P<hour>[0-9]{2}):(?P<minute>[0-9]{2}):(?P<second>[0-9]{2})"
    r"(?:\.(?P<fraction>[0-9]+))?"
    r"(?P<offset>[Zz]|[+-][0-9]{2}:[0-9]{2})",
    re.ASCII,
)

# The common spellings, with every field already in range but the day of the month: uppercase T,
# Z or an offset, at most six fraction digits. For these the C parser of datetime.fromisoformat
# reads exactly what the grammar above means; anything else takes the full path below.
_COMMON = re.compile(
    r"[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])"
    r"T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]{1,6})?"
    r"(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])",
    re.ASCII,
)
_fromisoformat = datetime.fromisoformat

_MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
)  # fmt: skip

# Offsets are cached: a payload usually carries one or two, and sharing the tzinfo object makes
# comparisons between parsed values cheap.
_OFFSETS: dict[str, timezone] = {"Z": timezone.utc, "z": timezone.utc}


class DateTimeError(ValueError):
    """A string is not an RFC 3339 date-time that Python can represent; the message says why."""


def _offset(text: str) -> timezone:
    tz = _OFFSETS.get(text)
    if tz is None:
        hours, minutes = int(text[1:3]), int(text[4:6])
        if hours > 23:
            raise DateTimeError(f"offset hour {hours:02d} is out of range 00-23")
        if minutes > 59:
            raise DateTimeError(f"offset minute {minutes:02d} is out of range 00-59")
        delta = timedelta(hours=hours, minutes=minutes)
        # "-00:00" (offset unknown, RFC 3339 section 4.3) is read as UTC: Python has no other value.
        tz = timezone.utc if not delta else timezone(-delta if text[0] == "-" else delta)
        if len(_OFFSETS) < 4096:
            _OFFSETS[text] = tz
    return tz


def parse(text: str) -> datetime:
    """Parse an RFC 3339 ``date-time`` into a timezone-aware :class:`datetime`.

    Fractions of a second of any length are accepted and truncated to microseconds.
    Raises :class:`DateTimeError` with a one-sentence reason.
    """
    if _COMMON.fullmatch(text) is not None:
        try:
            return _fromisoformat(text)
        except ValueError:  # year 0000, a day the month has not, or Python 3.10's older reader
            pass
    match = _DATE_TIME.fullmatch(text)
    if match is None:
        raise DateTimeError("expected the form YYYY-MM-DDThh:mm:ss[.fraction] then Z or +hh:mm")
    year, month, day = int(match["year"]), int(match["month"]), int(match["day"])
    hour, minute, second = int(match["hour"]), int(match["minute"]), int(match["second"])
    if year == 0:
        raise DateTimeError("year 0000 is valid RFC 3339 but cannot be represented in Python")
    if not 1 <= month <= 12:
        raise DateTimeError(f"month {month:02d} is out of range 01-12")
    if hour > 23:
        raise DateTimeError(f"hour {hour:02d} is out of range 00-23")
    if minute > 59:
        raise DateTimeError(f"minute {minute:02d} is out of range 00-59")
    if second == 60:
        raise DateTimeError(
            "a leap second (:60) is valid RFC 3339 but cannot be represented in Python"
        )
    if second > 59:
        raise DateTimeError(f"second {second:02d} is out of range 00-59")
    tz = _offset(match["offset"])
    fraction = match["fraction"]
    microsecond = int(fraction[:6].ljust(6, "0")) if fraction else 0
    try:
        return datetime(year, month, day, hour, minute, second, microsecond, tzinfo=tz)
    except ValueError:
        raise DateTimeError(f"{_MONTH_NAMES[month - 1]} {day} does not exist in {year}") from None


def format_datetime(value: datetime) -> str:
    """Write an aware datetime in the conservative RFC 3339 form.

    Uppercase ``T``, ``Z`` for UTC or ``+hh:mm``, and at most six fraction digits (trailing zeros
    dropped): a form every strict parser accepts.
    """
    text = value.isoformat()  # YYYY-MM-DDThh:mm:ss[.ffffff][+hh:mm[:ss[.ffffff]]]
    size = len(text)
    if size == 25:  # whole seconds
        return text[:19] + "Z" if text.endswith("+00:00") else text
    if size == 32:  # microseconds
        zone = text[26:]
        return text[:26].rstrip("0") + ("Z" if zone == "+00:00" else zone)
    if value.utcoffset() is None:
        raise ValueError("a naive datetime has no RFC 3339 form: give it a timezone")
    raise ValueError("an offset with seconds has no RFC 3339 form")
