"""A request's body and an answer's: the media types served, the body parsed (JSON or YAML, bounded), a parsed
draft as JSON values, the JSON answers."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from fastapi import Request
from fastapi.responses import Response

from quanze.engine import api
from quanze.engine.model.drafts import parse_text
from quanze.engine.model.errors import Problem, show_value
from quanze.engine.model.yamlio import TooManyItems, YamlProblem, count_nodes
from quanze.web.common import LABEL, RequestProblem

YAML_TYPES = ("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml")
DRAFT_TYPES = ("application/json", *YAML_TYPES)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def json_answer(payload: Any, status: int = 200) -> Response:
    """A JSON answer of a payload, written as ``--format json`` writes it (``api.to_json``)."""
    return Response(api.to_json(payload), status_code=status, media_type="application/json")


def plain(value: Any) -> Any:
    """Loaded YAML (line-remembering mappings) as plain JSON values."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


_JSON_SCALARS = (str, int, float, bool, type(None))


def portable(value: Any, path: str = "", inexact: list[str] | None = None) -> tuple[Any, list[str]]:
    """A parsed draft as JSON values, and the field paths where JSON cannot carry it as it is.

    A key that is not text (``1:``, ``null:``), a number that is not finite (``.inf``), a ``!!binary``
    or ``!!timestamp`` value and the like are turned into text and named, so the form knows that only
    the original file, sent unchanged, checks exactly as ``quanze check`` of it does.
    """
    out = [] if inexact is None else inexact
    if isinstance(value, dict):
        doc = {}
        for key, item in value.items():
            sub = f"{path}.{key}" if path else str(key)
            if not isinstance(key, str):
                out.append(sub)
            doc[str(key)] = portable(item, sub, out)[0]
        return doc, out
    if isinstance(value, list):
        return [portable(v, f"{path}[{i}]", out)[0] for i, v in enumerate(value)], out
    if isinstance(value, float) and not math.isfinite(value):
        out.append(path)
        return str(value), out
    if isinstance(value, _JSON_SCALARS):
        return value, out
    out.append(path)
    return str(plain(value)), out


def media_type(request: Request, allowed: tuple[str, ...] = DRAFT_TYPES) -> str:
    """The request's media type; 415 (Chinese) unless it is one of ``allowed`` (a missing one included)."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media not in allowed:
        expected = "application/json 或 application/yaml" if "application/yaml" in allowed else " 或 ".join(allowed)
        given = show_value(media) if media else "（未给出）"
        raise RequestProblem(415, [Problem(LABEL, "Content-Type", f"期望 {expected}，实际为 {given}")])
    return media


def json_bytes(text: str | bytes, status: int = 200) -> Response:
    """A JSON answer already written."""
    return Response(text, status_code=status, media_type="application/json")


def parse_body(body: bytes, media: str, max_items: int | None = None) -> Any:
    """The document of a request body: JSON, or YAML by its content type (checked by ``_media``).

    A YAML body is counted while libyaml parses it (yamlio.count_nodes), before anything is built: a
    list past ``max_items`` is 413 at once, a body of more values than any batch of drafts holds is 422."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RequestProblem(422, [Problem(LABEL, "", "不是 UTF-8 编码的文本")]) from None
    if not text.strip():
        raise RequestProblem(422, [Problem(LABEL, "", "请求体为空")])
    if media != "application/json":
        try:
            count_nodes(text, max_items=max_items)
        except TooManyItems as exc:
            msg = f"一次批量检查至多 {max_items} 份草稿（QUANZE_MAX_BATCH），实际超过 {exc.count - 1} 份；请分批发送"
            raise RequestProblem(413, [Problem(LABEL, "", msg)]) from None
        except YamlProblem as exc:
            raise RequestProblem(422, [Problem(LABEL, f"第 {exc.line} 行", exc.reason)]) from None
    return parse_text(text, LABEL, as_json=media == "application/json")
