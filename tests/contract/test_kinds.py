"""Every kind of field and every object-level rule, shown working on the tests' small contract
(tests/support/contract/: ``Probe`` and ``Gauge``, written as schema files, their classes generated
from them): the generated pass, the referee (jsonschema over the files) and the classes agree in
both styles and both strict modes; the contract's conformance suite gives the same verdicts in
jsonschema, jsonschema-rs and ajv; each decision about a kind has its example."""

import json
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import jsonschema_rs
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import sessionschema as ss
from sessionschema import strategies
from sessionschema._example import example as example_payload
from sessionschema._styles import snake
from tools import conformance

from ..support.agreement import STYLES, check_all
from ..support.contract.models import MODELS, Gauge, Probe
from ..support.suite import NODE_DIR, disagreements, leap_day, node

CONTRACT = pytest.mark.parametrize(
    ("cls", "style"), [(cls, style) for cls in MODELS for style in STYLES], ids=str
)


def probe(style: ss.Style = "camel", **changes: Any) -> dict[str, Any]:
    """The example Probe on ``style``'s wire with ``changes`` (camel keys, respelled for the
    snake wire; None removes a key)."""
    payload = example_payload(Probe, style)
    for key, value in changes.items():
        key = snake(key) if style == "snake" else key
        if value is None:
            payload.pop(key, None)
        else:
            payload[key] = value
    return payload


def flag_key(style: ss.Style) -> str:
    return "clearTags" if style == "camel" else "clear_tags"


def pairs(data: Any, cls: type = Probe, **options: Any) -> list[tuple[str, str]]:
    return [(error.path, error.keyword) for error in ss.errors(data, cls, **options)]


# -- agreement with the referee ------------------------------------------------------------------


