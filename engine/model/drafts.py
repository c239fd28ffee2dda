"""Pydantic models of the input (contract §3): a draft decision or record, discriminated by ``kind``.

``read_draft(path)`` parses one YAML or JSON file into a model or raises ``InputError`` with one
Chinese line per problem (file and field path). It never writes to the file.
"""


import datetime as dt
import difflib
import functools
import json
import os
import re
import stat
import unicodedata
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from types import UnionType
from typing import Annotated, Any, ClassVar, Literal, Union, get_args, get_origin

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, WithJsonSchema, model_validator
from pydantic.fields import FieldInfo

from quanze.engine.model.errors import (
    InputError,
    Problem,
    Worded,
    display_path,
    field_path,
    problems_from_validation,
    show_value,
    shown_plain,
)
from quanze.engine.model.fieldwalk import label_in, tables
from quanze.engine.model.money import MoneyError, parse_money
from quanze.engine.model.text import encodable, has_hidden, hidden, shown
from quanze.engine.model.valuewords import value_text
from quanze.engine.model.yamlio import MAX_DEPTH as YAML_MAX_DEPTH
from quanze.engine.model.yamlio import YamlProblem, load_draft_yaml

# dates as officers write them: 2026-08-20, 2026-8-20, 2026/08/20, 2026年8月20日
_DATE = re.compile(r"^(\d{4})(?:([-/])(\d{1,2})\2(\d{1,2})|年(\d{1,2})月(\d{1,2})日)$")
_DATE_FORMS = "2026-08-20、2026-8-20、2026/08/20 或 2026年8月20日"


def _iso_date(value: object) -> object:
    if type(value) is str and len(value) == 10 and value[4] == value[7] == "-":  # the usual 2026-08-20, read in C
        try:
            return dt.date.fromisoformat(value)  # ASCII digits only; YYYY-MM-DD is the one form of this shape it reads
        except ValueError:
            pass  # 2026-02-30, full-width digits: worded below
    if isinstance(value, dt.datetime):
        expected = f"日期（{_DATE_FORMS}，不含时间）"
        raise Worded(f"期望{expected}，实际为 {show_value(str(value))}", expected=expected, got=shown_plain(str(value)))
    if isinstance(value, dt.date):
        return value
    match = _DATE.match(value.strip()) if isinstance(value, str) else None
    if match:
        year, _, month, day, month_cn, day_cn = match.groups()
        try:
            return dt.date(int(year), int(month or month_cn), int(day or day_cn))
        except ValueError:
            raise Worded(f"不存在的日期, 实际为 {show_value(value)}", officer=f"不存在的日期「{shown_plain(value)}」") from None
    raise Worded(f"期望日期（{_DATE_FORMS}），实际为 {show_value(value)}", expected=f"日期（{_DATE_FORMS}）", got=shown_plain(value))


def _money(value: object) -> Decimal:
    try:
        return parse_money(value)
    except MoneyError as exc:
        why = f"（{exc.reason}）" if exc.reason else ""
        message = f'必须为非负金额 (数字或 "5万元"、"50,000元"、"伍万元" 这样的文字), 实际为 {show_value(value)}{why}'
        expected = "非负金额（数字，或「5万元」「50,000元」「伍万元」这样的文字）"
        raise Worded(message, expected=expected, got=shown_plain(value), hint=exc.reason or "") from None


_PERSON_TYPES = {"单位": "organization", "个人": "individual", "organization": "organization", "individual": "individual"}


def _person_type(value: object) -> object:
    if isinstance(value, str) and value.strip() in _PERSON_TYPES:
        return _PERSON_TYPES[value.strip()]
    message = f"期望以下之一：单位、个人（或 organization、individual），实际为 {show_value(value)}"
    raise Worded(message, expected="以下之一：单位、个人", got=shown_plain(value))


def _text(value: object) -> object:
    """A number written where text is meant (a certificate number) is taken as its digits."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


# the JSON Schema (quanze schema, the API's OpenAPI) shows what is accepted, not only the canonical form:
# a date is {"format": "date"} or one of the other written forms; a money field carries "x-quanze-money"
_DATE_SCHEMA = {
    "anyOf": [
        {"type": "string", "format": "date"},
        {"type": "string", "pattern": r"^\d{4}(-\d{1,2}-\d{1,2}|/\d{1,2}/\d{1,2}|年\d{1,2}月\d{1,2}日)$"},
    ],
    "description": f"日期：{_DATE_FORMS}",
}
_MONEY_SCHEMA = {
    "anyOf": [{"type": "number", "minimum": 0}, {"type": "string"}],
    "x-quanze-money": True,
    "description": '金额（元）：数字，或 "7万元"、"50,000元"、"伍万元" 这样的文字',
}


# the officer's hint of a field (the form shows it as is): its description, or the parts of it an officer needs
HINT = "x-quanze-hint"


class ForYaml(str):
    """A part of a field's description only a YAML writer needs (写 null, {to: …}, quanze new): not in its hint."""


class ForForm(str):
    """A part of a field's officer hint where its description says what to write in YAML (取消勾选 for 写 false)."""


def described(*parts: str, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """``Field`` keywords of a field described partly for a YAML writer, from one list of parts: ``description`` (all
    but the ``ForForm`` parts: ``quanze new``, editors, the README) and its officer hint ``x-quanze-hint`` (all but the
    ``ForYaml`` parts: the form). A field whose description suits both needs none: its hint is its description."""
    description = "".join(p for p in parts if not isinstance(p, ForForm))
    hint = "".join(p for p in parts if not isinstance(p, ForYaml))
    return {"description": description, "json_schema_extra": {**(extra or {}), HINT: hint}}


class Choices:
    """Chinese labels of the values of a ``Literal`` field (Annotated metadata).

    The JSON Schema shows them as ``oneOf: [{const: value, title: label}, …]`` (``quanze new``, the form
    and editors read them); ``aliases`` are other accepted spellings, marked ``x-quanze-alias-of``.
    """

    def __init__(self, labels: dict[str, str], aliases: dict[str, str] | None = None) -> None:
        self.labels = labels
        self.aliases = aliases or {}

    def __get_pydantic_json_schema__(self, core_schema: Any, handler: Any) -> dict[str, Any]:
        values = handler(core_schema).get("enum")
        if values != list(self.labels):
            raise TypeError(f"Choices {list(self.labels)} do not match the Literal {values}")
        one_of: list[dict[str, Any]] = [{"const": v, "title": t} for v, t in self.labels.items()]
        one_of += [{"const": a, "title": self.labels[v], "x-quanze-alias-of": v} for a, v in self.aliases.items()]
        return {"type": "string", "oneOf": one_of}


def choice_labels(annotation: object) -> dict[str, str]:
    """The value labels of a field's type (its ``Choices``, looked for through Optional and list), {} if none."""
    stack = [annotation]
    while stack:
        tp = stack.pop()
        if get_origin(tp) is Annotated:
            found = [m for m in getattr(tp, "__metadata__", ()) if isinstance(m, Choices)]
            if found:
                return found[0].labels
        stack.extend(get_args(tp))
    return {}


def field_choices(info: FieldInfo) -> dict[str, str]:
    """The value labels of a model field ({} if its values are not coded)."""
    own = next((m.labels for m in info.metadata if isinstance(m, Choices)), None)
    return own or choice_labels(info.annotation)


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date), WithJsonSchema(_DATE_SCHEMA)]
Money = Annotated[Decimal, BeforeValidator(_money), WithJsonSchema(_MONEY_SCHEMA)]
PersonType = Annotated[
    Literal["organization", "individual"],
    BeforeValidator(_person_type),
    Choices({"organization": "单位", "individual": "个人"}, aliases={"单位": "organization", "个人": "individual"}),
    Field(title="类型", description="单位或者个人"),
]
Text = Annotated[str, BeforeValidator(_text), WithJsonSchema({"type": ["string", "integer"]})]
Name = Annotated[str, Field(title="名称或姓名", description="单位写全称，个人写姓名")]

# fields every kind has: the same title whatever the kind (tests/test_labels.py)
_CASE_ID = {"title": "文号", "description": "决定书或记录的文号"}
_ITEM = {"title": "事项编号", "description": "权责清单事项编号，如 CF-04"}
_KIND = {
    "title": "草稿种类",
    **described(
        ForYaml("penalty 行政处罚决定、filing 备案决定、inspection 行政检查记录、complaint 投诉举报处置记录"),
        ForForm("行政处罚决定、备案决定、行政检查记录或者投诉举报处置记录"),
    ),
}
_PEOPLE = {"title": "责任人员", "description": "追责时对照的人员：具体承办人、内设机构负责人、单位法定代表人或分管领导"}
_FEE = {"title": "收取费用", "description": "单位为元；未收费写 0"}
_MEASURES = {
    "title": "查封扣押和先行登记保存",
    "description": "实施的查封、扣押（行政强制法）和先行登记保存（行政处罚法第五十六条），每项一行；没有不填",
}


def _schema_extra(schema: dict[str, Any]) -> None:
    """A model's schema says in Chinese what its fields are; the class docstring (for developers) stays out. A field
    described for the officer and the YAML writer alike has its description as its hint (``described``)."""
    schema.pop("description", None)
    for prop in schema.get("properties", {}).values():
        if "description" in prop and HINT not in prop:
            prop[HINT] = prop["description"]


class Model(BaseModel):
    """Base of every draft model: unknown keys are errors, values are frozen.

    Every field has a Chinese ``title`` (a short noun: the one label of the field, engine/model/labels.py
    FIELDS and the form read it) and a ``description`` (units, what null means). A model whose
    ``RELATIVE_TITLES`` is true titles its fields relative to the field holding it (姓名 of 执法人员):
    the full label of such a field is the parent's label followed by its title (执法人员姓名).
    """

    RELATIVE_TITLES: ClassVar[bool] = False
    # defer_build: only the model of the draft's kind is built, on first use
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, defer_build=True, json_schema_extra=_schema_extra)


class People(Model):
    """Who answers for the decision (追责对象)."""

    handler: str | None = Field(default=None, title="具体承办人", description="承办人员的姓名")
    reviewer: str | None = Field(default=None, title="内设机构负责人", description="内设机构（科室）负责人的姓名")
    approver: str | None = Field(default=None, title="单位法定代表人或分管领导", description="单位法定代表人或分管领导的姓名")
    # places an approval signed by name (食盐专营办法 第二十三条第二款); extension
    head: str | None = Field(default=None, title="本局主要负责人", description="本局主要负责人（局长）的姓名")


