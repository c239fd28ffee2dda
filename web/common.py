"""What every part of the web service shares: the "file" of a request's problems, the error answer, the static folder."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from fastapi.responses import JSONResponse, Response

from quanze.engine.model.errors import Problem
from quanze.engine.present import output as present

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
    return {
        "problems": [{"file": p.file, "where": p.where, "message": p.message} for p in problems],
        "lines": [present.problem_text(p) for p in problems],  # the lines `quanze check` prints on stderr
    }


def refusal(status: int, problems: list[Problem], headers: dict[str, str] | None = None) -> Response:
    """An error answer of a middleware: the problems as JSON."""
    return JSONResponse(problems_json(problems), status_code=status, headers=headers)
