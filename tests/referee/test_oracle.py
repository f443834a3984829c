"""The referee itself (tests/support/oracle.py): literal expectations, so that a mistake in the
oracle cannot hide the same mistake in the library; and it uses nothing of the library but its
classes."""

import ast
import math
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import attrs
import pytest

import sessionschema as ss

from ..support import oracle
from ..support.oracle import (
    ATTRIBUTES,
    NOT_JSON,
    SNAKE_KEYS,
    DateTimeFields,
    accepts,
    build,
    date_time,
    documents,
    json_view,
    pointer,
    problems,
    problems_in_order,
    read_date_time,
    register,
    to_snake,
)
from ..support.payloads import FULL, REFERENCE, valid_payload

REQUEST = ss.CreateSessionRequestBody


def test_the_oracle_imports_nothing_of_the_library_but_the_models() -> None:
    tree = ast.parse((Path(__file__).parents[1] / "support" / "oracle.py").read_text("utf-8"))
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
    value = {
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
        "extra": 1,
    }
    built = build(value, REQUEST)
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
    assert read_date_time("2024-05-06T07:08:09Z") == DateTimeFields(2024, 5, 6, 7, 8, 9, 0, 0)
    assert read_date_time("2024-05-06t07:08:09.1234567+05:30") == DateTimeFields(
        2024, 5, 6, 7, 8, 9, 123456, 330
    )
    for text in ("2024-05-06T07:08:09Z\n", "2024-02-29T07:08:09.Z", "2023-02-29T00:00:00Z"):
        assert read_date_time(text) is None
        assert date_time(text) is None


# -- the test contract (tests/support/contract/schemas/): every kind of field, the exclusion rule --


@attrs.frozen(kw_only=True)
class Gauge:
    reading: int
    label: str | None = None


@attrs.frozen(kw_only=True)
class Probe:
    name: str
    count: int
    ratio: float | None = None
    active: bool
    maybe: bool | None = None
    limit: int | None = None
    mode: str | None = None
    level: str
    note: str | None = None
    seen_at: datetime | None = None
    since: str | None = None
    counts: tuple[int, ...] | None = None
    labels: tuple[str, ...]
    tags: tuple[str, ...] | None = None
    clear_tags: bool | None = None
    gauge: Gauge
    gauges: tuple[Gauge, ...] | None = None


@pytest.fixture
def registered(monkeypatch: pytest.MonkeyPatch) -> None:
    """The classes above registered for building, for one test only."""
    monkeypatch.setattr(oracle, "_REGISTERED", {})
    register(Gauge, Probe)


def probe(**changes: Any) -> dict[str, Any]:
    """A valid camel Probe with its required keys only, then ``changes``."""
    value: dict[str, Any] = {
        "name": "p",
        "count": 1,
        "active": True,
        "level": "low",
        "labels": ["a"],
        "gauge": {"reading": 2},
    }
    return {**value, **changes}


def test_the_referee_reads_the_test_contract() -> None:
    assert {"urn:sessionschema:gauge", "urn:sessionschema:probe"} <= documents().keys()
    assert documents()["urn:sessionschema:probe-mode"]["enum"] == [
        "PROBE_MODE_FAST",
        "PROBE_MODE_SLOW",
    ]
    assert accepts(probe(), Probe, strict=True)


def test_every_key_of_the_files_has_an_attribute() -> None:
    for document in documents().values():
        for key in document.get("properties", {}):
            assert key in ATTRIBUTES, (document["title"], key)


UPDATE_RULE = {
    "allOf": [
        {
            "if": {
                "type": "object",
                "properties": {"clearContactIds": {"const": True}},
                "required": ["clearContactIds"],
            },
            "then": {"not": {"required": ["contactIds"]}},
        },
        {
            "if": {
                "type": "object",
                "properties": {"clearTags": {"const": True}},
                "required": ["clearTags"],
            },
            "then": {"not": {"required": ["tags"]}},
        },
    ]
}
"""The exclusion rules of UpdateThreadRequest, as the schema files write them."""


