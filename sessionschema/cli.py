"""The command line: ``sessionschema validate``, ``migrate``, ``schema``, ``example``,
``source`` and ``serve``.

This module reads the options and puts the pieces together; the work is done elsewhere. The
records, their sources and the checker are :mod:`sessionschema._batch`'s, which
:mod:`sessionschema.dask` shares: the inputs that the paths name are looked at once, then read
one record at a time, so memory stays flat whatever the size of the input, and each record goes
through the codec of the model (:meth:`sessionschema.Codec.problems`), the object a service's
``loads`` goes through. :mod:`sessionschema._cli` runs
them (:mod:`~sessionschema._cli.run`: one process or a pool of ``--workers N``;
:mod:`~sessionschema._cli.cluster`: a Dask cluster with ``--dask``; one interface, results in
input order) and writes the results (:mod:`~sessionschema._cli.write`: text or JSON Lines,
progress, the summary). ``migrate`` reads its inputs the same way, in this process, with a
loader that migrates each legacy record it reads (:mod:`sessionschema._migrate`) and keeps the
thread payload for stdout; its problems go where ``validate`` writes its own, to stderr. The
example payloads are :mod:`sessionschema._example`'s. ``serve`` runs :mod:`sessionschema.serve`,
imported only then: it needs the extra ``service``, and the other commands work without it.

Exit status: 0 every record is valid; 1 at least one is invalid; 2 a usage error, an input that
cannot be read, a worker process or a cluster lost, or an output that cannot be written (a full
disk, a closed stdout or stderr: one line on stderr, nothing when stderr is the one that
failed); 130 Ctrl-C; 141 (128 + SIGPIPE, the status of a command killed by SIGPIPE, as a shell
with ``set -o pipefail`` reports it) when the reader of stdout went away (``| head``): the
command stops quietly. 3 is a bug, with its traceback, never confused with invalid records.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from . import __version__
from ._api import dumps, loads, schema
from ._batch.blocks import BLOCK_SIZE
from ._batch.check import Checker
from ._batch.sources import Failure, Source, Tree, expand, resolve
from ._cli.notes import Notes
from ._cli.run import Backend, BackendError, Done, InProcess, Look, Pool
from ._cli.write import (
    COLORS,
    FORMATS,
    LINE_BREAKS,
    Against,
    Output,
    OutputError,
    Progress,
    Writer,
    is_large,
    palette,
)
from ._codec import codec
from ._example import example
from ._json import MAX_BYTES
from ._migrate import thread_from_response, thread_from_session
from ._registry import models, name_of
from ._styles import STYLES, Style
from .models import CreateSessionRequestBody, CreateSessionResponseBody

__all__ = ["MODEL_NAMES", "example", "main"]

MODEL_NAMES: dict[str, type] = {
    name_of(cls): cls for cls in models() if cls.__module__ == CreateSessionRequestBody.__module__
}
"""Every model by its command-line name: ``CreateSessionUsage`` -> ``create-session-usage``."""
CLASS_NAMES: dict[str, str] = {cls.__name__: name for name, cls in MODEL_NAMES.items()}
"""The command-line name of each model by its class name, which ``--model`` also takes."""
NAMES: dict[type, str] = {cls: name for name, cls in MODEL_NAMES.items()}
DEFAULT_MODEL = name_of(CreateSessionRequestBody)
MIGRATIONS: dict[str, Callable[..., Any]] = {
    name_of(CreateSessionRequestBody): thread_from_session,
    name_of(CreateSessionResponseBody): thread_from_response,
}
"""What ``migrate --model NAME`` reads, by name, and the function that migrates it."""

INVALID = 1
"""The exit status of invalid records."""
TROUBLE = 2
"""The exit status of a usage error, an input that cannot be read, a backend lost, or an
output that cannot be written."""
INTERNAL_ERROR = 3
"""The exit status of a failure that is a bug (the traceback is on stderr)."""
INTERRUPTED = 130
"""The exit status after Ctrl-C (128 + SIGINT)."""
BROKEN_PIPE = 141
"""The exit status when the reader of stdout went away: 128 + SIGPIPE, what a shell reports
for a command that SIGPIPE killed. Never 1: what was cut short need not be invalid records."""
DASK_MISSING = "--dask needs the extra dask: pip install 'sessionschema[dask]'"
SERVICE_MISSING = "serve needs the extra service: pip install 'sessionschema[service]'"
SERVICE_MODULES = frozenset({"fastapi", "starlette", "uvicorn", "httptools", "anyio", "pydantic"})
"""The distributions of the extra ``service`` (and theirs) that ``serve`` imports."""
API_KEY_VARIABLE = "SESSIONSCHEMA_API_KEY"
"""The environment variable that gives ``serve`` its API key when ``--api-key`` does not."""

EXIT_STATUSES = (
    "Exit status: 0 all valid, 1 some invalid, 2 usage error, unreadable input, lost worker or "
    "cluster, or output that cannot be written (full disk, closed stream); 141 (128+SIGPIPE) "
    "when the reader of stdout went away (| head); 130 Ctrl-C; 3 a bug."
)
MIGRATE_EXIT_STATUSES = (
    "Exit status: 0 every record migrated, 1 some could not be (invalid legacy payload, or a "
    "count with a fractional part), 2 usage error, unreadable input, or output that cannot be "
    "written (full disk, closed stream); 141 (128+SIGPIPE) when the reader of stdout went away "
    "(| head); 130 Ctrl-C; 3 a bug."
)


# -- the validate command ------------------------------------------------------------------------


def _backend(args: argparse.Namespace, check: Checker, look: Look | None = None) -> Backend:
    """The backend that the options ask for: a Dask cluster, a pool, or this process; ``look``
    sees the records that this process reads."""
    if args.dask is not None:
        try:
            from ._cli.cluster import Cluster
        except ModuleNotFoundError as exc:  # dask, distributed or fsspec, or what they need
            raise BackendError(f"{DASK_MISSING} ({exc})") from None
        cluster = Cluster(args.dask, args.workers, check, args.storage_options, args.block_size)
        cluster.look = look
        return cluster
    if (args.workers or 1) > 1:
        return Pool(check, args.workers, look)
    return InProcess(check, look)


def _named(args: argparse.Namespace) -> tuple[list[Source | Tree], list[Failure]]:
    """What the PATHs name, each looked at once, and those that do not exist or cannot be
    looked at (then nothing is read)."""
    named = resolve(args.paths, args.lines, args.storage_options)
    missing = [item for item in named if isinstance(item, Failure)]
    return [item for item in named if not isinstance(item, Failure)], missing


def _inputs(args: argparse.Namespace, err: Output) -> list[Source | Tree] | None:
    """What the PATHs name; None, with a line on stderr for each, when some do not exist or
    cannot be looked at (nothing is read then)."""
    named, missing = _named(args)
    for failure in missing:
        err.write(f"sessionschema: {failure.message}\n")
    return None if missing else named


def _progress(args: argparse.Namespace, err: Output, named: list[Source | Tree]) -> Progress:
    """The progress line that the options ask for, after a word on stderr when standard input
    is a terminal that the command waits for."""
    if (not args.paths or "-" in args.paths) and sys.stdin is not None and sys.stdin.isatty():
        err.write("sessionschema: reading standard input (end it with Ctrl-D)\n")
    progress = args.progress
    if getattr(args, "quiet", False):
        progress = False
    elif progress is None:
        progress = err.isatty() and is_large(named)
    return Progress(err, progress)


def _validate(args: argparse.Namespace, out: Output, err: Output) -> int:
    out.require()
    err.require()  # the summary goes there: a closed stderr is exit status 2, quietly
    cls = MODEL_NAMES[args.model]
    notes = Notes(cls, args.style, NAMES)
    _reconfigure(out.stream, utf8=args.output == "json")
    writer = Writer(
        args.output,
        Progress(err, False),
        out,
        err,
        against=Against(args.model, args.style, args.strict),
        quiet=args.quiet,
        colors=palette(args.color, out),
        err_colors=palette(args.color, err),
        notes=lambda: list(notes.found.values()),
    )
    named, missing = _named(args)
    if missing:  # nothing is read
        for failure in missing:
            writer.fail(failure.message)
        if writer.records:
            writer.close()
        return TROUBLE
    check = Checker(cls, args.strict, args.max_bytes, args.style)
    try:
        backend = _backend(args, check, notes.look)
    except BackendError as exc:
        err.write(f"sessionschema: {exc}\n")
        return TROUBLE
    writer.progress = _progress(args, err, named)
    try:
        for report in backend.reports(expand(named)):
            writer.take(report)
    except BackendError as exc:  # a worker process or a cluster lost on the way
        writer.fail(str(exc))
    except KeyboardInterrupt:
        writer.close()  # how far it went
        raise
    finally:
        backend.close()
    writer.close()
    if getattr(backend, "abandoned", False):
        # A process pool broken by a dead worker: Python 3.10 waits forever at exit for the
        # thread that feeds it, so the command ends here, its output written.
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(writer.status)
    return writer.status


# -- the migrate command -------------------------------------------------------------------------


class _Migration:
    """The loader of a :class:`Checker` that migrates: each record it reads is loaded as the
    legacy model, migrated, and its thread payload kept, one line of JSON, until :meth:`take`.
    Problems (of the legacy payload, or counts with a fractional part) are the
    ValidationError that the checker reports. It keeps what it made in this process: it runs
    in this process only."""

    def __init__(self, migrate: Callable[..., Any], output_style: Style) -> None:
        self.migrate = migrate
        self.output_style = output_style
        self.lines: list[str] = []

    def __call__(
        self, record: bytes, cls: type, *, strict: bool, style: Style, max_bytes: int | None
    ) -> object:
        legacy: object = loads(record, cls, strict=strict, style=style, max_bytes=max_bytes)
        thread = self.migrate(legacy, style=style)
        self.lines.append(dumps(thread, style=self.output_style).translate(LINE_BREAKS) + "\n")
        return thread

    def take(self) -> str:
        """The JSON Lines made since the last call."""
        text = "".join(self.lines)
        self.lines.clear()
        return text


class _MigrationWriter(Writer):
    """A :class:`Writer` whose summary counts records migrated."""

    def summary(self) -> str:
        """``N read, M migrated, K not migrated``."""
        migrated = self.checked - self.invalid
        return f"{self.checked:,} read, {migrated:,} migrated, {self.invalid:,} not migrated"


def _migrate(args: argparse.Namespace, out: Output, err: Output) -> int:
    out.require()
    err.require()  # problems and the summary go there
    named = _inputs(args, err)
    if named is None:
        return TROUBLE
    migration = _Migration(MIGRATIONS[args.model], args.output_style or args.style)
    cls = MODEL_NAMES[args.model]
    backend = InProcess(Checker(cls, args.strict, args.max_bytes, args.style, migration))
    _reconfigure(out.stream, utf8=True)
    _reconfigure(err.stream, utf8=args.output == "json")
    writer = _MigrationWriter(args.output, _progress(args, err, named), err, err)
    try:
        for report in backend.reports(expand(named)):
            if isinstance(report, Done):
                out.write(migration.take())
            else:
                out.flush()  # what came before the failure, first
            writer.take(report)
    except KeyboardInterrupt:
        out.flush()
        writer.close()  # how far it went
        raise
    out.flush()
    writer.close()
    return writer.status


def _reconfigure(stream: TextIO | None, *, utf8: bool) -> None:
    """JSON Lines are UTF-8 whatever the locale; text is in the locale's encoding. What cannot
    be encoded (a file name that is not UTF-8, say) is escaped, never an error."""
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(**({"encoding": "utf-8"} if utf8 else {}), errors="backslashreplace")


# -- the serve command ---------------------------------------------------------------------------


def _serve(args: argparse.Namespace, err: Output) -> int:
    try:
        from .serve import Settings, serve
    except ModuleNotFoundError as exc:
        if (exc.name or "").partition(".")[0] not in SERVICE_MODULES:
            raise
        err.write(f"sessionschema: {SERVICE_MISSING} ({exc})\n")
        return TROUBLE
    port = args.port
    if port is None:
        text = os.environ.get("PORT", "")
        port = _port(text) if text.strip() else 8000
        if port is None:
            err.write(f"sessionschema: PORT must be a port number (0 to 65535), not {text!r}\n")
            return TROUBLE
    if args.db and not Path(args.db).resolve().parent.is_dir():
        err.write(f"sessionschema: the folder of --db {args.db} does not exist\n")
        return TROUBLE
    api_key = args.api_key if args.api_key is not None else os.environ.get(API_KEY_VARIABLE)
    settings = Settings(
        db=args.db or ":memory:",
        api_key=api_key,
        max_bytes=args.max_bytes,
        body_timeout=args.body_timeout,
        strict=args.strict,
        header_timeout=args.header_timeout,
        max_connections=args.max_connections,
    )
    try:
        serve(settings, args.host, port, log_level=args.log_level)
    except SystemExit:  # uvicorn could not start (the port is taken, say): it said why
        return TROUBLE
    return 0


def _port(text: str) -> int | None:
    try:
        value = int(text)
    except ValueError:
        return None
    return value if 0 <= value <= 65535 else None


def _port_argument(text: str) -> int:
    value = _port(text)
    if value is None:
        raise argparse.ArgumentTypeError(f"expected a port number (0 to 65535), got {text!r}")
    return value


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"expected a positive number of seconds, got {text!r}")
    return value


def _add_serve(commands: Any) -> None:
    serve = commands.add_parser(
        "serve",
        help="run a local orq sessions server that checks every request against the contract",
        description=(
            "Serve the orq sessions API (/v2/sessions, and the legacy /v2/traces/sessions) on "
            "HOST:PORT, every request body read by sessionschema: 422 with every problem, 413 "
            "over the size limit, 415 for a body that is not JSON, 408 for one that stalls. "
            "Point the official clients at it: Orq(api_key=..., server_url="
            "'http://127.0.0.1:8000'). Needs the extra service. Ctrl-C stops it."
        ),
        epilog=(
            f"Without --api-key (or {API_KEY_VARIABLE}) the server is open to every request. "
            "Exit status: 0 stopped, 2 usage error, the extra missing, or the server could not "
            "start (the port is taken); 130 Ctrl-C."
        ),
    )
    serve.add_argument(
        "--host", default="127.0.0.1", help="the address to listen on (default: 127.0.0.1)"
    )
    serve.add_argument(
        "--port",
        type=_port_argument,
        default=None,
        help="the port, 0 for a free one (default: $PORT, else 8000)",
    )
    serve.add_argument(
        "--db",
        metavar="PATH",
        help="keep the sessions in this SQLite file, kept across restarts (default: in memory)",
    )
    serve.add_argument(
        "--api-key",
        metavar="KEY",
        default=None,
        help=f"require Authorization: Bearer KEY on every request (default: ${API_KEY_VARIABLE})",
    )
    serve.add_argument(
        "--max-bytes",
        type=_positive,
        default=MAX_BYTES,
        metavar="N",
        help=f"the size limit of a request body (default: {MAX_BYTES})",
    )
    serve.add_argument(
        "--body-timeout",
        type=_seconds,
        default=30.0,
        metavar="SECONDS",
        help="the time a client has to send a whole body, else 408 (default: 30)",
    )
    serve.add_argument(
        "--header-timeout",
        type=_seconds,
        default=10.0,
        metavar="SECONDS",
        help="the time a client has to send a request's headers, else 408 (default: 10)",
    )
    serve.add_argument(
        "--max-connections",
        type=_positive,
        default=1000,
        metavar="N",
        help="the most connections open at once; more are answered 503 (default: 1000)",
    )
    serve.add_argument(
        "--strict",
        action="store_true",
        help="unknown and repeated keys are errors, unless a request says ?strict=false",
    )
    serve.add_argument(
        "--log-level",
        choices=["critical", "error", "warning", "info", "debug"],
        default="info",
        help="what the server logs (default: info, a line per request)",
    )


# -- the command line ----------------------------------------------------------------------------


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


_SIZE = re.compile(r"(\d+)\s*(?:([kmgt])(i?))?b?", re.IGNORECASE)


def _size(text: str) -> int:
    """A size in bytes: ``8388608``, ``8MiB``, ``64MB``, ``1GiB``."""
    match = _SIZE.fullmatch(text.strip())
    if match is None or not int(match.group(1)):
        raise argparse.ArgumentTypeError(f"expected a size such as 8MiB, got {text!r}")
    unit: str = (match.group(2) or " ").lower()
    scale: int = (1024 if match.group(3) else 1000) ** " kmgt".index(unit)
    return int(match.group(1)) * scale


def _options(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except ValueError:
        value = None
    if not isinstance(value, dict):
        raise argparse.ArgumentTypeError(f"expected a JSON object, got {text!r}")
    return value


def _check_options(validate: argparse.ArgumentParser) -> Any:
    """A check of the options that go together, run once they are read."""

    def check(args: argparse.Namespace) -> None:
        if args.dask is None and args.block_size is not None:
            validate.error("--block-size goes with --dask")
        if args.dask not in (None, "local") and args.workers is not None:
            validate.error(
                "--workers sets the processes of this machine: a cluster at an "
                "address has its own workers (use --dask local for a local one)"
            )
        if args.block_size is None:
            args.block_size = BLOCK_SIZE

    return check


def _model_name(text: str) -> str:
    """A model's command-line name, given it or its class name (``CreateThreadRequest``)."""
    return CLASS_NAMES.get(text, text)


