"""The reference service of examples/service/, run for real: uvicorn in a subprocess on a free
port of 127.0.0.1, driven over HTTP by httpx (and by raw sockets where a client must misbehave).

One server per module and test process (a fixture), with a body timeout of a few seconds; the
restart test starts its own, on a file database. Waits are generous and nothing is timed, so that
a loaded machine slows the tests down without failing them.
"""

from __future__ import annotations

import asyncio
import json
import math
import re
import signal
import socket
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import attrs
import httpx
import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st
from referencing import Registry
from referencing.jsonschema import DRAFT202012

import sessionschema as ss
from sessionschema import strategies

from . import oracle
from .agreement import LISTED, expected_listing, order
from .load import SERVICE, Server, mismatch, stored
from .load import Answer as LoadAnswer
from .load import load as load_run
from .load import request as load_request
from .load import traffic as load_traffic
from .support import with_extra

SESSIONS = "/v2/traces/sessions"
LIMIT = 1 << 20  # the service's default
BODY_TIMEOUT = 4.0  # the test server's: short, to keep the timeout test short
WAIT = 60.0  # any wait for an answer; only a broken server makes a test wait this long
JSON = {"Content-Type": "application/json"}
CASES = Path(__file__).parent / "data" / "JSONTestSuite" / "test_parsing"

VALID: dict[str, Any] = {
    "external_id": "s-1",
    "duration": 1200,
    "contact_ids": ["c_1", "c_2"],
    "billing": {"input_cost": 0.1, "output_cost": 0.2, "total_cost": 0.3},
    "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
    "traces_count": 3,
    "tags": ["vip"],
    "project_id": None,
    "started_at": "2024-05-06T07:08:09.5+02:00",
}
BODY = json.dumps(VALID, separators=(",", ":")).encode()


# -- the server and its clients ------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    log = tmp_path_factory.mktemp("service") / "service.log"
    with Server(SERVICE, log, SESSIONS_BODY_TIMEOUT=str(BODY_TIMEOUT)) as running:
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


def post(client: httpx.Client, body: bytes, **params: str) -> httpx.Response:
    return client.post(SESSIONS, content=body, headers=JSON, params=params)


def assert_verdict(body: bytes, response: httpx.Response, *, strict: bool = False) -> None:
    """The service answered what the referee says of ``body`` (see :func:`judge`), and, for the
    mapping of a verdict to an HTTP answer, what ``ss.loads`` says of it, with the right content
    type."""
    assert response.status_code < 500, response.text
    assert_judged(body, response.status_code, response.content, strict=strict)
    answer = LoadAnswer(response.status_code, response.content)
    assert mismatch(body, answer, strict=strict) is None, mismatch(body, answer, strict=strict)
    content_type = "application/json" if response.status_code == 201 else "application/problem+json"
    assert response.headers["content-type"] == content_type


# -- the referee's verdict on a body -------------------------------------------------------------

Pair = tuple[str, str]
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
    """The referee's verdict on a request body, independent of the library: ``(413, None)``
    over the limit; ``(422, REFUSED)`` for text the JSON boundary refuses; ``(201, session)``
    with the session tests/oracle.py builds; ``(422, listing)`` with the (path, keyword) pairs
    listed: the schema files' problems (jsonschema, on the snake wire), in strict mode with each
    repetition of a key (``duplicateKey``) too, sorted by path, and cut as the documentation says
    (then ending with the ``maxErrors`` pair); ``(422, None)`` where the listing of a cut list
    with duplicates is not worked out here."""
    if len(body) > LIMIT:
        return 413, None
    read = read_body(body)
    if read is None:
        return 422, REFUSED
    value, duplicates = read
    cls = ss.CreateSessionRequestBody
    found = list(oracle.problems(value, cls, strict, "snake"))
    if strict:  # each repetition of a key is one problem
        found += [(path, "duplicateKey") for path in duplicates]
    if not found:
        return 201, oracle.build(value, cls, "snake")
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
    if status == 201:  # the session sent, with the ids the service gave it
        answer = json.loads(content)
        response = ss.CreateSessionResponseBody
        assert not oracle.problems(answer, response, True, "snake"), answer
        served = attrs.asdict(oracle.build(answer, response, "snake"))
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


