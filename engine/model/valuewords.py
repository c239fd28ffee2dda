"""Coded values and numeric facts in words (individual → 公民, 3 → 3 个工作日): below the draft models, which word
their problems with them, and re-exported by engine/model/labels.py. A fact's unit is in the facts registry
(engine/model/facts.py)."""

from __future__ import annotations

from typing import Any

from quanze.engine.model.facts import MONEY_FACTS, unit_of

__all__ = ["MONEY_FACTS", "VALUES", "unit_of", "value_text"]

VALUES: dict[str, str] = {
    # approval_<measure> (engine/check/facts.py approval_state)
    "approved": "已由规定的负责人批准",
    "unverified": "批准人不能确定",
    "missing": "未经规定的负责人批准",
    "organization": "单位",
    "individual": "公民",
    "general": "普通程序",
    "summary": "简易程序",
    "none": "无",
    "minor": "轻微",
    "serious": "严重",
    "below_min": "低于法定下限",
    "above_max": "高于法定上限",
    "accepted": "予以备案",
    "rejected": "不予受理",
    "supplement_requested": "要求补正",
    "handled": "已处理",
    "transferred": "已移交",
    "random": "双随机抽查",
    "complaint": "投诉举报",
    "referral": "移送",
    "ex_officio": "依职权",
    "special": "专项检查",
    "penalty": "行政处罚",
    "full": "完全",
    "partial": "部分",
    "unknown": "未记载",
    "filing": "备案",
    "inspection": "行政检查",
    "pass": "通过",
    "warn": "通过（有警告）",
    "fail": "不通过",
    "incomplete": "未完成",
}


def value_text(value: Any, fact: str = "") -> str:
    """A fact value in words: 是/否, 不适用 for -1 day counts, coded values in Chinese, numbers with units."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float) and value == -1 and fact and not fact.endswith(("_diff", "_increase")) and fact not in MONEY_FACTS:
        return "不适用"
    if isinstance(value, int | float):
        unit = unit_of(fact)
        return f"{value} {unit}" if unit else str(value)
    if isinstance(value, str):
        if value == "":
            return "（空）"
        return VALUES.get(value, value)
    return str(value)
