"""``sessionschema serve`` when things go wrong around the requests: a database that cannot be its
store, an empty API key, a store that fails while serving, framing at the edges of HTTP/1.1, and
clients that would make it hold headers or connections without bound. Everything on 127.0.0.1,
bounded in count and time.
"""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from sessionschema.serve import Filters, Row, Settings, Store, create_app, get_store
from sessionschema.serve._guard import guarded

from ..support.load import ROOT, Server, serve_command

THREADS = "/v2/sessions"
WAIT = 60.0
PROBLEM = "application/problem+json"
BODY = (
    b'{"external_id":"f-1","duration":1,"contact_ids":[],"billing":{"input_cost":0,'
    b'"output_cost":0,"total_cost":0},"usage":{"prompt_tokens":0,"completion_tokens":0,'
    b'"total_tokens":0},"traces_count":0,"tags":["fault"]}'
)
NOBODY = 65534


def run_serve(
    *options: str, user: int | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    command = serve_command("--port", "0", *options)
    if user is not None:
        setpriv = shutil.which("setpriv")
        assert setpriv is not None
        command = [setpriv, f"--reuid={user}", f"--regid={user}", "--clear-groups", *command]
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=WAIT,
        check=False,
        cwd=ROOT,
        env={**os.environ, **env},
    )


def assert_refused_in_one_line(done: subprocess.CompletedProcess[str], *words: str) -> None:
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("sessionschema: ")
    for word in words:
        assert word in lines[0], lines[0]


# -- refused at start ----------------------------------------------------------------------------


def _directory(path: Path) -> None:
    path.mkdir()


def _text(path: Path) -> None:
    path.write_text("not a database\n" * 100)


def _random(path: Path) -> None:
    path.write_bytes(os.urandom(8192))


def _other_schema(path: Path) -> None:
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)")
    db.commit()
    db.close()


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (_directory, ("cannot be opened",)),
        (_text, ("not a database",)),
        (_random, ("not a database",)),
        (_other_schema, ("another schema", "users")),
    ],
    ids=["directory", "text", "random-bytes", "other-schema"],
)
def test_a_db_that_cannot_be_the_store_exits_2_in_one_line(
    tmp_path: Path, make: Callable[[Path], None], words: tuple[str, ...]
) -> None:
    path = tmp_path / "sessions.sqlite3"
    make(path)
    assert_refused_in_one_line(run_serve("--db", str(path)), "--db", *words)


def test_a_read_only_db_exits_2_in_one_line() -> None:
    """A database file of another user, mode 0444, in a folder the server cannot write."""
    user = None
    if os.geteuid() == 0:  # root writes any file: the server runs as nobody
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("root without setpriv cannot run the server as another user")
        probe = [setpriv, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
        if subprocess.run([*probe, *serve_command("--help")], capture_output=True).returncode:
            # (a checkout or an interpreter in a folder that only root may enter, as a private
            # temporary folder or another Python's virtualenv is: the server cannot be run as
            # another user there, and this check runs where it can)
            pytest.skip("the server's command cannot be run as another user from this folder")
        user = NOBODY
    # a folder of its own in the system's temporary folder, which every user may pass through
    folder = Path(tempfile.mkdtemp(prefix="serve-read-only-", dir=tempfile.gettempdir()))
    try:
        path = folder / "sessions.sqlite3"
        store = Store(str(path))
        store.open()
        store.close()
        path.chmod(0o444)
        folder.chmod(0o555)
        done = run_serve("--db", str(path), user=user)
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder)
    assert_refused_in_one_line(done, "--db", "readonly")


def test_an_empty_api_key_is_refused(tmp_path: Path) -> None:
    assert_refused_in_one_line(run_serve("--api-key", ""), "API key is empty")
    assert_refused_in_one_line(run_serve(SESSIONSCHEMA_API_KEY=""), "API key is empty")
    with pytest.raises(ValueError, match="empty"):
        create_app(Settings(api_key=""))


# -- a store that fails while serving -------------------------------------------------------------