# --- penalty (§3.1) ---------------------------------------------------------------------


class Party(Model):
    RELATIVE_TITLES = True

    name: Name
    type: PersonType
    prior_violations: int = Field(default=0, ge=0, title="此前违法次数", description="此前因同类违法行为受到处罚的次数；没有写 0")
    # extensions (README "不予处罚"): individuals only, both at the time of the act
    age: int | None = Field(
        default=None, ge=0, le=150, title="年龄", **described("个人在违法行为发生时的周岁", ForYaml("；未记载写 null，单位不填")),
    )
    capacity: (
        Annotated[
            Literal["full", "partial", "none"],
            Choices({"full": "能够辨认和控制", "partial": "尚未完全丧失辨认或者控制能力", "none": "不能辨认或者不能控制"}),
        ]
        | None
    ) = Field(
        default=None,
        title="辨认或控制自己行为的能力",
        **described("个人在违法行为发生时辨认或者控制自己行为的能力（行政处罚法第三十一条）", ForYaml("；未记载写 null，单位不填")),
    )
    # extension (issue 17 §1): the role in which the party is punished, a role of rules/subjects.yaml (id or name)
    role: str | None = Field(
        default=None,
        title="身份",
        description="当事人以何种身份受处罚（主体与行为表中的主体，如 机动车生产企业）；不填则不检查主体",
        json_schema_extra={"x-quanze-source": "rules/subjects.yaml"},
    )

    # extension (issue 27 §4): 行政处罚决定书 states 当事人的姓名或者名称、地址 (第五十九条第（一）项)
    address: str | None = Field(default=None, title="地址", **described("当事人的地址（决定书应当载明）", ForYaml("；未记载写 null")))

    @model_validator(mode="after")
    def _individual_only(self) -> "Party":
        given = [f for f in ("age", "capacity") if getattr(self, f) is not None]
        if given and self.type != "individual":
            officer = f"{'、'.join(_label('party.' + f) for f in given)}只适用于个人，当事人类型实际为「{_label_value(self.type)}」"
            raise Worded(f"{'、'.join(given)} 只适用于个人 (type: individual), 实际为 {self.type}", officer=officer)
        return self


class Rectification(Model):
    """An earlier order to rectify (限期改造 / 限期治理), the precondition of CF-01 and CF-03 closures."""

    ordered_on: IsoDate | None = Field(default=None, title="责令整改日期", description="责令限期改造或限期治理的日期")
    deadline: IsoDate | None = Field(default=None, title="整改期限", description="整改期限届满之日")
    met: bool | None = Field(default=None, title="按期整改", **described("是否按期改正", ForYaml("；未记载写 null")))
    impossible: bool | None = Field(
        default=None, title="不能改造", **described("不能改造（CF-01）", ForYaml("；未记载写 null"))
    )  # extension of the contract


class Violation(Model):
    committed_on: IsoDate = Field(title="违法行为发生日期", description="连续或者继续状态的，写开始日期")
    ended_on: IsoDate | None = Field(
        default=None, title="违法行为终了日期", **described("连续或者继续状态的终了日期", ForYaml("；即时完成的写 null")),
    )
    discovered_on: IsoDate = Field(title="违法行为发现日期", description="违法行为被发现的日期")
    illegal_gains: Money = Field(default=Decimal(0), title="违法所得", description="单位为元；没有写 0；可写“7万元”")
    harm: Annotated[Literal["none", "minor", "serious"], Choices({"none": "无", "minor": "轻微", "serious": "严重"})] = Field(
        default="none", title="危害后果", description="违法行为造成的危害后果"
    )
    minor: bool = Field(default=False, title="违法行为轻微", description="违法行为是否轻微")
    corrected: bool = Field(default=False, title="已及时改正", description="当事人是否及时改正")
    no_fault_proven: bool = Field(default=False, title="有证据足以证明没有主观过错", description="当事人是否有证据足以证明没有主观过错")
    factors: list[str] = Field(default=[], title="违法情节", description="从轻、减轻或者从重情节（法定表述，去掉末尾的“的”）")
    suspected_crime: bool = Field(default=False, title="涉嫌犯罪", description="违法行为是否涉嫌犯罪")
    already_fined_for_same_act: bool = Field(default=False, title="同一违法行为已被罚款", description="同一个违法行为此前是否已被罚款")
    rectification: Rectification | None = Field(
        default=None, title="责令整改", **described("此前的责令限期改造或限期治理（CF-01、CF-03 的前提）", ForYaml("；没有写 null"))
    )
    production_project: bool | None = Field(
        default=None, title="生产性项目", **described("是否生产性项目（CF-01）", ForYaml("；未记载写 null"))
    )  # extension of the contract
    affects_life_health_or_finance: bool = Field(
        default=False,
        title="涉及生命健康安全或金融安全且有危害后果",
        description="涉及公民生命健康安全、金融安全且有危害后果（行政处罚法第三十六条 五年时效）",
    )  # extension
    facts_established: bool = Field(
        default=True, title="违法事实成立",
        **described(
            ForYaml("违法事实不能成立的写 false"),
            ForForm("违法事实不能成立的，取消勾选"),
            "（行政处罚法第五十七条第一款第（三）项）",
        )
    )  # extension
    restitution: Money = Field(
        default=Decimal(0),
        title="依法应当退赔的违法所得",
        description="单位为元；依法应当退赔的违法所得不予没收（行政处罚法第二十八条第二款）；没有写 0",
    )  # extension
    # issue 27 §1: the 违法事实 in the officer's words; shown verbatim (escaped), never parsed into a verdict
    facts: str | None = Field(
        default=None,
        title="违法事实",
        **described(
            "执法人员认定的违法事实（时间、地点、行为、后果），照录原文，不作解析", ForYaml("；未写写 null"),
            extra={"x-quanze-multiline": True},
        ),
    )
    # 违法行为, a conduct of rules/subjects.yaml (id or text); extension (issue 17 §1)
    conduct: str | None = Field(
        default=None, title="行为类型", description="所适用条文规定的违法行为（主体与行为表中的行为，编号或原文）；不填则不检查",
        json_schema_extra={"x-quanze-source": "rules/subjects.yaml"},
    )

    @model_validator(mode="after")
    def _restitution_within_gains(self) -> "Violation":
        if self.restitution > self.illegal_gains:
            message = f"restitution (退赔 {self.restitution} 元) 不能大于 illegal_gains (违法所得 {self.illegal_gains} 元)"
            raise Worded(message, officer=f"退赔（{self.restitution} 元）不能大于违法所得（{self.illegal_gains} 元）")
        return self


class Sanction(Model):
    RELATIVE_TITLES = True

    kind: str = Field(title="种类", description="处罚或者责令的种类（规则词表中的种类）",
                      json_schema_extra={"x-quanze-source": "rules/vocabulary.yaml"})
    amount: Money | None = Field(
        default=None, title="数额", **described("单位为元；罚款、没收违法所得写明数额，可写“7万元”", ForYaml("；其他种类写 null"))
    )
    duration_days: int | None = Field(
        default=None, ge=1, title="期限", **described("单位为日；暂扣许可证件、停业整顿等的天数", ForYaml("；没有期限写 null"))
    )  # extension of the contract

    @model_validator(mode="after")
    def _money_sanction_not_zero(self) -> "Sanction":
        # a 罚款 or 没收 of 0 元 is no sanction: the officer means none; read as one it would give "罚款 0 元"
        if self.amount is not None and self.amount == 0 and self.kind in ("罚款", "没收违法所得"):
            raise ValueError(f"{self.kind}金额为 0 元：不给予{self.kind}的，请不要列出此项")
        return self


class Referral(Model):
    to: str = Field(title="报请机关", description="报请决定的机关，如 本级人民政府")
    proposal: str = Field(title="报请的处罚", description="建议的处理，如 责令关闭")


CaseFlag = Literal["情节严重", "情节复杂", "重大违法行为", "涉及重大公共利益", "疑难复杂", "涉及多个法律关系"]
Tier = Literal["不予处罚", "减轻", "从轻", "一般", "从重"]
_CASE_FLAGS = Choices({v: v for v in get_args(CaseFlag)})
_TIERS = Choices({"不予处罚": "不予处罚", "减轻": "减轻处罚", "从轻": "从轻处罚", "一般": "一般", "从重": "从重处罚"})


class Decision(Model):
    procedure: Annotated[Literal["general", "summary"], Choices({"general": "普通程序", "summary": "简易程序"})] = Field(
        default="general", title="程序类别", description="适用的行政处罚程序"
    )
    tier: Annotated[Tier, _TIERS] | None = Field(
        default=None, title="裁量阶次", description="本案适用的裁量阶次；尚未作出决定的可不填，作出决定的必填"
    )
    sanctions: list[Sanction] = Field(default=[], title="处罚", description="本局给予的处罚和责令，每项一行")
    referrals: list[Referral] = Field(
        default=[], title="报请决定",
        **described("报请本级人民政府决定的事项", ForYaml("，如 {to: 本级人民政府, proposal: 责令关闭}"), ForForm("，每项一行"))
    )
    transferred_to_judiciary: bool = Field(default=False, title="已移送司法机关", description="涉嫌犯罪的，是否已移送司法机关")
    case_flags: list[Annotated[CaseFlag, _CASE_FLAGS]] = Field(
        default=[], title="案件情形", description="决定是否须集体讨论、法制审核的情形"
    )
    decided_on: IsoDate | None = Field(default=None, title="决定日期", description="作出处罚决定的日期；不填表示尚未作出决定（案件办理中）")
    no_penalty_ground: str | None = Field(
        default=None,
        title="不予处罚的情形",
        **described(
            "仅用于裁量阶次“不予处罚”：所依据的法定情形（规则词表中的情形）", ForYaml("；其他写 null"),
            extra={"x-quanze-source": "rules/vocabulary.yaml"},
        ),
    )  # a name of rules/vocabulary.yaml no_penalty_grounds

    @model_validator(mode="after")
    def _ground_only_without_penalty(self) -> "Decision":
        if self.no_penalty_ground is not None and self.tier != "不予处罚":
            officer = f"不予处罚的情形只用于裁量阶次「不予处罚」，裁量阶次实际为「{self.tier}」"
            raise Worded(f"no_penalty_ground 只用于 tier: 不予处罚, 实际 tier 为 {self.tier}", officer=officer)
        return self


