"""Load run: ``sessionschema serve`` under the thread API's traffic over real HTTP, and beside it
the same routes written the usual FastAPI way with the official SDK's pydantic models
(:mod:`benchmarks.service_pydantic`, run by the SDK's interpreter in ``.venv-sdk4``).

Everything runs on this machine: each server under uvicorn in a subprocess listening on a free
port of 127.0.0.1, a file database in a temporary directory, and this process as the load
generator, with 64 keep-alive connections speaking HTTP/1.1 over asyncio streams (the small
client of tests/support/load.py, which the tests drive the server with too: httpx would be slower
than the servers it measures). On a machine with two cores or more, the servers are pinned to one
core and this process to another.

1. **Mixed traffic** against ``sessionschema serve --db``: ``REQUESTS`` (20,000 by default)
   requests, 55% creations with a valid body, 8% invalid, 3% malformed JSON, 2% over the 1 MiB
   limit (half with a ``Content-Length``, refused before they are read; half chunked, refused
   while they are received), 20% reads of threads created before, 12% queries with filters,
   after 1,000 creations of warm-up. Checked: no 5xx, no connection error, every verdict equal
   to ``ss.loads`` on the same body (200 with the thread it gives; 422 with its
   ``to_problem()``; 413), every read the bytes of the creation's answer, every query a page of
   threads that meet its filters; then every thread created read back, byte for byte the
   creation's answer and equal to what was sent. The server's RSS: at start, after the warm-up,
   at each quarter, the peak, and at the end.
2. **Side by side**, the load sent by autocannon (npm, pinned in tests/js/'s lock, run by
   tests/js/autocannon-run.mjs with ``taskset`` on the CPU the servers are not on): the
   create/read/query mix with valid bodies (60:25:15), then invalid traffic (schema-invalid and
   malformed creations, 10:3), each connection sending a cycle of 100 such requests again and
   again, half of ``REQUESTS`` of each to each server, in runs of an eighth in the order
   A B B A A B B A: requests per second (every request over every run's seconds), p50 (the
   median of the runs') and p99 (the highest of the runs') latency, and the answers by status
   (ours must be all 200, then all 422; the peer's are shown as they are: pydantic's lax mode
   accepts some of the invalid bodies, and FastAPI's own 422 cannot write the NaN of a
   malformed body, a 500).

Every request loop is bounded in count and in time (:data:`tests.support.load.RUN_SECONDS` per run,
and :data:`tests.support.load.REQUEST_SECONDS` per request). Exit status 0 when every check passes.

Run: ``make bench-service [REQUESTS=N]``, which builds what it uses (``.venv``, ``.venv-sdk4``,
``tests/js/node_modules``), or ``.venv/bin/python benchmarks/service.py [REQUESTS]`` once they
are there.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: the repository root is then importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sessionschema as ss
from tests.support.load import (
    CONNECTIONS,
    RUN_SECONDS,
    THREADS,
    Answer,
    Server,
    Shot,
    load,
    mismatch,
    request,
    serve_command,
    stored,
    traffic,
)

ROOT = Path(__file__).resolve().parents[1]
PEER = ROOT / "benchmarks" / "service_pydantic.py"
SDK_PYTHON = ROOT / ".venv-sdk4" / "bin" / "python"
AUTOCANNON = ROOT / "tests" / "js" / "autocannon-run.mjs"
NODE = shutil.which("node") or "node"

REQUESTS = 20_000
WARM_UP = 1_000
SEED = 20261125
VALID_MIX = (("create", 60), ("get", 25), ("query", 15))
INVALID_MIX = (("invalid", 10), ("malformed", 3))


def run_load(port: int, requests: Sequence[bytes], **options: Any) -> tuple[list[Answer], float]:
    """:func:`load` in an event loop of its own (uvloop's when it is installed); the answers
    and the wall time."""
    start = time.perf_counter()
    try:
        import uvloop
    except ImportError:  # pragma: no cover - uvloop comes with uvicorn[standard]
        answers = asyncio.run(load(port, requests, **options))
    else:
        answers = uvloop.run(load(port, requests, **options))
    return answers, time.perf_counter() - start


def mb(size: int) -> str:
    return f"{size / 1e6:.1f}"


def percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


@dataclass
class Figures:
    """Requests per second and latency of one kind of traffic against one server."""

    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)

    def add(self, answers: Sequence[Answer], seconds: float) -> None:
        self.seconds += seconds
        self.latencies += [a.seconds for a in answers if not a.error]

    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def cells(self) -> str:
        p50, p99 = (percentile(self.latencies, q) * 1000 for q in (0.5, 0.99))
        return f"{self.rate():9,.0f} req/s   p50 {p50:6.1f} ms   p99 {p99:6.1f} ms"


def pin(pid: int, cpu: int) -> None:
    """Keep ``pid`` (0: this process) on one CPU, on a machine with two or more."""
    if hasattr(os, "sched_setaffinity") and len(os.sched_getaffinity(0)) >= 2:
        os.sched_setaffinity(pid, {sorted(os.sched_getaffinity(0))[cpu]})


@contextlib.contextmanager
def sampling(server: Server, every: float = 0.05) -> Iterator[list[int]]:
    """The server's RSS, sampled in a thread while the block runs."""
    samples: list[int] = []
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(every):
            with contextlib.suppress(OSError, RuntimeError):
                samples.append(server.memory())

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield samples
    finally:
        stop.set()
        thread.join()


def seed(server: Server, count: int, seed: int) -> dict[str, bytes]:
    """``count`` threads created on ``server``: each id, and the bytes of its creation's answer."""
    shots = traffic(count, seed, (("create", 1),))
    answers, _ = run_load(server.port, [request(shot, server.port) for shot in shots])
    return {json.loads(a.body)["_id"]: a.body for a in answers if a.status == 200}


def mixed_run(server: Server, count: int) -> list[str]:
    """Part 1; the failed checks."""
    port = server.port
    print(f"mixed traffic: {count:,} requests, {CONNECTIONS} connections", flush=True)
    start = server.memory()
    known = seed(server, WARM_UP, SEED + 1)
    warmed = server.memory()
    shots = traffic(count, SEED, ids=list(known))
    requests = [request(shot, port) for shot in shots]
    quarter = count // 4 or 1
    quarters: list[int] = []

    def progress(done: int) -> None:
        if done % quarter == 0:
            quarters.append(server.memory())

    cpu = server.cpu_seconds(), time.process_time()
    with sampling(server) as samples:
        answers, seconds = run_load(port, requests, on_progress=progress)
    busy = (server.cpu_seconds() - cpu[0]) / seconds, (time.process_time() - cpu[1]) / seconds
    failures: list[str] = []
    errors = [a.error for a in answers if a.error]
    server_errors = [a for a in answers if a.status >= 500]
    statuses: dict[str, dict[int, int]] = {}
    for shot, answer in zip(shots, answers, strict=True):
        counts = statuses.setdefault(shot.kind, {})
        counts[answer.status] = counts.get(answer.status, 0) + 1
    print(
        f"  {count:,} requests in {seconds:.1f} s: {count / seconds:,.0f} req/s"
        f" (CPU busy: the server {busy[0]:.0%} of a core, this load generator {busy[1]:.0%})"
    )
    for kind, counts in statuses.items():
        figures = Figures()
        figures.add([a for s, a in zip(shots, answers, strict=True) if s.kind == kind], seconds)
        share = ", ".join(f"{n:,} x {status or 'error'}" for status, n in sorted(counts.items()))
        p50, p99 = (percentile(figures.latencies, q) * 1000 for q in (0.5, 0.99))
        print(f"  {kind:9} {share:28}  p50 {p50:6.1f} ms  p99 {p99:6.1f} ms")
    if server_errors:
        failures.append(f"{len(server_errors)} answers of 5xx")
    if errors:
        failures.append(f"{len(errors)} connection errors, the first: {errors[0]}")
    wrong = [
        (s, m)
        for s, a in zip(shots, answers, strict=True)
        if (m := mismatch(s, a, known)) is not None
    ]
    print(f"  verdicts equal to ss.loads on the same body: {count - len(wrong):,} of {count:,}")
    if wrong:
        failures.append(f"{len(wrong)} verdicts differ, the first: {wrong[0][1]}")

    # every thread created read back, byte for byte
    created = [(s, a) for s, a in zip(shots, answers, strict=True) if s.kind == "create"]
    created = [(s, a) for s, a in created if a.status == 200]
    reads = [
        request(Shot("get", method="GET", path=f"{THREADS}/{json.loads(a.body)['_id']}"), port)
        for _, a in created
    ]
    back, read_seconds = run_load(port, reads)
    unequal = 0
    for (shot, answer), read in zip(created, back, strict=True):
        sent = stored(ss.loads(shot.body, ss.CreateThreadRequest, style="snake"), answer.body)
        same = read.status == 200 and read.body == answer.body
        if not same or ss.loads(read.body, ss.Thread, style="snake") != sent:
            unequal += 1
    print(
        f"  read back: {len(created) - unequal:,} of {len(created):,} threads byte for byte"
        f" and equal to what was sent ({len(created) / read_seconds:,.0f} GET/s)"
    )
    if unequal:
        failures.append(f"{unequal} threads not read back as created")
    peak = max([*samples, server.memory("VmHWM")])
    print(
        f"  server RSS, MB: start {mb(start)}, after warm-up {mb(warmed)},"
        f" at 25/50/75/100% {' '.join(map(mb, quarters))}, peak {mb(peak)},"
        f" after the reads {mb(server.memory())}"
    )
    return failures


ORDER = ("ours", "peer", "peer", "ours") * 2
"""The order of the side-by-side runs: A B B A, twice, so that drift and noise hit both alike."""


def side_by_side(
    servers: dict[str, Server], count: int
) -> tuple[dict[tuple[str, str], Cannon], dict[tuple[str, str], Counter[str]]]:
    """Part 2: ``count`` requests of the valid mix, then of invalid traffic, against each
    server, in runs of the :data:`ORDER`, each sent by autocannon; the figures, and the answers
    by status."""
    figures = {(kind, name): Cannon() for kind in ("valid", "invalid") for name in servers}
    answered = {(kind, name): Counter[str]() for kind in ("valid", "invalid") for name in servers}
    mixes = {"valid": VALID_MIX, "invalid": INVALID_MIX}
    known = {name: seed(server, WARM_UP, SEED + 2) for name, server in servers.items()}
    for kind, mix in mixes.items():
        for turn, name in enumerate(ORDER):
            shots = traffic(CYCLE, SEED + 10 + turn, mix, list(known[name]))
            cpu = servers[name].cpu_seconds()
            result = autocannon(servers[name].port, shots, count * 2 // len(ORDER))
            result["cpu"] = servers[name].cpu_seconds() - cpu
            answered[kind, name].update(result["statuses"])
            errors = result["errors"] + result["timeouts"]
            if errors:
                answered[kind, name]["error"] += errors
            figures[kind, name].add(result)
    return figures, answered


CYCLE = 100
"""The requests each autocannon connection sends in turn, again and again."""
LOAD_CPU = 1
"""The CPU autocannon is pinned to (the servers are on CPU 0)."""


@dataclass
class Cannon:
    """Requests per second and latency of one kind of traffic against one server, from the
    autocannon runs: the requests over the seconds of every run; p50, the median of the runs'
    p50; p99, the highest of their p99 (autocannon measures in whole milliseconds)."""

    requests: int = 0
    seconds: float = 0.0
    cpu: float = 0.0
    p50s: list[float] = field(default_factory=list)
    p99s: list[float] = field(default_factory=list)

    def add(self, result: dict[str, Any]) -> None:
        self.requests += result["requests"]
        self.seconds += result["seconds"]
        self.cpu += result["cpu"]
        self.p50s.append(result["p50"])
        self.p99s.append(result["p99"])

    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def per_request(self) -> float:
        """The server's CPU time per request, in milliseconds: what a busy machine changes
        least."""
        return self.cpu / self.requests * 1000 if self.requests else 0.0

    def cells(self) -> str:
        p50 = percentile(self.p50s, 0.5)
        p99 = max(self.p99s, default=0.0)
        return (
            f"{self.rate():9,.0f} req/s   p50 {p50:6.1f} ms   p99 {p99:6.1f} ms"
            f"   CPU {self.per_request():.2f} ms/req"
        )


def autocannon(port: int, shots: Sequence[Shot], amount: int) -> dict[str, Any]:
    """One run of autocannon (tests/js/autocannon-run.mjs) against 127.0.0.1:``port``, pinned
    to :data:`LOAD_CPU`: :data:`CONNECTIONS` keep-alive connections, each sending ``shots`` in
    turn until ``amount`` requests are answered."""
    requests = [
        {
            "method": shot.method,
            "path": shot.path,
            **(
                {}
                if shot.method == "GET"
                else {
                    "headers": {"content-type": "application/json"},
                    "body64": base64.b64encode(shot.body).decode(),
                }
            ),
        }
        for shot in shots
    ]
    job = {
        "url": f"http://127.0.0.1:{port}",
        "connections": CONNECTIONS,
        "amount": amount,
        "requests": requests,
    }
    command = [NODE, str(AUTOCANNON)]
    if shutil.which("taskset") and len(os.sched_getaffinity(0)) >= 2:
        cpu = sorted(os.sched_getaffinity(0))[LOAD_CPU]
        command = ["taskset", "--cpu-list", str(cpu), *command]
    done = subprocess.run(
        command,
        input=json.dumps(job),
        capture_output=True,
        text=True,
        check=True,
        timeout=RUN_SECONDS,
        cwd=AUTOCANNON.parent,
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def setting() -> str:
    """The versions that matter, in both environments, and the load of the machine."""
    names = ("fastapi", "starlette", "uvicorn", "httptools", "uvloop")
    ours = ", ".join(f"{name} {metadata.version(name)}" for name in names)
    script = (
        "from importlib import metadata; print(', '.join(f'{n} {metadata.version(n)}' for n in"
        f" {(*names, 'pydantic', 'orq-ai-sdk')!r}))"
    )
    peer = subprocess.run(
        [str(SDK_PYTHON), "-c", script], capture_output=True, text=True, check=True, timeout=60
    ).stdout.strip()
    cores, load_average = os.cpu_count(), os.getloadavg()[0]
    return (
        f"Python {sys.version.split()[0]}, {cores} cores, load average {load_average:.2f}\n"
        f"  sessionschema serve: {ours}\n  pydantic peer: {peer}"
    )


def main(argv: Sequence[str]) -> int:
    count = int(argv[0]) if argv else REQUESTS
    if not SDK_PYTHON.exists():
        print(f"{SDK_PYTHON.relative_to(ROOT)} is missing: run `make .venv-sdk4/.installed`")
        return 2
    if not (AUTOCANNON.parent / "node_modules" / "autocannon").exists():
        print("autocannon is missing: run `npm ci --prefix tests/js` (`make bench-service` does)")
        return 2
    print(setting())
    pin(0, 1)
    with tempfile.TemporaryDirectory(prefix="threads-load-") as tmp:
        directory = Path(tmp)
        ours = Server(
            serve_command("--port", "0", "--db", str(directory / "ours.sqlite3")),
            directory / "serve.log",
        )
        peer = Server(
            [str(SDK_PYTHON), str(PEER), str(directory / "peer.sqlite3")],
            directory / "peer.log",
            PORT="0",
        )
        with ours, peer:
            pin(ours.pid, 0)
            pin(peer.pid, 0)
            failures = mixed_run(ours, count)
            print(
                f"\nside by side, sent by autocannon ({CONNECTIONS} connections, pinned to CPU"
                f" {LOAD_CPU}; the servers to CPU 0): {count // 2:,} requests of a kind to each"
                f" server, in runs of {count // len(ORDER):,} in the order A B B A A B B A",
                flush=True,
            )
            figures, answered = side_by_side({"ours": ours, "peer": peer}, count // 2)
            labels = {"valid": "create/get/query", "invalid": "invalid"}
            for kind in ("valid", "invalid"):
                for name in ("ours", "peer"):
                    label = "sessionschema" if name == "ours" else "pydantic (SDK)"
                    statuses = ", ".join(
                        f"{n:,} x {s}" for s, n in sorted(answered[kind, name].items())
                    )
                    print(
                        f"  {labels[kind]:16} {label:15} {figures[kind, name].cells()}   {statuses}"
                    )
            wanted = {"valid": "200", "invalid": "422"}
            for kind, status in wanted.items():
                other = sum(n for s, n in answered[kind, "ours"].items() if s != status)
                if other:
                    failures.append(
                        f"sessionschema: {other} answers to {kind} traffic not {status}"
                    )
            valid = figures["valid", "ours"].rate() / figures["valid", "peer"].rate()
            invalid = figures["invalid", "ours"].rate() / figures["invalid", "peer"].rate()
            print(
                f"  ours/pydantic in requests per second: create/get/query {valid:.2f}x,"
                f" invalid {invalid:.2f}x"
            )
            cpu_valid, cpu_invalid = (
                figures[kind, "peer"].per_request() / figures[kind, "ours"].per_request()
                for kind in ("valid", "invalid")
            )
            print(
                f"  pydantic/ours in CPU time per request: create/get/query {cpu_valid:.2f}x,"
                f" invalid {cpu_invalid:.2f}x"
            )
        if "Traceback" in ours.output():
            failures.append("a traceback in the log of sessionschema serve")
        tracebacks = peer.output().count("Traceback")
        if tracebacks:
            print(f"  (the pydantic peer logged {tracebacks:,} tracebacks: its 500s)")
    print()
    for failure in failures:
        print(f"FAILED: {failure}")
    print("every check passed" if not failures else f"{len(failures)} checks failed")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
