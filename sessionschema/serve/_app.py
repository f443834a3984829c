"""The FastAPI app of ``sessionschema serve``: the orq sessions API, checked by sessionschema.

The current API ("threads", ``/v2/sessions``) and the legacy one (``/v2/traces/sessions``),
with the paths, methods, status codes and bodies of the contract; see :mod:`sessionschema.serve`
for what each route answers. Bodies are read by :class:`~._body.JSONBody` (raw bytes to
``ss.loads``); the store (:class:`~._store.Store`, SQLite) is made in the lifespan, kept in its
state and reached through the dependency :func:`get_store`, which tests may override; every
call to it runs in the thread pool.
"""

from __future__ import annotations

import hmac
import json
import logging
import secrets
import sqlite3
import time
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

import attrs
from fastapi import APIRouter, Depends, FastAPI, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool
from starlette.convertors import Convertor, register_url_convertor

import sessionschema as ss

from ._body import BODY_TIMEOUT, MAX_BYTES, BodySettings, JSONBody, Strict
from ._guard import HEADER_TIMEOUT, MAX_CONNECTIONS
from ._limits import LIMIT_DEFAULT, LIMIT_MAX, beyond_limits, page_of
from ._lingering import CloseUnreadBody
from ._openapi import ErrorResponses, Problems, body_of, install_openapi, json_of
from ._problems import JSON, ErrorAnswer, Problem, add_problem_handlers, error_response
from ._store import MEMORY, Filters, Row, Store, millis, now_ms, since

__all__ = [
    "LEGACY",
    "LIMIT_DEFAULT",
    "LIMIT_MAX",
    "THREADS",
    "Settings",
    "check_settings",
    "create_app",
    "get_settings",
    "get_store",
]

THREAD = ss.codec(ss.Thread, style="snake")
"""The codec of a stored thread: the server keeps each as the text of the snake wire."""
THREADS = "/v2/sessions"
LEGACY = "/v2/traces/sessions"
WORKSPACE_ID = "ws_local"
"""The ``workspace_id`` of every legacy session: the real service takes it from the API key."""
RESERVED = ("count", "query", "tags")
"""The last segments of the paths under /v2/sessions that are not thread ids."""


class ThreadId(Convertor[str]):
    """A thread id in a path: any segment but the :data:`RESERVED` ones, so that a method that
    ``/v2/sessions/count`` lacks is a 405 there instead of a read of the thread ``count``."""

    regex = "(?!(?:" + "|".join(RESERVED) + ")$)[^/]+"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("thread_id", ThreadId())
ONE = "/{session_id:thread_id}"

_DIGITS_OF_THE_BIGGEST = 19  # 2**63 - 1 has 19 digits: longer numbers are beyond every time

log = logging.getLogger("uvicorn.error")
T = TypeVar("T")


@dataclass(frozen=True)
class Settings:
    """What ``sessionschema serve`` is run with.

    ``db``: the SQLite file of the store, or ``":memory:"``; ``api_key``: the key every
    request must carry (``Authorization: Bearer KEY``), or None for an open server;
    ``max_bytes`` and ``body_timeout``: the size limit of a body and the seconds a client has
    to send it; ``strict``: unknown and repeated keys are errors unless a request says
    ``?strict=false``; ``header_timeout`` and ``max_connections``: the seconds a client has to
    send a request's headers, and the most connections open at once (:mod:`._guard`).
    """

    db: str = MEMORY
    api_key: str | None = None
    max_bytes: int = MAX_BYTES
    body_timeout: float = BODY_TIMEOUT
    strict: bool = False
    header_timeout: float = HEADER_TIMEOUT
    max_connections: int = MAX_CONNECTIONS


# -- dependencies --------------------------------------------------------------------------------
# Each is a coroutine function: FastAPI would run a plain function in its thread pool, a thread
# hop of its own for what takes a microsecond.


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_store(request: Request) -> Store:
    """The store of the app, made by its lifespan (``app.dependency_overrides[get_store]``
    gives the routes another)."""
    store: Store = request.state.store
    return store


StoreDep = Annotated[Store, Depends(get_store)]

