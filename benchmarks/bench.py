"""sessionschema side by side with its peers, on the same payloads, in one process run.

The peers:

- **pydantic**: the official SDK's model, ``orq_ai_sdk.models.createsessionop``
  (pydantic v2, snake_case fields), given the snake_case translation of each payload;
- **msgspec**: a ``Struct`` with ``rename="camel"`` for the same fields;
- **plain**: ``json.loads``, then jsonschema's ``Draft202012Validator`` on ``ss.schema()`` with a
  ``FormatChecker``, then a stock ``cattrs.Converter`` with camelCase renames structuring into
  sessionschema's own models.

Every implementation is first checked to give the right result on every payload, so the timings
are of working code. Each timing is the median, over 7 repeats, of the time per call of a loop
sized autorange-style to about 40 ms; the implementations take turns within each operation (in
a rotating order), so that noise hits them alike. Then the import time (``-X importtime`` in
fresh interpreters; the wall clock as a cross-check) and the memory an object holds
(``tracemalloc`` over 100,000 distinct objects). A table, then the targets and whether each is
met. About a minute in all.

Run: ``python benchmarks/bench.py`` (``make bench`` installs the peers, the extra ``bench``).
"""

from __future__ import annotations

import gc
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import time
import timeit
import tracemalloc
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from importlib import metadata
from typing import Any

import attrs
import cattrs
import jsonschema
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

import sessionschema as ss
from sessionschema import _json as ss_json
from sessionschema.cli import example

try:  # the peers: optional dependencies, the extra ``bench``
    import msgspec
    import pydantic
    from orq_ai_sdk.models.createsessionop import CreateSessionRequestBody as SdkBody
except ImportError as _missing:  # pragma: no cover - depends on the environment
    print(
        f"benchmarks/bench.py needs the peers it compares against ({_missing.name} is missing):"
        " run `make bench`, which installs the extra `bench`.",
        file=sys.stderr,
    )
    raise SystemExit(2) from None

REPEATS = 7
LOOP_SECONDS = 0.04  # the target length of one timed loop
IMPORT_RUNS = 5
OBJECTS = 100_000  # for the memory per object

# ---------------------------------------------------------------------------------------------
# The payloads

FULL: dict[str, Any] = example()
"""The command line's example: the reference document's payload with every optional key set."""
MINIMAL: dict[str, Any] = {
    key: value for key, value in FULL.items() if key not in ("projectId", "startedAt", "updatedAt")
}
INVALID: dict[str, Any] = {**FULL, "duration": "789.62"}  # one wrong field: a numeric string

DATE_KEYS = frozenset({"startedAt", "updatedAt", "started_at", "updated_at"})


def camel(name: str) -> str:
    """``contact_ids`` -> ``contactIds``."""
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def snake(data: Any) -> Any:
    """The snake_case translation of a camelCase payload, for the SDK."""
    if isinstance(data, dict):
        return {
            "".join(f"_{c.lower()}" if c.isupper() else c for c in key): snake(value)
            for key, value in data.items()
        }
    return data


def text(data: dict[str, Any]) -> bytes:
    """Compact JSON bytes, as request bodies usually are."""
    return json.dumps(data, separators=(",", ":")).encode()


def parse_datetime(value: str) -> datetime:
    """``datetime.fromisoformat`` after a trailing Z or z becomes +00:00 (Python 3.10 needs it)."""
    if value[-1:] in ("Z", "z"):
        value = value[:-1] + "+00:00"
    return datetime.fromisoformat(value)


def loose(data: Any) -> Any:
    """``data`` with its date-time strings parsed, so that equal instants compare equal."""
    if isinstance(data, dict):
        return {
            key: parse_datetime(value)
            if key in DATE_KEYS and isinstance(value, str)
            else loose(value)
            for key, value in data.items()
        }
    if isinstance(data, list | tuple):
        return [loose(item) for item in data]
    return data


# ---------------------------------------------------------------------------------------------
# Peer: msgspec


class MsBilling(msgspec.Struct, rename="camel", omit_defaults=True):
    input_cost: float
    output_cost: float
    total_cost: float


