"""Problems and how they are reported: :class:`Error`, :class:`ValidationError`, the keywords
errors carry, JSON Pointers, and the collection and listing of what a pass finds."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import attrs

from ._values import SURROGATE as _SURROGATE

__all__ = ["ROOT", "Error", "Found", "ValidationError", "listed", "pointer", "token"]

ROOT = "(root)"
"""How every human-readable text spells the empty pointer, the whole document: ``str(error)``,
``str(exc)``, the ``detail`` of :meth:`ValidationError.to_problem` and the command line's text.
The ``path`` field itself stays the JSON Pointer ``""``; ``(root)`` cannot be mistaken for a
pointer, which is empty or starts with ``/``."""

PROBLEM_TYPE = "urn:sessionschema:problem:validation"

# The keywords of errors. The first seven are JSON Schema's own; the others name what a schema
# cannot say, found at the JSON boundary or when a list is cut short.
REQUIRED = "required"
TYPE = "type"
FORMAT = "format"
ADDITIONAL_PROPERTIES = "additionalProperties"
ENUM = "enum"
PATTERN = "pattern"
NOT = "not"
"""Two keys given together that exclude each other (the schema's ``if``/``then``/``not``)."""
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
        """``path: message``, the empty pointer spelled ``(root)``; a list's truncation notice
        (keyword ``maxErrors``), which is about no location, is its message alone."""
        if self.keyword == MAX_ERRORS:
            return self.message
        return f"{self.path or ROOT}: {self.message}"

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


def _segment_key(segment: str) -> tuple[int, int, str]:
    """Array indices (all digits) first, compared as numbers by their length first (int()
    refuses more than 4,300 digits), then keys as text."""
    if segment.isascii() and segment.isdigit():
        return (0, len(segment), segment)
    return (1, 0, segment)


_FEW = 8

_INDEX = re.compile(r"/[0-9]+(?=/|\Z)")
"""A segment of a pointer that is all digits: an array index (or a key that looks like one)."""


def _plain_key(error: Error) -> tuple[Any, ...]:
    """The key of :func:`sort_errors` for a few errors of which no segment is all digits: the
    segments compare as text, as lists of strings do."""
    return (error.keyword == MAX_ERRORS, error.path.split("/"), error.keyword, error.message)


def _few_key(error: Error) -> tuple[Any, ...]:
    """The key of :func:`sort_errors` for a few errors: each segment as :func:`_segment_key`
    makes it, without the table of shared segments that many errors need."""
    return (
        error.keyword == MAX_ERRORS,
        [
            (0, len(part), part) if part.isascii() and part.isdigit() else (1, 0, part)
            for part in error.path.split("/")
        ],
        error.keyword,
        error.message,
    )


def sort_errors(errors: Iterable[Error]) -> tuple[Error, ...]:
    """Errors sorted by path (array indices numerically), then keyword and message; a list's
    truncation notice stays last."""
    errors = tuple(errors)
    if len(errors) < 2:
        return errors
    if len(errors) <= _FEW:
        indexed = any(_INDEX.search(error.path) for error in errors)
        return tuple(sorted(errors, key=_few_key if indexed else _plain_key))
    segments: dict[str, tuple[int, int, str]] = {}  # one key for each segment met, shared

    def key(error: Error) -> tuple[Any, ...]:
        path = tuple(
            segments.get(part) or segments.setdefault(part, _segment_key(part))
            for part in (error.path.split("/")[1:] if error.path else ())
        )
        return (error.keyword == MAX_ERRORS, path, error.keyword, error.message)

    return tuple(sorted(errors, key=key))


_new = object.__new__
_set_path = Error.path.__set__  # type: ignore[attr-defined]
_set_message = Error.message.__set__  # type: ignore[attr-defined]
_set_keyword = Error.keyword.__set__  # type: ignore[attr-defined]

LIST_LIMIT = 100
"""At most this many problems are listed; one more error then says how many were left out."""
SCAN_LIMIT = 10_000
"""Looking for problems stops after this many: enough to sort and count, bounded in time. (The
JSON boundary also stops once the pointers of its problems hold more characters than a few
times the text, so that memory stays linear in the size of the text: see :mod:`._json`.)"""


class Stopped(Exception):
    """Raised by :meth:`Found.add` when a problem is found beyond :data:`SCAN_LIMIT`."""


class Found(list[Error]):
    """The problems found so far, in the order found, at most :data:`SCAN_LIMIT` of them.

    The JSON boundary and the generated pass each collect into one of their own, so that
    problems of the text cannot use up the search for problems of the schema.
    """

    stopped = False
    """Set when the search was stopped at the scan limit: the count of what is left out is then
    a lower bound."""

    def add(self, path: str, message: str, keyword: str) -> None:
        """Record a problem; raise :class:`Stopped` once :data:`SCAN_LIMIT` are recorded."""
        if len(self) >= SCAN_LIMIT:
            self.stopped = True
            raise Stopped
        error = _new(Error)  # (as attrs' own __init__ sets the slots, without its overhead)
        _set_path(error, path)
        _set_message(error, message)
        _set_keyword(error, keyword)
        self.append(error)

    def listed(self, *others: Found) -> list[Error]:
        """These problems and those of ``others``, sorted and cut short as :func:`listed`
        does."""
        if not others:
            if len(self) < 2 and not self.stopped:  # (nothing to sort or cut)
                return list(self)
            return listed(self, stopped=self.stopped)
        every = [*self]
        for other in others:
            every += other
        return listed(every, stopped=self.stopped or any(other.stopped for other in others))


def listed(found: Iterable[Error], *, stopped: bool = False) -> list[Error]:
    """``found`` sorted, cut to :data:`LIST_LIMIT` with a last error counting the rest.

    ``stopped``: the search for problems gave up early, so the count is a lower bound.
    """
    ordered = sort_errors(found)
    if len(ordered) <= LIST_LIMIT and not stopped:
        return list(ordered)
    more = max(0, len(ordered) - LIST_LIMIT)
    if stopped:
        message = f"at least {more + 1} more problems not listed (the search stopped there)"
    else:
        message = f"{more} more problem{'s' if more > 1 else ''} not listed"
    return [*ordered[:LIST_LIMIT], Error("", message, MAX_ERRORS)]


class ValidationError(ValueError):
    """A payload is invalid; ``errors`` holds every problem found, sorted by path.

    ``str(exc)`` lists one problem per line, ``path: message`` (the whole document is
    ``(root)``), then ``note: HINT`` when :attr:`hint` is set.
    """

    errors: tuple[Error, ...]
    hint: str | None = None
    """A likely cause of the problems, when one is seen (the body uses the other style's keys,
    say), or None. It is no problem of its own: ``errors`` do not hold it."""

    def __init__(self, errors: Iterable[Error], hint: str | None = None) -> None:
        self.errors = sort_errors(errors)
        self.hint = hint
        super().__init__(self.errors)

    @classmethod
    def from_listed(cls, errors: list[Error], hint: str | None = None) -> ValidationError:
        """The exception of errors already sorted, as :func:`listed` gives them: not sorted
        again."""
        listed = tuple(errors)
        exc = cls.__new__(cls, listed)  # (its args, as __init__ would set them)
        exc.errors = listed
        exc.hint = hint
        return exc

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.errors, self.hint))

    def __str__(self) -> str:
        text = "\n".join(map(str, self.errors))
        return f"{text}\nnote: {self.hint}" if self.hint else text

    def __repr__(self) -> str:
        return f"{type(self).__name__}({len(self.errors)} errors: {str(self)[:200]!r})"

    def to_problem(self) -> dict[str, Any]:
        """An RFC 9457 problem-details body: for an HTTP 413 response when the text was over the
        size limit (an error with the keyword ``maxBytes``: it was not read), else for a 422.
        With a :attr:`hint`, the extension member ``hint`` holds it."""
        count = len(self.errors)
        too_large = any(error.keyword == MAX_BYTES for error in self.errors)
        title = "The request body is too large" if too_large else "The request body is invalid"
        problem: dict[str, Any] = {
            "type": PROBLEM_TYPE,
            "title": title,
            "status": 413 if too_large else 422,
            "detail": f"{count} problem{'s' if count != 1 else ''} found"
            + (f"; the first: {self.errors[0]}" if count else ""),
            "errors": [error.to_dict() for error in self.errors],
        }
        if self.hint:
            problem["hint"] = self.hint
        return problem