class Officer(Model):
    RELATIVE_TITLES = True

    name: str = Field(title="姓名", description="姓名")
    certificate: Text | None = Field(default=None, title="证件号", **described("行政执法证件号码", ForYaml("；没有证件写 null")))


class Notice(Model):
    served_on: IsoDate = Field(title="告知书送达日期", description="行政处罚事先告知书送达当事人的日期")
    rights: list[Annotated[Literal["陈述", "申辩", "听证"], Choices({"陈述": "陈述权", "申辩": "申辩权", "听证": "听证权"})]] = Field(
        default=[], title="告知的权利", description="告知书载明的权利"
    )
    proposed: list[Sanction] = Field(default=[], title="拟处罚", description="告知书载明的拟作出的处罚（与决定的写法相同）")


class Hearing(Model):
    requested_on: IsoDate | None = Field(default=None, title="申请听证日期", description="当事人要求听证的日期")
    waived: bool = Field(default=False, title="放弃听证", description="当事人是否放弃听证")
    notified_on: IsoDate | None = Field(default=None, title="听证通知日期", description="通知当事人举行听证的日期")
    held_on: IsoDate | None = Field(default=None, title="听证举行日期", **described(ForYaml("未举行写 null"), ForForm("举行听证的日期")))
    # issue 27 §3: 听证由行政机关指定的非本案调查人员主持 (第六十四条第（四）项)
    presider: Officer | None = Field(
        default=None,
        title="听证主持人",
        **described("主持听证的人员（应为非本案调查人员，行政处罚法第六十四条第（四）项）；有执法证的写证件号", ForYaml("；未记载写 null")),
    )


class Recusal(Model):
    """A party's application for 回避 and the 负责人's decision on it (行政处罚法 第四十三条第二款、第三款)."""

    RELATIVE_TITLES = True

    officer: Officer = Field(title="被申请人", description="当事人申请回避的执法人员（姓名、执法证号）")
    requested_by: str | None = Field(
        default=None, title="申请人", **described("提出回避申请的人（当事人或其代理人）", ForYaml("；未记载写 null")),
    )
    requested_on: IsoDate = Field(title="申请日期", description="提出回避申请的日期")
    decided_by: str | None = Field(
        default=None, title="决定人", **described("作出回避决定的行政机关负责人（姓名、职务）", ForYaml("；未记载写 null")),
    )
    decided_on: IsoDate | None = Field(default=None, title="决定日期", **described("作出回避决定的日期", ForYaml("；未记载写 null")))
    outcome: (
        Annotated[Literal["回避", "不予回避", "未决定"], Choices({"回避": "决定回避", "不予回避": "决定不予回避", "未决定": "尚未决定"})]
        | None
    ) = Field(
        default=None, title="决定结果",
        **described("回避决定的结果；尚未作出决定", ForYaml("写 未决定；未记载写 null"), ForForm("的选「尚未决定」")),
    )


class Reviewer(Model):
    """The person who did the 法制审核 (行政处罚法 第五十八条第二款: 初次从事 … 应当取得法律职业资格)."""

    RELATIVE_TITLES = True

    name: str = Field(title="姓名", description="姓名")
    first_time: bool | None = Field(
        default=None, title="初次从事法制审核",
        **described("是否初次从事行政处罚决定法制审核（行政处罚法第五十八条第二款）", ForYaml("；未记载写 null"))
    )
    qualified: bool | None = Field(
        default=None, title="取得法律职业资格", **described("是否通过国家统一法律职业资格考试取得法律职业资格", ForYaml("；未记载写 null"))
    )
    qualification_no: Text | None = Field(
        default=None, title="法律职业资格证书编号", **described(ForYaml("未取得或未记载写 null"), ForForm("法律职业资格证书的编号")),
    )

    @model_validator(mode="after")
    def _number_only_when_qualified(self) -> "Reviewer":
        if self.qualified is False and self.qualification_no is not None:
            raise ValueError("qualified（取得法律职业资格）为 false，却写了 qualification_no（法律职业资格证书编号）：请核对")
        return self


class LegalReview(Model):
    on: IsoDate = Field(title="法制审核日期", description="法制审核的日期")
    passed: bool = Field(title="法制审核通过", description="法制审核是否通过")
    reviewer: Reviewer | None = Field(
        default=None, title="法制审核人员", **described("从事本案法制审核的人员", ForYaml("；未记载写 null"))
    )  # issue 27 §3


class Member(Model):
    """One person who sat in the 集体讨论 (行政处罚法 第五十七条第二款)."""

    RELATIVE_TITLES = True

    name: str = Field(title="姓名", description="姓名")
    post: str | None = Field(default=None, title="职务", **described("职务，如 局长、副局长、法制审核人员", ForYaml("；未记载写 null")))


class Collective(Model):
    on: IsoDate = Field(title="集体讨论日期", description="负责人集体讨论的日期")
    members: list[Member] = Field(
        default=[], title="参加人员", **described("参加集体讨论的人员，每人一行（姓名、职务）；法律未规定人数", ForYaml("；未记载写 []"))
    )  # issue 27 §3


class Extension(Model):
    days: int = Field(ge=1, title="延长天数", description="单位为日；批准延长的天数")
    approved_on: IsoDate = Field(title="延长批准日期", description="批准延长办案期限的日期")
    basis: str = Field(title="延长依据", description="延长所依据的规定")


class Procedure(Model):
    filed_on: IsoDate | None = Field(default=None, title="立案日期", description="立案的日期")
    officers: list[Officer] = Field(default=[], title="执法人员", description="办案的执法人员，每人一行")
    notice: Notice | None = Field(default=None, title="事先告知", **described("行政处罚事先告知", ForYaml("；未告知写 null")))
    statement_made: bool = Field(default=False, title="当事人已陈述申辩", description="当事人是否进行了陈述、申辩")
    statement_waived: bool = Field(
        default=False, title="当事人放弃陈述申辩", description="当事人是否明确放弃陈述、申辩权利（行政处罚法第六十二条）"
    )  # extension of the contract
    hearing: Hearing | None = Field(
        default=None, title="听证", **described("当事人要求听证的，填写听证情况", ForYaml("；未要求听证写 null")),
    )
    recusals: list[Recusal] = Field(
        default=[], title="回避申请", **described("当事人申请执法人员回避的，每项一行（行政处罚法第四十三条）", ForYaml("；没有申请写 []"))
    )  # issue 27 §3
    legal_review: LegalReview | None = Field(
        default=None, title="法制审核", **described(ForYaml("没有法制审核写 null"), ForForm("本案的法制审核")),
    )
    collective_discussion: Collective | None = Field(
        default=None, title="集体讨论", **described(ForYaml("没有集体讨论写 null"), ForForm("行政机关负责人对本案的集体讨论")),
    )
    extension: Extension | None = Field(default=None, title="延长办案期限", **described("经批准延长办案期限的", ForYaml("；没有写 null")))
    served_on: IsoDate | None = Field(
        default=None, title="决定书送达日期", **described("处罚决定书送达当事人的日期", ForYaml("；尚未送达写 null")),
    )


class Deferral(Model):
    """延期或者分期缴纳罚款, approved on the party's application (行政处罚法 第六十六条第二款)."""

    kind: Annotated[Literal["延期", "分期"], Choices({"延期": "暂缓（延期）缴纳", "分期": "分期缴纳"})] = Field(
        title="方式", description="暂缓（延期）缴纳或者分期缴纳"
    )
    approved_on: IsoDate = Field(title="批准日期", description="本局批准延期或者分期缴纳罚款的日期")
    until: IsoDate = Field(title="缴纳期限届满日", description="暂缓缴纳的期限或者最后一期的缴纳期限届满之日")


class Execution(Model):
    """履行与执行 after the decision (行政处罚法 第六章; 行政强制法 第四十五条, 第五十三条, 第五十四条): each date when it
    happened, left out while it has not."""

    paid_on: IsoDate | None = Field(default=None, title="缴清罚款日期", description="当事人缴清罚款的日期；尚未缴清不填")
    surcharge: Money | None = Field(
        default=None, title="加处罚款数额", description="单位为元；逾期不缴纳罚款加处的罚款（每日百分之三，不得超出罚款数额）；没有不填"
    )
    deferral: Deferral | None = Field(default=None, title="延期或分期缴纳", description="经批准暂缓或者分期缴纳罚款的；没有不填")
    demanded_on: IsoDate | None = Field(default=None, title="催告书送达日期", description="催告当事人履行义务的催告书送达日期；未催告不填")
    court_applied_on: IsoDate | None = Field(
        default=None, title="申请法院强制执行日期", description="向人民法院申请强制执行的日期；未申请不填"
    )
    closed_on: IsoDate | None = Field(default=None, title="结案日期", description="案件办结（结案）的日期；尚未结案不填")

    def dates(self) -> list[dt.date]:
        """Every date recorded."""
        days = [self.paid_on, self.demanded_on, self.court_applied_on, self.closed_on]
        days += [self.deferral.approved_on, self.deferral.until] if self.deferral else []
        return [d for d in days if d is not None]

    @property
    def started(self) -> bool:
        """Anything of 履行 or 执行 recorded."""
        return bool(self.dates()) or self.surcharge is not None

    @property
    def closed(self) -> bool:
        return self.closed_on is not None


# 行政处罚法 第四十六条: the eight kinds of evidence (the eighth, 勘验笔录、现场笔录, is two words: either may be written)
EvidenceKind = Literal["书证", "物证", "视听资料", "电子数据", "证人证言", "当事人的陈述", "鉴定意见", "勘验笔录", "现场笔录"]
EVIDENCE_KINDS: tuple[str, ...] = get_args(EvidenceKind)


class Preservation(Model):
    """先行登记保存 (行政处罚法 第五十六条): approved by the head of the bureau, decided on within 七日 (working days);
    checked as a measure of ``coercive_measures`` (engine/check/measures.py): null = not done, left out = not recorded."""

    approved_on: IsoDate | None = Field(
        default=None, title="先行登记保存批准日期",
        **described("行政机关负责人批准先行登记保存的日期", ForYaml("；未经批准写 null，未记载不填"))
    )
    decided_on: IsoDate | None = Field(
        default=None,
        title="先行登记保存处理决定日期",
        **described("对登记保存的证据作出处理决定的日期（应在七个工作日内）", ForYaml("；尚未作出写 null，未记载不填")),
    )


