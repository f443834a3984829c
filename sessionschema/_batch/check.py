"""The checker that every way of running records uses, and what it finds in a chunk.

One process, a pool of worker processes and the workers of a Dask cluster all run the same
:class:`Checker` over :class:`~.records.Chunk` objects, so that they find the same problems.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple

import attrs

from .. import _fast
from .._api import loads
from .._problems import Error, ValidationError
from .._styles import Style
from .records import Chunk, Skipped, too_large

_BLANK = b" \t\r\n"  # JSON's white space: a line of nothing else is not a record

Invalid = tuple[int, tuple[Error, ...]]
"""An invalid record: its line number and its problems."""


class Outcome(NamedTuple):
    """What a chunk held: how many records (blank lines excluded), the invalid ones, and the
    line numbers of the blank lines."""

    checked: int
    invalid: list[Invalid]
    blank: tuple[int, ...] = ()

    def shifted(self, lines: int) -> Outcome:
        """The same outcome ``lines`` lines further down its file."""
        if not lines:
            return self
        invalid = [(number + lines, errors) for number, errors in self.invalid]
        return Outcome(self.checked, invalid, tuple(number + lines for number in self.blank))


def merge(outcomes: Iterable[Outcome]) -> Outcome:
    """One outcome for several, of consecutive chunks of one input."""
    checked = 0
    invalid: list[Invalid] = []
    blank: list[int] = []
    for outcome in outcomes:
        checked += outcome.checked
        invalid += outcome.invalid
        blank += outcome.blank
    return Outcome(checked, invalid, tuple(blank))


@attrs.frozen
class Checker:
    """Validates chunks as one model; picklable, so that worker processes (a pool's, or a Dask
    cluster's) can run it."""

    cls: type
    strict: bool
    limit: int
    style: Style = "camel"
    loader: Callable[..., object] = attrs.field(default=loads, repr=False)
    """The function that reads a record: :func:`sessionschema.loads`."""

    def __call__(self, chunk: Chunk) -> Outcome:
        """Load every record of ``chunk``; report the invalid ones.

        Where the records are only checked (the loader is :func:`sessionschema.loads`, lenient
        mode) and msgspec is used, a record is first decoded into its struct, which is the
        verdict on a valid record without building its objects; any other is loaded, which says
        why."""
        cls, strict, style, loader = self.cls, self.strict, self.style, self.loader
        check = _fast.checker(cls, style) if loader is loads and not strict else None
        invalid: list[Invalid] = []
        blank: list[int] = []
        for number, record in enumerate(chunk.records, chunk.first):
            if isinstance(record, Skipped):
                invalid.append((number, (too_large(record, self.limit),)))
                continue
            if check is not None:
                try:
                    check(record)
                except ValueError:
                    pass
                else:
                    continue
            try:
                loader(record, cls, strict=strict, style=style, max_bytes=None)  # limit: readers
            except ValidationError as exc:
                if chunk.lines and not record.strip(_BLANK):
                    blank.append(number)
                else:
                    invalid.append((number, exc.errors))
        return Outcome(len(chunk.records) - len(blank), invalid, tuple(blank))


_LINE_BREAKS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def problems_json(file: str | None, line: int, errors: Sequence[Error]) -> str:
    """``{"file", "line", "errors": [{"path", "message", "keyword"}]}`` as one line of JSON
    (UTF-8 text, not ASCII-escaped), without a line break. The characters that JSON leaves as
    they are but that :meth:`str.splitlines` splits on (U+0085, U+2028, U+2029) are escaped, so
    that the line stays one line for every reader."""
    record = {"file": file, "line": line, "errors": [error.to_dict() for error in errors]}
    return json.dumps(record, ensure_ascii=False).translate(_LINE_BREAKS)
