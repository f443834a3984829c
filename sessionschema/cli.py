"""The command line: ``sessionschema validate``, ``schema`` and ``example``.

``validate`` reads JSON documents and JSON Lines from files, directories and standard input,
one record at a time, so memory stays flat whatever the size of the input. Each record goes
through :func:`sessionschema.loads`, the same path a service takes. JSON Lines are cut into
chunks of lines; with ``--workers N`` a process pool validates the chunks and the results come
back in input order. Exit status: 0 every record is valid, 1 at least one is invalid, 2 a usage
error or an input that cannot be read (3: a bug, with its traceback).
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import multiprocessing
import multiprocessing.pool
import os
import re
import signal
import sys
import time
import traceback
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any, NamedTuple, TextIO

import attrs

from . import __version__
from ._api import dump, load, loads, schema
from ._compile import source as generated_source
from ._contract import Kind, describe_model
from ._json import MAX_BYTES, over_limit
from ._problems import Error, ValidationError
from ._schema import kebab
from ._styles import STYLES, Style
from .models import MODELS, CreateSessionRequestBody

__all__ = ["MODEL_NAMES", "example", "main"]

MODEL_NAMES: dict[str, type] = {kebab(cls.__name__): cls for cls in MODELS}
"""Every model by its command-line name: ``CreateSessionUsage`` -> ``create-session-usage``."""
DEFAULT_MODEL = kebab(CreateSessionRequestBody.__name__)

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
INTERNAL_ERROR = 3
"""The exit status of a failure that is a bug (the traceback is on stderr)."""
PROGRESS_INTERVAL = 0.25
"""Seconds between two progress updates; a run shorter than this shows none."""

_BLANK = b" \t\r\n"  # JSON's white space: a line of nothing else is not a record
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_ROOT = "(root)"  # the text output's name for the empty pointer, the whole document

_EXAMPLE: dict[str, Any] = {
    "externalId": "<id>",
    "duration": 789.62,
    "contactIds": ["<value>"],
    "billing": {"inputCost": 400.03, "outputCost": 5357.48, "totalCost": 2072.38},
    "usage": {"promptTokens": 4574.01, "completionTokens": 1378.73, "totalTokens": 7450.28},
    "tracesCount": 2974.44,
    "tags": ["<value>"],
    "projectId": "proj_7f3a",
    "startedAt": "2024-05-06T07:08:09.5+02:00",
    "updatedAt": "2024-05-06T08:00:00Z",
}


_SAMPLES: dict[Kind, Any] = {"string": "<value>"}
"""Values for fields the fixed payload does not have (those of a model that extends it)."""


def _instance(cls: type) -> Any:
    """A fixed, valid object of ``cls``, made from :data:`_EXAMPLE`."""
    body = load(_EXAMPLE, CreateSessionRequestBody)
    fields = describe_model(CreateSessionRequestBody).fields
    if cls is CreateSessionRequestBody:
        return body
    for field in fields:  # a model the request body contains
        if field.model is cls:
            return getattr(body, field.name)
    if issubclass(cls, CreateSessionRequestBody):  # a model that extends it
        known = {field.name: getattr(body, field.name) for field in fields}
        added = [field for field in describe_model(cls).fields if field.name not in known]
        try:
            extra = {field.name: _SAMPLES[field.kind] for field in added}
        except KeyError as exc:
            raise ValueError(f"no sample value of kind {exc} for {cls.__name__}") from None
        return cls(**known, **extra)
    raise ValueError(f"no example of {cls.__name__}")


def example(cls: type = CreateSessionRequestBody, style: Style = "camel") -> dict[str, Any]:
    """A fixed, valid payload of ``cls`` in its canonical form: the full request body, the part
    of it that ``cls`` is, or the request body with sample values for what ``cls`` adds."""
    return dump(_instance(cls), style=style)


# -- reading records -----------------------------------------------------------------------------

Record = bytes | int
"""The bytes of one record, or the size of one too large to read (it was skipped)."""


class Chunk(NamedTuple):
    """Records of one input, validated together (by one worker process with ``--workers``)."""

    first: int  # the line number of the first record
    records: list[Record]  # consecutive physical lines, or the one document of a file
    lines: bool  # JSON Lines: blank lines are skipped, not records


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


def read_lines(stream: IO[bytes], limit: int) -> Iterator[Record]:
    """Every physical line of ``stream``, without its line break (so that a JSON error's line
    and column are those of the line). A line of more than ``limit`` bytes before its newline is
    never held in memory: its size comes instead."""
    readline = stream.readline
    while line := readline(limit + 1):
        if len(line) > limit and not line.endswith(b"\n"):
            yield len(line) + _skip_line(stream)
        else:
            yield line.rstrip(b"\r\n")


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


# -- validating ----------------------------------------------------------------------------------

Invalid = tuple[int, tuple[Error, ...]]
"""An invalid record: its line number and its problems."""


class Outcome(NamedTuple):
    """What a chunk held: how many records (blank lines excluded), and the invalid ones."""

    checked: int
    invalid: list[Invalid]


@attrs.frozen
class Checker:
    """Validates chunks as one model; picklable, so worker processes can run it."""

    cls: type
    strict: bool
    limit: int
    style: Style = "camel"

    def __call__(self, chunk: Chunk) -> Outcome:
        """Load every record of ``chunk``; report the invalid ones."""
        cls, strict, style = self.cls, self.strict, self.style
        invalid: list[Invalid] = []
        blank = 0
        for number, record in enumerate(chunk.records, chunk.first):
            if isinstance(record, int):
                invalid.append((number, (self.too_large(record),)))
                continue
            try:
                loads(record, cls, strict=strict, style=style, max_bytes=None)  # limit: readers
            except ValidationError as exc:
                if chunk.lines and not record.strip(_BLANK):
                    blank += 1
                else:
                    invalid.append((number, exc.errors))
        return Outcome(len(chunk.records) - blank, invalid)

    def too_large(self, size: int) -> Error:
        """The error of a record that was not read: the library's own message for it."""
        return over_limit(size, self.limit)