def test_the_snake_rewrite_reaches_the_exclusion_rule() -> None:
    camel = {
        "type": "object",
        "properties": {
            "contactIds": {"type": "array", "items": {"type": "string"}},
            "clearContactIds": {"type": "boolean"},
            "tags": {"type": "array", "items": {"type": "string"}},
            "clearTags": {"type": "boolean"},
            "kind": {"enum": ["contactIds", "clearTags"], "const": "startDate"},
        },
        **UPDATE_RULE,
    }
    assert to_snake(camel) == {
        "type": "object",
        "properties": {
            "contact_ids": {"type": "array", "items": {"type": "string"}},
            "clear_contact_ids": {"type": "boolean"},
            "tags": {"type": "array", "items": {"type": "string"}},
            "clear_tags": {"type": "boolean"},
            "kind": {"enum": ["contactIds", "clearTags"], "const": "startDate"},  # values stay
        },
        "allOf": [
            {
                "if": {
                    "type": "object",
                    "properties": {"clear_contact_ids": {"const": True}},
                    "required": ["clear_contact_ids"],
                },
                "then": {"not": {"required": ["contact_ids"]}},
            },
            {
                "if": {
                    "type": "object",
                    "properties": {"clear_tags": {"const": True}},
                    "required": ["clear_tags"],
                },
                "then": {"not": {"required": ["tags"]}},
            },
        ],
    }
    assert "required" not in to_snake(camel)  # none written, none added
    assert camel["allOf"] == UPDATE_RULE["allOf"]  # the camel schema is left as it was
    assert documents("snake")["urn:sessionschema:probe"]["allOf"] == [
        {
            "if": {
                "type": "object",
                "properties": {"clear_tags": {"const": True}},
                "required": ["clear_tags"],
            },
            "then": {"not": {"required": ["tags"]}},
        }
    ]


def _names(node: Any) -> Any:
    """Every property key and ``required`` name anywhere in a schema."""
    if isinstance(node, dict):
        yield from node.get("properties", {})
        yield from node.get("required", ())
        for value in node.values():
            yield from _names(value)
    elif isinstance(node, list):
        for value in node:
            yield from _names(value)


def test_no_camel_key_is_left_in_a_snake_document() -> None:
    for document in documents("snake").values():
        assert not set(_names(document)) & SNAKE_KEYS.keys(), document["title"]


def test_the_exclusion_is_a_not_problem_at_the_excluded_key() -> None:
    both = probe(clearTags=True, tags=["t"])
    assert problems(both, Probe) == {("/tags", "not")}
    assert problems(both, Probe, strict=True) == {("/tags", "not")}
    assert problems_in_order(both, Probe) == [("/tags", "not")]
    assert accepts(probe(clearTags=True), Probe, strict=True)  # the flag among other keys
    assert accepts(probe(clearTags=False, tags=["t"]), Probe)
    assert accepts(probe(tags=[]), Probe)
    assert problems(probe(clearTags="yes", tags=["t"]), Probe) == {("/clearTags", "type")}
    assert problems(probe(clearTags=1, tags=["t"]), Probe) == {("/clearTags", "type")}
    snake = {**probe(tags=["t"]), "clear_tags": True}
    assert problems(snake, Probe, strict=True, style="snake") == {("/tags", "not")}
    assert problems({**snake, "clearTags": True}, Probe, True, "snake") == {
        ("/tags", "not"),
        ("/clearTags", "additionalProperties"),
    }
    # the keywords in the file's order: properties, required, then the rule
    broken = {**both, "count": 5.5}
    del broken["name"]
    assert problems_in_order(broken, Probe) == [
        ("/count", "type"),
        ("/name", "required"),
        ("/tags", "not"),
    ]


def test_an_enum_value_is_checked_by_enum_alone() -> None:
    assert accepts(probe(mode="PROBE_MODE_SLOW", level="high"), Probe)
    assert problems(probe(mode="PROBE_MODE_MEDIUM"), Probe) == {("/mode", "enum")}
    assert problems(probe(mode="probe_mode_fast"), Probe) == {("/mode", "enum")}
    assert problems(probe(mode=1, level="mid"), Probe) == {("/mode", "enum"), ("/level", "enum")}
    assert problems(probe(mode=None, level=math.nan), Probe) == {
        ("/mode", "enum"),
        ("/level", "enum"),
    }


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (5, set()), (5.0, set()), (-0.0, set()), (1e300, set()), (10**300, set()),
        (5.5, {("/count", "type")}), (True, {("/count", "type")}), (False, {("/count", "type")}),
        ("5", {("/count", "type")}), (None, {("/count", "type")}), (math.inf, {("/count", "type")}),
        (10**400, {("/count", "type")}),
    ],
)  # fmt: skip
def test_an_integer_is_a_json_number_with_no_fraction(count: Any, expected: set[Any]) -> None:
    assert problems(probe(count=count), Probe) == expected