class Evidence(Model):
    """One item of evidence in the case file (行政处罚法 第四十六条) and the elements it proves."""

    RELATIVE_TITLES = True

    kind: Annotated[EvidenceKind, Choices({k: k for k in EVIDENCE_KINDS})] = Field(
        title="种类", description="行政处罚法第四十六条规定的证据种类"
    )
    title: str = Field(title="名称", description="证据的名称，如 询问笔录（张三，2026年6月20日）")
    obtained_on: IsoDate | None = Field(default=None, title="取得日期", **described("取得证据的日期", ForYaml("；未记载写 null")))
    obtained_by: str | None = Field(default=None, title="取证人员", **described("取得证据的执法人员姓名", ForYaml("；未记载写 null")))
    method: str | None = Field(
        default=None, title="取证方式", **described("如 询问、现场检查、调取、抽样取证、先行登记保存", ForYaml("；未记载写 null")),
    )
    preservation: Preservation | None = Field(
        default=None, title="先行登记保存", **described("以先行登记保存方式取得的（行政处罚法第五十六条）", ForYaml("；其他写 null"))
    )
    proves: list[str] = Field(
        default=[], title="证明的事项", **described("该证据证明的构成要件或裁量事实", ForYaml("（quanze new 列出本事项的要件名称）"))
    )
    unlawful: bool = Field(
        default=False,
        title="以非法手段取得",
        **described("以非法手段取得的证据不得作为认定案件事实的根据（行政处罚法第四十六条第三款）", ForYaml("；是写 true")),
    )


# --- 查封、扣押 (行政强制法 第九条、第十八条、第十九条、第二十四条、第二十五条、第二十七条) and 先行登记保存 (行政处罚法
# 第五十六条): one typed place in every penalty and inspection record, ``coercive_measures`` ---------------------

_CLOCK = re.compile(r"^(\d{1,2})(?::|：|时)(\d{2})分?$")
_CLOCK_FORMS = "10:30、9:05 或 10时30分"


def _clock(value: object) -> object:
    """A time of day as officers write it: 10:30, 9:05, 10时30分 (24-hour clock)."""
    if isinstance(value, dt.time):
        return value
    match = _CLOCK.match(value.strip()) if isinstance(value, str) else None
    if match and int(match.group(1)) < 24 and int(match.group(2)) < 60:
        return dt.time(int(match.group(1)), int(match.group(2)))
    raise ValueError(f"期望时刻（{_CLOCK_FORMS}，24 小时制），实际为 {show_value(value)}")


ClockTime = Annotated[
    dt.time,
    BeforeValidator(_clock),
    WithJsonSchema({"type": "string", "pattern": r"^\d{1,2}(:|：|时)\d{2}分?$", "description": f"时刻：{_CLOCK_FORMS}"}),
]
MeasureKind = Literal["查封", "扣押", "先行登记保存"]
MEASURE_KINDS: tuple[str, ...] = get_args(MeasureKind)


class MeasureApproval(Model):
    """The approval of a measure by the 行政机关负责人 (行政强制法 第十八条第（一）项; 行政处罚法 第五十六条)."""

    by: str | None = Field(default=None, title="批准人", **described("批准的行政机关负责人，如 局长赵六", ForYaml("；未记载写 null")))
    on: IsoDate = Field(title="批准日期", description="负责人批准的日期")
    at: ClockTime | None = Field(default=None, title="批准时间", description="批准的时刻（如 10:30）；未记载不填")


class UrgentReport(Model):
    """情况紧急、当场实施 (行政强制法 第十九条): the report to the 行政机关负责人 and the approval 补办 afterwards."""

    reported_on: IsoDate | None = Field(
        default=None, title="报告日期", **described("向行政机关负责人报告的日期（应在二十四小时内）", ForYaml("；未报告写 null"))
    )
    reported_at: ClockTime | None = Field(default=None, title="报告时间", description="报告的时刻（如 09:00）；未记载不填")
    reported_to: str | None = Field(default=None, title="报告对象", description="接受报告的行政机关负责人；未记载不填")
    approved_on: IsoDate | None = Field(default=None, title="补办批准日期", **described("补办批准手续的日期", ForYaml("；尚未补办写 null")))


class MeasureExtension(Model):
    """延长查封、扣押 (行政强制法 第二十五条): 情况复杂, approved by the 行政机关负责人, at most thirty days."""

    days: int = Field(ge=1, title="延长天数", description="单位为日；批准延长的天数（不得超过三十日）")
    approved_on: IsoDate = Field(title="延长批准日期", description="行政机关负责人批准延长的日期")
    notified_on: IsoDate | None = Field(default=None, title="书面告知日期", description="书面告知当事人延长决定的日期；未记载不填")


class MeasureTesting(Model):
    """检测、检验、检疫或者技术鉴定 of seized things (行政强制法 第二十五条第三款): its period is not counted."""

    days: int = Field(ge=1, title="检测等期间天数", description="单位为日；检测、检验、检疫或者技术鉴定的期间，不计入查封、扣押的期间")
    notified_on: IsoDate | None = Field(default=None, title="书面告知日期", description="书面告知当事人该期间的日期；未记载不填")


class CoerciveMeasure(Model):
    """One 查封, 扣押 or 先行登记保存, as the case file records it (docs/procedure.md "查封、扣押和先行登记保存")."""

    RELATIVE_TITLES = True

    kind: Annotated[MeasureKind, Choices({k: k for k in MEASURE_KINDS})] = Field(
        title="种类", description="查封、扣押（行政强制法 第九条）或者先行登记保存（行政处罚法 第五十六条）"
    )
    objects: str | None = Field(default=None, title="对象", description="查封、扣押或者登记保存的场所、设施、财物的名称和数量")
    taken_on: IsoDate = Field(title="实施日期", description="实施查封、扣押或者先行登记保存的日期")
    taken_at: ClockTime | None = Field(default=None, title="实施时间", description="实施的时刻（如 10:30）；未记载不填")
    approval: MeasureApproval | None = Field(
        title="事先批准", **described("实施前行政机关负责人的批准", ForYaml(" {by, on, at}；没有事先批准写 null（情况紧急的写 urgent）"))
    )
    urgent: UrgentReport | None = Field(
        default=None, title="情况紧急当场实施",
        **described("情况紧急、当场实施的：报告和补办批准（行政强制法 第十九条）", ForYaml("；不是写 null"))
    )
    officers: list[Officer] = Field(title="实施人员", description="实施措施的行政执法人员，每人一行（不得少于两人）")
    party_present: bool | None = Field(default=None, title="当事人到场", description="当事人是否到场；不到场的应当邀请见证人；未记载不填")
    party_notified: bool | None = Field(
        default=None, title="通知当事人到场", description="是否通知当事人到场（行政强制法 第十八条第（四）项）；未记载不填"
    )
    record_made: bool | None = Field(
        default=None, title="制作现场笔录", description="是否制作现场笔录（行政强制法 第十八条第（七）项）；未记载不填"
    )
    documents_delivered_on: IsoDate | None = Field(
        default=None,
        title="决定书和清单交付日期",
        **described("查封、扣押决定书和清单交付当事人的日期（应当场交付）", ForYaml("；未交付写 null，未记载不填")),
    )
    extension: MeasureExtension | None = Field(
        default=None, title="延长期限", **described("经批准延长查封、扣押期限的", ForYaml(" {days, approved_on}；没有写 null"))
    )
    testing: MeasureTesting | None = Field(
        default=None,
        title="检测、检验、检疫或者技术鉴定",
        **described(
            "对查封、扣押的物品检测等的期间",
            ForYaml(" {days, notified_on}"),
            "（行政强制法 第二十五条第三款：不计入）",
            ForYaml("；没有写 null"),
        ),
    )
    ended_on: IsoDate | None = Field(
        default=None, title="处理或解除日期",
        **described("作出处理决定（没收、销毁、解除等）的日期", ForYaml("；尚未处理或解除写 null，未记载不填"))
    )

    @model_validator(mode="after")
    def _dates_after_taking(self) -> "CoerciveMeasure":
        later = {
            "urgent.reported_on": self.urgent.reported_on if self.urgent else None,
            "urgent.approved_on": self.urgent.approved_on if self.urgent else None,
            "extension.approved_on": self.extension.approved_on if self.extension else None,
            "documents_delivered_on": self.documents_delivered_on,
            "ended_on": self.ended_on,
        }
        wrong = [f"{k}（{v}）" for k, v in later.items() if v is not None and v < self.taken_on]
        if wrong:
            raise ValueError(f"早于实施日期 taken_on（{self.taken_on}）：{'、'.join(wrong)}；措施实施之前不可能发生，请核对日期")
        if self.kind == "先行登记保存" and self.extension is not None:
            raise ValueError("先行登记保存没有延长期限（行政处罚法 第五十六条：七日内作出处理决定）；extension 只用于查封、扣押")
        if self.kind == "先行登记保存" and self.testing is not None:
            raise ValueError("先行登记保存的七日不扣除检测等期间（行政处罚法 第五十六条）；testing 只用于查封、扣押")
        return self


class PenaltyDraft(Model):
    """A draft 行政处罚决定 (items CF-01 … CF-05)."""

    kind: Literal["penalty"] = Field(**_KIND)
    case_id: str = Field(**_CASE_ID)
    item: str = Field(**_ITEM)
    party: Party = Field(title="当事人", description="受处罚的单位或者个人")
    violation: Violation | None = Field(
        default=None, title="违法行为", description="违法行为的事实；立案后调查中可暂不填写，作出决定的必填"
    )
    decision: Decision = Field(default_factory=Decision, title="决定", description="拟作出的行政处罚决定；决定日期不填表示尚未作出决定")
    procedure: Procedure = Field(
        default_factory=Procedure,
        title="程序",
        **described("立案、告知、听证、审核等环节；不写的环节为“未填写”，不作检查", ForYaml("；写 null 或 false 的为未办理")),
    )  # built on first use, not at import
    people: People = Field(default_factory=People, **_PEOPLE)
    execution: Execution | None = Field(
        default=None, title="履行与执行", description="决定作出后的缴纳、延期或分期、加处罚款、催告、申请法院强制执行、结案；尚未发生不填"
    )  # extension (issue 26 §2)
    # issue 27 §1: the evidence in the case file; an absent key is 未填写 (the evidence checks are listed
    # under not_checked, the verdict does not change)
    evidence: list[Evidence] | None = Field(
        default=None, title="证据", description="案卷中的证据，每项一行（行政处罚法第四十六条）；不写为“未填写”，证据检查不进行"
    )
    coercive_measures: list[CoerciveMeasure] = Field(default=[], **_MEASURES)  # extension (issue 26 §3)


