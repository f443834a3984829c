"""``sessionschema serve`` agrees with the OpenAPI document it serves: the document describes the
server as it runs (open or with a key, lenient or strict, the server's own bounds), every method
a path lacks is a 405 naming the ones it has, and schemathesis, with every check, in positive
and negative mode, finds nothing, with a key and open.

The schemathesis runs here are bounded (a fixed seed, a few dozen examples per operation);
``make check-api`` runs the long ones (tools/check_api.py).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from ..support.load import Server, serve_command

THREADS = "/v2/sessions"
LEGACY = "/v2/traces/sessions"
KEY = "sk-openapi-test"
WAIT = 60.0
JSON = {"Content-Type": "application/json"}
ALL_TIME = {"interval": "SESSION_INTERVAL_ALL_TIME"}
SCHEMATHESIS = Path(sys.executable).with_name("st")

VALID: dict[str, Any] = {
    "external_id": "o-1",
    "duration": 1200,
    "contact_ids": ["c_1"],
    "billing": {"input_cost": 0.1, "output_cost": 0.2, "total_cost": 0.3},
    "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
    "traces_count": 3,
    "tags": ["openapi"],
}


@pytest.fixture(scope="module")
def open_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    log = tmp_path_factory.mktemp("open") / "serve.log"
    with Server(serve_command("--port", "0"), log) as running:
        yield running
    assert "Traceback" not in running.output(), running.output()[-5000:]


@pytest.fixture(scope="module")
def strict_keyed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A strict server that needs the API key :data:`KEY`."""
    log = tmp_path_factory.mktemp("strict") / "serve.log"
    command = serve_command("--port", "0", "--strict")
    with Server(command, log, SESSIONSCHEMA_API_KEY=KEY) as running:
        yield running
    assert "Traceback" not in running.output(), running.output()[-5000:]


def document(server: Server) -> dict[str, Any]:
    found: dict[str, Any] = httpx.get(f"{server.url}/openapi.json", timeout=WAIT).json()
    return found


