"""Pydantic models of the input (contract §3): a draft decision or record, discriminated by ``kind``.

``read_draft(path)`` parses one YAML or JSON file into a model or raises ``InputError`` with one
Chinese line per problem (file and field path). It never writes to the file.
"""

from __future__ import annotations

import datetime as dt
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
from typing import Annotated, Literal, Union, get_args, get_origin

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, WithJsonSchema, model_validator

from quanze.engine.errors import InputError, Problem, did_you_mean, display_path, field_path, problems_from_validation, show_value
from quanze.engine.money import MoneyError, parse_money
from quanze.engine.text import has_hidden, hidden, shown
from quanze.engine.yamlio import YamlProblem, load_yaml

# dates as officers write them: 2026-08-20, 2026-8-20, 2026/08/20, 2026年8月20日
_DATE = re.compile(r"^(\d{4})(?:([-/])(\d{1,2})\2(\d{1,2})|年(\d{1,2})月(\d{1,2})日)$")
_DATE_FORMS = "2026-08-20、2026-8-20、2026/08/20 或 2026年8月20日"


def _iso_date(value: object) -> object:
    if isinstance(value, dt.datetime):
        raise ValueError(f"期望日期（{_DATE_FORMS}，不含时间），实际为 {show_value(str(value))}")
    if isinstance(value, dt.date):
        return value
    match = _DATE.match(value.strip()) if isinstance(value, str) else None
    if match:
        year, _, month, day, month_cn, day_cn = match.groups()
        try:
            return dt.date(int(year), int(month or month_cn), int(day or day_cn))
        except ValueError:
            raise ValueError(f"不存在的日期, 实际为 {show_value(value)}") from None
    raise ValueError(f"期望日期（{_DATE_FORMS}），实际为 {show_value(value)}")


def _money(value: object) -> Decimal:
    try:
        return parse_money(value)
    except MoneyError as exc:
        why = f"（{exc.reason}）" if exc.reason else ""
        raise ValueError(f'必须为非负金额 (数字或 "5万元"、"50,000元"、"伍万元" 这样的文字), 实际为 {show_value(value)}{why}') from None


_PERSON_TYPES = {"单位": "organization", "个人": "individual", "organization": "organization", "individual": "individual"}


def _person_type(value: object) -> object:
    if isinstance(value, str) and value.strip() in _PERSON_TYPES:
        return _PERSON_TYPES[value.strip()]
    raise ValueError(f"期望以下之一：单位、个人（或 organization、individual），实际为 {show_value(value)}")


