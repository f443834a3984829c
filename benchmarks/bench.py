"""sessionschema side by side with its peers, on the same payloads, in one run.

The peers (:mod:`benchmarks.peers`) are the official SDK's pydantic model, msgspec, and a plain
json + jsonschema + cattrs pipeline. The thread rows (``loads`` of a full ``CreateThreadRequest``
and of a full ``Thread``, and of an invalid ``CreateThreadRequest``) are against the SDK 4, whose
models are timed in its own virtualenv, ``.venv-sdk4``, by a subprocess
(:mod:`benchmarks.sdk4`); without that virtualenv, those rows alone are left out. Every
implementation is first checked to give the right result on every payload (:func:`verify`,
:func:`verify_threads`), so the timings are of working code. Then
(:mod:`benchmarks.harness`): each operation, the implementations interleaved; ``loads`` with
sessionschema's accelerator switched off, in a process of its own; the first ``ss.loads`` after
``import sessionschema`` and the import time, in fresh interpreters; the memory an object
holds. Last (:mod:`benchmarks.report`): a table, then the targets, each met or missed. About a
minute in all.

Run: ``python benchmarks/bench.py`` (``make bench`` installs the peers, the extra ``bench``, and
builds ``.venv-sdk4``).
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from functools import partial
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: the package `benchmarks` is then importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import jsonschema
import msgspec
import pydantic

import sessionschema as ss
from benchmarks import cli, harness, report, sdk4
from benchmarks.payloads import (
    FULL,
    INVALID,
    INVALID_THREAD_REQUEST,
    MINIMAL,
    MIXED_PATHS,
    MIXED_PROBLEMS,
    THREAD,
    THREAD_REQUEST,
    THREE_PATHS,
    THREE_PROBLEMS,
    loose,
    snake,
    snake_key,
    text,
)
from benchmarks.peers import (
    IMPORTS,
    PLAIN,
    MsBody,
    SdkBody,
    cases,
    raises,
    sdk_failure,
    sdk_refusal,
)
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
    mixed = ss.errors(MIXED_PROBLEMS)
    check(
        {error.path for error in mixed} == MIXED_PATHS,
        f"sessionschema: errors() of the mixed problems gives {mixed}",
    )
    sdk = sdk_refusal(snake(MIXED_PROBLEMS)).errors()
    snake_paths = {"/".join(snake_key(part) for part in path.split("/")) for path in MIXED_PATHS}
    check(
        {pointer(error["loc"]) for error in sdk} == snake_paths,
        f"pydantic: strict model_validate of the mixed problems reports {sdk}",
    )


def verify() -> None:
    verify_valid()
    verify_invalid()
    verify_three_problems()


THREADS: dict[str, tuple[type[Any], dict[str, Any]]] = {
    "CreateThreadRequest": (ss.CreateThreadRequest, THREAD_REQUEST),
    "Thread": (ss.Thread, THREAD),
}
"""The thread rows' valid payloads, by the names of :data:`benchmarks.sdk4.MODELS`."""


def thread_texts() -> dict[str, bytes]:
    """The JSON texts of the thread rows, keyed as :mod:`benchmarks.sdk4` reads them."""
    texts = {name: text(data) for name, (_, data) in THREADS.items()}
    return {**texts, sdk4.INVALID: text(INVALID_THREAD_REQUEST)}


def verify_threads(with_sdk4: bool) -> dict[str, Any] | None:
    """sessionschema and the SDK 4 read the full CreateThreadRequest and Thread alike, and each
    refuses the invalid CreateThreadRequest for its one wrong field. The SDK's side is what
    ``benchmarks.sdk4 verify`` reports (None without ``with_sdk4``): returned, for the notes."""
    for name, (cls, data) in THREADS.items():
        ours = ss.loads(text(data), cls, style="snake")
        check(ss.load(data, cls, style="snake") == ours, f"sessionschema: load != loads of {name}")
        check(ss.dump(ours, style="snake") == data, f"sessionschema: dump is not the full {name}")
        check(ss.errors(data, cls, style="snake") == [], f"sessionschema: errors() of {name}")
    try:
        ss.loads(text(INVALID_THREAD_REQUEST), ss.CreateThreadRequest, style="snake")
    except ss.ValidationError as exc:
        paths = [error.path for error in exc.errors]
        check(paths == ["/duration"], f"sessionschema: wrong errors {exc.errors}")
        found = ss.errors(INVALID_THREAD_REQUEST, ss.CreateThreadRequest, style="snake")
        check(found == list(exc.errors), "sessionschema: errors() differs from loads")
    else:
        raise Wrong("sessionschema: the invalid CreateThreadRequest was accepted")
    if not with_sdk4:
        return None
    sdk: dict[str, Any] = sdk4.run("verify", thread_texts())
    for name, (_, data) in THREADS.items():
        for mode in ("lax", "strict"):
            read = sdk[name][mode]
            check("value" in read, f"SDK 4: {mode} mode refuses the full {name}: {read}")
            check(loose(read["value"]) == loose(data), f"SDK 4: {mode} dump is not the {name}")
    strict = sdk[sdk4.INVALID]["strict"]
    locations = [error["loc"] for error in strict.get("errors", [])]
    check(locations == [["duration"]], f"SDK 4: strict mode reports {strict}")
    return sdk


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