@CONTRACT
@settings(suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_valid_payloads_of_every_kind_agree(
    cls: type, style: ss.Style, data: st.DataObject
) -> None:
    payload = data.draw(strategies.payloads(cls, style=style))
    assert check_all(payload, cls, style) == {False: frozenset(), True: frozenset()}
    loaded: Any = ss.load(payload, cls, style=style)
    assert ss.load(ss.dump(loaded, style=style), cls, style=style) == loaded


@CONTRACT
@settings(suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_invalid_payloads_of_every_kind_agree(
    cls: type, style: ss.Style, data: st.DataObject
) -> None:
    payload, paths = data.draw(strategies.invalid_cases(cls, style=style))
    found = check_all(payload, cls, style)
    assert paths <= {path for path, _ in found[False]}


@given(obj=st.from_type(Probe))
def test_objects_of_every_kind_dump_to_what_loads_back(obj: Probe) -> None:
    for style in STYLES:
        assert ss.load(ss.dump(obj, style=style), Probe, style=style, strict=True) == obj


# -- the conformance suite of the contract, in other validators ----------------------------------


@pytest.fixture(scope="module")
def suite(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return conformance.write(tmp_path_factory.mktemp("suite"), MODELS)


def test_the_suite_reaches_every_kind_and_rule(suite: list[Path]) -> None:
    descriptions = [
        test["description"]
        for path in suite
        for group in json.loads(path.read_text("utf-8"))
        for test in group["tests"]
    ]
    text = "\n".join(descriptions)
    for needle in (
        "/count: the number 5.0",
        "/count: a number with a fraction: 0.5",
        "/active: not a boolean: 1",
        '/mode: the string "PROBE_MODE_UNSPECIFIED"',
        '/level: the string "LOW"',
        "/maybe: null",
        '/since: the string "1e3"',
        "/counts: an item refused: 5.5",
        "/gauges/0/reading: the number 5.0",
        "/clearTags true with /tags",
        "/clear_tags true with /tags",
    ):
        assert needle in text, needle


def test_jsonschema_gives_the_suites_verdicts(suite: list[Path]) -> None:
    checker = jsonschema.Draft202012Validator.FORMAT_CHECKER
    verdict = lambda s: jsonschema.Draft202012Validator(s, format_checker=checker).is_valid  # noqa: E731
    assert disagreements(verdict, suite) == []


def test_jsonschema_rs_gives_the_suites_verdicts(suite: list[Path]) -> None:
    verdict = lambda s: jsonschema_rs.validator_for(s, validate_formats=True).is_valid  # noqa: E731
    assert disagreements(verdict, suite) == []
    missed = disagreements(lambda s: jsonschema_rs.validator_for(s).is_valid, suite)
    assert missed, "without format validation, February 29 of 2023 passes"
    assert all(leap_day(description) for description in missed)


def test_ajv_gives_the_suites_verdicts(suite: list[Path]) -> None:
    out = subprocess.run(
        [node(), str(NODE_DIR / "ajv-run.mjs"), *map(str, suite)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    results = json.loads(out.stdout)
    assert len(results) > 1000
    assert [r["description"] for r in results if r["formats"] != r["expected"]] == []
    missed = [r["description"] for r in results if r["annotation"] != r["expected"]]
    assert missed, "without ajv-formats, February 29 of 2023 passes"
    assert all(leap_day(description) for description in missed)


# -- the decisions, kind by kind -----------------------------------------------------------------


@pytest.mark.parametrize("style", STYLES)
def test_an_integer_written_with_a_zero_fraction_is_held_as_an_int(style: ss.Style) -> None:
    loaded = ss.load(probe(style, count=5.0, gauge={"reading": -0.0}), Probe, style=style)
    assert type(loaded.count) is int
    assert loaded.count == 5
    assert type(loaded.gauge.reading) is int
    assert loaded.gauge.reading == 0
    assert ss.dump(loaded, style=style)["count"] == 5
    assert '"count":5,' in ss.dumps(loaded, style=style)


@pytest.mark.parametrize("value", [5.5, True, False, "5", None, [5], 1e-7, 2**1024])
def test_what_is_not_an_integer_is_a_type_problem(value: Any) -> None:
    (error,) = ss.errors(probe(count=value) | {"count": value}, Probe)
    assert (error.path, error.keyword) == ("/count", "type")
    assert error.message.startswith("expected an integer, got ")


@pytest.mark.parametrize("value", [1, 0, "true", None])
def test_a_boolean_is_only_true_or_false(value: Any) -> None:
    (error,) = ss.errors(probe() | {"active": value}, Probe)
    assert (error.path, error.keyword) == ("/active", "type")
    assert error.message.startswith("expected a boolean, got ")
    assert ss.load(probe() | {"maybe": None}, Probe).maybe is None  # nullable: null is allowed


@pytest.mark.parametrize("value", ["PROBE_MODE_UNSPECIFIED", "probe_mode_fast", "", "FAST"])
def test_an_enum_takes_its_values_only_and_lists_them(value: str) -> None:
    (error,) = ss.errors(probe(mode=value), Probe)
    assert (error.path, error.keyword) == ("/mode", "enum")
    assert error.message == (
        f"expected one of 'PROBE_MODE_FAST', 'PROBE_MODE_SLOW', got string {value!r}"
    )
    assert pairs(probe(mode=1)) == [("/mode", "enum")]
    assert pairs(probe(level="LOW")) == [("/level", "enum")]


@pytest.mark.parametrize(("value", "keyword"), [("", "pattern"), ("-1", "pattern"),
    ("1.5", "pattern"), ("1\n", "pattern"), ("\uff11", "pattern"), (17, "type")])  # fmt: skip
def test_unix_milliseconds_are_decimal_digits(value: Any, keyword: str) -> None:
    assert pairs(probe(since=value)) == [("/since", keyword)]
    assert ss.load(probe(since="0017"), Probe).since == "0017"


@pytest.mark.parametrize("style", STYLES)
def test_a_flag_and_the_list_it_clears_are_one_problem_at_the_list(style: ss.Style) -> None:
    payload = probe(style, tags=["a"]) | {flag_key(style): True}
    tags, flag = ("tags", "clearTags") if style == "camel" else ("tags", "clear_tags")
    (error,) = ss.errors(payload, Probe, style=style)
    assert (error.path, error.keyword) == (f"/{tags}", "not")
    assert error.message == f"{tags!r} must not be given with {flag!r}: true"
    assert ss.errors(probe(style, tags=["a"], clearTags=False), Probe, style=style) == []
    assert ss.errors(probe(style, clearTags=True, tags=None), Probe, style=style) == []
    # strict mode adds the unknown key, and still sees the flag (its `if` looks at one key)
    found = pairs(payload | {"other": 1}, style=style, strict=True)
    assert found == [("/other", "additionalProperties"), (f"/{tags}", "not")]


def test_arrays_of_models_are_read_item_by_item() -> None:
    loaded = ss.load(probe(gauges=[{"reading": 1.0}, {"reading": 2, "label": "b"}]), Probe)
    assert loaded.gauges == (Gauge(reading=1), Gauge(reading=2, label="b"))
    assert pairs(probe(gauges=[{"reading": 1}, {"reading": "x"}, 3])) == [
        ("/gauges/1/reading", "type"),
        ("/gauges/2", "type"),
    ]
    assert pairs(probe(counts=[1, 2.5, "3"])) == [("/counts/1", "type"), ("/counts/2", "type")]


def test_an_object_that_breaks_a_kind_cannot_be_constructed() -> None:
    valid = ss.load(example_payload(Probe), Probe)
    required = ("name", "count", "active", "level", "labels", "gauge")
    fields = {name: getattr(valid, name) for name in required}
    assert Probe(**fields).count == valid.count
    for change, error in (
        ({"count": 5.0}, TypeError),
        ({"count": True}, TypeError),
        ({"active": 1}, TypeError),
        ({"level": "LOW"}, ValueError),
        ({"level": 1}, TypeError),
        ({"since": "1.5"}, ValueError),
        ({"counts": (1, 2.5)}, TypeError),
        ({"gauges": ({"reading": 1},)}, TypeError),
        ({"tags": ("a",), "clear_tags": True}, ValueError),
    ):
        with pytest.raises(error):
            Probe(**(fields | change))
    assert Probe(**fields, tags=("a",), clear_tags=False).tags == ("a",)


@given(payload=strategies.payloads(Probe))
@example(payload={})
def test_the_example_and_the_payloads_are_valid(payload: dict[str, Any]) -> None:
    assert ss.errors(example_payload(Probe), Probe, strict=True) == []
    if payload:
        assert ss.errors(payload, Probe, strict=True) == []