def _text(value: object) -> object:
    """A number written where text is meant (a certificate number) is taken as its digits."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


# the JSON Schema (quanze schema, the API's OpenAPI) shows what is accepted, not only the canonical form
_DATE_SCHEMA = {
    "type": "string",
    "pattern": r"^\d{4}(-\d{1,2}-\d{1,2}|/\d{1,2}/\d{1,2}|年\d{1,2}月\d{1,2}日)$",
    "description": f"日期：{_DATE_FORMS}",
}
_MONEY_SCHEMA = {
    "anyOf": [{"type": "number", "minimum": 0}, {"type": "string"}],
    "description": '金额（元）：数字，或 "7万元"、"50,000元"、"伍万元" 这样的文字',
}
_PERSON_TYPE_SCHEMA = {"enum": ["organization", "individual", "单位", "个人"], "description": "当事人类型：单位 或 个人"}

IsoDate = Annotated[dt.date, BeforeValidator(_iso_date), WithJsonSchema(_DATE_SCHEMA)]
Money = Annotated[Decimal, BeforeValidator(_money), WithJsonSchema(_MONEY_SCHEMA)]
PersonType = Annotated[Literal["organization", "individual"], BeforeValidator(_person_type), WithJsonSchema(_PERSON_TYPE_SCHEMA)]
Text = Annotated[str, BeforeValidator(_text), WithJsonSchema({"type": ["string", "integer"]})]


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
    type: PersonType
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

    @model_validator(mode="after")
    def _money_sanction_not_zero(self) -> Sanction:
        # a 罚款 or 没收 of 0 元 is no sanction: the officer means none; read as one it would give "罚款 0 元"
        if self.amount is not None and self.amount == 0 and self.kind in ("罚款", "没收违法所得"):
            raise ValueError(f"{self.kind}金额为 0 元：不给予{self.kind}的，请不要列出此项")
        return self


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
    certificate: Text | None = None


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
    procedure: Procedure = Field(default_factory=Procedure)  # built on first use, not at import
    people: People = Field(default_factory=People)


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
    type: PersonType
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
    people: People = Field(default_factory=People)


# --- inspection (§3.3) ------------------------------------------------------------------


class Target(Model):
    name: str
    type: PersonType


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
    random_selection: RandomSelection = Field(default_factory=RandomSelection)
    annual_plan: bool = False
    inspectors: list[Officer] = []
    performed_on: IsoDate
    matters: list[str] = []
    measures: list[str] = []
    approvals: list[Approval] = []
    violations_found: bool = False
    follow_up: FollowUp | None = None
    results_published_on: IsoDate | None = None
    people: People = Field(default_factory=People)


# --- complaint (§3.4) -------------------------------------------------------------------


class Complainant(Model):
    name: str
    type: PersonType


class Respondent(Model):
    name: str
    type: PersonType
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
    # contract extension: false = not a 涉外劳务纠纷 within 涉外劳务纠纷投诉举报处置办法 第二条 (README)
    within_scope: bool = True
    fee_charged: Money = Decimal(0)
    people: People = Field(default_factory=People)


Draft = PenaltyDraft | FilingDraft | InspectionDraft | ComplaintDraft
MODELS: dict[str, type[Model]] = {
    "penalty": PenaltyDraft,
    "filing": FilingDraft,
    "inspection": InspectionDraft,
    "complaint": ComplaintDraft,
}
KINDS = tuple(MODELS)


MAX_DRAFT_BYTES = 1 << 20  # 1 MiB: a draft is a few KiB; anything this large is not one
MAX_DEPTH = 32  # the same nesting bound as YAML drafts (yamlio.MAX_DEPTH)
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


def parse_text(text: str, label: str, as_json: bool = False) -> object:
    """The raw document of a YAML or JSON text; InputError on a syntax error, a duplicate key or an oversized text."""
    if len(text) > MAX_DRAFT_BYTES:
        raise InputError([Problem(label, "", f"文本超过 {MAX_DRAFT_BYTES // 1024} KiB，不是草稿，拒绝读取")])
    if not encodable(text):  # a str handed over with a lone surrogate (a file's bytes never decode to one)
        line = next(i for i, row in enumerate(text.splitlines(), 1) if not encodable(row))
        raise InputError([Problem(label, f"第 {line} 行", "含有无效字符（孤立的代理项，不是合法的 Unicode）")])
    if as_json:
        try:
            raw = json.loads(text, object_pairs_hook=_no_duplicate_keys, parse_float=_finite, parse_constant=_bad_constant)
        except json.JSONDecodeError as exc:
            raise InputError([Problem(label, f"第 {exc.lineno} 行", f"JSON 语法错误: {exc.msg}")]) from None
        except _DuplicateKey as exc:
            raise InputError([Problem(label, "", f"JSON 中有重复的键 {show_value(exc.args[0])}（同一键只能出现一次）")]) from None
        except RecursionError:
            raise InputError([Problem(label, "", f"JSON 嵌套过深（超过 {MAX_DEPTH} 层）")]) from None
        except ValueError as exc:  # NaN, Infinity, 1e999, an integer of thousands of digits
            raise InputError([Problem(label, "", f"JSON 中有无法表示的数值：{show_value(str(exc))}")]) from None
    else:
        try:
            raw = load_yaml(text)
        except YamlProblem as exc:
            raise InputError([Problem(label, f"第 {exc.line} 行" if exc.line else "", exc.reason)]) from None
    # a lone surrogate can only come from a JSON \\u escape (libyaml refuses one); the full walk runs
    # only when the cheap one finds the nesting too deep or such an escape is there
    if _too_deep(raw) or (as_json and "\\u" in text):
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
            return [Problem(label, field_path(path), f"嵌套过深（超过 {MAX_DEPTH} 层）")]
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(key, str) and not encodable(key):
                    out.append(Problem(label, field_path(path), f"键 {show_value(key)} 含有无效字符（孤立的代理项，不是合法的 Unicode）"))
                stack.append((value, (*path, key), depth + 1))
        elif isinstance(node, list):
            stack.extend((v, (*path, i), depth + 1) for i, v in enumerate(node))
        elif isinstance(node, str) and not encodable(node):
            out.append(Problem(label, field_path(path), f"含有无效字符（孤立的代理项，不是合法的 Unicode），实际为 {show_value(node)}"))
    return sorted(out, key=lambda p: p.where)


def encodable(text: str) -> bool:
    """Whether a text is valid UTF-8 (no lone surrogates)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


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
    """For an unknown field, ", 是否指「…」?" naming the closest field of the same mapping."""

    def hint(err: dict) -> str:
        if err["type"] != "extra_forbidden" or not err["loc"]:
            return ""
        at = _model_at(model, tuple(err["loc"][:-1]))
        return did_you_mean(str(err["loc"][-1]), at.model_fields, cutoff=0.6) if at else ""

    return hint


