"""``make upstream`` (``tools/upstream.py``): the schema files against the official SDKs' models.

The tool is run for real, as ``make upstream`` runs it, on the pinned SDKs (``orq-ai-sdk`` 4 in
``.venv-sdk4``, 3.4.0 in this interpreter): every difference is explained and it exits 0. Then
on a copy of the schema folder with one property removed from one file and one added to another:
it exits 1 naming both. The rest reads the SDKs' models once and checks the decisions file's
own rules and the JSON output in this process.
"""

from __future__ import annotations

import copy
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tools import upstream

ROOT = Path(__file__).resolve().parents[2]
SDK4_PIN = re.search(
    r"^orq-ai-sdk==(\S+)$",
    (ROOT / "tests" / "sdk4" / "requirements.txt").read_text(encoding="utf-8"),
    re.MULTILINE,
)
SDK4 = SDK4_PIN.group(1) if SDK4_PIN else "?"
SDK3 = "3.4.0"


@pytest.fixture(scope="module", autouse=True)
def _sdk4() -> None:
    python = upstream.SOURCES[0].python
    if not python.exists():
        pytest.skip(
            f"{python.relative_to(ROOT)} is missing: run `make .venv-sdk4/.installed` "
            "(`make test` builds it)"
        )


@pytest.fixture(scope="module")
def sdks() -> list[upstream.SdkModels]:
    return upstream.sdk_shapes()


