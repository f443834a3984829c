"""Byte blocks of a file on line boundaries: planned from its size alone, read and checked
wherever they are sent (the workers of a Dask cluster).

A block holds the lines that *start* in its byte range ``[start, stop)``, so a line is read
once, by one reader, whole: the reader of a block moves to the first line that starts at
``start`` or later (:func:`~.records.skip_to_line`) and reads lines while they start before
``stop``, the last one to its end, past ``stop`` if it runs on.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, NamedTuple

from .check import Checker, Outcome, merge
from .records import Chunk, Record, chunks, read_document, read_lines, skip_to_line
from .sources import Options, open_input

BLOCK_SIZE = 8 * 1024 * 1024
"""The default size of a block, in bytes: 8 MiB, about 25,000 sessions."""


class Block(NamedTuple):
    """A byte range of one input: the lines that start in ``[start, stop)``, or, when not
    ``lines``, the whole file as one JSON document (``stop`` is then its size)."""

    url: str
    """Where a worker reads it: an absolute local path or a URL."""
    file: str
    """Its name in the results."""
    start: int
    stop: int
    lines: bool = True


class Segment(NamedTuple):
    """What a worker found in a block (or in a run of lines of one file in a bag partition),
    numbered from its own first line."""

    file: str | None
    restart: bool
    """Whether it starts its file: the line numbers then start again at 1."""
    lines: int
    """Its physical lines, blank ones included (1 for a document)."""
    outcome: Outcome
    """Records checked, and the invalid and blank ones, by line from 1."""
    error: str | None = None
    """Why the block could not be read (then it holds nothing)."""


def plan(
    url: str, file: str, size: int, *, lines: bool = True, block_size: int = BLOCK_SIZE
) -> list[Block]:
    """The blocks of a file of ``size`` bytes: ``size // block_size`` of them (one at least),
    of equal sizes, as :func:`dask.bag.read_text` cuts them. A document is one block."""
    if not lines or size <= block_size:
        return [Block(url, file, 0, size, lines)]
    count = size // block_size
    bounds = [size * part // count for part in range(count + 1)]
    return [Block(url, file, start, stop) for start, stop in itertools.pairwise(bounds)]


def block_records(stream: IO[bytes], block: Block, limit: int) -> Iterator[Record]:
    """The records of ``block``, read from ``stream``, a seekable stream of its file."""
    if not block.lines:
        stream.seek(0)
        yield read_document(stream, limit, block.stop)
        return
    skipped = skip_to_line(stream, block.start)
    yield from read_lines(stream, limit, block.stop - block.start - skipped)


def read_block(block: Block, limit: int, options: Options) -> Iterator[Chunk]:
    """The records of ``block`` in chunks, its file opened here (on a worker). OSError if it
    cannot be read."""
    with open_input(block.url, options) as stream:
        records = block_records(stream, block, limit)
        if block.lines:
            yield from chunks(records)
        else:
            yield Chunk(1, list(records), lines=False)


def check_chunks(check: Checker, pieces: Iterable[Chunk]) -> tuple[int, Outcome]:
    """Check each of ``pieces``; their physical lines and their outcome, merged."""
    lines = 0
    outcomes = []
    for chunk in pieces:
        outcomes.append(check(chunk))
        lines += len(chunk.records)
    return lines, merge(outcomes)


def check_block(check: Checker, block: Block, options: Options | None = None) -> Segment:
    """Read ``block`` (on a worker) and validate its records with ``check``, a chunk of lines at
    a time. OSError if it cannot be read."""
    lines, outcome = check_chunks(check, read_block(block, check.limit, options or {}))
    return Segment(block.file, block.start == 0, lines, outcome)


def check_blocks(
    check: Checker, blocks: Sequence[Block], options: Options | None = None
) -> list[Segment]:
    """:func:`check_block` for each of ``blocks`` (small files go to a worker together); a block
    that cannot be read is a segment with its :attr:`~Segment.error`."""
    found = []
    for block in blocks:
        try:
            found.append(check_block(check, block, options))
        except OSError as exc:
            reason = exc.strerror or str(exc)
            found.append(Segment(block.file, block.start == 0, 0, Outcome(0, []), reason))
    return found
