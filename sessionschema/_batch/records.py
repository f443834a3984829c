"""The records in a byte stream: JSON Lines a line at a time, or one JSON document.

Records are bytes, read within a size limit: a record over it is never held in memory, and the
reading of a document stops at the limit, so an endless input (``/dev/zero``, a pipe that never
ends) is refused as soon as the limit is passed.
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import Iterable, Iterator
from typing import IO, NamedTuple

from .._json import over_limit
from .._problems import MAX_BYTES, Error

CHUNK_LINES = 2000
"""JSON Lines are checked this many lines at a time: one task for a worker process."""
SKIP_PIECE = 1 << 16
"""The most bytes held at a time while a line over the limit is skipped."""


class Skipped(NamedTuple):
    """A record over the size limit, skipped without being held in memory: its size in bytes
    where the whole of it is known without reading it (a file of one document whose size a
    listing gave), else None."""

    size: int | None = None


Record = bytes | Skipped
"""The bytes of one record (line break excluded), or a record over the limit, skipped."""

SKIPPED = Skipped()


class Chunk(NamedTuple):
    """Consecutive records of one input, checked together (one task of a worker process)."""

    first: int  # the line number of the first record
    records: list[Record]  # consecutive physical lines, or the one document of a file
    lines: bool  # JSON Lines: blank lines are skipped, not records


def too_large(record: Skipped, limit: int) -> Error:
    """The ``maxBytes`` problem of a record over ``limit`` bytes: the library's own message when
    its size is known, else ``JSON text of more than LIMIT bytes is over the limit of LIMIT``."""
    if record.size is not None:
        return over_limit(record.size, limit)
    return Error(
        "", f"JSON text of more than {limit} bytes is over the limit of {limit}", MAX_BYTES
    )


def strip_break(line: bytes) -> bytes:
    """``line`` without its line break: a final ``\\n``, then a ``\\r`` before it (or at the
    end of the input)."""
    end = len(line)
    if line.endswith(b"\n"):
        end -= 1
    if line.endswith(b"\r", 0, end):
        end -= 1
    return line if end == len(line) else line[:end]


def skip_line(stream: IO[bytes]) -> int:
    """Read the rest of a line, its line break included, without keeping it; the number of
    bytes read (the stream's position moves that far: a block's reader needs it)."""
    read = 0
    while piece := stream.readline(SKIP_PIECE):
        read += len(piece)
        if piece.endswith(b"\n"):
            break
    return read


def read_lines(stream: IO[bytes], limit: int, length: int | None = None) -> Iterator[Record]:
    """Every physical line of ``stream`` as a record, without its line break (``\\n`` or
    ``\\r\\n``), so that a JSON error's line and column are those of the line. A line of more
    than ``limit`` bytes (line break excluded) is :data:`SKIPPED`: read to its line break a
    piece at a time, never held, its size not counted. With ``length``, only the lines that
    start in the next ``length`` bytes: a block of a file, whose last line may run past its
    end."""
    readline = stream.readline
    most = limit + 2  # a record of `limit` bytes and a line break of two, \r\n
    left = sys.maxsize if length is None else length
    while left > 0 and (line := readline(most)):
        size = len(line)
        left -= size
        if line.endswith(b"\n"):
            record = line[:-2] if line.endswith(b"\r\n") else line[:-1]
        elif size == most:  # longer still: skipped to its line break
            left -= skip_line(stream)
            yield SKIPPED
            continue
        else:  # the last line, without a line break
            record = line[:-1] if line.endswith(b"\r") else line
        yield record if len(record) <= limit else SKIPPED


def skip_to_line(stream: IO[bytes], start: int) -> int:
    """Move ``stream`` to the first line that starts at byte ``start`` or later; the number of
    bytes from ``start`` to there."""
    if start == 0:
        stream.seek(0)
        return 0
    stream.seek(start - 1)  # the line before ends at start - 1 if a line starts at start
    return max(0, skip_line(stream) - 1)


def read_document(stream: IO[bytes], limit: int, size: int | None = None) -> Record:
    """The whole of ``stream`` if it has at most ``limit`` bytes. Else it is read no further
    than ``limit + 1`` bytes and :class:`Skipped`, with ``size``, the size of the whole input
    when it is known beforehand."""
    data = stream.read(limit + 1)
    if len(data) <= limit:
        return data
    return Skipped(size if size is not None and size > limit else None)


def chunks(records: Iterable[Record], size: int = CHUNK_LINES) -> Iterator[Chunk]:
    """JSON Lines records in chunks of ``size`` lines, numbered from line 1."""
    pending = iter(records)
    first = 1
    while batch := list(itertools.islice(pending, size)):
        yield Chunk(first, batch, lines=True)
        first += len(batch)
