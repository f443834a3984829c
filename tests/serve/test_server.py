"""``sessionschema serve``, run for real as users start it: the command in a subprocess, on a free
port of 127.0.0.1, driven over HTTP by httpx, urllib and raw sockets (where a client must
misbehave), and by the legacy official client (``orq-ai-sdk`` 3.4.0, in this environment). The
current official client drives it in tests/serve/test_official_client.py.

One server per module and test process (a fixture), with a body timeout of a few seconds; the
tests that need another (an API key, a file database, a restart) start their own. Threads of one
test are told apart from other tests' by a project id or tags of their own. Waits are generous
and nothing is timed, so that a loaded machine slows the tests down without failing them.
"""

from __future__ import annotations

import asyncio
import json
import math
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import attrs
import httpx
import jsonschema
import pytest
import uvicorn
from hypothesis import given
from hypothesis import strategies as st
from referencing import Registry
from referencing.jsonschema import DRAFT202012

import sessionschema as ss
from sessionschema import strategies
from sessionschema.serve import LingeringProtocol, Row, Store, create_app, get_store
from sessionschema.serve._lingering import LINGER_BYTES, LINGER_IDLE_SECONDS
from sessionschema.serve._openapi import MODELS

from ..support import oracle
from ..support.agreement import LISTED, expected_listing, order
from ..support.load import ROOT, Server, Shot, mismatch, serve_command, stored
from ..support.load import Answer as LoadAnswer
from ..support.load import load as load_run
from ..support.load import request as load_request
from ..support.load import traffic as load_traffic

THREADS = "/v2/sessions"
LEGACY = "/v2/traces/sessions"
LIMIT = 1 << 20  # the server's default
BODY_TIMEOUT = 4.0  # the test server's: short, to keep the timeout test short
WAIT = 60.0  # any wait for an answer; only a broken server makes a test wait this long
JSON = {"Content-Type": "application/json"}
PROBLEM = "application/problem+json"
CASES = Path(__file__).parents[1] / "data" / "JSONTestSuite" / "test_parsing"
KEY = "sk-test-0123456789"

VALID: dict[str, Any] = {
    "external_id": "t-1",
    "duration": 1200,
    "contact_ids": ["c_1", "c_2"],
    "billing": {"input_cost": 0.1, "output_cost": 0.2, "total_cost": 0.3},
    "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
    "traces_count": 3,
    "tags": ["vip"],
    "project_id": "proj_1",
    "started_at": "2024-05-06T07:08:09.5+02:00",
}
BODY = json.dumps(VALID, separators=(",", ":")).encode()

LEGACY_VALID: dict[str, Any] = {
    **{key: VALID[key] for key in ("duration", "contact_ids", "billing", "usage", "tags")},
    "traces_count": 3.5,
    "project_id": None,
}


# -- the server and its clients ------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    command = serve_command("--port", "0", "--body-timeout", str(BODY_TIMEOUT))
    with Server(command, log) as running:
        yield running
    assert_clean(running.output())


@pytest.fixture(scope="module")
def keyed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server that needs the API key :data:`KEY`, given by the environment variable."""
    log = tmp_path_factory.mktemp("keyed") / "serve.log"
    with Server(serve_command("--port", "0"), log, SESSIONSCHEMA_API_KEY=KEY) as running:
        yield running
    assert_clean(running.output())


def assert_clean(log: str) -> None:
    """No traceback and no 5xx in a server's log."""
    assert "Traceback" not in log, log[-5000:]
    assert not re.search(r'HTTP/1\.[01]" 5\d\d', log), log[-5000:]


@pytest.fixture
def client(server: Server) -> Iterator[httpx.Client]:
    # trust_env=False: no proxy from the environment; every request goes to 127.0.0.1
    with httpx.Client(base_url=server.url, trust_env=False, timeout=WAIT) as http:
        yield http


def post(client: httpx.Client, body: bytes, path: str = THREADS, **params: str) -> httpx.Response:
    return client.post(path, content=body, headers=JSON, params=params)


def create(http: httpx.Client, **changes: Any) -> dict[str, Any]:
    """A thread created from :data:`VALID` with ``changes`` (a None removes a key)."""
    payload = {k: v for k, v in {**VALID, **changes}.items() if v is not None}
    response = post(http, json.dumps(payload).encode())
    assert response.status_code == 200, response.text
    thread: dict[str, Any] = response.json()
    return thread


def assert_verdict(body: bytes, response: httpx.Response, *, strict: bool = False) -> None:
    """The server answered what the referee says of ``body`` (see :func:`judge`), and, for the
    mapping of a verdict to an HTTP answer, what ``ss.loads`` says of it, with the right content
    type."""
    assert response.status_code < 500, response.text
    assert_judged(body, response.status_code, response.content, strict=strict)
    answer = LoadAnswer(response.status_code, response.content)
    found = mismatch(Shot("create", body), answer, strict=strict)
    assert found is None, found
    content_type = "application/json" if response.status_code == 200 else PROBLEM
    assert response.headers["content-type"] == content_type


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def millis(moment: datetime) -> str:
    return str(int(moment.timestamp() * 1000))


# -- the referee's verdict on a body -------------------------------------------------------------

REFUSED = "refused"
"""The verdict on text that the JSON boundary refuses, whatever the schema says: a 422 with a
``json`` error."""


class _Pairs(dict[str, Any]):
    """An object that had duplicate keys (the last value kept), and which they were."""

    duplicates: list[str]


def _pairs_hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) == len(pairs):
        return obj
    marked = _Pairs(obj)
    seen: set[str] = set()
    marked.duplicates = []
    for key, _ in pairs:
        if key in seen:
            marked.duplicates.append(key)
        seen.add(key)
    return marked


