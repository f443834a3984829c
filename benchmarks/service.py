"""Load run: the reference service of examples/service/ under mixed traffic over real HTTP, and
beside it the same service written the usual FastAPI way with the official SDK's pydantic model
(:mod:`benchmarks.service_pydantic`).

Everything runs on this machine: each service under uvicorn in a subprocess listening on a free
port of 127.0.0.1, a file database in a temporary directory, and this process as the load
generator, with 64 keep-alive connections speaking HTTP/1.1 over asyncio streams (a small
client of its own: httpx would be slower than the servers it measures). On a machine with two
cores or more, the servers are pinned to one core and this process to another.

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

Every request loop is bounded in count and in time (:data:`RUN_SECONDS` per run, and
:data:`REQUEST_SECONDS` per request). Exit status 0 when every check of part 1 passes.

Run: ``make bench-service``, or ``.venv/bin/python benchmarks/service.py [REQUESTS]``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: the package `benchmarks` is then importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import attrs

import sessionschema as ss

ROOT = Path(__file__).resolve().parents[1]
SERVICE = ROOT / "examples" / "service" / "app.py"
PEER = ROOT / "benchmarks" / "service_pydantic.py"
SESSIONS = "/v2/traces/sessions"

REQUESTS = 20_000
CONNECTIONS = 64
WARM_UP = 1_000
MAX_BYTES = 1 << 20  # the service's default limit
SEED = 20261125
RUN_SECONDS = 600.0  # no run of requests goes on longer than this
REQUEST_SECONDS = 60.0  # nor any one request
MIX = (("valid", 85), ("invalid", 10), ("malformed", 3), ("over", 2))
SEP = (",", ":")


# -- a service in a subprocess -------------------------------------------------------------------


class Server:
    """A service script run with ``PORT=0`` in a subprocess: uvicorn binds a free port of
    127.0.0.1 and names it in its log, which goes to a file (a pipe left unread would block it).
    """

    def __init__(self, script: Path, log: Path, **env: str) -> None:
        self.script = script
        self.log = log
        self.env = {**os.environ, "PORT": "0", **env}
        self.process: subprocess.Popen[bytes] | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        assert self.process is not None, "not started"
        return self.process.pid

    def start(self, timeout: float = 60.0) -> Server:
        """Start the service and wait until it listens: at most ``timeout`` seconds."""
        offset = self.log.stat().st_size if self.log.exists() else 0  # a restart appends
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, str(self.script)],
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=ROOT,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = re.search(r"Uvicorn running on http://127\.0\.0\.1:(\d+)", self.output(offset))
            if found:
                self.port = int(found[1])
                return self
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        self.stop(kill=True)
        raise RuntimeError(f"{self.script.name} did not start:\n{self.output(offset)[-3000:]}")

    def stop(self, *, kill: bool = False, timeout: float = 30.0) -> int | None:
        """SIGTERM (uvicorn shuts down gracefully) or SIGKILL; the exit status."""
        if self.process is None:
            return None
        process, self.process = self.process, None
        if process.poll() is None:
            process.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout)
        return process.returncode

    def output(self, offset: int = 0) -> str:
        """The log, from byte ``offset`` on."""
        if not self.log.exists():
            return ""
        with self.log.open("rb") as log:
            log.seek(offset)
            return log.read().decode(errors="replace")

    def memory(self, key: str = "VmRSS") -> int:
        """Bytes of the process's ``VmRSS`` (now) or ``VmHWM`` (peak) from /proc (Linux)."""
        with open(f"/proc/{self.pid}/status") as status:
            for line in status:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) * 1024
        raise RuntimeError(f"no {key} in /proc/{self.pid}/status")

    def cpu_seconds(self) -> float:
        """User and system CPU time the process has used, from /proc (Linux)."""
        with open(f"/proc/{self.pid}/stat") as stat:
            fields = stat.read().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def __enter__(self) -> Server:
        return self.start() if self.process is None else self

    def __exit__(self, *exc: object) -> None:
        self.stop()


# -- traffic -------------------------------------------------------------------------------------

_TAGS = ("support", "escalated", "billing", "sales", "onboarding", "vip", "churn-risk", "beta")


