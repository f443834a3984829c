"""Time ``sessionschema validate`` on a large JSON Lines file against a bare ``json.loads`` loop.

Writes a 300,000-line file (about 100 MB, 0.1% invalid lines) to a temporary directory, then
times, in the same run:

(a) ``for line in f: json.loads(line)``, in this process: the floor;
(a') ``for line in f: sessionschema.loads(line)``, in this process: the library alone;
(b) ``sessionschema validate --output json FILE`` in a subprocess;
(c) the same with ``--workers 2``;
(d) the same with ``--dask local --workers 2`` (a LocalCluster of two worker processes, started
    and stopped by the command, in the timing), and once on a one-line file: its fixed cost.

It prints the wall times, the peak RSS of (b) and (c) (each process tree's, from ``wait4``),
how fast two processes run on this machine at all, and the targets, each met or missed: (b)/(a),
the command-line row of the speed work, at most 1.0 (goal 0.7); (b)/(c) at least 1.6; (b)/(d) at
least 1.7.
Run: ``.venv/bin/python benchmarks/cli.py [LINES]`` (300,000 by default; fewer for a quick run).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, NamedTuple

if __package__ in (None, ""):  # run as a script: the package `benchmarks` is then importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sessionschema as ss
from benchmarks.harness import accelerated
from benchmarks.report import Target, target_lines

LINES = 300_000
INVALID_EVERY = 1000  # 0.1% of the lines
SEED = 20261124
ROUNDS = 3
SEP = (",", ":")  # compact, as exports usually are

_TAGS = ("support", "escalated", "billing", "sales", "onboarding", "vip", "churn-risk", "beta")


def payload(rng: random.Random, index: int) -> dict[str, Any]:
    """A valid payload of about 330 bytes of JSON, varied by ``rng``."""
    prompt, completion = rng.randint(10, 90_000), rng.randint(10, 30_000)
    data: dict[str, Any] = {
        "externalId": f"chat-{index:07d}",
        "duration": round(rng.uniform(100, 900_000), 2),
        "contactIds": [f"c_{rng.getrandbits(32):08x}" for _ in range(rng.randint(1, 2))],
        "billing": {
            "inputCost": round(prompt * 2.5e-6, 6),
            "outputCost": round(completion * 1e-5, 6),
            "totalCost": round(prompt * 2.5e-6 + completion * 1e-5, 6),
        },
        "usage": {
            "promptTokens": prompt,
            "completionTokens": completion,
            "totalTokens": prompt + completion,
        },
        "tracesCount": rng.randint(1, 40),
        "tags": rng.sample(_TAGS, rng.randint(0, 2)),
    }
    if rng.random() < 0.8:
        data["projectId"] = f"proj_{rng.getrandbits(16):04x}"
    if rng.random() < 0.7:
        hour, minute = rng.randint(0, 22), rng.randint(0, 59)
        second, millisecond = rng.randint(0, 59), rng.randint(0, 999)
        data["startedAt"] = f"2026-11-24T{hour:02d}:{minute:02d}:{second:02d}.{millisecond:03d}Z"
        data["updatedAt"] = f"2026-11-24T{hour + 1:02d}:{minute:02d}:00+01:00"
    return data


def invalid_line(rng: random.Random, index: int) -> str:
    """An invalid line: wrong types, a missing key, or text that is not JSON."""
    data = payload(rng, index)
    kind = index // INVALID_EVERY % 3
    if kind == 0:
        data["duration"], data["tags"] = str(data["duration"]), [None]
    elif kind == 1:
        del data["billing"]["totalCost"]
    else:
        return json.dumps(data, separators=SEP)[:-20]  # cut short
    return json.dumps(data, separators=SEP)


def write_file(path: Path, lines: int) -> int:
    """Write the benchmark file; its size in bytes."""
    rng = random.Random(SEED)
    with path.open("w", encoding="utf-8") as out:
        for index in range(lines):
            if index % INVALID_EVERY == INVALID_EVERY // 2:
                out.write(invalid_line(rng, index) + "\n")
            else:
                out.write(json.dumps(payload(rng, index), separators=SEP) + "\n")
    return path.stat().st_size


def bare_loop(path: Path) -> float:
    """(a): wall time of parsing every line with :func:`json.loads`, nothing else."""
    start = time.perf_counter()
    with path.open("rb") as f:
        for line in f:
            try:
                json.loads(line)
            except ValueError:  # not contextlib.suppress: it would slow the floor down
                continue
    return time.perf_counter() - start


def library_loop(path: Path) -> float:
    """(a'): wall time of :func:`sessionschema.loads` on every line, in this process."""
    start = time.perf_counter()
    with path.open("rb") as f:
        for line in f:
            try:
                ss.loads(line)
            except ss.ValidationError:
                continue
    return time.perf_counter() - start


def _burn(count: int) -> int:
    total = 0
    for value in range(count):
        total += value
    return total


def parallelism(count: int = 10_000_000) -> tuple[float, float]:
    """Seconds for one process to do two pieces of pure-Python work, and for two processes to
    do one each: the second is half the first on two idle cores."""
    start = time.perf_counter()
    _burn(count)
    _burn(count)
    alone = time.perf_counter() - start
    with multiprocessing.Pool(2) as pool:
        pool.map(_burn, [1, 1])  # start the workers first
        start = time.perf_counter()
        pool.map(_burn, [count, count])
        return alone, time.perf_counter() - start


class Run(NamedTuple):
    """One run of the command: wall time, CPU time of its process tree, peak RSS."""

    wall: float
    cpu: float
    rss_mb: int


def command(path: Path, out: Path, *options: str) -> Run:
    """Run the installed ``validate --output json`` on ``path``, stdout to ``out``."""
    script = shutil.which("sessionschema", path=os.path.dirname(sys.executable))
    if script is None:
        raise SystemExit("the sessionschema command is not installed next to this python")
    argv = [script, "validate", "--output", "json", *options, str(path)]
    with out.open("wb") as stdout:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=stdout, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)  # the rusage of this child and its workers
        wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 1:
        raise SystemExit(f"{' '.join(argv)} exited {proc.returncode}, expected 1")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024)