def _ignore_interrupts() -> None:
    """Worker processes leave Ctrl-C to the main process, which stops the pool."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


# -- writing results -----------------------------------------------------------------------------


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


# -- the validate command ------------------------------------------------------------------------


class Source(NamedTuple):
    """One input: its name in the output, where to read it, and how."""

    label: str
    path: str | None  # None: standard input
    lines: bool


def _is_lines(path: str) -> bool:
    return path.lower().endswith(LINES_SUFFIXES)


def _walk(directory: str, found: list[OSError]) -> Iterator[str]:
    """The files with a suffix of :data:`SUFFIXES` under ``directory``, sorted by path, hidden
    entries and symbolic links to directories left out; unreadable directories go to ``found``."""
    try:
        with os.scandir(directory) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError as exc:
        found.append(exc)
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(entry.path, found)
        elif entry.name.lower().endswith(SUFFIXES):
            yield entry.path


def _sources(paths: Sequence[str], lines: bool, found: list[OSError]) -> Iterator[Source]:
    for path in paths or ["-"]:
        if path == "-":
            yield Source(STDIN, None, lines)
        elif os.path.isdir(path):
            yield from (Source(f, f, lines or _is_lines(f)) for f in _walk(path, found))
        else:
            yield Source(path, path, lines or _is_lines(path))


def _missing(paths: Sequence[str]) -> list[str]:
    """A message for each named path that does not exist or cannot be looked at."""
    messages = []
    for path in paths:
        if path != "-":
            try:
                os.stat(path)
            except OSError as exc:
                messages.append(f"cannot read {path}: {exc.strerror}")
    return messages


def _is_large(paths: Sequence[str], lines: bool) -> bool:
    """Whether the input is worth a progress line: JSON Lines on stdin, a directory, or files
    over :data:`LARGE_INPUT` bytes in total."""
    if not paths or "-" in paths:
        return lines
    if any(os.path.isdir(path) for path in paths):
        return True
    return sum(os.path.getsize(path) for path in paths) > LARGE_INPUT


class Validation:
    """One run of ``validate``: reads the sources in order, writes problems, counts records."""

    def __init__(self, args: argparse.Namespace, progress: Progress) -> None:
        self.check = Checker(MODEL_NAMES[args.model], args.strict, args.max_bytes, args.style)
        self.format = FORMATS[args.output]
        self.workers: int = args.workers
        self.progress = progress
        self.out = sys.stdout
        self.shared = self.out.isatty()  # problems and progress share a terminal
        self.checked = 0
        self.invalid = 0
        self.failed = False
        self.stack = contextlib.ExitStack()
        self.pool: multiprocessing.pool.Pool | None = None

    def run(self, paths: Sequence[str], lines: bool) -> int:
        """Validate every source; the exit status."""
        unreadable: list[OSError] = []
        with self.stack:
            for source in _sources(paths, lines, unreadable):
                self._report(unreadable)
                self._source(source)
            self._report(unreadable)
        return 2 if self.failed else 1 if self.invalid else 0

    def _report(self, unreadable: list[OSError]) -> None:
        for exc in unreadable:
            self._fail(f"cannot read {exc.filename}: {exc.strerror}")
        unreadable.clear()

    def _fail(self, message: str) -> None:
        self.progress.clear()
        self.out.flush()
        print(f"sessionschema: {message}", file=sys.stderr)
        self.failed = True

    def _source(self, source: Source) -> None:
        try:
            if source.path is None:
                stdin = getattr(sys.stdin, "buffer", None)
                if stdin is None:
                    raise OSError("standard input is closed")
                self._read(source, stdin)
            else:
                with open(source.path, "rb", buffering=1 << 16) as stream:
                    self._read(source, stream)
        except BrokenPipeError:  # stdout, not the input: main() handles it
            raise
        except OSError as exc:
            self._fail(f"cannot read {source.label}: {exc.strerror or exc}")

    def _read(self, source: Source, stream: IO[bytes]) -> None:
        if not source.lines:
            document = Chunk(1, [read_document(stream, self.check.limit)], lines=False)
            self._take(source.label, [self.check(document)])
            return
        pending = chunks(read_lines(stream, self.check.limit), CHUNK_LINES)
        if self.workers == 1:
            self._take(source.label, map(self.check, pending))
        else:
            self._take(source.label, self._pool().imap(self.check, pending))

    def _pool(self) -> multiprocessing.pool.Pool:
        """The worker processes, started for the first JSON Lines input and kept to the end."""
        if self.pool is None:
            pool = multiprocessing.Pool(self.workers, initializer=_ignore_interrupts)
            self.pool = self.stack.enter_context(pool)
        return self.pool

    def _take(self, label: str, outcomes: Iterable[Outcome]) -> None:
        """Write the problems of each outcome in order, and count."""
        for outcome in outcomes:
            if outcome.invalid:
                if self.shared:
                    self.progress.clear()
                self.out.write("".join(self.format(label, *invalid) for invalid in outcome.invalid))
                self.invalid += len(outcome.invalid)
            self.checked += outcome.checked
            self.progress.update(self.checked)

    def summary(self) -> str:
        """``N checked, V valid, I invalid``."""
        valid = self.checked - self.invalid
        return f"{self.checked} checked, {valid} valid, {self.invalid} invalid"


def _validate(args: argparse.Namespace) -> int:
    missing = _missing(args.paths)
    for message in missing:
        print(f"sessionschema: {message}", file=sys.stderr)
    if missing:
        return 2
    _reconfigure(sys.stdout, utf8=args.output == "json")
    if (not args.paths or "-" in args.paths) and sys.stdin is not None and sys.stdin.isatty():
        print("sessionschema: reading standard input (end it with Ctrl-D)", file=sys.stderr)
    progress = args.progress
    if progress is None:
        progress = sys.stderr.isatty() and _is_large(args.paths, args.lines)
    validation = Validation(args, Progress(sys.stderr, progress))
    try:
        status = validation.run(args.paths, args.lines)
    finally:
        validation.progress.clear()
        with contextlib.suppress(BrokenPipeError):  # raised again by main() if it ended the run
            sys.stdout.flush()
        print(validation.summary(), file=sys.stderr)
    return status


def _reconfigure(stream: TextIO, *, utf8: bool) -> None:
    """JSON Lines are UTF-8 whatever the locale; text is in the locale's encoding. What cannot
    be encoded (a file name that is not UTF-8, say) is escaped, never an error."""
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(**({"encoding": "utf-8"} if utf8 else {}), errors="backslashreplace")


# -- the command line ----------------------------------------------------------------------------


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


def _add_model(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--model",
        choices=list(MODEL_NAMES),
        default=DEFAULT_MODEL,
        metavar="NAME",
        help=f"the model: {', '.join(MODEL_NAMES)} (default: {DEFAULT_MODEL})",
    )
    parser.add_argument(
        "--style",
        choices=STYLES,
        default="camel",
        help="the wire: camel (contactIds, the default) or snake (contact_ids, the HTTP API)",
    )


def parser() -> argparse.ArgumentParser:
    """The argument parser of the ``sessionschema`` command."""
    main_parser = argparse.ArgumentParser(
        prog="sessionschema", description="Validate orq.ai session payloads."
    )
    main_parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = main_parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser(
        "validate",
        help="validate JSON documents and JSON Lines",
        description=(
            "Validate payloads: a file is one JSON document, a .jsonl or .ndjson file one "
            "payload per non-empty line, a directory every .json, .jsonl and .ndjson file under "
            "it, and - (or no PATH) standard input. Problems go to stdout, a summary to stderr. "
            "Exit status: 0 all valid, 1 some invalid, 2 usage error or unreadable input."
        ),
    )
    validate.add_argument("paths", nargs="*", metavar="PATH", help="files, directories or -")
    validate.add_argument(
        "--strict", action="store_true", help="unknown keys and duplicate keys are errors"
    )
    validate.add_argument(
        "--output", choices=list(FORMATS), default="text", help="text (default) or json (lines)"
    )
    validate.add_argument(
        "--lines", action="store_true", help="read every input, stdin included, as JSON Lines"
    )
    validate.add_argument(
        "--workers",
        type=_positive,
        default=1,
        metavar="N",
        help="validate JSON Lines in N processes; output stays in input order (default: 1)",
    )
    validate.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show a record count and rate on stderr (default: on a terminal, for large input)",
    )
    validate.add_argument(
        "--max-bytes",
        type=_positive,
        default=MAX_BYTES,
        metavar="N",
        help=f"the largest record read, a line or a document (default: {MAX_BYTES})",
    )
    _add_model(validate)

    _add_model(commands.add_parser("schema", help="print the bundled JSON Schema of a model"))
    _add_model(commands.add_parser("example", help="print a valid example payload of a model"))
    source = commands.add_parser(
        "source",
        help="print the Python code generated from the schema files for a model",
        description=(
            "Print the code that load, loads and errors run for a model (its one pass over a "
            "dict, which builds the model or lists every problem, with the passes of the models "
            "it contains) and the code that dump runs."
        ),
    )
    _add_model(source)
    source.add_argument("--strict", action="store_true", help="the pass of strict mode")
    return main_parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``sessionschema`` command with ``argv`` (default: ``sys.argv[1:]``); its exit
    status."""
    try:
        args = parser().parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a usage error (status 2)
        return exc.code if isinstance(exc.code, int) else 2
    try:
        if args.command == "validate":
            return _validate(args)
        cls = MODEL_NAMES[args.model]
        if args.command == "source":
            sys.stdout.write(generated_source(cls, args.style, args.strict))
            sys.stdout.flush()
            return 0
        if args.command == "schema":
            document = schema(cls, style=args.style)
        else:
            document = example(cls, args.style)
        sys.stdout.write(json.dumps(document, indent=2) + "\n")
        sys.stdout.flush()
        return 0
    except BrokenPipeError:  # a reader such as `head` stopped: only problems were being written
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception:  # a bug, not an invalid record: never confused with status 1
        traceback.print_exc()
        print("sessionschema: internal error (a bug: please report it)", file=sys.stderr)
        return INTERNAL_ERROR