def head(length: int | None = None, *, extra: str = "") -> bytes:
    lines = f"POST {SESSIONS} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
    if length is not None:
        lines += f"Content-Length: {length}\r\n"
    return (lines + extra + "\r\n").encode()


def chunk(data: bytes) -> bytes:
    return b"%x\r\n" % len(data) + data + b"\r\n"


# -- the library's part: to_problem ----------------------------------------------------------------


def test_to_problem_is_a_413_when_the_text_is_over_the_limit() -> None:
    with pytest.raises(ss.ValidationError) as info:
        ss.loads(b'{"external_id": "' + b"x" * 100 + b'"}', max_bytes=50)
    problem = info.value.to_problem()
    assert (problem["status"], problem["title"]) == (413, "The request body is too large")
    assert [error["keyword"] for error in problem["errors"]] == ["maxBytes"]
    with pytest.raises(ss.ValidationError) as info:
        ss.loads(b"{}")
    assert (info.value.to_problem()["status"], info.value.to_problem()["title"]) == (
        422,
        "The request body is invalid",
    )


# -- the answers ---------------------------------------------------------------------------------


def test_201_answers_the_stored_session_and_get_reads_it_back(client: httpx.Client) -> None:
    response = post(client, BODY)
    assert_verdict(BODY, response)
    assert response.status_code == 201
    session = ss.loads(response.content, ss.CreateSessionResponseBody, style="snake")
    assert session.id.startswith("ses_")
    assert session.workspace_id
    assert response.text == ss.dumps(
        stored(ss.loads(BODY, style="snake"), response.content), style="snake"
    )
    assert response.headers["location"] == f"{SESSIONS}/{session.id}"
    again = client.get(response.headers["location"])
    assert (again.status_code, again.headers["content-type"]) == (200, "application/json")
    assert again.content == response.content
    assert post(client, BODY).json()["_id"] != session.id  # every POST creates a session


def test_an_invalid_body_gets_a_422_listing_every_problem(client: httpx.Client) -> None:
    body = b'{"external_id": 42, "duration": true, "contact_ids": ["a", null]}'
    response = post(client, body)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert [(e["path"], e["keyword"]) for e in problem["errors"]] == [
        ("/billing", "required"),
        ("/contact_ids/1", "type"),
        ("/duration", "type"),
        ("/external_id", "type"),
        ("/tags", "required"),
        ("/traces_count", "required"),
        ("/usage", "required"),
    ]
    assert_verdict(body, response)


@pytest.mark.parametrize("body", [b"", b"{", b"[1,]", b"nul", b"\xff", BODY + b"x", BODY[:-1]])
def test_malformed_json_gets_a_422(client: httpx.Client, body: bytes) -> None:
    response = post(client, body)
    assert response.status_code == 422
    assert [e["keyword"] for e in response.json()["errors"]] == ["json"]
    assert_verdict(body, response)


def test_get_of_an_unknown_id_is_a_404_problem(client: httpx.Client) -> None:
    for session_id in ("ses_nope", "a b", "%00", "x" * 2000):
        response = client.get(f"{SESSIONS}/{session_id}")
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["status"] == 404


def test_other_routes_and_methods_answer_problems_too(client: httpx.Client) -> None:
    assert client.get("/v2/nothing").status_code == 404
    response = client.delete(SESSIONS)
    assert (response.status_code, response.headers["allow"]) == (405, "POST")
    assert response.headers["content-type"] == "application/problem+json"


def test_strict_mode_is_a_query_parameter(client: httpx.Client) -> None:
    body = with_extra(b'{"nested": 1}', into=BODY)
    lenient = post(client, body)
    assert lenient.status_code == 201
    assert b"extra" not in lenient.content  # dropped, as the upstream API does
    assert post(client, body, strict="false").status_code == 201
    strict = post(client, body, strict="true")
    assert strict.status_code == 422
    assert [(e["path"], e["keyword"]) for e in strict.json()["errors"]] == [
        ("/extra", "additionalProperties")
    ]
    duplicate = b'{"tags": [], ' + BODY[1:]
    assert post(client, duplicate).status_code == 201  # the last value wins
    response = post(client, duplicate, strict="true")
    assert [e["keyword"] for e in response.json()["errors"]] == ["duplicateKey"]
    assert_verdict(duplicate, response, strict=True)
    for value in ("yes", "1", "True", ""):
        response = post(client, BODY, strict=value)
        assert response.status_code == 400
        assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(
    "content_type",
    [None, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
     "application/json; charset=utf-16", "application/jsonp", "json"],
)  # fmt: skip
def test_a_body_that_is_not_json_gets_a_415(client: httpx.Client, content_type: str | None) -> None:
    headers = {} if content_type is None else {"Content-Type": content_type}
    response = client.post(SESSIONS, content=BODY, headers=headers)
    assert response.status_code == 415
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["accept-post"] == "application/json"