class MsUsage(msgspec.Struct, rename="camel", omit_defaults=True):
    prompt_tokens: float
    completion_tokens: float
    total_tokens: float


class MsBody(msgspec.Struct, rename="camel", omit_defaults=True):
    """``omit_defaults``: None is left out, as sessionschema's canonical form and the SDK do."""

    external_id: str
    duration: float
    contact_ids: list[str]
    billing: MsBilling
    usage: MsUsage
    traces_count: float
    tags: list[str]
    project_id: str | None = None
    started_at: datetime | None = None
    updated_at: datetime | None = None


# ---------------------------------------------------------------------------------------------
# Peer: the plain pipeline (json + jsonschema + a stock cattrs converter); a peer, not the library


def _plain_datetime(value: Any, _: Any) -> datetime | None:
    return None if value is None else parse_datetime(value)


def _passthrough(value: Any, _: Any) -> Any:
    return value


def _is_strings(annotation: Any) -> bool:
    return bool(annotation == tuple[str, ...])


def _to_tuple(value: Any, _: Any) -> tuple[str, ...]:
    return tuple(value)


class Plain:
    """``json.loads`` -> ``Draft202012Validator.validate`` -> ``cattrs`` structure."""

    def __init__(self) -> None:
        self.validator = jsonschema.Draft202012Validator(
            ss.schema(), format_checker=jsonschema.FormatChecker()
        )
        conv = cattrs.Converter()
        conv.register_structure_hook(datetime | None, _plain_datetime)
        conv.register_structure_hook(int | float, _passthrough)
        conv.register_structure_hook_func(_is_strings, _to_tuple)  # a generic: not dispatchable
        conv.register_unstructure_hook(datetime, datetime.isoformat)
        models: tuple[type[Any], ...] = (ss.Billing, ss.CreateSessionUsage)
        for cls in (*models, ss.CreateSessionRequestBody):  # contained models first
            fields = attrs.fields(cls)
            renames: dict[str, Any] = {
                field.name: override(rename=camel(field.name)) for field in fields
            }
            conv.register_structure_hook(cls, make_dict_structure_fn(cls, conv, **renames))
            omits: dict[str, Any] = {
                field.name: override(rename=camel(field.name), omit_if_default=True)
                for field in fields
                if field.default is None
            }
            conv.register_unstructure_hook(
                cls, make_dict_unstructure_fn(cls, conv, **{**renames, **omits})
            )
        self.converter = conv

    def load(self, data: Any) -> ss.CreateSessionRequestBody:
        self.validator.validate(data)
        return self.converter.structure(data, ss.CreateSessionRequestBody)

    def loads(self, raw: bytes) -> ss.CreateSessionRequestBody:
        return self.load(json.loads(raw))

    def dump(self, obj: ss.CreateSessionRequestBody) -> dict[str, Any]:
        dumped: dict[str, Any] = self.converter.unstructure(obj)
        return dumped

    def dumps(self, obj: ss.CreateSessionRequestBody) -> str:
        return json.dumps(self.converter.unstructure(obj))

    def errors(self, data: Any) -> list[jsonschema.ValidationError]:
        return list(self.validator.iter_errors(data))


PLAIN = Plain()

# ---------------------------------------------------------------------------------------------
# The operations of each implementation


def raises(call: Callable[[], object], kind: type[BaseException]) -> Callable[[], object]:
    """A call that must raise ``kind``: the time of an invalid payload's refusal."""

    def run() -> object:
        try:
            call()
        except kind as exc:
            return exc
        raise AssertionError("an invalid payload was accepted")

    return run


def sdk_failure(raw: bytes) -> pydantic.ValidationError:
    """The SDK's refusal of ``raw``, in strict mode (in lax mode it accepts a numeric string)."""
    try:
        SdkBody.model_validate_json(raw, strict=True)
    except pydantic.ValidationError as exc:
        return exc
    raise AssertionError("the SDK accepted an invalid payload")


IMPLS = ("sessionschema", "pydantic", "msgspec", "plain")


