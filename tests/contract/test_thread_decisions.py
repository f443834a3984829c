"""The decisions of the thread contract (/v2/sessions), one test each, as the decisions table of
docs/contracts.md states them; and the thread models through every entry point (the command
line, Dask)."""

import json
import subprocess
import sys
import typing
from pathlib import Path
from typing import Any

import pytest

import sessionschema as ss
from sessionschema._example import example

STYLES: tuple[ss.Style, ...] = ("camel", "snake")
CREATE = example(ss.CreateThreadRequest, "snake")
"""A full CreateThreadRequest on the snake wire (the HTTP API's)."""


def pairs(data: Any, cls: type = ss.CreateThreadRequest, **options: Any) -> list[tuple[str, str]]:
    return [(e.path, e.keyword) for e in ss.errors(data, cls, style="snake", **options)]


def changed(**changes: Any) -> dict[str, Any]:
    copied: dict[str, Any] = json.loads(json.dumps(CREATE))
    return copied | changes


# -- integers ------------------------------------------------------------------------------------


@pytest.mark.parametrize("written", ["5", "5.0", "5e0", "-0.0"])
def test_an_integer_may_be_written_with_a_zero_fraction_and_is_held_as_an_int(
    written: str,
) -> None:
    text = json.dumps(CREATE).replace('"traces_count": 12', f'"traces_count": {written}')
    thread = ss.loads(text, ss.CreateThreadRequest, style="snake")
    assert type(thread.traces_count) is int
    assert thread.traces_count == int(float(written))
    assert f'"traces_count":{int(float(written))},' in ss.dumps(thread, style="snake")


@pytest.mark.parametrize(
    ("where", "value"),
    [
        ("traces_count", 5.5),
        ("traces_count", True),
        ("traces_count", "5"),
        ("traces_count", None),
        ("usage", {"prompt_tokens": 1.5, "completion_tokens": "2", "total_tokens": False}),
    ],
)
def test_what_is_not_an_integer_is_refused_with_type(where: str, value: Any) -> None:
    found = ss.errors(changed(**{where: value}), ss.CreateThreadRequest, style="snake")
    assert found
    for error in found:
        assert error.keyword == "type"
        assert error.message.startswith("expected an integer, got "), error.message
    if where == "usage":
        assert [e.path for e in found] == [
            "/usage/completion_tokens",
            "/usage/prompt_tokens",
            "/usage/total_tokens",
        ]


@pytest.mark.parametrize("cls", [ss.ListThreadsRequest, ss.GetThreadCountRequest])
def test_limit_and_page_are_integers(cls: type) -> None:
    payload = {"filters": {"interval": "SESSION_INTERVAL_ALL_TIME"}, "limit": 20.0, "page": 2}
    loaded: Any = ss.load(payload, cls, style="snake")
    assert (type(loaded.limit), loaded.limit, loaded.page) == (int, 20, 2)
    assert pairs(payload | {"limit": 2.5, "page": "1"}, cls) == [
        ("/limit", "type"),
        ("/page", "type"),
    ]
    assert ss.load({"count": 3.0}, ss.GetThreadCountResponse).count == 3


# -- enums ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["THREAD_KIND_UNSPECIFIED", "thread_kind_conversation", "CONVERSATION", "", 1]
)
def test_a_thread_kind_is_one_of_the_references_values(value: Any) -> None:
    (error,) = ss.errors(changed(kind=value), ss.CreateThreadRequest, style="snake")
    assert (error.path, error.keyword) == ("/kind", "enum")
    assert error.message.startswith(
        "expected one of 'THREAD_KIND_CONVERSATION', 'THREAD_KIND_CODING_AGENT', got "
    )


def test_a_session_interval_is_one_of_the_references_ten_values() -> None:
    allowed = typing.get_args(ss.SessionInterval)
    assert len(allowed) == 10
    assert "SESSION_INTERVAL_UNSPECIFIED" not in allowed
    for interval in allowed:
        query = ss.load({"filters": {"interval": interval}}, ss.ListThreadsRequest, style="snake")
        assert query.filters.interval == interval
    refused = {"filters": {"interval": "SESSION_INTERVAL_UNSPECIFIED"}}
    (error,) = ss.errors(refused, ss.ListThreadsRequest, style="snake")
    assert (error.path, error.keyword) == ("/filters/interval", "enum")
    assert all(repr(value) in error.message for value in allowed)
    assert typing.get_args(ss.ThreadKind) == (
        "THREAD_KIND_CONVERSATION",
        "THREAD_KIND_CODING_AGENT",
    )


# -- optional fields are not nullable ------------------------------------------------------------


@pytest.mark.parametrize("key", ["project_id", "title", "client", "repo", "kind", "started_at"])
def test_null_in_an_optional_thread_field_is_refused(key: str) -> None:
    # a type problem; where an enum is expected, an enum problem that lists the values (the
    # enum keyword says which values are allowed, null is not one of them)
    keyword = "enum" if key == "kind" else "type"
    assert pairs(changed(**{key: None})) == [(f"/{key}", keyword)]
    assert pairs({key: None}, ss.UpdateThreadRequest) == [(f"/{key}", keyword)]


def test_the_legacy_project_id_stays_nullable() -> None:
    legacy = example(ss.CreateSessionRequestBody) | {"projectId": None}
    assert ss.load(legacy).project_id is None