def valid_payload(rng: random.Random, index: int) -> dict[str, Any]:
    """A valid snake_case payload of about 300 to 450 bytes, varied by ``rng``."""
    prompt, completion = rng.randint(10, 90_000), rng.randint(10, 30_000)
    data: dict[str, Any] = {
        "external_id": f"chat-{index:07d}" + ("-café ☕" if rng.random() < 0.1 else ""),
        "duration": rng.choice([rng.randint(100, 900_000), round(rng.uniform(100, 900_000), 2)]),
        "contact_ids": [f"c_{rng.getrandbits(32):08x}" for _ in range(rng.randint(0, 3))],
        "billing": {
            "input_cost": round(prompt * 2.5e-6, 6),
            "output_cost": round(completion * 1e-5, 6),
            "total_cost": round(prompt * 2.5e-6 + completion * 1e-5, 6),
        },
        "usage": {
            "prompt_tokens": prompt,
            "completion_tokens": completion,
            "total_tokens": prompt + completion,
        },
        "traces_count": rng.randint(1, 40),
        "tags": rng.sample(_TAGS, rng.randint(0, 3)),
    }
    if rng.random() < 0.8:
        data["project_id"] = rng.choice([None, f"proj_{rng.getrandbits(16):04x}"])
    if rng.random() < 0.7:
        hour, minute, second = rng.randint(0, 22), rng.randint(0, 59), rng.randint(0, 59)
        fraction = rng.choice(["", ".5", f".{rng.randint(0, 999):03d}", ".123456789"])
        offset = rng.choice(["Z", "+02:00", "-05:30", "z"])
        data["started_at"] = f"2026-11-24T{hour:02d}:{minute:02d}:{second:02d}{fraction}{offset}"
        if rng.random() < 0.5:
            data["updated_at"] = f"2026-11-24T{hour + 1:02d}:{minute:02d}:00Z"
    return data


_BREAKS: tuple[Callable[[dict[str, Any], random.Random], None], ...] = (
    lambda d, r: d.update(duration=str(d["duration"])),
    lambda d, r: d.pop(r.choice(["external_id", "billing", "usage", "tags", "traces_count"])),
    lambda d, r: d["contact_ids"].append(None),
    lambda d, r: d["billing"].update(total_cost=True),
    lambda d, r: d["usage"].pop("total_tokens"),
    lambda d, r: d.update(started_at=r.choice(["2026-02-30T00:00:00Z", "2026-11-24 07:08:09Z"])),
    lambda d, r: d.update(tags="vip"),
    lambda d, r: d.update(external_id=42),
    lambda d, r: d.update(usage=None),
)


def invalid_body(rng: random.Random, index: int) -> bytes:
    """Valid JSON with one to three problems of the schema."""
    data = valid_payload(rng, index)
    for change in rng.sample(_BREAKS, rng.randint(1, 3)):
        with contextlib.suppress(KeyError, AttributeError, TypeError):  # an earlier change took it
            change(data, rng)
    return json.dumps(data, separators=SEP, ensure_ascii=False).encode()


def malformed_body(rng: random.Random, index: int) -> bytes:
    """Text that is not JSON: cut short, a trailing comma, NaN, bad UTF-8, trailing garbage."""
    text = json.dumps(valid_payload(rng, index), separators=SEP, ensure_ascii=False).encode()
    kind = rng.randrange(5)
    if kind == 0:
        return text[: rng.randint(1, len(text) - 1)]
    if kind == 1:
        return text[:-1] + b",}"
    if kind == 2:
        return text.replace(b'"traces_count":', b'"traces_count":NaN,"x":', 1)
    if kind == 3:
        return text.replace(b'"chat-', b'"\xff\xfe-', 1)
    return text + b" {}"


