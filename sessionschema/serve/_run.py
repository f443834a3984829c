"""Running the server: uvicorn, with the lingering close of :mod:`._lingering`."""

from __future__ import annotations

import uvicorn

from ._app import Settings, create_app
from ._lingering import LingeringProtocol

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
    ``SystemExit`` when the server could not start (the port is taken, the database cannot be
    opened: the log says why)."""
    config = uvicorn.Config(
        create_app(settings),
        host=host,
        port=port,
        http=LingeringProtocol,
        ws="none",
        lifespan="on",
        log_level=log_level,
        timeout_graceful_shutdown=10,
    )
    server = uvicorn.Server(config)
    server.run()
    if not server.started:
        raise SystemExit(STARTUP_FAILURE)