def _add_model(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--model",
        type=_model_name,
        choices=list(MODEL_NAMES),
        default=DEFAULT_MODEL,
        metavar="NAME",
        help=(
            f"the model: {', '.join(MODEL_NAMES)}, or its class name (CreateThreadRequest) "
            f"(default: {DEFAULT_MODEL})"
        ),
    )
    parser.add_argument(
        "--style",
        choices=STYLES,
        default="camel",
        help="the wire: camel (contactIds, the default) or snake (contact_ids, the HTTP API)",
    )


def _add_migrate(commands: Any) -> None:
    migrate = commands.add_parser(
        "migrate",
        help="migrate legacy session payloads to thread payloads (JSON Lines on stdout)",
        description=(
            "Migrate legacy payloads of POST /v2/traces/sessions to those of /v2/sessions: "
            "each CreateSessionRequestBody to a CreateThreadRequest (with --model "
            "create-session-response-body, each CreateSessionResponseBody to a Thread), written "
            "as JSON Lines on stdout, one line per record migrated, in input order. Counts "
            "become integers (2974.0 -> 2974; one with a fractional part cannot be migrated), "
            "a null projectId is left out, workspaceId is dropped, every other value is kept. "
            "PATHs are read as validate reads them. Problems go to stderr, as validate writes "
            "them (FILE:LINE: POINTER: message), then a summary."
        ),
        epilog=MIGRATE_EXIT_STATUSES,
    )
    migrate.add_argument(
        "paths", nargs="*", metavar="PATH", help="files, directories, URLs (s3://...) or -"
    )
    migrate.add_argument(
        "--model",
        type=_model_name,
        choices=list(MIGRATIONS),
        default=DEFAULT_MODEL,
        metavar="NAME",
        help=(
            f"what each record is: {' or '.join(MIGRATIONS)} (default: {DEFAULT_MODEL}), "
            "migrated to a CreateThreadRequest or a Thread"
        ),
    )
    migrate.add_argument(
        "--style",
        choices=STYLES,
        default="camel",
        help=(
            "the wire of the legacy input, and of the problems' pointers: camel (contactIds, the "
            "default) or snake (contact_ids, the HTTP API)"
        ),
    )
    migrate.add_argument(
        "--output-style",
        choices=STYLES,
        default=None,
        help="the wire of the thread payloads written to stdout (default: that of --style)",
    )
    migrate.add_argument(
        "--strict", action="store_true", help="unknown keys and duplicate keys are errors"
    )
    migrate.add_argument(
        "--output",
        choices=list(FORMATS),
        default="text",
        help="the problems on stderr: text (default) or json (lines)",
    )
    _add_reading(migrate, 'a JSON object of fsspec options for URLs: {"anon": true}')


