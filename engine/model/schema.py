"""Pydantic models of the rule files under ``rules/``: catalog items, laws, provisions.

Every model is strict: unknown keys are rejected and instances are frozen.
"""


import datetime as dt
import re
from fractions import Fraction
from itertools import pairwise
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Discriminator, Field, Tag, model_validator

ITEM_ID = r"^(QT-0[1-6]|JC-0[1-8]|CF-0[1-5])$"
PROVISION_ID = r"^[a-z][a-z0-9_]*\.a\d+(\.k\d+)?(\.x\d+)?$"
LAW_ID = r"^[a-z][a-z0-9_]*$"

Role = Literal["handler", "reviewer", "approver"]
Table = Literal["其他行政权力", "行政检查", "行政处罚"]


class Strict(BaseModel):
    """Base for every rule-file model: unknown keys are errors, values are frozen."""

    # defer_build: validators are built on first use, not at import (a cached RuleSet needs none)
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


# --- catalog (权责清单) -----------------------------------------------------------


class CitedArticle(Strict):
    """One article as the 权责清单 cites it: its reference and text exactly as published."""

    ref: str = Field(min_length=1)  # as published: 第七十六条, 第十六条第二款, 第五章、第六章、第七章
    text: str | None = None  # verbatim as published; None when only the number is given
    provision: str | None = Field(default=None, pattern=PROVISION_ID)  # encoded provision id


class Citation(Strict):
    """One law or document cited in a column of the 权责清单."""

    rank: str = Field(min_length=1)  # the bracketed label as published: 法律, 法规, 规章, 规范性文件 …
    title: str = Field(min_length=1)  # title with its published parenthetical, as published
    law: str | None = Field(default=None, pattern=LAW_ID)  # rules/provisions/<law>/ when encoded
    articles: list[CitedArticle] = []
    text: str | None = None  # a passage quoted without an article number


class NumberedEntry(Strict):
    """An entry of a numbered list as published (numbers keep their gaps)."""

    no: int = Field(ge=1)
    text: str = Field(min_length=1)


class Accountable(NumberedEntry):
    """One 追责对象 and the draft role (``people``) that fills it."""

    role: Role


_LIST_NUMBER = re.compile(r"^\s*\d+[.．、]\s*")  # “1.” before a 子项名称 in the published 权责清单


class CatalogItem(Strict):
    """One item of the 权责清单, every published column kept."""

    id: str = Field(pattern=ITEM_ID)
    table: Table
    seq: int = Field(ge=1)  # 序号 within its table, as published
    name: str  # 事项名称
    sub_name: str | None = None  # 子项名称
    power_type: str  # 权力类型
    bases: list[Citation]  # 实施依据
    subject: str  # 行使主体
    office: str  # 承办机构
    level: str  # 实施层级及权限: the level (县市级 …)
    level_scope: str | None = None  # 实施层级及权限: the scope sentence under the level
    duty: str  # 部门职责
    responsibilities: str  # 责任事项内容
    responsibility_bases: list[Citation]  # 责任事项依据
    accountable: list[Accountable]  # 追责对象范围
    triggers_preamble: str  # the sentence before the 追责情形 list
    triggers: list[NumberedEntry]  # 追责情形
    remarks: str | None = None  # 备注
    notes: list[str] = []  # where the PDF layout lost or split text, and what was done about it

    @model_validator(mode="after")
    def _table_matches_id(self) -> "CatalogItem":
        prefix = {"QT": "其他行政权力", "JC": "行政检查", "CF": "行政处罚"}[self.id[:2]]
        if self.table != prefix:
            raise ValueError(f"id {self.id} 属于「{prefix}」表, 实际为「{self.table}」")
        if int(self.id[3:]) != self.seq:
            raise ValueError(f"id {self.id} 与序号 {self.seq} 不一致")
        nos = [t.no for t in self.triggers]
        if nos != sorted(set(nos)):
            raise ValueError(f"追责情形编号须严格递增: {nos}")
        return self

    @property
    def sub_title(self) -> str:
        """The 子项名称 as an officer reads it: without the number the 权责清单 lists it under (“1.” “2、”), or ""."""
        return _LIST_NUMBER.sub("", self.sub_name or "")


# --- conditions (the rule language compiled to durable-rules) --------------------------

Scalar = bool | int | float | str


class Param(Strict):
    """A value taken at compile time from the applicable provision version or a parameter file."""

    param: str  # dotted path, e.g. fine.max or hearing.organization


OPERATORS = ("eq", "ne", "gt", "gte", "lt", "lte", "in_", "not_in")


