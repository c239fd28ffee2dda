"""The routes of the tag form: what the officer form needs — a document read into a case file, a draft's text read and
written, field names and words, the sample cases of class mode."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

import yaml
from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from quanze.engine import api
from quanze.engine.model.errors import Problem, show_value
from quanze.engine.model.labels import FIELDS
from quanze.engine.present import output as present
from quanze.web.bodies import DOCX, DRAFT_TYPES, json_answer, json_bytes, media_type, parse_body, plain, portable
from quanze.web.common import LABEL, RequestProblem
from quanze.web.models import (
    MAPPING,
    Parsed,
    SampleCaseDetail,
    SampleCases,
    answers,
)
from quanze.web.service import Web


def _all_cases(found: dict[str, Any]) -> dict[str, Any]:
    """The answer of ``GET /api/v1/cases`` without a page: every case, as a page of all of them."""
    cases = found["cases"]
    return {"cases": cases, "total": len(cases), "offset": 0, "limit": None}


def router(web: Web) -> APIRouter:
    """The routes of the tag 'form'."""
    routes = APIRouter()
    service, rules, built, document, body_of = web.service, web.rules, web.built, web.document, web.body_of
    post_errors, get_errors = web.post_errors, web.get_errors

    as_map = {200: MAPPING, **answers(*get_errors)}

    read_types = (DOCX, "application/pdf", "text/plain")
    read_body = {"requestBody": {"required": True, "content": {t: {"schema": {"type": "string", "format": "binary"}} for t in read_types}}}

    @routes.post("/api/v1/read", tags=["form"], summary="读取文书（决定书、告知书等）为案卷", operation_id="read_document",
                 openapi_extra=read_body, response_model=dict[str, Any], responses=answers(*post_errors))
    async def read_upload(request: Request, name: str = "上传的文书") -> Response:
        """一份文书（.docx、带文字层的 .pdf 或 .txt 的字节，Content-Type 为其类型；``?name=`` 文件名，用于提示）→
        ``{"case", "documents", "values", "choices", "unread", "text"}``：案卷草稿，每个值的来源（文书、段落、原文），
        待选择的读法，未填写的原因，以及 ``quanze read`` 打印的文字。无法读取的文书：422，每个问题一行中文。"""
        media = media_type(request, read_types)
        body = await body_of(request)
        r = rules()
        label = "".join(c for c in name if c.isprintable() and c not in '/\\')[:80].strip() or "上传的文书"
        suffix = {DOCX: ".docx", "application/pdf": ".pdf", "text/plain": ".txt"}[media]
        label = label if label.lower().endswith(suffix) else label + suffix

        def read() -> str:
            from quanze.engine.present.reading import reading_text

            case = api.read_upload(label, body, r)
            return api.to_json({**case.to_json(), "text": reading_text(case)})

        return json_bytes(await service.parse(read))

    text_body = {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": {"type": "object", "description": "JSON 草稿"}},
                "application/yaml": {"schema": {"type": "string", "description": "YAML 草稿（与文件格式相同）"}},
            },
        }
    }

    @routes.post("/api/v1/parse", tags=["form"], summary="读取草稿文本（导入）", operation_id="parse", openapi_extra=text_body,
                 response_model=Parsed, responses=answers(*post_errors))
    async def parse(request: Request) -> Response:
        """YAML 或 JSON 文本 → 草稿的 JSON（不校验；表单导入用）。``inexact`` 列出 JSON 无法原样表示的字段路径
        （不是文本的键、``.inf``、``!!binary`` 值等）。"""
        body = await body_of(request)
        media = media_type(request, DRAFT_TYPES)
        doc, inexact = await service.parse(lambda: portable(parse_body(body, media)))
        if not isinstance(doc, dict):
            raise RequestProblem(422, [Problem(LABEL, "", "期望一个映射 (kind: …)")])
        return json_bytes(await service.parse(lambda: api.to_json({"draft": doc, "inexact": inexact})))

    yaml_body = {"requestBody": {"required": True, "content": {"application/json": {"schema": {"type": "object"}}}}}
    yaml_answer = {200: {"content": {"application/yaml": {}}, "description": "草稿文件格式的 YAML 文本"}}

    @routes.post("/api/v1/yaml", tags=["form"], summary="草稿转为 YAML（下载）", operation_id="to_yaml", openapi_extra=yaml_body,
                 response_class=Response, responses={**yaml_answer, **answers(*post_errors)})
    async def to_yaml(request: Request) -> Response:
        """JSON 文档 → 同一文档的 YAML 文本（草稿文件格式）。只接受 ``application/json``。"""
        doc = await document(request, ("application/json",))
        if not isinstance(doc, dict):
            raise RequestProblem(422, [Problem(LABEL, "", "期望一个映射 (kind: …)")])
        def render() -> str:
            return yaml.safe_dump(plain(doc), allow_unicode=True, sort_keys=False, default_flow_style=False, width=120)

        text = await service.parse(render)
        return Response(text, media_type="application/yaml; charset=utf-8")

    @routes.get("/api/v1/labels", tags=["form"], summary="字段的中文名称", operation_id="labels", responses=as_map)
    async def labels() -> Response:
        """草稿字段路径（不含列表下标）→ 其完整中文名称（如 party.type → 当事人类型），取自模型的字段标题。"""
        return json_answer(FIELDS)

    @routes.get("/api/v1/words", tags=["form"], summary="结论、严重程度、角色的中文名称", operation_id="words",
                responses=as_map)
    async def words() -> Response:
        """结论、严重程度、角色和责任的中文名称，与其他输出相同（engine/present/output.py）。"""
        return json_answer(present.words())

    # --- class mode (issue 20): the sample cases, for web/static/classmode.js ---------------------------
    @routes.get("/api/v1/cases", tags=["form"], summary="样例案例（课堂模式）", operation_id="sample_cases",
                responses={200: {"model": SampleCases | SampleCaseDetail, "description": "一页案例，或 name 所指的一个案例"},
                           **answers(404, 422, *get_errors)})
    async def sample_cases(
        name: Annotated[str | None, Query(description="案例名称，如 penalty/CF-04/fine_above_max")] = None,
        offset: Annotated[int, Query(ge=0, description="从第几个案例起（0 起）")] = 0,
        limit: Annotated[int | None, Query(ge=1, le=1000, description="本页最多几个案例（默认：全部）")] = None,
    ) -> Response:
        """样例案例（名称、事项、标题、预期结论、案情、讲解），按名称排序；``offset``、``limit`` 分页，``total`` 为总数。
        给出 name 时为该案例及其草稿文件原文。"""
        if name is None and offset == 0 and limit is None:  # the whole list: built once, off the event loop
            return json_bytes(await built(("cases", None), lambda r: api.to_json(_all_cases(api.sample_cases(None)))))
        found = await asyncio.get_running_loop().run_in_executor(None, api.sample_cases, name)
        if name is None and found is not None:
            cases = found["cases"]
            end = len(cases) if limit is None else offset + limit
            return json_answer({"cases": cases[offset:end], "total": len(cases), "offset": offset, "limit": limit})
        if found is None:
            raise RequestProblem(404, [Problem(LABEL, "name", f"没有此样例案例：{show_value(name)}")])
        return json_answer(found)

    return routes