# -- the exclusions of an update -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("flag", "listed"), [("clear_contact_ids", "contact_ids"), ("clear_tags", "tags")]
)
@pytest.mark.parametrize("style", STYLES)
def test_a_clear_flag_with_its_list_is_one_problem_at_the_list(
    flag: str, listed: str, style: ss.Style
) -> None:
    keys = {"snake": (flag, listed), "camel": (_camel(flag), _camel(listed))}[style]
    (error,) = ss.errors({keys[0]: True, keys[1]: ["a"]}, ss.UpdateThreadRequest, style=style)
    assert (error.path, error.keyword) == (f"/{keys[1]}", "not")
    assert keys[0] in error.message
    assert keys[1] in error.message
    assert ss.errors({keys[0]: False, keys[1]: ["a"]}, ss.UpdateThreadRequest, style=style) == []
    assert ss.load({keys[0]: True}, ss.UpdateThreadRequest, style=style) is not None
    with pytest.raises(ValueError, match=listed):
        ss.UpdateThreadRequest(**{flag: True, listed: ("a",)})  # type: ignore[arg-type]


def _camel(snake_key: str) -> str:
    head, *rest = snake_key.split("_")
    return head + "".join(part.title() for part in rest)


def test_an_empty_update_is_valid_and_dumps_empty() -> None:
    update = ss.load({}, ss.UpdateThreadRequest, strict=True)
    assert update == ss.UpdateThreadRequest()
    assert ss.dump(update, style="snake") == {}


# -- start and end dates -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "keyword"),
    [("1714979289000", None), ("0", None), ("", "pattern"), ("-1", "pattern"),
     ("1714979289000.5", "pattern"), ("2024-05-06", "pattern"), ("1e3", "pattern"),
     ("\u0661", "pattern"), (1714979289000, "type")],
)  # fmt: skip
def test_start_and_end_dates_are_ascii_decimal_digits(value: Any, keyword: str | None) -> None:
    for key in ("start_date", "end_date"):
        query = {"filters": {"interval": "SESSION_INTERVAL_ALL_TIME", key: value}}
        expected = [] if keyword is None else [(f"/filters/{key}", keyword)]
        assert pairs(query, ss.ListThreadsRequest) == expected


# -- the rest as the legacy contract decides ------------------------------------------------------


def test_date_times_strings_numbers_and_unknown_keys_as_in_the_legacy_contract() -> None:
    assert pairs(changed(started_at="2024-05-06T07:08:09")) == [("/started_at", "format")]
    assert pairs(changed(duration="1840.5")) == [("/duration", "type")]
    assert pairs(changed(duration=float("nan"))) == [("/duration", "type")]
    assert pairs(changed(external_id=1)) == [("/external_id", "type")]
    assert pairs(changed(extra=1)) == []
    assert pairs(changed(extra=1), strict=True) == [("/extra", "additionalProperties")]
    text = json.dumps(CREATE)[:-1] + ', "title": "a", "title": "b"}'
    assert ss.loads(text, ss.CreateThreadRequest, style="snake").title == "b"
    with pytest.raises(ss.ValidationError) as info:
        ss.loads(text, ss.CreateThreadRequest, style="snake", strict=True)
    # (three titles: each repeat is reported)
    assert [(e.path, e.keyword) for e in info.value.errors] == [("/title", "duplicateKey")] * 2


def test_a_thread_is_its_create_request_plus_its_id() -> None:
    thread = ss.load(CREATE | {"_id": "t1"}, ss.Thread, style="snake")
    assert thread.id == "t1"
    assert isinstance(thread, ss.CreateThreadRequest)
    assert ss.dump(thread)["id"] == "t1"
    assert ss.dump(thread, style="snake")["_id"] == "t1"
    assert pairs(CREATE, ss.Thread) == [("/_id", "required")]
    listing = ss.load({"object": "list", "data": [CREATE | {"_id": "t1"}], "has_more": False},
                      ss.ListThreadsResponse, style="snake")  # fmt: skip
    assert listing.data == (thread,)


# -- every entry point ---------------------------------------------------------------------------

ROOT = Path(__file__).parents[2]


@pytest.mark.parametrize("name", ["create-thread-request", "thread", "update-thread-request",
    "list-threads-request", "get-thread-count-request", "list-threads-response",
    "get-thread-count-response"])  # fmt: skip
def test_the_command_line_validates_every_thread_model(name: str, tmp_path: Path) -> None:
    command = [sys.executable, "-m", "sessionschema"]
    printed = subprocess.run(
        [*command, "example", "--model", name, "--style", "snake"],
        capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip
    good = tmp_path / "good.jsonl"
    valid = json.dumps(json.loads(printed.stdout))  # (printed indented: one line here)
    good.write_text(valid + "\n[]\n", "utf-8")
    out = subprocess.run(
        [*command, "validate", "--model", name, "--style", "snake", "--output", "json", str(good)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert out.returncode == 1, out.stderr
    problem, summary = [json.loads(line) for line in out.stdout.splitlines()]
    assert problem["line"] == 2
    assert (summary["model"], summary["style"], summary["invalid"]) == (name, "snake", 1)


def test_dask_validates_thread_payloads(tmp_path: Path) -> None:
    dask_api = pytest.importorskip("sessionschema.dask")
    lines = tmp_path / "threads.jsonl"
    lines.write_text(json.dumps(CREATE) + "\n" + json.dumps(changed(kind="X")) + "\n", "utf-8")
    import dask

    with dask.config.set(scheduler="synchronous"):
        results = dask_api.validate(str(lines), ss.CreateThreadRequest, style="snake").compute()
    assert [result.valid for result in results] == [True, False]
    assert [(e.path, e.keyword) for e in results[1].errors] == [("/kind", "enum")]