class Test(Strict):
    """One comparison of a fact with a value: exactly one operator is given."""

    fact: str = Field(pattern=r"^[a-z][a-z0-9_]*(\{[a-z_]+\}[a-z0-9_]*)?$")  # {key} in templates
    eq: Scalar | Param | None = None
    ne: Scalar | Param | None = None
    gt: int | float | Param | None = None
    gte: int | float | Param | None = None
    lt: int | float | Param | None = None
    lte: int | float | Param | None = None
    in_: list[Scalar] | None = Field(default=None, alias="in")
    not_in: list[Scalar] | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)

    @model_validator(mode="after")
    def _one_operator(self) -> "Test":
        given = [op for op in OPERATORS if op in self.model_fields_set]
        if len(given) != 1:
            raise ValueError(f"条件须恰好有一个比较运算 (eq/ne/gt/gte/lt/lte/in/not_in), 实际为 {given}")
        return self

    @property
    def op(self) -> str:
        """The operator name given (read on every evaluation: a plain loop over the fields set)."""
        given = self.__pydantic_fields_set__
        for op in OPERATORS:
            if op in given:
                return op
        raise ValueError("条件没有比较运算")  # never after validation (_one_operator)

    @property
    def value(self) -> Scalar | Param | list[Scalar]:
        """The value compared with."""
        return getattr(self, self.op)


class All(Strict):
    """Every sub-condition holds."""

    all: list["Condition"] = Field(min_length=1)


class Any_(Strict):
    """At least one sub-condition holds."""

    any: list["Condition"] = Field(min_length=1)


class Splice(Strict):
    """Placeholder inside a check template: replaced by a condition taken from the provision or vocabulary."""

    # missing_when: a reserved kind's precondition is not met; none_imposed: no kind of a one_of group
    # (or of a required kind and those meeting it) is imposed; unless: when a required sanction is not needed
    splice: Literal["missing_when", "none_imposed", "unless"]


class Bound(Strict):
    """A compile-time test of a for_each binding (e.g. the sanction key), folded to true or false."""

    bound: Literal["key", "kind", "penalty"]  # penalty: the kind's vocabulary flag (an order is not a penalty)
    eq: str | bool | None = None
    ne: str | bool | None = None
    in_: list[str] | None = Field(default=None, alias="in")
    not_in: list[str] | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)

    @model_validator(mode="after")
    def _one_operator(self) -> "Bound":
        given = [op for op in ("eq", "ne", "in_", "not_in") if op in self.model_fields_set]
        if len(given) != 1:
            raise ValueError(f"bound 条件须恰好有一个比较运算 (eq/ne/in/not_in), 实际为 {given}")
        return self

    def holds(self, bindings: dict[str, Any]) -> bool:
        """Whether the binding satisfies the test."""
        value = bindings[self.bound]
        if "eq" in self.model_fields_set:
            return value == self.eq
        if "ne" in self.model_fields_set:
            return value != self.ne
        if "in_" in self.model_fields_set:
            return value in (self.in_ or [])
        return value not in (self.not_in or [])


class Ref(Strict):
    """A named condition from the ``definitions:`` of a check file, inserted at compile time."""

    ref: str = Field(pattern=r"^[a-z][a-z0-9_]*$")


class Not(Strict):
    """The sub-condition does not hold (negated at compile time: no negation reaches durable-rules)."""

    not_: "Condition" = Field(alias="not")

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)


_TAGS = (("fact", "Test"), ("all", "All"), ("any", "Any"), ("splice", "Splice"), ("ref", "Ref"), ("bound", "Bound"), ("not", "Not"))


def _condition_tag(value: Any) -> str | None:
    if isinstance(value, dict):
        return next((tag for key, tag in _TAGS if key in value), None)
    return {Test: "Test", All: "All", Any_: "Any", Splice: "Splice", Ref: "Ref", Bound: "Bound", Not: "Not"}.get(type(value))


Condition = Annotated[
    Annotated[Test, Tag("Test")]
    | Annotated[All, Tag("All")]
    | Annotated[Any_, Tag("Any")]
    | Annotated[Splice, Tag("Splice")]
    | Annotated[Ref, Tag("Ref")]
    | Annotated[Bound, Tag("Bound")]
    | Annotated[Not, Tag("Not")],
    Discriminator(
        _condition_tag, custom_error_type="condition", custom_error_message="条件须含 fact、all、any、not、splice、ref 或 bound 之一"
    ),
]


# --- laws and provisions -----------------------------------------------------------


class LawEvent(Strict):
    """A dated event in a law's history (通过, 修订, 修正, 施行, 废止)."""

    date: dt.date
    event: str


class Law(Strict):
    """``rules/provisions/<law>/index.yaml``: the law itself."""

    id: str = Field(pattern=LAW_ID)
    title: str  # full title, e.g. 中华人民共和国节约能源法
    short: str  # label used in output, e.g. 节约能源法
    rank: Literal["法律", "行政法规", "部门规章", "地方性法规", "地方政府规章", "规范性文件"]
    doc_no: str | None = None  # 文号 / 令号
    history: list[LawEvent] = []
    source: str
    note: str | None = None