def _add_reading(command: argparse.ArgumentParser, storage_help: str) -> None:
    """The options of how inputs are read, shared by ``validate`` and ``migrate``."""
    command.add_argument(
        "--lines", action="store_true", help="read every input, stdin included, as JSON Lines"
    )
    command.add_argument(
        "--storage-options", type=_options, default={}, metavar="JSON", help=storage_help
    )
    command.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show a record count and rate on stderr (default: on a terminal, for large input)",
    )
    command.add_argument(
        "--max-bytes",
        type=_positive,
        default=MAX_BYTES,
        metavar="N",
        help=f"the largest record read, a line or a document (default: {MAX_BYTES})",
    )


def parser() -> argparse.ArgumentParser:
    """The argument parser of the ``sessionschema`` command."""
    main_parser = argparse.ArgumentParser(
        prog="sessionschema",
        description=(
            "Validate orq.ai session payloads, migrate them to threads, and serve the orq "
            "sessions API locally."
        ),
        epilog=EXIT_STATUSES,
    )
    main_parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = main_parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser(
        "validate",
        help="validate JSON documents and JSON Lines",
        description=(
            "Validate payloads: a file is one JSON document, a .jsonl or .ndjson file one "
            "payload per non-empty line, a directory every .json, .jsonl and .ndjson file under "
            "it (regular files only), and - (or no PATH) standard input; a URL is read through "
            "fsspec. Problems go to stdout; notes (a record that seems to be of another model "
            "or style, a document of JSON Lines) and a summary naming the model and the wire go "
            "to stderr."
        ),
        epilog=EXIT_STATUSES,
    )
    validate.add_argument(
        "paths", nargs="*", metavar="PATH", help="files, directories, URLs (s3://...) or -"
    )
    validate.add_argument(
        "--strict", action="store_true", help="unknown keys and duplicate keys are errors"
    )
    validate.add_argument(
        "--output",
        choices=list(FORMATS),
        default="text",
        help=(
            "text (default), or json: JSON Lines on stdout, an object per invalid record or "
            "input that cannot be read, then a summary object"
        ),
    )
    validate.add_argument(
        "--color",
        "--colour",
        choices=COLORS,
        default="auto",
        help=(
            "colour the text output: auto (the default: on a terminal, unless NO_COLOR is set), "
            "always or never"
        ),
    )
    validate.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="print the problems only: no summary, no notes, no progress",
    )
    validate.add_argument(
        "--workers",
        type=_positive,
        default=None,
        metavar="N",
        help=(
            "validate in N processes; output stays in input order (default: 1; with --dask "
            "local, one worker process per CPU)"
        ),
    )
    validate.add_argument(
        "--dask",
        metavar="ADDRESS|local",
        help=(
            "validate on a Dask cluster: the scheduler at ADDRESS (tcp://host:8786), or a local "
            "cluster of --workers processes; needs the extra dask"
        ),
    )
    validate.add_argument(
        "--block-size",
        type=_size,
        default=None,
        metavar="SIZE",
        help="with --dask, JSON Lines go to the workers in blocks of SIZE bytes (default: 8MiB)",
    )
    _add_reading(
        validate,
        'a JSON object of fsspec options for URLs, here and on the workers: {"anon": true}',
    )
    _add_model(validate)
    validate.set_defaults(check_options=_check_options(validate))

    _add_migrate(commands)
    _add_serve(commands)

    schema_command = commands.add_parser(
        "schema",
        help="print the bundled JSON Schema of a model",
        description=(
            "Print the JSON Schema (draft 2020-12) of a model, with the schemas it refers to "
            "bundled under $defs, in the keys of the wire --style names: the contract that "
            "validate checks, for the validators of other languages."
        ),
    )
    _add_model(schema_command)
    schema_command.add_argument(
        "--strict",
        action="store_true",
        help="additionalProperties: false at every level, as validate --strict reads",
    )
    _add_model(
        commands.add_parser(
            "example",
            help="print a valid example payload of a model",
            description=(
                "Print a valid payload of a model, every property given, in the keys of the "
                "wire --style names: the same one every time, to start from or to pipe into "
                "validate."
            ),
        )
    )
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


