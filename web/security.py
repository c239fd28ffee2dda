"""Browser headers, a Host check and a cap per client for ``quanze serve`` (one ASGI middleware, ``Guard``).

Every answer carries ``X-Content-Type-Options: nosniff``, ``Referrer-Policy: no-referrer``,
``X-Frame-Options: DENY`` and a Content-Security-Policy (``frame-ancestors 'none'``): the form and the
API docs load scripts and styles from this server only; the inline script of the Swagger UI page and
the inline styles of the docs pages are allowed by their SHA-256 hashes, computed from the page itself
(ReDoc and Swagger UI also set styles from script, so ``style-src`` keeps ``'unsafe-inline'`` on the
two docs pages only). Answers to ``POST /api/…`` carry a party's data: ``Cache-Control: no-store``.

With ``QUANZE_ALLOWED_HOSTS`` set (required by ``quanze serve`` when it listens beyond loopback), a
request whose ``Host`` is not one of them is refused (400): a page on another origin cannot reach the
API through a DNS name rebound to this server.

A client holds at most ``MAX_PER_CLIENT`` requests in progress (by address; behind a reverse proxy
uvicorn's ``--proxy-headers`` gives the real one): one client that never reads its answers cannot take
the whole requests cap (web/middleware.py ``Limit``) from the others. ``Load`` counts what is in progress, so
``/healthz`` can say when the server is full.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable
from typing import Any

from quanze.engine.model.errors import Problem

MAX_PER_CLIENT = 64  # requests in progress from one address (the requests cap per process is 256)
_BASE_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "worker-src": "'self' blob:",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
_DOCS = ("/docs", "/redoc")
_INLINE = re.compile(rb"<(script|style)(?![^>]*\bsrc=)[^>]*>(.*?)</\1>", re.S | re.I)
_FIXED = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]


def csp(path: str, page: bytes = b"") -> str:
    """The Content-Security-Policy of an answer: inline scripts and styles of ``page`` allowed by hash."""
    policy = dict(_BASE_CSP)
    for kind, body in _INLINE.findall(page):
        digest = base64.b64encode(hashlib.sha256(body).digest()).decode()
        key = "script-src" if kind.lower() == b"script" else "style-src"
        policy[key] += f" 'sha256-{digest}'"
    if path in _DOCS:
        policy["style-src"] = "'self' 'unsafe-inline'"  # the docs bundles set styles from script; no party data there
    return "; ".join(f"{k} {v}" for k, v in policy.items())


class Load:
    """Requests in progress (not /healthz), in all and per client address."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.active = 0
        self.per_client: dict[str, int] = {}

    def full(self) -> bool:
        return self.active >= self.limit


def host_of(scope: dict) -> str:
    """The Host header of a request without its port, lower case."""
    for key, value in scope.get("headers", ()):
        if key == b"host":
            host = value.decode("latin-1").strip().lower()
            if host.startswith("["):
                return host.split("]")[0] + "]"
            return host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    return ""


class Guard:
    """ASGI middleware: Host check, cap per client, in-progress count, and the browser headers of every answer."""

    def __init__(self, app: Any, load: Load, allowed_hosts: frozenset[str] = frozenset(), per_client: int = MAX_PER_CLIENT,
                 refuse: Callable[[int, list[Problem], dict[str, str] | None], Any] | None = None) -> None:
        self.app = app
        self.load = load
        self.allowed_hosts = allowed_hosts
        self.per_client = per_client
        self.refuse = refuse

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = scope["path"]
        secured = self._secured(send, path, scope["method"] == "POST" and path.startswith("/api/"))
        if self.allowed_hosts and host_of(scope) not in self.allowed_hosts:
            msg = "请求的 Host 不是本服务的地址（QUANZE_ALLOWED_HOSTS），拒绝处理"
            return await self._refused(400, msg, scope, receive, secured)
        if path == "/healthz":
            return await self.app(scope, receive, secured)
        client = (scope.get("client") or ("", 0))[0]
        held = self.load.per_client.get(client, 0)
        if held >= self.per_client:
            msg = f"同一客户端同时进行的请求已达上限 {self.per_client}，请等待之前的请求完成"
            return await self._refused(503, msg, scope, receive, secured, {"Retry-After": "1"})
        self.load.per_client[client] = held + 1
        self.load.active += 1
        try:
            await self.app(scope, receive, secured)
        finally:
            self.load.active -= 1
            left = self.load.per_client[client] - 1
            if left:
                self.load.per_client[client] = left
            else:
                del self.load.per_client[client]

    async def _refused(self, status: int, msg: str, scope: dict, receive: Callable, send: Callable,
                       headers: dict[str, str] | None = None) -> None:
        assert self.refuse is not None
        await self.refuse(status, [Problem("请求", "", msg)], headers)(scope, receive, send)

    def _secured(self, send: Callable, path: str, private: bool) -> Callable:
        """``send`` adding the headers; an HTML page is held until complete, to hash its inline parts."""
        held: dict[str, Any] = {}

        async def secured(message: dict) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k not in (b"content-security-policy", b"cache-control")]
                headers += _FIXED
                if private:
                    headers.append((b"cache-control", b"no-store"))
                html = any(k == b"content-type" and v.startswith(b"text/html") for k, v in headers)
                if html:
                    held["start"] = {**message, "headers": headers}
                    held["body"] = []
                    return
                headers.append((b"content-security-policy", csp(path).encode()))
                await send({**message, "headers": headers})
                return
            if message["type"] == "http.response.body" and "start" in held:
                held["body"].append(message.get("body", b""))
                if message.get("more_body", False):
                    return
                page = b"".join(held.pop("body"))
                start = held.pop("start")
                start["headers"] = [*start["headers"], (b"content-security-policy", csp(path, page).encode())]
                await send(start)
                await send({"type": "http.response.body", "body": page})
                return
            await send(message)

        return secured
