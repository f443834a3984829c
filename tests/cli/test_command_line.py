"""The command line, run as users run it: the installed ``sessionschema`` script (and
``python -m sessionschema``) in a subprocess, on files, directories, JSON Lines and stdin."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import sessionschema as ss
from sessionschema import cli
from sessionschema._cli.write import Against, Output, Progress, Writer, format_json, format_text
from sessionschema.models import MODELS

from ..support import dumps, feed_fifo, summary
from ..support.payloads import FULL, REFERENCE, SNAKE, valid_payload

SCRIPT = shutil.which("sessionschema", path=os.path.dirname(sys.executable))
MODULE = [sys.executable, "-m", "sessionschema"]
CASES = Path(__file__).parents[1] / "data" / "JSONTestSuite" / "test_parsing"
EXAMPLES = Path(__file__).parents[2] / "examples"


@attrs.frozen
class Run:
    """What a command did: its exit status and its output, decoded."""

    status: int
    out: str
    err: str

    @property
    def lines(self) -> list[dict[str, Any]]:
        """The JSON Lines of stdout, every one of them."""
        return [json.loads(line) for line in self.out.splitlines()]

    @property
    def records(self) -> list[dict[str, Any]]:
        """The JSON Lines of stdout before the summary object that ends them."""
        lines = self.lines
        assert lines, "no summary object"
        assert "checked" in lines[-1], f"the last line is not the summary: {lines[-1]}"
        return lines[:-1]

    @property
    def summary(self) -> dict[str, Any]:
        """The summary object that ends the JSON Lines of stdout."""
        return self.lines[-1]


def run(
    *args: str | Path,
    stdin: bytes = b"",
    module: bool = False,
    cwd: Path | None = None,
    timeout: float = 60,
) -> Run:
    """Run the installed command (or ``python -m sessionschema``) with ``args``."""
    assert SCRIPT is not None, f"the sessionschema script is not installed next to {sys.executable}"
    command = [*MODULE] if module else [SCRIPT]
    done = subprocess.run(
        [*command, *map(str, args)], input=stdin, capture_output=True, cwd=cwd, timeout=timeout
    )
    return Run(done.returncode, done.stdout.decode(), done.stderr.decode())


def counted(checked: int, valid: int, invalid: int, **more: Any) -> dict[str, Any]:
    """The summary object of ``validate --output json``, by default of a run of the default
    model on the camel wire with no failures and no notes."""
    return {
        "checked": checked,
        "valid": valid,
        "invalid": invalid,
        "failures": 0,
        "model": "create-session-request-body",
        "style": "camel",
        "strict": False,
        "notes": [],
        **more,
    }


def write(path: Path, text: str | bytes) -> Path:
    """Write ``text`` to ``path``, making its directories; the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


@pytest.fixture
def jsonl(tmp_path: Path) -> Path:
    """Seven lines: valid, invalid, blank, malformed, valid, whitespace only, invalid."""
    lines = [
        dumps(FULL),
        dumps(valid_payload(duration="1")),
        "",
        '{"externalId": ',
        dumps(REFERENCE),
        "  \t",
        dumps(valid_payload(tags=[None])),
    ]
    return write(tmp_path / "sessions.jsonl", "\n".join(lines) + "\n")


# -- the commands exist --------------------------------------------------------------------------


@pytest.mark.parametrize("module", [False, True], ids=["script", "python -m"])
def test_both_commands_validate(tmp_path: Path, module: bool) -> None:
    path = write(tmp_path / "full.json", dumps(FULL))
    result = run("validate", path, module=module)
    assert result == Run(0, "", summary(1, 1, 0))


def test_version() -> None:
    result = run("--version")
    assert (result.status, result.out) == (0, f"sessionschema {ss.__version__}\n")


# -- text output ---------------------------------------------------------------------------------


