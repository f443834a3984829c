"""Request bodies read by sessionschema: a FastAPI dependency that gives the loaded model.

FastAPI parses nothing: the body is read as raw bytes with ``request.stream()`` and given to
:func:`sessionschema.loads`, which lists every problem. On the way:

- a ``Content-Type`` other than ``application/json`` or ``application/*+json`` (or a charset
  other than UTF-8), or a compressed body: 415, before a byte is read;
- a ``Content-Length`` over the limit: 413 before a byte is read; a chunked body as soon as it
  crosses the limit: what is held is never more than the limit plus one chunk;
- one deadline for the whole body: 408 when it is not all there in time (``Connection:
  close``);
- a body above :data:`IN_THREAD_BYTES` is read by ``ss.loads`` in a worker thread, so that the
  largest bodies within the limit never hold up the event loop; smaller ones (microseconds)
  are read on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Generic, TypeVar

import anyio
from fastapi import Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

import sessionschema as ss

from ._problems import JSON, Problem

__all__ = [
    "BODY_TIMEOUT",
    "IN_THREAD_BYTES",
    "MAX_BYTES",
    "BodySettings",
    "JSONBody",
    "Strict",
    "body_settings",
    "is_json",
]

MAX_BYTES = 1 << 20
"""The size limit of a body by default: 1 MiB, that of ``ss.loads`` too."""
BODY_TIMEOUT = 30.0
"""The seconds a client has to send a whole body, by default."""
IN_THREAD_BYTES = 64 << 10
"""Bodies larger than this are read in a worker thread."""

T = TypeVar("T")


@dataclass(frozen=True)
class BodySettings:
    """How bodies are read: the size limit, the deadline, and strict mode by default."""

    max_bytes: int = MAX_BYTES
    body_timeout: float = BODY_TIMEOUT
    strict: bool = False


def body_settings(request: Request) -> BodySettings:
    """The :class:`BodySettings` of the app (``app.state.body_settings``), or the defaults (read
    directly, not as a dependency: each dependency costs every request its resolution)."""
    settings = getattr(request.app.state, "body_settings", None)
    return settings if isinstance(settings, BodySettings) else BodySettings()


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


async def _read(request: Request, max_bytes: int) -> bytes | None:
    """The body, or None as soon as it is over ``max_bytes``."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


Strict = Annotated[
    bool | None,
    # Left out of the OpenAPI document, which describes the bodies as the server reads them by
    # its own setting: one document cannot give a body two schemas by a query parameter.
    Query(
        description="Unknown keys, at any level, and repeated keys are errors (default: the"
        " server's setting, lenient unless it runs with --strict).",
        include_in_schema=False,
    ),
]


class JSONBody(Generic[T]):
    """A dependency that reads the request body as a ``cls``, the way :mod:`this module
    <sessionschema.serve._body>` says, or raises the :class:`Problem` of the refusal::

        @app.post("/v2/sessions")
        async def create(thread: Annotated[ss.CreateThreadRequest,
                                           Depends(JSONBody(ss.CreateThreadRequest))]): ...

    The wire is snake_case (the orq HTTP API); the query parameter ``strict`` is declared
    with it.
    """

    def __init__(self, cls: type[T]) -> None:
        self.cls = cls
        self.codecs = {
            strict: ss.codec(cls, style="snake", strict=strict) for strict in (False, True)
        }
        """The codecs that read the bodies, lenient and strict, built once with the app."""

    async def __call__(
        self,
        request: Request,
        strict: Strict = None,
    ) -> T:
        settings = body_settings(request)
        if not is_json(request.headers.get("content-type")):
            raise Problem.of_status(415, f"the body must be {JSON} (UTF-8)", {"Accept-Post": JSON})
        if request.headers.get("content-encoding", "identity").lower() != "identity":
            raise Problem.of_status(
                415, "the body must not be compressed", {"Accept-Encoding": "identity"}
            )
        limit = settings.max_bytes
        declared = request.headers.get("content-length", "")
        if declared.isdecimal() and int(declared) > limit:  # refused before it is read
            raise Problem.too_large(limit, f"a body of {declared} bytes")
        try:
            with anyio.fail_after(settings.body_timeout):
                body = await _read(request, limit)
        except TimeoutError:
            detail = f"the body did not arrive within {settings.body_timeout:g} s"
            raise Problem.of_status(408, detail, {"Connection": "close"}) from None
        except ClientDisconnect:  # nobody reads this answer; uvicorn drops it
            raise Problem.of_status(
                400, "the connection was closed before the body ended"
            ) from None
        if body is None:
            raise Problem.too_large(limit, "the body")
        strictly = settings.strict if strict is None else strict

        def parse() -> T:
            return self.codecs[strictly].loads(body, max_bytes=limit)

        try:
            return await run_in_threadpool(parse) if len(body) > IN_THREAD_BYTES else parse()
        except ss.ValidationError as exc:
            raise Problem.of_errors(exc) from None
