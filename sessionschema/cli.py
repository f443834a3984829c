"""The command line: ``sessionschema validate``, ``schema``, ``example`` and ``source``.

This module reads the options and puts the pieces together; the work is done elsewhere. The
records, their sources and the checker are :mod:`sessionschema._batch`'s, which
:mod:`sessionschema.dask` shares: the inputs that the paths name are looked at once, then read
one record at a time, so memory stays flat whatever the size of the input, and each record goes
through :func:`sessionschema.loads`, the path a service takes. :mod:`sessionschema._cli` runs
them (:mod:`~sessionschema._cli.run`: one process or a pool of ``--workers N``;
:mod:`~sessionschema._cli.cluster`: a Dask cluster with ``--dask``; one interface, results in
input order) and writes the results (:mod:`~sessionschema._cli.write`: text or JSON Lines,
progress, the summary). The example payloads are :mod:`sessionschema._example`'s.

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
from collections.abc import Sequence
from typing import Any, TextIO

from . import __version__
from ._api import loads, schema
from ._batch.blocks import BLOCK_SIZE
from ._batch.check import Checker
from ._batch.sources import Failure, expand, resolve
from ._cli.run import Backend, BackendError, InProcess, Pool
from ._cli.write import FORMATS, Output, OutputError, Progress, Writer, is_large
from ._compile import source as generated_source
from ._example import example
from ._json import MAX_BYTES
from ._schema import kebab
from ._styles import STYLES
from .models import MODELS, CreateSessionRequestBody

__all__ = ["MODEL_NAMES", "example", "main"]

MODEL_NAMES: dict[str, type] = {kebab(cls.__name__): cls for cls in MODELS}
"""Every model by its command-line name: ``CreateSessionUsage`` -> ``create-session-usage``."""
DEFAULT_MODEL = kebab(CreateSessionRequestBody.__name__)

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

EXIT_STATUSES = (
    "Exit status: 0 all valid, 1 some invalid, 2 usage error, unreadable input, lost worker or "
    "cluster, or output that cannot be written (full disk, closed stream); 141 (128+SIGPIPE) "
    "when the reader of stdout went away (| head); 130 Ctrl-C; 3 a bug."
)


# -- the validate command ------------------------------------------------------------------------


def _backend(args: argparse.Namespace, check: Checker) -> Backend:
    """The backend that the options ask for: a Dask cluster, a pool, or this process."""
    if args.dask is not None:
        try:
            from ._cli.cluster import Cluster
        except ModuleNotFoundError as exc:  # dask, distributed or fsspec, or what they need
            raise BackendError(f"{DASK_MISSING} ({exc})") from None
        return Cluster(args.dask, args.workers, check, args.storage_options, args.block_size)
    if (args.workers or 1) > 1:
        return Pool(check, args.workers)
    return InProcess(check)


def _validate(args: argparse.Namespace, out: Output, err: Output) -> int:
    out.require()
    err.require()  # the summary goes there: a closed stderr is exit status 2, quietly
    named = resolve(args.paths, args.lines, args.storage_options)
    missing = [item for item in named if isinstance(item, Failure)]
    for failure in missing:
        err.write(f"sessionschema: {failure.message}\n")
    if missing:
        return TROUBLE
    check = Checker(MODEL_NAMES[args.model], args.strict, args.max_bytes, args.style, loads)
    try:
        backend = _backend(args, check)
    except BackendError as exc:
        err.write(f"sessionschema: {exc}\n")
        return TROUBLE
    _reconfigure(out.stream, utf8=args.output == "json")
    if (not args.paths or "-" in args.paths) and sys.stdin is not None and sys.stdin.isatty():
        err.write("sessionschema: reading standard input (end it with Ctrl-D)\n")
    progress = args.progress
    if progress is None:
        progress = err.isatty() and is_large(named)
    writer = Writer(args.output, Progress(err, progress), out, err)
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


def _reconfigure(stream: TextIO | None, *, utf8: bool) -> None:
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
        prog="sessionschema", description="Validate orq.ai session payloads.", epilog=EXIT_STATUSES
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
            "fsspec. Problems go to stdout, a summary to stderr."
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
        "--output", choices=list(FORMATS), default="text", help="text (default) or json (lines)"
    )
    validate.add_argument(
        "--lines", action="store_true", help="read every input, stdin included, as JSON Lines"
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
    validate.add_argument(
        "--storage-options",
        type=_options,
        default={},
        metavar="JSON",
        help='a JSON object of fsspec options for URLs, here and on the workers: {"anon": true}',
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
    validate.set_defaults(check_options=_check_options(validate))

    schema_command = commands.add_parser("schema", help="print the bundled JSON Schema of a model")
    _add_model(schema_command)
    schema_command.add_argument(
        "--strict",
        action="store_true",
        help="additionalProperties: false at every level, as validate --strict reads",
    )
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
    out.require()
    cls = MODEL_NAMES[args.model]
    if args.command == "source":
        return _print(out, generated_source(cls, args.style, args.strict))
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
