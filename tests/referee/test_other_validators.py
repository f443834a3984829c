"""The contract reads the same in other validators: the conformance suite, run by each of them.

Every validator that asserts formats gives sessionschema's verdict on every case; every one that
treats ``format`` as an annotation (the default for draft 2020-12) differs only on February 29 of
a year that is not a leap year, which no regular expression can rule out.
"""

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import jsonschema_rs
import pytest
from hypothesis import example, given

import sessionschema as ss
from sessionschema import _rfc3339, strategies
from sessionschema.models import MODELS
from tools import conformance as _conformance

from ..support.suite import FILES, NODE_DIR, ROOT, disagreements, leap_day, node

SCHEMAS = {
    path.name: json.loads(path.read_text("utf-8"))
    for path in ROOT.glob("sessionschema/schemas/*.json")
}
PATTERN = SCHEMAS["create-session-request-body.schema.json"]["properties"]["startedAt"]["pattern"]

Case = tuple[str, str, str, Any, bool]
"""file, group, description, data, valid."""


def cases() -> list[Case]:
    return [
        (path.name, group["description"], test["description"], test["data"], test["valid"])
        for path in FILES
        for group in json.loads(path.read_text("utf-8"))
        for test in group["tests"]
    ]


def parts(path: Path) -> tuple[type, ss.Style, bool]:
    """The model, style and strictness of a file of the suite."""
    stem, style, *strict = path.name.removesuffix(".json").split(".")
    (cls,) = (
        cls for cls in MODELS if _conformance.file_name(cls, "camel", False) == stem + ".camel.json"
    )
    assert style in ("camel", "snake")
    return cls, style, bool(strict)  # type: ignore[return-value]


# -- the files -----------------------------------------------------------------------------------


def test_one_file_per_model_style_and_strictness() -> None:
    expected = {
        _conformance.file_name(cls, style, strict)
        for cls in MODELS
        for style in ("camel", "snake")
        for strict in (False, True)
    }
    assert {path.name for path in FILES} == expected
    assert len(expected) == 4 * len(MODELS)


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.name)
def test_the_committed_files_are_up_to_date(path: Path) -> None:
    fresh = _conformance.text(*parts(path))
    assert path.read_text("utf-8") == fresh, "stale: run `make conformance` and commit the files"


def test_the_suite_covers_every_decision_json_can_carry() -> None:
    descriptions = "\n".join(description for _, _, description, _, _ in cases())
    date_times = (
        *_conformance.GOOD_DATE_TIMES,
        *strategies.BAD_DATE_TIMES,
        *_conformance.EDGE_DATE_TIMES,
    )
    for needle in (
        *(f"the date-time {json.dumps(text)}" for text in date_times),
        "the number 5e-324",
        "the number 1.7976931348623157e+308",
        "the number 1000000000000000000000000000000",
        'not a number: "1"',
        "not a number: true",
        "/projectId: null",
        "/startedAt: null",
        "an item refused: null",
        "an empty array",
        "an unknown key in the root",
        "an unknown key in /billing",
        "/tracesCount absent (required)",
        "/projectId absent (optional)",
        "/contactIds spelled as the snake wire spells it",
        "not an object: []",
    ):
        assert needle in descriptions, needle
    verdicts = {valid for *_, valid in cases()}
    assert verdicts == {True, False}


def test_the_schemas_of_the_suite_are_the_bundled_ones() -> None:
    for path in FILES:
        cls, style, strict = parts(path)
        for group in json.loads(path.read_text("utf-8")):
            assert group["schema"] == ss.schema(cls, style=style, strict=strict)


# -- the date-time pattern and the one parser ----------------------------------------------------


def parser_accepts(text: str) -> bool:
    try:
        _rfc3339.parse(text)
    except _rfc3339.DateTimeError:
        return False
    return True


def pattern_accepts(text: str) -> bool:
    """As Python's jsonschema reads ``pattern``: ``re.search``."""
    return re.search(PATTERN, text) is not None


@given(strategies.date_time_texts())
@example("2024-05-06T07:08:09Z\n")
def test_the_pattern_accepts_what_the_parser_reads(text: str) -> None:
    assert pattern_accepts(text) == parser_accepts(text)


@pytest.mark.parametrize(
    "text",
    [
        *_conformance.GOOD_DATE_TIMES,
        *strategies.BAD_DATE_TIMES,
        *_conformance.EDGE_DATE_TIMES,
        "2024-05-06T07:08:09Z\n",
        "\n2024-05-06T07:08:09Z",
        "x2024-05-06T07:08:09Z",
        "2024-05-06T07:08:09Zx",
        "2024-05-06T07:08:09.\u0665Z",  # an Arabic-Indic digit
    ],
)
def test_the_pattern_and_the_parser_agree_but_on_leap_days(text: str) -> None:
    if text in _conformance.LEAP_DAYS:
        assert pattern_accepts(text)
        assert not parser_accepts(text)
    else:
        assert pattern_accepts(text) == parser_accepts(text)