# Procedure steps taken before the decision. A step whose key the draft leaves out is "未填写" (cannot
# be checked), not "not done": an explicit null (or false) says the step was not taken. 送达 is
# left out on purpose: a draft decision is usually checked before it is served.
PROCEDURE_STEPS = ("filed_on", "officers", "notice", "statement_made", "hearing", "legal_review", "collective_discussion", "extension")
NOTICE_PARTS = ("rights", "proposed")
HEARING_PARTS = ("held_on",)  # a hearing requested whose holding is not written: 未填写, not “not held” (null)


def unfilled_sections(draft: PenaltyDraft) -> list[str]:
    """Paths of the procedure sections a penalty draft leaves out (key absent, as opposed to null)."""
    if "procedure" not in draft.model_fields_set:
        return ["procedure"]
    p = draft.procedure
    out = [f"procedure.{k}" for k in PROCEDURE_STEPS if k not in p.model_fields_set]
    if p.notice is not None:
        out += [f"procedure.notice.{k}" for k in NOTICE_PARTS if k not in p.notice.model_fields_set]
    if p.hearing is not None:
        out += [f"procedure.hearing.{k}" for k in HEARING_PARTS if k not in p.hearing.model_fields_set]
    return out


# --- filing (§3.2) ----------------------------------------------------------------------


class Applicant(Model):
    RELATIVE_TITLES = True

    name: Name
    type: PersonType
    category: str | None = Field(default=None, title="类别", **described("如 其他发卡企业", ForYaml("；没有写 null")))
    # 申请人以何种身份备案, a role of rules/subjects.yaml (id or name); extension (issue 17 §1)
    role: str | None = Field(
        default=None, title="身份", description="申请人以何种身份备案（主体与行为表中的主体，如 发卡企业）；不填则不检查主体",
        json_schema_extra={"x-quanze-source": "rules/subjects.yaml"},
    )


class FilingDates(Model):
    obligation_from: IsoDate | None = Field(
        default=None, title="备案义务发生日期",
        **described("备案义务产生之日（开业、取得许可、促销结束、事项变更）", ForYaml("；不适用写 null"))
    )
    submitted_on: IsoDate = Field(title="提交日期", description="申请人提交备案材料的日期")
    accepted_on: IsoDate | None = Field(default=None, title="受理日期", **described(ForYaml("未受理写 null"), ForForm("受理备案的日期")))
    supplement_notified_on: IsoDate | None = Field(
        default=None, title="一次性告知补正日期", **described(ForYaml("没有告知补正写 null"), ForForm("一次性告知申请人补正材料的日期")),
    )
    decided_on: IsoDate | None = Field(default=None, title="办结日期", **described(ForYaml("尚未办结写 null"), ForForm("办结备案的日期")))


class FilingDecision(Model):
    outcome: Annotated[
        Literal["accepted", "rejected", "supplement_requested"],
        Choices({"accepted": "予以备案", "rejected": "不予备案", "supplement_requested": "要求补正"}),
    ] = Field(title="办理结果", description="备案的办理结果")
    reasons: str = Field(default="", title="理由", description="不予备案或者要求补正的理由")
    fee_charged: Money = Field(default=Decimal(0), **_FEE)
    registration_no: str | None = Field(
        default=None, title="备案编号", **described(ForYaml("未给予备案编号写 null"), ForForm("给予的备案编号")),
    )
    published_on: IsoDate | None = Field(default=None, title="公示日期", **described(ForYaml("未公示写 null"), ForForm("公示的日期")))
    extension_notified_on: IsoDate | None = Field(
        default=None, title="延期告知日期", **described("书面告知延长办理期限的日期", ForYaml("；没有延期写 null"))
    )
    extension_approved_on: IsoDate | None = Field(
        default=None, title="延期批准日期", **described("延长办理期限经负责人批准的日期", ForYaml("；没有延期写 null"))
    )  # extension of the contract


FactValue = bool | int | float | str | None


class FilingDraft(Model):
    """A 备案 decision (items QT-02 … QT-06)."""

    kind: Literal["filing"] = Field(**_KIND)
    case_id: str = Field(**_CASE_ID)
    item: str = Field(**_ITEM)
    applicant: Applicant = Field(title="申请人", description="申请备案的单位或者个人")
    dates: FilingDates = Field(title="日期", description="办理各环节的日期")
    facts: dict[str, FactValue] = Field(default={}, title="事项事实", description="本事项的事实（本事项的备案规则所列）",
                                         json_schema_extra={"x-quanze-source": "rules/filing/"})
    materials_complete: bool = Field(default=True, title="材料齐全", description="申请材料是否齐全")
    decision: FilingDecision = Field(title="决定", description="备案的办理结果")
    people: People = Field(default_factory=People, **_PEOPLE)


# --- inspection (§3.3) ------------------------------------------------------------------


class Target(Model):
    RELATIVE_TITLES = True

    name: Name
    type: PersonType
    # 检查对象的身份, a role of rules/subjects.yaml (id or name); extension (issue 17 §1)
    role: str | None = Field(
        default=None, title="身份", description="检查对象受检查的身份（主体与行为表中的主体，如 回收拆解企业）；不填则不检查对象",
        json_schema_extra={"x-quanze-source": "rules/subjects.yaml"},
    )


class RandomSelection(Model):
    targets: bool = Field(default=False, title="随机抽取检查对象", description="检查对象是否随机抽取")
    inspectors: bool = Field(default=False, title="随机选派检查人员", description="检查人员是否随机选派")


class Approval(Model):
    measure: str = Field(title="审批的措施", description="须经批准的检查措施（规则词表中的措施）",
                         json_schema_extra={"x-quanze-source": "rules/vocabulary.yaml"})
    approved_by: str = Field(title="审批人", description="批准人，如 主要负责人")
    on: IsoDate = Field(title="审批日期", description="批准的日期")


class FollowUp(Model):
    action: Annotated[Literal["立案", "责令整改", "移送"], Choices({"立案": "立案", "责令整改": "责令整改", "移送": "移送"})] = Field(
        title="后续处理方式", description="发现违法行为后的处理方式"
    )
    on: IsoDate = Field(title="后续处理日期", description="后续处理的日期")


class InspectionDraft(Model):
    """A 行政检查 record (items JC-01 … JC-08)."""

    kind: Literal["inspection"] = Field(**_KIND)
    case_id: str = Field(**_CASE_ID)
    item: str = Field(**_ITEM)
    target: Target = Field(title="检查对象", description="被检查的单位或者个人")
    basis: Annotated[
        Literal["random", "complaint", "referral", "ex_officio", "special"],
        Choices({"random": "双随机抽查", "complaint": "投诉举报", "referral": "转办交办", "ex_officio": "依职权", "special": "专项检查"}),
    ] = Field(title="检查启动方式", description="检查的来源")
    random_selection: RandomSelection = Field(
        default_factory=RandomSelection, title="双随机抽取", description="随机抽取检查对象、随机选派检查人员"
    )
    annual_plan: bool = Field(default=False, title="列入年度检查计划", description="本次检查是否列入年度检查计划")
    inspectors: list[Officer] = Field(default=[], title="检查人员", description="实施检查的人员，每人一行")
    performed_on: IsoDate = Field(title="检查日期", description="实施检查的日期")
    matters: list[str] = Field(default=[], title="检查事项", description="本次检查的事项")
    measures: list[str] = Field(default=[], title="检查措施", description="采取的检查措施（规则词表中的措施）",
                                 json_schema_extra={"x-quanze-source": "rules/vocabulary.yaml"})
    approvals: list[Approval] = Field(
        default=[], title="措施审批",
        **described("须经批准的措施的批准", ForYaml("，如 {measure: 查封, approved_by: 主要负责人, on: 日期}"), ForForm("，每项一行"))
    )
    violations_found: bool = Field(default=False, title="发现违法行为", description="检查中是否发现违法行为")
    follow_up: FollowUp | None = Field(default=None, title="后续处理", **described("发现违法行为后的处理", ForYaml("；没有写 null")))
    results_published_on: IsoDate | None = Field(
        default=None, title="检查结果公示日期", **described(ForYaml("未公示写 null"), ForForm("公示的日期")),
    )
    people: People = Field(default_factory=People, **_PEOPLE)
    coercive_measures: list[CoerciveMeasure] = Field(default=[], **_MEASURES)  # extension (issue 26 §3)


# --- complaint (§3.4) -------------------------------------------------------------------


class Complainant(Model):
    RELATIVE_TITLES = True

    name: Name
    type: PersonType


class Respondent(Model):
    RELATIVE_TITLES = True

    name: str = Field(title="名称", description="被投诉举报单位的名称")
    type: PersonType
    registered_here: bool = Field(default=True, title="在本地注册", description="是否在本地注册")
    licensed: bool = Field(default=True, title="取得对外劳务合作经营资格", description="是否取得对外劳务合作经营资格")


class ComplaintDraft(Model):
    """A 涉外劳务纠纷投诉举报 handling record (item QT-01)."""

    kind: Literal["complaint"] = Field(**_KIND)
    case_id: str = Field(**_CASE_ID)
    item: str = Field(**_ITEM)
    complainant: Complainant = Field(title="投诉举报人", description="提出投诉举报的单位或者个人")
    respondent: Respondent = Field(title="被投诉举报人", description="被投诉举报的单位")
    received_on: IsoDate = Field(title="收到投诉举报日期", description="本局收到投诉举报的日期")
    registered: bool = Field(default=False, title="已登记", description="是否已填写受理单")
    transferred_to: str | None = Field(default=None, title="移交机关", **described("移交的处置部门", ForYaml("；本局处理写 null")))
    complainant_informed_on: IsoDate | None = Field(
        default=None, title="告知投诉举报人日期", **described(ForYaml("没有告知写 null"), ForForm("告知投诉举报人的日期")),
    )
    verified_on: IsoDate | None = Field(default=None, title="核查日期", **described("处置意见单的核查日期", ForYaml("；未核查写 null")))
    outcome: Annotated[
        Literal["handled", "transferred", "rejected"],
        Choices({"handled": "已处理", "transferred": "已移交", "rejected": "不予受理"}),
    ] = Field(title="办理结果", description="投诉举报的办理结果")
    # contract extension: false = not a 涉外劳务纠纷 within 涉外劳务纠纷投诉举报处置办法 第二条 (README)
    within_scope: bool = Field(
        default=True, title="属于受理范围", **described("属于涉外劳务纠纷（处置办法 第二条）", ForYaml("；不属于的写 false")),
    )
    fee_charged: Money = Field(default=Decimal(0), **_FEE)
    people: People = Field(default_factory=People, **_PEOPLE)