def _whole_yuan(value: Any) -> Any:
    """A money text as drafts write it ("5万元", "壹拾万元") in whole yuan; other values are left to the type."""
    if not isinstance(value, str):
        return value
    from quanze.engine.model.money import MoneyError, parse_money

    try:
        amount = parse_money(value)
    except MoneyError:
        raise ValueError(f"期望金额（如 50000、5万元、伍万元），实际为 {value!r}") from None
    if amount != amount.to_integral_value():
        raise ValueError(f"罚款幅度须为整元，实际为 {value!r}")
    return int(amount)


Yuan = Annotated[int, BeforeValidator(_whole_yuan)]  # whole yuan; the same money texts as drafts accept


class Sanction(Strict):
    """A sanction a provision lets the bureau impose itself."""

    kind: str  # a kind from rules/vocabulary.yaml
    # always / when_gains (违法所得 > 0) / optional / one_of (at least one kind of its `group` is required)
    required: Literal["always", "when_gains", "optional", "one_of"]
    group: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9_]*$")  # one_of: the group's ASCII name
    unless: Condition | None = None  # facts under which a required kind is not needed (e.g. an earlier order)
    min: Yuan | None = Field(default=None, ge=0)  # yuan, fines only; 以上 includes the bound
    max: Yuan | None = Field(default=None, ge=0)  # yuan, fines only; 以下 includes the bound
    provision: str | None = Field(default=None, pattern=PROVISION_ID)  # when another article provides it
    note: str | None = None

    @model_validator(mode="after")
    def _range(self) -> "Sanction":
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"罚款下限 {self.min} 大于上限 {self.max}")
        if (self.required == "one_of") != (self.group is not None):
            raise ValueError("required: one_of 须且只须与 group 同时给出")
        return self


class Reserved(Strict):
    """Sanctions only 本级人民政府 may impose; the bureau may only propose them (a referral)."""

    kinds: list[str] = Field(min_length=1)
    to: str  # 本级人民政府
    precondition: str  # the statutory condition, in words
    missing_when: Condition  # facts under which the precondition is NOT met
    note: str | None = None


class PenaltyRules(Strict):
    """What a penalty provision lets the bureau do."""

    sanctions: list[Sanction] = Field(min_length=1)
    reserved: list[Reserved] = []


class ProvisionVersion(Strict):
    """One dated text of a provision."""

    in_force_from: dt.date | None  # None only with a note saying the date is unknown
    in_force_until: dt.date | None = None  # last day in force; None = still in force
    text: str = Field(min_length=1)  # verbatim
    source: str = Field(min_length=1)  # where the text comes from (file in shared/, commit, seed)
    verified: bool  # True: checked against a verbatim statute text, not only the seed
    note: str | None = None
    grants_power: bool = True  # False: this text no longer contains the power an item rests on
    penalty: PenaltyRules | None = None  # only on provisions that set sanctions

    def fine(self) -> Sanction | None:
        """The 罚款 this version provides, or None."""
        return next((s for s in self.penalty.sanctions if s.kind == "罚款"), None) if self.penalty else None

    def fine_range(self) -> tuple[int, int] | None:
        """(min, max) yuan of the 罚款 this version provides, or None when it sets no fine range."""
        fine = self.fine()
        return (fine.min, fine.max) if fine and fine.min is not None and fine.max is not None else None

    @model_validator(mode="after")
    def _dates(self) -> "ProvisionVersion":
        if self.in_force_from is None and not self.note:
            raise ValueError("in_force_from 未知时必须用 note 说明")
        if self.in_force_from and self.in_force_until and self.in_force_until < self.in_force_from:
            raise ValueError("in_force_until 早于 in_force_from")
        return self


def _period(v: ProvisionVersion) -> str:
    """2018-10-26 至 2024-12-31, or 2024-06-01 起 while in force."""
    return f"{v.in_force_from} 至 {v.in_force_until}" if v.in_force_until else f"{v.in_force_from} 起"


class Provision(Strict):
    """``rules/provisions/<law>/a<N>[.k<M>].yaml``: one article (or 款) and its versions."""

    id: str = Field(pattern=PROVISION_ID)
    law: str = Field(pattern=LAW_ID)
    article: str  # 第七十六条 / 第四十条第二款
    versions: list[ProvisionVersion] = Field(min_length=1)
    note: str | None = None

    @model_validator(mode="after")
    def _versions_ordered(self) -> "Provision":
        if not self.id.startswith(self.law + "."):
            raise ValueError(f"id {self.id} 与 law {self.law} 不一致")
        dated = [(i, v) for i, v in enumerate(self.versions, 1) if v.in_force_from]
        for (i, a), (j, b) in pairwise(dated):
            if a.in_force_until is None or a.in_force_until >= b.in_force_from:  # type: ignore[operator]
                raise ValueError(f"versions 的施行期间重叠或未按时间排序：第 {i} 个版本（{_period(a)}）与第 {j} 个版本（{_period(b)}）")
        return self