_bearer = HTTPBearer(
    auto_error=False,
    description="The API key the server was started with (`--api-key`), when it has one.",
)


async def authorize(
    settings: Annotated[Settings, Depends(get_settings)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """Nothing when the server is open or the request carries its key; else a 401 in the
    shape of the SDK's ``ErrorResponse``."""
    if settings.api_key is None:
        return
    if credentials is None:
        raise ErrorAnswer.unauthenticated("missing API key: send Authorization: Bearer <key>")
    if not hmac.compare_digest(credentials.credentials.encode(), settings.api_key.encode()):
        raise ErrorAnswer.unauthenticated("invalid API key")


# -- threads -------------------------------------------------------------------------------------


def new_thread_id() -> str:
    """24 hexadecimal digits, as the contract's example: the time in seconds, then 8 random
    bytes."""
    return f"{int(time.time()) & 0xFFFFFFFF:08x}{secrets.token_hex(8)}"


def row_of(thread: ss.Thread, text: str, now: int) -> Row:
    """What the store keeps of ``thread`` (its JSON ``text``): its activity time is its
    ``updated_at``, else its ``started_at``, else ``now``."""
    moment = thread.updated_at or thread.started_at
    return Row(
        id=thread.id,
        body=text,
        activity=now if moment is None else millis(moment),
        project_id=thread.project_id,
        client=thread.client,
        repo=thread.repo,
        kind=thread.kind,
        tags=thread.tags,
    )


_UPDATED = [
    field.name
    for field in attrs.fields(ss.UpdateThreadRequest)
    if field.name not in ("clear_tags", "clear_contact_ids")
]


def updated(thread: ss.Thread, change: ss.UpdateThreadRequest) -> ss.Thread:
    """``thread`` with ``change`` applied: each field given replaces the thread's, the clear
    flags empty their lists, and what is absent stays."""
    values: dict[str, Any] = {}
    for name in _UPDATED:
        value = getattr(change, name)
        if value is not None:
            values[name] = value
    if change.clear_tags:
        values["tags"] = ()
    if change.clear_contact_ids:
        values["contact_ids"] = ()
    return attrs.evolve(thread, **values)


def _applying(change: ss.UpdateThreadRequest, now: int) -> Callable[[str], Row]:
    def apply(stored: str) -> Row:
        thread = updated(THREAD.loads(stored, max_bytes=None), change)
        return row_of(thread, THREAD.dumps(thread), now)

    return apply


def _millis_of(digits: str) -> int:
    """Milliseconds written in decimal digits; any number beyond 2**63 - 1 is read as that."""
    significant = digits.lstrip("0") or "0"
    return (1 << 63) - 1 if len(significant) > _DIGITS_OF_THE_BIGGEST else int(significant)


def filters_of(given: ss.ThreadFilters, now: int) -> Filters:
    """The store's filters for ``given``: the interval ends at ``now`` (the server's clock),
    ``start_date`` and ``end_date`` bound the window further (both inclusive), and the other
    conditions are taken as they are (``tags``: every one of them)."""
    earliest = since(given.interval, now)
    if given.start_date is not None:
        start = _millis_of(given.start_date)
        earliest = start if earliest is None else max(earliest, start)
    until = None if given.end_date is None else _millis_of(given.end_date)
    return Filters(
        since=earliest,
        until=until,
        project_id=given.project_id,
        client=given.client,
        repo=given.repo,
        kind=given.kind,
        tags=given.tags or (),
    )


class ThreadBody(JSONBody[T]):
    """:class:`JSONBody`, then the server's own bounds (:mod:`._limits`): a 422 beyond them."""

    async def __call__(self, request: Request, strict: Strict = None) -> T:
        value = await super().__call__(request, strict)
        errors = beyond_limits(value)
        if errors:
            raise Problem.of_errors(ss.ValidationError(errors))
        return value


def answer(text: str | bytes, status: int = 200) -> Response:
    return Response(text, status, media_type=JSON)


def thread_not_found() -> ErrorAnswer:
    return ErrorAnswer.not_found("no thread has this id")


threads = APIRouter(prefix=THREADS, tags=["Threads"])
_BODY = (400, 408, 413, 415, 422)  # the problems of a route that reads a body


@threads.post(
    "",
    summary="Create a thread",
    openapi_extra=body_of("CreateThreadRequest"),
    responses={
        200: json_of("Thread", "The thread as stored"),
        **ErrorResponses(401, 503),
        **Problems(*_BODY),
    },
)
async def create_thread(
    request: Annotated[ss.CreateThreadRequest, Depends(ThreadBody(ss.CreateThreadRequest))],
    store: StoreDep,
) -> Response:
    thread = ss.Thread(**attrs.asdict(request, recurse=False), id=new_thread_id())
    text = THREAD.dumps(thread)
    await run_in_threadpool(store.add, row_of(thread, text, now_ms()))
    return answer(text)


@threads.post(
    "/count",
    summary="Count threads",
    openapi_extra=body_of("GetThreadCountRequest"),
    responses={
        200: json_of("GetThreadCountResponse", "How many threads meet the filters"),
        **ErrorResponses(401, 503),
        **Problems(*_BODY),
    },
)
async def count_threads(
    request: Annotated[ss.GetThreadCountRequest, Depends(ThreadBody(ss.GetThreadCountRequest))],
    store: StoreDep,
) -> Response:
    number = await run_in_threadpool(store.count, filters_of(request.filters, now_ms()))
    return answer(ss.dumps(ss.GetThreadCountResponse(count=number), style="snake"))


@threads.post(
    "/query",
    summary="List threads",
    openapi_extra=body_of("ListThreadsRequest"),
    responses={
        200: json_of("ListThreadsResponse", "One page of the threads that meet the filters"),
        **ErrorResponses(401, 503),
        **Problems(*_BODY),
    },
)
async def list_threads(
    request: Annotated[ss.ListThreadsRequest, Depends(ThreadBody(ss.ListThreadsRequest))],
    store: StoreDep,
) -> Response:
    limit, offset = page_of(request.limit, request.page)
    found, more = await run_in_threadpool(
        store.query, filters_of(request.filters, now_ms()), limit, offset
    )
    # The stored texts are canonical Thread JSON: the page is written around them.
    text = f'{{"object":"list","data":[{",".join(found)}],"has_more":{json.dumps(more)}}}'
    return answer(text)


@threads.get(
    "/tags",
    summary="List the tags in use",
    responses={
        200: {
            "description": "Every tag of at least one thread, each once, in code point order",
            "content": {JSON: {"schema": {"type": "array", "items": {"type": "string"}}}},
        },
        **ErrorResponses(401, 503),
    },
)
async def list_tags(store: StoreDep) -> Response:
    return answer(json.dumps(await run_in_threadpool(store.tags), separators=(",", ":")))


@threads.get(
    ONE,
    summary="Get a thread",
    responses={
        200: json_of("Thread", "The thread as stored"),
        **ErrorResponses(401, 404, 503),
    },
)
async def get_thread(session_id: str, store: StoreDep) -> Response:
    text = await run_in_threadpool(store.get, session_id)
    if text is None:
        raise thread_not_found()
    return answer(text)


@threads.patch(
    ONE,
    summary="Update a thread",
    openapi_extra=body_of("UpdateThreadRequest"),
    responses={
        200: json_of("Thread", "The thread with the update applied"),
        **ErrorResponses(401, 404, 503),
        **Problems(*_BODY),
    },
)
async def update_thread(
    session_id: str,
    change: Annotated[ss.UpdateThreadRequest, Depends(ThreadBody(ss.UpdateThreadRequest))],
    store: StoreDep,
) -> Response:
    text = await run_in_threadpool(store.update, session_id, _applying(change, now_ms()))
    if text is None:
        raise thread_not_found()
    return answer(text)


@threads.delete(
    ONE,
    summary="Delete a thread",
    status_code=204,
    responses={
        204: {"description": "The thread is deleted"},
        **ErrorResponses(401, 404, 503),
    },
)
async def delete_thread(session_id: str, store: StoreDep) -> Response:
    if not await run_in_threadpool(store.delete, session_id):
        raise thread_not_found()
    return Response(status_code=204)


# -- legacy sessions -----------------------------------------------------------------------------

legacy = APIRouter(prefix=LEGACY, tags=["Legacy sessions"])


@legacy.post(
    "",
    summary="Create a session (legacy)",
    openapi_extra=body_of("CreateSessionRequestBody"),
    responses={
        200: json_of("CreateSessionResponseBody", "The session as stored"),
        **ErrorResponses(401, 503),
        **Problems(409, *_BODY),
    },
)
async def create_session(
    request: Annotated[ss.CreateSessionRequestBody, Depends(JSONBody(ss.CreateSessionRequestBody))],
    store: StoreDep,
) -> Response:
    session = ss.CreateSessionResponseBody(
        **attrs.asdict(request, recurse=False),
        id=f"ses_{uuid.uuid4().hex}",
        workspace_id=WORKSPACE_ID,
    )
    text = ss.dumps(session, style="snake")
    existing = await run_in_threadpool(store.add_session, session.id, session.external_id, text)
    if existing is not None:
        raise Problem.of_status(409, f"the session {existing} has this external_id")
    return answer(text)


@legacy.get(
    "/{session_id}",
    summary="Get a session (legacy)",
    responses={
        200: json_of("CreateSessionResponseBody", "The session as stored"),
        **ErrorResponses(401, 503),
        404: json_of("HonoAPIError", "Not Found"),
    },
)
async def get_session(session_id: str, store: StoreDep) -> Response:
    text = await run_in_threadpool(store.get_session, session_id)
    if text is None:
        raise ErrorAnswer.legacy_not_found("no session has this id")
    return answer(text)


# -- the app -------------------------------------------------------------------------------------


async def on_storage_failure(request: Request, exc: Exception) -> Response:
    """A store that failed (a full disk, a file gone read only): 503 in the SDK's
    ``ErrorResponse`` shape, gRPC code 14; the transaction was rolled back, nothing changed.
    The connection stays open, as the answer says (no ``Connection: close``)."""
    log.error("The store failed: %s", exc)
    return error_response(ErrorAnswer.unavailable(f"the store failed, nothing was changed: {exc}"))


def check_settings(settings: Settings) -> None:
    """``ValueError`` for settings the server must not run with: an empty API key (which
    would serve everyone while seeming to require a key)."""
    if settings.api_key is not None and not settings.api_key.strip():
        raise ValueError("the API key is empty: give a key, or none to serve every request")


def create_app(settings: Settings | None = None) -> FastAPI:
    """The server's app, run with ``settings`` (by default: in memory, open)."""
    settings = settings or Settings()
    check_settings(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[dict[str, Any]]:
        store = Store(settings.db)
        await run_in_threadpool(store.open)
        where = "in memory only" if settings.db == MEMORY else f"in {settings.db}"
        log.info("Sessions kept %s", where)
        if settings.api_key is None:
            log.warning(
                "No API key: every request is served, with or without Authorization"
                " (--api-key or SESSIONSCHEMA_API_KEY to require one)"
            )
        else:
            log.info("Every request needs Authorization: Bearer <the API key>")
        try:
            yield {"store": store}
        finally:
            await run_in_threadpool(store.close)

    app = FastAPI(
        title="orq.ai sessions, checked by sessionschema",
        version=ss.__version__,
        description="A local stand-in for the orq sessions API (`/v2/sessions`, and the legacy"
        " `/v2/traces/sessions`): every request body is checked against the contract by"
        " sessionschema, with every problem listed.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.body_settings = BodySettings(
        settings.max_bytes, settings.body_timeout, settings.strict
    )
    # The key is checked on every route of both APIs when the server has one; an open server
    # runs no check at all (a dependency costs each request its resolution).
    guard = [Depends(authorize)] if settings.api_key is not None else None
    app.include_router(threads, dependencies=guard)
    app.include_router(legacy, dependencies=guard)
    add_problem_handlers(app)
    app.add_exception_handler(sqlite3.Error, on_storage_failure)
    app.add_middleware(CloseUnreadBody)
    install_openapi(app, secured=settings.api_key is not None, strict=settings.strict)
    return app
