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
import sys
from datetime import datetime, timedelta, timezone

__all__ = ["DateTimeError", "common", "format_datetime", "parse"]

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

if sys.version_info >= (3, 11):
    _fromisoformat = datetime.fromisoformat
else:  # pragma: no cover - Python 3.10: its reader takes no Z, nor fractions of 1, 2, 4 or 5 digits

    def _fromisoformat(text: str) -> datetime:
        if text[-1:] == "Z":
            text = text[:-1] + "+00:00"
        if text[19:20] == ".":  # a fraction: six digits (fewer are padded; more, refused)
            zone = len(text) - 6
            text = text[:zone] + "0" * (26 - zone) + text[zone:]
        return datetime.fromisoformat(text)


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


def common(text: str) -> datetime | None:
    """The date-time of ``text`` if it is in a common spelling, else None (which says nothing
    of whether it is valid): the shortcut of :func:`parse`, and the lean pass's reader.

    The C reader of :meth:`datetime.fromisoformat` reads first: it checks the digits, the ranges
    and the day of the month, but takes ISO 8601 more widely than RFC 3339 (a space or any other
    character for T, a comma, basic forms, offsets without a colon or with seconds, offset
    minute 60). So the text must then also be of the common form: ``YYYY-MM-DDThh:mm:ss``, a
    fraction of one to six digits, and ``Z`` or ``+hh:mm`` with the minutes under 60. What it
    returns is what the full grammar below reads (tests/codec/test_rfc3339.py compares them).
    """
    try:
        value = _fromisoformat(text)
    except ValueError:
        return None
    if text[4:17:3] != "--T::":  # the places 4, 7, 10, 13 and 16
        return None
    if text[-1] == "Z":
        zone = len(text) - 1  # where the offset starts
    elif text[-6] in "+-" and text[-3] == ":" and text[-2] < "6":
        zone = len(text) - 6
    else:
        return None
    return value if zone == 19 or (20 < zone < 27 and text[19] == ".") else None


def parse(text: str) -> datetime:
    """Parse an RFC 3339 ``date-time`` into a timezone-aware :class:`datetime`.

    Fractions of a second of any length are accepted and truncated to microseconds.
    Raises :class:`DateTimeError` with a one-sentence reason.
    """
    value = common(text)
    if value is not None:
        return value
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