def test_text_output_is_one_line_per_problem(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.json", dumps(valid_payload(duration=True, tags=[1])))
    result = run("validate", path)
    assert result.status == 1
    assert result.out == (
        f"{path}:1: /duration: expected a number, got boolean true\n"
        f"{path}:1: /tags/0: expected a string, got number 1\n"
    )
    assert result.err == summary(1, 0, 1)


def test_a_problem_with_the_whole_document_is_at_root(tmp_path: Path) -> None:
    path = write(tmp_path / "list.json", "[]")
    result = run("validate", path)
    assert result.out == f"{path}:1: (root): expected an object, got array of 0 items\n"


def test_malformed_json_is_an_invalid_record_not_a_crash(tmp_path: Path) -> None:
    path = write(tmp_path / "broken.json", '{"externalId": "x",')
    result = run("validate", "--output", "json", path)
    assert result.status == 1
    ((error,),) = [record["errors"] for record in result.records]
    assert (error["path"], error["keyword"]) == ("", "json")
    assert error["message"].startswith("invalid JSON: ")


def test_an_empty_file_is_an_invalid_document(tmp_path: Path) -> None:
    result = run("validate", write(tmp_path / "empty.json", ""))
    assert result.status == 1
    assert result.err == summary(1, 0, 1)


def test_control_characters_are_escaped_in_text(tmp_path: Path) -> None:
    path = write(tmp_path / "keys.json", dumps(valid_payload(**{"a\nb\x1b": 1})))
    result = run("validate", "--strict", path)
    assert result.out == f"{path}:1: /a\\x0ab\\x1b: unknown property 'a\\nb\\x1b' (strict mode)\n"


# -- JSON Lines ----------------------------------------------------------------------------------


def test_json_lines_report_physical_line_numbers(jsonl: Path) -> None:
    result = run("validate", jsonl)
    assert result.status == 1
    assert result.out.splitlines() == [
        f"{jsonl}:2: /duration: expected a number, got string '1'",
        f"{jsonl}:4: (root): invalid JSON: Expecting value at line 1 column 16",
        f"{jsonl}:7: /tags/0: expected a string, got null",
    ]
    assert result.err == summary(5, 2, 3)  # blank lines are not records


def test_json_output_shape_and_line_numbers(jsonl: Path) -> None:
    result = run("validate", "--output", "json", jsonl)
    assert result.status == 1
    assert result.records[0] == {
        "file": str(jsonl),
        "line": 2,
        "errors": [
            {"path": "/duration", "message": "expected a number, got string '1'", "keyword": "type"}
        ],
    }
    assert [(r["file"], r["line"]) for r in result.records] == [(str(jsonl), n) for n in (2, 4, 7)]
    assert [e["keyword"] for r in result.records for e in r["errors"]] == ["type", "json", "type"]


def test_json_output_prints_only_the_summary_for_valid_records(tmp_path: Path) -> None:
    path = write(tmp_path / "ok.ndjson", f"{dumps(FULL)}\n{dumps(REFERENCE)}")  # no final newline
    result = run("validate", "--output", "json", path)
    assert (result.status, result.records, result.err) == (0, [], "")
    assert result.summary == counted(2, 2, 0)


def test_an_empty_json_lines_file_has_no_records(tmp_path: Path) -> None:
    result = run("validate", write(tmp_path / "empty.jsonl", "\n\n"))
    assert result == Run(0, "", summary(0, 0, 0))


def test_lines_forces_json_lines_on_any_file(tmp_path: Path) -> None:
    path = write(tmp_path / "two.json", f"{dumps(FULL)}\n{dumps(FULL)}\n")
    assert run("validate", path).status == 1  # as one document: extra data
    assert run("validate", "--lines", path).err == summary(2, 2, 0)


def test_a_record_over_max_bytes_is_skipped_unread(tmp_path: Path) -> None:
    long = dumps(valid_payload(tags=["x" * 300]))
    too_long = f"JSON text of more than {len(long) - 1} bytes is over the limit of {len(long) - 1}"
    # a line of exactly --max-bytes is read: cut before its last "}", it is malformed JSON
    cut = f"invalid JSON: Expecting ',' delimiter at line 1 column {len(long)}"
    path = write(tmp_path / "long.jsonl", f"{dumps(FULL)}\n{long}\n{long[:-1]}\n{dumps(FULL)}\n")
    result = run("validate", "--output", "json", "--max-bytes", str(len(long) - 1), path)
    assert result.status == 1
    assert result.records == [
        {
            "file": str(path),
            "line": 2,
            "errors": [
                {
                    "path": "",
                    "message": too_long,
                    "keyword": "maxBytes",
                }
            ],
        },
        {
            "file": str(path),
            "line": 3,
            "errors": [{"path": "", "message": cut, "keyword": "json"}],
        },
    ]
    with pytest.raises(ss.ValidationError) as info:  # what the library says of the same text
        ss.loads(long[:-1], max_bytes=len(long) - 1)
    assert [error.to_dict() for error in info.value.errors] == result.records[1]["errors"]
    assert result.summary == counted(4, 2, 2)
    big = write(tmp_path / "big.json", long)  # a file's size is known: it is given
    document = run("validate", "--max-bytes", "100", big)
    assert (
        document.out
        == f"{big}:1: (root): JSON text of {len(long)} bytes is over the limit of 100\n"
    )


@pytest.mark.parametrize("workers", ["1", "2", "3"])
def test_workers_keep_the_input_order(tmp_path: Path, workers: str) -> None:
    invalid = {3, 1999, 2000, 2001, 4500, 6999, 7000}  # on both sides of chunk boundaries
    lines = [dumps(valid_payload(duration="1") if n in invalid else FULL) for n in range(1, 7001)]
    path = write(tmp_path / "many.jsonl", "\n".join(lines) + "\n")
    result = run("validate", "--output", "json", "--workers", workers, path)
    assert result.status == 1
    assert [record["line"] for record in result.records] == sorted(invalid)
    assert result.summary == counted(7000, 7000 - len(invalid), len(invalid))


def test_workers_give_the_same_output_as_one_process(tmp_path: Path, jsonl: Path) -> None:
    other = write(tmp_path / "more" / "sessions.ndjson", jsonl.read_bytes() * 500)
    doc = write(tmp_path / "doc.json", "{}")
    one = run("validate", jsonl, doc, other)
    two = run("validate", "--workers", "2", jsonl, doc, other)
    assert one == two
    assert one.status == 1
    assert one.err == summary(2506, 1002, 1504)


# -- standard input ------------------------------------------------------------------------------


@pytest.mark.parametrize("args", [(), ("-",)], ids=["no PATH", "-"])
def test_stdin_is_one_document(args: tuple[str, ...]) -> None:
    assert run("validate", *args, stdin=dumps(FULL).encode()).status == 0
    result = run("validate", *args, stdin=dumps(valid_payload(duration=None)).encode())
    assert result.out == "<stdin>:1: /duration: expected a number, got null\n"


@pytest.mark.parametrize("workers", ["1", "2"])
def test_stdin_as_json_lines(jsonl: Path, workers: str) -> None:
    options = ["--lines", "--output", "json", "--workers", workers]
    result = run("validate", *options, "-", stdin=jsonl.read_bytes())
    assert [(r["file"], r["line"]) for r in result.records] == [("<stdin>", n) for n in (2, 4, 7)]


def test_a_reader_that_stops_early_ends_the_run_quietly(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.jsonl", "[]\n" * 5000)  # far more output than a pipe holds
    assert SCRIPT is not None
    with subprocess.Popen(
        [SCRIPT, "validate", path], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as proc:
        assert proc.stdout is not None
        assert proc.stderr is not None
        assert proc.stdout.readline().startswith(str(path).encode())
        proc.stdout.close()  # as `head -1` does
        err = proc.stderr.read().decode()
    assert proc.returncode == 141  # 128 + SIGPIPE: not 1, which says that records are invalid
    assert err == ""  # no traceback, and no summary of a run cut short


def test_example_pipes_into_validate() -> None:
    example = run("example")
    assert example.status == 0
    assert json.loads(example.out) == FULL
    assert run("validate", "-", stdin=example.out.encode()).status == 0


# -- directories ---------------------------------------------------------------------------------


def test_a_directory_is_walked_sorted_and_filtered(tmp_path: Path) -> None:
    bad = dumps(valid_payload(duration=None))
    for name in ["b.json", "a/z.ndjson", "a/b/c.JSONL", "a.json", "skip.txt", ".hidden/x.json"]:
        write(tmp_path / name, bad)
    result = run("validate", ".", cwd=tmp_path)
    assert [line.split(":")[0] for line in result.out.splitlines()] == [
        "./a/b/c.JSONL",
        "./a/z.ndjson",
        "./a.json",
        "./b.json",
    ]


def test_the_json_test_suite_gives_invalid_records_never_a_crash() -> None:
    result = run("validate", "--output", "json", CASES)
    count = len(list(CASES.iterdir()))
    assert result.status == 1, result.err
    assert len(result.records) == count  # no file of the suite is a session payload
    assert result.summary["checked"] == result.summary["invalid"] == count
    assert result.err == ""


def test_the_demo_examples_give_what_make_demo_expects() -> None:
    assert run("validate", EXAMPLES / "valid").status == 0
    result = run("validate", "--output", "json", EXAMPLES / "invalid", EXAMPLES / "sessions.jsonl")
    assert result.status == 1
    assert [
        (Path(r["file"]).name, r["line"], [(e["path"], e["keyword"]) for e in r["errors"]])
        for r in result.records
    ] == [
        ("bad-dates.json", 1, [("/startedAt", "format"), ("/updatedAt", "format")]),
        ("malformed.json", 1, [("", "json")]),
        ("not-an-object.json", 1, [("", "type")]),
        (
            "wrong-types.json",
            1,
            [
                ("/billing/inputCost", "type"),
                ("/billing/totalCost", "required"),
                ("/contactIds/1", "type"),
                ("/duration", "type"),
                ("/externalId", "type"),
                ("/tags", "type"),
            ],
        ),
        ("sessions.jsonl", 2, [("/duration", "type")]),
        ("sessions.jsonl", 5, [("/billing/totalCost", "required"), ("/updatedAt", "format")]),
        ("sessions.jsonl", 6, [("", "json")]),
    ]


# -- options -------------------------------------------------------------------------------------


def test_strict_rejects_unknown_keys(tmp_path: Path) -> None:
    path = write(tmp_path / "extra.json", dumps(valid_payload(source="crm")))
    assert run("validate", path).status == 0
    result = run("validate", "--strict", "--output", "json", path)
    assert result.status == 1
    assert result.records[0]["errors"] == [
        {
            "path": "/source",
            "message": "unknown property 'source' (strict mode)",
            "keyword": "additionalProperties",
        }
    ]


@pytest.mark.parametrize("model", ["billing", "create-session-usage"])
def test_model_selects_what_a_record_is(tmp_path: Path, model: str) -> None:
    part = FULL["billing"] if model == "billing" else FULL["usage"]
    path = write(tmp_path / "part.json", dumps(part))
    assert run("validate", path).status == 1
    assert run("validate", "--model", model, path).status == 0
    assert json.loads(run("example", "--model", model).out) == part


SNAKE_MISSING = [
    ("/billing/input_cost", "required"),
    ("/billing/output_cost", "required"),
    ("/billing/total_cost", "required"),
    ("/contact_ids", "required"),
    ("/external_id", "required"),
    ("/traces_count", "required"),
    ("/usage/completion_tokens", "required"),
    ("/usage/prompt_tokens", "required"),
    ("/usage/total_tokens", "required"),
]
"""The problems of FULL (camel keys) read as the snake wire: every respelled key is missing."""
CAMEL_UNKNOWN = [
    ("/billing/inputCost", "additionalProperties"),
    ("/billing/outputCost", "additionalProperties"),
    ("/billing/totalCost", "additionalProperties"),
    ("/contactIds", "additionalProperties"),
    ("/externalId", "additionalProperties"),
    ("/projectId", "additionalProperties"),
    ("/startedAt", "additionalProperties"),
    ("/tracesCount", "additionalProperties"),
    ("/updatedAt", "additionalProperties"),
    ("/usage/completionTokens", "additionalProperties"),
    ("/usage/promptTokens", "additionalProperties"),
    ("/usage/totalTokens", "additionalProperties"),
]
"""...and in strict mode, every camel key that the snake wire spells otherwise is unknown."""


def test_style_selects_the_wire(tmp_path: Path) -> None:
    snake = json.loads(run("example", "--style", "snake").out)
    assert snake == SNAKE
    path = write(tmp_path / "snake.jsonl", dumps(snake) + "\n" + dumps(FULL) + "\n")
    result = run("validate", "--style", "snake", "--output", "json", path)
    assert result.status == 1
    (record,) = result.records
    assert record["line"] == 2
    assert [(e["path"], e["keyword"]) for e in record["errors"]] == SNAKE_MISSING
    strict = run("validate", "--style", "snake", "--strict", "--output", "json", path)
    (record,) = strict.records
    assert record["line"] == 2
    found = [(e["path"], e["keyword"]) for e in record["errors"]]
    assert sorted(found) == sorted(SNAKE_MISSING + CAMEL_UNKNOWN)


def test_schema_of_the_snake_wire_has_the_apis_keys() -> None:
    schema = json.loads(run("schema", "--style", "snake").out)
    assert list(schema["properties"]) == [
        "external_id", "duration", "contact_ids", "billing", "usage", "traces_count", "tags",
        "project_id", "started_at", "updated_at",
    ]  # fmt: skip
    assert schema["required"] == [
        "external_id", "duration", "contact_ids", "billing", "usage", "traces_count", "tags",
    ]  # fmt: skip
    assert schema["$defs"]["Billing"]["required"] == ["input_cost", "output_cost", "total_cost"]
    assert schema["$defs"]["CreateSessionUsage"]["required"] == [
        "prompt_tokens", "completion_tokens", "total_tokens",
    ]  # fmt: skip


def test_the_response_body_model_on_the_snake_wire() -> None:
    name = "create-session-response-body"
    example = run("example", "--model", name, "--style", "snake")
    assert {"_id", "workspace_id"} <= set(json.loads(example.out))
    validate = ["validate", "--model", name, "--style", "snake", "--strict", "-"]
    assert run(*validate, stdin=example.out.encode()).status == 0
    assert run(*validate[:-2], "-", stdin=run("example").out.encode()).status == 1


def test_progress_is_off_when_stderr_is_not_a_terminal(jsonl: Path) -> None:
    assert run("validate", "--lines", stdin=jsonl.read_bytes()).err.count("\r") == 0


def test_progress_draws_count_and_rate_and_clears_itself() -> None:
    stream = io.StringIO()
    progress = Progress(stream, enabled=True)
    progress.due = 0  # the first update is due at once
    progress.update(123456)
    assert stream.getvalue().startswith("\r123,456 records, ")
    assert stream.getvalue().endswith("/s")
    progress.clear()
    assert stream.getvalue().endswith("\r")
    off = Progress(stream, enabled=False)
    off.due = 0
    off.update(1)
    assert stream.getvalue().count("records") == 1


# -- exit status 2 -------------------------------------------------------------------------------


def test_a_missing_file_is_status_2_and_nothing_is_checked(tmp_path: Path) -> None:
    valid = write(tmp_path / "ok.json", dumps(FULL))
    result = run("validate", valid, tmp_path / "nope.json")
    assert result == Run(2, "", f"sessionschema: cannot read {tmp_path / 'nope.json'}: "
                         "No such file or directory\n")  # fmt: skip


def test_an_unreadable_file_is_status_2_after_the_others(tmp_path: Path) -> None:
    write(tmp_path / "a.json", "[]")
    (tmp_path / "b.json").symlink_to(tmp_path / "gone.json")
    write(tmp_path / "c.json", dumps(FULL))
    result = run("validate", tmp_path)
    assert result.status == 2
    assert (
        result.out == f"{tmp_path / 'a.json'}:1: (root): expected an object, got array of 0 items\n"
    )
    assert result.err == (
        f"sessionschema: cannot read {tmp_path / 'b.json'}: No such file or directory\n"
        + summary(2, 1, 1)
    )


def test_an_unknown_flag_is_status_2() -> None:
    result = run("validate", "--bogus")
    assert (result.status, result.out) == (2, "")
    assert result.err.startswith("usage: sessionschema ")
    assert result.err.endswith("sessionschema: error: unrecognized arguments: --bogus\n")


@pytest.mark.parametrize(
    "args",
    [
        ["validate", "--workers", "0"],
        ["validate", "--max-bytes", "many"],
        ["validate", "--model", "session"],
        ["validate", "--output", "xml"],
        ["validate", "--progress", "--no-such-thing"],
        ["frobnicate"],
        [],
    ],
)
def test_usage_errors_are_status_2(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(args) == 2
    out, err = capsys.readouterr()
    assert (out, err.startswith("usage: sessionschema")) == ("", True)


# -- schema and example --------------------------------------------------------------------------


SCHEMA_FILES = Path(__file__).parents[2] / "sessionschema" / "schemas"


def bundled_from_the_files(stem: str) -> dict[str, Any]:
    """The schema file ``stem`` with each file it refers to, directly or through another,
    under ``$defs`` by title, without ``$id`` and ``$schema``, and its references made local:
    the form docs/internals.md describes."""
    files = [json.loads(p.read_text("utf-8")) for p in SCHEMA_FILES.glob("*.schema.json")]
    by_id = {document["$id"]: document for document in files}

    def local(node: Any, found: set[str]) -> Any:
        if isinstance(node, list):
            return [local(item, found) for item in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node:
            found.add(node["$ref"])
            node = {**node, "$ref": "#/$defs/" + by_id[node["$ref"]]["title"]}
        return {key: local(value, found) for key, value in node.items()}

    refs: set[str] = set()
    root = local(json.loads((SCHEMA_FILES / f"{stem}.schema.json").read_text("utf-8")), refs)
    definitions: dict[str, Any] = {}
    pending = sorted(refs)
    while pending:
        ref = pending.pop()
        title = by_id[ref]["title"]
        if title not in definitions:
            more: set[str] = set()
            document = local(by_id[ref], more)
            definitions[title] = {k: v for k, v in document.items() if k not in ("$id", "$schema")}
            pending += sorted(more)
    if definitions:
        root["$defs"] = definitions
    return root  # type: ignore[no-any-return]


def test_schema_prints_the_bundled_schema() -> None:
    result = run("schema")
    assert result.status == 0
    expected = bundled_from_the_files("create-session-request-body")
    assert set(expected["$defs"]) == {"Billing", "CreateSessionUsage"}
    assert expected["properties"]["billing"]["$ref"] == "#/$defs/Billing"
    assert json.loads(result.out) == expected
    billing = json.loads(run("schema", "--model", "billing").out)
    assert billing == json.loads((SCHEMA_FILES / "billing.schema.json").read_text("utf-8"))


@pytest.mark.parametrize("name", list(cli.MODEL_NAMES))
def test_schema_of_every_model(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["schema", "--model", name]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == bundled_from_the_files(name)
    assert printed == ss.schema(cli.MODEL_NAMES[name])


def test_model_names_are_the_kebab_case_class_names() -> None:
    assert len(cli.MODEL_NAMES) == len(MODELS)
    assert cli.MODEL_NAMES["billing"] is ss.Billing
    assert cli.MODEL_NAMES["create-session-usage"] is ss.CreateSessionUsage
    assert cli.MODEL_NAMES["create-session-request-body"] is ss.CreateSessionRequestBody
    assert cli.DEFAULT_MODEL == "create-session-request-body"


@pytest.mark.parametrize("style", ["camel", "snake"])
@pytest.mark.parametrize("cls", list(cli.MODEL_NAMES.values()))
def test_every_example_is_valid_and_fixed(cls: type, style: ss.Style) -> None:
    payload = cli.example(cls, style)
    loaded: object = ss.loads(json.dumps(payload), cls, strict=True, style=style)
    assert type(loaded) is cls
    assert ss.dump(loaded, style=style) == payload  # canonical: it dumps back to itself
    assert set(payload) == set(ss.schema(cls, style=style)["properties"])  # every key
    assert cli.example(cls, style) == payload  # the same on every call
    payload.clear()  # a copy: the next caller is not affected
    assert cli.example(cls, style) == ss.dump(loaded, style=style)


def test_a_bug_is_status_3_never_an_invalid_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("a bug")

    monkeypatch.setattr(ss.Codec, "problems", broken)  # (the check of every record)
    assert cli.main(["validate", str(write(tmp_path / "ok.json", dumps(FULL)))]) == 3
    err = capsys.readouterr().err
    assert "RuntimeError: a bug" in err
    assert "sessionschema: internal error" in err


# -- the size limit ------------------------------------------------------------------------------


def over(limit: int) -> str:
    """The ``maxBytes`` message of a record that was not read to its end."""
    return f"JSON text of more than {limit} bytes is over the limit of {limit}"


@pytest.mark.parametrize("workers", ["1", "2"])
@pytest.mark.parametrize("eol", ["\n", "\r\n"], ids=["LF", "CRLF"])
def test_the_limit_counts_a_line_without_its_line_break(
    tmp_path: Path, workers: str, eol: str
) -> None:
    record = dumps(FULL)
    limit = len(record)
    longer = record[:-1] + " }"  # one byte more
    path = write(tmp_path / "lines.jsonl", eol.join([record, longer, record, ""]))
    options = ["--output", "json", "--max-bytes", str(limit), "--workers", workers]
    result = run("validate", *options, path)
    error = {"path": "", "message": over(limit), "keyword": "maxBytes"}
    assert result.records == [{"file": str(path), "line": 2, "errors": [error]}]
    assert (result.status, result.summary) == (1, counted(3, 2, 1))


def test_an_endless_file_is_refused_at_the_limit() -> None:
    result = run("validate", "--max-bytes", "1000", "/dev/zero", timeout=20)
    assert result == Run(1, f"/dev/zero:1: (root): {over(1000)}\n", summary(1, 0, 1))


def test_an_endless_standard_input_is_refused_at_the_limit() -> None:
    assert SCRIPT is not None
    endless = "import sys\nwhile True: sys.stdout.buffer.write(b' ' * 65536)"
    with subprocess.Popen(
        [sys.executable, "-c", endless], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    ) as writer:
        try:
            done = subprocess.run(
                [SCRIPT, "validate", "-"], stdin=writer.stdout, capture_output=True, timeout=20
            )
        finally:
            writer.kill()
    assert (done.returncode, done.stdout.decode()) == (1, f"<stdin>:1: (root): {over(1048576)}\n")


# -- what is not a regular file ------------------------------------------------------------------


def test_a_fifo_under_a_directory_is_skipped_unopened(tmp_path: Path) -> None:
    write(tmp_path / "a.json", dumps(FULL))
    os.mkfifo(tmp_path / "b.json")  # opening it would wait for a writer, forever
    write(tmp_path / "c.jsonl", dumps(FULL))
    result = run("validate", tmp_path, timeout=20)
    assert result == Run(
        2,
        "",
        f"sessionschema: cannot read {tmp_path / 'b.json'}: not a regular file (a FIFO)\n"
        + summary(2, 2, 0),
    )


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_fifo_named_on_the_command_line_is_read_as_a_stream(tmp_path: Path, workers: str) -> None:
    fifo = tmp_path / "sessions.jsonl"  # as `validate <(command)` names one
    os.mkfifo(fifo)
    assert SCRIPT is not None
    with subprocess.Popen(
        [SCRIPT, "validate", "--workers", workers, fifo],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as proc:
        feed_fifo(fifo, f"{dumps(FULL)}\n[]\n".encode())
        out, err = proc.communicate(timeout=20)
    assert proc.returncode == 1
    assert out.decode() == f"{fifo}:2: (root): expected an object, got array of 0 items\n"
    assert err.decode() == summary(2, 1, 1)


# -- output that cannot be written ---------------------------------------------------------------


def shell(redirection: str, *args: str | Path) -> Run:
    """The installed command with ``args``, its output redirected by ``sh``."""
    assert SCRIPT is not None
    done = subprocess.run(
        ["sh", "-c", f'exec "$@" {redirection}', "sh", SCRIPT, *map(str, args)],
        capture_output=True,
        timeout=60,
    )
    return Run(done.returncode, done.stdout.decode(), done.stderr.decode())


CLOSED = "sessionschema: cannot write to standard output: it is closed\n"
FULL_DISK = "sessionschema: cannot write to standard output: No space left on device\n"


@pytest.mark.parametrize(
    ("redirection", "command", "expected"),
    [
        (">&-", ["example"], Run(2, "", CLOSED)),
        (">&-", ["validate", "ok"], Run(2, "", CLOSED)),
        (">/dev/full", ["example"], Run(2, "", FULL_DISK)),
        (">/dev/full", ["validate", "bad"], Run(2, "", FULL_DISK)),
        ("2>&-", ["validate", "ok"], Run(2, "", "")),  # nowhere to say it: quietly
        ("2>/dev/full", ["validate", "ok"], Run(2, "", "")),
        ("2>&-", ["schema", "--model", "billing"], None),  # stderr is not needed: it runs
    ],
)
def test_output_that_cannot_be_written_is_status_2_not_a_bug(
    tmp_path: Path, redirection: str, command: list[str], expected: Run | None
) -> None:
    if "/dev/full" in redirection and not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    files = {"ok": dumps(FULL), "bad": "[]\n" * 20_000}  # bad: more than a buffer of output
    args = [
        str(write(tmp_path / f"{arg}.jsonl", files[arg])) if arg in files else arg
        for arg in command
    ]
    result = shell(redirection, *args)
    if expected is None:
        assert (result.status, result.err) == (0, "")
        assert json.loads(result.out) == ss.schema(ss.Billing)
    else:
        assert result == expected


@pytest.mark.parametrize("command", [["example"], ["validate", "bad"]])
def test_a_pipe_closed_by_its_reader_ends_the_command_quietly(
    tmp_path: Path, command: list[str]
) -> None:
    bad = write(tmp_path / "bad.jsonl", "[]\n" * 20_000)
    args = [str(bad) if arg == "bad" else arg for arg in command]
    reader, writer = os.pipe()
    os.close(reader)  # a reader that went away before the first byte
    assert SCRIPT is not None
    try:
        done = subprocess.run([SCRIPT, *args], stdout=writer, stderr=subprocess.PIPE, timeout=60)
    finally:
        os.close(writer)
    assert (done.returncode, done.stderr.decode()) == (141, "")


def test_the_exit_statuses_are_in_the_help() -> None:
    for args in (["--help"], ["validate", "--help"]):
        text = " ".join(run(*args).out.split())
        assert "141 (128+SIGPIPE)" in text
        assert "2 usage error" in text


# -- one line per problem ------------------------------------------------------------------------


LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
"""Every character that str.splitlines() splits on."""
texts = st.text(st.characters(codec="utf-8") | st.sampled_from(LINE_BREAKS))


@given(
    file=texts,
    line=st.integers(1, 10**9),
    problems=st.lists(st.tuples(texts, texts), min_size=1, max_size=5),
)
@example(file="a\u2028b", line=1, problems=[("/x\u2029", "got '\x85'")])
def test_text_output_is_one_line_per_problem_for_any_reader(
    file: str, line: int, problems: list[tuple[str, str]]
) -> None:
    errors = [ss.Error(path, message, "type") for path, message in problems]
    assert len(format_text(file, line, errors).splitlines()) == len(errors)
    assert len(format_json(file, line, errors).splitlines()) == 1
    (record,) = [json.loads(text) for text in format_json(file, line, errors).splitlines()]
    assert record == {"file": file, "line": line, "errors": [e.to_dict() for e in errors]}


def test_line_separators_in_a_key_are_escaped(tmp_path: Path) -> None:
    path = write(tmp_path / "keys.json", dumps(valid_payload(**{"a\u2028b\u2029\x85": 1})))
    result = run("validate", "--strict", path)
    assert result.out.splitlines() == [
        f"{path}:1: /a\\u2028b\\u2029\\x85: unknown property 'a\\u2028b\\u2029\\x85' (strict mode)"
    ]
    as_json = run("validate", "--strict", "--output", "json", path)
    assert len(as_json.records) == len(as_json.out.splitlines()) - 1 == 1


# -- a worker process that dies ------------------------------------------------------------------


def test_a_worker_process_that_dies_stops_the_run_with_status_2(tmp_path: Path) -> None:
    psutil = pytest.importorskip("psutil")
    path = write(tmp_path / "many.jsonl", (dumps(FULL) + "\n").encode() * 200_000)
    assert SCRIPT is not None
    with subprocess.Popen(
        [SCRIPT, "validate", "--workers", "2", path],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as proc:
        try:
            command = psutil.Process(proc.pid)
            workers: list[Any] = []
            deadline = time.monotonic() + 20
            while not workers and proc.poll() is None and time.monotonic() < deadline:
                with contextlib.suppress(psutil.Error):  # forked: the command's command line
                    workers = [p for p in command.children() if p.cmdline() == command.cmdline()]
                time.sleep(0.01)
            assert workers, "no worker process was seen while the command ran"
            workers[0].kill()
            out, err = proc.communicate(timeout=30)
        finally:
            proc.kill()
    assert (proc.returncode, out) == (2, b"")
    message, last = err.decode().splitlines()
    assert message == (
        "sessionschema: a worker process ended abruptly (killed, or out of memory): "
        "the run stops here"
    )
    assert last.endswith(" invalid (against create-session-request-body, camel)")


# -- what a new user meets first: the summary, notes, JSON Lines, terminal conventions -----------

THREAD = cli.example(ss.CreateThreadRequest, "camel")
"""A thread payload: valid as the legacy model too, whose keys it holds, with four more."""
OTHER_MODEL = (
    "note: records have keys of create-thread-request (title, client, repo, kind); "
    "pass --model create-thread-request\n"
)


def test_the_summary_names_the_model_and_the_wire(tmp_path: Path) -> None:
    path = write(tmp_path / "thread.json", dumps(cli.example(ss.Thread, "snake")))
    result = run("validate", "--model", "thread", "--style", "snake", "--strict", path)
    assert result == Run(0, "", "1 checked, 1 valid, 0 invalid (against thread, snake, strict)\n")


def test_records_of_another_model_are_noted_once_with_the_option(tmp_path: Path) -> None:
    for number in range(3):
        write(tmp_path / f"thread-{number}.json", dumps(THREAD))
    write(tmp_path / "thread-3.json", dumps({**THREAD, "duration": "x"}))
    result = run("validate", tmp_path)
    assert result.status == 1
    assert result.err == OTHER_MODEL + summary(4, 3, 1)
    assert run("validate", "--model", "create-thread-request", tmp_path).err == summary(
        4, 3, 1, "create-thread-request"
    )


def test_keys_that_no_model_knows_are_no_note(tmp_path: Path) -> None:
    path = write(tmp_path / "extra.json", dumps(valid_payload(somethingElse=1)))
    assert run("validate", path) == Run(0, "", summary(1, 1, 0))


def test_json_lines_read_as_one_document_suggest_lines() -> None:
    stdin = f"{dumps(FULL)}\n{dumps(FULL)}\n".encode()
    result = run("validate", "-", stdin=stdin)
    assert result.out == "<stdin>:1: (root): invalid JSON: Extra data at line 2 column 1\n"
    assert result.err == (
        "note: <stdin> holds one JSON value per line (JSON Lines); pass --lines\n"
        + summary(1, 0, 1)
    )
    assert run("validate", "--lines", "-", stdin=stdin) == Run(0, "", summary(2, 2, 0))
    broken = run("validate", "-", stdin=b'{"a": 1}\n{"b": \n')  # not JSON Lines either
    assert "--lines" not in broken.err


def test_the_root_is_spelled_alike_on_the_command_line_and_in_the_library() -> None:
    result = run("validate", "-", stdin=b"[]")
    with pytest.raises(ss.ValidationError) as info:
        ss.loads(b"[]")
    line = "(root): expected an object, got array of 0 items"
    assert result.out == f"<stdin>:1: {line}\n"
    assert str(info.value) == line
    assert info.value.to_problem()["detail"] == f"1 problem found; the first: {line}"
    assert info.value.errors[0].path == ""  # the JSON Pointer itself stays empty


@pytest.mark.parametrize(
    ("style", "payload", "note"),
    [
        ("snake", FULL, "records use camelCase keys (contactIds, externalId, projectId); "),
        ("camel", SNAKE, "records use snake_case keys (contact_ids, external_id, project_id); "),
    ],
    ids=["camel read as snake", "snake read as camel"],
)
def test_a_body_in_the_other_style_is_noted(
    tmp_path: Path, style: ss.Style, payload: dict[str, Any], note: str
) -> None:
    path = write(tmp_path / "body.json", dumps(payload))
    result = run("validate", "--style", style, path)
    assert result.status == 1
    assert result.out.count("required property is missing") == 9
    other = "camel" if style == "snake" else "snake"
    assert result.err == f"note: {note}pass --style {other}\n" + summary(1, 0, 1, style=style)
    assert run("validate", "--style", other, path).err == summary(1, 1, 0, style=other)


def test_json_output_is_json_lines_to_the_last_line(tmp_path: Path) -> None:
    bad = write(tmp_path / "a.json", dumps(valid_payload(duration="1")))
    (tmp_path / "b.json").symlink_to(tmp_path / "gone.json")  # found by the walk, not readable
    write(tmp_path / "c.json", dumps(THREAD))
    result = run("validate", "--output", "json", tmp_path)
    assert (result.status, result.err) == (2, "")
    assert [json.loads(line) for line in result.out.splitlines()] == [
        {
            "file": str(bad),
            "line": 1,
            "errors": [
                {
                    "path": "/duration",
                    "message": "expected a number, got string '1'",
                    "keyword": "type",
                }
            ],
        },
        {"failure": f"cannot read {tmp_path / 'b.json'}: No such file or directory"},
        counted(2, 1, 1, failures=1, notes=[OTHER_MODEL[len("note: ") : -1]]),
    ]


def test_json_output_of_a_path_that_does_not_exist(tmp_path: Path) -> None:
    result = run("validate", "--output", "json", "--style", "snake", tmp_path / "nope.json")
    assert (result.status, result.err) == (2, "")
    assert result.lines == [
        {"failure": f"cannot read {tmp_path / 'nope.json'}: No such file or directory"},
        counted(0, 0, 0, failures=1, style="snake"),
    ]


def test_quiet_prints_the_problems_only(tmp_path: Path) -> None:
    path = write(tmp_path / "thread.json", dumps({**THREAD, "duration": "x"}))
    expected = f"{path}:1: /duration: expected a number, got string 'x'\n"
    assert run("validate", "-q", path) == Run(1, expected, "")
    assert run("validate", "--quiet", "--output", "json", path).lines == [
        {
            "file": str(path),
            "line": 1,
            "errors": [
                {
                    "path": "/duration",
                    "message": "expected a number, got string 'x'",
                    "keyword": "type",
                }
            ],
        }
    ]


def in_a_terminal(*args: str | Path, env: dict[str, str] | None = None) -> str:
    """What the command writes to stdout and stderr when both are a terminal (a pty)."""
    import pty

    assert SCRIPT is not None
    leader, follower = pty.openpty()
    try:
        done = subprocess.run(
            [SCRIPT, *map(str, args)],
            stdin=subprocess.DEVNULL,
            stdout=follower,
            stderr=follower,
            env={**os.environ, "TERM": "xterm", **(env or {})},
            timeout=60,
        )
        os.close(follower)
        follower = -1
        chunks = []
        with contextlib.suppress(OSError):  # EIO once the terminal is read to its end
            while chunk := os.read(leader, 65536):
                chunks.append(chunk)
    finally:
        os.close(leader)
        if follower >= 0:
            os.close(follower)
    assert done.returncode == 1
    return b"".join(chunks).decode().replace("\r\n", "\n")


def test_colour_on_a_terminal_only_unless_asked_or_no_color(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.json", dumps(valid_payload(duration="1")))
    problem = "expected a number, got string '1'"
    coloured = f"\x1b[1m{path}:1:\x1b[0m \x1b[33m/duration\x1b[0m: {problem}\n"
    plain = f"{path}:1: /duration: {problem}\n"
    assert in_a_terminal("validate", path).startswith(coloured)
    assert "\x1b[31;1m1 invalid\x1b[0m" in in_a_terminal("validate", path)
    assert "\x1b[" not in in_a_terminal("validate", path, env={"NO_COLOR": "1"})
    assert "\x1b[" not in in_a_terminal("validate", "--color", "never", path)
    assert run("validate", path).out == plain  # a pipe: no colour
    assert run("validate", "--color", "always", path).out == coloured
    forced = run("validate", "--color", "always", "--output", "json", path)
    assert "\x1b[" not in forced.out  # JSON is never coloured


def test_the_summary_writes_numbers_as_the_progress_line_does() -> None:
    err = io.StringIO()
    out = Output(io.StringIO(), "standard output")
    against = Against("thread", "camel")
    writer = Writer("text", Progress(err, False), out, Output(err, "err"), against=against)
    writer.checked, writer.invalid = 1_800_000, 1_274_000
    writer.close()
    assert (
        err.getvalue()
        == "1,800,000 checked, 526,000 valid, 1,274,000 invalid (against thread, camel)\n"
    )
    progress = io.StringIO()
    line = Progress(progress, enabled=True)
    line.due = 0
    line.update(1_274_000)
    assert progress.getvalue().startswith("\r1,274,000 records, ")


@pytest.mark.parametrize("name", ["CreateThreadRequest", "create-thread-request"])
def test_model_takes_the_class_name_too(tmp_path: Path, name: str) -> None:
    path = write(tmp_path / "thread.json", dumps(THREAD))
    result = run("validate", "--model", name, path)
    assert result == Run(0, "", summary(1, 1, 0, "create-thread-request"))
    assert (
        run("example", "--model", name).out
        == run("example", "--model", "create-thread-request").out
    )


@pytest.mark.parametrize(
    ("command", "words"),
    [("schema", "Print the JSON Schema"), ("example", "Print a valid payload")],
)
def test_schema_and_example_are_described_in_their_help(
    command: str, words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main([command, "--help"]) == 0
    assert words in capsys.readouterr().out