def provision_path_id(law: str, filename: str) -> str:
    """The id a provision file must carry, from its folder and file name."""
    stem = re.sub(r"\.ya?ml$", "", filename)
    return f"{law}.{stem}"


# --- vocabulary, findings, checks -------------------------------------------------------


class General(Strict):
    """A requirement of 行政处罚法 that holds for every penalty item, whatever its provision lists."""

    required: Literal["when_gains", "optional"]  # when_gains: 违法所得 > 0 (net of 退赔); optional: always allowed
    basis: str  # label of the article, e.g. 行政处罚法 第二十八条第二款
    text: str  # the article's words, verbatim
    source: str


class SanctionKind(Strict):
    """A sanction kind of the contract, with the ASCII key used in engine facts."""

    kind: str
    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    penalty: bool  # False: an order (责令改正 …) that is not a 行政处罚 (第二十八条)
    rank: int = Field(ge=0)  # severity for 从旧兼从轻; higher is heavier
    basis: str  # where the kind and its nature come from
    general: General | None = None  # a requirement on every penalty item (第二十八条), kept whatever a provision lists
    satisfies: list[str] = []  # kinds a requirement of which this kind also meets (责令限期改正 meets 责令改正)
    note: str | None = None


class NoPenaltyGround(Strict):
    """A lawful ground for deciding no 行政处罚 (``decision.no_penalty_ground``), and the facts it needs."""

    name: str  # what a draft writes
    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    basis: list[str] = Field(min_length=1)  # labels of its articles, e.g. 行政处罚法 第三十三条第一款
    text: str  # the article's words, verbatim (legal-facts §1.2)
    mandatory: bool  # True: 不予 / 不再 (a penalty would be unlawful); False: 可以不予
    requires: str  # the facts it needs, in words (quoted in messages)
    holds_when: Condition  # the facts under which the ground is made out
    source: str
    note: str | None = None


class ApproverRole(Strict):
    """A post whose approval a measure needs (``approval_by``), and the titles that name it in a record."""

    role: str  # as the item's approval_by writes it, e.g. 主要负责人
    titles: list[str] = Field(min_length=1)  # a part of approved_by containing one of these names the post
    not_with: list[str] = []  # …unless it also contains one of these (副局长 contains 局长)
    unsure_with: list[str] = []  # a part with one of these (主持工作, 代理) is neither the post nor another: unverified
    source: str
    note: str | None = None


class Bureau(Strict):
    """The bureau itself: its level, for a referral to "本级人民政府" (节约能源法 第七十一条、第七十二条)."""

    name: str
    level: str  # 县级 …
    government: str  # the people's government of its own level
    other_levels: list[str]  # words that name a government or body of another level (州, 自治区 …)
    source: str
    note: str | None = None


class Vocabulary(Strict):
    """``rules/vocabulary.yaml``: closed word lists of the draft format."""

    sanctions: list[SanctionKind]
    measures: list["Measure"] = []
    no_penalty_grounds: list[NoPenaltyGround] = []
    approver_roles: list[ApproverRole] = []
    other_titles: list[str] = []  # posts that are none of approver_roles (科长, 副局长): such an approval is not the one required
    anonymous_words: list[str] = []  # a complainant named by one of these made the complaint anonymously (QT-01)
    head_titles: list[str] = []  # words of a post that names a 行政机关负责人 (集体讨论, 第五十七条第二款; issue 27 §3)
    bureau: Bureau | None = None


Severity = Literal["error", "warning", "info"]
Defect = Literal["certificate", "basis", "range", "procedure", "transfer", "not_punished", "other"]
# What a finding concerns, for attribution: the content of the decision, or a step before or after it.
Stage = Literal["decision", "step"]
# The 意见书's 审核意见 headings, 国办发〔2018〕118号 (十三) 明确审核内容 in its order (legal-facts §12.2)
ReviewHeading = Literal["subject", "procedure", "facts", "law", "authority", "documents", "crime"]
DraftKind = Literal["penalty", "filing", "inspection", "complaint"]


class FindingDef(Strict):
    """``rules/findings.yaml``: one finding code of the contract."""

    code: str = Field(pattern=r"^[A-Z][A-Z0-9_]*$")
    severity: Severity
    kind: DraftKind
    also: list[DraftKind] = []  # other draft kinds whose checks raise it (查封、扣押 in penalty and inspection records)
    title: str
    defect: Defect  # accountability category: picks the item's 追责情形 numbers
    # decision content or a step: picks who answers (accountability.yaml attribution). Not given: taken
    # from the defect (procedure, certificate -> step; others -> decision), and the output says so.
    stage: Stage | None = None
    checked: str | None = None  # what the check examines, in Chinese: the title of a passing check (explain)
    # the (十三) heading the 意见书 lists it under; not given: from the defect and stage (present/opinion_review.py)
    heading: ReviewHeading | None = None
    sanction: str | None = None  # the vocabulary sanction kind it is about (a read document's words naming it)
    note: str | None = None

    @property
    def concerns(self) -> tuple[Stage, bool]:
        """What the finding concerns, and whether the rules say so (False: inferred from the defect)."""
        if self.stage is not None:
            return self.stage, True
        return ("step" if self.defect in ("procedure", "certificate") else "decision"), False


