"""Chinese labels of draft fields, derived facts and coded values: the one table the output reads.

``FIELDS`` names every field of a draft (path without list indices); it is derived from the
``Field(title=…)`` of the models in ``engine/model/drafts.py``, the one place a field's name is written. The label
and source field of every derived fact are in the facts registry, ``engine/model/facts.py``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Any, get_args

from pydantic import BaseModel


def _submodels(annotation: object) -> list[type[BaseModel]]:
    """The models a field holds (through Optional, Annotated and list)."""
    out, stack = [], [annotation]
    while stack:
        tp = stack.pop()
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            out.append(tp)
        else:
            stack.extend(get_args(tp))
    return out


def _walk(model: type[BaseModel], prefix: str, parent: str) -> Iterator[tuple[str, str, str, str, dict[str, str]]]:
    """(path, title, description, full label, value labels) of every field of a model and of the models it holds."""
    from quanze.engine.model.drafts import field_choices

    relative = getattr(model, "RELATIVE_TITLES", False)
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        title = info.title or name
        full = parent + title if relative else title
        yield path, title, info.description or "", full, field_choices(info)
        for sub in _submodels(info.annotation):
            yield from _walk(sub, f"{path}.", full)


@functools.cache
def field_tables() -> tuple[dict[str, str], dict[str, str], dict[str, str], dict[str, dict[str, str]]]:
    """(FIELDS, TITLES, DESCRIPTIONS, CHOICES), walked once from the draft models of engine/model/drafts.py.

    The one source of a field's Chinese name is its ``Field(title=…)``; a path several kinds share
    (kind, case_id, decision …) has the same title in each (tests/test_labels.py), the first kind's
    description is kept.
    """
    from quanze.engine.model.drafts import MODELS

    fields: dict[str, str] = {}
    titles: dict[str, str] = {}
    descriptions: dict[str, str] = {}
    choices: dict[str, dict[str, str]] = {}
    for model in MODELS.values():
        for path, title, description, full, values in _walk(model, "", ""):
            fields.setdefault(path, full)
            titles.setdefault(path, title)
            descriptions.setdefault(path, description)
            if values:
                choices.setdefault(path, values)
    return fields, titles, descriptions, choices


# path (without list indices) -> full label, for output (当事人名称, 执法人员姓名)
FIELDS: dict[str, str] = field_tables()[0]
# path -> the field's own title, for a form or template that shows it under its parent (名称或姓名)
TITLES: dict[str, str] = field_tables()[1]
# path -> the field's description: units, what null means
DESCRIPTIONS: dict[str, str] = field_tables()[2]
# path -> {value: Chinese label} of a field with coded values (harm: none → 无)
CHOICES: dict[str, dict[str, str]] = field_tables()[3]

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

# params of rules/params/*.yaml by group, for the assumptions a trace states
PARAM_GROUPS: dict[str, str] = {
    "hearing_threshold": "听证“较大数额”标准",
    "hearing_threshold_highest_known": "听证“较大数额”已知最高标准",
    "hearing": "听证期限",
    "limitation": "追责时效",
    "officers": "执法人员人数",
    "summary": "简易程序限额",
    "decision": "办案期限",
    "service": "送达期限",
    "filing": "备案期限",
    "verification": "核查期限",
    "supplement": "补正期限",
}

PARAM_WORDS = {
    "individual": "公民",
    "organization": "单位",
    "days": "日",
    "workdays": "个工作日",
    "years": "年",
    "min": "下限",
    "max": "上限",
}


def param_word(path: str) -> str:
    """The last part of a parameter name in words (xzcf.hearing_threshold.individual → 公民)."""
    last = path.rsplit(".", 1)[-1]
    return PARAM_WORDS.get(last, last)


_INDEX = re.compile(r"\[(\d+)\]")


def field_label(path: str) -> str:
    """``violation.factors[0]`` → 第 1 项违法情节; an unknown path: its nearest known parent·the rest."""
    if not path:
        return ""
    indices = [int(i) + 1 for i in _INDEX.findall(path)]
    bare = _INDEX.sub("", path)
    if bare.startswith("facts.") and bare not in FIELDS:
        label = f"事项事实“{bare.split('.', 1)[1]}”"
    else:
        parts = bare.split(".")
        label = ""
        while parts:
            key = ".".join(parts)
            if key in FIELDS:
                label = FIELDS[key] + ("" if key == bare else f"·「{bare[len(key) + 1 :]}」")
                break
            parts.pop()
        label = label or bare
    if indices:
        label = "".join(f"第 {i} 项" for i in indices) + label
    return label


MONEY_FACTS = {
    "fine_amount",
    "illegal_gains",
    "confiscated_gains",
    "confiscation_diff",
    "fine_increase",
    "proposed_fine",
    "fee_charged",
    "gains_to_confiscate",
    "restitution",
}


def unit_of(fact: str) -> str:
    """The unit a numeric fact is counted in (元, 个工作日, 日, 年, 人, 项), "" when none."""
    if fact in MONEY_FACTS:
        return "元"
    if fact.endswith("_workdays"):
        return "个工作日"
    if fact.endswith("_days") or fact.startswith("days_"):
        return "日"
    if fact.startswith("years_"):
        return "年"
    if fact in ("n_officers", "n_uncertified", "n_inspectors"):
        return "人"
    if fact.startswith("n_") or fact == "prior_violations":
        return "项" if fact != "prior_violations" else "次"
    return ""


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
