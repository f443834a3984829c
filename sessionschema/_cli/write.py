"""Writing results: problems as text or JSON Lines on stdout, progress and a summary on stderr.

Whatever ran the records, the :class:`Writer` takes the reports in input order, so that the
output of every backend is the same.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Sequence
from typing import TextIO

from .._problems import Error
from .read import Failure
from .run import Report

PROGRESS_INTERVAL = 0.25
"""Seconds between two progress updates; a run shorter than this shows none."""

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_ROOT = "(root)"  # the text output's name for the empty pointer, the whole document


def _printable(text: str) -> str:
    """``text`` with control characters escaped, so that one problem stays on one line."""
    return _CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", text)


def format_text(file: str, line: int, errors: Sequence[Error]) -> str:
    """``FILE:LINE: POINTER: message``, one line per problem; the empty pointer is ``(root)``."""
    return "".join(
        _printable(f"{file}:{line}: {error.path or _ROOT}: {error.message}") + "\n"
        for error in errors
    )


def format_json(file: str, line: int, errors: Sequence[Error]) -> str:
    """One JSON Lines object: ``{"file", "line", "errors": [{"path", "message", "keyword"}]}``."""
    record = {"file": file, "line": line, "errors": [error.to_dict() for error in errors]}
    return json.dumps(record, ensure_ascii=False) + "\n"


FORMATS = {"text": format_text, "json": format_json}


class Progress:
    """``N records, R/s`` on one line of a terminal, redrawn at most every quarter second."""

    def __init__(self, stream: TextIO, enabled: bool) -> None:
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

    def __init__(self, output: str, progress: Progress, out: TextIO, err: TextIO) -> None:
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
        print(f"sessionschema: {message}", file=self.err)
        self.failed = True

    @property
    def status(self) -> int:
        """The exit status: 2 a failure, 1 an invalid record, else 0."""
        return 2 if self.failed else 1 if self.invalid else 0

    def summary(self) -> str:
        """``N checked, V valid, I invalid``."""
        valid = self.checked - self.invalid
        return f"{self.checked} checked, {valid} valid, {self.invalid} invalid"
