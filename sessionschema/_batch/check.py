"""The checker that every way of running records uses, and what it finds in a chunk.

One process, a pool of worker processes and the workers of a Dask cluster all run the same
:class:`Checker` over :class:`~.records.Chunk` objects, so that they find the same problems.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple

import attrs

from .._codec import codec
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
    loader: Callable[..., object] | None = attrs.field(default=None, repr=False)
    """The function that reads a record (``loader(text, cls, strict=, style=, max_bytes=)``);
    None: the model's codec checks it (:meth:`sessionschema.Codec.problems`)."""

    def __call__(self, chunk: Chunk) -> Outcome:
        """Check every record of ``chunk``; report the invalid ones.

        Where the records are only checked (no loader), the codec gives each verdict, without
        building the objects of a valid record where msgspec is used; a loader loads each
        record, and its ValidationError says why one is invalid."""
        problems = self._problems()
        invalid: list[Invalid] = []
        blank: list[int] = []
        for number, record in enumerate(chunk.records, chunk.first):
            if isinstance(record, Skipped):
                invalid.append((number, (too_large(record, self.limit),)))
                continue
            errors = problems(record)  # (the limit is the readers')
            if errors:
                if chunk.lines and not record.strip(_BLANK):
                    blank.append(number)
                else:
                    invalid.append((number, errors))
        return Outcome(len(chunk.records) - len(blank), invalid, tuple(blank))

    def _problems(self) -> Callable[[bytes], tuple[Error, ...]]:
        loader = self.loader
        if loader is None:
            check = codec(self.cls, style=self.style, strict=self.strict).problems
            return lambda record: check(record, max_bytes=None)
        cls, strict, style = self.cls, self.strict, self.style

        def problems(record: bytes) -> tuple[Error, ...]:
            try:
                loader(record, cls, strict=strict, style=style, max_bytes=None)
            except ValidationError as exc:
                return exc.errors
            return ()

        return problems


LINE_BREAKS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})
"""The characters that JSON leaves as they are but that :meth:`str.splitlines` splits on, as
their escapes: a line of JSON translated by it stays one line for every reader."""


def problems_json(file: str | None, line: int, errors: Sequence[Error]) -> str:
    """``{"file", "line", "errors": [{"path", "message", "keyword"}]}`` as one line of JSON
    (UTF-8 text, not ASCII-escaped), without a line break. The characters that JSON leaves as
    they are but that :meth:`str.splitlines` splits on (U+0085, U+2028, U+2029) are escaped, so
    that the line stays one line for every reader."""
    record = {"file": file, "line": line, "errors": [error.to_dict() for error in errors]}
    return json.dumps(record, ensure_ascii=False).translate(LINE_BREAKS)
