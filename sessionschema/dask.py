"""Validate JSON Lines on a Dask cluster: :func:`validate` turns files, URLs or a dask bag of
JSON Lines into a dask bag of :class:`Result`, one per record, with its file and line number.

Install the extra: ``pip install 'sessionschema[dask]'`` (dask, distributed and fsspec; s3fs,
gcsfs or adlfs for the object stores). This module is not imported by ``import sessionschema``.

.. code-block:: python

    import dask
    from distributed import Client
    from sessionschema.dask import Result, validate

    client = Client("tcp://scheduler:8786")  # or distributed.LocalCluster()
    results = validate(["s3://exports/sessions/2026-11-*.jsonl"], block_size="64MiB")
    invalid = results.filter(lambda result: not result.valid)
    invalid.map(Result.to_json).to_textfiles("s3://exports/problems/*.jsonl", last_endline=True)
    checked, bad = dask.compute(results.count(), invalid.count())

Each file is cut into byte blocks of about ``block_size`` bytes, on line boundaries: a block
holds the lines that *start* in its byte range, so a line is read once, by one worker, whole.
A worker reads its block through fsspec, a line at a time, and validates the records with the
same checker as the worker processes of ``sessionschema validate --workers N``; a line over
``max_bytes`` is skipped unread and reported with a ``maxBytes`` error. The workers must be able
to read the paths: object storage, or a file system mounted at the same place on every worker.

Line numbers are exact across blocks: each block reports how many physical lines it held, a
chain of small tasks adds them up along each file, and the records of a block get their numbers
from it. The command line (``sessionschema validate --dask``) plans and checks the same blocks
with :func:`plan` and :func:`check_blocks`, but adds the line numbers up itself as it writes the
results, in order, holding only a window of blocks in flight.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

import dask.bag
from dask.delayed import Delayed, delayed
from dask.utils import parse_bytes

from ._batch.blocks import (
    BLOCK_SIZE,
    Block,
    Segment,
    check_block,
    check_blocks,
    check_chunks,
    plan,
)
from ._batch.check import Checker, problems_json
from ._batch.records import CHUNK_LINES, SKIPPED, Record, chunks, strip_break
from ._batch.sources import Options, files, location
from ._codec import codec
from ._json import MAX_BYTES
from ._problems import Error
from ._styles import Style
from .models import CreateSessionRequestBody

__all__ = [
    "BLOCK_SIZE",
    "Block",
    "Result",
    "Segment",
    "check_block",
    "check_blocks",
    "plan",
    "validate",
]


class Result(NamedTuple):
    """One record: where it is, and its problems (none: it is valid)."""

    file: str | None
    """The path or URL as given (or as a pattern matched it); for a bag of lines, the path
    that came with each line, or None."""
    line: int
    """The 1-based physical line of the record in its file: blank lines are counted, but are
    not records."""
    errors: tuple[Error, ...]
    """Every problem, as :attr:`sessionschema.ValidationError.errors` lists them."""

    @property
    def valid(self) -> bool:
        """Whether the record has no problem."""
        return not self.errors

    def to_dict(self) -> dict[str, Any]:
        """``{"file", "line", "errors": [{"path", "message", "keyword"}]}``: an object of
        ``sessionschema validate --output json``."""
        return {
            "file": self.file,
            "line": self.line,
            "errors": [error.to_dict() for error in self.errors],
        }

    def to_json(self) -> str:
        """:meth:`to_dict` as one line of JSON (UTF-8 text, not ASCII-escaped), as
        ``sessionschema validate --output json`` writes it."""
        return problems_json(self.file, self.line, self.errors)


# -- the bag -------------------------------------------------------------------------------------


def _record(element: Any, limit: int) -> Record:
    """The bytes of a line of a bag (``str``, ``bytes``, or ``(line, path)``), line break
    dropped; :data:`~sessionschema._batch.records.SKIPPED` if it is over ``limit``, as a line
    of a file is."""
    line = element[0] if isinstance(element, tuple) else element
    data = line.encode("utf-8", "surrogatepass") if isinstance(line, str) else bytes(line)
    data = strip_break(data)
    return data if len(data) <= limit else SKIPPED


def _path(element: Any) -> str | None:
    return str(element[1]) if isinstance(element, tuple) else None


def _check_partition(check: Checker, elements: Iterable[Any]) -> list[Segment]:
    """Validate a partition of a bag of lines: a segment for each run of lines of one path."""
    found = []
    for file, run in itertools.groupby(elements, key=_path):
        records = (_record(element, check.limit) for element in run)
        lines, outcome = check_chunks(check, chunks(records, CHUNK_LINES))
        found.append(Segment(file, False, lines, outcome))
    return found


def _check_one(check: Checker, block: Block, options: Options) -> list[Segment]:
    return [check_block(check, block, options)]


State = tuple[str | None, int]
"""Where a partition starts: the file of the line before it, and that line's number."""