@dataclass(frozen=True)
class Case:
    operation: str
    payload: str
    calls: dict[str, Callable[[], object] | None]


def cases() -> list[Case]:
    """Every timed operation: one call per implementation (None: the peer has no such thing)."""
    found: list[Case] = []
    for name, data in (("full", FULL), ("minimal", MINIMAL)):
        raw, snake_data = text(data), snake(data)
        snake_raw = text(snake_data)
        ours, sdk = ss.loads(raw), SdkBody.model_validate_json(snake_raw)
        ms, plain = msgspec.json.decode(raw, type=MsBody), PLAIN.loads(raw)
        found += [
            Case(
                "loads",
                name,
                {
                    "sessionschema": partial(ss.loads, raw),
                    "pydantic": partial(SdkBody.model_validate_json, snake_raw),
                    "msgspec": partial(msgspec.json.decode, raw, type=MsBody),
                    "plain": partial(PLAIN.loads, raw),
                },
            ),
            Case(
                "load",
                name,
                {
                    "sessionschema": partial(ss.load, data),
                    "pydantic": partial(SdkBody.model_validate, snake_data),
                    "msgspec": partial(msgspec.convert, data, type=MsBody),
                    "plain": partial(PLAIN.load, data),
                },
            ),
            Case(
                "dumps",
                name,
                {
                    "sessionschema": partial(ss.dumps, ours),
                    "pydantic": partial(sdk.model_dump_json, by_alias=True),
                    "msgspec": partial(msgspec.json.encode, ms),
                    "plain": partial(PLAIN.dumps, plain),
                },
            ),
            Case(
                "dump",
                name,
                {
                    "sessionschema": partial(ss.dump, ours),
                    "pydantic": partial(sdk.model_dump, by_alias=True, mode="json"),
                    "msgspec": partial(msgspec.to_builtins, ms),
                    "plain": partial(PLAIN.dump, plain),
                },
            ),
        ]
    raw, snake_raw = text(INVALID), text(snake(INVALID))
    failure = sdk_failure(snake_raw)
    found += [
        Case(
            "invalid loads",
            "full",
            {
                "sessionschema": raises(partial(ss.loads, raw), ss.ValidationError),
                "pydantic": partial(sdk_failure, snake_raw),
                "msgspec": raises(
                    partial(msgspec.json.decode, raw, type=MsBody), msgspec.ValidationError
                ),
                "plain": raises(partial(PLAIN.loads, raw), jsonschema.ValidationError),
            },
        ),
        Case(
            "errors()",
            "full",
            {
                "sessionschema": partial(ss.errors, INVALID),
                "pydantic": failure.errors,
                "msgspec": None,  # it stops at the first problem: there is no list
                "plain": partial(PLAIN.errors, INVALID),
            },
        ),
    ]
    return found


# ---------------------------------------------------------------------------------------------
# Verification: every implementation gives the right result, so that working code is measured


class Wrong(Exception):
    """An implementation gave a wrong result; the benchmark would measure broken code."""


def check(ok: bool, what: str) -> None:
    if not ok:
        raise Wrong(what)


