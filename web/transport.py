"""The HTTP protocol ``quanze serve`` gives uvicorn: h11 with TCP_NODELAY on every connection.

With ``--workers N`` uvicorn binds the listening socket itself (``socket.socket(family)``, protocol 0),
and asyncio then leaves Nagle's algorithm on for accepted connections; a keep-alive client (a 办案系统)
waits for the 40 ms delayed ACK on every response (measured: 44 ms for /healthz with 2 workers,
1 ms with 1). Setting TCP_NODELAY here gives every worker count the same latency.
"""

from __future__ import annotations

import contextlib
import socket

from uvicorn.protocols.http.h11_impl import H11Protocol


class NoDelayH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, with Nagle's algorithm off on TCP connections."""

    def connection_made(self, transport) -> None:  # type: ignore[no-untyped-def]
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            with contextlib.suppress(OSError):  # not a TCP socket after all
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)
