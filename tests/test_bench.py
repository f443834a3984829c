"""The benchmark's report judges the targets right, and its implementations give right results."""

import pytest

from benchmarks import payloads, report
from benchmarks.report import Row, Target

from .oracle import date_time


def test_a_target_is_an_upper_bound_unless_a_floor() -> None:
    assert Target("ratio", 1.5, 1.5).met
    assert not Target("ratio", 1.51, 1.5).met
    assert not Target("ms", 20.0, 20, unit="ms", strict=True).met
    assert Target("ms", 19.9, 20, unit="ms", strict=True).met
    assert Target("speedup", 1.7, 1.6, floor=True).met
    assert not Target("speedup", 1.5, 1.6, floor=True).met


def test_what_was_not_measured_misses() -> None:
    assert not Target("no value", None, 1.5).met
    assert not Target("no limit", 900.0, None, unit="bytes").met


def test_the_goal_is_judged_apart_from_the_target() -> None:
    target = Target("loads", 1.2, 1.5, goal=1.0)
    assert target.met
    assert target.goal_met is False
    assert target.cells() == ("[met]", "loads", "1.20x", "<= 1.5x (goal 1.0x: missed)")
    assert Target("loads", 1.2, 1.5).goal_met is None


def rows(ours: float, pydantic: float, **extra: float) -> list[Row]:
    """Every row the targets read, with the same figures, and ``extra`` overriding ours."""
    found = [
        Row(operation, payload, {"sessionschema": extra.get(key, ours), "pydantic": pydantic})
        for key, operation, payload in (
            ("loads_full", "loads", "full"),
            ("loads_minimal", "loads", "minimal"),
            ("load_full", "load", "full"),
            ("dumps_full", "dumps", "full"),
            ("invalid", "invalid loads", "full"),
            ("errors", report.ERRORS_ROW, "3 problems"),
        )
    ]
    return [
        *found,
        Row(report.FIRST_CALL_ROW, "full", {"sessionschema": extra.get("first_call", 5.0)}),
        Row(report.IMPORT_ROW, "-", {"sessionschema": extra.get("import_ms", 60.0)}),
        Row(report.MEMORY_ROW, "full", {"sessionschema": 900.0, "pydantic": 2500.0}),
    ]


def test_the_targets_of_one_run() -> None:
    judged = report.targets(rows(1.0, 10.0, loads_minimal=10.0, dumps_full=4.5, first_call=25.0))
    missed = {target.label for target in judged if not target.met}
    assert missed == {
        "dumps, full payload",  # 0.45x > 0.4x
        "first ss.loads, full payload, after import",  # 25 ms
    }
    assert len(judged) == 9
    assert all(target.met for target in report.targets(rows(1.0, 10.0)))
    even = {target.label for target in report.targets(rows(10.0, 10.0)) if not target.met}
    assert even == {"dumps, full payload"}  # 1x pydantic: only dumps must be faster


def test_ratios_at_the_limits() -> None:
    judged = {target.label: target for target in report.targets(rows(3.0, 1.0, loads_full=1.5))}
    assert judged["loads, full payload"].met  # 1.5x: at the limit
    assert judged["loads, full payload"].goal_met is False
    assert judged["errors() of a dict with 3 problems"].met  # 3x
    assert not judged["loads of an invalid payload"].goal_met  # 3x > the goal, 2x
    assert not judged["load, full payload"].met  # 3x > 1.2x


def test_a_missing_row_is_a_missed_target() -> None:
    judged = report.targets([])
    assert judged
    assert not any(target.met for target in judged)


def test_every_implementation_gives_the_right_results() -> None:
    pytest.importorskip("msgspec")
    pytest.importorskip("orq_ai_sdk")
    from benchmarks import bench

    bench.verify()


@pytest.mark.parametrize(
    "text",
    [
        "2024-05-06T07:08:09.5+02:00",  # one digit of a fraction: Python 3.10's reader wants 3 or 6
        "2024-05-06T07:08:09Z",
        "2024-05-06t07:08:09.123456789z",  # more digits than microseconds hold
        "2024-05-06T07:08:09.1234-00:30",
        "2024-05-06T07:08:09.000001+14:00",
    ],
)
def test_the_payloads_date_times_are_read_on_every_python(text: str) -> None:
    """The comparison of the implementations reads date-times the way the referee does."""
    parsed, expected = payloads.parse_datetime(text), date_time(text)
    assert expected is not None
    assert (parsed, parsed.utcoffset()) == (expected, expected.utcoffset())