def validate_row(lines: int = cli.LINES) -> Row:
    """``sessionschema validate --output json`` on the command line's benchmark file (written by
    :mod:`benchmarks.cli`: 300,000 lines, 0.1% invalid), and a bare ``json.loads`` loop over the
    same lines, in seconds: the best of two runs each, after a first loop warms the page cache."""
    with tempfile.TemporaryDirectory() as tmp:
        path, out = Path(tmp) / "sessions.jsonl", Path(tmp) / "out.jsonl"
        cli.write_file(path, lines)
        cli.bare_loop(path)
        loop = min(cli.bare_loop(path) for _ in range(2))
        command = min(cli.command(path, out).wall for _ in range(2))
    return Row(
        report.VALIDATE_ROW, report.VALIDATE_PAYLOAD, {"sessionschema": command, "plain": loop}
    )


def first_calls() -> dict[str, float | None]:
    """The first reading of the full payload after the import, in ms, in fresh interpreters."""
    return {
        "sessionschema": harness.first_call_ms("sessionschema", text(FULL)),
        "pydantic": harness.first_call_ms("pydantic", text(snake(FULL))),
    }


def thread_rows() -> list[Row]:
    """The thread rows: sessionschema timed here, then the SDK 4 in its subprocess, on the same
    texts, by the same :func:`harness.time_calls`."""
    texts = thread_texts()
    invalid = partial(ss.loads, texts[sdk4.INVALID], ss.CreateThreadRequest, style="snake")
    calls: dict[str, Any] = {
        name: partial(ss.loads, texts[name], cls, style="snake")
        for name, (cls, _) in THREADS.items()
    }
    ours = harness.time_calls({**calls, sdk4.INVALID: raises(invalid, ss.ValidationError)})
    theirs: dict[str, float | None] = sdk4.run("time", texts)

    def row(operation: str, payload: str, name: str) -> Row:
        return Row(operation, payload, {"sessionschema": ours[name], "pydantic": theirs[name]})

    return [
        row("loads", report.THREAD_REQUEST_PAYLOAD, "CreateThreadRequest"),
        row("loads", report.THREAD_PAYLOAD, "Thread"),
        row("invalid loads", report.THREAD_REQUEST_PAYLOAD, sdk4.INVALID),
    ]


def measure(with_sdk4: bool) -> list[Row]:
    rows = [Row(case.operation, case.payload, harness.time_calls(case.calls)) for case in cases()]
    if with_sdk4:
        rows += thread_rows()
    rows.append(Row(report.NO_MSGSPEC_ROW, "full", harness.switched_off(harness.NO_MSGSPEC)))
    rows.append(
        Row(report.NO_ACCELERATORS_ROW, "full", harness.switched_off(harness.NO_ACCELERATORS))
    )
    rows.append(validate_row())
    rows.append(Row(report.FIRST_CALL_ROW, "full", first_calls()))
    importtime, wall = harness.import_times(IMPORTS)
    rows.append(Row(report.IMPORT_ROW, "-", importtime))
    rows.append(Row(report.WALL_ROW, "-", wall))
    rows.append(Row(report.MEMORY_ROW, "full", memory(), 0))
    return rows


# ---------------------------------------------------------------------------------------------
# The run