def _finite(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise ValueError("no double holds it")
    return value


def _refuse(name: str) -> Any:
    raise ValueError(name)


def read_body(body: bytes) -> tuple[Any, list[str]] | None:
    """The value of ``body`` read with the standard library, the last of duplicate keys kept,
    and the JSON Pointers of the duplicates; None for text that the documented rules of the JSON
    boundary refuse: not UTF-8, a byte order mark, not JSON's grammar, NaN or Infinity, a
    number no double holds written as a float, an integer of more than 4,300 digits, a lone
    surrogate in a string or key, nesting deeper than 64."""
    try:
        text = body.decode("utf-8")
        if text.startswith("\ufeff"):
            return None
        value = json.loads(
            text, object_pairs_hook=_pairs_hook, parse_float=_finite, parse_constant=_refuse
        )
    except (ValueError, RecursionError):  # (UnicodeDecodeError and JSONDecodeError are)
        return None
    duplicates: list[str] = []
    stack: list[tuple[Any, list[str | int]]] = [(value, [])]
    while stack:
        node, where = stack.pop()
        if len(where) > 64:
            return None
        if isinstance(node, str):
            if not oracle.is_text(node):
                return None
        elif isinstance(node, dict):
            if not all(oracle.is_text(key) for key in node):
                return None
            if isinstance(node, _Pairs):
                duplicates.extend(oracle.pointer([*where, key]) for key in node.duplicates)
            stack.extend((child, [*where, key]) for key, child in node.items())
        elif isinstance(node, list):
            stack.extend((child, [*where, index]) for index, child in enumerate(node))
    return value, duplicates


def judge(body: bytes, *, strict: bool = False) -> tuple[int, Any]:
    """The referee's verdict on a body that creates a thread, independent of the library:
    ``(413, None)`` over the limit; ``(422, REFUSED)`` for text the JSON boundary refuses;
    ``(200, request)`` with the ``CreateThreadRequest`` tests/support/oracle.py builds; ``(422,
    listing)`` with the (path, keyword) pairs listed: the schema files' problems (jsonschema, on
    the snake wire), in strict mode with each repetition of a key (``duplicateKey``) too, sorted
    by path, and cut as the documentation says (then ending with the ``maxErrors`` pair); ``(422,
    None)`` where the listing of a cut list with duplicates is not worked out here."""
    if len(body) > LIMIT:
        return 413, None
    read = read_body(body)
    if read is None:
        return 422, REFUSED
    value, duplicates = read
    cls = ss.CreateThreadRequest
    found = list(oracle.problems(value, cls, strict, "snake"))
    if strict:  # each repetition of a key is one problem
        found += [(path, "duplicateKey") for path in duplicates]
    if not found:
        return 200, oracle.build(value, cls, "snake")
    if len(found) <= LISTED:
        return 422, sorted(found, key=order)
    if strict and duplicates:
        return 422, None
    listing, _ = expected_listing(oracle.problems_in_order(value, cls, strict, "snake"))
    return 422, [*listing, ("", "maxErrors")]


def assert_judged(body: bytes, status: int, content: bytes, *, strict: bool = False) -> None:
    """The answer (``status``, ``content``) is the referee's verdict on ``body``."""
    want, detail = judge(body, strict=strict)
    assert status == want, (body[:200], status, content[:300])
    if status == 200:  # the thread sent, with the id the server gave it
        answer = json.loads(content)
        assert not oracle.problems(answer, ss.Thread, True, "snake"), answer
        served = attrs.asdict(oracle.build(answer, ss.Thread, "snake"))
        sent = attrs.asdict(detail)
        assert_same({key: served[key] for key in sent}, sent)
        return
    errors = [(error["path"], error["keyword"]) for error in json.loads(content)["errors"]]
    if status == 413:
        assert errors == [("", "maxBytes")]
    elif detail is REFUSED:
        assert "json" in {keyword for _, keyword in errors}, errors
    elif detail is not None:
        assert errors == detail


def assert_same(one: Any, other: Any) -> None:
    """Equal, with the same types all the way down: an int is not a float, floats compared by
    ``repr``, date-times by value and offset."""
    assert type(one) is type(other), (one, other)
    if isinstance(one, dict):
        assert one.keys() == other.keys(), (one, other)
        for key in one:
            assert_same(one[key], other[key])
    elif isinstance(one, tuple):
        assert len(one) == len(other), (one, other)
        for a, b in zip(one, other, strict=True):
            assert_same(a, b)
    elif isinstance(one, float):
        assert repr(one) == repr(other)
    elif isinstance(one, datetime):
        assert (one, one.utcoffset()) == (other, other.utcoffset())
    else:
        assert one == other


class Raw:
    """A client that can lie: bytes written as they are on a socket to the server."""

    def __init__(self, server: Server) -> None:
        self.sock = socket.create_connection(("127.0.0.1", server.port), timeout=WAIT)

    def __enter__(self) -> Raw:
        return self

    def __exit__(self, *exc: object) -> None:
        self.sock.close()

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def recv(self, deadline: float) -> bytes:
        """What the server sent next (b"" when it closed); an error once ``deadline`` is past."""
        if time.monotonic() > deadline:
            raise TimeoutError("the server kept sending for longer than the wait")
        return self.sock.recv(65536)

    def response(self) -> tuple[int, dict[str, str], bytes]:
        """The next response (Content-Length bodies only); status 0 when the server closed."""
        data, deadline = b"", time.monotonic() + WAIT
        while b"\r\n\r\n" not in data:
            received = self.recv(deadline)
            if not received:
                return 0, {}, data
            data += received
        head, _, body = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        headers = {
            k.strip().lower(): v.strip() for k, _, v in (h.partition(":") for h in lines[1:])
        }
        while len(body) < int(headers.get("content-length", 0)):
            received = self.recv(deadline)
            if not received:
                break
            body += received
        return int(lines[0].split()[1]), headers, body

    def closed(self) -> bool:
        """Whether the server closes the connection (what it still sends is read and dropped);
        False when it resets it instead."""
        deadline = time.monotonic() + WAIT
        try:
            while self.recv(deadline):
                pass
        except ConnectionError:
            return False
        return True


def head(length: int | None = None, *, extra: str = "", path: str = THREADS) -> bytes:
    lines = f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
    if length is not None:
        lines += f"Content-Length: {length}\r\n"
    return (lines + extra + "\r\n").encode()


def chunk(data: bytes) -> bytes:
    return b"%x\r\n" % len(data) + data + b"\r\n"


# -- creating and reading threads ----------------------------------------------------------------


def test_a_created_thread_is_answered_with_its_id_and_read_back(client: httpx.Client) -> None:
    response = post(client, BODY)
    assert_verdict(BODY, response)
    assert response.status_code == 200
    thread = ss.loads(response.content, ss.Thread, style="snake")
    assert re.fullmatch("[0-9a-f]{24}", thread.id)
    assert response.text == ss.dumps(
        stored(ss.loads(BODY, ss.CreateThreadRequest, style="snake"), response.content),
        style="snake",
    )
    again = client.get(f"{THREADS}/{thread.id}")
    assert (again.status_code, again.headers["content-type"]) == (200, "application/json")
    assert again.content == response.content
    assert post(client, BODY).json()["_id"] != thread.id  # every POST creates a thread


def test_an_invalid_body_gets_a_422_listing_every_problem(client: httpx.Client) -> None:
    body = (
        b'{"external_id": 42, "traces_count": 2.5, "contact_ids": ["a", null], "project_id": null}'
    )
    response = post(client, body)
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    assert [(e["path"], e["keyword"]) for e in response.json()["errors"]] == [
        ("/billing", "required"),
        ("/contact_ids/1", "type"),
        ("/duration", "required"),
        ("/external_id", "type"),
        ("/project_id", "type"),
        ("/tags", "required"),
        ("/traces_count", "type"),
        ("/usage", "required"),
    ]
    assert_verdict(body, response)


@pytest.mark.parametrize("body", [b"", b"{", b"[1,]", b"nul", b"\xff", BODY + b"x", BODY[:-1]])
def test_malformed_json_gets_a_422(client: httpx.Client, body: bytes) -> None:
    response = post(client, body)
    assert response.status_code == 422
    assert [e["keyword"] for e in response.json()["errors"]] == ["json"]
    assert_verdict(body, response)


def test_an_unknown_id_is_a_404_in_the_sdks_error_shape(client: httpx.Client) -> None:
    """Ids go to SQLite as parameters, never into the SQL text: quotes and the like are ids
    like any other."""
    for session_id in ("6638a1f2c9e77d0012ab34cd", "a b", "%00", "x' OR '1'='1", "x" * 2000):
        for method in ("GET", "DELETE"):
            response = client.request(method, f"{THREADS}/{session_id}")
            assert response.status_code == 404
            assert response.headers["content-type"] == "application/json"
            assert response.json() == {"message": "no thread has this id", "code": 5}
        response = client.patch(f"{THREADS}/{session_id}", content=b"{}", headers=JSON)
        assert (response.status_code, response.json()["code"]) == (404, 5)


def test_update_replaces_what_is_given_and_keeps_what_is_absent(client: httpx.Client) -> None:
    thread = create(client, title="old", client="cursor", tags=["a", "b"])
    path = f"{THREADS}/{thread['_id']}"
    want = dict(thread)

    def patch(change: dict[str, Any]) -> dict[str, Any]:
        response = client.patch(path, content=json.dumps(change).encode(), headers=JSON)
        assert (response.status_code, response.headers["content-type"]) == (200, "application/json")
        assert client.get(path).content == response.content  # as stored
        answered: dict[str, Any] = response.json()
        return answered

    want.update(
        title="new", duration=7.5, billing={"input_cost": 1, "output_cost": 2, "total_cost": 3}
    )
    assert patch({"title": "new", "duration": 7.5, "billing": want["billing"]}) == want
    want["tags"] = []
    assert patch({"clear_tags": True}) == want
    want.update(contact_ids=[], tags=["c", "d"])
    assert patch({"clear_contact_ids": True, "tags": ["c", "d"]}) == want
    want["tags"] = ["e"]
    assert patch({"clear_tags": False, "tags": ["e"]}) == want  # only true clears
    assert patch({}) == want
    want.update(
        kind="THREAD_KIND_CODING_AGENT",
        repo="github.com/org/repo",
        updated_at="2024-05-06T08:00:00Z",
    )
    assert (
        patch({"kind": want["kind"], "repo": want["repo"], "updated_at": want["updated_at"]})
        == want
    )

    refused = client.patch(
        path, content=b'{"tags": ["x"], "clear_tags": true, "title": null}', headers=JSON
    )
    assert refused.status_code == 422
    assert refused.headers["content-type"] == PROBLEM
    assert [(e["path"], e["keyword"]) for e in refused.json()["errors"]] == [
        ("/tags", "not"),
        ("/title", "type"),
    ]
    assert client.get(path).json() == want  # a refused change changes nothing


def test_delete_is_a_204_then_the_thread_is_gone(client: httpx.Client) -> None:
    tag = f"gone-{uuid.uuid4().hex}"
    thread = create(client, tags=[tag])
    path = f"{THREADS}/{thread['_id']}"
    assert tag in client.get(f"{THREADS}/tags").json()
    response = client.delete(path)
    assert (response.status_code, response.content) == (204, b"")
    assert client.get(path).status_code == 404
    assert client.delete(path).status_code == 404
    assert tag not in client.get(f"{THREADS}/tags").json()


def test_tags_lists_every_tag_in_use_once_in_order(client: httpx.Client) -> None:
    mine = [f"t-{uuid.uuid4().hex}-{name}" for name in ("b", "a", "café", "\u0000z")]
    create(client, tags=[mine[0], mine[1], mine[0]])
    create(client, tags=mine[1:])
    response = client.get(f"{THREADS}/tags")
    assert (response.status_code, response.headers["content-type"]) == (200, "application/json")
    tags = response.json()
    assert tags == sorted(set(tags))
    assert set(mine) <= set(tags)


# -- queries -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def population(server: Server) -> dict[str, Any]:
    """Five threads of a project of their own, told apart by their external ids, their
    activity (``updated_at``, else ``started_at``, else when they were stored) in this order:
    D (now), A (20 minutes ago), B (2 hours), C (5 days), E (100 days)."""
    now = datetime.now(timezone.utc)
    project = f"proj_{uuid.uuid4().hex}"
    spec: dict[str, dict[str, Any]] = {
        "A": {
            "updated_at": iso(now - timedelta(minutes=20)),
            "tags": ["x", "y"],
            "client": "cursor",
        },
        "B": {"started_at": iso(now - timedelta(hours=2)), "tags": ["x"], "client": "cursor"},
        "C": {
            "started_at": iso(now - timedelta(days=10)),
            "updated_at": iso(now - timedelta(days=5)),
            "tags": ["y"],
            "kind": "THREAD_KIND_CODING_AGENT",
        },
        "D": {"started_at": None, "tags": ["x", "y", "z"], "repo": "github.com/org/repo"},
        "E": {"started_at": iso(now - timedelta(days=100)), "tags": []},
    }
    with httpx.Client(base_url=server.url, trust_env=False, timeout=WAIT) as http:
        ids = {
            name: create(http, external_id=name, project_id=project, **changes)["_id"]
            for name, changes in spec.items()
        }
    return {"now": now, "project": project, "ids": ids}


def query(client: httpx.Client, body: dict[str, Any], path: str = "/query") -> httpx.Response:
    return client.post(THREADS + path, content=json.dumps(body).encode(), headers=JSON)


def listed(http: httpx.Client, population: dict[str, Any], **filters: Any) -> str:
    """The external ids of a query's page, in order, with the population's project."""
    body = {
        "filters": {
            "interval": "SESSION_INTERVAL_ALL_TIME",
            "project_id": population["project"],
            **filters,
        }
    }
    response = query(http, body)
    assert response.status_code == 200, response.text
    page = ss.loads(response.content, ss.ListThreadsResponse, style="snake")
    assert (page.object, page.has_more) == ("list", False)
    counted = query(http, body, "/count")
    assert counted.json() == {"count": len(page.data)}
    return "".join(thread.external_id for thread in page.data)


@pytest.mark.parametrize(
    ("interval", "found"),
    [("SESSION_INTERVAL_ALL_TIME", "DABCE"), ("SESSION_INTERVAL_LAST_30_MINUTES", "DA"),
     ("SESSION_INTERVAL_LAST_1_HOUR", "DA"), ("SESSION_INTERVAL_LAST_6_HOURS", "DAB"),
     ("SESSION_INTERVAL_LAST_24_HOURS", "DAB"), ("SESSION_INTERVAL_LAST_3_DAYS", "DAB"),
     ("SESSION_INTERVAL_LAST_7_DAYS", "DABC"), ("SESSION_INTERVAL_LAST_14_DAYS", "DABC"),
     ("SESSION_INTERVAL_LAST_1_MONTH", "DABC"), ("SESSION_INTERVAL_LAST_3_MONTHS", "DABC")],
)  # fmt: skip
def test_an_interval_reaches_back_from_the_servers_clock(
    client: httpx.Client, population: dict[str, Any], interval: str, found: str
) -> None:
    assert listed(client, population, interval=interval) == found


def test_a_custom_window_and_the_other_filters(
    client: httpx.Client, population: dict[str, Any]
) -> None:
    now: datetime = population["now"]
    three_hours, ten_minutes = millis(now - timedelta(hours=3)), millis(now - timedelta(minutes=10))
    assert listed(client, population, start_date=three_hours, end_date=ten_minutes) == "AB"
    assert listed(client, population, start_date="000" + millis(now - timedelta(days=6))) == "DABC"
    assert listed(client, population, end_date=millis(now - timedelta(days=1))) == "CE"
    assert listed(client, population, start_date="9" * 40) == ""  # beyond any time
    assert listed(client, population, start_date=ten_minutes, end_date=three_hours) == ""
    # the interval and the window together: both hold
    window = {"interval": "SESSION_INTERVAL_LAST_6_HOURS", "end_date": ten_minutes}
    assert listed(client, population, **window) == "AB"
    assert listed(client, population, tags=["x", "y"]) == "DA"  # every tag given
    assert listed(client, population, tags=["x"]) == "DAB"
    assert listed(client, population, tags=[]) == "DABCE"
    assert listed(client, population, tags=["x", "nowhere"]) == ""
    assert listed(client, population, client="cursor") == "AB"
    assert listed(client, population, repo="github.com/org/repo") == "D"
    assert listed(client, population, kind="THREAD_KIND_CODING_AGENT") == "C"
    assert listed(client, population, kind="THREAD_KIND_CONVERSATION") == ""
    assert listed(client, population, project_id=f"other-{uuid.uuid4().hex}") == ""


def test_pages_follow_each_other(client: httpx.Client, population: dict[str, Any]) -> None:
    filters = {"interval": "SESSION_INTERVAL_ALL_TIME", "project_id": population["project"]}
    pages = []
    for page in (1, 2, 3, 4):
        response = query(client, {"filters": filters, "limit": 2, "page": page})
        body = response.json()
        pages.append(("".join(t["external_id"] for t in body["data"]), body["has_more"]))
    assert pages == [("DA", True), ("BC", True), ("E", False), ("", False)]
    far = query(client, {"filters": filters, "page": 10**30}).json()
    assert (far["data"], far["has_more"]) == ([], False)
    # count takes the filters only
    assert query(client, {"filters": filters, "limit": 1, "page": 3}, "/count").json() == {
        "count": 5
    }


def test_a_page_holds_10_threads_by_default(client: httpx.Client) -> None:
    project = f"proj_{uuid.uuid4().hex}"
    for index in range(12):
        create(client, external_id=f"n-{index}", project_id=project)
    filters = {"interval": "SESSION_INTERVAL_ALL_TIME", "project_id": project}
    body = query(client, {"filters": filters}).json()
    assert (len(body["data"]), body["has_more"]) == (10, True)
    # the most recent first: with no times of their own, the order in which they were stored
    assert [t["external_id"] for t in body["data"]] == [f"n-{i}" for i in range(11, 1, -1)]
    assert len(query(client, {"filters": filters, "limit": 200}).json()["data"]) == 12


@pytest.mark.parametrize("path", ["/query", "/count"])
def test_limit_and_page_out_of_bounds_are_a_422_listing_both(
    client: httpx.Client, path: str
) -> None:
    filters = {"interval": "SESSION_INTERVAL_ALL_TIME"}
    response = query(client, {"filters": filters, "limit": 0, "page": 0}, path)
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    assert [(e["path"], e["keyword"]) for e in response.json()["errors"]] == [
        ("/limit", "minimum"),
        ("/page", "minimum"),
    ]
    response = query(client, {"filters": filters, "limit": 201}, path)
    assert [(e["path"], e["keyword"]) for e in response.json()["errors"]] == [("/limit", "maximum")]
    assert query(client, {"filters": filters, "limit": 200, "page": 1}, path).status_code == 200


def test_a_query_body_is_checked_like_any_other(client: httpx.Client) -> None:
    response = query(
        client, {"filters": {"interval": "LAST_HOUR", "start_date": "-5"}, "limit": "9"}
    )
    assert response.status_code == 422
    assert [(e["path"], e["keyword"]) for e in response.json()["errors"]] == [
        ("/filters/interval", "enum"),
        ("/filters/start_date", "pattern"),
        ("/limit", "type"),
    ]
    assert query(client, {}, "/count").json()["errors"][0]["path"] == "/filters"


# -- the legacy routes ---------------------------------------------------------------------------


def test_the_legacy_routes_answer_as_their_contract_says(client: httpx.Client) -> None:
    body = json.dumps({**LEGACY_VALID, "external_id": f"s-{uuid.uuid4().hex}"}).encode()
    response = post(client, body, LEGACY)
    # 200, as the legacy contract (and its client, which refuses a 201) says
    assert (response.status_code, response.headers["content-type"]) == (200, "application/json")
    assert "location" not in response.headers
    session = ss.loads(response.content, ss.CreateSessionResponseBody, style="snake")
    assert session.id.startswith("ses_")
    assert session.workspace_id == "ws_local"
    assert session.traces_count == 3.5
    again = client.get(f"{LEGACY}/{session.id}")
    assert (again.status_code, again.content) == (200, response.content)
    duplicate = post(client, body, LEGACY)
    assert (duplicate.status_code, duplicate.headers["content-type"]) == (409, PROBLEM)
    assert session.id in duplicate.json()["detail"]
    missing = client.get(f"{LEGACY}/ses_nope")
    assert (missing.status_code, missing.headers["content-type"]) == (404, "application/json")
    assert missing.json() == {"message": "no session has this id", "code": "404"}
    invalid = post(client, b'{"traces_count": "3"}', LEGACY)
    assert invalid.status_code == 422
    assert ("/traces_count", "type") in [
        (e["path"], e["keyword"]) for e in invalid.json()["errors"]
    ]


def test_the_legacy_official_client_creates_and_reads_a_session(server: Server) -> None:
    """``orq-ai-sdk`` 3.4.0, the client generated from the legacy contract, as a user calls it."""
    from orq_ai_sdk import Orq, models  # the benchmarks' peer: in .venv, the legacy SDK

    orq = Orq(api_key="any", server_url=server.url)
    external_id = f"s-{uuid.uuid4().hex}"
    request: Any = {**LEGACY_VALID, "external_id": external_id}
    created = orq.sessions.create(request=request)
    assert created is not None
    assert (created.external_id, created.workspace_id) == (external_id, "ws_local")
    read = orq.sessions.get(session_id=created.id)
    assert read is not None
    assert (read.id, read.traces_count, read.tags) == (created.id, 3.5, ["vip"])
    with pytest.raises(models.APIError) as conflict:
        orq.sessions.create(request=request)
    assert conflict.value.status_code == 409
    with pytest.raises(models.HonoAPIError) as missing:
        orq.sessions.get(session_id="ses_nope")
    assert missing.value.data.code == "404"


# -- answers outside the contract's bodies -------------------------------------------------------


def test_other_routes_and_methods_answer_problems_too(client: httpx.Client) -> None:
    assert client.get("/v2/nothing").status_code == 404
    assert client.get("/v2/nothing").headers["content-type"] == PROBLEM
    response = client.put(f"{THREADS}/some-id")
    assert response.status_code == 405
    assert response.headers["allow"] == "DELETE, GET, PATCH"
    assert response.headers["content-type"] == PROBLEM
    query = client.get(f"{THREADS}/query")  # not a read of the thread "query"
    assert (query.status_code, query.headers["allow"]) == (405, "POST")


def test_strict_mode_is_a_query_parameter(client: httpx.Client) -> None:
    body = BODY[:-1] + b',"extra":{"nested":1}}'
    lenient = post(client, body)
    assert lenient.status_code == 200
    assert b"extra" not in lenient.content  # dropped, as the upstream API does
    assert post(client, body, strict="false").status_code == 200
    strict = post(client, body, strict="true")
    assert strict.status_code == 422
    assert [(e["path"], e["keyword"]) for e in strict.json()["errors"]] == [
        ("/extra", "additionalProperties")
    ]
    duplicate = b'{"tags": [], ' + BODY[1:]
    assert post(client, duplicate).status_code == 200  # the last value wins
    response = post(client, duplicate, strict="true")
    assert [e["keyword"] for e in response.json()["errors"]] == ["duplicateKey"]
    assert_verdict(duplicate, response, strict=True)
    for value in ("maybe", "2", "ja"):
        response = post(client, BODY, strict=value)
        assert (response.status_code, response.headers["content-type"]) == (400, PROBLEM)
        assert "strict" in response.json()["detail"]


@pytest.mark.parametrize(
    "content_type",
    [None, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
     "application/json; charset=utf-16", "application/jsonp", "json"],
)  # fmt: skip
def test_a_body_that_is_not_json_gets_a_415(client: httpx.Client, content_type: str | None) -> None:
    headers = {} if content_type is None else {"Content-Type": content_type}
    for path in (THREADS, f"{THREADS}/query", LEGACY):
        response = client.post(path, content=BODY, headers=headers)
        assert response.status_code == 415
        assert response.headers["content-type"] == PROBLEM
        assert response.headers["accept-post"] == "application/json"


@pytest.mark.parametrize(
    "content_type",
    ["application/json", "Application/JSON", "application/json; charset=utf-8",
     'application/json;charset="UTF-8"', "application/vnd.orq.thread+json"],
)  # fmt: skip
def test_json_media_types_are_accepted(client: httpx.Client, content_type: str) -> None:
    response = client.post(THREADS, content=BODY, headers={"Content-Type": content_type})
    assert response.status_code == 200


def test_a_compressed_body_gets_a_415(client: httpx.Client) -> None:
    headers = {**JSON, "Content-Encoding": "gzip"}
    assert client.post(THREADS, content=BODY, headers=headers).status_code == 415


# -- the API key ---------------------------------------------------------------------------------


def test_with_an_api_key_every_request_needs_it(keyed: Server, server: Server) -> None:
    calls = [
        ("POST", THREADS, BODY), ("GET", f"{THREADS}/x", b""), ("PATCH", f"{THREADS}/x", b"{}"),
        ("DELETE", f"{THREADS}/x", b""), ("POST", f"{THREADS}/query", b"{}"),
        ("POST", f"{THREADS}/count", b"{}"), ("GET", f"{THREADS}/tags", b""),
        ("POST", LEGACY, BODY), ("GET", f"{LEGACY}/x", b""),
    ]  # fmt: skip
    keys: dict[str, dict[str, str]] = {
        "none": {},
        "wrong": {"Authorization": f"Bearer {KEY}x"},
        "basic": {"Authorization": "Basic dXNlcjpwYXNz"},
        "right": {"Authorization": f"Bearer {KEY}"},
    }
    with httpx.Client(base_url=keyed.url, trust_env=False, timeout=WAIT) as http:
        for method, path, body in calls:
            for name, headers in keys.items():
                response = http.request(method, path, content=body, headers={**JSON, **headers})
                if name != "right":
                    assert response.status_code == 401, (method, path, name)
                    assert response.headers["content-type"] == "application/json"
                    assert response.headers["www-authenticate"] == "Bearer"
                    assert response.json()["code"] == 16
                    assert set(response.json()) == {"message", "code"}
                else:
                    assert response.status_code not in (401, 500), (method, path, response.text)
        # the key is checked before the body is read: no 413 for a stranger
        too_large = http.post(THREADS, content=b" " * (LIMIT + 1), headers=JSON)
        assert too_large.status_code == 401
        assert http.get("/openapi.json").status_code == 200  # the document is public
    assert "No API key" in server.output()
    assert "No API key" not in keyed.output()
    assert KEY not in keyed.output()


# -- the size limit, and answers a client still sending reads -------------------------------------


def padded(size: int) -> bytes:
    """The valid body with white space after it, ``size`` bytes in all."""
    return BODY + b" " * (size - len(BODY))


def test_a_body_at_the_limit_is_read_and_one_byte_more_is_a_413(client: httpx.Client) -> None:
    assert post(client, padded(LIMIT)).status_code == 200
    response = post(client, padded(LIMIT + 1))
    assert response.status_code == 413
    assert response.headers["content-type"] == PROBLEM
    assert response.headers["connection"] == "close"  # the rest of the body is not read
    problem = response.json()
    assert (problem["status"], problem["title"]) == (413, "The request body is too large")
    assert [e["keyword"] for e in problem["errors"]] == ["maxBytes"]
    assert post(client, BODY).status_code == 200  # the client goes on, on a new connection


def test_a_chunked_body_over_the_limit_is_a_413(client: httpx.Client) -> None:
    def pieces(size: int) -> Iterator[bytes]:
        body = padded(size)
        for start in range(0, len(body), 100_000):
            yield body[start : start + 100_000]

    assert client.post(THREADS, content=pieces(LIMIT), headers=JSON).status_code == 200
    response = client.post(THREADS, content=pieces(LIMIT + 1), headers=JSON)
    assert response.status_code == 413
    assert [e["keyword"] for e in response.json()["errors"]] == ["maxBytes"]


def test_a_content_length_over_the_limit_is_refused_before_the_body(server: Server) -> None:
    with Raw(server) as raw:
        raw.send(head(10**12))  # a terabyte announced, nothing sent
        status, headers, body = raw.response()
        assert status == 413
        assert headers["content-type"] == PROBLEM
        assert str(10**12) in json.loads(body)["detail"]
        assert raw.closed()  # then the end of the connection (FIN), not a reset


def test_a_chunked_body_is_refused_while_it_is_being_received(server: Server) -> None:
    """The 413 comes while the client still sends: the server did not wait for the end."""
    cap = 256 << 20  # far more than the limit and every socket buffer between the two
    piece = chunk(b" " * (1 << 16))
    with Raw(server) as raw:
        raw.send(head(extra="Transfer-Encoding: chunked\r\n") + chunk(BODY))
        raw.sock.settimeout(0)  # non-blocking: send until the answer is there
        sent, deadline = 0, time.monotonic() + WAIT
        while sent < cap and time.monotonic() < deadline:
            try:
                if raw.sock.recv(1, socket.MSG_PEEK):
                    break
            except BlockingIOError:
                pass
            try:
                sent += raw.sock.send(piece[sent % len(piece) :])
            except BlockingIOError:
                time.sleep(0.001)
        raw.sock.settimeout(WAIT)
        status, _, body = raw.response()
    assert status == 413
    assert sent < cap
    assert [e["keyword"] for e in json.loads(body)["errors"]] == ["maxBytes"]


@pytest.mark.parametrize(("size", "times"), [(3 << 20, 15), (20_000_000, 10)])
def test_urllib_sending_a_body_over_the_limit_reads_the_413(
    server: Server, size: int, times: int
) -> None:
    """urllib sends the whole body before it reads: the server answers at once, then reads and
    drops the rest (the lingering close) rather than resetting the connection under it."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    body = b" " * size
    outcomes: Counter[str] = Counter()
    for _ in range(times):
        request = urllib.request.Request(server.url + THREADS, body, JSON, method="POST")
        try:
            opener.open(request, timeout=WAIT).close()
            outcomes["no error"] += 1
        except urllib.error.HTTPError as error:
            problem = json.loads(error.read())
            keyword = problem["errors"][0]["keyword"]
            outcomes[f"{error.code} {error.headers['content-type']} {keyword}"] += 1
        except OSError as error:
            outcomes[type(error).__name__] += 1
    assert outcomes == {f"413 {PROBLEM} maxBytes": times}


@pytest.mark.parametrize("size", [3 << 20, 20_000_000])
def test_httpx_sending_a_body_over_the_limit_reads_the_413(server: Server, size: int) -> None:
    body = b" " * size
    with httpx.Client(base_url=server.url, trust_env=False, timeout=WAIT) as http:
        statuses = [http.post(THREADS, content=body, headers=JSON).status_code for _ in range(5)]
        assert statuses == [413] * 5
        assert post(http, BODY).status_code == 200


def send_until_refused(raw: Raw, piece: bytes, most: int) -> tuple[int, OSError | None]:
    """Send ``piece`` again and again, at most ``most`` bytes or for :data:`WAIT` seconds:
    how much was sent, and the error that stopped it (None if none did)."""
    sent, deadline = 0, time.monotonic() + WAIT
    try:
        while sent < most and time.monotonic() < deadline:
            sent += raw.sock.send(piece)
            time.sleep(0 if len(piece) > 1 << 16 else 0.02)
    except OSError as error:
        return sent, error
    return sent, None


def test_the_lingering_close_drops_a_bounded_amount(server: Server) -> None:
    """After the answer, the server reads and drops at most LINGER_BYTES, then closes."""
    with Raw(server) as raw:
        raw.send(head(10**12))
        status, headers, _ = raw.response()
        assert (status, headers["connection"]) == (413, "close")
        sent, error = send_until_refused(raw, b" " * (1 << 20), 4 * LINGER_BYTES)
    assert isinstance(error, (BrokenPipeError, ConnectionResetError)), error
    assert LINGER_BYTES <= sent < LINGER_BYTES + (64 << 20)


def test_the_lingering_close_ends_when_the_client_stops_sending(server: Server) -> None:
    with Raw(server) as raw:
        raw.send(head(10**12) + b" " * 1000)
        assert raw.response()[0] == 413
        time.sleep(LINGER_IDLE_SECONDS + 1)
        sent, error = send_until_refused(raw, b" " * 65536, 50 * 65536)
    assert isinstance(error, (BrokenPipeError, ConnectionResetError)), error
    assert sent <= 65536  # the server had closed: the second send at the latest fails


# -- hostile bodies ------------------------------------------------------------------------------


def with_extra(raw: bytes, into: bytes = BODY) -> bytes:
    """``into`` with one more key, ``extra``, whose value is the JSON text ``raw``."""
    return into[:-1] + b',"extra":' + raw + b"}"


def suite_bodies() -> list[bytes]:
    """Every JSONTestSuite parsing case, as a whole body and as the value of an unknown key."""
    paths = sorted(CASES.glob("*.json"))
    assert paths, f"no JSONTestSuite files in {CASES}"
    return [body for path in paths for body in (path.read_bytes(), with_extra(path.read_bytes()))]


HOSTILE: list[bytes] = [
    # depth
    b"[" * 100_000 + b"]" * 100_000,
    b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
    with_extra(b"[" * 100_000),
    with_extra(b"[" * 64 + b"]" * 64),
    # encodings
    with_extra(b'"\xff"'),
    with_extra(b'"\xc0\xaf"'),
    with_extra(b'"\xed\xa0\x80"'),
    with_extra(b'"\xe2\x82"'),
    "{}".encode("utf-16-le"),
    "{}".encode("utf-16"),
    "{}".encode("utf-32-be"),
    b"\xef\xbb\xbf" + BODY,
    # lone surrogates, in values, keys and fields
    with_extra(b'"\\ud800"'),
    with_extra(b'{"\\udfaa": 1}'),
    BODY.replace(b'"t-1"', b'"\\ud83d"'),
    BODY.replace(b'"t-1"', b'"\\ud83d\\ude00 \\uD834\\uDD1E"'),
    BODY.replace(b'"t-1"', b'"a\\u0000b"'),
    # duplicates
    b'{"tags": [], "tags": [], ' + BODY[1:],
    # grammar
    *(with_extra(raw) for raw in (b"1 // c", b"'single'", b"01", b".5", b"NaN", b"-Infinity",
                                  b"[1,]", b'"raw\ttab"', b"[1] [2]", b"\xc2\xa01")),
    *(BODY + garbage for garbage in (b"x", b"{}", b" 1", b"\x00", b"}")),
    # numbers
    *(BODY.replace(b'"duration":1200', b'"duration":' + raw)
      for raw in (b"1e400", b"-1E400", b"1" + b"0" * 400, b"3." + b"14159265358979" * 72)),
    *(BODY.replace(b'"traces_count":3', b'"traces_count":' + raw)
      for raw in (b"3.0", b"3.5", b"1" + b"0" * 30, b"-1", b"true")),
    with_extra(b"9" * 5000),
    # volume
    BODY.replace(b'["c_1","c_2"]', b"[" + b",".join([b"1"] * 100_000) + b"]"),
    BODY.replace(b'"t-1"', b'"' + b"x" * 900_000 + b'"').replace(b'"2024-', b'"x2024-'),
    # not an object at all
    b"null", b"[]", b'"text"', b"0", b"true",
]  # fmt: skip


def test_hostile_bodies_get_the_referees_verdict_and_never_a_500(client: httpx.Client) -> None:
    wrong = []
    for body in HOSTILE + suite_bodies():
        for strict in (False, True):
            response = post(client, body, strict="true" if strict else "false")
            try:
                assert_verdict(body, response, strict=strict)
            except AssertionError as exc:
                wrong.append(f"{body[:80]!r} strict={strict}: {exc}")
    assert not wrong, "\n".join(wrong[:20])


def test_hypothesis_bodies_get_the_referees_verdict(server: Server) -> None:
    """Drawn bodies: valid and invalid thread payloads on the snake wire, and arbitrary bytes."""
    cls = ss.CreateThreadRequest
    bodies = st.one_of(
        strategies.payloads(cls, style="snake").map(lambda p: json.dumps(p).encode()),
        strategies.invalid_payloads(cls, style="snake").map(
            lambda p: json.dumps(p, allow_nan=True).encode()
        ),
        st.binary(max_size=300),
    )
    with httpx.Client(base_url=server.url, trust_env=False, timeout=WAIT) as http:

        @given(bodies)
        def check(body: bytes) -> None:
            assert_verdict(body, post(http, body))

        check()


def test_concurrent_clients_get_the_verdicts_of_ss_loads(server: Server) -> None:
    """600 requests of the load run's mix (creations, reads, queries) from 16 connections at
    once (the load driver that ``make bench-service`` runs at full size): every verdict that of
    ``ss.loads``, and the referee's for creations; then every thread created read back."""
    with httpx.Client(base_url=server.url, trust_env=False, timeout=WAIT) as http:
        seeds = [
            post(http, json.dumps(dict(VALID, external_id=f"seed-{i}")).encode()) for i in range(20)
        ]
    known = {json.loads(r.content)["_id"]: r.content for r in seeds}
    shots = load_traffic(600, seed=12, ids=list(known))
    answers = asyncio.run(
        load_run(server.port, [load_request(s, server.port) for s in shots], 16, WAIT * 4)
    )
    wrong = [m for s, a in zip(shots, answers, strict=True) if (m := mismatch(s, a, known))]
    assert not wrong, wrong[:5]
    for shot, answer in zip(shots, answers, strict=True):
        if shot.kind not in ("get", "query"):
            assert_judged(shot.body, answer.status, answer.body)
    assert Counter(shot.kind for shot in shots).keys() >= {"create", "get", "query", "over"}
    created = [a for s, a in zip(shots, answers, strict=True) if s.kind == "create"]
    assert len(created) > 250
    with httpx.Client(base_url=server.url, trust_env=False, timeout=WAIT) as http:
        for answer in created:
            assert http.get(f"{THREADS}/{json.loads(answer.body)['_id']}").content == answer.body


def test_concurrent_updates_of_one_thread_lose_none(server: Server, client: httpx.Client) -> None:
    """Each round, one PATCH per field, all at once, each on a connection of its own: every one
    of them is in the thread afterwards."""
    path = f"{THREADS}/{create(client)['_id']}"
    changes: dict[str, Callable[[int], Any]] = {
        "external_id": lambda r: f"e-{r}", "duration": lambda r: r + 0.5,
        "contact_ids": lambda r: [f"c-{r}"], "traces_count": lambda r: r,
        "tags": lambda r: [f"t-{r}"], "project_id": lambda r: f"p-{r}",
        "title": lambda r: f"title {r}", "client": lambda r: f"client-{r}",
        "repo": lambda r: f"github.com/org/r{r}",
        "kind": lambda r: ("THREAD_KIND_CONVERSATION", "THREAD_KIND_CODING_AGENT")[r % 2],
        "started_at": lambda r: f"2024-05-{r + 1:02d}T00:00:00Z",
        "updated_at": lambda r: f"2024-06-{r + 1:02d}T00:00:00Z",
        "billing": lambda r: {"input_cost": r, "output_cost": r, "total_cost": 2 * r},
        "usage": lambda r: {"prompt_tokens": r, "completion_tokens": r, "total_tokens": 2 * r},
    }  # fmt: skip
    for round_ in range(8):
        requests = []
        for name, value in changes.items():
            body = json.dumps({name: value(round_)}).encode()
            requests.append(
                f"PATCH {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n\r\n".encode()
                + body
            )
        answers = asyncio.run(load_run(server.port, requests, len(requests), WAIT))
        assert [a.status for a in answers] == [200] * len(requests), answers[:2]
        thread = client.get(path).json()
        assert {name: thread.get(name) for name in changes} == {
            name: value(round_) for name, value in changes.items()
        }


# -- clients that lie, stop or crawl -------------------------------------------------------------


def test_a_content_length_shorter_than_the_body_is_never_a_500(server: Server) -> None:
    with Raw(server) as raw:
        raw.send(head(len(BODY) - 10) + BODY)
        status, _, _ = raw.response()
        # the text read is cut short (422), unless uvicorn's 400 for the rest came first
        assert status in (400, 422)
        assert raw.closed()


def test_a_content_length_longer_than_the_body_is_a_408_after_the_timeout(server: Server) -> None:
    with Raw(server) as raw:
        raw.send(head(len(BODY) + 10) + BODY)
        status, headers, body = raw.response()
        assert status == 408
        assert headers["connection"] == "close"
        assert json.loads(body)["detail"] == f"the body did not arrive within {BODY_TIMEOUT:g} s"
        assert raw.closed()


@pytest.mark.parametrize(
    "lie",
    ["Content-Length: abc\r\n", "Content-Length: -1\r\n", "Content-Length: 1, 2\r\n",
     f"Content-Length: {len(BODY)}\r\nContent-Length: 5\r\n",
     f"Content-Length: {len(BODY)}\r\nTransfer-Encoding: chunked\r\n"],
)  # fmt: skip
def test_malformed_framing_is_refused_by_uvicorn(server: Server, lie: str) -> None:
    with Raw(server) as raw:
        raw.send(head(extra=lie) + BODY)
        status, _, _ = raw.response()
        assert status == 400
        assert raw.closed()


@pytest.mark.parametrize("framing", ["content-length", "chunked"])
def test_a_body_cut_off_midway_leaves_the_server_serving(
    server: Server, client: httpx.Client, framing: str
) -> None:
    with Raw(server) as raw:
        if framing == "content-length":
            raw.send(head(len(BODY)) + BODY[: len(BODY) // 2])
        else:
            raw.send(head(extra="Transfer-Encoding: chunked\r\n") + chunk(BODY[:50]) + b"7\r\nab")
        raw.sock.shutdown(socket.SHUT_WR)  # the client is gone
        status, _, _ = raw.response()
        assert status in (0, 400)  # nobody is there to read an answer; none is needed
    assert post(client, BODY).status_code == 200
    time.sleep(0.2)  # the server logs its side of the cut-off connection
    assert_clean(server.output())


def test_a_slow_sender_within_the_timeout_is_served(server: Server) -> None:
    pieces = [BODY[i : i + 60] for i in range(0, len(BODY), 60)]
    assert len(pieces) >= 4
    with Raw(server) as raw:
        raw.send(head(len(BODY)))
        for piece in pieces:  # about 0.75 s in all, against a timeout of BODY_TIMEOUT
            time.sleep(0.15)
            raw.send(piece)
        status, _, body = raw.response()
    assert status == 200
    assert json.loads(body)["external_id"] == "t-1"


def test_a_slow_chunked_sender_within_the_timeout_is_served(server: Server) -> None:
    def slowly() -> Iterator[bytes]:
        for start in range(0, len(BODY), 100):
            time.sleep(0.15)
            yield BODY[start : start + 100]

    with httpx.Client(base_url=server.url, trust_env=False, timeout=WAIT) as http:
        response = http.post(THREADS, content=slowly(), headers=JSON)
    assert response.status_code == 200


# -- a file database, killed and restarted -------------------------------------------------------


def test_what_was_acknowledged_is_there_after_sigkill_and_restart(tmp_path: Path) -> None:
    """SIGKILL right after a 200 (of a creation, an update, a deletion's 204, a legacy
    creation), then a restart on the same file: every thread reads back byte for byte. The
    server takes its port from ``PORT``."""
    payloads = [
        VALID,
        *[dict(VALID, external_id=f"t-{i}", duration=i / 2, tags=[f"k{i % 3}"]) for i in range(12)],
        dict(VALID, external_id="café \U0001f600 \u0000", title="\u2028", traces_count=10**20),
        dict(VALID, duration=int("9" * 300)),
        dict(VALID, duration=-0.0, started_at="2024-05-06T07:08:09.123456789-00:00"),
        dict(VALID, duration=1e-7, kind="THREAD_KIND_CODING_AGENT", client="codex"),
    ]  # fmt: skip
    bodies = [json.dumps(payload).encode() for payload in payloads]
    database = tmp_path / "threads.sqlite3"
    service = Server(serve_command("--db", str(database)), tmp_path / "serve.log", PORT="0")
    stored_bodies: dict[str, bytes | None] = {}  # None: deleted
    legacy: dict[str, bytes] = {}

    def http() -> httpx.Client:
        return httpx.Client(base_url=service.url, trust_env=False, timeout=WAIT)

    def read_all() -> None:
        with http() as client:
            for thread_id, content in stored_bodies.items():
                response = client.get(f"{THREADS}/{thread_id}")
                assert response.status_code == (404 if content is None else 200)
                if content is not None:
                    assert response.content == content
            for session_id, content in legacy.items():
                assert client.get(f"{LEGACY}/{session_id}").content == content
            tags = client.get(f"{THREADS}/tags").json()
            assert {"k0", "k1", "k2", "vip"} <= set(tags)

    try:
        service.start()
        with http() as client:
            for body in bodies:
                response = post(client, body)
                assert response.status_code == 200, response.text
                stored_bodies[response.json()["_id"]] = response.content
        service.stop(kill=True)  # right after the last 200
        service.start()
        read_all()
        first, second = list(stored_bodies)[:2]
        with http() as client:
            change = b'{"title": "changed", "clear_tags": true}'
            response = client.patch(f"{THREADS}/{first}", content=change, headers=JSON)
            assert response.status_code == 200
            stored_bodies[first] = response.content
        service.stop(kill=True)
        service.start()
        read_all()
        with http() as client:
            assert client.delete(f"{THREADS}/{second}").status_code == 204
            stored_bodies[second] = None
            response = post(
                client, json.dumps({**LEGACY_VALID, "external_id": "s-1"}).encode(), LEGACY
            )
            assert response.status_code == 200
            legacy[response.json()["_id"]] = response.content
        service.stop(kill=True)
        service.start()
        read_all()
        assert service.stop() in (0, -signal.SIGTERM)  # SIGTERM: uvicorn stops gracefully,
        assert service.output().count("Application shutdown complete") == 1  # then re-raises it
        service.start()
        read_all()
        assert len(stored_bodies) == len(bodies)
    finally:
        service.stop()
    assert_clean(service.output())
    assert str(database) in service.output()  # it said where the sessions are kept


# -- the store, a dependency ----------------------------------------------------------------------


def test_the_store_is_a_dependency_that_a_test_can_override(tmp_path: Path) -> None:
    """FastAPI's ``dependency_overrides`` gives the routes a store of the test's own: the app
    served by uvicorn in a thread of this process, on 127.0.0.1."""
    mine = Store(str(tmp_path / "mine.sqlite3"))
    mine.open()
    request = ss.loads(BODY, ss.CreateThreadRequest, style="snake")
    thread = ss.Thread(**attrs.asdict(request, recurse=False), id="mine")
    text = ss.dumps(thread, style="snake")
    mine.add(Row(id="mine", body=text, activity=0, tags=thread.tags))

    async def overridden() -> Store:
        return mine

    app = create_app()
    app.dependency_overrides[get_store] = overridden
    config = uvicorn.Config(
        app, host="127.0.0.1", port=0, http=LingeringProtocol, log_level="warning"
    )
    server = uvicorn.Server(config)
    running = threading.Thread(target=server.run, daemon=True)
    running.start()
    try:
        deadline = time.monotonic() + WAIT
        while not server.started and running.is_alive() and time.monotonic() < deadline:
            time.sleep(0.02)
        assert server.started
        port = server.servers[0].sockets[0].getsockname()[1]
        with httpx.Client(
            base_url=f"http://127.0.0.1:{port}", trust_env=False, timeout=WAIT
        ) as http:
            assert http.get(f"{THREADS}/mine").text == text
            created = post(http, BODY).json()
            stored_text = mine.get(created["_id"])
            assert stored_text is not None
            assert json.loads(stored_text) == created
            assert http.get(f"{THREADS}/tags").json() == ["vip"]
    finally:
        server.should_exit = True
        running.join(WAIT)
        mine.close()
    assert not running.is_alive()


# -- the command line ----------------------------------------------------------------------------


def run_serve(*options: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        serve_command(*options),
        capture_output=True,
        text=True,
        timeout=WAIT,
        check=False,
        env={**os.environ, **(env or {})},
        cwd=ROOT,
    )


def test_serve_refuses_what_it_cannot_do(server: Server, tmp_path: Path) -> None:
    assert run_serve("--port", "70000").returncode == 2  # a usage error
    bad_port = run_serve(env={"PORT": "eighty"})
    assert bad_port.returncode == 2
    assert "PORT must be a port number" in bad_port.stderr
    no_folder = run_serve("--db", str(tmp_path / "missing" / "x.sqlite3"))
    assert no_folder.returncode == 2
    assert "does not exist" in no_folder.stderr
    taken = run_serve("--port", str(server.port))
    assert taken.returncode == 2
    assert "address already in use" in (taken.stdout + taken.stderr).lower()


# -- the OpenAPI document ------------------------------------------------------------------------

OPERATIONS = {
    ("post", THREADS): {"200", "400", "401", "408", "413", "415", "422", "503"},
    ("post", f"{THREADS}/count"): {"200", "400", "401", "408", "413", "415", "422", "503"},
    ("post", f"{THREADS}/query"): {"200", "400", "401", "408", "413", "415", "422", "503"},
    ("get", f"{THREADS}/tags"): {"200", "401", "503"},
    ("get", f"{THREADS}/{{session_id}}"): {"200", "401", "404", "503"},
    ("patch", f"{THREADS}/{{session_id}}"): {
        "200",
        "400",
        "401",
        "404",
        "408",
        "413",
        "415",
        "422",
        "503",
    },
    ("delete", f"{THREADS}/{{session_id}}"): {"204", "401", "404", "503"},
    ("post", LEGACY): {"200", "400", "401", "408", "409", "413", "415", "422", "503"},
    ("get", f"{LEGACY}/{{session_id}}"): {"200", "401", "404", "503"},
}
"""Every operation of ../shared/reference/threads.md, and the two legacy ones, with the
statuses each can answer (401 only where the server has a key; 503 when its store fails)."""


def test_the_openapi_document_publishes_the_contract(client: httpx.Client) -> None:
    document = client.get("/openapi.json").json()
    schemas = document["components"]["schemas"]
    for cls in MODELS:
        bundled = ss.schema(cls, style="snake")
        relinked = json.loads(json.dumps(bundled).replace('"#/$defs/', '"#/components/schemas/'))
        for name, schema in relinked.pop("$defs", {}).items():
            assert without_bounds(schemas[name], schema) == schema
        del relinked["$schema"], relinked["$id"]
        assert without_bounds(schemas[cls.__name__], relinked) == relinked
    found = {
        (method, path): set(operation["responses"])
        for path, item in document["paths"].items()
        for method, operation in item.items()
    }
    assert found == {operation: statuses - {"401"} for operation, statuses in OPERATIONS.items()}
    bodies = {
        ("post", THREADS): "CreateThreadRequest",
        ("patch", f"{THREADS}/{{session_id}}"): "UpdateThreadRequest",
        ("post", f"{THREADS}/query"): "ListThreadsRequest",
        ("post", f"{THREADS}/count"): "GetThreadCountRequest",
        ("post", LEGACY): "CreateSessionRequestBody",
    }
    for (method, path), name in bodies.items():
        body = document["paths"][path][method]["requestBody"]["content"]["application/json"]
        assert body["schema"] == {"$ref": f"#/components/schemas/{name}"}
    assert "HTTPValidationError" not in schemas
    assert "securitySchemes" not in document["components"]  # an open server
    assert client.get("/docs").status_code == 200


def without_bounds(published: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """``published`` less the server's own bounds (tests/serve/test_openapi.py checks them),
    which it adds to the contract's ``schema`` and nothing else."""
    properties = {
        name: {
            key: value
            for key, value in published["properties"][name].items()
            if key not in ("maxItems", "minimum", "maximum", "default")
            or key in schema["properties"][name]
        }
        for name in published.get("properties", {})
    }
    return {**published, **({"properties": properties} if properties else {})}


def test_served_answers_are_valid_under_the_schemas_the_document_publishes(
    client: httpx.Client,
) -> None:
    document = client.get("/openapi.json").json()
    registry = Registry().with_resource("urn:openapi", DRAFT202012.create_resource(document))

    def check(response: httpx.Response, method: str, path: str) -> None:
        status = str(response.status_code)
        media = document["paths"][path][method]["responses"][status]["content"]
        schema = media[response.headers["content-type"]]["schema"]
        reference = {"$ref": "urn:openapi" + schema["$ref"]} if "$ref" in schema else schema
        jsonschema.Draft202012Validator(
            reference,
            registry=registry,
            format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
        ).validate(response.json())

    full = dict(
        VALID,
        title="t",
        client="c",
        repo="r",
        kind="THREAD_KIND_CONVERSATION",
        updated_at="2024-05-06T08:00:00Z",
    )
    created = post(client, json.dumps(full).encode())
    one = f"{THREADS}/{{session_id}}"
    thread_path = f"{THREADS}/{created.json()['_id']}"
    filters = json.dumps(
        {"filters": {"interval": "SESSION_INTERVAL_ALL_TIME"}, "limit": 3}
    ).encode()
    answers = [
        (created, "post", THREADS),
        (client.get(thread_path), "get", one),
        (client.patch(thread_path, content=b'{"clear_tags": true}', headers=JSON), "patch", one),
        (post(client, filters, f"{THREADS}/query"), "post", f"{THREADS}/query"),
        (post(client, filters, f"{THREADS}/count"), "post", f"{THREADS}/count"),
        (client.get(f"{THREADS}/tags"), "get", f"{THREADS}/tags"),
        (client.get(f"{THREADS}/nope"), "get", one),
        (post(client, b'{"duration": "1"}'), "post", THREADS),
        (post(client, padded(LIMIT + 1)), "post", THREADS),
        (client.post(THREADS, content=BODY), "post", THREADS),
        (post(client, BODY, strict="maybe"), "post", THREADS),
        (
            post(
                client,
                json.dumps({**LEGACY_VALID, "external_id": uuid.uuid4().hex}).encode(),
                LEGACY,
            ),
            "post",
            LEGACY,
        ),
        (client.get(f"{LEGACY}/nope"), "get", f"{LEGACY}/{{session_id}}"),
    ]
    assert {r.status_code for r, _, _ in answers} == {200, 400, 404, 413, 415, 422}
    for response, method, path in answers:
        check(response, method, path)
    with pytest.raises(jsonschema.ValidationError):  # the schema does say something
        check(
            httpx.Response(200, json={**created.json(), "billing": None}, headers=JSON),
            "post",
            THREADS,
        )


# -- embedding: examples/service/app.py ----------------------------------------------------------


def test_the_embedding_example_reads_its_bodies_with_sessionschema(tmp_path: Path) -> None:
    command = [sys.executable, str(ROOT / "examples" / "service" / "app.py")]
    with (
        Server(command, tmp_path / "example.log", PORT="0") as example,
        httpx.Client(base_url=example.url, trust_env=False, timeout=WAIT) as http,
    ):
        served = http.post("/threads", content=BODY, headers=JSON)
        assert served.status_code == 200
        assert served.json()["external_id"] == "t-1"
        assert served.json()["thread"] == ss.dump(
            ss.loads(BODY, ss.CreateThreadRequest, style="snake"), style="snake"
        )
        refused = http.post("/threads", content=b"{}", headers=JSON)
        assert (refused.status_code, refused.headers["content-type"]) == (422, PROBLEM)
        assert len(refused.json()["errors"]) == 7
        assert http.post("/threads", content=b" " * (3 << 20), headers=JSON).status_code == 413
    assert_clean(example.output())
