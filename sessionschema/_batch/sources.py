"""Sources: the inputs that a list of paths names, each looked at once, and reading one.

A path is a file (JSON Lines, or one JSON document), standard input (``-``), a directory, or a
URL that fsspec knows (``s3://...`` with s3fs installed, ``memory://...``), with ``*``, ``?``
or ``[`` to match several. :func:`resolve` looks at each path once (a ``stat``, or one fsspec
call) and keeps what it learnt: a :class:`Source` knows its size and its file system, a
:class:`Tree` stands for the files under a directory, listed when it is reached
(:func:`expand`), each file looked at once there too. Only regular files are read under a
directory: a FIFO would block its reader, a socket cannot be opened. A FIFO or a device named
directly (``validate <(command)``) is read as standard input is, once, as a stream.
"""

from __future__ import annotations

import errno
import glob
import io
import os
import re
import stat
import sys
from collections.abc import Iterator, Mapping, Sequence
from typing import IO, Any, NamedTuple

from .records import Chunk, chunks, read_document, read_lines

STDIN = "<stdin>"
"""The FILE of records read from standard input."""
LINES_SUFFIXES = (".jsonl", ".ndjson")
"""Files read as JSON Lines, one payload per non-empty line (compared ignoring case)."""
SUFFIXES = (".json", *LINES_SUFFIXES)
"""Files validated under a directory."""
BUFFER = 1 << 16
"""The read buffer of a file, in bytes."""
FSSPEC_MISSING = "reading URLs needs fsspec: pip install 'sessionschema[dask]'"

_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]+://")  # a scheme of two characters at least: not C://
_GLOB = re.compile(r"[*?[]")

Options = Mapping[str, Any]
"""Storage options: keyword arguments of the fsspec filesystem of a URL (``{"anon": True}``)."""


class Source(NamedTuple):
    """One input: its name in the output, where to read it, and how."""

    label: str
    path: str | None
    """A local path or a URL; None: standard input."""
    lines: bool
    size: int | None = None
    """In bytes, when it is known: a regular file, or an object that a listing sized. None: a
    stream (standard input, a FIFO, a device), which can be read once only, here."""
    fs: Any = None
    """The fsspec file system of a URL, None for a local path."""
    inner: str | None = None
    """The path in :attr:`fs`."""


class Tree(NamedTuple):
    """A directory that a path names, local or in the file system ``fs``: it stands for the
    files under it."""

    label: str
    path: str
    lines: bool
    fs: Any = None


class Failure(NamedTuple):
    """An input, or a part of one, that could not be read: the message says which and why."""

    message: str


def cannot_read(label: str, exc: BaseException) -> Failure:
    """``cannot read LABEL: reason``."""
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
    return Failure(f"cannot read {label}: {reason}")


# -- looking at paths ----------------------------------------------------------------------------


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


def _is_lines(path: str) -> bool:
    return path.lower().endswith(LINES_SUFFIXES)


_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def _not_regular(label: str, mode: int) -> Failure:
    kind = next((name for test, name in _KINDS if test(mode)), "not a file")
    return Failure(f"cannot read {label}: not a regular file ({kind})")


def _local(path: str, lines: bool) -> Source | Tree | Failure:
    try:
        status = os.stat(path)
    except OSError as exc:
        return cannot_read(path, exc)
    if stat.S_ISDIR(status.st_mode):
        return Tree(path, path, lines)
    size = status.st_size if stat.S_ISREG(status.st_mode) else None  # else a stream
    return Source(path, path, lines or _is_lines(path), size)


def _url(url: str, lines: bool, options: Options) -> list[Source | Tree] | Failure:
    try:
        fs, path = filesystem(url, options)
        if _GLOB.search(path):
            found: dict[str, dict[str, Any]] = fs.glob(path, detail=True)
            if not found:
                raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), url)
            matches = [(fs.unstrip_protocol(name), name, found[name]) for name in sorted(found)]
        else:
            try:
                info: dict[str, Any] = fs.info(path)
            except FileNotFoundError:
                raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), url) from None
            matches = [(url, path, info)]
    except (OSError, ImportError, ValueError) as exc:
        return cannot_read(url, exc)
    return [
        Tree(label, inner, lines, fs)
        if info.get("type") == "directory"
        else Source(label, label, lines or _is_lines(label), info.get("size"), fs, inner)
        for label, inner, info in matches
    ]


def resolve(paths: Sequence[str], lines: bool, options: Options) -> list[Source | Tree | Failure]:
    """What each of ``paths`` names, in order, each path looked at once: ``-`` (or no path at
    all) is standard input; a directory is a :class:`Tree`; a URL with ``*``, ``?`` or ``[``
    the files and directories it matches; a :class:`Failure` for a path that does not exist or
    cannot be looked at. ``lines`` reads every input as JSON Lines."""
    found: list[Source | Tree | Failure] = []
    for path in paths or ["-"]:
        if path == "-":
            found.append(Source(STDIN, None, lines))
        elif is_url(path):
            matches = _url(path, lines, options)
            found += [matches] if isinstance(matches, Failure) else matches
        else:
            found.append(_local(path, lines))
    return found