def _occupy_closed_descriptors() -> None:
    """Open the null device on standard descriptors that were closed when the command started,
    so that no file it opens gets one of them (the output stays closed: ``sys.stdout`` is
    None)."""
    for descriptor in (0, 1, 2):
        try:
            os.fstat(descriptor)
        except OSError:
            null = os.open(os.devnull, os.O_RDWR)
            if null != descriptor:
                os.dup2(null, descriptor)
                os.close(null)


def _print(out: Output, text: str) -> int:
    out.write(text)
    out.flush()
    return 0


def _run(args: argparse.Namespace, out: Output, err: Output) -> int:
    if args.command == "validate":
        return _validate(args, out, err)
    if args.command == "migrate":
        return _migrate(args, out, err)
    if args.command == "serve":
        return _serve(args, err)
    out.require()
    cls = MODEL_NAMES[args.model]
    if args.command == "source":
        return _print(out, codec(cls, style=args.style, strict=args.strict).source())
    if args.command == "schema":
        document = schema(cls, style=args.style, strict=args.strict)
    else:
        document = example(cls, args.style)
    return _print(out, json.dumps(document, indent=2) + "\n")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``sessionschema`` command with ``argv`` (default: ``sys.argv[1:]``); its exit
    status."""
    _occupy_closed_descriptors()
    try:
        args = parser().parse_args(argv)
        if args.command == "validate":
            args.check_options(args)
    except SystemExit as exc:  # --help, --version, or a usage error (status 2)
        return exc.code if isinstance(exc.code, int) else TROUBLE
    out = Output(sys.stdout, "standard output")
    err = Output(sys.stderr, "standard error")
    try:
        return _run(args, out, err)
    except BrokenPipeError:  # a reader such as `head` went away: stop, and say nothing more
        out.silence()
        err.silence()
        return BROKEN_PIPE
    except OutputError as exc:
        exc.stream.silence()
        if exc.stream is not err:
            try:
                err.write(f"sessionschema: {exc}\n")
                err.flush()
            except (OutputError, BrokenPipeError):
                err.silence()
        return TROUBLE
    except KeyboardInterrupt:
        return INTERRUPTED
    except Exception:  # a bug, not an invalid record: never confused with status 1
        if sys.stderr is not None:
            traceback.print_exc()
            print("sessionschema: internal error (a bug: please report it)", file=sys.stderr)
        return INTERNAL_ERROR
