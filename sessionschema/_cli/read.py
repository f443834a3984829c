"""Reading records: the sources a command line names, and the records in each.

A source is a file (JSON Lines, or one JSON document), standard input, or a URL that fsspec
knows (``s3://...`` with s3fs installed, ``memory://...``); a directory, local or remote, stands
for the files under it. Records are read as bytes, a line at a time, so memory stays flat
whatever the size of the input, and a record over the size limit is never held in memory.
Every backend reads through the functions here: on this machine (one process, a pool) or on
the workers of a Dask cluster, which read byte blocks of a file (:func:`read_lines` with a
``length``).
"""

from __future__ import annotations

import io
import itertools
import os
import re
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import IO, Any, NamedTuple

STDIN = "<stdin>"
"""The FILE of records read from standard input."""
LINES_SUFFIXES = (".jsonl", ".ndjson")
"""Files read as JSON Lines, one payload per non-empty line (compared ignoring case)."""
SUFFIXES = (".json", *LINES_SUFFIXES)
"""Files validated under a directory."""
CHUNK_LINES = 2000
"""JSON Lines are validated this many lines at a time: one task for a worker process."""
LARGE_INPUT = 10 * 1024 * 1024
"""Named files over this many bytes in total show progress by default (on a terminal)."""
BUFFER = 1 << 16
"""The read buffer of a file, in bytes."""
FSSPEC_MISSING = "reading URLs needs fsspec: pip install 'sessionschema[dask]'"

_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]+://")  # a scheme of two characters at least: not C://
_GLOB = re.compile(r"[*?[]")

Options = Mapping[str, Any]
"""Storage options: keyword arguments of the fsspec filesystem of a URL (``{"anon": True}``)."""

Record = bytes | int
"""The bytes of one record, or the size of one too large to read (it was skipped)."""


class Chunk(NamedTuple):
    """Records of one input, validated together (by one worker process with ``--workers``)."""

    first: int  # the line number of the first record
    records: list[Record]  # consecutive physical lines, or the one document of a file
    lines: bool  # JSON Lines: blank lines are skipped, not records


class Source(NamedTuple):
    """One input: its name in the output, where to read it, and how."""

    label: str
    path: str | None  # a local path or a URL; None: standard input
    lines: bool
    size: int | None = None  # in bytes, when a directory listing gave it


class Failure(NamedTuple):
    """An input, or a part of one, that could not be read: the message says which and why."""

    message: str


def cannot_read(label: str, exc: BaseException) -> Failure:
    """``cannot read LABEL: reason``."""
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
    return Failure(f"cannot read {label}: {reason}")


# -- records in a stream -------------------------------------------------------------------------


def _skip_line(stream: IO[bytes]) -> int:
    """Read the rest of a line without keeping it; its size in bytes, newline excluded."""
    size = 0
    while piece := stream.readline(65536):
        if piece.endswith(b"\n"):
            return size + len(piece) - 1
        size += len(piece)
    return size


def _skip_all(stream: IO[bytes]) -> int:
    """Read the rest of a stream without keeping it; its size in bytes."""
    size = 0
    while piece := stream.read(1 << 20):
        size += len(piece)
    return size


def read_lines(stream: IO[bytes], limit: int, length: int | None = None) -> Iterator[Record]:
    """Every physical line of ``stream``, without its line break (so that a JSON error's line
    and column are those of the line). A line of more than ``limit`` bytes before its newline is
    never held in memory: its size comes instead. With ``length``, only the lines that start in
    the next ``length`` bytes: a block of a file, whose last line may run past its end."""
    readline = stream.readline
    left = sys.maxsize if length is None else length
    while left > 0 and (line := readline(limit + 1)):
        if len(line) > limit and not line.endswith(b"\n"):
            size = len(line) + _skip_line(stream)
            left -= size + 1
            yield size
        else:
            left -= len(line)
            yield line.rstrip(b"\r\n")


