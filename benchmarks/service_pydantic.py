"""The peer of the reference service in benchmarks/service.py: the same two routes written the usual
FastAPI way, with the official SDK's pydantic models (``orq-ai-sdk`` 3.4.0) as the body parameter
and the response model. Not a service to copy: it has no size limit, no body timeout and no
content-type check, and its 422 is FastAPI's own ``{"detail": [...]}``. It stores sessions as
examples/service/app.py does (SQLite, WAL, the JSON text of the 201 response) so that the two
differ only in how a body is read, checked and written.

Run: ``PORT=8001 python benchmarks/service_pydantic.py`` (``SESSIONS_DIR`` as for the service).
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import uvicorn
from fastapi import FastAPI, HTTPException, Response
from orq_ai_sdk.models.createsessionop import CreateSessionRequestBody, CreateSessionResponseBody

WORKSPACE_ID = "ws_local"


def create_app(database: str = ":memory:") -> FastAPI:
    db: list[sqlite3.Connection] = []

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        connection = sqlite3.connect(database, isolation_level=None)
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = NORMAL")
        connection.execute(
            "CREATE TABLE IF NOT EXISTS sessions (id TEXT PRIMARY KEY, body TEXT NOT NULL)"
        )
        db.append(connection)
        yield
        connection.close()

    app = FastAPI(title="orq.ai sessions, checked by pydantic", lifespan=lifespan)

    @app.post("/v2/traces/sessions", status_code=201, response_model=CreateSessionResponseBody)
    async def create_session(body: CreateSessionRequestBody) -> CreateSessionResponseBody:
        session = CreateSessionResponseBody.model_validate(
            {**body.model_dump(), "_id": f"ses_{uuid.uuid4().hex}", "workspace_id": WORKSPACE_ID}
        )
        db[0].execute(
            "INSERT INTO sessions (id, body) VALUES (?, ?)",
            (session.id, session.model_dump_json(by_alias=True)),
        )
        return session

    @app.get("/v2/traces/sessions/{session_id}")
    async def read_session(session_id: str) -> Response:
        row = db[0].execute("SELECT body FROM sessions WHERE id = ?", (session_id,)).fetchone()
        if row is None:
            raise HTTPException(404, "no session has this id")
        return Response(row[0], media_type="application/json")

    return app


def main() -> None:
    data_dir = os.environ.get("SESSIONS_DIR")
    if data_dir:
        Path(data_dir).mkdir(parents=True, exist_ok=True)
    database = str(Path(data_dir) / "sessions.sqlite3") if data_dir else ":memory:"
    uvicorn.run(create_app(database), host="127.0.0.1", port=int(os.environ.get("PORT", "8000")))


if __name__ == "__main__":
    main()
