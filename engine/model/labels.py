"""Chinese labels of draft fields, derived facts and coded values: the one table the output reads.

``FIELDS`` names every field of a draft (path without list indices); it is derived from the
``Field(title=…)`` of the models in ``engine/model/drafts.py``, the one place a field's name is written. The label
and source field of every derived fact are in the facts registry, ``engine/model/facts.py``.
"""

from __future__ import annotations

import functools

from quanze.engine.model.drafts import MODELS, field_choices
from quanze.engine.model.fieldwalk import label_in, tables
from quanze.engine.model.valuewords import MONEY_FACTS, VALUES, unit_of, value_text

__all__ = [  # value words live in valuewords.py (below the draft models); read here with the field tables
    "CHOICES",
    "DESCRIPTIONS",
    "FIELDS",
    "MONEY_FACTS",
    "TITLES",
    "VALUES",
    "field_label",
    "field_tables",
    "param_word",
    "unit_of",
    "value_text",
]


@functools.cache
def field_tables() -> tuple[dict[str, str], dict[str, str], dict[str, str], dict[str, dict[str, str]]]:
    """(FIELDS, TITLES, DESCRIPTIONS, CHOICES), walked once from the draft models of engine/model/drafts.py.

    The one source of a field's Chinese name is its ``Field(title=…)``; a path several kinds share
    (kind, case_id, decision …) has the same title in each (tests/test_labels.py), the first kind's
    description is kept.
    """
    return tables(MODELS.values(), field_choices)


# path (without list indices) -> full label, for output (当事人名称, 执法人员姓名)
FIELDS: dict[str, str] = field_tables()[0]
# path -> the field's own title, for a form or template that shows it under its parent (名称或姓名)
TITLES: dict[str, str] = field_tables()[1]
# path -> the field's description: units, what null means
DESCRIPTIONS: dict[str, str] = field_tables()[2]
# path -> {value: Chinese label} of a field with coded values (harm: none → 无)
CHOICES: dict[str, dict[str, str]] = field_tables()[3]

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


def field_label(path: str) -> str:
    """``violation.factors[0]`` → 第 1 项违法情节; an unknown path: its nearest known parent·the rest."""
    return label_in(FIELDS, path)