class FailingCommits:
    """A connection whose COMMIT fails (a full disk) while ``failing`` is set; every other call
    goes to the real one."""

    def __init__(self, real: sqlite3.Connection) -> None:
        self.real = real
        self.failing = False

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
        if self.failing and sql == "COMMIT":
            raise sqlite3.OperationalError("database or disk is full")
        return self.real.execute(sql, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


@contextmanager
def served(app: Any) -> Iterator[int]:
    """``app`` under uvicorn (the server's protocol) in a thread of this process: its port."""
    config = uvicorn.Config(
        app, host="127.0.0.1", port=0, http=guarded(), log_level="warning", lifespan="on"
    )
    server = uvicorn.Server(config)
    running = threading.Thread(target=server.run, daemon=True)
    running.start()
    try:
        deadline = time.monotonic() + WAIT
        while not server.started and running.is_alive() and time.monotonic() < deadline:
            time.sleep(0.02)
        assert server.started
        yield server.servers[0].sockets[0].getsockname()[1]
    finally:
        server.should_exit = True
        running.join(WAIT)
    assert not running.is_alive()


def exchange(sock: socket.socket, request: bytes) -> tuple[int, dict[str, str], bytes]:
    """One request and its answer (a Content-Length body) on a kept-alive connection."""
    sock.sendall(request)
    data = b""
    while b"\r\n\r\n" not in data:
        received = sock.recv(65536)
        assert received, "the server closed the connection"
        data += received
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (h.partition(":") for h in lines[1:])}
    while len(body) < int(headers.get("content-length", 0)):
        body += sock.recv(65536)
    return int(lines[0].split()[1]), headers, body


