"""Problems and how they are reported: :class:`Error`, :class:`ValidationError`, the keywords
errors carry, JSON Pointers, and the collection and listing of what a pass finds."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from ._values import SURROGATE as _SURROGATE

__all__ = ["Error", "Found", "ValidationError", "listed", "pointer", "token"]

PROBLEM_TYPE = "urn:sessionschema:problem:validation"

# The keywords of errors. The first four are JSON Schema's own; the others name what a schema
# cannot say, found at the JSON boundary or when a list is cut short.
REQUIRED = "required"
TYPE = "type"
FORMAT = "format"
ADDITIONAL_PROPERTIES = "additionalProperties"
JSON = "json"
"""The text is not JSON that is read: bad grammar, bad UTF-8, too deep, a lone surrogate."""
MAX_BYTES = "maxBytes"
"""The text is over the size limit; it was not parsed."""
DUPLICATE_KEY = "duplicateKey"
"""A key appears twice in one object (reported in strict mode)."""
MAX_ERRORS = "maxErrors"
"""The last error of a list cut short; it says how many more were found."""


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
    return "".join("/" + token(part) for part in parts)


def token(part: str | int) -> str:
    """One reference token of a JSON Pointer: ``~`` and ``/`` escaped, lone surrogates written
    as their escapes."""
    text = str(part).replace("~", "~0").replace("/", "~1")
    if not text.isascii() and _SURROGATE.search(text):
        text = _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return text


def _pointer_key(error: Error) -> tuple[Any, ...]:
    """Sort key: pointer segments in order, array indices compared as numbers; a list's
    truncation notice stays last."""
    segments = error.path.split("/")[1:] if error.path else []
    key = tuple((0, int(s), "") if s.isascii() and s.isdigit() else (1, 0, s) for s in segments)
    return (error.keyword == MAX_ERRORS, key, error.keyword, error.message)


def sort_errors(errors: Iterable[Error]) -> tuple[Error, ...]:
    """Errors sorted by path (array indices numerically), then keyword and message."""
    return tuple(sorted(errors, key=_pointer_key))


LIST_LIMIT = 100
"""At most this many problems are listed; one more error then says how many were left out."""
SCAN_LIMIT = 10_000
"""Looking for problems stops after this many: enough to sort and count, bounded in time."""


class Stopped(Exception):
    """Raised by :meth:`Found.add` when a problem is found beyond :data:`SCAN_LIMIT`."""


class Found(list[Error]):
    """The problems a pass has found so far, in the order found.

    ``named`` holds the paths that the JSON boundary has already reported (a lone surrogate
    escape, say): a pass does not report them a second time as a wrong type.
    """

    named: frozenset[str] = frozenset()
    stopped = False
    """Set when a pass was stopped at the scan limit: the count of what is left out is then a
    lower bound."""
    unchecked = False
    """Set by a pass that met what the contract does not describe and so did not check it: an
    unknown key (its value may be nested too deep), a number of a rare kind (a float of 2**63 or
    more may be an integer the accelerated parser rounded). The JSON boundary then makes its
    own checks."""

    @classmethod
    def with_problems(cls, problems: list[Error]) -> Found:
        """A list that starts with the JSON boundary's problems, whose paths are not reported
        again."""
        found = cls(problems)
        if problems:
            found.named = frozenset(error.path for error in problems)
        return found

    def add(self, path: str, message: str, keyword: str) -> None:
        """Record a problem; raise :class:`Stopped` once :data:`SCAN_LIMIT` are recorded."""
        if path in self.named:
            return
        if len(self) >= SCAN_LIMIT:
            self.stopped = True
            raise Stopped
        self.append(Error(path, message, keyword))

    def listed(self) -> list[Error]:
        """The problems sorted and cut short as :func:`listed` does."""
        return listed(self, stopped=self.stopped)


def listed(found: Iterable[Error], *, stopped: bool = False) -> list[Error]:
    """``found`` sorted, cut to :data:`LIST_LIMIT` with a last error counting the rest.

    ``stopped``: the search for problems gave up early, so the count is a lower bound.
    """
    ordered = sort_errors(found)
    if len(ordered) <= LIST_LIMIT:
        return list(ordered)
    more = len(ordered) - LIST_LIMIT
    if stopped:
        message = f"at least {more + 1} more problems not listed (the search stopped there)"
    else:
        message = f"{more} more problem{'s' if more > 1 else ''} not listed"
    return [*ordered[:LIST_LIMIT], Error("", message, MAX_ERRORS)]


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
        """An RFC 9457 problem-details body: for an HTTP 413 response when the text was over the
        size limit (an error with the keyword ``maxBytes``: it was not read), else for a 422."""
        count = len(self.errors)
        too_large = any(error.keyword == MAX_BYTES for error in self.errors)
        title = "The request body is too large" if too_large else "The request body is invalid"
        return {
            "type": PROBLEM_TYPE,
            "title": title,
            "status": 413 if too_large else 422,
            "detail": f"{count} problem{'s' if count != 1 else ''} found"
            + (f"; the first: {self.errors[0]}" if count else ""),
            "errors": [error.to_dict() for error in self.errors],
        }
