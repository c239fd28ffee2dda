"""Response models of the HTTP API: what OpenAPI documents for each answer (contract §4 and the problem list).

The handlers answer with ``api.to_json`` of the engine's own dictionaries (byte for byte what
``quanze check --format json`` prints); these models describe those bodies so that a generated client gets
typed results, and ``tests/test_openapi.py`` validates real answers against them. The result models name
the contract's fields and allow the documented extensions (``extra="allow"``).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class Problem(BaseModel):
    """一个问题：文件（请求为“请求”）、字段路径、中文说明。"""

    file: str = Field(description="文件名；请求体为“请求”，批量中的第 i 份为“请求[i]”")
    where: str = Field(description="字段路径（如 decision.sanctions[1].amount）；空串表示整份文件")
    message: str = Field(description="中文说明：期望什么、实际是什么")


class Problems(BaseModel):
    """错误回答：每个问题，以及 quanze check 在标准错误上打印的同样的中文行。"""

    problems: list[Problem]
    lines: list[str] = Field(description="与 quanze check 打印的行相同")


class Trigger(_Open):
    list: str = Field(description="权责清单事项编号")
    no: int = Field(description="追责情形的编号（按清单原样，含缺号）")
    text: str


class Accountability(_Open):
    """追责：事项的追责情形、法律依据、责任人及其责任。"""

    triggers: list[Trigger] = []
    persons: list[dict[str, Any]] = []


class Finding(_Open):
    """一条结论。"""

    code: str = Field(description="结论代码（contract §5）")
    severity: Literal["error", "warning", "info"]
    message: str
    basis: list[str] = Field(description="法律依据标签，如“节约能源法 第七十六条”")
    accountability: Accountability | None = None


class Provision(_Open):
    id: str
    law: str
    article: str
    in_force_from: str | None = None
    chosen_because: str | None = None


class Result(_Open):
    """一份草稿的检查结果，与 quanze check --format json 相同（contract §4 及 README 所列扩展）。"""

    file: str
    case_id: str | None = None
    kind: str
    item: str
    verdict: Literal["pass", "warn", "fail", "incomplete"]
    findings: list[Finding]
    provision: Provision | None = None
    fine_range: list[float] | None = None
    bands: dict[str, list[float]] | None = None
    recommended_tier: str | None = None
    rules_version: str
    calendar_warnings: list[Any] = []


class BatchProblem(Problems):
    """批量中无法检查的一份草稿：它的位置和问题。"""

    file: str = Field(description="“请求[i]”")


class BatchResults(BaseModel):
    """批量检查的结果，按请求中的顺序。"""

    results: list[Result | BatchProblem]


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