def skip_to_line(stream: IO[bytes], start: int) -> int:
    """Move ``stream`` to the first line that starts at byte ``start`` or later; the number of
    bytes from ``start`` to there."""
    if start == 0:
        stream.seek(0)
        return 0
    stream.seek(start - 1)  # the line before ends at start - 1 if a line starts at start
    return _skip_line(stream)


def read_document(stream: IO[bytes], limit: int) -> Record:
    """The whole of ``stream`` if it has at most ``limit`` bytes, else its size."""
    data = stream.read(limit + 1)
    return data if len(data) <= limit else len(data) + _skip_all(stream)


def chunks(records: Iterable[Record], size: int = CHUNK_LINES) -> Iterator[Chunk]:
    """JSON Lines records in chunks of ``size`` lines, numbered from line 1."""
    pending = iter(records)
    first = 1
    while batch := list(itertools.islice(pending, size)):
        yield Chunk(first, batch, lines=True)
        first += len(batch)


# -- opening -------------------------------------------------------------------------------------


def is_url(path: str) -> bool:
    """Whether ``path`` is a URL (``scheme://...``), read through fsspec, not a local path."""
    return _URL.match(path) is not None


def filesystem(url: str, options: Options) -> tuple[Any, str]:
    """The fsspec filesystem of ``url`` and the path in it. ImportError names what to install
    (fsspec, or the package of a protocol: s3fs for ``s3://``); ValueError: a protocol that
    fsspec does not know."""
    try:
        from fsspec.core import url_to_fs  # type: ignore[import-untyped]
    except ImportError:
        raise ImportError(FSSPEC_MISSING) from None
    fs, path = url_to_fs(url, **options)
    return fs, path


def open_input(path: str, options: Options) -> IO[bytes]:
    """Open a local path or a URL for reading bytes, buffered, seekable where it can be.
    Raises OSError when it cannot be read (a missing package or protocol included)."""
    if not is_url(path):
        return open(path, "rb", buffering=BUFFER)
    try:
        fs, inner = filesystem(path, options)
    except (ImportError, ValueError) as exc:
        raise OSError(str(exc)) from None
    stream = fs.open(inner, "rb")
    if isinstance(stream, io.BufferedIOBase):
        return stream  # type: ignore[return-value]
    return io.BufferedReader(stream, BUFFER)  # readline(limit), which fsspec's files lack


def _records(source: Source, stream: IO[bytes], limit: int) -> Iterator[Chunk]:
    if not source.lines:
        yield Chunk(1, [read_document(stream, limit)], lines=False)
    else:
        yield from chunks(read_lines(stream, limit))


def read(source: Source, limit: int, options: Options) -> Iterator[Chunk | Failure]:
    """The records of ``source`` in chunks, read here; a :class:`Failure` last if it could not
    be read to its end."""
    try:
        if source.path is None:
            stdin = getattr(sys.stdin, "buffer", None)
            if stdin is None:
                raise OSError("standard input is closed")
            yield from _records(source, stdin, limit)
        else:
            with open_input(source.path, options) as stream:
                yield from _records(source, stream, limit)
    except OSError as exc:
        yield cannot_read(source.label, exc)


# -- sources -------------------------------------------------------------------------------------


def _is_lines(path: str) -> bool:
    return path.lower().endswith(LINES_SUFFIXES)


def _walk(directory: str, lines: bool) -> Iterator[Source | Failure]:
    """The files with a suffix of :data:`SUFFIXES` under ``directory``, sorted by path, hidden
    entries and symbolic links to directories left out; a failure for an unreadable one."""
    try:
        with os.scandir(directory) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError as exc:
        yield cannot_read(str(exc.filename), exc)
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(entry.path, lines)
        elif entry.name.lower().endswith(SUFFIXES):
            yield Source(entry.path, entry.path, lines or _is_lines(entry.path))