# The day whose law applies: the decision, or a procedure step (行政处罚法: "the procedure in force
# when the step was taken"). A step the draft does not record falls back to the decision day.
Step = Literal["decision", "filed", "notice", "hearing", "served", "submitted", "performed", "received"]

ForEach = Literal[
    "measures_not_provided",  # coercive inspection measures the item's basis does not provide
    "measures_unlisted",  # other (non-coercive) inspection measures the item's basis does not list
    "measures_needing_approval",  # measures the basis allows only after a written approval
    "kinds_not_provided",  # vocabulary kinds the version neither provides nor reserves
    "kinds_required",  # sanctions the version makes mandatory
    "kinds_required_when_gains",  # sanctions mandatory when there are illegal gains (provision or 第二十八条)
    "kinds_required_one_of",  # groups of kinds of which the version makes one mandatory
    "no_penalty_grounds",  # the grounds of rules/vocabulary.yaml no_penalty_grounds
    "kinds_reserved",  # kinds reserved to 本级人民政府
    "reserved_referrals",  # (reserved group, kind) pairs: a referral proposing that kind
]


class CheckRule(Strict):
    """One rule in ``rules/checks/*.yaml``: when the condition holds, the finding is raised."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    code: str = Field(pattern=r"^[A-Z][A-Z0-9_]*$")
    items: list[str] | None = None  # item ids it applies to; None = every item of the file's kind
    needs: list[str] = []  # params that must exist for the rule to apply (e.g. fine)
    for_each: ForEach | None = None
    when: Condition
    message: str  # Chinese template; {name} takes a fact, a param or a for_each binding
    basis: list[str] = Field(min_length=1)  # labels; "{provision}" = the applicable provision
    overrides: list[str] = []  # ids of rules this one displaces when both fire (named, not ordered)
    at: Step | None = None  # the step whose date picks the params version (default: the file's params_at)
    defect: Defect | None = None  # accountability category when it differs from the code's (findings.yaml)
    stage: Stage | None = None  # what it concerns when it differs from the code's (findings.yaml)
    note: str | None = None


class CheckFile(Strict):
    """``rules/checks/<family>.yaml``: one family of checks for one kind of draft."""

    kind: DraftKind
    # the same rules also check these kinds: the loader adds a copy per kind, each rule id suffixed _<kind>
    also: list[DraftKind] = []
    family: str
    # which dated version of rules/params/*.yaml its {param: …} values come from, unless a rule says `at:`
    params_at: Step = "decision"
    definitions: dict[str, Condition] = {}  # named conditions, used as {ref: name}
    rules: list[CheckRule] = Field(min_length=1)


# --- discretion ------------------------------------------------------------------------


class Factor(Strict):
    """A discretion factor (情节) by its statutory name, without the trailing 的."""

    name: str
    effect: Literal["mitigating", "aggravating"]
    mandatory: bool  # True: the law says 应当 (从轻或者减轻 must follow)
    permits_reduction: bool  # True: 减轻 (below the minimum) is lawful on this ground
    source: str
    note: str | None = None


class FactorList(Strict):
    """``rules/discretion/factors.yaml``: the closed list of factor names a draft may give."""

    factors: list[Factor]


class Band(Strict):
    """A tier's share of the fine range, as fractions of (max − min) above min."""

    tier: Literal["从轻", "一般", "从重"]
    lower: Fraction = Field(ge=0, le=1)
    upper: Fraction = Field(ge=0, le=1)


class Discretion(Strict):
    """``rules/discretion/<provision id>.yaml``: 裁量基准 for one provision's fine."""

    provision: str = Field(pattern=PROVISION_ID)
    bands: list[Band] = Field(min_length=1)
    allowed: dict[str, list[str]]  # claimed tier -> bands a fine of that tier may lie in
    source: str
    note: str | None = None
    default: bool = False  # the split is no published 裁量基准 (the note says why): listed by ``rules audit``


class Recommendation(Strict):
    """One row of the recommended-tier table: first row whose condition holds wins."""

    when: Condition | None = None  # None = otherwise
    tier: Literal["不予处罚", "减轻", "从轻", "一般", "从重"]


class DiscretionPolicy(Strict):
    """``rules/discretion/policy.yaml``: how the recommended tier follows from the facts."""

    recommend: list[Recommendation] = Field(min_length=1)
    source: str
    note: str | None = None


# --- version choice (从旧兼从轻) ---------------------------------------------------------


