"""sessionschema in your own FastAPI app: a route that takes an orq thread as its body, read and
checked by sessionschema rather than by FastAPI.

``JSONBody(cls)`` is the dependency that ``sessionschema serve`` reads its own bodies with: the
raw bytes, at most 1 MiB, within 30 s, go to ``ss.loads`` on the snake_case wire; the route gets
a typed, frozen model, or the client gets problem details with every problem listed (422), 413,
415 or 408, which ``add_problem_handlers`` writes. Other limits:
``app.state.body_settings = BodySettings(max_bytes=..., body_timeout=..., strict=...)``.
``CloseUnreadBody`` and ``LingeringProtocol`` close a connection whose body is refused before
its end so that the client, still sending, reads the answer rather than a reset connection.

Run it with ``python examples/service/app.py`` (``PORT``, 8000 by default), then::

    curl -i http://127.0.0.1:8000/threads -H 'Content-Type: application/json' -d '{}'
"""

from __future__ import annotations

import os
from typing import Annotated, Any

import uvicorn
from fastapi import Depends, FastAPI

import sessionschema as ss
from sessionschema.serve import CloseUnreadBody, JSONBody, LingeringProtocol, add_problem_handlers

app = FastAPI(title="Threads, checked by sessionschema")
add_problem_handlers(app)
app.add_middleware(CloseUnreadBody)

Thread = Annotated[ss.CreateThreadRequest, Depends(JSONBody(ss.CreateThreadRequest))]


@app.post("/threads")
async def receive_thread(thread: Thread) -> dict[str, Any]:
    """What a service does with a thread it has received: here, say what it holds."""
    return {
        "external_id": thread.external_id,
        "total_tokens": thread.usage.total_tokens,
        "thread": ss.dump(thread, style="snake"),  # the canonical form, JSON-ready
    }


if __name__ == "__main__":
    port = int(os.environ.get("PORT", "8000"))
    uvicorn.run(app, host="127.0.0.1", port=port, http=LingeringProtocol)
