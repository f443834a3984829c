"""What ``sessionschema serve`` refuses before a request reaches a route: the HTTP edges and the
bounds on what a client may make it hold.

In the protocol (:class:`GuardedProtocol`, uvicorn's httptools protocol with the lingering close
of :mod:`._lingering`), where uvicorn itself bounds nothing:

- a request line (method, target, version) over :data:`MAX_REQUEST_LINE` bytes: **414**;
- a header section over :data:`MAX_HEADER_BYTES` bytes, or with more than :data:`MAX_HEADERS`
  fields: **431**, as soon as it is crossed (the section is never held whole);
- a request line and header section not received within ``header_timeout`` seconds of their
  first byte, or of the connection for its first request (:data:`HEADER_TIMEOUT`): **408**,
  however slowly the bytes keep coming (between requests, uvicorn's keep-alive timeout holds);
- a connection beyond ``max_connections`` open at once (:data:`MAX_CONNECTIONS`): **503** at
  once, and closed, before it is read, so that slow clients cannot take every descriptor.

- a ``Transfer-Encoding`` other than ``chunked`` alone (``gzip, chunked``): **501**, since the
  server decodes no transfer coding but chunked (RFC 9112, section 6.1);
- an HTTP/1.1 request without exactly one ``Host``: **400** (RFC 9112, section 3.2).

Each is answered with problem details and ``Connection: close``, and closed (with the lingering
close where the client may still be sending), before the app is called: the protocol costs a
request that passes next to nothing, where an ASGI middleware would add a layer to each.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from http import HTTPStatus

from ._lingering import LingeringProtocol

__all__ = [
    "HEADER_TIMEOUT",
    "MAX_CONNECTIONS",
    "MAX_HEADERS",
    "MAX_HEADER_BYTES",
    "MAX_REQUEST_LINE",
    "GuardedProtocol",
    "guarded",
]

MAX_REQUEST_LINE = 8 << 10
"""The longest request target, in bytes (nginx's ``large_client_header_buffers`` is 8 KiB)."""
MAX_HEADER_BYTES = 32 << 10
"""The largest header section, in bytes: names, values and their separators."""
MAX_HEADERS = 100
"""The most header fields in a request (Node's ``maxHeadersCount`` is 2,000; ours 100)."""
HEADER_TIMEOUT = 10.0
"""The seconds a client has to send the request line and headers, from their first byte."""
MAX_CONNECTIONS = 1000
"""The most connections open at once."""

PROBLEM = b"application/problem+json"
_QUIET_SECONDS = 1.0  # the refusals of the connection cap are logged at most once a second

log = logging.getLogger("uvicorn.error")


def problem_bytes(status: int, detail: str, date: list[tuple[bytes, bytes]]) -> bytes:
    """A whole HTTP/1.1 answer of problem details, with ``Connection: close``."""
    body = json.dumps(
        {
            "type": "about:blank",
            "title": HTTPStatus(status).phrase,
            "status": status,
            "detail": detail,
        },
        separators=(",", ":"),
    ).encode()
    lines = [f"HTTP/1.1 {status} {HTTPStatus(status).phrase}".encode()]
    lines += [name + b": " + value for name, value in date]
    lines += [
        b"content-type: " + PROBLEM,
        b"content-length: " + str(len(body)).encode(),
        b"connection: close",
    ]
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


class _Refused(Exception):
    """Raised in a parser callback to stop the parser; the refusal is on the protocol."""


class GuardedProtocol(LingeringProtocol):
    """uvicorn's httptools protocol with the lingering close and the bounds of this module (see
    :func:`guarded` for other values)."""

    max_request_line = MAX_REQUEST_LINE
    max_header_bytes = MAX_HEADER_BYTES
    max_headers = MAX_HEADERS
    header_timeout = HEADER_TIMEOUT
    max_connections = MAX_CONNECTIONS

    _reading_head = True
    _head_bytes = 0
    _head_fields = 0
    _head_timer: asyncio.TimerHandle | None = None
    _refusal: tuple[int, str] | None = None
    _last_cap_warning = 0.0

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        full = len(self.connections) >= self.max_connections
        super().connection_made(transport)
        if full:
            now = time.monotonic()
            if now - GuardedProtocol._last_cap_warning > _QUIET_SECONDS:
                GuardedProtocol._last_cap_warning = now
                log.warning("%d connections open: refusing more (503)", self.max_connections)
            detail = f"{self.max_connections} connections are open, the most this server keeps"
            self._refuse(503, detail)
        else:  # a connection that sends nothing is held no longer than a slow one
            self._head_timer = self.loop.call_later(self.header_timeout, self._head_too_slow)

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_head_timer()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._lingering or self._refusal is not None:
            super().data_received(data)
            return
        if self._reading_head:
            self._head_bytes += len(data)
            if self._head_timer is None:
                self._head_timer = self.loop.call_later(self.header_timeout, self._head_too_slow)
        super().data_received(data)
        too_much = self._head_bytes > self.max_request_line + self.max_header_bytes
        if self._reading_head and self._refusal is None and too_much:
            self._refuse(431, f"the header section is over {self.max_header_bytes} bytes")

    # -- the parser's callbacks ----------------------------------------------------------------

    def on_message_begin(self) -> None:
        self._head_fields = 0
        super().on_message_begin()

    def on_url(self, url: bytes) -> None:
        super().on_url(url)
        if len(self.url) > self.max_request_line:
            self._refusal = (414, f"the request target is over {self.max_request_line} bytes")
            raise _Refused

    def on_header(self, name: bytes, value: bytes) -> None:
        self._head_fields += 1
        if self._head_fields > self.max_headers:
            self._refusal = (431, f"the request has over {self.max_headers} header fields")
            raise _Refused
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self._reading_head = False
        self._head_bytes = 0
        self._stop_head_timer()
        refusal = _edge(self.headers, self.parser.get_http_version())
        if refusal is not None:
            self._refusal = refusal
            raise _Refused
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self._reading_head = True
        super().on_message_complete()

    def send_400_response(self, msg: str) -> None:
        """uvicorn's answer to what the parser refused: the refusal of this module, if it was
        one of its callbacks."""
        if self._refusal is not None:
            self._refuse(*self._refusal)
        else:
            super().send_400_response(msg)

    # -- refusing ------------------------------------------------------------------------------

    def _head_too_slow(self) -> None:
        self._head_timer = None
        if self._reading_head and self._refusal is None and not self.transport.is_closing():
            self._refuse(408, f"the headers did not arrive within {self.header_timeout:g} s")

    def _stop_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _refuse(self, status: int, detail: str) -> None:
        """Answer ``status`` with ``detail`` and close (lingering: a client still sending reads
        the answer)."""
        self._refusal = (status, detail)
        self._stop_head_timer()
        if status != 503:
            log.warning("Refused with %d: %s", status, detail)
        if self.cycle is not None and not self.cycle.response_complete:
            self.transport.close()  # an answer is under way: it cannot be followed by another
            return
        self.transport.write(problem_bytes(status, detail, self.server_state.default_headers))
        # A client sending a large head may still be sending it: it is drained (the lingering
        # close) so that it reads the answer. A slow one, or one over the cap, is closed now.
        self._message_complete = status not in (400, 414, 431, 501)
        self.transport.close()


def guarded(
    *,
    header_timeout: float = HEADER_TIMEOUT,
    max_connections: int = MAX_CONNECTIONS,
    max_request_line: int = MAX_REQUEST_LINE,
    max_header_bytes: int = MAX_HEADER_BYTES,
    max_headers: int = MAX_HEADERS,
) -> type[GuardedProtocol]:
    """:class:`GuardedProtocol` with these bounds, for uvicorn's ``http``."""
    bounds = {
        "header_timeout": header_timeout,
        "max_connections": max_connections,
        "max_request_line": max_request_line,
        "max_header_bytes": max_header_bytes,
        "max_headers": max_headers,
    }
    return type("GuardedProtocol", (GuardedProtocol,), bounds)


def _edge(headers: list[tuple[bytes, bytes]], version: str) -> tuple[int, str] | None:
    """The refusal of a request with these ``headers`` (names in lower case) at the edges of
    RFC 9112, or None: 501 for a transfer coding other than chunked alone (sections 6.1 and
    7), 400 for an HTTP/1.1 request without exactly one ``Host`` (section 3.2)."""
    hosts = 0
    codings: list[bytes] = []
    for name, value in headers:
        if name == b"host":
            hosts += 1
        elif name == b"transfer-encoding":
            codings += [c.strip().lower() for c in value.split(b",") if c.strip()]
    if codings and codings != [b"chunked"]:
        shown = b", ".join(codings).decode("latin-1")
        return 501, f"the transfer coding {shown!r} is not implemented: chunked only"
    if version == "1.1" and hosts != 1:
        return 400, "an HTTP/1.1 request has exactly one Host header"
    return None