Draft = PenaltyDraft | FilingDraft | InspectionDraft | ComplaintDraft
MODELS: dict[str, type[Model]] = {
    "penalty": PenaltyDraft,
    "filing": FilingDraft,
    "inspection": InspectionDraft,
    "complaint": ComplaintDraft,
}
KINDS = tuple(MODELS)


MAX_DRAFT_BYTES = 1 << 20  # 1 MiB: a draft is a few KiB; anything this large is not one
MAX_DEPTH = YAML_MAX_DEPTH  # the same nesting bound as YAML drafts: a YAML value built plain is known to keep it
FIRST_YEAR = 1990  # the earliest year a date in a draft may carry
YEARS_AHEAD = 5  # how far after the decision's year a date may lie (and the decision after today's year)


def _no_duplicate_keys(pairs: list[tuple[str, object]]) -> dict:
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        raise _DuplicateKey(next(k for k, _ in pairs if k in seen or seen.add(k)))  # type: ignore[func-returns-value]
    return out


class _DuplicateKey(ValueError):
    pass


def _finite(text: str) -> float:
    value = float(text)
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(text)
    return value


def _bad_constant(text: str) -> object:
    raise ValueError(text)


_JSON_PROBLEMS = (  # the json module's wording -> Chinese
    ("Expecting value", "缺少值（或有 JSON 不允许的写法，如单引号、末尾多余的逗号）"),
    ("Expecting property name", "此处应为用双引号括起的键（或括号没有闭合、末尾多了逗号）"),
    ("Expecting ':'", "缺少冒号"),
    ("Expecting ','", "缺少逗号（或括号没有闭合）"),
    ("Unterminated string", "字符串的双引号没有闭合"),
    ("Invalid control character", "字符串中有控制字符（如换行，请写成 \\n）"),
    ("Invalid \\uXXXX escape", "无效的 \\u 转义"),
    ("Invalid \\escape", "未知的转义（反斜杠请写成 \\\\）"),
    ("Extra data", "一个完整的值之后还有多余的内容"),
    ("Illegal trailing comma", "末尾多了逗号"),
)


def json_problem(msg: str) -> str:
    """A JSON syntax error of the json module in Chinese (one not listed: a plain Chinese line, never English)."""
    return next((chinese for english, chinese in _JSON_PROBLEMS if msg.startswith(english)), "格式不正确，无法解析")


def parse_text(text: str, label: str, as_json: bool = False) -> object:
    """The raw document of a YAML or JSON text; InputError on a syntax error, a duplicate key or an oversized text."""
    if len(text) > MAX_DRAFT_BYTES:
        raise InputError([Problem(label, "", f"文本超过 {MAX_DRAFT_BYTES // 1024} KiB，不是草稿，拒绝读取")])
    if not encodable(text):  # a str handed over with a lone surrogate (a file's bytes never decode to one)
        line = next(i for i, row in enumerate(text.splitlines(), 1) if not encodable(row))
        raise InputError([Problem(label, f"第 {line} 行", "含有无效字符（孤立的代理项，不是合法的 Unicode）")])
    bounded = False  # whether raw is known to nest at most MAX_DEPTH containers deep
    if as_json:
        try:
            raw = json.loads(text, object_pairs_hook=_no_duplicate_keys, parse_float=_finite, parse_constant=_bad_constant)
        except json.JSONDecodeError as exc:
            raise InputError([Problem(label, f"第 {exc.lineno} 行", f"JSON 语法错误: {json_problem(exc.msg)}")]) from None
        except _DuplicateKey as exc:
            raise InputError([Problem(label, "", f"JSON 中有重复的键 {show_value(exc.args[0])}（同一键只能出现一次）")]) from None
        except RecursionError:
            raise InputError([Problem(label, "", f"JSON 嵌套过深（超过 {MAX_DEPTH} 层）")]) from None
        except ValueError as exc:  # NaN, Infinity, 1e999, an integer of thousands of digits
            raise InputError([Problem(label, "", f"JSON 中有无法表示的数值：{show_value(str(exc))}")]) from None
    else:
        try:
            raw, bounded = load_draft_yaml(text)  # a draft's lines are never used
        except YamlProblem as exc:
            raise InputError([Problem(label, f"第 {exc.line} 行" if exc.line else "", exc.reason, officer=exc.officer)]) from None
    # a lone surrogate can only come from a JSON \\u escape (libyaml refuses one); the full walk runs
    # only when the cheap one finds the nesting too deep (a YAML text built plain is known not to be) or such an
    # escape is there
    if (not bounded and _too_deep(raw)) or (as_json and "\\u" in text):
        problems = _raw_problems(raw, label)
        if problems:
            raise InputError(problems)
    return raw


def _too_deep(raw: object) -> bool:
    """Whether containers nest deeper than MAX_DEPTH (level by level; scalars are not visited)."""
    level = [raw] if isinstance(raw, (dict, list)) else []
    depth = 0
    while level:
        depth += 1
        if depth > MAX_DEPTH:
            return True
        deeper = []
        for node in level:
            for value in node.values() if isinstance(node, dict) else node:
                if isinstance(value, (dict, list)):
                    deeper.append(value)
        level = deeper
    return False


def _raw_problems(raw: object, label: str) -> list[Problem]:
    """Nesting deeper than MAX_DEPTH, and strings with lone surrogates (not encodable as UTF-8), by field path."""
    out: list[Problem] = []
    stack: list[tuple[object, tuple, int]] = [(raw, (), 1)]
    while stack:
        node, path, depth = stack.pop()
        if depth > MAX_DEPTH:
            return [Problem.at(label, path, f"嵌套过深（超过 {MAX_DEPTH} 层）")]
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(key, str) and not encodable(key):
                    out.append(Problem.at(label, path, f"键 {show_value(key)} 含有无效字符（孤立的代理项，不是合法的 Unicode）"))
                stack.append((value, (*path, key), depth + 1))
        elif isinstance(node, list):
            stack.extend((v, (*path, i), depth + 1) for i, v in enumerate(node))
        elif isinstance(node, str) and not encodable(node):
            message = f"含有无效字符（孤立的代理项，不是合法的 Unicode），实际为 {show_value(node)}"
            out.append(Problem.at(label, path, message, officer="含有无效字符（孤立的代理项，不是合法的 Unicode）", got=shown_plain(node)))
    return sorted(out, key=lambda p: p.where)