def verify() -> None:
    for name, data in (("full", FULL), ("minimal", MINIMAL)):
        raw, snake_data = text(data), snake(data)
        snake_raw = text(snake_data)

        ours = ss.loads(raw)
        check(ss.load(data) == ours, f"sessionschema: load and loads differ on {name}")
        check(ss.dump(ours) == data, f"sessionschema: dump is not the {name} payload")
        check(json.loads(ss.dumps(ours)) == data, f"sessionschema: dumps is not {name}")
        check(ss.errors(data) == [], f"sessionschema: errors() of {name} is not empty")

        sdk = SdkBody.model_validate_json(snake_raw)
        check(SdkBody.model_validate(snake_data) == sdk, f"pydantic: load != loads on {name}")
        check(
            SdkBody.model_validate_json(snake_raw, strict=True) == sdk,
            f"pydantic: strict mode refuses the valid {name} payload",
        )
        wanted = loose(snake_data)
        check(
            loose(sdk.model_dump(by_alias=True, mode="json")) == wanted,
            f"pydantic: dump is not the snake_case {name} payload",
        )
        check(
            loose(json.loads(sdk.model_dump_json(by_alias=True))) == wanted,
            f"pydantic: dumps is not the snake_case {name} payload",
        )

        ms = msgspec.json.decode(raw, type=MsBody)
        check(msgspec.convert(data, type=MsBody) == ms, f"msgspec: convert != decode on {name}")
        check(loose(msgspec.to_builtins(ms)) == loose(data), f"msgspec: dump is not {name}")
        check(
            loose(json.loads(msgspec.json.encode(ms))) == loose(data),
            f"msgspec: dumps is not {name}",
        )

        plain = PLAIN.loads(raw)
        check(plain == ours, f"plain: loads differs from sessionschema's on {name}")
        check(PLAIN.load(data) == ours, f"plain: load differs from sessionschema's on {name}")
        check(loose(PLAIN.dump(plain)) == loose(data), f"plain: dump is not {name}")
        check(loose(json.loads(PLAIN.dumps(plain))) == loose(data), f"plain: dumps is not {name}")

    raw, snake_raw = text(INVALID), text(snake(INVALID))
    try:
        ss.loads(raw)
    except ss.ValidationError as exc:
        wanted_errors = [ss.Error("/duration", exc.errors[0].message, "type")]
        check(list(exc.errors) == wanted_errors, f"sessionschema: wrong errors {exc.errors}")
        check(ss.errors(INVALID) == list(exc.errors), "sessionschema: errors() differs from loads")
    else:
        raise Wrong("sessionschema: the invalid payload was accepted")
    paths = [error["loc"] for error in sdk_failure(snake_raw).errors()]
    check(paths == [("duration",)], f"pydantic: strict mode reports {paths}")
    try:
        msgspec.json.decode(raw, type=MsBody)
    except msgspec.ValidationError as exc:
        check("$.duration" in str(exc), f"msgspec: wrong error {exc}")
    else:
        raise Wrong("msgspec: the invalid payload was accepted")
    found = PLAIN.errors(INVALID)
    check([list(e.absolute_path) for e in found] == [["duration"]], f"plain: errors {found}")
    try:
        PLAIN.loads(raw)
    except jsonschema.ValidationError:
        pass
    else:
        raise Wrong("plain: the invalid payload was accepted")


def sdk_lax_accepts_invalid() -> bool:
    """Whether the SDK, in its default lax mode, takes the invalid payload (a numeric string)."""
    try:
        SdkBody.model_validate_json(text(snake(INVALID)))
    except pydantic.ValidationError:
        return False
    return True


# ---------------------------------------------------------------------------------------------
# Timing


def loop_size(timer: timeit.Timer) -> int:
    """Autorange-style: grow the loop tenfold until it takes 4 ms, then scale to LOOP_SECONDS."""
    number = 1
    while True:
        took = timer.timeit(number)
        if took >= 0.004:
            return max(1, math.ceil(number * LOOP_SECONDS / took))
        number *= 10


def time_case(case: Case) -> dict[str, float | None]:
    """Median microseconds per call of each implementation, the implementations interleaved."""
    timers = {name: timeit.Timer(call) for name, call in case.calls.items() if call is not None}
    numbers = {name: loop_size(timer) for name, timer in timers.items()}
    samples: dict[str, list[float]] = {name: [] for name in timers}
    order = list(timers)
    for repeat in range(REPEATS):
        shift = repeat % len(order)
        for name in order[shift:] + order[:shift]:  # a rotating order: no one always goes first
            samples[name].append(timers[name].timeit(numbers[name]) / numbers[name] * 1e6)
    return {name: statistics.median(samples[name]) if name in samples else None for name in IMPLS}


# ---------------------------------------------------------------------------------------------
# Import time, in fresh interpreters

IMPORTS = {
    "sessionschema": ("sessionschema",),
    "pydantic": ("orq_ai_sdk.models.createsessionop",),
    "msgspec": ("msgspec",),
    "plain": ("jsonschema", "cattrs"),
}


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, check=True, env=os.environ.copy()
    )


