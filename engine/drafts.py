"""Pydantic models of the input (contract §3): a draft decision or record, discriminated by ``kind``.

``read_draft(path)`` parses one YAML or JSON file into a model or raises ``InputError`` with one
Chinese line per problem (file and field path). It never writes to the file.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from quanze.engine.errors import InputError, Problem, problems_from_validation, show_value
from quanze.engine.money import MoneyError, parse_money
from quanze.engine.yamlio import YamlProblem, load_yaml

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_date(value: object) -> object:
    if isinstance(value, dt.datetime):
        raise ValueError(f"期望 ISO 日期 YYYY-MM-DD (不含时间), 实际为 {show_value(str(value))}")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _ISO.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"不存在的日期, 实际为 {show_value(value)}") from None
    raise ValueError(f"期望 ISO 日期 YYYY-MM-DD, 实际为 {show_value(value)}")


def _money(value: object) -> Decimal:
    try:
        return parse_money(value)
    except MoneyError:
        raise ValueError(f'必须为非负金额 (数字或 "5万元"、"50,000元"、"伍万元" 这样的文字), 实际为 {show_value(value)}') from None


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]
Money = Annotated[Decimal, BeforeValidator(_money)]


class Model(BaseModel):
    """Base of every draft model: unknown keys are errors, values are frozen."""

    # defer_build: only the model of the draft's kind is built, on first use
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, defer_build=True)


class People(Model):
    """Who answers for the decision (追责对象)."""

    handler: str | None = None  # 具体承办人
    reviewer: str | None = None  # 内设机构负责人
    approver: str | None = None  # 单位法定代表人或分管领导


# --- penalty (§3.1) ---------------------------------------------------------------------


class Party(Model):
    name: str
    type: Literal["organization", "individual"]
    prior_violations: int = Field(default=0, ge=0)
    # extensions (README "不予处罚"): individuals only, both at the time of the act
    age: int | None = Field(default=None, ge=0, le=150)  # 周岁 when the act was committed; null = not recorded
    capacity: Literal["full", "partial", "none"] | None = None  # 辨认或者控制自己行为的能力 (第三十一条)

    @model_validator(mode="after")
    def _individual_only(self) -> Party:
        given = [f for f in ("age", "capacity") if getattr(self, f) is not None]
        if given and self.type != "individual":
            raise ValueError(f"{'、'.join(given)} 只适用于个人 (type: individual), 实际为 {self.type}")
        return self


class Rectification(Model):
    """An earlier order to rectify (限期改造 / 限期治理), the precondition of CF-01 and CF-03 closures."""

    ordered_on: IsoDate | None = None
    deadline: IsoDate | None = None
    met: bool | None = None
    impossible: bool | None = None  # 不能改造 (CF-01); extension of the contract


class Violation(Model):
    committed_on: IsoDate
    ended_on: IsoDate | None = None
    discovered_on: IsoDate
    illegal_gains: Money = Decimal(0)
    harm: Literal["none", "minor", "serious"] = "none"
    minor: bool = False
    corrected: bool = False
    no_fault_proven: bool = False
    factors: list[str] = []
    suspected_crime: bool = False
    already_fined_for_same_act: bool = False
    rectification: Rectification | None = None
    production_project: bool | None = None  # 生产性项目 (CF-01); extension of the contract
    affects_life_health_or_finance: bool = False  # 第三十六条 five-year period; extension
    facts_established: bool = True  # false: 违法事实不能成立 (第五十七条第一款第（三）项); extension
    restitution: Money = Decimal(0)  # 依法应当退赔的违法所得 (第二十八条第二款), not to be confiscated; extension

    @model_validator(mode="after")
    def _restitution_within_gains(self) -> Violation:
        if self.restitution > self.illegal_gains:
            raise ValueError(f"restitution (退赔 {self.restitution} 元) 不能大于 illegal_gains (违法所得 {self.illegal_gains} 元)")
        return self


class Sanction(Model):
    kind: str
    amount: Money | None = None
    duration_days: int | None = Field(default=None, ge=1)  # 期限 (e.g. 暂扣许可证件 30 日); extension of the contract


class Referral(Model):
    to: str
    proposal: str


CaseFlag = Literal["情节严重", "情节复杂", "重大违法行为", "涉及重大公共利益", "疑难复杂", "涉及多个法律关系"]
Tier = Literal["不予处罚", "减轻", "从轻", "一般", "从重"]


class Decision(Model):
    procedure: Literal["general", "summary"] = "general"
    tier: Tier
    sanctions: list[Sanction] = []
    referrals: list[Referral] = []
    transferred_to_judiciary: bool = False
    case_flags: list[CaseFlag] = []
    decided_on: IsoDate
    no_penalty_ground: str | None = None  # tier 不予处罚: its ground, a name of rules/vocabulary.yaml no_penalty_grounds

    @model_validator(mode="after")
    def _ground_only_without_penalty(self) -> Decision:
        if self.no_penalty_ground is not None and self.tier != "不予处罚":
            raise ValueError(f"no_penalty_ground 只用于 tier: 不予处罚, 实际 tier 为 {self.tier}")
        return self


class Officer(Model):
    name: str
    certificate: str | None = None


class Notice(Model):
    served_on: IsoDate
    rights: list[Literal["陈述", "申辩", "听证"]] = []
    proposed: list[Sanction] = []


class Hearing(Model):
    requested_on: IsoDate | None = None
    waived: bool = False
    notified_on: IsoDate | None = None
    held_on: IsoDate | None = None


class LegalReview(Model):
    on: IsoDate
    passed: bool


class Collective(Model):
    on: IsoDate


class Extension(Model):
    days: int = Field(ge=1)
    approved_on: IsoDate
    basis: str


class Procedure(Model):
    filed_on: IsoDate | None = None
    officers: list[Officer] = []
    notice: Notice | None = None
    statement_made: bool = False
    statement_waived: bool = False  # 当事人明确放弃陈述、申辩权利 (第六十二条但书); extension of the contract
    hearing: Hearing | None = None
    legal_review: LegalReview | None = None
    collective_discussion: Collective | None = None
    extension: Extension | None = None
    served_on: IsoDate | None = None


class PenaltyDraft(Model):
    """A draft 行政处罚决定 (items CF-01 … CF-05)."""

    kind: Literal["penalty"]
    case_id: str
    item: str
    party: Party
    violation: Violation
    decision: Decision
    procedure: Procedure = Procedure()
    people: People = People()


# Procedure steps taken before the decision. A step whose key the draft leaves out is "未填写" (cannot
# be checked), not "not done": an explicit null (or false) says the step was not taken. 送达 is
# left out on purpose: a draft decision is usually checked before it is served.
PROCEDURE_STEPS = ("filed_on", "officers", "notice", "statement_made", "hearing", "legal_review", "collective_discussion", "extension")
NOTICE_PARTS = ("rights", "proposed")


def unfilled_sections(draft: PenaltyDraft) -> list[str]:
    """Paths of the procedure sections a penalty draft leaves out (key absent, as opposed to null)."""
    if "procedure" not in draft.model_fields_set:
        return ["procedure"]
    p = draft.procedure
    out = [f"procedure.{k}" for k in PROCEDURE_STEPS if k not in p.model_fields_set]
    if p.notice is not None:
        out += [f"procedure.notice.{k}" for k in NOTICE_PARTS if k not in p.notice.model_fields_set]
    return out


# --- filing (§3.2) ----------------------------------------------------------------------


class Applicant(Model):
    name: str
    type: Literal["organization", "individual"]
    category: str | None = None


class FilingDates(Model):
    obligation_from: IsoDate | None = None
    submitted_on: IsoDate
    accepted_on: IsoDate | None = None
    supplement_notified_on: IsoDate | None = None
    decided_on: IsoDate | None = None


class FilingDecision(Model):
    outcome: Literal["accepted", "rejected", "supplement_requested"]
    reasons: str = ""
    fee_charged: Money = Decimal(0)
    registration_no: str | None = None
    published_on: IsoDate | None = None
    extension_notified_on: IsoDate | None = None
    extension_approved_on: IsoDate | None = None  # 延期经负责人批准之日; extension of the contract


FactValue = bool | int | float | str | None


class FilingDraft(Model):
    """A 备案 decision (items QT-02 … QT-06)."""

    kind: Literal["filing"]
    case_id: str
    item: str
    applicant: Applicant
    dates: FilingDates
    facts: dict[str, FactValue] = {}
    materials_complete: bool = True
    decision: FilingDecision
    people: People = People()


# --- inspection (§3.3) ------------------------------------------------------------------


class Target(Model):
    name: str
    type: Literal["organization", "individual"]


class RandomSelection(Model):
    targets: bool = False
    inspectors: bool = False


class Approval(Model):
    measure: str
    approved_by: str
    on: IsoDate


class FollowUp(Model):
    action: Literal["立案", "责令整改", "移送"]
    on: IsoDate


class InspectionDraft(Model):
    """A 行政检查 record (items JC-01 … JC-08)."""

    kind: Literal["inspection"]
    case_id: str
    item: str
    target: Target
    basis: Literal["random", "complaint", "referral", "ex_officio", "special"]
    random_selection: RandomSelection = RandomSelection()
    annual_plan: bool = False
    inspectors: list[Officer] = []
    performed_on: IsoDate
    matters: list[str] = []
    measures: list[str] = []
    approvals: list[Approval] = []
    violations_found: bool = False
    follow_up: FollowUp | None = None
    results_published_on: IsoDate | None = None
    people: People = People()


# --- complaint (§3.4) -------------------------------------------------------------------


class Complainant(Model):
    name: str
    type: Literal["organization", "individual"]


class Respondent(Model):
    name: str
    type: Literal["organization", "individual"]
    registered_here: bool = True
    licensed: bool = True


class ComplaintDraft(Model):
    """A 涉外劳务纠纷投诉举报 handling record (item QT-01)."""

    kind: Literal["complaint"]
    case_id: str
    item: str
    complainant: Complainant
    respondent: Respondent
    received_on: IsoDate
    registered: bool = False
    transferred_to: str | None = None
    complainant_informed_on: IsoDate | None = None
    verified_on: IsoDate | None = None
    outcome: Literal["handled", "transferred", "rejected"]
    fee_charged: Money = Decimal(0)
    people: People = People()


Draft = PenaltyDraft | FilingDraft | InspectionDraft | ComplaintDraft
MODELS: dict[str, type[Model]] = {
    "penalty": PenaltyDraft,
    "filing": FilingDraft,
    "inspection": InspectionDraft,
    "complaint": ComplaintDraft,
}
KINDS = tuple(MODELS)


def parse_text(text: str, label: str, as_json: bool = False) -> object:
    """The raw document of a YAML or JSON text; InputError on a syntax error."""
    if as_json:
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError([Problem(label, f"第 {exc.lineno} 行", f"JSON 语法错误: {exc.msg}")]) from None
    try:
        return load_yaml(text)
    except YamlProblem as exc:
        raise InputError([Problem(label, f"第 {exc.line} 行" if exc.line else "", exc.reason)]) from None


def validate_draft(raw: object, label: str) -> PenaltyDraft | FilingDraft | InspectionDraft | ComplaintDraft:
    """Validate a raw document against the contract; InputError lists every problem."""
    if not isinstance(raw, dict):
        raise InputError([Problem(label, "", f"期望一个映射 (kind: …), 实际为 {show_value(raw)}")])
    kind = raw.get("kind")
    if kind not in KINDS:
        msg = "缺少必填字段" if kind is None else f"期望以下之一: {', '.join(KINDS)}, 实际为 {show_value(kind)}"
        raise InputError([Problem(label, "kind", msg)])
    try:
        return MODELS[kind].model_validate(raw)  # type: ignore[return-value]
    except ValidationError as exc:
        raise InputError(problems_from_validation(label, exc)) from None


def read_draft(path: Path | str) -> PenaltyDraft | FilingDraft | InspectionDraft | ComplaintDraft:
    """Read and validate one draft file (YAML, or JSON by its .json suffix)."""
    path = Path(path)
    label = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError([Problem(label, "", f"无法读取文件: {exc.strerror or exc}")]) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError([Problem(label, "", "不是 UTF-8 编码的文本")]) from None
    raw = parse_text(text, label, as_json=path.suffix.lower() == ".json")
    return validate_draft(raw, label)
