"""How things are measured: call timing, fresh interpreters, memory per object.

- **Call timing**: each implementation's loop is sized autorange-style to about
  :data:`LOOP_SECONDS`; then, :data:`REPEATS` times, every implementation runs its loop once, in
  a rotating order so that no one always goes first and noise hits them alike; the figure is the
  median time per call.
- **Fresh interpreters**: the import time (``-X importtime``, and the wall clock over
  ``python -c pass`` as a cross-check; from bytecode, as an installed package), the first call
  after the import, and timings that need an environment variable read at import
  (``SESSIONSCHEMA_NO_MSGSPEC=1``), each in new processes running :mod:`benchmarks.fresh`.
- **Memory per object**: ``tracemalloc`` over many distinct objects kept alive.
- **Another virtualenv**: a peer that cannot share the project's ``.venv`` (the SDK 4, in
  ``.venv-sdk4``) is timed by :func:`time_calls` in a subprocess of that virtualenv's interpreter
  (:mod:`benchmarks.sdk4`), which prints its medians.

Only the standard library is imported here: :mod:`benchmarks.fresh` uses this module in a fresh
interpreter whose first call is being timed.
"""

from __future__ import annotations

import gc
import importlib.util
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
import timeit
import tracemalloc
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

REPEATS = 7
LOOP_SECONDS = 0.04  # the target length of one timed loop
FRESH_RUNS = 5  # fresh interpreters per figure: the import time, the first call
OBJECTS = 100_000  # for the memory per object

ROOT = Path(__file__).resolve().parents[1]
"""The repository: the directory from which ``python -m benchmarks.fresh`` finds the package."""

NO_ORJSON = "SESSIONSCHEMA_NO_ORJSON"
"""The environment variable that switches orjson off in sessionschema, read at import."""
NO_MSGSPEC = "SESSIONSCHEMA_NO_MSGSPEC"
"""The environment variable that switches msgspec off in sessionschema, read at import."""
NO_ACCELERATORS = "SESSIONSCHEMA_NO_ACCELERATORS"
"""The environment variable that switches both accelerators of the extra ``fast`` off."""


def accelerated(name: str = "orjson") -> bool:
    """Whether sessionschema uses the accelerator ``name`` (orjson or msgspec) in this process:
    it is installed and no switch is set (the rule of the library, read from the outside)."""
    switch = NO_ORJSON if name == "orjson" else NO_MSGSPEC
    switched = os.environ.get(switch) or os.environ.get(NO_ACCELERATORS)
    return importlib.util.find_spec(name) is not None and not switched


# ---------------------------------------------------------------------------------------------
# Call timing


def loop_size(timer: timeit.Timer) -> int:
    """Autorange-style: grow the loop tenfold until it takes 4 ms, then scale to LOOP_SECONDS."""
    number = 1
    while True:
        took = timer.timeit(number)
        if took >= 0.004:
            return max(1, math.ceil(number * LOOP_SECONDS / took))
        number *= 10


def time_calls(calls: Mapping[str, Callable[[], object] | None]) -> dict[str, float | None]:
    """Median microseconds per call of each call, the calls interleaved (None stays None)."""
    timers = {name: timeit.Timer(call) for name, call in calls.items() if call is not None}
    numbers = {name: loop_size(timer) for name, timer in timers.items()}
    samples: dict[str, list[float]] = {name: [] for name in timers}
    order = list(timers)
    for repeat in range(REPEATS):
        shift = repeat % len(order)
        for name in order[shift:] + order[:shift]:  # a rotating order: no one always goes first
            samples[name].append(timers[name].timeit(numbers[name]) / numbers[name] * 1e6)
    return {name: statistics.median(samples[name]) if name in samples else None for name in calls}


# ---------------------------------------------------------------------------------------------
# Fresh interpreters


