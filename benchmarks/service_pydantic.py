"""The peer of ``sessionschema serve`` in benchmarks/service.py: the same routes of the thread
API that the load run drives (create, read, query), written the usual FastAPI way with the
official SDK's pydantic models (``orq-ai-sdk`` 4.17.13) as the body parameters and the response
models, and sync routes, which FastAPI runs in its thread pool.

Not a server to copy: no size limit, no body timeout, no content-type check, and its 422 is
FastAPI's own ``{"detail": [...]}``. It keeps threads in the same store as the server
(sessionschema/serve/_store.py, which uses the standard library only, loaded from its file: this
environment has the SDK, not sessionschema), with the same clock, intervals, activity times and
filters, so that the two differ in how a body is read, checked and written.

Run by the SDK's interpreter, which has FastAPI and uvicorn too (tests/sdk4/requirements.txt)::

    PORT=8001 .venv-sdk4/bin/python benchmarks/service_pydantic.py [DATABASE]
"""

from __future__ import annotations

import importlib.util
import os
import secrets
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

import uvicorn
from fastapi import FastAPI, HTTPException, Request, Response

if TYPE_CHECKING:  # mypy runs in .venv, whose SDK is version 3, without these models
    CreateThreadRequest: TypeAlias = Any
    ListThreadsRequest: TypeAlias = Any
    ListThreadsResponse: TypeAlias = Any
    Thread: TypeAlias = Any
else:
    from orq_ai_sdk.models import (
        CreateThreadRequest,
        ListThreadsRequest,
        ListThreadsResponse,
        Thread,
    )

STORE_FILE = Path(__file__).resolve().parents[1] / "sessionschema" / "serve" / "_store.py"
_spec = importlib.util.spec_from_file_location("threads_store", STORE_FILE)
assert _spec is not None
assert _spec.loader is not None
store_module: Any = importlib.util.module_from_spec(_spec)
sys.modules["threads_store"] = store_module
_spec.loader.exec_module(store_module)


def millis(moment: datetime) -> int:
    if moment.tzinfo is None:  # the SDK's models take naive date-times too
        moment = moment.replace(tzinfo=timezone.utc)
    return int(store_module.millis(moment))


def create_app(database: str) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[dict[str, Any]]:
        store = store_module.Store(database)
        store.open()
        yield {"store": store}
        store.close()

    app = FastAPI(title="orq.ai threads, checked by pydantic", lifespan=lifespan)

    @app.post("/v2/sessions", response_model=Thread, response_model_by_alias=True)
    def create_thread(body: CreateThreadRequest, request: Request) -> Thread:
        thread = Thread.model_validate(
            {**body.model_dump(), "_id": f"{int(time.time()):08x}{secrets.token_hex(8)}"}
        )
        moment = thread.updated_at or thread.started_at
        request.state.store.add(
            store_module.Row(
                id=thread.id,
                body=thread.model_dump_json(by_alias=True),
                activity=store_module.now_ms() if moment is None else millis(moment),
                project_id=thread.project_id,
                client=thread.client,
                repo=thread.repo,
                kind=thread.kind,
                tags=tuple(thread.tags),
            )
        )
        return thread

    @app.get("/v2/sessions/{session_id}")
    def get_thread(session_id: str, request: Request) -> Response:
        text = request.state.store.get(session_id)
        if text is None:
            raise HTTPException(404, "no thread has this id")
        return Response(text, media_type="application/json")

    @app.post("/v2/sessions/query", response_model=ListThreadsResponse)
    def list_threads(body: ListThreadsRequest, request: Request) -> ListThreadsResponse:
        given = body.filters
        since = store_module.since(given.interval, store_module.now_ms())
        if given.start_date is not None:
            since = max(since or 0, int(given.start_date))
        filters = store_module.Filters(
            since=since,
            until=None if given.end_date is None else int(given.end_date),
            project_id=given.project_id,
            client=given.client,
            repo=given.repo,
            kind=given.kind,
            tags=tuple(given.tags or ()),
        )
        limit, page = body.limit or 10, body.page or 1
        found, more = request.state.store.query(filters, limit, (page - 1) * limit)
        data = [Thread.model_validate_json(text) for text in found]
        return ListThreadsResponse(object="list", data=data, has_more=more)

    return app


def main() -> None:
    database = sys.argv[1] if len(sys.argv) > 1 else ":memory:"
    port = int(os.environ.get("PORT", "8000"))
    uvicorn.run(create_app(database), host="127.0.0.1", port=port)


if __name__ == "__main__":
    main()
