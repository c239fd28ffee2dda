"""The application's own middleware: the cap on requests in progress, the request id and its log line, the token."""

from __future__ import annotations

import hmac
import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse

from quanze.engine.model.errors import Problem
from quanze.web.common import LABEL, problems_json


class Limit:
    """ASGI middleware: at most ``limit`` requests in progress, beyond that 503 at once; /healthz always passes.

    uvicorn's own ``limit_concurrency`` counts open connections too and refuses /healthz with the rest, so
    it is set higher (cli/server.py) and this limit keeps the capacity for the health check.
    """

    def __init__(self, app: Any, limit: int) -> None:
        self.app = app
        self.limit = limit
        self.active = 0

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http" or scope["path"] == "/healthz":
            return await self.app(scope, receive, send)
        if self.active >= self.limit:
            busy = problems_json([Problem("服务", "", f"同时处理的请求已达上限 {self.limit}，请稍后再试")])
            return await JSONResponse(busy, status_code=503, headers={"Retry-After": "1"})(scope, receive, send)
        self.active += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.active -= 1


_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
log = logging.getLogger("quanze.web")


class RequestId:
    """ASGI middleware: every answer carries ``X-Request-ID`` (the caller's, when it sends a short plain one, else a new
    one), and the server log has one line per request with it: id, method, path, status, milliseconds."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        given = next((v for k, v in scope.get("headers", ()) if k == b"x-request-id"), b"").decode("latin-1")
        rid = given if _REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = rid
        status, start = 0, time.perf_counter()

        async def sending(message: dict) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message = {**message, "headers": [*message.get("headers", []), (b"x-request-id", rid.encode())]}
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            ms = (time.perf_counter() - start) * 1000
            log.info("%s %s %s %s %.0f ms", rid, scope.get("method", ""), scope.get("path", ""), status or "-", ms)


def token_guard(token: str) -> Callable:
    """The HTTP middleware of QUANZE_TOKEN: every /api/ request carries ``Authorization: Bearer <token>``, else 401."""

    async def _guard(request: Request, call_next):
        if request.url.path.startswith("/api/"):
            scheme, _, given = request.headers.get("authorization", "").partition(" ")
            if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip(" ").encode(), token.encode()):  # RFC 7235
                problems = problems_json([Problem(LABEL, "Authorization", "缺少或错误的访问令牌（Bearer）")])
                return JSONResponse(problems, 401, headers={"WWW-Authenticate": "Bearer"})
        return await call_next(request)


    return _guard