def main() -> None:
    """Write the file, time each run ROUNDS times (the best counts), print the figures."""
    lines = int(sys.argv[1]) if len(sys.argv) > 1 else LINES
    a: list[float] = []
    a_lib: list[float] = []
    b: list[Run] = []
    c: list[Run] = []
    d: list[Run] = []
    d_fixed: list[Run] = []
    alone: list[float] = []
    together: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        path, b_out, c_out = Path(tmp) / "sessions.jsonl", Path(tmp) / "b", Path(tmp) / "c"
        d_out, one_line = Path(tmp) / "d", Path(tmp) / "one.jsonl"
        size = write_file(path, lines)
        one_line.write_text("[]\n")  # invalid: the command exits 1, as command() expects
        print(f"{lines:,} lines, {size / 1e6:.1f} MB, {size / lines:.0f} bytes a line")
        bare_loop(path)  # warm the page cache
        for _ in range(ROUNDS):
            a.append(bare_loop(path))
            a_lib.append(library_loop(path))
            b.append(command(path, b_out))
            c.append(command(path, c_out, "--workers", "2"))
            d.append(command(path, d_out, "--dask", "local", "--workers", "2"))
            fixed_run = command(one_line, Path(tmp) / "e", "--dask", "local", "--workers", "2")
            d_fixed.append(fixed_run)
            one, two = parallelism()
            alone.append(one)
            together.append(two)
        if b_out.read_bytes() != c_out.read_bytes():
            raise SystemExit("--workers 2 wrote something else than --workers 1")
        if b_out.read_bytes() != d_out.read_bytes():
            raise SystemExit("--dask local wrote something else than one process")
        invalid = len(b_out.read_bytes().splitlines())
    best_a, best_lib = min(a), min(a_lib)
    best_b, best_c, best_d, fixed = min(b), min(c), min(d), min(d_fixed).wall
    fast = f"orjson: {accelerated('orjson')}, msgspec: {accelerated('msgspec')}"  # (the switches)
    print(f"best of {ROUNDS} rounds; {invalid} invalid records reported; {fast}")
    print(f"(a)  bare json.loads loop      {best_a:6.2f} s")
    print(f"(a') sessionschema.loads loop  {best_lib:6.2f} s  {best_lib / best_a:.2f}x (a)")
    print(
        f"(b)  validate --output json    {best_b.wall:6.2f} s  {best_b.wall / best_a:.2f}x (a), "
        f"peak RSS {max(run.rss_mb for run in b)} MB"
    )
    print(
        f"(c)  validate --workers 2      {best_c.wall:6.2f} s  "
        f"{best_c.cpu / best_c.wall:.2f} CPUs busy, peak RSS {max(run.rss_mb for run in c)} MB"
    )
    print(
        f"(d)  validate --dask local -w 2 {best_d.wall:6.2f} s  "
        f"{best_b.wall / best_d.wall:.2f}x (b), {best_c.wall / best_d.wall:.2f}x (c); "
        f"{best_d.cpu / best_d.wall:.2f} CPUs busy, peak RSS {max(run.rss_mb for run in d)} MB"
    )
    print(
        f"     of which fixed cost        {fixed:6.2f} s  (a one-line file); without it, "
        f"{best_b.wall / max(best_d.wall - fixed, 1e-9):.2f}x (b)"
    )
    speedup = min(alone) / min(together)
    print(
        f"{os.cpu_count()} CPUs; two processes of pure Python ran {speedup:.2f}x as fast as one "
        f"(2.00 on two idle cores); load average {os.getloadavg()[0]:.2f}"
    )
    print("Targets:")
    found = [
        Target(
            "(b)/(a): validate --output json / bare json.loads loop",
            best_b.wall / best_a,
            1.0,
            goal=0.7,
        ),
        Target(
            "(b)/(c): validate / validate --workers 2", best_b.wall / best_c.wall, 1.6, floor=True
        ),
        Target(
            "(b)/(d): validate / validate --dask local --workers 2",
            best_b.wall / best_d.wall,
            1.7,
            floor=True,
        ),
    ]
    print("\n".join(target_lines(found)))


if __name__ == "__main__":
    main()
