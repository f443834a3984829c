"""A reference service: orq.ai sessions checked by sessionschema at the boundary of a FastAPI app.

    POST /v2/traces/sessions[?strict=true]  201 the stored session, or problem+json:
                                            400, 408, 413, 415, 422
    GET  /v2/traces/sessions/{session_id}   200 the stored session, or 404 problem+json

The request body is read as raw bytes, never more than the size limit plus one chunk of it, and
given to ``ss.loads``: FastAPI parses nothing. Sessions are stored in SQLite as the canonical JSON
text of the 201 response, so that a GET answers with exactly the bytes the POST answered.

Run it with ``make serve``, or ``python examples/service/app.py``. Settings, from the
environment: ``PORT`` (8000; 0 picks a free port, which the log names), ``SESSIONS_DIR`` (keep
the sessions in ``SESSIONS_DIR/sessions.sqlite3``; without it, in memory only),
``SESSIONS_MAX_BYTES`` (the size limit of a body, 1 MiB) and ``SESSIONS_BODY_TIMEOUT`` (the
seconds a client has to send a whole body, 30).
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import uuid
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from http import HTTPStatus
from pathlib import Path
from typing import Any

import anyio
import attrs
import uvicorn
from fastapi import FastAPI, Request, Response
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect

import sessionschema as ss

SESSIONS = "/v2/traces/sessions"
MAX_BYTES = 1 << 20  # 1 MiB, the default of ss.loads too
BODY_TIMEOUT = 30.0
WORKSPACE_ID = "ws_local"  # there is no authentication here: a real service takes it from the key
JSON = "application/json"
PROBLEM = "application/problem+json"

log = logging.getLogger("uvicorn.error")


class Store:
    """Sessions by id, each as the JSON text that answered its creation.

    The calls are short (with WAL and ``synchronous = NORMAL`` a commit does not wait for the
    disk; the database still survives a crash of the process), so they run on the event loop.
    """

    db: sqlite3.Connection

    def __init__(self, database: str) -> None:
        self.database = database

    def open(self) -> None:
        """Connect, in the thread of the event loop that will use the connection."""
        self.db = sqlite3.connect(self.database, isolation_level=None)  # each statement commits
        self.db.execute("PRAGMA journal_mode = WAL")
        self.db.execute("PRAGMA synchronous = NORMAL")
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS sessions (id TEXT PRIMARY KEY, body TEXT NOT NULL)"
        )

    def add(self, session_id: str, body: str) -> None:
        self.db.execute("INSERT INTO sessions (id, body) VALUES (?, ?)", (session_id, body))

    def get(self, session_id: str) -> str | None:
        row = self.db.execute("SELECT body FROM sessions WHERE id = ?", (session_id,)).fetchone()
        return None if row is None else str(row[0])

    def close(self) -> None:
        self.db.close()


# -- problem details (RFC 9457) ------------------------------------------------------------------


def problem_response(body: dict[str, Any], headers: Mapping[str, str] | None = None) -> Response:
    """A problem+json response; ASCII JSON, so that no value can fail to be written."""
    return Response(json.dumps(body, separators=(",", ":")), body["status"], headers, PROBLEM)


def problem(status: int, detail: str, headers: Mapping[str, str] | None = None) -> Response:
    """A problem of the HTTP status itself: type ``about:blank``, the status phrase as title."""
    title = HTTPStatus(status).phrase
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    return problem_response(body, headers)


def too_large(max_bytes: int, detail: str) -> Response:
    """413, written by sessionschema as for any text over the limit (keyword ``maxBytes``)."""
    error = ss.Error("", f"{detail} is over the limit of {max_bytes} bytes", "maxBytes")
    return problem_response(ss.ValidationError([error]).to_problem())


def is_json(content_type: str | None) -> bool:
    """``application/json`` or ``application/*+json``, in UTF-8 (RFC 8259) if a charset is named."""
    media_type, _, parameters = (content_type or "").partition(";")
    media_type = media_type.strip().lower()
    if media_type != JSON and not (
        media_type.startswith("application/") and media_type.endswith("+json")
    ):
        return False
    for parameter in parameters.split(";"):
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset" and value.strip(' "').lower() not in ("utf-8", "utf8"):
            return False
    return True


async def read_body(request: Request, max_bytes: int) -> bytes | None:
    """The body, or None as soon as it is over ``max_bytes``: what is held is never more than the
    limit plus one chunk (uvicorn stops reading the socket while 64 KiB wait to be received)."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


# -- the OpenAPI document: the contract from the schema files ------------------------------------


def contract_schemas() -> dict[str, Any]:
    """The snake_case schemas of the request and the response as OpenAPI components, with the
    schemas they share (``$defs`` in ``ss.schema``) beside them, and the problem+json shape."""
    schemas: dict[str, Any] = {"Problem": PROBLEM_SCHEMA}
    for cls in (ss.CreateSessionRequestBody, ss.CreateSessionResponseBody):
        schema = ss.schema(cls, style="snake")
        schemas.update(schema.pop("$defs", {}))
        schemas[cls.__name__] = {k: v for k, v in schema.items() if k not in ("$schema", "$id")}
    relinked: dict[str, Any] = relink(schemas)
    return relinked


def relink(value: Any) -> Any:
    """``value`` with each ``#/$defs/Name`` reference turned into ``#/components/schemas/Name``."""
    if isinstance(value, dict):
        return {
            key: item.replace("#/$defs/", "#/components/schemas/")
            if key == "$ref"
            else relink(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [relink(item) for item in value]
    return value


PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "description": "RFC 9457 problem details. `errors` (413 and 422) lists every problem found in"
    " the body, each at its RFC 6901 JSON Pointer.",
    "type": "object",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "path": {"type": "string"},
                    "message": {"type": "string"},
                    "keyword": {"type": "string"},
                },
                "required": ["path", "message", "keyword"],
            },
        },
    },
    "required": ["type", "title", "status", "detail"],
}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def answers(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI responses of problem+json for ``statuses``."""
    content = {PROBLEM: {"schema": ref("Problem")}}
    return {s: {"description": HTTPStatus(s).phrase, "content": content} for s in statuses}


SESSION = {
    "description": "The session as stored",
    "content": {JSON: {"schema": ref("CreateSessionResponseBody")}},
}


class SessionsAPI(FastAPI):
    """FastAPI, with the contract's schemas among the components of its OpenAPI document."""

    def openapi(self) -> dict[str, Any]:
        if self.openapi_schema is None:  # built once, then served as it is
            components = super().openapi().setdefault("components", {})
            components.setdefault("schemas", {}).update(contract_schemas())
        return super().openapi()


# -- the app -------------------------------------------------------------------------------------


def create_app(
    database: str = ":memory:", *, max_bytes: int = MAX_BYTES, body_timeout: float = BODY_TIMEOUT
) -> FastAPI:
    """The service, keeping its sessions in the SQLite ``database`` (a path, or ``:memory:``)."""
    store = Store(database)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store.open()
        log.info("Sessions kept in %s", "memory only" if database == ":memory:" else database)
        yield
        store.close()

    app = SessionsAPI(
        title="orq.ai sessions, checked by sessionschema", version=ss.__version__, lifespan=lifespan
    )

    @app.exception_handler(HTTPException)
    async def http_problem(request: Request, exc: HTTPException) -> Response:
        """Unknown paths (404) and methods (405) answer problem+json too."""
        return problem(exc.status_code, str(exc.detail), exc.headers)

    @app.post(
        SESSIONS,
        status_code=201,
        summary="Create a session",
        openapi_extra={
            "parameters": [
                {
                    "name": "strict",
                    "in": "query",
                    "description": "Unknown keys, at any level, and duplicate keys are errors.",
                    "schema": {"type": "boolean", "default": False},
                }
            ],
            "requestBody": {
                "required": True,
                "content": {JSON: {"schema": ref("CreateSessionRequestBody")}},
            },
        },
        responses={
            201: {**SESSION, "headers": {"Location": {"schema": {"type": "string"}}}},
            **answers(400, 408, 413, 415, 422),
        },
    )
    async def create_session(request: Request) -> Response:
        strict = request.query_params.get("strict", "false")
        if strict not in ("true", "false"):
            return problem(400, "the query parameter strict must be true or false")
        if not is_json(request.headers.get("content-type")):
            return problem(415, f"the body must be {JSON} (UTF-8)", {"Accept-Post": JSON})
        if request.headers.get("content-encoding", "identity").lower() != "identity":
            return problem(415, "the body must not be compressed", {"Accept-Encoding": "identity"})
        declared = request.headers.get("content-length", "")
        if declared.isdecimal() and int(declared) > max_bytes:  # refused before it is read
            return too_large(max_bytes, f"a body of {declared} bytes")
        try:
            with anyio.fail_after(body_timeout):
                body = await read_body(request, max_bytes)
        except TimeoutError:
            detail = f"the body did not arrive within {body_timeout:g} s"
            return problem(408, detail, {"Connection": "close"})
        except ClientDisconnect:  # nobody reads this answer; uvicorn drops it
            return problem(400, "the connection was closed before the body ended")
        if body is None:
            return too_large(max_bytes, "the body")
        try:
            request_body = ss.loads(
                body, style="snake", strict=strict == "true", max_bytes=max_bytes
            )
        except ss.ValidationError as exc:
            return problem_response(exc.to_problem())
        session = ss.CreateSessionResponseBody(
            **attrs.asdict(request_body, recurse=False),
            id=f"ses_{uuid.uuid4().hex}",
            workspace_id=WORKSPACE_ID,
        )
        text = ss.dumps(session, style="snake")
        store.add(session.id, text)
        return Response(text, 201, {"Location": f"{SESSIONS}/{session.id}"}, JSON)

    @app.get(
        SESSIONS + "/{session_id}",
        summary="Read a session",
        openapi_extra={
            "parameters": [
                {"name": "session_id", "in": "path", "required": True, "schema": {"type": "string"}}
            ]
        },
        responses={200: SESSION, **answers(404)},
    )
    async def read_session(request: Request) -> Response:
        # The id is read from the path as it is: declared as a parameter of this function,
        # FastAPI would publish a 422 that no string can cause.
        text = store.get(request.path_params["session_id"])
        if text is None:
            return problem(404, "no session has this id")
        return Response(text, 200, media_type=JSON)

    return app


def main() -> None:
    data_dir = os.environ.get("SESSIONS_DIR")
    if data_dir:
        Path(data_dir).mkdir(parents=True, exist_ok=True)
    app = create_app(
        str(Path(data_dir) / "sessions.sqlite3") if data_dir else ":memory:",
        max_bytes=int(os.environ.get("SESSIONS_MAX_BYTES", MAX_BYTES)),
        body_timeout=float(os.environ.get("SESSIONS_BODY_TIMEOUT", BODY_TIMEOUT)),
    )
    uvicorn.run(app, host="127.0.0.1", port=int(os.environ.get("PORT", "8000")))


if __name__ == "__main__":
    main()