class LighterPolicy(Strict):
    """``rules/lighter.yaml``: how two versions of a provision are compared for 从旧兼从轻."""

    # kinds: each 行政处罚 kind its own criterion (应当 > 可以/报请 > 无); fine_max, fine_min: the fine range
    criteria: list[Literal["kinds", "fine_max", "fine_min"]] = Field(min_length=1)
    general_when_gains: list[str] = []  # kinds every version requires when there are gains (第二十八条第二款)
    heavier_than_old: list[str] = []  # finding codes under the act-time version that mean "heavier than it allows"
    source: str
    note: str | None = None


# --- accountability ----------------------------------------------------------------------


class Answerer(Strict):
    """A role that answers for a finding, and the kind of responsibility it bears."""

    role: Role
    responsibility: str
    when: Literal["legal_review_passed"] | None = None  # only when the draft records this (None: always)


class AttributionRule(Strict):
    """A named way of attributing a defect to the draft's people."""

    title: str
    persons: list[Answerer] = Field(min_length=1)
    source: str
    note: str | None = None


class Attribution(Strict):
    """Which attribution rule applies, by what the finding concerns (findings.yaml ``stage``)."""

    step: str  # a step before or after the decision (the step's own attribution)
    decision: str  # the content of a decision taken without 集体讨论
    collective: str  # the content of a decision taken by 集体讨论 (行政处罚法 第五十七条第二款)
    codes: dict[str, str] = {}  # finding code -> rule, for a step whose duty lies with one role (overrides the stage)
    rules: dict[str, AttributionRule]
    note: str | None = None


class AccountabilityRules(Strict):
    """``rules/accountability.yaml``."""

    hooks: dict[str, str | None]  # penalty items: defect category or finding code -> statute hook
    own_hooks: dict[str, str | None] = {}  # non-penalty items: item -> the item's own accountability basis
    lists: dict[str, dict[str, list[int]]]  # item -> (finding code or defect category) -> 追责情形 numbers
    unmatched: dict[str, str] = {}  # finding code -> why no published 追责情形 fits it (its lists entry is [])
    attribution: Attribution


# --- parameters of a law, dated --------------------------------------------------------


class ParamVersion(Strict):
    """The numbers of one law for one period."""

    in_force_from: dt.date | None  # None: date unknown (then the note must say so; applied with a warning)
    in_force_until: dt.date | None = None
    source: str
    params: dict[str, dict[str, int | float | str | bool]]
    notes: dict[str, str] = {}  # per group: where its numbers come from, how certain they are
    unverified: list[str] = []  # groups whose numbers are defaults, not verified law (rules audit lists them)
    note: str | None = None


class ParamFile(Strict):
    """``rules/params/<law>.yaml``."""

    law: str = Field(pattern=LAW_ID)
    versions: list[ParamVersion] = Field(min_length=1)


class ItemEngine(Strict):
    """``rules/items.yaml`` entry: how the engine checks one catalog item."""

    kind: DraftKind
    provision: str | None = Field(default=None, pattern=PROVISION_ID)


# --- working-day calendar overrides ------------------------------------------------------


class StatutoryHoliday(Strict):
    """One 法定节假日 of 全国年节及纪念日放假办法: its first day by calendar, and how many days."""

    name: str
    calendar: Literal["gregorian", "lunar", "solar_term"]
    month: int | None = Field(default=None, ge=1, le=12)  # gregorian or lunar month (lunar: not a leap month)
    day: int | None = Field(default=None, ge=1, le=31)
    term: str | None = None  # solar_term: the 节气, e.g. 清明
    first_offset: int = 0  # days from that date to the first day off (春节: -1, 农历除夕)
    days: int = Field(default=1, ge=1)
    wording: str | None = None  # the text's own words for the days

    @model_validator(mode="after")
    def _placed(self) -> "StatutoryHoliday":
        if self.calendar == "solar_term" and not self.term:
            raise ValueError("solar_term 须写明 term（节气名）")
        if self.calendar != "solar_term" and (self.month is None or self.day is None):
            raise ValueError(f"{self.calendar} 须写明 month 和 day")
        return self


class RegionalFestival(Strict):
    """A regional festival fixed by the 伊斯兰历 (肉孜节: 10月1日, 古尔邦节: 12月10日): in a year without the
    region's notice, the days from ``before`` days before to ``after`` days after its tabular date may be off."""

    name: str
    hijri_month: int = Field(ge=1, le=12)
    hijri_day: int = Field(ge=1, le=30)
    before: int = Field(ge=0, le=15)
    after: int = Field(ge=0, le=15)
    most_off: int = Field(ge=0, le=15)  # at most this many weekdays of the window are off (the notices' largest)


