"""What a run prints: the table of figures, and the targets, each met or missed.

The ratios are ours/pydantic, both measured in the same run. Only the standard library is used,
so that the met/missed logic can be tested on given numbers without the peers installed.
"""

from __future__ import annotations

import os
import platform
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import metadata

IMPLS = ("sessionschema", "pydantic", "msgspec", "plain")
"""The table's columns (the implementations of :mod:`benchmarks.peers`)."""

# The rows that are not a call timed in the main process.
ERRORS_ROW = "errors()"
CODEC_ROW = "codec.loads"
"""``loads`` of a codec held by the caller (``ss.codec(cls).loads``), as a hot loop reads."""
MIXED_PAYLOAD = "3 mixed problems"
"""The payload of the ``errors()`` row whose problems mix kinds (a type, an item, a nested key)."""
NO_MSGSPEC_ROW = "loads, msgspec off"
"""``loads`` with orjson alone of the extra ``fast``: the lean pass after orjson's parse."""
NO_ACCELERATORS_ROW = "loads, no accelerator"
"""``loads`` with neither orjson nor msgspec: the standard library's parse, then the lean pass."""
FIRST_CALL_ROW = "first call (ms)"
IMPORT_ROW = "import, -X importtime (ms)"
WALL_ROW = "import, wall clock (ms)"
MEMORY_ROW = "memory (bytes/object)"

VALIDATE_ROW = "validate --output json (s)"
VALIDATE_PAYLOAD = "300,000 lines"
"""The command line's row: its wall time in the sessionschema column, that of a bare
``json.loads`` loop over the same lines in the plain column (benchmarks/cli.py writes them)."""

# The payloads of the thread rows, whose pydantic column is the SDK 4 (benchmarks/sdk4.py).
THREAD_REQUEST_PAYLOAD = "full CreateThreadRequest"
THREAD_PAYLOAD = "full Thread"

SDK4_TARGETS: tuple[tuple[str, str, str, float, float], ...] = (
    ("loads, full CreateThreadRequest (SDK 4), fast", "loads", THREAD_REQUEST_PAYLOAD, 0.8, 0.6),
    ("loads, full Thread (SDK 4), fast", "loads", THREAD_PAYLOAD, 0.8, 0.6),
    (
        "loads of an invalid CreateThreadRequest (SDK 4)",
        "invalid loads",
        THREAD_REQUEST_PAYLOAD,
        2.2,
        1.5,
    ),
)
"""The targets of the thread rows, those of the SDK 3 rows of the same operation: label,
operation, payload, limit, goal. Judged only when the rows were measured (they need
``.venv-sdk4``)."""

# ---------------------------------------------------------------------------------------------
# Numbers


def fmt(value: float | None, digits: int | None = None) -> str:
    """``value`` with as many digits as make sense for its size; "-" for None."""
    if value is None:
        return "-"
    if digits is None:
        digits = 2 if value < 10 else 1 if value < 1000 else 0
    return f"{value:,.{digits}f}"


def times(value: float | None, digits: int) -> str:
    return "-" if value is None else f"{value:,.{digits}f}x"


def ratio(top: float | None, bottom: float | None) -> float | None:
    if top is None or bottom is None or bottom == 0:
        return None
    return top / bottom


# ---------------------------------------------------------------------------------------------
# The table


@dataclass(frozen=True)
class Row:
    """One line of the table: a figure per implementation (missing or None: not measured)."""

    operation: str
    payload: str
    values: Mapping[str, float | None]
    digits: int | None = None

    def ours_over_pydantic(self) -> float | None:
        return ratio(self.values.get("sessionschema"), self.values.get("pydantic"))


def find(rows: Iterable[Row], operation: str, payload: str) -> Row | None:
    for row in rows:
        if (row.operation, row.payload) == (operation, payload):
            return row
    return None


def table(rows: Sequence[Row]) -> str:
    header = ["operation", "payload", *IMPLS, "ours/pydantic", "plain/ours"]
    lines = [header]
    for row in rows:
        values = row.values
        lines.append(
            [
                row.operation,
                row.payload,
                *(fmt(values.get(name), row.digits) for name in IMPLS),
                times(row.ours_over_pydantic(), 2),
                times(ratio(values.get("plain"), values.get("sessionschema")), 1),
            ]
        )
    widths = [max(len(line[col]) for line in lines) for col in range(len(header))]
    out = []
    for number, line in enumerate(lines):
        cells = [
            cell.ljust(width) if col < 2 else cell.rjust(width)
            for col, (cell, width) in enumerate(zip(line, widths, strict=True))
        ]
        out.append(" | ".join(cells))
        if number == 0:
            out.append("-+-".join("-" * width for width in widths))
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------
# Targets