@pytest.mark.parametrize(
    "content_type",
    ["application/json", "Application/JSON", "application/json; charset=utf-8",
     'application/json;charset="UTF-8"', "application/vnd.orq.session+json"],
)  # fmt: skip
def test_json_media_types_are_accepted(client: httpx.Client, content_type: str) -> None:
    response = client.post(SESSIONS, content=BODY, headers={"Content-Type": content_type})
    assert response.status_code == 201


def test_a_compressed_body_gets_a_415(client: httpx.Client) -> None:
    headers = {**JSON, "Content-Encoding": "gzip"}
    assert client.post(SESSIONS, content=BODY, headers=headers).status_code == 415


# -- the size limit ------------------------------------------------------------------------------


def padded(size: int) -> bytes:
    """The valid body with white space after it, ``size`` bytes in all."""
    return BODY + b" " * (size - len(BODY))


def test_a_body_at_the_limit_is_read_and_one_byte_more_is_a_413(client: httpx.Client) -> None:
    assert post(client, padded(LIMIT)).status_code == 201
    response = post(client, padded(LIMIT + 1))
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert (problem["status"], problem["title"]) == (413, "The request body is too large")
    assert [e["keyword"] for e in problem["errors"]] == ["maxBytes"]
    assert post(client, BODY).status_code == 201  # the connection serves on


def test_a_chunked_body_over_the_limit_is_a_413(client: httpx.Client) -> None:
    def pieces(size: int) -> Iterator[bytes]:
        body = padded(size)
        for start in range(0, len(body), 100_000):
            yield body[start : start + 100_000]

    assert client.post(SESSIONS, content=pieces(LIMIT), headers=JSON).status_code == 201
    response = client.post(SESSIONS, content=pieces(LIMIT + 1), headers=JSON)
    assert response.status_code == 413
    assert [e["keyword"] for e in response.json()["errors"]] == ["maxBytes"]


def test_a_content_length_over_the_limit_is_refused_before_the_body(server: Server) -> None:
    with Raw(server) as raw:
        raw.send(head(10**12))  # a terabyte announced, nothing sent
        status, headers, body = raw.response()
    assert status == 413
    assert headers["content-type"] == "application/problem+json"
    assert str(10**12) in json.loads(body)["detail"]


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


# -- hostile bodies ------------------------------------------------------------------------------


def suite_bodies() -> list[bytes]:
    """Every JSONTestSuite parsing case, as a whole body and as the value of an unknown key."""
    paths = sorted(CASES.glob("*.json"))
    assert paths, f"no JSONTestSuite files in {CASES}"
    return [
        body
        for path in paths
        for body in (path.read_bytes(), with_extra(path.read_bytes(), into=BODY))
    ]