def _first(state: State, segment: Segment) -> int:
    """The number of the line before ``segment``."""
    file, before = state
    return 0 if segment.restart or segment.file != file else before


def _advance(state: State, segments: list[Segment]) -> State:
    for segment in segments:
        state = (segment.file, _first(state, segment) + segment.lines)
    return state


def _place(segments: list[Segment], state: State) -> list[Result]:
    """A result for each record of ``segments``, numbered from ``state``."""
    found = []
    for segment in segments:
        base = _first(state, segment)
        invalid = dict(segment.outcome.invalid)
        blank = set(segment.outcome.blank)
        file = segment.file
        found += [
            Result(file, base + number, invalid.get(number, ()))
            for number in range(1, segment.lines + 1)
            if number not in blank
        ]
        state = (file, base + segment.lines)
    return found


def validate(
    source: dask.bag.Bag | Sequence[str] | str,
    model: type = CreateSessionRequestBody,
    *,
    strict: bool = False,
    style: Style = "camel",
    max_bytes: int = MAX_BYTES,
    block_size: int | str = BLOCK_SIZE,
    storage_options: Options | None = None,
) -> dask.bag.Bag:
    """A bag of :class:`Result`, one per record of ``source``, in input order.

    ``source`` is a path or URL (``*``, ``?`` and ``[`` match several, in sorted order), a list
    of them, each read as JSON Lines; or a bag whose elements are lines (``str`` or ``bytes``,
    with or without their line break) or ``(line, path)`` pairs, as
    ``dask.bag.read_text(..., include_path=True)`` gives them: line numbers then count the
    elements of each path (or of the whole bag when elements have no path).

    ``model``, ``strict`` and ``style`` are those of :func:`sessionschema.loads`; a record of more
    than ``max_bytes`` bytes is invalid, with a ``maxBytes`` error. Files are cut into blocks of
    about ``block_size`` bytes (``"64MiB"`` is understood); ``storage_options`` go to fsspec
    (``{"anon": True}`` for a public S3 bucket). Files are listed and sized now; nothing is read
    until the bag is computed. Blank lines are not records.
    """
    codec(model, style=style, strict=strict)  # a wrong model or style fails now, not later
    check = Checker(model, strict, max_bytes, style)
    options = dict(storage_options or {})
    parts: list[Delayed]
    if isinstance(source, dask.bag.Bag):
        parts = [delayed(_check_partition)(check, part) for part in source.to_delayed()]  # type: ignore[no-untyped-call]
    else:
        size = parse_bytes(block_size) if isinstance(block_size, str) else block_size
        if size < 1:
            raise ValueError(f"block_size must be positive, got {block_size!r}")
        paths = [source] if isinstance(source, str) else list(source)
        blocks = [
            block
            for found in files(paths, options)
            for block in plan(location(found), found.label, found.size or 0, block_size=size)
        ]
        parts = [delayed(_check_one)(check, block, options) for block in blocks]
    results = []
    state: State | Delayed = (None, 0)
    for part in parts:
        results.append(delayed(_place)(part, state))
        state = delayed(_advance)(state, part)
    if not results:
        return dask.bag.from_sequence([], npartitions=1)  # type: ignore[no-any-return,no-untyped-call]
    return dask.bag.from_delayed(results)  # type: ignore[no-any-return,no-untyped-call]