class CalendarYear(Strict):
    """``rules/calendar/<year>.yaml`` (national), ``<region>-<year>.yaml`` (regional overlay) or
    ``statutory-<year>.yaml`` (the 放假办法 text in force from that year: the holidays computed for a
    year that has neither a national file nor package data)."""

    year: int = Field(ge=2000, le=2100)
    scope: Literal["national", "regional", "statutory", "festivals"]
    region: str | None = None  # e.g. 新疆维吾尔自治区, for a regional overlay
    counted_as_holiday: bool = True  # regional days: whether they count as 法定节假日 (第八十五条)
    holidays: list[dt.date] = []  # days off (放假), weekdays included
    workdays: list[dt.date] = []  # make-up working days on a weekend (调休上班)
    statutory_days: list[StatutoryHoliday] = []  # statutory: the holidays the text fixes
    adjustment_window_days: int | None = Field(default=None, ge=0)  # statutory: how far from a holiday 调休 may reach
    text: str | None = None  # statutory: the article's wording
    festivals: list[RegionalFestival] = []  # festivals: a region's festivals, for the years after ``year`` without its notice
    source: str
    note: str | None = None

    @model_validator(mode="after")
    def _in_year(self) -> "CalendarYear":
        for day in self.holidays + self.workdays:
            if day.year != self.year:
                raise ValueError(f"日期 {day} 不在 {self.year} 年")
        if self.scope in ("regional", "festivals") and not self.region:
            raise ValueError(f"{self.scope} 日历须写明 region")
        if self.scope == "festivals" and not self.festivals:
            raise ValueError("festivals 日历须写明 festivals")
        if self.scope == "statutory" and (not self.statutory_days or self.adjustment_window_days is None):
            raise ValueError("statutory 日历须写明 statutory_days 和 adjustment_window_days")
        return self


# --- non-penalty items: filings, inspections, complaints -------------------------------


class Measure(Strict):
    """An inspection measure of the closed vocabulary (what an officer may write in ``measures``)."""

    name: str
    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    record_only: bool = False  # a way of recording (拍照录音录像): allowed in every inspection
    coercive: bool = False  # a 行政强制措施 (行政强制法 第九条): outside the basis an error, else a warning
    note: str | None = None


class Matter(Strict):
    """A matter an inspection basis lets the bureau inspect."""

    text: str
    source: str  # the provision (label) it is read from


class AllowedMeasure(Strict):
    """A measure an inspection basis provides, and whether it needs a written approval first."""

    measure: str
    source: str
    approval_by: str | None = None  # who must approve it in writing before it is taken
    note: str | None = None


class InspectionItem(Strict):
    """``rules/inspection/<JC-xx>.yaml``: what one inspection power allows."""

    item: str = Field(pattern=ITEM_ID)
    basis: list[str] = Field(min_length=1)  # provision ids the power rests on
    matters: list[Matter] = Field(min_length=1)
    measures: list[AllowedMeasure] = Field(min_length=1)
    random_required_for: list[Literal["random", "complaint", "referral", "ex_officio", "special"]] = []
    random_source: str | None = None
    publish_results_for: list[Literal["random", "complaint", "referral", "ex_officio", "special"]] = []
    publish_source: str | None = None
    note: str | None = None

    @staticmethod
    def source_label(source: str | None) -> str | None:
        """The article label a ``random_source`` / ``publish_source`` starts with: 外商投资信息报告办法 第二十一条
        of "外商投资信息报告办法 第二十一条 (采取抽查方式 …)" (the first of several joined by ;)."""
        if not source:
            return None
        return source.split(" (")[0].split("（")[0].replace("；", ";").split(";")[0].strip() or None


FactType = Literal["number", "text", "bool"]


class ItemFact(Strict):
    """A fact a filing draft gives in ``facts:`` for one item, with its default when absent: its name (``label``, a
    short noun) and what an officer needs to know to fill it in (``hint``: unit, article), each as the form shows it."""

    type: FactType
    default: bool | int | float | str
    label: str
    hint: str = ""
    choices: list[str] | None = None  # for text facts with a closed list

    @property
    def meaning(self) -> str:
        """The label with its hint, as one phrase (``quanze new``'s comment, the item detail's ``meaning``)."""
        return f"{self.label}：{self.hint}" if self.hint else self.label

    @property
    def python_type(self) -> type:
        """The type of the engine fact (numbers are compared as float)."""
        return {"number": float, "text": str, "bool": bool}[self.type]

    def accepts(self, value: object) -> bool:
        """Whether a value has this fact's type (a bool is not a number)."""
        if self.type == "number":
            return isinstance(value, (int, float)) and not isinstance(value, bool)
        return isinstance(value, self.python_type)


class FilingItem(Strict):
    """``rules/filing/<QT-xx>.yaml``: what one filing power requires."""

    item: str = Field(pattern=ITEM_ID)
    basis: str = Field(pattern=PROVISION_ID)  # its versions decide FILING_BASIS_REPEALED
    facts: dict[str, ItemFact] = {}
    note: str | None = None


# --- audit of the catalog ------------------------------------------------------------------


class KnownDefect(Strict):
    """A defect of the published 权责清单 that cannot be computed from the rules."""

    item: str = Field(pattern=ITEM_ID)
    column: str
    text: str
    source: str