@dataclass(frozen=True)
class Target:
    """A measured ``value`` that must be at most ``limit`` (below it, if ``strict``; at least
    ``limit``, if ``floor``); ``goal``, if any, is the figure aimed at beyond the target. A value
    or a limit not measured (None) misses."""

    label: str
    value: float | None
    limit: float | None
    unit: str = "x"  # "x": a ratio, ours/pydantic unless the label says otherwise
    strict: bool = False
    goal: float | None = None
    floor: bool = False
    digits: int | None = None  # of the value and limit shown, if not a ratio; None: by size
    limit_note: str = ""  # after the limit, e.g. where it comes from

    def _within(self, bound: float | None) -> bool:
        if self.value is None or bound is None:
            return False
        if self.floor:
            return self.value > bound if self.strict else self.value >= bound
        return self.value < bound if self.strict else self.value <= bound

    @property
    def met(self) -> bool:
        return self._within(self.limit)

    @property
    def goal_met(self) -> bool | None:
        """Whether the goal is reached too; None if there is no goal."""
        return None if self.goal is None else self._within(self.goal)

    def measured(self) -> str:
        if self.value is None:
            return "-"
        if self.unit == "x":
            return f"{self.value:,.2f}x"
        return f"{fmt(self.value, self.digits)} {self.unit}"

    def bound(self, value: float | None) -> str:
        """A limit or goal, as written in a target: ``1.5x``, ``20 ms``."""
        if value is None:
            return "-"
        if self.unit == "x":  # one decimal at least, as ratios are written: 1.0x, 1.25x
            return f"{value:.1f}x" if value == round(value, 1) else f"{value:g}x"
        number = f"{value:,g}" if self.digits is None else fmt(value, self.digits)
        return f"{number} {self.unit}"

    def wanted(self) -> str:
        """The target, and the goal with whether it is reached."""
        sign = (">" if self.floor else "<") + ("" if self.strict else "=")
        text = f"{sign} {self.bound(self.limit)}"
        if self.limit_note:
            text += f" {self.limit_note}"
        if self.goal is not None:
            text += f" (goal {self.bound(self.goal)}: {'met' if self.goal_met else 'missed'})"
        return text

    def cells(self) -> tuple[str, str, str, str]:
        """Status, label, measured value, target."""
        return ("[met]" if self.met else "[missed]", self.label, self.measured(), self.wanted())


def target_lines(found: Sequence[Target]) -> list[str]:
    """One aligned line per target: status, what, measured, target."""
    cells = [target.cells() for target in found]
    if not cells:
        return []
    widths = [max(len(line[col]) for line in cells) for col in range(3)]
    return [
        f"  {status.ljust(widths[0])} {label.ljust(widths[1])} {value.rjust(widths[2])}"
        f"   target {wanted}"
        for status, label, value, wanted in cells
    ]


def targets(rows: Sequence[Row]) -> list[Target]:
    """The targets of the speed work, judged on the rows of one run."""

    def against_pydantic(
        label: str, operation: str, payload: str, limit: float, goal: float | None = None
    ) -> Target:
        row = find(rows, operation, payload)
        value = None if row is None else row.ours_over_pydantic()
        return Target(label, value, limit, goal=goal)

    def ours(operation: str, payload: str) -> float | None:
        row = find(rows, operation, payload)
        return None if row is None else row.values.get("sessionschema")

    memory = find(rows, MEMORY_ROW, "full")
    sdk_bytes = None if memory is None else memory.values.get("pydantic")
    validate = find(rows, VALIDATE_ROW, VALIDATE_PAYLOAD)
    return [
        against_pydantic("loads, full payload, fast", "loads", "full", 0.6),
        against_pydantic("codec.loads (a codec held), full payload, fast", CODEC_ROW, "full", 0.6),
        against_pydantic("loads, minimal payload, fast", "loads", "minimal", 0.4, goal=0.3),
        against_pydantic("loads, full payload, orjson only", NO_MSGSPEC_ROW, "full", 1.4, 1.2),
        against_pydantic("load, full payload (a dict)", "load", "full", 1.0),
        against_pydantic("dumps, full payload", "dumps", "full", 0.4),
        against_pydantic("loads of an invalid payload", "invalid loads", "full", 1.6, goal=1.5),
        against_pydantic(
            "errors() of a dict with 3 problems", ERRORS_ROW, "3 problems", 2.0, goal=1.5
        ),
        against_pydantic(
            "errors() of a dict with 3 problems of mixed kinds", ERRORS_ROW, MIXED_PAYLOAD, 2.0
        ),
        Target(
            "validate --output json / a bare json.loads loop, 300,000 lines",
            None
            if validate is None
            else ratio(validate.values.get("sessionschema"), validate.values.get("plain")),
            1.0,
            goal=0.7,
            limit_note="(the loop's time)",
        ),
        *(
            against_pydantic(label, operation, payload, limit, goal=goal)
            for label, operation, payload, limit, goal in SDK4_TARGETS
            if find(rows, operation, payload) is not None
        ),
        Target(
            "first ss.load and ss.loads, full payload, after import",
            ours(FIRST_CALL_ROW, "full"),
            20,
            unit="ms",
            strict=True,
        ),
        Target(
            "import sessionschema (-X importtime)", ours(IMPORT_ROW, "-"), 60, "ms", strict=True
        ),
        Target(
            "memory per object, full payload",
            ours(MEMORY_ROW, "full"),
            sdk_bytes,
            unit="bytes",
            digits=0,
            limit_note="(pydantic's)",
        ),
    ]


def reported(rows: Sequence[Row]) -> list[str]:
    """Figures reported without a target."""
    row = find(rows, NO_ACCELERATORS_ROW, "full")
    value = None if row is None else row.ours_over_pydantic()
    return [
        f"  loads, full payload, no accelerator (orjson and msgspec off): {times(value, 2)}"
        " pydantic (no target)"
    ]


# ---------------------------------------------------------------------------------------------
# The environment


def platform_line() -> str:
    return f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs"


def versions() -> str:
    names = ("sessionschema", "orq-ai-sdk", "pydantic", "msgspec", "orjson", "jsonschema", "cattrs")
    found = []
    for name in names:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name} (not installed)")
    return ", ".join(found)
