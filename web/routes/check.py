"""The routes of the tag check: a draft checked, its deadlines, a batch, the 意见书 and the party's documents (.docx)."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import Response

from quanze.engine import api
from quanze.engine.model.errors import InputError, Problem
from quanze.engine.model.ruleset import RuleSet
from quanze.web.bodies import DOCX, json_answer, json_bytes
from quanze.web.common import LABEL, RequestProblem, problems_json
from quanze.web.middleware import log
from quanze.web.models import (
    BatchResults,
    Deadlines,
    Result,
    answers,
)
from quanze.web.service import Web, check_raw

BATCH_CHUNK = 10  # drafts checked per turn of the checking thread (a few tens of ms)


def checked(rules: RuleSet, raw: Any, label: str, explain: bool) -> str:
    """Job (web/checking.py): the JSON answer of one draft document."""
    return api.to_json(check_raw(raw, rules, label, explain))


def deadlines_of(rules: RuleSet, raw: Any, label: str, day: dt.date) -> dict[str, Any]:
    """Job: the deadlines of one draft document."""
    return api.deadlines_document(raw, rules, label, day)


def checked_chunk(rules: RuleSet, docs: list[Any], start: int) -> list[bytes]:
    """Job: the JSON answers of a batch's drafts ``docs`` (the first is the batch's ``start``-th), a refusal in place."""
    out = []
    for i, doc in enumerate(docs, start):
        label = f"{LABEL}[{i}]"
        try:
            out.append(api.to_json(check_raw(doc, rules, label)).encode())
        except InputError as exc:
            out.append(api.to_json({"file": label, **problems_json(exc.problems)}).encode())
    return out


def opinion_of(rules: RuleSet, raw: Any, label: str) -> tuple[str, bytes]:
    """Job: the case number and the 法制审核意见书 (.docx) of one draft document."""
    result, data = api.opinion(api.read_document(raw, rules, label), rules, label)
    return result.case_id, data


def document_of(rules: RuleSet, raw: Any, label: str, kind: str) -> tuple[str, bytes, list[str]]:
    """Job: the case number, the 告知书 or 决定书 (.docx) and its blanks of one penalty draft document."""
    result, data, blanks = api.document(kind, api.read_document(raw, rules, label), rules, label)
    return result.case_id, data, blanks


def attachment(case_id: str, title: str = "法制审核意见书") -> str:
    """Content-Disposition of a 意见书: an ASCII filename and the Chinese one (RFC 6266 ``filename*``),
    the case number without hidden characters or path separators."""
    from urllib.parse import quote

    from quanze.engine.model.text import hidden

    number = "".join(c for c in case_id if not hidden(c) and c not in '/\\:*?"<>|')[:80]
    name = f"{title}（{number}）.docx" if number.strip() else f"{title}.docx"
    ascii_name = {"行政处罚事先告知书": "notice", "行政处罚决定书": "decision"}.get(title, "opinion") + ".docx"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


def router(web: Web) -> APIRouter:
    """The routes of the tag 'check'."""
    routes = APIRouter()
    service, rules, pinned, document, checked_body = web.service, web.rules, web.pinned, web.document, web.checked
    post_errors = web.post_errors
    max_batch, request_timeout, batches = web.max_batch, web.request_timeout, web.batches

    draft_body = {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/Draft"}},
                "application/yaml": {"schema": {"type": "string", "description": "YAML 草稿（与文件格式相同）"}},
            },
        }
    }

    version_doc = "可选：调用方所用的规则版本（/healthz 的 rules_version）；与本服务的不同时回答 409"

    @routes.post("/api/v1/check", tags=["check"], summary="检查一份草稿", operation_id="check", openapi_extra=draft_body,
                 response_model=Result, responses=answers(409, *post_errors))
    async def check_one(
        request: Request, explain: bool = False, rules_version: str | None = Query(None, description=version_doc)
    ) -> Response:
        """一份草稿：JSON，或 ``Content-Type: application/yaml`` 的 YAML。200：检查结果，与 ``quanze check --format json``
        相同；``explain=true`` 附上推理过程（同 ``quanze explain``）。422：每个问题一行中文（文件为“请求”）；413：请求体超过上限。"""
        pinned(rules(), rules_version)  # 409 unless the service has the named version; 503 while loading
        return json_bytes(await checked_body(request, checked, LABEL, explain))

    @routes.post("/api/v1/deadlines", tags=["check"], summary="期限预警", operation_id="deadlines", openapi_extra=draft_body,
                 response_model=Deadlines, responses=answers(409, *post_errors))
    async def deadlines(request: Request, today: str | None = Query(None, description="日期 YYYY-MM-DD（默认：服务器的当天）"),
                        rules_version: str | None = Query(None, description=version_doc)) -> Response:
        """草稿同 /api/v1/check。200：``{"today", "deadlines": [...]}``，每个环节的最后合法日期及其在 ``today``
        （默认：服务器的当天）的状态，同 ``quanze deadlines --format json``；422 同 /api/v1/check。"""
        pinned(rules(), rules_version)
        day = api.day_of(today, LABEL) if today else dt.date.today()
        return json_answer(await checked_body(request, deadlines_of, LABEL, day))

    batch_body = {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": {"type": "array", "maxItems": max_batch, "items": {"$ref": "#/components/schemas/Draft"}}},
                "application/yaml": {"schema": {"type": "string", "description": "YAML 草稿的列表"}},
            },
        }
    }

    batch_doc = (
        f"草稿的列表（JSON 或 YAML），至多 {max_batch} 份（QUANZE_MAX_BATCH）。200：``{{\"results\": [...]}}``，按顺序；"
        f"无法检查的一份在其位置给出 ``{{\"file\": \"请求[i]\", \"problems\": [...], \"lines\": [...]}}``。超过份数上限：413。"
    )

    @routes.post("/api/v1/check:batch", tags=["check"], summary="批量检查", operation_id="check_batch", openapi_extra=batch_body,
                 description=batch_doc, response_model=BatchResults, responses=answers(409, *post_errors))
    async def check_batch(request: Request, rules_version: str | None = Query(None, description=version_doc)) -> Response:
        pinned(rules(), rules_version)
        docs = await document(request, max_items=max_batch)
        if not isinstance(docs, list):
            raise RequestProblem(422, [Problem(LABEL, "", "期望草稿的列表 [ … ]")])
        if len(docs) > max_batch:
            msg = f"一次批量检查至多 {max_batch} 份草稿（QUANZE_MAX_BATCH），实际为 {len(docs)} 份；请分批发送"
            raise RequestProblem(413, [Problem(LABEL, "", msg)])

        parts: list[bytes] = []
        gone = asyncio.Event()

        async def watch() -> None:  # the body is read: the next message is the client's hang-up (request.is_disconnected
            while (await request.receive())["type"] != "http.disconnect":  # cannot see it through an "http" middleware)
                pass
            gone.set()

        watcher = asyncio.ensure_future(watch())
        try:
            async with batches:
                deadline = asyncio.get_running_loop().time() + request_timeout
                for start in range(0, len(docs), BATCH_CHUNK):  # a single check queued meanwhile runs between two chunks
                    if gone.is_set():  # the client hung up: no one will read the rest
                        rid = request.scope.get("state", {}).get("request_id", "-")
                        log.info("%s batch stopped: client gone after %d of %d drafts", rid, start, len(docs))
                        return Response(status_code=499)
                    parts.extend(await service.run(checked_chunk, docs[start : start + BATCH_CHUNK], start))
                    if start + BATCH_CHUNK < len(docs) and asyncio.get_running_loop().time() > deadline:
                        msg = (f"批量检查超过 {request_timeout:g} 秒（QUANZE_REQUEST_TIMEOUT），检查了前 {start + BATCH_CHUNK} 份后停止；"
                               "请分成更小的批次")
                        raise RequestProblem(503, [Problem("服务", "", msg)])
        finally:
            watcher.cancel()
        return json_bytes(b'{"results": [' + b", ".join(parts) + b"]}")

    docx_answer = {200: {"content": {DOCX: {}}, "description": "法制审核意见书（Word 文档）"}}

    @routes.post("/api/v1/opinion", tags=["check"], summary="生成法制审核意见书（.docx）", operation_id="opinion", openapi_extra=draft_body,
                 response_class=Response, responses={**docx_answer, **answers(409, *post_errors)})
    async def opinion(request: Request, rules_version: str | None = Query(None, description=version_doc)) -> Response:
        """草稿同 /api/v1/check。200：法制审核意见书（Word 文档），与 ``quanze check --format docx`` 相同；
        422：每个问题一行中文，同 /api/v1/check。"""
        pinned(rules(), rules_version)
        case_id, data = await checked_body(request, opinion_of, LABEL)
        return Response(data, media_type=DOCX, headers={"Content-Disposition": attachment(case_id)})

    document_answer = {200: {"content": {DOCX: {}}, "description": "行政处罚事先告知书或行政处罚决定书（Word 文档）"}}

    @routes.post("/api/v1/document/{kind}", tags=["check"], summary="生成事先告知书或处罚决定书（.docx）", operation_id="document",
                 openapi_extra=draft_body, response_class=Response, responses={**document_answer, **answers(409, *post_errors)})
    async def party_document(
        request: Request,
        kind: Literal["notice", "decision"] = PathParam(description="notice 行政处罚事先告知书；decision 行政处罚决定书"),
        rules_version: str | None = Query(None, description=version_doc),
    ) -> Response:
        """行政处罚草稿同 /api/v1/check。200：文书（Word 文档），与 ``quanze document`` 相同；案卷未载明、文书中留空的
        内容在响应头 X-Quanze-Blanks（URL 编码，以“、”分隔）；422：每个问题一行中文。"""
        from urllib.parse import quote

        pinned(rules(), rules_version)
        case_id, data, blanks = await checked_body(request, document_of, LABEL, kind)
        title = {"notice": "行政处罚事先告知书", "decision": "行政处罚决定书"}[kind]
        headers = {"Content-Disposition": attachment(case_id, title), "X-Quanze-Blanks": quote("、".join(blanks), safe="")}
        return Response(data, media_type=DOCX, headers=headers)

    return routes
