"""Writing results: problems as text or JSON Lines on stdout, progress and a summary on stderr.

Whatever ran the records, the :class:`Writer` takes the reports in input order, so that the
output of every backend is the same. The command writes through :class:`Output`, which turns a
failure to write (a full disk, a closed stream) into an :class:`OutputError`.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Sequence
from typing import TextIO

from .._batch.check import problems_json
from .._batch.sources import Failure, Source, Tree
from .._problems import Error
from .run import Report

PROGRESS_INTERVAL = 0.25
"""Seconds between two progress updates; a run shorter than this shows none."""
LARGE_INPUT = 10 * 1024 * 1024
"""Named files over this many bytes in total show progress by default (on a terminal)."""

# Control characters, and every other character that str.splitlines() splits on
_LINE_BREAKING = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_ROOT = "(root)"  # the text output's name for the empty pointer, the whole document


def _printable(text: str) -> str:
    """``text`` with control characters and line separators escaped (``\\x0a``, ``\\u2028``),
    so that one problem stays on one line for any reader, :meth:`str.splitlines` included."""
    return _LINE_BREAKING.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def format_text(file: str, line: int, errors: Sequence[Error]) -> str:
    """``FILE:LINE: POINTER: message``, one line per problem; the empty pointer is ``(root)``."""
    return "".join(
        _printable(f"{file}:{line}: {error.path or _ROOT}: {error.message}") + "\n"
        for error in errors
    )


def format_json(file: str, line: int, errors: Sequence[Error]) -> str:
    """One JSON Lines object: ``{"file", "line", "errors": [{"path", "message", "keyword"}]}``."""
    return problems_json(file, line, errors) + "\n"


FORMATS = {"text": format_text, "json": format_json}


def is_large(named: Sequence[Source | Tree | Failure]) -> bool:
    """Whether the input is worth a progress line: JSON Lines on stdin, a directory, a URL, a
    stream, or files over :data:`LARGE_INPUT` bytes in total."""
    total = 0
    for item in named:
        if isinstance(item, Tree) or (isinstance(item, Source) and item.fs is not None):
            return True
        if isinstance(item, Source):
            if item.size is None:
                if item.lines:
                    return True
            else:
                total += item.size
    return total > LARGE_INPUT


class OutputError(Exception):
    """Writing to ``stream`` failed (a full disk, a closed stream): the command stops with
    exit status 2."""

    def __init__(self, stream: Output, reason: str) -> None:
        super().__init__(f"cannot write to {stream.name}: {reason}")
        self.stream = stream


class Output:
    """A text stream that the command writes to, standard output or standard error (None: it
    was closed when the command started). A failure to write or to flush is an
    :class:`OutputError`, but for a pipe that its reader closed: BrokenPipeError, which ends the
    command quietly."""

    def __init__(self, stream: TextIO | None, name: str) -> None:
        self.stream = stream
        self.name = name

    def _failed(self, exc: BaseException) -> OutputError:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return OutputError(self, reason)

    def require(self) -> TextIO:
        """The stream; OutputError if it is closed."""
        if self.stream is None or self.stream.closed:
            raise OutputError(self, "it is closed")
        return self.stream

    def write(self, text: str) -> None:
        stream = self.require()
        try:
            stream.write(text)
        except BrokenPipeError:
            raise
        except (OSError, ValueError) as exc:
            raise self._failed(exc) from None

    def flush(self) -> None:
        stream = self.require()
        try:
            stream.flush()
        except BrokenPipeError:
            raise
        except (OSError, ValueError) as exc:
            raise self._failed(exc) from None

    def isatty(self) -> bool:
        try:
            return self.stream is not None and self.stream.isatty()
        except (OSError, ValueError):
            return False

    def silence(self) -> None:
        """Send the stream's file descriptor to the null device: what it still buffers goes
        nowhere, so that the interpreter's last flush at exit cannot fail again."""
        try:
            descriptor = self.require().fileno()
        except (OutputError, OSError, ValueError, AttributeError):
            return  # closed, or no file descriptor of its own (a test's capture)
        null = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(null, descriptor)
        finally:
            os.close(null)


class Progress:
    """``N records, R/s`` on one line of a terminal, redrawn at most every quarter second."""

    def __init__(self, stream: Output | TextIO, enabled: bool) -> None:
        self.stream = stream
        self.enabled = enabled
        self.start = time.monotonic()
        self.due = self.start + PROGRESS_INTERVAL
        self.width = 0

    def update(self, count: int) -> None:
        """Show ``count`` records if the last update is old enough."""
        if not self.enabled:
            return
        now = time.monotonic()
        if now < self.due:
            return
        self.due = now + PROGRESS_INTERVAL
        text = f"{count:,} records, {count / (now - self.start):,.0f}/s"
        self.stream.write("\r" + text.ljust(self.width))
        self.stream.flush()
        self.width = len(text)

    def clear(self) -> None:
        """Erase the progress line, so that other output starts on a clean line; the next update
        draws it again."""
        if self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()
            self.width = 0
            self.due = 0.0


class Writer:
    """Writes the problems of each report, reports failures, and counts records."""

    def __init__(self, output: str, progress: Progress, out: Output, err: Output) -> None:
        self.format = FORMATS[output]
        self.progress = progress
        self.out = out
        self.err = err
        self.shared = out.isatty()  # problems and progress share a terminal
        self.checked = 0
        self.invalid = 0
        self.failed = False

    def take(self, report: Report) -> None:
        """Write the problems of ``report`` (or its failure) and count its records."""
        if isinstance(report, Failure):
            self.fail(report.message)
            return
        label, outcome = report
        if outcome.invalid:
            if self.shared:
                self.progress.clear()
            self.out.write("".join(self.format(label, *invalid) for invalid in outcome.invalid))
            self.invalid += len(outcome.invalid)
        self.checked += outcome.checked
        self.progress.update(self.checked)

    def fail(self, message: str) -> None:
        """``sessionschema: message`` on stderr, after what stdout holds so far."""
        self.progress.clear()
        self.out.flush()
        self.err.write(f"sessionschema: {message}\n")
        self.failed = True

    def close(self) -> None:
        """Erase the progress line, write what stdout holds, and the summary on stderr."""
        self.progress.clear()
        self.out.flush()
        self.err.write(self.summary() + "\n")
        self.err.flush()

    @property
    def status(self) -> int:
        """The exit status: 2 a failure, 1 an invalid record, else 0."""
        return 2 if self.failed else 1 if self.invalid else 0

    def summary(self) -> str:
        """``N checked, V valid, I invalid``."""
        valid = self.checked - self.invalid
        return f"{self.checked} checked, {valid} valid, {self.invalid} invalid"