# -- the files under a directory -----------------------------------------------------------------


def _walk(directory: str, lines: bool) -> Iterator[Source | Failure]:
    """The files with a suffix of :data:`SUFFIXES` under ``directory``, sorted by path, hidden
    entries and symbolic links to directories left out; a failure for one that cannot be
    looked at or is not a regular file (it is not opened)."""
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
            try:
                status = entry.stat()  # through a symbolic link
            except OSError as exc:
                yield cannot_read(entry.path, exc)
                continue
            if stat.S_ISREG(status.st_mode):
                yield Source(entry.path, entry.path, lines or _is_lines(entry.path), status.st_size)
            else:
                yield _not_regular(entry.path, status.st_mode)


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
            lines_here = lines or _is_lines(name)
            yield Source(child, url, lines_here, entry.get("size"), fs, entry["name"])


def expand(named: Sequence[Source | Tree | Failure]) -> Iterator[Source | Failure]:
    """The inputs of what :func:`resolve` found, in order: each directory's files listed when
    it is reached."""
    for item in named:
        if not isinstance(item, Tree):
            yield item
        elif item.fs is None:
            yield from _walk(item.path, item.lines)
        else:
            yield from _walk_url(item.fs, item.path, item.label, item.lines)


def files(paths: Sequence[str], options: Options) -> Iterator[Source]:
    """The files that ``paths`` name, each read as JSON Lines and sized, patterns (local ones
    too) expanded in sorted order: the inputs of :func:`sessionschema.dask.validate`.
    FileNotFoundError for a path that matches nothing; OSError, ImportError or ValueError for
    one that cannot be looked at."""
    for path in paths:
        found: list[Source] = []
        if is_url(path):
            fs, inner = filesystem(path, options)
            if _GLOB.search(inner):
                matches: dict[str, dict[str, Any]] = fs.glob(inner, detail=True)
                for name in sorted(matches):
                    url = fs.unstrip_protocol(name)
                    found.append(Source(url, url, True, int(matches[name]["size"]), fs, name))
            else:
                found.append(Source(path, path, True, int(fs.size(inner)), fs, inner))
        else:
            for match in sorted(glob.glob(path)) if _GLOB.search(path) else [path]:
                found.append(Source(match, match, True, os.path.getsize(match)))
        if not found:
            raise FileNotFoundError(errno.ENOENT, "no file matches", path)
        yield from found


def location(source: Source) -> str:
    """Where another process (a Dask worker) reads ``source``: its URL, or its absolute local
    path."""
    assert source.path is not None, "standard input is read here"
    return source.path if is_url(source.path) else os.path.abspath(source.path)


# -- reading a source here -----------------------------------------------------------------------


def open_url(url: str, options: Options, fs: Any = None, inner: str | None = None) -> IO[bytes]:
    """Open a URL for reading bytes, buffered, seekable where it can be, through ``fs`` and
    ``inner`` when they are known. OSError when it cannot be (a missing package or protocol
    included)."""
    if fs is None or inner is None:
        try:
            fs, inner = filesystem(url, options)
        except (ImportError, ValueError) as exc:
            raise OSError(str(exc)) from None
    stream = fs.open(inner, "rb")
    if isinstance(stream, io.BufferedIOBase):
        return stream  # type: ignore[return-value]
    return io.BufferedReader(stream, BUFFER)  # readline(limit), which fsspec's files lack


def open_input(path: str, options: Options) -> IO[bytes]:
    """Open a local path or a URL for reading bytes (see :func:`open_url`)."""
    if is_url(path):
        return open_url(path, options)
    return open(path, "rb", buffering=BUFFER)


def _open(source: Source) -> IO[bytes]:
    assert source.path is not None, "standard input is not opened"
    if source.fs is not None:
        return open_url(source.path, {}, source.fs, source.inner)
    return open_input(source.path, {})


def _records(source: Source, stream: IO[bytes], limit: int) -> Iterator[Chunk]:
    if not source.lines:
        yield Chunk(1, [read_document(stream, limit, source.size)], lines=False)
    else:
        yield from chunks(read_lines(stream, limit))


def read(source: Source, limit: int) -> Iterator[Chunk | Failure]:
    """The records of ``source`` in chunks, read in this process; a :class:`Failure` last if it
    could not be read to its end."""
    try:
        if source.path is None:
            stdin = getattr(sys.stdin, "buffer", None)
            if stdin is None:
                raise OSError("standard input is closed")
            yield from _records(source, stdin, limit)
        else:
            with _open(source) as stream:
                yield from _records(source, stream, limit)
    except OSError as exc:
        yield cannot_read(source.label, exc)