def test_integers_in_arrays_nested_models_and_nullable_fields() -> None:
    assert accepts(probe(limit=None, maybe=None, note=None, counts=[1, 2.0]), Probe)
    assert problems(probe(limit=2.5, maybe=0, note=1, counts=[1, 2.5, True]), Probe) == {
        ("/limit", "type"),
        ("/maybe", "type"),
        ("/note", "type"),
        ("/counts/1", "type"),
        ("/counts/2", "type"),
    }
    nested = probe(gauge={"reading": 1.5}, gauges=[{}, {"reading": 1, "label": 2}])
    assert problems(nested, Probe) == {
        ("/gauge/reading", "type"),
        ("/gauges/0/reading", "required"),
        ("/gauges/1/label", "type"),
    }


@pytest.mark.parametrize(
    ("since", "expected"),
    [
        ("0", set()), ("1717660800000", set()), ("", {("/since", "pattern")}),
        ("17a", {("/since", "pattern")}), ("-1", {("/since", "pattern")}),
        ("1.5", {("/since", "pattern")}), ("12\n", {("/since", "pattern")}),
        ("١٢", {("/since", "pattern")}), (12, {("/since", "type")}),
    ],
)  # fmt: skip
def test_a_digit_string_is_an_ordinary_pattern(since: Any, expected: set[Any]) -> None:
    assert problems(probe(since=since), Probe) == expected


def test_a_date_time_of_the_contract_is_one_format_problem() -> None:
    assert accepts(probe(seenAt="2024-02-29T00:00:00Z"), Probe)
    assert problems(probe(seenAt="2023-02-29T00:00:00Z"), Probe) == {("/seenAt", "format")}
    assert problems(probe(seenAt="2024-13-01T00:00:00Z"), Probe) == {("/seenAt", "format")}


def test_build_holds_integers_as_int_and_arrays_of_models_as_tuples(registered: None) -> None:
    value = probe(
        count=5.0,
        ratio=2.0,
        maybe=None,
        limit=7.0,
        mode="PROBE_MODE_FAST",
        note=None,
        seenAt="2024-05-06T07:08:09.5+02:00",
        since="17",
        counts=[1, 2.0],
        tags=[],
        clearTags=False,
        gauge={"reading": 3.0, "label": "g"},
        gauges=[{"reading": 4}, {"reading": 5.0, "label": "h"}],
        extra=1,
    )
    built = build(value, Probe)
    assert built == Probe(
        name="p",
        count=5,
        ratio=2.0,
        active=True,
        maybe=None,
        limit=7,
        mode="PROBE_MODE_FAST",
        level="low",
        note=None,
        seen_at=datetime(2024, 5, 6, 7, 8, 9, 500000, timezone(timedelta(hours=2))),
        since="17",
        counts=(1, 2),
        labels=("a",),
        tags=(),
        clear_tags=False,
        gauge=Gauge(reading=3, label="g"),
        gauges=(Gauge(reading=4), Gauge(reading=5, label="h")),
    )
    assert type(built.count) is int
    assert type(built.limit) is int
    assert type(built.ratio) is float  # a number stays as written
    assert [type(item) for item in built.counts] == [int, int]
    assert type(built.gauge.reading) is int
    assert [type(gauge.reading) for gauge in built.gauges] == [int, int]
    assert build(probe(), Probe) == Probe(
        name="p", count=1, active=True, level="low", labels=("a",), gauge=Gauge(reading=2)
    )


def test_build_reads_the_snake_wire(registered: None) -> None:
    value = {**probe(gauges=[{"reading": 1.0}], tags=["t"]), "seen_at": "2024-05-06T07:08:09Z"}
    value["clear_tags"] = False
    assert accepts(value, Probe, strict=True, style="snake")
    built = build(value, Probe, "snake")
    assert built.seen_at == datetime(2024, 5, 6, 7, 8, 9, tzinfo=timezone.utc)
    assert built.clear_tags is False
    assert built.gauges == (Gauge(reading=1),)
    assert type(built.gauges[0].reading) is int


def test_registered_classes_come_first(registered: None) -> None:
    @attrs.frozen(kw_only=True)
    class Gauge:  # another class of the same title replaces the first
        reading: int
        label: str | None = None

    register(Gauge)
    assert type(build(probe(), Probe).gauge) is Gauge
