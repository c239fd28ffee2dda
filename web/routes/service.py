"""Service status and pages: ``/healthz`` (tag service), the form page, the favicon, ReDoc's bundle without its logo from the internet."""

from __future__ import annotations

import functools
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, JSONResponse, Response

from quanze.web.common import STATIC
from quanze.web.models import (
    Health,
)
from quanze.web.service import Web


@functools.cache
def _redoc_js() -> bytes:
    """ReDoc's bundle without the one image it fetches from the internet (its logo, from cdn.redoc.ly)."""
    import fastapi_offline

    path = Path(fastapi_offline.__file__).parent / "static" / "redoc.standalone.js"
    return path.read_bytes().replace(b"https://cdn.redoc.ly/redoc/logo-mini.svg", b"data:,")


def router(web: Web) -> APIRouter:
    """The routes of the tag 'service'."""
    routes = APIRouter()
    service, load = web.service, web.load

    @routes.get("/healthz", tags=["service"], summary="就绪检查", operation_id="healthz", response_model=Health,
                responses={503: {"model": Health, "description": "规则尚未加载完成"}})
    async def healthz() -> Response:
        """规则加载并编译完成后回答 200（含规则版本、事项数、预热的样例数、进行中的请求数），此前回答 503（starting）；
        进行中的请求达到上限、其他请求都会得到 503 时，也回答 503（busy）。不需要访问令牌。"""
        r = service.rules
        if r is None:
            return JSONResponse({"status": "starting"}, status_code=503)
        answer = {"status": "ok", "rules_version": r.version, "items": len(r.items), "warmed_up": service.warmed,
                  "in_progress": load.active}
        if load.full():  # every other request would get 503 now: say so (web/security.py Load)
            return JSONResponse({**answer, "status": "busy"}, status_code=503, headers={"Retry-After": "1"})
        return JSONResponse(answer)

    @routes.get("/", include_in_schema=False)
    async def form() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")

    @routes.get("/favicon.ico", include_in_schema=False)
    async def favicon() -> Response:
        return Response(status_code=204)

    @routes.get("/static-docs/redoc.standalone.js", include_in_schema=False)
    async def redoc_js() -> Response:
        return Response(_redoc_js(), media_type="text/javascript; charset=utf-8")

    return routes
