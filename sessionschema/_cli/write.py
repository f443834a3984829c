"""Writing results: problems as text on stdout, with progress, notes and a summary on stderr;
or, with ``--output json``, everything as JSON Lines on stdout.

Whatever ran the records, the :class:`Writer` takes the reports in input order, so that the
output of every backend is the same. The command writes through :class:`Output`, which turns a
failure to write (a full disk, a closed stream) into an :class:`OutputError`. Text is coloured
by a :class:`Palette`, which is plain unless the stream is a terminal (``--color auto``,
``NO_COLOR`` unset) or colour is asked for (``--color always``).
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TextIO

import attrs

from .._batch.check import problems_json
from .._batch.sources import Failure, Source, Tree
from .._problems import MAX_ERRORS, ROOT, Error
from .run import Report

__all__ = [
    "COLORS",
    "FORMATS",
    "PLAIN",
    "Against",
    "Output",
    "OutputError",
    "Palette",
    "Progress",
    "Writer",
    "format_json",
    "format_text",
    "is_large",
    "json_line",
    "palette",
]

PROGRESS_INTERVAL = 0.25
"""Seconds between two progress updates; a run shorter than this shows none."""
LARGE_INPUT = 10 * 1024 * 1024
"""Named files over this many bytes in total show progress by default (on a terminal)."""

# Control characters, and every other character that str.splitlines() splits on
_LINE_BREAKING = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
LINE_BREAKS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})
"""The characters that JSON leaves as they are but that :meth:`str.splitlines` splits on, as
``\\u`` escapes: a line of JSON stays one line for every reader."""

COLORS = ("auto", "always", "never")
"""The choices of ``--color``."""


@attrs.frozen
class Palette:
    """The SGR colours of text output, or none (:data:`PLAIN`)."""

    enabled: bool

    def paint(self, text: str, code: str) -> str:
        """``text`` in the colour ``code`` (``1`` bold, ``31`` red, ...), if enabled."""
        return f"\x1b[{code}m{text}\x1b[0m" if self.enabled and text else text


PLAIN = Palette(False)


def palette(choice: str, stream: Output, environ: Mapping[str, str] = os.environ) -> Palette:
    """The palette of ``stream`` for ``--color CHOICE``: ``always``, ``never``, or ``auto``:
    colour on a terminal, unless ``NO_COLOR`` is set to a non-empty value (no-color.org) or
    ``TERM`` is ``dumb``."""
    if choice == "always":
        return Palette(True)
    if choice == "never" or environ.get("NO_COLOR") or environ.get("TERM") == "dumb":
        return PLAIN
    return Palette(stream.isatty())


def _printable(text: str) -> str:
    """``text`` with control characters and line separators escaped (``\\x0a``, ``\\u2028``),
    so that one problem stays on one line for any reader, :meth:`str.splitlines` included."""
    return _LINE_BREAKING.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def format_text(file: str, line: int, errors: Sequence[Error], colors: Palette = PLAIN) -> str:
    """``FILE:LINE: POINTER: message``, one line per problem; the empty pointer is ``(root)``,
    as ``str(error)`` spells it, and a list's truncation notice is its message alone."""
    where = colors.paint(_printable(f"{file}:{line}:"), "1")
    return "".join(f"{where} {_problem(error, colors)}\n" for error in errors)


def _problem(error: Error, colors: Palette) -> str:
    if error.keyword == MAX_ERRORS:
        return _printable(error.message)
    return f"{colors.paint(_printable(error.path or ROOT), '33')}: {_printable(error.message)}"


def format_json(file: str, line: int, errors: Sequence[Error], colors: Palette = PLAIN) -> str:
    """One JSON Lines object: ``{"file", "line", "errors": [{"path", "message", "keyword"}]}``."""
    return problems_json(file, line, errors) + "\n"


def json_line(record: Mapping[str, Any]) -> str:
    """``record`` as one line of JSON (UTF-8 text, the line breaks of
    :data:`LINE_BREAKS` escaped), with its line break."""
    return json.dumps(record, ensure_ascii=False).translate(LINE_BREAKS) + "\n"


FORMATS: dict[str, Callable[[str, int, Sequence[Error], Palette], str]] = {
    "text": format_text,
    "json": format_json,
}


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


