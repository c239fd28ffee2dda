"""The facts registry: every fact the engine derives for the rules, one ``Fact`` entry each — its name, type,
Chinese label, the draft field it is read from (one per kind where the kinds hold it in different places), the draft
kinds it is derived for, the draft parts whose absence leaves it unknown, its unit and what an open case settles of
it — and the tables that derive from it.

One place to add a fact: an entry in ``FACTS``. Derived from it, once at import: ``fact_types(kind, rules)`` (the
catalogue ``quanze rules validate`` checks every condition of ``rules/`` against, engine/load/rulechecks.py),
``MESSAGE_TEXTS`` (what a finding message may name besides), ``fact_label``/``fact_source`` (the trace and
``explain``), ``SUBJECT_FACTS``, ``EVIDENCE_FACTS`` and ``SECTION_FACTS`` (a part of the draft left out leaves
them unknown: engine/check/checker.py), ``STEP_FACTS``/``ONCE_TRUE_FACTS`` (engine/check/stage.py),
``MEASURE_STEMS`` (engine/check/measures.py), ``MONEY_FACTS`` and ``unit_of`` (engine/model/valuewords.py).
engine/check/facts.py and its neighbours only measure them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

PENALTY, FILING, INSPECTION, COMPLAINT = "penalty", "filing", "inspection", "complaint"  # the draft kinds
KINDS = (PENALTY, FILING, INSPECTION, COMPLAINT)
YUAN, PERSONS, TIMES = "元", "人", "次"
STEPS, ONCE_TRUE = "steps", "once true"  # what an open case settles of a fact (Fact.open_case)


def unit_by_name(name: str) -> str:
    """The unit a numeric fact's name implies (个工作日, 日, 年, 项): the default of ``Fact.unit``, and the unit of a
    fact the registry does not list (a filing item's, rules/filings)."""
    if name.endswith("_workdays"):
        return "个工作日"
    if name.endswith("_days") or name.startswith("days_"):
        return "日"
    if name.startswith("years_"):
        return "年"
    return "项" if name.startswith("n_") else ""


@dataclass(frozen=True)
class Fact:
    """One derived fact."""

    name: str  # ``imposed_{key}``: one fact per entry of the vocabulary ``per`` names
    type: type
    label: str  # Chinese, as the trace and explain show it ("" for a text no trace shows: the name stands)
    # the draft field it is read from ("" = derived from the rules or several fields); a mapping kind -> field where the
    # kinds hold it in different places (a filing's decision.outcome is a complaint's outcome): Fact.source_in
    source: str | Mapping[str, str] = field(default="", hash=False)
    kinds: tuple[str, ...] = (PENALTY,)  # the draft kinds it is derived for
    unknown_without: tuple[str, ...] = ()  # the draft parts whose absence leaves it unknown (checker: not_checked)
    unit: str | None = None  # 元, 人, 次; None: by its name (unit_by_name)
    open_case: str = ""  # STEPS: the steps an open case records settle it; ONCE_TRUE: settled once true; "": the decision
    text: bool = False  # only a finding message quotes it; no condition may test it
    per: str = ""  # a vocabulary of rules/vocabulary.yaml: one fact per entry ({key}; the label's {name})

    def __post_init__(self) -> None:
        if self.unit is None:
            object.__setattr__(self, "unit", unit_by_name(self.name))
        if isinstance(self.source, Mapping) and set(self.source) != set(self.kinds):
            raise ValueError(f"{self.name}: a source per kind names each of its kinds {self.kinds}, not {tuple(self.source)}")

    def source_in(self, kind: str) -> str:
        """The draft field it is read from in a draft of ``kind``."""
        return self.source.get(kind, "") if isinstance(self.source, Mapping) else self.source

    @property
    def sources(self) -> tuple[str, ...]:
        """Every draft field it is read from, one per kind that holds it elsewhere."""
        return tuple(dict.fromkeys(self.source.values())) if isinstance(self.source, Mapping) else (self.source,)


def _texts(*names: str, kinds: tuple[str, ...] = (PENALTY,), open_case: str = "") -> tuple[Fact, ...]:
    """Texts derived only for finding messages (no condition tests them, no trace shows them)."""
    return tuple(Fact(n, str, "", kinds=kinds, open_case=open_case, text=True) for n in names)


def _roles(prefix: str, kinds: tuple[str, ...]) -> tuple[Fact, ...]:
    """The texts of a role or conduct check (rules/subjects.yaml): what was written, expected, the words, elsewhere."""
    return _texts(*(f"{prefix}_{t}" for t in ("written", "expected", "words", "elsewhere")), kinds=kinds)


def _role_check(prefix: str, kind: str, party: str, labels: tuple[str, str, str, str]) -> tuple[Fact, ...]:
    """A role check of rules/subjects.yaml on ``<party>.role`` and ``.type``: the role written is one the basis names, or
    may be (both unknown when the role is left out); an individual where the basis names only organisations, or
    units; and the texts its messages quote. ``labels``: covered, uncertain, individual excluded, individual uncertain."""
    role, kinds = f"{party}.role", (kind,)
    return (
        Fact(f"{prefix}_covered", bool, labels[0], role, kinds=kinds, unknown_without=(role,)),
        Fact(f"{prefix}_uncertain", bool, labels[1], role, kinds=kinds, unknown_without=(role,)),
        Fact(f"{prefix}_individual_excluded", bool, labels[2], f"{party}.type", kinds=kinds),
        Fact(f"{prefix}_individual_uncertain", bool, labels[3], f"{party}.type", kinds=kinds),
        *_roles(prefix, kinds),
    )


def _measured(stem: str, label: str) -> tuple[Fact, Fact]:
    """A limit of 查封、扣押 or 先行登记保存 (engine/check/measures.py): the count ``n_<stem>`` of the measures beyond
    it and the text ``<stem>`` naming them; the steps an open case records settle both."""
    both: dict[str, Any] = {"source": "coercive_measures", "kinds": (PENALTY, INSPECTION), "open_case": STEPS}
    return Fact(f"n_{stem}", int, label, **both), Fact(stem, str, "", **both, text=True)


_FILED, _EXT, _NOTICE, _PROPOSED = "procedure.filed_on", "procedure.extension", "procedure.notice", "procedure.notice.proposed"
_RIGHTS = "procedure.notice.rights"
_FC = (FILING, COMPLAINT)  # a filing holds outcome and fee under decision, a complaint at the top level
_HEARING, _REVIEW, _COLLECTIVE = "procedure.hearing", "procedure.legal_review", "procedure.collective_discussion"
_RANDOM, _PUBLISHED, _INFORMED = "random_selection", "results_published_on", "complainant_informed_on"

LIMITATION_FIELD = "violation.affects_life_health_or_finance"
GAINS_FIELD = "violation.illegal_gains"
# fields a draft may leave out (未填写, README: an absent key, where null, false or [] say "not done") whose checks then
# wait, as a procedure section's do, per kind; the facts each leaves unknown say so (``unknown_without``): FIELD_FACTS
UNFILLED_FIELDS: dict[str, tuple[str, ...]] = {
    PENALTY: (LIMITATION_FIELD, GAINS_FIELD),
    INSPECTION: (_RANDOM, "annual_plan", "inspectors", "follow_up", _PUBLISHED),
    COMPLAINT: ("registered", "verified_on", _INFORMED),
}
FACTS: tuple[Fact, ...] = (
    # 行政处罚 — 依据与时间
    Fact("basis_in_force", bool, "处罚依据有效", kinds=(PENALTY, FILING)),
    Fact("version_readings_differ", bool, "新旧两个版本对本案的结论不同"),  # 从旧兼从轻: two crossing versions differ
    Fact("basis_rank", str, "处罚依据的效力层级"),
    Fact("years_act_to_discovery", int, "行为终了至发现已满年数", "violation.discovered_on"),
    Fact("basis_reason", str, "条文版本选择理由", kinds=(PENALTY, FILING), text=True),
    Fact("act_end", str, "违法行为终了日", "violation.ended_on", text=True),
    Fact("discovered_on", str, "违法行为发现日", "violation.discovered_on", text=True),
    Fact("decided_on", str, "决定日期", "decision.decided_on", text=True),
    *_texts("version_readings", "extension_approved_on", "extension_basis", "extension_counted_days"),
    # 行政处罚 — 当事人与违法行为
    Fact(
        "affects_life_health_or_finance",
        bool,
        "涉及生命健康安全或金融安全且有危害后果",
        "violation.affects_life_health_or_finance",
        unknown_without=(LIMITATION_FIELD,),  # 第三十六条 五年: left out, the limitation of an act with harm is unknown
    ),
    Fact("party_type", str, "当事人类型", "party.type", open_case=STEPS),
    Fact("prior_violations", int, "当事人此前违法次数", "party.prior_violations", unit=TIMES),
    Fact("party_age", int, "当事人年龄", "party.age"),
    Fact("party_capacity", str, "当事人辨认或控制自己行为的能力", "party.capacity"),
    Fact("harm", str, "危害后果", "violation.harm"),
    Fact("minor", bool, "违法行为轻微", "violation.minor"),
    Fact("corrected", bool, "已及时改正", "violation.corrected"),
    Fact("no_fault_proven", bool, "有证据足以证明没有主观过错", "violation.no_fault_proven"),
    Fact("suspected_crime", bool, "涉嫌犯罪", "violation.suspected_crime"),
    Fact("already_fined_for_same_act", bool, "同一违法行为已被罚款", "violation.already_fined_for_same_act"),
    Fact("facts_established", bool, "违法事实成立", "violation.facts_established"),
    Fact("production_project", bool, "生产性项目", "violation.production_project"),
    Fact("rectification_ordered", bool, "已责令整改", "violation.rectification.ordered_on"),
    Fact("rectification_failed", bool, "逾期未整改", "violation.rectification"),
    Fact("rectification_impossible", bool, "不能改造", "violation.rectification.impossible"),
    Fact("no_penalty_ground_holds", bool, "事实构成某一不予处罚情形", "violation"),
    Fact("mandatory_no_penalty_ground_holds", bool, "事实构成应当不予处罚的情形", "violation"),
    Fact("mandatory_no_penalty_ground_made_out", bool, "应当不予处罚的情形已查明", "violation"),
    # 主体与行为 (issue 17 §1; rules/subjects.yaml): unknown when the draft leaves the role or the conduct out
    *_role_check(
        "subject",
        PENALTY,
        "party",
        (
            "当事人身份是所适用条文规定的主体",
            "当事人身份是否为条文规定的主体不能确定",
            "当事人是个人，而条文处罚的只能是企业或者机构",
            "当事人是个人，而条文处罚的是单位",
        ),
    ),
    Fact("conduct_covered", bool, "违法行为是所适用条文规定的行为", "violation.conduct", unknown_without=("violation.conduct",)),
    *_roles("conduct", (PENALTY,)),
    # 裁量情节
    Fact("n_mitigating", int, "从轻情节数", "violation.factors"),
    Fact("n_aggravating", int, "从重情节数", "violation.factors"),
    Fact("n_reduction_grounds", int, "减轻处罚情节数", "violation.factors"),
    Fact("n_mandatory_mitigating", int, "应当从轻情节数", "violation.factors"),
    Fact("factors", str, "违法情节", "violation.factors", text=True),
    # 行政处罚 — 决定
    Fact("anything_decided", bool, "决定给予处罚、责令或报请", "decision.sanctions"),  # any sanction, order or referral
    Fact("referral_wrong_level", bool, "报请的机关不是本级人民政府（另一层级）", "decision.referrals"),
    Fact("referral_not_government", bool, "报请的机关不是人民政府", "decision.referrals"),
    Fact("tier", str, "裁量阶次", "decision.tier"),
    Fact("procedure", str, "程序类别", "decision.procedure", open_case=STEPS),
    Fact("transferred_to_judiciary", bool, "已移送司法机关", "decision.transferred_to_judiciary"),
    Fact("penalty_imposed", bool, "给予了行政处罚", "decision.sanctions"),
    Fact("n_penalty_kinds", int, "给予的行政处罚种类数", "decision.sanctions"),
    Fact("no_penalty_ground", str, "不予处罚的情形", "decision.no_penalty_ground"),
    Fact("fine_amount", float, "罚款数额", "decision.sanctions", unit=YUAN),
    Fact("fine_band", str, "罚款所在阶次", "decision.sanctions"),
    Fact("band_allows_tier", bool, "罚款数额与裁量阶次相符", "decision.tier"),
    Fact("fine_upper_half", bool, "罚款高于法定幅度的中间数额", "decision.sanctions"),  # no split makes it 从轻
    Fact("range_text", str, "法定罚款幅度", "decision.sanctions"),
    Fact("illegal_gains", float, "违法所得", "violation.illegal_gains", unit=YUAN),
    Fact("confiscated_gains", float, "没收违法所得数额", "decision.sanctions", unit=YUAN),
    Fact("restitution", float, "依法应当退赔的违法所得", "violation.restitution", unit=YUAN),
    Fact("gains_to_confiscate", float, "应当没收的违法所得", "violation.illegal_gains", unit=YUAN),
    Fact("confiscation_diff", float, "没收数额与违法所得之差", "decision.sanctions", unit=YUAN, unknown_without=(GAINS_FIELD,)),
    Fact("penalties", str, "处罚种类", "decision.sanctions", text=True),
    Fact("band_range", str, "阶次幅度", text=True),
    *_texts("penalties_text", "proposed_text", "tier_range", "gains_text", "referral_to_written", "bureau_government"),
    # 行政处罚 — 程序 (行政处罚法 第五章)
    Fact("n_officers", int, "执法人员人数", "procedure.officers", unknown_without=("procedure.officers",), unit=PERSONS, open_case=STEPS),
    Fact(
        "n_uncertified",
        int,
        "无执法证件人数",
        {PENALTY: "procedure.officers.certificate", INSPECTION: "inspectors.certificate"},  # 执法人员 / 检查人员
        kinds=(PENALTY, INSPECTION),
        unknown_without=("procedure.officers", "inspectors"),  # a penalty draft has no inspectors, an inspection no procedure
        unit=PERSONS,
        open_case=STEPS,
    ),
    Fact("filed", bool, "已立案", _FILED, unknown_without=(_FILED,), open_case=STEPS),
    Fact("days_filed_to_decision", int, "立案至决定的日数", _FILED, unknown_without=(_FILED,)),
    Fact("extension_days", int, "批准延长的日数", _EXT, unknown_without=(_EXT,)),
    Fact("days_filed_to_decision_net", int, "扣除延长后立案至决定的日数", _FILED, unknown_without=(_FILED, _EXT)),
    Fact("decision_to_service_workdays", int, "决定至送达的工作日数", "procedure.served_on"),
    Fact("decision_to_service_days", int, "决定日至送达日的天数", "procedure.served_on"),  # 当场交付 (第五十二条第一款)
    Fact("decision_to_service_eve_workdays", int, "送达日之前已满的决定后工作日数", "procedure.served_on"),
    Fact("notice_served", bool, "已送达事先告知书", _NOTICE, unknown_without=(_NOTICE,), open_case=STEPS),
    Fact("notice_before_filing", bool, "立案前即送达告知书", "procedure.notice.served_on", open_case=STEPS),
    Fact("notice_rights_statement", bool, "告知陈述权", _RIGHTS, unknown_without=(_NOTICE, _RIGHTS), open_case=STEPS),
    Fact("notice_rights_defence", bool, "告知申辩权", _RIGHTS, unknown_without=(_NOTICE, _RIGHTS), open_case=STEPS),
    Fact("notice_rights_hearing", bool, "告知听证权", _RIGHTS, unknown_without=(_NOTICE, _RIGHTS), open_case=STEPS),
    Fact("notice_to_decision_workdays", int, "告知送达至决定的工作日数", "procedure.notice.served_on", unknown_without=(_NOTICE,)),
    Fact(
        "notice_to_decision_eve_workdays", int, "决定日之前已满的告知后工作日数", "procedure.notice.served_on", unknown_without=(_NOTICE,)
    ),
    Fact("notice_to_decision_days", int, "告知送达至决定的日数", "procedure.notice.served_on", unknown_without=(_NOTICE,)),
    # heavier than the notice (第四十五条第二款): amounts other than 罚款, and terms
    Fact("fine_increase", float, "决定罚款超出告知的数额", _PROPOSED, unknown_without=(_NOTICE, _PROPOSED), unit=YUAN),
    Fact("n_kinds_not_in_notice", int, "告知书未载明的处罚种类数", _PROPOSED, unknown_without=(_NOTICE, _PROPOSED)),
    Fact("n_terms_heavier", int, "期限重于告知的处罚数", _PROPOSED, unknown_without=(_NOTICE, _PROPOSED)),
    Fact("new_kinds", str, "告知书未载明的处罚种类", _PROPOSED, text=True),
    Fact("proposed_fine", float, "告知的罚款数额", _PROPOSED, unit=YUAN, text=True),
    *_texts("terms_heavier"),
    # 陈述、申辩 (第四十五条, 第六十二条) and 听证
    Fact(
        "statement_made",
        bool,
        "当事人已陈述申辩",
        "procedure.statement_made",
        unknown_without=("procedure.statement_made",),
        open_case=STEPS,
    ),
    Fact("statement_waived", bool, "当事人放弃陈述申辩", "procedure.statement_waived", open_case=STEPS),
    Fact("hearing_requested", bool, "当事人要求听证", "procedure.hearing.requested_on", unknown_without=(_HEARING,), open_case=STEPS),
    Fact(
        "hearing_request_workdays",
        int,
        "告知送达至申请听证的工作日数",
        "procedure.hearing.requested_on",
        unknown_without=(_NOTICE, _HEARING),
        open_case=STEPS,
    ),
    Fact(
        "hearing_request_eve_workdays",
        int,
        "申请听证日之前已满的告知后工作日数",
        "procedure.hearing.requested_on",
        unknown_without=(_NOTICE, _HEARING),
        open_case=STEPS,
    ),
    Fact("hearing_waived", bool, "放弃听证", "procedure.hearing.waived", unknown_without=(_HEARING,), open_case=STEPS),
    Fact("hearing_notified", bool, "已通知听证", "procedure.hearing.notified_on", unknown_without=(_HEARING,), open_case=STEPS),
    Fact(
        "hearing_notice_workdays",
        int,
        "听证通知至举行的工作日数",
        "procedure.hearing.notified_on",
        unknown_without=(_HEARING,),
        open_case=STEPS,
    ),
    Fact(
        "hearing_held",
        bool,
        "已举行听证",
        "procedure.hearing.held_on",
        unknown_without=(_HEARING, f"{_HEARING}.held_on"),
        open_case=ONCE_TRUE,
    ),
    # 法制审核、集体讨论 and their order (第五十七条, 第五十八条, 第六十五条)
    Fact("legal_review_done", bool, "已通过法制审核", _REVIEW, unknown_without=(_REVIEW,)),
    Fact("collective_done", bool, "已集体讨论", _COLLECTIVE, unknown_without=(_COLLECTIVE,)),
    Fact("legal_review_before_hearing", bool, "法制审核早于听证", _REVIEW, unknown_without=(_HEARING, _REVIEW), open_case=ONCE_TRUE),
    Fact("collective_before_hearing", bool, "集体讨论早于听证", _COLLECTIVE, unknown_without=(_HEARING, _COLLECTIVE), open_case=ONCE_TRUE),
    Fact("legal_review_after_collective", bool, "法制审核晚于集体讨论", _REVIEW, unknown_without=(_REVIEW, _COLLECTIVE)),
    Fact("flag_public_interest", bool, "涉及重大公共利益", "decision.case_flags"),
    Fact("flag_complex_difficult", bool, "疑难复杂", "decision.case_flags"),
    Fact("flag_multi_legal", bool, "涉及多个法律关系", "decision.case_flags"),
    Fact("flag_complicated", bool, "情节复杂", "decision.case_flags"),
    Fact("flag_major", bool, "重大违法行为", "decision.case_flags"),
    Fact("serious", bool, "情节严重", "decision.case_flags"),
    *_texts("filed_day", "notice_on", "hearing_on", "legal_review_on", "collective_on", open_case=STEPS),
    *_texts("served_on_day"),
    # 办案期限: 第六十条 with 民事诉讼法 第八十五条 (a period ending on a day off rolls to the next working day)
    Fact("rest_days_before_decision", int, "办案期限内应扣除的日数", "procedure"),
    Fact("decision_period_days", int, "立案至决定的办案日数", _FILED, unknown_without=(_FILED,)),
    Fact("decision_period_days_net", int, "扣除后的办案日数", _FILED, unknown_without=(_FILED, _EXT)),
    Fact("extension_given", bool, "已批准延长办案期限", _EXT, unknown_without=(_EXT,)),
    Fact("extension_basis_named", bool, "延长写明了依据", "procedure.extension.basis", unknown_without=(_EXT,)),
    Fact("extension_cap_days", int, "延长的上限日数", unknown_without=(_EXT,)),
    Fact("extension_approval_period_days", int, "立案至批准延长的日数", "procedure.extension.approved_on", unknown_without=(_FILED, _EXT)),
    # 履行与执行 (行政强制法 第四十五条, 第五十四条; 行政处罚法 第七十二条): issue 26 §2
    Fact("court_applied", bool, "已申请法院强制执行", "execution.court_applied_on"),
    Fact("demanded_before_court", bool, "申请前已送达催告书", "execution.demanded_on"),
    Fact("demand_to_court_workdays", int, "催告书送达至申请法院强制执行的工作日数", "execution.court_applied_on"),
    Fact("demand_to_court_eve_workdays", int, "申请强制执行日之前已满的催告后工作日数", "execution.court_applied_on"),
    Fact("surcharge_amount", float, "加处罚款数额", "execution.surcharge", unit=YUAN),
    Fact("surcharge_excess", float, "加处罚款超出罚款的数额", "execution.surcharge", unit=YUAN),
    *_texts("court_applied_day", "demanded_day"),
    # 证据 (issue 27 §2, engine/check/evidence.py): unknown when the draft has no evidence key
    Fact("n_elements_unevidenced", int, "未见证据证明的构成要件数", "evidence", unknown_without=("evidence",)),
    Fact("n_decisive_unevidenced", int, "未见证据证明的裁量事实数", "evidence", unknown_without=("evidence",)),  # relied-on facts, 情节
    Fact("n_evidence_excluded", int, "以非法手段取得而不计入的证据数", "evidence", unknown_without=("evidence",)),
    *_texts("elements_unevidenced", "decisive_unevidenced", "evidence_excluded"),
    # 人员 (issue 27 §3, engine/check/people.py): 第六十四条第（四）项 — the presider against the investigators
    Fact("presider_recorded", bool, "已记载听证主持人", "procedure.hearing.presider", open_case=STEPS),
    Fact("presider_is_investigator", bool, "听证主持人是本案调查人员（执法证号相同）", "procedure.hearing.presider", open_case=STEPS),
    Fact(
        "presider_maybe_investigator",
        bool,
        "听证主持人可能是本案调查人员（姓名相同，一方未记载执法证号）",
        "procedure.hearing.presider",
        open_case=STEPS,
    ),
    # 第四十三条第二款、第三款: recusals
    Fact("n_recusals_undecided", int, "作出处罚决定时尚未决定的回避申请数", "procedure.recusals"),
    Fact("n_recusals_undecided_same_day", int, "处罚决定当日提出、尚未决定的回避申请数", "procedure.recusals"),
    Fact("n_recusals_unrecorded", int, "未记载决定结果的回避申请数", "procedure.recusals"),
    Fact("n_recusals_decided_late", int, "处罚决定之后才决定的回避申请数", "procedure.recusals"),
    Fact("n_recused_still_acting", int, "决定回避后仍列为取证人员的人数", "procedure.recusals", open_case=STEPS),
    Fact("n_recusals_by_non_head", int, "由负责人以外的人员决定的回避申请数", "procedure.recusals", open_case=STEPS),
    # 第五十八条第二款 (初次从事法制审核), 第五十七条第二款 (集体讨论)
    Fact("reviewer_unqualified", bool, "初次从事法制审核的人员未取得法律职业资格", "procedure.legal_review.reviewer", open_case=STEPS),
    Fact(
        "reviewer_qualification_unrecorded",
        bool,
        "初次从事法制审核的人员未记载是否取得法律职业资格",
        "procedure.legal_review.reviewer",
        open_case=STEPS,
    ),
    Fact("n_collective_members", int, "参加集体讨论的人数", "procedure.collective_discussion.members", open_case=STEPS),
    Fact("n_collective_heads", int, "参加集体讨论的行政机关负责人人数", "procedure.collective_discussion.members", open_case=STEPS),
    *_texts("presider_text", "presider_match", "recusals_undecided", "recusals_undecided_same_day", "recusals_unrecorded"),
    *_texts("recusals_late", "recused_acting"),
    *_texts("recusals_by_non_head", "reviewer_text", "collective_members_text"),
    # 查封、扣押 and 先行登记保存 (issue 26 §3, engine/check/measures.py): penalty and inspection drafts
    *_measured("coercive_unapproved", "未经事先批准也未按紧急情况报告的查封、扣押数"),
    *_measured("coercive_report_late", "超过二十四小时才报告的紧急查封、扣押数"),
    *_measured("coercive_report_uncertain", "是否在二十四小时内报告不能确定的紧急查封、扣押数"),
    *_measured("coercive_officers_short", "实施人员少于两名的查封、扣押数"),
    *_measured("coercive_steps_missing", "未通知当事人到场或未制作现场笔录的查封、扣押数"),
    *_measured("coercive_not_delivered", "决定书和清单未当场交付的查封、扣押数"),
    *_measured("coercive_period_exceeded", "超过期限未处理或解除的查封、扣押数"),
    *_measured("coercive_period_uncertain", "是否超过期限有两种理解的查封、扣押数"),
    *_measured("coercive_extension_excessive", "延长超过三十日的查封、扣押数"),
    *_measured("coercive_approver_below", "批准人写为负责人以下人员的查封、扣押和先行登记保存数"),
    *_measured("coercive_approval_pending", "紧急实施后记载尚未补办批准的查封、扣押数"),
    *_measured("preservation_unapproved", "未经负责人批准的先行登记保存数"),
    *_measured("preservation_approved_after", "事后才经批准的先行登记保存数"),
    *_measured("preservation_late", "超过七个工作日未作出处理决定的先行登记保存数"),
    *_measured("preservation_uncertain", "是否超过七个工作日不能确定的先行登记保存数"),
    *_measured("preservation_day_off", "第七个工作日之后的休息日作出处理决定的先行登记保存数"),
    # 备案 (a filing item's own facts are in rules/filings: fact_types)
    Fact("outcome", str, "办理结果", {FILING: "decision.outcome", COMPLAINT: "outcome"}, kinds=_FC),
    Fact("decided", bool, "已办结", "dates.decided_on", kinds=(FILING,)),
    Fact("materials_complete", bool, "材料齐全", "materials_complete", kinds=(FILING,)),
    Fact("applicant_type", str, "申请人类型", "applicant.type", kinds=(FILING,)),
    Fact("applicant_category", str, "申请人类别", "applicant.category", kinds=(FILING,)),
    Fact("fee_charged", float, "收取费用", {FILING: "decision.fee_charged", COMPLAINT: "fee_charged"}, kinds=_FC, unit=YUAN),
    Fact("submit_to_decision_workdays", int, "提交至办结的工作日数", "dates.submitted_on", kinds=(FILING,)),
    Fact("accept_to_decision_workdays", int, "受理至办结的工作日数", "dates.accepted_on", kinds=(FILING,)),
    Fact("extension_notified", bool, "已告知延期", "decision.extension_notified_on", kinds=(FILING,)),
    Fact("submit_to_supplement_workdays", int, "提交至一次性告知补正的工作日数", "dates.supplement_notified_on", kinds=(FILING,)),
    Fact("accept_to_extension_notice_workdays", int, "受理至书面通知延期的工作日数", "decision.extension_notified_on", kinds=(FILING,)),
    Fact("accept_to_extension_approval_workdays", int, "受理至批准延期的工作日数", "decision.extension_approved_on", kinds=(FILING,)),
    Fact("registration_no_given", bool, "已给予备案编号", "decision.registration_no", kinds=(FILING,)),
    Fact("published", bool, "已公示", "decision.published_on", kinds=(FILING,)),
    Fact("obligation_to_submit_days", int, "义务发生至提交的日数", "dates.obligation_from", kinds=(FILING,)),
    # the same less the days off just before submission (民事诉讼法 第八十五条)
    Fact("obligation_period_days", int, "义务发生至提交的日数（期间届满日遇休息日顺延后）", "dates.obligation_from", kinds=(FILING,)),
    Fact("obligation_to_submit_workdays", int, "义务发生至提交的工作日数", "dates.obligation_from", kinds=(FILING,)),
    *_role_check(
        "applicant_role",
        FILING,
        "applicant",
        (
            "申请人身份是本事项的备案主体",
            "申请人身份是否为本事项的备案主体不能确定",
            "申请人是个人，而备案主体只能是企业",
            "申请人是个人，而备案主体是单位",
        ),
    ),
    Fact("applicant_role_outside", bool, "申请人写明的身份不是本事项的备案主体", "applicant.role", kinds=(FILING,)),
    # 行政检查
    Fact("basis", str, "检查启动方式", "basis", kinds=(INSPECTION,)),
    Fact("random_targets", bool, "随机抽取检查对象", "random_selection.targets", kinds=(INSPECTION,), unknown_without=(_RANDOM,)),
    Fact("random_inspectors", bool, "随机选派检查人员", "random_selection.inspectors", kinds=(INSPECTION,), unknown_without=(_RANDOM,)),
    Fact("random_required", bool, "应当双随机抽查", "basis", kinds=(INSPECTION,)),
    Fact("publish_required", bool, "应当公示检查结果", "basis", kinds=(INSPECTION,)),
    Fact("annual_plan", bool, "列入年度检查计划", "annual_plan", kinds=(INSPECTION,), unknown_without=("annual_plan",)),
    Fact("n_inspectors", int, "检查人员人数", "inspectors", kinds=(INSPECTION,), unit=PERSONS, unknown_without=("inspectors",)),
    Fact("n_matters_outside", int, "超出法定事项的检查事项数", "matters", kinds=(INSPECTION,)),
    # not a listed matter word for word, but close to one (MATTER_NEAR_RATIO)
    Fact("n_matters_near", int, "与法定事项写法不同、内容相近的检查事项数", "matters", kinds=(INSPECTION,)),
    Fact("matters_outside", str, "超出法定事项的检查事项", "matters", kinds=(INSPECTION,), text=True),
    *_role_check(
        "target_role",
        INSPECTION,
        "target",
        (
            "检查对象身份是本事项的检查对象",
            "检查对象身份是否为本事项的检查对象不能确定",
            "检查对象是个人，而依据检查的只能是企业或者机构",
            "检查对象是个人，而依据检查的是单位",
        ),
    ),
    Fact("violations_found", bool, "发现违法行为", "violations_found", kinds=(INSPECTION,)),
    Fact("followed_up", bool, "已后续处理", "follow_up", kinds=(INSPECTION,), unknown_without=("follow_up",)),
    Fact("results_published", bool, "已公示检查结果", "results_published_on", kinds=(INSPECTION,), unknown_without=(_PUBLISHED,)),
    *_texts("matters_near", "approvals_text", kinds=(INSPECTION,)),
    # 投诉举报
    Fact("registered", bool, "已登记", "registered", kinds=(COMPLAINT,), unknown_without=("registered",)),
    Fact("within_scope", bool, "属于受理范围", "within_scope", kinds=(COMPLAINT,)),
    Fact("transferred", bool, "已移交", "transferred_to", kinds=(COMPLAINT,)),
    Fact("complainant_informed", bool, "已告知投诉人", "complainant_informed_on", kinds=(COMPLAINT,), unknown_without=(_INFORMED,)),
    Fact("complainant_anonymous", bool, "投诉举报人匿名", "complainant.name", kinds=(COMPLAINT,)),
    Fact("receive_to_verify_workdays", int, "收到至核查的工作日数", "verified_on", kinds=(COMPLAINT,), unknown_without=("verified_on",)),
    Fact("respondent_registered_here", bool, "被投诉人在本市登记", "respondent.registered_here", kinds=(COMPLAINT,)),
    Fact("respondent_licensed", bool, "被投诉人持有许可", "respondent.licensed", kinds=(COMPLAINT,)),
    # one fact per entry of a vocabulary of rules/vocabulary.yaml ({name}: the entry's kind or name)
    Fact("ground_{key}", bool, "事实构成不予处罚情形“{name}”", "violation", per="no_penalty_grounds"),  # made out (compile_grounds)
    # its params have no version in force on the decision day (compile_grounds): ground_{key} is then true, unjudged
    Fact("ground_{key}_unknown", bool, "无法判断是否构成不予处罚情形“{name}”", "violation", per="no_penalty_grounds"),
    Fact("imposed_{key}", bool, "决定给予{name}", "decision.sanctions", per="sanctions"),
    Fact("referral_{key}", bool, "报请给予{name}", "decision.referrals", per="sanctions"),
    Fact("used_{key}", bool, "采取{name}", "measures", kinds=(INSPECTION,), per="measures"),
    Fact("approver_{key}", str, "{name}的审批人", "approvals", kinds=(INSPECTION,), per="measures"),
    # approved | unverified | missing (approval_state) | after (approved later)
    Fact("approval_{key}", str, "{name}的审批情况", "approvals", kinds=(INSPECTION,), per="measures"),
)

# --- derived, once at import ---------------------------------------------------------------------------------------

BY_NAME: dict[str, Fact] = {f.name: f for f in FACTS if not f.per}
_FAMILIES: tuple[Fact, ...] = tuple(f for f in FACTS if f.per)
_TYPES: dict[str, dict[str, type]] = {k: {f.name: f.type for f in BY_NAME.values() if k in f.kinds and not f.text} for k in KINDS}

# what a finding message may name besides the facts, the params and a for_each rule's bindings (`quanze rules
# validate` refuses any other name, engine/load/rulechecks.py check_message_names)
MESSAGE_TEXTS: dict[str, frozenset[str]] = {k: frozenset(f.name for f in BY_NAME.values() if f.text and k in f.kinds) for k in KINDS}


def _left_out() -> dict[str, tuple[str, ...]]:
    """Draft part -> the facts its absence leaves unknown."""
    out: dict[str, list[str]] = {}
    for f in FACTS:
        for part in f.unknown_without:
            out.setdefault(part, []).append(f.name)
    return {part: tuple(names) for part, names in out.items()}


_LEFT_OUT = _left_out()
# a procedure section of a penalty draft left out (drafts.unfilled_sections): its rules are "未检查"
SECTION_FACTS: dict[str, tuple[str, ...]] = {p: n for p, n in _LEFT_OUT.items() if p.startswith("procedure.")}
# the draft has no evidence key (checker: not_checked, affects_verdict false)
EVIDENCE_FACTS: dict[str, tuple[str, ...]] = {p: n for p, n in _LEFT_OUT.items() if p == "evidence"}
# a field of UNFILLED_FIELDS left out: its checks are not made (checker: not_checked, the verdict incomplete)
FIELD_FACTS: dict[str, tuple[str, ...]] = {p: n for p, n in _LEFT_OUT.items() if any(p in f for f in UNFILLED_FIELDS.values())}
# the fields of issue 17 §1 (party.role, violation.conduct, target.role, applicant.role) left out
SUBJECT_FACTS: dict[str, tuple[str, ...]] = {
    p: n for p, n in _LEFT_OUT.items() if p not in SECTION_FACTS and p not in EVIDENCE_FACTS and p not in FIELD_FACTS
}

# an open case (engine/check/stage.py known_facts): facts its steps settle, and facts settled once true
STEP_FACTS: frozenset[str] = frozenset(f.name for f in FACTS if f.open_case == STEPS)
ONCE_TRUE_FACTS: tuple[str, ...] = tuple(f.name for f in FACTS if f.open_case == ONCE_TRUE)
# the texts engine/check/measures.py fills, one per limit of 查封、扣押 and 先行登记保存 (each beside its n_<stem>)
MEASURE_STEMS: tuple[str, ...] = tuple(f.name for f in FACTS if f.text and f.source == "coercive_measures")
MONEY_FACTS: frozenset[str] = frozenset(f.name for f in BY_NAME.values() if f.unit == YUAN)


def unit_of(name: str) -> str:
    """The unit a numeric fact is counted in (元, 个工作日, 日, 年, 人, 项), "" when none."""
    fact = BY_NAME.get(name)
    return unit_by_name(name) if fact is None else fact.unit or ""


def fact_types(kind: str, rules: Any) -> dict[str, type]:
    """Names and types of the facts derived for a draft kind, those made per vocabulary entry and a filing item's
    own (rules/filings) included: what a condition may test."""
    types = dict(_TYPES.get(kind, {}))
    for family in _FAMILIES:
        if kind in family.kinds:
            types.update({family.name.format(key=e.key): family.type for e in getattr(rules.vocabulary, family.per)})
    if kind == FILING:
        for filing in rules.filings.values():
            types.update({name: spec.python_type for name, spec in filing.facts.items()})
    return types


def _family(name: str) -> tuple[Fact, str] | None:
    """The vocabulary family a fact name belongs to, and the entry key it names: of the templates it fits
    (``ground_{key}`` and ``ground_{key}_unknown`` both fit ``ground_time_barred_unknown``), the most specific."""
    best: tuple[int, Fact, str] | None = None
    for family in _FAMILIES:
        prefix, _, suffix = family.name.partition("{key}")
        fixed = len(prefix) + len(suffix)
        if len(name) > fixed and name.startswith(prefix) and name.endswith(suffix) and (best is None or fixed > best[0]):
            best = (fixed, family, name[len(prefix) : len(name) - len(suffix)])
    return best[1:] if best else None


def fact_label(name: str, rules: Any = None, item: str | None = None) -> str:
    """The Chinese label of a derived fact (``item``: the filing item whose own facts it may be)."""
    fact = BY_NAME.get(name)
    if fact is not None:
        return fact.label or name
    hit = _family(name) if rules is not None else None
    if hit is not None:
        family, key = hit
        for entry in getattr(rules.vocabulary, family.per, ()):
            if entry.key == key:
                return family.label.format(name=getattr(entry, "kind", None) or entry.name)
    if rules is not None:
        filing = rules.filings.get(item) if item else None
        for f in [filing] if filing else rules.filings.values():
            if name in f.facts:
                return f.facts[name].label
    return name


def fact_source(name: str, kind: str, rules: Any = None, item: str | None = None) -> str:
    """The draft field a fact is read from in a draft of ``kind`` ("" when derived from the rules or several fields)."""
    fact = BY_NAME.get(name)
    if fact is not None:
        return fact.source_in(kind)
    hit = _family(name)
    return hit[0].source_in(kind) if hit is not None else f"facts.{name}"


def registry(kind: str, rules: Any, item: str | None = None) -> dict[str, Fact]:
    """Every fact a condition may test for a draft kind, those made per vocabulary entry or by a filing item (``item``:
    whose wording) as entries of their own."""
    return {
        name: BY_NAME.get(name) or Fact(name, t, fact_label(name, rules, item), fact_source(name, kind, rules, item), kinds=(kind,))
        for name, t in fact_types(kind, rules).items()
    }
