"""The load driver of ``sessionschema serve``: a server in a subprocess (:class:`Server`), traffic
of the thread API (:func:`traffic`: creations with valid, invalid, malformed and over-limit
bodies, reads and queries), a small HTTP/1.1 client with keep-alive connections over asyncio
streams (:func:`load`), and the verdict each answer must be (:func:`mismatch`): that of
``ss.loads`` on the same body.

tests/serve/test_server.py drives the server with it; ``make bench-service`` (benchmarks/service.py)
runs it at full size and measures, beside the same routes on the official SDK's pydantic models
(benchmarks/service_pydantic.py).
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
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import attrs

import sessionschema as ss

ROOT = Path(__file__).resolve().parents[2]
THREADS = "/v2/sessions"
LEGACY = "/v2/traces/sessions"

CONNECTIONS = 64
MAX_BYTES = 1 << 20  # the server's default limit
RUN_SECONDS = 600.0  # no run of requests goes on longer than this
REQUEST_SECONDS = 60.0  # nor any one request
MIX = (
    ("create", 55),
    ("invalid", 8),
    ("malformed", 3),
    ("over", 2),
    ("get", 20),
    ("query", 12),
)
"""The mixed traffic: creations (valid, invalid, malformed JSON, over the limit), reads of
threads known to exist, and queries."""
CREATIONS = frozenset({"create", "invalid", "malformed", "over"})
SEP = (",", ":")


def serve_command(*options: str) -> list[str]:
    """``sessionschema serve`` with ``options``, as users run it: the command that the package
    installs beside this interpreter (``python -m sessionschema`` where there is none)."""
    script = Path(sys.executable).with_name("sessionschema")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "sessionschema"]
    return [*command, "serve", *options]


# -- a server in a subprocess --------------------------------------------------------------------


class Server:
    """A server run by ``command`` in a subprocess, on a free port of 127.0.0.1 (the command
    says ``--port 0`` or the environment ``PORT=0``): uvicorn names the port in its log, which
    goes to a file (a pipe left unread would block it)."""

    def __init__(self, command: Sequence[str], log: Path, **env: str) -> None:
        self.command = list(command)
        self.log = log
        self.env = {**os.environ, **env}
        self.process: subprocess.Popen[bytes] | None = None
        self.port = 0

    @property
    def name(self) -> str:
        return " ".join(Path(part).name for part in self.command[:3])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        assert self.process is not None, "not started"
        return self.process.pid

    def start(self, timeout: float = 60.0) -> Server:
        """Start the server and wait until it listens: at most ``timeout`` seconds."""
        offset = self.log.stat().st_size if self.log.exists() else 0  # a restart appends
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                self.command,
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
        raise RuntimeError(f"{self.name} did not start:\n{self.output(offset)[-3000:]}")

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

TAGS = ("support", "escalated", "billing", "sales", "onboarding", "vip", "churn-risk", "beta")
CLIENTS = ("claude-code", "cursor", "codex", "web")
PROJECTS = ("proj_a", "proj_b", "proj_c")
KINDS = ("THREAD_KIND_CONVERSATION", "THREAD_KIND_CODING_AGENT")
INTERVALS = (
    "SESSION_INTERVAL_ALL_TIME",
    "SESSION_INTERVAL_LAST_1_HOUR",
    "SESSION_INTERVAL_LAST_24_HOURS",
    "SESSION_INTERVAL_LAST_7_DAYS",
    "SESSION_INTERVAL_LAST_3_MONTHS",
)


def valid_payload(rng: random.Random, index: int) -> dict[str, Any]:
    """A valid snake_case ``CreateThreadRequest`` of about 300 to 500 bytes, varied by ``rng``;
    its times are within the last 30 days, so that queries by interval find some."""
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
        "tags": rng.sample(TAGS, rng.randint(0, 3)),
    }
    if rng.random() < 0.7:
        data["project_id"] = rng.choice(PROJECTS)
    for key, values in (("client", CLIENTS), ("kind", KINDS)):
        if rng.random() < 0.6:
            data[key] = rng.choice(values)
    if rng.random() < 0.3:
        data["title"] = f"Thread {index}"
        data["repo"] = "github.com/org/repo"
    if rng.random() < 0.7:
        ago = timedelta(seconds=rng.randint(0, 30 * 86400))
        start = datetime.now(timezone.utc) - ago
        fraction = rng.choice(["", ".5", f".{rng.randint(0, 999):03d}", ".123456789"])
        data["started_at"] = start.strftime("%Y-%m-%dT%H:%M:%S") + fraction + "Z"
        if rng.random() < 0.5:
            data["updated_at"] = (start + timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%S+00:00")
    return data


_BREAKS: tuple[Callable[[dict[str, Any], random.Random], None], ...] = (
    lambda d, r: d.update(duration=str(d["duration"])),
    lambda d, r: d.pop(r.choice(["external_id", "billing", "usage", "tags", "traces_count"])),
    lambda d, r: d["contact_ids"].append(None),
    lambda d, r: d["billing"].update(total_cost=True),
    lambda d, r: d["usage"].update(total_tokens=1.5),
    lambda d, r: d.update(started_at=r.choice(["2026-02-30T00:00:00Z", "2026-11-24 07:08:09Z"])),
    lambda d, r: d.update(tags="vip"),
    lambda d, r: d.update(traces_count=2.5),
    lambda d, r: d.update(kind="THREAD_KIND_UNSPECIFIED"),
    lambda d, r: d.update(project_id=None),
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


def query_body(rng: random.Random) -> bytes:
    """A valid ``ListThreadsRequest``: an interval, and none to three other filters."""
    filters: dict[str, Any] = {"interval": rng.choice(INTERVALS)}
    for key, values in (("project_id", PROJECTS), ("client", CLIENTS), ("kind", KINDS)):
        if rng.random() < 0.3:
            filters[key] = rng.choice(values)
    if rng.random() < 0.3:
        filters["tags"] = rng.sample(TAGS, rng.randint(1, 2))
    body: dict[str, Any] = {"filters": filters}
    if rng.random() < 0.7:
        body["limit"] = rng.choice([1, 5, 10, 50])
    if rng.random() < 0.3:
        body["page"] = rng.randint(1, 3)
    return json.dumps(body, separators=SEP).encode()


@dataclass(frozen=True)
class Shot:
    """One request of the load: its kind, method, path and body, and whether the body is sent
    chunked."""

    kind: str
    body: bytes = b""
    method: str = "POST"
    path: str = THREADS
    chunked: bool = False


def traffic(
    count: int, seed: int, mix: Sequence[tuple[str, int]] = MIX, ids: Sequence[str] = ()
) -> list[Shot]:
    """``count`` requests drawn by ``mix`` (kind, weight), in a random order. Reads (``get``)
    are of the threads ``ids`` (a mix with reads needs some). Over-limit bodies are eight,
    reused, so that the list stays small; every valid creation is distinct."""
    rng = random.Random(seed)
    kinds = rng.choices([kind for kind, _ in mix], [weight for _, weight in mix], k=count)
    over = [over_body(rng, -i) for i in range(8)] if "over" in kinds else []
    shots = []
    for index, kind in enumerate(kinds):
        if kind == "create":
            data = valid_payload(rng, index)
            shots.append(Shot(kind, json.dumps(data, separators=SEP, ensure_ascii=False).encode()))
        elif kind == "invalid":
            shots.append(Shot(kind, invalid_body(rng, index)))
        elif kind == "malformed":
            shots.append(Shot(kind, malformed_body(rng, index)))
        elif kind == "over":
            shots.append(Shot(kind, over[index % 8], chunked=index % 2 == 0))
        elif kind == "get":
            shots.append(Shot(kind, method="GET", path=f"{THREADS}/{rng.choice(ids)}"))
        else:
            shots.append(Shot(kind, query_body(rng), path=f"{THREADS}/query"))
    return shots


def request(shot: Shot, port: int, headers: Mapping[str, str] | None = None) -> bytes:
    """The HTTP/1.1 request of a shot: with a Content-Length, or chunked in 64 KiB chunks."""
    head = f"{shot.method} {shot.path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
    head += "".join(f"{name}: {value}\r\n" for name, value in (headers or {}).items())
    if shot.method == "GET":
        return (head + "\r\n").encode()
    head += "Content-Type: application/json\r\n"
    if not shot.chunked:
        return head.encode() + b"Content-Length: %d\r\n\r\n" % len(shot.body) + shot.body
    parts = [head.encode() + b"Transfer-Encoding: chunked\r\n\r\n"]
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


# -- verdicts ------------------------------------------------------------------------------------


def expected(body: bytes, cls: type = ss.CreateThreadRequest, *, strict: bool = False) -> Any:
    """What the server must answer for ``body``: the model ``ss.loads`` gives, or the problem
    of its ValidationError."""
    try:
        return ss.loads(body, cls, style="snake", strict=strict, max_bytes=MAX_BYTES)
    except ss.ValidationError as exc:
        return exc.to_problem()


def stored(request: ss.CreateThreadRequest, answer: bytes) -> ss.Thread:
    """The thread as stored: ``request`` with the id that the answer assigned."""
    return ss.Thread(**attrs.asdict(request, recurse=False), id=json.loads(answer)["_id"])


def _problem_mismatch(want: dict[str, Any], answer: Answer) -> str | None:
    if answer.status != want["status"]:
        return f"expected {want['status']}, got {answer.status}: {answer.body[:300]!r}"
    served = json.loads(answer.body)
    if want["status"] == 413:  # the server words the size problem itself: it did not read on
        keywords = [error["keyword"] for error in served["errors"]]
        return None if keywords == ["maxBytes"] else f"413 with {keywords}"
    return None if served == want else f"another problem: {answer.body[:300]!r}"


def _meets(thread: ss.Thread, filters: ss.ThreadFilters) -> bool:
    """Whether ``thread`` meets the filters other than the window of time."""
    return all(
        getattr(filters, name) in (None, getattr(thread, name))
        for name in ("project_id", "client", "repo", "kind")
    ) and set(filters.tags or ()) <= set(thread.tags)


def mismatch(
    shot: Shot, answer: Answer, known: Mapping[str, bytes] | None = None, *, strict: bool = False
) -> str | None:
    """Why the ``answer`` to ``shot`` is not what the server must answer; None if it is.

    A creation: the verdict of ``ss.loads`` on the body (200 with the thread it gives and a new
    id; 422 with its ``to_problem()``; 413). A read of a thread of ``known`` (id: the bytes of
    its creation's answer): 200 with those bytes. A query: 200 with a ``ListThreadsResponse``
    of at most ``limit`` threads that meet the filters (those other than the window of time,
    which the answer cannot show).
    """
    if answer.error:
        return answer.error
    if shot.kind == "get":
        want = (known or {}).get(shot.path.rpartition("/")[2])
        if answer.status != 200 or (want is not None and answer.body != want):
            return f"a read answered {answer.status}: {answer.body[:300]!r}"
        return None
    if shot.kind == "query":
        query = expected(shot.body, ss.ListThreadsRequest, strict=strict)
        if isinstance(query, dict):
            return _problem_mismatch(query, answer)
        if answer.status != 200:
            return f"a query answered {answer.status}: {answer.body[:300]!r}"
        page = ss.loads(answer.body, ss.ListThreadsResponse, style="snake", max_bytes=None)
        if len(page.data) > (query.limit or 10) or page.object != "list":
            return f"a page of {len(page.data)} threads for limit {query.limit}"
        if not all(_meets(thread, query.filters) for thread in page.data):
            return f"a thread that does not meet the filters: {answer.body[:300]!r}"
        return None
    want = expected(shot.body, strict=strict)
    if isinstance(want, dict):
        return _problem_mismatch(want, answer)
    if answer.status != 200:
        return f"expected 200, got {answer.status}: {answer.body[:300]!r}"
    if answer.body.decode() != ss.dumps(stored(want, answer.body), style="snake"):
        return f"200 with another thread: {answer.body[:300]!r}"
    return None
