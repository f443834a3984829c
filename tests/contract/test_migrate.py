"""The migration from the legacy sessions contract to the threads: ``thread_from_session``,
``thread_from_response`` and ``sessionschema migrate``.

The pointers and keys the tests expect are written out here by hand, for both styles: they are
the independent reading of the contract (../shared/reference/threads.md, "Legacy → current").
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import sessionschema as ss
from sessionschema import cli
from sessionschema.strategies import objects

# -- legacy objects --------------------------------------------------------------------------------

STARTED = datetime(2024, 5, 6, 7, 8, 9, 500000, tzinfo=timezone(timedelta(hours=2)))
UPDATED = datetime(2024, 5, 6, 8, 0, tzinfo=timezone.utc)

SESSION = ss.CreateSessionRequestBody(
    external_id="chat-1",
    duration=789.62,
    contact_ids=("c1", "c2"),
    billing=ss.Billing(input_cost=400.03, output_cost=5357, total_cost=5757.03),
    usage=ss.CreateSessionUsage(prompt_tokens=4574.0, completion_tokens=1378, total_tokens=5952.0),
    traces_count=2974.0,
    tags=("support", "é"),
    project_id="proj_7f3a",
    started_at=STARTED,
    updated_at=UPDATED,
)
"""A legacy request body whose counts are all integral (floats and ints), every optional set."""

RESPONSE = ss.CreateSessionResponseBody(
    **attrs.asdict(SESSION, recurse=False), id="6638a1f2", workspace_id="ws_1"
)


def session(**changes: Any) -> ss.CreateSessionRequestBody:
    """:data:`SESSION` with attributes replaced (``usage`` values by their names too)."""
    usage = {name: changes.pop(name) for name in list(changes) if name.endswith("_tokens")}
    if usage:
        changes["usage"] = attrs.evolve(SESSION.usage, **usage)
    return attrs.evolve(SESSION, **changes)


def response(**changes: Any) -> ss.CreateSessionResponseBody:
    """:data:`RESPONSE` with attributes replaced, as :func:`session`."""
    usage = {name: changes.pop(name) for name in list(changes) if name.endswith("_tokens")}
    if usage:
        changes["usage"] = attrs.evolve(RESPONSE.usage, **usage)
    return attrs.evolve(RESPONSE, **changes)


# The counts: attribute path -> pointer in each style, written by hand.
COUNTS: dict[tuple[str, ...], dict[str, str]] = {
    ("traces_count",): {"camel": "/tracesCount", "snake": "/traces_count"},
    ("usage", "prompt_tokens"): {"camel": "/usage/promptTokens", "snake": "/usage/prompt_tokens"},
    ("usage", "completion_tokens"): {
        "camel": "/usage/completionTokens",
        "snake": "/usage/completion_tokens",
    },
    ("usage", "total_tokens"): {"camel": "/usage/totalTokens", "snake": "/usage/total_tokens"},
}
KEYS = {
    "camel": {"tracesCount": "tracesCount", "projectId": "projectId", "workspaceId": "workspaceId"},
    "snake": {
        "tracesCount": "traces_count",
        "projectId": "project_id",
        "workspaceId": "workspace_id",
    },
}
USAGE_KEYS = {
    "camel": ("promptTokens", "completionTokens", "totalTokens"),
    "snake": ("prompt_tokens", "completion_tokens", "total_tokens"),
}


def count(obj: Any, path: tuple[str, ...]) -> Any:
    for name in path:
        obj = getattr(obj, name)
    return obj


def integral(value: int | float) -> bool:
    return isinstance(value, int) or value.is_integer()


def exact(data: Any) -> str:
    """JSON text that tells 1 from 1.0 and -0.0 from 0, keys sorted: equal texts, equal dumps."""
    return json.dumps(data, sort_keys=True)


def migrate(legacy: ss.CreateSessionRequestBody, style: ss.Style = "camel") -> Any:
    if isinstance(legacy, ss.CreateSessionResponseBody):
        return ss.thread_from_response(legacy, style=style)
    return ss.thread_from_session(legacy, style=style)


# -- the functions -------------------------------------------------------------------------------


def test_a_session_becomes_a_create_thread_request() -> None:
    thread = ss.thread_from_session(SESSION)
    assert thread == ss.CreateThreadRequest(
        external_id="chat-1",
        duration=789.62,
        contact_ids=("c1", "c2"),
        billing=ss.ThreadBilling(input_cost=400.03, output_cost=5357, total_cost=5757.03),
        usage=ss.ThreadUsage(prompt_tokens=4574, completion_tokens=1378, total_tokens=5952),
        traces_count=2974,
        tags=("support", "é"),
        project_id="proj_7f3a",
        started_at=STARTED,
        updated_at=UPDATED,
    )
    assert type(thread) is ss.CreateThreadRequest


def test_integral_float_counts_become_ints_and_ints_stay_ints() -> None:
    thread = ss.thread_from_session(SESSION)
    counts = [
        thread.traces_count,
        thread.usage.prompt_tokens,
        thread.usage.completion_tokens,
        thread.usage.total_tokens,
    ]
    assert counts == [2974, 4574, 1378, 5952]
    assert [type(value) for value in counts] == [int] * 4
    assert ss.dump(thread)["tracesCount"] == 2974
    assert ss.dumps(thread).count("2974") == 1
    assert '"tracesCount":2974,' in ss.dumps(thread)
    assert '"usage":{"promptTokens":4574,"completionTokens":1378,"totalTokens":5952}' in ss.dumps(
        thread
    )


@pytest.mark.parametrize(
    ("legacy", "migrated"),
    [
        (-0.0, 0),
        (5.0, 5),
        (1e21, 10**21),
        (2.0**64, 2**64),
        (10**30, 10**30),
        (-(2**63), -(2**63)),
        (1.7976931348623157e308, int(1.7976931348623157e308)),
    ],
)
def test_counts_at_the_edges(legacy: int | float, migrated: int) -> None:
    thread = ss.thread_from_session(session(traces_count=legacy, total_tokens=legacy))
    assert (thread.traces_count, thread.usage.total_tokens) == (migrated, migrated)
    assert type(thread.traces_count) is int
    assert type(thread.usage.total_tokens) is int


@pytest.mark.parametrize("style", ["camel", "snake"])
def test_every_non_integral_count_is_listed_with_its_pointer(style: ss.Style) -> None:
    legacy = session(
        traces_count=2974.44, prompt_tokens=4574.01, completion_tokens=0.5, total_tokens=5e-324
    )
    with pytest.raises(ss.ValidationError) as info:
        ss.thread_from_session(legacy, style=style)
    paths = [pointers[style] for pointers in COUNTS.values()]
    expected = {
        paths[0]: "expected an integer, got number 2974.44",
        paths[1]: "expected an integer, got number 4574.01",
        paths[2]: "expected an integer, got number 0.5",
        paths[3]: "expected an integer, got number 5e-324",
    }
    assert info.value.errors == tuple(
        ss.Error(path, expected[path], "type") for path in sorted(expected)
    )
    assert str(info.value).splitlines()[0] == f"{paths[0]}: expected an integer, got number 2974.44"


@pytest.mark.parametrize("style", ["camel", "snake"])
def test_only_the_non_integral_counts_are_listed(style: ss.Style) -> None:
    with pytest.raises(ss.ValidationError) as info:
        ss.thread_from_response(response(completion_tokens=1378.73), style=style)
    path = "/usage/completionTokens" if style == "camel" else "/usage/completion_tokens"
    assert info.value.errors == (ss.Error(path, "expected an integer, got number 1378.73", "type"),)


def test_the_message_is_the_one_load_gives_for_a_thread() -> None:
    payload = ss.dump(ss.thread_from_session(SESSION))
    payload["tracesCount"] = 2974.44
    (loaded,) = ss.errors(payload, ss.CreateThreadRequest)
    with pytest.raises(ss.ValidationError) as info:
        ss.thread_from_session(session(traces_count=2974.44))
    assert info.value.errors == (loaded,)


def test_a_null_project_id_becomes_absent() -> None:
    thread = ss.thread_from_session(session(project_id=None))
    assert thread.project_id is None
    for style in ("camel", "snake"):
        assert KEYS[style]["projectId"] not in ss.dump(thread, style=style)
    assert "projectId" not in ss.dump(ss.thread_from_response(response(project_id=None)))


@pytest.mark.parametrize("project_id", ["proj_7f3a", ""])
def test_a_project_id_is_kept(project_id: str) -> None:
    assert ss.thread_from_session(session(project_id=project_id)).project_id == project_id
    assert ss.dump(ss.thread_from_session(session(project_id=project_id)))["projectId"] == (
        project_id
    )


def test_a_response_becomes_a_thread_with_its_id_and_without_its_workspace() -> None:
    thread = ss.thread_from_response(RESPONSE)
    assert type(thread) is ss.Thread
    assert thread.id == "6638a1f2"
    assert not hasattr(thread, "workspace_id")
    assert thread == ss.Thread(
        **attrs.asdict(ss.thread_from_session(SESSION), recurse=False), id="6638a1f2"
    )
    assert ss.dump(thread)["id"] == "6638a1f2"
    assert ss.dump(thread, style="snake")["_id"] == "6638a1f2"
    assert "workspaceId" not in ss.dump(thread)
    assert "workspace_id" not in ss.dump(thread, style="snake")


def test_everything_else_is_kept_as_it_is() -> None:
    thread = ss.thread_from_response(RESPONSE)
    assert thread.external_id == "chat-1"
    assert thread.duration == 789.62
    assert thread.contact_ids == ("c1", "c2")
    assert thread.tags == ("support", "é")
    assert thread.started_at == STARTED
    assert thread.started_at is not None
    assert thread.started_at.utcoffset() == timedelta(hours=2)  # the offset too
    assert thread.updated_at == UPDATED
    billing = (thread.billing.input_cost, thread.billing.output_cost, thread.billing.total_cost)
    assert billing == (400.03, 5357, 5757.03)
    assert [type(cost) for cost in billing] == [float, int, float]  # numbers stay as they were
    assert (thread.title, thread.client, thread.repo, thread.kind) == (None, None, None, None)
    dumped = ss.dump(thread)
    assert dumped["startedAt"] == "2024-05-06T07:08:09.5+02:00"
    assert dumped["updatedAt"] == "2024-05-06T08:00:00Z"
    assert dumped["billing"] == {"inputCost": 400.03, "outputCost": 5357, "totalCost": 5757.03}


def test_absent_dates_stay_absent_and_durations_keep_their_type() -> None:
    thread = ss.thread_from_session(session(started_at=None, updated_at=None, duration=1840))
    assert (thread.started_at, thread.updated_at) == (None, None)
    assert type(thread.duration) is int
    assert "startedAt" not in ss.dump(thread)
    assert "updatedAt" not in ss.dump(thread)


def test_a_response_is_a_session_too() -> None:
    assert ss.thread_from_session(RESPONSE) == ss.thread_from_session(SESSION)


def test_what_is_not_a_legacy_object_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="expected a CreateSessionResponseBody, got "):
        ss.thread_from_response(SESSION)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="expected a CreateSessionRequestBody, got dict"):
        ss.thread_from_session(ss.dump(SESSION))  # type: ignore[arg-type]


def test_an_unknown_style_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="unknown style 'kebab'"):
        ss.thread_from_session(SESSION, style="kebab")  # type: ignore[arg-type]


# -- the round trip ------------------------------------------------------------------------------


@given(
    legacy=objects(ss.CreateSessionRequestBody) | objects(ss.CreateSessionResponseBody),
    style=st.sampled_from(["camel", "snake"]),
)
@example(legacy=SESSION, style="camel")
@example(legacy=RESPONSE, style="snake")
@example(legacy=session(project_id=None, started_at=None, updated_at=None), style="camel")
@example(legacy=response(project_id=None), style="snake")
@example(legacy=session(traces_count=-0.0, total_tokens=1e21), style="camel")
@example(legacy=session(prompt_tokens=1.7976931348623157e308, traces_count=2**64), style="snake")
@example(legacy=session(traces_count=2974.44), style="snake")
@example(legacy=response(total_tokens=5e-324, prompt_tokens=0.5), style="camel")
@example(
    legacy=session(
        traces_count=2974.44, prompt_tokens=4574.01, completion_tokens=1378.73, total_tokens=1e-7
    ),
    style="snake",
)
def test_migration_round_trip(legacy: ss.CreateSessionRequestBody, style: ss.Style) -> None:
    fractional = [
        (pointers[style], value)
        for path, pointers in COUNTS.items()
        if not integral(value := count(legacy, path))
    ]
    if fractional:
        with pytest.raises(ss.ValidationError) as info:
            migrate(legacy, style)
        assert info.value.errors == tuple(
            ss.Error(path, f"expected an integer, got number {value!r}", "type")
            for path, value in sorted(fractional)
        )
        return
    thread = migrate(legacy, style)
    expected = ss.dump(legacy, style=style)
    keys = KEYS[style]
    expected.pop(keys["projectId"], None)  # absent (None) in the legacy dump, or kept below
    expected.pop(keys["workspaceId"], None)
    if legacy.project_id is not None:
        expected[keys["projectId"]] = legacy.project_id
    expected[keys["tracesCount"]] = int(legacy.traces_count)
    for key in USAGE_KEYS[style]:
        expected["usage"][key] = int(expected["usage"][key])
    dumped = ss.dump(thread, style=style)
    assert exact(dumped) == exact(expected)
    assert ss.load(dumped, type(thread), style=style, strict=True) == thread


# -- the command line ----------------------------------------------------------------------------


def legacy_payload(**changes: Any) -> dict[str, Any]:
    """A legacy request body on the camel wire, counts integral but written as floats."""
    payload: dict[str, Any] = {
        "externalId": "chat-1",
        "duration": 789.62,
        "contactIds": ["c1"],
        "billing": {"inputCost": 400.03, "outputCost": 5357, "totalCost": 5757.03},
        "usage": {"promptTokens": 4574.0, "completionTokens": 1378, "totalTokens": 5952.0},
        "tracesCount": 2974.0,
        "tags": ["support"],
        "projectId": None,
        "startedAt": "2024-05-06T07:08:09.50+02:00",
    }
    return {**payload, **changes}


THREAD = (
    '{"externalId":"chat-1","duration":789.62,"contactIds":["c1"],'
    '"billing":{"inputCost":400.03,"outputCost":5357,"totalCost":5757.03},'
    '"usage":{"promptTokens":4574,"completionTokens":1378,"totalTokens":5952},'
    '"tracesCount":2974,"tags":["support"],"startedAt":"2024-05-06T07:08:09.5+02:00"}'
)
"""What ``migrate`` writes for :func:`legacy_payload`, camel."""
SNAKE_THREAD = (
    '{"external_id":"chat-1","duration":789.62,"contact_ids":["c1"],'
    '"billing":{"input_cost":400.03,"output_cost":5357,"total_cost":5757.03},'
    '"usage":{"prompt_tokens":4574,"completion_tokens":1378,"total_tokens":5952},'
    '"traces_count":2974,"tags":["support"],"started_at":"2024-05-06T07:08:09.5+02:00"}'
)
"""The same, snake."""


def snake_payload(**changes: Any) -> dict[str, Any]:
    """:func:`legacy_payload` on the snake wire, keys spelled out by hand."""
    payload: dict[str, Any] = {
        "external_id": "chat-1",
        "duration": 789.62,
        "contact_ids": ["c1"],
        "billing": {"input_cost": 400.03, "output_cost": 5357, "total_cost": 5757.03},
        "usage": {"prompt_tokens": 4574.0, "completion_tokens": 1378, "total_tokens": 5952.0},
        "traces_count": 2974.0,
        "tags": ["support"],
        "project_id": None,
        "started_at": "2024-05-06T07:08:09.50+02:00",
    }
    return {**payload, **changes}


def text(data: Any) -> str:
    return json.dumps(data, separators=(",", ":"))


def write(path: Path, content: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, "utf-8")
    return path


@attrs.frozen
class Run:
    status: int
    out: str
    err: str


def run(*args: str | Path, stdin: str = "") -> Run:
    """``python -m sessionschema`` with ``args``, as users run it."""
    done = subprocess.run(
        [sys.executable, "-m", "sessionschema", *map(str, args)],
        input=stdin.encode(),
        capture_output=True,
        timeout=60,
    )
    return Run(done.returncode, done.stdout.decode(), done.stderr.decode())


@pytest.fixture
def jsonl(tmp_path: Path) -> Path:
    """Six lines: valid, blank, malformed JSON, non-integral counts, invalid, valid (int counts,
    a project)."""
    lines = [
        text(legacy_payload()),
        "",
        '{"externalId": ',
        text(
            legacy_payload(
                tracesCount=2974.44, usage={**legacy_payload()["usage"], "totalTokens": 0.5}
            )
        ),
        text(legacy_payload(duration="1")),
        text(legacy_payload(tracesCount=3, projectId="proj_7f3a")),
    ]
    return write(tmp_path / "sessions.jsonl", "\n".join(lines) + "\n")


SECOND = THREAD.replace('"tracesCount":2974,', '"tracesCount":3,').replace(
    '"tags":["support"],', '"tags":["support"],"projectId":"proj_7f3a",'
)
"""What ``migrate`` writes for the last line of :func:`jsonl`."""


def test_a_json_file_is_migrated_to_one_line(tmp_path: Path) -> None:
    path = write(tmp_path / "session.json", json.dumps(legacy_payload(), indent=2))
    result = run("migrate", path)
    assert result == Run(0, THREAD + "\n", "1 read, 1 migrated, 0 not migrated\n")


def test_json_lines_problems_go_to_stderr_with_file_and_line(jsonl: Path) -> None:
    result = run("migrate", jsonl)
    assert result.status == 1
    assert result.out == THREAD + "\n" + SECOND + "\n"
    assert result.err == (
        f"{jsonl}:3: (root): invalid JSON: Expecting value at line 1 column 16\n"
        f"{jsonl}:4: /tracesCount: expected an integer, got number 2974.44\n"
        f"{jsonl}:4: /usage/totalTokens: expected an integer, got number 0.5\n"
        f"{jsonl}:5: /duration: expected a number, got string '1'\n"
        "5 read, 2 migrated, 3 not migrated\n"
    )


def test_problems_as_json_lines(jsonl: Path) -> None:
    result = run("migrate", "--output", "json", jsonl)
    assert result.status == 1
    assert result.out == THREAD + "\n" + SECOND + "\n"
    *problems, summary = result.err.splitlines()
    assert summary == "5 read, 2 migrated, 3 not migrated"
    assert [json.loads(line) for line in problems] == [
        {
            "file": str(jsonl),
            "line": 3,
            "errors": [
                {
                    "path": "",
                    "message": "invalid JSON: Expecting value at line 1 column 16",
                    "keyword": "json",
                }
            ],
        },
        {
            "file": str(jsonl),
            "line": 4,
            "errors": [
                {
                    "path": "/tracesCount",
                    "message": "expected an integer, got number 2974.44",
                    "keyword": "type",
                },
                {
                    "path": "/usage/totalTokens",
                    "message": "expected an integer, got number 0.5",
                    "keyword": "type",
                },
            ],
        },
        {
            "file": str(jsonl),
            "line": 5,
            "errors": [
                {
                    "path": "/duration",
                    "message": "expected a number, got string '1'",
                    "keyword": "type",
                }
            ],
        },
    ]


def test_stdin_is_one_document(tmp_path: Path) -> None:
    result = run("migrate", "-", stdin=json.dumps(legacy_payload()))
    assert result == Run(0, THREAD + "\n", "1 read, 1 migrated, 0 not migrated\n")
    result = run("migrate", stdin=json.dumps(legacy_payload(tracesCount=0.5)))
    assert result == Run(
        1,
        "",
        "<stdin>:1: /tracesCount: expected an integer, got number 0.5\n"
        "1 read, 0 migrated, 1 not migrated\n",
    )


def test_stdin_as_json_lines(jsonl: Path) -> None:
    result = run("migrate", "--lines", "-", stdin=jsonl.read_text("utf-8"))
    assert result.status == 1
    assert result.out == THREAD + "\n" + SECOND + "\n"
    assert (
        result.err.splitlines()[1]
        == "<stdin>:4: /tracesCount: expected an integer, got number 2974.44"
    )


def test_snake_in_snake_out(tmp_path: Path) -> None:
    lines = [text(snake_payload()), text(snake_payload(traces_count=1.5))]
    path = write(tmp_path / "snake.ndjson", "\n".join(lines))
    result = run("migrate", "--style", "snake", path)
    assert result == Run(
        1,
        SNAKE_THREAD + "\n",
        f"{path}:2: /traces_count: expected an integer, got number 1.5\n"
        "2 read, 1 migrated, 1 not migrated\n",
    )


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (["--output-style", "snake"], SNAKE_THREAD),
        (["--style", "snake", "--output-style", "camel"], THREAD),
        (["--style", "snake", "--output-style", "snake"], SNAKE_THREAD),
    ],
)
def test_the_output_style(tmp_path: Path, options: list[str], expected: str) -> None:
    payload = snake_payload() if "--style" in options else legacy_payload()
    path = write(tmp_path / "session.json", text(payload))
    assert run("migrate", *options, path) == Run(
        0, expected + "\n", "1 read, 1 migrated, 0 not migrated\n"
    )


def test_the_input_style_is_the_style_read(tmp_path: Path) -> None:
    path = write(tmp_path / "session.json", text(snake_payload()))
    result = run("migrate", "--strict", path)  # snake keys on the camel wire: unknown keys
    assert result.status == 1
    assert f"{path}:1: /external_id: unknown property 'external_id' (strict mode)\n" in result.err


def test_responses_become_threads(tmp_path: Path) -> None:
    camel = legacy_payload(id="6638a1f2", workspaceId="ws_1")
    snake = snake_payload(_id="6638a1f2", workspace_id="ws_1")
    path = write(tmp_path / "responses.jsonl", text(camel) + "\n" + text(legacy_payload()) + "\n")
    result = run("migrate", "--model", "create-session-response-body", path)
    assert result == Run(
        1,
        THREAD.replace(',"startedAt"', ',"id":"6638a1f2","startedAt"') + "\n",
        f"{path}:2: /id: required property is missing\n"
        f"{path}:2: /workspaceId: required property is missing\n"
        "2 read, 1 migrated, 1 not migrated\n",
    )
    path = write(tmp_path / "snake.json", text(snake))
    result = run("migrate", "--model", "create-session-response-body", "--style", "snake", path)
    assert result.status == 0
    assert json.loads(result.out) == {**json.loads(SNAKE_THREAD), "_id": "6638a1f2"}


def test_a_directory_is_read_in_path_order(tmp_path: Path) -> None:
    write(tmp_path / "in" / "b.json", text(legacy_payload(tracesCount=2)))
    write(tmp_path / "in" / "a" / "z.jsonl", text(legacy_payload(tracesCount=1)) + "\n")
    write(tmp_path / "in" / "notes.txt", "not read")
    result = run("migrate", tmp_path / "in")
    assert result.status == 0
    assert [json.loads(line)["tracesCount"] for line in result.out.splitlines()] == [1, 2]
    assert result.err == "2 read, 2 migrated, 0 not migrated\n"


def test_no_record_at_all_is_status_0() -> None:
    assert run("migrate", "--lines", stdin="\n\n") == Run(
        0, "", "0 read, 0 migrated, 0 not migrated\n"
    )


def test_the_output_is_what_the_current_contract_loads(jsonl: Path) -> None:
    for line in run("migrate", jsonl).out.splitlines():
        thread = ss.loads(line, ss.CreateThreadRequest, strict=True)
        assert type(thread.traces_count) is int


def test_a_line_over_the_limit(tmp_path: Path) -> None:
    path = write(tmp_path / "big.jsonl", text(legacy_payload(tags=["x" * 200])) + "\n")
    result = run("migrate", "--max-bytes", "100", path)
    assert result == Run(
        1,
        "",
        f"{path}:1: (root): JSON text of more than 100 bytes is over the limit of 100\n"
        "1 read, 0 migrated, 1 not migrated\n",
    )


@pytest.mark.parametrize(
    "args",
    [
        ["migrate", "--model", "billing"],
        ["migrate", "--model", "create-thread-request"],
        ["migrate", "--style", "kebab"],
        ["migrate", "--output-style", "kebab"],
        ["migrate", "--output", "xml"],
        ["migrate", "--workers", "2"],
        ["migrate", "--max-bytes", "0"],
    ],
)
def test_usage_errors_are_status_2(args: list[str]) -> None:
    result = run(*args)
    assert (result.status, result.out) == (2, "")
    assert result.err.startswith("usage: sessionschema")
    assert "error: " in result.err


def test_a_path_that_does_not_exist_is_status_2(tmp_path: Path, jsonl: Path) -> None:
    result = run("migrate", jsonl, tmp_path / "missing.json")
    assert result == Run(
        2,
        "",
        f"sessionschema: cannot read {tmp_path / 'missing.json'}: No such file or directory\n",
    )


def test_a_closed_stdout_pipe_is_141(tmp_path: Path) -> None:
    path = write(tmp_path / "many.jsonl", (text(legacy_payload()) + "\n") * 5000)
    reader, writer = os.pipe()
    os.close(reader)  # a reader that went away before the first byte
    try:
        done = subprocess.run(
            [sys.executable, "-m", "sessionschema", "migrate", str(path)],
            stdout=writer,
            stderr=subprocess.PIPE,
            timeout=60,
        )
    finally:
        os.close(writer)
    assert (done.returncode, done.stderr.decode()) == (141, "")


def test_the_help_names_the_options_and_statuses(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["migrate", "--help"]) == 0
    help_text = " ".join(capsys.readouterr().out.split())
    for option in ("--model", "--style", "--output-style", "--output", "--lines", "--strict"):
        assert option in help_text
    assert "141 (128+SIGPIPE)" in help_text
    assert "2 usage error" in help_text
    assert "create-session-response-body" in help_text


def test_in_process_with_capsys(jsonl: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["migrate", "--output-style", "snake", str(jsonl)]) == 1
    captured = capsys.readouterr()
    assert [json.loads(line)["traces_count"] for line in captured.out.splitlines()] == [2974, 3]
    assert captured.err.endswith("5 read, 2 migrated, 3 not migrated\n")


def test_a_file_that_cannot_be_read_is_status_2_and_the_rest_is_migrated(tmp_path: Path) -> None:
    write(tmp_path / "in" / "b.json", text(legacy_payload()))
    (tmp_path / "in" / "a.json").symlink_to(tmp_path / "nowhere.json")
    result = run("migrate", tmp_path / "in")
    assert result == Run(
        2,
        THREAD + "\n",
        f"sessionschema: cannot read {tmp_path / 'in' / 'a.json'}: No such file or directory\n"
        "1 read, 1 migrated, 0 not migrated\n",
    )