@attrs.frozen
class Against:
    """What the records were checked against: the model's command-line name and the wire."""

    model: str
    style: str
    strict: bool = False

    def __str__(self) -> str:
        """``create-session-request-body, camel`` (``, strict`` in strict mode)."""
        return f"{self.model}, {self.style}" + (", strict" if self.strict else "")


class Writer:
    """Writes the problems of each report, reports failures, and counts records.

    Text (``output="text"``): problems on ``out``, failures, notes and the summary on ``err``.
    JSON Lines (``output="json"`` and ``against`` given, as ``validate`` does): everything on
    ``out``, a failure as ``{"failure": message}`` and the summary as one last object.
    ``quiet``: no notes, no summary. ``notes``: what is said once before the summary.
    """

    def __init__(
        self,
        output: str,
        progress: Progress,
        out: Output,
        err: Output,
        *,
        against: Against | None = None,
        quiet: bool = False,
        colors: Palette = PLAIN,
        err_colors: Palette = PLAIN,
        notes: Callable[[], Sequence[str]] = tuple,
    ) -> None:
        self.format = FORMATS[output]
        self.records = output == "json" and against is not None  # every line a JSON object
        self.progress = progress
        self.out = out
        self.err = err
        self.against = against
        self.quiet = quiet
        self.colors = colors if output == "text" else PLAIN
        self.err_colors = err_colors
        self.notes = notes
        self.shared = out.isatty()  # problems and progress share a terminal
        self.checked = 0
        self.invalid = 0
        self.failures = 0

    @property
    def failed(self) -> bool:
        """Whether an input could not be read, or the run stopped short."""
        return self.failures > 0

    def take(self, report: Report) -> None:
        """Write the problems of ``report`` (or its failure) and count its records."""
        if isinstance(report, Failure):
            self.fail(report.message)
            return
        label, outcome = report
        if outcome.invalid:
            if self.shared:
                self.progress.clear()
            self.out.write(
                "".join(self.format(label, *invalid, self.colors) for invalid in outcome.invalid)
            )
            self.invalid += len(outcome.invalid)
        self.checked += outcome.checked
        self.progress.update(self.checked)

    def fail(self, message: str) -> None:
        """``sessionschema: message`` on stderr, after what stdout holds so far; as JSON Lines,
        ``{"failure": message}`` on stdout."""
        self.progress.clear()
        self.failures += 1
        if self.records:
            self.out.write(json_line({"failure": message}))
            return
        self.out.flush()
        self.err.write(f"sessionschema: {message}\n")

    def close(self) -> None:
        """Erase the progress line, write what stdout holds, then the notes and the summary
        (on stderr, or as a JSON object on stdout)."""
        self.progress.clear()
        if self.records:
            if not self.quiet:
                self.out.write(json_line(self.summary_record()))
            self.out.flush()
            return
        self.out.flush()
        if not self.quiet:
            note = self.err_colors.paint("note:", "36")
            self.err.write("".join(f"{note} {_printable(text)}\n" for text in self.notes()))
            self.err.write(self.summary() + "\n")
        self.err.flush()

    @property
    def status(self) -> int:
        """The exit status: 2 a failure, 1 an invalid record, else 0."""
        return 2 if self.failed else 1 if self.invalid else 0

    def summary(self) -> str:
        """``N checked, V valid, I invalid (against MODEL, STYLE)``, numbers as the progress
        line writes them (``1,274,000``)."""
        valid = self.checked - self.invalid
        paint = self.err_colors.paint
        invalid = f"{self.invalid:,} invalid"
        text = (
            f"{self.checked:,} checked, {paint(f'{valid:,} valid', '32')}, "
            f"{paint(invalid, '31;1') if self.invalid else invalid}"
        )
        return f"{text} (against {self.against})" if self.against else text

    def summary_record(self) -> dict[str, Any]:
        """The summary as JSON: ``checked``, ``valid``, ``invalid``, ``failures`` (inputs that
        could not be read, a run stopped short), ``model``, ``style``, ``strict`` and
        ``notes``."""
        against = self.against or Against("", "")
        return {
            "checked": self.checked,
            "valid": self.checked - self.invalid,
            "invalid": self.invalid,
            "failures": self.failures,
            "model": against.model,
            "style": against.style,
            "strict": against.strict,
            "notes": list(self.notes()),
        }
