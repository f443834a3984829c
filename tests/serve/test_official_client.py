"""``sessionschema serve`` driven by the official client, ``orq-ai-sdk`` 4.17.13, which no one
here wrote: every operation of its ``sessions``, as a user calls them, against the server started
as users start it (``sessionschema serve --api-key KEY``).

The client runs in its own virtualenv (``.venv-sdk4``, which ``make test`` builds), through
tests/sdk4/client.py, one call at a time. What each call returned was parsed by the client's own
models (a response they refused would be an error here), which is what shows the wire right.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import attrs
import pytest

import sessionschema as ss

from ..support.load import ROOT, Server, serve_command

SDK_PYTHON = ROOT / ".venv-sdk4" / "bin" / "python"
CLIENT = ROOT / "tests" / "sdk4" / "client.py"
KEY = "sk-local-test"
WAIT = 60.0

BILLING = {"input_cost": 0.0012, "output_cost": 0.0024, "total_cost": 0.0036}
USAGE = {"prompt_tokens": 480, "completion_tokens": 132, "total_tokens": 612}


class SDK:
    """The official client in a subprocess, one call at a time."""

    def __init__(self, server_url: str) -> None:
        if not SDK_PYTHON.exists():
            pytest.fail(
                f"{SDK_PYTHON.relative_to(ROOT)} is missing: run `make .venv-sdk4/.installed` "
                "(`make test` builds it)"
            )
        self.process = subprocess.Popen(
            [str(SDK_PYTHON), str(CLIENT), server_url],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env={k: v for k, v in os.environ.items() if not k.startswith("ORQ_")},
        )

    def __call__(self, op: str, /, *, key: str | None = KEY, **args: Any) -> dict[str, Any]:
        """The client's reply to one call (see tests/sdk4/client.py), made with the API key
        ``key`` (None: without one)."""
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        line = {"op": op, "args": args, "api_key": key}
        self.process.stdin.write(json.dumps(line) + "\n")
        self.process.stdin.flush()
        ready, _, _ = select.select([self.process.stdout], [], [], WAIT)
        reply = self.process.stdout.readline() if ready else ""
        if not reply:
            self.process.kill()
            _, stderr = self.process.communicate(timeout=WAIT)
            pytest.fail(f"the client gave no reply to {op}:\n{stderr[-3000:]}")
        answer: dict[str, Any] = json.loads(reply)
        return answer

    def value(self, op: str, **args: Any) -> Any:
        """What a call that must succeed returned."""
        reply = self(op, **args)
        assert reply["ok"], reply
        return reply["value"]

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        assert self.process.wait(WAIT) == 0, self.process.stderr


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    log = tmp_path_factory.mktemp("sdk") / "serve.log"
    with Server(serve_command("--port", "0", "--api-key", KEY), log) as server:
        yield server
    assert "Traceback" not in server.output()


@pytest.fixture
def sdk(served: Server) -> Iterator[SDK]:
    client = SDK(served.url)
    yield client
    client.close()


def thread_of(value: dict[str, Any]) -> ss.Thread:
    """The client's dump of a thread, read by sessionschema: what it holds, whatever the
    spelling (the client writes 1240 as 1240.0, a date-time with six fraction digits)."""
    return ss.loads(json.dumps(value), ss.Thread, style="snake")


def test_every_operation_of_the_official_client(sdk: SDK) -> None:
    now = datetime.now(timezone.utc)
    project = f"proj_{uuid.uuid4().hex}"
    sent: dict[str, Any] = {
        "external_id": "thread-a",
        "duration": 1240,
        "contact_ids": ["contact_1"],
        "billing": BILLING,
        "usage": USAGE,
        "traces_count": 1,
        "tags": ["support", "escalated"],
        "project_id": project,
        "started_at": (now - timedelta(hours=2)).isoformat(),
        "title": "Fix the login redirect",
        "client": "claude-code",
        "repo": "github.com/org/repo",
        "kind": "THREAD_KIND_CODING_AGENT",
    }
    # create, and get: the client reads a Thread whose fields are those sent, with a new id
    created = sdk("create", **sent)
    assert (created["ok"], created["type"]) == (True, "Thread")
    a = thread_of(created["value"])
    request = ss.loads(json.dumps(sent), ss.CreateThreadRequest, style="snake")
    assert a == ss.Thread(**attrs.asdict(request, recurse=False), id=a.id)
    assert sdk.value("get", session_id=a.id) == created["value"]
    b = thread_of(
        sdk.value(
            "create",
            external_id="thread-b",
            duration=5.5,
            contact_ids=[],
            billing=BILLING,
            usage=USAGE,
            traces_count=3,
            tags=["support"],
            project_id=project,
            updated_at=(now - timedelta(days=10)).isoformat(),
            client="cursor",
            kind="THREAD_KIND_CONVERSATION",
        )
    )
    c = thread_of(
        sdk.value(
            "create",
            external_id="thread-c",
            duration=0,
            contact_ids=["contact_2"],
            billing=BILLING,
            usage=USAGE,
            traces_count=0,
            tags=[],
            project_id=project,
        )
    )
    assert len({a.id, b.id, c.id}) == 3

    # update: present fields replace, the clear flags empty their lists, absent fields stay
    updated = thread_of(sdk.value("update", session_id=a.id, title="Renamed", clear_tags=True))
    assert (updated.title, updated.tags, updated.contact_ids) == ("Renamed", (), ("contact_1",))
    assert (updated.external_id, updated.started_at) == (a.external_id, a.started_at)
    updated = thread_of(
        sdk.value("update", session_id=a.id, clear_contact_ids=True, tags=["escalated", "vip"])
    )
    assert (updated.contact_ids, updated.tags) == ((), ("escalated", "vip"))
    assert thread_of(sdk.value("get", session_id=a.id)) == updated

    # query with each filter, and count: c is the most recent (stored now), a 2 hours ago,
    # b 10 days ago
    def found(**filters: Any) -> str:
        filters = {"interval": "SESSION_INTERVAL_ALL_TIME", "project_id": project, **filters}
        page = sdk("list", filters=filters)
        assert page["type"] == "ListThreadsResponse", page
        assert (page["value"]["object"], page["value"]["has_more"]) == ("list", False)
        count = sdk("get_count", filters=filters)
        assert count["type"] == "GetThreadCountResponse", count
        assert count["value"] == {"count": len(page["value"]["data"])}
        return "".join(t["external_id"][-1] for t in page["value"]["data"])

    assert found() == "cab"
    assert found(interval="SESSION_INTERVAL_LAST_1_HOUR") == "c"
    assert found(interval="SESSION_INTERVAL_LAST_6_HOURS") == "ca"
    assert found(interval="SESSION_INTERVAL_LAST_14_DAYS") == "cab"
    three_days = str(int((now - timedelta(days=3)).timestamp() * 1000))
    assert found(start_date=three_days) == "ca"
    assert found(end_date=three_days) == "b"
    assert found(tags=["escalated", "vip"]) == "a"
    assert found(tags=["support"]) == "b"
    assert found(client="cursor") == "b"
    assert found(repo="github.com/org/repo") == "a"
    assert found(kind="THREAD_KIND_CODING_AGENT") == "a"
    assert found(project_id=f"{project}-other") == ""
    filters = {"interval": "SESSION_INTERVAL_ALL_TIME", "project_id": project}
    pages = [sdk.value("list", filters=filters, limit=2, page=page) for page in (1, 2)]
    assert [(len(p["data"]), p["has_more"]) for p in pages] == [(2, True), (1, False)]
    assert sdk.value("get_count", filters=filters, limit=1, page=2) == {"count": 3}

    # tags: every tag in use, once each, in order
    tags = sdk("list_tags")
    assert (tags["ok"], tags["type"]) == (True, "list")
    assert {"escalated", "vip", "support"} <= set(tags["value"])
    assert tags["value"] == sorted(set(tags["value"]))

    # delete, then the thread is gone: the client reads the 404 into its ErrorResponse
    assert sdk("delete", session_id=b.id) == {"ok": True, "type": "NoneType", "value": None}
    gone = sdk("get", session_id=b.id)
    assert (gone["ok"], gone["error"], gone["status"]) == (False, "ErrorResponse", 404)
    assert gone["data"] == {"message": "no thread has this id", "code": 5}
    again = sdk("delete", session_id=b.id)
    assert (again["ok"], again["status"]) == (False, 404)


def test_the_client_raises_its_error_for_a_body_the_contract_refuses(sdk: SDK) -> None:
    """What the client accepts and the contract does not: a date-time without an offset (the
    client writes a naive datetime so), a list given with the flag that clears it."""
    naive = sdk(
        "create",
        external_id="naive",
        duration=1,
        contact_ids=[],
        billing=BILLING,
        usage=USAGE,
        traces_count=1,
        tags=[],
        started_at="2024-05-06T07:08:09",
    )
    assert (naive["ok"], naive["error"], naive["status"]) == (False, "APIDefaultError", 422)
    problem = json.loads(naive["body"])
    assert [(e["path"], e["keyword"]) for e in problem["errors"]] == [("/started_at", "format")]
    thread = sdk.value(
        "create",
        external_id="ok",
        duration=1,
        contact_ids=[],
        billing=BILLING,
        usage=USAGE,
        traces_count=1,
        tags=["t"],
    )
    both = sdk("update", session_id=thread["_id"], clear_tags=True, tags=["x"])
    assert (both["error"], both["status"]) == ("APIDefaultError", 422)
    assert [(e["path"], e["keyword"]) for e in json.loads(both["body"])["errors"]] == [
        ("/tags", "not")
    ]
    assert sdk.value("get", session_id=thread["_id"])["tags"] == ["t"]  # nothing changed


@pytest.mark.parametrize("key", ["wrong-key", None])
def test_a_wrong_or_missing_key_is_the_clients_error_response(sdk: SDK, key: str | None) -> None:
    calls: list[tuple[str, dict[str, Any]]] = [
        ("get", {"session_id": "x"}),
        ("delete", {"session_id": "x"}),
        ("list_tags", {}),
        ("list", {"filters": {"interval": "SESSION_INTERVAL_ALL_TIME"}}),
        ("get_count", {"filters": {"interval": "SESSION_INTERVAL_ALL_TIME"}}),
        ("update", {"session_id": "x", "title": "t"}),
        (
            "create",
            {
                "external_id": "x",
                "duration": 1,
                "contact_ids": [],
                "billing": BILLING,
                "usage": USAGE,
                "traces_count": 1,
                "tags": [],
            },
        ),
    ]
    for op, args in calls:
        reply = sdk(op, key=key, **args)
        assert (reply["ok"], reply["error"], reply["status"]) == (False, "ErrorResponse", 401)
        assert reply["data"]["code"] == 16
        assert reply["data"]["message"]
