"""sessionschema side by side with its peers, on the same payloads, in one run.

The peers (:mod:`benchmarks.peers`) are the official SDK's pydantic model, msgspec, and a plain
json + jsonschema + cattrs pipeline. Every implementation is first checked to give the right
result on every payload (:func:`verify`), so the timings are of working code. Then
(:mod:`benchmarks.harness`): each operation, the implementations interleaved; ``loads`` with
sessionschema's accelerator switched off, in a process of its own; the first ``ss.loads`` after
``import sessionschema`` and the import time, in fresh interpreters; the memory an object
holds. Last (:mod:`benchmarks.report`): a table, then the targets, each met or missed. About a
minute in all.

Run: ``python benchmarks/bench.py`` (``make bench`` installs the peers, the extra ``bench``).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: the package `benchmarks` is then importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import jsonschema
import msgspec
import pydantic

import sessionschema as ss
from benchmarks import harness, report
from benchmarks.payloads import (
    FULL,
    INVALID,
    MINIMAL,
    THREE_PATHS,
    THREE_PROBLEMS,
    loose,
    snake,
    snake_key,
    text,
)
from benchmarks.peers import IMPORTS, PLAIN, MsBody, SdkBody, cases, sdk_failure, sdk_refusal
from benchmarks.report import Row

# ---------------------------------------------------------------------------------------------
# Verification: every implementation gives the right result, so that working code is measured


class Wrong(Exception):
    """An implementation gave a wrong result; the benchmark would measure broken code."""


def check(ok: bool, what: str) -> None:
    if not ok:
        raise Wrong(what)


def verify_valid() -> None:
    """Every implementation reads and writes the full and minimal payloads alike."""
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


def verify_invalid() -> None:
    """Every implementation refuses the invalid payload, for its one wrong field."""
    raw, snake_raw = text(INVALID), text(snake(INVALID))
    try:
        ss.loads(raw)
    except ss.ValidationError as exc:
        paths = [error.path for error in exc.errors]
        check(paths == ["/duration"], f"sessionschema: wrong errors {exc.errors}")
        check(ss.errors(INVALID) == list(exc.errors), "sessionschema: errors() differs from loads")
    else:
        raise Wrong("sessionschema: the invalid payload was accepted")
    locations = [error["loc"] for error in sdk_failure(snake_raw).errors()]
    check(locations == [("duration",)], f"pydantic: strict mode reports {locations}")
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


def pointer(location: tuple[int | str, ...] | list[int | str]) -> str:
    return "".join(f"/{part}" for part in location)


def verify_three_problems() -> None:
    """sessionschema, pydantic and plain each find exactly the three problems of the dict of
    the ``errors()`` row."""
    ours = ss.errors(THREE_PROBLEMS)
    check(
        len(ours) == 3 and {error.path for error in ours} == THREE_PATHS,
        f"sessionschema: errors() of the three problems gives {ours}",
    )
    try:
        ss.load(THREE_PROBLEMS)
    except ss.ValidationError as exc:
        check(list(exc.errors) == ours, "sessionschema: errors() differs from load's")
    else:
        raise Wrong("sessionschema: the dict with three problems was accepted")
    sdk = sdk_refusal(snake(THREE_PROBLEMS)).errors()
    snake_paths = {"/".join(snake_key(part) for part in path.split("/")) for path in THREE_PATHS}
    check(
        len(sdk) == 3 and {pointer(error["loc"]) for error in sdk} == snake_paths,
        f"pydantic: strict model_validate of the three problems reports {sdk}",
    )
    plain = PLAIN.errors(THREE_PROBLEMS)
    check(len(plain) == 3, f"plain: iter_errors of the three problems gives {plain}")


def verify() -> None:
    verify_valid()
    verify_invalid()
    verify_three_problems()


# ---------------------------------------------------------------------------------------------
# The measurements beyond the timed calls


def memory() -> dict[str, float | None]:
    """Bytes per object of the full payload, each object with its own externalId."""
    ids = [f"session-{index:07d}" for index in range(harness.OBJECTS)]
    camel_texts = [text({**FULL, "externalId": id_}) for id_ in ids]
    snake_full = snake(FULL)
    snake_texts = [text({**snake_full, "external_id": id_}) for id_ in ids]
    return {
        "sessionschema": harness.bytes_per_object(ss.loads, camel_texts),
        "pydantic": harness.bytes_per_object(SdkBody.model_validate_json, snake_texts),
        "msgspec": harness.bytes_per_object(
            lambda raw: msgspec.json.decode(raw, type=MsBody), camel_texts
        ),
        "plain": None,  # the same attrs objects as sessionschema's, far slower to build
    }


def first_calls() -> dict[str, float | None]:
    """The first reading of the full payload after the import, in ms, in fresh interpreters."""
    return {
        "sessionschema": harness.first_call_ms("sessionschema", text(FULL)),
        "pydantic": harness.first_call_ms("pydantic", text(snake(FULL))),
    }


def measure() -> list[Row]:
    rows = [Row(case.operation, case.payload, harness.time_calls(case.calls)) for case in cases()]
    rows.append(Row(report.NO_ORJSON_ROW, "full", harness.without_orjson()))
    rows.append(Row(report.FIRST_CALL_ROW, "full", first_calls()))
    importtime, wall = harness.import_times(IMPORTS)
    rows.append(Row(report.IMPORT_ROW, "-", importtime))
    rows.append(Row(report.WALL_ROW, "-", wall))
    rows.append(Row(report.MEMORY_ROW, "full", memory(), 0))
    return rows


# ---------------------------------------------------------------------------------------------
# The run


def notes() -> list[str]:
    try:
        SdkBody.model_validate_json(text(snake(INVALID)))
        lax = "accepts"
    except pydantic.ValidationError:
        lax = "refuses"
    date_time = "checks" if "date-time" in jsonschema.FormatChecker.checkers else "does not check"
    return [
        f'- pydantic: the SDK in its default lax mode {lax} "duration": "789.62", so its invalid'
        " loads use model_validate_json(strict=True). Its errors() is model_validate(strict=True)"
        " of the same dict (snake_case keys), the exception caught; lax mode would accept the"
        " numeric string and the bool, and strict mode refuses date-time strings in a dict, so"
        " the dict with three problems has no date-times.",
        "- msgspec: stops at the first problem, so it has no errors() list.",
        f"- plain: jsonschema's FormatChecker {date_time} date-time here (it needs"
        " rfc3339-validator); its errors() is list(iter_errors(dict)); its memory is that of"
        " sessionschema's objects (the same classes).",
        f"- loads, orjson off: timed in a process of its own with {harness.NO_ORJSON}=1 (read"
        " when sessionschema is imported); pydantic is unaffected by it.",
        f"- first call: the wall time of the first ss.loads of the full payload right after"
        f" `import sessionschema` (pydantic: the first model_validate_json after importing the"
        f" SDK's model), median over {harness.FRESH_RUNS} fresh interpreters.",
        "- import: pydantic's row imports orq_ai_sdk.models.createsessionop, plain's jsonschema"
        " and cattrs; the wall clock is over `python -c pass`.",
    ]


def main() -> int:
    started = time.perf_counter()
    try:
        verify()
    except Wrong as exc:
        print(f"not benchmarked: an implementation gives a wrong result: {exc}", file=sys.stderr)
        return 1
    print(report.platform_line())
    print(report.versions())
    reader = "orjson" if harness.accelerated() else "the standard library (json)"
    print(f"sessionschema's JSON reader: {reader}")
    print(
        "All four implementations verified on the full, minimal and invalid payloads and on the"
        " dict with three problems.\n"
    )
    rows = measure()
    print("Median time per call in microseconds (lower is better), unless the row says otherwise.")
    print(report.table(rows))
    print("\nTargets (ours/pydantic measured in this run):")
    print("\n".join(report.target_lines(report.targets(rows))))
    print("\n".join(report.reported(rows)))
    print("\nNotes:")
    print("\n".join(notes()))
    print(f"\nRun in {time.perf_counter() - started:.0f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
