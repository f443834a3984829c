"""The command line: ``sessionschema validate``, ``schema``, ``example`` and ``source``.

``validate`` has three concerns, each in a module of :mod:`sessionschema._cli`: reading records
(:mod:`~sessionschema._cli.read`: files, directories, standard input and URLs, JSON documents
and JSON Lines, one record at a time, so memory stays flat whatever the size of the input),
running them (:mod:`~sessionschema._cli.run`: one process, a pool of ``--workers N``, or a Dask
cluster with ``--dask``, in :mod:`~sessionschema._cli.cluster`: one interface, several
backends, each running the same checker and giving results in input order) and writing results
(:mod:`~sessionschema._cli.write`: text or JSON Lines, progress, the summary). Each record goes
through :func:`sessionschema.loads`, the same path a service takes. This module reads the
options and puts the three together. Exit status: 0 every record is valid, 1 at least one is
invalid, 2 a usage error, an input that cannot be read or a cluster that cannot be reached (3:
a bug, with its traceback).
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
from ._api import dump, load, loads, schema

# Names that lived here before the command line was split by concern, kept for callers.
from ._cli.read import CHUNK_LINES as CHUNK_LINES
from ._cli.read import LARGE_INPUT as LARGE_INPUT
from ._cli.read import LINES_SUFFIXES as LINES_SUFFIXES
from ._cli.read import STDIN as STDIN
from ._cli.read import SUFFIXES as SUFFIXES
from ._cli.read import Chunk as Chunk
from ._cli.read import Record as Record
from ._cli.read import Source as Source
from ._cli.read import chunks as chunks
from ._cli.read import is_large, missing, sources
from ._cli.read import read_document as read_document
from ._cli.read import read_lines as read_lines
from ._cli.run import Backend, BackendError, Checker, InProcess, Pool
from ._cli.run import Invalid as Invalid
from ._cli.run import Outcome as Outcome
from ._cli.write import FORMATS, Writer
from ._cli.write import PROGRESS_INTERVAL as PROGRESS_INTERVAL
from ._cli.write import Progress as Progress
from ._cli.write import format_json as format_json
from ._cli.write import format_text as format_text
from ._compile import source as generated_source
from ._contract import Kind, describe_model
from ._json import MAX_BYTES
from ._schema import kebab
from ._styles import STYLES, Style
from .models import MODELS, CreateSessionRequestBody

__all__ = ["MODEL_NAMES", "example", "main"]

MODEL_NAMES: dict[str, type] = {kebab(cls.__name__): cls for cls in MODELS}
"""Every model by its command-line name: ``CreateSessionUsage`` -> ``create-session-usage``."""
DEFAULT_MODEL = kebab(CreateSessionRequestBody.__name__)

INTERNAL_ERROR = 3
"""The exit status of a failure that is a bug (the traceback is on stderr)."""
BLOCK_SIZE = 8 * 1024 * 1024
"""``--block-size`` by default: sessionschema.dask.BLOCK_SIZE, without importing dask."""
DASK_MISSING = "--dask needs the extra dask: pip install 'sessionschema[dask]'"


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
        return Pool(check, args.storage_options, args.workers)
    return InProcess(check, args.storage_options)


def _validate(args: argparse.Namespace) -> int:
    problems = missing(args.paths, args.storage_options)
    for message in problems:
        print(f"sessionschema: {message}", file=sys.stderr)
    if problems:
        return 2
    check = Checker(MODEL_NAMES[args.model], args.strict, args.max_bytes, args.style, loads)
    try:
        backend = _backend(args, check)
    except BackendError as exc:
        print(f"sessionschema: {exc}", file=sys.stderr)
        return 2
    _reconfigure(sys.stdout, utf8=args.output == "json")
    if (not args.paths or "-" in args.paths) and sys.stdin is not None and sys.stdin.isatty():
        print("sessionschema: reading standard input (end it with Ctrl-D)", file=sys.stderr)
    progress = args.progress
    if progress is None:
        progress = sys.stderr.isatty() and is_large(args.paths, args.lines)
    writer = Writer(args.output, Progress(sys.stderr, progress), sys.stdout, sys.stderr)
    try:
        for report in backend.reports(sources(args.paths, args.lines, args.storage_options)):
            writer.take(report)
    except BackendError as exc:  # a cluster lost on the way
        writer.fail(str(exc))
    finally:
        try:
            backend.close()
        finally:
            writer.progress.clear()
            with contextlib.suppress(BrokenPipeError):  # raised again by main() if it ended it
                sys.stdout.flush()
            print(writer.summary(), file=sys.stderr)
    return writer.status


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
            "it, and - (or no PATH) standard input; a URL is read through fsspec. Problems go to "
            "stdout, a summary to stderr. Exit status: 0 all valid, 1 some invalid, 2 usage "
            "error, unreadable input or unreachable cluster."
        ),
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


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``sessionschema`` command with ``argv`` (default: ``sys.argv[1:]``); its exit
    status."""
    try:
        args = parser().parse_args(argv)
        if args.command == "validate":
            args.check_options(args)
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
            document = schema(cls, style=args.style, strict=args.strict)
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