def over_body(rng: random.Random, index: int) -> bytes:
    """A valid payload padded with tags to 1 to 64 KiB over the limit."""
    data = valid_payload(rng, index)
    size = len(json.dumps(data, separators=SEP, ensure_ascii=False).encode())
    want = MAX_BYTES + rng.randint(1, 64 << 10)
    data["tags"] = data["tags"] + ["x" * 1000] * ((want - size) // 1003 + 1)
    return json.dumps(data, separators=SEP, ensure_ascii=False).encode()


@dataclass(frozen=True)
class Shot:
    """One request of the load: its kind, its body, and whether it is sent chunked."""

    kind: str
    body: bytes
    chunked: bool = False


def traffic(count: int, seed: int, mix: Sequence[tuple[str, int]] = MIX) -> list[Shot]:
    """``count`` requests drawn by ``mix`` (kind, weight), in a random order. Over-limit bodies
    are eight, reused, so that the list stays small; every valid one is distinct."""
    rng = random.Random(seed)
    kinds = rng.choices([kind for kind, _ in mix], [weight for _, weight in mix], k=count)
    over = [over_body(rng, -i) for i in range(8)]
    shots = []
    for index, kind in enumerate(kinds):
        if kind == "valid":
            data = valid_payload(rng, index)
            shots.append(Shot(kind, json.dumps(data, separators=SEP, ensure_ascii=False).encode()))
        elif kind == "invalid":
            shots.append(Shot(kind, invalid_body(rng, index)))
        elif kind == "malformed":
            shots.append(Shot(kind, malformed_body(rng, index)))
        else:
            shots.append(Shot(kind, over[index % 8], chunked=index % 2 == 0))
    return shots


def request(shot: Shot, port: int) -> bytes:
    """The HTTP/1.1 request of a shot: with a Content-Length, or chunked in 64 KiB chunks."""
    head = (
        f"POST {SESSIONS} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
    ).encode()
    if not shot.chunked:
        return head + b"Content-Length: %d\r\n\r\n" % len(shot.body) + shot.body
    parts = [head + b"Transfer-Encoding: chunked\r\n\r\n"]
    for start in range(0, len(shot.body), 1 << 16):
        chunk = shot.body[start : start + (1 << 16)]
        parts += [b"%x\r\n" % len(chunk), chunk, b"\r\n"]
    return b"".join([*parts, b"0\r\n\r\n"])


# -- the load generator --------------------------------------------------------------------------


@dataclass
class Answer:
    """What came back for one request: status 0 and ``error`` set when nothing did."""

    status: int = 0
    body: bytes = b""
    seconds: float = 0.0
    error: str = ""


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
    """(status, body, whether the server closes the connection) of one response."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    length, close = 0, False
    for line in lines[1:]:
        name, _, value = line.partition(":")
        name = name.strip().lower()
        if name == "content-length":
            length = int(value)
        elif name == "connection" and "close" in value.lower():
            close = True
        elif name == "transfer-encoding":
            raise ValueError("a chunked response: this client reads Content-Length only")
    return status, await reader.readexactly(length), close


async def _exchange(connection: list[Any], port: int, data: bytes) -> tuple[int, bytes, bool]:
    """Send one request on the connection ``[reader, writer]`` (opened if need be) and read
    its response while the request is still being written."""
    if not connection:
        connection.extend(await asyncio.open_connection("127.0.0.1", port))
    reader, writer = connection
    response = asyncio.ensure_future(_read_response(reader))
    try:
        try:
            writer.write(data)
            await writer.drain()
        except ConnectionError:
            if not response.done():  # the answer may have come before the end of the body
                await asyncio.wait([response], timeout=1)
        return await response
    finally:
        response.cancel()  # when cancelled or failed: no reader left behind


async def load(
    port: int,
    requests: Sequence[bytes],
    connections: int = CONNECTIONS,
    deadline: float = RUN_SECONDS,
    on_progress: Callable[[int], None] | None = None,
) -> list[Answer]:
    """Send every request, ``connections`` at a time on keep-alive connections to
    127.0.0.1:``port``; one :class:`Answer` each, in order. Stops at ``deadline`` seconds:
    requests not sent by then are answered with the error ``"not sent"``."""
    answers = [Answer(error="not sent") for _ in requests]
    indices = iter(range(len(requests)))
    stop_at = time.monotonic() + deadline
    done = 0

    async def worker() -> None:
        nonlocal done
        connection: list[Any] = []
        for index in indices:
            if time.monotonic() > stop_at:
                return
            start = time.perf_counter()
            try:
                status, body, close = await asyncio.wait_for(
                    _exchange(connection, port, requests[index]), REQUEST_SECONDS
                )
            except (OSError, asyncio.IncompleteReadError, asyncio.TimeoutError, ValueError) as exc:
                answers[index] = Answer(error=f"{type(exc).__name__}: {exc}")
                close = True
            else:
                answers[index] = Answer(status, body, time.perf_counter() - start)
            if close and connection:
                connection.pop(1).close()
                connection.clear()
            done += 1
            if on_progress is not None:
                on_progress(done)
        if connection:
            connection[1].close()

    await asyncio.gather(*(worker() for _ in range(min(connections, len(requests)) or 1)))
    return answers


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


# -- verdicts ------------------------------------------------------------------------------------


def expected(
    body: bytes, *, strict: bool = False, max_bytes: int = MAX_BYTES
) -> ss.CreateSessionRequestBody | dict[str, Any]:
    """What the service must answer for ``body``: the session ``ss.loads`` gives, or the problem
    of its ValidationError."""
    try:
        return ss.loads(body, style="snake", strict=strict, max_bytes=max_bytes)
    except ss.ValidationError as exc:
        return exc.to_problem()


def stored(session: ss.CreateSessionRequestBody, answer: bytes) -> ss.CreateSessionResponseBody:
    """The session as stored: ``session`` with the ids that the 201 ``answer`` assigned."""
    ids = json.loads(answer)
    return ss.CreateSessionResponseBody(
        **attrs.asdict(session, recurse=False), id=ids["_id"], workspace_id=ids["workspace_id"]
    )


def mismatch(
    body: bytes, answer: Answer, *, strict: bool = False, max_bytes: int = MAX_BYTES
) -> str | None:
    """Why the ``answer`` to ``body`` is not the verdict of ``ss.loads``; None if it is."""
    if answer.error:
        return answer.error
    want = expected(body, strict=strict, max_bytes=max_bytes)
    if isinstance(want, ss.CreateSessionRequestBody):
        if answer.status != 201:
            return f"expected 201, got {answer.status}: {answer.body[:300]!r}"
        if answer.body.decode() != ss.dumps(stored(want, answer.body), style="snake"):
            return f"201 with another session: {answer.body[:300]!r}"
        return None
    if answer.status != want["status"]:
        return f"expected {want['status']}, got {answer.status}: {answer.body[:300]!r}"
    served = json.loads(answer.body)
    if want["status"] == 413:  # the service words the size problem itself: it did not read on
        keywords = [error["keyword"] for error in served["errors"]]
        return None if keywords == ["maxBytes"] else f"413 with {keywords}"
    return None if served == want else f"another problem: {answer.body[:300]!r}"


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