def python(
    *args: str,
    env: Mapping[str, str] | None = None,
    stdin: bytes = b"",
    interpreter: str | os.PathLike[str] = sys.executable,
) -> subprocess.CompletedProcess[bytes]:
    """Run this Python (or ``interpreter``, another virtualenv's) on ``args`` from the
    repository's directory; its output, or :class:`subprocess.CalledProcessError` with what it
    wrote on stderr."""
    try:
        return subprocess.run(
            [os.fspath(interpreter), *args],
            input=stdin,
            capture_output=True,
            check=True,
            cwd=ROOT,
            env={**os.environ, **(env or {})},
        )
    except subprocess.CalledProcessError as exc:
        sys.stderr.write(exc.stderr.decode(errors="replace"))
        raise


def fresh(*args: str, env: Mapping[str, str] | None = None, stdin: bytes = b"") -> Any:
    """The JSON that ``python -m benchmarks.fresh ARGS`` prints in a new interpreter."""
    return json.loads(python("-m", "benchmarks.fresh", *args, env=env, stdin=stdin).stdout)


def importtime_ms(modules: Iterable[str], env: Mapping[str, str] | None = None) -> float:
    """The cumulative ``-X importtime`` figure of the top-level lines of ``modules``, in ms."""
    modules = tuple(modules)
    statement = "import " + ", ".join(modules)
    stderr = python("-X", "importtime", "-c", statement, env=env).stderr.decode()
    total = 0
    for line in stderr.splitlines():
        if not line.startswith("import time:"):
            continue
        _, cumulative, name = line.split("|")
        if name.startswith(" ") and name[1:] in modules:  # top level: one space, no indent
            total += int(cumulative)
    return total / 1000


def wall_ms(statement: str, env: Mapping[str, str] | None = None) -> float:
    """Wall time of ``python -c STATEMENT``, in ms."""
    start = time.perf_counter()
    python("-c", statement, env=env)
    return (time.perf_counter() - start) * 1000


def import_times(
    imports: Mapping[str, tuple[str, ...]],
) -> tuple[dict[str, float | None], dict[str, float | None]]:
    """Medians of ``-X importtime`` and of the wall clock over an empty interpreter, in ms, of
    each entry's modules.

    Every module is imported from its bytecode, as from an installed package (pip writes the
    bytecode at install): the interpreters may write it (whatever ``PYTHONDONTWRITEBYTECODE``
    says here), into a directory of their own (``PYTHONPYCACHEPREFIX``), and a first round
    writes it, for every implementation alike.
    """
    with tempfile.TemporaryDirectory(prefix="bench-bytecode-") as bytecode:
        env = {"PYTHONDONTWRITEBYTECODE": "", "PYTHONPYCACHEPREFIX": bytecode}
        for modules in imports.values():  # bytecode written, disk caches warm
            importtime_ms(modules, env)
        runs: dict[str, list[float]] = {name: [] for name in imports}
        walls: dict[str, list[float]] = {name: [] for name in imports}
        empty: list[float] = []
        for _ in range(FRESH_RUNS):
            empty.append(wall_ms("pass", env))
            for name, modules in imports.items():
                runs[name].append(importtime_ms(modules, env))
                walls[name].append(wall_ms("import " + ", ".join(modules), env))
    base = statistics.median(empty)
    return (
        {name: statistics.median(values) for name, values in runs.items()},
        {name: statistics.median(values) - base for name, values in walls.items()},
    )


def first_call_ms(impl: str, raw: bytes) -> float:
    """Median, over fresh interpreters, of the wall time of ``impl``'s very first reading of
    ``raw`` right after its import (see :func:`benchmarks.fresh.first_call`), in ms."""
    seconds = [float(fresh("first-call", impl, stdin=raw)) for _ in range(FRESH_RUNS)]
    return statistics.median(seconds) * 1000


def switched_off(switch: str) -> dict[str, float | None]:
    """The ``loads`` timings of the full payload in a process with the environment variable
    ``switch`` set (:data:`NO_MSGSPEC`, :data:`NO_ACCELERATORS`; see
    :func:`benchmarks.fresh.loads_timings`)."""
    times: dict[str, float | None] = fresh("loads", env={switch: "1"})
    return times


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