def importtime_ms(modules: Iterable[str]) -> float:
    """The cumulative ``-X importtime`` figure of the top-level lines of ``modules``, in ms."""
    modules = tuple(modules)
    stderr = _run("-X", "importtime", "-c", "import " + ", ".join(modules)).stderr
    total = 0
    for line in stderr.splitlines():
        if not line.startswith("import time:"):
            continue
        _, cumulative, name = line.split("|")
        if name.startswith(" ") and name[1:] in modules:  # top level: one space, no indent
            total += int(cumulative)
    return total / 1000


def wall_ms(statement: str) -> float:
    start = time.perf_counter()
    _run("-c", statement)
    return (time.perf_counter() - start) * 1000


def import_times() -> tuple[dict[str, float | None], dict[str, float | None]]:
    """Medians of ``-X importtime`` and of the wall clock over an empty interpreter, in ms."""
    for modules in IMPORTS.values():  # bytecode written, disk caches warm
        importtime_ms(modules)
    runs: dict[str, list[float]] = {name: [] for name in IMPORTS}
    walls: dict[str, list[float]] = {name: [] for name in IMPORTS}
    empty: list[float] = []
    for _ in range(IMPORT_RUNS):
        empty.append(wall_ms("pass"))
        for name, modules in IMPORTS.items():
            runs[name].append(importtime_ms(modules))
            walls[name].append(wall_ms("import " + ", ".join(modules)))
    base = statistics.median(empty)
    return (
        {name: statistics.median(values) for name, values in runs.items()},
        {name: statistics.median(values) - base for name, values in walls.items()},
    )


# ---------------------------------------------------------------------------------------------
# Memory per object


def bytes_per_object(build: Callable[[bytes], object], texts: list[bytes]) -> float:
    """Traced memory held by ``len(texts)`` objects built from ``texts``, per object."""
    for raw in texts[:1000]:  # one-off caches filled before tracing starts
        build(raw)
    kept: list[object] = [None] * len(texts)  # the list itself is not counted
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    for index, raw in enumerate(texts):
        kept[index] = build(raw)
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del kept
    return (after - before) / len(texts)


def memory() -> dict[str, float | None]:
    """Bytes per object of the FULL payload, each object with its own externalId."""
    ids = [f"session-{index:07d}" for index in range(OBJECTS)]
    camel_texts = [text({**FULL, "externalId": id_}) for id_ in ids]
    snake_full = snake(FULL)
    snake_texts = [text({**snake_full, "external_id": id_}) for id_ in ids]
    sizes: dict[str, float | None] = {
        "sessionschema": bytes_per_object(ss.loads, camel_texts),
        "pydantic": bytes_per_object(SdkBody.model_validate_json, snake_texts),
        "msgspec": bytes_per_object(lambda raw: msgspec.json.decode(raw, type=MsBody), camel_texts),
        "plain": None,  # the same attrs objects as sessionschema's, far slower to build
    }
    return sizes


# ---------------------------------------------------------------------------------------------
# Report


def fmt(value: float | None, digits: int | None = None) -> str:
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


IMPORT_ROW = "import, -X importtime (ms)"
MEMORY_ROW = "memory (bytes/object)"


@dataclass(frozen=True)
class Row:
    operation: str
    payload: str
    values: dict[str, float | None]
    digits: int | None = None


