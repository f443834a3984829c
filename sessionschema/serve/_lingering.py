"""Closing a connection whose request body is still coming, so that the client reads the answer.

A server that answers before it has read the whole body (a 413 as soon as the limit is known to
be crossed, a 401 before the body is read) and then closes the socket with unread data in it
makes the kernel reset the connection: a client still sending (``urllib``, ``requests``, which
read the answer only once the body is sent) gets "connection reset" or "broken pipe" instead of
the answer, which the reset discards. nginx's answer is the lingering close, done here the same
way, under uvicorn's httptools protocol:

- :class:`CloseUnreadBody` (ASGI middleware) adds ``Connection: close`` to an answer given
  before the body was read to its end, so that the client knows that the connection ends there
  and uvicorn does not wait for the rest of the body to serve the next request on it;
- :class:`LingeringProtocol`, when uvicorn closes such a connection, sends the answer and then
  half-closes it (``FIN``: the client sees the end of the answer), then reads and drops what the
  client still sends, at most :data:`LINGER_BYTES`, for at most :data:`LINGER_SECONDS`, with at
  most :data:`LINGER_IDLE_SECONDS` between two reads, and closes once the client closes its side
  or any of these bounds is reached.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

__all__ = [
    "LINGER_BYTES",
    "LINGER_IDLE_SECONDS",
    "LINGER_SECONDS",
    "CloseUnreadBody",
    "LingeringProtocol",
]

LINGER_BYTES = 64 << 20
"""At most this much of a body is read and dropped after the answer (nginx bounds the time
only)."""
LINGER_SECONDS = 30.0
"""At most this long after the answer (nginx's ``lingering_time``)."""
LINGER_IDLE_SECONDS = 5.0
"""At most this long between two reads of what the client still sends (nginx's
``lingering_timeout``)."""

ASGIApp = Any  # (scope, receive, send) -> awaitable, as Starlette's middleware take it


class CloseUnreadBody:
    """ASGI middleware: ``Connection: close`` on an HTTP answer that starts before the request
    body was read to its end. A request without a body (no ``Content-Length`` above 0, no
    ``Transfer-Encoding``) counts as read."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        read = not _has_body(scope["headers"])

        async def receiving() -> Any:
            nonlocal read
            message = await receive()
            if message["type"] != "http.request" or not message.get("more_body", False):
                read = True
            return message

        async def sending(message: Any) -> None:
            if message["type"] == "http.response.start" and not read:
                headers = [
                    (k, v) for k, v in message.get("headers", []) if k.lower() != b"connection"
                ]
                message = {**message, "headers": [*headers, (b"connection", b"close")]}
            await send(message)

        await self.app(scope, receiving, sending)


def _has_body(headers: list[tuple[bytes, bytes]]) -> bool:
    for name, value in headers:
        name = name.lower()
        if name == b"transfer-encoding" or (name == b"content-length" and value.strip() != b"0"):
            return True
    return False


class LingeringProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, closing with a lingering close when the request that was
    answered has not been received to its end."""

    _message_complete = True
    _lingering = False
    _stopping = False
    _drained = 0
    _deadline: asyncio.TimerHandle | None = None
    _idle: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(_LingeringTransport(transport, self))

    def on_message_begin(self) -> None:
        self._message_complete = False
        super().on_message_begin()

    def on_message_complete(self) -> None:
        self._message_complete = True
        super().on_message_complete()

    def data_received(self, data: bytes) -> None:
        if self._lingering:
            self._drained += len(data)
            if self._drained > LINGER_BYTES:
                self._close_now()
            else:
                self._rearm_idle()
            return
        super().data_received(data)

    def shutdown(self) -> None:
        """The server stops: no lingering from now on."""
        self._stopping = True
        if self._lingering:
            self._close_now()
        else:
            super().shutdown()

    def connection_lost(self, exc: Exception | None) -> None:
        for timer in (self._deadline, self._idle):
            if timer is not None:
                timer.cancel()
        super().connection_lost(exc)

    # -- the lingering close ---------------------------------------------------------------------

    def _wants_to_linger(self, transport: asyncio.Transport) -> bool:
        return not (
            self._message_complete
            or self._stopping
            or transport.is_closing()
            or not transport.can_write_eof()
        )

    def _linger(self, transport: asyncio.Transport) -> None:
        """Send what is buffered, then FIN; read and drop what comes until a bound is reached."""
        self._lingering = True
        transport.write_eof()
        self.flow.resume_reading()  # uvicorn pauses reading while a body waits to be received
        transport.resume_reading()
        self._deadline = self.loop.call_later(LINGER_SECONDS, self._close_now)
        self._rearm_idle()

    def _rearm_idle(self) -> None:
        if self._idle is not None:
            self._idle.cancel()
        self._idle = self.loop.call_later(LINGER_IDLE_SECONDS, self._close_now)

    def _close_now(self) -> None:
        real = self.transport
        if isinstance(real, _LingeringTransport):
            real = real.transport
        if not real.is_closing():
            real.close()


class _LingeringTransport(asyncio.Transport):
    """The connection's transport as uvicorn sees it: every call goes to the real one, except
    that :meth:`close` lingers when the protocol says so."""

    def __init__(self, transport: asyncio.Transport, protocol: LingeringProtocol) -> None:
        super().__init__()
        self.transport = transport
        self.protocol = protocol

    def close(self) -> None:
        if self.protocol._lingering or not self.protocol._wants_to_linger(self.transport):
            if not self.transport.is_closing():
                self.transport.close()
            return
        self.protocol._linger(self.transport)

    def is_closing(self) -> bool:
        return self.protocol._lingering or self.transport.is_closing()

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if not self.protocol._lingering:
            self.transport.write(data)

    def writelines(self, list_of_data: Any) -> None:
        if not self.protocol._lingering:
            self.transport.writelines(list_of_data)

    def write_eof(self) -> None:
        self.transport.write_eof()

    def can_write_eof(self) -> bool:
        return self.transport.can_write_eof()

    def abort(self) -> None:
        self.transport.abort()

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return self.transport.get_extra_info(name, default)

    def is_reading(self) -> bool:
        return self.transport.is_reading()

    def pause_reading(self) -> None:
        if not self.protocol._lingering:
            self.transport.pause_reading()

    def resume_reading(self) -> None:
        self.transport.resume_reading()

    def set_write_buffer_limits(self, high: int | None = None, low: int | None = None) -> None:
        self.transport.set_write_buffer_limits(high, low)

    def get_write_buffer_size(self) -> int:
        return self.transport.get_write_buffer_size()

    def get_write_buffer_limits(self) -> tuple[int, int]:
        return self.transport.get_write_buffer_limits()

    def set_protocol(self, protocol: asyncio.BaseProtocol) -> None:
        self.transport.set_protocol(protocol)

    def get_protocol(self) -> asyncio.BaseProtocol:
        return self.transport.get_protocol()
