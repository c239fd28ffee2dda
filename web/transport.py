"""The HTTP protocol ``quanze serve`` gives uvicorn: h11 with TCP_NODELAY and a deadline for request headers.

With ``--workers N`` uvicorn binds the listening socket itself (``socket.socket(family)``, protocol 0),
and asyncio then leaves Nagle's algorithm on for accepted connections; a keep-alive client (a 办案系统)
waits for the 40 ms delayed ACK on every response (measured: 44 ms for /healthz with 2 workers,
1 ms with 1). Setting TCP_NODELAY here gives every worker count the same latency.

uvicorn bounds only the idle time between two requests (``timeout_keep_alive``); a client that sends half
a request line and stalls holds its connection for good (256 such sockets refused everyone). Here a
connection that has not sent a request's complete headers ``QUANZE_CLIENT_TIMEOUT`` seconds after it
opened (or after its previous answer) is closed; the body has the same time in the app (web/service.py ``Web.body_of``).

A client that never reads its answer (a tiny receive window, 260 sockets asking for the 1 MB ReDoc
bundle) fills the socket buffer and holds its request in progress for as long as it stays connected:
the requests cap (web/middleware.py Limit) then refused everyone. Here a connection whose answer cannot be
written for ``QUANZE_CLIENT_TIMEOUT`` seconds (asyncio paused writing and did not resume) is aborted:
the answer is dropped and the request leaves the count.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import socket

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from quanze.engine.model.errors import Problem


@functools.cache
def header_timeout() -> float:
    """Seconds a client has to send a request's headers (QUANZE_CLIENT_TIMEOUT), read once per process."""
    from quanze.engine.model.settings import CLIENT_TIMEOUT, settings

    try:
        return settings().client_timeout
    except Exception:  # an unreadable setting was refused by `quanze serve` before it started
        return CLIENT_TIMEOUT


class NoDelayH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, with Nagle's algorithm off on TCP connections and a header deadline."""

    _header_timer: asyncio.TimerHandle | None = None
    _write_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport) -> None:  # type: ignore[no-untyped-def]
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            with contextlib.suppress(OSError):  # not a TCP socket after all
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)
        self._arm()

    def _arm(self) -> None:
        self._disarm()
        self._header_timer = self.loop.call_later(header_timeout(), self._headers_late)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_late(self) -> None:
        self._header_timer = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.transport.close()  # no complete request headers in time: free the connection

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE:  # the headers are in: the app bounds the body
            self._disarm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm()

    def pause_writing(self) -> None:
        super().pause_writing()
        if self._write_timer is None:
            self._write_timer = self.loop.call_later(header_timeout(), self._write_late)

    def resume_writing(self) -> None:
        self._cancel_write_timer()
        super().resume_writing()

    def _cancel_write_timer(self) -> None:
        if self._write_timer is not None:
            self._write_timer.cancel()
            self._write_timer = None

    def _write_late(self) -> None:
        self._write_timer = None
        if not self.transport.is_closing() or self.flow.write_paused:
            self.transport.abort()  # the client has not read for the whole deadline: drop the answer, free the request

    def send_400_response(self, msg: str) -> None:
        """A request h11 cannot parse (a bad request line, headers too long): 400 with the problem in Chinese, as JSON
        like every other error answer (uvicorn's own is English plain text)."""
        from quanze.web.common import LABEL, problems_json

        why = "无法解析的 HTTP 请求（请求行或请求头格式错误、请求头过长，或不支持的协议升级）"
        body = json.dumps(problems_json([Problem(LABEL, "", why)]), ensure_ascii=False).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), (b"connection", b"close")]
        for event in (h11.Response(status_code=400, headers=headers, reason=b"Bad Request"), h11.Data(data=body), h11.EndOfMessage()):
            self.transport.write(self.conn.send(event))
        self.transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        self._cancel_write_timer()
        super().connection_lost(exc)
