"""The referee itself (tests/oracle.py): literal expectations, so that a mistake in the oracle
cannot hide the same mistake in the library; and it uses nothing of the library but its classes."""

import ast
import math
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

import sessionschema as ss

from .oracle import (
    NOT_JSON,
    SNAKE_KEYS,
    accepts,
    build,
    date_time,
    json_view,
    pointer,
    problems,
    read_date_time,
)
from .payloads import FULL, REFERENCE, valid_payload

REQUEST = ss.CreateSessionRequestBody


def test_the_oracle_imports_nothing_of_the_library_but_the_models() -> None:
    tree = ast.parse((Path(__file__).parent / "oracle.py").read_text("utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            imported.add(node.module or "")
        elif isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
    assert {name for name in imported if name.startswith("sessionschema")} == {
        "sessionschema.models"
    }


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        ([], ""),
        (["a"], "/a"),
        (["billing", "totalCost"], "/billing/totalCost"),
        (["tags", 0], "/tags/0"),
        (["a/b", "m~n"], "/a~1b/m~0n"),
        (["~1"], "/~01"),
        (["/~"], "/~1~0"),
        ([""], "/"),
        (["\udfaa"], "/\\udfaa"),
        (["x\ud800y\udbff"], "/x\\ud800y\\udbff"),
        (["\U0001f600é"], "/\U0001f600é"),  # a pair is a character, kept as it is
    ],
)
def test_pointers_follow_rfc_6901(parts: list[str | int], expected: str) -> None:
    assert pointer(parts) == expected


class Thing:
    pass


@pytest.mark.parametrize(
    "value",
    [
        math.nan, math.inf, -math.inf, int(1.7976931348623157e308) + 1, -(10**400), (), ("a",),
        set(), frozenset(), b"", bytearray(), "\ud800", "ok\udfff", {1: "a"}, {"a": 1, None: 2},
        Thing(), 1j, datetime(2024, 1, 1, tzinfo=timezone.utc),
    ],
    ids=lambda value: type(value).__name__,
)  # fmt: skip
def test_values_outside_json_are_not_json(value: Any) -> None:
    assert json_view(value) is NOT_JSON
    assert json_view([value]) == [NOT_JSON]
    assert json_view({"a": value}) == {"a": NOT_JSON}


@pytest.mark.parametrize(
    "value",
    [
        None, True, False, 0, -0.0, 1.5, 10**30, int(1.7976931348623157e308),
        -int(1.7976931348623157e308), 1.7976931348623157e308, 5e-324, "", "é\U0001f600",
        [], {}, {"\udfaa": 1}, [1, ["a", {"b": None}]],
    ],
    ids=lambda value: type(value).__name__,
)  # fmt: skip
def test_json_values_are_kept(value: Any) -> None:
    assert json_view(value) == value
    assert json_view(value) is not NOT_JSON


def test_a_container_met_again_on_its_path_is_not_json_there() -> None:
    items: list[Any] = [1]
    items.append(items)
    assert json_view(items) == [1, NOT_JSON]
    shared = ["a"]
    assert json_view([shared, shared]) == [["a"], ["a"]]  # twice, but not inside itself
    loop: dict[str, Any] = {}
    loop["self"] = {"again": loop}
    assert json_view(loop) == {"self": {"again": NOT_JSON}}


def test_any_depth_is_walked_without_recursion() -> None:
    deep: list[Any] = []
    for _ in range(100_000):
        deep = [deep]
    assert accepts(valid_payload(extra=deep), REQUEST)
    assert problems(valid_payload(tags=deep), REQUEST) == {("/tags/0", "type")}


def test_problems_are_listed_one_per_name_and_key() -> None:
    assert problems(FULL, REQUEST) == frozenset()
    assert problems({}, ss.Billing) == {
        ("/inputCost", "required"),
        ("/outputCost", "required"),
        ("/totalCost", "required"),
    }
    assert problems(valid_payload(billing={"inputCost": "1"}), REQUEST) == {
        ("/billing/inputCost", "type"),
        ("/billing/outputCost", "required"),
        ("/billing/totalCost", "required"),
    }
    extra = valid_payload(**{"a/b": 1, "\udfaa": 2}, usage={**FULL["usage"], "x": []})
    assert problems(extra, REQUEST) == frozenset()
    assert problems(extra, REQUEST, strict=True) == {
        ("/a~1b", "additionalProperties"),
        ("/\\udfaa", "additionalProperties"),
        ("/usage/x", "additionalProperties"),
    }
    assert problems([FULL], REQUEST, strict=True) == {("", "type")}
    assert problems(valid_payload(startedAt="2024-02-30T00:00:00Z"), REQUEST) == {
        ("/startedAt", "format")
    }
    assert problems(valid_payload(startedAt="\ud800"), REQUEST) == {("/startedAt", "type")}
    assert problems(valid_payload(startedAt=None, projectId=None), REQUEST) == {
        ("/startedAt", "type")
    }
    assert problems(valid_payload(contactIds=["a", 1, None]), REQUEST) == {
        ("/contactIds/1", "type"),
        ("/contactIds/2", "type"),
    }


def test_the_snake_wire_has_the_apis_keys() -> None:
    snake = {SNAKE_KEYS.get(key, key): value for key, value in REFERENCE.items()}
    snake["billing"] = {SNAKE_KEYS[key]: value for key, value in REFERENCE["billing"].items()}
    snake["usage"] = {SNAKE_KEYS[key]: value for key, value in REFERENCE["usage"].items()}
    assert accepts(snake, REQUEST, strict=True, style="snake")
    assert not accepts(REFERENCE, REQUEST, style="snake")
    response = {**snake, "_id": "s", "workspace_id": "w"}
    assert accepts(response, ss.CreateSessionResponseBody, strict=True, style="snake")
    assert problems({**response, "id": "s"}, ss.CreateSessionResponseBody, True, "snake") == {
        ("/id", "additionalProperties")
    }
    assert problems({}, ss.Billing, style="snake") == {
        ("/input_cost", "required"),
        ("/output_cost", "required"),
        ("/total_cost", "required"),
    }


def test_build_converts_with_its_own_reading() -> None:
    built = build(valid_payload(extra=1), REQUEST)
    assert built == ss.CreateSessionRequestBody(
        external_id="<id>",
        duration=789.62,
        contact_ids=("<value>",),
        billing=ss.Billing(input_cost=400.03, output_cost=5357.48, total_cost=2072.38),
        usage=ss.CreateSessionUsage(
            prompt_tokens=4574.01, completion_tokens=1378.73, total_tokens=7450.28
        ),
        traces_count=2974.44,
        tags=("<value>",),
        project_id="proj_7f3a",
        started_at=datetime(2024, 5, 6, 7, 8, 9, 500000, timezone(timedelta(hours=2))),
        updated_at=datetime(2024, 5, 6, 8, 0, tzinfo=timezone.utc),
    )
    assert built.started_at is not None
    assert built.started_at.utcoffset() == timedelta(hours=2)


def test_the_date_time_reading_in_brief() -> None:
    assert date_time("2024-05-06T07:08:09.9999999-00:00") == datetime(
        2024, 5, 6, 7, 8, 9, 999999, timezone.utc
    )
    assert read_date_time("2024-05-06T07:08:09Z") is not None
    for text in ("2024-05-06T07:08:09Z\n", "2024-02-29T07:08:09.Z", "2023-02-29T00:00:00Z"):
        assert read_date_time(text) is None
        assert date_time(text) is None
