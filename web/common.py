"""What every part of the web service shares: the "file" of a request's problems, the error answer, the static folder."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect

from quanze.engine import api
from quanze.engine.model.errors import InputError, Problem, expected_text, show_value

LABEL = "请求"  # the "file" of a draft sent in a request
STATIC = Path(str(resources.files("quanze.web"))) / "static"


class RequestProblem(Exception):
    """A request that cannot be served: HTTP status and Chinese problems."""

    def __init__(self, status: int, problems: list[Problem]) -> None:
        super().__init__(status)
        self.status = status
        self.problems = problems


def problems_json(problems: list[Problem]) -> dict[str, Any]:
    """The body of an error answer: each problem, and the same lines ``quanze check`` prints."""
    return api.problems_body(problems)


def refusal(status: int, problems: list[Problem], headers: dict[str, str] | None = None) -> Response:
    """An error answer of a middleware: the problems as JSON."""
    return JSONResponse(problems_json(problems), status_code=status, headers=headers)


def validation_text(error: dict[str, Any]) -> Problem:
    """A query or path parameter FastAPI could not read, in Chinese."""
    where = ".".join(str(x) for x in error.get("loc", ())[1:]) or "参数"
    kind = error.get("type", "")
    if kind == "missing":
        return Problem(LABEL, where, "缺少此参数")
    day = "日期 YYYY-MM-DD"
    expected = {"bool_parsing": "true 或 false", "bool_type": "true 或 false", "int_parsing": "整数",
                "date_from_datetime_parsing": day, "date_parsing": day, "date_from_datetime_inexact": day}
    given = show_value(error.get("input"))
    return Problem(LABEL, where, f"期望{expected.get(kind) or expected_text(error)}，实际为 {given}")


def answer_problems(app: Any) -> None:
    """Every error of the application answered with its problems in Chinese (problems_json)."""

    @app.exception_handler(RequestProblem)
    async def _request_problem(request: Request, exc: RequestProblem) -> Response:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return JSONResponse(problems_json(exc.problems), status_code=exc.status, headers=headers)

    @app.exception_handler(InputError)
    async def _input_error(request: Request, exc: InputError) -> Response:
        return JSONResponse(problems_json(exc.problems), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        headers = dict(exc.headers or {})
        if exc.status_code == 404:
            problem = Problem(LABEL, "地址", f"没有此地址：{show_value(request.url.path)}（接口见 /docs）")
        elif exc.status_code == 405:
            allowed = headers.get("allow") or headers.get("Allow") or ""
            problem = Problem(LABEL, "方法", f"此地址不接受 {request.method}" + (f"，只接受 {allowed}" if allowed else ""))
        else:
            problem = Problem(LABEL, "", f"无法处理此请求（HTTP {exc.status_code}）")
        return JSONResponse(problems_json([problem]), status_code=exc.status_code, headers=headers or None)

    @app.exception_handler(ClientDisconnect)
    async def _gone(request: Request, exc: ClientDisconnect) -> Response:
        """The client hung up while sending its body: nothing to answer (499 in the log, no traceback)."""
        return Response(status_code=499)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        return JSONResponse(problems_json([validation_text(e) for e in exc.errors()]), status_code=422)
