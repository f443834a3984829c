"""Load run: the reference service of examples/service/ under mixed traffic over real HTTP, and
beside it the same service written the usual FastAPI way with the official SDK's pydantic model
(:mod:`benchmarks.service_pydantic`).

Everything runs on this machine: each service under uvicorn in a subprocess listening on a free
port of 127.0.0.1, a file database in a temporary directory, and this process as the load
generator, with 64 keep-alive connections speaking HTTP/1.1 over asyncio streams (the small
client of tests/load.py, which the tests drive the service with too: httpx would be slower than
the servers it measures). On a machine with two cores or more, the servers are pinned to one
core and this process to another.

1. **Mixed traffic** against the service: ``REQUESTS`` (20,000 by default) requests, 85% valid,
   10% invalid, 3% malformed JSON, 2% over the 1 MiB limit (half with a ``Content-Length``,
   refused before they are read; half chunked, refused while they are received), after 1,000
   requests of warm-up. Checked: no 5xx, no connection error, every verdict equal to ``ss.loads``
   on the same body (201 with the session it gives; 422 with its ``to_problem()``; 413), then
   every created session read back with GET, byte for byte the 201 answer and equal to what was
   sent. The server's RSS: at start, after the warm-up, at each quarter, the peak, and at the
   end.
2. **Side by side**: valid traffic, then invalid traffic (schema-invalid and malformed bodies,
   10:3 as in the mix), half of ``REQUESTS`` of each to each service, in runs of an eighth in
   the order A B B A A B B A: requests per second and p50/p99 latency.

Every request loop is bounded in count and in time (:data:`tests.load.RUN_SECONDS` per run,
and :data:`tests.load.REQUEST_SECONDS` per request). Exit status 0 when every check of part 1
passes.

Run: ``make bench-service``, or ``.venv/bin/python benchmarks/service.py [REQUESTS]``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: the repository root is then importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sessionschema as ss
from tests.load import (
    CONNECTIONS,
    SERVICE,
    SESSIONS,
    Answer,
    Server,
    load,
    mismatch,
    request,
    stored,
    traffic,
)

ROOT = Path(__file__).resolve().parents[1]
PEER = ROOT / "benchmarks" / "service_pydantic.py"

REQUESTS = 20_000
WARM_UP = 1_000
SEED = 20261125


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


# -- the run -------------------------------------------------------------------------------------


def mb(size: int) -> str:
    return f"{size / 1e6:.1f}"


def percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


@dataclass
class Figures:
    """Requests per second and latency of one kind of traffic against one service."""

    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)

    def add(self, answers: Sequence[Answer], seconds: float) -> None:
        self.seconds += seconds
        self.latencies += [a.seconds for a in answers if not a.error]

    def cells(self) -> str:
        rate = len(self.latencies) / self.seconds if self.seconds else 0.0
        p50, p99 = (percentile(self.latencies, q) * 1000 for q in (0.5, 0.99))
        return f"{rate:9,.0f} req/s   p50 {p50:6.1f} ms   p99 {p99:6.1f} ms"


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


def mixed_run(server: Server, count: int) -> list[str]:
    """Part 1; the failed checks."""
    port = server.port
    print(f"mixed traffic: {count:,} requests, {CONNECTIONS} connections", flush=True)
    start = server.memory()
    warm = traffic(WARM_UP, SEED + 1)
    run_load(port, [request(shot, port) for shot in warm])
    warmed = server.memory()
    shots = traffic(count, SEED)
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
        if (m := mismatch(s.body, a)) is not None
    ]
    print(f"  verdicts equal to ss.loads on the same body: {count - len(wrong):,} of {count:,}")
    if wrong:
        failures.append(f"{len(wrong)} verdicts differ, the first: {wrong[0][1]}")

    # every created session read back, byte for byte
    created = [(s, a) for s, a in zip(shots, answers, strict=True) if a.status == 201]
    paths = [f"{SESSIONS}/{json.loads(a.body)['_id']}" for _, a in created]
    reads = [f"GET {p} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode() for p in paths]
    back, read_seconds = run_load(port, reads)
    unequal = 0
    for (shot, answer), read in zip(created, back, strict=True):
        sent = stored(ss.loads(shot.body, style="snake"), answer.body)
        same = read.status == 200 and read.body == answer.body
        if not same or ss.loads(read.body, ss.CreateSessionResponseBody, style="snake") != sent:
            unequal += 1
    print(
        f"  read back: {len(created) - unequal:,} of {len(created):,} sessions byte for byte"
        f" and equal to what was sent ({len(created) / read_seconds:,.0f} GET/s)"
    )
    if unequal:
        failures.append(f"{unequal} sessions not read back as created")
    peak = max([*samples, server.memory("VmHWM")])
    print(
        f"  server RSS, MB: start {mb(start)}, after warm-up {mb(warmed)},"
        f" at 25/50/75/100% {' '.join(map(mb, quarters))}, peak {mb(peak)},"
        f" after the reads {mb(server.memory())}"
    )
    return failures


ORDER = ("ours", "peer", "peer", "ours") * 2
"""The order of the side-by-side runs: A B B A, twice, so that drift and noise hit both alike."""


def side_by_side(servers: dict[str, Server], count: int) -> dict[tuple[str, str], Figures]:
    """Part 2: ``count`` requests of valid, then of invalid traffic, against each service, in
    runs of the :data:`ORDER`."""
    figures = {(kind, name): Figures() for kind in ("valid", "invalid") for name in servers}
    mixes = {"valid": (("valid", 1),), "invalid": (("invalid", 10), ("malformed", 3))}
    for server in servers.values():
        warm = traffic(WARM_UP, SEED + 2, (("valid", 85), ("invalid", 10), ("malformed", 3)))
        run_load(server.port, [request(s, server.port) for s in warm])
    for kind, mix in mixes.items():
        for turn, name in enumerate(ORDER):
            port = servers[name].port
            shots = traffic(count * 2 // len(ORDER), SEED + 10 + turn, mix)
            answers, seconds = run_load(port, [request(s, port) for s in shots])
            bad = [a for a in answers if a.error or a.status >= 500]
            if bad:
                print(f"  {name} {kind}: {len(bad)} errors or 5xx, the first: {bad[0]}")
            figures[kind, name].add(answers, seconds)
    return figures


def setting() -> str:
    """The versions that matter and the load of the machine, for the report."""
    names = ("fastapi", "starlette", "uvicorn", "httptools", "uvloop", "pydantic", "orq-ai-sdk")
    versions = ", ".join(f"{name} {metadata.version(name)}" for name in names)
    cores, load = os.cpu_count(), os.getloadavg()[0]
    return f"Python {sys.version.split()[0]}, {versions}; {cores} cores, load average {load:.2f}"


def main(argv: Sequence[str]) -> int:
    count = int(argv[0]) if argv else REQUESTS
    print(setting())
    pin(0, 1)
    with tempfile.TemporaryDirectory(prefix="sessions-load-") as tmp:
        directory = Path(tmp)
        ours = Server(SERVICE, directory / "service.log", SESSIONS_DIR=str(directory / "ours"))
        peer = Server(PEER, directory / "peer.log", SESSIONS_DIR=str(directory / "peer"))
        with ours, peer:
            pin(ours.pid, 0)
            pin(peer.pid, 0)
            failures = mixed_run(ours, count)
            print(
                f"\nside by side: {count // 2:,} requests of a kind to each service, in runs of"
                f" {count // len(ORDER):,} in the order A B B A A B B A",
                flush=True,
            )
            figures = side_by_side({"ours": ours, "peer": peer}, count // 2)
            for kind in ("valid", "invalid"):
                for name in ("ours", "peer"):
                    label = "sessionschema" if name == "ours" else "pydantic (SDK)"
                    print(f"  {kind:8} {label:15} {figures[kind, name].cells()}")
            rate = {k: len(f.latencies) / f.seconds for k, f in figures.items() if f.seconds}
            valid = rate[("valid", "ours")] / rate[("valid", "peer")]
            invalid = rate[("invalid", "ours")] / rate[("invalid", "peer")]
            print(
                f"  goal, ours/pydantic in requests per second: valid {valid:.2f}x, at least 1"
                f" ({'met' if valid >= 1 else 'missed'}); invalid {invalid:.2f}x, more than 1"
                f" ({'met' if invalid > 1 else 'missed'})"
            )
        for server in (ours, peer):
            if "Traceback" in server.output():
                failures.append(f"a traceback in the log of {server.script.name}")
    print()
    for failure in failures:
        print(f"FAILED: {failure}")
    print("every check passed" if not failures else f"{len(failures)} checks failed")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