def sdk4_notes(sdk: dict[str, Any]) -> list[str]:
    """The notes of the thread rows, from what the SDK 4 made of the payloads."""
    versions = sdk["versions"]
    lax = "accepts" if "value" in sdk[sdk4.INVALID]["lax"] else "refuses"
    wrong = json.dumps(INVALID_THREAD_REQUEST["duration"])
    return [
        f"- thread rows: their pydantic column is orq-ai-sdk {versions['orq-ai-sdk']} (pydantic"
        f" {versions['pydantic']}; SDK 3, of the other rows, has no thread models); it runs in"
        " .venv-sdk4, in a subprocess timed by the same harness.time_calls (timer, loop sizes,"
        f" {harness.REPEATS} repeats, medians) right after sessionschema is timed here, so the two"
        " sides are not interleaved. Both read the same bytes: the library's example of each"
        ' model (every key) on the snake_case wire, by ss.loads(text, cls, style="snake") and'
        " model_validate_json.",
        f'- thread rows, invalid loads: the full CreateThreadRequest with "duration": {wrong}. The'
        f" SDK 4 in its default lax mode {lax} it, so, as for SDK 3, its invalid loads use"
        " model_validate_json(strict=True); strict mode accepts both valid texts (date-time"
        " strings and the kind's string are accepted in JSON), which is checked before timing,"
        " while its loads rows keep the default lax mode.",
    ]


def notes(sdk: dict[str, Any] | None) -> list[str]:
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
        f"- loads, msgspec off: timed in a process of its own with {harness.NO_MSGSPEC}=1 (read"
        " when sessionschema is imported): orjson parses, the lean pass builds the model. loads,"
        f" no accelerator: the same with {harness.NO_ACCELERATORS}=1 (the standard library"
        " parses). pydantic is unaffected by either.",
        "- loads and invalid loads (and their thread rows): with the extra fast, msgspec decodes"
        " the text into structs generated from the contract, then the models are built from them;"
        " a text msgspec refuses (the invalid one) is then read by orjson and the full pass, which"
        " lists the problems. load (a dict) runs the lean pass, then the full pass where it gives"
        " up.",
        f"- first call: the wall time of the first ss.load and ss.loads of the full payload right"
        f" after `import sessionschema`, which generate every pass they use (the full pass, the"
        f" lean pass, msgspec's structs and the function that builds the model from them, msgspec"
        f" imported); pydantic: the first model_validate_json after importing the SDK's model;"
        f" median over {harness.FRESH_RUNS} fresh interpreters.",
        "- validate --output json: the command line's benchmark file (benchmarks/cli.py, about"
        " 100 MB, 0.1% invalid lines) read by the installed command in a subprocess, against a"
        " bare json.loads loop over its lines in this process; seconds, the best of two runs."
        " With msgspec a valid line is decoded into its struct, which is the verdict.",
        "- import: pydantic's row imports orq_ai_sdk.models.createsessionop, plain's jsonschema"
        " and cattrs; the wall clock is over `python -c pass`. Every module is imported from"
        " its bytecode, as from an installed package: it is written by a first round into a"
        " directory of the run's own (PYTHONPYCACHEPREFIX), whatever PYTHONDONTWRITEBYTECODE says.",
        *([] if sdk is None else sdk4_notes(sdk)),
    ]


def main() -> int:
    started = time.perf_counter()
    with_sdk4 = sdk4.available()
    try:
        verify()
        sdk = verify_threads(with_sdk4)
    except Wrong as exc:
        print(f"not benchmarked: an implementation gives a wrong result: {exc}", file=sys.stderr)
        return 1
    print(report.platform_line())
    print(report.versions())
    reader = "orjson" if harness.accelerated() else "the standard library (json)"
    structs = "msgspec" if harness.accelerated("msgspec") else "none (the lean pass)"
    print(f"sessionschema's JSON reader: {reader}; its valid path's structs: {structs}")
    if sdk is None:
        print(
            f"orq-ai-sdk 4 not found: {sdk4.VENV.name} is missing (`make"
            f" {sdk4.VENV.name}/.installed` builds it; `make bench` does): the CreateThreadRequest"
            " and Thread rows are skipped."
        )
    else:
        versions = sdk["versions"]
        print(
            f"The thread rows' pydantic column: orq-ai-sdk {versions['orq-ai-sdk']}, pydantic"
            f" {versions['pydantic']}, in {sdk4.VENV.name}."
        )
    print(
        "All four implementations verified on the full, minimal and invalid payloads and on the"
        " dict with three problems."
    )
    if sdk is not None:
        print(
            "sessionschema and the SDK 4 verified on the full CreateThreadRequest and Thread and"
            " on the invalid CreateThreadRequest."
        )
    print()
    rows = measure(with_sdk4)
    print("Median time per call in microseconds (lower is better), unless the row says otherwise.")
    print(report.table(rows))
    print("\nTargets (ours/pydantic measured in this run):")
    print("\n".join(report.target_lines(report.targets(rows))))
    print("\n".join(report.reported(rows)))
    print("\nNotes:")
    print("\n".join(notes(sdk)))
    print(f"\nRun in {time.perf_counter() - started:.0f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