def tool(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tools.upstream", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def row(table: str, model: str, prop: str, aspect: str) -> list[str]:
    """The cells of the table's row for one difference (or one model that agrees)."""
    for line in table.splitlines():
        cells = [cell.strip() for cell in line.strip("|").split(" | ")]
        if cells[0] == model and cells[2] == prop and cells[3] == aspect:
            return cells
    raise AssertionError(f"no row {model} {prop} {aspect} in:\n{table}")


def test_pinned_sdks_every_difference_explained() -> None:
    done = tool()
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stderr == ""
    out = done.stdout
    assert out.splitlines()[-1] == (
        f"18 models compared with orq-ai-sdk {SDK4} (threads), orq-ai-sdk {SDK3} (legacy): "
        "every difference is explained"
    )
    assert "UNEXPLAINED" not in out
    sdk4, sdk3 = f"orq-ai-sdk {SDK4}", f"orq-ai-sdk {SDK3}"
    assert row(out, "CreateThreadRequest", "project_id", "nullable") == [
        *("CreateThreadRequest", sdk4, "project_id", "nullable", "no", "yes", "optional fields"),
    ]
    assert row(out, "ThreadFilters", "start_date", "type")[4:] == [
        "string matching ^[0-9]+$(?!\\n)",
        "string",
        "`startDate`, `endDate`",
    ]
    assert row(out, "UpdateThreadRequest", "-", "constraints")[4:] == [
        *("allOf (2)", "none", "exclusion"),
    ]
    assert row(out, "CreateSessionRequestBody", "started_at", "nullable")[1:] == [
        *(sdk3, "started_at", "nullable", "no", "yes", "Optional keys"),
    ]
    for model in ("ThreadKind", "SessionInterval"):
        assert row(out, model, "-", "all agree")[4:6] == ["values", "values"]
    for model in ("ListThreadsResponse", "ThreadUsage", "Billing (CreateSessionBilling)"):
        assert row(out, model, "-", "all agree")[2:] == ["-", "all agree", *["3 keys"] * 2, ""]


def planted(tmp_path: Path) -> Path:
    """A copy of the schema folder: ``title`` removed from Thread, ``nickname`` added to
    ThreadUsage."""
    folder = tmp_path / "schemas"
    shutil.copytree(upstream.SCHEMAS, folder)
    thread = folder / "thread.schema.json"
    schema = json.loads(thread.read_text(encoding="utf-8"))
    del schema["properties"]["title"]
    thread.write_text(json.dumps(schema), encoding="utf-8")
    usage = folder / "thread-usage.schema.json"
    schema = json.loads(usage.read_text(encoding="utf-8"))
    schema["properties"]["nickname"] = {"type": "string"}
    usage.write_text(json.dumps(schema), encoding="utf-8")
    return folder


def test_a_planted_difference_fails_naming_model_and_property(tmp_path: Path) -> None:
    done = tool("--schemas", str(planted(tmp_path)))
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stderr.splitlines() == [
        f"upstream: Thread.title: key differs: the schema files say 'absent', orq-ai-sdk {SDK4} "
        "says 'present', and no decision explains it",
        f"upstream: ThreadUsage.nickname: key differs: the schema files say 'present', "
        f"orq-ai-sdk {SDK4} says 'absent', and no decision explains it",
    ]
    assert row(done.stdout, "Thread", "title", "key")[4:] == ["absent", "present", "UNEXPLAINED"]
    assert row(done.stdout, "ThreadUsage", "nickname", "key")[4:] == [
        *("present", "absent", "UNEXPLAINED"),
    ]
    assert done.stdout.splitlines()[-1].endswith(": FAILED")


def decisions_file(tmp_path: Path, change: Any) -> Path:
    entries = json.loads(upstream.DECISIONS.read_text(encoding="utf-8"))
    change(entries["decisions"])
    path = tmp_path / "decisions.json"
    path.write_text(json.dumps(entries), encoding="utf-8")
    return path


def test_an_entry_that_explains_nothing_fails(
    tmp_path: Path, sdks: list[upstream.SdkModels]
) -> None:
    def stale(entries: list[dict[str, Any]]) -> None:
        entry = copy.deepcopy(entries[0])
        entry.update(aspect="enum", schema="-", sdk="THREAD_KIND_UNSPECIFIED")
        entries.append(entry)

    report = upstream.run(decisions=decisions_file(tmp_path, stale), read=sdks)
    assert not report.ok
    assert [failure.split("] ")[-1] for failure in report.failures()] == ["explains no difference"]


def test_an_entry_must_name_a_documented_decision(
    tmp_path: Path, sdks: list[upstream.SdkModels]
) -> None:
    def renamed(entries: list[dict[str, Any]]) -> None:
        entries[2]["decision"] = "a decision nobody wrote down"

    report = upstream.run(decisions=decisions_file(tmp_path, renamed), read=sdks)
    assert list(report.failures()) == [
        "decision entry [threads UpdateThreadRequest - constraints] names 'a decision nobody "
        "wrote down', which is not a decision of docs/contracts.md"
    ]


def test_a_schema_file_without_an_sdk_model_fails(
    tmp_path: Path, sdks: list[upstream.SdkModels]
) -> None:
    folder = tmp_path / "schemas"
    shutil.copytree(upstream.SCHEMAS, folder)
    (folder / "extra.schema.json").write_text(
        json.dumps({"$id": "urn:x:extra", "title": "Extra", "type": "object", "properties": {}}),
        encoding="utf-8",
    )
    report = upstream.run(schemas=folder, read=sdks)
    assert list(report.failures()) == [
        "Extra: a schema file that no model of the SDKs is compared with"
    ]


def test_json_output(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    sdks: list[upstream.SdkModels],
) -> None:
    monkeypatch.setattr(upstream, "sdk_shapes", lambda sdk=None: sdks)
    assert upstream.main(["--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found["ok"] is True
    assert found["failures"] == []
    assert found["sdks"] == {
        "threads": {"package": "orq-ai-sdk", "version": SDK4},
        "legacy": {"package": "orq-ai-sdk", "version": SDK3},
    }
    by_model = {(m["source"], m["model"]): m for m in found["models"]}
    assert len(by_model) == 18
    filters = by_model["threads", "ThreadFilters"]
    assert filters["properties"] == 8
    assert filters["differences"][0] == {
        "source": "threads",
        "model": "ThreadFilters",
        "property": "project_id",
        "aspect": "nullable",
        "schema": "no",
        "sdk": "yes",
        "decision": "optional fields",
    }
    assert by_model["legacy", "CreateSessionBilling"]["schema_title"] == "Billing"
    assert by_model["threads", "ThreadKind"]["differences"] == []


def test_enum_values_and_types_are_compared() -> None:
    ours = upstream.Shape("ThreadKind", enum=("A", "B"))
    theirs = upstream.Shape("ThreadKind", enum=("A", "B", "UNSPECIFIED"))
    assert [
        (d.aspect, d.schema, d.sdk) for d in upstream.compare("threads", "K", ours, theirs)
    ] == [("enum", "-", "UNSPECIFIED")]
    ours = upstream.Shape("M", {"n": upstream.Prop("integer")}, frozenset({"n"}))
    theirs = upstream.Shape("M", {"n": upstream.Prop("number", nullable=True)})
    assert [
        (d.aspect, d.schema, d.sdk) for d in upstream.compare("threads", "M", ours, theirs)
    ] == [
        ("required", "yes", "no"),
        ("type", "integer", "number"),
        ("nullable", "no", "yes"),
    ]
    assert [d.aspect for d in upstream.compare("threads", "M", ours, None)] == ["model"]


def test_entries_about_other_releases_explain_their_enum_values(
    sdks: list[upstream.SdkModels],
) -> None:
    """An older SDK 4's ThreadKind with the protobuf zero value: explained by the entry marked
    ``"pinned": false``, which the pinned SDK leaves unused without failing."""
    threads = sdks[0]
    older = dict(threads.shapes)
    older["ThreadKind"] = upstream.Shape(
        "ThreadKind",
        enum=("THREAD_KIND_UNSPECIFIED", "THREAD_KIND_CONVERSATION", "THREAD_KIND_CODING_AGENT"),
    )
    report = upstream.run(read=[upstream.SdkModels("threads", "4.15.0", older), sdks[1]])
    assert report.ok, list(report.failures())
    kind = next(c for c in report.comparisons if c.model == "ThreadKind")
    assert [(d.aspect, d.sdk, d.decision) for d in kind.differences] == [
        ("enum", "THREAD_KIND_UNSPECIFIED", "enums")
    ]