def table(rows: list[Row]) -> str:
    header = ["operation", "payload", *(f"{name}" for name in IMPLS), "ours/pydantic", "plain/ours"]
    lines = [header]
    for row in rows:
        values = row.values
        lines.append(
            [
                row.operation,
                row.payload,
                *(fmt(values[name], row.digits) for name in IMPLS),
                times(ratio(values["sessionschema"], values["pydantic"]), 2),
                times(ratio(values["plain"], values["sessionschema"]), 1),
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


def targets(rows: list[Row]) -> list[str]:
    def by(operation: str) -> list[Row]:
        return [row for row in rows if row.operation == operation]

    def judge(label: str, checks: list[tuple[str, float | None, bool]]) -> str:
        met = all(ok for _, _, ok in checks) and bool(checks)
        detail = ", ".join(f"{payload} {fmt(value, 2)}" for payload, value, _ in checks)
        return f"  [{'met' if met else 'NOT MET'}] {label}: {detail}"

    def against_pydantic(operation: str, limit: float) -> str:
        checks = []
        for row in by(operation):
            value = ratio(row.values["sessionschema"], row.values["pydantic"])
            checks.append((row.payload, value, value is not None and value <= limit))
        return judge(f"{operation} <= {limit}x pydantic (ours/pydantic)", checks)

    plain_checks = []
    for row in by("loads"):
        value = ratio(row.values["plain"], row.values["sessionschema"])
        plain_checks.append((row.payload, value, value is not None and value >= 15))
    (imports,) = by(IMPORT_ROW)
    import_ms = imports.values["sessionschema"]
    (mem,) = by(MEMORY_ROW)
    ours_bytes, sdk_bytes = mem.values["sessionschema"], mem.values["pydantic"]
    return [
        "Targets:",
        against_pydantic("loads", 1.5),
        against_pydantic("load", 1.5),
        against_pydantic("dumps", 0.5),
        against_pydantic("invalid loads", 10),
        judge("loads >= 15x faster than the plain pipeline (plain/ours)", plain_checks),
        judge(
            "import sessionschema <= 80 ms (-X importtime)",
            [("ms", import_ms, import_ms is not None and import_ms <= 80)],
        ),
        judge(
            "memory per object <= pydantic's (bytes, ours vs pydantic)",
            [
                ("ours", ours_bytes, True),
                (
                    "pydantic",
                    sdk_bytes,
                    ours_bytes is not None and sdk_bytes is not None and ours_bytes <= sdk_bytes,
                ),
            ],
        ),
    ]


def versions() -> str:
    names = ("sessionschema", "orq-ai-sdk", "pydantic", "msgspec", "orjson", "jsonschema", "cattrs")
    found = []
    for name in names:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name} (not installed)")
    return ", ".join(found)


def main() -> int:
    started = time.perf_counter()
    try:
        verify()
    except Wrong as exc:
        print(f"not benchmarked: an implementation gives a wrong result: {exc}", file=sys.stderr)
        return 1
    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs")
    print(versions())
    reader = "orjson" if ss_json._orjson is not None else "the standard library (json)"
    print(f"sessionschema's JSON reader: {reader}")
    print("All four implementations verified on the full, minimal and invalid payloads.\n")

    rows = [Row(case.operation, case.payload, time_case(case)) for case in cases()]
    importtime, wall = import_times()
    rows.append(Row(IMPORT_ROW, "-", importtime))
    rows.append(Row("import, wall clock (ms)", "-", wall))
    rows.append(Row(MEMORY_ROW, "full", memory(), 0))

    print("Median time per call in microseconds (lower is better), unless the row says otherwise.")
    print(table(rows))
    print()
    print("\n".join(targets(rows)))
    print()
    print("Notes:")
    lax = "accepts" if sdk_lax_accepts_invalid() else "refuses"
    print(
        f'- pydantic: the SDK in its default lax mode {lax} "duration": "789.62"; its invalid'
        " loads use model_validate_json(strict=True), and errors() is .errors() of that"
        " exception (formatting only: the validation is already done, whereas ss.errors and"
        " plain's iter_errors validate the dict)."
    )
    print("- msgspec: stops at the first problem, so it has no errors() list.")
    date_time = "checks" if "date-time" in jsonschema.FormatChecker.checkers else "does not check"
    print(
        f"- plain: jsonschema's FormatChecker {date_time} date-time here (it needs"
        " rfc3339-validator); its errors() is list(iter_errors(dict)); its memory is that of"
        " sessionschema's objects (the same classes)."
    )
    print(
        "- import: pydantic's row imports orq_ai_sdk.models.createsessionop, plain's jsonschema"
        " and cattrs; the wall clock is over `python -c pass`."
    )
    print(f"\nRun in {time.perf_counter() - started:.0f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