def operations(doc: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for item in doc["paths"].values():
        yield from item.values()


# -- what the document says ----------------------------------------------------------------------


def test_the_security_scheme_is_there_only_with_a_key(
    open_server: Server, strict_keyed: Server
) -> None:
    doc = document(open_server)
    assert "securitySchemes" not in doc["components"]
    assert all("security" not in op and "401" not in op["responses"] for op in operations(doc))
    doc = document(strict_keyed)
    assert doc["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    assert all(op["security"] == [{"HTTPBearer": []}] for op in operations(doc))
    assert all("401" in op["responses"] for op in operations(doc))


def test_the_document_publishes_the_servers_bounds(open_server: Server) -> None:
    schemas = document(open_server)["components"]["schemas"]
    for name in ("ListThreadsRequest", "GetThreadCountRequest"):
        properties = schemas[name]["properties"]
        assert (properties["limit"]["minimum"], properties["limit"]["maximum"]) == (1, 200)
        assert properties["page"]["minimum"] == 1
    for name, lists in [
        ("CreateThreadRequest", ("tags", "contact_ids")),
        ("UpdateThreadRequest", ("tags", "contact_ids")),
        ("ThreadFilters", ("tags",)),
    ]:
        for list_name in lists:
            assert schemas[name]["properties"][list_name]["maxItems"] == 1000, (name, list_name)
    assert "maxItems" not in schemas["Thread"]["properties"]["tags"]  # an answer, not bounded


def test_tags_and_contact_ids_beyond_the_bound_are_a_422(open_server: Server) -> None:
    many = [f"t{i}" for i in range(1000)]
    with httpx.Client(base_url=open_server.url, trust_env=False, timeout=WAIT) as http:
        at_the_bound = http.post(THREADS, json={**VALID, "tags": many, "contact_ids": many})
        assert at_the_bound.status_code == 200
        thread_id = at_the_bound.json()["_id"]
        beyond = [*many, "one more"]
        over = http.post(THREADS, json={**VALID, "tags": beyond, "contact_ids": beyond})
        assert over.status_code == 422
        assert [(e["path"], e["keyword"]) for e in over.json()["errors"]] == [
            ("/contact_ids", "maxItems"),
            ("/tags", "maxItems"),
        ]
        assert over.json()["errors"][0]["message"] == "expected at most 1000 items, got 1001"
        patched = http.patch(f"{THREADS}/{thread_id}", json={"tags": beyond})
        assert [e["path"] for e in patched.json()["errors"]] == ["/tags"]
        for path in ("/query", "/count"):
            filtered = http.post(THREADS + path, json={"filters": {**ALL_TIME, "tags": beyond}})
            assert [e["path"] for e in filtered.json()["errors"]] == ["/filters/tags"]


def test_a_strict_server_publishes_strict_schemas(
    open_server: Server, strict_keyed: Server
) -> None:
    lenient = document(open_server)
    strict = document(strict_keyed)
    for name in ("CreateThreadRequest", "UpdateThreadRequest", "ThreadBilling", "ThreadFilters"):
        assert "additionalProperties" not in lenient["components"]["schemas"][name]
        assert strict["components"]["schemas"][name]["additionalProperties"] is False
    # the per-request switch is outside the document, which describes the server's own setting
    for doc in (lenient, strict):
        assert all(
            "strict" not in [p["name"] for p in op.get("parameters", [])] for op in operations(doc)
        )
    body = {**VALID, "billing": {**VALID["billing"], "discount": 0}}
    headers = {**JSON, "Authorization": f"Bearer {KEY}"}
    refused = httpx.post(f"{strict_keyed.url}{THREADS}", json=body, headers=headers, timeout=WAIT)
    assert [e["path"] for e in refused.json()["errors"]] == ["/billing/discount"]
    taken = httpx.post(f"{open_server.url}{THREADS}", json=body, timeout=WAIT)
    assert taken.status_code == 200


@pytest.mark.parametrize(
    ("path", "allow"),
    [(f"{THREADS}/count", "POST"), (f"{THREADS}/query", "POST"), (f"{THREADS}/tags", "GET"),
     (f"{THREADS}/6650a1b2c3d4e5f6a7b8c9d0", "DELETE, GET, PATCH"), (THREADS, "POST"),
     (f"{LEGACY}/ses_1", "GET"), (LEGACY, "POST")],
)  # fmt: skip
def test_a_method_a_path_lacks_is_a_405_naming_those_it_has(
    open_server: Server, path: str, allow: str
) -> None:
    with httpx.Client(base_url=open_server.url, trust_env=False, timeout=WAIT) as http:
        for method in ("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"):
            if method in allow.split(", "):
                continue
            response = http.request(method, path, content=b"{}", headers=JSON)
            assert response.status_code == 405, (method, path, response.text)
            assert response.headers["allow"] == allow, (method, path)
            assert response.headers["content-type"] == "application/problem+json"


# -- schemathesis --------------------------------------------------------------------------------


def schemathesis(server: Server, cwd: Path, *options: str, examples: int, seed: int) -> str:
    """The output of ``st run`` over the server's document, every check, positive and negative
    data, all four phases; fails the test on any finding."""
    command = [
        str(SCHEMATHESIS),
        "run",
        f"{server.url}/openapi.json",
        "--checks",
        "all",
        "--mode",
        "all",
        "--max-examples",
        str(examples),
        "--seed",
        str(seed),
        "--workers",
        "1",
        "--no-color",
        *options,
    ]
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=600, check=False, cwd=cwd
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-12000:]
    assert "No issues found" in output, output[-12000:]
    return output


@pytest.mark.parametrize("keyed", [False, True], ids=["open-lenient", "key-strict"])
def test_schemathesis_finds_nothing(
    open_server: Server, strict_keyed: Server, keyed: bool, tmp_path: Path
) -> None:
    if keyed:
        key = f"Authorization: Bearer {KEY}"
        output = schemathesis(strict_keyed, tmp_path, "--header", key, examples=20, seed=28)
    else:
        output = schemathesis(open_server, tmp_path, examples=20, seed=28)
    summary = output[output.index("SUMMARY") :]
    assert "9/9" in summary, summary
    for log in (open_server.output(), strict_keyed.output()):
        assert "Traceback" not in log, log[-5000:]