class AuditRules(Strict):
    """``rules/audit.yaml``: how citation labels map to ranks, and the seed's known defects."""

    rank_labels: dict[str, list[str]]  # label as published -> Law.rank values it may stand for
    known_defects: list[KnownDefect]


# --- subject and conduct (issue 17 §1: 主体是否适格、适用法律是否准确) --------------------------


class PartyRole(Strict):
    """A party role of ``rules/subjects.yaml``: a draft names it by id, name or synonym."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    synonyms: list[str] = []
    within: list[str] = []  # broader roles this one is always a kind of (a 机动车生产企业 is a 生产单位)
    # who can hold it: only an organization (a 企业 or 机构: a 公民 is none, an exclusive status), a 单位
    # (whether an individual, such as a 个体工商户, can be one is not settled: a warning) or anyone
    holder: Literal["organization", "unit", "any"] = "any"
    source: str
    note: str | None = None


class CoveredRole(Strict):
    """A role an item's provision punishes, inspects or registers, with the article's words."""

    role: str
    words: str  # verbatim from the provision text or the 权责清单
    provision: str = Field(pattern=PROVISION_ID)
    note: str | None = None


class Conduct(Strict):
    """A conduct (违法行为) an item's provision covers; a draft names it by id, text or synonym."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    text: str
    synonyms: list[str] = []
    words: str  # verbatim from the provision text
    provision: str = Field(pattern=PROVISION_ID)
    note: str | None = None


class ItemSubjects(Strict):
    """Who and what one item covers.

    ``others`` says what a role of the vocabulary outside ``roles`` means: ``error`` (the provision
    names a status the party does not have), ``uncertain`` (the provision names a capacity any party may
    hold, such as the 建设单位 of a project: a warning stating both readings) or ``covered`` (the provision
    names no subject: any role).
    """

    roles: list[CoveredRole] = []
    others: Literal["error", "uncertain", "covered"] = "error"
    others_note: str | None = None
    conducts: list[Conduct] = []
    note: str | None = None


class SubjectRules(Strict):
    """``rules/subjects.yaml``: the party roles, and per item the roles and conducts its provision covers."""

    roles: list[PartyRole]
    items: dict[str, ItemSubjects]


# --- elements (构成要件) and the facts a decision relies on (issue 27 §2) ----------------------------


ElementKind = Literal["subject", "conduct", "circumstance", "result", "amount"]


class Element(Strict):
    """One element (构成要件) of a penalty provision, with the article's words it comes from.

    ``applies``: ``always``, or ``referral`` (only where the decision refers a sanction to the 本级人民政府:
    the circumstance the provision makes that referral depend on, such as 情节严重). An evidence row names
    the element by ``name`` or ``id`` in ``proves``.
    """

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    kind: ElementKind
    words: str  # verbatim in the text of every version of ``provision`` (rules validate refuses others)
    provision: str = Field(pattern=PROVISION_ID)
    applies: Literal["always", "referral"] = "always"
    note: str | None = None


class ItemElements(Strict):
    """The elements of one penalty item's provision."""

    elements: list[Element]
    note: str | None = None


class DecisiveFact(Strict):
    """A fact a decision may rely on (违法所得, 严重危害后果, 此前违法): evidence is asked for when the draft relies on it.

    ``field`` is the draft field whose value means the decision relies on it: ``violation.illegal_gains``
    (more than 0), ``violation.harm`` (serious), ``party.prior_violations`` (more than 0). Each 情节 a draft
    names in ``violation.factors`` is such a fact too, named by the 情节 itself (rules/discretion/factors.yaml).
    """

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    field: Literal["violation.illegal_gains", "violation.harm", "party.prior_violations"]
    words: str
    provision: str = Field(pattern=PROVISION_ID)
    note: str | None = None


class ElementRules(Strict):
    """``rules/elements.yaml``: per penalty item, the elements of its provision; the decisive facts of every item."""

    items: dict[str, ItemElements]
    decisive: list[DecisiveFact] = []


# --- the documents a party receives (issue 27 §4) ----------------------------------------------------


class DocumentStatement(Strict):
    """A sentence the 告知书 or 决定书 carries because the law says it, with the article's words."""

    text: str  # as the document says it; ＿ marks a blank the bureau fills in
    words: str  # verbatim from the article (from legal-facts when ``provision`` is not in rules/provisions)
    basis: str  # 行政处罚法 第六十七条第三款
    provision: str | None = Field(default=None, pattern=PROVISION_ID)
    source: str | None = None
    note: str | None = None


class DocumentRules(Strict):
    """``rules/documents.yaml``: the statements of the 行政处罚事先告知书 and the 行政处罚决定书."""

    notice: dict[Literal["statement", "no_heavier", "hearing"], DocumentStatement]
    decision: dict[Literal["payment", "surcharge", "review", "litigation"], DocumentStatement]