def validate_draft(raw: object, label: str, more=None) -> PenaltyDraft | FilingDraft | InspectionDraft | ComplaintDraft:
    """Validate a raw document against the contract; InputError lists every problem.

    ``more(raw)`` (optional) lists further problems of a document that fails the schema, such as names
    the rules do not know (engine.check.name_problems), so all problems are reported in one run.
    """
    if not isinstance(raw, dict):
        raise InputError([Problem(label, "", f"期望一个映射 (kind: …), 实际为 {show_value(raw)}")])
    kind = raw.get("kind")
    if kind not in KINDS:
        msg = "缺少必填字段" if kind is None else f"期望以下之一: {', '.join(KINDS)}, 实际为 {show_value(kind)}"
        raise InputError([Problem(label, "kind", msg)])
    extra = date_problems(kind, raw, label) + officer_problems(raw, label)
    try:
        draft = MODELS[kind].model_validate(raw)
    except ValidationError as exc:
        problems = _merged(problems_from_validation(label, exc, hint=_unknown_field_hint(MODELS[kind])), extra)
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
    path = Path(path)
    label = display_path(path)
    data = read_bounded(path, label)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError([Problem(label, "", "不是 UTF-8 编码的文本")]) from None
    raw = parse_text(text, label, as_json=path.suffix.lower() == ".json")
    return validate_draft(raw, label, more)


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
        with os.fdopen(os.dup(fd), "rb") as fh:
            data = fh.read(MAX_DRAFT_BYTES + 1)
    except OSError as exc:
        raise InputError([Problem(label, "", f"无法读取文件: {exc.strerror or exc}")]) from None
    finally:
        os.close(fd)
    if len(data) > MAX_DRAFT_BYTES:
        raise InputError([Problem(label, "", f"文件超过上限 {MAX_DRAFT_BYTES} 字节（1 MiB），拒绝读取")])
    return data


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
    "penalty": ("decision.decided_on",),
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
    dates: dict[str, dt.date] = {}
    for path in date_paths(kind):
        if "*" in path:
            found = [(field_path(where), value) for where, value in _values_at(raw, path)]
        else:
            value: object = raw
            for key in path:
                value = value.get(key) if isinstance(value, dict) else None
            found = [(_DOTTED[path], value)] if value is not None else []
        for where, value in found:
            day = _parsed_date(value)
            if day is not None:
                dates[where] = day
    this_year = dt.date.today().year
    reference = next((dates[p] for p in _REFERENCE[kind] if p in dates), None)
    out: list[Problem] = []
    if reference is not None and not FIRST_YEAR <= reference.year <= this_year + YEARS_AHEAD:
        where = next(p for p in _REFERENCE[kind] if p in dates)
        span = f"{FIRST_YEAR} 年至 {this_year + YEARS_AHEAD} 年"
        out.append(Problem(label, where, f"日期 {reference} 超出可检查的范围（{span}），请核对年份"))
        reference = None
    last = (reference.year if reference else this_year) + YEARS_AHEAD
    for where, day in dates.items():
        if day is not reference and not FIRST_YEAR <= day.year <= last:
            out.append(Problem(label, where, f"日期 {day} 超出可检查的范围（{FIRST_YEAR} 年至 {last} 年），请核对年份"))
    bad = {p.where for p in out}
    for earlier, later, meaning in _ORDER[kind]:
        a, b = dates.get(earlier), dates.get(later)
        if a and b and b < a and earlier not in bad and later not in bad:
            out.append(Problem(label, later, f"{meaning}（{earlier} 为 {a}，{later} 为 {b}），请核对日期"))
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
    people = getattr(draft, "people", None)
    for role in ("handler", "reviewer", "approver"):
        value = getattr(people, role, None)
        if isinstance(value, str):
            yield f"people.{role}", value
    procedure = getattr(draft, "procedure", None)
    for field, officers in (("procedure.officers", getattr(procedure, "officers", [])), ("inspectors", getattr(draft, "inspectors", []))):
        for i, o in enumerate(officers or []):
            yield f"{field}[{i}].name", o.name
            if o.certificate is not None:
                yield f"{field}[{i}].certificate", o.certificate
    for i, a in enumerate(getattr(draft, "approvals", []) or []):
        yield f"approvals[{i}].approved_by", a.approved_by


def hidden_warnings(draft: object) -> list[str]:
    """One line per name or number that holds invisible characters: they are ignored when comparing, and shown."""
    out = []
    for where, text in identity_fields(draft):
        if has_hidden(text):
            chars = "、".join(dict.fromkeys(f"U+{ord(c):04X}" for c in text if hidden(c)))
            out.append(
                f"{where}：含有不可见字符（{chars}），实际为 {shown(text)}；比较人员和证号时已忽略这些字符，请核对后删除"
            )
    return out


def officer_problems(raw: dict, label: str) -> list[Problem]:
    """One 执法证号 under two different names: one of the two entries is wrong, so the count of officers cannot be trusted."""
    out = []
    for field in ("procedure.officers", "inspectors"):
        holders: dict[str, tuple[int, str]] = {}
        for where, officer in _values_at(raw, (*field.split("."), "*")):
            if not isinstance(officer, dict):
                continue
            cert, name = identity(officer.get("certificate")), identity(officer.get("name"))
            if not name or not any(c.isdigit() for c in cert):  # a placeholder such as （执法证号） is no number
                continue
            first = holders.setdefault(cert, (where[-1], name))
            if first[1] != name:
                out.append(
                    Problem(
                        label,
                        f"{field_path(where)}.certificate",
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