def create_request(body: bytes = BODY) -> bytes:
    return (
        f"POST {THREADS} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body


def test_a_failed_commit_is_a_503_rolled_back_and_writes_recover(tmp_path: Path) -> None:
    store = Store(str(tmp_path / "s.sqlite3"))
    store.open()
    failing = FailingCommits(store._db)  # type: ignore[arg-type]
    store._db = failing  # type: ignore[assignment]

    async def mine() -> Store:
        return store

    app = create_app()
    app.dependency_overrides[get_store] = mine
    try:
        with served(app) as port, socket.create_connection(("127.0.0.1", port), WAIT) as sock:
            sock.settimeout(WAIT)
            failing.failing = True
            status, headers, body = exchange(sock, create_request())
            assert (status, headers["content-type"]) == (503, "application/json")
            assert httpx.Response(status, content=body).json()["code"] == 14
            assert "database or disk is full" in body.decode()
            assert headers.get("connection", "keep-alive") != "close"  # and it stays open:
            failing.failing = False
            status, _, body = exchange(sock, create_request())  # the same connection
            assert status == 200, body
            tags = exchange(sock, b"GET /v2/sessions/tags HTTP/1.1\r\nHost: x\r\n\r\n")
            assert tags[2] == b'["fault"]'  # one thread: the failed one left nothing
            assert store.count(Filters()) == 1
    finally:
        store.close()


# -- reads beside a writer -------------------------------------------------------------------------


def test_reads_go_on_while_a_write_holds_the_store(tmp_path: Path) -> None:
    store = Store(str(tmp_path / "s.sqlite3"))
    store.open()
    try:
        store.add(Row(id="a", body='{"_id":"a"}', activity=1, tags=("x", "y")))
        inside, release = threading.Event(), threading.Event()

        def slow_change(text: str) -> Row:
            inside.set()
            release.wait(WAIT)
            return Row(id="a", body=text, activity=2, tags=("x", "y", "z"))

        writer = threading.Thread(target=store.update, args=("a", slow_change))
        writer.start()
        assert inside.wait(WAIT)
        answers: list[Any] = []

        def read() -> None:
            answers.extend(
                [store.get("a"), store.tags(), store.count(Filters()),
                 store.query(Filters(), 10, 0)]
            )  # fmt: skip

        reader = threading.Thread(target=read)
        reader.start()
        reader.join(5.0)
        waited = reader.is_alive()
        release.set()
        writer.join(WAIT)
        reader.join(WAIT)
        assert not waited, "a read waited for the writer"
        assert answers == ['{"_id":"a"}', ["x", "y"], 1, (['{"_id":"a"}'], False)]
        assert store.tags() == ["x", "y", "z"]  # the write, once committed, is read
    finally:
        store.close()


def test_a_threads_tags_are_written_in_one_statement(tmp_path: Path) -> None:
    store = Store(str(tmp_path / "s.sqlite3"))
    store.open()
    statements: list[str] = []
    store._db.set_trace_callback(statements.append)  # type: ignore[union-attr]
    tags = tuple(f"t{i}" for i in range(1000))
    store.add(Row(id="a", body="{}", activity=1, tags=tags))
    store.update("a", lambda text: Row(id="a", body=text, activity=1, tags=tags[:500]))
    store.close()
    inserts = [s for s in statements if "thread_tags" in s and s.startswith("INSERT")]
    assert len(inserts) == 2, statements[:20]


# -- HTTP edges and bounds -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def guarded_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    log = tmp_path_factory.mktemp("guarded") / "serve.log"
    command = serve_command("--port", "0", "--header-timeout", "1", "--max-connections", "6")
    with Server(command, log) as running:
        yield running
    assert "Traceback" not in running.output(), running.output()[-5000:]


def answer_to(server: Server, data: bytes, wait: float = 10.0) -> tuple[int, bytes]:
    """The status and the whole answer to ``data`` sent on a new connection (then half-closed
    by the server); 0 when it closed without one."""
    with socket.create_connection(("127.0.0.1", server.port), WAIT) as sock:
        sock.settimeout(wait)
        sock.sendall(data)
        received = b""
        while True:
            try:
                chunk = sock.recv(65536)
            except ConnectionError:
                break
            if not chunk:
                break
            received += chunk
    status = int(received.split(b" ", 2)[1]) if received.startswith(b"HTTP/1.1 ") else 0
    return status, received


def test_a_transfer_coding_other_than_chunked_is_a_501(guarded_server: Server) -> None:
    body = b"5\r\nhello\r\n0\r\n\r\n"
    for coding in (b"gzip, chunked", b"deflate,chunked", b"identity, chunked"):
        request = (
            b"POST /v2/sessions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Transfer-Encoding: " + coding + b"\r\n\r\n" + body
        )
        status, answer = answer_to(guarded_server, request)
        assert status == 501, answer
        assert PROBLEM.encode() in answer


def test_an_http11_request_without_one_host_is_a_400(guarded_server: Server) -> None:
    tags = b"GET /v2/sessions/tags HTTP/1.1\r\nConnection: close\r\n"
    assert answer_to(guarded_server, tags + b"\r\n")[0] == 400
    assert answer_to(guarded_server, tags + b"Host: a\r\nHost: b\r\n\r\n")[0] == 400
    assert answer_to(guarded_server, tags + b"Host: a\r\n\r\n")[0] == 200
    assert answer_to(guarded_server, b"GET /v2/sessions/tags HTTP/1.0\r\n\r\n")[0] == 200


def test_a_long_request_line_is_a_414_and_a_large_header_section_a_431(
    guarded_server: Server,
) -> None:
    line = b"GET /v2/sessions/" + b"a" * (8 << 10) + b" HTTP/1.1\r\nHost: x\r\n\r\n"
    assert answer_to(guarded_server, line)[0] == 414
    many = b"".join(b"X-%d: 1\r\n" % i for i in range(101))
    assert answer_to(guarded_server, b"GET / HTTP/1.1\r\nHost: x\r\n" + many + b"\r\n")[0] == 431
    big = b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * (16 << 20) + b"\r\n\r\n"
    status, answer = answer_to(guarded_server, big)
    assert status == 431, answer[:300]
    at_the_bounds = b"".join(b"X-%d: %s\r\n" % (i, b"v" * 300) for i in range(98))
    request = b"GET /v2/sessions/tags HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
    assert answer_to(guarded_server, request + at_the_bounds + b"\r\n")[0] == 200


def test_headers_that_do_not_arrive_in_time_are_a_408(guarded_server: Server) -> None:
    with socket.create_connection(("127.0.0.1", guarded_server.port), WAIT) as sock:
        sock.settimeout(WAIT)
        started = time.monotonic()
        sock.sendall(b"GET /v2/sessions/tags HTTP/1.1\r\n")
        received = b""
        for piece in (b"Host: x\r\n", b"X-A: 1\r\n", b"X-B: 1\r\n", b"X-C: 1\r\n"):
            time.sleep(0.4)  # slowly, but always something
            try:
                sock.sendall(piece)
            except OSError:
                break
        while chunk := sock.recv(65536):
            received += chunk
        assert received.startswith(b"HTTP/1.1 408 "), received
        assert time.monotonic() - started < 5
    status, _ = answer_to(guarded_server, b"")  # a connection that sends nothing
    assert status == 408


def test_connections_beyond_the_cap_are_a_503_and_the_server_serves_again(
    guarded_server: Server,
) -> None:
    held = [socket.create_connection(("127.0.0.1", guarded_server.port), WAIT) for _ in range(6)]
    try:
        time.sleep(0.2)
        status, answer = answer_to(guarded_server, b"")
        assert status == 503, answer
    finally:
        for sock in held:
            sock.close()
    time.sleep(0.3)
    tags = b"GET /v2/sessions/tags HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    assert answer_to(guarded_server, tags)[0] == 200