HOSTILE: list[bytes] = [
    # depth
    b"[" * 100_000 + b"]" * 100_000,
    b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
    with_extra(b"[" * 100_000, into=BODY),
    with_extra(b"[" * 64 + b"]" * 64, into=BODY),
    # encodings
    with_extra(b'"\xff"', into=BODY),
    with_extra(b'"\xc0\xaf"', into=BODY),
    with_extra(b'"\xed\xa0\x80"', into=BODY),
    with_extra(b'"\xe2\x82"', into=BODY),
    "{}".encode("utf-16-le"),
    "{}".encode("utf-16"),
    "{}".encode("utf-32-be"),
    b"\xef\xbb\xbf" + BODY,
    # lone surrogates, in values, keys and fields
    with_extra(b'"\\ud800"', into=BODY),
    with_extra(b'{"\\udfaa": 1}', into=BODY),
    BODY.replace(b'"s-1"', b'"\\ud83d"'),
    BODY.replace(b'"s-1"', b'"\\ud83d\\ude00 \\uD834\\uDD1E"'),
    BODY.replace(b'"s-1"', b'"a\\u0000b"'),
    # duplicates
    b'{"tags": [], "tags": [], ' + BODY[1:],
    # grammar
    *(with_extra(raw, into=BODY) for raw in (b"1 // c", b"'single'", b"01", b".5", b"NaN",
                                             b"-Infinity", b"[1,]", b'"raw\ttab"', b"[1] [2]",
                                             b"\xc2\xa01")),
    *(BODY + garbage for garbage in (b"x", b"{}", b" 1", b"\x00", b"}")),
    # numbers
    *(BODY.replace(b'"duration":1200', b'"duration":' + raw)
      for raw in (b"1e400", b"-1E400", b"1" + b"0" * 400, b"3." + b"14159265358979" * 72)),
    with_extra(b"9" * 5000, into=BODY),
    # volume
    BODY.replace(b'["c_1","c_2"]', b"[" + b",".join([b"1"] * 100_000) + b"]"),
    BODY.replace(b'"s-1"', b'"' + b"x" * 900_000 + b'"').replace(b'"2024-', b'"x2024-'),
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
    """Drawn bodies: valid and invalid payloads on the snake wire, and arbitrary bytes."""
    bodies = st.one_of(
        strategies.payloads(style="snake").map(lambda p: json.dumps(p).encode()),
        strategies.invalid_payloads(style="snake").map(
            lambda p: json.dumps(p, allow_nan=True).encode()
        ),
        st.binary(max_size=300),
    )
    with httpx.Client(base_url=server.url, trust_env=False, timeout=WAIT) as http:

        @given(bodies)
        def check(body: bytes) -> None:
            assert_verdict(body, post(http, body))

        check()


def test_concurrent_clients_get_the_referees_verdicts(server: Server) -> None:
    """600 requests of the load run's mix from 16 connections at once (the load driver that
    ``make bench-service`` runs at full size): verdicts (the referee's, and mapped as
    ``ss.loads``'s), then every created session read back."""
    shots = load_traffic(600, seed=12)
    answers = asyncio.run(
        load_run(server.port, [load_request(s, server.port) for s in shots], 16, WAIT * 4)
    )
    wrong = [m for s, a in zip(shots, answers, strict=True) if (m := mismatch(s.body, a))]
    assert not wrong, wrong[:5]
    for shot, answer in zip(shots, answers, strict=True):
        assert_judged(shot.body, answer.status, answer.body)
    created = [a for a in answers if a.status == 201]
    assert len(created) > 400
    with httpx.Client(base_url=server.url, trust_env=False, timeout=WAIT) as http:
        for answer in created:
            assert http.get(f"{SESSIONS}/{json.loads(answer.body)['_id']}").content == answer.body


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
    assert post(client, BODY).status_code == 201
    time.sleep(0.2)  # the server logs its side of the cut-off connection
    assert_clean(server.output())


def test_a_slow_sender_within_the_timeout_is_served(server: Server) -> None:
    pieces = [BODY[i : i + 60] for i in range(0, len(BODY), 60)]
    assert len(pieces) >= 4
    with Raw(server) as raw:
        raw.send(head(len(BODY)))
        for piece in pieces:  # about 0.6 s in all, against a timeout of BODY_TIMEOUT
            time.sleep(0.15)
            raw.send(piece)
        status, _, body = raw.response()
    assert status == 201
    assert json.loads(body)["external_id"] == "s-1"


def test_a_slow_chunked_sender_within_the_timeout_is_served(server: Server) -> None:
    def slowly() -> Iterator[bytes]:
        for start in range(0, len(BODY), 100):
            time.sleep(0.15)
            yield BODY[start : start + 100]

    with httpx.Client(base_url=server.url, trust_env=False, timeout=WAIT) as http:
        response = http.post(SESSIONS, content=slowly(), headers=JSON)
    assert response.status_code == 201


# -- a restart with a file database --------------------------------------------------------------


def test_every_session_reads_back_byte_for_byte_after_restarts(tmp_path: Path) -> None:
    bodies = [
        json.dumps(payload).encode()
        for payload in [
            VALID,
            *[dict(VALID, external_id=f"s-{i}", duration=i * 1.5) for i in range(30)],
        ]
    ] + [
        BODY.replace(b'"s-1"', b'"caf\xc3\xa9 \\ud83d\\ude00 \\u0000"'),
        BODY.replace(b'"duration":1200', b'"duration":' + b"9" * 300),
        BODY.replace(b'"duration":1200', b'"duration":-0.0'),
        BODY.replace(b'"duration":1200', b'"duration":1e-7'),
        BODY.replace(b'.5+02:00"', b'.123456789-00:00"'),
    ]
    service = Server(SERVICE, tmp_path / "service.log", SESSIONS_DIR=str(tmp_path / "data"))
    created: dict[str, bytes] = {}

    def create(count: int) -> None:
        with httpx.Client(base_url=service.url, trust_env=False, timeout=WAIT) as http:
            for body in bodies[len(created) : len(created) + count]:
                response = post(http, body)
                assert response.status_code == 201, response.text
                created[response.json()["_id"]] = response.content

    def read_all() -> None:
        with httpx.Client(base_url=service.url, trust_env=False, timeout=WAIT) as http:
            for session_id, content in created.items():
                assert http.get(f"{SESSIONS}/{session_id}").content == content

    try:
        service.start()
        create(len(bodies) // 2)
        service.stop(kill=True)  # a crash: SIGKILL
        service.start()
        read_all()
        create(len(bodies))
        assert service.stop() in (0, -signal.SIGTERM)  # SIGTERM: uvicorn stops gracefully,
        assert service.output().count("Application shutdown complete") == 1  # then re-raises it
        service.start()
        read_all()
        assert len(created) == len(bodies)
    finally:
        service.stop()
    assert_clean(service.output())


# -- the OpenAPI document ------------------------------------------------------------------------


def test_the_openapi_document_publishes_the_contract(client: httpx.Client, server: Server) -> None:
    document = client.get("/openapi.json").json()
    schemas = document["components"]["schemas"]
    for cls in (ss.CreateSessionRequestBody, ss.CreateSessionResponseBody):
        bundled = ss.schema(cls, style="snake")
        relinked = json.loads(json.dumps(bundled).replace('"#/$defs/', '"#/components/schemas/'))
        for name, schema in relinked.pop("$defs").items():
            assert schemas[name] == schema
        del relinked["$schema"], relinked["$id"]
        assert schemas[cls.__name__] == relinked
    operation = document["paths"][SESSIONS]["post"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/CreateSessionRequestBody"}
    assert set(operation["responses"]) == {"201", "400", "408", "413", "415", "422"}
    for status in ("400", "408", "413", "415", "422"):
        assert set(operation["responses"][status]["content"]) == {"application/problem+json"}
    read = document["paths"][f"{SESSIONS}/{{session_id}}"]["get"]
    assert set(read["responses"]) == {"200", "404"}
    assert client.get("/docs").status_code == 200


def test_served_answers_are_valid_under_the_schemas_the_document_publishes(
    client: httpx.Client, server: Server
) -> None:
    document = client.get("/openapi.json").json()
    registry = Registry().with_resource("urn:openapi", DRAFT202012.create_resource(document))

    def validator(media_type: str, status: str, path: str = SESSIONS, method: str = "post") -> Any:
        schema = document["paths"][path][method]["responses"][status]["content"][media_type]
        return jsonschema.Draft202012Validator(
            {"$ref": "urn:openapi" + schema["schema"]["$ref"]},
            registry=registry,
            format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
        )

    full = dict(VALID, project_id="proj_1", updated_at="2024-05-06T08:00:00Z")
    created = post(client, json.dumps(full).encode())
    validator("application/json", "201").validate(created.json())
    read = client.get(created.headers["location"])
    validator("application/json", "200", f"{SESSIONS}/{{session_id}}", "get").validate(read.json())
    problems = {
        "422": post(client, b'{"duration": "1"}'),
        "413": post(client, padded(LIMIT + 1)),
        "415": client.post(SESSIONS, content=BODY),
        "400": post(client, BODY, strict="maybe"),
    }
    for status, response in problems.items():
        assert str(response.status_code) == status
        validator("application/problem+json", status).validate(response.json())
    missing = client.get(f"{SESSIONS}/nope")
    path = f"{SESSIONS}/{{session_id}}"
    validator("application/problem+json", "404", path, "get").validate(missing.json())
    with pytest.raises(jsonschema.ValidationError):  # the schema does say something
        validator("application/json", "201").validate({**created.json(), "billing": None})
