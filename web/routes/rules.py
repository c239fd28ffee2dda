"""The routes of the tag rules: the items, their schema, the vocabulary, the finding codes, an article's text."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from quanze.engine import api
from quanze.engine.model.drafts import KINDS
from quanze.engine.model.errors import Problem, did_you_mean, show_value
from quanze.engine.present.draftschema import draft_schema
from quanze.web import catalog
from quanze.web.bodies import json_answer, json_bytes
from quanze.web.common import LABEL, RequestProblem
from quanze.web.models import (
    LISTING,
    MAPPING,
    answers,
)
from quanze.web.service import Web


def router(web: Web) -> APIRouter:
    """The routes of the tag 'rules'."""
    routes = APIRouter()
    rules, built = web.rules, web.built
    get_errors = web.get_errors

    as_list, as_map = {200: LISTING, **answers(*get_errors)}, {200: MAPPING, **answers(*get_errors)}

    @routes.get("/api/v1/items", tags=["rules"], summary="权责清单事项", operation_id="items", responses=as_list)
    async def items() -> Response:
        """19 个事项：编号、名称、类别（行政处罚 / 行政检查 / 其他）和草稿种类。"""
        return json_answer(catalog.items(rules()))

    def known_item(item: str) -> str:
        r = rules()
        if item not in r.catalog:
            raise RequestProblem(404, [Problem(LABEL, "item", f"未知的事项编号 {show_value(item)}" + did_you_mean(item, r.catalog))])
        return item

    @routes.get("/api/v1/items/{item}", tags=["rules"], summary="一个事项", operation_id="item",
                responses={200: MAPPING, **answers(404, *get_errors)})
    async def item(item: str) -> Response:
        """一个事项及其追责情形，以及其表单所需：条文原文、情节、检查事项、检查措施、事实。"""
        return json_answer(catalog.item_detail(rules(), known_item(item)))

    @routes.get("/api/v1/schema", tags=["rules"], summary="草稿的 JSON Schema（全部种类）", operation_id="schema_all", responses=as_map)
    async def schema_all() -> Response:
        """全部种类草稿的 JSON Schema（oneOf），同 ``quanze schema``。"""
        return json_bytes(await built(("schema", None), lambda r: api.to_json(draft_schema(None, r))))

    @routes.get("/api/v1/schema/{kind}", tags=["rules"], summary="一种草稿的 JSON Schema", operation_id="schema",
                responses={200: MAPPING, **answers(404, *get_errors)})
    async def schema(kind: str) -> Response:
        """penalty、filing、inspection 或 complaint 草稿的 JSON Schema（同 ``quanze schema KIND``）。"""
        if kind not in KINDS:
            raise RequestProblem(404, [Problem(LABEL, "kind", f"期望以下之一：{'、'.join(KINDS)}，实际为 {show_value(kind)}")])
        return json_bytes(await built(("schema", kind), lambda r: api.to_json(draft_schema(kind, r))))

    @routes.get("/api/v1/vocabulary", tags=["rules"], summary="封闭词表", operation_id="vocabulary", responses=as_map)
    async def vocabulary() -> Response:
        """处罚种类、检查措施、裁量阶次、案件标记和情节（rules/vocabulary.yaml、rules/discretion/factors.yaml）。"""
        return json_answer(catalog.vocabulary(rules()))

    @routes.get("/api/v1/findings", tags=["rules"], summary="结论代码的中文标题", operation_id="findings",
                responses=as_map)
    async def findings() -> Response:
        """结论代码 → 中文标题和严重程度（rules/findings.yaml）。"""
        return json_answer(catalog.findings(rules()))

    @routes.get("/api/v1/basis", tags=["rules"], summary="依据的条文原文", operation_id="basis",
                responses={200: MAPPING, **answers(404, 422, *get_errors)})
    async def basis(label: str = Query(description="依据标签，如“节约能源法 第七十六条”"),
                    on: Annotated[dt.date | None, Query(description="日期 YYYY-MM-DD：给出当日施行的版本")] = None) -> Response:
        """依据标签（如 ``节约能源法 第七十六条``）背后的条文原文（``on`` 日施行的版本）。"""
        day = on
        found = catalog.basis(rules(), label, day)
        if found is None:
            raise RequestProblem(404, [Problem(LABEL, "label", f"规则中没有此条文：{show_value(label)}")])
        return json_answer(found)

    return routes