def _model_at(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The model class found at a field path (list indexes skipped), or None."""
    for part in loc:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part) if isinstance(part, str) else None
        if field is None:
            return None
        stack, found = [field.annotation], None
        while stack and found is None:
            tp = stack.pop()
            if isinstance(tp, type) and issubclass(tp, BaseModel):
                found = tp
            else:
                stack.extend(get_args(tp))
        if found is None:
            return None
        model = found
    return model


def _unknown_field_hint(model: type[BaseModel]):
    """For an unknown field, the closest field of the same mapping: (its name, its title), or None."""

    def hint(err: dict) -> tuple[str, str] | None:
        if err["type"] != "extra_forbidden" or not err["loc"]:
            return None
        at = _model_at(model, tuple(err["loc"][:-1]))
        close = difflib.get_close_matches(str(err["loc"][-1]), list(at.model_fields), n=1, cutoff=0.6) if at else []
        return (close[0], _label(field_path((*err["loc"][:-1], close[0])))) if close else None

    return hint


# Placeholders `quanze new` writes into a template (cli/drafting.py takes them from here). Left in, a
# placeholder is an input problem naming its field: never a party's name, an officer or a certificate.
PLACEHOLDER_TEXT = "（请填写）"
PLACEHOLDER_OFFICERS = ("（执法人员甲）", "（执法人员乙）")
PLACEHOLDER_CERTIFICATE = "（执法证号）"
PLACEHOLDERS = (PLACEHOLDER_TEXT, *PLACEHOLDER_OFFICERS, PLACEHOLDER_CERTIFICATE)
_PLACEHOLDER_KEYS = {"".join(unicodedata.normalize("NFKC", p).split()): p for p in PLACEHOLDERS}
# every placeholder holds one of these, and NFKC makes neither from another character (tests/test_legal_review.py), so a
# text without them is none: most texts are rejected without a call
PLACEHOLDER_MARKS = ("请", "执")
assert all(any(m in key for m in PLACEHOLDER_MARKS) for key in _PLACEHOLDER_KEYS)


def _placeholder(text: str) -> str | None:
    """The placeholder a short text still is (NFKC, spaces ignored), else None (an ASCII text, NFKC as it is, never is one)."""
    if len(text) > 40 or text.isascii():
        return None
    return _PLACEHOLDER_KEYS.get("".join(unicodedata.normalize("NFKC", text).split()))


def may_hold_placeholder(text: str) -> bool:
    """Whether a YAML or JSON text may hold a placeholder: its strings are its characters but for what a backslash
    escapes, so without a backslash and without 请 or 执 (``PLACEHOLDER_MARKS``) it holds none."""
    return "\\" in text or any(m in text for m in PLACEHOLDER_MARKS)


def placeholder_problems(raw: object, label: str) -> list[Problem]:
    """Every string of a raw document that is still a template placeholder, by field path.

    Only containers go on the stack with their path; a text is looked at where it is found and its
    path made only when it is a placeholder (most nodes are texts and numbers)."""

    def problem(path: tuple, hit: str) -> Problem:
        return Problem.at(label, path, f"仍是模板的占位文字“{hit}”，请改写为实际内容")

    if isinstance(raw, str):
        hit = _placeholder(raw)
        return [problem((), hit)] if hit else []
    out: list[Problem] = []
    stack: list[tuple[object, tuple]] = [(raw, ())]
    while stack:
        node, path = stack.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for k, v in items:
            if isinstance(v, str):
                if ("请" in v or "执" in v) and (hit := _placeholder(v)):  # PLACEHOLDER_MARKS
                    out.append(problem((*path, k), hit))
            elif isinstance(v, (dict, list)):
                stack.append((v, (*path, k)))
    return sorted(out, key=lambda p: p.where)


def validate_draft(
    raw: object, label: str, more=None, text: str | None = None
) -> PenaltyDraft | FilingDraft | InspectionDraft | ComplaintDraft:
    """Validate a raw document against the contract; InputError lists every problem.

    ``more(raw)`` (optional) lists further problems of a document that fails the schema, such as names
    the rules do not know (engine.check.name_problems), so all problems are reported in one run.
    ``text`` (optional): the text ``raw`` was parsed from, which spares the look for placeholders when it can
    hold none (``may_hold_placeholder``).
    """
    if not isinstance(raw, dict):
        raise InputError([Problem(label, "", f"期望一个映射 (kind: …), 实际为 {show_value(raw)}")])
    kind = raw.get("kind")
    if kind not in KINDS:
        msg = "缺少必填字段" if kind is None else f"期望以下之一：{'、'.join(KINDS)}，实际为 {show_value(kind)}"
        parts = {"expected": "以下之一：" + "、".join(f"「{k}」" for k in KINDS), "got": shown_plain(kind)} if kind is not None else {}
        raise InputError([Problem.at(label, ("kind",), msg, **parts)])
    extra = date_problems(kind, raw, label) + stage_problems(kind, raw, label) + officer_problems(raw, label)
    if text is None or may_hold_placeholder(text):
        extra += placeholder_problems(raw, label)
    try:
        draft = MODELS[kind].model_validate(raw)
    except ValidationError as exc:
        problems = _merged(problems_from_validation(label, exc, suggest=_unknown_field_hint(MODELS[kind])), extra)
        raise InputError(_merged(problems, more(raw) if more is not None else [])) from None
    if extra:  # the schema holds, the dates or officers do not: reported with the names the rules do not know
        raise InputError(_merged(extra, more(raw) if more is not None else []))
    return draft  # type: ignore[return-value]


def _merged(first: list[Problem], then: list[Problem]) -> list[Problem]:
    """``first``, then the problems of ``then`` at a field ``first`` does not already name."""
    seen = {p.where for p in first}
    return first + [p for p in then if p.where not in seen]


def read_draft(path: Path | str, more=None) -> PenaltyDraft | FilingDraft | InspectionDraft | ComplaintDraft:
    """Read and validate one draft file (YAML, or JSON by its .json suffix); ``more`` as in validate_draft.

    Only a regular file of at most MAX_DRAFT_BYTES is read: a FIFO, a device or a folder is refused
    at once (opened without blocking), never waited on.
    """
    path = path if isinstance(path, Path) else Path(path)  # a review's paths are Paths already
    label = display_path(path)
    data = read_bounded(path, label)
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")  # what "utf-8-sig" gives, without its Python-level codec
    except UnicodeDecodeError:
        raise InputError([Problem(label, "", "不是 UTF-8 编码的文本")]) from None
    raw = parse_text(text, label, as_json=path.suffix.lower() == ".json")
    return validate_draft(raw, label, more, text)


def read_bounded(path: Path, label: str) -> bytes:
    """The bytes of a regular file of at most MAX_DRAFT_BYTES; InputError for anything else."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        reason = "无法读取文件：文件不存在" if isinstance(exc, FileNotFoundError) else f"无法读取文件: {exc.strerror or exc}"
        raise InputError([Problem(label, "", reason)]) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise InputError([Problem(label, "", f"不是普通文件（{file_kind(info.st_mode)}），拒绝读取")])
        if info.st_size > MAX_DRAFT_BYTES:
            raise InputError([Problem(label, "", f"文件大小 {info.st_size} 字节，超过上限 {MAX_DRAFT_BYTES} 字节（1 MiB），拒绝读取")])
        data = _read_all(fd, info.st_size)
    except OSError as exc:
        raise InputError([Problem(label, "", f"无法读取文件: {exc.strerror or exc}")]) from None
    finally:
        os.close(fd)
    if len(data) > MAX_DRAFT_BYTES:
        raise InputError([Problem(label, "", f"文件超过上限 {MAX_DRAFT_BYTES} 字节（1 MiB），拒绝读取")])
    return data


def _read_all(fd: int, size: int) -> bytes:
    """Up to MAX_DRAFT_BYTES + 1 bytes of an open file, read into a buffer of the size it has (not of the limit:
    a 1 MiB buffer for a 2 KiB draft costs more than reading it); a file that grew meanwhile is read on.

    A regular file's read returns less than asked only at its end: the first read, asked for one byte more than
    the file has, ends the reading when it falls short (the usual case: one read, no second one to find the end)."""
    chunks, total, want = [], 0, size + 1
    while total <= MAX_DRAFT_BYTES:
        asked = min(want, MAX_DRAFT_BYTES + 1 - total)
        chunk = os.read(fd, asked)
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        if len(chunks) == 1 and len(chunk) < asked:
            break
        want = 1 << 16
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def file_kind(mode: int) -> str:
    """What a non-regular file is, in Chinese."""
    if stat.S_ISDIR(mode):
        return "目录"
    if stat.S_ISFIFO(mode):
        return "命名管道 FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "设备文件"
    if stat.S_ISSOCK(mode):
        return "套接字"
    return "特殊文件"


# --- dates in order, officers once ------------------------------------------------------

# (earlier, later, what it means when the later one comes first): orders that cannot happen, so a
# wrong date (a typo) rather than a step taken out of order. Steps that can really be taken out of
# order (a notice, a hearing, a review after the decision) are findings of the rules instead.
_ORDER: dict[str, list[tuple[str, str, str]]] = {
    "penalty": [
        ("violation.committed_on", "violation.ended_on", "违法行为终了日期早于发生日期"),
        ("violation.committed_on", "violation.discovered_on", "发现日期早于违法行为发生日期：行为发生之前不可能被发现"),
        ("violation.committed_on", "decision.decided_on", "违法行为发生日期晚于处罚决定日期：不能处罚决定之后才发生的行为"),
        ("violation.discovered_on", "decision.decided_on", "处罚决定日期早于发现违法行为的日期：发现之前不可能作出决定"),
        ("decision.decided_on", "procedure.served_on", "送达日期早于处罚决定日期：决定书作出之前不可能送达（第六十一条）"),
        ("procedure.hearing.notified_on", "procedure.hearing.held_on", "听证举行日期早于听证通知日期：听证须先通知后举行（第六十四条）"),
        ("decision.decided_on", "execution.paid_on", "缴清罚款日期早于处罚决定日期：决定作出之前不可能缴纳罚款"),
        ("decision.decided_on", "execution.deferral.approved_on", "延期或分期缴纳的批准日期早于处罚决定日期"),
        ("execution.deferral.approved_on", "execution.deferral.until", "延期或分期缴纳的期限届满日早于批准日期"),
        ("decision.decided_on", "execution.demanded_on", "催告书送达日期早于处罚决定日期：没有决定就没有可催告履行的义务"),
        ("decision.decided_on", "execution.court_applied_on", "申请法院强制执行日期早于处罚决定日期"),
        ("decision.decided_on", "execution.closed_on", "结案日期早于处罚决定日期"),
    ],
    "filing": [
        ("dates.submitted_on", "dates.accepted_on", "受理日期早于提交日期"),
        ("dates.submitted_on", "dates.supplement_notified_on", "告知补正日期早于提交日期"),
        ("dates.submitted_on", "dates.decided_on", "办结日期早于提交日期"),
        ("dates.decided_on", "decision.published_on", "公示日期早于办结日期"),
    ],
    "inspection": [
        ("performed_on", "follow_up.on", "后续处理日期早于检查日期"),
        ("performed_on", "results_published_on", "检查结果公示日期早于检查日期"),
    ],
    "complaint": [
        ("received_on", "verified_on", "核查日期早于收到投诉举报的日期"),
        ("received_on", "complainant_informed_on", "告知投诉举报人的日期早于收到的日期"),
    ],
}
# the day a draft is about (its decision): every other date lies within FIRST_YEAR … its year + YEARS_AHEAD
_REFERENCE = {
    "penalty": ("decision.decided_on", "procedure.filed_on"),
    "filing": ("dates.decided_on", "dates.submitted_on"),
    "inspection": ("performed_on",),
    "complaint": ("received_on",),
}


@functools.cache
def date_paths(kind: str) -> tuple[tuple, ...]:
    """Field paths of every date of a draft kind, found once from its model."""
    paths = tuple(_date_paths(MODELS[kind]))
    _DOTTED.update((p, ".".join(p)) for p in paths if "*" not in p)
    return paths


_DOTTED: dict[tuple, str] = {}


def _date_paths(model: type[BaseModel], prefix: tuple = ()) -> Iterator[tuple]:
    """Field paths of every date of a model (``"*"`` for each item of a list)."""
    for name, info in model.model_fields.items():
        for arg in _flat_args(info.annotation):
            if arg is dt.date:
                yield (*prefix, name)
            elif isinstance(arg, type) and issubclass(arg, BaseModel):
                yield from _date_paths(arg, (*prefix, name))
            elif get_origin(arg) is list:
                inner = get_args(arg)[0]
                if isinstance(inner, type) and issubclass(inner, BaseModel):
                    yield from _date_paths(inner, (*prefix, name, "*"))


def _flat_args(annotation: object) -> list[object]:
    args = get_args(annotation)
    if get_origin(annotation) in (Union, UnionType):
        return [a for arg in args for a in _flat_args(arg)]
    if get_origin(annotation) is Annotated:
        return _flat_args(args[0])
    return [annotation]


def _values_at(raw: object, path: tuple, done: tuple = ()) -> Iterator[tuple[tuple, object]]:
    if not path:
        yield done, raw
        return
    head, rest = path[0], path[1:]
    if head == "*":
        if isinstance(raw, list):
            for i, item in enumerate(raw):
                yield from _values_at(item, rest, (*done, i))
    elif isinstance(raw, dict) and raw.get(head) is not None:
        yield from _values_at(raw[head], rest, (*done, head))


@functools.cache
def _date_tree(kind: str) -> dict:
    """``date_paths`` as a tree: a field's key -> its fields' tree, or None for a date; a list's key -> the rest of each
    path under its items. Walked, it skips a part the draft has not (most drafts have no 强制措施) at one look."""
    tree: dict = {}
    for path in date_paths(kind):
        node = tree
        for i, key in enumerate(path):
            if path[i + 1 : i + 2] == ("*",):
                node.setdefault(key, []).append(path[i + 2 :])
                break
            node = node.setdefault(key, {}) if i + 1 < len(path) else node.setdefault(key, None)
    return tree


def _dates_in(raw: dict, tree: dict, at: tuple, out: list[tuple[tuple, object]]) -> None:
    """(field path, value) of every date a raw document holds, in ``date_paths`` order (of a list: path by path, then
    item by item); a value absent or null, or under a part that is not a mapping or a list, is left out."""
    for key, sub in tree.items():
        value = raw.get(key)
        if value is None:
            continue
        where = (*at, key)
        if sub is None:
            out.append((where, value))
        elif isinstance(sub, dict):
            if isinstance(value, dict):
                _dates_in(value, sub, where, out)
        elif isinstance(value, list):
            out += [((*where, i, *w), v) for rest in sub for i, item in enumerate(value) for w, v in _values_at(item, rest)]


def _parsed_date(value: object) -> dt.date | None:
    try:
        day = _iso_date(value)
    except (ValueError, TypeError):
        return None
    return day if isinstance(day, dt.date) else None


def date_problems(kind: str, raw: dict, label: str) -> list[Problem]:
    """Dates outside FIRST_YEAR … the decision's year + YEARS_AHEAD, and orders of dates that cannot happen.

    Works on the raw document (dates that do not parse are left to the schema), so these problems are
    reported together with the schema's.
    """
    dates: dict[str | tuple, dt.date] = {}  # dotted field path (of an item of a list: its path, which no order names)
    keys: dict[str | tuple, tuple] = {}  # -> the path as a tuple
    found: list[tuple[tuple, object]] = []
    _dates_in(raw, _date_tree(kind), (), found)
    for where, value in found:
        day = _parsed_date(value)
        if day is not None:
            key = _DOTTED.get(where, where)
            dates[key], keys[key] = day, where
    this_year = dt.date.today().year
    reference = next((dates[p] for p in _REFERENCE[kind] if p in dates), None)
    out: list[Problem] = []
    if reference is not None and not FIRST_YEAR <= reference.year <= this_year + YEARS_AHEAD:
        where = next(p for p in _REFERENCE[kind] if p in dates)
        span = f"{FIRST_YEAR} 年至 {this_year + YEARS_AHEAD} 年"
        out.append(Problem.at(label, keys[where], f"日期 {reference} 超出可检查的范围（{span}），请核对年份"))
        reference = None
    last = (reference.year if reference else this_year) + YEARS_AHEAD
    for where, day in dates.items():
        if day is not reference and not FIRST_YEAR <= day.year <= last:
            out.append(Problem.at(label, keys[where], f"日期 {day} 超出可检查的范围（{FIRST_YEAR} 年至 {last} 年），请核对年份"))
    bad = {p.where for p in out}
    for earlier, later, meaning in _ORDER[kind]:
        a, b = dates.get(earlier), dates.get(later)
        if a and b and b < a and earlier not in bad and later not in bad:
            officer = f"{meaning}（{_label(earlier)}为 {a}，{_label(later)}为 {b}），请核对日期"
            out.append(Problem.at(label, keys[later], f"{meaning}（{earlier} 为 {a}，{later} 为 {b}），请核对日期", officer=officer))
    return out


def _label(dotted: str) -> str:
    """A field's Chinese label (decision.decided_on → 决定日期)."""
    return label_in(_field_labels(), dotted)


@functools.cache
def _field_labels() -> dict[str, str]:
    """Every field's full label (the same table engine/model/labels.py calls FIELDS), walked once."""
    return tables(MODELS.values(), field_choices)[0]


def _label_value(value: str) -> str:
    """A coded value in words (individual → 公民)."""
    return value_text(value)


def stage_problems(kind: str, raw: dict, label: str) -> list[Problem]:
    """What a penalty case needs at the stage it has reached (docs/procedure.md "案件办理中").

    A case is open until ``decision.decided_on`` is written: it needs ``procedure.filed_on`` (立案), and a
    step that presupposes the decision (送达) cannot be dated. A decided case needs its 违法行为 and 裁量阶次.
    """
    if kind != "penalty":
        return []
    decision, procedure = raw.get("decision"), raw.get("procedure")
    decision = decision if isinstance(decision, dict) else {}
    procedure = procedure if isinstance(procedure, dict) else {}
    out = []
    if decision.get("decided_on") is not None:
        if decision.get("tier") is None:
            out.append(Problem.at(label, "decision.tier", "缺少必填字段（已作出决定的，须写明裁量阶次）"))
        if raw.get("violation") is None:
            out.append(Problem.at(label, "violation", "缺少必填字段（已作出决定的，须写明违法行为的事实）"))
        return out
    if procedure.get("filed_on") is None:
        why = "缺少必填字段（尚未作出决定的案件，须写明立案日期；已作出决定的，请填写{}）"
        officer = why.format(_label("decision.decided_on"))
        out.append(Problem.at(label, "procedure.filed_on", why.format(" decision.decided_on"), officer=officer))
    if isinstance(raw.get("execution"), dict) and raw["execution"]:
        why = "履行与执行已填写，但没有决定日期{}：决定作出之前没有可履行或执行的决定，请核对"
        out.append(Problem.at(label, "execution", why.format("（decision.decided_on）"), officer=why.format("")))
    if procedure.get("served_on") is not None:
        why = "决定书送达日期已填写，但没有决定日期{}：决定作出之前不可能送达，请核对"
        out.append(Problem.at(label, "procedure.served_on", why.format("（decision.decided_on）"), officer=why.format("")))
    return out


def identity(text: object) -> str:
    """A name or a number as compared: NFKC (full-width forms as half-width), hidden characters (zero-width
    U+200B, U+FEFF, soft hyphen U+00AD, word joiner U+2060, bidi and other format characters, controls)
    and all whitespace removed. Every comparison of people or of numbers uses this, so one officer
    written twice with an invisible character in the second 执法证号 is one officer (第四十二条)."""
    if not isinstance(text, str):
        return ""
    text = unicodedata.normalize("NFKC", text)
    if has_hidden(text):
        text = "".join(c for c in text if not hidden(c))
    return "".join(text.split())


def identity_fields(draft: object) -> Iterator[tuple[str, str]]:
    """(field path, text) of every name and number in a draft that is compared with another."""
    # the draft's own fields: getattr of one its kind has not goes through BaseModel.__getattr__, which raises (~3 µs)
    fields = vars(draft)
    people = fields.get("people")
    for role in ("handler", "reviewer", "approver"):
        value = getattr(people, role, None)
        if isinstance(value, str):
            yield f"people.{role}", value
    procedure = fields.get("procedure")
    hearing = getattr(procedure, "hearing", None)
    people_rows = [
        ("procedure.officers", getattr(procedure, "officers", [])),
        ("inspectors", fields.get("inspectors")),
        ("procedure.hearing.presider", [hearing.presider] if hearing and hearing.presider else []),
        ("procedure.recusals", [r.officer for r in getattr(procedure, "recusals", None) or []]),
    ]
    for field, officers in people_rows:
        for i, o in enumerate(officers or []):
            where = field if field.endswith("presider") else f"{field}[{i}]" + (".officer" if field.endswith("recusals") else "")
            yield f"{where}.name", o.name
            if o.certificate is not None:
                yield f"{where}.certificate", o.certificate
    for i, a in enumerate(fields.get("approvals") or []):
        yield f"approvals[{i}].approved_by", a.approved_by


def hidden_warnings(draft: object) -> list[str]:
    """One line per name or number that holds invisible characters: they are ignored when comparing, and shown."""
    out = []
    for where, text in identity_fields(draft):
        if has_hidden(text):
            chars = "、".join(dict.fromkeys(f"U+{ord(c):04X}" for c in text if hidden(c)))
            out.append(f"{where}：含有不可见字符（{chars}），实际为 {shown(text)}；比较人员和证号时已忽略这些字符，请核对后删除")
    return out


# people named with a 执法证号 elsewhere in a penalty draft (issue 27 §3): compared with procedure.officers
_OTHER_HOLDERS = (("procedure", "hearing", "presider"), ("procedure", "recusals", "*", "officer"))


def officer_problems(raw: dict, label: str) -> list[Problem]:
    """One 执法证号 under two different names: one of the two entries is wrong, so the count of officers cannot be trusted.

    The hearing presider and an officer a 回避 application names are held to the officers' certificates too:
    the same number under another name would make "the presider is not an investigator" undecidable.
    """
    out = []
    for field in ("procedure.officers", "inspectors"):
        holders: dict[str, tuple[int, str]] = {}
        rows = [(w, o) for w, o in _values_at(raw, (*field.split("."), "*"))]
        if field == "procedure.officers":
            rows += [(w, o) for path in _OTHER_HOLDERS for w, o in _values_at(raw, path)]
        for where, officer in rows:
            if not isinstance(officer, dict):
                continue
            cert, name = identity(officer.get("certificate")), identity(officer.get("name"))
            if not name or not any(c.isdigit() for c in cert):  # a placeholder such as （执法证号） is no number
                continue
            if isinstance(where[-1], int):
                first = holders.setdefault(cert, (where[-1], name))
            elif cert not in holders:
                continue
            else:
                first = holders[cert]
            if first[1] != name:
                out.append(
                    Problem.at(
                        label,
                        (*where, "certificate"),
                        f"执法证号 {show_value(officer.get('certificate'))} 已登记在第 {first[0] + 1} 名执法人员「{first[1]}」名下："
                        f"执法证一人一证，请核对",
                    )
                )
    return out


def distinct_officers(officers: list[Officer]) -> list[Officer]:
    """Each officer once: the same name (ignoring spaces and full-width forms) with the same 执法证号 is one person.

    Two people may share a name, so the certificate is part of who an officer is; a certificate under
    two names is refused as input (``officer_problems``).
    """
    seen: dict[tuple[str, str], Officer] = {}
    for o in officers:
        seen.setdefault((identity(o.name), identity(o.certificate)), o)
    return list(seen.values())
