"""The error types: one :class:`ValidationError` carrying every :class:`Error` found."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from ._values import SURROGATE as _SURROGATE

__all__ = ["Error", "ValidationError"]

PROBLEM_TYPE = "urn:sessionschema:problem:validation"
TRUNCATED = "maxErrors"
"""The keyword of the last error of a list cut short; it says how many more were found."""


@attrs.frozen
class Error:
    """One problem in a payload.

    ``path`` is an RFC 6901 JSON Pointer to the offending value (for a missing property, to where
    it should be; for an unknown key, to that key; ``""`` for the whole document), ``message`` one
    sentence naming what was expected and what was found, and ``keyword`` the JSON Schema keyword
    that failed (``required``, ``type``, ``format``, ``additionalProperties``, ...).
    """

    path: str
    message: str
    keyword: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"

    def to_dict(self) -> dict[str, str]:
        """The error as a JSON-ready dict with the keys ``path``, ``message`` and ``keyword``."""
        return {"path": self.path, "message": self.message, "keyword": self.keyword}


def pointer(parts: Iterable[str | int]) -> str:
    """The RFC 6901 JSON Pointer of a location given as keys and indices.

    A lone surrogate in a key (which no UTF-8 text can carry) is written as the six characters
    of its escape, ``\\udfaa``, so that every pointer can go into a JSON response.
    """
    return "".join("/" + _token(part) for part in parts)


def _token(part: str | int) -> str:
    text = str(part).replace("~", "~0").replace("/", "~1")
    if not text.isascii() and _SURROGATE.search(text):
        text = _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return text


def _pointer_key(error: Error) -> tuple[Any, ...]:
    """Sort key: pointer segments in order, array indices compared as numbers; a list's
    truncation notice stays last."""
    segments = error.path.split("/")[1:] if error.path else []
    key = tuple((0, int(s), "") if s.isascii() and s.isdigit() else (1, 0, s) for s in segments)
    return (error.keyword == TRUNCATED, key, error.keyword, error.message)


def sort_errors(errors: Iterable[Error]) -> tuple[Error, ...]:
    """Errors sorted by path (array indices numerically), then keyword and message."""
    return tuple(sorted(errors, key=_pointer_key))


MAX_ERRORS = 100
"""At most this many problems are listed; one more error then says how many were left out."""


def listed(found: Iterable[Error], *, stopped: bool = False) -> list[Error]:
    """``found`` sorted, cut to :data:`MAX_ERRORS` with a last error counting the rest.

    ``stopped``: the search for problems gave up early, so the count is a lower bound.
    """
    ordered = sort_errors(found)
    if len(ordered) <= MAX_ERRORS:
        return list(ordered)
    more = len(ordered) - MAX_ERRORS
    if stopped:
        message = f"at least {more + 1} more problems not listed (the search stopped there)"
    else:
        message = f"{more} more problem{'s' if more > 1 else ''} not listed"
    return [*ordered[:MAX_ERRORS], Error("", message, TRUNCATED)]


class ValidationError(ValueError):
    """A payload is invalid; ``errors`` holds every problem found, sorted by path.

    ``str(exc)`` lists one problem per line, ``path: message``.
    """

    errors: tuple[Error, ...]

    def __init__(self, errors: Iterable[Error]) -> None:
        self.errors = sort_errors(errors)
        super().__init__(self.errors)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.errors,))

    def __str__(self) -> str:
        return "\n".join(map(str, self.errors))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({len(self.errors)} errors: {str(self)[:200]!r})"

    def to_problem(self) -> dict[str, Any]:
        """An RFC 9457 problem-details body for an HTTP 422 response."""
        count = len(self.errors)
        return {
            "type": PROBLEM_TYPE,
            "title": "The request body is invalid",
            "status": 422,
            "detail": f"{count} problem{'s' if count != 1 else ''} found"
            + (f"; the first: {self.errors[0]}" if count else ""),
            "errors": [error.to_dict() for error in self.errors],
        }
