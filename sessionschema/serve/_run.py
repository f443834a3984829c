"""Running the server: uvicorn, with the lingering close of :mod:`._lingering`."""

from __future__ import annotations

import logging
import resource
import sys

import uvicorn

from ._app import Settings, check_settings, create_app
from ._guard import guarded
from ._store import MEMORY, Store, StoreError

__all__ = ["HOST", "PORT", "serve"]

HOST = "127.0.0.1"
PORT = 8000
STARTUP_FAILURE = 3
"""The status of ``SystemExit`` when the server did not start (uvicorn's own)."""


def serve(
    settings: Settings | None = None,
    host: str = HOST,
    port: int = PORT,
    *,
    log_level: str = "info",
) -> None:
    """Serve :func:`create_app` on ``host``:``port`` (0 picks a free port, which the log
    names) until SIGINT or SIGTERM; uvicorn then stops gracefully and raises the signal again.
    ``SystemExit`` when the server could not start: settings it must not run with (an empty API
    key) or a database that cannot be its store (not a database, another schema, read only),
    said in one line on standard error; the port taken, said by uvicorn's log."""
    settings = settings or Settings()
    problem = refusal(settings)
    if problem is not None:
        sys.stderr.write(f"sessionschema: {problem}\n")
        raise SystemExit(STARTUP_FAILURE)
    config = uvicorn.Config(
        create_app(settings),
        host=host,
        port=port,
        http=guarded(
            header_timeout=settings.header_timeout,
            max_connections=room_for(settings.max_connections),
        ),
        ws="none",
        lifespan="on",
        log_level=log_level,
        timeout_graceful_shutdown=10,
    )
    server = uvicorn.Server(config)
    server.run()
    if not server.started:
        raise SystemExit(STARTUP_FAILURE)


def refusal(settings: Settings) -> str | None:
    """Why the server must not start with ``settings``, in one line, or None. The database is
    opened (and created) once to find out, then closed."""
    try:
        check_settings(settings)
    except ValueError as exc:
        return str(exc)
    if settings.db == MEMORY:
        return None
    store = Store(settings.db)
    try:
        store.open()
    except StoreError as exc:
        return f"--db {exc}"
    store.close()
    return None


_SPARE_DESCRIPTORS = 64
"""Descriptors kept for what is not a connection: the database, its WAL, the log."""


def room_for(connections: int) -> int:
    """The cap on open connections that the process's descriptors allow: ``connections``,
    after raising the soft limit toward the hard one if need be; fewer if even the hard limit
    is lower (the log says so)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = connections + _SPARE_DESCRIPTORS
    if soft != resource.RLIM_INFINITY and soft < wanted:
        raised = wanted if hard == resource.RLIM_INFINITY else min(hard, wanted)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (raised, hard))
            soft = raised
        except (ValueError, OSError):
            pass
    if soft != resource.RLIM_INFINITY and soft < wanted:
        connections = max(1, soft - _SPARE_DESCRIPTORS)
        logging.getLogger("uvicorn.error").warning(
            "At most %d open files: at most %d connections at once", soft, connections
        )
    return connections