def test_the_pattern_is_written_once_for_every_date_time() -> None:
    date_times = [
        node
        for document in SCHEMAS.values()
        for node in document.get("properties", {}).values()
        if node.get("format") == "date-time"
    ]
    # startedAt and updatedAt, in the legacy request and response and in the thread's create
    # request, thread and update request
    assert len(date_times) == 10
    assert {node["pattern"] for node in date_times} == {PATTERN}
    for unportable in ("\\d", "(?<", "\\p", "\\w"):  # \d and \w match other scripts in Python
        assert unportable not in PATTERN


# -- strict schemas ------------------------------------------------------------------------------


@pytest.mark.parametrize("style", ["camel", "snake"])
def test_the_strict_schema_refuses_unknown_keys_at_every_level(style: ss.Style) -> None:
    bundled = ss.schema(strict=True, style=style)
    assert bundled["additionalProperties"] is False
    assert all(d["additionalProperties"] is False for d in bundled["$defs"].values())
    assert bundled["$id"] != ss.schema(style=style)["$id"]
    assert "additionalProperties" not in ss.schema(style=style)


# -- the engines ---------------------------------------------------------------------------------


def only_leap_days(found: list[str]) -> None:
    assert found, "a validator without format assertion should miss February 29 of 2023"
    assert all(leap_day(description) for description in found), found


def test_sessionschema_itself() -> None:
    def verdict(schema: dict[str, Any]) -> Any:
        cls = next(cls for cls in MODELS if schema["title"] == cls.__name__)
        style: ss.Style = "snake" if ":snake:" in schema["$id"] else "camel"
        strict = ":strict:" in schema["$id"]
        return lambda data: ss.errors(data, cls, strict=strict, style=style) == []

    assert disagreements(verdict) == []


def test_python_jsonschema_with_format_assertion() -> None:
    checker = jsonschema.Draft202012Validator.FORMAT_CHECKER
    assert "date-time" in checker.checkers, "rfc3339-validator is not installed"
    assert (
        disagreements(lambda s: jsonschema.Draft202012Validator(s, format_checker=checker).is_valid)
        == []
    )


def test_python_jsonschema_without_format_assertion() -> None:
    only_leap_days(disagreements(lambda s: jsonschema.Draft202012Validator(s).is_valid))


def test_jsonschema_rs_with_format_validation() -> None:
    assert (
        disagreements(lambda s: jsonschema_rs.validator_for(s, validate_formats=True).is_valid)
        == []
    )


def test_jsonschema_rs_without_format_validation() -> None:
    only_leap_days(disagreements(lambda s: jsonschema_rs.validator_for(s).is_valid))


def test_ajv_with_and_without_ajv_formats() -> None:
    out = subprocess.run(
        [node(), str(NODE_DIR / "ajv-run.mjs"), *map(str, FILES)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    results = json.loads(out.stdout)
    assert len(results) == len(cases())
    assert [r["description"] for r in results if r["formats"] != r["expected"]] == []
    only_leap_days([r["description"] for r in results if r["annotation"] != r["expected"]])


# -- the documentation's snippet in JavaScript ----------------------------------------------------
# (The page's Python examples, jsonschema-rs and jsonschema among them, run with their output
# checked as every example of the docs does: conftest.py.)

PAGE = (ROOT / "docs" / "other-languages.md").read_text("utf-8")
SECTION = PAGE.split("\n## ajv (JavaScript)\n", 1)[1].split("\n## ", 1)[0]


def test_the_docs_ajv_snippet_runs(tmp_path: Path) -> None:
    (snippet,) = re.findall(r"```js\n(.*?)```", SECTION, re.DOTALL)
    (tmp_path / "schema.json").write_text(json.dumps(ss.schema(style="snake")), "utf-8")
    (tmp_path / "node_modules").symlink_to(NODE_DIR / "node_modules")
    (tmp_path / "check.mjs").write_text(snippet, "utf-8")
    out = subprocess.run(
        [node(), "check.mjs"], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["true", "false"]


@pytest.mark.parametrize("style", ["camel", "snake"])
def test_the_command_line_prints_the_strict_schema(style: ss.Style) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "sessionschema", "schema", "--strict", "--style", style],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(out.stdout) == ss.schema(style=style, strict=True)