def _name(path: str) -> str:
    return path.rstrip("/").rsplit("/", 1)[-1]


def _walk_url(fs: Any, path: str, label: str, lines: bool) -> Iterator[Source | Failure]:
    """:func:`_walk` through fsspec: files are named ``LABEL/relative/path``."""
    try:
        entries: list[dict[str, Any]] = fs.ls(path, detail=True)
    except OSError as exc:
        yield cannot_read(label, exc)
        return
    for entry in sorted(entries, key=lambda entry: _name(entry["name"])):
        name = _name(entry["name"])
        if not name or name.startswith(".") or entry["name"].rstrip("/") == path.rstrip("/"):
            continue
        child = f"{label.rstrip('/')}/{name}"
        if entry.get("type") == "directory":
            if not entry.get("islink"):
                yield from _walk_url(fs, entry["name"], child, lines)
        elif name.lower().endswith(SUFFIXES):
            url = fs.unstrip_protocol(entry["name"])
            yield Source(child, url, lines or _is_lines(name), entry.get("size"))


def _url_sources(url: str, lines: bool, options: Options) -> Iterator[Source | Failure]:
    try:
        fs, path = filesystem(url, options)
        if _GLOB.search(path):
            found: dict[str, dict[str, Any]] = fs.glob(path, detail=True)
            matches = [(fs.unstrip_protocol(name), name, found[name]) for name in sorted(found)]
        else:
            matches = [(url, path, {})]
        for label, inner, info in matches:
            if info.get("type") == "directory" or (not info and fs.isdir(inner)):
                yield from _walk_url(fs, inner, label, lines)
            else:
                yield Source(label, label, lines or _is_lines(label), info.get("size"))
    except (OSError, ImportError, ValueError) as exc:
        yield cannot_read(url, exc)


def sources(paths: Sequence[str], lines: bool, options: Options) -> Iterator[Source | Failure]:
    """Every input that ``paths`` name, in order: ``-`` (or no path) is standard input, a
    directory every file under it, a URL with ``*``, ``?`` or ``[`` the URLs it matches."""
    for path in paths or ["-"]:
        if path == "-":
            yield Source(STDIN, None, lines)
        elif is_url(path):
            yield from _url_sources(path, lines, options)
        elif os.path.isdir(path):
            yield from _walk(path, lines)
        else:
            yield Source(path, path, lines or _is_lines(path))


def missing(paths: Sequence[str], options: Options) -> list[str]:
    """A message for each named path that does not exist or cannot be looked at."""
    messages = []
    for path in paths:
        if path == "-":
            continue
        try:
            if is_url(path):
                fs, inner = filesystem(path, options)
                if not (fs.glob(inner) if _GLOB.search(inner) else fs.exists(inner)):
                    raise FileNotFoundError(2, "No such file or directory", path)
            else:
                os.stat(path)
        except (OSError, ImportError, ValueError) as exc:
            messages.append(cannot_read(path, exc).message)
    return messages


def is_large(paths: Sequence[str], lines: bool) -> bool:
    """Whether the input is worth a progress line: JSON Lines on stdin, a directory, a URL, or
    files over :data:`LARGE_INPUT` bytes in total."""
    if not paths or "-" in paths:
        return lines
    if any(is_url(path) or os.path.isdir(path) for path in paths):
        return True
    return sum(os.path.getsize(path) for path in paths) > LARGE_INPUT


def size_of(source: Source, options: Options) -> int:
    """The size of a named source in bytes (OSError if it cannot be looked at)."""
    if source.size is not None:
        return source.size
    assert source.path is not None, "standard input has no size"
    if not is_url(source.path):
        return os.path.getsize(source.path)
    try:
        fs, inner = filesystem(source.path, options)
    except (ImportError, ValueError) as exc:
        raise OSError(str(exc)) from None
    size = fs.size(inner)
    if size is None:
        raise OSError(f"the size of {source.label} is not known")
    return int(size)
