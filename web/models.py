"""Response models of the HTTP API: what OpenAPI documents for each answer (contract §4 and the problem list).

The handlers answer with ``api.to_json`` of the engine's own records (byte for byte what
``quanze check --format json`` prints); these models describe those bodies so that a generated client gets
typed results, and ``tests/test_openapi.py`` validates real answers against them. A check's answer is the engine's
``Result`` record itself (with its ``Finding``, ``Provision``, ``NotChecked``, ``Reasoning`` …: engine/model/findings.py,
records.py, explanation.py), and so is a problem's (``Problem``), so each shape is written once; the others name
their fields here.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from quanze.engine.model.findings import Result
from quanze.engine.model.records import (
    Deadlines,  # noqa: F401  (the answer of POST /api/v1/deadlines, as the engine types it)
    Problem,
)


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class Problems(BaseModel):
    """错误回答：每个问题，以及 quanze check 在标准错误上打印的同样的中文行。"""

    problems: list[Problem]
    lines: list[str] = Field(description="与 quanze check 打印的行相同")


class BatchProblem(Problems):
    """批量中无法检查的一份草稿：它的位置和问题。"""

    file: str = Field(description="“请求[i]”")


class BatchResults(BaseModel):
    """批量检查的结果，按请求中的顺序。"""

    results: list[Result | BatchProblem]


class SampleCase(_Open):
    name: str
    item: str
    title: str
    verdict: str


class SampleCaseDetail(SampleCase):
    """一个样例案例及其草稿文件原文。"""

    text: str = Field(description="草稿文件原文（YAML）")


class SampleCases(_Open):
    """样例案例的一页：total 为总数；offset、limit 为本页的位置与大小。"""

    cases: list[SampleCase]
    total: int | None = None
    offset: int | None = None
    limit: int | None = None


class Parsed(BaseModel):
    """导入的草稿（未校验）及 JSON 无法原样表示的字段路径。"""

    draft: dict[str, Any]
    inexact: list[str]


class Health(_Open):
    status: Literal["ok", "starting", "busy"]
    rules_version: str | None = None
    items: int | None = None
    warmed_up: int | None = None
    in_progress: int | None = None


STATUS_TEXT = {
    400: "请求格式错误（如 Content-Length 不是字节数）",
    401: "缺少或错误的访问令牌（设置了 QUANZE_TOKEN 时）",
    404: "没有此事项、种类、条文或地址",
    405: "此地址不接受该方法",
    408: "客户端未在时限内发送完请求体",
    409: "请求指定的规则版本与服务的不同",
    413: "请求体或批量草稿数超过上限",
    415: "Content-Type 不是所列的类型",
    422: "请求无法读取：每个问题一行中文（与 quanze check 相同）",
    503: "服务繁忙、规则尚未加载或批量检查超时",
}


def answers(*codes: int) -> dict[int | str, dict[str, Any]]:
    """The ``responses`` of a route: each status with the problem list as its body."""
    return {code: {"model": Problems, "description": STATUS_TEXT[code]} for code in codes}


LISTING = {"model": list[dict[str, Any]], "description": "列表"}  # a 200 answer of a list (GET /api/v1/items)
MAPPING = {"model": dict[str, Any], "description": "映射"}  # a 200 answer of a mapping
